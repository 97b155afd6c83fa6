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
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .capture import Capture, SampleKind
from .cispr import EDGE_REL_TOL
from .corrections import CorrectionChain, build_chain, split_unit_suffix
from .errors import CoverageError, RfcheckError
from .io import detected_format_name, file_sha256, load_capture
from .io.iq_centre import reader_notes
from .io.iq_scale import scale_cell
from .judged_limits import load_limits, table_rule_notes, with_limit_status
from .limits import LimitTable, load_shipped
from .outcome import Verdict
from .results import CaptureResult, ErrorRecord, InputFile, RunResult
from .settings import CheckSettings, Setup
from .textfile import path_to_open
from .units import LevelUnit
from .verdict import corrected_traces, judge_pool, no_overlap
from .verdict.decision import UNCONFIRMED_U_CISPR_NOTE, RuleKind

__all__ = [
    "build_settings_chain",
    "settings_rule_notes",
    "result_rule_notes",
    "analyse_capture",
    "analyse_file",
    "error_message",
    "input_files",
    "input_sha256",
    "recording_scale",
    "run_check",
    "settings_summary",
]


def instrument_info(capture: Capture) -> dict[str, str]:
    """Return the capture's instrument as a JSON-ready dict (vendor, model, ..., description)."""
    inst = capture.instrument
    return {
        k: v
        for k, v in (
            ("vendor", inst.vendor),
            ("model", inst.model),
            ("serial", inst.serial),
            ("firmware", inst.firmware),
            ("options", inst.options),
            ("description", inst.describe()),
        )
    }


def settings_rule_notes(settings: Iterable[CheckSettings]) -> tuple[str, ...]:
    """Return the notes on the decision rules the settings judge by (none: ``simple``)."""
    return tuple(dict.fromkeys(n for st in dict.fromkeys(settings) for n in _rule_notes(st)))


def result_rule_notes(results: Iterable[CaptureResult]) -> tuple[str, ...]:
    """Return the decision-rule notes ``check`` printed for these results, each once.

    Those it makes at the readings (``decision rule cispr16-4-2: no U_cispr for a radiated
    measurement at 20000 MHz; judged there by the simple rule``): ``lot`` and ``compare``
    judge by the rule too and repeat them after :func:`settings_rule_notes`.
    """
    return tuple(
        dict.fromkeys(w for r in results for w in r.warnings if w.startswith("decision rule "))
    )


def _rule_notes(st: CheckSettings) -> list[str]:
    """Return the decision rule the captures were judged by, unless ``simple``.

    ``lot`` and ``compare`` judge with it, and say so as ``check`` prints it: the rule in
    words, the U_lab it takes, and (cispr16-4-2) the UNCONFIRMED U_cispr warning.
    """
    rule = st.rule
    if rule.kind is RuleKind.SIMPLE:
        return []
    text = f"judged under decision rule {rule.description}"
    if rule.kind is not RuleKind.CISPR16_4_2:
        return [text]
    labs = ", ".join(f"{port or 'every port'} {u:g} dB" for port, u in st.u_lab_db)
    return [f"{text}; U_lab: {labs or 'none given'}", UNCONFIRMED_U_CISPR_NOTE]


def build_settings_chain(
    settings: CheckSettings, *, base_dir: str | Path | None = None
) -> CorrectionChain:
    """Build the transducer chain a :class:`CheckSettings` describes.

    Relative table paths are opened relative to ``base_dir`` (None = the current directory).
    """
    return build_chain(
        antenna_factor=settings.antenna_factor,
        cable_loss=settings.cable_loss,
        lisn=settings.lisn,
        attenuator_db=settings.attenuator_db,
        preamp_gain=settings.preamp_gain,
        base_dir=base_dir,
    )


