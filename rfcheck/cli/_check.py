"""``rfcheck check``: judge captures against limit lines (the stable CLI contract).

Exit codes: 0 all pass (over the whole judged range); 1 at least one FAIL; 3 an input could
not be read or analysed (and none failed); 4 no FAIL and no error but at least one
INCONCLUSIVE; 5 otherwise at least one INCOMPLETE; 2 usage error (including a capture that
covers none of a requested limit's judged range).
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..capture import Detector
from ..errors import EXIT_INPUT_ERROR, EXIT_USAGE, LimitFileError, RfcheckError
from ..limits import load_limit_file
from ..results import CaptureResult, RunResult
from ..settings import CheckSettings, Setup, parse_file_or_db
from ..units import LevelUnit
from ._check_reports import print_and_write
from ._common import (
    DETECTOR_TYPE,
    DISTANCE,
    FINITE_DB,
    FREQUENCY,
    INPUT_PATH,
    POSITIVE_FREQUENCY,
    REPORT_FORMATS_HELP,
    REPORT_FORMATS_TYPE,
    UNIT_TYPE,
    check_highest_frequency,
    check_limit_ids,
    check_report_environment,
    handle_errors,
    once,
    parse_frequency,
    rbw_option,
    report_record,
    stdout_format_option,
    typed_command,
)
from ._contradictions import refuse_contradictions
from ._setup_rules import plan_hint, read_setup, settings_resolver, split_ambients

__all__ = ["check_cmd"]


def _file_or_db(value: str | None) -> float | Path | None:
    return None if value is None else parse_file_or_db(value)


def _command_line(captures: tuple[str, ...], params: dict[str, Any]) -> str:
    """Return the invocation rebuilt from the parsed options (outside a typed command line).

    The reports record the command as typed (:func:`~rfcheck.cli._common.typed_command`:
    ``--highest-frequency 700M``, not ``700000000.0``); this is its fallback when no command
    line was parsed.

    Each option is written as the user can type it: its long name as declared (``--range``,
    ``--format``), never its parameter name (``judged_range``, ``fmt``).
    """
    args = ["rfcheck", "check", *captures]
    for key, value in params.items():
        if key == "captures" or value is None or value == () or value is False:
            continue
        opt = "-o" if key == "output_format" else _OPTION_NAMES[key]
        if value is True:  # a flag (--combine)
            args.append(opt)
            continue
        if opt == "-o" and value == "text":
            continue
        if key == "report":  # parsed names: shown as one comma-separated option
            value = ",".join(value) or "none"
        for v in value if isinstance(value, tuple) else (value,):
            v = v.value if isinstance(v, LevelUnit | Detector) else v
            args += [opt, str(v)]
    return shlex.join(args)


def _parse_range(text: str) -> tuple[float, float]:
    """Parse ``LO-HI`` with engineering prefixes (``150k-30M``) into (lo, hi) [Hz]."""
    m = re.fullmatch(r"\s*(\S+?)\s*-\s*(\S+)\s*", text)
    try:
        if m is None:
            raise ValueError(f"not a range: {text!r}; examples: 150k-30M, 30M-1G")
        lo, hi = parse_frequency(m[1]), parse_frequency(m[2])
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="'--range'") from None
    if not lo < hi:
        raise click.BadParameter(
            f"the range must run from low to high, got {text!r}", param_hint="'--range'"
        )
    return lo, hi


def _decision_rule(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--decision-rule``: validated, in its canonical spelling."""
    from ..verdict.decision import parse_decision_rule

    if value is None:
        return None
    try:
        return parse_decision_rule(value).text
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def _check_capture_limits(
    capture: str, s: CheckSettings, hint: str = "", setup: Setup | None = None
) -> None:
    """Reject a capture the settings cannot judge (usage error, exit 2).

    No limit, a limit table that has no ``s.distance_m`` [m], or settings that contradict a
    limit (:func:`~rfcheck.cli._contradictions.refuse_contradictions`). ``hint`` ends the
    no-limit message (:meth:`rfcheck.settings.Setup.plan_limits_hint`).
    """
    from ..batch.job import no_limit_usage
    from ..limits import load_shipped
    from ..limits.siblings import check_distance

    if not s.limit_ids and not s.limit_files:
        raise click.UsageError(no_limit_usage(capture, hint))
    for lf in s.limit_files:
        table = load_limit_file(lf)  # malformed file: one-line error, exit 3
        try:
            check_distance(table, s.distance_m)
        except LimitFileError as err:
            raise click.BadParameter(err.message, param_hint="'--distance'") from None
    for lid in s.limit_ids:
        shipped = load_shipped(lid)  # an unknown id was refused with the option or setup
        try:
            check_distance(shipped, s.distance_m)
        except LimitFileError as err:
            raise click.BadParameter(err.message, param_hint="'--distance'") from None
    refuse_contradictions(s, setup, capture)


