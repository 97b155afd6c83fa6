"""Margin plots of a dossier: the levels of all of a port's captures on one figure.

One figure per mains line, and one for the radiated ports with every polarisation overlaid;
each trace in its own colour and line style (one series rule for the figure, H's traces
translucent on top so that V's do not hide them), a final-measurement list as unjoined
markers (o QP, ■ CAV, ◆ PK: evidence at its frequencies only) and a sweep as a line broken at
its coverage gaps (:mod:`rfcheck.report.trace_runs`); limit lines by
detector (QP solid, AV dashed, PK dotted) and the final table's emissions marked (▼, one
legend entry, red for a value that decides FAIL; a hollow ▽ for an upper bound over the limit,
undecided). Each trace's legend label names its port and detector (``H (horizontal) PK:
file: trace``). The frequency axis spans the data and the plan's required
ranges (not the limit table's whole range: a 40 GHz table on a scan to 6 GHz); each limit line
is drawn where the plan requires it (a scan to 6 GHz on a plan to 5 GHz: AV and PK end at 5 GHz,
as a line drawn further reads as a requirement; scans to 1 GHz on that plan: AV and PK still
span 1-5 GHz, beside the missing data), and ticks are labelled in plain MHz as the per-capture
plots have them. Long traces are filled as the band of pixels their line covers
(:mod:`rfcheck.report.band`). The legend sits under the axes, the figure taller by its rows, so
it hides no trace or limit line (inside the axes it covered the 74 dBµV/m peak line above 1
GHz). A group none of whose ports was measured says so instead of drawing empty axes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from numpy.typing import NDArray

from ...outcome import MARGIN_EPS_DB, Bound, Verdict, combine_verdicts
from ...plotted import PlotLimit, PlotTrace
from ...product.dossier import PortResult, UnitDossier
from ...product.final_table import FinalRow, TableValue
from ...product.plan import PortKind
from ...textsafe import printable
from ...verdict.coverage import union
from .._common import VERDICT_COLOURS
from ..band import add_band_line
from ..detector_names import detector_abbr
from ..freq_axis import log_freq_axis
from ..plot_rendering import drawing, figure_png
from ..plot_styles import LIMIT_LINESTYLE, series_style
from ..trace_runs import draw_trace
from ._distance import several_distances

__all__ = ["port_group_figure", "port_group_png"]

#: Figure size (width, height). [in]
FIGSIZE_IN = (7.5, 4.2)
# Fixed layout: what tight layout finds for these fonts with two-digit level ticks ("70"),
# the left margin widened by the extra width of wider tick labels. [in]
_LEFT_2DIGITS_IN = 0.626
_RIGHT_IN = 0.15
_BOTTOM_IN = 0.61
_TOP_IN = 0.343

#: Legend under the axes: columns, font size [pt], and the height of one row and of the
#: legend's padding. [in]
_LEGEND_NCOL = 2
_LEGEND_FONT_PT = 6.0
_LEGEND_ROW_IN = _LEGEND_FONT_PT * 1.5 / 72  # font size + matplotlib's 0.5 label spacing
_LEGEND_PAD_IN = 0.12
#: The legend's distance from the figure's edge (``borderaxespad``) [font sizes], and the
#: room kept beside its widest label. [in]
_LEGEND_BORDER_AXES_PAD = 0.3
_LEGEND_SLACK_IN = 0.05

#: Height of the figure standing for a group with no measured port. [in]
_NOT_MEASURED_HEIGHT_IN = 1.4

_DETECTOR_ALPHA = {"peak": 0.7, "quasi-peak": 1.0, "cispr-average": 0.9, "average": 0.9}
_LIMIT_COLOUR = "#7a0c0c"
#: Final-table emission markers by what they say (:func:`_marked`): under the limit (dark ▼),
#: over it (▼ in the FAIL colour), an upper bound over it (hollow ▽ in the INCONCLUSIVE colour).
_MARKER_STYLES: dict[Verdict, dict[str, Any]] = {
    Verdict.PASS: {"color": "#1d2733"},
    Verdict.FAIL: {"color": VERDICT_COLOURS[Verdict.FAIL]},
    Verdict.INCONCLUSIVE: {
        "color": VERDICT_COLOURS[Verdict.INCONCLUSIVE],
        "mfc": "white",
        "mew": 1.2,
    },
}
_MARKER_LABEL = "final-table emission"
_MARKER_UNDECIDED_LABEL = "final-table emission: an upper bound over the limit (INCONCLUSIVE)"


@dataclass(frozen=True)
class _Span:
    """The frequency axis of one figure: ``lo_hz`` to ``hi_hz`` [Hz]."""

    lo_hz: float
    hi_hz: float


def _data_ends(d: UnitDossier, ports: tuple[str, ...]) -> list[tuple[float, float]]:
    """Return the first and last frequency of each trace of ``ports`` [Hz]."""
    return [
        (float(np.min(t.freq_hz)), float(np.max(t.freq_hz)))
        for p in d.ports
        if p.port in ports and p.pooled is not None
        for t in p.pooled.plot_traces
        if t.freq_hz.size
    ]


def _span(d: UnitDossier, ports: tuple[str, ...]) -> _Span:
    """Return the union of the ports' traces and of the plan's required ranges for them."""
    ends = _data_ends(d, ports)
    ends += [(c.required.start_hz, c.required.stop_hz) for c in d.cells if c.required.port in ports]
    lo, hi = min(a for a, _ in ends), max(b for _, b in ends)
    return _Span(lo, hi) if hi > lo else _Span(lo / 1.1, hi * 1.1)


def _limit_spans(
    d: UnitDossier, ports: tuple[str, ...], pl: PlotLimit, distance_m: float | None = None
) -> list[_Span]:
    """Return where limit line ``pl`` is drawn: the plan's ranges for it on ``ports``.

    The required ranges of the cells of ``ports`` for this line, merged where they touch or
    overlap; empty when the plan does not ask for the line on these ports or no port of the
    group has a trace (that figure says so instead). A required range the scans do not reach
    keeps its line over the axis the plan extends: the requirement is shown beside the
    missing data, as the matrix shows it MISSING. ``distance_m``: a unit measured at several
    distances draws each pool's line (at its distance [m]) over the cells judged there only.
    """
    if not _data_ends(d, ports):
        return []
    required = [
        (c.required.start_hz, c.required.stop_hz)
        for c in d.cells
        if c.required.port in ports
        and (c.required.limit_id, c.required.line) == (pl.limit_id, pl.line)
        and (distance_m is None or distance_m in d.distances_of(c))
    ]
    return [_Span(lo, hi) for lo, hi in union(required) if hi > lo]


def _clip_limit(pl: PlotLimit, span: _Span) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the limit line's breakpoints inside ``span``, cut at its ends [Hz, level].

    A line crossing an end gets a breakpoint there, interpolated in log frequency between
    its neighbours (a flat segment stays flat; 15.107's sloped QP segment stays on its
    slope). Empty arrays when the line lies outside the span.
    """
    f = np.asarray(pl.freq_hz, dtype=float)
    y = np.asarray(pl.level, dtype=float)
    empty = np.empty(0)
    if f.size < 2 or f[-1] <= span.lo_hz or f[0] >= span.hi_hz:
        return empty, empty
    inside = (f >= span.lo_hz) & (f <= span.hi_hz)
    logf = np.log10(f)
    fs, ys = [f[inside]], [y[inside]]
    if f[0] < span.lo_hz:
        fs.insert(0, np.array([span.lo_hz]))
        ys.insert(0, np.array([np.interp(math.log10(span.lo_hz), logf, y)]))
    if f[-1] > span.hi_hz:
        fs.append(np.array([span.hi_hz]))
        ys.append(np.array([np.interp(math.log10(span.hi_hz), logf, y)]))
    return np.concatenate(fs), np.concatenate(ys)


