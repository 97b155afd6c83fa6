"""Generic CSV: the documented fallback format for data from any instrument or script.

Format
------
A UTF-8 (or Latin-1) text file, fields separated by ``,``, ``;`` or a tab (the separator
found in the column-header row; ``.`` is the decimal mark in every case)::

    # instrument: Acme EMI-9000 s/n 1234
    # rbw_hz: 9000
    # detector: peak
    Frequency (MHz),Peak (dBuV),QP (dBuV)
    0.150,52.1,47.3
    0.160,51.8,46.9

1. **Comment lines** (optional, before the header): ``# key: value``. Known keys:
   ``rbw_hz``, ``vbw_hz``, ``sweep_time_s``, ``dwell_s``, ``center_freq_hz`` [Hz, s];
   ``detector`` (default detector for level columns whose name states none); ``unit``
   (default level unit for level columns whose name states none); ``mode`` (``max-hold``,
   ``clear-write``, ``average``...: with ``sweep_time_s``, or 101 readings or more, what
   shows the trace is an analyser's sweep, whose peak readings bound the buckets between
   them; without any, each reading covers its RBW only, ``Trace.sweep_unstated``);
   ``instrument``, ``vendor``, ``model``, ``serial``, ``firmware`` (the *instrument*:
   ``serial`` is the instrument's serial number);
   ``dut_serial``, ``dut_model``, ``dut_firmware`` (the *device under test*: read by
   :func:`rfcheck.dut_identity.stated_dut` for ``rfcheck lot`` and ``rfcheck dossier``);
   ``timestamp`` (or ``date``); ``note``, ``comment``, ``description``, ``title``,
   ``operator`` (free text). Every key is kept in ``metadata`` (but for names of rfcheck's
   own, such as ``sample_unit_scale``); a key not listed here is noted with its line (it
   is not read), and a key naming a distance (``distance_m``) is an error: a capture
   carries no measurement distance (``--distance`` states it). ``#`` lines
   without ``key: value`` (or with more than three words before the colon) are free text;
   one mentioning a distance is noted. A ``# unit:`` that contradicts a column's own unit is
   an error, as ``--unit`` is. The header row must begin within the file's first 64 KiB.
2. **Column-header row**: the first column is the axis, the others are levels.

   * Frequency axis: ``frequency``/``freq``/``f`` with its unit in brackets or as a suffix --
     ``Frequency (MHz)``, ``freq [kHz]``, ``frequency_hz``, ``freq_GHz``. The unit (Hz, kHz,
     MHz, GHz) is required: a bare ``frequency`` column is an error (never guessed).
   * Level columns: a label and a unit -- ``Peak (dBuV)``, ``level_dbuv``, ``QP [dBuV/m]``,
     ``avg_dbm``, ``level_dbuv_m``. Units: dBm, dBuV (dBµV), dBmV, dBuV/m, dBuA, V;
     case-insensitive. Converted as read, with a note (:class:`~rfcheck.units.LevelScale`):
     dBpW, dBuW, dBW, W, mW, uW, nW to dBm (a power: dBm = dBpW - 90, 10·log10(P / 1 mW));
     mV, uV to V; A, mA, uA, dBmA to dBuA (20·log10(I / 1 µA)); a current only in
     brackets (``Level (A)``: ``trace_a`` names a trace); a power or current that is not
     positive is an error. Field strength (dBuV/m) may be written ``level_dbuv_m``,
     ``level_dbuv/m``, ``level_dBuV/m``, ``level_dbuv_per_m`` (``_per_meter``,
     ``_per_metre``), ``level_dbuvm``, or in brackets ``(dBuV/m)``, ``(dBµV/m)``,
     ``(dB(uV/m))``, ``(dBuV per m)``, ``(dBuV_per_m)``. A unit the loader does not know
     (``level_dbw_m``, ``level_dbuv_per_ft``) is an error naming the column. A column
     without a unit takes the ``# unit:`` comment, else stays ``None`` (state it with
     ``--unit``). The label gives the detector when it names one: ``peak``/``pk``,
     ``qp``/``quasi-peak``, ``cavg``/``cav``/``cispr-av``/``cispr-average``, ``rms``,
     ``log avg``, ``sample``...; else the ``# detector:`` comment; else unknown. A bare
     ``avg``/``average``/``av`` names an average but not its scale (log, power or
     voltage): a word beside it states it (``Avg (linear)``, ``lin avg``, ``average
     voltage``: the voltage average; ``log avg``: the log-average; ``avg power``: rms),
     else a ``# detector:`` comment naming an average (``average``, ``cispr-average``,
     ``log-average``, ``rms``); else it is read as a log-average, a lower bound of every
     line, with a note. Every word of a label is read (``_generic_labels.column_reading``):
     a trace-mode word gives the column that mode (``Peak MinHold``: min-hold), an average
     word beside another detector (``Peak Avg``, ``Avg Peak``) is a trace average of it,
     ``-Peak`` is the negative peak, and a label naming two detectors (``QP Peak``) is an
     error unless ``# detector:`` names one of them.
3. **Data rows**: numbers only, the same count of fields as the header (trailing empty
   fields are tolerated), frequencies strictly increasing, no NaN.

A file re-saved by a spreadsheet is read as written before: comment lines padded with
separators (``# rbw_hz: 9000,,``) or quoted because they hold one (``"# note: run 1, L1",,``),
lines of separators only (``,,,``), empty columns after the last level column, quoted
fields, and Excel's ``sep=;`` first line (which then gives the separator).

Time-domain files use a time axis, ``time_s``, ``Time (s)``, ``t [ms]`` (s, ms, us, ns),
whose step must be uniform (it gives the sample rate):

* ``time_s,volts`` / ``Time (s),Voltage (V)`` -- an oscilloscope record (e.g. of a LISN
  output): one :class:`~rfcheck.capture.TimeSeries` of kind ``REAL`` per column, volts,
  ``volts_per_unit`` 1.
* ``time_s,level_dbuv`` with ``# center_freq_hz:`` (required) and ``# rbw_hz:`` -- a zero-span
  envelope: kind ``ENVELOPE`` in the column's unit.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..capture import (
    MODE_MAP,
    UNDER_READING_MODES,
    Capture,
    Detector,
    Instrument,
    SampleKind,
    TimeSeries,
    Trace,
    TraceMode,
    stated_trace_mode,
)
from ..errors import CaptureFormatError, UnitError
from ..units import LevelScale, LevelUnit, parse_scaled_level_unit
from ._common import (
    FREQ_SCALE,
    TIME_SCALE,
    UNIT_ADVICE,
    check_frequency_axis,
    check_levels,
    check_unit_agrees,
    parse_float,
)
from ._files import check_text_size, nul_at, open_regular, refuse_blank
from ._generic_comments import (
    NUMERIC_KEYS,
    comment_detector,
    instrument_model,
    read_comments,
    unused_detector_comment,
)
from ._generic_labels import (
    AVERAGE_FAMILY,
    column_reading,
    unscaled_average_note,
)
from ._header import iso_timestamp
from ._level_scale import CURRENT_WORDS, convert_levels
from ._registry import HEAD_BYTES, Reader
from ._resaved import as_written
from ._table import read_table

__all__ = ["read_generic_csv", "READER"]

_FREQ_NAMES = ("frequency", "freq", "f")
_TIME_NAMES = ("time", "t")
_VOLT_LABELS = ("volts", "volt", "voltage", "v")
#: How a CSV stores time-domain samples (:attr:`TimeSeries.sample_format`).
TEXT_SAMPLES = "decimal text"
#: Readings at least this many are an analyser's trace, whatever the file states: 101 is the
#: fewest points the analysers rfcheck reads write by default or allow as a trace length
#: (R&S 101-100,001; Keysight X-series 1,001 by default; tinySA 101-450; Rigol 601; Siglent
#: 751; N9340 461; ESA 401), while a marker list, stepped readings or typed-in finals are a
#: few to a few tens. Fewer, with no sweep time or trace mode stated, each reading covers its
#: RBW only (``Trace.sweep_unstated``, docs/verdict.md "Coverage").
MIN_SWEEP_POINTS = 101

#: ``# mode:`` words: every instrument word rfcheck knows, and the mode names themselves.
_MODES: dict[str, TraceMode] = {
    **MODE_MAP,
    **{m.value.replace("-", ""): m for m in TraceMode},
}

_UNIT_IN_BRACKETS = re.compile(r"^(.*?)\s*[(\[]\s*([^)\]]*?)\s*[)\]]\s*$")
_DELIMS = ("\t", ";", ",")
#: The words for metre after a dB unit in a column name's suffix (``level_dbuv_per_metre``).
_METRE = ("m", "meter", "metre")


def _split_name(name: str) -> tuple[str, str | None]:
    """``'Peak (dBuV)'`` -> ``('Peak', 'dBuV')``; ``'level_dbuv_m'`` -> ``('level', 'dbuv/m')``."""
    name = name.strip().strip('"').strip()
    m = _UNIT_IN_BRACKETS.match(name)
    if m:
        return m.group(1).strip(), m.group(2)
    tokens = re.split(r"[_\s]+", name)
    if len(tokens) >= 4 and tokens[-2].lower() == "per" and tokens[-3].lower().startswith("db"):
        per = "m" if tokens[-1].lower() in _METRE else tokens[-1]  # 'level_dbuv_per_m'
        return " ".join(tokens[:-3]), f"{tokens[-3]}/{per}"
    if len(tokens) >= 3 and tokens[-1].lower() in _METRE and tokens[-2].lower().startswith("db"):
        return " ".join(tokens[:-2]), tokens[-2] + "/m"  # 'level_dbuv_m'
    if len(tokens) >= 2:
        return " ".join(tokens[:-1]), tokens[-1]
    return name, None


def _axis(name: str) -> tuple[str, float | None] | None:
    """('freq'|'time', scale or None) when ``name`` names an axis column."""
    label, unit = _split_name(name)
    key = label.lower()
    if key in _FREQ_NAMES:
        return "freq", (FREQ_SCALE.get(unit.lower()) if unit else None)
    if key in _TIME_NAMES:
        return "time", (TIME_SCALE.get(unit.lower()) if unit else None)
    return None


def _header_index(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        return i
    return None


def _delimiter(header: str) -> str:
    for d in _DELIMS:
        if d in header:
            return d
    return ","


#: The comments and the header row must sit in the first this many bytes. [bytes]
_HEAD_LIMIT = 1 << 16


def _head_lines(path: Path) -> list[str]:
    """Lines of the file's first :data:`_HEAD_LIMIT` bytes, with :func:`read_text`'s checks.

    Only the head is decoded: the data rows are parsed straight from the file by
    :func:`read_table`, so memory stays proportional to the numbers, not the text.
    """
    with open_regular(path) as fh:
        raw = fh.read(_HEAD_LIMIT)
    refuse_blank(raw, path, whole=len(raw) < _HEAD_LIMIT)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(raw) > 3 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00"
    ):
        raise CaptureFormatError("file is UTF-16 text; re-save it as UTF-8 or ASCII", path)
    if nul := nul_at(raw):
        raise CaptureFormatError(f"binary data ({nul}) in a text format", path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = text.splitlines()
    if len(raw) >= _HEAD_LIMIT - 3 and lines:
        lines.pop()  # possibly cut in the middle
    return lines


def _sniff(head: bytes, path: Path) -> bool:
    text = head.decode("latin-1")
    lines = text.splitlines()[:-1] if len(head) >= HEAD_BYTES else text.splitlines()
    lines, sep = as_written(lines)
    i = _header_index(lines)
    if i is None:  # a head of comments only: the header may follow (read looks in 64 KiB)
        first = next((x for x in lines if x.strip()), text)  # no whole line: the text
        return len(head) >= HEAD_BYTES and first.lstrip().startswith("#")
    fields = lines[i].split(sep or _delimiter(lines[i]))
    return len(fields) >= 2 and _axis(fields[0].lstrip("\ufeff\xef\xbb\xbf")) is not None


def read_generic_csv(path: Path) -> Capture:
    """Read a generic CSV capture (see the module docstring for the format).

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        Frequency files: one trace per level column, frequency [Hz]. Time files: one
        time series per column (REAL volts, or ENVELOPE levels at ``center_freq_hz`` [Hz]).

    Raises
    ------
    CaptureFormatError
        No header row, axis without a unit, unknown level unit, mismatched column counts,
        non-numeric values, NaN/non-monotonic frequencies, non-uniform time step.
    """
    check_text_size(path)
    lines, sep = as_written(_head_lines(path))
    hi = _header_index(lines)
    if hi is None:
        raise CaptureFormatError(
            f"no column-header row in the first {_HEAD_LIMIT // 1024} KiB "
            "(only comments or blank lines)",
            path,
        )
    notes: list[str] = []
    comments = read_comments(lines[:hi], path, notes)
    delim = sep or _delimiter(lines[hi])
    names, kind, scale = _header_row(lines[hi], delim, path, hi + 1)
    scales: dict[int, LevelScale] = {}
    label_modes: dict[int, TraceMode] = {}
    columns, comment_used = _columns(
        names, kind, comments, path, hi + 1, notes, scales, label_modes
    )
    data = read_table(path, path, skiprows=hi + 1, delimiter=delim, ncols=len(names), what="data")
    first_line = hi + 2  # the file line of the first data row (no blank line inside the block)
    for j, conversion in scales.items():
        what = f"column {columns[j - 1][0]!r}"
        data[:, j] = convert_levels(data[:, j], conversion, path, what, notes, first_line)
    nums = {
        v: parse_float(comments[k], path, None, k) for k, v in NUMERIC_KEYS.items() if k in comments
    }
    inst = Instrument(
        vendor=comments.get("vendor", ""),
        model=instrument_model(comments),
        serial=comments.get("serial", ""),
        firmware=comments.get("firmware", ""),
    )
    ts_text = comments.get("timestamp", comments.get("date"))
    timestamp = (iso_timestamp(ts_text) or ts_text) if ts_text else None
    # in place: the level columns are views of ``data``, which a scaled copy of the axis would
    # keep alive beside it (a 10-million-point file: 80 MB more)
    axis_values = np.ascontiguousarray(data[:, 0])
    if scale != 1.0:
        axis_values *= scale
    if kind == "time":
        series = _time_series(path, axis_values, data, columns, nums, first_line)
        return Capture(
            time_series=series,
            instrument=inst,
            timestamp=timestamp,
            metadata=dict(comments),
            warnings=tuple(notes),
        )
    check_frequency_axis(axis_values, path)
    stated_mode = comments.get("mode", "")
    file_mode = stated_trace_mode(stated_mode, _MODES)
    # a sweep shown: an analyser's sweep time, a trace mode, or a trace as long as an
    # analyser's; else the readings stand at their own frequencies, however evenly spaced
    # (docs/verdict.md, "Coverage")
    swept = "sweep_time_s" in nums or axis_values.size >= MIN_SWEEP_POINTS
    traces = []
    warnings = [*notes, *unused_detector_comment(columns, comments, comment_used)]
    for j, (label, unit, det) in enumerate(columns, 1):
        mode, reads_low = _column_mode(label, label_modes.get(j), file_mode, stated_mode, warnings)
        level = np.ascontiguousarray(data[:, j])
        check_levels(level, path, f"column {label!r}", first_line)
        if unit is None:
            warnings.append(f"column {label!r} states no level unit; {UNIT_ADVICE}")
        traces.append(
            Trace(
                freq_hz=axis_values,
                level=level,
                unit=unit,
                detector=det,
                name=label,
                mode=mode,
                reads_low=reads_low,
                rbw_hz=nums.get("rbw_hz"),
                vbw_hz=nums.get("vbw_hz"),
                sweep_time_s=nums.get("sweep_time_s"),
                dwell_s=nums.get("dwell_s"),
                sweep_unstated=not swept and mode is TraceMode.UNKNOWN,
            )
        )
    return Capture(
        traces=tuple(traces),
        instrument=inst,
        timestamp=timestamp,
        metadata=dict(comments),
        warnings=tuple(warnings),
    )


def _column_mode(
    label: str,
    named: TraceMode | None,
    file_mode: tuple[TraceMode, str],
    stated: str,
    notes: list[str],
) -> tuple[TraceMode, str]:
    """Return a column's trace mode and reads-low reason: its label's, or the ``# mode:`` line's.

    The label's mode (``Peak MinHold``) wins over the comment's, except where the comment's
    reads low (min-hold, average, a word not known) and the label's does not: then the
    comment's, the reading that bounds less. A label and comment that disagree are noted.
    """
    mode, why = file_mode
    if named is None:
        return file_mode
    if mode is TraceMode.UNKNOWN and not why:
        return named, ""
    if named is mode:
        return file_mode
    comment_low = mode in UNDER_READING_MODES or bool(why)
    chosen = file_mode if comment_low and named not in UNDER_READING_MODES else (named, "")
    shown = f"'# mode: {stated}'" if chosen is file_mode else f"the label's {named.value}"
    notes.append(
        f"column {label!r} names the trace mode {named.value} and '# mode: {stated}' "
        f"another: read as {shown} (the label's mode, unless the comment's reads lower)"
    )
    return chosen


def _header_row(row: str, delim: str, path: Path, line: int) -> tuple[list[str], str, float]:
    """Column names, axis kind (``freq``/``time``) and the axis unit's multiplier.

    Raises
    ------
    CaptureFormatError
        No axis column, no level column, or an axis without a known unit.
    """
    names = [n.strip().lstrip("\ufeff") for n in row.split(delim)]
    while names and names[-1].strip('"') == "":  # a trailing separator, or a spreadsheet's padding
        names.pop()
    axis = _axis(names[0]) if names else None
    if axis is None or len(names) < 2:
        raise CaptureFormatError(
            f"header row must start with a frequency or time column and name at least one "
            f"level column, got {row[:80]!r}",
            path,
            line,
        )
    kind, scale = axis
    if scale is None:
        raise CaptureFormatError(
            f"axis column {names[0]!r} states no unit or an unknown one "
            f"({'Hz, kHz, MHz, GHz' if kind == 'freq' else 's, ms, us, ns'}), "
            "e.g. 'Frequency (MHz)' or 'frequency_hz'",
            path,
            line,
        )
    return names, kind, scale


def _columns(
    names: list[str],
    kind: str,
    comments: dict[str, str],
    path: Path,
    line: int,
    notes: list[str],
    scales: dict[int, LevelScale],
    modes: dict[int, TraceMode],
) -> tuple[list[tuple[str, LevelUnit | None, Detector]], bool]:
    """(label, unit, detector) of each level column, the ``#`` comments giving defaults.

    Also whether some column took its detector from the ``# detector:`` comment. An average
    label that states no scale (``Avg``) takes the comment's detector when that is an
    average of some scale (``# detector: average``), else the log-average, noted in ``notes``.
    A unit converted on reading (``W``, ``dBpW``, ``mV``: :class:`~rfcheck.units.LevelScale`)
    gives the unit it becomes, and ``scales`` the column's conversion, by column index
    (1 = the first level column); ``modes`` the trace mode a label names (``Peak MinHold``),
    by the same index. A label naming two detectors (``QP Peak``) takes the ``# detector:``
    comment's when it is one of them (:func:`~rfcheck.io._generic_labels.column_reading`).

    Raises
    ------
    CaptureFormatError
        A label naming two detectors, the comment naming neither; a ``# detector:`` comment
        naming two; a column's unit that the ``# unit:`` comment contradicts.
    """
    default_unit = (
        _parse_unit(comments.get("unit"), path, None, "# unit") if "unit" in comments else None
    )
    default_det = comment_detector(comments, path)
    columns: list[tuple[str, LevelUnit | None, Detector]] = []
    comment_used = False
    for j, name in enumerate(names[1:], 1):
        label, unit_text = _split_name(name)
        stated = None
        if unit_text is not None:
            stated = _parse_unit(
                unit_text, path, line, f"column {name!r}", lenient=not _UNIT_IN_BRACKETS.match(name)
            )
            if stated is None:
                label = name
            elif default_unit is not None:
                check_unit_agrees(
                    default_unit,
                    stated,
                    f"'# unit: {comments['unit']}'",
                    f"column {name!r}",
                    path,
                    line,
                )
        stated = stated or default_unit
        if isinstance(stated, LevelScale):
            scales[j] = stated
        unit = stated.unit if isinstance(stated, LevelScale) else stated
        if kind == "time" and unit is None and label.lower() in _VOLT_LABELS:
            unit = LevelUnit.VOLT
        reading = column_reading(label)
        named, unscaled = reading.detector, reading.unscaled
        if reading.mode is not None:
            modes[j] = reading.mode
        if reading.note:
            notes.append(reading.note)
        if reading.conflict and default_det in reading.conflict:
            det, comment_used = default_det, True  # the comment says which of the two
        elif reading.conflict:
            shown = ", ".join(d.value for d in reading.conflict)
            choices = " or ".join(f"'# detector: {d.value}'" for d in reading.conflict)
            raise CaptureFormatError(
                f"column {name!r} names {len(reading.conflict)} detectors ({shown}): state "
                f"which with a line {choices} above the column row, or label the column with "
                "one detector",
                path,
                line,
            )
        elif named is None:
            det = default_det or Detector.UNKNOWN
            comment_used = comment_used or default_det is not None
        elif unscaled and default_det in AVERAGE_FAMILY:
            det, comment_used = default_det, True  # the comment states the average's scale
        elif unscaled:
            det = Detector.LOG_AVERAGE
            notes.append(unscaled_average_note(label or name))
        else:
            det = named
        columns.append((label or name, unit, det))
    return columns, comment_used


def _parse_unit(
    text: str | None, path: Path, line: int | None, what: str, *, lenient: bool = False
) -> LevelUnit | LevelScale | None:
    """Parse a unit; ``lenient`` (underscore suffixes) returns None for non-unit words."""
    if text is None:
        return None
    word = text.lower().replace("µ", "u").replace("μ", "u")
    if lenient and word in CURRENT_WORDS:  # 'trace_a' names a trace
        return None
    try:
        return parse_scaled_level_unit(text.replace("_", " "))  # 'dBuV_per_m' as 'dBuV per m'
    except UnitError:
        if lenient and not word.startswith("db"):
            return None
        raise CaptureFormatError(f"{what}: unknown level unit {text!r}", path, line) from None


def _time_series(
    path: Path,
    t_s: np.ndarray,
    data: np.ndarray,
    columns: list[tuple[str, LevelUnit | None, Detector]],
    nums: dict[str, float],
    first_line: int,
) -> tuple[TimeSeries, ...]:
    if t_s.size < 2:
        raise CaptureFormatError("time axis needs at least two samples", path)
    d = np.diff(t_s)
    step = float(np.median(d))
    if not np.isfinite(t_s).all() or step <= 0 or np.max(np.abs(d - step)) > 1e-3 * step:
        i = (
            int(np.argmax(np.abs(d - step)))
            if np.isfinite(d).all()
            else int(np.argmax(~np.isfinite(d)))
        )
        raise CaptureFormatError(
            f"time axis is not uniformly sampled (step {float(d[i])!r} s at sample {i + 2}, "
            f"median step {step!r} s)",
            path,
        )
    rate = 1.0 / step
    out = []
    for j, (label, unit, det) in enumerate(columns, 1):
        samples = np.ascontiguousarray(data[:, j])
        check_levels(samples, path, f"column {label!r}", first_line)
        if unit is LevelUnit.VOLT:
            out.append(
                TimeSeries(
                    samples=samples,
                    sample_rate_hz=rate,
                    kind=SampleKind.REAL,
                    name=label,
                    sample_format=TEXT_SAMPLES,
                )
            )
            continue
        if unit is None:
            raise CaptureFormatError(
                f"time-domain column {label!r} states no unit (V for an oscilloscope record, "
                "dBuV/dBm for a zero-span envelope)",
                path,
            )
        if "center_freq_hz" not in nums:
            raise CaptureFormatError(
                f"zero-span envelope column {label!r} needs a '# center_freq_hz:' comment", path
            )
        out.append(
            TimeSeries(
                samples=samples,
                sample_rate_hz=rate,
                kind=SampleKind.ENVELOPE,
                center_freq_hz=nums["center_freq_hz"],
                unit=unit,
                rbw_hz=nums.get("rbw_hz"),
                detector=det,
                name=label,
                sample_format=TEXT_SAMPLES,
            )
        )
    return tuple(out)


READER = Reader(
    name="generic-csv",
    title="Generic CSV (frequency or time column + level columns, units in the header)",
    extensions=(".csv", ".txt", ".tsv"),
    signature=(
        "optional '# key: value' lines, then a header row starting 'Frequency (MHz)', "
        "'frequency_hz', 'time_s'..."
    ),
    sniff=_sniff,
    read=read_generic_csv,
    priority=1000,
)
