"""Judge a pool: every line of every limit table over the pool's corrected traces.

:func:`judge_pool` runs :func:`~rfcheck.verdict.line.judge_line` for each line, adds the
lines no trace reaches (not evaluated), requires some coverage, and gathers the suspects
and what the plots show. The rules are stated in ``docs/verdict.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from ..capture import Trace
from ..errors import AnalysisError, CoverageError
from ..frequency import format_mhz, format_mhz_range
from ..limits import LimitTable
from ..limits.measurement_range import unbounded_note
from ..outcome import Verdict, combine_verdicts
from ..plotted import PlotLimit, PlotTrace
from ..results import LineCheck, Suspect
from ..settings import CheckSettings
from ..units import LevelUnit
from .coverage import beyond_upper, judged_range, subtract
from .decision import RuleKind
from .line import judge_line
from .reads_low import reads_low_reasons
from .suspects import select_suspects
from .traces import CorrectedTrace

__all__ = ["Judged", "judge_pool", "no_overlap"]


def no_overlap(traces: Sequence[Trace], limits: Sequence[LimitTable]) -> CoverageError:
    """Build the usage error for a capture no trace of which reaches any requested limit line."""
    spans = ", ".join(f"{t.start_hz / 1e6:g}-{t.stop_hz / 1e6:g} MHz" for t in traces)
    ranges = ", ".join(
        f"{t.id} {t.range_hz[0] / 1e6:g}-{t.range_hz[1] / 1e6:g} MHz" for t in limits
    )
    return CoverageError(f"no trace ({spans}) overlaps any requested limit line ({ranges})")


class Judged(NamedTuple):
    """What :func:`judge_pool` concludes over one pool of corrected traces.

    The fields it sets on a :class:`CaptureResult`.
    """

    verdict: Verdict
    checks: tuple[LineCheck, ...]
    suspects: tuple[Suspect, ...]
    warnings: tuple[str, ...]
    plot_traces: tuple[PlotTrace, ...]
    plot_limits: tuple[PlotLimit, ...]
    #: limit id -> upper end of the range required by 47 CFR 15.33(b)(1) [Hz]
    required_upper_hz: dict[str, float]


def judge_pool(
    limits: Sequence[LimitTable],
    corrected: dict[LevelUnit, list[CorrectedTrace]],
    settings: CheckSettings,
    warnings: list[str],
) -> Judged | None:
    """Judge every limit line once over a pool of corrected traces.

    Parameters
    ----------
    limits : sequence of LimitTable
    corrected : dict of LevelUnit to list of CorrectedTrace
        The pool, per limit unit (one capture's traces, or every member's).
    settings : CheckSettings
        Distance [m], suspect threshold [dB] and cap.
    warnings : list of str
        Notes so far; the judgement's notes are appended (not modified in place).

    Returns
    -------
    Judged or None
        None when no line is evaluated (no trace reaches any line).

    Raises
    ------
    AnalysisError
        Every trace overlapping a line has an unknown detector.
    """
    warnings = list(warnings)
    checks: list[LineCheck] = []
    candidates: list[Suspect] = []
    plot_limits: list[PlotLimit] = []
    required: dict[str, float] = {}
    read_beyond: list[tuple[LimitTable, float | None]] = []
    unbounded: list[LimitTable] = []  # radiated, judged, not bounded by the highest frequency
    # tables the capture covers none of: a usage error when it covers none of any table; with
    # one covered (CISPR 32's radiated tables below and above 1 GHz) the others are INCOMPLETE,
    # not measured, as the part of one table a capture does not reach
    uncovered: list[CoverageError] = []
    for table in limits:
        _require_u_lab(settings, table.port)
        upper = _table_notes(table, settings, warnings)
        if upper is not None:  # stated in the limit description (CaptureResult.limits)
            required[table.id] = upper
        table_checks: list[LineCheck] = []
        # readings beyond the 15.33(b)(1) range: judged there for exceedances only
        beyond = _reads_beyond(table, corrected[table.unit], upper)
        if beyond:
            read_beyond.append((table, upper))
        for spec in table.lines:
            outcome = judge_line(
                table,
                spec.name,
                corrected[table.unit],
                settings.distance_m,
                suspect_window_db=settings.suspect_window_db,
                required_to_hz=upper,
                range_hz=settings.range_hz,
                rule=settings.rule,
                u_lab_db=settings.u_lab_for(table.port),
            )
            f, lev = table.sample(spec.name, settings.distance_m)
            plot_limits.append(
                PlotLimit(
                    table.id,
                    spec.name,
                    spec.detector.value,
                    f,
                    lev,
                    table.unit.value,
                    table.rbw_floor_above_hz,
                )
            )
            if outcome is not None:
                warnings.extend(w for w in outcome.warnings if w not in warnings)
            if outcome is None or outcome.check is None:  # nothing measured, or none required
                unmeasured = _unmeasured_line(table, spec.name, upper, settings.range_hz)
                if unmeasured is not None:
                    table_checks.append(unmeasured)
                continue
            table_checks.append(outcome.check)
            candidates.extend(outcome.candidates)
        if not beyond:  # judged beyond the required range: measured, the rest INCOMPLETE
            try:
                _require_some_coverage(table, table_checks, upper, settings.range_hz, corrected)
            except CoverageError as err:
                uncovered.append(err)
        checks.extend(table_checks)
        if table_checks and _unbounded(table, settings):
            unbounded.append(table)
    if uncovered and len(uncovered) == len(limits):
        raise uncovered[0]
    if unbounded and settings.highest_frequency_hz is not None:
        cispr32 = all(t.regime == "cispr32" for t in unbounded)
        ids = [t.id for t in unbounded]
        warnings.append(unbounded_note(settings.highest_frequency_hz, ids, cispr32))
    if not checks and read_beyond:  # nothing required, nothing over the limit beyond it
        raise _nothing_required(read_beyond, corrected, settings.range_hz)
    if not checks:
        return None
    return Judged(
        verdict=combine_verdicts([c.verdict for c in checks]),
        checks=tuple(checks),
        suspects=select_suspects(candidates, settings.max_suspects),
        warnings=tuple(warnings),
        plot_traces=_plot_traces(corrected),
        plot_limits=tuple(plot_limits),
        required_upper_hz=required,
    )


def _table_notes(table: LimitTable, settings: CheckSettings, warnings: list[str]) -> float | None:
    """Append the table's notes to ``warnings``; return its 15.33(b)(1) required upper end.

    UNCONFIRMED values are named; a table with an upper-frequency rule but no known highest
    frequency of the device gets a note on how to bound the range. [Hz]
    """
    warnings.extend(f"UNCONFIRMED limit value: {u}" for u in table.unconfirmed())
    upper = table.required_upper_hz(settings.highest_frequency_hz)
    if upper is None and table.upper_frequency_rule != "none":
        warnings.append(table.measurement_range_note(None))
    return upper


def _unbounded(table: LimitTable, settings: CheckSettings) -> bool:
    """Whether a highest frequency is stated that ``table``'s required range ignores.

    A radiated table without an upper-frequency rule (CISPR 32, a user's): its whole range
    stays required (:func:`rfcheck.limits.measurement_range.unbounded_note` says so).
    """
    return (
        settings.highest_frequency_hz is not None
        and table.port == "radiated"
        and table.upper_frequency_rule == "none"
    )


def _unmeasured_line(
    table: LimitTable, line: str, upper: float | None, range_hz: tuple[float, float] | None
) -> LineCheck | None:
    """INCOMPLETE for a line no trace reaches (None when nothing of it is judged)."""
    lo, hi = table.line_range(line)
    judged = judged_range(lo, hi, upper, range_hz)
    if not judged:
        return None
    det = table.line(line).detector.value
    return LineCheck(
        table.id, line, det, Verdict.INCOMPLETE, None, None, None, "", (), tuple(judged)
    )


def _reads_beyond(table: LimitTable, traces: Sequence[CorrectedTrace], upper: float | None) -> bool:
    """Whether a trace reads in the table's range above the 15.33(b)(1) upper frequency."""
    hi = table.range_hz[1]
    return any(bool(np.any(beyond_upper(t.freq_hz, upper) & (t.freq_hz <= hi))) for t in traces)


def _nothing_required(
    tables: Sequence[tuple[LimitTable, float | None]],
    corrected: dict[LevelUnit, list[CorrectedTrace]],
    range_hz: tuple[float, float] | None = None,
) -> CoverageError:
    """Return the usage error of a capture judged beyond a range requiring none of its limits.

    A device whose highest frequency gives an upper frequency at or below the start of a
    radiated table (below 1.705 MHz: 30 MHz, 47 CFR 15.33(b)(1)) needs none of it measured;
    readings above are judged for exceedances only, and none was over the limit. With
    ``range_hz`` (``--range``), the user's range is what lies beyond, and the message says so.
    """
    spans = ", ".join(
        dict.fromkeys(
            format_mhz_range(float(t.freq_hz.min()), float(t.freq_hz.max()))
            for ts in corrected.values()
            for t in ts
            if t.freq_hz.shape[0]
        )
    )
    parts = [
        f"{t.id} is required only up to {format_mhz(u)} (47 CFR 15.33(b)(1)), where its range "
        f"starts at {format_mhz(t.range_hz[0])}"
        for t, u in tables
        if u is not None
    ]
    if range_hz is not None:  # the user's range lies beyond what is required
        ups = "; ".join(f"{t.id} up to {format_mhz(u)}" for t, u in tables if u is not None)
        return CoverageError(
            f"--range {format_mhz_range(*range_hz)} lies beyond the range the limits are "
            f"required over (47 CFR 15.33(b)(1): {ups}), where a reading counts only when over "
            "the limit: none is"
        )
    return CoverageError(
        f"nothing of the requested limits is required of this device: {'; '.join(parts)}; the "
        f"capture ({spans}) lies beyond, where a reading counts only when over the limit: none is"
    )


def _require_some_coverage(
    table: LimitTable,
    checks: list[LineCheck],
    upper: float | None,
    range_hz: tuple[float, float] | None,
    corrected: dict[LevelUnit, list[CorrectedTrace]],
) -> None:
    """Refuse a capture that covers none of a requested limit's judged range (usage error).

    A line that failed or is undecided was measured somewhere; otherwise, when no line's
    evaluated ranges reach into the judged range, the capture says nothing about the limit.
    (A capture judged beyond the 47 CFR 15.33(b)(1) range, for readings over the limit, is
    not asked: passing or failing there, it reads as it would in the dossier.)
    """
    if any(c.verdict in (Verdict.FAIL, Verdict.INCONCLUSIVE) for c in checks):
        return
    lo, hi = table.range_hz
    judged = judged_range(lo, hi, upper, range_hz)
    if not judged and range_hz is None:
        return  # nothing of the table is required (47 CFR 15.33(b)(1))
    evaluated = [r for c in checks for r in c.evaluated_hz]
    if judged and subtract(judged, evaluated) != judged:
        return  # some of the judged range was measured
    want = format_mhz_range(*judged[0]) if judged else f"nothing of {format_mhz_range(lo, hi)}"
    if not judged and range_hz is not None:
        want += f" inside --range {format_mhz_range(*range_hz)}"
    axes = [
        t.axis_hz if t.axis_hz is not None else t.freq_hz for ts in corrected.values() for t in ts
    ]
    axes = [a for a in axes if a.shape[0]]
    spans = (
        ", ".join(dict.fromkeys(format_mhz_range(float(a.min()), float(a.max())) for a in axes))
        or "no point inside it"
    )
    raise CoverageError(
        f"the capture covers none of {table.id} ({want}); the capture spans {spans}"
    )


def _plot_traces(corrected: dict[LevelUnit, list[CorrectedTrace]]) -> tuple[PlotTrace, ...]:
    """Every corrected trace once per unit, as plotted."""
    out = []
    seen: set[str] = set()
    for unit_traces in corrected.values():
        for ct in unit_traces:
            key = f"{ct.name}|{ct.unit.value}"
            if key in seen:
                continue
            seen.add(key)
            out.append(
                PlotTrace(
                    ct.name,
                    ct.detector.value,
                    ct.freq_hz,
                    ct.level,
                    ct.unit.value,
                    rbw_hz=ct.rbw_hz,
                    # a setting that lets it read low weakens its bounds as an unsettled
                    # trace's (rfcheck.verdict.bounds.demote): the same for every reader
                    settled=False if reads_low_reasons(ct) else ct.settled,
                    mode=ct.mode.value,
                    computed_from=ct.computed_from,
                    channel=ct.channel,
                    sweep_unstated=ct.sweep_unstated,
                )
            )
    return tuple(out)


def _require_u_lab(settings: CheckSettings, port: str) -> None:
    """Refuse cispr16-4-2 without a U_lab for ``port`` (``conducted``/``radiated``).

    The message says which ports the setup does name (it once named none).
    """
    if settings.rule.kind is not RuleKind.CISPR16_4_2 or settings.u_lab_for(port) is not None:
        return
    named = [p for p, _ in settings.u_lab_db if p]
    raise AnalysisError(
        f"decision rule cispr16-4-2 needs U_lab for this {port} capture: [test] u_lab_db "
        f"names {', '.join(named) if named else 'no port'}; give this capture's port label, "
        f"{port}, or one number for every port"
    )
