"""A data block's last row cut short: a transfer or copy that stopped inside the file's last line.

A file cut inside its last row keeps the declared point count and still parses: ``30000000,6``
reads as a level of 6 where the instrument wrote ``65.00``. Two signs give it away, and a
reader refuses the file on either (see README "What rfcheck reads"):

- the last row has no line ending, and its last number shows fewer decimals (or fewer
  exponent digits) than the fixed number every other row of that column shows
  (``65.00`` cut to ``6``, ``65.``, ``65.0``; ``-5.2E+01`` cut to ``-5.2E+0``);
- the last row has no line ending, and its last field is shorter than that column in every
  other row (a whole-number level ``65`` cut to ``6``; levels of varying decimals);
- every other row ends with the separator (R&S ``150000.000000;30.000000;``) and the last
  one does not.

A cut can only shorten the last field present (a row cut before a separator has fewer fields,
which the readers refuse as a mismatched column count), so only that column is compared. A
file that merely lacks a final line ending, its rows consistent, is read: hand-written files,
and files from scripts that join rows with line breaks, end that way. The other rows are
checked by one regular-expression pass (C speed), never a Python loop per row.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass

__all__ = ["Block", "may_be_cut", "cut_last_row"]

#: Rows besides the last one needed before their layout counts as fixed.
_MIN_OTHER_ROWS = 2
_FIELD_RE = re.compile(r"[+-]?\d*(?:[.,](\d*))?(?:[eE][+-]?(\d*))?\Z")


@dataclass(frozen=True)
class Block:
    """A block of data rows in a buffer: where its rows before the last one lie, and the last.

    Parameters
    ----------
    buf : str, bytes or mmap.mmap
        The text holding the block.
    start, stop : int
        ``buf[start:stop]`` holds every row but the last, each with its line ending.
    n_others : int
        Number of those rows.
    first, last : str
        The first and the last row, without line endings.
    """

    buf: str | bytes | mmap.mmap
    start: int
    stop: int
    n_others: int
    first: str
    last: str


def may_be_cut(first_row: str, last_row: str, *, sep: str, terminated: bool) -> bool:
    """Cheap gate before :func:`cut_last_row`'s pass over the other rows.

    True when the last row has no line ending, or the first row ends with ``sep`` and the
    last does not; a whole file read with neither costs no second pass.
    """
    if not terminated:
        return True
    return first_row.rstrip().endswith(sep) and not last_row.rstrip().endswith(sep)


def cut_last_row(block: Block, *, sep: str, terminated: bool) -> str | None:
    """Return why the block's last row looks cut short, or None.

    Parameters
    ----------
    block : Block
    sep : str
        Field separator.
    terminated : bool
        The last row ends with a line ending (LF or CR).

    Returns
    -------
    str or None
        A reason naming the last row's raw text and what every other row shows.
    """
    if block.n_others < _MIN_OTHER_ROWS:
        return None
    raw = block.last.strip()
    first_trailing = _trailing(block.first, sep)
    if first_trailing and not _trailing(block.last, sep):
        ending = rf"{re.escape(sep)}[ \t]*\r?$"
        if _count(block, ending) == block.n_others:
            return (
                f"last data row {raw!r} does not end with {sep!r} as every other row does "
                "(file cut mid-row?)"
            )
    if terminated:
        return None
    return _fewer_decimals(block, sep, first_trailing) or _shorter(block, sep, first_trailing)


def _fewer_decimals(block: Block, sep: str, first_trailing: bool) -> str | None:
    """Say that the last field shows fewer decimals than the column's fixed number, or None."""
    raw = block.last.strip()
    want, got = _last_field(block.first, sep), _last_field(block.last, sep)
    if want is None or got is None or want[0] == 0:
        return None
    (want_dec, want_exp), (got_dec, got_exp) = want, got
    if got_dec < want_dec:
        what = f"{got_dec} decimals"
        expected = f"{want_dec}"
    elif want_exp is not None and (got_exp or 0) < want_exp:
        what = f"{got_exp or 0} exponent digits"
        expected = f"{want_exp}"
    else:
        return None
    mark = r"\." if sep == "," else "[.,]"
    exp = rf"[eE][+-]?\d{{{want_exp}}}" if want_exp is not None else ""
    tail = rf"{re.escape(sep)}?" if first_trailing else ""
    shape = rf"{mark}\d{{{want_dec}}}{exp}[ \t]*{tail}[ \t]*\r?$"
    if _count(block, shape) != block.n_others:
        return None  # the column's layout is not fixed
    column = len(_fields(block.last, sep))
    return (
        f"last data row {raw!r} has no line ending and shows {what} in column {column} where "
        f"every other row shows {expected} (file cut mid-row? if the row is whole, end it "
        "with a line break)"
    )


def _shorter(block: Block, sep: str, first_trailing: bool) -> str | None:
    """Say that the last field is shorter than that column in every other row, or None.

    Whole numbers (``65`` cut to ``6``) and numbers of varying decimals show no decimals to
    compare: the field's length is what a cut shortens.
    """
    got = _fields(block.last, sep)[-1].strip()
    if not got or _last_field(block.last, sep) is None:
        return None
    s = re.escape(sep)
    tail = rf"{s}?" if first_trailing else ""
    # a row whose last field is at most as long as the cut one: then the length proves nothing
    as_short = rf"(?:^|{s})[ \t]*[^{s}\s]{{1,{len(got)}}}[ \t]*{tail}[ \t]*\r?$"
    if _count(block, as_short) != 0:
        return None
    column = len(_fields(block.last, sep))
    return (
        f"last data row {block.last.strip()!r} has no line ending and its column {column} "
        f"({got!r}) is shorter than in every other row (file cut mid-row? if the row is "
        "whole, end it with a line break)"
    )


def _trailing(row: str, sep: str) -> bool:
    text = row.rstrip()
    return text.endswith(sep) and len(text.split(sep)) > 1


def _fields(row: str, sep: str) -> list[str]:
    text = row.rstrip()
    parts = text.split(sep)
    return parts[:-1] if _trailing(row, sep) else parts


def _last_field(row: str, sep: str) -> tuple[int, int | None] | None:
    """Decimals and exponent digits (None: no exponent) of the row's last field; None if text."""
    m = _FIELD_RE.match(_fields(row, sep)[-1].strip())
    if m is None:
        return None
    return len(m.group(1) or ""), None if m.group(2) is None else len(m.group(2))


def _count(block: Block, pattern: str) -> int:
    """Count the rows in ``block.buf[start:stop]`` whose end matches ``pattern``."""
    if isinstance(block.buf, str):
        rows = re.compile(pattern, re.M).finditer(block.buf, block.start, block.stop)
        return sum(1 for _ in rows)
    rx = re.compile(pattern.encode("latin-1"), re.M)
    return sum(1 for _ in rx.finditer(block.buf, block.start, block.stop))
