"""The channeliser keeps only the bins its channels read, in buffers bounded by a byte budget."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.fft as sfft
from numpy.typing import NDArray

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.receiver import channeliser, measure, spectrum_window
from rfcheck.receiver.channel_layout import channel_layout
from rfcheck.receiver.channeliser import Channeliser
from rfcheck.receiver.spectrum_window import CHUNK_BYTES, FourStep
from rfcheck.receiver.stream import BLOCK_BYTES, block_samples


def _segment(nfft: int, real: bool) -> NDArray[np.generic]:
    rng = np.random.default_rng(nfft)
    x = rng.standard_normal(nfft) + (0 if real else 1j * rng.standard_normal(nfft))
    x += 30.0 * np.cos(2 * np.pi * 0.3 * np.arange(nfft))  # a strong tone far from the window
    return x.astype(np.float32 if real else np.complex64)


NFFT = 2 * 3 * 5**4 * 8  # 30,000: 5-smooth like the channeliser's segments


@pytest.mark.parametrize(
    ("real", "first", "n"),
    [
        (True, 1_000, 400),  # within the one-sided spectrum
        (True, -70, 300),  # below 0 Hz: read by conjugate symmetry
        (True, NFFT // 2 - 100, 300),  # across nfft/2
        (False, 5_000, 400),
        (False, -150, 300),  # across 0 Hz of an I/Q spectrum
    ],
)
def test_four_step_window_is_the_whole_spectrum_at_those_bins(
    monkeypatch: pytest.MonkeyPatch, real: bool, first: int, n: int
) -> None:
    """The window computed by branches reads within single-precision rounding of the FFT.

    No worse than twice the largest error of scipy's own single-precision FFT of the
    segment (whose rounding scales with the strong tone outside the window).
    """
    in_dtype = np.float32 if real else np.complex64
    x = _segment(NFFT, real)
    exact = np.fft.fft(x.astype(np.complex128))
    tol = 2 * float(np.abs(sfft.fft(x) - exact).max())
    want = exact[np.mod(np.arange(first, first + n), NFFT)]
    for budget, by_branches in ((64 << 10, True), (1 << 30, False)):
        monkeypatch.setattr(spectrum_window, "CHUNK_BYTES", budget)
        win = spectrum_window.spectrum_window(first, n, NFFT, real, in_dtype, np.complex64, True)
        assert (win.four_step is not None) is by_branches
        if win.four_step is not None:  # several chunks of branches, the last one shorter
            assert win.four_step.p % win.four_step.cols and win.four_step.p > win.four_step.cols
        got: NDArray[np.complexfloating] = np.empty(n, np.complex64)
        win.transform(x, got)
        assert float(np.abs(got - want).max()) <= tol


@pytest.mark.parametrize("real", [True, False])
def test_band_a_buffers_do_not_grow_with_the_sample_rate(real: bool) -> None:
    """Per segment, Band A keeps its channels' bins and transforms in chunks of the budget.

    A segment is 128 IF outputs (0.18 s) at any rate, 11.7 M samples at 64 MS/s and 47 M at
    256 MS/s; the spectrum kept of it is the window of its channels' bins (9-150 kHz), the
    same at every rate, and where its whole spectrum would exceed the budget it is never
    computed: each chunk of branches transforms at most :data:`CHUNK_BYTES`.
    """
    freqs = np.arange(9e3, 150e3 + 1, 100.0)
    kept = []
    for fs in (2e6, 64e6, 256e6):
        lay = channel_layout(fs, real, freqs if real else freqs - 1e5, 200.0)
        win = lay.window
        kept.append(win.n * np.dtype(lay.cdtype).itemsize)
        whole = (lay.nfft // 2 + 1 if real else lay.nfft) * np.dtype(lay.cdtype).itemsize
        if whole <= CHUNK_BYTES:
            continue
        four = win.four_step
        assert four is not None, fs
        rows = four.q // 2 + 1 if real else four.q
        assert rows * four.cols * np.dtype(lay.cdtype).itemsize <= CHUNK_BYTES
        assert four.p * four.q == lay.nfft
    assert lay.nfft * np.dtype(lay.in_dtype).itemsize > 10 * CHUNK_BYTES  # 256 MS/s
    assert max(kept) <= 1.1 * min(kept) and max(kept) < 256 << 10


def test_a_block_longer_than_the_queue_enters_it_in_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The input queue keeps its size however long the pushed block, and reads the same.

    Band A at 64 MS/s had held its segment (11.7 M samples) and a whole block (4 Mi), and
    the old and the new array each time the queue grew.
    """
    monkeypatch.setattr(channeliser, "QUEUE_BYTES", 1 << 20)
    fs = 1.0e6
    x = (1e-3 * np.random.default_rng(4).standard_normal(4_000_000)).astype(np.float32)
    freqs = np.array([200_123.0, 250e3])
    chan = Channeliser(fs, True, freqs, 9e3)
    queue = channeliser.queue_samples(chan.nfft, np.float32)
    assert queue == (1 << 20) // 4
    tracemalloc.start()
    whole = chan.push_spectra(x).values  # 16 MB, 16x the queue, in one push
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert chan._buf.shape[0] == queue
    assert peak < x.nbytes // 2  # the spectra (3 MB), no copy of the block
    pieces = Channeliser(fs, True, freqs, 9e3)
    parts = [
        pieces.push_spectra(x[i : i + 30_000]).values.copy() for i in range(0, 4_000_000, 30_000)
    ]
    np.testing.assert_array_equal(np.concatenate(parts), whole)


