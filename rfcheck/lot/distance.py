"""One distance for the radiated levels a lot or a comparison puts side by side (47 CFR 15.31(f)).

Each unit's own verdict re-expresses a radiated limit at the unit's measurement distance
(:meth:`rfcheck.limits.LimitTable.level_at`, :func:`rfcheck.limits.distance_offset_db`), so
its levels are as read at that distance. Levels read at 3 m and at 10 m are not one quantity:
the 80/80 statistics, the fingerprint's level comparison and ``compare``'s deltas take every
level at one distance, the *reference*:

- the distance every member was measured at, when they share one (nothing converted);
- else the limit's specified distance: each member's levels are moved by the conversion its
  own verdict applied to the limit, sign reversed (``+10.46 dB`` for a 10 m reading against a
  3 m limit, 47 CFR 15.31(f)(1)), so each level keeps the margin its own verdict judged. Every
  such conversion is one its own verdict made, so none is refused here that the verdict
  allowed (a farther distance below 30 MHz, or a ``distance_rule = none`` table at another
  distance, is already the unit's error).

A port measured at several distances (10 m below 1 GHz, 3 m above:
:mod:`rfcheck.lot.distance_groups`) is a member at each of them: every reading carries the
distance it was read at (:attr:`rfcheck.lot.readings.Reading.distance_m`) and is moved from
there, so a 10 m level and a 3 m level are never averaged unconverted.

Conducted limits and tables without a distance have no reference (levels as read).
See ``docs/lot.md``, "Units measured at different distances".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..frequency import format_mhz_range
from ..limits import F_DISTANCE_SPLIT_HZ, LimitTable, distance_offset_db
from .emissions import Emission, EmissionList
from .matching import Matched, Pair
from .readings import Reading

__all__ = [
    "LevelDistance",
    "MemberDistance",
    "moved_db",
    "at_one_distance",
    "side_distances",
    "level_distance",
    "level_offset_db",
    "offset_to_db",
    "MEASURED",
    "SIDES",
    "SPECIFIED",
]

#: Basis of a reference distance: the distance every member was measured at.
MEASURED = "measured"
#: Basis of a reference distance: the limit's specified distance (members measured apart).
SPECIFIED = "specified"


def level_offset_db(
    table: LimitTable, freq_hz: ArrayLike, from_m: float, to_m: float
) -> NDArray[np.float64]:
    """Change of a level read at ``from_m`` when re-expressed at ``to_m`` [dB].

    The change of ``table``'s limit between the two distances (the 47 CFR 15.31(f)
    conversion its verdicts apply, :func:`rfcheck.limits.distance_offset_db`), so a level
    keeps its margin: 10 m -> 3 m above 30 MHz is +10.46 dB. NaN where the rule gives no
    conversion (below 30 MHz farther than specified) or the table is not re-expressed
    (``distance_rule = none``).

    Parameters
    ----------
    table : LimitTable
        A radiated table with a specified distance.
    freq_hz : array_like
        Frequencies. [Hz]
    from_m, to_m : float
        Distance the level was read at / is re-expressed at. [m]

    References
    ----------
    47 CFR 15.31(f)(1) and (f)(2).
    """
    f = np.atleast_1d(np.asarray(freq_hz, dtype=float))
    if math.isclose(from_m, to_m):
        return np.zeros(f.shape)
    spec = table.distance_m
    if spec is None or table.distance_rule == "none":
        return np.full(f.shape, np.nan)
    return distance_offset_db(f, spec, to_m) - distance_offset_db(f, spec, from_m)


def moved_db(
    table: LimitTable | None, freq_hz: float, from_m: float | None, to_m: float | None
) -> float:
    """Return what to add to a level read at ``from_m`` to read it at ``to_m`` [dB].

    At ``freq_hz`` [Hz] against ``table`` (:func:`level_offset_db`); 0 when either has no
    distance (a conducted table) or there is no table; NaN where the rule gives none.
    """
    if table is None or from_m is None or to_m is None:
        return 0.0
    return float(level_offset_db(table, [freq_hz], from_m, to_m)[0])


def offset_to_db(src: EmissionList, dst: EmissionList, limit_id: str, freq_hz: float) -> float:
    """Return what to add to a level of ``src`` to read it at ``dst``'s distance [dB].

    For limit ``limit_id`` at ``freq_hz`` [Hz], each at the distance it measured that
    frequency at (a list of several distances: the one whose scan covers it); 0 when the
    limit has no distance (conducted) or the two were measured at one distance.
    """
    return moved_db(
        src.table(limit_id),
        freq_hz,
        src.judged_distance_m(limit_id, freq_hz),
        dst.judged_distance_m(limit_id, freq_hz),
    )


def _clause(freq_hz: float) -> str:
    return "47 CFR 15.31(f)(1)" if freq_hz >= F_DISTANCE_SPLIT_HZ else "47 CFR 15.31(f)(2)"


@dataclass(frozen=True)
class MemberDistance:
    """A distance a member (unit, or side ``A``/``B``) of a port was measured at.

    ``span_hz``: the frequencies measured there [Hz], for a member measured at several
    distances (10 m up to 1 GHz, 3 m above); None for one measured at one distance.
    """

    member: str
    distance_m: float
    span_hz: tuple[float, float] | None = None

    @property
    def where(self) -> str:
        """`` (1000-6000 MHz)`` for a member measured at several distances ("" otherwise)."""
        return "" if self.span_hz is None else f" ({format_mhz_range(*self.span_hz)})"


@dataclass(frozen=True)
class LevelDistance:
    """The distance the levels of one port against one radiated limit table are taken at.

    Attributes
    ----------
    port, limit_id : str
    distance_m : float
        The reference: every member's levels and the limit at this distance. [m]
    basis : str
        :data:`MEASURED` (every member was measured there) or :data:`SPECIFIED` (the
        limit's specified distance: the members were measured at different distances).
    measured : tuple of MemberDistance
        Each member (unit, or side ``A``/``B``) and the distance it was measured at; a
        member measured at several distances once per distance, with the span measured
        there.
    table : LimitTable
        The limit table (its specified distance and rule convert the levels).
    """

    port: str
    limit_id: str
    distance_m: float
    basis: str
    measured: tuple[MemberDistance, ...]
    table: LimitTable

    def offset_from_db(self, from_m: float | None, freq_hz: ArrayLike) -> NDArray[np.float64]:
        """Return what to add to a level read at ``from_m`` (None: 0) at ``freq_hz`` [Hz] [dB]."""
        if from_m is None:
            return np.zeros(np.atleast_1d(np.asarray(freq_hz, dtype=float)).shape)
        return level_offset_db(self.table, freq_hz, from_m, self.distance_m)

    def reading_offset_db(self, r: Reading, freq_hz: float) -> float:
        """Return what to add to reading ``r`` at ``freq_hz`` [Hz]: from its own distance [dB]."""
        return float(self.offset_from_db(r.distance_m, [freq_hz])[0])

    @property
    def shifted(self) -> tuple[MemberDistance, ...]:
        """The members measured at another distance than the reference, with theirs."""
        return tuple(m for m in self.measured if not math.isclose(m.distance_m, self.distance_m))

    def shift_text(self, m: MemberDistance, name: str | None = None) -> str:
        """Return ``u01 measured at 10 m, +10.46 dB by 47 CFR 15.31(f)(1)``.

        With the 15.31(f)(2) figure too when the frequencies converted (the table's, or the
        span measured there) reach below 30 MHz; the span after the distance for a member
        measured at several (``u01 measured at 3 m (1000-6000 MHz), -10.46 dB ...``).
        """
        lo, hi = self.table.range_hz
        if m.span_hz is not None:
            lo, hi = max(lo, m.span_hz[0]), min(hi, m.span_hz[1])
        at = [max(lo, F_DISTANCE_SPLIT_HZ)] if hi >= F_DISTANCE_SPLIT_HZ else []
        at += [lo] if lo < F_DISTANCE_SPLIT_HZ else []
        parts = []
        for f in at:
            off = float(level_offset_db(self.table, [f], m.distance_m, self.distance_m)[0])
            below = "" if f >= F_DISTANCE_SPLIT_HZ else " below 30 MHz"
            parts.append(f"{off:+.2f} dB{below} by {_clause(f)}")
        return f"{name or m.member} measured at {m.distance_m:g} m{m.where}, " + "; ".join(parts)

    def text(self, names: Callable[[str], str] | None = None, members: str = "units") -> str:
        """Return the statement the reports print under the levels.

        ``fcc-15.109-b: levels and limit at 3 m, the distance all units were measured at`` or ``...
        and limit at 3 m, the limit's specified distance (the units were measured at
        different distances); u01 measured at 10 m, +10.46 dB by 47 CFR 15.31(f)(1)``;
        the members measured at one distance (over one span) named together (``u02, u03
        measured at 10 m, ...``); a port measured at several distances (10 m up to 1 GHz,
        3 m above) says so (``(the port was measured at several distances); u01, u02
        measured at 3 m (1000-6000 MHz), -10.46 dB ...``). ``names`` maps a member to its
        display name; ``members`` names them (``units``, ``sides``).
        """
        name = names or (lambda m: m)
        head = f"{self.limit_id}: levels and limit at {self.distance_m:g} m"
        if self.basis == MEASURED:
            every = "both" if members == "sides" else "all"
            return f"{head}, the distance {every} {members} were measured at"
        at: dict[tuple[float, tuple[float, float] | None], list[MemberDistance]] = {}
        for m in self.shifted:  # the members measured at each other distance (and span)
            at.setdefault((m.distance_m, m.span_hz), []).append(m)
        who = (
            "the port was measured at several distances"
            if any(m.span_hz is not None for m in self.measured)
            else f"the {members} were measured at different distances"
        )
        return f"{head}, the limit's specified distance ({who}); " + "; ".join(
            self.shift_text(ms[0], ", ".join(dict.fromkeys(name(m.member) for m in ms)))
            for ms in at.values()
        )

    def to_json(self) -> dict[str, Any]:
        """Return the reference distance as JSON-ready data.

        ``measured[].range_hz``: the span measured at that distance, for a member measured
        at several (null otherwise).
        """
        return {
            "port": self.port,
            "limit_id": self.limit_id,
            "distance_m": self.distance_m,
            "basis": self.basis,
            "specified_distance_m": self.table.distance_m,
            "measured": [
                {
                    "member": m.member,
                    "distance_m": m.distance_m,
                    "offset_db": _offset_json(self, m),
                    "range_hz": None if m.span_hz is None else list(m.span_hz),
                }
                for m in self.measured
            ],
            "text": self.text(),
        }


def _offset_json(dist: LevelDistance, m: MemberDistance) -> float | None:
    """Return the member's offset at and above 30 MHz (15.31(f)(1)), rounded [dB] (None: none)."""
    lo, hi = dist.table.range_hz
    f = max(lo, F_DISTANCE_SPLIT_HZ)
    if f > hi:
        f = lo
    x = float(dist.offset_from_db(m.distance_m, [f])[0])
    return round(x, 2) if math.isfinite(x) else None


