"""reportlab flowables for what the record declares, after the measurement sections.

The 2.1077 compliance-information block, the unit's part of the entry (2.1203, 2.1204(a)), the
limit-provenance legend, the signature lines, the equipment and calibration findings and
the input manifest, each a list of flowables starting with a
:class:`~.document.SectionMark`, built with the table helpers of :mod:`.pdf_sections`.
Every string from the setup or a capture goes through :func:`~._pdfstyle.para` (escaped).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ..textsafe import Lines
from ._pdfstyle import RED, esc, field, hexcolor, markup, para, wide, wide_text
from .checklist import Section, claim_caveat, entry_declares_compliance
from .document import PageIndex, SectionMark
from .entry_sheet import shipment_facts, tested_model
from .findings import (
    FINDINGS_NOTE,
    FINDINGS_TITLE,
    NO_FINDINGS,
    Finding,
    import_condition_conflict,
)
from .manifest import Manifest
from .model import AuthorizationPath, Photo, PhotoRole, Record
from .pdf_sections import (
    _FULL_WIDTH,
    CoverFacts,
    _facts,
    _grid,
    _head,
    _heading,
    _photo_block,
    _table,
)
from .rules import party_label
from .statements import (
    STATUS_LEGEND,
    ComplianceInformation,
    compliance_information,
    import_condition_text,
    user_statement,
)

__all__ = [
    "ENTRY_PART_TITLE",
    "compliance_section",
    "entry_section",
    "provenance_legend",
    "signature_section",
    "findings_section",
    "manifest_section",
]


#: Padding inside a declaration's frame, each side. [pt]
_BOX_PAD_PT = 8


def _boxed(flowables: list[Flowable]) -> Table:
    return _table(
        [[f] for f in flowables],
        [_FULL_WIDTH],
        [
            ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
            ("LEFTPADDING", (0, 0), (-1, -1), _BOX_PAD_PT),
            ("RIGHTPADDING", (0, 0), (-1, -1), _BOX_PAD_PT),
        ],
    )


def not_valid_title(verdict: str) -> str:
    """Return the title of a declaration the verdict does not support (inside its frame)."""
    return f"NOT VALID FOR THIS UNIT: verdict {verdict.upper()}"


def _declaration(flowables: list[Flowable], verdict: str | None) -> Table:
    """Return a declaration of compliance in its frame (the SDoC, label, 15.105 texts).

    For a unit that does not PASS, the frame itself is red and opens and closes with
    ``NOT VALID FOR THIS UNIT: verdict FAIL`` on red, the caveat under the title: the box
    cropped, photocopied or read alone never reads as valid. The text stays, for the lab.
    """
    caveat = claim_caveat(verdict)
    if caveat is None or verdict is None:
        return _boxed(flowables)
    title = markup(f'<font color="#ffffff"><b>{esc(not_valid_title(verdict))}</b></font>')
    note = markup(f'<font color="{hexcolor(RED)}"><b>CAVEAT:</b> {esc(caveat)}</font>', "body")
    last = len(flowables) + 2
    return _table(
        [[title], [note], *([f] for f in flowables), [title]],
        [_FULL_WIDTH],
        [
            ("BOX", (0, 0), (-1, -1), 2.4, RED),
            ("BACKGROUND", (0, 0), (-1, 0), RED),
            ("BACKGROUND", (0, last), (-1, last), RED),
            ("LEFTPADDING", (0, 0), (-1, -1), _BOX_PAD_PT),
            ("RIGHTPADDING", (0, 0), (-1, -1), _BOX_PAD_PT),
        ],
    )


def compliance_section(
    record: Record, index: PageIndex, verdict: str | None = None
) -> list[Flowable]:
    """Return the compliance information section.

    Its heading and block follow the stated authorization (a certified device's grant and
    grantee, not the 2.1077 block: :func:`~.statements.compliance_information`).
    The 2.1077 compliance information block (ready to print), label evidence, and the 15.105 manual
    statement for the class. ``verdict`` is the unit's measurement verdict: other than PASS,
    each declaration of compliance (the 15.19(a)(3) statement, the label text, the 15.105
    statement) is framed as not valid for this unit, with the caveat saying the measured
    data do not support it (:func:`_declaration`).
    """
    info = compliance_information(record)
    out = [
        *_heading(info.heading, Section.COMPLIANCE, index),
        _declaration(_information_lines(info), verdict),
        para(info.note, "muted"),
        Spacer(1, 3 * mm),
        SectionMark(Section.LABEL, index),
        para("Label", "h2"),
    ]
    out += _label_evidence(record, verdict)
    return out + _manual_statement(record, verdict, index)


def _information_lines(info: ComplianceInformation) -> list[Flowable]:
    """Return the 2.1077 block's lines (MISSING in red where a value is not stated)."""
    lines: list[Flowable] = [para(info.title, "h2")]
    lines += [
        markup(
            f"<b>{esc(x.label)}:</b> "
            + (
                wide_text(x.value)
                if x.value is not None
                else f'<font color="{hexcolor(RED)}">MISSING</font>'
            ),
            "statement",
        )
        for x in info.lines
    ]
    lines += [
        Spacer(1, 2 * mm),
        para(Lines(info.statement.text.split("\n")), "statement"),  # rfcheck's text
        para(f"{info.statement.clause} · wording {info.statement.status.value}", "muted"),
    ]
    return lines


