"""The test record of one product unit, and its verdict.

:func:`judge_unit` pools each port's captures (:func:`rfcheck.combine.analyse_combined`),
judges every required cell (:mod:`rfcheck.product.cells`), builds each port's final table
(:mod:`rfcheck.product.final_table`) and records the inputs with their SHA-256.

The unit verdict (:attr:`UnitDossier.verdict`): FAIL if any cell fails; else ERROR if a
capture could not be used (an error row) or judged (a cell of a port whose capture could not
be read is ERROR, naming the file, not MISSING); else INCONCLUSIVE if any cell is
undecided; else INCOMPLETE if any required cell or sub-range is MISSING; else PASS. The same
precedence as ``check`` (:func:`rfcheck.outcome.combine_verdicts`). See ``docs/dossier.md``.

A capture whose header states another device than the unit's
(:attr:`~rfcheck.product.assign.Assigned.other_device`) is judged for no cell: the cells it
would fill read MISSING for this unit, naming it (:attr:`UnitDossier.other_device`); so is
a capture whose content is also filed under another unit (:attr:`UnitDossier.shared`).

The levels of an I/Q recording are computed by rfcheck's CISPR 16-1-1 receiver model, not
read by an instrument: :attr:`UnitDossier.computed` names such captures and
:func:`receiver_note` says so wherever their values are reported.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..errors import RfcheckError
from ..limits import load_shipped
from ..limits.distance import F_DISTANCE_SPLIT_HZ, distance_offset_db
from ..limits.measurement_range import boundary_note
from ..outcome import Verdict, combine_verdicts, exit_code_for
from ..report.assumed_text import assumed_dwell_line, assumed_scale_line
from ..results import CaptureResult, ErrorRecord, InputFile
from ..settings import Setup
from ..verdict.coverage import union
from ..verdict.traces import computed_levels_note
from .assign import RECORDING_FORMATS, Assigned
from .beyond import BeyondFinding
from .beyond_judge import PortBeyond, port_beyond
from .cells import Cell, cell_verdict
from .decision import PortRule, port_rule, rule_json, rule_warnings
from .distance_cells import judge_port_cells, quiet_notes
from .final_table import (
    ROWS_PER_PORT,
    FinalRow,
    NoEmission,
    TableCell,
    cells_without_emission,
    final_table,
)
from .plan import PortKind, RequiredCell, TestPlan, no_radiated_cell_text
from .port_pool import Pooled, pools_by_distance
from .repeat_captures import repeat_notes
from .set_aside import OtherDevice, SharedCapture
from .unit_inputs import unit_inputs

__all__ = [
    "JudgedLimit",
    "PortResult",
    "UnitDossier",
    "judge_unit",
    "receiver_note",
    "unit_verdict",
]


def receiver_note(path: str) -> str:
    """Say that the levels of the recording ``path`` were computed by rfcheck's receiver model.

    Printed in the notes, the per-cell detail and under the final-measurement tables, so a
    value drawn from an I/Q recording is never read as a calibrated receiver's reading.
    """
    return (
        f"{path}: I/Q recording; its peak, quasi-peak and average levels were computed from it "
        f"by rfcheck's CISPR 16-1-1 receiver model (rfcheck {__version__}), not read by a "
        "calibrated receiver (its validation status is in the record's findings)"
    )


def _receiver_computed(a: Assigned) -> bool:
    """Whether ``a``'s levels come from the receiver model (an I/Q recording)."""
    c = a.capture
    if c is None:
        return False
    return c.is_time_domain or (
        c.provenance is not None and c.provenance.format in RECORDING_FORMATS
    )


