"""Margins and the detector-aware verdict: what each trace proves about each limit line.

Sign convention, everywhere: ``margin_db = limit - level`` (positive = below the limit).

Detector ordering
-----------------
For CISPR detectors, PK >= QP >= CISPR-AV for every signal (CISPR 16-1-1: the QP weighting
lies between the peak and the average response; 47 CFR 15.35(a) allows a peak detector as an
alternative to QP). So a trace measured with one detector *bounds* the quantities it did
not measure. The table (rows: trace detector; columns: the detector a limit line is
defined for):

==================  ==========  ==========  =======================
trace detector      PK line     QP line     AV line (CISPR/FCC AV)
==================  ==========  ==========  =======================
peak                measured    upper       upper
quasi-peak          lower       measured    upper
cispr-average       lower       lower       measured
average (video)     lower       lower       measured
rms-average, rms    lower       --          upper
sample, normal,     lower       --          --
negative-peak
unknown             --          --          --
==================  ==========  ==========  =======================

``upper`` = the reading is >= the quantity the line asks for; ``lower`` = <=; ``--`` = no
bound (an unknown detector makes the CLI ask for ``--detector``). A line defined for the
rms-average detector is measured by rms-average/rms, upper-bounded by peak, and lower-bounded
by nothing else.

Bandwidth: the table holds for a trace measured in the CISPR bandwidth of the band (200 Hz
below 150 kHz, 9 kHz to 30 MHz, 120 kHz to 1 GHz, 1 MHz above; CISPR 16-1-1 Table 1, and
15.35(a): QP-based limits apply with "the same bandwidth as ... the CISPR quasi-peak"
detector, 15.35(b) above 1 GHz). Where a trace's RBW is

* below :data:`NARROW_RBW_FACTOR` (0.8) × that bandwidth, it can under-read broadband
  emissions: its upper bounds are dropped and its measurements become lower bounds;
* above :data:`WIDE_RBW_FACTOR` (1.25) × that bandwidth (e.g. 1 MHz RBW at 1.39 MHz, Band B
  9 kHz), it can over-read broadband emissions: its measurements become upper bounds and its
  lower bounds are dropped.

At a CISPR band edge (150 kHz, 30 MHz, 1 GHz, within a relative 1e-7) both neighbouring
bandwidths are legitimate: "narrow" is judged against the smaller, "wide" against the larger
(:func:`cispr_rbw_bounds_hz`). Unknown RBW keeps the table. (0.8-1.25 is the allowance for the B6 tolerance and the
instruments' nearest filter, not a measurement-uncertainty margin.)

Settling: a detector that has not settled can only read low (the QP charge/meter and the
CISPR-average meter build up over their time constants; standards.md §4a, §5). A trace is
unsettled when ``settled`` is False (e.g. a receiver-model record shorter than
:func:`rfcheck.receiver.settling_time_s`). An unsettled trace's readings are lower bounds
only: measurements become lower bounds, upper bounds are dropped (an unsettled QP above the
QP limit still FAILs; it bounds no AV line). An instrument's quasi-peak trace stays the QP
measurement (the receiver applied the QP weighting; "a QP trace is exact for QP"), but a
known dwell below :data:`QP_MIN_DWELL_S` (1 s per frequency for unknown signals, so pulses
down to 5 Hz are weighted correctly; standards.md §5) adds a caution to the result. The bandwidth rule is applied first, then the settling rule
(a wide *and* unsettled reading bounds nothing).

Trace mode: a min-hold or trace-average trace (``TraceMode.MIN_HOLD``, ``AVERAGE``, e.g. an
averaged sweep, which under-reads intermittent emissions) can read low, so it is treated like
an unsettled one (measured -> lower, upper dropped; a warning names the trace and mode),
after the settling rule. Max-hold, clear-write, view and unknown keep the table; a swept
clear-write can miss intermittent bursts too, the prescan's known limitation, which standard
practice meets with max-hold. Dropped bounds still count as coverage, so a
range covered only by them is INCONCLUSIVE, never silently PASS.

Per frequency and line: FAIL if a lower bound (or measurement) exceeds the limit; PASS if
an upper bound (or measurement) is at or below it; otherwise INCONCLUSIVE.

"At that frequency" across traces on different grids: a measured point at f_m settles an
upper-bound point at f_u (and an upper bound at or below the limit from another trace, e.g. a
QP reading under an AV limit, settles a looser upper bound above it) when
|f_m - f_u| <= max(RBW_m / 2, step_u / 2), i.e. the measured receiver's passband or the
upper trace's own frequency bucket contains it (step_u = local grid step of the upper-bound
trace). Settled upper points no longer count (the measurement
replaces them); a lower bound above the limit is never discarded. A trace *covers* the span
of its points extended by max(half a grid step, RBW/2) at each end, split where a spacing
exceeds four times its neighbours' (and twice the RBW); traces of fewer than 3 points cover
only their points ± RBW/2. Coverage is a property of the trace, whatever bound each point
gives: the covered span is shared into per-point cells (neighbours meet at their midpoint),
and the cells of measured/upper-bound points are the definitive coverage, the others
lower-bound-only (or dropped-bound) coverage. The cells are cut on the trace's whole axis
(``CorrectedTrace.axis_hz``, before cropping to any limit range) and then clipped to the
line's range; a point outside the range whose cell reaches into it covers that sliver, classed
like the nearest in-range point, so a line's edge inside a sweep is no gap. So a contiguous sweep whose bound type changes
from point to point (e.g. a 10 kHz RBW point at 30 MHz, Band B, among narrow-RBW Band C
points) has no hole in its span. Ranges a line covers but no related trace does are reported
as not evaluated; ranges covered only by lower bounds make the line INCONCLUSIVE.

Worst margin: of the measured/upper points (PASS, INCONCLUSIVE) or the FAIL points; a line
with none reports the worst lower bound (``worst_bound`` = lower bound). Dropped bounds are no
bound on the line's level: a line covered only by them has no worst margin; a warning gives
the closest reading to the limit as indicative only.

Ties: among equal worst margins (equal to :data:`rfcheck._suspects.TIE_DECIMALS` decimals),
the lowest frequency is the worst, everywhere (the check's worst point, each group's worst
point, the suspect order).

``needs`` (INCONCLUSIVE lines): the unresolved upper-bound points are grouped so that one
measurement of the line's detector in the CISPR bandwidth settles a whole group by the rule
above (|f - f_0| <= max(CISPR bandwidth / 2, step / 2)); each group is named by its worst
point, worst group first, up to 5 then "(+N more)".

Suspects (:mod:`rfcheck._suspects`), per line: (1) the check's worst point, when its margin
is below ``suspect_window_db`` (the threshold, default 6 dB) or below the limit; (2) every
emission over the limit: the worst point of each settle group (as for ``needs``) of the
FAIL points (measurements and lower bounds over the limit), whatever the threshold; (3) per
trace, local maxima of (level - limit) with a prominence of at least
:data:`PEAK_EXCURSION_DB` (the analyser "peak excursion"), plus the trace's worst point,
whose margin is below the threshold, except FAIL points (shown by (2) as their group's worst
point). An upper bound over the limit proves no emission over it: it is a suspect by (1) or
(3), and ``needs`` names every such group. One per (line, frequency); capped at N
(``max_suspects``) per capture in this order: each line's worst point (1), then the FAIL
emissions (2), then the others (3), each worst first (smallest margin, the lowest frequency
among ties); the table is listed worst first.

References
----------
CISPR 16-1-1 (detector definitions and bandwidths); 47 CFR 15.35(a)-(b); standards.md
sections 2c, 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._suspects import (
    EPS_DB,
    PEAK_EXCURSION_DB,
    Intervals,
    _candidates,  # noqa: F401  (re-exported: the peak rule, tests/test_perf_equivalence.py)
    _cells,
    _local_step,
    _near,
    _runs,
    _subtract,
    _union,
    line_candidates,
    rank_key,
    select_suspects,
    worst_index,
)
from .capture import Detector, TraceMode
from .errors import AnalysisError
from .limits import LimitTable
from .results import Bound, LineCheck, Suspect, Verdict
from .units import LevelUnit

__all__ = [
    "PEAK_EXCURSION_DB",
    "NARROW_RBW_FACTOR",
    "WIDE_RBW_FACTOR",
    "QP_MIN_DWELL_S",
    "unsettled_reason",
    "under_reading_mode",
    "cispr_rbw_bounds_hz",
    "short_dwell_note",
    "relation",
    "cispr_rbw_hz",
    "CorrectedTrace",
    "LineOutcome",
    "judge_line",
    "select_suspects",
]

#: A trace narrower than this × the CISPR bandwidth may under-read: no upper bound.
NARROW_RBW_FACTOR = 0.8
#: A trace wider than this × the CISPR bandwidth may over-read: no lower bound.
WIDE_RBW_FACTOR = 1.25
#: Shortest quasi-peak dwell per frequency that weights unknown signals correctly. [s]
QP_MIN_DWELL_S = 1.0

_M, _U, _L = Bound.MEASURED, Bound.UPPER, Bound.LOWER
_AV_LINES = (Detector.CISPR_AVERAGE, Detector.AVERAGE)
_TABLE: dict[Detector, dict[str, Bound]] = {
    Detector.PEAK: {"pk": _M, "qp": _U, "av": _U, "rms": _U},
    Detector.QUASI_PEAK: {"pk": _L, "qp": _M, "av": _U},
    Detector.CISPR_AVERAGE: {"pk": _L, "qp": _L, "av": _M},
    Detector.AVERAGE: {"pk": _L, "qp": _L, "av": _M},
    Detector.RMS_AVERAGE: {"pk": _L, "av": _U, "rms": _M},
    Detector.RMS: {"pk": _L, "av": _U, "rms": _M},
    Detector.SAMPLE: {"pk": _L},
    Detector.NORMAL: {"pk": _L},
    Detector.NEGATIVE_PEAK: {"pk": _L},
}


def _column(line_detector: Detector) -> str | None:
    if line_detector is Detector.PEAK:
        return "pk"
    if line_detector is Detector.QUASI_PEAK:
        return "qp"
    if line_detector in _AV_LINES:
        return "av"
    if line_detector in (Detector.RMS_AVERAGE, Detector.RMS):
        return "rms"
    return None


def relation(trace_detector: Detector, line_detector: Detector) -> Bound | None:
    """How a reading with ``trace_detector`` bounds the quantity of a ``line_detector`` line.

    Returns ``Bound.MEASURED``, ``Bound.UPPER``, ``Bound.LOWER`` or None (no bound); see
    the module docstring for the table.
    """
    col = _column(line_detector)
    if col is None:
        return None
    return _TABLE.get(trace_detector, {}).get(col)


def cispr_rbw_hz(freq_hz: NDArray[np.float64]) -> NDArray[np.float64]:
    """CISPR 16-1-1 measurement bandwidth for each frequency (Bands A, B, C/D, E). [Hz]"""
    f = np.asarray(freq_hz, dtype=float)
    return np.select([f < 150e3, f <= 30e6, f <= 1e9], [200.0, 9e3, 120e3], 1e6)


#: CISPR band edges (A/B, B/C, D/E) and the relative tolerance of "at the edge". [Hz]
_BAND_EDGES_HZ = (150e3, 30e6, 1e9)
_EDGE_REL_TOL = 1e-7


def cispr_rbw_bounds_hz(freq_hz: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The (smallest, largest) legitimate CISPR bandwidth at each frequency. [Hz]

    Both are :func:`cispr_rbw_hz` except within :data:`_EDGE_REL_TOL` of a band edge, where
    the bandwidths of both bands meeting there are legitimate (120 kHz and 9 kHz at 30 MHz).
    """
    f = np.asarray(freq_hz, dtype=float)
    small, large = cispr_rbw_hz(f), cispr_rbw_hz(f)
    for e in _BAND_EDGES_HZ:
        at = np.abs(f - e) <= _EDGE_REL_TOL * e
        if at.any():
            pair = cispr_rbw_hz(np.asarray([e * (1 - 1e-3), e * (1 + 1e-3)]))
            small[at], large[at] = float(pair.min()), float(pair.max())
    return small, large


