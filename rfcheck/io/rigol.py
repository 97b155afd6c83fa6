"""Rigol spectrum analyser CSV trace exports: DSA800/DSA700/DSA1000 (swept) and RSA3000/RSA5000.

Two layouts are read.

**Value/unit pairs** -- what a DSA800 writes with Storage > Save > Trace (CSV), as in files
the instrument saved: a ``Trace1,`` line naming the trace, a ``Freq,,Amp,,`` column header
(each name followed by an empty unit column), then one row per point with every value
followed by its unit, fixed-width padded with leading spaces and ending in a comma::

    Trace1,
    Freq,,Amp,,
       500000000,Hz,   -52.45, dBm,

The frequency unit cell may be Hz, kHz, MHz or GHz; the level unit cell is the level unit
(dBm, dBmV, dBuV, V, W...), which must be the same on every row of a trace. Rows without
unit cells (``500000000,-52.45``, under a ``Freq,Amp`` header) are in Hz and take the level
unit from a ``Unit`` header line; a trace may not mix both forms. A file may hold
several ``TraceN,`` blocks (one trace each, the instrument's trace number kept in the name,
``Trace 2``) and may be preceded by ``key,value`` header lines (below). No Rigol manual we
could consult prints this layout, so the reader accepts only what the saved files show and
refuses anything else with the line and raw value.

**Header + numeric table** -- RSA3000/RSA5000 and DSA exports written with their settings:

* an optional ``*IDN?``-style first line, ``RIGOL TECHNOLOGIES,DSA815,DSA8A1234,00.01.19``;
* header lines ``key,value[,unit]``, padded with spaces (``Start Frequency,   9.000000e+03,
  Hz``). Recognised keys (case-insensitive) are listed in :data:`_FIELDS`. Per-trace values
  are either a comma list (``Trace Mode, Clear Write, Max Hold``) or keyed ``Trace1 Mode``;
* an optional ``Trace Data`` line and an optional column-header row -- ``Frequency,Amplitude``,
  ``Num,Freq(Hz),Amp(dBm)`` (index column dropped) or ``Frequency(Hz),Trace1(dBm),
  Trace2(dBm)`` (several traces);
* data rows of numbers, optionally ending in a **unit column** (``9.000000e+03, -80.12, dBm``).

The level unit comes from the column header, else the unit column, else the ``Unit`` /
``Amplitude Unit`` header line; conflicting statements are an error and no statement leaves
``unit=None``. A header ``Points`` count the data contradict is an error; header
Start/Stop frequencies the data contradict are a warning (instruments round them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..capture import Capture, Detector, Instrument, Trace, TraceMode, parse_detector
from ..errors import CaptureFormatError, UnitError
from ..units import LevelUnit, parse_level_unit
from ._blocks import read_table
from ._common import (
    FREQ_SCALE,
    axis_disagreements,
    check_frequency_axis,
    check_levels,
    name_key,
    parse_float,
    read_text,
)
from ._header import iso_timestamp
from ._registry import Reader

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
    r"^\s*(rigol\b.*(dsa|rsa)\d{3,4}"
    r"|(model|device|instrument|product model)\s*[,;:]\s*(rigol\s+)?(dsa|rsa)\d{3,4})",
    re.I,
)
_MODEL_RE = re.compile(r"\b((?:DSA|RSA)\d{3,4}[A-Z]*(?:-TG)?)\b", re.I)
_PER_TRACE_RE = re.compile(r"^trace\s*(\d)\s+(.*)$", re.I)
_NUM_RE = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
_TRACE_LINE_RE = re.compile(r"^\s*trace\s*(\d+)\s*,*\s*$", re.I)
_PAIRED_HEADER_RE = re.compile(r"^\s*freq[^,]*,\s*(,\s*)?amp", re.I)
_UNIT_COL_RE = re.compile(r",[ \t]*(dB[A-Za-zµ/()]*|[mµu]?[VW])[ \t]*,?[ \t]*$", re.M | re.I)


def _sniff(head: bytes, path: Path) -> bool:
    lines = [ln for ln in head.decode("latin-1").splitlines()[:40] if ln.strip()]
    for k, line in enumerate(lines):
        if not line.lstrip().startswith("#") and _IDENT_RE.match(line):
            return True
        if (
            _TRACE_LINE_RE.match(line)
            and k + 1 < len(lines)
            and _PAIRED_HEADER_RE.match(lines[k + 1])
        ):
            return True
    return False


def _is_number(text: str) -> bool:
    return bool(_NUM_RE.match(text))


def _cells(line: str) -> list[str]:
    """Comma-separated cells, stripped, trailing empty cells dropped."""
    parts = [p.strip() for p in line.split(",")]
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def _unit(text: str, path: Path, line: int | None, what: str) -> LevelUnit:
    try:
        return parse_level_unit(text)
    except UnitError:
        raise CaptureFormatError(
            f"{what}: unknown level unit {text.strip()!r}", path, line
        ) from None


@dataclass
class _Header:
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

    def value(self, name: str, i: int = 0) -> str | None:
        """Value ``i`` of field ``name`` (the first when there are fewer), None when absent."""
        vals = self.fields.get(name, ([], 0))[0]
        return vals[i] if len(vals) > i else (vals[0] if vals else None)

    def number(self, name: str, path: Path) -> float | None:
        """Field ``name`` as a number, None when absent."""
        v = self.value(name)
        return None if v is None else parse_float(v, path, self.fields[name][1], name)

    def frequency(self, name: str, path: Path) -> tuple[float, int] | None:
        """Return field ``name`` in Hz, scaled by its unit cell (``30,MHz``), and its line."""
        if name not in self.fields or not self.fields[name][0]:
            return None
        vals, line = self.fields[name]
        unit = vals[1].lower() if len(vals) > 1 else "hz"
        return parse_float(vals[0], path, line, name) * FREQ_SCALE.get(unit, 1.0), line

    def mode_detector(self, j: int) -> tuple[str, Detector]:
        """Trace mode text and detector of trace number ``j`` (1-based)."""
        pt = self.per_trace.get(j, {})
        mode_text = pt.get("mode") or self.value("mode", j - 1) or ""
        det_text = pt.get("detector") or self.value("detector", j - 1) or ""
        det = (
            _EXTRA_DETECTORS.get(name_key(det_text)) or parse_detector(det_text) or Detector.UNKNOWN
        )
        return mode_text, det


def _read_header(lines: list[str], stop: int) -> _Header:
    """Parse lines ``[0, stop)``: ident line, known fields, per-trace fields, metadata."""
    hdr = _Header()
    for n, line in enumerate(lines[:stop], 1):
        parts = _cells(line)
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
        elif key in _FIELDS and len(parts) > 1:
            hdr.fields.setdefault(_FIELDS[key], (parts[1:], n))
        elif n == stop and len(parts) > 1:
            hdr.col_header = parts
        if len(parts) > 1:
            hdr.meta[parts[0]] = " ".join(parts[1:])
        elif parts[0].lower() != "trace data":
            hdr.meta.setdefault("note", parts[0])
    if stop > 0 and hdr.col_header is None:
        prev = _cells(lines[stop - 1])
        if (
            len(prev) > 1
            and not _is_number(prev[0])
            and " ".join(prev[0].lower().split()) not in _FIELDS
        ):
            hdr.col_header = prev
    return hdr


def read_rigol(path: Path) -> Capture:
    """Read a Rigol DSA800/DSA700/DSA1000/RSA3000/RSA5000 CSV trace export.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One trace per level column or ``TraceN,`` block: frequency [Hz], level [unit],
        detector, trace mode, RBW/VBW [Hz], sweep time [s]; traces whose mode is ``Blank``
        are dropped.

    Raises
    ------
    CaptureFormatError
        No data rows, unknown or conflicting units, point count different from the header
        (truncated file), mismatched column counts, non-numeric values, NaN/non-monotonic
        frequencies.
    """
    lines = read_text(path).splitlines()
    start = next(
        (i for i, ln in enumerate(lines) if ln.strip() and _is_number(ln.split(",", 1)[0])), None
    )
    if start is None:
        raise CaptureFormatError("no data rows (file truncated?)", path)
    first_block = next((i for i, ln in enumerate(lines[:start]) if _TRACE_LINE_RE.match(ln)), None)
    if first_block is not None or _is_paired_row(lines[start]):
        return _read_paired(path, lines, start if first_block is None else first_block)
    hdr = _read_header(lines, start)
    data, col_unit = _numeric_block(lines, start, path)
    data, names, scale = _apply_column_header(hdr, data, col_unit is not None, path, start)
    if data.shape[1] < 2:
        raise CaptureFormatError("data rows need a frequency and a level column", path, start + 1)
    freq = data[:, 0] * scale if scale != 1.0 else np.ascontiguousarray(data[:, 0])
    check_frequency_axis(freq, path)
    warnings = _header_axis_notes(hdr, freq, path)
    hdr_unit = (
        _unit(hdr.value("unit") or "", path, hdr.fields["unit"][1], "Unit")
        if "unit" in hdr.fields
        else None
    )
    traces = _column_traces(hdr, data, freq, names, (col_unit, hdr_unit), path, start, warnings)
    _check_points(hdr, freq.size, path, start)
    return _capture(hdr, traces, warnings)


def _numeric_block(
    lines: list[str], start: int, path: Path
) -> tuple[NDArray[np.float64], LevelUnit | None]:
    """Return the table of numbers from line ``start`` on, and its unit column's unit."""
    block = "\n".join(lines[start:])
    units_col = _UNIT_COL_RE.findall(block)
    if units_col:
        block = _UNIT_COL_RE.sub("", block)
    data = read_table(block, path, first_line=start + 1, what="trace data")
    if not units_col:
        return data, None
    if len(units_col) != data.shape[0]:
        raise CaptureFormatError("unit column present on some data rows only", path, start + 1)
    distinct = sorted(set(units_col))
    if len(distinct) > 1:
        raise CaptureFormatError(f"unit column mixes units {distinct}", path, start + 1)
    return data, _unit(distinct[0], path, start + 1, "unit column")


