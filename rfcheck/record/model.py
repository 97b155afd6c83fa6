"""The test record a customs file needs, as declared in the setup TOML (issue 11).

Frozen dataclasses for the ``[test]``, ``[lab]``, ``[[equipment]]``,
``[[support_equipment]]``, ``[[cable]]``, ``[[photo]]``, ``[compliance]`` and ``[entry]``
tables, and :func:`parse_record`, which validates them (errors name the file and the key).
A field the setup does not give is ``None`` (printed as missing), never invented; the only
default is the measurement procedure of ``[test]`` (47 CFR 15.31(a)(4)). Every table and key
is documented with an example in ``docs/record.md``.

References
----------
47 CFR 2.938(b) (SDoC test record), 2.1077 (compliance information), 2.906(a)(1) (test lab
not owned or directed by a prohibited entity), 2.1204(a) (import conditions), 15.105(a)/(b).
"""

from __future__ import annotations

import datetime as _dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..errors import SetupFileError
from ._values import TableReader

__all__ = [
    "DEFAULT_PROCEDURE",
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
    "parse_record",
    "load_record",
]

#: The measurement procedure when ``[test] procedure`` is not given (47 CFR 15.31(a)(4)
#: names ANSI C63.4-2014 for unintentional radiators, excluding some of its clauses).
DEFAULT_PROCEDURE = (
    "ANSI C63.4-2014 as referenced by 47 CFR 15.31(a)(4), with the FCC's excluded clauses"
)

#: Setup tables this package reads (``[dut]`` is shared with the test plan and only read).
RECORD_TABLES = frozenset(
    {"test", "lab", "equipment", "support_equipment", "cable", "photo", "compliance", "entry"}
)


class PhotoRole(StrEnum):
    """What a ``[[photo]]`` shows (47 CFR 2.938(b)(7) practice: the setups of the highest
    conducted and the highest radiated emission)."""

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
    """Expanded measurement uncertainty of the lab for one port. ``u_lab_db`` [dB]"""

    port: str
    u_lab_db: float


@dataclass(frozen=True)
class TestInfo:
    """``[test]``: when, how and on what the EUT was tested (47 CFR 2.938(b)(1), (3)).

    ``modifications`` is ``None`` when not stated, ``()`` when the setup says ``"none"``.
    ``support_equipment_none`` is True when the setup states there was no support equipment.
    """

    dates: tuple[_dt.date, ...] | None = None
    procedure: str = DEFAULT_PROCEDURE
    operating_mode: str | None = None
    configuration: str | None = None
    modifications: tuple[str, ...] | None = None
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
    """Lab accreditation: body, certificate, scope; or a ``statement`` such as
    ``"none: pre-compliance"``."""

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
    """What the record reads of ``[dut]`` (the table belongs to the test plan; other keys are
    left to it): identification for 47 CFR 2.938(b)(5) and 2.1077(a)(1)."""

    manufacturer: str | None = None
    trade_name: str | None = None
    model: str | None = None
    serial: str | None = None
    description: str | None = None
    device_class: str | None = None


@dataclass(frozen=True)
class Equipment:
    """One ``[[equipment]]`` item: instrument, antenna, LISN, preamp or cable actually used."""

    type: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    cal_date: _dt.date | None = None
    cal_due: _dt.date | None = None
    certificate: str | None = None

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
    """One ``[[photo]]``: a setup (or label) picture, embedded in the PDF and hashed."""

    file: Path
    role: PhotoRole = PhotoRole.SETUP
    caption: str | None = None


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
    """``[entry]`` (optional): the shipment the record accompanies (47 CFR 2.1203, 2.1204(a))."""

    entry_number: str | None = None
    port_of_entry: str | None = None
    import_condition: int | None = None
    quantity: int | None = None
    models: tuple[str, ...] | None = None
    serials: tuple[str, ...] | None = None
    tested_serials: tuple[str, ...] | None = None


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
        """``(role, path)`` of every file the record embeds (setup photos ``photo``, the label
        photo ``label-photo``): the dossier hashes them into the manifest like every input."""
        files = [("photo", p.file) for p in self.photos]
        if self.compliance.label_photo is not None:
            files.append(("label-photo", self.compliance.label_photo))
        return tuple(files)

    @property
    def device_class(self) -> str | None:
        """``A`` or ``B``: from ``[compliance]``, else ``[test]``, else ``[dut]``; ``None`` if none says."""
        for value in (self.compliance.device_class, self.test.device_class, self.dut.device_class):
            if value:
                return value
        return None


