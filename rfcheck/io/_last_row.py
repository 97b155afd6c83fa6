"""A data block's last row cut short: a transfer or copy that stopped inside the file's last line.

A file cut inside its last row keeps the declared point count and still parses: ``30000000,6``
reads as a level of 6 where the instrument wrote ``65.00``. Two signs give it away, and a
reader refuses the file on either (see README "Malformed files"):

- the last row has no line ending, and one of its numbers shows fewer decimals (or fewer
  exponent digits) than the fixed number every other row of that column shows
  (``65.00`` cut to ``6``, ``65.``, ``65.0``; ``-5.2E+01`` cut to ``-5.2E+0``);
- every other row ends with the separator (R&S ``150000.000000;30.000000;``) and the last
  one does not.

A file that merely lacks a final line ending, its rows consistent, is read: hand-written
files, and files from scripts that join rows with line breaks, end that way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["RowShape", "may_be_cut", "cut_last_row"]

#: Rows besides the last one needed before their layout counts as fixed.
_MIN_OTHER_ROWS = 2
_NUMBER_RE = re.compile(r"[+-]?(\d*)(?:[.,](\d*))?(?:[eE][+-]?(\d*))?\Z")


@dataclass(frozen=True)
class RowShape:
    """How a row writes its numbers: decimals and exponent digits per field, trailing separator.

    ``None`` in ``decimals``/``exp_digits`` marks a field that is no plain number (text, an
    empty cell) or, for ``exp_digits``, has no exponent.
    """

    decimals: tuple[int | None, ...]
    exp_digits: tuple[int | None, ...]
    trailing_sep: bool


def row_shape(row: str, sep: str) -> RowShape:
    """Return the :class:`RowShape` of one data row (``row`` without its line ending)."""
    text = row.rstrip()
    trailing = text.endswith(sep) and len(text.split(sep)) > 1
    fields = text.split(sep)[:-1] if trailing else text.split(sep)
    decimals: list[int | None] = []
    exps: list[int | None] = []
    for field in fields:
        m = _NUMBER_RE.match(field.strip())
        if m is None or not (m.group(1) or m.group(2)):
            decimals.append(None)
            exps.append(None)
            continue
        decimals.append(len(m.group(2) or ""))
        exps.append(None if m.group(3) is None else len(m.group(3)))
    return RowShape(tuple(decimals), tuple(exps), trailing)


def may_be_cut(first_row: str, last_row: str, *, sep: str, terminated: bool) -> bool:
    """Cheap gate before :func:`cut_last_row`'s pass over every row.

    True when the last row has no line ending, or the first row ends with ``sep`` and the
    last does not; a whole file read with neither costs no second pass.
    """
    if not terminated:
        return True
    return first_row.rstrip().endswith(sep) and not last_row.rstrip().endswith(sep)


def cut_last_row(rows: Iterable[str], *, sep: str, terminated: bool) -> str | None:
    """Return why the last of ``rows`` looks cut short, or None.

    Parameters
    ----------
    rows : iterable of str
        The block's data rows in file order, without line endings; read once, so a file can
        be streamed.
    sep : str
        Field separator.
    terminated : bool
        The last row ends with a line ending (LF or CR).

    Returns
    -------
    str or None
        A reason naming the last row's raw text and what every other row shows.
    """
    fixed: RowShape | None = None
    decimals: list[int | None] = []
    exps: list[int | None] = []
    all_trailing = True
    others = 0
    last: str | None = None
    for row in rows:
        if last is not None:
            shape = row_shape(last, sep)
            if fixed is None:
                fixed = shape
                decimals, exps = list(shape.decimals), list(shape.exp_digits)
            else:
                _keep_fixed(decimals, shape.decimals)
                _keep_fixed(exps, shape.exp_digits)
            all_trailing = all_trailing and shape.trailing_sep
            others += 1
        last = row
    if last is None or others < _MIN_OTHER_ROWS:
        return None
    shape = row_shape(last, sep)
    raw = last.strip()
    if all_trailing and not shape.trailing_sep:
        return (
            f"last data row {raw!r} does not end with {sep!r} as every other row does "
            "(file cut mid-row?)"
        )
    if terminated:
        return None
    for j, (want, got) in enumerate(zip(decimals, shape.decimals, strict=False)):
        if want is not None and got is not None and got < want:
            return _reason(raw, j, f"{got} decimals", f"{want}")
    for j, (want, got) in enumerate(zip(exps, shape.exp_digits, strict=False)):
        if want is not None and shape.decimals[j] is not None and (got or 0) < want:
            return _reason(raw, j, f"{got or 0} exponent digits", f"{want}")
    return None


def _keep_fixed(fixed: list[int | None], seen: tuple[int | None, ...]) -> None:
    """Forget a column's count wherever ``seen`` differs from it (no longer fixed)."""
    for j, want in enumerate(fixed):
        if want is not None and (j >= len(seen) or seen[j] != want):
            fixed[j] = None


def _reason(raw: str, column: int, got: str, want: str) -> str:
    return (
        f"last data row {raw!r} has no line ending and shows {got} in column {column + 1} "
        f"where every other row shows {want} (file cut mid-row? if the row is whole, end it "
        "with a line break)"
    )
