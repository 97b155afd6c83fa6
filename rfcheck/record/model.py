"""The test record a customs file needs, as declared in the setup TOML (issue 11).

Frozen dataclasses for the ``[test]``, ``[lab]``, ``[[equipment]]``,
``[[support_equipment]]``, ``[[cable]]``, ``[[photo]]``, ``[compliance]`` and ``[entry]``
tables (:mod:`rfcheck.record.parse` builds them from the setup file). A field the setup does
not give is ``None`` (printed as missing), never invented; the only default is the
measurement procedure of ``[test]`` (47 CFR 15.31(a)(4)). Every table and key is documented
with an example in ``docs/record.md``.

References
----------
47 CFR 2.938(b) (SDoC test record), 2.1077 (compliance information), 2.906(a)(1) (test lab
not owned or directed by a prohibited entity), 2.1204(a) (import conditions), 15.105(a)/(b).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

__all__ = [
    "PROCEDURE_NOT_STATED",
    "RECORD_TABLES",
    "PhotoRole",
    "AuthorizationPath",
    "Uncertainty",
    "TestInfo",
    "Accreditation",
    "LabInfo",
    "DutInfo",
    "Equipment",
    "SupportEquipment",
    "Cable",
    "Photo",
    "ResponsibleParty",
    "ComplianceInfo",
    "EntryInfo",
    "Record",
]

#: What the record prints beside MISSING when ``[test] procedure`` is not given: what the rule
#: requires (47 CFR 15.31(a)(4) names ANSI C63.4-2014 for unintentional radiators), never a
#: procedure the lab did not state.
PROCEDURE_NOT_STATED = (
    "15.31(a)(4) requires ANSI C63.4-2014; the setup does not state the procedure followed"
)

#: Setup tables this package reads (``[dut]`` is shared with the test plan and only read).
RECORD_TABLES = frozenset(
    {"test", "lab", "equipment", "support_equipment", "cable", "photo", "compliance", "entry"}
)


class PhotoRole(StrEnum):
    """What a ``[[photo]]`` shows.

    47 CFR 2.938(b)(7) practice: the setups of the highest conducted and the highest radiated
    emission.
    """

    HIGHEST_CONDUCTED = "highest-conducted"
    HIGHEST_RADIATED = "highest-radiated"
    LABEL = "label"
    SETUP = "setup"


class AuthorizationPath(StrEnum):
    """How the device is authorized (47 CFR 2.906 SDoC, or 2.907 certification with an FCC ID)."""

    SDOC = "sdoc"
    CERTIFICATION = "certification"


@dataclass(frozen=True)
class Uncertainty:
    """Expanded measurement uncertainty of the lab for one port.

    ``u_lab_db`` [dB]; ``port`` ``""``: one value for every port (``[test] u_lab_db = 4.9``).
    """

    port: str
    u_lab_db: float

    @property
    def port_text(self) -> str:
        """The port as the record prints it: its label, or ``every port``."""
        return self.port or "every port"


@dataclass(frozen=True)
class TestInfo:
    """``[test]``: when, how and on what the EUT was tested (47 CFR 2.938(b)(1), (3)).

    ``modifications`` is ``None`` when not stated, ``()`` when the setup says ``"none"``.
    ``modifications_by_unit`` holds them per unit when the setup gives a table keyed by unit
    name (``modifications = { rig = "none", "rig-0418" = "clamp ferrite" }``);
    ``modifications`` is then ``None`` until the dossier picks a unit's entry.
    ``support_equipment_none`` is True when the setup states there was no support equipment.
    """

    dates: tuple[_dt.date, ...] | None = None
    procedure: str | None = None
    operating_mode: str | None = None
    configuration: str | None = None
    modifications: tuple[str, ...] | None = None
    modifications_by_unit: tuple[tuple[str, tuple[str, ...]], ...] = ()
    uncertainty_statement: str | None = None
    uncertainty: tuple[Uncertainty, ...] = ()
    tester: str | None = None
    revision: int | None = None
    support_equipment_none: bool = False
    standard: str | None = None
    device_class: str | None = None
    port: str | None = None
    notes: str | None = None
    report_title: str | None = None


@dataclass(frozen=True)
class Accreditation:
    """Lab accreditation: body, certificate, scope.

    Or a ``statement`` such as ``"none: pre-compliance"``.
    """

    body: str | None = None
    certificate: str | None = None
    scope: str | None = None
    statement: str | None = None

    def describe(self) -> str | None:
        """One line, or ``None`` when nothing is stated."""
        parts = [p for p in (self.body, self.certificate, self.scope, self.statement) if p]
        return ", ".join(parts) if parts else None


@dataclass(frozen=True)
class LabInfo:
    """``[lab]``: who tested, where (47 CFR 2.938(b)(2)) and the 2.906(a)(1) ownership statement."""

    name: str | None = None
    operator: str | None = None
    address: str | None = None
    site: str | None = None
    fcc_designation: str | None = None
    fcc_registration: str | None = None
    accreditation: Accreditation | None = None
    ownership_statement: str | None = None


@dataclass(frozen=True)
class DutInfo:
    """What the record reads of ``[dut]``.

    The identification for 47 CFR 2.938(b)(5) and 2.1077(a)(1); the table belongs to the test
    plan, and its other keys are left to it.
    """

    manufacturer: str | None = None
    trade_name: str | None = None
    model: str | None = None
    serial: str | None = None
    description: str | None = None
    device_class: str | None = None


@dataclass(frozen=True)
class Equipment:
    """One ``[[equipment]]`` item: instrument, antenna, LISN, preamp or cable actually used.

    ``range_hz`` is the frequency range the item is specified or calibrated for, when the
    setup states it (``range_hz = [30e6, 1e9]``); the record checks that the transducers the
    setup applies were applied inside the ranges of the listed items of their kind
    (``docs/record.md``, "Cross-checks"). [Hz]
    """

    type: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    cal_date: _dt.date | None = None
    cal_due: _dt.date | None = None
    certificate: str | None = None
    range_hz: tuple[float, float] | None = None

    def describe(self) -> str:
        """``type manufacturer model s/n serial`` with the parts that are stated."""
        text = " ".join(p for p in (self.manufacturer, self.model) if p) or "unnamed item"
        if self.type:
            text = f"{self.type}: {text}"
        if self.serial:
            text += f" s/n {self.serial}"
        return text


@dataclass(frozen=True)
class SupportEquipment:
    """One ``[[support_equipment]]`` item (47 CFR 2.938(b)(4)-(5))."""

    description: str | None = None
    trade_name: str | None = None
    model: str | None = None
    serial: str | None = None
    fcc_id: str | None = None


@dataclass(frozen=True)
class Cable:
    """One ``[[cable]]`` (47 CFR 2.938(b)(6)): type, length [m], ends, arrangement."""

    type: str | None = None
    length_m: float | None = None
    between: str | None = None
    arrangement: str | None = None


@dataclass(frozen=True)
class Photo:
    """One ``[[photo]]``: a setup (or label) picture, embedded in the PDF and hashed.

    ``units``: the units (dossier unit names) it shows; empty: every unit of the run.
    """

    file: Path
    role: PhotoRole = PhotoRole.SETUP
    caption: str | None = None
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponsibleParty:
    """The responsible party in the United States (47 CFR 2.909, 2.1077(a)(3))."""

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    internet: str | None = None


@dataclass(frozen=True)
class ComplianceInfo:
    """``[compliance]``: authorization path, responsible party, label, statement class."""

    authorization: AuthorizationPath | None = None
    fcc_id: str | None = None
    responsible_party: ResponsibleParty | None = None
    label_text: str | None = None
    label_photo: Path | None = None
    device_class: str | None = None


@dataclass(frozen=True)
class EntryInfo:
    """``[entry]`` (optional): the shipment the record accompanies (47 CFR 2.1203, 2.1204(a)).

    ``tested_serials_warning`` is not read from the setup: the dossier sets it when the setup's
    ``tested_serials`` do not name the unit whose record this is (the sheet then names the
    unit's own serial and prints the warning beside it). Nor is ``entry_document``: the
    dossier run's entry cover sheet (``entry.pdf``, in the output folder), which lists every
    tested unit and gives the entry's verdict; a unit's record points to it.
    """

    entry_number: str | None = None
    port_of_entry: str | None = None
    #: the importer of record, who answers the FCC's request for the entry (2.1203(c))
    importer: str | None = None
    import_condition: int | None = None
    quantity: int | None = None
    models: tuple[str, ...] | None = None
    serials: tuple[str, ...] | None = None
    tested_serials: tuple[str, ...] | None = None
    tested_serials_warning: str | None = None
    entry_document: str | None = None


@dataclass(frozen=True)
class Record:
    """Everything the setup declares for the test record.

    ``entry`` is ``None`` when the setup has no ``[entry]`` table (no entry cover sheet);
    ``base`` is the setup's folder (photo paths are resolved against it).
    """

    test: TestInfo = TestInfo()
    lab: LabInfo = LabInfo()
    dut: DutInfo = DutInfo()
    equipment: tuple[Equipment, ...] = ()
    support_equipment: tuple[SupportEquipment, ...] = ()
    cables: tuple[Cable, ...] = ()
    photos: tuple[Photo, ...] = ()
    compliance: ComplianceInfo = ComplianceInfo()
    entry: EntryInfo | None = None
    source: Path | None = None

    def input_files(self) -> tuple[tuple[str, Path], ...]:
        """Every file the record embeds, as ``(role, path)``.

        Setup photos have the role ``photo``, the label photo ``label-photo``; the dossier hashes
        them into the manifest like every input.
        """
        files = [("photo", p.file) for p in self.photos]
        if self.compliance.label_photo is not None:
            files.append(("label-photo", self.compliance.label_photo))
        return tuple(files)

    @property
    def device_class(self) -> str | None:
        """Device class ``A`` or ``B``; ``None`` if no table states it.

        Taken from ``[compliance]``, else ``[test]``, else ``[dut]``.
        """
        for value in (self.compliance.device_class, self.test.device_class, self.dut.device_class):
            if value:
                return value
        return None
