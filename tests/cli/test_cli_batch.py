"""``rfcheck batch`` on the command line.

Exit codes, summary, resume, jobs, Dask, progress; a failing process pool falls back in
process, an unexpected exception is one line, earlier output is never an input.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

import rfcheck.batch.pool as batch_pool
from rfcheck.batch import OUTPUT_MARKER, BatchProgress
from rfcheck.cli import main
from rfcheck.cli._batch import ProgressLine
from rfcheck.textsafe import printable


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "summary.csv").open(encoding="utf-8", newline="") as fh:
        return {r["path"]: r for r in csv.DictReader(fh)}


def test_full_tree_exit_1_and_every_input_in_summary(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    root = tmp_path / "ship"
    expected = batch_tree.make_tree(root)
    setup = root / "setup.toml"  # inside the tree: never an input
    setup.write_text(
        f'[check]\nlimits = ["{batch_tree.LIMIT}"]\n'
        "[batch]\ngroup_pattern = '(?P<unit>.+?)_(?:L1|N)\\b'\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, stdout, stderr = _run(root, "--out", out, "--setup", setup, "--jobs", "1")
    assert code == 1, stderr
    rows = _rows(out)
    assert {Path(p).relative_to(root).as_posix(): r["verdict"] for p, r in rows.items()} == {
        printable(k): v
        for k, v in expected.items()  # control characters escaped in the CSV
    }
    assert "batch verdict: FAIL" in stdout and "(11 analysed, 0 up to date)" in stdout
    assert "4 input(s) could not be read or analysed" in stderr and "summary.csv" in stderr
    assert rows[str(root / "malformed/empty.csv")]["error"]
    assert rows[str(root / "conducted/dut1_N.csv")]["group"] == "dut1"
    for name in ("summary.csv", "summary.json", "summary_groups.csv", "index.html"):
        assert (out / name).is_file()
    assert stderr.count("\r") == 0  # not a terminal: no progress line

    # resume: nothing analysed again, identical summary; --force recomputes
    before = (out / "summary.json").read_bytes()
    code, stdout, _ = _run(root, "--out", out, "--setup", setup, "--jobs", "1")
    assert code == 1 and "(0 analysed, 11 up to date)" in stdout
    assert (out / "summary.json").read_bytes() == before
    code, stdout, _ = _run(root, "--out", out, "--setup", setup, "--jobs", "1", "--force")
    assert "(11 analysed, 0 up to date)" in stdout
    # a CLI option changes the settings digest
    code, stdout, _ = _run(root, "--out", out, "--setup", setup, "-j", "1", "--attenuator", "0")
    assert "(11 analysed, 0 up to date)" in stdout


@pytest.mark.parametrize(
    ("keep", "code"),
    [
        ({"PASS"}, 0),
        ({"PASS", "ERROR"}, 3),
        ({"PASS", "INCONCLUSIVE"}, 4),
        ({"PASS", "INCONCLUSIVE", "ERROR"}, 3),
        ({"PASS", "FAIL", "ERROR", "INCONCLUSIVE"}, 1),
    ],
)
def test_exit_codes(tmp_path: Path, keep: set[str], code: int, batch_tree: ModuleType) -> None:
    root = tmp_path / "ship"
    for rel, verdict in batch_tree.make_tree(root).items():
        if verdict not in keep:
            (root / rel).unlink()
    got, _, stderr = _run(
        root, "--out", tmp_path / "out", "--limit", batch_tree.LIMIT, "-j", "1", "-q"
    )
    assert got == code, stderr


def test_jobs_2_process_pool_json_output(tmp_path: Path, batch_tree: ModuleType) -> None:
    root = tmp_path / "ship"
    expected = batch_tree.make_tree(root)
    out = tmp_path / "out"
    code, stdout, _ = _run(
        root, "--out", out, "--limit", batch_tree.LIMIT, "--jobs", "2", "-o", "json",
        "--exclude", "malformed/*", "--report", "json",
    )  # fmt: skip
    doc = json.loads(stdout)
    kept = {k: v for k, v in expected.items() if not k.startswith("malformed/")}
    assert {Path(r["path"]).relative_to(root).as_posix(): r["verdict"] for r in doc["rows"]} == kept
    assert code == 1 and doc["verdict"] == "FAIL"
    assert all(p.endswith(".json") for r in doc["rows"] for p in r["reports"])


def test_scheduler_local_cluster(tmp_path: Path, batch_tree: ModuleType) -> None:
    distributed = pytest.importorskip("distributed")
    root = tmp_path / "ship"
    batch_tree.passing(root / "a_L1.csv")
    batch_tree.inconclusive(root / "a_N.csv")
    (root / "b.txt").write_text("nothing\n")
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        dashboard_address=":0",
        protocol="tcp://",
    ) as cluster:
        code, stdout, stderr = _run(
            root, "--out", out, "--limit", batch_tree.LIMIT,
            "--scheduler", cluster.scheduler_address,
            "--group-pattern", r"(?P<unit>\w+?)_(?:L1|N)",
        )  # fmt: skip
    assert code == 3, stderr
    verdicts = {Path(p).name: r["verdict"] for p, r in _rows(out).items()}
    assert verdicts == {"a_L1.csv": "PASS", "a_N.csv": "INCONCLUSIVE", "b.txt": "ERROR"}
    groups = json.loads((out / "summary.json").read_text("utf-8"))["groups"]
    assert [(g["group"], g["verdict"], g["members"]) for g in groups][0] == ("a", "INCONCLUSIVE", 2)


def test_usage_errors_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_tree: ModuleType
) -> None:
    batch_tree.passing(tmp_path / "in/a.csv")
    out = tmp_path / "out"
    code, _, stderr = _run(tmp_path / "in", "--out", out, "--report", "json,docx")
    assert code == 2 and "docx" in stderr
    code, _, stderr = _run(tmp_path / "in", "--out", out, "--group-pattern", "(.+)_L1")
    assert code == 2 and "named group" in stderr
    code, _, stderr = _run(tmp_path / "in", "--out", out, "--limit", "fcc-15.999")
    assert code == 2 and "unknown limit id" in stderr
    code, _, stderr = _run(tmp_path / "in")
    assert code == 2 and "--out" in stderr
    monkeypatch.setitem(sys.modules, "distributed", None)
    code, _, stderr = _run(
        tmp_path / "in",
        "--out",
        out,
        "--limit",
        batch_tree.LIMIT,
        "--scheduler",
        "tcp://127.0.0.1:1",
    )
    assert code == 2 and "rfcheck[dask]" in stderr


def test_empty_folder_exit_3(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    code, _, stderr = _run(
        tmp_path / "in", "--out", tmp_path / "out", "-j", "1", "--limit", "fcc-15.107-b"
    )
    assert code == 3 and "no capture files found" in stderr


def test_progress_line(tmp_path: Path, batch_tree: ModuleType) -> None:
    stream = io.StringIO()
    line = ProgressLine(stream, min_interval_s=0.0)
    line(BatchProgress(0, 120, 0, 0, 0))
    line(BatchProgress(37, 120, 2, 1, 37))
    line(BatchProgress(120, 120, 2, 1, 120))
    text = stream.getvalue()
    assert "\r37/120 done, 2 failed, 1 unreadable, ETA 0:00:" in text
    assert text.endswith("\n") and "120/120 done" in text
    assert ProgressLine.text(BatchProgress(30, 120, 0, 0, 30), 10.0).endswith("ETA 0:00:30")
    # forced on with --progress (stderr is not a terminal under CliRunner)
    batch_tree.passing(tmp_path / "in/a.csv")
    code, _, stderr = _run(
        tmp_path / "in",
        "--out",
        tmp_path / "out",
        "-j",
        "1",
        "--progress",
        "--limit",
        batch_tree.LIMIT,
    )
    assert code == 0 and "1/1 done, 0 failed" in stderr


# --- process pool failure, internal errors, earlier output never an input -----------------
def _cli(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


class _RefusingPool:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> _RefusingPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        raise ConnectionRefusedError(111, "Connection refused")

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


class _BrokenPool(_RefusingPool):
    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        fut.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return fut


@pytest.mark.parametrize("pool", [_RefusingPool, _BrokenPool])
def test_pool_failure_falls_back_in_process(
    tmp_path: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch, pool: type
) -> None:
    monkeypatch.setattr(batch_pool, "ProcessPoolExecutor", pool)
    root = tmp_path / "d"
    batch_tree.passing(root / "a.csv")
    batch_tree.passing(root / "b.csv")
    result = _cli(
        "batch", root, "--out", tmp_path / "out", "--limit", "fcc-15.107-b", "--jobs", "2"
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    notes = [ln for ln in result.stderr.splitlines() if "process pool unavailable" in ln]
    assert len(notes) == 1 and notes[0].startswith("rfcheck: note: ")
    assert "running the 2 remaining input(s) in this process" in notes[0]


def test_unexpected_exception_is_one_line_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rfcheck.batch  # the command imports run_batch from here when it runs

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("surprise")

    monkeypatch.setattr(rfcheck.batch, "run_batch", boom)
    args = ("batch", tmp_path, "--out", tmp_path / "o", "--limit", "fcc-15.107-b")
    result = _cli(*args, env={"RFCHECK_DEBUG": ""})
    assert result.exit_code == 3
    assert result.stderr == (
        "rfcheck: internal error: KeyError: 'surprise' (set RFCHECK_DEBUG=1 for the traceback)\n"
    )
    debug = _cli(*args, env={"RFCHECK_DEBUG": "1"})
    assert isinstance(debug.exception, KeyError)  # the traceback is shown
    assert _cli("batch", tmp_path, "--bogus").exit_code == 2  # usage errors unchanged


def test_batch_skips_earlier_output_and_notes_hidden(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    d1 = tmp_path / "d1"
    batch_tree.passing(d1 / "a.csv")
    batch_tree.failing(d1 / "sub" / "b.csv")
    (d1 / ".notes.csv").write_text("x", encoding="utf-8")
    (d1 / ".git").mkdir()
    (d1 / ".git" / "c.csv").write_text("x", encoding="utf-8")
    limit = ("--limit", "fcc-15.107-b", "--jobs", "1", "--report", "json,csv,html")
    first = _cli("batch", d1, "--out", d1 / "inside", *limit)  # refused: would mark d1
    assert first.exit_code == 2 and "is inside the input folder" in first.stderr, first.output
    earlier = _cli(
        "check", d1 / "a.csv", "--limit", "fcc-15.107-b", "--report", "json", "--out", d1 / "inside"
    )
    assert earlier.exit_code == 0 and (d1 / "inside" / OUTPUT_MARKER).is_file()
    # a check report folder inside the tree is marked too
    checked = _cli(
        "check", d1 / "a.csv", "--limit", "fcc-15.107-b", "--report", "json", "--out", d1 / "rep"
    )
    assert checked.exit_code == 0, checked.output
    assert (d1 / "rep" / OUTPUT_MARKER).is_file()
    second = _cli("batch", d1, "--out", tmp_path / "o4", *limit)
    assert second.exit_code == 1, second.output
    doc = json.loads((tmp_path / "o4" / "summary.json").read_text("utf-8"))
    paths = sorted(Path(r["path"]).relative_to(d1).as_posix() for r in doc["rows"])
    assert paths == ["a.csv", "sub/b.csv"]
    assert "ERROR" not in [r["verdict"] for r in doc["rows"]]
    hidden = [ln for ln in second.stderr.splitlines() if "hidden" in ln]
    assert hidden == ["rfcheck: note: skipped 2 hidden file(s)/folder(s) (names starting with '.')"]
    assert "earlier rfcheck output" in second.stderr and "d1/inside" in second.stderr


REPO = Path(__file__).resolve().parents[2]


SAMPLES = REPO / "sample_captures"


# --- one stderr line per unreadable input --------------------------------------------------------
def test_batch_stderr_names_each_unreadable_file(tmp_path: Path) -> None:
    out = tmp_path / "bad"
    r = CliRunner().invoke(
        main,
        ["batch", str(SAMPLES / "malformed"), "--limit", "fcc-15.107-b", "--out", str(out), "-q"],
    )
    assert r.exit_code == 3
    lines = r.stderr.splitlines()
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert {x["coverage"] for x in doc["rows"]} == {"none"}
    errs = [ln for ln in lines if ln.startswith("rfcheck: error: ")]
    assert len(errs) == len(doc["rows"]) == 7
    assert f"rfcheck: error: {SAMPLES / 'malformed'}/empty.csv: file is empty" in errs
    assert any(re.search(r"nonmonotonic_keysight\.csv:87: ", ln) for ln in errs)
    assert lines[-1].startswith("rfcheck: 7 input(s) could not be read or analysed")
    assert lines.index(errs[-1]) < len(lines) - 1


def test_globs_that_match_none_of_the_files_are_named(tmp_path: Path) -> None:
    """A DIR one level down from where the setup's include globs start."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("Frequency (Hz),Peak (dBuV)\n1e6,20\n")
    code, _, stderr = _run(
        tmp_path / "in",
        "--out",
        tmp_path / "out",
        "-j",
        "1",
        "--limit",
        "fcc-15.107-b",
        "--include",
        "conducted/*",
    )
    assert code == 3
    assert stderr.strip().endswith(
        ": include ['conducted/*'] (relative to each DIR, the [batch] globs or "
        "--include/--exclude) matched none of the 1 file(s) there"
    )
