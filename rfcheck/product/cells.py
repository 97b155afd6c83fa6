"""Judging the cells of the required matrix from each port's pooled measurement.

A port's captures are judged as one measurement (:func:`rfcheck.combine.analyse_combined`,
the ``check --combine`` semantics: a peak prescan is settled by a quasi-peak recording at its
frequencies). Each required cell then takes the verdict of its limit line over the pool,
and the sub-ranges of the cell that no capture measured:

* FAIL / INCONCLUSIVE / ERROR: the line's verdict (a measured failure fails the cell even
  where part of its range is missing);
* MISSING: the line passes where measured but part of the cell's range (or all of it) was
  never measured (``missing_hz``);
* PASS: the whole range was measured and passes.

A capture of the port whose header states another device (``other_device``) is no evidence
for the unit: it is judged for no cell, and a cell it overlaps names it; where nothing else
measured the cell, the cell is MISSING ("not measured for this unit"). So is a capture whose
content is also filed under another unit (``shared``: one measurement, not shown to be this
unit's).

A port with a capture that could not be used (``unreadable``: a file that could not be read,
or one read whose measurement distance is unknown; its file and the reason named in the error
table): a cell that would be MISSING or INCONCLUSIVE is ERROR instead, naming the file, with no
"not measured" range: that file may hold what is missing (FAIL > ERROR > INCONCLUSIVE >
INCOMPLETE, as for the unit). A FAIL or PASS rests on what was judged and stays; every cell of
the port lists the file.

A capture that was read but could not be judged (``failed``: its antenna factor table does
not cover it, say) has a known span: only the cells it overlaps are ERROR (unless the port's
other captures fail them); the others are judged from the other captures, and what they leave
unmeasured stays MISSING.

Under a decision rule other than ``simple`` (:mod:`rfcheck.product.decision`) a cell's
verdict is the rule's; the cell keeps the rule, its shift and the effective margin at its
worst point beside the measured margin. The line's check is restricted to the cell's range
by :func:`rfcheck.product.cell_check.check_in_cell`.

A polarisation measured at two distances is two pools (:func:`judge_pool_cells` judges each);
:mod:`rfcheck.product.distance_cells` merges a cell's judgements, the worse deciding.

See ``docs/dossier.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import numpy as np

from ..outcome import Bound, Verdict, round_margin
from ..results import CaptureResult, LineCheck
from .cell_check import check_in_cell, clip_ranges
from .decision import PortRule
from .origin import TraceOrigin, basis_text, origin_at, origin_json
from .plan import RequiredCell

__all__ = [
    "CellState",
    "Cell",
    "judge_cells",
    "judge_pool_cells",
    "with_port_captures",
    "cell_verdict",
]


class CellState(StrEnum):
    """State of one cell of the matrix (the capture verdicts plus MISSING)."""

    PASS = "PASS"
    FAIL = "FAIL"
    INCONCLUSIVE = "INCONCLUSIVE"
    MISSING = "MISSING"
    ERROR = "ERROR"


#: The unit verdict a cell state contributes (MISSING -> INCOMPLETE).
_AS_VERDICT = {
    CellState.PASS: Verdict.PASS,
    CellState.FAIL: Verdict.FAIL,
    CellState.INCONCLUSIVE: Verdict.INCONCLUSIVE,
    CellState.MISSING: Verdict.INCOMPLETE,
    CellState.ERROR: Verdict.ERROR,
}


def cell_verdict(state: CellState) -> Verdict:
    """Return the unit verdict a cell state stands for (MISSING -> INCOMPLETE)."""
    return _AS_VERDICT[state]


def _r(x: float | None, nd: int) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def _margin(x: float | None) -> float | None:
    """Return a margin for JSON, its sign kept (:func:`rfcheck.outcome.round_margin`)."""
    return None if x is None or not np.isfinite(x) else round_margin(float(x))


@dataclass(frozen=True)
class Cell:
    """A judged cell: the requirement, its state, and the captures behind it.

    Attributes
    ----------
    required : RequiredCell
    state : CellState
    worst_margin_db : float or None
        Smallest margin of the line over the pool, ``limit - level``. [dB]
    worst_frequency_hz : float or None
        Where. [Hz]
    worst_bound : Bound or None
        Whether that value is measured or a bound.
    needs : str
        For INCONCLUSIVE: the measurement that would settle it.
    captures : tuple of str
        Paths of the port's captures whose span overlaps the cell.
    missing_hz : tuple of (float, float)
        Sub-ranges of the cell no capture measured. [Hz]
    unreadable : tuple of str
        Paths of the port's captures that could not be used: not read, or read with no known
        measurement distance (each an error row of the unit, naming why).
    other_device : tuple of str
        Paths of the port's captures overlapping the cell that state another device than the
        unit's (set aside, judged for no cell).
    shared : tuple of str
        Paths of the port's captures overlapping the cell whose content is also filed under
        another unit (set aside, judged for no cell).
    worst_computed_from : str
        The I/Q recording rfcheck's receiver model computed the worst point from; "" for an
        instrument's reading (:mod:`rfcheck.product.origin`).
    worst_channel : str
        The channel of a multi-channel recording the worst point was computed from
        (``Channel 2``); "" otherwise.
    rule : PortRule or None
        The decision rule the cell was judged under; None under ``simple``.
    rule_shift_db, effective_margin_db : float or None
        At the worst point, under ``rule``: how far the rule moved the comparison and the
        margin it judged (``worst_margin_db - rule_shift_db``); None under ``simple`` or
        where the rule does not apply (no U_cispr). [dB]
    distance_m : float or None
        The measurement distance of the judgement that decides the cell (its worst point's);
        None for a conducted cell or one nothing measured. [m]
    distances_m : tuple of float
        Every distance the cell was judged at: two when captures at two distances both
        measured it (the worse decides, :mod:`rfcheck.product.distance_cells`). [m]
    """

    required: RequiredCell
    state: CellState
    worst_margin_db: float | None = None
    worst_frequency_hz: float | None = None
    worst_bound: Bound | None = None
    needs: str = ""
    captures: tuple[str, ...] = ()
    missing_hz: tuple[tuple[float, float], ...] = ()
    unreadable: tuple[str, ...] = ()
    other_device: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()
    worst_computed_from: str = ""
    worst_channel: str = ""
    rule: PortRule | None = None
    rule_shift_db: float | None = None
    effective_margin_db: float | None = None
    distance_m: float | None = None
    distances_m: tuple[float, ...] = ()

    @property
    def judged_margin_db(self) -> float | None:
        """The margin the verdict rests on: a decision rule's effective one, else the worst [dB].

        None when the cell has neither.
        """
        return (
            self.effective_margin_db
            if self.effective_margin_db is not None
            else self.worst_margin_db
        )

    @property
    def worst_basis(self) -> str:
        """How the worst point was obtained ("" when there is none); see :func:`basis_text`."""
        if self.worst_bound is None:
            return ""
        return basis_text(self.worst_bound, self.worst_computed_from, self.worst_channel)

    def to_json(self) -> dict[str, Any]:
        """Return the cell as a JSON-ready mapping."""
        c = self.required
        return {
            "port": c.port,
            "port_kind": c.port_kind.value,
            "limit_id": c.limit_id,
            "line": c.line,
            "range_hz": [c.start_hz, c.stop_hz],
            "clause": c.clause,
            "verdict": self.state.value,
            "worst_margin_db": _margin(self.worst_margin_db),
            "worst_frequency_hz": _r(self.worst_frequency_hz, 1),
            "worst_bound": self.worst_bound.value if self.worst_bound else None,
            **{
                f"worst_{k}": None if self.worst_bound is None else v
                for k, v in origin_json(self.worst_computed_from, self.worst_channel).items()
            },
            "needs": self.needs,
            "captures": list(self.captures),
            "missing_hz": [[_r(a, 1), _r(b, 1)] for a, b in self.missing_hz],
            "unreadable": list(self.unreadable),
            "other_device": list(self.other_device),
            "shared_content": list(self.shared),
            "distance_m": self.distance_m,
            "distances_m": list(self.distances_m),
            **self._rule_json(),
        }

    def _rule_json(self) -> dict[str, Any]:
        """Return the rule's keys (none under ``simple``: the cell's JSON is then as before)."""
        if self.rule is None:
            return {}
        return {
            "decision_rule": self.rule.rule.text,
            "u_lab_db": self.rule.u_lab_db,
            "rule_shift_db": _r(self.rule_shift_db, 2),
            "effective_margin_db": _margin(self.effective_margin_db),
        }


def _state(check: LineCheck, missing: tuple[tuple[float, float], ...]) -> CellState:
    if check.verdict is Verdict.FAIL:
        return CellState.FAIL
    if check.verdict is Verdict.ERROR:
        return CellState.ERROR
    if check.verdict is Verdict.INCONCLUSIVE:
        return CellState.INCONCLUSIVE
    return CellState.MISSING if missing else CellState.PASS


def _one(
    cell: RequiredCell,
    checks: dict[tuple[str, str], LineCheck],
    errored: bool,
    captures: tuple[str, ...],
    pooled: CaptureResult | None = None,
    rule: PortRule | None = None,
) -> Cell:
    whole = ((cell.start_hz, cell.stop_hz),)
    if errored:
        return Cell(cell, CellState.ERROR, captures=captures)
    check = checks.get((cell.limit_id, cell.line))
    if check is None:
        return Cell(cell, CellState.MISSING, captures=captures, missing_hz=whole)
    check = check_in_cell(cell, check, pooled, rule) if pooled is not None else check
    missing = clip_ranges(check.not_evaluated_hz, cell.start_hz, cell.stop_hz)
    origin = _worst_origin(cell, check, pooled)
    return Cell(
        cell,
        _state(check, missing),
        worst_margin_db=check.worst_margin_db,
        worst_frequency_hz=check.worst_frequency_hz,
        worst_bound=check.worst_bound,
        needs=check.needs,
        captures=captures,
        missing_hz=missing,
        worst_computed_from=origin.computed_from,
        worst_channel=origin.channel,
        rule=rule,
        rule_shift_db=check.rule_shift_db,
        effective_margin_db=check.effective_margin_db,
    )


def _worst_origin(
    cell: RequiredCell, check: LineCheck, pooled: CaptureResult | None
) -> TraceOrigin:
    """Return the recording (and channel) the receiver model computed the worst point from.

    The pooled trace with a point at the worst frequency whose level there gives the worst
    margin (:func:`rfcheck.product.origin.origin_at`).
    """
    f, margin = check.worst_frequency_hz, check.worst_margin_db
    if pooled is None or f is None or margin is None:
        return TraceOrigin()
    lim = next(
        (p for p in pooled.plot_limits if (p.limit_id, p.line) == (cell.limit_id, check.line)), None
    )
    if lim is None or not lim.freq_hz.size:
        return TraceOrigin()
    level = float(np.interp(f, lim.freq_hz, lim.level)) - margin
    return origin_at(pooled.plot_traces, lim.unit, f, level)


#: The states a capture that could not be used turns to ERROR: what they claim (not
#: measured, still to be measured) the unused file may contradict.
_UNSURE_WITHOUT_IT = (CellState.MISSING, CellState.INCONCLUSIVE)


def _with_unreadable(cell: Cell, unreadable: tuple[str, ...]) -> Cell:
    """Return ``cell`` naming the port's captures not used (ERROR when it was unsure)."""
    if not unreadable:
        return cell
    if cell.state in _UNSURE_WITHOUT_IT:
        return replace(cell, state=CellState.ERROR, missing_hz=(), unreadable=unreadable)
    return replace(cell, unreadable=unreadable)


