"""Test Dask runs (rfcheck.batch.remote) when a worker dies mid-batch.

The inputs it was running become ERROR rows with one line each, and no Dask traceback
reaches stderr.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from rfcheck.batch import run_batch
from rfcheck.batch.remote import lost_worker_message
from rfcheck.results import Verdict


def test_worker_dying_mid_batch_is_an_error_row(tmp_path: Path, batch_tree: ModuleType) -> None:
    distributed = pytest.importorskip("distributed")
    import dask

    def die_on(name: str) -> None:  # a closure: shipped to the workers by value
        """Installed on the workers: analysing an input called ``name`` kills the worker."""
        import os

        import rfcheck.batch.job as job

        real = job._analyse

        def analyse(j: job.BatchJob, sha: str | None) -> object:
            if j.path.endswith(name):
                os._exit(1)
            return real(j, sha)

        job._analyse = analyse  # type: ignore[assignment]

    root, out = tmp_path / "in", tmp_path / "out"
    batch_tree.passing(root / "a.csv")
    batch_tree.failing(root / "b_dies.csv")
    batch_tree.passing(root / "c.csv")
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.run(die_on, "b_dies.csv")
        result = run_batch(
            [root],
            out,
            overrides={"limit_ids": (batch_tree.LIMIT,)},
            scheduler=client,
            formats=("json",),
        )
        client.restart()  # a fresh worker, then one that dies on c.csv
        client.wait_for_workers(1, timeout=60)
        client.run(die_on, "c.csv")
        assert len(client.scheduler_info()["workers"]) == 1  # the hook reached the worker
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "rfcheck",
                "batch",
                str(root),
                "--out",
                str(tmp_path / "o2"),
                "--limit",
                batch_tree.LIMIT,
                "--scheduler",
                cluster.scheduler_address,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    lost = (
        "not analysed: the Dask worker running this input died before finishing it (KilledWorker)"
    )
    rows = {Path(r.path).name: r for r in result.rows}
    assert rows["b_dies.csv"].verdict is Verdict.ERROR and rows["b_dies.csv"].error == lost
    for name in ("a.csv", "c.csv"):  # finished, or queued on the worker that died
        assert (rows[name].verdict, rows[name].error) in ((Verdict.PASS, ""), (Verdict.ERROR, lost))
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["counts"]["ERROR"] >= 1 and doc["counts"]["FAIL"] == 0
    # on the command line: one line per affected input, no Dask log line on stderr
    assert cli.returncode in (1, 3), cli.stderr  # b_dies.csv FAILs unless lost with c.csv
    lines = cli.stderr.splitlines()
    assert f"rfcheck: error: {root / 'c.csv'}: {lost}" in lines
    assert all(ln.startswith("rfcheck: ") for ln in lines), cli.stderr


def test_lost_worker_message_is_one_line() -> None:
    class FutureCancelledError(Exception):
        pass

    assert lost_worker_message(FutureCancelledError("x")) == (
        "not analysed: the Dask task of this input was cancelled or lost (FutureCancelledError)"
    )
    assert lost_worker_message(RuntimeError("line one\n  line two\n")) == (
        "not analysed: the Dask task of this input failed: RuntimeError: line one line two"
    )
