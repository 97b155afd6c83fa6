"""Results of ``rfcheck lot`` as data; renderers only format them.

Sign convention: ``margin_db = limit - level`` (positive = below the limit). The result of
``rfcheck compare`` is :mod:`rfcheck.lot.compare_result`; what a verdict takes on trust,
:mod:`rfcheck.lot.assumptions`.

JSON (keys stable; ``docs/lot.md``)::

    {"rfcheck_version", "margin_sign", "golden", "verdict", "notes", "scope", "plan_ports",
     "not_measured_ports", "ports_from",
     "units": [{"unit", "serial", "identical", "flags": [...], "worst_margin_db", ...,
                "ports": [{"port", "captures": [...]}]}],
     "statistics": [{"port", "limit_id", "line", "frequency_hz", "method", "n", "k",
                     "mean", "s_n", "value", "limit", "margin_db", "verdict", ...,
                     "distance_m", "distance_note"}],
     "distances": [{"port", "limit_id", "distance_m", "basis", "measured", ...}],
     "report_id": {"id", "sha256", "revision"},
     "inputs": [{"role", "path", "sha256"}], "settings", "command"}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import report_id as _rid
from .._version import __version__
from ..frequency import MAX_RANGES_NAMED, format_mhz, format_mhz_ranges
from ..outcome import MARGIN_EPS_DB, MARGIN_SIGN, Bound, Verdict, exit_code_for
from ..report.margin_text import fmt_margin
from ..results import InputFile
from .assumptions import LotAssumptions, UnitAssumptions
from .distance import LevelDistance
from .emissions import DistancePart, EmissionList
from .fingerprint import Difference
from .json_numbers import json_margin, json_number
from .ranges import range_lines, range_qualifier
from .report_ids import result_id, unhashed_captures
from .statistics import StatOutcome

__all__ = [
    "UnitResult",
    "UnitFailure",
    "StatRow",
    "LotResult",
    "PORTS_FROM_FILE_NAMES",
    "PORTS_FROM_RULES",
    "failed_by_rule_only",
]

#: ``LotResult.ports_from``: each port named by a file name without its unit text.
PORTS_FROM_FILE_NAMES = "file_name"
#: ``LotResult.ports_from``: each port given by the setup's ``[[rule]]`` ``port`` /
#: ``port_regex``, as ``rfcheck dossier`` gives it (a port's captures pooled).
PORTS_FROM_RULES = "rules"


@dataclass(frozen=True)
class UnitFailure:
    """A limit line a unit's own measurement fails on one port (its ``check`` verdict FAIL).

    ``margin_db = limit - level`` at the line's worst point, negative (over the limit) [dB];
    ``bound``: what that level is (a lower-bound level over the limit fails too);
    ``effective_margin_db``: the margin a decision rule other than ``simple`` judged there
    (``[check] decision_rule``; None under ``simple``) [dB]; ``distance_m``: the distance the
    point was judged at, for a port measured at several distances (None otherwise) [m].
    """

    port: str
    limit_id: str
    line: str
    frequency_hz: float | None
    margin_db: float | None
    bound: Bound | None = None
    effective_margin_db: float | None = None
    distance_m: float | None = None

    @property
    def by_rule_only(self) -> bool:
        """Whether only the decision rule fails it: the measured level is on or under the limit."""
        return (
            self.effective_margin_db is not None
            and self.margin_db is not None
            and self.margin_db >= -MARGIN_EPS_DB
        )

    @property
    def label(self) -> str:
        """``over the limit``, or what a FAIL by the decision rule alone is."""
        if self.by_rule_only:
            return "over the decision rule's acceptance limit (measured under the limit)"
        return "over the limit"

    @property
    def text(self) -> str:
        """``L1 fcc-15.107-b AV at 1 MHz, margin -0.20 dB`` (the port, line and worst point).

        Under a decision rule, with the margin it judged: ``..., margin +0.30 dB (decision
        rule: effective margin -0.20 dB)``; a port measured at several distances names the
        one the point was judged at: ``H fcc-15.109-a AV at 1500 MHz (judged at 3 m), ...``.
        """
        rule = (
            ""
            if self.effective_margin_db is None
            else f" (decision rule: effective margin {fmt_margin(self.effective_margin_db)} dB)"
        )
        return (
            f"{self.port} {self.limit_id} {self.line} at {format_mhz(self.frequency_hz)}"
            f"{judged_at(self.distance_m)}, margin {fmt_margin(self.margin_db, self.bound)} "
            f"dB{rule}"
        )

    def to_json(self) -> dict[str, Any]:
        """Return the failure as JSON-ready data."""
        return {
            "port": self.port,
            "limit_id": self.limit_id,
            "line": self.line,
            "frequency_hz": json_number(self.frequency_hz, 1),
            "margin_db": json_margin(self.margin_db),
            "bound": None if self.bound is None else self.bound.value,
            "effective_margin_db": json_margin(self.effective_margin_db),
            "distance_m": self.distance_m,
        }


def judged_at(distance_m: float | None) -> str:
    """`` (judged at 3 m)``: where a port measured at several distances judged a point ("")."""
    return "" if distance_m is None else f" (judged at {distance_m:g} m)"


def failed_by_rule_only(units: Iterable[UnitResult]) -> bool:
    """Return whether some unit fails a line only by the decision rule (under the limit)."""
    return any(f.by_rule_only for u in units for f in u.failures)


@dataclass(frozen=True, eq=False)
class UnitResult(UnitAssumptions):
    """One unit of a lot against the golden unit.

    Attributes
    ----------
    unit : str
    identical : bool
        Shown identical to the golden unit (no :class:`Difference` on any port).
    differences : tuple of Difference
        The evidence when not.
    verdict : Verdict
        Worst ``check`` verdict over the unit's captures (ERROR: a capture unreadable).
    worst_margin_db, worst_frequency_hz : float or None
        Worst margin over its captures and where. [dB], [Hz]
    worst_port : str
    worst_bound : Bound or None
        What the level behind the worst margin is (measured or a bound).
    worst_effective_margin_db : float or None
        The decision rule's margin at that point (None under ``simple``); under a rule the
        worst port is the one the rule judges worst. [dB]
    worst_distance_m : float or None
        The distance that point was judged at, when its port was measured at several
        distances (None otherwise). [m]
    captures : dict of str to EmissionList
        Port -> emissions (absent for a port that cannot be read or judged).
    paths : tuple of str
        Every capture of the unit, as found (also those that fit no port).
    errors : tuple of str
    ports : dict of str to tuple of str
        Port -> its captures' paths (several: judged as one pooled measurement).
    missing_ports : tuple of str
        The lot's ports (some unit has a capture of them) this unit has no capture of, then
        the setup's ``[plan]`` ports its rules require that no unit has a capture of
        (:attr:`LotResult.not_measured_ports`): the unit is INCOMPLETE for each.
    missing : tuple of str
        One line per port whose identity with the golden unit cannot be shown for missing
        data (this unit's or the golden unit's capture of it missing or unreadable), and one
        per strongest emission or harmonic family of either that the other has no reading of
        (:attr:`rfcheck.lot.fingerprint.FingerprintComparison.unshown`): not a difference,
        so not evidence of a different build.
    other_model : str
        What its captures state when they name another DUT model than the lot's
        (:func:`rfcheck.lot.stated.other_models`; empty otherwise): not the tested model, so
        not identical to it (a unit other than the golden unit is left out of the statistics).
    serial_conflict : str
        What its captures state when they name more than one DUT serial, or another than its
        ``[dut.serials]`` entry (:func:`rfcheck.lot.stated.serial_conflicts`; empty
        otherwise): its data cannot be attributed to one device, so it is not shown identical
        (a unit other than the golden unit is left out of the statistics).
    other_firmware : str
        What its captures state when they name another DUT firmware than the golden unit's
        (:func:`rfcheck.lot.stated.other_firmwares`; empty otherwise): units running other
        firmware are not identical units, so it is not identical (left out of the statistics).
    plan_gap : str
        The ``[plan]`` ports no unit of the lot was measured on, when the plan requires some
        of them (:func:`rfcheck.lot.scope.plan_gap_text`; empty otherwise): one of its flags.
    serial : str or None
        The unit's DUT serial number: the setup's ``[dut.serials]``, else what its captures'
        headers state (:func:`rfcheck.lot.stated.unit_serials`); None when none is known
        (the reports print MISSING).
    """

    unit: str
    identical: bool
    differences: tuple[Difference, ...]
    verdict: Verdict
    worst_margin_db: float | None
    worst_frequency_hz: float | None
    worst_port: str = ""
    worst_bound: Bound | None = None
    worst_effective_margin_db: float | None = None
    worst_distance_m: float | None = None
    captures: dict[str, EmissionList] = field(default_factory=dict)
    paths: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    ports: dict[str, tuple[str, ...]] = field(default_factory=dict)
    missing_ports: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    other_model: str = ""
    serial: str | None = None
    serial_conflict: str = ""
    plan_gap: str = ""
    other_firmware: str = ""

    @property
    def flags(self) -> tuple[str, ...]:
        """One line per failed, unmeasured or undecided line, difference, other model, etc.

        Each line the unit's own measurement fails, leaves not measured or undecided
        (:attr:`shortfalls`), each difference, the other model, the other firmware, the
        serial conflict, each missing port, the ``[plan]`` ports no unit was measured on
        (:attr:`plan_gap`) and each capture error; last, what its verdict takes on trust
        (:attr:`assumptions`).
        """
        return (
            tuple(f"{f.label}: {f.text}" for f in self.failures)
            + self.shortfalls
            + tuple(f"{d.port}: {d.text}" for d in self.differences)
            + ((self.other_model,) if self.other_model else ())
            + ((self.other_firmware,) if self.other_firmware else ())
            + ((self.serial_conflict,) if self.serial_conflict else ())
            + self.missing
            + ((f"lot scope: {self.plan_gap}",) if self.plan_gap else ())
            + self.errors
            + self.range_lines
            + self.assumptions
        )

    @property
    def range_only(self) -> str:
        """What the unit's PASS adds when a requested range narrows it ("": none).

        ``H, V over 30-500 MHz only, the requested range`` (:mod:`rfcheck.lot.ranges`): the
        unit column reads ``PASS (H, V over 30-500 MHz only, the requested range)``.
        """
        return range_qualifier(self.verdict, [self.captures])

    @property
    def range_lines(self) -> tuple[str, ...]:
        """Its ports' requested-range qualifiers in the check report's words (among its flags).

        ``H, V: PASS over 30-500 MHz only, the requested range; the lines are required over
        30-1000 MHz``.
        """
        return range_lines(self.verdict, self.captures)

    @property
    def failures(self) -> tuple[UnitFailure, ...]:
        """Every limit line the unit's own measurement fails, per port (its verdict FAIL).

        A unit measured over a limit fails the lot, whatever the 80/80 statistics say
        (``docs/lot.md``, "Lot verdict").
        """
        return tuple(
            UnitFailure(
                port,
                chk.limit_id,
                chk.line,
                chk.worst_frequency_hz,
                chk.worst_margin_db,
                chk.worst_bound,
                el.effective_margin_db(chk),
                el.distance_of(chk),
            )
            for port, el in self.captures.items()
            for chk in el.result.checks
            if chk.verdict is Verdict.FAIL
        )

    @property
    def shortfalls(self) -> tuple[str, ...]:
        """What the unit's own measurement leaves not measured or undecided, per port and line.

        One line per line its ``check`` verdict is INCOMPLETE for (``not measured: L1
        fcc-15.107-b QP, AV 10.0045-30 MHz``, the lines of one table with the same ranges
        together) and per line it is INCONCLUSIVE for (``undecided: L1 fcc-15.107-b AV at 1
        MHz, margin ≥ -1.00 dB; needs cispr-average measurement at 1 MHz``), as a FAIL unit's
        row names each line it fails.
        """
        gaps: dict[tuple[str, str, str], list[str]] = {}
        undecided: list[str] = []
        for port, el in self.captures.items():
            for chk in el.result.checks:
                if chk.verdict is Verdict.INCOMPLETE:
                    where = format_mhz_ranges(chk.not_evaluated_hz, MAX_RANGES_NAMED)
                    gaps.setdefault((port, chk.limit_id, where), []).append(chk.line)
                elif chk.verdict is Verdict.INCONCLUSIVE:
                    at = (
                        f" at {format_mhz(chk.worst_frequency_hz)}"
                        f"{judged_at(el.distance_of(chk))}, margin "
                        f"{fmt_margin(chk.worst_margin_db, chk.worst_bound)} dB"
                        if chk.worst_margin_db is not None
                        else ""
                    )
                    needs = f"; needs {chk.needs}" if chk.needs else ""
                    undecided.append(f"undecided: {port} {chk.limit_id} {chk.line}{at}{needs}")
        return tuple(
            f"not measured: {port} {limit_id} {', '.join(lines)}" + (f" {where}" if where else "")
            for (port, limit_id, where), lines in gaps.items()
        ) + tuple(undecided)

    @property
    def identity(self) -> str:
        """Whether the unit is shown identical to the golden unit, in one word.

        ``yes``; ``no`` (a difference shown: another build, or its captures state another
        model or firmware); ``unknown`` (not shown either way: a port's capture is missing or
        cannot be read, a unit has no reading where the other has a strongest emission, or
        its captures state more than one serial). The golden unit is ``yes``.
        """
        if self.identical:
            return "yes"
        return "no" if self.differences or self.other_model or self.other_firmware else "unknown"

    def to_json(self) -> dict[str, Any]:
        """Return the unit's row as JSON-ready data."""
        return {
            "unit": self.unit,
            "serial": self.serial,
            "identical": self.identical,
            "identity": self.identity,
            "missing_ports": list(self.missing_ports),
            "flags": list(self.flags),
            "differences": [d.to_json() for d in self.differences],
            "verdict": self.verdict.value,
            "worst_margin_db": json_margin(self.worst_margin_db),
            "worst_bound": None if self.worst_bound is None else self.worst_bound.value,
            "worst_frequency_hz": json_number(self.worst_frequency_hz, 1),
            "worst_port": self.worst_port,
            "worst_effective_margin_db": json_margin(self.worst_effective_margin_db),
            "captures": list(self.paths),
            "ports": [self.port_json(p) for p in self.ports],
            "failures": [f.to_json() for f in self.failures],
            "other_model": self.other_model or None,
            "serial_conflict": self.serial_conflict or None,
            "assumptions": list(self.assumptions),
            "assumed_dwell_lines": list(self.assumed_dwell_lines),
            "assumed_dwell_s": json_number(self.assumed_dwell_s, 3),
            "assumed_scale_ports": list(self.assumed_scale_ports),
            "worst_distance_m": self.worst_distance_m,
            "requested_range": self.range_only or None,
            "other_firmware": self.other_firmware or None,
        }

    def port_json(self, port: str) -> dict[str, Any]:
        """Return ``{port, captures, distances}`` (``distances``: :meth:`port_distances`)."""
        return {
            "port": port,
            "captures": list(self.ports.get(port, ())),
            "distances": [
                {
                    "distance_m": d.distance_m,
                    "captures": list(d.members),
                    "range_hz": None
                    if d.span_hz is None
                    else [json_number(x, 1) for x in d.span_hz],
                }
                for d in self.port_distances(port)
            ],
        }

    def port_distances(self, port: str) -> tuple[DistancePart, ...]:
        """Return the distances ``port`` was measured at, when several (10 m, 3 m above 1 GHz).

        Each with its captures and span; empty for a port measured at one distance or not
        judged (:attr:`rfcheck.lot.emissions.EmissionList.distance_parts`).
        """
        el = self.captures.get(port)
        return () if el is None else el.distance_parts

    def ports_text(self, port: str) -> str:
        """``a.csv + b.csv``; a port measured at several distances: ``a.csv (10 m) + ...``."""
        at = {m: d.distance_m for d in self.port_distances(port) for m in d.members}
        return " + ".join(
            m + (f" ({at[m]:g} m)" if m in at else "") for m in self.ports.get(port, ())
        )


