"""Running a batch: plan one job per input, run the jobs (in this process, in a local process
pool, or on a Dask ``distributed`` cluster), then group the rows and write the summary.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RfcheckError
from ..report.registry import parse_formats
from ..results import Verdict
from ..settings import Setup
from .discover import (
    BatchInput,
    DiscoveryStats,
    capture_folder_names,
    compile_group_pattern,
    discover_inputs,
    setup_files,
    write_output_marker,
)
from .job import BatchJob, JobOutcome, error_row, internal_message, no_limit_message, run_job
from .remote import absolute_paths, display_pairs
from .results import BatchResult, group_rows
from .state import settings_digest

__all__ = [
    "BatchProgress",
    "BatchSchedulerError",
    "CAPTURES_DIR",
    "default_jobs",
    "run_batch",
]

#: Folder under OUT that holds one sub-folder per input.
CAPTURES_DIR = "captures"


class BatchSchedulerError(RfcheckError):
    """``--scheduler`` cannot be used: Dask is not installed, or the scheduler is unreachable."""


# --------------------------------------------------------------------------- executors
@dataclass(frozen=True)
class BatchProgress:
    """Progress so far, passed to the ``progress`` callback after each input."""

    done: int
    total: int
    failed: int  #: inputs with verdict FAIL
    errors: int  #: inputs with verdict ERROR
    computed: int  #: inputs analysed (not reused)


def _run_inline(jobs: Sequence[BatchJob]) -> Iterator[tuple[int, JobOutcome]]:
    for i, job in enumerate(jobs):
        yield i, run_job(job)


def _mp_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["rfcheck.batch", "rfcheck.analysis", "rfcheck.report"])
        return ctx
    return multiprocessing.get_context("spawn")


#: Failures of the process pool itself (not of one job): a worker start refused by the
#: sandbox (forkserver's socket, a fork limit), or a pool broken by a worker's death.
_POOL_FAILURES = (BrokenProcessPool, OSError, EOFError)


def _run_pool(
    jobs: Sequence[BatchJob], n_workers: int, note: Callable[[str], None]
) -> Iterator[tuple[int, JobOutcome]]:
    """Run the jobs in a local process pool; if the pool cannot start or breaks, note it
    once and run the jobs not yet finished in this process."""
    finished: set[int] = set()
    try:
        with ProcessPoolExecutor(max_workers=n_workers, mp_context=_mp_context()) as pool:
            futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
            try:
                for fut in as_completed(futures):
                    i = futures[fut]
                    try:
                        outcome = fut.result()
                    except _POOL_FAILURES:
                        raise
                    except Exception as err:  # noqa: BLE001 - e.g. an unpicklable result
                        outcome = JobOutcome(error_row(jobs[i], None, internal_message(err)), True)
                    finished.add(i)
                    yield i, outcome
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    except _POOL_FAILURES as err:
        left = len(jobs) - len(finished)
        note(
            f"local process pool unavailable ({type(err).__name__}: {err}); running the "
            f"{left} remaining input(s) in this process"
        )
        for i, job in enumerate(jobs):
            if i not in finished:
                yield i, run_job(job)


def _dask_client(scheduler: Any) -> tuple[Any, bool]:
    if not isinstance(scheduler, str):
        return scheduler, False
    try:
        from distributed import Client
    except ImportError:
        raise BatchSchedulerError(
            "--scheduler needs the Dask 'distributed' package: pip install 'rfcheck[dask]'"
        ) from None
    try:
        return Client(scheduler, timeout="10s"), True
    except (OSError, TimeoutError) as err:
        raise BatchSchedulerError(
            f"cannot connect to the Dask scheduler {scheduler}: {err}"
        ) from None


def _run_dask(jobs: Sequence[BatchJob], client: Any) -> Iterator[tuple[int, JobOutcome]]:
    from distributed import as_completed as dask_as_completed

    futures = client.map(run_job, list(jobs), pure=False)
    index = {fut.key: i for i, fut in enumerate(futures)}
    try:
        for fut in dask_as_completed(futures):
            i = index[fut.key]
            try:
                yield i, fut.result()
            except Exception as err:  # noqa: BLE001 - a lost worker, a pickling error
                yield i, JobOutcome(error_row(jobs[i], None, internal_message(err)), True)
    except BaseException:
        client.cancel(futures)
        raise


def _collect(
    jobs: Sequence[BatchJob],
    n_workers: int | None,
    client: Any,
    progress: Callable[[BatchProgress], None] | None,
    note: Callable[[str], None],
) -> list[JobOutcome]:
    n = len(jobs)
    if client is not None and n:
        stream = _run_dask(jobs, client)
    else:
        workers = min(n_workers or default_jobs(), n)
        stream = _run_pool(jobs, workers, note) if workers > 1 else _run_inline(jobs)
    outcomes: list[JobOutcome | None] = [None] * n
    failed = errors = computed = done = 0
    if progress:
        progress(BatchProgress(0, n, 0, 0, 0))
    for i, outcome in stream:
        outcomes[i] = outcome
        done += 1
        failed += outcome.row.verdict is Verdict.FAIL
        errors += outcome.row.verdict is Verdict.ERROR
        computed += outcome.computed
        if progress:
            progress(BatchProgress(done, n, failed, errors, computed))
    return [o for o in outcomes if o is not None]


def default_jobs() -> int:
    """Local worker processes by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# --------------------------------------------------------------------------- the batch