def _apply_column_header(
    hdr: _Header, data: NDArray[np.float64], unit_column: bool, path: Path, start: int
) -> tuple[NDArray[np.float64], list[str], float]:
    """Drop an index column, name the level columns, and read the frequency unit.

    Returns
    -------
    data, names, scale
        The table without an index column, the level columns' names (empty without a
        header row) and the frequency multiplier of ``Frequency(MHz)``-style headers.
    """
    col_header = hdr.col_header
    if col_header is None:
        return data, [], 1.0
    if (
        unit_column
        and len(col_header) == data.shape[1] + 1
        and name_key(col_header[-1]) in ("unit", "units")
    ):
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
    scale = FREQ_SCALE[fm.group(1).strip().lower()] if fm else 1.0
    return data, col_header[1:], scale


def _column_traces(
    hdr: _Header,
    data: NDArray[np.float64],
    freq: NDArray[np.float64],
    names: list[str],
    units: tuple[LevelUnit | None, LevelUnit | None],
    path: Path,
    start: int,
    warnings: list[str],
) -> list[Trace]:
    """One :class:`Trace` per level column (``units``: unit column's, header line's)."""
    traces: list[Trace] = []
    for j in range(1, data.shape[1]):
        name = names[j - 1] if names else f"Trace {j}"
        name_unit = None
        um = re.search(r"\(([^)]*)\)\s*$", name)
        if um:
            name_unit = _unit(um.group(1), path, start, f"column {name!r}")
            name = name[: um.start()].strip() or f"Trace {j}"
        pt = hdr.per_trace.get(j, {})
        if "unit" in pt:
            name_unit = name_unit or _unit(pt["unit"], path, None, f"Trace{j} Unit")
        stated = {u for u in (name_unit, *units) if u is not None}
        if len(stated) > 1:
            raise CaptureFormatError(
                f"trace {name!r}: conflicting level units {sorted(u.value for u in stated)}", path
            )
        trace = _trace(
            hdr,
            j,
            name,
            freq,
            np.ascontiguousarray(data[:, j]),
            stated.pop() if stated else None,
            path,
            warnings,
        )
        if trace is not None:
            traces.append(trace)
    if not traces:
        raise CaptureFormatError("every trace is blank", path)
    return traces


