"""What the margin plot of one capture shows, drawn on a given pair of axes.

The top axes get every corrected trace by detector (the ambient greyed behind), every limit
line by detector (QP solid, AV dashed, PK dotted), the suspects and the worst point
(:mod:`rfcheck.report.margin_marks`), their margin labels, the verdict badge and the
worst-margin box; the bottom axes get
``margin = limit - level`` for the evidence that decides each line
(:mod:`rfcheck.report.margin_curves`, each labelled with what it proves), the 0 dB line and
the suspect window, in a range that shows every curve and marker it holds.
:func:`draw_margin_plot` runs the steps in order; :mod:`rfcheck.report.plots` owns the figure
(its layout, its re-use and its encoding).

Traces and margin curves are drawn with their full data, as :class:`~rfcheck.report.band.BandLine`
(a dense line is filled as the band of pixels it covers on a raster canvas); :class:`DataLine`
keeps that data so the figure's owner can decimate each line per pixel column for the
resolution it renders at.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from numpy.typing import NDArray

from ..frequency import format_mhz_range
from ..outcome import Verdict
from ..results import CaptureResult, deciding_check
from ..verdict.coverage import is_sweep_grid
from ._common import VERDICT_COLOURS
from ._labels import margin_labels
from ._legends import legend_of
from ._ticks import freq_ticks
from .band import add_band_line
from .detector_names import detector_abbr
from .label_placement import draw_leaders, place_labels
from .margin_curves import margin_curves
from .margin_marks import draw_suspects, draw_worst, suspect_legend
from .plot_styles import LIMIT_STYLE, trace_colours
from .range_text import judged_range_note
from .trace_runs import list_marker

__all__ = [
    "DataLine",
    "draw_margin_plot",
    "is_fixed_text",
    "is_kept_artist",
    "legend_strip_in",
    "style_axes",
]

_WORST_COLOUR = "#d62728"
#: The suspect window's shade in the margin panel (colour, opacity).
_WINDOW_COLOUR = "#f2b134"
_WINDOW_ALPHA = 0.18
#: Margin-panel legend: columns, and the height of the axes its first and each further row
#: take (7 pt text in a 1.8 in panel, with its frame and padding). [axes fraction]
_MARGIN_LEGEND_COLS = 3
_MARGIN_LEGEND_TOP = 0.18
_MARGIN_LEGEND_ROW = 0.095
#: Level-panel legend: at most this many entries inside the panel (two columns in its
#: headroom); a longer one in :data:`_LEVEL_LEGEND_COLS` columns above the panel, each row
#: this high (7 pt text, matplotlib's label spacing), with this padding. [in]
_LEVEL_LEGEND_INSIDE = 4
_LEVEL_LEGEND_COLS = 3
_LEVEL_LEGEND_ROW_IN = 7.0 * 1.5 / 72.0
_LEVEL_LEGEND_PAD_IN = 0.1
# Texts that look the same for every capture with one frame and one text (the verdict
# badge): the figure's owner may draw them from a cache.
_FIXED_TEXTS: weakref.WeakSet[Text] = weakref.WeakSet()


# Artists a re-used figure keeps from one capture to the next while they draw the same (the
# margin panel's 0 dB line and shaded bands), with what they draw.
_KEPT: weakref.WeakKeyDictionary[Artist, Hashable] = weakref.WeakKeyDictionary()


def is_kept_artist(artist: Artist) -> bool:
    """Return True for an artist :func:`draw_margin_plot` keeps or replaces itself."""
    return artist in _KEPT


def is_fixed_text(artist: Artist) -> bool:
    """Return True for a text whose look depends only on its own properties and the frame.

    The verdict badge: its place is given in axes coordinates, not by the data.
    """
    return artist in _FIXED_TEXTS


@dataclass(frozen=True)
class DataLine:
    """A drawn trace or margin curve and its full data (before any decimation).

    Attributes
    ----------
    line : Line2D
    freq_mhz : ndarray
        Increasing frequencies of the full trace. [MHz]
    value : ndarray
        Levels or margins, same length; NaN marks a gap. [dB units of the panel]
    """

    line: Line2D
    freq_mhz: NDArray[np.float64]
    value: NDArray[np.float64]


@dataclass(frozen=True)
class _FreqAxis:
    """The frequency span of both panels, ``fmin_hz`` to ``fmax_hz`` [Hz]."""

    fmin_hz: float
    fmax_hz: float

    @property
    def span_dec(self) -> float:
        """Return the width of the axis [decades]."""
        return math.log10(self.fmax_hz / self.fmin_hz)


def _finite(
    freq_hz: NDArray[np.float64], level: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the samples with a finite, positive frequency and a finite level."""
    f = np.asarray(freq_hz, dtype=float)
    y = np.asarray(level, dtype=float)
    ok = np.isfinite(f) & np.isfinite(y) & (f > 0)
    return f[ok], y[ok]


