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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..errors import RfcheckError
from ..limits import load_shipped
from ..limits.distance import F_DISTANCE_SPLIT_HZ, distance_offset_db
from ..outcome import Verdict, combine_verdicts, exit_code_for
from ..report.assumed_text import assumed_dwell_line, assumed_scale_line
from ..results import CaptureResult, ErrorRecord, InputFile
from ..settings import Setup
from ..verdict.traces import computed_levels_note
from .assign import RECORDING_FORMATS, Assigned, UnreadableCapture
from .beyond import BeyondFinding
from .beyond_judge import PortBeyond, port_beyond
from .cells import Cell, cell_verdict, judge_cells
from .decision import PortRule, port_rule, rule_json, rule_warnings
from .final_table import FinalRow, final_table
from .plan import PortKind, RequiredCell, TestPlan
from .port_pool import Pooled, pool_port
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

    A radiated table specified at another distance than the plan's was re-expressed at the
    plan's distance (47 CFR 15.31(f)(1), 20 dB/decade at and above 30 MHz): the record says
    so with the dB, so that a reader never compares a 3 m level with a 10 m limit.

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
        The plan's measurement distance the limits were judged at (radiated only). [m]
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
    def of(cls, limit_id: str, distance_m: float) -> JudgedLimit:
        """Describe the shipped table ``limit_id`` judged at the plan's ``distance_m`` [m]."""
        try:
            table = load_shipped(limit_id)
        except RfcheckError:
            return cls(limit_id)
        if table.port != "radiated" or table.distance_m is None:
            return cls(limit_id, table.title, table.port, table.distance_m)
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
    """One port's pooled measurement (None when no capture was assigned to it)."""

    port: str
    captures: tuple[str, ...]
    pooled: CaptureResult | None


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
        """Each limit table of the unit's cells, at the plan's distance (in cell order).

        Then a table that only readings beyond the required range failed (a device below
        1.705 MHz has no radiated cell, yet a radiated reading over 15.109 fails it): the
        verdict rests on it too.
        """
        ids = dict.fromkeys(c.required.limit_id for c in self.cells)
        ids.update(dict.fromkeys(b.limit_id for b in self.beyond))
        return tuple(JudgedLimit.of(lid, self.plan.distance_m) for lid in ids)

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

    def to_json(self) -> dict[str, Any]:
        """Return the unit dossier as a JSON-ready mapping."""
        return {
            "unit": self.unit,
            "verdict": self.verdict.value,
            "plan": self.plan.to_json(),
            "limits": [t.to_json() for t in self.limits],
            "cells": [c.to_json() for c in self.cells],
            "final_measurements": [r.to_json() for r in self.final_rows],
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
        ports=tuple(j.result for j in judged),
        errors=(*errors, *(e for j in judged for e in j.errors)),
        inputs=unit_inputs(assigned, setup, plan, cells, errors),
        warnings=(*(w for j in judged for w in j.warnings), *rule_warnings(rules)),
        computed=computed,
        other_device=tuple(a.other_device for a in assigned if a.other_device is not None),
        shared=tuple(a.shared for a in assigned if a.shared is not None),
        beyond=tuple(sorted(beyond, key=lambda b: (b.margin_db, b.frequency_hz))),
        rules=tuple(rules),
    )


@dataclass(frozen=True, eq=False)
class _PortJudged:
    """One port judged: its pooled result, cells, final-table rows, errors and notes."""

    result: PortResult
    cells: tuple[Cell, ...]
    rows: tuple[FinalRow, ...]
    errors: tuple[ErrorRecord, ...]
    warnings: tuple[str, ...]
    beyond: PortBeyond
    rule: PortRule | None


