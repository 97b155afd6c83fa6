"""Agilent N9340B / N9342C handheld spectrum analyser trace CSV.

Layout: every field is followed by a NUL byte (stripped on reading); CRLF. Header lines
hold one or more ``key,value[,AUTO|MAN]`` groups (``File:,/bd0/N9340DATA/A10.CSV``,
``Ref,0.00dBm,Ref Offset,0.000000``, ``VBW,10000,AUTO,RBW,10000,MAN``...); an optional
marker table (``Marker,Marker Trace,Mode,X Axis,Amplitude,...`` and one row per marker,
kept in ``metadata``); ``Trace Data:(Unit:dBm)``; a column row ``Frequency(Hz),Trace1(VIEW),``;
then ``freq,level,`` rows to the end of the file (no declared point count). The file does
not name the detector (``Detector.UNKNOWN``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..capture import Capture, Instrument, Trace, stated_trace_mode
from ..errors import CaptureFormatError
from ._applied import OFFSET_ADVICE, level_offset_notes
from ._blocks import check_freq_hz, read_block
from ._common import axis_disagreements
from ._files import read_bytes_capped
from ._header import level_unit_at, scaled_value, split_fields
from ._level_scale import StatedUnit, convert_levels, level_unit_of
from ._lines import TextLines
from ._registry import Reader

__all__ = ["read_agilent_n9340", "READER"]

#: Vendor header names -> canonical fields.
HEADER_MAP: dict[str, str] = {
    "RBW": "rbw_hz",
    "VBW": "vbw_hz",
    "Sweep Time": "sweep_time_s",
    "Start Freq": "start_hz",
    "Stop Freq": "stop_hz",
    "Ref": "ref_level",
    "File:": "file",
}


#: Level offsets the instrument has already applied to the trace data -> the options that
#: would apply them a second time.
_APPLIED: dict[str, str] = {"Ref Offset": OFFSET_ADVICE}

_QUALIFIERS = frozenset({"AUTO", "MAN"})
_UNIT_RE = re.compile(r"^Trace Data:\s*\(\s*Unit:\s*([^)]*)\)")
_COLUMN_RE = re.compile(r"^(.*?)\s*\((.*)\)$")


def _groups(fields: list[str]) -> list[tuple[str, str]]:
    """Split ``key,value[,AUTO|MAN],key,value...`` into (key, value[ qualifier]) pairs."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(fields):
        key = fields[i]
        value = fields[i + 1] if i + 1 < len(fields) else ""
        i += 2
        if i < len(fields) and fields[i].upper() in _QUALIFIERS:
            value = f"{value} {fields[i]}"
            i += 1
        out.append((key, value))
    return out


def read_agilent_n9340(path: Path) -> Capture:
    """Read an Agilent N9340B/N9342C trace CSV (NUL-padded).

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One :class:`Trace` per trace column: ``freq_hz`` [Hz] (0 Hz is a valid first point),
        ``level`` [unit of ``Trace Data:(Unit:...)``], mode from the column header,
        ``rbw_hz``/``vbw_hz`` [Hz], ``sweep_time_s`` [s]; markers in ``metadata``.

    Raises
    ------
    CaptureFormatError
        Missing ``Trace Data`` line, malformed rows, non-Hz frequency column.
    UnitError
        Unknown unit in ``Trace Data:(Unit:...)``.
    """
    raw = read_bytes_capped(path)
    lines = TextLines(raw.replace(b"\x00", b""), path, direct=b"\x00" not in raw)
    metadata: dict[str, str] = {}
    fields, unit, i = _read_header(lines, metadata)
    if i >= lines.n_lines - 1:
        raise CaptureFormatError(
            "no 'Trace Data:(Unit:...)' line: the file holds no trace data", path
        )
    columns = split_fields(lines.text(i + 1), ",")
    cm = _COLUMN_RE.match(columns[0]) if columns else None
    if cm is None or cm.group(2).strip().lower() != "hz":
        raise CaptureFormatError(
            "expected a 'Frequency(Hz),Trace1(...)' column row, found "
            f"{lines.text(i + 1).strip()!r}",
            path,
            i + 2,
        )
    first = i + 2
    stop = lines.n_lines  # the data runs to the end of the file; no point count is declared
    while stop > first and lines.is_blank(stop - 1):
        stop -= 1
    data = read_block(lines, first, stop, sep=",", n_values=len(columns), what="trace data")
    check_freq_hz(lines, first, data[:, 0], "trace data")
    settings = {c: _number(fields, c, path) for c in ("rbw_hz", "vbw_hz", "sweep_time_s")}
    traces, warnings = _traces(columns[1:], data, unit, settings, path, first + 1)
    stated = {
        which: (value, fields[canon][1])
        for which, canon in (("start", "start_hz"), ("stop", "stop_hz"))
        if canon in fields and (value := _number(fields, canon, path)) is not None
    }
    warnings += axis_disagreements(stated, data[:, 0], path)
    # a non-zero 'Ref Offset' is already in every level the instrument exported
    ref_offset = {k: metadata[k].split(" ")[0] for k in _APPLIED if k in metadata}
    warnings += level_offset_notes(ref_offset, _APPLIED)
    if not traces:
        raise CaptureFormatError("every trace in the file is blank", path, i + 2)
    model = re.search(r"/(N93\d\d[A-Z]?)DATA/", fields.get("file", ("", 0))[0])
    return Capture(
        traces=tuple(traces),
        instrument=Instrument(vendor="Agilent", model=model.group(1) if model else ""),
        metadata=metadata,
        warnings=tuple(warnings),
    )


