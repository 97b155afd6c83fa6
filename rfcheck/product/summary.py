"""What a dossier run wrote, per unit and for the entry: ``OUT/summary.json`` and the terminal.

:class:`UnitSummary` is one unit's entry of ``summary.json`` (built in the worker that judged
the unit, :func:`unit_summary`); :class:`DossierRun` the run's units with its entry cover
sheet. ``rfcheck dossier`` prints its lines from them (:mod:`rfcheck.cli._dossier`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..frequency import MAX_RANGES_NAMED, format_mhz, format_mhz_range, format_mhz_ranges
from ..outcome import Verdict, combine_verdicts
from ..results import ErrorRecord
from .outputs import ENTRY_FILES, RECORD_FILES

if TYPE_CHECKING:  # judging is the workers' part: the parent of a pool need not load it
    from ..record.entry_sheet import EntrySheet
    from .cells import Cell
    from .dossier import UnitDossier

__all__ = [
    "DossierRun",
    "UnitSummary",
    "deciding_text",
    "judged_clauses",
    "open_cells_text",
    "record_file",
    "unit_summary",
    "unmeasured_text",
    "unused_captures_text",
]


@dataclass(frozen=True)
class UnitSummary:
    """One entry of ``OUT/summary.json``."""

    unit: str
    verdict: Verdict
    folder: str
    cells: dict[str, int]
    missing: tuple[str, ...]
    errors: int
    #: the error rows themselves (file and problem), printed one per line on stderr
    error_rows: tuple[ErrorRecord, ...] = ()
    #: per port, the cells left ERROR by a capture that could not be used, and its files:
    #: ``L1 QP, AV from in/L1.csv`` (never counted as missing)
    unreadable: tuple[str, ...] = ()
    #: a FAIL or INCONCLUSIVE unit's deciding cell, briefly (:func:`deciding_text`)
    deciding: str = ""
    #: the unit's record as written, in its folder: ``dossier.pdf``, else its HTML or JSON
    record: str = ""
    #: the names of the files written in the unit's folder (the next run removes those it
    #: does not write again: :mod:`rfcheck.product.earlier`)
    files: tuple[str, ...] = ()
    #: captures set aside because their headers state another device than the unit's
    other_device: tuple[str, ...] = ()
    #: the unit record's report id (``RFC-...``; "" without a record)
    report_id: str = ""
    #: how many items the unit's record lacks (its cover's ``record incomplete: ...`` line;
    #: :func:`rfcheck.record.checklist.missing_items`); 0: the record is complete
    record_missing: int = 0
    #: captures set aside because their content is also filed under another unit
    shared: tuple[str, ...] = ()
    #: the decision rule the unit was judged under, with U_lab per port and the U_cispr
    #: warning, in one line (:func:`rfcheck.product.decision.rule_summary`); "" for simple
    decision_rule: str = ""
    #: a FAIL or ERROR unit's INCONCLUSIVE cells, still open (:func:`open_cells_text`)
    still_open: str = ""
    #: the 47 CFR clauses of the limit tables the unit was judged against, as page 1 of its
    #: record names them (:func:`judged_clauses`): ``("47 CFR 15.107(a)", ...)``
    clauses: tuple[str, ...] = ()
    #: what the unit verdict takes on trust (:attr:`UnitDossier.assumptions`)
    assumptions: tuple[str, ...] = ()
    #: the unit's capture files ``[batch] include`` leaves out, as found (not judged:
    #: :mod:`rfcheck.product.left_out`)
    left_out: tuple[str, ...] = ()
    #: a record file that could not be written, and why (``dossier.pdf not written: the row
    #: 'EUT operating mode' is taller than a page ...``); "" when every file was written
    report_error: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the unit summary as a JSON-ready mapping."""
        return {
            "unit": self.unit,
            "verdict": self.verdict.value,
            "folder": self.folder,
            "cells": dict(self.cells),
            "missing": list(self.missing),
            "unreadable": list(self.unreadable),
            "left_out": list(self.left_out),
            "errors": self.errors,
            "other_device": list(self.other_device),
            "shared_content": list(self.shared),
            "files": list(self.files),
            **({"decision_rule": self.decision_rule} if self.decision_rule else {}),
            "assumptions": list(self.assumptions),
            **({"report_error": self.report_error} if self.report_error else {}),
        }


