"""Judge one limit line over the corrected traces that reach it.

:func:`judge_line` reads as its steps: the line's points and their bounds
(:mod:`rfcheck.verdict.bounds`), coverage (:mod:`rfcheck.verdict.coverage`), superseding
(a measurement settles the bounds near it), the decision, the worst point, ``needs`` and the
suspect candidates (:mod:`rfcheck.verdict.suspects`). The rules are stated in
``docs/verdict.md``; :func:`rfcheck.verdict.judge.judge_pool` runs it for every line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector
from ..errors import AnalysisError
from ..explain.decision import SIMPLE, DecisionRule
from ..frequency import format_mhz, format_mhz_range
from ..limits import LimitTable, LineSpec
from ..results import (
    Bound,
    LineCheck,
    Suspect,
    Verdict,
)
from .bounds import (
    bound_array,
    demote,
    dwell_shortfall_max_s,
    line_bandwidth_hz,
    record_shortfall_s,
    relation,
)
from .coverage import (
    Intervals,
    LineCoverage,
    judged_range,
    line_coverage,
    local_step,
    near,
)
from .rule import rule_at_point, rule_line_verdict, rule_suspects
from .suspects import EPS_DB, line_candidates, settle_groups, worst_index
from .traces import CorrectedTrace

__all__ = ["LineOutcome", "TracePoints", "judge_line"]

_M, _U, _L, _N = Bound.MEASURED, Bound.UPPER, Bound.LOWER, Bound.NONE


@dataclass(frozen=True, eq=False)
class TracePoints:
    """One trace's points inside a line's range, judged against the line.

    Attributes
    ----------
    trace : CorrectedTrace
    mask : ndarray of bool
        Which of the trace's points these are.
    freq_hz : ndarray of float
        Their frequencies. [Hz]
    margin_db : ndarray of float
        ``limit - level``. [dB]
    limit : ndarray of float
        The line's level at the measurement distance. [the limit's unit]
    bound : ndarray of str
        Each point's :class:`~rfcheck.results.Bound` value after the demotions.
    superseded : ndarray of bool
        Settled by another trace's reading nearby (or a dropped bound): no longer counts.
    """

    trace: CorrectedTrace
    mask: NDArray[np.bool_]
    freq_hz: NDArray[np.float64]
    margin_db: NDArray[np.float64]
    limit: NDArray[np.float64]
    bound: NDArray[np.str_]
    superseded: NDArray[np.bool_]


@dataclass(frozen=True)
class LineOutcome:
    """A judged line: the check plus its suspect candidates and notes."""

    check: LineCheck
    candidates: tuple[Suspect, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class _Pool:
    """Every trace's points of a line, concatenated (the order of the rows)."""

    freq_hz: NDArray[np.float64]
    margin_db: NDArray[np.float64]
    bound: NDArray[np.str_]
    superseded: NDArray[np.bool_]
    step_hz: NDArray[np.float64]
    bandwidth_hz: NDArray[np.float64]

    @classmethod
    def of(cls, rows: Sequence[TracePoints], lo: float, hi: float) -> _Pool:
        f = np.concatenate([r.freq_hz for r in rows])
        return cls(
            freq_hz=f,
            margin_db=np.concatenate([r.margin_db for r in rows]),
            bound=np.concatenate([r.bound for r in rows]),
            superseded=np.concatenate([r.superseded for r in rows]).astype(bool),
            step_hz=np.concatenate([local_step(r.freq_hz) for r in rows]),
            bandwidth_hz=line_bandwidth_hz(f, lo, hi),
        )

    def definitive(self) -> NDArray[np.bool_]:
        """Measurements and upper bounds not superseded."""
        measured_or_upper = (self.bound == _M) | (self.bound == _U)
        return measured_or_upper & ~self.superseded  # type: ignore[no-any-return]


def _line_span(
    table: LimitTable,
    line: str,
    required_to_hz: float | None,
    range_hz: tuple[float, float] | None,
) -> tuple[float, float, Intervals]:
    """Return the line's range and the part of it being judged (:func:`judged_range`) [Hz]."""
    lo, hi = table.line_range(line)
    return lo, hi, judged_range(lo, hi, required_to_hz, range_hz)


def _inside(f: NDArray[np.float64], range_hz: tuple[float, float] | None) -> NDArray[np.bool_]:
    """Return which frequencies lie inside the user's range (all of them without one) [Hz]."""
    if range_hz is None:
        return np.ones(f.shape, dtype=bool)
    return (f >= range_hz[0]) & (f <= range_hz[1])


