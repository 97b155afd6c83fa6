"""Generic CSV: level columns in a unit rfcheck converts on reading (W, dBpW, mV, A ...).

The levels become dBm, V or dBµA as read, with a note naming the conversion; a power or
current that is not positive is refused naming its line; a trace name ending ``_a`` is no
current (a current is only read from a bracketed unit).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io.generic_csv import read_generic_csv
from rfcheck.units import LevelUnit


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scan.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("column", "values", "unit", "expected"),
    [
        ("Peak (W)", (1e-9, 2e-9), LevelUnit.DBM, (-60.0, -60 + 10 * math.log10(2))),
        ("Peak (mW)", (1e-6, 1.0), LevelUnit.DBM, (-60.0, 0.0)),
        ("peak_mw", (1e-6, 1.0), LevelUnit.DBM, (-60.0, 0.0)),
        ("Peak (dBpW)", (30.0, 47.5), LevelUnit.DBM, (-60.0, -42.5)),
        ("peak_dbpw", (30.0, 47.5), LevelUnit.DBM, (-60.0, -42.5)),
        ("Peak (dBuW)", (-30.0, 0.0), LevelUnit.DBM, (-60.0, -30.0)),
        ("Peak (mV)", (1.0, 0.5), LevelUnit.VOLT, (1e-3, 5e-4)),
        ("Peak (µV)", (100.0, 5.0), LevelUnit.VOLT, (1e-4, 5e-6)),
        ("peak_uv", (100.0, 5.0), LevelUnit.VOLT, (1e-4, 5e-6)),
        ("Peak (A)", (1e-3, 1e-6), LevelUnit.DBUA, (60.0, 0.0)),
        ("Peak (mA)", (1.0, 0.01), LevelUnit.DBUA, (60.0, 20.0)),
        ("Peak (dBmA)", (-20.0, 0.0), LevelUnit.DBUA, (40.0, 60.0)),
    ],
)
def test_a_column_is_converted_as_read_and_noted(
    tmp_path: Path,
    column: str,
    values: tuple[float, float],
    unit: LevelUnit,
    expected: tuple[float, float],
) -> None:
    rows = "".join(f"{f},{v!r}\n" for f, v in zip((1.0, 2.0), values, strict=True))
    cap = read_generic_csv(_write(tmp_path, f"# rbw_hz: 9000\nFrequency (MHz),{column}\n{rows}"))
    (trace,) = cap.traces
    assert trace.unit is unit
    assert np.allclose(trace.level, expected, rtol=1e-12, atol=1e-12)
    (note,) = cap.warnings
    assert f"levels in {column.split('(')[-1].rstrip(')')}" in note or "levels in" in note
    assert f"converted to {unit.value}" in note


def test_the_unit_comment_may_name_a_converted_unit(tmp_path: Path) -> None:
    cap = read_generic_csv(_write(tmp_path, "# unit: dBpW\nFrequency (MHz),Peak\n1,90\n2,91\n"))
    assert cap.traces[0].unit is LevelUnit.DBM
    assert cap.traces[0].level.tolist() == [0.0, 1.0]


def test_a_power_that_is_not_positive_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "# rbw_hz: 9000\nFrequency (MHz),Peak (W)\n1,1e-9\n2,-55.9\n")
    with pytest.raises(CaptureFormatError, match=r"in W, a magnitude, but reads -55\.9") as err:
        read_generic_csv(path)
    assert err.value.line == 4


def test_an_oscilloscope_record_in_millivolts_reads_in_volts(tmp_path: Path) -> None:
    cap = read_generic_csv(_write(tmp_path, "time_s,Voltage (mV)\n0,1.5\n1e-6,-2.0\n2e-6,0\n"))
    (series,) = cap.time_series
    assert np.allclose(series.samples, [1.5e-3, -2e-3, 0.0])


def test_a_trace_named_with_an_a_suffix_is_no_current(tmp_path: Path) -> None:
    cap = read_generic_csv(_write(tmp_path, "# unit: dBuV\nFrequency (MHz),trace_a\n1,40\n2,41\n"))
    (trace,) = cap.traces
    assert trace.name == "trace_a"
    assert trace.unit is LevelUnit.DBUV
    assert trace.level.tolist() == [40.0, 41.0]


@pytest.mark.parametrize(
    ("column", "note"),
    [
        ("Peak (uW)", "column 'Peak': levels in uW converted to dBm (dBm = 10·log10(P / 1 mW))"),
        ("Peak (Watts)", "column 'Peak': levels in Watts converted to dBm"),
        ("Peak (DBPW)", "column 'Peak': levels in DBPW converted to dBm (dBm = dBpW - 90)"),
    ],
)
def test_the_note_names_the_unit_as_the_file_spells_it(
    tmp_path: Path, column: str, note: str
) -> None:
    cap = read_generic_csv(_write(tmp_path, f"# rbw_hz: 9000\nFrequency (MHz),{column}\n1,2\n"))
    (written,) = cap.warnings
    assert written.startswith(note)


def test_a_level_in_microvolts_over_a_thousand_is_a_few_millivolts(tmp_path: Path) -> None:
    """The plausible range applies to the level read (5 mV), not to the number written (5000)."""
    cap = read_generic_csv(_write(tmp_path, "Frequency (MHz),Peak (uV)\n1,5000\n2,20\n"))
    assert np.allclose(cap.traces[0].level, [5e-3, 2e-5], rtol=1e-12, atol=0)


def test_a_power_written_as_zero_is_refused_naming_the_decimals(tmp_path: Path) -> None:
    path = _write(tmp_path, "Frequency (MHz),Peak (W)\n1,1e-9\n2,0.00\n")
    with pytest.raises(CaptureFormatError, match=r"reads 0: .*\(written with too few decimals\?\)"):
        read_generic_csv(path)
