"""The record follows the stated authorization, and checks where an SDoC's party is.

F3: a certified device's record (``authorization = "certification"``, an FCC ID) printed the
SDoC's "47 CFR 2.1077 Compliance Information" block and called its party the 2.1077(a)(3)
responsible party; for certification the responsible party is the grantee (47 CFR 2.909(a)),
and 2.1077 is a Supplier's Declaration of Conformity's. F4: an SDoC responsible party in
Shenzhen read "2.1077(a)(3) Responsible party in the US: present".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rfcheck.record import build_checklist, compliance_information, cross_check, load_record
from rfcheck.record.checklist import ItemStatus, checklist_title, incomplete_line
from rfcheck.record.findings import FindingKind
from rfcheck.record.rules import GRANTEE_LABEL, PARTY_LABEL, judged_rows
from rfcheck.record.us_address import reads_as_us_address

SDOC = 'authorization = "sdoc"                 # sdoc | certification (then fcc_id is required)'
CERTIFIED = 'authorization = "certification"\nfcc_id = "2ABCD-HC3"'
US_ADDRESS = 'address = "100 Example Ave, Austin, TX 78701, USA"'


def _certified(text: str) -> str:
    assert SDOC in text
    return text.replace(SDOC, CERTIFIED)


def _abroad(address: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert US_ADDRESS in text
        return text.replace(US_ADDRESS, f'address = "{address}"')

    return edit


def test_a_certified_device_has_its_grantee_not_the_2_1077_block(
    make_setup: Callable[[Callable[[str], str]], Path],
) -> None:
    record = load_record(make_setup(_certified))
    info = compliance_information(record)
    assert "2.1077" not in info.title and "2.1077" not in info.heading
    assert info.heading == "Authorization: certification (47 CFR 2.907, 2.909(a))"
    assert [(x.label, x.clause) for x in info.lines if "Grantee" in x.label][:2] == [
        ("Grantee (responsible party)", "2.909(a)"),
        ("Grantee address", "2.909(a)"),
    ]
    assert all(x.clause != "2.1077(a)(3)" for x in info.lines)
    assert ("FCC ID", "2ABCD-HC3") in [(x.label, x.value) for x in info.lines]
    checklist = build_checklist(record)
    by_clause = {i.clause: i for i in checklist}
    assert "2.1077(a)(3)" not in by_clause
    assert by_clause["2.909(a)"].status is ItemStatus.PRESENT
    assert by_clause["2.1077(a)(1)"].status is ItemStatus.NOT_APPLICABLE
    assert checklist_title(checklist) == "Record checklist (47 CFR 2.938(b), 2.909(a), 2.906(a)(1))"
    rows = dict(judged_rows(record, ["fcc-15.109-b"]))
    assert GRANTEE_LABEL in rows and PARTY_LABEL not in rows


def test_an_sdoc_keeps_the_2_1077_block_and_items(
    make_setup: Callable[[Callable[[str], str]], Path],
) -> None:
    record = load_record(make_setup(lambda t: t))
    info = compliance_information(record)
    assert "47 CFR 2.1077 Compliance Information" in info.title
    checklist = build_checklist(record)
    clauses = [i.clause for i in checklist]
    assert "2.1077(a)(1)" in clauses and "2.1077(a)(3)" in clauses and "2.909(a)" not in clauses
    assert PARTY_LABEL in dict(judged_rows(record, []))


def test_a_certified_device_without_a_grantee_lists_the_grantee_missing(
    make_setup: Callable[[Callable[[str], str]], Path],
) -> None:
    def edit(text: str) -> str:
        start = text.index("[compliance.responsible_party]")
        return _certified(text[:start] + text[text.index("[entry]") :])

    checklist = build_checklist(load_record(make_setup(edit)))
    assert incomplete_line(checklist) == "record incomplete: grantee name, grantee address"


@pytest.mark.parametrize(
    "address",
    [
        "88 Keji Rd, Nanshan, Shenzhen 518057, China",
        "100 Example Ave, Austin",  # no state and ZIP code, no country
        "1 King St W, Toronto, ON M5H 1A1, Canada",
    ],
)
def test_an_sdoc_party_not_shown_in_the_us_is_a_finding_and_a_gap(
    make_setup: Callable[[Callable[[str], str]], Path], address: str
) -> None:
    record = load_record(make_setup(_abroad(address)))
    findings = cross_check(record)
    found = [f for f in findings if f.kind is FindingKind.RESPONSIBLE_PARTY_NOT_IN_US]
    assert len(found) == 1 and address in found[0].message
    item = next(i for i in build_checklist(record, findings=findings) if i.clause == "2.1077(a)(3)")
    assert item.status is ItemStatus.MISSING
    assert item.missing == ("responsible party address in the United States",)


def test_a_certified_grantee_abroad_is_no_finding(
    make_setup: Callable[[Callable[[str], str]], Path],
) -> None:
    """2.909(a) places no grantee in the US (only an SDoC's party, 2.909(b))."""
    edit = _abroad("88 Keji Rd, Nanshan, Shenzhen 518057, China")
    record = load_record(make_setup(lambda t: _certified(edit(t))))
    assert not [f for f in cross_check(record) if f.kind is FindingKind.RESPONSIBLE_PARTY_NOT_IN_US]


@pytest.mark.parametrize(
    ("address", "us"),
    [
        ("100 Example Ave, Austin, TX 78701, USA", True),
        ("100 Example Ave, Austin, TX 78701", True),
        ("500 Harbor Blvd, Long Beach, CA 90802-1234", True),
        ("PO Box 1, San Juan PR 00901", True),
        ("1 Main St, Springfield, United States", True),
        ("1 Main St, Springfield, U.S.A.", True),
        ("Busan 48058, Korea", False),  # "usa" inside a word is not the country
        ("10115 Berlin, Germany", False),
        ("Shenzhen, GD 518057, China", False),  # 6 digits, GD no US code
        ("Austin, tx 78701", False),  # the code as USPS writes it: upper case
        ("100 Example Ave, Austin, TX 78701, US", True),
        ("100 Example Ave, Austin, TX 78701, U.S.", True),
        ("1 Main St, Springfield, United States of America", True),
        # the last part names where the address is, whatever reads as a state and ZIP before it
        ("100 Example Ave, Austin, TX 78701, Mexico", False),
        ("100 Example Ave; Austin TX 78701\nCanada.", False),
        ("Attn: US agent, Shenzhen, China", False),
    ],
)
def test_what_reads_as_a_us_address(address: str, us: bool) -> None:
    assert reads_as_us_address(address) is us


def test_the_entry_table_takes_an_importer(
    make_setup: Callable[[Callable[[str], str]], Path],
) -> None:
    """``importer`` was once an unknown key of [entry] (exit 3)."""

    def edit(text: str) -> str:
        assert 'importer = "Hashcore US Inc. (fictional)"' in text  # the documented example
        return text.replace('(fictional)"  # the importer', '<b>IOR</b>"  # the importer')

    record = load_record(make_setup(edit))
    assert record.entry is not None and record.entry.importer == "Hashcore US Inc. <b>IOR</b>"
