"""Hostile and unusual inputs the readers must refuse cleanly (never hang, never read elsewhere).

Special files (FIFO, character devices), oversize text, SigMF ``core:dataset`` paths,
iq-tar/SigMF archive members (absolute, ``..``, links, sparse), out-of-range sample rates
and channel counts, centre frequencies, and every SigMF datatype in both byte orders.
"""

from __future__ import annotations

import io
import math
import os
import tarfile
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import rfcheck.io._files as files
from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError, RfcheckError
from rfcheck.io import file_sha256, load_capture
from rfcheck.io.sigmf_reader import parse_datatype
from rfcheck.receiver import measure

from .test_io_iq import write_iqtar, write_sigmf

# --- special files ----------------------------------------------------------------------


def _finishes(fn: Callable[[], object], timeout_s: float = 10.0) -> BaseException | None:
    """Run ``fn`` on a thread; fail if it blocks, else return what it raised (or None)."""
    out: list[BaseException | None] = [None]

    def run() -> None:
        try:
            fn()
        except BaseException as err:  # handed to the test
            out[0] = err

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout_s)
    assert not t.is_alive(), "reader blocked on a special file"
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("fmt", [None, "generic-csv", "rs-ascii", "rigol"])
def test_fifo_is_refused_without_blocking(tmp_path: Path, fmt: str | None) -> None:
    fifo = tmp_path / "scan.csv"
    os.mkfifo(fifo)
    err = _finishes(lambda: load_capture(fifo, fmt))
    assert isinstance(err, CaptureFormatError)
    assert str(err) == f"{fifo}: is a FIFO (named pipe), not a capture file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("fmt", [None, "keysight-xseries", "tinysa", "sigmf"])
def test_dev_zero_is_refused(fmt: str | None) -> None:
    err = _finishes(lambda: load_capture("/dev/zero", fmt))
    assert isinstance(err, CaptureFormatError)
    assert str(err) == "/dev/zero: is a character device, not a capture file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_sigmf_data_file_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path, "rec", b"\0" * 64, "cf32_le")
    data = tmp_path / "rec.sigmf-data"
    data.unlink()
    os.mkfifo(data)
    err = _finishes(lambda: load_capture(meta))
    assert isinstance(err, CaptureFormatError)
    assert str(err) == f"{data}: is a FIFO (named pipe), not a capture file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_cli_check_on_a_fifo_exits_3_with_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "scan.csv"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["info", str(fifo)])
    assert result.exit_code == 3
    assert result.stderr == f"rfcheck: error: {fifo}: is a FIFO (named pipe), not a capture file\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_file_sha256_of_a_fifo_is_an_oserror_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "scan.csv"
    os.mkfifo(fifo)
    err = _finishes(lambda: file_sha256(fifo))
    assert isinstance(err, OSError)
    assert str(err) == f"{fifo}: is a FIFO (named pipe), not a capture file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_batch_over_a_folder_holding_a_fifo_finishes_with_a_clean_row(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    os.mkfifo(tmp_path / "in" / "pipe.csv")
    args = [
        "batch",
        str(tmp_path / "in"),
        "--limit",
        "fcc-15.109-b",
        "--out",
        str(tmp_path / "out"),
    ]
    result: list[Any] = []
    assert _finishes(lambda: result.append(CliRunner().invoke(main, args)), 60.0) is None
    summary = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8")
    assert '"is a FIFO (named pipe), not a capture file"' in summary
    assert "internal error" not in summary


