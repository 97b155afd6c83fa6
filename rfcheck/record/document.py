"""Build a record PDF: paper size, page furniture, section page numbers, attachments.

:func:`build_pdf` lays the story out once: each :class:`SectionMark` records the page it
lands on (a :class:`PageIndex`), and each :class:`PageRef` (the 2.938(b) checklist's "present,
page 4") is drawn as a PDF form that is filled in with that page when the last page is done.
Only a page number taller than the text it was laid out with costs a second layout. The files
to carry (dossier JSON, summary CSV) are embedded as PDF attachments as it is written; the
manifest is attached to the finished PDF with the digest of its pages (:func:`.pages.seal`).
US Letter by default, A4 on request.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Table
from reportlab.platypus.doctemplate import LayoutError

from ..errors import ReportError
from ..report.fonts import BOLD, FONT, MUTED, register_fonts
from ..report.page_count import PageCountCanvas, page_of
from ..report.page_head import titled_id
from ..report.pdfstreams import binary_streams
from ..report.pdftext import font_safe
from ..textsafe import printable, shorten
from .attachments import Attachment, attach
from .issue import pdf_timestamp

if TYPE_CHECKING:
    from .manifest import Manifest

__all__ = ["Paper", "PAGE_SIZES_PT", "SectionMark", "PageIndex", "PageRef", "build_pdf"]


class Paper(StrEnum):
    """Page size: ``letter`` (US Letter, default: the FCC file) or ``a4``."""

    LETTER = "letter"
    A4 = "a4"


#: Page sizes (width, height). [pt, 1/72 in]
PAGE_SIZES_PT: dict[Paper, tuple[float, float]] = {Paper.LETTER: LETTER, Paper.A4: A4}


class PageIndex:
    """Section id -> first page it appears on (1-based), filled while the PDF is laid out."""

    def __init__(self) -> None:
        self.pages: dict[str, int] = {}
        #: The page references drawn in this layout, filled in when it ends.
        self.refs: list[PageRef] = []

    def page(self, section: str) -> int | None:
        """Return the page of ``section``; ``None`` before layout or when the document lacks it."""
        return self.pages.get(str(section))


class SectionMark(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """An invisible marker: records the page it lands on under ``section`` in the index."""

    def __init__(self, section: str, index: PageIndex) -> None:
        super().__init__()
        self.section = str(section)
        self.index = index
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # reportlab names
        """Take no space."""
        return (0, 0)

    def draw(self) -> None:
        """Record the current page (the first time the section is seen in this pass)."""
        self.index.pages.setdefault(self.section, self.canv.getPageNumber())


#: Margin around a page reference's form, beyond its laid-out box. [pt]
_FORM_MARGIN_PT = 4.0


class PageRef(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """The page ``section`` starts on, printed where the reference stands (a checklist cell).

    It is laid out as ``make(text)`` with the page the index held when it was built (the
    previous layout's; ``missing`` when unknown) and drawn as a PDF form, filled in with
    ``make(page)`` once the layout has placed every section (:meth:`fill`).
    """

    def __init__(
        self,
        section: str,
        index: PageIndex,
        make: Callable[[str], Flowable],
        missing: str = "–",
    ) -> None:
        super().__init__()
        self.section = str(section)
        self.index = index
        self.make = make
        self.missing = missing
        known = index.page(self.section)
        self._laid_out = make(missing if known is None else str(known))
        self.form = ""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # reportlab names
        """Take the space of the text it is laid out with."""
        self.width, self.height = self._laid_out.wrap(availWidth, availHeight)
        return (self.width, self.height)

    def draw(self) -> None:
        """Draw the form that :meth:`fill` defines when the layout ends."""
        self.form = f"rfcheck-page-ref-{len(self.index.refs)}"
        self.index.refs.append(self)
        self.canv.doForm(self.form)

    def fill(self, canv: Canvas) -> bool:
        """Define the form with the page found; return whether it fits the laid-out box."""
        page = self.index.page(self.section)
        text = self.make(self.missing if page is None else str(page))
        _, height = text.wrap(self.width, self.height)
        m = _FORM_MARGIN_PT
        canv.beginForm(self.form, -m, -m, self.width + m, max(height, self.height) + m)
        text.drawOn(canv, 0, 0)
        canv.endForm()
        return bool(height == self.height)


class _FillingCanvas(PageCountCanvas):
    """A canvas that fills the page references of ``index`` in, and attaches files, as it saves.

    Each page says ``page N of M`` (:mod:`rfcheck.report.page_count`).
    """

    def __init__(
        self,
        *args: Any,
        index: PageIndex,
        attachments: Sequence[Attachment] = (),
        issued: _dt.datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if issued is not None:
            self._doc._timeStamp = pdf_timestamp(issued)
        self.index = index
        self.attachments = attachments
        self.refs_fit = True

    def save(self) -> None:
        """Define every page reference's form, attach the files, then write every page."""
        for ref in self.index.refs:
            self.refs_fit &= ref.fill(self)
        attach(self, self.attachments)
        super().save()


def _footer(title: str, report_id: str | None) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(MUTED)
        # the title cut before the id, clear of "page N of M"; drawn as is (no
        # paragraph): a unit named with U+202E must not reverse the footer
        room = doc.width - canvas.stringWidth(page_of(9999, 9999), BOLD, 7.5) - 4 * mm
        left = titled_id(font_safe(printable(title)), report_id, FONT, 7, room)
        canvas.drawString(doc.leftMargin, 10 * mm, left)
        canvas.restoreState()  # "page N of M": the canvas draws it when the total is known

    return draw


def _layout(
    story: Sequence[Flowable],
    paper: Paper,
    title: str,
    report_id: str | None,
    index: PageIndex,
    attachments: Sequence[Attachment],
    issued: _dt.datetime | None,
) -> tuple[bytes, bool]:
    """Lay the story out; return the PDF and whether every page reference fit its box."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE_SIZES_PT[paper],
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="rfcheck",
        creator="rfcheck",
        subject="Test record (47 CFR 2.938(b))",
        invariant=1,
        initialFontName=FONT,
        initialFontSize=8.5,  # no unembedded Helvetica
    )
    footer = _footer(title, report_id)
    canvases: list[_FillingCanvas] = []

    def canvas(*args: Any, **kwargs: Any) -> _FillingCanvas:
        canvases.append(
            _FillingCanvas(*args, index=index, attachments=attachments, issued=issued, **kwargs)
        )
        return canvases[-1]

    try:
        with binary_streams():
            doc.build(list(story), onFirstPage=footer, onLaterPages=footer, canvasmaker=canvas)
    except LayoutError as err:  # a row taller than a page: said, naming it
        where = _too_tall(story, doc.width - 2 * _FRAME_PAD_PT, doc.height - 2 * _FRAME_PAD_PT)
        raise ReportError(
            f"{where or 'a part of the record'} is taller than a page: the PDF cannot be laid "
            "out (reportlab LayoutError)"
        ) from err
    return out.getvalue(), all(c.refs_fit for c in canvases)


#: reportlab's frame padding on each side. [pt]
_FRAME_PAD_PT = 6


def _plain(cell: object) -> str:
    """Return the text of a table cell (a Paragraph, a string, a list of flowables)."""
    if isinstance(cell, list | tuple):
        return next((t for t in map(_plain, cell) if t), "")
    if isinstance(cell, Paragraph):
        return str(cell.getPlainText())
    return cell if isinstance(cell, str) else ""


def _too_tall(story: Sequence[Flowable], width: float, height: float) -> str:
    """Name the first table row of ``story`` taller than ``height`` [pt] ("" for none).

    reportlab cannot split a table row over two pages: a setup value of 100 kB in one cell
    made a row taller than a page. Said as ``the row 'EUT operating mode'`` (its first
    cell, the field of a ``label | value`` table) and, for a table with a heading row, the
    column of its tallest cell: ``column 'Arrangement / movement' of the row 'USB'``.
    """
    for f in story:
        if isinstance(f, KeepTogether):
            inner = _too_tall(f._content, width, height)  # reportlab keeps its flowables there
        elif isinstance(f, Table):
            inner = _tall_row(f, width, height)
        else:
            continue
        if inner:
            return inner
    return ""


def _tall_row(table: Table, width: float, height: float) -> str:
    """Name the row of ``table`` taller than ``height`` (:func:`_too_tall`), "" for none."""
    table.wrap(width, height)
    rows: list[list[object]] = table._cellvalues
    widths: list[float] = list(table._colWidths)
    for i, row_height in enumerate(table._rowHeights):
        if row_height <= height:
            continue
        row = rows[i]
        for cell, w in zip(row, widths, strict=False):  # a table in a cell: its own row
            nested = [c for c in (cell if isinstance(cell, list) else [cell])]
            inner = _too_tall([c for c in nested if isinstance(c, Table)], w, height)
            if inner:
                return inner
        tallest = max(
            range(len(row)),
            key=lambda j: _cell_height(row[j], widths[j] if j < len(widths) else width),
        )
        label = shorten(_plain(row[0]), 60)
        head = shorten(_plain(rows[0][tallest]), 60) if table.repeatRows and i else ""
        named = f"the row '{label}'" if label else f"row {i + 1} of a table"
        return f"column '{head}' of {named}" if head and tallest else named
    return ""


def _cell_height(cell: object, width: float) -> float:
    """Return the height of a table cell's flowables laid out ``width`` wide [pt]."""
    parts = cell if isinstance(cell, list | tuple) else [cell]
    return float(sum(p.wrap(width, 1e9)[1] for p in parts if isinstance(p, Flowable)))


def build_pdf(
    out: str | Path | None,
    story: Callable[[PageIndex], list[Flowable]],
    *,
    paper: Paper | str = Paper.LETTER,
    title: str = "rfcheck test record",
    report_id: str | None = None,
    attachments: Iterable[Attachment] = (),
    manifest: Manifest | None = None,
    issued: _dt.datetime | None = None,
) -> bytes:
    """Lay out ``story`` (once, unless a page number outgrows its box), embed ``attachments``.

    Parameters
    ----------
    out : str or Path or None
        Where to write the PDF; ``None`` only returns the bytes.
    story : callable
        ``story(index) -> flowables``; called once per pass with the :class:`PageIndex` of the
        previous pass (empty on the first). Put a :class:`SectionMark` at each section start
        and a :class:`PageRef` where its page is printed.
    paper : Paper or str
        ``letter`` (default) or ``a4``.
    title : str
        PDF title and footer text.
    report_id : str, optional
        Printed in every footer.
    attachments : iterable of Attachment
        Files embedded in the PDF.
    manifest : Manifest, optional
        Attached as ``manifest.json`` once the pages are finished, with their digest
        (``pages_sha256``, :func:`.pages.seal`), so ``rfcheck verify`` can tell altered pages.
    issued : datetime, optional
        The record's issue time: the PDF's CreationDate and ModDate. None: reportlab's
        invariant date (2000-01-01, or ``SOURCE_DATE_EPOCH``).

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    ReportError
        A table row is taller than a page (reportlab cannot lay it out): the message names
        the row (its first cell) and, in a table with a heading row, the column.
    """
    register_fonts()
    paper = Paper(str(paper).lower())
    items = list(attachments)
    index = PageIndex()
    pdf = b""
    for _ in range(3):  # 1 pass unless a page number is taller than the text laid out
        flowables = story(index)  # references are laid out with the pages found so far
        index.pages.clear()  # ...found again by the marks while laying out
        index.refs.clear()
        pdf, fits = _layout(flowables, paper, title, report_id, index, items, issued)
        if fits:
            break
    if manifest is not None:
        from .pages import seal  # pypdf: loaded only by a record that carries a manifest

        pdf = seal(pdf, manifest)
    if out is not None:
        Path(out).write_bytes(pdf)
    return pdf
