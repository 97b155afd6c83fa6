"""``rfcheck batch``: judge every capture in one or more folder trees.

Flow: :func:`discover` the inputs, build one picklable :class:`BatchJob` per input, run
:func:`run_job` on each (in-process, in a local process pool, or on a Dask ``distributed``
cluster), then write the summary (``summary.csv``, ``summary.json``, ``summary_groups.csv``,
``index.html``) from the rows. A bad input never aborts the batch: it becomes an ERROR row.

Output layout::

    OUT/summary.csv  summary.json  summary_groups.csv  index.html
    OUT/.rfcheck-output    marker: this folder holds rfcheck output (never an input)
    OUT/captures/<name>/   per-capture reports + .rfcheck-state.json (resume state)

``<name>`` is the input's path relative to its root folder, sanitised: separators become
``__``, anything but ASCII letters, digits, ``. _ - +`` becomes ``_``, no leading dot or
dash, Windows device names are prefixed, long names are cut and suffixed with a hash, and
names that collide (case-insensitively) get a short hash of the input path appended. So
``conducted/rig1/L1.csv`` -> ``conducted__rig1__L1.csv``; nothing can escape ``OUT``.

Discovery rule
    Folders are walked recursively in sorted order. Hidden files and folders (``.name``,
    counted in a note), ``OUT`` itself, any folder holding the output marker
    ``.rfcheck-output`` (earlier ``batch --out`` or ``check --out`` output, named in a
    note), the setup file and any table the setup refers to are skipped; of a
    SigMF pair only the ``.sigmf-meta`` is an input. ``include``/``exclude`` are globs on the
    path relative to each root given (POSIX ``/``): ``*`` and ``?`` stay within one folder level,
    ``**`` spans levels; a glob without ``/`` is matched against the file name only. A file
    is an input when it matches an include glob and no exclude glob. A file named directly on
    the command line is always an input.

Grouping rule
    ``group_pattern`` (``[batch] group_pattern`` in the setup file, or ``--group-pattern``)
    is a regular expression with a named group ``unit``. It is *searched* in the file name
    (or, when the pattern contains ``/``, in the path relative to the root). Inputs for which
    it finds the same ``unit`` text form one group; an input it does not match is a group of
    its own, named by its path. A group's verdict is the worst of its members
    (:func:`~rfcheck.results.combine_verdicts`: FAIL > ERROR > INCONCLUSIVE > PASS), its
    worst case that of the member deciding it: among the members with that verdict, the
    one with the smallest worst margin (``limit - level``). Example:
    ``(?P<unit>.+?)_(?:L1|N|H|V)\\b`` groups ``dut7_L1.csv`` and ``dut7_N.csv`` as ``dut7``.

Resume rule
    Each capture folder holds ``.rfcheck-state.json`` (a dot name, so it never clashes with a
    report), written atomically after the reports:
    the input's SHA-256 and the SHA-256 of each companion file it is read from (a SigMF
    data file), a *settings digest* (SHA-256 of the canonical per-capture settings,
    the content hashes of every limit/transducer file they name, the setup's DUT/lab/test
    tables, the report formats, the input's displayed path and the rfcheck version) and the
    summary row. A capture whose state matches and whose reports all exist is not recomputed
    unless ``force``; an interrupted job left no state, so it is recomputed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ._batch_inputs import (
    OUTPUT_MARKER,
    BatchInput,
    DiscoveryStats,
    absolute_paths,
    capture_folder_names,
    discover,
    discover_inputs,
    display_pairs,
    display_run,
    glob_match,
    input_companions,
    no_limit_message,
    settings_digest,
    setup_files,
    write_output_marker,
)
from ._batch_summary import (
    BatchResult,
    GroupResult,
    SummaryRow,
    atomic_write,
    compile_group_pattern,
    group_rows,
    row_from_capture,
    write_summary,
)
from .errors import ReportError, RfcheckError
from .io import file_sha256
from .results import ErrorRecord, Verdict
from .settings import CheckSettings, Setup

__all__ = [
    "BatchInput",
    "BatchJob",
    "BatchProgress",
    "BatchResult",
    "BatchSchedulerError",
    "DiscoveryStats",
    "GroupResult",
    "SummaryRow",
    "discover",
    "discover_inputs",
    "glob_match",
    "capture_folder_names",
    "settings_digest",
    "run_job",
    "run_batch",
    "STATE_FILE",
    "CAPTURES_DIR",
    "OUTPUT_MARKER",
]

#: Per-capture resume state, written last in each capture folder.
STATE_FILE = ".rfcheck-state.json"
#: Folder under OUT that holds one sub-folder per input.
CAPTURES_DIR = "captures"
_STATE_SCHEMA = 1
_COMMAND = "rfcheck batch"


class BatchSchedulerError(RfcheckError):
    """``--scheduler`` cannot be used: Dask is not installed, or the scheduler is unreachable."""


# --------------------------------------------------------------------------- jobs
@dataclass(frozen=True)
class BatchJob:
    """Everything a worker needs for one input; picklable (process pools, Dask).

    Attributes
    ----------
    path : str
        The input as the worker opens it (absolute for a Dask cluster, else as displayed).
    rel : str
        Path relative to its root (POSIX).
    settings : CheckSettings
        ``setup.settings_for(rel)`` with the command-line overrides applied.
    formats : tuple of str
        Per-capture report formats (``json``, ``csv``, ``png``...).
    out_dir : str
        The capture's own folder, ``OUT/captures/<name>``.
    out_root : str
        ``OUT``; report paths in the summary are relative to it.
    digest : str
        :func:`settings_digest` of this job.
    setup : Setup, optional
        For the DUT/lab/test block of the reports.
    force : bool
        Recompute even when the resume state matches.
    display : str
        The input as displayed in the summary and reports (root as given joined with the
        relative path; "" = ``path``), whatever the backend.
    display_paths : tuple of (str, str)
        ``(absolute, as given)`` for each table path made absolute for remote workers.
    no_limit : str
        Set when no limit applies to the input: the ERROR message saying why.
    """

    path: str
    rel: str
    settings: CheckSettings
    formats: tuple[str, ...]
    out_dir: str
    out_root: str
    digest: str
    setup: Setup | None = None
    force: bool = False
    display: str = ""
    display_paths: tuple[tuple[str, str], ...] = ()
    no_limit: str = ""

    @property
    def shown(self) -> str:
        """The input's path as displayed."""
        return self.display or self.path