@click.command("check")
@click.argument("captures", nargs=-1, required=True, metavar="CAPTURE...")
@click.option(
    "--limit",
    "limit",
    multiple=True,
    metavar="ID",
    help="Shipped limit table by id (repeatable); see 'rfcheck limits list'.",
)
@click.option(
    "--limit-file",
    "limit_file",
    multiple=True,
    metavar="FILE",
    help="User limit table in the documented TOML format (repeatable).",
)
@click.option(
    "--distance",
    type=DISTANCE,
    metavar="M",
    help="Measurement distance [m]; radiated limits are re-expressed by 47 CFR 15.31(f).",
)
@click.option(
    "--antenna-factor",
    "antenna_factor",
    multiple=True,
    callback=once,
    metavar="F|dB",
    help="Antenna factor: table or constant [dB/m].",
)
@click.option(
    "--cable-loss",
    "cable_loss",
    multiple=True,
    metavar="F|dB",
    help="Cable loss: table or constant [dB] (repeatable, one per cable).",
)
@click.option(
    "--lisn",
    multiple=True,
    callback=once,
    metavar="F|dB",
    help="LISN voltage-division factor: table or constant [dB].",
)
@click.option(
    "--preamp-gain",
    "preamp_gain",
    multiple=True,
    callback=once,
    metavar="F|dB",
    help="Preamplifier gain (subtracted): table or constant [dB].",
)
@click.option(
    "--attenuator",
    type=FINITE_DB,
    multiple=True,
    callback=once,
    metavar="dB",
    help="External attenuator [dB] (added).",
)
@click.option("--unit", type=UNIT_TYPE, help="Level unit for files that state none.")
@click.option("--detector", type=DETECTOR_TYPE, help="Detector for traces whose file states none.")
@rbw_option()
@click.option(
    "--format",
    "fmt",
    metavar="NAME",
    help="Capture reader (skip detection); see 'rfcheck formats'.",
)
@click.option(
    "--highest-frequency",
    "highest_frequency",
    type=FREQUENCY,
    metavar="HZ",
    help="Highest frequency generated or used in the device (150k, 700M, 1.2G): FCC "
    "radiated lines are required only up to the 47 CFR 15.33(b)(1) upper "
    "frequency (default: the setup's [dut] highest_internal_frequency_hz).",
)
@click.option(
    "--range",
    "judged_range",
    metavar="LO-HI",
    help="Frequency range to judge (150k-30M, 30M-1G): only readings inside it are judged "
    "(verdict, worst margin, suspects), and coverage is counted over each limit's range "
    "intersected with it (default: each limit's whole range).",
)
@click.option(
    "--center-freq",
    "center_freq",
    type=POSITIVE_FREQUENCY,
    metavar="HZ",
    help="Centre frequency of an I/Q recording (1.39M): needed when the file states none, "
    "and replaces the file's (default: the setup's [check] center_frequency_hz); for any other "
    "capture a note says it does not apply.",
)
@stdout_format_option()
@click.option(
    "--setup",
    type=INPUT_PATH,
    metavar="FILE.toml",
    help="Setup file; command-line options override its values.",
)
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
    help="Folder for --report files (default: ./rfcheck-reports). It is marked as "
    "rfcheck output, so 'rfcheck batch' never reads reports as captures.",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace report files in --out made from other captures (by default refused, "
    "exit 2: a report named like this capture's, e.g. a/x.csv's beside b/x.csv's).",
)
@click.option("--label", metavar="TEXT", help="Port / polarisation label for report titles.")
@click.option(
    "--max-suspects",
    "max_suspects",
    type=click.IntRange(min=0),
    metavar="N",
    help="Cap on the suspect table per capture (default 20).",
)
@click.option(
    "--suspect-window",
    "suspect_window",
    type=FINITE_DB,
    metavar="dB",
    help="Emissions with margin below this are suspects (default 6 dB).",
)
@click.option(
    "--decision-rule",
    "decision_rule",
    metavar="RULE",
    callback=_decision_rule,
    help="simple (default: level against limit) | cispr16-4-2 (U_lab above U_cispr "
    "is added to the level; U_lab from the setup's [test] u_lab_db) | "
    "guard-band:DB (PASS below limit - DB, FAIL above limit + DB).",
)
@click.option(
    "--ambient",
    type=INPUT_PATH,
    metavar="FILE",
    help="Ambient capture (DUT off, same port and settings): emissions within "
    "--ambient-threshold of it are flagged; a FAIL only there is INCONCLUSIVE. "
    "It never subtracts from a reading.",
)
@click.option(
    "--ambient-threshold",
    "ambient_threshold",
    type=click.FloatRange(min=0),
    metavar="dB",
    help="An emission this close to the ambient (or below it) is flagged (default 6 dB).",
)
@click.option(
    "--combine",
    is_flag=True,
    help="Judge all CAPTUREs as ONE measurement of one port / polarisation (e.g. a "
    "peak prescan + an average sweep + final quasi-peak measurements): each file "
    "is corrected with its own transducers, then every limit line is judged once "
    "over all their traces. The files must share limits and distance.",
)
@handle_errors
def check_cmd(
    captures: tuple[str, ...],
    limit: tuple[str, ...],
    limit_file: tuple[str, ...],
    distance: float | None,
    antenna_factor: str | None,
    cable_loss: tuple[str, ...],
    lisn: str | None,
    preamp_gain: str | None,
    attenuator: float | None,
    unit: LevelUnit | None,
    detector: Detector | None,
    rbw: float | None,
    fmt: str | None,
    highest_frequency: float | None,
    judged_range: str | None,
    center_freq: float | None,
    output_format: str,
    setup: Path | None,
    report: tuple[str, ...] | None,
    out: Path | None,
    overwrite: bool,
    label: str | None,
    max_suspects: int | None,
    suspect_window: float | None,
    decision_rule: str | None,
    ambient: Path | None,
    ambient_threshold: float | None,
    combine: bool,
) -> None:
    """Judge CAPTURE files against limit lines; margin = limit - level (positive = below).

    Every trace of a capture is used: a peak trace bounds QP and AV from above, an average
    trace bounds QP and PK from below, a QP trace measures QP. Exit codes: 0 pass, 1 fail,
    2 usage error (also: a capture covering none of a requested limit's range), 3 unreadable
    input (none failed), 4 inconclusive (e.g. a peak prescan over the QP limit needs a
    quasi-peak measurement), 5 incomplete (passes where measured, but part of the judged
    range --range / each limit's range was not measured). With --combine, the CAPTUREs are one
    measurement (one result): a quasi-peak file settles a peak prescan at its frequencies.
    Suspect rows name their likeliest source (the setup's [[dut.clock]], or a comb found in
    the data); --ambient (or a setup [[rule]] with role = "ambient") flags the ambient.
    """
    params = dict(click.get_current_context().params)
    if report:
        check_report_environment()
    check_highest_frequency(highest_frequency)
    check_limit_ids(limit)
    cli = _cli_overrides(params)
    the_setup: Setup | None = read_setup(setup) if setup else None
    settings, settings_for = settings_resolver(the_setup, cli)
    captures, ambients = split_ambients(captures, ambient, the_setup)
    _check_runnable(
        captures,
        ambients,
        settings,
        settings_for,
        combine,
        lambda c: plan_hint(the_setup, c),
        the_setup,
    )

    from ..analysis import run_check

    run = run_check(
        list(captures),
        settings,
        command=typed_command(_command_line(captures, params)),
        setup=the_setup,
        settings_for=settings_for,
        label=label or "",
        combine=combine,
    )
    threshold_db = 6.0 if ambient_threshold is None else ambient_threshold
    run = _explained(run, ambients, the_setup, settings, settings_for, threshold_db)
    for cap in run.captures:
        for rec in cap.errors:
            report_record(rec.path, rec.message)
    print_and_write(run, output_format, report, out, the_setup, (captures, combine, overwrite))
    if any(rec.usage for cap in run.captures for rec in cap.errors):
        sys.exit(EXIT_USAGE)  # a capture covers none of a requested limit's range
    sys.exit(run.exit_code)


