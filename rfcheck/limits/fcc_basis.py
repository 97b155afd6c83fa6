"""A CISPR 32 table against the FCC Part 15 table of its class: the "not an FCC basis" note.

A PASS against a ``regime = "cispr32"`` table is a CISPR 32 result, never a 47 CFR Part 15
result (docs/references.md §2g). Every report judged against one says so, and says where the
CISPR 32 limits are more lenient and where stricter than the FCC table of the same class and
port (:func:`~rfcheck.limits.siblings.fcc_counterpart`). The comparison is derived from the
two tables when the note is written, never typed in: the FCC table is re-expressed at the
CISPR table's distance by 47 CFR 15.31(f)(1) (:meth:`LimitTable.level_at`), and each CISPR
line is set against the FCC line of the same detector (QP to 1 GHz, AV and PK above).

References
----------
47 CFR 15.107, 15.109, 15.31(f)(1), 15.35; CISPR 32 Tables A.2-A.5; docs/references.md §2g, §3.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from ..frequency import format_mhz_range
from .distance import F_DISTANCE_SPLIT_HZ, distance_offset_db
from .model import LimitTable, LineSpec
from .siblings import fcc_counterpart

__all__ = ["NOT_FCC_BASIS", "LevelDifference", "limit_differences", "fcc_basis_note"]

#: The words every "not an FCC basis" note holds (the reports find the note by them).
NOT_FCC_BASIS = "CISPR 32 limits are not an FCC basis"

#: Differences smaller than this are "the same" (the notes print two decimals). [dB]
SAME_DB = 0.005


@dataclass(frozen=True)
class LevelDifference:
    """The CISPR limit minus the FCC limit over one frequency range [dB], open at both ends.

    Positive: the CISPR 32 limit is higher (more lenient). ``low_db == high_db`` where both
    lines are flat over the range; a log-f line against a flat one gives the two ends.
    ``start_hz``/``stop_hz`` [Hz]; at a shared end the tables' edge rules apply.
    """

    start_hz: float
    stop_hz: float
    low_db: float
    high_db: float

    @property
    def kind(self) -> str:
        """``lenient``, ``stricter``, ``same``, or ``mixed`` (both, within the range)."""
        if self.low_db >= -SAME_DB:
            return "same" if self.high_db <= SAME_DB else "lenient"
        return "stricter" if self.high_db <= SAME_DB else "mixed"

    def amount(self) -> str:
        """How much, as printed: ``0.98 dB``, ``0.10 to 0.50 dB``."""
        a, b = sorted((abs(self.low_db), abs(self.high_db)))
        return f"{a:.2f} dB" if round(a, 2) == round(b, 2) else f"{a:.2f} to {b:.2f} dB"

    @property
    def range_text(self) -> str:
        """``230-960 MHz``."""
        return format_mhz_range(self.start_hz, self.stop_hz)


def _fcc_line(fcc: LimitTable, spec: LineSpec) -> str | None:
    """Return the FCC line of the same detector as ``spec`` (None: the FCC table has none)."""
    return next((ln.name for ln in fcc.lines if ln.detector is spec.detector), None)


def _edges(cispr: LimitTable, fcc: LimitTable, lo: float, hi: float) -> list[float]:
    """Return every segment edge of either table inside [lo, hi], and lo and hi, sorted [Hz]."""
    ends = {lo, hi}
    for seg in (*cispr.segments, *fcc.segments):
        ends |= {e for e in (seg.start_hz, seg.stop_hz) if lo < e < hi}
    return sorted(ends)


def _difference(
    cispr: LimitTable, line: str, fcc: LimitTable, fcc_line: str, a: float, b: float
) -> LevelDifference | None:
    """CISPR minus FCC over the open range (a, b), None where the FCC line is not defined.

    Both lines are flat or linear in log f between two edges, so their difference is too:
    its extremes lie at the ends, read just inside them.
    """
    f = np.geomspace(a, b, 3)
    f[0], f[-1] = a * (1 + 1e-9), b * (1 - 1e-9)
    d = cispr.level_at(line, f) - fcc.level_at(fcc_line, f, cispr.distance_m)
    if np.isnan(d).any():
        return None
    return LevelDifference(a, b, round(float(d.min()), 2), round(float(d.max()), 2))


def _merged(pieces: Sequence[LevelDifference]) -> list[LevelDifference]:
    """Join neighbouring ranges with one and the same constant difference."""
    out: list[LevelDifference] = []
    for p in pieces:
        last = out[-1] if out else None
        if (
            last is not None
            and math.isclose(last.stop_hz, p.start_hz)
            and last.low_db == last.high_db == p.low_db == p.high_db
        ):
            out[-1] = LevelDifference(last.start_hz, p.stop_hz, p.low_db, p.high_db)
        else:
            out.append(p)
    return out


def limit_differences(cispr: LimitTable, fcc: LimitTable) -> dict[str, list[LevelDifference]]:
    """Return the CISPR minus the FCC limit, line by line, over the ranges both define [dB].

    Parameters
    ----------
    cispr, fcc : LimitTable
        The CISPR 32 table and the FCC table of its class and port. A radiated FCC table is
        re-expressed at the CISPR table's distance by 47 CFR 15.31(f)(1).

    Returns
    -------
    dict of str to list of LevelDifference
        By CISPR line name (a line whose detector the FCC table has no line for: absent),
        in frequency order; neighbouring ranges of one constant difference joined.
    """
    out: dict[str, list[LevelDifference]] = {}
    for spec in cispr.lines:
        fcc_line = _fcc_line(fcc, spec)
        if fcc_line is None:
            continue
        edges = _edges(cispr, fcc, *cispr.line_range(spec.name))
        pieces = [
            _difference(cispr, spec.name, fcc, fcc_line, a, b)
            for a, b in zip(edges, edges[1:], strict=False)
        ]
        found = _merged([p for p in pieces if p is not None])
        if found:
            out[spec.name] = found
    return out


def _listed(items: Sequence[str]) -> str:
    """Join ``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _describe(pieces: Sequence[LevelDifference]) -> str:
    """One line's comparison: where more lenient (by how much), stricter, the same."""
    by_kind = {k: [p for p in pieces if p.kind == k] for k in ("lenient", "stricter", "mixed")}
    parts = [
        f"{word} by " + _listed([f"{p.amount()} over {p.range_text}" for p in by_kind[kind]])
        for kind, word in (("lenient", "more lenient"), ("stricter", "stricter"))
        if by_kind[kind]
    ]
    parts += [
        f"from {abs(p.low_db):.2f} dB stricter to {p.high_db:.2f} dB more lenient over "
        f"{p.range_text}"
        for p in by_kind["mixed"]
    ]
    same = [p.range_text for p in pieces if p.kind == "same"]
    if same:
        parts.append(f"the same over {_listed(same)}")
    return "; ".join(parts)


