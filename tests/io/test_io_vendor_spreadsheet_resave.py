"""A SignalVu or Agilent ESA export re-saved by a spreadsheet reads as the export, noted.

Excel pads every line with empty fields to the widest row (``[Global Parameters],,``) and
rewrites a date it recognises in its own format (the ESA's line 1 ``02/14/09   09:30:00``
becomes ``2/14/2009 9:30``). The layout is otherwise the instrument's, so the traces are the
same; the note says the file was re-saved. A damaged layout is still refused.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import detected_format_name, load_capture

_TEK = "tektronix/signalvu_spectrum.csv"
_ESA = "agilent/e4402b_two_traces.CSV"


def _padded(text: str, newline: str = "\n") -> str:
    """Return ``text`` as a spreadsheet saves it: every line padded to the widest row."""
    rows = text.splitlines()
    width = max(r.count(",") for r in rows)
    return "".join(r + "," * (width - r.count(",")) + newline for r in rows)


def _same_traces(a: Path, b: Path) -> None:
    ours, theirs = load_capture(a), load_capture(b)
    assert [t.name for t in ours.traces] == [t.name for t in theirs.traces]
    for x, y in zip(ours.traces, theirs.traces, strict=True):
        assert np.array_equal(x.freq_hz, y.freq_hz) and np.array_equal(x.level, y.level)
        assert (x.unit, x.detector, x.mode, x.rbw_hz) == (y.unit, y.detector, y.mode, y.rbw_hz)


def test_a_padded_signalvu_export_reads_as_the_export(
    fixture_file: Callable[[str], Path], tmp_path: Path
) -> None:
    original = fixture_file(_TEK)
    path = tmp_path / "resaved.csv"
    path.write_text(_padded(original.read_text(encoding="utf-8")), encoding="utf-8")
    assert path.read_text(encoding="utf-8").splitlines()[1] == "[Global Parameters],,,,"
    assert detected_format_name(path) == "tektronix"
    _same_traces(path, original)
    (note,) = [w for w in load_capture(path).warnings if "re-save" in w]
    assert note.startswith("line 2 '[Global Parameters]' is padded with empty fields")


def test_a_signalvu_export_with_a_damaged_layout_is_still_refused(
    fixture_file: Callable[[str], Path], tmp_path: Path
) -> None:
    original = fixture_file(_TEK)
    text = _padded(original.read_text(encoding="utf-8")).replace("NumberPoints,5", "NumberPoints,6")
    path = tmp_path / "resaved.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaptureFormatError, match="NumberPoints is 6"):
        load_capture(path)


@pytest.mark.parametrize(
    "saved",
    ["2/14/2009 9:30", "2/14/2009 9:30 AM", "2/14/2009 9:30:00 AM"],
)
def test_an_esa_export_whose_date_a_spreadsheet_rewrote_reads_as_the_export(
    fixture_file: Callable[[str], Path], tmp_path: Path, saved: str
) -> None:
    original = fixture_file(_ESA)
    raw = original.read_bytes().decode("latin-1").replace("\x00", "")
    lines = raw.splitlines()
    lines[0] = lines[0].replace(" 02/14/09   09:30:00", saved)
    text = _padded("\n".join(lines), "\r\n").replace(
        "Num Points:              ,0005", "Num Points:,5"
    )
    path = tmp_path / "resaved.CSV"
    path.write_text(text, encoding="latin-1")
    assert detected_format_name(path) == "agilent-esa"
    _same_traces(path, original)
    cap = load_capture(path)
    assert cap.timestamp == "2009-02-14T09:30:00"
    (note,) = [w for w in cap.warnings if "re-save" in w]
    assert note.startswith(f"line 1: the save time {saved!r} is not written as the instrument")


def test_the_esas_own_first_line_gives_no_note(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file(_ESA))
    assert not any("re-save" in w for w in cap.warnings)


def test_a_first_line_without_a_time_is_still_refused(
    fixture_file: Callable[[str], Path], tmp_path: Path
) -> None:
    original = fixture_file(_ESA)
    raw = original.read_bytes().decode("latin-1")
    path = tmp_path / "bad.CSV"
    path.write_text(raw.replace(" 02/14/09   09:30:00", "2/14/2009"), encoding="latin-1")
    with pytest.raises(CaptureFormatError, match="first line is not"):
        load_capture(path, "agilent-esa")


@pytest.mark.parametrize(
    ("saved", "stamp", "said"),
    [
        ("02/07/2009 09:30", None, "reads as month/day or day/month"),  # 7 Feb or 2 Jul
        ("14/02/2009 09:30", "2009-02-14T09:30:00", "read day/month"),  # a dd/mm locale
        ("03/03/2009 09:30", "2009-03-03T09:30:00", ""),  # the same either way
        ("2/14/2009 13:30 PM", None, "is not a date"),
        ("02/07/2009 09:30:00", None, "reads as month/day or day/month"),  # seconds kept
        ("2/7/09 9:30:00", None, "reads as month/day or day/month"),  # no leading zeros
        ("14/02/2009 09:30:00", "2009-02-14T09:30:00", "read day/month"),
        ("0/5/2009 09:30", None, "is not a date"),
    ],
)
def test_a_resaved_esa_date_whose_order_is_unknown_is_not_used(
    fixture_file: Callable[[str], Path], tmp_path: Path, saved: str, stamp: str | None, said: str
) -> None:
    """A locale's day/month re-save read month/day put a record's date a month off, unsaid."""
    original = fixture_file(_ESA)
    raw = original.read_bytes().decode("latin-1").replace("\x00", "")
    path = tmp_path / "resaved.CSV"
    path.write_text(raw.replace(" 02/14/09   09:30:00", saved), encoding="latin-1")
    cap = load_capture(path)
    assert cap.timestamp == stamp
    notes = [w for w in cap.warnings if w.startswith(f"line 1: the re-saved date {saved!r}")]
    assert [said in n for n in notes] == ([True] if said else [])
