"""``entry.pdf``: the entry cover sheet of a dossier run, in the record's PDF style.

One page for the broker (more only for a long list of units): the entry's measurement
verdict as a banner with the rule that combines the units', the entry's facts, every tested
unit side by side (serial, unit, model, verdict, what decides it, its record file and report
id), then the record files it rests on with their SHA-256 (also attached as
``manifest.json``, so ``rfcheck verify OUT/entry.pdf --inputs OUT`` re-checks them). Every
string from the setup goes through :func:`~._pdfstyle.para` (escaped).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from ..report.assumed_text import qualified_verdict
from ..textsafe import Lines
from ._pdfstyle import (
    AMBER,
    RED,
    cell,
    esc,
    field,
    hexcolor,
    markup,
    para,
    title_para,
    verdict_colour,
)
from .attachments import Attachment
from .banner import RECORD_INCOMPLETE
from .document import Paper, build_pdf
from .entry_sheet import (
    ENTRY_RULE,
    ENTRY_VERDICT_LABEL,
    EntrySheet,
    entry_facts,
    entry_json_bytes,
)
from .pdf_sections import _FULL_WIDTH, _facts, _grid, _head, _table

__all__ = ["ENTRY_JSON_ATTACHMENT", "entry_pdf"]

#: The entry sheet's JSON, attached to the PDF (the same bytes as ``entry.json``).
ENTRY_JSON_ATTACHMENT = "entry.json"

#: Widths of the units table: serial, unit, model, verdict, decided by, record and its id. [pt]
_UNIT_WIDTHS = [27 * mm, 16 * mm, 17 * mm, 30 * mm, 0.0, 46 * mm]
_UNIT_WIDTHS[4] = _FULL_WIDTH - sum(_UNIT_WIDTHS)


def _verdict_cell(verdict: str, record: str | None = None) -> Flowable:
    """Return the unit's verdict, and under it its record's state (amber when incomplete)."""
    text = f'<font color="{hexcolor(verdict_colour(verdict))}"><b>{esc(verdict)}</b></font>'
    if record is not None:
        colour = AMBER if record.startswith("RECORD INCOMPLETE") else verdict_colour("PASS")
        text += f'<br/><font color="{hexcolor(colour)}">{esc(record)}</font>'
    return markup(text, "cell")


def _banner(sheet: EntrySheet) -> Flowable:
    """Return the entry's verdict on its verdict's colour (the record banner's look).

    When a unit's record lacks an item, a second line says ``RECORD INCOMPLETE`` and a PASS
    reads ``PASS (measurements)`` on amber, never green, as a unit's banner does
    (:mod:`.banner`), with what the verdict takes on trust after it (``PASS (ASSUMED
    DWELL)``); the first line alone is the verdict ``rfcheck verify`` reads.
    """
    banner = sheet.banner
    colour = AMBER if banner.qualified_pass else verdict_colour(banner.verdict)
    word = f"{banner.verdict} (measurements)" if banner.qualified_pass else banner.verdict
    word = qualified_verdict(word, banner.assumed)  # PASS (ASSUMED DWELL)
    rows = [[para(f"{ENTRY_VERDICT_LABEL}: {word}", "banner")]]
    if not banner.record_complete:
        line = esc(f"{RECORD_INCOMPLETE}: {sheet.records_lacking}")
        rows.append([markup(f'<font color="#ffffff"><b>{line}</b></font>')])
    return _table(
        rows,
        [_FULL_WIDTH],
        [
            ("BACKGROUND", (0, 0), (-1, -1), colour),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )


def _units_table(sheet: EntrySheet) -> Flowable:
    rows: list[list[Flowable]] = [
        _head("Serial", "Unit", "Model", "Verdict", "Decided by", "Record (report id)")
    ]
    for u in sheet.units:
        decided = u.decided_by or ("–" if u.verdict.value == "PASS" else "")
        if u.note:
            decided = Lines([decided, f"NOTE: {u.note}"] if decided else [f"NOTE: {u.note}"])
        rows.append(
            [
                cell(
                    "– (model not judged)" if u.untested_model else u.serial,
                    missing="not stated",
                ),  # fmt: skip
                cell(u.unit or "not in this run"),
                cell(u.model or "–"),
                _verdict_cell(u.verdict.value, u.record_text),
                field(decided),  # a note may quote the setup (a model not judged)
                para(Lines(filter(None, [u.record, u.report_id])) if u.record else "none", "cell"),
            ]
        )
    return _grid(rows, _UNIT_WIDTHS)


def _provenance(sheet: EntrySheet) -> list[Flowable]:
    rows = [_head("Role", "File (in the output folder)", "SHA-256")]
    rows += [
        [para(role, "cell"), para(path, "cell"), para(sha, "mono")]
        for role, path, sha in sheet.manifest.listed()
    ]
    return [
        para("Records this sheet rests on", "h2"),
        para(
            f"Report id {sheet.manifest.report_id.text} = SHA-256 of the entry table and each "
            f"unit's verdict and report id, with rfcheck {sheet.manifest.rfcheck_version}; "
            "each unit's id derives from the captures, setup and tables its record lists. "
            "This list and entry.json are attached to this PDF; 'rfcheck verify entry.pdf "
            "--inputs <output folder>' re-checks the files.",
            "muted",
        ),
        _grid(rows, [22 * mm, 60 * mm, _FULL_WIDTH - 82 * mm]),
    ]


def _story(sheet: EntrySheet) -> list[Flowable]:
    n = len([u for u in sheet.units if u.unit is not None])
    out: list[Flowable] = [
        title_para(sheet.title),
        para(
            "Entry cover sheet (47 CFR 2.1203, 2.1204(a)): every unit tested for the entry "
            f"in this run ({n}); this sheet {sheet.scope}. Each unit's own record is its "
            "dossier file below.",
            "muted",
        ),
        Spacer(1, 3 * mm),
        _banner(sheet),
        Spacer(1, 1.5 * mm),
        para(ENTRY_RULE, "muted"),
        Spacer(1, 3 * mm),
        _facts(entry_facts(sheet)),
        Spacer(1, 3 * mm),
        para("Units tested for this entry", "h2"),
        _units_table(sheet),
    ]
    if sheet.models_not_judged:
        out.append(
            markup(
                f'<font color="{hexcolor(RED)}">Models of the entry not judged in this run '
                f"({esc(', '.join(sheet.models_not_judged))}) have no record on this sheet: "
                "their records are separate documents, and this sheet cannot read PASS for "
                "the entry. The entry passes only when each of its models' sheets shows its "
                "own tested units PASS.</font>",
                "small",
            )
        )
    if any(u.unit is None and not u.untested_model for u in sheet.units):
        out.append(
            markup(
                f'<font color="{hexcolor(RED)}">Serials listed as tested with no record in '
                "this run are not measured: the entry cannot PASS until they are.</font>",
                "small",
            )
        )
    out += [Spacer(1, 4 * mm), *_provenance(sheet)]
    return out


def entry_pdf(sheet: EntrySheet, *, paper: Paper | str = Paper.LETTER) -> bytes:
    """Return ``entry.pdf``: the sheet and its records' hashes; entry.json and manifest attached.

    The manifest carries the digest of the finished pages (:func:`~.pages.seal`).

    Dated ``sheet.issued`` (the run's issue time), as every record of the run.
    """
    return build_pdf(
        None,
        lambda _index: _story(sheet),
        paper=paper,
        title=sheet.title,
        report_id=sheet.manifest.report_id.text,
        attachments=[Attachment(ENTRY_JSON_ATTACHMENT, entry_json_bytes(sheet))],
        manifest=sheet.manifest,
        issued=sheet.issued,
    )
