"""Robustness of every reader: bad input through the CLI, a 10-million-point CSV, byte fuzzing."""

from __future__ import annotations

import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rfcheck.io
from rfcheck.cli import main
from rfcheck.errors import EXIT_INPUT_ERROR, RfcheckError
from rfcheck.io import load_capture

GOOD = "# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV)\n0.15,50.0\n0.5,45.5\n30,40.25\n"

#: name -> (file content, words the one-line message must contain)
BAD_INPUTS: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "empty.csv": (b"", ("file is empty",)),
    "blank.csv": (b"\n\n  \n", ("file holds only blank lines (white space), no data",)),
    # text with one NUL, no reader's: its first bytes are plain text, the NUL's offset is named
    "nul_text.csv": (
        b"Spectrum report\nMarker 1: 100 MHz\x00\n",
        ("binary data, not a text export (NUL byte at offset 33);",),
    ),
    "truncated_tek.csv": (
        b"Spectrum,10/20/2023 3:21:12 PM\r\n[Global Parameters]\nA,1,\n\n[Traces]\n[Trace]\n"
        b"Trace 1,,dBm,-1,-1\nNumberPoints,801\nXStart,1,Hz\nXStop,801,Hz\n-50.0,1\n-51.0,2\n-5",
        ("NumberPoints is 801", "truncated"),
    ),
    "truncated_generic.csv": (b"Frequency (MHz),Peak (dBuV)\n0.15,50.0\n0.5,", ("missing value",)),
    "junk.bin": (bytes(range(256)) * 8, ("unrecognised capture format: binary data",)),
    "junk_nonul.csv": (bytes(range(1, 256)) * 4, ("unrecognised capture format: binary data",)),
    "non_monotonic.csv": (
        b"Frequency (MHz),Peak (dBuV)\n1,50\n3,51\n2,52\n",
        ("not strictly increasing",),
    ),
    "nan_freq.csv": (b"Frequency (MHz),Peak (dBuV)\n1,50\nnan,51\n3,52\n", ("'nan'", ":3:")),
    "nan_tinysa.csv": (b"100.00,-1.00\n200.00,-2.00\nnan,-3.00\n", ("'nan'", ":3:")),
    "mismatched.csv": (
        b"Frequency (MHz),Peak (dBuV),QP (dBuV)\n1,50,40\n2,51,41,7\n",
        ("row has 4 fields, expected 3", ":3:"),
    ),
    "unknown_unit.csv": (b"Frequency (MHz),Peak (dBc)\n1,50\n", ("unknown level unit 'dBc'",)),
    "utf16.csv": (("\ufeff" + GOOD).encode("utf-16-le"), ("UTF-16",)),
    # without a BOM detection cannot name the encoding, but it must still be one clean line
    "utf16_nobom.csv": (GOOD.encode("utf-16-le"), ("UTF-16", "unrecognised capture format")),
}


def run_info(*paths: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["info", *map(str, paths)])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_one_line_exit_3(tmp_path: Path, name: str) -> None:
    content, words = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run_info(path)
    assert code == EXIT_INPUT_ERROR, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and str(path) in lines[0]
    assert lines[0].startswith("rfcheck: error: ")
    assert any(w in lines[0] for w in words), lines[0]


def test_directory_is_one_line(tmp_path: Path) -> None:
    code, _, err = run_info(tmp_path)
    assert code == EXIT_INPUT_ERROR
    assert err.splitlines() == [f"rfcheck: error: {tmp_path}: is a directory, not a capture file"]


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (
            b"Frequency (MHz),Peak (dBuV)\n1,50\n3,51\n2,52\n",
            "at point 3 (3000000.0 Hz then 2000000.0 Hz)",
        ),
        (b"time_s,volts\n0,1\n0.001,2\n0.005,3\n0.006,4\n", "(step 0.004 s at sample 3, "),
    ],
)
def test_axis_errors_print_plain_numbers(tmp_path: Path, content: bytes, shown: str) -> None:
    """The values in an axis error read as numbers, not as numpy reprs (np.float64(...))."""
    path = tmp_path / "axis.csv"
    path.write_bytes(content)
    code, _, err = run_info(path)
    assert code == EXIT_INPUT_ERROR
    assert shown in err and "np." not in err, err


