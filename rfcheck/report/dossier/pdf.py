"""``dossier.pdf``: the test record of one unit, laid out with reportlab platypus.

The document is a list of sections (:data:`SECTIONS`), each a function from a
:class:`PdfContext` to flowables; a later record (the customs file: 2.938(b) checklist,
equipment, photos, attachments) adds its sections to that list in order. US Letter pages.
With ``SOURCE_DATE_EPOCH`` set the file is built in reportlab's invariant mode.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..._version import __version__
from ...product.dossier import UnitDossier
from ...product.final_table import LINE_KEYS, FinalRow, TableValue
from ...settings import Setup
from .. import _common as C
from .. import _pdfkit as K
from ..fonts import register_fonts
from ._rows import MATRIX_HEADERS, fmt_value, matrix_rows

__all__ = ["PdfContext", "Section", "SECTIONS", "render_dossier_pdf"]

#: Banner colours per unit verdict / cell state (MISSING and INCOMPLETE share one).
_COLOURS = {
    "PASS": "#1b7a3a", "FAIL": "#b3161b", "INCONCLUSIVE": "#b86e00",
    "INCOMPLETE": "#6a4c93", "MISSING": "#6a4c93", "ERROR": "#5f6368",
}


@dataclass(frozen=True)
class PdfContext:
    """What every section may draw from."""

    dossier: UnitDossier
    setup: Setup | None
    width: float  #: text width of the page [pt]
    styles: dict[str, ParagraphStyle]
    plots: Sequence[tuple[str, bytes]]  #: (title, PNG bytes)


Section = Callable[[PdfContext], list[Any]]



def _para(text: str, style: ParagraphStyle) -> Paragraph:
    """Paragraph of data text: escaped, line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _h(text: str, ctx: PdfContext) -> Paragraph:
    return Paragraph(escape(text), ctx.styles["h2"])


def _cover(ctx: PdfContext) -> list[Any]:
    d, st = ctx.dossier, ctx.styles
    v = d.verdict.value
    big = ParagraphStyle("banner", parent=st["body"], fontName=K.BOLD, fontSize=20, leading=24,
                         alignment=1, textColor=colors.white)
    banner = Table([[Paragraph(escape(v), big)]], colWidths=[ctx.width], rowHeights=[14 * mm])
    banner.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(_COLOURS[v])),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    dut = ctx.setup.dut if ctx.setup else {}
    fields = [C.Field(str(k), fmt_value(val), True) for k, val in dut.items()]
    fields += [C.Field(f"plan {k}", fmt_value(val), True) for k, val in d.plan.to_json().items()]
    return [
        Paragraph(escape(f"Test record: {d.unit}"), st["title"]), Spacer(1, 3 * mm), banner,
        Spacer(1, 3 * mm), K.kv_table("Device and plan", fields, ctx.width, st), Spacer(1, 3 * mm),
    ]


def _matrix(ctx: PdfContext) -> list[Any]:
    st = ctx.styles
    rows: list[list[Any]] = [[K.p(h, st["th"]) for h in MATRIX_HEADERS]]
    extra = []
    for i, r in enumerate(matrix_rows(ctx.dossier.cells), 1):
        rows.append([_para(c, st["cellwrap"]) for c in r.cells])
        extra.append(("BACKGROUND", (4, i), (4, i), colors.HexColor(_COLOURS[r.verdict])))
        extra.append(("TEXTCOLOR", (4, i), (4, i), colors.white))
        rows[-1][4] = Paragraph(f'<font color="#ffffff">{escape(r.cells[4])}</font>', st["cell"])
    w = ctx.width
    widths = [0.06 * w, 0.12 * w, 0.05 * w, 0.1 * w, 0.1 * w, 0.08 * w, 0.08 * w, 0.27 * w, 0.14 * w]
    return [_h("Completeness matrix", ctx), K.table(rows, widths, extra=extra), Spacer(1, 3 * mm)]


def _value_text(s: TableValue | None) -> str:
    if s is None:
        return ""
    level = f"{s.level:.2f} {s.unit}"
    if s.reading is not None and s.correction_db is not None and s.conversion_db is not None:
        level = (f"{s.reading:.2f} {s.reading_unit} {s.conversion_db:+.2f} dB "
                 f"+ {s.correction_db:.2f} dB = {level}")
    return f"{level}\nlimit {s.limit:.2f}, margin {s.margin_db:+.2f} dB\n{s.bound.value}"