def _against(cispr: LimitTable, fcc: LimitTable) -> str:
    """``fcc-15.109-a re-expressed from 10 m to 3 m by 47 CFR 15.31(f)(1) (+10.46 dB)``."""
    d_cispr, d_fcc = cispr.distance_m, fcc.distance_m
    if cispr.port != "radiated" or d_cispr is None or d_fcc is None:
        return fcc.id
    if math.isclose(d_cispr, d_fcc):
        return f"{fcc.id} at {d_fcc:g} m"
    return (
        f"{fcc.id} re-expressed from {d_fcc:g} m to {d_cispr:g} m by 47 CFR 15.31(f)(1) "
        f"({float(distance_offset_db(F_DISTANCE_SPLIT_HZ, d_fcc, d_cispr)):+.2f} dB)"
    )


def _comparison(cispr: LimitTable, fcc: LimitTable) -> str:
    """Return the sentences comparing the two tables, lines compared alike named together."""
    groups: dict[str, list[str]] = {}
    for line, pieces in limit_differences(cispr, fcc).items():
        groups.setdefault(_describe(pieces), []).append(line)
    if not groups:
        return ""
    said = [
        f"the {_listed(lines)} limit{'s are' if len(lines) > 1 else ' is'} {text}"
        for text, lines in groups.items()
    ]
    said[0] = f"Against {_against(cispr, fcc)}, {said[0]}"
    return ". ".join(s[0].upper() + s[1:] for s in said)


def fcc_basis_note(table: LimitTable, judged_ids: Collection[str] = ()) -> str:
    """Return the note saying a CISPR 32 table is no FCC basis ("" for another table).

    Its first sentence says the result is not a 47 CFR Part 15 result; then, where the
    shipped FCC table of the class and port is found, where the CISPR limits are more lenient
    (by how much, over which range), stricter and the same (:func:`limit_differences`); a
    radiated table adds that the 15.109(g) alternative has conditions rfcheck does not check
    (docs/references.md §2g). It ends naming the FCC table to judge against too, or, when
    that table is among ``judged_ids`` (the run judged it), saying its results are the FCC
    ones.
    """
    if table.regime != "cispr32":
        return ""
    head = f"{table.id}: {NOT_FCC_BASIS}: this result is not a 47 CFR Part 15 result"
    fcc = fcc_counterpart(table)
    sentences = [head]
    if fcc is not None and (said := _comparison(table, fcc)):
        sentences.append(said)
    tail = f"judge against {fcc.id if fcc else 'the FCC table of the class'} too"
    if fcc is not None and fcc.id in judged_ids:
        tail = f"the FCC result is {fcc.id}'s, judged here too"
    if table.port == "radiated":
        tail = f"the 15.109(g) alternative has conditions rfcheck does not check; {tail}"
    sentences.append(tail[0].upper() + tail[1:])
    return ". ".join(sentences)
