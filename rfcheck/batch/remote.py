"""Paths for remote (Dask) workers: made absolute so a worker can open them, shown as given.

A job a worker did not finish (the worker died, the task was lost) becomes an ERROR row
with one line (:func:`lost_worker_message`); Dask's own log records (tracebacks of lost
workers) are kept off stderr while the batch runs (:func:`quiet_dask_logs`).

A Dask worker does not share the client's working directory, so the input and every table
the settings name are handed to it as absolute paths; the pairs ``(absolute, as given)``
travel with the job (:attr:`~rfcheck.batch.job.BatchJob.display_paths`) and the worker's
result is shown with the paths as given, so a Dask run's summary and reports equal a local
run's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Iterator, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from ..results import RunResult
from ..settings import CheckSettings

__all__ = [
    "absolute_paths",
    "display_pairs",
    "display_run",
    "lost_worker_message",
    "quiet_dask_logs",
]


def absolute_paths(s: CheckSettings) -> CheckSettings:
    """``s`` with every file path made absolute (for remote Dask workers)."""

    def fix(v: Any) -> Any:
        return v.resolve() if isinstance(v, Path) else v

    return dataclasses.replace(
        s,
        limit_files=tuple(p.resolve() for p in s.limit_files),
        antenna_factor=fix(s.antenna_factor),
        cable_loss=tuple(fix(c) for c in s.cable_loss),
        lisn=fix(s.lisn),
        preamp_gain=fix(s.preamp_gain),
    )


def display_pairs(local: CheckSettings, remote: CheckSettings) -> tuple[tuple[str, str], ...]:
    """Return ``(absolute, as given)`` for every file path :func:`absolute_paths` changed.

    Longest first, so reports made by remote workers show the paths a local run shows.
    """
    a, b = local.transducer_paths(), remote.transducer_paths()
    pairs = dict(zip((str(p) for p in b), (str(p) for p in a), strict=False))
    pairs.update(
        zip((str(p) for p in remote.limit_files), (str(p) for p in local.limit_files), strict=False)
    )
    return tuple(sorted(((k, v) for k, v in pairs.items() if k != v), key=lambda kv: -len(kv[0])))


def _swap(value: Any, pairs: Sequence[tuple[str, str]]) -> Any:
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        for old, new in pairs:
            value = value.replace(old, new)
        return value
    if isinstance(value, Mapping):
        return {k: _swap(v, pairs) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_swap(v, pairs) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclasses.fields(value) if f.init]
        changes = {
            n: _swap(getattr(value, n), pairs)
            for n in names
            if isinstance(getattr(value, n), str | list | tuple | Mapping)
        }
        return dataclasses.replace(value, **changes)
    return value


def display_run(run: RunResult, pairs: Sequence[tuple[str, str]]) -> RunResult:
    """Replace in ``run`` every path a worker used by the path as displayed.

    ``run`` is a :class:`~rfcheck.results.RunResult`; ``pairs`` are ``(used, displayed)``;
    ``run`` comes back unchanged without pairs.
    """
    pairs = [(old, new) for old, new in pairs if old and old != new]
    if not pairs:
        return run
    swapped: RunResult = _swap(run, pairs)
    return swapped


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
