"""The narrowband emission list of one corrected capture: its emissions and its verdict.

Each emission holds one :class:`~rfcheck.lot.readings.Reading` per limit line covering it;
the list reads its lines at other frequencies too (:meth:`EmissionList.reading_at`, by
:mod:`rfcheck.lot.readings`), and carries the ``check`` verdict it is built on (worst margin,
its bound and distance, the range judged). Finding the emissions (the peaks near a line) is
:mod:`rfcheck.lot.emission_search`'s.

Sign convention: ``margin_db = limit - level`` (positive = below the limit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..frequency import format_mhz_range
from ..limits import LimitTable
from ..outcome import Bound, Verdict
from ..plotted import PlotLimit, PlotTrace
from ..results import CaptureResult, LineCheck, deciding_check, judged_margin_db
from .json_numbers import json_margin, json_number
from .readings import (
    KnownBounds,
    Reading,
    by_coverage,
    group_reading,
    line_reading,
    reading_distance_m,
)

__all__ = [
    "DistancePart",
    "Emission",
    "EmissionList",
]


#: Slack at the ends of a requested range: a reading on its end is judged (rounding). [Hz]
_RANGE_EDGE_HZ = 1.0


def _bound_value(bound: Bound | None) -> str | None:
    return None if bound is None else bound.value


@dataclass(frozen=True)
class Emission:
    """One narrowband emission: its frequency and one reading per limit line covering it."""

    frequency_hz: float
    readings: tuple[Reading, ...]

    def reading(self, key: tuple[str, str]) -> Reading | None:
        """Return the reading for line ``(limit_id, line)``, if any."""
        return next((r for r in self.readings if r.key == key), None)

    @property
    def worst(self) -> Reading | None:
        """The reading with the smallest margin among those that can show a margin.

        Measured values and upper bounds can; a lower bound's margin overstates it.
        """
        usable = [r for r in self.readings if r.bound is not Bound.LOWER] or list(self.readings)
        return min(usable, key=lambda r: r.margin_db) if usable else None

    @property
    def level(self) -> float:
        """The highest corrected level read at this emission [dB(unit)]."""
        return max(r.level for r in self.readings)

    def to_json(self) -> dict[str, Any]:
        """Return the emission as JSON-ready data."""
        return {
            "frequency_hz": json_number(self.frequency_hz, 1),
            "readings": [r.to_json() for r in self.readings],
        }


@dataclass(frozen=True)
class DistancePart:
    """The captures of a port measured at one of several distances.

    Attributes
    ----------
    distance_m : float
        Their measurement distance. [m]
    members : tuple of str
        Their paths.
    span_hz : tuple of float or None
        The lowest and highest frequency they hold (None: no point). [Hz]
    """

    distance_m: float
    members: tuple[str, ...]
    span_hz: tuple[float, float] | None

    def text(self) -> str:
        """``10 m (30-1000 MHz)``."""
        where = "" if self.span_hz is None else f" ({format_mhz_range(*self.span_hz)})"
        return f"{self.distance_m:g} m{where}"


@dataclass(frozen=True, eq=False)
class EmissionList:
    """The emissions of one capture, with what is needed to read it at other frequencies.

    Attributes
    ----------
    path, label : str
    result : CaptureResult
        The ``check`` result the list is built on (verdict, worst margin, traces, limits).
    rbw_hz : float or None
        Widest resolution bandwidth of the capture's traces (None: not stated). [Hz]
    step_hz : float
        Largest median frequency step of the sweeps among the corrected traces (a final-
        measurement list has none: :func:`rfcheck.verdict.coverage.is_sweep_grid`). [Hz]
    emissions : tuple of Emission
        By frequency: the peaks within ``window_db`` of a line.
    peaks : tuple of Emission
        Every peak within the window +
        :data:`~rfcheck.lot.emission_search.PEAK_FLOOR_DB` of a line: where another capture's
        emission is looked for before it is called absent here.
    tables : tuple of LimitTable
        The limit tables the capture was judged against.
    distance_m : float or None
        The measurement distance its settings state (None: each radiated table's specified
        distance; a list joining several distances, :attr:`groups`: none of its own). [m]
    trace_rbw_hz : dict of str to float or None
        Each judged trace's resolution bandwidth, by its label. [Hz]
    members : tuple of str
        The captures judged as this one measurement (several: pooled, their traces named
        ``<member>: <trace>``).
    groups : tuple of EmissionList
        A port measured at several distances (10 m up to 1 GHz, 3 m above): one list per
        distance, each judged at its own (:mod:`rfcheck.lot.distance_groups`, which joins
        them into this one); empty for a port measured at one distance.
    """

    path: str
    label: str
    result: CaptureResult
    rbw_hz: float | None
    step_hz: float
    emissions: tuple[Emission, ...]
    peaks: tuple[Emission, ...] = ()
    tables: tuple[LimitTable, ...] = field(default=(), repr=False)
    distance_m: float | None = None
    trace_rbw_hz: dict[str, float | None] = field(default_factory=dict, repr=False)
    members: tuple[str, ...] = ()
    groups: tuple[EmissionList, ...] = field(default=(), repr=False)

    @property
    def parts(self) -> tuple[EmissionList, ...]:
        """The lists measured at one distance each: :attr:`groups`, else this list alone."""
        return self.groups or (self,)

    def table(self, limit_id: str) -> LimitTable | None:
        """Return the limit table ``limit_id`` the capture was judged against (None: not one)."""
        return next((t for t in self.tables if t.id == limit_id), None)

    def judged_distance_m(self, limit_id: str, freq_hz: float | None = None) -> float | None:
        """Return the distance the levels against ``limit_id`` were judged at [m] (None: none).

        The capture's stated distance, else the table's specified one (as its verdict takes
        it); None for a table without a distance (conducted). A list of several distances
        (:attr:`groups`): that of the one whose scan covers ``freq_hz`` [Hz] (the nearest
        one's beyond them all; the first without ``freq_hz``).
        """
        if self.groups:
            return by_coverage(self.groups, freq_hz)[0].judged_distance_m(limit_id)
        table = self.table(limit_id)
        if table is None:
            return None
        return reading_distance_m(self, table)

    @property
    def judged_range_hz(self) -> tuple[float, float] | None:
        """The range its verdict covers when a requested range narrows it [Hz] (None: whole).

        The setup's ``range_hz`` (``--range``) within the range the lines are required over
        (:attr:`~rfcheck.results.CaptureResult.judged_range_hz`).
        """
        return self.result.judged_range_hz

    @property
    def required_range_hz(self) -> tuple[float, float] | None:
        """The range its limit lines are required over [Hz] (None: no line)."""
        return self.result.required_range_hz

    def judges(self, freq_hz: float) -> bool:
        """Whether its own verdict judges a reading at ``freq_hz`` [Hz].

        False outside a requested range (:attr:`judged_range_hz`): the ``check`` verdict
        does not judge a reading there, so neither do the lot's statistics.
        """
        r = self.judged_range_hz
        return r is None or r[0] - _RANGE_EDGE_HZ <= freq_hz <= r[1] + _RANGE_EDGE_HZ

    @property
    def span_hz(self) -> tuple[float, float] | None:
        """The lowest and highest frequency of the judged traces [Hz] (None: no point)."""
        spans = [(float(t.freq_hz[0]), float(t.freq_hz[-1])) for t in self.traces if len(t.freq_hz)]
        if not spans:
            return None
        return min(a for a, _ in spans), max(b for _, b in spans)

    def distance_of(self, chk: LineCheck) -> float | None:
        """Return the distance line check ``chk``'s worst point was judged at [m].

        For a list of several distances (:attr:`groups`) only: the group whose own check of
        the line has that worst point decides (:mod:`rfcheck.lot.distance_groups`). None for
        a port measured at one distance (nothing to name) or a line without a distance.
        """
        if not self.groups:
            return None
        for part in self.groups:
            own = next(
                (c for c in part.result.checks if (c.limit_id, c.line) == (chk.limit_id, chk.line)),
                None,
            )
            if (
                own is not None
                and own.worst_frequency_hz == chk.worst_frequency_hz
                and own.worst_margin_db == chk.worst_margin_db
            ):
                return part.judged_distance_m(chk.limit_id)
        return None

    @property
    def verdict(self) -> Verdict:
        """The ``check`` verdict of the capture."""
        return self.result.verdict

    def _worst_line(self) -> LineCheck | None:
        """Return the deciding line.

        When it has no margin (an unmeasured line of an INCOMPLETE capture), the measured line
        closest to its limit instead.
        """
        chk = deciding_check(self.result.checks)
        if chk is not None and chk.worst_margin_db is None:
            measured = [c for c in self.result.checks if c.worst_margin_db is not None]
            return deciding_check(measured) or chk
        return chk

    @property
    def worst_margin_db(self) -> float | None:
        """Margin of the line deciding the verdict (``check``'s worst margin) [dB]."""
        chk = self._worst_line()
        return chk.worst_margin_db if chk is not None else None

    @property
    def worst_bound(self) -> Bound | None:
        """What the level behind :attr:`worst_margin_db` is (measured or a bound)."""
        chk = self._worst_line()
        return chk.worst_bound if chk is not None else None

    @property
    def worst_frequency_hz(self) -> float | None:
        """Frequency of the deciding line's worst point [Hz]."""
        chk = self._worst_line()
        return chk.worst_frequency_hz if chk is not None else None

    @property
    def worst_distance_m(self) -> float | None:
        """The distance the deciding line's worst point was judged at [m].

        For a port measured at several distances (:meth:`distance_of`); None otherwise.
        """
        chk = self._worst_line()
        return None if chk is None else self.distance_of(chk)

    @property
    def distance_parts(self) -> tuple[DistancePart, ...]:
        """Each distance of a port measured at several, with its captures and span.

        One per :attr:`groups`, in order of frequency; empty for a port measured at one
        distance.
        """
        out = []
        for part in self.groups:
            d = next(
                (x for t in part.tables if (x := part.judged_distance_m(t.id)) is not None), None
            )
            if d is not None:
                out.append(DistancePart(d, part.members, part.span_hz))
        return tuple(out)

    @property
    def worst_effective_margin_db(self) -> float | None:
        """The decision rule's margin at :attr:`worst_margin_db`'s point (None: ``simple``).

        Under a rule, a point it judges simply (no U_cispr row covers its frequency) has its
        own margin as effective margin (shift 0), so that units sort by it.
        """
        chk = self._worst_line()
        return None if chk is None else self.effective_margin_db(chk)

    def effective_margin_db(self, chk: LineCheck) -> float | None:
        """Return the margin a decision rule judged line ``chk`` of this capture by [dB].

        None under ``simple`` or without a worst point; under a rule, a point it judges
        simply (no U_cispr row covers it) has its own margin (shift 0).
        """
        if chk.worst_margin_db is None:
            return None
        if chk.effective_margin_db is None and not self.judged_under_rule:
            return None
        return judged_margin_db(chk)

    @property
    def judged_under_rule(self) -> bool:
        """Whether the capture was judged under a decision rule other than ``simple``."""
        return str(self.result.settings.get("decision_rule", "simple")) != "simple"

    @property
    def worst_judged_margin_db(self) -> float | None:
        """The margin the deciding line is judged by: the rule's, else its own [dB].

        :func:`~rfcheck.results.judged_margin_db`; None without a measured line.
        """
        chk = self._worst_line()
        return None if chk is None or chk.worst_margin_db is None else judged_margin_db(chk)

    @property
    def worst_limit(self) -> str:
        """The deciding line as ``<limit_id> <line>``; empty when there is none."""
        chk = self._worst_line()
        return f"{chk.limit_id} {chk.line}" if chk is not None else ""

    @property
    def traces(self) -> tuple[PlotTrace, ...]:
        """The corrected traces the check judged."""
        return self.result.plot_traces

    @property
    def limit_lines(self) -> tuple[PlotLimit, ...]:
        """The limit lines the check judged against."""
        return self.result.plot_limits

    @property
    def match_tolerance_hz(self) -> float:
        """Frequency tolerance of this capture: the larger of its RBW and two steps [Hz]."""
        return max(self.rbw_hz or 0.0, 2.0 * self.step_hz)

    def lines(self) -> list[tuple[str, str]]:
        """Return every ``(limit_id, line)`` of the capture's limits, in table order."""
        return [(t.id, spec.name) for t in self.tables for spec in t.lines]

    def reading_at(
        self,
        freq_hz: float,
        key: tuple[str, str],
        tol_hz: float,
        known: KnownBounds | None = None,
    ) -> Reading | None:
        """Return the best reading for line ``key`` within ``tol_hz`` of ``freq_hz``.

        ``None`` when no trace there bounds that line, or the line does not cover the frequency.
        A list of several distances (:attr:`groups`) reads the group whose scan covers the
        frequency, at its own distance (the reading's ``distance_m``), before any other: a
        group whose scan only ends within ``tol_hz`` of it is read only when the covering
        one has no reading; of several groups' readings, a measured value first, then by
        margin, not level (:func:`~rfcheck.lot.readings.rank_across`: the readings are at
        different distances). ``known``: this list's traces' bounds of the line, worked out
        already for many frequencies (:func:`~rfcheck.lot.readings.known_bounds`).
        """
        if self.groups:
            return group_reading(self.groups, freq_hz, key, tol_hz)
        table = self.table(key[0])
        if table is None:
            return None
        return line_reading(self, table, key[1], freq_hz, tol_hz, known)

    def no_reading_why(self, freq_hz: float, tol_hz: float) -> str:
        """Say why no trace gives a reading within ``tol_hz`` of ``freq_hz``.

        ``outside its scan, 0.15-1.5 MHz``, ``in a gap of its scan``, or (a trace has points
        there) ``no trace of it bounds the line there``; for :meth:`reading_at` returning None.
        """
        spans = [(float(t.freq_hz[0]), float(t.freq_hz[-1])) for t in self.traces if len(t.freq_hz)]
        if not spans:
            return "it has no trace"
        lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        if not lo - tol_hz <= freq_hz <= hi + tol_hz:
            return f"outside its scan, {format_mhz_range(lo, hi)}"
        near = any(
            bool(np.any(np.abs(np.asarray(t.freq_hz, dtype=float) - freq_hz) <= tol_hz))
            for t in self.traces
        )
        return "no trace of it bounds the line there" if near else "in a gap of its scan"

    def to_json(self) -> dict[str, Any]:
        """Return the emission list as JSON-ready data.

        Under a decision rule, ``worst_effective_margin_db`` too (absent under ``simple``).
        """
        out = {
            "path": self.path,
            "verdict": self.verdict.value,
            "judged_range_hz": _range_json(self.result.judged_range_hz),
            "worst_margin_db": json_margin(self.worst_margin_db),
            "worst_bound": _bound_value(self.worst_bound),
            "worst_frequency_hz": json_number(self.worst_frequency_hz, 1),
            "worst_limit": self.worst_limit,
            "rbw_hz": json_number(self.rbw_hz, 1),
            "step_hz": json_number(self.step_hz, 1),
        }
        if self.worst_effective_margin_db is not None:
            out["worst_effective_margin_db"] = json_margin(self.worst_effective_margin_db)
        return out


def _range_json(r: tuple[float, float] | None) -> list[float | None] | None:
    """``[lo, hi]`` of the range the verdict covers when a requested range narrows it [Hz]."""
    return None if r is None else [json_number(r[0], 1), json_number(r[1], 1)]
