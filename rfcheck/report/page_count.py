"""Page numbers, "page N of M", on every PDF rfcheck writes (check, dossier, lot, compare).

The total is known only when the last page is laid out, so :class:`PageCountCanvas` keeps
each finished page until ``save()`` and then draws its furniture with the total
(:meth:`PageCountCanvas.furniture`; by default only the page number, bottom right). A
renderer that draws more furniture (header rules, the report id) overrides the hook; one
that draws its own furniture per page (``onPage``) passes this canvas as ``canvasmaker``
and leaves the page number to it.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .fonts import BOLD, MUTED, register_fonts

__all__ = ["page_of", "PageCountCanvas"]

#: Where the page number stands: from the right page edge, and from the bottom. [pt]
PAGE_NUMBER_RIGHT_PT = 18 * mm
PAGE_NUMBER_BOTTOM_PT = 10 * mm


def page_of(page: int, total: int) -> str:
    """Return the page number as every rfcheck PDF prints it (``page 3 of 17``)."""
    return f"page {page} of {total}"


# reportlab ships no type hints, so Canvas is Any; subclassing it is the documented way to
# draw page furniture after the last page is known.
class PageCountCanvas(Canvas):  # type: ignore[misc]
    """Canvas that draws each page's furniture at ``save()``, when the page total is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        register_fonts()  # the page number's face, embedded
        super().__init__(*args, **kwargs)
        self._kept_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab API
        """Keep the finished page; it is drawn at :meth:`save`."""
        self._kept_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draw every kept page with its furniture, then write the PDF."""
        total = len(self._kept_pages)
        for state in self._kept_pages:
            self.__dict__.update(state)
            self.furniture(total)
            super().showPage()
        super().save()

    def furniture(self, total: int) -> None:
        """Draw this page's furniture: ``page N of M``, bottom right."""
        self.draw_page_number(total)

    def draw_page_number(self, total: int) -> None:
        """Draw ``page N of M`` at the bottom right of the page."""
        w, _ = self._pagesize
        self.saveState()
        self.setFillColor(MUTED)
        self.setFont(BOLD, 7.5)
        self.drawRightString(
            w - PAGE_NUMBER_RIGHT_PT, PAGE_NUMBER_BOTTOM_PT, page_of(self._pageNumber, total)
        )
        self.restoreState()
