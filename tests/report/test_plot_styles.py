"""The plots' colour table: each detector that judges a line has a hue of its own."""

from __future__ import annotations

from rfcheck.capture import Detector
from rfcheck.report.plot_styles import TRACE_COLOURS, shade


def test_every_detector_a_line_is_judged_with_has_its_colour() -> None:
    """A log-average trace was drawn in the fallback grey, as if of no known detector."""
    for det in (
        Detector.PEAK,
        Detector.QUASI_PEAK,
        Detector.CISPR_AVERAGE,
        Detector.AVERAGE,
        Detector.RMS_AVERAGE,
        Detector.RMS,
        Detector.LOG_AVERAGE,
    ):
        assert det.value in TRACE_COLOURS, det


def test_log_average_is_not_drawn_as_a_linear_average() -> None:
    """Its readings bound the average from below only: it must not pass for an AV trace."""
    assert TRACE_COLOURS["log-average"] != TRACE_COLOURS["average"]
    assert TRACE_COLOURS["log-average"] not in {
        shade(TRACE_COLOURS[d], k) for d in TRACE_COLOURS if d != "log-average" for k in range(5)
    }