def _member_distances(name: str, el: EmissionList, table: LimitTable) -> list[MemberDistance]:
    """Return the distances ``el`` measured ``table``'s frequencies at (several: with spans)."""
    several = len(el.parts) > 1
    return [
        MemberDistance(name, d, part.span_hz if several else None)
        for part in el.parts
        if (d := part.judged_distance_m(table.id)) is not None
    ]


def level_distance(
    port: str, table: LimitTable, members: Mapping[str, EmissionList]
) -> LevelDistance | None:
    """Return the reference distance of ``members``' levels against ``table`` (None: none).

    The distance they were all measured at, else the table's specified distance. None for a
    conducted table or one without a distance. A member measured at several distances is
    measured at each (:mod:`rfcheck.lot.distance_groups`): its levels are taken at the
    reference from each.
    """
    if table.port != "radiated" or table.distance_m is None:
        return None
    known = tuple(m for n, el in members.items() for m in _member_distances(n, el, table))
    if not known:
        return None
    first = known[0].distance_m
    if all(math.isclose(m.distance_m, first) for m in known):
        return LevelDistance(port, table.id, first, MEASURED, known, table)
    return LevelDistance(port, table.id, table.distance_m, SPECIFIED, known, table)


#: The members of a comparison: its two sides.
SIDES = ("A", "B")


