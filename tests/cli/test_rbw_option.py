"""``--rbw``: the RBW of traces whose file states none, as ``--detector`` states a detector.

A peak reading of 72 dBµV/m at 1.5 GHz against CISPR 32's PK 70 dBµV/m line above 1 GHz
(1 MHz, CISPR 16-1-1 Table 1): with no RBW it bounds nothing (the RBW may be narrower or
wider), in a stated 1 MHz it is the measurement (FAIL -2.00 dB), in 3 MHz an upper bound
(INCONCLUSIVE). ``--rbw`` gives the stated-RBW result; a file stating another RBW is an
input error, never silently re-read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from rfcheck.capture import SampleKind
from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture

LIMIT = ("--limit", "cispr32-b-rad-above-1g")


def _capture(folder: Path, rbw_line: str = "", name: str = "pk.csv") -> Path:
    path = folder / name
    path.write_text(
        f"# detector: peak\n{rbw_line}Frequency (MHz),Peak (dBuV/m)\n1500,72\n1600,60\n", "utf-8"
    )
    return path


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _pk(r: Result) -> tuple[str, float | None, str | None]:
    (check,) = [c for c in json.loads(r.stdout)["captures"][0]["checks"] if c["line"] == "PK"]
    return check["verdict"], check["worst_margin_db"], check["worst_bound"]


def test_an_unstated_rbw_over_the_cispr_32_peak_line_is_inconclusive(tmp_path: Path) -> None:
    r = _run("check", _capture(tmp_path), *LIMIT)
    assert r.exit_code == 4, r.output  # was 1: FAIL <= -2.00 dB on a "lower bound"
    assert "cispr32-b-rad-above-1g  PK    peak           INCONCLUSIVE  -" in r.stdout
    assert (
        "note: trace Peak: RBW not stated in the file, so it may be narrower or wider than "
        "the CISPR bandwidth of cispr32-b-rad-above-1g PK: its readings bound nothing there"
    ) in r.stdout
    assert "state it with --rbw (the setup's [check] rbw_hz)" in r.stdout
    assert "no RBW option" not in r.stdout


@pytest.mark.parametrize(("rbw", "stated"), [("1M", "1000000"), ("3M", "3000000")])
def test_rbw_gives_the_stated_rbw_result(tmp_path: Path, rbw: str, stated: str) -> None:
    given = _run("check", _capture(tmp_path), *LIMIT, "--rbw", rbw, "-o", "json")
    in_file = _run(
        "check", _capture(tmp_path, f"# rbw_hz: {stated}\n", "s.csv"), *LIMIT, "-o", "json"
    )
    assert given.exit_code == in_file.exit_code == (1 if rbw == "1M" else 4)
    assert _pk(given) == _pk(in_file)
    assert _pk(given) == (
        ("FAIL", -2.0, "measured") if rbw == "1M" else ("INCONCLUSIVE", -2.0, "upper bound")
    )


def test_rbw_is_recorded_in_the_settings_and_the_command(tmp_path: Path) -> None:
    r = _run("check", _capture(tmp_path), *LIMIT, "--rbw", "1M", "-o", "json")
    doc = json.loads(r.stdout)
    assert doc["settings"]["rbw_hz"] == 1e6
    assert doc["captures"][0]["settings"]["rbw_hz"] == 1e6
    assert "--rbw 1M" in doc["command"]
    unstated = json.loads(_run("check", _capture(tmp_path), *LIMIT, "-o", "json").stdout)
    assert unstated["settings"]["rbw_hz"] is None


def test_rbw_agreeing_with_the_file_is_accepted(tmp_path: Path) -> None:
    r = _run("check", _capture(tmp_path, "# rbw_hz: 3000000\n"), *LIMIT, "--rbw", "3M")
    assert r.exit_code == 4, r.output


def test_rbw_contradicting_the_file_is_an_input_error(tmp_path: Path) -> None:
    cap = _capture(tmp_path, "# rbw_hz: 3000000\n")
    r = _run("check", cap, *LIMIT, "--rbw", "1M")
    assert r.exit_code == 3
    assert (
        f"rfcheck: error: {cap}: --rbw 1 MHz contradicts the file's RBW 3 MHz for trace Peak"
        in r.stderr
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "must be a frequency above 0 Hz, got '0'"),
        ("fast", "not a frequency: 'fast'"),
    ],
)
def test_rbw_must_be_a_positive_frequency(tmp_path: Path, value: str, message: str) -> None:
    r = _run("check", _capture(tmp_path), *LIMIT, "--rbw", value)
    assert r.exit_code == 2
    assert f"Invalid value for '--rbw': {message}" in r.stderr


def _setup(folder: Path, check: str) -> Path:
    path = folder / "setup.toml"
    path.write_text(f'[check]\nlimits = ["cispr32-b-rad-above-1g"]\n{check}', "utf-8")
    return path


def test_the_setup_states_an_rbw_and_the_command_line_wins(tmp_path: Path) -> None:
    cap = _capture(tmp_path)
    setup = _setup(tmp_path, "rbw_hz = 1e6\n")
    r = _run("check", cap, "--setup", setup, "-o", "json")
    assert _pk(r) == ("FAIL", -2.0, "measured")
    r = _run("check", cap, "--setup", setup, "--rbw", "3M", "-o", "json")
    assert _pk(r) == ("INCONCLUSIVE", -2.0, "upper bound")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "[check] rbw_hz: must be > 0 Hz, got 0"),
        ('"1M"', "[check] rbw_hz: expected a number, got '1M' (a string)"),
    ],
)
def test_the_setup_rbw_must_be_a_number_of_hz(tmp_path: Path, value: str, message: str) -> None:
    r = _run("check", _capture(tmp_path), "--setup", _setup(tmp_path, f"rbw_hz = {value}\n"))
    assert r.exit_code == 3
    assert message in r.stderr, r.stderr


def test_batch_takes_rbw(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _capture(folder)
    out = tmp_path / "out"
    r = _run("batch", folder, "--out", out, *LIMIT, "--rbw", "1M", "-q", "-o", "json")
    assert r.exit_code == 1, r.output
    (row,) = json.loads(r.stdout)["rows"]
    assert (row["verdict"], row["worst_bound"]) == ("FAIL", "measured")
    report: dict[str, Any] = json.loads((out / "captures" / "pk.csv" / "pk.json").read_text())
    assert report["captures"][0]["settings"]["rbw_hz"] == 1e6


def test_info_takes_rbw(tmp_path: Path) -> None:
    cap = _capture(tmp_path)
    r = _run("info", cap, "--rbw", "120k")
    assert r.exit_code == 0, r.output
    assert "RBW=120 kHz" in r.stdout
    r = _run("info", _capture(tmp_path, "# rbw_hz: 9000\n", "s.csv"), "--rbw", "120k")
    assert r.exit_code == 3
    assert "--rbw 120 kHz contradicts the file's RBW 9 kHz for trace Peak" in r.stderr


def test_rbw_fills_a_zero_span_envelope_that_states_none(tmp_path: Path) -> None:
    path = tmp_path / "env.csv"
    rows = "".join(f"{i * 1e-4:.4f},50.0\n" for i in range(100))
    path.write_text(f"# center_freq_hz: 1000000\ntime_s,level_dbuv\n{rows}", "utf-8")
    (ts,) = load_capture(path).time_series
    assert (ts.kind, ts.rbw_hz) == (SampleKind.ENVELOPE, None)
    (ts,) = load_capture(path, rbw_hz=9e3).time_series
    assert ts.rbw_hz == 9e3
    stated = tmp_path / "env9k.csv"
    stated.write_text(
        f"# center_freq_hz: 1000000\n# rbw_hz: 9000\ntime_s,level_dbuv\n{rows}", "utf-8"
    )
    with pytest.raises(CaptureFormatError, match="--rbw 10 kHz contradicts the file's RBW 9 kHz"):
        load_capture(stated, rbw_hz=10e3)
