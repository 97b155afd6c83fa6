"""47 CFR 15.35(b) sets a minimum RBW above 1 GHz; CISPR 16-1-1 sets one bandwidth.

"Measurements above 1000 MHz shall be performed using a minimum resolution bandwidth of
1 MHz" (15.35(b), docs/references.md §2b): a reading in 3 MHz there is the rule's
measurement, so it can FAIL the FCC lines. Under CISPR 32 the bandwidth is 1 MHz (CISPR
16-1-1 Table 1), so a 3 MHz reading over-reads broadband emissions: an upper bound only.
An RBW not stated may be narrower or wider: under CISPR 32 it bounds nothing; above the
15.35(b) floor it may only be narrower, so a reading over the FCC line still FAILs.
"""

from __future__ import annotations

import numpy as np

from rfcheck.analysis import analyse_capture
from rfcheck.capture import Capture, Detector, Trace
from rfcheck.outcome import Bound, Verdict
from rfcheck.results import CaptureResult
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit

F = np.arange(1001e6, 2000e6 + 1.0, 1e6)  # above 1 GHz only: the AV / PK lines


def _capture(rbw_hz: float | None) -> Capture:
    level = np.full(F.shape, 20.0)
    level[np.argmin(np.abs(F - 1500e6))] = 75.0  # 15.109(a) PK 73.98 dBuV/m at 3 m: 1.02 over
    pk = Trace(F, level, LevelUnit.DBUV_M, Detector.PEAK, name="PK", rbw_hz=rbw_hz, dwell_s=1.0)
    return Capture(traces=(pk,))


def _result(limit_id: str, rbw_hz: float | None) -> CaptureResult:
    settings = CheckSettings(limit_ids=(limit_id,), distance_m=3.0, range_hz=(1001e6, 2000e6))
    return analyse_capture(_capture(rbw_hz), settings)


def _line(
    limit_id: str, line: str, rbw_hz: float | None
) -> tuple[Verdict, Bound | None, float | None]:
    check = next(c for c in _result(limit_id, rbw_hz).checks if c.line == line)
    margin = check.worst_margin_db
    return check.verdict, check.worst_bound, None if margin is None else round(margin, 2)


def test_a_3_mhz_peak_reading_fails_the_fcc_peak_line() -> None:
    assert _line("fcc-15.109-b", "PK", 3e6) == (Verdict.FAIL, Bound.MEASURED, -1.02)
    assert _line("fcc-15.109-b", "PK", 1e6) == (Verdict.FAIL, Bound.MEASURED, -1.02)


def test_a_3_mhz_peak_reading_is_only_an_upper_bound_under_cispr_32() -> None:
    verdict, bound, _ = _line("cispr32-b-rad-above-1g", "PK", 3e6)
    assert (verdict, bound) == (Verdict.INCONCLUSIVE, Bound.UPPER)  # 75 over its 70 dBuV/m


def test_an_unstated_rbw_peak_reading_over_the_cispr_32_line_is_no_fail() -> None:
    """The RBW may be wider than CISPR 32's 1 MHz: the 75 dBuV/m reading may over-read.

    It was FAIL ≤ -5.00 dB as a lower bound, as if the RBW could only be narrower; the same
    reading in a stated 3 MHz is INCONCLUSIVE (an upper bound).
    """
    assert _line("cispr32-b-rad-above-1g", "PK", None) == (Verdict.INCONCLUSIVE, None, None)
    result = _result("cispr32-b-rad-above-1g", None)
    (note,) = [w for w in result.warnings if "RBW not stated" in w and "above-1g PK:" in w]
    assert note.startswith(
        "trace PK: RBW not stated in the file, so it may be narrower or wider than the CISPR "
        "bandwidth of cispr32-b-rad-above-1g PK: its readings bound nothing there"
    )
    assert "state it with --rbw (the setup's [check] rbw_hz)" in note


def test_an_unstated_rbw_peak_reading_over_the_fcc_line_above_1_ghz_still_fails() -> None:
    """Above the 15.35(b) floor a wider RBW is the rule's measurement: only narrower reads low."""
    assert _line("fcc-15.109-b", "PK", None) == (Verdict.FAIL, Bound.LOWER, -1.02)


def test_the_unstated_rbw_note_says_what_applies_on_the_line() -> None:
    """Above the 15.35(b) floor the note says lower bound only, not "bound nothing".

    The note named both cases on every line, so beside a lower-bound FAIL it said the readings
    "bound nothing there".
    """
    (note,) = [w for w in _result("fcc-15.109-b", None).warnings if "fcc-15.109-b PK" in w]
    assert note.startswith(
        "trace PK: RBW not stated in the file, so it may be narrower than fcc-15.109-b PK asks: "
        "the rule sets only a minimum RBW (47 CFR 15.35(b): a wider one is its measurement), so "
        "a measured reading counts as a lower bound only; state it with --rbw"
    )
    assert "bound nothing" not in note


def test_the_unstated_rbw_note_of_a_line_reaching_the_floor_names_both_parts() -> None:
    """A reading at 1000 MHz itself lies on the floor (no RBW too wide above it only)."""
    from rfcheck.verdict.bounds import unstated_rbw_note

    note = unstated_rbw_note("fcc-15.109-b PK", may_be_wide=True, floor_above_hz=1e9)
    assert "its readings up to 1 GHz bound nothing" in note
    assert "; above 1 GHz the rule sets only a minimum RBW (47 CFR 15.35(b)" in note
