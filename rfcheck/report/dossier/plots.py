"""Margin plots of a dossier: the levels of all of a port's captures on one figure.

One figure per mains line, and one for the radiated ports with every polarisation overlaid
(H and V in their own colours); limit lines by detector (QP solid, AV dashed, PK dotted) and
the final table's emissions marked. Long traces are decimated by their max/min envelope. The
legend sits under the axes, the figure taller by its rows, so it hides no trace or limit line
(inside the axes it covered the 74 dBµV/m peak line above 1 GHz). A group none of whose ports
was measured says so instead of drawing empty axes.
"""

from __future__ import annotations

import math

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from ...product.dossier import UnitDossier
from ..plots import envelope, figure_png

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

#: Height of the figure standing for a group with no measured port. [in]
_NOT_MEASURED_HEIGHT_IN = 1.4

_PORT_COLOURS = ("#2f6db5", "#c06a12", "#2e9a47", "#8a4fbf")
_DETECTOR_ALPHA = {"peak": 0.55, "quasi-peak": 1.0, "cispr-average": 0.8, "average": 0.8}
_LIMIT_STYLE = {"quasi-peak": "-", "cispr-average": "--", "average": "--", "peak": ":"}


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
    unit = ""
    limits_drawn: set[tuple[str, str]] = set()
    for i, port in enumerate(ports):
        pr = next(p for p in d.ports if p.port == port)
        colour = _PORT_COLOURS[i % len(_PORT_COLOURS)]
        if pr.pooled is None:
            continue
        for t in pr.pooled.plot_traces:
            f, lev = envelope(t.freq_hz, t.level)
            ax.plot(
                f / 1e6,
                lev,
                color=colour,
                lw=0.6,
                alpha=_DETECTOR_ALPHA.get(t.detector, 0.7),
                label=f"{port}: {t.label}",
            )
            unit = t.unit
        for pl in pr.pooled.plot_limits:
            key = (pl.limit_id, pl.line)
            if key in limits_drawn:
                continue
            limits_drawn.add(key)
            ax.plot(
                pl.freq_hz / 1e6,
                pl.level,
                color="#7a0c0c",
                ls=_LIMIT_STYLE.get(pl.detector, "-"),
                lw=1.2,
                label=f"{pl.limit_id} {pl.line}",
            )
    for r in d.final_rows:
        if r.port in ports:
            worst = r.worst
            ax.plot(
                [worst.frequency_hz / 1e6],
                [worst.level],
                "v",
                color="#b3161b" if worst.margin_db < 0 else "#1d2733",
                ms=5,
            )
    ax.set_xscale("log")
    ax.set_xlabel("Frequency [MHz]")
    ax.set_ylabel(f"Level [{unit}]" if unit else "Level")
    ax.set_title(f"{d.unit}: {title}", fontsize=9.5)
    ax.grid(True, which="both", lw=0.3, color="#c9ced6")
    handles, labels = ax.get_legend_handles_labels()
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
            borderaxespad=0.3,
        )
    fig.subplots_adjust(
        left=_left_in(ax) / w,
        right=1.0 - _RIGHT_IN / w,
        bottom=(_BOTTOM_IN + legend_in) / h,
        top=1.0 - _TOP_IN / h,
    )
    return fig


def _not_measured_figure(d: UnitDossier, title: str, ports: tuple[str, ...]) -> Figure:
    """Return a short figure of the plot's width saying that none of ``ports`` has a capture."""
    fig = Figure(figsize=(FIGSIZE_IN[0], _NOT_MEASURED_HEIGHT_IN))
    fig.suptitle(f"{d.unit}: {title}", fontsize=9.5)
    names = ", ".join(ports)
    fig.text(
        0.5,
        0.42,
        f"Not measured: no capture of {names} in this unit's folder.\n"
        "The test record lists what is missing (INCOMPLETE).",
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
    """PNG bytes of :func:`port_group_figure` (reproducible metadata)."""
    return figure_png(port_group_figure(d, title, ports), dpi)
