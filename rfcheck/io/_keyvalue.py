"""Line-oriented exports: a key/value header, then blocks of delimited numbers.

Shared by the readers of R&S ASCII, Keysight X-series / N9343C, Agilent ESA / N9340B and
Siglent SSA exports (the trace sections of the last two: :mod:`._sections`). The file is held once as bytes with an index of its line starts
(8 bytes per line), so headers are read line by line while every numeric block is parsed
by a single pandas C-engine call: no per-row Python loop runs unless a block is broken,
and then only to name the offending line and raw value.
"""

from __future__ import annotations

import csv
import io
import mmap
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import NoReturn, TypeVar

import numpy as np
from numpy.typing import NDArray

from ..errors import CaptureFormatError, UnitError
from ..units import LevelUnit, parse_level_unit
from ._common import FLOAT_RE, FREQ_SCALE, TIME_SCALE, name_key, parse_float

__all__ = [
    "TextLines",
    "read_block",
    "read_rows",
    "block_stop",
    "check_rows_end",
    "check_freq_hz",
    "level_unit_at",
    "scaled_value",
    "parse_timestamp",
    "map_name",
    "split_fields",
    "read_header",
    "HeaderEntry",
]

_T = TypeVar("_T")
_NL = 10
_CR = 13
_CHUNK_BYTES = 1 << 24
_FIRST_SCAN = 1 << 16
_NUMERIC_LEAD = frozenset(b"0123456789+-.")
_NAN_INF = frozenset({"nan", "inf", "infinity"})
_MAX_TAIL = 1000  #: trailing blank lines the fast path accepts

#: Multipliers of the frequency/time units exports print next to header values.
_SCALE: dict[str, float] = {**FREQ_SCALE, **TIME_SCALE}


class TextLines:
    """Random access to the lines of a text file held as bytes, without splitting it.

    Line starts are indexed lazily, a growing chunk at a time, as far as a line is asked
    for: reading a header never scans the data below it, and a data block running to the
    end of the file is parsed by pandas straight from ``path`` without any line index.

    Parameters
    ----------
    raw : bytes or mmap.mmap
        File content (NUL bytes already removed where a format pads with them).
    path : Path
        File named in error messages.
    direct : bool
        True when ``raw`` is the file's bytes unmodified, so a block running to the end of
        the file may be parsed by pandas straight from ``path`` (its fastest route).
    """

    def __init__(self, raw: bytes | mmap.mmap, path: Path, *, direct: bool = True) -> None:
        self.raw = raw
        self.path = path
        self.direct = direct
        self.size = len(raw)
        self._parts: list[NDArray[np.int64]] = [np.zeros(1, dtype=np.int64)]
        self._known = 1  #: line starts indexed so far
        self._starts_cache: NDArray[np.int64] | None = None
        self._scanned = 0  #: bytes ``[0, _scanned)`` indexed
        self._step = _FIRST_SCAN

    @classmethod
    def open(cls, path: Path) -> TextLines:
        """``path`` mapped read-only (only pages read are loaded); a context manager."""
        with path.open("rb") as fh:
            try:
                raw: bytes | mmap.mmap = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # empty file, or one that cannot be mapped
                raw = fh.read()
        return cls(raw, path)

    def __enter__(self) -> TextLines:
        return self

    def __exit__(self, *exc: object) -> None:
        if isinstance(self.raw, mmap.mmap):
            try:
                self.raw.close()
            except BufferError:  # pragma: no cover - a view still exported; GC frees it
                pass

    @property
    def _starts(self) -> NDArray[np.int64]:
        if self._starts_cache is None or self._starts_cache.size != self._known:
            self._starts_cache = np.concatenate(self._parts)
            self._parts = [self._starts_cache]
        return self._starts_cache

    def _index(self, i: int) -> None:
        """Index line starts until the start of line ``i + 1`` is known or the file ends."""
        while self._known <= i + 1 and self._scanned < self.size:
            end = min(self._scanned + self._step, self.size)
            chunk = np.frombuffer(self.raw, dtype=np.uint8, count=end - self._scanned, offset=self._scanned)
            found = np.flatnonzero(chunk == _NL) + (self._scanned + 1)
            del chunk  # hold no view on a mapping
            self._parts.append(found)
            self._known += found.size
            self._scanned = end
            self._step = min(self._step * 4, _CHUNK_BYTES)

    @property
    def n_lines(self) -> int:
        """Number of lines (a final newline opens no extra line); indexes the whole file."""
        self._index(self.size + 1)
        ends_nl = self.size > 0 and self.raw[self.size - 1] == _NL
        return self._known - int(ends_nl)

    def has_line(self, i: int) -> bool:
        """``i < n_lines``, indexing only as far as line ``i``."""
        self._index(i)
        return i < self._known - 1 or (self._scanned >= self.size and i < self.n_lines)

    def span(self, i: int) -> tuple[int, int]:
        """Byte range ``[start, end)`` of line ``i`` (0-based), without its line break."""
        self._index(i)
        starts = self._starts
        start = int(starts[i])
        end = int(starts[i + 1]) - 1 if i + 1 < starts.size else self.size
        if end > start and self.raw[end - 1] == _CR:
            end -= 1
        return start, end

    def text(self, i: int) -> str:
        """Line ``i`` (0-based) decoded as UTF-8, else ISO-8859-1 (R&S writes ``dBµV`` in Latin-1)."""
        start, end = self.span(i)
        chunk = self.raw[start:end]
        try:
            return chunk.decode("utf-8")
        except UnicodeDecodeError:
            return chunk.decode("latin-1")

    def is_blank(self, i: int) -> bool:
        start, end = self.span(i)
        return not self.raw[start:end].strip()

    def lead_bytes(self, first: int, stop: int) -> NDArray[np.uint8]:
        """First byte of each line in ``[first, stop)``; a line break byte for empty lines."""
        self._index(stop)
        buf = np.frombuffer(self.raw, dtype=np.uint8)
        starts = self._starts[first:stop]
        out = np.full(starts.size, _NL, dtype=np.uint8)
        inside = starts < buf.size
        out[inside] = buf[starts[inside]]
        return out

    def tail_blank(self, count: int) -> bool:
        """True when the last ``count`` lines of the file are blank (whitespace only)."""
        end = self.size - int(self.size > 0 and self.raw[self.size - 1] == _NL)
        for _ in range(count):
            nl = self.raw.rfind(b"\n", 0, end)
            if nl < 0 or self.raw[nl + 1 : end].strip():
                return False
            end = nl
        return True

    def last_line_bytes(self) -> int:
        """Length of the last non-blank line with its line break (0 when none is near the end)."""
        tail = self.raw[max(self.size - 4096, 0) : self.size].rstrip()
        cut = tail.rfind(b"\n")
        return len(tail) - cut + 1 if cut >= 0 else 0


