"""Dense traces drawn as the band of pixels their stroke covers, filled instead of stroked.

A 10,000-point noisy trace on a plot 1,000 pixels wide crosses each pixel column ten times.
Stroking it (or its per-column extrema, :func:`rfcheck.report.decimate.column_extrema`)
makes Agg trace an outline around every one of those vertical swings: about 10 ms a trace,
most of a margin plot's drawing time. A line through ``x`` non-decreasing covers one
interval of ``y`` over any stretch of ``x``, and a stroke of width ``w`` is that line swept
by a round pen of diameter ``w``. :func:`band_path` takes, for every quarter-pixel stretch,
the line's interval from the full data (its samples in the stretch and its values where it
enters and leaves), sweeps the pen over those intervals (:func:`_widen`: a sloped line comes
out ``w/2`` thick across the line, not straight up, and a spike's tip round) and returns the
outline of the result; :class:`BandLine` fills it, under 1 ms a trace.

So the band inks what the full line's stroke inks: every sample's pixel, every column's
highest and lowest point, the width of a narrow spike and the thickness of a slope
(``tests/report/test_band.py`` checks the outline against the data, and the pixels against
Agg's stroke of all the samples: on a noisy 10,000-point trace the highest and lowest inked
pixel of 97 % of the columns are within a pixel of the stroke's). The antialiased edges are
not bit for bit the stroke's: the band steps by a quarter pixel where a stroke's edge slopes.
Dashed lines are stroked as before: a band fills each stretch from its lowest to its highest
dash, so a noisy dashed curve would look solid, and the dashes along its swings are what
tells it from the solid curve beside it. Lines that are not dense (fewer than
:data:`DENSE_SAMPLES_PER_COLUMN` samples per pixel column), with markers, drawn in steps,
with path effects, or drawn by a vector backend are stroked as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform, TransformedPath
from numpy.typing import ArrayLike, NDArray

__all__ = ["DENSE_SAMPLES_PER_COLUMN", "SUBCOLUMNS", "BandLine", "add_band_line", "band_path"]

#: Stretches per pixel column the band is computed on (its horizontal resolution).
SUBCOLUMNS = 4
#: A line is drawn as a band when it holds at least this many samples per pixel column it
#: spans (a sparser line is a polyline a stroke draws in less time than the band costs).
DENSE_SAMPLES_PER_COLUMN = 2.0


def _intervals(
    x: NDArray[np.float64], y: NDArray[np.float64]
) -> tuple[int, NDArray[np.float64], NDArray[np.float64]]:
    """Return the first column and the line's lowest and highest value in each unit column.

    ``x`` non-decreasing and finite (column ``k`` holds ``x`` in ``[k, k + 1)``), ``y``
    finite. A column's interval holds its samples and the line's values at both its edges
    (linear between samples), so a column without samples gets the segment crossing it.
    """
    c0 = int(np.floor(x[0]))
    n = int(np.floor(x[-1])) - c0 + 1
    col = np.floor(x).astype(np.int64) - c0
    starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    lo[col[starts]] = np.minimum.reduceat(y, starts)
    hi[col[starts]] = np.maximum.reduceat(y, starts)
    if n > 1:
        edge = np.interp(np.arange(c0 + 1, c0 + n, dtype=float), x, y)
        np.minimum(lo[1:], edge, out=lo[1:])
        np.minimum(lo[:-1], edge, out=lo[:-1])
        np.maximum(hi[1:], edge, out=hi[1:])
        np.maximum(hi[:-1], edge, out=hi[:-1])
    return c0, lo, hi


def _widen(
    lo: NDArray[np.float64], hi: NDArray[np.float64], half: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], int]:
    """Return the ink of a pen of radius ``half`` [pixel] moved along per-stretch intervals.

    Stretch ``k`` gets, from each stretch ``k + m`` within reach (centres ``|m| / SUBCOLUMNS``
    apart), its interval widened by the pen's height there, ``sqrt(half^2 - (m / S)^2)``:
    a line of slope ``s`` is then ``half * sqrt(1 + s^2)`` thick vertically, as a stroke is,
    and a spike's tip is round. Returns the bottom, the top and the stretches added each side.
    """
    r = int(np.floor(half * SUBCOLUMNS))
    n = lo.size + 2 * r
    top, bottom = np.full(n, -np.inf), np.full(n, np.inf)
    for m in range(-r, r + 1):
        h = float(np.sqrt(max(half * half - (m / SUBCOLUMNS) ** 2, 0.0)))
        sl = slice(r + m, r + m + lo.size)
        np.maximum(top[sl], hi + h, out=top[sl])
        np.minimum(bottom[sl], lo - h, out=bottom[sl])
    return bottom, top, r


def _clip_run(
    x: NDArray[np.float64], y: NDArray[np.float64], x_lo: float, x_hi: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the part of the line over ``[x_lo, x_hi]``, cut where it crosses the ends."""
    i = int(np.searchsorted(x, x_lo, side="left"))
    j = int(np.searchsorted(x, x_hi, side="right"))
    if i >= x.size or j == 0:  # the run lies beside the window
        return x[:0], y[:0]
    xs, ys = x[i:j], y[i:j]
    if i > 0:  # the segment entering the window
        xs = np.r_[x_lo, xs]
        ys = np.r_[np.interp(x_lo, x, y), ys]
    if j < x.size:  # the segment leaving it
        xs = np.r_[xs, x_hi]
        ys = np.r_[ys, np.interp(x_hi, x, y)]
    return xs, ys


