"""Regulatory statement texts: the 2.1077 compliance information block and 15.105(a)/(b).

Texts are data with their source and a status in the project's legend (``primary``:
confirmed from a CFR text; ``secondary``: a third-party copy only; ``UNCONFIRMED``: not
found in a reachable source). A statement whose status is not primary says so wherever it
is printed.

References
----------
47 CFR 15.105(a), (b): wording checked against the GPO CFR text (October 2004) and FindLaw's
copy "current as of January 02, 2025"; the four measures closing 15.105(b) only from the
Northwest EMC reference page [secondary]. 47 CFR 15.19(a)(3): studylib copy of the CFR text
and productdocket.com quotation [secondary]. 47 CFR 2.1077(a) (1)-(3): Hallikainen CFR
mirror, 2015 text [primary for that edition]; the post-2017 wording ("Supplier's Declaration
of Conformity", "or internet contact information") is UNCONFIRMED. Retrieved 2026-12-05.
47 CFR 2.1204(a)(1)-(5), the import conditions [primary; further paragraphs UNCONFIRMED].
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import AuthorizationPath, Record

__all__ = [
    "SourceStatus",
    "Statement",
    "STATEMENT_15_105_A",
    "STATEMENT_15_105_B",
    "STATEMENT_15_19_A3",
    "user_statement",
    "IMPORT_CONDITIONS",
    "RECEIVER_MODEL_STATUS",
    "import_condition_text",
    "InfoLine",
    "ComplianceInformation",
    "compliance_information",
]


class SourceStatus(StrEnum):
    """How a text or figure was confirmed (the limit-provenance legend uses the same words)."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    DERIVED = "derived"
    UNCONFIRMED = "UNCONFIRMED"


#: The legend printed with every status (docs/record.md and the PDF use these sentences).
STATUS_LEGEND: dict[SourceStatus, str] = {
    SourceStatus.PRIMARY: (
        "confirmed from the regulation or standard itself, or a verbatim copy of it"
    ),
    SourceStatus.SECONDARY: "confirmed only from a secondary source (lab report, instrument "
    "manual, third-party copy); verify before certification use",
    SourceStatus.DERIVED: "calculated by rfcheck from confirmed figures (formula documented)",
    SourceStatus.UNCONFIRMED: "not found in any reachable source; shown so it can be checked, "
    "do not rely on it",
}


@dataclass(frozen=True)
class Statement:
    """A statement text with the clause it implements and how its wording was confirmed."""

    clause: str
    text: str
    status: SourceStatus
    source: str


STATEMENT_15_105_A = Statement(
    clause="47 CFR 15.105(a)",
    text=(
        "Note: This equipment has been tested and found to comply with the limits for a Class A "
        "digital device, pursuant to part 15 of the FCC Rules. These limits are designed to "
        "provide reasonable protection against harmful interference when the equipment is "
        "operated in a commercial environment. This equipment generates, uses, and can radiate "
        "radio frequency energy and, if not installed and used in accordance with the "
        "instruction manual, may cause harmful interference to radio communications. Operation "
        "of this equipment in a residential area is likely to cause harmful interference in "
        "which case the user will be required to correct the interference at his own expense."
    ),
    status=SourceStatus.PRIMARY,
    source="GPO CFR 2004 47CFR15.105; FindLaw copy current as of 2025-01-02",
)

STATEMENT_15_105_B = Statement(
    clause="47 CFR 15.105(b)",
    text=(
        "Note: This equipment has been tested and found to comply with the limits for a Class B "
        "digital device, pursuant to part 15 of the FCC Rules. These limits are designed to "
        "provide reasonable protection against harmful interference in a residential "
        "installation. This equipment generates, uses and can radiate radio frequency energy "
        "and, if not installed and used in accordance with the instructions, may cause harmful "
        "interference to radio communications. However, there is no guarantee that interference "
        "will not occur in a particular installation. If this equipment does cause harmful "
        "interference to radio or television reception, which can be determined by turning the "
        "equipment off and on, the user is encouraged to try to correct the interference by one "
        "or more of the following measures:\n"
        "- Reorient or relocate the receiving antenna.\n"
        "- Increase the separation between the equipment and receiver.\n"
        "- Connect the equipment into an outlet on a circuit different from that to which the "
        "receiver is connected.\n"
        "- Consult the dealer or an experienced radio/TV technician for help."
    ),
    # the text up to "the user is encouraged" is primary; the four measures are secondary
    status=SourceStatus.SECONDARY,
    source="GPO CFR 2004/2005 47CFR15.105 (up to the measures); the four measures from the "
    "Northwest EMC Class B reference page",
)

