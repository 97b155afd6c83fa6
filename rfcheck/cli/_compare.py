"""``rfcheck compare A B`` or ``-a A1 -a A2 -b B1 -b B2``: two captures or pooled sets of a port.

Exit codes: 0 (each side's verdict is reported, not re-decided); 2 usage error; 3 a capture
cannot be read or judged.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from ..settings import CheckSettings, Setup
from ..textsafe import printable
from ._common import (
    INPUT_PATH,
    REPORT_FORMATS_HELP,
    REPORT_FORMATS_TYPE,
    check_limit_ids,
    echo,
    output_option,
    typed_command,
)
from ._contradictions import refuse_contradictions
from ._setup_rules import read_setup, rel_path

__all__ = ["compare_cmd", "side_settings"]


def side_settings(path: str, setup: Setup | None, cli: dict[str, object]) -> CheckSettings:
    """Return a capture's settings.

    The setup's ``[check]`` and matching ``[[rule]]``s (paths relative to the setup file's folder),
    then the command-line options; when these name no limit, the setup's ``[plan]`` limits for
    the port its rules give the capture, as ``lot`` and ``dossier`` judge it
    (:func:`rfcheck.product.assign.with_plan_limits_at`).
    """
    from ..product.assign import with_plan_limits_at

    if setup is None:
        return CheckSettings().override(**cli)
    rel = _rel(path, setup)
    s = setup.settings_for(rel).override(**cli)
    return with_plan_limits_at(setup)(s, rel)  # none named: the [plan]'s


def _rel(path: str, setup: Setup) -> str:
    """Return the capture's path as the setup's rule globs see it in every command.

    :func:`rfcheck.cli._setup_rules.rel_path`: relative to the setup file's folder, else to the
    working directory, so a capture matches the same ``[[rule]]`` here as in ``check``.
    """
    return rel_path(path, setup.path.parent if setup.path else None)


def _sides(
    captures: tuple[str, ...], side_a: tuple[str, ...], side_b: tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """Return the captures of sides A and B: two arguments, or ``-a``/``-b`` each at least once."""
    if captures and (side_a or side_b):
        raise click.UsageError("give the captures either as A B or with -a/-b, not both")
    if captures:
        if len(captures) != 2:
            raise click.UsageError(
                f"give two captures A B (got {len(captures)}), "
                "or pooled sets with -a FILE ... -b FILE ..."
            )
        return [captures[0]], [captures[1]]
    if not side_a or not side_b:
        raise click.UsageError("give two captures A B, or pooled sets with -a FILE ... -b FILE ...")
    return list(side_a), list(side_b)


@click.command("compare")
@click.argument("captures", metavar="[A B]", nargs=-1, type=click.Path(readable=False))
@click.option(
    "-a",
    "--a",
    "side_a",
    multiple=True,
    type=click.Path(readable=False),  # read by compare: exit 3, not a usage error
    metavar="FILE",
    help="A capture of side A (repeatable: the captures of one port are pooled as --combine).",
)
@click.option(
    "-b",
    "--b",
    "side_b",
    multiple=True,
    type=click.Path(readable=False),  # read by compare: exit 3, not a usage error
    metavar="FILE",
    help="A capture of side B (repeatable: pooled as --combine).",
)
@click.option(
    "--setup",
    type=INPUT_PATH,
    metavar="FILE.toml",
    help="Setup file ([check] and [[rule]]s give each capture its own transducers).",
)
@click.option(
    "--limit", "limit", multiple=True, metavar="ID", help="Shipped limit table (repeatable)."
)
@click.option(
    "--limit-file",
    "limit_file",
    multiple=True,
    metavar="FILE",
    help="User limit table (repeatable).",
)
@click.option("--distance", type=float, metavar="M", help="Measurement distance [m].")
@click.option(
    "--names",
    default="A,B",
    show_default=True,
    metavar="A,B",
    help="Names of the two captures in the text, e.g. before,after.",
)
@click.option(
    "--window",
    type=float,
    default=20.0,
    show_default=True,
    metavar="dB",
    help="List emissions within this of a limit line.",
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
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Folder for --report files (default: current folder).",
)
def compare_cmd(
    captures: tuple[str, ...],
    side_a: tuple[str, ...],
    side_b: tuple[str, ...],
    setup: Path | None,
    limit: tuple[str, ...],
    limit_file: tuple[str, ...],
    distance: float | None,
    names: str,
    window: float,
    output_format: str,
    report: tuple[str, ...] | None,
    out: Path | None,
) -> None:
    """Compare capture B with capture A (delta = B - A; margin = limit - level).

    'rfcheck compare A B' compares two captures; 'rfcheck compare -a A1 -a A2 -b B1 -b B2'
    compares two pooled sets, each several captures of one port judged as one
    measurement (as 'check --combine': a quasi-peak file settles a peak prescan).

    Emissions are paired by frequency within the larger of each capture's RBW and two
    frequency steps; a delta between a bound (e.g. a peak reading for a QP line) and a
    measurement is a bound, not a measured difference. Exit 0: each side's verdict is its
    own 'rfcheck check' verdict, reported and not re-decided; 2 usage (also a side whose
    captures cannot be judged as one measurement: other limits or distance, as 'check
    --combine' refuses them); 3 unreadable input.
    """
    pair2 = _side_names(names)
    check_limit_ids(limit)
    formats = report or ()
    paths_a, paths_b = _sides(captures, side_a, side_b)
    the_setup = read_setup(setup) if setup else None
    cli: dict[str, object] = {
        "limit_ids": tuple(limit),
        "limit_files": tuple(Path(p) for p in limit_file),
        "distance_m": distance,
    }
    sa = [side_settings(p, the_setup, cli) for p in paths_a]
    sb = [side_settings(p, the_setup, cli) for p in paths_b]
    for path, s in zip(paths_a + paths_b, sa + sb, strict=True):
        if not s.limit_ids and not s.limit_files:
            from ..product.assign import port_of

            hint = (
                the_setup.plan_limits_hint(port_of(_rel(path, the_setup), the_setup)[0])
                if the_setup is not None
                else ""
            )
            raise click.UsageError(
                f"no limit given for {path}: use --limit ID or a setup file{hint}"
            )
        refuse_contradictions(s, the_setup, path)
    _refuse_unpoolable(paths_a, sa)
    _refuse_unpoolable(paths_b, sb)
    from ..lot.compare import run_compare
    from ..lot.compare_render import render_compare_csv, render_compare_json, render_compare_text
    from ..report.epoch import issue_time

    command = typed_command(_command_line(captures, side_a, side_b))
    result = run_compare(
        paths_a,
        paths_b,
        sa,
        sb,
        window_db=window,
        command=command,
        setup=the_setup,
        names=pair2,
    )
    # one issue time for the printed JSON and every report file
    issued = issue_time() if formats or output_format == "json" else None
    text = {
        "json": lambda: render_compare_json(result, issued),
        "csv": lambda: render_compare_csv(result),
        "text": lambda: render_compare_text(result, pair2),
    }[output_format]()
    echo(text, nl=False)
    from ..lot.compare import one_content_notes

    for note in one_content_notes(paths_a, paths_b, pair2):  # on stderr too: a filing mistake
        echo(f"rfcheck: note: {printable(note)}", err=True)
    if formats:
        from ..lot.files import write_compare_reports

        for written in write_compare_reports(result, out or Path("."), formats, pair2, issued):
            echo(f"rfcheck: wrote {printable(written)}", err=True)
    raise SystemExit(result.exit_code)


def _refuse_unpoolable(paths: list[str], settings: list[CheckSettings]) -> None:
    """Refuse a side whose captures cannot be judged as one measurement: exit 2 (usage).

    As ``check --combine`` refuses them, before any capture is read and with the same line
    (:func:`rfcheck.combine.check_combinable`): the captures of each distance a side is pooled
    per (:func:`rfcheck.lot.distance_groups.distance_groups`) must resolve to the same limits
    and distance (a distance stated for one and not for the other; the same file twice).
    """
    from ..combine import check_combinable
    from ..errors import AnalysisError
    from ..lot.distance_groups import distance_groups

    for group in distance_groups(settings):
        try:
            check_combinable([paths[i] for i in group], [settings[i] for i in group])
        except AnalysisError as err:
            raise click.UsageError(err.message) from None


def _side_names(names: str) -> tuple[str, str]:
    """Parse ``--names A,B`` into the two sides' names (usage error unless two, non-empty)."""
    pair = tuple(n.strip() for n in names.split(","))
    if len(pair) != 2 or not all(pair):
        raise click.BadParameter("give two names separated by a comma", param_hint="'--names'")
    return pair[0], pair[1]


def _command_line(
    captures: tuple[str, ...], side_a: tuple[str, ...], side_b: tuple[str, ...]
) -> str:
    """Return the captures as a command line (the reports' command outside a typed command line).

    The reports record the command as typed, options included
    (:func:`~rfcheck.cli._common.typed_command`); this is its fallback when no command line was
    parsed: the captures, or the ``-a``/``-b`` sets.
    """
    if captures:
        words = ["rfcheck", "compare", *captures]
    else:
        words = ["rfcheck", "compare", *(w for p in side_a for w in ("-a", p))]
        words += [w for p in side_b for w in ("-b", p)]
    return shlex.join(words)
