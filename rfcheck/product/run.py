"""``rfcheck dossier``: from folders of captures to one written test record per unit.

Steps: read the plan, derive the required matrix, find the units and their captures
(:func:`rfcheck.product.placement.place_captures`, here too), then per unit
judge (:func:`rfcheck.product.dossier.judge_unit`) and write ``OUT/<unit>/dossier.json``,
``dossier.html``, ``dossier.pdf`` and one margin plot per port group, in worker processes
when ``jobs > 1``; then, with the setup's ``[entry]``, the run's one entry cover sheet
(``OUT/entry.*``, :mod:`rfcheck.product.entry`); finally ``OUT/summary.json``. The ``--dry-run`` is
:func:`rfcheck.product.dry_run.plan_view`. Each record's files are written aside and moved
into place whole (:mod:`rfcheck.product.publish`); a run stopped by a signal keeps the records
it issued, writes its summary marked interrupted and raises :class:`DossierInterrupted`
(``docs/dossier.md``, "Interruption").
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..allocator import imports_uncollected
from ..batch.discover import write_output_marker
from ..batch.output import cannot_write
from ..batch.runner import default_jobs
from ..batch.stop import StopRequest, signals_deferred, stop_pool
from ..errors import RfcheckError
from ..outcome import Verdict, combine_verdicts
from ..results import ErrorRecord
from ..settings import Setup
from ..textsafe import json_safe
from .assign import Assigned, assign
from .earlier import EarlierRun, Stale, earlier_run, stale_outputs
from .left_out import LeftOut
from .outputs import ENTRY_FILES, FORMATS, SUMMARY_NAME
from .placement import NoCaptureError, Placement, place_captures
from .publish import Staged, discard, in_final, publish, stage
from .summary import DossierRun, UnitSummary
from .unit_folders import check_unit_folders, unique_names, unit_folder_name
from .unit_job import unit_job
from .workers import start_server, start_worker, start_workers_early

if TYPE_CHECKING:  # judging is the workers' part: the parent of a pool need not load it
    pass

__all__ = [
    "FORMATS",
    "DossierInterrupted",
    "NoCaptureError",
    "Placement",
    "place_captures",
    "run_dossier",
    "SUMMARY_NAME",
    "default_jobs",
    "start_workers_early",
]


#: A recording of at most this many samples (all its channels) is scanned by the receiver in
#: the parent, while the fork server starts (0.03 s for the sample rig's 360,000); a longer
#: one, in the worker that judges its unit.
PARENT_SCAN_MAX_SAMPLES = 1 << 22


def _scanned_here(placement: Placement, unit: str, setup: Setup) -> dict[Path, Assigned]:
    """Place the unit's short recordings in this process, scanned by the receiver; by path.

    A recording longer than :data:`PARENT_SCAN_MAX_SAMPLES`, one that does not fit a port,
    or one the receiver cannot judge is left to the unit's worker (which reports why).
    """
    from .assign import is_recording, with_receiver_traces

    ready: dict[Path, Assigned] = {}
    with imports_uncollected():  # the receiver's numba and scipy, then one short recording
        for f in placement.found.get(unit, []):
            if not is_recording(f, setup):
                continue
            placed = assign(f, setup, placement.plan, placement.cells)
            if not isinstance(placed, Assigned) or placed.capture is None:
                continue
            if sum(ts.n_samples for ts in placed.capture.time_series) > PARENT_SCAN_MAX_SAMPLES:
                continue
            scanned = with_receiver_traces(placed)
            if scanned.capture is not None and not scanned.capture.time_series:
                ready[f.path] = scanned
    return ready


class DossierInterrupted(KeyboardInterrupt):
    """A dossier run stopped by a signal (Ctrl-C, SIGTERM) before it issued every record.

    The records of :attr:`issued` are in place, each whole; no other unit's folder was
    touched (an earlier run's record stays) and no entry cover sheet was written.
    ``OUT/summary.json`` is written marked ``"interrupted": true``, naming the units not
    issued (``docs/dossier.md``, "Interruption"); :attr:`summary` is false when ``OUT``
    could not be written at all.
    """

    def __init__(
        self,
        issued: Sequence[UnitSummary],
        not_issued: Sequence[str],
        *,
        summary: bool,
        entry_due: bool,
    ):
        super().__init__()
        #: the units whose records this run wrote, in unit order
        self.issued = list(issued)
        #: the units whose records it did not write, in unit order
        self.not_issued = list(not_issued)
        #: whether ``OUT/summary.json`` was written
        self.summary = summary
        #: whether the run was to write an entry cover sheet (``[entry]``), which it did not
        self.entry_due = entry_due


def run_dossier(
    placement: Placement,
    setup: Setup,
    out: Path,
    *,
    formats: Sequence[str] = FORMATS,
    jobs: int = 1,
    paper: str = "letter",
    issued: _dt.datetime | None = None,
    note: Callable[[str], None] | None = None,
    stop: StopRequest | None = None,
) -> DossierRun:
    """Judge and write every unit, the entry cover sheet (``[entry]``), then ``OUT/summary.json``.

    Nothing an earlier run wrote in ``OUT`` is deleted: its files this run does not write
    again, and the folders of units not in this run, are listed in the summary as ``stale``
    (:mod:`rfcheck.product.earlier`). A unit folder that would be, hold or lie in an input
    folder is refused before anything is written. Each unit's files are written aside and
    moved into ``OUT/<unit>`` once all are written (:mod:`rfcheck.product.publish`): a
    reader finds an earlier record or this run's, whole.

    Parameters
    ----------
    placement : Placement
    setup : Setup
    out : Path
        Output folder (created).
    formats : sequence of str
        Subset of :data:`FORMATS`.
    jobs : int
        Worker processes (1: in this process).
    paper : str
        ``letter`` (default) or ``a4``: the PDF page size.
    issued : datetime, optional
        The records' issue time; default :func:`rfcheck.record.issue.issue_time` (now, or
        ``SOURCE_DATE_EPOCH``), taken once for every unit.
    note : callable, optional
        Told, one line each, of an earlier unit's record removed and of a path left stale.
    stop : StopRequest, optional
        Read after each unit: once a stop is requested (a signal handler,
        :mod:`rfcheck.batch.stop`), no more unit is issued, as on ``KeyboardInterrupt``.

    Returns
    -------
    DossierRun
        Each unit's summary, in unit order, the entry sheet with its files, and the files
        in no unit (``summary.json``'s ``in_no_unit``).

    Raises
    ------
    DossierInterrupted
        ``KeyboardInterrupt`` (Ctrl-C, or a signal handler's) or ``stop`` requested before
        every record was written: the workers are stopped, the records issued so far stay
        and the summary says which units were not issued.
    rfcheck.batch.output.OutputWriteError
        ``OUT`` or a file in it cannot be written: ``cannot write <path>: <reason>``
        (exit code 3).
    """
    from ..record.issue import issue_time

    issued = issued or issue_time()
    stop = stop if stop is not None else StopRequest()
    units = placement.units
    names = unique_names(
        [unit_folder_name(u) for u in units], (SUMMARY_NAME, *ENTRY_FILES.values())
    )
    check_unit_folders(out, dict(zip(units, names, strict=True)), placement.dirs)
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_output_marker(out)  # never walked as input by a later dossier or batch
    except OSError as err:
        raise cannot_write(out, err) from None
    earlier = earlier_run(out)
    fmts = tuple(f for f in FORMATS if f in formats)
    done: dict[int, UnitSummary] = {}  # the units whose records are in place, by index
    job = _Job(placement, setup, out, fmts, paper, names, issued, stop)
    try:
        if jobs > 1 and len(units) > 1:
            run = _run_pool(job, min(jobs, len(units)), done)
        else:
            run = _run_here(job, done)
    except KeyboardInterrupt:
        with signals_deferred(stop):  # a second Ctrl-C does not cut the summary short
            raise _interrupted(job, earlier, done) from None
    with signals_deferred(stop):  # every record is written: the summary says so, whole
        run = replace(run, no_unit=placement.no_unit)
        summaries = run.units
        written = {s.folder: s.files for s in summaries}
        stale = stale_outputs(out, earlier, written, run.entry_files)
        _tell(stale, earlier, note)
        verdicts = [s.verdict for s in summaries] + [Verdict.ERROR] * bool(run.no_unit)
        doc = _summary_doc(
            verdicts, summaries, run.no_unit, _entry_json(run), stale, left_out=placement.left_out
        )
        _write_summary(out, doc)
    return run


@dataclass(frozen=True)
class _Job:
    """What every unit of a run is judged and written with (one run of :func:`run_dossier`)."""

    placement: Placement
    setup: Setup
    out: Path
    formats: tuple[str, ...]
    paper: str
    #: each unit's folder name in ``out``, in unit order
    names: Sequence[str]
    issued: _dt.datetime
    stop: StopRequest

    def staged(self, i: int) -> Staged:
        """Return a new staging folder for unit ``i``'s files (they belong in ``OUT/<folder>``)."""
        return self._stage(self.names[i], self.out / self.names[i])

    def staged_entry(self) -> Staged:
        """Return a new staging folder for the entry sheet's files (they belong in ``OUT``)."""
        return self._stage("entry", self.out)

    def _stage(self, label: str, final: Path) -> Staged:
        try:
            return stage(self.out, label, final)
        except OSError as err:  # named as where the files go, not the staging folder
            raise cannot_write(final, OSError(err.errno, err.strerror)) from None


def _summary_doc(
    verdicts: list[Verdict],
    summaries: Sequence[UnitSummary],
    no_unit: Sequence[ErrorRecord],
    entry: dict[str, Any] | None,
    stale: Stale,
    not_issued: Sequence[str] | None = None,
    left_out: Sequence[LeftOut] = (),
) -> dict[str, Any]:
    """Return ``summary.json``; ``not_issued``: the units an interrupted run did not issue.

    ``left_out``: the capture files ``[batch] include`` leaves out, each listed under its
    unit (``units[].left_out``).
    """
    summaries = [
        replace(s, left_out=tuple(f.path for f in left_out if f.unit == s.unit)) for s in summaries
    ]
    return {
        "rfcheck_version": __version__,
        "verdict": combine_verdicts(verdicts).value if verdicts else Verdict.INCOMPLETE.value,
        "interrupted": not_issued is not None,
        "not_issued": list(not_issued or []),
        "units": [s.to_json() for s in summaries],
        "in_no_unit": [e.to_json() for e in no_unit],
        "entry": entry,
        "stale": stale.paths,
    }


def _write_summary(out: Path, doc: dict[str, Any]) -> None:
    """Write ``OUT/summary.json`` (atomically).

    With :func:`rfcheck.report.atomic.write_atomic` itself: importing the unit renderers'
    package (:func:`rfcheck.report.dossier.write_summary`) for it cost the command's process
    70-90 ms after the last record was in place.
    """
    from ..report.atomic import write_atomic

    try:
        write_atomic(
            out / SUMMARY_NAME,
            json_safe(json.dumps(doc, indent=2, ensure_ascii=False)).encode() + b"\n",
        )
    except OSError as err:
        raise cannot_write(out / SUMMARY_NAME, err) from None


def _interrupted(
    job: _Job, earlier: EarlierRun, done: Mapping[int, UnitSummary]
) -> DossierInterrupted:
    """Write the summary of an interrupted run; return the exception that says so.

    It lists the units issued, names those not issued (``not_issued``) and no entry sheet;
    the earlier record of a unit not issued, kept, is ``stale`` file by file, so that the
    next run still tells which of its files it did not write again. Its verdict counts the
    run as INCOMPLETE at best. Nothing is said on the terminal (the command says it in one
    line).
    """
    units = job.placement.units
    issued = [done[i] for i in sorted(done)]
    not_issued = [u for i, u in enumerate(units) if i not in done]
    written: dict[str, Sequence[str]] = {job.names[i]: () for i in range(len(units))}
    written.update({s.folder: s.files for s in issued})
    stale = stale_outputs(job.out, earlier, written)
    verdicts = [s.verdict for s in issued] + [Verdict.INCOMPLETE]
    verdicts += [Verdict.ERROR] * bool(job.placement.no_unit)
    doc = _summary_doc(
        verdicts,
        issued,
        job.placement.no_unit,
        None,
        stale,
        not_issued,
        left_out=job.placement.left_out,
    )
    due = _entry_due(job)
    try:
        _write_summary(job.out, doc)
    except RfcheckError:  # OUT cannot be written: the interruption is what is said
        return DossierInterrupted(issued, not_issued, summary=False, entry_due=due)
    return DossierInterrupted(issued, not_issued, summary=True, entry_due=due)


def _entry_due(job: _Job) -> bool:
    """Whether the run writes an entry cover sheet: the setup's ``[entry]``, a document format."""
    if not any(f in ENTRY_FILES for f in job.formats):
        return False
    from .record import record_of

    return record_of(job.setup).entry is not None


def _publish_unit(
    job: _Job, staged: Staged, i: int, summary: UnitSummary, done: dict[int, UnitSummary]
) -> None:
    """Move unit ``i``'s files into place and count it issued; then honour a stop requested.

    A signal arriving meanwhile waits for both (:func:`rfcheck.batch.stop.signals_deferred`):
    a unit is issued whole or not at all.
    """
    with signals_deferred(job.stop):
        try:
            publish(staged)
        except OSError as err:
            raise cannot_write(staged.final, err) from None
        done[i] = summary
    if job.stop.requested:
        raise KeyboardInterrupt


def _run_here(job: _Job, done: dict[int, UnitSummary]) -> DossierRun:
    """Judge and write the units one after the other in this process, then the entry sheet."""
    for i, unit in enumerate(job.placement.units):
        if job.stop.requested:  # a signal whose KeyboardInterrupt was lost on its way
            raise KeyboardInterrupt
        staged = job.staged(i)
        try:
            summary = unit_job(
                unit, job.placement, job.setup, staged, job.formats, job.paper, issued=job.issued
            )
            _publish_unit(job, staged, i, summary, done)
        finally:
            discard(staged)  # not published: the run stopped
    run = DossierRun([done[i] for i in range(len(job.names))])
    staged = job.staged_entry()
    try:
        run = _write_entry(run, job.setup, job.out, staged, job.formats, job.paper, job.issued)
        _publish_entry(job, staged)
    finally:
        discard(staged)
    return run


def _publish_entry(job: _Job, staged: Staged) -> None:
    """Move the entry cover sheet's files into ``OUT``, each document after what it names."""
    with signals_deferred(job.stop):
        try:
            publish(staged)
        except OSError as err:
            raise cannot_write(job.out, err) from None


def _write_entry(
    run: DossierRun,
    setup: Setup,
    out: Path,
    staged: Staged,
    formats: tuple[str, ...],
    paper: str,
    issued: _dt.datetime,
) -> DossierRun:
    """Write the run's entry cover sheet when the setup has ``[entry]`` (one per run).

    In the document formats asked for (none with ``--format plots`` alone), after every
    unit's record (the sheet hashes them, in ``out``); into ``staged.staging``, which the
    caller publishes in ``out`` (:func:`_publish_entry`).
    """
    if not any(f in ENTRY_FILES for f in formats):
        return run
    from .entry import entry_sheet
    from .record import record_of

    sheet = entry_sheet(record_of(setup), setup, run.units, out, issued)
    if sheet is None:
        return run
    from ..report.dossier.entry import write_entry

    try:
        written = write_entry(sheet, staged.staging, formats, paper=paper)
    except OSError as err:
        raise cannot_write(out, in_final(staged, err)) from None
    return replace(run, entry=sheet, entry_files=tuple(p.name for p in written))


def _entry_json(run: DossierRun) -> dict[str, Any] | None:
    """``summary.json``'s ``entry``: number, verdict, report id and the files written.

    The verdict a plain word, what it takes on trust beside it (``assumptions``, as each
    unit's entry has them; :attr:`rfcheck.record.entry_sheet.EntrySheet.assumptions`). With
    the serials listed as tested that no unit has, the ``[entry] models`` the run did
    not judge, and whether every unit's record is complete.
    """
    if run.entry is None:
        return None
    return {
        "entry_number": run.entry.entry.entry_number,
        "verdict": run.entry.verdict.value,
        "assumptions": list(run.entry.assumptions),
        "report_id": run.entry.manifest.report_id.text,
        "serials_not_measured": [
            u.serial for u in run.entry.units if u.unit is None and not u.untested_model
        ],
        "models_not_judged": list(run.entry.models_not_judged),
        "records_complete": run.entry.record_complete,
        "files": list(run.entry_files),
    }


def _tell(stale: Stale, earlier: EarlierRun, note: Callable[[str], None] | None) -> None:
    """Say which earlier outputs are kept beside this run's records (nothing is deleted)."""
    if note is None:
        return
    for folder in stale.units:
        unit = earlier.units.get(folder)
        whose = f"unit {unit}'s earlier record" if unit else "an earlier run's record"
        note(
            f"{folder}/: {whose}, not part of this run (none of its captures is in it); "
            "kept, listed under stale in summary.json"
        )
    by_folder: dict[str, list[str]] = {}
    for path in stale.files:
        folder, _, name = path.partition("/")
        by_folder.setdefault(folder, []).append(name)
    for folder, names in by_folder.items():
        note(
            f"{folder}/: {', '.join(names)} from an earlier run, not written by this run; "
            "kept, listed under stale in summary.json: not part of this run's record"
        )
    if stale.entry_files:
        note(
            f"{', '.join(stale.entry_files)}: an earlier run's entry cover sheet, not written "
            "by this run; kept, listed under stale in summary.json: not this run's entry sheet"
        )


def _run_pool(job: _Job, n_workers: int, done: dict[int, UnitSummary]) -> DossierRun:
    """Judge and write the units in ``n_workers`` processes, then the entry sheet in one.

    Returns the units' summaries in order with the entry sheet (:func:`_write_entry`, run in
    a worker: the PDF toolkit is imported there already, ~0.3 s this process would pay).
    This process moves each unit's files into place as its worker returns
    (:func:`_publish_unit`). Interrupted, the workers are stopped at once and the units
    they had not returned are not issued (their staging folders removed).

    The workers' fork server starts first, unless the command started it already
    (:func:`~.workers.start_workers_early`), and imports :data:`~.workers.WORKER_PRELOAD`
    (~0.7 s); meanwhile this process scans the short recordings of the first ``n_workers`` units
    (:func:`_scanned_here`; the receiver, ~0.5 s with its start-up, would otherwise run in
    a worker after the server's imports). Each worker places the rest of its unit. The
    recordings of later units are scanned by their workers, in parallel.
    """
    ctx = start_server()  # started already when the command called start_workers_early
    placement, setup = job.placement, job.setup
    staged: list[Staged] = []
    futures: dict[Future[UnitSummary], int] = {}
    # each worker keeps freed memory as this process does, and ends with it (start_worker)
    pool = ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=ctx,
        initializer=start_worker,
        initargs=(os.getpid(),),
    )
    try:
        for i, unit in enumerate(placement.units):
            staged.append(job.staged(i))
            ready = _scanned_here(placement, unit, setup) if i < n_workers else None
            args = (unit, placement, setup, staged[i], job.formats, job.paper, ready, job.issued)
            futures[pool.submit(unit_job, *args)] = i
        for fut in as_completed(futures):
            _publish_unit(job, staged[futures[fut]], futures[fut], fut.result(), done)
        run = DossierRun([done[i] for i in range(len(staged))])
        staged.append(job.staged_entry())
        entry = (run, setup, job.out, staged[-1], job.formats, job.paper, job.issued)
        run = pool.submit(_write_entry, *entry).result()
        _publish_entry(job, staged[-1])
    except BaseException as err:  # KeyboardInterrupt, an error: stop at once
        with signals_deferred(job.stop):
            stop_pool(pool)
            stopped = job.stop.requested or isinstance(err, KeyboardInterrupt)
            if stopped:  # a unit its worker returned meanwhile is issued too
                _publish_returned(futures, staged, done)
        if stopped and not isinstance(err, KeyboardInterrupt):
            raise KeyboardInterrupt from None  # e.g. a worker the same SIGTERM ended
        raise
    finally:
        for s in staged:
            discard(s)  # not published: the run stopped
    with signals_deferred(job.stop):  # every record is in place: the workers end as usual
        pool.shutdown(wait=True)
    return run


def _publish_returned(
    futures: Mapping[Future[UnitSummary], int],
    staged: Sequence[Staged],
    done: dict[int, UnitSummary],
) -> None:
    """Publish each unit whose worker returned its summary before the pool was stopped."""
    for fut, i in futures.items():
        if i in done or not fut.done() or fut.cancelled() or fut.exception() is not None:
            continue
        try:
            publish(staged[i])
        except OSError:  # stopping anyway: the unit is not issued
            continue
        done[i] = fut.result()
