"""An R&S receiver's final-measurement peak list (``TRACE n FINAL:``) in an ASCII export.

After a scan, an EMI receiver (R&S ESCI, ESU, ESR/ESRP) measures again, with its final
detector (quasi-peak, CISPR average...), at the peaks the scan found, and exports that list
after the scan's ``Scan n:`` blocks and beside its ``TRACE n:`` blocks (R&S ESU operating
manual 1302.6163.12, "RECEIVER mode, final measurement data", Tables 4-1/4-2; ESCI manual
1166.6004.12; ESRP user manual). Layout::

    TRACE 1 FINAL:
    Trace Mode;CLR/WRITE;
    Final Detector;QUASIPEAK;         (the manuals print 'Final Detector, QUASIPEAK;';
                                       the ESRP manual 'Detector;QUASI PEAK;')
    x-Unit;Hz;
    y-Unit;dBuV;
    Final Meas Time;1.000000;s
    Margin;6.000000;dB                (the peak search's margin)
    Values;3;                         (the ESRP manual: 'Value;26;')
    1;200000.000000;52.125000;-11.500000;N;GND
    <trace>;<frequency>;<level>;<delta to the limit line>;<phase>;<protective earth>

Phase and protective earth are written only when the receiver controls a LISN: they name the
LISN setting (``N``, ``L1``...; ``GND``, ``FLOAT``) where the reading was the highest. Each
list becomes one trace of its final detector (:func:`final_traces`); the delta column (the
instrument's own limit line), the phase, earth and trace columns are kept in the capture's
metadata, never judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..capture import Detector, Trace, stated_trace_mode
from ..errors import CaptureFormatError
from ..frequency import format_hz
from ..units import LevelScale, LevelUnit
from ._blocks import block_stop, check_rows_end, refuse_cut_last_row
from ._common import name_key, parse_float
from ._level_scale import StatedUnit, convert_levels, level_unit_of
from ._lines import TextLines
from ._rs_sections import DETECTOR_MAP, RangeSettings, Section, section_number

__all__ = [
    "FINAL_HEADER_MAP",
    "FINAL_SECTION_RE",
    "FinalRow",
    "FinalSection",
    "final_field",
    "final_traces",
    "read_final_rows",
]

#: The line starting a final-measurement list: ``TRACE 1 FINAL:`` (``TRACE <x> FINAL``).
FINAL_SECTION_RE = re.compile(r"^TRACE\s*(\d+)\s+FINAL\s*:?$", re.IGNORECASE)

#: A final list's own header names -> canonical fields (over ``rs_ascii.HEADER_MAP``).
FINAL_HEADER_MAP: dict[str, str] = {
    "Final Detector": "detector",
    "Final Meas Time": "dwell_s",
    "Value": "n_points",  # the ESRP manual's spelling of 'Values'
}

#: The row's columns, as the manuals name them: trace, frequency and level are required.
_COLUMNS = ("trace", "frequency", "level", "delta", "phase", "ground")
_MIN_FIELDS = 3
#: Frequencies a note lists before it says how many more.
_MAX_LISTED = 5


@dataclass(frozen=True)
class FinalRow:
    """One final measurement: ``<trace>;<frequency>;<level>;<delta>;<phase>;<ground>``."""

    line: int  #: 1-based line of the row
    trace: str  #: number of the trace whose peak it re-measures
    freq_hz: float  #: [Hz]
    level: float  #: [the list's ``y-Unit``]
    delta_db: float | None  #: the instrument's level minus its limit line, if written [dB]
    phase: str  #: LISN line of the highest reading (``N``, ``L1``); empty when not written
    ground: str  #: LISN protective-earth setting (``GND``, ``FLOAT``); empty when not written


@dataclass
class FinalSection(Section):
    """A ``TRACE n FINAL:`` block: its fields, and its rows once read."""

    rows: list[FinalRow] | None = field(default=None)


def final_field(key: str, vals: list[str]) -> tuple[str, list[str]]:
    """Return a final list's header line as ``(key, values)``.

    The manuals print the detector line with a comma (``Final Detector, QUASIPEAK;``): that
    is read as ``Final Detector;QUASIPEAK;``.
    """
    name, comma, rest = key.partition(",")
    if comma and name.strip() in ("Final Detector", "Detector"):
        return name.strip(), [rest.strip(), *vals]
    return key, vals


def read_final_rows(
    lines: TextLines, first: int, n_rows: int, declared: str, what: str
) -> tuple[list[FinalRow], int | None]:
    """Return the ``n_rows`` rows of a final list from line index ``first``, and where to go on.

    Returns
    -------
    rows, next
        The rows in file order, and the index of the first non-blank line after them (None:
        the list ends the file).

    Raises
    ------
    CaptureFormatError
        Naming the line: the file ends before ``n_rows`` rows (truncated), more rows follow,
        a blank or header line inside the rows, a row with fewer than 3 or more than 6
        fields or another count than the first row's, a field that is not a number, a last
        row cut short.
    """
    stop = block_stop(lines, first, n_rows, declared)
    decimal_comma = n_rows > 0 and "," in lines.text(first)
    rows = []
    width = 0
    for i in range(first, stop):
        fields = _row_fields(lines, i, first, declared, what)
        width = width or len(fields)
        if len(fields) != width:
            raise CaptureFormatError(
                f"{what}: {len(fields)} fields, expected {width} as in the first row "
                f"(mismatched column count): {lines.text(i).strip()!r}",
                lines.path,
                i + 1,
            )
        rows.append(_final_row(fields, lines.path, i + 1, what, decimal_comma))
    after = check_rows_end(lines, stop, declared)
    if not lines.has_line(after):
        refuse_cut_last_row(lines, first, stop, ";", what)
        return rows, None
    return rows, after


def _row_fields(lines: TextLines, i: int, first: int, declared: str, what: str) -> list[str]:
    """Return the fields of row line ``i``, empty trailing ones dropped; refuse a non-row."""
    text = lines.text(i)
    if not text.strip():
        raise CaptureFormatError(f"{what}: blank line inside the rows", lines.path, i + 1)
    if text.strip()[:1].isalpha():
        raise CaptureFormatError(
            f"{what}: {declared} but row {i - first + 1} is {text.strip()!r} "
            "(file truncated or wrong point count?)",
            lines.path,
            i + 1,
        )
    fields = [f.strip() for f in text.split(";")]
    while len(fields) > 1 and not fields[-1]:
        fields.pop()
    if not _MIN_FIELDS <= len(fields) <= len(_COLUMNS):
        raise CaptureFormatError(
            f"{what}: {len(fields)} fields, expected 3 to 6 "
            f"(<trace>;<frequency>;<level>;<delta>;<phase>;<ground>): {text.strip()!r}",
            lines.path,
            i + 1,
        )
    return fields


def _final_row(
    fields: list[str], path: Path, line: int, what: str, decimal_comma: bool
) -> FinalRow:
    """Parse one row's fields (3 to 6, :func:`_row_fields`)."""

    def number(k: int) -> float:
        return parse_float(
            fields[k], path, line, f"{what}: {_COLUMNS[k]}", decimal_comma=decimal_comma
        )

    trace = number(0)
    if trace != int(trace) or trace < 1:
        raise CaptureFormatError(f"{what}: trace: not a trace number: {fields[0]!r}", path, line)
    freq_hz = number(1)
    if freq_hz < 0:
        raise CaptureFormatError(f"{what}: negative frequency: {fields[1]!r}", path, line)
    padded = [*fields, "", "", ""]
    return FinalRow(
        line=line,
        trace=str(int(trace)),
        freq_hz=freq_hz,
        level=number(2),
        delta_db=None if padded[3] in ("", "---") else number(3),  # '---': none written
        phase=padded[4],
        ground=padded[5],
    )


