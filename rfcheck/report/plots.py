"""Margin plots: level vs frequency with limit lines, and margin vs frequency.

One figure per capture (one port / polarisation): the top panel shows every corrected
trace by detector and every limit line by detector (QP solid, AV dashed, PK dotted) on a
log-frequency axis in MHz, suspects marked and the worst point highlighted; the bottom
panel shows ``margin = limit - level`` with the 0 dB line and the suspect window.

Figures are built with the object-oriented API (no pyplot state) and saved with
deterministic metadata, so the same result gives byte-identical PNG and SVG files.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import NDArray
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from .._version import __version__
from ..results import Bound, CaptureResult, PlotLimit, PlotTrace, Suspect, Verdict, deciding_check
from ..settings import Setup
from ..textsafe import shorten
from ._common import VERDICT_COLOURS, fmt_freq_mhz, plot_title
from ._labels import label_suspects, prune_labels
from ._ticks import freq_ticks as _freq_ticks

__all__ = [
    "FIGSIZE_IN",
    "PNG_DPI",
    "envelope",
    "has_plot",
    "margin_figure",
    "figure_png",
    "figure_svg",
    "plot_png",
    "plot_svg",
]

#: Figure size (width, height). [in]
FIGSIZE_IN = (7.5, 6.2)
#: Resolution of the stand-alone PNG. [dpi]
PNG_DPI = 160
#: zlib level of the PNG files (PIL's default is 6: ~40 % slower for ~3 % smaller files).
PNG_COMPRESS_LEVEL = 3
#: Points kept per trace after envelope decimation (about one per horizontal pixel, x2).
MAX_BINS = 1600
#: Suspects labelled with their margin (smallest margins first).
#: Level panel : margin panel heights.
HEIGHT_RATIOS = (2.6, 1.25)
# Fixed layout (what constrained layout found for these fonts, plus a little slack). [in]
_LEFT_IN = 0.66
_RIGHT_IN = 0.11
_BOTTOM_IN = 0.37
_TOP_IN = 0.23
_TITLE_LINE_IN = 0.165  # per extra title line (9.5 pt x 1.2 line spacing, + rounding)
#: A longer plot title (a 3,000-character label) is cut, with a note: at most 5 lines.
TITLE_MAX_CHARS = 240
_GAP_IN = 0.085
_DIGIT_IN = 0.066  # width of a 7.5 pt DejaVu Sans digit

_SOFTWARE = f"rfcheck {__version__}"
_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8.0,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "legend.fontsize": 7.0,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "axes.linewidth": 0.8,
    "path.simplify": True,
    "svg.fonttype": "path",
}

# Trace colours by detector (measured data: mid-saturation hues).
_TRACE_COLOURS = {
    "peak": "#2f6db5",
    "quasi-peak": "#2e9a47",
    "cispr-average": "#8a4fbf",
    "average": "#8a4fbf",
    "rms-average": "#c06a12",
    "rms": "#c06a12",
}
_ABBR = {
    "peak": "PK",
    "quasi-peak": "QP",
    "cispr-average": "AV",
    "average": "AV",
    "rms-average": "RMS-AV",
    "rms": "RMS",
}
# Limit lines: dark, style by detector (QP solid, AV dashed, PK dotted).
_LIMIT_STYLE = {
    "quasi-peak": ("#7a0c0c", "-"),
    "cispr-average": ("#0c2f6b", "--"),
    "average": ("#0c2f6b", "--"),
    "rms-average": ("#4a2a00", "-."),
    "peak": ("#111111", ":"),
}
_BOUND_MARKER = {Bound.MEASURED: "o", Bound.UPPER: "v", Bound.LOWER: "^"}


def _abbr(detector: str) -> str:
    return _ABBR.get(detector, detector.upper() if detector else "?")


def _family(detector: str) -> str:
    return "average" if detector in ("average", "cispr-average") else detector


def envelope(
    freq_hz: NDArray[np.float64], level: NDArray[np.float64], n_bins: int = MAX_BINS
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Max/min envelope of a long trace in log-frequency bins (M4-style decimation).

    Parameters
    ----------
    freq_hz : ndarray
        Increasing frequency axis; points at or below 0 Hz are dropped. [Hz]
    level : ndarray
        Levels, same length; non-finite values are dropped. [any unit]
    n_bins : int
        Number of log-frequency bins (about the plot width in pixels).

    Returns
    -------
    freq_hz, level : ndarray
        For each non-empty bin, its minimum and maximum sample in original order, so the
        drawn line covers exactly the pixels the full trace would. Short traces are
        returned unchanged (filtered).
    """
    f = np.asarray(freq_hz, dtype=float)
    y = np.asarray(level, dtype=float)
    ok = np.isfinite(f) & np.isfinite(y) & (f > 0)
    f, y = f[ok], y[ok]
    if f.size <= 4 * n_bins:
        return f, y
    x = np.log10(f)
    span = x[-1] - x[0]
    if span <= 0:
        return f, y
    b = np.minimum(((x - x[0]) / span * n_bins).astype(np.int64), n_bins - 1)
    order = np.lexsort((y, b))  # by bin, then level
    sb = b[order]
    first = np.flatnonzero(np.r_[True, sb[1:] != sb[:-1]])
    last = np.r_[first[1:] - 1, sb.size - 1]
    keep = np.unique(np.concatenate([order[first], order[last]]))
    return f[keep], y[keep]


