"""A limit line's check over a port's pool, restricted to one required cell's range.

A line judged over more than the cell (a 1-6 GHz scan on a 1-5 GHz cell) may have its worst
point, its failure or its undecided points outside the cell: :func:`check_in_cell` gives
the cell its own worst point and verdict (under a decision rule, the rule's over the
candidates inside the cell). Used by :mod:`rfcheck.product.cells`; see ``docs/dossier.md``,
"Cells".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..capture import Detector
from ..outcome import MARGIN_EPS_DB, Bound, Verdict
from ..results import CaptureResult, LineCheck, Suspect
from ..verdict.bounds import BoundCode, reading_bounds
from .decision import PortRule
from .plan import RequiredCell

__all__ = ["check_in_cell", "clip_ranges"]


def clip_ranges(
    ranges: Sequence[tuple[float, float]], lo: float, hi: float
) -> tuple[tuple[float, float], ...]:
    """Return ``ranges`` clipped to ``[lo, hi]``, the empty ones dropped [Hz]."""
    out = [(max(a, lo), min(b, hi)) for a, b in ranges]
    return tuple((a, b) for a, b in out if b > a)


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
            sel = np.flatnonzero(bounds == int(BoundCode.of(bound)))
            if sel.shape[0]:
                i = int(sel[np.argmin(margin[sel])])
                points.append((float(margin[i]), float(f[i]), bound))
    return out[Bound.MEASURED] or out[Bound.UPPER]


def check_in_cell(
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
    needs_ranges = clip_ranges(check.needs_ranges_hz, cell.start_hz, cell.stop_hz)
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
    needs_ranges = clip_ranges(check.needs_ranges_hz, cell.start_hz, cell.stop_hz)
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
