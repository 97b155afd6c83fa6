"""Test Dask runs (rfcheck.batch.remote).

A worker dying mid-batch: the inputs it was running become ERROR rows with one line each,
and no Dask traceback reaches stderr. A worker in another working directory than the
client: it opens every file relative to the client's directory and shows it as given, so
its rows and reports equal a local run's.
"""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rfcheck.batch import BatchJob, run_batch, run_job
from rfcheck.batch.remote import lost_worker_message
from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture
from rfcheck.outcome import Verdict
from rfcheck.settings import CheckSettings

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"


def _killing_plugin(distributed: ModuleType, name: str) -> Any:
    """Return a Dask worker plugin: every (re)started worker dies analysing an input ``name``.

    A class local to this function: shipped to the workers by value.
    """

    class Kill(distributed.WorkerPlugin):  # type: ignore[misc,name-defined]
        def setup(self, worker: Any) -> None:
            import os

            import rfcheck.batch.job as job

            real = job._analyse

            def analyse(j: job.BatchJob, sha: str | None) -> object:
                if j.path.endswith(name):
                    os._exit(1)
                return real(j, sha)

            job._analyse = analyse  # type: ignore[assignment]

    plugin = Kill()
    plugin.name = "rfcheck-test-kill"  # registering another replaces it
    return plugin


@contextlib.contextmanager
def _one_unforgiving_worker(distributed: ModuleType) -> Iterator[tuple[Any, Any]]:
    """Yield a local cluster of one worker process and its client; a task dies with its worker.

    Dask does not retry a task whose worker died (``allowed-failures`` 0): rfcheck's own
    retries are what the tests see.
    """
    import dask

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
        yield cluster, client


def test_worker_dying_mid_batch_is_an_error_row(tmp_path: Path, batch_tree: ModuleType) -> None:
    distributed = pytest.importorskip("distributed")
    root, out = tmp_path / "in", tmp_path / "out"
    batch_tree.passing(root / "a.csv")
    batch_tree.failing(root / "b_dies.csv")
    batch_tree.passing(root / "c.csv")
    with _one_unforgiving_worker(distributed) as (cluster, client):
        client.register_plugin(_killing_plugin(distributed, "b_dies.csv"))
        result = run_batch(
            [root],
            out,
            overrides={"limit_ids": (batch_tree.LIMIT,)},
            scheduler=client,
            formats=("json",),
        )
        client.register_plugin(_killing_plugin(distributed, "c.csv"))
        client.restart()  # a fresh worker, that dies on c.csv
        client.wait_for_workers(1, timeout=60)
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
            # a hang's guard only: each death restarts a worker process (a fresh interpreter
            # importing distributed and rfcheck); on a loaded 2-core CI machine three of them
            # took over 120 s
            timeout=600,
        )
    lost = (
        "not analysed: the Dask worker running this input died before finishing it (KilledWorker)"
    )
    rows = {Path(r.path).name: r for r in result.rows}
    assert rows["b_dies.csv"].verdict is Verdict.ERROR and rows["b_dies.csv"].error == lost
    for name in ("a.csv", "c.csv"):  # finished, or run again on a fresh worker
        assert (rows[name].verdict, rows[name].error) == (Verdict.PASS, "")
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["counts"]["ERROR"] == 1 and doc["counts"]["FAIL"] == 0
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


# --- paths shown as given, whatever the backend and the worker's directory ----------------
#: Every file the runs below name, relative to the client's working directory.
SETTINGS = {"limit_files": (Path("tables/limit.toml"),), "lisn": Path("tables/lisn.csv")}
SHOWN_INPUTS = {
    ("capture", "in/a.csv"),
    ("limit", "tables/limit.toml"),
    ("transducer", "tables/lisn.csv"),
}


def _client_dir(client: Path, batch_tree: ModuleType) -> str:
    """Write the client's files; returns the metadata text of ``in/a.csv``.

    That text holds the absolute path of the file itself: a display must never rewrite it.
    """
    a = batch_tree.passing(client / "in/a.csv")
    model = f"made at {client / 'in/a.csv'}"
    text = a.read_text("utf-8").replace("# instrument: rfcheck test generator\n", "")
    a.write_text(f"# model: {model}\n" + text, "utf-8")  # the model alone names the instrument
    (client / "in/bad.csv").write_text("Frequency (Hz),Peak (dBuV)\n150000,30\n160000,x\n")
    (client / "tables").mkdir()
    (client / "tables/lisn.csv").write_bytes((SAMPLES / "transducers/lisn_factor.csv").read_bytes())
    shipped = (SAMPLES.parent / "limits/fcc-15.107-b.toml").read_text("utf-8")
    (client / "tables/limit.toml").write_text(
        shipped.replace('id = "fcc-15.107-b"', 'id = "user-15.107-b"'), "utf-8"
    )
    return model


