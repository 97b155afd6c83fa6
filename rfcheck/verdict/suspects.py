"""Suspects: the points of a judged line that go to the report's suspect table.

Also the ranking every choice of a worst point uses: worst = smallest margin, the lowest
frequency among ties.

The rule is stated in ``docs/verdict.md`` ("Suspects", "Ties", "needs").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ..limits import LimitTable
from ..outcome import MARGIN_EPS_DB, Bound, Verdict
from ..prominence import prominent_peaks
from ..results import Suspect
from .bounds import CODE_LOWER, BoundCode
from .coverage import Intervals, is_sweep_grid

if TYPE_CHECKING:
    from .points import TracePoints

__all__ = [
    "EPS_DB",
    "PEAK_EXCURSION_DB",
    "TIE_DECIMALS",
    "line_candidates",
    "peaks",
    "rank_key",
    "select_suspects",
    "settle_groups",
    "suspects_at",
    "worst_index",
]

#: Minimum prominence of a suspect peak above its surroundings. [dB]
PEAK_EXCURSION_DB = 3.0
#: Excess (level - limit) given to points a suspect cannot be: below any real excess. [dB]
_NOT_USABLE = -1e9
#: Numerical tolerance of "at or below the limit" (float noise, not a measurement margin);
#: the margin rounding uses the same one (:func:`rfcheck.outcome.round_margin`). [dB]
EPS_DB = MARGIN_EPS_DB
#: Margins equal to this many decimals are a tie (then the lowest frequency is the worst). [dB]
TIE_DECIMALS = 9
#: A measured reading this close to the worst margin is stated instead of a bound: the
#: receiver model's detectors agree on a CW to within its single-precision arithmetic
#: (0.001 dB, docs/receiver.md). [dB]
MEASURED_TIE_DB = 1e-3


def rank_key(margin: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the margin as ranked: worst = smallest; equal keys are ties [dB]."""
    return np.round(np.asarray(margin, dtype=float), TIE_DECIMALS)


def worst_index(
    f: NDArray[np.float64],
    margin: NDArray[np.float64],
    idx: NDArray[np.intp],
    measured: NDArray[np.bool_] | None = None,
) -> int:
    """Return the worst of the points ``idx``: smallest margin, the lowest frequency among ties.

    ``measured`` (per point, optional): a measured reading whose margin ties the worst's
    within :data:`MEASURED_TIE_DB`, on the same side of the limit, is the worst instead: a
    CW's quasi-peak reading and its CISPR-average reading (a lower bound of the quasi-peak,
    here 2e-6 dB higher in single precision) give the quasi-peak line one margin, and the
    line states the measured one, not "≤" the other.
    """
    k = int(idx[np.lexsort((f[idx], rank_key(margin[idx])))[0]])
    if measured is None or measured[k]:
        return k
    m = margin[idx]
    tie = measured[idx] & (np.abs(m - margin[k]) <= MEASURED_TIE_DB)
    tie &= (m < -EPS_DB) == (margin[k] < -EPS_DB)
    if not tie.any():
        return k
    sub = idx[tie]
    return int(sub[np.lexsort((f[sub], rank_key(margin[sub])))[0]])


def settle_groups(
    f: NDArray[np.float64],
    margin: NDArray[np.float64],
    mask: NDArray[np.bool_],
    bandwidth_hz: NDArray[np.float64],
) -> list[int]:
    """Where to measure so every flagged point is settled, worst first (indices into ``f``).

    Greedy, worst point first: a measurement at the worst remaining point f_0 in the CISPR
    bandwidth B(f_0) settles every flagged point within B(f_0) / 2 of it, its passband
    (``bandwidth_hz`` the line's CISPR bandwidth at each point [Hz]), as
    :func:`rfcheck.verdict.points.supersede` settles; repeat on what is left. A coarse grid's
    step does not widen a group: two points of a 100 kHz step over the limit need two
    measurements. Each returned point is the worst of its group (smallest margin, the lowest
    frequency among ties).
    """
    idx = np.flatnonzero(mask)
    if idx.shape[0] == 0:
        return []
    order = idx[np.argsort(f[idx], kind="stable")]
    fs, ms = f[order], rank_key(margin[order])
    half_bw = bandwidth_hz[order] / 2.0
    left = np.ones(fs.shape, dtype=bool)
    out: list[int] = []
    for k in np.argsort(ms, kind="stable").tolist():
        if not left[k]:
            continue
        f0, r = float(fs[k]), float(half_bw[k])
        a = int(np.searchsorted(fs, f0 - r, side="left"))
        b = int(np.searchsorted(fs, f0 + r, side="right"))
        left[a:b] &= np.abs(fs[a:b] - f0) > r
        left[k] = False
        out.append(int(order[k]))
    return out


