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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..limits.fcc_basis import NOT_FCC_BASIS
from .ranges import statistics_range_note
from .render import SERIAL_MISSING, several_distances_text
from .results import LotResult

__all__ = ["measured_ports", "partly_measured", "plan_ports", "lot_scope_lines"]


def measured_ports(result: LotResult) -> list[str]:
    """Every port some unit of the lot has a capture of, in discovery order."""
    return list(dict.fromkeys(p for u in result.units for p in (*u.ports, *u.captures)))


def partly_measured(result: LotResult) -> dict[str, list[str]]:
    """Return each port of the lot some unit has no capture of, with those units (in order).

    ``{"N": ["u2"]}``: the port was measured, but not on every unit
    (:attr:`~rfcheck.lot.results.UnitResult.missing_ports`).
    """
    out: dict[str, list[str]] = {}
    for u in result.units:
        for port in u.missing_ports:
            out.setdefault(port, []).append(u.unit)
    return out


def plan_ports(plan: Mapping[str, Any] | None) -> list[str]:
    """Return the ``[plan]``'s ``mains_lines`` and ``polarisations``, as given ([] without them)."""
    out: list[str] = []
    for key in ("mains_lines", "polarisations"):
        names = (plan or {}).get(key)
        if isinstance(names, Sequence) and not isinstance(names, str):
            out += [str(n) for n in names]
    return list(dict.fromkeys(out))


def _listed(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "none"


def lot_scope_lines(result: LotResult, plan: Mapping[str, Any] | None = None) -> list[str]:
    """Return page 1's scope lines: ports measured and not, the golden unit, the basis."""
    measured = measured_ports(result)
    planned = plan_ports(plan)
    scope = f"Scope: the units were measured on {_listed(measured)} only"
    if planned:
        missing = [p for p in planned if p not in measured]
        scope += (
            f"; of the setup's [plan] ports ({_listed(planned)}), not measured on any unit: "
            f"{_listed(missing)}"
        )
        if missing:
            scope += ". The lot verdict says nothing about them"
    else:
        scope += ". The lot verdict says nothing about any other port"
    partly = partly_measured(result)
    if partly:
        scope += ". Measured on some units only (missing data, INCOMPLETE): " + "; ".join(
            f"{port} (not on {', '.join(units)})" for port, units in partly.items()
        )
    golden = next((u for u in result.units if u.unit == result.golden), None)
    serial = golden.serial if golden is not None and golden.serial else SERIAL_MISSING
    several = several_distances_text(result)
    out = [
        scope + "." + (f" {several}." if several else ""),
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