@dataclass
class _Notes:
    """The notes of a run, in order, each also passed on as it arises."""

    callback: Callable[[str], None] | None
    lines: list[str] = field(default_factory=list)

    def __call__(self, text: str) -> None:
        self.lines.append(text)
        if self.callback is not None:
            self.callback(text)


@dataclass(frozen=True)
class _Plan:
    """What every job of a run shares."""

    setup: Setup
    out: Path
    overrides: Mapping[str, Any]
    formats: tuple[str, ...]
    force: bool
    remote: bool  #: Dask workers: absolute paths, shown as given


def _plan_job(plan: _Plan, item: BatchInput, folder: Path, hashes: dict[Path, str]) -> BatchJob:
    """The job for one input (``hashes`` caches table hashes across inputs)."""
    shown = plan.setup.settings_for(item.rel).override(**plan.overrides)
    settings = absolute_paths(shown) if plan.remote else shown
    digest = settings_digest(
        shown, formats=plan.formats, setup=plan.setup, display_path=item.display,
        file_hashes=hashes,
    )
    return BatchJob(
        path=str(item.path.resolve()) if plan.remote else item.display,
        rel=item.rel,
        settings=settings,
        formats=plan.formats,
        out_dir=str(folder),
        out_root=str(plan.out),
        digest=digest,
        setup=plan.setup,
        force=plan.force,
        display=item.display,
        display_paths=display_pairs(shown, settings) if plan.remote else (),
        no_limit=no_limit_message(settings, plan.setup, item.rel),
    )


def _plan_jobs(plan: _Plan, items: Sequence[BatchInput]) -> list[BatchJob]:
    """One job per input, each with its own folder under ``OUT/captures``."""
    captures_dir = plan.out / CAPTURES_DIR
    captures_dir.mkdir(parents=True, exist_ok=True)
    write_output_marker(plan.out)
    hashes: dict[Path, str] = {}
    jobs = []
    for item, name in zip(items, capture_folder_names(items), strict=True):
        folder = captures_dir / name
        if folder.resolve().parent != captures_dir.resolve():  # pragma: no cover - by design
            raise RuntimeError(f"capture folder {name!r} escapes {captures_dir}")
        jobs.append(_plan_job(plan, item, folder, hashes))
    return jobs


def _execute(
    jobs: Sequence[BatchJob],
    n_workers: int | None,
    scheduler: Any,
    progress: Callable[[BatchProgress], None] | None,
    note: Callable[[str], None],
) -> list[JobOutcome]:
    """Run the jobs on the chosen backend, closing a Dask client opened here."""
    client: Any = None
    owned = False
    if scheduler is not None:
        client, owned = _dask_client(scheduler)
    try:
        return _collect(jobs, n_workers, client, progress, note)
    finally:
        if owned:
            client.close()


def _check_arguments(
    setup: Setup, group_pattern: str | None, jobs: int | None
) -> re.Pattern[str] | None:
    """The compiled group pattern; refuse a bad one, or a bad ``jobs``."""
    pattern = compile_group_pattern(group_pattern or setup.batch.group_pattern)
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    return pattern


