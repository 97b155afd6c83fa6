"""The test plan of a product: what must be measured, derived from rules kept as data.

A setup file's ``[dut]`` and ``[plan]`` tables name the device class, the mains lines and
antenna polarisations of the product, and the plan-rules file (``regulation``); the rules
file (:mod:`~rfcheck.product.plan_rules`, ``limits/plans/<regulation>.toml``) says which
limit lines each kind of port needs over which range. :func:`required_cells` multiplies the two
into the required matrix. The full contract is in ``docs/dossier.md``.

The radiated measurement distance is the plan's ``distance_m``, or one per frequency range
(``distance_bands``, :mod:`rfcheck.product.distance`).

A plan whose rules require conducted cells names at least two mains lines, and one whose rules
require radiated cells two polarisations (:func:`refuse_missing_ports`); a device powered only
by batteries states ``[dut] power = "battery"`` and then names no mains line, and its record
says why no conducted limit was judged (:attr:`TestPlan.not_required`).

References
----------
47 CFR 15.107(a)/(b) (each current-carrying line, QP and AV, 150 kHz-30 MHz); 15.107(d)
(no conducted measurement for a device only employing battery power, with no provision for
operating from the AC power lines); 15.109(a)/(b) and 15.35(a)/(b) (radiated, QP to 1 GHz,
AV and PK above); 15.31(a)(4) and ANSI C63.4 (radiated emissions measured in horizontal and
vertical antenna polarisation); 15.33(b)(1) (upper frequency of the radiated measurement);
15.31(f)(1) (distance).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SetupFileError
from ..frequency import mhz_number
from ..limits import upper_measurement_frequency_hz
from ..settings import PowerSource, Setup
from ..tomlcheck import refuse_unknown_keys
from .distance import DistanceBand, bands_json, bands_text, parse_plan_distance
from .plan_rules import (
    PlanRule,
    PlanRules,
    PortKind,
    load_plan_rules,
    parse_plan_rules,
    plan_rule_ids,
)

__all__ = [
    "PortKind",
    "PlanRule",
    "PlanRules",
    "TestPlan",
    "RequiredCell",
    "load_plan_rules",
    "parse_plan_rules",
    "plan_rule_ids",
    "plan_from_setup",
    "refuse_missing_ports",
    "required_cells",
    "BATTERY_EXEMPTION",
    "no_radiated_cell_text",
]

#: Why a battery-powered device has no conducted cell: 47 CFR 15.107(d), in the record's words.
BATTERY_EXEMPTION = (
    '[dut] power = "battery": the device only employs battery power and neither operates from '
    "the AC power lines nor has provision for operating while connected to them, so "
    "measurements to demonstrate compliance with the conducted limits are not required "
    "(47 CFR 15.107(d))"
)


@dataclass(frozen=True)
class RequiredCell:
    """One cell of the required matrix: a port, a limit line and a frequency range.

    Attributes
    ----------
    port : str
        Mains line (``L1``) or polarisation (``H``).
    port_kind : PortKind
    limit_id, line : str
        Limit table id and line name (``fcc-15.107-b``, ``QP``).
    start_hz, stop_hz : float
        The range that must be measured. [Hz]
    clause : str
    """

    port: str
    port_kind: PortKind
    limit_id: str
    line: str
    start_hz: float
    stop_hz: float
    clause: str


@dataclass(frozen=True)
class TestPlan:
    """What the setup's ``[dut]`` and ``[plan]`` declare.

    Attributes
    ----------
    regulation : str
        Plan-rules id (``fcc-part15b``).
    device_class : str
        ``A`` or ``B``.
    mains_lines, polarisations : tuple of str
        The ports of each kind.
    distance_m : float or None
        Radiated measurement distance [m]; None when the plan gives one per frequency range
        (``distance_bands``).
    highest_frequency_hz : float or None
        Highest frequency generated or used in the device. [Hz]
    rules : PlanRules
    distance_bands : tuple of DistanceBand
        The distance per frequency range (``[plan] distance_bands``); empty with one
        ``distance_m``. A capture's distance: :func:`rfcheck.product.distance.capture_distance_m`.
    power : PowerSource
        ``[dut] power``: a ``battery`` device has no mains line and no conducted cell
        (47 CFR 15.107(d)).
    """

    __test__ = False  # not a pytest class

    regulation: str
    device_class: str
    mains_lines: tuple[str, ...]
    polarisations: tuple[str, ...]
    distance_m: float | None
    highest_frequency_hz: float | None
    rules: PlanRules
    distance_bands: tuple[DistanceBand, ...] = ()
    power: PowerSource = PowerSource.MAINS

    @property
    def upper_frequency_hz(self) -> float | None:
        """Upper end of the radiated measurement, 47 CFR 15.33(b)(1) [Hz]."""
        if self.highest_frequency_hz is None:
            return None
        return upper_measurement_frequency_hz(self.highest_frequency_hz)

    def port_kind(self, port: str) -> PortKind | None:
        """Return the kind of a port the plan names; None for a port it does not name."""
        if port in self.mains_lines:
            return PortKind.MAINS
        if port in self.polarisations:
            return PortKind.POLARISATION
        return None

    @property
    def ports(self) -> tuple[str, ...]:
        """Every port, mains lines first."""
        return self.mains_lines + self.polarisations

    def limit_ids(self, kind: PortKind) -> tuple[str, ...]:
        """Return the limit tables a port of ``kind`` is judged against, in rule order."""
        ids = [r.limit_ids[self.device_class] for r in self.rules.rules if r.port_kind is kind]
        return tuple(dict.fromkeys(ids))

    def requires(self, kind: PortKind) -> bool:
        """Return whether the rules require cells of ``kind`` for this device (any port).

        A rule whose range is empty at the 15.33(b)(1) upper frequency requires nothing
        (:func:`required_cells`); an upper frequency not known counts as requiring.
        """
        return any(
            rule.port_kind is kind and _rule_range_hz(rule, self.upper_frequency_hz) is not None
            for rule in self.rules.rules
        )

    @property
    def not_required(self) -> tuple[str, ...]:
        """Say which limits the plan's rules name but this device need not be judged against.

        A battery-powered device (``[dut] power = "battery"``): the conducted tables, with
        :data:`BATTERY_EXEMPTION`; the record prints it on page 1, in the checklist, on the
        entry sheet and in ``dossier.json``, so no conducted line is left out unsaid.
        """
        ids = self.limit_ids(PortKind.MAINS)
        if self.power is not PowerSource.BATTERY or not ids:
            return ()
        return (
            f"conducted limits {', '.join(ids)} (47 CFR 15.107): not applicable, no mains "
            f"line measured: {BATTERY_EXEMPTION}",
        )

    @property
    def distance_text(self) -> str:
        """``3 m``, or the bands: ``10 m up to 1000 MHz, 3 m from 1000 MHz``."""
        if self.distance_m is not None:
            return f"{self.distance_m:g} m"
        return bands_text(self.distance_bands)

    def distances_for(self, start_hz: float, stop_hz: float) -> tuple[float, ...]:
        """Return the plan's distances [m] of a range [Hz] (those of the bands it overlaps)."""
        if self.distance_m is not None:
            return (self.distance_m,)
        held = [b.distance_m for b in self.distance_bands if b.holds((start_hz, stop_hz))]
        return tuple(dict.fromkeys(held))

    def to_json(self) -> dict[str, Any]:
        """Return the plan as a JSON-ready mapping (``distance_bands`` only when given)."""
        out: dict[str, Any] = {
            "regulation": self.regulation,
            "class": self.device_class,
            "mains_lines": list(self.mains_lines),
            "polarisations": list(self.polarisations),
            "distance_m": self.distance_m,
            "upper_frequency_hz": self.upper_frequency_hz,
        }
        if self.distance_bands:
            out["distance_bands"] = bands_json(self.distance_bands)
        if self.power is not PowerSource.MAINS:  # a mains device's plan reads as it always did
            out["power"] = self.power.value
            out["not_required"] = list(self.not_required)
        return out


