"""The CISPR 80/80 rule.

K from the non-central t distribution, the binomial allowance, which method applies, and what a
too-small lot gets.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from rfcheck.lot.statistics import (
    BINOMIAL_TABLE,
    Method,
    binomial_allowance,
    evaluate,
    k_computed,
    k_factor,
    k_text,
    min_units_binomial,
)
from rfcheck.outcome import Bound, Verdict

#: k = t'(0.8; n-1, 0.8416·√n)/√n computed to 3 decimals (docs/references.md §11d) and the values
#: printed in the published tables (2 decimals, same section), which rfcheck applies.
K_COMPUTED = {
    3: 2.016,
    4: 1.675,
    5: 1.514,
    6: 1.417,
    7: 1.352,
    8: 1.304,
    9: 1.266,
    10: 1.237,
    11: 1.212,
    12: 1.192,
}
K_PUBLISHED = {
    3: 2.04,
    4: 1.69,
    5: 1.52,
    6: 1.42,
    7: 1.35,
    8: 1.30,
    9: 1.27,
    10: 1.24,
    11: 1.21,
    12: 1.20,
}


@pytest.mark.parametrize("n", range(3, 13))
def test_computed_k_is_the_noncentral_t_quantile(n: int) -> None:
    assert k_computed(n) == pytest.approx(K_COMPUTED[n], abs=5e-4)


@pytest.mark.parametrize("n", range(3, 13))
def test_k_is_the_published_table_where_it_has_a_value(n: int) -> None:
    assert k_factor(n) == K_PUBLISHED[n]
    # the table rounds (and at n = 3, 4 approximates) the same quantile
    assert abs(k_computed(n) - K_PUBLISHED[n]) <= 0.025


def test_k_beyond_the_table_or_at_another_rule_is_computed() -> None:
    assert k_factor(13) == k_computed(13) == pytest.approx(1.174, abs=5e-4)
    assert k_factor(2) == k_computed(2)
    assert k_factor(5, proportion=0.95) == k_computed(5, proportion=0.95) > K_PUBLISHED[5]


def test_k_text_says_where_k_comes_from() -> None:
    assert k_text(5, k_factor(5)) == "1.52 (published table)"
    assert k_text(13, k_factor(13)) == "1.174 (computed)"


def test_k_falls_with_n() -> None:
    ks = [k_factor(n) for n in range(3, 40)]
    assert all(a > b for a, b in zip(ks, ks[1:], strict=False))
    assert ks[-1] > 0.8416  # tends to z_0.8 from above


def test_binomial_allowance_at_80_80_is_the_cispr_table() -> None:
    """N = 7, 14, 20, 26, 32 allow c = 0 ... 4 (the table the product standards print)."""
    assert binomial_allowance(6) is None
    assert [binomial_allowance(n) for n in (7, 13, 14, 19, 20, 25, 26, 31, 32)] == [
        0, 0, 1, 1, 2, 2, 3, 3, 4,
    ]  # fmt: skip
    assert min_units_binomial() == 7
    # each tabled size is the smallest n whose P(X <= c | n, 0.2) rounds to 0.2 (0.8**7 = 0.2097)
    for n, c in BINOMIAL_TABLE:
        assert round(float(stats.binom.cdf(c, n, 0.2)), 2) <= 0.21
        assert round(float(stats.binom.cdf(c, n - 1, 0.2)), 2) > 0.21
    assert 0.8**7 <= 0.21 < 0.8**6 and math.isclose(
        0.8**14 + 14 * 0.2 * 0.8**13, 0.1979, abs_tol=1e-4
    )


def test_binomial_allowance_beyond_the_table_is_computed_at_80_percent() -> None:
    assert binomial_allowance(33) == 4  # P(X <= 4 | 33, 0.2) = 0.182
    assert binomial_allowance(39) == 5  # P(X <= 5 | 39, 0.2) = 0.180; at 38 it is 0.200+
    assert binomial_allowance(38) == 4
    assert min_units_binomial(0.9, 0.9) == 22  # another rule: computed


def test_t_method_by_hand_fails_just_over() -> None:
    # x̄ = 42, S_n = 2, k(3) = 2.04 (the table): 42 + 4.08 = 46.08 > 46.05 -> FAIL by 0.03 dB
    # (the quantile itself, 2.016, would give 46.03 and pass)
    out = evaluate([40.0, 42.0, 44.0], 46.05)
    assert out.method is Method.NONCENTRAL_T
    assert (out.n, out.mean, out.s_n) == (3, 42.0, 2.0)
    assert out.value == pytest.approx(46.08, abs=1e-9)
    assert out.margin_db == pytest.approx(-0.03, abs=1e-9)
    assert out.verdict is Verdict.FAIL
    assert out.over == 0  # no unit is over the limit, yet the production is not shown compliant
    assert out.note.endswith("non-central t method, k = 2.04 (published table)")  # as printed


def test_t_method_by_hand_passes_just_under() -> None:
    out = evaluate([40.0, 42.0, 44.0], 46.1)
    assert out.verdict is Verdict.PASS
    assert out.margin_db == pytest.approx(0.02, abs=1e-9)


def test_too_few_units_is_a_statement_not_a_pass() -> None:
    out = evaluate([30.0, 31.0], 46.0)
    assert out.verdict is Verdict.INCOMPLETE
    assert out.method is Method.NONE
    assert out.value is None
    assert out.k is None  # no k where the t method is not applied
    assert out.note == "too few units: 2 (the 80/80 rule needs at least 3)"


def test_bounds_are_not_statistics() -> None:
    out = evaluate([30.0, 31.0, 32.0], 46.0, all_measured=False, needs="quasi-peak on u2")
    assert out.verdict is Verdict.INCONCLUSIVE
    assert out.k is None
    assert out.note == "bounds only at this frequency (not measured values): quasi-peak on u2"
    assert (out.mean, out.s_n) == (None, None)  # a bound is no level


def test_a_unit_not_measured_is_missing_data_not_a_bound() -> None:
    """A unit with no reading read "bounds only ... for u4: no reading"."""
    gap = "not measured at 2 MHz: u4 (no reading: in a gap of its scan)"
    out = evaluate([30.0, 31.0, 32.0], 46.0, not_measured=gap)
    assert (out.verdict, out.method, out.k, out.value) == (
        Verdict.INCOMPLETE,
        Method.NONE,
        None,
        None,
    )
    assert out.note == (
        f"{gap}; the 80/80 rule takes a measured level of every unit in the statistics, so it "
        "is not applied over the others here (missing data)"
    )
    both = evaluate(
        [30.0, 31.0, 32.0], 46.0, all_measured=False, needs="quasi-peak on u2", not_measured=gap
    )
    assert both.verdict is Verdict.INCONCLUSIVE
    assert both.note == (
        f"bounds only at this frequency (not measured values): quasi-peak on u2; {gap}"
    )


def test_bimodal_lot_goes_to_the_binomial_method() -> None:
    # two populations 10 dB apart: Shapiro-Wilk rejects normality
    levels = [30.0, 30.1, 30.2, 30.3, 30.4, 30.5, 30.6, 30.7, 30.8, 47.0, 47.1]
    out = evaluate(levels, 46.0)
    assert out.method is Method.BINOMIAL
    assert (out.n, out.over, out.allowed, out.k) == (11, 2, 0, None)
    assert out.verdict is Verdict.FAIL
    assert "normal assumption rejected" in out.note


def test_non_normal_small_lot_has_no_method() -> None:
    out = evaluate([30.0, 30.0, 30.1, 30.0, 45.0], 46.0)
    assert out.method is Method.NONE
    assert out.verdict is Verdict.INCONCLUSIVE
    assert out.k is None
    assert "the binomial method needs at least 7 units (has 5)" in out.note


def test_equal_levels_use_the_t_method() -> None:
    out = evaluate([40.0, 40.0, 40.0], 46.0)
    assert out.method is Method.NONCENTRAL_T
    assert out.value == 40.0 and out.verdict is Verdict.PASS


def test_the_table_says_what_its_value_column_holds_for_a_binomial_row() -> None:
    """X+kS of a binomial row is its (c+1)-th highest unit level: the table says so."""
    from rfcheck.lot.render import _stat_table
    from rfcheck.lot.results import StatRow

    bimodal = [30.0, 30.1, 30.2, 30.3, 30.4, 30.5, 30.6, 30.7, 30.8, 47.0, 47.1]
    t_rows = [StatRow("L1", "fcc-15.107-b", "QP", 1e6, "dBµV", evaluate([40.0, 42.0, 44.0], 46.1))]
    b_rows = [StatRow("L1", "fcc-15.107-b", "QP", 1e6, "dBµV", evaluate(bimodal, 46.0))]
    assert b_rows[0].outcome.value == 47.1  # c = 0: the highest
    note = "X+kS of a binomial row: its (c+1)-th highest unit level"
    assert any(line.strip().startswith(note) for line in _stat_table(b_rows))
    assert not any(note in line for line in _stat_table(t_rows))


def test_the_table_prints_a_hundredth_of_a_db_aligned_under_its_headers() -> None:
    """A +0.013 dB margin read "+0.0" (the JSON said 0.01); now as check prints it."""
    from rfcheck.lot.render import _stat_table
    from rfcheck.lot.results import StatRow

    out = evaluate([40.0, 42.0, 44.0], 42.0 + 2.04 * 2.0 + 0.013)  # x̄ + kS = 46.08
    assert out.margin_db is not None and abs(out.margin_db - 0.013) < 1e-9
    head, units, row = _stat_table([StatRow("L1", "fcc-15.107-b", "QP", 1e6, "dBµV", out)])
    assert row.split()[-6:] == ["42.00", "2.00", "46.08", "46.09", "+0.01", "PASS"]
    for name, text in (("MEAN", "42.00"), ("X+kS", "46.08"), ("LIMIT", "46.09")):
        right = head.index(name) + len(name)
        assert row[right - len(text) : right] == text
    right = head.index("MARGIN") + len("MARGIN")
    assert row[right - 5 : right] == "+0.01"
    assert units[right - 4 : right] == "[dB]"


def test_over_limit_counts_only_units_measured_over_it() -> None:
    """u04's peak reading 47.0 (an upper bound for an AV line) was counted over."""
    levels = [38.5, 40.0, 41.0, 47.0, 43.5]
    upper = [Bound.MEASURED] * 3 + [Bound.UPPER, Bound.MEASURED]
    out = evaluate(levels, 46.0, all_measured=False, needs="cispr-average on u04", bounds=upper)
    assert (out.verdict, out.over) == (Verdict.INCONCLUSIVE, 0)
    lower = [Bound.MEASURED] * 3 + [Bound.LOWER, Bound.MEASURED]  # a lower bound over it: over
    out = evaluate(levels, 46.0, all_measured=False, needs="?", bounds=lower)
    assert out.over == 1
    assert evaluate([40.0, 41.0, 47.0], 46.0).over == 1  # measured


def test_a_t_method_row_carries_no_binomial_allowance() -> None:
    """A t row carried allowed_over = c (0 at n = 7), which that method does not use."""
    t_row = evaluate([43.0, 43.6, 44.2, 44.8, 45.4, 45.8, 45.9], 46.0)
    assert (t_row.method, t_row.allowed) == (Method.NONCENTRAL_T, None)
    binomial = evaluate([30.0] * 5 + [40.0] * 6, 46.0)
    assert (binomial.method, binomial.allowed) == (Method.BINOMIAL, 0)


def test_the_published_k_table_lies_within_its_stated_spread_of_the_quantile() -> None:
    """docs/lot.md: between 0.004 below the non-central t quantile and 0.024 above it."""
    from rfcheck.lot.statistics import K_TABLE, k_computed

    spread = [K_TABLE[n] - k_computed(n) for n in K_TABLE]
    assert -0.004 <= min(spread) < -0.003  # n = 8: 1.30 for 1.3036
    assert 0.023 < max(spread) <= 0.024  # n = 3: 2.04 for 2.0163
