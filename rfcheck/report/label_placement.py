"""Labels of points on a plot placed clear of each other, of the legend and inside the axes.

:func:`place_labels` gives each label (an :class:`~matplotlib.text.Annotation` of a point, in
priority order) its first free place measured on the drawn figure; :func:`draw_leaders`
draws a grey leader from each point up to its label. The margin plot's labels
(:mod:`rfcheck.report._labels`) and ``compare``'s delta labels (:mod:`rfcheck.lot.overlay_plot`)
use them. See ``docs/plots.md`` ("Margin labels").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox
from numpy.typing import NDArray

from ._legends import legend_box

__all__ = [
    "LABEL_GAP_PT",
    "LABEL_POINT_PT",
    "LABEL_TIERS",
    "LEADER_GAP_PT",
    "draw_leaders",
    "label_offset_pt",
    "leader_box",
    "line_paths",
    "marker_boxes",
    "place_labels",
]

_Align = Literal["left", "center", "right"]

#: Heights a label may sit at above its point, lowest first (tier 0 is 7 pt up). [tiers]
LABEL_TIERS = 4
#: Least gap between two labels, and between a label and what it must avoid. [pt]
LABEL_GAP_PT = 1.5
#: Half the side of the square kept clear around each labelled point (its marker). [pt]
LABEL_POINT_PT = 4.0
#: Horizontal placements tried at each height: centred on the point, then ending at it
#: (left of it), then starting at it (right of it); the leader meets the label's edge.
_ALIGNMENTS: tuple[_Align, ...] = ("center", "right", "left")
#: Beside the point, tried after the lowest height: (x offset [pt], alignment), the text's
#: foot :data:`_BESIDE_DY_PT` under the point, so the label's middle is level with it.
_BESIDE: tuple[tuple[float, _Align], ...] = ((7.0, "left"), (-7.0, "right"))
_BESIDE_DY_PT = -3.0


def _places(tiers: int = LABEL_TIERS) -> list[tuple[float, float, _Align]]:
    """Every place above or beside a point, in order: ``(x offset, y offset [pt], alignment)``."""
    above = [[(0.0, label_offset_pt(tier), ha) for ha in _ALIGNMENTS] for tier in range(tiers)]
    beside = [(dx, _BESIDE_DY_PT, ha) for dx, ha in _BESIDE]
    return [*above[0], *beside, *(p for tier in above[1:] for p in tier)]


def label_offset_pt(tier: int) -> float:
    """Return how far above its point a label of ``tier`` sits, to its text's foot [pt]."""
    return 7.0 + 10.0 * tier


class _RendererCanvas(Protocol):
    """A canvas with a renderer (``get_renderer`` is unannotated in matplotlib)."""

    def get_renderer(self) -> RendererBase:
        """Return the canvas's renderer."""
        ...


@dataclass
class _Obstacles:
    """What a label must keep clear of, in display coordinates [pixel].

    ``boxes``: rows ``(x0, y0, x1, y1)`` a label may not overlap (grown by the gap): the
    legend, the worst-point box, every marker, the labels and leaders placed so far.
    ``crossed``: the rows a leader may not cross (the legend, the box, the labels placed).
    ``paths``: the lines a label may not cross (the limit lines).
    """

    boxes: NDArray[np.float64]
    crossed: NDArray[np.float64]
    paths: list[Path]

    def add(self, box: Bbox, leader: Bbox | None) -> None:
        """Block a label placed at ``box`` (and its leader)."""
        rows = [box.extents] + ([leader.extents] if leader is not None else [])
        self.boxes = np.vstack([self.boxes, np.array(rows)])
        self.crossed = np.vstack([self.crossed, np.array([box.extents])])


def _hits(rows: NDArray[np.float64], box: Bbox) -> bool:
    """Return True when ``box`` overlaps any of ``rows`` (``x0, y0, x1, y1``; touching: no)."""
    if rows.size == 0:
        return False
    return bool(
        np.any(
            (rows[:, 0] < box.x1)
            & (rows[:, 2] > box.x0)
            & (rows[:, 1] < box.y1)
            & (rows[:, 3] > box.y0)
        )
    )


