"""A limit line's pooled points and the decision over them under the simple rule.

Every trace's points of one line, end to end (:class:`Pool`), judged point by point
(:func:`decide`, ``docs/verdict.md``, "Per frequency"); under a decision rule, the upper
bounds the rule leaves undecided (:func:`unresolved_under_rule`), which ``needs`` names.
Used by :mod:`rfcheck.verdict.line`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from ..outcome import Verdict
from .bounds import CODE_LOWER, CODE_MEASURED, CODE_NONE, CODE_UPPER, line_bandwidth_hz
from .coverage import LineCoverage
from .points import TracePoints
from .suspects import EPS_DB

__all__ = ["Decision", "Pool", "decide", "pooled", "unresolved_under_rule"]

_M, _U, _L, _N = CODE_MEASURED, CODE_UPPER, CODE_LOWER, CODE_NONE

_T = TypeVar("_T", bound=np.generic)


def pooled(arrays: Sequence[NDArray[_T]]) -> NDArray[_T]:
    """Return the rows' arrays end to end: the one row's own array when there is one (no copy)."""
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


@dataclass(frozen=True, eq=False)
class Pool:
    """Every trace's points of a line, concatenated (the order of the rows)."""

    freq_hz: NDArray[np.float64]
    margin_db: NDArray[np.float64]
    bound: NDArray[np.int8]
    superseded: NDArray[np.bool_]
    bandwidth_hz: NDArray[np.float64]
    #: what a measurement must cover to settle each reading (``points.settle_spans``)
    span_lo_hz: NDArray[np.float64]
    span_hi_hz: NDArray[np.float64]

    @classmethod
    def of(cls, rows: Sequence[TracePoints], lo: float, hi: float) -> Pool:
        """Return the points of ``rows`` pooled, for a line over ``lo``..``hi`` [Hz]."""
        f = pooled([r.freq_hz for r in rows])
        return cls(
            freq_hz=f,
            margin_db=pooled([r.margin_db for r in rows]),
            bound=pooled([r.bound for r in rows]),
            superseded=pooled([r.superseded for r in rows]).astype(bool, copy=False),
            bandwidth_hz=line_bandwidth_hz(f, lo, hi),
            span_lo_hz=pooled([r.spans()[0] for r in rows]),
            span_hi_hz=pooled([r.spans()[1] for r in rows]),
        )

    def wide(self) -> NDArray[np.bool_]:
        """Which readings one measurement at their frequency cannot settle (a wide bucket).

        Its span reaches further from its frequency than half the line's CISPR bandwidth.
        """
        reach = np.maximum(self.freq_hz - self.span_lo_hz, self.span_hi_hz - self.freq_hz)
        return reach > self.bandwidth_hz / 2.0 * (1.0 + 1e-9)

    def definitive(self) -> NDArray[np.bool_]:
        """Measurements and upper bounds not superseded."""
        measured_or_upper = (self.bound == _M) | (self.bound == _U)
        return measured_or_upper & ~self.superseded  # type: ignore[no-any-return]


class Decision(NamedTuple):
    """A line's verdict under the simple rule and the point sets it rests on."""

    verdict: Verdict
    pick: NDArray[np.bool_]  #: the points the worst margin is taken from
    fail: NDArray[np.bool_]  #: measurements / lower bounds over the limit (anywhere)
    unresolved: NDArray[np.bool_]  #: upper bounds over the limit nothing settles
    lower_only_pts: bool  #: some lower (or dropped) bound lies in a lower-bound-only range
    #: the verdict over the required range alone (``verdict`` adds the failures beyond it)
    within: Verdict


def decide(pool: Pool, cov: LineCoverage, beyond: NDArray[np.bool_]) -> Decision:
    """FAIL, INCONCLUSIVE, INCOMPLETE or PASS over the line (docs/verdict.md, "Per frequency").

    INCOMPLETE: nothing failed or is undecided where measured, but part of the judged range
    was not measured. A point ``beyond`` the range the line is required over (47 CFR
    15.33(b)(1)) counts only when it fails: a measured exceedance is one wherever it is, but
    an undecided or passing reading there asks for nothing.
    """
    lower_only = cov.lower_only
    inside = ~beyond
    f, b, over = pool.freq_hz, pool.bound, pool.margin_db < -EPS_DB
    fail = ((b == _M) | (b == _L)) & over
    unresolved = (b == _U) & ~pool.superseded & over & inside
    in_lower_only = np.zeros(f.shape, dtype=bool)
    for a, z in lower_only:
        in_lower_only |= (f >= a) & (f <= z) & ((b == _L) | (b == _N)) & inside
    lower_pts = bool(lower_only) and bool(in_lower_only.any())
    pick = pool.definitive() & inside
    if (fail & inside).any():
        within, pick = Verdict.FAIL, fail
    elif unresolved.any() or lower_pts:
        within = Verdict.INCONCLUSIVE
        # the reading that leaves the line open: an upper bound over the limit, else the
        # lower bounds where nothing bounds the level from above (a passing upper bound at
        # the range's end says nothing of them)
        undecided = in_lower_only & (b == _L)
        if not unresolved.any() and undecided.any():
            pick = undecided
        pick = pick if pick.any() else (b == _L) & inside
    elif cov.not_evaluated:
        within = Verdict.INCOMPLETE
    elif not pick.any():  # a PASS needs a reading that bounds the level from above
        within, pick = Verdict.INCONCLUSIVE, (b == _L) & inside
    else:
        within = Verdict.PASS
    if fail.any():
        return Decision(Verdict.FAIL, fail, fail, unresolved, lower_pts, within)
    return Decision(within, pick, fail, unresolved, lower_pts, within)


def unresolved_under_rule(
    pool: Pool,
    decision: Decision,
    beyond: NDArray[np.bool_],
    effective: NDArray[np.float64] | None,
) -> NDArray[np.bool_]:
    """Return the upper bounds inside the required range that the rule leaves undecided.

    Under ``simple`` (``effective`` None) those over the limit (``decision.unresolved``);
    under a rule, whose margins are ``effective``
    (:func:`~rfcheck.verdict.rule.effective_margins_db`), those whose effective margin is
    negative too: a peak reading under the AV limit by less than the rule's shift is settled
    only by an AV measurement there (the line once read INCONCLUSIVE and said nothing
    of what would settle it).
    """
    if effective is None:
        return decision.unresolved
    shifted: NDArray[np.bool_] = (
        (pool.bound == _U) & ~pool.superseded & ~beyond & (effective < -EPS_DB)
    )
    return decision.unresolved | shifted