def _trace(
    hdr: _Header,
    j: int,
    name: str,
    freq: NDArray[np.float64],
    level: NDArray[np.float64],
    unit: LevelUnit | None,
    path: Path,
    warnings: list[str],
) -> Trace | None:
    """Trace number ``j`` with the header's settings; None (noted) when its mode is Blank."""
    mode_text, det = hdr.mode_detector(j)
    if name_key(mode_text) == "blank":
        warnings.append(f"trace {name!r} is blank (trace mode Blank); dropped")
        return None
    check_levels(level, path, f"trace {name!r}")
    if unit is None:
        warnings.append(f"trace {name!r}: the file states no level unit; state it with --unit")
    return Trace(
        freq_hz=freq,
        level=level,
        unit=unit,
        detector=det,
        name=name,
        mode=_MODES.get(name_key(mode_text), TraceMode.UNKNOWN),
        rbw_hz=hdr.number("rbw_hz", path),
        vbw_hz=hdr.number("vbw_hz", path),
        sweep_time_s=hdr.number("sweep_time_s", path),
    )


def _check_points(hdr: _Header, n_rows: int, path: Path, start: int) -> None:
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


def _header_axis_notes(hdr: _Header, freq: NDArray[np.float64], path: Path) -> list[str]:
    stated = {}
    for which in ("start", "stop"):
        got = hdr.frequency(f"{which}_hz", path)
        if got is not None:
            stated[which] = got
    return axis_disagreements(stated, freq)


