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

A port with a capture that could not be read (``unreadable``: its file named in the error
table): a cell that would be MISSING or INCONCLUSIVE is ERROR instead, naming the file, with no
"not measured" range: that file may hold what is missing (FAIL > ERROR > INCONCLUSIVE >
INCOMPLETE, as for the unit). A FAIL or PASS rests on what was read and stays; every cell of
the port lists the file.

A capture that was read but could not be judged (``failed``: its antenna factor table does
not cover it, say) has a known span: only the cells it overlaps are ERROR (unless the port's
other captures fail them); the others are judged from the other captures, and what they leave
unmeasured stays MISSING.

Under a decision rule other than ``simple`` (:mod:`rfcheck.product.decision`) a cell's
verdict is the rule's; the cell keeps the rule, its shift and the effective margin at its
worst point beside the measured margin.

See ``docs/dossier.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import numpy as np

from ..capture import Detector
from ..outcome import MARGIN_EPS_DB, Bound, Verdict, round_margin
from ..results import CaptureResult, LineCheck, Suspect
from ..verdict.bounds import BoundCode, reading_bounds
from .decision import PortRule
from .origin import TraceOrigin, basis_text, origin_at, origin_json
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
        Paths of the port's captures that could not be read (each an error row of the unit).
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


def _clip(
    ranges: Sequence[tuple[float, float]], lo: float, hi: float
) -> tuple[tuple[float, float], ...]:
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


def _inside(cell: RequiredCell, f_hz: float) -> bool:
    return cell.start_hz <= f_hz <= cell.stop_hz


def _from_traces(
    cell: RequiredCell, check: LineCheck, pooled: CaptureResult
) -> list[tuple[float, float, Bound]]:
    """Read the line's worst point inside the cell from the pooled traces.

    Used when no candidate lies there: over the points measuring the line, else over those
    bounding it from above, each point's bound after the verdict's demotions
    (:func:`rfcheck.verdict.bounds.reading_bounds`).
    """
    lim = next(
        (p for p in pooled.plot_limits if (p.limit_id, p.line) == (cell.limit_id, check.line)), None
    )
    if lim is None or not lim.freq_hz.size:
        return []
    out: dict[Bound, list[tuple[float, float, Bound]]] = {Bound.MEASURED: [], Bound.UPPER: []}
    line_hz = (float(lim.freq_hz[0]), float(lim.freq_hz[-1]))
    for t in pooled.plot_traces:
        keep = (t.freq_hz >= max(cell.start_hz, line_hz[0])) & (
            t.freq_hz <= min(cell.stop_hz, line_hz[1])
        )
        keep &= np.isfinite(t.level)
        if t.unit != lim.unit or not keep.any():
            continue
        f = t.freq_hz[keep]
        bounds = reading_bounds(
            t.detector,
            Detector(check.detector),
            f,
            line_hz,
            rbw_hz=t.rbw_hz,
            settled=t.settled,
            mode=t.mode,
            rbw_floor_above_hz=lim.rbw_floor_above_hz,
        )
        if bounds is None:
            continue
        margin = np.interp(f, lim.freq_hz, lim.level) - t.level[keep]
        for bound, points in out.items():
            sel = np.flatnonzero(bounds == BoundCode.of(bound))
            if sel.shape[0]:
                i = int(sel[np.argmin(margin[sel])])
                points.append((float(margin[i]), float(f[i]), bound))
    return out[Bound.MEASURED] or out[Bound.UPPER]


def _in_cell(
    cell: RequiredCell, check: LineCheck, pooled: CaptureResult, rule: PortRule | None = None
) -> LineCheck:
    """Restrict the line's check to the cell's range.

    A line judged over more than the cell (a 1-6 GHz scan on a 1-5 GHz cell) may have its
    worst point, its failure or its undecided points outside the cell: the worst is then
    the line's worst candidate inside the cell (a measured value or upper bound first; a
    lower bound only when nothing else is there), and the verdict is the cell's own (under
    ``rule``: the rule's over the candidates inside the cell, :func:`_rule_verdict`).
    """
    worst_inside = check.worst_frequency_hz is None or _inside(cell, check.worst_frequency_hz)
    if worst_inside and (rule is None or check.verdict not in _UNDECIDED_OR_FAIL):
        return check
    mine = [
        s
        for s in pooled.suspects
        if s.limit_id == cell.limit_id and s.line == cell.line and _inside(cell, s.frequency_hz)
    ]
    if worst_inside and rule is not None:
        # the line's worst (measured) point is the cell's, but under the rule the point that
        # fails or leaves it undecided may lie outside: the rule judges the cell's own points
        # (a 1-6 GHz scan FAILed its 1-5 GHz cell by a reading at 5.5 GHz)
        return _by_rule_inside(cell, check, mine, rule)
    decided: list[tuple[float, float, Bound]] = [
        (s.margin_db, s.frequency_hz, s.bound)
        for s in mine
        if s.bound in (Bound.MEASURED, Bound.UPPER)
    ]
    decided = (
        decided
        or [(s.margin_db, s.frequency_hz, s.bound) for s in mine]
        or _from_traces(cell, check, pooled)
    )
    worst = min(decided, key=lambda w: (w[0], w[1])) if decided else None
    fails = any(
        s.margin_db < -MARGIN_EPS_DB and s.bound in (Bound.MEASURED, Bound.LOWER) for s in mine
    )
    needs_hz = tuple(f for f in check.needs_hz if _inside(cell, f))
    needs_ranges = _clip(check.needs_ranges_hz, cell.start_hz, cell.stop_hz)
    if rule is not None:
        verdict = _rule_verdict(check.verdict, mine, rule, bool(needs_hz or needs_ranges))
    elif (
        check.verdict is Verdict.FAIL
        and not fails
        or check.verdict is Verdict.INCONCLUSIVE
        and not needs_hz
        and not needs_ranges
    ):
        verdict = Verdict.PASS
    else:
        verdict = check.verdict
    at_rule = None if worst is None or rule is None else rule.at(worst[1], worst[0], worst[2])
    return replace(
        check,
        verdict=verdict,
        worst_margin_db=None if worst is None else worst[0],
        worst_frequency_hz=None if worst is None else worst[1],
        worst_bound=None if worst is None else worst[2],
        needs=check.needs if verdict is Verdict.INCONCLUSIVE else "",
        needs_hz=needs_hz,
        needs_ranges_hz=needs_ranges,
        rule_shift_db=None if at_rule is None else at_rule[0],
        effective_margin_db=None if at_rule is None else at_rule[1],
    )