@dataclass(frozen=True, eq=False)
class CorrectedTrace:
    """A trace after the transducer chain, in the limit's unit.

    ``level = convert(reading) + correction_db``. [``unit``] ``dwell_s`` [s], ``settled`` and
    ``mode`` as in :class:`rfcheck.capture.Trace` (see the settling and trace-mode rules in
    the module docstring). ``axis_hz``: the whole trace's frequency axis (points with a finite
    reading) before cropping to the limit ranges, for coverage; None = ``freq_hz``. [Hz]
    """

    name: str
    detector: Detector
    freq_hz: NDArray[np.float64]
    reading: NDArray[np.float64]
    reading_unit: str
    correction_db: NDArray[np.float64]
    level: NDArray[np.float64]
    unit: LevelUnit
    rbw_hz: float | None = None
    dwell_s: float | None = None
    settled: bool | None = None
    mode: TraceMode = TraceMode.UNKNOWN
    axis_hz: NDArray[np.float64] | None = None


#: Trace modes that can under-read (readings lower bounds only; module docstring).
UNDER_READING_MODES = (TraceMode.MIN_HOLD, TraceMode.AVERAGE)


def under_reading_mode(t: CorrectedTrace) -> str | None:
    """Why ``t``'s trace mode may under-read (its readings lower bounds only), or None."""
    if t.mode in UNDER_READING_MODES:
        return (
            f"trace mode {t.mode.value} can under-read intermittent emissions (not a max-hold)"
        )
    return None


