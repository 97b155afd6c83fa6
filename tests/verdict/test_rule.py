"""The decision rule applied to a judged line (rfcheck.verdict.rule).

Bounds keep their meaning under every rule, and simple never re-judges.
"""

from __future__ import annotations

import numpy as np
import pytest

from rfcheck.outcome import Bound, Verdict
from rfcheck.verdict.bounds import BoundCode
from rfcheck.verdict.decision import SIMPLE, DecisionRule, parse_decision_rule
from rfcheck.verdict.rule import rule_line_verdict

GUARD = parse_decision_rule("guard-band:2")


def _verdict(
    simple: Verdict,
    margin_db: float,
    bound: Bound,
    rule: DecisionRule = GUARD,
    superseded: bool = False,
    u_lab_db: float | None = None,
    freq_hz: float = 1e6,
) -> Verdict:
    notes: list[str] = []
    return rule_line_verdict(
        simple,
        np.array([freq_hz]),
        np.array([margin_db]),
        np.array([56.0]),
        np.array([BoundCode.of(bound)], dtype=np.int8),
        np.array([superseded]),
        rule=rule,
        port="conducted",
        u_lab_db=u_lab_db,
        notes=notes,
    )


@pytest.mark.parametrize(
    ("simple", "margin", "bound", "expected"),
    [
        (Verdict.PASS, 2.01, Bound.UPPER, Verdict.PASS),
        (Verdict.PASS, 1.99, Bound.UPPER, Verdict.INCONCLUSIVE),  # could be in the guard band
        (
            Verdict.INCONCLUSIVE,
            -5.0,
            Bound.UPPER,
            Verdict.INCONCLUSIVE,
        ),  # never FAIL on a bound from above
        (Verdict.FAIL, -2.01, Bound.LOWER, Verdict.FAIL),  # at least 2.01 dB over
        (Verdict.FAIL, -1.99, Bound.LOWER, Verdict.INCONCLUSIVE),
        (Verdict.PASS, 2.01, Bound.LOWER, Verdict.PASS),  # under limit - guard: decides nothing
        (
            Verdict.PASS,
            1.0,
            Bound.LOWER,
            Verdict.INCONCLUSIVE,
        ),  # proves the level above limit - guard
        (Verdict.INCOMPLETE, 3.0, Bound.MEASURED, Verdict.INCOMPLETE),
        (Verdict.INCOMPLETE, 1.0, Bound.MEASURED, Verdict.INCONCLUSIVE),
    ],
)
def test_guard_band_keeps_the_meaning_of_bounds(
    simple: Verdict, margin: float, bound: Bound, expected: Verdict
) -> None:
    assert _verdict(simple, margin, bound) is expected


def test_a_settled_upper_bound_does_not_count() -> None:
    assert _verdict(Verdict.PASS, 1.0, Bound.UPPER, superseded=True) is Verdict.PASS


@pytest.mark.parametrize("simple", list(Verdict))
def test_simple_returns_the_judged_verdict(simple: Verdict) -> None:
    assert _verdict(simple, -10.0, Bound.MEASURED, rule=SIMPLE) is simple


def test_cispr16_4_2_without_a_u_cispr_row_is_judged_simply_and_said() -> None:
    notes: list[str] = []
    v = rule_line_verdict(
        Verdict.PASS,
        np.array([20e9]),
        np.array([0.5]),
        np.array([54.0]),
        np.array([BoundCode.MEASURED], dtype=np.int8),
        np.array([False]),
        rule=parse_decision_rule("cispr16-4-2"),
        port="radiated",
        u_lab_db=6.0,
        notes=notes,
    )
    assert v is Verdict.PASS
    assert notes == [
        "decision rule cispr16-4-2: no U_cispr for a radiated measurement at 20000 MHz; "
        "judged there by the simple rule"
    ]
