"""How the dossier's tables name the measurement distance of each judgement.

A unit whose radiated captures were all measured at one distance names it once (the
"Measurement distance" row, each limit table's re-expression note). A unit measured at two
(10 m from 30 MHz to 1 GHz, 3 m above, as many labs measure) names the distance of every
radiated final row, matrix cell and limit note, since a level and a limit are only
comparable at one distance (47 CFR 15.31(f)(1)). See ``docs/dossier.md``, "Measurement
distances".
"""

from __future__ import annotations

from ...frequency import format_mhz_ranges
from ...product.distance_cells import cell_distance_text
from ...product.dossier import JudgedLimit, UnitDossier
from ...product.final_table import FinalRow
from ...verdict.coverage import union

__all__ = [
    "several_distances",
    "distance_row_text",
    "limit_lines",
    "row_distance",
    "cell_distance_text",
]


def several_distances(d: UnitDossier) -> bool:
    """Whether the unit's radiated judgements were made at more than one distance."""
    return d.several_distances


def distance_row_text(d: UnitDossier) -> str:
    """Return the "Measurement distance" row, with each radiated table re-expressed to it.

    ``3 m (fcc-15.109-a: limits specified at 10 m, +10.46 dB at and above 30 MHz by 47 CFR
    15.31(f)(1))``; at two distances, each with its ranges: ``10 m (30-1000 MHz), 3 m
    (1000-5000 MHz); fcc-15.109-a at 3 m: limits specified at 10 m, +10.46 dB ...``, and its
    polarisations when not every one was judged there: ``3 m (V, 30-1000 MHz), 10 m (H,
    30-1000 MHz)``.
    """
    several = several_distances(d)
    moved = [
        f"{t.limit_id}{f' at {t.measurement_distance_m:g} m' if several else ''}: limits "
        f"specified at {t.distance_m:g} m, "
        f"{t.distance_offset_db:+.2f} dB at and above 30 MHz by 47 CFR 15.31(f)(1)"
        for t in d.limits
        if t.distance_offset_db
        and t.distance_m is not None
        and t.measurement_distance_m is not None
    ]
    if not several:
        text = d.plan.distance_text
        if len(d.radiated_distances) == 1:
            text = f"{d.radiated_distances[0][0]:g} m"
        return text + (f" ({'; '.join(moved)})" if moved else "")
    ports = _ports_named(d)
    text = ", ".join(
        f"{m:g} m ({''.join(f'{p}, ' for p in ports.get(m, ()))}{format_mhz_ranges(ranges)})"
        for m, ranges in d.radiated_distances
    )
    return "; ".join([text, *moved])


def _ports_named(d: UnitDossier) -> dict[float, tuple[str, ...]]:
    """Return the polarisations judged at each distance, when not every one was at each.

    H at 10 m and V at 3 m over one range read ``3 m (V, 30-1000 MHz), 10 m (H, 30-1000
    MHz)``: the ranges alone do not say which polarisation was measured where. Empty when
    each distance holds every polarisation (``10 m (30-1000 MHz), 3 m (1000-5000 MHz)``).
    """
    ports = {m: d.ports_at(m) for m, _ in d.radiated_distances}
    every = {p for at in ports.values() for p in at}
    return ports if any(set(at) != every for at in ports.values()) else {}


def _ranges_of(d: UnitDossier, t: JudgedLimit) -> str:
    """Return the ranges of the unit's cells of ``t``'s table judged at its distance."""
    ranges = [
        (c.required.start_hz, c.required.stop_hz)
        for c in d.cells
        if c.required.limit_id == t.limit_id and t.measurement_distance_m in d.distances_of(c)
    ]
    return format_mhz_ranges(union(ranges))


def limit_lines(d: UnitDossier) -> list[str]:
    """Return each limit table of the unit with the clause, then its distance per judgement.

    ``fcc-15.109-b: FCC Part 15 Class B radiated limits @ 3 m (47 CFR 15.109(a))``: the
    shipped table's title names its clause (its note on the id suffix left out); a table
    rfcheck cannot load is named by its id alone. A radiated table is followed by the
    distance it was judged at: ``fcc-15.109-a: limit re-expressed from 10 m to the
    measurement distance 3 m by 47 CFR 15.31(f)(1), 20 dB/decade: +10.46 dB at and above
    30 MHz`` (or ``limit as specified at 3 m (no distance conversion)``); at two distances
    one such line each, naming the ranges judged there (``fcc-15.109-a at 1000-5000 MHz:
    ...``).
    """
    several = several_distances(d)
    out: list[str] = []
    titled: set[str] = set()
    for t in d.limits:
        if t.limit_id not in titled:
            titled.add(t.limit_id)
            out.append(f"{t.limit_id}: {t.title.split(' [', 1)[0]}" if t.title else t.limit_id)
        if not t.distance_note:
            continue
        where = _ranges_of(d, t) if several and t.measurement_distance_m is not None else ""
        out.append(f"{t.limit_id}{f' at {where}' if where else ''}: {t.distance_note}")
    return out


def row_distance(r: FinalRow, several: bool) -> str:
    """Return ``3 m`` for a radiated row of a unit measured at several distances, else ``""``."""
    return f"{r.distance_m:g} m" if several and r.distance_m is not None else ""
