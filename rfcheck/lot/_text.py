"""Number and cell formatting shared by the ``lot`` and ``compare`` renderers.

As ``check`` prints them: dB with an ASCII ``-``, frequencies by
:func:`rfcheck.frequency.format_mhz`, margins by
:func:`rfcheck.report.margin_text.fmt_margin`; CSV through
:func:`rfcheck.report.csv_cells.csv_text` (formula-like cells neutralised).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from ..frequency import format_mhz
from ..outcome import Bound
from ..report.csv_cells import csv_text
from ..report.epoch import issue_text
from ..report.margin_text import fmt_margin

__all__ = ["_csv", "_db", "_f", "_issued_json", "_margin", "_n"]


def _db(x: float | None, signed: bool = True, nd: int = 1) -> str:
    """Return a dB value with ``nd`` decimals (ASCII ``-``, as the check and dossier text)."""
    if x is None:
        return "-"
    return f"{x:+.{nd}f}" if signed else f"{x:.{nd}f}"


def _f(hz: float | None) -> str:
    """Return an emission's frequency as ``check`` and the dossier print it (``1.0005 MHz``).

    :func:`rfcheck.frequency.format_mhz`, six significant digits: one emission reads alike in
    the tables, the notes and the flags (``-`` when absent).
    """
    return format_mhz(hz)


def _margin(x: float | None, bound: Bound | str | None) -> str:
    """Return a margin [dB] as ``check`` prints it (:func:`~rfcheck.report.margin_text.fmt_margin`).

    Two decimals, ``≤``/``≥`` before it for a bound level; ``-`` when absent.
    """
    return "-" if x is None else fmt_margin(x, bound)


def _n(x: float | None, nd: int = 1) -> str:
    return "-" if x is None else f"{x:.{nd}f}"


def _csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> str:
    return csv_text(columns, list(rows))


def _issued_json(doc: dict[str, Any], issued: _dt.datetime | None) -> dict[str, Any]:
    """``doc`` with ``issued_utc`` after ``report_id`` (ISO 8601 UTC; None: not issued)."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        out[key] = value
        if key == "report_id":
            out["issued_utc"] = None if issued is None else issue_text(issued)
    return out
