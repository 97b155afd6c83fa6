"""The stated decision rule applied to a judged line (``check --decision-rule``).

The judge decides each line with the simple rule (level against limit). Under another rule
(``cispr16-4-2``, ``guard-band:DB``) every point that could change the outcome is
re-judged by :func:`rfcheck.verdict.decision.apply_rule`, where the level meets the limit:

- a point the rule FAILs makes the line FAIL;
- else a point left INCONCLUSIVE above the acceptance limit makes it INCONCLUSIVE;
- else the line keeps the simple outcome, with a simple FAIL becoming PASS (INCOMPLETE and
  INCONCLUSIVE for lack of a bound stay).

Under ``simple`` nothing is re-judged: every result is exactly as before. A suspect row
whose reading is a measurement (not a bound) shows its verdict under the rule.

References
----------
CISPR 16-4-2 (compliance criterion with U_cispr); ILAC G8 (guard band). See
``docs/explain.md`` ("Decision rules").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..outcome import Bound, Verdict
from ..results import Suspect
from .bounds import CODE_NONE, CODE_UPPER, BoundCode
from .decision import (
    SIMPLE,
    Decision,
    DecisionRule,
    RuleKind,
    apply_rule,
    u_cispr_for,
    u_cispr_table,
)

__all__ = [
    "rule_line_verdict",
    "rule_suspects",
    "rule_shift_db",
    "no_u_cispr_note",
    "rule_at_point",
    "effective_margins_db",
    "rule_fails",
    "decide_suspect",
]

#: dB comparisons tolerate float rounding, as the judge does. [dB]
_EPS_DB = 1e-9


def rule_shift_db(rule: DecisionRule, u_lab_db: float | None) -> float:
    """Return the most a rule can move the acceptance limit [dB].

    Points with a larger margin PASS under the rule whatever their bound.
    """
    if rule.kind is RuleKind.GUARD_BAND:
        return rule.guard_db
    if rule.kind is RuleKind.CISPR16_4_2:
        return u_lab_db or 0.0
    return 0.0


def _point_rule(rule: DecisionRule, port: str, freq_hz: float) -> tuple[DecisionRule, float | None]:
    """Return the rule for one point and its U_cispr.

    A cispr16-4-2 point no U_cispr row covers is judged by the simple rule (and said in a
    warning).
    """
    if rule.kind is not RuleKind.CISPR16_4_2:
        return rule, None
    row = u_cispr_for(port, freq_hz)
    return (SIMPLE, None) if row is None else (rule, row.u_cispr_db)


def no_u_cispr_note(port: str, freq_hz: Sequence[float]) -> str:
    """Return the warning for cispr16-4-2 points no U_cispr row covers."""
    where = ", ".join(f"{f / 1e6:.6g} MHz" for f in sorted(set(freq_hz))[:5])
    return (
        f"decision rule cispr16-4-2: no U_cispr for a {port} measurement at {where}; "
        "judged there by the simple rule"
    )


def rule_line_verdict(
    simple: Verdict,
    freq_hz: NDArray[np.float64],
    margin_db: NDArray[np.float64],
    limit: NDArray[np.float64],
    bound: NDArray[np.int8],
    superseded: NDArray[np.bool_],
    *,
    rule: DecisionRule,
    port: str,
    u_lab_db: float | None,
    notes: list[str],
) -> Verdict:
    """Return a line's verdict under ``rule``, from its pooled points.

    Parameters
    ----------
    simple : Verdict
        The line's verdict under the simple rule.
    freq_hz, margin_db, limit : ndarray
        Each point's frequency [Hz], ``limit - level`` [dB] and limit [dBµV or dBµV/m].
    bound, superseded : ndarray
        Each point's :class:`~rfcheck.verdict.bounds.BoundCode`, and whether another reading
        settled it (a settled upper bound no longer counts).
    rule : DecisionRule
    port : str
        ``conducted`` or ``radiated`` (the U_cispr row).
    u_lab_db : float, optional
        The lab's expanded uncertainty for the port (cispr16-4-2). [dB]
    notes : list of str
        A note is appended when some point has no U_cispr row (judged there by ``simple``).

    Raises
    ------
    AnalysisError
        cispr16-4-2 without U_lab.
    """
    if rule.kind is RuleKind.SIMPLE:
        return simple
    if rule.kind is RuleKind.CISPR16_4_2 and u_lab_db is None:
        apply_rule(rule, 0.0, 0.0, Bound.MEASURED, None, None)  # raises: says what is missing
    counts = ~((bound == CODE_UPPER) & superseded) & (bound != CODE_NONE)
    near = np.flatnonzero(counts & (margin_db < rule_shift_db(rule, u_lab_db) + _EPS_DB))
    # every near point is judged (no early exit at a FAIL): each one judged simply for want
    # of a U_cispr row is named in the note (those after the first FAIL once were not)
    decisions = _judge_points(rule, port, u_lab_db, near, freq_hz, margin_db, limit, bound, notes)
    if any(d.verdict is Verdict.FAIL for d in decisions):
        return Verdict.FAIL
    if any(
        d.verdict is Verdict.INCONCLUSIVE and d.effective_margin_db < -_EPS_DB for d in decisions
    ):
        return Verdict.INCONCLUSIVE
    return Verdict.PASS if simple is Verdict.FAIL else simple


def _judge_points(
    rule: DecisionRule,
    port: str,
    u_lab_db: float | None,
    idx: NDArray[np.intp],
    freq_hz: NDArray[np.float64],
    margin_db: NDArray[np.float64],
    limit: NDArray[np.float64],
    bound: NDArray[np.int8],
    notes: list[str],
) -> list[Decision]:
    """Return :func:`apply_rule` at each point ``idx``, each under its own rule.

    A point no U_cispr row covers is judged by the simple rule, and one note in ``notes``
    names every such point. Shared by :func:`rule_line_verdict` and :func:`rule_fails`.
    """
    out: list[Decision] = []
    uncovered: list[float] = []
    for k in idx:
        f, lim = float(freq_hz[k]), float(limit[k])
        point_rule, u_cispr = _point_rule(rule, port, f)
        if point_rule is not rule:
            uncovered.append(f)
        b = BoundCode(int(bound[k])).bound
        out.append(apply_rule(point_rule, lim - float(margin_db[k]), lim, b, u_lab_db, u_cispr))
    if uncovered:
        notes.append(no_u_cispr_note(port, uncovered))
    return out


def rule_fails(
    rule: DecisionRule,
    port: str,
    u_lab_db: float | None,
    freq_hz: NDArray[np.float64],
    margin_db: NDArray[np.float64],
    limit: NDArray[np.float64],
    bound: NDArray[np.int8],
    sel: NDArray[np.bool_],
    notes: list[str],
) -> NDArray[np.bool_]:
    """Return which points of ``sel`` the rule FAILs, each as :func:`rule_line_verdict` judges.

    A point no U_cispr row covers is judged by the simple rule (a note in ``notes`` says
    so); points outside ``sel`` are False. (Beyond the required range a reading counts only
    when the rule fails it too.)
    """
    if rule.kind is RuleKind.SIMPLE:
        return sel.copy()
    out = np.zeros(freq_hz.shape, dtype=bool)
    idx = np.flatnonzero(sel)
    decisions = _judge_points(rule, port, u_lab_db, idx, freq_hz, margin_db, limit, bound, notes)
    out[idx] = [d.verdict is Verdict.FAIL for d in decisions]
    return out


def rule_at_point(
    rule: DecisionRule,
    port: str,
    u_lab_db: float | None,
    freq_hz: float,
    margin_db: float,
    limit: float,
    bound: Bound,
) -> tuple[float, float] | None:
    """Return (shift, effective margin) of one point under ``rule`` [dB], or None.

    The shift is what the rule moves the comparison by (cispr16-4-2: the U_lab excess over
    U_cispr added to the level; guard-band: the guard); the effective margin is the margin
    the rule judges (:attr:`rfcheck.verdict.decision.Decision.effective_margin_db`). None
    under ``simple``, without U_lab, or where no U_cispr row covers the point.
    """
    if rule.kind is RuleKind.SIMPLE or (rule.kind is RuleKind.CISPR16_4_2 and u_lab_db is None):
        return None
    point_rule, u_cispr = _point_rule(rule, port, freq_hz)
    if point_rule is not rule:
        return None
    d = apply_rule(rule, limit - margin_db, limit, bound, u_lab_db, u_cispr)
    shift = d.added_db if rule.kind is RuleKind.CISPR16_4_2 else rule.guard_db
    return shift, d.effective_margin_db


def rule_suspects(
    suspects: Sequence[Suspect], rule: DecisionRule, port: str, u_lab_db: float | None
) -> tuple[Suspect, ...]:
    """Return the suspect rows with each reading's verdict under ``rule``.

    A bound is judged as a bound (:func:`~rfcheck.verdict.decision.apply_rule`): a peak
    reading under the AV limit by less than the rule's shift is INCONCLUSIVE, as its line is
    (the row once read PASS). Unchanged under ``simple``.
    """
    if rule.kind is RuleKind.SIMPLE:
        return tuple(suspects)
    return tuple(
        dataclasses.replace(s, verdict=decide_suspect(rule, port, u_lab_db, s).verdict)
        for s in suspects
    )


def decide_suspect(rule: DecisionRule, port: str, u_lab_db: float | None, s: Suspect) -> Decision:
    """Return one suspect row under ``rule`` (the simple rule where no U_cispr row covers it)."""
    point_rule, u_cispr = _point_rule(rule, port, s.frequency_hz)
    return apply_rule(point_rule, s.level, s.limit, s.bound, u_lab_db, u_cispr)


def effective_margins_db(
    rule: DecisionRule,
    port: str,
    u_lab_db: float | None,
    freq_hz: NDArray[np.float64],
    margin_db: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return each point's margin [dB] as ``rule`` judges it: ``margin_db`` less the shift.

    cispr16-4-2 shifts a point by ``max(0, U_lab - U_cispr)``, the smaller U_cispr at a
    shared edge as :func:`~rfcheck.verdict.decision.u_cispr_for` takes it, and not at all
    where no U_cispr row covers it (judged there by the simple rule); a guard band shifts
    every point by its guard; ``simple`` (or no U_lab) by nothing. The line's worst point
    under a rule is the point of the smallest of these (it once was the smallest
    measured margin, a point the rule does not judge).
    """
    if rule.kind is RuleKind.GUARD_BAND:
        return margin_db - rule.guard_db
    if rule.kind is not RuleKind.CISPR16_4_2 or u_lab_db is None:
        return margin_db
    u_cispr = np.full(freq_hz.shape, np.inf)
    for row in u_cispr_table():
        if row.port == port:
            on = (freq_hz >= row.start_hz) & (freq_hz <= row.stop_hz)
            u_cispr[on] = np.minimum(u_cispr[on], row.u_cispr_db)
    shift = np.where(np.isfinite(u_cispr), np.maximum(0.0, u_lab_db - u_cispr), 0.0)
    return margin_db - shift
