"""Rigol spectrum analyser CSV trace exports: DSA800/DSA700 (swept) and RSA3000/RSA5000 (real-time).

No public real file was found for these exports; the layout below is assembled from the
instruments' user guides (Storage > Save > Trace, CSV type) and the brief, and is pinned by
the hand-made fixtures in ``tests/fixtures/rigol``. What the reader accepts:

* an optional ``*IDN?``-style first line, ``RIGOL TECHNOLOGIES,DSA815,DSA8A1234,00.01.19``;
* header lines ``key,value[,unit]``, padded with spaces to fixed widths
  (``Start Frequency,   9.000000e+03,   Hz``). Recognised keys (case-insensitive) are listed in
  :data:`_FIELDS`: model/serial/firmware, date/time, start/stop/center/span, RBW/VBW, sweep
  time, points, amplitude unit, trace mode, detector. Per-trace values are either a comma
  list (``Trace Mode, Clear Write, Max Hold``) or keyed ``Trace1 Mode`` / ``Trace 2 Detector``;
* an optional ``Trace Data`` line and an optional column-header row -- ``Frequency,Amplitude``,
  ``Num,Freq(Hz),Amp(dBm)`` (DSA, index column dropped) or ``Frequency(Hz),Trace1(dBm),
  Trace2(dBm)`` (RSA, several traces);
* data rows of numbers, fixed-width padded, optionally ending in a **unit column**
  (``  9.000000e+03,  -80.12,  dBm``).

The level unit comes from the column header, else the unit column, else the ``Unit`` /
``Amplitude Unit`` header line; conflicting statements are an error and no statement leaves
``unit=None``. Frequencies are Hz unless the column header says otherwise, and are checked
against the Start/Stop header values when those are present.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..capture import (
    Capture,
    Detector,
    Instrument,
    Trace,
    TraceMode,
    parse_detector,
    parse_trace_mode,
)
from ..errors import CaptureFormatError, UnitError
from ..units import LevelUnit, parse_level_unit
from . import Reader
from ._common import (
    FREQ_SCALE,
    check_frequency_axis,
    check_levels,
    iso_timestamp,
    name_key,
    parse_float,
    read_table,
    read_text,
)

__all__ = ["read_rigol", "READER"]

#: Rigol header keys (lower case, single-spaced) -> canonical field.
_FIELDS: dict[str, str] = {
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
}

_MODES: dict[str, TraceMode] = {
    "normal": TraceMode.CLEAR_WRITE,
    "videoavg": TraceMode.AVERAGE,
    "poweravg": TraceMode.AVERAGE,
    "freeze": TraceMode.VIEW,
}
_EXTRA_DETECTORS: dict[str, Detector] = {
    "videoavg": Detector.AVERAGE,
    "voltageavg": Detector.AVERAGE,
    "voltavg": Detector.AVERAGE,
    "logavg": Detector.AVERAGE,
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
_IDENT_RE = re.compile(
    r"^\s*(rigol\b.*(dsa|rsa)\d{3,4}|(model|device|instrument|product model)\s*[,;:]\s*(rigol\s+)?(dsa|rsa)\d{3,4})",
    re.I,
)
_MODEL_RE = re.compile(r"\b((?:DSA|RSA)\d{3,4}[A-Z]*(?:-TG)?)\b", re.I)
_PER_TRACE_RE = re.compile(r"^trace\s*(\d)\s+(.*)$", re.I)
_NUM_RE = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
_UNIT_COL_RE = re.compile(r",[ \t]*(dB[A-Za-zµ/()]*|[mµu]?[VW])[ \t]*,?[ \t]*$", re.M | re.I)


def _sniff(head: bytes, path: Path) -> bool:
    text = head.decode("latin-1")
    for line in text.splitlines()[:40]:
        if not line.lstrip().startswith("#") and _IDENT_RE.match(line):
            return True
    return False


def _is_number(text: str) -> bool:
    return bool(_NUM_RE.match(text))


def _unit(text: str, path: Path, line: int | None, what: str) -> LevelUnit:
    try:
        return parse_level_unit(text)
    except UnitError:
        raise CaptureFormatError(f"{what}: unknown level unit {text.strip()!r}", path, line) from None


def read_rigol(path: Path) -> Capture:
    """Read a Rigol DSA800/DSA700/RSA3000/RSA5000 CSV trace export.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One trace per level column: frequency [Hz], level [unit], detector, trace mode,
        RBW/VBW [Hz], sweep time [s]; traces whose mode is ``Blank`` are dropped.

    Raises
    ------
    CaptureFormatError
        No data rows, unknown or conflicting units, point count different from the header
        (truncated file), mismatched column counts, non-numeric values, NaN/non-monotonic
        frequencies, or frequencies that contradict Start/Stop.
    """
    lines = read_text(path).splitlines()
    start = next(
        (i for i, ln in enumerate(lines) if ln.strip() and _is_number(ln.split(",", 1)[0])), None
    )
    if start is None:
        raise CaptureFormatError("no data rows (file truncated?)", path)
    fields: dict[str, tuple[list[str], int]] = {}
    per_trace: dict[int, dict[str, str]] = {}
    meta: dict[str, str] = {}
    model_hint = ""
    col_header: list[str] | None = None
    for n, line in enumerate(lines[:start], 1):
        parts = [p.strip() for p in line.split(",")]
        while parts and parts[-1] == "":
            parts.pop()
        if not parts or line.lstrip().startswith("#"):
            continue
        key = " ".join(parts[0].lower().split())
        if n == 1 and key.startswith("rigol"):
            model_hint = parts[1] if len(parts) > 1 else ""
            if len(parts) > 2:
                fields.setdefault("serial", (parts[2:3], n))
            if len(parts) > 3:
                fields.setdefault("firmware", (parts[3:4], n))
            continue
        m = _PER_TRACE_RE.match(key)
        if m and len(parts) > 1 and m.group(2) in _PER_TRACE_FIELDS:
            per_trace.setdefault(int(m.group(1)), {})[_PER_TRACE_FIELDS[m.group(2)]] = parts[1]
        elif key in _FIELDS and len(parts) > 1:
            fields.setdefault(_FIELDS[key], (parts[1:], n))
        elif n == start and len(parts) > 1:
            col_header = parts
        if len(parts) > 1:
            meta[parts[0]] = " ".join(parts[1:])
        elif parts[0].lower() != "trace data":
            meta.setdefault("note", parts[0])
    if start > 0 and col_header is None:
        prev = [p.strip() for p in lines[start - 1].split(",")]
        while prev and prev[-1] == "":
            prev.pop()
        if len(prev) > 1 and not _is_number(prev[0]) and " ".join(prev[0].lower().split()) not in _FIELDS:
            col_header = prev
    block = "\n".join(lines[start:])
    units_col = _UNIT_COL_RE.findall(block)
    if units_col:
        block = _UNIT_COL_RE.sub("", block)
    data = read_table(block, path, first_line=start + 1, what="trace data")
    if units_col and len(units_col) != data.shape[0]:
        raise CaptureFormatError("unit column present on some data rows only", path, start + 1)
    col_unit: LevelUnit | None = None
    if units_col:
        distinct = sorted(set(units_col))
        if len(distinct) > 1:
            raise CaptureFormatError(f"unit column mixes units {distinct}", path, start + 1)
        col_unit = _unit(distinct[0], path, start + 1, "unit column")
    names: list[str] = []
    scale = 1.0
    if col_header is not None:
        if units_col and len(col_header) == data.shape[1] + 1 and name_key(col_header[-1]) in ("unit", "units"):
            col_header = col_header[:-1]
        if name_key(col_header[0]) in ("num", "no", "index", "idx"):
            col_header = col_header[1:]
            data = data[:, 1:]
        if len(col_header) != data.shape[1]:
            raise CaptureFormatError(
                f"column header names {len(col_header)} columns but the rows have {data.shape[1]}",
                path,
                start,
            )
        fm = re.search(r"\((\s*[kmg]?hz\s*)\)", col_header[0], re.I)
        if fm:
            scale = FREQ_SCALE[fm.group(1).strip().lower()]
        names = col_header[1:]
    if data.shape[1] < 2:
        raise CaptureFormatError("data rows need a frequency and a level column", path, start + 1)
    freq = data[:, 0] * scale if scale != 1.0 else np.ascontiguousarray(data[:, 0])
    check_frequency_axis(freq, path)
    _check_header_axis(path, fields, freq)

    def value(name: str, i: int = 0) -> str | None:
        vals = fields.get(name, ([], 0))[0]
        return vals[i] if len(vals) > i else (vals[0] if vals else None)

    def number(name: str) -> float | None:
        v = value(name)
        return None if v is None else parse_float(v, path, fields[name][1], name)

    hdr_unit = None
    if "unit" in fields:
        u = value("unit")
        hdr_unit = _unit(u or "", path, fields["unit"][1], "Unit")
    traces: list[Trace] = []
    warnings: list[str] = []
    for j in range(1, data.shape[1]):
        name = names[j - 1] if names else f"Trace {j}"
        name_unit = None
        um = re.search(r"\(([^)]*)\)\s*$", name)
        if um:
            name_unit = _unit(um.group(1), path, start, f"column {name!r}")
            name = name[: um.start()].strip() or f"Trace {j}"
        pt = per_trace.get(j, {})
        if "unit" in pt:
            name_unit = name_unit or _unit(pt["unit"], path, None, f"Trace{j} Unit")
        stated = {u for u in (name_unit, col_unit, hdr_unit) if u is not None}
        if len(stated) > 1:
            raise CaptureFormatError(
                f"trace {name!r}: conflicting level units {sorted(u.value for u in stated)}", path
            )
        unit = stated.pop() if stated else None
        mode_text = pt.get("mode") or value("mode", j - 1) or ""
        if name_key(mode_text) == "blank":
            warnings.append(f"trace {name!r} is blank (trace mode Blank); dropped")
            continue
        det_text = pt.get("detector") or value("detector", j - 1) or ""
        det = _EXTRA_DETECTORS.get(name_key(det_text)) or parse_detector(det_text) or Detector.UNKNOWN
        level = np.ascontiguousarray(data[:, j])
        check_levels(level, path, f"trace {name!r}")
        if unit is None:
            warnings.append(f"trace {name!r}: the file states no level unit; state it with --unit")
        traces.append(
            Trace(
                freq_hz=freq,
                level=level,
                unit=unit,
                detector=det,
                name=name,
                mode=(
                    _MODES.get(name_key(mode_text))
                    or parse_trace_mode(mode_text)
                    or TraceMode.UNKNOWN
                ),
                rbw_hz=number("rbw_hz"),
                vbw_hz=number("vbw_hz"),
                sweep_time_s=number("sweep_time_s"),
            )
        )
    if not traces:
        raise CaptureFormatError("every trace is blank", path)
    if "points" in fields:
        pts = number("points")
        if pts is not None and pts != freq.size:
            raise CaptureFormatError(
                f"{freq.size} data rows but the header says {fields['points'][0][0]} points "
                "(file truncated?)",
                path,
                start + freq.size,
            )
    model = value("model") or model_hint
    mm = _MODEL_RE.search(model or "")
    date = " ".join(x for x in (value("date"), value("time")) if x)
    return Capture(
        traces=tuple(traces),
        instrument=Instrument(
            vendor="Rigol",
            model=mm.group(1).upper() if mm else (model or ""),
            serial=value("serial") or "",
            firmware=value("firmware") or "",
        ),
        timestamp=(iso_timestamp(date) or date) if date else None,
        metadata=meta,
        warnings=tuple(warnings),
    )


def _check_header_axis(path: Path, fields: dict[str, tuple[list[str], int]], freq: np.ndarray) -> None:
    for key, got in (("start_hz", freq[0]), ("stop_hz", freq[-1])):
        if key in fields and fields[key][0]:
            raw = fields[key][0][0]
            stated = parse_float(raw, path, fields[key][1], key)
            unit = fields[key][0][1].lower() if len(fields[key][0]) > 1 else "hz"
            stated *= FREQ_SCALE.get(unit, 1.0)
            if not np.isclose(stated, got, rtol=1e-6, atol=1.0):
                raise CaptureFormatError(
                    f"{key.split('_')[0]} frequency {raw} disagrees with the data ({float(got)!r} Hz)",
                    path,
                    fields[key][1],
                )


READER = Reader(
    name="rigol",
    title="Rigol DSA800/DSA700/RSA3000/RSA5000 CSV trace export",
    extensions=(".csv",),
    signature="'RIGOL...,DSA815,...' first line or a 'Model, DSA8xx/RSA5xxx' header line",
    sniff=_sniff,
    read=read_rigol,
    priority=110,
)
