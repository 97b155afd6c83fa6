"""Pairing the emissions of two captures (``rfcheck compare``).

Which emission of B is which emission of A, and what the level change means.

Pairing rule: two emissions pair when their frequencies differ by at most the tolerance
:func:`match_tolerance_hz` (the larger of each capture's resolution bandwidth and two
frequency steps: a narrowband line is located to within a step, and one RBW cannot resolve
two lines); candidates are taken closest first, each emission pairs at most once.

A level difference ``delta_db = level_b - level_a`` is *measured* only when both readings
measured the line's detector. With a bound on either side it is a bound itself, or no bound
at all (table in :func:`delta_bound`): a peak reading against a quasi-peak reading is not a
measured quasi-peak difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..outcome import Bound
from .emissions import Emission, EmissionList
from .json_numbers import json_margin, json_number
from .readings import Reading

__all__ = ["DeltaBound", "Pair", "Matched", "match_tolerance_hz", "delta_bound", "match"]


class DeltaBound(StrEnum):
    """What ``delta_db`` says about the true level change of a line's quantity."""

    MEASURED = "measured"
    UPPER = "upper bound"  #: the true change is at most delta_db
    LOWER = "lower bound"  #: the true change is at least delta_db
    NONE = "none"  #: bounds on both sides in the same direction: not a difference


def delta_bound(a: Bound, b: Bound) -> DeltaBound:
    """Bound of ``b - a`` from the bounds of the two readings.

    ``b`` read high (upper) or exact and ``a`` read low (lower) or exact: the difference is
    at most what is shown (UPPER); the mirror case is a LOWER bound; both measured is
    MEASURED; anything else (both upper, both lower) bounds nothing.
    """
    if a is Bound.MEASURED and b is Bound.MEASURED:
        return DeltaBound.MEASURED
    if b in (Bound.MEASURED, Bound.UPPER) and a in (Bound.MEASURED, Bound.LOWER):
        return DeltaBound.UPPER
    if b in (Bound.MEASURED, Bound.LOWER) and a in (Bound.MEASURED, Bound.UPPER):
        return DeltaBound.LOWER
    return DeltaBound.NONE


@dataclass(frozen=True)
class Pair:
    """One limit line at one emission seen in both captures.

    ``detector`` is the line's detector (so ``delta_db`` is a ΔQP, ΔAV or ΔPK);
    ``detector_a``/``detector_b`` are the detectors actually read. [Hz], [dB(unit)], [dB]
    """

    frequency_hz_a: float
    frequency_hz_b: float
    limit_id: str
    line: str
    detector: str
    a: Reading
    b: Reading

    @property
    def delta_db(self) -> float:
        """Level change B - A [dB]."""
        return self.b.level - self.a.level

    @property
    def bound(self) -> DeltaBound:
        """What the two readings' bounds make of the level change."""
        return delta_bound(self.a.bound, self.b.bound)

    def to_json(self) -> dict[str, Any]:
        """Return the pair as JSON-ready data."""
        return {
            "frequency_hz_a": json_number(self.frequency_hz_a, 1),
            "frequency_hz_b": json_number(self.frequency_hz_b, 1),
            "limit_id": self.limit_id,
            "line": self.line,
            "detector": self.detector,
            "detector_a": self.a.detector,
            "detector_b": self.b.detector,
            "level_a": json_number(self.a.level),
            "level_b": json_number(self.b.level),
            "bound_a": self.a.bound.value,
            "bound_b": self.b.bound.value,
            "delta_db": json_number(self.delta_db),
            "bound": self.bound.value,
            "limit": json_number(self.b.limit),
            "margin_db_a": json_margin(self.a.margin_db),
            "margin_db_b": json_margin(self.b.margin_db),
            "unit": self.b.unit,
        }


@dataclass(frozen=True)
class Matched:
    """The outcome of pairing: pairs per line, and the emissions seen on one side only."""

    tolerance_hz: float
    pairs: tuple[Pair, ...]
    only_in_a: tuple[Emission, ...]
    only_in_b: tuple[Emission, ...]


def match_tolerance_hz(a: EmissionList, b: EmissionList) -> float:
    """Pairing tolerance: the larger of the two captures' RBW and two frequency steps [Hz]."""
    return max(a.match_tolerance_hz, b.match_tolerance_hz)


def match(
    a: Sequence[Emission],
    b: Sequence[Emission],
    tol_hz: float,
    *,
    listed_a: Sequence[Emission] | None = None,
    listed_b: Sequence[Emission] | None = None,
) -> Matched:
    """Pair two emission lists (closest first, within ``tol_hz`` [Hz]).

    Parameters
    ----------
    a, b : sequence of Emission
        Every peak of each capture, by frequency.
    tol_hz : float
        Pairing tolerance. [Hz]
    listed_a, listed_b : sequence of Emission, optional
        The emissions to report (e.g. those within a window of the limit; default all). A
        pair is kept when either side is listed; a listed emission with no partner among
        *all* the other side's peaks is "only in" its side.

    Returns
    -------
    Matched
        One :class:`Pair` per limit line read on both sides of each paired emission, by
        frequency; unpaired listed emissions in ``only_in_a`` / ``only_in_b``.
    """
    keep_a = {id(e) for e in (a if listed_a is None else listed_a)}
    keep_b = {id(e) for e in (b if listed_b is None else listed_b)}
    import bisect

    fb = [e.frequency_hz for e in b]
    # candidate pairs only between neighbours in frequency (both lists are sorted)
    cand_b: list[list[int]] = []
    for e in a:
        lo = bisect.bisect_left(fb, e.frequency_hz - tol_hz)
        hi = bisect.bisect_right(fb, e.frequency_hz + tol_hz)
        cand_b.append(list(range(lo, hi)))
    cands = sorted(
        (abs(a[i].frequency_hz - b[j].frequency_hz), i, j)
        for i, js in enumerate(cand_b)
        for j in js
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    paired: list[tuple[int, int]] = []
    for _, i, j in cands:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            paired.append((i, j))
    pairs: list[Pair] = []
    for i, j in sorted(paired):
        ea, eb = a[i], b[j]
        if id(ea) not in keep_a and id(eb) not in keep_b:
            continue
        for ra in ea.readings:
            rb = eb.reading(ra.key)
            if rb is not None:
                pairs.append(
                    Pair(
                        ea.frequency_hz,
                        eb.frequency_hz,
                        ra.limit_id,
                        ra.line,
                        ra.line_detector,
                        ra,
                        rb,
                    )
                )
    return Matched(
        tolerance_hz=tol_hz,
        pairs=tuple(pairs),
        only_in_a=tuple(e for i, e in enumerate(a) if i not in used_a and id(e) in keep_a),
        only_in_b=tuple(e for j, e in enumerate(b) if j not in used_b and id(e) in keep_b),
    )
