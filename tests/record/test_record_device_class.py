"""The device class a record states, against the class whose limits were judged."""

from __future__ import annotations

from rfcheck.record import parse_record
from rfcheck.record.device_class import class_findings, stated_classes


def test_the_class_is_read_from_the_title_the_standard_and_the_class_keys() -> None:
    record = parse_record(
        {
            "test": {"report_title": "HC-3 class-b record", "standard": "Part 15 ClassA / Class B"},
            "compliance": {"class": "b"},
        }
    )
    assert [c for _, c in stated_classes(record)] == ["B", "A", "B", "B"]
    assert stated_classes(parse_record({"test": {"report_title": "Classic B-side"}})) == []


def test_only_the_other_class_is_a_finding_and_only_a_class_b_declaration_a_gap() -> None:
    b_title = parse_record({"test": {"report_title": "Class B", "class": "B"}})
    assert class_findings(b_title, "B", "fcc-15.107-b") == ()
    found = class_findings(b_title, "A", "fcc-15.107-a")
    assert [(f.subject, f.gap) for f in found] == [
        ("[test] report_title 'Class B'", ""),
        ("[test] class", "Class B data ([test] class B; only the Class A limits were judged)"),
    ]
    # Class A declared on Class B data: the stricter limits were met, a finding only
    a_record = parse_record({"compliance": {"class": "A"}})
    assert [f.gap for f in class_findings(a_record, "B", "fcc-15.107-b")] == [""]
