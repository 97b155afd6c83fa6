"""How candidate changes to the QP model move every CISPR 16-1-1 pulse-table row.

docs/receiver.md ("Band C/D at 1 Hz: candidate corrections checked") quotes this script. Each
candidate is the receiver's model (conduction-angle charge law in Bands B-D, linear in Band A;
critically damped meter; Gaussian IF) with one thing changed. The detector runs on the numpy
reference path (:class:`rfcheck.receiver.detectors.QuasiPeakDetector`, ``backend="numpy"``)
driven with the IF envelope of the band's reference impulse; its output is recorded and read
through the meter of the candidate (:func:`scipy.signal.lfilter`). Settled records: 3 s
(PRF >= 100 Hz), 5 s (20, 10 Hz), 6 s (below), first pulse 20 ms in. The figure of a row is
the reading at the reference PRF minus the row's (docs/references.md §4c); ``spare`` is
``tolerance - |figure - nominal|``.

Usage::

    python benchmarks/qp_model_candidates.py [--band CD] [--candidate model ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy import signal

from rfcheck.receiver import BANDS
from rfcheck.receiver.detectors import QuasiPeakDetector, solve_qp_constants
from rfcheck.receiver.meter import Meter
from rfcheck.units import volts_to_dbuv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qp_pulse_table import AREA_VS, ROWS  # the table and its reference pulses

SIGMA_T_PER_B6 = 2.0 * math.sqrt(2.0 * math.log(2.0)) / (2.0 * math.pi)  # σ_t·B6, Gaussian
Kernel = Callable[[NDArray[np.float64]], NDArray[np.float64]]


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One change to the receiver's QP model (the defaults are the model itself)."""

    law: str | None = None  # None: the band's law ("linear" in Band A, "diode" otherwise)
    crest_63: bool = False  # τ_r from 63 % of the sine's crest, not of the final value
    meter: str = "critical"  # "critical", "first-order" or "none"
    meter_scale: float = 1.0  # the meter's time constant, in units of τ_M
    reading: str = "max"  # "max" of the meter, or "mean" over the last second
    filt: str = "gauss"  # "gauss", "syncN" (N tuned circuits), "buttN" (maximally flat)
    rate_b6: float = 4.0  # envelope sample rate [B6]
    scale: tuple[tuple[str, float], ...] = ()  # BandSpec fields scaled, e.g. ("tau_meter_s", 0.8)


CANDIDATES = {
    "model": Candidate(),
    "linear-law": Candidate(law="linear"),
    "tau-r-63pc-of-crest": Candidate(crest_63=True),
    "meter-T0": Candidate(meter_scale=1.0 / (2.0 * math.pi)),
    "meter-first-order": Candidate(meter="first-order"),
    "no-meter": Candidate(meter="none"),
    "meter-mean": Candidate(reading="mean"),
    **{f"if-{f}": Candidate(filt=f, rate_b6=8.0) for f in ("sync2", "sync4", "butt2", "butt4")},
    **{
        f"{name}x{k:g}": Candidate(scale=((field, k),))
        for name, field in (("B6", "rbw_hz"), ("tauC", "tau_charge_s"))
        for k in (0.9, 1.1)
    },
    **{
        f"{name}x{k:g}": Candidate(scale=((field, k),))
        for name, field in (("tauD", "tau_discharge_s"), ("tauM", "tau_meter_s"))
        for k in (0.8, 1.2)
    },
}


def if_kernel(filt: str, b6_hz: float) -> tuple[Kernel, float, float]:
    """IF impulse response ``h(t)`` (low-pass equivalent, ``H(0) = 1``, ``|H(B6/2)| = 0.5``).

    Returns the function and its support ``(t_lo, t_hi)`` [s].
    """
    if filt == "gauss":
        s = SIGMA_T_PER_B6 / b6_hz
        b_imp = math.sqrt(math.pi / (4.0 * math.log(2.0))) * b6_hz
        return (lambda t: b_imp * np.exp(-0.5 * (t / s) ** 2)), -6.0 * s, 6.0 * s
    kind, n = filt[:4], int(filt[4:])
    if kind == "sync":  # n identical single-tuned circuits: (1 + j f/f_c)^-n
        w = 2.0 * math.pi * (b6_hz / 2.0) / math.sqrt(2.0 ** (2.0 / n) - 1.0)

        def h(t: NDArray[np.float64]) -> NDArray[np.float64]:
            tp = np.maximum(t, 0.0)
            return np.asarray(w**n * tp ** (n - 1) * np.exp(-w * tp) / math.factorial(n - 1))

        return h, 0.0, (n + 25.0) / w
    w = 2.0 * math.pi * (b6_hz / 2.0) / 3.0 ** (1.0 / (2.0 * n))  # Butterworth, -6 dB at B6/2
    b, a = signal.butter(n, w, analog=True)
    tt = np.linspace(0.0, 40.0 * n / w, 200_001)
    _, hh = signal.impulse((b, a), T=tt)
    return (lambda t: np.interp(t, tt, hh, left=0.0, right=0.0)), 0.0, float(tt[-1])