def _label_evidence(record: Record, verdict: str | None) -> list[Flowable]:
    """Return the label facts (authorization, FCC ID, text), framed when not valid; label photos."""
    c = record.compliance
    rows: list[tuple[str, object]] = [
        ("Authorization", c.authorization.value if c.authorization else None),
        ("FCC ID", c.fcc_id or "–"),
        ("Label text", c.label_text),
    ]
    out: list[Flowable] = [
        _facts(rows)
        if claim_caveat(verdict) is None
        else _declaration([_facts(rows, _FULL_WIDTH - 2 * _BOX_PAD_PT)], verdict)
    ]
    labels = (
        [Photo(file=c.label_photo, role=PhotoRole.LABEL, caption=None)] if c.label_photo else []
    )
    labels += [p for p in record.photos if p.role is PhotoRole.LABEL]
    for photo in labels:
        out += _photo_block(photo, max_h=55 * mm)
    return out


def _manual_statement(record: Record, verdict: str | None, index: PageIndex) -> list[Flowable]:
    """Return the 15.105 manual statement for the device class (MISSING without a class).

    Its mark goes with its heading, so the checklist names the page the statement is on
    (after the label photos, often the next page).
    """
    statement = user_statement(record.device_class)
    mark = SectionMark(Section.MANUAL, index)
    heading = para("Manual statement (47 CFR 15.105)", "h2")
    if statement is None:
        return [mark, heading, para(None, missing="MISSING: device class (A or B) not stated")]
    return [
        KeepTogether(
            [
                mark,
                heading,
                _declaration([para(Lines(statement.text.split("\n")), "statement")], verdict),
                para(
                    f"{statement.clause} · wording {statement.status.value}: {statement.source}",
                    "muted",
                ),
            ]
        )
    ]


def _import_condition(record: Record, caveat: str | None) -> str | None:
    """Return the condition's number and meaning, any contradiction, and the verdict caveat."""
    e = record.entry
    if e is None or e.import_condition is None:
        return None
    lines = [import_condition_text(e.import_condition)]
    conflict = import_condition_conflict(record)
    if conflict is not None:
        lines.append(f"CONTRADICTS THE AUTHORIZATION: {conflict}")
    lines[-1] += f" (CAVEAT: {caveat})" if caveat else ""
    return Lines(lines)


#: The unit page's title: the entry's sheet is the run's one entry document, not this page.
ENTRY_PART_TITLE = "Entry (47 CFR 2.1203, 2.1204(a)): this unit's part"


def _entry_pointer(record: Record) -> str:
    """Say whose page this is and where the entry's cover sheet is (escaped markup)."""
    e = record.entry
    assert e is not None  # only called with [entry]
    number = wide_text(e.entry_number or "(entry number not stated)")
    serial = wide_text(record.dut.serial or "serial not stated")
    head = f"This record covers one unit ({serial}) tested for entry {number}. "
    if e.entry_document:
        where = (
            f"The entry's cover sheet is <b>{esc(e.entry_document)}</b> in the dossier's output "
            "folder, beside this unit's folder: it lists every unit tested for the entry, each "
            "with its verdict, and gives the entry's measurement verdict. This page is not it."
        )
    else:
        where = (
            "This record was issued without the entry's cover sheet; the verdict below is "
            "this unit's only, not the entry's."
        )
    return head + where


