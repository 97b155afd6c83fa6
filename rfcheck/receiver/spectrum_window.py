"""The bins of a segment's spectrum that the channels read, computed without the others.

Each channel of the fast-convolution filter bank reads the ``K`` bins around its centre
(:mod:`~rfcheck.receiver.channel_layout`), so the channeliser keeps, per segment, only the
*window* from the lowest channel's first bin to the highest channel's last
(:class:`SpectrumWindow`). A band that spans a small part of a recording's spectrum reads
few of its bins: Band A (9-150 kHz) of a 64 MS/s recording reads 25,856 of the 5.8 M bins of
each 11.7 M-sample segment. Where a segment's whole spectrum would be larger than
:data:`CHUNK_BYTES`, its window is computed directly by a four-step DFT
(:class:`FourStep`), whose buffers are bounded by :data:`CHUNK_BYTES` and the window,
not by the segment's length (and so not by the recording's sample rate).

Four-step DFT (decimation in time): with ``m = P·Q`` and ``n = p + P·q``,
``X[k] = Σ_p W^{pk} Y_p[k mod Q]``, ``W = exp(-2πi/m)``, where ``Y_p`` is the ``Q``-point DFT
of the polyphase branch ``x[p::P]`` (a column of the ``Q x P`` view of the segment). The
branches are transformed a few at a time (a chunk of columns, one cache line of each row)
and each chunk's DFT at the window's residues is weighted and summed; a REAL segment's
branches take the real FFT (``Y_p[Q - r] = conj(Y_p[r])``). It reads within single-precision
rounding of the whole FFT (``tests/receiver/test_spectrum_window.py``).

References
----------
W. M. Gentleman, G. Sande, "Fast Fourier transforms - for fun and profit", AFIPS Fall Joint
Computer Conference, 1966 (the factorisation); D. H. Bailey, "FFTs in external or
hierarchical memory", J. Supercomputing 4, 1990 (the four-step form).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.fft as sfft
from numpy.typing import NDArray

from ._ifkernels import real_spectrum

__all__ = ["CHUNK_BYTES", "FourStep", "SpectrumWindow", "spectrum_window"]

#: Largest spectrum one segment's transform may hold whole, and the largest branch-chunk
#: transform of the four-step DFT. [B]
CHUNK_BYTES = 16 << 20

#: Bytes of each row of a chunk of branches: one cache line.
_ROW_BYTES = 64


def _residue_rows(bins: NDArray[np.int64], q: int, real: bool) -> tuple[Any, Any]:
    """Rows of a ``q``-point DFT (real FFT for ``real``) holding ``bins``, and its mirror mask.

    Returns a slice where the rows are contiguous and none is mirrored, else an index
    array; the mask (None when no row is mirrored) marks bins read as the conjugate of row
    ``q - r`` of a real FFT.
    """
    r = np.mod(bins, q)
    mirror = None
    if real:
        flip = r > q // 2
        if flip.any():
            mirror = flip
            r = np.where(flip, q - r, r)
    if mirror is None and r.shape[0] and np.all(np.diff(r) == 1):
        return slice(int(r[0]), int(r[-1]) + 1), None
    return r, mirror


@dataclass(frozen=True, eq=False)
class FourStep:
    """How a segment's window is computed without its whole spectrum.

    Attributes
    ----------
    p, q : int
        Branches and the length of each (``p · q = nfft``).
    cols : int
        Branches transformed together.
    rows : slice or ndarray of int64
        Rows of a branch's DFT (real FFT for REAL input) at the window's bins.
    mirror : ndarray of bool or None
        Bins read as the conjugate of their row (REAL input, residue above ``q/2``).
    w0 : ndarray, shape (n, cols), complex128
        ``W^{j k}`` for the window's bins ``k`` and ``j < cols``.
    w_step : ndarray, shape (n,), complex128
        ``W^{cols k}``: moves ``w0`` on by one chunk of branches.
    """

    p: int
    q: int
    cols: int
    rows: Any
    mirror: NDArray[np.bool_] | None
    w0: NDArray[np.complex128]
    w_step: NDArray[np.complex128]

    @classmethod
    def plan(
        cls, bins: NDArray[np.int64], nfft: int, real: bool, itemsize: int, out_itemsize: int
    ) -> FourStep | None:
        """Plan the window ``bins`` of an ``nfft``-point segment; None where it does not pay.

        ``P`` is the smallest divisor of ``nfft`` (at least one chunk of ``cols`` branches)
        whose chunk transform fits :data:`CHUNK_BYTES`; None when there is none or when
        weighting the window would cost more than a pass over the segment (``P · n >
        nfft``). ``itemsize``: bytes per input sample; ``out_itemsize``: per spectrum bin.
        """
        cols = max(1, _ROW_BYTES // itemsize)
        n = max(1, bins.shape[0])
        q_max = CHUNK_BYTES // (cols * out_itemsize)  # rows of one chunk's transform
        q_max = 2 * (q_max - 1) if real else q_max
        for p in range(max(cols, -(-nfft // max(1, q_max))), nfft // n + 1):
            q = nfft // p
            if nfft % p == 0 and (q // 2 + 1 if real else q) * cols * out_itemsize <= CHUNK_BYTES:
                break
        else:  # no divisor fits, or weighting the window costs more than a pass over it
            return None
        rows, mirror = _residue_rows(bins, q, real)
        j = np.arange(cols, dtype=np.int64)
        phase = np.mod(np.outer(bins, j), nfft)  # exact: |bins| < nfft, j < cols
        w0 = np.exp(-2j * np.pi * phase / nfft)
        w_step = np.exp(-2j * np.pi * np.mod(bins * cols, nfft) / nfft)
        return cls(p, q, cols, rows, mirror, w0, w_step)

    def transform(self, seg: NDArray[Any], real: bool, out: NDArray[np.complexfloating]) -> None:
        """Write the window of ``seg``'s spectrum into ``out``, a chunk of branches at a time."""
        x2 = seg.reshape(self.q, self.p)
        fft = sfft.rfft if real else sfft.fft
        acc = np.zeros(out.shape[0], np.complex128)
        w = self.w0.copy()
        for p0 in range(0, self.p, self.cols):
            c = min(self.cols, self.p - p0)
            y = fft(x2[:, p0 : p0 + c], axis=0, workers=1)[self.rows]
            if self.mirror is not None:
                y[self.mirror] = np.conj(y[self.mirror])
            acc += np.einsum("ij,ij->i", y, w[:, :c])
            w *= self.w_step[:, None]
        out[:] = acc


