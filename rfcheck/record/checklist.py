"""The 47 CFR 2.938(b) checklist (plus 2.1077, 2.906(a)(1) and labelling) of a record.

Each item is present or missing, names what is missing and the record section that holds it
(the PDF turns the section into a page number). :func:`missing_items` gives the list page 1
prints as ``record incomplete: ...``; it never changes the measurement verdict.

The "data showing compliance" item also says what the data show (:class:`DataShown`): a
unit whose measurements FAIL, are INCOMPLETE, INCONCLUSIVE or in ERROR has its data
present, but they do not show compliance, and the item says so instead of ``present``
(:func:`record_state` words the cover's line the same way).

A finding that shows the record lacking part of an item (:attr:`~.findings.Finding.gap`)
is listed missing under it: an instrument that made captures but is not in the equipment
list under 2.938(b)(3), a capture of another device among the unit's under 2.938(b)(5), a
Class B declaration on Class A data under 15.105, an SDoC responsible party whose address
does not read as one in the US under 2.1077(a)(3). The item then never reads ``present``,
nor the record complete.

The items follow the stated authorization: a Supplier's Declaration of Conformity (or none
stated) has the 2.1077(a)(1) and (a)(3) items; a certified device (47 CFR 2.907) has the
grantee instead (2.909(a): the party the grant is issued to is responsible), its
2.1077(a)(1) item ``n/a`` (2.1077 is the compliance information of an SDoC).

The items that declare compliance (the 15.19(a)(3) label text, the 15.105 manual statement,
the entry sheet's 2.1204(a) import condition) are ``unsupported`` for such a unit: the
declaration is in the record, but the measured data do not support it
(:func:`claim_caveat` is the caveat printed beside each).

References
----------
47 CFR 2.938(b)(1)-(6) [P, 2020 text]; (7) onwards (setup photos, modifications, data,
signatures) follow the predecessor 2.955(a)(3)(vii)-(ix) [numbering in the current 2.938(b)
UNCONFIRMED]; 2.1077(a) compliance information; 2.906(a)(1) (2025); 15.19(a)(3), 15.105.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .findings import Finding, FindingKind
from .model import AuthorizationPath, PhotoRole, Record, ResponsibleParty

__all__ = [
    "Section",
    "ItemStatus",
    "DataShown",
    "ChecklistItem",
    "build_checklist",
    "missing_items",
    "incomplete_line",
    "record_state",
    "claim_caveat",
    "entry_declares_compliance",
    "checklist_title",
]


class Section(StrEnum):
    """Record sections a checklist item points to (the PDF maps each to its page)."""

    COVER = "cover"
    TEST = "test"
    LAB = "lab"
    EQUIPMENT = "equipment"
    SUPPORT = "support-equipment"
    CABLES = "cables"
    PHOTOS = "photos"
    MEASUREMENTS = "measurements"
    SIGNATURES = "signatures"
    COMPLIANCE = "compliance-information"
    LABEL = "label"  #: the label evidence inside the compliance section
    MANUAL = "manual-statement"  #: the 15.105 statement, after the label photos
    ENTRY = "entry"


class ItemStatus(StrEnum):
    """Whether the record holds a checklist item (and, for the data, what they show)."""

    PRESENT = "present"
    MISSING = "missing"
    NOT_APPLICABLE = "n/a"  #: e.g. the entry cover sheet when the setup has no [entry]
    #: the measurement data are present and show a FAIL: not compliance
    SHOWS_FAIL = "shows FAIL"
    #: the measurement data are present but do not cover the test plan (INCOMPLETE)
    INCOMPLETE = "incomplete"
    #: the measurement data are present but undecided (INCONCLUSIVE)
    INCONCLUSIVE = "inconclusive"
    #: some captures could not be judged (ERROR rows)
    NOT_JUDGED = "not judged"
    #: a declaration of compliance that the measurement verdict does not support
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class DataShown:
    """What the record's measurement data show: the unit verdict and what decides it.

    ``verdict`` is a :class:`rfcheck.outcome.Verdict` value (``PASS``, ``FAIL``,
    ``INCOMPLETE``, ``INCONCLUSIVE``, ``ERROR``); ``detail`` names what decides it
    (``"L2 not measured (no capture)"``), empty for a PASS.
    """

    verdict: str
    detail: str = ""


#: Verdict -> (status of the data item, what the data show instead of compliance).
_SHORTFALL = {
    "FAIL": (ItemStatus.SHOWS_FAIL, "the data show a FAIL, not compliance"),
    "INCOMPLETE": (
        ItemStatus.INCOMPLETE,
        "the data do not cover the test plan, so they do not show compliance",
    ),
    "INCONCLUSIVE": (
        ItemStatus.INCONCLUSIVE,
        "the data are inconclusive, so they do not show compliance",
    ),
    "ERROR": (
        ItemStatus.NOT_JUDGED,
        "some captures could not be judged, so the data do not show compliance",
    ),
}

#: A shortfall status -> what the cover says the data show.
_SHORTFALL_TEXT = {status: text for status, text in _SHORTFALL.values()}


@dataclass(frozen=True)
class ChecklistItem:
    """One requirement: ``clause``, what it asks, where it is, and what is missing.

    ``shortfall`` (the data item only) is the status when the item is present but does not
    show what it asks; ``note`` says what it shows instead.
    """

    clause: str
    title: str
    section: Section
    missing: tuple[str, ...]
    applicable: bool = True
    shortfall: ItemStatus | None = None
    note: str = ""

    @property
    def status(self) -> ItemStatus:
        """``n/a`` when not applicable, ``missing`` when anything is missing, else present.

        Present data that do not show compliance take their :attr:`shortfall` status.
        """
        if not self.applicable:
            return ItemStatus.NOT_APPLICABLE
        if self.missing:
            return ItemStatus.MISSING
        return self.shortfall or ItemStatus.PRESENT


def _absent(pairs: list[tuple[str, object]]) -> tuple[str, ...]:
    return tuple(name for name, value in pairs if value is None or value == () or value == "")


def _b1(r: Record, _: bool) -> tuple[str, ...]:
    return _absent([("test dates", r.test.dates)])


def _b2(r: Record, _: bool) -> tuple[str, ...]:
    return _absent([("lab name", r.lab.name)])


def _b3(r: Record, _: bool) -> tuple[str, ...]:
    missing = list(
        _absent([("measurement procedure", r.test.procedure), ("equipment list", r.equipment)])
    )
    for i, e in enumerate(r.equipment, 1):  # what the equipment table prints as MISSING
        missing += [
            f"equipment #{i} {name}"
            for name in _absent(
                [("type", e.type), ("model", e.manufacturer or e.model), ("serial", e.serial)]
            )
        ]
    return tuple(missing)


def _b4(r: Record, _: bool) -> tuple[str, ...]:
    eut = r.dut.description or r.dut.model
    support = r.support_equipment or (True if r.test.support_equipment_none else None)
    missing = _absent(
        [
            ("EUT description", eut),
            ("support equipment (or 'none')", support),
            ("EUT operating mode", r.test.operating_mode),
            ("EUT configuration", r.test.configuration),
        ]
    )
    return missing + tuple(
        f"support equipment #{i} description"
        for i, s in enumerate(r.support_equipment, 1)
        if not s.description
    )


def _b5(r: Record, _: bool) -> tuple[str, ...]:
    missing = list(
        _absent(
            [
                ("EUT trade name or manufacturer", r.dut.trade_name or r.dut.manufacturer),
                ("EUT model", r.dut.model),
                ("EUT serial", r.dut.serial),
            ]
        )
    )
    if r.compliance.authorization is AuthorizationPath.CERTIFICATION and not r.compliance.fcc_id:
        missing.append("FCC ID")
    for i, s in enumerate(r.support_equipment, 1):
        if not s.model:
            missing.append(f"support equipment #{i} model")
    return tuple(missing)


def _b6(r: Record, _: bool) -> tuple[str, ...]:
    if not r.cables:
        return ("cable list",)
    missing = []
    for i, c in enumerate(r.cables, 1):
        missing += [
            f"cable #{i} {name}"
            for name in _absent(
                [("type", c.type), ("length", c.length_m), ("arrangement", c.arrangement)]
            )
        ]
    return tuple(missing)


#: The radiated photo :func:`_b7` asks for (not asked when no radiated test is required).
_B7_RADIATED = "photo of the highest radiated emission setup"
#: The conducted photo :func:`_b7` asks for (not asked when no conducted test is required:
#: a battery-powered device, 47 CFR 15.107(d)).
_B7_CONDUCTED = "photo of the highest conducted emission setup"


def _b7(r: Record, _: bool) -> tuple[str, ...]:
    roles = {p.role for p in r.photos}
    return tuple(
        f"photo of the {what} setup"
        for role, what in (
            (PhotoRole.HIGHEST_CONDUCTED, "highest conducted emission"),
            (PhotoRole.HIGHEST_RADIATED, "highest radiated emission"),
        )
        if role not in roles
    )


def _mods(r: Record, _: bool) -> tuple[str, ...]:
    return ("modifications (or 'none')",) if r.test.modifications is None else ()


def _data(_: Record, has_measurements: bool) -> tuple[str, ...]:
    return () if has_measurements else ("measurement data",)


def _certified(r: Record) -> bool:
    """Whether the setup states certification (47 CFR 2.907): the grantee is responsible."""
    return r.compliance.authorization is AuthorizationPath.CERTIFICATION


def _signatures(r: Record, _: bool) -> tuple[str, ...]:
    party = r.compliance.responsible_party
    who = "grantee name" if _certified(r) else "responsible party name"
    return _absent([("tester name", r.test.tester), (who, party.name if party else None)])


def _ownership(r: Record, _: bool) -> tuple[str, ...]:
    return _absent([("lab ownership statement", r.lab.ownership_statement)])


def _rp(r: Record, _: bool) -> tuple[str, ...]:
    p = r.compliance.responsible_party or ResponsibleParty()
    return _absent(
        [
            ("responsible party name", p.name),
            ("responsible party address", p.address),
            ("responsible party phone or internet contact", p.phone or p.internet),
        ]
    )


def _grantee(r: Record, _: bool) -> tuple[str, ...]:
    """Check the grantee of a certified device (2.909(a)): no US location or contact asked."""
    p = r.compliance.responsible_party or ResponsibleParty()
    return _absent([("grantee name", p.name), ("grantee address", p.address)])


def _product_id(r: Record, _: bool) -> tuple[str, ...]:
    return _absent(
        [
            ("product name or trade name", r.dut.trade_name or r.dut.manufacturer),
            ("model", r.dut.model),
        ]
    )


def _label(r: Record, _: bool) -> tuple[str, ...]:
    return _absent(
        [("label text", r.compliance.label_text), ("label photo", r.compliance.label_photo)]
    )


def _manual(r: Record, _: bool) -> tuple[str, ...]:
    return _absent([("device class (A or B)", r.device_class)])


def _entry(r: Record, _: bool) -> tuple[str, ...]:
    e = r.entry
    if e is None:
        return ()
    return _absent(
        [
            ("entry number", e.entry_number),
            ("port of entry", e.port_of_entry),
            ("import condition", e.import_condition),
            ("quantity", e.quantity),
            ("shipment models", e.models),
            ("shipment serials", e.serials),
            ("tested serials", e.tested_serials),
        ]
    )


_Check = Callable[[Record, bool], tuple[str, ...]]

#: (clause, what it requires, section, check). Order is the order printed.
_ITEMS: tuple[tuple[str, str, Section, _Check], ...] = (
    ("2.938(b)(1)", "Dates of all testing", Section.TEST, _b1),
    ("2.938(b)(2)", "Test laboratory, company or individual", Section.LAB, _b2),
    ("2.938(b)(3)", "Measurement procedure and test equipment", Section.EQUIPMENT, _b3),
    ("2.938(b)(4)", "EUT and support equipment description", Section.SUPPORT, _b4),
    ("2.938(b)(5)", "EUT and support equipment identification", Section.SUPPORT, _b5),
    ("2.938(b)(6)", "Cable types, lengths, arrangement", Section.CABLES, _b6),
    ("2.938(b)(7)", "Setup photos: highest conducted and radiated emission", Section.PHOTOS, _b7),
    ("2.938(b)", "Modifications made to reach compliance", Section.TEST, _mods),
    ("2.938(b)", "Data showing compliance", Section.MEASUREMENTS, _data),
    ("2.938(b)", "Signatures", Section.SIGNATURES, _signatures),
    (
        "2.906(a)(1)",
        "Test lab not owned or directed by a prohibited entity",
        Section.LAB,
        _ownership,
    ),
    ("2.1077(a)(1)", "Product identification", Section.COMPLIANCE, _product_id),
    ("2.1077(a)(3)", "Responsible party in the US: name, address, phone", Section.COMPLIANCE, _rp),
    ("15.19(a)(3), 2.1074", "Label text and label photo", Section.LABEL, _label),
    ("15.105", "Manual statement for the device class", Section.MANUAL, _manual),
    ("2.1203(c), 2.1204(a)", "Entry cover sheet", Section.ENTRY, _entry),
)


#: A certified device's items in place of the SDoC's 2.1077 items (47 CFR 2.909(a): the
#: grantee is the responsible party; 2.1077 is the compliance information of an SDoC).
_GRANTEE_ITEM = (
    "2.909(a)",
    "Grantee (responsible party of a certified device): name, address",
    Section.COMPLIANCE,
    _grantee,
)
#: The note of the 2.1077(a)(1) item of a certified device (``n/a``).
_SDOC_ONLY_NOTE = (
    "Supplier's Declaration of Conformity only (47 CFR 2.1077); the device is certified "
    "(2.907): the FCC ID identifies it (2.938(b)(5) item)"
)


def _items(record: Record) -> tuple[tuple[str, str, Section, _Check], ...]:
    """Return the items for the record's authorization: a certified device's grantee item."""
    if not _certified(record):
        return _ITEMS
    return tuple(_GRANTEE_ITEM if item[3] is _rp else item for item in _ITEMS)


#: Items whose text declares compliance: a verdict other than PASS leaves them unsupported.
_CLAIMS = frozenset({_label, _manual, _entry})

#: The item a finding's gap belongs to: the equipment list lacks an instrument that made
#: captures (15.31(b)); a capture identifies another device than the unit's.
_GAP_ITEMS: dict[FindingKind, _Check] = {
    FindingKind.UNLISTED_INSTRUMENT: _b3,
    FindingKind.CAPTURE_OF_ANOTHER_DEVICE: _b5,
    FindingKind.CAPTURE_SHARED_WITH_ANOTHER_UNIT: _b5,
    FindingKind.CLASS_NOT_JUDGED: _manual,
    FindingKind.RESPONSIBLE_PARTY_NOT_IN_US: _rp,
}


def _gaps(findings: Sequence[Finding], check: _Check) -> tuple[str, ...]:
    """Return what the findings show missing from the item ``check`` checks."""
    return tuple(f.gap for f in findings if f.gap and _GAP_ITEMS.get(f.kind) is check)


def entry_declares_compliance(record: Record) -> bool:
    """Whether the entry sheet's import condition declares the device compliant.

    47 CFR 2.1204(a)(1) (authorized) and (a)(2) (complies, no authorization required) do;
    (3) testing and evaluation, (4) trade shows and (5) export do not, so a measurement
    verdict other than PASS leaves them standing. A condition not stated counts as one that
    does (the caveat stays).
    """
    condition = record.entry.import_condition if record.entry is not None else None
    return condition is None or condition in (1, 2)


def claim_caveat(verdict: str | None) -> str | None:
    """Return the caveat printed beside a declaration of compliance, or None for a PASS.

    ``verdict`` is the unit's measurement verdict (``FAIL``, ``INCOMPLETE``...); None (no
    measurement data in the document) gives no caveat.
    """
    if verdict is None or verdict.upper() == "PASS":
        return None
    return (
        f"Measurement verdict {verdict.upper()}: the measured data do not support this "
        "declaration of compliance."
    )


def _shortfall(data: DataShown | None) -> tuple[ItemStatus | None, str]:
    """Return the data item's status and note when the data do not show compliance."""
    if data is None or data.verdict not in _SHORTFALL:
        return None, ""
    status, shows = _SHORTFALL[data.verdict]
    return status, f"{shows} \N{EM DASH} {data.detail}" if data.detail else shows


