"""The rows of the dossier's tables, built once for the HTML and PDF renderers.

Columns of the completeness matrix and of the final measurement table, as text; the
renderers only lay them out (and escape them).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...errors import located
from ...frequency import MAX_RANGES_NAMED, format_hz, format_mhz_ranges, mhz_number
from ...limits.measurement_range import boundary_note
from ...outcome import Bound, Verdict, round_margin
from ...product.beyond import BeyondFinding
from ...product.cells import Cell, CellState, cell_verdict
from ...product.decision import cell_rule_text, effective_text, rule_shift_text
from ...product.dossier import UnitDossier
from ...product.final_table import LINE_KEYS, FinalRow, TableValue
from ...product.summary import open_cells_text, unmeasured_text, unused_captures_text
from ...record.findings import FINDINGS_TITLE
from ...textsafe import Lines
from ...units import reading_text
from .._common import STATE_COLOURS
from .._format import margin_relation
from ..detector_names import detector_abbr
from ..margin_text import level_relation
from ._clauses import citation, clause_lines
from ._distance import (
    cell_distance_text,
    distance_row_text,
    limit_lines,
    row_distance,
    several_distances,
)

__all__ = [
    "MATRIX_HEADERS",
    "FINAL_HEADERS",
    "PORT_GROUP_RADIATED",
    "Row",
    "matrix_rows",
    "capture_root",
    "final_rows",
    "row_frequencies",
    "empty_final_table_text",
    "port_groups",
    "fmt_mhz",
    "BEYOND_REQUIRED",
    "fmt_value",
    "fmt_ranges",
    "device_rows",
    "judged_limits",
    "verdict_reasons",
    "unreadable_text",
    "OTHER_DEVICE",
    "SHARED_CONTENT",
    "PASS_ON_WHAT_WAS_READ",
    "ROW_COLOURS",
    "FINAL_ROUNDING_NOTE",
]

#: How the matrix, the reasons and the final table name a capture set aside because its
#: header states another device than the unit's (:mod:`rfcheck.dut_identity`).
OTHER_DEVICE = "another device's capture, not used for this unit"
#: ... a capture set aside because its content is also filed under another unit
#: (:mod:`rfcheck.shared_content`).
SHARED_CONTENT = "also filed under another unit or port, not used for this unit"

#: The colour key of a matrix cell judged PASS while a capture of its port could not be used:
#: its Verdict text stays PASS (the unit verdict is unchanged; the CSV reads
#: PASS), but neither its colour nor its basis is the plain green PASS.
PASS_ON_WHAT_WAS_READ = "PASS-ON-WHAT-WAS-READ"
#: The colour of each matrix row key: the reports' one palette (:data:`STATE_COLOURS`), and
#: :data:`PASS_ON_WHAT_WAS_READ` in olive, between PASS green and ERROR grey.
ROW_COLOURS: dict[str, str] = {**STATE_COLOURS, PASS_ON_WHAT_WAS_READ: "#6b7a1f"}

MATRIX_HEADERS = (
    "Port",
    "Limit",
    "Line",
    "Range [MHz]",
    "Verdict",
    "Margin [dB]",
    "at [MHz]",
    "Basis",
    "Captures",
    "Not measured [MHz]",
)
_VALUE_HEADERS = (
    "Freq. [MHz]",
    "Reading",
    "Detector read",
    "Conv. [dB]",
    "Corr. [dB]",
    "Level",
    "Limit",
    "Margin [dB]",
    "Bound",
    "Capture",
)  # reading + conv + corr = level (≤ / ≥ when the reading bounds the line's level)
#: Under the final tables, as the check report says it under its suspects: the
#: level is reading + conversion + correction from the unrounded values, each term printed
#: to 0.01 dB, so a row re-added from the printed figures may be 0.01 dB off.
FINAL_ROUNDING_NOTE = (
    "Level = reading + Conv. + Corr., each rounded to 0.01 dB (so a row may differ by "
    "0.01 dB in the last digit); margin = limit \u2212 level."
)
FINAL_HEADERS = ("Port", "Freq. [MHz]", *(f"{ln} {h}" for ln in LINE_KEYS for h in _VALUE_HEADERS))
#: The name of the plot holding every polarisation (H and V overlaid).
PORT_GROUP_RADIATED = "radiated"


@dataclass(frozen=True)
class Row:
    """One table row as text, with the verdict that colours it (if any)."""

    cells: tuple[str, ...]
    verdict: str = ""


def fmt_value(value: object) -> str:
    """Format a setup or plan value as text (lists joined, floats without a trailing .0)."""
    if isinstance(value, list | tuple):
        return ", ".join(fmt_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
    return str(value)


#: Labels of the setup's ``[dut]`` keys a lab writes (others: the key, spaces for "_").
_DUT_LABELS = {
    "manufacturer": "Manufacturer",
    "trade_name": "Trade name",
    "model": "Model",
    "serial": "Serial number (this unit)",
    "description": "Description",
    "class": "Device class",
    "highest_internal_frequency_hz": "Highest internal frequency (47 CFR 15.33)",
    "power": "Power ([dut] power)",
}


def _dut_label(key: str) -> str:
    if key in _DUT_LABELS:
        return _DUT_LABELS[key]
    label = key.removesuffix("_hz").replace("_", " ")
    return label[:1].upper() + label[1:]


def _dut_value(key: str, value: object) -> str:
    if key.endswith("_hz") and isinstance(value, int | float) and not isinstance(value, bool):
        return format_hz(float(value))
    return fmt_value(value)


def device_rows(
    d: UnitDossier, dut: Mapping[str, Any], serial: str | None
) -> list[tuple[str, str]]:
    """Return the "Device and plan" table of one unit as (label, text) rows.

    ``dut`` is the setup's ``[dut]`` table; ``serial`` the serial number of this unit (from
    ``[dut.serials]``, never another unit's; None when not stated: printed ``MISSING``, as
    the checklist lists it). The per-unit serial map
    itself is not listed: each unit's record names its own serial only.
    """
    # the EUT serial is a checklist item (47 CFR 2.938(b)): listed MISSING on page 1, so here too
    mine = (_DUT_LABELS["serial"], serial or "MISSING")
    rows = [
        mine if k == "serial" else (_dut_label(k), _dut_value(k, v))
        for k, v in dut.items()
        if k != "serials" and not isinstance(v, Mapping)
    ]
    if "serial" not in dut:  # after the model, where a setup usually writes it
        labels = [label for label, _ in rows]
        model = _DUT_LABELS["model"]
        rows.insert(labels.index(model) + 1 if model in labels else len(rows), mine)
    p = d.plan
    rows += [
        ("Test plan", p.regulation),
        ("Plan device class", fmt_value(p.device_class)),
        (
            "Mains lines (conducted)",
            fmt_value(list(p.mains_lines)) or "; ".join(("none", *p.not_required)),
        ),
        ("Polarisations (radiated)", fmt_value(list(p.polarisations))),
        ("Measurement distance", distance_row_text(d)),
        (
            "Radiated scan up to (47 CFR 15.33)",
            format_hz(p.upper_frequency_hz, missing="not stated")
            + (
                f" (highest frequency {format_hz(p.highest_frequency_hz)}: {note})"
                if (note := boundary_note(p.highest_frequency_hz))
                else ""
            )
            + d.no_radiated_cell,
        ),
    ]
    return rows


def judged_limits(d: UnitDossier) -> list[str]:
    """Return each limit table of the unit with its clause and distance (:func:`limit_lines`).

    Then each cell clause no table's title names (:func:`._clauses.clause_lines`: the AV and
    PK cells above 1 GHz, 47 CFR 15.35(b)); then each table the plan's rules name that this
    device need not meet, and why
    (:attr:`~rfcheck.product.plan.TestPlan.not_required`: a battery-powered device's
    conducted limits, 47 CFR 15.107(d)): page 1 never leaves a rule out unsaid.
    """
    tables = limit_lines(d)
    return [*tables, *clause_lines(d, tables), *d.plan.not_required]


def fmt_mhz(f_hz: float | None) -> str:
    """Return :func:`~rfcheck.frequency.mhz_number` of a frequency [Hz] (``""`` for None)."""
    return "" if f_hz is None else mhz_number(f_hz)


def fmt_ranges(ranges: tuple[tuple[float, float], ...], limit: int = MAX_RANGES_NAMED) -> str:
    """Ranges as ``"1000-5000, ..."`` in MHz, bare numbers; past ``limit``, ``"(+N more)"``.

    Sub-ranges shown per cell in the HTML and PDF (the JSON has them all):
    :func:`~rfcheck.frequency.format_mhz_ranges` without the unit.
    """
    return format_mhz_ranges(ranges, most=limit, unit=False)


def _margin(x: float | None, bound: Bound | None) -> str:
    """Return the margin [dB] as the report tables print it (``≤``/``≥`` for a bound level)."""
    return "" if x is None else f"{margin_relation(bound)}{round_margin(x):+.2f}"


def _margin_cell(c: Cell) -> str:
    """Return the matrix's margin: measured, and below it a decision rule's effective one."""
    margin = _margin(c.worst_margin_db, c.worst_bound)
    effective = effective_text(c.effective_margin_db, c.worst_bound)
    return Lines([margin, effective]) if margin and effective else margin


def _cell_rule(c: Cell) -> str:
    """Return the decision rule at the cell's worst point ("" under ``simple``, or none)."""
    if c.worst_margin_db is None:
        return ""
    return cell_rule_text(c.rule, c.rule_shift_db, c.effective_margin_db, c.worst_bound)


