"""``compare``'s plot: both captures overlaid, with a difference panel below.

Each side's corrected traces and the limit lines within the plotted range; below, ``B − A``
per detector above the noise floors and each paired emission's delta. Pairs changed by 1 dB
or more are labelled with their delta, placed clear of each other and of the legend
(:func:`rfcheck.report.label_placement.place_labels`). The parts drawn as ``lot``'s plot
draws them are :mod:`rfcheck.lot.plot_parts`'.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from ..plotted import PlotLimit, PlotTrace
from ..report.decimate import envelope
from ..report.detector_names import detector_abbr
from ..report.label_placement import draw_leaders, label_offset_pt, place_labels
from ..report.plot_rendering import drawing
from ..report.plot_styles import shade
from .compare_result import CompareResult
from .distance import LevelDistance
from .matching import DeltaBound
from .plot_parts import (
    distance_title,
    draw_band,
    draw_limits,
    freq_axis,
    mhz,
    part_limits,
    plot_name,
    plotted_span_hz,
    shifted,
    style_axes,
)

__all__ = ["overlay_figure"]


#: The difference panel shows points at least this far over the median (noise) level. [dB]
_OVER_FLOOR_DB = 6.0


def _drawn_limits(
    limits: tuple[PlotLimit, ...], span_hz: tuple[float, float] | None
) -> tuple[PlotLimit, ...]:
    """Return the limit lines with a stretch inside ``span_hz`` [Hz] (all of them without one).

    A line wholly outside the plotted range (an AV line from 1 GHz over a 30-400 MHz pair),
    or only touching one end of it, would be listed in the legend but never seen.
    """
    if span_hz is None:
        return limits
    lo, hi = span_hz
    return tuple(
        pl
        for pl in limits
        if pl.freq_hz.size and float(np.min(pl.freq_hz)) < hi and float(np.max(pl.freq_hz)) > lo
    )


def _trace_for(traces: Sequence[PlotTrace], detector: str) -> PlotTrace | None:
    return next((t for t in traces if t.detector == detector), None)


def _compare_distance(result: CompareResult) -> LevelDistance | None:
    """Return the distance the overlay takes both sides' levels at: its first radiated limit's."""
    return result.distances[0] if result.distances else None


def _side_traces(result: CompareResult, side: str) -> list[PlotTrace]:
    """Return side ``A``'s or ``B``'s traces at the one distance of the comparison.

    Each from the distance it was measured at (a side measured at several: each part's).
    """
    el = result.a if side == "A" else result.b
    dist = _compare_distance(result)
    return [
        shifted(tr, dist, None if dist is None else part.judged_distance_m(dist.limit_id))
        for part in el.parts
        for tr in part.traces
    ]


#: How a delta's bound reads before it: at most (``≤``) or at least (``≥``) the change shown.
_DELTA_RELATION = {
    DeltaBound.MEASURED: "",
    DeltaBound.UPPER: "\u2264 ",
    DeltaBound.LOWER: "\u2265 ",
}


def _count(n: int, noun: str) -> str:
    """Return ``1 paired reading`` / ``3 paired readings``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


@drawing()  # built holding the plot lock, its texts literal (file names)
def overlay_figure(result: CompareResult, names: tuple[str, str] = ("A", "B")) -> Figure:
    """Both captures' corrected traces and limit lines; below, ``B − A`` per detector.

    Only the limit lines within the plotted range are drawn, and so listed in the legend
    (:func:`_drawn_limits`).

    Each paired emission changed by 1 dB or more is labelled with its delta, ``≤``/``≥``
    before a bound (:class:`~rfcheck.lot.matching.DeltaBound`); a pair whose delta is no
    bound at all (both readings upper, or both lower, bounds) is not labelled. The labels
    are placed clear of each other and of the legend, largest change first
    (:func:`rfcheck.report.label_placement.place_labels`).
    """
    names = (plot_name(names[0], 60), plot_name(names[1], 60))  # untrusted: escaped, bounded
    fig = Figure(figsize=(7.5, 6.2), layout="constrained")
    ax, axd = fig.subplots(2, 1, sharex=True, height_ratios=(2.6, 1.25))
    unit = _overlay_traces(ax, result, names)
    traces = [*_side_traces(result, "A"), *_side_traces(result, "B")]
    b_limits = part_limits(result.b, _compare_distance(result))
    before = len(ax.lines)
    draw_limits(ax, _drawn_limits(b_limits, plotted_span_hz(traces, b_limits)))
    limit_lines = ax.lines[before:]
    labels = _delta_labels(ax, result)
    _unpaired_marks(ax, result, names)
    style_axes(ax, f"level [{unit}]")
    ax.legend(fontsize=6, ncols=3, loc="best")  # the place hiding the fewest points
    ax.set_title(
        f"{names[1]} vs {names[0]}: {_count(len(result.matched.pairs), 'paired reading')}, "
        f"{len(result.matched.only_in_a)} only in {names[0]}, "
        f"{len(result.matched.only_in_b)} only in {names[1]}"
        + _moved_at(_compare_distance(result), {"A": names[0], "B": names[1]}),
        fontsize=9,
    )
    _delta_panel(axd, result)
    freq_axis([ax, axd], traces, b_limits)
    style_axes(axd, f"{names[1]} − {names[0]} [dB]")
    axd.set_xlabel("Frequency [MHz]")
    axd.legend(fontsize=6, loc="lower right")
    _place_delta_labels(fig, ax, labels, [*limit_lines, *_changes(ax, result)])
    return fig


def _changes(ax: Axes, result: CompareResult) -> list[Line2D]:
    """Return each pair's change as a line from A's reading to B's (not drawn: avoided).

    A's trace rises to A's reading there: a label above B's lower reading sat on A's peak.
    """
    return [
        Line2D(
            [p.frequency_hz_a / 1e6, p.frequency_hz_b / 1e6],
            [p.a.level, p.b.level],
            transform=ax.transData,
        )
        for p in result.matched.pairs
    ]


def _place_delta_labels(
    fig: Figure, ax: Axes, labels: list[Annotation], lines: list[Line2D]
) -> None:
    """Place the delta labels clear of each other, the legend and ``lines``, with leaders.

    The layout and the legend's best place are worked out first (the legend then stays
    there), then :func:`rfcheck.report.label_placement.place_labels` places the labels,
    largest change first, clear of the markers, the limit lines and each pair's change
    (``lines``); one with no free place is left out (the difference panel still shows its
    pair).
    """
    if not labels:
        return
    fig.draw_without_rendering()
    legend = ax.get_legend()
    if legend is not None:
        box = legend.get_window_extent()
        x0, y0 = ax.transAxes.inverted().transform((box.x0, box.y0))
        legend.set_loc((float(x0), float(y0)))
    place_labels(fig, ax, labels, [legend] if legend is not None else [], lines=lines)
    draw_leaders(ax, labels)


def _overlay_traces(ax: Axes, result: CompareResult, names: tuple[str, str]) -> str:
    """Draw A's traces grey and B's blue, each side's in shades (peak dotted); return the unit."""
    unit = ""
    for side, name, colour in (("A", names[0], "#9aa0a6"), ("B", names[1], "#1a73e8")):
        for k, tr in enumerate(_side_traces(result, side)):  # a side's: shades of its colour
            style: dict[str, Any] = {
                "lw": 0.6,
                "color": shade(colour, k),
                "alpha": 0.9 if side == "B" else 0.7,
                "label": f"{plot_name(name)} {detector_abbr(tr.detector)}",
            }
            if tr.detector != "peak":
                draw_band(ax, tr, **style)
            else:  # dotted: stroked, so decimated
                f, y = envelope(tr.freq_hz, tr.level)
                ax.plot(mhz(f), y, ls=(0, (1, 1)), **style)
            unit = tr.unit
    return unit


def _delta_labels(ax: Axes, result: CompareResult) -> list[Annotation]:
    """Label each pair that changed by 1 dB or more (and bounds a change) with its delta.

    Returns the labels, largest change first (the order :func:`_place_delta_labels` places
    them in).
    """
    shown = [
        p
        for p in result.matched.pairs
        if abs(p.delta_db) >= 1.0 and p.bound is not DeltaBound.NONE  # none: no difference
    ]
    shown.sort(key=lambda p: (-abs(p.delta_db), p.frequency_hz_b))
    out = []
    for p in shown:
        ann = ax.annotate(
            _DELTA_RELATION[p.bound] + f"{p.delta_db:+.1f} dB",
            (p.frequency_hz_b / 1e6, p.b.level),
            fontsize=6,
            xytext=(0, label_offset_pt(0)),
            textcoords="offset points",
            ha="center",
            va="bottom",
            color="#d93025" if p.delta_db > 0 else "#1e8e3e",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            annotation_clip=True,
            zorder=7,
            parse_math=False,
        )
        ann.set_in_layout(False)  # placed after the layout, inside the axes
        out.append(ann)
    return out


def _unpaired_marks(ax: Axes, result: CompareResult, names: tuple[str, str]) -> None:
    """Mark the emissions found only in B (red ▽) and only in A (grey △)."""
    for i, e in enumerate(result.matched.only_in_b):
        ax.plot(
            [e.frequency_hz / 1e6],
            [e.level],
            "v",
            color="#d93025",
            ms=5,
            label=f"only in {names[1]}" if i == 0 else None,
        )
    for i, e in enumerate(result.matched.only_in_a):
        ax.plot(
            [e.frequency_hz / 1e6],
            [e.level],
            "^",
            color="#5f6368",
            ms=5,
            label=f"only in {names[0]}" if i == 0 else None,
        )


def _delta_panel(axd: Axes, result: CompareResult) -> None:
    """Draw ``B − A`` per detector above the noise floors, each pair's delta, and zero.

    The pairs' deltas (``o`` measured, ``x`` a bound) are in the panel's legend with the
    per-detector dots.
    """
    side_a, side_b = _side_traces(result, "A"), _side_traces(result, "B")
    for det in dict.fromkeys(t.detector for t in side_a):
        ta, tb = _trace_for(side_a, det), _trace_for(side_b, det)
        if ta is None or tb is None:
            continue
        la = np.interp(tb.freq_hz, ta.freq_hz, ta.level)
        # noise minus noise says nothing: keep points 6 dB or more over either floor
        floor = max(float(np.median(ta.level)), float(np.median(tb.level))) + _OVER_FLOOR_DB
        diff = np.where(np.maximum(la, tb.level) >= floor, tb.level - la, np.nan)
        f, y = envelope(tb.freq_hz, diff)
        axd.plot(mhz(f), y, ls="none", marker=".", ms=2.0, label=f"Δ{detector_abbr(det)}")
    labelled: set[str] = set()
    for p in result.matched.pairs:
        measured = p.bound.value == "measured"
        label = "pair delta" if measured else "pair delta (a bound)"
        axd.plot(
            [p.frequency_hz_b / 1e6],
            [p.delta_db],
            "o" if measured else "x",
            color="#202124",
            ms=3,
            label=None if label in labelled else label,  # each marker once in the legend
        )
        labelled.add(label)
    axd.axhline(0.0, color="#202124", lw=0.8)


def _moved_at(dist: LevelDistance | None, names: dict[str, str]) -> str:
    """Return :func:`distance_title` when a side was measured at another distance ("" otherwise)."""
    return distance_title(dist, names) if dist is not None and dist.shifted else ""