def _by_rank(suspects: Sequence[Suspect]) -> list[Suspect]:
    """Return ``suspects`` worst first: smallest :func:`rank_key`, then the lowest frequency.

    The keys are rounded in one array operation (a unit's lines hold thousands of candidates).
    """
    keys = rank_key(np.fromiter((s.margin_db for s in suspects), float, len(suspects))).tolist()
    order = sorted(range(len(suspects)), key=lambda i: (keys[i], suspects[i].frequency_hz))
    return [suspects[i] for i in order]


def _point_verdict(margin_db: float, bound: Bound) -> Verdict:
    """Return what one point says about its line.

    FAIL/INCONCLUSIVE over the limit, else PASS or INCONCLUSIVE (a lower bound under the limit
    decides nothing).
    """
    if margin_db < -EPS_DB:
        return Verdict.INCONCLUSIVE if bound is Bound.UPPER else Verdict.FAIL
    return Verdict.PASS if bound in (Bound.MEASURED, Bound.UPPER) else Verdict.INCONCLUSIVE


def suspects_at(
    table: LimitTable, line: str, row: TracePoints, chosen: NDArray[np.intp]
) -> list[Suspect]:
    """Suspects for the points ``chosen`` (indices into the row's in-range points)."""
    t = row.trace

    # Python scalars in one conversion per column (same values as float(arr[i])).
    def col(a: NDArray[np.float64], sub: NDArray[np.intp] = chosen) -> list[float]:
        return np.asarray(a[sub], dtype=float).tolist()  # type: ignore[no-any-return]

    src = np.flatnonzero(row.mask)[chosen]  # indices into the full trace
    f_l, limit_l, margin_l = col(row.freq_hz), col(row.limit), col(row.margin_db)
    reading_l, corr_l, level_l = col(t.reading, src), col(t.correction_db, src), col(t.level, src)
    bound_l = [BoundCode(b).bound for b in row.bound[chosen].tolist()]
    return [
        Suspect(
            frequency_hz=fi,
            reading=ri,
            reading_unit=t.reading_unit,
            correction_db=ci,
            level=li,
            unit=t.unit.value,
            limit=limi,
            margin_db=mi,
            detector=t.detector.value,
            bound=b,
            verdict=_point_verdict(mi, b),
            limit_id=table.id,
            line=line,
            channel=t.channel,
        )
        for fi, ri, ci, li, limi, mi, b in zip(
            f_l, reading_l, corr_l, level_l, limit_l, margin_l, bound_l, strict=True
        )
    ]


def peaks(
    row: TracePoints, lower_only: Intervals, window_db: float, *, left_edge: bool = False
) -> NDArray[np.intp]:
    """Prominence peaks (plus the trace's worst point) with margin below ``window_db``.

    An instrument's trace that is no sweep's grid (a list of final measurements or markers,
    :func:`~.coverage.is_sweep_grid`) has no skirts to rise above: each of its candidate
    points is a peak (the receiver model's traces keep the test). A point at either end of
    the trace's in-range points is a peak when it stands ``PEAK_EXCURSION_DB`` above the
    points on its one side (an emission at 150 kHz or at 1 GHz is cut by the band edge, not
    by the analyser: it is still an emission). ``left_edge``: a peak on a plateau of equal
    margins is moved to the plateau's lowest frequency (the tie rule; scipy names the
    plateau's middle).
    """
    f, margin = row.freq_hz, row.margin_db
    in_lower_only = np.zeros(f.shape, dtype=bool)
    for a, b in lower_only:
        in_lower_only |= (f >= a) & (f <= b)
    usable = ~row.superseded & ((row.bound != CODE_LOWER) | (margin < -EPS_DB) | in_lower_only)
    cand = usable & (margin < window_db)
    if not cand.any():
        return np.zeros(0, dtype=np.intp)
    axis = row.trace.axis_hz if row.trace.axis_hz is not None else row.trace.freq_hz
    if not row.trace.computed_from and not is_sweep_grid(axis):
        # an instrument's list of final measurements (or markers): each reading was taken at
        # an emission, so each is one; its neighbours in the list are other emissions
        listed: NDArray[np.intp] = np.flatnonzero(cand).astype(np.intp)
        return listed
    # one unusable sample beyond each end, so an end point is a peak of its one side
    padded = np.full(f.shape[0] + 2, _NOT_USABLE)
    excess = padded[1:-1]  # -margin where usable (written in place: no full-length temporary)
    np.negative(margin, out=excess, where=usable)
    top = int(np.argmax(excess))
    # only the candidates' peaks are kept, and a peak tying the worst point decides below
    wanted = np.zeros(padded.shape, dtype=bool)
    np.logical_or(cand, _close_to(excess, excess[top]), out=wanted[1:-1])
    found, _ = prominent_peaks(padded, PEAK_EXCURSION_DB, among=wanted)
    found = (found - 1).astype(np.intp)
    # the worst point even at a trace edge or without excursion, unless a peak ties it
    if not np.isclose(excess[found], excess[top]).any():
        found = np.union1d(found, [top])  # sorted, unique
    chosen = found[cand[found]]
    if left_edge and chosen.shape[0]:
        r = rank_key(margin)
        tie = np.concatenate([[False], (r[1:] == r[:-1]) & usable[1:] & usable[:-1]])
        chosen = np.unique(_plateau_starts(tie, chosen))
    indices: NDArray[np.intp] = chosen.astype(np.intp)
    return indices


