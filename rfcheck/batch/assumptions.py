"""What a batch verdict takes on trust: an assumed dwell or scale, over a set of rows.

A row's own assumptions are :attr:`rfcheck.batch.results.SummaryRow.assumed`; these say which
of them a combined verdict (a unit's, the batch's) rests on, and count them per verdict
(``docs/batch.md``, "What a verdict takes on trust"). Which rows a verdict rests on is the rule
every combined verdict uses, an entry's too (:func:`rfcheck.report.assumed_text.resting_on`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..outcome import Verdict
from ..report.assumed_text import resting_on
from .results import SummaryRow

__all__ = ["resting_on", "assumed_counts"]


def assumed_counts(rows: Sequence[SummaryRow], label: str) -> dict[str, int]:
    """Count, per verdict, the rows whose verdict takes ``label`` on trust (every verdict, 0).

    Beside :func:`~rfcheck.batch.results.verdict_counts`: ``PASS 12 (3 with an assumed dwell)``.
    """
    counts = {v.value: 0 for v in Verdict}
    for r in rows:
        counts[r.verdict.value] += label in r.assumed
    return counts
