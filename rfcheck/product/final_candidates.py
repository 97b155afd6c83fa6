"""The final table's emission candidates, and what decided each line, as its rows follow it.

Candidates (:class:`Candidate`) are the pool's emission candidates, each cell's worst point
and local maxima, and each line's worst point in the pool's verdict; those within
:data:`SAME_EMISSION_REL` of each other are one emission (:func:`emission_groups`). The
rows follow what decided each cell, read through the verdict's public result, the pool's
line checks (:class:`LineDecision`): a group holding a line's worst point is shown at it
(:func:`row_candidate`); a reading the verdict set aside is no candidate
(:func:`set_aside`); a final measured beside a row that shows its line only bounded gets a
row of its own (:func:`measured_elsewhere`). :mod:`rfcheck.product.final_table` reads the
lines' values at the rows. See ``docs/dossier.md``, "Final table".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from ..capture import Detector
from ..outcome import Bound, Verdict
from ..results import LineCheck, Suspect
from ..verdict.bounds import relation
from .final_rows import TableCell, TableValue

__all__ = [
    "SAME_EMISSION_REL",
    "SAME_MARGIN_DB",
    "Candidate",
    "LineDecision",
    "deciders",
    "emission_groups",
    "measured_elsewhere",
    "measures",
    "row_candidate",
    "set_aside",
]

#: Candidates within this fraction of each other's frequency are one emission.
SAME_EMISSION_REL = 5e-3

#: How far a reading's margin may differ from its line's worst margin and still be the same
#: number (the verdict's and the table's arithmetic are the same; this only absorbs float
#: noise). [dB]
SAME_MARGIN_DB = 1e-6


@dataclass(frozen=True)
class LineDecision:
    """What the verdict decided of one line of the pool: its check (``pooled.checks``).

    Read only through the verdict's public result (:class:`~rfcheck.results.LineCheck`):
    the line's worst point, its verdict and the ranges it still needs measured.
    """

    check: LineCheck

    @property
    def set_aside_below(self) -> float:
        """Readings of the line with a smaller margin than this were set aside [dB].

        A line that did not FAIL takes its worst margin over every reading still standing
        (measurements and upper bounds no other reading settles, docs/verdict.md): a
        reading of it below that margin is one the verdict set aside (settled by
        measurements covering its bucket, by a tighter bound, or a swept bucket reading
        whose emission a finer trace located). A FAIL line's worst point is its worst
        failing reading, and under a decision rule the worst is the rule's: neither says
        which readings were set aside (-inf: none is).
        """
        c = self.check
        if (
            c.worst_margin_db is None
            or c.rule_shift_db is not None
            or c.verdict not in (Verdict.PASS, Verdict.INCONCLUSIVE, Verdict.INCOMPLETE)
        ):
            return -np.inf
        return c.worst_margin_db - SAME_MARGIN_DB

    def unsettled_range(self, f_hz: float) -> tuple[float, float] | None:
        """Return the range the line still needs measured that holds ``f_hz`` (None: none).

        An unsettled swept peak reading's bucket (``needs_ranges_hz``): the emission that
        reading saw may lie anywhere in it. [Hz]
        """
        for lo, hi in self.check.needs_ranges_hz:
            if hi > lo and lo - 0.5 <= f_hz <= hi + 0.5:
                return (float(lo), float(hi))
        return None


@dataclass(frozen=True)
class Candidate:
    """An emission candidate: a suspect, a cell's worst point or peak, or a line's worst point."""

    frequency_hz: float
    limit_id: str
    margin_db: float
    suspect: Suspect | None = None
    #: at a local maximum of a trace (:mod:`.peak_search`); a group without one is no row,
    #: but its other candidates still give a line's value where no trace point reaches
    emission: bool = True
    #: the limit line its margin is against ("" not known: a cell's worst point)
    line: str = ""
    #: a reading of the line's own detector (a final measurement), not a bound
    measured: bool = False
    #: the worst point of its line in the pool's verdict: what decided the line
    decides: bool = False


def emission_groups(cands: Sequence[Candidate]) -> list[list[Candidate]]:
    """Return the candidates by emission: those within :data:`SAME_EMISSION_REL` are one."""
    ordered = sorted(cands, key=lambda s: s.frequency_hz)
    out: list[list[Candidate]] = []
    for s in ordered:
        if out and s.frequency_hz - out[-1][0].frequency_hz <= SAME_EMISSION_REL * s.frequency_hz:
            out[-1].append(s)
        else:
            out.append([s])
    return out


def measures(detector: str, line_detector: Detector) -> bool:
    """Whether a trace of ``detector`` measures a line of ``line_detector`` (not a bound)."""
    try:
        return relation(Detector(detector), line_detector) is Bound.MEASURED
    except ValueError:
        return False


def deciders(
    decided: Collection[LineDecision], cells: Sequence[TableCell] | None
) -> list[Candidate]:
    """Return each line's worst point in the pool's verdict: what decided it.

    Only the lines of ``cells`` (every line when None). A candidate like any other, but a
    group holding one is shown at it (:func:`row_candidate`), with the reading that
    decided as the line's value.
    """
    read = None if cells is None else {(c.limit_id, c.line) for c in cells}
    out = []
    for d in decided:
        c = d.check
        if c.worst_frequency_hz is None or c.worst_margin_db is None:
            continue
        if read is not None and (c.limit_id, c.line) not in read:
            continue
        out.append(
            Candidate(
                c.worst_frequency_hz,
                c.limit_id,
                c.worst_margin_db,
                line=c.line,
                measured=c.worst_bound is Bound.MEASURED,
                decides=True,
            )
        )
    return out


def set_aside(c: Candidate, decided: dict[tuple[str, str], LineDecision]) -> bool:
    """Whether the verdict set ``c``'s reading aside (:attr:`LineDecision.set_aside_below`)."""
    d = decided.get((c.limit_id, c.line)) if c.line else None
    return d is not None and c.margin_db < d.set_aside_below


def row_candidate(group: Sequence[Candidate]) -> Candidate:
    """Return the candidate a group (one emission) is shown at.

    A line's worst point when the group holds one (the worst of them): the row then shows
    what decided the cell. Otherwise the group's worst candidate at a local maximum.
    """
    at = [c for c in group if c.emission]
    deciding = [c for c in at if c.decides]
    return min(deciding or at, key=lambda c: (c.margin_db, c.frequency_hz))


def measured_elsewhere(
    group: Sequence[Candidate], values: dict[str, TableValue]
) -> Candidate | None:
    """Return the group's worst measurement of a line its row shows only bounded, if any.

    The row of a swept peak reading shows its bound (the line's deciding reading, or a
    bucket still unsettled); a final measured in its group, at the row's frequency or beside
    it, is still a measurement of an emission and gets a row of its own, at its own
    frequency (a final at the grid point settles its own passband, not the bucket: the row
    keeps the bound, and the reader still sees what was measured there). A row that would
    show the same readings as the group's is not added (the table's caller).
    """
    measured = [
        c
        for c in group
        if c.emission
        and c.measured
        and c.line
        and (c.line not in values or values[c.line].bound is not Bound.MEASURED)
    ]
    return min(measured, key=lambda c: (c.margin_db, c.frequency_hz)) if measured else None
