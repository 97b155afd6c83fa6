"""Parsing the record tables of the setup: the documented example, defaults, and errors."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from rfcheck.errors import SetupFileError
from rfcheck.record import load_record, parse_record
from rfcheck.record.model import AuthorizationPath, PhotoRole


def test_documented_example_parses_every_section(setup_dir: Path) -> None:
    rec = load_record(setup_dir / "setup.toml")
    assert rec.test.dates == (dt.date(2025, 11, 12), dt.date(2025, 11, 13))
    assert rec.test.modifications == ()
    assert rec.test.revision == 1
    assert rec.test.procedure == (
        "ANSI C63.4-2014 (47 CFR 15.31(a)(4)), without its clauses "
        "4.5.3, 4.6, 6.2.13, 8.2.2, 9 and 13"
    )
    assert [(u.port, u.u_lab_db) for u in rec.test.uncertainty] == [
        ("L1", 3.4),
        ("L2", 3.4),
        ("H", 5.2),
        ("V", 5.2),
    ]
    assert rec.lab.accreditation is not None
    assert rec.lab.accreditation.describe() == "none: pre-compliance"
    assert [e.serial for e in rec.equipment] == ["101234", "L-77"]
    assert rec.equipment[0].cal_due == dt.date(2026, 3, 1)
    assert rec.support_equipment[0].fcc_id == "ABC-NB14"
    assert rec.cables[0].length_m == 1.8
    assert [p.role for p in rec.photos] == [PhotoRole.HIGHEST_CONDUCTED, PhotoRole.HIGHEST_RADIATED]
    assert rec.photos[0].file == setup_dir / "photos" / "conducted_setup.png"
    assert rec.compliance.authorization is AuthorizationPath.SDOC
    assert rec.compliance.responsible_party is not None
    assert rec.compliance.responsible_party.phone == "+1 512 555 0100"
    assert rec.device_class == "B"
    assert rec.entry is not None and rec.entry.import_condition == 1


def test_empty_setup_is_all_missing_even_the_procedure() -> None:
    rec = parse_record({})
    assert rec.test.procedure is None
    assert rec.test.dates is None and rec.test.modifications is None and rec.test.revision is None
    assert rec.lab.name is None and rec.lab.accreditation is None
    assert rec.compliance.responsible_party is None
    assert rec.equipment == () and rec.entry is None and rec.device_class is None


def test_existing_setup_keys_still_accepted() -> None:
    doc = tomllib.loads(
        '[test]\ndate = "2025-11-12"\nstandard = "FCC Part 15B"\nclass = "b"\n'
        'report_title = "x"\n[lab]\nname = "L"\nsite = "s"\naccreditation = "A2LA"\n'
        '[dut]\nmodel = "HC-3"\nhighest_internal_frequency_hz = 700e6\n'
    )
    rec = parse_record(doc)
    assert rec.test.dates == (dt.date(2025, 11, 12),)
    assert rec.test.device_class == "B"
    assert rec.lab.accreditation is not None and rec.lab.accreditation.statement == "A2LA"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace('name = "Example EMC', 'nmae = "Example EMC'),
            "[lab]: unknown key(s) ['nmae'] (did you mean 'name'?) "
            "(known: ['accreditation', 'address', 'fcc_designation', "
            "'fcc_registration', 'name', 'operator', 'ownership_statement', 'site'])",
        ),
        (
            lambda t: t.replace("cal_due = 2026-01-15", 'cal_due = "soon"'),
            "[[equipment]] #2 cal_due: expected a date (YYYY-MM-DD), got 'soon'",
        ),
        (
            lambda t: t.replace("length_m = 1.8", "length_m = -1"),
            "[[cable]] #1 length_m: must be > 0, got -1",
        ),
        (
            lambda t: t.replace('shows = "highest-radiated"', 'shows = "ceiling"'),
            "[[photo]] #2 shows: expected one of "
            "['highest-conducted', 'highest-radiated', 'label', "
            "'setup'], got 'ceiling'",
        ),
        (
            lambda t: t.replace('authorization = "sdoc"', 'authorization = "dofc"'),
            "[compliance] authorization: expected 'sdoc' or 'certification', got 'dofc'",
        ),
        (
            lambda t: t.replace("import_condition = 1", "import_condition = 0"),
            "[entry] import_condition: must be >= 1, got 0",
        ),
        (
            lambda t: t.replace("cal_due = 2026-03-01", "cal_due = 2024-03-01"),
            "[[equipment]] #1 cal_due: 2024-03-01 is before cal_date 2025-03-01",
        ),
        (
            lambda t: t.replace('# support_equipment = "none"', 'support_equipment = "none"'),
            "[test] support_equipment = 'none' but [[support_equipment]] lists 1 item(s)",
        ),
    ],
)
def test_malformed_record_tables_name_file_and_key(
    make_setup: Callable[[Callable[[str], str]], Path], edit: Callable[[str], str], message: str
) -> None:
    path = make_setup(edit)
    with pytest.raises(SetupFileError) as err:
        load_record(path)
    assert str(err.value) == f"{path}: {message}"


def test_modifications_list_and_not_stated_are_told_apart() -> None:
    listed = parse_record({"test": {"modifications": ["ferrite on PSU output"]}})
    assert listed.test.modifications == ("ferrite on PSU output",)
    assert parse_record({"test": {}}).test.modifications is None


def test_modifications_per_unit_are_a_table_of_texts() -> None:
    rec = parse_record({"test": {"modifications": {"rig": "none", "rig-2": ["ferrite"]}}})
    assert rec.test.modifications is None  # until the dossier picks a unit
    assert rec.test.modifications_by_unit == (("rig", ()), ("rig-2", ("ferrite",)))
    with pytest.raises(SetupFileError) as err:
        parse_record({"test": {"modifications": {"rig": 3}}}, "s.toml")
    assert str(err.value) == (
        "s.toml: [test] modifications rig: expected a string or a list of strings, got 3"
    )


def test_uncertainty_must_be_positive_numbers() -> None:
    with pytest.raises(SetupFileError) as err:
        parse_record({"test": {"u_lab_db": {"L1": 0}}}, "s.toml")
    assert str(err.value) == "s.toml: [test] u_lab_db L1: must be > 0, got 0"
    with pytest.raises(SetupFileError) as err:
        parse_record({"test": {"u_lab_db": -3.4}}, "s.toml")
    assert str(err.value) == "s.toml: [test] u_lab_db: must be > 0, got -3.4"
    with pytest.raises(SetupFileError) as err:
        parse_record({"test": {"u_lab_db": "3.4"}}, "s.toml")
    assert str(err.value) == "s.toml: [test] u_lab_db: expected a finite number, got '3.4'"


def test_one_uncertainty_number_is_every_ports() -> None:
    # README, docs/explain.md and the setup file's own docstring: "one number or one per port"
    rec = parse_record({"test": {"u_lab_db": 4.9}}, "s.toml")
    assert [(u.port, u.port_text, u.u_lab_db) for u in rec.test.uncertainty] == [
        ("", "every port", 4.9)
    ]


@pytest.mark.parametrize(
    ("compliance", "text"),
    [
        ('authorization = "sdoc"', "Supplier's Declaration of Conformity (47 CFR 2.906)"),
        (
            'authorization = "certification"\nfcc_id = "2A-X1"',
            "certification, FCC ID 2A-X1 (47 CFR 2.907)",
        ),
        ('authorization = "certification"', "certification, FCC ID not stated (47 CFR 2.907)"),
        ("", "not stated in the setup ([compliance] authorization)"),
    ],
)
def test_the_cover_names_the_authorization_with_its_clause(compliance: str, text: str) -> None:
    """Page 1 of a record did not say how the device is authorized."""
    from rfcheck.record.rules import AUTHORIZATION_LABEL, judged_rows

    rec = parse_record(tomllib.loads(f"[compliance]\n{compliance}\n"), Path("setup.toml"))
    assert (AUTHORIZATION_LABEL, text) in judged_rows(rec, [])