def unsettled_reason(t: CorrectedTrace) -> str | None:
    """Why ``t``'s detector may not have settled (its readings lower bounds only), or None."""
    dwell = "unknown" if t.dwell_s is None else f"{t.dwell_s:.3g} s"
    if t.settled is False:
        return f"the {t.detector.value} detector may not have settled (dwell {dwell})"
    return None


def short_dwell_note(t: CorrectedTrace) -> str | None:
    """A caution for a quasi-peak trace measured with a dwell below :data:`QP_MIN_DWELL_S`.

    The instrument's QP reading is still taken as the QP measurement (the receiver applied
    its own QP weighting; for steady emissions a short dwell reads correctly), but the report
    says that intermittent or low-PRF emissions may read low at that dwell.
    """
    if (
        t.settled is None and t.detector is Detector.QUASI_PEAK
        and t.dwell_s is not None and t.dwell_s < QP_MIN_DWELL_S
    ):
        return (
            f"quasi-peak dwell {t.dwell_s:.3g} s is shorter than the {QP_MIN_DWELL_S:g} s "
            "recommended for unknown signals (pulses down to 5 Hz; standards.md §5): "
            "intermittent or low-PRF emissions may read low"
        )
    return None


@dataclass(frozen=True)
class LineOutcome:
    """A judged line: the check plus its suspect candidates and notes."""

    check: LineCheck
    candidates: tuple[Suspect, ...]
    warnings: tuple[str, ...]


