"""I/Q recordings whose metadata contradict what rfcheck reads.

- F1: real samples are the RF waveform itself (0 Hz .. fs/2): a centre stated above fs/2
  (SigMF ``core:frequency``, iq-tar UserData, ``check --center-freq``) would make them a real
  IF, judged at frequencies never measured; it is refused. One in (0, fs/2] is noted.
- F2: every capture segment must start inside the data, not only ``captures[1]``.
- F3: metadata declaring processed data products are not time samples; the ``core:version``
  refusal says what is expected in words.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rfcheck.capture import Capture, SampleKind, TimeSeries
from rfcheck.errors import AnalysisError, CaptureFormatError
from rfcheck.io import load_capture
from rfcheck.io import sigmf_reader as sr
from rfcheck.settings import CheckSettings

from .test_io_iq import _USER_CF, _VALUES, _encode, write_iqtar, write_sigmf

_IF_TAIL = (
    "of this real-sample recording: its samples would be a real IF or a bandpass-sampled "
    "record, which rfcheck does not read (real samples are read as the RF waveform itself, "
    "0 Hz .. fs/2); convert it to complex I/Q"
)


def _real(tmp_path: Path, centre: float | None, name: str = "rec") -> Path:
    """rf32_le at fs 1 MHz (band 0 .. 500 kHz), ``captures[0].core:frequency`` = ``centre``."""
    cap: dict[str, Any] = {"core:sample_start": 0}
    if centre is not None:
        cap["core:frequency"] = centre
    return write_sigmf(tmp_path, name, _encode("rf32_le", _VALUES), "rf32_le", captures=[cap])


# --- F1: a real recording's stated centre ----------------------------------------------


@pytest.mark.parametrize("centre", [100e6, 500_001.0])
def test_sigmf_real_samples_centred_above_half_the_sample_rate_are_refused(
    tmp_path: Path, centre: float
) -> None:
    meta = _real(tmp_path, centre)
    with pytest.raises(CaptureFormatError) as err:
        load_capture(meta)
    stated = "100 MHz" if centre == 100e6 else "500.001 kHz"
    assert str(err.value) == (
        f"{meta}: captures[0].core:frequency {stated} is above fs/2 = 500 kHz {_IF_TAIL} "
        "(a c* core:datatype) centred on its true frequency"
    )


@pytest.mark.parametrize("centre", [500e3, 250e3])
def test_sigmf_real_samples_centred_within_their_band_are_read_with_a_note(
    tmp_path: Path, centre: float
) -> None:
    cap = load_capture(_real(tmp_path, centre))
    (ts,) = cap.time_series
    assert ts.kind is SampleKind.REAL and ts.center_freq_hz == 0.0
    assert [w for w in cap.warnings if "core:frequency" in w] == [
        f"captures[0].core:frequency {centre / 1e3:g} kHz lies within this real-sample "
        "recording's band 0 Hz .. fs/2 = 500 kHz: the samples are read as the RF waveform "
        "itself (0 Hz baseband), at the frequencies sampled"
    ]


@pytest.mark.parametrize("centre", [0.0, None])
def test_sigmf_real_samples_at_0_hz_or_without_a_centre_need_no_note(
    tmp_path: Path, centre: float | None
) -> None:
    cap = load_capture(_real(tmp_path, centre))
    assert cap.time_series[0].kind is SampleKind.REAL
    assert not [w for w in cap.warnings if "core:frequency" in w]


def test_sigmf_real_samples_with_a_negative_centre_are_refused(tmp_path: Path) -> None:
    meta = _real(tmp_path, -1e3)
    with pytest.raises(CaptureFormatError, match="centre frequency is negative"):
        load_capture(meta)


def test_iqtar_real_samples_centred_above_half_the_sample_rate_are_refused(
    tmp_path: Path,
) -> None:
    frames = np.arange(4, dtype="<f4")
    path = write_iqtar(tmp_path / "r.iq.tar", frames.tobytes(), samples=4, fmt="real")  # 900 MHz
    with pytest.raises(CaptureFormatError) as err:
        load_capture(path)
    assert str(err.value) == (
        f"{path}: iq-tar UserData centre frequency 900 MHz is above fs/2 = 500 kHz {_IF_TAIL} "
        "(Format complex) centred on its true frequency"
    )
    inside = write_iqtar(
        tmp_path / "in.iq.tar",
        frames.tobytes(),
        samples=4,
        fmt="real",
        user=_USER_CF.format(cf="500000"),
    )
    assert load_capture(inside).time_series[0].kind is SampleKind.REAL


def _real_series(fs: float = 400e3) -> Capture:
    t = np.arange(int(0.05 * fs)) / fs
    return Capture(
        time_series=(TimeSeries(1e-3 * np.cos(2 * np.pi * 100e3 * t), fs, SampleKind.REAL),)
    )


def test_check_centre_above_half_the_sample_rate_of_a_real_recording_is_refused() -> None:
    from rfcheck.verdict import traces_to_judge

    with pytest.raises(AnalysisError) as err:
        traces_to_judge(_real_series(), CheckSettings(center_frequency_hz=1e6))
    assert err.value.message == (
        f"centre frequency 1 MHz stated for check is above fs/2 = 200 kHz {_IF_TAIL} "
        "centred on its true frequency"
    )


# --- F2: every capture segment starts inside the data ----------------------------------


@pytest.mark.parametrize(
    ("starts", "k"),
    [((0, 64), 1), ((0, 10, 64), 2), ((0, 10, 20, 1000), 3), ((0, 10, 70), 2)],
)
def test_sigmf_a_later_segment_at_or_past_the_end_of_the_data_is_refused(
    tmp_path: Path, starts: tuple[int, ...], k: int
) -> None:
    caps = [{"core:sample_start": s, "core:frequency": 10e6} for s in starts]
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le", captures=caps)
    with pytest.raises(CaptureFormatError) as err:
        load_capture(meta)
    assert err.value.message == (
        f"captures[{k}].core:sample_start {starts[k]} is past the end of the data, which holds "
        "64 samples (0..63)"
    )


def test_sigmf_segments_inside_the_data_are_read(tmp_path: Path) -> None:
    caps = [{"core:sample_start": s, "core:frequency": 10e6} for s in (0, 10, 63)]
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le", captures=caps)
    assert load_capture(meta).time_series[0].n_samples == 10


# --- F3: processed data products; the version in words ----------------------------------

_PRODUCTS = [
    {"name": "power_spectral_density", "y_units": "dBm/Hz", "length": 625},
    {"name": "time_series_power", "y_units": "dBm", "length": 400},
]


def test_sigmf_declaring_processed_data_products_is_refused(tmp_path: Path) -> None:
    meta = write_sigmf(
        tmp_path,
        "sea",
        _encode("rf32_le", _VALUES),
        "rf32_le",
        captures=[{"core:sample_start": 0}],
        extra_global={"ntia-algorithm:data_products": _PRODUCTS},
    )
    with pytest.raises(CaptureFormatError) as err:
        load_capture(meta)
    assert str(err.value) == (
        f"{meta}: holds processed data products, not time samples: global "
        "ntia-algorithm:data_products (the ntia-algorithm extension) lists "
        "power_spectral_density, time_series_power; rfcheck reads recorded time samples only"
    )


def test_sigmf_an_empty_data_products_list_declares_none(tmp_path: Path) -> None:
    meta = write_sigmf(
        tmp_path,
        "rec",
        _encode("rf32_le", _VALUES),
        "rf32_le",
        captures=[{"core:sample_start": 0}],
        extra_global={"ntia-algorithm:data_products": []},
    )
    assert load_capture(meta).time_series[0].kind is SampleKind.REAL


@pytest.mark.parametrize("fast", [True, False])
def test_sigmf_version_refusal_says_what_is_expected_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    if not fast:  # the sigmf package's schema pass says it the same way
        monkeypatch.setattr(sr, "FAST_SCHEMA_MAX_BYTES", 10)
    meta = write_sigmf(
        tmp_path,
        "rec",
        _encode("cf32_le", _VALUES),
        "cf32_le",
        extra_global={"core:version": "v1.0.0"},
    )
    with pytest.raises(CaptureFormatError) as err:
        load_capture(meta)
    assert err.value.message == (
        "invalid SigMF metadata at global/core:version: 'v1.0.0' is not a version like 1.0.0 "
        "(numbers only: MAJOR.MINOR.PATCH)"
    )
    assert json.loads(meta.read_text())["global"]["core:version"] == "v1.0.0"
