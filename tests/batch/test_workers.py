"""Test how a batch shares its work between workers (rfcheck.batch.chunks, .worker, .pool).

Chunks of inputs per task, the rule that starts a local pool only when it pays, the run's
shared part sent once, tables loaded once per worker, rows streamed as chunks finish.
"""

from __future__ import annotations

import concurrent.futures
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import rfcheck.batch.pool as batch_pool
from rfcheck.batch import BatchProgress, run_batch
from rfcheck.batch.chunks import (
    CHUNK_MAX_BYTES,
    CHUNK_MAX_INPUTS,
    CHUNKS_PER_WORKER,
    POOL_MIN_WORK_S,
    WORK_PER_BYTE_S,
    WORK_PER_INPUT_S,
    estimated_work_s,
    input_bytes,
    plan_chunks,
    pool_pays,
)
from rfcheck.batch.job import BatchJob
from rfcheck.batch.worker import RunShared, lighten, run_chunk, warm
from rfcheck.limits import load_limit_file
from rfcheck.settings import CheckSettings, Setup

# --------------------------------------------------------------------------- chunks


def _flat(chunks: list[range]) -> list[int]:
    return [i for c in chunks for i in c]


def test_chunks_cover_every_input_once_in_order() -> None:
    sizes = [1000 * (i % 7) for i in range(1000)]
    chunks = plan_chunks(sizes, 2)
    assert _flat(chunks) == list(range(1000))
    assert max(len(c) for c in chunks) == CHUNK_MAX_INPUTS
    assert len(chunks) >= 2 * CHUNKS_PER_WORKER


def test_small_batch_gets_one_input_per_chunk() -> None:
    chunks = plan_chunks([100] * 12, 2)
    assert [len(c) for c in chunks] == [1] * 12


def test_chunks_give_each_worker_several() -> None:
    chunks = plan_chunks([100] * 100, 2)  # 100 / (2 workers x 8) -> 7 per chunk
    assert [len(c) for c in chunks] == [7] * 14 + [2]


def test_large_input_is_a_chunk_of_its_own() -> None:
    big = CHUNK_MAX_BYTES + 1
    sizes = [10] * 40 + [big] + [10] * 40
    chunks = plan_chunks(sizes, 1)
    assert range(40, 41) in chunks
    assert _flat(chunks) == list(range(81))
    assert all(sum(sizes[i] for i in c) <= CHUNK_MAX_BYTES for c in chunks if len(c) > 1)


def test_no_inputs_no_chunks() -> None:
    assert plan_chunks([], 4) == []


def test_pool_pays_only_for_enough_work() -> None:
    capture_bytes = 150_000  # a 10k-point CSV capture
    assert estimated_work_s(2, 1000) == pytest.approx(2 * WORK_PER_INPUT_S + 1000 * WORK_PER_BYTE_S)
    assert not pool_pays(1, 10**10)  # one input: nothing to share
    assert not pool_pays(8, 8 * capture_bytes)  # the sample captures: this process
    assert not pool_pays(50, 50 * capture_bytes)
    assert pool_pays(100, 100 * capture_bytes)
    assert pool_pays(250, 0) and not pool_pays(249, 0)
    assert pool_pays(2, int(POOL_MIN_WORK_S / WORK_PER_BYTE_S))  # two long recordings


def test_input_bytes_counts_the_file(tmp_path: Path, batch_tree: ModuleType) -> None:
    path = batch_tree.passing(tmp_path / "a.csv")
    assert input_bytes(path) == path.stat().st_size
    assert input_bytes(tmp_path / "missing.csv") == 0


# --------------------------------------------------------------------------- worker


def _job(tmp_path: Path, source: Path, settings: CheckSettings, setup: Setup) -> BatchJob:
    return BatchJob(
        path=str(source),
        rel=source.name,
        settings=settings,
        formats=("html",),
        out_dir=str(tmp_path / "out" / source.name),
        out_root=str(tmp_path / "out"),
        digest="d",
        setup=setup,
    )


