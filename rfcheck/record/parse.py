"""Parse and validate the record tables of a setup TOML file into :class:`~.model.Record`.

Unknown keys and wrong types are :class:`~rfcheck.errors.SetupFileError` naming the file,
the table and the key (``setup.toml: [[equipment]] #2 cal_due: expected a date ...``).
``[dut]`` belongs to the test plan: only its identification keys are read, the rest is left.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..documents import load_toml
from ..errors import SetupFileError
from ..textfile import read_regular_file
from ._values import TableReader
from .model import (
    Accreditation,
    AuthorizationPath,
    Cable,
    ComplianceInfo,
    DutInfo,
    EntryInfo,
    Equipment,
    LabInfo,
    Photo,
    PhotoRole,
    Record,
    ResponsibleParty,
    SupportEquipment,
    TestInfo,
    Uncertainty,
)

__all__ = ["parse_record", "load_record"]


_TEST_KEYS = frozenset(
    {
        "date",
        "dates",
        "procedure",
        "operating_mode",
        "configuration",
        "modifications",
        "uncertainty_statement",
        "u_lab_db",
        "tester",
        "revision",
        "support_equipment",
        "standard",
        "class",
        "port",
        "notes",
        "report_title",
    }
)
_LAB_KEYS = frozenset(
    {
        "name",
        "operator",
        "address",
        "site",
        "fcc_designation",
        "fcc_registration",
        "accreditation",
        "ownership_statement",
    }
)
_ACCREDITATION_KEYS = frozenset({"body", "certificate", "scope", "statement"})
_DUT_KEYS = ("manufacturer", "trade_name", "model", "serial", "description")
_EQUIPMENT_KEYS = frozenset(
    {"type", "manufacturer", "model", "serial", "cal_date", "cal_due", "certificate", "range_hz"}
)
_SUPPORT_KEYS = frozenset({"description", "trade_name", "model", "serial", "fcc_id"})
_CABLE_KEYS = frozenset({"type", "length_m", "between", "arrangement"})
_PHOTO_KEYS = frozenset({"file", "shows", "caption", "units"})
_COMPLIANCE_KEYS = frozenset(
    {
        "authorization",
        "fcc_id",
        "responsible_party",
        "label_text",
        "label_photo",
        "class",
    }
)
_PARTY_KEYS = frozenset({"name", "address", "phone", "internet"})
_ENTRY_KEYS = frozenset(
    {
        "entry_number",
        "port_of_entry",
        "importer",
        "import_condition",
        "quantity",
        "models",
        "serials",
        "tested_serials",
    }
)
_CLASSES = ("A", "B")


def _device_class(r: TableReader, key: str = "class") -> str | None:
    value = r.text(key)
    if value is None:
        return None
    if value.upper() not in _CLASSES:
        raise r.fail(key, f"expected 'A' or 'B', got {value!r}")
    return value.upper()


def _uncertainty(table: Any, path: Path | None) -> tuple[Uncertainty, ...]:
    """``u_lab_db = { L1 = 3.4, H = 5.2 }``: U_lab per port [dB], each a number > 0.

    Or ``u_lab_db = 4.9``: one U_lab for every port (:attr:`Uncertainty.port` ``""``), as
    ``check`` reads it (:mod:`rfcheck.settings.setup_file`).
    """
    if not isinstance(table, Mapping):
        one = TableReader({"u_lab_db": table}, "[test]", path, {"u_lab_db"}).number(
            "u_lab_db", positive=True
        )
        assert one is not None  # the key is present, so number() returned or raised
        return (Uncertainty(port="", u_lab_db=one),)
    r = TableReader(table, "[test] u_lab_db", path, set(table))
    out = []
    for port in table:
        value = r.number(str(port), positive=True)
        assert value is not None  # the key is present, so number() returned or raised
        out.append(Uncertainty(port=str(port), u_lab_db=value))
    return tuple(out)


def _none_is_empty(mods: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """``"none"`` stated: no modifications, ``()``."""
    return () if mods is not None and [m.lower() for m in mods] == ["none"] else mods


def _modifications(
    r: TableReader,
) -> tuple[tuple[str, ...] | None, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Return ``[test] modifications``: for every unit, or per unit name (a table)."""
    value = r.table.get("modifications")
    if not isinstance(value, dict):
        return _none_is_empty(r.texts("modifications")), ()
    per_unit = TableReader(value, "[test] modifications", r.path, set(value))
    return None, tuple((str(u), _none_is_empty(per_unit.texts(str(u))) or ()) for u in value)


