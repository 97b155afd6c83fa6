"""Test the receiver on awkward records: edges, non-finite samples, band range, parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.errors import ReceiverError
from rfcheck.frequency import format_hz
from rfcheck.receiver import measure
from rfcheck.receiver.channeliser import Channeliser
from rfcheck.receiver.ifilter import if_duration_s
from rfcheck.receiver.samples import check_block

A = 1e-3 * math.sqrt(2.0)  # IQ magnitude of a 60 dBµV rms tone
DETS = ("peak", "quasi-peak", "cispr-average", "rms-average")


def _tone(fs: float, dur: float, fc: float, f0: float, dtype: type = np.complex64) -> TimeSeries:
    t = np.arange(int(round(fs * dur))) / fs
    x = (A * np.exp(2j * np.pi * (f0 - fc) * t)).astype(dtype)
    return TimeSeries(x, fs, SampleKind.IQ, center_freq_hz=fc)


def test_record_edges_do_not_splatter_a_strong_carrier() -> None:
    """60 dBµV CW, Band B: off-carrier channels read the IF model, not the switch-on step.

    Before: peak 47.0 / 39.1 / 35.5 / 31.4 / 27.7 dBµV at 1 / 2 / 3 / 5 / 10 B6.
    """
    fs, fc, b6 = 200e3, 1e6, 9e3
    ts = _tone(fs, 2.0, fc, fc + 0.123)
    offs = np.array([1, 2, 3, 5, 10]) * b6
    res = measure(ts, "B", fc + offs, ("peak", "quasi-peak", "cispr-average"))
    pk = res.readings_dbuv["peak"]
    model = 60.0 - 6.0206 * (offs / (b6 / 2)) ** 2
    assert pk[0] == pytest.approx(model[0], abs=0.05)
    # beyond 1 B6 the Gaussian is below -96 dBc; the channeliser floor is below -95 dBc
    assert np.all(pk[1:] < -35.0)
    for d in ("quasi-peak", "cispr-average"):
        assert res.readings_dbuv[d][0] == pytest.approx(model[0], abs=0.05)
        assert np.all(res.readings_dbuv[d][1:] < -55.0)


def test_settled_outputs_see_a_carrier_already_present() -> None:
    fs = 200e3
    chan = Channeliser(fs, False, np.array([0.0, 27e3]), 9e3, precision="double")
    n = 40_000
    x = np.full(n, A, np.complex128)
    y = np.concatenate([chan.push_envelope(x), chan.flush_envelope()], axis=1)
    j_lo, j_hi = chan.settled_outputs(n)
    assert j_lo * chan.decimation == chan.overlap
    assert (j_hi - 1) * chan.decimation <= n - 1 < j_hi * chan.decimation
    assert chan.overlap >= if_duration_s(9e3) * fs
    np.testing.assert_allclose(y[0, j_lo:j_hi], A, rtol=1e-6)
    assert np.max(y[1, j_lo:j_hi]) < A * 1e-4  # 3 B6 off: below -80 dBc once settled
    assert np.max(y[1, :j_lo]) > A * 1e-3  # ... but not in the switch-on transient


@pytest.mark.parametrize("block_s", [None, 0.0123, 0.5])
def test_edge_trim_is_block_size_independent(block_s: float | None) -> None:
    fs, fc = 200e3, 1e6
    ts = _tone(fs, 1.3, fc, fc + 1234.5)
    ref = measure(ts, "B", [fc, fc + 1234.5, fc + 20e3], DETS)
    got = measure(ts, "B", [fc, fc + 1234.5, fc + 20e3], DETS, block_s=block_s)
    for d in DETS:
        np.testing.assert_allclose(got.readings_dbuv[d], ref.readings_dbuv[d], atol=1e-3)


@pytest.mark.parametrize("kind", ["iq", "real"])
def test_nan_or_inf_sample_is_an_error_naming_the_sample(kind: str) -> None:
    fs = 200e3
    if kind == "iq":
        ts = _tone(fs, 0.3, 1e6, 1e6)
        x = np.array(ts.samples)
        x[12_345] = complex(np.nan, 0.0)
        ts = TimeSeries(x, fs, SampleKind.IQ, center_freq_hz=1e6)
        freqs = [1e6]
    else:
        t = np.arange(int(0.3 * 4e6)) / 4e6
        x = np.cos(2 * np.pi * 1e6 * t).astype(np.float32)
        x[700_001] = np.inf
        ts = TimeSeries(x, 4e6, SampleKind.REAL)
        freqs = [1e6]
    idx = 12_345 if kind == "iq" else 700_001
    with pytest.raises(ReceiverError, match=rf"sample {idx} .*not finite"):
        measure(ts, "B", freqs, ("peak", "cispr-average"), block_s=0.01)


def test_a_sample_too_large_for_the_arithmetic_is_an_error_not_a_null_reading() -> None:
    ts = _tone(200e3, 0.3, 1e6, 1e6)
    x = np.array(ts.samples)
    x[20_000] = complex(3e37, 0.0)  # finite in float32, but its power overflows
    ts = TimeSeries(x, 200e3, SampleKind.IQ, center_freq_hz=1e6)
    with pytest.raises(
        ReceiverError, match=r"sample 20000 .*magnitude 3e\+37 in the file's own .*above the 1e\+12"
    ):
        measure(ts, "B", [1e6], ("peak", "quasi-peak"), block_s=0.01)


@pytest.mark.parametrize(("band", "fc", "f"), [("B", 30e6, 30.04e6), ("A", 20e3, 5e3)])
def test_frequency_outside_band_strict_raises_default_warns(band: str, fc: float, f: float) -> None:
    ts = _tone(100e3, 0.2, fc, fc)
    with pytest.raises(ReceiverError, match=rf"{f:.10g} Hz is outside band {band} "):
        measure(ts, band, [f], ("peak",), strict_band=True)
    res = measure(ts, band, [f], ("peak",))
    assert any("outside the band" in w for w in res.warnings)


@pytest.mark.parametrize(
    ("band", "fc", "f"), [("B", 30e6, 30e6), ("B", 150e3, 150e3), ("A", 120e3, 150e3)]
)
def test_band_edges_are_inclusive(band: str, fc: float, f: float) -> None:
    res = measure(_tone(100e3, 0.2, fc, f), band, [f], ("peak",), strict_band=True)
    assert res.readings_dbuv["peak"][0] == pytest.approx(60.0, abs=0.05)


@pytest.mark.parametrize("block_s", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_block_s(block_s: float) -> None:
    with pytest.raises(ReceiverError, match="block_s"):
        measure(_tone(100e3, 0.05, 1e6, 1e6), "B", [1e6], ("peak",), block_s=block_s)


@pytest.mark.parametrize("vpu", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_volts_per_unit(vpu: float) -> None:
    ts = _tone(100e3, 0.05, 1e6, 1e6)
    ts = TimeSeries(
        ts.samples, ts.sample_rate_hz, SampleKind.IQ, center_freq_hz=1e6, volts_per_unit=vpu
    )
    with pytest.raises(ReceiverError, match="volts_per_unit"):
        measure(ts, "B", [1e6], ("peak",))


@pytest.mark.parametrize(
    "samples",
    [np.ones((1000, 2), np.int16), np.ones(1000, np.float32), np.ones((2, 1000), np.complex64)],
)
def test_iq_must_be_1d_complex(samples: np.ndarray) -> None:
    ts = TimeSeries(samples, 100e3, SampleKind.IQ, center_freq_hz=1e6)
    with pytest.raises(ReceiverError, match=r"IQ samples must be a 1-D"):
        measure(ts, "B", [1e6], ("peak",))


@pytest.mark.parametrize("n", [1, 10, 95])
def test_record_shorter_than_if_response_is_an_error(n: int) -> None:
    ts = TimeSeries(np.ones(n, np.complex64), 200e3, SampleKind.IQ, center_freq_hz=1e6)
    with pytest.raises(
        ReceiverError, match=rf"record of {n} samples is shorter than the IF filter's response"
    ):
        measure(ts, "B", [1e6], DETS)


def test_all_zero_record_reads_minus_inf_with_warning() -> None:
    ts = TimeSeries(np.zeros(20_000, np.complex64), 200e3, SampleKind.IQ, center_freq_hz=1e6)
    res = measure(ts, "B", [1e6, 1.01e6], DETS)
    for d in DETS:
        assert np.all(np.isneginf(res.readings_dbuv[d]))
    assert any("recording is all zeros" in w for w in res.warnings)
    # a non-zero record does not warn
    res = measure(_tone(200e3, 0.1, 1e6, 1e6), "B", [1e6], ("peak",))
    assert not any("all zeros" in w for w in res.warnings)


@pytest.mark.parametrize(
    ("block", "nonzero"),
    [
        (np.zeros(5, np.float32), False),
        (np.array([0.0, -0.0, -1e-30, 0.0], np.float32), True),
        (np.zeros(3, np.complex64), False),
        (np.array([0, 1e-20j], np.complex64), True),
        (np.zeros(4, np.int16), False),
        (np.array([0, 0, -3], np.int16), True),
        (np.empty(0, np.float32), False),
    ],
)
def test_block_check_tells_whether_the_block_holds_a_nonzero_sample(
    block: np.ndarray, nonzero: bool
) -> None:
    peak = check_block(block, 0)  # the largest magnitude
    assert (peak > 0) is nonzero
    assert peak == (float(np.max(np.abs(block.astype(np.complex128)))) if block.size else 0.0)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_block_check_names_the_first_nonfinite_sample_of_a_real_block(bad: float) -> None:
    x = np.zeros(10, np.float32)
    x[7] = bad
    with pytest.raises(ReceiverError, match=r"^sample 107 of the recording is not finite"):
        check_block(x, 100)


def test_count_clipped_counts_samples_on_the_integer_rails() -> None:
    from rfcheck.receiver.samples import count_clipped

    x = np.array([32767 + 0j, -32768 + 5j, 3 - 32768j, 32766 - 32767j, 0j], dtype=np.complex64)
    assert count_clipped(x, 32768.0) == 3
    u8 = np.array([-128.0, 127.0, 126.0, -127.0], dtype=np.float32)  # cu8 after the offset
    assert count_clipped(u8, 128.0) == 2
    assert count_clipped(np.array([1e6, -1e6]), None) == 0  # float samples: no full scale


def test_frequency_outside_the_recording_is_named_in_the_frequency_format() -> None:
    ts = _tone(200e3, 0.05, 1e6, 1e6)  # 0.9 .. 1.1 MHz
    with pytest.raises(ReceiverError) as err:
        measure(ts, "B", [1.5e6], ("peak",))
    assert err.value.message == "1.5 MHz is outside the recording's range 900 kHz .. 1.1 MHz"
    with pytest.raises(ReceiverError) as err:
        measure(ts, "B", [1e6, 1.5e6, 1.6e6, 2e6], ("peak",))
    assert err.value.message.endswith("1.1 MHz; so are 2 more of the frequencies")


def test_frequency_within_one_b6_of_an_iq_edge_is_refused() -> None:
    """The IF tuned near +fs/2 read a CW near -fs/2 (circular FFT).

    A -40 dBm CW 1 kHz inside the lower edge of 0.875-1.125 MHz read 56.3 dBµV at 1.12 MHz
    and 66.3 dBµV at 1.1245 MHz, labelled measured, with a warning that said "truncated".
    """
    ts = _tone(250e3, 0.05, 1e6, 0.876e6)
    for f in (1.12e6, 1.1245e6, 0.88e6):
        with pytest.raises(ReceiverError) as err:
            measure(ts, "B", [1e6, f], ("peak",))
        assert err.value.message == (
            f"{format_hz(f, digits=10)} is within one B6 (9 kHz, band B) of the recording's "
            "edge (875 kHz .. 1.125 MHz): the I/Q spectrum wraps round there and the IF would "
            "read the opposite edge; it measures 884 kHz .. 1.116 MHz"
        )
    with pytest.raises(ReceiverError) as err:
        measure(ts, "B", [0.88e6, 1e6, 1.12e6, 1.124e6], ("peak",))
    assert err.value.message.endswith("1.116 MHz; so are 2 more of the frequencies")
    # one B6 inside the edge (the default scan's outermost points) is measured: the tone,
    # 10 kHz away through the wrap, reads 29.7 dB down there, as a tone 1 kHz beyond the
    # upper edge would (sampled I/Q cannot tell them apart)
    res = measure(ts, "B", [0.884e6, 1.116e6], ("peak",))
    assert res.readings_dbuv["peak"][1] == pytest.approx(
        20 * math.log10(A / math.sqrt(2) / 1e-6) - 6.0206 * (2 * 10 / 9) ** 2, abs=0.1
    )
    assert not res.warnings


def test_frequency_within_one_b6_of_nyquist_is_refused_in_a_real_recording() -> None:
    fs = 2e6
    t = np.arange(int(fs * 0.01)) / fs
    ts = TimeSeries((A * np.cos(2 * np.pi * 0.995e6 * t)).astype(np.float32), fs, SampleKind.REAL)
    with pytest.raises(ReceiverError) as err:
        measure(ts, "B", [0.995e6], ("peak",))
    assert err.value.message == (
        "995 kHz is within one B6 (9 kHz, band B) of the recording's edge (0 Hz .. 1 MHz): the "
        "spectrum of real samples is mirrored at fs/2 and the IF would read the mirror; it "
        "measures 0 Hz .. 991 kHz"
    )
    measure(ts, "B", [0.991e6], ("peak",))  # one B6 below fs/2: measured


def test_clipping_message_counts_one_sample_in_the_singular() -> None:
    from rfcheck.receiver.scan import clipping_message

    ts = _tone(200e3, 0.05, 1e6, 1e6)
    assert clipping_message(ts, 1).startswith(f"1 of {ts.n_samples} samples sits at the integer")
    assert clipping_message(ts, 2).startswith(f"2 of {ts.n_samples} samples sit at the integer")


def test_messages_name_band_cd_as_c_slash_d() -> None:
    """It said "too narrow for CISPR band CD's ..."; outputs name the band C/D."""
    from rfcheck.cispr import get_band
    from rfcheck.receiver.tuning import too_narrow_message

    text = too_narrow_message(_tone(200e3, 0.01, 100e6, 100e6), get_band("CD"))
    assert "too narrow for CISPR band C/D's 0.12 MHz measurement bandwidth" in text
    res = measure(_tone(1e6, 0.05, 100e6, 100e6), "CD", [100e6], ("quasi-peak",))
    (settle,) = res.warnings
    assert "band C/D needs to settle" in settle
    assert not any("band CD" in w for w in res.warnings)