def marker_boxes(ax: Axes, renderer: RendererBase) -> NDArray[np.float64]:
    """Return a box ``(x0, y0, x1, y1)`` [pixel] around every marker drawn on ``ax``.

    Its half side is the marker's half size and half its edge width (a suspect's triangle,
    the worst point's ring), at least :data:`LABEL_POINT_PT`.
    """
    rows: list[NDArray[np.float64]] = []
    for line in ax.lines:
        marker = line.get_marker()
        if not line.get_visible() or marker in (None, "None", "none", "", " "):
            continue
        if line.get_label() == "_leader":
            continue
        x = np.asarray(line.get_xdata(), dtype=float)
        y = np.asarray(line.get_ydata(), dtype=float)
        if x.size == 0:
            continue
        xy = line.get_transform().transform(np.column_stack([x, y]))
        half_pt = max(
            0.5 * float(line.get_markersize()) + 0.5 * float(line.get_markeredgewidth()),
            LABEL_POINT_PT,
        )
        half = float(cast(float, renderer.points_to_pixels(half_pt)))
        rows.append(
            np.column_stack([xy[:, 0] - half, xy[:, 1] - half, xy[:, 0] + half, xy[:, 1] + half])
        )
    return np.vstack(rows) if rows else np.empty((0, 4))


def line_paths(lines: Sequence[Line2D]) -> list[Path]:
    """Return each line's path in display coordinates (what a label may not cross)."""
    out = []
    for line in lines:
        if not line.get_visible():
            continue
        x = np.asarray(line.get_xdata(), dtype=float)
        y = np.asarray(line.get_ydata(), dtype=float)
        if x.size >= 2:
            out.append(Path(line.get_transform().transform(np.column_stack([x, y]))))
    return out


def place_labels(
    fig: Figure,
    ax: Axes,
    labels: Sequence[Annotation],
    avoid: Sequence[Artist],
    lines: Sequence[Line2D] = (),
    required: int = 0,
) -> int:
    """Place each label clear of the others, inside ``ax`` and clear of ``avoid``.

    ``labels`` in priority order (the margin plot's: every line's worst point first). Each
    takes the first free place, measured on the drawn figure: just above its point (centred
    on it, else ending at it, else starting at it), else beside it (right, then left, without
    a leader), else higher up (:data:`LABEL_TIERS` heights in all, each as the first), else
    under it; the first ``required`` labels (a line's worst point) try more heights before
    they are given up. A place is free when the label's box, grown by :data:`LABEL_GAP_PT`,
    overlaps no label already placed, no marker on ``ax`` (a box of its size, at least
    :data:`LABEL_POINT_PT` around its point) and nothing of ``avoid`` (the legend, the
    worst-point box), crosses none of ``lines`` (the limit lines), and lies inside the axes.
    A label with no free place is removed. Returns the number removed.
    """
    if not labels:
        return 0
    canvas = (
        FigureCanvasAgg(fig)
        if fig.canvas is None or not hasattr(fig.canvas, "get_renderer")
        else fig.canvas
    )
    renderer = cast(_RendererCanvas, canvas).get_renderer()
    box = ax.get_window_extent(renderer)
    gap = cast(float, renderer.points_to_pixels(LABEL_GAP_PT))
    fixed = [
        legend_box(a, renderer) if isinstance(a, Legend) else a.get_window_extent(renderer)
        for a in avoid
        if a is not None and a.get_visible()
    ]
    fixed_rows = np.array([b.extents for b in fixed]).reshape(-1, 4)
    obstacles = _Obstacles(
        np.vstack([fixed_rows, marker_boxes(ax, renderer)]), fixed_rows, line_paths(lines)
    )
    removed = 0
    for i, ann in enumerate(labels):
        spot = _free_place(
            ann, renderer, box, obstacles, gap, _REQUIRED_TIERS if i < required else LABEL_TIERS
        )
        if spot is None:
            ann.remove()
            removed += 1
        else:
            obstacles.add(*spot)
    return removed


#: Heights a label that must stay (a line's worst point) may take above its point. [tiers]
_REQUIRED_TIERS = 10