def test_several_files_one_bad(tmp_path: Path) -> None:
    good1, bad, good2 = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    good1.write_text(GOOD)
    bad.write_bytes(BAD_INPUTS["mismatched.csv"][0])
    good2.write_text(GOOD.replace("Peak", "QP"))
    code, out, err = run_info(good1, bad, good2)
    assert code == EXIT_INPUT_ERROR
    assert str(good1) in out and str(good2) in out and str(bad) not in out
    assert len(err.splitlines()) == 1 and str(bad) in err


def _write_big_csv(path: Path, n: int) -> None:
    """``frequency_hz,level_dbuv`` with n rows, built as fixed-width ASCII bytes (fast)."""
    freq = np.arange(n, dtype=np.int64) + 10_000_000  # 8 digits [Hz]
    level = np.arange(n, dtype=np.int64) % 90 + 10  # 2 digits [dBuV]
    buf = np.empty((n, 12), dtype=np.uint8)
    for k in range(8):
        buf[:, 7 - k] = 48 + (freq // 10**k) % 10
    buf[:, 8] = ord(",")
    buf[:, 9] = 48 + level // 10
    buf[:, 10] = 48 + level % 10
    buf[:, 11] = ord("\n")
    path.write_bytes(b"# detector: peak\nfrequency_hz,level_dbuv\n" + buf.tobytes())


def test_ten_million_points(tmp_path: Path) -> None:
    n = 10_000_000
    path = tmp_path / "big.csv"
    _write_big_csv(path, n)
    tracemalloc.start()
    try:
        cap = load_capture(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (tr,) = cap.traces
    assert tr.n_points == n and tr.start_hz == 10_000_000 and tr.stop_hz == 10_000_000 + n - 1
    assert tr.level[89] == 99 and tr.level[90] == 10
    array_bytes = tr.freq_hz.nbytes + tr.level.nbytes
    assert peak < 10 * array_bytes, (peak, array_bytes)


# --- fuzzing -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(fixtures_dir: Path, real_captures_dir: Path | None) -> list[Path]:
    """Every fixture file, and the real captures under 3 MB when present."""
    files = sorted(p for p in fixtures_dir.glob("*/*") if p.is_file())
    if real_captures_dir is not None:
        files += sorted(
            p for p in real_captures_dir.iterdir() if p.is_file() and p.stat().st_size < 3_000_000
        )
    if not files:
        pytest.skip("no fixtures or real captures to fuzz")
    return files


_SEED_BYTES: dict[Path, bytes] = {}


def _seed(path: Path) -> bytes:
    if path not in _SEED_BYTES:
        _SEED_BYTES[path] = path.read_bytes()
    return _SEED_BYTES[path]


_mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 64)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("dupline"), st.floats(0, 1), st.integers(1, 3)),
)


def mutate(data: bytes, ops: list[tuple[str, float, Any]]) -> bytes:
    """Apply byte mutations; positions are fractions of the current length."""
    buf = bytearray(data)
    for op, frac, arg in ops:
        i = int(frac * max(len(buf) - 1, 0))
        if op == "flip" and buf:
            buf[i] ^= int(arg) or 1
        elif op == "insert":
            buf[i:i] = arg
        elif op == "delete":
            del buf[i : i + int(arg)]
        elif op == "truncate":
            del buf[i:]
        elif op == "dupline":
            lines = bytes(buf).splitlines(keepends=True)
            if lines:
                j = int(frac * (len(lines) - 1))
                lines[j:j] = [lines[j]] * int(arg)
                buf = bytearray(b"".join(lines))
    return bytes(buf)


