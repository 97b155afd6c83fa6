"""What every report says about the verdict, in words.

The scope statement, the sign convention, the verdict colours, the status-tag legend, the
line that decides the verdict (:func:`worst_check`), the verdict's explanation
(:func:`verdict_summary`) and the UNCONFIRMED limit values it may rest on. Nothing here
decides a verdict; it only words what :mod:`rfcheck.results` holds.
"""

from __future__ import annotations

import math

from ..outcome import Verdict
from ..results import CaptureResult, LineCheck, RunResult, deciding_check
from ..verdict.decision import parse_decision_rule
from ._coverage import coverage_note, not_evaluated_text
from ._format import fmt_margin, fmt_point_mhz
from .margin_text import fmt_rule_margin
from .range_text import requested_range_text

__all__ = [
    "STATEMENT",
    "MARGIN_NOTE",
    "VERDICT_COLOURS",
    "STATE_COLOURS",
    "STATUS_LEGEND",
    "STATUS_KEY",
    "unconfirmed_note",
    "assumed_dwell_note",
    "run_unconfirmed",
    "run_assumed_dwell",
    "run_assumed_scale",
    "assumed_scale_note",
    "verdict_qualifiers",
    "worst_check",
    "worst_measured_check",
    "decision_rule_text",
    "verdict_summary",
]


#: The scope statement printed on every report (cover page, HTML header).
STATEMENT = (
    "Pre-compliance analysis of the supplied captures by rfcheck; not an accredited test "
    "report; results apply only to the captures listed in the appendix."
)


#: The one sign convention, as printed in reports.
MARGIN_NOTE = "Margin = limit \u2212 level; positive = below the limit, negative = above it."


#: Verdict colours (hex): PASS green, FAIL red, INCONCLUSIVE amber, INCOMPLETE slate blue,
#: ERROR grey.
VERDICT_COLOURS: dict[Verdict, str] = {
    Verdict.PASS: "#1b7a3a",
    Verdict.FAIL: "#b3161b",
    Verdict.INCONCLUSIVE: "#b86e00",
    Verdict.INCOMPLETE: "#5a5a9e",
    Verdict.ERROR: "#5f6368",
}

#: The same colours by name, for every document that colours a verdict or a state (the check
#: report, the dossier's banner and matrix, the record's checklist): the dossier's cell state
#: MISSING (a required range not measured) in INCOMPLETE's colour, since it makes the unit
#: INCOMPLETE.
STATE_COLOURS: dict[str, str] = {
    **{v.value: c for v, c in VERDICT_COLOURS.items()},
    "MISSING": VERDICT_COLOURS[Verdict.INCOMPLETE],
}


#: Legend of the status tags limit values carry (``docs/references.md``, "Status tags").
STATUS_LEGEND = (
    "Status tags: P = primary (the regulation's own text, or a verbatim quotation of the "
    "standard's table); S = secondary source only (verify before certification use); "
    "D = derived by a stated formula from P or S values; UNCONFIRMED = not found in any "
    "source, shown only so it can be checked. Sources: docs/references.md."
)


#: The status tags in a few words (text view), ``docs/references.md`` for the full legend.
STATUS_KEY = "P primary, S secondary, D derived, UNCONFIRMED unsourced: docs/references.md"


def unconfirmed_note(cap: CaptureResult) -> str:
    """Name the UNCONFIRMED limit values a capture's verdict rests on.

    ``deciding limit values UNCONFIRMED: cispr32-a-rad-above-1g AV, PK`` when the
    capture's verdict rests on UNCONFIRMED limit values
    (:attr:`~rfcheck.results.CaptureResult.unconfirmed_basis`), else "".
    """
    basis = cap.unconfirmed_basis
    if not basis:
        return ""
    by_table: dict[str, list[str]] = {}
    for c in basis:
        by_table.setdefault(c.limit_id, []).append(c.line)
    which = "; ".join(f"{lid} {', '.join(lines)}" for lid, lines in by_table.items())
    return f"deciding limit values UNCONFIRMED: {which}"


def assumed_dwell_note(cap: CaptureResult) -> str:
    """Name the lines whose verdict assumes a dwell the instrument's file does not state.

    ``assumes a dwell ≥ 1 s per frequency, not stated in the file: fcc-15.107-b QP`` when
    the verdict rests on quasi-peak or CISPR-average readings with no stated dwell
    (:attr:`~rfcheck.results.CaptureResult.assumed_dwell_basis`), else "".
    """
    basis = cap.assumed_dwell_basis
    if not basis:
        return ""
    need = max(c.assumed_dwell_s or 0.0 for c in basis)
    which = ", ".join(f"{c.limit_id} {c.line}" for c in basis)
    return f"assumes a dwell ≥ {need:g} s per frequency, not stated in the file: {which}"


