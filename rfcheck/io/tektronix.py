"""Tektronix SignalVu-PC / RSA CSV exports (Spectrum and EMC-EMI displays).

Layout (inspected on real RSA500/SignalVu-PC exports):

* line 1: ``<display>,<date>`` -- ``Spectrum,10/20/2023 3:21:12 PM``, ``Spectrum 1,11/19/2024
  15:40:24``, ``EMC-EMI 1,11/11/2025 09:42:32`` (only this line may end in CRLF);
* INI-like sections ``[Global Parameters]``, ``[Global Results]``, ``[Markers]``,
  ``[Parameters]``, ``[Trace Parameters]`` (one per trace, first line = trace name),
  ``[Results]``, ``[Traces]``, then one ``[Trace]`` section per exported trace;
* a ``[Trace]`` section: ``<name>,,<unit>,...`` (``dBuVPerMeter``, ``dBm``, ``dBuV``),
  ``NumberPoints,801``, optional ``XStart,150000,Hz`` / ``XStop,...,Hz`` / ``XUnits,Hz``, then
  ``NumberPoints`` data rows. **Spectrum** displays write ``amplitude,frequency`` (value
  first); **EMC-EMI** displays write ``frequency,amplitude``. Frequencies may carry ~30
  significant digits (``29962750.000000000000000000001``).

A spreadsheet's re-save pads every line with empty fields (``[Global Parameters],,``): they are
dropped, noted (:func:`_unpadded`).

Detector: Spectrum ``[Trace Parameters]`` ``Detection,CISPRPk`` (``+Peak``, ``-Peak``,
``Avg (VRMS)``, ``Avg (of logs)``, ``Sample``, ``CISPR QP``, ``CISPR Avg``...); EMC-EMI
``Trace Description,Scan1 CISPR +Pk`` or the first enabled ``scandetectorN`` ``Detector Type``.
``CISPR peak`` is the peak detector measured with CISPR bandwidths (:attr:`Detector.PEAK`).
``RBW Window Type`` (the RBW filter shape): only ``CISPR`` and ``Mil 6dB`` state the RBW at
-6 dB; for another shape ``rbw_hz`` is None, noted (``io/_rbw_definition.py``).
``Avg (VRMS)`` averages power (:attr:`Detector.RMS`); ``Avg (of logs)`` averages dB values
(:attr:`Detector.LOG_AVERAGE`: never above the linear average, so a lower bound only), and so
does, by its name, ``CISPR Avg Log``. A bare ``Avg``/``Average`` states no averaging scale:
unknown, noted.

Units: a value's unit cell is honoured (``Resolution Bandwidth,120,kHz``,
``Scan Dwell Time,10,ms``, ``XStart,30,MHz``; an EMC-EMI range's ``Start Frequency,,150,kHz,``),
and so is a ``[Trace]``'s ``XUnits`` (the rows' frequency unit). A unit the reader does not know
is refused, naming the line and the key: a bandwidth in Hz/kHz/MHz/GHz, a time in
s/ms/us/ns. A value with no unit cell is in Hz or s, as SignalVu writes them.

Spectrum ``XStart``/``XStop`` that the data contradict are an error (swapped columns or a
damaged file); EMC-EMI data that do not reach the enabled ranges' ``Start Frequency`` /
``Stop Frequency`` (by more than one point spacing) are noted, naming both spans (a cut file,
or one exported in part: what it does not reach is not measured).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..capture import (
    Capture,
    Detector,
    Instrument,
    Trace,
    TraceMode,
    parse_detector,
    stated_trace_mode,
)
from ..errors import CaptureFormatError, UnitError
from ..units import parse_scaled_level_unit
from ._common import (
    FREQ_SCALE,
    check_frequency_axis,
    check_levels,
    name_key,
    parse_float,
    parse_optional_float,
    read_text,
)
from ._header import iso_timestamp
from ._level_scale import StatedUnit, convert_levels, level_unit_of
from ._rbw_definition import declined_rbw_note
from ._registry import Reader
from ._signalvu_fields import (
    FIELDS,
    in_base_unit,
    looks_numeric,
    range_row,
    unit_scale,
)
from ._signalvu_ranges import EmcRanges
from ._table import read_table

__all__ = ["read_tektronix", "READER"]

#: SignalVu detector names (alphanumerics only, lower case) -> canonical detector.
_DETECTORS: dict[str, Detector] = {
    "cisprpk": Detector.PEAK,
    "cisprpeak": Detector.PEAK,
    "pluspeak": Detector.PEAK,
    "peak": Detector.PEAK,
    "pk": Detector.PEAK,
    "minuspeak": Detector.NEGATIVE_PEAK,
    "cisprqp": Detector.QUASI_PEAK,
    "quasipeak": Detector.QUASI_PEAK,
    "cispraverage": Detector.CISPR_AVERAGE,
    "cispravg": Detector.CISPR_AVERAGE,
    # a CISPR average taken of log (dB) values: a log-average, a lower bound only (the name
    # is all the export says; no SignalVu reference at hand confirms it is a CISPR reading)
    "cispravglog": Detector.LOG_AVERAGE,
    "cispravgoflogs": Detector.LOG_AVERAGE,
    "avgvrms": Detector.RMS,
    "avgoflogs": Detector.LOG_AVERAGE,
    "avglog": Detector.LOG_AVERAGE,
    "sample": Detector.SAMPLE,
}

#: A bare average detector name: SignalVu names its averages by their scale (``Avg (VRMS)``,
#: ``Avg (of logs)``), so one that states none is not known (docs/verdict.md).
_UNSCALED_AVERAGE = frozenset({"average", "avg"})

#: SignalVu trace functions -> trace mode.
_MODES: dict[str, TraceMode] = {
    "maxhold": TraceMode.MAX_HOLD,
    "minhold": TraceMode.MIN_HOLD,
    "normal": TraceMode.CLEAR_WRITE,
    "average": TraceMode.AVERAGE,
    "avg": TraceMode.AVERAGE,
    "hold": TraceMode.VIEW,
}


_FIRST_LINE_RE = re.compile(rb"^[^,\[\r\n]{1,60},\s*\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}")


def _sniff(head: bytes, path: Path) -> bool:
    lines = head.lstrip(b"\xef\xbb\xbf").splitlines()
    return (
        len(lines) >= 2
        and bool(_FIRST_LINE_RE.match(lines[0]))
        # a spreadsheet's re-save pads the line with empty fields: '[Global Parameters],,'
        and (lines[1].strip().rstrip(b",").rstrip() == b"[Global Parameters]")
    )


def _unpadded(lines: list[str]) -> tuple[list[str], str]:
    """Return the lines as SignalVu wrote them, and a note when a spreadsheet padded them.

    Excel's re-save pads every line with empty fields up to the widest row
    (``[Global Parameters],,``, ``Function,Average,``, ``30,30000000,``): a section line
    ending in commas says so, and every line's trailing empty fields are then dropped. An
    instrument's own line never ends a section name with a comma. Nothing else is changed:
    the layout must be intact to be read.
    """
    if len(lines) < 2 or not re.fullmatch(r"\[Global Parameters\](\s*,)+\s*", lines[1].strip()):
        return lines, ""
    note = (
        "line 2 '[Global Parameters]' is padded with empty fields: a spreadsheet's re-save "
        "(every line padded to the widest row); the trailing empty fields are ignored"
    )
    return [re.sub(r"(\s*,)+\s*$", "", line) for line in lines], note


def _detector(text: str) -> Detector:
    """Return the detector a SignalVu ``Detection`` value names (``-Peak``: negative peak).

    The sign of ``+Peak`` / ``-Peak`` is read as ``plus`` / ``minus`` before the name is
    reduced to its letters and digits (which would make ``-Peak`` a peak: a false PASS).
    """
    stripped = text.strip()
    sign = {"-": "minus", "+": "plus"}.get(stripped[:1], "")
    key = sign + name_key(stripped)
    if key in _UNSCALED_AVERAGE:
        return Detector.UNKNOWN
    if key in _DETECTORS:
        return _DETECTORS[key]
    return parse_detector(text) or Detector.UNKNOWN


def _sections(lines: list[str]) -> list[tuple[str, int, list[str]]]:
    """Split into ``(name, first_line_no, lines)`` sections (line numbers 1-based)."""
    out: list[tuple[str, int, list[str]]] = []
    name, start = "", 1
    body: list[str] = []
    for i, line in enumerate(lines, 1):
        s = line.strip()
        if s.startswith("[") and s.endswith("]"):
            out.append((name, start, body))
            name, start, body = s[1:-1], i + 1, []
        else:
            body.append(line)
    out.append((name, start, body))
    return out


def _trace_params(body: list[str], start: int, path: Path) -> tuple[str, dict[str, str]]:
    """Name and canonical fields of one ``[Trace Parameters]`` block (``body`` from ``start``).

    A number's unit cell is applied (:func:`in_base_unit`).
    """
    name = body[0].strip() if body else ""
    fields: dict[str, str] = {}
    scan_detector = ""
    enabled = False
    for n, line in enumerate(body[1:], start + 1):
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 2:
            continue
        k, v = parts[0], parts[1]
        if k.lower().startswith("scandetector") and k.lower().endswith("enabled"):
            enabled = v.lower() == "true"
        elif k == "Detector Type" and enabled and not scan_detector:
            scan_detector = v
        elif k in FIELDS and FIELDS[k] not in fields and v:
            unit = parts[2] if len(parts) > 2 else ""
            fields[FIELDS[k]] = in_base_unit(k, v, unit, path, n)
    if scan_detector:
        fields["scan_detector"] = scan_detector
    return name, fields


def _header_value(parts: list[str]) -> str:
    """Value of a ``key,value,unit`` or EMC range ``key,,value,unit,`` row."""
    if len(parts) >= 3 and parts[1] == "" and parts[2] != "":
        return parts[2]
    return parts[1] if len(parts) > 1 else ""


def read_tektronix(path: Path) -> Capture:
    """Read a Tektronix SignalVu-PC CSV export (Spectrum or EMC-EMI display).

    Parameters
    ----------
    path : Path
        The ``.csv`` file.

    Returns
    -------
    Capture
        One :class:`~rfcheck.capture.Trace` per ``[Trace]`` section: frequency [Hz], level in the
        stated unit (``dBuVPerMeter`` -> dBµV/m), detector, max-hold/normal mode, RBW/VBW [Hz].

    Raises
    ------
    CaptureFormatError
        No ``[Trace]`` section, unknown unit, point count different from ``NumberPoints``
        (truncated file), non-numeric rows, NaN or non-monotonic frequencies.
    """
    text = read_text(path)
    lines, padding = _unpadded(text.splitlines())
    first = lines[0].split(",", 1)
    display = first[0].strip()
    if len(first) < 2 or len(lines) < 2 or lines[1].strip() != "[Global Parameters]":
        raise CaptureFormatError(
            f"not a SignalVu export: expected '<display>,<date>' then [Global Parameters], "
            f"got {lines[0][:60]!r}",
            path,
            1,
        )
    timestamp = iso_timestamp(first[1]) or first[1].strip() or None
    freq_first = display.upper().startswith("EMC")
    metadata: dict[str, str] = {"display": display}
    params: dict[str, str] = {}
    trace_params: dict[str, dict[str, str]] = {}
    traces: list[Trace] = []
    warnings: list[str] = [padding] if padding else []
    ranges = EmcRanges()
    for name, start, body in _sections(lines):
        if name in ("Global Parameters", "Parameters"):
            for n, line in enumerate(body, start):
                parts = [p.strip() for p in line.split(",")]
                if name == "Parameters":
                    ranges.add(range_row(parts, path, n))
                value = _header_value(parts)
                unit = (
                    parts[3]
                    if len(parts) > 3 and parts[1] == ""
                    else (parts[2] if len(parts) > 2 else "")
                )
                if parts[0] and value and parts[0] not in metadata:
                    metadata[parts[0]] = f"{value} {unit}".strip()
                if name == "Parameters" and parts[0] in FIELDS and value:
                    value = in_base_unit(parts[0], value, unit, path, n)
                    params.setdefault(FIELDS[parts[0]], value)
        elif name == "Trace Parameters":
            tname, fields = _trace_params(body, start, path)
            trace_params.setdefault(tname, fields)
        elif name == "Trace":
            per_range = ranges.rbws_differ(path)  # the RBW is then each range's (split below)
            ends_file = start + len(body) - 1 == len(lines)  # its rows end the file
            tr = _read_trace(
                path,
                start,
                body,
                freq_first,
                params,
                trace_params,
                warnings,
                per_range,
                last_row_ended=not ends_file or text.endswith(("\n", "\r")),
            )
            if tr is not None:
                traces.append(tr)
    if not traces:
        if "Traces" not in {n for n, _, _ in _sections(lines)}:
            raise CaptureFormatError("no [Traces]/[Trace] section (file truncated?)", path)
        raise CaptureFormatError("no trace data in the [Trace] sections", path)
    warnings += ranges.unreached(traces, path)
    if ranges.rbws_differ(path):  # each part with its range's RBW, as its filter shape states it
        window = params.get("rbw_window", "")
        traces = [
            dataclasses.replace(p, rbw_hz=_rbw_6db_hz(p.rbw_hz, window, p.name, warnings))
            for tr in traces
            for p in ranges.split(tr, path, warnings)
        ]
    return Capture(
        traces=tuple(traces),
        instrument=Instrument(vendor="Tektronix", options=f"SignalVu-PC {display}"),
        timestamp=timestamp,
        metadata=metadata,
        warnings=tuple(warnings),
    )


def _read_trace(
    path: Path,
    start: int,
    body: list[str],
    freq_first: bool,
    params: dict[str, str],
    trace_params: dict[str, dict[str, str]],
    warnings: list[str],
    per_range: bool = False,
    *,
    last_row_ended: bool = True,
) -> Trace | None:
    """One ``[Trace]`` section (``body`` from line ``start``); None (noted) when empty.

    ``per_range``: the scan's ranges state different RBWs, which
    :class:`~rfcheck.io._signalvu_ranges.EmcRanges` gives the parts of the trace; the trace
    itself gets none here. ``last_row_ended``: False when the section's last row ends the
    file with no line ending (:mod:`._last_row`).
    """
    name, stated = _trace_head(path, start, body)
    header, i = _trace_header(body, start)
    n_points = _n_points(header, name, path, start)
    rows = body[i:]
    while rows and not rows[-1].strip():
        rows.pop()
    if n_points == 0 and not rows:
        warnings.append(f"trace {name!r} holds no points; dropped")
        return None
    if not rows:
        _refuse_unread_row(header, body, start, name, path)
        raise CaptureFormatError(
            f"trace {name!r}: NumberPoints {n_points} but no data rows (file truncated?)", path
        )
    data = read_table(
        "\n".join(rows),
        path,
        first_line=start + i,
        ncols=2,
        what=f"trace {name!r}",
        last_row_ended=last_row_ended,
    )
    if data.shape[0] != n_points:
        _refuse_unread_row(header, body, start, name, path)
        raise CaptureFormatError(
            f"trace {name!r}: {data.shape[0]} data rows but NumberPoints is {n_points} "
            "(file truncated?)",
            path,
            start + i + data.shape[0] - 1,
        )
    freq, level = (data[:, 0], data[:, 1]) if freq_first else (data[:, 1], data[:, 0])
    freq = np.ascontiguousarray(freq) * _x_scale(header, name, path)
    level = convert_levels(
        np.ascontiguousarray(level), stated, path, f"trace {name!r}", warnings, start + i
    )
    check_frequency_axis(freq, path, f"trace {name!r} frequency axis")
    check_levels(level, path, f"trace {name!r} levels")
    _check_xrange(header, freq, name, path)
    tp = trace_params.get(name, {})
    rbw = None
    if not per_range:
        rbw = parse_optional_float(tp.get("rbw_hz") or params.get("rbw_hz"), path, "RBW")
        window = tp.get("rbw_window") or params.get("rbw_window", "")
        rbw = _rbw_6db_hz(rbw, window, name, warnings)
    vbw_on = (tp.get("vbw_enabled") or params.get("vbw_enabled") or "").lower() == "true"
    vbw = (
        parse_optional_float(tp.get("vbw_hz") or params.get("vbw_hz"), path, "VBW")
        if vbw_on
        else None
    )
    det_text = _detector_text(tp, name)
    detector = _detector(det_text) if det_text else Detector.UNKNOWN
    if detector is Detector.LOG_AVERAGE:
        warnings.append(
            f"trace {name!r}: {_detection_field(tp, det_text)} read as log-average: an "
            "average of log (dB) values is never above the linear average, so it bounds every "
            "limit line from below only"
        )
    elif name_key(det_text) in _UNSCALED_AVERAGE:
        warnings.append(
            f"trace {name!r}: {_detection_field(tp, det_text)} states no averaging scale "
            "(SignalVu's are 'Avg (VRMS)' and 'Avg (of logs)'), so the detector is not known; "
            "state it with --detector"
        )
    mode, reads_low = stated_trace_mode(tp.get("mode", ""), _MODES)
    return Trace(
        freq_hz=freq,
        level=level,
        unit=level_unit_of(stated),
        detector=detector,
        name=name,
        mode=mode,
        reads_low=reads_low,
        rbw_hz=rbw,
        vbw_hz=vbw,
        dwell_s=parse_optional_float(tp.get("dwell_s"), path, "Scan Dwell Time"),
    )


#: SignalVu RBW filter shapes whose bandwidth is the -6 dB one: the CISPR shape (CISPR 16-1-1
#: states its bandwidths at -6 dB) and "Mil 6dB" (named for it). For the others (Kaiser,
#: Blackman-Harris, flat-top, uniform, Hanning...) the export does not say at which level
#: the RBW is stated, so it is not used (noted).
_SIX_DB_WINDOWS = frozenset({"cispr", "mil6db"})


def _rbw_6db_hz(rbw_hz: float | None, window: str, name: str, warnings: list[str]) -> float | None:
    """Return the trace's RBW when its filter shape states it at -6 dB; None (noted) else [Hz].

    A file that names no shape keeps its RBW as read.
    """
    if rbw_hz is None or not window or name_key(window) in _SIX_DB_WINDOWS:
        return rbw_hz
    why = f"stated for the {window} filter shape, whose -6 dB width the export does not give"
    note = declined_rbw_note(rbw_hz, f"'RBW Window Type,{window}'", why)
    warnings.append(f"trace {name!r}: {note}")
    return None


def _trace_head(path: Path, start: int, body: list[str]) -> tuple[str, StatedUnit]:
    """Name and level unit from the section's first line (``Trace 1,,dBuVPerMeter,...``).

    A unit converted on reading (``Watts``, ``dBuW``) gives its
    :class:`~rfcheck.units.LevelScale`, for :func:`._level_scale.convert_levels`.
    """
    if not body or not body[0].strip():
        raise CaptureFormatError("[Trace] section without a trace header line", path, start)
    head = [p.strip() for p in body[0].split(",")]
    name = head[0]
    if len(head) <= 2 or not head[2]:
        return name, None
    try:
        return name, parse_scaled_level_unit(head[2])
    except UnitError:
        raise CaptureFormatError(
            f"trace {name!r}: unknown level unit {head[2]!r}", path, start
        ) from None


#: A ``[Trace]`` header line: key -> (value, line, unit cell).
_TraceHeader = dict[str, tuple[str, int, str]]


def _trace_header(body: list[str], start: int) -> tuple[_TraceHeader, int]:
    """``key,value[,unit]`` lines after the head line, and the index of the first data row."""
    header: _TraceHeader = {}
    i = 1
    while i < len(body):
        parts = [p.strip() for p in body[i].split(",")]
        if not parts[0] or looks_numeric(parts[0]):
            break
        value = parts[1] if len(parts) > 1 else ""
        header[parts[0]] = (value, start + i, parts[2] if len(parts) > 2 else "")
        i += 1
    return header, i


def _x_scale(header: _TraceHeader, name: str, path: Path) -> float:
    """Return the multiplier from the rows' frequency unit (``XUnits``; Hz if none) to Hz."""
    if "XUnits" not in header or not header["XUnits"][0]:
        return 1.0
    unit, line, _ = header["XUnits"]
    scale = FREQ_SCALE.get(unit.lower())
    if scale is None:
        raise CaptureFormatError(
            f"trace {name!r}: XUnits {unit!r} is not a frequency unit (expected Hz, kHz, MHz "
            "or GHz)",
            path,
            line,
        )
    return scale


