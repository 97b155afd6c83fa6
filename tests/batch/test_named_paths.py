"""A path named on the command line is an input, whatever it is: a bad one is an ERROR row.

``docs/batch.md``: "A file named directly on the command line is always an input" and "A bad
input never aborts the batch". A missing path, a dangling link or a link loop refused the
whole batch (exit 3, nothing written, a FAIL beside it never judged), and a FIFO was
described as a folder that could not be listed. Each is now an ERROR row naming what it is,
the rest is judged, and the exit code follows the README's precedence (a FAIL: exit 1).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

LOOP = "cannot read: Too many levels of symbolic links"
FIFO = "is a FIFO (named pipe), not a capture file"


def _batch(*args: str | Path) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, ["batch", *map(str, args)])
    return res.exit_code, res.stdout, res.stderr


def _rows(out: Path) -> list[tuple[str, str, str]]:
    with (out / "summary.csv").open(encoding="utf-8", newline="") as fh:
        return [(r["path"], r["verdict"], r["error"]) for r in csv.DictReader(fh)]


@pytest.fixture
def named(tmp_path: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write a FAIL capture and, beside it, a FIFO, a link loop and a dangling link (cwd)."""
    monkeypatch.chdir(tmp_path)
    batch_tree.failing(tmp_path / "fail.csv")
    os.mkfifo(tmp_path / "fifo.csv")
    (tmp_path / "self_a.csv").symlink_to("self_b.csv")
    (tmp_path / "self_b.csv").symlink_to("self_a.csv")
    (tmp_path / "dangling.csv").symlink_to("gone.csv")
    return tmp_path


def test_bad_paths_named_beside_a_fail_are_error_rows_and_the_fail_decides(
    named: Path, batch_tree: ModuleType
) -> None:
    args = ["fifo.csv", "fail.csv", "self_a.csv", "dangling.csv", "nosuch.csv"]
    code, stdout, stderr = _batch(*args, "--limit", batch_tree.LIMIT, "--out", "out", "-j", "1")
    assert code == 1, stderr
    assert _rows(named / "out") == [
        ("fifo.csv", "ERROR", FIFO),
        ("fail.csv", "FAIL", ""),
        ("self_a.csv", "ERROR", LOOP),
        ("dangling.csv", "ERROR", "no such file"),
        ("nosuch.csv", "ERROR", "no such file"),
    ]
    assert f"rfcheck: error: fifo.csv: {FIFO}" in stderr.splitlines()
    assert f"rfcheck: error: self_a.csv: {LOOP}" in stderr.splitlines()
    assert "rfcheck: error: nosuch.csv: no such file" in stderr.splitlines()
    assert "batch verdict: FAIL" in stdout


def test_a_missing_path_alone_is_its_error_row_exit_3(named: Path, batch_tree: ModuleType) -> None:
    code, _, stderr = _batch("nosuch", "--limit", batch_tree.LIMIT, "--out", "out")
    assert code == 3, stderr
    assert _rows(named / "out") == [("nosuch", "ERROR", "no such file")]


def test_usage_errors_are_still_refused(named: Path, batch_tree: ModuleType) -> None:
    code, _, stderr = _batch("--limit", batch_tree.LIMIT, "--out", "out")  # no path at all
    assert code == 2 and "Missing argument 'DIR...'" in stderr
    (named / "in").mkdir()
    code, _, stderr = _batch("in", "nosuch.csv", "--limit", batch_tree.LIMIT, "--out", "in/o")
    assert code == 2 and "is inside the input folder in" in stderr
    assert not (named / "in" / "o").exists()