def assumed_scale_note(cap: CaptureResult) -> str:
    """Say that the levels rest on the default scale of a recording stating none, else "".

    ``levels assume 1 V per full scale, no scale stated in the recording``
    (:attr:`~rfcheck.results.CaptureResult.assumed_scale`).
    """
    from ..io.iq_scale import default_scale_unit  # `import rfcheck` loads no reader

    per = default_scale_unit(cap.scale) if cap.assumed_scale else None
    return f"levels assume 1 V per {per}, no scale stated in the recording" if per else ""


def verdict_qualifiers(cap: CaptureResult) -> str:
    """Return what a capture's verdict line adds in brackets in the PDF and HTML, or "".

    Its coverage (:func:`coverage_note`), UNCONFIRMED limit values, an assumed dwell or scale.
    """
    notes = (
        coverage_note(cap),
        unconfirmed_note(cap),
        assumed_dwell_note(cap),
        assumed_scale_note(cap),
    )
    return "; ".join(x for x in notes if x)


def run_assumed_scale(run: RunResult) -> bool:
    """Return True when some capture's levels rest on a recording's default scale (not ERROR)."""
    return run.verdict is not Verdict.ERROR and any(c.assumed_scale for c in run.captures)


def run_assumed_dwell(run: RunResult) -> bool:
    """Return True when the run's verdict assumes a dwell some instrument file does not state.

    Never for FAIL or ERROR (:attr:`~rfcheck.results.CaptureResult.assumed_dwell_basis`).
    """
    if run.verdict in (Verdict.FAIL, Verdict.ERROR):
        return False
    return any(c.assumed_dwell_basis for c in run.captures)


def run_unconfirmed(run: RunResult) -> bool:
    """Return True when the run's verdict rests on UNCONFIRMED limit values.

    A FAIL only when
    every failing capture's FAIL does, any other verdict when some capture's verdict does.
    """
    if run.verdict is Verdict.FAIL:
        fails = [c for c in run.captures if c.verdict is Verdict.FAIL]
        return all(c.unconfirmed_basis for c in fails)
    return any(c.unconfirmed_basis for c in run.captures)


def worst_check(capture: CaptureResult) -> LineCheck | None:
    """Return the single "worst" line quoted anywhere (headline, plot, summaries).

    The line that
    decides the verdict (:func:`~rfcheck.results.deciding_check`: worst verdict first, then
    the smallest margin), None when it has no finite margin.
    """
    w = deciding_check(capture.checks)
    if w is None or w.worst_margin_db is None or not math.isfinite(w.worst_margin_db):
        return None
    return w


def worst_measured_check(capture: CaptureResult) -> LineCheck | None:
    """Return the line with the smallest finite margin when the deciding line has none.

    An INCOMPLETE capture (lines not measured) or an INCONCLUSIVE one (a line no reading
    bounds) is decided by a line without a margin; the margins measured on its other lines
    are quoted "where measured", never as the verdict's. None when :func:`worst_check` gives
    a line, or no line has a margin.
    """
    if worst_check(capture) is not None:
        return None
    scored = [
        c
        for c in capture.checks
        if c.worst_margin_db is not None and math.isfinite(c.worst_margin_db)
    ]
    return min(scored, key=lambda c: (c.worst_margin_db, c.worst_frequency_hz or 0.0), default=None)


def decision_rule_text(run: RunResult) -> str:
    """Describe the decision rule in force, in words (printed on every report)."""
    return parse_decision_rule(run.decision_rule).description


#: The ``needs`` sentence names this many frequencies (ranges) before ``(+N more)``.
_NEEDS_SHOWN = 5


def _every_need(c: LineCheck) -> list[str]:
    """Every frequency and range a line still needs, when its sentence named only the first.

    The ``needs`` sentence (:attr:`~rfcheck.results.LineCheck.needs`) shows five and a
    count; a lab re-measuring from the paper report needs them all, as the JSON lists them.
    """
    out = []
    if len(c.needs_hz) > _NEEDS_SHOWN:
        every = ", ".join(fmt_point_mhz(f) for f in c.needs_hz)
        out.append(
            f"{c.limit_id} {c.line}: every frequency still to measure ({len(c.needs_hz)}, "
            f"worst first): {every} MHz."
        )
    if len(c.needs_ranges_hz) > _NEEDS_SHOWN:
        out.append(
            f"{c.limit_id} {c.line}: every range with lower bounds only "
            f"({len(c.needs_ranges_hz)}): "
            + ", ".join(f"{fmt_point_mhz(a)}\u2013{fmt_point_mhz(b)}" for a, b in c.needs_ranges_hz)
            + " MHz."
        )
    return out