def band_path(
    x_px: ArrayLike,
    y_px: ArrayLike,
    width_px: float,
    clip: tuple[float, float, float, float] | None = None,
) -> Path | None:
    """Return the outline of the pixels a line covers, one closed path per unbroken run.

    Parameters
    ----------
    x_px, y_px : array_like
        The line's vertices on the canvas, ``x_px`` non-decreasing; a non-finite ``y_px``
        (or ``x_px``) breaks the line, as in a stroke. [pixel]
    width_px : float
        Line width. [pixel]
    clip : (x0, y0, x1, y1), optional
        Canvas box the band is drawn in (the axes); the band is computed over it only, one
        line width beyond. [pixel]

    Returns
    -------
    Path or None
        The closed outlines in canvas coordinates, one per run of finite vertices, in one
        path: over each stretch of ``1 / SUBCOLUMNS`` pixel, from the lowest to the highest
        point of a pen of diameter ``width_px`` moved along the line (:func:`_widen`), from
        half a width before a run's first vertex to half a width after its last. None when no
        vertex lies in ``clip``. Runs closer than a line width overlap (a filled path counts
        them once: Agg fills by the nonzero rule, and every outline turns the same way).
    """
    x = np.asarray(x_px, dtype=float)
    y = np.asarray(y_px, dtype=float)
    half = 0.5 * float(width_px)
    ok = np.isfinite(x) & np.isfinite(y)
    breaks = np.flatnonzero(np.diff(ok.astype(np.int8)))
    bounds = np.r_[0, breaks + 1, x.size]
    margin = 2.0 * half + 2.0
    outlines = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if b <= a or not ok[a]:
            continue
        xs, ys = x[a:b], y[a:b]
        if clip is not None:
            xs, ys = _clip_run(xs, ys, clip[0] - margin, clip[2] + margin)
            if xs.size == 0:
                continue
            # a fill is not clipped before Agg's fixed-point coordinates
            ys = np.clip(ys, clip[1] - margin, clip[3] + margin)
        outlines.append(_run_outline(xs, ys, half))
    if len(outlines) == 1:  # what make_compound_path would return: its vertices and codes
        return outlines[0]
    return Path.make_compound_path(*outlines) if outlines else None


def _run_outline(x: NDArray[np.float64], y: NDArray[np.float64], half: float) -> Path:
    """Return the closed outline of one run's band (see :func:`band_path`)."""
    c0, lo, hi = _intervals(x * SUBCOLUMNS, y)
    bottom, top, r = _widen(lo, hi, half)
    edges = (c0 - r + np.arange(top.size + 1, dtype=float)) / SUBCOLUMNS
    xs = np.clip(np.column_stack([edges[:-1], edges[1:]]).ravel(), x[0] - half, x[-1] + half)
    upper = np.column_stack([xs, np.repeat(top, 2)])
    lower = np.column_stack([xs[::-1], np.repeat(bottom, 2)[::-1]])
    verts = np.concatenate([upper, lower, upper[:1]])
    codes = np.full(len(verts), Path.LINETO, dtype=Path.code_type)
    codes[0], codes[-1] = Path.MOVETO, Path.CLOSEPOLY
    return Path(verts, codes)


