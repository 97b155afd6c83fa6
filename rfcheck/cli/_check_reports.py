"""``check``'s output: the run printed, and with ``--report`` its files written.

Without ``--out`` the files go into a folder of their own, :data:`DEFAULT_REPORT_DIR`. A
report file that would replace another capture's, or an input of the run, is refused before
anything is printed (:mod:`rfcheck.cli._check_out`, exit 2); the check of that, the writing
and the record of inputs hold the folder's lock.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_INPUT_ERROR, EXIT_USAGE, ReportError
from ..results import RunResult
from ..settings import Setup
from ..textsafe import printable
from ._common import echo, report_error

__all__ = ["DEFAULT_REPORT_DIR", "print_and_write"]


#: Where ``check --report`` writes without ``--out``: a folder of its own (marked as rfcheck
#: output), never among the captures in the working directory.
DEFAULT_REPORT_DIR = Path("rfcheck-reports")


def print_and_write(
    run: RunResult,
    output_format: str,
    report: tuple[str, ...] | None,
    out: Path | None,
    setup: Setup | None,
    given: tuple[tuple[str, ...], bool, bool],
) -> None:
    """Print the run in ``output_format``; write the ``--report`` files (parsed names).

    ``given``: the captures as given, ``--combine`` and ``--overwrite``. A report file in
    the folder made from other captures is refused before anything is printed, unless
    ``--overwrite``; one that is an input of the run always (:mod:`rfcheck.cli._check_out`,
    exit 2). The check, the writing and the record of inputs hold the folder's lock: a second
    run at once waits, then sees the first's reports.
    """
    from ..report import plots_not_written, render_stdout, stamp_issued
    from ._check_out import folder_lock

    run = stamp_issued(run)  # one issue time for the printed JSON and every report file
    folder = out if out is not None else DEFAULT_REPORT_DIR
    if not report:
        echo(render_stdout(output_format, run, setup), nl=False)
        return
    with folder_lock(folder, lambda line: echo(f"rfcheck: {printable(line)}", err=True)):
        _refuse_or_write(run, output_format, report, folder, setup, given)
    for line in plots_not_written(run, report):
        echo(f"rfcheck: {line}", err=True)


def _refuse_or_write(
    run: RunResult,
    output_format: str,
    report: tuple[str, ...],
    folder: Path,
    setup: Setup | None,
    given: tuple[tuple[str, ...], bool, bool],
) -> None:
    """Refuse (exit 2) or print and write the reports and record them (under the lock)."""
    from ..batch import write_output_marker
    from ..batch.output import cannot_write
    from ..report import render_stdout, write_reports
    from ._check_out import (
        conflict,
        ledger_problem,
        overwrites_input,
        planned_files,
        record_written,
    )

    captures, combine, overwrite = given
    planned = planned_files(run, report, captures, combine)
    problem = ledger_problem(folder)
    if problem:
        echo(f"rfcheck: warning: {printable(problem)}", err=True)
    refused = "" if overwrite else conflict(folder, planned, captures)
    inputs = [*captures, *(i.path for i in run.inputs)]  # never, --overwrite or not
    refused = overwrites_input(folder, planned, inputs) or refused
    if refused:
        echo(f"rfcheck: error: {printable(refused)}", err=True)
        sys.exit(EXIT_USAGE)
    echo(render_stdout(output_format, run, setup), nl=False)
    try:  # a marked folder: never read back as captures by a later batch
        write_output_marker(folder)
    except OSError as err:
        report_error(cannot_write(folder, err))
        sys.exit(run.exit_code or EXIT_INPUT_ERROR)
    try:
        written = write_reports(run, folder, report, setup, suspects_csv=True)
    except ReportError as err:  # the verdict stands; the report error is said beside it
        record_written(folder, planned, err.written)
        for path in err.written:
            echo(f"rfcheck: wrote {printable(path)}", err=True)
        report_error(err)
        sys.exit(run.exit_code or EXIT_INPUT_ERROR)
    record_written(folder, planned, written)
    for path in written:
        echo(f"rfcheck: wrote {printable(path)}", err=True)