def _basis(c: Cell, several: bool = False) -> str:
    """How the worst margin was obtained, and for INCONCLUSIVE what would settle it.

    Under a decision rule, the rule with its U_lab and shift (the effective margin is in the
    margin column): ``cispr16-4-2, U_lab 10.4 dB: shift +7.00 dB``. A unit measured at
    several distances: the distance the cell was judged at (:func:`cell_distance_text`).
    """
    basis = c.worst_basis
    if at := cell_distance_text(c, several):
        basis = f"{basis}; {at}" if basis else at
    if rule := rule_shift_text(c.rule, c.rule_shift_db) if c.worst_margin_db is not None else "":
        basis = f"{basis}; {rule}" if basis else rule
    if c.state is CellState.ERROR and c.unreadable and not basis:
        basis = "capture could not be used (see Errors)"
    if c.state is CellState.MISSING and c.other_device and not basis:
        basis = f"{OTHER_DEVICE} (see {FINDINGS_TITLE})"
    if c.state is CellState.MISSING and c.shared and not basis:
        basis = f"capture {SHARED_CONTENT} (see {FINDINGS_TITLE})"
    if c.needs:
        basis = f"{basis}; needs: {c.needs}" if basis else f"needs: {c.needs}"
    if _passed_on_what_was_read(c):
        n = len(c.unreadable)
        s = "s" if n > 1 else ""
        read = f"PASS on what was judged; {n} capture{s} could not be used (see Errors)"
        basis = f"{read}; {basis}" if basis else read
    return basis