@dataclass(frozen=True, eq=False)
class SpectrumWindow:
    """Bins ``first .. first + n - 1`` of every ``nfft``-point segment's spectrum, and how.

    The bins are unwrapped: bin ``-1`` is bin ``nfft - 1``.

    Attributes
    ----------
    first, n : int
        First bin and the number of bins.
    nfft : int
        Segment length.
    real : bool
        REAL input (the spectrum is conjugate-symmetric), else I/Q.
    four_step : FourStep or None
        The direct computation of a long segment's window; None: the segment's whole
        spectrum is computed and the window read from it.
    rows : slice or ndarray of int64
        Where the window's bins are in that whole spectrum (the one-sided one of REAL input).
    mirror : ndarray of bool or None
        REAL input: bins read as the conjugate of their row (below 0 or above ``nfft/2``).
    half_tw : ndarray or None
        ``exp(-2πi k / nfft)`` at the window's bins where the one-sided spectrum comes from
        :func:`~rfcheck.receiver._ifkernels.real_spectrum` (numba, REAL, window within
        ``0 .. nfft/2``); None otherwise.
    """

    first: int
    n: int
    nfft: int
    real: bool
    four_step: FourStep | None
    rows: Any
    mirror: NDArray[np.bool_] | None
    half_tw: NDArray[np.complexfloating] | None

    def transform(self, seg: NDArray[Any], out: NDArray[np.complexfloating]) -> None:
        """Write the window of the spectrum of segment ``seg`` (``nfft`` samples) into ``out``."""
        if self.four_step is not None:
            self.four_step.transform(seg, self.real, out)
        elif self.half_tw is not None:
            real_spectrum(sfft.fft(seg.view(out.dtype)), self.half_tw, self.first, out)
        else:
            whole = sfft.rfft(seg) if self.real else sfft.fft(seg)
            out[:] = whole[self.rows]
            if self.mirror is not None:
                out[self.mirror] = np.conj(out[self.mirror])


def spectrum_window(
    first: int, n: int, nfft: int, real: bool, in_dtype: Any, cdtype: Any, compiled: bool
) -> SpectrumWindow:
    """Plan the window of bins ``first .. first + n - 1`` of every ``nfft``-point segment.

    ``in_dtype``/``cdtype``: the segment's and the spectrum's types; ``compiled``: the
    numba kernels run (:func:`~rfcheck.receiver._ifkernels.real_spectrum`). A segment whose
    whole spectrum would exceed :data:`CHUNK_BYTES` gets the four-step DFT where it pays
    (:meth:`FourStep.plan`).
    """
    bins = np.arange(first, first + n, dtype=np.int64)
    out_itemsize = np.dtype(cdtype).itemsize
    whole = (nfft // 2 + 1 if real else nfft) * out_itemsize
    four = None
    if whole > CHUNK_BYTES:
        four = FourStep.plan(bins, nfft, real, np.dtype(in_dtype).itemsize, out_itemsize)
    rows, mirror = _residue_rows(bins, nfft, real)
    one_sided = real and mirror is None and first >= 0
    half_tw = None
    if four is None and compiled and one_sided and nfft % 2 == 0:
        half_tw = np.exp(-2j * np.pi * bins / nfft).astype(cdtype)
    return SpectrumWindow(first, n, nfft, real, four, rows, mirror, half_tw)