def _own_seeds(reader: rfcheck.io.Reader, seeds: list[Path]) -> list[Path]:
    """Seed files whose head carries ``reader``'s signature (fuzzed more often for it)."""
    return [p for p in seeds if reader.sniff(_seed(p)[: rfcheck.io.HEAD_BYTES], p)]


@pytest.mark.parametrize("reader", rfcheck.io.READERS, ids=lambda r: r.name)
@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data(), ops=st.lists(_mutation, min_size=1, max_size=6))
def test_fuzz_reader_raises_only_rfcheck_errors(
    reader: rfcheck.io.Reader,
    seeds: list[Path],
    data: st.DataObject,
    ops: list[tuple[str, float, Any]],
) -> None:
    own = _own_seeds(reader, seeds)
    pool = st.sampled_from(seeds)
    seed = data.draw(st.one_of(st.sampled_from(own), st.sampled_from(own), pool) if own else pool)
    content = mutate(_seed(seed), ops)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / seed.name
        path.write_bytes(content)
        try:
            reader.read(path)
        except RfcheckError:
            pass


def test_binary_data_is_named_in_plain_ascii_not_quoted(tmp_path: Path) -> None:
    """Random bytes (no NUL) are called binary data with their first bytes in hex.

    Quoting them printed mojibake and U+FFFD replacement characters.
    """
    path = tmp_path / "junk.DAT"
    path.write_bytes(bytes.fromhex("2cea9dafc2a61e41") + bytes(range(200, 256)) * 8)
    code, _, err = run_info(path)
    assert code == EXIT_INPUT_ERROR
    assert err == (
        f"rfcheck: error: {path}: unrecognised capture format: binary data, not a text export "
        "(first bytes 2c ea 9d af c2 a6 1e 41 c8 c9 ca cb); name it with --format "
        "(see 'rfcheck formats')\n"
    )
    assert err.isascii()


def test_text_with_a_stray_byte_is_still_quoted(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"hello there \xff this is text, no export\n1,2\n")
    _, _, err = run_info(path)
    assert "first line 'hello there \ufffd this is text, no export'" in err


@pytest.mark.parametrize(
    ("rows", "line"),
    [("0.15,40,5\n0.2,41\n0.3,42\n", 2), ("0.15,40\n0.2,41,5\n0.3,42\n", 3)],
)
def test_an_extra_field_is_blamed_on_its_own_row(tmp_path: Path, rows: str, line: int) -> None:
    """An extra field in the first data row was called a missing one in the next."""
    path = tmp_path / "extra.csv"
    path.write_text("Frequency (MHz),Peak (dBuV)\n" + rows)
    with pytest.raises(RfcheckError) as info:
        load_capture(path)
    assert str(info.value) == (
        f"{path}:{line}: data: row has 3 fields, expected 2 (mismatched column count)"
    )


def test_one_trailing_delimiter_is_not_an_extra_field(tmp_path: Path) -> None:
    path = tmp_path / "trailing.csv"
    path.write_text("Frequency (MHz);Peak (dBuV)\r\n0.15;40; \r\n0.2;41;\r\n")
    assert load_capture(path).traces[0].level.tolist() == [40.0, 41.0]


@pytest.mark.parametrize(
    ("head", "said"),
    [
        (b"\x1f\x8b\x08\x00", "gzip-compressed"),
        (b"PK\x03\x04\x14\x00", "a zip archive"),
        (b"BZh91AY", "bzip2-compressed"),
    ],
)
def test_a_compressed_file_is_named_as_such(tmp_path: Path, head: bytes, said: str) -> None:
    """A .sigmf.gz was told to name its format with --format, which cannot help."""
    p = tmp_path / "rec.sigmf.gz"
    p.write_bytes(head + bytes(200))
    res = CliRunner().invoke(main, ["info", str(p)])
    assert res.exit_code == 3
    assert f"file is {said}; rfcheck reads captures uncompressed: unpack it first" in res.output
