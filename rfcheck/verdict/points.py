"""A limit line's points: each trace's readings inside the line's range, and what settles them.

:func:`bounded_points` takes every trace whose detector bounds the line's quantity
(:func:`~rfcheck.verdict.bounds.relation`), keeps its points inside the judged range and
gives each its margin, limit and bound (weakened by the bandwidth, settling and trace-mode
rules, :func:`~rfcheck.verdict.bounds.demote`); :func:`supersede` marks the bounds another
trace's reading settles (``docs/verdict.md``, "At that frequency"). :mod:`.line` judges the
line from them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector, trace_label
from ..frequency import format_mhz, format_mhz_range
from ..limits import LimitTable, LineSpec
from .bounds import (
    CODE_LOWER,
    CODE_MEASURED,
    CODE_NONE,
    CODE_UPPER,
    bound_array,
    demote,
    line_bandwidth_hz,
    relation,
)
from .coverage import is_sweep_grid, reach
from .suspects import EPS_DB
from .traces import CorrectedTrace

__all__ = ["TracePoints", "bounded_points", "supersede"]

_M, _U, _L, _N = CODE_MEASURED, CODE_UPPER, CODE_LOWER, CODE_NONE


@dataclass(frozen=True, eq=False)
class TracePoints:
    """One trace's points inside a line's range, judged against the line.

    Attributes
    ----------
    trace : CorrectedTrace
    mask : ndarray of bool
        Which of the trace's points these are.
    freq_hz : ndarray of float
        Their frequencies. [Hz]
    margin_db : ndarray of float
        ``limit - level``. [dB]
    limit : ndarray of float
        The line's level at the measurement distance. [the limit's unit]
    bound : ndarray of int8
        Each point's :class:`~rfcheck.verdict.bounds.BoundCode` after the demotions.
    superseded : ndarray of bool
        Settled by another trace's reading nearby (or a dropped bound): no longer counts.
    cell_lo, cell_hi : ndarray of float or None
        Each point's coverage cell (:func:`~rfcheck.verdict.coverage.reach`); None: the
        point itself. [Hz]
    span_lo, span_hi : ndarray of float or None
        What a measurement must cover to settle each reading (:func:`settle_spans`); None:
        the point itself. [Hz]
    """

    trace: CorrectedTrace
    mask: NDArray[np.bool_]
    freq_hz: NDArray[np.float64]
    margin_db: NDArray[np.float64]
    limit: NDArray[np.float64]
    bound: NDArray[np.int8]
    superseded: NDArray[np.bool_]
    cell_lo: NDArray[np.float64] | None = None
    cell_hi: NDArray[np.float64] | None = None
    span_lo: NDArray[np.float64] | None = None
    span_hi: NDArray[np.float64] | None = None

    def cells(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return each point's coverage cell ``(lo, hi)`` [Hz]."""
        if self.cell_lo is None or self.cell_hi is None:
            return self.freq_hz, self.freq_hz
        return self.cell_lo, self.cell_hi

    def spans(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return what a measurement must cover to settle each reading ``(lo, hi)`` [Hz]."""
        if self.span_lo is None or self.span_hi is None:
            return self.freq_hz, self.freq_hz
        return self.span_lo, self.span_hi


def bounded_points(
    table: LimitTable,
    line: str,
    spec: LineSpec,
    traces: list[CorrectedTrace],
    in_range: dict[int, NDArray[np.bool_]],
    distance_m: float | None,
    warnings: list[str],
) -> list[TracePoints]:
    """Each related trace's in-range points with their (demoted) bounds, not yet superseded."""
    out = []
    for t in traces:
        rel = relation(t.detector, spec.detector)
        if rel is None:
            if t.detector is Detector.UNKNOWN:
                warnings.append(
                    f"{trace_label(t.name or '1')}: unknown detector, ignored for {table.id} {line}"
                )
            continue
        m = in_range[id(t)]
        whole = bool(m.all())  # every point in range: the trace's own arrays (no copies)
        f = t.freq_hz if whole else t.freq_hz[m]
        bounds = bound_array(f.shape[0], rel)
        line_hz = table.line_range(line)
        where = f"{table.id} {line}"
        warnings.extend(demote(t, f, bounds, where, line_hz, table.rbw_floor_above_hz))
        limit = table.level_at(line, f, distance_m)
        margin = limit - (t.level if whole else t.level[m])
        cell_lo, cell_hi, swept = _cells(t, f, *line_hz)
        span = settle_spans(f, cell_lo, cell_hi, *line_hz) if swept else (None, None)
        if span[0] is not None and span[1] is not None:
            ends = (
                table.level_at(line, span[0], distance_m),
                table.level_at(line, span[1], distance_m),
            )
            note = _bucket_limits(ends, f, bounds, limit, margin, span)
            if note:
                warnings.append(f"{trace_label(t.name or '1')}: {where}: {note}")
        out.append(
            TracePoints(
                t, m, f, margin, limit, bounds, np.zeros(f.shape, bool), cell_lo, cell_hi, *span
            )
        )
    return out


def _bucket_limits(
    ends: tuple[NDArray[np.float64], NDArray[np.float64]],
    f: NDArray[np.float64],
    bounds: NDArray[np.int8],
    limit: NDArray[np.float64],
    margin: NDArray[np.float64],
    span: tuple[NDArray[np.float64], NDArray[np.float64]],
) -> str:
    """Judge a swept upper bound whose bucket spans a fall of the limit against its lowest value.

    The bucket's maximum may come from an emission on the stricter side of a step (a CW at
    229.6 MHz read at a 230.06 MHz grid point: 40 dBµV/m below 230 MHz in CISPR 32 Class B,
    47 above) or further down a slope (47 CFR 15.107(a) falls with log f in 0.15-0.5 MHz).
    ``ends`` is the limit at each bucket's ends ``span`` (lo, hi) [Hz]. Where an upper bound
    is over the lower one, ``limit`` and ``margin`` are lowered in place to it: one that
    passes its own frequency's limit is then undecided, not a PASS, and one over both keeps
    the bucket's worst margin, so a higher reading never shows a better margin (a reading
    over its own limit once kept that limit's margin: 67 dBµV at 150 kHz read -1.00 dB where
    66 dBµV read -7.20); elsewhere every margin stays the one at its own frequency, as a
    margin is read by hand. A measurement keeps its own frequency's limit. Returns the note
    when a passing reading was turned undecided, else "".
    [the limit's unit]
    """
    edges = np.minimum(*ends)
    lower = (bounds == _U) & (edges < limit - 1e-9)
    if not lower.any():
        return ""
    over = np.flatnonzero(lower & (margin - (limit - edges) < -EPS_DB))
    if not over.size:
        return ""
    turned = over[margin[over] >= -EPS_DB]  # passing at its own frequency: now undecided
    margin[over] -= limit[over] - edges[over]
    limit[over] = edges[over]
    if not turned.size:
        return ""
    k = int(turned[np.argmin(margin[turned])])
    lo_hz, hi_hz = float(span[0][k]), float(span[1][k])
    at_hz = lo_hz if ends[0][k] <= ends[1][k] else hi_hz
    return (
        f"the swept peak reading at {format_mhz(float(f[k]))} stands for its bucket "
        f"{format_mhz_range(lo_hz, hi_hz)}, over which the limit falls to "
        f"{limit[k]:.2f} at {format_mhz(at_hz)} (a step or slope of the limit), and is over "
        "that, so it is judged "
        "against it: its emission may lie there; the row's limit and margin are that "
        "value's, not its own frequency's (docs/verdict.md, 'At that frequency')"
    )


def _cells(
    t: CorrectedTrace, f: NDArray[np.float64], lo: float, hi: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], bool]:
    """Return the in-range points' coverage cells on the trace's whole axis, and "swept".

    The cells are cut on the whole axis (:func:`~rfcheck.verdict.coverage.reach`), so a
    line's edge inside a sweep cuts no bucket short. Swept: a peak trace on a sweep's grid
    that states no dwell per frequency, and whose file shows a sweep (not
    ``sweep_unstated``), whose readings are each its bucket's maximum. [Hz]
    """
    axis = t.axis_hz if t.axis_hz is not None else t.freq_hz
    idx = np.searchsorted(axis, f)
    if f.shape[0] and (idx.max() >= axis.shape[0] or not np.array_equal(axis[idx], f)):
        axis, idx = f, np.arange(f.shape[0])  # not on its axis: its own points
    cell_lo, cell_hi = reach(t, axis, lo, hi)
    swept = (
        t.detector is Detector.PEAK
        and t.dwell_s is None
        and not t.sweep_unstated
        and is_sweep_grid(axis)
    )
    return cell_lo[idx], cell_hi[idx], swept


