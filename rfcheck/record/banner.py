"""The verdict banner of a record's documents: one text for the PDF's page 1 and ``dossier.html``.

The banner states the measurement verdict and, when the 47 CFR 2.938(b) checklist lacks an
item (:func:`~.checklist.incomplete_line`), that the record is incomplete: a PASS then reads
``PASS (measurements) · RECORD INCOMPLETE`` and is never green; any other verdict gets
`` · RECORD INCOMPLETE`` after it (``FAIL · RECORD INCOMPLETE``). A verdict that takes
something on trust no capture states names it as a check report's banner does, right after
the verdict: ``PASS (ASSUMED DWELL)``, ``PASS (measurements) (ASSUMED DWELL) · RECORD
INCOMPLETE`` (:func:`assumption_labels`). The renderers choose the colours; the words are
:attr:`Banner.text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..report.assumed_text import qualified_verdict
from .checklist import ChecklistItem, incomplete_line

__all__ = ["Banner", "assumption_labels", "record_banner"]

#: What the banner appends when the record lacks a checklist item.
RECORD_INCOMPLETE = "RECORD INCOMPLETE"


@dataclass(frozen=True)
class Banner:
    """The verdict banner: the measurement verdict and whether the record is complete."""

    verdict: str  #: the measurement verdict, upper case (``NOT JUDGED`` when there is none)
    record_complete: bool  #: every checklist item present (no ``record incomplete`` line)
    #: what the verdict takes on trust, upper case (``ASSUMED DWELL``; :func:`assumption_labels`)
    assumed: tuple[str, ...] = ()

    @property
    def qualified_verdict(self) -> str:
        """Return the verdict with what it takes on trust (``PASS (ASSUMED DWELL)``).

        The words of the cover's ``Measurement verdict`` fact.
        """
        return qualified_verdict(self.verdict, self.assumed)

    @property
    def text(self) -> str:
        """Return the banner's words (``FAIL · RECORD INCOMPLETE``)."""
        assumed = qualified_verdict("", self.assumed)
        if self.record_complete:
            return self.verdict + assumed
        if self.verdict == "PASS":
            return f"PASS (measurements){assumed} · {RECORD_INCOMPLETE}"
        return f"{self.verdict}{assumed} · {RECORD_INCOMPLETE}"

    @property
    def qualified_pass(self) -> bool:
        """Whether the measurements PASS but the record is incomplete (amber, never green)."""
        return self.verdict == "PASS" and not self.record_complete


def assumption_labels(assumptions: Sequence[str]) -> tuple[str, ...]:
    """Return the label of each line saying what a verdict takes on trust (``ASSUMED DWELL``).

    ``assumptions`` are :attr:`rfcheck.product.dossier.UnitDossier.assumptions` lines,
    ``ASSUMED DWELL: quasi-peak or ... : L1 QP``; the label is the words before the first
    colon, upper case, each once.
    """
    return tuple(dict.fromkeys(a.split(":", 1)[0].strip().upper() for a in assumptions))


def record_banner(
    verdict: str | None, checklist: Sequence[ChecklistItem], assumed: Sequence[str] = ()
) -> Banner:
    """Return the banner of a record whose measurements give ``verdict``.

    Parameters
    ----------
    verdict : str or None
        The measurement verdict (``None``: not judged).
    checklist : sequence of ChecklistItem
        The record's checklist (:func:`~.checklist.build_checklist`).
    assumed : sequence of str
        What the verdict takes on trust, as labels (``ASSUMED DWELL``,
        :func:`assumption_labels`); none when not judged.
    """
    judged = (verdict or "NOT JUDGED").upper()
    labels = tuple(assumed) if verdict else ()
    return Banner(judged, incomplete_line(tuple(checklist)) is None, labels)