def _final_table(rows: Sequence[FinalRow], ctx: PdfContext) -> Table:
    st = ctx.styles
    head = ["Freq. [MHz]", *(f"{ln} reading + corr. = level; limit, margin; bound" for ln in LINE_KEYS)]
    data: list[list[Any]] = [[K.p(h, st["th"]) for h in head]]
    for r in rows:
        data.append([K.p(f"{r.frequency_hz / 1e6:.6g}", st["cell"]),
                     *(_para(_value_text(r.values.get(ln)), st["cellwrap"]) for ln in LINE_KEYS)])
    w = ctx.width
    return K.table(data, [0.1 * w, 0.3 * w, 0.3 * w, 0.3 * w])


def _finals(ctx: PdfContext) -> list[Any]:
    out: list[Any] = []
    for i, port in enumerate(ctx.dossier.plan.ports):
        rows = ctx.dossier.rows_of(port)
        body = _final_table(rows, ctx) if rows else K.p("No emission measured.", ctx.styles["muted"])
        head = [_h("Final measurements (six highest emissions per port, ANSI C63.4)", ctx)] if i == 0 else []
        out.append(KeepTogether([*head, Paragraph(escape(port), ctx.styles["h3"]), body]))
    return out


def _plots(ctx: PdfContext) -> list[Any]:
    out: list[Any] = [_h("Margin plots", ctx)] if ctx.plots else []
    for title, png in ctx.plots:
        img = Image(io.BytesIO(png), width=ctx.width, height=ctx.width * 4.2 / 7.5)
        out.append(KeepTogether([K.p(title, ctx.styles["muted"]), img]))
    return out


def _errors(ctx: PdfContext) -> list[Any]:
    d, st = ctx.dossier, ctx.styles
    if not d.errors:
        return []
    rows: list[list[Any]] = [[K.p("File", st["th"]), K.p("Problem", st["th"])]]
    rows += [[K.p(e.path, st["cellwrap"]), K.p(e.message, st["cellwrap"])] for e in d.errors]
    return [_h("Errors", ctx), K.table(rows, [0.4 * ctx.width, 0.6 * ctx.width])]


def _inputs(ctx: PdfContext) -> list[Any]:
    st = ctx.styles
    rows: list[list[Any]] = [[K.p(h, st["th"]) for h in ("Role", "Path", "SHA-256")]]
    rows += [[K.p(i.role, st["cell"]), K.p(i.path, st["cellwrap"]), K.p(i.sha256, st["mono"])]
             for i in ctx.dossier.inputs]
    w = ctx.width
    return [_h("Inputs", ctx), K.table(rows, [0.1 * w, 0.45 * w, 0.45 * w]),
            K.p(f"rfcheck {__version__}", st["muted"])]


#: The document's sections, in order.
SECTIONS: list[Section] = [_cover, _matrix, _finals, _plots, _errors, _inputs]


def render_dossier_pdf(
    d: UnitDossier, setup: Setup | None, plots: Sequence[tuple[str, bytes]] = ()
) -> bytes:
    """The PDF of one unit (US Letter)."""
    register_fonts()
    st = dict(K.styles())
    base = st["body"]
    st.setdefault("title", ParagraphStyle("dtitle", parent=base, fontName=K.BOLD, fontSize=16, leading=20))
    st.setdefault("h2", ParagraphStyle("dh2", parent=base, fontName=K.BOLD, fontSize=11.5, leading=15,
                                       spaceBefore=8, spaceAfter=4))
    st.setdefault("h3", ParagraphStyle("dh3", parent=base, fontName=K.BOLD, fontSize=9.5, leading=12,
                                       spaceBefore=4, spaceAfter=2))
    st.setdefault("th", ParagraphStyle("dth", parent=base, fontName=K.BOLD, fontSize=7.2, leading=8.8,
                                       textColor=colors.white))
    st.setdefault("mono", ParagraphStyle("dmono", parent=base, fontName=K.MONO, fontSize=6.2, leading=7.6,
                                         wordWrap="CJK"))
    buf = io.BytesIO()
    title = f"rfcheck test record: {d.unit} ({d.verdict.value})"
    doc = SimpleDocTemplate(
        buf, pagesize=letter, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
        bottomMargin=19 * mm, title=title, author="rfcheck", creator=f"rfcheck {__version__}",
        invariant=1 if C.generated_at() is not None else 0,
    )
    ctx = PdfContext(d, setup, doc.width, st, plots)
    story: list[Any] = []
    for section in SECTIONS:
        story += section(ctx)
    doc.build(story, canvasmaker=K.canvas_class(d.unit[:40], title[:110]))
    return buf.getvalue()


