"""What one capture's traces say about one limit line at one frequency: a :class:`Reading`.

The best trace within a tolerance of the frequency, with its bound by the verdict's rules
(:func:`rfcheck.verdict.bounds.point_bounds`): a measured value before any bound, then the
tightest upper bound or the highest lower bound; the level at the distance the capture was
judged at. A port measured at several distances is read from the group whose scan covers the
frequency (:func:`group_reading`). The emission list (:mod:`rfcheck.lot.emissions`) reads its
lines through these; the detector table they rest on is :func:`measures`.

Sign convention: ``margin_db = limit - level`` (positive = below the limit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector
from ..limits import LimitTable
from ..outcome import Bound
from ..plotted import PlotTrace
from ..verdict.bounds import point_bounds, relation
from .json_numbers import json_margin, json_number

if TYPE_CHECKING:
    from .emissions import EmissionList

__all__ = [
    "Reading",
    "by_coverage",
    "group_reading",
    "line_reading",
    "measures",
    "rank_across",
    "reading_distance_m",
]

#: Preference of a reading for a line: a measured value before any bound.
_RANK = {Bound.MEASURED: 0, Bound.UPPER: 1, Bound.LOWER: 2}


@dataclass(frozen=True)
class Reading:
    """What one capture's best reading near an emission says about one limit line.

    Attributes
    ----------
    limit_id, line : str
        The limit line (``fcc-15.109-b``, ``QP``).
    line_detector : str
        The detector the line is defined for (``quasi-peak``).
    detector : str
        The detector of the trace read (``peak``).
    level : float
        Corrected level. [``unit``]
    unit : str
    bound : Bound
        ``measured`` when ``detector`` is the line's; else the bound it gives.
    limit : float
        Limit at the emission frequency, at the measurement distance. [``unit``]
    margin_db : float
        ``limit - level``. [dB]
    distance_m : float or None
        The distance the level was read at, and ``limit`` is at: its capture's measurement
        distance against a radiated table (the table's specified one when the capture states
        none); None for a table without a distance (conducted). [m]
    frequency_hz : float or None
        Where ``level`` was read: the trace point holding it (a quasi-peak final 280 kHz
        from the prescan's grid point the emission was found at); None when not known. [Hz]
    """

    limit_id: str
    line: str
    line_detector: str
    detector: str
    level: float
    unit: str
    bound: Bound
    limit: float
    margin_db: float
    distance_m: float | None = None
    frequency_hz: float | None = None

    @property
    def key(self) -> tuple[str, str]:
        """``(limit_id, line)``."""
        return (self.limit_id, self.line)

    def to_json(self) -> dict[str, Any]:
        """Return the reading as JSON-ready data."""
        return {
            "limit_id": self.limit_id,
            "line": self.line,
            "line_detector": self.line_detector,
            "detector": self.detector,
            "level": json_number(self.level),
            "unit": self.unit,
            "bound": self.bound.value,
            "limit": json_number(self.limit),
            "margin_db": json_margin(self.margin_db),
        }


def _bounds(
    trace: PlotTrace,
    line_detector: Detector,
    freq_hz: NDArray[np.float64],
    line_hz: tuple[float, float],
    rbw_hz: float | None,
    rbw_floor_above_hz: float | None = None,
) -> list[Bound | None]:
    """Return the verdict's bound of the trace's readings at ``freq_hz`` [Hz].

    :func:`rfcheck.verdict.bounds.point_bounds` with the trace's own detector, settling and
    mode, and its RBW (else ``rbw_hz``, the list's for it).
    """
    return point_bounds(
        trace.detector,
        line_detector,
        freq_hz,
        line_hz,
        rbw_hz=trace.rbw_hz if trace.rbw_hz is not None else rbw_hz,
        settled=trace.settled,
        mode=trace.mode,
        rbw_floor_above_hz=rbw_floor_above_hz,
    )


def reading_distance_m(el: EmissionList, table: LimitTable) -> float | None:
    """Return the distance ``el``'s levels against ``table`` are at [m] (None: no distance).

    The capture's stated distance, else the table's specified one (as its verdict takes it);
    None for a conducted table or one without a distance.
    """
    if table.port != "radiated" or table.distance_m is None:
        return None
    return table.distance_m if el.distance_m is None else el.distance_m


def _covers(el: EmissionList, freq_hz: float) -> bool:
    span = el.span_hz
    return span is not None and span[0] <= freq_hz <= span[1]


def by_coverage(groups: tuple[EmissionList, ...], freq_hz: float | None) -> list[EmissionList]:
    """Return the groups by how they hold ``freq_hz`` [Hz]: covering it first, then the nearest."""
    if freq_hz is None:
        return list(groups)

    def away(g: EmissionList) -> float:
        span = g.span_hz
        if span is None:
            return math.inf
        return max(span[0] - freq_hz, freq_hz - span[1], 0.0)

    return sorted(groups, key=away)


def group_reading(
    groups: tuple[EmissionList, ...], freq_hz: float, key: tuple[str, str], tol_hz: float
) -> Reading | None:
    """Return the reading of the group covering ``freq_hz``, else of another group.

    :meth:`~rfcheck.lot.emissions.EmissionList.reading_at` of a port measured at several
    distances; of several readings, the first by :func:`rank_across`.
    """
    covering = [g for g in groups if _covers(g, freq_hz)]
    for pool in (covering, [g for g in groups if g not in covering]):
        found = [r for g in pool if (r := g.reading_at(freq_hz, key, tol_hz)) is not None]
        if found:
            return min(found, key=rank_across)
    return None


def rank_across(r: Reading) -> tuple[int, float]:
    """Rank readings at different distances: a measured value first, then by margin [dB].

    Margins, since levels at two distances do not compare: of two measurements, the
    smaller margin (the worse, as the dossier's worse pool decides); of upper bounds the
    largest (the tightest); of lower bounds the smallest (the highest).
    """
    margin = -r.margin_db if r.bound is Bound.UPPER else r.margin_db
    return (_RANK[r.bound], margin)


#: Each trace's bound of one line at given frequencies (:func:`known_bounds`), by trace
#: (``id``) and frequency [Hz].
KnownBounds = dict[tuple[int, float], "Bound | None"]


def known_bounds(
    el: EmissionList, table: LimitTable, line: str, freqs_hz: list[float]
) -> KnownBounds:
    """Return every trace's bound of ``line`` at each of ``freqs_hz`` [Hz], one pass a trace.

    What :func:`line_reading` would work out point by point (:func:`_bounds`), for a caller
    reading many frequencies of one list (the lot's peaks): the same rules, run over an array.
    """
    out: KnownBounds = {}
    f = np.asarray(freqs_hz, dtype=float)
    line_det, line_hz = table.line(line).detector, table.line_range(line)
    for tr in el.traces:
        if tr.unit != table.unit.value:
            continue
        rbw = el.trace_rbw_hz.get(tr.label)
        found = _bounds(tr, line_det, f, line_hz, rbw, table.rbw_floor_above_hz)
        out.update(((id(tr), float(x)), b) for x, b in zip(f, found, strict=True))
    return out


def line_reading(
    el: EmissionList,
    table: LimitTable,
    line: str,
    freq_hz: float,
    tol_hz: float,
    known: KnownBounds | None = None,
) -> Reading | None:
    """Return ``el``'s best reading of line ``line`` of ``table`` within ``tol_hz`` of ``freq_hz``.

    Of the traces in the table's unit that bound the line there, the highest level within the
    tolerance of each, the best of them (a measured value first, then the tightest upper or
    highest lower bound); None when the line does not cover ``freq_hz`` or no trace bounds it.
    ``known``: the traces' bounds there, worked out already (:func:`known_bounds`).
    """
    limit = float(table.level_at(line, [freq_hz], el.distance_m)[0])
    if not np.isfinite(limit):
        return None
    line_det = table.line(line).detector
    best: Reading | None = None
    for tr in el.traces:
        if tr.unit != table.unit.value:
            continue
        line_hz = table.line_range(line)
        if known is not None and (id(tr), freq_hz) in known:
            bound = known[(id(tr), freq_hz)]
        else:
            rbw = el.trace_rbw_hz.get(tr.label)
            here = np.array([freq_hz])
            bound = _bounds(tr, line_det, here, line_hz, rbw, table.rbw_floor_above_hz)[0]
        if bound is None:
            continue
        lo = int(np.searchsorted(tr.freq_hz, freq_hz - tol_hz, side="left"))
        hi = int(np.searchsorted(tr.freq_hz, freq_hz + tol_hz, side="right"))
        if hi <= lo:
            continue
        at = lo + int(np.argmax(tr.level[lo:hi]))
        level = float(tr.level[at])
        cand = Reading(
            table.id,
            line,
            line_det.value,
            tr.detector,
            level,
            tr.unit,
            bound,
            limit,
            limit - level,
            reading_distance_m(el, table),
            float(tr.freq_hz[at]),
        )
        if best is None or _better(cand, best):
            best = cand
    return best


def measures(trace_detector: str, line_detector: str) -> bool:
    """Return whether a trace of ``trace_detector`` measures a ``line_detector`` line.

    The detector table of ``docs/verdict.md`` ("Detector ordering",
    :func:`rfcheck.verdict.bounds.relation`) that every reading of the emission list, and so
    the 80/80 statistics (measured values only), rests on: an ``average`` (video) trace
    measures a ``cispr-average`` line, as a ``cispr-average`` one does. An unknown name
    measures nothing.
    """
    try:
        return relation(Detector(trace_detector), Detector(line_detector)) is Bound.MEASURED
    except ValueError:
        return False


def _better(a: Reading, b: Reading) -> bool:
    """Return True when ``a`` ranks before ``b``.

    A measured value first; the tightest upper bound; the highest lower bound.
    """
    if _RANK[a.bound] != _RANK[b.bound]:
        return _RANK[a.bound] < _RANK[b.bound]
    return a.level < b.level if a.bound is Bound.UPPER else a.level > b.level
