"""One batch job: everything a worker needs for one input, and the work it does.

:func:`run_job` analyses one input and writes its reports and resume state, or reuses its
up-to-date outputs (:mod:`rfcheck.batch.state`). It never raises for a bad input: the error
becomes an ERROR row, so a batch never aborts on one file.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import ReportError, RfcheckError
from ..io import file_sha256
from ..outcome import Verdict
from ..results import CaptureResult, ErrorRecord, RunResult
from ..settings import CheckSettings, Setup
from .results import NOT_RUN, SummaryRow, row_from_capture
from .state import (
    STATE_FILE,
    CaptureState,
    earlier_reports,
    input_companions,
    load_state,
    remove_superseded,
    save_state,
)

__all__ = [
    "BatchJob",
    "JobOutcome",
    "run_job",
    "StateStamp",
    "state_stamp",
    "written_outcome",
    "no_limit_message",
    "missing_limit_message",
    "NO_LIMIT_GIVEN",
    "no_limit_usage",
]

_COMMAND = "rfcheck batch"


def no_limit_usage(capture: str | None = None, hint: str = "") -> str:
    """Return the usage error when no limit is named (for ``capture``, else anywhere).

    ``hint`` ends it (:meth:`rfcheck.settings.Setup.plan_limits_hint`). ``batch`` and
    ``check`` take the same options, so they say the same.
    """
    where = f" for {capture}" if capture is not None else ""
    return (
        f"no limit given{where}: use --limit ID (see 'rfcheck limits list'), --limit-file "
        f"FILE, or a [check]/[[rule]] 'limits' entry in the setup file{hint}"
    )


#: The usage error of a batch in which no limit is named anywhere.
NO_LIMIT_GIVEN = no_limit_usage()


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
        :func:`~rfcheck.batch.state.settings_digest` of this job.
    setup : Setup, optional
        For the DUT/lab/test block of the reports.
    force : bool
        Recompute even when the resume state matches.
    display : str
        The input as displayed in the summary and reports (root as given joined with the
        relative path; "" = ``path``), whatever the backend.
    base_dir : str
        The directory ``display`` and the table paths of ``settings`` are relative to, when
        it is not the worker's own: the client's working directory for a Dask worker ("" =
        the worker's). Files are opened there and shown as given
        (:func:`~rfcheck.analysis.run_check`), so a Dask run's rows and reports equal a
        local run's.
    no_limit : str
        Set when no limit applies to the input: the ERROR message saying why.
    command : str
        The batch's command line, named by the reports as theirs ("" = ``rfcheck batch``).
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
    base_dir: str = ""
    no_limit: str = ""
    command: str = ""

    @property
    def shown(self) -> str:
        """The input's path as displayed."""
        return self.display or self.path


@dataclass(frozen=True)
class JobOutcome:
    """What a worker returns: the summary row, and whether it was (re)computed."""

    row: SummaryRow
    computed: bool


def no_limit_message(settings: CheckSettings, setup: Setup, rel: str) -> str:
    """Return why no limit applies to the input at ``rel`` ("" when one does).

    No limit applies when no setup ``[[rule]]`` matches it and ``[check]`` (and the command
    line) names none, nor does the setup's ``[plan]`` for its port.
    """
    if settings.limit_ids or settings.limit_files:
        return ""
    if setup.plan:
        from ..product.assign import port_of

        return (
            f"no limit applies to '{rel}': no [[rule]] and no [check] names a limit"
            f"{setup.plan_limits_hint(port_of(rel, setup)[0])}"
        )
    if setup.path is None:
        return (
            f"no limit applies to '{rel}': no --setup file and no --limit given "
            "(use --limit ID or --limit-file FILE)"
        )
    return (
        f"no limit applies: no [[rule]] in {setup.path.as_posix()} matches '{rel}' and "
        "[check] names no limit (use --limit, or add a rule)"
    )


def missing_limit_message(setup: Setup, overrides: Mapping[str, Any] | None = None) -> str:
    """Return :data:`NO_LIMIT_GIVEN` (and the setup's [plan] hint) when no limit is named.

    Anywhere: the command line, ``[check]``, any ``[[rule]]``, or a ``[plan]`` with a rule
    giving a port (its limits judge that port's captures); without one no input could be
    judged; "" otherwise.
    """
    over = overrides or {}
    named = [over.get("limit_ids"), over.get("limit_files")]
    named += [setup.check.limit_ids, setup.check.limit_files]
    for rule in setup.rules:
        named += [rule.overrides.get("limit_ids"), rule.overrides.get("limit_files")]
        named.append(bool(setup.plan) and bool(rule.product))  # a port of the plan's limits
    return "" if any(named) else no_limit_usage(hint=setup.plan_limits_hint())


def error_row(job: BatchJob, sha: str | None, message: str) -> SummaryRow:
    """Return the ERROR row of an input that could not be read or analysed."""
    return SummaryRow(
        path=job.shown,
        sha256=sha,
        format=None,
        verdict=Verdict.ERROR,
        coverage="none",
        error=message,
    )


def not_run_row(job: BatchJob) -> SummaryRow:
    """Return the INCOMPLETE row of an input an interrupted batch did not analyse."""
    return SummaryRow(
        path=job.shown,
        sha256=None,
        format=None,
        verdict=Verdict.INCOMPLETE,
        coverage="none",
        error=NOT_RUN,
    )


def internal_message(err: BaseException) -> str:
    """Describe an unexpected exception.

    As ``internal error: <Type>: <message> (at <file>:<line>)``.
    """
    tb = traceback.extract_tb(err.__traceback__)
    where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"internal error: {type(err).__name__}: {err}{where}"