def _capture(hdr: _Header, traces: list[Trace], warnings: list[str]) -> Capture:
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


# --- value/unit pairs (DSA800 as saved) --------------------------------------------------


def _is_paired_row(line: str) -> bool:
    """``   500000000,Hz,   -52.45, dBm,``: number, unit, number, unit."""
    cells = _cells(line)
    return (
        len(cells) == 4
        and _is_number(cells[0])
        and not _is_number(cells[1])
        and _is_number(cells[2])
        and not _is_number(cells[3])
    )


@dataclass
class _Block:
    """One ``TraceN,`` block of the value/unit layout."""

    number: int
    line: int  #: 1-based line of the ``TraceN,`` line (0: none)
    freq_hz: list[float] = field(default_factory=list)
    level: list[float] = field(default_factory=list)
    units: dict[str, int] = field(default_factory=dict)  #: level unit text -> first line
    first_row: int = 0  #: 1-based line of the first data row


def _paired_row(cells: list[str], blk: _Block, path: Path, n: int, raw: str) -> None:
    """Append one ``freq,unit,level,unit`` (or bare ``freq,level``) row to ``blk``.

    A bare row is in Hz and takes its level unit from the header; one block may not mix
    the two forms.
    """
    if len(cells) == 2:
        cells = [cells[0], "Hz", cells[1], ""]
    if len(cells) != 4:
        raise CaptureFormatError(
            f"Trace {blk.number}: {len(cells)} fields, expected 4 (frequency, unit, level, unit): "
            f"{raw.strip()!r}",
            path,
            n,
        )
    f_unit = cells[1].lower()
    if f_unit not in FREQ_SCALE:
        raise CaptureFormatError(
            f"Trace {blk.number}: unknown frequency unit {cells[1]!r}", path, n
        )
    blk.freq_hz.append(
        parse_float(cells[0], path, n, f"Trace {blk.number} frequency") * FREQ_SCALE[f_unit]
    )
    blk.level.append(parse_float(cells[2], path, n, f"Trace {blk.number} level"))
    blk.units.setdefault(cells[3], n)
    if not blk.first_row:
        blk.first_row = n


