"""Which points of a corrected trace are emissions, and how finely a sweep places them.

An emission is a local maximum standing out of its surroundings by a prominence (default
6 dB): the noise floor's own ripples do not. The frequency resolution of a sweep, used to
match emissions with harmonics, is ``max(RBW / 2, step)``: the receiver's passband half-width,
or one grid step when the grid is coarser (a peak lands on the nearest point, possibly one
step off). See ``docs/explain.md``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..prominence import prominent_peaks

__all__ = ["DEFAULT_PROMINENCE_DB", "emission_peaks", "frequency_resolution_hz"]

#: How far a local maximum must stand above the deeper of its two flanking minima. [dB]
DEFAULT_PROMINENCE_DB = 6.0


def frequency_resolution_hz(freq_hz: ArrayLike, rbw_hz: float | None = None) -> float:
    """How precisely a sweep places an emission: ``max(RBW / 2, median step)``.

    Parameters
    ----------
    freq_hz : array_like
        The sweep's frequency axis. [Hz]
    rbw_hz : float, optional
        Resolution bandwidth, when the file states it. [Hz]

    Returns
    -------
    float
        The resolution [Hz]; 0 for a single point without RBW.
    """
    f = np.sort(np.asarray(freq_hz, dtype=np.float64))
    step = float(np.median(np.diff(f))) if f.size > 1 else 0.0
    half_rbw = rbw_hz / 2 if rbw_hz is not None and np.isfinite(rbw_hz) else 0.0
    return max(half_rbw, step)


def emission_peaks(
    freq_hz: ArrayLike,
    level: ArrayLike,
    *,
    min_prominence_db: float = DEFAULT_PROMINENCE_DB,
    max_peaks: int | None = 200,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Local maxima of a trace with at least ``min_prominence_db`` of prominence.

    Parameters
    ----------
    freq_hz : array_like
        Frequency axis, increasing. [Hz]
    level : array_like
        Corrected level, any dB unit. [dB...]
    min_prominence_db : float
        Prominence a peak needs (:func:`rfcheck.prominence.prominent_peaks`). [dB]
    max_peaks : int, optional
        Keep only the most prominent ones (None: all).

    Returns
    -------
    (ndarray, ndarray)
        Peak frequencies [Hz] and levels [same unit as ``level``], in increasing frequency.
    """
    f = np.asarray(freq_hz, dtype=np.float64)
    lv = np.asarray(level, dtype=np.float64)
    ok = np.isfinite(f) & np.isfinite(lv)
    if not ok.all():  # else the arrays themselves: no copies of a long trace
        f, lv = f[ok], lv[ok]
    idx, prominence = prominent_peaks(lv, min_prominence_db)
    if max_peaks is not None and idx.size > max_peaks:
        keep = np.argsort(-prominence, kind="stable")[:max_peaks]
        idx = np.sort(idx[keep])
    return f[idx], lv[idx]