def settle_spans(
    f: NDArray[np.float64],
    bucket_lo: NDArray[np.float64],
    bucket_hi: NDArray[np.float64],
    lo: float,
    hi: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return what measurements must cover to settle swept peak readings (docs/verdict.md).

    A swept reading is its bucket's maximum, so the emission may lie anywhere in the bucket:
    measurements settle it when their passbands (-6 dB edges, RBW / 2 either side) cover the
    whole bucket within the line's range ``[lo, hi]``. A bucket no wider than B/2 either side
    of its grid point is settled by one measurement there; a 970 kHz bucket (1001 points over
    30-1000 MHz) against 120 kHz finals only by finals across it, or by a finer scan. [Hz]
    """
    return np.minimum(f, np.clip(bucket_lo, lo, hi)), np.maximum(f, np.clip(bucket_hi, lo, hi))


def supersede(rows: list[TracePoints], lo: float, hi: float) -> list[TracePoints]:
    """Mark the bounds another trace's reading settles (docs/verdict.md, "At that frequency").

    A measurement settles an upper bound, and a lower bound at or below the limit, whose
    span its passband covers: RBW / 2 either side of it (the CISPR bandwidth when the trace
    states none: its receiver's passband). A reading's span is its frequency, or for a swept
    analyser's peak reading its bucket within the line's range ``[lo, hi]`` [Hz]
    (:func:`settle_spans`), the maximum over which it is: a final at a 1001-point prescan's
    grid point sees 120 kHz of a 970 kHz bucket, and the emission may lie anywhere in it.
    Finals (or QP readings of a scan) covering the span together settle it. Another trace of
    another detector settles an upper bound above the limit when its upper bounds cover the
    span and all of them within reach are tighter (a QP reading under an AV limit settles a
    peak reading over it; a QP reading 1 dB over it replaces a peak reading 3 dB over it).
    All of them, not the nearest: a passing skirt or floor point beside an emission that
    trace also reads over the line proves nothing, and two traces both over the line never
    settle each other. A finer trace of the same detector whose cells cover a swept bucket
    and which reads the bucket's level there (a zoomed peak scan around a coarse prescan's
    peak) locates the emission: its own readings stand for it and the bucket's reading is
    superseded. Otherwise two traces of one detector disagreeing at a frequency (an
    analyser's max-hold and clear-write, or holds from different runs) were not the same
    measurement: the higher stands. Dropped bounds never count.

    Only readings of the same series settle each other (:attr:`Trace.channel`: a channel or
    capture segment of a recording; "" for every instrument trace): another channel is
    another line or port, another segment another time, and its measurement says nothing of
    this one's bound (a 62 dBuV burst in a recording's second segment, a lower bound there,
    was settled by the first segment's 40 dBuV and read PASS).
    """
    bands = [_passbands(r.freq_hz[r.bound == _M], r.trace.rbw_hz, lo, hi) for r in rows]
    measured_in: dict[str, _Merged] = {}
    for ch in {r.trace.channel for r in rows}:
        own = [b for o, b in zip(rows, bands, strict=True) if o.trace.channel == ch]
        measured_in[ch] = _merged(tuple(b[0] for b in own), tuple(b[1] for b in own))
    out = []
    for r in rows:
        peers = [o for o in rows if o.trace.channel == r.trace.channel]
        f, margin, bounds = r.freq_hz, r.margin_db, r.bound
        span_lo, span_hi = r.spans()
        covered = _within(span_lo, span_hi, measured_in[r.trace.channel])
        tighter = np.zeros(f.shape, dtype=bool)
        for o in _same_sweep(r, peers):  # its readings stand for the same buckets
            # judged against no looser a limit than r's (a bucket over a limit step's
            # stricter side is judged against that side: _bucket_limits)
            covered |= (o.bound == _M) & (o.limit <= r.limit + 1e-9)
            if o.trace.detector != r.trace.detector:
                as_r = o.margin_db - (o.limit - r.limit)  # o's reading against r's limit
                tighter |= (o.bound == _U) & (as_r > margin + EPS_DB)
        open_ = (bounds == _U) & (margin < -EPS_DB) & ~covered & ~tighter  # over the line
        at = np.flatnonzero(open_)  # only they can be superseded by a tighter bound
        for o in peers if at.size else ():
            up = o.bound == _U
            if o is r or not up.any():
                continue
            if o.trace.detector != r.trace.detector:
                tighter[at] |= _tighter(o, up, span_lo[at], span_hi[at], margin[at], f[at], lo, hi)
            else:
                tighter[at] |= _located(o, up, span_lo[at], span_hi[at], margin[at])
        superseded = np.where(
            bounds == _U,
            covered | tighter,
            (bounds == _L) & covered & (margin >= -EPS_DB),
        )
        superseded |= bounds == _N
        out.append(replace(r, superseded=superseded))
    return out


def _same_sweep(r: TracePoints, rows: list[TracePoints]) -> list[TracePoints]:
    """Return the other traces of a swept trace's own sweep: the same grid, point for point.

    An analyser's quasi-peak or average trace of the sweep its peak trace came from reads
    each bucket as the peak trace does (its detector over the same stretch of the sweep),
    so its reading at a point settles (or, tighter, bounds) the peak reading's bucket there.
    A trace that states a dwell per frequency was stepped (a receiver tuned to each point:
    nothing between them), so it reads its points only, whatever its grid; a list of finals
    is never a sweep's grid. Empty for a trace that is not swept.
    """
    if r.span_lo is None:
        return []
    return [
        o
        for o in rows
        if o is not r
        and o.trace.dwell_s is None
        and o.freq_hz.shape == r.freq_hz.shape
        and np.array_equal(o.freq_hz, r.freq_hz)
    ]


#: How much of its half-width a passband is widened by for frequencies written rounded
#: (45 Hz of a 9 kHz receiver's, 600 Hz of a 120 kHz one's: 6.12 dB at its edge, not 6).
_ROUNDING = 1e-2

#: An empty union of intervals: no starts, no ends.
_NOTHING = (np.zeros(0), np.zeros(0))

_Merged = tuple[NDArray[np.float64], NDArray[np.float64]]


def _passbands(
    f: NDArray[np.float64], rbw_hz: float | None, lo: float, hi: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the passband ``f`` ± RBW / 2 of each reading of a line over ``[lo, hi]`` [Hz].

    Widened by :data:`_ROUNDING` of itself: a final written with fewer digits than the
    prescan's grid (0.998915 MHz against 998914.983 Hz) still covers the bucket it measured.
    """
    half = _half_passband(rbw_hz, f, lo, hi) * (1.0 + _ROUNDING)
    return f - half, f + half


def _merged(
    lo: tuple[NDArray[np.float64], ...] | NDArray[np.float64],
    hi: tuple[NDArray[np.float64], ...] | NDArray[np.float64],
) -> _Merged:
    """Return the union of the intervals ``[lo, hi]`` as sorted ``(starts, ends)`` [Hz].

    ``lo`` and ``hi`` are arrays, or tuples of arrays taken end to end. Intervals that meet
    to within float noise touch (finals one RBW apart cover continuously).
    """
    a = np.concatenate(lo) if isinstance(lo, tuple) else lo
    b = np.concatenate(hi) if isinstance(hi, tuple) else hi
    if a.shape[0] == 0:
        return _NOTHING
    order = np.argsort(a, kind="stable")
    a, b = a[order], np.maximum.accumulate(b[order])
    # a gap before it (wider than float noise, 1e-9 relative): a new interval
    new = np.concatenate([[True], a[1:] > b[:-1] + 1e-9 * np.abs(a[1:])])
    ends = np.concatenate([np.flatnonzero(new)[1:] - 1, [a.shape[0] - 1]])
    return a[new], b[ends]


def _within(lo: NDArray[np.float64], hi: NDArray[np.float64], iv: _Merged) -> NDArray[np.bool_]:
    """Return True where ``[lo, hi]`` lies inside one interval of the union ``iv`` [Hz]."""
    starts, ends = iv
    if starts.shape[0] == 0:
        return np.zeros(lo.shape, dtype=bool)
    i = np.searchsorted(starts, lo * (1.0 + 1e-12), side="right") - 1
    ok: NDArray[np.bool_] = (i >= 0) & (ends[np.maximum(i, 0)] >= hi * (1.0 - 1e-12))
    return ok


def _tighter(
    o: TracePoints,
    up: NDArray[np.bool_],
    span_lo: NDArray[np.float64],
    span_hi: NDArray[np.float64],
    margin: NDArray[np.float64],
    f: NDArray[np.float64],
    lo: float,
    hi: float,
) -> NDArray[np.bool_]:
    """Where ``o``'s upper bounds (another detector) cover each span and all are tighter.

    ``[lo, hi]``: the line's range [Hz].
    """
    fu, mu = o.freq_hz[up], o.margin_db[up]
    reach_hz = _half_passband(o.trace.rbw_hz, f, lo, hi) + (span_hi - span_lo) / 2.0
    worst = window_min((span_lo + span_hi) / 2.0, fu, mu, reach_hz)  # +inf: none within reach
    inside = _within(span_lo, span_hi, _merged(*_passbands(fu, o.trace.rbw_hz, lo, hi)))
    return inside & np.isfinite(worst) & (worst > margin + EPS_DB)


#: How much narrower a trace's cells must be than a swept bucket to locate its emission.
FINER = 0.75


def _located(
    o: TracePoints,
    up: NDArray[np.bool_],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    margin: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Where a finer trace ``o`` of the same detector covers each bucket and reads its level.

    Its upper-bound cells cover ``[lo, hi]``, each cell meeting the bucket is narrower than
    :data:`FINER` times it, and the highest of them reads at least the bucket's level: the
    emission the bucket's reading saw is where ``o`` reads it, and ``o``'s readings are
    judged in its place. A finer trace reading lower there (another run, an intermittent
    emission) locates nothing: the higher reading stands.
    """
    c_lo, c_hi = o.cells()
    c_lo, c_hi, mu = c_lo[up], c_hi[up], o.margin_db[up]
    first = np.searchsorted(c_hi, lo, side="right")  # the first cell ending past lo
    stop = np.searchsorted(c_lo, hi, side="left")  # cells starting before hi
    worst = np.full(lo.shape, np.inf)
    widest = np.zeros(lo.shape)
    for k in range(int((stop - first).max(initial=0))):
        j = first + k
        inside = j < stop
        worst[inside] = np.minimum(worst[inside], mu[j[inside]])
        widest[inside] = np.maximum(widest[inside], (c_hi - c_lo)[j[inside]])
    covers = _within(lo, hi, _merged(c_lo, c_hi))
    finer = (widest > 0.0) & (widest < FINER * (hi - lo))
    return covers & finer & (worst <= margin + EPS_DB)


def _half_passband(
    rbw_hz: float | None, f: NDArray[np.float64], lo: float, hi: float
) -> NDArray[np.float64]:
    """Return half a reading's passband at ``f``: RBW / 2, or the CISPR bandwidth's half [Hz].

    How far from its frequency a reading sees an emission: a receiver's -6 dB edges are
    RBW / 2 away (docs/verdict.md, "At that frequency"). A trace that states no RBW is taken
    at the CISPR 16-1-1 bandwidth the line over ``[lo, hi]`` asks for there (its own band at
    a band edge it ends on: a final at 1000 MHz of the 30-1000 MHz line is a 120 kHz one),
    as its coverage is.
    """
    if rbw_hz:
        return np.full(f.shape, rbw_hz / 2.0)
    return line_bandwidth_hz(f, lo, hi) / 2.0


def window_min(
    f: NDArray[np.float64],
    ref_hz: NDArray[np.float64],
    values: NDArray[np.float64],
    reach_hz: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return, per ``f``, the least of ``values`` at the sorted ``ref_hz`` within ``reach_hz``.

    ``+inf`` where no point of ``ref_hz`` lies within reach. [``values``' unit]
    """
    lo = np.searchsorted(ref_hz, f - reach_hz, side="left")
    hi = np.searchsorted(ref_hz, f + reach_hz, side="right")
    out = np.full(f.shape, np.inf)
    width = int((hi - lo).max(initial=0))
    for k in range(width):  # windows hold a few points: one pass per offset
        j = lo + k
        inside = j < hi
        out[inside] = np.minimum(out[inside], values[j[inside]])
    return out
