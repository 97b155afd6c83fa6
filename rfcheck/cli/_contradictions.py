"""Settings that contradict the limits they name: refused before any input is read (exit 2).

A transducer of the other port (an antenna factor with a conducted limit, a LISN factor with
a radiated one: :func:`rfcheck.corrections.port_conflict`) and a Class B device judged
against Class A limits (:func:`rfcheck.limits.device_class.class_conflict`). ``check``,
``explain`` and ``compare`` check each capture's settings; ``batch`` every settings its setup
and options can give a capture (:func:`possible_settings`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import click

from ..settings import CheckSettings, Setup
from ..textsafe import printable

__all__ = ["possible_settings", "refuse_contradictions"]


def refuse_contradictions(
    settings: CheckSettings, setup: Setup | None, capture: str | None = None
) -> None:
    """Refuse settings whose transducers or device class contradict their limits.

    Parameters
    ----------
    settings : CheckSettings
        A capture's settings (limits, transducers, the setup's device class).
    setup : Setup or None
        The setup the device class comes from (named in the message).
    capture : str, optional
        The capture the settings are for (named in a transducer message).

    Raises
    ------
    click.UsageError
        One line: the capture, the limit and the transducer; or the setup file, where it
        states the class, the class and the limit, with the shipped tables of that class
        that judge the same port.
    """
    from ..corrections import port_conflict
    from ..limits import load_limit_file, load_shipped, shipped_ids
    from ..limits.device_class import class_conflict, tables_for_class

    tables = [load_shipped(i) for i in dict.fromkeys(settings.limit_ids)]
    tables += [load_limit_file(p) for p in dict.fromkeys(settings.limit_files)]
    where = f"{setup.path} {setup.device_class_key}" if setup and setup.path else ""
    for table in tables:
        conflict = port_conflict(
            settings.antenna_factor is not None, settings.lisn is not None, table.unit
        )
        if conflict:
            head = f"{capture}: " if capture else ""
            raise click.UsageError(printable(f"{head}{table.id}: {conflict}"))
        conflict = class_conflict(settings.device_class, table, where)
        if conflict:
            shipped = [load_shipped(i) for i in shipped_ids()]
            instead = tables_for_class(table, settings.device_class or "", shipped)
            hint = f" (Class {settings.device_class}: {', '.join(instead)})" if instead else ""
            raise click.UsageError(printable(conflict + hint))


def possible_settings(setup: Setup, overrides: Mapping[str, Any]) -> list[CheckSettings]:
    """Return the settings ``batch`` can give a capture: ``[check]``, and each ``[[rule]]`` on it.

    Each with the command-line ``overrides`` applied. Every limit a capture can get is in one
    of these; a capture several rules match may combine a transducer from one with a limit
    from another, which the analysis refuses for that capture (an ERROR row, exit code 3).
    """
    out = [setup.check.override(**overrides)]
    for rule in setup.rules:
        out.append(dataclasses.replace(setup.check, **rule.overrides).override(**overrides))
    return out
