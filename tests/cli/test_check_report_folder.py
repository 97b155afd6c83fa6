"""``check --report`` without ``--out`` writes into its own marked folder.

So a later batch of the working directory never reads the reports as captures.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.batch import OUTPUT_MARKER
from rfcheck.cli import main
from rfcheck.cli._check_out import LEDGER, LOCK

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "check"


def test_default_report_folder_is_marked_and_skipped_by_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "bench"
    work.mkdir()
    shutil.copy(FIX / "cond_peak_pass.csv", work / "scan.csv")
    monkeypatch.chdir(work)
    result = CliRunner().invoke(
        main, ["check", "scan.csv", "--limit", "fcc-15.107-b", "--report", "json,csv"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in work.iterdir()) == ["rfcheck-reports", "scan.csv"]
    reports = Path("rfcheck-reports")
    assert (reports / OUTPUT_MARKER).is_file()
    kept = (OUTPUT_MARKER, LEDGER, LOCK)
    assert sorted(p.name for p in reports.iterdir() if p.name not in kept) == [
        "scan-suspects.csv",  # with csv: one row per suspect (README)
        "scan.csv",
        "scan.json",
    ]
    assert "rfcheck: wrote rfcheck-reports/" in result.stderr

    batch = CliRunner().invoke(
        main, ["batch", ".", "--out", str(tmp_path / "out"), "--limit", "fcc-15.107-b", "-q"]
    )
    assert batch.exit_code == 0, batch.output
    doc = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert [r["path"] for r in doc["rows"]] == ["scan.csv"]
    assert "earlier rfcheck output" in batch.stderr and "rfcheck-reports" in batch.stderr


@pytest.mark.skipif(os.name == "nt", reason="a backslash separates folders on Windows")
def test_a_backslash_in_a_file_name_is_kept_in_the_report_names(tmp_path: Path) -> None:
    r"""``N$\frac$x.csv`` and ``M$\frac$x.csv`` write their own reports (both wrote ``frac_x``)."""
    out = tmp_path / "out"
    for name in ("N$\\frac$x.csv", "M$\\frac$x.csv"):
        shutil.copy(FIX / "cond_peak_pass.csv", tmp_path / name)
        result = CliRunner().invoke(
            main,
            ["check", str(tmp_path / name), "--limit", "fcc-15.107-b"]
            + ["--report", "json,png", "--out", str(out)],
        )
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.name not in (OUTPUT_MARKER, LEDGER, LOCK)) == [
        "M_frac_x.json",
        "M_frac_x.png",
        "N_frac_x.json",
        "N_frac_x.png",
    ]


def _check(*args: str | Path) -> Any:
    return CliRunner().invoke(main, ["check", *map(str, args), "--limit", "fcc-15.107-b"])


def test_a_report_of_another_capture_is_never_replaced(tmp_path: Path) -> None:
    """a/evil.csv's reports, then b/evil.csv's into one --out: refused.

    The second run wrote rep/evil.* again, silently replacing the first capture's reports
    (a PASS report replaced by another capture's FAIL). It is refused, exit 2, with one line
    naming both captures and nothing written; the same capture again replaces its own
    reports; --overwrite replaces the other's.
    """
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = tmp_path / "a" / "evil.csv", tmp_path / "b" / "evil.csv"
    shutil.copy(FIX / "cond_peak_pass.csv", a)
    shutil.copy(FIX / "cond_3det_fail.csv", b)
    rep = tmp_path / "rep"
    first = _check(a, "--report", "json,png,csv", "--out", rep)
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in rep.glob("evil*")}
    assert sorted(before) == ["evil-suspects.csv", "evil.csv", "evil.json", "evil.png"]

    for formats in ("pdf,json", "png", "csv"):  # any report file about to be replaced
        second = _check(b, "--report", formats, "--out", rep)
        assert second.exit_code == 2, second.output
        assert second.stdout == ""  # refused before anything is printed or written
        (line,) = second.stderr.splitlines()
        assert line.startswith(f"rfcheck: error: {rep}/evil."), line
        assert f"holds the report of {a.resolve()}, not of {b}: not replaced" in line
        assert "--overwrite" in line
        assert {p.name: p.read_bytes() for p in rep.glob("evil*")} == before

    again = _check(a, "--report", "json,png", "--out", rep)  # the same capture: replaced
    assert again.exit_code == 0, again.output
    assert json.loads((rep / "evil.json").read_text("utf-8"))["captures"][0]["verdict"] == "PASS"

    forced = _check(b, "--report", "json", "--out", rep, "--overwrite")
    assert forced.exit_code == 1, forced.output
    assert json.loads((rep / "evil.json").read_text("utf-8"))["captures"][0]["verdict"] == "FAIL"
    # from now on evil.json is b's: a's run is the one refused; evil.png is still a's
    assert _check(a, "--report", "json", "--out", rep).exit_code == 2
    assert _check(b, "--report", "png", "--out", rep).exit_code == 2


def test_reports_without_a_record_are_replaced_as_before(tmp_path: Path) -> None:
    """A report file the folder's record does not name (an earlier rfcheck's) is replaced."""
    rep = tmp_path / "rep"
    rep.mkdir()
    (rep / "cond_peak_pass.json").write_text("{}", encoding="utf-8")
    shutil.copy(FIX / "cond_peak_pass.csv", tmp_path / "cond_peak_pass.csv")
    result = _check(tmp_path / "cond_peak_pass.csv", "--report", "json", "--out", rep)
    assert result.exit_code == 0, result.output
    assert json.loads((rep / "cond_peak_pass.json").read_text("utf-8"))["captures"]


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_report_never_replaces_the_capture_it_reports_on(tmp_path: Path, overwrite: bool) -> None:
    """``--report csv --out`` the capture's folder wrote the report over it."""
    scan = tmp_path / "scan.csv"
    shutil.copy(FIX / "cond_peak_pass.csv", scan)
    before = scan.read_bytes()
    args = ["check", str(scan), "--limit", "fcc-15.107-b", "--report", "csv"]
    args += ["--out", str(tmp_path)] + (["--overwrite"] if overwrite else [])
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2
    assert "is an input of this run" in res.stderr and "never replaces an input" in res.stderr
    assert scan.read_bytes() == before
