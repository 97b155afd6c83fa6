"""The batch summary files.

``summary.csv``, ``summary_groups.csv``, ``summary.json`` and ``index.html``, rendered from the rows
of :mod:`rfcheck.batch.results`.

Each row shows the deciding line (``worst_*``) and the tightest measured margin
(``tightest_*``), ``docs/batch.md`` "Summary rows".
Sign convention, as everywhere: ``margin_db = limit - level`` (positive = below the limit);
``worst_bound`` is what the level is, so ``index.html`` prints margins signed, as every report
does (:func:`~rfcheck.report.margin_text.fmt_margin`): a lower-bound level's margin as
``≤ +36.70 dB``, an upper-bound level's as ``≥ -7.13 dB``.
Every file is written atomically (:func:`~rfcheck.report.atomic.write_atomic`) and is
byte-identical for identical rows (no timestamps). CSV goes through the one writer and
cell neutraliser (:mod:`rfcheck.report.csv_cells`); the HTML page uses the shared
skeleton and style sheet (:mod:`rfcheck.report.page`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from .._version import __version__
from ..batch.assumptions import assumed_counts, resting_on
from ..batch.groups import GroupResult
from ..batch.results import (
    NOT_RUN,
    SummaryRow,
    not_analysed_count,
    overall_coverage,
    range_limited_passes,
    verdict_counts,
)
from ..frequency import format_hz
from ..outcome import MARGIN_SIGN, Verdict, combine_verdicts
from ..textsafe import json_safe
from .assumed_text import ASSUMED_DWELL, ASSUMED_SCALE, assumed_count, qualified_verdict
from .atomic import write_atomic_all
from .csv_cells import csv_text
from .margin_text import fmt_margin
from .page import esc, page, table
from .range_text import coverage_text, hz_range_cell, range_only_count

__all__ = [
    "SUMMARY_COLUMNS",
    "GROUP_COLUMNS",
    "count_notes",
    "counts_text",
    "verdict_text",
    "summary_html",
    "summary_json",
    "write_summary",
]

#: Columns of ``summary.csv`` (the keys of :meth:`SummaryRow.to_json`).
SUMMARY_COLUMNS = (
    "path",
    "sha256",
    "format",
    "verdict",
    "coverage",
    "worst_margin_db",
    "worst_frequency_hz",
    "worst_bound",
    "worst_limit",
    "group",
    "reports",
    "error",
    "tightest_margin_db",
    "tightest_frequency_hz",
    "tightest_bound",
    "tightest_limit",
    "judged_range_hz",
    "required_range_hz",
    "requested_range",
    "levels",
    "scale",
    "assumed_dwell_lines",
    "assumed_dwell_s",
    "assumed_scale",
    "data_sha256",
)
#: Columns of ``summary_groups.csv`` (the keys of :meth:`GroupResult.to_json`).
GROUP_COLUMNS = (
    "group",
    "verdict",
    "coverage",
    "members",
    "worst_margin_db",
    "worst_frequency_hz",
    "worst_bound",
    "worst_limit",
    "worst_path",
    "paths",
    "tightest_margin_db",
    "tightest_frequency_hz",
    "tightest_bound",
    "tightest_limit",
    "tightest_path",
    "requested_range",
    "assumed_dwell_paths",
    "assumed_scale_paths",
)


def summary_json(
    rows: Sequence[SummaryRow],
    groups: Sequence[GroupResult],
    pattern: str | None,
    *,
    interrupted: bool = False,
    stale: Sequence[str] = (),
    stale_kept: str = "",
) -> str:
    """Return the ``summary.json`` document, newline-terminated.

    ``interrupted``: the run was stopped before every input was analysed; ``counts``: the
    analysed inputs per verdict, and ``not_analysed`` the others (their rows INCOMPLETE,
    coverage ``none``); ``stale_captures``: folders under OUT that belong to no input of this
    run; ``stale_kept``: why they were kept though rfcheck wrote them ("" when it did not
    write them all).
    """
    doc = {
        "rfcheck_version": __version__,
        "margin_sign": MARGIN_SIGN,
        "verdict": combine_verdicts([r.verdict for r in rows]).value,
        "coverage": overall_coverage(rows),
        "counts": verdict_counts(rows),
        "not_analysed": not_analysed_count(rows),
        "pass_requested_range_only": range_limited_passes(rows),
        "assumed_dwell_counts": assumed_counts(rows, ASSUMED_DWELL),
        "assumed_scale_counts": assumed_counts(rows, ASSUMED_SCALE),
        "group_pattern": pattern,
        "rows": [r.to_json() for r in rows],
        "groups": [g.to_json() for g in groups],
        "interrupted": interrupted,
        "stale_captures": list(stale),
        "stale_kept": stale_kept,
    }
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"


def count_notes(rows: Sequence[SummaryRow], verdict: str) -> str:
    """Return what a verdict's count says apart, or "": the qualified verdicts among it.

    ``(1 over a requested range only)`` beside the PASS count (``docs/batch.md``, "Requested
    range"), ``(3 with an assumed dwell)`` beside any count some of whose verdicts take a
    dwell or a scale on trust ("What a verdict takes on trust"): a count never reads as
    that many plain verdicts.
    """
    limited = range_limited_passes(rows) if verdict == "PASS" else 0
    notes = [range_only_count(limited)] if limited else []
    dwell = assumed_counts(rows, ASSUMED_DWELL)[verdict]
    scale = assumed_counts(rows, ASSUMED_SCALE)[verdict]
    notes += [assumed_count(dwell, scale)] if dwell or scale else []
    return " ".join(notes)


def counts_text(rows: Sequence[SummaryRow]) -> str:
    """Return the verdict counts in words, the qualified verdicts among each said apart.

    ``2 PASS (1 over a requested range only) (1 with an assumed dwell), 1 FAIL, 0
    INCONCLUSIVE, 0 INCOMPLETE, 0 ERROR`` (:func:`count_notes`); an interrupted run's inputs
    not analysed last, apart from the INCOMPLETE verdicts: ``, 7 not analysed``.
    """
    parts = []
    for v, n in verdict_counts(rows).items():
        extra = count_notes(rows, v)
        parts.append(f"{n} {v}" + (f" {extra}" if extra else ""))
    not_run = not_analysed_count(rows)
    parts += [f"{not_run} not analysed"] if not_run else []
    return ", ".join(parts)


def verdict_text(rows: Sequence[SummaryRow]) -> str:
    """Return the batch verdict, qualified when it rests on requested ranges or assumptions.

    ``PASS (2 of 3 inputs over a requested range only)``, ``PASS (3 of 4 inputs with an
    assumed dwell)`` (the rows :func:`~rfcheck.batch.assumptions.resting_on` finds); an
    interrupted run's, ``FAIL (interrupted: 7 of 12 inputs not analysed)``; else the verdict
    as it is.
    """
    verdict = combine_verdicts([r.verdict for r in rows])
    limited = range_limited_passes(rows) if verdict is Verdict.PASS else 0
    notes = [range_only_count(limited, len(rows), "inputs")] if limited else []
    dwell = len(resting_on(rows, verdict, ASSUMED_DWELL))
    scale = len(resting_on(rows, verdict, ASSUMED_SCALE))
    notes += [assumed_count(dwell, scale, len(rows), "inputs")] if dwell or scale else []
    not_run = not_analysed_count(rows)
    notes += [f"(interrupted: {not_run} of {len(rows)} inputs not analysed)"] if not_run else []
    return " ".join([verdict.value, *notes])


def _csv_record(row: SummaryRow) -> dict[str, object]:
    """Return a row's ``summary.csv`` cells: its JSON, each range as ``low-high`` [Hz]."""
    return {
        **row.to_json(),
        "judged_range_hz": hz_range_cell(row.judged_range_hz),
        "required_range_hz": hz_range_cell(row.required_range_hz),
    }


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return ""
    if unit == "Hz":
        return format_hz(x)
    return f"{x:.2f} {unit}"


def _margin(margin_db: float | None, bound: str) -> str:
    """Return a signed margin with what its level's bound makes of it (``≤ +36.70 dB``), or ""."""
    return "" if margin_db is None else esc(fmt_margin(margin_db, bound)) + " dB"


def _verdict(value: str, scope: str = "", assumed: Sequence[str] = ()) -> str:
    """Return a coloured verdict; ``scope`` the requested-range statement of a PASS.

    ``assumed``: what the verdict takes on trust, after it (``PASS (ASSUMED DWELL)``).
    """
    note = f"<br>{esc(scope.removeprefix(value + ' '))}" if scope else ""
    labels = esc(qualified_verdict("", assumed))
    return f'<span class="v-{value}">{value}</span>{labels}{note}'


def _status(
    rows: Sequence[SummaryRow], interrupted: bool, stale: Sequence[str], stale_kept: str = ""
) -> list[str]:
    """Describe the run's state: interrupted, and report folders that belong to no input.

    Interrupted, how many inputs were not analysed and how their rows read: only those, not
    an analysed input whose verdict is INCOMPLETE.
    """
    out = []
    if interrupted:
        n = not_analysed_count(rows)
        out.append(
            f"<p><strong>Interrupted:</strong> {n} of {len(rows)} inputs were not analysed "
            f"(verdict INCOMPLETE, coverage none, error &ldquo;{esc(NOT_RUN)}&rdquo;); an "
            "INCOMPLETE input with another error or none was analysed. Run the same command "
            "again to finish.</p>"
        )
    if stale:
        names = ", ".join(f"<code>{esc(s)}</code>" for s in stale)
        why = f"; kept because {esc(stale_kept)}" if stale_kept else ""
        out.append(f"<p>Stale report folders (no input of this run{why}): {names}.</p>")
    return out


def _heading(rows: Sequence[SummaryRow]) -> list[str]:
    """Title, batch verdict, counts, coverage and the links to the other summary files."""
    verdict = combine_verdicts([r.verdict for r in rows]).value
    qualified = verdict_text(rows).removeprefix(verdict)
    partial = sum(r.coverage == "partial" for r in rows)
    none = sum(r.coverage == "none" for r in rows)
    return [
        "<h1>rfcheck batch summary</h1>",
        f"<p>Verdict: {_verdict(verdict)}{esc(qualified)} &mdash; {len(rows)} inputs: "
        f"{esc(counts_text(rows))}; coverage: {len(rows) - partial - none} complete, "
        f"{partial} partial, "
        f"{none} none (a verdict applies only to the frequency ranges evaluated). "
        "Margin = limit &minus; level (positive = below the limit). "
        f"rfcheck {esc(__version__)}.</p>",
        '<p>Also as <a href="summary.csv">summary.csv</a>, <a href="summary.json">'
        'summary.json</a>, <a href="summary_groups.csv">summary_groups.csv</a>.</p>',
    ]


def _units(groups: Sequence[GroupResult], pattern: str | None) -> list[str]:
    """Return the worst case per unit (nothing without groups)."""
    if not groups:
        return []
    head = (
        "Unit",
        "Verdict",
        "Coverage",
        "Captures",
        "Worst margin",
        "At",
        "Limit",
        "Worst capture",
        "Tightest measured",
        "At",
        "Limit",
        "Capture",
    )
    body = [
        (
            esc(g.name),
            _verdict(g.verdict.value, g.requested_range, g.assumed),
            esc(g.coverage),
            str(len(g.members)),
            _margin(g.worst_margin_db, g.worst_bound),
            _fmt(g.worst_frequency_hz, "Hz"),
            esc(g.worst_limit),
            esc(g.worst_path),
            _margin(g.tightest_margin_db, g.tightest_bound),
            _fmt(g.tightest_frequency_hz, "Hz"),
            esc(g.tightest_limit),
            esc(g.tightest_path),
        )
        for g in groups
    ]
    return [
        f"<h2>Units</h2><p>Grouped by <code>{esc(pattern or '')}</code>.</p>",
        table(head, body, num=(3, 4, 5, 8, 9)),
    ]


def _capture_cells(r: SummaryRow, grouped: bool) -> list[str]:
    """One capture's cells: the report links and its error, escaped."""
    links = " ".join(
        f'<a href="{esc(quote(p))}">{esc(p.rsplit("/", 1)[-1])}</a>' for p in r.reports
    )
    detail = links + (f"<br>{esc(r.error)}" if r.error and links else esc(r.error))
    sha = f'<code title="{esc(r.sha256)}">{esc(r.sha256[:12])}</code>' if r.sha256 else ""
    cells = [
        esc(r.path),
        _verdict(r.verdict.value, r.requested_range, r.assumed),
        esc(coverage_text(r.coverage, r.judged_range_hz)),
        _margin(r.worst_margin_db, r.worst_bound),
        _fmt(r.worst_frequency_hz, "Hz"),
        esc(r.worst_limit),
        _margin(r.tightest_margin_db, r.tightest_bound),
        _fmt(r.tightest_frequency_hz, "Hz"),
        esc(r.tightest_limit),
    ]
    cells += [esc(r.group)] if grouped else []
    return [*cells, esc(r.format or ""), sha, detail]


def _captures(rows: Sequence[SummaryRow], grouped: bool) -> list[str]:
    """One line per input, in summary order."""
    head = ["Path", "Verdict", "Coverage", "Worst margin", "At", "Limit"]
    head += ["Tightest measured", "At", "Limit"]
    head += ["Unit"] if grouped else []
    head += ["Format", "SHA-256", "Reports / error"]
    return [
        "<h2>Captures</h2>",
        "<p>Worst margin: the margin of the line that decides the capture's verdict "
        "(FAIL &gt; INCONCLUSIVE &gt; INCOMPLETE &gt; PASS, then the smallest margin); "
        "empty when that line was not measured. Tightest measured: the smallest margin "
        "over all its lines whose level is measured or an upper bound.</p>",
        table(head, [_capture_cells(r, grouped) for r in rows], num=(3, 4, 6, 7)),
    ]


def summary_html(
    rows: Sequence[SummaryRow],
    groups: Sequence[GroupResult],
    pattern: str | None,
    *,
    interrupted: bool = False,
    stale: Sequence[str] = (),
    stale_kept: str = "",
) -> bytes:
    """Build the ``index.html`` page: verdict and counts, the units, one line per input."""
    body = [
        *_heading(rows),
        *_status(rows, interrupted, stale, stale_kept),
        *_units(groups, pattern),
        *_captures(rows, bool(groups)),
    ]
    return page("rfcheck batch summary", body, version=__version__)


def write_summary(
    out: Path,
    rows: Sequence[SummaryRow],
    groups: Sequence[GroupResult],
    *,
    pattern: str | None = None,
    interrupted: bool = False,
    stale: Sequence[str] = (),
    stale_kept: str = "",
) -> list[Path]:
    """Write the four summary files, all or none.

    ``summary.csv``, ``summary_groups.csv``, ``summary.json`` and ``index.html``, all or none
    (:func:`~rfcheck.report.atomic.write_atomic_all`).

    Parameters
    ----------
    out : Path
        The batch's output folder (created if needed).
    rows : sequence of SummaryRow
        One per input, in discovery order.
    groups : sequence of GroupResult
        One per unit (empty without a group pattern).
    pattern : str, optional
        The group pattern, shown in ``summary.json`` and the page.
    interrupted : bool
        The run stopped before every input was analysed (stated in the JSON and the page).
    stale : sequence of str
        Folders under ``out`` that belong to no input of this run (listed likewise).
    stale_kept : str
        Why those folders were kept though rfcheck wrote them (JSON ``stale_kept``, and on
        the page): a folder could not be listed. "" otherwise.

    Returns
    -------
    list of Path
        The paths written, in that order.
    """
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "summary.csv": csv_text(SUMMARY_COLUMNS, [_csv_record(r) for r in rows]).encode("utf-8"),
        "summary_groups.csv": csv_text(GROUP_COLUMNS, [g.to_json() for g in groups]).encode(
            "utf-8"
        ),
        "summary.json": summary_json(
            rows, groups, pattern, interrupted=interrupted, stale=stale, stale_kept=stale_kept
        ).encode("utf-8"),
        "index.html": summary_html(
            rows, groups, pattern, interrupted=interrupted, stale=stale, stale_kept=stale_kept
        ),
    }
    return write_atomic_all({out / name: data for name, data in files.items()})
