"""What a batch worker does: take what a run shares once, then run chunks of jobs.

A worker (a local pool process or a Dask worker) receives the run's shared part once
(:class:`RunShared`: the setup and the distinct settings) and warms up on it
(:func:`warm`): it imports the analysis, the readers and the report code, and loads every
limit and transducer table the settings name, which then stay in the per-process caches
of :mod:`rfcheck.limits` and :mod:`rfcheck.corrections` for the rest of the run. Each task
is a chunk of jobs (:func:`run_chunk`), run one after the other; the jobs travel without
the setup, which the worker puts back.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ..allocator import freeze_imported, keep_freed_memory
from ..errors import RfcheckError
from ..settings import CheckSettings, Setup
from .job import BatchJob, JobOutcome, run_job

__all__ = [
    "PRELOAD",
    "RunShared",
    "exit_when_gone",
    "init_pool_worker",
    "lighten",
    "preload",
    "dask_task_cancelled",
    "run_chunk",
    "warm",
]

#: Modules a fresh worker imports before its first input (the local pool's fork server
#: imports them once for all its workers): the analysis, the readers' table parser (pandas)
#: and the report registry.
PRELOAD = ("rfcheck.batch", "rfcheck.analysis", "rfcheck.report", "pandas")


@dataclass(frozen=True)
class RunShared:
    """What every job of a run shares; sent to each worker once.

    Attributes
    ----------
    key : str
        Identifies the run's shared part: a worker warms up once per key.
    setup : Setup, optional
        The run's setup (reports show its DUT/lab/test tables); the jobs travel without it.
    settings : tuple of CheckSettings
        The distinct settings of the run's jobs, whose tables :func:`warm` loads.
    """

    key: str
    setup: Setup | None
    settings: tuple[CheckSettings, ...] = ()

    def itself(self) -> RunShared:
        """Return this object (a Dask task whose result is the shared part)."""
        return self


#: The shared part a local pool worker was started with (:func:`init_pool_worker`).
_POOL_SHARED: RunShared | None = None
#: The keys of the shared parts this process has warmed up on.
_WARMED: set[str] = set()


def preload() -> None:
    """Import :data:`PRELOAD` in this process (a Dask worker warming up while jobs are planned).

    :func:`warm` later finds the modules imported and loads only the run's tables.
    """
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)


def warm(shared: RunShared) -> None:
    """Import what the jobs need and load their tables, once per process and run.

    A table that cannot be loaded is left alone: the inputs using it report the error.
    """
    if shared.key in _WARMED:
        return
    from ..analysis import build_settings_chain
    from ..judged_limits import load_limits

    preload()
    for settings in shared.settings:
        try:
            load_limits(settings)
            build_settings_chain(settings)
        except (RfcheckError, OSError):
            pass
    _WARMED.add(shared.key)


#: How often a pool worker checks that the batch process that started it still runs. [s]
PARENT_POLL_S = 1.0


def init_pool_worker(shared: RunShared, batch_pid: int | None = None) -> None:
    """Initialise a local pool worker: keep the run's shared part, warm up.

    Ctrl-C is the parent's to handle (no traceback per worker). With ``batch_pid`` the
    worker exits on its own once that process is gone (:func:`exit_when_gone`).
    """
    global _POOL_SHARED
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if batch_pid is not None:
        exit_when_gone(batch_pid)
    keep_freed_memory()  # as the command's own process (rfcheck.allocator)
    _POOL_SHARED = shared
    warm(shared)
    freeze_imported()  # the imports and the run's tables: never traversed again (rfcheck.allocator)


def exit_when_gone(batch_pid: int) -> None:
    """Stop this pool worker within :data:`PARENT_POLL_S` of the command process's end.

    A command killed outright (SIGKILL, the kernel's out-of-memory killer) cannot stop its
    workers; they would stay, each holding its memory, until stopped by hand. A daemon
    thread checks the command's process id and ends the worker when it is gone (the batch's
    and the dossier's pools).
    """

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_S)
            try:
                os.kill(batch_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:  # e.g. PermissionError: the id exists (another owner): keep going
                continue

    threading.Thread(target=watch, name="rfcheck-batch-watch", daemon=True).start()


def lighten(jobs: Sequence[BatchJob]) -> list[BatchJob]:
    """Return the jobs as they travel to a worker: without the setup (sent once)."""
    return [dataclasses.replace(j, setup=None) for j in jobs]


def run_chunk(jobs: Sequence[BatchJob], shared: RunShared | None = None) -> list[JobOutcome]:
    """Run a chunk of (lightened) jobs in this worker, in order; one outcome per job.

    ``shared`` is the run's shared part (a Dask task gets it as an argument); by default
    the one the local pool worker was started with. Each job's resume state is written as
    it finishes (:func:`~rfcheck.batch.job.run_job`), so a chunk stopped midway loses
    nothing a later run cannot reuse.
    """
    shared = shared if shared is not None else _POOL_SHARED
    if shared is None:
        return [run_job(j) for j in jobs]
    warm(shared)
    outcomes = []
    for j in jobs:
        if shared is not _POOL_SHARED and dask_task_cancelled():
            break  # an interrupted Dask run: its client waits for this chunk to end
        outcomes.append(run_job(dataclasses.replace(j, setup=shared.setup)))
    return outcomes


def dask_task_cancelled() -> bool:
    """Return whether this is a Dask task its client has cancelled (an interrupted run).

    Dask cannot stop a running task: a chunk checks this before each input, so an
    interrupted run's chunk ends after the input it is on. False outside a Dask task.
    """
    try:
        from distributed import get_worker
        from distributed.worker import thread_state  # type: ignore[attr-defined]

        task = get_worker().state.tasks.get(thread_state.key)
    except Exception:  # broad on purpose: not in a Dask task, another Dask version
        return False
    return getattr(task, "state", None) == "cancelled"
