"""Short detector names for plot legends and table heads: ``PK``, ``QP``, ``AV``.

The one map from a trace's or limit line's detector (:class:`rfcheck.capture.Detector`
values) to the abbreviation a lab writes (CISPR 16-1-1 peak, quasi-peak and CISPR-average
detectors; RMS-average of CISPR 16-1-1 (2010 and later); ``LOG-AV`` for an average of
log (dB) values, which no standard defines).
"""

from __future__ import annotations

__all__ = ["DETECTOR_ABBREVIATIONS", "detector_abbr"]

#: Detector name -> abbreviation.
DETECTOR_ABBREVIATIONS = {
    "peak": "PK",
    "quasi-peak": "QP",
    "cispr-average": "AV",
    "average": "AV",
    "rms-average": "RMS-AV",
    "rms": "RMS",
    "log-average": "LOG-AV",
}


def detector_abbr(detector: str | None) -> str:
    """Return ``PK``, ``QP``, ``AV``...; another name upper-cased; ``?`` when unknown."""
    if not detector or detector == "unknown":
        return "?"
    return DETECTOR_ABBREVIATIONS.get(detector, detector.upper())