_TEST_KEYS = frozenset({
    "date", "dates", "procedure", "operating_mode", "configuration", "modifications",
    "uncertainty_statement", "u_lab_db", "tester", "revision", "support_equipment",
    "standard", "class", "port", "notes", "report_title",
})
_LAB_KEYS = frozenset({
    "name", "operator", "address", "site", "fcc_designation", "fcc_registration",
    "accreditation", "ownership_statement",
})
_ACCREDITATION_KEYS = frozenset({"body", "certificate", "scope", "statement"})
_DUT_KEYS = ("manufacturer", "trade_name", "model", "serial", "description")
_EQUIPMENT_KEYS = frozenset(
    {"type", "manufacturer", "model", "serial", "cal_date", "cal_due", "certificate"}
)
_SUPPORT_KEYS = frozenset({"description", "trade_name", "model", "serial", "fcc_id"})
_CABLE_KEYS = frozenset({"type", "length_m", "between", "arrangement"})
_PHOTO_KEYS = frozenset({"file", "shows", "caption"})
_COMPLIANCE_KEYS = frozenset({
    "authorization", "fcc_id", "responsible_party", "label_text", "label_photo", "class",
})
_PARTY_KEYS = frozenset({"name", "address", "phone", "internet"})
_ENTRY_KEYS = frozenset({
    "entry_number", "port_of_entry", "import_condition", "quantity", "models", "serials",
    "tested_serials",
})
_CLASSES = ("A", "B")


def _device_class(r: TableReader, key: str = "class") -> str | None:
    value = r.text(key)
    if value is None:
        return None
    if value.upper() not in _CLASSES:
        raise r.fail(key, f"expected 'A' or 'B', got {value!r}")
    return value.upper()


def _test(table: Any, path: Path | None) -> TestInfo:
    r = TableReader(table, "[test]", path, _TEST_KEYS)
    if "date" in r.table and "dates" in r.table:
        raise r.fail("date", "give 'date' or 'dates', not both")
    dates = r.dates("dates") if "dates" in r.table else r.dates("date")
    mods = r.texts("modifications")
    if mods is not None and [m.lower() for m in mods] == ["none"]:
        mods = ()
    support = r.text("support_equipment")
    if support is not None and support.lower() != "none":
        raise r.fail("support_equipment", "only 'none' is accepted here; list items as [[support_equipment]]")
    u_table = r.table.get("u_lab_db", {})
    u_reader = TableReader(u_table, "[test] u_lab_db", path, set(u_table) if isinstance(u_table, Mapping) else set())
    uncertainty = tuple(
        Uncertainty(port=str(port), u_lab_db=u_reader.number(str(port), positive=True) or 0.0)
        for port in u_reader.table
    )
    return TestInfo(
        dates=dates,
        procedure=r.text("procedure") or DEFAULT_PROCEDURE,
        operating_mode=r.text("operating_mode"),
        configuration=r.text("configuration"),
        modifications=mods,
        uncertainty_statement=r.text("uncertainty_statement"),
        uncertainty=uncertainty,
        tester=r.text("tester"),
        revision=r.integer("revision"),
        support_equipment_none=support is not None,
        standard=r.text("standard"),
        device_class=_device_class(r),
        port=r.text("port"),
        notes=r.text("notes"),
        report_title=r.text("report_title"),
    )


def _lab(table: Any, path: Path | None) -> LabInfo:
    r = TableReader(table, "[lab]", path, _LAB_KEYS)
    acc_value = r.table.get("accreditation")
    accreditation = None
    if isinstance(acc_value, Mapping):
        a = TableReader(acc_value, "[lab.accreditation]", path, _ACCREDITATION_KEYS)
        accreditation = Accreditation(
            body=a.text("body"), certificate=a.text("certificate"), scope=a.text("scope"),
            statement=a.text("statement"),
        )
    elif acc_value is not None:
        statement = r.text("accreditation")
        accreditation = Accreditation(statement=statement) if statement else None
    return LabInfo(
        name=r.text("name"),
        operator=r.text("operator"),
        address=r.text("address"),
        site=r.text("site"),
        fcc_designation=r.text("fcc_designation"),
        fcc_registration=r.text("fcc_registration"),
        accreditation=accreditation,
        ownership_statement=r.text("ownership_statement"),
    )


def _dut(table: Any, path: Path | None) -> DutInfo:
    if not isinstance(table, Mapping):
        raise SetupFileError("[dut] must be a table", path)
    # [dut] belongs to the test plan: read only the identification keys, leave the rest.
    r = TableReader({k: v for k, v in table.items() if k in _DUT_KEYS or k == "class"},
                    "[dut]", path, frozenset({*_DUT_KEYS, "class"}))
    return DutInfo(
        manufacturer=r.text("manufacturer"),
        trade_name=r.text("trade_name"),
        model=r.text("model"),
        serial=r.text("serial"),
        description=r.text("description"),
        device_class=_device_class(r),
    )


def _array(doc: Mapping[str, Any], key: str, path: Path | None) -> list[tuple[str, Any]]:
    items = doc.get(key, [])
    if not isinstance(items, list):
        raise SetupFileError(f"[[{key}]] must be an array of tables", path)
    return [(f"[[{key}]] #{i}", item) for i, item in enumerate(items, 1)]


def _equipment(where: str, table: Any, path: Path | None) -> Equipment:
    r = TableReader(table, where, path, _EQUIPMENT_KEYS)
    item = Equipment(
        type=r.text("type"), manufacturer=r.text("manufacturer"), model=r.text("model"),
        serial=r.text("serial"), cal_date=r.date("cal_date"), cal_due=r.date("cal_due"),
        certificate=r.text("certificate"),
    )
    if item.cal_date and item.cal_due and item.cal_due < item.cal_date:
        raise r.fail("cal_due", f"{item.cal_due} is before cal_date {item.cal_date}")
    return item