STATEMENT_15_19_A3 = Statement(
    clause="47 CFR 15.19(a)(3)",
    text=(
        "This device complies with part 15 of the FCC Rules. Operation is subject to the "
        "following two conditions: (1) This device may not cause harmful interference, and (2) "
        "this device must accept any interference received, including interference that may "
        "cause undesired operation."
    ),
    status=SourceStatus.SECONDARY,
    source="copies of the CFR text (studylib 'FCC label regulations'; productdocket.com; "
    "Northwest EMC)",
)


#: How far rfcheck's CISPR 16-1-1 receiver model is validated, as docs/receiver.md states it
#: ("The CISPR 16-1-1 pulse table"): printed with any level it computed from an I/Q
#: recording, so a broker does not read such a level as a calibrated receiver's reading.
RECEIVER_MODEL_STATUS = (
    "rfcheck's receiver model is software, not a calibrated instrument: it has no "
    "calibration certificate. It is checked against the CISPR 16-1-1 quasi-peak "
    "pulse-response table, and every row reads inside its tolerance for settled records "
    "(least spare 0.07 dB, Band C/D at 1 Hz, which falls 0.17 dB outside when the record "
    "ends within 0.34 s of its third pulse); the table's nominal values are secondary for "
    "Band B and C/D 1 Hz and UNCONFIRMED for C/D 1000, 20, 10 and 2 Hz and both isolated-"
    "pulse rows (docs/receiver.md, docs/references.md §4c)"
)

#: What each 47 CFR 2.1204(a)(n) import condition means, in short (the entry sheet prints it
#: beside the number). (1)-(5) primary; any other paragraph is not in rfcheck's reference.
IMPORT_CONDITIONS: dict[int, str] = {
    1: "the device has an equipment authorization",
    2: "the device is not required to be authorized, and complies",
    3: "at most 4,000 units, imported for testing and evaluation",
    4: "at most 400 units, imported for trade shows",
    5: "imported solely for export",
}


def import_condition_text(condition: int) -> str:
    """``47 CFR 2.1204(a)(n): <what it means>`` for the entry sheet.

    A paragraph :data:`IMPORT_CONDITIONS` does not hold says its meaning is UNCONFIRMED.
    """
    meaning = IMPORT_CONDITIONS.get(
        condition, "a condition not in rfcheck's reference (meaning UNCONFIRMED)"
    )
    return f"47 CFR 2.1204(a)({condition}): {meaning}"


def user_statement(device_class: str | None) -> Statement | None:
    """Return the 15.105 manual statement for class ``A`` or ``B``.

    ``None`` when the class is unknown.
    """
    if device_class is None:
        return None
    return {"A": STATEMENT_15_105_A, "B": STATEMENT_15_105_B}.get(device_class.upper())


@dataclass(frozen=True)
class InfoLine:
    """One line of the 2.1077 block: ``label: value``; ``value`` None = missing (printed so)."""

    label: str
    value: str | None
    clause: str


@dataclass(frozen=True)
class ComplianceInformation:
    """The 2.1077(a) compliance information statement, ready to print.

    For a certified device, the grant's identification and its grantee instead (47 CFR
    2.907, 2.909(a)): ``heading`` names the section as the stated authorization has it.
    """

    title: str
    lines: tuple[InfoLine, ...]
    statement: Statement
    note: str
    heading: str = "Compliance information (47 CFR 2.1077)"

    @property
    def missing(self) -> tuple[str, ...]:
        """Labels of the lines with no value."""
        return tuple(line.label for line in self.lines if line.value is None)


