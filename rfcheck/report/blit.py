"""Rendering a re-used figure over a cached background: its frame is drawn once per key.

A margin plot's frame (the figure and axes backgrounds, the axes with their ticks, tick labels,
grid and axis labels, the minor-tick artists, shaded bands) costs about a third of its
rendering and is the same for every capture that shares its size, limits and labels. A
:class:`BackgroundCache` renders the frame alone once per key (the caller's description of
everything the frame depends on), keeps Agg's pixels of it (``copy_from_bbox``), and for each
later rendering with that key restores them and draws only the other artists on top
(``restore_region``; matplotlib's "blitting").

The result is the image a full draw gives, pixel for pixel, when the frame artists are the
first ones each axes draws (the lowest z-order: :meth:`BackgroundCache.render` checks it and
draws in full otherwise) and the artists drawn after them in one axes do not overlap the
frame of the next axes (true of axes laid out apart, with their contents clipped to them).

An :class:`Overlay` (a legend, say) is drawn later than the frame but looks the same from
capture to capture. When nothing drawn before it touches its rectangle
(:func:`rfcheck.report.footprint.touches`), its pixels there are its own drawn over the frame:
they are rendered once per frame and overlay key, kept, and put back as the frame is; the
artist is then not drawn. Artists drawn after it are drawn over it as in a full draw. When
something drawn before it does touch it (a trace passing under a legend), it is drawn in
its turn as any other artist.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from numpy.typing import NDArray

from .footprint import Footprint, footprint

__all__ = ["BackgroundCache", "Overlay"]

#: Backgrounds kept (each is the whole canvas: 4.8 MB for a 7.5 x 6.2 in figure at 160 dpi).
MAX_BACKGROUNDS = 4
#: Overlay regions kept (a legend: ~0.1 MB).
MAX_OVERLAYS = 32
#: Added around an overlay's extent: antialiasing and snapping. [pixel]
OVERLAY_MARGIN_PX = 2.0


@dataclass(frozen=True)
class Overlay:
    """An artist whose pixels over the frame are the same for every capture with one key.

    Attributes
    ----------
    artist : Artist
        A child of one of the axes rendered (not of the frame).
    key : Hashable
        Everything its pixels depend on besides the frame (its texts, styles, anchor).
    extent : callable
        ``extent(renderer)``: a box holding everything the artist draws, half its outer
        line width included, in display coordinates [pixel] (widened here by
        :data:`OVERLAY_MARGIN_PX` and out to whole pixels).
    """

    artist: Artist
    key: Hashable
    extent: Callable[[RendererBase], Bbox]


def _pixel_box(box: Bbox) -> Bbox:
    """Return ``box`` widened by :data:`OVERLAY_MARGIN_PX` and out to whole pixels."""
    m = OVERLAY_MARGIN_PX
    return Bbox.from_extents(
        math.floor(box.x0 - m), math.floor(box.y0 - m), math.ceil(box.x1 + m), math.ceil(box.y1 + m)
    )


def _split(
    ax: Axes, is_frame: Callable[[Artist], bool]
) -> tuple[list[Artist], list[Artist]] | None:
    """Return ``ax``'s frame artists and the others, or None when the frame is not drawn first.

    The order is the one :meth:`matplotlib.axes.Axes.draw` uses (its patch, then the children
    sorted by z-order, a stable sort).
    """
    children = [a for a in ax.get_children() if a is not ax.patch]
    ordered = sorted(children, key=attrgetter("zorder"))
    flags = [is_frame(a) for a in ordered]
    n_frame = sum(flags)
    if not all(flags[:n_frame]):  # a frame artist drawn after another one
        return None
    return [ax.patch, *ordered[:n_frame]], ordered[n_frame:]


@contextmanager
def _hidden(artists: Sequence[Artist]) -> Iterator[None]:
    """Make ``artists`` invisible inside the block (their visibility restored after it)."""
    shown = [a for a in artists if a.get_visible()]
    for a in shown:
        a.set_visible(False)
    try:
        yield
    finally:
        for a in shown:
            a.set_visible(True)


class BackgroundCache:
    """Backgrounds of one figure, by key (the :data:`MAX_BACKGROUNDS` last used ones)."""

    def __init__(self) -> None:
        self._regions: OrderedDict[Hashable, Any] = OrderedDict()
        self._overlays: OrderedDict[Hashable, tuple[Bbox, Any]] = OrderedDict()
        self.hits = 0
        self.misses = 0
        self.overlay_hits = 0
        self.overlay_misses = 0

    def render(
        self,
        fig: Figure,
        axes: Sequence[Axes],
        is_frame: Callable[[Artist], bool],
        key: Hashable,
        overlays: Sequence[Overlay] = (),
    ) -> NDArray[np.uint8]:
        """Render ``fig`` on its Agg canvas; return the canvas's RGBA pixels (a view).

        Parameters
        ----------
        fig : Figure
            On an Agg canvas, at the resolution to render.
        axes : sequence of Axes
            The figure's axes, in drawing order, laid out apart.
        is_frame : callable
            True for an artist of the frame (the axes' patches always are).
        key : hashable
            Everything the frame's pixels depend on (canvas size and resolution, axes
            positions, limits, tick and axis labels, ...): equal keys, equal frames.
        overlays : sequence of Overlay
            Artists drawn from a cache when nothing drawn before them touches them.
        """
        canvas = cast(Any, fig.canvas)  # FigureCanvasAgg; unannotated in matplotlib
        split = [_split(ax, is_frame) for ax in axes]
        if any(s is None for s in split):
            canvas.draw()
            return np.asarray(canvas.buffer_rgba())
        frame = [fig.patch, *(a for s in split if s is not None for a in s[0])]
        content = [a for s in split if s is not None for a in s[1]]
        if overlays and _figure_children(fig, axes):
            overlays = ()  # artists of the figure itself: not placed in the order here
        region = self._regions.get(key)
        if region is None:
            self.misses += 1
            with _hidden(content):
                canvas.draw()
            region = canvas.get_renderer().copy_from_bbox(fig.bbox)
            self._regions[key] = region
            while len(self._regions) > MAX_BACKGROUNDS:
                self._regions.popitem(last=False)
        else:
            self.hits += 1
            self._regions.move_to_end(key)
        renderer = canvas.get_renderer()
        renderer.restore_region(region)
        cached = self._draw_overlays(renderer, key, content, overlays)
        with _hidden([*frame, *cached]):
            fig.draw(renderer)
        return np.asarray(canvas.buffer_rgba())

    def _draw_overlays(
        self,
        renderer: RendererBase,
        key: Hashable,
        content: Sequence[Artist],
        overlays: Sequence[Overlay],
    ) -> list[Artist]:
        """Put back (or draw and keep) each overlay nothing before it touches; return them.

        ``content`` is every artist drawn after the frame, in drawing order.
        """
        done: list[Artist] = []
        position = {id(a): i for i, a in enumerate(content)}
        measured: dict[int, Footprint] = {}

        def touches(artist: Artist, box: Bbox) -> bool:
            fp = measured.get(id(artist))
            if fp is None:
                fp = measured[id(artist)] = footprint(artist, renderer)
            return fp.touches(box)

        for ov in overlays:
            i = position.get(id(ov.artist))
            if i is None or not ov.artist.get_visible():
                continue
            okey = (key, ov.key)
            kept = self._overlays.get(okey)
            box = kept[0] if kept is not None else _pixel_box(ov.extent(renderer))
            if any(touches(a, box) for a in content[:i]):
                continue  # drawn in its turn
            if kept is None:
                self.overlay_misses += 1
                ov.artist.draw(renderer)
                self._overlays[okey] = (box, cast(Any, renderer).copy_from_bbox(box))
                while len(self._overlays) > MAX_OVERLAYS:
                    self._overlays.popitem(last=False)
            else:
                self.overlay_hits += 1
                self._overlays.move_to_end(okey)
                cast(Any, renderer).restore_region(kept[1])
            done.append(ov.artist)
        return done


def _figure_children(fig: Figure, axes: Sequence[Axes]) -> list[Artist]:
    """Return the figure's visible children other than its patch and ``axes``."""
    skip = {id(fig.patch), *(id(a) for a in axes)}
    return [a for a in fig.get_children() if id(a) not in skip and a.get_visible()]