def envelope(
    band: str, b6_hz: float, prf: float | None, length_s: float, c: Candidate
) -> NDArray[np.float64]:
    """IF envelope [V peak] of the reference impulse train (pulses add as phasors)."""
    rate = c.rate_b6 * b6_hz
    h, lo, hi = if_kernel(c.filt, b6_hz)
    n = int(round(length_s * rate))
    acc = np.zeros(n)
    t0 = 0.02 + 0.123e-6
    pulses = np.array([t0]) if prf is None else np.arange(t0 % (1.0 / prf), length_s, 1.0 / prf)
    w = np.arange(int(math.floor(lo * rate)) - 1, int(math.ceil(hi * rate)) + 2)
    for tp in pulses:
        idx = int(math.floor(tp * rate)) + w
        idx = idx[(idx >= 0) & (idx < n)]
        acc[idx] += h(idx / rate - tp)
    return np.asarray(2.0 * AREA_VS[band] * np.abs(acc))


class _Recorder(Meter):
    """A meter that keeps its input (the QP detector output) instead of filtering it."""

    def __init__(self, rate_hz: float) -> None:
        super().__init__(1, 1.0, rate_hz, "numpy")
        self.parts: list[NDArray[np.float64]] = []

    def push(self, u: NDArray[np.floating]) -> None:
        self.parts.append(np.asarray(u[0], dtype=np.float64))


def _tau_c_for_crest_63(tau_c: float, tau_d: float) -> float:
    """τ_C' whose 63 %-of-final-value τ_r equals the 63 %-of-crest τ_r of ``tau_c``."""
    x_end = 1.0 - math.exp(-1.0)  # target: v(τ_C) = 0.632 e instead of 0.632 x∞ e
    lo, hi = 0.5 * tau_c, tau_c
    tr_target_lo, tr_target_hi = 1e-3 * tau_c, tau_c
    for _ in range(40):  # τ_r meeting the crest target
        tr = math.sqrt(tr_target_lo * tr_target_hi)
        if _rise(tr, tau_c, tau_d) > x_end:
            tr_target_lo = tr
        else:
            tr_target_hi = tr
    for _ in range(30):  # τ_C' whose definition yields that τ_r
        mid = 0.5 * (lo + hi)
        if solve_qp_constants(mid, tau_d)[0] < tr:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _rise(tau_r: float, t: float, tau_d: float) -> float:
    """Detector level [1 = the crest] ``t`` after a constant sine is applied (diode law)."""
    y, n = 0.0, 2000
    dt = t / n
    for _ in range(n):
        th = math.acos(min(y, 1.0))
        y += dt * ((math.sin(th) - th * y) / math.pi / tau_r - y / tau_d)
    return y


def reading_dbuv(band: str, prf: float | None, c: Candidate) -> float:
    """QP reading [dBµV] of the candidate model for one settled row."""
    spec = dataclasses.replace(BANDS[band], **{f: getattr(BANDS[band], f) * k for f, k in c.scale})
    length = 6.0 if prf is None or prf <= 2 else (5.0 if prf <= 20 else 3.0)
    rate = c.rate_b6 * spec.rbw_hz
    env = envelope(band, spec.rbw_hz, prf, length, c)
    law = c.law or ("linear" if band == "A" else "diode")
    tau_c = (
        _tau_c_for_crest_63(spec.tau_charge_s, spec.tau_discharge_s)
        if c.crest_63
        else spec.tau_charge_s
    )
    det = QuasiPeakDetector(1, rate, tau_c, spec.tau_discharge_s, spec.tau_meter_s, law, "numpy")
    rec = _Recorder(rate)
    det.meter = rec
    for i in range(0, env.shape[0], 1 << 20):
        det.push(env[None, i : i + (1 << 20)])
    v = np.concatenate(rec.parts)
    tau_m = spec.tau_meter_s * c.meter_scale
    g = max(1, int(rate * tau_m / 400.0))
    m = v[: (v.shape[0] // g) * g].reshape(-1, g).mean(axis=1)
    a = math.exp(-g / (rate * tau_m))
    if c.meter == "critical":
        y = signal.lfilter([(1.0 - a) ** 2], [1.0, -2.0 * a, a * a], m)
    elif c.meter == "first-order":
        y = signal.lfilter([1.0 - a], [1.0, -a], m)
    else:
        y = m
    last_s = int(round(rate / g))
    value = float(y.max()) if c.reading == "max" else float(np.mean(y[-last_s:]))
    return float(volts_to_dbuv(max(value, 1e-30) / det.x_inf / math.sqrt(2.0)))


def main() -> None:
    """Print, per band and candidate, each row's figure and spare and the least spare."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--band", action="append", choices=sorted(ROWS))
    p.add_argument("--candidate", action="append", choices=sorted(CANDIDATES))
    args = p.parse_args()
    for band in args.band or ["CD", "B", "A"]:
        for name in args.candidate or list(CANDIDATES):
            if band == "A" and name in ("linear-law", "tau-r-63pc-of-crest"):
                continue  # Band A's model is the linear law; the crest variant is the diode's
            c = CANDIDATES[name]
            ref = reading_dbuv(band, BANDS[band].ref_prf_hz, c)
            cells, least = [], math.inf
            for prf, nominal, tol in ROWS[band]:
                fig = ref - reading_dbuv(band, prf, c)
                spare = tol - abs(fig - nominal)
                least = min(least, spare)
                cells.append(f"{prf or 'iso'}: {fig:+.2f} ({spare:+.2f})")
            print(
                f"{band:2s} {name:20s} ref {ref:6.2f} | "
                + "  ".join(cells)
                + f" | least {least:+.2f}"
            )


if __name__ == "__main__":
    main()
