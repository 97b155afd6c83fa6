"""The measurement distance of a radiated capture in a dossier: ``[plan]`` distance or bands.

A setup's ``[plan]`` states one distance for every radiated capture (``distance_m = 3``) or
one per frequency range (``distance_bands``), as many labs measure 30 MHz-1 GHz at 10 m and
above 1 GHz at 3 m::

    distance_bands = [ { stop_hz = 1e9, distance_m = 10 }, { start_hz = 1e9, distance_m = 3 } ]

A capture's distance is its matching ``[[rule]]``'s ``distance_m`` when one states it, else
``[check] distance_m``, else the plan's for its frequency span
(:func:`capture_distance_m`): a span lying in two bands of different distances, or outside
every band, has no known distance and is refused, never guessed. Each capture is judged at
its distance, the limit re-expressed there (47 CFR 15.31(f)(1), 20 dB/decade at and above
30 MHz). See ``docs/dossier.md``, "The plan" and "Measurement distances".

References
----------
47 CFR 15.31(f)(1) (a measurement at another distance, the limit re-expressed there).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SetupFileError
from ..frequency import format_mhz, format_mhz_range, format_mhz_ranges
from ..limits.distance import DISTANCE_RANGE_M
from ..tomlcheck import describe, get_float, refuse_unknown_keys

__all__ = [
    "DistanceBand",
    "parse_plan_distance",
    "bands_json",
    "bands_text",
    "bands_gap_warning",
    "uncovered_hz",
    "span_distance_m",
    "capture_distance_m",
]

#: Keys of one ``[plan] distance_bands`` entry.
_BAND_KEYS = frozenset({"start_hz", "stop_hz", "distance_m"})


@dataclass(frozen=True)
class DistanceBand:
    """One entry of ``[plan] distance_bands``: the distance of captures within a range.

    Attributes
    ----------
    start_hz, stop_hz : float
        The range, ends included; 0 and infinity when the entry leaves them open. [Hz]
    distance_m : float
        Measurement distance of a capture whose span lies in the range. [m]
    """

    start_hz: float
    stop_hz: float
    distance_m: float

    def holds(self, span_hz: tuple[float, float]) -> bool:
        """Whether the span [Hz] overlaps the band (a one-point span: lies in it)."""
        lo, hi = span_hz
        if lo == hi:
            return self.start_hz <= lo <= self.stop_hz
        return min(hi, self.stop_hz) > max(lo, self.start_hz)

    def text(self) -> str:
        """``10 m up to 1000 MHz``, ``3 m from 1000 MHz``, ``10 m at 30-1000 MHz``."""
        d = f"{self.distance_m:g} m"
        if math.isinf(self.stop_hz):
            return d if self.start_hz == 0 else f"{d} from {format_mhz(self.start_hz)}"
        if self.start_hz == 0:
            return f"{d} up to {format_mhz(self.stop_hz)}"
        return f"{d} at {format_mhz_range(self.start_hz, self.stop_hz)}"

    def to_json(self) -> dict[str, Any]:
        """Return the band as JSON-ready data (an open upper end: ``stop_hz`` null)."""
        return {
            "start_hz": self.start_hz,
            "stop_hz": None if math.isinf(self.stop_hz) else self.stop_hz,
            "distance_m": self.distance_m,
        }


def _number(
    entry: Mapping[str, Any],
    key: str,
    name: str,
    where: Path | None,
    default: float,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """Return a finite number of a band (``default`` when not given), within its bounds."""
    unit = "m" if key.endswith("_m") else "Hz"
    value = get_float(entry, key, name, where, minimum=minimum, maximum=maximum, unit=unit)
    return default if value is None else value


def _band(i: int, entry: Any, where: Path | None) -> DistanceBand:
    """Read entry ``i`` (from 1) of ``distance_bands``."""
    name = f"[plan] distance_bands #{i}"
    if not isinstance(entry, dict):
        raise SetupFileError(
            f"{name} must be a table ({{ start_hz = ..., stop_hz = ..., distance_m = ... }}), "
            f"got {describe(entry)}",
            where,
        )
    refuse_unknown_keys(entry, _BAND_KEYS, name, where)
    if "distance_m" not in entry:
        raise SetupFileError(f"{name} needs distance_m (the measurement distance [m])", where)
    lo_m, hi_m = DISTANCE_RANGE_M
    distance = _number(entry, "distance_m", name, where, math.nan, minimum=lo_m, maximum=hi_m)
    start = _number(entry, "start_hz", name, where, 0.0, minimum=0.0)
    stop = _number(entry, "stop_hz", name, where, math.inf)
    if not stop > start:
        raise SetupFileError(
            f"{name}: stop_hz ({format_mhz(stop)}) must lie above start_hz ({format_mhz(start)})",
            where,
        )
    return DistanceBand(start, stop, distance)


def _parse_bands(value: Any, where: Path | None) -> tuple[DistanceBand, ...]:
    """Read ``[plan] distance_bands``: a list of bands, in frequency order, none overlapping."""
    if not isinstance(value, list) or not value:
        raise SetupFileError(
            "[plan] distance_bands must be a list of { start_hz, stop_hz, distance_m } tables, "
            f"got {describe(value)}",
            where,
        )
    bands = [_band(i, entry, where) for i, entry in enumerate(value, 1)]
    order = sorted(range(len(bands)), key=lambda k: bands[k].start_hz)
    for a, b in zip(order, order[1:], strict=False):
        if bands[b].start_hz < bands[a].stop_hz:
            raise SetupFileError(
                f"[plan] distance_bands #{a + 1} ({bands[a].text()}) and #{b + 1} "
                f"({bands[b].text()}) overlap: a capture there would have two distances",
                where,
            )
    return tuple(bands[k] for k in order)


def parse_plan_distance(
    plan: Mapping[str, Any], where: Path | None
) -> tuple[float | None, tuple[DistanceBand, ...]]:
    """Read the plan's one distance [m], or its distance bands (then the distance is None).

    Raises
    ------
    SetupFileError
        Neither or both given; a distance outside :data:`~rfcheck.limits.DISTANCE_RANGE_M`;
        a band with an unknown key, no distance, a stop not above its start; two bands
        overlapping. One line naming the setup file and the entry.
    """
    has_one, has_bands = "distance_m" in plan, "distance_bands" in plan
    if has_one and has_bands:
        raise SetupFileError(
            "[plan] gives both distance_m and distance_bands: give one (distance_bands for a "
            "distance per frequency range)",
            where,
        )
    if has_bands:
        return None, _parse_bands(plan["distance_bands"], where)
    distance = plan.get("distance_m")
    lo, hi = DISTANCE_RANGE_M
    if (
        isinstance(distance, bool)
        or not isinstance(distance, int | float)
        or not lo <= distance <= hi
    ):
        raise SetupFileError(
            f"[plan] distance_m must be a number of metres, {lo:g} .. {hi:g} (or give "
            f"distance_bands), got {describe(distance)}",
            where,
        )
    return float(distance), ()


def bands_json(bands: Sequence[DistanceBand]) -> list[dict[str, Any]]:
    """Return the bands as JSON-ready data (the plan's ``distance_bands``)."""
    return [b.to_json() for b in bands]


def bands_text(bands: Sequence[DistanceBand]) -> str:
    """``10 m up to 1000 MHz, 3 m from 1000 MHz``.

    Bands of one distance that meet end to end read as one (``10 m``, not ``10 m up to 1000
    MHz, 10 m from 1000 MHz``): they say one thing.
    """
    merged: list[DistanceBand] = []
    for b in sorted(bands, key=lambda b: b.start_hz):
        last = merged[-1] if merged else None
        if last is not None and last.distance_m == b.distance_m and b.start_hz <= last.stop_hz:
            merged[-1] = DistanceBand(last.start_hz, max(last.stop_hz, b.stop_hz), b.distance_m)
        else:
            merged.append(b)
    return ", ".join(b.text() for b in merged)


def bands_gap_warning(
    bands: Sequence[DistanceBand], required_hz: Sequence[tuple[float, float]]
) -> str:
    """Say which part of the required radiated range no band gives a distance ("" for none).

    ``required_hz``: the ranges the plan requires radiated measurements over (its
    polarisations' cells) [Hz]. A capture reaching into a gap has no known distance and is
    an error row unless a ``[[rule]]`` states its ``distance_m``; a gap outside the required
    range asks for nothing. ``[plan] distance_bands (10 m up to 999 MHz, 3 m from 1000 MHz)
    give no measurement distance at 999-1000 MHz, inside the radiated range the plan
    requires (30-5000 MHz): ...``.
    """
    if not bands or not required_hz:
        return ""
    required: list[tuple[float, float]] = []
    for lo, hi in sorted(required_hz):
        if required and lo <= required[-1][1]:
            required[-1] = (required[-1][0], max(required[-1][1], hi))
        else:
            required.append((lo, hi))
    gaps = [g for lo, hi in required for g in uncovered_hz(bands, lo, hi)]
    if not gaps:
        return ""
    return (
        f"[plan] distance_bands ({bands_text(bands)}) give no measurement distance at "
        f"{format_mhz_ranges(gaps)}, inside the radiated range the plan requires "
        f"({format_mhz_ranges(required)}): a capture reaching there is an error row unless "
        "a [[rule]] matching it states its distance_m"
    )


def uncovered_hz(
    bands: Sequence[DistanceBand], start_hz: float, stop_hz: float
) -> list[tuple[float, float]]:
    """Return the parts of ``start_hz``..``stop_hz`` that no band holds, in order [Hz].

    Bands meeting end to end (one stops at 1 GHz, the next starts there) leave no gap; one
    stopping at 999 MHz before another starting at 1 GHz leaves 999-1000 MHz.
    """
    out: list[tuple[float, float]] = []
    reached = start_hz
    for b in sorted(bands, key=lambda b: b.start_hz):
        if b.start_hz > reached:
            out.append((reached, min(b.start_hz, stop_hz)))
        reached = max(reached, b.stop_hz)
        if reached >= stop_hz:
            break
    if reached < stop_hz:
        out.append((reached, stop_hz))
    return [(a, z) for a, z in out if z > a]


def span_distance_m(bands: Sequence[DistanceBand], span_hz: tuple[float, float]) -> float | None:
    """Return the distance of the bands holding the whole span [Hz]; None when not one.

    None when the span overlaps bands of two distances or reaches outside every band (its
    distance is unknown).
    """
    holding = sorted((b for b in bands if b.holds(span_hz)), key=lambda b: b.start_hz)
    if not holding or len({b.distance_m for b in holding}) > 1:
        return None
    lo, hi = span_hz
    gap = any(b.start_hz > a.stop_hz for a, b in zip(holding, holding[1:], strict=False))
    inside = holding[0].start_hz <= lo and hi <= holding[-1].stop_hz
    return holding[0].distance_m if inside and not gap else None


def capture_distance_m(
    bands: Sequence[DistanceBand],
    span_hz: tuple[float, float],
    setup_path: Path | None,
) -> float:
    """Return the plan's distance [m] for a capture that states none, from its span [Hz].

    Raises
    ------
    SetupFileError
        The span lies in two bands of different distances, or outside every band: the
        capture's distance is unknown (its message says why; the caller names the capture:
        :func:`rfcheck.product.assign.assign` makes it the capture's error row).
    """
    distance = span_distance_m(bands, span_hz)
    if distance is not None:
        return distance
    holding = [b for b in bands if b.holds(span_hz)]
    if len({b.distance_m for b in holding}) > 1:
        where = (
            f"lies in {len(holding)} [plan] distance_bands of different distances "
            f"({bands_text(holding)})"
        )
    else:
        outside = format_mhz_ranges(uncovered_hz(bands, *span_hz))
        where = (
            f"reaches {outside}, where no [plan] distance_bands entry gives a distance "
            f"({bands_text(bands)})"
        )
    raise SetupFileError(
        f"its span {format_mhz_range(*span_hz)} {where}, so its measurement distance is "
        "unknown, and no [[rule]] states it: give the file its distance_m in a [[rule]] "
        "matching it",
        setup_path,
    )