def split_fields(text: str, sep: str) -> list[str]:
    """Split a header line into stripped fields, dropping empty trailing ones (``a;b;;`` -> a, b)."""
    fields = [f.strip() for f in text.split(sep)]
    while fields and not fields[-1]:
        fields.pop()
    return fields


def block_stop(lines: TextLines, first: int, n_rows: int | None, declared: str) -> int:
    """End (exclusive line index) of the data block starting at line index ``first``.

    With a declared count the block is exactly ``n_rows`` lines; without one it runs to
    the first line starting with a letter (the next header) or the end of the file,
    trailing blank lines excluded.

    Raises
    ------
    CaptureFormatError
        The file ends before the declared number of rows (truncated file).
    """
    if n_rows is not None:
        stop = first + n_rows
        if stop > 0 and not lines.has_line(stop - 1):
            found = max(lines.n_lines - first, 0)
            raise CaptureFormatError(
                f"{declared} but the file ends after {found} data rows (truncated file?)",
                lines.path,
                lines.n_lines,
            )
        return stop
    lead = lines.lead_bytes(first, lines.n_lines)
    letter = ((lead >= ord("A")) & (lead <= ord("Z"))) | ((lead >= ord("a")) & (lead <= ord("z")))
    stop = lines.n_lines
    for k in np.flatnonzero(letter):  # a 'nan' row is bad data, not the next header
        if lines.text(first + int(k)).split(",")[0].split(";")[0].strip().lower() not in _NAN_INF:
            stop = first + int(k)
            break
    while stop > first and lines.is_blank(stop - 1):
        stop -= 1
    return stop


def check_rows_end(lines: TextLines, stop: int, declared: str) -> int:
    """Index of the first non-blank line at or after ``stop``; error if it is another data row.

    Raises
    ------
    CaptureFormatError
        More data rows follow than the header declared.
    """
    i = stop
    while lines.has_line(i) and lines.is_blank(i):
        i += 1
    if lines.has_line(i) and lines.raw[lines.span(i)[0]] in _NUMERIC_LEAD:
        raise CaptureFormatError(
            f"more data rows than declared ({declared}): {lines.text(i)!r}", lines.path, i + 1
        )
    return i


