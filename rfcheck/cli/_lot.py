"""The ``rfcheck lot`` command.

``rfcheck lot DIR --golden UNIT --setup FILE``: the units of a lot against the tested unit,
and the CISPR 80/80 statistics.

Exit codes: 0 the statistics pass and every unit is shown identical; 1 a unit's own
measurement fails a limit, or the statistics fail; 2 usage error; 3 a capture cannot be read
or the setup file cannot be used (none failed), two units stating one DUT serial too, as the
dossier refuses one serial given to two units; 4 a unit is shown different from the golden
unit or its captures state another model (or the statistics cannot decide); 5 too few
units for the 80/80 rule, a unit (the golden unit too) has no capture of a port of the lot,
no unit has a capture of a port the setup's [plan] requires, or a unit [dut.serials]
declares has no capture.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..errors import EXIT_INPUT_ERROR, EXIT_USAGE
from ..settings import CheckSettings
from ..textsafe import printable
from ._common import (
    INPUT_PATH,
    REPORT_FORMATS_HELP,
    REPORT_FORMATS_TYPE,
    check_limit_ids,
    echo,
    output_option,
    refuse_missing,
    report_error,
    typed_command,
)
from ._setup_rules import read_setup

__all__ = ["lot_cmd"]

#: Exit code of two units stating one DUT serial: the code ``rfcheck dossier`` (and every
#: command) gives one serial given to two units in ``[dut.serials]``: inputs that cannot be
#: used, found after reading them (README, "Exit codes"; ``docs/record.md``).
DUPLICATE_SERIAL_EXIT = EXIT_INPUT_ERROR


def _check_out(out: Path, folder: Path) -> None:
    """Refuse a report folder that is DIR or inside it, as ``batch`` does (one line, exit 2).

    The lot's files would sit among its captures (a ``lot_units.csv`` in a unit's folder is
    read as one of its captures by the next run). The report folder may hold other files
    (it is the current folder by default): :func:`rfcheck.batch.output.check_output_folder`
    with ``force``; an ``out`` that is not a folder is ``cannot write`` (exit code 3).
    """
    from ..batch.output import OutputFolderError, check_output_folder

    try:
        check_output_folder(out, [folder], force=True)
    except OutputFolderError as err:
        report_error(err)
        sys.exit(EXIT_USAGE)


@click.command("lot")
@click.argument("folder", metavar="DIR", type=INPUT_PATH)
@click.option("--golden", required=True, metavar="UNIT", help="The unit that was tested (golden).")
@click.option(
    "--setup",
    required=True,
    type=INPUT_PATH,
    metavar="FILE.toml",
    help="Setup file with [batch] group_pattern and the rules.",
)
@click.option(
    "--limit",
    "limit",
    multiple=True,
    metavar="ID",
    help="Shipped limit table (repeatable), replacing the setup's.",
)
@click.option(
    "--window",
    type=float,
    default=10.0,
    show_default=True,
    metavar="dB",
    help=(
        "Statistics at every frequency where a unit, or the 80/80 figure X+kS, "
        "comes this close to a line."
    ),
)
@click.option(
    "--level-threshold",
    "level_threshold",
    type=float,
    default=10.0,
    show_default=True,
    metavar="dB",
    help="Level change at a fingerprint emission still taken as production spread.",
)
@click.option(
    "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes."
)
@output_option("text", "json", "csv")
@click.option(
    "--report",
    type=REPORT_FORMATS_TYPE,
    metavar="FORMATS",
    help=f"Write report files, comma-separated: {REPORT_FORMATS_HELP}.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),  # a file: "cannot write DIR: not a folder", exit 3
    metavar="DIR",
    help="Folder for --report files (default: current folder).",
)
def lot_cmd(
    folder: Path,
    golden: str,
    setup: Path,
    limit: tuple[str, ...],
    window: float,
    level_threshold: float,
    jobs: int,
    output_format: str,
    report: tuple[str, ...] | None,
    out: Path | None,
) -> None:
    """Judge the units in DIR against the GOLDEN (tested) unit and the CISPR 80/80 rule.

    Units are told apart by the setup's [batch] group_pattern. A capture's port is the
    one the setup's [[rule]] port / port_regex give it (as for 'rfcheck dossier'; a unit's
    captures of one port are judged as one measurement), else the file name without the
    unit text (one capture per port). Each unit's emission
    fingerprint (strongest emissions, harmonic families) is compared with the golden
    unit's; a unit that differs, or whose captures state another model, is 'not shown
    identical to the tested sample' and left out of the statistics. A unit measured over a
    limit fails the lot. Two units stating one DUT serial, or holding one capture content
    (byte-identical files), are refused (exit 3). Exit 0 pass
    and all identical; 1 a unit or the statistics fail; 2 usage; 3 unreadable capture or
    setup, or one DUT serial or capture held by two units; 4 a
    unit shown different (or undecided); 5 too few units, a port's capture missing (a
    [plan] port on every unit too), or a unit [dut.serials] declares with no capture (not
    measured). The
    --out folder must not be DIR or inside it (exit 2).
    """
    check_limit_ids(limit)
    formats = report or ()
    if formats or out is not None:  # a given --out is checked even when nothing is written
        _check_out(out or Path("."), folder)
    the_setup = read_setup(setup)
    from ..lot.limits import NoLimitError
    from ..lot.stated import DuplicateSerialError
    from ..lot.survey import run_lot

    def settings_for(rel: str) -> CheckSettings:
        return the_setup.settings_for(rel).override(limit_ids=tuple(limit))

    # a Class B device against Class A limits, a transducer of the other port: usage, once,
    # before any capture is read (as check, batch, explain and compare refuse it)
    from ._contradictions import possible_settings, refuse_contradictions

    for possible in possible_settings(the_setup, {"limit_ids": tuple(limit)}):
        refuse_contradictions(possible, the_setup)
    # as typed, options included (--limit, --window, --report ...), as check and compare do
    refuse_missing([folder], folders=True)
    command = typed_command(
        shlex.join(["rfcheck", "lot", str(folder), "--golden", golden, "--setup", str(setup)])
    )
    try:
        result = run_lot(
            folder,
            golden,
            the_setup,
            settings_for=settings_for,
            window_db=window,
            level_threshold_db=level_threshold,
            jobs=jobs,
            command=command,
        )
    except KeyError as err:
        raise click.BadParameter(str(err.args[0]), param_hint="'--golden'") from None
    except DuplicateSerialError as err:  # one device (or capture) as two units: refused
        report_error(err)
        sys.exit(DUPLICATE_SERIAL_EXIT)
    except NoLimitError as err:  # nothing to judge against: usage, before any capture is read
        report_error(err)
        sys.exit(EXIT_USAGE)
    from ..lot.render import render_lot_csv, render_lot_json, render_lot_text
    from ..report.epoch import issue_time

    for note in result.input_notes:  # files and folders no unit uses: never a silent drop
        echo(f"rfcheck: note: {printable(note)}", err=True)
    # one issue time for the printed JSON and every report file
    issued = issue_time() if formats or output_format == "json" else None
    renderers: dict[str, Callable[[], str]] = {
        "json": lambda: render_lot_json(result, issued),
        "csv": lambda: render_lot_csv(result),
        "text": lambda: render_lot_text(result),
    }
    echo(renderers[output_format](), nl=False)
    for u in result.units:  # one line per capture that could not be used, as every command
        for e in u.errors:
            echo(f"rfcheck: error: {printable(e)}", err=True)
    if formats:
        from ..batch.output import cannot_write
        from ..lot.files import write_lot_reports

        folder_out = out or Path(".")
        try:
            written_files = write_lot_reports(
                result, folder_out, formats, the_setup.dut, issued, the_setup.plan
            )
        except OSError as err:  # read-only, full, not a folder: one line, exit 3
            raise cannot_write(folder_out, err) from None
        for written in written_files:
            echo(f"rfcheck: wrote {printable(written)}", err=True)
    raise SystemExit(result.exit_code)
