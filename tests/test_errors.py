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


def test_located_puts_a_record_line_after_its_file_as_the_error_tree_does() -> None:
    """``line N: message`` of a record under its file reads ``file:N: message`` (one format)."""
    from rfcheck.errors import located

    err = CaptureFormatError("DATA: not a number", "in/a.csv", 87)
    assert located("in/a.csv", "line 87: DATA: not a number") == str(err)
    assert located("in/a.csv", "file is empty") == "in/a.csv: file is empty"
    assert located("in/a.csv", "lines 3-4: gap") == "in/a.csv: lines 3-4: gap"
    assert located("in/a.csv", "x line 2: y") == "in/a.csv: x line 2: y"