def _test(table: Any, path: Path | None) -> TestInfo:
    r = TableReader(table, "[test]", path, _TEST_KEYS)
    if "date" in r.table and "dates" in r.table:
        raise r.fail("date", "give 'date' or 'dates', not both")
    dates = r.dates("dates") if "dates" in r.table else r.dates("date")
    mods, by_unit = _modifications(r)
    support = r.text("support_equipment")
    if support is not None and support.lower() != "none":
        raise r.fail(
            "support_equipment", "only 'none' is accepted here; list items as [[support_equipment]]"
        )
    uncertainty = _uncertainty(r.table.get("u_lab_db", {}), path)
    return TestInfo(
        dates=dates,
        procedure=r.text("procedure"),
        operating_mode=r.text("operating_mode"),
        configuration=r.text("configuration"),
        modifications=mods,
        modifications_by_unit=by_unit,
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
            body=a.text("body"),
            certificate=a.text("certificate"),
            scope=a.text("scope"),
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
    r = TableReader(
        {k: v for k, v in table.items() if k in _DUT_KEYS or k == "class"},
        "[dut]",
        path,
        frozenset({*_DUT_KEYS, "class"}),
    )
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
        type=r.text("type"),
        manufacturer=r.text("manufacturer"),
        model=r.text("model"),
        serial=r.text("serial"),
        cal_date=r.date("cal_date"),
        cal_due=r.date("cal_due"),
        certificate=r.text("certificate"),
        range_hz=r.range_hz("range_hz"),
    )
    if item.cal_date and item.cal_due and item.cal_due < item.cal_date:
        raise r.fail("cal_due", f"{item.cal_due} is before cal_date {item.cal_date}")
    return item


def _support(where: str, table: Any, path: Path | None) -> SupportEquipment:
    r = TableReader(table, where, path, _SUPPORT_KEYS)
    return SupportEquipment(
        description=r.text("description"),
        trade_name=r.text("trade_name"),
        model=r.text("model"),
        serial=r.text("serial"),
        fcc_id=r.text("fcc_id"),
    )


def _cable(where: str, table: Any, path: Path | None) -> Cable:
    r = TableReader(table, where, path, _CABLE_KEYS)
    return Cable(
        type=r.text("type"),
        length_m=r.number("length_m", positive=True),
        between=r.text("between"),
        arrangement=r.text("arrangement"),
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
        raise r.fail(
            "shows", f"expected one of {[p.value for p in PhotoRole]}, got {shows!r}"
        ) from None
    return Photo(file=file, role=role, caption=r.text("caption"), units=r.texts("units") or ())


def _compliance(table: Any, path: Path | None, base: Path | None) -> ComplianceInfo:
    r = TableReader(table, "[compliance]", path, _COMPLIANCE_KEYS)
    auth_text = r.text("authorization")
    authorization = None
    if auth_text is not None:
        try:
            authorization = AuthorizationPath(auth_text.lower())
        except ValueError:
            raise r.fail(
                "authorization", f"expected 'sdoc' or 'certification', got {auth_text!r}"
            ) from None
    party = None
    if "responsible_party" in r.table:
        p = TableReader(
            r.table["responsible_party"], "[compliance.responsible_party]", path, _PARTY_KEYS
        )
        party = ResponsibleParty(
            name=p.text("name"),
            address=p.text("address"),
            phone=p.text("phone"),
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
        importer=r.text("importer"),
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
            "[test] support_equipment = 'none' but [[support_equipment]] lists "
            f"{len(support)} item(s)",
            p,
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
    raw = read_regular_file(p, "setup file", SetupFileError)
    try:
        doc = load_toml(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SetupFileError(f"not a valid TOML setup file: {err}", p) from None
    return parse_record(doc, p)