def _explain_no_limit(job: BatchJob, run: RunResult) -> RunResult:
    """Return the row of a readable input with nothing to judge it against; its error says why."""
    capture = run.captures[0]
    if (
        job.no_limit
        and capture.verdict is Verdict.ERROR
        and any(e.message.startswith("no limit given") for e in capture.errors)
    ):
        capture = replace(capture, errors=(ErrorRecord(capture.path, job.no_limit),))
        run = replace(run, captures=(capture,))
    return run


def _write_reports(job: BatchJob, run: RunResult) -> tuple[list[str], str]:
    """Write the job's report files.

    Returns their paths relative to ``OUT`` (POSIX), sorted, and the report error ("" when
    every file was written; a failing renderer never changes the verdict).
    """
    from ..report import write_reports

    if not job.formats:
        return [], ""
    failure = ""
    try:
        written = write_reports(run, Path(job.out_dir), job.formats, job.setup)
    except ReportError as err:
        written, failure = list(err.written), err.message
    root = Path(job.out_root).resolve()
    reports = []
    for p in written:
        rp = Path(p).resolve()
        reports.append(rp.relative_to(root).as_posix() if rp.is_relative_to(root) else str(p))
    return sorted(reports), failure


def _analyse(job: BatchJob, sha: str | None) -> tuple[SummaryRow, dict[str, Any] | None]:
    """Analyse the input and write its reports.

    Returns the row and the capture's JSON (None when the input could not be analysed).
    """
    from ..analysis import run_check

    try:
        run = run_check(
            [job.shown],
            job.settings,
            command=job.command or _COMMAND,
            setup=job.setup,
            base_dir=job.base_dir,
        )
    except RfcheckError as err:
        return error_row(job, sha, str(err)), None
    run = _explain_no_limit(job, run)
    capture: CaptureResult = run.captures[0]
    reports, report_error = _write_reports(job, run)
    data = run.data_sha256().get(capture.path, ())
    row = row_from_capture(capture, path=job.shown, sha256=sha, reports=reports, data_sha256=data)
    if report_error:  # the verdict stands, the error beside it; no resume state: retried next run
        return replace(row, error="; ".join(filter(None, (row.error, report_error)))), None
    return row, capture.to_json()


def _expected_state(job: BatchJob) -> CaptureState:
    """Return the state the job's outputs must have been made from to be reused."""
    try:
        sha: str | None = file_sha256(Path(job.path))
    except OSError:
        sha = None
    companions = input_companions(job.path, job.settings.fmt) if sha is not None else []
    return CaptureState(sha, companions, job.digest)


def run_job(job: BatchJob) -> JobOutcome:
    """Analyse one input and write its reports, or reuse its up-to-date outputs.

    Never raises for a bad input: an :class:`~rfcheck.errors.RfcheckError` or any other
    exception, while the input is hashed, its resume state read or the input analysed,
    becomes an ERROR row (an unexpected one names its type and location).
    The resume state is written last and atomically.
    """
    try:
        return _run_job(job)
    except Exception as err:  # broad on purpose: a batch never aborts on one input
        return JobOutcome(error_row(job, None, internal_message(err)), True)


def _run_job(job: BatchJob) -> JobOutcome:
    """:func:`run_job`, which turns what this raises into the input's ERROR row."""
    out_dir = Path(job.out_dir)
    state = _expected_state(job)
    if not job.force:
        cached = load_state(out_dir, state, Path(job.out_root))
        if cached is not None:
            return JobOutcome(cached, computed=False)
    earlier = earlier_reports(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / STATE_FILE).unlink(missing_ok=True)
    except OSError as err:  # the user's output folder, not a bug: said as every write error is
        where = err.filename or out_dir
        message = f"cannot write {where}: {err.strerror or err}"
        return JobOutcome(error_row(job, state.input_sha256, message), True)
    try:
        row, capture_json = _analyse(job, state.input_sha256)
    except Exception as err:  # broad on purpose: a batch never aborts on one input
        return JobOutcome(error_row(job, state.input_sha256, internal_message(err)), True)
    remove_superseded(earlier, row.reports, out_dir, Path(job.out_root))
    if not (row.error and row.verdict is not Verdict.ERROR):  # a report failed: no state
        save_state(out_dir, state, row, capture_json, Path(job.out_root))
    return JobOutcome(row, computed=True)


#: What identifies one writing of a capture's resume state: (inode, mtime [ns], size); None
#: when the folder holds none. The state is written atomically (a new file each time).
StateStamp = tuple[int, int, int] | None


def state_stamp(job: BatchJob) -> StateStamp:
    """Return the stamp of the job's resume state as it is now (None: there is none)."""
    try:
        st = (Path(job.out_dir) / STATE_FILE).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def written_outcome(job: BatchJob, before: StateStamp) -> JobOutcome | None:
    """Return the outcome a worker wrote for ``job`` though its result never came back.

    An interrupted run stops its workers at once; a worker may have finished an input (its
    reports and resume state written) whose result was still on its way back. When the
    job's resume state was written since ``before`` (its stamp when the run started) and is
    up to date (:func:`~rfcheck.batch.state.load_state`, the rule the next run resumes
    with), its saved row is the input's result; otherwise None (not analysed).
    """
    now = state_stamp(job)
    if now is None or now == before:
        return None
    row = load_state(Path(job.out_dir), _expected_state(job), Path(job.out_root))
    return None if row is None else JobOutcome(row, computed=True)