def _check_detectors(
    table: LimitTable, line: str, spec: LineSpec, overlapping: list[CorrectedTrace]
) -> None:
    """Refuse a line every overlapping trace of which has an unknown detector."""
    if all(t.detector is Detector.UNKNOWN for t in overlapping):
        names = ", ".join(t.name or "1" for t in overlapping)
        raise AnalysisError(
            f"the detector of trace(s) {names} is unknown, so no bound on the {line} "
            f"({spec.detector.value}) limit can be drawn; state it with --detector"
        )


def _bounded_points(
    table: LimitTable,
    line: str,
    spec: LineSpec,
    traces: list[CorrectedTrace],
    in_range: dict[int, NDArray[np.bool_]],
    distance_m: float | None,
    warnings: list[str],
) -> list[TracePoints]:
    """Each related trace's in-range points with their (demoted) bounds, not yet superseded."""
    out = []
    for t in traces:
        rel = relation(t.detector, spec.detector)
        if rel is None:
            if t.detector is Detector.UNKNOWN:
                warnings.append(
                    f"trace {t.name or '1'}: unknown detector, ignored for {table.id} {line}"
                )
            continue
        m = in_range[id(t)]
        f = t.freq_hz[m]
        bounds = bound_array(f.shape[0], rel)
        line_hz = table.line_range(line)
        warnings.extend(demote(t, f, bounds, f"{table.id} {line}", line_hz))
        limit = table.level_at(line, f, distance_m)
        out.append(TracePoints(t, m, f, limit - t.level[m], limit, bounds, np.zeros(f.shape, bool)))
    return out


def _supersede(rows: list[TracePoints]) -> list[TracePoints]:
    """Mark the bounds another trace's reading settles (docs/verdict.md, "At that frequency").

    A measurement within max(its RBW / 2, the bound's step / 2) settles an upper bound, and a
    lower bound at or below the limit; an upper bound at or below the limit from another
    trace settles a looser upper bound above the limit. Dropped bounds never count.
    """
    measured = [(r.freq_hz[r.bound == _M], r.trace.rbw_hz) for r in rows if (r.bound == _M).any()]
    passing_upper = [
        (id(r.trace), r.freq_hz[sel], r.trace.rbw_hz)
        for r in rows
        if (sel := (r.bound == _U) & (r.margin_db >= -EPS_DB)).any()
    ]
    out = []
    for r in rows:
        f, margin, bounds = r.freq_hz, r.margin_db, r.bound
        step = local_step(f)
        covered = np.zeros(f.shape, dtype=bool)
        for fm, rbw_m in measured:
            covered |= near(f, fm, np.maximum((rbw_m or 0.0) / 2.0, step / 2.0))
        bounded = np.zeros(f.shape, dtype=bool)
        for owner, fu, rbw_u in passing_upper:
            if owner != id(r.trace):
                bounded |= near(f, fu, np.maximum((rbw_u or 0.0) / 2.0, step / 2.0))
        superseded = np.where(
            bounds == _U,
            covered | (bounded & (margin < -EPS_DB)),
            (bounds == _L) & covered & (margin >= -EPS_DB),
        )
        superseded |= bounds == _N
        out.append(TracePoints(r.trace, r.mask, f, margin, r.limit, bounds, superseded))
    return out


class _Decision(NamedTuple):
    verdict: Verdict
    pick: NDArray[np.bool_]  #: the points the worst margin is taken from
    fail: NDArray[np.bool_]  #: measurements / lower bounds over the limit
    unresolved: NDArray[np.bool_]  #: upper bounds over the limit nothing settles
    lower_only_pts: bool  #: some lower (or dropped) bound lies in a lower-bound-only range


def _decide(pool: _Pool, cov: LineCoverage) -> _Decision:
    """FAIL, INCONCLUSIVE, INCOMPLETE or PASS over the line (docs/verdict.md, "Per frequency").

    INCOMPLETE: nothing failed or is undecided where measured, but part of the judged range
    was not measured.
    """
    lower_only = cov.lower_only
    f, b, over = pool.freq_hz, pool.bound, pool.margin_db < -EPS_DB
    fail = ((b == _M) | (b == _L)) & over
    unresolved = (b == _U) & ~pool.superseded & over
    in_lower_only = np.zeros(f.shape, dtype=bool)
    for a, z in lower_only:
        in_lower_only |= (f >= a) & (f <= z) & ((b == _L) | (b == _N))
    lower_pts = bool(lower_only) and bool(in_lower_only.any())
    if fail.any():
        return _Decision(Verdict.FAIL, fail, fail, unresolved, lower_pts)
    pick = pool.definitive()
    if unresolved.any() or lower_pts:
        if not pick.any():
            pick = b == _L
        return _Decision(Verdict.INCONCLUSIVE, pick, fail, unresolved, lower_pts)
    verdict = Verdict.INCOMPLETE if cov.not_evaluated else Verdict.PASS
    return _Decision(verdict, pick, fail, unresolved, lower_pts)