@dataclass(frozen=True)
class JudgedLimit:
    """A limit table the unit's cells were judged against, as the record names it.

    A radiated table specified at another distance than the measurement's was re-expressed
    at the measurement distance (47 CFR 15.31(f)(1), 20 dB/decade at and above 30 MHz): the
    record says so with the dB, so that a reader never compares a 3 m level with a 10 m
    limit. A table judged at two distances (10 m below 1 GHz, 3 m above) is two of these.

    Attributes
    ----------
    limit_id : str
    title : str
        The table's title ("" when rfcheck cannot load it).
    port : str
        ``"radiated"`` or ``"conducted"`` ("" when the table cannot be loaded).
    distance_m : float or None
        Distance the table specifies its limits at (radiated). [m]
    measurement_distance_m : float or None
        The measurement distance the limits were judged at (radiated only). [m]
    distance_offset_db : float or None
        What the re-expression added to the limit at and above 30 MHz (0 at the specified
        distance; None: no distance applies). [dB]
    distance_note : str
        The same in words (:meth:`rfcheck.limits.LimitTable.distance_note`); "" for a
        conducted table.

    References
    ----------
    47 CFR 15.31(f)(1).
    """

    limit_id: str
    title: str = ""
    port: str = ""
    distance_m: float | None = None
    measurement_distance_m: float | None = None
    distance_offset_db: float | None = None
    distance_note: str = ""

    @classmethod
    def of(cls, limit_id: str, distance_m: float | None) -> JudgedLimit:
        """Describe the shipped table ``limit_id`` judged at ``distance_m`` [m].

        None: at the table's specified distance (a conducted table: no distance).
        """
        try:
            table = load_shipped(limit_id)
        except RfcheckError:
            return cls(limit_id)
        if table.port != "radiated" or table.distance_m is None:
            return cls(limit_id, table.title, table.port, table.distance_m)
        distance_m = table.distance_m if distance_m is None else distance_m
        offset = float(distance_offset_db(F_DISTANCE_SPLIT_HZ, table.distance_m, distance_m))
        return cls(
            limit_id,
            table.title,
            table.port,
            table.distance_m,
            distance_m,
            round(offset, 2) + 0.0,
            table.distance_note(distance_m),
        )

    def to_json(self) -> dict[str, Any]:
        """Return the table as a JSON-ready mapping."""
        return {
            "id": self.limit_id,
            "title": self.title,
            "port": self.port or None,
            "distance_m": self.distance_m,
            "measurement_distance_m": self.measurement_distance_m,
            "distance_offset_db": self.distance_offset_db,
            "distance_note": self.distance_note,
        }


@dataclass(frozen=True, eq=False)
class PortResult:
    """One port's pooled measurement (None when no capture was assigned to it).

    A polarisation measured at two distances has one per distance (``distance_m`` [m]; None
    for a mains line or a port with no capture).
    """

    port: str
    captures: tuple[str, ...]
    pooled: CaptureResult | None
    distance_m: float | None = None


def unit_verdict(
    cells: Sequence[Cell], errors: Sequence[ErrorRecord], beyond: Sequence[BeyondFinding] = ()
) -> Verdict:
    """FAIL > ERROR > INCONCLUSIVE > INCOMPLETE (a MISSING cell) > PASS.

    A reading over a limit beyond the required range (``beyond``) fails the unit too.
    """
    verdicts = [cell_verdict(c.state) for c in cells]
    if errors:
        verdicts.append(Verdict.ERROR)
    if beyond:
        verdicts.append(Verdict.FAIL)
    return combine_verdicts(verdicts) if verdicts else Verdict.INCOMPLETE


