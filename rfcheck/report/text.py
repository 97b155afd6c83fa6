"""Plain-text renderer for ``rfcheck check -o text`` (the default).

Formats a :class:`~rfcheck.results.RunResult` only; computes nothing. Sign convention,
printed in the header: ``margin = limit - level`` (positive = below the limit).
"""

from __future__ import annotations

from ..frequency import format_mhz, format_mhz_ranges
from ..outcome import Bound
from ..results import CaptureResult, RunResult
from ..settings import Setup
from ..textsafe import printable as _p
from ..units import reading_text
from ._common import (
    STATUS_KEY,
    assumed_dwell_note,
    assumed_scale_note,
    capped_ranges,
    coverage_note,
    decision_rule_text,
    fmt_margin,
    plan_scope_lines,
    run_assumed_dwell,
    run_assumed_scale,
    run_unconfirmed,
    unconfirmed_note,
)
from .margin_text import fmt_rule_margin
from .range_text import judged_range_note, run_range_qualifier

__all__ = ["render_text", "render_capture"]


def _db(x: float | None, bound: Bound | None) -> str:
    """Return a margin with what its level's bound makes of it (``≤ +36.70 dB``), or ``-``."""
    return "-" if x is None else f"{fmt_margin(x, bound)} dB"


def _meta_lines(cap: CaptureResult, data_sha256: tuple[str, ...] = ()) -> list[str]:
    """Return the capture's file line: format, SHA-256 prefixes, instrument, timestamp.

    ``data_sha256``: the files the capture was read from besides the one named (a SigMF
    recording's data file), each named by its SHA-256 prefix too: two recordings sharing
    one metadata text are told apart.
    """
    meta = []
    if cap.format:
        meta.append(f"format {_p(cap.format)}")
    if cap.sha256:
        meta.append(f"sha256 {cap.sha256[:16]}")
    meta += [f"data sha256 {sha[:16]}" for sha in data_sha256]
    note = cap.instrument.get("note", "")
    members = note.removeprefix(_COMBINED) if note.startswith(_COMBINED) else ""
    if not members:  # a combined capture names every member's instrument on its own line
        if cap.instrument.get("description"):
            meta.append(_p(cap.instrument["description"]))
        if cap.timestamp:
            meta.append(_p(cap.timestamp))
    out = ["   " + ", ".join(meta)] if meta else []
    return out + ([f"   instruments: {_p(members)}"] if members else [])


#: How :func:`rfcheck.combine.analyse_combined` starts the note naming its members' instruments.
_COMBINED = "combined measurement; instruments: "


def _limit_lines(cap: CaptureResult) -> list[str]:
    """Return the lines describing each limit table applied to the capture."""
    out: list[str] = []
    for lim in cap.limits:
        out.append(f"   limit {_p(lim['id'])}: {_p(lim['title'])}")
        out.append(
            f"         source {_p(lim['source'])}; status {_p(lim['status'])} ({STATUS_KEY})"
        )
        out.append(f"         text checked {_p(lim['retrieved'])}; {_p(lim['edition'])}")
        if lim.get("distance_note"):
            out.append(f"         {_p(lim['distance_note'])}")
        if lim.get("measurement_range"):
            out.append(f"         {_p(lim['measurement_range'])}")
        for u in lim.get("unconfirmed", []):
            out.append(f"         WARNING: {_p(u)}")
    return out


def _check_lines(cap: CaptureResult) -> list[str]:
    """Return the table of limit-line results (empty without checks)."""
    if not cap.checks:
        return []
    out: list[str] = []
    out.append(
        f"   {'LIMIT':<24}{'LINE':<6}{'DETECTOR':<15}{'VERDICT':<14}"
        f"{'WORST MARGIN':<14}{'AT':<16}BOUND"
    )
    for c in cap.checks:
        out.append(
            f"   {_p(c.limit_id):<24}{_p(c.line):<6}{_p(c.detector):<15}{c.verdict.value:<14}"
            f"{_db(c.worst_margin_db, c.worst_bound):<14}{format_mhz(c.worst_frequency_hz):<16}"
            f"{c.worst_bound.value if c.worst_bound else '-'}"
        )
        rule = fmt_rule_margin(c.rule_shift_db, c.effective_margin_db, c.worst_bound)
        if rule:
            out.append(f"      decision rule: {rule}")
        if c.needs:
            count = f" [{len(c.needs_hz)} frequencies in JSON/CSV]" if len(c.needs_hz) > 5 else ""
            out.append(f"      needs: {_p(c.needs)}{count}")
        if c.not_evaluated_hz:
            spans = capped_ranges(format_mhz_ranges, list(c.not_evaluated_hz))
            out.append(f"      not evaluated (no trace): {spans}")
    return out


