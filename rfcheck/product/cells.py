"""Judging the cells of the required matrix from each port's pooled measurement.

A port's captures are judged as one measurement (:func:`rfcheck.analysis.analyse_combined`,
the ``check --combine`` semantics: a peak prescan is settled by a quasi-peak recording at its
frequencies). Each required cell then takes the verdict of its limit line over the pool,
and the sub-ranges of the cell that no capture measured:

* FAIL / INCONCLUSIVE / ERROR: the line's verdict (a measured failure fails the cell even
  where part of its range is missing);
* MISSING: the line passes where measured but part of the cell's range (or all of it) was
  never measured (``missing_hz``);
* PASS: the whole range was measured and passes.

See ``docs/dossier.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from ..results import Bound, CaptureResult, LineCheck, Verdict
from .plan import RequiredCell

__all__ = ["CellState", "Cell", "judge_cells", "cell_verdict"]


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
    """The unit verdict a cell state stands for (MISSING -> INCOMPLETE)."""
    return _AS_VERDICT[state]


def _r(x: float | None, nd: int) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


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
    """

    required: RequiredCell
    state: CellState
    worst_margin_db: float | None = None
    worst_frequency_hz: float | None = None
    worst_bound: Bound | None = None
    needs: str = ""
    captures: tuple[str, ...] = ()
    missing_hz: tuple[tuple[float, float], ...] = ()

    def to_json(self) -> dict[str, Any]:
        c = self.required
        return {
            "port": c.port,
            "port_kind": c.port_kind.value,
            "limit_id": c.limit_id,
            "line": c.line,
            "range_hz": [c.start_hz, c.stop_hz],
            "clause": c.clause,
            "verdict": self.state.value,
            "worst_margin_db": _r(self.worst_margin_db, 2),
            "worst_frequency_hz": _r(self.worst_frequency_hz, 1),
            "worst_bound": self.worst_bound.value if self.worst_bound else None,
            "needs": self.needs,
            "captures": list(self.captures),
            "missing_hz": [[_r(a, 1), _r(b, 1)] for a, b in self.missing_hz],
        }


def _clip(ranges: Sequence[tuple[float, float]], lo: float, hi: float) -> tuple[tuple[float, float], ...]:
    out = [(max(a, lo), min(b, hi)) for a, b in ranges]
    return tuple((a, b) for a, b in out if b > a)


def _state(check: LineCheck, missing: tuple[tuple[float, float], ...]) -> CellState:
    if check.verdict is Verdict.FAIL:
        return CellState.FAIL
    if check.verdict is Verdict.ERROR:
        return CellState.ERROR
    if check.verdict is Verdict.INCONCLUSIVE:
        return CellState.INCONCLUSIVE
    return CellState.MISSING if missing else CellState.PASS


def _one(
    cell: RequiredCell, checks: dict[tuple[str, str], LineCheck], errored: bool, captures: tuple[str, ...]
) -> Cell:
    whole = ((cell.start_hz, cell.stop_hz),)
    if errored:
        return Cell(cell, CellState.ERROR, captures=captures)
    check = checks.get((cell.limit_id, cell.line))
    if check is None:
        return Cell(cell, CellState.MISSING, captures=captures, missing_hz=whole)
    missing = _clip(check.not_evaluated_hz, cell.start_hz, cell.stop_hz)
    return Cell(
        cell,
        _state(check, missing),
        worst_margin_db=check.worst_margin_db,
        worst_frequency_hz=check.worst_frequency_hz,
        worst_bound=check.worst_bound,
        needs=check.needs,
        captures=captures,
        missing_hz=missing,
    )


def judge_cells(
    cells: Sequence[RequiredCell],
    pooled: CaptureResult | None,
    members: Sequence[tuple[str, tuple[float, float]]],
) -> tuple[Cell, ...]:
    """Judge one port's cells from its pooled result.

    Parameters
    ----------
    cells : sequence of RequiredCell
        The port's required cells.
    pooled : CaptureResult or None
        The port's captures judged as one measurement; None when the port has none (every
        cell MISSING over its whole range).
    members : sequence of (str, (float, float))
        Each capture's path and span [Hz], to list the captures behind each cell.

    Returns
    -------
    tuple of Cell
        In the order of ``cells``.
    """
    errored = pooled is not None and pooled.verdict is Verdict.ERROR
    checks = {} if pooled is None else {(c.limit_id, c.line): c for c in pooled.checks}
    out = []
    for cell in cells:
        behind = tuple(
            p for p, (lo, hi) in members
            if min(hi, cell.stop_hz) > max(lo, cell.start_hz)
            or (lo == hi and cell.start_hz <= lo <= cell.stop_hz)
        )
        out.append(_one(cell, checks, errored, behind))
    return tuple(out)
