"""47 CFR 15.35(b) sets a minimum RBW above 1 GHz; CISPR 16-1-1 sets one bandwidth.

"Measurements above 1000 MHz shall be performed using a minimum resolution bandwidth of
1 MHz" (15.35(b), docs/references.md §2b): a reading in 3 MHz there is the rule's
measurement, so it can FAIL the FCC lines. Under CISPR 32 the bandwidth is 1 MHz (CISPR
16-1-1 Table 1), so a 3 MHz reading over-reads broadband emissions: an upper bound only.
"""

from __future__ import annotations

import numpy as np

from rfcheck.analysis import analyse_capture
from rfcheck.capture import Capture, Detector, Trace
from rfcheck.outcome import Bound, Verdict
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit

F = np.arange(1001e6, 2000e6 + 1.0, 1e6)  # above 1 GHz only: the AV / PK lines


def _capture(rbw_hz: float) -> Capture:
    level = np.full(F.shape, 20.0)
    level[np.argmin(np.abs(F - 1500e6))] = 75.0  # 15.109(a) PK 73.98 dBuV/m at 3 m: 1.02 over
    pk = Trace(F, level, LevelUnit.DBUV_M, Detector.PEAK, name="PK", rbw_hz=rbw_hz, dwell_s=1.0)
    return Capture(traces=(pk,))


def _line(limit_id: str, line: str, rbw_hz: float) -> tuple[Verdict, Bound | None, float | None]:
    settings = CheckSettings(limit_ids=(limit_id,), distance_m=3.0, range_hz=(1001e6, 2000e6))
    result = analyse_capture(_capture(rbw_hz), settings)
    check = next(c for c in result.checks if c.line == line)
    margin = check.worst_margin_db
    return check.verdict, check.worst_bound, None if margin is None else round(margin, 2)


def test_a_3_mhz_peak_reading_fails_the_fcc_peak_line() -> None:
    assert _line("fcc-15.109-b", "PK", 3e6) == (Verdict.FAIL, Bound.MEASURED, -1.02)
    assert _line("fcc-15.109-b", "PK", 1e6) == (Verdict.FAIL, Bound.MEASURED, -1.02)


def test_a_3_mhz_peak_reading_is_only_an_upper_bound_under_cispr_32() -> None:
    verdict, bound, _ = _line("cispr32-b-rad-above-1g", "PK", 3e6)
    assert (verdict, bound) == (Verdict.INCONCLUSIVE, Bound.UPPER)  # 75 over its 70 dBuV/m
