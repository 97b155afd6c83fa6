"""Margin plots: level vs frequency with limit lines, and margin vs frequency.

One figure per capture (one port / polarisation): the top panel shows every corrected
trace by detector and every limit line by detector (QP solid, AV dashed, PK dotted) on a
log-frequency axis in MHz, suspects marked and the worst point highlighted; the bottom
panel shows ``margin = limit - level`` with the 0 dB line and the suspect window (what is
drawn: :mod:`rfcheck.report.margin_plot`).

This module owns the figure. Its layout is fixed (margins in inches, no layout search per
figure); :func:`plot_png` and :func:`plot_svg` re-use one figure per thread from capture to
capture (only the drawn content is replaced, the axes and their ticks stay), and a capture
rendered in several formats in a row is drawn once; its PNG is rendered once per resolution
(the PDF, the HTML page and the ``.png`` file of one capture share one). A dense trace is
filled in a PNG as the band of pixels its full line covers (:mod:`rfcheck.report.band`); the
lines a band does not draw (dashed, sparse) and the SVG are decimated for the resolution each
image is rendered at: the first, last, lowest and highest sample per pixel column
(:func:`rfcheck.report.decimate.column_extrema`). Either way every column shows the full
trace's extremes. Figures are built with the object-oriented API (no pyplot state); the plot
lock, the plot style and the reproducible PNG and SVG bytes are
:mod:`rfcheck.report.plot_rendering`'s.
"""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Callable
from functools import partial
from typing import Any, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from numpy.typing import NDArray

from ..results import CaptureResult
from ..settings import Setup
from ..textsafe import shorten
from ._common import plot_title
from ._legends import legend_extent, legend_key
from ._ticks import is_minor_tick_artist
from .band import BandLine
from .blit import BackgroundCache, Overlay
from .decimate import MAX_BINS, column_extrema, envelope
from .margin_plot import (
    DataLine,
    draw_margin_plot,
    is_fixed_text,
    is_kept_artist,
    legend_strip_in,
    style_axes,
)
from .plot_rendering import PLOT_LOCK, PNG_DPI, SOFTWARE, figure_svg, plot_style
from .png import encode_png

__all__ = [
    "FIGSIZE_IN",
    "MAX_BINS",
    "envelope",
    "has_plot",
    "margin_figure",
    "plot_png",
    "plot_svg",
]

#: Figure size (width, height). [in]
FIGSIZE_IN = (7.5, 6.2)
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
#: Lines of a plot title at most (:func:`_title`).
TITLE_MAX_LINES = 2
_GAP_IN = 0.085
_DIGIT_IN = 0.066  # width of a 7.5 pt DejaVu Sans digit


def has_plot(capture: CaptureResult) -> bool:
    """Return True when the capture has something to draw (a trace or a limit line)."""
    return bool(capture.plot_traces or capture.plot_limits)


def _margins(
    title_lines: int, right_in: float = _RIGHT_IN, legend_rows: int = 0
) -> dict[str, float]:
    """Return gridspec margins (figure fractions) from fixed sizes in inches.

    The left one fits a two-line y label and four-character tick labels, the top one the
    title lines and the level legend's ``legend_rows`` above the level panel
    (:func:`rfcheck.report.margin_plot.legend_strip_in`); ``right_in`` is the right one. [in]
    """
    w, h = FIGSIZE_IN
    top_in = _TOP_IN + (title_lines - 1) * _TITLE_LINE_IN + legend_strip_in(legend_rows)
    span = h - top_in - _BOTTOM_IN
    avg_axes = (span - _GAP_IN) / 2.0
    return {
        "left": _LEFT_IN / w,
        "right": 1.0 - right_in / w,
        "top": 1.0 - top_in / h,
        "bottom": _BOTTOM_IN / h,
        "hspace": _GAP_IN / avg_axes,
    }


def _title(capture: CaptureResult, setup: Setup | None) -> str:
    """Return the plot title: shortened (untrusted labels can be long) and wrapped.

    At most :data:`TITLE_MAX_LINES` lines: a longer DUT name is cut with an ellipsis (the
    port and the standard stay whole), so the title does not push the plot down the page.
    """
    title = plot_title(capture, setup)
    name_chars = min(len(title), TITLE_MAX_CHARS)
    while True:
        lines = textwrap.wrap(shorten(title, TITLE_MAX_CHARS), 62, break_long_words=True)
        if len(lines) <= TITLE_MAX_LINES or name_chars <= 8:
            return "\n".join(lines)
        name_chars -= 4
        title = plot_title(capture, setup, name_chars=name_chars)


