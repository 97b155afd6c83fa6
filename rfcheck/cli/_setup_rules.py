"""The ``--setup`` file of a command, and which settings a capture gets from it.

:func:`read_setup` reads the whole file as every command does, so a fault anywhere in it
(its TOML, an unknown key, a wrong type, in any table) refuses ``check``, ``batch``,
``dossier``, ``lot``, ``compare`` and ``explain`` alike: one line naming the file, exit
code 3. A ``[[rule]] match`` glob sees a capture's path relative to the setup file's folder
(:func:`rel_path`); :func:`settings_resolver` applies every matching rule, then the
command-line options, and :func:`split_ambients` sets apart the captures a rule marks as
ambient scans. Used by ``check`` and ``explain``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..settings import CheckSettings, Setup, load_setup
from ..textfile import resolved
from ..textsafe import printable
from ._common import echo

__all__ = [
    "checked_setup",
    "plan_hint",
    "plan_settings",
    "read_setup",
    "rel_path",
    "settings_resolver",
    "setup_dir",
    "split_ambients",
]


def read_setup(path: str | Path) -> Setup:
    """Read a ``--setup`` file and check every table of it, whichever command reads it.

    :func:`rfcheck.settings.load_setup` checks the tables it reads (``[dut]``, ``[check]``,
    ``[[rule]]``, ``[batch]``); the customs-record tables (:func:`rfcheck.record.parse_record`:
    ``[test]``, ``[lab]``, ``[[equipment]]``...) and the test plan (``[plan]``,
    :func:`rfcheck.product.plan.plan_from_setup`) are checked here too, though only
    ``dossier`` (and ``lot``, the plan) uses them: a setup is refused, or not, by every
    command alike (README, "Exit codes").

    Raises
    ------
    SetupFileError
        A fault anywhere in the file, naming the file, the table and the key (exit code 3).
    """
    return checked_setup(load_setup(path))


def checked_setup(setup: Setup) -> Setup:
    """Check the tables of a setup :func:`rfcheck.settings.load_setup` read that it does not.

    The rest of :func:`read_setup`: the customs-record tables and the test plan, and the
    classes' agreement (a warning). ``dossier`` starts its workers in between.

    Raises
    ------
    SetupFileError
        A fault in one of those tables, naming the file, the table and the key (exit code 3).
    """
    from ..product.plan import plan_from_setup
    from ..product.record import record_of

    record_of(setup)
    if setup.plan:
        plan_from_setup(setup)
    if conflict := class_statements_conflict(setup):
        echo(f"rfcheck: warning: {printable(conflict)}", err=True)
    return setup


def class_statements_conflict(setup: Setup) -> str:
    """Say that ``[dut] class`` and ``[test] class`` differ ("" when they agree or one is absent).

    Every command judges the device as ``[dut]`` states it (:attr:`Setup.device_class`);
    the dossier's record lists the disagreement as a finding. The other commands say it here,
    once, whichever they are.
    """
    stated = setup.stated_classes
    a, b = stated.get("[dut] class"), stated.get("[test] class")
    if a is None or b is None or a == b:
        return ""
    where = f"{setup.path}: " if setup.path else ""
    return (
        f'{where}[dut] class = "{a}" but [test] class = "{b}": the device is judged as Class {a} '
        "([dut]); state one class"
    )


def rel_path(path: str, base: Path | None = None) -> str:
    """Return the capture path as the setup's ``[[rule]] match`` globs see it.

    Relative to the setup file's folder (else to the working directory), with forward slashes.
    A path that cannot be resolved (a link loop) is matched as written; reading it then
    refuses it, one line naming it (:func:`rfcheck.textfile.resolved`).
    """
    p = resolved(path)
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return p.relative_to(resolved(root)).as_posix()
        except ValueError:
            continue
    return Path(path).as_posix()


def settings_resolver(
    setup: Setup | None, cli: dict[str, Any]
) -> tuple[CheckSettings, Callable[[str], CheckSettings]]:
    """Return the run's settings and each capture's (the setup's ``[[rule]]``s, then ``cli``).

    A capture whose settings name no limit gets the setup's ``[plan]`` limits for the port
    its rules give it (:func:`rfcheck.product.assign.with_plan_limits`), as ``dossier``,
    ``lot``, ``explain`` and ``compare`` judge it: one setup serves every command.
    """
    settings = (setup.check if setup else CheckSettings()).override(**cli)
    folder = setup_dir(setup)
    with_plan = plan_settings(setup)

    def settings_for(path: str) -> CheckSettings:
        if setup is None or not setup.rules:
            return settings
        return with_plan(setup.settings_for(rel_path(path, folder)).override(**cli), path)

    return settings, settings_for


def plan_settings(setup: Setup | None) -> Callable[[CheckSettings, str], CheckSettings]:
    """Return how a capture's settings take the setup's ``[plan]`` limits when they name none.

    ``(settings, path)``: the plan's limits for the port the setup's rules give ``path``
    (relative to the setup's folder, :func:`rel_path`);
    :func:`rfcheck.product.assign.with_plan_limits_at`.
    """
    if setup is None or not setup.plan:
        return lambda s, _path: s
    from ..product.assign import with_plan_limits_at

    at = with_plan_limits_at(setup)
    folder = setup_dir(setup)
    return lambda s, path: at(s, rel_path(path, folder))


def plan_hint(setup: Setup | None, path: str) -> str:
    """Return what a "no limit given" message adds for ``path`` (:meth:`Setup.plan_limits_hint`)."""
    if setup is None or not setup.plan:
        return ""
    from ..product.assign import port_of

    return setup.plan_limits_hint(port_of(rel_path(path, setup_dir(setup)), setup)[0])


def setup_dir(setup: Setup | None) -> Path | None:
    """Return the folder the setup's ``[[rule]] match`` globs are relative to."""
    return setup.path.parent if setup and setup.path else None


def split_ambients(
    captures: tuple[str, ...], ambient: Path | None, setup: Setup | None
) -> tuple[tuple[str, ...], list[str]]:
    """Return the captures to judge and the ambient scans (``--ambient``, setup ``role``).

    Raises
    ------
    click.UsageError
        Every capture is an ambient scan by the setup's rules.
    """
    ambients = [str(ambient)] if ambient is not None else []
    if setup is None:
        return captures, ambients
    folder = setup_dir(setup)
    ambients += [c for c in captures if setup.is_ambient(rel_path(c, folder))]
    captures = tuple(c for c in captures if not setup.is_ambient(rel_path(c, folder)))
    if not captures:
        raise click.UsageError('every CAPTURE is an ambient scan (setup [[rule]] role = "ambient")')
    return captures, ambients