def _passed_on_what_was_read(c: Cell) -> bool:
    """Tell a PASS cell whose port has a capture that could not be used (it may hold the worst)."""
    return c.state is CellState.PASS and bool(c.unreadable)


#: How a reading outside every cell of its port is named (:mod:`rfcheck.product.beyond`).
BEYOND_REQUIRED = "beyond the required range, 47 CFR 15.33(b)(1)"

#: Cells named on the cover / banner; the rest are counted ("and N more").
MAX_REASONS_SHOWN = 4


def verdict_reasons(d: UnitDossier, limit: int = MAX_REASONS_SHOWN) -> list[str]:
    """Return one line per cell that decides the unit verdict (none for PASS).

    FAIL names the failing cells with their worst margin, frequency and basis; INCONCLUSIVE
    the undecided cells with what would settle them; INCOMPLETE the cells not measured with
    the ranges missing (``for this unit``, naming the capture of another device set aside);
    ERROR the cells whose capture could not be used, then the error rows no cell names (a
    capture that fits no cell). FAIL and INCONCLUSIVE cells worst first, INCOMPLETE and ERROR
    cells in matrix order: each as the terminal and the entry sheet's ``decided_by`` list
    them. Past ``limit`` lines, one more line counts the rest. Then
    what else is open, so a lab fixing the deciding cells from page 1 alone sees it: a FAIL
    or ERROR unit's INCONCLUSIVE cells (:func:`~rfcheck.product.summary.open_cells_text`),
    a FAIL unit's captures that could not be used. A FAIL,
    INCONCLUSIVE or ERROR unit's last line names what no capture measured
    (``not measured: H AV, H PK 2000.5-5000 MHz``;
    :func:`~rfcheck.product.summary.unmeasured_text`). Last, for any verdict, what the verdict
    takes on trust (:attr:`~rfcheck.product.dossier.UnitDossier.assumptions`).
    """
    if d.verdict is Verdict.PASS:
        return list(d.assumptions)
    cells = [c for c in d.cells if cell_verdict(c.state) is d.verdict]
    if d.verdict in (Verdict.FAIL, Verdict.INCONCLUSIVE):
        # worst first (the terminal's and the entry sheet's deciding cell leads): a radiated
        # FAIL is never hidden in "and N more" behind passing-close mains cells
        cells.sort(key=_deciding_order)
    # INCOMPLETE, ERROR: in matrix order, as the terminal and the entry sheet list the cells
    # not measured (or not judged); the margin of a cell's measured part decides nothing
    several = several_distances(d)  # then each deciding radiated cell names its distance
    lines = [_reason(c, cell_distance_text(c, several)) for c in cells]
    if d.verdict is Verdict.FAIL:
        lines += [_beyond_reason(b, several) for b in d.beyond]
    if d.verdict is Verdict.ERROR:
        named = {p for c in cells for p in c.unreadable}
        lines += [
            f"{located(e.path, e.message)} (see Errors)" for e in d.errors if e.path not in named
        ]
    if len(lines) > limit:
        lines = lines[:limit] + [f"and {len(lines) - limit} more (see the completeness matrix)"]
    if still_open := open_cells_text(d):
        lines.append(still_open)
    if d.verdict is Verdict.FAIL and (unused := unused_captures_text([e.path for e in d.errors])):
        lines.append(f"still open: {unused}")
    unmeasured = unmeasured_text(d) if d.verdict is not Verdict.INCOMPLETE else ""
    return lines + ([unmeasured] if unmeasured else []) + list(d.assumptions)


