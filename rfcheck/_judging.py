"""The shared core of ``check``: traces -> transducer chain -> every limit line judged.

:func:`rfcheck.analysis.analyse_capture` (one capture) and
:func:`rfcheck.analysis.analyse_combined` (several files of one port pooled) both use
:func:`corrected_traces` per capture and :func:`judge` once over the pool, so a single capture
and a combined measurement are judged by exactly the same code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .capture import Capture, Trace
from .corrections import CorrectionChain
from .errors import AnalysisError
from .limits import LimitTable
from .results import LineCheck, PlotLimit, PlotTrace, Suspect, Verdict, combine_verdicts
from .settings import CheckSettings
from .units import LevelUnit
from .verdict import CorrectedTrace, judge_line, select_suspects

__all__ = ["Judged", "corrected_traces", "instrument_info", "judge", "no_overlap", "traces_to_judge"]


def traces_to_judge(capture: Capture, settings: CheckSettings) -> tuple[tuple[Trace, ...], list[str]]:
    """The traces to judge, plus notes. Time-domain recordings go through the receiver model.

    A receiver trace whose recording is shorter than the settling time of its detector
    (:func:`rfcheck.receiver.settling_time_s`, in any CISPR band the trace spans) is kept with
    ``settled=False``: an unsettled detector can only read low, so its readings are lower
    bounds only (enough to prove a FAIL, never a PASS); longer ones get ``settled=True``. A
    recording shorter than the IF impulse response (the peak settling time) bounds nothing
    (truncation leakage can read high off the emission), so its traces are not used.
    """
    if not capture.is_time_domain:
        if not capture.traces:
            raise AnalysisError("the capture holds no trace to judge")
        return capture.traces, []
    from .receiver import BANDS, band_for_frequency, scan_traces, settling_time_s  # lazy: heavy

    out: list[Trace] = []
    notes: list[str] = []
    for ts in capture.time_series:
        if settings.volts_per_unit is not None:
            # the stated scale is volts per full-scale unit; integer samples carry their
            # 1/2**(bits-1) factor in metadata (as `rfcheck receiver --volts-per-unit` applies)
            unit_scale = float(capture.metadata.get("sample_unit_scale", "1"))
            ts = dataclasses.replace(ts, volts_per_unit=settings.volts_per_unit * unit_scale)
        for tr in scan_traces(ts, detectors=("peak", "quasi-peak", "cispr-average")):
            bands = {band_for_frequency(float(f)) for f in (tr.start_hz, tr.stop_hz)}
            bands = {"CD" if b in ("C", "D") and "CD" in BANDS else b for b in bands}
            need = max(settling_time_s(BANDS[b], tr.detector.value) for b in bands if b in BANDS)
            t_if = max(settling_time_s(BANDS[b], "peak") for b in bands if b in BANDS)
            if ts.duration_s < t_if:  # shorter than the IF response: leakage, not a bound
                notes.append(
                    f"receiver {tr.detector.value}: recording {ts.duration_s:.3g} s is shorter than "
                    f"the {t_if:.3g} s IF impulse response (CISPR 16-1-1); trace not used"
                )
                continue
            settled = ts.duration_s >= need
            if not settled:
                notes.append(
                    f"receiver {tr.detector.value}: recording {ts.duration_s:.3g} s is shorter than "
                    f"the {need:.3g} s a settled reading needs (CISPR 16-1-1); the reading may be "
                    "low: used as a lower bound only"
                )
            out.append(dataclasses.replace(tr, settled=settled))
    if not out:
        raise AnalysisError(
            "the recording is too short for a settled CISPR detector reading: "
            + "; ".join(notes)
        )
    return tuple(out), notes


def instrument_info(capture: Capture) -> dict[str, str]:
    """The capture's instrument as a JSON-ready dict (vendor, model, ..., description)."""
    inst = capture.instrument
    return {
        k: v
        for k, v in (
            ("vendor", inst.vendor), ("model", inst.model), ("serial", inst.serial),
            ("firmware", inst.firmware), ("options", inst.options),
            ("description", inst.describe()),
        )
    }


class Judged(NamedTuple):
    """What :func:`judge` concludes over one pool of corrected traces (CaptureResult fields)."""

    verdict: Verdict
    checks: tuple[LineCheck, ...]
    suspects: tuple[Suspect, ...]
    warnings: tuple[str, ...]
    plot_traces: tuple[PlotTrace, ...]
    plot_limits: tuple[PlotLimit, ...]
    #: limit id -> upper end of the range required by 47 CFR 15.33(b)(1) [Hz]
    required_upper_hz: dict[str, float]