def read_block(
    lines: TextLines,
    first: int,
    stop: int,
    *,
    sep: str,
    decimal: str = ".",
    n_values: int | None = None,
    what: str = "data",
    declared: str | None = None,
) -> NDArray[np.float64]:
    """Parse lines ``[first, stop)`` of delimited numbers in one pandas C-engine call.

    Parameters
    ----------
    lines : TextLines
    first, stop : int
        0-based line range of the block.
    sep : str
        Field separator; one trailing separator per row is allowed (``150000;8.36;``).
    decimal : str
        Decimal mark, ``.`` or ``,`` (R&S decimal-comma exports).
    n_values : int, optional
        Required number of values per row.
    what : str
        Name of the block for messages.
    declared : str, optional
        Where the row count was declared, for truncation messages.

    Returns
    -------
    ndarray
        Shape ``(rows, values)``, Fortran-ordered so each column is contiguous.

    Raises
    ------
    CaptureFormatError
        Empty block, mismatched column count, blank line, non-numeric or NaN field; the
        message names the line and the raw value.
    """
    path = lines.path
    if stop <= first:
        raise CaptureFormatError(f"{what}: no data rows", path, first + 1)
    head = lines.text(first).split(sep)
    trailing = len(head) > 1 and not head[-1].strip()
    width = len(head) - int(trailing)
    if n_values is not None and width != n_values:
        raise CaptureFormatError(
            f"{what}: {width} values in the first row, expected {n_values} "
            f"(mismatched column count): {lines.text(first)!r}",
            path,
            first + 1,
        )
    to_end = _blank_to_end(lines, stop)
    source: object
    if lines.direct and to_end and decimal == ".":
        source, skip = str(path), first  # pandas reads a path fastest
    else:
        start, _ = lines.span(first)
        _, end = lines.span(stop - 1)
        source, skip = io.BytesIO(lines.raw[start:end]), 0
    import pandas as pd  # deferred: ``import rfcheck`` and ``rfcheck --help`` stay light

    try:
        frame = pd.read_csv(
            source,  # type: ignore[call-overload]
            skiprows=skip,
            **_csv_options(sep, decimal, width, trailing),
        )
    except (ValueError, pd.errors.ParserError):
        _diagnose(lines, first, stop, sep, decimal, width, trailing, what, declared)
    arr = frame.to_numpy(dtype=np.float64)[: stop - first]
    values = arr[:, :width]
    if (
        arr.shape[0] != stop - first
        or not np.isfinite(values).all()  # NaN, or an 'inf' pandas accepted
        or (trailing and not np.isnan(arr[:, width]).all())
    ):
        _diagnose(lines, first, stop, sep, decimal, width, trailing, what, declared)
    return values


def _blank_to_end(lines: TextLines, i: int) -> bool:
    """True when no line from index ``i`` on holds anything but whitespace."""
    while lines.has_line(i):
        if not lines.is_blank(i):
            return False
        i += 1
    return True


def read_rows(
    lines: TextLines,
    first: int,
    n_rows: int | None,
    declared: str,
    *,
    sep: str,
    decimal: str = ".",
    n_values: int | None = None,
    what: str = "data",
) -> tuple[NDArray[np.float64], int | None]:
    """Data block from line ``first``: :func:`block_stop`, :func:`read_block`, then (with
    a declared count ``n_rows``) :func:`check_rows_end`.

    A block running to the end of the file (trailing blank lines aside) is parsed by one
    pandas call straight from the file, with no line index; anything else, or any doubt,
    takes the line-indexed route, which also names a bad line and value.

    Returns
    -------
    values, next
        The block as :func:`read_block` returns it, and the line index to read on from
        (None: the block ran to the end of the file).
    """
    fast = _read_to_end(lines, first, n_rows, sep=sep, decimal=decimal, n_values=n_values)
    if fast is not None:
        return fast, None
    stop = block_stop(lines, first, n_rows, declared)
    values = read_block(
        lines, first, stop, sep=sep, decimal=decimal, n_values=n_values, what=what,
        declared=declared if n_rows else None,
    )
    return values, check_rows_end(lines, stop, declared) if n_rows else stop


def _read_to_end(
    lines: TextLines,
    first: int,
    n_rows: int | None,
    *,
    sep: str,
    decimal: str,
    n_values: int | None,
) -> NDArray[np.float64] | None:
    """Happy path of :func:`read_rows`; None unless the block runs cleanly to the end of file."""
    if not lines.direct or decimal != "." or (n_rows or 1) <= 0 or not lines.has_line(first):
        return None
    start, end = lines.span(first)
    if n_rows is not None:  # skip the attempt when the rest of the file is clearly longer
        row_bytes = (end - start + 2 + lines.last_line_bytes()) / 2
        if lines.size - start > 1.25 * row_bytes * n_rows + 4096:
            return None
    head = lines.text(first).split(sep)
    trailing = len(head) > 1 and not head[-1].strip()
    width = len(head) - int(trailing)
    if n_values is not None and width != n_values:
        return None
    import pandas as pd  # deferred: ``import rfcheck`` and ``rfcheck --help`` stay light

    try:
        expect = np.array([float(f) for f in head[:width]], dtype=np.float64)
        frame = pd.read_csv(  # type: ignore[call-overload]
            str(lines.path), skiprows=first, **_csv_options(sep, decimal, width, trailing)
        )
    except (ValueError, pd.errors.ParserError):
        return None
    arr = frame.to_numpy(dtype=np.float64)
    rows = arr.shape[0]
    n = rows if n_rows is None else n_rows
    if n_rows is None:
        while n and rows - n <= _MAX_TAIL and np.isnan(arr[n - 1]).all():
            n -= 1
    extra = rows - n
    if n <= 0 or extra < 0 or extra > _MAX_TAIL:
        return None
    if extra and not (np.isnan(arr[n:]).all() and lines.tail_blank(extra)):
        return None
    values = arr[:n, :width]
    if (
        not np.allclose(values[0], expect, rtol=1e-9, atol=0.0)  # pandas began at line first
        or not np.isfinite(values).all()  # NaN, or an 'inf' pandas accepted
        or (trailing and not np.isnan(arr[:n, width]).all())
    ):
        return None
    return values


