"""Suspect selection for :mod:`rfcheck.verdict`: which points of a judged line go to the
report's suspect table (the rule is stated in the "Suspects" section of that module's
docstring).

It also holds the interval helpers of the coverage rule (``_cells``, ``_runs``, ...).

Rows (built by :func:`rfcheck.verdict.judge_line`) are, per trace of the line,
``(trace, mask, freq, margin, limit, rel, superseded)`` with ``rel`` codes 0 measured,
1 upper, 2 lower, -1 dropped bound. [Hz, dB]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.signal import find_peaks

from .limits import LimitTable
from .results import Bound, Suspect, Verdict

#: Minimum prominence of a suspect peak above its surroundings. [dB]
PEAK_EXCURSION_DB = 3.0
#: Numerical tolerance of "at or below the limit" (float noise, not a measurement margin). [dB]
EPS_DB = 1e-9
#: Margins equal to this many decimals are a tie (then the lowest frequency is the worst). [dB]
TIE_DECIMALS = 9

_CODE_BOUND = {0: Bound.MEASURED, 1: Bound.UPPER, 2: Bound.LOWER}

Intervals = list[tuple[float, float]]


# --- coverage intervals (the coverage rule of rfcheck.verdict's docstring) ------------------

def _union(iv: Intervals) -> Intervals:
    out: Intervals = []
    for a, b in sorted(iv):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _subtract(base: Intervals, cut: Intervals) -> Intervals:
    out: Intervals = []
    cut = _union(cut)
    for a, b in base:
        cur = a
        for c, d in cut:
            if d <= cur or c >= b:
                continue
            if c > cur:
                out.append((cur, c))
            cur = max(cur, d)
        if cur < b:
            out.append((cur, b))
    return [(a, b) for a, b in out if b - a > 1e-6 * max(abs(b), 1.0)]


def _local_step(f: NDArray[np.float64]) -> NDArray[np.float64]:
    if f.shape[0] < 2:
        return np.zeros(f.shape)
    d = np.diff(f)
    left = np.concatenate([[d[0]], d])
    right = np.concatenate([d, [d[-1]]])
    return (left + right) / 2.0


def _cells(f: NDArray[np.float64], rbw: float | None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each point's share [lo, hi] of its trace's coverage (module docstring). [Hz]

    Neighbouring points meet at their midpoint; a segment's ends reach out by
    max(step / 2, RBW / 2); traces of fewer than 3 points: each point ± RBW / 2.
    """
    half_rbw = (rbw or 0.0) / 2.0
    if f.shape[0] < 3:
        return f - half_rbw, f + half_rbw
    d = np.diff(f)
    left = np.concatenate([[d[0]], d[:-1]])
    right = np.concatenate([d[1:], [d[-1]]])
    # a gap: a spacing four times its neighbours' (a log sweep's spacing grows smoothly)
    gaps = np.flatnonzero((d > 4.0 * np.maximum(left, right)) & (d > 2.0 * (rbw or 0.0)))
    mid = (f[:-1] + f[1:]) / 2.0
    lo, hi = np.concatenate([[f[0]], mid]), np.concatenate([mid, [f[-1]]])
    start = 0
    for g in [*gaps.tolist(), f.shape[0] - 1]:
        first = d[start] if start < d.shape[0] else d[-1]
        last = d[g - 1] if g >= 1 else d[0]
        lo[start] = f[start] - max(first / 2.0, half_rbw)
        hi[g] = f[g] + max(last / 2.0, half_rbw)
        start = g + 1
    return lo, hi


def _runs(lo: NDArray[np.float64], hi: NDArray[np.float64], sel: NDArray[np.bool_]) -> Intervals:
    """The union of the cells ``sel`` as intervals (runs of touching cells). [Hz]"""
    idx = np.flatnonzero(sel)
    if idx.shape[0] == 0:
        return []
    brk = (np.diff(idx) > 1) | (hi[idx[:-1]] < lo[idx[1:]])
    starts = idx[np.concatenate([[True], brk])]
    ends = idx[np.concatenate([brk, [True]])]
    return list(zip(lo[starts].tolist(), hi[ends].tolist(), strict=True))


