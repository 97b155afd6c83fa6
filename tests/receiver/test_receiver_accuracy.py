"""Test the CISPR 16-1-1 receiver model against the standard.

CW accuracy, QP pulse response (docs/references.md §4c), absolute reference-pulse
calibration (§4b), average detectors (§4e), detector ordering.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.receiver import BANDS, measure

F0 = 1.0e6  # IQ centre / tuned frequency [Hz]

#: Every band key ``rfcheck receiver --band`` accepts (it takes the keys of BANDS), and the ones
#: that define QP. Bands C and D run the C/D rows of the tables below.
EVERY_BAND = ("A", "B", "C", "D", "CD", "E")
QP_BANDS = ("A", "B", "C", "D", "CD")
#: The table rows each band key is checked against (C and D share the C/D constants, §4a).
ROWS = {"A": "A", "B": "B", "C": "CD", "D": "CD", "CD": "CD"}


def test_the_band_lists_are_every_band_key() -> None:
    assert set(EVERY_BAND) == set(BANDS)
    assert set(QP_BANDS) == {k for k, spec in BANDS.items() if spec.has_qp}


def _iq_pulses(band: str, prf: float | None, duration_s: float, area_vs: float) -> TimeSeries:
    """IQ record (fs = 4 B6) of RF impulses of terminal area ``area_vs`` at ``prf``.

    An RF impulse a·δ(t) has complex envelope 2a·δ(t) (RF = Re{iq e^{jωt}}).
    """
    spec = BANDS[band]
    fs = 4.0 * spec.rbw_hz
    n = int(round(duration_s * fs))
    x = np.zeros(n, np.complex128)
    if prf is None:
        x[int(0.05 * fs)] = 2 * area_vs * fs
    else:
        t_p = np.arange(0.02, duration_s - 0.01, 1.0 / prf)
        x[np.rint(t_p * fs).astype(int)] = 2 * area_vs * fs
    return TimeSeries(x, fs, SampleKind.IQ, center_freq_hz=F0)


def _record_length(band: str, prf: float | None) -> float:
    spec = BANDS[band]
    settle = 7 * spec.tau_meter_s + 3 * spec.tau_discharge_s
    if prf is None:
        return 0.05 + 8 * spec.tau_meter_s
    return settle + 2.0 / prf + 0.05


def _qp(band: str, prf: float | None, area_vs: float) -> float:
    ts = _iq_pulses(band, prf, _record_length(band, prf), area_vs)
    return float(measure(ts, band, [F0], ("quasi-peak",)).readings_dbuv["quasi-peak"][0])


# --- CW -----------------------------------------------------------------------------------


@pytest.mark.parametrize("band", EVERY_BAND)
@pytest.mark.parametrize("offset_frac", [0.0, 0.3712])
def test_cw_iq_reads_rms_on_every_detector(band: str, offset_frac: float) -> None:
    spec = BANDS[band]
    fs = 4.0 * spec.rbw_hz
    t = np.arange(int((7.5 * spec.tau_meter_s + 0.05) * fs)) / fs
    df = offset_frac * fs / 7.0  # tone exactly at an arbitrary (off-FFT-bin) tuned frequency
    amp = 2.0e-3  # peak volts -> 1.414 mV rms = 63.01 dBµV
    ts = TimeSeries(amp * np.exp(2j * np.pi * df * t), fs, SampleKind.IQ, center_freq_hz=F0)
    res = measure(ts, band, [F0 + df], spec.detectors)
    assert set(res.readings_dbuv) == set(spec.detectors)
    expect = 20 * math.log10(amp / math.sqrt(2) / 1e-6)
    for det, lv in res.readings_dbuv.items():
        assert lv[0] == pytest.approx(expect, abs=0.1), det


def test_cw_real_reads_rms_off_grid() -> None:
    fs = 2.0e6
    t = np.arange(int(1.2 * fs)) / fs
    f = 456_789.123
    ts = TimeSeries(0.5 * np.cos(2 * np.pi * f * t), fs, SampleKind.REAL, volts_per_unit=2e-3)
    res = measure(ts, "B", [f])
    expect = 20 * math.log10(1e-3 / math.sqrt(2) / 1e-6)
    for det, lv in res.readings_dbuv.items():
        assert lv[0] == pytest.approx(expect, abs=0.1), det


# --- QP pulse response vs PRF, docs/references.md §4c (input-level convention) -------------------
# (prf, table dB, tolerance dB, status). Band B rows 1000/10/2/1 Hz [S: RFAUTO]; 20 Hz value
# [S] but its PRF UNCONFIRMED; isolated UNCONFIRMED. Band A and C/D rows UNCONFIRMED except
# C/D 1 Hz [S: RFAUTO citing Schwarzbeck].
TABLE = {
    "A": [
        (100, -4.0, 1.0, "UNCONFIRMED"),
        (60, -3.0, 1.0, "UNCONFIRMED"),
        (10, 4.0, 1.0, "UNCONFIRMED"),
        (5, 7.5, 1.5, "UNCONFIRMED"),
        (2, 13.0, 2.0, "UNCONFIRMED"),
        (1, 17.0, 2.0, "UNCONFIRMED"),
        (None, 19.0, 2.0, "UNCONFIRMED"),
    ],
    "B": [
        (1000, -4.5, 1.0, "S"),
        (20, 6.5, 1.0, "S, PRF UNCONFIRMED"),
        (10, 10.0, 1.5, "S"),
        (2, 20.5, 2.0, "S"),
        (1, 22.5, 2.0, "S"),
        (None, 23.5, 2.0, "UNCONFIRMED"),
    ],
    "CD": [
        (1000, -8.0, 1.0, "UNCONFIRMED"),
        (20, 9.0, 1.0, "UNCONFIRMED"),
        (10, 14.0, 1.5, "UNCONFIRMED"),
        (2, 26.0, 2.0, "UNCONFIRMED"),
        (1, 28.5, 2.0, "S"),
        (None, 31.5, 2.0, "UNCONFIRMED"),
    ],
}
AREA = {"A": 13.5e-6 / 2, "B": 0.316e-6 / 2, "CD": 0.044e-6 / 2}  # terminal areas [V s]


@pytest.mark.parametrize(
    ("band", "row"),
    [(b, r) for b in QP_BANDS for r in TABLE[ROWS[b]]],
    ids=lambda v: str(v[0]) if isinstance(v, tuple) else str(v),
)
def test_qp_pulse_response_table(band: str, row: tuple[float, float, float, str]) -> None:
    prf, table_db, tol_db, _status = row
    area = AREA[ROWS[band]]
    ref = _qp(band, BANDS[band].ref_prf_hz, area)
    rel_input_db = ref - _qp(band, prf, area)  # standard's input-level convention
    assert abs(rel_input_db - table_db) <= tol_db, (
        f"band {band} PRF {prf}: {rel_input_db:+.2f} dB (table {table_db:+.1f} ± {tol_db})"
    )


@pytest.mark.parametrize("band", QP_BANDS)
def test_reference_pulse_reads_60_dbuv(band: str) -> None:
    """docs/references.md §4b: reference pulse at a matched input = 1 mV sine = 60 dBµV on QP."""
    qp = _qp(band, BANDS[band].ref_prf_hz, AREA[ROWS[band]])
    assert qp == pytest.approx(60.0, abs=0.5)


# --- averages and ordering -------------------------------------------------------------------


def _all(band: str, prf: float, duration_s: float) -> dict[str, float]:
    ts = _iq_pulses(band, prf, duration_s, AREA[band])
    res = measure(ts, band, [F0])
    return {k: float(v[0]) for k, v in res.readings_dbuv.items()}


def test_average_detectors_prf_slopes_band_b() -> None:
    hi = _all("B", 2000.0, 1.3)
    lo = _all("B", 200.0, 1.3)
    # CISPR-average: linear average, 20 dB/decade of PRF (docs/references.md §4e)
    assert hi["cispr-average"] - lo["cispr-average"] == pytest.approx(20.0, abs=0.3)
    # RMS-average above f_c = 100 Hz: 10 dB/decade
    assert hi["rms-average"] - lo["rms-average"] == pytest.approx(10.0, abs=0.5)
    very_lo = _all("B", 30.0, 1.3)
    lower = _all("B", 10.0, 1.4)
    # below f_c (and above the meter's 1/(2π τ_M) ≈ 1 Hz): 20 dB/decade -> 9.54 dB per x3
    assert very_lo["rms-average"] - lower["rms-average"] == pytest.approx(9.54, abs=1.0)
    for r in (hi, lo, very_lo, lower):
        assert r["peak"] >= r["quasi-peak"] >= r["cispr-average"]


def test_peak_minus_qp_reference_pulse_band_b() -> None:
    """docs/references.md §4d: Peak - QP ≈ 6.6 dB [D] (Schwarzbeck measured 6.1 dB [S])."""
    r = _all("B", 100.0, 1.7)
    assert r["peak"] - r["quasi-peak"] == pytest.approx(6.6, abs=0.5)


def test_rms_average_single_burst_keysight_window() -> None:
    """Keysight N9038A CISPR 16-1-1 §7.5.4 check: one 160 ms burst reads -9.4..-6.4 dB vs CW."""
    fs = 36e3
    t = np.arange(int(1.5 * fs)) / fs
    burst = ((t > 0.1) & (t < 0.26)).astype(float)
    cw = TimeSeries(np.ones_like(t, dtype=complex), fs, SampleKind.IQ, center_freq_hz=F0)
    pb = TimeSeries(burst.astype(complex), fs, SampleKind.IQ, center_freq_hz=F0)
    d = (
        measure(pb, "B", [F0], ("rms-average",)).readings_dbuv["rms-average"][0]
        - measure(cw, "B", [F0], ("rms-average",)).readings_dbuv["rms-average"][0]
    )
    assert -9.4 <= d <= -6.4
