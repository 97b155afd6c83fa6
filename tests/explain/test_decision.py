"""Decision rules on margins around the limit: simple, cispr16-4-2 (+-U), guard-band (+-guard)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rfcheck.errors import AnalysisError
from rfcheck.explain import (
    DecisionRule,
    RuleKind,
    apply_rule,
    parse_decision_rule,
    u_cispr_for,
    u_cispr_table,
)
from rfcheck.outcome import Bound, Verdict

P, F, UNDECIDED = Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE
LIMIT = 46.02


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("simple", DecisionRule()),
        ("cispr16-4-2", DecisionRule(RuleKind.CISPR16_4_2)),
        ("guard-band:2", DecisionRule(RuleKind.GUARD_BAND, 2.0)),
        ("Guard-Band:1.5 dB", DecisionRule(RuleKind.GUARD_BAND, 1.5)),
        ("guard-band:0", DecisionRule(RuleKind.GUARD_BAND, 0.0)),
    ],
)
def test_parse(text: str, rule: DecisionRule) -> None:
    assert parse_decision_rule(text) == rule


@pytest.mark.parametrize(
    "text", ["", "strict", "guard-band", "guard-band:-1", "guard-band:x", "cispr"]
)
def test_parse_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="use simple, cispr16-4-2 or guard-band:DB"):
        parse_decision_rule(text)


def test_rule_text_and_json() -> None:
    assert parse_decision_rule("guard-band:2").text == "guard-band:2"
    assert parse_decision_rule("guard-band:2").to_dict() == {
        "rule": "guard-band",
        "text": "guard-band:2",
        "guard_db": 2.0,
    }
    assert parse_decision_rule("simple").to_dict() == {"rule": "simple", "text": "simple"}


@pytest.mark.parametrize(
    ("level", "bound", "verdict"),
    [
        (LIMIT - 0.01, Bound.MEASURED, P),
        (LIMIT, Bound.MEASURED, P),
        (LIMIT + 0.01, Bound.MEASURED, F),
        (LIMIT, Bound.UPPER, P),
        (LIMIT + 0.01, Bound.UPPER, UNDECIDED),
        (LIMIT, Bound.LOWER, UNDECIDED),
        (LIMIT + 0.01, Bound.LOWER, F),
    ],
)
def test_simple(level: float, bound: Bound, verdict: Verdict) -> None:
    d = apply_rule(DecisionRule(), level, LIMIT, bound)
    assert d.verdict is verdict
    assert d.effective_margin_db == pytest.approx(LIMIT - level) and d.added_db == 0.0


@pytest.mark.parametrize(
    ("level", "verdict"),
    # U_lab 5.2, U_cispr 3.4: 1.8 dB is added
    [(LIMIT - 1.8 - 0.01, P), (LIMIT - 1.8, P), (LIMIT - 1.8 + 0.01, F)],
)
def test_cispr16_4_2_adds_the_excess_of_u_lab_over_u_cispr(level: float, verdict: Verdict) -> None:
    d = apply_rule(DecisionRule(RuleKind.CISPR16_4_2), level, LIMIT, u_lab_db=5.2, u_cispr_db=3.4)
    assert d.verdict is verdict
    assert d.added_db == pytest.approx(1.8)
    assert d.effective_margin_db == pytest.approx(LIMIT - level - 1.8)


@pytest.mark.parametrize(("level", "verdict"), [(LIMIT, P), (LIMIT + 0.01, F)])
def test_cispr16_4_2_adds_nothing_when_u_lab_is_within_u_cispr(
    level: float, verdict: Verdict
) -> None:
    d = apply_rule(DecisionRule(RuleKind.CISPR16_4_2), level, LIMIT, u_lab_db=3.0, u_cispr_db=3.4)
    assert (d.verdict, d.added_db) == (verdict, 0.0)


def test_cispr16_4_2_needs_u_lab() -> None:
    with pytest.raises(AnalysisError, match="cispr16-4-2 needs U_lab"):
        apply_rule(DecisionRule(RuleKind.CISPR16_4_2), 40.0, LIMIT, u_cispr_db=3.4)


G = 2.0


@pytest.mark.parametrize(
    ("level", "bound", "verdict"),
    [
        (LIMIT - G - 0.01, Bound.MEASURED, P),
        (LIMIT - G, Bound.MEASURED, P),
        (LIMIT - G + 0.01, Bound.MEASURED, UNDECIDED),
        (LIMIT, Bound.MEASURED, UNDECIDED),
        (LIMIT + G, Bound.MEASURED, UNDECIDED),
        (LIMIT + G + 0.01, Bound.MEASURED, F),
        (LIMIT - G, Bound.UPPER, P),
        (LIMIT + G + 0.01, Bound.UPPER, UNDECIDED),
        (LIMIT - G, Bound.LOWER, UNDECIDED),
        (LIMIT + G + 0.01, Bound.LOWER, F),
    ],
)
def test_guard_band(level: float, bound: Bound, verdict: Verdict) -> None:
    d = apply_rule(DecisionRule(RuleKind.GUARD_BAND, G), level, LIMIT, bound)
    assert d.verdict is verdict
    assert d.effective_margin_db == pytest.approx(LIMIT - G - level)


def test_u_cispr_values_are_shipped_as_unconfirmed_data() -> None:
    rows = u_cispr_table()
    assert {r.status for r in rows} == {"UNCONFIRMED"}
    assert u_cispr_for("conducted", 1e6).u_cispr_db == 3.4  # type: ignore[union-attr]
    assert u_cispr_for("conducted", 100e3).u_cispr_db == 3.8  # type: ignore[union-attr]
    assert u_cispr_for("radiated", 375e6).u_cispr_db == 6.3  # type: ignore[union-attr]
    assert u_cispr_for("radiated", 8e9).u_cispr_db == 5.5  # type: ignore[union-attr]


def test_at_a_shared_edge_the_smaller_u_cispr_applies() -> None:
    assert u_cispr_for("conducted", 150e3).u_cispr_db == 3.4  # type: ignore[union-attr]
    assert u_cispr_for("radiated", 1e9).u_cispr_db == 5.2  # type: ignore[union-attr]
    assert u_cispr_for("radiated", 20e9) is None


_DB = st.floats(min_value=-50, max_value=150, allow_nan=False)


@given(
    level=_DB,
    limit=_DB,
    x=st.floats(min_value=0, max_value=30),
    guard=st.floats(min_value=0, max_value=10),
)
def test_raising_the_level_by_x_lowers_every_effective_margin_by_x(
    level: float, limit: float, x: float, guard: float
) -> None:
    for rule, kw in (
        (DecisionRule(), {}),
        (DecisionRule(RuleKind.GUARD_BAND, guard), {}),
        (DecisionRule(RuleKind.CISPR16_4_2), {"u_lab_db": 6.0, "u_cispr_db": 3.4}),
    ):
        a = apply_rule(rule, level, limit, **kw)  # type: ignore[arg-type]
        b = apply_rule(rule, level + x, limit, **kw)  # type: ignore[arg-type]
        assert b.effective_margin_db == pytest.approx(a.effective_margin_db - x, abs=1e-9)
        # and never turns a FAIL into a PASS
        assert not (a.verdict is F and b.verdict is P)
