"""The page header or footer line ``<title> · <report id>`` of every rfcheck PDF.

The id ties a printed page to its record (``rfcheck verify`` reads it), so it is printed
whole on every page: a title too long for the line is cut, with an ellipsis, before the id,
never the id. The line is drawn as is (no paragraph), so the caller passes text already made
printable and drawable (:func:`rfcheck.textsafe.printable`, :func:`.pdftext.font_safe`).
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from ._pdfkit import fit_text

__all__ = ["ID_SEPARATOR", "titled_id"]

#: Between the title and the report id (``rfcheck.record.selfcheck`` reads the id after it).
ID_SEPARATOR = " \u00b7 "


def titled_id(title: str, report_id: str | None, font: str, size: float, width: float) -> str:
    """Return ``<title> · <report id>`` fitting ``width`` [pt], the title cut, the id whole.

    Without an id, the title alone, cut to fit. An id wider than ``width`` is still whole.
    """
    if report_id is None:
        return fit_text(title, font, size, width)
    tail = f"{ID_SEPARATOR}{report_id}"
    room = width - pdfmetrics.stringWidth(tail, font, size)
    head = fit_text(title, font, size, room) if room > 0 else "\u2026"
    return head + tail