@drawing()  # built holding the plot lock, its texts literal (file and port names)
def port_group_figure(d: UnitDossier, title: str, ports: tuple[str, ...]) -> Figure:
    """Levels [dBµV or dBµV/m] against frequency [MHz], log axis, for ``ports``.

    :data:`FIGSIZE_IN` plus the legend's rows under the axes; a group with no measured port
    is a figure saying which ports have no capture.
    """
    measured = [p for p in d.ports if p.port in ports and p.pooled is not None]
    if not measured:
        return _not_measured_figure(d, title, ports)
    fig = Figure(figsize=FIGSIZE_IN)
    ax = fig.add_subplot()
    span = _span(d, ports)
    unit = _draw_traces(ax, d, ports)
    _draw_limits(ax, d, ports)
    _draw_final_markers(ax, [r for r in d.final_rows if r.port in ports])
    major = _draw_frame(ax, span)
    ax.set_ylabel(f"Level [{unit}]" if unit else "Level")
    ax.set_title(printable(f"{d.unit}: {title}{_unmeasured_note(d, ports)}"), fontsize=9.5)
    _layout(fig, ax, _right_in(span, major))
    return fig


def _unmeasured_note(d: UnitDossier, ports: tuple[str, ...]) -> str:
    """`` · not measured: no capture of V`` for the group's ports with no capture, else ``""``.

    An overlay with one polarisation missing would otherwise just lack its traces; a port
    whose capture could not be used reads `` · could not be used: the capture of V``.
    """
    unread = _unread_ports(d)
    empty = [p.port for p in d.ports if p.port in ports and not p.captures]
    other = [p for p in empty if p not in unread and d.set_aside(p)]
    absent = [p for p in empty if p not in unread and p not in other]
    notes = []
    if absent:
        notes.append(f"not measured: no capture of {', '.join(absent)}")
    if other:
        notes.append(
            "not measured for this unit: "
            + ", ".join(
                f"the capture of {p} also filed under another unit or port"
                if d.shared_only(p)
                else f"another device's capture of {p}"
                for p in other
            )
        )
    if not_read := [p for p in empty if p in unread]:
        notes.append(f"could not be used: the capture of {', '.join(not_read)}")
    return "".join(f" · {n}" for n in notes)