def final_traces(
    path: Path,
    glob: Section,
    sec: FinalSection,
    unit: StatedUnit,
    ranges: RangeSettings,
    metadata: dict[str, str],
    warnings: list[str],
) -> list[Trace]:
    """Return the trace(s) of one final list: its rows sorted by frequency.

    The detector is the list's own (``Final Detector``), never the file's or the scan's;
    ``dwell_s`` is its ``Final Meas Time``; each row's RBW is that of the scan range holding
    its frequency (:func:`_row_rbws`), and a list whose rows have different RBWs gives one
    trace per RBW. Two rows at one frequency keep the higher level (noted). Rows naming more
    than one phase are noted. The trace, delta, phase and earth columns go to ``metadata``
    under the trace's name. A ``unit`` converted on reading (``W``, ``dBpW``) converts every
    row's level first, noted (:func:`._level_scale.convert_levels`).

    Raises
    ------
    CaptureFormatError
        No detector line, or a detector rfcheck does not know (AC VIDEO), or no ``Values``
        line.
    """
    mode_raw = sec.fields.get("trace_mode", ([""], 0))[0]
    mode_text = mode_raw[0] if mode_raw else ""
    if mode_text.upper() == "BLANK":
        warnings.append(f"{sec.name}: blank trace dropped")
        return []
    if sec.rows is None:
        raise CaptureFormatError(
            f"{sec.name}: no 'Values;N;' line before its rows (missing data marker?)",
            path,
            sec.line,
        )
    detector = _final_detector(sec, path)
    window, _, number = sec.name.removesuffix(" FINAL").rpartition("TRACE ")
    name = f"{window}Trace {number} final ({detector.value})"
    if not sec.rows:
        warnings.append(f"{sec.name}: no final measurements (Values;0;): nothing to read")
        return []
    rows = _converted(sec.rows, unit, path, name, warnings)
    rows = _by_frequency(rows, name, level_unit_of(unit), warnings)
    phases = list(dict.fromkeys(r.phase for r in rows if r.phase))
    if len(phases) > 1:
        warnings.append(
            f"{name}: the finals name {len(phases)} mains lines ({', '.join(phases)}): each "
            "reading is the highest the receiver found over those lines (its row's phase "
            "names which), so judging the list as one line's is conservative"
        )
    mode, reads_low = stated_trace_mode(mode_text)
    dwell_s = section_number(Section(sec.name, sec.fields), "dwell_s", path)
    traces = []
    for part in _rbw_parts(name, rows, _row_rbws(path, glob, rows, ranges, name, warnings)):
        _row_metadata(part.name, part.rows, metadata)
        traces.append(
            Trace(
                freq_hz=np.array([r.freq_hz for r in part.rows], dtype=np.float64),
                level=np.array([r.level for r in part.rows], dtype=np.float64),
                unit=level_unit_of(unit),
                detector=detector,
                name=part.name,
                mode=mode,
                reads_low=reads_low,
                rbw_hz=part.rbw_hz,
                dwell_s=dwell_s,
            )
        )
    return traces


