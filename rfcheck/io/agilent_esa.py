"""Agilent ESA-E/ESA-L (E440x/E441x) trace CSV, as saved to floppy by the instrument.

Layout: line 1 ``<mm/dd/yy> <hh:mm:ss>,<saved file name>`` (a spreadsheet's re-save writes
``<m/d/yyyy> <h:mm>``: read, noted); space-padded ``Key:  ,value[,unit]``
lines (``Model``, ``Serial Number`` with a stray NUL byte, ``Center Frequency``, ``Span``,
``Resolution Bandwidth``, ``Video Bandwidth``, ``Reference Level``, ``Sweep Time``, ``Num
Points``); a column row ``,Trace 1,Trace 2,Trace 3``; a unit row ``Hz,   ,   ,   ``; then
``freq, level, level, level`` rows. Unused traces hold ``-2.14748e+03``. The file states no
amplitude unit (the unit row and the Reference Level unit are blank), so traces get
``unit=None`` and the user states it (``--unit``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..capture import Capture, Instrument, Trace
from ..errors import CaptureFormatError
from ._blocks import block_stop, check_freq_hz, check_rows_end, read_block, unused_after
from ._common import drop_sentinel
from ._files import read_bytes_capped
from ._header import level_unit_at, parse_timestamp, scaled_value
from ._level_scale import StatedUnit, convert_levels, level_unit_of
from ._lines import TextLines
from ._registry import Reader

__all__ = ["read_agilent_esa", "READER"]

#: Vendor header names (padding and colon removed) -> canonical fields.
HEADER_MAP: dict[str, str] = {
    "Title": "title",
    "Model": "model",
    "Serial Number": "serial",
    "Center Frequency": "center_hz",
    "Span": "span_hz",
    "Resolution Bandwidth": "rbw_hz",
    "Video Bandwidth": "vbw_hz",
    "Reference Level": "ref_level",
    "Sweep Time": "sweep_time_s",
    "Num Points": "n_points",
}

#: Level the ESA writes into every point of an unused trace.
BLANK_SENTINEL = -2.14748e03

#: Line 1 as the instrument writes it (``07/29/15   12:12:29,A:\TRACE080.CSV``), or as a
#: spreadsheet's re-save rewrites its date (``7/29/2015 12:12``: no seconds, maybe AM/PM).
_FIRST_LINE_RE = re.compile(
    r"^\s*(\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(:\d{2})?(\s*[AP]M)?)\s*,(.*)$", re.IGNORECASE
)
#: The save time as the instrument writes it: ``07/29/15 12:12:29`` (spaces collapsed).
_OWN_TIME_RE = re.compile(r"\d{2}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}")
#: How the save time may be written: the instrument's, then a spreadsheet's.
_TIME_FORMATS = (
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
)


def read_agilent_esa(path: Path) -> Capture:
    """Read an Agilent ESA-series trace CSV.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One :class:`Trace` per used trace column: ``freq_hz`` [Hz], ``level`` [unit not
        stated by the file: ``unit=None`` unless the unit row names one], ``rbw_hz``/``vbw_hz``
        [Hz], ``sweep_time_s`` [s]; detector unknown.

    Raises
    ------
    CaptureFormatError
        Missing column row, wrong point count, malformed rows, non-Hz frequency column.
    UnitError
        A unit row naming an unknown unit.
    """
    raw = read_bytes_capped(path)
    lines = TextLines(raw.replace(b"\x00", b""), path, direct=b"\x00" not in raw)
    m = _FIRST_LINE_RE.match(lines.text(0)) if lines.n_lines else None
    if m is None:
        raise CaptureFormatError(
            f"first line is not '<date> <time>,<file>': {lines.text(0)!r}", path, 1
        )
    saved = " ".join(m.group(1).split())
    metadata: dict[str, str] = {"Saved": m.group(1).strip(), "File": m.group(4).strip()}
    resaved = _resaved_note(m)
    fields, i = _read_header(lines, metadata)
    names = [p.strip() for p in lines.text(i).split(",")[1:]]
    unit = _unit_row(lines, i + 1, names)
    first = i + 2
    data, warnings = _read_data(lines, first, fields, len(names) + 1)
    warnings[:0] = [resaved] if resaved else []
    freq_hz = data[:, 0]
    traces: list[Trace] = []
    for k, name in enumerate(names):
        level = data[:, k + 1]
        if drop_sentinel(level, BLANK_SENTINEL):
            warnings.append(f"{name}: unused trace (every point {BLANK_SENTINEL:g}) dropped")
            continue
        traces.append(
            Trace(
                freq_hz=freq_hz,
                level=convert_levels(level, unit, path, name, warnings, first + 1),
                unit=level_unit_of(unit),
                name=name,
                rbw_hz=_number(fields, "rbw_hz", path),
                vbw_hz=_number(fields, "vbw_hz", path),
                sweep_time_s=_number(fields, "sweep_time_s", path),
            )
        )
    if not traces:
        raise CaptureFormatError(
            "every trace in the file is unused (blank sentinel)", path, first + 1
        )
    if unit is None:
        warnings.append("the file states no amplitude unit; state it with --unit")

    def get(canon: str) -> str:
        return fields[canon][0][0] if canon in fields and fields[canon][0] else ""

    instrument = Instrument(vendor="Agilent", model=get("model"), serial=get("serial"))
    return Capture(
        traces=tuple(traces),
        instrument=instrument,
        timestamp=_save_time(saved, bool(resaved), warnings),
        metadata=metadata,
        warnings=tuple(warnings),
    )


_Fields = dict[str, tuple[list[str], int]]  #: canonical field -> (values, 1-based line)


def _save_time(saved: str, resaved: bool, warnings: list[str]) -> str | None:
    """Return the save time as a timestamp; None, noted, when a re-save left it ambiguous.

    The ESA writes month/day (``07/29/15``). A spreadsheet's re-save writes the date in the
    locale's order, so ``02/07/2009`` may be 7 February or 2 July: when it reads both ways as
    two different dates, it is not used (a record's capture date a month off, unsaid, is
    worse than none); when it reads one way only, that one (day/month noted); a date that
    reads neither way is not used. Each case is noted.
    """
    if not resaved:
        return parse_timestamp(saved, _TIME_FORMATS)
    month_day = parse_timestamp(saved, _TIME_FORMATS)
    day_month = parse_timestamp(saved, tuple(f.replace("%m/%d", "%d/%m") for f in _TIME_FORMATS))
    if month_day is not None and day_month is not None and month_day != day_month:
        warnings.append(
            f"line 1: the re-saved date {saved!r} reads as month/day or day/month (a "
            "spreadsheet writes its locale's order): not used as the capture's date"
        )
        return None
    if month_day is None and day_month is None:
        warnings.append(f"line 1: the re-saved date {saved!r} is not a date: not used")
        return None
    if month_day is None:
        warnings.append(f"line 1: the re-saved date {saved!r} read day/month ({day_month})")
    return month_day or day_month


def _resaved_note(m: re.Match[str]) -> str:
    """Return the note on a line 1 whose save time a spreadsheet rewrote; "" when it is the ESA's.

    The ESA writes two-digit month, day and year and the seconds (``07/29/15   12:12:29``);
    Excel re-saving the file writes the date in its own format (``7/29/2015 12:12``, a
    four-digit year, no leading zeros, or AM/PM), the rest of the layout as it was.
    """
    if _OWN_TIME_RE.fullmatch(" ".join(m.group(1).split())):
        return ""
    return (
        f"line 1: the save time {' '.join(m.group(1).split())!r} is not written as the "
        "instrument writes it (mm/dd/yy hh:mm:ss): a spreadsheet's re-save; read as the "
        "layout is otherwise the instrument's"
    )


def _read_header(lines: TextLines, metadata: dict[str, str]) -> tuple[_Fields, int]:
    """Header lines from line 2 up to the ``,Trace 1,...`` column row (its index returned).

    Raises
    ------
    CaptureFormatError
        A data row before the column row, or no column row at all.
    """
    path = lines.path
    fields: _Fields = {}
    i = 1
    while i < lines.n_lines:
        parts = [p.strip() for p in lines.text(i).split(",")]
        if parts[0] == "" and len(parts) > 1 and parts[1].startswith("Trace"):
            break
        if parts[0][:1].isdigit():
            raise CaptureFormatError(
                f"data row before the ',Trace 1,...' column row (missing data marker?): "
                f"{lines.text(i).strip()!r}",
                path,
                i + 1,
            )
        if parts[0]:
            key = parts[0].rstrip(":").strip()
            metadata[key] = " ".join(p for p in parts[1:] if p)
            if key in HEADER_MAP:
                fields[HEADER_MAP[key]] = (parts[1:], i + 1)
        i += 1
    if i >= lines.n_lines - 1:
        raise CaptureFormatError("no ',Trace 1,...' column row: the file holds no trace data", path)
    return fields, i


def _unit_row(lines: TextLines, i: int, names: list[str]) -> StatedUnit:
    """Return the ``Hz,<unit>,<unit>...`` row at line index ``i``: one level unit, or None.

    ``names`` are the column row's trace names, for the refusal of traces in different units
    (``dBm (Trace 1) and dBuV (Trace 2, Trace 3)``).
    """
    path = lines.path
    unit_row = [p.strip() for p in lines.text(i).split(",")]
    if unit_row[0].lower() != "hz":
        raise CaptureFormatError(
            f"frequency column unit is {unit_row[0]!r}, expected 'Hz'", path, i + 1
        )
    stated: dict[str, list[str]] = {}  # unit -> the traces in it, in the file's order
    for k, u in enumerate(unit_row[1:]):
        if u:
            stated.setdefault(u, []).append(names[k] if k < len(names) else f"column {k + 2}")
    if len(stated) > 1:
        groups = [f"{u} ({', '.join(traces)})" for u, traces in stated.items()]
        raise CaptureFormatError(
            f"traces in different units: {', '.join(groups[:-1])} and {groups[-1]}",
            path,
            i + 1,
        )
    return level_unit_at(next(iter(stated)), path, i + 1) if stated else None


def _number(fields: _Fields, canon: str, path: Path) -> float | None:
    if canon not in fields or not fields[canon][0] or not fields[canon][0][0]:
        return None
    vals, line = fields[canon]
    return scaled_value(vals[0], vals[1] if len(vals) > 1 else "", path, line, canon)


def _read_data(
    lines: TextLines, first: int, fields: _Fields, width: int
) -> tuple[NDArray[np.float64], list[str]]:
    """Return the data block (``Num Points`` rows when declared), and a note on what follows it."""
    path = lines.path
    n_points = _number(fields, "n_points", path)
    declared = f"'Num Points: {n_points:g}' at line {fields['n_points'][1]}" if n_points else ""
    stop = block_stop(lines, first, int(n_points) if n_points else None, declared)
    data = read_block(
        lines, first, stop, sep=",", n_values=width, what="trace data", declared=declared or None
    )
    after = check_rows_end(lines, stop, declared) if n_points else stop
    check_freq_hz(lines, first, data[:, 0], "trace data")
    rest = unused_after(lines, after, ",", "trace")
    return data, [rest] if rest else []


def _sniff(head: bytes, path: Path) -> bool:
    text = head.replace(b"\x00", b"").decode("latin-1").splitlines()
    if not text or not _FIRST_LINE_RE.match(text[0]):
        return False
    return any(t.startswith("Model:") for t in text[1:12]) and any(
        t.startswith("Num Points:") for t in text[1:30]
    )


READER = Reader(
    name="agilent-esa",
    title="Agilent ESA-series (E44xx) trace CSV",
    extensions=(".csv",),
    signature="first line '<mm/dd/yy> <hh:mm:ss>,<file>', then 'Model:' and 'Num Points:' keys",
    sniff=_sniff,
    read=read_agilent_esa,
    priority=100,
)