def style_axes(ax: Axes) -> None:
    """Log frequency axis, major grid behind the data, ticks inwards on all four sides."""
    ax.set_xscale("log")
    ax.grid(True, which="major", color="#b8b8b8", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(which="both", direction="in", top=True, right=True)


# --------------------------------------------------------------------------- level panel
def points_style(
    freq_hz: NDArray[np.float64], detector: str, sweep_unstated: bool = False
) -> dict[str, Any]:
    """Return how a trace is drawn: a sweep as a line, a list of finals as unjoined markers.

    A final-measurement list (:func:`rfcheck.verdict.coverage.is_sweep_grid` false: a few
    frequencies where emissions were, each a reading at its own frequency) drawn as a line
    showed a level between its points where nothing was measured, even over the limit on a
    PASS; its points are markers, never joined, each detector's as the record's plots draw
    them (:func:`rfcheck.report.trace_runs.list_marker`). A sweep's grid keeps its line ({}),
    unless its file shows no sweep (``sweep_unstated``: evenly spaced readings of a generic
    CSV stating no sweep time or trace mode, judged at their own frequencies).
    """
    if not sweep_unstated and is_sweep_grid(np.asarray(freq_hz, dtype=float)):
        return {}
    return {"ls": "none", "marker": list_marker(detector), "ms": 4.5, "mew": 1.0}


def _draw_traces(ax: Axes, capture: CaptureResult, data: list[DataLine]) -> list[float]:
    """Draw the traces and the ambient; return the first and last frequency of each trace."""
    freqs: list[float] = []
    colours = trace_colours(capture.plot_traces)
    for tr in capture.plot_traces:
        f, y = _finite(tr.freq_hz, tr.level)
        if f.size:
            freqs += [float(f[0]), float(f[-1])]
        colour = colours[id(tr)]
        label = f"{tr.label or 'trace'} ({detector_abbr(tr.detector)})"
        style = {"lw": 0.7, **points_style(f, tr.detector, tr.sweep_unstated)}
        line = add_band_line(ax, f / 1e6, y, color=colour, label=label, zorder=2, **style)
        data.append(DataLine(line, f / 1e6, y))
    for tr in capture.ambient_traces:  # the ambient (DUT off): greyed, behind the DUT's traces
        f, y = _finite(tr.freq_hz, tr.level)
        label = f"ambient ({detector_abbr(tr.detector)})"
        line = add_band_line(ax, f / 1e6, y, color="#b0b0b0", lw=0.6, label=label, zorder=1)
        data.append(DataLine(line, f / 1e6, y))
    return freqs


def _draw_limits(ax: Axes, capture: CaptureResult, freqs: list[float]) -> list[Line2D]:
    """Draw the limit lines, return them; with no trace, their ends join ``freqs`` (the span)."""
    span = (min(freqs), max(freqs)) if freqs else None
    lines: list[Line2D] = []
    for pl in capture.plot_limits:
        colour, ls = LIMIT_STYLE.get(pl.detector, ("#333333", "-"))
        f = np.asarray(pl.freq_hz, dtype=float)
        if f.size and not capture.plot_traces:  # the axis spans the measured traces
            freqs += [float(f[0]), float(f[-1])]
        # a line that starts where the traces end (AV/PK above 1 GHz on a 30-1000 MHz scan)
        # is not drawn, and is not listed in the legend
        visible = span is None or bool(f.size and f.min() < span[1] and f.max() > span[0])
        label = f"{pl.limit_id} {pl.line} limit" if visible else "_nolegend_"
        lines += ax.plot(f / 1e6, pl.level, color=colour, ls=ls, lw=1.5, zorder=3, label=label)
    return lines


def _unit(capture: CaptureResult) -> str:
    """Return the level unit: the last limit line's, else the first trace's."""
    unit = next((tr.unit for tr in capture.plot_traces if tr.unit), "")
    for pl in capture.plot_limits:
        unit = pl.unit or unit
    return unit


#: Room each side of a plot of final measurements only, as a fraction of its span in log f.
_LIST_PAD = 0.02


def _freq_axis(capture: CaptureResult, freqs: list[float]) -> _FreqAxis:
    """Return the frequency span: the traces, else the limit lines, else the suspects."""
    if not freqs:
        freqs = [s.frequency_hz for s in capture.suspects] or [30e6, 1e9]
    fmin, fmax = max(min(freqs), 1.0), max(freqs)
    if fmax <= fmin:
        fmin, fmax = fmin / 1.1, fmax * 1.1
    elif capture.plot_traces and not any(
        not t.sweep_unstated and is_sweep_grid(np.asarray(t.freq_hz, dtype=float))
        for t in capture.plot_traces
    ):  # markers only (finals): room for the first and last one, not cut by the frame
        pad = (fmax / fmin) ** _LIST_PAD
        fmin, fmax = fmin / pad, fmax * pad
    return _FreqAxis(fmin, fmax)


# --------------------------------------------------------------------------- margin panel
def _draw_margin_curves(
    axm: Axes, capture: CaptureResult, data: list[DataLine]
) -> tuple[list[float], list[float]]:
    """Draw the margin curves; return each curve's minimum and 90th percentile [dB].

    Each label states what the curve's readings prove after every demotion
    (:meth:`~rfcheck.report.margin_curves.MarginCurve.bound_tag`).
    """
    mins: list[float] = []
    highs: list[float] = []
    labels: set[str] = set()
    colours = trace_colours(capture.plot_traces)
    for c in margin_curves(capture):
        ls = LIMIT_STYLE.get(c.limit.detector, ("#333333", "-"))[1]
        label = f"{detector_abbr(c.trace.detector)} vs {c.limit.line} limit{c.bound_tag()}"
        line = add_band_line(
            axm,
            c.freq_hz / 1e6,
            c.margin_db,
            color=colours.get(id(c.trace), "#6b6b6b"),
            label=label if label not in labels else "_nolegend_",
            zorder=2,
            **{
                "lw": 0.7,
                "ls": ls,
                **points_style(c.freq_hz, c.trace.detector, c.trace.sweep_unstated),
            },
        )
        data.append(DataLine(line, c.freq_hz / 1e6, c.margin_db))
        labels.add(label)
        mins.append(float(np.nanmin(c.margin_db)))
        highs.append(float(np.nanpercentile(c.margin_db, 90)))
    return mins, highs


def _marked_margins(capture: CaptureResult) -> list[float]:
    """Return the margins marked on the margin panel: the suspects and the worst point [dB]."""
    marked = [s.margin_db for s in capture.suspects]
    wc = deciding_check(capture.checks)
    if wc is not None and wc.worst_margin_db is not None and math.isfinite(wc.worst_margin_db):
        marked.append(wc.worst_margin_db)
    return marked


def _margin_ylim(
    mins: Sequence[float],
    highs: Sequence[float],
    marked: Sequence[float],
    window_db: float,
    n_entries: int,
) -> tuple[float, float]:
    """Return the margin panel's y range [dB]: nothing drawn or listed in its legend is hidden.

    From 10 dB below the limit (or 3 dB below the lowest curve or marker) to the suspect
    window + 14 dB, or 5 dB above the 90th percentile of every curve and above every marker
    (the worst point and the suspects), whichever is higher: so each curve in the legend shows
    its worst point and most of its course, however high its margins. Above that, room for
    the legend (its rows), clear of the data; both ends out to 5 dB steps (captures with
    similar margins share one frame).

    Parameters
    ----------
    mins, highs : sequence of float
        Each drawn curve's minimum and 90th percentile. [dB]
    marked : sequence of float
        The margins of the markers drawn on the panel. [dB]
    window_db : float
        The suspect window. [dB]
    n_entries : int
        Legend entries (in :data:`_MARGIN_LEGEND_COLS` columns).
    """
    lo = min([-10.0, *(m - 3.0 for m in (*mins, *marked))])
    hi = max([window_db + 14.0, *(h + 5.0 for h in (*highs, *marked))])
    rows = math.ceil(n_entries / _MARGIN_LEGEND_COLS)
    top = _MARGIN_LEGEND_TOP + _MARGIN_LEGEND_ROW * max(rows - 1, 0)
    hi += top / (1.0 - top) * (hi - lo)  # the legend's share of the axes, above the data
    return math.floor(lo / 5) * 5, math.ceil(hi / 5) * 5


def _draw_window(axm: Axes, window_db: float) -> None:
    """Draw the 0 dB line, the suspect window and negative margins shaded.

    Kept from the capture before when they would be drawn the same (a re-used figure: the
    same window and the same bottom of the margin range); else made anew. The window is
    named in the panel's legend (:func:`_window_legend`), not over the curves.
    """
    key = (window_db, axm.get_ylim()[0])
    old = [a for a in (*axm.lines, *axm.patches, *axm.texts) if a in _KEPT]
    if len(old) == 3 and all(_KEPT[a] == key for a in old):
        return
    for a in old:
        a.remove()
    kept: list[Artist] = [
        axm.axhline(0.0, color="#7a0c0c", lw=1.2, zorder=3),
        axm.axhspan(0.0, window_db, color=_WINDOW_COLOUR, alpha=_WINDOW_ALPHA, lw=0, zorder=1),
        axm.axhspan(axm.get_ylim()[0], 0.0, color=_WORST_COLOUR, alpha=0.06, lw=0, zorder=1),
    ]
    for a in kept:
        _KEPT[a] = key


def _window_legend(axm: Axes, window_db: float) -> None:
    """List the suspect window in the margin panel's legend: a square of its shade.

    Its label sat over the curves at the panel's left edge, where a margin curve often runs.
    """
    r, g, b = (1.0 - _WINDOW_ALPHA * (1.0 - c) for c in to_rgb(_WINDOW_COLOUR))
    shade_rgb = (r, g, b)
    axm.plot(
        [],
        [],
        ls="none",
        marker="s",
        ms=6.0,
        color=to_hex(shade_rgb),  # fixed: not the axes' colour cycle
        mfc=to_hex(shade_rgb),
        mec="#c9a25a",
        mew=0.5,
        label=f"suspect window {window_db:g} dB",
    )


def _draw_margin_panel(
    axm: Axes, capture: CaptureResult, window_db: float, data: list[DataLine]
) -> None:
    """Margin curves, the 0 dB line, the suspect window, the y range and the legend."""
    mins, highs = _draw_margin_curves(axm, capture, data)
    suspect_legend(axm, capture.suspects)
    if axm.get_legend_handles_labels()[0]:  # an empty panel (a capture not read) lists none
        _window_legend(axm, window_db)
    n_entries = len(axm.get_legend_handles_labels()[0])
    # the range first: the line and bands below then ask no autoscaling
    axm.set_ylim(*_margin_ylim(mins, highs, _marked_margins(capture), window_db, n_entries))
    _draw_window(axm, window_db)
    axm.set_ylabel("Margin [dB]\n(limit \u2212 level)")
    axm.set_xlabel("Frequency [MHz]")
    legend_of(
        axm,
        loc="upper right",
        ncol=_MARGIN_LEGEND_COLS,
        frameon=True,
        framealpha=0.9,
        borderpad=0.3,
    )


# --------------------------------------------------------------------------- frame
def _draw_freq_axis(
    ax: Axes, axm: Axes, fx: _FreqAxis, right_margin: Callable[[list[float]], None]
) -> None:
    """Set the frequency range and ticks; ``right_margin`` adapts the layout to the ticks."""
    ax.set_xlim(fx.fmin_hz / 1e6, fx.fmax_hz / 1e6)
    major = freq_ticks((ax, axm), fx.fmin_hz / 1e6, fx.fmax_hz / 1e6)
    if major and math.log10(fx.fmax_hz / 1e6 / major[-1]) < 0.02 * fx.span_dec:
        right_margin(major)
    ax.tick_params(labelbottom=False)


def _shown_level_range(ax: Axes) -> tuple[float, float] | None:
    """Return the level range of what is drawn inside the frequency axis, 5 % margins added.

    Matplotlib's autoscale counts every line's data, also the limit segments drawn beyond
    the plotted span (a 74 dBµV/m PK line above 1 GHz on a 30-1000 MHz plot), which would
    stretch the level axis far over the data. A line in data coordinates counts by its
    segments that overlap the frequency axis (a lone point: by lying on it). None when
    nothing is drawn there.
    """
    x0, x1 = sorted(ax.get_xlim())
    lo, hi = math.inf, -math.inf
    for line in ax.lines:
        if line.get_transform() != ax.transData:  # drawn in axes fractions, not levels
            continue
        x = np.asarray(line.get_xdata(), dtype=float)
        y = np.asarray(line.get_ydata(), dtype=float)
        if x.size != y.size or x.size == 0:
            continue
        if x.size == 1:
            shown = (x >= x0) & (x <= x1)
        else:
            seg = (np.minimum(x[:-1], x[1:]) < x1) & (np.maximum(x[:-1], x[1:]) > x0)
            shown = np.zeros(x.size, dtype=bool)
            shown[:-1] |= seg
            shown[1:] |= seg
        ys = y[shown & np.isfinite(y)]
        if ys.size:
            lo, hi = min(lo, float(ys.min())), max(hi, float(ys.max()))
    if not math.isfinite(lo) or hi <= lo:
        return None
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def legend_strip_in(rows: int) -> float:
    """Return the height of a level legend of ``rows`` rows above the level panel [in]."""
    return rows * _LEVEL_LEGEND_ROW_IN + _LEVEL_LEGEND_PAD_IN if rows else 0.0


def _level_legend_rows(ax: Axes) -> int:
    """Return the rows of the level legend above the panel: 0 for a short one (inside)."""
    n_entries = len(ax.get_legend_handles_labels()[0])
    return math.ceil(n_entries / _LEVEL_LEGEND_COLS) if n_entries > _LEVEL_LEGEND_INSIDE else 0


def _level_range(ax: Axes, unit: str, legend_rows: int) -> Legend | None:
    """Y label, headroom for the labels, and the legend; return the legend.

    A short legend sits in the headroom's top right corner. A longer one (an ambient
    capture, several files pooled by ``--combine``) takes ``legend_rows`` rows of its own
    above the panel (the figure's owner makes room: :func:`legend_strip_in`), so it takes
    no height from the data: in the panel it pushed 50 dBµV/m data into the bottom 40 %.
    """
    ax.set_ylabel(f"Level [{unit}]" if unit else "Level")
    ylo, yhi = _shown_level_range(ax) or ax.get_ylim()
    yhi += 0.12 * (yhi - ylo)  # headroom for labels
    # out to whole grid steps: captures at similar levels share one frame (axes and ticks)
    ticks = ax.yaxis.get_major_locator().tick_values(ylo, yhi)
    step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 0.0
    if step > 0:
        ylo, yhi = math.floor(ylo / step) * step, math.ceil(yhi / step) * step
    ax.set_ylim(ylo, yhi)
    if not legend_rows:
        return legend_of(
            ax, loc="upper right", ncol=2, frameon=True, framealpha=0.92, borderpad=0.3
        )
    return legend_of(
        ax,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=_LEVEL_LEGEND_COLS,
        frameon=False,
        borderaxespad=0.15,
        borderpad=0.2,
    )


def _above_axes(ax: Axes, strip_in: float) -> float:
    """Return ``strip_in`` [in] as a fraction of the height of ``ax``."""
    height_in = ax.get_position().height * float(cast(Figure, ax.figure).get_size_inches()[1])
    return strip_in / height_in if height_in > 0 else 0.0


def _draw_headline(
    ax: Axes, capture: CaptureResult, title: str, wtext: str, legend_rows: int
) -> Artist:
    """Title and verdict badge (above the level legend's rows), the worst-margin box; return it."""
    lift = _above_axes(ax, legend_strip_in(legend_rows))
    # y given: no title auto-positioning (a measure of the axis at every draw) for the
    # place it would find (the top of the axes: no tick labels on top).
    ax.set_title(title, loc="left", fontweight="bold", parse_math=False, y=1.0 + lift)
    colour = VERDICT_COLOURS.get(capture.verdict, "#333333")
    verdict = capture.verdict.value
    if judged_range_note(capture) and capture.judged_range_hz is not None:  # a requested range
        verdict += f" over {format_mhz_range(*capture.judged_range_hz)} only"
    badge = ax.text(
        1.0,
        1.012 + lift,
        f" {verdict} ",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=9,
        fontweight="bold",
        color="white",
        bbox={"boxstyle": "square,pad=0.25", "fc": colour, "ec": colour},
        parse_math=False,
    )
    _FIXED_TEXTS.add(badge)
    return ax.text(
        0.01,
        0.985,
        wtext,
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=7,
        color="#222222",
        parse_math=False,
        bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": colour, "lw": 0.8},
    )


def _draw_error_note(ax: Axes, capture: CaptureResult) -> None:
    """Say in the middle of the empty panel that the capture could not be analysed."""
    if capture.verdict is Verdict.ERROR and not capture.plot_traces:
        ax.text(
            0.5,
            0.5,
            "capture could not be analysed",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#5f6368",
            parse_math=False,
        )


def draw_margin_plot(
    ax: Axes,
    axm: Axes,
    capture: CaptureResult,
    title: str,
    window_db: float,
    right_margin: Callable[[list[float]], None],
    legend_strip: Callable[[int], None],
) -> list[DataLine]:
    """Draw the margin plot of ``capture`` on the level axes ``ax`` and margin axes ``axm``.

    Parameters
    ----------
    ax, axm : Axes
        Empty, styled by :func:`style_axes`, ``axm`` sharing ``ax``'s x axis, in the
        layout of the figure (the labels are kept inside ``ax`` by measuring them).
    capture : CaptureResult
        Uses ``plot_traces``, ``ambient_traces``, ``plot_limits``, ``suspects``, ``checks``,
        ``verdict``.
    title : str
        Plot title, already shortened and wrapped.
    window_db : float
        Suspect window shaded in the margin panel (margins from 0 to it). [dB]
    right_margin : callable
        Called with the major frequency ticks [MHz] when the last one sits on the right edge
        (its label needs more room there).
    legend_strip : callable
        Called with the rows of the level legend above the level panel (0: none, the legend
        is inside); the figure's owner makes :func:`legend_strip_in` room for them above it.

    Returns
    -------
    list of DataLine
        The traces and margin curves, drawn with their full data.
    """
    data: list[DataLine] = []
    freqs = _draw_traces(ax, capture, data)
    limit_lines = _draw_limits(ax, capture, freqs)
    fx = _freq_axis(capture, freqs)
    draw_suspects(ax, axm, capture.suspects)
    tags, required = margin_labels(ax, capture)
    wtext = draw_worst(ax, axm, capture)
    _draw_margin_panel(axm, capture, window_db, data)
    legend_rows = _level_legend_rows(ax)
    legend_strip(legend_rows)
    _draw_freq_axis(ax, axm, fx, right_margin)
    legend = _level_range(ax, _unit(capture), legend_rows)
    wbox = _draw_headline(ax, capture, title, wtext, legend_rows)
    place_labels(
        cast(Figure, ax.figure),
        ax,
        tags,
        [a for a in (legend, wbox) if a is not None],
        lines=limit_lines,
        required=required,
    )
    draw_leaders(ax, tags)
    _draw_error_note(ax, capture)
    return data
