"""JSON and CSV renderers for ``rfcheck check -o json|csv`` (and report files).

JSON: :meth:`RunResult.to_json` printed with its (stable) insertion key order, UTF-8.

CSV (:func:`render_csv`): one row per (capture, limit line); an unreadable capture gives one
row with verdict ERROR and the message in ``error``. Columns, in order:

``path, sha256, format, capture_verdict, limit_id, line, detector, verdict,
worst_margin_db, worst_frequency_hz, worst_bound, needs_hz, not_evaluated_mhz, error,
report_id, judged_range_hz, required_range_hz, requested_range, levels, scale,
assumed_dwell_s, data_sha256, scope``

``scope`` is the statement that a report made with a setup holding a ``[plan]`` judges only
the captures listed and is not the product's test record (the same words as page 1 of the
PDF; empty without a plan), on every row. ``assumed_dwell_s`` is the line's (the dwell its
verdict assumes, ``docs/check-json.md``);
``data_sha256`` the SHA-256 of each file the capture was read from besides the one in
``path`` (a SigMF recording's data file; ``;``-separated). The five before
``assumed_dwell_s`` are the capture's, on each of its rows (``docs/verdict.md``, "Requested
range"): ``judged_range_hz`` the range judged when ``--range`` narrowed it
(``30000000.0-1000000000.0``, else empty), ``required_range_hz`` the range the lines are
required over, and ``requested_range`` what a PASS over the narrower range holds for, as the
PDF words it (``PASS over 30-1000 MHz only, the requested range; the lines are required over
30-40000 MHz``; empty for any other verdict or without a narrower range). ``levels`` says
where the judged levels come from, ``scale`` the scale a recording's samples were taken at
(``default 1 V per full scale`` when nobody stated one, ``stated 0.5 V per full scale``,
``file rfcheck:volts_per_unit``; empty for a swept capture). ``not_evaluated_mhz`` is the one
column in MHz (``1000-5000; 6000-40000``); every other frequency column is in Hz.

Suspects CSV (:func:`suspects_csv`): one row per suspect emission, columns

``path, limit_id, line, frequency_hz, reading, reading_unit, conversion_db, correction_db,
level, unit, limit, margin_db, detector, bound, verdict, report_id, channel``

``reading + conversion_db + correction_db = level`` on every row (each rounded to 0.01 dB).
``needs_hz`` lists every frequency still to be measured (Hz, ``;``-separated), followed by
any range to measure throughout (``lo-hi`` in Hz: only lower bounds there, or a wide swept
bucket's middle). ``report_id`` is the run's id
(:attr:`~rfcheck.results.RunResult.report_id`); ``channel`` the channel of a
multi-channel recording the reading came from (else empty).

``margin_db = limit - level`` (positive = below the limit). ``worst_bound`` / ``bound`` say
what the level is (``measured``, ``upper bound``, ``lower bound``, ``no bound``), so the
margin is the opposite bound: an upper-bound level's margin is a lower bound on the true
margin (the text report prints ``≥ -7.13``), a lower-bound level's an upper bound
(``≤ +36.70``); the cells stay numbers. Text cells starting with
``= + - @`` or a tab/CR are prefixed with an apostrophe so spreadsheets do not run them as
formulas; numeric cells are never altered (:func:`~rfcheck.report.csv_cells.csv_cell`).
"""

from __future__ import annotations

import json

from ..frequency import mhz_number
from ..results import RunResult
from ..settings import Setup
from ..textsafe import json_safe
from ._fields import plan_scope_lines
from .csv_cells import csv_text
from .range_text import hz_range_cell, requested_range_text

__all__ = ["CSV_COLUMNS", "SUSPECT_COLUMNS", "render_json", "render_csv", "suspects_csv"]