#: The ``[Trace]`` header keys SignalVu writes before the rows.
_TRACE_KEYS = frozenset({"NumberPoints", "XStart", "XStop", "XUnits"})


def _refuse_unread_row(
    header: _TraceHeader, body: list[str], start: int, name: str, path: Path
) -> None:
    """Refuse a section with a row that does not start with a number, naming it.

    Such a row (``np.float64(150000.0),40.0`` from a script) is taken for a header line:
    one after the last key SignalVu writes before the rows (:data:`_TRACE_KEYS`) is a row
    that does not read, not a cut file.
    """
    lines = sorted(line for _, line, _ in header.values())
    known = [line for key, (_, line, _) in header.items() if key in _TRACE_KEYS]
    after = [line for line in lines if line > max(known, default=start)]
    if after:
        text = body[after[0] - start].strip()
        raise CaptureFormatError(
            f"trace {name!r}: row {text[:60]!r} is not a pair of numbers", path, after[0]
        )


def _n_points(header: _TraceHeader, name: str, path: Path, start: int) -> int:
    if "NumberPoints" not in header:
        raise CaptureFormatError(f"trace {name!r}: no NumberPoints line", path, start)
    np_text, np_line, _ = header["NumberPoints"]
    n_float = parse_float(np_text, path, np_line, "NumberPoints")
    if not n_float.is_integer():
        raise CaptureFormatError(f"NumberPoints: not a count: {np_text!r}", path, np_line)
    return int(n_float)


