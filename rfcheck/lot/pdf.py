"""The PDF of ``compare`` and ``lot`` reports, in the project's PDF style.

Built with reportlab and the shared faces and palette of :mod:`rfcheck.report.fonts` (DejaVu
embedded, the report ink and rules, the verdict colours), like the ``check`` and dossier PDFs: a
title, the report id, the verdict banner (a lot's), the plots, then the text report in
monospace and the provenance table (every input with its SHA-256), with the pre-compliance
statement and page numbers on every page. Built in reportlab's invariant mode, so the same
result gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Paragraph,
    Preformatted,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import SimpleDocTemplate

from ..outcome import Verdict
from ..record.issue import pdf_timestamp
from ..report._pdfkit import boxed
from ..report.epoch import issue_text
from ..report.fonts import (
    BOLD,
    FONT,
    HEAD_BG,
    INK,
    MONO,
    MUTED,
    RULE,
    VERDICT_COLOURS,
    ZEBRA,
    register_fonts,
)
from ..report.page_count import PageCountCanvas
from ..report.page_head import titled_id
from ..report.pdfimage import png_flowable
from ..report.pdfstreams import binary_streams
from ..report.pdftext import font_safe, paragraph
from ..report.plot_rendering import figure_png
from ..results import InputFile
from ..textsafe import printable

__all__ = ["render_pdf", "Banner", "Provenance"]

#: Characters per monospace text line (longer lines are wrapped, the rest indented). The
#: text frame (A4 less two 18 mm margins, 493 pt) holds 128 characters of the monospace face
#: at :data:`MONO_PT` (3.85 pt each): a statistics row fits whole, its verdict INCONCLUSIVE or
#: INCOMPLETE as well as PASS (120 characters with an FCC limit id; 118 wrapped the verdict
#: onto a line of its own).
PDF_WIDTH_CHARS = 126
#: Monospace text size. [pt]
MONO_PT = 6.4
#: What every page footer says.
STATEMENT = "rfcheck pre-compliance analysis \u2014 not an accredited test report"


@dataclass(frozen=True)
class Provenance:
    """What a result rests on: its id, every input with its SHA-256, what could not be hashed."""

    report_id: str
    version: str
    inputs: Sequence[InputFile] = ()
    unhashed: Sequence[str] = ()  #: captures that could not be read to hash them


@dataclass(frozen=True)
class Banner:
    """A verdict banner: the verdict, its heading and the lines that explain it."""

    verdict: Verdict
    heading: str
    lines: Sequence[str] = ()


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11, textColor=INK)
    white = colors.white
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=15, leading=19),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=11, leading=14),
        "muted": ParagraphStyle("muted", parent=base, fontSize=7.2, leading=9, textColor=MUTED),
        "mono": ParagraphStyle(
            "mono", parent=base, fontName=MONO, fontSize=MONO_PT, leading=MONO_PT * 1.25
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7, leading=8.6, wordWrap="CJK"),
        "hash": ParagraphStyle(
            "hash", parent=base, fontName=MONO, fontSize=6.2, leading=8, wordWrap="CJK"
        ),
        "head": ParagraphStyle(
            "head", parent=base, fontName=BOLD, fontSize=7, leading=8.6, textColor=white
        ),
        "banner": ParagraphStyle(
            "banner", parent=base, fontName=BOLD, fontSize=14, leading=18, textColor=white
        ),
        "bnote": ParagraphStyle("bnote", parent=base, fontSize=8, leading=10.4, textColor=white),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """Return a paragraph of *data* text: printable, escaped, never read as markup.

    In a character-wrapping style (table cells) it breaks at spaces when its words fit
    (:func:`rfcheck.report.pdftext.paragraph`).
    """
    return paragraph(html.escape(font_safe(printable(text))), style)


def _banner(b: Banner, width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Return the verdict banner in the verdict's colour (as the ``check`` report's cover)."""
    rows = [[_p(b.heading, st["banner"])]] + [[_p(line, st["bnote"])] for line in b.lines]
    box = Table(rows, colWidths=[width], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(VERDICT_COLOURS[b.verdict])),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return box