def _needs(
    det_name: str,
    pool: _Pool,
    decision: _Decision,
    lower_only: Intervals,
    record_s: float | None = None,
    dwell_s: float | None = None,
) -> tuple[str, tuple[float, ...], tuple[tuple[float, float], ...]]:
    """Say what measurement would settle an INCONCLUSIVE line.

    The sentence (the worst 5 groups, then a count; the first 5 lower-bound-only ranges,
    then a count; then the record length ``record_s`` [s] when a recording too short to
    settle is why, or the dwell per frequency ``dwell_s`` [s] when an instrument's too-short
    dwell is), every frequency [Hz], worst first, and every lower-bound-only range [Hz].
    """
    if decision.verdict is not Verdict.INCONCLUSIVE:
        return "", (), ()
    parts = []
    freqs: tuple[float, ...] = ()
    if decision.unresolved.any():
        groups = settle_groups(
            pool.freq_hz, pool.margin_db, decision.unresolved, pool.step_hz, pool.bandwidth_hz
        )
        freqs = tuple(float(pool.freq_hz[g]) for g in groups)
        shown = ", ".join(format_mhz(f) for f in freqs[:5])
        more = f" (+{len(freqs) - 5} more)" if len(freqs) > 5 else ""
        parts.append(f"{det_name} measurement at {shown}{more}")
    ranges: tuple[tuple[float, float], ...] = ()
    if decision.lower_only_pts:
        ranges = tuple((float(a), float(b)) for a, b in lower_only)
        # dropped bounds only (no lower bound either): say so, as the indicative-only note does
        inside = np.zeros(pool.freq_hz.shape, dtype=bool)
        for a, b in lower_only:
            inside |= (pool.freq_hz >= a) & (pool.freq_hz <= b)
        lower = bool(((pool.bound == _L) & inside).any())
        why = "only lower bounds there" if lower else "no reading bounds it there"
        shown = ", ".join(format_mhz_range(a, b) for a, b in lower_only[:5])
        more = f" (+{len(lower_only) - 5} more)" if len(lower_only) > 5 else ""
        parts.append(f"{det_name} measurement over {shown}{more} ({why})")
    if parts and record_s is not None:
        parts.append(f"a record ≥ {record_s:.3g} s at these frequencies")
    elif parts and dwell_s is not None:
        parts.append(f"a dwell ≥ {dwell_s:.3g} s per frequency")
    return "; ".join(parts), freqs, ranges


def _dropped_only_warning(where: str, det_name: str, pool: _Pool) -> str | None:
    """For a line no reading bounds: the closest reading to the limit, as indicative only."""
    dropped = pool.bound == _N
    if not dropped.any():
        return None
    kd = worst_index(pool.freq_hz, pool.margin_db, np.flatnonzero(dropped))
    return (
        f"{where}: no reading bounds the {det_name} level; closest reading to the "
        f"limit (indicative only, not a bound): margin {float(pool.margin_db[kd]):.2f} dB at "
        f"{format_mhz(float(pool.freq_hz[kd]))}"
    )


def _no_bound_outcome(
    table: LimitTable,
    line: str,
    det_name: str,
    overlapping: list[CorrectedTrace],
    span: tuple[float, float],
    required: Intervals,
    warnings: list[str],
) -> LineOutcome:
    """INCONCLUSIVE: no overlapping trace's detector bounds the line's quantity."""
    dets = ", ".join(sorted({t.detector.value for t in overlapping}))
    needs = (
        f"{det_name} measurement over {format_mhz_range(*span)} "
        f"(trace detector(s) {dets} give no bound)"
    )
    chk = LineCheck(
        table.id,
        line,
        det_name,
        Verdict.INCONCLUSIVE,
        None,
        None,
        None,
        needs,
        (),
        tuple(required),
        needs_ranges_hz=((float(span[0]), float(span[1])),),
    )
    return LineOutcome(chk, (), tuple(warnings))


