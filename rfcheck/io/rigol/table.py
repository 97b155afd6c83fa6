"""The header + numeric table layout (RSA3000/RSA5000, DSA exports with their settings).

An optional ``Trace Data`` line and column-header row (``Frequency,Amplitude``,
``Num,Freq(Hz),Amp(dBm)`` with the index column dropped, or ``Frequency(Hz),Trace1(dBm),
Trace2(dBm)``), then rows of numbers, optionally ending in a unit column
(``9.000000e+03, -80.12, dBm``). One trace per level column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ...capture import Capture, Trace
from ...errors import CaptureFormatError
from .._common import FREQ_SCALE, check_frequency_axis, name_key
from .._level_scale import StatedUnit, unit_text
from .._table import read_table
from .header import (
    Header,
    axis_notes,
    check_points,
    level_unit,
    make_capture,
    make_trace,
    read_header,
)

__all__ = ["read_table_layout"]


def read_table_layout(
    path: Path, lines: list[str], start: int, *, last_row_ended: bool = True
) -> Capture:
    """Read the header + numeric table layout; ``start`` is the first data row (0-based).

    ``last_row_ended``: False when the file's last line has no line ending
    (:mod:`.._last_row`).
    """
    hdr = read_header(lines, start)
    if hdr.col_header is None and not hdr.fields and not hdr.model_hint:
        raise CaptureFormatError(
            "bare number rows with no Rigol header or column header above them: their "
            "frequency unit is not stated (Rigol states it in the header lines or a "
            "'Freq(Hz)' column header); give the file a column header such as "
            "'Frequency (MHz),Level (dBm)' and read it with --format generic-csv",
            path,
            start + 1,
        )
    data, col_unit = _numeric_block(lines, start, path, last_row_ended)
    data, names, scale = _apply_column_header(hdr, data, col_unit is not None, path, start)
    if data.shape[1] < 2:
        raise CaptureFormatError("data rows need a frequency and a level column", path, start + 1)
    freq = data[:, 0] * scale if scale != 1.0 else np.ascontiguousarray(data[:, 0])
    check_frequency_axis(freq, path)
    warnings = axis_notes(hdr, freq, path)
    hdr_unit = (
        level_unit(hdr.value("unit") or "", path, hdr.fields["unit"][1], "Unit")
        if "unit" in hdr.fields
        else None
    )
    traces = _column_traces(hdr, data, freq, names, (col_unit, hdr_unit), path, start, warnings)
    check_points(hdr, freq.size, path, start)
    return make_capture(hdr, traces, warnings)


_UNIT_COL_RE = re.compile(r",[ \t]*(dB[A-Za-zµ/()]*|[mµu]?[VW])[ \t]*,?[ \t]*$", re.M | re.I)


def _numeric_block(
    lines: list[str], start: int, path: Path, last_row_ended: bool = True
) -> tuple[NDArray[np.float64], StatedUnit]:
    """Return the table of numbers from line ``start`` on, and its unit column's unit."""
    block = "\n".join(lines[start:])
    units_col = _UNIT_COL_RE.findall(block)
    if units_col:
        block = _UNIT_COL_RE.sub("", block)
    data = read_table(
        block, path, first_line=start + 1, what="trace data", last_row_ended=last_row_ended
    )
    if not units_col:
        return data, None
    if len(units_col) != data.shape[0]:
        raise CaptureFormatError("unit column present on some data rows only", path, start + 1)
    distinct = sorted(set(units_col))
    if len(distinct) > 1:
        raise CaptureFormatError(f"unit column mixes units {distinct}", path, start + 1)
    return data, level_unit(distinct[0], path, start + 1, "unit column")


def _apply_column_header(
    hdr: Header, data: NDArray[np.float64], unit_column: bool, path: Path, start: int
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
    hdr: Header,
    data: NDArray[np.float64],
    freq: NDArray[np.float64],
    names: list[str],
    units: tuple[StatedUnit, StatedUnit],
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
            name_unit = level_unit(um.group(1), path, start, f"column {name!r}")
            name = name[: um.start()].strip() or f"Trace {j}"
        pt = hdr.per_trace.get(j, {})
        if "unit" in pt:
            name_unit = name_unit or level_unit(pt["unit"], path, None, f"Trace{j} Unit")
        stated = {u for u in (name_unit, *units) if u is not None}
        if len(stated) > 1:
            raise CaptureFormatError(
                f"trace {name!r}: conflicting level units "
                f"{' and '.join(sorted(map(unit_text, stated)))}",
                path,
            )
        trace = make_trace(
            hdr,
            j,
            name,
            freq,
            np.ascontiguousarray(data[:, j]),
            stated.pop() if stated else None,
            path,
            warnings,
            start + 1,
        )
        if trace is not None:
            traces.append(trace)
    if not traces:
        raise CaptureFormatError("every trace is blank", path)
    return traces
