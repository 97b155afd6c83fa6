"""An R&S receiver scan's ``Step`` is informational: a logarithmic or unreadable one is noted."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture

ESR = "rs/esr_receiver_decimal_comma.DAT"


@pytest.mark.parametrize(
    ("old", "new", "note"),
    [
        (
            "Step;2500,000000;Hz;",
            "Step Mode;LOG;\r\nStep;1,000000;%;",
            "Scan 1: 'Step;1,000000;%' (line 17) is a logarithmic step: the spacing of its "
            "data points is not compared with it",
        ),
        (
            "Step;2500,000000;Hz;",
            "Step Mode;LOG;\r\nStep;2500,000000;Hz;",
            "Scan 1: 'Step;2500,000000;Hz' (line 17) is a logarithmic step: the spacing of its "
            "data points is not compared with it",
        ),
        (
            "Step;2500,000000;Hz;",
            "Step;2500,000000;dec;",
            "Scan 1: 'Step;2500,000000;dec' (line 16) not read (Step: unknown unit 'dec'): the "
            "spacing of its data points is not compared with it",
        ),
    ],
    ids=["percent", "log-mode", "unknown-unit"],
)
def test_a_step_that_is_not_a_linear_frequency_is_noted_not_refused(
    edited_fixture: Callable[..., Path], old: str, new: str, note: str
) -> None:
    cap = load_capture(edited_fixture(ESR, old, new))
    assert cap.traces[0].n_points == 5
    assert note in cap.warnings


def test_a_setting_the_verdict_uses_names_the_files_key(
    edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    """Not rfcheck's own field name (``rbw_hz``)."""
    assert_load_error(
        edited_fixture(ESR, "RBW;9000,000000;Hz;", "RBW;9000,000000;%;"),
        CaptureFormatError,
        re.escape("RBW: unknown unit '%'"),
        17,
    )
