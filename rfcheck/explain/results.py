"""What ``explain`` concludes, as data: per emission row, per capture, per run.

JSON keys (``to_dict``), as issue 14 lists them: each row has its level's ``bound``,
``attribution: [{source, harmonic, frequency_hz, error_hz}]`` (empty: unexplained) and, with
an ambient capture, ``ambient_db``; a capture has ``families: [{f0_hz, source,
members_hz}]``; a run has ``decision_rule`` and the 47 CFR 15.33(b)(1) ``warnings``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..outcome import Bound, round_margin
from ..verdict.decision import SIMPLE, Decision, DecisionRule
from .ambient import AmbientFlag, AmbientOutcome
from .attribution import Candidate
from .clocks import Clock
from .families import Family
from .range_check import RangeWarning

__all__ = ["RowExplanation", "CaptureExplanation", "Explanation"]


@dataclass(frozen=True)
class RowExplanation:
    """One suspect / final-measurement row explained.

    Attributes
    ----------
    frequency_hz : float
        [Hz]
    level : float
        Corrected level. [dBµV or dBµV/m]
    unit : str
    margin_db : float
        ``limit - level``. [dB]
    verdict : str
        The row's verdict as judged.
    limit_id, line : str
    bound : Bound
        What the level proves about the line's quantity (``measured``: exact; ``upper
        bound``, ``lower bound``, ``no bound``), as the suspect table and summary.csv's
        ``worst_bound`` say it: the margin is then a lower, an upper or no bound on the true
        one (``docs/verdict.md``, "Worst margin").
    attribution : tuple of Candidate
        Candidate sources, likeliest first; empty = unexplained.
    ambient : AmbientFlag or None
        The ambient at this frequency (None without an ambient capture).
    decision : Decision or None
        The row under the run's decision rule (None where the rule cannot be applied, e.g.
        no U_cispr covers the frequency).
    """

    frequency_hz: float
    level: float
    unit: str
    margin_db: float
    verdict: str
    limit_id: str
    line: str
    bound: Bound
    attribution: tuple[Candidate, ...] = ()
    ambient: AmbientFlag | None = None
    decision: Decision | None = None

    @property
    def explained(self) -> bool:
        """True when a source explains the row."""
        return bool(self.attribution)

    def to_dict(self) -> dict[str, Any]:
        """JSON view; ``ambient_db`` and ``ambient`` only with an ambient capture."""
        out: dict[str, Any] = {
            "frequency_hz": round(self.frequency_hz, 1),
            "level": round(self.level, 2),
            "unit": self.unit,
            "margin_db": round_margin(self.margin_db),
            "bound": self.bound.value,
            "verdict": self.verdict,
            "limit_id": self.limit_id,
            "line": self.line,
            "attribution": [c.to_dict() for c in self.attribution],
        }
        if self.decision is not None:
            out["decision"] = {
                "verdict": self.decision.verdict.value,
                "effective_margin_db": round_margin(self.decision.effective_margin_db),
                "added_db": round(self.decision.added_db, 2),
            }
        if self.ambient is not None:
            amb = self.ambient.to_dict()
            out["ambient_db"] = amb["ambient_db"]
            out["ambient"] = amb["ambient"]
        return out


@dataclass(frozen=True)
class CaptureExplanation:
    """One capture explained.

    Attributes
    ----------
    path : str
    resolution_hz : float
        Frequency resolution used for matching, ``max(RBW / 2, step)``. [Hz]
    families : tuple of Family
        Declared clocks' families first, then inferred ones.
    rows : tuple of RowExplanation
    ambient_path : str or None
    ambient_outcome : AmbientOutcome or None
        The verdict after the ambient rule (None without an ambient capture).
    ambient_near_limit_hz : tuple of (float, float)
        Ranges where the ambient is within the threshold of a limit. [Hz]
    no_rows : str
        Why the suspect table is empty ("" when it has rows): no reading bounds a level, or
        none is within the window of a limit (:func:`rfcheck.explain.pipeline.no_rows_reason`).
    """

    path: str
    resolution_hz: float
    families: tuple[Family, ...] = ()
    rows: tuple[RowExplanation, ...] = ()
    ambient_path: str | None = None
    ambient_outcome: AmbientOutcome | None = None
    ambient_near_limit_hz: tuple[tuple[float, float], ...] = ()
    no_rows: str = ""

    @property
    def unexplained_hz(self) -> tuple[float, ...]:
        """Rows no source explains [Hz]."""
        return tuple(r.frequency_hz for r in self.rows if not r.explained)

    def to_dict(self) -> dict[str, Any]:
        """JSON view."""
        out: dict[str, Any] = {
            "path": self.path,
            "resolution_hz": round(self.resolution_hz, 1),
            "families": [f.to_dict() for f in self.families],
            "rows": [r.to_dict() for r in self.rows],
            "unexplained_hz": [round(f, 1) for f in self.unexplained_hz],
        }
        if not self.rows:
            out["no_rows"] = self.no_rows
        if self.ambient_path is not None:
            out["ambient"] = {
                "path": self.ambient_path,
                "outcome": self.ambient_outcome.to_dict() if self.ambient_outcome else None,
                "near_limit_hz": [
                    [round(a, 1), round(b, 1)] for a, b in self.ambient_near_limit_hz
                ],
            }
        return out


@dataclass(frozen=True)
class Explanation:
    """A whole ``explain`` run."""

    captures: tuple[CaptureExplanation, ...]
    clocks: tuple[Clock, ...] = ()
    range_warnings: tuple[RangeWarning, ...] = ()
    decision_rule: DecisionRule = SIMPLE
    #: Notes on the decision rule (U_cispr values UNCONFIRMED, rows it could not judge).
    notes: tuple[str, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """The 47 CFR 15.33(b)(1) warnings as report lines, then the decision-rule notes."""
        return tuple(w.message for w in self.range_warnings) + self.notes

    def to_dict(self) -> dict[str, Any]:
        """JSON view."""
        return {
            "decision_rule": self.decision_rule.to_dict(),
            "clocks": [c.to_dict() for c in self.clocks],
            "warnings": list(self.warnings),
            "range_check": [w.to_dict() for w in self.range_warnings],
            "captures": [c.to_dict() for c in self.captures],
        }
