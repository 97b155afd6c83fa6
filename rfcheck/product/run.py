"""``rfcheck dossier``: from folders of captures to one written test record per unit.

Steps: read the plan, derive the required matrix, find the units and their captures
(:func:`rfcheck.product.placement.place_captures`, here too), then per unit
judge (:func:`rfcheck.product.dossier.judge_unit`) and write ``OUT/<unit>/dossier.json``,
``dossier.html``, ``dossier.pdf`` and one margin plot per port group, in worker processes
when ``jobs > 1``; then, with the setup's ``[entry]``, the run's one entry cover sheet
(``OUT/entry.*``, :mod:`rfcheck.product.entry`); finally ``OUT/summary.json``. The ``--dry-run`` is
:func:`rfcheck.product.dry_run.plan_view`.
"""

from __future__ import annotations

import datetime as _dt
import json
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..allocator import freeze_imported, imports_uncollected, keep_freed_memory
from ..batch.discover import write_output_marker
from ..batch.output import cannot_write
from ..outcome import Verdict, combine_verdicts
from ..settings import Setup
from ..textsafe import json_safe
from .assign import Assigned, assign
from .earlier import EarlierRun, Stale, earlier_run, stale_outputs
from .outputs import ENTRY_FILES, FORMATS, SUMMARY_NAME
from .placement import NoCaptureError, Placement, place_captures
from .summary import DossierRun
from .unit_folders import check_unit_folders, unique_names, unit_folder_name
from .unit_job import unit_job

if TYPE_CHECKING:  # judging is the workers' part: the parent of a pool need not load it
    pass

__all__ = [
    "FORMATS",
    "NoCaptureError",
    "Placement",
    "place_captures",
    "run_dossier",
    "SUMMARY_NAME",
    "default_jobs",
]


#: What every unit's worker runs: the fork server imports it once (~0.7 s of loaders, verdict,
#: matplotlib and reportlab; :mod:`rfcheck.product.worker_modules`), and each worker starts
#: from that copy instead of importing it again. The parent scans the first units'
#: recordings meanwhile (:func:`_scanned_here`).
_WORKER_PRELOAD = ["rfcheck.product.worker_modules"]

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
) -> DossierRun:
    """Judge and write every unit, the entry cover sheet (``[entry]``), then ``OUT/summary.json``.

    Nothing an earlier run wrote in ``OUT`` is deleted: its files this run does not write
    again, and the folders of units not in this run, are listed in the summary as ``stale``
    (:mod:`rfcheck.product.earlier`). A unit folder that would be, hold or lie in an input
    folder is refused before anything is written.

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

    Returns
    -------
    DossierRun
        Each unit's summary, in unit order, the entry sheet with its files, and the files
        in no unit (``summary.json``'s ``in_no_unit``).

    Raises
    ------
    rfcheck.batch.output.OutputWriteError
        ``OUT`` or a file in it cannot be written: ``cannot write <path>: <reason>``
        (exit code 3).
    """
    from ..record.issue import issue_time
    from ..report.dossier import write_summary

    issued = issued or issue_time()
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
    if jobs > 1 and len(units) > 1:
        run = _run_pool(placement, setup, out, fmts, paper, min(jobs, len(units)), names, issued)
    else:
        summaries = [
            unit_job(u, n, placement, setup, out, fmts, paper, issued=issued)
            for u, n in zip(units, names, strict=True)
        ]
        run = _write_entry(DossierRun(summaries), setup, out, fmts, paper, issued)
    run = replace(run, no_unit=placement.no_unit)
    summaries = run.units
    stale = stale_outputs(out, earlier, {s.folder: s.files for s in summaries}, run.entry_files)
    _tell(stale, earlier, note)
    verdicts = [s.verdict for s in summaries] + [Verdict.ERROR] * bool(run.no_unit)
    doc = {
        "rfcheck_version": __version__,
        "verdict": combine_verdicts(verdicts).value if verdicts else Verdict.INCOMPLETE.value,
        "units": [s.to_json() for s in summaries],
        "in_no_unit": [e.to_json() for e in run.no_unit],
        "entry": _entry_json(run),
        "stale": stale.paths,
    }
    try:
        write_summary(
            out / SUMMARY_NAME,
            json_safe(json.dumps(doc, indent=2, ensure_ascii=False)).encode() + b"\n",
        )
    except OSError as err:
        raise cannot_write(out / SUMMARY_NAME, err) from None
    return run


