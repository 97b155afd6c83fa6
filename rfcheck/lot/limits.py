"""Which limits a lot's captures are judged against: their rules', else the setup's ``[plan]``.

A capture is judged against the limits ``--limit`` names, else those its setup's ``[check]``
and matching ``[[rule]]`` name; when they name none and the setup has a ``[plan]`` (the test
plan of ``rfcheck dossier``), against the plan's limits for its port's kind, with the plan's
distance for a polarisation, exactly as the dossier judges that port
(:func:`rfcheck.product.assign.plan_limits`). One setup serves both commands. A lot in which
no capture has a limit at all is a usage error (exit 2), said once before any capture is read
(:class:`NoLimitError`). See ``docs/lot.md``, "Units and ports of a lot".

A plan giving a distance per frequency range (``[plan] distance_bands``) gives a
polarisation's capture that states none the distance of the band holding its frequency
span, as the dossier does (:func:`rfcheck.product.distance.capture_distance_m`): its span is
known once it is read, so :func:`span_bands` names the bands and the lot takes the
distance when it loads the capture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..errors import RfcheckError
from ..product.assign import plan_limits, with_plan_limits
from ..product.distance import DistanceBand
from ..product.plan import PortKind, TestPlan, plan_from_setup
from ..settings import CheckSettings, Setup
from .discovery import UnitCapture

__all__ = ["NoLimitError", "capture_settings", "check_some_limit", "span_bands"]


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
    A polarisation's capture that the plan's ``distance_bands`` give a distance by its span
    has none yet (:func:`span_bands`): the lot takes it once the capture is read.
    """
    apply = with_plan_limits(setup)
    plan = _banded_plan(setup)

    def settings(c: UnitCapture) -> CheckSettings:
        own = rule(c.rel).for_port(c.port)
        if plan is not None and _by_span(own, c.port, plan):
            return plan_limits(own, plan, PortKind.POLARISATION)  # its distance: by its span
        return apply(own, c.port)

    return settings


def _banded_plan(setup: Setup) -> TestPlan | None:
    """Return the setup's ``[plan]`` when it gives distances per frequency range, else None."""
    plan = plan_from_setup(setup) if setup.plan else None
    return plan if plan is not None and plan.distance_bands else None


def _by_span(own: CheckSettings, port: str, plan: TestPlan) -> bool:
    """Whether a capture takes the plan's limits and its distance from its span.

    A polarisation's capture whose own settings (``--limit``, ``[check]``, its rules) name no
    limit and state no distance, as the dossier gives it a band's distance.
    """
    return (
        bool(port)
        and not (own.limit_ids or own.limit_files or own.distance_m is not None)
        and plan.port_kind(port) is PortKind.POLARISATION
    )


def span_bands(
    rule: Callable[[str], CheckSettings], setup: Setup
) -> Callable[[UnitCapture], tuple[DistanceBand, ...]]:
    """Return the ``[plan] distance_bands`` that give each capture its distance by its span.

    The plan's bands for a polarisation's capture judged against the plan's limits and
    stating no distance (:func:`capture_settings` leaves its distance to them); none for
    every other capture, or without bands. Once the capture is read, the band holding its
    frequency span gives its distance, or none when the span lies in two bands of different
    distances or outside them (an error of its port, naming the file:
    :func:`rfcheck.product.distance.capture_distance_m`).
    """
    plan = _banded_plan(setup)

    def bands(c: UnitCapture) -> tuple[DistanceBand, ...]:
        if plan is None or not _by_span(rule(c.rel).for_port(c.port), c.port, plan):
            return ()
        return plan.distance_bands

    return bands


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
