"""Coverage: which frequencies of a line's judged range a trace's points reach (earned).

A swept peak trace covers the buckets between its points (per-point cells meeting at
midpoints, ends extended by max(half a step, RBW / 2)); any other reading (a generic CSV's
peak readings too, unless the file states a sweep: ``Trace.sweep_unstated``) only ± RBW / 2
around each point; a receiver-model scan of a recording covers nothing beyond its outermost
frequencies (``Trace.ends_at_points``); a trace touching a line's range only at its ends covers
nothing of it. The judged range is the line's range bounded by 47 CFR 15.33(b)(1) and the
user's ``--range``. Interval arithmetic on ``[(lo, hi), ...]`` in Hz. The full rule is in
``docs/verdict.md`` ("Coverage").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector
from ..cispr import EDGE_REL_TOL
from .bounds import CODE_MEASURED, CODE_UPPER, line_bandwidth_hz
from .traces import CorrectedTrace

if TYPE_CHECKING:
    from .points import TracePoints

__all__ = [
    "Intervals",
    "beyond_upper",
    "LineCoverage",
    "judged_range",
    "line_coverage",
    "reach",
    "touches_only",
    "axis_classes",
    "cells",
    "clip",
    "is_sweep_grid",
    "local_step",
    "near",
    "runs",
    "subtract",
    "union",
]

#: Frequency intervals ``[(lo, hi), ...]``. [Hz]
Intervals = list[tuple[float, float]]


def union(iv: Intervals) -> Intervals:
    """Return the union of ``iv``, sorted, touching intervals merged [Hz]."""
    out: Intervals = []
    for a, b in sorted(iv):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def subtract(base: Intervals, cut: Intervals) -> Intervals:
    """Return ``base`` minus ``cut``; slivers narrower than 1e-6 relative are dropped [Hz]."""
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
    """Return the union of ``iv`` clipped to ``[lo, hi]`` [Hz]."""
    return union([(max(a, lo), min(b, hi)) for a, b in iv if b >= lo and a <= hi])


#: Largest spread of a sweep's spacings (linear) or of their ratios (logarithmic), relative:
#: an instrument's frequency grid written with a few digits stays well inside it.
GRID_SPREAD = 0.02


#: A trace of at least this many points is a sweep even when its grid is not one even
#: spacing (a receiver scan of several subranges): a final-measurement list holds a few
#: readings per line (ANSI C63.4 reports the six highest), each a second or more of dwell.
SWEEP_MIN_POINTS = 100


def is_sweep_grid(f: NDArray[np.float64]) -> bool:
    """Whether ``f`` is a sweep's grid, not a list of final-measurement frequencies.

    At least :data:`SWEEP_MIN_POINTS` points, or at least 3 evenly spaced in f or in log f.
    A final-measurement list (quasi-peak readings at the emissions a prescan found) is not:
    its points are where the emissions are, so a point is evidence at its own frequency
    (within the RBW), not of the span to its neighbours.
    """
    if f.shape[0] < 3 or not np.all(np.isfinite(f)):
        return False
    if f.shape[0] >= SWEEP_MIN_POINTS:
        return True
    d = np.diff(f)
    if np.any(d <= 0):
        return False
    if float(np.max(d) - np.min(d)) <= GRID_SPREAD * float(np.median(d)):
        return True  # linear, also from 0 Hz
    if f[0] <= 0:
        return False
    r = np.diff(np.log(f))
    return float(np.max(r) - np.min(r)) <= GRID_SPREAD * float(np.median(r))


def local_step(f: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each point's local grid step: the mean of its two spacings (one at an end) [Hz]."""
    if f.shape[0] < 2:
        return np.zeros(f.shape)
    d = np.diff(f)
    left = np.concatenate([[d[0]], d])
    right = np.concatenate([d, [d[-1]]])
    return (left + right) / 2.0  # type: ignore[no-any-return]


