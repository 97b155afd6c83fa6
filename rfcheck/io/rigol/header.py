"""The ``key,value`` header of a Rigol export, and the traces and capture built from it.

Recognised keys (case-insensitive, single-spaced) are listed in :data:`FIELDS`; per-trace
values are a comma list (``Trace Mode, Clear Write, Max Hold``) or keyed ``Trace1 Mode``.
Both layouts (:mod:`.table`, :mod:`.pairs`) read the same header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ...capture import (
    Capture,
    Detector,
    Instrument,
    Trace,
    TraceMode,
    parse_detector,
    stated_trace_mode,
)
from ...errors import CaptureFormatError, UnitError
from ...units import LevelScale, LevelUnit, parse_scaled_level_unit
from .._average_type import on_average_scale
from .._common import (
    FREQ_SCALE,
    TIME_SCALE,
    UNIT_ADVICE,
    axis_disagreements,
    check_levels,
    name_key,
)
from .._header import iso_timestamp
from .._level_scale import StatedUnit, convert_levels, level_unit_of

__all__ = [
    "FIELDS",
    "Header",
    "read_header",
    "split_cells",
    "is_number",
    "level_unit",
    "make_trace",
    "check_points",
    "axis_notes",
    "make_capture",
]


#: Rigol header keys (lower case, single-spaced) -> canonical field.
FIELDS: dict[str, str] = {
    "model": "model",
    "device": "model",
    "instrument": "model",
    "product model": "model",
    "serial": "serial",
    "serial number": "serial",
    "sn": "serial",
    "version": "firmware",
    "firmware": "firmware",
    "firmware version": "firmware",
    "software version": "firmware",
    "date": "date",
    "time": "time",
    "start frequency": "start_hz",
    "start freq": "start_hz",
    "start": "start_hz",
    "stop frequency": "stop_hz",
    "stop freq": "stop_hz",
    "stop": "stop_hz",
    "center frequency": "center_hz",
    "center freq": "center_hz",
    "span": "span_hz",
    "rbw": "rbw_hz",
    "res bw": "rbw_hz",
    "resolution bw": "rbw_hz",
    "vbw": "vbw_hz",
    "video bw": "vbw_hz",
    "sweep time": "sweep_time_s",
    "swt": "sweep_time_s",
    "points": "points",
    "sweep points": "points",
    "trace points": "points",
    "number of points": "points",
    "unit": "unit",
    "units": "unit",
    "amplitude unit": "unit",
    "y unit": "unit",
    "trace mode": "mode",
    "trace type": "mode",
    "detector": "detector",
    "detector type": "detector",
    "trace detector": "detector",
    "average type": "average_type",
    "avg type": "average_type",
}


_MODES: dict[str, TraceMode] = {
    "clearwrite": TraceMode.CLEAR_WRITE,
    "write": TraceMode.CLEAR_WRITE,
    "normal": TraceMode.CLEAR_WRITE,
    "maxhold": TraceMode.MAX_HOLD,
    "minhold": TraceMode.MIN_HOLD,
    "average": TraceMode.AVERAGE,
    "videoavg": TraceMode.AVERAGE,
    "poweravg": TraceMode.AVERAGE,
    "view": TraceMode.VIEW,
    "freeze": TraceMode.VIEW,
}


#: Rigol detector names beyond the common ones. A video (log-power) or log average is a mean
#: of dB values, never above the voltage average: a lower bound only (docs/verdict.md).
_EXTRA_DETECTORS: dict[str, Detector] = {
    "videoavg": Detector.LOG_AVERAGE,
    "voltageavg": Detector.AVERAGE,
    "voltavg": Detector.AVERAGE,
    "logavg": Detector.LOG_AVERAGE,
    "rmsavg": Detector.RMS_AVERAGE,
}


#: Per-trace keys (``Trace1 Mode``) -> canonical field.
_PER_TRACE_FIELDS: dict[str, str] = {
    "mode": "mode",
    "trace mode": "mode",
    "type": "mode",
    "detector": "detector",
    "unit": "unit",
}


_MODEL_RE = re.compile(r"\b((?:DSA|RSA)\d{3,4}[A-Z]*(?:-TG)?)\b", re.I)


_PER_TRACE_RE = re.compile(r"^trace\s*(\d)\s+(.*)$", re.I)


_NUM_RE = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")

#: A number and its unit in one cell (``9 kHz``, ``2.000000e+01ms``).
_VALUE_UNIT_RE = re.compile(
    r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([^\W\d_]+)\s*$"
)


def is_number(text: str) -> bool:
    """Return True when ``text`` is one number (a data row's first cell)."""
    return bool(_NUM_RE.match(text))


def split_cells(line: str) -> list[str]:
    """Comma-separated cells, stripped, trailing empty cells dropped."""
    parts = [p.strip() for p in line.split(",")]
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def level_unit(text: str, path: Path, line: int | None, what: str) -> LevelUnit | LevelScale:
    """Parse a level unit stated for ``what``; an unknown one is an error naming the line.

    A unit converted on reading (the DSA's ``W``, ``mV``) gives its
    :class:`~rfcheck.units.LevelScale`, which :func:`make_trace` converts with.
    """
    try:
        return parse_scaled_level_unit(text)
    except UnitError:
        raise CaptureFormatError(
            f"{what}: unknown level unit {text.strip()!r}", path, line
        ) from None


@dataclass
class Header:
    """The ``key,value`` lines above the data."""

    fields: dict[str, tuple[list[str], int]] = field(
        default_factory=dict
    )  #: canon -> (values, line)
    per_trace: dict[int, dict[str, str]] = field(
        default_factory=dict
    )  #: trace no. -> canon -> value
    meta: dict[str, str] = field(default_factory=dict)
    model_hint: str = ""
    col_header: list[str] | None = None
    keys: dict[str, str] = field(default_factory=dict)  #: canon -> the key as written

    def value(self, name: str, i: int = 0) -> str | None:
        """Value ``i`` of field ``name`` (the first when there are fewer), None when absent."""
        vals = self.fields.get(name, ([], 0))[0]
        if not vals:
            return None
        return vals[i] if 0 <= i < len(vals) else vals[0]

    def number(self, name: str, path: Path) -> float | None:
        """Field ``name`` as a number, None when absent; refused naming the file's key."""
        v = self.value(name)
        if v is None:
            return None
        if not is_number(v):
            key = self.keys.get(name, name)
            raise CaptureFormatError(
                f"header {key!r}: not a number: {v!r}; write one number ('{key},401')",
                path,
                self.fields[name][1],
            )
        return float(v)

    def frequency(self, name: str, path: Path) -> tuple[float, int] | None:
        """Return field ``name`` in Hz, scaled by its unit cell (``30,MHz``), and its line.

        Raises
        ------
        CaptureFormatError
            The unit cell is not Hz, kHz, MHz or GHz (naming the key and the unit).
        """
        return self._scaled(name, path, FREQ_SCALE, "Hz, kHz, MHz or GHz")

    def duration(self, name: str, path: Path) -> float | None:
        """Return field ``name`` in seconds, scaled by its unit cell (``200,ms``); None if absent.

        Raises
        ------
        CaptureFormatError
            The unit cell is not s, ms, us or ns (naming the key and the unit).
        """
        got = self._scaled(name, path, TIME_SCALE, "s, ms, us or ns")
        return None if got is None else got[0]

    def _scaled(
        self, name: str, path: Path, scales: dict[str, float], known: str
    ) -> tuple[float, int] | None:
        """Field ``name`` times the multiplier its unit names (none: x1), and its line.

        The unit is the next cell (``RBW,9,kHz``) or shares the value's cell (``RBW,9 kHz``,
        as the Signal Hound reader reads it). A value that is neither, or a unit written in
        both places, is refused naming the file's key and saying how to write it.
        """
        if name not in self.fields or not self.fields[name][0]:
            return None
        vals, line = self.fields[name]
        key = self.keys.get(name, name)
        how = f"write it as '{key},<number>,<unit>' with the unit {known}"
        text, unit = vals[0], (vals[1] if len(vals) > 1 else None)
        joined = _VALUE_UNIT_RE.match(text)
        if not is_number(text) and joined:
            if unit is not None:
                raise CaptureFormatError(
                    f"header {key!r}: {text!r} carries its unit and is followed by {unit!r}: "
                    f"which is meant is unclear; {how}",
                    path,
                    line,
                )
            text, unit = joined.group(1), joined.group(2)
        if not is_number(text):
            raise CaptureFormatError(f"header {key!r}: not a number: {text!r}; {how}", path, line)
        value = float(text)
        if unit is None:
            return value, line
        scale = scales.get(unit.lower())
        if unit.startswith("m") and unit[1:].lower() == "hz":  # SI: millihertz, not MHz
            scale = None
        if scale is None:
            raise CaptureFormatError(
                f"header {key!r}: unknown unit {unit!r} (expected {known})", path, line
            )
        return value * scale, line

    def mode_text(self, j: int) -> str:
        """Trace mode text of trace number ``j`` (1-based); "" when the file states none."""
        return self.per_trace.get(j, {}).get("mode") or self.value("mode", j - 1) or ""

    def detector_text(self, j: int) -> str:
        """Detector text of trace number ``j`` (1-based); "" when the file states none."""
        return self.per_trace.get(j, {}).get("detector") or self.value("detector", j - 1) or ""

    def detector(self, j: int, name: str, warnings: list[str]) -> Detector:
        """Detector of trace number ``j`` (1-based), on the file's ``Average Type`` scale.

        A plain ``Average`` detector is read on the scale ``Average Type`` states, and is
        unknown (noted) without one (:func:`~rfcheck.io._average_type.on_average_scale`);
        ``Video Avg``, ``Voltage Avg``, ``Log Avg`` and ``RMS Avg`` name their own scale.
        """
        det_text = self.detector_text(j)
        det = (
            _EXTRA_DETECTORS.get(name_key(det_text)) or parse_detector(det_text) or Detector.UNKNOWN
        )
        average_type = self.value("average_type") or ""
        return on_average_scale(det, det_text, average_type, name, warnings)


def read_header(lines: list[str], stop: int) -> Header:
    """Parse lines ``[0, stop)``: ident line, known fields, per-trace fields, metadata."""
    hdr = Header()
    for n, line in enumerate(lines[:stop], 1):
        parts = split_cells(line)
        if not parts or line.lstrip().startswith("#"):
            continue
        key = " ".join(parts[0].lower().split())
        if n == 1 and key.startswith("rigol"):
            hdr.model_hint = parts[1] if len(parts) > 1 else ""
            if len(parts) > 2:
                hdr.fields.setdefault("serial", (parts[2:3], n))
            if len(parts) > 3:
                hdr.fields.setdefault("firmware", (parts[3:4], n))
            continue
        m = _PER_TRACE_RE.match(key)
        if m and len(parts) > 1 and m.group(2) in _PER_TRACE_FIELDS:
            hdr.per_trace.setdefault(int(m.group(1)), {})[_PER_TRACE_FIELDS[m.group(2)]] = parts[1]
        elif key in FIELDS and len(parts) > 1:
            hdr.fields.setdefault(FIELDS[key], (parts[1:], n))
            hdr.keys.setdefault(FIELDS[key], parts[0])
        elif n == stop and len(parts) > 1:
            hdr.col_header = parts
        if len(parts) > 1:
            hdr.meta[parts[0]] = " ".join(parts[1:])
        elif parts[0].lower() != "trace data":
            hdr.meta.setdefault("note", parts[0])
    if stop > 0 and hdr.col_header is None:
        prev = split_cells(lines[stop - 1])
        if (
            len(prev) > 1
            and not is_number(prev[0])
            and " ".join(prev[0].lower().split()) not in FIELDS
        ):
            hdr.col_header = prev
    return hdr


def make_trace(
    hdr: Header,
    j: int,
    name: str,
    freq: NDArray[np.float64],
    level: NDArray[np.float64],
    stated: StatedUnit,
    path: Path,
    warnings: list[str],
    first_line: int | None = None,
) -> Trace | None:
    """Trace number ``j`` with the header's settings; None (noted) when its mode is Blank.

    ``level`` is in ``stated``, converted when rfcheck converts that unit on reading
    (:func:`.._level_scale.convert_levels`); ``first_line`` is the 1-based line of its first
    point when the points are consecutive lines.
    """
    mode_text = hdr.mode_text(j)
    if name_key(mode_text) == "blank":
        warnings.append(f"trace {name!r} is blank (trace mode Blank); dropped")
        return None
    det = hdr.detector(j, f"trace {name!r}", warnings)
    level = convert_levels(level, stated, path, f"trace {name!r}", warnings, first_line)
    check_levels(level, path, f"trace {name!r}")
    unit = level_unit_of(stated)
    if unit is None:
        warnings.append(f"trace {name!r}: the file states no level unit; {UNIT_ADVICE}")
    mode, reads_low = stated_trace_mode(mode_text, _MODES)
    return Trace(
        freq_hz=freq,
        level=level,
        unit=unit,
        detector=det,
        name=name,
        mode=mode,
        reads_low=reads_low,
        rbw_hz=_hz(hdr.frequency("rbw_hz", path)),
        vbw_hz=_hz(hdr.frequency("vbw_hz", path)),
        sweep_time_s=hdr.duration("sweep_time_s", path),
    )


def _hz(stated: tuple[float, int] | None) -> float | None:
    return None if stated is None else stated[0]


def check_points(hdr: Header, n_rows: int, path: Path, start: int) -> None:
    """Refuse a header ``Points`` count the data contradict (truncated file)."""
    if "points" not in hdr.fields:
        return
    pts = hdr.number("points", path)
    if pts is not None and pts != n_rows:
        raise CaptureFormatError(
            f"{n_rows} data rows but the header says {hdr.fields['points'][0][0]} points "
            "(file truncated?)",
            path,
            start + n_rows,
        )


def axis_notes(hdr: Header, freq: NDArray[np.float64], path: Path) -> list[str]:
    """Return a note for each header Start/Stop frequency the data contradict."""
    stated = {}
    for which in ("start", "stop"):
        got = hdr.frequency(f"{which}_hz", path)
        if got is not None:
            stated[which] = got
    return axis_disagreements(stated, freq, path)


def make_capture(hdr: Header, traces: list[Trace], warnings: list[str]) -> Capture:
    """Return the capture of ``traces`` with the header's instrument, time and metadata."""
    model = hdr.value("model") or hdr.model_hint
    mm = _MODEL_RE.search(model or "")
    date = " ".join(x for x in (hdr.value("date"), hdr.value("time")) if x)
    return Capture(
        traces=tuple(traces),
        instrument=Instrument(
            vendor="Rigol",
            model=mm.group(1).upper() if mm else (model or ""),
            serial=hdr.value("serial") or "",
            firmware=hdr.value("firmware") or "",
        ),
        timestamp=(iso_timestamp(date) or date) if date else None,
        metadata=hdr.meta,
        warnings=tuple(warnings),
    )