def _write_entry(
    run: DossierRun,
    setup: Setup,
    out: Path,
    formats: tuple[str, ...],
    paper: str,
    issued: _dt.datetime,
) -> DossierRun:
    """Write the run's entry cover sheet when the setup has ``[entry]`` (one per run).

    In the document formats asked for (none with ``--format plots`` alone), after every
    unit's record: the sheet hashes them.
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
        written = write_entry(sheet, out, formats, paper=paper)
    except OSError as err:
        raise cannot_write(out, err) from None
    return replace(run, entry=sheet, entry_files=tuple(p.name for p in written))


def _entry_json(run: DossierRun) -> dict[str, Any] | None:
    """``summary.json``'s ``entry``: number, verdict, report id and the files written.

    With the serials listed as tested that no unit has, the ``[entry] models`` the run did
    not judge, and whether every unit's record is complete.
    """
    if run.entry is None:
        return None
    return {
        "entry_number": run.entry.entry.entry_number,
        "verdict": run.entry.verdict.value,
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


def _run_pool(
    placement: Placement,
    setup: Setup,
    out: Path,
    formats: tuple[str, ...],
    paper: str,
    n_workers: int,
    names: Sequence[str],
    issued: _dt.datetime,
) -> DossierRun:
    """Judge and write the units in ``n_workers`` processes, then the entry sheet in one.

    Returns the units' summaries in order with the entry sheet (:func:`_write_entry`, run in
    a worker: the PDF toolkit is imported there already, ~0.3 s this process would pay).

    The workers' fork server starts first and imports :data:`_WORKER_PRELOAD` (~0.7 s);
    meanwhile this process scans the short recordings of the first ``n_workers`` units
    (:func:`_scanned_here`; the receiver, ~0.5 s with its start-up, would otherwise run in
    a worker after the server's imports). Each worker places the rest of its unit. The
    recordings of later units are scanned by their workers, in parallel.
    """
    # forkserver, not fork: the parent may hold threads (the receiver's) and locks
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_WORKER_PRELOAD)
    _start_server()
    # each worker keeps freed memory as this process does, and ends with it (_start_worker)
    with ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=ctx,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    ) as pool:
        futures = [
            pool.submit(
                unit_job,
                unit,
                name,
                placement,
                setup,
                out,
                formats,
                paper,
                _scanned_here(placement, unit, setup) if i < n_workers else None,
                issued,
            )
            for i, (unit, name) in enumerate(zip(placement.units, names, strict=True))
        ]
        run = DossierRun([f.result() for f in futures])
        return pool.submit(_write_entry, run, setup, out, formats, paper, issued).result()


def _start_worker(dossier_pid: int) -> None:
    """Set up a pool worker: freed memory kept, preloaded objects frozen, ended with the command.

    The fork server's imports (:data:`_WORKER_PRELOAD`) are never traversed by the garbage
    collector again (:func:`rfcheck.allocator.freeze_imported`).
    """
    from ..batch.worker import exit_when_gone

    keep_freed_memory()  # as this process does (rfcheck.allocator)
    freeze_imported()
    exit_when_gone(dossier_pid)


def _start_server() -> None:
    """Start the fork server now (it imports the preload meanwhile); the pool meets any failure.

    With this process's import path (:func:`rfcheck.batch.pool.ensure_forkserver`).
    """
    from ..batch.pool import ensure_forkserver

    try:
        ensure_forkserver()
    except OSError:  # the pool reports it when it starts a worker
        pass


def default_jobs() -> int:
    """Worker processes by default: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
