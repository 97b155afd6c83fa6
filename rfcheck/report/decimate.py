"""Decimation of long traces for plotting, keeping what the plot shows.

:func:`column_extrema` keeps, for every pixel column a line is drawn across, the first, the
last, the lowest and the highest sample (the M4 scheme): the line drawn through them covers
exactly the pixels the full trace covers in every column, extremes and the joins between
columns included, with at most four points per column. :func:`envelope` is the older
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


def _run_extrema(col: NDArray[np.int64], y: NDArray[np.float64]) -> NDArray[np.int64]:
    """Return the indices of the first, last, lowest and highest sample of each column run."""
    n = col.size
    starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
    ends = np.r_[starts[1:], n] - 1
    order = np.lexsort((y, col))  # by column, then level (col is non-decreasing)
    return np.concatenate([starts, ends, order[starts], order[ends]])


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
        return np.unique(_run_extrema(col, v))
    # Runs of finite values between gaps: give each run its own column ids, keep the gaps.
    run = np.cumsum(~finite)
    keep = [np.flatnonzero(~finite)]
    idx = np.flatnonzero(finite)
    if idx.size:
        # offset each run's columns so that two runs never share a column id
        span = int(col[idx].max() - col[idx].min()) + 2
        key = (run[idx] * span + (col[idx] - col[idx].min())).astype(np.int64)
        keep.append(idx[_run_extrema(key, v[idx])])
    return np.unique(np.concatenate(keep))


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