@dataclass(frozen=True, eq=False)
class StatRow:
    """The 80/80 rule at one frequency of one limit line on one port."""

    port: str
    limit_id: str
    line: str
    frequency_hz: float
    unit: str
    outcome: StatOutcome
    levels: tuple[tuple[str, float], ...] = ()  #: (unit, level) of each unit used [dB(unit)]
    #: the distance the levels and the limit are at (a radiated line; None: conducted)
    distance: LevelDistance | None = None

    @property
    def verdict(self) -> Verdict:
        """The 80/80 verdict of this row."""
        return self.outcome.verdict

    @property
    def distance_note(self) -> str:
        """The distance of the row's levels and limit, and each unit re-expressed ("": none)."""
        return "" if self.distance is None else self.distance.text()

    def to_json(self) -> dict[str, Any]:
        """Return the statistics row as JSON-ready data."""
        o = self.outcome
        return {
            "port": self.port,
            "limit_id": self.limit_id,
            "line": self.line,
            "frequency_hz": json_number(self.frequency_hz, 1),
            "method": o.method.value,
            "n": o.n,
            "k": json_number(o.k, 3),
            "mean": json_number(o.mean),
            "s_n": json_number(o.s_n),
            "value": json_number(o.value),
            "limit": json_number(o.limit),
            "margin_db": json_margin(o.margin_db),
            "verdict": o.verdict.value,
            "over_limit": o.over,
            "allowed_over": o.allowed,
            "unit": self.unit,
            "note": o.note,
            "distance_m": None if self.distance is None else self.distance.distance_m,
            "distance_note": self.distance_note,
        }