def run_batch(
    dirs: Sequence[str | Path],
    out: str | Path,
    *,
    setup: Setup | None = None,
    overrides: Mapping[str, Any] | None = None,
    formats: Sequence[str] = ("json", "csv"),
    include: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    group_pattern: str | None = None,
    jobs: int | None = None,
    scheduler: Any = None,
    force: bool = False,
    progress: Callable[[BatchProgress], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> BatchResult:
    """Judge every capture under ``dirs`` and write per-capture reports and the summary.

    Parameters
    ----------
    dirs : sequence of path
        Folders to walk (or single files).
    out : path
        Output folder (created). Nothing is written outside it.
    setup : Setup, optional
        Parsed ``--setup`` file: ``[check]`` defaults, ``[[rule]]`` overrides, ``[batch]``.
    overrides : mapping, optional
        :class:`~rfcheck.settings.CheckSettings` fields that override the setup for every
        input (the command-line options); ``None`` values are ignored.
    formats : sequence of str
        Per-capture report formats (names from :func:`rfcheck.report.parse_formats`); empty: none.
    include, exclude : sequence of str, optional
        Globs replacing the setup's ``[batch]`` ones (see "Discovery rule" in ``docs/batch.md``).
    group_pattern : str, optional
        Regex with a named group ``unit``, replacing the setup's (see "Grouping rule").
    jobs : int, optional
        Local worker processes (default: the usable CPUs); 1 runs in this process.
    scheduler : str or distributed.Client, optional
        Dask scheduler address (``tcp://host:port``) or client; ``jobs`` is then ignored.
        Workers get absolute paths and must see the inputs, the setup's tables and ``out``
        at the same absolute paths (a shared file system); the summary and reports show the
        paths as a local run does.
    force : bool
        Recompute even up-to-date outputs (see "Resume rule").
    progress : callable, optional
        Called with a :class:`BatchProgress` before the first and after every input.
    note : callable, optional
        Called with each note (one line of text) as it arises; see ``BatchResult.notes``.

    Returns
    -------
    BatchResult

    Raises
    ------
    BatchSchedulerError
        ``scheduler`` given but Dask is missing or unreachable.
    ValueError
        Invalid ``group_pattern`` or ``jobs``.
    rfcheck.report.ReportFormatError
        An unknown report format (a ``ValueError``), before any input is read.

    Notes
    -----
    An input no limit applies to becomes an ERROR row saying why. The command line refuses
    a batch in which no limit is named anywhere before any work
    (:func:`~rfcheck.batch.job.missing_limit_message`, exit code 2).
    """
    setup = setup if setup is not None else Setup()
    cli = dict(overrides or {})
    pattern = _check_arguments(setup, group_pattern, jobs)
    fmts = parse_formats(formats)  # an unknown name: refused before any work
    out_path = Path(out)
    if scheduler is not None:  # remote workers: no shared working directory
        out_path = out_path.resolve()  # inputs: absolute for the workers, shown as given
    notes = _Notes(note)
    stats = DiscoveryStats()
    items = discover_inputs(
        dirs,
        include if include else setup.batch.include,
        exclude if exclude is not None else setup.batch.exclude,
        skip=[out_path, *setup_files(setup)],
        stats=stats,
    )
    for text in stats.notes():
        notes(text)
    plan = _Plan(setup, out_path, cli, fmts, force, remote=scheduler is not None)
    outcomes = _execute(_plan_jobs(plan, items), jobs, scheduler, progress, notes)
    return _summarise(out_path, outcomes, items, pattern, notes.lines)


def _summarise(
    out: Path,
    outcomes: Sequence[JobOutcome],
    items: Sequence[BatchInput],
    pattern: re.Pattern[str] | None,
    notes: Sequence[str],
) -> BatchResult:
    """Group the rows, write the summary files, and return the result."""
    from ..report.summary import write_summary

    computed = sum(o.computed for o in outcomes)
    rows, groups = group_rows([o.row for o in outcomes], [it.rel for it in items], pattern)
    files = write_summary(out, rows, groups, pattern=pattern.pattern if pattern else None)
    return BatchResult(
        out=out,
        rows=tuple(rows),
        groups=tuple(groups),
        computed=computed,
        reused=len(outcomes) - computed,
        files=tuple(files),
        notes=tuple(notes),
    )
