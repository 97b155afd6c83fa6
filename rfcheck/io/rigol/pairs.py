"""The value/unit pairs layout: what a DSA800 writes with Storage > Save > Trace (CSV).

A ``Trace1,`` line naming the trace, a ``Freq,,Amp,,`` column header, then one row per point
with every value followed by its unit (``   500000000,Hz,   -52.45, dBm,``); or bare
``freq,level`` rows in Hz under a ``Freq,Amp`` header, whose level unit comes from a
``Unit`` header line. A file may hold several ``TraceN,`` blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...capture import Capture, Trace
from ...errors import CaptureFormatError
from .._common import FREQ_SCALE, check_frequency_axis, parse_float
from .._level_scale import unit_text
from .header import (
    Header,
    axis_notes,
    check_points,
    is_number,
    level_unit,
    make_capture,
    make_trace,
    read_header,
    split_cells,
)

__all__ = ["TRACE_LINE_RE", "PAIRED_HEADER_RE", "is_paired_row", "read_paired"]


TRACE_LINE_RE = re.compile(r"^\s*trace\s*(\d+)\s*,*\s*$", re.I)


PAIRED_HEADER_RE = re.compile(r"^\s*freq[^,]*,\s*(,\s*)?amp", re.I)


def is_paired_row(line: str) -> bool:
    """``   500000000,Hz,   -52.45, dBm,``: number, unit, number, unit."""
    cells = split_cells(line)
    return (
        len(cells) == 4
        and is_number(cells[0])
        and not is_number(cells[1])
        and is_number(cells[2])
        and not is_number(cells[3])
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
    last_row: int = 0  #: 1-based line of the last data row


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
    blk.last_row = n


def _paired_blocks(lines: list[str], first: int, path: Path) -> tuple[list[_Block], list[int]]:
    """Split lines ``first...`` into ``TraceN,`` blocks; also the lines no block uses."""
    blocks: list[_Block] = []
    unused: list[int] = []
    for n, line in enumerate(lines[first:], first + 1):
        if not line.strip():
            continue
        m = TRACE_LINE_RE.match(line)
        if m:
            blocks.append(_Block(int(m.group(1)), n))
            continue
        cells = split_cells(line)
        if cells and is_number(cells[0]):
            if not blocks:
                blocks.append(_Block(1, 0))
            _paired_row(cells, blocks[-1], path, n, line)
        elif PAIRED_HEADER_RE.match(line) and blocks and not blocks[-1].freq_hz:
            continue  # the block's column header
        else:
            unused.append(n)
    return blocks, unused


def read_paired(path: Path, lines: list[str], first: int) -> Capture:
    """Read the value/unit layout; ``first`` is the first ``TraceN,`` line or data row."""
    hdr = read_header(lines, first)
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
        check_points(hdr, trace.freq_hz.size, path, first)
    for note in axis_notes(hdr, traces[0].freq_hz, path):
        warnings.append(note)
    return make_capture(hdr, traces, warnings)


def _paired_trace(hdr: Header, blk: _Block, path: Path, warnings: list[str]) -> Trace | None:
    name = f"Trace {blk.number}"
    if not blk.freq_hz:
        raise CaptureFormatError(f"{name}: no data rows", path, blk.line or None)
    if len(blk.units) > 1:
        if "" in blk.units:
            raise CaptureFormatError(
                f"{name}: some rows have unit cells and some do not", path, blk.first_row
            )
        raise CaptureFormatError(
            f"{name}: rows mix level units {' and '.join(sorted(blk.units))}", path, blk.first_row
        )
    ((cell, line),) = blk.units.items()
    hdr_unit = None
    if "unit" in hdr.fields:
        hdr_unit = level_unit(hdr.value("unit") or "", path, hdr.fields["unit"][1], "Unit")
    unit = level_unit(cell, path, line, name) if cell else hdr_unit
    if hdr_unit is not None and unit is not None:
        if hdr_unit != unit:
            both = " and ".join(sorted({unit_text(unit), unit_text(hdr_unit)}))
            raise CaptureFormatError(f"{name}: conflicting level units {both}", path, line)
    freq = np.array(blk.freq_hz, dtype=np.float64)
    check_frequency_axis(freq, path, f"{name} frequency axis")
    level = np.array(blk.level, dtype=np.float64)
    rows = blk.first_row if blk.last_row - blk.first_row + 1 == level.size else None
    return make_trace(hdr, blk.number, name, freq, level, unit, path, warnings, rows)