def _axis_classes(
    t: CorrectedTrace, f: NDArray[np.float64], definitive: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The trace's whole axis and, per axis point, whether its cell is definitive coverage.

    ``f`` are the line's in-range points, ``definitive`` their measured/upper flags. Cells
    are cut on the whole axis (so a line's edge inside a sweep is no gap); a point outside
    the line's range is classified like the nearest in-range point (only the sliver of its
    cell inside the range survives the clipping).
    """
    axis = t.axis_hz
    if axis is None or axis.shape[0] < f.shape[0] or not np.isin(f, axis).all():
        return f, definitive
    j = np.clip(np.searchsorted(f, axis), 1, max(f.shape[0] - 1, 1))
    left = np.minimum(j - 1, f.shape[0] - 1)
    right = np.minimum(j, f.shape[0] - 1)
    near = np.where(np.abs(axis - f[left]) <= np.abs(f[right] - axis), left, right)
    return axis, definitive[near]


def _fmt_mhz(hz: float) -> str:
    return f"{hz / 1e6:.6g} MHz"


def _fmt_range(a: float, b: float) -> str:
    return f"{a / 1e6:.6g}-{b / 1e6:.6g} MHz"


def judge_line(
    table: LimitTable,
    line: str,
    traces: list[CorrectedTrace],
    distance_m: float | None = None,
    *,
    suspect_window_db: float = 6.0,
    required_to_hz: float | None = None,
) -> LineOutcome | None:
    """Judge one limit line over all traces of a capture.

    Parameters
    ----------
    table : LimitTable
    line : str
        Line name (``QP``).
    traces : list of CorrectedTrace
        Levels already in ``table.unit``. [dBµV or dBµV/m]
    distance_m : float, optional
        Measurement distance (radiated limits re-expressed by 15.31(f)). [m]
    suspect_window_db : float
        Suspect threshold on the margin. [dB]
    required_to_hz : float, optional
        The line is required only up to here (47 CFR 15.33(b)(1)): no range above it counts
        as not evaluated; points above it are still judged. None: the whole line. [Hz]

    Returns
    -------
    LineOutcome or None
        None when no trace has a point inside the line's range (not evaluated at all).

    Raises
    ------
    AnalysisError
        Every trace overlapping the line has an unknown detector.
    """
    spec = table.line(line)
    lo, hi = table.line_range(line)
    line_iv = [(lo, min(hi, required_to_hz))] if required_to_hz is not None else [(lo, hi)]
    line_iv = [(a, b) for a, b in line_iv if b >= a]  # empty: nothing of the line required
    in_range = {id(t): np.isfinite(table.level_at(line, t.freq_hz)) for t in traces}
    overlapping = [t for t in traces if in_range[id(t)].any()]
    if not overlapping:
        return None
    det_name = spec.detector.value
    warnings: list[str] = []
    if all(t.detector is Detector.UNKNOWN for t in overlapping):
        names = ", ".join(t.name or "1" for t in overlapping)
        raise AnalysisError(
            f"the detector of trace(s) {names} is unknown, so no bound on the {line} "
            f"({det_name}) limit can be drawn; state it with --detector"
        )
    # Per-trace points inside the range, with their relation.
    pts = []
    for t in overlapping:
        rel = relation(t.detector, spec.detector)
        if rel is None:
            if t.detector is Detector.UNKNOWN:
                warnings.append(f"trace {t.name or '1'}: unknown detector, ignored for {table.id} {line}")
            continue
        m = in_range[id(t)]
        f = t.freq_hz[m]
        rels = np.full(f.shape, {_M: 0, _U: 1, _L: 2}[rel])
        warnings.extend(_demote(t, f, rels, f"{table.id} {line}"))
        limit = table.level_at(line, f, distance_m)
        pts.append((t, m, f, rels, limit, limit - t.level[m]))
    if not pts:
        dets = ", ".join(sorted({t.detector.value for t in overlapping}))
        needs = f"{det_name} measurement over {_fmt_range(lo, hi)} (trace detector(s) {dets} give no bound)"
        chk = LineCheck(table.id, line, det_name, Verdict.INCONCLUSIVE, None, None, None, needs,
                        (), tuple(line_iv))
        return LineOutcome(chk, (), tuple(warnings))

    # Coverage and settling.
    def_cov: Intervals = []
    any_cov: Intervals = []
    for t, _m, f, rels, _lim, _mar in pts:
        axis, definitive = _axis_classes(t, f, (rels == 0) | (rels == 1))
        cell_lo, cell_hi = _cells(axis, t.rbw_hz)
        any_cov += _runs(cell_lo, cell_hi, np.ones(axis.shape, dtype=bool))
        def_cov += _runs(cell_lo, cell_hi, definitive)
    any_cov = _union([(max(a, lo), min(b, hi)) for a, b in any_cov if b >= lo and a <= hi])
    def_cov = _union([(max(a, lo), min(b, hi)) for a, b in def_cov if b >= lo and a <= hi])
    not_eval = _subtract(line_iv, any_cov)
    lower_only = _subtract(any_cov, def_cov)

    measured = [(f[rels == 0], t.rbw_hz) for t, _m, f, rels, _l, _x in pts if (rels == 0).any()]
    # Upper bounds at or below the limit, per trace: a tighter upper bound from another trace
    # (e.g. a QP reading under an AV limit) settles a looser one (a peak prescan) above it.
    passing_upper = [
        (id(t), f[sel], t.rbw_hz)
        for t, _m, f, rels, _l, mar in pts
        if (sel := (rels == 1) & (mar >= -EPS_DB)).any()
    ]
    rows = []  # (trace, idx-in-trace-mask, freq, margin, limit, rel code, superseded)
    for t, m, f, rels, limit, margin in pts:
        step = _local_step(f)
        covered = np.zeros(f.shape, dtype=bool)
        for fm, rbw_m in measured:
            covered |= _near(f, fm, np.maximum((rbw_m or 0.0) / 2.0, step / 2.0))
        bounded = np.zeros(f.shape, dtype=bool)
        for owner, fu, rbw_u in passing_upper:
            if owner != id(t):
                bounded |= _near(f, fu, np.maximum((rbw_u or 0.0) / 2.0, step / 2.0))
        superseded = np.where(
            rels == 1, covered | (bounded & (margin < -EPS_DB)), (rels == 2) & covered & (margin >= -EPS_DB)
        )
        superseded |= rels == -1
        rows.append((t, m, f, margin, limit, rels, superseded))

    def cat(i: int) -> NDArray[np.float64]:
        return np.concatenate([r[i] for r in rows])

    f_all, mar_all, rel_all = cat(2), cat(3), cat(5)
    sup_all = np.concatenate([r[6] for r in rows]).astype(bool)
    fail = ((rel_all == 0) | (rel_all == 2)) & (mar_all < -EPS_DB)
    unresolved = (rel_all == 1) & ~sup_all & (mar_all < -EPS_DB)
    lower_pts_only = np.zeros(f_all.shape, dtype=bool)
    for a, b in lower_only:
        lower_pts_only |= (f_all >= a) & (f_all <= b) & ((rel_all == 2) | (rel_all == -1))
    step_all = np.concatenate([_local_step(r[2]) for r in rows])
    code_bound = {0: _M, 1: _U, 2: _L}
    if fail.any():
        verdict = Verdict.FAIL
        pick = fail
    elif unresolved.any() or (lower_only and lower_pts_only.any()):
        verdict = Verdict.INCONCLUSIVE
        pick = ((rel_all == 0) | (rel_all == 1)) & ~sup_all
        if not pick.any():
            pick = rel_all == 2
    else:
        verdict = Verdict.PASS
        pick = ((rel_all == 0) | (rel_all == 1)) & ~sup_all
    idx = np.flatnonzero(pick)
    worst_m: float | None = None
    worst_f: float | None = None
    worst_b: Bound | None = None
    k: int | None = None
    if idx.shape[0]:
        k = worst_index(f_all, mar_all, idx)
        worst_m, worst_f, worst_b = float(mar_all[k]), float(f_all[k]), code_bound[int(rel_all[k])]

    if worst_m is None and (rel_all == -1).any():  # dropped bounds only: indicative numbers
        kd = worst_index(f_all, mar_all, np.flatnonzero(rel_all == -1))
        warnings.append(
            f"{table.id} {line}: no reading bounds the {det_name} level; closest reading to the "
            f"limit (indicative only, not a bound): margin {float(mar_all[kd]):.2f} dB at "
            f"{_fmt_mhz(float(f_all[kd]))}"
        )
    needs = ""
    if verdict is Verdict.INCONCLUSIVE:
        parts = []
        if unresolved.any():
            groups = _groups(f_all, mar_all, unresolved, step_all)
            shown = ", ".join(_fmt_mhz(float(f_all[g])) for g in groups[:5])
            more = f" (+{len(groups) - 5} more)" if len(groups) > 5 else ""
            parts.append(f"{det_name} measurement at {shown}{more}")
        if lower_only and lower_pts_only.any():
            parts.append(
                f"{det_name} measurement over "
                + ", ".join(_fmt_range(a, b) for a, b in lower_only)
                + " (only lower bounds there)"
            )
        needs = "; ".join(parts)

    check = LineCheck(
        limit_id=table.id, line=line, detector=det_name, verdict=verdict,
        worst_margin_db=worst_m, worst_frequency_hz=worst_f, worst_bound=worst_b, needs=needs,
        evaluated_hz=tuple(any_cov), not_evaluated_hz=tuple(not_eval),
    )
    cands = line_candidates(table, line, det_name, rows, lower_only, suspect_window_db,
                            worst=k, fail_groups=_groups(f_all, mar_all, fail, step_all))
    return LineOutcome(check, tuple(cands), tuple(warnings))


def _groups(
    f: NDArray[np.float64], margin: NDArray[np.float64], mask: NDArray[np.bool_], step: NDArray[np.float64]
) -> list[int]:
    """Where to measure so every flagged point is settled, worst first (indices into ``f``).

    Greedy, worst point first: a measurement at the worst remaining point f_0 in the CISPR
    bandwidth B settles every flagged point within max(B(f_0) / 2, step / 2) of it (the
    settle rule of :func:`judge_line`, ``step`` = each point's local grid step); repeat on
    what is left. Each returned point is the worst of its group (smallest margin, the lowest
    frequency among ties).
    """
    idx = np.flatnonzero(mask)
    if idx.shape[0] == 0:
        return []
    order = idx[np.argsort(f[idx], kind="stable")]
    fs, ms, half = f[order], rank_key(margin[order]), step[order] / 2.0
    reach = float(half.max())
    left = np.ones(fs.shape, dtype=bool)
    out: list[int] = []
    for k in np.argsort(ms, kind="stable").tolist():
        if not left[k]:
            continue
        f0 = float(fs[k])
        r = float(cispr_rbw_hz(np.asarray([f0]))[0]) / 2.0
        a = int(np.searchsorted(fs, f0 - max(r, reach), side="left"))
        b = int(np.searchsorted(fs, f0 + max(r, reach), side="right"))
        left[a:b] &= np.abs(fs[a:b] - f0) > np.maximum(r, half[a:b])
        left[k] = False
        out.append(int(order[k]))
    return out


def _demote(t: CorrectedTrace, f: NDArray[np.float64], rels: NDArray[np.int_], where: str) -> list[str]:
    """Apply the bandwidth and settling rules to ``rels`` in place; return the warnings.

    Codes: 0 measured, 1 upper, 2 lower, -1 a dropped bound (still coverage).
    """
    name = t.name or "1"
    warnings = []
    if t.rbw_hz is not None:
        small, large = cispr_rbw_bounds_hz(f)  # differ only at a band edge
        narrow = t.rbw_hz < NARROW_RBW_FACTOR * small
        if (narrow & ((rels == 0) | (rels == 1))).any():
            rels[narrow & (rels == 1)] = -1
            rels[narrow & (rels == 0)] = 2
            warnings.append(
                f"trace {name}: RBW {t.rbw_hz:g} Hz is narrower than the CISPR "
                f"bandwidth over part of {where}; not used as an upper bound there"
            )
        wide = t.rbw_hz > WIDE_RBW_FACTOR * large
        if (wide & ((rels == 0) | (rels == 2))).any():
            rels[wide & (rels == 2)] = -1
            rels[wide & (rels == 0)] = 1
            warnings.append(
                f"trace {name}: RBW {t.rbw_hz:g} Hz is wider than {WIDE_RBW_FACTOR:g} × the CISPR "
                f"bandwidth over part of {where}; only an upper bound there (may over-read "
                "broadband emissions)"
            )
    reason = unsettled_reason(t)
    if reason is not None:
        rels[rels == 1] = -1
        rels[rels == 0] = 2
        warnings.append(f"trace {name}: {reason}; readings may be low: used as lower bounds only")
    mode = under_reading_mode(t)
    if mode is not None:
        rels[rels == 1] = -1
        rels[rels == 0] = 2
        warnings.append(f"trace {name}: {mode}; readings may be low: used as lower bounds only")
    note = short_dwell_note(t)
    if note is not None:
        warnings.append(f"trace {name}: {note}")
    return warnings
