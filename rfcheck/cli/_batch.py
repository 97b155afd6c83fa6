"""``rfcheck batch``: judge every capture in folder trees, in parallel, resumably."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from ..errors import EXIT_INPUT_ERROR
from ..outcome import Verdict
from ..settings import Setup, parse_file_or_db
from ..textsafe import printable
from ._common import (
    DETECTOR_TYPE,
    DISTANCE,
    FINITE_DB,
    FREQUENCY,
    INPUT_PATH,
    REPORT_FORMATS_HELP,
    REPORT_FORMATS_TYPE,
    UNIT_TYPE,
    check_highest_frequency,
    check_limit_ids,
    check_report_environment,
    echo,
    handle_errors,
    once,
    output_option,
    rbw_option,
    report_record,
    typed_command,
)
from ._contradictions import possible_settings, refuse_contradictions
from ._setup_rules import read_setup

if TYPE_CHECKING:
    from ..batch import BatchProgress, BatchResult

__all__ = ["batch_cmd", "ProgressLine"]

_DEFAULT_REPORTS = "json,csv"
#: Exit code of a batch interrupted by Ctrl-C (SIGINT): 128 + 2, as shells report it.
EXIT_INTERRUPTED = 130
#: Exit code of a batch stopped by SIGTERM (``kill``, ``timeout``, a cancelled CI job): 128 + 15.
EXIT_TERMINATED = 143


#: A Dask scheduler address: ``tcp://HOST:PORT`` (or ``HOST:PORT``); HOST a name, an IPv4
#: address or a bracketed IPv6 address.
_SCHEDULER_RE = re.compile(
    r"^(?:tcp://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)"
    r":(?P<port>[0-9]{1,5})$"
)


def _scheduler_address(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Usage error (exit 2) unless ``value`` is a TCP ``host:port`` address, port 1..65535."""
    if value is None:
        return None
    m = _SCHEDULER_RE.match(value.strip())
    if m is None or not 1 <= int(m["port"]) <= 65535:
        raise click.BadParameter(
            f"not a TCP scheduler address: {value!r} (expected tcp://HOST:PORT, e.g. "
            "tcp://10.0.0.5:8786)",
            ctx,
            param,
        )
    return value.strip() if value.strip().startswith("tcp://") else "tcp://" + value.strip()


