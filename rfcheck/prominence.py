"""Local maxima of a sampled curve and their topographic prominence, in numpy.

:func:`prominent_peaks` gives the peaks ``scipy.signal.find_peaks(x, prominence=p)`` gives,
with the same prominences, without importing ``scipy.signal`` (~0.6 s, which also loads
``scipy.stats``): every check searches its traces for emissions, so the search is on the
start-up path of every command that judges.

The definitions are scipy's (``scipy.signal.find_peaks``, ``peak_prominences``):

- a peak is a sample, or a run of equal samples (a plateau), with a strictly lower sample
  on both sides; a plateau's peak is its middle sample (rounded down). The first and last
  samples are never peaks; NaN compares unequal and lower to nothing, so a NaN beside a
  plateau keeps it from being a peak;
- from a peak, the search walks left (and right) while the samples are not higher than the
  peak (a NaN or a higher sample ends it), and takes the lowest sample seen, the one nearest
  the peak among equal ones, as the base; the prominence is the peak's level minus the
  higher of its two bases.

Only a peak's base level matters, not where the base is. The walks are followed directly
over growing blocks of samples (8, 32, 128, ...) for all peaks at once, and a peak drops
out as soon as one of its walks ends too shallow (most noise peaks, within a few samples);
the few longest walks go to a binary tree of subtree maxima and minima (:func:`_left_lows`),
so no curve, however it is shaped, makes the search quadratic.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["local_maxima", "prominent_peaks"]


def local_maxima(x: NDArray[np.float64]) -> NDArray[np.intp]:
    """Return the peaks of ``x``: samples or plateaus with a strictly lower sample each side.

    A plateau (a run of equal samples) is named by its middle sample, rounded down. The
    single-sample peaks come from two one-byte-a-sample comparisons, the plateaus from the
    runs of equal neighbours (NaN equals nothing, so a NaN is never in one): no index array
    over every sample (a 10-million-point trace, ``benchmarks/memory.py``).
    """
    n = x.shape[0]
    if n < 3:
        return np.zeros(0, dtype=np.intp)
    rise = x[:-1] < x[1:]  # rise[i]: x[i] < x[i + 1]
    fall = x[1:] < x[:-1]  # fall[i]: x[i + 1] < x[i]
    single = np.flatnonzero(rise[:-1] & fall[1:]) + 1
    same = np.flatnonzero(x[1:] == x[:-1])  # x[i] == x[i + 1]: i and i + 1 share a run
    if same.shape[0] == 0:
        return single.astype(np.intp, copy=False)
    cut = np.flatnonzero(np.diff(same) != 1)
    a = same[np.concatenate(([0], cut + 1))]  # each run of equal samples is a..b
    b = same[np.concatenate((cut, [same.shape[0] - 1]))] + 1
    inner = (a >= 1) & (b <= n - 2)
    a, b = a[inner], b[inner]
    peak = rise[a - 1] & fall[b]
    plateau = (a[peak] + b[peak]) // 2
    mid: NDArray[np.intp] = np.sort(np.concatenate((single, plateau))).astype(np.intp)
    return mid


def _order_keys(x: NDArray[np.float64]) -> NDArray[np.int64]:
    """Return integers in the order of the samples: equal samples equal, NaN above +inf."""
    canon = np.where(np.isnan(x), np.nan, x + 0.0)  # one NaN pattern; -0.0 becomes 0.0
    bits = canon.view(np.int64)
    keys: NDArray[np.int64] = bits ^ ((bits >> 63) & np.int64(0x7FFFFFFFFFFFFFFF))
    return keys


def _left_lows(x: NDArray[np.float64], peaks: NDArray[np.intp]) -> NDArray[np.float64]:
    """Return, per peak, the lowest sample of its left walk.

    The walk from ``p`` covers ``p`` and the samples before it up to (not including) the
    nearest one above ``x[p]`` or NaN. A binary tree over the samples holds each subtree's
    highest sample (in :func:`_order_keys`) and its lowest one: from the peak's leaf, climb
    while the subtrees to the left are not higher than the peak (they lie in the walk),
    then descend into the first one that is, towards its rightmost sample above the peak.
    """
    n = x.shape[0]
    size = 1 << max(0, (n - 1).bit_length())
    high = np.full(2 * size, np.iinfo(np.int64).min, dtype=np.int64)
    high[size : size + n] = _order_keys(x)
    low = np.full(2 * size, np.inf)
    low[size : size + n] = x  # NaN never lies in a walk: its subtrees are never read
    width = size
    while width > 1:
        half = width // 2
        high[half:width] = np.maximum(high[width : 2 * width : 2], high[width + 1 : 2 * width : 2])
        low[half:width] = np.minimum(low[width : 2 * width : 2], low[width + 1 : 2 * width : 2])
        width = half
    node = peaks + size
    v = high[node]
    best = x[peaks].copy()
    stop = np.zeros(peaks.shape, dtype=np.intp)  # subtree holding the walk's end (0: none)
    todo = np.arange(peaks.shape[0])
    while todo.size:
        nd = node[todo]
        right = (nd & 1) == 1  # a right child: its left sibling is before it
        sib = nd - 1
        blocked = np.zeros(todo.shape, dtype=bool)
        blocked[right] = high[sib[right]] > v[todo[right]]
        clear = right & ~blocked
        best[todo[clear]] = np.minimum(best[todo[clear]], low[sib[clear]])
        stop[todo[blocked]] = sib[blocked]
        todo = todo[~blocked]
        node[todo] = node[todo] // 2
        todo = todo[node[todo] > 1]  # the root: nothing before the peak is above it
    down = np.flatnonzero(stop)
    nd = stop[down]
    while down.size:
        inner = nd < size
        down, nd = down[inner], nd[inner]
        if not down.size:
            break
        r = 2 * nd + 1
        into_right = high[r] > v[down]
        take = ~into_right  # the right half lies in the walk
        best[down[take]] = np.minimum(best[down[take]], low[r[take]])
        nd = np.where(into_right, r, 2 * nd)
    return best


#: Samples each walk is first followed over directly, then four times more each round.
_FIRST_WIDTH = 8
#: Largest (walks x samples) block followed directly; longer walks use the tree search.
_MAX_BLOCK = 1 << 16


def _extend(
    x: NDArray[np.float64],
    start: NDArray[np.intp],
    level: NDArray[np.float64],
    lowest: NDArray[np.float64],
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Follow walks over a block of their next samples.

    ``start`` is an (m, w) block: row i holds walk i's next w sample indices, in walking
    order (``peak ± 1, ± 2, ...``). Returns whether each walk ended inside the block (a sample
    above ``level`` or NaN, or the end of ``x``) and the lowest sample met so far.
    """
    inside = (start >= 0) & (start < x.shape[0])
    vals = x[np.where(inside, start, 0)]
    on = np.logical_and.accumulate(inside & (vals <= level[:, None]), axis=1)
    met = np.where(on, vals, np.inf).min(axis=1)
    return ~on[:, -1], np.minimum(lowest, met)


