"""The settling rule's interval union and containment agree with the coverage intervals'."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rfcheck.verdict.coverage import union
from rfcheck.verdict.points import _merged, _within


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 40))
def test_merged_equals_union_and_within_is_containment(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    lo = rng.integers(0, 100, n).astype(float)
    hi = lo + rng.integers(0, 10, n)
    starts, ends = _merged(lo, hi)
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == union(
        list(zip(lo.tolist(), hi.tolist(), strict=True))
    )
    q_lo = rng.integers(0, 110, 30).astype(float)
    q_hi = q_lo + rng.integers(0, 5, 30)
    got = _within(q_lo, q_hi, (starts, ends))
    want = [
        any(a <= x and y <= b for a, b in zip(starts, ends, strict=True))
        for x, y in zip(q_lo, q_hi, strict=True)
    ]
    assert got.tolist() == want


def test_passbands_one_rbw_apart_touch_despite_float_noise() -> None:
    """Finals every 9 kHz with ± 4.5 kHz passbands cover continuously, whatever the rounding."""
    f = 1.0045e6 + 9e3 * np.arange(11)
    starts, ends = _merged(f - 4.5e3, f + 4.5e3)
    assert starts.shape == (1,)
    assert _within(np.array([1.0e6]), np.array([1.0985e6]), (starts, ends)).tolist() == [True]
