"""``rfcheck dossier``: one judged test record per product unit (see ``docs/dossier.md``)."""

from __future__ import annotations

import atexit
import contextlib
import gc
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from ..errors import EXIT_INPUT_ERROR, EXIT_USAGE
from ..outcome import exit_code_for
from ..product.outputs import FORMATS
from ..report.assumed_text import qualified_verdict
from ..settings import load_setup
from ..textsafe import printable
from ._common import (
    INPUT_PATH,
    check_report_environment,
    echo,
    handle_errors,
    refuse_missing,
    report_error,
    report_record,
)
from ._setup_rules import checked_setup

if TYPE_CHECKING:
    from ..batch.stop import StopRequest
    from ..product.left_out import LeftOut
    from ..product.summary import DossierRun, UnitSummary
    from ..settings import Setup

__all__ = ["dossier_cmd"]


def record_gaps_line(summaries: Sequence[UnitSummary], out: Path) -> str:
    """Return the closing line naming the units whose record is incomplete ("": none).

    ``record incomplete: 2 items, see the cover of D/rig/dossier.pdf`` (one unit), or
    ``record incomplete: rig 2 items, rig-0418 1 item; see each record's cover``: counted,
    not listed (the cover lists them). The exit code is the measurements' (never the
    record's, docs/dossier.md).
    """
    lacking = [s for s in summaries if s.record_missing]
    if not lacking:
        return ""

    def items(n: int) -> str:
        return f"{n} item{'' if n == 1 else 's'}"

    if len(summaries) == 1:
        s = lacking[0]
        where = "its cover"
        if s.record:
            where = f"the cover of {printable((out / s.folder / s.record).as_posix())}"
        return f"record incomplete: {items(s.record_missing)}, see {where}"
    units = ", ".join(f"{printable(s.unit)} {items(s.record_missing)}" for s in lacking)
    return f"record incomplete: {units}; see each record's cover"


def _formats(value: str) -> tuple[str, ...]:
    asked = tuple(v.strip() for v in value.split(",") if v.strip())
    bad = [v for v in asked if v not in FORMATS]
    if bad or not asked:
        raise click.BadParameter(f"unknown format(s) {bad} (known: {', '.join(FORMATS)})")
    return asked


@contextlib.contextmanager
def _refusal_is_usage() -> Iterator[None]:
    """Turn an output-folder refusal into one line and exit code 2 (a usage error).

    :class:`rfcheck.batch.output.OutputFolderError`, from :func:`_check_out` before any
    input is read and from ``run_dossier`` (a unit folder on an input folder) before any
    write; every other :class:`RfcheckError` stays exit code 3 (:func:`handle_errors`).
    """
    from ..batch.output import OutputFolderError

    try:
        yield
    except OutputFolderError as err:
        report_error(err)
        sys.exit(EXIT_USAGE)


def _check_out(out: Path, dirs: tuple[Path, ...], *, force: bool) -> None:
    """Refuse ``out`` as ``batch`` does, before any input is read (one line, exit code 2).

    :func:`rfcheck.batch.output.check_output_folder`: a DIR or a folder inside one, or a
    non-empty folder without rfcheck's marker (unless ``force``); an ``out`` that is not a
    folder is ``cannot write`` (exit code 3, by :func:`handle_errors`).
    """
    from ..batch.output import check_output_folder

    with _refusal_is_usage():
        check_output_folder(out, dirs, force=force)


def _unused_limits(setup: Setup) -> str | None:
    """Say that the setup's ``[check]``/``[[rule]]`` limits do not judge the dossier's ports.

    The plan decides each port's limits (``product.assign.plan_limits``): a setup written for
    ``check`` that names another table (a CISPR 32 one, a lab's file) would otherwise be
    ignored without a word.
    """
    from ..errors import RfcheckError
    from ..product.plan import PortKind, plan_from_setup

    try:
        plan = plan_from_setup(setup)
    except RfcheckError:  # the dossier names the fault itself
        return None
    used = {i for kind in PortKind for i in plan.limit_ids(kind)}
    check = {"limit_ids": setup.check.limit_ids, "limit_files": setup.check.limit_files}
    named: dict[str, None] = {}
    for where in [check, *(r.overrides for r in setup.rules)]:
        named.update(dict.fromkeys(str(x) for x in where.get("limit_ids", ()) if x not in used))
        named.update(dict.fromkeys(Path(x).name for x in where.get("limit_files", ())))
    if not named:
        return None
    return (
        f"the setup's [check]/[[rule]] limits ({', '.join(named)}) are not used by the dossier: "
        "each port is judged against the limits of the [plan]'s rules (see --dry-run)"
    )


