"""Short detector names (rfcheck/report/detector_names.py)."""

from __future__ import annotations

import pytest

from rfcheck.capture import Detector
from rfcheck.report.detector_names import detector_abbr


@pytest.mark.parametrize(
    ("detector", "abbr"),
    [
        (Detector.PEAK, "PK"),
        (Detector.QUASI_PEAK, "QP"),
        (Detector.CISPR_AVERAGE, "AV"),
        (Detector.AVERAGE, "AV"),
        (Detector.RMS_AVERAGE, "RMS-AV"),
        (Detector.LOG_AVERAGE, "LOG-AV"),
        (Detector.SAMPLE, "SAMPLE"),
        (Detector.UNKNOWN, "?"),
        (None, "?"),
    ],
)
def test_detector_abbreviation(detector: str | None, abbr: str) -> None:
    assert detector_abbr(detector) == abbr