def _unread_ports(d: UnitDossier) -> set[str]:
    """Return the ports whose capture could not be used (the cells name the files)."""
    return {c.required.port for c in d.cells if c.unreadable}


#: Names of the usual polarisation ports, for the legend.
_POLARISATION_NAMES = {"H": "horizontal", "V": "vertical"}
#: Several ports on one figure (H and V): the first port's traces are drawn on top at
#: :data:`_OVERLAY_TOP_ALPHA`, the others' under them at :data:`_OVERLAY_ALPHA`, so where
#: the polarisations' traces lie on each other both show, the upper one tinting the lower.
_OVERLAY_TOP_ALPHA = 0.6
_OVERLAY_ALPHA = 0.7
#: z-order of the traces (under the limit lines and markers, at matplotlib's 2).
_TRACE_ZORDER = 1.5


def _port_name(d: UnitDossier, port: str) -> str:
    """Return ``H (horizontal)`` for a polarisation port, else the port as it is."""
    if d.plan.port_kind(port) is PortKind.POLARISATION and port in _POLARISATION_NAMES:
        return f"{port} ({_POLARISATION_NAMES[port]})"
    return port


def _draw_traces(ax: Axes, d: UnitDossier, ports: tuple[str, ...]) -> str:
    """Draw every trace of ``ports``, each in its own style; return the level unit.

    Each trace takes the next colour and line style of the one series rule
    (:func:`rfcheck.report.plot_styles.series_style`): a port's peak scan, average scan and
    an I/Q recording's three detectors on one mains line are five colours, not five shades
    of one blue. A label names the port and the detector: ``H (horizontal) PK: file.csv:
    Trace1``. With several ports measured (H and V) the first port's traces lie on top,
    translucent, over the others' (:data:`_OVERLAY_TOP_ALPHA`): the last port drawn no
    longer hides the first. A dense solid trace is filled as its band
    (:mod:`rfcheck.report.band`), broken where its coverage has a gap; a final-measurement
    list is drawn as unjoined markers (:func:`rfcheck.report.trace_runs.draw_trace`): a
    line between two finals would draw levels that were never measured.
    """
    unit = ""
    measured = [p for p in ports if any(r.port == p and r.pooled is not None for r in d.ports)]
    several = several_distances(d)
    k = 0
    for i, port in enumerate(ports):
        for pr, t in _port_traces(d, port):
            if len(measured) > 1:
                alpha = _OVERLAY_TOP_ALPHA if port == measured[0] else _OVERLAY_ALPHA
            else:
                alpha = _DETECTOR_ALPHA.get(t.detector, 0.8)
            colour, ls = series_style(k)
            k += 1
            draw_trace(
                ax,
                t.freq_hz,
                t.level,
                detector=t.detector,
                rbw_hz=t.rbw_hz,
                line=add_band_line,
                sweep_unstated=t.sweep_unstated,
                color=colour,
                ls=ls,
                lw=0.7,
                alpha=alpha,
                zorder=_TRACE_ZORDER - 0.01 * i,  # the first port on top
                label=printable(
                    f"{_port_name(d, port)} {detector_abbr(t.detector)}"
                    f"{_at(pr.distance_m, several)}: {t.label}"
                ),
            )
            unit = t.unit
    return unit


