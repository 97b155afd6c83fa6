"""Shared CLI plumbing: error reporting, the output-format option, choice parsing."""

from __future__ import annotations

import errno
import functools
import math
import os
import shlex
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..capture import Detector, parse_detector
from ..errors import EXIT_INPUT_ERROR, RfcheckError, located
from ..frequency import parse_frequency, round_hz
from ..limits import DISTANCE_RANGE_M
from ..report.registry import Destination, ReportFormatError, format_names, parse_formats
from ..textsafe import printable
from ..units import LevelUnit, parse_level_unit

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "echo",
    "check_report_environment",
    "output_option",
    "report_error",
    "report_record",
    "handle_errors",
    "UNIT_TYPE",
    "DETECTOR_TYPE",
    "DISTANCE",
    "FINITE_DB",
    "FREQUENCY",
    "parse_frequency",
    "REPORT_FORMATS_TYPE",
    "REPORT_FORMATS_HELP",
    "STDOUT_FORMAT_TYPE",
    "stdout_format_option",
    "check_limit_ids",
    "check_highest_frequency",
    "once",
]


def output_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """Return the one ``-o/--output-format`` option (data to stdout, diagnostics to stderr)."""
    return click.option(
        "-o",
        "--output-format",
        "output_format",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Format of what is printed on stdout.",
    )


#: ``click.Context.meta`` key of the command line as typed (:func:`typed_command`).
ARGV_META_KEY = "rfcheck.argv"