@dataclass(frozen=True)
class DossierRun:
    """What a dossier run wrote: each unit's summary and, with ``[entry]``, the entry sheet."""

    units: list[UnitSummary]
    #: the entry cover sheet (None: the setup has no ``[entry]``, or ``--format plots``)
    entry: EntrySheet | None = None
    #: its files as written, in ``OUT`` (``entry.pdf`` ...)
    entry_files: tuple[str, ...] = ()
    #: the files the group pattern finds no unit in: not used, each an error of the run
    no_unit: tuple[ErrorRecord, ...] = ()

    @property
    def verdict(self) -> Verdict:
        """The run's verdict: the units' worst, and the entry's (a listed serial not measured).

        The entry's verdict is the units' combined with INCOMPLETE for each serial its
        ``tested_serials`` list and no unit has, by the same rule; ERROR for no unit. A file
        in no unit (:attr:`no_unit`) is an input the run could not use: ERROR unless a unit
        fails, as an error row of a unit is; so is a unit's record file not written
        (:attr:`UnitSummary.report_error`: exit 3 for a PASS, a FAIL stays 1).
        """
        verdicts = [s.verdict for s in self.units]
        verdicts += [Verdict.ERROR for s in self.units if s.report_error]  # a file missing
        if self.entry is not None:
            verdicts.append(self.entry.verdict)
        if self.no_unit:
            verdicts.append(Verdict.ERROR)
        return combine_verdicts(verdicts)

    @property
    def entry_record(self) -> str:
        """The entry sheet's document among its files: ``entry.pdf``, else HTML or JSON."""
        names = set(self.entry_files)
        return next(
            (ENTRY_FILES[f] for f in ("pdf", "html", "json") if ENTRY_FILES[f] in names), ""
        )


def deciding_text(d: UnitDossier) -> str:
    """Return the cell deciding a FAIL or INCONCLUSIVE unit, briefly ("" for any other).

    Among the cells of the unit's verdict that have a margin, the smallest (then the lowest
    frequency): ``V QP 30-1000 MHz: -3.23 dB at 375 MHz``, and how many more cells share the
    verdict (``; 1 more FAIL cell``). Under a decision rule the smallest effective margin,
    named with the rule: ``L2 QP 0.15-30 MHz: +6.58 dB at 0.2355 MHz, effective margin
    -0.42 dB under decision rule cispr16-4-2, U_lab 10.4 dB (rule shift +7.00 dB)``. A unit
    whose radiated cells were judged at more than one distance names the distance, as page 1
    of its record does: ``V QP 30-1000 MHz: -0.12 dB at 87.9 MHz; judged at 10 m``.
    """
    from ..report.margin_text import fmt_margin
    from .cells import cell_verdict
    from .distance_cells import cell_distance_text

    def judged(c: Cell) -> float:
        x = c.judged_margin_db
        return 0.0 if x is None else x

    if d.verdict not in (Verdict.FAIL, Verdict.INCONCLUSIVE):
        return ""
    cells = [c for c in d.cells if cell_verdict(c.state) is d.verdict]
    scored = [c for c in cells if c.worst_margin_db is not None and np.isfinite(c.worst_margin_db)]
    if not scored and d.verdict is Verdict.FAIL and d.beyond:
        b = d.beyond[0]  # worst first
        several = d.several_distances and b.distance_m is not None
        at = f"; judged at {b.distance_m:g} m" if several else ""
        return (
            f"{b.port} {b.line} beyond the required range: "
            f"{fmt_margin(b.margin_db, b.bound)} dB at {format_mhz(b.frequency_hz)}{at}"
        )
    if not scored:
        return ""
    c = min(scored, key=lambda c: (judged(c), c.worst_frequency_hz or 0.0))
    r = c.required
    text = (
        f"{r.port} {r.line} {format_mhz_range(r.start_hz, r.stop_hz)}: "
        f"{fmt_margin(c.worst_margin_db, c.worst_bound)} dB at {format_mhz(c.worst_frequency_hz)}"
    )
    if c.rule is not None and c.effective_margin_db is not None and c.rule_shift_db is not None:
        text += (
            f", effective margin {fmt_margin(c.effective_margin_db, c.worst_bound)} dB under "
            f"decision rule {c.rule.text} (rule shift {c.rule_shift_db:+.2f} dB)"
        )
    elif c.rule is not None:
        text += f" (decision rule {c.rule.text}: not applied at this frequency)"
    if at := cell_distance_text(c, d.several_distances):
        text += f"; {at}"
    more = len(cells) - 1
    if more:
        text += f"; {more} more {d.verdict.value} cell{'s' if more > 1 else ''}"
    return text


