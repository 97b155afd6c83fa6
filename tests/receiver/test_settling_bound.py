"""``ReceiverResult.bound``: measured, or a lower bound from a record too short to settle.

A reading from a record shorter than its detector's settling time is a lower bound, any
other reading is measured (the rule of the settling warning).
"""

from __future__ import annotations

import numpy as np

from rfcheck.cispr import BANDS
from rfcheck.outcome import Bound
from rfcheck.receiver import ReceiverResult, settling_time_s


def _result(duration_s: float) -> ReceiverResult:
    f = np.array([500e3])
    return ReceiverResult("B", 9e3, f, {"quasi-peak": np.array([40.0])}, (), duration_s)


def test_bound_switches_exactly_at_the_settling_time() -> None:
    need_s = settling_time_s(BANDS["B"], "quasi-peak")  # 1.61 s
    assert _result(need_s).bound("quasi-peak") is Bound.MEASURED
    assert _result(need_s * 0.999).bound("quasi-peak") is Bound.LOWER
    assert _result(need_s * 0.999).bound("peak") is Bound.MEASURED  # IF response 0.47 ms
