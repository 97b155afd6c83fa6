"""The one CSV cell neutraliser: every CSV rfcheck writes passes its cells through :func:`csv_cell`.

A spreadsheet runs a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV/formula injection, OWASP). Capture files, setup files and file names
are untrusted, so such text cells get a leading apostrophe; numbers are written as numbers and
never altered (``-3.25`` stays a negative number).
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_PREFIXES", "csv_cell"]

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
        text, with ``'`` in front when it starts with one of :data:`FORMULA_PREFIXES`.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
