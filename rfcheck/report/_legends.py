"""The legends of a re-used plot figure: kept while they list the same, cached by their look.

:func:`legend_of` gives an axes the legend of its labelled artists, keeping the one already
there when it would list the same entries drawn the same way (a re-used figure, capture after
capture: building and measuring a legend costs more than a millisecond). :func:`legend_key`
says what a legend's pixels depend on besides the axes' frame, and :func:`legend_extent` the
box it draws in: :class:`rfcheck.report.blit.Overlay` puts a legend's pixels back by them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, cast

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

__all__ = ["legend_box", "legend_extent", "legend_key", "legend_of", "line_style"]


def line_style(line: Line2D) -> tuple[Any, ...]:
    """Return every property of a line that its legend entry's pixels depend on."""
    return (
        line.get_color(),
        line.get_alpha(),
        line.get_linestyle(),
        tuple(cast(Any, line)._dash_pattern[1] or ()),  # the scaled dashes Agg draws
        line.get_linewidth(),
        line.get_drawstyle(),
        line.get_marker(),
        line.get_markersize(),
        line.get_markerfacecolor(),
        line.get_markeredgecolor(),
        line.get_markeredgewidth(),
        line.get_fillstyle(),
        line.get_antialiased(),
        line.get_solid_capstyle(),
        line.get_solid_joinstyle(),
        line.get_dash_capstyle(),
        line.get_dash_joinstyle(),
        line.get_visible(),
    )


# What each legend on a re-used figure lists, and how: kept while the next capture's is the same.
_LEGENDS: weakref.WeakKeyDictionary[Legend, Hashable] = weakref.WeakKeyDictionary()
_LEGEND_RC = tuple(k for k in mpl.rcParams if k.startswith("legend."))


def legend_of(ax: Axes, **options: Any) -> Legend | None:
    """Give ``ax`` a legend of its labelled artists; return it (None: nothing to list).

    The legend already on ``ax`` is kept when it lists the same entries drawn the same way
    with the same options (a re-used figure, capture after capture): building and measuring
    one costs more than a millisecond.
    """
    handles, labels = ax.get_legend_handles_labels()
    old = ax.get_legend()
    if not handles:
        if old is not None:
            old.remove()
        return None
    key: Hashable = None
    if all(isinstance(h, Line2D) for h in handles):
        rc = tuple(str(mpl.rcParams[k]) for k in _LEGEND_RC)
        styles = tuple(line_style(cast(Line2D, h)) for h in handles)
        key = (tuple(labels), styles, tuple(sorted(options.items())), rc)
    if old is not None and key is not None and _LEGENDS.get(old) == key:
        return old
    legend = ax.legend(handles, labels, **options)
    if key is not None:
        _LEGENDS[legend] = key
    return legend


def legend_key(legend: Legend) -> tuple[Any, ...] | None:
    """Return what a legend's pixels depend on besides its axes' frame, or None.

    Its entries (texts, their font and colour, each handle's style), its frame and its
    placement options; None when a handle is not a line (not described here).
    """
    handles = legend.legend_handles
    if not all(isinstance(h, Line2D) for h in handles):
        return None
    frame = cast(Any, legend.get_frame())  # a FancyBboxPatch (typed as a Rectangle)
    texts = tuple(
        (t.get_text(), t.get_color(), t.get_fontproperties(), t.get_visible())
        for t in legend.get_texts()
    )
    return (
        texts,
        tuple(line_style(cast(Line2D, h)) for h in handles),
        cast(Any, legend)._loc,
        cast(Any, legend)._ncols,
        legend.borderpad,
        legend.labelspacing,
        legend.handlelength,
        legend.handletextpad,
        legend.columnspacing,
        legend.borderaxespad,
        legend.markerscale,
        legend.numpoints,
        frame.get_facecolor(),
        frame.get_edgecolor(),
        frame.get_linewidth(),
        type(frame.get_boxstyle()).__name__,
        tuple(sorted(vars(frame.get_boxstyle()).items())),
        legend.get_frame_on(),
        legend.shadow,
        legend.get_title().get_text(),
        legend.zorder,
    )


def legend_extent(legend: Legend) -> Callable[[RendererBase], Bbox]:
    """Return ``extent(renderer)`` of a legend: its box and half its frame's line width."""

    def extent(renderer: RendererBase) -> Bbox:
        box = legend.get_window_extent(renderer)
        width_px = cast(Any, renderer).points_to_pixels(legend.get_frame().get_linewidth())
        half = 0.5 * float(width_px)
        return Bbox.from_extents(box.x0 - half, box.y0 - half, box.x1 + half, box.y1 + half)

    return extent


# A kept legend's box on the canvas, by where its axes lie: measuring it lays out every entry.
_BOXES: weakref.WeakKeyDictionary[Legend, tuple[Hashable, Bbox]] = weakref.WeakKeyDictionary()


def legend_box(legend: Legend, renderer: RendererBase) -> Bbox:
    """Return ``legend.get_window_extent(renderer)``, measured once while it lies the same.

    A legend kept from capture to capture (:func:`legend_of`) is placed by its axes' box and
    the resolution alone (``loc`` and ``bbox_to_anchor`` in axes coordinates): while those
    are the same, so is its box.
    """
    ax = cast(Any, legend).axes
    anchor = cast(Any, legend).get_bbox_to_anchor()
    key = _LEGENDS.get(legend)
    where: Hashable = (
        tuple(ax.bbox.extents) if ax is not None else None,
        tuple(anchor.extents),
        float(cast(Any, renderer).points_to_pixels(1.0)),
        key,
    )
    kept = _BOXES.get(legend)
    if kept is not None and kept[0] == where and key is not None:
        return Bbox(kept[1].get_points().copy())
    box = legend.get_window_extent(renderer)
    _BOXES[legend] = (where, Bbox(box.get_points().copy()))
    return box
