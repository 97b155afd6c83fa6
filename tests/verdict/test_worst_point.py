"""The worst point a line states: a measured reading before a bound of the same margin.

A settled CW reads alike on every detector; the CISPR-average reading, a lower bound on the
quasi-peak line, came out 2e-6 dB higher than the measured quasi-peak reading (single
precision) and was stated as the line's worst, "≤ -10.99 dB ... lower bound".
"""

from __future__ import annotations

import numpy as np

from rfcheck.verdict.suspects import MEASURED_TIE_DB, worst_index

F = np.array([1.0e6, 1.0e6, 2.0e6])
ALL = np.arange(3)


def test_a_measured_reading_tying_the_worst_bound_is_the_worst() -> None:
    margin = np.array([-10.989260, -10.989258, -3.0])  # the bound, then the measured reading
    measured = np.array([False, True, True])
    assert worst_index(F, margin, ALL) == 0  # margins alone
    assert worst_index(F, margin, ALL, measured) == 1


def test_a_bound_clearly_worse_or_across_the_limit_stays_the_worst() -> None:
    measured = np.array([False, True, True])
    worse = np.array([-11.0, -11.0 + 2 * MEASURED_TIE_DB, -3.0])
    assert worst_index(F, worse, ALL, measured) == 0
    across = np.array([-0.0004, 0.0004, 3.0])  # over the limit vs under it: not a tie
    assert worst_index(F, across, ALL, measured) == 0
