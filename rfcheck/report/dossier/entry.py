"""The entry cover sheet's files: ``OUT/entry.json``, ``entry.html``, ``entry.pdf``.

One per dossier run whose setup has ``[entry]`` (:func:`rfcheck.product.entry.entry_sheet`),
in the formats the run was asked for (``plots`` alone writes none). The HTML is the PDF's
content as a page: the entry's verdict, its facts, every tested unit with a link to its
record, and the record files with their SHA-256; every value from the setup is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from ..._version import __version__
from ...outcome import Verdict
from ...product.outputs import ENTRY_FILES
from ...record.entry_sheet import ENTRY_RULE, EntrySheet, entry_facts, entry_json_bytes
from ...textsafe import field_lines
from ..atomic import write_atomic
from ..page import esc, page, table

__all__ = ["render_entry_html", "write_entry"]


def _lines(text: str) -> str:
    r"""Escaped text, broken between the lines of a :class:`Lines` only (``\n`` inside one)."""
    return "<br>".join(escape(line, quote=True) for line in field_lines(text))


def _link(record: str | None) -> str:
    """Return a unit's record file as a link relative to the page (in the output folder)."""
    return f'<a href="{esc(record)}">{esc(record)}</a>' if record else "none"


#: A value the setup does not state, as the PDF prints it.
_MISSING = '<b class="v-FAIL">MISSING</b>'


def _facts(rows: Sequence[tuple[str, str | None]]) -> str:
    body = "".join(
        f"<tr><td>{esc(k)}</td><td>{_MISSING if v is None else _lines(v)}</td></tr>"
        for k, v in rows
    )
    return f'<table class="kv"><tbody>{body}</tbody></table>'


def render_entry_html(sheet: EntrySheet) -> bytes:
    """Return ``entry.html``: the entry cover sheet as a page (the PDF is the document)."""
    v = sheet.verdict.value
    banner = sheet.banner
    rows = []
    for u in sheet.units:
        decided = u.decided_by or ("–" if u.verdict is Verdict.PASS else "")
        note = f'<br><span class="warn">NOTE: {esc(u.note)}</span>' if u.note else ""
        state = ""
        if u.record_text is not None:
            cls = "warn" if u.record_state == "incomplete" else "muted"
            state = f'<br><span class="{cls}">{esc(u.record_text)}</span>'
        if u.untested_model:
            serial = "– (model not judged)"
        elif u.serial:
            serial = esc(u.serial)
        else:
            serial = '<span class="notstated">not stated</span>'
        rows.append(
            [
                serial,
                esc(u.unit) if u.unit else "not in this run",
                esc(u.model or "–"),
                f'<span class="v-{esc(u.verdict.value)}">{esc(u.verdict.value)}</span>{state}',
                _lines(decided) + note,
                _link(u.record),
                esc(u.report_id or "–"),
            ]
        )
    listed = [
        [esc(role), esc(path), f'<span class="mono">{esc(sha)}</span>']
        for role, path, sha in sheet.manifest.listed()
    ]
    # a PASS whose unit records lack items: amber (INCONCLUSIVE's colour), as in the PDF
    colour = Verdict.INCONCLUSIVE.value if banner.qualified_pass else v
    body = [
        f"<h1>{esc(sheet.title)}</h1>",
        '<p class="sub">Entry cover sheet (47 CFR 2.1203, 2.1204(a)): every unit tested for '
        f"the entry in this run; this sheet {esc(sheet.scope)}. The document is entry.pdf "
        "beside this page.</p>",
        f'<div class="verdict {esc(colour)}"><p class="big">Entry measurement verdict: '
        f"{esc(banner.text)}</p></div>",
        f'<p class="muted">{esc(ENTRY_RULE)}</p>',
        _facts(entry_facts(sheet)),
        "<h2>Units tested for this entry</h2>",
        table(["Serial", "Unit", "Model", "Verdict", "Decided by", "Record", "Report id"], rows),
        *(
            [
                f'<p class="warn">Models of the entry not judged in this run '
                f"({esc(', '.join(sheet.models_not_judged))}) have no record on this sheet: "
                "their records are separate documents, and this sheet cannot read PASS for the "
                "entry. The entry passes only when each of its models' sheets shows its own "
                "tested units PASS.</p>"
            ]
            if sheet.models_not_judged
            else []
        ),
        "<h2>Records this sheet rests on</h2>",
        f'<p class="muted">Report id {esc(sheet.manifest.report_id.text)} = SHA-256 of the '
        "entry table and each unit's verdict and report id; the files are each unit's record "
        "as written, with its SHA-256.</p>",
        table(["Role", "File (in the output folder)", "SHA-256"], listed),
        f"<footer>rfcheck {esc(__version__)}</footer>",
    ]
    return page(f"{sheet.title} ({v})", body, version=__version__)


def write_entry(
    sheet: EntrySheet, out: Path, formats: Sequence[str], *, paper: str = "letter"
) -> list[Path]:
    """Write the entry cover sheet in ``formats`` (json, html, pdf) into ``out``; return them."""
    written: list[Path] = []
    if "json" in formats:
        written.append(write_atomic(out / ENTRY_FILES["json"], entry_json_bytes(sheet)))
    if "html" in formats:
        written.append(write_atomic(out / ENTRY_FILES["html"], render_entry_html(sheet)))
    if "pdf" in formats:
        from ...record.entry_pdf import entry_pdf

        written.append(write_atomic(out / ENTRY_FILES["pdf"], entry_pdf(sheet, paper=paper)))
    return written
