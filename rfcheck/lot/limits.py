"""Which limits a lot's captures are judged against: their rules', else the setup's ``[plan]``.

A capture is judged against the limits ``--limit`` names, else those its setup's ``[check]``
and matching ``[[rule]]`` name; when they name none and the setup has a ``[plan]`` (the test
plan of ``rfcheck dossier``), against the plan's limits for its port's kind, with the plan's
distance for a polarisation, exactly as the dossier judges that port
(:func:`rfcheck.product.assign.plan_limits`). One setup serves both commands. A lot in which
no capture has a limit at all is a usage error (exit 2), said once before any capture is read
(:class:`NoLimitError`). See ``docs/lot.md``, "Units and ports of a lot".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..errors import RfcheckError
from ..product.assign import with_plan_limits
from ..settings import CheckSettings, Setup
from .discovery import UnitCapture

__all__ = ["NoLimitError", "capture_settings", "check_some_limit"]


class NoLimitError(RfcheckError):
    """No capture of the lot has a limit to be judged against (a usage error, exit code 2)."""


def _has_limit(s: CheckSettings) -> bool:
    return bool(s.limit_ids or s.limit_files)


def capture_settings(
    rule: Callable[[str], CheckSettings], setup: Setup
) -> Callable[[UnitCapture], CheckSettings]:
    """Return the settings of each capture: ``rule(rel)``, with the plan's limits if it has none.

    ``rule`` gives a capture's settings by its relative path (``--limit`` applied), with the
    U_lab of its port label when ``[test] u_lab_db`` names it
    (:meth:`~rfcheck.settings.CheckSettings.for_port`). Without a
    ``[plan]``, or for a capture with no port the plan names, it is ``rule`` itself
    (:func:`rfcheck.product.assign.with_plan_limits`, as ``explain`` and ``compare`` judge).
    """
    apply = with_plan_limits(setup)

    def settings(c: UnitCapture) -> CheckSettings:
        return apply(rule(c.rel).for_port(c.port), c.port)

    return settings


def check_some_limit(
    captures: Iterable[UnitCapture], settings: Callable[[UnitCapture], CheckSettings]
) -> None:
    """Refuse a lot whose captures (those placed in a port) have no limit at all.

    Raises
    ------
    NoLimitError
        ``no limit given for any capture of the lot: use --limit ID ...`` (one line).
    """
    placed = [c for c in captures if c.port and not c.problem]
    if placed and not any(_has_limit(settings(c)) for c in placed):
        raise NoLimitError(
            "no limit given for any capture of the lot: use --limit ID (see 'rfcheck limits "
            "list'), a [check]/[[rule]] 'limits' entry, or the [plan] of 'rfcheck dossier' "
            "in the setup file"
        )
