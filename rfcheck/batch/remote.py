"""Remote (Dask) workers: lost jobs and Dask's log records.

A job a worker did not finish (the worker died, the task was lost) becomes an ERROR row
with one line (:func:`lost_worker_message`); Dask's own log records (tracebacks of lost
workers) are kept off stderr while the batch runs (:func:`quiet_dask_logs`).

A Dask worker does not share the client's working directory: each job carries it
(:attr:`~rfcheck.batch.job.BatchJob.base_dir`) with every path as given, the worker opens
the files relative to it and shows them as given (:func:`~rfcheck.analysis.run_check`), so
a Dask run's summary and reports equal a local run's.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

__all__ = ["lost_worker_message", "quiet_dask_logs"]


def lost_worker_message(err: BaseException) -> str:
    """Describe in one line a job whose Dask task did not return a result.

    The worker running it died (``KilledWorker``), the task was cancelled or lost, or its
    result did not arrive.
    """
    name = type(err).__name__
    if name == "KilledWorker":
        text = "the Dask worker running this input died before finishing it (KilledWorker)"
    elif "Cancelled" in name:
        text = f"the Dask task of this input was cancelled or lost ({name})"
    else:
        first = " ".join(str(err).split())[:200]
        text = f"the Dask task of this input failed: {name}: {first}"
    return f"not analysed: {text}"


#: Loggers of Dask ``distributed`` that print worker deaths and their tracebacks.
_DASK_LOGGERS = ("distributed", "tornado")


@contextlib.contextmanager
def quiet_dask_logs() -> Iterator[None]:
    """Keep Dask's log records below CRITICAL off stderr for the duration.

    A lost worker is reported as the ERROR rows of its inputs instead.
    """
    names = [
        n for n in list(logging.root.manager.loggerDict) if n.split(".")[0] in _DASK_LOGGERS
    ] + list(_DASK_LOGGERS)
    loggers = [logging.getLogger(name) for name in dict.fromkeys(names)]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
