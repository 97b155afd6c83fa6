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

from ..limits import F_DISTANCE_SPLIT_HZ, LimitTable, distance_offset_db
from .emissions import Emission, EmissionList, Reading
from .matching import Matched, Pair

__all__ = [
    "LevelDistance",
    "at_one_distance",
    "side_distances",
    "level_distance",
    "level_offset_db",
    "measured_distance_m",
    "offset_to_db",
    "MEASURED",
    "SIDES",
    "SPECIFIED",
]

#: Basis of a reference distance: the distance every member was measured at.
MEASURED = "measured"
#: Basis of a reference distance: the limit's specified distance (members measured apart).
SPECIFIED = "specified"


def measured_distance_m(el: EmissionList, table: LimitTable) -> float | None:
    """Return the distance ``el`` was judged at against ``table`` [m] (None: no distance).

    The capture's stated distance, else the table's specified one (as its verdict takes it);
    None for a conducted table or one without a distance.
    """
    if table.port != "radiated" or table.distance_m is None:
        return None
    return table.distance_m if el.distance_m is None else el.distance_m


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


def _table(el: EmissionList, limit_id: str) -> LimitTable | None:
    return next((t for t in el.tables if t.id == limit_id), None)


def offset_to_db(src: EmissionList, dst: EmissionList, limit_id: str, freq_hz: float) -> float:
    """Return what to add to a level of ``src`` to read it at ``dst``'s distance [dB].

    For limit ``limit_id`` at ``freq_hz`` [Hz]; 0 when the limit has no distance (conducted)
    or the two were measured at one distance.
    """
    table = _table(src, limit_id)
    if table is None:
        return 0.0
    d_src = measured_distance_m(src, table)
    d_dst = measured_distance_m(dst, table)
    if d_src is None or d_dst is None:
        return 0.0
    return float(level_offset_db(table, [freq_hz], d_src, d_dst)[0])


def _clause(freq_hz: float) -> str:
    return "47 CFR 15.31(f)(1)" if freq_hz >= F_DISTANCE_SPLIT_HZ else "47 CFR 15.31(f)(2)"


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
    measured : tuple of (str, float)
        Each member (unit, or side ``A``/``B``) and the distance it was measured at. [m]
    table : LimitTable
        The limit table (its specified distance and rule convert the levels).
    """

    port: str
    limit_id: str
    distance_m: float
    basis: str
    measured: tuple[tuple[str, float], ...]
    table: LimitTable

    def offset_db(self, member: str, freq_hz: ArrayLike) -> NDArray[np.float64]:
        """Return what to add to ``member``'s levels at ``freq_hz`` [Hz] (0: none) [dB]."""
        d = dict(self.measured).get(member)
        if d is None:
            return np.zeros(np.atleast_1d(np.asarray(freq_hz, dtype=float)).shape)
        return level_offset_db(self.table, freq_hz, d, self.distance_m)

    @property
    def shifted(self) -> tuple[tuple[str, float], ...]:
        """The members measured at another distance than the reference, with theirs [m]."""
        return tuple((n, d) for n, d in self.measured if not math.isclose(d, self.distance_m))

    def shift_text(self, member: str, distance_m: float, name: str | None = None) -> str:
        """Return ``u01 measured at 10 m, +10.46 dB by 47 CFR 15.31(f)(1)``.

        With the 15.31(f)(2) figure too when the table has lines below 30 MHz.
        """
        lo, hi = self.table.range_hz
        at = [max(lo, F_DISTANCE_SPLIT_HZ)] if hi >= F_DISTANCE_SPLIT_HZ else []
        at += [lo] if lo < F_DISTANCE_SPLIT_HZ else []
        parts = []
        for f in at:
            off = float(level_offset_db(self.table, [f], distance_m, self.distance_m)[0])
            below = "" if f >= F_DISTANCE_SPLIT_HZ else " below 30 MHz"
            parts.append(f"{off:+.2f} dB{below} by {_clause(f)}")
        return f"{name or member} measured at {distance_m:g} m, " + "; ".join(parts)

    def text(self, names: Callable[[str], str] | None = None, members: str = "units") -> str:
        """Return the statement the reports print under the levels.

        ``fcc-15.109-b: levels and limit at 3 m, the distance all units were measured at`` or ``...
        and limit at 3 m, the limit's specified distance (the units were measured at
        different distances); u01 measured at 10 m, +10.46 dB by 47 CFR 15.31(f)(1)``;
        the members measured at one distance named together (``u02, u03 measured at 10 m,
        ...``). ``names`` maps a member to its display name; ``members`` names them
        (``units``, ``sides``).
        """
        name = names or (lambda m: m)
        head = f"{self.limit_id}: levels and limit at {self.distance_m:g} m"
        if self.basis == MEASURED:
            every = "both" if members == "sides" else "all"
            return f"{head}, the distance {every} {members} were measured at"
        at: dict[float, list[str]] = {}  # the members measured at each other distance
        for m, d in self.shifted:
            at.setdefault(d, []).append(name(m))
        return (
            f"{head}, the limit's specified distance (the {members} were measured at "
            "different distances); "
            + "; ".join(self.shift_text(ms[0], d, ", ".join(ms)) for d, ms in at.items())
        )

    def to_json(self) -> dict[str, Any]:
        """Return the reference distance as JSON-ready data."""
        return {
            "port": self.port,
            "limit_id": self.limit_id,
            "distance_m": self.distance_m,
            "basis": self.basis,
            "specified_distance_m": self.table.distance_m,
            "measured": [
                {
                    "member": m,
                    "distance_m": d,
                    "offset_db": _offset_json(self, m),
                }
                for m, d in self.measured
            ],
            "text": self.text(),
        }


