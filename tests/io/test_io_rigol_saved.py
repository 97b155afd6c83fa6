"""Rigol CSV as the instruments save it (value/unit pairs), and header/data disagreements.

The fixtures in ``tests/fixtures/rigol/*_saved_*`` are written for these tests in the layout
real DSA800 files show (``Trace1,``, ``Freq,,Amp,,``, ``   500000000,Hz,   -52.45, dBm,``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.capture import Detector
from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError
from rfcheck.io import detect_format, load_capture
from rfcheck.io.rigol import read_rigol
from rfcheck.units import LevelUnit


def _write(tmp_path: Path, text: str, name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


def test_dsa815_as_saved_loads_by_detection(fixture_file: Callable[[str], Path]) -> None:
    path = fixture_file("rigol/dsa815_saved_trace1.csv")
    assert detect_format(path).name == "rigol"
    cap = load_capture(path)
    (tr,) = cap.traces
    assert tr.name == "Trace 1" and tr.unit is LevelUnit.DBM
    np.testing.assert_array_equal(tr.freq_hz, [500e6, 500.75e6, 501.5e6, 502.25e6, 503e6])
    np.testing.assert_array_equal(tr.level, [-52.45, -61.30, -48.07, -70.12, -66.90])
    assert cap.warnings == ()


def test_header_block_trace_number_and_units_are_kept(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("rigol/dsa832e_saved_trace2_mhz_dbuv.csv"))
    (tr,) = cap.traces
    assert tr.name == "Trace 2"  # the instrument's trace number, not a renumbered 1
    assert tr.unit is LevelUnit.DBUV and tr.detector is Detector.QUASI_PEAK and tr.rbw_hz == 120e3
    np.testing.assert_array_equal(tr.freq_hz, [30e6, 80e6, 130e6, 180e6, 230e6])
    assert tr.level[1] == 44.25
    assert (cap.instrument.model, cap.instrument.serial) == ("DSA832E", "DSA8C000000123")
    assert cap.warnings == ()


def test_several_trace_blocks_in_one_file(fixture_file: Callable[[str], Path]) -> None:
    cap = read_rigol(fixture_file("rigol/dsa705_saved_trace1_trace3_khz.csv"))
    assert [t.name for t in cap.traces] == ["Trace 1", "Trace 3"]
    np.testing.assert_array_equal(cap.traces[1].freq_hz, [150e3, 1e6, 10e6, 30e6])
    np.testing.assert_array_equal(cap.traces[1].level, [-48.0, -52.5, -58.75, -66.0])


def test_cli_info_reads_the_saved_layout(fixture_file: Callable[[str], Path]) -> None:
    result = CliRunner().invoke(main, ["info", str(fixture_file("rigol/dsa815_saved_trace1.csv"))])
    assert result.exit_code == 0, result.output
    assert "format:     rigol" in result.output and "500 MHz .. 503 MHz" in result.output


_HEAD = "Trace1,\nFreq,,Amp,,\n"


@pytest.mark.parametrize(
    ("rows", "message", "line"),
    [
        ("   1000,Hz, -50.0, dBm,\n   2000,Hz, -51.0, dBm, 7,\n", "5 fields, expected 4", 4),
        (
            "   1000,Hz, -50.0, dBm,\n   2000,Hz,   nan, dBm,\n",
            "Trace 1 level: not a number: 'nan'",
            4,
        ),
        (
            "   1000,Hz, -50.0, dBm,\n   2000,Hz, -51.0, dBuV,\n",
            "rows mix level units dBm and dBuV",
            3,
        ),
        ("   1000,Hz, -50.0, dBm,\n   2000,Hx, -51.0, dBm,\n", "unknown frequency unit 'Hx'", 4),
        ("   1000,Hz, -50.0, dBc,\n", "unknown level unit 'dBc'", 3),
        ("   1000,Hz, 0.0, W,\n", "Trace 1' is in W, a magnitude, but reads 0", 3),
        ("   2000,Hz, -50.0, dBm,\n   1000,Hz, -51.0, dBm,\n", "not strictly increasing", None),
    ],
)
def test_saved_layout_bad_rows(tmp_path: Path, rows: str, message: str, line: int | None) -> None:
    with pytest.raises(CaptureFormatError, match=message) as exc:
        load_capture(_write(tmp_path, _HEAD + rows))
    assert exc.value.line == line


def test_trace_block_with_bare_rows_takes_the_header_unit(tmp_path: Path) -> None:
    text = "Unit,dBuV\nTrace3,\nFreq,Amp\n150000,40.5\n300000,38.25\n"
    path = _write(tmp_path, text)
    assert detect_format(path).name == "rigol"
    (tr,) = load_capture(path).traces
    assert (tr.name, tr.unit) == ("Trace 3", LevelUnit.DBUV)
    np.testing.assert_array_equal(tr.freq_hz, [150e3, 300e3])
    np.testing.assert_array_equal(tr.level, [40.5, 38.25])


def test_trace_block_mixing_bare_and_unit_rows_is_an_error(tmp_path: Path) -> None:
    text = _HEAD + "   1000,Hz, -50.0, dBm,\n   2000, -51.0\n"
    with pytest.raises(
        CaptureFormatError, match="Trace 1: some rows have unit cells and some do not"
    ):
        load_capture(_write(tmp_path, text))


def test_saved_layout_text_among_the_data_is_reported(tmp_path: Path) -> None:
    text = _HEAD + "   1000,Hz, -50.0, dBm,\nMarker1, 1000, Hz\n   2000,Hz, -51.0, dBm,\n"
    cap = load_capture(_write(tmp_path, text))
    assert cap.traces[0].n_points == 2  # the row after the text line is kept
    assert cap.warnings == (
        "1 line(s) among the trace data not used (line 4: 'Marker1, 1000, Hz')",
    )


def test_saved_layout_repeated_trace_number_is_an_error(tmp_path: Path) -> None:
    row = "   1000,Hz, -50.0, dBm,\n"
    with pytest.raises(CaptureFormatError, match=r"trace numbers repeat: \[1, 1\]"):
        load_capture(_write(tmp_path, _HEAD + row + _HEAD + row))


def test_header_start_stop_disagreeing_with_data_is_a_warning(tmp_path: Path) -> None:
    text = (
        "RIGOL TECHNOLOGIES,DSA832,DSA8B1,00.01\nStart Frequency, 1.0e+06, Hz\n"
        "Points, 3\nUnit, dBm\nFrequency,Amplitude\n2e6,-50\n3e6,-51\n4e6,-52\n"
    )
    cap = read_rigol(_write(tmp_path, text))
    assert cap.warnings == (
        "header start frequency 1000000 Hz (line 2) disagrees with the data, "
        "which start at 2000000 Hz",
    )


def test_unrecognised_format_prints_the_first_line_as_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "Trace1,\nsomething else;entirely\n")
    result = CliRunner().invoke(main, ["info", str(path)])
    assert result.exit_code == 3
    assert result.stderr == (
        f"rfcheck: error: {path}: unrecognised capture format (first line 'Trace1,'); "
        "name it with --format (see 'rfcheck formats')\n"
    )


def test_bare_rows_without_any_header_are_refused(tmp_path: Path) -> None:
    """``--format rigol`` on number rows alone: the frequency unit is unknown.

    A QtTinySA export in MHz (``2417.000,-115.0``) was read as 2.417 kHz without a word.
    """
    path = _write(tmp_path, "2417.000,-115.0\n2417.030,-111.0\n2417.060,-120.0\n")
    with pytest.raises(CaptureFormatError, match="frequency unit is not stated") as err:
        read_rigol(path)
    assert err.value.line == 1
    result = CliRunner().invoke(main, ["info", "--format", "rigol", str(path)])
    assert result.exit_code == 3
    assert "generic-csv" in result.output
