"""The fast-convolution channeliser: the IF filter applied at thousands of frequencies at once.

A fast-convolution filter bank (overlap-save, one large FFT per block, then one small inverse
FFT per channel over the bins around that channel) applies the IF response ``H``
(:func:`~rfcheck.receiver.ifilter.if_response`) centred *exactly* on every requested frequency
and decimates each channel to a few times B6 in the same step, so thousands of channels cost one
forward FFT per block plus small inverse FFTs. For the IF envelope in single precision (the
receiver's path) the gather, the small inverse FFT and ``|y|`` are one compiled kernel that
transforms 16 channels at once, lanes last, so every butterfly is one vector operation
(:func:`~rfcheck.receiver._ifkernels.channel_envelope`, within 1e-4 relative of scipy's FFT);
otherwise (complex output, double precision, no numba, a gain outside the fused kernel's range, a
``response`` that is not real) the inverse FFTs are batched as one 2-D scipy FFT per chunk of
channels.
:meth:`Channeliser.push_envelope_to` hands each chunk of channels' envelope to the caller (the
detectors) while it is in the cache, from the worker threads. The segment lengths, decimation
and channel weights are laid out once (:func:`~rfcheck.receiver.channel_layout.channel_layout`);
the default is single precision (float32 / complex64), which reads within 0.001 dB of double
precision (see ``tests/receiver/test_receiver_speed_consistency.py``). Filter state is the
overlap (the last ``V`` input samples), so blocks of any size give the same output and memory
does not grow with record length. Of each segment's spectrum only the window of bins the
channels read is kept, and a long segment's window is computed without its whole spectrum
(:mod:`~rfcheck.receiver.spectrum_window`); the input queue has a fixed size
(:func:`queue_samples`), so neither grows with the block or, but for the queue's one
segment, with the sample rate.

References
----------
CISPR 16-1-1, clause 4 (Bands A-D overall selectivity, B6 200 Hz / 9 kHz / 120 kHz) and
clause 5.x (Band E 1 MHz); docs/references.md §4a (B6 [S]; selectivity masks UNCONFIRMED).
M. Borgerding, "Turning overlap-save into a multiband mixing, downsampling filter bank",
IEEE Signal Processing Magazine, 2006 (fast-convolution filter bank).
S. Braun, P. Russer, "A low-noise, low-cost, 18 GHz time-domain EMI measurement system",
and F. Krug, P. Russer, IEEE Trans. EMC 47(2), 2005 (FFT-based receivers with a Gaussian
IF window; docs/references.md §8a).

Record edges
------------
The channeliser's first and last outputs have IF windows that reach past the start or end
of the record (filled with zeros), i.e. they see the carrier switched on/off abruptly. That
step splatters a strong carrier over the whole output bandwidth (a 60 dBµV CW read 1 B6 off
gave a 47 dBµV peak instead of the Gaussian IF's 36 dBµV). :meth:`Channeliser.settled_outputs`
names the outputs whose window lies wholly inside the record (the window is the span where
the Gaussian is above 1e-7 of its peak, :func:`~rfcheck.receiver.ifilter.if_duration_s`);
:func:`rfcheck.receiver.measure` detects only those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.fft as sfft
from numpy.typing import NDArray

from ._ifkernels import channel_envelope, gather_weight
from ._kernels import N_THREADS, no_wait, rows_of, split_rows, start_rows
from .channel_layout import channel_layout

__all__ = ["QUEUE_BYTES", "Channeliser", "EnvelopeSink", "Spectra", "queue_samples"]


#: Complex values per channel chunk of the gather / inverse FFT (fits a 2 MB L2 at complex64).
_CHUNK_VALUES = 1 << 18

#: Complex values per channel chunk when the envelope goes to a sink (:meth:`push_envelope_to`):
#: the chunk's gather buffer and its envelope block stay in a core's L2 cache.
_SINK_CHUNK_VALUES = 1 << 16

#: ``sink(lo, hi, env)``: receives the IF envelope of channels ``lo:hi``, shape
#: ``(hi - lo, n_out)``. [V]
EnvelopeSink = Callable[[int, int, NDArray[np.floating]], None]

#: Tasks per worker thread when a block's FFTs or channels are split: small enough that a
#: thread slowed by other load does not hold the others back at the end of the block.
_TASKS_PER_THREAD = 4

#: Size of the channeliser's input queue, unless one segment is longer (:func:`queue_samples`).
#: [B]
QUEUE_BYTES = 8 << 20


def queue_samples(nfft: int, in_dtype: Any) -> int:
    """Return the input queue's length: :data:`QUEUE_BYTES` of samples, or one segment.

    The queue holds the input not yet transformed; a block longer than its free room enters
    it in pieces (:meth:`Channeliser.push_spectra`), so it does not grow with the block
    (Band A at 64 MS/s had held its 11.7 M-sample segment and a 4 Mi-sample block, and
    each time it grew, the old and the new array). [samples]
    """
    return max(int(nfft), QUEUE_BYTES // int(np.dtype(in_dtype).itemsize))


@dataclass(frozen=True)
class Spectra:
    """The overlap-save segment spectra one push completed, ready for the channel stage.

    ``values`` has shape ``(n_seg, n_bins)`` (see
    :meth:`Channeliser.push_spectra`); ``limit`` caps the output samples per channel (the
    flush's), None for all of them.
    """

    values: NDArray[np.complexfloating]
    limit: int | None = None


class Channeliser:
    """Fast-convolution IF filter bank: wideband samples in, one decimated IF per channel out.

    Parameters
    ----------
    sample_rate_hz : float
        Input sample rate. [Hz]
    real_input : bool
        True for REAL samples (RF voltage), False for IQ (complex baseband).
    freqs_hz : ndarray
        Channel (tuned) frequencies relative to the input's frequency origin: RF for REAL,
        offset from the IQ centre for IQ. [Hz]
    rbw_hz : float
        Measurement bandwidth B6. [Hz]
    gain : float
        Linear scale applied to the output (e.g. ``volts_per_unit``).
    out_rate_min_hz : float
        Minimum output (IF envelope) sample rate; default 3.5 · B6. [Hz]
    response : callable, optional
        ``response(df_hz, rbw_hz)`` override of :func:`~rfcheck.receiver.ifilter.if_response`.
    precision : {"single", "double"}
        Arithmetic of the FFTs and the output (complex64 or complex128).

    Notes
    -----
    Output scaling: an input sine ``A cos(2π f t)`` (REAL) or ``A e^{j2π Δf t}`` (IQ) at a
    channel's tuned frequency gives output magnitude ``A`` (the IF envelope, peak volts).
    Output sample ``n`` belongs to input sample ``n · decimation``. The decimation is the
    largest 5-smooth integer with ``sample_rate / decimation >= out_rate_min_hz`` (1 when
    the input rate is already below it); the FFT length is ``K · decimation`` with ``K`` a
    power of two and at least 8 overlaps long, so at most ~1/8 of the outputs are discarded.
    These figures and the channel weights are :attr:`layout`
    (:class:`~rfcheck.receiver.channel_layout.ChannelLayout`); ``decimation``,
    ``out_rate_hz``, ``overlap``, ``k``, ``nfft`` and ``step`` repeat them as attributes.
    """

    def __init__(
        self,
        sample_rate_hz: float,
        real_input: bool,
        freqs_hz: NDArray[np.float64],
        rbw_hz: float,
        gain: float = 1.0,
        out_rate_min_hz: float | None = None,
        response: Callable[[NDArray[np.float64], float], NDArray[np.complex128]] | None = None,
        precision: str = "single",
    ) -> None:
        lay = channel_layout(
            sample_rate_hz, real_input, freqs_hz, rbw_hz, gain, out_rate_min_hz, response, precision
        )
        self.layout = lay
        # the layout's figures, as the channeliser's attributes
        self.fs, self.real_input = lay.sample_rate_hz, lay.real_input
        self.n_channels = lay.n_channels
        self.decimation, self.out_rate_hz = lay.decimation, lay.out_rate_hz
        self.overlap, self.k, self.nfft, self.step = lay.overlap, lay.k, lay.nfft, lay.step
        # the input not yet in a complete segment, after the last ``overlap`` samples of the
        # one before (zeros at the start): ``_buf[:_n]``. Each push copies its block in, so
        # no view of the caller's samples outlives the push (a memory-mapped recording's
        # pages are released after it, drop_mapped_pages; a held view read them back in,
        # and Band A at 64 MS/s, whose step spans several blocks, kept the file resident).
        # Its size is fixed (queue_samples): a block enters it in pieces. Reused between
        # pushes (a fresh 16-19 MB array per block cost ~10 % of the FFT stage in page
        # faults), as are the two spectra buffers used in turn.
        self._buf: NDArray[np.generic] = np.zeros(
            queue_samples(self.nfft, lay.in_dtype), lay.in_dtype
        )
        self._n = self.overlap
        self._spectra_bufs: list[NDArray[np.complexfloating] | None] = [None, None]
        self._turn = 0
        self._ch_chunk = max(1, _CHUNK_VALUES // self.k)

    def _channels(
        self, specs: NDArray[np.complexfloating], out: NDArray[np.generic], lo: int, hi: int
    ) -> None:
        """Complex IF output of channels ``lo:hi`` for every segment spectrum, into ``out``."""
        skip = self.overlap // self.decimation
        n_keep = self.k - skip
        g: NDArray[Any] = np.empty((min(self._ch_chunk, hi - lo), self.k), self.layout.cdtype)
        for c0 in range(lo, hi, self._ch_chunk):
            c1 = min(hi, c0 + self._ch_chunk)
            for s in range(specs.shape[0]):
                gc = g[: c1 - c0]
                self._gather(specs[s], c0, c1, gc)
                y = sfft.ifft(gc, axis=1, workers=1)
                out[c0:c1, s * n_keep : (s + 1) * n_keep] = y[:, skip:]

    def _gather(
        self, spec: NDArray[np.complexfloating], c0: int, c1: int, out: NDArray[Any]
    ) -> None:
        """Weighted bins around the centres of channels ``c0:c1`` (FFT order) into ``out``."""
        if self.layout.idx is None:
            gather_weight(spec, self.layout.base[c0:c1], self.layout.weights[c0:c1], out)
        else:
            np.take(spec, self.layout.idx[c0:c1], out=out)
            out *= self.layout.weights[c0:c1]

    def _segment_spectra(self, x: NDArray[np.generic]) -> NDArray[np.complexfloating]:
        """Queue ``x``; return the spectra of every overlap-save segment now complete.

        Shape ``(n_seg, n_bins)``: the window of each segment's spectrum that holds every
        channel's bins (:attr:`~rfcheck.receiver.channel_layout.ChannelLayout.window`).
        ``x`` enters the queue in pieces that fill it (:func:`queue_samples`); after each,
        the complete segments are transformed and leave the queue, the last ``overlap``
        samples staying as history. So the queue never holds more than its size, however
        long the block.
        """
        x = np.asarray(x)
        specs = self._spectra_buffer((self._n - self.overlap + x.shape[0]) // self.step)
        done = i = 0
        while True:
            take = min(x.shape[0] - i, self._buf.shape[0] - self._n)
            self._buf[self._n : self._n + take] = x[i : i + take]
            self._n += take
            i += take
            n_seg = (self._n - self.overlap) // self.step
            if n_seg:
                self._transform(specs[done : done + n_seg])
                done += n_seg
            if i == x.shape[0]:
                return specs

    def _transform(self, specs: NDArray[np.complexfloating]) -> None:
        """Transform the queue's first ``len(specs)`` segments into ``specs``; dequeue them."""
        data, n_seg, window = self._buf, specs.shape[0], self.layout.window

        def spectra(lo: int, hi: int) -> None:
            for s in range(lo, hi):
                window.transform(data[s * self.step : s * self.step + self.nfft], specs[s])

        split_rows(n_seg, spectra, min_rows=1, parts=_TASKS_PER_THREAD * N_THREADS)
        # the next segment's overlap and what follows it move to the front, in pieces no
        # longer than the shift so that none overlaps itself (numpy would copy it first)
        shift, m = n_seg * self.step, self._n - n_seg * self.step
        for i in range(0, m, shift):
            c = min(shift, m - i)
            self._buf[i : i + c] = self._buf[shift + i : shift + i + c]
        self._n = m

    def _spectra_buffer(self, n_seg: int) -> NDArray[np.complexfloating]:
        """Room for ``n_seg`` spectra: the older of the two buffers, grown if needed."""
        turn = self._turn
        self._turn ^= 1
        buf = self._spectra_bufs[turn]
        if buf is None or buf.shape[0] < n_seg:
            buf = np.empty((n_seg, self.layout.n_bins), self.layout.cdtype)
            self._spectra_bufs[turn] = buf
        return buf[:n_seg]

    def _run(self, x: NDArray[np.generic], envelope: bool) -> NDArray[Any]:
        specs = self._segment_spectra(x)
        n_keep = self.k - self.overlap // self.decimation
        odt: type[np.generic] = np.float32 if self.layout.cdtype == np.complex64 else np.float64
        out = np.empty(
            (self.n_channels, specs.shape[0] * n_keep), odt if envelope else self.layout.cdtype
        )
        if not specs.shape[0]:
            return out
        if envelope:

            def keep(lo: int, hi: int, env: NDArray[np.floating]) -> None:
                out[lo:hi] = env

            self._run_to(specs, keep, None)
        else:
            split_rows(
                self.n_channels,
                lambda lo, hi: self._channels(specs, out, lo, hi),
                min_rows=self._ch_chunk // 4,
            )
        return out

    def _envelope_rows(
        self,
        specs: NDArray[np.complexfloating],
        lo: int,
        hi: int,
        n_out: int,
        sink: EnvelopeSink,
        lanes_sink: EnvelopeSink | None = None,
    ) -> None:
        """Envelope of channels ``lo:hi`` in chunks of :data:`_SINK_CHUNK_VALUES`, to ``sink``.

        Each chunk's envelope (all of this push's outputs, at most ``n_out`` of them) is
        handed over while it is still in the cache instead of being written into one
        (channels × outputs) array first. With the fused kernel ``lo`` is a multiple of
        :data:`~rfcheck.receiver._ifkernels.LANES_IF`, the kernel writes the envelope lanes
        last and ``lanes_sink``, when given, receives it so (see :meth:`start_envelope_to`);
        ``sink`` receives rows.
        """
        skip = self.overlap // self.decimation
        n_keep = self.k - skip
        lane = self.layout.lane
        rows = max(lane, (_SINK_CHUNK_VALUES // self.k) // lane * lane)
        n_rows = -(-min(rows, hi - lo) // lane) * lane
        n_col = specs.shape[0] * n_keep
        if self.layout.lanes is not None:
            delay = (self.overlap // 2) // self.decimation  # the causal IF's delay [outputs]
            lanes: NDArray[np.float32] = np.empty((n_rows // lane, n_col, lane), np.float32)
            for c0 in range(lo, hi, rows):
                c1 = min(hi, c0 + rows)
                w = self.layout.lanes
                channel_envelope(
                    specs, w.base, w.w, w.brev, w.twr, w.twi, delay, n_keep,
                    c0 // lane, -(-c1 // lane), lanes,
                )  # fmt: skip
                env = lanes[: -(-(c1 - c0) // lane), :n_out]
                if lanes_sink is not None:
                    lanes_sink(c0, c1, env)
                else:
                    sink(c0, c1, rows_of(env, c1 - c0))
            return
        odt = np.float32 if self.layout.cdtype == np.complex64 else np.float64
        out: NDArray[Any] = np.empty((n_rows, n_col), odt)
        g: NDArray[Any] = np.empty((n_rows, self.k), self.layout.cdtype)
        for c0 in range(lo, hi, rows):
            c1 = min(hi, c0 + rows)
            gc = g[: c1 - c0]
            for s in range(specs.shape[0]):
                self._gather(specs[s], c0, c1, gc)
                y = sfft.ifft(gc, axis=1, workers=1, overwrite_x=True)
                np.abs(y[:, skip:], out=out[: c1 - c0, s * n_keep : (s + 1) * n_keep])
            sink(c0, c1, out[: c1 - c0, :n_out])

    def push_envelope_to(self, x: NDArray[np.generic], sink: EnvelopeSink) -> int:
        """Filter as :meth:`push_envelope` does, handing the envelope to ``sink`` by channels.

        ``sink(lo, hi, env)`` receives the envelope of channels ``lo:hi`` (shape
        ``(hi - lo, n_out)``, the same values :meth:`push_envelope` returns for those rows)
        once per disjoint channel range, from worker threads (it must only touch state of
        those channels, and must not call :func:`~rfcheck.receiver._kernels.split_rows`);
        ``env`` is reused after the call returns. No whole (channels × outputs) block is
        ever held, so memory does not grow with the number of channels times block length.

        Returns
        -------
        int
            ``n_out``, the output samples this push produced per channel (``sink`` is not
            called when it is 0).
        """
        n_out, wait = self.start_envelope_to(self.push_spectra(x), sink)
        wait()
        return n_out

    def push_spectra(self, x: NDArray[np.generic]) -> Spectra:
        """Queue the next block of input; return the segment spectra it completes.

        The first half of :meth:`push_envelope_to` (the forward FFTs, in the worker
        threads); :meth:`start_envelope_to` does the rest. Splitting the two lets a caller
        compute the next block's spectra while the previous block's channels are still in
        the workers' queue (:func:`rfcheck.receiver.stream.stream`). Two buffers hold the
        spectra in turn: the values are overwritten by the second push after this one, so
        the channel stage of these spectra must be done (its wait called) before then.
        """
        return Spectra(self._segment_spectra(x))

    def flush_spectra(self) -> Spectra:
        """Return the segment spectra of what is left and the IF delay line (see :meth:`flush`)."""
        n_out, n_pad = self._flush_pad()
        return Spectra(self._segment_spectra(self._zeros(n_pad)), n_out)

    def start_envelope_to(
        self, spectra: Spectra, sink: EnvelopeSink, lanes_sink: EnvelopeSink | None = None
    ) -> tuple[int, Callable[[], None]]:
        """Queue the channel stage of ``spectra`` (gather, inverse FFT, ``|y|``, ``sink``).

        As :meth:`push_envelope_to`, but returns as soon as the channel tasks are queued in
        the worker pool. Returns ``n_out`` and the function that waits for the tasks; call
        it before the next :meth:`start_envelope_to` and before reading anything ``sink``
        wrote. Spectra must be started in the order they were pushed. When the fused
        kernel runs and ``lanes_sink`` is given, it receives the envelope instead of
        ``sink``, lanes last as the kernel writes it: ``lanes_sink(lo, hi, env)`` with
        ``env`` of shape ``(ceil((hi - lo) / 16), n_out, 16)``, channel ``lo + c`` at
        ``env[c // 16, :, c % 16]`` (no transposed copy).
        """
        specs = spectra.values
        n_out = specs.shape[0] * (self.k - self.overlap // self.decimation)
        if spectra.limit is not None:
            n_out = min(n_out, spectra.limit)
        n_out = int(max(n_out, 0))
        if n_out == 0:
            return 0, no_wait
        lane, n = self.layout.lane, self.n_channels
        wait = start_rows(
            -(-n // lane),
            lambda lo, hi: self._envelope_rows(
                specs, lo * lane, min(hi * lane, n), n_out, sink, lanes_sink
            ),
            min_rows=max(1, _SINK_CHUNK_VALUES // self.k // lane),
            parts=_TASKS_PER_THREAD * N_THREADS,
        )
        return n_out, wait

    def _run_to(
        self, specs: NDArray[np.complexfloating], sink: EnvelopeSink, limit: int | None
    ) -> int:
        n_out, wait = self.start_envelope_to(Spectra(specs, limit), sink)
        wait()
        return n_out

    def push(self, x: NDArray[np.generic]) -> NDArray[np.complexfloating]:
        """Filter the next block of input; returns the complete output samples it produced.

        Returns
        -------
        ndarray, shape (n_channels, n_out)
            Complex IF output (peak volts ``× gain``, complex64 or complex128 per
            ``precision``), ``n_out`` may be 0.
        """
        return self._run(x, envelope=False)

    def push_envelope(self, x: NDArray[np.generic]) -> NDArray[np.floating]:
        """Filter as :meth:`push` does, but return the IF envelope ``|y|``.

        Returns
        -------
        ndarray, shape (n_channels, n_out), float32 or float64
            IF envelope. [V]
        """
        return self._run(x, envelope=True)

    def settled_outputs(self, n_input: int) -> tuple[int, int]:
        """Output samples ``[j_lo, j_hi)`` whose IF window lies wholly inside the record.

        Output ``j`` is the IF filter's response over input samples
        ``j · decimation - overlap … j · decimation`` (the zero-phase window, ±overlap/2
        around ``j · decimation - overlap/2``, truncated where it is below 1e-7 of its peak,
        :func:`if_duration_s`). Outputs whose window reaches before the first or after the
        last of the ``n_input`` samples see the record's start/end as a switch-on/off step,
        which splatters a strong carrier across every channel within the output bandwidth;
        a receiver reads a signal that is already present and its IF settled, so these
        outputs are not part of the measurement. ``j_lo >= j_hi`` when the record is
        shorter than the window.
        """
        j_lo = self.overlap // self.decimation
        j_hi = (int(n_input) - 1) // self.decimation + 1 if n_input > 0 else 0
        return j_lo, j_hi

    def _zeros(self, n: int) -> NDArray[np.generic]:
        """Return ``n`` zero samples of the input dtype, not allocated (a broadcast view).

        A flush pads up to two steps with them: 80 MB in Band A at 64 MS/s.
        """
        return np.broadcast_to(np.zeros(1, self.layout.in_dtype), (n,))

    def _flush_pad(self) -> tuple[int, int]:
        pending = self._n - self.overlap
        n = pending + self.overlap // 2
        n_out = -(-n // self.decimation)
        n_pad = (-(-n // self.step)) * self.step - pending
        return n_out, n_pad

    def flush(self) -> NDArray[np.complexfloating]:
        """Process what is left and the IF delay line (zero input) and return its outputs.

        Output sample ``j`` (counted over all pushes and the flush) is the IF envelope at
        input sample ``j · decimation - overlap/2``; the flush delivers the samples up to
        the end of the record.
        """
        n_out, n_pad = self._flush_pad()
        return self.push(self._zeros(n_pad))[:, :n_out]

    def flush_envelope(self) -> NDArray[np.floating]:
        """Flush as :meth:`flush` does, but return the IF envelope ``|y|``.

        Returns
        -------
        ndarray, shape (n_channels, n_out)
            IF envelope. [V]
        """
        n_out, n_pad = self._flush_pad()
        return self.push_envelope(self._zeros(n_pad))[:, :n_out]

    def flush_envelope_to(self, sink: EnvelopeSink) -> int:
        """Flush as :meth:`flush_envelope` does, handing the envelope to ``sink``.

        See :meth:`push_envelope_to`; returns the number of output samples per channel.
        """
        n_out, wait = self.start_envelope_to(self.flush_spectra(), sink)
        wait()
        return n_out