def _deciding_order(c: Cell) -> tuple[bool, float]:
    """Sort key of a deciding cell: its judged margin (a rule's effective one), none last."""
    x = c.judged_margin_db
    known = x is not None and math.isfinite(x)
    return (not known, x if known and x is not None else 0.0)


def _beyond_reason(b: BeyondFinding, several: bool = False) -> str:
    """Word a reading over a limit outside every cell as :func:`verdict_reasons` does."""
    at = f"; judged at {b.distance_m:g} m" if several and b.distance_m is not None else ""
    return (
        f"{b.port} {b.line} ({b.limit_id}), {BEYOND_REQUIRED}: {_margin(b.margin_db, b.bound)} "
        f"dB at {fmt_mhz(b.frequency_hz)} MHz ({b.bound.value}{at})"
    )


def _reason(c: Cell, at: str = "") -> str:
    """One cell deciding the unit verdict, as :func:`verdict_reasons` words it.

    ``at``: where a unit measured at several distances judged it (``judged at 3 m``).
    """
    r = c.required
    head = f"{r.port} {r.line} {fmt_mhz(r.start_hz)}-{fmt_mhz(r.stop_hz)} MHz ({r.limit_id})"
    if c.state is CellState.MISSING and (c.other_device or c.shared):
        why = [f"{', '.join(c.other_device)}: {OTHER_DEVICE}"] if c.other_device else []
        why += [f"{', '.join(c.shared)}: {SHARED_CONTENT}"] if c.shared else []
        return (
            f"{head}: not measured for this unit {fmt_ranges(c.missing_hz)} MHz ({'; '.join(why)})"
        )
    if c.state is CellState.MISSING:
        return f"{head}: not measured {fmt_ranges(c.missing_hz)} MHz"
    if c.state is CellState.ERROR and c.unreadable:
        return f"{head}: {unreadable_text(c)}"
    if c.worst_margin_db is None and c.state is CellState.ERROR and not c.needs:
        return f"{head}: not judged (see Errors)"
    if c.worst_margin_db is None:
        return f"{head}: {c.needs}" if c.needs else head
    margin = _margin(c.worst_margin_db, c.worst_bound)
    margin_at = f"{margin} dB at {fmt_mhz(c.worst_frequency_hz)} MHz"
    basis = f" ({c.worst_basis})" if c.worst_bound is not None else ""
    rule = f"; {_cell_rule(c)}" if c.rule is not None else ""
    needs = f"; needs {c.needs}" if c.needs and c.state is not CellState.FAIL else ""
    return f"{head}: {margin_at}{basis}{rule}{needs}{f'; {at}' if at else ''}"


