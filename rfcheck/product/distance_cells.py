"""A port's cells judged from its pools at several distances: the worse judgement decides.

A polarisation measured at 10 m from 30 MHz to 1 GHz and at 3 m above has a pool per
distance (:func:`rfcheck.product.port_pool.pools_by_distance`), each judged against the
limits re-expressed at its distance (47 CFR 15.31(f)(1)). Each required cell is then
judged from every pool (:func:`~rfcheck.product.cells.judge_pool_cells`) and the
judgements merged (:func:`merge_cells`):

* a pool measured the cell when one of its captures overlaps it, or it fails the cell (a
  reading over the limit at the cell's edge); the others say nothing of the cell;
* the cell's verdict is the worst of those pools' (FAIL > ERROR > INCONCLUSIVE), else
  MISSING where no pool measured a sub-range, else PASS: the 10 m pool may cover the QP
  cell and the 3 m pool the AV and PK cells, and a cell both measured is judged by both,
  the worse deciding (the record names both distances);
* the worst point, its margin and basis are the deciding pool's (each margin is against the
  limit at its own distance), and ``distance_m`` is that pool's.

With one pool (one distance, or a mains line) the cell is that pool's judgement. See
``docs/dossier.md``, "Measurement distances".
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from ..frequency import format_mhz_range
from ..results import CaptureResult, ErrorRecord
from ..verdict.coverage import subtract, union
from .assign import Assigned, UnreadableCapture
from .cells import Cell, CellState, judge_pool_cells, with_port_captures
from .decision import PortRule
from .plan import RequiredCell
from .port_pool import DistancePool

__all__ = [
    "PortCells",
    "cell_distance_text",
    "merge_cells",
    "quiet_notes",
    "judge_port_cells",
    "errored_result",
]

#: How much a cell state weighs when two pools judge one cell (lower decides).
_WEIGHT = {
    CellState.FAIL: 0,
    CellState.ERROR: 1,
    CellState.INCONCLUSIVE: 2,
    CellState.MISSING: 3,
    CellState.PASS: 3,
}
#: The states a pool's judgement passes on whatever the others say.
_DECIDED = (CellState.FAIL, CellState.ERROR, CellState.INCONCLUSIVE)


def _measured(c: Cell) -> bool:
    """Whether a pool measured a cell: a capture of it overlaps the cell, or it fails it.

    A pool none of whose captures overlaps the cell reads at most its edge (the first point
    of a 1-6 GHz scan at 1000 MHz, the end of the QP cell): a reading over the limit there
    is a fact and fails the cell, but an upper bound there says nothing the pool measuring
    the cell does not settle (as when both captures are one pool).
    """
    return bool(c.captures) or c.state is CellState.FAIL


def _deciding(subs: Sequence[tuple[float | None, Cell]]) -> tuple[float | None, Cell]:
    """Return the judgement that decides: the worst state, then the smallest margin."""

    def weight(dc: tuple[float | None, Cell]) -> tuple[int, float, float]:
        c = dc[1]
        margin = math.inf if c.worst_margin_db is None else c.worst_margin_db
        return (_WEIGHT[c.state], margin, c.worst_frequency_hz or 0.0)

    return min(subs, key=weight)


def _missing_everywhere(
    cell: RequiredCell, subs: Sequence[Cell]
) -> tuple[tuple[float, float], ...]:
    """Return the sub-ranges of ``cell`` that no pool measured [Hz] (ERROR pools: none known)."""
    whole = [(cell.start_hz, cell.stop_hz)]
    missing = whole
    for c in subs:
        if c.state is CellState.ERROR:
            continue
        missing = subtract(missing, subtract(whole, list(c.missing_hz)))
    if all(c.state is CellState.ERROR for c in subs):
        return ()
    return tuple(union(missing))


def merge_cells(required: RequiredCell, subs: Sequence[tuple[float | None, Cell]]) -> Cell:
    """Return one cell from its judgements by each pool (``(distance [m], cell)``).

    See the module docstring. One judgement: that judgement, naming its distance when it
    measured the cell.
    """
    measured = [(d, c) for d, c in subs if _measured(c)]
    if not measured:  # no pool measured it: what they read of it, the worst deciding
        return _deciding(subs)[1]
    if len(measured) == 1:
        d, c = measured[0]
        return replace(c, distance_m=d, distances_m=() if d is None else (d,))
    d, decisive = _deciding(measured)
    missing = _missing_everywhere(required, [c for _, c in measured])
    state = decisive.state
    if state not in _DECIDED:
        state = CellState.MISSING if missing else CellState.PASS
    captures = tuple(dict.fromkeys(p for _, c in measured for p in c.captures))
    distances = tuple(dict.fromkeys(x for x, _ in measured if x is not None))
    return replace(
        decisive,
        state=state,
        captures=captures,
        missing_hz=missing if state is not CellState.ERROR else (),
        distance_m=d,
        distances_m=distances,
    )


def errored_result(label: str) -> CaptureResult:
    """Return a stand-in pooled result for captures that could not be combined (ERROR)."""
    from ..outcome import Verdict

    return CaptureResult(path=label, sha256=None, format=None, verdict=Verdict.ERROR)


@dataclass(frozen=True, eq=False)
class PortCells:
    """A port's cells: merged over its pools, and each pool's own (for its final table)."""

    cells: tuple[Cell, ...]
    per_pool: tuple[tuple[Cell, ...], ...]

    def measured_lines(self, i: int) -> frozenset[tuple[str, str]] | None:
        """Return the (limit id, line) of the cells pool ``i`` measured; None for one pool."""
        if len(self.per_pool) == 1:
            return None
        return frozenset(
            (c.required.limit_id, c.required.line) for c in self.per_pool[i] if _measured(c)
        )

    def touched_lines(self, i: int) -> frozenset[tuple[str, str]]:
        """Return the (limit id, line) pool ``i`` only touches while another pool measures it.

        A pool none of whose captures overlaps a cell reads at most its end point (a 1-6 GHz
        scan's first point at 1000 MHz, the end of the 30-1000 MHz QP cell); where another
        pool measured the cell, that point decides only if it fails (:func:`_measured`), and
        what the pool says of the line there (``no reading bounds the quasi-peak level``) is
        no note of the cell: :func:`quiet_notes` leaves it out. Empty for one pool, and for
        a cell no other pool measured (the point is then the only reading of it).
        """
        if len(self.per_pool) == 1:
            return frozenset()
        own = self.per_pool[i]
        others = [p for j, p in enumerate(self.per_pool) if j != i]
        touched = {
            (c.required.limit_id, c.required.line)
            for k, c in enumerate(own)
            if not _measured(c) and any(_measured(p[k]) for p in others)
        }
        measured = {(c.required.limit_id, c.required.line) for c in own if _measured(c)}
        return frozenset(touched - measured)

    def notes(self) -> tuple[str, ...]:
        """Say, per cell judged at two distances, which decided (the worse)."""
        return tuple(two_distances_note(c) for c in self.cells if len(c.distances_m) > 1)


def quiet_notes(notes: Sequence[str], touched: Collection[tuple[str, str]]) -> tuple[str, ...]:
    """Return ``notes`` without those naming a line of ``touched`` (``fcc-15.109-a QP``).

    ``touched``: :meth:`PortCells.touched_lines` of the pool the notes are from. A note of
    a line names it as ``<limit id> <line>`` (:func:`rfcheck.verdict.line.judge_line`, and
    the bandwidth rules' ``over part of fcc-15.109-a QP``); notes naming no line are kept.
    """
    if not touched:
        return tuple(notes)
    names = "|".join(re.escape(f"{limit_id} {line}") for limit_id, line in sorted(touched))
    named = re.compile(rf"(?<![\w.-])(?:{names})(?![\w.-])")
    return tuple(n for n in notes if not named.search(n))


def cell_distance_text(c: Cell, several: bool) -> str:
    """Say at which distance a radiated cell was judged ("" at one distance for the unit).

    ``judged at 3 m``; measured at two: ``judged at 10 m and at 3 m, the worse (3 m)
    decides``. ``several``: whether the unit's radiated cells were judged at more than one
    distance (:attr:`rfcheck.product.dossier.UnitDossier.several_distances`): page 1's
    "Decided by", the terminal's and the entry sheet's deciding cell say it alike.
    """
    if not several or not c.distances_m:
        return ""
    if len(c.distances_m) == 1:
        return f"judged at {c.distances_m[0]:g} m"
    at = " and at ".join(f"{m:g} m" for m in c.distances_m)
    decided = f" ({c.distance_m:g} m)" if c.distance_m is not None else ""
    return f"judged at {at}, the worse{decided} decides"


def two_distances_note(c: Cell) -> str:
    """``H QP 30-1000 MHz (fcc-15.109-a): judged at 10 m and at 3 m; the worse decides: 3 m``."""
    r = c.required
    at = " and at ".join(f"{d:g} m" for d in c.distances_m)
    decided = f"{c.distance_m:g} m" if c.distance_m is not None else "neither"
    return (
        f"{r.port} {r.line} {format_mhz_range(r.start_hz, r.stop_hz)} ({r.limit_id}): measured "
        f"at {at}, each judged against the limit at its own distance; the worse decides: "
        f"{c.state.value} at {decided}"
    )


def judge_port_cells(
    port: str,
    cells: Sequence[RequiredCell],
    pools: Sequence[DistancePool],
    assigned: Sequence[Assigned],
    errors: Sequence[ErrorRecord],
    rule: PortRule | None,
) -> PortCells:
    """Judge the port's required ``cells`` from each of its ``pools``, then merge them.

    Each pool as :func:`~rfcheck.product.cells.judge_pool_cells` (a pool that is ERROR
    without a member of its own to blame: a stand-in ERROR result); the merged cells then
    name the port's captures that could not be used and those set aside
    (:func:`~rfcheck.product.cells.with_port_captures`).
    """
    per_pool = []
    for dp in pools:
        pool = dp.pool
        pooled = pool.result
        if pooled is None and pool.errors and not pool.failed:
            pooled = errored_result(port)
        per_pool.append(
            judge_pool_cells(
                cells,
                pooled,
                [(str(m.path), m.span_hz) for m in dp.members],
                failed=pool.failed,
                rule=rule,
            )
        )
    unreadable = [e.path for e in errors if isinstance(e, UnreadableCapture) and e.port == port]
    other = [(str(a.path), a.span_hz) for a in assigned if a.other_device and a.port == port]
    shared = [(str(a.path), a.span_hz) for a in assigned if a.shared and a.port == port]
    distances = [dp.distance_m for dp in pools]
    merged = tuple(
        with_port_captures(
            merge_cells(cell, [(d, j[i]) for d, j in zip(distances, per_pool, strict=True)]),
            unreadable,
            other,
            shared,
        )
        for i, cell in enumerate(cells)
    )
    return PortCells(merged, tuple(per_pool))