def _assert_shown_as_given(doc: dict[str, Any], model: str, client: Path) -> None:
    """Check that the JSON of ``in/a.csv`` names every file as given; its metadata is intact."""
    (capture,) = doc["captures"]
    assert capture["path"] == "in/a.csv" and capture["verdict"] == "PASS"
    instrument = capture.pop("instrument")
    assert instrument["model"] == instrument["description"] == model  # verbatim: not rewritten
    assert [lim["path"] for lim in capture["limits"]] == ["tables/limit.toml"]
    assert {(i["role"], i["path"]) for i in doc["inputs"]} == SHOWN_INPUTS
    assert str(client) not in json.dumps(doc)


def test_dask_run_shows_paths_as_given_like_a_local_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_tree: ModuleType
) -> None:
    distributed = pytest.importorskip("distributed")
    model = _client_dir(tmp_path, batch_tree)
    monkeypatch.chdir(tmp_path)
    # the reports carry their issue time: one fixed time lets the two runs compare byte for byte
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    opts = {"overrides": SETTINGS, "formats": ("json", "csv", "html")}
    local = run_batch(["in"], "out_local", jobs=1, **opts)  # type: ignore[arg-type]
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        remote = run_batch(["in"], "out_dask", scheduler=cluster.scheduler_address, **opts)  # type: ignore[arg-type]
    for run, out in ((local, "out_local"), (remote, "out_dask")):
        a, bad = run.rows
        assert (a.path, bad.path) == ("in/a.csv", "in/bad.csv")
        assert bad.error == "line 3: data: not a number in column 2: 'x'"
        (report,) = [r for r in a.reports if r.endswith(".json")]
        _assert_shown_as_given(json.loads((Path(out) / report).read_text("utf-8")), model, tmp_path)
    assert Path("out_dask/summary.csv").read_bytes() == Path("out_local/summary.csv").read_bytes()
    assert local.rows[0].reports == remote.rows[0].reports and len(local.rows[0].reports) == 3
    for report in local.rows[0].reports:  # JSON, CSV and HTML, byte for byte
        assert (Path("out_dask") / report).read_bytes() == (Path("out_local") / report).read_bytes()


def test_a_link_loop_in_a_dask_batch_is_an_error_row_like_a_local_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_tree: ModuleType
) -> None:
    """Two links naming each other aborted a Dask batch (``RuntimeError: Symlink loop``).

    Resolving each input for the workers raised on the loop, exit 3, and the last summary
    was already gone. The loop is an ERROR row, as in a local run, and the rest is judged.
    """
    distributed = pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)
    batch_tree.passing(Path("in/a.csv"))
    Path("in/self_a.csv").symlink_to("self_b.csv")
    Path("in/self_b.csv").symlink_to("self_a.csv")
    opts = {"overrides": {"limit_ids": (batch_tree.LIMIT,)}, "formats": ("json",)}
    local = run_batch(["in"], "out_local", jobs=1, **opts)  # type: ignore[arg-type]
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        remote = run_batch(["in"], "out_dask", scheduler=cluster.scheduler_address, **opts)  # type: ignore[arg-type]
    loop = "cannot read: Too many levels of symbolic links"
    for run in (local, remote):
        assert [(r.path, r.verdict, r.error) for r in run.rows] == [
            ("in/a.csv", Verdict.PASS, ""),
            ("in/self_a.csv", Verdict.ERROR, loop),
            ("in/self_b.csv", Verdict.ERROR, loop),
        ]
    assert Path("out_dask/summary.csv").read_bytes() == Path("out_local/summary.csv").read_bytes()


def _job(client: Path, out: Path, base_dir: str) -> BatchJob:
    return BatchJob(
        path=str(client / "in/a.csv"),
        rel="a.csv",
        settings=CheckSettings(**SETTINGS),  # type: ignore[arg-type]
        formats=("json",),
        out_dir=str(out / "captures/a"),
        out_root=str(out),
        digest="d",
        display="in/a.csv",
        base_dir=base_dir,
    )


