"""A whole table of delimited numbers: a file from a given line on, or a block of text.

:func:`read_table` parses it in one pandas C-engine call, refusing a first row wider than
:data:`MAX_COLUMNS` before pandas builds the frame; no per-row Python loop runs unless the
table is broken, and then only to name the offending line and raw value
(:func:`_diagnose_table`). Blocks inside a line-indexed export are :mod:`._blocks`'.
"""

from __future__ import annotations

import csv
import io
import math
import mmap
import re
from pathlib import Path
from typing import NoReturn

import numpy as np
from numpy.typing import NDArray

from ..errors import CaptureFormatError
from ._blocks import empty_tail
from ._common import FLOAT_RE
from ._last_row import Block, cut_last_row, may_be_cut

__all__ = ["MAX_COLUMNS", "read_table"]

_PD_FIELDS_RE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
#: Most columns a numeric block may have (a frequency and up to six traces is usual): a
#: wider first row (a 60 MB line of ``1,1,1,...``) is refused before pandas builds a
#: frame with millions of columns.
MAX_COLUMNS = 64
#: Longest first data row read to count its columns [B].
_MAX_FIRST_ROW_BYTES = 64 * 1024


def read_table(
    source: Path | str,
    path: Path,
    *,
    first_line: int = 1,
    skiprows: int = 0,
    delimiter: str = ",",
    ncols: int | None = None,
    what: str = "data",
    last_row_ended: bool = True,
) -> NDArray[np.float64]:
    """Parse a block of delimited numbers into a 2-D float array in one pandas call.

    Parameters
    ----------
    source : Path or str
        The file itself (read from line ``skiprows + 1`` on) or the data block as text.
    path : Path
        File named in errors.
    first_line : int
        1-based line number in ``path`` of the first line of ``source`` (text sources).
    skiprows : int
        Lines of ``source`` to skip before the data (file sources).
    delimiter : str
        Field separator. Fields may be padded with spaces; empty trailing fields are allowed.
    ncols : int, optional
        Required number of columns.
    what : str
        Name of the block for messages.
    last_row_ended : bool
        Text sources: False when the block's last line ended the file with no line ending
        (file sources are looked at directly).

    Returns
    -------
    ndarray
        Shape ``(rows, columns)``; trailing blank lines are dropped.

    Raises
    ------
    CaptureFormatError
        A row with a different field count, a non-numeric or empty field, a blank line inside
        the block, a last row cut short (:mod:`._last_row`), or no rows at all; the message
        names the line and the raw value.
    """
    import pandas as pd  # deferred: importing the readers stays light

    _check_width(source, path, skiprows, first_line, delimiter, what, ncols)

    def _src() -> object:
        return io.StringIO(source) if isinstance(source, str) else source

    offset = first_line - 1 if isinstance(source, str) else 0
    kw: dict[str, object] = {
        "sep": delimiter,
        "header": None,
        "skiprows": skiprows,
        "skip_blank_lines": False,
        "skipinitialspace": True,
        "engine": "c",
        "comment": None,
    }
    if not isinstance(source, str):
        kw["encoding"] = "latin-1"  # numbers only; never a UnicodeDecodeError
    try:
        frame = pd.read_csv(_src(), dtype=np.float64, **kw)  # type: ignore[call-overload]
    except pd.errors.EmptyDataError:
        raise CaptureFormatError(f"{what}: no data rows (file truncated?)", path) from None
    except pd.errors.ParserError as err:
        m = _PD_FIELDS_RE.search(str(err))
        if m:
            exp, line, saw = (int(g) for g in m.groups())
            raise CaptureFormatError(
                f"{what}: row has {saw} fields, expected {exp} (mismatched column count)",
                path,
                line + offset,
            ) from None
        raise CaptureFormatError(f"{what}: unparsable rows ({err})", path) from None
    except (ValueError, OverflowError):
        frame = None
    width_error: CaptureFormatError | None = None
    if frame is not None:
        arr = _trim_table(frame.to_numpy(dtype=np.float64), path, what)
        if np.isfinite(arr).all():  # else (NaN, 'inf'): the error path names the value
            if ncols is None or arr.shape[1] == ncols:
                last_line = (skiprows if not isinstance(source, str) else offset) + arr.shape[0]
                reason = _cut_last_row(source, skiprows, arr.shape[0], delimiter, last_row_ended)
                if reason:
                    raise CaptureFormatError(f"{what}: {reason}", path, last_line)
                return arr
            # too few columns, or a column of 'nan' text that read as an empty one: the
            # text names a 'nan' cell; the column count is the error only without one
            width_error = CaptureFormatError(
                f"{what}: {arr.shape[1]} columns, expected {ncols}", path, skiprows + offset + 1
            )
    # Error path only: re-read as text to name the offending line and raw value.
    raw = pd.read_csv(_src(), dtype=str, keep_default_na=False, **kw)  # type: ignore[call-overload]
    cells = raw.to_numpy(dtype=object)
    _diagnose_table(cells, path, skiprows + offset, what, width_error, delimiter)


