"""Run a batch's chunks on a Dask ``distributed`` cluster, streaming each chunk's rows.

The run's shared part (:class:`~rfcheck.batch.worker.RunShared`) travels once, as the
result of a task each worker fetches once (a task, unlike scattered data, is recomputed
when the worker holding it dies); each task is one chunk of inputs
(:func:`~rfcheck.batch.worker.run_chunk`) and its rows come back as it finishes. A chunk
whose task returns no result (its worker died, the task was lost) becomes ERROR rows
(:func:`~rfcheck.batch.remote.lost_worker_message`). What a cluster's workers need is
stated in the README ("Running on a Dask cluster").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Generator, Sequence
from typing import Any

from ..errors import RfcheckError
from .job import BatchJob, JobOutcome, error_row
from .remote import lost_worker_message
from .worker import RunShared, lighten, preload, run_chunk

__all__ = [
    "BatchSchedulerError",
    "STOP_WAIT_S",
    "dask_client",
    "dask_workers",
    "preload_workers",
    "run_dask",
]

Finished = list[tuple[int, JobOutcome]]
_Stream = Generator[Finished, None, None]

#: How long an interrupted Dask run waits for the chunks its workers are still running
#: (Dask cannot stop a running task) before it writes its summary. [s]
STOP_WAIT_S = 60.0
#: How often the workers are asked whether they still hold a cancelled chunk. [s]
_STOP_POLL_S = 0.05


class BatchSchedulerError(RfcheckError):
    """``--scheduler`` cannot be used: Dask is not installed, or the scheduler is unreachable."""


def dask_client(scheduler: Any) -> tuple[Any, bool]:
    """Return a client for ``scheduler`` (an address, or a client), and whether it was opened here.

    Raises
    ------
    BatchSchedulerError
        Dask's ``distributed`` is not installed, or the scheduler cannot be reached.
    """
    if not isinstance(scheduler, str):
        return scheduler, False
    try:
        from distributed import Client
    except ImportError:
        raise BatchSchedulerError(
            "--scheduler needs the Dask 'distributed' package: pip install 'rfcheck[dask]'"
        ) from None
    try:
        # distributed ships no annotations for Client.__init__
        return Client(scheduler, timeout="10s"), True  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as err:
        raise BatchSchedulerError(
            f"cannot connect to the Dask scheduler {scheduler}: {err}"
        ) from None


def dask_workers(client: Any) -> int:
    """Return the tasks the cluster runs at once (its workers' threads; at least 1)."""
    try:
        workers = client.scheduler_info()["workers"].values()
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers))
    except (KeyError, TypeError, AttributeError, OSError):  # pragma: no cover - odd client
        return 1


def preload_workers(client: Any) -> list[Any]:
    """Start each worker importing the analysis now, while the jobs are planned.

    One task per worker (:func:`~rfcheck.batch.worker.preload`), pinned to it; the first
    chunk a worker gets then finds the imports done, as the local pool's workers, forked
    from a server that imported them during the planning, do. Returns the tasks' futures,
    to be kept until the run ends (a released future's task may be cancelled). A worker
    that cannot be asked is left alone: its first chunk imports what it needs.
    """
    try:
        addresses = list(client.scheduler_info()["workers"])
    except (KeyError, TypeError, AttributeError, OSError):  # pragma: no cover - odd client
        return []
    return [
        client.submit(preload, pure=False, workers=[a], allow_other_workers=False)
        for a in addresses
    ]