def _check_xrange(header: _TraceHeader, freq: NDArray[np.float64], name: str, path: Path) -> None:
    """XStart/XStop must match the data [Hz]: a mismatch means swapped columns or damage.

    Each is in its own unit cell (``XStart,30,MHz``), else in ``XUnits``, else in Hz.
    """
    x_unit = header["XUnits"][0] if "XUnits" in header and header["XUnits"][0] else "Hz"
    for key, value in (("XStart", freq[0]), ("XStop", freq[-1])):
        if key in header:
            text, line, unit = header[key]
            unit = unit or x_unit
            stated = parse_float(text, path, line, key) * unit_scale(
                key, unit, FREQ_SCALE, path, line
            )
            if not np.isclose(stated, value, rtol=1e-6, atol=1e-3):
                raise CaptureFormatError(
                    f"trace {name!r}: {key} {text} {unit} but the data has "
                    f"{float(value)!r} Hz "
                    "(amplitude/frequency columns swapped or file damaged)",
                    path,
                    line,
                )


def _detector_text(tp: dict[str, str], name: str) -> str:
    """Detector text from ``[Trace Parameters]``: its Detection, the description, the scan's."""
    if "detector" in tp:
        return tp["detector"]
    if tp.get("description", "").startswith(name) and tp["description"][len(name) :].strip():
        return tp["description"][len(name) :].strip()
    return tp.get("scan_detector", "")


def _detection_field(tp: dict[str, str], det_text: str) -> str:
    """Return the header field a trace's detector was read from, for a note."""
    return f"'Detection,{tp['detector']}'" if "detector" in tp else f"detector {det_text!r}"


READER = Reader(
    name="tektronix",
    title="Tektronix SignalVu-PC / RSA CSV export (Spectrum, EMC-EMI)",
    extensions=(".csv",),
    signature="line 1 '<display>,<m/d/yyyy time>', line 2 '[Global Parameters]'",
    sniff=_sniff,
    read=read_tektronix,
    priority=120,
)
