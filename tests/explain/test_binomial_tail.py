"""The chance test's binomial tail agrees with ``scipy.stats.binom.sf`` (without importing it)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from rfcheck.explain.families import binomial_tail


@settings(max_examples=2000, deadline=None)
@given(
    n=st.integers(0, 500),
    k=st.integers(-3, 503),
    p=st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1e-12, 0.5, 1 - 1e-12, 1.0])),
)
def test_agrees_with_scipy(n: int, k: int, p: float) -> None:
    want = float(binom.sf(k, n, p))
    got = binomial_tail(k, n, p)
    if want > 1e-250:  # far below any threshold; scipy itself loses digits further down
        assert got == pytest.approx(want, rel=1e-9)
    else:
        assert got <= 1e-240


def test_edges() -> None:
    assert binomial_tail(-1, 10, 0.3) == 1.0  # P(X > -1)
    assert binomial_tail(10, 10, 0.3) == 0.0  # P(X > n)
    assert binomial_tail(0, 1, 0.25) == pytest.approx(0.25, rel=1e-12)
    assert binomial_tail(1, 3, 0.5) == pytest.approx(0.5, rel=1e-12)  # 2+ of 3 fair coins
