"""Test what run_batch refuses before any work, and which batches name a limit.

The command line refuses a batch that names none anywhere (exit 2,
tests/cli/test_usage_errors.py); the API keeps judging and reports why per input.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from rfcheck.batch import missing_limit_message, run_batch
from rfcheck.batch.job import NO_LIMIT_GIVEN
from rfcheck.outcome import Verdict
from rfcheck.report import ReportFormatError
from rfcheck.settings import CheckSettings, Rule, Setup


@pytest.mark.parametrize(
    ("setup", "overrides", "missing"),
    [
        (Setup(), None, True),
        (Setup(), {"limit_ids": (), "limit_files": (), "distance_m": 3.0}, True),
        (Setup(rules=(Rule("*.csv", {"distance_m": 3.0}),)), {}, True),
        (Setup(), {"limit_ids": ("fcc-15.107-b",)}, False),
        (Setup(), {"limit_files": (Path("my.toml"),)}, False),
        (Setup(check=CheckSettings(limit_ids=("fcc-15.107-b",))), None, False),
        (Setup(rules=(Rule("a/*", {"limit_ids": ("fcc-15.107-b",)}),)), None, False),
    ],
)
def test_missing_limit_message(
    setup: Setup, overrides: dict[str, object] | None, missing: bool
) -> None:
    assert missing_limit_message(setup, overrides) == (NO_LIMIT_GIVEN if missing else "")


def test_api_without_limit_gives_error_rows_saying_why(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    batch_tree.passing(tmp_path / "in/a.csv")
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1, formats=())
    [row] = result.rows
    assert row.verdict is Verdict.ERROR and row.coverage == "none"
    assert row.error == (
        "no limit applies to 'a.csv': no --setup file and no --limit given "
        "(use --limit ID or --limit-file FILE)"
    )


def test_api_unknown_report_format_refused_before_any_work(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    batch_tree.passing(tmp_path / "in/a.csv")
    with pytest.raises(ReportFormatError, match=r"unknown format 'docx'"):
        run_batch([tmp_path / "in"], tmp_path / "out", formats=("json", "docx"), jobs=1)
    assert not (tmp_path / "out").exists()


def test_api_formats_any_case_written_in_registry_order(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    batch_tree.passing(tmp_path / "in/a.csv")
    result = run_batch(
        [tmp_path / "in"],
        tmp_path / "out",
        formats=("CSV", "json"),
        jobs=1,
        overrides={"limit_ids": (batch_tree.LIMIT,)},
    )
    assert result.rows[0].reports == ("captures/a.csv/a.csv", "captures/a.csv/a.json")
