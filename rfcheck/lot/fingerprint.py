"""Emission fingerprints: is a unit of a lot the same design as the tested unit.

A unit's fingerprint on one port is its strongest narrowband emissions (closest to a limit
line) and the harmonic families among all its emissions (the clocks and switching
frequencies behind them). A unit is *shown identical* to the golden (tested) unit when,
port by port:

- every strongest emission of either unit is found in the other within the pairing
  tolerance plus :data:`CLOCK_TOLERANCE` × f (two units' clocks differ by up to 100 ppm),
  and the levels there differ by at most ``level_threshold_db``;
- an emission found elsewhere is a *shift* (same source, another frequency) when the other
  unit has one of similar level within ``shift_window`` × the tolerance, else *new* (the
  golden unit reads only noise there) or *missing*;
- every harmonic family of either unit is found in the other (a peak within the pairing
  tolerance of at least 60 % of its harmonics).

Anything else is a :class:`Difference`, and the unit is "not shown identical to the tested
sample" (47 CFR 2.906(b), 2.908: an SDoC covers units identical to the sample tested,
within the variation of quantity production).

Only a reading can show a difference. Where one unit has a strongest emission (or a
harmonic family) and the other has no reading there (outside its scan, in a gap of it, or no
trace bounding the line), nothing is shown either way: that is missing data, an
:attr:`FingerprintComparison.unshown` line, and the unit's identity is unknown, never a
different build (``docs/lot.md``, "Fingerprint").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..frequency import format_hz, format_mhz
from ..outcome import Bound
from .distance import moved_db, offset_to_db
from .emissions import Emission, EmissionList
from .json_numbers import json_number

__all__ = [
    "Family",
    "Fingerprint",
    "Difference",
    "FingerprintComparison",
    "fingerprint",
    "fingerprint_comparison",
    "harmonic_families",
    "compare_fingerprints",
    "N_STRONGEST",
    "LEVEL_THRESHOLD_DB",
    "MIN_FAMILY",
    "CLOCK_TOLERANCE",
    "unit_tolerance_hz",
]

#: Emissions in a fingerprint.
N_STRONGEST = 8
#: Level difference at a fingerprint emission beyond production spread. [dB]
LEVEL_THRESHOLD_DB = 10.0
#: Fewest members of a harmonic family.
MIN_FAMILY = 4
#: A family's harmonic slots (between its lowest and highest member) that must be filled.
_FAMILY_FILL = 0.6
#: Relative frequency difference of two units' clocks taken as production spread: two
#: crystals of ±50 ppm. [1]
CLOCK_TOLERANCE = 100e-6
#: A shifted emission is looked for within this many tolerances.
SHIFT_WINDOW = 10.0


@dataclass(frozen=True)
class Family:
    """Emissions at integer multiples of one fundamental [Hz]."""

    fundamental_hz: float
    harmonics: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the family as JSON-ready data."""
        return {
            "fundamental_hz": json_number(self.fundamental_hz, 1),
            "harmonics": list(self.harmonics),
        }

    def describe(self) -> str:
        """Return the family as ``<fundamental> (harmonics <first>-<last>)``."""
        first, last = self.harmonics[0], self.harmonics[-1]
        return f"{format_mhz(self.fundamental_hz)} (harmonics {first}-{last})"


