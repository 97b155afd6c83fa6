"""Agg text drawn glyph by glyph as matplotlib draws it, with less work per glyph.

matplotlib 3.11's Agg renderer lays a string out with FreeType (``FT2Font._layout``, about
12 µs a character) at every draw, then for every glyph sets the font size again and builds
its rotation matrix with numpy (about 9 µs a glyph) before rendering it. A margin plot draws
some 200 glyphs (the title, the worst-point box, the margin labels). :class:`GlyphRendererAgg`
draws the same glyphs with the same FreeType calls and arguments, so the same pixels
(``tests/report/test_plot_rendering.py`` compares with matplotlib's own renderer): the
matrix is built once per text, the size set once per font, and each string's layout kept
(the tick labels and repeated margin labels are laid out once per renderer).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, cast

import numpy as np
from matplotlib.backend_bases import GraphicsContextBase
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import RenderMode
from matplotlib.text import Text

__all__ = ["GlyphRendererAgg"]

#: Layouts kept per renderer (each a few hundred bytes).
MAX_LAYOUTS = 512


class GlyphRendererAgg(RendererAgg):
    """An Agg renderer drawing plain text with matplotlib's glyph calls, done leaner."""

    def __init__(self, width: float, height: float, dpi: float) -> None:
        cast(Any, super()).__init__(width, height, dpi)  # unannotated in matplotlib
        self._layouts: OrderedDict[Hashable, list[Any]] = OrderedDict()

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
        """Draw ``s`` as :meth:`RendererAgg.draw_text` does (mathtext: by it)."""
        if ismath:
            cast(Any, super()).draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        font = cast(Any, self)._prepare_font(prop)
        flags = cast(Any, get_hinting_flag)()  # unannotated in matplotlib
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        size = prop.get_size_in_points()
        key = (font.fname, id(font), size, self.dpi, s, flags, repr(features), repr(language))
        items = self._layouts.get(key)
        if items is None:
            items = font._layout(s, flags=flags, features=features, language=language)
            self._layouts[key] = items
            while len(self._layouts) > MAX_LAYOUTS:
                self._layouts.popitem(last=False)
        else:
            self._layouts.move_to_end(key)
        self._draw_glyphs(gc, x, y, angle, items, size, flags)

    def _draw_glyphs(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        angle: float,
        items: list[Any],
        size: float,
        flags: Any,
    ) -> None:
        """Render each laid-out glyph: ``RendererAgg._draw_text_glyphs_and_boxes``'s steps."""
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        # what matplotlib computes per glyph, the same for every glyph of a string (extend 1,
        # slant 0)
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[1, 0], [0, 1]]).round()
        matrix = matrix.astype(int)
        mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
        sized: set[int] = set()
        for item in items:
            ft = item.ft_object
            if id(ft) not in sized:
                ft.set_size(size, self.dpi)
                sized.add(id(ft))
            dx, dy = item.x, item.y
            ft._set_transform(
                matrix,
                [
                    round(0x40 * (x + dx * cos - dy * sin)),
                    round(0x40 * (self.height - y + dx * sin + dy * cos)),
                ],
            )
            bitmap = ft._render_glyph(item.glyph_index, flags, mode)
            buffer = bitmap.buffer
            if not gc.get_antialiased():
                buffer *= 0xFF
            cast(Any, self)._renderer.draw_text_image(
                buffer, bitmap.left, int(self.height) - bitmap.top + buffer.shape[0], 0, gc
            )