def _cli_overrides(params: dict[str, Any]) -> dict[str, Any]:
    """Return the command-line options as :class:`CheckSettings` fields (None: not given).

    ``params`` are the parsed options of ``check``; ``F|dB`` values are read as a constant
    [dB] or a file, ``--range`` as (lo, hi) [Hz].
    """
    judged_range = params["judged_range"]
    return {
        "limit_ids": tuple(params["limit"]),
        "limit_files": tuple(Path(p) for p in params["limit_file"]),
        "distance_m": params["distance"],
        "antenna_factor": _file_or_db(params["antenna_factor"] or None),
        "cable_loss": tuple(parse_file_or_db(c) for c in params["cable_loss"]),
        "lisn": _file_or_db(params["lisn"]),
        "preamp_gain": _file_or_db(params["preamp_gain"]),
        "attenuator_db": params["attenuator"],
        "unit": params["unit"],
        "detector": params["detector"],
        "rbw_hz": params["rbw"],
        "fmt": params["fmt"],
        "max_suspects": params["max_suspects"],
        "suspect_window_db": params["suspect_window"],
        "highest_frequency_hz": params["highest_frequency"],
        "range_hz": None if judged_range is None else _parse_range(judged_range),
        "center_frequency_hz": params["center_freq"],
        "decision_rule": params["decision_rule"],
    }