def side_distances(a: EmissionList, b: EmissionList) -> list[LevelDistance]:
    """Return the distance ``compare`` takes the two sides' levels at, per radiated limit of B."""
    out = []
    for table in b.tables:
        dist = level_distance("", table, dict(zip(SIDES, (a, b), strict=True)))
        if dist is not None:
            out.append(dist)
    return out


def _reading(r: Reading, freq_hz: float, dist: LevelDistance | None) -> Reading:
    """Return ``r`` with its level and limit at ``dist``'s distance (its margin unchanged).

    Moved from the distance it was read at (:attr:`Reading.distance_m`).
    """
    if dist is None:
        return r
    off = dist.reading_offset_db(r, freq_hz)
    if off == 0.0 or not math.isfinite(off):
        return r
    return replace(r, level=r.level + off, limit=r.limit + off, distance_m=dist.distance_m)


def _emission(e: Emission, dist_of: Mapping[str, LevelDistance]) -> Emission:
    return replace(
        e,
        readings=tuple(_reading(r, e.frequency_hz, dist_of.get(r.limit_id)) for r in e.readings),
    )


def at_one_distance(matched: Matched, distances: Sequence[LevelDistance]) -> Matched:
    """Return the pairs and unpaired emissions with every level at one distance per limit.

    Side A's and B's readings re-expressed at :func:`side_distances`' distance (47 CFR
    15.31(f)), so ``delta_db`` compares one quantity; margins are unchanged.
    """
    dist_of = {d.limit_id: d for d in distances}
    if not any(d.shifted for d in distances):
        return matched
    pairs = tuple(
        Pair(
            p.frequency_hz_a,
            p.frequency_hz_b,
            p.limit_id,
            p.line,
            p.detector,
            _reading(p.a, p.frequency_hz_a, dist_of.get(p.limit_id)),
            _reading(p.b, p.frequency_hz_b, dist_of.get(p.limit_id)),
        )
        for p in matched.pairs
    )
    return replace(
        matched,
        pairs=pairs,
        only_in_a=tuple(_emission(e, dist_of) for e in matched.only_in_a),
        only_in_b=tuple(_emission(e, dist_of) for e in matched.only_in_b),
    )