def _reads_inside(capture: Capture, table: LimitTable) -> bool:
    """Whether the capture has a reading inside ``table``'s range (not only on an end)."""
    lo, hi = table.range_hz
    tol_lo, tol_hi = EDGE_REL_TOL * lo, EDGE_REL_TOL * hi
    spans = [
        (float(t.freq_hz.min()), float(t.freq_hz.max())) for t in capture.traces if t.freq_hz.size
    ]
    spans += [ts.band_hz for ts in capture.time_series]
    return any(b > lo + tol_lo and a < hi - tol_hi for a, b in spans)


def port_tables(
    limits: Sequence[LimitTable], capture: Capture, chain: CorrectionChain
) -> tuple[list[LimitTable], str]:
    """Return the tables of the capture's port among limits of several ports, and a note.

    Limits of both ports requested at once (a setup naming ``fcc-15.107-b`` and
    ``fcc-15.109-b`` for a folder of conducted and radiated captures): a conducted capture (in
    dBµV, no antenna factor) is judged against the conducted tables only, a radiated one (in
    dBµV/m, or with an antenna factor) against the radiated ones, and the note names the tables
    left out. A capture no requested table's unit fits, or with readings inside a table of
    the other port (a dBµV scan to 1 GHz whose antenna factor was forgotten), keeps
    them all, and their error.
    """
    if len({t.unit for t in limits}) < 2:
        return list(limits), ""
    units = {chain.level_unit(t.unit or LevelUnit.VOLT) for t in capture.traces}
    units |= {chain.level_unit(ts.unit or LevelUnit.VOLT) for ts in capture.time_series}
    keep = [t for t in limits if t.unit in units]
    if not keep or len(keep) == len(limits):
        return list(limits), ""
    if any(_reads_inside(capture, t) for t in limits if t not in keep):
        # readings inside a table of the other port: a capture of that port whose unit is
        # wrong (a dBµV scan to 1 GHz without its antenna factor) keeps its error
        return list(limits), ""
    left = [t.id for t in limits if t not in keep]
    radiated = all(t.unit is LevelUnit.DBUV_M for t in keep)
    port, other = ("radiated", "conducted") if radiated else ("conducted", "radiated")
    shown = ", ".join(sorted(u.value for u in units))
    return keep, (
        f"{', '.join(left)} not applied: a {other} limit, and this capture is {port} ({shown}"
        f"{', antenna factor' if chain.antenna_factor is not None else ''})"
    )


