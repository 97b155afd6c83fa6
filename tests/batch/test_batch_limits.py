"""Which batches name a limit: the command line refuses one that names none anywhere (exit 2,
tests/cli/test_usage_errors.py); the API keeps judging and reports why per input."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from rfcheck.batch import missing_limit_message, run_batch
from rfcheck.batch.job import NO_LIMIT_GIVEN
from rfcheck.results import Verdict
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