def _near(f: NDArray[np.float64], ref: NDArray[np.float64], tol: NDArray[np.float64]) -> NDArray[np.bool_]:
    """True where ``f`` lies within ``tol`` of a point of the sorted ``ref``. [Hz]"""
    j = np.clip(np.searchsorted(ref, f), 1, max(ref.shape[0] - 1, 1))
    dist = np.minimum(np.abs(ref[j - 1] - f), np.abs(ref[np.minimum(j, ref.shape[0] - 1)] - f))
    return dist <= tol


def rank_key(margin: NDArray[np.float64]) -> NDArray[np.float64]:
    """The margin as ranked: worst = smallest; equal keys are ties. [dB]"""
    return np.round(np.asarray(margin, dtype=float), TIE_DECIMALS)


def worst_index(f: NDArray[np.float64], margin: NDArray[np.float64], idx: NDArray[np.intp]) -> int:
    """The worst of the points ``idx``: smallest margin, the lowest frequency among ties."""
    k = np.lexsort((f[idx], rank_key(margin[idx])))[0]
    return int(idx[k])


def _key(s: Suspect) -> tuple[float, float]:
    return float(rank_key(np.asarray(s.margin_db))), s.frequency_hz


def _build(table: LimitTable, line: str, row: tuple, chosen: NDArray[np.intp]) -> list[Suspect]:
    """Suspects for the points ``chosen`` (indices into the row's in-range points)."""
    t, m, f, margin, limit, rels, _superseded = row

    # Python scalars in one conversion per column (same values as float(arr[i])).
    def col(a: NDArray[np.float64], sub: NDArray[np.intp] = chosen) -> list[float]:
        return np.asarray(a[sub], dtype=float).tolist()  # type: ignore[no-any-return]

    src = np.flatnonzero(m)[chosen]  # indices into the full trace
    f_l, limit_l, margin_l = col(f), col(limit), col(margin)
    reading_l, corr_l, level_l = col(t.reading, src), col(t.correction_db, src), col(t.level, src)
    code_l = [int(c) for c in rels[chosen].tolist()]
    out = []
    for fi, ri, ci, li, limi, mi, code in zip(
        f_l, reading_l, corr_l, level_l, limit_l, margin_l, code_l, strict=True
    ):
        if mi < -EPS_DB:
            v = Verdict.INCONCLUSIVE if code == 1 else Verdict.FAIL
        else:
            v = Verdict.PASS if code in (0, 1) else Verdict.INCONCLUSIVE
        out.append(
            Suspect(
                frequency_hz=fi, reading=ri, reading_unit=t.reading_unit, correction_db=ci,
                level=li, unit=t.unit.value, limit=limi, margin_db=mi,
                detector=t.detector.value, bound=_CODE_BOUND[code], verdict=v,
                limit_id=table.id, line=line,
            )
        )
    return out


def _peaks(
    row: tuple, lower_only: Intervals, window: float, *, left_edge: bool = False
) -> NDArray[np.intp]:
    """Prominence peaks (plus the trace's worst point) with margin below ``window``.

    ``left_edge``: a peak on a plateau of equal margins is moved to the plateau's lowest
    frequency (the tie rule; scipy names the plateau's middle).
    """
    _t, _m, f, margin, _limit, rels, superseded = row
    in_lower_only = np.zeros(f.shape, dtype=bool)
    for a, b in lower_only:
        in_lower_only |= (f >= a) & (f <= b)
    usable = ~superseded & ((rels != 2) | (margin < -EPS_DB) | in_lower_only)
    cand = usable & (margin < window)
    if not cand.any():
        return np.zeros(0, dtype=np.intp)
    excess = np.where(usable, -margin, -1e9)
    peaks, _ = find_peaks(excess, prominence=PEAK_EXCURSION_DB)
    top = int(np.argmax(excess))
    # the worst point even at a trace edge or without excursion, unless a peak ties it
    if not np.isclose(excess[peaks], excess[top]).any():
        peaks = np.union1d(peaks, [top])  # sorted, unique
    chosen = peaks[cand[peaks]]
    if left_edge and chosen.shape[0]:
        r = rank_key(margin)
        tie = np.concatenate([[False], (r[1:] == r[:-1]) & usable[1:] & usable[:-1]])
        start = np.maximum.accumulate(np.where(tie, 0, np.arange(f.shape[0])))
        chosen = np.unique(start[chosen])
    return chosen.astype(np.intp)


