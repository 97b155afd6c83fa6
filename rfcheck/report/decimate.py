"""Decimation of long traces for plotting, keeping what the plot shows.

:func:`column_extrema` keeps, for every pixel column a line is drawn across, the first, the
last, the lowest and the highest sample (the M4 scheme): the line drawn through them reaches
every column's lowest and highest sample and joins the columns by the full trace's own
segments, with at most four points per column. Its antialiased ink is not bit for bit the full
trace's: Agg adds up the coverage of overlapping segments, so the full trace's many segments
ink some edge pixels darker, mostly beside steep flanks (10,000 noisy points with narrow
emissions over 1,000 columns: 3.6 % of the inked pixels differ by more than a quarter of full
scale, 1.2 % by more than half). :func:`envelope` is the older
resolution-free variant (minimum and maximum per log-frequency bin) used by the lot and
dossier overlays.

References
----------
U. Jugel et al., "M4: A Visualization-Oriented Time Series Data Aggregation", Proc. VLDB
Endowment 7(10), 2014.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_BINS", "column_extrema", "envelope"]

#: Points kept per trace by :func:`envelope` (about one per horizontal pixel, x2).
MAX_BINS = 1600


def _run_extrema(key: NDArray[np.int64], y: NDArray[np.float64]) -> NDArray[np.int64]:
    """Return the indices of the first, last, lowest and highest sample of each run of ``key``.

    ``key`` is non-decreasing (a run: one pixel column); the lowest is the first sample at the
    run's minimum, the highest the last at its maximum. Returned increasing, without repeats.
    Linear in the samples (per-run reductions, no sort).
    """
    n = key.size
    new_run = np.empty(n, dtype=bool)
    new_run[0] = True
    np.not_equal(key[1:], key[:-1], out=new_run[1:])
    starts = np.flatnonzero(new_run)
    run = np.cumsum(new_run) - 1  # run number of each sample
    keep = np.zeros(n, dtype=bool)
    keep[starts] = True
    keep[np.r_[starts[1:] - 1, n - 1]] = True  # the run ends
    at_min = np.flatnonzero(y == np.minimum.reduceat(y, starts)[run])
    first = np.empty(at_min.size, dtype=bool)
    first[:1] = True
    np.not_equal(run[at_min[1:]], run[at_min[:-1]], out=first[1:])
    keep[at_min[first]] = True
    at_max = np.flatnonzero(y == np.maximum.reduceat(y, starts)[run])
    last = np.empty(at_max.size, dtype=bool)
    last[-1:] = True
    np.not_equal(run[at_max[1:]], run[at_max[:-1]], out=last[:-1])
    keep[at_max[last]] = True
    return np.flatnonzero(keep)


def column_extrema(x_px: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.int64]:
    """Return the indices of the samples to draw: first, last, min and max per pixel column.

    Parameters
    ----------
    x_px : ndarray
        Horizontal position of each sample on the canvas, non-decreasing; sample ``i`` falls in
        pixel column ``floor(x_px[i])``. [pixel]
    y : ndarray
        Values, same length; a non-finite value (a gap in the line) is always kept and splits
        the trace into runs decimated on their own. [any unit]

    Returns
    -------
    ndarray of int
        Increasing indices into ``x_px`` / ``y`` (original order). When ``x_px`` is not
        non-decreasing or not finite every index is returned: such a line is drawn as given.
    """
    x = np.asarray(x_px, dtype=float)
    v = np.asarray(y, dtype=float)
    n = x.size
    if n <= 4 or not np.all(np.isfinite(x)) or np.any(np.diff(x) < 0):
        return np.arange(n)
    col = np.floor(x).astype(np.int64)
    finite = np.isfinite(v)
    if finite.all():
        return _run_extrema(col, v)
    # Runs of finite values between gaps: give each run its own column ids, keep the gaps.
    run = np.cumsum(~finite)
    keep = ~finite
    idx = np.flatnonzero(finite)
    if idx.size:
        # offset each run's columns so that two runs never share a column id
        span = int(col[idx].max() - col[idx].min()) + 2
        key = (run[idx] * span + (col[idx] - col[idx].min())).astype(np.int64)
        keep[idx[_run_extrema(key, v[idx])]] = True
    return np.flatnonzero(keep)


def envelope(
    freq_hz: NDArray[np.float64], level: NDArray[np.float64], n_bins: int = MAX_BINS
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Max/min envelope of a long trace in log-frequency bins.

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
        For each non-empty bin, its minimum and maximum sample in original order. Short
        traces are returned unchanged (filtered).
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
