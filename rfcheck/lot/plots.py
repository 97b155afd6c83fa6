"""Plots of ``compare`` and ``lot``.

Plots of ``compare`` (both captures overlaid, with a difference panel) and ``lot`` (every unit's
levels with the golden unit highlighted and the 80/80 value per frequency).

Built with the object-oriented matplotlib API and saved through
:func:`rfcheck.report.plots.figure_png` / :func:`~rfcheck.report.plots.figure_svg`
(reproducible bytes); long solid traces are filled as their band (:mod:`rfcheck.report.band`),
the dotted ones and the differences decimated by :func:`rfcheck.report.decimate.envelope`.
The frequency axis spans the plotted traces with the margin plots' ticks
(:func:`rfcheck.report.freq_axis.log_freq_axis`: 0.15, 0.5, 1, 5, 10, 30 MHz on a conducted
axis, round band ends labelled).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation
from matplotlib.ticker import FuncFormatter, NullFormatter

from ..outcome import Verdict
from ..plotted import PlotLimit, PlotTrace
from ..report.band import add_band_line
from ..report.decimate import envelope
from ..report.detector_names import detector_abbr
from ..report.fonts import VERDICT_COLOURS
from ..report.freq_axis import log_freq_axis
from ..report.label_placement import draw_leaders, label_offset_pt, place_labels
from ..report.pdftext import font_safe
from ..report.plot_styles import LIMIT_LINESTYLE, shade
from ..report.plots import drawing
from ..textsafe import printable, shorten
from .distance import LevelDistance
from .emissions import EmissionList, measures
from .matching import DeltaBound
from .results import CompareResult, LotResult, StatRow, UnitResult
from .statistics import Method

__all__ = ["overlay_figure", "lot_figure"]

_VERDICT = {v: VERDICT_COLOURS[v] for v in (Verdict.PASS, Verdict.FAIL)}  #: the reports' palette
#: The difference panel shows points at least this far over the median (noise) level. [dB]
_OVER_FLOOR_DB = 6.0


def _mhz(f: np.ndarray) -> np.ndarray:
    return np.asarray(f, dtype=float) / 1e6


def _name(text: str, max_chars: int = 40) -> str:
    r"""Return a name as a plot draws it: cut, CJK as ``\u30e6`` as check does (audit46 F11)."""
    return shorten(font_safe(printable(text)), max_chars)


def _limits(ax: Axes, limits: tuple[PlotLimit, ...], only: tuple[str, str] | None = None) -> None:
    for pl in limits:
        if only is not None and (pl.limit_id, pl.line) != only:
            continue
        ax.plot(
            _mhz(pl.freq_hz),
            pl.level,
            color="#7a0c0c",
            lw=1.2,
            ls=LIMIT_LINESTYLE.get(pl.detector, "-"),
            label=f"{pl.limit_id} {pl.line}",
        )


def _style(ax: Axes, ylabel: str) -> None:
    """Major grid (the minor lines are :func:`log_freq_axis`'s) and the level label."""
    ax.grid(True, which="major", lw=0.3, color="#dadce0")
    ax.set_ylabel(ylabel)


def _plotted_span_hz(
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


def _freq_axis(axes: list[Axes], traces: list[PlotTrace], limits: tuple[PlotLimit, ...]) -> None:
    """Log frequency axis over :func:`_plotted_span_hz`."""
    span = _plotted_span_hz(traces, limits)
    if span is not None:
        log_freq_axis(axes, *span)
    else:  # nothing to span: a log axis with matplotlib's ticks, labelled in plain numbers
        for ax in axes:  # (its own labels are mathtext, which the plots do not parse)
            ax.set_xscale("log")
        axes[0].xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        axes[0].xaxis.set_minor_formatter(NullFormatter())


def _trace_for(traces: Sequence[PlotTrace], detector: str) -> PlotTrace | None:
    return next((t for t in traces if t.detector == detector), None)


def _compare_distance(result: CompareResult) -> LevelDistance | None:
    """Return the distance the overlay takes both sides' levels at: its first radiated limit's."""
    return result.distances[0] if result.distances else None


def _side_traces(result: CompareResult, side: str) -> list[PlotTrace]:
    """Return side ``A``'s or ``B``'s traces at the one distance of the comparison."""
    el = result.a if side == "A" else result.b
    dist = _compare_distance(result)
    return [_shifted(tr, dist, side) for tr in el.traces]


def _line_trace(el: EmissionList, line_detector: str) -> PlotTrace | None:
    """Return the first trace measuring a ``line_detector`` line (the statistics' rule).

    :func:`rfcheck.lot.emissions.measures`: an ``average`` (video) trace measures a
    ``cispr-average`` line, as the 80/80 statistics read it.
    """
    return next((t for t in el.traces if measures(t.detector, line_detector)), None)


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
    names = (_name(names[0], 60), _name(names[1], 60))  # untrusted: escaped, bounded
    fig = Figure(figsize=(7.5, 6.2), layout="constrained")
    ax, axd = fig.subplots(2, 1, sharex=True, height_ratios=(2.6, 1.25))
    unit = _overlay_traces(ax, result, names)
    traces = [*_side_traces(result, "A"), *_side_traces(result, "B")]
    b_limits = _at_distance(result.b.limit_lines, _compare_distance(result), "B")
    before = len(ax.lines)
    _limits(ax, _drawn_limits(b_limits, _plotted_span_hz(traces, b_limits)))
    limit_lines = ax.lines[before:]
    labels = _delta_labels(ax, result)
    _unpaired_marks(ax, result, names)
    _style(ax, f"level [{unit}]")
    ax.legend(fontsize=6, ncols=3, loc="best")  # the place hiding the fewest points
    ax.set_title(
        f"{names[1]} vs {names[0]}: {_count(len(result.matched.pairs), 'paired reading')}, "
        f"{len(result.matched.only_in_a)} only in {names[0]}, "
        f"{len(result.matched.only_in_b)} only in {names[1]}"
        + _moved_at(_compare_distance(result), {"A": names[0], "B": names[1]}),
        fontsize=9,
    )
    _delta_panel(axd, result)
    _freq_axis([ax, axd], traces, b_limits)
    _style(axd, f"{names[1]} − {names[0]} [dB]")
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
                "label": f"{_name(name)} {detector_abbr(tr.detector)}",
            }
            if tr.detector != "peak":
                _band(ax, tr, **style)
            else:  # dotted: stroked, so decimated
                f, y = envelope(tr.freq_hz, tr.level)
                ax.plot(_mhz(f), y, ls=(0, (1, 1)), **style)
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
        axd.plot(_mhz(f), y, ls="none", marker=".", ms=2.0, label=f"Δ{detector_abbr(det)}")
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


@drawing()  # built holding the plot lock, its texts literal (unit and port names)
def lot_figure(result: LotResult, port: str) -> Figure:
    """Plot every unit's readings on one port with the 80/80 value per frequency.

    Every unit's reading of each line's detector on one port, golden highlighted, the 80/80 value
    ``x̄ + k·S_n`` (or the binomial order statistic) per frequency. One panel per line a
    unit's capture of the port was judged against (:func:`_judged_keys`).
    """
    # the golden unit's capture of the port; a port it lacks: the first unit's that has it
    ref_unit = next(
        u for u in sorted(result.units, key=lambda u: u.unit != result.golden) if port in u.captures
    )
    ref = ref_unit.captures[port]
    keys = _judged_keys(result, port, ref.limit_lines)
    n_port = sum(port in u.captures for u in result.units)  # the units measured on this port
    n_all = len(result.units)
    measured = f"{n_port} units" if n_port == n_all else f"{n_port} of {n_all} units"
    fig = Figure(figsize=(7.5, 2.9 * max(1, len(keys)) + 0.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(max(1, len(keys)), 1, sharex=True))
    for ax, (lid, line, det) in zip(axes, keys, strict=False):
        dist = result.distance(port, lid)
        _unit_traces(ax, result, port, det, dist)
        _limits(ax, _at_distance(ref.limit_lines, dist, ref_unit.unit), (lid, line))
        rows = [
            r for r in result.statistics if r.port == port and (r.limit_id, r.line) == (lid, line)
        ]
        _statistic_marks(ax, rows)
        _style(ax, f"{detector_abbr(det)} [{ref.traces[0].unit if ref.traces else ''}]")
        ax.set_title(f"{_name(port)}: {lid} {line}, {measured}{_at(dist)}", fontsize=9)
        ax.legend(fontsize=6, loc="best")  # the place hiding the fewest points
    traces = [t for u in result.units if port in u.captures for t in u.captures[port].traces]
    _freq_axis(list(axes), traces, ref.limit_lines)
    axes[-1].set_xlabel("Frequency [MHz]")
    return fig


def _at(dist: LevelDistance | None, names: dict[str, str] | None = None) -> str:
    """Return the title's distance: ``, levels at 3 m (u01 from 10 m)`` ("": none).

    ``names``: a member's display name (a side's ``--names``).
    """
    if dist is None:
        return ""
    name = names or {}
    moved = ", ".join(f"{_name(name.get(m, m))} from {d:g} m" for m, d in dist.shifted)
    return f", levels at {dist.distance_m:g} m" + (f" ({shorten(moved, 80)})" if moved else "")


def _moved_at(dist: LevelDistance | None, names: dict[str, str]) -> str:
    """Return :func:`_at` when a side was measured at another distance ("" otherwise)."""
    return _at(dist, names) if dist is not None and dist.shifted else ""


def _at_distance(
    limits: tuple[PlotLimit, ...], dist: LevelDistance | None, member: str
) -> tuple[PlotLimit, ...]:
    """Return ``member``'s limit lines re-expressed at the lot's distance (as its levels)."""
    if dist is None:
        return limits
    return tuple(replace(pl, level=pl.level + dist.offset_db(member, pl.freq_hz)) for pl in limits)


def _shifted(tr: PlotTrace, dist: LevelDistance | None, member: str) -> PlotTrace:
    """Return ``member``'s trace re-expressed at the lot's distance (47 CFR 15.31(f))."""
    if dist is None:
        return tr
    off = dist.offset_db(member, tr.freq_hz)
    return tr if not np.any(off) else replace(tr, level=tr.level + off)


def _judged_keys(
    result: LotResult, port: str, limits: tuple[PlotLimit, ...]
) -> list[tuple[str, str, str]]:
    """Return ``(limit id, line, detector)`` of each line some unit's capture of ``port`` judged.

    A line no unit was judged against (the AV and PK lines above 1 GHz of a device whose
    highest frequency bounds the measurement at 1 GHz, 47 CFR 15.33(b)(1)) gets no panel: it
    would be an empty axis. A line required but not measured is judged (INCOMPLETE) and
    keeps its panel. With no judged line at all, every line.
    """
    judged = {
        (c.limit_id, c.line)
        for u in result.units
        if port in u.captures
        for c in u.captures[port].result.checks
    }
    keys = [(pl.limit_id, pl.line, pl.detector) for pl in limits]
    return [k for k in keys if k[:2] in judged] or keys


def _member_traces(el: EmissionList, detector: str, members: tuple[str, ...]) -> list[PlotTrace]:
    """Return the first trace measuring a ``detector`` line of each member of a pooled port.

    A pooled trace is named ``<member>: <trace>`` (the member's file name, or its path when
    two members share a name: :func:`rfcheck.combine.analyse_combined`).
    """
    out: list[PlotTrace] = []
    for m in members:
        names = (f"{Path(m).name}: ", f"{m}: ")
        tr = next(
            (t for t in el.traces if measures(t.detector, detector) and t.label.startswith(names)),
            None,
        )
        if tr is not None and all(tr is not o for o in out):
            out.append(tr)
    return out


#: Identical units named in their legend entry up to this many (beyond: only counted).
_NAMED_IDENTICAL = 3


def _identical_label(result: LotResult, port: str) -> str:
    """Return the legend entry of the identical units measured on ``port`` ("": none).

    ``identical units (3): u2, u3, u4``; beyond :data:`_NAMED_IDENTICAL` units only the
    count (``identical units (11)``): one entry, however many units, keeps the legend short.
    """
    names = [
        u.unit
        for u in result.units
        if u.unit != result.golden and u.identity == "yes" and port in u.captures
    ]
    if not names:
        return ""
    head = f"identical units ({len(names)})"
    if len(names) > _NAMED_IDENTICAL:
        return head
    return f"{head}: {shorten(', '.join(font_safe(printable(n)) for n in names), 48)}"


def _unit_traces(
    ax: Axes, result: LotResult, port: str, det: str, dist: LevelDistance | None = None
) -> None:
    """Draw each unit's ``det`` trace on ``port`` in its identity's colour (:func:`_unit_trace`).

    A pooled port draws each member's trace of ``det`` (a prescan and the final
    measurement), labelled once. Each trace is drawn at the distance ``dist`` the statistics
    take levels at (a unit measured at another re-expressed there). The identical units
    share one legend entry (:func:`_identical_label`), carried by the first one drawn.
    """
    identical = _identical_label(result, port)
    for u in result.units:
        el = u.captures.get(port)
        if el is None:
            continue
        members = u.ports.get(port, ())
        traces = (
            _member_traces(el, det, members)
            if len(members) > 1
            else [t for t in [_line_trace(el, det)] if t is not None]
        )
        for i, tr in enumerate(traces):
            label = _unit_label(result, u) if i == 0 else None
            if label is None and i == 0 and identical:
                label, identical = identical, ""  # the entry once, on the first one drawn
            _unit_trace(ax, result, u, _shifted(tr, dist, u.unit), label)


def _unit_label(result: LotResult, u: UnitResult) -> str | None:
    """Return the legend entry of a unit's own (None: an identical unit, counted together)."""
    if u.unit == result.golden:
        return f"{_name(u.unit)} (golden)"
    if u.identity == "no":
        return f"{_name(u.unit)} (not identical)"
    if u.identity == "unknown":
        return f"{_name(u.unit)} (identity not shown)"
    return None


def _unit_trace(
    ax: Axes, result: LotResult, u: UnitResult, tr: PlotTrace, label: str | None
) -> None:
    """Draw one trace of unit ``u`` in its identity's colour.

    Golden blue, not identical (a difference shown) orange, identity unknown (not shown
    either way: missing data) purple, identical dark grey. The other units are drawn over
    the golden unit's wider trace, thin and translucent, so that each stays visible where
    they coincide (they are the units the 80/80 statistics are over), with 12 units as
    with 2.
    """
    if u.unit == result.golden:
        _band(ax, tr, lw=1.6, color="#1a73e8", label=label, zorder=2.5)
    elif u.identity == "no":
        _band(ax, tr, lw=0.8, color="#e37400", label=label, zorder=3)
    elif u.identity == "unknown":
        _band(ax, tr, lw=0.8, color="#9334e6", label=label, zorder=3)
    else:
        _band(ax, tr, lw=0.6, color="#3c4043", alpha=0.6, label=label, zorder=3)


def _band(ax: Axes, tr: PlotTrace, **style: Any) -> None:
    """Draw a trace: filled as its band in a PNG, its envelope stroked in an SVG.

    The band is computed from the full data (:mod:`rfcheck.report.band`); a vector backend
    strokes the max/min envelope (:func:`rfcheck.report.decimate.envelope`).
    """
    f = np.asarray(tr.freq_hz, dtype=float)
    keep = f > 0  # a log axis
    line = add_band_line(ax, _mhz(f[keep]), np.asarray(tr.level, dtype=float)[keep], **style)
    fe, ye = envelope(tr.freq_hz, tr.level)
    line.set_data(_mhz(fe), ye)  # what a vector backend strokes


def _statistic_marks(ax: Axes, rows: list[StatRow]) -> None:
    """Mark each frequency's 80/80 value in its verdict colour (``x``: none, at the limit)."""
    for r in rows:
        if r.outcome.value is None:
            ax.plot([r.frequency_hz / 1e6], [r.outcome.limit], "x", color="#5f6368", ms=5)
            continue
        ax.plot(
            [r.frequency_hz / 1e6],
            [r.outcome.value],
            "_",
            ms=12,
            mew=2,
            color=_VERDICT.get(r.verdict, "#5f6368"),
        )
    valued = [r for r in rows if r.outcome.value is not None]
    methods = {r.outcome.method for r in valued}
    formula = (
        "x̄ + k·Sₙ"
        if methods == {Method.NONCENTRAL_T}
        else "binomial"
        if methods == {Method.BINOMIAL}
        else "x̄ + k·Sₙ, or binomial"
    )
    for verdict in dict.fromkeys(r.verdict for r in valued):  # one entry per colour drawn
        ax.plot(
            [],
            [],
            "_",
            ms=12,
            mew=2,
            color=_VERDICT.get(verdict, "#5f6368"),
            label=f"80/80 value ({formula}): {verdict.value}",
        )
    if any(r.outcome.value is None for r in rows):
        ax.plot([], [], "x", color="#5f6368", ms=5, label="no 80/80 value (at the limit)")