def test_text_capture_larger_than_the_cap_is_refused(
    fixture_file: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_TEXT_BYTES", 100)
    for name in (
        "keysight/mxa_swept_onetrace.csv",
        "keysight/n9343c_prefixed.CSV",
        "rs/fsv_analyzer_single.CSV",
        "agilent/e4402b_two_traces.CSV",
        "agilent/n9342c_two_traces_markers.CSV",
        "siglent/ssa3032x_two_traces.csv",
        "tektronix/signalvu_spectrum.csv",
        "tinysa/qttinysa_header.csv",
        "signalhound/spike_minmax.csv",
        "rigol/dsa815_saved_trace1.csv",
        "generic/emi_3det.csv",
    ):
        path = fixture_file(name)
        size = path.stat().st_size
        with pytest.raises(CaptureFormatError) as exc:
            load_capture(path)
        assert str(exc.value) == (
            f"{path}: file is {size} bytes, more than the 100 bytes a text capture may hold"
        )


def test_text_cap_is_documented_and_generous() -> None:
    assert files.MAX_TEXT_BYTES == 256 * 1024 * 1024


# --- SigMF core:dataset ----------------------------------------------------------------


@pytest.mark.parametrize(
    "dataset",
    ["../../../../etc/shadow", "sub/rec.bin", "..", ".", "a\\b.bin", "C:rec.bin", "/etc/passwd"],
)
def test_sigmf_dataset_outside_the_metadata_folder_is_refused(tmp_path: Path, dataset: str) -> None:
    meta = write_sigmf(
        tmp_path, "rec", b"\0" * 64, "cf32_le", extra_global={"core:dataset": dataset}
    )
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(meta)
    assert str(exc.value) == (
        f"{meta}: core:dataset {dataset!r} is not a file name in the metadata file's folder "
        "(no path separators or '..')"
    )


def test_sigmf_dataset_name_too_long_for_a_file_system_is_refused(tmp_path: Path) -> None:
    meta = write_sigmf(
        tmp_path, "rec", b"\0" * 64, "cf32_le", extra_global={"core:dataset": "x" * 256}
    )
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(meta)
    assert str(exc.value) == (
        f"{meta}: core:dataset name is 256 bytes long (a file name holds at most 255)"
    )


def test_sigmf_dataset_bare_file_name_is_read(tmp_path: Path) -> None:
    x = np.arange(8, dtype="<f4")
    meta = write_sigmf(tmp_path, "rec", b"", "rf32_le", extra_global={"core:dataset": "rec.bin"})
    (tmp_path / "rec.sigmf-data").unlink()
    (tmp_path / "rec.bin").write_bytes(x.tobytes())
    np.testing.assert_array_equal(np.asarray(load_capture(meta).time_series[0].samples), x)


# --- archive members -------------------------------------------------------------------


def _add(tar: tarfile.TarFile, info: tarfile.TarInfo, payload: bytes = b"") -> None:
    info.size = len(payload) if info.isfile() else 0
    tar.addfile(info, io.BytesIO(payload) if info.isfile() else None)


def _iqtar_with(
    tmp_path: Path, extra: Callable[[tarfile.TarFile], None], fmt: int = tarfile.PAX_FORMAT
) -> Path:
    good = write_iqtar(tmp_path / "good.iq.tar", np.zeros(8, np.complex64).tobytes(), samples=8)
    out = tmp_path / "bad.iq.tar"
    with tarfile.open(good) as src, tarfile.open(out, "w", format=fmt) as dst:
        for m in src.getmembers():
            fh = src.extractfile(m)
            _add(dst, m, fh.read() if fh else b"")
        extra(dst)
    return out


def _member(name: str, **attrs: Any) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    for k, v in attrs.items():
        setattr(info, k, v)
    return info


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (_member("/etc/evil.xml"), "iq-tar member '/etc/evil.xml' has an absolute path"),
        (_member("../up.xml"), "iq-tar member '../up.xml' has a '..' path component"),
        (_member("a/../../b.bin"), "iq-tar member 'a/../../b.bin' has a '..' path component"),
        (
            _member("link.float32", type=tarfile.SYMTYPE, linkname="/etc/shadow"),
            "iq-tar member 'link.float32' is a link (to '/etc/shadow')",
        ),
        (
            _member("hard.float32", type=tarfile.LNKTYPE, linkname="File.xml"),
            "iq-tar member 'hard.float32' is a link (to 'File.xml')",
        ),
        (_member("dev", type=tarfile.CHRTYPE), "iq-tar member 'dev' is not a regular file"),
    ],
)
def test_iqtar_refused_members(tmp_path: Path, member: tarfile.TarInfo, message: str) -> None:
    path = _iqtar_with(tmp_path, lambda tar: _add(tar, member, b"x"))
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(path, "rs-iqtar")
    assert str(exc.value) == f"{path}: {message}"


