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
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import NDArray

__all__ = ["BackgroundCache"]

#: Backgrounds kept (each is the whole canvas: 4.8 MB for a 7.5 x 6.2 in figure at 160 dpi).
MAX_BACKGROUNDS = 4


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
        self.hits = 0
        self.misses = 0

    def render(
        self,
        fig: Figure,
        axes: Sequence[Axes],
        is_frame: Callable[[Artist], bool],
        key: Hashable,
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
        with _hidden(frame):
            fig.draw(renderer)
        return np.asarray(canvas.buffer_rgba())
