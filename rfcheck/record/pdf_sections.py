"""reportlab flowables for the record sections of the dossier PDF (issue 11).

Each builder returns a list of flowables starting with a :class:`~.document.SectionMark`
(so the 2.938(b) checklist can print the page), in the order the dossier prints them:
cover facts, checklist, test and lab, equipment with calibration status, support equipment
and cables, setup photos. What the record declares (the 2.1077 block, the entry cover sheet,
the limit-provenance legend, signatures, findings, the input manifest) is
:mod:`.pdf_declarations`; the small table builders here serve both. Every string from the
setup or a capture goes through :func:`~._pdfstyle.para` (escaped).
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from ..errors import PhotoFileError
from ..io import file_sha256
from ..report.fonts import FONT, HEAD_BG, RULE, ZEBRA
from ..textsafe import Lines
from ._pdfstyle import (
    AMBER,
    GREEN,
    GREY,
    RED,
    cell,
    esc,
    field,
    hexcolor,
    markup,
    para,
    title_para,
    verdict_colour,
    wide,
)
from .banner import Banner, record_banner
from .checklist import (
    ChecklistItem,
    ItemStatus,
    Section,
    checklist_title,
    incomplete_line,
    record_state,
)
from .document import PageIndex, PageRef, SectionMark
from .findings import (
    FINDINGS_TITLE,
    CalibrationStatus,
    Finding,
    FindingKind,
    calibration_status,
    findings_count,
)
from .issue import issue_text
from .model import PROCEDURE_NOT_STATED, Photo, PhotoRole, Record
from .rules import (
    ISSUED_BY_LABEL,
    RULE_LABEL,
    VERIFY_LABEL,
    VERIFY_TEXT,
    issued_by_text,
    judged_rows,
)

__all__ = [
    "CoverFacts",
    "banner",
    "cover_section",
    "checklist_section",
    "test_lab_section",
    "equipment_section",
    "support_section",
    "photo_section",
]

_FULL_WIDTH = 172 * mm  # fits Letter (216 mm) and A4 (210 mm) with 18 mm margins. [pt]


@dataclass(frozen=True)
class CoverFacts:
    """What the cover shows besides the record: verdict string, report id, DUT and unit."""

    verdict: str | None
    report_id: str | None
    unit: str | None = None
    title: str | None = None
    #: the cells that decide the verdict, one line each (none for PASS)
    reasons: tuple[str, ...] = ()
    #: when the record was issued (UTC); the cover prints it (rfcheck.record.issue)
    issued: _dt.datetime | None = None
    #: the limit tables judged, each with its rule (:func:`~.rules.judged_rows`)
    limits: tuple[str, ...] = ()
    #: the days the unit's own captures were recorded on (None: not known to the cover)
    capture_days: tuple[str, ...] | None = None
    #: how many of the unit's captures carry no date in their headers
    undated_captures: int = 0
    #: the decision rule the verdict was judged under, its U_lab per port and warning, one
    #: line each (:func:`rfcheck.product.decision.rule_cover_lines`); none under ``simple``
    decision_rule: tuple[str, ...] = ()
    #: what the verdict takes on trust, as labels (``ASSUMED DWELL``): the banner and the
    #: ``Measurement verdict`` fact name them after the verdict (:mod:`.banner`)
    assumed: tuple[str, ...] = ()


def _table(
    rows: list[list[Flowable]],
    widths: Sequence[float],
    style: list[tuple[object, ...]],
    **kw: object,
) -> Table:
    """Return a Table whose cells use the embedded font.

    reportlab's default cell font is an unembedded Helvetica, which would appear in the PDF even
    with no string cells.
    """
    table = Table(rows, colWidths=list(widths), **kw)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *style]))
    return table


def _heading(title: str, section: Section | str, index: PageIndex) -> list[Flowable]:
    return [SectionMark(str(section), index), para(title, "h1")]


def _grid(
    rows: Sequence[Sequence[Flowable]], widths: Sequence[float], *, header: bool = True
) -> Table:
    style: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
        style += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(rows), 2)]
    return _table([list(r) for r in rows], widths, style, repeatRows=1 if header else 0)


def _head(*titles: str) -> list[Flowable]:
    return [para(t, "head") for t in titles]


@dataclass(frozen=True)
class _Missing:
    """A value the setup does not give, printed as ``MISSING: <why>`` (what is required)."""

    why: str


def _fact(value: object) -> Flowable:
    if isinstance(value, _Missing):
        return para(None, "cell", missing=f"MISSING: {value.why}")
    return wide(value)


#: An optional value the setup does not give (MISSING is for the checklist's items only).
NOT_STATED = "not stated"


def _facts(rows: Sequence[tuple[str, object]], width: float = _FULL_WIDTH) -> Table:
    """Two-column ``label | value`` table ``width`` wide [pt]; a ``None`` value prints MISSING.

    A :class:`_Missing` value prints as ``MISSING: <why>``.
    """
    return _grid(
        [[field(k), _fact(v)] for k, v in rows],  # a label may quote the setup (a model)
        [48 * mm, width - 48 * mm],
        header=False,
    )


def _procedure(record: Record) -> object:
    """Return the stated procedure, or MISSING with what 47 CFR 15.31(a)(4) requires."""
    procedure = record.test.procedure
    return _Missing(PROCEDURE_NOT_STATED) if procedure is None else procedure


def _date_list(dates: Sequence[_dt.date] | None) -> str | None:
    return ", ".join(d.isoformat() for d in dates) if dates else None


def _testing_days(
    declared: Sequence[_dt.date] | None, captured: Sequence[str] | None, undated: int = 0
) -> str | None:
    """Return the lab's ``[test]`` dates and the days this unit's own captures carry.

    The setup's dates are the lab's for the whole test (every unit of a run shares them);
    the cover says which of them, or which other days, this unit's captures carry, and how
    many carry no date (47 CFR 2.938(b)(1): the dates of all testing).
    """
    lab = _date_list(declared)
    if captured is None:
        return lab
    own = ", ".join(captured) if captured else "not dated in their headers"
    if captured and undated:
        own += (
            "; 1 capture not dated in its header"
            if undated == 1
            else f"; {undated} captures not dated in their headers"
        )
    if lab is None:
        return f"this unit's captures: {own}"
    return f"{lab} (the lab's [test] dates); this unit's captures: {own}"


def _file_sha256(path: Path) -> str | None:
    """SHA-256 of a regular file (a FIFO or device is never opened); None: cannot be read."""
    try:
        return file_sha256(path)
    except OSError:
        return None


def banner(b: Banner) -> Table:
    """Return the verdict banner (its words: :class:`~.banner.Banner`).

    Coloured as every report colours its verdict (INCOMPLETE in the check reports' and
    ``dossier.html``'s colour); green only for a PASS whose record is complete, a PASS with an
    incomplete record is amber.
    """
    colour = AMBER if b.qualified_pass else verdict_colour(b.verdict)
    return _table(
        [[para(b.text, "banner")]],
        [_FULL_WIDTH],
        [
            ("BACKGROUND", (0, 0), (-1, -1), colour),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )


def cover_section(
    record: Record,
    facts: CoverFacts,
    checklist: Sequence[ChecklistItem],
    findings: Sequence[Finding],
    index: PageIndex,
) -> list[Flowable]:
    """Return page 1 of the record.

    Page 1: title, verdict banner, the decision rule when not ``simple``, what the unit was
    judged against (standard and class, the
    limit tables with their clauses, the responsible party), report id and revision, DUT, lab,
    and the ``record incomplete: ...`` line.
    """
    dut = record.dut
    dut_text = " ".join(p for p in (dut.trade_name or dut.manufacturer, dut.model) if p) or None
    incomplete = incomplete_line(tuple(checklist))
    verdict_banner = record_banner(facts.verdict, checklist, facts.assumed)
    out: list[Flowable] = [
        SectionMark(Section.COVER, index),
        title_para(facts.title or record.test.report_title or "Test record"),
        Spacer(1, 3 * mm),
        banner(verdict_banner),
        Spacer(1, 3 * mm),
    ]
    if incomplete:
        out.append(markup(f'<font color="{hexcolor(RED)}">{esc(incomplete)}</font>', "body"))
        out.append(Spacer(1, 2 * mm))
    revision = record.test.revision
    out.append(
        _facts(
            [
                (
                    "Measurement verdict",
                    verdict_banner.qualified_verdict if facts.verdict else "not judged",
                ),
                *([("Decided by", Lines(facts.reasons))] if facts.reasons else []),
                *([(RULE_LABEL, Lines(facts.decision_rule))] if facts.decision_rule else []),
                *judged_rows(record, facts.limits),
                ("Record (47 CFR 2.938(b))", record_state(tuple(checklist))),
                ("Report id", facts.report_id),
                (VERIFY_LABEL, VERIFY_TEXT),
                ("Revision", "not stated" if revision is None else str(revision)),
                ("Issued (UTC)", None if facts.issued is None else issue_text(facts.issued)),
                (ISSUED_BY_LABEL, issued_by_text()),
                ("Unit", facts.unit or "(single unit)"),
                ("Device under test", dut_text),
                ("Serial", dut.serial),
                ("Laboratory", record.lab.name),
                (
                    "Dates of testing",
                    _testing_days(record.test.dates, facts.capture_days, facts.undated_captures),
                ),
                ("Procedure", _procedure(record)),
                (FINDINGS_TITLE, findings_count(findings)),
            ]
        )
    )
    return out


#: Checklist status colours (n/a and anything else: grey).
_STATUS_COLOUR = {
    ItemStatus.PRESENT: GREEN,
    ItemStatus.MISSING: RED,
    ItemStatus.SHOWS_FAIL: RED,
    ItemStatus.UNSUPPORTED: RED,
    ItemStatus.INCOMPLETE: AMBER,
    ItemStatus.INCONCLUSIVE: AMBER,
}


def checklist_section(checklist: Sequence[ChecklistItem], index: PageIndex) -> list[Flowable]:
    """Return the 47 CFR 2.938(b) checklist.

    Clause, item, status, page, and what is missing or, for measurement data that do not
    show compliance, what they show instead.
    """
    rows: list[list[Flowable]] = [
        _head("Clause (47 CFR)", "Item", "Status", "Page", "Missing / what the data show")
    ]
    for item in checklist:
        colour = _STATUS_COLOUR.get(item.status, GREY)
        status = markup(f'<font color="{hexcolor(colour)}">{esc(item.status.value)}</font>', "cell")
        rows.append(
            [
                para(item.clause, "cell"),
                para(item.title, "cell"),
                status,
                PageRef(item.section, index, functools.partial(para, style="cell")),
                para(", ".join(item.missing) or item.note or "–", "cell"),
            ]
        )
    widths = [30 * mm, 55 * mm, 20 * mm, 12 * mm, _FULL_WIDTH - 117 * mm]
    return [
        *_heading(checklist_title(checklist), "checklist", index),
        _grid(rows, widths),
    ]


def test_lab_section(record: Record, index: PageIndex) -> list[Flowable]:
    """``[test]`` and ``[lab]`` facts: dates, procedure, mode, modifications, uncertainty, lab."""
    t, lab = record.test, record.lab
    mods = (
        None
        if t.modifications is None
        else ("none" if not t.modifications else "; ".join(t.modifications))
    )
    u = "; ".join(f"{x.port_text}: {x.u_lab_db:.1f} dB" for x in t.uncertainty) or None
    acc = lab.accreditation.describe() if lab.accreditation else None
    out = _heading("Test", Section.TEST, index)
    out.append(
        _facts(
            [
                ("Dates of testing", _date_list(t.dates)),
                ("Procedure", _procedure(record)),
                ("EUT operating mode", t.operating_mode),
                ("EUT configuration", t.configuration),
                ("Modifications made", mods),
                ("Uncertainty statement", t.uncertainty_statement or NOT_STATED),
                ("U_lab per port", u or NOT_STATED),
                ("Tested by", t.tester),
            ]
        )
    )
    out += _heading("Laboratory", Section.LAB, index)
    out.append(
        _facts(
            [
                ("Name", lab.name),
                # optional (no checklist item): never MISSING, which page 1 would not list
                ("Address", lab.address or NOT_STATED),
                ("Site", lab.site or NOT_STATED),
                ("FCC test-firm designation", lab.fcc_designation or NOT_STATED),
                ("FCC registration number", lab.fcc_registration or NOT_STATED),
                ("Accreditation", acc or NOT_STATED),
                ("Ownership (47 CFR 2.906(a)(1))", lab.ownership_statement),
            ]
        )
    )
    return out


_CAL_COLOUR = {
    CalibrationStatus.VALID: GREEN,
    CalibrationStatus.OVERDUE: RED,
    CalibrationStatus.NOT_STATED: AMBER,
    CalibrationStatus.NO_TEST_DATE: AMBER,
}


def _software_receiver_rows(findings: Sequence[Finding]) -> list[list[Flowable]]:
    """Return a row for rfcheck's receiver model when it computed levels (not calibrated)."""
    return [
        [
            para("software receiver (CISPR 16-1-1 model)", "cell"),
            para(f.subject, "cell"),
            para("–", "cell"),
            para("none: software", "cell"),
            para("–", "cell"),
            para("none (see the findings)", "cell"),
            markup(f'<font color="{hexcolor(AMBER)}">not calibrated</font>', "cell"),
        ]
        for f in findings
        if f.kind is FindingKind.RECEIVER_MODEL_LEVELS
    ]


def equipment_section(
    record: Record, index: PageIndex, findings: Sequence[Finding] = ()
) -> list[Flowable]:
    """Return the equipment list with calibration date, due date, certificate and status.

    When rfcheck's receiver model computed levels from an I/Q recording (a
    ``receiver-model-levels`` finding), it is listed too, as software without calibration.
    """
    rows: list[list[Flowable]] = [
        _head(
            "Type", "Manufacturer / model", "Serial", "Calibrated", "Due", "Certificate", "Status"
        )
    ]
    for item in record.equipment:
        status = calibration_status(item, record.test.dates)
        rows.append(
            [
                cell(item.type),
                cell(" ".join(p for p in (item.manufacturer, item.model) if p) or None),
                cell(item.serial),
                para(item.cal_date.isoformat() if item.cal_date else "not stated", "cell"),
                para(item.cal_due.isoformat() if item.cal_due else "not stated", "cell"),
                cell(item.certificate or "not stated"),
                markup(
                    f'<font color="{hexcolor(_CAL_COLOUR[status])}">{esc(status.value)}</font>',
                    "cell",
                ),
            ]
        )
    software = _software_receiver_rows(findings)
    rows += software
    out = _heading("Test equipment and calibration", Section.EQUIPMENT, index)
    if not record.equipment:
        out.append(para(None, missing="MISSING: no [[equipment]] list"))
        if not software:
            return out
    widths = [22 * mm, 42 * mm, 24 * mm, 19 * mm, 19 * mm, 27 * mm, _FULL_WIDTH - 153 * mm]
    return [*out, _grid(rows, widths)]


def support_section(record: Record, index: PageIndex) -> list[Flowable]:
    """Support equipment (2.938(b)(4)-(5)) and cables (2.938(b)(6))."""
    out = _heading("Support equipment and cables", Section.SUPPORT, index)
    if record.support_equipment:
        rows = [_head("Description", "Trade name", "Model", "Serial", "FCC ID")]
        rows += [
            [
                field(s.description),  # the widest column: a sentence or two
                cell(s.trade_name or "–"),
                cell(s.model),
                cell(s.serial or "–"),
                cell(s.fcc_id or "–"),
            ]
            for s in record.support_equipment
        ]
        out.append(_grid(rows, [55 * mm, 30 * mm, 30 * mm, 30 * mm, _FULL_WIDTH - 145 * mm]))
    elif record.test.support_equipment_none:
        out.append(para("None (stated in [test] support_equipment)."))
    else:
        out.append(para(None, missing="MISSING: support equipment not declared"))
    out.append(SectionMark(Section.CABLES, index))
    out.append(para("Cables", "h2"))
    if not record.cables:
        return [*out, para(None, missing="MISSING: no [[cable]] list")]
    rows = [_head("Type", "Length", "Between", "Arrangement / movement")]
    rows += [
        [
            cell(c.type),
            para(None if c.length_m is None else f"{c.length_m:g} m", "cell"),
            cell(c.between or "–"),
            field(c.arrangement),  # the widest column: a sentence or two
        ]
        for c in record.cables
    ]
    return [*out, _grid(rows, [35 * mm, 18 * mm, 45 * mm, _FULL_WIDTH - 98 * mm])]


def _image(path: Path, max_w: float, max_h: float) -> Flowable:
    """Return the photo at ``path`` scaled into ``max_w`` x ``max_h`` [pt].

    Raises
    ------
    PhotoFileError
        The file cannot be decoded as an image (truncated, not an image): one line naming
        the photo and the reason, before the PDF is written.
    """
    try:
        with PILImage.open(path) as im:
            im.load()  # decode it all: a truncated file fails here, not while the PDF is drawn
            w, h = im.size
    except Exception as err:  # any unreadable or malformed image file
        reason = str(err) or type(err).__name__
        raise PhotoFileError(f"[[photo]] image cannot be decoded: {reason}", path) from None
    scale = min(max_w / w, max_h / h)
    return Image(str(path), width=w * scale, height=h * scale)


def _photo_block(photo: Photo, max_h: float = 95 * mm) -> list[Flowable]:
    sha = _file_sha256(photo.file)
    caption = f"{photo.role.value}: {photo.caption or photo.file.name}"
    body: list[Flowable] = [wide(caption, "h2")]
    if sha is None:
        body.append(para(None, missing=f"MISSING: cannot read {photo.file}"))
    else:
        body.append(_image(photo.file, _FULL_WIDTH, max_h))
    body.append(para(f"{photo.file.name} · SHA-256 {sha or '–'}", "mono"))
    return [KeepTogether(body), Spacer(1, 3 * mm)]


def photo_section(record: Record, index: PageIndex) -> list[Flowable]:
    """Return the setup photos section, embedded and hashed.

    47 CFR 2.938(b)(7) practice: the setups of the highest conducted and the highest radiated
    emission.
    """
    out = _heading("Setup photos", Section.PHOTOS, index)
    photos = [p for p in record.photos if p.role is not PhotoRole.LABEL]
    if not photos:
        return [*out, para(None, missing="MISSING: no setup photos")]
    for photo in photos:
        out += _photo_block(photo)
    return out