CSV_COLUMNS = (
    "path",
    "sha256",
    "format",
    "capture_verdict",
    "limit_id",
    "line",
    "detector",
    "verdict",
    "worst_margin_db",
    "worst_frequency_hz",
    "worst_bound",
    "needs_hz",
    "not_evaluated_mhz",
    "error",
    "report_id",
    "judged_range_hz",
    "required_range_hz",
    "requested_range",
    "levels",
    "scale",
    "assumed_dwell_s",
    "data_sha256",
    "scope",
)
SUSPECT_COLUMNS = (
    "path",
    "limit_id",
    "line",
    "frequency_hz",
    "reading",
    "reading_unit",
    "conversion_db",
    "correction_db",
    "level",
    "unit",
    "limit",
    "margin_db",
    "detector",
    "bound",
    "verdict",
    "report_id",
    "channel",
)


def _needs_cell(
    freqs_hz: list[float],
    ranges_hz: list[list[float]],
    record_s: float | None = None,
    dwell_s: float | None = None,
) -> str:
    """List every frequency still to be measured, then every range (``needs_ranges_hz``) [Hz].

    Then ``record>=<s>`` when a recording at least that long is needed, or ``dwell>=<s>``
    when an instrument's dwell per frequency at least that long is [s].
    """
    parts = [f"{f:.1f}" for f in freqs_hz] + [f"{a:.1f}-{b:.1f}" for a, b in ranges_hz]
    if record_s is not None:
        parts.append(f"record>={record_s:g}s")
    if dwell_s is not None:
        parts.append(f"dwell>={dwell_s:g}s")
    return "; ".join(parts)


def render_json(run: RunResult, setup: Setup | None = None) -> str:
    """Return the ``check -o json`` document, newline-terminated.

    ``scope`` (last key) holds the statement that the report is not the product's test
    record when ``setup`` has a ``[plan]`` (:func:`~rfcheck.report._fields.plan_scope_lines`;
    ``[]`` without one), as page 1 of the PDF and HTML says it.
    """
    doc = {**run.to_json(), "scope": plan_scope_lines(setup)}
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def render_csv(run: RunResult, setup: Setup | None = None) -> str:
    """One row per (capture, limit line), plus one ERROR row per unreadable capture.

    ``scope`` repeats on every row the statement that the report is not the product's test
    record when ``setup`` has a ``[plan]`` (empty without one).
    """
    rows = []
    rid = run.report_id.text
    scope = " ".join(plan_scope_lines(setup))
    data = run.data_sha256()
    for cap in run.captures:
        base = {
            "path": cap.path,
            "sha256": cap.sha256,
            "data_sha256": ";".join(data.get(cap.path, ())),
            "format": cap.format,
            "capture_verdict": cap.verdict.value,
            "report_id": rid,
            "judged_range_hz": hz_range_cell(cap.judged_range_hz),
            "required_range_hz": hz_range_cell(cap.required_range_hz),
            "requested_range": requested_range_text(
                cap.verdict, cap.judged_range_hz, cap.required_range_hz
            ),
            "levels": cap.levels_origin,
            "scale": cap.scale,
            "scope": scope,
        }
        for err in cap.errors:
            rows.append({**base, "verdict": "ERROR", "error": err.message})
        for chk in cap.checks:
            j = chk.to_json()
            not_eval = "; ".join(
                f"{mhz_number(a)}-{mhz_number(b)}" for a, b in chk.not_evaluated_hz
            )
            rows.append(
                {
                    **base,
                    "limit_id": j["limit_id"],
                    "line": j["line"],
                    "detector": j["detector"],
                    "verdict": j["verdict"],
                    "worst_margin_db": j["worst_margin_db"],
                    "worst_frequency_hz": j["worst_frequency_hz"],
                    "worst_bound": j["worst_bound"],
                    "needs_hz": _needs_cell(
                        j["needs_hz"], j["needs_ranges_hz"], j["needs_record_s"], j["needs_dwell_s"]
                    ),
                    "not_evaluated_mhz": not_eval,
                    "assumed_dwell_s": j["assumed_dwell_s"],
                }
            )
    return csv_text(CSV_COLUMNS, rows)


def suspects_csv(run: RunResult) -> str:
    """One row per suspect of every capture."""
    rows = []
    rid = run.report_id.text
    for cap in run.captures:
        for s in cap.suspects:
            rows.append({"path": cap.path, **s.to_json(), "report_id": rid})
    return csv_text(SUSPECT_COLUMNS, rows)