_Fields = dict[str, tuple[str, int]]  #: canonical field -> (value, 1-based line)


def _read_header(lines: TextLines, metadata: dict[str, str]) -> tuple[_Fields, StatedUnit, int]:
    """Header and marker lines up to ``Trace Data:(Unit:...)``: fields, its unit, its index.

    Raises
    ------
    CaptureFormatError
        A data row before the ``Trace Data`` line.
    UnitError
        An unknown unit in ``Trace Data:(Unit:...)``.
    """
    path = lines.path
    fields: _Fields = {}
    i = 0
    marker_cols: list[str] | None = None
    while i < lines.n_lines:
        text = lines.text(i).strip()
        m = _UNIT_RE.match(text)
        if m:
            unit_text = m.group(1).strip()
            metadata["Trace Data Unit"] = unit_text
            return fields, level_unit_at(unit_text, path, i + 1) if unit_text else None, i
        parts = split_fields(text, ",")
        if not parts:
            marker_cols = None
        elif parts[0] == "Marker" and len(parts) > 2:
            marker_cols = parts[1:]
        elif marker_cols is not None:
            metadata[f"Marker {parts[0]}"] = ", ".join(
                f"{c}={v}" for c, v in zip(marker_cols, parts[1:], strict=False) if v
            )
        elif parts[0][:1].isdigit():
            raise CaptureFormatError(
                "data row before the 'Trace Data:(Unit:...)' line (missing data marker?): "
                f"{text!r}",
                path,
                i + 1,
            )
        else:
            for key, value in _groups(parts):
                metadata[key.rstrip(":") if key.endswith(":") else key] = value
                if key in HEADER_MAP:
                    fields[HEADER_MAP[key]] = (value, i + 1)
        i += 1
    return fields, None, i


def _number(fields: _Fields, canon: str, path: Path) -> float | None:
    if canon not in fields:
        return None
    value, line = fields[canon]
    return scaled_value(value.split()[0], "", path, line, canon) if value else None


def _traces(
    columns: list[str],
    data: NDArray[np.float64],
    unit: StatedUnit,
    settings: dict[str, float | None],
    path: Path,
    first_line: int,
) -> tuple[list[Trace], list[str]]:
    """One :class:`Trace` per ``TraceN(<mode>)`` column; ``BLANK`` ones dropped with a note.

    A ``unit`` converted on reading (``W``) converts every column kept, noted;
    ``first_line`` is the 1-based line of the first data row.
    """
    traces: list[Trace] = []
    warnings: list[str] = []
    for k, column in enumerate(columns):
        tm = _COLUMN_RE.match(column)
        name, mode_text = (tm.group(1), tm.group(2)) if tm else (column, "")
        if mode_text.strip().upper() == "BLANK":
            warnings.append(f"{name}: blank trace dropped")
            continue
        mode, reads_low = stated_trace_mode(mode_text)
        traces.append(
            Trace(
                freq_hz=data[:, 0],
                level=convert_levels(data[:, k + 1], unit, path, name, warnings, first_line),
                unit=level_unit_of(unit),
                name=name,
                mode=mode,
                reads_low=reads_low,
                rbw_hz=settings["rbw_hz"],
                vbw_hz=settings["vbw_hz"],
                sweep_time_s=settings["sweep_time_s"],
            )
        )
    return traces, warnings


def _sniff(head: bytes, path: Path) -> bool:
    text = head.replace(b"\x00", b"").decode("latin-1").splitlines()
    if not text or not text[0].startswith("File:,"):
        return False
    return any(t.startswith(("System Parameter:,", "Trace Data:(")) for t in text[1:40])


READER = Reader(
    name="agilent-n9340",
    title="Agilent N9340B/N9342C handheld analyser trace CSV (NUL-padded)",
    extensions=(".csv",),
    signature="NULs removed: first line 'File:,', then 'System Parameter:,' or 'Trace Data:('",
    sniff=_sniff,
    read=read_agilent_n9340,
    priority=100,
)
