"""CISPR 16-1-1 measuring-receiver model for time-domain recordings.

Turns a :class:`~rfcheck.capture.TimeSeries` (IQ, REAL or ENVELOPE) into peak, quasi-peak,
CISPR-average and RMS-average readings in dBµV, band by band, in bounded memory.

References
----------
CISPR 16-1-1 (measuring apparatus); docs/references.md §4, §8.
"""

from __future__ import annotations

from ..cispr import BANDS, DETECTORS, BandSpec, band_for_frequency
from .scan import ReceiverResult, default_frequencies, measure, scan_traces, settling_time_s

__all__ = [
    "BANDS",
    "BandSpec",
    "DETECTORS",
    "ReceiverResult",
    "band_for_frequency",
    "default_frequencies",
    "measure",
    "scan_traces",
    "settling_time_s",
]
