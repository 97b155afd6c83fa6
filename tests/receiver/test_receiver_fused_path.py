"""The channel-chunk path (channeliser → detectors in the worker threads) reads as the block path.

* :meth:`Channeliser.push_envelope_to` hands every channel exactly once per push, with the
  values :meth:`Channeliser.push_envelope` returns, whatever the block split;
* :func:`rfcheck.receiver.measure` reads bit-identically through the chunk path (each
  block's channels queued while the next block's FFTs run) and through the whole-block
  path (:func:`rfcheck.receiver.bank.push_all`).
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from numpy.typing import NDArray

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.errors import ReceiverError
from rfcheck.receiver import channel_layout, channeliser, measure, stream
from rfcheck.receiver._kernels import HAVE_NUMBA, as_lanes, rows_of, start_rows
from rfcheck.receiver.channeliser import Channeliser

needs_numba = pytest.mark.skipif(not HAVE_NUMBA, reason="numba not importable")


class _Rows:
    """A sink that keeps each channel's envelope of one push, checking every row comes once."""

    def __init__(self) -> None:
        self.got: dict[int, NDArray[np.floating]] = {}
        self._lock = threading.Lock()

    def __call__(self, lo: int, hi: int, env: NDArray[np.floating]) -> None:
        with self._lock:
            for r in range(lo, hi):
                assert r not in self.got  # every channel once per push
                self.got[r] = env[r - lo].copy()


def _collect(ch: Channeliser, blocks: list[NDArray[np.float32]]) -> NDArray[np.floating]:
    """Envelope of every push + flush through the sink."""
    parts = []
    for x in [*blocks, None]:
        sink = _Rows()
        n = ch.push_envelope_to(x, sink) if x is not None else ch.flush_envelope_to(sink)
        if n:
            assert sorted(sink.got) == list(range(ch.n_channels))
            parts.append(np.array([sink.got[r] for r in range(ch.n_channels)]))
            assert parts[-1].shape == (ch.n_channels, n)
        else:
            assert not sink.got
    return np.concatenate(parts, axis=1)


@pytest.mark.parametrize("cuts", [(), (123_457,), (1, 50_000, 50_001, 333_333)])
def test_push_envelope_to_equals_push_envelope(
    monkeypatch: pytest.MonkeyPatch, cuts: tuple[int, ...]
) -> None:
    monkeypatch.setattr(channeliser, "_SINK_CHUNK_VALUES", 3 * 64)  # several chunks per thread
    fs = 2.0e6
    x = np.random.default_rng(9).standard_normal(400_000).astype(np.float32)
    freqs = np.linspace(30_000.0, 900_000.0, 23)
    whole = Channeliser(fs, True, freqs, 9e3)
    want = np.concatenate([whole.push_envelope(x), whole.flush_envelope()], axis=1)
    edges = [0, *cuts, x.shape[0]]
    blocks = [x[a:b] for a, b in zip(edges[:-1], edges[1:], strict=True)]
    got = _collect(Channeliser(fs, True, freqs, 9e3), blocks)
    np.testing.assert_array_equal(got, want)


@needs_numba
@pytest.mark.parametrize("block_s", [None, 0.0123])
def test_chunk_path_reads_exactly_as_block_path(
    monkeypatch: pytest.MonkeyPatch, block_s: float | None
) -> None:
    rng = np.random.default_rng(4)
    fs, n = 1.0e6, 420_000
    t = np.arange(n) / fs
    x = 1e-4 * rng.standard_normal(n) + 3e-2 * np.cos(2 * np.pi * 200_123.0 * t)
    x[::10_000] += 0.05
    ts = TimeSeries(x, fs, SampleKind.REAL)
    freqs = np.linspace(150_000.0, 480_000.0, 75)
    dets = ("peak", "quasi-peak", "cispr-average", "rms-average")
    chunked = measure(ts, "B", freqs, dets, block_s=block_s)
    monkeypatch.setattr(stream, "rows_ready", lambda _bank: False)
    whole = measure(ts, "B", freqs, dets, block_s=block_s)
    for d in dets:
        np.testing.assert_array_equal(chunked.readings_dbuv[d], whole.readings_dbuv[d], d)


