"""``rfcheck compare A B``: two captures of one port, emissions paired, deltas with bounds.

Exit codes: 0 (each side's verdict is reported, not re-decided); 2 usage error; 3 a capture
cannot be read or judged.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from ..settings import CheckSettings, Setup, load_setup
from ._common import output_option

__all__ = ["compare_cmd", "side_settings"]


def side_settings(path: str, setup: Setup | None, cli: dict[str, object]) -> CheckSettings:
    """Return a capture's settings.

    The setup's ``[check]`` and matching ``[[rule]]``s (paths relative to the setup file's folder),
    then the command-line options.
    """
    if setup is None:
        return CheckSettings().override(**cli)
    base = setup.path.parent.resolve() if setup.path else Path.cwd()
    p = Path(path).resolve()
    try:
        rel = p.relative_to(base).as_posix()
    except ValueError:
        rel = Path(path).as_posix()
    return setup.settings_for(rel).override(**cli)


@click.command("compare")
@click.argument("capture_a", metavar="A", type=click.Path(dir_okay=False))
@click.argument("capture_b", metavar="B", type=click.Path(dir_okay=False))
@click.option(
    "--setup",
    type=click.Path(path_type=Path, dir_okay=False),
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
@click.option("--report", metavar="FORMATS", help="Write report files: png,svg,json,csv,html,pdf.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Folder for --report files (default: current folder).",
)
def compare_cmd(
    capture_a: str,
    capture_b: str,
    setup: Path | None,
    limit: tuple[str, ...],
    limit_file: tuple[str, ...],
    distance: float | None,
    names: str,
    window: float,
    output_format: str,
    report: str | None,
    out: Path | None,
) -> None:
    """Compare capture B with capture A (delta = B - A; margin = limit - level).

    Emissions are paired by frequency within the larger of each capture's RBW and two
    frequency steps; a delta between a bound (e.g. a peak reading for a QP line) and a
    measurement is a bound, not a measured difference. Exit 0: each side's verdict is its
    own 'rfcheck check' verdict, reported and not re-decided; 2 usage; 3 unreadable input.
    """
    from ..limits import shipped_ids

    pair = tuple(n.strip() for n in names.split(","))
    if len(pair) != 2 or not all(pair):
        raise click.BadParameter("give two names separated by a comma", param_hint="'--names'")
    for lid in limit:
        if lid not in shipped_ids():
            raise click.BadParameter(f"unknown limit id {lid!r}", param_hint="'--limit'")
    formats: tuple[str, ...] = ()
    if report:
        from ..lot.files import parse_report_formats

        try:
            formats = parse_report_formats(report)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="'--report'") from None
    the_setup = load_setup(setup) if setup else None
    cli: dict[str, object] = {
        "limit_ids": tuple(limit),
        "limit_files": tuple(Path(p) for p in limit_file),
        "distance_m": distance,
    }
    sa, sb = (side_settings(p, the_setup, cli) for p in (capture_a, capture_b))
    for path, s in ((capture_a, sa), (capture_b, sb)):
        if not s.limit_ids and not s.limit_files:
            raise click.UsageError(f"no limit given for {path}: use --limit ID or a setup file")
    from ..lot.compare import run_compare
    from ..lot.render import render_compare_csv, render_compare_json, render_compare_text

    command = shlex.join(["rfcheck", "compare", capture_a, capture_b])
    result = run_compare(capture_a, capture_b, sa, sb, window_db=window, command=command)
    pair2 = (pair[0], pair[1])
    text = {
        "json": lambda: render_compare_json(result),
        "csv": lambda: render_compare_csv(result),
        "text": lambda: render_compare_text(result, pair2),
    }[output_format]()
    click.echo(text, nl=False)
    if formats:
        from ..lot.files import write_compare_reports

        for written in write_compare_reports(result, out or Path("."), formats, pair2):
            click.echo(f"rfcheck: wrote {written}", err=True)
    raise SystemExit(result.exit_code)