def compliance_information(record: Record) -> ComplianceInformation:
    """Return the 47 CFR 2.1077(a) block.

    Product identification, compliance statement, and the responsible party in the United States
    (name, address, telephone or internet contact).

    Missing values stay ``None``; the renderer prints them as missing. For a certified device
    (``authorization = "certification"``) the block is :func:`_certified_information`: the
    2.1077 information is a Supplier's Declaration of Conformity's, and the party
    responsible for a certified device is its grantee (47 CFR 2.909(a)).
    """
    if record.compliance.authorization is AuthorizationPath.CERTIFICATION:
        return _certified_information(record)
    dut, party = record.dut, record.compliance.responsible_party
    product, contact = _product_and_contact(record)
    lines = [
        InfoLine("Product", product, "2.1077(a)(1)"),
        InfoLine("Model", dut.model, "2.1077(a)(1)"),
    ]
    if record.compliance.fcc_id:
        lines.append(InfoLine("FCC ID", record.compliance.fcc_id, "2.1077"))
    lines += [
        InfoLine("Responsible party", party.name if party else None, "2.1077(a)(3)"),
        InfoLine("Address", party.address if party else None, "2.1077(a)(3)"),
        InfoLine("Telephone / internet contact", contact, "2.1077(a)(3)"),
    ]
    return ComplianceInformation(
        title="Supplier's Declaration of Conformity: 47 CFR 2.1077 Compliance Information",
        lines=tuple(lines),
        statement=STATEMENT_15_19_A3,
        note="The responsible party must be located within the United States (47 CFR 2.1077(a)(3), "
        "2.909(b)). 'internet contact information' as an alternative to a telephone number: "
        "post-2017 wording UNCONFIRMED.",
    )


def _product_and_contact(record: Record) -> tuple[str | None, str | None]:
    """Return the product (trade name or manufacturer, then model) and the party's contact.

    The contact is the responsible party's telephone and internet contact; None where the
    setup states none.
    """
    dut, party = record.dut, record.compliance.responsible_party
    product = " ".join(p for p in (dut.trade_name or dut.manufacturer, dut.model) if p) or None
    contact = None
    if party is not None:
        contact = "; ".join(p for p in (party.phone, party.internet) if p) or None
    return product, contact


def _certified_information(record: Record) -> ComplianceInformation:
    """Return a certified device's block: product, FCC ID, the grantee (2.907, 2.909(a)).

    No 2.1077 title, clause or US responsible party: the party responsible for a certified
    device is the party the grant is issued to (2.909(a)); ``[compliance.responsible_party]``
    is printed as that grantee. A contact is printed when the setup states one.
    """
    dut, party, c = record.dut, record.compliance.responsible_party, record.compliance
    product, contact = _product_and_contact(record)
    lines = [
        InfoLine("Product", product, "2.938(b)(5)"),
        InfoLine("Model", dut.model, "2.938(b)(5)"),
        InfoLine("FCC ID", c.fcc_id, "2.907"),
        InfoLine("Grantee (responsible party)", party.name if party else None, "2.909(a)"),
        InfoLine("Grantee address", party.address if party else None, "2.909(a)"),
    ]
    if contact is not None:
        lines.append(InfoLine("Grantee contact", contact, "2.909(a)"))
    grant = f"FCC ID {c.fcc_id}" if c.fcc_id else "the FCC ID (not stated in the setup)"
    return ComplianceInformation(
        title="Certification: 47 CFR 2.907 grant and its grantee (2.909(a))",
        lines=tuple(lines),
        statement=STATEMENT_15_19_A3,
        note=(
            "For a certified device the party responsible for compliance is the grantee, the "
            "party the grant of certification is issued to (47 CFR 2.909(a)): the setup's "
            f"[compliance.responsible_party] is printed as the grantee of {grant} and must be "
            "the party the grant names. The 2.1077 compliance information and its responsible "
            "party in the United States belong to a Supplier's Declaration of Conformity "
            "(2.909(b)), not to this record."
        ),
        heading="Authorization: certification (47 CFR 2.907, 2.909(a))",
    )
