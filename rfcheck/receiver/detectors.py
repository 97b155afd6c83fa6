"""CISPR 16-1-1 weighting detectors working on the IF envelope, state carried across blocks.

All detectors take the IF envelope ``e`` (peak volts of the IF sine, shape
``(n_channels, n_samples)`` at the envelope rate) block by block and keep only O(n_channels)
state, so any record length runs in bounded memory. Each returns its reading in rms volts
(calibrated so an unmodulated sine reads its rms value, docs/references.md §7 / §8b).

QP detector model
-----------------
The CISPR QP detector is a rectifier with charge resistance ``R_c`` working on the IF *sine*
into ``C ‖ R_d``; τ_C is *defined* with a constant sine applied (63 % rise) and τ_D as the
37 % fall after removal (CISPR 16-1-1 §3.4-3.5). A diode driven by a sine of crest ``e``
conducts only over the conduction angle ``±θ``, ``cos θ = v/e``, so the cycle-averaged
charging current is ``e·(sin θ - θ cos θ)/(π R_c)``, not ``(e - v)/R_c``:

    dv/dt = e·g(v/e)/τ_r - v/τ_D,    g(x) = (sin θ - θ x)/π,  θ = arccos x   (v < e)
    dv/dt = -v/τ_D                                                              (v ≥ e)

``τ_r = R_c C`` is solved so that the constant-sine rise reaches 63 % of its final value at
τ_C (Band B: τ_r = 0.254 ms, not ≈ τ_C) and ``τ_D = R_d C``. This charge law is softer near
``v → e``, so at the reference PRF (``v ≈ 0.5 e_peak``) a pulse charges the capacitor less
than the linear law predicts, while isolated pulses (``v ≪ e``) are nearly unaffected. That
flattens the PRF curve by 1-3 dB at low PRF: the linear-law model of docs/references.md §8d misses
Band B 1 Hz by 0.9 dB and Band C/D 1 Hz by 1.8 dB; the conduction-angle law puts every
Band B and C/D row inside tolerance and, without any fitted constant, gives the reference
pulse a QP reading of 60.0 dBµV (Band B). This is the classic half-wave peak-rectifier
analysis (e.g. Terman, *Radio Engineers' Handbook*, diode detector with RC load;
F. Krug, P. Russer, IEEE Trans. EMC 47(2) 2005 model the detector circuit, not an ideal
envelope integrator).

The meter is the critically damped second-order system
``τ_M² m'' + 2 τ_M m' + m = v`` (CISPR 16-1-1 §3.6); reading = max of ``m`` over the record
divided by the CW detector gain ``x∞`` (steady ``v/e`` under a constant sine).

Backends
--------
``backend="numba"`` (default when numba is importable) runs the per-sample QP recursion, the
meter and the peak tracker as compiled per-channel loops (:mod:`rfcheck.receiver._kernels`)
on a float32 envelope; ``backend="numpy"`` is the reference: the QP recursion vectorised
across channels in Python with exact shortcuts (free discharge, constant envelope), the meter
through :func:`scipy.signal.lfilter`. Both read the same to well within 0.01 dB.
:func:`rfcheck.receiver.bank.push_all` advances a whole bank: with numba, peak + quasi-peak +
CISPR-average run as one fused kernel that reads the envelope once (bit-identical to the
three separate kernels). The RMS-average integrator and its meter are one compiled kernel
too.

References
----------
CISPR 16-1-1, clauses 3.4-3.6 (τ_C, τ_D, τ_M definitions), Table 1 (values, [S] per
docs/references.md §4a); docs/references.md §8b-§8d; R&S FPL1000 manual (CISPR-average: maximum of
the 2nd-order-meter-weighted linear average; RMS-average: RMS below / average above f_c).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import NDArray

from . import _kernels as _k
from ._kernels import as_float32 as _f32
from ._kernels import use_compiled as _backend
from .meter import Meter, _lfilter

__all__ = [
    "qp_diode_constants",
    "solve_qp_constants",
    "PeakDetector",
    "QuasiPeakDetector",
    "CisprAverageDetector",
    "RmsAverageDetector",
]

_GRID = 4096
_CHUNK = 64


def _g(x: NDArray[np.float64], law: str = "diode") -> NDArray[np.float64]:
    """Charge function: ``(sin θ - θ x)/π``, ``θ = arccos x`` (diode), or ``1 - x`` (linear)."""
    if law == "linear":
        return np.maximum(1.0 - np.asarray(x, dtype=float), 0.0)
    xc = np.clip(x, -1.0, 1.0)
    th = np.arccos(xc)
    return np.asarray((np.sin(th) - th * xc) / math.pi)


def _rk4(
    x: float | NDArray[np.float64], t: float, tau_r: float, tau_d: float, n: int, law: str = "diode"
) -> NDArray[np.float64]:
    dt = t / n

    def f(y: NDArray[np.float64]) -> NDArray[np.float64]:
        return _g(y, law) / tau_r - y / tau_d

    y = np.asarray(x, dtype=float).copy()
    for _ in range(n):
        k1 = f(y)
        k2 = f(y + 0.5 * dt * k1)
        k3 = f(y + 0.5 * dt * k2)
        k4 = f(y + dt * k3)
        y = y + dt * (k1 + 2 * k2 + 2 * k3 + k4) / 6.0
    return y


def _x_inf(tau_r: float, tau_d: float, law: str = "diode") -> float:
    lo, hi = 0.0, 1.0
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if float(_g(np.array(mid), law)) / tau_r - mid / tau_d > 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


#: :func:`qp_diode_constants` of the CISPR bands' (τ_C, τ_D, law), computed once by the
#: bisection below (0.1-0.3 s each in pure Python) and pinned by
#: ``tests/receiver/test_receiver_speed_consistency.py``, which recomputes them.
_QP_CONSTANTS: dict[tuple[float, float, str], tuple[float, float]] = {
    (0.045, 0.5, "linear"): (0.044999999999811524, 0.9174311926608678),
    (0.001, 0.16, "diode"): (0.00025400155720726016, 0.9702747102656635),
    (0.001, 0.55, "diode"): (0.00024572236093160874, 0.9870802818555995),
}


def qp_diode_constants(tau_c: float, tau_d: float, law: str = "diode") -> tuple[float, float]:
    """Rectifier time constant ``τ_r = R_c C`` and CW gain ``x∞`` meeting the CISPR τ_C.

    Looked up for the CISPR bands' constants, computed by :func:`solve_qp_constants`
    otherwise; see there.
    """
    known = _QP_CONSTANTS.get((float(tau_c), float(tau_d), law))
    return known if known is not None else solve_qp_constants(tau_c, tau_d, law)


@functools.lru_cache(maxsize=32)
def solve_qp_constants(tau_c: float, tau_d: float, law: str = "diode") -> tuple[float, float]:
    """Rectifier time constant ``τ_r = R_c C`` and CW gain ``x∞`` meeting the CISPR τ_C.

    Parameters
    ----------
    tau_c, tau_d : float
        CISPR charge / discharge time constants. [s]
    law : {"diode", "linear"}
        Charge law (see module docstring); ``"linear"`` reproduces docs/references.md §8b
        (``1/τ_r = 1/τ_C - 1/τ_D``, ``x∞ = 1 - τ_C/τ_D``).

    Returns
    -------
    (float, float)
        ``τ_r`` [s] such that a constant sine applied at ``t = 0`` brings the detector to
        63.2 % (1 - 1/e) of its final value at ``t = τ_C``; and ``x∞ = v∞/e`` [1].

    References
    ----------
    CISPR 16-1-1 §3.4 (definition of the charge time constant) [S: RFAUTO].
    """
    lo, hi = 1e-4 * tau_c, tau_c
    for _ in range(40):
        tr = math.sqrt(lo * hi)
        x_end = float(_rk4(0.0, tau_c, tr, tau_d, 200, law))
        if x_end > (1 - math.exp(-1)) * _x_inf(tr, tau_d, law):
            lo = tr
        else:
            hi = tr
    tr = math.sqrt(lo * hi)
    return tr, _x_inf(tr, tau_d, law)


class PeakDetector:
    """Maximum of the IF envelope over the record (peak detector), rms-calibrated.

    The largest sample that has both neighbours (first one on ties) is kept with its
    neighbours and refined at :meth:`reading` by a parabola through the log-envelope at the
    three samples (exact for the Gaussian IF pulse response), so pulses read their true crest
    although the envelope is sampled at only ~3.5 · B6. The choice does not depend on how the
    record is split into blocks.

    Parameters
    ----------
    n_channels : int
    backend : {"numba", "numpy"}, optional
        See module docstring; default numba when importable.
    """

    def __init__(self, n_channels: int, backend: str | None = None) -> None:
        self._fast = _backend(backend)
        self._best = np.zeros((n_channels, 3))
        self._hist = np.zeros((n_channels, 2))
        self._seen = 0

    def push(self, e: NDArray[np.floating]) -> None:
        """Advance over ``e`` (IF envelope, peak volts, (n_channels, n))."""
        n = e.shape[1]
        if self._fast:
            e32 = _f32(e)
            seen = self._seen

            def run(lo: int, hi: int) -> None:
                _k.peak_track(e32[lo:hi], self._hist[lo:hi], self._best[lo:hi], seen)

            _k.split_rows(e32.shape[0], run)
        else:
            h = min(self._seen, 2)
            a = np.concatenate([self._hist[:, 2 - h :], e], axis=1)
            if a.shape[1] >= 3:
                i = np.argmax(a[:, 1:-1], axis=1)
                rows = np.arange(a.shape[0])
                cand = np.stack([a[rows, i], a[rows, i + 1], a[rows, i + 2]], axis=1)
                better = cand[:, 1] > self._best[:, 1]
                self._best[better] = cand[better]
            tail = a[:, -2:]
            self._hist[:, 2 - tail.shape[1] :] = tail
        self._seen += n

    def reading(self) -> NDArray[np.float64]:
        """Return the peak reading.

        Returns
        -------
        ndarray, shape (n_channels,)
            Peak reading per channel. [V rms]
        """
        yl, y0, yr = self._best[:, 0], self._best[:, 1], self._best[:, 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            la, lb, lc = np.log(yl), np.log(y0), np.log(yr)
            den = la - 2 * lb + lc
            d = np.where(den < 0, 0.5 * (la - lc) / den, 0.0)
            d = np.clip(np.nan_to_num(d), -0.5, 0.5)
            pk = np.exp(lb - 0.25 * (la - lc) * d)
        m = np.where(np.isfinite(pk) & (y0 > 0), np.maximum(pk, y0), y0)
        m = np.maximum(m, self._hist[:, 2 - min(self._seen, 2) :].max(axis=1, initial=0.0))
        return np.asarray(m / math.sqrt(2.0))


class QuasiPeakDetector:
    """CISPR quasi-peak detector (conduction-angle rectifier law) plus meter.

    Parameters
    ----------
    n_channels : int
    rate_hz : float
        Envelope sample rate. [Hz]
    tau_c, tau_d, tau_m : float
        CISPR charge, discharge and meter time constants. [s]
    law : {"diode", "linear"}
        Charge law; Bands B-D use ``"diode"``, Band A ``"linear"`` (see
        :mod:`rfcheck.receiver.scan`).
    backend : {"numba", "numpy"}, optional
        See module docstring; default numba when importable.
    """

    def __init__(
        self,
        n_channels: int,
        rate_hz: float,
        tau_c: float,
        tau_d: float,
        tau_m: float,
        law: str = "diode",
        backend: str | None = None,
    ) -> None:
        self._fast = _backend(backend)
        h = 1.0 / rate_hz
        self.law = law
        self.tau_r, self.x_inf = qp_diode_constants(tau_c, tau_d, law)
        xs = np.linspace(0.0, 1.0, _GRID + 1)
        nsub = max(4, int(math.ceil(8 * h / self.tau_r)))
        self._phi = np.append(_rk4(xs, h, self.tau_r, tau_d, nsub, law), 0.0)
        self._decay = math.exp(-h / tau_d)
        self._decay_pows = self._decay ** np.arange(_CHUNK + 1)
        self._phi_pows_cache: NDArray[np.float64] | None = None
        self._v = np.zeros(n_channels)
        self.meter = Meter(n_channels, tau_m, rate_hz, backend)

    @property
    def _phi_pows(self) -> NDArray[np.float64]:
        """The q-step flow maps, q = 1.._CHUNK (numpy path only; built on first use)."""
        if self._phi_pows_cache is None:
            xs = np.linspace(0.0, 1.0, _GRID + 1)
            pows = [self._phi]
            for _ in range(_CHUNK - 1):
                nxt = np.interp(pows[-1][:-1], xs, self._phi[:-1])
                pows.append(np.append(nxt, 0.0))
            self._phi_pows_cache = np.array(pows)
        return self._phi_pows_cache

    def _lookup(
        self, phi: NDArray[np.float64], v: NDArray[np.float64], ei: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        x = v / (ei + 1e-300)
        np.minimum(x, 1.0, out=x)
        x *= float(_GRID)
        k = x.astype(np.intp)
        x -= k
        lo = phi[k]
        return np.asarray((lo + x * (phi[k + 1] - lo)) * ei)

    def push(self, e: NDArray[np.floating]) -> None:
        """Advance the detector over ``e`` (IF envelope, peak volts, (n_channels, n))."""
        if self._fast:
            mt = self.meter
            e32 = _f32(e)
            coef = mt.coefficients()

            def run(lo: int, hi: int) -> None:
                _k.qp_meter(
                    _k.as_lanes(e32[lo:hi]),
                    self._v[lo:hi],
                    self._phi,
                    _GRID,
                    self._decay,
                    *mt.state(lo, hi),
                    *coef,
                )

            _k.split_rows(e32.shape[0], run)
            mt.advance(e32.shape[1])
            return
        self._push_numpy(np.asarray(e, dtype=np.float64))

    def _push_numpy(self, e: NDArray[np.float64]) -> None:
        n_ch, n = e.shape
        out = np.empty((n_ch, n))
        v = self._v
        phi = self._phi
        dec = self._decay
        ln = _CHUNK
        pw = self._decay_pows
        i = 0
        while i < n:
            j = min(n, i + ln)
            blk = e[:, i:j]
            m = j - i
            free = v[:, None] * pw[None, 1 : m + 1]
            if not np.any(blk > free):
                # no channel charges in this chunk: exact free discharge
                out[:, i:j] = free
                v = free[:, -1].copy()
                i = j
                continue
            e0 = blk.mean(axis=1)
            if m == ln and np.all(v <= e0) and np.all(np.ptp(blk, axis=1) <= 1e-6 * (e0 + 1e-300)):
                # constant envelope (CW): the q-step flow maps, q = 1..chunk, at once
                x = v / (e0 + 1e-300) * float(_GRID)
                k = x.astype(np.intp)
                x -= k
                lo = self._phi_pows[:, k]
                traj = (lo + x[None, :] * (self._phi_pows[:, k + 1] - lo)) * e0[None, :]
                out[:, i:j] = traj.T
                v = traj[-1].copy()
                i = j
                continue
            ei = e[:, i]
            v = np.maximum(self._lookup(phi, v, ei), v * dec)
            out[:, i] = v
            i += 1
        self._v = v
        self.meter.push(out)

    def reading(self) -> NDArray[np.float64]:
        """Return the quasi-peak reading.

        Returns
        -------
        ndarray, shape (n_channels,)
            QP reading per channel. [V rms]
        """
        return self.meter.reading() / self.x_inf / math.sqrt(2.0)

    def to_come(self) -> NDArray[np.float64]:
        """Return the reading still to come were the input to stop at the record's end.

        The charge then decays freely (τ_D) into the meter (:meth:`Meter.to_come`); same
        unit as :meth:`reading`. [V rms]
        """
        decay = self._decay**self.meter.group
        return self.meter.to_come(self._v, decay) / self.x_inf / math.sqrt(2.0)


class CisprAverageDetector:
    """CISPR-average: the meter driven by the linear envelope; reading = its maximum.

    References
    ----------
    CISPR 16-1-1 (CISPR-average detector, meter τ_M 160/160/100/100 ms, [S] docs/references.md §4e).
    """

    def __init__(
        self, n_channels: int, rate_hz: float, tau_m: float, backend: str | None = None
    ) -> None:
        self.meter = Meter(n_channels, tau_m, rate_hz, backend)

    def push(self, e: NDArray[np.floating]) -> None:
        """Advance the detector over ``e`` (IF envelope, peak volts, (n_channels, n))."""
        self.meter.push(e)

    def reading(self) -> NDArray[np.float64]:
        """Return the CISPR-average reading.

        Returns
        -------
        ndarray, shape (n_channels,)
            CISPR-average reading per channel. [V rms]
        """
        return self.meter.reading() / math.sqrt(2.0)

    def to_come(self) -> NDArray[np.float64]:
        """Return the reading still to come were the input to stop at the record's end [V rms]."""
        return self.meter.to_come(None, 0.0) / math.sqrt(2.0)