def _candidates(
    table: LimitTable, line: str, det_name: str, rows: list, lower_only: Intervals, window: float
) -> list[Suspect]:
    """Prominence peaks (plus each trace's worst point) with margin below ``window``."""
    out: list[Suspect] = []
    for row in rows:
        chosen = _peaks(row, lower_only, window)
        if chosen.shape[0]:
            out.extend(_build(table, line, row, chosen))
    return out


def line_candidates(
    table: LimitTable, line: str, det_name: str, rows: list, lower_only: Intervals,
    window: float, *, worst: int | None, fail_groups: Sequence[int],
) -> list[Suspect]:
    """Every suspect candidate of one line, the line's worst point first, then worst first.

    ``worst`` is the check's worst point and ``fail_groups`` the worst point of each settle
    group of FAIL points (indices into the rows' concatenated points). The check's worst
    point comes first when its margin is below ``window`` or the limit; then, worst first,
    each group's worst point and the prominence peaks within the window that do not FAIL (a
    failing peak is its group's emission, already represented by the group's worst point; a
    peak on a plateau of equal margins is named by the plateau's lowest frequency).
    """
    ks = np.asarray([*([] if worst is None else [worst]), *fail_groups], dtype=np.intp)
    sizes = np.cumsum([0] + [r[2].shape[0] for r in rows])
    row_of = np.searchsorted(sizes, ks, side="right") - 1
    built: dict[int, Suspect] = {}
    for j in np.unique(row_of).tolist():  # one _build per trace
        sel = ks[row_of == j]
        built.update(zip(sel.tolist(), _build(table, line, rows[j], sel - sizes[j]), strict=True))
    first: list[Suspect] = []
    if worst is not None:
        s = built[worst]
        if s.margin_db < window or s.margin_db < -EPS_DB:
            first.append(s)
    rest = [built[k] for k in fail_groups if k != worst]
    for row in rows:
        chosen = _peaks(row, lower_only, window, left_edge=True)
        rest.extend(s for s in _build(table, line, row, chosen) if s.verdict is not Verdict.FAIL)
    return first + sorted(rest, key=_key)


def select_suspects(candidates: list[Suspect], max_suspects: int) -> tuple[Suspect, ...]:
    """The suspect table: worst first, one per (line, frequency), at most ``max_suspects``.

    Places go, in this order, to each line's first candidate (its check's worst point, else
    its worst candidate; see :func:`line_candidates`), then to the FAIL candidates (every
    emission over a limit), then to the others; each worst first (smallest margin, then the
    lowest frequency).
    """
    if max_suspects <= 0:
        return ()
    firsts: dict[tuple[str, str], Suspect] = {}
    for s in candidates:
        firsts.setdefault((s.limit_id, s.line), s)
    seen: set[tuple[str, str, float]] = set()
    out: list[Suspect] = []
    ranked = sorted(candidates, key=_key)
    fails = [s for s in ranked if s.verdict is Verdict.FAIL]
    for s in [*sorted(firsts.values(), key=_key), *fails, *ranked]:
        k = (s.limit_id, s.line, round(s.frequency_hz, 3))
        if k in seen:
            continue
        seen.add(k)
        out.append(s)
        if len(out) >= max_suspects:
            break
    return tuple(sorted(out, key=_key))
