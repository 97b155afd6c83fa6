"""CSV text: the one CSV writer and the one cell neutraliser.

Every CSV rfcheck writes goes through :func:`csv_text` and :func:`csv_cell`.

A spreadsheet runs a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV/formula injection, OWASP). Capture files, setup files and file names
are untrusted, so such text cells get a leading apostrophe; numbers are written as numbers and
never altered (``-3.25`` stays a negative number).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..textsafe import printable

__all__ = ["FORMULA_PREFIXES", "csv_cell", "csv_number", "csv_text"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str | float | int:
    """One CSV cell: numbers as numbers, None as empty, text neutralised.

    Parameters
    ----------
    value : object
        The cell value; anything but None, bool and numbers is written as ``str(value)``.

    Returns
    -------
    str or float or int
        ``""`` for None, ``"true"``/``"false"`` for a bool, a number unchanged, else the
        text, with ``'`` in front when it starts with one of :data:`FORMULA_PREFIXES`, and
        every control and bidi character escaped (:func:`rfcheck.textsafe.printable`).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    text = str(value)
    return printable("'" + text if text.startswith(FORMULA_PREFIXES) else text)


#: A number as the report tables print it: optional ``≤ ``/``≥ `` bound prefix, signed decimal.
_PRINTED_NUMBER = re.compile(r"(?:[\u2264\u2265] )?([+-]?\d+(?:\.\d+)?)")


def csv_number(text: str) -> float | str:
    """Return a number printed for a table (``+2.71``, ``≥ -3.23``) as a CSV number.

    For a column that holds numbers: the ``+`` sign and a ``≤``/``≥`` bound prefix are
    dropped (the table's bound column says what the number is), so a spreadsheet reads a
    number, not text (a ``+2.71`` text cell would otherwise be neutralised to ``'+2.71``).
    Anything else (an empty cell, a dash, text with a unit) is returned unchanged, for
    :func:`csv_cell` to neutralise.
    """
    m = _PRINTED_NUMBER.fullmatch(text.strip())
    if m is None:
        return text
    value = float(m.group(1))
    return value if math.isfinite(value) else text


def csv_text(columns: Sequence[str], records: Sequence[Mapping[str, Any]]) -> str:
    """Return a CSV document: the header, then one line per record, LF line ends.

    Parameters
    ----------
    columns : sequence of str
        Column names, in order; keys of a record that are not columns are ignored.
    records : sequence of mapping
        One per line; a missing key is an empty cell, a list or tuple is written
        ``;``-joined, every cell goes through :func:`csv_cell`.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for rec in records:
        cells = []
        for c in columns:
            value = rec.get(c)
            if isinstance(value, list | tuple):
                value = ";".join(str(v) for v in value)
            cells.append(csv_cell(value))
        writer.writerow(cells)
    return buf.getvalue()
