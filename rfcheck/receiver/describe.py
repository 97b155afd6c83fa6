"""A CISPR band's measurement in words, as a test report states a receiver's settings.

``check``'s note per band scanned (:func:`rfcheck.receiver.scan.scan_traces`) and
``rfcheck receiver``'s header name the band as printed (:func:`band_label`) and how it was
measured (:func:`setup_text`).
"""

from __future__ import annotations

import math

from ..capture import SampleKind, TimeSeries
from ..cispr import BandSpec

__all__ = ["band_label", "setup_text"]


def setup_text(spec: BandSpec, ts: TimeSeries) -> str:
    """Say how a band is measured, as a test report states a receiver's settings.

    ``CISPR 16-1-1 B6 9 kHz; quasi-peak charge 1 ms, discharge 160 ms; meter 160 ms; I/Q
    record 2 s at 100 kS/s, centre 1 MHz`` (no report once said it). The time
    constants are the band's (:data:`rfcheck.cispr.BANDS`, docs/references.md §4).
    """
    from ..frequency import format_hz

    parts = [f"CISPR 16-1-1 B6 {format_hz(spec.rbw_hz)}"]
    if spec.has_qp:
        parts.append(
            f"quasi-peak charge {spec.tau_charge_s * 1e3:.3g} ms, discharge "
            f"{spec.tau_discharge_s * 1e3:.3g} ms"
        )
    parts.append(f"meter {spec.tau_meter_s * 1e3:.3g} ms")
    kind = "I/Q" if ts.kind is SampleKind.IQ else ts.kind.value
    record = (
        f"{kind} record {ts.duration_s:.6g} s at "
        f"{format_hz(ts.sample_rate_hz, digits=10).replace('Hz', 'S/s')}"
    )
    if ts.kind is SampleKind.IQ and math.isfinite(ts.center_freq_hz):
        record += f", centre {format_hz(ts.center_freq_hz, digits=10)}"
    return "; ".join([*parts, record])


def band_label(band: str) -> str:
    """Return a band's name as printed: ``C/D`` for the band key ``CD``."""
    return "C/D" if band == "CD" else band