def _plateau_starts(tie: NDArray[np.bool_], chosen: NDArray[np.intp]) -> NDArray[np.intp]:
    """Return, per point of ``chosen``, the first point of its plateau of tied margins.

    ``tie[i]``: point ``i`` ties point ``i - 1`` (``tie[0]`` is False). The start is the
    nearest point at or before ``i`` that ties nothing before it; found from the few tied
    points' runs, not from an index array over every point.
    """
    at = np.flatnonzero(tie)
    if at.shape[0] == 0:
        return chosen
    step = np.diff(at) != 1
    first = at[np.concatenate(([True], step))]  # each run of tied points is first..last
    last = at[np.concatenate((step, [True]))]
    k = np.maximum(np.searchsorted(first, chosen, side="right") - 1, 0)
    inside = (first[k] <= chosen) & (chosen <= last[k])
    starts: NDArray[np.intp] = np.where(inside, first[k] - 1, chosen)
    return starts


def _close_to(x: NDArray[np.float64], ref: np.float64) -> NDArray[np.bool_]:
    """Return ``np.isclose(x, ref)`` for a finite ``ref``, with one float temporary, not two.

    The same test, ``|x - ref| <= atol + rtol * |ref|`` with numpy's default tolerances.
    """
    if not np.isfinite(ref):
        return np.asarray(np.isclose(x, ref))
    d = x - ref
    np.abs(d, out=d)
    return np.asarray(d <= 1e-8 + 1e-5 * abs(ref))


def line_candidates(
    table: LimitTable,
    line: str,
    rows: Sequence[TracePoints],
    lower_only: Intervals,
    window_db: float,
    *,
    worst: int | None,
    fail_groups: Sequence[int],
) -> list[Suspect]:
    """Every suspect candidate of one line, the line's worst point first, then worst first.

    ``worst`` is the check's worst point and ``fail_groups`` the worst point of each settle
    group of FAIL points (indices into the rows' concatenated points). The check's worst
    point comes first when its margin is below ``window_db`` or the limit; then, worst first,
    each group's worst point and the prominence peaks within the window that do not FAIL (a
    failing peak is its group's emission, already represented by the group's worst point; a
    peak on a plateau of equal margins is named by the plateau's lowest frequency).
    """
    ks = np.asarray([*([] if worst is None else [worst]), *fail_groups], dtype=np.intp)
    sizes = np.cumsum([0] + [r.freq_hz.shape[0] for r in rows])
    row_of = np.searchsorted(sizes, ks, side="right") - 1
    built: dict[int, Suspect] = {}
    for j in np.unique(row_of).tolist():  # one suspects_at per trace
        sel = ks[row_of == j]
        built.update(
            zip(sel.tolist(), suspects_at(table, line, rows[j], sel - sizes[j]), strict=True)
        )
    first: list[Suspect] = []
    if worst is not None:
        s = built[worst]
        if s.margin_db < window_db or s.margin_db < -EPS_DB:
            first.append(s)
    rest = [built[k] for k in fail_groups if k != worst]
    for row in rows:
        chosen = peaks(row, lower_only, window_db, left_edge=True)
        rest.extend(
            s for s in suspects_at(table, line, row, chosen) if s.verdict is not Verdict.FAIL
        )
    return first + _by_rank(rest)


def select_suspects(candidates: list[Suspect], max_suspects: int) -> tuple[Suspect, ...]:
    """Return the suspect table: worst first, one per (line, frequency), at most ``max_suspects``.

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
    ranked = _by_rank(candidates)
    fails = [s for s in ranked if s.verdict is Verdict.FAIL]
    for s in [*_by_rank(list(firsts.values())), *fails, *ranked]:
        k = (s.limit_id, s.line, round(s.frequency_hz, 3))
        if k in seen:
            continue
        seen.add(k)
        out.append(s)
        if len(out) >= max_suspects:
            break
    return tuple(_by_rank(out))
