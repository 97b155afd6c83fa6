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
capture to capture. With overlays, the other artists are drawn one by one in the order the
axes draw them. The first time an overlay is reached (per frame and overlay key), the pixels
of its box are kept, it is drawn, and its box is kept again. Later, the pixels of its box are
compared with the ones kept before it was drawn: when they are the same (what lies under it
is what lay under it then: the frame, and the axes' spines next to a text placed on them),
drawing the overlay would give what it gave then, so its box is put back; when they differ
(a trace passing under a legend), it is drawn as any other artist (and the kept pixels are
replaced when its box holds the frame's alone). Either way the image is the full draw's,
pixel for pixel.
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
from matplotlib.image import AxesImage
from matplotlib.transforms import Bbox
from numpy.typing import NDArray

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


def _pixel_box(box: Bbox, shape: tuple[int, ...]) -> Bbox:
    """Return ``box`` widened by :data:`OVERLAY_MARGIN_PX`, out to whole pixels, on the canvas.

    ``shape`` is the canvas's pixel array's (rows, columns, ...).
    """
    m = OVERLAY_MARGIN_PX
    height, width = shape[0], shape[1]
    return Bbox.from_extents(
        min(max(math.floor(box.x0 - m), 0), width),
        min(max(math.floor(box.y0 - m), 0), height),
        min(max(math.ceil(box.x1 + m), 0), width),
        min(max(math.ceil(box.y1 + m), 0), height),
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
        # by frame and overlay key: its box, the pixels under it, and its pixels drawn on them
        self._overlays: OrderedDict[Hashable, tuple[Bbox, NDArray[np.uint8], Any]] = OrderedDict()
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
        if overlays and _drawn_as_listed(fig, axes, content):
            by_axes = [s[1] for s in split if s is not None]
            self._draw_in_order(renderer, axes, by_axes, key, overlays)
        else:
            with _hidden(frame):
                fig.draw(renderer)
        return np.asarray(canvas.buffer_rgba())

    def _draw_in_order(
        self,
        renderer: RendererBase,
        axes: Sequence[Axes],
        content: Sequence[Sequence[Artist]],
        frame_key: Hashable,
        overlays: Sequence[Overlay],
    ) -> None:
        """Draw each axes' ``content`` as :meth:`Axes.draw` would, overlays from the cache."""
        frame_px = np.asarray(self._regions[frame_key])  # the frame's pixels (a view)
        canvas_px = np.asarray(cast(Any, renderer).buffer_rgba())
        same_size = frame_px.shape == canvas_px.shape
        by_artist = {id(ov.artist): ov for ov in overlays} if same_size else {}
        for ax, artists in zip(axes, content, strict=True):
            ax.apply_aspect()
            cast(Any, ax)._update_title_position(renderer)  # as Axes.draw does first
            for a in artists:
                ov = by_artist.get(id(a))
                if ov is None or not self._put_back(renderer, ov, frame_key, frame_px, canvas_px):
                    a.draw(renderer)
            ax.stale = False

    def _put_back(
        self,
        renderer: RendererBase,
        ov: Overlay,
        frame_key: Hashable,
        frame_px: NDArray[np.uint8],
        canvas_px: NDArray[np.uint8],
    ) -> bool:
        """Draw ``ov``, from the cache when its box holds what it held then; return True if so.

        Returns False (nothing drawn) when its box holds something else than what it held the
        time it was cached and other than the frame alone: it is drawn in its turn.
        """
        key = (frame_key, ov.key)
        kept = self._overlays.get(key)
        box = kept[0] if kept is not None else _pixel_box(ov.extent(renderer), canvas_px.shape)
        height = canvas_px.shape[0]
        rows = slice(height - int(box.y1), height - int(box.y0))
        cols = slice(int(box.x0), int(box.x1))
        under = canvas_px[rows, cols]
        if kept is not None and np.array_equal(under, kept[1]):
            self.overlay_hits += 1
            self._overlays.move_to_end(key)
            cast(Any, renderer).restore_region(kept[2])
            return True
        if kept is not None and not np.array_equal(under, frame_px[rows, cols]):
            return False  # something under it: drawn in its turn, the cache left as it is
        self.overlay_misses += kept is None
        before = under.copy()
        ov.artist.draw(renderer)
        self._overlays[key] = (box, before, cast(Any, renderer).copy_from_bbox(box))
        self._overlays.move_to_end(key)
        while len(self._overlays) > MAX_OVERLAYS:
            self._overlays.popitem(last=False)
        return True


def _drawn_as_listed(fig: Figure, axes: Sequence[Axes], content: Sequence[Artist]) -> bool:
    """Return True when drawing ``content`` one by one, axes after axes, is ``fig.draw``.

    The figure holds only ``axes`` (and its patch), each visible with its axis and frame on
    and no layout engine or axes locator; no artist is an image, rasterized or animated.
    """
    skip = {id(fig.patch), *(id(a) for a in axes)}
    if any(id(a) not in skip and a.get_visible() for a in fig.get_children()):
        return False
    if fig.get_layout_engine() is not None:
        return False
    if not all(
        ax.get_visible() and ax.axison and ax.get_frame_on() and ax.get_axes_locator() is None
        for ax in axes
    ):
        return False
    return not any(
        isinstance(a, AxesImage) or a.get_rasterized() or a.get_animated() for a in content
    )
