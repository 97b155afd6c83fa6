"""The date of an R&S ASCII export: read when in the manuals' form, else kept and noted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rfcheck.io import load_capture

FIXTURE = "rs/fsv_analyzer_single.CSV"


@pytest.mark.parametrize(
    ("date", "stamp"),
    [("21.Jun 23", "2023-06-21"), ("01.Oct 2006", "2006-10-01"), ("07.12.2026", "2026-12-07")],
)
def test_a_date_in_the_manuals_form_is_read_without_a_note(
    edited_fixture: Callable[..., Path], date: str, stamp: str
) -> None:
    cap = load_capture(edited_fixture(FIXTURE, "Date;21.Jun 23;", f"Date;{date};"))
    assert cap.timestamp == stamp
    assert not [w for w in cap.warnings if "date" in w]


@pytest.mark.parametrize("date", ["07.Dez 2026", "15.Okt 25", "3 mars 2024"])
def test_a_date_rfcheck_cannot_read_is_kept_and_said_not_read(
    edited_fixture: Callable[..., Path], date: str
) -> None:
    """A month in another language: kept as written, and the notes say it was not read."""
    cap = load_capture(edited_fixture(FIXTURE, "Date;21.Jun 23;", f"Date;{date};"))
    assert cap.timestamp == date
    assert (
        f"the date {date!r} is not in a form rfcheck reads (01.Oct 2006, 01.Oct 06, "
        "01.10.2006, 2006-10-01; English month names): kept as written, not read as a date"
    ) in cap.warnings
