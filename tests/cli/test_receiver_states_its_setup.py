"""What ``rfcheck receiver`` and ``info`` say about ambiguous or odd SigMF input.

A key stated twice is refused; data too small to read is not called "all zeros"; every
output states the set-up (band, RBW, record, rate, centre, channel, scale, observed span);
the SigMF messages say what is true of captures and the centre frequency.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main

FS, FC, F0 = 100e3, 1e6, 1.0123456e6
CREST = 10 ** ((66.99 - 120) / 20) * math.sqrt(2)  # -40 dBm: 66.99 dBµV


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _cw(duration: float = 2.0) -> np.ndarray:
    t = np.arange(int(FS * duration)) / FS
    x: np.ndarray = (CREST * np.exp(2j * np.pi * (F0 - FC) * t)).astype("<c8")
    return x


def _meta_text(datatype: str = "cf32_le", glob_extra: str = "", captures: str | None = None) -> str:
    caps = f'[{{"core:sample_start": 0, "core:frequency": {FC}}}]' if captures is None else captures
    head = f'"core:datatype": "{datatype}", "core:version": "1.2.0", "core:sample_rate": {FS!r}'
    return f'{{"global": {{{head}{glob_extra}}}, "captures": {caps}, "annotations": []}}'


def _write(folder: Path, data: np.ndarray, meta: str, name: str = "rec") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.sigmf-data").write_bytes(np.ascontiguousarray(data).tobytes())
    path = folder / f"{name}.sigmf-meta"
    path.write_text(meta)
    return path


# --- F2: a key stated twice is ambiguous: refused, naming the key ---------------------------


def test_a_sigmf_key_stated_twice_is_refused_naming_the_file_and_key(tmp_path: Path) -> None:
    """Before: read silently with the last value (55.66 dBµV instead of 66.99, exit 0)."""
    meta = _write(tmp_path, _cw(), _meta_text(glob_extra=', "core:sample_rate": 50000.0'))
    for args in (
        ["receiver", str(meta), "--band", "B", "--freq", "1.0123456M"],
        ["info", str(meta)],
    ):
        res = _run(*args)
        assert res.exit_code == 3, res.output
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1
        assert str(meta) in lines[0] and "'core:sample_rate' twice" in lines[0]


def test_a_key_twice_in_a_capture_is_refused_too(tmp_path: Path) -> None:
    caps = f'[{{"core:sample_start": 0, "core:frequency": {FC}, "core:frequency": 2e6}}]'
    meta = _write(tmp_path, _cw(), _meta_text(captures=caps))
    res = _run("receiver", str(meta), "--band", "B", "--freq", "1.0123456M")
    assert res.exit_code == 3 and "'core:frequency' twice" in res.stderr
    assert "(the object with 'core:sample_start')" in res.stderr  # which one: a capture


# --- F3: samples too small to read are not "all zeros"; no numpy warning leaks --------------


def test_cf32_data_declared_cf64_is_said_to_be_below_range_not_all_zeros(tmp_path: Path) -> None:
    meta = _write(tmp_path, _cw(), _meta_text("cf64_le"))
    res = _run("receiver", str(meta), "--band", "B", "--freq", "1.0123456M", "-o", "json")
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    below = [w for w in doc["warnings"] if w.startswith("every reading is below the computable")]
    assert len(below) == 1 and "core:datatype" in below[0] and "e-2" in below[0]
    assert "below the computable range" in res.stderr
    chk = _run("check", str(meta), "--limit", "fcc-15.107-b")
    assert chk.exit_code == 3
    assert "below the computable range" in chk.output and "all zeros" not in chk.output


def test_all_zero_data_keeps_the_all_zeros_wording(tmp_path: Path) -> None:
    meta = _write(tmp_path, np.zeros(int(FS * 2), "<c8"), _meta_text())
    chk = _run("check", str(meta), "--limit", "fcc-15.107-b")
    assert chk.exit_code == 3 and "the samples are all zeros" in chk.output
    res = _run("receiver", str(meta), "--band", "B", "--freq", "1.0123456M")
    assert "recording is all zeros" in res.stderr and "computable" not in res.stderr


def test_ci16_data_declared_cf32_leaks_no_numpy_warning(tmp_path: Path) -> None:
    raw = np.zeros(int(FS * 2) * 2, "<i2")
    # int16 pair (1, 0x7f80) read as one float32: a signalling NaN, whose printing warned
    raw[4240:4242] = [1, 0x7F80]
    meta = _write(tmp_path, raw, _meta_text("cf32_le"))
    # a fresh process: numpy's floating-point warnings reach its stderr as a user sees them
    res = subprocess.run(
        [sys.executable, "-m", "rfcheck", "receiver", str(meta), "--band", "B", "--freq", "1.01M"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 3
    assert "RuntimeWarning" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "not finite" in res.stderr


# --- F4: every output states how the receiver was set up ------------------------------------


def test_receiver_csv_json_and_text_state_the_setup(tmp_path: Path) -> None:
    meta = _write(tmp_path, _cw(), _meta_text())
    base = ["receiver", str(meta), "--band", "B", "--freq", "1.0123456M"]
    header, row = csv.reader(_run(*base, "-o", "csv").stdout.splitlines())
    cells = dict(zip(header, row, strict=True))
    assert cells["band"] == "B" and float(cells["rbw_hz"]) == 9000.0
    assert float(cells["record_s"]) == 2.0 and float(cells["sample_rate_hz"]) == FS
    assert float(cells["center_freq_hz"]) == FC
    assert 0.00044 < float(cells["observed_from_s"]) < 0.000475  # one IF response (0.47 ms)
    assert 1.99951 < float(cells["observed_to_s"]) < 1.99956
    assert cells["path"] == str(meta) and len(cells["sha256"]) == 64
    assert cells["scale"] == "default 1 V per sample value 1.0"
    assert "samples taken as volts" in cells["warnings"]
    doc = json.loads(_run(*base, "-o", "json").stdout)
    assert doc["record_s"] == 2.0 and doc["sample_rate_hz"] == FS
    assert doc["center_freq_hz"] == FC and doc["channel_number"] == 1
    assert doc["scale"] == "default 1 V per sample value 1.0"
    assert doc["observed_span_s"][0] == pytest.approx(float(cells["observed_from_s"]))
    text = _run(*base).stdout.splitlines()
    assert text[1].startswith("# I/Q record 2 s at 100 kS/s, centre 1 MHz, channel 1; ")
    assert "detectors read events in 0.0004" in text[1]
    assert text[-1].startswith("# warning: samples taken as volts")


def test_band_c_d_is_written_with_its_slash(tmp_path: Path) -> None:
    fs, fc, f0 = 500e3, 500e6, 500.123456e6
    t = np.arange(int(fs * 0.2)) / fs
    x = (CREST * np.exp(2j * np.pi * (f0 - fc) * t)).astype("<c8")
    meta_text = _meta_text().replace(repr(FS), repr(fs)).replace(str(FC), str(fc))
    meta = _write(tmp_path, x, meta_text)
    base = ["receiver", str(meta), "--band", "C/D", "--freq", "500.123456M", "--detector", "pk"]
    assert "band C/D, RBW 120 kHz" in _run(*base).stdout.splitlines()[0]
    assert json.loads(_run(*base, "-o", "json").stdout)["band"] == "C/D"


# --- F6: what the SigMF messages and info say -----------------------------------------------


@pytest.mark.parametrize(
    ("captures", "said"),
    [("[]", "captures is empty"), (None, "captures is missing")],
)
def test_no_captures_is_said_as_such(tmp_path: Path, captures: str | None, said: str) -> None:
    text = _meta_text(captures=captures or "[]")
    if captures is None:
        text = text.replace(', "captures": []', "")
    meta = _write(tmp_path, _cw(), text)
    res = _run("receiver", str(meta), "--band", "B", "--freq", "1.0123456M")
    assert res.exit_code == 3
    assert said in res.stderr and "captures[0]" not in res.stderr


def test_a_negative_centre_frequency_is_refused_as_such(tmp_path: Path) -> None:
    caps = '[{"core:sample_start": 0, "core:frequency": -1000000.0}]'
    meta = _write(tmp_path, _cw(), _meta_text(captures=caps))
    res = _run("receiver", str(meta), "--band", "B", "--freq", "1.0123456M")
    assert res.exit_code == 3
    assert "centre frequency is negative (-1e+06 Hz)" in res.stderr


def test_the_magnitude_cap_does_not_ask_for_a_scale_the_file_states(tmp_path: Path) -> None:
    meta = _write(
        tmp_path,
        _cw() * np.float32(1e25 / CREST),
        _meta_text(glob_extra=', "rfcheck:volts_per_unit": 1e-28'),
    )
    res = _run("receiver", str(meta), "--band", "B", "--freq", "1.0123456M")
    assert res.exit_code == 3
    assert "state the scale" not in res.stderr
    assert "before any volts_per_unit" in res.stderr


def test_a_sample_exactly_at_the_cap_is_read(tmp_path: Path) -> None:
    x = _cw()
    x[1000] = 1e12
    meta = _write(tmp_path, x, _meta_text())
    res = _run("receiver", str(meta), "--band", "B", "--freq", "1.0123456M", "--detector", "pk")
    assert res.exit_code == 0, res.stderr


def test_info_cuts_a_very_long_description(tmp_path: Path) -> None:
    long = "A" * 110_000
    meta = _write(tmp_path, _cw(0.1), _meta_text(glob_extra=f', "core:description": "{long}"'))
    res = _run("info", str(meta))
    assert res.exit_code == 0
    line = next(x for x in res.stdout.splitlines() if x.startswith("  recording 1"))
    assert len(line) < 600
    assert "[109,800 more characters cut; -o json has them all]" in line
    assert (
        json.loads(_run("info", str(meta), "-o", "json").stdout)[0]["time_series"][0]["name"]
        == long
    )
