"""Blocks of delimited numbers inside a line-indexed text export (:class:`._lines.TextLines`).

Where a block ends (a declared row count or the next header), its rows, its frequency column
and every line after it accounted for. Every numeric block is parsed by a single pandas
C-engine call (straight from the file when it runs to the end); no per-row Python loop runs
unless a block is broken, and then only to name the offending line and raw value
(:func:`_diagnose`). A whole table without a line index (a file from a given line on, or a
block of text) is :func:`._table.read_table`'s.
"""

from __future__ import annotations

import csv
import io
from typing import NoReturn

import numpy as np
from numpy.typing import NDArray

from ..errors import CaptureFormatError
from ._common import FLOAT_RE
from ._last_row import Block, cut_last_row, may_be_cut
from ._lines import TextLines

__all__ = [
    "read_block",
    "read_rows",
    "block_stop",
    "check_rows_end",
    "check_freq_hz",
    "unused_after",
    "refuse_cut_last_row",
    "empty_tail",
]

_NUMERIC_LEAD = frozenset(b"0123456789+-.")
_NAN_INF = frozenset({"nan", "inf", "infinity"})
_MAX_TAIL = 1000  #: trailing blank lines the fast path accepts
_NL, _CR = 10, 13


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
        Field separator; empty fields may end a row, as many as in the block's first row
        (a trailing separator ``150000;8.36;``, or a spreadsheet's padding ``150000;8.36;;;``).
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
    import pandas as pd  # deferred: importing the readers stays light

    path = lines.path
    if stop <= first:
        raise CaptureFormatError(f"{what}: no data rows", path, first + 1)
    head = lines.text(first).split(sep)
    trailing = empty_tail(head)
    width = len(head) - trailing
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
        or (trailing and not np.isnan(arr[:, width:]).all())
    ):
        _diagnose(lines, first, stop, sep, decimal, width, trailing, what, declared)
    levels: NDArray[np.float64] = values
    return levels


def _blank_to_end(lines: TextLines, i: int) -> bool:
    """Return True when no line from index ``i`` on holds anything but whitespace."""
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
    """Return the data block from line ``first`` and the line index to read on from.

    :func:`block_stop`, :func:`read_block`, then (with a declared count ``n_rows``)
    :func:`check_rows_end`.

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
        refuse_cut_last_row(lines, first, first + fast.shape[0], sep, what)
        return fast, None
    stop = block_stop(lines, first, n_rows, declared)
    values = read_block(
        lines,
        first,
        stop,
        sep=sep,
        decimal=decimal,
        n_values=n_values,
        what=what,
        declared=declared if n_rows else None,
    )
    after = check_rows_end(lines, stop, declared) if n_rows else stop
    if _blank_to_end(lines, after):
        refuse_cut_last_row(lines, first, stop, sep, what)
    return values, after


def refuse_cut_last_row(lines: TextLines, first: int, stop: int, sep: str, what: str) -> None:
    """Refuse a block ending the file whose last row looks cut short (:mod:`._last_row`).

    Raises
    ------
    CaptureFormatError
        Naming the last row's line and raw text.
    """
    last = stop - 1
    if last <= first:
        return
    terminated = lines.has_line(stop) or lines.raw[lines.size - 1] in (_NL, _CR)
    if not may_be_cut(lines.text(first), lines.text(last), sep=sep, terminated=terminated):
        return
    block = Block(
        lines.raw,
        lines.span(first)[0],
        lines.span(last)[0],
        last - first,
        lines.text(first),
        lines.text(last),
    )
    reason = cut_last_row(block, sep=sep, terminated=terminated)
    if reason:
        raise CaptureFormatError(f"{what}: {reason}", lines.path, stop)


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
    trailing = empty_tail(head)
    width = len(head) - trailing
    if n_values is not None and width != n_values:
        return None
    import pandas as pd  # deferred: importing the readers stays light

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
        or (trailing and not np.isnan(arr[:n, width:]).all())
    ):
        return None
    levels: NDArray[np.float64] = values
    return levels


def empty_tail(fields: list[str]) -> int:
    """Count the empty fields ending a row (a trailing separator, or a spreadsheet's padding).

    ``150000;8.36;`` has one, ``150000;8.36;;;`` three; the first field is never counted.
    """
    n = 0
    while n < len(fields) - 1 and not fields[-1 - n].strip():
        n += 1
    return n


def _csv_options(sep: str, decimal: str, width: int, trailing: int) -> dict[str, object]:
    """``pandas.read_csv`` options of a numeric block (C engine, float64, no quoting)."""
    return {
        "sep": sep,
        "decimal": decimal,
        "header": None,
        "names": list(range(width + trailing)),
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
    trailing: int,
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
        if trailing:
            fields = fields[: len(fields) - empty_tail(fields)]
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


def unused_after(lines: TextLines, i: int, sep: str, what: str) -> str | None:
    """Account for every line from index ``i`` to the end of the file after a data block.

    A reader must never drop data silently: a numeric row there is an error (it would be
    lost, e.g. rows after a ``Marker 1,...`` line inside the data), any other non-blank
    line is returned as a warning naming the lines. A line of empty fields (``,,,``: a
    spreadsheet's padding) holds nothing and is passed over as a blank line is.

    Parameters
    ----------
    lines : TextLines
    i : int
        0-based index of the first line after the block (blank lines allowed).
    sep : str
        Field separator, to isolate a row's first field.
    what : str
        Name of the data block for messages.

    Returns
    -------
    str or None
        ``"lines A-B after the <what> rows are not used (first: '...')"``, or None when only
        blank lines or lines of empty fields follow.

    Raises
    ------
    CaptureFormatError
        A numeric data row follows the block, naming its line and text.
    """
    first: int | None = None
    last = i
    while lines.has_line(i):
        if not lines.is_blank(i) and lines.text(i).replace(sep, "").strip():
            text = lines.text(i).strip()
            lead = text.split(sep)[0].strip()
            if FLOAT_RE.match(lead) or lead.lower().lstrip("+-") in _NAN_INF:
                after = (
                    f" (after {lines.text(first).strip()!r} at line {first + 1})"
                    if first is not None
                    else ""
                )
                raise CaptureFormatError(
                    f"{what}: data row after the end of the data block{after}: {text!r}; "
                    "the reader would drop it",
                    lines.path,
                    i + 1,
                )
            if first is None:
                first = i
            last = i
        i += 1
    if first is None:
        return None
    span, verb = (
        (f"line {first + 1}", "is") if last == first else (f"lines {first + 1}-{last + 1}", "are")
    )
    return (
        f"{span} after the {what} rows {verb} not used (first: {lines.text(first).strip()[:80]!r})"
    )