class ProgressLine:
    """One updating status line on a terminal: ``37/120 done, 2 failed, ETA 0:00:12``.

    Parameters
    ----------
    stream : text stream
        Where to draw (stderr).
    min_interval_s : float
        Redraw at most this often, except for the last update. [s]
    """

    def __init__(self, stream: IO[str], min_interval_s: float = 0.1) -> None:
        self.stream = stream
        self.min_interval_s = min_interval_s
        self._start = time.monotonic()
        self._last = -1.0
        self._width = 0

    @staticmethod
    def text(p: BatchProgress, elapsed_s: float) -> str:
        """Return the status text for a progress state after ``elapsed_s`` seconds [s]."""
        if p.done and p.done < p.total:
            eta = int(round(elapsed_s / p.done * (p.total - p.done)))
            h, rem = divmod(eta, 3600)
            eta_text = f"ETA {h}:{rem // 60:02d}:{rem % 60:02d}"
        elif p.done >= p.total:
            eta_text = f"took {elapsed_s:.1f} s"
        else:
            eta_text = "ETA -:--:--"
        errors = f", {p.errors} unreadable" if p.errors else ""
        return f"{p.done}/{p.total} done, {p.failed} failed{errors}, {eta_text}"

    def clear(self) -> None:
        """Blank the status line (before another line is printed on the stream)."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def __call__(self, p: BatchProgress) -> None:
        now = time.monotonic()
        final = p.done >= p.total
        if not final and now - self._last < self.min_interval_s:
            return
        self._last = now
        line = self.text(p, now - self._start)
        pad = " " * max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + pad + ("\n" if final else ""))
        self.stream.flush()


def _print_table(result: BatchResult, out: Path) -> None:
    """Print the counts, the units and the batch verdict on stdout.

    An interrupted run's inputs not analysed are a line of their own, not INCOMPLETE ones,
    and the batch verdict says the run was interrupted: ``> log`` keeps it.
    """
    from ..report.summary import count_notes, verdict_text

    counts = result.counts
    echo(f"{'verdict':<14}{'inputs':>7}")
    for verdict, n in counts.items():
        notes = count_notes(result.rows, verdict)  # a range-limited or assumed PASS said apart
        echo(f"{verdict:<14}{n:>7}" + (f"   {notes}" if notes else ""))
    if result.not_run:
        echo(f"{'not analysed':<14}{result.not_run:>7}   (the batch was interrupted)")
    echo(f"{'total':<14}{len(result.rows):>7}   ({result.total_parts})")
    if result.groups:
        bad = sum(g.verdict.value != "PASS" for g in result.groups)
        echo(f"units: {len(result.groups)} ({bad} not PASS)")
    echo(f"batch verdict: {verdict_text(result.rows)}")
    echo(f"summary: {out / 'index.html'} (summary.csv, summary.json, summary_groups.csv)")


@click.command("batch")
@click.argument("dirs", nargs=-1, required=True, type=INPUT_PATH, metavar="DIR...")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output folder: summary files and one sub-folder of reports per input. A new or "
    "empty folder, or one an earlier rfcheck run wrote (not inside a DIR).",
)
@click.option(
    "--setup",
    "setup_file",
    type=INPUT_PATH,  # read: exit 3 if missing or a folder, as check
    help="Setup TOML file: [check] defaults, [[rule]] per-path overrides, [batch] globs/grouping.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Local worker processes [default: number of CPUs]; 1 runs in this process.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    callback=_scheduler_address,
    help="Run on an existing Dask cluster (tcp://host:port; needs rfcheck[dask]). Workers "
    "must see DIR and OUT at the same paths.",
)
@click.option(
    "--report",
    "formats",
    type=REPORT_FORMATS_TYPE,
    default=_DEFAULT_REPORTS,
    show_default=True,
    metavar="FORMATS",
    help=f"Per-capture report formats, comma-separated: {REPORT_FORMATS_HELP}.",
)
@click.option(
    "--include",
    multiple=True,
    metavar="GLOB",
    help="Only inputs matching (repeatable; replaces [batch] include). '*' stays in "
    "one folder, '**' spans folders; a glob without '/' matches the file name.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Skip inputs matching (repeatable; replaces [batch] exclude).",
)
@click.option(
    "--group-pattern",
    metavar="REGEX",
    help="Group captures of one unit: a regex with a named group 'unit', searched in the "
    "file name (in the relative path if it contains '/'). Same 'unit' = one group; a group's "
    "verdict is the worst of its members and its margin the smallest. Unmatched files are "
    "groups of their own. Overrides [batch] group_pattern.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Recompute everything (by default up-to-date outputs are reused: same "
    "input SHA-256 and same settings), and write into a non-empty --out folder rfcheck did "
    "not create.",
)
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="ID",
    help="Shipped limit table id, e.g. fcc-15.107-b (repeatable).",
)
@click.option(
    "--limit-file",
    "limit_files",
    multiple=True,
    type=INPUT_PATH,  # read: exit 3 if missing or a folder, as check
    help="User limit table TOML file (repeatable).",
)
@click.option(
    "--distance",
    "distance_m",
    type=DISTANCE,
    metavar="M",
    help="Measurement distance [m]; radiated limits are re-expressed at it.",
)
@click.option(
    "--antenna-factor",
    multiple=True,
    metavar="F|dB",
    callback=lambda ctx, param, value: _existing_file_or_db(
        once(ctx, param, value), "'--antenna-factor'"
    ),
    help="Antenna factor: table or constant [dB/m].",
)
@click.option(
    "--cable-loss",
    multiple=True,
    metavar="F|dB",
    help="Cable loss: table file or constant dB (repeatable, one per cable).",
)
@click.option(
    "--lisn",
    multiple=True,
    callback=once,
    metavar="F|dB",
    help="LISN voltage-division factor: table or dB.",
)
@click.option(
    "--preamp-gain",
    multiple=True,
    callback=once,
    metavar="F|dB",
    help="Preamplifier gain (subtracted): table or dB.",
)
@click.option(
    "--attenuator",
    "attenuator_db",
    type=FINITE_DB,
    multiple=True,
    callback=once,
    metavar="DB",
    help="External attenuator (added) [dB].",
)
@click.option("--unit", type=UNIT_TYPE, help="Level unit for files that state none.")
@click.option("--detector", type=DETECTOR_TYPE, help="Detector for traces that state none.")
@rbw_option("rbw_hz")
@click.option(
    "--format",
    "fmt",
    metavar="NAME",
    help="Reader for every input, skipping detection (see 'rfcheck formats').",
)
@click.option(
    "--highest-frequency",
    "highest_frequency_hz",
    type=FREQUENCY,
    metavar="HZ",
    help="Highest frequency generated or used in the device (150k, 700M, 1.2G): FCC radiated "
    "lines are required only up to the 47 CFR 15.33(b)(1) upper frequency "
    "(default: the setup's [dut] highest_internal_frequency_hz).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress line on stderr [default: only when stderr is a terminal].",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress line and no summary table.")
@output_option("text", "json")
@handle_errors
def batch_cmd(
    dirs: tuple[Path, ...],
    out: Path,
    setup_file: Path | None,
    jobs: int | None,
    scheduler: str | None,
    formats: tuple[str, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    group_pattern: str | None,
    force: bool,
    progress: bool | None,
    quiet: bool,
    output_format: str,
    **check_options: Any,
) -> None:
    """Judge every capture under DIR... and write per-capture reports plus a summary.

    \b
    OUT/summary.csv, summary.json, index.html   one row per input: path, SHA-256,
        format, verdict, worst margin (limit - level) and frequency, reports, error
    OUT/summary_groups.csv                      worst case per unit (--group-pattern)
    OUT/captures/<name>/                        reports and resume state per input

    Folders are walked recursively (hidden files and folders holding earlier rfcheck output
    skipped, with a note; a SigMF pair counts once; a folder that cannot be listed is an
    ERROR row). --include/--exclude globs are relative to each DIR.
    A bad file never stops the batch: it is an ERROR row. Re-running resumes: inputs
    whose bytes and settings are unchanged are not recomputed unless --force.
    Check options (--limit, --distance, transducers...) override the setup file.

    Exit codes as for 'check': 0 all pass, 1 any FAIL, 2 usage (also: no limit named on the
    command line or in the setup; OUT inside a DIR, or a non-empty folder rfcheck did not
    create, without --force), 3 an input could not be read or analysed (none failed) or OUT
    cannot be written, 4 inconclusive (no fail, no error), 5 incomplete (part of the range
    to judge not measured), 130 interrupted (Ctrl-C: the summary of what finished is
    written, marked interrupted; run again to resume), 143 stopped by SIGTERM (kill,
    timeout, a cancelled CI job: as 130).
    """
    if formats:
        check_report_environment()
    overrides = _overrides(check_options)
    from ..batch import (  # deferred: keeps ``rfcheck --help`` light
        BatchSchedulerError,
        OutputFolderError,
        run_batch,
    )
    from ..batch.stop import StopRequest, stop_on_signals

    setup = read_setup(setup_file) if setup_file else Setup()
    _check_usage(setup, overrides, group_pattern)
    # a missing or unreadable path among DIR... is an ERROR row, the rest judged (docs/batch.md)
    callback, note = _progress_and_notes(progress, quiet)
    stop = StopRequest()
    try:
        with stop_on_signals(stop):
            result = run_batch(
                dirs,
                out,
                setup=setup,
                overrides=overrides,
                formats=formats,
                include=include or None,
                exclude=exclude or None,
                group_pattern=group_pattern,
                jobs=jobs,
                scheduler=scheduler,
                force=force,
                progress=callback,
                note=note,
                command=typed_command("rfcheck batch"),
                stop=stop,
            )
    except (BatchSchedulerError, OutputFolderError) as err:
        raise click.UsageError(err.message) from None
    except KeyboardInterrupt:
        echo("\nrfcheck: interrupted; run the same command again to resume", err=True)
        sys.exit(EXIT_TERMINATED if stop.terminated else EXIT_INTERRUPTED)
    globs = (include or setup.batch.include, exclude or setup.batch.exclude)
    _print_result(result, dirs, out, output_format, quiet, globs)
    if result.interrupted or stop.requested:  # a signal: its exit code, whatever finished
        how = "terminated (SIGTERM)" if stop.terminated else "interrupted"
        echo(
            f"rfcheck: {how}: {result.not_run} of {len(result.rows)} input(s) not "
            f"analysed; summary of what finished in {out / 'summary.csv'}; run the same "
            "command again to resume",
            err=True,
        )
        sys.exit(EXIT_TERMINATED if stop.terminated else EXIT_INTERRUPTED)
    sys.exit(result.exit_code if result.rows else EXIT_INPUT_ERROR)


def _progress_and_notes(
    progress: bool | None, quiet: bool
) -> tuple[ProgressLine | None, Callable[[str], None]]:
    """Return the progress line and the note printer, which clears it before a note.

    Never with ``--quiet``; else as ``--progress``/``--no-progress`` say, and without
    either when stderr is a terminal.
    """
    show = (not quiet) and (progress if progress is not None else sys.stderr.isatty())
    callback = ProgressLine(sys.stderr) if show else None

    def note(text: str) -> None:
        if callback is not None:
            callback.clear()
        echo(f"rfcheck: note: {printable(text)}", err=True)

    return callback, note


def _overrides(check_options: dict[str, Any]) -> dict[str, Any]:
    """Return the check options as :class:`~rfcheck.settings.CheckSettings` overrides.

    Raises
    ------
    click.BadParameter
        An unknown limit id, or a highest frequency that is not positive.
    """
    check_limit_ids(tuple(check_options["limits"]))
    check_highest_frequency(check_options.get("highest_frequency_hz"))
    options = dict(check_options)
    return {
        "limit_ids": tuple(options.pop("limits")),
        "limit_files": tuple(options.pop("limit_files")),
        "cable_loss": tuple(parse_file_or_db(x) for x in options.pop("cable_loss")),
        "lisn": _file_or_db(options.pop("lisn")),
        "preamp_gain": _file_or_db(options.pop("preamp_gain")),
        **options,
    }


def _check_usage(setup: Setup, overrides: dict[str, Any], group_pattern: str | None) -> None:
    """Usage errors found before any work.

    A bad group pattern, no limit named anywhere, a limit the transducers or the setup's
    device class contradict (:mod:`rfcheck.cli._contradictions`).
    """
    from ..batch import compile_group_pattern, missing_limit_message

    if group_pattern is not None:
        try:
            compile_group_pattern(group_pattern)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="'--group-pattern'") from None
    missing = missing_limit_message(setup, overrides)
    if missing:  # no input could be judged
        raise click.UsageError(missing)
    for settings in possible_settings(setup, overrides):
        refuse_contradictions(settings, setup)


def _print_result(
    result: BatchResult,
    dirs: tuple[Path, ...],
    out: Path,
    output_format: str,
    quiet: bool,
    globs: tuple[Sequence[str], Sequence[str]] | None = None,
) -> None:
    """One stderr line per unreadable input, the summary on stdout, the closing line."""
    for row in result.rows:  # one line per unreadable input (as `check`), after the progress
        if row.not_analysed:  # an interrupted run: one closing line says how many
            continue
        if row.verdict is Verdict.ERROR or row.error:  # unreadable, or a report not written
            report_record(row.path, row.error)
    if output_format == "json":
        echo(json.dumps(json.loads((out / "summary.json").read_text("utf-8")), indent=2))
    elif not quiet:
        _print_table(result, out)
    if not result.rows:
        where = ", ".join(map(str, dirs))
        echo(
            f"rfcheck: error: no capture files found under {printable(where)}"
            f"{_globs_hint(dirs, globs)}",
            err=True,
        )
    elif result.counts["ERROR"]:
        n = result.counts["ERROR"]
        echo(
            f"rfcheck: {n} input(s) could not be read or analysed; see {out / 'summary.csv'}",
            err=True,
        )


def _file_or_db(value: str | None) -> float | Path | None:
    return None if value is None else parse_file_or_db(value)


def _existing_file_or_db(value: str | None, hint: str) -> float | Path | None:
    """Return a ``F|dB`` option whose table must exist (a usage error otherwise, as before)."""
    from ..corrections import split_unit_suffix

    parsed = _file_or_db(value)
    if isinstance(parsed, Path) and not split_unit_suffix(parsed)[0].is_file():
        raise click.BadParameter(f"no such file: {parsed}", param_hint=hint)
    return parsed


def _globs_hint(dirs: Sequence[Path], globs: tuple[Sequence[str], Sequence[str]] | None) -> str:
    """Say that the include/exclude globs left out every file there was ("" when none were).

    The globs are relative to each DIR: a setup's ``include = ["conducted/*"]`` matches
    nothing when DIR is ``sample_captures/conducted`` itself.
    """
    from ..batch.discover import DiscoveryStats, discover_inputs

    if globs is None or (tuple(globs[0]) == ("**/*",) and not globs[1]):
        return ""
    every = len(discover_inputs(dirs, stats=DiscoveryStats()))
    if not every:
        return ""
    include, exclude = globs
    excluded = f", exclude {list(exclude)}" if exclude else ""
    return (
        f": include {list(include)}{excluded} (relative to each DIR, the [batch] globs or "
        f"--include/--exclude) matched none of the {every} file(s) there"
    )
