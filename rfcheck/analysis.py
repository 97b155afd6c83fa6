"""The ``check`` pipeline: capture -> transducer chain -> per-line verdicts -> results.

:func:`analyse_file` never raises :class:`~rfcheck.errors.RfcheckError`: an input that
cannot be read or analysed becomes a :class:`~rfcheck.results.CaptureResult` with verdict
ERROR and an ``errors`` entry, so a batch never aborts on one bad file. Everything returned
is picklable (batch workers, Dask).

Time-domain captures (:attr:`Capture.is_time_domain`) are first run through the CISPR
16-1-1 receiver model (:func:`rfcheck.receiver.scan_traces`, peak, quasi-peak and
CISPR-average), whose traces are then judged like any others.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._version import __version__
from .capture import Capture, Trace
from .corrections import CorrectionChain, build_chain, split_unit_suffix
from .errors import AnalysisError, RfcheckError
from .io import load_capture
from .limits import LimitTable, load_limit_file, load_shipped
from .results import (
    CaptureResult,
    ErrorRecord,
    InputFile,
    LineCheck,
    PlotLimit,
    PlotTrace,
    RunResult,
    Suspect,
    Verdict,
    combine_verdicts,
)
from .settings import CheckSettings, Setup
from .units import LevelUnit
from .verdict import CorrectedTrace, judge_line, select_suspects

__all__ = [
    "load_limits",
    "build_settings_chain",
    "analyse_capture",
    "analyse_file",
    "run_check",
    "settings_summary",
]


def load_limits(settings: CheckSettings) -> list[LimitTable]:
    """Shipped tables by id, then user limit files, each checked for the distance.

    Raises
    ------
    LimitFileError
        Unknown id, malformed file, table unusable at ``settings.distance_m``.
    """
    tables = [load_shipped(i) for i in settings.limit_ids]
    tables += [load_limit_file(p) for p in settings.limit_files]
    if not tables:
        raise AnalysisError("no limit given (use --limit ID or --limit-file FILE)")
    for t in tables:
        t.check_distance(settings.distance_m)
    return tables


def build_settings_chain(settings: CheckSettings) -> CorrectionChain:
    """The transducer chain a :class:`CheckSettings` describes."""
    return build_chain(
        antenna_factor=settings.antenna_factor,
        cable_loss=settings.cable_loss,
        lisn=settings.lisn,
        attenuator_db=settings.attenuator_db,
        preamp_gain=settings.preamp_gain,
    )


def _traces(capture: Capture, settings: CheckSettings) -> tuple[tuple[Trace, ...], list[str]]:
    """The traces to judge, plus notes. Time-domain recordings go through the receiver model.

    A receiver trace whose recording is shorter than the settling time of its detector
    (:func:`rfcheck.receiver.settling_time_s`, in any CISPR band the trace spans) is not used:
    an unsettled detector reads low, so it would bound nothing safely.
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
            ts = dataclasses.replace(ts, volts_per_unit=settings.volts_per_unit)
        for tr in scan_traces(ts, detectors=("peak", "quasi-peak", "cispr-average")):
            bands = {band_for_frequency(float(f)) for f in (tr.start_hz, tr.stop_hz)}
            bands = {"CD" if b in ("C", "D") and "CD" in BANDS else b for b in bands}
            need = max(settling_time_s(BANDS[b], tr.detector.value) for b in bands if b in BANDS)
            if ts.duration_s < need:
                notes.append(
                    f"receiver {tr.detector.value}: recording {ts.duration_s:.3g} s is shorter than "
                    f"the {need:.3g} s a settled reading needs (CISPR 16-1-1); trace not used"
                )
                continue
            out.append(tr)
    if not out:
        raise AnalysisError(
            "the recording is too short for a settled CISPR detector reading: "
            + "; ".join(notes)
        )
    return tuple(out), notes


def _instrument(capture: Capture) -> dict[str, str]:
    inst = capture.instrument
    return {
        k: v
        for k, v in (
            ("vendor", inst.vendor), ("model", inst.model), ("serial", inst.serial),
            ("firmware", inst.firmware), ("options", inst.options),
            ("description", inst.describe()),
        )
    }