@needs_numba
@pytest.mark.parametrize("real_input", [True, False])
def test_fused_kernel_envelope_matches_scipy_fft(
    monkeypatch: pytest.MonkeyPatch, real_input: bool
) -> None:
    """The lane-parallel FFT kernel vs scipy's FFT + abs, channels near DC and both edges."""
    fs, n = 1.0e6, 300_000
    rng = np.random.default_rng(12)
    x = rng.standard_normal(n) + (0 if real_input else 1j * rng.standard_normal(n))
    x = x.astype(np.float32 if real_input else np.complex64)
    f = np.array([3_000.0, 40_000.0, 250_000.0, 333_333.3, 497_000.0])
    f = f if real_input else np.concatenate([f - 500e3, f[:-1]])  # IQ: -497 .. +333 kHz
    outs = []
    for have in (True, False):
        monkeypatch.setattr(channel_layout, "HAVE_NUMBA", have)
        ch = Channeliser(fs, real_input, f, 9e3)
        assert (ch.layout.lanes is not None) is have
        outs.append(np.concatenate([ch.push_envelope(x), ch.flush_envelope()], axis=1))
    fused, ref = outs
    np.testing.assert_allclose(fused, ref, rtol=1e-4, atol=1e-6 * ref.max())


@needs_numba
@pytest.mark.parametrize(("dtype", "tol"), [(np.float32, 1e-6), (np.float64, 1e-14)])
def test_real_spectrum_from_the_half_length_fft_equals_rfft(
    dtype: type[np.floating], tol: float
) -> None:
    """The one-sided spectrum built from the packed half-length FFT is scipy's rfft."""
    import scipy.fft as sfft

    from rfcheck.receiver._ifkernels import real_spectrum

    n = 2 * 3 * 5 * 2025  # even, 5-smooth, like the channeliser's FFT lengths
    x = np.random.default_rng(3).standard_normal(n).astype(dtype)
    x[::97] += 40.0  # a large DC and spread component, and ...
    x += (3.0 * np.cos(2 * np.pi * 0.25 * np.arange(n))).astype(dtype)  # ... one at fs/4
    cdt = np.complex64 if dtype == np.float32 else np.complex128
    tw = np.exp(-2j * np.pi * np.arange(n // 2 + 1) / n).astype(cdt)
    z = sfft.fft(x.view(cdt))
    want = np.fft.rfft(x.astype(np.float64))
    got: NDArray[np.complexfloating] = np.empty(n // 2 + 1, cdt)
    real_spectrum(z, tw, 0, got)
    err = float(np.abs(got - want).max())
    assert err <= tol * float(np.abs(want).max())
    if dtype == np.float32:  # no worse than scipy's own single-precision real FFT (x 2)
        assert err <= 2 * float(np.abs(sfft.rfft(x) - want).max())
    # a window of the bins (the channels' only) holds the same values as the whole spectrum
    for k0, k1 in ((0, 40), (1, 700), (n // 4 - 3, n // 4 + 3), (n // 2 - 50, n // 2 + 1)):
        part: NDArray[np.complexfloating] = np.empty(k1 - k0, cdt)
        real_spectrum(z, tw[k0:k1], k0, part)
        np.testing.assert_array_equal(part, got[k0:k1])


@needs_numba
def test_fused_path_does_not_make_the_complex_weights() -> None:
    """The fused kernel reads real weights: the complex ones are made only when asked for."""
    fs = 1.0e6
    x = np.random.default_rng(5).standard_normal(200_000).astype(np.float32)
    f = np.array([40_000.0, 250_000.0, 497_000.0])
    ch = Channeliser(fs, True, f, 9e3)
    assert ch.layout.lanes is not None
    ch.push_envelope(x)
    ch.flush_envelope()
    assert "weights" not in vars(ch.layout)
    # made on first use (the scipy path's gather): H, the output scale and the causal delay
    parts, m = ch.layout.weight_parts(), ch.nfft
    delay = np.exp(-2j * np.pi * parts.bins * (ch.overlap // 2) / m)
    want = (parts.resp * parts.scale * delay).astype(np.complex64)
    np.testing.assert_array_equal(ch.layout.weights, want)
    assert ch.layout.weights is ch.layout.weights


def test_gain_outside_the_fused_range_keeps_the_envelope_finite() -> None:
    """|y|² would overflow float32 in the fused kernel; the overflow-safe path takes over."""
    fs = 1.0e6
    t = np.arange(200_000) / fs
    x = (1e12 * np.cos(2 * np.pi * 100_000.0 * t)).astype(np.float32)
    ch = Channeliser(fs, True, np.array([100_000.0]), 9e3, gain=1e7)
    assert ch.layout.lanes is None
    env = ch.push_envelope(x)[:, 40:]
    assert np.all(np.isfinite(env))
    np.testing.assert_allclose(env, 1e19, rtol=1e-3)


def test_started_rows_cover_every_row_once_and_the_wait_reraises() -> None:
    seen: list[tuple[int, int]] = []
    lock = threading.Lock()

    def record(lo: int, hi: int) -> None:
        with lock:
            seen.append((lo, hi))

    start_rows(1000, record, min_rows=10, parts=8)()
    rows = sorted(r for lo, hi in seen for r in range(lo, hi))
    assert rows == list(range(1000))
    assert len(seen) == 8

    def fail(lo: int, hi: int) -> None:
        if lo == 0:
            raise ValueError("task failed")

    wait = start_rows(100, fail, min_rows=10, parts=4)
    with pytest.raises(ValueError, match="task failed"):
        wait()


@needs_numba
def test_bad_sample_in_a_later_block_is_an_error_while_the_previous_block_is_queued() -> None:
    """The pipelined stream refuses a NaN found while the previous block's channels run."""
    fs, n = 1.0e6, 420_000
    x = 1e-4 * np.random.default_rng(5).standard_normal(n)
    x[300_001] = np.nan
    ts = TimeSeries(x, fs, SampleKind.REAL)
    freqs = np.linspace(150_000.0, 480_000.0, 75)
    with pytest.raises(ReceiverError, match=r"sample 300001 .*not finite"):
        measure(ts, "B", freqs, ("peak", "quasi-peak", "cispr-average"), block_s=0.1)


@pytest.mark.parametrize("n_ch", [1, 15, 16, 17, 41])
def test_lanes_layout_round_trips_and_pads_with_zeros(n_ch: int) -> None:
    e = np.random.default_rng(n_ch).random((n_ch, 37)).astype(np.float32)
    lanes = as_lanes(e)
    assert lanes.shape == (-(-n_ch // 16), 37, 16)
    for c in range(n_ch):
        np.testing.assert_array_equal(lanes[c // 16, :, c % 16], e[c])
    assert not lanes[-1, :, (n_ch - 1) % 16 + 1 :].any()  # padding lanes of the last block
    np.testing.assert_array_equal(rows_of(lanes, n_ch), e)


@needs_numba
def test_lanes_sink_reads_exactly_as_the_row_sink(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stream's lanes-last hand-over (no transposed copy) reads as the row-major one."""
    rng = np.random.default_rng(8)
    fs, n = 1.0e6, 300_000
    x = 1e-4 * rng.standard_normal(n) + 3e-2 * np.cos(2 * np.pi * 211_111.0 * np.arange(n) / fs)
    x[::7_000] += 0.05
    ts = TimeSeries(x, fs, SampleKind.REAL)
    freqs = np.linspace(150_000.0, 480_000.0, 37)  # two full lane blocks and a partial one
    dets = ("peak", "quasi-peak", "cispr-average", "rms-average")
    lanes = measure(ts, "B", freqs, dets, block_s=0.05)
    start = channeliser.Channeliser.start_envelope_to
    monkeypatch.setattr(
        channeliser.Channeliser,
        "start_envelope_to",
        lambda self, spectra, sink, lanes_sink=None: start(self, spectra, sink, None),
    )
    rows = measure(ts, "B", freqs, dets, block_s=0.05)
    for d in dets:
        np.testing.assert_array_equal(lanes.readings_dbuv[d], rows.readings_dbuv[d], d)
