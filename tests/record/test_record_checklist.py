"""The 2.938(b) checklist and the "record incomplete" line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rfcheck.record import (
    build_checklist,
    incomplete_line,
    load_record,
    missing_items,
    parse_record,
)
from rfcheck.record.checklist import ItemStatus


def _drop_responsible_party(text: str) -> str:
    start = text.index("[compliance.responsible_party]")
    end = text.index("[entry]")
    return text[:start] + text[end:]


def test_documented_example_is_a_complete_record(setup_dir: Path) -> None:
    checklist = build_checklist(load_record(setup_dir / "setup.toml"))
    assert all(item.status is ItemStatus.PRESENT for item in checklist)
    assert incomplete_line(checklist) is None


def test_missing_responsible_party_is_listed_as_incomplete(
    make_setup: Callable[[Callable[[str], str]], Path]
) -> None:
    record = load_record(make_setup(_drop_responsible_party))
    checklist = build_checklist(record)
    assert incomplete_line(checklist) == (
        "record incomplete: responsible party name, responsible party address, "
        "responsible party phone or internet contact")
    rp = next(i for i in checklist if i.clause == "2.1077(a)(3)")
    assert rp.status is ItemStatus.MISSING


def test_empty_setup_lists_every_item_once() -> None:
    missing = missing_items(build_checklist(parse_record({}), has_measurements=False))
    assert missing == (
        "test dates", "lab name", "equipment list", "EUT description",
        "support equipment (or 'none')", "EUT operating mode", "EUT trade name or manufacturer",
        "EUT model", "EUT serial", "cable list", "photo of the highest conducted emission setup",
        "photo of the highest radiated emission setup", "modifications (or 'none')",
        "measurement data", "tester name", "responsible party name", "lab ownership statement",
        "product name or trade name", "model", "responsible party address",
        "responsible party phone or internet contact", "label text", "label photo",
        "device class (A or B)",
    )


def test_certification_needs_an_fcc_id() -> None:
    record = parse_record({"compliance": {"authorization": "certification"}})
    item = next(i for i in build_checklist(record) if i.clause == "2.938(b)(5)")
    assert "FCC ID" in item.missing


def test_entry_fields_are_checked_only_when_entry_is_given() -> None:
    without = build_checklist(parse_record({}))
    assert next(i for i in without if i.section == "entry").missing == ()
    with_entry = build_checklist(parse_record({"entry": {"entry_number": "X-1"}}))
    assert next(i for i in with_entry if i.section == "entry").missing == (
        "port of entry", "import condition", "quantity", "shipment models", "shipment serials",
        "tested serials")
