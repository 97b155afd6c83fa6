"""The verdict banner the record's PDF and the dossier's HTML share."""

from __future__ import annotations

import pytest

from rfcheck.record import ChecklistItem, build_checklist, parse_record, record_banner
from rfcheck.record.banner import assumption_labels

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


@pytest.mark.parametrize(
    ("verdict", "checklist", "text"),
    [
        ("PASS", (), "PASS (ASSUMED DWELL)"),
        ("PASS", _INCOMPLETE, "PASS (measurements) (ASSUMED DWELL) · RECORD INCOMPLETE"),
        ("INCONCLUSIVE", (), "INCONCLUSIVE (ASSUMED DWELL)"),
        ("FAIL", _INCOMPLETE, "FAIL (ASSUMED DWELL) · RECORD INCOMPLETE"),
    ],
)
def test_a_verdict_resting_on_an_assumption_names_it_after_the_verdict(
    verdict: str, checklist: tuple[ChecklistItem, ...], text: str
) -> None:
    """As a check report's banner does: ``OVERALL RESULT: PASS (ASSUMED DWELL)``."""
    banner = record_banner(verdict, checklist, ("ASSUMED DWELL",))
    assert banner.text == text
    assert banner.qualified_verdict == f"{verdict} (ASSUMED DWELL)"


def test_an_assumed_dwell_keeps_the_colour_of_the_verdict() -> None:
    """Green, as the check report's banner: only an incomplete record makes a PASS amber."""
    assert not record_banner("PASS", (), ("ASSUMED DWELL",)).qualified_pass
    assert record_banner("PASS", _INCOMPLETE, ("ASSUMED DWELL",)).qualified_pass


def test_the_labels_are_the_words_before_each_assumption_s_colon() -> None:
    lines = (
        "ASSUMED DWELL: quasi-peak or CISPR-average readings with no stated dwell are taken as "
        "settled (which needs ≥ 1 s per frequency): L1 QP, AV",
        "ASSUMED SCALE: levels computed at the default 1 V scale of a recording that states "
        "none: L1",
    )
    assert assumption_labels(lines) == ("ASSUMED DWELL", "ASSUMED SCALE")
    banner = record_banner("PASS", (), assumption_labels(lines))
    assert banner.text == "PASS (ASSUMED DWELL) (ASSUMED SCALE)"
    assert record_banner(None, (), ("ASSUMED DWELL",)).text == "NOT JUDGED"