@dataclass(frozen=True, eq=False)
class UnitDossier:
    """Everything the dossier concluded about one unit (one product under test)."""

    unit: str
    plan: TestPlan
    cells: tuple[Cell, ...]
    final_rows: tuple[FinalRow, ...]
    ports: tuple[PortResult, ...]
    errors: tuple[ErrorRecord, ...] = ()
    inputs: tuple[InputFile, ...] = ()
    warnings: tuple[str, ...] = ()
    #: captures (as their cells name them) whose levels the receiver model computed
    computed: tuple[str, ...] = ()
    #: captures set aside: their headers state another device than this unit
    other_device: tuple[OtherDevice, ...] = ()
    #: captures set aside: their content is also filed under another unit
    shared: tuple[SharedCapture, ...] = ()
    #: readings over a limit outside every cell (beyond the 15.33(b)(1) range): FAIL
    beyond: tuple[BeyondFinding, ...] = ()
    #: the decision rule each judged port was judged under, with its U_lab (none: ``simple``)
    rules: tuple[PortRule, ...] = ()
    #: cells a pool measured whose traces have no local maximum: no final-table row (flat or
    #: monotone traces; the cell's worst margin is the matrix's)
    no_emission: tuple[NoEmission, ...] = ()

    def set_aside(self, port: str) -> tuple[str, ...]:
        """Return the captures of ``port`` set aside (another device's, or shared; paths)."""
        paths = [o.path for o in self.other_device if o.port == port]
        paths += [o.path for o in self.shared if o.port == port]
        return tuple(dict.fromkeys(paths))

    def shared_only(self, port: str) -> bool:
        """Whether every capture of ``port`` set aside is shared (none states another device)."""
        return not any(o.port == port for o in self.other_device) and any(
            o.port == port for o in self.shared
        )

    @property
    def verdict(self) -> Verdict:
        """The unit verdict from its cells and error rows."""
        return unit_verdict(self.cells, self.errors, self.beyond)

    @property
    def exit_code(self) -> int:
        """The exit code the unit verdict maps to."""
        return exit_code_for(self.verdict)

    @property
    def limits(self) -> tuple[JudgedLimit, ...]:
        """Each limit table of the unit's cells at each distance it was judged at (cell order).

        A radiated table judged at two distances (10 m below 1 GHz, 3 m above) is listed once
        per distance; a cell nothing measured takes the plan's distance for its range. Then a
        table that only readings beyond the required range failed (a device below 1.705 MHz
        has no radiated cell, yet a radiated reading over 15.109 fails it): the verdict rests
        on it too.
        """
        pairs: dict[tuple[str, float | None], None] = {}
        for c in self.cells:
            pairs.update(dict.fromkeys((c.required.limit_id, d) for d in self.distances_of(c)))
        pairs.update(dict.fromkeys((b.limit_id, b.distance_m) for b in self.beyond))
        return tuple(JudgedLimit.of(lid, d) for lid, d in pairs)

    def distances_of(self, c: Cell) -> tuple[float | None, ...]:
        """Return the distances a cell was judged at [m]: its own, else the plan's for it.

        ``(None,)`` for a conducted cell.
        """
        r = c.required
        if r.port_kind is not PortKind.POLARISATION:
            return (None,)
        return c.distances_m or self.plan.distances_for(r.start_hz, r.stop_hz) or (None,)

    @property
    def radiated_distances(self) -> tuple[tuple[float, tuple[tuple[float, float], ...]], ...]:
        """Each distance the unit's radiated cells were judged at [m], with their ranges [Hz].

        In the order of their lowest frequency; a cell nothing measured counts at the plan's
        distance for its range. One entry when every radiated capture shares one distance.
        """
        ranges: dict[float, list[tuple[float, float]]] = {}
        for c in self.cells:
            r = c.required
            for d in self.distances_of(c):
                if d is not None:
                    ranges.setdefault(d, []).append((r.start_hz, r.stop_hz))
        for b in self.beyond:
            if b.distance_m is not None:
                ranges.setdefault(b.distance_m, []).append((b.frequency_hz, b.frequency_hz))
        merged = [(d, tuple(union(rs))) for d, rs in ranges.items()]
        return tuple(sorted(merged, key=lambda x: (x[1][0][0], x[0])))

    def ports_at(self, distance_m: float) -> tuple[str, ...]:
        """Return the polarisations judged at ``distance_m`` [m], in the plan's order.

        Those of the cells judged there, and of the readings beyond the required range.
        """
        at = {c.required.port for c in self.cells if distance_m in self.distances_of(c)}
        at |= {b.port for b in self.beyond if b.distance_m == distance_m}
        return tuple(p for p in self.plan.polarisations if p in at)

    @property
    def several_distances(self) -> bool:
        """Whether the unit's radiated judgements were made at more than one distance.

        Then every radiated margin the record, the terminal and the entry sheet show names
        the distance it was judged at (a margin is against the limit at its own distance).
        """
        return len(self.radiated_distances) > 1

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the unit verdict takes on trust that no capture states, one line per port.

        ``ASSUMED DWELL``: a port whose lines rest on an instrument's quasi-peak or
        CISPR-average readings with no stated dwell (taken as settled; never for a FAIL
        unit, which stands whatever the dwell). ``ASSUMED SCALE``: a port whose levels rest on
        the default 1 V scale of a recording that states none (any verdict). None for ERROR.
        """
        if self.verdict is Verdict.ERROR:
            return ()
        dwell: list[str] = []
        need = 0.0
        scale: list[str] = []
        for p in self.ports:
            r = p.pooled
            if r is None:
                continue
            basis = r.assumed_dwell_basis if self.verdict is not Verdict.FAIL else ()
            if basis:
                dwell.append(f"{p.port} {', '.join(c.line for c in basis)}")
                need = max(need, *(c.assumed_dwell_s or 0.0 for c in basis))
            if r.assumed_scale:
                scale.append(p.port)
        out = [assumed_dwell_line(need, "; ".join(dwell))] if dwell else []
        out += [assumed_scale_line(", ".join(scale))] if scale else []
        return tuple(out)

    def rows_of(self, port: str) -> tuple[FinalRow, ...]:
        """Return the final table of one port, worst first."""
        return tuple(r for r in self.final_rows if r.port == port)

    def no_emission_of(self, port: str) -> tuple[NoEmission, ...]:
        """Return the cells of ``port`` whose traces have no local maximum (no row)."""
        return tuple(n for n in self.no_emission if n.port == port)

    @property
    def no_radiated_cell(self) -> str:
        """Say why the plan has polarisations but no radiated cell ("" when it has one).

        :func:`~.plan.no_radiated_cell_text` of the unit's cells (an upper frequency of 30 MHz,
        where the 15.109 limits start): it follows the upper frequency where it is printed.
        """
        return no_radiated_cell_text(self.plan, (c.required for c in self.cells))

    def plan_json(self) -> dict[str, Any]:
        """Return the plan for ``dossier.json``: the 15.33(b)(1) range with what it rests on.

        :meth:`TestPlan.to_json` (the plan the report id and ``rfcheck verify`` hash,
        unchanged), with the highest internal frequency it is derived from, the note on a
        highest frequency at a row boundary of the 15.33(b)(1) table, and why no radiated
        cell is required (each None when there is nothing to say): what ``dossier.html`` and
        the PDF print beside the upper frequency.
        """
        p = self.plan
        return {
            **p.to_json(),
            "highest_internal_frequency_hz": p.highest_frequency_hz,
            "upper_frequency_note": boundary_note(p.highest_frequency_hz) or None,
            "no_radiated_cell": self.no_radiated_cell.removeprefix(", ") or None,
        }

    def to_json(self) -> dict[str, Any]:
        """Return the unit dossier as a JSON-ready mapping."""
        return {
            "unit": self.unit,
            "verdict": self.verdict.value,
            "plan": self.plan_json(),
            "limits": [t.to_json() for t in self.limits],
            "cells": [c.to_json() for c in self.cells],
            "final_measurements": [r.to_json() for r in self.final_rows],
            "final_no_emission": [n.to_json() for n in self.no_emission],
            "errors": [e.to_json() for e in self.errors],
            "warnings": list(self.warnings),
            "assumptions": list(self.assumptions),
            "computed_by_receiver_model": list(self.computed),
            "other_device": [o.to_json() for o in self.other_device],
            "shared_content": [o.to_json() for o in self.shared],
            "beyond_required_range": [b.to_json() for b in self.beyond],
            "inputs": [i.to_json() for i in self.inputs],
            **({"decision_rule": rule_json(self.rules)} if self.rules else {}),
        }


def judge_unit(
    unit: str,
    plan: TestPlan,
    cells: Sequence[RequiredCell],
    assigned: Sequence[Assigned],
    errors: Sequence[ErrorRecord],
    setup: Setup,
) -> UnitDossier:
    """Judge one unit: pool each port, judge its cells, build its final table.

    Parameters
    ----------
    unit : str
    plan : TestPlan
    cells : sequence of RequiredCell
        The required matrix (every port).
    assigned : sequence of Assigned
        The unit's captures placed in ports (:func:`rfcheck.product.assign.assign`).
    errors : sequence of ErrorRecord
        The unit's error rows so far (captures that fit no cell).
    setup : Setup
    """
    own = [a for a in assigned if not a.set_aside]  # another device's, or shared: no evidence
    computed = tuple(str(a.path) for a in own if _receiver_computed(a))
    judged = [
        _judge_port(port, plan, [c for c in cells if c.port == port], assigned, errors, computed)
        for port in plan.ports
    ]
    rules = [j.rule for j in judged if j.rule is not None]
    beyond = [b for j in judged for b in j.beyond.findings]
    return UnitDossier(
        unit=unit,
        plan=plan,
        cells=tuple(c for j in judged for c in j.cells),
        final_rows=tuple(r for j in judged for r in j.rows),
        ports=tuple(r for j in judged for r in j.results),
        errors=(*errors, *(e for j in judged for e in j.errors)),
        inputs=unit_inputs(assigned, setup, plan, cells, errors),
        warnings=(*(w for j in judged for w in j.warnings), *rule_warnings(rules)),
        computed=computed,
        other_device=tuple(a.other_device for a in assigned if a.other_device is not None),
        shared=tuple(a.shared for a in assigned if a.shared is not None),
        beyond=tuple(sorted(beyond, key=lambda b: (b.margin_db, b.frequency_hz))),
        rules=tuple(rules),
        no_emission=tuple(n for j in judged for n in j.no_emission),
    )


@dataclass(frozen=True, eq=False)
class _PortJudged:
    """One port judged: its pooled results (one per distance), cells, rows, errors and notes."""

    results: tuple[PortResult, ...]
    cells: tuple[Cell, ...]
    rows: tuple[FinalRow, ...]
    errors: tuple[ErrorRecord, ...]
    warnings: tuple[str, ...]
    beyond: PortBeyond
    rule: PortRule | None
    no_emission: tuple[NoEmission, ...] = ()


def _judge_port(
    port: str,
    plan: TestPlan,
    cells: Sequence[RequiredCell],
    assigned: Sequence[Assigned],
    errors: Sequence[ErrorRecord],
    computed: Sequence[str],
) -> _PortJudged:
    """Pool the port's own captures per distance, judge its ``cells``, build its final rows.

    A polarisation's captures measured at two distances are two pools, each judged at its
    own (:func:`~rfcheck.product.port_pool.pools_by_distance`); each cell takes the worse of
    their judgements (:mod:`rfcheck.product.distance_cells`). The rows: the port's six over
    every pool (:func:`_final_rows`, each naming its distance), then every reading beyond its
    cells (:func:`~rfcheck.product.beyond_judge.port_beyond`), marked.
    """
    own = [a for a in assigned if not a.set_aside and a.port == port]
    members = [a for a in own if not a.beyond_required]
    kind = plan.port_kind(port)
    pools = pools_by_distance(port, members, kind is PortKind.POLARISATION)
    rule = port_rule(port, kind, members[0].settings) if members and kind else None
    beyond = port_beyond(port, pools, [a for a in own if a.beyond_required], plan, cells)
    judged = judge_port_cells(port, cells, pools, assigned, errors, rule)
    rows: list[FinalRow] = []
    notes: list[str] = []
    flat: list[NoEmission] = []
    for i, (dp, pool_cells) in enumerate(zip(pools, judged.per_pool, strict=True)):
        result = dp.pool.result
        if result is not None and result.verdict is not Verdict.ERROR:
            lines = judged.measured_lines(i)  # of several pools, each reads what it measured
            read = _table_cells(pool_cells, lines)
            rows += _final_rows(port, result, dp.pool, dp.distance_m, read, pool_cells, lines)
            flat += [
                NoEmission(port, c, dp.distance_m)
                for c in cells_without_emission(dp.pool.traces, read)
            ]
            # a port measured at two distances: each pool's notes say which (H at 3 m: ...)
            label = port if len(pools) == 1 else f"{port} at {dp.distance_m:g} m"
            touched = judged.touched_lines(i)  # its end point only: no note of the cell
            notes += _port_notes(label, result, dp.members, computed, touched)
    rows.sort(key=lambda r: (r.worst.margin_db, r.frequency_hz))
    six = tuple(rows[:ROWS_PER_PORT])
    return _PortJudged(
        tuple(
            PortResult(port, tuple(str(m.path) for m in dp.members), dp.pool.result, dp.distance_m)
            for dp in pools
        ),
        judged.cells,
        (*six, *beyond.rows),  # after the port's six: all of them, marked
        (*(e for dp in pools for e in dp.pool.errors), *beyond.errors),
        tuple(dict.fromkeys((*beyond.notes, *notes, *repeat_notes(six), *judged.notes()))),
        beyond,
        rule,
        tuple(flat),
    )


def _table_cells(
    port_cells: Sequence[Cell], lines: Collection[tuple[str, str]] | None
) -> tuple[TableCell, ...]:
    """Return the cells a pool's final table lists emissions of: those it measured.

    ``lines``: :meth:`~rfcheck.product.distance_cells.PortCells.measured_lines` (None: one
    pool, every cell with a capture of it).
    """
    required = [c.required for c in port_cells if c.captures]
    return tuple(
        TableCell(r.limit_id, r.line, r.start_hz, r.stop_hz)
        for r in required
        if lines is None or (r.limit_id, r.line) in lines
    )


def _final_rows(
    port: str,
    pooled: CaptureResult,
    pool: Pooled,
    distance: float | None,
    read: Sequence[TableCell],
    port_cells: Sequence[Cell],
    lines: Collection[tuple[str, str]] | None = None,
) -> tuple[FinalRow, ...]:
    """Return the pool's final-table rows: the emissions of the cells it reads (``read``).

    ``pooled``: ``pool``'s result; each value names the capture it was read from
    (``pool.captures``). ``lines``: the (limit id, line) the pool measured, when the port
    has a pool per distance (None: every line). Each cell's worst point is a candidate when
    it is an emission (:func:`~rfcheck.product.final_table.final_table`).
    """
    worst = [
        (c.required.limit_id, c.worst_frequency_hz, c.worst_margin_db)
        for c in port_cells
        if c.worst_frequency_hz is not None
        and c.worst_margin_db is not None
        and (lines is None or (c.required.limit_id, c.required.line) in lines)
    ]
    return final_table(
        port,
        pooled,
        distance,
        [(c.start_hz, c.stop_hz) for c in read],
        traces=pool.traces,
        worst_points=worst,
        captures=pool.captures,
        lines=lines,
        cells=read,
    )


def _port_notes(
    port: str,
    pooled: CaptureResult,
    members: Sequence[Assigned],
    computed: Sequence[str],
    touched: Collection[tuple[str, str]] = (),
) -> tuple[str, ...]:
    """Return the pool's warnings, then which members' levels the receiver model computed.

    ``port``: how the notes name the pool (``H``; ``H at 3 m`` for one of several).
    ``touched``: the (limit id, line) of the cells the pool reads at an end point only while
    another pool measured them (:meth:`~rfcheck.product.distance_cells.PortCells.touched_lines`):
    its notes of those lines are left out, as that point does not decide the cell.

    A recording's levels are said computed by :func:`receiver_note`, in the record's words,
    not by the pool's own note.
    """
    said = computed_levels_note()
    return (
        *(f"{port}: {w}" for w in quiet_notes(pooled.warnings, touched) if not w.endswith(said)),
        *(f"{port}: {receiver_note(str(m.path))}" for m in members if str(m.path) in computed),
    )
