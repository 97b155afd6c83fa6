"""Two ``check`` runs at once into one ``--out``: the second waits, then is refused.

The guard (conflict check, writing, record of inputs) runs under an exclusive lock on a file
in the folder. The tests hold that lock themselves, so both runs are known to be waiting
before either may go: no timing is involved.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.cli._check_out import LEDGER, LOCK

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "check"
fcntl = pytest.importorskip("fcntl", reason="the folder lock is POSIX flock (README section 7)")


@contextmanager
def _held(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _start(capture: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rfcheck", "check", str(capture), "--limit", "fcc-15.107-b"]
        + ["--report", "json,csv", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_line(proc: subprocess.Popen[str]) -> list[str]:
    """Read stderr until the run says it waits for the lock (or ends without saying so)."""
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "waiting for another rfcheck run" in line:
            break
    return lines


def test_two_runs_at_once_one_writes_the_other_is_refused(tmp_path: Path) -> None:
    for name, src in (("a", "cond_3det_fail.csv"), ("b", "cond_peak_pass.csv")):
        (tmp_path / name).mkdir()
        shutil.copy(FIX / src, tmp_path / name / "scan.csv")
    out = tmp_path / "race"
    procs = {}
    with _held(out):  # both started and both waiting before either may write
        for name in ("a", "b"):
            procs[name] = _start(tmp_path / name / "scan.csv", out)
            said = _wait_line(procs[name])
            assert said and "waiting for another rfcheck run" in said[-1], said
    ends = {}
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=300)
        ends[name] = (proc.returncode, err)
    refused = [n for n, (rc, _) in ends.items() if rc == 2]
    assert len(refused) == 1, ends
    loser = refused[0]
    winner = "a" if loser == "b" else "b"
    assert ends[winner][0] == (1 if winner == "a" else 0), ends  # a FAILs, b PASSes
    assert "not replaced" in ends[loser][1] and "rfcheck: wrote" not in ends[loser][1]
    recorded = json.loads((out / LEDGER).read_text("utf-8"))["files"]
    want = os.path.realpath(tmp_path / winner / "scan.csv")
    assert recorded["scan.json"] == [want]
    doc = json.loads((out / "scan.json").read_text("utf-8"))
    assert doc["verdict"] == ("FAIL" if winner == "a" else "PASS")


def test_a_run_waits_for_the_lock_then_sees_what_was_written(tmp_path: Path) -> None:
    """While the lock is held another capture's report appears: the waiting run refuses it."""
    (tmp_path / "b").mkdir()
    shutil.copy(FIX / "cond_peak_pass.csv", tmp_path / "b" / "scan.csv")
    out = tmp_path / "out"
    with _held(out):
        proc = _start(tmp_path / "b" / "scan.csv", out)
        said = _wait_line(proc)
        assert said and "waiting for another rfcheck run" in said[-1], said
        # what a first run writes under the lock: its report and the record of its input
        (out / "scan.json").write_text("{}", "utf-8")
        record = {"kind": "rfcheck check reports", "files": {"scan.json": ["/elsewhere/scan.csv"]}}
        (out / LEDGER).write_text(json.dumps(record), "utf-8")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2, err
    assert "holds the report of /elsewhere/scan.csv" in err and "not replaced" in err
    assert (out / "scan.json").read_text("utf-8") == "{}"


def test_a_corrupt_record_is_named_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / LEDGER).write_text("{not json", "utf-8")
    result = CliRunner().invoke(
        main,
        ["check", str(FIX / "cond_peak_pass.csv"), "--limit", "fcc-15.107-b"]
        + ["--report", "json", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert f"rfcheck: warning: {out / LEDGER}: not JSON" in result.stderr
    assert json.loads((out / LEDGER).read_text("utf-8"))["files"]  # rewritten