def _preface(lines: Sequence[str], width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Return ``lines`` boxed: what the result covers, read on page 1 with the verdict."""
    return boxed([[_p(line, st["body"])] for line in lines], width)


def _table(rows: list[list[Flowable]], widths: Sequence[float]) -> Table:
    t = Table(rows, colWidths=list(widths), hAlign="LEFT", repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
                ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return t


def _provenance(
    prov: Provenance, command: str, width: float, st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """Every input with its SHA-256, then the report id, version and command."""
    rows: list[list[Flowable]] = [[_p(h, st["head"]) for h in ("Role", "File", "SHA-256")]]
    rows += [
        [_p("capture", st["cell"]), _p(p, st["cell"]), _p("unreadable", st["hash"])]
        for p in prov.unhashed
    ]
    rows += [
        [_p(i.role, st["cell"]), _p(i.path, st["cell"]), _p(i.sha256, st["hash"])]
        for i in prov.inputs
    ]
    facts: list[list[Flowable]] = [[_p(h, st["head"]) for h in ("Item", "Value")]]
    facts += [
        [_p(k, st["cell"]), _p(v, st["hash" if k == "Command" else "cell"])]
        for k, v in (
            ("Report id", prov.report_id),
            ("rfcheck version", prov.version),
            ("Command", command or "not recorded"),
        )
    ]
    return [
        Spacer(1, 5 * mm),
        _p("Provenance", st["h1"]),
        _p(
            "Every file this result was computed from, with its SHA-256. The report id is the "
            "SHA-256 of these files, the effective settings and the rfcheck version.",
            st["muted"],
        ),
        Spacer(1, 2 * mm),
        _table(rows, [0.09 * width, 0.35 * width, 0.56 * width]),
        Spacer(1, 3 * mm),
        _table(facts, [0.2 * width, 0.8 * width]),
    ]


def _wrapped(text: str) -> str:
    return "\n".join(
        part
        for line in text.splitlines()
        for part in (
            textwrap.wrap(line, PDF_WIDTH_CHARS, subsequent_indent="      ", drop_whitespace=False)
            or [""]
        )
    )


def _furniture(title: str, rid: str | None) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        w, h = A4
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(18 * mm, h - 15 * mm, w - 18 * mm, h - 15 * mm)
        canvas.line(18 * mm, 14 * mm, w - 18 * mm, 14 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 7.5)
        # the title cut before the report id, never the id
        canvas.drawString(
            18 * mm, h - 13 * mm, titled_id(font_safe(title), rid, FONT, 7.5, w - 36 * mm)
        )
        canvas.setFont(FONT, 7)
        canvas.drawString(18 * mm, 10 * mm, STATEMENT)
        canvas.restoreState()  # "page N of M": the canvas draws it when the total is known

    return draw


def _canvas(issued: _dt.datetime | None) -> Any:
    """Return the canvas class that numbers the pages and dates the document ``issued``.

    Undated (reportlab's invariant date) if ``issued`` is None.
    """
    if issued is None:
        return PageCountCanvas
    stamp = pdf_timestamp(issued)

    class _Dated(PageCountCanvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = stamp  # the CreationDate and ModDate (invariant mode)

    return _Dated


def render_pdf(
    title: str,
    command: str,
    text: str,
    figures: Sequence[Figure],
    *,
    banner: Banner | None = None,
    provenance: Provenance | None = None,
    issued: _dt.datetime | None = None,
    preface: Sequence[str] = (),
) -> bytes:
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
    banner : Banner, optional
        The verdict banner, on page 1 under the title.
    provenance : Provenance, optional
        The report id (under the title and in every page header) and the inputs with their
        SHA-256 (a table after the text).
    issued : datetime, optional
        The report's issue time (:func:`rfcheck.report.epoch.issue_time`): printed under the
        title, and the PDF's CreationDate and ModDate. None: reportlab's invariant date.
    preface : sequence of str, optional
        Lines boxed on page 1 under the banner (a lot's scope and basis:
        :func:`rfcheck.lot.scope.lot_scope_lines`).

    Returns
    -------
    bytes
        The PDF; the same inputs issued at the same time give the same bytes.
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
    story: list[Flowable] = [_p(title, st["title"])]
    if provenance is not None:
        story.append(_p(f"Report {provenance.report_id}", st["muted"]))
    if issued is not None:
        story.append(_p(f"Issued (UTC) {issue_text(issued)}", st["muted"]))
    if command:
        story.append(_p(command, st["muted"]))
    story.append(Spacer(1, 4 * mm))
    if banner is not None:
        story += [_banner(banner, doc.width, st), Spacer(1, 4 * mm)]
    if preface:
        story += [_preface(preface, doc.width, st), Spacer(1, 4 * mm)]
    for fig in figures:
        w_in, h_in = fig.get_size_inches()
        width = min(doc.width, (doc.height - 25 * mm) * w_in / h_in)  # a figure fits a page
        png = figure_png(fig)
        story.append(png_flowable(png, width, width * h_in / w_in))
        story.append(Spacer(1, 3 * mm))
    # a character the face cannot draw (CJK) as \uXXXX, as in check and dossier PDFs: never a box
    story.append(Preformatted(_wrapped(font_safe(text)), st["mono"]))
    if provenance is not None:
        story += _provenance(provenance, command, doc.width, st)
    draw = _furniture(title, None if provenance is None else provenance.report_id)
    with binary_streams():  # no ASCII85 layer (report/pdfstreams.py)
        doc.build(story, onFirstPage=draw, onLaterPages=draw, canvasmaker=_canvas(issued))
    return buf.getvalue()
