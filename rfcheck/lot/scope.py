"""Page 1 of the lot PDF and HTML: what the lot measured, its golden unit, its basis.

A lot verdict speaks only of the ports its units were measured on, against the tables they
were judged with. Page 1 says so, before the verdict can be read as the whole product's:

- the ports measured, and where the setup has a ``[plan]`` (``rfcheck dossier``'s test plan),
  the plan's ports the lot did not measure; a port measured on some units only, with the
  units not measured on it; the ports measured at several distances, with
  each distance's range;
- the golden (tested) unit by name and DUT serial: its own test record is the one a reader
  looks up (``rfcheck dossier``), not this report;
- the units the setup's ``[dut.serials]`` declares that were not measured (no capture);
- the range judged, when the setup's ``range_hz`` narrows the units' verdicts and the
  statistics (:func:`rfcheck.lot.ranges.statistics_range_note`);
- with a CISPR 32 table judged, that the result is not an FCC basis (the table's note).

The ports sentence (:func:`ports_scope_text`) is also the lot's ``scope`` (``lot.json``, a
note of the text report), and its ``[plan]`` clause each unit's flag when a port the plan
requires was measured on no unit (:func:`plan_gap_text`): missing data, INCOMPLETE
(``docs/lot.md``, "Lot verdict").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..limits.fcc_basis import NOT_FCC_BASIS
from ..product.plan import PortKind, plan_from_setup
from ..settings import PowerSource, Setup
from ..settings.model import plan_port_names
from .ranges import statistics_range_note
from .render import SERIAL_MISSING, several_distances_text
from .results import LotResult, UnitResult

__all__ = [
    "PlanPorts",
    "measured_ports",
    "plan_ports",
    "plan_gap_text",
    "ports_scope_text",
    "lot_scope_lines",
]


@dataclass(frozen=True)
class PlanPorts:
    """The ports a setup's ``[plan]`` names, and those its rules require for the device.

    Attributes
    ----------
    named : tuple of str
        ``mains_lines`` then ``polarisations``, as given.
    required : tuple of str
        The named ports of each kind the plan's rules require a cell of for this device
        (:meth:`rfcheck.product.plan.TestPlan.requires`): a port of them no unit of the lot
        measured makes the lot INCOMPLETE. No mains line of a device with ``[dut] power =
        "battery"`` (47 CFR 15.107(d), as the dossier's record reads it); no polarisation of
        a device whose rules require no radiated cell (below 1.705 MHz).
    """

    named: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

    @classmethod
    def from_setup(cls, setup: Setup) -> PlanPorts:
        """Return the setup's plan ports (none without a ``[plan]``).

        Raises
        ------
        SetupFileError
            A malformed ``[plan]`` (:func:`rfcheck.product.plan.plan_from_setup`).
        """
        if not setup.plan:
            return cls()
        plan = plan_from_setup(setup)
        mains = plan.requires(PortKind.MAINS) and plan.power is not PowerSource.BATTERY
        required = (plan.mains_lines if mains else ()) + (
            plan.polarisations if plan.requires(PortKind.POLARISATION) else ()
        )
        return cls(plan.mains_lines + plan.polarisations, required)


def measured_ports(units: Sequence[UnitResult]) -> list[str]:
    """Every port some unit of the lot has a capture of, in discovery order."""
    return list(dict.fromkeys(p for u in units for p in (*u.ports, *u.captures)))


def _partly(units: Sequence[UnitResult]) -> dict[str, list[str]]:
    """Return each port of the lot some unit has no capture of, with those units (in order).

    ``{"N": ["u2"]}``: the port was measured, but not on every unit
    (:attr:`~rfcheck.lot.results.UnitResult.missing_ports`); a ``[plan]`` port measured on
    no unit is not among them (:func:`plan_gap_text`).
    """
    measured = measured_ports(units)
    out: dict[str, list[str]] = {}
    for u in units:
        for port in u.missing_ports:
            if port in measured:  # a [plan] port no unit measured is said once, for the lot
                out.setdefault(port, []).append(u.unit)
    return out


def plan_ports(plan: Mapping[str, Any] | None) -> list[str]:
    """Return the ``[plan]``'s ``mains_lines`` and ``polarisations``, as given ([] without them)."""
    out = plan_port_names(plan, "mains_lines") + plan_port_names(plan, "polarisations")
    return list(dict.fromkeys(out))


def _listed(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "none"


def _are(items: Sequence[str]) -> str:
    return "is" if len(items) == 1 else "are"


def plan_gap_text(planned: Sequence[str], missing: Sequence[str], required: Sequence[str]) -> str:
    """Return the ``[plan]`` clause of the scope: its ports, those measured on no unit.

    ``of the setup's [plan] ports (L1, N, H, V), not measured on any unit: H, V (missing
    data, INCOMPLETE)``; ``required``: the missing ports the plan requires (the lot is
    INCOMPLETE for them), named after the others when only some are.
    """
    text = f"of the setup's [plan] ports ({_listed(planned)}), not measured on any unit: " + (
        _listed(missing)
    )
    if required:
        which = "" if list(required) == list(missing) else f": {_listed(required)}"
        text += f" (missing data, INCOMPLETE{which})"
    return text


def ports_scope_text(units: Sequence[UnitResult], plan: PlanPorts) -> str:
    """Return the scope's ports sentence: measured, the plan's not measured, partly measured.

    ``Scope: the units were measured on L1, N only; of the setup's [plan] ports (L1, N, H,
    V), not measured on any unit: H, V (missing data, INCOMPLETE). The lot is INCOMPLETE
    until they are measured.`` The lot report's page 1, its text report's note and ``lot.json``'s
    ``scope`` all read it.
    """
    measured = measured_ports(units)
    scope = f"Scope: the units were measured on {_listed(measured)} only"
    if plan.named:
        missing = [p for p in plan.named if p not in measured]
        required = [p for p in missing if p in plan.required]
        scope += "; " + plan_gap_text(plan.named, missing, required)
        others = [p for p in missing if p not in required]
        if required:  # the lot is INCOMPLETE for them: never "says nothing about them"
            they = "they are" if not others else f"{_listed(required)} {_are(required)}"
            scope += f". The lot is INCOMPLETE until {they} measured"
        if others:
            them = "them" if not required else _listed(others)
            scope += f". The lot verdict says nothing about {them}"
    else:
        scope += ". The lot verdict says nothing about any other port"
    partly = _partly(units)
    if partly:
        scope += ". Measured on some units only (missing data, INCOMPLETE): " + "; ".join(
            f"{port} (not on {', '.join(names)})" for port, names in partly.items()
        )
    return scope + "."


def lot_scope_lines(result: LotResult, plan: Mapping[str, Any] | None = None) -> list[str]:
    """Return page 1's scope lines: ports measured and not, the golden unit, the basis.

    The ports are the result's (:attr:`~rfcheck.lot.results.LotResult.plan_ports`), else
    ``plan``'s (a result judged without its setup's plan: none counted as required).
    """
    ports = (
        PlanPorts(result.plan_ports, result.not_measured_ports)
        if result.plan_ports
        else PlanPorts(tuple(plan_ports(plan)))
    )
    golden = next((u for u in result.units if u.unit == result.golden), None)
    serial = golden.serial if golden is not None and golden.serial else SERIAL_MISSING
    several = several_distances_text(result)
    out = [
        ports_scope_text(result.units, ports) + (f" {several}." if several else ""),
        f"Golden (tested) unit: {result.golden}, DUT serial {serial}. Its own test record "
        "(rfcheck dossier) is a separate report; this lot report does not repeat it.",
    ]
    if result.not_measured_units:
        n = len(result.units)
        out.append(
            f"Units measured: {n}; declared in the setup's [dut.serials] and not measured: "
            f"{result.not_measured_text}. The lot verdict says nothing about them."
        )
    ranged = statistics_range_note(u.captures for u in result.units)
    if ranged:
        out.append(ranged[0].upper() + ranged[1:] + ".")
    out += [n for n in result.notes if NOT_FCC_BASIS in n]
    return out