def analyse_capture(
    capture: Capture,
    settings: CheckSettings,
    *,
    label: str = "",
    base_dir: str | Path | None = None,
) -> CaptureResult:
    """Judge one loaded capture against every requested limit line.

    Parameters
    ----------
    capture : Capture
    settings : CheckSettings
        Limits, distance [m], transducers, suspect threshold [dB] and cap.
    label : str
        Port / polarisation for titles.
    base_dir : str or Path, optional
        The directory relative table paths in ``settings`` are relative to (None = the
        current directory); they are opened there and shown as given.

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
    limits = load_limits(settings, base_dir=base_dir)
    chain = build_settings_chain(settings, base_dir=base_dir)
    limits, port_note = port_tables(limits, capture, chain)
    corrected, traces, notes = corrected_traces(capture, settings, limits, chain)
    if port_note:
        notes.append(port_note)
    if not any(corrected.values()):
        raise no_overlap(traces, limits)
    notes += table_rule_notes(limits, corrected, settings.distance_m, settings.device_class)
    stated = settings.center_frequency_hz is not None  # the reader's "unknown centre" is gone
    judged = judge_pool(limits, corrected, settings, reader_notes(capture.warnings, stated) + notes)
    if judged is None:
        raise no_overlap(traces, limits)
    judged = judged._replace(checks=with_limit_status(judged.checks, limits))
    prov = capture.provenance
    return CaptureResult(
        path=prov.path if prov else "<capture>",
        sha256=prov.sha256 if prov else None,
        format=prov.format if prov else None,
        instrument=instrument_info(capture),
        timestamp=capture.timestamp,
        corrections=tuple(chain.describe()),
        limits=tuple(
            t.describe(settings.distance_m, settings.highest_frequency_hz) for t in limits
        ),
        label=label,
        scale=recording_scale(capture, settings),
        **judged._asdict(),
    )


def recording_scale(capture: Capture, settings: CheckSettings) -> str:
    """Return the scale a recording's levels rest on, in one cell ("" for a swept capture).

    As :func:`rfcheck.io.iq_scale.scale_cell`, for a capture whose samples are voltages
    (an envelope recording's or a swept capture's levels carry their own unit; a recording
    the dossier replaced by its receiver traces keeps the reader's metadata).
    """
    series = capture.time_series
    if series and all(ts.kind is SampleKind.ENVELOPE for ts in series):
        return ""
    if not series and not any(t.computed_from for t in capture.traces):
        return ""
    return scale_cell(capture.metadata, settings.volts_per_unit)


def input_sha256(path: Path, base_dir: str | Path | None) -> str | None:
    """Return the SHA-256 of a regular input file, else None.

    Only regular files are hashed (a FIFO would block, ``/dev/zero`` never end). A relative
    ``path`` is relative to ``base_dir`` (None = the current directory).
    """
    path = path_to_open(path, base_dir)
    try:
        return file_sha256(path) if path.is_file() else None
    except OSError:
        return None


def error_message(err: RfcheckError, path: str) -> str:
    """Return ``err`` as the one line shown for the input ``path`` (the path not repeated)."""
    if err.path is None or err.path == path:
        return (f"line {err.line}: " if err.line is not None else "") + err.message
    return str(err)


def analyse_file(
    path: str | Path,
    settings: CheckSettings,
    *,
    label: str = "",
    base_dir: str | Path | None = None,
) -> CaptureResult:
    """Load and judge one capture file; never raises :class:`RfcheckError`.

    An unreadable or unanalysable input gives verdict ERROR with one ``errors`` entry.
    ``path`` and the table paths in ``settings`` are shown as given; relative ones are
    opened relative to ``base_dir`` (None = the current directory).
    """
    p = Path(path)
    fmt = settings.fmt
    sha: str | None = None
    usage = False
    try:
        capture = load_capture(
            p,
            settings.fmt,
            unit=settings.unit,
            detector=settings.detector,
            rbw_hz=settings.rbw_hz,
            base_dir=base_dir,
        )
        if capture.provenance is not None:  # read fine; judging may still fail
            fmt, sha = capture.provenance.format, capture.provenance.sha256
        return analyse_capture(capture, settings, label=label, base_dir=base_dir)
    except RfcheckError as err:
        msg = error_message(err, str(p))
        usage = isinstance(err, CoverageError)
    except OSError as err:
        msg = f"cannot read: {err.strerror or err}"
    return CaptureResult(
        path=str(p),
        sha256=sha or input_sha256(p, base_dir),
        format=fmt or detected_format_name(p, base_dir),
        verdict=Verdict.ERROR,
        errors=(ErrorRecord(str(p), msg, usage=usage),),
        label=label,
    )


def settings_summary(settings: CheckSettings) -> dict[str, Any]:
    """JSON-ready view of the settings (``CaptureResult.settings``, ``RunResult.settings``)."""

    def conv(v: Any) -> Any:
        if isinstance(v, Path):
            return str(v)
        if isinstance(v, tuple):
            return [conv(x) for x in v]
        if hasattr(v, "value"):
            return v.value
        return v

    return {f.name: conv(getattr(settings, f.name)) for f in dataclasses.fields(settings)}


def input_files(
    captures: Sequence[tuple[str, str | None]],
    all_settings: Sequence[CheckSettings],
    setup: Setup | None,
    base_dir: str | Path | None,
) -> tuple[InputFile, ...]:
    """Return every file a result depends on, with its SHA-256 (the provenance list).

    Each capture (and the files it was read from besides the one named, e.g. SigMF data), the
    limit tables and transducer files ``all_settings`` name, and the setup file; each
    ``(role, path)`` once, paths as given. A file that could not be hashed is left out (a
    capture's result says it was unreadable). ``all_settings`` is one per capture, or one for
    all of them; ``base_dir`` as in :func:`run_check`.
    """
    seen: dict[tuple[str, str], InputFile] = {}

    def add(role: str, path: str, sha: str | None) -> None:
        if sha and (role, path) not in seen:
            seen[(role, path)] = InputFile(role, path, sha)

    from .io import companion_hashes

    fmts = [s.fmt for s in all_settings] if len(all_settings) == len(captures) else []
    for i, (path, sha) in enumerate(captures):
        add("capture", path, sha)
        if sha:  # the files a capture was read from besides the one named (SigMF data)
            fmt = fmts[i] if fmts else None
            for cpath, csha in companion_hashes(path, fmt, base_dir=base_dir):
                add("capture-data", cpath, csha)
    for s in all_settings:
        for lid in s.limit_ids:
            try:
                t = load_shipped(lid)
                add("limit", t.path, t.sha256)
            except RfcheckError:
                pass
        for p in s.limit_files:
            add("limit", str(p), input_sha256(Path(p), base_dir))
        for tp in s.transducer_paths():
            real, _ = split_unit_suffix(tp)
            add("transducer", str(real), input_sha256(real, base_dir))
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
    combine: bool = False,
    base_dir: str | Path | None = None,
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
    label : str
        Port / polarisation for titles.
    combine : bool
        Judge all ``paths`` as one measurement (:func:`rfcheck.combine.analyse_combined`): one
        ``CaptureResult``, while ``inputs`` still lists every member with its own SHA-256.
    base_dir : str or Path, optional
        The directory relative paths (``paths``, the table files the settings name) are
        relative to; None = the current directory. Files are opened there
        (:func:`~rfcheck.textfile.path_to_open`); every result field, message and input
        entry shows them as given, so a Dask worker's result equals a local one.

    Each ``CaptureResult.settings`` holds the :func:`settings_summary` of the settings that
    capture was judged with (ERROR results too; a combined result whose members differ lists
    them under ``members``). ``RunResult.settings`` is that common dict when every capture
    shares it, else the summary of ``settings`` with ``settings_note`` saying so.

    Raises
    ------
    AnalysisError
        ``combine`` and the captures resolve to different limits or distance.
    """
    used = [settings_for(str(p)) if settings_for else settings for p in paths]
    summaries = [settings_summary(s) for s in used]
    if combine:
        from .combine import analyse_members  # combine builds on this module's steps

        result, members = analyse_members([Path(p) for p in paths], used, label, base_dir)
        same = all(x == summaries[0] for x in summaries)
        effective = (
            summaries[0]
            if same
            else {"members": [{"path": str(p), **x} for p, x in zip(paths, summaries, strict=True)]}
        )
        results = [dataclasses.replace(result, settings=effective)]
    else:
        results = [
            dataclasses.replace(analyse_file(p, s, label=label, base_dir=base_dir), settings=x)
            for p, s, x in zip(paths, used, summaries, strict=True)
        ]
        members = [(r.path, r.sha256) for r in results]
    common = [r.settings for r in results]
    note = ""
    if common and all(x == common[0] for x in common):
        run_settings = dict(common[0])
    else:
        run_settings = settings_summary(settings)
        if common:
            note = (
                "the captures were judged with different effective settings (setup [[rule]]s); "
                "these are the base settings, each capture lists its own"
            )
    return RunResult(
        version=__version__,
        captures=tuple(results),
        inputs=input_files(members, used or [settings], setup, base_dir),
        command=command,
        settings=run_settings,
        settings_note=note,
        decision_rule=_run_rule(used, settings),
    )


def _run_rule(used: Sequence[CheckSettings], base: CheckSettings) -> str:
    """Return the decision rule every capture was judged under.

    The base one when they differ (each capture's ``settings`` names its own).
    """
    rules = {s.decision_rule for s in used}
    return rules.pop() if len(rules) == 1 else base.decision_rule