def _names(plan: Mapping[str, Any], key: str, where: Path | None) -> tuple[str, ...]:
    value = plan.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
        raise SetupFileError(f"[plan] {key} must be a list of port names", where)
    if len(set(value)) != len(value):
        raise SetupFileError(f"[plan] {key} names a port twice: {value}", where)
    return tuple(value)


_PLAN_KEYS = {"regulation", "mains_lines", "polarisations", "distance_m", "distance_bands"}


def plan_from_setup(setup: Setup) -> TestPlan:
    """Read the test plan from a setup's ``[dut]`` and ``[plan]`` tables.

    Raises
    ------
    SetupFileError
        No ``[plan]``, unknown keys or regulation, a class other than A or B, a port named
        twice or as both a mains line and a polarisation, a bad distance or distance bands
        (:func:`~rfcheck.product.distance.parse_plan_distance`), or a rule whose ``port`` /
        ``port_regex`` is malformed (exit code 3 in ``rfcheck dossier``).
    """
    where = setup.path
    plan = setup.plan
    if not plan:
        raise SetupFileError(
            "the setup has no [plan] table (see README: writing a test plan)", where
        )
    refuse_unknown_keys(plan, _PLAN_KEYS, "[plan]", where)
    regulation = plan.get("regulation", "")
    if not isinstance(regulation, str) or regulation not in plan_rule_ids():
        raise SetupFileError(
            f"[plan] regulation {regulation!r} is unknown (known: {', '.join(plan_rule_ids())})",
            where,
        )
    rules = load_plan_rules(regulation)
    cls = setup.device_class or ""
    if cls not in ("A", "B"):
        raise SetupFileError(f'[dut] class must be "A" or "B", got {cls or "nothing"!r}', where)
    mains, pols = _names(plan, "mains_lines", where), _names(plan, "polarisations", where)
    both = set(mains) & set(pols)
    if both:
        raise SetupFileError(
            f"[plan] port(s) {sorted(both)} are both mains lines and polarisations", where
        )
    if not mains and not pols:
        raise SetupFileError("[plan] names no port (mains_lines, polarisations)", where)
    distance, bands = parse_plan_distance(plan, where)
    _refuse_check_distance(setup, distance, bands)
    check_port_rules(setup, mains + pols)
    out = TestPlan(
        regulation=rules.id,
        device_class=cls,
        mains_lines=mains,
        polarisations=pols,
        distance_m=distance,
        highest_frequency_hz=setup.check.highest_frequency_hz,
        rules=rules,
        distance_bands=bands,
        power=setup.power,
    )
    refuse_missing_ports(out, where)
    return out


