"""QP pulse-table rows (docs/references.md §4c) over record lengths 3-8 s and pulse phases.

The QP detector and its meter are driven directly with the IF envelope of the band's
reference impulse (the Gaussian IF response the receiver's channeliser applies,
``e(t) = 2 a B_imp exp(-t²/2σ_t²)``, ``B_imp = 1.0645 B6``, ``σ_t = 0.3748/B6``) at
4 B6, several first-pulse times at once (one channel each), and read at every whole
second from 3 to 8 s: the reading of a record of that length. One case is checked against
:func:`rfcheck.receiver.measure` on the I/Q recording, so these figures are the receiver's.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from numpy.typing import NDArray

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.receiver import BANDS, measure
from rfcheck.receiver.detectors import QuasiPeakDetector
from rfcheck.units import volts_to_dbuv

AREA_VS = {"B": 0.316e-6 / 2, "CD": 0.044e-6 / 2}  # terminal reference areas, §4b [V s]
#: (PRF [Hz] or None = isolated pulse, nominal [dB], tolerance [dB]), docs/references.md §4c
ROWS = {
    "B": [(1000, -4.5, 1.0), (20, 6.5, 1.0), (10, 10.0, 1.5), (2, 20.5, 2.0), (1, 22.5, 2.0),
          (None, 23.5, 2.0)],
    "CD": [(1000, -8.0, 1.0), (20, 9.0, 1.0), (10, 14.0, 1.5), (2, 26.0, 2.0), (1, 28.5, 2.0),
           (None, 31.5, 2.0)],
}  # fmt: skip
LENGTHS_S = (3, 4, 5, 6, 7, 8)
#: First-pulse times as fractions of the pulse period (the isolated pulse: of 1 s), each
#: offset by a fraction of an envelope sample so the pulse crest falls between samples too.
PHASES = (0.02, 0.29, 0.61, 0.93)
SPARE_DB = 0.5
SIGMA_T_PER_B6 = 1.0 / (2.0 * math.pi) * 2.0 * math.sqrt(2.0 * math.log(2.0))  # σ_t·B6
B_IMP_PER_B6 = math.sqrt(math.pi / (4.0 * math.log(2.0)))  # 1.0645, Gaussian


def _first_pulses_s(prf: float | None) -> NDArray[np.float64]:
    period = 1.0 if prf is None else 1.0 / prf
    return np.array([(p + 0.37 * k / 7.0 * 1e-3) * period for k, p in enumerate(PHASES)])


@functools.cache
def _readings_dbuv(
    band: str, prf: float | None, tau_meter_s: float | None = None
) -> NDArray[np.float64]:
    """QP reading [dBµV], shape (len(LENGTHS_S), len(PHASES)), of records 3-8 s long.

    ``tau_meter_s`` replaces the band's meter time constant (None: the band's).
    """
    spec = BANDS[band]
    rate = 4.0 * spec.rbw_hz
    sigma = SIGMA_T_PER_B6 / spec.rbw_hz
    crest = 2.0 * AREA_VS[band] * B_IMP_PER_B6 * spec.rbw_hz
    half = int(6.0 * sigma * rate) + 1
    n_total = int(round(LENGTHS_S[-1] * rate))
    env = np.zeros((len(PHASES), n_total), np.float32)
    width = np.arange(-half, half + 1)
    for c, t0 in enumerate(_first_pulses_s(prf)):
        pulses = np.array([t0]) if prf is None else np.arange(t0, LENGTHS_S[-1], 1.0 / prf)
        idx = np.rint(pulses * rate).astype(np.int64)[:, None] + width[None, :]
        keep = (idx >= 0) & (idx < n_total)
        d = idx / rate - pulses[:, None]  # pulses never overlap: plain assignment
        env[c, idx[keep]] = (crest * np.exp(-0.5 * (d / sigma) ** 2))[keep]
    tau_m = spec.tau_meter_s if tau_meter_s is None else tau_meter_s
    det = QuasiPeakDetector(len(PHASES), rate, spec.tau_charge_s, spec.tau_discharge_s, tau_m)
    out = np.empty((len(LENGTHS_S), len(PHASES)))
    n_done = 0
    for row, length in enumerate(LENGTHS_S):
        n_end = int(round(length * rate))
        det.push(env[:, n_done:n_end])
        n_done = n_end
        out[row] = volts_to_dbuv(det.reading())
    out.setflags(write=False)
    return out


def _figures_db(band: str, prf: float | None) -> NDArray[np.float64]:
    """Return the standard's figure in dB: reference reading minus this PRF's.

    Shape (len(LENGTHS_S), len(PHASES)).
    """
    return _readings_dbuv(band, BANDS[band].ref_prf_hz) - _readings_dbuv(band, prf)


def _spares_db(band: str, prf: float | None, nominal: float, tol: float) -> NDArray[np.float64]:
    return tol - np.abs(_figures_db(band, prf) - nominal)


def test_envelope_drive_reads_as_the_receiver() -> None:
    """The direct envelope drive and measure() on the I/Q recording agree within 0.03 dB."""
    band, prf, length = "CD", 1.0, 3.0
    spec = BANDS[band]
    fs = 4.0 * spec.rbw_hz
    x = np.zeros(int(round(length * fs)), np.complex128)
    t0 = _first_pulses_s(prf)[1]
    x[np.rint(np.arange(t0, length, 1.0) * fs).astype(int)] = 2 * AREA_VS[band] * fs
    ts = TimeSeries(x, fs, SampleKind.IQ, center_freq_hz=1e6)
    got = measure(ts, band, [1e6], ("quasi-peak",)).readings_dbuv["quasi-peak"][0]
    assert got == pytest.approx(_readings_dbuv(band, prf)[0, 1], abs=0.03)


#: Rows whose spare is under SPARE_DB with the nominal constants: (least spare asserted [dB],
#: why). docs/receiver.md, "The CISPR 16-1-1 pulse table: how far inside its tolerance
#: each row is".
SHORT_ROWS: dict[tuple[str, float | None], tuple[float, str]] = {
    ("CD", 20): (0.4, "C/D 20 Hz reads +9.55 dB against +9.0 ± 1.0 (a row UNCONFIRMED, §4c)"),
    ("CD", 1): (0.05, "C/D 1 Hz reads +30.3 dB against +28.5 ± 2.0: the nominal τ_D, τ_M fix "
                "the 2 Hz -> 1 Hz step at 3.7 dB (2.8 dB without a meter) where the table has "
                "2.5 dB; no documented model change closes it (docs/receiver.md)"),
}  # fmt: skip
_CASES = [(b, r) for b, rows in ROWS.items() for r in rows]


def _id(case: tuple[str, tuple[float | None, float, float]]) -> str:
    return f"{case[0]}-{case[1][0] or 'isolated'}"


def _read_fully(prf: float | None, length: float) -> list[int]:
    """Phases whose record holds 3 pulses, the last one >= 0.34 s before its end.

    The meter's swing after a pulse peaks 0.34 s later in Bands C/D (τ_D 550 ms, τ_M 100 ms;
    0.32 s in Band B): a pulse in the last 0.34 s of a record is only partly read.
    """
    if prf is None:
        return list(range(len(PHASES)))
    firsts = _first_pulses_s(prf)
    return [j for j, t0 in enumerate(firsts) if t0 + 2.0 / prf <= length - 0.34]


@pytest.mark.parametrize(("band", "row"), _CASES, ids=[_id(c) for c in _CASES])
def test_pulse_table_row_spare_at_every_length_and_phase(
    band: str, row: tuple[float | None, float, float]
) -> None:
    """>= 0.5 dB inside the tolerance (SHORT_ROWS: their least spare) once 3 pulses are read."""
    prf, nominal, tol = row
    least = SHORT_ROWS.get((band, prf), (SPARE_DB, ""))[0]
    spares = _spares_db(band, prf, nominal, tol)
    for i, length in enumerate(LENGTHS_S):
        read = _read_fully(prf, length)
        assert read, (band, prf, length)
        assert spares[i, read].min() >= least, (
            f"band {band} PRF {prf}, {length} s: least spare {spares[i, read].min():+.2f} dB "
            f"(phases {PHASES})"
        )


def test_a_pulse_late_in_the_record_is_read_low() -> None:
    """C/D 1 Hz, 3 s: pulses at 0.93/1.93/2.93 s read lower than at 0.02/1.02/2.02 s."""
    readings = _readings_dbuv("CD", 1.0)[LENGTHS_S.index(3)]
    assert readings[0] - readings[3] > 0.15


def test_cd_2hz_to_1hz_step_exceeds_the_table_whatever_the_meter() -> None:
    """C/D: the table's 2 Hz -> 1 Hz step (2.5 dB) is below what τ_D = 550 ms allows.

    With a meter 100 times faster than τ_M the reading is the detector's own maximum, whose
    step at these PRFs is set by τ_D alone (2.9 dB in the small-signal limit); the nominal
    meter widens it to 3.7 dB. No meter brings C/D 1 Hz nearer the table without moving
    2 Hz further from it (docs/receiver.md, "Band C/D at 1 Hz: candidate corrections").
    """
    final = LENGTHS_S.index(8)
    fast = _readings_dbuv("CD", 2.0, 0.001)[final] - _readings_dbuv("CD", 1.0, 0.001)[final]
    nominal = _readings_dbuv("CD", 2.0)[final] - _readings_dbuv("CD", 1.0)[final]
    assert fast.min() > 2.5 + 0.2
    assert nominal.min() > fast.max() + 0.5


_SHORT = [(b, r) for b, r in _CASES if (b, r[0]) in SHORT_ROWS]


@pytest.mark.xfail(strict=True, reason="rows listed in SHORT_ROWS (docs/receiver.md)")
@pytest.mark.parametrize(("band", "row"), _SHORT, ids=[_id(c) for c in _SHORT])
def test_short_rows_have_half_a_db_to_spare(
    band: str, row: tuple[float | None, float, float]
) -> None:
    prf, nominal, tol = row
    assert _spares_db(band, prf, nominal, tol).min() >= SPARE_DB, SHORT_ROWS[(band, prf)][1]