def has_plot(capture: CaptureResult) -> bool:
    """Return True when the capture has something to draw (a trace or a limit line)."""
    return bool(capture.plot_traces or capture.plot_limits)


def _limit_at(pl: PlotLimit, freq_hz: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the limit level at ``freq_hz`` (log-f between plotted breakpoints).

    NaN outside the line's range. Drawing aid only; the verdict comes from the results.
    """
    lf = np.asarray(pl.freq_hz, dtype=float)
    ly = np.asarray(pl.level, dtype=float)
    out = np.full(freq_hz.shape, np.nan)
    if lf.size == 0:
        return out
    inside = (freq_hz >= lf[0]) & (freq_hz <= lf[-1])
    out[inside] = np.interp(np.log10(freq_hz[inside]), np.log10(lf), ly)
    return out


def _margin_curves(
    capture: CaptureResult,
) -> list[tuple[PlotLimit, PlotTrace, bool, NDArray[np.float64], NDArray[np.float64]]]:
    """Return, for each limit line, the evidence that decides it as margin curves.

    Margin ``limit - level`` (envelope-decimated): every trace with the line's detector, and the
    peak trace(s) as upper bounds over the frequencies no such trace covers (a QP line judged
    from a peak prescan outside the span of a final QP measurement, for instance).
    """
    curves = []

    def add(pl: PlotLimit, tr: PlotTrace, bound: bool, skip: list[tuple[float, float]]) -> None:
        f = np.asarray(tr.freq_hz, dtype=float)
        y = np.asarray(tr.level, dtype=float)
        m = _limit_at(pl, f) - y
        ok = np.isfinite(f) & (f > 0) & np.isfinite(m)
        for a, b in skip:
            ok &= (f < a) | (f > b)
        if np.count_nonzero(ok) < 2:  # a lone point (a line starting at the trace's end)
            return
        fm, mm = envelope(f[ok], m[ok])
        for a, b in skip:  # a NaN in each skipped span: no line drawn across it
            i = int(np.searchsorted(fm, a))
            if 0 < i < fm.shape[0]:
                fm, mm = np.insert(fm, i, 0.5 * (a + b)), np.insert(mm, i, np.nan)
        curves.append((pl, tr, bound, fm, mm))

    for pl in capture.plot_limits:
        same = [t for t in capture.plot_traces if _family(t.detector) == _family(pl.detector)]
        for tr in same:
            add(pl, tr, False, [])
        if _family(pl.detector) == _family("peak"):
            continue
        spans = sorted(
            (float(np.min(t.freq_hz)), float(np.max(t.freq_hz))) for t in same if len(t.freq_hz)
        )
        for tr in (t for t in capture.plot_traces if t.detector == "peak"):
            add(pl, tr, True, spans)
    return curves


def _style_axes(ax: Axes) -> None:
    ax.set_xscale("log")
    ax.grid(True, which="major", color="#b8b8b8", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(which="both", direction="in", top=True, right=True)


def _suspect_colour(s: Suspect) -> str:
    return VERDICT_COLOURS.get(s.verdict, "#333333")


def _suspect_at(suspects: Sequence[Suspect], chk: Any) -> Suspect | None:
    """Return the suspect at a line check's worst point (same limit line and frequency), if any."""
    f = chk.worst_frequency_hz
    if f is None:
        return None
    same = [
        s
        for s in suspects
        if (s.limit_id, s.line) == (chk.limit_id, chk.line)
        and abs(s.frequency_hz - f) <= 1e-6 * max(abs(f), 1.0)
    ]
    return min(same, key=lambda s: s.margin_db, default=None)


def margin_figure(
    capture: CaptureResult, setup: Setup | None = None, window_db: float = 6.0
) -> Figure:
    """Build the two-panel margin plot of one capture.

    Parameters
    ----------
    capture : CaptureResult
        Uses ``plot_traces``, ``plot_limits``, ``suspects``, ``checks`` and ``label``.
    setup : Setup, optional
        DUT / standard / class for the title.
    window_db : float
        Suspect window shaded in the margin panel (margins from 0 to it). [dB]

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot; save it with :func:`figure_png` / :func:`figure_svg`.
    """
    title = textwrap.fill(
        shorten(plot_title(capture, setup), TITLE_MAX_CHARS), 62, break_long_words=True
    )
    with mpl.rc_context(cast(Any, _RC)):
        # A fixed layout (margins tuned for the fonts above) instead of constrained layout:
        # the latter measures every tick label and draws the figure twice per save.
        fig = Figure(figsize=FIGSIZE_IN)
        gs = fig.add_gridspec(2, 1, height_ratios=HEIGHT_RATIOS, **_margins(title.count("\n") + 1))
        ax = fig.add_subplot(gs[0])
        axm = fig.add_subplot(gs[1], sharex=ax)
        _draw(ax, axm, capture, title, window_db)
    return fig


def _margins(title_lines: int) -> dict[str, float]:
    """Return gridspec margins (figure fractions) from fixed sizes in inches.

    The left one fits a
    two-line y label and four-character tick labels, the top one the title lines.
    """
    w, h = FIGSIZE_IN
    top_in = _TOP_IN + (title_lines - 1) * _TITLE_LINE_IN
    span = h - top_in - _BOTTOM_IN
    avg_axes = (span - _GAP_IN) / 2.0
    return {
        "left": _LEFT_IN / w,
        "right": 1.0 - _RIGHT_IN / w,
        "top": 1.0 - top_in / h,
        "bottom": _BOTTOM_IN / h,
        "hspace": _GAP_IN / avg_axes,
    }


def _draw(ax: Axes, axm: Axes, capture: CaptureResult, title: str, window: float) -> None:
    _style_axes(ax)
    _style_axes(axm)
    unit = ""
    freqs: list[float] = []
    for tr in capture.plot_traces:
        f, y = envelope(tr.freq_hz, tr.level)
        if f.size:
            freqs += [float(f[0]), float(f[-1])]
        unit = unit or tr.unit
        ax.plot(
            f / 1e6,
            y,
            color=_TRACE_COLOURS.get(tr.detector, "#6b6b6b"),
            lw=0.7,
            label=f"{tr.label or 'trace'} ({_abbr(tr.detector)})",
            zorder=2,
        )
    for tr in capture.ambient_traces:  # the ambient (DUT off): greyed, behind the DUT's traces
        f, y = envelope(tr.freq_hz, tr.level)
        ax.plot(
            f / 1e6, y, color="#b0b0b0", lw=0.6, label=f"ambient ({_abbr(tr.detector)})", zorder=1
        )
    span = (min(freqs), max(freqs)) if freqs else None
    for pl in capture.plot_limits:
        colour, ls = _LIMIT_STYLE.get(pl.detector, ("#333333", "-"))
        f = np.asarray(pl.freq_hz, dtype=float)
        unit = pl.unit or unit
        if f.size and not capture.plot_traces:  # the axis spans the measured traces
            freqs += [float(f[0]), float(f[-1])]
        # a line that starts where the traces end (AV/PK above 1 GHz on a 30-1000 MHz scan)
        # is not drawn, and is not listed in the legend
        visible = span is None or bool(f.size and f.min() < span[1] and f.max() > span[0])
        ax.plot(
            f / 1e6,
            pl.level,
            color=colour,
            ls=ls,
            lw=1.5,
            zorder=3,
            label=f"{pl.limit_id} {pl.line} limit" if visible else "_nolegend_",
        )
    if not freqs:
        freqs = [s.frequency_hz for s in capture.suspects] or [30e6, 1e9]
    fmin, fmax = max(min(freqs), 1.0), max(freqs)
    if fmax <= fmin:
        fmin, fmax = fmin / 1.1, fmax * 1.1
    fspan_dec = math.log10(fmax / fmin)

    # Suspects (one artist per marker shape and colour) and the worst point.
    groups: dict[tuple[str, str], list[Suspect]] = {}
    for s in capture.suspects:
        groups.setdefault((_BOUND_MARKER.get(s.bound, "o"), _suspect_colour(s)), []).append(s)
    for (marker, colour), grp in groups.items():
        fx = [s.frequency_hz / 1e6 for s in grp]
        for a, ys, ms, mew in (
            (ax, [s.level for s in grp], 4.5, 1.1),
            (axm, [s.margin_db for s in grp], 4.0, 1.0),
        ):
            a.plot(
                fx, ys, ls="none", marker=marker, ms=ms, mfc="none", mec=colour, mew=mew, zorder=5
            )
    tags = label_suspects(ax, capture.suspects, fspan_dec)
    # The worst point is that of the line deciding the verdict (worst verdict first, then
    # the smallest margin), as in the report's headline; its suspect gives the level.
    wc = deciding_check(capture.checks)
    worst = (
        _suspect_at(capture.suspects, wc)
        if wc is not None
        else min(capture.suspects, key=lambda s: (s.margin_db, s.frequency_hz), default=None)
    )
    points: list[tuple[Axes, float, float]] = []
    if worst is not None:
        points = [
            (a, worst.frequency_hz, y) for a, y in ((ax, worst.level), (axm, worst.margin_db))
        ]
    elif wc is not None and wc.worst_frequency_hz and wc.worst_margin_db is not None:
        points = [(axm, wc.worst_frequency_hz, wc.worst_margin_db)]
    for a, f_hz, y_db in points:
        a.plot(
            f_hz / 1e6,
            y_db,
            ls="none",
            marker="o",
            ms=11,
            mfc="none",
            mec="#d62728",
            mew=1.6,
            zorder=6,
        )
    if wc is not None and wc.worst_frequency_hz and wc.worst_margin_db is not None:
        basis = f", {wc.worst_bound.value}" if wc.worst_bound else ""
        wtext = (
            f"worst: {wc.worst_margin_db:+.2f} dB at {fmt_freq_mhz(wc.worst_frequency_hz)}"
            f" MHz ({wc.limit_id} {wc.line}{basis})"
        )
    elif worst is not None:
        wtext = (
            f"worst: {worst.margin_db:+.2f} dB at {fmt_freq_mhz(worst.frequency_hz)} MHz "
            f"({worst.limit_id} {worst.line}, {worst.bound.value})"
        )
    else:
        wtext = "no margin evaluated"

    # Margin panel.
    mins: list[float] = [s.margin_db for s in capture.suspects]
    highs: list[float] = []
    labels: set[str] = set()
    for pl, tr, bound, fm, mm in _margin_curves(capture):
        colour, ls = _LIMIT_STYLE.get(pl.detector, ("#333333", "-"))
        tag = " (upper bound)" if bound else ""
        label = f"{_abbr(tr.detector)} vs {pl.line} limit{tag}"
        axm.plot(
            fm / 1e6,
            mm,
            color=_TRACE_COLOURS.get(tr.detector, "#6b6b6b"),
            lw=0.7,
            ls="-" if ls == "-" else ls,
            label=label if label not in labels else "_nolegend_",
            zorder=2,
        )
        labels.add(label)
        mins.append(float(np.nanmin(mm)))
        highs.append(float(np.nanpercentile(mm, 90)))
    axm.axhline(0.0, color="#7a0c0c", lw=1.2, zorder=3)
    axm.axhspan(0.0, window, color="#f2b134", alpha=0.18, lw=0, zorder=1)
    lo = min([-10.0, *(m - 3.0 for m in mins)])
    hi = max([window + 14.0, *(min(h + 5.0, 40.0) for h in highs)])
    hi += 0.22 * (hi - lo)  # headroom for the legend
    axm.set_ylim(math.floor(lo / 5) * 5, math.ceil(hi / 5) * 5)
    axm.axhspan(axm.get_ylim()[0], 0.0, color="#d62728", alpha=0.06, lw=0, zorder=1)
    axm.text(
        0.005,
        window,
        f" suspect window {window:g} dB",
        transform=axm.get_yaxis_transform(),
        fontsize=6.5,
        color="#8a5a00",
        va="bottom",
        ha="left",
        parse_math=False,
        zorder=7,
        bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
    )
    axm.set_ylabel("Margin [dB]\n(limit \u2212 level)")
    axm.set_xlabel("Frequency [MHz]")
    if axm.get_legend_handles_labels()[0]:
        axm.legend(loc="upper right", ncol=3, frameon=True, framealpha=0.9, borderpad=0.3)

    ax.set_xlim(fmin / 1e6, fmax / 1e6)
    major = _freq_ticks((ax, axm), fmin / 1e6, fmax / 1e6)
    if major and math.log10(fmax / 1e6 / major[-1]) < 0.02 * fspan_dec:
        # a label centred on the right edge ("1000") needs half its width of margin
        right_in = max(_RIGHT_IN, 0.5 * len(f"{major[-1]:g}") * _DIGIT_IN + 0.045)
        gs = axm.get_gridspec()
        if gs is not None:
            gs.update(right=1.0 - right_in / FIGSIZE_IN[0])  # repositions pyplot figures only
            for a in (ax, axm):
                spec = a.get_subplotspec()
                if spec is not None:
                    a.set_position(spec.get_position(cast(Figure, a.figure)))
    ax.tick_params(labelbottom=False)
    ax.set_ylabel(f"Level [{unit}]" if unit else "Level")
    n_entries = len(ax.get_legend_handles_labels()[0])
    # A long legend (several files pooled by --combine) gets rows of its own above the data,
    # and the worst-point box goes under it instead of beside it.
    legend_rows = math.ceil(n_entries / 2) if n_entries > 4 else 0
    ylo, yhi = ax.get_ylim()
    ax.set_ylim(ylo, yhi + (0.12 + 0.075 * legend_rows) * (yhi - ylo))  # headroom for labels
    legend = None
    if n_entries:
        legend = ax.legend(loc="upper right", ncol=2, frameon=True, framealpha=0.92, borderpad=0.3)
    ax.set_title(title, loc="left", fontweight="bold", parse_math=False)
    colour = VERDICT_COLOURS.get(capture.verdict, "#333333")
    ax.text(
        1.0,
        1.012,
        f" {capture.verdict.value} ",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=9,
        fontweight="bold",
        color="white",
        bbox={"boxstyle": "square,pad=0.25", "fc": colour, "ec": colour},
        parse_math=False,
    )
    wbox = ax.text(
        0.01,
        0.985 - 0.052 * legend_rows,
        wtext,
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=7,
        color="#222222",
        parse_math=False,
        bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#d62728", "lw": 0.8},
    )
    prune_labels(cast(Figure, ax.figure), ax, tags, [a for a in (legend, wbox) if a is not None])
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


def figure_png(fig: Figure, dpi: int = PNG_DPI) -> bytes:
    """PNG bytes with only a ``Software`` metadata entry (no timestamp: reproducible).

    The figure is rendered once by Agg; an opaque image (always, with the white figure
    background) is stored as RGB rather than RGBA and zlib level :data:`PNG_COMPRESS_LEVEL`
    is used: the encoder then takes about a third less time for a slightly larger file.
    """
    buf = io.BytesIO()
    with mpl.rc_context(cast(Any, _RC)):
        fig.savefig(buf, format="raw", dpi=dpi)
    raw = buf.getvalue()
    w = int(fig.get_figwidth() * dpi)
    h = len(raw) // (4 * w) if w > 0 else 0
    if h <= 0 or 4 * w * h != len(raw):  # pragma: no cover - Agg always gives w x h x 4
        buf = io.BytesIO()
        with mpl.rc_context(cast(Any, _RC)):
            fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": _SOFTWARE})
        return buf.getvalue()
    img = Image.frombuffer("RGBA", (w, h), raw, "raw", "RGBA", 0, 1)
    if img.getchannel("A").getextrema() == (255, 255):  # opaque: store RGB
        img = img.convert("RGB")
    info = PngInfo()
    info.add_text("Software", _SOFTWARE)
    out = io.BytesIO()
    img.save(out, format="png", pnginfo=info, dpi=(dpi, dpi), compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def figure_svg(fig: Figure, salt: str, text_as_paths: bool = True) -> bytes:
    """SVG bytes, reproducible: fixed ``svg.hashsalt`` and no date/creator metadata.

    Parameters
    ----------
    fig : Figure
    salt : str
        Seed for element ids; use a different one per figure inlined in one HTML page.
    text_as_paths : bool
        True: glyphs as paths (portable file); False: ``<text>`` elements (selectable,
        smaller, for inline HTML).
    """
    buf = io.BytesIO()
    rc = dict(_RC, **{"svg.hashsalt": salt, "svg.fonttype": "path" if text_as_paths else "none"})
    with mpl.rc_context(cast(Any, rc)):
        fig.savefig(
            buf,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return buf.getvalue()


def plot_png(
    capture: CaptureResult, setup: Setup | None = None, dpi: int = PNG_DPI, window_db: float = 6.0
) -> bytes:
    """PNG of :func:`margin_figure` for one capture."""
    return figure_png(margin_figure(capture, setup, window_db), dpi)


def plot_svg(
    capture: CaptureResult,
    setup: Setup | None = None,
    salt: str = "rfcheck",
    text_as_paths: bool = True,
    window_db: float = 6.0,
) -> bytes:
    """SVG of :func:`margin_figure` for one capture."""
    return figure_svg(margin_figure(capture, setup, window_db), salt, text_as_paths)