@dataclass(frozen=True, eq=False)
class LotResult(LotAssumptions):
    """A lot of units against the golden (tested) unit, and the 80/80 statistics.

    ``verdict``: FAIL when a unit's own measurement fails a limit line or the statistics fail
    somewhere; ERROR when a capture could not be read; INCONCLUSIVE when a unit is shown
    different from the golden unit, its captures state another model than the lot's, or the
    statistics cannot decide; INCOMPLETE when the lot is too small for the 80/80 rule, a
    unit (the golden unit too) has no capture of a port of the lot, no unit has a capture of
    a port the setup's ``[plan]`` requires (:attr:`not_measured_ports`), or a unit the setup's
    ``[dut.serials]`` declares has no capture at all (:attr:`not_measured_units`); else PASS
    (worst first).

    ``scope`` is the ports sentence of page 1 (:func:`rfcheck.lot.scope.ports_scope_text`):
    the ports measured, the ``[plan]``'s (:attr:`plan_ports`) measured on no unit, those
    measured on some units only.

    ``inputs`` lists every file the result depends on (each capture of each unit, the setup,
    limit and transducer files) with its SHA-256, in the shape of ``check``'s and the
    dossier's; ``settings`` holds the lot's parameters and each capture's effective settings.
    ``ports_from`` says what named the ports (:data:`PORTS_FROM_RULES`,
    :data:`PORTS_FROM_FILE_NAMES`).
    """

    golden: str
    units: tuple[UnitResult, ...]
    statistics: tuple[StatRow, ...]
    verdict: Verdict
    notes: tuple[str, ...] = ()
    tolerance_hz: dict[str, float] = field(default_factory=dict)
    command: str = ""
    inputs: tuple[InputFile, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    ports_from: str = PORTS_FROM_FILE_NAMES
    #: what the lot folder holds that no unit uses, and why no port is shared (also in
    #: ``notes``); ``rfcheck lot`` prints them on stderr too
    input_notes: tuple[str, ...] = ()
    #: per port and radiated limit, the one distance the statistics take levels at
    distances: tuple[LevelDistance, ...] = ()
    #: ``(unit, serial)`` of each unit the setup's ``[dut.serials]`` declares that has no
    #: capture in the lot: not measured, not covered by the verdict (at most INCOMPLETE)
    not_measured_units: tuple[tuple[str, str], ...] = ()
    #: every port the setup's ``[plan]`` names (mains lines, then polarisations)
    plan_ports: tuple[str, ...] = ()
    #: the ``[plan]`` ports its rules require that no unit has a capture of: INCOMPLETE
    not_measured_ports: tuple[str, ...] = ()
    #: what the lot measured and did not (:func:`rfcheck.lot.scope.ports_scope_text`)
    scope: str = ""

    @property
    def range_only(self) -> str:
        """What the lot's PASS adds when a requested range narrows it ("": none).

        ``H, V over 30-500 MHz only, the requested range``: the units' verdicts and the
        statistics judge no reading outside it (:mod:`rfcheck.lot.ranges`).
        """
        return range_qualifier(self.verdict, [u.captures for u in self.units])

    @property
    def not_measured_text(self) -> str:
        """``u6 (S6), u7 (S7)``: the declared units not measured, with their serials."""
        return ", ".join(f"{u} ({s})" for u, s in self.not_measured_units)

    def distance(self, port: str, limit_id: str) -> LevelDistance | None:
        """Return the distance ``port``'s levels against ``limit_id`` are taken at (None: none)."""
        return next((d for d in self.distances if (d.port, d.limit_id) == (port, limit_id)), None)

    @property
    def exit_code(self) -> int:
        """0 pass, 1 a unit or the statistics fail, 3 unreadable, 4 undecided, 5 missing data.

        5: too few units, a port's capture missing (on some units, or a ``[plan]`` port on
        all), a declared unit not measured.
        """
        return exit_code_for(self.verdict)

    @property
    def report_id(self) -> _rid.ReportId:
        """The id of this result (:func:`rfcheck.report_id.report_id`), as ``check`` derives it.

        SHA-256 of every input (role, path as given, SHA-256; a capture that could not be
        hashed by its path), the settings (the lot's and each capture's) and the rfcheck
        version. Two lot results share it only when all of these are equal.
        """
        return result_id(self.inputs, self.unhashed, self.settings)

    @property
    def unhashed(self) -> list[str]:
        """Captures of the lot that could not be hashed (not in ``inputs``)."""
        return unhashed_captures(self.inputs, tuple(p for u in self.units for p in u.paths))

    @property
    def n_in_statistics(self) -> int:
        """Units the statistics are over: the golden unit and those shown identical to it."""
        return sum(1 for u in self.units if u.identical or u.unit == self.golden)

    @property
    def ports(self) -> list[str]:
        """Every port of the lot, in discovery order."""
        return list(dict.fromkeys(p for u in self.units for p in u.captures))

    def to_json(self) -> dict[str, Any]:
        """Return the lot result as JSON-ready data."""
        return {
            "rfcheck_version": __version__,
            "margin_sign": MARGIN_SIGN,
            "golden": self.golden,
            "verdict": self.verdict.value,
            "notes": list(self.notes),
            "scope": self.scope,
            "plan_ports": list(self.plan_ports),
            "not_measured_ports": list(self.not_measured_ports),
            "ports_from": self.ports_from,
            "tolerance_hz": {k: json_number(v, 1) for k, v in self.tolerance_hz.items()},
            "assumed": list(self.assumed),
            "assumptions": list(self.assumptions),
            "requested_range": self.range_only or None,
            "units": [u.to_json() for u in self.units],
            "not_measured_units": [{"unit": u, "serial": s} for u, s in self.not_measured_units],
            "statistics": [s.to_json() for s in self.statistics],
            "distances": [d.to_json() for d in self.distances],
            "report_id": self.report_id.as_dict(),
            "inputs": [i.to_json() for i in self.inputs],
            "settings": self.settings,
            "command": self.command,
        }
