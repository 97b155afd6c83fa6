"""What a verdict takes on trust, in the words of every document that sums up many verdicts.

Two assumptions a verdict can rest on when a file does not state something (``docs/verdict.md``):

- ``ASSUMED DWELL``: quasi-peak or CISPR-average readings with no stated dwell, judged as
  settled (:attr:`rfcheck.results.CaptureResult.assumed_dwell_basis`; never for a FAIL,
  which stands whatever the dwell);
- ``ASSUMED SCALE``: an I/Q recording with no stated scale, its levels computed at 1 V per
  unit (:attr:`rfcheck.results.CaptureResult.assumed_scale`; any verdict but ERROR).

The check report words them per capture (``rfcheck.report.text``, ``pdf``, ``html``); the
dossier, ``rfcheck lot`` and the batch summary name them with these labels, sentences and
counts, so that a PASS resting on one is never read as a plain PASS. Which of many verdicts
a combined one rests on (a batch's rows, an entry's units) is one rule, :func:`resting_on`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from ..outcome import Verdict

__all__ = [
    "ASSUMED_DWELL",
    "ASSUMED_SCALE",
    "Assumes",
    "assumed_dwell_line",
    "assumed_scale_line",
    "qualified_verdict",
    "assumed_count",
    "resting_on",
]

#: The label of a verdict that takes quasi-peak or CISPR-average readings as settled.
ASSUMED_DWELL = "ASSUMED DWELL"
#: The label of a verdict whose levels rest on a recording's default 1 V scale.
ASSUMED_SCALE = "ASSUMED SCALE"


def assumed_dwell_line(need_s: float, which: str) -> str:
    """Return the sentence naming readings taken as settled though no dwell is stated.

    ``ASSUMED DWELL: quasi-peak or CISPR-average readings with no stated dwell are taken as
    settled (which needs ≥ 1 s per frequency): L1 QP, AV``.

    Parameters
    ----------
    need_s : float
        The dwell per frequency those readings need to have settled. [s]
    which : str
        The ports and lines that rest on them.
    """
    return (
        f"{ASSUMED_DWELL}: quasi-peak or CISPR-average readings with no stated dwell are taken "
        f"as settled (which needs ≥ {need_s:g} s per frequency): {which}"
    )


def assumed_scale_line(which: str) -> str:
    """Return the sentence naming levels computed at a recording's default scale.

    ``ASSUMED SCALE: levels computed at the default 1 V scale of a recording that states
    none: L1`` (``which``: the ports or captures whose levels rest on it).
    """
    return (
        f"{ASSUMED_SCALE}: levels computed at the default 1 V scale of a recording that "
        f"states none: {which}"
    )


def qualified_verdict(verdict: str, labels: Iterable[str]) -> str:
    """Return ``verdict`` with what it takes on trust after it: ``PASS (ASSUMED DWELL)``.

    As a check report's banner reads (``OVERALL RESULT: PASS (ASSUMED DWELL)``).
    """
    return verdict + "".join(f" ({label})" for label in labels)


def assumed_count(dwell: int, scale: int, total: int | None = None, noun: str = "") -> str:
    """Return how many verdicts of a count take a dwell or a scale on trust, or "".

    ``(3 with an assumed dwell)`` beside a PASS count; with ``total`` and ``noun``, beside an
    overall verdict: ``(3 of 12 inputs with an assumed dwell, 1 of 12 inputs with an
    assumed scale)``.
    """
    of = f" of {total} {noun}" if total is not None else ""
    parts = [f"{dwell}{of} with an assumed dwell"] if dwell else []
    parts += [f"{scale}{of} with an assumed scale"] if scale else []
    return f"({', '.join(parts)})" if parts else ""


class Assumes(Protocol):
    """A verdict with what it takes on trust: a batch row, a unit of an entry."""

    @property
    def verdict(self) -> Verdict:
        """The verdict."""

    @property
    def assumed(self) -> tuple[str, ...]:
        """What it takes on trust, as labels (:data:`ASSUMED_DWELL`, :data:`ASSUMED_SCALE`)."""


_A = TypeVar("_A", bound=Assumes)


def resting_on(items: Sequence[_A], verdict: Verdict, label: str) -> list[_A]:
    """Return the items whose assumption ``label`` the combined ``verdict`` of ``items`` rests on.

    ``label`` is :data:`ASSUMED_DWELL` or :data:`ASSUMED_SCALE`; ``items`` are anything with a
    ``verdict`` and its ``assumed`` labels (a batch's rows, an entry's units). As a check
    report's overall verdict (``docs/batch.md``, "What a verdict takes on trust"): none for
    ERROR; a FAIL rests on a label only when every FAIL item takes it (one FAIL that does
    not decides), and never on a dwell (a reading that has not settled reads low, so an
    unstated dwell cannot make a FAIL); any other verdict claims that no item fails, so it
    rests on every item that takes the label, whatever that item's own verdict (an entry
    INCOMPLETE for a serial not measured still rests on a unit's PASS (ASSUMED DWELL)).
    """
    if verdict is Verdict.ERROR:
        return []
    if verdict is Verdict.FAIL:
        fails = [r for r in items if r.verdict is Verdict.FAIL]
        stands = label != ASSUMED_DWELL and all(label in r.assumed for r in fails)
        return fails if fails and stands else []
    return [r for r in items if label in r.assumed]
