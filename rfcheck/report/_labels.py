"""Margin labels of the plot's suspects, kept inside the axes and clear of the legend."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, cast

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.text import Annotation

from ..outcome import round_margin
from ..results import Suspect
from ._common import VERDICT_COLOURS, margin_relation

__all__ = ["LABEL_TOP_N", "draw_leaders", "label_suspects", "prune_labels", "suspect_colour"]

#: Margin labels drawn for at most this many emissions (the smallest margins).
LABEL_TOP_N = 6


def suspect_colour(s: Suspect) -> str:
    """Return the colour of a suspect's marker and label: its verdict's."""
    return VERDICT_COLOURS.get(s.verdict, "#333333")


def label_suspects(ax: Axes, suspects: Sequence[Suspect], fspan_dec: float) -> list[Annotation]:
    """Margin labels for the ``LABEL_TOP_N`` smallest-margin emissions.

    Suspects at one frequency (e.g. PK and AV readings) share one label, the smallest
    margin (``≤`` / ``≥`` for a lower- / upper-bound level), placed above the highest
    marker; labels closer than 4 % of the axis width to one already placed are staggered
    upwards. Their leader lines are :func:`draw_leaders`'s.
    """
    groups: dict[float, list[Suspect]] = {}
    for s in suspects:
        key = round(math.log10(s.frequency_hz), 4)
        groups.setdefault(key, []).append(s)
    worst = sorted(groups.values(), key=lambda g: min((s.margin_db, s.frequency_hz) for s in g))
    placed: list[tuple[float, int]] = []
    out: list[Annotation] = []
    for g in sorted(worst[:LABEL_TOP_N], key=lambda g: g[0].frequency_hz):
        s = min(g, key=lambda s: s.margin_db)
        x = math.log10(s.frequency_hz)
        near = [lvl for p, lvl in placed if abs(x - p) < 0.04 * fspan_dec]
        tier = (max(near) + 1) if near else 0
        if tier > 2:
            continue
        placed.append((x, tier))
        out.append(
            ax.annotate(
                f"{margin_relation(s.bound)}{round_margin(s.margin_db, 1):+.1f} dB",
                (s.frequency_hz / 1e6, max(m.level for m in g)),
                xytext=(0, 7 + 10 * tier),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=6.5,
                fontweight="bold",
                color=suspect_colour(s),
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
                annotation_clip=True,
                zorder=7,
                parse_math=False,
            )
        )
    return out


class _RendererCanvas(Protocol):
    """A canvas with a renderer (``get_renderer`` is unannotated in matplotlib)."""

    def get_renderer(self) -> RendererBase:
        """Return the canvas's renderer."""
        ...


def prune_labels(
    fig: Figure, ax: Axes, labels: Sequence[Annotation], avoid: Sequence[Artist]
) -> int:
    """Keep each label inside ``ax`` and clear of ``avoid``; return the number removed.

    ``avoid`` holds the legend and the worst-point box. One that runs past a side is aligned to that
    side, one that still does not fit is removed. Returns the number removed.
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
    blocked = [a.get_window_extent(renderer) for a in avoid if a is not None and a.get_visible()]
    removed = 0
    for ann in labels:
        bb = ann.get_window_extent(renderer)
        if bb.x1 > box.x1 or bb.x0 < box.x0:  # measured again only when moved
            ann.set_horizontalalignment("right" if bb.x1 > box.x1 else "left")
            bb = ann.get_window_extent(renderer)
        inside = (
            bb.x0 >= box.x0 - 0.5
            and bb.x1 <= box.x1 + 0.5
            and bb.y0 >= box.y0 - 0.5
            and bb.y1 <= box.y1 + 0.5
        )
        if not inside or any(bb.overlaps(o) for o in blocked):
            ann.remove()
            removed += 1
        else:
            blocked.append(bb)
    return removed


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
        if ann.axes is None:  # removed by prune_labels
            continue
        top_pt = float(ann.xyann[1]) - _BOX_PAD_PT - LEADER_GAP_PT
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
