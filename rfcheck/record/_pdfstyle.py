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
from ..textsafe import CELL_MAX_CHARS, FIELD_MAX_CHARS, field_lines, printable, shorten

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


def para(
    text: object,
    style: str = "body",
    *,
    missing: str = "MISSING",
    max_chars: int | None = None,
) -> Paragraph:
    r"""Return a Paragraph of untrusted ``text`` (escaped; ``None`` prints as ``missing`` in red).

    A :class:`~rfcheck.textsafe.Lines` breaks between its lines; a line feed inside a field
    (a setup value, a file name) is shown as ``\n``: it cannot start a line of its own.
    ``max_chars``: each line longer than this is cut with a note (``… [N characters cut]``,
    :func:`~rfcheck.textsafe.shorten`): for text in a table cell, whose row must fit on a
    page (:func:`field`, :func:`cell`).
    """
    register_fonts()
    if text is None:
        return paragraph(f'<font color="{hexcolor(RED)}">{esc(missing)}</font>', STYLES[style])
    lines = field_lines(text)
    if max_chars is not None:
        lines = [shorten(x, max_chars) for x in lines]
    return paragraph("<br/>".join(markup_escape(x, quotes=True) for x in lines), STYLES[style])


#: Longest line of a setup value (or of rfcheck's message quoting one, a finding) in a
#: full-width place: the value column of a ``label | value`` table, the 2.1077 block, the
#: findings. Above any text rfcheck or a lab writes there (a finding of about 700
#: characters, a label text of a few sentences), below what fills a page in those columns
#: (about 4,000), so a 100 kB ``[test] operating_mode`` cannot make a row taller than a page.
WIDE_MAX_CHARS = 2000


def wide(text: object, style: str = "cell", *, missing: str = "MISSING") -> Paragraph:
    """Return :func:`para` of setup text in a full-width cell, each line cut with a note.

    Cut to :data:`WIDE_MAX_CHARS` (``… [N characters cut]``, as the check report cuts its
    fields); ``dossier.json`` keeps the whole text.
    """
    return para(text, style, missing=missing, max_chars=WIDE_MAX_CHARS)


def field(text: object, style: str = "cell", *, missing: str = "MISSING") -> Paragraph:
    """Return :func:`para` of setup text in a half-width cell, each line cut with a note.

    Cut to :data:`~rfcheck.textsafe.FIELD_MAX_CHARS`, the check report's limit (a label of
    a ``label | value`` table, a signature's name); ``dossier.json`` keeps the whole text.
    """
    return para(text, style, missing=missing, max_chars=FIELD_MAX_CHARS)


def cell(text: object, style: str = "cell", *, missing: str = "MISSING") -> Paragraph:
    """Return :func:`para` of setup text in a narrow table column, each line cut with a note.

    Cut to :data:`~rfcheck.textsafe.CELL_MAX_CHARS` (equipment, cables, the entry's units);
    ``dossier.json`` keeps the whole text.
    """
    return para(text, style, missing=missing, max_chars=CELL_MAX_CHARS)


def wide_text(text: object) -> str:
    """Return setup text as one escaped field (:func:`esc`), cut with a note.

    Cut to :data:`WIDE_MAX_CHARS`: a setup value inside rfcheck's own markup in a
    full-width table cell (the 2.1077 block's lines, the entry pointer).
    """
    return esc(shorten(text, WIDE_MAX_CHARS))


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
