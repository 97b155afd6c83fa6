"""Where an artist can change pixels on an Agg canvas: a conservative footprint.

:func:`footprint` measures once where drawing an artist may change pixels, from its geometry
in display pixels, widened by half its line width, one pixel of antialiasing and half a
pixel of snapping, and cut to its clip box; :meth:`Footprint.touches` then answers "may it
change a pixel of this rectangle?". It may say yes for an artist that leaves the rectangle
alone (the caller then draws it as usual); it says no only when the artist cannot reach the
rectangle. :mod:`rfcheck.report.blit` uses it to decide whether an artist's pixels over the
cached frame can be cached too.

Lines are kept segment by segment (a noisy trace passing under a legend, not its bounding
box); markers as squares of their full size around each point; texts by their layout and the
padding of their box; patches and anything else by their extent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backend_bases import RendererBase
from matplotlib.lines import Line2D
from matplotlib.patches import BoxStyle, Patch
from matplotlib.spines import Spine
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox
from numpy.typing import NDArray

__all__ = ["EVERYWHERE", "MARGIN_PX", "Footprint", "footprint"]

#: Added around every footprint: one pixel of antialiasing, half a pixel of snapping. [pixel]
MARGIN_PX = 1.5
_NO_LINE = ("None", "none", " ", "")
#: Text box styles that stay inside the text's extent widened by their padding.
_PADDED_BOXES = (BoxStyle.Square, BoxStyle.Round, BoxStyle.Round4)


@dataclass
class Footprint:
    """Where an artist may change pixels (display coordinates [pixel], margins included).

    Attributes
    ----------
    boxes : list of Bbox
        Rectangles it may paint anywhere in.
    lines : list of (ndarray, float)
        Polylines (``(n, 2)`` vertices, NaN breaks a line) and the distance from them it may
        paint.
    points : list of (ndarray, float)
        Points (``(n, 2)``, markers) and the distance from them it may paint.
    clip : Bbox or None
        Its clip box: nothing outside is painted.
    everywhere : bool
        Not measured: it may paint anywhere.
    """

    boxes: list[Bbox] = field(default_factory=list)
    lines: list[tuple[NDArray[np.float64], float]] = field(default_factory=list)
    points: list[tuple[NDArray[np.float64], float]] = field(default_factory=list)
    clip: Bbox | None = None
    everywhere: bool = False

    def touches(self, rect: Bbox) -> bool:
        """Return False only when the artist cannot change a pixel inside ``rect``."""
        if self.everywhere:
            return True
        if self.clip is not None:
            cut = Bbox.intersection(rect, self.clip)
            if cut is None:
                return False
            rect = cut
        return (
            any(b.overlaps(rect) for b in self.boxes)
            or any(_points_touch(xy, rect, by) for xy, by in self.points)
            or any(_segments_touch(xy, rect, by) for xy, by in self.lines)
        )


#: The footprint of an artist that could not be measured.
EVERYWHERE = Footprint(everywhere=True)


def _widened(box: Bbox, by_px: float) -> Bbox:
    return Bbox.from_extents(box.x0 - by_px, box.y0 - by_px, box.x1 + by_px, box.y1 + by_px)


def _px(points: float, renderer: RendererBase) -> float:
    return float(cast(Any, renderer).points_to_pixels(points))  # ArrayLike in the stubs


def _points_touch(xy: NDArray[np.float64], rect: Bbox, by_px: float) -> bool:
    """Return True when a point of ``xy`` is within ``by_px`` of ``rect`` (NaN: none)."""
    return bool(
        np.any(
            (xy[:, 0] >= rect.x0 - by_px)
            & (xy[:, 0] <= rect.x1 + by_px)
            & (xy[:, 1] >= rect.y0 - by_px)
            & (xy[:, 1] <= rect.y1 + by_px)
        )
    )


def _segments_touch(xy: NDArray[np.float64], rect: Bbox, by_px: float) -> bool:
    """Return True when a segment of the polyline ``xy`` comes within ``by_px`` of ``rect``."""
    x0, y0, x1, y1 = rect.x0 - by_px, rect.y0 - by_px, rect.x1 + by_px, rect.y1 + by_px
    if xy.shape[0] == 1:
        return _points_touch(xy, rect, by_px)
    a, b = xy[:-1], xy[1:]
    near = (  # comparisons with NaN are False: a segment ending in a gap is not drawn
        (np.minimum(a[:, 0], b[:, 0]) <= x1)
        & (np.maximum(a[:, 0], b[:, 0]) >= x0)
        & (np.minimum(a[:, 1], b[:, 1]) <= y1)
        & (np.maximum(a[:, 1], b[:, 1]) >= y0)
    )
    if not near.any():
        return False
    a, b = a[near], b[near]
    d = b - a
    # the rectangle's corners on both sides of (or on) a segment's line: it crosses it
    s = np.stack(
        [d[:, 0] * (cy - a[:, 1]) - d[:, 1] * (cx - a[:, 0]) for cx in (x0, x1) for cy in (y0, y1)]
    )
    return bool(np.any(~((s > 0).all(axis=0) | (s < 0).all(axis=0))))


def _line(line: Line2D, renderer: RendererBase, fp: Footprint) -> None:
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    if xy.size == 0:
        return
    if line.get_drawstyle() not in ("default", None):  # steps: the extent of the points
        fp.boxes.append(Bbox.from_extents(*np.nanmin(xy, 0), *np.nanmax(xy, 0)))
        return
    if line.get_linestyle() not in _NO_LINE:
        fp.lines.append((xy, 0.5 * _px(line.get_linewidth(), renderer) + MARGIN_PX))
    if line.get_marker() not in (None, *_NO_LINE):
        # a marker lies within its size of its point (a triangle's corners reach 0.71 of it)
        reach = _px(line.get_markersize() + line.get_markeredgewidth(), renderer) + MARGIN_PX
        fp.points.append((xy, reach))


def _text(text: Text, renderer: RendererBase, fp: Footprint) -> None:
    if not text.get_text():
        return
    if isinstance(text, Annotation) and text.arrow_patch is not None:
        fp.everywhere = True  # an arrow: not measured here
        return
    box = text.get_window_extent(renderer)
    patch = text.get_bbox_patch()
    if patch is None:
        fp.boxes.append(_widened(box, MARGIN_PX))
        return
    style = patch.get_boxstyle()
    if not isinstance(style, _PADDED_BOXES):
        text.update_bbox_position_size(renderer)  # what drawing the text does first
        box = Bbox.union([box, patch.get_window_extent(renderer)])
        pad_pt = 0.0
    else:  # the box: the text's extent widened by pad x the font size (turned with it)
        turned = text.get_rotation() % 90 != 0
        pad_pt = (
            float(cast(Any, style).pad)
            * float(text.get_fontsize())
            * (math.sqrt(2) if turned else 1)
        )
    half = 0.5 * patch.get_linewidth()
    fp.boxes.append(_widened(box, _px(pad_pt + half, renderer) + MARGIN_PX))


def footprint(artist: Artist, renderer: RendererBase) -> Footprint:
    """Return where drawing ``artist`` may change pixels.

    Parameters
    ----------
    artist : Artist
        Placed in its figure (transforms current).
    renderer : RendererBase
        The renderer the figure is drawn with (its resolution measures texts and widths).
    """
    fp = Footprint()
    if not artist.get_visible():
        return fp
    clip = artist.get_clip_box() if artist.get_clip_on() else None
    fp.clip = None if clip is None else _widened(clip, 1.0)
    try:
        if isinstance(artist, Line2D):
            _line(artist, renderer, fp)
        elif isinstance(artist, Text):
            _text(artist, renderer, fp)
        elif isinstance(artist, Patch):
            if isinstance(artist, Spine):
                # placed as drawing places it (its own extent adds the ticks' room and
                # measures them, which is costly)
                cast(Any, artist)._adjust_location()
                box = Patch.get_window_extent(artist, renderer)
            else:
                box = artist.get_window_extent(renderer)
            fp.boxes.append(_widened(box, 0.5 * _px(artist.get_linewidth(), renderer) + MARGIN_PX))
        else:
            box = cast(Any, artist).get_window_extent(renderer)
            fp.boxes.append(_widened(box, _px(4.0, renderer) + MARGIN_PX))
    except (AttributeError, TypeError, ValueError, NotImplementedError):
        return EVERYWHERE  # cannot be measured: it may reach everywhere
    if any(not all(math.isfinite(v) for v in b.extents) for b in fp.boxes):
        return EVERYWHERE
    return fp