def _cut_last_row(
    source: Path | str, skiprows: int, n_rows: int, delimiter: str, last_row_ended: bool
) -> str | None:
    """:func:`._last_row.cut_last_row` of the table's ``n_rows`` data rows, or None."""
    if n_rows < 2:
        return None
    if isinstance(source, str):
        return _cut_in(source, 0, n_rows, delimiter, last_row_ended)
    with open(source, "rb") as f:
        try:
            buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # pragma: no cover - an empty or unmappable file
            return None
        with buf:
            start = 0
            for _ in range(skiprows):
                start = buf.find(b"\n", start) + 1
                if start == 0:  # pragma: no cover - read_table read rows after them
                    return None
            return _cut_in(buf, start, n_rows, delimiter, last_row_ended)


def _cut_in(
    buf: str | mmap.mmap, start: int, n_rows: int, delimiter: str, last_row_ended: bool
) -> str | None:
    """:func:`_cut_last_row` of the rows from offset ``start`` to the last non-blank line."""
    nl: str | bytes = "\n" if isinstance(buf, str) else b"\n"
    end = len(buf)
    while end > start and buf[end - 1 : end].isspace():
        end -= 1
    ended = last_row_ended if isinstance(buf, str) else False
    ended = ended or end < len(buf)  # a line ending (or blank lines) follows the last row
    last_start = buf.rfind(nl, start, end) + 1  # type: ignore[arg-type]
    first_end = buf.find(nl, start, end)  # type: ignore[arg-type]
    if last_start <= start or first_end < 0:
        return None

    def text(a: int, b: int) -> str:
        chunk = buf[a:b]
        return chunk if isinstance(chunk, str) else chunk.decode("latin-1")

    first, last = text(start, first_end).rstrip("\r"), text(last_start, end)
    if not may_be_cut(first, last, sep=delimiter, terminated=ended):
        return None
    block = Block(buf, start, last_start, n_rows - 1, first, last)
    return cut_last_row(block, sep=delimiter, terminated=ended)


def _first_row(source: Path | str, skiprows: int) -> tuple[str, bool]:
    """Return the first data row of ``source`` (at most the row-size cap) and if it is whole."""
    if isinstance(source, str):
        line = source[: _MAX_FIRST_ROW_BYTES + 1].split("\n", 1)[0]
        return line, len(line) <= _MAX_FIRST_ROW_BYTES
    with open(source, "rb") as f:
        for _ in range(skiprows):
            while True:  # skip one line, in bounded reads
                part = f.readline(_MAX_FIRST_ROW_BYTES)
                if not part or part.endswith(b"\n"):
                    break
        raw = f.readline(_MAX_FIRST_ROW_BYTES + 1)
    whole = len(raw) <= _MAX_FIRST_ROW_BYTES or raw.endswith(b"\n")
    return raw.decode("latin-1"), whole


def _check_width(
    source: Path | str,
    path: Path,
    skiprows: int,
    first_line: int,
    delimiter: str,
    what: str,
    ncols: int | None = None,
) -> None:
    """Refuse a block whose first row has more than :data:`MAX_COLUMNS` fields, or ``ncols``.

    The first row sets the width pandas reads every row at, so an extra field there would
    be blamed on the next row (a "missing value"); it is named on its own line here.
    """
    row, whole = _first_row(source, skiprows)
    line = (skiprows + 1) if not isinstance(source, str) else first_line
    parts = _fields(row.rstrip("\r\n"), delimiter)
    fields = len(parts)
    # empty fields at the end of the row: a trailing delimiter, or a spreadsheet's padding
    stated = fields - empty_tail(parts)
    if whole and ncols is not None and ncols < stated <= MAX_COLUMNS:
        raise CaptureFormatError(
            f"{what}: row has {stated} fields, expected {ncols} (mismatched column count)",
            path,
            line,
        )
    if not whole or fields > MAX_COLUMNS + 1:  # + 1: a trailing delimiter
        size = f"is longer than {_MAX_FIRST_ROW_BYTES // 1024} KiB" if not whole else ""
        raise CaptureFormatError(
            f"{what}: row {size or f'has {fields} fields'}, more than the {MAX_COLUMNS} "
            "columns a table of traces may have",
            path,
            line,
        )


