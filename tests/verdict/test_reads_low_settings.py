"""Settings a file states that let a trace read low: a video-filtered peak trace, a gated sweep.

A peak trace whose VBW is below ``NARROW_VBW_FACTOR`` × its RBW, and a trace whose reader set
``Trace.reads_low`` (a gated sweep), bound no line from above: their readings are lower bounds
at most, as a trace-average trace's are (docs/verdict.md "Trace mode"), with a note naming the
setting; the plotted traces carry the same weakening for the consumers of ``reading_bounds``.
"""

from __future__ import annotations

import numpy as np
import pytest

from rfcheck.analysis import analyse_capture
from rfcheck.capture import Capture, Detector, Trace, TraceMode
from rfcheck.outcome import Bound, Verdict
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit
from rfcheck.verdict.bounds import point_bound
from rfcheck.verdict.reads_low import NARROW_VBW_FACTOR, reads_low_reasons, video_filter_reason

# QP 56 / AV 46 dBµV over 0.5-5 MHz, judged over that span
CONDUCTED = CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(0.5e6, 5e6))
GRID = np.arange(0.5e6, 5e6 + 1.0, 9e3)
GATE = "'Gate Sweep,ON' at line 31 (a gated sweep: ...)"


def _check(r: CaptureResult, line: str) -> LineCheck:
    (c,) = [c for c in r.checks if c.line == line]
    return c


def _trace(
    detector: Detector = Detector.PEAK, *, vbw_hz: float | None = None, reads_low: str = ""
) -> Trace:
    return Trace(
        GRID,
        np.full(GRID.shape, 30.0),
        LevelUnit.DBUV,
        detector,
        "T1",
        mode=TraceMode.MAX_HOLD,
        rbw_hz=9e3,
        vbw_hz=vbw_hz,
        reads_low=reads_low,
    )


def test_peak_trace_with_a_wide_vbw_still_bounds_qp_and_av() -> None:
    for vbw in (None, 30e3, 9e3, 6.2e3):  # unstated, 3x, 1:1, 1:1 at the -3 dB width
        r = analyse_capture(Capture(traces=(_trace(vbw_hz=vbw),)), CONDUCTED)
        assert _check(r, "QP").verdict is Verdict.PASS, vbw
        assert _check(r, "AV").verdict is Verdict.PASS, vbw
        assert not any("VBW" in w for w in r.warnings)


def test_video_filtered_peak_trace_bounds_no_line_from_above() -> None:
    r = analyse_capture(Capture(traces=(_trace(vbw_hz=100.0),)), CONDUCTED)
    for line in ("QP", "AV"):
        assert _check(r, line).verdict is Verdict.INCONCLUSIVE  # was a PASS by upper bound
    (note,) = [w for w in r.warnings if "VBW" in w]
    assert note.startswith("trace T1: VBW 100 Hz is below 0.5 × its RBW 9 kHz")
    assert "no upper bound from them" in note
    # the plotted trace carries the weakening, so reading_bounds' consumers agree
    (pt,) = r.plot_traces
    assert pt.settled is False


def test_vbw_rule_is_for_peak_traces_only() -> None:
    # the quasi-peak and average detectors bypass the video filter
    qp = analyse_capture(Capture(traces=(_trace(Detector.QUASI_PEAK, vbw_hz=10.0),)), CONDUCTED)
    assert _check(qp, "QP").verdict is Verdict.PASS
    assert video_filter_reason(Detector.QUASI_PEAK, 9e3, 10.0) is None
    assert video_filter_reason(Detector.PEAK, None, 10.0) is None  # RBW unstated: its own rule
    assert video_filter_reason(Detector.PEAK, 9e3, NARROW_VBW_FACTOR * 9e3) is None
    assert video_filter_reason(Detector.PEAK, 9e3, NARROW_VBW_FACTOR * 9e3 * 0.99) is not None


def test_video_filtered_peak_reading_is_a_lower_bound_of_a_peak_line() -> None:
    # point_bound has no VBW: the plotted trace's settled=False carries it; a peak line's
    # measurement becomes a lower bound, as the verdict's demotion makes it
    assert point_bound(Detector.PEAK, Detector.PEAK, 2e9, (1e9, 40e9), rbw_hz=1e6) is Bound.MEASURED
    assert (
        point_bound(Detector.PEAK, Detector.PEAK, 2e9, (1e9, 40e9), rbw_hz=1e6, settled=False)
        is Bound.LOWER
    )
    above = CheckSettings(limit_ids=("fcc-15.109-b",), range_hz=(1e9, 2e9))
    f = np.linspace(1e9, 2e9, 1001)
    pk = Trace(
        f, np.full(f.shape, 40.0), LevelUnit.DBUV_M, Detector.PEAK, "T1", rbw_hz=1e6, vbw_hz=3e3
    )
    r = analyse_capture(Capture(traces=(pk,)), above)
    assert _check(r, "PK").verdict is Verdict.INCONCLUSIVE  # a lower bound below the limit
    wide = Trace(
        f, np.full(f.shape, 40.0), LevelUnit.DBUV_M, Detector.PEAK, "T1", rbw_hz=1e6, vbw_hz=3e6
    )
    assert _check(analyse_capture(Capture(traces=(wide,)), above), "PK").verdict is Verdict.PASS


@pytest.mark.parametrize("detector", [Detector.PEAK, Detector.QUASI_PEAK])
def test_gated_trace_bounds_no_line_from_above(detector: Detector) -> None:
    r = analyse_capture(Capture(traces=(_trace(detector, reads_low=GATE),)), CONDUCTED)
    assert _check(r, "QP").verdict is Verdict.INCONCLUSIVE  # was a PASS
    assert any(w.startswith(f"trace T1: {GATE}; readings may be low") for w in r.warnings)
    assert r.plot_traces[0].settled is False


def test_gated_trace_over_the_limit_still_fails() -> None:
    t = Trace(
        GRID, np.full(GRID.shape, 70.0), LevelUnit.DBUV, Detector.QUASI_PEAK, "T1", rbw_hz=9e3,
        reads_low=GATE,
    )  # fmt: skip
    assert _check(analyse_capture(Capture(traces=(t,)), CONDUCTED), "QP").verdict is Verdict.FAIL


def test_reasons_name_the_setting_then_the_vbw() -> None:
    t = _trace(vbw_hz=10.0, reads_low=GATE)
    reasons = reads_low_reasons(t)
    assert reasons[0] == GATE
    assert reasons[1].startswith("VBW 10 Hz is below 0.5 × its RBW 9 kHz")
    assert reads_low_reasons(_trace()) == []