def _suspect_lines(cap: CaptureResult) -> list[str]:
    """Return the suspect-emission table (empty without suspects)."""
    if not cap.suspects:
        return []
    out: list[str] = []
    out.append(
        f"   suspects ({len(cap.suspects)}, worst first; LEVEL = READING + CONV + CORR, "
        "each rounded to 0.01 dB):"
    )
    out.append(
        f"   {'FREQ':>14} {'READING':>10} {'':<7}{'CONV dB':>8} {'CORR dB':>8} {'LEVEL':>8} "
        f"{'LIMIT':>8} {'MARGIN':>9}  {'UNIT':<7}{'DETECTOR':<15}"
        f"{'BOUND':<13}{'VERDICT':<14}LINE"
    )
    sourced = any(s.source_text for s in cap.suspects)
    if sourced:
        out[-1] = f"{out[-1]:<153}SOURCE"
    for s in cap.suspects:
        row = (
            f"   {format_mhz(s.frequency_hz):>14} {reading_text(s.reading, s.reading_unit):>10} "
            f"{_p(s.reading_unit):<7}"
            f"{s.conversion_db:>+8.2f} {s.correction_db:>8.2f} "
            f"{s.level:>8.2f} {s.limit:>8.2f} {fmt_margin(s.margin_db, s.bound):>9}  "
            f"{_p(s.unit):<7}"
            f"{_p(s.detector):<15}{s.bound.value:<13}{s.verdict.value:<14}"
            f"{_p(s.limit_id)} {_p(s.line)}"
        )
        if s.channel:  # a multi-channel recording: which channel the reading came from
            row = f"{row}  [{_p(s.channel)}]"
        out.append(f"{row:<153}{_p(s.source_text) or '-'}" if sourced else row)
    return out


def render_capture(cap: CaptureResult, data_sha256: tuple[str, ...] = ()) -> str:
    """Render one capture as a text block (``data_sha256``: :func:`_meta_lines`)."""
    out = [f"== {_p(cap.path)}" + (f"  [{_p(cap.label)}]" if cap.label else "")]
    out.extend(_meta_lines(cap, data_sha256))
    out.extend(_limit_lines(cap))
    for corr in cap.corrections:
        out.append(f"   correction: {_p(corr)}")
    for err in cap.errors:
        out.append(f"   ERROR: {_p(err.message)}")
    out.extend(_check_lines(cap))
    out.extend(_suspect_lines(cap))
    in_limits = {lim.get("measurement_range") for lim in cap.limits}  # printed above already
    for w in cap.warnings:
        if w not in in_limits:
            out.append(f"   note: {_p(w)}")
    notes = (
        judged_range_note(cap),
        coverage_note(cap, format_mhz_ranges),
        unconfirmed_note(cap),
        assumed_dwell_note(cap),
        assumed_scale_note(cap),
    )
    note = "; ".join(x for x in notes if x)
    out.append(f"   verdict: {cap.verdict.value}" + (f" ({_p(note)})" if note else ""))
    return "\n".join(out)


def render_text(run: RunResult, setup: Setup | None = None) -> str:
    """Render the whole run: header, one block per capture, overall verdict.

    With a ``setup`` holding a ``[plan]``, the header says the report is not the product's
    test record (:func:`~rfcheck.report._fields.plan_scope_lines`), as page 1 of the PDF does.
    """
    parts = [
        f"rfcheck {run.version} - margin = limit - level (positive = below the limit)",
        f"decision rule: {decision_rule_text(run)}",
    ]
    if scope := plan_scope_lines(setup):
        parts.append(f"scope: {_p(' '.join(scope))}")
    data = run.data_sha256()
    parts += [render_capture(c, data.get(c.path, ())) for c in run.captures]
    parts += [f"warning: {_p(w)}" for w in run.explain_warnings]
    partial = [c for c in run.captures if c.coverage == "partial"]
    tail = ""
    if run.verdict.value == "INCOMPLETE" and len(run.captures) == 1:
        tail = f" ({coverage_note(run.captures[0], format_mhz_ranges)})"
    elif len(run.captures) == 1 and judged_range_note(run.captures[0]):
        tail = f" ({judged_range_note(run.captures[0])})"
    elif qualifier := run_range_qualifier(run.verdict, run.captures):
        tail = f" {qualifier}"
    elif partial and run.verdict.value != "ERROR":
        tail = (
            " (partial coverage: applies to the evaluated ranges only)"
            if len(run.captures) == 1
            else f" (partial coverage in {len(partial)} of {len(run.captures)} captures)"
        )
    if run_unconfirmed(run):
        tail += " (rests on UNCONFIRMED limit values)"
    if run_assumed_dwell(run):
        tail += " (assumes a quasi-peak/CISPR-average dwell not stated in the file)"
    if run_assumed_scale(run):
        tail += " (levels assume a recording's scale not stated in the file)"
    parts.append(f"overall verdict: {run.verdict.value}{tail}")
    return "\n".join(parts) + "\n"