def run_dask(
    jobs: Sequence[BatchJob],
    chunks: Sequence[range],
    client: Any,
    shared: RunShared,
    note: Callable[[str], None] | None = None,
) -> _Stream:
    """Run the chunks of jobs on the cluster; yield each chunk's outcomes as it finishes.

    A task that returns no result (its worker died, e.g. on an input that kills it, taking
    the tasks running beside it along) does not condemn its inputs at once: a chunk of
    several inputs is run again one input per task; an input whose own task returns no
    result is run once more at the end, alone on the cluster, and only if that fails too
    is it an ERROR row (an input a lost chunk had finished is reused from its resume state).
    Interrupted (Ctrl-C, or the consumer stops), nothing more is submitted and the tasks
    not finished are cancelled; a chunk a worker is running cannot be stopped by Dask, so
    its worker stops it after the input it is on (:func:`~rfcheck.batch.worker.run_chunk`)
    and this waits, at most :data:`STOP_WAIT_S`, until no worker holds any of the run's
    chunks (:func:`stop_tasks`). The caller then counts the inputs whose resume states were
    written, which are exactly those the next run reuses.
    """
    from distributed import as_completed as dask_as_completed

    # a task, not scattered data: if the worker holding it dies, Dask recomputes it; each
    # worker fetches it once
    remote = client.submit(RunShared.itself, shared, pure=False)
    index: dict[str, tuple[Any, range]] = {}

    def submit(chunk: range) -> Any:
        fut = client.submit(run_chunk, lighten([jobs[i] for i in chunk]), remote, pure=False)
        index[fut.key] = (fut, chunk)
        return fut

    # distributed ships no annotations for as_completed
    pending = dask_as_completed([submit(c) for c in chunks])  # type: ignore[no-untyped-call]
    suspects: list[int] = []  # inputs whose own task returned no result
    try:
        for fut in pending:
            _, chunk = index.pop(fut.key)
            try:
                outcomes: list[JobOutcome] = fut.result()
            except Exception:  # broad on purpose: a lost worker, a pickling error
                if len(chunk) == 1:
                    suspects.extend(chunk)
                for i in chunk if len(chunk) > 1 else ():
                    pending.add(submit(range(i, i + 1)))  # type: ignore[no-untyped-call]
                continue
            yield list(zip(chunk, outcomes, strict=True))
        for i in suspects:  # alone on the cluster: a failure is the input's own
            yield _alone(submit(range(i, i + 1)), jobs[i], i, index)
    except BaseException:
        stop_tasks(client, [f for f, _ in index.values()], note)
        raise


def held_keys(keys: Collection[Any], dask_worker: Any = None) -> list[Any]:
    """Return which of the task ``keys`` this Dask worker still holds (run on each worker).

    A cancelled task the worker is still running stays known to it until it ends.
    """
    state = getattr(dask_worker, "state", dask_worker)
    tasks = getattr(state, "tasks", {})
    return [k for k in keys if k in tasks]


def stop_tasks(
    client: Any, futures: Sequence[Any], note: Callable[[str], None] | None = None
) -> None:
    """Cancel the futures and wait until no worker holds their tasks.

    Queued tasks end at once; a running chunk ends after its current input. Waits at most
    :data:`STOP_WAIT_S` (a second Ctrl-C stops waiting); then ``note`` says how many chunks
    may still write into the output folder.
    """
    keys = [f.key for f in futures]
    client.cancel(list(futures))
    deadline = time.monotonic() + STOP_WAIT_S
    left: set[Any] = set(keys)
    try:
        while left:
            answers = client.run(held_keys, keys, on_error="ignore")
            left = {k for held in answers.values() for k in held}
            if not left or time.monotonic() >= deadline:
                break
            time.sleep(_STOP_POLL_S)
    except KeyboardInterrupt:
        pass
    except Exception:  # pragma: no cover - broad on purpose: the cluster went away
        return
    if left and note is not None:
        note(
            f"{len(left)} Dask task(s) still running when the summary was written; inputs "
            "they finish afterwards are listed as not analysed, and the next run reuses them"
        )


def _alone(fut: Any, job: BatchJob, i: int, index: dict[str, tuple[Any, range]]) -> Finished:
    """Wait for the task of input ``i`` run alone; its outcome, or an ERROR row."""
    try:
        (outcome,) = fut.result()
    except Exception as err:  # broad on purpose: a lost worker, a pickling error
        outcome = JobOutcome(error_row(job, None, lost_worker_message(err)), True)
    index.pop(fut.key, None)
    return [(i, outcome)]