def _judge_port(
    port: str,
    plan: TestPlan,
    cells: Sequence[RequiredCell],
    assigned: Sequence[Assigned],
    errors: Sequence[ErrorRecord],
    computed: Sequence[str],
) -> _PortJudged:
    """Pool the port's own captures, judge its ``cells`` and build its final-table rows.

    The rows: the port's six (:func:`_final_rows`), then every reading beyond its cells
    (:func:`~rfcheck.product.beyond_judge.port_beyond`), marked.
    """
    own = [a for a in assigned if not a.set_aside and a.port == port]
    members = [a for a in own if not a.beyond_required]
    pool = pool_port(port, members)
    kind = plan.port_kind(port)
    rule = port_rule(port, kind, members[0].settings) if members and kind else None
    beyond = port_beyond(port, pool, [a for a in own if a.beyond_required], plan, cells)
    port_cells = _judge_cells(port, cells, pool, members, assigned, errors, rule)
    rows: tuple[FinalRow, ...] = ()
    notes: tuple[str, ...] = ()
    if pool.result is not None and pool.result.verdict is not Verdict.ERROR:
        distance = plan.distance_m if kind is PortKind.POLARISATION else None
        rows = _final_rows(port, pool.result, pool, distance, cells, port_cells)
        notes = (*_port_notes(port, pool.result, members, computed), *repeat_notes(rows))
    return _PortJudged(
        PortResult(port, tuple(str(m.path) for m in members), pool.result),
        port_cells,
        (*rows, *beyond.rows),  # after the port's six: all of them, marked
        (*pool.errors, *beyond.errors),
        (*beyond.notes, *notes),
        beyond,
        rule,
    )


def _judge_cells(
    port: str,
    cells: Sequence[RequiredCell],
    pool: Pooled,
    members: Sequence[Assigned],
    assigned: Sequence[Assigned],
    errors: Sequence[ErrorRecord],
    rule: PortRule | None,
) -> tuple[Cell, ...]:
    """Judge the port's required ``cells`` from its pool (:func:`~.cells.judge_cells`).

    A pool that is ERROR without a member of its own to blame judges them from a stand-in
    ERROR result (:func:`_errored`).
    """
    pooled = pool.result
    return judge_cells(
        cells,
        pooled if pooled is not None or not pool.errors or pool.failed else _errored(port),
        [(str(m.path), m.span_hz) for m in members],
        failed=pool.failed,
        unreadable=[e.path for e in errors if isinstance(e, UnreadableCapture) and e.port == port],
        other_device=[
            (str(a.path), a.span_hz)
            for a in assigned
            if a.other_device is not None and a.port == port
        ],
        shared=[(str(a.path), a.span_hz) for a in assigned if a.shared and a.port == port],
        rule=rule,
    )


def _final_rows(
    port: str,
    pooled: CaptureResult,
    pool: Pooled,
    distance: float | None,
    cells: Sequence[RequiredCell],
    port_cells: Sequence[Cell],
) -> tuple[FinalRow, ...]:
    """Return the port's final-table rows, each cell's worst point among the candidates.

    ``pooled``: ``pool``'s result; each value names the capture it was read from
    (``pool.captures``).
    """
    worst = [
        (c.required.limit_id, c.worst_frequency_hz, c.worst_margin_db)
        for c in port_cells
        if c.worst_frequency_hz is not None and c.worst_margin_db is not None
    ]
    ranges = [(c.start_hz, c.stop_hz) for c in cells]
    return final_table(
        port,
        pooled,
        distance,
        ranges,
        traces=pool.traces,
        worst_points=worst,
        captures=pool.captures,
    )


def _port_notes(
    port: str, pooled: CaptureResult, members: Sequence[Assigned], computed: Sequence[str]
) -> tuple[str, ...]:
    """Return the pool's warnings, then which members' levels the receiver model computed.

    A recording's levels are said computed by :func:`receiver_note`, in the record's words,
    not by the pool's own note.
    """
    said = computed_levels_note()
    return (
        *(f"{port}: {w}" for w in pooled.warnings if not w.endswith(said)),
        *(f"{port}: {receiver_note(str(m.path))}" for m in members if str(m.path) in computed),
    )


def _errored(port: str) -> CaptureResult:
    """Return a stand-in pooled result for a port whose captures could not be combined."""
    return CaptureResult(path=port, sha256=None, format=None, verdict=Verdict.ERROR)