def build_checklist(
    record: Record,
    *,
    has_measurements: bool = True,
    data: DataShown | None = None,
    radiated_required: bool = True,
    findings: Sequence[Finding] = (),
    not_required: Sequence[str] = (),
) -> tuple[ChecklistItem, ...]:
    """Every checklist item for ``record``.

    Parameters
    ----------
    record : Record
        The declared record.
    has_measurements : bool
        Whether the document carries measurement data (the dossier's tables).
    data : DataShown, optional
        What the measurement data show. A verdict other than PASS gives the data item its
        shortfall status (``shows FAIL``, ``incomplete``, ``inconclusive``, ``not
        judged``) and a note instead of
        ``present``; it never makes the record incomplete. None: the data item is only
        checked for presence.
    radiated_required : bool
        Whether the test plan requires a radiated measurement. False (a device whose highest
        frequency is below 1.705 MHz, 47 CFR 15.33(b)(1)): no photo of the highest radiated
        emission's setup is asked for.
    findings : sequence of Finding
        The record's findings: each one's ``gap`` is listed missing under its item
        (2.938(b)(3) for an unlisted instrument, (b)(5) for a capture of another device).
    not_required : sequence of str
        The limits the plan's rules name that the device need not meet, and why
        (:attr:`rfcheck.product.plan.TestPlan.not_required`: a battery-powered device's
        conducted limits, 47 CFR 15.107(d)). Said in the data item's note, so the item never
        reads ``present`` over a rule left out unsaid; with them, no photo of the highest
        conducted emission's setup is asked for.

    Returns
    -------
    tuple of ChecklistItem
        In the order printed; the entry item is ``n/a`` when the setup has no ``[entry]``.
    """
    shortfall, note = _shortfall(data)
    note = "; ".join(n for n in (note, *not_required) if n)
    skipped = {_B7_RADIATED} if not radiated_required else set()
    skipped |= {_B7_CONDUCTED} if not_required else set()
    caveat = claim_caveat(data.verdict) if data is not None else None
    entry_caveat = caveat if entry_declares_compliance(record) else None
    return tuple(
        ChecklistItem(
            clause=clause,
            title=title,
            section=section,
            missing=(
                tuple(m for m in check(record, has_measurements) if m not in skipped)
                + _gaps(findings, check)
            )
            if _applicable(record, section, check)
            else (),
            applicable=_applicable(record, section, check),
            shortfall=_item_shortfall(
                section, check, shortfall, entry_caveat if check is _entry else caveat
            ),
            note=_item_note(section, check, note, entry_caveat if check is _entry else caveat)
            or (_SDOC_ONLY_NOTE if check is _product_id and _certified(record) else ""),
        )
        for clause, title, section, check in _items(record)
    )


