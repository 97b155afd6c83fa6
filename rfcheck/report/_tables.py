"""The result tables of a report as rows: summary, per-line checks, suspect emissions.

Each row is text cells plus the verdict cell as a :class:`~rfcheck.outcome.Verdict`; every
format renders and colours it itself. Sign convention: ``margin_db = limit - level``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..outcome import Verdict
from ..results import CaptureResult, LineCheck, Suspect, deciding_check
from ..units import reading_text
from ._coverage import capped_ranges
from ._format import fmt_margin, fmt_num, fmt_point_mhz, fmt_range_mhz
from .margin_text import fmt_rule_margin
from .range_text import coverage_text

__all__ = [
    "Row",
    "SUMMARY_HEADERS",
    "CHECK_HEADERS",
    "SUSPECT_FORMULA",
    "summary_row",
    "check_row",
    "suspect_headers",
    "suspect_rows",
    "suspect_sources",
]


#: One table row of data: text cells, and the verdict cell as a :class:`Verdict` (each
#: format renders and colours it itself).
Row = tuple["str | Verdict", ...]


SUMMARY_HEADERS = (
    "#", "Capture", "Port", "Verdict", "Coverage", "Margin [dB]", "at [MHz]", "Deciding line",
)  # fmt: skip


CHECK_HEADERS = (
    "Limit", "Line", "Detector", "Verdict", "Worst margin [dB]", "at [MHz]", "Basis", "Notes",
)  # fmt: skip


#: The suspect table's arithmetic, as printed under it.
SUSPECT_FORMULA = (
    "Level = reading + conversion + correction, each rounded to 0.01 dB (so a row may "
    "differ by 0.01 dB in the last digit): conversion takes the reading into the level's "
    "unit (+106.99 dB for dBm to dB\u00b5V at 50 \u03a9, 0 when the reading is already in "
    "it), correction is the transducer chain (antenna factor, cable loss, LISN factor, "
    "attenuator, minus preamplifier gain). Margin = limit \u2212 level."
)


def summary_row(i: int, capture: CaptureResult, port: str | None = None) -> Row:
    """Return row ``i`` (1-based) of the summary table (:data:`SUMMARY_HEADERS`).

    The margin of
    the line that determines the verdict (:func:`~rfcheck.results.deciding_check`). ``port``:
    the capture's port when its label names none (the setup's ``[[rule]]`` port,
    :func:`rfcheck.report._fields.capture_port`).
    """
    w = deciding_check(capture.checks)
    return (
        str(i),
        capture.path,
        capture.label or port or "\u2013",
        capture.verdict,
        _coverage_cell(capture),
        fmt_margin(w.worst_margin_db, w.worst_bound) if w else "\u2013",
        fmt_point_mhz(w.worst_frequency_hz) if w else "\u2013",
        f"{w.limit_id} {w.line}" if w else "\u2013",
    )


def _coverage_cell(capture: CaptureResult) -> str:
    """Return the summary's coverage cell: ``complete``, or the requested range it stops at.

    ``complete, 30-1000 MHz only`` when ``--range`` narrowed the judged range: the lines are
    required beyond it (:attr:`~rfcheck.results.CaptureResult.judged_range_hz`).
    """
    return coverage_text(capture.coverage, capture.judged_range_hz)


def check_row(k: LineCheck) -> Row:
    """Return the row of one limit line's result (:data:`CHECK_HEADERS`)."""
    notes = []
    if rule := fmt_rule_margin(k.rule_shift_db, k.effective_margin_db, k.worst_bound):
        notes.append(f"decision rule: {rule}")  # as check's text prints it
    if k.needs:
        notes.append(f"needs: {k.needs}")
    if k.not_evaluated_hz:
        notes.append(f"not evaluated: {capped_ranges(fmt_range_mhz, list(k.not_evaluated_hz))}")
    return (
        k.limit_id,
        k.line,
        k.detector,
        k.verdict,
        fmt_margin(k.worst_margin_db, k.worst_bound),
        fmt_point_mhz(k.worst_frequency_hz),
        k.worst_bound.value if k.worst_bound else "\u2013",
        "; ".join(notes) or "\u2013",
    )


def suspect_headers(reading_unit: str, unit: str) -> tuple[str, ...]:
    """Column headings of :func:`suspect_rows`."""
    return (
        "Frequency [MHz]",
        f"Reading [{reading_unit}]",
        "Conv. [dB]",
        "Corr. [dB]",
        f"Level [{unit}]",
        f"Limit [{unit}]",
        "Margin [dB]",
        "Detector",
        "Limit line",
        "Verdict",
    )


def suspect_rows(suspects: Iterable[Suspect], reading_unit: str) -> list[Row]:
    """Return the suspect emission rows by frequency (:data:`SUSPECT_HEADERS`).

    Frequency [MHz], reading
    (with its unit when not ``reading_unit``), conversion [dB], correction [dB], level,
    limit, margin [dB], detector (bound), limit line (with ``[Channel N]`` for a reading of
    a multi-channel recording), verdict; reading + conversion +
    correction = level on every row (:data:`SUSPECT_FORMULA`).
    """
    return [
        (
            fmt_point_mhz(s.frequency_hz),
            reading_text(s.reading, s.reading_unit)
            + ("" if s.reading_unit == reading_unit else f" {s.reading_unit}"),
            f"{s.conversion_db:+.2f}",
            fmt_num(s.correction_db),
            fmt_num(s.level),
            fmt_num(s.limit),
            fmt_margin(s.margin_db, s.bound),
            f"{s.detector} ({s.bound.value})",
            f"{s.limit_id} {s.line}" + (f" [{s.channel}]" if s.channel else ""),
            s.verdict,
        )
        for s in sorted(suspects, key=lambda s: (s.frequency_hz, s.line))
    ]


def suspect_sources(suspects: Iterable[Suspect]) -> list[str]:
    """Return the Source column of :func:`suspect_rows` (same order).

    The likeliest source
    (``3 × 125 MHz (Ethernet)``), ``ambient``, or a dash; empty when no row has one.
    """
    ordered = sorted(suspects, key=lambda s: (s.frequency_hz, s.line))
    texts = [s.source_text for s in ordered]
    return [t or "\u2013" for t in texts] if any(texts) else []
