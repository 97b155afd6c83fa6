"""I/Q recording readers: SigMF (sigmf_reader) and R&S iq-tar (rs_iqtar).

Fixtures are generated in tmp_path (numpy + tarfile + the sigmf package); the two real
R&S files are read from ../shared/real_captures when present.
"""

from __future__ import annotations

import io
import json
import math
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rfcheck.capture import SampleKind
from rfcheck.errors import CaptureFormatError
from rfcheck.io import detect_format, load_capture
from rfcheck.io.rs_iqtar import read_rs_iqtar
from rfcheck.io.sigmf_reader import parse_datatype, read_sigmf

# ---------------------------------------------------------------------------------------
# SigMF fixtures
# ---------------------------------------------------------------------------------------

_RNG = np.random.default_rng(1234)
_VALUES = _RNG.uniform(-0.9, 0.9, size=(64, 2))  # normalised I/Q (or real) values in ±1


def _encode(datatype: str, values: np.ndarray) -> bytes:
    """Encode normalised values (n, 2) for ``datatype`` (real types use column 0)."""
    layout = parse_datatype(datatype, Path("x"))
    comp = layout.component
    v = values if layout.is_complex else values[:, :1]
    if comp.kind == "f":
        raw = v.astype(comp)
    elif comp.kind == "i":
        raw = np.round(v * layout.full_scale).astype(comp)
    else:
        raw = np.round(v * layout.full_scale + layout.full_scale).astype(comp)
    return np.ascontiguousarray(raw).tobytes()


def _expected(datatype: str, values: np.ndarray) -> np.ndarray:
    layout = parse_datatype(datatype, Path("x"))
    v = values
    if layout.is_integer:
        v = np.round(v * layout.full_scale) / layout.full_scale
    return v[:, 0] + 1j * v[:, 1] if layout.is_complex else v[:, 0]


def write_sigmf(
    directory: Path,
    name: str,
    data: bytes,
    datatype: str,
    *,
    sample_rate: float | None = 1e6,
    captures: list[dict[str, Any]] | None = None,
    extra_global: dict[str, Any] | None = None,
) -> Path:
    """Write ``name.sigmf-data`` + ``name.sigmf-meta``; return the meta path."""
    glob: dict[str, Any] = {"core:datatype": datatype, "core:version": "1.2.0"}
    if sample_rate is not None:
        glob["core:sample_rate"] = sample_rate
    glob.update(extra_global or {})
    meta = {
        "global": glob,
        "captures": captures
        if captures is not None
        # a real recording's stated centre must lie within its band 0 .. fs/2
        else [{"core:sample_start": 0, "core:frequency": 100e6 if datatype[0] == "c" else 250e3}],
        "annotations": [],
    }
    (directory / f"{name}.sigmf-data").write_bytes(data)
    meta_path = directory / f"{name}.sigmf-meta"
    meta_path.write_text(json.dumps(meta, indent=2))
    return meta_path


@pytest.mark.parametrize(
    "datatype", ["cf32_le", "ci16_le", "rf32_le", "ri16_be", "cu8", "rf64_be", "ci8", "ru16_le"]
)
def test_sigmf_datatypes_scale_to_volts(tmp_path: Path, datatype: str) -> None:
    meta = write_sigmf(tmp_path, "rec", _encode(datatype, _VALUES), datatype)
    cap = load_capture(meta)
    assert cap.provenance is not None and cap.provenance.format == "sigmf"
    (ts,) = cap.time_series
    assert ts.n_samples == 64
    assert ts.sample_rate_hz == 1e6
    assert isinstance(ts.samples, np.memmap)
    assert not ts.samples.flags.writeable
    volts = np.asarray(ts.samples) * ts.volts_per_unit
    np.testing.assert_allclose(volts, _expected(datatype, _VALUES), rtol=1e-6, atol=1e-9)
    if datatype.startswith("c"):
        assert ts.kind is SampleKind.IQ
        assert ts.center_freq_hz == 100e6
        assert np.iscomplexobj(ts.samples)
    else:
        assert ts.kind is SampleKind.REAL
        assert ts.center_freq_hz == 0.0
        assert (  # stated within 0 .. fs/2: consistent with 0 Hz baseband, noted
            "captures[0].core:frequency 250 kHz lies within this real-sample recording's band "
            "0 Hz .. fs/2 = 500 kHz: the samples are read as the RF waveform itself (0 Hz "
            "baseband), at the frequencies sampled"
        ) in cap.warnings


