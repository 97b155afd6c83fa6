"""CISPR 16-1-1 measuring-receiver model for time-domain recordings.

Turns a :class:`~rfcheck.capture.TimeSeries` (IQ, REAL or ENVELOPE) into peak, quasi-peak,
CISPR-average and RMS-average readings in dBµV, band by band, in bounded memory.

References
----------
CISPR 16-1-1 (measuring apparatus); docs/references.md §4, §8.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..cispr import BANDS, DETECTORS, BandSpec, band_for_frequency
from .settling import settling_time_s

if TYPE_CHECKING:
    from .scan import ReceiverResult, measure, scan_traces
    from .tuning import default_frequencies

#: The signal path (scipy.fft, numba) loads on first use: asking how long a detector needs
#: to settle (judging an instrument trace) must not load it.
_LAZY = {
    **dict.fromkeys(("ReceiverResult", "measure", "scan_traces"), "scan"),
    "default_frequencies": "tuning",
}

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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