def _unused_ranges(setup: Setup) -> str | None:
    """Say that the setup's ``[check]``/``[[rule]]`` ``range_hz`` does not narrow a cell.

    Each cell is judged over its whole plan range (``product.assign.port_settings``): a range
    written for ``check`` would otherwise look as if it narrowed what the record covers.
    """
    where = ["[check]"] if setup.check.range_hz is not None else []
    where += [f"[[rule]] {r.match!r}" for r in setup.rules if "range_hz" in r.overrides]
    if not where:
        return None
    return (
        f"range_hz in {', '.join(where)} is not used by the dossier: each cell is judged over "
        "its whole plan range, every reading in it (see --dry-run)"
    )


def _unused_notes(setup: Setup, left_out: Sequence[LeftOut]) -> list[str]:
    """Return the notes on what the dossier does not use: limits, ``range_hz``, left-out files.

    The setup's ``[check]``/``[[rule]]`` limits and ``range_hz`` (:func:`_unused_limits`,
    :func:`_unused_ranges`), and the capture files of the run's units that ``[batch]
    include`` leaves out (``left_out``: :attr:`rfcheck.product.placement.Placement.left_out`,
    also listed in ``summary.json``): said by the judged run and ``--dry-run`` alike.
    """
    from ..product.left_out import left_out_notes

    notes = [n for n in (_unused_limits(setup), _unused_ranges(setup)) if n]
    return notes + left_out_notes(left_out, setup)


@click.command("dossier")
@click.argument("dirs", nargs=-1, required=True, type=INPUT_PATH)
@click.option(
    "--setup",
    "setup_file",
    required=True,
    type=click.Path(path_type=Path),
    help="Setup TOML with [dut], [plan] and [[rule]] port assignments.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),  # a file: "cannot write OUT: not a folder", exit 3
    help="Output folder: OUT/<unit>/dossier.* and OUT/summary.json (required unless --dry-run).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the required matrix, which capture fills which cell and any range no capture "
    "reaches; judge nothing (exit 3 unreadable file, 5 a range not measured, else 0).",
)
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    help="Comma-separated outputs per unit: json, html, pdf, plots.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the CPUs available).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a non-empty --out folder rfcheck did not create (no .rfcheck-output).",
)
@click.option(
    "--paper",
    type=click.Choice(["letter", "a4"]),
    default="letter",
    show_default=True,
    help="PDF page size: US Letter (the FCC file) or A4.",
)
@handle_errors
def dossier_cmd(
    dirs: tuple[Path, ...],
    setup_file: Path,
    out: Path | None,
    dry_run: bool,
    formats: str,
    jobs: int | None,
    force: bool,
    paper: str,
) -> None:
    """Judge folders of captures as the test record of each product unit.

    The setup's [plan] declares the ports (mains lines, polarisations); the plan rules
    of its regulation give the required matrix (port x limit line x range). Each port's
    captures are pooled as one measurement (the check --combine semantics) and every cell
    judged: PASS, FAIL, INCONCLUSIVE, MISSING, or ERROR (a capture of its port could not
    be used). Unit verdict: FAIL > ERROR > INCONCLUSIVE >
    INCOMPLETE (a MISSING cell) > PASS. A file the setup's [batch] group_pattern finds no
    unit in (a README, a screenshot) is in no unit: not used, no record, one error line
    (exit 3 unless a unit fails).

    OUT is refused (exit 2) when it is a DIR or inside one, or an existing non-empty folder
    rfcheck did not create (without --force), as for 'batch'.

    With the setup's [entry], OUT/entry.pdf (and .html, .json) is the entry's one cover
    sheet: every tested unit and the entry's verdict, the worst of theirs; a serial its
    tested_serials list and no unit has counts as INCOMPLETE, here and in the exit code.

    Exit codes: 0 PASS, 1 FAIL, 2 usage (also a refused OUT), 3 unreadable input or setup
    file (nothing failed) or OUT cannot be written, 4 INCONCLUSIVE, 5 INCOMPLETE, 130
    interrupted (Ctrl-C: the records finished stay, each whole; OUT/summary.json marks the
    run interrupted and names the units not issued; run again to finish), 143 stopped by
    SIGTERM (kill, timeout, a cancelled CI job: as 130).
    """
    from ..batch.stop import StopRequest, stop_on_signals

    stop = StopRequest()
    run: DossierRun | None = None
    try:
        with stop_on_signals(stop):
            run, written = _judge(dirs, setup_file, out, dry_run, formats, jobs, force, paper, stop)
            code = _report(run, written)
    except KeyboardInterrupt as err:  # the signal's exit code, whatever finished
        _exit_interrupted(stop, err, out, run)
    if stop.requested:  # a signal whose KeyboardInterrupt was lost on its way
        _exit_interrupted(stop, None, out, run)
    sys.exit(code)