def _port_traces(d: UnitDossier, port: str) -> list[tuple[PortResult, PlotTrace]]:
    """Return the plotted traces of ``port``, each with its pool (one per distance)."""
    return [
        (pr, t)
        for pr in d.ports
        if pr.port == port and pr.pooled is not None
        for t in pr.pooled.plot_traces
    ]


def _at(distance_m: float | None, several: bool) -> str:
    """`` at 3 m`` for a unit measured at several distances, else ``""``."""
    return f" at {distance_m:g} m" if several and distance_m is not None else ""


def _draw_limits(ax: Axes, d: UnitDossier, ports: tuple[str, ...]) -> None:
    """Draw each limit line of ``ports`` once, over :func:`_limit_spans` only.

    A line drawn nowhere is not in the legend; one drawn over two ranges is listed once.
    """
    drawn: set[tuple[str, str, float | None]] = set()
    several = several_distances(d)
    for pr in d.ports:
        if pr.port not in ports or pr.pooled is None:
            continue
        at = pr.distance_m if several else None
        for pl in pr.pooled.plot_limits:
            if (pl.limit_id, pl.line, at) in drawn:
                continue
            drawn.add((pl.limit_id, pl.line, at))
            label = f"{pl.limit_id} {pl.line}{_at(at, several)}"
            for span in _limit_spans(d, ports, pl, at):
                f_hz, level = _clip_limit(pl, span)
                if f_hz.size:
                    ax.plot(
                        f_hz / 1e6,
                        level,
                        color=_LIMIT_COLOUR,
                        ls=LIMIT_LINESTYLE.get(pl.detector, "-"),
                        lw=1.2,
                        label=label,
                    )
                    label = "_nolegend_"


def _draw_frame(ax: Axes, span: _Span) -> list[float]:
    """Log frequency axis over ``span`` with plain MHz tick labels; return the major ticks.

    The ticks of the per-capture plots (:func:`rfcheck.report.freq_axis.log_freq_axis`:
    0.15, 0.5, 1, 5, 30, 100, 300, 1000 MHz ...), pointing inwards as there.
    """
    major = log_freq_axis((ax,), span.lo_hz, span.hi_hz)
    ax.set_xlabel("Frequency [MHz]")
    ax.grid(True, which="major", lw=0.3, color="#c9ced6")  # minor lines: freq_ticks
    return major


def _right_in(span: _Span, major: Sequence[float]) -> float:
    """Return the right margin [in]: wider when the last tick label sits on the right edge."""
    if not major or math.log10(span.hi_hz / 1e6 / major[-1]) > 0.02 * math.log10(
        span.hi_hz / span.lo_hz
    ):
        return _RIGHT_IN
    size = FontProperties(size=mpl.rcParams["xtick.labelsize"]).get_size_in_points()
    return max(_RIGHT_IN, _text_width_in(f"{major[-1]:g}", size) / 2 + 0.05)