def capture_root(cells: tuple[Cell, ...]) -> str | None:
    """Return the folder every capture of ``cells`` lies under (None: no common folder).

    For a caller that shortens the paths of :func:`matrix_rows` (``root``). The record's
    HTML and PDF matrices no longer do: a record names every capture relative to its
    manifest root already, as its manifest does.
    """
    paths = [p for c in cells for p in (*c.captures, *c.unreadable, *c.other_device, *c.shared)]
    if not paths:
        return None
    try:
        root = os.path.commonpath([os.path.dirname(p) for p in paths])
    except ValueError:  # absolute and relative paths mixed
        return None
    return root if root not in ("", os.sep) else None


def _relative(path: str, root: str | None) -> str:
    if root is None or not path.startswith(root + os.sep):
        return path
    return path[len(root) + len(os.sep) :]


def matrix_rows(
    cells: tuple[Cell, ...], root: str | None = None, several: bool = False, clauses: bool = False
) -> list[Row]:
    """Return the completeness matrix: one row per required cell.

    ``root`` (:func:`capture_root`) is stripped from the capture paths; ``several``: the
    unit was measured at several distances, each radiated cell's Basis names its own;
    ``clauses``: the Limit cell names the cell's clause under the table id (``fcc-15.109-b``
    / ``47 CFR 15.35(b)``: the PDF and HTML; the CSV keeps the id alone).
    """
    out = []
    for c in cells:
        r = c.required
        out.append(
            Row(
                (
                    r.port,
                    _limit_cell(r.limit_id, r.clause if clauses else ""),
                    r.line,
                    f"{fmt_mhz(r.start_hz)}-{fmt_mhz(r.stop_hz)}",
                    c.state.value,
                    _margin_cell(c),
                    fmt_mhz(c.worst_frequency_hz),
                    _basis(c, several),
                    _captures_cell(c, root),
                    fmt_ranges(c.missing_hz),
                ),
                PASS_ON_WHAT_WAS_READ if _passed_on_what_was_read(c) else c.state.value,
            )
        )
    return out


def _limit_cell(limit_id: str, clause: str) -> str:
    """Return the matrix's Limit cell: the table id, and its clause's citation below it."""
    cited = citation(clause)
    return Lines([limit_id, cited]) if cited else limit_id


def unreadable_text(c: Cell, root: str | None = None) -> str:
    """Say which capture of the cell's port could not be used ("" when none).

    Not read, or read with no known measurement distance (the error row says which):
    ``capture could not be used: L1.csv (see Errors)``: the cell is ERROR for it, never
    "not measured" (:mod:`rfcheck.product.cells`).
    """
    if not c.unreadable:
        return ""
    files = ", ".join(_relative(p, root) for p in c.unreadable)
    return f"capture could not be used: {files} (see Errors)"


def _captures_cell(c: Cell, root: str | None) -> str:
    """Return the matrix's Captures cell: those judged, then those that could not be used."""
    lines = [_relative(p, root) for p in c.captures]
    lines += [f"{_relative(p, root)} (could not be used)" for p in c.unreadable]
    lines += [f"{_relative(p, root)} ({OTHER_DEVICE})" for p in c.other_device]
    lines += [f"{_relative(p, root)} ({SHARED_CONTENT})" for p in c.shared]
    return Lines(lines) if lines else "none"


def _value(s: TableValue | None, at_mhz: str) -> tuple[str, ...]:
    if s is None:
        return ("",) * len(_VALUE_HEADERS)
    return (
        at_mhz,
        "" if s.reading is None else f"{reading_text(s.reading, s.reading_unit)} {s.reading_unit}",
        detector_abbr(s.detector),
        "" if s.conversion_db is None else f"{s.conversion_db:+.2f}",
        "" if s.correction_db is None else f"{s.correction_db:.2f}",
        f"{level_relation(s.bound)}{s.level:.2f} {s.unit}",
        f"{s.limit:.2f}",
        _margin(s.margin_db, s.bound),
        s.basis,
        s.capture,
    )


#: Decimals of MHz that tell apart any two frequencies of the JSON (rounded to 0.1 Hz).
_MHZ_DECIMALS_MAX = 7


def _decimals(text: str) -> int:
    """Return how many decimals a :func:`fmt_mhz` text shows (7, 0.1 Hz, for an exponent)."""
    if "e" in text:
        return _MHZ_DECIMALS_MAX
    return len(text.partition(".")[2])