def _judge(
    dirs: tuple[Path, ...],
    setup_file: Path,
    out: Path | None,
    dry_run: bool,
    formats: str,
    jobs: int | None,
    force: bool,
    paper: str,
    stop: StopRequest,
) -> tuple[DossierRun, Path]:
    """Read the setup, place the captures, judge and write every unit; return the run, OUT.

    ``--dry-run`` prints the plan view and exits here.
    """
    from ..allocator import imports_uncollected

    with imports_uncollected():  # long-lived objects: never traversed by the collector
        from ..product.run import default_jobs, place_captures, run_dossier, start_workers_early

    # The process ends after the command: no final garbage collection over every object the
    # receiver's numba and scipy left (~0.1 s of a 2 s dossier; the outputs are written and
    # closed by then).
    atexit.register(gc.freeze)
    fmts = _formats(formats)
    if out is not None and not dry_run:
        _check_out(out, dirs, force=force)
    # a fault anywhere in the setup: one line naming it, exit code 3 (handle_errors), as
    # every command refuses it (README, "Exit codes"); before any capture is judged
    refuse_missing(dirs)
    setup = load_setup(setup_file)
    jobs = jobs or default_jobs()
    if out is not None and not dry_run:  # two units or more: their workers start importing
        start_workers_early(dirs, setup, [out], jobs)
    with imports_uncollected():
        from ..product.dry_run import plan_view
        from ..product.record import record_of
        from ..record.findings import entry_model_conflict
    checked_setup(setup)  # the record's and the plan's tables, as read_setup checks them
    record = record_of(setup)
    placement = place_captures(dirs, setup, skip=[out] if out else [])
    model = entry_model_conflict(record)
    if model is not None:  # also a finding on every unit's record
        echo(f"rfcheck: warning: {printable(model.message)}", err=True)
    if placement.distance_gap:  # each capture reaching the gap is an error row
        echo(f"rfcheck: warning: {printable(f'{setup.path}: {placement.distance_gap}')}", err=True)
    for text in _unused_notes(setup, placement.left_out):
        echo(f"rfcheck: note: {printable(text)}", err=True)
    if dry_run:
        view = plan_view(placement, setup)
        echo(view.text, nl=False)
        for e in view.problems:  # judged or not, a file that could not be used is exit 3
            report_record(e.path, e.message)
        sys.exit(view.exit_code)  # a range no capture reaches: INCOMPLETE, as judged (5)
    if out is None:
        raise click.UsageError("--out is required (or give --dry-run)")
    check_report_environment()  # the records' issue date: refused before any judging
    with _refusal_is_usage():  # a unit folder on an input folder: refused before any write
        run = run_dossier(
            placement,
            setup,
            out,
            formats=fmts,
            jobs=jobs,
            paper=paper,
            note=lambda text: echo(f"rfcheck: note: {printable(text)}", err=True),
            stop=stop,
        )
    return run, out


def _report(run: DossierRun, out: Path) -> int:
    """Print each unit's line, the entry's and where the records are; return the exit code."""
    summaries = run.units
    for s in summaries:
        echo(_unit_line(s))
        if s.decision_rule:  # the verdict is the rule's, not the measured margin's
            echo(f"  decision rule: {printable(s.decision_rule)}")
        if s.record:
            echo(f"  record: {printable((out / s.folder / s.record).as_posix())}")
        for e in s.error_rows:  # one line per file that could not be used, as check/batch
            report_record(e.path, e.message)
        if s.report_error:  # the unit's record PDF: named, never an internal error
            report_record((out / s.folder).as_posix(), f"unit {s.unit}: {s.report_error}")
    for e in run.no_unit:  # in no unit: not used, no record of its own (exit code 3)
        report_record(e.path, e.message)
    _echo_entry(run, out)
    echo(f"wrote {out}")
    gaps = record_gaps_line(summaries, out)
    if gaps:  # the last line: who reads only the terminal does not take the record as complete
        echo(gaps)
    return exit_code_for(run.verdict) if summaries else EXIT_INPUT_ERROR


#: Units named in the line of an interrupted run (the summary names them all).
_UNITS_NAMED = 5