def _layout(fig: Figure, ax: Axes, right_in: float) -> None:
    """Put the legend under the axes, the figure taller by its rows; fix the margins."""
    handles, labels = ax.get_legend_handles_labels()
    widest_in = _legend_label_max_in(FIGSIZE_IN[0])
    labels = [_fit_label(lb, _LEGEND_FONT_PT, widest_in) for lb in labels]
    rows = math.ceil(len(labels) / _LEGEND_NCOL)
    legend_in = rows * _LEGEND_ROW_IN + _LEGEND_PAD_IN if rows else 0.0
    w, h = FIGSIZE_IN[0], FIGSIZE_IN[1] + legend_in
    fig.set_size_inches(w, h)
    if rows:
        fig.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=_LEGEND_NCOL,
            fontsize=_LEGEND_FONT_PT,
            frameon=False,
            borderaxespad=_LEGEND_BORDER_AXES_PAD,
        )
    fig.subplots_adjust(
        left=_left_in(ax) / w,
        right=1.0 - right_in / w,
        bottom=(_BOTTOM_IN + legend_in) / h,
        top=1.0 - _TOP_IN / h,
    )


def _marked(row: FinalRow) -> tuple[Verdict, TableValue]:
    """Return what a final-table emission's marker says, and the value it marks.

    A value over the limit is FAIL when its level is measured or a lower bound (the level is
    at least that), INCONCLUSIVE when it is an upper bound (the level may lie under the
    limit: ``docs/verdict.md``); a value under the limit is PASS here. The row's worst
    verdict, then the smallest margin of it: the reading that decides, as the margin labels
    of the per-capture plots show it (:func:`rfcheck.report._labels.label_suspects`).
    """

    def says(v: TableValue) -> Verdict:
        if v.margin_db >= -MARGIN_EPS_DB:
            return Verdict.PASS
        return Verdict.FAIL if v.bound in (Bound.MEASURED, Bound.LOWER) else Verdict.INCONCLUSIVE

    worst = combine_verdicts([says(v) for v in row.values.values()])
    return worst, min(
        (v for v in row.values.values() if says(v) is worst), key=lambda v: v.margin_db
    )


def _legend_label_max_in(width_in: float) -> float:
    """Return the widest legend label [in] that keeps the legend inside a figure ``width_in`` wide.

    :data:`_LEGEND_NCOL` columns share the width less the legend's pads, and each label its
    column less the handle before it (matplotlib's ``legend.*`` sizes, in font sizes); a
    little slack for the measurement.
    """
    em_in = _LEGEND_FONT_PT / 72.0
    rc = mpl.rcParams
    pads = 2.0 * (_LEGEND_BORDER_AXES_PAD + float(rc["legend.borderpad"]))
    pads += (_LEGEND_NCOL - 1) * float(rc["legend.columnspacing"])
    handle = float(rc["legend.handlelength"]) + float(rc["legend.handletextpad"])
    return (width_in - pads * em_in) / _LEGEND_NCOL - handle * em_in - _LEGEND_SLACK_IN


def _fit_label(label: str, size_pt: float, max_in: float) -> str:
    """Return ``label``, shortened in the middle with an ellipsis to at most ``max_in`` [in].

    Its start (the port, the detector, the file name's start) and its end (the file name's
    end, the trace) stay, as many characters of each as fit at ``size_pt`` [pt]; the record's
    tables keep the full names. A long file name pushed the legend, centred under the axes,
    off both sides of the image.
    """
    if _text_width_in(label, size_pt) <= max_in:
        return label
    lo, hi = 0, len(label) - 1  # characters kept: the most that fit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _text_width_in(_elided(label, mid), size_pt) <= max_in:
            lo = mid
        else:
            hi = mid - 1
    return _elided(label, lo)


def _elided(label: str, keep: int) -> str:
    """Return ``label`` with ``keep`` of its characters, the start and the end, around ``…``."""
    head = (keep + 1) // 2
    return f"{label[:head]}\u2026{label[len(label) - (keep - head) :]}"


