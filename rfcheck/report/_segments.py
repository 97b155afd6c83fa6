"""Limit lines as plotted, compressed back to their segments for the report's limit table."""

from __future__ import annotations

import numpy as np

from ..plotted import PlotLimit

__all__ = ["limit_segments"]


def limit_segments(pl: PlotLimit, tol_db: float = 0.01) -> list[tuple[float, float, float, float]]:
    """Compress a plotted limit line back to its segments, for the limit table.

    Parameters
    ----------
    pl : PlotLimit
        Limit line as plotted (possibly densely sampled).
    tol_db : float
        Deviation from a straight line in log-frequency still treated as one segment. [dB]

    Returns
    -------
    list of (f_start_hz, f_stop_hz, level_start, level_stop)
        Segments straight in log-frequency (flat segments have equal levels). [Hz], [unit]
    """
    f = np.asarray(pl.freq_hz, dtype=float)
    y = np.asarray(pl.level, dtype=float)
    ok = np.isfinite(f) & np.isfinite(y) & (f > 0)
    f, y = f[ok], y[ok]
    if f.size < 2:
        return [(float(f[0]), float(f[0]), float(y[0]), float(y[0]))] if f.size else []
    segs: list[tuple[float, float, float, float]] = []
    x = np.log10(f)
    i = 0
    n = f.size
    while i < n - 1:
        if x[i + 1] == x[i]:  # vertical step at a breakpoint
            i += 1
            continue
        j = i + 1
        while j + 1 < n and x[j + 1] > x[j]:
            pred = y[i] + (y[j + 1] - y[i]) * (x[i + 1 : j + 1] - x[i]) / (x[j + 1] - x[i])
            if np.max(np.abs(pred - y[i + 1 : j + 1])) > tol_db:
                break
            j += 1
        segs.append((float(f[i]), float(f[j]), float(y[i]), float(y[j])))
        i = j
    return segs