def _text_key(text: Text) -> tuple[Any, ...]:
    """Return what a boxed text's pixels depend on besides the frame (its place included).

    Not the box's mutation scale: drawing sets it from the font size and the resolution.
    """
    patch = cast(Any, text.get_bbox_patch())  # a FancyBboxPatch
    style = patch.get_boxstyle()
    return (
        text.get_text(),
        text.get_color(),
        text.get_fontproperties(),
        text.get_horizontalalignment(),
        text.get_verticalalignment(),
        text.get_rotation(),
        text.get_alpha(),
        text.get_zorder(),
        tuple(text.get_transform().transform(text.get_unitless_position())),
        patch.get_facecolor(),
        patch.get_edgecolor(),
        patch.get_linewidth(),
        patch.get_linestyle(),
        type(style).__name__,
        tuple(sorted(vars(style).items())),
        patch.get_visible(),
    )


def _text_extent(text: Text) -> Callable[[RendererAgg], Bbox]:
    """Return ``extent(renderer)`` of a boxed text: its box, half the box's outline and the text."""

    def extent(renderer: RendererAgg) -> Bbox:
        text.update_bbox_position_size(renderer)
        patch = cast(Any, text.get_bbox_patch())
        box = patch.get_window_extent(renderer)
        half = 0.5 * float(cast(Any, renderer).points_to_pixels(patch.get_linewidth()))
        padded = Bbox.from_extents(box.x0 - half, box.y0 - half, box.x1 + half, box.y1 + half)
        return Bbox.union([padded, text.get_window_extent(renderer)])

    return extent


class _Canvas(FigureCanvasAgg):
    """An Agg canvas keeping one renderer per resolution, not only the last one.

    A re-used figure is measured at its own resolution (labels) and rendered at others (PNG,
    PDF image): a kept renderer keeps matplotlib's text-metrics cache, which is keyed on it.
    """

    def get_renderer(self) -> RendererAgg:
        """Return the renderer for the figure's current size and resolution."""
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        renderers: dict[tuple[int, int, float], RendererAgg] = self.__dict__.setdefault(
            "_renderers", {}
        )
        r = renderers.get(key)
        if r is None:
            r = renderers[key] = cast(Any, RendererAgg)(w, h, self.figure.dpi)  # unannotated
        self.renderer = r
        self._lastKey = key
        return r