class RmsAverageDetector:
    """CISPR RMS-average: an rms integrator of time constant ``T = 1/(4 f_c)`` then the meter.

    For a pulse train of PRF ``f`` and pulse energy ``E`` the integrator output is
    ``√(E f)`` when ``f ≫ 1/T`` (10 dB/decade) and each pulse is seen alone when
    ``f ≪ 1/T``, the meter then averaging ``√(E/T) e^{-t/2T}`` to ``2 f √(E T)``
    (20 dB/decade). The asymptotes meet at ``f = 1/(4T)``, so ``T = 1/(4 f_c)`` [D].

    References
    ----------
    CISPR 16-1-1 (RMS-average detector; corner f_c 10 Hz / 100 Hz / 100 Hz / 1 kHz [S],
    docs/references.md §4e); the integrator form is derived here [D].
    """

    def __init__(
        self,
        n_channels: int,
        rate_hz: float,
        tau_m: float,
        corner_hz: float,
        backend: str | None = None,
    ) -> None:
        t_rms = 1.0 / (4.0 * corner_hz)
        self.t_rms_s = t_rms
        a = math.exp(-1.0 / (rate_hz * t_rms))
        self._b = np.array([1.0 - a])
        self._a = np.array([1.0, -a])
        self._zi = np.zeros((n_channels, 1))
        self.meter = Meter(n_channels, tau_m, rate_hz, backend)
        self._fast = self.meter._fast
        self._s = np.zeros(n_channels)  # integrator output (compiled path) [V²]

    def push(self, e: NDArray[np.floating]) -> None:
        """Advance over ``e`` (IF envelope, peak volts, (n_channels, n))."""
        if self._fast:
            mt = self.meter
            e32 = _f32(e)
            coef, a = mt.coefficients(), float(-self._a[1])

            def run(lo: int, hi: int) -> None:
                _k.rms_meter(e32[lo:hi], self._s[lo:hi], a, *mt.state(lo, hi), *coef)

            _k.split_rows(e32.shape[0], run)
            mt.advance(e32.shape[1])
            return
        e = np.asarray(e, dtype=np.float64)
        s, self._zi = _lfilter(self._b, self._a, e * e, self._zi)
        self.meter.push(np.sqrt(np.maximum(s, 0.0)))

    def reading(self) -> NDArray[np.float64]:
        """Return the RMS-average reading.

        Returns
        -------
        ndarray, shape (n_channels,)
            RMS-average reading per channel. [V rms]
        """
        return self.meter.reading() / math.sqrt(2.0)

    def to_come(self) -> NDArray[np.float64]:
        """Return the reading still to come were the input to stop at the record's end.

        The integrator's mean square then decays (time constant ``T``) into the meter. [V rms]
        """
        a = float(-self._a[1])
        s = self._s if self._fast else self._zi[:, 0] / a  # DF2T state: a times the output
        drive = np.sqrt(np.maximum(s, 0.0))
        return self.meter.to_come(drive, math.sqrt(a) ** self.meter.group) / math.sqrt(2.0)
