"""``check --report`` without ``--out`` writes into its own marked folder.

So a later batch of the working directory never reads the reports as captures.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.batch import OUTPUT_MARKER
from rfcheck.cli import main

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
    assert sorted(p.name for p in reports.iterdir() if p.name != OUTPUT_MARKER) == [
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
    assert sorted(p.name for p in out.iterdir() if p.name != OUTPUT_MARKER) == [
        "M_frac_x.json",
        "M_frac_x.png",
        "N_frac_x.json",
        "N_frac_x.png",
    ]
