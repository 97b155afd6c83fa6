"""The verdict banner the record's PDF and the dossier's HTML share."""

from __future__ import annotations

import pytest

from rfcheck.record import build_checklist, parse_record, record_banner

#: A record that lacks nearly every item (no [test], [lab], ... tables).
_INCOMPLETE = build_checklist(parse_record({}))


@pytest.mark.parametrize(
    ("verdict", "text", "qualified"),
    [
        ("PASS", "PASS (measurements) · RECORD INCOMPLETE", True),
        ("FAIL", "FAIL · RECORD INCOMPLETE", False),
        ("INCOMPLETE", "INCOMPLETE · RECORD INCOMPLETE", False),
        ("inconclusive", "INCONCLUSIVE · RECORD INCOMPLETE", False),
        (None, "NOT JUDGED · RECORD INCOMPLETE", False),
    ],
)
def test_an_incomplete_record_qualifies_every_verdict(
    verdict: str | None, text: str, qualified: bool
) -> None:
    banner = record_banner(verdict, _INCOMPLETE)
    assert (banner.text, banner.qualified_pass, banner.record_complete) == (text, qualified, False)


@pytest.mark.parametrize("verdict", ["PASS", "FAIL", "INCOMPLETE", "ERROR"])
def test_a_complete_record_shows_the_verdict_alone(verdict: str) -> None:
    banner = record_banner(verdict, ())  # no checklist item missing
    assert (banner.text, banner.qualified_pass, banner.record_complete) == (verdict, False, True)