def _named(units: Sequence[str]) -> str:
    """``rig, rig-0418`` (at most :data:`_UNITS_NAMED`, then ``+N more``)."""
    shown = ", ".join(printable(u) for u in units[:_UNITS_NAMED])
    more = len(units) - _UNITS_NAMED
    return shown + (f" +{more} more" if more > 0 else "")


def _interrupted_line(
    stop: StopRequest, err: BaseException | None, out: Path | None, run: DossierRun | None
) -> str:
    """Return the one line of a dossier stopped by a signal: which records it wrote.

    ``rfcheck: interrupted: records of 2 of 9 units written (rig, u01); 7 not issued, named
    in OUT/summary.json; run the same command again to finish``; ``terminated (SIGTERM)``
    for SIGTERM. ``err``: the :class:`~rfcheck.product.run.DossierInterrupted` of a run
    stopped midway (else it stopped before writing anything, or after writing everything:
    ``run``).
    """
    from ..product.run import DossierInterrupted

    how = "terminated (SIGTERM)" if stop.terminated else "interrupted"
    again = "run the same command again to finish"
    if run is not None:  # every record and the summary were written
        return f"rfcheck: {how}: every unit's record and the summary were written"
    if not isinstance(err, DossierInterrupted):
        return f"rfcheck: {how}: no record was written; {again}"
    n = len(err.issued) + len(err.not_issued)
    done = [s.unit for s in err.issued]
    if not done:
        wrote = "no unit's record was written"
    elif err.not_issued:
        wrote = f"records of {len(done)} of {n} units written ({_named(done)})"
    else:
        wrote = f"records of all {n} units written" + (
            ", the entry cover sheet not" * err.entry_due
        )
    where = ""
    if err.summary and out is not None:
        summary = printable((out / "summary.json").as_posix())
        left = f"{len(err.not_issued)} not issued, named" if err.not_issued else "marked"
        where = f"; {left} in {summary}"
    return f"rfcheck: {how}: {wrote}{where}; {again}"


def _exit_interrupted(
    stop: StopRequest, err: BaseException | None, out: Path | None, run: DossierRun | None
) -> NoReturn:
    """Say in one line what an interrupted run wrote; exit 130 (Ctrl-C) or 143 (SIGTERM)."""
    from ..batch.stop import signals_deferred
    from ._batch import EXIT_INTERRUPTED, EXIT_TERMINATED

    with signals_deferred(stop):  # a second Ctrl-C does not cut the line short
        echo(_interrupted_line(stop, err, out, run), err=True)
    sys.exit(EXIT_TERMINATED if stop.terminated else EXIT_INTERRUPTED)


def _unit_line(s: UnitSummary) -> str:
    """Return the unit's terminal line: its verdict, what decides it, what was not used."""
    line = f"{s.unit}: {s.verdict.value}"
    if s.deciding:  # the cell deciding a FAIL or INCONCLUSIVE, as the record names it
        line += f" ({s.deciding})"
    if s.unreadable:  # a capture not read, or read with no known distance: never "missing"
        line += " (capture could not be used: " + printable("; ".join(s.unreadable)) + ")"
    if s.missing:
        line += " (missing: " + "; ".join(s.missing) + ")"
    if s.other_device:  # its header states another device: set aside, never evidence
        line += " (another device's, not used: " + printable(", ".join(s.other_device)) + ")"
    if s.shared:  # its content is also filed under another unit: one measurement, set aside
        line += " (also another unit's or port's, not used: " + printable(", ".join(s.shared)) + ")"
    if s.errors:
        line += f" ({s.errors} error row(s))"
    for assumed in s.assumptions:  # ASSUMED DWELL / SCALE: what the verdict takes on trust
        line += f" ({assumed.split(': ', 1)[0]})"
    return line


def _echo_entry(run: DossierRun, out: Path) -> None:
    """One line for the entry (its verdict, each tested serial's), then where its sheet is."""
    sheet = run.entry
    if sheet is None:
        return
    units = ", ".join(
        f"model {u.model} {u.verdict.value} (not judged in this run)"
        if u.untested_model
        else f"{u.serial or u.unit} {qualified_verdict(u.verdict.value, u.assumed)}"
        + ("" if u.unit else " (not measured)")
        for u in sheet.units
    )
    number = sheet.entry.entry_number or "(number not stated)"
    verdict = qualified_verdict(sheet.verdict.value, sheet.assumed)  # as the sheet's banner
    echo(printable(f"entry {number}: {verdict} ({units})"))
    if run.entry_record:
        echo(f"  cover sheet: {printable((out / run.entry_record).as_posix())}")