def _names_text(ports: tuple[str, ...]) -> str:
    """``1 (L1)``, ``none``: how many ports a key names, and which."""
    return f"{len(ports)} ({', '.join(ports)})" if ports else "none"


def refuse_missing_ports(plan: TestPlan, where: Path | None = None) -> None:
    """Refuse a plan that leaves out a port its rules require.

    Conducted: 47 CFR 15.107 measures the RF voltage between each power line and ground, so
    a device on the AC power lines names every current-carrying line, at least two (L1 and
    N; L1 and L2 on a US 240 V split-phase supply); a device powered only by batteries with
    no provision for operating from the AC power lines states ``[dut] power = "battery"``
    and names none (15.107(d)). Radiated: ANSI C63.4 (the procedure of 15.31(a)(4))
    measures with the antenna in horizontal and in vertical polarisation, so two. A kind
    the rules require no cell of for this device (no radiated cell below 1.705 MHz) asks
    for nothing. One plan measuring less once read PASS, "Record: complete", with a
    conducted line or a polarisation never measured.

    Raises
    ------
    SetupFileError
        One line naming the key, what it names and the rule (exit code 3).
    """
    mains, pols = plan.mains_lines, plan.polarisations
    if plan.requires(PortKind.MAINS):
        if plan.power is PowerSource.BATTERY and mains:
            raise SetupFileError(
                f'[plan] mains_lines names {_names_text(mains)}, but [dut] power = "battery" '
                "states a device with no provision for operating from the AC power lines "
                "(47 CFR 15.107(d)): remove the mains lines, or the power key if the device "
                "runs from them (a charger it operates on while charging, an AC adaptor)",
                where,
            )
        if plan.power is PowerSource.MAINS and len(mains) < 2:
            raise SetupFileError(
                f"[plan] mains_lines names {_names_text(mains)}: 47 CFR 15.107 measures the "
                "RF voltage between each power line and ground, so name every current-carrying "
                "line of the mains supply, at least two (L1 and N; L1 and L2 on a 240 V "
                "split-phase supply); a device powered only by batteries, with no provision "
                'for operating from the AC power lines, states [dut] power = "battery" '
                "instead (47 CFR 15.107(d))",
                where,
            )
    if plan.requires(PortKind.POLARISATION) and len(pols) < 2:
        raise SetupFileError(
            f"[plan] polarisations names {_names_text(pols)}: radiated emissions are measured "
            "with the antenna in both horizontal and vertical polarisation (ANSI C63.4, the "
            'procedure of 47 CFR 15.31(a)(4)): name both, e.g. ["H", "V"]',
            where,
        )