def _csv_options(sep: str, decimal: str, width: int, trailing: bool) -> dict[str, object]:
    """``pandas.read_csv`` options of a numeric block (C engine, float64, no quoting)."""
    return {
        "sep": sep,
        "decimal": decimal,
        "header": None,
        "names": list(range(width + int(trailing))),
        "dtype": np.float64,
        "engine": "c",
        "skip_blank_lines": False,
        "quoting": csv.QUOTE_NONE,
        "encoding": "utf-8",
        "encoding_errors": "replace",
    }


def _diagnose(
    lines: TextLines,
    first: int,
    stop: int,
    sep: str,
    decimal: str,
    width: int,
    trailing: bool,
    what: str,
    declared: str | None,
) -> NoReturn:
    """Error path only: walk the block to name the first bad line and raw value."""
    path = lines.path
    for i in range(first, stop):
        text = lines.text(i)
        if not text.strip():
            raise CaptureFormatError(f"{what}: blank line inside the data", path, i + 1)
        lead = text.split(sep)[0].strip().lstrip("+-").lower()
        if lead[:1].isalpha() and lead not in _NAN_INF and declared:
            raise CaptureFormatError(
                f"{what}: {declared} but row {i - first + 1} is {text.strip()!r} "
                "(file truncated or wrong point count?)",
                path,
                i + 1,
            )
        fields = text.split(sep)
        if trailing and len(fields) > 1 and not fields[-1].strip():
            fields = fields[:-1]
        if len(fields) != width:
            raise CaptureFormatError(
                f"{what}: {len(fields)} values, expected {width} (mismatched column count): "
                f"{text.strip()!r}",
                path,
                i + 1,
            )
        for k, field in enumerate(fields):
            raw = field.strip()
            num = raw.replace(",", ".") if decimal == "," else raw
            if not FLOAT_RE.match(num):
                raise CaptureFormatError(
                    f"{what}: not a number in column {k + 1}: {raw!r}", path, i + 1
                )
    raise CaptureFormatError(f"{what}: unparsable data block", path, first + 1)  # pragma: no cover


def check_freq_hz(lines: TextLines, first: int, freq_hz: NDArray[np.float64], what: str) -> None:
    """Validate a frequency column read from lines ``first...``: >= 0 and strictly increasing.

    Parameters
    ----------
    freq_hz : ndarray
        Frequencies. [Hz]

    Raises
    ------
    CaptureFormatError
        Naming the line and the raw row of the first offending point.
    """
    if freq_hz.size and freq_hz[0] < 0:
        raise CaptureFormatError(
            f"{what}: negative frequency: {lines.text(first).strip()!r}", lines.path, first + 1
        )
    if freq_hz.size > 1:
        if not (freq_hz[1:] > freq_hz[:-1]).all():  # no float temporary on the happy path
            k = int(np.argmax(np.diff(freq_hz) <= 0)) + 1
            raise CaptureFormatError(
                f"{what}: frequency not strictly increasing "
                f"({float(freq_hz[k - 1]):g} Hz then {float(freq_hz[k]):g} Hz): "
                f"{lines.text(first + k).strip()!r}",
                lines.path,
                first + k + 1,
            )


def level_unit_at(text: str, path: Path, line: int) -> LevelUnit:
    """Parse a level unit, re-raising an unknown one with the file and line."""
    try:
        return parse_level_unit(text)
    except UnitError as err:
        raise UnitError(err.message, path, line) from None


def scaled_value(value: str, unit: str, path: Path, line: int, field: str) -> float:
    """Header number times its printed unit (``9000;Hz``, ``6.4e-02,Sec``, ``1 ms``). [Hz] or [s]

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
    """Look ``text`` up in ``table`` by its letters and digits only (``CLR/WRITE`` -> ``clrwrite``)."""
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
