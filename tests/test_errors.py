"""Test rfcheck.errors: one picklable exception tree."""

from __future__ import annotations

import pickle

from rfcheck.errors import CaptureFormatError, UnitError


def test_naming_another_file_keeps_class_message_and_line() -> None:
    err = CaptureFormatError("not a number", "/client/cwd/in/a.csv", 7)
    shown = err.naming("in/a.csv")
    assert type(shown) is CaptureFormatError and str(shown) == "in/a.csv:7: not a number"
    assert str(err) == "/client/cwd/in/a.csv:7: not a number"  # the original is unchanged
    back = pickle.loads(pickle.dumps(shown))  # crosses process boundaries (batch workers)
    assert (type(back), back.path, back.line, back.message) == (
        CaptureFormatError,
        "in/a.csv",
        7,
        "not a number",
    )
    assert str(UnitError("no unit", "a").naming(None)) == "no unit"