class _MarginFigure:
    """A margin-plot figure: two axes in a fixed layout, drawn again for capture after capture.

    :meth:`show` replaces the drawn content (lines, texts, patches; a legend listing the same
    entries is kept, :mod:`rfcheck.report._legends`) and keeps the
    figure, the axes and their tick artists; showing the capture already shown does nothing.
    :meth:`decimate` sets every trace's data to its per-pixel-column extrema at a resolution.
    :meth:`png` draws the capture over its frame (:meth:`_is_frame`), rendered once per
    :meth:`_frame_key` (:class:`rfcheck.report.blit.BackgroundCache`).
    """

    def __init__(self) -> None:
        with plot_style():
            self.fig = Figure(figsize=FIGSIZE_IN)
            gs = self.fig.add_gridspec(2, 1, height_ratios=HEIGHT_RATIOS, **_margins(1))
            self.ax = self.fig.add_subplot(gs[0])
            self.axm = self.fig.add_subplot(gs[1], sharex=self.ax)
            style_axes(self.ax)
            style_axes(self.axm)
        self._gs = gs
        _Canvas(self.fig)  # the figure's canvas from now on
        self._dpi = float(self.fig.dpi)  # labels are measured at this resolution
        self._title_lines = 1
        self._right_in = _RIGHT_IN
        self._legend_rows = 0
        self._applied: dict[str, float] | None = None  # the margins the axes were placed by
        self._data: list[DataLine] = []
        self._decimated_dpi: float | None = None
        self._shown: tuple[CaptureResult, Setup | None, float] | None = None
        self._png: dict[float, bytes] = {}  # the shown capture's PNGs, by resolution
        self.backgrounds = BackgroundCache()

    def _layout(self) -> None:
        """Lay the axes out for the title, right margin and legend rows (when they changed)."""
        margins = _margins(self._title_lines, self._right_in, self._legend_rows)
        if margins == self._applied:  # the axes are where these margins put them
            return
        self._applied = margins
        self._gs.update(**margins)
        for a in (self.ax, self.axm):
            spec = a.get_subplotspec()
            if spec is not None:
                a.set_position(spec.get_position(self.fig))

    def _right_margin(self, major: list[float]) -> None:
        """Widen the right margin: a label centred on the edge ("1000") needs half its width."""
        self._right_in = max(_RIGHT_IN, 0.5 * len(f"{major[-1]:g}") * _DIGIT_IN + 0.045)
        self._layout()

    def _legend_strip(self, rows: int) -> None:
        """Make room for ``rows`` rows of the level legend above the level panel."""
        self._legend_rows = rows
        self._layout()

    def _clear(self) -> None:
        for a in (self.ax, self.axm):
            for artist in [*a.lines, *a.patches, *a.texts, *a.collections]:
                # freq_ticks and draw_margin_plot keep or replace these themselves
                if not (is_minor_tick_artist(artist) or is_kept_artist(artist)):
                    artist.remove()
            # no data limits, as on a new axes: the kept artists (minor ticks, the margin
            # panel's window) are drawn in axes coordinates on one side and have limits set
            # before them on the other, so they need none (relim would compute theirs: 3 ms)
            a.dataLim.set_points(Bbox.null().get_points())
            a.ignore_existing_data_limits = True
            a.set_ylim(0.0, 1.0)  # a new axes' range: what an empty panel keeps
            a.set_autoscale_on(True)
        self.ax.set_title("", loc="left")

    def show(self, capture: CaptureResult, setup: Setup | None, window_db: float) -> Figure:
        """Draw ``capture`` (title from ``setup``, suspect window ``window_db`` [dB])."""
        if (
            self._shown is not None
            and self._shown[0] is capture
            and self._shown[1] is setup
            and self._shown[2] == window_db
        ):
            return self.fig
        self._shown = None
        self._png = {}
        if self._data or self.ax.texts:
            self._clear()
        title = _title(capture, setup)
        self._title_lines = title.count("\n") + 1
        self._right_in, self._legend_rows = _RIGHT_IN, 0
        self.fig.set_dpi(self._dpi)
        with plot_style():
            self._layout()
            self._data = draw_margin_plot(
                self.ax,
                self.axm,
                capture,
                title,
                window_db,
                self._right_margin,
                self._legend_strip,
            )
        self._decimated_dpi = None
        self._shown = (capture, setup, window_db)
        return self.fig

    def decimate(self, dpi: float) -> None:
        """Set every trace to the samples that decide its pixels at ``dpi`` [pixel/in]."""
        if self._decimated_dpi == dpi:
            return
        old = self.fig.dpi
        self.fig.set_dpi(dpi)
        try:
            for d in self._data:
                if isinstance(d.line, BandLine):
                    d.line.stroke_data = None
                d.line.set_data(*_extrema(d))
        finally:
            self.fig.set_dpi(old)
        self._decimated_dpi = dpi

    def _decimate_stroked(self, dpi: float) -> list[BandLine]:
        """Decimate at ``dpi`` the traces a raster canvas strokes; return the ones left to draw.

        A :class:`~rfcheck.report.band.BandLine` filled as its band is drawn from its full
        data, so it is given its decimation only if it is stroked after all (dashed, sparse:
        :attr:`~rfcheck.report.band.BandLine.stroke_data`), while it is drawn at ``dpi``. The
        caller clears that when it has rendered.
        """
        if self._decimated_dpi == dpi:
            return []
        self._decimated_dpi = None  # some traces keep the data they have
        left = []
        for d in self._data:
            if isinstance(d.line, BandLine):
                d.line.stroke_data = partial(_extrema, d)
                left.append(d.line)
            else:
                old = self.fig.dpi
                self.fig.set_dpi(dpi)
                try:
                    d.line.set_data(*_extrema(d))
                finally:
                    self.fig.set_dpi(old)
        return left

    def _is_frame(self, artist: Artist) -> bool:
        """Return True for an artist of the frame: the same for every capture with one key.

        The axes (ticks, tick labels, grid, axis labels), the minor-tick artists below the
        data (z-order under 1) and the margin panel's shaded bands (the suspect window and
        the negative margins).
        """
        return (
            isinstance(artist, Axis)
            or artist.get_zorder() < 1
            or (isinstance(artist, Rectangle) and artist.axes is self.axm)
        )

    def _frame_key(self, dpi: float) -> tuple[Any, ...]:
        """Return what the frame's pixels depend on, at ``dpi`` [pixel/in]."""
        ax, axm = self.ax, self.axm
        window_db = self._shown[2] if self._shown is not None else None
        return (
            dpi,
            tuple(self.fig.get_size_inches()),
            ax.get_position().bounds,
            axm.get_position().bounds,
            ax.get_xlim(),
            ax.get_ylim(),
            axm.get_ylim(),
            tuple(ax.xaxis.get_majorticklocs()),
            ax.get_ylabel(),
            axm.get_ylabel(),
            axm.get_xlabel(),
            window_db,
        )

    def _overlays(self) -> list[Overlay]:
        """Return the overlays: one look per key, drawn once over a frame.

        The legends, and the boxed texts placed by the frame alone (the verdict badge:
        :func:`rfcheck.report.margin_plot.is_fixed_text`).
        """
        out = []
        for a in (self.ax, self.axm):
            legend = a.get_legend()
            key = None if legend is None else legend_key(legend)
            if legend is not None and key is not None:
                out.append(Overlay(legend, key, legend_extent(legend)))
            for t in a.texts:
                if is_fixed_text(t) and t.get_bbox_patch() is not None and t.get_visible():
                    extent = cast(Callable[[RendererBase], Bbox], _text_extent(t))
                    out.append(Overlay(t, ("text", _text_key(t)), extent))
        return out

    def png(self, dpi: float) -> bytes:
        """PNG bytes of the figure shown, at ``dpi`` (rendered once per capture and resolution).

        The same pixels as :func:`~rfcheck.report.plot_rendering.figure_png` of the figure.
        """
        png = self._png.get(dpi)
        if png is None:
            lazy = self._decimate_stroked(dpi)
            old = self.fig.dpi
            self.fig.set_dpi(dpi)
            try:
                with plot_style():
                    rgba = self.backgrounds.render(
                        self.fig,
                        (self.ax, self.axm),
                        self._is_frame,
                        self._frame_key(dpi),
                        self._overlays(),
                    )
                png = self._png[dpi] = encode_png(rgba, dpi, {"Software": SOFTWARE})
            finally:
                self.fig.set_dpi(old)
                for line in lazy:
                    line.stroke_data = None
        return png

    def svg(self, salt: str, text_as_paths: bool) -> bytes:
        """SVG bytes of the figure shown (traces decimated as in the :data:`PNG_DPI` PNG)."""
        self.decimate(PNG_DPI)
        return figure_svg(self.fig, salt, text_as_paths)