def cells(
    f: NDArray[np.float64], rbw_hz: float | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each point's share ``[lo, hi]`` of its trace's coverage [Hz].

    Neighbouring points of a sweep meet at their midpoint; a segment's ends reach out by
    max(step / 2, RBW / 2). A final-measurement list (not a sweep's grid:
    :func:`is_sweep_grid`, which traces of fewer than 3 points never are) covers each point
    ± RBW / 2 only: a quasi-peak reading at 195 kHz says nothing of 230 kHz.
    """
    half_rbw = (rbw_hz or 0.0) / 2.0
    if not is_sweep_grid(f):
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
    """Return the union of the cells ``sel`` as intervals (runs of touching cells) [Hz].

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
    """Return True where ``f`` lies within ``tol`` of a point of the sorted ``ref`` [Hz]."""
    j = np.clip(np.searchsorted(ref, f), 1, max(ref.shape[0] - 1, 1))
    dist = np.minimum(np.abs(ref[j - 1] - f), np.abs(ref[np.minimum(j, ref.shape[0] - 1)] - f))
    return dist <= tol  # type: ignore[no-any-return]


def axis_classes(
    axis_hz: NDArray[np.float64] | None, f: NDArray[np.float64], flag: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Return the trace's whole axis and, per axis point, the flag of the nearest in-range point.

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


def _wider_than_noise(a: float, b: float) -> bool:
    """Return an interval wider than float noise (a zero-width range is no range) [Hz]."""
    return b - a > 1e-6 * max(abs(b), 1.0)


def beyond_upper(f: NDArray[np.float64], required_to_hz: float | None) -> NDArray[np.bool_]:
    """Return which frequencies lie above the 15.33(b)(1) upper frequency (none without one).

    A point at the upper frequency within :data:`rfcheck.cispr.EDGE_REL_TOL` is in range. [Hz]
    """
    if required_to_hz is None:
        return np.zeros(f.shape, dtype=bool)
    out: NDArray[np.bool_] = f > required_to_hz * (1.0 + EDGE_REL_TOL)
    return out


def judged_range(
    lo: float, hi: float, required_to_hz: float | None, range_hz: tuple[float, float] | None
) -> Intervals:
    """``[lo, hi]`` bounded by the 15.33(b)(1) upper frequency and the user's range [Hz].

    Empty when nothing of it is left (a zero-width remainder is nothing).
    """
    a, b = lo, hi if required_to_hz is None else min(hi, required_to_hz)
    if range_hz is not None:
        a, b = max(a, range_hz[0]), min(b, range_hz[1])
    return [(a, b)] if _wider_than_noise(a, b) else []


@dataclass(frozen=True)
class LineCoverage:
    """A line's coverage: by any reading, by measurements/upper bounds, and the rest [Hz]."""

    covered: Intervals  #: by any reading of a related trace
    not_evaluated: Intervals  #: required, covered by none
    lower_only: Intervals  #: covered, but only by lower (or dropped) bounds

    def within(self, lo: float, hi: float) -> LineCoverage:
        """Return this coverage clipped to ``[lo, hi]`` (the user's ``--range``) [Hz]."""
        return LineCoverage(
            covered=clip(self.covered, lo, hi),
            not_evaluated=clip(self.not_evaluated, lo, hi),
            lower_only=clip(self.lower_only, lo, hi),
        )


def touches_only(
    f: NDArray[np.float64], lo: float, hi: float, trace_hz: NDArray[np.float64]
) -> bool:
    """Return True when a trace of the next range only touches the line's range at one end.

    Every in-range point ``f`` sits on an end of the range while the trace (all its points
    before cropping to the limits' ranges, ``trace_hz``) goes on beyond it: a 30 MHz-1 GHz
    scan and a line ending at 30 MHz. Such a trace covers nothing of the line. A trace lying
    wholly inside the range (final readings at exactly 30 MHz, or a scan whose only points
    are 0.15 and 30 MHz) measured those frequencies of the line and covers them.
    """
    tol_lo, tol_hi = EDGE_REL_TOL * max(lo, 1.0), EDGE_REL_TOL * max(hi, 1.0)
    at_end = (np.abs(f - lo) <= tol_lo) | (np.abs(f - hi) <= tol_hi)
    beyond = (trace_hz < lo - tol_lo) | (trace_hz > hi + tol_hi)
    return bool(at_end.all() and beyond.any())


def reach(
    t: CorrectedTrace, axis: NDArray[np.float64], lo: float, hi: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return each point's cell.

    A swept peak trace's bucket (a swept analyser's peak detector saw the whole bucket between
    its points), any other reading its RBW only (unknown RBW: the line's CISPR bandwidth): a
    stepped scan, a peak one included, or a list of final measurements settles its
    frequencies, not the gaps between them. A trace that states a dwell per frequency
    (``dwell_s``: a receiver's ``Meas Time``, ``Dwell Time``) was stepped: a receiver tuned to
    each point in turn, with nothing measured between them (CISPR 16-2-1/-2-3 scans; a 10 MHz
    step with a 120 kHz RBW measures about 1 % of the band). A trace whose ``ends_at_points``
    is set (a receiver-model scan of a recording) covers nothing beyond its first and last
    frequencies (or at its ``ends_hz``: one band's part of a scan spanning bands may reach
    its band's top, where the next band's part begins): its cells are cut there. A trace
    whose file shows no sweep (``sweep_unstated``: a generic CSV stating neither a sweep
    time nor a trace mode) is readings at their own frequencies, each its RBW only, however
    evenly spaced: three peak readings at 0.15, 15.075 and 30 MHz are no sweep of 30 MHz. [Hz]
    """
    bandwidth = line_bandwidth_hz(axis, lo, hi)
    if t.detector is Detector.PEAK and t.dwell_s is None and not t.sweep_unstated:
        cell_lo, cell_hi = cells(axis, t.rbw_hz or float(bandwidth.min(initial=np.inf)))
    else:
        rbw = np.full(axis.shape, t.rbw_hz) if t.rbw_hz else bandwidth
        cell_lo, cell_hi = axis - rbw / 2.0, axis + rbw / 2.0
    if t.ends_at_points and axis.shape[0]:
        first, last = t.ends_hz or (float(axis.min()), float(axis.max()))
        cell_lo, cell_hi = np.clip(cell_lo, first, last), np.clip(cell_hi, first, last)
    return cell_lo, cell_hi


def line_coverage(
    rows: Sequence[TracePoints], lo: float, hi: float, required: Intervals
) -> LineCoverage:
    """Return what the rows' cells cover of the line, and how (docs/verdict.md, "Coverage").

    Per series (:attr:`Trace.channel`: a recording's channel or capture segment; "" for
    every instrument trace): where one series reads a frequency only as a lower bound, the
    frequency is read as a lower bound only, whatever another series measured there (another
    channel is another line, another segment another time: a settled first segment once
    covered a second segment's unsettled burst 6 dB over the line, and read PASS).
    """
    groups: dict[str, tuple[Intervals, Intervals]] = {}
    for r in rows:
        whole = r.trace.axis_hz if r.trace.axis_hz is not None else r.trace.freq_hz
        if touches_only(r.freq_hz, lo, hi, whole):
            continue
        flag = (r.bound == CODE_MEASURED) | (r.bound == CODE_UPPER)
        axis, definitive = axis_classes(r.trace.axis_hz, r.freq_hz, flag)
        cell_lo, cell_hi = reach(r.trace, axis, lo, hi)
        g_any, g_definitive = groups.setdefault(r.trace.channel, ([], []))
        g_any += runs(cell_lo, cell_hi, np.ones(axis.shape, dtype=bool))
        g_definitive += runs(cell_lo, cell_hi, definitive)
    any_iv: Intervals = [iv for g_any, _ in groups.values() for iv in g_any]
    definitive_iv: Intervals = [iv for _, g_def in groups.values() for iv in g_def]
    covered = clip(any_iv, lo, hi)
    lower_only = subtract(covered, clip(definitive_iv, lo, hi))
    if len(groups) > 1:  # each series' own lower-bound-only ranges stay open
        for g_any, g_def in groups.values():
            lower_only += subtract(clip(g_any, lo, hi), clip(g_def, lo, hi))
        lower_only = union(lower_only)
    return LineCoverage(
        covered=covered,
        not_evaluated=subtract(required, covered),
        lower_only=lower_only,
    )
