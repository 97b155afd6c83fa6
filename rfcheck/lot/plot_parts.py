"""What ``compare``'s and ``lot``'s plots draw alike.

Traces and limit lines re-expressed at the one distance levels are compared at
(:class:`~rfcheck.lot.distance.LevelDistance`), a trace filled as its band
(:mod:`rfcheck.report.band`), the limit lines and the log frequency axis over the plotted
traces (:func:`rfcheck.report.freq_axis.log_freq_axis`), and names as a plot draws them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, NullFormatter

from ..plotted import PlotLimit, PlotTrace
from ..report.band import add_band_line
from ..report.decimate import envelope
from ..report.freq_axis import log_freq_axis
from ..report.pdftext import font_safe
from ..report.plot_styles import LIMIT_LINESTYLE
from ..report.trace_runs import draw_trace
from ..textsafe import printable, shorten
from .distance import LevelDistance
from .emissions import EmissionList

__all__ = [
    "at_distance",
    "part_limits",
    "distance_title",
    "draw_band",
    "draw_limits",
    "freq_axis",
    "mhz",
    "plot_name",
    "plotted_span_hz",
    "shifted",
    "style_axes",
]


def mhz(f: np.ndarray) -> np.ndarray:
    """Return frequencies [Hz] in MHz, the plots' axis unit."""
    return np.asarray(f, dtype=float) / 1e6


def plot_name(text: str, max_chars: int = 40) -> str:
    r"""Return a name as a plot draws it: cut, CJK as ``\u30e6`` as check does."""
    return shorten(font_safe(printable(text)), max_chars)


def draw_limits(
    ax: Axes, limits: tuple[PlotLimit, ...], only: tuple[str, str] | None = None
) -> None:
    """Draw the limit lines (only the ``(limit id, line)`` ``only`` when given)."""
    for pl in limits:
        if only is not None and (pl.limit_id, pl.line) != only:
            continue
        ax.plot(
            mhz(pl.freq_hz),
            pl.level,
            color="#7a0c0c",
            lw=1.2,
            ls=LIMIT_LINESTYLE.get(pl.detector, "-"),
            label=f"{pl.limit_id} {pl.line}",
        )


def style_axes(ax: Axes, ylabel: str) -> None:
    """Major grid (the minor lines are :func:`log_freq_axis`'s) and the level label."""
    ax.grid(True, which="major", lw=0.3, color="#dadce0")
    ax.set_ylabel(ylabel)


def plotted_span_hz(
    traces: list[PlotTrace], limits: tuple[PlotLimit, ...]
) -> tuple[float, float] | None:
    """Return the span the frequency axis shows: the traces' (the limit lines' without a trace).

    None when there is nothing to span. [Hz]
    """
    axes_hz = [t.freq_hz for t in traces if t.freq_hz.size]
    if not axes_hz:
        axes_hz = [pl.freq_hz for pl in limits if pl.freq_hz.size]
    lo = min((float(np.min(f)) for f in axes_hz), default=0.0)
    hi = max((float(np.max(f)) for f in axes_hz), default=0.0)
    return (lo, hi) if 0.0 < lo < hi else None


def freq_axis(axes: list[Axes], traces: list[PlotTrace], limits: tuple[PlotLimit, ...]) -> None:
    """Log frequency axis over :func:`plotted_span_hz`."""
    span = plotted_span_hz(traces, limits)
    if span is not None:
        log_freq_axis(axes, *span)
    else:  # nothing to span: a log axis with matplotlib's ticks, labelled in plain numbers
        for ax in axes:  # (its own labels are mathtext, which the plots do not parse)
            ax.set_xscale("log")
        axes[0].xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        axes[0].xaxis.set_minor_formatter(NullFormatter())


def distance_title(dist: LevelDistance | None, names: dict[str, str] | None = None) -> str:
    """Return the title's distance: ``, levels at 3 m (u01 from 10 m)`` ("": none).

    The members moved from one distance named together (``u01, u02 from 10 m``); a member
    measured at several distances is named at each other one. ``names``: a member's display
    name (a side's ``--names``).
    """
    if dist is None:
        return ""
    name = names or {}
    at: dict[float, list[str]] = {}
    for m in dist.shifted:
        at.setdefault(m.distance_m, []).append(plot_name(name.get(m.member, m.member)))
    moved = ", ".join(f"{', '.join(dict.fromkeys(ms))} from {d:g} m" for d, ms in at.items())
    return f", levels at {dist.distance_m:g} m" + (f" ({shorten(moved, 80)})" if moved else "")


def part_limits(el: EmissionList, dist: LevelDistance | None) -> tuple[PlotLimit, ...]:
    """Return ``el``'s limit lines at the lot's distance (as its levels), each line once.

    Those of its first part measured at one distance (:attr:`EmissionList.parts`),
    re-expressed from that distance: a port measured at 10 m and 3 m draws each line once.
    """
    part = el.parts[0]
    if dist is None:
        return part.limit_lines
    return at_distance(part.limit_lines, dist, part.judged_distance_m(dist.limit_id))


def at_distance(
    limits: tuple[PlotLimit, ...], dist: LevelDistance | None, from_m: float | None
) -> tuple[PlotLimit, ...]:
    """Return limit lines drawn at ``from_m`` [m] re-expressed at the lot's distance."""
    if dist is None:
        return limits
    return tuple(
        replace(pl, level=pl.level + dist.offset_from_db(from_m, pl.freq_hz)) for pl in limits
    )


def shifted(tr: PlotTrace, dist: LevelDistance | None, from_m: float | None) -> PlotTrace:
    """Return a trace read at ``from_m`` [m] re-expressed at the lot's distance (15.31(f))."""
    if dist is None:
        return tr
    off = dist.offset_from_db(from_m, tr.freq_hz)
    return tr if not np.any(off) else replace(tr, level=tr.level + off)


def draw_band(ax: Axes, tr: PlotTrace, **style: Any) -> None:
    """Draw a trace: a sweep filled as its band in a PNG, its envelope stroked in an SVG.

    The band is computed from the full data (:mod:`rfcheck.report.band`); a vector backend
    strokes the max/min envelope (:func:`rfcheck.report.decimate.envelope`). A sweep is
    broken where its coverage has a gap, and a final-measurement list is drawn as unjoined
    markers (:func:`rfcheck.report.trace_runs.draw_trace`): a line between two finals
    would draw levels nobody measured.
    """
    draw_trace(
        ax,
        tr.freq_hz,
        tr.level,
        detector=tr.detector,
        rbw_hz=tr.rbw_hz,
        line=_band_run,
        sweep_unstated=tr.sweep_unstated,
        ms=float(style.pop("ms", 3.5)),
        **style,
    )


def _band_run(ax: Axes, x_mhz: np.ndarray, y: np.ndarray, **style: Any) -> Any:
    """One stretch of a sweep: its band, and its envelope for a vector backend."""
    line = add_band_line(ax, x_mhz, y, **style)
    fe, ye = envelope(np.asarray(x_mhz) * 1e6, np.asarray(y))
    line.set_data(mhz(fe), ye)  # what a vector backend strokes
    return line
