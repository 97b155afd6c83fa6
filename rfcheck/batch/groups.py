"""Group a batch's rows into units and take the worst case of each.

One :class:`GroupResult` per unit the group pattern finds (``docs/batch.md``, "Grouping rule"):
the worst member verdict, the member that decides it, the tightest measured margin, and the
members whose assumptions the verdict rests on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..outcome import Verdict, combine_verdicts
from ..report.assumed_text import ASSUMED_DWELL, ASSUMED_SCALE
from .assumptions import resting_on
from .discover import group_key
from .results import SummaryRow, overall_coverage

__all__ = ["GroupResult", "group_rows", "deciding_row"]


def deciding_row(rows: Sequence[SummaryRow]) -> SummaryRow | None:
    """Return the member that decides a group's verdict.

    Among the rows with the worst verdict (FAIL > ERROR > INCONCLUSIVE > INCOMPLETE > PASS),
    the one with the smallest worst margin (then the lowest frequency, then summary order);
    the first such row when none has a margin.
    """
    if not rows:
        return None
    worst = combine_verdicts([r.verdict for r in rows])
    same = [r for r in rows if r.verdict is worst]
    scored = [r for r in same if r.worst_margin_db is not None]
    if not scored:
        return same[0]
    return min(scored, key=lambda r: (r.worst_margin_db, r.worst_frequency_hz or 0.0))


@dataclass(frozen=True)
class GroupResult:
    """The worst case over the captures of one unit.

    Attributes
    ----------
    name : str
        The ``unit`` text the group pattern found (or the path of an ungrouped input).
    verdict : Verdict
        Worst member verdict: FAIL > ERROR > INCONCLUSIVE > INCOMPLETE > PASS.
    coverage : str
        ``complete`` when every member's coverage is, ``none`` when no member's was
        evaluated, else ``partial``.
    members : tuple of str
        Member paths, in summary order.
    worst_margin_db : float or None
        Worst margin of the member that decides the verdict (:func:`deciding_row`: the
        members with the worst verdict, then the smallest margin). [dB]
    worst_frequency_hz : float or None
        Where it occurs. [Hz]
    worst_limit, worst_path : str
        Limit line and member of that margin (``worst_path`` is the deciding member even
        when it has no margin, e.g. an ERROR).
    worst_bound : str
        What the level there is, as :attr:`SummaryRow.worst_bound`.
    tightest_margin_db, tightest_frequency_hz, tightest_bound, tightest_limit, tightest_path
        The smallest :attr:`SummaryRow.tightest_margin_db` over the members (then the lowest
        frequency, then summary order), with its member; empty when no member has one.
    requested_range : str
        For a PASS group, the members' :attr:`SummaryRow.requested_range` statements
        (distinct, "; "-joined): the group's PASS holds over those ranges only; else "".
    assumed_dwell_paths, assumed_scale_paths : tuple of str
        The members whose assumed dwell or scale the group's verdict rests on
        (:func:`resting_on`): its verdict is qualified ``PASS (ASSUMED DWELL)``.
    """

    name: str
    verdict: Verdict
    members: tuple[str, ...]
    worst_margin_db: float | None = None
    worst_frequency_hz: float | None = None
    worst_limit: str = ""
    worst_path: str = ""
    coverage: str = "partial"
    worst_bound: str = ""
    tightest_margin_db: float | None = None
    tightest_frequency_hz: float | None = None
    tightest_bound: str = ""
    tightest_limit: str = ""
    tightest_path: str = ""
    requested_range: str = ""
    assumed_dwell_paths: tuple[str, ...] = ()
    assumed_scale_paths: tuple[str, ...] = ()

    @property
    def assumed(self) -> tuple[str, ...]:
        """What the group's verdict takes on trust, as labels (``ASSUMED DWELL``)."""
        return ((ASSUMED_DWELL,) if self.assumed_dwell_paths else ()) + (
            (ASSUMED_SCALE,) if self.assumed_scale_paths else ()
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (``paths`` lists the members)."""
        return {
            "group": self.name,
            "verdict": self.verdict.value,
            "coverage": self.coverage,
            "members": len(self.members),
            "worst_margin_db": self.worst_margin_db,
            "worst_frequency_hz": self.worst_frequency_hz,
            "worst_bound": self.worst_bound,
            "worst_limit": self.worst_limit,
            "worst_path": self.worst_path,
            "paths": list(self.members),
            "tightest_margin_db": self.tightest_margin_db,
            "tightest_frequency_hz": self.tightest_frequency_hz,
            "tightest_bound": self.tightest_bound,
            "tightest_limit": self.tightest_limit,
            "tightest_path": self.tightest_path,
            "requested_range": self.requested_range,
            "assumed_dwell_paths": list(self.assumed_dwell_paths),
            "assumed_scale_paths": list(self.assumed_scale_paths),
        }


def group_rows(
    rows: Sequence[SummaryRow], rels: Sequence[str], pattern: re.Pattern[str] | None
) -> tuple[list[SummaryRow], list[GroupResult]]:
    """Assign each row its group and compute the worst case per group.

    Returns the rows with ``group`` filled in and the groups in order of first member
    (both unchanged/empty when ``pattern`` is None).
    """
    if pattern is None:
        return list(rows), []
    out_rows: list[SummaryRow] = []
    members: dict[str, list[SummaryRow]] = {}
    for row, rel in zip(rows, rels, strict=True):
        name = group_key(rel, pattern) or row.path
        row = replace(row, group=name)
        out_rows.append(row)
        members.setdefault(name, []).append(row)
    groups = []
    for name, rs in members.items():
        worst = deciding_row(rs)
        tight = _tightest_row(rs)
        verdict = combine_verdicts([r.verdict for r in rs])
        scopes = dict.fromkeys(r.requested_range for r in rs if r.requested_range)
        groups.append(
            GroupResult(
                name=name,
                verdict=verdict,
                coverage=overall_coverage(rs),
                members=tuple(r.path for r in rs),
                worst_margin_db=worst.worst_margin_db if worst else None,
                worst_frequency_hz=worst.worst_frequency_hz if worst else None,
                worst_limit=worst.worst_limit if worst else "",
                worst_bound=worst.worst_bound if worst else "",
                worst_path=worst.path if worst else "",
                tightest_margin_db=tight.tightest_margin_db if tight else None,
                tightest_frequency_hz=tight.tightest_frequency_hz if tight else None,
                tightest_bound=tight.tightest_bound if tight else "",
                tightest_limit=tight.tightest_limit if tight else "",
                tightest_path=tight.path if tight else "",
                requested_range="; ".join(scopes) if verdict is Verdict.PASS else "",
                assumed_dwell_paths=tuple(r.path for r in resting_on(rs, verdict, ASSUMED_DWELL)),
                assumed_scale_paths=tuple(r.path for r in resting_on(rs, verdict, ASSUMED_SCALE)),
            )
        )
    return out_rows, groups


def _tightest_row(rows: Sequence[SummaryRow]) -> SummaryRow | None:
    """Return the member with the smallest tightest measured margin (None when none has one)."""
    scored = [r for r in rows if r.tightest_margin_db is not None]
    if not scored:
        return None
    return min(scored, key=lambda r: (r.tightest_margin_db or 0.0, r.tightest_frequency_hz or 0.0))