def _draw_final_markers(ax: Axes, rows: Sequence[FinalRow]) -> None:
    """Mark each final-table emission at its deciding value (:func:`_marked`).

    ▼ under the limit, red ▼ over it (FAIL), and a hollow ▽ in the inconclusive colour for an
    upper bound over it (undecided: a peak reading over the average limit), the per-capture
    plots' shape for an upper bound. One artist per kind; one legend entry for the ▼ (its
    red ones named in it) and one for the ▽, so the markers are explained without a legend
    row per emission.
    """
    marked = [_marked(r) for r in rows]
    label = _MARKER_LABEL
    if any(verdict is Verdict.FAIL for verdict, _ in marked):
        label += " (red: over the limit)"
    for verdict, style in _MARKER_STYLES.items():
        values = [v for said, v in marked if said is verdict]
        if not values:
            continue
        ax.plot(
            [v.frequency_hz / 1e6 for v in values],
            [v.level for v in values],
            "v",
            ls="none",
            ms=5,
            clip_on=False,  # an emission at the span's end stays whole
            label=_MARKER_UNDECIDED_LABEL if verdict is Verdict.INCONCLUSIVE else label,
            **style,
        )
        if verdict is not Verdict.INCONCLUSIVE:
            label = "_nolegend_"


def _not_measured_figure(d: UnitDossier, title: str, ports: tuple[str, ...]) -> Figure:
    """Return a short figure of the plot's width saying that none of ``ports`` was judged.

    A port with no capture was not measured; one whose capture could not be used was not
    judged (its file is in the error table), never "not measured".
    """
    fig = Figure(figsize=(FIGSIZE_IN[0], _NOT_MEASURED_HEIGHT_IN))
    fig.suptitle(printable(f"{d.unit}: {title}"), fontsize=9.5)
    unread = [p for p in ports if p in _unread_ports(d)]
    other = [p for p in ports if p not in unread and d.set_aside(p)]
    absent = [p for p in ports if p not in unread and p not in other]
    text = [f"Not judged: the capture of {', '.join(unread)} could not be used (see Errors)."]
    if absent or other:
        said = []
        if absent:
            said.append(f"Not measured: no capture of {', '.join(absent)} in this unit's folder.")
        if other:
            said.append(
                "Not measured for this unit: "
                + "; ".join(
                    f"the capture of {p} "
                    + (
                        "is also filed under another unit or port"
                        if d.shared_only(p)
                        else "states another device"
                    )
                    for p in other
                )
                + "."
            )
        text = [
            *said,
            *(text if unread else []),
            "The test record lists what is missing (INCOMPLETE).",
        ]
    fig.text(
        0.5,
        0.42,
        "\n".join(printable(line) for line in text),  # a port name's line feed: \\n
        ha="center",
        va="center",
        fontsize=10,
        color="#5a2a00",
        bbox={"boxstyle": "round,pad=0.6", "fc": "#fff4e0", "ec": "#c77700"},
    )
    return fig


def _text_width_in(text: str, size_pt: float) -> float:
    """Return the width [in] of ``text`` in the default font at ``size_pt``."""
    prop = FontProperties(size=size_pt)
    return float(TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]) / 72.0


def _left_in(ax: Axes) -> float:
    """Return the left margin [in] that fits the level tick labels and the y label.

    No layout search (tight layout draws the figure to measure it): the tick labels are
    formatted and measured as text.
    """
    lo, hi = sorted(ax.get_ylim())
    ticks = [t for t in ax.yaxis.get_major_locator()() if lo <= t <= hi]
    labels = ax.yaxis.get_major_formatter().format_ticks(ticks)
    size = FontProperties(size=mpl.rcParams["ytick.labelsize"]).get_size_in_points()
    widest = max((_text_width_in(s, size) for s in labels), default=0.0)
    return _LEFT_2DIGITS_IN + max(0.0, widest - _text_width_in("70", size))


def port_group_png(d: UnitDossier, title: str, ports: tuple[str, ...], dpi: int = 120) -> bytes:
    """PNG bytes of :func:`port_group_figure` (reproducible metadata).

    Built and rendered holding the plot lock (:func:`rfcheck.report.plot_rendering.drawing`), under
    matplotlib's default style: the figure takes its fonts from ``rcParams`` as it is built,
    with no other thread's plot style in them and none of the user's ``matplotlibrc``, so a
    dossier's plots are the same on every machine.
    """
    from matplotlib import style

    with drawing(), style.context("default"):
        return figure_png(port_group_figure(d, title, ports), dpi)