@dataclass(frozen=True)
class _Part:
    """The rows of a final list measured with one RBW, and the name of their trace."""

    name: str
    rbw_hz: float | None  #: [Hz]
    rows: list[FinalRow]


def _rbw_parts(name: str, rows: list[FinalRow], rbws: list[float | None]) -> list[_Part]:
    """Return the list's rows by RBW, ascending (unknown last); named by RBW when several."""
    groups = sorted(set(rbws), key=lambda v: (v is None, v or 0.0))
    parts = []
    for rbw in groups:
        label = name
        if len(groups) > 1:
            label = f"{name[:-1]}, RBW {format_hz(rbw, missing='unknown')})"
        parts.append(_Part(label, rbw, [r for r, v in zip(rows, rbws, strict=True) if v == rbw]))
    return parts


def _final_detector(sec: FinalSection, path: Path) -> Detector:
    """Return the list's final detector; refuse none, or one rfcheck does not know."""
    raw, line = sec.fields.get("detector", ([], sec.line))
    text = raw[0] if raw else ""
    if not text:
        raise CaptureFormatError(
            f"{sec.name}: no 'Final Detector' line: the detector of the final measurements "
            "is unknown",
            path,
            line,
        )
    detector = DETECTOR_MAP.get(name_key(text))
    if detector is None or detector in (Detector.NORMAL, Detector.SAMPLE):
        raise CaptureFormatError(
            f"{sec.name}: unknown final detector {text!r} (known: MAX PEAK, MIN PEAK, RMS, "
            "AVERAGE, QUASIPEAK, CISPR RMS, CISPR AV)",
            path,
            line,
        )
    return detector


def _converted(
    rows: list[FinalRow], unit: StatedUnit, path: Path, name: str, warnings: list[str]
) -> list[FinalRow]:
    """Return ``rows`` with their levels in :func:`._level_scale.level_unit_of` ``unit``."""
    if not isinstance(unit, LevelScale):
        return rows
    level = np.array([r.level for r in rows], dtype=np.float64)
    level = convert_levels(level, unit, path, name, warnings, [r.line for r in rows])
    return [replace(r, level=float(v)) for r, v in zip(rows, level, strict=True)]