def _fields(row: str, delimiter: str) -> list[str]:
    """Split a row as pandas reads it: a double-quoted field may hold the delimiter."""
    if '"' not in row:
        return row.split(delimiter)
    return next(csv.reader([row], delimiter=delimiter, skipinitialspace=True), [""])


def _trim_table(arr: NDArray[np.float64], path: Path, what: str) -> NDArray[np.float64]:
    """Drop the empty column of a trailing delimiter and trailing blank lines."""
    while arr.shape[1] > 1 and np.isnan(arr[:, -1]).all():
        arr = arr[:, :-1]
    blank: NDArray[np.bool_] = np.asarray(np.isnan(arr).all(axis=1))
    n = arr.shape[0]
    while n and blank[n - 1]:
        n -= 1
    if n == 0:
        raise CaptureFormatError(f"{what}: no data rows (file truncated?)", path)
    return arr[:n]


def _diagnose_table(
    cells: NDArray[np.object_],
    path: Path,
    line0: int,
    what: str,
    otherwise: CaptureFormatError | None = None,
    delimiter: str = ",",
) -> NoReturn:
    """Name the first blank, missing or non-numeric cell of a table read as text.

    A cell holding the ``delimiter`` was quoted in the file (``"150,000"``): a number with
    a thousands separator, or a decimal comma, is named as such and not guessed at
    (:func:`_not_a_number`). Raises ``otherwise`` when every cell is a number (the caller's
    own finding).
    """
    width = cells.shape[1]
    while width > 1 and all(str(c).strip() == "" for c in cells[:, width - 1]):
        width -= 1
    last = cells.shape[0]
    while last and all(str(c).strip() == "" for c in cells[last - 1, :width]):
        last -= 1
    for i in range(last):
        for j in range(width):
            text = str(cells[i, j]).strip()
            line = line0 + i + 1
            if FLOAT_RE.match(text):
                if math.isinf(float(text)):  # FLOAT_RE has no 'inf': a digit string too large
                    raise CaptureFormatError(
                        f"{what}: number out of range in column {j + 1}: {text!r} (beyond "
                        "the largest double, about 1.8e308)",
                        path,
                        line,
                    )
                continue
            if all(str(c).strip() == "" for c in cells[i, :width]):
                raise CaptureFormatError(f"{what}: blank line inside the data", path, line)
            if text == "":
                raise CaptureFormatError(
                    f"{what}: missing value in column {j + 1} (mismatched column count?)",
                    path,
                    line,
                )
            raise CaptureFormatError(_not_a_number(what, j + 1, text, delimiter), path, line)
    if otherwise is not None:
        raise otherwise
    raise CaptureFormatError(f"{what}: unparsable numbers", path)  # pragma: no cover


#: A number written with a decimal comma (``30,000``, ``-52,45``): a European export.
_COMMA_RE = re.compile(r"[-+]?\d+,\d+\Z")
#: A number written with thousands separators (``150,000``, ``1,500,000.5``; ``1.500.000``).
_THOUSANDS_RE = re.compile(r"[-+]?[1-9]\d{0,2}(?:(?:,\d{3})+(?:\.\d+)?|(?:\.\d{3}){2,}(?:,\d+)?)\Z")


def _not_a_number(what: str, column: int, text: str, delimiter: str) -> str:
    """Return the message naming a cell that is not a number, and what it looks like.

    A number with thousands separators (``150,000``) is ambiguous: a thousands separator
    (150000) or a decimal comma (150.000). It is named, never read: the file is to be saved
    without separators and with ``.`` as the decimal mark.
    """
    quoted = " (quoted in the file)" if delimiter in text else ""
    if _THOUSANDS_RE.match(text):
        # both marks ('1,052.1'), or one mark twice ('1.500.000'): each mark's role is plain;
        # a single mark ('150,000') could as well be a decimal comma
        plain = ("," in text and "." in text) or text.count(",") > 1 or text.count(".") > 1
        doubt = "" if plain else ", which could also be a decimal comma, so it is"
        return (
            f"{what}: a number with a thousands separator in column {column}: {text!r}"
            f"{quoted}{doubt} not read; save the numbers without separators and with '.' as "
            "the decimal mark"
        )
    if _COMMA_RE.match(text):
        return (
            f"{what}: not a number in column {column}: {text!r}{quoted} (a decimal comma? "
            "the decimal mark must be '.')"
        )
    return f"{what}: not a number in column {column}: {text!r}{quoted}"
