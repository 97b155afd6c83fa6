"""Header lines of text exports: ``key<sep>value<sep>unit`` fields, units, names, dates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from ..errors import CaptureFormatError, UnitError
from ..units import LevelScale, LevelUnit, parse_scaled_level_unit
from ._common import FLOAT_RE, FREQ_SCALE, TIME_SCALE, name_key, parse_float
from ._lines import TextLines

__all__ = [
    "HeaderEntry",
    "split_fields",
    "read_header",
    "level_unit_at",
    "scaled_value",
    "parse_timestamp",
    "map_name",
    "iso_timestamp",
]

_T = TypeVar("_T")

#: Multipliers of the frequency/time units exports print next to header values.
_SCALE: dict[str, float] = {**FREQ_SCALE, **TIME_SCALE}


def split_fields(text: str, sep: str) -> list[str]:
    """Split a header line into stripped fields, dropping empty trailing ones.

    ``a;b;;`` -> ``a``, ``b``.
    """
    fields = [f.strip() for f in text.split(sep)]
    while fields and not fields[-1]:
        fields.pop()
    return fields


def level_unit_at(text: str, path: Path, line: int) -> LevelUnit | LevelScale:
    """Parse a level unit, re-raising an unknown one with the file and line.

    A unit converted on reading (``W``, ``dBpW``) gives its :class:`~rfcheck.units.LevelScale`,
    for :func:`._level_scale.convert_levels`.
    """
    try:
        return parse_scaled_level_unit(text)
    except UnitError as err:
        raise UnitError(err.message, path, line) from None


def scaled_value(value: str, unit: str, path: Path, line: int, field: str) -> float:
    """Return a header number times its printed unit, in Hz or s.

    ``9000;Hz``, ``6.4e-02,Sec``, ``1 ms``.

    Raises
    ------
    CaptureFormatError
        Unknown unit or non-numeric value.
    """
    key = unit.strip().lower()
    if key and key not in _SCALE:
        raise CaptureFormatError(f"{field}: unknown unit {unit.strip()!r}", path, line)
    return parse_float(value, path, line, field, decimal_comma=True) * _SCALE.get(key, 1.0)


def parse_timestamp(text: str, formats: Iterable[str]) -> str | None:
    """ISO 8601 form of ``text`` under the first matching ``strptime`` format, else None."""
    t = " ".join(text.split())
    for fmt in formats:
        try:
            stamp = datetime.strptime(t, fmt)
        except ValueError:
            continue
        has_time = any(c in fmt for c in ("%H", "%I"))
        return stamp.isoformat() if has_time else stamp.date().isoformat()
    return None


def map_name(text: str, table: Mapping[str, _T], default: _T) -> _T:
    """Look ``text`` up in ``table`` by its letters and digits only.

    ``CLR/WRITE`` is looked up as ``clrwrite``.
    """
    return table.get(name_key(text), default)


HeaderEntry = tuple[str, list[str], int]  #: (key, values, 1-based line)


def read_header(
    lines: TextLines, start: int, *, sep: str, stop_keys: frozenset[str], marker: str
) -> tuple[list[HeaderEntry], int]:
    """Read ``key<sep>value<sep>...`` lines from line index ``start`` up to a stop key.

    Parameters
    ----------
    stop_keys : frozenset of str
        Keys that end the header (``DATA``, ``Trace Data``, ``Trace Name``).
    marker : str
        Name of the data marker, for the missing-marker message.

    Returns
    -------
    entries, index
        Header entries, and the line index of the stop key (``n_lines`` at end of file).

    Raises
    ------
    CaptureFormatError
        A numeric row appears before the data marker (the marker line is missing).
    """
    entries: list[HeaderEntry] = []
    i = start
    while lines.has_line(i):
        text = lines.text(i).strip()
        if not text:
            i += 1
            continue
        fields = split_fields(text, sep)
        if not fields:  # a line of bare separators (damaged export): nothing to read
            i += 1
            continue
        if fields[0] in stop_keys:
            return entries, i
        if fields[0][:1] in tuple("0123456789+-.") and FLOAT_RE.match(fields[0]):
            raise CaptureFormatError(
                f"data row before the {marker!r} line (missing data marker?): {text!r}",
                lines.path,
                i + 1,
            )
        entries.append((fields[0], fields[1:], i + 1))
        i += 1
    return entries, i


_TIMESTAMP_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d-%H%M%S",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


def iso_timestamp(text: str) -> str | None:
    """``text`` as ISO 8601 (``2023-10-20T15:21:12``) if it is a known date format, else None."""
    t = " ".join(text.split())
    if not t:
        return None
    try:
        return datetime.fromisoformat(t).isoformat()
    except ValueError:
        pass
    for fmt in _TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(t, fmt).isoformat()
        except ValueError:
            continue
    return None
