"""Stated decision rules: how a reading, its bound type and the lab's uncertainty give a verdict.

``--decision-rule`` takes one of:

- ``simple`` (default, the FCC reading): compare the level with the limit as measured.
- ``cispr16-4-2``: when the lab's expanded uncertainty U_lab exceeds U_cispr for that
  measurement, the excess ``U_lab - U_cispr`` is added to the level before comparing;
  U_cispr values are data (``limits/uncertainty/cispr16-4-2.toml``), every one of them
  UNCONFIRMED (docs/references.md §6), which a result says.
- ``guard-band:DB`` (ILAC G8 style, a guard band of DB dB): PASS only at or below
  ``limit - DB``, FAIL only above ``limit + DB``, INCONCLUSIVE in between.

Bounds keep their meaning under every rule: an upper bound (e.g. a peak reading for a QP
line) can only PASS or stay INCONCLUSIVE, a lower bound can only FAIL or stay INCONCLUSIVE.
PASS is "at or below" the acceptance limit, FAIL "above" the rejection limit, as in the
verdict. See ``docs/explain.md``.

References
----------
CISPR 16-4-2 (compliance criterion with U_cispr); ILAC G8 (decision rules, guard bands).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from ..errors import AnalysisError, LimitFileError
from ..limits import STATUSES, shipped_root
from ..outcome import Bound, Verdict

__all__ = [
    "RuleKind",
    "DecisionRule",
    "SIMPLE",
    "Decision",
    "UCispr",
    "parse_decision_rule",
    "UNCONFIRMED_U_CISPR_NOTE",
    "apply_rule",
    "u_cispr_table",
    "u_cispr_for",
]


class RuleKind(StrEnum):
    """The decision rules rfcheck knows."""

    SIMPLE = "simple"
    CISPR16_4_2 = "cispr16-4-2"
    GUARD_BAND = "guard-band"


@dataclass(frozen=True)
class DecisionRule:
    """A decision rule; ``guard_db`` only for :attr:`RuleKind.GUARD_BAND` [dB]."""

    kind: RuleKind = RuleKind.SIMPLE
    guard_db: float = 0.0

    @property
    def text(self) -> str:
        """The ``--decision-rule`` spelling: ``simple``, ``cispr16-4-2``, ``guard-band:2``."""
        if self.kind is RuleKind.GUARD_BAND:
            return f"{self.kind.value}:{self.guard_db:g}"
        return self.kind.value

    @property
    def description(self) -> str:
        """The rule in words, as printed on every report."""
        if self.kind is RuleKind.GUARD_BAND:
            g = f"{self.guard_db:g}"
            return (
                f"{self.text} (ILAC G8 guard band: PASS at or below limit - {g} dB, FAIL "
                f"above limit + {g} dB, INCONCLUSIVE in between)"
            )
        if self.kind is RuleKind.CISPR16_4_2:
            return (
                f"{self.text} (U_lab - U_cispr, when positive, is added to the level before "
                "comparing with the limit)"
            )
        return f"{self.text} (the level is compared with the limit as measured)"

    def to_dict(self) -> dict[str, Any]:
        """JSON view (the ``decision_rule`` key)."""
        out: dict[str, Any] = {"rule": self.kind.value, "text": self.text}
        if self.kind is RuleKind.GUARD_BAND:
            out["guard_db"] = self.guard_db
        return out


#: The default rule.
SIMPLE = DecisionRule()

#: Printed with every cispr16-4-2 result (docs/references.md §6: the table was not verified).
UNCONFIRMED_U_CISPR_NOTE = (
    "decision rule cispr16-4-2: the U_cispr values are UNCONFIRMED (CISPR 16-4-2 table "
    "not verified); verify before relying on the result"
)

_GUARD_RE = re.compile(
    r"^guard-band:\s*(?P<db>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(?:dB)?$", re.IGNORECASE
)


def parse_decision_rule(text: str) -> DecisionRule:
    """Parse ``simple``, ``cispr16-4-2`` or ``guard-band:DB`` (DB >= 0, optional ``dB``).

    Raises
    ------
    ValueError
        Anything else; the message lists the accepted forms.
    """
    t = text.strip().lower()
    if t == RuleKind.SIMPLE.value:
        return SIMPLE
    if t == RuleKind.CISPR16_4_2.value:
        return DecisionRule(RuleKind.CISPR16_4_2)
    m = _GUARD_RE.match(t)
    if m is not None:
        db = float(m["db"])
        if math.isfinite(db):
            return DecisionRule(RuleKind.GUARD_BAND, db)
    raise ValueError(
        f"unknown decision rule {text!r}: use simple, cispr16-4-2 or guard-band:DB "
        "(DB a number of dB >= 0, e.g. guard-band:2)"
    )


@dataclass(frozen=True)
class UCispr:
    """One U_cispr row. ``start_hz``/``stop_hz`` [Hz], ``u_cispr_db`` [dB]."""

    id: str
    description: str
    port: str
    start_hz: float
    stop_hz: float
    u_cispr_db: float
    status: str


_UCISPR_FILE = ("uncertainty", "cispr16-4-2.toml")
_UCISPR_KEYS = ("id", "description", "port", "start_hz", "stop_hz", "u_cispr_db", "status")


def _ucispr_row(row: Any, i: int, where: str) -> UCispr:
    if not isinstance(row, dict) or set(row) != set(_UCISPR_KEYS):
        raise LimitFileError(
            f"[[measurement]] #{i}: expected exactly the keys {list(_UCISPR_KEYS)}", where
        )
    nums = [row[k] for k in ("start_hz", "stop_hz", "u_cispr_db")]
    if not all(isinstance(x, int | float) and not isinstance(x, bool) and x > 0 for x in nums):
        raise LimitFileError(
            f"[[measurement]] #{i}: start_hz, stop_hz, u_cispr_db must be numbers > 0", where
        )
    if row["status"] not in STATUSES or row["port"] not in ("conducted", "radiated"):
        raise LimitFileError(
            f"[[measurement]] #{i}: bad status {row['status']!r} or port {row['port']!r}", where
        )
    if row["start_hz"] >= row["stop_hz"]:
        raise LimitFileError(f"[[measurement]] #{i}: start_hz must be below stop_hz", where)
    return UCispr(
        str(row["id"]),
        str(row["description"]),
        row["port"],
        float(row["start_hz"]),
        float(row["stop_hz"]),
        float(row["u_cispr_db"]),
        row["status"],
    )


@lru_cache(maxsize=1)
def u_cispr_table() -> tuple[UCispr, ...]:
    """Return the shipped U_cispr rows (``limits/uncertainty/cispr16-4-2.toml``), validated.

    Raises
    ------
    LimitFileError
        The data file is malformed (a packaging error).
    """
    res = shipped_root().joinpath(*_UCISPR_FILE)
    where = "rfcheck.limit_tables/" + "/".join(_UCISPR_FILE)
    doc = tomllib.loads(res.read_text(encoding="utf-8"))
    return tuple(_ucispr_row(r, i, where) for i, r in enumerate(doc.get("measurement", []), 1))


def u_cispr_for(port: str, freq_hz: float) -> UCispr | None:
    """Return the U_cispr row for a measurement: ``port`` (conducted | radiated) and frequency [Hz].

    At a shared edge (150 kHz, 1 GHz, 6 GHz) the smaller U_cispr applies (the larger excess
    is added). None where no row covers the frequency.
    """
    rows = [r for r in u_cispr_table() if r.port == port and r.start_hz <= freq_hz <= r.stop_hz]
    return min(rows, key=lambda r: r.u_cispr_db) if rows else None


@dataclass(frozen=True)
class Decision:
    """The verdict of one reading under a rule.

    Attributes
    ----------
    verdict : Verdict
    effective_margin_db : float
        Margin against the acceptance limit, positive = PASS side: ``limit - level`` for
        simple, ``limit - (level + excess)`` for cispr16-4-2, ``(limit - guard) - level``
        for guard-band. [dB]
    added_db : float
        Uncertainty excess added to the level (cispr16-4-2), else 0. [dB]
    """

    verdict: Verdict
    effective_margin_db: float
    added_db: float = 0.0


#: dB comparisons tolerate float rounding (46.02 - 2 - 0.01 is not 44.01 exactly). [dB]
_EPS_DB = 1e-9


def _judge(level: float, accept_at: float, reject_above: float, bound: Bound) -> Verdict:
    passes = level <= accept_at + _EPS_DB
    fails = level > reject_above + _EPS_DB
    if bound is Bound.MEASURED:
        return Verdict.PASS if passes else (Verdict.FAIL if fails else Verdict.INCONCLUSIVE)
    if bound is Bound.UPPER:  # the true level is at most the reading
        return Verdict.PASS if passes else Verdict.INCONCLUSIVE
    return Verdict.FAIL if fails else Verdict.INCONCLUSIVE  # lower bound: at least the reading


def apply_rule(
    rule: DecisionRule,
    level: float,
    limit: float,
    bound: Bound = Bound.MEASURED,
    u_lab_db: float | None = None,
    u_cispr_db: float | None = None,
) -> Decision:
    """Judge one reading under a decision rule.

    Parameters
    ----------
    rule : DecisionRule
    level : float
        Corrected reading. [dBµV or dBµV/m]
    limit : float
        Limit at that frequency, same unit. [dBµV or dBµV/m]
    bound : Bound
        Whether the reading measures the line's quantity or bounds it.
    u_lab_db : float, optional
        The lab's expanded uncertainty for this measurement (cispr16-4-2 only). [dB]
    u_cispr_db : float, optional
        U_cispr for this measurement (cispr16-4-2 only; :func:`u_cispr_for`). [dB]

    Returns
    -------
    Decision

    Raises
    ------
    AnalysisError
        ``cispr16-4-2`` without U_lab or U_cispr.

    References
    ----------
    CISPR 16-4-2 (U_lab > U_cispr: the excess is added to the level); ILAC G8 (guard band).
    """
    if rule.kind is RuleKind.CISPR16_4_2:
        if u_lab_db is None or u_cispr_db is None:
            raise AnalysisError(
                "decision rule cispr16-4-2 needs U_lab (setup [test] u_lab_db for the port) "
                "and a U_cispr for the measurement"
            )
        added = max(0.0, u_lab_db - u_cispr_db)
        eff = level + added
        return Decision(_judge(eff, limit, limit, bound), limit - eff, added)
    if rule.kind is RuleKind.GUARD_BAND:
        g = rule.guard_db
        return Decision(_judge(level, limit - g, limit + g, bound), (limit - g) - level)
    return Decision(_judge(level, limit, limit, bound), limit - level)
