"""Build a record PDF: paper size, page furniture, section page numbers, attachments.

:func:`build_pdf` lays the story out twice: the first pass records the page each
:class:`SectionMark` lands on (a :class:`PageIndex`), the second prints those pages in the
2.938(b) checklist ("present, page 4"). Then the files to carry (dossier JSON, summary CSV,
manifest) are embedded as PDF attachments. US Letter by default, A4 on request.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate

from ..report.fonts import FONT, MUTED, register_fonts
from ..report.pdfstreams import binary_streams
from .attachments import Attachment, embed_attachments

__all__ = ["Paper", "PAGE_SIZES_PT", "SectionMark", "PageIndex", "build_pdf"]


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


def _footer(title: str, report_id: str | None) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(MUTED)
        width, _ = doc.pagesize
        left = title if report_id is None else f"{title} · {report_id}"
        canvas.drawString(doc.leftMargin, 10 * mm, left[:120])
        canvas.drawRightString(width - doc.rightMargin, 10 * mm, f"page {canvas.getPageNumber()}")
        canvas.restoreState()

    return draw


def _layout(story: Sequence[Flowable], paper: Paper, title: str, report_id: str | None) -> bytes:
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
    with binary_streams():
        doc.build(list(story), onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def build_pdf(
    out: str | Path | None,
    story: Callable[[PageIndex], list[Flowable]],
    *,
    paper: Paper | str = Paper.LETTER,
    title: str = "rfcheck test record",
    report_id: str | None = None,
    attachments: Iterable[Attachment] = (),
) -> bytes:
    """Lay out ``story`` (twice, for section page numbers), embed ``attachments``, write ``out``.

    Parameters
    ----------
    out : str or Path or None
        Where to write the PDF; ``None`` only returns the bytes.
    story : callable
        ``story(index) -> flowables``; called once per pass with the :class:`PageIndex` of the
        previous pass (empty on the first). Put a :class:`SectionMark` at each section start.
    paper : Paper or str
        ``letter`` (default) or ``a4``.
    title : str
        PDF title and footer text.
    report_id : str, optional
        Printed in every footer.
    attachments : iterable of Attachment
        Files embedded in the PDF.

    Returns
    -------
    bytes
        The PDF.
    """
    register_fonts()
    paper = Paper(str(paper).lower())
    index = PageIndex()
    pdf = b""
    for _ in range(3):  # until the pages printed equal the pages found (2 passes in practice)
        before = dict(index.pages)
        flowables = story(index)  # page numbers are read here, while building the flowables
        index.pages.clear()  # ...and found again by the marks while laying out
        pdf = _layout(flowables, paper, title, report_id)
        if index.pages == before:
            break
    items = list(attachments)
    if items:
        pdf = embed_attachments(pdf, items)
    if out is not None:
        Path(out).write_bytes(pdf)
    return pdf
