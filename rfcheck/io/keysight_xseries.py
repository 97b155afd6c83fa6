"""Keysight X-series / MXE trace CSV (N9038A MXE, N90x0A/B MXA/EXA/PXA/CXA).

Layout (as written by the instrument's Save > Data > Trace): line 1 ``Trace`` (one trace)
or ``AllTrace`` (every trace), line 2 the measurement mode (``Swept SA``, ``EMI Receiver``),
line 3 ``<firmware>,<model>``, line 4 the option list, then ``key,value`` lines (``Number
of Points``, ``RBW``, ``VBW``, ``Sweep Time``, ``Trace Type``, ``Detector``, ``X Axis Units``,
``Y Axis Units``...; per-trace keys hold one value per trace in ``AllTrace`` files), a
``DATA`` line and ``freq,level[,level...]`` rows. Unused traces are filled with
``-893.01029995664`` and are dropped.
"""

from __future__ import annotations

from pathlib import Path

from ..capture import (
    Capture,
    Detector,
    Instrument,
    Trace,
    TraceMode,
    parse_detector,
    parse_trace_mode,
)
from ..errors import CaptureFormatError
from . import Reader
from ._common import drop_sentinel, parse_float
from ._keyvalue import (
    HeaderEntry,
    TextLines,
    check_freq_hz,
    map_name,
    read_header,
    read_rows,
)
from ._sections import hz_axis_unit

__all__ = ["read_keysight_xseries", "READER"]

#: Vendor header names -> canonical fields.
HEADER_MAP: dict[str, str] = {
    "Number of Points": "n_points",
    "RBW": "rbw_hz",
    "VBW": "vbw_hz",
    "Sweep Time": "sweep_time_s",
    "Dwell Time": "dwell_s",
    "Meas Time": "dwell_s",
    "Trace Type": "trace_mode",
    "Detector": "detector",
    "Trace Name": "trace_name",
    "X Axis Units": "x_unit",
    "Y Axis Units": "y_unit",
}

#: X-series detector names the generic alias table does not know.
DETECTOR_MAP: dict[str, Detector] = {
    "emiaverage": Detector.CISPR_AVERAGE,
    "emiavg": Detector.CISPR_AVERAGE,
    "rmsaverage": Detector.RMS_AVERAGE,
    "negpeak": Detector.NEGATIVE_PEAK,
}

#: Level the instrument writes into every point of an unused trace. [dB]
BLANK_SENTINEL = -893.01029995664


def _per_trace(values: list[str], k: int) -> str:
    if not values:
        return ""
    return values[k] if k < len(values) else values[-1] if len(values) == 1 else ""


def read_keysight_xseries(path: Path) -> Capture:
    """Read a Keysight X-series (MXE/MXA/EXA/PXA/CXA) ``Trace``/``AllTrace`` CSV.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One :class:`Trace` per used trace column: ``freq_hz`` [Hz], ``level`` [``Y Axis
        Units``], detector, mode, ``rbw_hz``/``vbw_hz`` [Hz], ``sweep_time_s`` [s].

    Raises
    ------
    CaptureFormatError
        Missing ``DATA`` line, wrong point count, malformed rows, non-Hz x axis.
    UnitError
        Unknown ``Y Axis Units``.
    """
    with TextLines.open(path) as lines:
        return _read(path, lines)


def _read(path: Path, lines: TextLines) -> Capture:
    if not lines.has_line(4):
        raise CaptureFormatError("too short for an X-series trace CSV", path)
    kind = lines.text(0).strip()
    mode_name = lines.text(1).strip()
    fw_model = [f.strip() for f in lines.text(2).split(",")]
    options = lines.text(3).split(",")[0].strip()
    entries, data_at = read_header(lines, 4, sep=",", stop_keys=frozenset({"DATA"}), marker="DATA")
    if not lines.has_line(data_at):
        raise CaptureFormatError("no 'DATA' line: the file holds no trace data", path)
    metadata: dict[str, str] = {"File Type": kind, "Mode": mode_name, "Options": options}
    fields: dict[str, HeaderEntry] = {}
    for key, vals, line in entries:
        metadata[key] = ",".join(vals)
        if key in HEADER_MAP:
            fields[HEADER_MAP[key]] = (key, vals, line)

    def number(canon: str) -> float | None:
        if canon not in fields or not fields[canon][1]:
            return None
        key, vals, line = fields[canon]
        return parse_float(vals[0], path, line, key, decimal_comma=True)

    unit = hz_axis_unit(fields, path, " (zero-span traces are not supported)")
    n_points = number("n_points")
    first = data_at + 1
    declared = f"'Number of Points,{n_points:g}' at line {fields['n_points'][2]}" if n_points else "DATA"
    data, _ = read_rows(lines, first, int(n_points) if n_points else None, declared, sep=",", what="DATA")
    if data.shape[1] < 2:
        raise CaptureFormatError(f"DATA rows hold no level column: {lines.text(first)!r}", path, first + 1)
    freq_hz = data[:, 0]
    check_freq_hz(lines, first, freq_hz, "DATA")
    modes = fields.get("trace_mode", ("", [], 0))[1]
    detectors = fields.get("detector", ("", [], 0))[1]
    names = fields.get("trace_name", ("", [], 0))[1]
    traces: list[Trace] = []
    warnings: list[str] = []
    for k in range(data.shape[1] - 1):
        name = _per_trace(names, k) or f"Trace{k + 1}"
        level = data[:, k + 1]
        if drop_sentinel(level, BLANK_SENTINEL):
            warnings.append(f"{name}: unused trace (every point {BLANK_SENTINEL}) dropped")
            continue
        det_text = _per_trace(detectors, k)
        detector = map_name(det_text, DETECTOR_MAP, None) or parse_detector(det_text) or Detector.UNKNOWN
        if det_text and detector is Detector.UNKNOWN:
            warnings.append(f"{name}: unrecognised detector {det_text!r}")
        traces.append(
            Trace(
                freq_hz=freq_hz,
                level=level,
                unit=unit,
                detector=detector,
                name=name,
                mode=parse_trace_mode(_per_trace(modes, k)) or TraceMode.UNKNOWN,
                rbw_hz=number("rbw_hz"),
                vbw_hz=number("vbw_hz"),
                sweep_time_s=number("sweep_time_s"),
                dwell_s=number("dwell_s"),
            )
        )
    if not traces:
        raise CaptureFormatError("every trace in the file is unused (blank sentinel)", path, first + 1)
    instrument = Instrument(
        vendor="Keysight",
        model=fw_model[1] if len(fw_model) > 1 else "",
        firmware=fw_model[0],
        options=options,
    )
    return Capture(
        traces=tuple(traces), instrument=instrument, metadata=metadata, warnings=tuple(warnings)
    )


def _sniff(head: bytes, path: Path) -> bool:
    text = head.decode("latin-1").splitlines()
    if len(text) < 5 or text[0].strip() not in ("Trace", "AllTrace"):
        return False
    return any(t.startswith("Y Axis Units,") or t.strip() == "DATA" for t in text[4:])


READER = Reader(
    name="keysight-xseries",
    title="Keysight X-series / MXE EMI receiver trace CSV",
    extensions=(".csv",),
    signature="first line 'Trace' or 'AllTrace', then a 'Y Axis Units,' or 'DATA' line",
    sniff=_sniff,
    read=read_keysight_xseries,
    priority=100,
)
