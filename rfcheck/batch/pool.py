"""Run a batch's chunks in a local process pool, streaming each chunk's rows as it finishes.

Workers start from a fork server that has imported the analysis once
(:data:`~rfcheck.batch.worker.PRELOAD`), receive the run's shared part once (the pool's
initialiser, :func:`~rfcheck.batch.worker.init_pool_worker`) and then run one chunk of
inputs per task. If the pool cannot start or breaks, the inputs not yet finished run in this
process; interrupted, the pool stops at once.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .job import BatchJob, JobOutcome, error_row, internal_message, run_job
from .stop import StopRequest, children_ignore_ctrl_c, stop_pool
from .worker import PRELOAD, RunShared, init_pool_worker, lighten, run_chunk

#: The fork server's last preload module: it ends without tearing its interpreter down.
SERVER_END = "rfcheck.batch.server_end"

__all__ = ["Finished", "ensure_forkserver", "run_inline", "run_pool", "start_server"]

#: What an executor yields as each task finishes: (job index, outcome) of each of its jobs.
Finished = list[tuple[int, JobOutcome]]
_Stream = Generator[Finished, None, None]


def run_inline(
    jobs: Sequence[BatchJob], indices: Sequence[int] | None = None, stop: StopRequest | None = None
) -> _Stream:
    """Run the jobs (those at ``indices``, default all) in this process, one at a time.

    Before each job, a ``stop`` requested (a signal arrived whose ``KeyboardInterrupt`` may
    have been lost, :mod:`rfcheck.batch.stop`) ends the stream: nothing more is run.
    """
    for i in range(len(jobs)) if indices is None else indices:
        if stop is not None and stop.requested:
            return
        yield [(i, run_job(jobs[i]))]


def _mp_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([*PRELOAD, SERVER_END])
        return ctx
    return multiprocessing.get_context("spawn")


def start_server() -> None:
    """Start the fork server now: it imports :data:`~rfcheck.batch.worker.PRELOAD` meanwhile.

    The pool's workers, forked from it later, then start at once. Nothing happens where
    there is no fork server (the pool then spawns its workers), or when it cannot start
    (the pool then reports it).
    """
    ctx = _mp_context()
    if ctx.get_start_method() != "forkserver":  # pragma: no cover - not Linux
        return
    try:
        ensure_forkserver()
    except OSError:  # the pool meets it again and falls back to this process
        pass


def ensure_forkserver() -> None:
    """Start multiprocessing's fork server with this process's import path, not the folder's.

    The server runs ``python -c ...``, which puts the current folder first on its import
    path, and Python 3.11-3.12 do not pass it this process's path (``main(sys_path=...)`` is
    ignored): run from inside another rfcheck checkout, the workers imported that tree's
    rfcheck, and wrote records the installed version did not. The server is
    started with ``PYTHONSAFEPATH`` (no current folder) and ``PYTHONPATH`` set to this
    process's ``sys.path``, so it imports what this process imports; the environment is
    restored after. It is started ignoring Ctrl-C
    (:func:`~rfcheck.batch.stop.children_ignore_ctrl_c`): the command's process handles it
    and stops the workers.

    Raises
    ------
    OSError
        The server could not be started.
    """
    from multiprocessing import forkserver

    keys = ("PYTHONSAFEPATH", "PYTHONPATH")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ["PYTHONSAFEPATH"] = "1"
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    try:
        with children_ignore_ctrl_c():
            forkserver.ensure_running()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


#: Failures of the process pool itself (not of one job): a worker start refused by the
#: sandbox (forkserver's socket, a fork limit), or a pool broken by a worker's death.
_POOL_FAILURES = (BrokenProcessPool, OSError, EOFError)


def _chunk_outcomes(
    fut: Future[list[JobOutcome]], jobs: Sequence[BatchJob], chunk: range
) -> Finished:
    """Return the chunk's outcomes; each job an ERROR row when the chunk returned none.

    Raises the pool's own failures (:data:`_POOL_FAILURES`).
    """
    try:
        outcomes = fut.result()
    except _POOL_FAILURES:
        raise
    except Exception as err:  # broad on purpose: e.g. an unpicklable result
        message = internal_message(err)
        return [(i, JobOutcome(error_row(jobs[i], None, message), True)) for i in chunk]
    return list(zip(chunk, outcomes, strict=True))


def run_pool(
    jobs: Sequence[BatchJob],
    chunks: Sequence[range],
    n_workers: int,
    shared: RunShared,
    note: Callable[[str], None],
    stop: StopRequest | None = None,
) -> _Stream:
    """Run the chunks of jobs in a local pool of ``n_workers`` processes (or in this one).

    Yields each chunk's outcomes as the chunk finishes. If the pool cannot start or breaks,
    note it once and run the jobs not yet finished in this process (honouring ``stop``, as
    :func:`run_inline`). Interrupted (Ctrl-C, or the consumer stops), the pool stops at once
    (:func:`~rfcheck.batch.stop.stop_pool`).
    """
    finished: set[int] = set()
    pool = ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=_mp_context(),
        initializer=init_pool_worker,
        initargs=(shared, os.getpid()),
    )
    try:
        futures = {pool.submit(run_chunk, lighten([jobs[i] for i in c])): c for c in chunks}
        for fut in as_completed(futures):
            done = _chunk_outcomes(fut, jobs, futures[fut])
            finished.update(i for i, _ in done)
            yield done
    except _POOL_FAILURES as err:
        pool.shutdown(wait=True, cancel_futures=True)
        left = [i for i in range(len(jobs)) if i not in finished]
        note(
            f"local process pool unavailable ({type(err).__name__}: {err}); running the "
            f"{len(left)} remaining input(s) in this process"
        )
        yield from run_inline(jobs, left, stop)
    except BaseException:  # KeyboardInterrupt, or the generator closed: stop at once
        stop_pool(pool)
        raise
    else:
        pool.shutdown(wait=True)
