"""tinySA / tinySA Ultra sweeps, as saved by the QtTinySA PC application or by the instrument.

Four layouts, told apart by their first lines (in this order):

1. **QtTinySA recording** ("waterfall"): one metadata line
   ``2025-01-28-095200,Start,87500000,Stop,108000000,fStep,33387,Points,615,RBW,100,Each_Column=One_sweep``
   then ``Points`` rows x N sweeps of levels -- one sweep per *column*, no frequency column.
   Frequencies are rebuilt as ``linspace(Start, Stop, Points)`` [Hz] and checked against the
   (integer-truncated) ``fStep``.
2. **QtTinySA export with a header** (``np.savetxt(header=...)``): a ``# Frequency, ...`` line,
   then rows as in 3. Units are taken from the header names only when they state one
   (``Trace 1 (dBm)``).
3. **QtTinySA export without header** (``np.savetxt(fmt='%.2f')``): column 1 frequency [Hz],
   columns 2..N one per QtTinySA trace buffer, every value with exactly two decimals.
4. **tinySA on-device CSV** (SD card): ``frequency,value`` lines, integer frequency [Hz].

Decisions
---------
Level unit: none of these files states a unit. QtTinySA reads the tinySA in its default dBm
and the SD-card file follows the unit set on the instrument, but the file itself does not
say so; following "never guess a unit silently", traces get ``unit=None`` and a note tells
the user to state it (``--unit dBm``). A header that names a unit is used.

Recording: a lab judges the worst case, so the recording becomes **one max-hold trace over
all sweeps** (``TraceMode.MAX_HOLD``, named ``max-hold of N sweeps``); the sweep count, the
``RBW`` field as printed (its unit is not stated; QtTinySA uses kHz, so it is *not* copied
to ``rbw_hz``) and the file's other fields go to ``metadata``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..capture import Capture, Instrument, Trace, TraceMode
from ..errors import CaptureFormatError, UnitError
from ..frequency import format_hz
from ..units import parse_scaled_level_unit
from ._common import UNIT_ADVICE, check_frequency_axis, check_levels, parse_float, read_text
from ._header import iso_timestamp
from ._level_scale import CURRENT_WORDS, StatedUnit, convert_levels, level_unit_of
from ._registry import Reader
from ._table import read_table

__all__ = ["read_tinysa", "READER", "TINYSA_LOWEST_HZ"]

#: A QtTinySA sweep row (numpy ``savetxt``): the frequency [Hz] with one or two decimals
#: (``%.2f`` in its early exports, one decimal in later ones), then one level per trace
#: buffer with decimals, ``nan`` for a buffer holding no sweep.
_LEVEL = rb"(?:-?\d+\.\d+|nan)"
_SAVETXT_ROW = re.compile(rb"^\d+\.\d{1,2}(?:," + _LEVEL + rb")+$")
_DEVICE_ROW = re.compile(rb"^\d+,\s*-?\d+(?:\.\d+)?$")
_RECORDING = re.compile(rb"^\d{4}-\d{2}-\d{2}-\d{6},Start,")
_RECORDING_TEXT = re.compile(r"^(\d{4}-\d{2}-\d{2}-\d{6}),Start,")
_FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}-\d{6})(?:_RBW(\d+(?:\.\d+)?))?")

#: The lowest frequency of every tinySA model (tinySA: 100 kHz - 350 MHz, 960 MHz on its high
#: input; tinySA Ultra from 100 kHz; tinysa.org wiki, KH6HTV application note AN-62). A
#: header-less sweep wholly below it was most likely written in kHz or MHz. [Hz]
TINYSA_LOWEST_HZ = 100e3

#: Recording header fields -> canonical names.
_RECORDING_FIELDS: dict[str, str] = {
    "Start": "start_hz",
    "Stop": "stop_hz",
    "fStep": "step_hz",
    "Points": "points",
    "RBW": "rbw",
}

_NO_UNIT_NOTE = (
    "the file states no level unit (the tinySA reads in dBm unless set otherwise, and "
    f"QtTinySA always uses dBm); {UNIT_ADVICE}"
)


def _lines(head: bytes, n: int) -> list[bytes]:
    return [ln.strip() for ln in head.lstrip(b"\xef\xbb\xbf").splitlines()[:n] if ln.strip()]


def _layout(head: bytes) -> str | None:
    lines = _lines(head, 3)
    if not lines:
        return None
    if _RECORDING.match(lines[0]) and b"Each_Column=One_sweep" in lines[0]:
        return "recording"
    # two rows decide: a damaged row further down is reported by the reader, not hidden
    body = lines[1:3] if lines[0].startswith(b"#") else lines[:2]
    if lines[0].startswith(b"#"):
        if b"freq" in lines[0].lower() and body and all(_SAVETXT_ROW.match(ln) for ln in body):
            return "savetxt-header"
        return None
    if all(_SAVETXT_ROW.match(ln) for ln in body):
        return "savetxt"
    if len(body) >= 2 and all(_DEVICE_ROW.match(ln) for ln in body):
        return "device"
    return None


def _sniff(head: bytes, path: Path) -> bool:
    return _layout(head) is not None


def read_tinysa(path: Path) -> Capture:
    """Read a tinySA sweep file (QtTinySA export or recording, or the instrument's own CSV).

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        Traces with frequency [Hz] and levels; ``unit`` None unless a header states it.

    Raises
    ------
    CaptureFormatError
        Unknown layout, non-numeric rows, mismatched column counts, point count different
        from the recording's ``Points`` (truncated file), inconsistent Start/Stop/fStep, NaN or
        non-monotonic frequencies.
    """
    text = read_text(path)
    layout = _layout(text[:8192].encode("utf-8", "replace"))
    if layout is None:
        raise CaptureFormatError(
            f"not a tinySA/QtTinySA file (first line {text.splitlines()[0][:60]!r})", path, 1
        )
    if layout == "recording":
        return _read_recording(path, text)
    return _read_columns(path, text, layout)


def _below_range_note(freq: NDArray[np.float64]) -> str:
    """Return the note for a sweep wholly below :data:`TINYSA_LOWEST_HZ` (a file not in Hz?)."""
    return (
        f"the sweep ({format_hz(float(freq[0]))} .. {format_hz(float(freq[-1]))}) lies wholly "
        f"below {format_hz(TINYSA_LOWEST_HZ)}, the lowest frequency of any tinySA: these "
        "files give the frequency in Hz with no unit, so a file written in kHz or MHz reads "
        "1,000 or 1,000,000 times low; convert its first column to Hz"
    )


def _timestamp_from_name(path: Path, meta: dict[str, str], warnings: list[str]) -> str | None:
    m = _FILE_NAME.match(path.name)
    if not m:
        return None
    if m.group(2):
        meta["file_name_rbw"] = m.group(2)
        warnings.append(
            f"RBW {m.group(2)} appears only in the file name (unit not stated); not used"
        )
    ts = iso_timestamp(m.group(1))
    if ts:
        warnings.append("timestamp taken from the QtTinySA file name")
    return ts


def _read_columns(path: Path, text: str, layout: str) -> Capture:
    lines = text.splitlines()
    names: list[str] = []
    units: list[StatedUnit] = []
    first = 1
    if layout == "savetxt-header":
        names = [n.strip() for n in lines[0].lstrip("#").split(",")]
        first = 2
        for n in names[1:]:
            units.append(_unit_from_name(n, path))
    body, empty = _without_empty_buffers(lines[first - 1 :], path, first)
    if empty:
        names = [n for j, n in enumerate(names) if j not in empty]
        units = [u for j, u in enumerate(units, 1) if j not in empty]
    data = read_table(
        "\n".join(body),
        path,
        first_line=first,
        what="sweep data",
        last_row_ended=text.endswith(("\n", "\r")),
    )
    empty_note = (
        f"column(s) {', '.join(str(j + 1) for j in empty)}: every level is 'nan' (empty trace "
        "buffers); dropped"
        if empty
        else ""
    )
    if data.shape[1] < 2:
        raise CaptureFormatError(
            "sweep data: need a frequency column and at least one level column", path, first
        )
    if names and len(names) != data.shape[1]:
        raise CaptureFormatError(
            f"header names {len(names)} columns but the rows have {data.shape[1]}", path, 1
        )
    freq = np.ascontiguousarray(data[:, 0])
    check_frequency_axis(freq, path)
    meta: dict[str, str] = {"layout": layout}
    warnings: list[str] = []
    if freq[-1] < TINYSA_LOWEST_HZ:
        warnings.append(_below_range_note(freq))
    timestamp = _timestamp_from_name(path, meta, warnings)
    if empty_note:
        warnings.append(empty_note)
    traces = []
    for j in range(1, data.shape[1]):
        stated = units[j - 1] if units else None
        level = convert_levels(
            np.ascontiguousarray(data[:, j]), stated, path, f"column {j + 1}", warnings, first
        )
        check_levels(level, path, f"column {j + 1}")
        name = re.sub(r"\s*[(\[][^)\]]*[)\]]\s*$", "", names[j]) if names else f"trace {j}"
        traces.append(Trace(freq_hz=freq, level=level, unit=level_unit_of(stated), name=name))
    if any(t.unit is None for t in traces):
        warnings.append(_NO_UNIT_NOTE)
    if layout == "device":
        inst = Instrument(vendor="tinySA")
    else:
        inst = Instrument(vendor="tinySA", options="saved by QtTinySA")
    return Capture(
        traces=tuple(traces),
        instrument=inst,
        timestamp=timestamp,
        metadata=meta,
        warnings=tuple(warnings),
    )


def _without_empty_buffers(body: list[str], path: Path, first: int) -> tuple[list[str], list[int]]:
    """Drop the level columns whose every value is ``nan``: QtTinySA's empty trace buffers.

    Returns the rows without them and their 0-based indices (none when the rows do not all
    have the same number of fields: ``read_table`` then names the bad row).

    Raises
    ------
    CaptureFormatError
        Every level column is ``nan`` (no buffer holds a sweep).
    """
    rows = [ln.split(",") for ln in body if ln.strip()]
    if not rows or len({len(r) for r in rows}) != 1:
        return body, []
    width = len(rows[0])
    empty = [j for j in range(1, width) if all(r[j].strip().lower() == "nan" for r in rows)]
    if not empty:
        return body, []
    if len(empty) == width - 1:
        raise CaptureFormatError(
            "sweep data: every level column is 'nan' (no trace buffer holds a sweep)", path, first
        )
    keep = [j for j in range(width) if j not in empty]
    return [",".join(r[j] for j in keep) for r in rows], empty


def _unit_from_name(name: str, path: Path) -> StatedUnit:
    """Return the level unit a column name states: bracketed (``Level (dBm)``), else a word.

    A current is read only from brackets: ``Trace A`` names a trace.
    """
    m = re.search(r"[(\[]([^)\]]+)[)\]]", name)
    if m:
        try:
            return parse_scaled_level_unit(m.group(1))
        except UnitError:
            raise CaptureFormatError(
                f"column {name!r}: unknown level unit {m.group(1)!r}", path, 1
            ) from None
    for token in reversed(re.split(r"[\s_]+", name)):
        if token.lower().replace("µ", "u").replace("μ", "u") in CURRENT_WORDS:
            continue
        try:
            return parse_scaled_level_unit(token)
        except UnitError:
            continue
    return None


def _read_recording(path: Path, text: str) -> Capture:
    """Read a QtTinySA recording: one sweep per column, frequencies from the header."""
    lines = text.splitlines()
    head = lines[0].strip()
    m = _RECORDING_TEXT.match(head)
    if m is None:  # pragma: no cover - _layout checked it
        raise CaptureFormatError("not a QtTinySA recording", path, 1)
    meta, values = _recording_header(head)
    freq = _recording_axis(values, path)
    data = read_table(
        "\n".join(lines[1:]),
        path,
        first_line=2,
        what="recording",
        last_row_ended=text.endswith(("\n", "\r")),
    )
    if data.shape[0] != freq.size:
        raise CaptureFormatError(
            f"recording has {data.shape[0]} rows but the header says Points {freq.size} "
            "(file truncated?)",
            path,
            data.shape[0] + 1,
        )
    check_levels(data.ravel(), path, "recording levels")
    n_sweeps = data.shape[1]
    meta["sweeps"] = str(n_sweeps)
    trace = Trace(
        freq_hz=freq,
        level=np.ascontiguousarray(data.max(axis=1)),
        unit=None,
        name=f"max-hold of {n_sweeps} sweeps",
        mode=TraceMode.MAX_HOLD,
    )
    warnings = (
        f"recording of {n_sweeps} sweeps (one per column) reduced to their max-hold",
        f"RBW {values.get('rbw', '?')} stated without a unit (QtTinySA uses kHz); not used",
        _NO_UNIT_NOTE,
    )
    return Capture(
        traces=(trace,),
        instrument=Instrument(vendor="tinySA", options="recorded by QtTinySA"),
        timestamp=iso_timestamp(m.group(1)),
        metadata=meta,
        warnings=warnings,
    )


def _recording_header(head: str) -> tuple[dict[str, str], dict[str, str]]:
    """Metadata and canonical fields of the ``<date>,Start,...,Points,...`` line."""
    fields = [f.strip() for f in head.split(",")]
    meta: dict[str, str] = {"layout": "recording"}
    values: dict[str, str] = {}
    for i in range(1, len(fields) - 1, 2):
        key, value = fields[i], fields[i + 1]
        meta[key] = value
        if key in _RECORDING_FIELDS:
            values[_RECORDING_FIELDS[key]] = value
    return meta, values


def _recording_axis(values: dict[str, str], path: Path) -> NDArray[np.float64]:
    """Return the frequencies [Hz] from Start, Stop and Points, checked against fStep."""
    for key in ("start_hz", "stop_hz", "points"):
        if key not in values:
            raise CaptureFormatError(
                f"recording header has no {key.split('_')[0].title()} field", path, 1
            )
    start = parse_float(values["start_hz"], path, 1, "Start")
    stop = parse_float(values["stop_hz"], path, 1, "Stop")
    points_f = parse_float(values["points"], path, 1, "Points")
    points = int(points_f) if points_f.is_integer() else 0
    if points < 2 or stop <= start or not np.isfinite([start, stop]).all():
        raise CaptureFormatError(
            f"recording header: Start {values['start_hz']}, Stop {values['stop_hz']}, "
            f"Points {values['points']} do not describe a sweep",
            path,
            1,
        )
    step = (stop - start) / (points - 1)
    if "step_hz" in values:
        stated = parse_float(values["step_hz"], path, 1, "fStep")
        if abs(stated - step) > 1.0:
            raise CaptureFormatError(
                f"recording header: fStep {values['step_hz']} Hz disagrees with "
                f"(Stop - Start)/(Points - 1) = {step:.3f} Hz",
                path,
                1,
            )
    freq = start + np.arange(points, dtype=np.float64) * step
    freq[-1] = stop
    check_frequency_axis(freq, path)
    return freq


READER = Reader(
    name="tinysa",
    title="tinySA sweep (QtTinySA export/recording, on-device CSV)",
    extensions=(".csv",),
    signature=(
        "'<date>,Start,...,Each_Column=One_sweep' recording line; or header-less rows of "
        "'%.2f' numbers (optionally after a '# Frequency...' line); or 'int_freq,value' rows"
    ),
    sniff=_sniff,
    read=read_tinysa,
    priority=900,
)
