"""The ``rfcheck explain`` command.

Which source makes each emission, the 15.33(b)(1) range check, the ambient, and the decision
rule in force (issue 14; ``docs/explain.md``).

Exit codes: 0 explained; 2 usage error; 3 a capture or the ambient could not be read or
analysed, or the setup is malformed.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import EXIT_INPUT_ERROR, EXIT_PASS
from ..settings import CheckSettings
from ..textsafe import json_safe, printable
from ._common import (
    FREQUENCY,
    INPUT_PATH,
    check_highest_frequency,
    echo,
    handle_errors,
    output_option,
    report_record,
)
from ._contradictions import refuse_contradictions
from ._setup_rules import plan_hint, plan_settings, read_setup, rel_path, setup_dir

if TYPE_CHECKING:
    from ..explain.pipeline import ULab

__all__ = ["explain_cmd", "rbw_hz"]


def rbw_hz(path: str, settings: CheckSettings) -> float | None:
    """Return the widest RBW a capture's traces state, or None."""
    from ..io import load_capture

    cap = load_capture(
        path, settings.fmt, unit=settings.unit, detector=settings.detector, rbw_hz=settings.rbw_hz
    )
    rbws = [t.rbw_hz for t in cap.traces if t.rbw_hz]
    return max(rbws) if rbws else None


def _decision_rule(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
    from ..verdict.decision import parse_decision_rule

    if value is None:  # not given: the setup's
        return None
    try:
        return parse_decision_rule(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


@click.command("explain")
@click.argument("captures", nargs=-1, required=True, metavar="CAPTURE...")
@click.option(
    "--setup",
    type=INPUT_PATH,
    required=True,
    metavar="FILE.toml",
    help="Setup file: limits, transducers, [dut] highest_internal_frequency_hz and "
    "the [[dut.clock]] sources.",
)
@click.option(
    "--ambient",
    type=INPUT_PATH,
    metavar="FILE",
    help="Ambient capture (DUT off, same port and settings): flags emissions within "
    "--ambient-threshold of it. It never subtracts from a reading.",
)
@click.option(
    "--ambient-threshold",
    "ambient_threshold",
    type=click.FloatRange(min=0),
    default=6.0,
    show_default=True,
    metavar="dB",
    help="An emission this close to the ambient (or below it) is flagged.",
)
@click.option(
    "--decision-rule",
    "decision_rule",
    default=None,
    callback=_decision_rule,
    metavar="RULE",
    help="simple | cispr16-4-2 | guard-band:DB; applied to every emission row "
    "[default: the setup's [check] decision_rule, else simple].",
)
@click.option(
    "--u-lab",
    "u_lab",
    type=click.FloatRange(min=0, min_open=True),
    metavar="dB",
    help="The lab's expanded uncertainty U_lab (needed by cispr16-4-2) "
    "[default: the setup's [test] u_lab_db].",
)
@click.option(
    "--highest-frequency",
    "highest_frequency",
    type=FREQUENCY,
    metavar="HZ",
    help="Declared highest internal frequency for the 47 CFR 15.33(b)(1) check "
    "(default: the setup's).",
)
@output_option("text", "json")
@handle_errors
def explain_cmd(
    captures: tuple[str, ...],
    setup: Path,
    ambient: Path | None,
    ambient_threshold: float,
    decision_rule: object,
    u_lab: float | None,
    highest_frequency: float | None,
    output_format: str,
) -> None:
    """Explain the emissions of CAPTURE files judged with the setup's limits.

    Per capture: harmonic families (combs n x f0: the declared clocks', and those found in
    the data), the candidate sources of each suspect row ("3 x 125 MHz (Ethernet)", with the
    frequency error), the rows nothing explains, and with --ambient the ambient level at
    each row. Warns when a clock or a comb's fundamental is above the declared highest
    internal frequency (47 CFR 15.33(b)(1) may require a wider radiated range).
    """
    from ..analysis import run_check
    from ..explain import DecisionRule, RuleKind, explain_run, parse_clocks
    from ..explain.text import render_explanation

    check_highest_frequency(highest_frequency)
    the_setup = read_setup(setup)
    # the setup's rule and U_lab unless given (the run once judged by the setup's
    # rule while the explanation read "decision rule: simple" and --u-lab was required)
    rule = the_setup.check.rule if decision_rule is None else decision_rule
    assert isinstance(rule, DecisionRule)  # the option callback returns one
    lab: ULab = u_lab
    if u_lab is None and the_setup.check.u_lab_db:
        lab = the_setup.check.u_lab_for
    if rule.kind is RuleKind.CISPR16_4_2 and lab is None:
        raise click.UsageError(
            "--decision-rule cispr16-4-2 needs --u-lab dB (or [test] u_lab_db in the setup)"
        )
    clocks = parse_clocks(the_setup.dut, the_setup.path)
    base = setup_dir(the_setup)

    with_plan = plan_settings(the_setup)  # no limit in the rules: the [plan]'s, as lot

    def settings_for(path: str) -> CheckSettings:
        s = with_plan(the_setup.settings_for(rel_path(path, base)), path)
        if decision_rule is not None:  # the options judge the rows too
            s = dataclasses.replace(s, decision_rule=rule.text)
        if u_lab is not None:
            s = dataclasses.replace(s, u_lab_db=(("", u_lab),))
        return s

    for c in (*captures, *([str(ambient)] if ambient else [])):
        s = settings_for(c)
        if not s.limit_ids and not s.limit_files:
            raise click.UsageError(
                f"no limit given for {printable(c)}: "
                f"add a [check] or [[rule]] 'limits' entry to the setup{plan_hint(the_setup, c)}"
            )
        refuse_contradictions(s, the_setup, c)
    run = run_check(list(captures), the_setup.check, setup=the_setup, settings_for=settings_for)
    amb = None
    if ambient is not None:
        amb = run_check([str(ambient)], the_setup.check, settings_for=settings_for).captures[0]
    failed = [r for c in (*run.captures, *([amb] if amb else [])) for r in c.errors]
    for rec in failed:
        report_record(rec.path, rec.message)
    if amb is not None and amb.errors:
        sys.exit(EXIT_INPUT_ERROR)
    rbw = {c.path: rbw_hz(c.path, settings_for(c.path)) for c in run.captures if not c.errors}
    ex = explain_run(
        run,
        clocks,
        highest_hz=highest_frequency or the_setup.check.highest_frequency_hz,
        rbw_hz=rbw,
        ambient=amb,
        threshold_db=ambient_threshold,
        decision_rule=rule,
        u_lab_db=lab,
    )
    if output_format == "json":
        echo(json_safe(json.dumps(ex.to_dict(), indent=2, ensure_ascii=False)))
    else:
        echo(render_explanation(ex), nl=False)
    sys.exit(EXIT_INPUT_ERROR if failed else EXIT_PASS)