def judge_line(
    table: LimitTable,
    line: str,
    traces: list[CorrectedTrace],
    distance_m: float | None = None,
    *,
    suspect_window_db: float = 6.0,
    required_to_hz: float | None = None,
    range_hz: tuple[float, float] | None = None,
    rule: DecisionRule = SIMPLE,
    u_lab_db: float | None = None,
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
    range_hz : (float, float), optional
        The range the user judges (``check --range``): only readings inside it are judged
        (verdict, worst margin, suspects), and coverage is counted over the line's range
        intersected with it. [Hz]
    rule : DecisionRule
        The decision rule in force (:mod:`.rule`); ``simple`` leaves the judgement as is.
    u_lab_db : float, optional
        The lab's expanded uncertainty for the line's port (cispr16-4-2). [dB]

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
    det_name = spec.detector.value
    lo, hi, required = _line_span(table, line, required_to_hz, range_hz)
    in_range = {
        id(t): np.isfinite(table.level_at(line, t.freq_hz)) & _inside(t.freq_hz, range_hz)
        for t in traces
    }
    overlapping = [t for t in traces if in_range[id(t)].any()]
    if not overlapping:
        return None
    _check_detectors(table, line, spec, overlapping)
    warnings: list[str] = []
    drafts = _bounded_points(table, line, spec, overlapping, in_range, distance_m, warnings)
    if not drafts:
        return _no_bound_outcome(table, line, det_name, overlapping, (lo, hi), required, warnings)
    cov = line_coverage(drafts, lo, hi, required)
    if range_hz is not None:
        cov = cov.within(*range_hz)
    rows = _supersede(drafts)
    pool = _Pool.of(rows, lo, hi)
    decision = _decide(pool, cov)
    if decision.verdict is Verdict.INCOMPLETE and not cov.covered:
        decision = decision._replace(pick=np.zeros_like(decision.pick))  # nothing measured
    idx = np.flatnonzero(decision.pick)
    k = worst_index(pool.freq_hz, pool.margin_db, idx) if idx.shape[0] else None
    if k is None:
        note = _dropped_only_warning(f"{table.id} {line}", det_name, pool)
        if note is not None:
            warnings.append(note)
    measuring = [r.trace for r in rows if relation(r.trace.detector, spec.detector) is _M]
    judged = measuring or [r.trace for r in rows]
    record_s = record_shortfall_s(judged)
    needs, needs_hz, needs_ranges_hz = _needs(
        det_name, pool, decision, cov.lower_only, record_s, dwell_shortfall_max_s(judged)
    )
    verdict = rule_line_verdict(
        decision.verdict,
        pool.freq_hz,
        pool.margin_db,
        np.concatenate([r.limit for r in rows]),
        pool.bound,
        pool.superseded,
        rule=rule,
        port=table.port,
        u_lab_db=u_lab_db,
        notes=warnings,
    )
    limits = np.concatenate([r.limit for r in rows])
    at_rule = (
        None
        if k is None
        else rule_at_point(
            rule,
            table.port,
            u_lab_db,
            float(pool.freq_hz[k]),
            float(pool.margin_db[k]),
            float(limits[k]),
            Bound(str(pool.bound[k])),
        )
    )
    check = LineCheck(
        limit_id=table.id,
        line=line,
        detector=det_name,
        verdict=verdict,
        worst_margin_db=None if k is None else float(pool.margin_db[k]),
        worst_frequency_hz=None if k is None else float(pool.freq_hz[k]),
        worst_bound=None if k is None else Bound(str(pool.bound[k])),
        needs=needs,
        needs_hz=needs_hz,
        needs_ranges_hz=needs_ranges_hz,
        needs_record_s=record_s if needs else None,
        evaluated_hz=tuple(cov.covered),
        not_evaluated_hz=tuple(cov.not_evaluated),
        rule_shift_db=None if at_rule is None else at_rule[0],
        effective_margin_db=None if at_rule is None else at_rule[1],
    )
    fail_groups = settle_groups(
        pool.freq_hz, pool.margin_db, decision.fail, pool.step_hz, pool.bandwidth_hz
    )
    cands = line_candidates(
        table, line, rows, cov.lower_only, suspect_window_db, worst=k, fail_groups=fail_groups
    )
    return LineOutcome(check, rule_suspects(cands, rule, table.port, u_lab_db), tuple(warnings))
