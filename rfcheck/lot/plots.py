"""``lot``'s plot: every unit's levels, the golden unit highlighted, the 80/80 value per frequency.

One panel per line a unit's capture of the port was judged against. Built with the
object-oriented matplotlib API and saved through :func:`rfcheck.report.plot_rendering.figure_png` /
:func:`~rfcheck.report.plot_rendering.figure_svg` (reproducible bytes); long solid traces are filled
as their band (:mod:`rfcheck.report.band`), decimated by
:func:`rfcheck.report.decimate.envelope`. The frequency axis spans the plotted traces with
the margin plots' ticks (:func:`rfcheck.report.freq_axis.log_freq_axis`: 0.15, 0.5, 1, 5, 10,
30 MHz on a conducted axis, round band ends labelled). ``compare``'s plot is
:mod:`rfcheck.lot.overlay_plot`; what both draw alike, :mod:`rfcheck.lot.plot_parts`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..frequency import format_mhz
from ..line_results import LineCheck
from ..outcome import Verdict
from ..plotted import PlotLimit, PlotTrace
from ..report.detector_names import detector_abbr
from ..report.fonts import VERDICT_COLOURS
from ..report.pdftext import font_safe
from ..report.plot_rendering import drawing
from ..textsafe import printable, shorten
from .distance import LevelDistance
from .emissions import EmissionList
from .plot_parts import (
    distance_title,
    draw_band,
    draw_limits,
    freq_axis,
    part_limits,
    plot_name,
    shifted,
    style_axes,
)
from .readings import measures
from .results import LotResult, StatRow, UnitResult
from .statistics import Method

__all__ = ["lot_figure"]


_VERDICT = {v: VERDICT_COLOURS[v] for v in (Verdict.PASS, Verdict.FAIL)}  #: the reports' palette


def _line_trace(el: EmissionList, line_detector: str) -> PlotTrace | None:
    """Return the first trace measuring a ``line_detector`` line (the statistics' rule).

    :func:`rfcheck.lot.readings.measures`: an ``average`` (video) trace measures a
    ``cispr-average`` line, as the 80/80 statistics read it.
    """
    return next((t for t in el.traces if measures(t.detector, line_detector)), None)


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
        _unit_traces(ax, result, port, (lid, line, det), dist)
        draw_limits(ax, part_limits(ref, dist), (lid, line))
        rows = [
            r for r in result.statistics if r.port == port and (r.limit_id, r.line) == (lid, line)
        ]
        _statistic_marks(ax, rows)
        style_axes(ax, f"{detector_abbr(det)} [{ref.traces[0].unit if ref.traces else ''}]")
        ax.set_title(
            f"{plot_name(port)}: {lid} {line}, {measured}{distance_title(dist)}", fontsize=9
        )
        ax.legend(fontsize=6, loc="best")  # the place hiding the fewest points
    traces = [t for u in result.units if port in u.captures for t in u.captures[port].traces]
    freq_axis(list(axes), traces, ref.limit_lines)
    axes[-1].set_xlabel("Frequency [MHz]")
    return fig


def _judged_keys(
    result: LotResult, port: str, limits: tuple[PlotLimit, ...]
) -> list[tuple[str, str, str]]:
    """Return ``(limit id, line, detector)`` of each line some unit's capture of ``port`` judged.

    A line no unit was judged against (the AV and PK lines above 1 GHz of a device whose
    highest frequency bounds the measurement at 1 GHz, 47 CFR 15.33(b)(1)) gets no panel: it
    would be an empty axis. A line required but not measured is judged (INCOMPLETE) and
    keeps its panel. With no judged line at all, every line. Each line once (a port
    measured at two distances has its limit lines at each).
    """
    judged = {
        (c.limit_id, c.line)
        for u in result.units
        if port in u.captures
        for c in u.captures[port].result.checks
    }
    keys = list(dict.fromkeys((pl.limit_id, pl.line, pl.detector) for pl in limits))
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


def _identical_label(result: LotResult, port: str, key: tuple[str, str]) -> str:
    """Return the legend entry of the identical units measured on ``port`` ("": none).

    ``identical units (3): u2, u3, u4``; beyond :data:`_NAMED_IDENTICAL` units only the
    count (``identical units (11)``): one entry, however many units, keeps the legend short.
    A unit over the panel's line ``key`` (limit id, line) is not among them: it has its own
    entry (:func:`_unit_label`).
    """
    names = [
        u.unit
        for u in result.units
        if u.unit != result.golden
        and u.identity == "yes"
        and port in u.captures
        and _over_limit(u, port, key) is None
    ]
    if not names:
        return ""
    head = f"identical units ({len(names)})"
    if len(names) > _NAMED_IDENTICAL:
        return head
    return f"{head}: {shorten(', '.join(font_safe(printable(n)) for n in names), 48)}"


def _unit_traces(
    ax: Axes,
    result: LotResult,
    port: str,
    key: tuple[str, str, str],
    dist: LevelDistance | None = None,
) -> None:
    """Draw each unit's ``det`` trace on ``port`` in its identity's colour (:func:`_unit_trace`).

    A pooled port draws each member's trace of ``det`` (a prescan and the final
    measurement), labelled once; a port measured at several distances, each distance's
    (:attr:`~rfcheck.lot.emissions.EmissionList.parts`). Each trace is drawn at the distance
    ``dist`` the statistics take levels at, from the distance it was measured at (47 CFR
    15.31(f)). The identical units share one legend entry (:func:`_identical_label`),
    carried by the first one drawn; a unit over the panel's line is named in its own.
    ``key``: the panel's (limit id, line, detector).
    """
    lid, line, det = key
    identical = _identical_label(result, port, (lid, line))
    for u in result.units:
        el = u.captures.get(port)
        if el is None:
            continue
        drawn = [
            shifted(tr, dist, None if dist is None else part.judged_distance_m(dist.limit_id))
            for part in el.parts
            for tr in _part_traces(part, det)
        ]
        over = _over_limit(u, port, (lid, line))
        for i, tr in enumerate(drawn):
            label = _unit_label(result, u, over) if i == 0 else None
            if label is None and i == 0 and identical:
                label, identical = identical, ""  # the entry once, on the first one drawn
            _unit_trace(ax, result, u, tr, label, over is not None)


def _part_traces(el: EmissionList, det: str) -> list[PlotTrace]:
    """Return the traces of one distance's list to draw for a ``det`` line.

    Each member's (:func:`_member_traces`) when it pools several captures, else its first.
    """
    if len(el.members) > 1:
        return _member_traces(el, det, el.members)
    return [t for t in [_line_trace(el, det)] if t is not None]


def _over_limit(u: UnitResult, port: str, key: tuple[str, str]) -> LineCheck | None:
    """Return the check of line ``key`` (limit id, line) on ``port`` when it is FAIL, else None.

    The unit was measured over that limit line (its level, or a lower bound of it).
    """
    el = u.captures.get(port)
    if el is None:
        return None
    return next(
        (c for c in el.result.checks if (c.limit_id, c.line) == key and c.verdict is Verdict.FAIL),
        None,
    )


def _unit_label(result: LotResult, u: UnitResult, over: LineCheck | None = None) -> str | None:
    """Return the legend entry of a unit's own (None: an identical unit, counted together).

    A unit over the panel's line is always named, with its worst margin there
    (``u7 (identical; over the limit: -1.24 dB at 1 MHz)``): the unit that fails the lot is
    not drawn unnamed among the identical units.
    """
    said = {"no": "not identical", "unknown": "identity not shown"}.get(u.identity, "identical")
    if u.unit == result.golden:
        said = "golden"
    if over is not None:
        return f"{plot_name(u.unit)} ({said}; over the limit: {_over_text(over)})"
    return None if said == "identical" else f"{plot_name(u.unit)} ({said})"


def _over_text(c: LineCheck) -> str:
    """``-1.24 dB at 1 MHz``: a line check's worst margin and where (what is known of it)."""
    if c.worst_margin_db is None:
        return "FAIL"
    where = "" if c.worst_frequency_hz is None else f" at {format_mhz(c.worst_frequency_hz)}"
    return f"{c.worst_margin_db:+.2f} dB{where}"


