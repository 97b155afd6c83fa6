"""Rohde & Schwarz ASCII trace export (``.DAT``/``.CSV``): EMI receivers and spectrum analysers.

Layout (R&S FSW/FSV user manuals, "Reference: ASCII File Export Format"; ESR/ESRP/ESW
receiver exports): ``;``-separated ``name;value;unit;`` lines, an optional ``sep=;`` first
line, a global header (``Type``, ``Version``, ``Date``, ``Mode``, ``Start``, ``Stop``,
``x-Unit``, ``y-Unit`` -- ``X-Unit``/``Y-Unit`` in the ESR/ESW manuals...), receiver ``Scan
n:`` blocks (``Start``, ``Stop``, ``Step``, ``RBW``, ``Meas Time``...) or the ESU
spurious-emission ``Range n:`` blocks (``RBW``, ``VBW``, ``Sweep time``, ``Detector``...),
whose settings a trace takes where every range agrees; a trace whose ranges state different
RBWs (and which states none of its own) is split into one trace per range, named ``TRACE 1
(range 2)`` (``(scan 2)``), each with its range's RBW, VBW, detector and sweep time (rows
placed by the ranges' ``Start``/``Stop``, :mod:`rfcheck.io._scan_ranges`; kept whole with a
note when they cannot be placed). Then one ``TRACE n:``
block per trace (``Trace n;;`` in the FSW/FPL manuals' layout, after a ``Window;n;<name>``
line; a trace of window 2 or later is named ``Window n Trace m``) with ``Trace Mode``,
``Detector`` (``Scan Detector`` in the ESW manual), ``Values;N;``, followed by N rows
``freq;level;`` (possibly more columns: ``freq;max;min`` for the AUTOPEAK detector, whose
first level is then the positive peak, as the manuals state).
``Trace Mode;BLANK;`` traces carry no data and are dropped. A spectrum-analyser export of
a single trace may have no ``TRACE n:`` line at all (``Trace Mode``/``Detector``/``Values``
sit in the global header). Decimal comma (``150000,000000``) and ISO-8859-1 ``dBµV`` occur.
A ``y-Unit`` the FSW/FPL manuals list besides the dB units (``W``, ``A``, ``dBpW``) is
converted as read, with a note (:mod:`._level_scale`).
An ``x-Unit`` other than Hz is refused; without one the x values are read in Hz, unless the
global ``Start``/``Stop`` say zero span (stated in seconds, or equal): refused. In a file of
several windows a zero-span window is dropped with a note instead (:mod:`._rs_windows`). A global
``Start``/``Stop`` the data contradict is noted, and so is a ``Scan n:`` block whose ``Step``
differs by more than :data:`._rs_sections.STEP_TOLERANCE` from the median spacing of the
data points inside its ``Start``/``Stop`` (a decimated or truncated export): the verdict
follows the points as they are. A receiver's final-measurement list (``TRACE n FINAL:``,
rows ``<trace>;<freq>;<level>;<delta>;<phase>;<ground>``) is a trace of its final detector
(``Trace 1 final (quasi-peak)``), sorted by frequency, with its ``Final Meas Time`` as dwell
and each row's RBW from the scan range holding it (:mod:`._rs_final`): the instrument's
delta to its own limit line, the phase and the earth columns are kept in the metadata, not
judged.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..capture import (
    Capture,
    Detector,
    Instrument,
    Trace,
    stated_trace_mode,
)
from ..errors import CaptureFormatError
from ..frequency import format_hz
from ..units import LevelScale
from ._blocks import check_freq_hz, read_rows
from ._common import name_key, parse_float
from ._header import level_unit_at, map_name, parse_timestamp, split_fields
from ._level_scale import StatedUnit, convert_levels, level_unit_of
from ._lines import TextLines
from ._registry import Reader
from ._rs_applied import applied_settings
from ._rs_axis import axis_notes, refuse_time_axis, stated
from ._rs_final import (
    FINAL_HEADER_MAP,
    FINAL_SECTION_RE,
    FinalSection,
    final_field,
    final_traces,
    read_final_rows,
)
from ._rs_sections import (
    DETECTOR_MAP,
    RANGE_FIELDS,
    RangeSettings,
    Section,
    range_settings,
    refuse_other_export,
    section_number,
    step_notes,
)
from ._rs_windows import ZeroSpanWindows, open_window
from ._scan_ranges import RangeSpan, rows_by_range

__all__ = ["read_rs_ascii", "READER"]

#: Vendor header names -> canonical fields.
HEADER_MAP: dict[str, str] = {
    "Type": "model",
    "Version": "firmware",
    "Date": "date",
    "Time": "time",
    "x-Unit": "x_unit",
    "y-Unit": "y_unit",
    "X-Unit": "x_unit",  # ESR/ESW manuals' spelling
    "Y-Unit": "y_unit",
    "RBW": "rbw_hz",
    "Res BW": "rbw_hz",
    "VBW": "vbw_hz",
    "Video BW": "vbw_hz",
    "SWT": "sweep_time_s",
    "Sweep Time": "sweep_time_s",
    "Sweep time": "sweep_time_s",  # ESU spurious-emission 'Range n:' blocks
    "Meas Time": "dwell_s",
    "Trace Mode": "trace_mode",
    "Detector": "detector",
    "Scan Detector": "detector",  # a trace block's detector in the ESW manual's layout
    "Values": "n_points",
    "Trace": "trace_no",
    "Start": "start_hz",
    "Stop": "stop_hz",
    "Step": "step_hz",  # a receiver 'Scan n:' block's frequency step
    "Step Mode": "step_mode",  # LIN or LOG: a LOG step is not compared with the data
}

_SECTION_RE = re.compile(r"^(Scan|Range|TRACE|Trace)\s*(\d+)\s*:?$")
_DATE_FORMATS = ("%d.%b %y", "%d.%b %Y", "%d.%m.%Y", "%Y-%m-%d", "%d.%b %y %H:%M:%S")


def read_rs_ascii(path: Path) -> Capture:
    """Read a Rohde & Schwarz ASCII trace export.

    Parameters
    ----------
    path : Path
        ``.DAT``/``.CSV`` written by "Export traces in ASCII" (ESR, ESRP, ESW, ESCI, ESU
        receivers; FSV, FSW, FPL, FSL analysers).

    Returns
    -------
    Capture
        One :class:`Trace` per non-blank ``TRACE n:`` block: ``freq_hz`` [Hz], ``level``
        [``y-Unit``, None when the file states none], detector, mode, ``rbw_hz``/``vbw_hz``
        [Hz], ``sweep_time_s`` [s], ``dwell_s`` (receiver ``Meas Time``) [s]; one per
        non-empty ``TRACE n FINAL:`` list (one per RBW when its rows' scan ranges differ).

    Raises
    ------
    CaptureFormatError
        Missing ``Values`` count, truncated block, non-numeric/NaN value, mismatched column
        count, non-increasing frequency, non-frequency x axis, zero span without ``x-Unit``;
        a final list without a known final detector.
    UnitError
        Unknown ``y-Unit``.
    """
    with TextLines.open(path) as lines:
        return _read(path, lines)


def _read(path: Path, lines: TextLines) -> Capture:
    glob = Section("")
    scans: list[Section] = []
    current: Section = glob
    metadata: dict[str, str] = {}
    warnings: list[str] = []
    trace_secs: list[Section] = []
    i = 1 if lines.has_line(0) and lines.text(0).lower().startswith("sep=") else 0
    window = ""
    window_sec: Section | None = None  # the current window's block (window 2 or later)
    while lines.has_line(i):
        text = lines.text(i).strip()
        # 'TRACE 1:' (receivers), 'Trace 1;;' / 'Trace 1:;;' (FSW, FPL, FSV3000 manuals)
        m = _SECTION_RE.match(text.rstrip(";").rstrip())
        final = FINAL_SECTION_RE.match(text.rstrip(";").rstrip())
        if not text:
            i += 1
            continue
        if final:
            current = FinalSection(
                f"{window}TRACE {final.group(1)} FINAL", line=i + 1, window=window_sec
            )
            trace_secs.append(current)
            i += 1
            continue
        if m:
            trace_window = window_sec if m.group(1) not in ("Scan", "Range") else None
            current = Section(f"{window}{m.group(1)} {m.group(2)}", line=i + 1, window=trace_window)
            (scans if m.group(1) in ("Scan", "Range") else trace_secs).append(current)
            i += 1
            continue
        parts = split_fields(text, ";")
        if not parts:
            i += 1
            continue
        key, vals = parts[0], parts[1:]
        refuse_other_export(key, glob, path, i + 1)
        if isinstance(current, FinalSection):
            key, vals = final_field(key, vals)
        if key[:1] and key[0] in "0123456789+-.":
            raise CaptureFormatError(
                f"data row without a preceding 'Values;N;' line (missing data marker?): {text!r}",
                path,
                i + 1,
            )
        if key == "Frames":
            warnings.append(_one_frame(vals, path, i + 1))
        prefix = f"{current.name}: " if current.name else ""
        metadata[prefix + key] = " ".join(vals)
        if key == "Window" and vals and vals[0].strip():
            current, window_sec, window = open_window(vals, i + 1, current, glob, window_sec)
            i += 1
            continue
        final_map = FINAL_HEADER_MAP if isinstance(current, FinalSection) else {}
        canon = final_map.get(key) or HEADER_MAP.get(key)
        if canon:
            current.fields[canon] = (vals, i + 1)
        if canon != "n_points":
            i += 1
            continue
        current, after = _read_values(lines, i, glob, current, scans, trace_secs)
        if after is None:  # the block ran to the end of the file
            break
        i = after
    return _build(path, lines, glob, scans, trace_secs, metadata, warnings)


def _read_values(
    lines: TextLines,
    i: int,
    glob: Section,
    current: Section,
    scans: list[Section],
    trace_secs: list[Section],
) -> tuple[Section, int | None]:
    """Read the rows the ``Values;N;`` line at index ``i`` declares into their section.

    Returns
    -------
    section, next
        The section read (a new one for a single-trace export's rows under the global
        header) and the line index to read on from (None: the rows end the file).
    """
    path, text = lines.path, lines.text(i).strip()
    if current is glob or current.is_window:  # a single-trace export: no 'TRACE n:' line
        window = current if current.is_window else None
        prefix = f"{window.name} " if window is not None else ""
        name = f"{prefix}TRACE {_trace_number(glob, path)}"
        current = Section(
            name,
            {"n_points": current.fields.pop("n_points")},
            line=i + 1,
            implicit=True,
            window=window,
        )
        trace_secs.append(current)
    final = current if isinstance(current, FinalSection) else None
    read = current.data is not None or (final is not None and final.rows is not None)
    if read or current in scans:
        raise CaptureFormatError(f"'Values' line outside a trace section: {text!r}", path, i + 1)
    vals = current.fields["n_points"][0]
    n_rows = int(parse_float(vals[0] if vals else "", path, i + 1, "Values", decimal_comma=True))
    declared = f"'Values;{n_rows};' at line {i + 1}"
    if n_rows <= 0 and not (
        final is not None and n_rows == 0
    ):  # an empty final list: no peaks found
        raise CaptureFormatError(
            f"{current.name or 'trace'} declares no points ({declared})", path, i + 1
        )
    first = i + 1
    current.first = first
    if final is not None:
        final.rows, after = read_final_rows(lines, first, n_rows, declared, final.name)
        return final, after
    decimal = "," if lines.has_line(first) and "," in lines.text(first) else "."
    current.data, after = read_rows(
        lines, first, n_rows, declared, sep=";", decimal=decimal, what=current.name
    )
    return current, after


def _one_frame(vals: list[str], path: Path, line: int) -> str:
    """Return the note on a spectrogram of one frame; refuse one of several.

    The FSW/FPL manuals' spectrogram export writes every frame of the trace, each with its
    ``Frame``/``Timestamp`` lines and its own ``Values`` block, after ``Frames;N;``.
    """
    frames = vals[0].strip() if vals else ""
    if frames not in ("1", "1.0", "1,0"):
        raise CaptureFormatError(
            f"a spectrogram export ('Frames;{frames};'): its frames are not read; export "
            "the trace of one sweep instead",
            path,
            line,
        )
    return "a spectrogram export of one frame: read as one sweep"


def _section_trace(
    path: Path,
    lines: TextLines,
    glob: Section,
    sec: Section,
    ranges: RangeSettings,
    warnings: list[str],
) -> list[Trace]:
    """Return the trace(s) of one ``TRACE n:`` section; none (noted) when ``BLANK``.

    The section's fields win over the global ones, which win over ``ranges`` (the settings
    every scan range agrees on, :func:`range_settings`). A section stating no RBW whose
    ranges state different ones gives one trace per range (:func:`_range_traces`).
    """
    merged = {**ranges.fields, **glob.fields, **sec.fields}
    trace_mode_raw = merged.get("trace_mode", ([""], 0))[0]
    if trace_mode_raw and trace_mode_raw[0].upper() == "BLANK":
        warnings.append(f"{sec.name}: blank trace dropped")
        return []
    if sec.data is None:
        raise CaptureFormatError(
            f"{sec.name}: no 'Values;N;' line before its data (missing data marker?)",
            path,
            sec.line,
        )
    if "detector" in glob.fields and "detector" not in sec.fields and not sec.implicit:
        warnings.append(_global_detector_note(sec.name, glob.fields["detector"]))
    first, data = sec.first, sec.data
    unit = _level_unit(merged, sec.name, path)  # refuses a non-frequency x axis, an unknown unit
    if not stated(merged, "x_unit"):
        refuse_time_axis(glob, sec.name, path)
    if data.shape[1] < 2:
        raise CaptureFormatError(
            f"{sec.name}: rows hold no level column: {lines.text(first)!r}", path, first + 1
        )
    if isinstance(unit, LevelScale):  # every level column (an AUTOPEAK pair compares two)
        for j in range(1, data.shape[1]):
            notes = warnings if j == 1 else []
            data[:, j] = convert_levels(data[:, j], unit, path, sec.name, notes, first + 1)
    check_freq_hz(lines, first, data[:, 0], sec.name or "trace")
    for note in axis_notes(glob, merged, data[:, 0], path):
        if note not in warnings:
            warnings.append(note)
    if ranges.rbws_differ and "rbw_hz" not in {**glob.fields, **sec.fields}:
        parts = _range_traces(path, glob, sec, data, ranges, warnings)
        if parts:
            return parts
    name = sec.name or "TRACE 1"
    return [_trace(path, name, merged, data, ranges, warnings)]


def _global_detector_note(name: str, stated: tuple[list[str], int]) -> str:
    """Return the note on a ``TRACE n:`` block taking the file header's ``Detector`` line.

    The ESR manual's header layout differs between single-trace and all-traces export and a
    global line may be meant for one trace only, so the assumption is shown.
    """
    values, line = stated
    text = values[0] if values else ""
    return (
        f"{name}: detector from the file header's Detector line ({text!r}, line {line}): "
        "the TRACE block states none"
    )


def _range_traces(
    path: Path,
    glob: Section,
    sec: Section,
    data: NDArray[np.float64],
    ranges: RangeSettings,
    warnings: list[str],
) -> list[Trace]:
    """Return one trace per scan range of a section whose ranges state different RBWs.

    Each part holds the ``data`` rows its range's ``Start``/``Stop`` place in it
    (:func:`rfcheck.io._scan_ranges.rows_by_range`) and takes its range's settings under the
    global and the section's own. Rows that cannot be placed (a range without a numeric
    ``Start``/``Stop``, a row outside every range, overlapping ranges) keep the trace whole:
    noted, empty list returned.
    """
    spans = []
    for k, rng in enumerate(ranges.sections):
        start_hz, stop_hz = (
            section_number(rng, "start_hz", path),
            section_number(rng, "stop_hz", path),
        )
        if start_hz is None or stop_hz is None:
            break
        spans.append(RangeSpan(k, start_hz, stop_hz))
    placed = rows_by_range(data[:, 0], spans) if len(spans) == len(ranges.sections) else None
    if placed is None:
        rbws = ", ".join(format_hz(v) for v in ranges.rbws_differ)
        warnings.append(
            f"{sec.name}: scan ranges state different RBWs ({rbws}) and their Start/Stop do "
            "not place every row in one range: the trace has no single RBW"
        )
        return []
    parts = []
    for k, rows in placed:
        rng = ranges.sections[k]
        own = {key: rng.fields[key] for key in RANGE_FIELDS if key in rng.fields}
        merged = {**own, **glob.fields, **sec.fields}
        kind, number = rng.name.split()[-2:]
        name = f"{sec.name} ({kind.lower()} {number})"
        parts.append(_trace(path, name, merged, data[rows], ranges, warnings))
    return parts


def _trace(
    path: Path,
    name: str,
    merged: dict[str, tuple[list[str], int]],
    data: NDArray[np.float64],
    ranges: RangeSettings,
    warnings: list[str],
) -> Trace:
    """Return the :class:`Trace` of ``data`` rows (``freq;level...``) with ``merged`` fields."""
    eff = Section(name, merged)
    trace_mode_raw = merged.get("trace_mode", ([""], 0))[0]
    mode, reads_low = stated_trace_mode(trace_mode_raw[0] if trace_mode_raw else "")
    return Trace(
        freq_hz=data[:, 0],
        level=data[:, 1],
        unit=level_unit_of(_level_unit(merged, name, path)),
        detector=_trace_detector(name, merged, data, ranges, warnings),
        name=name,
        mode=mode,
        reads_low=reads_low,
        rbw_hz=section_number(eff, "rbw_hz", path),
        vbw_hz=section_number(eff, "vbw_hz", path),
        sweep_time_s=section_number(eff, "sweep_time_s", path),
        dwell_s=section_number(eff, "dwell_s", path),
    )


def _trace_detector(
    name: str,
    merged: dict[str, tuple[list[str], int]],
    data: NDArray[np.float64],
    ranges: RangeSettings,
    warnings: list[str],
) -> Detector:
    """Return a trace's detector from its merged fields, noting what cannot be mapped.

    A trace stating none whose scan ranges use different detectors gets a note (once); an
    AUTOPEAK block of ``x;max;min`` rows is the positive peak (:func:`_autopeak_pair`).
    """
    if "detector" not in merged and ranges.detectors_differ:
        note = (
            f"scan ranges use different detectors ({', '.join(ranges.detectors_differ)}): "
            "the detector of the traces is unknown"
        )
        if note not in warnings:
            warnings.append(note)
    det_raw = merged.get("detector", ([""], 0))[0]
    det_text = det_raw[0] if det_raw else ""
    detector = map_name(det_text, DETECTOR_MAP, Detector.UNKNOWN)
    if det_text and detector is Detector.UNKNOWN:
        warnings.append(f"{name}: unrecognised detector {det_text!r}")
    if _autopeak_pair(det_text, data):
        warnings.append(
            f"{name}: AUTOPEAK rows hold each point's largest and smallest reading: the "
            "largest (positive peak) is the trace, the smallest is not used"
        )
        return Detector.PEAK
    if data.shape[1] > 2:
        warnings.append(f"{name}: {data.shape[1] - 2} extra value column(s) ignored")
    return detector


def _autopeak_pair(det_text: str, data: NDArray[np.float64]) -> bool:
    """Whether an AUTOPEAK block holds ``x;max;min`` rows (R&S FSW/FPL manuals).

    The manuals' trace export: ``<x>;<y1>;<y2>``, "<y2> being available only with detector
    AUTOPEAK and containing in this case the smallest of the two measured values": ``y1`` is
    the positive peak. Believed only when every row bears it out (``y1 >= y2``); a one-level
    AUTOPEAK block says neither, and stays the normal detector.
    """
    return (
        name_key(det_text) == "autopeak"
        and data.shape[1] == 3
        and bool(np.all(data[:, 1] >= data[:, 2]))
    )


def _level_unit(merged: dict[str, tuple[list[str], int]], name: str, path: Path) -> StatedUnit:
    """``y-Unit`` of a trace whose ``x-Unit`` must be Hz; None when no unit is stated.

    A unit converted on reading (``W``, ``dBpW``, ``A``) gives its
    :class:`~rfcheck.units.LevelScale`: :func:`_section_trace` converts the rows with it.
    """
    x_unit = merged.get("x_unit")
    if x_unit and x_unit[0] and x_unit[0][0].lower() != "hz":
        raise CaptureFormatError(
            f"{name}: x-Unit {x_unit[0][0]!r} is not a frequency axis in Hz "
            "(zero-span and statistics exports are not supported)",
            path,
            x_unit[1],
        )
    y_unit = merged.get("y_unit")
    if y_unit and y_unit[0] and y_unit[0][0]:
        return level_unit_at(y_unit[0][0], path, y_unit[1])
    return None


def _trace_number(glob: Section, path: Path) -> int:
    """Return the instrument's trace number of a single-trace export (``Trace;2;``), else 1."""
    vals, line = glob.fields.get("trace_no", ([], 0))
    if not vals or not vals[0]:
        return 1
    number = parse_float(vals[0], path, line, "Trace", decimal_comma=True)
    if number != int(number) or number < 1:
        raise CaptureFormatError(f"Trace: not a trace number: {vals[0]!r}", path, line)
    return int(number)