def judge_cells(
    cells: Sequence[RequiredCell],
    pooled: CaptureResult | None,
    members: Sequence[tuple[str, tuple[float, float]]],
    unreadable: Sequence[str] = (),
    other_device: Sequence[tuple[str, tuple[float, float]]] = (),
    shared: Sequence[tuple[str, tuple[float, float]]] = (),
    failed: Sequence[tuple[str, tuple[float, float]]] = (),
    rule: PortRule | None = None,
) -> tuple[Cell, ...]:
    """Judge one port's cells from its pooled result.

    :func:`judge_pool_cells`, then :func:`with_port_captures` (the port's captures that
    could not be used or were set aside).

    Parameters
    ----------
    cells : sequence of RequiredCell
        The port's required cells.
    pooled : CaptureResult or None
        The port's captures judged as one measurement; None when the port has none (every
        cell MISSING over its whole range).
    members : sequence of (str, (float, float))
        Each capture's path and span [Hz], to list the captures behind each cell.
    unreadable : sequence of str
        The port's captures that could not be used: a cell otherwise MISSING or
        INCONCLUSIVE is ERROR, naming them (see the module docstring).
    other_device : sequence of (str, (float, float))
        The port's captures set aside as another device's, with their spans [Hz]: a cell
        they overlap names them (none of them is in ``pooled``).
    shared : sequence of (str, (float, float))
        The port's captures set aside because their content is also filed under another
        unit, with their spans [Hz]: as ``other_device``.
    failed : sequence of (str, (float, float))
        The port's captures read but not judged (their own error row: a transducer table
        that does not cover them), with their spans [Hz]; none of them is in ``pooled``. A
        cell one overlaps is ERROR unless ``pooled`` fails it; a cell none overlaps is judged
        from ``pooled`` alone (its unmeasured sub-ranges MISSING).
    rule : PortRule, optional
        The decision rule ``pooled`` was judged under (None: ``simple``); each cell keeps it
        with the rule's shift and effective margin at its worst point.

    Returns
    -------
    tuple of Cell
        In the order of ``cells``.
    """
    judged = judge_pool_cells(cells, pooled, members, failed, rule)
    return tuple(with_port_captures(c, unreadable, other_device, shared) for c in judged)


