"""Tests of ``rfcheck batch --out``.

The user's files are protected, an unwritable folder is one line and exit code 3, and a summary
is never left half-written or out of date.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

import rfcheck.batch.output as batch_output
from rfcheck.batch import OUTPUT_MARKER
from rfcheck.cli import main


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def inputs(tmp_path: Path, batch_tree: ModuleType) -> Path:
    root = tmp_path / "in"
    batch_tree.passing(root / "a.csv")
    batch_tree.failing(root / "b.csv")
    return root


def _limit(batch_tree: ModuleType) -> tuple[str, ...]:
    return ("--limit", batch_tree.LIMIT, "-j", "1", "-q")


def test_non_empty_folder_rfcheck_did_not_create_is_refused(
    tmp_path: Path, inputs: Path, batch_tree: ModuleType
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "summary.csv").write_text("my own table\n", encoding="utf-8")
    code, stdout, stderr = _run(inputs, "--out", out, *_limit(batch_tree))
    assert code == 2, stderr
    assert stderr.splitlines()[-1] == (
        f"Error: --out {out.as_posix()} is a non-empty folder rfcheck did not create (no "
        f"{OUTPUT_MARKER}): choose a new or empty folder, or use --force to write into it"
    )
    assert stdout == "" and sorted(p.name for p in out.iterdir()) == ["summary.csv"]
    assert (out / "summary.csv").read_text("utf-8") == "my own table\n"

    code, _, stderr = _run(inputs, "--out", out, *_limit(batch_tree), "--force")
    assert code == 1, stderr
    assert (out / OUTPUT_MARKER).is_file()
    code, _, stderr = _run(inputs, "--out", out, *_limit(batch_tree))  # marked now: resumes
    assert code == 1, stderr


def test_empty_existing_folder_is_used(
    tmp_path: Path, inputs: Path, batch_tree: ModuleType
) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    code, _, stderr = _run(inputs, "--out", out, *_limit(batch_tree))
    assert code == 1, stderr
    assert (out / OUTPUT_MARKER).is_file()


@pytest.mark.parametrize("where", [".", "sub"])
def test_out_inside_an_input_folder_is_a_usage_error(
    inputs: Path, batch_tree: ModuleType, where: str
) -> None:
    out = inputs / where
    code, _, stderr = _run(inputs, "--out", out, *_limit(batch_tree), "--force")
    assert code == 2, stderr
    assert stderr.splitlines()[-1] == (
        f"Error: --out {out.as_posix()} is inside the input folder {inputs.as_posix()}: "
        "choose an output folder outside every DIR"
    )
    assert not (inputs / OUTPUT_MARKER).exists()


def test_out_dev_null_cannot_write_exit_3(inputs: Path, batch_tree: ModuleType) -> None:
    code, stdout, stderr = _run(inputs, "--out", "/dev/null", *_limit(batch_tree))
    assert (code, stdout, stderr) == (
        3,
        "",
        "rfcheck: error: cannot write /dev/null: not a folder\n",
    )


def test_read_only_out_cannot_write_exit_3(
    tmp_path: Path, inputs: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ro"

    def refused(folder: str | Path) -> None:  # as a read-only folder answers (also for root)
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(out / OUTPUT_MARKER))

    monkeypatch.setattr(batch_output, "write_output_marker", refused)
    code, stdout, stderr = _run(inputs, "--out", out, *_limit(batch_tree))
    assert (code, stdout, stderr) == (
        3,
        "",
        f"rfcheck: error: cannot write {(out / OUTPUT_MARKER).as_posix()}: Permission denied\n",
    )


def test_full_disk_leaves_no_summary_inconsistent_with_the_captures(
    tmp_path: Path, inputs: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    code, _, _ = _run(inputs, "--out", out, *_limit(batch_tree))
    assert code == 1
    before = json.loads((out / "summary.json").read_text("utf-8"))
    assert before["counts"]["FAIL"] == 1

    batch_tree.passing(inputs / "b.csv")  # the FAIL is fixed: the new summary would differ
    real = tempfile.mkstemp  # what rfcheck.report.atomic calls
    calls: list[str] = []

    def full(*args: object, **kwargs: object) -> tuple[int, str]:
        calls.append(str(kwargs.get("prefix")))
        if calls[-1] == ".summary.json.":  # the third summary file: the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "summary.json"))
        return real(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", full)
    code, stdout, stderr = _run(inputs, "--out", out, *_limit(batch_tree))
    assert (code, stdout) == (3, "")
    assert stderr == (
        f"rfcheck: error: cannot write {(out / 'summary.json').as_posix()}: "
        "No space left on device\n"
    )
    # the old summary (FAIL) would now contradict the recomputed capture (PASS): it is gone,
    # and no partial new one or temporary file is left
    left = sorted(p.name for p in out.iterdir())
    assert left == [OUTPUT_MARKER, "captures"]

    monkeypatch.setattr(tempfile, "mkstemp", real)
    code, _, stderr = _run(inputs, "--out", out, *_limit(batch_tree))
    assert code == 0, stderr
    after = json.loads((out / "summary.json").read_text("utf-8"))
    assert after["verdict"] == "PASS" and after["interrupted"] is False


def test_unreachable_scheduler_leaves_the_last_summary(
    tmp_path: Path, inputs: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rfcheck.batch.runner as runner
    from rfcheck.batch import BatchSchedulerError

    out = tmp_path / "out"
    code, _, _ = _run(inputs, "--out", out, *_limit(batch_tree))
    before = (out / "summary.json").read_bytes()

    def unreachable(scheduler: object) -> tuple[object, bool]:
        raise BatchSchedulerError(f"cannot connect to the Dask scheduler {scheduler}: refused")

    monkeypatch.setattr(runner, "dask_client", unreachable)
    code, _, stderr = _run(
        inputs, "--out", out, *_limit(batch_tree), "--scheduler", "tcp://127.0.0.1:9"
    )
    assert code == 2 and stderr.splitlines()[-1] == (
        "Error: cannot connect to the Dask scheduler tcp://127.0.0.1:9: refused"
    )
    assert (out / "summary.json").read_bytes() == before
