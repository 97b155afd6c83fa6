"""Guards found by the acceptance audit: non-finite readings, impossible distances,
duplicate limit ids, the format kept on post-load errors, '--detector unknown'."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.analysis import analyse_file
from rfcheck.cli import main
from rfcheck.settings import CheckSettings

KEYSIGHT = """Trace\r
Swept SA\r
A.25.08,N9038A\r
Number of Points,3\r
RBW,9000\r
Detector,Peak\r
X Axis Units,Hz\r
Y Axis Units,dBuV\r
DATA\r
150000,20.0\r
160000,{mid}\r
170000,21.0\r
"""


def _keysight(tmp_path: Path, mid: str) -> Path:
    f = tmp_path / f"k_{mid}.csv"
    f.write_text(KEYSIGHT.format(mid=mid), encoding="ascii")
    return f


@pytest.mark.parametrize("bad", ["inf", "-inf", "nan"])
def test_non_finite_reading_is_an_input_error(tmp_path: Path, bad: str) -> None:
    f = _keysight(tmp_path, bad)
    result = CliRunner().invoke(main, ["check", str(f), "--limit", "fcc-15.107-b"])
    assert result.exit_code == 3, result.output
    assert f"{f}: line 11: DATA: not a number in column 2: {bad!r}" in result.output


@pytest.mark.parametrize("distance", ["inf", "nan", "0", "-3"])
def test_impossible_distance_is_a_usage_error(tmp_path: Path, distance: str) -> None:
    f = _keysight(tmp_path, "22.0")
    result = CliRunner().invoke(
        main, ["check", str(f), "--limit", "fcc-15.109-b", "--distance", distance]
    )
    assert result.exit_code == 2, result.output
    assert "--distance" in result.output


def test_repeated_limit_id_is_judged_once(tmp_path: Path) -> None:
    f = _keysight(tmp_path, "22.0")
    res = analyse_file(f, CheckSettings(limit_ids=("fcc-15.107-b", "fcc-15.107-b")))
    assert [(c.limit_id, c.line) for c in res.checks] == [("fcc-15.107-b", "QP"), ("fcc-15.107-b", "AV")]


def test_user_file_may_not_reuse_a_shipped_id(tmp_path: Path) -> None:
    from rfcheck.limits import _shipped_root

    text = (_shipped_root() / "fcc-15.107-a.toml").read_text(encoding="utf-8")
    dup = tmp_path / "dup.toml"
    dup.write_text(text.replace('id = "fcc-15.107-a"', 'id = "fcc-15.107-b"'), encoding="utf-8")
    f = _keysight(tmp_path, "22.0")
    res = analyse_file(f, CheckSettings(limit_ids=("fcc-15.107-b",), limit_files=(dup,)))
    assert res.verdict.value == "ERROR"
    assert "limit id 'fcc-15.107-b' is used by two tables" in res.errors[0].message


def test_format_kept_when_judging_fails_after_loading(tmp_path: Path) -> None:
    f = _keysight(tmp_path, "22.0")
    res = analyse_file(f, CheckSettings(limit_ids=("fcc-15.109-b",)))  # dBuV, radiated, no AF
    assert res.verdict.value == "ERROR"
    assert res.format == "keysight-xseries"
    assert res.sha256 and len(res.sha256) == 64


def test_detector_unknown_is_not_a_statement(tmp_path: Path) -> None:
    f = _keysight(tmp_path, "22.0")
    result = CliRunner().invoke(main, ["info", str(f), "--detector", "unknown"])
    assert result.exit_code == 2
    assert "unknown detector 'unknown'" in result.output
