"""Table-cell text in reportlab: break lines at spaces, inside words only when one is too wide.

Shared by every PDF rfcheck writes (reports, dossier, customs record, lot): see
:class:`WordsFirst`; :func:`markup_escape`, text made safe for reportlab's markup; and
:func:`font_safe`, the characters the report font cannot draw written as escapes.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any, cast

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from .fonts import FONT, register_fonts

__all__ = ["WordsFirst", "font_safe", "markup_escape", "paragraph"]


@functools.cache
def _drawable() -> frozenset[int]:
    """Code points the report's body face has a glyph for."""
    register_fonts()
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\u{n:04x}" if n <= 0xFFFF else f"\\U{n:08x}"


def font_safe(text: str) -> str:
    r"""Return ``text`` with each character the report font has no glyph for as an escape.

    The PDF faces (DejaVu) have no CJK ideographs and no emoji: reportlab draws nothing for
    them, so a manufacturer's name in Chinese would vanish from a record without a trace.
    Such a character is written as ``\uXXXX`` (``\UXXXXXXXX`` beyond U+FFFF), as
    :func:`rfcheck.textsafe.printable` writes control characters: visible, and recoverable.
    """
    if text.isascii():
        return text
    ok = _drawable()
    return "".join(ch if ch.isascii() or ord(ch) in ok else _escape(ch) for ch in text)


def markup_escape(text: str, *, quotes: bool = False) -> str:
    """Return ``text`` with ``&``, ``<`` and ``>`` (and with ``quotes``, ``"`` and ``'``) escaped.

    What ``xml.sax.saxutils.escape`` returns (with the quote entities ``&quot;`` and
    ``&#39;``), without importing it: it imports ``urllib.request``, ``http.client`` and
    ``email`` (~40 ms of every dossier worker's start). Characters the report font cannot
    draw are written as escapes (:func:`font_safe`).
    """
    text = font_safe(text)
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    if quotes:
        text = text.replace('"', "&quot;").replace("'", "&#39;")
    return text


class WordsFirst(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph in a character-wrapping style that breaks at spaces when its words fit.

    A style with ``wordWrap="CJK"`` lets a long path or hash break anywhere, but it also broke
    numbers and units mid-token at a column's edge ("1000.00-5000.0 / 0 MHz", "Limit [ dBµV/
    m]"). This paragraph wraps at spaces, as plain text does, whenever every word fits the
    width it is given, and breaks inside words only when one does not.
    """

    def __init__(self, text: Any, style: ParagraphStyle, **kw: Any) -> None:
        super().__init__(text, style, **kw)
        self._char_style: ParagraphStyle = cast(ParagraphStyle, self.__dict__["style"])
        self._longest_word_pt = _longest_word_pt(self.frags)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Choose the wrapping for ``avail_width`` [pt], then wrap as reportlab does."""
        base = self._char_style
        room = avail_width - base.leftIndent - base.rightIndent
        self.style = _words_style(base) if self._longest_word_pt <= room else base
        return cast(tuple[float, float], super().wrap(avail_width, avail_height))


def _longest_word_pt(frags: Any) -> float:
    """Return the width [pt] of the widest space-separated word of the fragments.

    Infinite (break anywhere) for fragments that are not text fragments (the line lists a
    split paragraph is made of).
    """
    widest = 0.0
    try:
        for f in frags:
            for word in f.text.split():
                widest = max(widest, pdfmetrics.stringWidth(word, f.fontName, f.fontSize))
    except (AttributeError, TypeError, KeyError):
        return float("inf")
    return widest


#: The word-wrapping twin of each character-wrapping style.
_WORD_STYLES: weakref.WeakKeyDictionary[ParagraphStyle, ParagraphStyle] = (
    weakref.WeakKeyDictionary()
)


def _words_style(style: ParagraphStyle) -> ParagraphStyle:
    twin = _WORD_STYLES.get(style)
    if twin is None:
        twin = ParagraphStyle(f"{style.name}-words", parent=style, wordWrap=None)
        _WORD_STYLES[style] = twin
    return twin


def paragraph(text: Any, style: ParagraphStyle, **kw: Any) -> Paragraph:
    """Return a :class:`Paragraph`, a :class:`WordsFirst` in a character-wrapping style."""
    cls = WordsFirst if style.wordWrap == "CJK" else Paragraph
    return cls(text, style, **kw)