class BandLine(Line2D):
    """A :class:`~matplotlib.lines.Line2D` that a raster renderer fills as its band.

    ``full_x`` / ``full_y`` (the constructor's data) are the data the band is computed
    from, whatever decimated data the line is later given for vector output (the band needs
    the samples between a column's extrema to place them within the column). Drawn as a
    plain line when :meth:`band` gives no outline.
    """

    def __init__(self, xdata: ArrayLike, ydata: ArrayLike, **kwargs: Any) -> None:
        super().__init__(xdata, ydata, **kwargs)
        self.full_x = np.asarray(xdata, dtype=float)
        self.full_y = np.asarray(ydata, dtype=float)
        #: When set, the data to stroke the line with if it is stroked, not filled: called
        #: then (its data is set to what it returns), so a filled band never computes it.
        self.stroke_data: Callable[[], tuple[ArrayLike, ArrayLike]] | None = None

    def band(self, renderer: RendererBase) -> Path | None:
        """Return the band's outline on ``renderer``'s canvas, or None to stroke the line."""
        if (
            not isinstance(renderer, RendererAgg)
            or self.get_linestyle() not in ("-", "solid")
            or self.get_marker() not in (None, "None", "none", "", " ")
            or self.get_drawstyle() != "default"
            or self.get_path_effects()
            or self.get_sketch_params() is not None
            or self.full_x.size < 2
        ):
            return None
        xy = self.get_transform().transform(np.column_stack([self.full_x, self.full_y]))
        x = xy[:, 0]
        finite_x = x[np.isfinite(x)]
        if finite_x.size < 2 or np.any(np.diff(finite_x) < 0):
            return None
        box = self.get_clip_box() if self.get_clip_on() else None
        clip = None if box is None else (box.x0, box.y0, box.x1, box.y1)
        lo, hi = float(finite_x[0]), float(finite_x[-1])
        if clip is not None:
            lo, hi = max(lo, clip[0]), min(hi, clip[2])
            inside = np.count_nonzero((finite_x >= lo) & (finite_x <= hi))
        else:
            inside = finite_x.size
        if inside < DENSE_SAMPLES_PER_COLUMN * max(hi - lo, 1.0):
            return None
        width_px = float(self.get_linewidth()) * renderer.dpi / 72.0  # points_to_pixels
        return band_path(x, xy[:, 1], width_px, clip)

    def draw(self, renderer: RendererBase) -> None:
        """Fill the band on a raster canvas; stroke the line otherwise."""
        if not self.get_visible():
            return
        outline = self.band(renderer)
        if outline is None:
            if self.stroke_data is not None:
                self.set_data(*self.stroke_data())
                self.stroke_data = None
            super().draw(renderer)
            return
        renderer.open_group("line2d", self.get_gid())
        gc = renderer.new_gc()
        if self.get_clip_on():  # Artist._set_gc_clip, with the public getters
            gc.set_clip_rectangle(self.get_clip_box())
            gc.set_clip_path(cast(TransformedPath | None, self.get_clip_path()))
        gc.set_url(self.get_url())
        gc.set_antialiased(self.get_antialiased())
        gc.set_linewidth(0.0)
        gc.set_snap(False)  # the steps are sub-pixel: no snapping to pixel centres
        face = mcolors.to_rgba(self.get_color(), self.get_alpha())
        renderer.draw_path(gc, outline, IdentityTransform(), face)
        gc.restore()
        renderer.close_group("line2d")
        self.stale = False


def add_band_line(ax: Axes, x: ArrayLike, y: ArrayLike, **style: Any) -> BandLine:
    """Add a :class:`BandLine` of ``x``, ``y`` to ``ax`` as :meth:`Axes.plot` adds a line.

    The axes' limits follow it (autoscaling requested, done when they are next read).
    """
    line = BandLine(x, y, **style)
    ax.add_line(line)
    # request autoscaling as Axes.plot does, leaving it on or off (the stubs omit enable=None)
    cast(Any, ax).autoscale(enable=None)
    return line
