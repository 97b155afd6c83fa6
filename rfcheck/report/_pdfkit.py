"""reportlab building blocks of the PDF report: fonts, styles, tables, page furniture.

DejaVu Sans (shipped with matplotlib) is embedded so any Unicode in metadata renders;
every data string becomes a :class:`Paragraph` through :func:`p`, which never parses it as
markup (it is handed to reportlab as one text fragment of the style), so markup in a DUT name
or instrument field is shown, never interpreted, and the parser's cost (a third of a report
table's layout) is not paid per cell.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from ..outcome import Verdict
from ..textsafe import CELL_MAX_CHARS, FIELD_MAX_CHARS, shorten
from . import _common as C
from .fonts import BOLD, FONT, HEAD_BG, INK, MONO, MUTED, RULE, ZEBRA
from .page_count import PageCountCanvas
from .pdftext import font_safe, markup_escape, paragraph


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.2, leading=9),
        "muted": ParagraphStyle("muted", parent=base, fontSize=7.2, leading=9, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.2, leading=8.8),
        "cellwrap": ParagraphStyle(
            "cellwrap", parent=base, fontSize=7.2, leading=8.8, wordWrap="CJK"
        ),
        "mono": ParagraphStyle(
            "mono", parent=base, fontName=MONO, fontSize=6.6, leading=8.4, wordWrap="CJK"
        ),
        "head": ParagraphStyle(
            "head", parent=base, fontName=BOLD, fontSize=7.2, leading=8.8, textColor=colors.white
        ),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=17, leading=21),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=10.5, leading=14, textColor=MUTED
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=4,
            spaceAfter=5,
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=7, spaceAfter=3
        ),
        "verdict": ParagraphStyle(
            "verdict",
            parent=base,
            fontName=BOLD,
            fontSize=22,
            leading=27,
            textColor=colors.white,
            alignment=TA_CENTER,
        ),
        "vnote": ParagraphStyle(
            "vnote", parent=base, fontSize=8.5, leading=11, textColor=colors.white
        ),
    }


#: The text fragment reportlab's parser makes of plain text in each style (a template).
_FRAGS: weakref.WeakKeyDictionary[ParagraphStyle, Any] = weakref.WeakKeyDictionary()


def _frag(style: ParagraphStyle) -> Any:
    """Return the fragment the parser gives plain text in ``style`` (parsed once per style)."""
    frag = _FRAGS.get(style)
    if frag is None:
        parser = ParaParser()
        parser.caseSensitive = 1
        _, frags, _ = parser.parse("x", style)
        (frag,) = frags
        _FRAGS[style] = frag
    return frag


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """Paragraph from *data* text, never parsed as markup (no markup injection).

    The text, cut to :data:`FIELD_MAX_CHARS` and its lines joined as reportlab joins them, is
    one fragment of the style's font and colour: what the parser makes of the XML-escaped
    text, without the parser.
    """
    clean = cleanBlockQuotedText(font_safe(shorten(text, FIELD_MAX_CHARS)))
    if not clean:
        return Paragraph("", style)
    frag = _frag(style).clone(text=clean, link=[], us_lines=[])
    return paragraph(clean, style, frags=[frag])


def vcolour(v: Verdict) -> colors.Color:
    return colors.HexColor(C.VERDICT_COLOURS[v])


def vtext(v: Verdict, st: ParagraphStyle) -> Paragraph:
    return Paragraph(f'<font name="{BOLD}" color="{C.VERDICT_COLOURS[v]}">{v.value}</font>', st)


def table(
    rows: list[list[Any]],
    widths: Sequence[float],
    zebra: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """Build a data table: dark header row repeated on every page, light rules, zebra rows."""
    t = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, HEAD_BG),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if zebra:
        for r in range(2, len(rows), 2):
            style.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    t.setStyle(TableStyle(style + list(extra)))
    return t


def boxed(rows: list[list[Any]], width: float, *, shaded: bool = False) -> Table:
    """Return ``rows`` (one flowable each) in one ruled box of ``width``: a page-1 statement.

    ``shaded``: on the zebra background (the report's scope statement).
    """
    box = Table(rows, colWidths=[width], hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 1.2, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
    ]
    if shaded:
        style.append(("BACKGROUND", (0, 0), (-1, -1), ZEBRA))
    box.setStyle(TableStyle(style))
    return box


def row_cells(row: C.Row, st: dict[str, ParagraphStyle], wrap: Sequence[int] = ()) -> list[Any]:
    """Paragraphs of a data row: columns ``wrap`` may wrap, the verdict cell is coloured."""
    return [
        vtext(x, st["cell"])
        if isinstance(x, Verdict)
        else p(shorten(x, CELL_MAX_CHARS), st["cellwrap" if k in wrap else "cell"])
        for k, x in enumerate(row)
    ]


def kv_table(
    title: str, fields: Sequence[C.Field], width: float, st: dict[str, ParagraphStyle]
) -> Table:
    rows: list[list[Any]] = [
        [Paragraph(markup_escape(shorten(title, FIELD_MAX_CHARS)), st["head"]), ""]
    ]
    for f in fields:
        val = p(f.value, st["cellwrap"] if f.stated else st["muted"])
        rows.append([p(f.label, st["cell"]), val])
    return table(rows, [0.38 * width, 0.62 * width], zebra=True, extra=[("SPAN", (0, 0), (1, 0))])


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut at a word (or character) with an ellipsis so it fits ``width`` [pt]."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    ell = "\u2026"
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if pdfmetrics.stringWidth(text[:mid].rstrip() + ell, font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    word = cut.rsplit(" ", 1)[0] if " " in cut and len(cut.rsplit(" ", 1)[0]) > lo // 2 else cut
    return word.rstrip(" \u2014-,;:") + ell


class NumberedCanvas(PageCountCanvas):
    """Canvas of the check report: header rule and text, footer statement, "page X of Y"."""

    header_left = ""
    header_right = ""
    footer_left = ""

    def furniture(self, total: int) -> None:
        """Draw the header and footer rules and texts, and the page number."""
        w, h = self._pagesize
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.6)
        self.line(18 * mm, h - 15 * mm, w - 18 * mm, h - 15 * mm)
        self.line(18 * mm, 14 * mm, w - 18 * mm, 14 * mm)
        self.setFillColor(MUTED)
        room = w - 36 * mm - self.stringWidth(self.header_right, BOLD, 7.5) - 5 * mm
        self.setFont(FONT, 7.5)
        self.drawString(18 * mm, h - 13 * mm, fit_text(self.header_left, FONT, 7.5, room))
        self.setFont(BOLD, 7.5)
        self.drawRightString(w - 18 * mm, h - 13 * mm, self.header_right)
        self.setFont(FONT, 7)
        self.drawString(18 * mm, 10 * mm, self.footer_left)
        self.restoreState()
        self.draw_page_number(total)


def canvas_class(rid: str, title: str) -> type[NumberedCanvas]:
    return type(
        "_ReportCanvas",
        (NumberedCanvas,),
        {
            "header_left": title,
            "header_right": f"Report {rid}",
            "footer_left": "rfcheck pre-compliance analysis \u2014 not an accredited test report",
        },
    )