def _free_place(
    ann: Annotation,
    renderer: RendererBase,
    box: Bbox,
    obstacles: _Obstacles,
    gap: float,
    tiers: int,
) -> tuple[Bbox, Bbox | None] | None:
    """Move ``ann`` to its first free place; return its box and its leader's there.

    Free: the label's box, grown by ``gap``, overlaps none of ``obstacles.boxes``, crosses
    none of its paths and lies inside ``box``, and its leader (if it has one,
    :func:`leader_box`) crosses none of ``obstacles.crossed`` (the labels already placed,
    the legend, the worst-point box): a leader running under another label would seem to
    tie that label to this point. None: no free place.
    """
    # the label's box measured once, centred at its point: every place is that box moved by
    # its offset (``offset points``) and its alignment, exactly as the label is drawn there
    ann.xyann = (0.0, 0.0)
    ann.set_horizontalalignment("center")
    centred = ann.get_window_extent(renderer)
    half_w = 0.5 * centred.width
    shift = {"center": 0.0, "right": -half_w, "left": half_w}
    px = cast(float, renderer.points_to_pixels(1.0))
    height_pt = centred.height / px
    under = -(height_pt + LABEL_POINT_PT + 2.0 * LABEL_GAP_PT)
    places = [*_places(tiers), *((0.0, under, ha) for ha in _ALIGNMENTS)]
    for dx, dy, ha in places:
        bb = centred.translated(dx * px + shift[ha], dy * px)
        inside = (
            bb.x0 >= box.x0 - 0.5
            and bb.x1 <= box.x1 + 0.5
            and bb.y0 >= box.y0 - 0.5
            and bb.y1 <= box.y1 + 0.5
        )
        if not inside:
            continue
        grown = bb.padded(gap)
        if _hits(obstacles.boxes, grown) or any(
            p.intersects_bbox(grown, filled=False) for p in obstacles.paths
        ):
            continue
        ann.xyann = (dx, dy)
        ann.set_horizontalalignment(ha)
        leader = leader_box(ann, renderer)
        if leader is None or not _hits(obstacles.crossed, leader):
            return bb, leader
    ann.xyann = (0.0, label_offset_pt(0))
    ann.set_horizontalalignment("center")
    return None


def _leader_top_pt(ann: Annotation) -> float:
    """Return how far above its point a label's leader ends (under its box) [pt]."""
    return float(ann.xyann[1]) - _BOX_PAD_PT - LEADER_GAP_PT


def leader_box(ann: Annotation, renderer: RendererBase) -> Bbox | None:
    """Return the pixels a label's leader covers where it sits now (None: it has none).

    As :func:`draw_leaders` draws it: a vertical line from :data:`LEADER_GAP_PT` above the
    point to :func:`_leader_top_pt`, one pixel wide.
    """
    top_pt = _leader_top_pt(ann)
    if top_pt <= LEADER_GAP_PT:
        return None
    ax = cast(Axes, ann.axes)
    x, y = ax.transData.transform(ann.xy)
    y0 = y + cast(float, renderer.points_to_pixels(LEADER_GAP_PT))
    y1 = y + cast(float, renderer.points_to_pixels(top_pt))
    return Bbox([[x - 0.5, y0], [x + 0.5, y1]])


#: Gap between a leader line and its point, and between it and its label's text. [pt]
LEADER_GAP_PT = 2.0
#: The label box's padding under the text (``round,pad=0.15`` of 6.5 pt). [pt]
_BOX_PAD_PT = 0.15 * 6.5


def draw_leaders(ax: Axes, labels: Sequence[Annotation]) -> None:
    """Draw the leader line of every label still on ``ax``: grey, from its point up to it.

    Each runs from :data:`LEADER_GAP_PT` above the labelled point to the same gap under
    the label's box. The leaders of one height are one line of markers (a vertical segment
    scaled in points), not an arrow per label: an annotation's arrow is clipped and shrunk
    in Python at every draw and cost a seventh of the plot.
    """
    tops: dict[float, list[tuple[float, float]]] = {}
    for ann in labels:
        if ann.axes is None:  # removed by place_labels
            continue
        top_pt = _leader_top_pt(ann)
        if top_pt > LEADER_GAP_PT:
            x, y = ann.xy
            tops.setdefault(top_pt, []).append((float(x), float(y)))
    for top_pt, points in tops.items():
        # a marker path is scaled so its farthest vertex is at half the marker size
        leader = Path([(0.0, LEADER_GAP_PT / top_pt), (0.0, 1.0)], [Path.MOVETO, Path.LINETO])
        xs, ys = zip(*points, strict=True)
        ax.plot(
            xs,
            ys,
            ls="none",
            marker=leader,
            ms=2.0 * top_pt,
            color="#888888",  # fixed: not the axes' colour cycle, which a reused figure advances
            mfc="none",
            mec="#888888",
            mew=0.5,
            zorder=6.9,
            label="_leader",
        )
