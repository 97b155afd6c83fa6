"""Judge one limit line over the corrected traces that reach it.

:func:`judge_line` reads as its steps: the line's points, their bounds and what settles them
(:mod:`rfcheck.verdict.points`, :mod:`rfcheck.verdict.bounds`), coverage
(:mod:`rfcheck.verdict.coverage`), the decision, the worst point, ``needs`` and the
suspect candidates (:mod:`rfcheck.verdict.suspects`). The rules are stated in
``docs/verdict.md``; :func:`rfcheck.verdict.judge.judge_pool` runs it for every line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector
from ..errors import AnalysisError
from ..frequency import format_mhz, format_mhz_range
from ..limits import LimitTable, LineSpec
from ..limits.model import within
from ..outcome import Bound, Verdict, round_margin
from ..results import LineCheck, Suspect
from .bounds import CODE_LOWER, CODE_MEASURED, CODE_NONE, CODE_UPPER, BoundCode, relation
from .coverage import (
    Intervals,
    LineCoverage,
    beyond_upper,
    clip,
    judged_range,
    line_coverage,
    near,
    union,
)
from .decision import SIMPLE, DecisionRule, RuleKind
from .points import TracePoints, bounded_points, supersede
from .pool import Decision as _Decision
from .pool import Pool as _Pool
from .pool import decide as _decide
from .pool import pooled as _pooled
from .pool import unresolved_under_rule as _unresolved_under_rule
from .rule import (
    effective_margins_db,
    rule_at_point,
    rule_fails,
    rule_line_verdict,
    rule_suspects,
)
from .settling_needs import assumed_dwell_max_s, dwell_shortfall_max_s, record_shortfall_s
from .suspects import EPS_DB, line_candidates, settle_groups, worst_index
from .traces import CorrectedTrace

#: TracePoints lives in :mod:`.points`; named here too, where it was first defined.
__all__ = ["LineOutcome", "TracePoints", "judge_line"]

_M, _U, _L, _N = CODE_MEASURED, CODE_UPPER, CODE_LOWER, CODE_NONE


@dataclass(frozen=True)
class LineOutcome:
    """A judged line: the check plus its suspect candidates and notes.

    ``check`` is None when every reading lies beyond the range the line is required over
    (47 CFR 15.33(b)(1)) and none is over the limit: the line is not judged, only noted.
    """

    check: LineCheck | None
    candidates: tuple[Suspect, ...]
    warnings: tuple[str, ...]


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
    return within(f, *range_hz)


def _check_detectors(line: str, spec: LineSpec, overlapping: list[CorrectedTrace]) -> None:
    """Refuse a line every overlapping trace of which has an unknown detector."""
    if all(t.detector is Detector.UNKNOWN for t in overlapping):
        names = ", ".join(t.name or "1" for t in overlapping)
        raise AnalysisError(
            f"the detector of trace(s) {names} is unknown, so no bound on the {line} "
            f"({spec.detector.value}) limit can be drawn; state it with --detector"
        )


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
    wide = decision.unresolved & pool.wide()
    if (decision.unresolved & ~wide).any():
        at = decision.unresolved & ~wide
        groups = settle_groups(pool.freq_hz, pool.margin_db, at, pool.bandwidth_hz)
        freqs = tuple(float(pool.freq_hz[g]) for g in groups)
        shown = ", ".join(format_mhz(f) for f in freqs[:5])
        more = f" (+{len(freqs) - 5} more)" if len(freqs) > 5 else ""
        parts.append(f"{det_name} measurement at {shown}{more}")
    lo_b, hi_b = pool.span_lo_hz[wide].tolist(), pool.span_hi_hz[wide].tolist()
    buckets = union(list(zip(lo_b, hi_b, strict=True)))
    if buckets:
        shown = ", ".join(format_mhz_range(a, b) for a, b in buckets[:5])
        more = f" (+{len(buckets) - 5} more)" if len(buckets) > 5 else ""
        parts.append(
            f"{det_name} measurement across {shown}{more} (a swept peak reading's bucket, "
            "wider than one receiver passband: the emission may lie anywhere in it; or a "
            "finer peak scan there)"
        )
    ranges: tuple[tuple[float, float], ...] = tuple(buckets)
    if decision.lower_only_pts:
        ranges = tuple(union([*ranges, *((float(a), float(b)) for a, b in lower_only)]))
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


def _within_required(ranges: Intervals, required_to_hz: float | None) -> Intervals:
    """Return the part of ``ranges`` up to the 15.33(b)(1) upper frequency [Hz].

    A range reaching past it (a sweep's last cell runs RBW / 2 beyond it) is cut at its end;
    a range wholly beyond it is required of no one and asks for nothing.
    """
    if required_to_hz is None:
        return ranges
    return [(a, b) for a, b in clip(ranges, -np.inf, required_to_hz) if b > a]


def _beyond_note(
    where: str,
    pool: _Pool,
    beyond: NDArray[np.bool_],
    decision: _Decision,
    covered: Intervals,
    required_to_hz: float,
) -> str:
    """Say what was measured beyond the required range and what it did to the verdict."""
    upper = format_mhz(required_to_hz)
    fails = np.flatnonzero(decision.fail & beyond)
    if fails.size:
        k = worst_index(pool.freq_hz, pool.margin_db, fails)
        return (
            f"{where}: reading over the limit beyond the required range, at "
            f"{format_mhz(float(pool.freq_hz[k]))} (margin "
            f"{round_margin(float(pool.margin_db[k])):.2f} dB): the line is required only up to "
            f"{upper} (47 CFR 15.33(b)(1)), but a reading over the limit is judged all the same"
        )
    span = [(a, b) for a, b in clip(covered, required_to_hz, np.inf) if b > a]
    f = pool.freq_hz[beyond]
    lo, hi = (span[0][0], span[-1][1]) if span else (float(f.min()), float(f.max()))
    shown = format_mhz(lo) if hi <= lo else format_mhz_range(lo, hi)
    note = (
        f"{where}: measured beyond the required range: {shown}, not required by 47 CFR "
        f"15.33(b)(1) (required up to {upper}); judged there only for readings over the "
        "limit: none"
    )
    # upper bounds over the limit there, or readings bounding nothing, that no reading
    # settles: said, not settled (a measurement at that frequency settles them)
    over = beyond & (pool.margin_db < -EPS_DB) & (pool.bound != _M)
    unsettled = np.flatnonzero(over & ~_settled(pool))
    if unsettled.size:
        k = worst_index(pool.freq_hz, pool.margin_db, unsettled)
        note += (
            f" (a reading that does not measure the level is over it at "
            f"{format_mhz(float(pool.freq_hz[k]))}: not settled, as nothing there is required)"
        )
    return note


def _settled(pool: _Pool) -> NDArray[np.bool_]:
    """Return the readings not measuring the level that another reading settles.

    An upper bound another trace's reading supersedes (a measurement within its reach, or a
    tighter bound: :func:`~rfcheck.verdict.points.supersede`), and a reading that bounds
    nothing with a measurement within half the line's CISPR bandwidth of it.
    """
    settled: NDArray[np.bool_] = pool.superseded & (pool.bound == _U)
    measured = np.sort(pool.freq_hz[pool.bound == _M])
    if measured.size:
        near_one = near(pool.freq_hz, measured, pool.bandwidth_hz / 2.0)
        settled = settled | ((pool.bound == _N) & near_one)
    return settled


def _dropped_only_warning(where: str, det_name: str, pool: _Pool) -> str | None:
    """For a line no reading bounds: the closest reading to the limit, as indicative only."""
    dropped = pool.bound == _N
    if not dropped.any():
        return None
    kd = worst_index(pool.freq_hz, pool.margin_db, np.flatnonzero(dropped))
    margin_db = round_margin(float(pool.margin_db[kd]))
    return (
        f"{where}: no reading bounds the {det_name} level; closest reading to the "
        f"limit (indicative only, not a bound): margin {margin_db:.2f} dB at "
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
    in_range = _in_range(table, line, traces, range_hz)
    overlapping = [t for t in traces if in_range[id(t)].any()]
    if not overlapping:
        return None
    _check_detectors(line, spec, overlapping)
    warnings: list[str] = []
    drafts = bounded_points(table, line, spec, overlapping, in_range, distance_m, warnings)
    if not drafts:
        return _no_bound_outcome(table, line, det_name, overlapping, (lo, hi), required, warnings)
    cov = line_coverage(drafts, lo, hi, required)
    if range_hz is not None:
        cov = cov.within(*range_hz)
    covered = cov.covered
    cov = replace(cov, lower_only=_within_required(cov.lower_only, required_to_hz))
    rows = supersede(drafts, lo, hi)
    pool = _Pool.of(rows, lo, hi)
    beyond = beyond_upper(pool.freq_hz, required_to_hz)
    decision = _decide_measured(pool, cov, beyond)
    where = f"{table.id} {line}"
    if required_to_hz is not None and beyond.any():
        warnings.append(_beyond_note(where, pool, beyond, decision, covered, required_to_hz))
        if beyond.all() and not decision.fail.any() and not required:
            return LineOutcome(None, (), tuple(warnings))  # nothing of the line is required
    limits = _pooled([r.limit for r in rows])
    # beyond the range only a reading over the limit that the rule fails too counts
    over_beyond = decision.fail & beyond
    counted_beyond = rule_fails(
        rule,
        table.port,
        u_lab_db,
        pool.freq_hz,
        pool.margin_db,
        limits,
        pool.bound,
        over_beyond,
        warnings,
    )
    # each point's margin as the rule judges it, once: for the worst point and for needs
    effective = (
        None
        if rule.kind is RuleKind.SIMPLE
        else effective_margins_db(rule, table.port, u_lab_db, pool.freq_hz, pool.margin_db)
    )
    k = _worst_point(pool, decision, where, det_name, warnings)
    if k is not None and effective is not None:
        k = _worst_under_rule(pool, decision, beyond, counted_beyond, effective)
    verdict, at_rule = _under_rule(
        decision,
        pool,
        limits,
        k,
        beyond,
        counted_beyond,
        rule=rule,
        port=table.port,
        u_lab_db=u_lab_db,
        notes=warnings,
    )
    judged = _judged_traces(rows, spec)
    # a FAIL stands whatever the dwell (a reading that has not settled reads low)
    assumed_s = None if verdict is Verdict.FAIL else assumed_dwell_max_s(_measuring(rows, spec))
    record_s = record_shortfall_s(judged)
    dwell_s = None if record_s is not None else dwell_shortfall_max_s(judged)
    unsettled = decision._replace(
        verdict=verdict,
        unresolved=_unresolved_under_rule(pool, decision, beyond, effective),
    )
    needs, needs_hz, needs_ranges_hz = _needs(
        det_name, pool, unsettled, cov.lower_only, record_s, dwell_s
    )
    check = LineCheck(
        limit_id=table.id,
        line=line,
        detector=det_name,
        verdict=verdict,
        worst_margin_db=None if k is None else float(pool.margin_db[k]),
        worst_frequency_hz=None if k is None else float(pool.freq_hz[k]),
        worst_bound=None if k is None else BoundCode(int(pool.bound[k])).bound,
        needs=needs,
        needs_hz=needs_hz,
        needs_ranges_hz=needs_ranges_hz,
        needs_record_s=record_s if needs else None,
        needs_dwell_s=dwell_s if needs else None,
        assumed_dwell_s=assumed_s,
        evaluated_hz=tuple(cov.covered),
        not_evaluated_hz=tuple(cov.not_evaluated),
        rule_shift_db=None if at_rule is None else at_rule[0],
        effective_margin_db=None if at_rule is None else at_rule[1],
    )
    cands = _candidates(table, line, rows, pool, decision, cov, suspect_window_db, k)
    # beyond the required range only an exceedance is a finding
    past = beyond_upper(np.array([c.frequency_hz for c in cands], dtype=float), required_to_hz)
    cands = [c for c, b in zip(cands, past, strict=True) if not b or c.verdict is Verdict.FAIL]
    return LineOutcome(check, rule_suspects(cands, rule, table.port, u_lab_db), tuple(warnings))


def _under_rule(
    decision: _Decision,
    pool: _Pool,
    limits: NDArray[np.float64],
    k: int | None,
    beyond: NDArray[np.bool_],
    counted_beyond: NDArray[np.bool_],
    *,
    rule: DecisionRule,
    port: str,
    u_lab_db: float | None,
    notes: list[str],
) -> tuple[Verdict, tuple[float, float] | None]:
    """Return the line's verdict under ``rule`` and the rule's shift and margin at point ``k``.

    :func:`~rfcheck.verdict.rule.rule_line_verdict` over the pooled points inside the
    required range (``limits`` their limit values), from the verdict there; a point
    ``beyond`` it counts only when it is over the limit (a measurement or a lower bound) and
    the rule fails it too (``counted_beyond``, :func:`~rfcheck.verdict.rule.rule_fails`):
    nothing there is required, so a rule never fails a reading under the limit there (a
    reading 1.98 dB under it once FAILed the line, unnamed), nor is a reading there judged
    harder than inside the range (a guard band's INCONCLUSIVE band).
    Then :func:`~rfcheck.verdict.rule.rule_at_point` at the worst point (None without one). [dB]
    """
    inside = ~beyond
    verdict = rule_line_verdict(
        decision.within,
        pool.freq_hz[inside],
        pool.margin_db[inside],
        limits[inside],
        pool.bound[inside],
        pool.superseded[inside],
        rule=rule,
        port=port,
        u_lab_db=u_lab_db,
        notes=notes,
    )
    if (decision.fail & beyond).any():
        if counted_beyond.any():
            verdict = Verdict.FAIL
        else:
            notes.append(
                f"decision rule {rule.text}: the readings over the limit beyond the required "
                "range are not failed by the rule (undecided there), and nothing there is "
                "required: they do not change the line's verdict"
            )
    if k is None:
        return verdict, None
    at_rule = rule_at_point(
        rule,
        port,
        u_lab_db,
        float(pool.freq_hz[k]),
        float(pool.margin_db[k]),
        float(limits[k]),
        BoundCode(int(pool.bound[k])).bound,
    )
    return verdict, at_rule


def _in_range(
    table: LimitTable,
    line: str,
    traces: list[CorrectedTrace],
    range_hz: tuple[float, float] | None,
) -> dict[int, NDArray[np.bool_]]:
    """Return each trace's points (by ``id``) where the line is defined, inside ``range_hz``."""
    return {
        id(t): np.isfinite(table.level_at(line, t.freq_hz)) & _inside(t.freq_hz, range_hz)
        for t in traces
    }


def _decide_measured(pool: _Pool, cov: LineCoverage, beyond: NDArray[np.bool_]) -> _Decision:
    """:func:`_decide`, with no worst point picked for an INCOMPLETE line nothing measured."""
    decision = _decide(pool, cov, beyond)
    if decision.verdict is Verdict.INCOMPLETE and not cov.covered:
        decision = decision._replace(pick=np.zeros_like(decision.pick))  # nothing measured
    return decision


def _worst_point(
    pool: _Pool, decision: _Decision, where: str, det_name: str, warnings: list[str]
) -> int | None:
    """Index of the worst picked point; None (and the dropped-only note) when none is picked."""
    idx = np.flatnonzero(decision.pick)
    measured = pool.bound == _M
    k = worst_index(pool.freq_hz, pool.margin_db, idx, measured) if idx.shape[0] else None
    if k is None:
        note = _dropped_only_warning(where, det_name, pool)
        if note is not None:
            warnings.append(note)
    return k


def _worst_under_rule(
    pool: _Pool,
    decision: _Decision,
    beyond: NDArray[np.bool_],
    counted_beyond: NDArray[np.bool_],
    effective: NDArray[np.float64],
) -> int:
    """Index of the picked point the rule judges worst (the smallest ``effective`` margin).

    ``effective``: each point's margin as the rule judges it
    (:func:`~rfcheck.verdict.rule.effective_margins_db`). Beyond the required range only the
    readings that count (``counted_beyond``: over the limit and failed by the rule too)
    compete, by their measured margin.
    """
    counted = decision.pick & (~beyond | counted_beyond)
    if not counted.any():  # only uncounted failures beyond: the readings inside the range
        counted = pool.definitive() & ~beyond
    idx = np.flatnonzero(counted if counted.any() else decision.pick)
    effective = np.where(beyond, pool.margin_db, effective)
    return worst_index(pool.freq_hz, effective, idx, pool.bound == _M)


def _judged_traces(rows: Sequence[TracePoints], spec: LineSpec) -> list[CorrectedTrace]:
    """Return the traces whose record length and dwell the line's ``needs`` speaks of.

    Those with the line's own detector when there are some, else every trace.
    """
    return _measuring(rows, spec) or [r.trace for r in rows]


def _measuring(rows: Sequence[TracePoints], spec: LineSpec) -> list[CorrectedTrace]:
    """Return the traces whose readings measure the line (its own detector)."""
    return [r.trace for r in rows if relation(r.trace.detector, spec.detector) is Bound.MEASURED]


def _candidates(
    table: LimitTable,
    line: str,
    rows: Sequence[TracePoints],
    pool: _Pool,
    decision: _Decision,
    cov: LineCoverage,
    suspect_window_db: float,
    k: int | None,
) -> list[Suspect]:
    """Return the line's suspect candidates (:func:`line_candidates`).

    The worst point ``k`` first, and the worst point of each settle group of failing points.
    """
    fail_groups = settle_groups(pool.freq_hz, pool.margin_db, decision.fail, pool.bandwidth_hz)
    return line_candidates(
        table, line, rows, cov.lower_only, suspect_window_db, worst=k, fail_groups=fail_groups
    )