def test_sigmf_int_scale_is_full_scale_convention(tmp_path: Path) -> None:
    data = np.array([16384, -32768], dtype="<i2").tobytes()
    cap = read_sigmf(write_sigmf(tmp_path, "r", data, "ri16_le"))
    ts = cap.time_series[0]
    assert ts.volts_per_unit == 2.0**-15
    assert cap.metadata["sample_unit_scale"] == repr(2.0**-15)
    np.testing.assert_allclose(np.asarray(ts.samples) * ts.volts_per_unit, [0.5, -1.0])


def test_sigmf_zero_copy_for_native_layouts(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le")
    ts = read_sigmf(meta).time_series[0]
    assert isinstance(ts.samples, np.memmap)
    assert Path(str(ts.samples.filename)).name == "rec.sigmf-data"


def test_sigmf_either_path_and_archive(tmp_path: Path) -> None:
    import sigmf

    x = (np.exp(2j * np.pi * 0.01 * np.arange(100)) * 0.5).astype(np.complex64)
    rec = sigmf.fromarray(x)
    rec.sample_rate = 2e6
    rec.add_capture(
        0, metadata={sigmf.FREQUENCY_KEY: 915e6, sigmf.DATETIME_KEY: "2024-05-01T12:00:00Z"}
    )
    rec.set_global_field("core:hw", "Test SDR rev B")
    rec.tofile(tmp_path / "pair")
    rec.tofile(tmp_path / "arch.sigmf")
    for path in (
        tmp_path / "pair.sigmf-meta",
        tmp_path / "pair.sigmf-data",
        tmp_path / "arch.sigmf",
    ):
        assert detect_format(path).name == "sigmf"
        cap = load_capture(path)
        ts = cap.time_series[0]
        np.testing.assert_array_equal(np.asarray(ts.samples), x)
        assert ts.center_freq_hz == 915e6
        assert ts.sample_rate_hz == 2e6
        assert cap.timestamp == "2024-05-01T12:00:00Z"
        assert cap.instrument.model == "Test SDR rev B"
        assert cap.warnings == ()


def test_sigmf_json_head_sniffed_without_extension(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le")
    other = tmp_path / "rec.json"
    other.write_bytes(meta.read_bytes())
    (tmp_path / "rec.sigmf-data").rename(tmp_path / "rec.json.sigmf-data")
    assert detect_format(other).name == "sigmf"
    with pytest.raises(CaptureFormatError, match="rec.sigmf-data not found"):
        load_capture(other)
    (tmp_path / "rec.json.sigmf-data").rename(tmp_path / "rec.sigmf-data")
    assert load_capture(other).time_series[0].n_samples == 64


def test_sigmf_volts_per_unit_extension_key(tmp_path: Path) -> None:
    ext = {"core:extensions": [{"name": "rfcheck", "version": "0.1.0", "optional": True}]}
    meta = write_sigmf(
        tmp_path,
        "rec",
        _encode("ci16_le", _VALUES),
        "ci16_le",
        extra_global={**ext, "rfcheck:volts_per_unit": 0.25},
    )
    cap = read_sigmf(meta)
    ts = cap.time_series[0]
    assert ts.volts_per_unit == pytest.approx(0.25 / 32768)
    assert cap.warnings == ()  # declared extension: no validation note
    assert cap.metadata["volts_per_unit_source"] == "rfcheck:volts_per_unit"


def test_sigmf_undeclared_extension_is_a_note_not_a_python_warning(tmp_path: Path) -> None:
    meta = write_sigmf(
        tmp_path,
        "rec",
        _encode("cf32_le", _VALUES),
        "cf32_le",
        extra_global={"rfcheck:volts_per_unit": 2.0},
    )
    cap = read_sigmf(meta)  # filterwarnings=error would fail here on a leaked warning
    assert cap.time_series[0].volts_per_unit == 2.0
    assert any("undeclared extensions" in w for w in cap.warnings)


def test_sigmf_unknown_centre_is_nan_with_note(tmp_path: Path) -> None:
    meta = write_sigmf(
        tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le", captures=[{"core:sample_start": 0}]
    )
    cap = read_sigmf(meta)
    assert math.isnan(cap.time_series[0].center_freq_hz)
    assert cap.metadata["center_freq"] == "unknown"
    assert any("--center-freq" in w for w in cap.warnings)


def test_sigmf_every_segment_is_a_series_of_its_own(tmp_path: Path) -> None:
    caps: list[dict[str, Any]] = [
        {"core:sample_start": 0, "core:frequency": 10e6},
        {"core:sample_start": 40, "core:frequency": 20e6},
        {"core:sample_start": 50},  # no frequency: the previous segment's
    ]
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le", captures=caps)
    cap = read_sigmf(meta)
    assert [ts.name for ts in cap.time_series] == ["Segment 1", "Segment 2", "Segment 3"]
    assert [ts.n_samples for ts in cap.time_series] == [40, 10, 14]
    assert [ts.center_freq_hz for ts in cap.time_series] == [10e6, 20e6, 20e6]
    whole = np.asarray(
        read_sigmf(write_sigmf(tmp_path, "one", _encode("cf32_le", _VALUES), "cf32_le"))
        .time_series[0]
        .samples
    )
    joined = np.concatenate([np.asarray(ts.samples) for ts in cap.time_series])
    assert np.array_equal(joined, whole)  # every sample, in order, once
    assert any("3 capture segments: each is measured on its own" in w for w in cap.warnings)
    assert any(
        "captures[2] states no core:frequency: segment 3 is taken at" in w for w in cap.warnings
    )
    assert cap.metadata["captures"] == "3"


def test_sigmf_too_many_segments_are_refused_not_judged_in_part(tmp_path: Path) -> None:
    caps = [{"core:sample_start": k, "core:frequency": 10e6} for k in range(65)]
    meta = write_sigmf(
        tmp_path,
        "rec",
        _encode("cf32_le", np.concatenate([_VALUES, _VALUES])),
        "cf32_le",
        captures=caps,
    )
    with pytest.raises(CaptureFormatError, match="65 capture segments; rfcheck measures at most"):
        read_sigmf(meta)


def test_sigmf_first_segment_starting_late_is_noted(tmp_path: Path) -> None:
    caps = [{"core:sample_start": 10, "core:frequency": 10e6}]
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le", captures=caps)
    cap = read_sigmf(meta)
    assert cap.time_series[0].n_samples == 54
    assert (
        "captures[0].core:sample_start is 10: the first 10 samples of the data come before "
        "the first capture segment and are not used" in cap.warnings
    )


@pytest.mark.parametrize(
    ("starts", "message"),
    [
        ((64,), "captures[0].core:sample_start 64 is past the end of the data, which holds 64"),
        ((0, 65), "captures[1].core:sample_start 65 is past the end of the data, which holds 64"),
        (
            (40, 40),
            "captures[1].core:sample_start 40 is not after captures[0].core:sample_start 40: "
            "capture segment 0 holds no sample",
        ),
    ],
)
def test_sigmf_segment_outside_the_data_is_refused_in_words(
    tmp_path: Path, starts: tuple[int, ...], message: str
) -> None:
    caps = [{"core:sample_start": s, "core:frequency": 10e6} for s in starts]
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le", captures=caps)
    with pytest.raises(CaptureFormatError) as err:
        read_sigmf(meta)
    assert err.value.message.startswith(message)


def test_sigmf_multichannel_gives_one_series_per_channel(tmp_path: Path) -> None:
    frames = np.arange(30, dtype="<f4")  # 10 frames x 3 channels, real, interleaved
    meta = write_sigmf(
        tmp_path, "rec", frames.tobytes(), "rf32_le", extra_global={"core:num_channels": 3}
    )
    cap = read_sigmf(meta)
    assert [ts.name for ts in cap.time_series] == ["Channel 1", "Channel 2", "Channel 3"]
    for ch, ts in enumerate(cap.time_series):
        np.testing.assert_array_equal(np.asarray(ts.samples), frames[ch::3])
    assert "recording has 3 channels: one time series each" in cap.warnings


def test_sigmf_header_and_trailing_bytes(tmp_path: Path) -> None:
    body = np.arange(8, dtype="<f4").tobytes()
    data = b"HDR!" * 4 + body + b"TAIL"
    meta = write_sigmf(
        tmp_path,
        "rec",
        data,
        "rf32_le",
        captures=[{"core:sample_start": 0, "core:header_bytes": 16}],
        extra_global={"core:trailing_bytes": 4},
    )
    ts = read_sigmf(meta).time_series[0]
    np.testing.assert_array_equal(np.asarray(ts.samples), np.arange(8, dtype=np.float32))


# --- bad SigMF input: one clear message naming the file --------------------------------


def test_sigmf_invalid_json(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le")
    meta.write_text('{"global": {"core:datatype": "cf32_le",\n  "core:sample_rate": }')
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(meta)
    assert str(exc.value).startswith(f"{meta}:2: invalid JSON")


@pytest.mark.parametrize("datatype", ["cf16_le", "cx32_le", "ri64_le", "cf32", "ri16", "cf32_lex"])
def test_sigmf_unsupported_datatype(tmp_path: Path, datatype: str) -> None:
    meta = write_sigmf(tmp_path, "rec", b"\0" * 64, datatype)
    with pytest.raises(CaptureFormatError, match="unsupported datatype") as exc:
        load_capture(meta)
    assert str(exc.value).startswith(str(meta))
    assert datatype in str(exc.value)


def test_sigmf_size_not_multiple_of_sample_size(tmp_path: Path) -> None:
    meta = write_sigmf(
        tmp_path, "rec", _encode("ci16_le", _VALUES)[:-2], "ci16_le"
    )  # truncated mid-sample
    with pytest.raises(
        CaptureFormatError, match="not a multiple of the sample size 4 bytes"
    ) as exc:
        load_capture(meta)
    assert str(exc.value).count("rec.sigmf-data") == 1  # the path, not again in the text
    assert str(exc.value) == (
        f"{tmp_path / 'rec.sigmf-data'}: size {4 * len(_VALUES) - 2} bytes is not a multiple "
        "of the sample size 4 bytes (ci16_le, 1 channel(s)); the file is truncated or "
        "core:datatype is wrong"
    )


def test_sigmf_missing_data_file(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path, "rec", b"", "cf32_le")
    (tmp_path / "rec.sigmf-data").unlink()
    with pytest.raises(CaptureFormatError, match="data file rec.sigmf-data not found"):
        load_capture(meta)


def test_sigmf_missing_meta_file(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le")
    meta.unlink()
    data = tmp_path / "rec.sigmf-data"
    with pytest.raises(CaptureFormatError, match="metadata file rec.sigmf-meta not found") as exc:
        load_capture(data)
    assert str(exc.value).startswith(str(data))


def test_sigmf_empty_data_and_missing_rate(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path, "rec", b"", "cf32_le")
    with pytest.raises(CaptureFormatError, match="no samples"):
        load_capture(meta)
    meta = write_sigmf(tmp_path, "r2", _encode("cf32_le", _VALUES), "cf32_le", sample_rate=None)
    with pytest.raises(CaptureFormatError, match="core:sample_rate is missing"):
        load_capture(meta)


def test_sigmf_schema_violation(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le", sample_rate="fast")  # type: ignore[arg-type]
    with pytest.raises(
        CaptureFormatError, match="invalid SigMF metadata at global/core:sample_rate"
    ):
        load_capture(meta)


def test_sigmf_compressed_archive_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.sigmf"
    bad.write_bytes(b"\x1f\x8b" + b"\0" * 600)
    with pytest.raises(CaptureFormatError, match="uncompressed SigMF archive"):
        load_capture(bad)


# ---------------------------------------------------------------------------------------
# R&S iq-tar fixtures
# ---------------------------------------------------------------------------------------

_XML = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="open_IqTar_xml_file_in_web_browser.xslt"?>
<RS_IQ_TAR_FileFormat fileFormatVersion="{version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Name>FSV-7</Name>
  <Comment>hand-made test file</Comment>
  <DateTime>2024-03-01T08:00:00</DateTime>
  <Samples>{samples}</Samples>
  <Clock unit="Hz">{clock}</Clock>
  <Format>{fmt}</Format>
  <DataType>{dtype}</DataType>
  {scaling}
  <NumberOfChannels>{channels}</NumberOfChannels>
  <DataFilename>{data_name}</DataFilename>
  {user}
  <PreviewData><ArrayOfChannel length="1"><Channel><Name>Channel 1</Name></Channel>
  </ArrayOfChannel></PreviewData>
</RS_IQ_TAR_FileFormat>
"""

_USER_CF = (
    '<UserData><RohdeSchwarz><SpectrumAnalyzer><CenterFrequency unit="Hz">'
    "{cf}</CenterFrequency></SpectrumAnalyzer></RohdeSchwarz></UserData>"
)


def write_iqtar(
    path: Path,
    data: bytes,
    *,
    version: int = 1,
    samples: int,
    clock: str = "1e+006",
    fmt: str = "complex",
    dtype: str = "float32",
    channels: int = 1,
    scaling: str | None = '<ScalingFactor unit="V">1</ScalingFactor>',
    user: str | None = None,
    xml: str | None = None,
    data_name: str | None = None,
    omit_data: bool = False,
    tar_format: int = tarfile.USTAR_FORMAT,
) -> Path:
    """Build an iq-tar: v1 layout ``File.xml`` + xslt + data, v2 layout ``rec_001.xml`` ..."""
    stem = "File" if version == 1 else "rec_001"
    data_name = data_name or f"{stem}.{fmt}.{channels}ch.{dtype}"
    if xml is None:
        xml = _XML.format(
            version=version,
            samples=samples,
            clock=clock,
            fmt=fmt,
            dtype=dtype,
            scaling=scaling or "",
            channels=channels,
            data_name=data_name,
            user=_USER_CF.format(cf="900000000.000000") if user is None else user,
        )
    members = [
        (f"{stem}.xml", xml.encode()),
        ("open_IqTar_xml_file_in_web_browser.xslt", b"<xsl/>" * 50),
    ]
    if not omit_data:
        members.append((data_name, data))
    with tarfile.open(path, "w", format=tar_format) as tar:
        for name, payload in members:
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return path


@pytest.mark.parametrize("version,tar_format", [(1, tarfile.USTAR_FORMAT), (2, tarfile.GNU_FORMAT)])
def test_iqtar_v1_v2_complex_float32(tmp_path: Path, version: int, tar_format: int) -> None:
    x = (_VALUES[:, 0] + 1j * _VALUES[:, 1]).astype(np.complex64)
    path = write_iqtar(
        tmp_path / "rec.iq.tar", x.tobytes(), version=version, samples=64, tar_format=tar_format
    )
    assert detect_format(path).name == "rs-iqtar"
    cap = load_capture(path)
    (ts,) = cap.time_series
    assert ts.kind is SampleKind.IQ
    assert ts.sample_rate_hz == 1e6
    assert ts.center_freq_hz == 900e6
    assert ts.volts_per_unit == 1.0
    assert isinstance(ts.samples, np.memmap) and not ts.samples.flags.writeable
    np.testing.assert_array_equal(np.asarray(ts.samples), x)
    assert cap.instrument.vendor == "Rohde & Schwarz" and cap.instrument.model == "FSV-7"
    assert cap.timestamp == "2024-03-01T08:00:00"
    assert cap.metadata["file_format_version"] == str(version)
    assert cap.metadata["preview_data"] == "ignored"
    assert cap.warnings == ()


def test_iqtar_int16_scaling_and_centre_spelling(tmp_path: Path) -> None:
    raw = np.array([[16384, -16384], [32767, -32768], [0, 1]], dtype="<i2")
    path = write_iqtar(
        tmp_path / "i16.iq.tar",
        raw.tobytes(),
        version=2,
        samples=3,
        dtype="int16",
        scaling='<ScalingFactor unit="V">3.0517578125e-05</ScalingFactor>',
        user=(
            '<UserData><Setup><CentreFrequency unit="MHz">433.92</CentreFrequency>'
            "</Setup></UserData>"
        ),
    )
    ts = load_capture(path).time_series[0]
    assert ts.samples.dtype == np.complex64
    volts = np.asarray(ts.samples) * ts.volts_per_unit
    np.testing.assert_allclose(volts, [0.5 - 0.5j, 32767 / 32768 - 1j, 1j / 32768])
    assert ts.center_freq_hz == pytest.approx(433.92e6)


def test_iqtar_real_and_multichannel(tmp_path: Path) -> None:
    frames = np.arange(12, dtype="<f4")  # 4 samples x 3 channels
    user = _USER_CF.format(cf="250000")  # within the real recording's band 0 .. fs/2
    path = write_iqtar(
        tmp_path / "r.iq.tar", frames.tobytes(), samples=4, fmt="real", channels=3, user=user
    )
    cap = load_capture(path)
    assert [ts.name for ts in cap.time_series] == ["Channel 1", "Channel 2", "Channel 3"]
    for ch, ts in enumerate(cap.time_series):
        assert ts.kind is SampleKind.REAL and ts.center_freq_hz == 0.0
        np.testing.assert_array_equal(np.asarray(ts.samples), frames[ch::3])
    assert any("3 channels" in w for w in cap.warnings)
    assert any(
        w.startswith("iq-tar UserData centre frequency 250 kHz lies within") for w in cap.warnings
    )


def test_iqtar_without_centre_frequency(tmp_path: Path) -> None:
    path = write_iqtar(
        tmp_path / "nocf.iq.tar", np.zeros(8, np.complex64).tobytes(), samples=8, user=""
    )
    cap = load_capture(path)
    assert math.isnan(cap.time_series[0].center_freq_hz)
    assert cap.metadata["center_freq"] == "unknown"
    assert any("--center-freq" in w for w in cap.warnings)


def test_iqtar_missing_scaling_factor_is_noted(tmp_path: Path) -> None:
    path = write_iqtar(
        tmp_path / "ns.iq.tar", np.zeros(8, np.complex64).tobytes(), samples=8, scaling=None
    )
    cap = load_capture(path)
    assert cap.time_series[0].volts_per_unit == 1.0
    assert any("ScalingFactor" in w for w in cap.warnings)


# --- bad iq-tar input ------------------------------------------------------------------


def _raises(path: Path, match: str) -> None:
    with pytest.raises(CaptureFormatError, match=match) as exc:
        load_capture(path, "rs-iqtar")
    assert str(exc.value).startswith(str(path))
    assert "\n" not in str(exc.value)


def test_iqtar_corrupt_xml(tmp_path: Path) -> None:
    xml = '<?xml version="1.0"?>\n<RS_IQ_TAR_FileFormat fileFormatVersion="2">\n<Samples>4</Sampl>'
    path = write_iqtar(tmp_path / "bad.iq.tar", b"\0" * 32, samples=4, xml=xml)
    _raises(path, "malformed XML")


def test_iqtar_truncated_data(tmp_path: Path) -> None:
    path = write_iqtar(tmp_path / "t.iq.tar", np.zeros(6, np.complex64).tobytes(), samples=8)
    _raises(path, "fewer than the 8 samples")


def test_iqtar_size_not_multiple(tmp_path: Path) -> None:
    path = write_iqtar(tmp_path / "m.iq.tar", b"\0" * 70, samples=8)
    _raises(path, "not a multiple of the sample size 8 bytes")


def test_iqtar_missing_data_member(tmp_path: Path) -> None:
    path = write_iqtar(tmp_path / "d.iq.tar", b"", samples=8, omit_data=True)
    _raises(path, "no data member 'File.complex.1ch.float32'")


@pytest.mark.parametrize(
    "fmt,dtype,match", [("polar", "float32", "polar"), ("complex", "uint16", "uint16")]
)
def test_iqtar_unsupported_layout(tmp_path: Path, fmt: str, dtype: str, match: str) -> None:
    path = write_iqtar(tmp_path / "u.iq.tar", b"\0" * 64, samples=8, fmt=fmt, dtype=dtype)
    _raises(path, f"not supported.*|{match}")


def test_iqtar_truncated_tar_file(tmp_path: Path) -> None:
    path = write_iqtar(tmp_path / "cut.iq.tar", np.zeros(64, np.complex64).tobytes(), samples=64)
    with tarfile.open(path) as tar:
        member = tar.getmember("File.complex.1ch.float32")
    path.write_bytes(path.read_bytes()[: member.offset_data + member.size - 100])  # cut in the data
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(path)
    assert str(exc.value).startswith(str(path))


def test_iqtar_sniff_needs_the_signature(tmp_path: Path) -> None:
    plain = tmp_path / "plain.tar"
    with tarfile.open(plain, "w") as tar:
        info = tarfile.TarInfo("notes.xml")
        payload = b"<notes/>"
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    with pytest.raises(CaptureFormatError, match="unrecognised capture format"):
        detect_format(plain)


# --- real R&S files --------------------------------------------------------------------


def _tar_member_samples(path: Path, suffix: str) -> np.ndarray:
    with tarfile.open(path) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(suffix))
        fh = tar.extractfile(member)
        assert fh is not None
        return np.frombuffer(fh.read(), dtype="<c8")


def test_real_fsw_with_preview(real_capture: Callable[[str], Path]) -> None:
    path = real_capture("rs_fsw_1ch_withpreview.iq.tar")
    assert detect_format(path).name == "rs-iqtar"
    cap = load_capture(path)
    (ts,) = cap.time_series
    assert ts.n_samples == 1001
    assert ts.sample_rate_hz == 32e6
    assert ts.center_freq_hz == 13.25e9
    assert ts.kind is SampleKind.IQ
    assert ts.volts_per_unit == 1.0
    np.testing.assert_array_equal(np.asarray(ts.samples), _tar_member_samples(path, ".float32"))
    assert cap.instrument.model == "FSW-26"
    assert cap.timestamp == "2012-02-07T10:28:35"
    assert cap.metadata["preview_data"] == "ignored"
    assert cap.warnings == ()


def test_real_fsw_k70_v2(real_capture: Callable[[str], Path]) -> None:
    path = real_capture("rs_fsw_k70_edge_900MHz.iq.tar")
    cap = read_rs_iqtar(path)
    (ts,) = cap.time_series
    assert cap.metadata["file_format_version"] == "2"
    assert cap.metadata["header_member"] == "vsa-edge_001.xml"
    assert ts.n_samples == 256289
    assert ts.sample_rate_hz == pytest.approx(1.08333e6)
    assert ts.center_freq_hz == 900e6
    np.testing.assert_array_equal(
        np.asarray(ts.samples[-5:]), _tar_member_samples(path, ".float32")[-5:]
    )


def test_sigmf_annotation_past_the_data_is_noted(tmp_path: Path) -> None:
    """An annotation reaching past the data can be the only sign of a copy cut short."""
    meta = write_sigmf(tmp_path, "rec", _encode("cf32_le", _VALUES), "cf32_le")
    doc = json.loads(meta.read_text())
    doc["annotations"] = [{"core:sample_start": 10, "core:sample_count": 100}]
    meta.write_text(json.dumps(doc))
    cap = read_sigmf(meta)
    assert (
        "annotations[0] runs to sample 109, past the data's last sample 63: the data may be a "
        "copy cut short; the samples it holds are read" in cap.warnings
    )
    doc["annotations"] = [{"core:sample_start": 10, "core:sample_count": 54}]
    meta.write_text(json.dumps(doc))
    assert not any("annotations[" in w for w in read_sigmf(meta).warnings)


def test_sigmf_gzipped_data_file_is_named_as_such(tmp_path: Path) -> None:
    """Its bytes met the size or NaN check, with advice on the scale that cannot help."""
    import gzip

    meta = write_sigmf(tmp_path, "rec", gzip.compress(_encode("cf32_le", _VALUES)), "cf32_le")
    with pytest.raises(CaptureFormatError, match="is gzip-compressed: SigMF samples are stored"):
        read_sigmf(meta)
