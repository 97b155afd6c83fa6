#!/usr/bin/env python3
"""Write rfcheck's sample captures: bench tests of a fictional ASIC mining rig.

The modelled device is the *Hashcore HC-3* (fictional): an air-cooled SHA-256 miner with
three hash boards, a control board (ARM SoC, DDR3, Gigabit Ethernet) and a 3.4 kW
240 V power supply (CCM boost PFC at 65 kHz + LLC resonant stage at 118 kHz). It is sold for
home mining, so FCC Part 15 **Class B** applies. See ``sample_captures/README.md`` for the
story, every file, and the verdicts they must give.

Every spectrum is built the way an instrument would have displayed it: the emission model
is stated at the device (EUT-port voltage for conducted [dBµV], field strength at 3 m for
radiated [dBµV/m]), then taken to the instrument input through the same transducer tables
this script writes (LISN factor, antenna factor, cable loss, preamplifier gain), power-summed
with the instrument's own noise for the trace's detector and resolution bandwidth, and
written in the vendor's export format (Keysight X-series CSV, R&S receiver ASCII, SigMF;
the writers are in ``vendor_formats.py`` next to this script).

Determinism: one fixed seed; each file draws from its own stream
(``default_rng([SEED, crc32(name)])``), so re-running writes byte-identical files and a
file's random draws do not depend on which other files are written or in what order. Levels are rounded to a 2**-16 dB
grid and IQ samples to a 2**-30 V grid before formatting, so a last-bit difference in a
platform's ``exp``/``log10`` cannot change a printed digit.

Usage::

    python sample_captures/generate.py [--out DIR]

References
----------
47 CFR 15.107(a) and 15.109(a) (Class B limits); CISPR 16-1-1 (9 kHz / 120 kHz / 1 MHz
Gaussian RBW, quasi-peak time constants 1 ms / 160 ms / 160 ms in Band B);
docs/references.md §4 and §8 for the receiver model used for the burst's quasi-peak reading.
"""

from __future__ import annotations

import argparse
import json
import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.interpolate import PchipInterpolator
from scipy.signal import lfilter
from vendor_formats import keysight_csv, rs_ascii, rs_grid, sigmf_pair

Array = NDArray[np.float64]

#: The one seed: the (fictional) test date.
SEED = 20251112
#: dBm -> dBµV at 50 Ω: 10 log10(50 Ω · 1 mW) + 120 dB. [dB]
DBM_TO_DBUV = 10.0 * math.log10(50.0e-3) + 120.0

F_PFC_HZ = 65.0e3  #: boost PFC switching frequency [Hz]
F_LLC_HZ = 118.0e3  #: LLC resonant stage switching frequency at full load [Hz]
F_FAN_HZ = 25.0e3  #: fan PWM [Hz]
F_BUCK_HZ = 575.0e3  #: control-board 12 V -> 5 V buck [Hz]
F_BURST_HZ = 1.39e6  #: ringing frequency of the fan load-switch bursts [Hz]
BURST_PRF_HZ = 10.0  #: burst repetition rate [Hz]
BURST_TAU_S = 15e-6  #: decay time constant of one burst [s]
BURST_PEAK_DBUV = 63.0  #: peak reading of the bursts at the receiver input, L1, 9 kHz [dBµV]
IQ_RATE_HZ = 200.0e3  #: SigMF sample rate [Hz]
IQ_SECONDS = 1.8  #: SigMF record length [s]


def _rng(name: str) -> np.random.Generator:
    """Independent, stable random stream for one file or model part."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def _q(level: Array) -> Array:
    """Round levels to a 2**-16 dB grid (platform-proof formatting). [dB]"""
    return np.round(np.asarray(level, dtype=np.float64) * 65536.0) / 65536.0


def _db_sum(*levels_db: Array) -> Array:
    """Power sum of levels. [dB] -> [dB]"""
    return 10.0 * np.log10(sum(10.0 ** (np.asarray(x) / 10.0) for x in levels_db))


# --- transducer tables --------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A two-column transducer table as written to disk (frequency [MHz], value [dB])."""

    header: str
    freq_mhz: Array
    value_db: Array

    def at(self, freq_hz: Array | float) -> Array:
        """Interpolation linear in log f, as rfcheck applies a table. [dB]"""
        x = np.log10(np.asarray(freq_hz, dtype=np.float64) / 1e6)
        return np.interp(x, np.log10(self.freq_mhz), self.value_db)

    def to_bytes(self) -> bytes:
        """The CSV as written: header row, ``freq,value`` rows (2 decimals), CRLF."""
        rows = [self.header] + [
            f"{f:g},{v:.2f}" for f, v in zip(self.freq_mhz, self.value_db, strict=True)
        ]
        return ("\r\n".join(rows) + "\r\n").encode("ascii")


def _pchip_table(header: str, anchors: dict[float, float], grid_mhz: Array, ripple: float,
                 name: str) -> Table:
    """Smooth a calibration curve through ``anchors`` (log-f PCHIP) plus small ripple."""
    f = np.array(sorted(anchors))
    curve = PchipInterpolator(np.log10(f), [anchors[k] for k in f])(np.log10(grid_mhz))
    curve = curve + ripple * _rng(name).standard_normal(grid_mhz.size)
    return Table(header, grid_mhz, np.round(curve, 2))