def entry_section(record: Record, facts: CoverFacts, index: PageIndex) -> list[Flowable]:
    """Return this unit's part of the entry (only when ``[entry]`` is given).

    The entry's facts, this unit's serial and its own verdict, and where the entry's cover
    sheet is (the run's ``entry.pdf``: every tested unit, the entry's verdict;
    :mod:`rfcheck.record.entry_pdf`). A measurement verdict other than PASS puts a caveat
    beside a 2.1204(a) import condition that declares compliance, (1) or (2) (this unit's
    data do not support it); (3)-(5) declare none
    (:func:`~rfcheck.record.checklist.entry_declares_compliance`).
    """
    e = record.entry
    if e is None:
        return []
    party = record.compliance.responsible_party
    caveat = claim_caveat(facts.verdict) if entry_declares_compliance(record) else None
    entry_sheet = (
        f"{e.entry_document} (every unit tested for this entry and the entry's verdict)"
        if e.entry_document
        else "not issued with this record"
    )
    return [
        *_heading(ENTRY_PART_TITLE, Section.ENTRY, index),
        _boxed([markup(_entry_pointer(record), "body")]),
        Spacer(1, 2 * mm),
        _facts(
            [
                ("Entry number", e.entry_number),
                ("Entry cover sheet", entry_sheet),
                ("Port of entry", e.port_of_entry),
                ("Import condition", _import_condition(record, caveat)),
                *shipment_facts(record),
                (
                    "This unit's serial (tested)",
                    ", ".join(e.tested_serials) if e.tested_serials else None,
                ),
                *(
                    [("Serials warning", f"WARNING: {e.tested_serials_warning}")]
                    if e.tested_serials_warning
                    else []
                ),
                ("Tested model", tested_model(record)),
                (
                    "Authorization",
                    record.compliance.authorization.value
                    if record.compliance.authorization
                    else None,
                ),
                ("Importer of record", e.importer or "not stated in the setup ([entry] importer)"),
                (party_label(record), party.name if party else None),
                ("This unit's report id", facts.report_id),
                (
                    "This unit's measurement verdict",
                    None
                    if facts.verdict is None
                    else f"{facts.verdict} (this unit only, not the entry's)",
                ),
            ]
        ),
    ]


def provenance_legend(index: PageIndex) -> list[Flowable]:
    """Return the status legend of the limit-provenance table.

    One row per status: primary, secondary, derived, UNCONFIRMED.
    """
    rows = [_head("Status", "Meaning")]
    rows += [
        [para(status.value, "cell"), para(meaning, "cell")]
        for status, meaning in STATUS_LEGEND.items()
    ]
    return [
        SectionMark("provenance-legend", index),
        para("Status legend", "h2"),
        _grid(rows, [28 * mm, _FULL_WIDTH - 28 * mm]),
    ]


def _signature(role: str, name: str | None) -> Table:
    rows = [
        [para(role, "h2")],
        [field(name, "body", missing="MISSING: name")],
        [Spacer(1, 12 * mm)],
        [para("Signature", "muted")],
        [Spacer(1, 6 * mm)],
        [para("Date", "muted")],
    ]
    return _table(
        rows,
        [80 * mm],
        [
            ("LINEABOVE", (0, 3), (0, 3), 0.6, colors.black),
            ("LINEABOVE", (0, 5), (0, 5), 0.6, colors.black),
        ],
    )


def signature_section(record: Record, index: PageIndex) -> list[Flowable]:
    """Signature blocks for the tester and the responsible party (2.938(b) practice).

    A certified device's responsible party is its grantee (47 CFR 2.909(a)).
    """
    party = record.compliance.responsible_party
    who = (
        "Grantee (responsible party)"
        if record.compliance.authorization is AuthorizationPath.CERTIFICATION
        else "Responsible party"
    )
    pair = _table(
        [
            [
                _signature("Tested by", record.test.tester),
                _signature(who, party.name if party else None),
            ]
        ],
        [_FULL_WIDTH / 2, _FULL_WIDTH / 2],
        [],
    )
    # space above: the heading never sits flush against the manifest table before it
    heading = _heading("Signatures", Section.SIGNATURES, index)
    return [Spacer(1, 6 * mm), KeepTogether([*heading, pair])]


def findings_section(findings: Sequence[Finding], index: PageIndex) -> list[Flowable]:
    """Return the findings of the cross-checks (not fatal; they do not change the verdict)."""
    out = _heading(FINDINGS_TITLE, "findings", index)
    out.append(para(FINDINGS_NOTE, "muted"))
    if not findings:
        return [*out, para(NO_FINDINGS)]
    rows = [_head("Kind", "Finding")]
    rows += [[para(f.kind.value, "cell"), wide(f.message)] for f in findings]
    return [*out, _grid(rows, [35 * mm, _FULL_WIDTH - 35 * mm])]


def manifest_section(manifest: Manifest, index: PageIndex) -> list[Flowable]:
    """Return the input manifest.

    Every file (role, path) and its SHA-256, the shipped tables included
    (:meth:`~rfcheck.record.manifest.Manifest.listed`); also attached to the PDF.
    """
    rows = [_head("Role", "File", "SHA-256")]
    rows += [
        [para(role, "cell"), para(path, "cell"), para(sha, "mono")]
        for role, path, sha in manifest.listed()
    ]
    return [
        *_heading("Input manifest", "manifest", index),
        para(
            f"Report id {manifest.report_id.text} = SHA-256 of these files (the shipped "
            f"tables through the settings), the effective settings and rfcheck "
            f"{manifest.rfcheck_version}. The manifest, the dossier JSON and the summary CSV "
            "are attached to this PDF; 'rfcheck verify' re-checks them.",
            "muted",
        ),
        _grid(rows, [20 * mm, 62 * mm, _FULL_WIDTH - 82 * mm]),
    ]
