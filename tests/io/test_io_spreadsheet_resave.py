"""A capture re-saved by a spreadsheet reads as the file it was before.

Excel pads every row to the widest one with separators (``# rbw_hz: 9000,,``), quotes a
comment holding a separator, turns a blank line into ``,,``, may write a ``sep=;`` first
line, and keeps empty columns a user added; an instrument's export (Keysight, R&S) comes
back with every line padded the same way. None of it changes the numbers, so none of it may
change the capture; a row cut short or a value missing stays an error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import detected_format_name, load_capture

ORIGINAL = (
    "# instrument: Acme EMI-9000 s/n 1234\n"
    "# rbw_hz: 9000\n"
    "# note: scan 1, L1\n"
    "\n"
    "Frequency (MHz),Peak (dBuV),QP (dBuV)\n"
    "0.150,52.1,47.3\n"
    "0.160,51.8,46.9\n"
    "0.170,50.2,45.0\n"
)

RESAVED = {
    "padded comments and blank line": (
        "# instrument: Acme EMI-9000 s/n 1234,,\n"
        "# rbw_hz: 9000,,\n"
        '"# note: scan 1, L1",,\n'
        ",,\n"
        "Frequency (MHz),Peak (dBuV),QP (dBuV)\n"
        "0.150,52.1,47.3\n"
        "0.160,51.8,46.9\n"
        "0.170,50.2,45.0\n"
    ),
    "empty columns after the last level column": (
        "# instrument: Acme EMI-9000 s/n 1234,,,,\n"
        "# rbw_hz: 9000,,,,\n"
        '"# note: scan 1, L1",,,,\n'
        ",,,,\n"
        "Frequency (MHz),Peak (dBuV),QP (dBuV),,\n"
        "0.150,52.1,47.3,,\n"
        "0.160,51.8,46.9,,\n"
        "0.170,50.2,45.0,,\n"
    ),
    "Excel sep line and semicolons": (
        "sep=;\n"
        "# instrument: Acme EMI-9000 s/n 1234;;\n"
        "# rbw_hz: 9000;;\n"
        "# note: scan 1, L1;;\n"
        ";;\n"
        "Frequency (MHz);Peak (dBuV);QP (dBuV)\n"
        "0.150;52.1;47.3\n"
        "0.160;51.8;46.9\n"
        "0.170;50.2;45.0\n"
    ),
    "every field quoted": (
        '"# instrument: Acme EMI-9000 s/n 1234","",""\n'
        '"# rbw_hz: 9000","",""\n'
        '"# note: scan 1, L1","",""\n'
        '"","",""\n'
        '"Frequency (MHz)","Peak (dBuV)","QP (dBuV)"\n'
        '"0.150","52.1","47.3"\n'
        '"0.160","51.8","46.9"\n'
        '"0.170","50.2","45.0"\n'
    ),
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("shape", sorted(RESAVED))
def test_a_resaved_file_reads_as_the_original(tmp_path: Path, shape: str) -> None:
    original = load_capture(_write(tmp_path, "original.csv", ORIGINAL))
    path = _write(tmp_path, "resaved.csv", RESAVED[shape])
    assert detected_format_name(path) == "generic-csv"
    resaved = load_capture(path)
    assert [t.name for t in resaved.traces] == [t.name for t in original.traces] == ["Peak", "QP"]
    for a, b in zip(resaved.traces, original.traces, strict=True):
        np.testing.assert_array_equal(a.freq_hz, b.freq_hz)
        np.testing.assert_array_equal(a.level, b.level)
        assert (a.detector, a.unit, a.rbw_hz) == (b.detector, b.unit, b.rbw_hz)
    assert resaved.instrument.model == "Acme EMI-9000 s/n 1234"
    assert resaved.metadata["note"] == "scan 1, L1"


def test_a_padded_file_cut_inside_its_last_row_is_still_refused(tmp_path: Path) -> None:
    cut = RESAVED["empty columns after the last level column"].rsplit("\n", 2)[0] + "\n0.170,5"
    with pytest.raises(CaptureFormatError, match="cut"):
        load_capture(_write(tmp_path, "cut.csv", cut))


def test_a_value_missing_in_the_last_level_column_is_still_an_error(tmp_path: Path) -> None:
    text = RESAVED["empty columns after the last level column"].replace(
        "0.160,51.8,46.9,,", "0.160,51.8,,,"
    )
    with pytest.raises(CaptureFormatError, match="missing value in column 3") as err:
        load_capture(_write(tmp_path, "gap.csv", text))
    assert err.value.line == 7


def test_a_level_column_empty_in_every_row_is_not_dropped_silently(tmp_path: Path) -> None:
    text = ORIGINAL.replace(",47.3", ",").replace(",46.9", ",").replace(",45.0", ",")
    with pytest.raises(CaptureFormatError, match="2 columns, expected 3"):
        load_capture(_write(tmp_path, "empty_qp.csv", text))


SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"


def _padded(src: Path, sep: str) -> str:
    """Return the file as a spreadsheet saves it: each line padded to the widest one."""
    lines = src.read_text(encoding="latin-1").splitlines()
    width = max(x.count(sep) for x in lines)
    return "".join(x + sep * (width - x.count(sep)) + "\n" for x in lines)


@pytest.mark.parametrize(
    ("name", "sep", "fmt"),
    [
        ("conducted/rig_L1_peak_keysight.csv", ",", "keysight-xseries"),
        ("radiated/rig_3m_V_30M-1G_rs.DAT", ";", "rs-ascii"),
    ],
)
def test_a_padded_instrument_file_reads_as_the_original(
    tmp_path: Path, name: str, sep: str, fmt: str
) -> None:
    src = SAMPLES / name
    path = tmp_path / src.name
    path.write_text(_padded(src, sep), encoding="latin-1")
    assert detected_format_name(path) == fmt
    original, resaved = load_capture(src), load_capture(path)
    assert len(resaved.traces) == len(original.traces) > 0
    for a, b in zip(resaved.traces, original.traces, strict=True):
        np.testing.assert_array_equal(a.freq_hz, b.freq_hz)
        np.testing.assert_array_equal(a.level, b.level)
        assert (a.detector, a.unit, a.rbw_hz) == (b.detector, b.unit, b.rbw_hz)


def test_a_padded_rs_file_cut_inside_its_last_row_is_refused(tmp_path: Path) -> None:
    lines = _padded(SAMPLES / "radiated/rig_3m_V_30M-1G_rs.DAT", ";").splitlines()
    end = max(i for i, x in enumerate(lines) if x[:1].isdigit())  # the last trace's last row
    freq, level = lines[end].split(";")[:2]
    cut = "\n".join(lines[:end]) + f"\n{freq};{level[:3]}"  # the copy stopped inside the row
    path = tmp_path / "cut.DAT"
    path.write_text(cut, encoding="latin-1")
    with pytest.raises(CaptureFormatError, match="cut mid-row"):
        load_capture(path)
