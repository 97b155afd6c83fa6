"""The CISPR 16-1-1 meter: a critically damped second-order response tracking its maximum.

Every weighting detector ends in the same meter ``τ_M² m'' + 2 τ_M m' + m = u`` (CISPR
16-1-1 §3.6); the QP and average detectors of :mod:`rfcheck.receiver.detectors` drive it
with their output and read its maximum over the record. The meter runs at a decimated rate
(a group mean first, :class:`Meter`); with numba the group mean and the filter are one
compiled loop (:func:`rfcheck.receiver._kernels.meter`), otherwise
:func:`scipy.signal.lfilter` is the reference.

References
----------
CISPR 16-1-1 §3.6 (meter equation); docs/references.md §8b-§8c.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from . import _kernels as _k
from ._kernels import as_float32 as _f32
from ._kernels import use_compiled as _backend

__all__ = ["Meter", "TO_COME_TAUS"]

#: How far :meth:`Meter.to_come` runs the meter on past the record. [τ_M] A critically
#: damped meter driven by a decaying input peaks within about 2 τ_M of the input's fall.
TO_COME_TAUS = 5


def _lfilter(
    b: NDArray[np.float64], a: NDArray[np.float64], x: NDArray[np.float64], zi: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`scipy.signal.lfilter` along axis 1, imported on first use.

    ``scipy.signal`` takes ~0.7 s to import; only the numpy reference path needs it, so a
    compiled run never loads it.
    """
    from scipy.signal import lfilter

    y, zf = lfilter(b, a, x, axis=1, zi=zi)
    return y, zf


class Meter:
    """Critically damped meter ``1/(1 + s τ_M)²`` run at a decimated rate, tracking its max.

    The input is averaged over groups of ``G`` samples (``G/rate <= τ_M/200``) and the meter
    is the exact discretisation of two cascaded one-pole stages at ``rate/G``; the error of
    the group average is < 1e-4 relative for τ_M >= 100 ms.

    Parameters
    ----------
    n_channels : int
    tau_s : float
        Meter time constant τ_M. [s]
    rate_hz : float
        Input sample rate. [Hz]
    backend : {"numba", "numpy"}, optional
        See module docstring; default numba when importable.

    References
    ----------
    CISPR 16-1-1 §3.6 (meter equation); docs/references.md §8b-§8c.
    """

    def __init__(
        self, n_channels: int, tau_s: float, rate_hz: float, backend: str | None = None
    ) -> None:
        self._fast = _backend(backend)
        self.tau_s = tau_s
        self.group = max(1, int(rate_hz * tau_s / 200.0))
        a = math.exp(-self.group / (rate_hz * tau_s))
        self._b = np.array([(1 - a) ** 2])
        self._a = np.array([1.0, -2 * a, a * a])
        self._zi = np.zeros((n_channels, 2))
        self._rest: NDArray[np.floating] = np.zeros((n_channels, 0))
        self._acc = np.zeros(n_channels)
        self._pos = 0
        self._max = np.zeros(n_channels)

    def coefficients(self) -> tuple[float, float, float]:
        """``(b0, a1, a2)`` of the group-rate filter ``b0 / (1 + a1 z⁻¹ + a2 z⁻²)``."""
        return float(self._b[0]), float(self._a[1]), float(self._a[2])

    def state(
        self, lo: int, hi: int
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], int, int]:
        """Return the compiled kernels' meter arguments for channels ``lo:hi``.

        ``(acc, zi, max, pos, group)``: views of the group accumulators, the filter states
        and the maxima (the kernels update them in place), the phase within the current
        group and the group length. :meth:`advance` moves the phase on after a pass.
        """
        return self._acc[lo:hi], self._zi[lo:hi], self._max[lo:hi], self._pos, self.group

    def advance(self, n: int) -> None:
        """Move the group phase on by ``n`` input samples, once every channel saw them."""
        self._pos = (self._pos + n) % self.group

    def push(self, u: NDArray[np.floating]) -> None:
        """Advance over the meter input ``u``, shape (n_channels, n)."""
        if self._fast:
            u32 = _f32(u)
            coef = self.coefficients()

            def run(lo: int, hi: int) -> None:
                _k.meter(u32[lo:hi], *self.state(lo, hi), *coef)

            _k.split_rows(u32.shape[0], run)
            self.advance(u32.shape[1])
            return
        a = np.concatenate([self._rest, u], axis=1) if self._rest.shape[1] else u
        n = (a.shape[1] // self.group) * self.group
        if n:
            m = a[:, :n].reshape(a.shape[0], -1, self.group).mean(axis=2)
            y, self._zi = _lfilter(self._b, self._a, m, self._zi)
            np.maximum(self._max, y.max(axis=1), out=self._max)
        self._rest = a[:, n:].copy()

    def to_come(self, drive: NDArray[np.float64] | None, decay: float) -> NDArray[np.float64]:
        """Return the largest indication still to come were the input then ``drive·decay^k``.

        The meter run on from its state for :data:`TO_COME_TAUS` τ_M, its input after the
        record ``drive`` (one value per channel, None: zero) decaying by ``decay`` per group
        of :attr:`group` samples. A quasi-peak detector's charge decays freely when its
        input stops; so what the meter would still show of an event near the record's end,
        were the input to stop there, is a lower bound of what a longer look would read.
        [input unit]
        """
        b0, a1, a2 = self.coefficients()
        z0, z1 = self._zi[:, 0].copy(), self._zi[:, 1].copy()
        u = np.zeros(z0.shape) if drive is None else np.asarray(drive, dtype=np.float64).copy()
        best = np.zeros(z0.shape)
        for _ in range(TO_COME_TAUS * 200):  # the meter's group rate is 200 / τ_M
            y = b0 * u + z0
            z0, z1 = z1 - a1 * y, -a2 * y
            np.maximum(best, y, out=best)
            u *= decay
        return best

    def reading(self) -> NDArray[np.float64]:
        """Return the maximum meter indication so far.

        Returns
        -------
        ndarray, shape (n_channels,)
            Maximum meter indication per channel. [input unit]
        """
        return self._max.copy()
