"""The 47 CFR 2.938(b) checklist (plus 2.1077, 2.906(a)(1) and labelling) of a record.

Each item is present or missing, names what is missing and the record section that holds it
(the PDF turns the section into a page number). :func:`missing_items` gives the list page 1
prints as ``record incomplete: ...``; it never changes the measurement verdict.

References
----------
47 CFR 2.938(b)(1)-(6) [P, 2020 text]; (7) onwards (setup photos, modifications, data,
signatures) follow the predecessor 2.955(a)(3)(vii)-(ix) [numbering in the current 2.938(b)
UNCONFIRMED]; 2.1077(a) compliance information; 2.906(a)(1) (2025); 15.19(a)(3), 15.105.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from .model import AuthorizationPath, PhotoRole, Record, ResponsibleParty

__all__ = [
    "Section",
    "ItemStatus",
    "ChecklistItem",
    "build_checklist",
    "missing_items",
    "incomplete_line",
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
    ENTRY = "entry"


class ItemStatus(StrEnum):
    """Whether the record holds a checklist item."""

    PRESENT = "present"
    MISSING = "missing"
    NOT_APPLICABLE = "n/a"  #: e.g. the entry cover sheet when the setup has no [entry]


@dataclass(frozen=True)
class ChecklistItem:
    """One requirement: ``clause``, what it asks, where it is, and what is missing."""

    clause: str
    title: str
    section: Section
    missing: tuple[str, ...]
    applicable: bool = True

    @property
    def status(self) -> ItemStatus:
        """``n/a`` when not applicable, else ``missing`` when anything is missing."""
        if not self.applicable:
            return ItemStatus.NOT_APPLICABLE
        return ItemStatus.MISSING if self.missing else ItemStatus.PRESENT


def _absent(pairs: list[tuple[str, object]]) -> tuple[str, ...]:
    return tuple(name for name, value in pairs if value is None or value == () or value == "")


def _b1(r: Record, _: bool) -> tuple[str, ...]:
    return _absent([("test dates", r.test.dates)])


def _b2(r: Record, _: bool) -> tuple[str, ...]:
    return _absent([("lab name", r.lab.name)])


def _b3(r: Record, _: bool) -> tuple[str, ...]:
    # the procedure always has a value (15.31(a)(4) default)
    return _absent([("equipment list", r.equipment)])


def _b4(r: Record, _: bool) -> tuple[str, ...]:
    eut = r.dut.description or r.dut.model
    support = r.support_equipment or (True if r.test.support_equipment_none else None)
    return _absent(
        [
            ("EUT description", eut),
            ("support equipment (or 'none')", support),
            ("EUT operating mode", r.test.operating_mode),
        ]
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


def _signatures(r: Record, _: bool) -> tuple[str, ...]:
    party = r.compliance.responsible_party
    return _absent(
        [("tester name", r.test.tester), ("responsible party name", party.name if party else None)]
    )


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
    ("15.19(a)(3), 2.1074", "Label text and label photo", Section.COMPLIANCE, _label),
    ("15.105", "Manual statement for the device class", Section.COMPLIANCE, _manual),
    ("2.1203(c), 2.1204(a)", "Entry cover sheet", Section.ENTRY, _entry),
)


def build_checklist(record: Record, *, has_measurements: bool = True) -> tuple[ChecklistItem, ...]:
    """Every checklist item for ``record``.

    Parameters
    ----------
    record : Record
        The declared record.
    has_measurements : bool
        Whether the document carries measurement data (the dossier's tables).

    Returns
    -------
    tuple of ChecklistItem
        In the order printed; the entry item is ``n/a`` when the setup has no ``[entry]``.
    """
    return tuple(
        ChecklistItem(
            clause=clause,
            title=title,
            section=section,
            missing=check(record, has_measurements),
            applicable=section is not Section.ENTRY or record.entry is not None,
        )
        for clause, title, section, check in _ITEMS
    )


def missing_items(checklist: tuple[ChecklistItem, ...]) -> tuple[str, ...]:
    """Return what the record lacks, once each, in checklist order."""
    return tuple(dict.fromkeys(m for item in checklist for m in item.missing))


def incomplete_line(checklist: tuple[ChecklistItem, ...]) -> str | None:
    """``record incomplete: a, b, c`` for page 1, or ``None`` when nothing is missing."""
    missing = missing_items(checklist)
    return f"record incomplete: {', '.join(missing)}" if missing else None