def prominent_peaks(
    x: ArrayLike, min_prominence: float, among: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Return the peaks of ``x`` with a prominence of at least ``min_prominence``.

    The same peaks as ``scipy.signal.find_peaks(x, prominence=min_prominence)`` and their
    ``prominences``.

    Parameters
    ----------
    x : array_like
        The curve, one dimension (levels in any dB unit, say). [unit of x]
    min_prominence : float
        The prominence a peak needs. [unit of x]
    among : ndarray of bool, optional
        Return only the peaks where this is True (the others still shape every walk and
        prominence; a caller that needs a few peaks skips the work for the rest).

    Returns
    -------
    peaks : ndarray of int
        Indices of the peaks, increasing.
    prominences : ndarray of float
        Their prominences. [unit of x]

    Raises
    ------
    ValueError
        ``x`` is not one-dimensional.
    """
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"x must be one-dimensional, not {arr.ndim}-dimensional")
    n = arr.shape[0]
    peaks = local_maxima(arr)
    if among is not None:
        peaks = peaks[among[peaks]]
    level = arr[peaks]
    low = {-1: level.copy(), 1: level.copy()}  # the lowest sample each walk met so far
    ended = {-1: np.zeros(peaks.shape, dtype=bool), 1: np.zeros(peaks.shape, dtype=bool)}
    keep = np.ones(peaks.shape, dtype=bool)  # not yet known to be too shallow
    walked, width = 0, _FIRST_WIDTH
    todo = np.arange(peaks.shape[0])
    while todo.size and todo.size * width <= _MAX_BLOCK:
        cols = walked + np.arange(1, width + 1)
        for step in (-1, 1):
            go = todo[~ended[step][todo]]
            if go.size:
                done, low[step][go] = _extend(
                    arr, peaks[go, None] + step * cols[None, :], level[go], low[step][go]
                )
                ended[step][go] = done
        # a walk that ended too shallow caps the prominence (the other base can only be
        # higher, and a - b falls as b grows): the peak is out
        for step in (-1, 1):
            out = todo[ended[step][todo]]
            keep[out] &= ~(level[out] - low[step][out] < min_prominence)
        todo = todo[keep[todo] & ~(ended[-1][todo] & ended[1][todo])]
        walked, width = walked + width, width * 4
    if todo.size:  # the longest walks: the tree search
        low[-1][todo] = _left_lows(arr, peaks[todo])
        low[1][todo] = _left_lows(arr[::-1].copy(), n - 1 - peaks[todo])
    prom = level - np.maximum(low[-1], low[1])
    keep &= min_prominence <= prom
    return peaks[keep], prom[keep]
