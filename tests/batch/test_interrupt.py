"""Test that an interrupted batch (Ctrl-C, SIGINT) stops at once and writes its summary.

It stops dispatching at once and writes the summary of what finished, marked interrupted;
the command line exits with 130.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

import rfcheck.batch.pool as batch_pool
from rfcheck.batch import CAPTURES_DIR, STATE_FILE, BatchJob, BatchProgress, run_batch
from rfcheck.batch.job import run_job as run_batch_job
from rfcheck.batch.pool import run_inline
from rfcheck.batch.results import NOT_RUN
from rfcheck.batch.stop import StopRequest, stop_on_signals
from rfcheck.cli import main
from rfcheck.outcome import Verdict
from rfcheck.settings import CheckSettings


def _tree(root: Path, batch_tree: ModuleType, n: int) -> None:
    for i in range(n):
        (batch_tree.failing if i == 0 else batch_tree.passing)(root / f"c{i:03d}.csv")


@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupt_writes_the_summary_of_what_finished(
    tmp_path: Path, batch_tree: ModuleType, jobs: int
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _tree(root, batch_tree, 12)

    def interrupt_after_three(p: BatchProgress) -> None:
        if p.done == 3:
            raise KeyboardInterrupt

    result = run_batch(
        [root],
        out,
        overrides={"limit_ids": (batch_tree.LIMIT,)},
        jobs=jobs,
        formats=("json",),
        progress=interrupt_after_three,
    )
    # every input whose resume state was written (the three reported, and any a worker
    # finished before the pool was stopped: how many depends on the workers' timing) is
    # analysed in the summary; exactly the others are not
    saved = len(list(out.glob(f"{CAPTURES_DIR}/*/{STATE_FILE}")))
    assert 3 <= saved <= 12
    assert result.interrupted and result.not_run == 12 - saved and len(result.rows) == 12
    assert result.computed == saved
    # the total line's parts add up to the rows (the table on stdout)
    rest = f", {12 - saved} not analysed" if saved < 12 else ""
    assert result.total_parts == f"{saved} analysed, 0 up to date{rest}"
    not_run = [r for r in result.rows if r.error == NOT_RUN]
    assert len(not_run) == 12 - saved
    assert all(r.verdict is Verdict.INCOMPLETE and r.coverage == "none" for r in not_run)
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["interrupted"] is True
    assert "Interrupted" in (out / "index.html").read_text("utf-8")
    # the next run finishes: it reuses every input whose resume state was written and
    # analyses exactly the others
    again = run_batch(
        [root], out, overrides={"limit_ids": (batch_tree.LIMIT,)}, jobs=1, formats=("json",)
    )
    assert (again.computed, again.reused) == (12 - saved, saved)
    assert not again.interrupted and again.verdict is Verdict.FAIL
    assert Verdict.INCOMPLETE not in {r.verdict for r in again.rows}
    assert json.loads((out / "summary.json").read_text("utf-8"))["interrupted"] is False


def test_interrupted_batch_without_a_fail_is_incomplete_exit_5(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    for i in range(4):
        batch_tree.passing(root / f"p{i}.csv")

    def interrupt(p: BatchProgress) -> None:
        if p.done == 1:
            raise KeyboardInterrupt

    result = run_batch(
        [root], out, overrides={"limit_ids": (batch_tree.LIMIT,)}, jobs=1, progress=interrupt
    )
    assert result.verdict is Verdict.INCOMPLETE and result.exit_code == 5


@pytest.mark.parametrize(
    ("sig", "code", "said"),
    [
        (signal.SIGINT, 130, "rfcheck: interrupted: "),
        (signal.SIGTERM, 143, "rfcheck: terminated (SIGTERM): "),  # kill, timeout, CI cancel
    ],
)
def test_sigint_with_jobs_stops_at_once_and_exits_130(
    tmp_path: Path, batch_tree: ModuleType, sig: signal.Signals, code: int, said: str
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    n = 600  # ~2 s of work after the first chunk: room for the signal on a loaded machine
    _tree(root, batch_tree, n)
    cmd = [
        sys.executable,
        "-m",
        "rfcheck",
        "batch",
        str(root),
        "--out",
        str(out),
        "--limit",
        batch_tree.LIMIT,
        "-j",
        "2",
        "--progress",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    seen = b""
    while b"\r1" not in seen.replace(b"\r0/", b""):  # the first input finished
        chunk = proc.stderr.read(1)
        assert chunk, seen
        seen += chunk
    proc.send_signal(sig)
    start = time.monotonic()
    stdout, stderr = proc.communicate(timeout=60)
    took_s = time.monotonic() - start
    assert proc.returncode == code, stderr
    lines = [ln for ln in stderr.decode().splitlines() if ln.startswith("rfcheck:")]
    assert len(lines) == 1 and lines[0].startswith(said), stderr
    assert "Traceback" not in stderr.decode()
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["interrupted"] is True and len(doc["rows"]) == n
    assert doc["not_analysed"] > n // 2  # it did not run the queue to the end
    assert took_s < 10.0  # the queued jobs are not waited for (process exit included)
    assert os.listdir(out / "captures")


def test_a_terminated_batch_counts_every_input_whose_result_was_written(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    """After SIGTERM the summary counts every input whose result was written.

    It called 'not analysed' inputs a worker had finished (reports and resume state
    written) whose chunk had not come back; the resumed run then found them up to date.
    The resumed run now reuses exactly the inputs the summary counts.
    """
    root, out = tmp_path / "in", tmp_path / "out"
    n = 600
    _tree(root, batch_tree, n)
    cmd = [sys.executable, "-m", "rfcheck", "batch", str(root), "--out", str(out)]
    cmd += ["--limit", batch_tree.LIMIT, "-j", "2", "--progress", "--report", "json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    seen = b""
    while b"\r1" not in seen.replace(b"\r0/", b""):  # the first chunk came back
        chunk = proc.stderr.read(1)
        assert chunk, seen
        seen += chunk
    time.sleep(0.3)  # workers are inside their next chunks
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    saved = len(list(out.glob(f"{CAPTURES_DIR}/*/{STATE_FILE}")))
    not_run = [r for r in doc["rows"] if r.get("error") == NOT_RUN]
    assert doc["interrupted"] is True and len(doc["rows"]) == n
    assert len(not_run) == n - saved, (len(not_run), n - saved)
    said = [ln for ln in stderr.decode().splitlines() if "rfcheck: terminated" in ln]
    assert said[-1].endswith(
        f"rfcheck: terminated (SIGTERM): {n - saved} of {n} input(s) not "
        "analysed; summary of what finished in " + str(out / "summary.csv") + "; run the same "
        "command again to resume"
    ), said
    again = run_batch(
        [root], out, overrides={"limit_ids": (batch_tree.LIMIT,)}, jobs=1, formats=("json",)
    )
    assert (again.computed, again.reused) == (n - saved, saved)


def test_pool_workers_end_when_the_batch_is_killed(tmp_path: Path, batch_tree: ModuleType) -> None:
    """SIGKILL (the OOM killer) stops no worker itself: each ends on its own."""
    psutil = pytest.importorskip("psutil")
    root, out = tmp_path / "in", tmp_path / "out"
    _tree(root, batch_tree, 600)
    cmd = [sys.executable, "-m", "rfcheck", "batch", str(root), "--out", str(out)]
    cmd += ["--limit", batch_tree.LIMIT, "-j", "2", "--progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    seen = b""
    while b"\r1" not in seen.replace(b"\r0/", b""):  # the pool runs: its workers exist
        chunk = proc.stderr.read(1)
        assert chunk, seen
        seen += chunk
    family = psutil.Process(proc.pid).children(recursive=True)
    assert family, "no worker processes found"
    proc.kill()
    proc.wait(timeout=30)
    proc.stderr.close()

    def running(p: object) -> bool:
        try:
            return p.status() != psutil.STATUS_ZOMBIE  # type: ignore[attr-defined, no-any-return]
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + 20.0
    while time.monotonic() < deadline and any(running(p) for p in family):
        time.sleep(0.2)
    left = [p.pid for p in family if running(p)]
    for pid in left:  # do not leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []


# --- a signal whose KeyboardInterrupt is lost on its way still stops the batch ----------
def test_a_stop_requested_stops_an_in_process_batch_at_the_next_capture(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    """A signal handler recorded the stop, but its exception never reached the loop.

    The batch ran on to its end, exit 1, ``"interrupted": false``. The loop now finds the
    request between captures and stops there, the summary written.
    """
    root, out = tmp_path / "in", tmp_path / "out"
    _tree(root, batch_tree, 5)
    stop = StopRequest()

    def handler_ran_exception_lost(p: BatchProgress) -> None:
        if p.done == 2:
            stop.request(signal.SIGINT)

    result = run_batch(
        [root],
        out,
        overrides={"limit_ids": (batch_tree.LIMIT,)},
        jobs=1,
        formats=("json",),
        progress=handler_ran_exception_lost,
        stop=stop,
    )
    assert result.interrupted and (result.computed, result.not_run) == (2, 3)
    assert [r.error == NOT_RUN for r in result.rows] == [False, False, True, True, True]
    assert json.loads((out / "summary.json").read_text("utf-8"))["interrupted"] is True


def test_the_inline_runner_starts_no_capture_once_a_stop_is_requested(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[str] = []
    monkeypatch.setattr(batch_pool, "run_job", lambda job: started.append(job.path))
    settings = CheckSettings()
    jobs = [BatchJob(f"c{i}.csv", f"c{i}.csv", settings, (), "o", "o", "") for i in range(3)]
    stop = StopRequest()
    stream = run_inline(jobs, stop=stop)
    next(stream)
    stop.request(signal.SIGTERM)
    assert list(stream) == [] and started == ["c0.csv"] and stop.terminated


def _swallowing_run_job(monkeypatch: pytest.MonkeyPatch, sig: signal.Signals) -> None:
    """Deliver ``sig`` while the first capture is judged, its KeyboardInterrupt cleared.

    As numpy clears a KeyboardInterrupt raised inside its look-up of an operand's special
    methods (an IntEnum member's metaclass): the capture finishes as if nothing happened.
    """
    calls = []

    def run_job(job: BatchJob) -> Any:
        calls.append(job.path)
        if len(calls) == 1:
            try:
                signal.raise_signal(sig)  # the handler runs here and raises
            except KeyboardInterrupt:
                pass  # ... and the exception is lost
        return run_batch_job(job)

    monkeypatch.setattr(batch_pool, "run_job", run_job)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_whose_interrupt_is_lost_still_stops_the_batch(
    tmp_path: Path,
    batch_tree: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    sig: signal.Signals,
    code: int,
) -> None:
    """Ctrl-C (and SIGTERM) landing where the exception is cleared were lost: the batch ran on.

    It ran to its end and exited 1 with ``"interrupted": false``; now it stops after the
    capture the signal arrived in, writes the summary and exits 130 (143).
    """
    root, out = tmp_path / "in", tmp_path / "out"
    _tree(root, batch_tree, 4)
    _swallowing_run_job(monkeypatch, sig)
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    result = CliRunner().invoke(
        main,
        ["batch", str(root), "--out", str(out), "--limit", batch_tree.LIMIT, "-j", "1"],
    )
    assert result.exit_code == code, result.output
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["interrupted"] is True
    assert [r["error"] == NOT_RUN for r in doc["rows"]] == [False, True, True, True]
    assert {s: signal.getsignal(s) for s in before} == before  # the handlers are restored


def test_the_stop_handler_records_the_signal_and_raises() -> None:
    stop = StopRequest()
    with stop_on_signals(stop):
        for sig in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(sig)
            assert callable(handler)
            with pytest.raises(KeyboardInterrupt):
                handler(sig, None)
    assert stop.signals == [signal.SIGINT, signal.SIGTERM] and stop.terminated


# --- an interrupted batch tells the inputs not analysed from analysed INCOMPLETE ones ------
#: Peak 30 dBµV over 0.15-5 MHz only: analysed, INCOMPLETE (5-30 MHz not measured).
_PART = "# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV)\n0.15,30\n1,30\n5,30\n"


def _interrupted_at_third(
    root: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Write 5 inputs (INCOMPLETE, FAIL, 3 PASS); Ctrl-C as the third starts."""
    root.mkdir()
    (root / "a_part.csv").write_text(_PART, "utf-8")
    batch_tree.failing(root / "b_fail.csv")
    for name in ("c.csv", "d.csv", "e.csv"):
        batch_tree.passing(root / name)
    calls: list[str] = []

    def run_job(job: BatchJob) -> Any:
        calls.append(job.path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return run_batch_job(job)

    monkeypatch.setattr(batch_pool, "run_job", run_job)


def test_an_interrupted_summary_counts_the_inputs_not_analysed_apart(
    tmp_path: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inputs not analysed are counted apart from the analysed INCOMPLETE ones.

    They were counted as INCOMPLETE, and the page called every INCOMPLETE input not
    analysed: an analysed one with a range not measured too.
    """
    root, out = tmp_path / "in", tmp_path / "out"
    _interrupted_at_third(root, batch_tree, monkeypatch)
    args = ["batch", str(root), "--out", str(out), "--limit", batch_tree.LIMIT, "-j", "1"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 130, res.output
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["interrupted"] is True and doc["not_analysed"] == 3
    assert doc["counts"] == {"PASS": 0, "FAIL": 1, "INCONCLUSIVE": 0, "INCOMPLETE": 1, "ERROR": 0}
    assert [(r["verdict"], r["error"] == NOT_RUN) for r in doc["rows"]] == [
        ("INCOMPLETE", False),  # analysed: 5-30 MHz not measured
        ("FAIL", False),
        *[("INCOMPLETE", True)] * 3,
    ]
    page = (out / "index.html").read_text("utf-8")
    assert "<strong>Interrupted:</strong> 3 of 5 inputs were not analysed" in page
    assert "the inputs marked INCOMPLETE were not analysed" not in page
    assert "0 ERROR, 3 not analysed" in page
    # the stdout table (``> log``) says it too, not only a line on stderr
    lines = res.stdout.splitlines()
    assert "INCOMPLETE          1" in lines
    assert "not analysed        3   (the batch was interrupted)" in lines
    assert "batch verdict: FAIL (interrupted: 3 of 5 inputs not analysed)" in lines


def test_batch_help_lists_both_interrupt_exit_codes() -> None:
    """The help gave 130 (Ctrl-C) but not 143 (SIGTERM), which the README lists."""
    text = " ".join(CliRunner().invoke(main, ["batch", "--help"]).output.split())
    assert "130 interrupted (Ctrl-C" in text
    assert "143 stopped by SIGTERM (kill, timeout, a cancelled CI job: as 130)" in text


def test_a_sigint_ignored_at_the_start_stays_ignored_sigterm_is_handled() -> None:
    """A shell starts background jobs with SIGINT ignored: ``kill -INT`` must not stop them."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with stop_on_signals(StopRequest()):
            assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
            assert callable(signal.getsignal(signal.SIGTERM))
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
    with stop_on_signals(StopRequest()):  # a foreground run: Ctrl-C stops it
        assert callable(signal.getsignal(signal.SIGINT))
        assert signal.getsignal(signal.SIGINT) is not before


def test_a_stop_raised_where_python_cannot_pass_it_on_prints_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C inside a ctypes callback (numba compiling) printed "Exception ignored ..." once.

    The handler's KeyboardInterrupt, raised where Python cannot pass it on, goes to the
    unraisable hook: with the stop recorded, it is not passed on to be printed (the run says
    it in one line); any other unraisable exception, or one before a stop, is, as before.
    """
    import gc

    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda args: seen.append(args.exc_type))

    class Raises:
        def __init__(self, exc: type[BaseException]) -> None:
            self.exc = exc

        def __del__(self) -> None:
            raise self.exc

    stop = StopRequest()
    with stop_on_signals(stop):
        Raises(KeyboardInterrupt)  # no stop asked for yet: passed on
        gc.collect()
        stop.request(signal.SIGINT)
        Raises(KeyboardInterrupt)
        gc.collect()
        Raises(ValueError)
        gc.collect()
    assert seen == [KeyboardInterrupt, ValueError]
    Raises(KeyboardInterrupt)  # after the run: passed on again
    gc.collect()
    assert seen == [KeyboardInterrupt, ValueError, KeyboardInterrupt]