def test_worker_in_another_directory_opens_files_relative_to_the_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_tree: ModuleType
) -> None:
    client, out = tmp_path / "client", tmp_path / "out"
    model = _client_dir(client, batch_tree)
    (tmp_path / "worker").mkdir()
    monkeypatch.chdir(tmp_path / "worker")  # a Dask worker's own working directory
    row = run_job(_job(client, out, str(client))).row
    assert (row.path, row.verdict, row.error) == ("in/a.csv", Verdict.PASS, "")
    _assert_shown_as_given(json.loads((out / row.reports[0]).read_text("utf-8")), model, client)
    # a table missing in the client's directory: named as given
    job = _job(client, tmp_path / "out3", str(client))
    job = replace(job, settings=job.settings.override(lisn=Path("tables/gone.csv")))
    row = run_job(job).row
    assert (
        row.error == "tables/gone.csv: cannot read LISN voltage-division factor table: no such file"
    )
    # without the client's directory, the worker cannot find the input as given
    row = run_job(_job(client, tmp_path / "out2", "")).row
    assert (row.path, row.verdict, row.error) == ("in/a.csv", Verdict.ERROR, "no such file")


def test_load_capture_names_the_file_as_given(tmp_path: Path, batch_tree: ModuleType) -> None:
    _client_dir(tmp_path, batch_tree)
    cap = load_capture("in/a.csv", base_dir=tmp_path)
    assert cap.provenance is not None and cap.provenance.path == "in/a.csv"
    with pytest.raises(CaptureFormatError) as err:
        load_capture("in/bad.csv", base_dir=tmp_path)
    assert (err.value.path, err.value.line) == ("in/bad.csv", 3)
    assert str(err.value).startswith("in/bad.csv:3: ")


# --- the same display paths whatever the backend -------------------------------------------------
def test_dask_rows_and_reports_show_local_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_tree: ModuleType
) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)
    batch_tree.passing(Path("in/a.csv"))
    batch_tree.failing(Path("in/b.csv"))
    opts = {"overrides": {"limit_ids": (batch_tree.LIMIT,)}, "formats": ("json",)}
    local = run_batch(["in"], "out_local", jobs=1, **opts)  # type: ignore[arg-type]
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        remote = run_batch(["in"], "out_dask", scheduler=cluster.scheduler_address, **opts)  # type: ignore[arg-type]
    assert [r.path for r in remote.rows] == [r.path for r in local.rows] == ["in/a.csv", "in/b.csv"]
    assert Path("out_dask/summary.csv").read_text("utf-8") == Path(
        "out_local/summary.csv"
    ).read_text("utf-8")
    for row in remote.rows:
        doc = json.loads((Path("out_dask") / row.reports[0]).read_text("utf-8"))
        assert doc["captures"][0]["path"] == row.path
        assert str(tmp_path) not in json.dumps(doc["captures"][0])


def test_preload_warms_every_worker_before_its_first_chunk() -> None:
    """Each Dask worker imports the analysis on its own task, pinned to it, at once."""
    distributed = pytest.importorskip("distributed")
    from rfcheck.batch.cluster import preload_workers
    from rfcheck.batch.worker import PRELOAD

    def imported() -> list[str]:
        return [name for name in PRELOAD if name in sys.modules]

    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert all(v == [] for v in client.run(imported).values())  # fresh workers
        futures = preload_workers(client)
        assert len(futures) == 2
        distributed.wait(futures, timeout=120)
        assert all(v == list(PRELOAD) for v in client.run(imported).values())


def test_a_chunk_lost_with_its_worker_is_run_again_input_by_input(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    """Only the input that kills its worker is an ERROR row, not the rest of its chunk."""
    distributed = pytest.importorskip("distributed")
    root = tmp_path / "in"
    for k in range(24):  # one worker, 24 inputs: chunks of 3
        batch_tree.passing(root / f"c{k:02d}.csv")
    batch_tree.passing(root / "c07_dies.csv")
    with _one_unforgiving_worker(distributed) as (cluster, client):
        client.register_plugin(_killing_plugin(distributed, "c07_dies.csv"))
        result = run_batch(
            [root],
            tmp_path / "out",
            overrides={"limit_ids": (batch_tree.LIMIT,)},
            scheduler=client,
            formats=("json",),
        )
    rows = {Path(r.path).name: r for r in result.rows}
    assert len(rows) == 25
    assert rows.pop("c07_dies.csv").verdict is Verdict.ERROR
    assert {n: r.error for n, r in rows.items() if r.verdict is not Verdict.PASS} == {}
