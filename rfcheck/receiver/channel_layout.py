"""How the channeliser cuts a recording into FFT segments and weights each channel's bins.

The fast-convolution filter bank (:class:`~rfcheck.receiver.channeliser.Channeliser`) reads
overlap-save segments of ``nfft = K · decimation`` input samples, ``overlap`` of them shared
with the previous segment, and forms each channel from the ``K`` bins around its centre,
weighted by the IF response ``H`` (:func:`~rfcheck.receiver.ifilter.if_response`) centred
*exactly* on the channel's frequency. :func:`channel_layout` fixes those figures once per
receiver run: the decimation is the largest 5-smooth integer keeping the output rate >= 3.5 B6
(so the output rate is not rounded up to a power-of-two fraction of the input rate) and ``K``
a power of two at least 8 overlaps long, so every FFT size is 5-smooth and at most ~1/8 of
the outputs are discarded. It also fixes the window of each segment's spectrum that holds
every channel's bins (:mod:`~rfcheck.receiver.spectrum_window`; the channels' centres are
counted from its first bin) and the fused single-precision kernel's lane layout
(:class:`LaneWeights`) where numba runs and the gain allows it.

References
----------
CISPR 16-1-1, clause 4 (Bands A-D overall selectivity, B6 200 Hz / 9 kHz / 120 kHz) and
clause 5.x (Band E 1 MHz); docs/references.md §4a.
M. Borgerding, "Turning overlap-save into a multiband mixing, downsampling filter bank",
IEEE Signal Processing Magazine, 2006 (fast-convolution filter bank).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ReceiverError
from ._ifkernels import LANES_IF
from ._kernels import HAVE_NUMBA
from .ifilter import if_duration_s, if_response
from .spectrum_window import SpectrumWindow, spectrum_window

__all__ = ["ChannelLayout", "LaneWeights", "channel_layout"]

#: Range of ``gain`` for which the fused single-precision kernel runs; ``|y|² `` is formed in
#: float32 there, and a sample within :data:`~rfcheck.receiver.samples.MAX_SAMPLE_MAGNITUDE`
#: times a gain inside this range keeps it far from overflow. Outside, scipy's FFT and
#: :func:`numpy.abs` (overflow-safe ``hypot``) compute the envelope.
_FUSED_GAIN = (1e-6, 1e6)

_PRECISION = {"single": (np.float32, np.complex64), "double": (np.float64, np.complex128)}


def _next_pow2(n: float) -> int:
    return 1 << max(0, math.ceil(math.log2(max(n, 1.0))))


def _smooth_at_most(n: int) -> int:
    """Largest ``2^a 3^b 5^c`` not above ``n`` (``n >= 1``)."""
    best = 1
    p5 = 1
    while p5 <= n:
        p3 = p5
        while p3 <= n:
            p2 = p3
            while p2 * 2 <= n:
                p2 *= 2
            best = max(best, p2)
            p3 *= 3
        p5 *= 5
    return best


@dataclass(frozen=True)
class LaneWeights:
    """The IF weights laid out for :func:`~rfcheck.receiver._ifkernels.channel_envelope`.

    ``w`` (n_blocks, K, LANES_IF) holds the real weights of ``LANES_IF`` channels per block,
    lanes last, with the inverse FFT's ``1/K`` (without the overlap-save delay: the kernel
    shifts its outputs instead); ``base`` is each channel's centre bin in the spectrum
    window; ``brev`` the bit-reversal permutation; ``twr``/``twi`` the twiddles
    ``cos``/``sin`` of ``2π j/K``.
    """

    w: NDArray[np.float32]
    base: NDArray[np.int64]
    brev: NDArray[np.int64]
    twr: NDArray[np.float32]
    twi: NDArray[np.float32]

    @classmethod
    def build(cls, w: NDArray[np.float64], base: NDArray[np.int64], k: int) -> LaneWeights:
        """Lay out the real weights ``w`` (n_channels, K) and centre bins ``base``."""
        n = w.shape[0]
        n_blk = -(-n // LANES_IF)
        lanes = np.zeros((n_blk * LANES_IF, k), np.float32)
        lanes[:n] = w / k
        b = np.full(n_blk * LANES_IF, base[-1], np.int64)
        b[:n] = base
        bits = k.bit_length() - 1
        brev = np.array([int(format(j, f"0{bits}b")[::-1], 2) for j in range(k)], np.int64)
        ang = 2.0 * np.pi * np.arange(k // 2) / k
        return cls(
            np.ascontiguousarray(lanes.reshape(n_blk, LANES_IF, k).transpose(0, 2, 1)),
            b,
            brev,
            np.cos(ang).astype(np.float32),
            np.sin(ang).astype(np.float32),
        )


@dataclass(frozen=True, eq=False)
class ChannelLayout:
    """The overlap-save segments and channel weights of one channeliser.

    Attributes
    ----------
    sample_rate_hz : float
        Input sample rate. [Hz]
    real_input : bool
        True for REAL samples, False for IQ.
    in_dtype, cdtype : numpy scalar types
        Input samples' type (float for REAL, complex for IQ) and the spectra's complex type.
    decimation : int
        Input samples per output sample.
    out_rate_hz : float
        Output (IF envelope) sample rate. [Hz]
    overlap : int
        Input samples each segment shares with the previous one (``V``).
    k : int
        Bins per channel, the length of its inverse FFT (a power of two).
    nfft, step : int
        Segment length ``K · decimation`` and the input samples between segments.
    n_channels : int
        Number of channels.
    weights : ndarray, shape (n_channels, K)
        Each channel's complex weights in FFT order: ``H``, the output scale and the causal
        delay of ``V/2`` input samples. Made on first use: the fused kernel (``lanes``)
        reads only the real part of ``H`` and shifts its outputs instead of applying the
        delay, so a run on that path never needs them (the delay's complex exponential of
        every channel's bins was ~20 ms of a Band B set-up at 64 MS/s).
    weight_parts : callable
        Returns what the weights are made from (each channel's centre bin, its K bins, the
        IF response there and the output scale), computed again when called: the layout
        keeps the frequencies, not the bins and response (~20 MB for Band B at 64 MS/s).
    window : SpectrumWindow
        The bins of each segment's spectrum the channeliser keeps: from the lowest
        channel's first bin to the highest channel's last.
    base : ndarray of int64
        Each channel's centre bin, counted from the window's first.
    idx : ndarray of int64 or None
        Each channel's bins in the window, for numpy's gather (None when numba gathers).
    n_bins : int
        Bins per segment spectrum kept (the window's).
    lanes : LaneWeights or None
        The fused kernel's weights; None where it does not run.
    lane : int
        Channels per kernel call (:data:`~rfcheck.receiver._ifkernels.LANES_IF`, else 1).
    """

    sample_rate_hz: float
    real_input: bool
    in_dtype: Any
    cdtype: Any
    decimation: int
    out_rate_hz: float
    overlap: int
    k: int
    nfft: int
    step: int
    n_channels: int
    weight_parts: Callable[[], _ChannelWeights] = field(repr=False)
    window: SpectrumWindow
    base: NDArray[np.int64]
    idx: NDArray[np.int64] | None
    n_bins: int
    lanes: LaneWeights | None
    lane: int

    @cached_property
    def weights(self) -> NDArray[Any]:
        """Each channel's complex weights in FFT order, (n_channels, K), ``cdtype``."""
        w = self.weight_parts()
        # the zero-phase IF is made causal by a delay of V/2 input samples (overlap-save
        # needs a causal response no longer than the overlap V)
        delay = np.exp(-2j * np.pi * w.bins * (self.overlap // 2) / self.nfft)
        return np.ascontiguousarray(w.resp * w.scale * delay, dtype=self.cdtype)


@dataclass(frozen=True, eq=False)
class _ChannelWeights:
    """Each channel's bins and the parts of its weights (see :meth:`of`)."""

    centre: NDArray[np.int64]  #: each channel's centre bin (unwrapped)
    bins: NDArray[np.int64]  #: its K bins in FFT order, (n_channels, K)
    resp: NDArray[np.complex128]  #: the IF response at each bin
    scale: float  #: the output scale (gain, inverse-FFT length, one-sided factor 2)

    @classmethod
    def of(
        cls,
        freqs: NDArray[np.float64],
        df: float,
        k: int,
        m: int,
        rbw_hz: float,
        response: Callable[[NDArray[np.float64], float], NDArray[np.complex128]] | None,
        gain: float,
        real: bool,
    ) -> _ChannelWeights:
        """Centre each channel on its nearest bin (``df`` apart [Hz]) and weight its K bins."""
        centre = np.rint(freqs / df).astype(np.int64)
        rel = np.fft.fftfreq(k, 1.0 / k).astype(np.int64)  # 0..K/2-1, -K/2..-1
        bins = centre[:, None] + rel[None, :]
        resp = (response or if_response)(bins * df - freqs[:, None], rbw_hz)
        scale = gain * k / m * (2.0 if real else 1.0)
        return cls(centre, bins, resp, scale)


def _segments(fs: float, rbw_hz: float, r_min: float) -> tuple[int, int, int]:
    """Return the decimation, the overlap ``V`` and ``K`` for an output rate >= ``r_min``."""
    dec = _smooth_at_most(max(1, math.floor(fs / r_min * (1 + 1e-12))))
    v = math.ceil(if_duration_s(rbw_hz) * fs / (2 * dec)) * 2 * dec
    overlap = max(v, 2 * dec)
    k = max(_next_pow2(8 * overlap / dec), 16)
    return dec, overlap, k


def channel_layout(
    sample_rate_hz: float,
    real_input: bool,
    freqs_hz: NDArray[np.float64],
    rbw_hz: float,
    gain: float = 1.0,
    out_rate_min_hz: float | None = None,
    response: Callable[[NDArray[np.float64], float], NDArray[np.complex128]] | None = None,
    precision: str = "single",
) -> ChannelLayout:
    """Lay out the segments and channel weights of a channeliser.

    The parameters are :class:`~rfcheck.receiver.channeliser.Channeliser`'s.

    Raises
    ------
    ReceiverError
        A sample rate that is not positive, or a precision other than single or double.
    """
    fs = float(sample_rate_hz)
    if not fs > 0:
        raise ReceiverError(f"sample rate must be positive, got {fs!r}")
    if precision not in _PRECISION:
        raise ReceiverError(f"precision must be 'single' or 'double', got {precision!r}")
    real = bool(real_input)
    rdt, cdt = _PRECISION[precision]
    freqs = np.atleast_1d(np.asarray(freqs_hz, dtype=float))
    r_min = 3.5 * rbw_hz if out_rate_min_hz is None else float(out_rate_min_hz)
    dec, overlap, k = _segments(fs, rbw_hz, r_min)
    m = k * dec
    w = _ChannelWeights.of(freqs, fs / m, k, m, rbw_hz, response, gain, real)
    # the window from the lowest channel's first bin to the highest channel's last (REAL
    # input: bins below 0 or above nfft/2 are read by conjugate symmetry)
    first = int(w.centre.min()) - k // 2
    window = spectrum_window(
        first, int(w.centre.max()) + k // 2 - first, m, real, rdt if real else cdt, cdt, HAVE_NUMBA
    )
    base = (w.centre - first).astype(np.int64)
    fused = (
        HAVE_NUMBA
        and cdt == np.complex64
        and _FUSED_GAIN[0] <= abs(gain) <= _FUSED_GAIN[1]
        and not np.any(w.resp.imag)
    )
    return ChannelLayout(
        sample_rate_hz=fs,
        real_input=real,
        in_dtype=rdt if real else cdt,
        cdtype=cdt,
        decimation=dec,
        out_rate_hz=fs / dec,
        overlap=overlap,
        k=k,
        nfft=m,
        step=m - overlap,
        n_channels=int(freqs.shape[0]),
        weight_parts=partial(_ChannelWeights.of, freqs, fs / m, k, m, rbw_hz, response, gain, real),
        window=window,
        base=base,
        idx=w.bins - first if not HAVE_NUMBA else None,
        n_bins=window.n,
        lanes=LaneWeights.build(w.resp.real * w.scale, base, k) if fused else None,
        lane=LANES_IF if fused else 1,
    )