def corrected_traces(
    capture: Capture,
    settings: CheckSettings,
    limits: Sequence[LimitTable],
    chain: CorrectionChain,
    *,
    prefix: str = "",
) -> tuple[dict[LevelUnit, list[CorrectedTrace]], tuple[Trace, ...], list[str]]:
    """Correct every trace of one capture once per limit unit.

    Parameters
    ----------
    capture : Capture
    settings : CheckSettings
        The capture's own settings (``volts_per_unit`` for recordings).
    limits : sequence of LimitTable
        Only points some table of the same unit covers are kept.
    chain : CorrectionChain
        The capture's own transducer chain.
    prefix : str
        Prepended to every trace name as ``"<prefix>: <name>"`` (the member's file name in a
        combined measurement); empty keeps the names as they are.

    Returns
    -------
    corrected : dict of LevelUnit to list of CorrectedTrace
        Levels in each limit unit. [dBµV or dBµV/m]
    traces : tuple of Trace
        The traces judged (receiver traces for a recording).
    notes : list of str
        Receiver notes (detector traces too short to settle: lower bounds only).

    Raises
    ------
    RfcheckError
        No trace, recording too short, or units / transducers that cannot be applied.
    """
    traces, notes = traces_to_judge(capture, settings)
    corrected: dict[LevelUnit, list[CorrectedTrace]] = {}
    for unit in dict.fromkeys(t.unit for t in limits):
        ranges = [t.range_hz for t in limits if t.unit is unit]
        out = []
        for i, tr in enumerate(traces):
            axis = tr.freq_hz[np.isfinite(tr.level)]
            name = tr.name or f"{i + 1}"
            if prefix:
                name = f"{prefix}: {name}"
            keep = np.zeros(tr.freq_hz.shape, dtype=bool)
            for lo, hi in ranges:
                keep |= (tr.freq_hz >= lo) & (tr.freq_hz <= hi)
            keep &= np.isfinite(tr.level)
            if not keep.any():
                continue
            f = tr.freq_hz[keep]
            level, corr = chain.apply(f, tr.level[keep], tr.unit, unit, trace_name=name)
            out.append(
                CorrectedTrace(
                    name=name, detector=tr.detector, freq_hz=f, reading=tr.level[keep],
                    reading_unit=tr.unit.value if tr.unit else "", correction_db=corr,
                    level=level, unit=unit, rbw_hz=tr.rbw_hz, dwell_s=tr.dwell_s,
                    settled=tr.settled, mode=tr.mode, axis_hz=axis,
                )
            )
        corrected[unit] = out
    return corrected, traces, notes


def no_overlap(traces: Sequence[Trace], limits: Sequence[LimitTable]) -> AnalysisError:
    spans = ", ".join(f"{t.start_hz / 1e6:g}-{t.stop_hz / 1e6:g} MHz" for t in traces)
    return AnalysisError(
        f"no trace ({spans}) overlaps any requested limit line "
        f"({', '.join(t.id for t in limits)})"
    )


def judge(
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
    for table in limits:
        warnings.extend(f"UNCONFIRMED limit value: {u}" for u in table.unconfirmed())
        upper = table.required_upper_hz(settings.highest_frequency_hz)
        if upper is not None:  # stated in the limit description (CaptureResult.limits)
            required[table.id] = upper
        elif table.upper_frequency_rule != "none":  # how to bound the range: a note
            warnings.append(table.measurement_range_note(None))
        for spec in table.lines:
            outcome = judge_line(
                table, spec.name, corrected[table.unit], settings.distance_m,
                suspect_window_db=settings.suspect_window_db, required_to_hz=upper,
            )
            f, lev = table.sample(spec.name, settings.distance_m)
            plot_limits.append(
                PlotLimit(table.id, spec.name, spec.detector.value, f, lev, table.unit.value)
            )
            if outcome is None:
                lo, hi = table.line_range(spec.name)
                hi = hi if upper is None else min(hi, upper)
                if hi < lo:  # the whole line lies above the required range
                    continue
                warnings.append(
                    f"{table.id} {spec.name} ({lo / 1e6:g}-{hi / 1e6:g} MHz): not evaluated, "
                    "no trace covers it"
                )
                continue
            checks.append(outcome.check)
            candidates.extend(outcome.candidates)
            warnings.extend(w for w in outcome.warnings if w not in warnings)
    if not checks:
        return None
    plot_traces = []
    seen: set[str] = set()
    for unit_traces in corrected.values():
        for ct in unit_traces:
            key = f"{ct.name}|{ct.unit.value}"
            if key in seen:
                continue
            seen.add(key)
            plot_traces.append(PlotTrace(ct.name, ct.detector.value, ct.freq_hz, ct.level, ct.unit.value))
    return Judged(
        verdict=combine_verdicts([c.verdict for c in checks]),
        checks=tuple(checks),
        suspects=select_suspects(candidates, settings.max_suspects),
        warnings=tuple(warnings),
        plot_traces=tuple(plot_traces),
        plot_limits=tuple(plot_limits),
        required_upper_hz=required,
    )
