"""The 2.938(b) checklist and the "record incomplete" line."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from rfcheck.record import (
    DataShown,
    build_checklist,
    incomplete_line,
    load_record,
    missing_items,
    parse_record,
    record_dict,
    record_state,
    report_id,
)
from rfcheck.record.checklist import ChecklistItem, ItemStatus


def _drop_responsible_party(text: str) -> str:
    start = text.index("[compliance.responsible_party]")
    end = text.index("[entry]")
    return text[:start] + text[end:]


def test_documented_example_is_a_complete_record(setup_dir: Path) -> None:
    checklist = build_checklist(load_record(setup_dir / "setup.toml"))
    assert all(item.status is ItemStatus.PRESENT for item in checklist)
    assert incomplete_line(checklist) is None


def test_missing_responsible_party_is_listed_as_incomplete(
    make_setup: Callable[[Callable[[str], str]], Path],
) -> None:
    record = load_record(make_setup(_drop_responsible_party))
    checklist = build_checklist(record)
    assert incomplete_line(checklist) == (
        "record incomplete: responsible party name, responsible party address, "
        "responsible party phone or internet contact"
    )
    rp = next(i for i in checklist if i.clause == "2.1077(a)(3)")
    assert rp.status is ItemStatus.MISSING


def test_empty_setup_lists_every_item_once() -> None:
    missing = missing_items(build_checklist(parse_record({}), has_measurements=False))
    assert missing == (
        "test dates",
        "lab name",
        "measurement procedure",
        "equipment list",
        "EUT description",
        "support equipment (or 'none')",
        "EUT operating mode",
        "EUT configuration",
        "EUT trade name or manufacturer",
        "EUT model",
        "EUT serial",
        "cable list",
        "photo of the highest conducted emission setup",
        "photo of the highest radiated emission setup",
        "modifications (or 'none')",
        "measurement data",
        "tester name",
        "responsible party name",
        "lab ownership statement",
        "product name or trade name",
        "model",
        "responsible party address",
        "responsible party phone or internet contact",
        "label text",
        "label photo",
        "device class (A or B)",
    )


def test_an_unstated_procedure_is_missing_not_a_default(
    make_setup: Callable[[Callable[[str], str]], Path],
) -> None:
    record = load_record(make_setup(lambda t: re.sub(r"(?m)^procedure = .*\n", "", t)))
    checklist = build_checklist(record)
    item = next(i for i in checklist if i.clause == "2.938(b)(3)")
    assert item.status is ItemStatus.MISSING
    assert item.missing == ("measurement procedure",)
    assert incomplete_line(checklist) == "record incomplete: measurement procedure"


def test_certification_needs_an_fcc_id() -> None:
    record = parse_record({"compliance": {"authorization": "certification"}})
    item = next(i for i in build_checklist(record) if i.clause == "2.938(b)(5)")
    assert "FCC ID" in item.missing


def test_entry_fields_are_checked_only_when_entry_is_given() -> None:
    without = build_checklist(parse_record({}))
    assert next(i for i in without if i.section == "entry").status is ItemStatus.NOT_APPLICABLE
    with_entry = build_checklist(parse_record({"entry": {"entry_number": "X-1"}}))
    assert next(i for i in with_entry if i.section == "entry").missing == (
        "port of entry",
        "import condition",
        "quantity",
        "shipment models",
        "shipment serials",
        "tested serials",
    )


def test_record_json_export_and_embedded_files(setup_dir: Path) -> None:
    record = load_record(setup_dir / "setup.toml")
    data = record_dict(record, build_checklist(record), report_id=report_id([], {}, revision=1))
    json.dumps(data)  # JSON-able
    assert data["record"]["test"]["dates"] == ["2025-11-12", "2025-11-13"]
    assert data["record"]["lab"]["fcc_registration"] == "000000"
    assert data["record"]["entry"]["serials"] == ["HC3-2511-00001..HC3-2511-00240"]
    assert data["record_incomplete"] is None and data["report_id"]["id"].endswith("-r1")
    assert "source" not in data["record"]
    assert [(role, p.name) for role, p in record.input_files()] == [
        ("photo", "conducted_setup.png"),
        ("photo", "radiated_setup.png"),
        ("label-photo", "label.png"),
    ]


def _data_item(checklist: tuple[ChecklistItem, ...]) -> ChecklistItem:
    return next(i for i in checklist if i.title == "Data showing compliance")


def test_passing_data_are_present_and_the_record_complete(setup_dir: Path) -> None:
    checklist = build_checklist(load_record(setup_dir / "setup.toml"), data=DataShown("PASS"))
    item = _data_item(checklist)
    assert (item.status, item.note) == (ItemStatus.PRESENT, "")
    assert record_state(checklist) == "complete: every item present"


@pytest.mark.parametrize(
    ("verdict", "status", "shows"),
    [
        ("FAIL", ItemStatus.SHOWS_FAIL, "the data show a FAIL, not compliance"),
        (
            "INCOMPLETE",
            ItemStatus.INCOMPLETE,
            "the data do not cover the test plan, so they do not show compliance",
        ),
        (
            "INCONCLUSIVE",
            ItemStatus.INCONCLUSIVE,
            "the data are inconclusive, so they do not show compliance",
        ),
        (
            "ERROR",
            ItemStatus.NOT_JUDGED,
            "some captures could not be judged, so the data do not show compliance",
        ),
    ],
)
def test_data_that_do_not_show_compliance_are_never_just_present(
    setup_dir: Path, verdict: str, status: ItemStatus, shows: str
) -> None:
    """A FAIL, INCOMPLETE, INCONCLUSIVE or ERROR unit's data item says what the data show.

    Every record item is still present (the record is complete), but the cover's record line
    does not read as all good.
    """
    record = load_record(setup_dir / "setup.toml")
    checklist = build_checklist(record, data=DataShown(verdict, "L2 not measured (no capture)"))
    item = _data_item(checklist)
    assert item.status is status and item.missing == ()
    assert item.note == f"{shows} \N{EM DASH} L2 not measured (no capture)"
    assert incomplete_line(checklist) is None
    assert record_state(checklist) == f"every item present, but {shows}"
    exported = next(
        i for i in record_dict(record, checklist)["checklist"] if i["item"] == item.title
    )
    assert (exported["status"], exported["note"]) == (status.value, item.note)


def test_an_incomplete_record_of_a_failing_unit_says_both(
    make_setup: Callable[[Callable[[str], str]], Path],
) -> None:
    record = load_record(make_setup(_drop_responsible_party))
    checklist = build_checklist(record, data=DataShown("FAIL"))
    assert _data_item(checklist).note == "the data show a FAIL, not compliance"
    assert record_state(checklist) == (
        "incomplete: see the line above and the checklist; the data show a FAIL, not compliance"
    )


def test_absent_data_are_missing_whatever_the_verdict() -> None:
    item = _data_item(
        build_checklist(parse_record({}), has_measurements=False, data=DataShown("FAIL"))
    )
    assert item.status is ItemStatus.MISSING and item.missing == ("measurement data",)


_CLAIMS = (
    "Label text and label photo",
    "Manual statement for the device class",
    "Entry cover sheet",
)


@pytest.mark.parametrize("verdict", ["FAIL", "INCOMPLETE", "INCONCLUSIVE", "ERROR"])
def test_declarations_of_compliance_are_unsupported_unless_the_data_pass(
    setup_dir: Path, verdict: str
) -> None:
    """The 15.19(a)(3) label, 15.105 statement and 2.1204(a) entry are not "present" then."""
    record = load_record(setup_dir / "setup.toml")
    checklist = build_checklist(record, data=DataShown(verdict))
    caveat = (
        f"Measurement verdict {verdict}: the measured data do not support this declaration "
        "of compliance."
    )
    claims = {i.title: (i.status, i.note) for i in checklist if i.title in _CLAIMS}
    assert claims == dict.fromkeys(_CLAIMS, (ItemStatus.UNSUPPORTED, caveat))
    others = [
        i for i in checklist if i.title not in _CLAIMS and i.title != _data_item(checklist).title
    ]
    assert all(i.status is ItemStatus.PRESENT for i in others)
    assert incomplete_line(checklist) is None  # the declarations are in the record
    exported = {
        i["item"]: (i["status"], i["note"])
        for i in record_dict(record, checklist)["checklist"]
        if i["item"] in _CLAIMS
    }
    assert exported == dict.fromkeys(_CLAIMS, ("unsupported", caveat))


def test_declarations_of_compliance_are_present_for_a_pass(setup_dir: Path) -> None:
    checklist = build_checklist(load_record(setup_dir / "setup.toml"), data=DataShown("PASS"))
    assert {i.status for i in checklist if i.title in _CLAIMS} == {ItemStatus.PRESENT}


@pytest.mark.parametrize(("condition", "claims"), [(1, True), (2, True), (3, False), (5, False)])
def test_only_an_import_condition_declaring_compliance_gets_the_caveat(
    condition: int, claims: bool
) -> None:
    """2.1204(a)(3) testing, (4) trade shows, (5) export declare no compliance: no caveat."""
    record = parse_record({"entry": {"import_condition": condition}})
    checklist = build_checklist(record, data=DataShown("FAIL"))
    (entry,) = [i for i in checklist if i.title == "Entry cover sheet"]
    assert (entry.note != "") is claims
    assert (entry.shortfall is ItemStatus.UNSUPPORTED) is claims


def test_equipment_and_support_values_printed_missing_are_listed() -> None:
    record = parse_record(
        {
            "equipment": [{"type": "LISN", "model": "LN-50"}, {"serial": "9"}],
            "support_equipment": [{"model": "X1"}],
        }
    )
    missing = missing_items(build_checklist(record))
    assert "equipment #1 serial" in missing
    assert {"equipment #2 type", "equipment #2 model"} <= set(missing)
    assert "equipment #2 serial" not in missing
    assert "support equipment #1 description" in missing


def test_a_findings_gap_is_missing_under_its_item_and_the_record_is_not_complete(
    setup_dir: Path,
) -> None:
    """An unlisted instrument is a (b)(3) gap, a capture of another device a (b)(5) gap."""
    from rfcheck.dut_identity import DutIdentity
    from rfcheck.record.findings import Finding, FindingKind
    from rfcheck.record.identity import other_device_finding

    record = load_record(setup_dir / "setup.toml")
    findings = (
        Finding(FindingKind.UNLISTED_INSTRUMENT, "Acme X s/n 1", "...", gap="entry for Acme X"),
        Finding(FindingKind.CALIBRATION_OVERDUE, "LISN", "due before the test"),  # no gap
        other_device_finding("u_L1.csv", DutIdentity("HC-9"), DutIdentity("HC-3", "S-1")),
    )
    checklist = build_checklist(record, data=DataShown("PASS"), findings=findings)
    by_clause = {i.clause: i for i in checklist}
    assert by_clause["2.938(b)(3)"].status is ItemStatus.MISSING
    assert by_clause["2.938(b)(3)"].missing == ("entry for Acme X",)
    assert by_clause["2.938(b)(5)"].missing == (
        "u_L1.csv states another device (model HC-9), not this unit (model HC-3, serial S-1)",
    )
    assert record_state(checklist) == "incomplete: see the line above and the checklist"
    assert build_checklist(record, data=DataShown("PASS"), findings=findings[1:2]) == (
        build_checklist(record, data=DataShown("PASS"))
    )
