"""PDF text in reportlab: break lines at spaces, inside words only when one is too wide.

A word wider than its column (a path, a file name) breaks after a path separator, underscore
or hyphen, and at a character only where one part alone is wider than the column: in table
cells (character-wrapping styles) and in headings and body text (word-wrapping styles, where
reportlab cut such a word at the column's edge).

Shared by every PDF rfcheck writes (reports, dossier, customs record, lot): see
:class:`WordsFirst`; :func:`markup_escape`, text made safe for reportlab's markup; and
:func:`font_safe`, the characters the report font cannot draw written as escapes.
"""

from __future__ import annotations

import functools
import re
import weakref
from typing import Any, cast

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

from ..textsafe import printable
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
    ``email`` (~40 ms of every dossier worker's start). Control, bidi and invisible
    characters are written as escapes (:func:`rfcheck.textsafe.printable`; line feeds are
    kept, the caller turns them into breaks): a unit named ``u\u202e1`` must not reverse a
    heading. Characters the report font cannot draw are written as escapes too
    (:func:`font_safe`).
    """
    text = font_safe(printable(text, keep_newlines=True))
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    if quotes:
        text = text.replace('"', "&quot;").replace("'", "&#39;")
    return text


class WordsFirst(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph that breaks at spaces when its words fit, else inside names at separators.

    A style with ``wordWrap="CJK"`` lets a long path or hash break anywhere, but it also broke
    numbers and units mid-token at a column's edge ("1000.00-5000.0 / 0 MHz", "Limit [ dBµV/
    m]"); a word-wrapping style cut a word wider than the column at its edge. This paragraph
    wraps at spaces, as plain text does, whenever every word fits the width it is given, and
    breaks inside words only when one does not: after a path separator, underscore or hyphen
    where it can (:meth:`breakLinesCJK`).
    """

    def __init__(self, text: Any, style: ParagraphStyle, **kw: Any) -> None:
        super().__init__(text, style, **kw)
        given = cast(ParagraphStyle, self.__dict__["style"])
        self._word_style = _twin(given, None) if given.wordWrap == "CJK" else given
        self._char_style = given if given.wordWrap == "CJK" else _twin(given, "CJK")
        self._longest_word_pt = _longest_word_pt(self.frags)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Choose the wrapping for ``avail_width`` [pt], then wrap as reportlab does.

        Wrapped again at the width it was last wrapped at, nothing changed since, it keeps
        that wrapping (reportlab's ``wrap`` reads only the width, the style and the
        fragments): a table wraps each cell to size its row, then again to draw it, and
        each wrap broke the lines anew (half of a dossier PDF's ~1,500 wraps).
        """
        base = self._char_style
        room = avail_width - base.leftIndent - base.rightIndent
        style = self._word_style if self._longest_word_pt <= room else base
        state = self.__dict__
        last = state.get("_wrapped")
        if (
            last is not None
            and last[0] == avail_width
            and last[1] is style is state.get("style")
            and last[2] is state.get("frags")
            and last[3] is state.get("blPara")
        ):
            self.width, self.height = last[4]
            return cast(tuple[float, float], last[4])
        self.style = style
        size = super().wrap(avail_width, avail_height)
        if avail_width >= _FUZZ:  # else reportlab wrapped nothing: nothing to keep
            state["_wrapped"] = (avail_width, style, state.get("frags"), state.get("blPara"), size)
        return cast(tuple[float, float], size)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # reportlab API
        """Split at a frame's foot; every part wraps as this paragraph did.

        A part is made of this paragraph's broken lines, whose words :func:`_longest_word_pt`
        cannot measure: it took the part for one with a word wider than any column and
        re-broke the word-wrapped lines by characters, which joins their words without their
        spaces ("bound(e.g.peakagainstaquasi-peakline)" on the next page). The
        parts keep this paragraph's styles and longest word, so they choose as it chose.
        """
        parts = cast(list[Any], super().split(availWidth, availHeight))
        for part in parts:
            if isinstance(part, WordsFirst) and part is not self:
                part._word_style = self._word_style
                part._char_style = self._char_style
                part._longest_word_pt = self._longest_word_pt
        return parts

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # reportlab API
        """Break the lines at spaces, and inside a too-wide name after ``/``, ``_`` or ``-``.

        reportlab's character wrapping cuts a name at whatever character meets the column's
        edge (``unit01_L`` / ``1.csv``). Here a line ends at its last space; a word wider than
        the column may also end a line after a path separator (either slash), underscore or
        hyphen; only a part (between those) that is wider than the column by itself is cut
        at a character. Fragments that are not plain text (images, bullets, leader dots)
        and the parts of a split paragraph keep reportlab's wrapping.
        """
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        frags = self.frags
        plain = all(hasattr(f, "text") and not hasattr(f, "cbDefn") for f in frags)
        if not frags or not plain or self.bulletText or self.style.endDots:
            return super().breakLinesCJK(maxWidths)
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return super().breakLinesCJK(maxWidths)
        self.height = 0
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        calc_bounds = auto not in ("", "off")
        # a table sizes its cells by wrapping them several times at one width: break once
        key = (tuple(widths), calc_bounds)
        done: dict[tuple[tuple[float, ...], bool], Any] = self.__dict__.setdefault("_lines", {})
        if key not in done:
            done[key] = _name_lines(frags, widths, calc_bounds)
        return done[key]


def _longest_word_pt(frags: Any) -> float:
    """Return the width [pt] of the widest space-separated word of the fragments.

    Infinite (break anywhere) for fragments that are not text fragments (the line lists a
    split paragraph is made of).
    """
    widest = word = 0.0  # a word runs on across fragments: markup splits ``&lt;b&gt;`` in three
    try:
        for f in frags:
            if hasattr(f, "lineBreak"):
                word = 0.0
            for part in _SPACES.split(f.text):
                if not part:
                    continue
                if part.isspace():
                    word = 0.0
                    continue
                word += pdfmetrics.stringWidth(part, f.fontName, f.fontSize)
                widest = max(widest, word)
    except (AttributeError, TypeError, KeyError):
        return float("inf")
    return widest


#: Runs of white space, kept by :func:`re.split` (a word ends at one).
_SPACES = re.compile(r"(\s+)")


#: Where a name wider than its column may end a line: after a path separator, an underscore,
#: a hyphen (file names: ``conducted/rig_L1_150k-30M.csv``) or a tag's ``>`` (a model named
#: ``<script>alert(1)</script>`` breaks after ``<script>``, not inside it).
_NAME_BREAKS = frozenset("/\\_->")


def _name_lines(frags: Any, max_widths: list[float], calc_bounds: bool) -> Any:
    """Return the lines of ``frags`` as :meth:`WordsFirst.breakLinesCJK` breaks them.

    reportlab's :func:`~reportlab.platypus.paragraph.cjkFragSplit`, with other break points:
    after the last space that fits; else after the last :data:`_NAME_BREAKS` character of a
    word wider than the column; else at the column's edge. A space at the edge hangs there.
    """
    glyphs: list[Any] = []
    for f in frags:  # an empty fragment (a <br/>) stays: it ends its line
        glyphs.extend([cjkU(ch, f, "utf8") for ch in f.text] if f.text else [cjkU("", f, "utf8")])
    inside = _name_break_points(glyphs, max_widths[0])
    lines: list[Any] = []
    start = 0
    while start < len(glyphs):
        max_w = max_widths[min(len(lines), len(max_widths) - 1)]
        end, forced = _line_end(glyphs, start, max_w, inside)
        shown = glyphs[start:end]
        while shown and shown[-1].isspace():  # a hanging space takes no room
            shown = shown[:-1]
        width = sum(g.width for g in shown)
        lines.append(
            makeCJKParaLine(glyphs[start:end], max_w, width, max_w - width, forced, calc_bounds)
        )
        start = end
    return ParaLines(kind=1, lines=lines)


def _name_break_points(glyphs: list[Any], max_w: float) -> set[int]:
    """Return the indices after which a too-wide word may break (its separators but a first)."""
    points: set[int] = set()
    word: list[int] = []
    for k, g in enumerate([*glyphs, None]):
        if g is not None and not g.isspace() and not hasattr(g.frag, "lineBreak"):
            word.append(k)
            continue
        if sum(glyphs[i].width for i in word) > max_w + _FUZZ:
            points.update(i for i in word[1:] if glyphs[i] in _NAME_BREAKS)
        word = []
    return points


def _line_end(glyphs: list[Any], start: int, max_w: float, inside: set[int]) -> tuple[int, bool]:
    """Return where the line starting at ``start`` ends (exclusive) and whether a <br/> ends it."""
    width = 0.0
    last = 0  # end of the line at the last break point met, 0: none yet
    end = start
    while end < len(glyphs):
        g = glyphs[end]
        if hasattr(g.frag, "lineBreak"):
            return end + 1, True
        over = width + g.width > max_w + _FUZZ
        if g.isspace():
            if over:
                return end + 1, False
            last = end + 1
        elif over and end > start:
            return (last if last > start else end), False
        elif end in inside:
            last = end + 1
        width += g.width
        end += 1
    return end, False


#: The word-wrapping twin of each character-wrapping style, and the reverse.
_TWINS: weakref.WeakKeyDictionary[ParagraphStyle, ParagraphStyle] = weakref.WeakKeyDictionary()


def _twin(style: ParagraphStyle, word_wrap: str | None) -> ParagraphStyle:
    """Return ``style`` with ``wordWrap=word_wrap`` (None: at spaces; ``"CJK"``: anywhere)."""
    twin = _TWINS.get(style)
    if twin is None:
        suffix = "words" if word_wrap is None else "names"
        twin = ParagraphStyle(f"{style.name}-{suffix}", parent=style, wordWrap=word_wrap)
        _TWINS[style] = twin
    return twin


def paragraph(text: Any, style: ParagraphStyle, **kw: Any) -> Paragraph:
    """Return a :class:`WordsFirst`; a plain :class:`Paragraph` for right-to-left styles.

    Every style wrapping at spaces (``wordWrap`` None) or anywhere (``"CJK"``) gets
    :class:`WordsFirst`'s line breaks.
    """
    cls = WordsFirst if style.wordWrap in (None, "CJK") else Paragraph
    return cls(text, style, **kw)