def row_frequencies(r: FinalRow) -> tuple[str, dict[str, str]]:
    """Return a final row's frequency and each line's reading frequency, as MHz texts.

    When every reading is at the row's frequency (to the JSON's 0.1 Hz), each is
    :func:`fmt_mhz` (six significant digits). Otherwise all the row's frequencies are printed
    with one number of decimals, enough to tell them apart: a QP reading at 1000 MHz and
    AV/PK readings at 1000.5 MHz read ``1000.0`` and ``1000.5``, never one ``1000``.
    """
    lines = [ln for ln in LINE_KEYS if ln in r.values]
    freqs_hz = [r.frequency_hz, *(r.values[ln].frequency_hz for ln in lines)]
    distinct = {round(f, 1) for f in freqs_hz}
    if len(distinct) == 1:
        texts = [fmt_mhz(f) for f in freqs_hz]
    else:
        decimals = max(_decimals(fmt_mhz(f)) for f in freqs_hz)
        while decimals < _MHZ_DECIMALS_MAX and len(
            {f"{f / 1e6:.{decimals}f}" for f in distinct}
        ) < len(distinct):
            decimals += 1
        texts = [f"{f / 1e6:.{decimals}f}" for f in freqs_hz]
    return texts[0], dict(zip(lines, texts[1:], strict=True))


def final_rows(rows: tuple[FinalRow, ...], several: bool = False) -> list[Row]:
    """Return the final measurement table: one row per emission, QP, AV and PK side by side.

    The row's frequency is the emission's; each line's value starts with the frequency its
    reading was taken at (:func:`row_frequencies`). ``several``: the unit was measured at
    several distances, so each radiated row names its own in the Port column (``H (3 m)``).
    """
    out = []
    for r in rows:
        row_mhz, at_mhz = row_frequencies(r)
        named = [row_distance(r, several)] + [BEYOND_REQUIRED] * r.beyond_required
        shown = "; ".join(x for x in named if x)
        port = f"{r.port} ({shown})" if shown else r.port
        cells: list[str] = [port, row_mhz]
        for line in LINE_KEYS:
            cells.extend(_value(r.values.get(line), at_mhz.get(line, "")))
        out.append(Row(tuple(cells)))
    return out


def empty_final_table_text(d: UnitDossier, port: str) -> str:
    """Say why ``port`` has no final measurement row: not measured, not judged, or nothing found.

    A port with no capture was not measured ("No emission measured" would read as measured
    and clean); a port whose captures could not be combined or judged was not judged; only a
    judged port without a candidate emission in its cells measured no emission, unless it
    is INCONCLUSIVE: then its readings bound no level, which is not "no emission".
    """
    results = [p for p in d.ports if p.port == port]  # one per distance it was measured at
    captured = any(p.captures for p in results)
    unread = next((c for c in d.cells if c.required.port == port and c.unreadable), None)
    if not captured and unread is not None:
        return f"Not judged: {unreadable_text(unread)}."
    if not captured and d.set_aside(port):
        return (
            f"Not measured for this unit: {', '.join(d.set_aside(port))} "
            f"({SHARED_CONTENT if d.shared_only(port) else OTHER_DEVICE}; see {FINDINGS_TITLE})."
        )
    if not captured:
        return f"Not measured (no capture of {port})."
    judged = [r for p in results if (r := p.pooled) is not None and r.verdict is not Verdict.ERROR]
    if not judged:
        return f"Not judged: the captures of {port} could not be used (see Errors)."
    if any(r.verdict is Verdict.INCONCLUSIVE for r in judged):  # readings, none bounds a level
        return (
            "No emission row: the readings of this port bound no level (for instance a "
            "file stating no RBW); what each line needs is in the matrix, the closest "
            "reading in Notes."
        )
    return "No emission measured."


def port_groups(d: UnitDossier) -> list[tuple[str, tuple[str, ...]]]:
    """Plot groups: one per mains line, one for every polarisation together.

    The radiated group only when the plan requires a cell on a polarisation or one has a
    capture: a device whose highest frequency is below 1.705 MHz needs no radiated
    measurement (47 CFR 15.33(b)(1)), and its record must not show a radiated figure saying
    "Not measured ... INCOMPLETE" beside a PASS.
    """
    groups: list[tuple[str, tuple[str, ...]]] = [(p, (p,)) for p in d.plan.mains_lines]
    pols = set(d.plan.polarisations)
    needed = {c.required.port for c in d.cells} | {p.port for p in d.ports if p.pooled is not None}
    if pols & needed:
        groups.append((PORT_GROUP_RADIATED, d.plan.polarisations))
    return groups
