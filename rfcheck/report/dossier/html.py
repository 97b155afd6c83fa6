"""``dossier.html``: a browsable summary of one unit's test record (the record is the PDF).

Sections: verdict banner, the report id and where the record is (``dossier.pdf``), DUT and
plan, completeness matrix, final measurement tables per port, margin plots (``<img>`` of the
PNG files written beside it), error rows, notes, the 2.938(b) checklist (without page
numbers), the record findings, inputs with their SHA-256. Every value from a file or the
setup is escaped.

With the customs record, the banner, the ``record incomplete: ...`` line, the findings and
their count are the PDF's own (:mod:`rfcheck.record.banner`, :mod:`rfcheck.record.findings`),
not worded again here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from ..._version import __version__
from ...outcome import Verdict
from ...product.decision import rule_cover_lines
from ...product.dossier import UnitDossier
from ...product.final_table import ROWS_CHOSEN
from ...record.banner import assumption_labels, record_banner
from ...record.checklist import checklist_title, incomplete_line
from ...record.findings import FINDINGS_NOTE, FINDINGS_TITLE, NO_FINDINGS, findings_count
from ...record.issue import issue_text
from ...record.rules import (
    ISSUED_BY_LABEL,
    JUDGED_LABEL,
    RULE_LABEL,
    VERIFY_LABEL,
    VERIFY_TEXT,
    issued_by_text,
    judged_rows,
)
from ...textsafe import Lines, field_lines
from .._common import STATE_COLOURS
from ._distance import several_distances
from ._rows import (
    FINAL_HEADERS,
    FINAL_ROUNDING_NOTE,
    MATRIX_HEADERS,
    ROW_COLOURS,
    Row,
    device_rows,
    empty_final_table_text,
    final_rows,
    judged_limits,
    matrix_rows,
    verdict_reasons,
)

if TYPE_CHECKING:
    from ...product.record import UnitRecord

__all__ = ["render_dossier_html"]

#: What the page is, printed under its title: the record is the PDF.
SUMMARY_NOTE = (
    "This page is a browsable summary. The test record is dossier.pdf beside it: it adds the "
    "lab, the equipment and its calibration, setup photos, the 2.1077 compliance information, "
    "this unit's part of the entry, the input manifest and the signatures, and carries the "
    "JSON, CSV "
    "and manifest as attachments for 'rfcheck verify'."
)
#: The same, when the run wrote no PDF (``--format`` without ``pdf``).
SUMMARY_NOTE_NO_PDF = (
    "This page is a browsable summary. The test record is the PDF, dossier.pdf, which this "
    "run did not write (--format without pdf): run again with pdf to issue it. It adds the "
    "lab, the equipment and its calibration, setup photos, the 2.1077 compliance information, "
    "this unit's part of the entry, the input manifest and the signatures, and carries the "
    "JSON, CSV "
    "and manifest as attachments for 'rfcheck verify'."
)

_CSS = (
    """
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#1d2733;margin:0 auto;\
max-width:72rem;
padding:1.5rem;font-size:13px}h1{font-size:1.5rem}\
h2{font-size:1.15rem;border-bottom:2px solid #27374d}
.banner{color:#fff;padding:.8rem 1.2rem;font-size:1.6rem;font-weight:bold;text-align:center}
{banners}
td.v{color:#fff;font-weight:bold}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.8rem}
th{background:#27374d;color:#fff;text-align:left;padding:.2rem .35rem}
td{padding:.2rem .35rem;border-bottom:1px solid #c9ced6;vertical-align:top;white-space:pre-line}
.mono{font-family:"DejaVu Sans Mono",monospace;font-size:.78rem;word-break:break-all}
img{max-width:100%}
div.wide{overflow-x:auto;max-width:100%}
figure{margin:0 0 1.5rem}figcaption{font-weight:bold;margin:.2rem 0}
@media print{@page{size:landscape}div.wide{overflow:visible}\
div.wide table{font-size:.5rem;table-layout:fixed;word-break:break-word}}
.banner.record-incomplete{background:{amber}}
p.incomplete{color:{red};font-weight:bold}
""".replace(  # the reports' one verdict palette (MISSING in INCOMPLETE's colour)
        "{banners}", "".join(f".{k}{{background:{c}}}" for k, c in ROW_COLOURS.items())
    )
    .replace(  # a PASS whose record is incomplete: amber as in the PDF, never green
        "{amber}", STATE_COLOURS[Verdict.INCONCLUSIVE.value]
    )
    .replace("{red}", STATE_COLOURS[Verdict.FAIL.value])
)
# the plots are PNG files beside the page ('self' does not match a file:// page)
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' file:"


def _e(x: object) -> str:
    r"""Untrusted text as HTML: controls and bidi characters as visible escapes, then escaped.

    A cell shows line breaks (``white-space: pre-line``): only those between the lines of a
    :class:`~rfcheck.textsafe.Lines`; a line feed inside a field is shown as ``\n``.
    """
    return "\n".join(escape(line, quote=True) for line in field_lines(x))


def _table(headers: Sequence[str], rows: Sequence[Row], verdict_col: int | None = None) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for r in rows:
        tds = []
        for i, c in enumerate(r.cells):
            cls = f' class="v {_e(r.verdict or c)}"' if i == verdict_col else ""
            tds.append(f"<td{cls}>{_e(c)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _kv(items: Sequence[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in items)
    return f"<table>{rows}</table>"


def _reasons(lines: Sequence[str]) -> str:
    if not lines:
        return ""
    items = "".join(f"<li>{_e(line)}</li>" for line in lines)
    return f'<p>Decided by:</p><ul class="reasons">{items}</ul>'


def _rule(lines: Sequence[str]) -> str:
    """Return the decision rule the verdict was judged under ("" for ``simple``), as on page 1."""
    if not lines:
        return ""
    return _kv([(RULE_LABEL, Lines(lines))])


def render_dossier_html(
    d: UnitDossier,
    dut: Mapping[str, Any],
    plots: Sequence[tuple[str, str]] = (),
    serial: str | None = None,
    record: UnitRecord | None = None,
    *,
    pdf_written: bool = True,
) -> bytes:
    """Render the HTML page of one unit.

    Parameters
    ----------
    d : UnitDossier
    dut : mapping
        The setup's ``[dut]`` table.
    plots : sequence of (str, str)
        (title, file name) of the margin plots written beside the page.
    serial : str, optional
        The serial number of this unit (:func:`~rfcheck.product.record.unit_record`).
    record : UnitRecord, optional
        The customs record: its report id, lab and 2.938(b) checklist are shown.
    pdf_written : bool
        Whether ``dossier.pdf`` is written beside the page in this run; the page says where
        the record is either way, never pointing at a PDF of an earlier run.
    """
    v = d.verdict.value
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{_e(d.unit)}: test record summary ({_e(v)})</title>"
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Test record summary: {_e(d.unit)}</h1>",
        _banner(v, record, assumption_labels(d.assumptions)),
        _reasons(verdict_reasons(d)),
        _rule(rule_cover_lines(d.rules)),
        _record_head(record, judged_limits(d), pdf_written),
        "<h2>Device and plan</h2>",
        _kv(device_rows(d, dut, serial)),
        "<h2>Completeness matrix</h2>",
        # paths as the manifest names them, relative to its root: not shortened
        _table(
            MATRIX_HEADERS,
            matrix_rows(d.cells, several=several_distances(d), clauses=True),
            verdict_col=4,
        ),
        "<h2>Final measurements</h2>",
        f"<p>{_e(FINAL_ROUNDING_NOTE)}</p>" if d.final_rows else "",
        f"<p>{_e(ROWS_CHOSEN)}</p>",
    ]
    parts += _final_tables(d)
    if plots:
        parts.append("<h2>Margin plots</h2>")
        parts.extend(
            f'<figure><figcaption>{_e(t)}</figcaption><img src="{_e(f)}" alt="{_e(t)}"></figure>'
            for t, f in plots
        )
    if d.errors:
        parts.append("<h2>Errors</h2>")
        parts.append(_table(("File", "Problem"), [Row((e.path, e.message)) for e in d.errors]))
    if d.warnings:
        parts.append(
            "<h2>Notes</h2><ul>" + "".join(f"<li>{_e(w)}</li>" for w in d.warnings) + "</ul>"
        )
    if record is not None:
        parts += _checklist(record)
        parts += _findings(record)
    parts.append("<h2>Inputs</h2>")
    listed = (  # the record's manifest, as the PDF prints it; without one, the judged inputs
        record.manifest.listed()
        if record is not None
        else [(i.role, i.path, i.sha256) for i in d.inputs]
    )
    parts.append(_table(("Role", "Path", "SHA-256"), [Row(x) for x in listed]))
    parts.append(f"<footer>rfcheck {_e(__version__)}</footer></body></html>\n")
    return "\n".join(parts).encode("utf-8")


def _final_tables(d: UnitDossier) -> list[str]:
    """Return each planned port's final measurement table (or why it is empty)."""
    parts = []
    for port in d.plan.ports:
        parts.append(f"<h3>{_e(port)}</h3>")
        rows = final_rows(d.rows_of(port), several_distances(d))
        parts.append(  # wide: scrolled on screen, printed whole on a landscape page
            f'<div class="wide">{_table(*_filled_columns(FINAL_HEADERS, rows))}</div>'
            if rows
            else f"<p>{_e(empty_final_table_text(d, port))}</p>"
        )
        parts += [
            f"<p>Note: {_e(n.text(several_distances(d)))}.</p>" for n in d.no_emission_of(port)
        ]
    return parts


def _filled_columns(headers: Sequence[str], rows: Sequence[Row]) -> tuple[list[str], list[Row]]:
    """Drop the columns empty in every row (a conducted port's PK, a radiated port's AV/PK).

    The final table has a column group per limit line; the HTML showed 29 columns of which a
    conducted port filled 20. The PDF already leaves out a line no row has.
    """
    keep = [i for i in range(len(headers)) if any(r.cells[i] for r in rows)]
    return (
        [headers[i] for i in keep],
        [Row(tuple(r.cells[i] for i in keep), r.verdict) for r in rows],
    )


def _checklist(record: UnitRecord) -> list[str]:
    """Return the customs record's checklist: clause, item, status, what is missing."""
    return [
        f"<h2>{escape(checklist_title(record.checklist))}</h2>",
        _table(
            ("Clause (47 CFR)", "Item", "Status", "Missing / what the data show"),
            [
                Row((i.clause, i.title, i.status.value, ", ".join(i.missing) or i.note or "–"))
                for i in record.checklist
            ],
        ),
    ]


def _banner(verdict: str, record: UnitRecord | None, assumed: Sequence[str] = ()) -> str:
    """Return the verdict banner; with the record, the PDF's words and its missing items.

    ``FAIL · RECORD INCOMPLETE``, ``PASS (measurements) · RECORD INCOMPLETE`` (amber),
    ``PASS (ASSUMED DWELL)`` (``assumed``: what the verdict takes on trust) and the
    ``record incomplete: ...`` line come from :mod:`rfcheck.record`, as on the PDF's page 1.
    """
    if record is None:
        words = record_banner(verdict, (), assumed).text
        return f'<div class="banner {_e(verdict)}">{_e(words)}</div>'
    banner = record_banner(verdict, record.checklist, assumed)
    cls = f"banner {banner.verdict}" + (" record-incomplete" if banner.qualified_pass else "")
    out = f'<div class="{_e(cls)}">{_e(banner.text)}</div>'
    incomplete = incomplete_line(tuple(record.checklist))
    return out + (f'\n<p class="incomplete">{_e(incomplete)}</p>' if incomplete else "")


def _findings(record: UnitRecord) -> list[str]:
    """Return the record findings (the PDF's section): kind and message, escaped."""
    parts = [f"<h2>{_e(FINDINGS_TITLE)}</h2>", f"<p>{_e(FINDINGS_NOTE)}</p>"]
    if not record.findings:
        return [*parts, f"<p>{_e(NO_FINDINGS)}</p>"]
    rows = [Row((f.kind.value, f.message)) for f in record.findings]
    return [*parts, _table(("Kind", "Finding"), rows)]


def _record_head(record: UnitRecord | None, limits: Sequence[str], pdf_written: bool = True) -> str:
    """Return what the unit was judged against, the report id, issue time, lab, findings count.

    And where the record is (the PDF). ``limits``: the limit tables judged, each with its
    rule (the PDF cover's rows, :func:`rfcheck.record.rules.judged_rows`); ``pdf_written``:
    whether this run wrote ``dossier.pdf`` beside the page.
    """
    items: list[tuple[str, str]] = []
    if record is None:
        items.append((JUDGED_LABEL, Lines(limits) if limits else "none (no cell was judged)"))
    else:
        items += judged_rows(record.record, limits)
        items.append(("Report id", record.manifest.report_id.text))
        if pdf_written:
            items.append((VERIFY_LABEL, VERIFY_TEXT))
        items.append(("Issued (UTC)", issue_text(record.issued)))
        items.append((ISSUED_BY_LABEL, issued_by_text()))
        items.append(("Test laboratory", record.record.lab.name or "MISSING"))
        items.append((FINDINGS_TITLE, findings_count(record.findings)))
        entry = record.record.entry
        if entry is not None:  # the entry's verdict is its cover sheet's, never this page's
            items.append(
                (
                    "Entry",
                    f"{entry.entry_number or '(number not stated)'}: this unit is one of the "
                    "units tested for it; the entry's cover sheet, with every tested unit and "
                    f"the entry's verdict, is {entry.entry_document or 'not issued by this run'}"
                    + (" in the output folder (../)" if entry.entry_document else ""),
                )
            )
    note = SUMMARY_NOTE if pdf_written else SUMMARY_NOTE_NO_PDF
    return f"<p>{_e(note)}</p>" + (_kv(items) if items else "")
