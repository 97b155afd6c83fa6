"""The receiver's signal path: recording blocks through the IF filter bank into the detectors.

:func:`front_end` builds the IF stage for the tuned frequencies (a
:class:`~rfcheck.receiver.channeliser.Channeliser`, or nothing for an ENVELOPE series),
:func:`detector_bank` the detectors, and :func:`stream` reads the recording block by block
and pushes it through both. Only IF outputs whose window lies wholly inside the record are
detected (:meth:`~rfcheck.receiver.channeliser.Channeliser.settled_outputs`).

With compiled detectors each chunk of channels goes from the channeliser to the detectors
while its envelope is still in the cache, in the channeliser's worker threads
(:meth:`~rfcheck.receiver.channeliser.Channeliser.start_envelope_to`,
:func:`~rfcheck.receiver.bank.push_lanes`): no (channels × samples) envelope block is held,
and both CPUs share the whole path. The blocks are pipelined: while one block's channels
run in the workers, the next block is read and checked and its FFTs are queued behind them
(:meth:`~rfcheck.receiver.channeliser.Channeliser.push_spectra`); its channels start once the
previous block's are done. The numpy reference detectors take the whole envelope block
(:func:`~rfcheck.receiver.bank.push_all`). Both give the same readings: every channel sees
the same samples in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..capture import SampleKind, TimeSeries
from ..cispr import BandSpec
from ..errors import ReceiverError
from ..frequency import format_hz
from ._kernels import no_wait
from .bank import AnyDetector, advance, push_all, push_lanes, push_rows, rows_ready
from .channeliser import QUEUE_BYTES, Channeliser, Spectra
from .describe import band_label
from .detectors import (
    CisprAverageDetector,
    PeakDetector,
    QuasiPeakDetector,
    RmsAverageDetector,
)
from .edges import EdgeEvent, EdgeWatch, ObservedSpan
from .ifilter import if_duration_s
from .samples import check_block, count_clipped, drop_mapped_pages, envelope_volts
from .started import StartWatch

__all__ = [
    "BLOCK_BYTES",
    "FrontEnd",
    "Streamed",
    "block_samples",
    "front_end",
    "detector_bank",
    "stream",
]

#: Bytes of the recording read and handed to the channeliser at once, by default: one fill
#: of its input queue (2 Mi float32 samples, 1 Mi complex64). The block read, the queue and
#: a block's spectra scale with it, not with the record's length or sample rate. [B]
BLOCK_BYTES = QUEUE_BYTES


def block_samples(ts: TimeSeries, block_s: float | None) -> int:
    """Return the samples per block: ``block_s`` [s] of them, else :data:`BLOCK_BYTES`' worth."""
    if block_s is not None:
        return max(1, int(round(block_s * float(ts.sample_rate_hz))))
    itemsize = np.dtype(getattr(ts.samples, "dtype", np.float64)).itemsize
    return max(1, BLOCK_BYTES // int(itemsize))


@dataclass(frozen=True)
class Streamed:
    """What :func:`stream` found in the samples while reading them.

    ``nonzero``: some sample is non-zero; ``clipped_samples``: samples on an integer type's
    rails (:func:`~rfcheck.receiver.samples.count_clipped`); ``peak``: the largest sample
    magnitude [sample units]; ``edge_events``: events in the record's edge spans that the
    observed span cannot account for (:mod:`rfcheck.receiver.edges`).
    """

    nonzero: bool
    clipped_samples: int
    peak: float = 0.0
    edge_events: tuple[EdgeEvent, ...] = ()


@dataclass(frozen=True)
class FrontEnd:
    """What turns input blocks into detector input.

    The IF channeliser (None for an ENVELOPE series, which is its own detector input), its
    output rate [Hz] and the range of output indices whose IF window lies inside the record.
    """

    chan: Channeliser | None
    rate_hz: float
    settled: tuple[int, int]
    n_channels: int

    def edge_samples(self, n_input: int) -> tuple[int, int]:
        """Return ``(lo_end, hi_start)``: the observed span is samples ``[lo_end, hi_start)``.

        Output ``j`` is the IF's response over input samples ``j · decimation - overlap ..
        j · decimation``; an event at sample ``e`` is read in full when every output whose
        window holds it is settled (``j_lo <= j < j_hi``): from ``(j_lo - 1) · decimation +
        1`` to ``j_hi · decimation - overlap - 1``, about one IF response in from each end
        (an impulse 0.26 ms into a Band B record, inside the half response
        stated before, read QP 1.9 dB low). An ENVELOPE series is observed whole.
        """
        if self.chan is None:
            return 0, n_input
        j_lo, j_hi = self.settled
        dec = self.chan.decimation
        lo_end = max(0, (j_lo - 1) * dec + 1)
        return lo_end, max(lo_end, min(n_input, j_hi * dec - self.chan.overlap))

    def start_watch(self, n_input: int, spec: BandSpec) -> StartWatch:
        """Return the :class:`~rfcheck.receiver.started.StartWatch` of a record of ``n_input``.

        Its start window is the first IF response of settled outputs (an ENVELOPE series:
        :func:`~rfcheck.receiver.ifilter.if_duration_s` of the band's B6), its late window
        the second half of them.
        """
        if self.chan is None:
            first, stop = 0, n_input
            n_first = int(math.ceil(if_duration_s(spec.rbw_hz) * self.rate_hz))
        else:
            first, stop = self.settled
            n_first = -(-self.chan.overlap // self.chan.decimation)
        return StartWatch(self.n_channels, first, n_first, (first + stop) // 2, stop)

    def observed_span(self, n_input: int, fs_hz: float) -> ObservedSpan:
        """Return the span of the record whose events the detectors read in full."""
        lo_end, hi_start = self.edge_samples(n_input)
        return ObservedSpan(lo_end / fs_hz, max(lo_end, hi_start - 1) / fs_hz, n_input / fs_hz)


def front_end(
    ts: TimeSeries,
    spec: BandSpec,
    freqs: NDArray[np.float64],
    precision: str,
    warnings: list[str],
) -> FrontEnd:
    """Build the IF stage for ``freqs``; check they lie in the recording and their IF fits in it."""
    fs = float(ts.sample_rate_hz)
    if ts.kind is SampleKind.ENVELOPE:
        if not np.allclose(freqs, ts.center_freq_hz):
            raise ReceiverError("an ENVELOPE series can only be read at its tuned frequency")
        if ts.rbw_hz is not None and abs(ts.rbw_hz / spec.rbw_hz - 1) > 0.1:
            warnings.append(
                f"envelope RBW {ts.rbw_hz:g} Hz differs from band {band_label(spec.name)} "
                f"B6 {spec.rbw_hz:g} Hz; readings are not CISPR-weighted"
            )
        return FrontEnd(None, fs, (0, 0), freqs.shape[0])
    lo, hi = ts.band_hz
    outside = np.flatnonzero((freqs < lo) | (freqs > hi))
    if outside.shape[0]:
        k = outside.shape[0] - 1
        more = f"; so {'is' if k == 1 else 'are'} {k} more of the frequencies" if k else ""
        raise ReceiverError(
            f"{format_hz(float(freqs[outside[0]]), digits=10)} is outside the recording's "
            f"range {format_hz(lo, digits=10)} .. {format_hz(hi, digits=10)}{more}"
        )
    check_fits(ts, spec, freqs)
    rel = freqs - (ts.center_freq_hz if ts.kind is SampleKind.IQ else 0.0)
    chan = Channeliser(
        fs,
        ts.kind is SampleKind.REAL,
        rel,
        spec.rbw_hz,
        gain=float(ts.volts_per_unit),
        precision=precision,
    )
    n_total = ts.n_samples
    if n_total - 1 < chan.overlap:
        raise ReceiverError(
            f"record of {n_total} samples is shorter than the IF filter's response, "
            f"{chan.overlap / fs:.3g} s (band {band_label(spec.name)}, B6 {spec.rbw_hz:g} Hz)"
        )
    return FrontEnd(chan, chan.out_rate_hz, chan.settled_outputs(n_total), freqs.shape[0])


def check_fits(ts: TimeSeries, spec: BandSpec, freqs: NDArray[np.float64]) -> None:
    """Refuse frequencies within one B6 of the recording's edge: their IF does not fit in it.

    The channeliser reads a recording's spectrum as the FFT holds it: an I/Q recording's
    spectrum is circular (beyond +fs/2 lies -fs/2), a real one's is mirrored at fs/2. An IF
    tuned within one B6 of such an edge reads the recording's opposite edge (I/Q: a CW 1 kHz
    inside the lower edge read 66.3 dBµV at 0.5 kHz inside the upper one, 56.3 dBµV at
    5 kHz) or the mirror image, with its skirt 6 dB down at B6/2 cut by the edge.
    One B6 is the margin the default scan keeps (:func:`~rfcheck.receiver.default_frequencies`):
    there the opposite edge lies at least one B6 from the tuned frequency, 24 dB down the
    Gaussian IF.

    Raises
    ------
    ReceiverError
        Naming the first such frequency, the recording's range and the range the receiver
        measures (a real recording: its upper edge only).
    """
    lo, hi = ts.band_hz
    b6 = spec.rbw_hz
    near = freqs > hi - b6
    if ts.kind is SampleKind.IQ:
        near |= freqs < lo + b6
    bad = np.flatnonzero(near)
    if not bad.shape[0]:
        return
    k = bad.shape[0] - 1
    more = f"; so {'is' if k == 1 else 'are'} {k} more of the frequencies" if k else ""
    if ts.kind is SampleKind.IQ:
        why = "the I/Q spectrum wraps round there and the IF would read the opposite edge"
        usable = (lo + b6, hi - b6)
    else:
        why = "the spectrum of real samples is mirrored at fs/2 and the IF would read the mirror"
        usable = (lo, hi - b6)
    where = (
        f"it measures {format_hz(usable[0], digits=10)} .. {format_hz(usable[1], digits=10)}"
        if usable[1] >= usable[0]
        else "no frequency of it fits"
    )
    raise ReceiverError(
        f"{format_hz(float(freqs[bad[0]]), digits=10)} is within one B6 "
        f"({format_hz(b6, digits=10)}, band {band_label(spec.name)}) of the recording's edge "
        f"({format_hz(lo, digits=10)} .. {format_hz(hi, digits=10)}): {why}; {where}{more}"
    )


def detector_bank(
    dets: Sequence[str],
    n_ch: int,
    rate_hz: float,
    spec: BandSpec,
    qp_law: str,
    backend: str | None,
) -> dict[str, AnyDetector]:
    """Return one detector per name, over ``n_ch`` channels.

    The detectors run at the IF output rate ``rate_hz`` [Hz]; ``qp_law`` is the quasi-peak
    charge law of the band (:class:`~rfcheck.receiver.detectors.QuasiPeakDetector`).
    """
    bank: dict[str, AnyDetector] = {}
    for d in dets:
        if d == "peak":
            bank[d] = PeakDetector(n_ch, backend)
        elif d == "quasi-peak":
            bank[d] = QuasiPeakDetector(
                n_ch,
                rate_hz,
                spec.tau_charge_s,
                spec.tau_discharge_s,
                spec.tau_meter_s,
                qp_law,
                backend,
            )
        elif d == "cispr-average":
            bank[d] = CisprAverageDetector(n_ch, rate_hz, spec.tau_meter_s, backend)
        else:
            bank[d] = RmsAverageDetector(
                n_ch, rate_hz, spec.tau_meter_s, spec.rms_corner_hz, backend
            )
    return bank


class _Feed:
    """Hands IF output to the detectors, only the outputs whose IF window is settled.

    Counts the IF outputs produced so far; with compiled detectors it also holds the
    previous block's queued channel stage, so that block's channels finish while the next
    block's FFTs run.
    """

    def __init__(
        self, front: FrontEnd, bank: Sequence[AnyDetector], start: StartWatch | None = None
    ) -> None:
        self.front = front
        self.bank = bank
        self.start = start
        self.n_out = 0  # IF output samples produced so far
        self.pending: tuple[int, Callable[[], None]] = (0, no_wait)

    def settled(self, n: int) -> tuple[int, int]:
        """Columns of the next ``n`` outputs whose IF window lies inside the record."""
        if self.front.chan is None:
            return 0, n
        j_lo, j_hi = self.front.settled
        return min(n, max(0, j_lo - self.n_out)), min(n, max(0, j_hi - self.n_out))

    def feed(self, env: NDArray[np.floating]) -> None:
        """Push a whole envelope block (all channels) into the detectors."""
        a, b = self.settled(env.shape[1])
        if b > a and self.start is not None:
            self.start.see(env, self.n_out, a, b, 0, env.shape[0])
        self.n_out += env.shape[1]
        if b > a:
            push_all(self.bank, env[:, a:b])

    def sink(self, lo: int, hi: int, env: NDArray[np.floating]) -> None:
        """Push channels ``lo:hi`` of the current block (from a worker thread)."""
        a, b = self.settled(env.shape[1])
        if b > a:
            if self.start is not None:
                self.start.see(env, self.n_out, a, b, lo, hi)
            push_rows(self.bank, env[:, a:b], lo, hi)

    def lanes_sink(self, lo: int, hi: int, env: NDArray[np.float32]) -> None:
        """Push channels ``lo:hi`` given lanes last (from a worker thread)."""
        a, b = self.settled(env.shape[1])
        if b > a:
            if self.start is not None:
                self.start.see_lanes(env, self.n_out, a, b, lo, hi)
            push_lanes(self.bank, env[:, a:b], lo, hi)

    def finish_channels(self) -> None:
        """Wait for the queued channel stage, then move the detectors' counters on."""
        n, wait = self.pending
        self.pending = (0, no_wait)
        wait()
        a, b = self.settled(n)
        self.n_out += n
        if b > a:
            advance(self.bank, b - a)

    def then_channels(self, chan: Channeliser, spectra: Spectra) -> None:
        """Finish the previous block's channel stage, then queue this block's."""
        self.finish_channels()
        self.pending = chan.start_envelope_to(spectra, self.sink, self.lanes_sink)


def stream(
    ts: TimeSeries,
    front: FrontEnd,
    bank: Sequence[AnyDetector],
    block_s: float | None,
    start_watch: StartWatch | None = None,
) -> Streamed:
    """Push the recording block by block through the front end into every detector.

    Returns whether some sample is non-zero, the largest magnitude, how many sit on an
    integer type's rails and the events in the edge spans (:class:`Streamed`; all found in
    the same read of each block). ``start_watch``, when given, sees every settled envelope block
    (:class:`~rfcheck.receiver.started.StartWatch`).
    """
    chan = front.chan
    by_rows = chan is not None and rows_ready(bank)
    out = _Feed(front, bank, start_watch)
    fs = float(ts.sample_rate_hz)
    block = block_samples(ts, block_s)
    peak = 0.0
    clipped = 0
    watch = EdgeWatch(*front.edge_samples(ts.n_samples), fs) if chan is not None else None
    try:
        for start in range(0, ts.n_samples, block):
            x = np.asarray(ts.samples[start : start + block])
            block_peak = check_block(x, start)
            peak = max(peak, block_peak)
            if watch is not None:
                watch.see(x, start, block_peak)
            if ts.kind is not SampleKind.ENVELOPE:
                clipped += count_clipped(x, ts.full_scale)
            if chan is None:
                out.feed(np.broadcast_to(envelope_volts(ts, x), (front.n_channels, x.shape[0])))
            elif by_rows:
                # this block's FFTs run while the previous block's channels finish
                out.then_channels(chan, chan.push_spectra(x))
            else:
                out.feed(chan.push_envelope(x))
            drop_mapped_pages(ts.samples, start, start + block)
        if chan is not None and by_rows:
            out.then_channels(chan, chan.flush_spectra())
            out.finish_channels()
        elif chan is not None:
            out.feed(chan.flush_envelope())
    finally:
        out.pending[1]()  # no task outlives the call, even when a block is refused
    events = watch.events() if watch is not None else ()
    return Streamed(peak > 0, clipped, peak, events)