def _refuse_check_distance(
    setup: Setup, distance_m: float | None, bands: tuple[DistanceBand, ...]
) -> None:
    """Refuse a ``[check] distance_m`` that contradicts the plan's distance.

    ``[check]`` applies to every capture, before the plan (a capture's distance: its
    ``[[rule]]``'s, else ``[check]``'s, else the plan's): beside ``distance_bands`` it would
    judge every radiated capture at its one distance (10 m captures below 1 GHz judged at
    3 m: 10.46 dB lenient), and beside a different ``[plan] distance_m`` it would make the
    plan's a distance no capture was judged at. One equal to ``[plan] distance_m`` says the
    same thing twice.

    Raises
    ------
    SetupFileError
        Naming both statements and how to state a file's own distance.
    """
    stated = setup.check.distance_m
    if stated is None:
        return
    if bands:
        raise SetupFileError(
            f"[check] distance_m = {stated:g} m would judge every radiated capture at "
            f"{stated:g} m, but [plan] distance_bands give other distances "
            f"({bands_text(bands)}): remove it, and give a file measured at another "
            "distance its distance_m in a [[rule]] matching it",
            setup.path,
        )
    if distance_m is not None and not math.isclose(stated, distance_m, rel_tol=1e-9):
        raise SetupFileError(
            f"[check] distance_m = {stated:g} m contradicts [plan] distance_m = "
            f"{distance_m:g} m: every capture would be judged at {stated:g} m; give a file "
            "measured at another distance its distance_m in a [[rule]] matching it",
            setup.path,
        )


def check_port_rules(setup: Setup, ports: tuple[str, ...] | None) -> None:
    """Check the rules' ports against the plan's ``ports`` (None: no plan to check against).

    A rule's ``port`` must be a port of the plan; ``port_regex`` a regex with a ``port``
    group (``rfcheck lot`` checks a setup without ``[plan]`` with ``ports=None``).

    Raises
    ------
    SetupFileError
        A rule names a port the plan lacks, or its ``port_regex`` does not compile or has
        no ``port`` group; the message names the rule by its number.
    """
    for i, rule in enumerate(setup.rules, 1):
        port = rule.product.get("port")
        if port is not None and ports is not None and port not in ports:
            raise SetupFileError(
                f"[[rule]] #{i}: port {port!r} is not in [plan] (ports: {', '.join(ports)})",
                setup.path,
            )
        rx = rule.product.get("port_regex")
        if rx is not None:
            try:
                compiled = re.compile(str(rx))
            except re.error as err:
                raise SetupFileError(
                    f"[[rule]] #{i}: port_regex is not a valid regex: {err}", setup.path
                ) from None
            if "port" not in compiled.groupindex:
                raise SetupFileError(
                    f"[[rule]] #{i}: port_regex needs a named group (?P<port>...)", setup.path
                )


