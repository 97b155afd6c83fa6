"""A limit line's points: each trace's readings inside the line's range, and what settles them.

:func:`bounded_points` takes every trace whose detector bounds the line's quantity
(:func:`~rfcheck.verdict.bounds.relation`), keeps its points inside the judged range and
gives each its margin, limit and bound (weakened by the bandwidth, settling and trace-mode
rules, :func:`~rfcheck.verdict.bounds.demote`); :func:`supersede` marks the bounds another
trace's reading settles (``docs/verdict.md``, "At that frequency"). :mod:`.line` judges the
line from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector, trace_label
from ..cispr import rbw_at
from ..limits import LimitTable, LineSpec
from .bounds import CODE_LOWER, CODE_MEASURED, CODE_NONE, CODE_UPPER, bound_array, demote, relation
from .coverage import near
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
    """

    trace: CorrectedTrace
    mask: NDArray[np.bool_]
    freq_hz: NDArray[np.float64]
    margin_db: NDArray[np.float64]
    limit: NDArray[np.float64]
    bound: NDArray[np.int8]
    superseded: NDArray[np.bool_]


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
        out.append(TracePoints(t, m, f, margin, limit, bounds, np.zeros(f.shape, bool)))
    return out


def supersede(rows: list[TracePoints]) -> list[TracePoints]:
    """Mark the bounds another trace's reading settles (docs/verdict.md, "At that frequency").

    A measurement within its RBW / 2 (the CISPR bandwidth when the trace states none: its
    receiver's passband) settles an upper bound, and a lower bound at or below the limit; a
    coarse grid's step does not widen it (a final between two points of a 100 kHz step
    prescan does not see an emission 50 kHz away). Another trace of another detector settles
    an upper bound above the limit when its own upper bounds within its RBW / 2 are all tighter
    (a QP reading under an AV limit settles a peak reading over it; a QP reading 1 dB over
    it replaces a peak reading 3 dB over it). All of them, not the nearest: a passing skirt
    or floor point beside an emission that trace also reads over the line proves nothing,
    and two traces both over the line never settle each other. Two traces of one detector
    disagreeing at a frequency (two peak traces of an analyser's export: max-hold and
    clear-write, or two holds from different runs) were not the same measurement: the
    higher stands. Dropped bounds never count.
    """
    measured = [(r.freq_hz[r.bound == _M], r.trace.rbw_hz) for r in rows if (r.bound == _M).any()]
    uppers = [
        (id(r.trace), r.trace.detector, r.freq_hz[up], r.margin_db[up], r.trace.rbw_hz)
        for r in rows
        if (up := r.bound == _U).any()
    ]
    out = []
    for r in rows:
        f, margin, bounds = r.freq_hz, r.margin_db, r.bound
        covered = np.zeros(f.shape, dtype=bool)
        for fm, rbw_m in measured:
            covered |= near(f, fm, _half_passband(rbw_m, f))
        open_ = (bounds == _U) & (margin < -EPS_DB)  # upper bounds over the line
        tighter = np.zeros(f.shape, dtype=bool)
        at = np.flatnonzero(open_)  # only they can be superseded by a tighter bound
        for owner, detector, fu, mu, rbw_u in uppers if at.size else ():
            if owner != id(r.trace) and detector != r.trace.detector:
                reach = _half_passband(rbw_u, f[at])
                worst = window_min(f[at], fu, mu, reach)  # +inf: no reading within reach
                tighter[at] |= np.isfinite(worst) & (worst > margin[at] + EPS_DB)
        superseded = np.where(
            bounds == _U,
            covered | tighter,
            (bounds == _L) & covered & (margin >= -EPS_DB),
        )
        superseded |= bounds == _N
        out.append(TracePoints(r.trace, r.mask, f, margin, r.limit, bounds, superseded))
    return out


def _half_passband(rbw_hz: float | None, f: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return half a reading's passband at ``f``: RBW / 2, or the CISPR bandwidth's half [Hz].

    How far from its frequency a reading sees an emission: a receiver's -6 dB edges are
    RBW / 2 away (docs/verdict.md, "At that frequency"). A trace that states no RBW is taken
    at the CISPR 16-1-1 bandwidth of the frequency, as its coverage is.
    """
    if rbw_hz:
        return np.full(f.shape, rbw_hz / 2.0)
    half: NDArray[np.float64] = rbw_at(f) / 2.0
    return half


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