def transducers() -> dict[str, Table]:
    """The lab's calibration tables: LISN, bilog, horn, cable, 1-6 GHz preamplifier.

    Returns
    -------
    dict
        File name (under ``transducers/``) -> table. LISN factor and cable loss are added to
        the reading, antenna factor added [dB/m], preamplifier gain subtracted [dB].
    """
    lisn = _pchip_table(
        "Frequency (MHz),LISN Factor (dB)",
        {0.15: 0.62, 0.2: 0.45, 0.3: 0.28, 0.5: 0.16, 1: 0.10, 2: 0.08, 5: 0.09, 10: 0.15,
         20: 0.28, 30: 0.42},
        np.array([0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10, 15, 20, 25, 30]),
        0.01, "lisn",
    )
    bilog = _pchip_table(
        "Frequency (MHz),Antenna Factor (dB/m)",
        {30: 18.9, 35: 15.6, 40: 12.9, 50: 9.6, 60: 7.9, 70: 7.2, 80: 7.3, 90: 8.0, 100: 9.1,
         120: 10.8, 140: 11.6, 160: 11.4, 180: 10.6, 200: 10.2, 250: 11.9, 300: 13.4, 400: 15.8,
         500: 17.6, 600: 19.2, 700: 20.5, 800: 21.6, 900: 22.7, 1000: 23.7},
        np.arange(30.0, 1000.1, 5.0), 0.08, "bilog",
    )
    horn = _pchip_table(
        "Frequency (MHz),Antenna Factor (dB/m)",
        {1000: 24.3, 1500: 25.9, 2000: 27.6, 2500: 28.5, 3000: 30.2, 3500: 31.0, 4000: 32.4,
         4500: 32.9, 5000: 33.7, 5500: 34.9, 6000: 35.4},
        np.arange(1000.0, 6000.1, 100.0), 0.12, "horn",
    )
    f_cab = np.concatenate([np.arange(30.0, 1000.0, 10.0), np.arange(1000.0, 6000.1, 50.0)])
    loss = 0.15 + 0.085 * np.sqrt(f_cab) + 0.00031 * f_cab  # skin effect + dielectric
    loss = loss + 0.04 * np.sin(f_cab / 37.0) * (f_cab / 6000.0) ** 0.5  # connector VSWR ripple
    cable = Table("Frequency (MHz),Cable Loss (dB)", f_cab, np.round(loss, 2))
    f_amp = np.arange(1000.0, 6000.1, 100.0)
    gain = 34.5 - 0.6 * (f_amp / 1000.0 - 1.0) + 0.25 * np.sin(f_amp / 410.0)
    preamp = Table("Frequency (MHz),Gain (dB)", f_amp, np.round(gain, 2))
    return {
        "lisn_factor.csv": lisn,
        "antenna_factor_bilog_30M-1G.csv": bilog,
        "antenna_factor_horn_1-6G.csv": horn,
        "cable_loss.csv": cable,
        "preamp_gain_1-6G.csv": preamp,
    }


# --- spectra as an instrument displays them ------------------------------------------------

DETECTORS = ("pk", "qp", "av")