def analyse_capture(
    capture: Capture, settings: CheckSettings, *, label: str = ""
) -> CaptureResult:
    """Judge one loaded capture against every requested limit line.

    Parameters
    ----------
    capture : Capture
    settings : CheckSettings
        Limits, distance [m], transducers, suspect threshold [dB] and cap.
    label : str
        Port / polarisation for titles.

    Returns
    -------
    CaptureResult
        Verdict = worst line verdict; lines no trace reaches are not evaluated (noted in
        ``warnings``).

    Raises
    ------
    RfcheckError
        Limits, transducers or units make the capture impossible to judge.
    """
    limits = load_limits(settings)
    chain = build_settings_chain(settings)
    traces, notes = _traces(capture, settings)
    warnings = list(capture.warnings) + notes
    # Correct every trace once per limit unit, over the frequencies some limit covers.
    corrected: dict[LevelUnit, list[CorrectedTrace]] = {}
    for unit in dict.fromkeys(t.unit for t in limits):
        ranges = [t.range_hz for t in limits if t.unit is unit]
        out = []
        for i, tr in enumerate(traces):
            name = tr.name or f"{i + 1}"
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
                    level=level, unit=unit, rbw_hz=tr.rbw_hz,
                )
            )
        corrected[unit] = out
    checks: list[LineCheck] = []
    candidates: list[Suspect] = []
    plot_limits: list[PlotLimit] = []
    for table in limits:
        warnings.extend(f"UNCONFIRMED limit value: {u}" for u in table.unconfirmed())
        for spec in table.lines:
            outcome = judge_line(
                table, spec.name, corrected[table.unit], settings.distance_m,
                suspect_window_db=settings.suspect_window_db,
            )
            f, lev = table.sample(spec.name, settings.distance_m)
            plot_limits.append(
                PlotLimit(table.id, spec.name, spec.detector.value, f, lev, table.unit.value)
            )
            if outcome is None:
                lo, hi = table.line_range(spec.name)
                warnings.append(
                    f"{table.id} {spec.name} ({lo / 1e6:g}-{hi / 1e6:g} MHz): not evaluated, "
                    "no trace covers it"
                )
                continue
            checks.append(outcome.check)
            candidates.extend(outcome.candidates)
            warnings.extend(w for w in outcome.warnings if w not in warnings)
    if not checks:
        spans = ", ".join(f"{t.start_hz / 1e6:g}-{t.stop_hz / 1e6:g} MHz" for t in traces)
        raise AnalysisError(
            f"no trace ({spans}) overlaps any requested limit line "
            f"({', '.join(t.id for t in limits)})"
        )
    plot_traces = []
    seen: set[str] = set()
    for unit_traces in corrected.values():
        for ct in unit_traces:
            key = f"{ct.name}|{ct.unit.value}"
            if key in seen:
                continue
            seen.add(key)
            plot_traces.append(PlotTrace(ct.name, ct.detector.value, ct.freq_hz, ct.level, ct.unit.value))
    prov = capture.provenance
    return CaptureResult(
        path=prov.path if prov else "<capture>",
        sha256=prov.sha256 if prov else None,
        format=prov.format if prov else None,
        verdict=combine_verdicts([c.verdict for c in checks]),
        checks=tuple(checks),
        suspects=select_suspects(candidates, settings.max_suspects),
        warnings=tuple(warnings),
        instrument=_instrument(capture),
        timestamp=capture.timestamp,
        corrections=tuple(chain.describe()),
        limits=tuple(t.describe(settings.distance_m) for t in limits),
        plot_traces=tuple(plot_traces),
        plot_limits=tuple(plot_limits),
        label=label,
    )


def _file_sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _error_message(err: RfcheckError, path: str) -> str:
    if err.path is None or err.path == path:
        return (f"line {err.line}: " if err.line is not None else "") + err.message
    return str(err)


def analyse_file(path: str | Path, settings: CheckSettings, *, label: str = "") -> CaptureResult:
    """Load and judge one capture file; never raises :class:`RfcheckError`.

    An unreadable or unanalysable input gives verdict ERROR with one ``errors`` entry.
    """
    p = Path(path)
    try:
        capture = load_capture(p, settings.fmt, unit=settings.unit, detector=settings.detector)
        return analyse_capture(capture, settings, label=label)
    except RfcheckError as err:
        msg = _error_message(err, str(p))
    except OSError as err:
        msg = f"cannot read: {err.strerror or err}"
    return CaptureResult(
        path=str(p),
        sha256=_file_sha(p) if p.is_file() else None,
        format=settings.fmt,
        verdict=Verdict.ERROR,
        errors=(ErrorRecord(str(p), msg),),
        label=label,
    )


def settings_summary(settings: CheckSettings) -> dict[str, Any]:
    """JSON-ready view of the settings (for ``RunResult.settings``)."""

    def conv(v: Any) -> Any:
        if isinstance(v, Path):
            return str(v)
        if isinstance(v, tuple):
            return [conv(x) for x in v]
        if hasattr(v, "value"):
            return v.value
        return v

    return {f.name: conv(getattr(settings, f.name)) for f in dataclasses.fields(settings)}


def _inputs(
    results: Sequence[CaptureResult], all_settings: Sequence[CheckSettings], setup: Setup | None
) -> tuple[InputFile, ...]:
    seen: dict[tuple[str, str], InputFile] = {}

    def add(role: str, path: str, sha: str | None) -> None:
        if sha and (role, path) not in seen:
            seen[(role, path)] = InputFile(role, path, sha)

    for r in results:
        add("capture", r.path, r.sha256)
    for s in all_settings:
        for lid in s.limit_ids:
            try:
                t = load_shipped(lid)
                add("limit", t.path, t.sha256)
            except RfcheckError:
                pass
        for p in s.limit_files:
            add("limit", str(p), _file_sha(Path(p)))
        for tp in s.transducer_paths():
            real, _ = split_unit_suffix(tp)
            add("transducer", str(real), _file_sha(real))
    if setup is not None and setup.path is not None:
        add("setup", str(setup.path), setup.sha256)
    return tuple(seen.values())


def run_check(
    paths: Sequence[str | Path],
    settings: CheckSettings,
    *,
    command: str = "",
    setup: Setup | None = None,
    settings_for: Callable[[str], CheckSettings] | None = None,
    label: str = "",
) -> RunResult:
    """Judge several captures; ``inputs`` lists every file used with its SHA-256.

    Parameters
    ----------
    paths : sequence of path
    settings : CheckSettings
        Used for every capture unless ``settings_for`` is given.
    command : str
        The command line, recorded in the result.
    setup : Setup, optional
        Recorded as an input (role ``setup``).
    settings_for : callable(path) -> CheckSettings, optional
        Per-capture settings (setup-file ``[[rule]]`` matching).
    """
    results = []
    used = []
    for p in paths:
        s = settings_for(str(p)) if settings_for else settings
        used.append(s)
        results.append(analyse_file(p, s, label=label))
    return RunResult(
        version=__version__,
        captures=tuple(results),
        inputs=_inputs(results, used or [settings], setup),
        command=command,
        settings=settings_summary(settings),
    )
