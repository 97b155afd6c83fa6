"""The decision rule a unit's ports were judged under, as its record names it.

Under ``[check] decision_rule`` other than ``simple`` (``cispr16-4-2``, ``guard-band:DB``)
a cell's verdict is the rule's, not the measured margin's: a FAIL can stand beside a positive
margin. Wherever the record shows a verdict and a margin it then names the rule, the U_lab
it used for the port (cispr16-4-2), the rule's shift and the effective margin, as ``check``
prints them (:func:`rfcheck.report.margin_text.fmt_rule_margin`); and the warning ``check``
prints about the U_cispr values. Under ``simple`` there is no :class:`PortRule` and nothing
of this is shown. See ``docs/dossier.md``, "Decision rule".

References
----------
CISPR 16-4-2 (compliance criterion with U_cispr); ILAC G8 (guard band).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..outcome import Bound
from ..report.margin_text import fmt_margin, fmt_rule_margin
from ..results import Suspect
from ..verdict.decision import (
    UNCONFIRMED_U_CISPR_NOTE,
    Decision,
    DecisionRule,
    RuleKind,
)
from ..verdict.rule import decide_suspect, rule_at_point
from .plan_rules import PortKind

if TYPE_CHECKING:
    from ..settings import CheckSettings

__all__ = [
    "PortRule",
    "port_rule",
    "rule_cover_lines",
    "rule_json",
    "rule_warnings",
    "rule_settings",
    "rule_summary",
    "cell_rule_text",
    "effective_text",
    "EFFECTIVE_PREFIX",
    "rule_shift_text",
]


@dataclass(frozen=True)
class PortRule:
    """The decision rule one port's captures were judged under.

    Attributes
    ----------
    port : str
        The port label (``L1``, ``H``).
    rule : DecisionRule
        Never ``simple`` (a port judged by the simple rule has no PortRule).
    measurement : str
        ``conducted`` or ``radiated``: the U_cispr row the rule looks up.
    u_lab_db : float or None
        The lab's U_lab the port was judged with (cispr16-4-2; setup ``[test] u_lab_db``,
        the port label before its kind); None for a guard band. [dB]
    """

    port: str
    rule: DecisionRule
    measurement: str
    u_lab_db: float | None = None

    def at(self, freq_hz: float, margin_db: float, bound: Bound) -> tuple[float, float] | None:
        """Return (shift, effective margin) [dB] of a point of margin ``margin_db`` [dB].

        None where the rule does not apply (no U_cispr row at ``freq_hz`` [Hz]: judged
        there by the simple rule). The effective margin is ``margin_db - shift`` whatever
        the limit, so the limit is taken as 0.
        """
        return rule_at_point(
            self.rule, self.measurement, self.u_lab_db, freq_hz, margin_db, 0.0, bound
        )

    def decide(self, s: Suspect) -> Decision:
        """Return a suspect's verdict under the rule (the simple rule where no U_cispr row is)."""
        return decide_suspect(self.rule, self.measurement, self.u_lab_db, s)

    @property
    def text(self) -> str:
        """``cispr16-4-2, U_lab 10.4 dB`` (``guard-band:2``: the rule alone)."""
        if self.u_lab_db is None or self.rule.kind is not RuleKind.CISPR16_4_2:
            return self.rule.text
        return f"{self.rule.text}, U_lab {self.u_lab_db:g} dB"

    def to_json(self) -> dict[str, Any]:
        """``{"port", "rule", "measurement", "u_lab_db"}``."""
        return {
            "port": self.port,
            "rule": self.rule.text,
            "measurement": self.measurement,
            "u_lab_db": self.u_lab_db,
        }


def port_rule(port: str, kind: PortKind, settings: CheckSettings | None) -> PortRule | None:
    """Return the rule a port's pool is judged under (its first member's ``settings``).

    None under ``simple`` or for a port with no capture (``settings`` None).
    """
    if settings is None or settings.rule.kind is RuleKind.SIMPLE:
        return None
    measurement = "conducted" if kind is PortKind.MAINS else "radiated"
    u_lab = settings.u_lab_for(measurement) if settings.rule.kind is RuleKind.CISPR16_4_2 else None
    return PortRule(port, settings.rule, measurement, u_lab)


