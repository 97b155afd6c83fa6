"""Explain judged captures: families, attribution, ambient, 15.33(b)(1), from check results.

Works on the public results of the check pipeline (:class:`~rfcheck.results.CaptureResult`:
its suspect rows and corrected plot traces), so ``check`` and the dossier can call
:func:`explain_capture` / :func:`explain_run` on what they already computed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import AnalysisError
from ..outcome import Verdict
from ..plotted import PlotTrace
from ..results import CaptureResult, LineCheck, RunResult, Suspect
from ..verdict.decision import SIMPLE, Decision, DecisionRule, RuleKind, apply_rule, u_cispr_for
from .ambient import (
    DEFAULT_AMBIENT_THRESHOLD_DB,
    AmbientFlag,
    AmbientOutcome,
    ambient_limited_verdict,
    ambient_near_limit_ranges,
    flag_emissions,
)
from .attribution import attribute_one, hz_text
from .clocks import Clock
from .families import Family, FamilyCriteria, clock_families, find_families
from .peaks import emission_peaks, frequency_resolution_hz
from .range_check import check_highest_frequency
from .results import CaptureExplanation, Explanation, RowExplanation

__all__ = [
    "capture_resolution_hz",
    "capture_peaks",
    "lists_every_failure",
    "row_decision",
    "explain_capture",
    "explain_run",
    "no_rows_reason",
]


def capture_resolution_hz(result: CaptureResult, rbw_hz: float | None = None) -> float:
    """Return the coarsest resolution ``max(RBW / 2, step)`` over a capture's traces [Hz]."""
    res = [frequency_resolution_hz(t.freq_hz, rbw_hz) for t in result.plot_traces if len(t.freq_hz)]
    return max(res, default=rbw_hz / 2 if rbw_hz else 0.0)


#: Emissions a capture contributes to the family search (the highest ones): the search
#: grows with the square of their number.
MAX_EMISSIONS = 150


def capture_peaks(
    result: CaptureResult, resolution_hz: float, max_emissions: int = MAX_EMISSIONS
) -> NDArray[np.float64]:
    """Return the emission frequencies of a capture, one per cluster [Hz].

    Every trace of the capture counts; a cluster is ``resolution_hz`` wide and is represented by
    its highest reading; the ``max_emissions`` highest are kept.
    """
    fs, lvs = [], []
    for t in result.plot_traces:
        f, lv = emission_peaks(t.freq_hz, t.level)
        fs.append(f)
        lvs.append(lv)
    if not fs:
        return np.empty(0)
    f, lv = np.concatenate(fs), np.concatenate(lvs)
    order = np.argsort(f, kind="stable")
    f, lv = f[order], lv[order]
    out: list[tuple[float, float]] = []
    start = 0
    for i in range(1, f.size + 1):
        if i == f.size or f[i] - f[i - 1] > resolution_hz:
            j = start + int(np.argmax(lv[start:i]))
            out.append((float(lv[j]), float(f[j])))
            start = i
    out.sort(key=lambda x: (-x[0], x[1]))
    return np.sort(np.asarray([fr for _, fr in out[:max_emissions]]))


def _ambient_traces(ambient: CaptureResult, detector: str, unit: str) -> list[PlotTrace]:
    same = [t for t in ambient.plot_traces if t.detector == detector]
    traces = same or list(ambient.plot_traces)
    for t in traces:
        if t.unit != unit:
            raise AnalysisError(
                f"ambient capture is in {t.unit}, the emissions in {unit}: "
                "take the ambient at the same port with the same transducers",
                ambient.path,
            )
    return traces