#: A 47 CFR clause in a limit table's title: ``47 CFR 15.109(a)``.
_CFR_CLAUSE = re.compile(r"47 CFR \d+\.\d+(?:\([0-9a-z]+\))*")


def judged_clauses(d: UnitDossier) -> tuple[str, ...]:
    """Return the 47 CFR clauses the unit's limit tables implement, each once, in order.

    Read from each judged table's title (``FCC Part 15 Class B conducted limits (47 CFR
    15.107(a))``), as page 1 of the record prints it; a table whose title names no 47 CFR
    clause (CISPR 32) adds none. Then the clauses of the plan's cells no title names (the AV
    and PK cells above 1 GHz: ``47 CFR 15.35(b)``, the PK line being the AV line + 20 dB).
    The entry sheet names them beside the standard and class.
    """
    found = [m.group(0) for t in d.limits for m in _CFR_CLAUSE.finditer(t.title)]
    found += [m.group(0) for c in d.cells for m in _CFR_CLAUSE.finditer(c.required.clause)]
    return tuple(dict.fromkeys(found))


#: Cells or captures of one kind :func:`open_cells_text` and :func:`unused_captures_text` name
#: before counting the rest (``+N more``).
MAX_OPEN_NAMED = 3


def _first_few(items: Sequence[str], most: int = MAX_OPEN_NAMED) -> str:
    shown = "; ".join(items[:most])
    return shown + (f"; +{len(items) - most} more" if len(items) > most else "")


def open_cells_text(d: UnitDossier, most: int = MAX_OPEN_NAMED) -> str:
    """Return the INCONCLUSIVE cells a FAIL or ERROR unit also has ("" when none).

    Page 1 of a FAIL record names the failing cells; a lab that fixes them from the cover
    alone must also see the cells still undecided, and what each needs:
    ``still open: 1 INCONCLUSIVE cell: N AV 0.15-30 MHz ≥ -4.80 dB at 1.0005 MHz (needs
    cispr-average measurement at 1.0005 MHz)``. The first ``most`` are named, then ``+N more``.
    """
    from ..report.margin_text import fmt_margin
    from .cells import CellState

    if d.verdict not in (Verdict.FAIL, Verdict.ERROR):
        return ""
    named = []
    for c in d.cells:
        if c.state is not CellState.INCONCLUSIVE:
            continue
        r = c.required
        text = f"{r.port} {r.line} {format_mhz_range(r.start_hz, r.stop_hz)}"
        if c.worst_margin_db is not None:
            text += (
                f" {fmt_margin(c.worst_margin_db, c.worst_bound)} dB at "
                f"{format_mhz(c.worst_frequency_hz)}"
            )
        named.append(f"{text} (needs {c.needs})" if c.needs else text)
    if not named:
        return ""
    s = "s" if len(named) > 1 else ""
    return f"still open: {len(named)} INCONCLUSIVE cell{s}: {_first_few(named, most)}"


