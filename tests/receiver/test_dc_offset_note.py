"""An I/Q recording's DC offset reads as an emission at its centre: a note says so.

A constant in the I/Q samples (LO leakage) read CISPR-average 50 dBµV at the centre and
failed a 46 dBµV limit with no word. ``check`` keeps the verdict and adds a note when the
worst point or a suspect lies within one RBW of the centre frequency.
"""

from __future__ import annotations

import numpy as np

from rfcheck.analysis import analyse_capture
from rfcheck.capture import Capture, SampleKind, TimeSeries
from rfcheck.outcome import Verdict
from rfcheck.receiver.centre import DC_OFFSET_TEXT, dc_offset_note
from rfcheck.settings import CheckSettings

FS, FC = 200e3, 1e6
SETTINGS = CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(0.95e6, 1.05e6))


def _crest(dbuv: float) -> float:
    return float(np.sqrt(2.0) * 10 ** ((dbuv - 120.0) / 20.0))


def _recording(dc_dbuv: float | None, cw_hz: float, cw_dbuv: float) -> TimeSeries:
    """Return 2 s of I/Q at FC: a DC offset (None: none) plus a CW at ``cw_hz``."""
    t = np.arange(int(2.0 * FS)) / FS
    x = _crest(cw_dbuv) * np.exp(2j * np.pi * (cw_hz - FC) * t)
    if dc_dbuv is not None:
        x = x + _crest(dc_dbuv)
    return TimeSeries(x.astype(np.complex64), FS, SampleKind.IQ, center_freq_hz=FC)


def test_a_dc_offset_judged_at_the_centre_gets_a_note_and_keeps_its_verdict() -> None:
    r = analyse_capture(Capture(time_series=(_recording(50.0, FC + 20e3, 40.0),)), SETTINGS)
    av = next(c for c in r.checks if c.line == "AV")
    assert av.verdict is Verdict.FAIL and av.worst_frequency_hz is not None  # judged as before
    assert abs(av.worst_frequency_hz - FC) < 1.0
    (note,) = [w for w in r.warnings if DC_OFFSET_TEXT in w]
    assert note == (
        "receiver: a point the verdict names (1 MHz, its worst point or a suspect) lies within "
        "one RBW (9 kHz) of the I/Q recording's centre frequency 1 MHz: it may be the "
        "recorder's DC offset (LO leakage), not the device's emission: check with the device "
        "off or offset the centre"
    )


def test_an_emission_away_from_the_centre_gets_no_note() -> None:
    r = analyse_capture(Capture(time_series=(_recording(None, FC + 20e3, 50.0),)), SETTINGS)
    assert not any(DC_OFFSET_TEXT in w for w in r.warnings)


def test_the_note_looks_one_rbw_either_side_of_an_iq_centre_only() -> None:
    iq = _recording(None, FC, 40.0)
    assert dc_offset_note(iq, [FC - 9e3], 9e3)
    assert dc_offset_note(iq, [1.2e6, FC + 9e3], 9e3)
    assert dc_offset_note(iq, [FC + 9.001e3, FC - 9.001e3], 9e3) == ""
    real = TimeSeries(np.zeros(10, np.float32), FS, SampleKind.REAL)
    assert dc_offset_note(real, [FC], 9e3) == ""
    assert dc_offset_note(iq, [FC], 9e3, "Channel 2: ").startswith("Channel 2: receiver: ")