def _rule_range_hz(rule: PlanRule, upper_hz: float | None) -> tuple[float, float] | None:
    """Return the range a rule requires of a device [Hz]; None: nothing (an empty range).

    The rule's ``stop_hz``, or the 15.33(b)(1) upper frequency ``upper_hz`` for ``"upper"``
    (not known: the table's whole reach, ``inf``); a ``within_upper`` rule also ends there.
    """
    stop = rule.stop_hz if rule.stop_hz is not None else upper_hz
    if stop is None:
        stop = math.inf
    if rule.within_upper and upper_hz is not None:
        stop = min(stop, upper_hz)
    return (rule.start_hz, stop) if stop > rule.start_hz else None


def required_cells(plan: TestPlan, source: Path | None = None) -> tuple[RequiredCell, ...]:
    """Return the required matrix: each port of each rule's kind x the rule's lines x its range.

    A rule whose range ends at the 15.33(b)(1) upper frequency (``stop_hz = "upper"``)
    needs ``[dut] highest_internal_frequency_hz``; a rule ``within_upper`` ends there too
    when the setup gives it and it is lower. A cell whose range is empty at that upper
    frequency (a device below 108 MHz needs nothing above 1 GHz; one below 1.705 MHz, whose
    range ends at 30 MHz, no 15.109 radiated cell, since they start at 30 MHz) is not
    required.

    ``source``: the setup file the plan was read from (named in the error).

    Raises
    ------
    SetupFileError
        A rule needs the upper frequency and the setup does not give the device's highest
        frequency.
    """
    out: list[RequiredCell] = []
    for rule in plan.rules.rules:
        ports = plan.mains_lines if rule.port_kind is PortKind.MAINS else plan.polarisations
        if rule.stop_hz is None and plan.upper_frequency_hz is None:
            raise SetupFileError(
                "[dut] highest_internal_frequency_hz is needed: the plan's range ends at the "
                "47 CFR 15.33(b)(1) upper frequency",
                source,
            )
        required = _rule_range_hz(rule, plan.upper_frequency_hz)
        if required is None:
            continue
        stop = required[1]
        lid = rule.limit_ids.get(plan.device_class)
        if lid is None:
            raise SetupFileError(
                f"plan rules {plan.rules.id}: no limit for class {plan.device_class}"
            )
        for port in ports:
            for line in rule.lines:
                out.append(
                    RequiredCell(port, rule.port_kind, lid, line, rule.start_hz, stop, rule.clause)
                )
    order = {p: i for i, p in enumerate(plan.ports)}
    return tuple(sorted(out, key=lambda c: (order[c.port], c.start_hz, c.line != "QP", c.line)))


def no_radiated_cell_text(plan: TestPlan, cells: Iterable[RequiredCell]) -> str:
    """Say why the plan has polarisations but no radiated cell ("" when it has one).

    47 CFR 15.33(b)(1): the range runs up to the upper frequency "without going below the
    lowest frequency for which a radiated emission limit is specified"; an upper frequency
    at or below that lowest frequency (30 MHz for a device below 1.705 MHz and the 15.109
    limits) leaves no radiated range. Follows the upper frequency, in the dry run's plan line
    and in the record's "Radiated scan up to" row (``cells``: the unit's required cells).
    """
    radiated = [r for r in plan.rules.rules if r.port_kind is PortKind.POLARISATION]
    if not plan.polarisations or not radiated or plan.upper_frequency_hz is None:
        return ""
    if any(c.port_kind is PortKind.POLARISATION for c in cells):
        return ""
    lowest = min(r.start_hz for r in radiated)
    return (
        f", where the radiated limits start ({mhz_number(lowest)} MHz): no radiated cell is "
        "required (15.33(b)(1): not below the lowest frequency for which a radiated emission "
        "limit is specified)"
    )