def _by_frequency(
    rows: list[FinalRow], name: str, unit: LevelUnit | None, warnings: list[str]
) -> list[FinalRow]:
    """Return the rows sorted by frequency, one per frequency: the highest level (noted)."""
    groups: list[list[FinalRow]] = []
    for row in sorted(rows, key=lambda r: r.freq_hz):
        if groups and row.freq_hz == groups[-1][0].freq_hz:
            groups[-1].append(row)
        else:
            groups.append([row])
    kept = []
    for same in groups:
        best = max(same, key=lambda r: r.level)  # the first of equal levels
        kept.append(best)
        if len(same) > 1:
            lines = ", ".join(str(r.line) for r in sorted(same, key=lambda r: r.line))
            level = f"{best.level:.2f} {unit or ''}".rstrip()
            warnings.append(
                f"{name}: {len(same)} rows at {format_hz(best.freq_hz)} (lines {lines}): "
                f"the highest level, {level} (line {best.line}), is kept"
            )
    return kept


@dataclass(frozen=True)
class _Span:
    """A scan range's ``Start``...``Stop`` and its ``RBW``."""

    start_hz: float  #: [Hz]
    stop_hz: float  #: [Hz]
    rbw_hz: float | None  #: [Hz]; None: AUTO or not stated


def _row_rbws(
    path: Path,
    glob: Section,
    rows: list[FinalRow],
    ranges: RangeSettings,
    name: str,
    warnings: list[str],
) -> list[float | None]:
    """Return each row's RBW: that of the scan range holding its frequency [Hz].

    A frequency on the boundary two adjacent ranges share belongs to the lower range (as in
    :mod:`._scan_ranges`). Rows no range with a ``Start``/``Stop`` holds take the RBW every
    range agrees on when some range states no ``Start``/``Stop``; a file without scan ranges
    gives every row its global ``RBW``. Otherwise a row outside every range (or in
    overlapping ranges of different RBWs) has none: noted.
    """
    if not ranges.sections:
        rbw = section_number(glob, "rbw_hz", path)
        if rbw is None:
            warnings.append(f"{name}: the file states no scan range and no RBW: RBW unknown")
        return [rbw] * len(rows)
    spans = []
    for rng in ranges.sections:
        lo, hi = section_number(rng, "start_hz", path), section_number(rng, "stop_hz", path)
        if lo is not None and hi is not None:
            spans.append(_Span(lo, hi, section_number(rng, "rbw_hz", path)))
    spans.sort(key=lambda s: (s.start_hz, s.stop_hz))
    common = None
    if len(spans) < len(ranges.sections) and not ranges.rbws_differ:
        common = section_number(Section("", ranges.fields), "rbw_hz", path)
    out = [_rbw_at(row.freq_hz, spans, common) for row in rows]
    lost = [row for row, rbw in zip(rows, out, strict=True) if rbw is None]
    if lost:
        listed = ", ".join(f"{format_hz(r.freq_hz)} (line {r.line})" for r in lost[:_MAX_LISTED])
        more = f" and {len(lost) - _MAX_LISTED} more" if len(lost) > _MAX_LISTED else ""
        warnings.append(
            f"{name}: no scan range with an RBW holds the final(s) at {listed}{more}: their "
            "RBW is unknown (state it with --rbw)"
        )
    return out


def _rbw_at(freq_hz: float, spans: list[_Span], unplaced: float | None) -> float | None:
    """Return the RBW of the range holding ``freq_hz`` [Hz]; ``unplaced`` when none does."""
    holders = [s for s in spans if s.start_hz <= freq_hz <= s.stop_hz]
    if not holders:
        return unplaced
    if len(holders) == 2 and holders[0].stop_hz == freq_hz == holders[1].start_hz:
        return holders[0].rbw_hz  # a shared boundary: the lower range's
    rbws = {s.rbw_hz for s in holders}
    return rbws.pop() if len(rbws) == 1 else None


def _row_metadata(name: str, rows: list[FinalRow], metadata: dict[str, str]) -> None:
    """Keep the columns the verdict does not read, in the trace's frequency order."""
    metadata[f"{name}: peak found on trace"] = ", ".join(r.trace for r in rows)
    if any(r.delta_db is not None for r in rows):
        metadata[f"{name}: delta to the instrument's limit line [dB]"] = ", ".join(
            "-" if r.delta_db is None else f"{r.delta_db:.2f}" for r in rows
        )
    if any(r.phase for r in rows):
        metadata[f"{name}: phase"] = ", ".join(r.phase or "-" for r in rows)
    if any(r.ground for r in rows):
        metadata[f"{name}: protective earth"] = ", ".join(r.ground or "-" for r in rows)