def _offset_json(dist: LevelDistance, member: str) -> float | None:
    """Return the member's offset at and above 30 MHz (15.31(f)(1)), rounded [dB] (None: none)."""
    lo, hi = dist.table.range_hz
    f = max(lo, F_DISTANCE_SPLIT_HZ)
    if f > hi:
        f = lo
    x = float(dist.offset_db(member, [f])[0])
    return round(x, 2) if math.isfinite(x) else None


def level_distance(
    port: str, table: LimitTable, members: Mapping[str, EmissionList]
) -> LevelDistance | None:
    """Return the reference distance of ``members``' levels against ``table`` (None: none).

    The distance they were all measured at, else the table's specified distance. None for a
    conducted table or one without a distance.
    """
    measured = [(n, measured_distance_m(el, table)) for n, el in members.items()]
    known = tuple((n, d) for n, d in measured if d is not None)
    if not known or table.distance_m is None:
        return None
    first = known[0][1]
    if all(math.isclose(d, first) for _, d in known):
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


def _reading(r: Reading, freq_hz: float, member: str, dist: LevelDistance | None) -> Reading:
    """Return ``r`` with its level and limit at ``dist``'s distance (its margin unchanged)."""
    if dist is None:
        return r
    off = float(dist.offset_db(member, [freq_hz])[0])
    if off == 0.0 or not math.isfinite(off):
        return r
    return replace(r, level=r.level + off, limit=r.limit + off)


def _emission(e: Emission, member: str, dist_of: Mapping[str, LevelDistance]) -> Emission:
    return replace(
        e,
        readings=tuple(
            _reading(r, e.frequency_hz, member, dist_of.get(r.limit_id)) for r in e.readings
        ),
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
            _reading(p.a, p.frequency_hz_a, SIDES[0], dist_of.get(p.limit_id)),
            _reading(p.b, p.frequency_hz_b, SIDES[1], dist_of.get(p.limit_id)),
        )
        for p in matched.pairs
    )
    return replace(
        matched,
        pairs=pairs,
        only_in_a=tuple(_emission(e, SIDES[0], dist_of) for e in matched.only_in_a),
        only_in_b=tuple(_emission(e, SIDES[1], dist_of) for e in matched.only_in_b),
    )
