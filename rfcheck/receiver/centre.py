"""An I/Q recording's centre frequency: where the recorder's own DC offset reads as an emission.

A direct-conversion recorder (most SDRs) leaves a DC offset in its I/Q samples: the LO leaking
into the mixer, an ADC offset. The receiver model reads it as a CW at the recording's centre
frequency, indistinguishable from the device's emission there (a constant +50 dBµV in the I/Q
read CISPR-average 50 dBµV at the centre and failed a 46 dBµV limit, with no word). The
model does not remove it (it may be the emission), so ``check`` adds a note, not a verdict
change, when a point it names (the worst point or a suspect) lies within one RBW of the
centre (:func:`dc_offset_note`; ``docs/receiver.md``, "DC offset at the centre").
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ..capture import SampleKind, TimeSeries
from ..frequency import format_hz, format_mhz

__all__ = ["DC_OFFSET_TEXT", "dc_offset_note"]

#: What the note says of a point near the centre.
DC_OFFSET_TEXT = (
    "may be the recorder's DC offset (LO leakage), not the device's emission: check with "
    "the device off or offset the centre"
)


def dc_offset_note(ts: TimeSeries, freqs_hz: ArrayLike, rbw_hz: float, where: str = "") -> str:
    """Return the note on points of ``freqs_hz`` within one RBW of an I/Q recording's centre.

    Parameters
    ----------
    ts : TimeSeries
        The recording; only an I/Q one with a finite centre frequency has a DC offset there.
    freqs_hz : array_like
        The frequencies a verdict names (its worst point, its suspects). [Hz]
    rbw_hz : float
        The measurement bandwidth B6 at the centre: a DC offset reads as a CW there, and so
        within ``±B6`` of it. [Hz]
    where : str
        Names the recording or its channel at the start of the note (``"Channel 2: "``).

    Returns
    -------
    str
        ``"receiver: a point the verdict names (1 MHz, its worst point or a suspect) lies
        within one RBW (9 kHz) of the I/Q recording's centre frequency 1 MHz: it may be the
        recorder's DC offset ..."`` (the point nearest the centre), or "" when none does.
    """
    fc = float(ts.center_freq_hz)
    if ts.kind is not SampleKind.IQ or not math.isfinite(fc) or not rbw_hz > 0:
        return ""
    f = np.asarray(freqs_hz, dtype=float)
    off = np.abs(f - fc)
    if not (off <= rbw_hz).any():
        return ""
    nearest = float(f[np.argmin(off)])
    return (
        f"{where}receiver: a point the verdict names ({format_mhz(nearest)}, its worst point or a "
        f"suspect) lies within one RBW ({format_hz(rbw_hz, digits=10)}) of the I/Q recording's "
        f"centre frequency {format_mhz(fc)}: it {DC_OFFSET_TEXT}"
    )
