"""Test that an interrupted Dask batch counts exactly what its workers finished.

Dask cannot stop a running task: an interrupted run wrote its summary while its workers
still finished chunks, so inputs whose reports and resume states were written read "not
analysed" (FAILs among them), and the workers wrote into the output folder after the
summary. The run now cancels its tasks, waits until no worker holds one (a running chunk
ends after the input it is on), and only then counts the resume states and writes the
summary.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import rfcheck.batch.worker as worker_mod
from rfcheck.batch import CAPTURES_DIR, STATE_FILE, BatchProgress, run_batch
from rfcheck.batch.results import NOT_RUN

N = 40  #: one worker thread, 40 inputs: chunks of 5 (rfcheck.batch.chunks.plan_chunks)
CHUNK = 5
SLOW_S = 0.5  #: each input after the first chunk takes this long, after the interrupt


def _states(out: Path) -> list[Path]:
    return sorted(out.glob(f"{CAPTURES_DIR}/*/{STATE_FILE}"))


def test_interrupted_dask_batch_counts_what_its_workers_finish(
    tmp_path: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    root, out = tmp_path / "in", tmp_path / "out"
    for i in range(N):
        (batch_tree.failing if i % 2 else batch_tree.passing)(root / f"c{i:03d}.csv")
    interrupted = threading.Event()
    started = itertools.count()
    real = worker_mod.run_job  # type: ignore[attr-defined]

    def run_job(job: Any) -> Any:
        # the first chunk the worker runs (one thread) runs at once; the next one is inside
        # its first input when the batch is interrupted, and finishes it SLOW_S later
        if next(started) >= CHUNK:
            interrupted.wait(30)
            time.sleep(SLOW_S)
        return real(job)

    monkeypatch.setattr(worker_mod, "run_job", run_job)

    def interrupt(p: BatchProgress) -> None:
        if p.done == CHUNK:
            interrupted.set()
            raise KeyboardInterrupt

    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        dashboard_address=":0",
        silence_logs=logging.CRITICAL,
    ) as cluster:
        result = run_batch(
            [root],
            out,
            overrides={"limit_ids": (batch_tree.LIMIT,)},
            scheduler=cluster.scheduler_address,
            formats=("json",),
            progress=interrupt,
        )
        saved = _states(out)
        time.sleep(3 * SLOW_S)  # a chunk still running would write now
        assert _states(out) == saved, "a worker wrote a resume state after the summary"
    summary_ns = (out / "summary.json").stat().st_mtime_ns
    assert all(p.stat().st_mtime_ns <= summary_ns for p in saved)
    # the summary counts every input whose resume state exists, and only those
    assert result.interrupted and result.computed == len(saved)
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    not_run = [r for r in doc["rows"] if r.get("error") == NOT_RUN]
    assert len(not_run) == N - len(saved) == result.not_run
    # the chunk running at the interrupt stopped after the input it was on (on a loaded
    # machine the worker may not have started the next chunk yet: then none of it ran)
    assert len(saved) in (CHUNK, CHUNK + 1)