def typed_command(default: str) -> str:
    """Return the command line as the user typed it (``rfcheck batch in --limit ...``).

    The arguments the top-level group parsed (:data:`ARGV_META_KEY`), shell-quoted, for the
    reports' provenance; ``default`` outside a command line (no click context).
    """
    ctx = click.get_current_context(silent=True)
    argv = ctx.meta.get(ARGV_META_KEY) if ctx is not None else None
    return shlex.join(["rfcheck", *argv]) if argv else default


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Echo ``text`` at the output edge, control characters escaped.

    :func:`click.echo` of ``text`` with every control and bidi character other than the line feeds
    escaped (:func:`rfcheck.textsafe.printable`).

    Fields from files are sanitised where they are formatted (a line feed inside a field is
    escaped there); this catches any raw escape sequence that reaches stdout or stderr.

    A reader that closed stdout (``rfcheck dossier ... | head -1``), or stderr with it
    (``2>&1 | head``), silences that stream (:func:`silence_stdout`) and the command goes
    on: its reports are written and its exit code is still its verdict's.
    """
    try:
        click.echo(printable(text, keep_newlines=True), err=err, nl=nl)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        silence_stdout(err=err)


def silence_stdout(*, err: bool = False) -> None:
    """Discard stdout (``err``: stderr) after the reader closed it (``rfcheck info F | head -1``).

    Send what is still buffered and all later output to /dev/null, so that neither a later
    write nor the flush at exit raises or prints a ``BrokenPipeError`` traceback.
    """
    try:
        fd = (sys.stderr if err else sys.stdout).fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (CliRunner)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def check_report_environment() -> None:
    """Refuse an invalid ``SOURCE_DATE_EPOCH`` (usage error, exit 2) before any work starts.

    Checked first so that no worker process meets it half-way through a batch.
    """
    from ..errors import EnvironmentSettingError
    from ..report.epoch import source_date_epoch

    try:
        source_date_epoch()
    except EnvironmentSettingError as err:
        raise click.UsageError(printable(err.message)) from None


def check_limit_ids(limit_ids: tuple[str, ...]) -> None:
    """Reject a ``--limit`` id that names no shipped table (usage error, exit 2).

    Raises
    ------
    click.BadParameter
        The first id that is not shipped, with the shipped ids listed.
    """
    from ..limits import shipped_ids

    known = shipped_ids()
    for lid in limit_ids:
        if lid not in known:
            raise click.BadParameter(
                f"unknown limit id {lid!r} (known: {', '.join(known)})", param_hint="'--limit'"
            )


def check_highest_frequency(freq_hz: float | None) -> None:
    """Reject a ``--highest-frequency`` not positive, or below 9 kHz (usage error, exit 2).

    Parameters
    ----------
    freq_hz : float or None
        Highest frequency generated or used in the device; None when not given. [Hz]

    Raises
    ------
    click.BadParameter
        ``freq_hz`` is zero or negative, or below 9 kHz
        (:func:`rfcheck.limits.measurement_range.stated_highest_problem`).

    References
    ----------
    47 CFR 15.33(b)(1): the upper frequency of a radiated scan follows from this frequency;
    47 CFR 15.3: radio frequency energy starts at 9 kHz.
    """
    from ..limits.measurement_range import stated_highest_problem

    if freq_hz is not None and freq_hz <= 0:
        raise click.BadParameter("must be > 0 Hz", param_hint="'--highest-frequency'")
    problem = None if freq_hz is None else stated_highest_problem(freq_hz)
    if problem:
        raise click.BadParameter(
            f"{problem}; give it with its unit (700M)", param_hint="'--highest-frequency'"
        )


def once(ctx: click.Context | None, param: click.Parameter, value: tuple[Any, ...]) -> Any:
    """Return the one value of a single-valued option; refuse it given twice (exit 2).

    The callback of a transducer option that takes one value (``--antenna-factor``,
    ``--lisn``, ``--preamp-gain``, ``--attenuator``), declared ``multiple=True`` only so that a
    repetition is seen: click would keep the last one silently, and the report would name one
    table where the user gave two. ``--cable-loss`` alone chains (one per cable). None when
    the option is not given.

    Raises
    ------
    click.BadParameter
        The option given more than once.
    """
    if len(value) > 1:
        given = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
        raise click.BadParameter(
            f"given {len(value)} times ({given}); it takes one value "
            "(only --cable-loss is repeatable, one per cable)"
        )
    return value[0] if value else None


def report_error(err: BaseException) -> None:
    """Print one line ``rfcheck: error: <file>:<line>: <message>`` on stderr."""
    echo(f"rfcheck: error: {printable(err)}", err=True)


#: An input path argument: no click check (a click check is a usage error, exit 2); the
#: command reads it and says ``rfcheck: error: <file>: ...``, exit 3 (README Exit codes).
INPUT_PATH = click.Path(path_type=Path, readable=False)


def refuse_missing(paths: Iterable[Path], *, folders: bool = False) -> None:
    """Exit 3 with one ``rfcheck: error: <path>: ...`` line for each path that is not there.

    ``folders``: a path that is a file is refused too (``not a folder``).
    """
    bad = []
    for path in paths:
        if not path.exists():
            bad.append(f"{path}: no such file or folder")
        elif folders and not path.is_dir():
            bad.append(f"{path}: not a folder")
    for line in bad:
        echo(f"rfcheck: error: {printable(line)}", err=True)
    if bad:
        sys.exit(EXIT_INPUT_ERROR)


def report_record(path: str, message: str, prefix: str = "") -> None:
    """Print an error record as one line ``rfcheck: error: <file>:<line>: <message>``.

    ``message`` is relative to ``path`` (``line N: ...`` where the line is known,
    :func:`rfcheck.errors.located`; a message that already starts with ``<path>: `` is not
    given the path again; several messages, "; "-joined in a batch summary, stay on the one
    line); ``prefix`` goes before the file (``ambient ``). Every command prints its error
    rows through it.
    """
    msg = " ".join(printable(message or "could not be read or analysed").split())
    shown = printable(path)
    line = msg if msg.startswith(f"{shown}: ") else located(shown, msg)
    echo(f"rfcheck: error: {prefix}{line}", err=True)


def handle_errors(func: F) -> F:
    """Turn an :class:`RfcheckError` escaping a command into one line and exit code 3."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RfcheckError as err:
            report_error(err)
            sys.exit(EXIT_INPUT_ERROR)

    return wrapper  # type: ignore[return-value]


class _UnitType(click.ParamType[LevelUnit]):
    name = "UNIT"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> LevelUnit:
        if isinstance(value, LevelUnit):
            return value
        try:
            return parse_level_unit(str(value))
        except RfcheckError as err:
            self.fail(err.message, param, ctx)


class _DetectorType(click.ParamType[Detector]):
    name = "DETECTOR"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Detector:
        if isinstance(value, Detector):
            return value
        det = parse_detector(str(value))
        if det is None or det is Detector.UNKNOWN:  # stating "unknown" states nothing
            known = ", ".join(d.value for d in Detector if d is not Detector.UNKNOWN)
            self.fail(f"unknown detector {value!r} (known: {known})", param, ctx)
        return det