@dataclass
class Sweep:
    """Power accumulator for one sweep: readings at the instrument input, per detector.

    Parameters
    ----------
    freq_hz : ndarray
        Trace frequencies. [Hz]
    rbw_hz : float
        Gaussian resolution bandwidth (-6 dB). [Hz]
    swept : bool
        Swept analyser with a peak/average detector bucket (a line between two points is
        still caught) instead of a stepped receiver (a line between steps is scalloped).
    to_input_db : callable
        Emission level at the device -> reading at the instrument input, added. [dB]
    """

    freq_hz: Array
    rbw_hz: float
    swept: bool
    to_input_db: Callable[[Array], Array]
    power: dict[str, Array] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Zero power per detector; the trace step sets the swept bucket width."""
        self.power = {d: np.zeros(self.freq_hz.size) for d in DETECTORS}
        self.step_hz = float(np.median(np.diff(self.freq_hz)))

    def add_reading(self, det: str, sl: slice, level_db: Array) -> None:
        """Add a reading [dB] to detector ``det`` over ``sl`` (power sum)."""
        self.power[det][sl] += 10.0 ** (level_db / 10.0)

    def line(self, fc_hz: float, pk: float, qp: float, av: float, width_hz: float = 0.0) -> None:
        """A spectral line at the device (levels [dB]); ``width_hz`` widens it (FM, dither)."""
        span = 4.0 * self.rbw_hz + width_hz
        lo, hi = np.searchsorted(self.freq_hz, [fc_hz - span, fc_hz + span])
        if hi <= lo:
            return
        sl = slice(lo, hi)
        d = np.abs(self.freq_hz[sl] - fc_hz) - width_hz / 2.0
        if self.swept:
            d = d - self.step_hz / 2.0
        att = -6.0206 * (2.0 * np.clip(d, 0.0, None) / self.rbw_hz) ** 2  # Gaussian RBW
        corr = float(self.to_input_db(np.array([fc_hz]))[0])
        for det, lev in zip(DETECTORS, (pk, qp, av), strict=True):
            self.add_reading(det, sl, lev + corr + att)

    def density(self, pk: Array, qp_minus_pk: float, av_minus_pk: float) -> None:
        """Broadband emission at the device, level per RBW on the trace grid. [dB]"""
        corr = self.to_input_db(self.freq_hz)
        for det, off in zip(DETECTORS, (0.0, qp_minus_pk, av_minus_pk), strict=True):
            self.add_reading(det, slice(None), pk + off + corr)

    def block(self, f_lo: float, f_hi: float, pk: float, qp_minus_pk: float,
              av_minus_pk: float, rng: np.random.Generator) -> None:
        """A noise-like channel (TV, LTE, Wi-Fi) from ``f_lo`` to ``f_hi`` [Hz], flat top."""
        f = self.freq_hz
        edge = np.maximum(f_lo - f, f - f_hi).clip(0.0)
        shape = pk - 6.0206 * (2.0 * edge / self.rbw_hz) ** 2 - 40.0 * (edge > self.rbw_hz)
        shape = shape + rng.normal(0.0, 0.8, f.size)
        inside = edge < 3.0 * self.rbw_hz
        self.density(np.where(inside, shape, -300.0), qp_minus_pk, av_minus_pk)

    def noise(self, floor: dict[str, Array], rng: np.random.Generator) -> None:
        """Instrument noise at its input (already a reading), per detector. [dB]"""
        n = self.freq_hz.size
        spread = {"pk": rng.normal(0.0, 0.9, n).clip(-3.0, 3.0),
                  "qp": rng.normal(0.0, 0.7, n).clip(-2.5, 2.5),
                  "av": rng.normal(0.0, 0.5, n).clip(-2.0, 2.0)}
        for det in DETECTORS:
            self.add_reading(det, slice(None), floor[det] + spread[det])

    def levels(self, det: str) -> Array:
        """Reading of one detector, with PK >= QP >= AV enforced as a receiver does. [dB]"""
        db = {d: 10.0 * np.log10(self.power[d]) for d in DETECTORS}
        qp = np.minimum(db["qp"], db["pk"])
        return _q({"pk": db["pk"], "qp": qp, "av": np.minimum(db["av"], qp)}[det])


# --- the conducted emission model (EUT-port voltage, 150 kHz - 30 MHz) ---------------------


@dataclass(frozen=True)
class Burst:
    """The fan load-switch bursts, as seen at the receiver input on L1."""

    pk_at_offset: Callable[[Array], Array]  #: peak reading vs detuning [Hz] -> [dBµV]
    pk_minus_qp_db: float  #: quasi-peak reading below peak, 9 kHz [dB]
    pk_minus_av_db: float  #: CISPR-average reading below peak [dB]
    iq: NDArray[np.complex64]  #: the recording, volts at the receiver input [V]


def conducted_sweep(port: str, sweep: Sweep, burst: Burst, rng: np.random.Generator,
                    caught: float = 1.0) -> None:
    """Fill ``sweep`` with the rig's mains emission on ``port`` ("L1" or "N").

    PFC harmonics (boost, CCM, envelope follows the 60 Hz line: AV 3.9 dB below PK), LLC
    harmonics (odd > even, CW), fan PWM and control-board buck combs, the hard-switching
    hump (PFC turn-off ringing near 9 MHz plus dithered high-order PFC harmonics), and the
    fan load-switch bursts (common mode, equal on L1 and N). ``caught`` is the chance a
    swept max-hold bucket caught a burst. Port differences (DM/CM phase) are a few dB.
    """
    model = _rng("conducted-model")  # shared by L1 and N: the same rig
    n_offsets = model.normal(0.0, 1.0, 400).clip(-1.5, 1.5)
    dm = {"L1": 0.0, "N": -1.2, "L2": -0.7}[port]  # differential-mode share differs by line
    for n in range(3, 31):
        fc = n * F_PFC_HZ
        pk = 55.0 - 25.0 * math.log10(fc / 195e3) + (n_offsets[n] if n > 3 else 0.0) + dm
        sweep.line(fc, pk, pk - 0.8, pk - 3.9)
    for n in range(2, 120):
        fc = n * F_LLC_HZ
        pk = 46.0 - 30.0 * math.log10(fc / 236e3) - (3.0 if n % 2 == 0 else 0.0)
        pk += n_offsets[100 + n] * 0.7 + (0.8 if port == "N" else 0.0)
        if pk > 5.0 and fc < 30.2e6:
            sweep.line(fc, pk, pk - 0.1, pk - 0.3)
    for n in range(6, 40):
        pk = 34.0 - 40.0 * math.log10(n * F_FAN_HZ / 150e3) - (0.5 if port == "N" else 0.0)
        sweep.line(n * F_FAN_HZ, pk, pk - 0.2, pk - 0.5)
    for n in range(1, 53):
        pk = 31.0 - 20.0 * math.log10(n) + n_offsets[250 + n] * 0.5
        sweep.line(n * F_BUCK_HZ, pk, pk - 0.1, pk - 0.2)
    f = sweep.freq_hz
    x = np.log10(f / 9.0e6) / 0.35
    hump = 41.0 - 16.0 * x**2 + 1.5 * np.cos(2 * np.pi * f / F_PFC_HZ) + (1.5 if port == "N" else 0)
    sweep.density(hump + rng.normal(0.0, 0.6, f.size), -3.0, -8.0)
    # bursts: a reading already (receiver input); ragged where a swept bucket missed them
    pk_b = burst.pk_at_offset(f - F_BURST_HZ) - (0.4 if port == "N" else 0.0)
    hit = rng.random(f.size) < caught
    if caught < 1.0:
        hit[np.argmin(np.abs(f - F_BURST_HZ))] = True
        pk_b = pk_b - rng.exponential(1.0, f.size) * (np.abs(f - F_BURST_HZ) > 3e3)
    pk_b = np.where(hit, pk_b, -300.0)
    for det, off in zip(DETECTORS, (0.0, burst.pk_minus_qp_db, burst.pk_minus_av_db), strict=True):
        sweep.add_reading(det, slice(None), pk_b - off)
    floor_pk = 20.0 + 2.5 * (1.0 - np.log10(f / 150e3) / np.log10(200.0))
    sweep.noise({"pk": floor_pk, "qp": floor_pk - 4.5, "av": floor_pk - 10.5}, rng)


def _gauss_envelope(x: NDArray[np.complex128], fs: float, offset_hz: float, rbw_hz: float) -> Array:
    """IF envelope [V peak] of ``x`` through a zero-phase Gaussian RBW centred on ``offset_hz``.

    A tone of amplitude A at ``offset_hz`` gives envelope A (docs/references.md §8c).
    """
    spec = np.fft.fft(x)
    fk = np.fft.fftfreq(x.size, 1.0 / fs)
    sigma = rbw_hz / (2.0 * math.sqrt(2.0 * math.log(2.0)))
    return np.abs(np.fft.ifft(spec * np.exp(-0.5 * ((fk - offset_hz) / sigma) ** 2)))


def _cispr_b_readings(env: Array, fs: float) -> tuple[float, float, float]:
    """Peak, quasi-peak and CISPR-average readings [V rms] of a Band B IF envelope.

    Circuit-exact QP detector (charge 1 ms, discharge 160 ms) and a critically damped meter
    (160 ms) as two identical one-pole stages; readings are the meter maximum, calibrated
    so that a CW reads its rms value.

    References
    ----------
    CISPR 16-1-1 Band B time constants; docs/references.md §4a, §8b-c.
    """
    tau_c, tau_d, tau_m = 1e-3, 160e-3, 160e-3
    dt = 1.0 / fs
    gain = 1.0 - tau_c / tau_d
    a_c, a_d = math.exp(-dt / tau_c), math.exp(-dt / tau_d)
    det = np.empty_like(env)
    v = 0.0
    for i, e in enumerate(env.tolist()):
        if e > v:
            v_inf = e * gain
            v = v_inf + (v - v_inf) * a_c
        else:
            v *= a_d
        det[i] = v
    a_m = math.exp(-dt / tau_m)

    def meter(u: Array) -> float:
        """Maximum of the critically damped meter driven by ``u``. [V]"""
        return float(np.max(lfilter([1 - a_m], [1, -a_m], lfilter([1 - a_m], [1, -a_m], u))))

    root2 = math.sqrt(2.0)
    return float(env.max()) / root2, meter(det) / gain / root2, meter(env) / root2


def make_burst() -> Burst:
    """The L1 recording at 1.39 MHz and the bursts' readings, from one model.

    Damped 1.39 MHz ringing (tau 15 µs) every ~100 ms (10 Hz, 3 ms jitter), amplitude
    calibrated so the peak reading is :data:`BURST_PEAK_DBUV`; nearby PFC/LLC harmonics and
    the noise floor at their L1 levels; IQ centred on the ringing frequency, volts at the
    receiver input (after the LISN), rounded to a 2**-30 V grid.
    """
    rng = _rng("burst")
    n = int(IQ_RATE_HZ * IQ_SECONDS)
    t = np.arange(n) / IQ_RATE_HZ
    train = np.zeros(n, dtype=np.complex128)
    starts = np.arange(0.04, IQ_SECONDS, 1.0 / BURST_PRF_HZ) + rng.normal(0, 3e-3, 18)
    for t0 in starts:
        k0 = int(round(t0 * IQ_RATE_HZ))
        seg = np.arange(n - k0) / IQ_RATE_HZ
        amp = 10.0 ** (rng.normal(0.0, 0.5) / 20.0) * np.exp(1j * rng.uniform(0, 2 * np.pi))
        train[k0:] += amp * np.exp(-seg / BURST_TAU_S) * (seg < 40 * BURST_TAU_S)
    env = _gauss_envelope(train, IQ_RATE_HZ, 0.0, 9e3)
    pk, qp, av = _cispr_b_readings(env[::4], IQ_RATE_HZ / 4)
    scale = 10.0 ** (BURST_PEAK_DBUV / 20.0) * 1e-6 / pk
    x = train * scale
    # neighbouring comb lines (reading levels on L1) and the noise floor: what the IF sees
    for f_line, level_dbuv, am in ((1.300e6, 36.9, True), (1.298e6, 29.5, False),
                                   (1.365e6, 36.4, True), (1.416e6, 27.0, False),
                                   (1.430e6, 35.8, True), (1.475e6, 24.0, False)):
        a = math.sqrt(2.0) * 10.0 ** (level_dbuv / 20.0) * 1e-6
        env_am = np.abs(np.sin(2 * np.pi * 60.0 * t)) if am else 1.0
        x += a * env_am * np.exp(1j * (2 * np.pi * (f_line - F_BURST_HZ) * t + rng.uniform(0, 6.3)))
    noise_rms_v = 10.0 ** (10.5 / 20.0) * 1e-6 * math.sqrt(IQ_RATE_HZ / 9.6e3)
    x += noise_rms_v / math.sqrt(2.0) * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    x = (np.round(x.real * 2**30) + 1j * np.round(x.imag * 2**30)) / 2**30
    # the prescan's view: one burst at a high rate, through the RBW at each detuning
    fs_hi = 16e6
    th = np.arange(int(2e-3 * fs_hi)) / fs_hi
    one = np.exp(-th / BURST_TAU_S).astype(np.complex128)
    spec, fk = np.fft.fft(one), np.fft.fftfreq(th.size, 1.0 / fs_hi)
    sigma = 9e3 / (2.0 * math.sqrt(2.0 * math.log(2.0)))
    d_grid = np.linspace(0.0, 3.0e6, 601)
    resp = np.array([np.abs(np.fft.ifft(spec * np.exp(-0.5 * ((fk - d) / sigma) ** 2))).max()
                     for d in d_grid])
    resp_db = 20.0 * np.log10(resp / resp[0]) + BURST_PEAK_DBUV

    def pk_at_offset(offset_hz: Array) -> Array:
        """Peak reading of the bursts at a detuning from 1.39 MHz. [Hz] -> [dBµV]"""
        return np.interp(np.abs(offset_hz), d_grid, resp_db, right=-300.0)

    return Burst(pk_at_offset, 20 * math.log10(pk / qp), 20 * math.log10(pk / av),
                 x.astype(np.complex64))


# --- the radiated emission model (field strength at 3 m) ----------------------------------


def radiated_sweep(pol: str, sweep: Sweep, rng: np.random.Generator, ferrite_db: float = 0.0) -> None:
    """Fill ``sweep`` with the rig's emissions and the site ambient, polarisation ``pol``.

    Hash-board 25 MHz clock comb, ASIC core-clock hump (each chip's PLL tuned between
    600 and 700 MHz, and its 2nd/3rd harmonics), control-board 100 MHz/DDR3 400 MHz and the
    125 MHz Gigabit Ethernet GMII clock (its 3rd harmonic, 375 MHz, rides on the vertical
    Ethernet cable), Ethernet PAM-5 and PSU common-mode noise below 100 MHz; ambient FM,
    land-mobile, ATSC TV, LTE and Wi-Fi leaking into the pre-compliance chamber.
    ``ferrite_db`` lowers the GMII harmonics on V (a clamp ferrite on the Ethernet cable).
    """
    model = _rng("radiated-model")  # shared by H and V: the same rig, same site
    v = pol == "V"
    comb = model.normal(0.0, 2.5, 240).clip(-4, 4)
    pol_diff = model.normal(0.0, 2.0, 240).clip(-3, 3)
    for n in range(2, 240):
        fc = n * 25e6
        pk = 34.0 - 18.0 * math.log10(max(fc, 150e6) / 150e6) + comb[n] + (pol_diff[n] if v else 0)
        sweep.line(fc, pk, pk - 0.1, pk - 0.3)
    gmii = {125: (36.0, 35.0), 250: (38.0, 41.0), 375: (43.0, 49.3), 500: (36.0, 39.0),
            625: (33.0, 36.0), 750: (32.0, 34.0), 875: (30.0, 31.0), 1000: (37.0, 38.0),
            1125: (36.0, 37.5), 1250: (38.0, 38.5), 1375: (33.0, 34.0), 1500: (31.0, 32.0)}
    for f_mhz, (h, vv) in gmii.items():
        pk = vv - ferrite_db if v else h
        sweep.line(f_mhz * 1e6, pk, pk - 0.1, pk - 0.3)
    for f_mhz, (h, vv) in {100: (31.0, 29.0), 200: (33.0, 31.0), 300: (30.0, 28.5),
                           400: (40.0, 38.0), 800: (38.0, 36.5), 1200: (40.0, 41.0),
                           1600: (35.0, 37.0), 2000: (33.0, 35.0)}.items():
        pk = vv if v else h
        sweep.line(f_mhz * 1e6, pk, pk - 0.1, pk - 0.3)
    f = sweep.freq_hz
    hump = np.full(f.size, -300.0)
    for k, (peak_h, peak_v) in ((1, (36.0, 34.0)), (2, (41.0, 43.0)), (3, (36.0, 38.0))):
        centre, width = 650e6 * k, 35e6 * k
        hump = _db_sum(hump, (peak_v if v else peak_h) - 6.0206 * ((f - centre) / width) ** 2)
    sweep.density(hump + rng.normal(0.0, 1.5, f.size), -2.0, -5.0)
    ether = (33.0 if v else 29.0) + 20.0 * np.log10(np.abs(np.sinc(f / 125e6)) + 1e-6)
    psu = (32.0 if v else 30.0) - 30.0 * np.log10(f / 30e6)
    sweep.density(_db_sum(ether, psu) + rng.normal(0.0, 1.0, f.size), -3.0, -8.0)
    amb = _rng("ambient")  # the site's ambient does not depend on the antenna's polarisation
    for fm_mhz in np.round(88.1 + 0.2 * np.sort(amb.choice(100, 14, replace=False)), 1):
        pk = amb.uniform(18.0, 36.0) - (4.0 if v else 0.0)
        sweep.line(fm_mhz * 1e6, pk, pk, pk - 0.5, width_hz=150e3)
    for lm_mhz in (152.48, 154.43, 462.55, 467.70):
        pk = amb.uniform(18.0, 26.0)
        sweep.line(lm_mhz * 1e6, pk, pk - 0.5, pk - 6.0)
    for lo, hi, pk, qpo, avo in ((186e6, 192e6, 22.0, -3.0, -9.0), (198e6, 204e6, 20.0, -3.0, -9.0),
                                  (548e6, 554e6, 25.0, -3.0, -9.0), (584e6, 590e6, 23.0, -3.0, -9.0),
                                  (617e6, 627e6, 26.0, -3.0, -9.0), (729e6, 739e6, 28.0, -3.0, -9.0),
                                  (869e6, 879e6, 27.0, -3.0, -9.0), (881e6, 891e6, 25.0, -3.0, -9.0),
                                  (1930e6, 1945e6, 38.0, -3.0, -9.0), (2110e6, 2130e6, 36.0, -3.0, -9.0),
                                  (2401e6, 2423e6, 44.0, -6.0, -15.0), (2426e6, 2448e6, 41.0, -6.0, -15.0),
                                  (5170e6, 5250e6, 38.0, -6.0, -15.0), (5735e6, 5815e6, 36.0, -6.0, -15.0)):
        sweep.block(lo, hi, pk - (1.5 if v else 0.0), qpo, avo, rng)
    for pilot, data in ((186.31e6, 22.0), (198.31e6, 20.0), (548.31e6, 25.0), (584.31e6, 23.0)):
        pk = data + 5.0 - (1.5 if v else 0.0)  # ATSC pilot: 5 dB over the data per 120 kHz
        sweep.line(pilot, pk, pk, pk - 0.3)


# --- the files ----------------------------------------------------------------------------


def build() -> dict[str, bytes]:
    """Every sample file, by path relative to ``sample_captures/``.

    Returns
    -------
    dict
        Relative POSIX path -> exact file bytes.
    """
    files: dict[str, bytes] = {}
    tables = transducers()
    for name, table in tables.items():
        files[f"transducers/{name}"] = table.to_bytes()
    lisn, cable = tables["lisn_factor.csv"], tables["cable_loss.csv"]
    bilog, horn = tables["antenna_factor_bilog_30M-1G.csv"], tables["antenna_factor_horn_1-6G.csv"]
    preamp = tables["preamp_gain_1-6G.csv"]

    def conducted_input(f: Array) -> Array:
        """EUT-port voltage -> receiver input: minus LISN factor and 0.2 dB coax. [dB]"""
        return -(lisn.at(f) + 0.2)

    def radiated_low(f: Array) -> Array:
        """Field strength [dBµV/m] -> analyser input [dBm], bilog + cable, 30 MHz-1 GHz."""
        return -(bilog.at(f) + cable.at(f)) - DBM_TO_DBUV

    def radiated_high(f: Array) -> Array:
        """As :func:`radiated_low` for 1-6 GHz: horn, cable, plus the preamplifier gain."""
        return -(horn.at(f) + cable.at(f)) + preamp.at(f) - DBM_TO_DBUV

    burst = make_burst()

    # conducted, L1: Keysight MXE swept prescans, peak then average, 9 kHz, max hold
    ks_c = np.linspace(150e3, 30e6, 6001)
    for det, name, ttype, tname in (("Peak", "peak", "Maxhold", "Trace1"),
                                    ("Average", "avg", "Maxhold", "Trace2")):
        rng = _rng(f"L1-{name}")
        sw = Sweep(ks_c, 9e3, True, conducted_input)
        conducted_sweep("L1", sw, burst, rng, caught=0.65)
        lev = sw.levels({"peak": "pk", "avg": "av"}[name])
        files[f"conducted/rig_L1_{name}_keysight.csv"] = keysight_csv(
            ks_c, lev, unit="dBuV", rbw_hz=9e3, vbw_hz=30e3, sweep_time_s=5.0, detector=det,
            trace_type=ttype, trace_name=tname)
    # conducted, N: R&S ESRP time-domain scan, PK + AV + QP, 1 s per step
    rs_c = rs_grid(150e3, 30e6, 4.5e3)
    sw = Sweep(rs_c, 9e3, False, conducted_input)
    conducted_sweep("N", sw, burst, _rng("N-receiver"))
    files["conducted/rig_N_receiver_rs.DAT"] = rs_ascii(
        rs_c, {1: ("MAX PEAK", sw.levels("pk")), 2: ("AVERAGE", sw.levels("av")),
               4: ("QUASI PEAK", sw.levels("qp"))},
        unit="dBµV", step_hz=4.5e3, rbw_hz=9e3, meas_time_s=1.0, att_db=10.0, preamp_db=0.0,
        date="12.Nov 25")
    meta, data = sigmf_pair(
        burst.iq, sample_rate_hz=IQ_RATE_HZ, center_hz=F_BURST_HZ,
        burst_samples=int(40 * BURST_TAU_S * IQ_RATE_HZ),
        description="Hashcore HC-3, L1 at 1.39 MHz: fan load-switch bursts")
    files["conducted/rig_L1_burst.sigmf-meta"] = meta
    files["conducted/rig_L1_burst.sigmf-data"] = data

    # radiated, horizontal: Keysight MXE peak max-hold sweeps, 30 MHz-1 GHz and 1-6 GHz
    f_lo, f_hi = np.linspace(30e6, 1e9, 10001), np.linspace(1e9, 6e9, 10001)
    sw = Sweep(f_lo, 120e3, True, radiated_low)
    rng = _rng("H-low")
    radiated_sweep("H", sw, rng)
    pk = -104.0 + 1.5 * (f_lo / 1e9)
    sw.noise({"pk": pk, "qp": pk - 4.5, "av": pk - 10.5}, rng)
    files["radiated/rig_3m_H_30M-1G_keysight.csv"] = keysight_csv(
        f_lo, sw.levels("pk"), unit="dBm", rbw_hz=120e3, vbw_hz=300e3, sweep_time_s=0.1,
        detector="Peak", trace_type="Maxhold", trace_name="Trace1", average_type="LogPower(Video)",
        preamp="On", attenuation_db=0, phase_noise="Fast")
    sw = Sweep(f_hi, 1e6, True, radiated_high)
    rng = _rng("H-high")
    radiated_sweep("H", sw, rng)
    pk = -68.0 - 0.85 * cable.at(f_hi) + 1.5 * (f_hi - 1e9) / 5e9
    sw.noise({"pk": pk, "qp": pk - 4.5, "av": pk - 10.5}, rng)
    files["radiated/rig_3m_H_1G-6G_keysight.csv"] = keysight_csv(
        f_hi, sw.levels("pk"), unit="dBm", rbw_hz=1e6, vbw_hz=3e6, sweep_time_s=0.05,
        detector="Peak", trace_type="Maxhold", trace_name="Trace1", average_type="LogPower(Video)",
        attenuation_db=0, phase_noise="Fast")

    # radiated, vertical: R&S ESRP receiver scans, PK + QP below 1 GHz, PK + AV above
    rs_lo, rs_hi = rs_grid(30e6, 1e9, 60e3), rs_grid(1e9, 6e9, 500e3)
    sw = Sweep(rs_lo, 120e3, False, radiated_low)
    rng = _rng("V-low")
    radiated_sweep("V", sw, rng)
    pk = -103.0 + 1.5 * (rs_lo / 1e9)
    sw.noise({"pk": pk, "qp": pk - 4.5, "av": pk - 10.5}, rng)
    files["radiated/rig_3m_V_30M-1G_rs.DAT"] = rs_ascii(
        rs_lo, {1: ("MAX PEAK", sw.levels("pk")), 2: ("QUASI PEAK", sw.levels("qp"))},
        unit="dBm", step_hz=60e3, rbw_hz=120e3, meas_time_s=1.0, att_db=0.0, preamp_db=20.0,
        date="12.Nov 25")
    sw = Sweep(rs_hi, 1e6, False, radiated_high)
    rng = _rng("V-high")
    radiated_sweep("V", sw, rng)
    pk = -67.5 - 0.85 * cable.at(rs_hi) + 1.5 * (rs_hi - 1e9) / 5e9
    sw.noise({"pk": pk, "qp": pk - 4.5, "av": pk - 10.5}, rng)
    files["radiated/rig_3m_V_1G-6G_rs.DAT"] = rs_ascii(
        rs_hi, {1: ("MAX PEAK", sw.levels("pk")), 2: ("AVERAGE", sw.levels("av"))},
        unit="dBm", step_hz=500e3, rbw_hz=1e6, meas_time_s=0.01, att_db=0.0, preamp_db=0.0,
        date="12.Nov 25")

    # conducted, L2 (the second line of the 240 V split-phase supply): R&S ESRP scan like N
    sw = Sweep(rs_c, 9e3, False, conducted_input)
    conducted_sweep("L2", sw, burst, _rng("L2-receiver"))
    files["conducted/rig_L2_receiver_rs.DAT"] = rs_ascii(
        rs_c, {1: ("MAX PEAK", sw.levels("pk")), 2: ("AVERAGE", sw.levels("av")),
               4: ("QUASI PEAK", sw.levels("qp"))},
        unit="dBµV", step_hz=4.5e3, rbw_hz=9e3, meas_time_s=1.0, att_db=10.0, preamp_db=0.0,
        date="12.Nov 25")
    files.update(second_rig(burst, conducted_input, radiated_low, radiated_high, cable))
    files.update(malformed(files))
    files.update(photos())
    return files


def second_rig(burst: Burst, conducted_input: Callable[[Array], Array],
               radiated_low: Callable[[Array], Array], radiated_high: Callable[[Array], Array],
               cable: Table) -> dict[str, bytes]:
    """The second rig, serial 0418 (``rig-0418/``): receiver scans of L1, H and V, with a
    clamp ferrite on its Ethernet cable (-8 dB on the V GMII harmonics). Its L2 scan was
    never taken: the dossier's INCOMPLETE example."""
    out: dict[str, bytes] = {}
    rs_c = rs_grid(150e3, 30e6, 9e3)  # one step per RBW: half the file of rig_L2
    sw = Sweep(rs_c, 9e3, False, conducted_input)
    conducted_sweep("L1", sw, burst, _rng("0418-L1-receiver"))
    out["rig-0418/conducted/rig-0418_L1_receiver_rs.DAT"] = rs_ascii(
        rs_c, {1: ("MAX PEAK", sw.levels("pk")), 2: ("AVERAGE", sw.levels("av")),
               4: ("QUASI PEAK", sw.levels("qp"))},
        unit="dBµV", step_hz=9e3, rbw_hz=9e3, meas_time_s=1.0, att_db=10.0, preamp_db=0.0,
        date="19.Nov 25")
    rs_lo, rs_hi = rs_grid(30e6, 1e9, 120e3), rs_grid(1e9, 6e9, 1e6)
    for pol in ("H", "V"):
        sw = Sweep(rs_lo, 120e3, False, radiated_low)
        rng = _rng(f"0418-{pol}-low")
        radiated_sweep(pol, sw, rng, ferrite_db=8.0)
        pk = -103.0 + 1.5 * (rs_lo / 1e9)
        sw.noise({"pk": pk, "qp": pk - 4.5, "av": pk - 10.5}, rng)
        out[f"rig-0418/radiated/rig-0418_3m_{pol}_30M-1G_rs.DAT"] = rs_ascii(
            rs_lo, {1: ("QUASI PEAK", sw.levels("qp"))},  # the final QP scan only (folder size)
            unit="dBm", step_hz=120e3, rbw_hz=120e3, meas_time_s=1.0, att_db=0.0, preamp_db=20.0,
            date="19.Nov 25")
        sw = Sweep(rs_hi, 1e6, False, radiated_high)
        rng = _rng(f"0418-{pol}-high")
        radiated_sweep(pol, sw, rng, ferrite_db=8.0)
        pk = -67.5 - 0.85 * cable.at(rs_hi) + 1.5 * (rs_hi - 1e9) / 5e9
        sw.noise({"pk": pk, "qp": pk - 4.5, "av": pk - 10.5}, rng)
        out[f"rig-0418/radiated/rig-0418_3m_{pol}_1G-6G_rs.DAT"] = rs_ascii(
            rs_hi, {1: ("MAX PEAK", sw.levels("pk")), 2: ("AVERAGE", sw.levels("av"))},
            unit="dBm", step_hz=1e6, rbw_hz=1e6, meas_time_s=0.01, att_db=0.0, preamp_db=0.0,
            date="19.Nov 25")
    return out


