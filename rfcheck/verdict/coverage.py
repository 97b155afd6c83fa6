"""Coverage: which frequencies a trace's points reach, as interval arithmetic.

A trace covers the span of its points extended at each end by max(half a grid step, RBW / 2),
split where a spacing exceeds four times its neighbours' (and twice the RBW); a trace of fewer
than 3 points covers only its points ± RBW / 2. The span is shared into per-point cells
(neighbours meet at their midpoint). The full rule is in ``docs/verdict.md`` ("Coverage").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Intervals",
    "axis_classes",
    "cells",
    "clip",
    "local_step",
    "near",
    "runs",
    "subtract",
    "union",
]

#: Frequency intervals ``[(lo, hi), ...]``. [Hz]
Intervals = list[tuple[float, float]]


def union(iv: Intervals) -> Intervals:
    """The union of ``iv``, sorted, touching intervals merged. [Hz]"""
    out: Intervals = []
    for a, b in sorted(iv):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def subtract(base: Intervals, cut: Intervals) -> Intervals:
    """``base`` minus ``cut``; slivers narrower than 1e-6 relative are dropped. [Hz]"""
    out: Intervals = []
    cut = union(cut)
    for a, b in base:
        cur = a
        for c, d in cut:
            if d <= cur or c >= b:
                continue
            if c > cur:
                out.append((cur, c))
            cur = max(cur, d)
        if cur < b:
            out.append((cur, b))
    return [(a, b) for a, b in out if b - a > 1e-6 * max(abs(b), 1.0)]


def clip(iv: Intervals, lo: float, hi: float) -> Intervals:
    """The union of ``iv`` clipped to ``[lo, hi]``. [Hz]"""
    return union([(max(a, lo), min(b, hi)) for a, b in iv if b >= lo and a <= hi])


def local_step(f: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each point's local grid step: the mean of its two spacings (one at an end). [Hz]"""
    if f.shape[0] < 2:
        return np.zeros(f.shape)
    d = np.diff(f)
    left = np.concatenate([[d[0]], d])
    right = np.concatenate([d, [d[-1]]])
    return (left + right) / 2.0  # type: ignore[no-any-return]


def cells(
    f: NDArray[np.float64], rbw_hz: float | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each point's share ``[lo, hi]`` of its trace's coverage. [Hz]

    Neighbouring points meet at their midpoint; a segment's ends reach out by
    max(step / 2, RBW / 2); traces of fewer than 3 points: each point ± RBW / 2.
    """
    half_rbw = (rbw_hz or 0.0) / 2.0
    if f.shape[0] < 3:
        return f - half_rbw, f + half_rbw
    d = np.diff(f)
    left = np.concatenate([[d[0]], d[:-1]])
    right = np.concatenate([d[1:], [d[-1]]])
    # a gap: a spacing four times its neighbours' (a log sweep's spacing grows smoothly)
    gaps = np.flatnonzero((d > 4.0 * np.maximum(left, right)) & (d > 2.0 * (rbw_hz or 0.0)))
    mid = (f[:-1] + f[1:]) / 2.0
    lo, hi = np.concatenate([[f[0]], mid]), np.concatenate([mid, [f[-1]]])
    start = 0
    for g in [*gaps.tolist(), f.shape[0] - 1]:
        first = d[start] if start < d.shape[0] else d[-1]
        last = d[g - 1] if g >= 1 else d[0]
        lo[start] = f[start] - max(first / 2.0, half_rbw)
        hi[g] = f[g] + max(last / 2.0, half_rbw)
        start = g + 1
    return lo, hi


def runs(lo: NDArray[np.float64], hi: NDArray[np.float64], sel: NDArray[np.bool_]) -> Intervals:
    """The union of the cells ``sel`` as intervals (runs of touching cells). [Hz]

    Cells that meet to within float noise (1e-9 relative: one RBW apart, ± RBW / 2) touch.
    """
    idx = np.flatnonzero(sel)
    if idx.shape[0] == 0:
        return []
    nxt = lo[idx[1:]]
    brk = (np.diff(idx) > 1) | (hi[idx[:-1]] < nxt - 1e-9 * np.abs(nxt))
    starts = idx[np.concatenate([[True], brk])]
    ends = idx[np.concatenate([brk, [True]])]
    return list(zip(lo[starts].tolist(), hi[ends].tolist(), strict=True))


def near(
    f: NDArray[np.float64], ref: NDArray[np.float64], tol: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """True where ``f`` lies within ``tol`` of a point of the sorted ``ref``. [Hz]"""
    j = np.clip(np.searchsorted(ref, f), 1, max(ref.shape[0] - 1, 1))
    dist = np.minimum(np.abs(ref[j - 1] - f), np.abs(ref[np.minimum(j, ref.shape[0] - 1)] - f))
    return dist <= tol  # type: ignore[no-any-return]


def axis_classes(
    axis_hz: NDArray[np.float64] | None, f: NDArray[np.float64], flag: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The trace's whole axis and, per axis point, the flag of the nearest in-range point.

    ``f`` are the line's in-range points and ``flag`` one boolean per point (e.g. "its cell
    is definitive coverage"). Cells are cut on the whole axis (so a line's edge inside a sweep
    is no gap); a point outside the line's range takes the flag of the nearest in-range point
    (only the sliver of its cell inside the range survives the clipping). Without a usable
    axis: ``(f, flag)``.
    """
    axis = axis_hz
    if axis is None or axis.shape[0] < f.shape[0] or not np.isin(f, axis).all():
        return f, flag
    j = np.clip(np.searchsorted(f, axis), 1, max(f.shape[0] - 1, 1))
    left = np.minimum(j - 1, f.shape[0] - 1)
    right = np.minimum(j, f.shape[0] - 1)
    nearest = np.where(np.abs(axis - f[left]) <= np.abs(f[right] - axis), left, right)
    return axis, flag[nearest]
