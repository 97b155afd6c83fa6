"""Run a batch: plan one job per input, run the jobs, group the rows and write the summary.

The jobs run in this process, in a local process pool, or on a Dask ``distributed`` cluster.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import SetupFileError
from ..outcome import Verdict
from ..report.registry import parse_formats
from ..settings import CheckSettings, Setup
from ..textfile import resolved
from .chunks import input_bytes, plan_chunks, pool_pays
from .cluster import BatchSchedulerError, dask_client, dask_workers, preload_workers, run_dask
from .discover import (
    BatchInput,
    DiscoveryStats,
    capture_folder_names,
    compile_group_pattern,
    discover_inputs,
    group_key,
    setup_files,
)
from .finish import Found, note_tidied, summarise
from .job import (
    BatchJob,
    JobOutcome,
    no_limit_message,
    state_stamp,
    written_outcome,
)
from .output import (
    CAPTURES_DIR,
    check_output_folder,
    prepare_output_folder,
    tidy_captures,
)
from .pool import Finished, run_inline, run_pool, start_server
from .remote import quiet_dask_logs
from .results import BatchResult
from .state import settings_digest
from .stop import StopRequest
from .worker import RunShared

__all__ = [
    "BatchProgress",
    "BatchSchedulerError",
    "CAPTURES_DIR",
    "default_jobs",
    "run_batch",
]


# --------------------------------------------------------------------------- executors
@dataclass(frozen=True)
class BatchProgress:
    """Progress so far, passed to the ``progress`` callback after each input."""

    done: int
    total: int
    failed: int  #: inputs with verdict FAIL
    errors: int  #: inputs with verdict ERROR
    computed: int  #: inputs analysed (not reused)


@dataclass
class _Tally:
    """Counts for the progress callback."""

    total: int
    done: int = 0
    failed: int = 0
    errors: int = 0
    computed: int = 0

    def add(self, outcome: JobOutcome) -> BatchProgress:
        """Count one finished input; the progress so far."""
        self.done += 1
        self.failed += outcome.row.verdict is Verdict.FAIL
        self.errors += outcome.row.verdict is Verdict.ERROR
        self.computed += outcome.computed
        return BatchProgress(self.done, self.total, self.failed, self.errors, self.computed)


def _shared(jobs: Sequence[BatchJob]) -> RunShared:
    """Return what the jobs share, sent to each worker once."""
    return RunShared(
        key=uuid.uuid4().hex,
        setup=jobs[0].setup if jobs else None,
        settings=tuple(dict.fromkeys(j.settings for j in jobs)),
    )


def _pool_certain(jobs: int | None, n: int) -> bool:
    """Return whether ``n`` inputs will run in a local pool, known before their sizes are."""
    workers = jobs if jobs is not None else default_jobs() if pool_pays(n, 0) else 1
    return min(workers, n) > 1


def _local_workers(jobs: Sequence[BatchJob], n_workers: int | None, sizes: Sequence[int]) -> int:
    """Return the local worker processes to run the jobs on (1: in this process).

    ``n_workers`` when given; by default the usable CPUs when the work pays for a pool
    (:func:`~rfcheck.batch.chunks.pool_pays`), else 1. Never more than the jobs.
    """
    if n_workers is None:
        n_workers = default_jobs() if pool_pays(len(jobs), sum(sizes)) else 1
    return max(1, min(n_workers, len(jobs)))


def _stream(
    jobs: Sequence[BatchJob],
    n_workers: int | None,
    client: Any,
    note: Callable[[str], None],
    stop: StopRequest,
) -> Generator[Finished, None, None]:
    """Return the stream of outcomes of the chosen backend (chunked for workers)."""
    if client is not None:
        sizes = [input_bytes(Path(j.path)) for j in jobs]
        chunks = plan_chunks(sizes, dask_workers(client))
        return run_dask(jobs, chunks, client, _shared(jobs), note)
    if n_workers == 1:
        return run_inline(jobs, stop=stop)
    sizes = [input_bytes(Path(j.path)) for j in jobs]
    workers = _local_workers(jobs, n_workers, sizes)
    if workers == 1:
        return run_inline(jobs, stop=stop)
    return run_pool(jobs, plan_chunks(sizes, workers), workers, _shared(jobs), note, stop)


def _collect(
    jobs: Sequence[BatchJob],
    n_workers: int | None,
    client: Any,
    progress: Callable[[BatchProgress], None] | None,
    note: Callable[[str], None],
    stop: StopRequest,
) -> list[JobOutcome | None]:
    """Collect every job's outcome, in job order, as the workers return them.

    None for a job an interrupt (Ctrl-C, SIGINT, SIGTERM) stopped before it finished: the
    stream is then closed, and nothing more is dispatched. The interrupt is a
    ``KeyboardInterrupt``, or a ``stop`` requested, checked after each chunk that arrives, as
    before the run: a signal whose exception was lost on its way here still stops the run
    (:mod:`rfcheck.batch.stop`). The outcomes of a chunk are all kept when it arrives, before
    the progress callback sees them one by one.
    """
    n = len(jobs)
    outcomes: list[JobOutcome | None] = [None] * n
    if not n or stop.requested:
        return outcomes
    stream = _stream(jobs, n_workers, client, note, stop)
    tally = _Tally(n)
    try:
        if progress:
            progress(BatchProgress(0, n, 0, 0, 0))
        for finished in stream:
            for i, outcome in finished:
                outcomes[i] = outcome
            for _, outcome in finished:
                report = tally.add(outcome)
                if progress:
                    progress(report)
            if stop.requested:
                break
    except KeyboardInterrupt:
        pass
    stream.close()  # stops the workers of a stream not run to its end
    return outcomes


def default_jobs() -> int:
    """Return the CPUs this process may run on: the workers of a batch a pool pays for."""
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
    remote: bool  #: Dask workers: they open files relative to the client's working directory
    pattern: re.Pattern[str] | None = None  #: the group pattern: which unit an input is of
    command: str = ""  #: the command line, as the reports' provenance shows it

    @cached_property
    def with_plan(self) -> Callable[[CheckSettings, str], CheckSettings]:
        """``(settings, rel)`` with the ``[plan]``'s limits for the input's port if none named.

        As ``check``, ``lot``, ``explain`` and ``compare`` judge
        (:func:`rfcheck.product.assign.with_plan_limits_at`; ``rel``: the input's path
        relative to its root, as the rules see it).
        """
        from ..product.assign import with_plan_limits_at

        return with_plan_limits_at(self.setup)


def unit_setup(setup: Setup, rel: str, pattern: re.Pattern[str] | None) -> Setup:
    """Return the setup as the reports of one input show it: with its own unit's serial.

    ``[dut.serials]`` maps unit names (the group pattern's ``unit``) to serial numbers, as
    for ``rfcheck dossier`` (docs/record.md): an input of a unit gets that unit's serial as
    ``[dut] serial``, or none when the map does not name it, never another unit's, and
    the map itself is left out. Without a map, or for an input no unit is found in, the
    setup is returned as it is.
    """
    serials = setup.dut.get("serials")
    unit = group_key(rel, pattern) if pattern is not None else None
    if unit is None or not isinstance(serials, Mapping):
        return setup
    dut = {k: v for k, v in setup.dut.items() if k not in ("serial", "serials")}
    if isinstance(serials.get(unit), str):
        dut["serial"] = serials[unit]
    return replace(setup, dut=dut)


def _worker_path(path: Path) -> str:
    """Return the path a remote worker opens an input by: absolute, links resolved.

    A link that cannot be resolved (a loop) keeps its own absolute path: the worker's read
    then fails on it as a local run's does, and the input is an ERROR row saying so
    (``cannot read: Too many levels of symbolic links``), never the end of the batch.
    """
    return str(resolved(path))


def _plan_job(plan: _Plan, item: BatchInput, folder: Path, hashes: dict[Path, str]) -> BatchJob:
    """Return the job for one input (``hashes`` caches table hashes across inputs)."""
    settings = plan.setup.settings_for(item.rel).override(**plan.overrides)
    unjudged = ""
    try:
        settings = plan.with_plan(settings, item.rel)
    except SetupFileError as err:  # this input's distance is unknown: an ERROR row, not the end
        unjudged = re.sub(rf"^{re.escape(item.rel)} \(port ([^)]*)\): ", r"port \1: ", err.message)
    setup = unit_setup(plan.setup, item.rel, plan.pattern)
    digest = settings_digest(
        settings,
        formats=plan.formats,
        setup=setup,
        display_path=item.display,
        file_hashes=hashes,
    )
    return BatchJob(
        path=_worker_path(item.path) if plan.remote else item.display,
        rel=item.rel,
        settings=settings,
        formats=plan.formats,
        out_dir=str(folder),
        out_root=str(plan.out),
        digest=digest,
        setup=setup,
        force=plan.force,
        display=item.display,
        base_dir=str(Path.cwd()) if plan.remote else "",
        no_limit=unjudged or no_limit_message(settings, plan.setup, item.rel),
        command=plan.command,
    )


def _plan_jobs(
    plan: _Plan, items: Sequence[BatchInput], captures_dir: Path
) -> tuple[list[BatchJob], list[str]]:
    """One job per input, each with its own folder under ``OUT/captures``; the folder names."""
    hashes: dict[Path, str] = {}
    jobs = []
    names = capture_folder_names(items)
    for item, name in zip(items, names, strict=True):
        folder = captures_dir / name
        if folder.resolve().parent != captures_dir.resolve():  # pragma: no cover - by design
            raise RuntimeError(f"capture folder {name!r} escapes {captures_dir}")
        jobs.append(_plan_job(plan, item, folder, hashes))
    return jobs, names


def _execute(
    jobs: Sequence[BatchJob],
    n_workers: int | None,
    dask: tuple[Any, bool],
    progress: Callable[[BatchProgress], None] | None,
    note: Callable[[str], None],
    stop: StopRequest,
) -> list[JobOutcome | None]:
    """Run the jobs on the chosen backend.

    ``dask`` is the client or None, and whether it was opened here (then it is closed here).
    """
    client, owned = dask
    try:
        if client is None:
            return _collect(jobs, n_workers, client, progress, note, stop)
        with quiet_dask_logs():
            return _collect(jobs, n_workers, client, progress, note, stop)
    finally:
        if owned:
            client.close()


def _check_arguments(
    setup: Setup, group_pattern: str | None, jobs: int | None
) -> re.Pattern[str] | None:
    """Return the compiled group pattern; refuse a bad one, or a bad ``jobs``."""
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
    command: str = "",
    stop: StopRequest | None = None,
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
        Recompute even up-to-date outputs (see "Resume rule"), and write into an existing
        non-empty folder rfcheck did not create.
    progress : callable, optional
        Called with a :class:`BatchProgress` before the first and after every input.
    note : callable, optional
        Called with each note (one line of text) as it arises; see ``BatchResult.notes``.
    command : str
        The command line the per-capture reports name as theirs (their provenance); ""
        gives ``rfcheck batch``.
    stop : StopRequest, optional
        Checked between captures: once a stop is requested (by a signal handler, see
        :mod:`rfcheck.batch.stop`), no more input is analysed and the run ends as an
        interrupted one, even when the handler's ``KeyboardInterrupt`` was lost.

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
    rfcheck.batch.output.OutputFolderError
        ``out`` is inside an input folder, or a non-empty folder rfcheck did not create
        (without ``force``); before any input is read.
    rfcheck.batch.output.OutputWriteError
        ``out`` cannot be written (not a folder, read-only, full): ``cannot write ...``.

    Notes
    -----
    An input no limit applies to becomes an ERROR row saying why. The command line refuses
    a batch in which no limit is named anywhere before any work
    (:func:`~rfcheck.batch.job.missing_limit_message`, exit code 2).

    Interrupted (``KeyboardInterrupt``: Ctrl-C, SIGINT; or ``stop`` requested) while the jobs
    run, nothing more is dispatched, running local workers are stopped (a Dask run waits for
    its running chunks, :func:`~rfcheck.batch.cluster.stop_tasks`), and the summary is written
    with the rows finished so far and an INCOMPLETE row per input not analysed
    (``BatchResult.interrupted``).
    """
    setup = setup if setup is not None else Setup()
    cli = dict(overrides or {})
    pattern = _check_arguments(setup, group_pattern, jobs)
    fmts = parse_formats(formats)  # an unknown name: refused before any work
    out_path = Path(out)
    if scheduler is not None:  # remote workers: no shared working directory
        out_path = out_path.resolve()  # inputs: absolute for the workers, shown as given
    check_output_folder(out_path, dirs, force=force)
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
    if scheduler is None and _pool_certain(jobs, len(items)):
        start_server()  # the workers' imports run while the jobs are planned
    plan = _Plan(
        setup,
        out_path,
        cli,
        fmts,
        force,
        remote=scheduler is not None,
        pattern=pattern,
        command=command,
    )
    # connect before OUT is touched: an unreachable scheduler leaves the last summary alone
    dask: tuple[Any, bool] = dask_client(scheduler) if scheduler is not None else (None, False)
    # the workers' imports run while the jobs are planned (kept until the run ends)
    warming = preload_workers(dask[0]) if dask[0] is not None else []
    try:
        jobs_list, names = _plan_jobs(plan, items, out_path / CAPTURES_DIR)
        # the run starts: only now is the last run's summary retired
        prepare_output_folder(out_path)
    except BaseException:
        if dask[1]:
            dask[0].close()
        raise
    stamps = [state_stamp(j) for j in jobs_list]  # which resume states this run writes
    outcomes = _execute(jobs_list, jobs, dask, progress, notes, stop or StopRequest())
    del warming
    outcomes = _with_written(jobs_list, outcomes, stamps)
    # a folder that could not be listed may hold the inputs of earlier reports: keep them
    removed, stale = tidy_captures(out_path, names, complete=not stats.unlisted)
    note_tidied(notes, removed, stale, complete=not stats.unlisted)
    found = Found(items, stats.unlisted)
    return summarise(out_path, jobs_list, outcomes, found, pattern, notes.lines, stale)


def _with_written(
    jobs: Sequence[BatchJob], outcomes: list[JobOutcome | None], stamps: Sequence[Any]
) -> list[JobOutcome | None]:
    """Return ``outcomes`` with each input a worker finished but never reported filled in.

    Interrupted, the workers are stopped at once: an input finished in the last moment
    (its reports and resume state written) may have had its result still on the way back.
    Such an input is analysed, not "not analysed": its saved row counts, as the next run
    would reuse it (:func:`~rfcheck.batch.job.written_outcome`).
    """
    return [
        o if o is not None else written_outcome(j, stamp)
        for o, j, stamp in zip(outcomes, jobs, stamps, strict=True)
    ]