def cell_rule_text(
    rule: PortRule | None,
    shift_db: float | None,
    effective_db: float | None,
    bound: Bound | None = None,
) -> str:
    """Say how the rule judged a cell's worst point ("" under ``simple``).

    ``decision rule cispr16-4-2, U_lab 10.4 dB: rule shift +7.00 dB, effective margin
    -0.42 dB``; where no U_cispr row covers the point, that it was judged by the simple rule.
    """
    if rule is None:
        return ""
    shifted = fmt_rule_margin(shift_db, effective_db, bound)
    if not shifted:
        return f"decision rule {rule.text}: not applied at this frequency (no U_cispr; simple rule)"
    return f"decision rule {rule.text}: {shifted}"


def rule_shift_text(rule: PortRule | None, shift_db: float | None) -> str:
    """Return the rule and its shift, briefly, for a table cell ("" under ``simple``).

    ``cispr16-4-2, U_lab 10.4 dB: shift +7.00 dB``; ``... : not applied (no U_cispr)``.
    """
    if rule is None:
        return ""
    if shift_db is None:
        return f"{rule.text}: not applied (no U_cispr)"
    return f"{rule.text}: shift {shift_db:+.2f} dB"


#: What starts the effective margin below a matrix margin (``eff. -0.42``); the dossier's
#: CSV moves it to the basis (:mod:`rfcheck.report.dossier`).
EFFECTIVE_PREFIX = "eff. "


def effective_text(effective_db: float | None, bound: Bound | None = None) -> str:
    """Return the effective margin as the matrix's margin column adds it (``eff. -0.42``)."""
    return "" if effective_db is None else f"{EFFECTIVE_PREFIX}{fmt_margin(effective_db, bound)}"


def _kinds(rules: Sequence[PortRule]) -> list[DecisionRule]:
    return list(dict.fromkeys(r.rule for r in rules))


def rule_warnings(rules: Sequence[PortRule]) -> tuple[str, ...]:
    """Return the warnings ``check`` prints under these rules (the U_cispr values' status)."""
    if any(r.rule.kind is RuleKind.CISPR16_4_2 for r in rules):
        return (UNCONFIRMED_U_CISPR_NOTE,)
    return ()


def _u_lab_line(rules: Sequence[PortRule]) -> str:
    used = [f"{r.port} {r.u_lab_db:g} dB" for r in rules if r.u_lab_db is not None]
    return f"U_lab used per port: {', '.join(used)}" if used else ""


def rule_cover_lines(rules: Sequence[PortRule]) -> tuple[str, ...]:
    """Return the cover's ``Decision rule`` row: each rule in words, U_lab per port, the warning.

    Empty under ``simple`` (the cover then has no such row). A rule that does not apply to
    every judged port names the ports it does.
    """
    if not rules:
        return ()
    lines = []
    kinds = _kinds(rules)
    for k in kinds:
        ports = [r.port for r in rules if r.rule == k]
        where = f" (ports {', '.join(ports)})" if len(kinds) > 1 else ""
        lines.append(f"{k.description}{where}")
    lines.append(_u_lab_line(rules))
    lines.append(
        "a verdict is the rule's: see each cell's rule shift and effective margin "
        "(margin - shift), beside its measured margin"
    )
    lines += [f"WARNING: {w}" for w in rule_warnings(rules)]
    return tuple(line for line in lines if line)


def rule_summary(rules: Sequence[PortRule]) -> str:
    """Return one line for the terminal and the entry sheet ("" under ``simple``).

    ``cispr16-4-2; U_lab used per port: L1 3.4 dB, L2 10.4 dB; U_cispr values UNCONFIRMED``.
    """
    if not rules:
        return ""
    parts = [", ".join(k.text for k in _kinds(rules)), _u_lab_line(rules)]
    if rule_warnings(rules):
        parts.append("U_cispr values UNCONFIRMED (CISPR 16-4-2 table not verified)")
    return "; ".join(p for p in parts if p)


def rule_json(rules: Sequence[PortRule]) -> dict[str, Any] | None:
    """Return the unit's ``decision_rule`` in ``dossier.json``; None under ``simple``."""
    if not rules:
        return None
    kinds = _kinds(rules)
    return {
        "rules": [k.to_dict() | {"description": k.description} for k in kinds],
        "ports": [r.to_json() for r in rules],
        "warnings": list(rule_warnings(rules)),
    }


def rule_settings(rules: Sequence[PortRule]) -> dict[str, Any]:
    """Return what the manifest's settings record of the rules (``{}`` under ``simple``)."""
    if not rules:
        return {}
    return {
        "decision_rule": {
            "rules": [k.text for k in _kinds(rules)],
            "u_lab_db": {r.port: r.u_lab_db for r in rules if r.u_lab_db is not None},
        }
    }