def test_jobs_travel_without_the_setup_and_get_it_back(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    setup = Setup(dut={"model": "X-1"})
    settings = CheckSettings(limit_ids=(batch_tree.LIMIT,))
    jobs = [_job(tmp_path, batch_tree.passing(tmp_path / f"{n}.csv"), settings, setup)
            for n in ("a", "b")]  # fmt: skip
    light = lighten(jobs)
    assert all(j.setup is None for j in light)
    outcomes = run_chunk(light, RunShared(key="t1", setup=setup, settings=(settings,)))
    assert [o.row.verdict.value for o in outcomes] == ["PASS", "PASS"]
    report = (tmp_path / "out" / "a.csv" / "a.html").read_text("utf-8")
    assert "X-1" in report  # the DUT block came from the shared setup


def test_warm_loads_each_table_once_per_run(
    tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rfcheck.limits import loader

    table = tmp_path / "user.toml"
    table.write_bytes((fixtures_dir / "check" / "user_limit.toml").read_bytes())
    parsed: list[str] = []
    real = loader.parse_limit_text

    def counting(text: str, path: str, sha256: str) -> Any:
        parsed.append(path)
        return real(text, path, sha256)

    # load_limit_file (rfcheck.limits.sources) calls it by the name it imported
    monkeypatch.setattr("rfcheck.limits.sources.parse_limit_text", counting)
    shared = RunShared(key="t2", setup=None, settings=(CheckSettings(limit_files=(table,)),))
    warm(shared)
    warm(shared)  # the same run: nothing again
    first = load_limit_file(table)  # what every input of the run then loads
    assert load_limit_file(table) is first
    assert parsed == [str(table)]
    table.write_text(table.read_text("utf-8").replace("\n", "\n\n", 1), encoding="utf-8")
    assert load_limit_file(table) is not first  # new content: parsed again
    assert parsed == [str(table)] * 2


# --------------------------------------------------------------------------- pool rule


class _RecordingPool(concurrent.futures.ProcessPoolExecutor):
    started: list[int] = []

    def __init__(self, max_workers: int, **kwargs: Any) -> None:
        _RecordingPool.started.append(max_workers)
        super().__init__(max_workers=max_workers, **kwargs)


def _tree(root: Path, batch_tree: ModuleType, n: int) -> None:
    for i in range(n):
        batch_tree.passing(root / f"c{i:03d}.csv")


def test_default_jobs_runs_a_small_folder_in_this_process(
    tmp_path: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_pool, "ProcessPoolExecutor", _RecordingPool)
    monkeypatch.setattr("rfcheck.batch.runner.default_jobs", lambda: 2)
    _RecordingPool.started = []
    _tree(tmp_path / "in", batch_tree, 4)
    result = run_batch(
        [tmp_path / "in"], tmp_path / "out", overrides={"limit_ids": (batch_tree.LIMIT,)}
    )
    assert result.computed == 4 and _RecordingPool.started == []


def test_default_jobs_starts_the_pool_when_it_pays(
    tmp_path: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_pool, "ProcessPoolExecutor", _RecordingPool)
    monkeypatch.setattr("rfcheck.batch.runner.default_jobs", lambda: 2)
    monkeypatch.setattr("rfcheck.batch.runner.pool_pays", lambda n, total: n >= 4)
    _RecordingPool.started = []
    _tree(tmp_path / "in", batch_tree, 4)
    result = run_batch(
        [tmp_path / "in"], tmp_path / "out", overrides={"limit_ids": (batch_tree.LIMIT,)}
    )
    assert result.computed == 4 and _RecordingPool.started == [2]


def test_explicit_jobs_starts_the_pool_even_for_a_small_folder(
    tmp_path: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_pool, "ProcessPoolExecutor", _RecordingPool)
    _RecordingPool.started = []
    _tree(tmp_path / "in", batch_tree, 3)
    result = run_batch(
        [tmp_path / "in"], tmp_path / "out", overrides={"limit_ids": (batch_tree.LIMIT,)}, jobs=2
    )
    assert result.computed == 3 and _RecordingPool.started == [2]


# --------------------------------------------------------------------------- streaming


def test_rows_arrive_as_chunks_finish(tmp_path: Path, batch_tree: ModuleType) -> None:
    """The first rows reach the parent while later chunks have not run yet."""
    root, out = tmp_path / "in", tmp_path / "out"
    _tree(root, batch_tree, 48)  # 48 / (2 workers x 8) -> chunks of 3
    states_at_first_row: list[int] = []

    def progress(p: BatchProgress) -> None:
        if p.done and not states_at_first_row:
            states_at_first_row.append(len(list(out.glob("captures/*/.rfcheck-state.json"))))

    result = run_batch(
        [root],
        out,
        overrides={"limit_ids": (batch_tree.LIMIT,)},
        jobs=2,
        formats=("json",),
        progress=progress,
    )
    assert result.computed == 48
    assert 1 <= states_at_first_row[0] < 48
