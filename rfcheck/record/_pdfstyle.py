"""Fonts, paragraph styles and escaping for the record's reportlab flowables.

DejaVu Sans (shipped with matplotlib, a dependency) is registered as a TrueType font, so it
is embedded (subset) in every PDF and any Unicode in setup text renders. :func:`para` is the
only way record text becomes a Paragraph: it XML-escapes the text, so markup in a lab name
or a capture header is printed, never interpreted.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from ..outcome import Verdict
from ..report.fonts import BOLD, FONT, INK, MONO, MUTED, VERDICT_COLOURS, register_fonts
from ..report.pdftext import markup_escape, paragraph
from ..textsafe import field_lines, printable, shorten

#: Status colours: the reports' one verdict palette (PASS, FAIL, INCONCLUSIVE, ERROR).
GREEN = colors.HexColor(VERDICT_COLOURS[Verdict.PASS])
RED = colors.HexColor(VERDICT_COLOURS[Verdict.FAIL])
AMBER = colors.HexColor(VERDICT_COLOURS[Verdict.INCONCLUSIVE])
GREY = colors.HexColor(VERDICT_COLOURS[Verdict.ERROR])


def verdict_colour(verdict: str) -> colors.Color:
    """Return the colour of a verdict (``INCOMPLETE`` too); grey for a word that is none."""
    try:
        return colors.HexColor(VERDICT_COLOURS[Verdict(verdict)])
    except ValueError:
        return GREY


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("rec-body", fontName=FONT, fontSize=8.5, leading=11, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("rec-small", parent=base, fontSize=7.2, leading=9),
        "muted": ParagraphStyle("rec-muted", parent=base, fontSize=7.2, leading=9, textColor=MUTED),
        "cell": ParagraphStyle("rec-cell", parent=base, fontSize=7.2, leading=8.8, wordWrap="CJK"),
        "mono": ParagraphStyle(
            "rec-mono", parent=base, fontName=MONO, fontSize=6.4, leading=8, wordWrap="CJK"
        ),
        "head": ParagraphStyle(
            "rec-head",
            parent=base,
            fontName=BOLD,
            fontSize=7.2,
            leading=8.8,
            textColor=colors.white,
        ),
        "h1": ParagraphStyle(
            "rec-h1",
            parent=base,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=4,
            spaceAfter=5,
        ),
        "h2": ParagraphStyle(
            "rec-h2",
            parent=base,
            fontName=BOLD,
            fontSize=9.5,
            leading=12,
            spaceBefore=4,
            spaceAfter=3,
        ),
        "title": ParagraphStyle("rec-title", parent=base, fontName=BOLD, fontSize=17, leading=21),
        "banner": ParagraphStyle(
            "rec-banner",
            parent=base,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            textColor=colors.white,
        ),
        "statement": ParagraphStyle(
            "rec-statement", parent=base, fontSize=8.5, leading=11.5, leftIndent=6, rightIndent=6
        ),
    }


STYLES: dict[str, ParagraphStyle] = _styles()


def hexcolor(color: colors.Color) -> str:
    """``#rrggbb`` of a reportlab colour, for ``<font color=...>`` markup."""
    hexval: str = color.hexval()  # reportlab ships no type hints
    return "#" + hexval[2:]


def esc(text: object) -> str:
    r"""``text`` as one field for reportlab Paragraph markup (``&``, ``<``, ``>``, quotes).

    A line feed inside it is shown as ``\n`` (:func:`rfcheck.textsafe.printable`).
    """
    return markup_escape(printable(text), quotes=True)


def para(text: object, style: str = "body", *, missing: str = "MISSING") -> Paragraph:
    r"""Return a Paragraph of untrusted ``text`` (escaped; ``None`` prints as ``missing`` in red).

    A :class:`~rfcheck.textsafe.Lines` breaks between its lines; a line feed inside a field
    (a setup value, a file name) is shown as ``\n``: it cannot start a line of its own.
    """
    register_fonts()
    if text is None:
        return paragraph(f'<font color="{hexcolor(RED)}">{esc(missing)}</font>', STYLES[style])
    lines = field_lines(text)
    return paragraph("<br/>".join(markup_escape(x, quotes=True) for x in lines), STYLES[style])


#: A page-1 title longer than this is cut with a note (``… [N characters cut]``): a
#: 2,000-character title or entry number pushed the verdict banner off page 1.
TITLE_MAX_CHARS = 240


def title_para(text: str) -> Paragraph:
    """Return page 1's title paragraph, cut to :data:`TITLE_MAX_CHARS` with a note."""
    return para(shorten(text, TITLE_MAX_CHARS), "title")


def markup(trusted_markup: str, style: str = "body") -> Paragraph:
    """Return a Paragraph of markup written by rfcheck itself (callers escape inserted data)."""
    register_fonts()
    return paragraph(trusted_markup, STYLES[style])