def verdict_summary(capture: CaptureResult, every_need: bool = True) -> list[str]:
    """Plain-language lines explaining a capture's verdict (what it rests on / still needs).

    ``every_need`` False (a report's first page): a line's ``needs`` sentence, which names
    the first five, is not followed by every frequency; it says where they are listed (the
    capture's own section, which is given them with ``every_need`` True). The caveats
    (:func:`_caveats`) follow the first line.
    """
    lines: list[str] = []
    if capture.verdict is Verdict.ERROR:
        lines += [e.message for e in capture.errors] or ["The capture could not be analysed."]
        return lines
    worst = _worst_line(capture)
    if worst:
        lines.append(worst)
    if capture.levels_origin == "receiver model":
        lines.append(
            "Its levels were computed from the I/Q recording by rfcheck's CISPR 16-1-1 "
            "receiver model, not read from an instrument's detectors."
        )
    elif capture.levels_origin == "instrument and receiver model":
        lines.append(
            "Some of its levels were computed from an I/Q recording by rfcheck's CISPR 16-1-1 "
            "receiver model, not read from an instrument's detectors."
        )
    if capture.verdict is Verdict.INCONCLUSIVE:
        for c in capture.checks:
            if c.verdict is Verdict.INCONCLUSIVE:
                need = c.needs or "a measurement with the line's own detector"
                every = _every_need(c)
                line = f"{c.limit_id} {c.line}: still needs {need}."
                if every and not every_need:
                    line += " Every one is listed in the capture's section."
                lines.append(line)
                if every_need:
                    lines += every
    at = min(1, len(lines))
    return lines[:at] + _caveats(capture) + lines[at:]


def _worst_line(capture: CaptureResult) -> str:
    """Return the worst margin in a sentence (where measured when no line decides), or ""."""
    w = worst_check(capture)
    where = ""
    if w is None:
        w = worst_measured_check(capture)
        where = " where measured"
    if w is None:
        return ""
    bound = f" ({w.worst_bound.value})" if w.worst_bound else ""
    # under a decision rule, what the rule judged there too
    rule = fmt_rule_margin(w.rule_shift_db, w.effective_margin_db, w.worst_bound)
    return (
        f"Worst margin{where} {fmt_margin(w.worst_margin_db, w.worst_bound)} dB at "
        f"{fmt_point_mhz(w.worst_frequency_hz)} MHz against {w.limit_id} {w.line}{bound}"
        + (f"; {rule} under the decision rule." if rule else ".")
    )


def _caveats(capture: CaptureResult) -> list[str]:
    """Return what the verdict does not cover or takes on trust, most limiting first.

    A requested range, INCOMPLETE or partial coverage, an assumed dwell or scale,
    UNCONFIRMED limit values.
    """
    out: list[str] = []
    scope = requested_range_text(
        capture.verdict, capture.judged_range_hz, capture.required_range_hz
    )
    if scope:  # a PASS over a requested range says nothing of the rest (docs/verdict.md)
        out.append(f"REQUESTED RANGE: {scope}.")
    if capture.verdict is Verdict.INCOMPLETE:
        out.append(f"INCOMPLETE: {coverage_note(capture)}. PASS would mean the whole judged range.")
    elif capture.coverage != "complete":
        out.append(
            "PARTIAL COVERAGE: the verdict applies only to the frequencies evaluated; not "
            f"evaluated (no trace covers them): {not_evaluated_text(capture) or 'unknown'}."
        )
    assumed = assumed_dwell_note(capture)
    if assumed:
        out.append(
            "ASSUMED DWELL: the verdict takes quasi-peak or CISPR-average readings as "
            f"settled; it {assumed}. State the dwell (dwell_s, or the instrument's "
            "measurement time) to have it checked."
        )
    if capture.assumed_scale:
        out.append(
            f"ASSUMED SCALE: the {assumed_scale_note(capture)}: its samples were taken as volts "
            "at the receiver input, so every level and margin rests on that. State the scale "
            "(the file's rfcheck:volts_per_unit or the setup's [check] volts_per_unit) to "
            "have levels that do not depend on it."
        )
    unconfirmed = unconfirmed_note(capture)
    if unconfirmed:
        out.append(
            "UNCONFIRMED: the verdict rests on limit values not found in any source "
            f"({unconfirmed.removeprefix('deciding limit values UNCONFIRMED: ')}); verify "
            "them before relying on this result."
        )
    return out
