"""Receiver model: block-size independence, bounded memory, API behaviour."""

from __future__ import annotations

import math
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from rfcheck.capture import Detector, SampleKind, TimeSeries
from rfcheck.errors import ReceiverError
from rfcheck.receiver import (
    BANDS,
    band_for_frequency,
    default_frequencies,
    measure,
    scan_traces,
)
from rfcheck.units import LevelUnit


def _noisy_real(duration_s: float, fs: float = 1.0e6, seed: int = 1) -> TimeSeries:
    rng = np.random.default_rng(seed)
    n = int(duration_s * fs)
    t = np.arange(n) / fs
    x = 1e-4 * rng.standard_normal(n) + 2e-3 * np.cos(2 * np.pi * 200_123.0 * t)
    x[:: int(fs / 100)] += 0.05  # 100 Hz impulses
    return TimeSeries(x, fs, SampleKind.REAL)


def test_block_size_does_not_change_readings() -> None:
    ts = _noisy_real(0.6)
    f = np.array([200_123.0, 250_000.0, 333_333.3])
    ref = measure(ts, "B", f, block_s=None)
    for block_s in (0.0123, 0.1, 0.37):
        other = measure(ts, "B", f, block_s=block_s)
        for d in ref.readings_dbuv:
            np.testing.assert_allclose(other.readings_dbuv[d], ref.readings_dbuv[d], atol=0.01)


def test_memory_does_not_grow_with_record_length(tmp_path: Path) -> None:
    fs = 1.0e6
    peaks = []
    for seconds in (1.0, 4.0):
        path = tmp_path / f"r{seconds}.f32"
        mm = np.lib.format.open_memmap(
            path, mode="w+", dtype=np.float32, shape=(int(seconds * fs),)
        )
        mm[:] = 1e-3
        mm.flush()
        ro = np.load(path, mmap_mode="r")
        ts = TimeSeries(ro, fs, SampleKind.REAL)
        tracemalloc.start()
        measure(ts, "B", [200e3, 300e3], ("peak", "cispr-average"), block_s=0.05)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.3 * peaks[0] + 1e6


def test_the_channeliser_reads_no_block_after_its_push() -> None:
    """A block is copied in, never held as a view: its memory-mapped pages are released.

    The stream releases a block's pages once the push returns (``drop_mapped_pages``); a
    step longer than the block (Band A at 64 MS/s) kept views of several blocks and read
    them again at the next push, so ``check`` held 1.5 GB of a 2.5 GB file resident.
    Overwriting each block after its push must not change the output.
    """
    from rfcheck.receiver.channeliser import Channeliser

    fs = 1.0e6
    x = _noisy_real(0.3, fs).samples.astype(np.float32)
    outs = []
    for scribble in (False, True):
        chan = Channeliser(fs, True, np.array([200_123.0, 250e3]), 9e3)
        block = chan.step // 3  # a segment completes every third push
        parts = []
        for start in range(0, x.shape[0], block):
            b = x[start : start + block].copy()
            parts.append(chan.push_envelope(b))
            if scribble:
                b[:] = np.nan  # what a released and re-read page would no longer hold
        parts.append(chan.flush_envelope())
        outs.append(np.concatenate(parts, axis=1))
    np.testing.assert_array_equal(outs[1], outs[0])


def test_short_record_warns_with_minimum_length() -> None:
    fs = 36e3
    ts = TimeSeries(np.ones(int(0.3 * fs), complex), fs, SampleKind.IQ, center_freq_hz=1e6)
    res = measure(ts, "B", [1e6])
    qp_warn = [w for w in res.warnings if w.startswith("quasi-peak")]
    assert qp_warn and "1.61 s" in qp_warn[0]


def test_bands_and_lookup() -> None:
    assert BANDS["B"].rbw_hz == 9e3 and BANDS["CD"].tau_discharge_s == 0.55
    assert "quasi-peak" not in BANDS["E"].detectors
    assert band_for_frequency(150e3) == "B"
    assert band_for_frequency(149_999.0) == "A"
    assert band_for_frequency(30e6) == "C"
    assert band_for_frequency(1e9) == "E"
    with pytest.raises(ReceiverError):
        band_for_frequency(5e3)
    with pytest.raises(ReceiverError):
        measure(_noisy_real(0.01), "E", [2e5], ("quasi-peak",))
    with pytest.raises(ReceiverError):
        measure(_noisy_real(0.01), "B", [9e6])


def test_default_frequencies_and_scan_traces() -> None:
    ts = _noisy_real(0.05, fs=400e3)
    f = default_frequencies(ts, "B")
    assert f[0] == 150e3 and np.allclose(np.diff(f), 4.5e3) and f[-1] <= 200e3 - 9e3
    traces = scan_traces(ts, ("peak", "cispr-average"))
    assert [t.detector for t in traces] == [Detector.PEAK, Detector.CISPR_AVERAGE]
    pk = traces[0]
    assert pk.unit is LevelUnit.DBUV and pk.dwell_s == pytest.approx(0.05)
    assert np.all(np.diff(pk.freq_hz) > 0) and pk.freq_hz[0] < 150e3 < pk.freq_hz[-1]
    assert pk.rbw_hz is None  # spans Band A (200 Hz) and Band B (9 kHz)
    assert np.all(traces[0].level >= traces[1].level - 1e-9)


def test_envelope_series() -> None:
    fs = 36e3
    lv = np.full(int(1.2 * fs), 60.0)
    ts = TimeSeries(
        lv, fs, SampleKind.ENVELOPE, center_freq_hz=1e6, unit=LevelUnit.DBUV, rbw_hz=9e3
    )
    res = measure(ts, "B")
    for d, v in res.readings_dbuv.items():
        assert v[0] == pytest.approx(60.0, abs=0.05), d
    assert math.isclose(res.duration_s, 1.2)
