"""A port's readings over a limit outside every required cell, judged for the dossier.

:func:`port_beyond` takes the port's pooled readings over a limit outside its cells
(:func:`rfcheck.product.beyond.beyond_findings`) and judges its captures above every cell
(:func:`judge_above`, with no 15.33(b)(1) bound: nothing there is required); each finding
gets a final-table row marked beyond the required range. Each pool is judged at its own
measurement distance (:func:`rfcheck.product.port_pool.pools_by_distance`). See
``docs/dossier.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..results import CaptureResult, ErrorRecord
from ..verdict import CorrectedTrace
from .assign import Assigned
from .beyond import BeyondFinding, beyond_findings, beyond_note
from .final_table import FinalRow, final_table
from .plan import PortKind, RequiredCell, TestPlan
from .port_pool import DistancePool, pools_by_distance

__all__ = ["AboveCells", "PortBeyond", "beyond_rows", "judge_above", "port_beyond"]


def beyond_rows(
    port: str,
    pooled: CaptureResult,
    found: Sequence[BeyondFinding],
    distance_m: float | None,
    traces: Sequence[CorrectedTrace],
    captures: Sequence[str] | None = None,
) -> tuple[FinalRow, ...]:
    """Return the final-table rows of the readings over a limit outside every cell.

    Each marked beyond the required range; all of them, whatever the six rows hold.
    ``distance_m``: the pool's measurement distance [m] (None: conducted); ``captures``:
    the capture each of ``traces`` was read from (each value names it).
    """
    mine = [(b.limit_id, b.line, round(b.frequency_hz, 3)) for b in found]
    fails = tuple(
        s for s in pooled.suspects if (s.limit_id, s.line, round(s.frequency_hz, 3)) in mine
    )
    rows = final_table(
        port,
        replace(pooled, suspects=fails),
        distance_m,
        [(s.frequency_hz, s.frequency_hz) for s in fails],
        rows=len(fails),
        traces=traces,
        captures=captures,
    )
    return tuple(replace(r, beyond_required=True) for r in rows)


def _pool_beyond(
    port: str, dp: DistancePool, cells: Sequence[RequiredCell]
) -> tuple[tuple[BeyondFinding, ...], tuple[FinalRow, ...]]:
    """Return one pool's readings over a limit outside every cell, and their rows."""
    pool = dp.pool
    found = beyond_findings(port, pool.result, cells, dp.distance_m)
    if not found or pool.result is None:
        return found, ()
    return found, beyond_rows(port, pool.result, found, dp.distance_m, pool.traces, pool.captures)


@dataclass(frozen=True, eq=False)
class AboveCells:
    """A port's captures above every cell, judged: findings, final rows and the note.

    ``pools``: one per measurement distance.
    """

    pools: tuple[DistancePool, ...]
    findings: tuple[BeyondFinding, ...]
    rows: tuple[FinalRow, ...]
    note: str

    @property
    def errors(self) -> tuple[ErrorRecord, ...]:
        """The error rows of the pools."""
        return tuple(e for dp in self.pools for e in dp.pool.errors)


def judge_above(
    port: str, above: Sequence[Assigned], plan: TestPlan, cells: Sequence[RequiredCell]
) -> AboveCells:
    """Judge a port's captures above every cell (:mod:`rfcheck.product.beyond`).

    They are pooled (one pool per measurement distance) and judged against the port's
    limits with no 15.33(b)(1) bound (nothing there is required, so nothing there is
    missing); only their readings over a limit count.
    """
    unbounded = [replace(a, settings=replace(a.settings, highest_frequency_hz=None)) for a in above]
    radiated = plan.port_kind(port) is PortKind.POLARISATION
    pools = pools_by_distance(port, unbounded, radiated)
    found, rows = _pools_beyond(port, pools, cells)
    span = (min(a.span_hz[0] for a in above), max(a.span_hz[1] for a in above))
    note = beyond_note(
        port, span, [str(a.path) for a in above], plan.upper_frequency_hz, bool(found)
    )
    return AboveCells(pools, tuple(found), tuple(rows), note)


def _pools_beyond(
    port: str, pools: Sequence[DistancePool], cells: Sequence[RequiredCell]
) -> tuple[list[BeyondFinding], list[FinalRow]]:
    """Return the findings beyond the cells of each pool (one per distance) and their rows."""
    found: list[BeyondFinding] = []
    rows: list[FinalRow] = []
    for dp in pools:
        f, r = _pool_beyond(port, dp, cells)
        found += f
        rows += r
    return found, rows


@dataclass(frozen=True, eq=False)
class PortBeyond:
    """A port's readings over a limit outside every cell, with their final-table rows.

    ``errors`` and ``notes``: those of the port's captures above every cell (none when it
    has none).
    """

    findings: tuple[BeyondFinding, ...]
    rows: tuple[FinalRow, ...]
    errors: tuple[ErrorRecord, ...] = ()
    notes: tuple[str, ...] = ()


def port_beyond(
    port: str,
    pools: Sequence[DistancePool],
    above: Sequence[Assigned],
    plan: TestPlan,
    cells: Sequence[RequiredCell],
) -> PortBeyond:
    """Return the port's findings beyond its cells: its pools', then its captures' above them."""
    found, rows = _pools_beyond(port, pools, cells)
    if not above:
        return PortBeyond(tuple(found), tuple(rows))
    judged = judge_above(port, above, plan, cells)
    return PortBeyond(
        (*found, *judged.findings),
        (*rows, *judged.rows),
        judged.errors,
        (judged.note,),
    )