def _ambient_flag(
    s: Suspect, ambient: CaptureResult, resolution_hz: float, threshold_db: float
) -> AmbientFlag:
    best: AmbientFlag | None = None
    for t in _ambient_traces(ambient, s.detector, s.unit):
        (flag,) = flag_emissions(
            [s.frequency_hz], [s.level], t.freq_hz, t.level, resolution_hz, threshold_db
        )
        if best is None or (
            flag.ambient_db is not None
            and (best.ambient_db is None or flag.ambient_db > best.ambient_db)
        ):
            best = flag
    assert best is not None  # _ambient_traces returns at least one trace or raises
    return best


def _near_limit(
    result: CaptureResult, ambient: CaptureResult, threshold_db: float
) -> tuple[tuple[float, float], ...]:
    ranges: list[tuple[float, float]] = []
    for lim in result.plot_limits:
        lf, ll = np.asarray(lim.freq_hz, dtype=float), np.asarray(lim.level, dtype=float)
        ok = np.isfinite(lf) & np.isfinite(ll)
        lf, ll = lf[ok], ll[ok]
        if lf.size == 0:
            continue
        for t in ambient.plot_traces:
            if t.unit != lim.unit:
                continue
            f = np.asarray(t.freq_hz, dtype=float)
            limit_at = np.where((f >= lf[0]) & (f <= lf[-1]), np.interp(f, lf, ll), np.nan)
            ranges += ambient_near_limit_ranges(f, t.level, limit_at, threshold_db)
    return tuple(sorted(set(ranges)))


def lists_every_failure(result: CaptureResult) -> bool:
    """Whether a capture's suspect table holds every failing emission.

    The table gives its places first to each line's worst point, then to every FAIL
    candidate, then to the others (``rfcheck.verdict`` suspect selection). So it lists every
    failure when it is not full, or when it holds more non-FAIL rows than there are lines
    (one of them came after all the failures). False when the cap is unknown
    (``result.settings`` without ``max_suspects``).
    """
    cap = result.settings.get("max_suspects")
    rows = result.suspects
    if not isinstance(cap, int):
        return False  # cap unknown (not from run_check): cannot tell
    if len(rows) < cap:
        return True
    lines = {(s.limit_id, s.line) for s in rows}
    return sum(s.verdict is not Verdict.FAIL for s in rows) > len(lines)


def _port(result: CaptureResult, limit_id: str) -> str | None:
    return next((str(d.get("port")) for d in result.limits if d.get("id") == limit_id), None)


#: U_lab [dB]: one value, or looked up by the measurement (``conducted``/``radiated``), as
#: :meth:`rfcheck.settings.CheckSettings.u_lab_for` does from the setup's ``[test] u_lab_db``.
ULab = float | Callable[[str], float | None] | None


def row_decision(
    result: CaptureResult, s: Suspect, rule: DecisionRule, u_lab_db: ULab
) -> Decision | None:
    """Return one suspect row under a decision rule.

    None when cispr16-4-2 has no U_cispr row for its port and frequency. ``u_lab_db`` may be
    a lookup by the row's measurement (the setup's U_lab, when ``--u-lab`` is not given).

    Raises
    ------
    AnalysisError
        cispr16-4-2 without ``u_lab_db``.
    """
    u_cispr = None
    u_lab = None if callable(u_lab_db) else u_lab_db
    if rule.kind is RuleKind.CISPR16_4_2:
        port = _port(result, s.limit_id)
        if callable(u_lab_db):
            u_lab = u_lab_db(port) if port else None
        row = u_cispr_for(port, s.frequency_hz) if port else None
        if row is None:
            if u_lab is None:  # say what is missing first
                apply_rule(rule, s.level, s.limit, s.bound, None, None)
            return None
        u_cispr = row.u_cispr_db
    return apply_rule(rule, s.level, s.limit, s.bound, u_lab, u_cispr)