@dataclass(frozen=True)
class Fingerprint:
    """The strongest emissions and harmonic families of one capture."""

    strongest: tuple[Emission, ...]
    families: tuple[Family, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the fingerprint as JSON-ready data."""
        return {
            "strongest_hz": [json_number(e.frequency_hz, 1) for e in self.strongest],
            "families": [f.to_json() for f in self.families],
        }


@dataclass(frozen=True)
class Difference:
    """Evidence that a unit differs from the golden unit on one port.

    ``kind``: ``new``, ``missing``, ``shift``, ``level`` or ``family``. Frequencies [Hz],
    ``delta_db = unit - golden`` [dB].
    """

    port: str
    kind: str
    frequency_hz: float | None
    golden_frequency_hz: float | None
    delta_db: float | None
    text: str

    def to_json(self) -> dict[str, Any]:
        """Return the difference as JSON-ready data."""
        return {
            "port": self.port,
            "kind": self.kind,
            "frequency_hz": json_number(self.frequency_hz, 1),
            "golden_frequency_hz": json_number(self.golden_frequency_hz, 1),
            "delta_db": json_number(self.delta_db),
            "text": self.text,
        }


@dataclass(frozen=True)
class FingerprintComparison:
    """A unit's fingerprint against the golden unit's on one port.

    ``differences``: what a reading shows differs (a different build). ``unshown``: one line
    per strongest emission or harmonic family of either unit that the other has no reading
    of (missing data: identity cannot be shown there, not a difference).
    """

    differences: tuple[Difference, ...]
    unshown: tuple[str, ...]


def _strength(e: Emission) -> float:
    w = e.worst
    return w.margin_db if w is not None else np.inf


def harmonic_families(
    freqs_hz: Sequence[float], tol_hz: float, min_members: int = MIN_FAMILY
) -> tuple[Family, ...]:
    """Harmonic families among emission frequencies.

    Candidate fundamentals are each emission frequency divided by 1..5 (the fundamental may
    lie below the scan). A candidate's members are the emissions within ``tol_hz`` of a
    multiple; it is a family with ``min_members`` members filling at least 60 % of the
    harmonic slots between its lowest and highest member; the fundamental is refined by
    least squares. Families are taken greedily, most members first (then the higher
    fundamental: a sub-multiple fills fewer slots), each emission in one family only.

    Parameters
    ----------
    freqs_hz : sequence of float
        Emission frequencies. [Hz]
    tol_hz : float
        How far a harmonic may lie from ``n × fundamental``. [Hz]
    """
    f = np.sort(np.asarray(freqs_hz, dtype=float))
    free = np.ones(f.size, dtype=bool)
    out: list[Family] = []
    while free.sum() >= min_members:
        best: tuple[int, float, np.ndarray, np.ndarray] | None = None
        for c in np.unique(np.concatenate([f[free] / d for d in range(1, 6)])):
            if c < 2.0 * tol_hz:
                continue
            n = np.round(f / c)
            sel = free & (n >= 1) & (np.abs(f - n * c) <= tol_hz)
            k = int(sel.sum())
            if k < min_members:
                continue
            slots = n[sel].max() - n[sel].min() + 1
            if k / slots < _FAMILY_FILL or len(np.unique(n[sel])) < k:
                continue
            if best is None or (k, c) > (best[0], best[1]):
                best = (k, c, sel, n[sel])
        if best is None:
            break
        _, _, sel, nn = best
        f0 = float(np.sum(nn * f[sel]) / np.sum(nn * nn))
        out.append(Family(f0, tuple(int(x) for x in nn)))
        free &= ~sel
    return tuple(sorted(out, key=lambda x: x.fundamental_hz))


def fingerprint(el: EmissionList, n_strongest: int = N_STRONGEST) -> Fingerprint:
    """Return the fingerprint of one capture: strongest emissions by margin, harmonic families."""
    strongest = sorted(el.emissions, key=_strength)[:n_strongest]
    fams = harmonic_families([e.frequency_hz for e in el.emissions], el.match_tolerance_hz / 2.0)
    return Fingerprint(tuple(sorted(strongest, key=lambda e: e.frequency_hz)), fams)


def unit_tolerance_hz(tol_hz: float, freq_hz: float) -> float:
    """Return the frequency tolerance between two units at ``freq_hz``.

    The pairing tolerance plus :data:`CLOCK_TOLERANCE` × f (two units' clocks may differ). [Hz]
    """
    return tol_hz + CLOCK_TOLERANCE * freq_hz


def _near(emissions: Sequence[Emission], f: float, tol: float) -> Emission | None:
    tol = unit_tolerance_hz(tol, f)
    cands = [e for e in emissions if abs(e.frequency_hz - f) <= tol]
    return min(cands, key=lambda e: abs(e.frequency_hz - f)) if cands else None


def _level_at(el: EmissionList, e: Emission, tol: float, own: EmissionList) -> float | None:
    """Return the other capture's reading of the same detector/line as ``e``'s worst, near it.

    Re-expressed at the distance ``e``'s reading (of ``own``) was read at
    (:func:`rfcheck.lot.distance.moved_db`, from the distance the other's was read at).
    """
    w = e.worst
    if w is None:
        return None
    r = el.reading_at(e.frequency_hz, w.key, unit_tolerance_hz(tol, e.frequency_hz))
    if r is None:
        return None
    return r.level + moved_db(own.table(w.limit_id), e.frequency_hz, r.distance_m, w.distance_m)


def _emission_level(e: Emission, src: EmissionList, dst: EmissionList) -> float:
    """Return ``e``'s level (of ``src``) at ``dst``'s measurement distance [dB(unit)]."""
    w = e.worst
    if w is None:
        return e.level
    return e.level + offset_to_db(src, dst, w.limit_id, e.frequency_hz)


@dataclass(frozen=True)
class _Pairing:
    """What one fingerprint comparison works with (tolerance [Hz], threshold [dB])."""

    port: str
    golden: EmissionList
    unit: EmissionList
    tol: float
    level_threshold_db: float

    def other(self, side: str) -> EmissionList:
        return self.golden if side == "unit" else self.unit

    def own(self, side: str) -> EmissionList:
        return self.unit if side == "unit" else self.golden


def _level_difference(
    pr: _Pairing, side: str, e: Emission, twin: Emission
) -> Difference | str | None:
    """Return a level change beyond the threshold at an emission both units have.

    A change beyond it that the readings' bounds do not show (a peak reading, an upper bound
    of the average, well above the other unit's measured average) is neither a difference
    nor a match: the line saying so (missing data, like no reading).

    The unit's level is taken at the distance the golden unit's reading was read at (47 CFR
    15.31(f), :func:`rfcheck.lot.distance.moved_db`): levels read at 3 m and 10 m are compared
    at one.
    """
    w = e.worst
    r = twin.reading(w.key) if w is not None else None
    if w is None or r is None:
        return None
    unit_r, golden_r = (w, r) if side == "unit" else (r, w)
    table = pr.golden.table(w.limit_id)
    to_golden = moved_db(table, e.frequency_hz, unit_r.distance_m, golden_r.distance_m)
    delta = unit_r.level + to_golden - golden_r.level
    if abs(delta) <= pr.level_threshold_db:
        return None
    if not _bounds_show(delta, unit_r.bound, golden_r.bound):
        return (
            f"emission at {format_mhz(e.frequency_hz)} not compared: {delta:+.1f} dB against "
            f"the golden unit on the {w.line} line, but the unit's reading is "
            f"{_A_BOUND[unit_r.bound]} and the golden unit's {_A_BOUND[golden_r.bound]}, so "
            "the levels are not shown that far apart (nor within the threshold)"
        )
    fu, fg = (
        (e.frequency_hz, twin.frequency_hz)
        if side == "unit"
        else (twin.frequency_hz, e.frequency_hz)
    )
    return Difference(
        pr.port,
        "level",
        fu,
        fg,
        delta,
        f"{format_mhz(fu)}: {delta:+.1f} dB against the golden unit "
        f"(more than {pr.level_threshold_db:g} dB)"
        + (
            f", the unit's level re-expressed at the golden unit's measurement distance "
            f"({to_golden:+.2f} dB, 47 CFR 15.31(f))"
            if to_golden != 0.0
            else ""
        ),
    )


#: Bounds that say a level is at least what was read, and at most what was read.
_AT_LEAST = (Bound.MEASURED, Bound.LOWER)
_AT_MOST = (Bound.MEASURED, Bound.UPPER)
_A_BOUND = {
    Bound.MEASURED: "a measurement",
    Bound.UPPER: "an upper bound",
    Bound.LOWER: "a lower bound",
    Bound.NONE: "no bound",
}


def _bounds_show(delta_db: float, unit: Bound, golden: Bound) -> bool:
    """Whether two readings ``delta_db`` apart (unit - golden) show the levels that far apart.

    The unit higher is shown only when its reading is at least its level and the golden
    unit's at most its own (a peak reading, an upper bound of the average, 25 dB above the
    golden unit's measured average is consistent with one design); the unit lower, the
    other way round.
    """
    if delta_db > 0:
        return unit in _AT_LEAST and golden in _AT_MOST
    return unit in _AT_MOST and golden in _AT_LEAST


def _absence(pr: _Pairing, side: str, e: Emission) -> Difference:
    """Return a strongest emission the other unit lacks: shifted, new or missing."""
    other, own = pr.other(side), pr.own(side)
    shifted = [
        x
        for x in other.emissions
        if abs(x.frequency_hz - e.frequency_hz) <= SHIFT_WINDOW * pr.tol
        and abs(_emission_level(x, other, own) - e.level) <= pr.level_threshold_db
        and _near(own.peaks, x.frequency_hz, pr.tol) is None
    ]  # not paired itself
    if shifted:
        x = min(shifted, key=lambda x: abs(x.frequency_hz - e.frequency_hz))
        fu, fg = (
            (e.frequency_hz, x.frequency_hz) if side == "unit" else (x.frequency_hz, e.frequency_hz)
        )
        return Difference(
            pr.port,
            "shift",
            fu,
            fg,
            None,
            f"emission at {format_mhz(fu)} where the golden unit has it at "
            f"{format_mhz(fg)} (shift {'+' if fu > fg else ''}{format_hz(fu - fg)}, tolerance "
            f"{format_hz(pr.tol)})",
        )
    lvl = _level_at(other, e, pr.tol, own)
    w = e.worst
    gap = (
        f"{w.level - lvl:.1f} dB lower there on the {w.line} line"
        if lvl is not None and w is not None
        else "no reading there"
    )
    if side == "unit":
        return Difference(
            pr.port,
            "new",
            e.frequency_hz,
            None,
            None,
            f"emission at {format_mhz(e.frequency_hz)} the golden unit does not have "
            f"(golden reads {gap})",
        )
    return Difference(
        pr.port,
        "missing",
        None,
        e.frequency_hz,
        None,
        f"golden emission at {format_mhz(e.frequency_hz)} not found (unit reads {gap})",
    )


def _unshown_emission(pr: _Pairing, side: str, e: Emission) -> str:
    """Return the line for a strongest emission the other unit has no reading of."""
    other = pr.other(side)
    why = other.no_reading_why(e.frequency_hz, unit_tolerance_hz(pr.tol, e.frequency_hz))
    if side == "unit":
        return (
            f"emission at {format_mhz(e.frequency_hz)} not compared: the golden unit has no "
            f"reading there ({why})"
        )
    return (
        f"golden emission at {format_mhz(e.frequency_hz)} not compared: the unit has no "
        f"reading there ({why})"
    )


def _emission_differences(pr: _Pairing) -> tuple[list[Difference], list[str]]:
    """Differences at the strongest emissions of either unit, each piece of evidence once.

    Also the strongest emissions the other unit has no reading of (missing data, not a
    difference: neither absent, nor shifted, as far as its captures show).
    """
    out: list[Difference] = []
    unshown: list[str] = []
    seen: set[tuple[str, float | None, float | None]] = set()
    sides = [("unit", e) for e in fingerprint(pr.unit).strongest]
    sides += [("golden", e) for e in fingerprint(pr.golden).strongest]
    for side, e in sides:
        twin = _near(pr.other(side).peaks, e.frequency_hz, pr.tol)
        if twin is None and _level_at(pr.other(side), e, pr.tol, pr.own(side)) is None:
            text = _unshown_emission(pr, side, e)
            if text not in unshown:
                unshown.append(text)
            continue
        d = _level_difference(pr, side, e, twin) if twin is not None else _absence(pr, side, e)
        if isinstance(d, str):
            if d not in unshown:
                unshown.append(d)
            continue
        if d is None or (d.kind, d.frequency_hz, d.golden_frequency_hz) in seen:
            continue  # no difference, or the same evidence seen from the other unit
        seen.add((d.kind, d.frequency_hz, d.golden_frequency_hz))
        out.append(d)
    return out, unshown


def _has_reading(el: EmissionList, freq_hz: float, tol: float) -> bool:
    """Return True when some trace of ``el`` bounds some limit line within ``tol`` of f."""
    t = unit_tolerance_hz(tol, freq_hz)
    return any(el.reading_at(freq_hz, key, t) is not None for key in el.lines())


def _family_state(fam: Family, el: EmissionList, tol: float) -> tuple[str, int]:
    """Return whether ``el`` shows the family, and at how many harmonics it has no reading.

    ``present``: a peak within ``tol`` of at least 60 % of the family's harmonics (looked for
    directly: which family claims a shared harmonic does not matter). ``absent``: too few
    peaks even were every harmonic ``el`` has no reading at present. ``unshown``: neither
    (missing data).
    """
    need = _FAMILY_FILL * len(fam.harmonics)
    found = unread = 0
    for n in fam.harmonics:
        f = n * fam.fundamental_hz
        if _near(el.peaks, f, tol) is not None:
            found += 1
        elif not _has_reading(el, f, tol):
            unread += 1
    if found >= need:
        return "present", unread
    return ("absent" if found + unread < need else "unshown"), unread


def _family_differences(pr: _Pairing) -> tuple[list[Difference], list[str]]:
    out: list[Difference] = []
    unshown: list[str] = []
    port, golden, unit, tol = pr.port, pr.golden, pr.unit, pr.tol
    fams_g, fams_u = fingerprint(golden).families, fingerprint(unit).families
    g0 = [f.fundamental_hz for f in fams_g]
    for fam in fams_u:
        state, unread = _family_state(fam, golden, tol)
        if state == "unshown":
            unshown.append(
                f"harmonic family at {fam.describe()} not compared: the golden unit has no "
                f"reading at {unread} of its {len(fam.harmonics)} harmonics"
            )
        elif state == "absent":
            near = min(g0, key=lambda g: abs(g - fam.fundamental_hz)) if g0 else None
            has = f"; golden families: {', '.join(format_mhz(g) for g in g0)}" if g0 else ""
            out.append(
                Difference(
                    port,
                    "family",
                    fam.fundamental_hz,
                    near,
                    None,
                    f"harmonic family at {fam.describe()} not in the golden unit{has}",
                )
            )
    for fam in fams_g:
        state, unread = _family_state(fam, unit, tol)
        if state == "unshown":
            unshown.append(
                f"golden harmonic family at {fam.describe()} not compared: the unit has no "
                f"reading at {unread} of its {len(fam.harmonics)} harmonics"
            )
        elif state == "absent":
            out.append(
                Difference(
                    port,
                    "family",
                    None,
                    fam.fundamental_hz,
                    None,
                    f"golden harmonic family at {fam.describe()} not found",
                )
            )
    return out, unshown


def fingerprint_comparison(
    port: str,
    golden: EmissionList,
    unit: EmissionList,
    *,
    level_threshold_db: float = LEVEL_THRESHOLD_DB,
) -> FingerprintComparison:
    """Compare a unit's fingerprint with the golden unit's on one port.

    Parameters
    ----------
    port : str
        Port / polarisation name, for the evidence.
    golden, unit : EmissionList
    level_threshold_db : float
        Level change at a fingerprint emission tolerated as production spread. [dB]

    Returns
    -------
    FingerprintComparison
        The differences a reading shows, and what cannot be compared for want of a reading
        (missing data, never a difference: ``docs/lot.md``, "Fingerprint").
    """
    tol = max(golden.match_tolerance_hz, unit.match_tolerance_hz)
    pr = _Pairing(port, golden, unit, tol, level_threshold_db)
    diffs, unshown = _emission_differences(pr)
    fam_diffs, fam_unshown = _family_differences(pr)
    return FingerprintComparison(tuple(diffs + fam_diffs), tuple(unshown + fam_unshown))


def compare_fingerprints(
    port: str,
    golden: EmissionList,
    unit: EmissionList,
    *,
    level_threshold_db: float = LEVEL_THRESHOLD_DB,
) -> list[Difference]:
    """Every difference between a unit and the golden unit on one port (empty: none shown).

    The differences of :func:`fingerprint_comparison`: an emission or family the other unit
    has no reading of is not one (missing data, not evidence of a different build).

    Parameters
    ----------
    port : str
        Port / polarisation name, for the evidence.
    golden, unit : EmissionList
    level_threshold_db : float
        Level change at a fingerprint emission tolerated as production spread. [dB]
    """
    comp = fingerprint_comparison(port, golden, unit, level_threshold_db=level_threshold_db)
    return list(comp.differences)
