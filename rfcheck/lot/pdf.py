"""The PDF of ``compare`` and ``lot`` reports, in the project's PDF style.

Built with reportlab and the shared faces and palette of :mod:`rfcheck.report.fonts` (DejaVu
embedded, the report ink and rules), like the ``check`` and dossier PDFs: a title, the plots,
then the text report in monospace, with the pre-compliance statement and page numbers on
every page. Built in reportlab's invariant mode, so the same result gives the same bytes.
"""

from __future__ import annotations

import html
import io
import textwrap
from collections.abc import Callable, Sequence

from matplotlib.figure import Figure
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, Preformatted, Spacer
from reportlab.platypus.doctemplate import SimpleDocTemplate

from ..report.fonts import BOLD, FONT, INK, MONO, MUTED, RULE, register_fonts
from ..report.pdfimage import png_flowable
from ..report.pdfstreams import binary_streams
from ..report.plots import figure_png
from ..textsafe import printable

__all__ = ["render_pdf"]

#: Characters per monospace text line (longer lines are wrapped, the rest indented).
PDF_WIDTH_CHARS = 118
#: Monospace text size. [pt]
MONO_PT = 6.4
#: What every page footer says.
STATEMENT = "rfcheck pre-compliance analysis \u2014 not an accredited test report"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11, textColor=INK)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=15, leading=19),
        "muted": ParagraphStyle("muted", parent=base, fontSize=7.2, leading=9, textColor=MUTED),
        "mono": ParagraphStyle(
            "mono", parent=base, fontName=MONO, fontSize=MONO_PT, leading=MONO_PT * 1.25
        ),
    }


def _wrapped(text: str) -> str:
    return "\n".join(
        part
        for line in text.splitlines()
        for part in (
            textwrap.wrap(line, PDF_WIDTH_CHARS, subsequent_indent="      ", drop_whitespace=False)
            or [""]
        )
    )


def _furniture(title: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        w, h = A4
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(18 * mm, h - 15 * mm, w - 18 * mm, h - 15 * mm)
        canvas.line(18 * mm, 14 * mm, w - 18 * mm, 14 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(18 * mm, h - 13 * mm, title[:110])
        canvas.setFont(FONT, 7)
        canvas.drawString(18 * mm, 10 * mm, STATEMENT)
        canvas.setFont(BOLD, 7.5)
        canvas.drawRightString(w - 18 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()

    return draw


def render_pdf(title: str, command: str, text: str, figures: Sequence[Figure]) -> bytes:
    """Return the PDF of a ``compare`` or ``lot`` result.

    Parameters
    ----------
    title : str
        Document title (untrusted text: escaped).
    command : str
        The command line that produced the result (printed under the title).
    text : str
        The text report, set in monospace.
    figures : sequence of Figure
        The plots, one per page width, before the text.

    Returns
    -------
    bytes
        The PDF; the same inputs give the same bytes.
    """
    register_fonts()
    st = _styles()
    title = printable(title)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=19 * mm,
        title=title,
        author="rfcheck",
        subject=STATEMENT,
        creator="rfcheck",
        invariant=1,
    )
    story: list[Flowable] = [Paragraph(html.escape(title), st["title"])]
    if command:
        story.append(Paragraph(html.escape(printable(command)), st["muted"]))
    story.append(Spacer(1, 4 * mm))
    for fig in figures:
        w_in, h_in = fig.get_size_inches()
        width = min(doc.width, (doc.height - 25 * mm) * w_in / h_in)  # a figure fits a page
        png = figure_png(fig)
        story.append(png_flowable(png, width, width * h_in / w_in))
        story.append(Spacer(1, 3 * mm))
    story.append(Preformatted(_wrapped(text), st["mono"]))
    draw = _furniture(title)
    with binary_streams():  # no ASCII85 layer (report/pdfstreams.py)
        doc.build(story, onFirstPage=draw, onLaterPages=draw)
    return buf.getvalue()