def malformed(good: dict[str, bytes]) -> dict[str, bytes]:
    """Broken files rfcheck must reject with one line and exit code 3."""
    rng = _rng("malformed")
    f = np.linspace(150e3, 1.15e6, 101)
    lev = _q(30.0 + rng.normal(0.0, 1.0, f.size))

    def short(freq_hz: Array, unit: str = "dBuV") -> bytes:
        """A 101-point Keysight prescan of ``lev`` on ``freq_hz`` [Hz]."""
        return keysight_csv(freq_hz, lev, unit=unit, rbw_hz=9e3, vbw_hz=30e3, sweep_time_s=0.024,
                            detector="Peak", trace_type="Maxhold", trace_name="Trace1")

    swapped = f.copy()
    swapped[[40, 41]] = swapped[[41, 40]]
    rs = good["conducted/rig_N_receiver_rs.DAT"]
    cut = rs.index(b"\r\n", len(rs) // 7) - 5  # mid-row in TRACE 1, fewer rows than Values;N;
    return {
        "malformed/empty.csv": b"",
        "malformed/truncated_rs.DAT": rs[:cut],
        "malformed/binary_junk.DAT": rng.integers(0, 256, 2048, dtype=np.uint8).tobytes(),
        "malformed/utf16_keysight.csv": b"\xff\xfe" + short(f).decode("ascii").encode("utf-16-le"),
        "malformed/nonmonotonic_keysight.csv": short(swapped),
        "malformed/unknown_unit_keysight.csv": short(f, unit="dBc"),
        "malformed/orphan.sigmf-meta": json.dumps(
            {"global": {"core:datatype": "cf32_le", "core:sample_rate": 200000.0,
                        "core:version": "1.2.0"},
             "captures": [{"core:sample_start": 0, "core:frequency": 1.39e6}],
             "annotations": []}, indent=4, sort_keys=True).encode() + b"\n",
    }


def _png(rgb: NDArray[np.uint8]) -> bytes:
    """A truecolour PNG of ``rgb`` (height x width x 3), written with zlib only: the bytes
    depend on nothing but the pixels (no encoder version, no timestamp)."""
    height, width, _ = rgb.shape

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(height))  # filter 0 per row
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def _box(img: NDArray[np.uint8], x0: int, y0: int, x1: int, y1: int, colour: tuple[int, int, int]) -> None:
    img[y0:y1, x0:x1] = colour