def _unit_trace(
    ax: Axes,
    result: LotResult,
    u: UnitResult,
    tr: PlotTrace,
    label: str | None,
    over: bool = False,
) -> None:
    """Draw one trace of unit ``u`` in its identity's colour.

    Golden blue, not identical (a difference shown) orange, identity unknown (not shown
    either way: missing data) purple, identical dark grey. The other units are drawn over
    the golden unit's wider trace, thin and translucent, so that each stays visible where
    they coincide (they are the units the 80/80 statistics are over), with 12 units as
    with 2. A unit other than the golden one measured over the panel's line (``over``) is
    drawn in the FAIL colour on top, named in the legend.
    """
    if u.unit == result.golden:
        draw_band(ax, tr, lw=1.6, color="#1a73e8", label=label, zorder=2.5, ms=5.0)
    elif over:
        draw_band(ax, tr, lw=1.0, color=_VERDICT[Verdict.FAIL], label=label, zorder=3.5)
    elif u.identity == "no":
        draw_band(ax, tr, lw=0.8, color="#e37400", label=label, zorder=3)
    elif u.identity == "unknown":
        draw_band(ax, tr, lw=0.8, color="#9334e6", label=label, zorder=3)
    else:
        draw_band(ax, tr, lw=0.6, color="#3c4043", alpha=0.6, label=label, zorder=3)


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