def test_iqtar_pax_sparse_data_member_is_refused(tmp_path: Path) -> None:
    payload = np.zeros(8, np.complex64).tobytes()
    sparse_map = b"1\n0\n64\n".ljust(512, b"\0")

    def add_sparse(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("GNUSparseFile.0/File.complex.1ch.float32")
        info.pax_headers = {
            "GNU.sparse.major": "1",
            "GNU.sparse.minor": "0",
            "GNU.sparse.name": "File.complex.1ch.float32",
            "GNU.sparse.realsize": str(len(payload)),
        }
        _add(tar, info, sparse_map + payload)

    good = tmp_path / "good.iq.tar"
    write_iqtar(good, b"", samples=8, omit_data=True)
    out = tmp_path / "sparse.iq.tar"
    with tarfile.open(good) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
        for m in src.getmembers():
            fh = src.extractfile(m)
            _add(dst, m, fh.read() if fh else b"")
        add_sparse(dst)
    with pytest.raises(CaptureFormatError, match="is a sparse file \\(not supported\\)"):
        load_capture(out, "rs-iqtar")


def test_sigmf_archive_with_a_link_member_is_refused(tmp_path: Path) -> None:
    import sigmf

    rec = sigmf.fromarray(np.zeros(16, np.complex64))
    rec.sample_rate = 1e6
    rec.tofile(tmp_path / "arch.sigmf")
    out = tmp_path / "bad.sigmf"
    with tarfile.open(tmp_path / "arch.sigmf") as src, tarfile.open(out, "w") as dst:
        for m in src.getmembers():
            fh = src.extractfile(m)
            _add(dst, m, fh.read() if fh else b"")
        _add(dst, _member("x.sigmf-data", type=tarfile.SYMTYPE, linkname="/dev/zero"))
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(out)
    assert (
        str(exc.value) == f"{out}: SigMF archive member 'x.sigmf-data' is a link (to '/dev/zero')"
    )


# --- sample rates, channels, centre frequency -----------------------------------------------


@pytest.mark.parametrize("rate", [1e-300, 1e-12, 0.5, 1e308, 2e12])
def test_sigmf_sample_rate_out_of_range_is_refused(tmp_path: Path, rate: float) -> None:
    meta = write_sigmf(tmp_path, "rec", b"\0" * 64, "cf32_le", sample_rate=rate)
    with pytest.raises(CaptureFormatError, match="sample_rate"):
        load_capture(meta)


@pytest.mark.parametrize("clock", ["1e-300", "1e-12", "1e308", "nan", "inf", "-5"])
def test_iqtar_clock_out_of_range_is_refused(tmp_path: Path, clock: str) -> None:
    path = write_iqtar(
        tmp_path / "c.iq.tar", np.zeros(8, np.complex64).tobytes(), samples=8, clock=clock
    )
    with pytest.raises(CaptureFormatError, match="<Clock>"):
        load_capture(path)


def test_sample_rate_limits_are_inclusive(tmp_path: Path) -> None:
    for rate in (1.0, 1e12):
        meta = write_sigmf(tmp_path, f"r{rate:g}", b"\0" * 64, "cf32_le", sample_rate=rate)
        assert load_capture(meta).time_series[0].sample_rate_hz == rate


@pytest.mark.parametrize(
    ("channels", "message"),
    [
        ("0", "<NumberOfChannels> must be a positive number, got '0'"),
        ("1.5", "<NumberOfChannels> must be a whole number, got '1.5'"),
        ("nan", "<NumberOfChannels> must be a positive number, got 'nan'"),
        ("1e9", "<NumberOfChannels> 1000000000 is more than 1024"),
        ("1e308", "<NumberOfChannels> '1e308' is too large"),
    ],
)
def test_iqtar_bad_channel_count_is_refused(tmp_path: Path, channels: str, message: str) -> None:
    xml_path = write_iqtar(tmp_path / "ch.iq.tar", np.zeros(8, np.complex64).tobytes(), samples=8)
    with tarfile.open(xml_path) as tar:
        fh = tar.extractfile("File.xml")
        assert fh is not None
        xml = fh.read().decode().replace("<NumberOfChannels>1<", f"<NumberOfChannels>{channels}<")
    path = write_iqtar(
        tmp_path / "bad.iq.tar", np.zeros(8, np.complex64).tobytes(), samples=8, xml=xml
    )
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(path)
    assert str(exc.value).endswith(message)


@pytest.mark.parametrize("value", [0, 1.5, True, 5000, math.nan, math.inf])
def test_sigmf_bad_channel_count_is_refused(tmp_path: Path, value: object) -> None:
    meta = write_sigmf(
        tmp_path, "rec", b"\0" * 64, "cf32_le", extra_global={"core:num_channels": value}
    )
    with pytest.raises(CaptureFormatError, match="core:num_channels"):
        load_capture(meta)


@pytest.mark.parametrize("cf", ["nan", "inf", "-1"])
def test_iqtar_non_finite_centre_frequency_is_refused(tmp_path: Path, cf: str) -> None:
    user = f'<UserData><CenterFrequency unit="Hz">{cf}</CenterFrequency></UserData>'
    path = write_iqtar(
        tmp_path / "cf.iq.tar", np.zeros(8, np.complex64).tobytes(), samples=8, user=user
    )
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(path)
    assert str(exc.value) == f"{path}: iq-tar UserData <CenterFrequency>: invalid frequency {cf!r}"


@pytest.mark.parametrize("kind", ["sigmf", "iqtar"])
def test_check_on_iq_without_centre_frequency_is_a_clean_error(tmp_path: Path, kind: str) -> None:
    x = (0.01 * np.exp(2j * np.pi * 0.1 * np.arange(4096))).astype(np.complex64)
    if kind == "sigmf":
        path = write_sigmf(
            tmp_path, "rec", x.tobytes(), "cf32_le", captures=[{"core:sample_start": 0}]
        )
    else:
        path = write_iqtar(tmp_path / "rec.iq.tar", x.tobytes(), samples=4096, user="")
    result = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b"])
    assert result.exit_code == 3
    assert "internal error" not in result.stderr
    why = {
        "sigmf": "captures[0] has no core:frequency",
        "iqtar": "no centre frequency in the iq-tar UserData",
    }[kind]
    assert result.stderr.splitlines()[-1] == (
        f"rfcheck: error: {path}: the I/Q recording's centre frequency is unknown "
        f"({why}); state it with --center-freq or the setup's [check] center_frequency_hz"
    )


# --- every SigMF datatype, both byte orders --------------------------------------------------

_SPEC_DATATYPES = [
    f"{kind}{num}{suffix}"
    for kind in "rc"
    for num in ("f64", "f32", "i32", "i16", "u32", "u16", "i8", "u8")
    for suffix in (("",) if num.endswith("8") else ("_le", "_be"))
]


def test_spec_datatype_list_is_complete() -> None:
    assert len(_SPEC_DATATYPES) == 28  # (6 sizes x 2 orders + 2 bytes) x real/complex


@pytest.mark.parametrize("datatype", _SPEC_DATATYPES)
def test_every_sigmf_datatype_reads_as_native_samples(tmp_path: Path, datatype: str) -> None:
    rng = np.random.default_rng(7)
    values = rng.uniform(-0.9, 0.9, size=(32, 2))
    layout = parse_datatype(datatype, Path("x"))
    comp = layout.component
    v = values if layout.is_complex else values[:, :1]
    if comp.kind == "f":
        raw = v.astype(comp)
        expect = v
    else:
        ints = np.round(v * layout.full_scale)
        raw = (ints + (layout.full_scale if comp.kind == "u" else 0)).astype(comp)
        expect = ints / layout.full_scale
    meta = write_sigmf(tmp_path, "rec", np.ascontiguousarray(raw).tobytes(), datatype)
    ts = load_capture(meta).time_series[0]
    assert ts.samples.dtype.isnative
    volts = np.asarray(ts.samples) * ts.volts_per_unit
    want = expect[:, 0] + 1j * expect[:, 1] if layout.is_complex else expect[:, 0]
    np.testing.assert_allclose(volts, want, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("be", "le"), [("cf32_be", "cf32_le"), ("rf64_be", "rf64_le")])
def test_big_endian_recording_measures_like_little_endian(tmp_path: Path, be: str, le: str) -> None:
    n = 20000
    t = np.arange(n)
    results = []
    for datatype in (be, le):
        layout = parse_datatype(datatype, Path("x"))
        if layout.is_complex:
            x = 0.01 * np.exp(2j * np.pi * 0.1 * t)
            meta_freq = 100e6
        else:
            x = 0.01 * np.cos(2 * np.pi * 0.4 * t)
            meta_freq = None
        d = tmp_path / datatype
        d.mkdir()
        caps = (
            [{"core:sample_start": 0, "core:frequency": meta_freq}]
            if meta_freq
            else [{"core:sample_start": 0}]
        )
        meta = write_sigmf(
            d,
            "rec",
            x.astype(
                layout.component.str[0]
                + ("c" if layout.is_complex else "f")
                + str(layout.sample_bytes)
            ).tobytes(),
            datatype,
            sample_rate=2e6 if meta_freq else 200e6,
            captures=caps,
        )
        ts = load_capture(meta).time_series[0]
        f = np.array([100.2e6 if meta_freq else 80e6])
        results.append(measure(ts, "C", f, ("peak",)).readings_dbuv["peak"])
    np.testing.assert_allclose(results[0], results[1], atol=1e-6)


# --- adversarial metadata (hypothesis) -------------------------------------------------------

_HOSTILE_JSON = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "..", "../x", "a/b", "cf32_be", "ri8", "x" * 300, "1e308", "nan"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_GLOBAL_KEYS = (
    "core:datatype",
    "core:sample_rate",
    "core:num_channels",
    "core:trailing_bytes",
    "core:dataset",
    "rfcheck:volts_per_unit",
)
_CAPTURE_KEYS = ("core:sample_start", "core:header_bytes", "core:frequency")


@settings(max_examples=150, deadline=None, database=None)
@given(
    glob=st.dictionaries(st.sampled_from(_GLOBAL_KEYS), _HOSTILE_JSON, max_size=3),
    cap=st.dictionaries(st.sampled_from(_CAPTURE_KEYS), _HOSTILE_JSON, max_size=2),
)
def test_fuzz_sigmf_metadata_raises_only_rfcheck_errors(
    glob: dict[str, Any], cap: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as d:
        meta = write_sigmf(
            Path(d), "rec", b"\0" * 256, "cf32_le", extra_global=glob, captures=[cap]
        )
        try:
            ts = load_capture(meta).time_series[0]
        except RfcheckError:
            return
        # accepted: the rate is in range and the samples are finite native numbers
        assert 1.0 <= ts.sample_rate_hz <= 1e12
        assert ts.samples.dtype.isnative


_HOSTILE_TEXT = st.one_of(
    st.sampled_from(["", "0", "-1", "1.5", "nan", "inf", "1e-300", "1e308", "abc", "9" * 40]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
)


@settings(max_examples=150, deadline=None, database=None)
@given(
    samples=_HOSTILE_TEXT,
    clock=_HOSTILE_TEXT,
    channels=_HOSTILE_TEXT,
    scaling=_HOSTILE_TEXT,
    cf=_HOSTILE_TEXT,
)
def test_fuzz_iqtar_header_raises_only_rfcheck_errors(
    samples: str, clock: str, channels: str, scaling: str, cf: str
) -> None:
    xml = (
        '<?xml version="1.0"?><RS_IQ_TAR_FileFormat fileFormatVersion="2">'
        f'<Samples>{samples}</Samples><Clock unit="Hz">{clock}</Clock>'
        "<Format>complex</Format><DataType>float32</DataType>"
        f'<ScalingFactor unit="V">{scaling}</ScalingFactor>'
        f"<NumberOfChannels>{channels}</NumberOfChannels>"
        "<DataFilename>File.complex.1ch.float32</DataFilename>"
        f'<UserData><CenterFrequency unit="Hz">{cf}</CenterFrequency></UserData>'
        "</RS_IQ_TAR_FileFormat>"
    )
    with tempfile.TemporaryDirectory() as d:
        path = write_iqtar(
            Path(d) / "f.iq.tar", np.zeros(16, np.complex64).tobytes(), samples=16, xml=xml
        )
        try:
            cap = load_capture(path)
        except RfcheckError:
            return
        for ts in cap.time_series:
            assert 1.0 <= ts.sample_rate_hz <= 1e12
            assert ts.volts_per_unit > 0 and np.isfinite(ts.volts_per_unit)


def test_a_symbolic_link_loop_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "l1").symlink_to(tmp_path / "l2")
    (tmp_path / "l2").symlink_to(tmp_path / "l1")
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(tmp_path / "l1")
    assert str(exc.value) == f"{tmp_path / 'l1'}: cannot read: Too many levels of symbolic links"