@dataclass(frozen=True)
class JobOutcome:
    """What a worker returns: the summary row, and whether it was (re)computed."""

    row: SummaryRow
    computed: bool


def _load_state(job: BatchJob, sha: str | None, companions: list[list[str]]) -> SummaryRow | None:
    state_path = Path(job.out_dir) / STATE_FILE
    try:
        state = json.loads(state_path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("schema") != _STATE_SCHEMA:
        return None
    if (
        sha is None
        or state.get("input_sha256") != sha
        or state.get("settings_digest") != job.digest
        or state.get("companions", []) != companions
    ):
        return None
    try:
        row = SummaryRow.from_json(state["row"])
    except (KeyError, TypeError, ValueError):
        return None
    root = Path(job.out_root)
    if not all((root / r).is_file() for r in row.reports):
        return None
    return row


def _error_row(job: BatchJob, sha: str | None, message: str) -> SummaryRow:
    return SummaryRow(
        path=job.shown, sha256=sha, format=None, verdict=Verdict.ERROR, coverage="none",
        error=message,
    )


def _analyse(job: BatchJob, sha: str | None) -> tuple[SummaryRow, dict[str, Any] | None]:
    from .analysis import run_check
    from .report import write_reports

    out_dir = Path(job.out_dir)
    try:
        run = run_check([Path(job.path)], job.settings, command=_COMMAND, setup=job.setup)
    except RfcheckError as err:
        return _error_row(job, sha, str(err)), None
    run = display_run(run, ((job.path, job.shown), *job.display_paths))
    capture = run.captures[0]
    if job.no_limit and capture.verdict is Verdict.ERROR and any(
        e.message.startswith("no limit given") for e in capture.errors
    ):  # readable, but nothing to judge it against: say why
        capture = replace(capture, errors=(ErrorRecord(capture.path, job.no_limit),))
        run = replace(run, captures=(capture,))
    report_error = ""
    try:
        written = write_reports(run, out_dir, job.formats, job.setup) if job.formats else []
    except ReportError as err:  # the verdict stands; the report error is recorded beside it
        written, report_error = list(err.written), err.message
    root = Path(job.out_root).resolve()
    reports = []
    for p in written:
        rp = Path(p).resolve()
        reports.append(rp.relative_to(root).as_posix() if rp.is_relative_to(root) else str(p))
    row = row_from_capture(capture, path=job.shown, sha256=sha, reports=sorted(reports))
    if report_error:  # no resume state either: the next run tries the reports again
        return replace(row, error="; ".join(filter(None, (row.error, report_error)))), None
    return row, capture.to_json()


def run_job(job: BatchJob) -> JobOutcome:
    """Analyse one input and write its reports, or reuse its up-to-date outputs.

    Never raises for a bad input: an :class:`~rfcheck.errors.RfcheckError` or any other
    exception becomes an ERROR row (an unexpected one names its type and location).
    The resume state is written last and atomically.
    """
    out_dir = Path(job.out_dir)
    try:
        sha: str | None = file_sha256(Path(job.path))
    except OSError:
        sha = None
    companions = input_companions(job.path, job.settings.fmt) if sha is not None else []
    if not job.force:
        cached = _load_state(job, sha, companions)
        if cached is not None:
            return JobOutcome(cached, computed=False)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / STATE_FILE).unlink(missing_ok=True)
        row, capture_json = _analyse(job, sha)
    except Exception as err:  # noqa: BLE001 - a batch never aborts on one input
        return JobOutcome(_error_row(job, sha, _internal_message(err)), computed=True)
    state = {
        "schema": _STATE_SCHEMA,
        "input_sha256": sha,
        "companions": companions,
        "settings_digest": job.digest,
        "row": row.to_json(),
        "capture": capture_json,
    }
    report_failed = row.error and row.verdict is not Verdict.ERROR  # retried next run
    if sha is not None and not report_failed:
        try:
            data = json.dumps(state, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            atomic_write(out_dir / STATE_FILE, data.encode("utf-8"))
        except (OSError, ValueError):  # no state: recomputed next time, the row still counts
            pass
    return JobOutcome(row, computed=True)


def _internal_message(err: BaseException) -> str:
    tb = traceback.extract_tb(err.__traceback__)
    where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"internal error: {type(err).__name__}: {err}{where}"


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
                        outcome = JobOutcome(_error_row(jobs[i], None, _internal_message(err)), True)
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
                yield i, JobOutcome(_error_row(jobs[i], None, _internal_message(err)), True)
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
        Per-capture report formats (:data:`rfcheck.report.REPORT_FORMATS`); empty: none.
    include, exclude : sequence of str, optional
        Globs replacing the setup's ``[batch]`` ones (see "Discovery rule").
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
    """
    setup = setup if setup is not None else Setup()
    out_path = Path(out)
    pattern = compile_group_pattern(group_pattern or setup.batch.group_pattern)
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if scheduler is not None:  # remote workers: no shared working directory
        out_path = out_path.resolve()  # inputs: absolute for the workers, shown as given
    notes: list[str] = []

    def add_note(text: str) -> None:
        notes.append(text)
        if note is not None:
            note(text)

    stats = DiscoveryStats()
    items = discover_inputs(
        dirs,
        include if include else setup.batch.include,
        exclude if exclude is not None else setup.batch.exclude,
        skip=[out_path, *setup_files(setup)],
        stats=stats,
    )
    for text in stats.notes():
        add_note(text)
    captures_dir = out_path / CAPTURES_DIR
    captures_dir.mkdir(parents=True, exist_ok=True)
    write_output_marker(out_path)
    cli = dict(overrides or {})
    fmts = tuple(formats)
    hashes: dict[Path, str] = {}
    batch_jobs = []
    for item, name in zip(items, capture_folder_names(items), strict=True):
        folder = captures_dir / name
        if folder.resolve().parent != captures_dir.resolve():  # pragma: no cover - by design
            raise RuntimeError(f"capture folder {name!r} escapes {captures_dir}")
        settings = setup.settings_for(item.rel).override(**cli)
        shown = settings
        pairs: tuple[tuple[str, str], ...] = ()
        if scheduler is not None:
            settings = absolute_paths(settings)
            pairs = display_pairs(shown, settings)
        digest = settings_digest(
            shown, formats=fmts, setup=setup, display_path=item.display, file_hashes=hashes
        )
        batch_jobs.append(
            BatchJob(
                str(item.path.resolve()) if scheduler is not None else item.display,
                item.rel,
                settings,
                fmts,
                str(folder),
                str(out_path),
                digest,
                setup,
                force,
                display=item.display,
                display_paths=pairs,
                no_limit=no_limit_message(settings, setup, item.rel),
            )
        )

    client: Any = None
    owned = False
    if scheduler is not None:
        client, owned = _dask_client(scheduler)
    try:
        outcomes = _collect(batch_jobs, jobs, client, progress, add_note)
    finally:
        if owned:
            client.close()
    computed = sum(o.computed for o in outcomes)
    rows = [o.row for o in outcomes]
    rows, groups = group_rows(rows, [it.rel for it in items], pattern)
    files = write_summary(out_path, rows, groups, pattern=pattern.pattern if pattern else None)
    return BatchResult(
        out=out_path,
        rows=tuple(rows),
        groups=tuple(groups),
        computed=computed,
        reused=len(outcomes) - computed,
        files=tuple(files),
        notes=tuple(notes),
    )