def judge_pool_cells(
    cells: Sequence[RequiredCell],
    pooled: CaptureResult | None,
    members: Sequence[tuple[str, tuple[float, float]]],
    failed: Sequence[tuple[str, tuple[float, float]]] = (),
    rule: PortRule | None = None,
) -> tuple[Cell, ...]:
    """Judge the port's cells from one pool alone (parameters as :func:`judge_cells`).

    A port measured at two distances has a pool per distance; the dossier merges each
    cell's judgements (:mod:`rfcheck.product.distance_cells`) before naming the port's
    unread and set-aside captures (:func:`with_port_captures`).
    """
    errored = pooled is not None and pooled.verdict is Verdict.ERROR
    checks = {} if pooled is None else {(c.limit_id, c.line): c for c in pooled.checks}
    out = []
    for cell in cells:
        judged = _one(cell, checks, errored, _overlapping(cell, members), pooled, rule)
        if _overlapping(cell, failed) and judged.state is not CellState.FAIL:
            judged = Cell(cell, CellState.ERROR, captures=judged.captures)
        out.append(judged)
    return tuple(out)


def with_port_captures(
    cell: Cell,
    unreadable: Sequence[str] = (),
    other_device: Sequence[tuple[str, tuple[float, float]]] = (),
    shared: Sequence[tuple[str, tuple[float, float]]] = (),
) -> Cell:
    """Return ``cell`` naming its port's unread and set-aside captures (see :func:`judge_cells`)."""
    return replace(
        _with_unreadable(cell, tuple(unreadable)),
        other_device=_overlapping(cell.required, other_device),
        shared=_overlapping(cell.required, shared),
    )


def _overlapping(
    cell: RequiredCell, spans: Sequence[tuple[str, tuple[float, float]]]
) -> tuple[str, ...]:
    """Return the paths whose span [Hz] overlaps ``cell`` (a one-point span: lies in it)."""
    return tuple(
        p
        for p, (lo, hi) in spans
        if min(hi, cell.stop_hz) > max(lo, cell.start_hz)
        or (lo == hi and cell.start_hz <= lo <= cell.stop_hz)
    )
