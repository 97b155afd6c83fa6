"""Receiver fast paths read the same as their references (no timing assertions here).

* compiled (numba) detectors vs the numpy reference detectors;
* single-precision channeliser vs double precision, with 60 dB between channels;
* the numba gather vs the numpy ``take`` gather (the path used without numba);
* the channeliser's output rate is right-sized (5-smooth decimation, not a power of two).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.receiver import _kernels, channel_layout, detectors, measure
from rfcheck.receiver._kernels import HAVE_NUMBA
from rfcheck.receiver.bank import push_all
from rfcheck.receiver.channeliser import Channeliser
from rfcheck.receiver.detectors import (
    CisprAverageDetector,
    PeakDetector,
    QuasiPeakDetector,
    RmsAverageDetector,
)

needs_numba = pytest.mark.skipif(not HAVE_NUMBA, reason="numba not importable")

FREQS = np.array([40_000.0, 150_000.0, 200_123.0, 250_000.0, 333_333.3, 451_000.0])


def _noisy_real(duration_s: float, fs: float = 1.0e6, seed: int = 7) -> TimeSeries:
    """Noise, a strong tone, a weak tone 60 dB down and 100 Hz impulses."""
    rng = np.random.default_rng(seed)
    n = int(duration_s * fs)
    t = np.arange(n) / fs
    x = (
        1e-5 * rng.standard_normal(n)
        + 2e-2 * np.cos(2 * np.pi * 200_123.0 * t)
        + 2e-5 * np.cos(2 * np.pi * 333_333.3 * t)
    )
    x[:: int(fs / 100)] += 0.05
    return TimeSeries(x, fs, SampleKind.REAL)


@needs_numba
def test_numba_detectors_match_numpy_reference_end_to_end() -> None:
    ts = _noisy_real(0.4)
    fast = measure(ts, "B", FREQS, backend="numba")
    ref = measure(ts, "B", FREQS, backend="numpy")
    for d in ref.readings_dbuv:
        np.testing.assert_allclose(
            fast.readings_dbuv[d], ref.readings_dbuv[d], atol=0.01, err_msg=d
        )


@needs_numba
@pytest.mark.parametrize("splits", [(1,), (7, 300, 1), (2, 2, 2, 5000)])
def test_detector_kernels_match_reference_on_noise(splits: tuple[int, ...]) -> None:
    """Rayleigh envelope (noise through the IF) with bursts; odd block splits."""
    rng = np.random.default_rng(3)
    n_ch, n, rate = 37, 12_000, 33_333.3
    env = np.abs(rng.standard_normal((n_ch, n)) + 1j * rng.standard_normal((n_ch, n)))
    env[:, 3000:3100] *= 30.0
    env *= np.logspace(-6, -1, n_ch)[:, None]
    env = env.astype(np.float32)
    made: dict[str, list[NDArray[np.float64]]] = {}
    for backend in ("numba", "numpy"):
        dets: list[PeakDetector | QuasiPeakDetector | CisprAverageDetector | RmsAverageDetector] = [
            PeakDetector(n_ch, backend),
            QuasiPeakDetector(n_ch, rate, 1e-3, 0.16, 0.16, "diode", backend),
            QuasiPeakDetector(n_ch, rate, 45e-3, 0.5, 0.16, "linear", backend),
            CisprAverageDetector(n_ch, rate, 0.16, backend),
            RmsAverageDetector(n_ch, rate, 0.16, 100.0, backend),
        ]
        edges = np.cumsum((0, *splits))
        edges = np.append(edges[edges < n], n)
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            for det in dets:
                det.push(env[:, a:b])
        made[backend] = [20 * np.log10(det.reading()) for det in dets]
    for fast, ref in zip(made["numba"], made["numpy"], strict=True):
        np.testing.assert_allclose(fast, ref, atol=0.01)


@needs_numba
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("splits", [(1,), (7, 300, 1), (2, 2, 2, 5000), (1, 2, 1, 3, 1, 2)])
def test_fused_peak_qp_average_kernel_equals_separate_kernels(
    monkeypatch: pytest.MonkeyPatch, splits: tuple[int, ...], ties: bool
) -> None:
    """push_all's one-pass kernel gives bit-identical readings to the three separate pushes.

    Also with the envelope on a coarse grid, so that maxima tie (the first one counts, its
    neighbours read before and after a block edge) and blocks of one and two samples.
    """
    calls = []
    kernel = _kernels.qp_cav_peak  # the module detectors imports as ``_k``

    def counted(*args: object) -> object:
        calls.append(1)
        return kernel(*args)

    monkeypatch.setattr(_kernels, "qp_cav_peak", counted)
    rng = np.random.default_rng(11)
    n_ch, n, rate = 41, 9_000, 31_604.9
    env = np.abs(rng.standard_normal((n_ch, n)) + 1j * rng.standard_normal((n_ch, n)))
    env[:, 2000:2050] *= 40.0
    env = (env * np.logspace(-6, -1, n_ch)[:, None]).astype(np.float32)
    if ties:
        step = env.max(axis=1, keepdims=True) / 8
        env = (np.round(env / step) * step).astype(np.float32)
    made = []
    for fused in (True, False):
        dets = (
            PeakDetector(n_ch, "numba"),
            QuasiPeakDetector(n_ch, rate, 1e-3, 0.16, 0.16, "diode", "numba"),
            CisprAverageDetector(n_ch, rate, 0.16, "numba"),
            RmsAverageDetector(n_ch, rate, 0.16, 100.0, "numba"),
        )
        edges = np.cumsum((0, *splits))
        edges = np.append(edges[edges < n], n)
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            if fused:
                push_all(dets, env[:, a:b])
            else:
                for det in dets:
                    det.push(env[:, a:b])
        made.append([det.reading() for det in dets])
    assert len(calls) >= len(splits)  # the fused kernel ran
    for got, want in zip(made[0], made[1], strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(("tau_c", "tau_d", "law"), sorted(detectors._QP_CONSTANTS))
def test_precomputed_qp_constants_equal_the_solver(tau_c: float, tau_d: float, law: str) -> None:
    assert (
        detectors.qp_diode_constants(tau_c, tau_d, law)
        == detectors._QP_CONSTANTS[(tau_c, tau_d, law)]
    )
    assert detectors.solve_qp_constants(tau_c, tau_d, law) == pytest.approx(
        detectors._QP_CONSTANTS[(tau_c, tau_d, law)], rel=1e-12, abs=0
    )


def test_precomputed_qp_constants_cover_every_band_with_qp() -> None:
    from rfcheck.receiver import BANDS
    from rfcheck.receiver.scan import _QP_LAW

    for name, spec in BANDS.items():
        if spec.has_qp:
            key = (spec.tau_charge_s, spec.tau_discharge_s, _QP_LAW.get(name, "diode"))
            assert key in detectors._QP_CONSTANTS, name


def test_single_precision_matches_double() -> None:
    ts = _noisy_real(0.3)
    single = measure(ts, "B", FREQS, ("peak", "cispr-average", "rms-average"))
    double = measure(ts, "B", FREQS, ("peak", "cispr-average", "rms-average"), precision="double")
    for d in single.readings_dbuv:
        np.testing.assert_allclose(
            single.readings_dbuv[d], double.readings_dbuv[d], atol=0.001, err_msg=d
        )


@pytest.mark.parametrize("real_input", [True, False])
def test_numpy_gather_matches_numba_gather(
    monkeypatch: pytest.MonkeyPatch, real_input: bool
) -> None:
    """Channels near DC use the two-sided spectrum; both gathers give the same IF output."""
    fs, n = 1.0e6, 150_000
    rng = np.random.default_rng(5)
    x = rng.standard_normal(n) + (0 if real_input else 1j * rng.standard_normal(n))
    f = np.array([3_000.0, 40_000.0, 250_000.0]) - (0.0 if real_input else 200e3)
    outs = []
    for have in (HAVE_NUMBA, False):
        monkeypatch.setattr(channel_layout, "HAVE_NUMBA", have)
        ch = Channeliser(fs, real_input, f, 9e3, precision="double")
        y = np.concatenate([ch.push(x[:70_001]), ch.push(x[70_001:]), ch.flush()], axis=1)
        outs.append(y)
    np.testing.assert_allclose(outs[0], outs[1], rtol=0, atol=1e-12 * np.abs(outs[1]).max())


def test_envelope_output_equals_abs_of_complex_and_is_block_independent() -> None:
    fs = 2.0e6
    x = np.random.default_rng(9).standard_normal(400_000).astype(np.float32)
    a = Channeliser(fs, True, FREQS, 9e3)
    b = Channeliser(fs, True, FREQS, 9e3)
    ya = np.abs(np.concatenate([a.push(x), a.flush()], axis=1))
    yb = np.concatenate(
        [b.push_envelope(x[:123_457]), b.push_envelope(x[123_457:]), b.flush_envelope()], axis=1
    )
    assert ya.dtype == yb.dtype == np.float32
    np.testing.assert_allclose(yb, ya, rtol=1e-5, atol=1e-6 * ya.max())


@pytest.mark.parametrize(("fs", "rbw"), [(64e6, 9e3), (1e6, 9e3), (36e3, 9e3), (2.4e9, 120e3)])
def test_output_rate_is_right_sized(fs: float, rbw: float) -> None:
    ch = Channeliser(fs, True, np.array([fs / 8]), rbw)
    d = ch.decimation
    for p in (2, 3, 5):
        while d % p == 0:
            d //= p
    assert d == 1  # 5-smooth decimation: efficient FFT sizes
    assert ch.out_rate_hz >= 3.5 * rbw
    if fs > 4 * 3.5 * rbw:
        assert ch.out_rate_hz < 1.15 * 3.5 * rbw  # not rounded up to a power-of-two rate
    assert ch.nfft == ch.k * ch.decimation and ch.k & (ch.k - 1) == 0
