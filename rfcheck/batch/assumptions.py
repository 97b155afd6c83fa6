"""What a batch verdict takes on trust: an assumed dwell or scale, over a set of rows.

A row's own assumptions are :attr:`rfcheck.batch.results.SummaryRow.assumed`; these say which
of them a combined verdict (a unit's, the batch's) rests on, and count them per verdict
(``docs/batch.md``, "What a verdict takes on trust").
"""

from __future__ import annotations

from collections.abc import Sequence

from ..outcome import Verdict
from .results import SummaryRow

__all__ = ["resting_on", "assumed_counts"]


def resting_on(rows: Sequence[SummaryRow], verdict: Verdict, label: str) -> list[SummaryRow]:
    """Return the rows whose assumption ``label`` the combined ``verdict`` of ``rows`` rests on.

    ``label`` is ``ASSUMED DWELL`` or ``ASSUMED SCALE`` (:attr:`SummaryRow.assumed`). As a
    check report's overall verdict (``docs/batch.md``, "What a verdict takes on trust"): none
    for ERROR; a FAIL rests on it only when every FAIL row does (one FAIL that does not
    decides; a dwell never, since a reading that has not settled reads low); any other
    verdict claims that no row fails, so it rests on every row that takes it.
    """
    if verdict is Verdict.ERROR:
        return []
    if verdict is Verdict.FAIL:
        fails = [r for r in rows if r.verdict is Verdict.FAIL]
        return fails if fails and all(label in r.assumed for r in fails) else []
    return [r for r in rows if label in r.assumed]


def assumed_counts(rows: Sequence[SummaryRow], label: str) -> dict[str, int]:
    """Count, per verdict, the rows whose verdict takes ``label`` on trust (every verdict, 0).

    Beside :func:`~rfcheck.batch.results.verdict_counts`: ``PASS 12 (3 with an assumed dwell)``.
    """
    counts = {v.value: 0 for v in Verdict}
    for r in rows:
        counts[r.verdict.value] += label in r.assumed
    return counts