def _applicable(record: Record, section: Section, check: _Check) -> bool:
    """Return whether an item applies: entry needs ``[entry]``, 2.1077(a)(1) an SDoC."""
    if section is Section.ENTRY:
        return record.entry is not None
    return not (check is _product_id and _certified(record))


def _item_shortfall(
    section: Section, check: _Check, data: ItemStatus | None, caveat: str | None
) -> ItemStatus | None:
    if section is Section.MEASUREMENTS:
        return data
    return ItemStatus.UNSUPPORTED if caveat and check in _CLAIMS else None


def _item_note(section: Section, check: _Check, data: str, caveat: str | None) -> str:
    if section is Section.MEASUREMENTS:
        return data
    return caveat if caveat and check in _CLAIMS else ""


def checklist_title(checklist: Sequence[ChecklistItem]) -> str:
    """Return the checklist's heading, naming 2.909(a) for a certified device, else 2.1077."""
    basis = "2.909(a)" if any(i.clause == _GRANTEE_ITEM[0] for i in checklist) else "2.1077"
    return f"Record checklist (47 CFR 2.938(b), {basis}, 2.906(a)(1))"


def missing_items(checklist: tuple[ChecklistItem, ...]) -> tuple[str, ...]:
    """Return what the record lacks, once each, in checklist order."""
    return tuple(dict.fromkeys(m for item in checklist for m in item.missing))


def incomplete_line(checklist: tuple[ChecklistItem, ...]) -> str | None:
    """``record incomplete: a, b, c`` for page 1, or ``None`` when nothing is missing."""
    missing = missing_items(checklist)
    return f"record incomplete: {', '.join(missing)}" if missing else None


def record_state(checklist: tuple[ChecklistItem, ...]) -> str:
    """Return the cover's record line: complete or not, and whether the data show compliance.

    ``complete: every item present`` only when every item is present and the data show
    compliance; present items whose data show a FAIL (or do not cover the plan, are
    inconclusive or could not be judged) say so: the line never reads as all good for such
    a unit.
    """
    data = next((i for i in checklist if i.section is Section.MEASUREMENTS), None)
    shows = ""
    if data is not None and data.shortfall is not None and data.status is data.shortfall:
        shows = _SHORTFALL_TEXT[data.shortfall]
    if missing_items(checklist):
        base = "incomplete: see the line above and the checklist"
        return f"{base}; {shows}" if shows else base
    return f"every item present, but {shows}" if shows else "complete: every item present"