def _paired_blocks(lines: list[str], first: int, path: Path) -> tuple[list[_Block], list[int]]:
    """Split lines ``first...`` into ``TraceN,`` blocks; also the lines no block uses."""
    blocks: list[_Block] = []
    unused: list[int] = []
    for n, line in enumerate(lines[first:], first + 1):
        if not line.strip():
            continue
        m = _TRACE_LINE_RE.match(line)
        if m:
            blocks.append(_Block(int(m.group(1)), n))
            continue
        cells = _cells(line)
        if cells and _is_number(cells[0]):
            if not blocks:
                blocks.append(_Block(1, 0))
            _paired_row(cells, blocks[-1], path, n, line)
        elif _PAIRED_HEADER_RE.match(line) and blocks and not blocks[-1].freq_hz:
            continue  # the block's column header
        else:
            unused.append(n)
    return blocks, unused


def _read_paired(path: Path, lines: list[str], first: int) -> Capture:
    """Read the value/unit layout; ``first`` is the first ``TraceN,`` line or data row."""
    hdr = _read_header(lines, first)
    hdr.col_header = None
    blocks, unused = _paired_blocks(lines, first, path)
    warnings: list[str] = []
    if unused:
        shown = ", ".join(str(n) for n in unused[:5]) + (" ..." if len(unused) > 5 else "")
        warnings.append(
            f"{len(unused)} line(s) among the trace data not used (line {shown}: "
            f"{lines[unused[0] - 1].strip()[:60]!r})"
        )
    numbers = [b.number for b in blocks]
    if len(set(numbers)) != len(numbers):
        raise CaptureFormatError(f"trace numbers repeat: {numbers}", path)
    traces = []
    for blk in blocks:
        trace = _paired_trace(hdr, blk, path, warnings)
        if trace is not None:
            traces.append(trace)
    if not traces:
        raise CaptureFormatError("every trace is blank or empty", path)
    for trace in traces:
        _check_points(hdr, trace.freq_hz.size, path, first)
    for note in _header_axis_notes(hdr, traces[0].freq_hz, path):
        warnings.append(note)
    return _capture(hdr, traces, warnings)


def _paired_trace(hdr: _Header, blk: _Block, path: Path, warnings: list[str]) -> Trace | None:
    name = f"Trace {blk.number}"
    if not blk.freq_hz:
        raise CaptureFormatError(f"{name}: no data rows", path, blk.line or None)
    if len(blk.units) > 1:
        if "" in blk.units:
            raise CaptureFormatError(
                f"{name}: some rows have unit cells and some do not", path, blk.first_row
            )
        raise CaptureFormatError(
            f"{name}: rows mix level units {sorted(blk.units)}", path, blk.first_row
        )
    ((unit_text, line),) = blk.units.items()
    hdr_unit = None
    if "unit" in hdr.fields:
        hdr_unit = _unit(hdr.value("unit") or "", path, hdr.fields["unit"][1], "Unit")
    unit = _unit(unit_text, path, line, name) if unit_text else hdr_unit
    if hdr_unit is not None and unit is not None:
        if hdr_unit is not unit:
            raise CaptureFormatError(
                f"{name}: conflicting level units {sorted({unit.value, hdr_unit.value})}",
                path,
                line,
            )
    freq = np.array(blk.freq_hz, dtype=np.float64)
    check_frequency_axis(freq, path, f"{name} frequency axis")
    return _trace(
        hdr, blk.number, name, freq, np.array(blk.level, dtype=np.float64), unit, path, warnings
    )


READER = Reader(
    name="rigol",
    title="Rigol DSA800/DSA700/DSA1000/RSA3000/RSA5000 CSV trace export",
    extensions=(".csv",),
    signature=(
        "'Trace1,' then 'Freq,,Amp,,' lines, a 'RIGOL...,DSA815,...' first line, "
        "or a 'Model, DSA8xx/RSA5xxx' header line"
    ),
    sniff=_sniff,
    read=read_rigol,
    priority=110,
)