def explain_capture(
    result: CaptureResult,
    clocks: Sequence[Clock] = (),
    *,
    rbw_hz: float | None = None,
    ambient: CaptureResult | None = None,
    threshold_db: float = DEFAULT_AMBIENT_THRESHOLD_DB,
    criteria: FamilyCriteria | None = None,
    decision_rule: DecisionRule = SIMPLE,
    u_lab_db: ULab = None,
) -> CaptureExplanation:
    """Families, per-row attribution and the ambient for one judged capture.

    Parameters
    ----------
    result : CaptureResult
        From :func:`rfcheck.analysis.run_check` (its suspects and corrected traces).
    clocks : sequence of Clock
        Declared sources (``[[dut.clock]]``).
    rbw_hz : float, optional
        Resolution bandwidth of the capture, when known. [Hz]
    ambient : CaptureResult, optional
        The ambient capture (DUT off) judged at the same port with the same settings.
    threshold_db : float
        Ambient flag threshold. [dB]
    criteria : FamilyCriteria, optional
    decision_rule : DecisionRule
        Applied to every row (:func:`row_decision`).
    u_lab_db : float, optional
        The lab's expanded uncertainty for this port (cispr16-4-2). [dB]

    Raises
    ------
    AnalysisError
        The ambient's level unit differs from the capture's; cispr16-4-2 without U_lab.
    """
    res = capture_resolution_hz(result, rbw_hz)
    declared, inferred = _families(result, res, clocks, criteria)
    rows = []
    for s in result.suspects:
        flag = _ambient_flag(s, ambient, res, threshold_db) if ambient is not None else None
        rows.append(
            RowExplanation(
                s.frequency_hz,
                s.level,
                s.unit,
                s.margin_db,
                s.verdict.value,
                s.limit_id,
                s.line,
                s.bound,
                attribute_one(s.frequency_hz, clocks, res, inferred).candidates,
                flag,
                row_decision(result, s, decision_rule, u_lab_db),
            )
        )
    why = "" if rows else no_rows_reason(result)
    if ambient is None:
        return CaptureExplanation(result.path, res, declared + inferred, tuple(rows), no_rows=why)
    return CaptureExplanation(
        result.path,
        res,
        declared + inferred,
        tuple(rows),
        ambient.path,
        _ambient_outcome(result, rows),
        _near_limit(result, ambient, threshold_db),
        no_rows=why,
    )


def no_rows_reason(result: CaptureResult) -> str:
    """Return why a judged capture has no row in its suspect table.

    A line none of whose readings bounds its level (e.g. an RBW the file does not state:
    ``rfcheck check`` says which in its notes), or none of whose readings lies in its
    required range, has no row to show; otherwise every reading lies further below the limits
    than the suspect window (``suspect_window_db``).
    """
    none = [c for c in result.checks if c.worst_margin_db is None]
    tops = result.required_upper_hz  # readings above count only when over the limit

    def measured_where_required(c: LineCheck) -> bool:
        top = tops.get(c.limit_id, float("inf"))
        return any(min(b, top) > a for a, b in c.evaluated_hz)

    unbounded = [f"{c.limit_id} {c.line}" for c in none if measured_where_required(c)]
    unmeasured = [f"{c.limit_id} {c.line}" for c in none if not measured_where_required(c)]
    reasons = []
    if unbounded:
        reasons.append(
            f"no reading bounds the level of {', '.join(unbounded)} (rfcheck check's notes "
            "say why, e.g. an RBW the file does not state: --rbw)"
        )
    if unmeasured:
        reasons.append(
            f"no reading lies where {', '.join(unmeasured)} must be measured (readings beyond "
            "the range 47 CFR 15.33(b)(1) requires count only when over the limit)"
        )
    window = result.settings.get("suspect_window_db", 6.0)
    if reasons:
        judged = [c for c in result.checks if c.worst_margin_db is not None]
        if judged:  # say that these lines were judged, and how far under
            worst = min(c.worst_margin_db for c in judged if c.worst_margin_db is not None)
            reasons.insert(
                0,
                f"every reading of {', '.join(f'{c.limit_id} {c.line}' for c in judged)} lies "
                f"more than {window:g} dB below its limit (suspect_window_db; worst margin "
                f"{worst:+.2f} dB)",
            )
        return "; ".join(reasons)
    if not result.checks:
        return "no limit line was judged"
    return f"no reading within {window:g} dB of a limit (suspect_window_db)"


