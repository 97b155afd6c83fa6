"""The verdict banner of a record's documents: one text for the PDF's page 1 and ``dossier.html``.

The banner states the measurement verdict and, when the 47 CFR 2.938(b) checklist lacks an
item (:func:`~.checklist.incomplete_line`), that the record is incomplete: a PASS then reads
``PASS (measurements) · RECORD INCOMPLETE`` and is never green; any other verdict gets
`` · RECORD INCOMPLETE`` after it (``FAIL · RECORD INCOMPLETE``). The renderers choose the
colours; the words are :attr:`Banner.text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .checklist import ChecklistItem, incomplete_line

__all__ = ["Banner", "record_banner"]

#: What the banner appends when the record lacks a checklist item.
RECORD_INCOMPLETE = "RECORD INCOMPLETE"


@dataclass(frozen=True)
class Banner:
    """The verdict banner: the measurement verdict and whether the record is complete."""

    verdict: str  #: the measurement verdict, upper case (``NOT JUDGED`` when there is none)
    record_complete: bool  #: every checklist item present (no ``record incomplete`` line)

    @property
    def text(self) -> str:
        """Return the banner's words (``FAIL · RECORD INCOMPLETE``)."""
        if self.record_complete:
            return self.verdict
        if self.verdict == "PASS":
            return f"PASS (measurements) · {RECORD_INCOMPLETE}"
        return f"{self.verdict} · {RECORD_INCOMPLETE}"

    @property
    def qualified_pass(self) -> bool:
        """Whether the measurements PASS but the record is incomplete (amber, never green)."""
        return self.verdict == "PASS" and not self.record_complete


def record_banner(verdict: str | None, checklist: Sequence[ChecklistItem]) -> Banner:
    """Return the banner of a record whose measurements give ``verdict``.

    Parameters
    ----------
    verdict : str or None
        The measurement verdict (``None``: not judged).
    checklist : sequence of ChecklistItem
        The record's checklist (:func:`~.checklist.build_checklist`).
    """
    return Banner((verdict or "NOT JUDGED").upper(), incomplete_line(tuple(checklist)) is None)
