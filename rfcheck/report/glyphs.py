"""An Agg renderer that keeps text layouts and glyph bitmaps from one drawing to the next.

Matplotlib (3.11) draws a text by shaping it (``FT2Font._layout``) and rendering each glyph
with FreeType at its sub-pixel position, every time. A plot drawn capture after capture
draws mostly the same strings and always the same glyphs, so :class:`GlyphRenderer` keeps
each string's layout (by string, font, size and resolution) and each glyph's bitmap (by
font, size, resolution, glyph, rotation and the sub-pixel part of its position, 1/64 px):
FreeType's bitmap of a glyph moved by whole pixels is the same bitmap, moved. The pixels are
those of :class:`~matplotlib.backends.backend_agg.RendererAgg` (test: byte-identical
images); where matplotlib does not draw text this way (mathtext, another version's
internals) the renderer draws as matplotlib does.
"""

from __future__ import annotations

import math
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib import ft2font
from matplotlib.backend_bases import GraphicsContextBase
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

__all__ = ["MAX_GLYPHS", "SUPPORTED", "GlyphRenderer"]

_RENDER_MODE: Any = getattr(ft2font, "RenderMode", None)  # matplotlib >= 3.11
#: Glyph bitmaps and layouts kept per renderer (each set cleared when full).
MAX_GLYPHS = 20_000
#: Matplotlib draws text glyph by glyph (3.11): what this renderer repeats from its cache.
SUPPORTED = (
    all(
        hasattr(cls, name)
        for cls, name in (
            (RendererAgg, "_draw_text_glyphs_and_boxes"),
            (RendererAgg, "_prepare_font"),
            (FT2Font, "_layout"),
            (FT2Font, "_render_glyph"),
            (FT2Font, "_set_transform"),
            (Text, "get_fontfeatures"),
            (Text, "get_language"),
        )
    )
    and _RENDER_MODE is not None
)


def _hashable(value: Any) -> Any:
    """Return ``value`` with its lists as tuples (font features and language spans)."""
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    return value


def _font_key(prop: FontProperties) -> tuple[Any, ...]:
    """Return the font files a text is set in (with fallbacks), its size and hinting."""
    files = fontManager._find_fonts_by_props(prop)  # what RendererAgg._prepare_font opens
    return (
        tuple(str(f) for f in files),
        prop.get_size_in_points(),
        mpl.rcParams["text.hinting_factor"],
        mpl.rcParams["text.kerning_factor"],
    )


class GlyphRenderer(RendererAgg):
    """A :class:`~matplotlib.backends.backend_agg.RendererAgg` drawing texts from kept glyphs."""

    def __init__(self, width: float, height: float, dpi: float) -> None:
        cast(Any, super()).__init__(width, height, dpi)  # unannotated in matplotlib
        self._layouts: dict[tuple[Any, ...], tuple[tuple[FT2Font, int, float, float], ...]] = {}
        self._glyphs: dict[tuple[Any, ...], tuple[np.ndarray, int, int]] = {}

    def draw_text(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: bool | str = False,
        mtext: Text | None = None,
    ) -> None:
        """Draw ``s`` as :meth:`RendererAgg.draw_text` does, from kept layouts and glyphs."""
        if ismath or not SUPPORTED:
            cast(Any, super()).draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        flags = cast(Any, get_hinting_flag)()
        size = prop.get_size_in_points()
        items = self._layout(s, prop, flags, mtext)
        rad = math.radians(angle)
        cos, sin = math.cos(rad), math.sin(rad)
        # the glyph transform matplotlib sets (no slant, no extension), in 16.16 fixed point
        matrix = (
            round(0x10000 * cos),
            round(0x10000 * -sin),
            round(0x10000 * sin),
            round(0x10000 * cos),
        )
        aa = bool(gc.get_antialiased())
        base = (size, self.dpi, mpl.rcParams["text.hinting_factor"], flags, matrix, aa)
        for font, glyph, dx, dy in items:  # dy is upwards
            tx = round(0x40 * (x + dx * cos - dy * sin))
            ty = round(0x40 * (self.height - y + dx * sin + dy * cos))  # FreeType's y is upwards
            key = (font, glyph, tx & 63, ty & 63, base)
            kept = self._glyphs.get(key)
            if kept is None:
                kept = self._render(font, glyph, tx, ty, size, flags, matrix, aa)
                if len(self._glyphs) >= MAX_GLYPHS:
                    self._glyphs.clear()
                self._glyphs[key] = kept
            buffer, left, top = kept
            # draw_text_image's y is downwards, at the bitmap's bottom side
            self._renderer.draw_text_image(
                buffer,
                left + (tx >> 6),
                int(self.height) - (top + (ty >> 6)) + buffer.shape[0],
                0,
                gc,
            )

    def _layout(
        self, s: str, prop: FontProperties, flags: Any, mtext: Text | None
    ) -> tuple[tuple[FT2Font, int, float, float], ...]:
        """Return each glyph of ``s``: its font, index and position (kept by string and font)."""
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, _font_key(prop), self.dpi, flags, _hashable(features), _hashable(language))
        items = self._layouts.get(key)
        if items is None:
            font = cast(Any, self)._prepare_font(prop)
            laid = font._layout(s, flags=flags, features=features, language=language)
            items = tuple((i.ft_object, i.glyph_index, i.x, i.y) for i in laid)
            if len(self._layouts) >= MAX_GLYPHS:
                self._layouts.clear()
            self._layouts[key] = items
        return items

    def _render(
        self,
        font: FT2Font,
        glyph: int,
        tx: int,
        ty: int,
        size: float,
        flags: Any,
        matrix: tuple[int, int, int, int],
        aa: bool,
    ) -> tuple[np.ndarray, int, int]:
        """Render one glyph at ``(tx, ty)`` [1/64 px]; return its bitmap and its offsets.

        The offsets are the bitmap's left and top sides less the whole pixels of the
        position. [pixel]
        """
        ft = cast(Any, font)  # the private glyph calls RendererAgg makes (matplotlib 3.11)
        ft.set_size(size, self.dpi)
        ft._set_transform(np.array([[matrix[0], matrix[1]], [matrix[2], matrix[3]]]), [tx, ty])
        mode = _RENDER_MODE.NORMAL if aa else _RENDER_MODE.MONO
        bitmap = ft._render_glyph(glyph, flags, mode)
        buffer = np.array(bitmap.buffer, copy=True)  # FreeType's slot is overwritten next
        if not aa:
            buffer *= 0xFF
        return buffer, bitmap.left - (tx >> 6), bitmap.top - (ty >> 6)