def unused_captures_text(paths: Sequence[str], most: int = MAX_OPEN_NAMED) -> str:
    """Name the captures that could not be read or used ("" for none), the first ``most``.

    ``1 capture could not be used: in/L1.csv (see Errors)``: on page 1 of a FAIL record and
    the entry sheet, so a capture never read is seen beside the FAIL it does not change.
    """
    files = list(dict.fromkeys(paths))
    if not files:
        return ""
    s = "s" if len(files) > 1 else ""
    return f"{len(files)} capture{s} could not be used: {_first_few(files, most)} (see Errors)"


#: Groups of cells (those sharing their unmeasured ranges) :func:`unmeasured_text` names
#: before counting the rest.
MAX_UNMEASURED_GROUPS = 4


def unmeasured_text(d: UnitDossier, most: int = MAX_UNMEASURED_GROUPS) -> str:
    """Return what the unit's required cells leave unmeasured ("" when nothing is).

    Page 1 of a FAIL, INCONCLUSIVE or ERROR record names the cells that decide it; this line
    adds the sub-ranges no capture measured, so a reader of page 1 alone sees that the scan
    stopped short: ``not measured: H AV, H PK, V AV, V PK 2000.5-5000 MHz``. Cells missing the same
    ranges are named together; each cell's ranges are capped at
    :data:`~rfcheck.frequency.MAX_RANGES_NAMED` (``(+N more)``), the groups at ``most``.
    """
    groups: dict[tuple[tuple[float, float], ...], list[str]] = {}
    for c in d.cells:
        if c.missing_hz:
            groups.setdefault(c.missing_hz, []).append(f"{c.required.port} {c.required.line}")
    parts = [
        f"{', '.join(names)} {format_mhz_ranges(ranges, most=MAX_RANGES_NAMED)}"
        for ranges, names in groups.items()
    ]
    if len(parts) > most:
        parts = parts[:most] + [f"and {len(parts) - most} more (see the completeness matrix)"]
    return f"not measured: {'; '.join(parts)}" if parts else ""


def record_file(written: Sequence[Path]) -> str:
    """Return the name of the unit's record among the files written: PDF, else HTML or JSON."""
    names = {p.name for p in written}
    return next((RECORD_FILES[f] for f in ("pdf", "html", "json") if RECORD_FILES[f] in names), "")


def unit_summary(
    d: UnitDossier, folder: str, written: Sequence[Path] = (), record_missing: int = 0
) -> UnitSummary:
    """Return the unit's summary: its verdict, cell counts, what is missing, what decides it."""
    from .decision import rule_summary

    counts: dict[str, int] = {}
    for c in d.cells:
        counts[c.state.value] = counts.get(c.state.value, 0) + 1
    missing = tuple(
        f"{c.required.port} {c.required.line} "
        + format_mhz_ranges(c.missing_hz, most=MAX_RANGES_NAMED)
        for c in d.cells
        if c.missing_hz
    )
    return UnitSummary(
        d.unit,
        d.verdict,
        folder,
        counts,
        missing,
        len(d.errors),
        d.errors,
        _unreadable(d),
        deciding_text(d),
        record_file(written),
        tuple(p.name for p in written),
        tuple(o.path for o in d.other_device),
        shared=tuple(o.path for o in d.shared),
        record_missing=record_missing,
        decision_rule=rule_summary(d.rules),
        still_open=open_cells_text(d),
        clauses=judged_clauses(d),
        assumptions=d.assumptions,
    )


def _unreadable(d: UnitDossier) -> tuple[str, ...]:
    """Per port, the cells a capture that could not be used left ERROR, and its files."""
    from .cells import CellState  # in the worker that judged the unit

    by_port: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for c in d.cells:
        if c.unreadable and c.state is CellState.ERROR:
            by_port.setdefault((c.required.port, c.unreadable), []).append(c.required.line)
    return tuple(
        f"{port} {', '.join(lines)} from {', '.join(files)}"
        for (port, files), lines in by_port.items()
    )