def _support(where: str, table: Any, path: Path | None) -> SupportEquipment:
    r = TableReader(table, where, path, _SUPPORT_KEYS)
    return SupportEquipment(
        description=r.text("description"), trade_name=r.text("trade_name"),
        model=r.text("model"), serial=r.text("serial"), fcc_id=r.text("fcc_id"),
    )


def _cable(where: str, table: Any, path: Path | None) -> Cable:
    r = TableReader(table, where, path, _CABLE_KEYS)
    return Cable(
        type=r.text("type"), length_m=r.number("length_m", positive=True),
        between=r.text("between"), arrangement=r.text("arrangement"),
    )


def _photo(where: str, table: Any, path: Path | None, base: Path | None) -> Photo:
    r = TableReader(table, where, path, _PHOTO_KEYS)
    file = r.file("file", base)
    if file is None:
        raise r.fail("file", "a photo needs a file")
    shows = r.text("shows") or PhotoRole.SETUP.value
    try:
        role = PhotoRole(shows)
    except ValueError:
        raise r.fail("shows", f"expected one of {[p.value for p in PhotoRole]}, got {shows!r}") from None
    return Photo(file=file, role=role, caption=r.text("caption"))


def _compliance(table: Any, path: Path | None, base: Path | None) -> ComplianceInfo:
    r = TableReader(table, "[compliance]", path, _COMPLIANCE_KEYS)
    auth_text = r.text("authorization")
    authorization = None
    if auth_text is not None:
        try:
            authorization = AuthorizationPath(auth_text.lower())
        except ValueError:
            raise r.fail("authorization", f"expected 'sdoc' or 'certification', got {auth_text!r}") from None
    party = None
    if "responsible_party" in r.table:
        p = TableReader(r.table["responsible_party"], "[compliance.responsible_party]", path, _PARTY_KEYS)
        party = ResponsibleParty(
            name=p.text("name"), address=p.text("address"), phone=p.text("phone"),
            internet=p.text("internet"),
        )
    return ComplianceInfo(
        authorization=authorization,
        fcc_id=r.text("fcc_id"),
        responsible_party=party,
        label_text=r.text("label_text"),
        label_photo=r.file("label_photo", base),
        device_class=_device_class(r),
    )


def _entry(table: Any, path: Path | None) -> EntryInfo:
    r = TableReader(table, "[entry]", path, _ENTRY_KEYS)
    return EntryInfo(
        entry_number=r.text("entry_number"),
        port_of_entry=r.text("port_of_entry"),
        import_condition=r.integer("import_condition", minimum=1),
        quantity=r.integer("quantity", minimum=1),
        models=r.texts("models"),
        serials=r.texts("serials"),
        tested_serials=r.texts("tested_serials"),
    )


def parse_record(doc: Mapping[str, Any], path: str | Path | None = None) -> Record:
    """Build the :class:`Record` from a parsed setup TOML document.

    Only the record tables (:data:`RECORD_TABLES`) and the identification keys of ``[dut]``
    are read; other tables are left to their owners.

    Parameters
    ----------
    doc : Mapping
        The setup file as parsed by :func:`tomllib.loads`.
    path : str or Path, optional
        The setup file: named in errors; relative photo paths resolve against its folder.

    Raises
    ------
    SetupFileError
        A record table or key is malformed (unknown key, wrong type, bad date, bad class).
    """
    p = None if path is None else Path(path)
    base = None if p is None else p.parent
    test = _test(doc.get("test", {}), p)
    support = tuple(_support(w, t, p) for w, t in _array(doc, "support_equipment", p))
    if test.support_equipment_none and support:
        raise SetupFileError(
            f"[test] support_equipment = 'none' but [[support_equipment]] lists {len(support)} item(s)", p
        )
    return Record(
        test=test,
        lab=_lab(doc.get("lab", {}), p),
        dut=_dut(doc.get("dut", {}), p),
        equipment=tuple(_equipment(w, t, p) for w, t in _array(doc, "equipment", p)),
        support_equipment=support,
        cables=tuple(_cable(w, t, p) for w, t in _array(doc, "cable", p)),
        photos=tuple(_photo(w, t, p, base) for w, t in _array(doc, "photo", p)),
        compliance=_compliance(doc.get("compliance", {}), p, base),
        entry=_entry(doc["entry"], p) if "entry" in doc else None,
        source=p,
    )


def load_record(path: str | Path) -> Record:
    """Read a setup TOML file and parse its record tables (see :func:`parse_record`).

    Raises
    ------
    SetupFileError
        Unreadable file, TOML syntax error, or a malformed record table.
    """
    p = Path(path)
    try:
        doc = tomllib.loads(p.read_bytes().decode("utf-8"))
    except OSError as err:
        raise SetupFileError(f"cannot read setup file: {err.strerror}", p) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SetupFileError(f"not a valid TOML setup file: {err}", p) from None
    return parse_record(doc, p)