def _final_traces(
    path: Path,
    glob: Section,
    sec: FinalSection,
    ranges: RangeSettings,
    metadata: dict[str, str],
    warnings: list[str],
) -> list[Trace]:
    """Return the trace(s) of a ``TRACE n FINAL:`` list (:func:`._rs_final.final_traces`).

    Its ``x-Unit``/``y-Unit`` are its own or the file's, checked as a trace's are.
    """
    merged = {**glob.fields, **sec.fields}
    unit = _level_unit(merged, sec.name, path)
    if not stated(merged, "x_unit"):
        refuse_time_axis(glob, sec.name, path)
    return final_traces(path, glob, sec, unit, ranges, metadata, warnings)


def _build(
    path: Path,
    lines: TextLines,
    glob: Section,
    scans: list[Section],
    trace_secs: list[Section],
    metadata: dict[str, str],
    warnings: list[str],
) -> Capture:
    ranges = range_settings(scans, path)
    traces: list[Trace] = []
    scanned: list[Trace] = []
    windows = ZeroSpanWindows(path, any(sec.window is not None for sec in trace_secs))
    for sec in trace_secs:  # file order; a final list's points are not a scan's step
        own = windows.header(glob, sec, warnings)
        if windows.dropped(own, sec, warnings):  # a zero-span window beside a sweep's
            continue
        if isinstance(sec, FinalSection):
            traces += _final_traces(path, own, sec, ranges, metadata, warnings)
            continue
        part = _section_trace(path, lines, own, sec, ranges, warnings)
        scanned += part
        traces += part
    if not traces:
        windows.refuse_if_all_dropped()
        raise CaptureFormatError("no trace data: no non-blank trace with a 'Values;N;' line", path)
    warnings += step_notes(scans, scanned, path)
    warnings += applied_settings(metadata)
    model = glob.fields.get("model", ([""], 0))[0]
    firmware = glob.fields.get("firmware", ([""], 0))[0]
    date = glob.fields.get("date", ([""], 0))[0]
    time = glob.fields.get("time", ([""], 0))[0]
    stamp_text = " ".join(x for x in (date[0] if date else "", time[0] if time else "") if x)
    timestamp = parse_timestamp(stamp_text, _DATE_FORMATS) if stamp_text else None
    if stamp_text and timestamp is None:
        warnings.append(
            f"the date {stamp_text!r} is not in a form rfcheck reads (01.Oct 2006, 01.Oct 06, "
            "01.10.2006, 2006-10-01; English month names): kept as written, not read as a date"
        )
    instrument = Instrument(
        vendor="Rohde & Schwarz",
        model=(model[0] if model else "").removeprefix("R&S").strip(),
        firmware=firmware[0] if firmware else "",
    )
    return Capture(
        traces=tuple(traces),
        instrument=instrument,
        timestamp=timestamp or (stamp_text or None),
        metadata=metadata,
        warnings=tuple(warnings),
    )


def _sniff(head: bytes, path: Path) -> bool:
    text = head.decode("latin-1").splitlines()
    if text and text[0].strip().lower() == "sep=;":
        text = text[1:]
    if not text or not re.match(r"^Type;[^;]*;", text[0]):
        return False
    return any(t.startswith(("Version;", "Values;")) for t in text[1:40])


READER = Reader(
    name="rs-ascii",
    title="Rohde & Schwarz ASCII trace export (receivers and analysers, with finals)",
    extensions=(".dat", ".csv"),
    signature="first line 'Type;<model>;' (after an optional 'sep=;') and a 'Version;' line",
    sniff=_sniff,
    read=read_rs_ascii,
    priority=100,
)