def _families(
    result: CaptureResult,
    res: float,
    clocks: Sequence[Clock],
    criteria: FamilyCriteria | None,
) -> tuple[tuple[Family, ...], tuple[Family, ...]]:
    """Return the declared clocks' families and those found in the rest of the peaks.

    ``res`` is the capture's frequency resolution [Hz]; none (0) for a single point without
    RBW, which gets attribution only, at exact frequencies.
    """
    if not res > 0:
        return (), ()
    peaks = capture_peaks(result, res)
    declared = clock_families(peaks, res, clocks)
    rest = np.asarray(
        [f for f in peaks if not any(c.harmonics_near(float(f), res) for c in clocks)]
    )
    return declared, find_families(rest, res, clocks=clocks, criteria=criteria)


def _ambient_outcome(result: CaptureResult, rows: list[RowExplanation]) -> AmbientOutcome:
    """Return the ambient rule's outcome over the failing rows (not applied to a full table)."""
    failing = [r.ambient for r in rows if r.verdict == Verdict.FAIL.value and r.ambient is not None]
    if result.verdict is Verdict.FAIL and not lists_every_failure(result):
        return AmbientOutcome(
            result.verdict,
            note=(
                "ambient rule not applied: the suspect table is full, so it may not list every "
                "failing emission (raise --max-suspects / max_suspects)"
            ),
        )
    return ambient_limited_verdict(result.verdict, failing)


def explain_run(
    run: RunResult,
    clocks: Sequence[Clock] = (),
    *,
    highest_hz: float | None = None,
    rbw_hz: Mapping[str, float | None] | None = None,
    ambient: CaptureResult | None = None,
    threshold_db: float = DEFAULT_AMBIENT_THRESHOLD_DB,
    decision_rule: DecisionRule = SIMPLE,
    u_lab_db: ULab = None,
) -> Explanation:
    """:func:`explain_capture` for every capture that was judged, and the 15.33(b)(1) check.

    Parameters
    ----------
    run : RunResult
    clocks : sequence of Clock
    highest_hz : float, optional
        Declared highest internal frequency (47 CFR 15.33(b)(1)). [Hz]
    rbw_hz : mapping path -> float, optional
        RBW of each capture, when known. [Hz]
    ambient : CaptureResult, optional
    threshold_db : float
        Ambient flag threshold. [dB]
    decision_rule : DecisionRule
        Applied to every row and recorded in the result.
    u_lab_db : float, optional
        The lab's expanded uncertainty (cispr16-4-2). [dB]
    """
    caps = tuple(
        explain_capture(
            c,
            clocks,
            rbw_hz=(rbw_hz or {}).get(c.path),
            ambient=ambient,
            threshold_db=threshold_db,
            decision_rule=decision_rule,
            u_lab_db=u_lab_db,
        )
        for c in run.captures
        if c.verdict is not Verdict.ERROR
    )
    families = [f for c in caps for f in c.families]
    warnings = check_highest_frequency(highest_hz, clocks, families)
    notes: list[str] = []
    if decision_rule.kind is RuleKind.CISPR16_4_2:
        notes.append(
            "decision rule cispr16-4-2: the U_cispr values are UNCONFIRMED (CISPR 16-4-2 table "
            "not verified); verify before relying on the result"
        )
        skipped = sorted({r.frequency_hz for c in caps for r in c.rows if r.decision is None})
        if skipped:
            notes.append(
                "decision rule cispr16-4-2: no U_cispr for "
                + ", ".join(hz_text(f) for f in skipped)
                + " (rows not judged by the rule)"
            )
    return Explanation(caps, tuple(clocks), warnings, decision_rule, tuple(notes))
