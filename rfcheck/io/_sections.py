"""``Trace Name`` ... ``Trace Data`` sections of Keysight N9343C/N9344C and Siglent SSA exports.

Both write a ``Machine Module,<model>,...`` line, a ``key,value[,AUTO|MAN]`` header
(``X Axis Unit(s)``, ``Y Axis Unit``, ``Number of Points``, ``RBW``, ``VBW``...), then per
trace ``Trace Name``/``Trace Type``/``Trace Detector`` lines, ``Trace Data`` and
``freq,level[,level...]`` rows: :func:`read_section_export` reads all of it, the readers
add only their signature check, timestamp and instrument fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector, Trace, stated_trace_mode
from ..errors import CaptureFormatError
from ..frequency import format_hz, freq_unit_scale
from ._applied import number_and_unit
from ._average_type import on_average_scale
from ._blocks import check_freq_hz, read_rows
from ._common import axis_disagreements, parse_float
from ._header import (
    HeaderEntry,
    level_unit_at,
    map_name,
    parse_timestamp,
    read_header,
    split_fields,
)
from ._impedance import apply_impedance
from ._level_scale import StatedUnit, convert_levels, level_unit_of
from ._lines import TextLines

__all__ = [
    "Section",
    "SectionExport",
    "read_sections",
    "read_section_export",
    "header_dict",
    "header_number",
    "section_traces",
    "hz_axis_unit",
    "refuse_zero_span",
    "UNSTATED_X_UNIT",
]


class Section:
    """One ``Trace Name`` ... ``Trace Data`` section of an N9343C/Siglent export."""

    def __init__(self, line: int) -> None:
        self.line = line  #: 1-based line of ``Trace Name`` (0: traces without a name line)
        self.entries: dict[str, tuple[list[str], int]] = {}
        self.data: NDArray[np.float64] | None = None
        self.first = 0  #: 0-based line index of the first data row

    def values(self, key: str) -> list[str]:
        return self.entries.get(key, ([], 0))[0]


def read_sections(lines: TextLines, start: int) -> tuple[list[HeaderEntry], list[Section]]:
    """Read the header and trace sections of an N9343C/N9344C or Siglent SSA export.

    The ``key,value`` header, then the ``Trace Name``/``Trace Data`` sections.

    Every data block holds the header's ``Number of Points`` rows (to the next header line
    when the header declares none). A ``Trace Data`` line with no rows after it (end of file
    or the next header line) is a blank trace's stub when the trace is typed ``Blank`` (no
    data block, dropped by :func:`section_traces`), else refused naming the trace. A
    zero-span export (equal ``Start Frequency`` and ``Stop Frequency``) is refused before its
    rows are read. Sections written side by side
    (``Trace Name,Trace A,Trace Name,Trace B`` and ``freq,level,freq,level`` rows) are
    refused: their columns would otherwise be read as one frequency axis and three levels, a
    stub column of a blank trace among them.

    Returns
    -------
    header, sections
        Global header entries (before the first ``Trace Name``), and one
        :class:`Section` per trace with its entries and data block (None for header-only
        stubs such as Siglent's ``Trace Type,Blank``).
    """
    stop_keys = frozenset({"Trace Name", "Trace Data"})
    header: list[HeaderEntry] = []
    sections: list[Section] = []
    n_points: int | None = None
    declared = ""
    i = start
    while True:
        entries, j = read_header(lines, i, sep=",", stop_keys=stop_keys, marker="Trace Data")
        if sections:
            sections[-1].entries.update({k: (v, n) for k, v, n in entries})
        else:
            header.extend(entries)
            refuse_zero_span(header, lines.path)  # before its rows are read as a spectrum
            count = [(v, n) for k, v, n in header if k == "Number of Points" and v]
            n_points = (
                int(
                    parse_float(
                        count[-1][0][0],
                        lines.path,
                        count[-1][1],
                        "Number of Points",
                        decimal_comma=True,
                    )
                )
                if count
                else None
            )
            declared = f"'Number of Points,{n_points}' at line {count[-1][1]}" if count else ""
        if not lines.has_line(j):
            return header, sections
        key, *vals = split_fields(lines.text(j), ",")
        if key == "Trace Name" and key in vals:
            raise CaptureFormatError(
                "trace sections side by side ('Trace Name,<name>,Trace Name,<name>...': one "
                "frequency and one level column per trace) are not supported; export the "
                "traces one below the other",
                lines.path,
                j + 1,
            )
        if key == "Trace Name" or not sections:
            sections.append(Section(j + 1 if key == "Trace Name" else 0))
        if key == "Trace Name":
            sections[-1].entries[key] = (vals, j + 1)
            i = j + 1
            continue
        sec = sections[-1]
        if sec.data is not None:
            raise CaptureFormatError(
                "second 'Trace Data' line in one trace section", lines.path, j + 1
            )
        if not _rows_follow(lines, j + 1):
            _check_empty_stub(sec, lines.path, j + 1)
            i = j + 1  # a blank trace's stub: no rows, dropped by section_traces
            continue
        sec.first = j + 1
        sec.data, after = read_rows(
            lines, sec.first, n_points, declared, sep=",", what="Trace Data"
        )
        check_freq_hz(lines, sec.first, sec.data[:, 0], "Trace Data")
        if after is None:  # the block ran to the end of the file
            return header, sections
        i = after


def _rows_follow(lines: TextLines, i: int) -> bool:
    """Whether a data row follows from line index ``i`` (blank lines skipped).

    False at the end of the file or at a line starting with a letter (the next header line,
    ``Trace Name,Trace C``); a ``nan`` row is a data row (bad data, refused when read).
    """
    while lines.has_line(i) and lines.is_blank(i):
        i += 1
    if not lines.has_line(i):
        return False
    first = lines.text(i).strip()
    return not first[:1].isalpha() or first.split(",")[0].lower() in ("nan", "inf")


def _check_empty_stub(sec: Section, path: Path, line: int) -> None:
    """Accept a ``Trace Data`` line with no rows after it only in a trace typed ``Blank``.

    Raises
    ------
    CaptureFormatError
        The trace is not blank: naming it and the ``Trace Data`` line.
    """
    types = [v for v in sec.values("Trace Type") if v]
    if types and all(t.lower() == "blank" for t in types):
        return
    names = [v for v in sec.values("Trace Name") if v]
    label = names[0] if names else "trace"
    raise CaptureFormatError(
        f"{label}: 'Trace Data' but no data rows follow (truncated file?)", path, line
    )


def _stated_hz(header: Sequence[HeaderEntry], key: str) -> tuple[float, int] | None:
    """Return the frequency [Hz] and line of header ``key`` (``Start Frequency``), else None.

    Lenient: a value that is not a number in Hz/kHz/MHz/GHz (no unit: Hz) says nothing.
    """
    for name, vals, line in header:
        if name == key and vals:
            parsed = number_and_unit(vals[0])
            scale = freq_unit_scale(parsed[1] or "Hz") if parsed else None
            if parsed is not None and scale is not None:
                return parsed[0] * scale, line
    return None


def refuse_zero_span(header: Sequence[HeaderEntry], path: Path) -> None:
    """Refuse a zero-span export: equal ``Start Frequency`` and ``Stop Frequency`` lines.

    Its rows are a time record at one frequency, not a spectrum; read as ``freq,level``
    rows they would make a frequency axis of the time values.

    Raises
    ------
    CaptureFormatError
        Naming the ``Stop Frequency`` line.
    """
    start = _stated_hz(header, "Start Frequency")
    stop = _stated_hz(header, "Stop Frequency")
    if start is not None and stop is not None and start[0] == stop[0]:
        raise CaptureFormatError(
            f"zero-span export (Start Frequency = Stop Frequency = {format_hz(stop[0])}): "
            "its rows are a time record, not a spectrum",
            path,
            stop[1],
        )


def header_dict(
    entries: list[HeaderEntry], header_map: Mapping[str, str]
) -> dict[str, HeaderEntry]:
    """Canonical field -> (vendor key, values, line) for the keys ``header_map`` knows."""
    return {header_map[k]: (k, v, n) for k, v, n in entries if k in header_map}


def header_number(fields: Mapping[str, HeaderEntry], canon: str, path: Path) -> float | None:
    """Return the first value of canonical field ``canon`` as a number, None when absent."""
    if canon not in fields or not fields[canon][1] or not fields[canon][1][0]:
        return None
    key, vals, line = fields[canon]
    return parse_float(vals[0], path, line, key, decimal_comma=True)


def section_traces(
    sections: list[Section],
    *,
    unit: StatedUnit,
    detector_map: Mapping[str, Detector],
    settings: Mapping[str, float | None],
    path: Path,
    average_type: str | None = None,
) -> tuple[list[Trace], list[str]]:
    """Build one :class:`Trace` per level column of every section with data.

    Parameters
    ----------
    unit : LevelUnit, LevelScale or None
        The header's level unit; one converted on reading converts every level column, noted
        (:func:`._level_scale.convert_levels`).
    settings : mapping
        ``rbw_hz``, ``vbw_hz`` [Hz] and ``sweep_time_s`` [s] shared by every trace.
    average_type : str, optional
        The header's ``Average Type`` ("" when the format has the field but the file states
        none), applied by :func:`rfcheck.io._average_type.on_average_scale`; None: the
        format has no such field.

    Returns
    -------
    traces, warnings
        Header-only sections typed ``Blank`` are dropped with a warning.

    Raises
    ------
    CaptureFormatError
        A section that is not blank but has no ``Trace Data``.
    """
    traces: list[Trace] = []
    warnings: list[str] = []
    for n, sec in enumerate(sections, start=1):
        names = [v for v in sec.values("Trace Name") if v]
        types = [v for v in sec.values("Trace Type") if v]
        detectors = [v for v in sec.values("Trace Detector") if v]
        label = names[0] if names else f"Trace {n}"
        if sec.data is None:
            if types and all(t.lower() == "blank" for t in types):
                warnings.append(f"{label}: blank trace dropped")
                continue
            raise CaptureFormatError(
                f"{label}: no 'Trace Data' line (missing data marker?)", path, sec.line or None
            )
        for k in range(sec.data.shape[1] - 1):

            def pick(items: Sequence[str], k: int = k) -> str:
                return items[k] if k < len(items) else ""

            name = pick(names) or (label if k == 0 else f"{label}.{k + 1}")
            if pick(types).lower() == "blank":
                warnings.append(f"{name}: blank trace dropped")
                continue
            det_text = pick(detectors)
            detector = map_name(det_text, detector_map, Detector.UNKNOWN)
            if det_text and detector is Detector.UNKNOWN:
                warnings.append(f"{name}: unrecognised detector {det_text!r}")
            if average_type is not None:
                detector = on_average_scale(detector, det_text, average_type, name, warnings)
            level = convert_levels(sec.data[:, k + 1], unit, path, name, warnings, sec.first + 1)
            mode, reads_low = stated_trace_mode(pick(types))
            traces.append(
                Trace(
                    freq_hz=sec.data[:, 0],
                    level=level,
                    unit=level_unit_of(unit),
                    detector=detector,
                    name=name,
                    mode=mode,
                    reads_low=reads_low,
                    rbw_hz=settings.get("rbw_hz"),
                    vbw_hz=settings.get("vbw_hz"),
                    sweep_time_s=settings.get("sweep_time_s"),
                )
            )
    if not traces:
        raise CaptureFormatError("no trace with data in the file", path)
    return traces, warnings


#: Added to a header Start/Stop disagreement when the file states no x-axis unit.
UNSTATED_X_UNIT = "the file states no x-axis unit, so its x values were read as Hz"


def hz_axis_unit(fields: Mapping[str, HeaderEntry], path: Path, note: str = "") -> StatedUnit:
    """Check the canonical ``x_unit`` field is Hz and parse the ``y_unit`` field.

    Returns
    -------
    LevelUnit, LevelScale or None
        The level unit (a :class:`~rfcheck.units.LevelScale` for one converted on reading:
        ``W``, ``dBpW``, ``mV``); None when the header states none.

    Raises
    ------
    CaptureFormatError
        An x axis other than Hz (``X Axis Units 's' is not Hz<note>``).
    UnitError
        Unknown level unit.
    """
    x_unit = fields.get("x_unit")
    if x_unit and x_unit[1] and x_unit[1][0].lower() != "hz":
        raise CaptureFormatError(f"{x_unit[0]} {x_unit[1][0]!r} is not Hz{note}", path, x_unit[2])
    y_unit = fields.get("y_unit")
    if y_unit and y_unit[1]:
        return level_unit_at(y_unit[1][0], path, y_unit[2])
    return None


@dataclass(frozen=True)
class SectionExport:
    """What :func:`read_section_export` read from an N9343C/Siglent export."""

    fields: dict[str, HeaderEntry]  #: canonical field -> header entry
    traces: list[Trace]
    warnings: list[str]
    #: every header line (``key: values``), ``Timestamp`` and every trace-section line
    #: (``Trace n key``)
    metadata: dict[str, str]
    timestamp: str | None  #: ISO 8601, from a header line holding only a date and time

    def value(self, canon: str, k: int) -> str:
        """Value ``k`` of canonical header field ``canon``, "" when absent."""
        vals = self.fields.get(canon, ("", [], 0))[1]
        return vals[k] if k < len(vals) else ""


def read_section_export(
    lines: TextLines,
    *,
    header_map: Mapping[str, str],
    detector_map: Mapping[str, Detector],
    stamp_re: re.Pattern[str] | None = None,
    stamp_formats: tuple[str, ...] = (),
) -> SectionExport:
    """Read the header and trace sections of an N9343C/Siglent export into traces.

    ``rbw_hz``, ``vbw_hz`` [Hz] and ``sweep_time_s`` [s] apply to every trace when
    ``header_map`` maps a header key to them. A header line with no value that matches
    ``stamp_re`` is the timestamp (parsed with ``stamp_formats``).
    """
    path = lines.path
    header, sections = read_sections(lines, 0)
    fields = header_dict(header, header_map)
    metadata = {k: ",".join(v) for k, v, _ in header}
    timestamp = None
    for key, vals, _ in header:
        if stamp_re is not None and not vals and stamp_re.match(key):
            timestamp = parse_timestamp(key, stamp_formats)
            metadata["Timestamp"] = key
    unit = hz_axis_unit(fields, path)
    settings = {c: header_number(fields, c, path) for c in ("rbw_hz", "vbw_hz", "sweep_time_s")}
    average_type = None
    if "average_type" in header_map.values():
        stated = fields.get("average_type", ("", [], 0))[1]
        average_type = stated[0] if stated else ""
    traces, warnings = section_traces(
        sections,
        unit=unit,
        detector_map=detector_map,
        settings=settings,
        path=path,
        average_type=average_type,
    )
    for n, sec in enumerate(sections, start=1):
        for key, (vals, _) in sec.entries.items():
            metadata[f"Trace {n} {key}"] = ",".join(vals)
    span: dict[str, tuple[float, int | None]] = {
        which: hz
        for which, key in (("start", "Start Frequency"), ("stop", "Stop Frequency"))
        if (hz := _stated_hz(header, key)) is not None
    }
    for t in traces[:1]:  # one sweep: its traces share the header's span
        warnings += axis_disagreements(span, t.freq_hz, path)
    ohm = next(((v[0], n) for key, v, n in header if key == "Impedance" and v), None)
    traces = apply_impedance(traces, ohm, path, warnings)
    return SectionExport(fields, traces, warnings, metadata, timestamp)