class _FiniteFloat(click.ParamType[float]):
    """Click parameter type for a finite number, optionally within bounds.

    A finite number (``nan``, ``inf`` refused; click's FloatRange lets NaN through), optionally
    within ``minimum .. maximum``.
    """

    name = "FLOAT"

    def __init__(self, minimum: float | None = None, maximum: float | None = None, unit: str = ""):
        self.minimum, self.maximum, self.unit = minimum, maximum, unit

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"not a number: {value!r}", param, ctx)
        if not math.isfinite(number):
            of = f" of {self.unit}" if self.unit else ""
            self.fail(f"must be a finite number{of}, got {value!r}", param, ctx)
        if (self.minimum is not None and number < self.minimum) or (
            self.maximum is not None and number > self.maximum
        ):
            u = f" {self.unit}" if self.unit else ""
            self.fail(f"must be {self.minimum:g} .. {self.maximum:g}{u}, got {value!r}", param, ctx)
        return number


UNIT_TYPE = _UnitType()
DETECTOR_TYPE = _DetectorType()
#: ``--distance``: a measurement distance within :data:`rfcheck.limits.DISTANCE_RANGE_M`. [m]
DISTANCE = _FiniteFloat(*DISTANCE_RANGE_M, unit="m")
#: A finite level or level difference (``--suspect-window``, ``--attenuator``). [dB]
FINITE_DB = _FiniteFloat(unit="dB")


class _FormatsType(click.ParamType[Any]):
    """Click parameter type for report format names.

    Report format names, parsed by the one parser (:func:`rfcheck.report.parse_formats`) while the
    options are parsed, so a typo is a usage error (exit 2) before any work.

    Converts to a tuple of names, or with ``single`` to one name.
    """

    def __init__(self, destination: Destination, *, single: bool = False) -> None:
        self.destination = destination
        self.single = single
        self.name = "FORMAT" if single else "FORMATS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):  # already converted
            return value
        try:
            names = parse_formats(str(value), destination=self.destination, single=self.single)
        except ReportFormatError as err:
            self.fail(err.message, param, ctx)
        return names[0] if self.single else names


#: ``--report FORMATS``: report files (``pdf,html,png,svg,json,csv`` or ``none``). [tuple of str]
REPORT_FORMATS_TYPE = _FormatsType(Destination.FILE)
#: The report file formats as help texts list them.
REPORT_FORMATS_HELP = ",".join(format_names(Destination.FILE)) + " (or 'none')"
#: ``check -o FORMAT``: what is printed on stdout (``text``, ``json``, ``csv``). [str]
STDOUT_FORMAT_TYPE = _FormatsType(Destination.STDOUT, single=True)


_STDOUT_NAMES = format_names(Destination.STDOUT)


def stdout_format_option() -> Callable[[F], F]:
    """Return the ``-o/--output-format`` option for commands that print a rendered run.

    The choices are the report registry's stdout formats.
    """
    return click.option(
        "-o",
        "--output-format",
        "output_format",
        type=STDOUT_FORMAT_TYPE,
        default="text",
        show_default=True,
        help=f"Format of what is printed on stdout: {', '.join(_STDOUT_NAMES)}.",
    )


class _FrequencyType(click.ParamType[float]):
    """Click parameter type for a frequency with engineering prefixes [Hz].

    ``positive``: 0 Hz is refused too (a centre frequency), as a usage error.
    """

    name = "HZ"

    def __init__(self, positive: bool = False) -> None:
        self.positive = positive

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            hz = round_hz(value)
        else:
            try:
                hz = parse_frequency(str(value))
            except ValueError as err:
                self.fail(str(err), param, ctx)
        if self.positive and not hz > 0:
            self.fail(f"must be a frequency above 0 Hz, got {value!r}", param, ctx)
        return hz


FREQUENCY = _FrequencyType()
#: A frequency above 0 Hz (an I/Q recording's centre frequency).
POSITIVE_FREQUENCY = _FrequencyType(positive=True)


def rbw_option(*names: str) -> Callable[[F], F]:
    """Return the one ``--rbw`` option: the RBW of traces whose file states none.

    ``names``: click's parameter declarations after ``--rbw`` (``"rbw_hz"`` names the
    parameter; none: ``rbw``).
    """
    return click.option(
        "--rbw",
        *names,
        type=POSITIVE_FREQUENCY,
        metavar="HZ",
        help="RBW at -6 dB of traces whose file states none (120k, 1M); a file stating "
        "another is an error (exit 3).",
    )