def _extrema(d: DataLine) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return ``d``'s samples that decide its pixels at its figure's resolution now."""
    axes = cast(Axes, d.line.axes)
    xy = np.column_stack([d.freq_mhz, np.zeros_like(d.freq_mhz)])
    keep = column_extrema(axes.transData.transform(xy)[:, 0], d.value)
    return d.freq_mhz[keep], d.value[keep]


_PER_THREAD = threading.local()


def _reused() -> _MarginFigure:
    """Return this thread's re-used margin figure (made on first use)."""
    mf: _MarginFigure | None = getattr(_PER_THREAD, "figure", None)
    if mf is None:
        mf = _PER_THREAD.figure = _MarginFigure()
    return mf


def _drop_reused() -> None:
    """Forget this thread's figure (after an error: the next capture starts on a new one)."""
    _PER_THREAD.figure = None


def margin_figure(
    capture: CaptureResult, setup: Setup | None = None, window_db: float = 6.0
) -> Figure:
    """Build the two-panel margin plot of one capture, on a new figure.

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
        Not attached to pyplot; traces decimated per pixel column at :data:`PNG_DPI`. Save
        it with :func:`~rfcheck.report.plot_rendering.figure_png` / :func:`~.figure_svg`.
    """
    with PLOT_LOCK:
        mf = _MarginFigure()
        mf.show(capture, setup, window_db)
        mf.decimate(PNG_DPI)
        return mf.fig


def plot_png(
    capture: CaptureResult, setup: Setup | None = None, dpi: int = PNG_DPI, window_db: float = 6.0
) -> bytes:
    """PNG of the margin plot of one capture (:func:`margin_figure`'s content)."""
    with PLOT_LOCK:  # shown and rendered in one turn (plot_rendering.drawing)
        try:
            mf = _reused()
            mf.show(capture, setup, window_db)
            return mf.png(dpi)
        except BaseException:
            _drop_reused()
            raise


def plot_svg(
    capture: CaptureResult,
    setup: Setup | None = None,
    salt: str = "rfcheck",
    text_as_paths: bool = True,
    window_db: float = 6.0,
) -> bytes:
    """SVG of the margin plot of one capture (:func:`margin_figure`'s content)."""
    with PLOT_LOCK:  # shown and rendered in one turn (plot_rendering.drawing)
        try:
            mf = _reused()
            mf.show(capture, setup, window_db)
            return mf.svg(salt, text_as_paths)
        except BaseException:
            _drop_reused()
            raise