@pytest.mark.parametrize(
    ("dtype", "kind"), [(np.float32, SampleKind.REAL), (np.complex64, SampleKind.IQ)]
)
def test_the_default_block_is_a_byte_budget(dtype: type[np.generic], kind: SampleKind) -> None:
    """A stream block holds BLOCK_BYTES of samples at any rate; ``block_s`` overrides it."""
    for fs in (1e6, 64e6, 1e9):
        ts = TimeSeries(np.zeros(10, dtype), fs, kind, center_freq_hz=0.0)
        assert block_samples(ts, None) * np.dtype(dtype).itemsize == BLOCK_BYTES
        assert block_samples(ts, 0.01) == round(0.01 * fs)


def test_band_a_reads_the_same_with_the_window_computed_by_branches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Band A readings with the four-step window and with the whole FFT agree to 0.001 dB."""
    fs = 2.0e6
    n = int(0.7 * fs)
    rng = np.random.default_rng(9)
    t = np.arange(n) / fs
    x = 1e-5 * rng.standard_normal(n) + 2e-3 * np.cos(2 * np.pi * 60_050.0 * t)
    x[:: int(fs / 50)] += 0.5  # 50 Hz impulses
    ts = TimeSeries(x.astype(np.float32), fs, SampleKind.REAL)
    freqs = np.array([55e3, 60e3, 60_050.0, 65e3])
    readings = []
    for budget in (256 << 10, 1 << 30):
        monkeypatch.setattr(spectrum_window, "CHUNK_BYTES", budget)
        lay = channel_layout(fs, True, freqs, 200.0)
        assert (lay.window.four_step is not None) is (budget < 1 << 30)
        readings.append(measure(ts, "A", freqs).readings_dbuv)
    for d, ref in readings[1].items():
        np.testing.assert_allclose(readings[0][d], ref, atol=1e-3, err_msg=d)


def test_a_plan_that_would_cost_more_than_the_fft_is_not_made() -> None:
    """A window wider than nfft / P is left to the whole FFT (weighting would cost more)."""
    nfft = 2**10 * 3**4
    assert FourStep.plan(np.arange(0, nfft // 2), nfft, True, 4, 8) is None
    assert FourStep.plan(np.arange(0, 100), nfft, True, 4, 8) is not None
