"""The range a verdict covers, in words, when a requested range narrows it.

``rfcheck check --range`` (or the setup's ``range_hz``) judges part of what the limit lines
require; a PASS there says nothing of the rest, so every output that prints the verdict
(``check`` text, CSV, HTML and PDF, ``compare``, the ``batch`` summary) adds
``over 30-1000 MHz only, the requested range; the lines are required over 30-40000 MHz``
and writes the coverage as ``complete, 30-1000 MHz only`` (``docs/verdict.md``, "Requested
range").
"""

from __future__ import annotations

from collections.abc import Sequence

from ..frequency import format_mhz_range
from ..outcome import Verdict
from ..results import CaptureResult

__all__ = [
    "judged_range_note",
    "range_only_count",
    "run_range_qualifier",
    "range_note",
    "requested_range_text",
    "coverage_text",
    "hz_range_cell",
]


def range_note(
    verdict: Verdict,
    judged_hz: tuple[float, float] | None,
    required_hz: tuple[float, float] | None,
) -> str:
    """Return the range a PASS covers when a requested range narrows it ("" otherwise).

    Parameters
    ----------
    verdict : Verdict
        The capture's verdict: only a PASS gets the note, the verdict that would otherwise
        claim the whole range.
    judged_hz : (float, float) or None
        The range judged, when a requested range narrowed it. [Hz]
    required_hz : (float, float) or None
        The range the limit lines are required over. [Hz]

    Returns
    -------
    str
        ``over 30-1000 MHz only, the requested range; the lines are required over
        30-40000 MHz``, or "".
    """
    if verdict is not Verdict.PASS or judged_hz is None or required_hz is None:
        return ""
    return (
        f"over {format_mhz_range(*judged_hz, apart=required_hz)} only, the requested range; "
        f"the lines are required over {format_mhz_range(*required_hz)}"
    )


def judged_range_note(cap: CaptureResult) -> str:
    """Return :func:`range_note` of a capture's result.

    ``over 30-1000 MHz only, the requested range; the lines are required over 30-40000 MHz``
    (:attr:`~rfcheck.results.CaptureResult.judged_range_hz`), "" unless a PASS over a
    narrowed range.
    """
    return range_note(cap.verdict, cap.judged_range_hz, cap.required_range_hz)


def run_range_qualifier(verdict: Verdict, captures: Sequence[CaptureResult]) -> str:
    """Return what an overall PASS of several captures adds when some rest on a narrowed range.

    ``(2 of 3 captures over a requested range only)``; "" for another verdict, for one
    capture (its own line says which range) or when no capture's range was narrowed.
    """
    limited = sum(1 for c in captures if judged_range_note(c))
    if verdict is not Verdict.PASS or len(captures) < 2 or not limited:
        return ""
    return range_only_count(limited, len(captures), "captures")


def range_only_count(limited: int, total: int | None = None, noun: str = "") -> str:
    """Return how many PASSes hold over a requested range only, the one wording of it.

    ``(1 over a requested range only)`` beside a PASS count, or with ``total`` and ``noun``
    ``(2 of 3 inputs over a requested range only)`` beside an overall PASS.
    """
    of = f" of {total} {noun}" if total is not None else ""
    return f"({limited}{of} over a requested range only)"


def requested_range_text(
    verdict: Verdict,
    judged_hz: tuple[float, float] | None,
    required_hz: tuple[float, float] | None,
) -> str:
    """Return the requested-range statement of a PASS, as the check report prints it.

    ``PASS over 30-1000 MHz only, the requested range; the lines are required over
    30-40000 MHz`` (the PDF/HTML line ``REQUESTED RANGE: <this>.``, the summary's
    ``requested_range`` cell), "" when :func:`range_note` is.
    """
    note = range_note(verdict, judged_hz, required_hz)
    return f"{verdict.value} {note}" if note else ""


def coverage_text(coverage: str, judged_hz: tuple[float, float] | None) -> str:
    """Return a coverage cell: ``complete``, or the requested range it stops at.

    ``complete, 30-1000 MHz only`` when a requested range narrowed the judged range
    ``judged_hz`` [Hz]: the lines are required beyond it.
    """
    if judged_hz is None:
        return coverage
    return f"{coverage}, {format_mhz_range(*judged_hz)} only"


def hz_range_cell(range_hz: tuple[float, float] | None) -> str:
    """Return a range as a CSV cell, ``30000000.0-1000000000.0`` [Hz], or "" for None."""
    if range_hz is None:
        return ""
    return f"{range_hz[0]:.1f}-{range_hz[1]:.1f}"