def _check_runnable(
    captures: tuple[str, ...],
    ambients: list[str],
    settings: CheckSettings,
    settings_for: Callable[[str], CheckSettings],
    combine: bool,
    hint_for: Callable[[str], str] = lambda _capture: "",
    setup: Setup | None = None,
) -> None:
    """Refuse a run the settings cannot judge (usage error, exit 2).

    cispr16-4-2 without U_lab, a capture without a limit or with a limit that has no
    measurement distance or that its transducers or the setup's device class contradict,
    ``--combine`` over captures that are not one measurement. ``hint_for(capture)`` ends a
    capture's no-limit message (the setup's ``[plan]``).
    """
    if settings.rule.kind.value == "cispr16-4-2" and not settings.u_lab_db:
        raise click.UsageError(
            "--decision-rule cispr16-4-2 needs the lab's U_lab: add [test] u_lab_db to the setup"
        )
    for capture in (*captures, *ambients):
        _check_capture_limits(capture, settings_for(capture), hint_for(capture), setup)
    from ..combine import check_combinable
    from ..errors import AnalysisError

    if combine:
        try:
            check_combinable(captures, [settings_for(c) for c in captures])
        except AnalysisError as err:
            raise click.UsageError(err.message) from None


def _explained(
    run: RunResult,
    ambients: list[str],
    setup: Setup | None,
    settings: CheckSettings,
    settings_for: Callable[[str], CheckSettings],
    threshold_db: float,
) -> RunResult:
    """Return ``run`` with attribution, families, the ambient and the 15.33(b)(1) warnings.

    See ``rfcheck.explain.annotate``. An ambient that cannot be read is an input error (exit 3).
    """
    from ..analysis import run_check
    from ..explain.annotate import annotate_run
    from ._explain import rbw_hz

    judged = [
        run_check([a], settings_for(a), settings_for=settings_for).captures[0] for a in ambients
    ]
    for amb in judged:
        for rec in amb.errors:
            report_record(rec.path, rec.message, "ambient ")
        if amb.errors:
            sys.exit(EXIT_INPUT_ERROR)

    def ambient_for(cap: CaptureResult) -> CaptureResult | None:
        same = [a for a in judged if a.settings.get("limit_ids") == cap.settings.get("limit_ids")]
        if same:
            return same[0]
        return judged[0] if len(judged) == 1 else None

    def rbw(path: str) -> float | None:
        try:
            return rbw_hz(path, settings_for(path))
        except (RfcheckError, OSError):  # a combined result's path is not one file
            return None

    return annotate_run(
        run,
        setup.clocks if setup else (),
        highest_hz=settings.highest_frequency_hz,
        rbw_hz={c.path: rbw(c.path) for c in run.captures if not c.errors},
        ambient_for=ambient_for,
        threshold_db=threshold_db,
    )


#: Parameter name -> the long option a user types (``judged_range`` -> ``--range``).
_OPTION_NAMES: dict[str, str] = {
    p.name: max(p.opts, key=len) for p in check_cmd.params if isinstance(p, click.Option) and p.name
}