def photos() -> dict[str, bytes]:
    """Small schematic "photos" of the test set-ups and the label (2.938(b)(7) practice):
    drawn, not photographed, so the sample stays small and fictional. [px: 240 x 150]"""
    w, h = 240, 150
    floor, wall = (120, 120, 125), (214, 218, 224)
    eut, table, cable = (40, 44, 52), (150, 110, 70), (20, 20, 20)

    def room() -> NDArray[np.uint8]:
        img = np.empty((h, w, 3), np.uint8)
        img[:] = wall
        _box(img, 0, 118, w, h, floor)
        for x in range(0, w, 16):  # absorber cones along the wall
            _box(img, x + 4, 0, x + 12, 10, (60, 70, 90))
        return img

    conducted = room()
    _box(conducted, 40, 78, 150, 84, table)          # 0.8 m table
    _box(conducted, 70, 50, 120, 78, eut)             # EUT
    _box(conducted, 170, 100, 200, 118, (90, 90, 160))  # LISN on the ground plane
    _box(conducted, 120, 70, 172, 72, cable)          # mains cord to the LISN
    _box(conducted, 168, 70, 172, 100, cable)
    radiated = room()
    _box(radiated, 30, 80, 90, 86, table)
    _box(radiated, 40, 56, 80, 80, eut)
    _box(radiated, 196, 30, 200, 118, (200, 200, 200))  # antenna mast, 3 m away
    _box(radiated, 184, 40, 212, 46, (230, 150, 30))    # bilog elements
    label = np.empty((90, 200, 3), np.uint8)
    label[:] = (245, 245, 240)
    for row in range(12, 80, 12):  # lines of label text, drawn as bars
        _box(label, 12, row, 12 + (150 if row % 24 else 176), row + 5, (30, 30, 30))
    return {"photos/conducted_setup.png": _png(conducted),
            "photos/radiated_setup.png": _png(radiated),
            "photos/label.png": _png(label)}


def write(out: Path) -> list[Path]:
    """Write every sample file under ``out``; return the paths written."""
    written = []
    for rel, content in build().items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python sample_captures/generate.py [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="output folder (default: the sample_captures folder itself)")
    args = parser.parse_args(argv)
    paths = write(args.out)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} files, {total / 1e6:.2f} MB, under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