_UNDECIDED_OR_FAIL = (Verdict.FAIL, Verdict.INCONCLUSIVE)


def _by_rule_inside(
    cell: RequiredCell, check: LineCheck, mine: Sequence[Suspect], rule: PortRule
) -> LineCheck:
    """Return the line's check with the verdict the rule gives the cell's own points."""
    needs_hz = tuple(f for f in check.needs_hz if _inside(cell, f))
    needs_ranges = _clip(check.needs_ranges_hz, cell.start_hz, cell.stop_hz)
    verdict = _rule_verdict(check.verdict, mine, rule, bool(needs_hz or needs_ranges))
    at_rule = (
        None
        if check.worst_frequency_hz is None or check.worst_margin_db is None
        else rule.at(
            check.worst_frequency_hz, check.worst_margin_db, check.worst_bound or Bound.MEASURED
        )
    )
    return replace(
        check,
        verdict=verdict,
        needs=check.needs if verdict is Verdict.INCONCLUSIVE else "",
        needs_hz=needs_hz,
        needs_ranges_hz=needs_ranges,
        rule_shift_db=None if at_rule is None else at_rule[0],
        effective_margin_db=None if at_rule is None else at_rule[1],
    )


def _rule_verdict(
    line: Verdict, mine: Sequence[Suspect], rule: PortRule, needs_measurement: bool
) -> Verdict:
    """Return a cell's verdict under ``rule`` from the line's candidates inside it.

    FAIL when the rule fails one; else INCONCLUSIVE when a candidate is undecided under the
    rule above its acceptance limit, or a measurement is still needed there; else PASS (a
    line PASS, ERROR or INCOMPLETE keeps its verdict), as
    :func:`rfcheck.verdict.rule.rule_line_verdict` judges a line.
    """
    if line not in (Verdict.FAIL, Verdict.INCONCLUSIVE):
        return line
    decided = [rule.decide(s) for s in mine if s.bound is not Bound.NONE]
    if any(d.verdict is Verdict.FAIL for d in decided):
        return Verdict.FAIL
    undecided = any(
        d.verdict is Verdict.INCONCLUSIVE and d.effective_margin_db < -MARGIN_EPS_DB
        for d in decided
    )
    return Verdict.INCONCLUSIVE if undecided or needs_measurement else Verdict.PASS


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
    check = _in_cell(cell, check, pooled, rule) if pooled is not None else check
    missing = _clip(check.not_evaluated_hz, cell.start_hz, cell.stop_hz)
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


#: The states a capture that could not be read turns to ERROR: what they claim (not
#: measured, still to be measured) the unread file may contradict.
_UNSURE_WITHOUT_IT = (CellState.MISSING, CellState.INCONCLUSIVE)


def _with_unreadable(cell: Cell, unreadable: tuple[str, ...]) -> Cell:
    """Return ``cell`` naming the port's unreadable captures (ERROR when it was unsure)."""
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
        The port's captures that could not be read: a cell otherwise MISSING or
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
    errored = pooled is not None and pooled.verdict is Verdict.ERROR
    checks = {} if pooled is None else {(c.limit_id, c.line): c for c in pooled.checks}
    out = []
    for cell in cells:
        judged = _with_unreadable(
            _one(cell, checks, errored, _overlapping(cell, members), pooled, rule),
            tuple(unreadable),
        )
        if _overlapping(cell, failed) and judged.state is not CellState.FAIL:
            judged = Cell(cell, CellState.ERROR, captures=judged.captures)
        out.append(
            replace(
                judged,
                other_device=_overlapping(cell, other_device),
                shared=_overlapping(cell, shared),
            )
        )
    return tuple(out)


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
