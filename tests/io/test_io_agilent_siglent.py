"""Readers for Agilent ESA, Agilent N9340B/N9342C and Siglent SSA exports."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rfcheck.capture import Detector, TraceMode
from rfcheck.errors import CaptureFormatError, UnitError
from rfcheck.io import detect_format, load_capture
from rfcheck.units import LevelUnit


@pytest.mark.parametrize("name", ["agilent-esa", "agilent-n9340", "siglent"])
def test_sniff_own_fixtures_and_not_others(
    name: str,
    assert_sniffs_own_fixtures: Callable[[str], None],
    keyvalue_fixtures: dict[str, list[Path]],
) -> None:
    assert_sniffs_own_fixtures(name)
    for f in keyvalue_fixtures[name]:
        assert detect_format(f).name == name


# --- Agilent ESA ---------------------------------------------------------------------------------


def test_esa_real_no_unit_one_trace(real_capture: Callable[[str], Path]) -> None:
    cap = load_capture(real_capture("agilent_e4411b_esa_500M-1G.CSV"))
    assert cap.provenance is not None and cap.provenance.format == "agilent-esa"
    (tr,) = cap.traces
    assert tr.unit is None and tr.detector is Detector.UNKNOWN
    assert tr.n_points == 401 and (tr.start_hz, tr.stop_hz) == (500e6, 1e9)
    assert tr.level[0] == pytest.approx(3.7123) and tr.level[-1] == pytest.approx(3.5163)
    assert (tr.rbw_hz, tr.vbw_hz, tr.sweep_time_s) == (100e3, 100e3, pytest.approx(0.0644205))
    assert cap.instrument.model == "E4411B" and cap.instrument.serial == "MY45104634"
    assert cap.timestamp == "2015-07-29T12:12:29"
    assert sum("unused trace" in w for w in cap.warnings) == 2


def test_esa_unit_applied_only_by_the_user(fixture_file: Callable[[str], Path]) -> None:
    p = fixture_file("agilent/e4402b_two_traces.CSV")
    assert all(t.unit is None for t in load_capture(p).traces)
    with pytest.raises(UnitError, match="states no level unit"):
        load_capture(p, require_unit=True)
    cap = load_capture(p, unit=LevelUnit.DBM)
    assert [t.unit for t in cap.traces] == [LevelUnit.DBM, LevelUnit.DBM]
    np.testing.assert_allclose(cap.traces[1].level, [-49, -48, -20, -47, -46])


@pytest.mark.parametrize(
    ("old", "new", "exc", "message", "line"),
    [
        (
            ",0005",
            ",0006",
            CaptureFormatError,
            "'Num Points: 6' at line 11 but the file ends after 5 data rows",
            20,
        ),
        ("150000000.000,", "nan,", CaptureFormatError, "not a number in column 1: 'nan'", 18),
        (
            "150000000.000,",
            "110000000.000,",
            CaptureFormatError,
            "not strictly increasing (1.25e+08 Hz then 1.1e+08 Hz)",
            18,
        ),
        ("Hz,   ,", "Hz,dBc,", UnitError, "unknown level unit 'dBc'", 15),
        (
            "-5.30000e+01,",
            "-5.30000e+01, 1.0,",
            CaptureFormatError,
            "5 values, expected 4 (mismatched column count)",
            19,
        ),
        (",Trace 1,Trace 2,Trace 3\n", "", CaptureFormatError, "missing data marker", 15),
        (
            "Hz,   ,   ,   ",
            "Hz,dBm,dBuV,dBuV",
            CaptureFormatError,
            "traces in different units: dBm (Trace 1) and dBuV (Trace 2, Trace 3)",
            15,
        ),
        (
            "Hz,   ,   ,   ",
            "Hz,dBuV,dBm,dBmV",
            CaptureFormatError,
            "traces in different units: dBuV (Trace 1), dBm (Trace 2) and dBmV (Trace 3)",
            15,
        ),
    ],
)
def test_esa_bad_input(
    old: str,
    new: str,
    exc: type,
    message: str,
    line: int,
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
) -> None:
    assert_load_error(
        edited_fixture("agilent/e4402b_two_traces.CSV", old, new), exc, re.escape(message), line
    )


# --- Agilent N9340B / N9342C -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "unit", "start", "stop", "first", "last"),
    [
        ("agilent_n9340b_100k-30M_dBm.CSV", LevelUnit.DBM, 100e3, 30e6, -43.73, -73.79),
        (
            "agilent_n9340b_chamber_30-300M_dBuV_marker.CSV",
            LevelUnit.DBUV,
            30e6,
            300e6,
            43.19,
            43.46,
        ),
        ("agilent_n9340b_TST_0-3G.CSV", LevelUnit.DBM, 0.0, 3e9, 3.54, -48.06),
    ],
)
def test_n9340_real(
    name: str,
    unit: LevelUnit,
    start: float,
    stop: float,
    first: float,
    last: float,
    real_capture: Callable[[str], Path],
) -> None:
    cap = load_capture(real_capture(name))
    assert cap.provenance is not None and cap.provenance.format == "agilent-n9340"
    (tr,) = cap.traces
    assert tr.n_points == 461 and tr.unit is unit and (tr.start_hz, tr.stop_hz) == (start, stop)
    assert tr.level[0] == pytest.approx(first) and tr.level[-1] == pytest.approx(last)
    assert tr.mode is TraceMode.VIEW and tr.detector is Detector.UNKNOWN
    assert cap.instrument.vendor == "Agilent" and cap.instrument.model == "N9340"


def test_n9340_real_markers_kept_out_of_data(real_capture: Callable[[str], Path]) -> None:
    cap = load_capture(real_capture("agilent_n9340b_chamber_30-300M_dBuV_marker.CSV"))
    assert "X Axis=183.2 MHz" in cap.metadata["Marker 1"]
    assert cap.traces[0].rbw_hz == 100e3 and cap.traces[0].sweep_time_s == pytest.approx(1.225115)


def test_n9340_two_traces_and_markers(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("agilent/n9342c_two_traces_markers.CSV"))
    a, b = cap.traces
    assert (a.mode, b.mode) == (TraceMode.CLEAR_WRITE, TraceMode.MAX_HOLD)
    np.testing.assert_allclose(b.level, [50.25, 53.0, 41.75, 44.0, 40.5])
    assert cap.metadata["Marker 2"].startswith("Marker Trace=2") and cap.instrument.model == "N9342"
    assert (a.rbw_hz, a.vbw_hz) == (10e3, 30e3)


@pytest.mark.parametrize(
    ("old", "new", "exc", "message", "line"),
    [
        (
            "1150000.000000\x00,39.25\x00,40.50\x00,\x00",
            "1150000.000000\x00,39.25",
            CaptureFormatError,
            "2 values, expected 3 (mismatched column count)",
            19,
        ),
        ("650000.000000", "nan", CaptureFormatError, "not a number in column 1: 'nan'", 17),
        ("650000.000000", "250000.000000", CaptureFormatError, "not strictly increasing", 17),
        ("(Unit:dBuV)", "(Unit:Volts/m)", UnitError, "unknown level unit 'Volts/m'", 13),
        (
            "\x00,53.00\x00,",
            "\x00,53.00\x00,1.0\x00,",
            CaptureFormatError,
            "4 values, expected 3",
            16,
        ),
        (
            "Trace Data:(Unit:dBuV)\x00\r\n"
            "Frequency(Hz)\x00,Trace1(CLEAR WRITE)\x00,Trace2(MAX HOLD)\x00,\x00\r\n",
            "",
            CaptureFormatError,
            "missing data marker",
            13,
        ),
    ],
)
def test_n9340_bad_input(
    old: str,
    new: str,
    exc: type,
    message: str,
    line: int,
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
) -> None:
    assert_load_error(
        edited_fixture("agilent/n9342c_two_traces_markers.CSV", old, new),
        exc,
        re.escape(message),
        line,
    )


# --- Siglent ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("siglent_ssa3021x_1-30M_10m-filter.csv", -56.95, -4.45),
        ("siglent_ssa3021x_nothing_baseline.csv", -56.61, -58.24),
    ],
)
def test_siglent_real(
    name: str, first: float, last: float, real_capture: Callable[[str], Path]
) -> None:
    cap = load_capture(real_capture(name))
    assert cap.provenance is not None and cap.provenance.format == "siglent"
    (tr,) = cap.traces
    assert tr.name == "Trace A" and tr.n_points == 751 and (tr.start_hz, tr.stop_hz) == (1e6, 30e6)
    assert (
        tr.unit is LevelUnit.DBM and tr.detector is Detector.PEAK and tr.mode is TraceMode.AVERAGE
    )
    assert tr.level[0] == pytest.approx(first) and tr.level[-1] == pytest.approx(last)
    assert tr.rbw_hz == 10e3 and tr.sweep_time_s is None
    assert cap.instrument.model == "SSA3021X" and cap.instrument.firmware == "2.1.1.1"
    assert [w.split(":")[0] for w in cap.warnings] == ["Trace B", "Trace C", "Trace D"]


def test_siglent_two_non_blank_traces(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("siglent/ssa3032x_two_traces.csv"))
    a, b = cap.traces
    assert (a.name, b.name) == ("Trace A", "Trace B")
    assert (a.detector, b.detector) == (Detector.PEAK, Detector.QUASI_PEAK)
    assert (a.mode, b.mode) == (TraceMode.MAX_HOLD, TraceMode.CLEAR_WRITE)
    np.testing.assert_allclose(b.level, [50.25, 43.5, 36.75])
    assert a.unit is LevelUnit.DBUV and len(cap.warnings) == 2


def test_siglent_blank_trace_with_rows_is_not_read_as_data(
    edited_fixture: Callable[..., Path],
) -> None:
    """A trace typed 'Blank' (off) stays dropped even when data rows follow its section."""
    p = edited_fixture(
        "siglent/ssa3032x_two_traces.csv", "Trace Type,Clear Write", "Trace Type,Blank"
    )
    cap = load_capture(p)
    assert [t.name for t in cap.traces] == ["Trace A"]
    assert cap.warnings[0] == "Trace B: blank trace dropped"


@pytest.mark.parametrize(
    ("old", "new", "exc", "message", "line"),
    [
        (
            "Number of Points,3",
            "Number of Points,4",
            CaptureFormatError,
            "'Number of Points,4' at line 5 but row 4 is 'Trace Name,Trace B'",
            21,
        ),
        ("15075000,43.5", "nan,43.5", CaptureFormatError, "not a number in column 1: 'nan'", 26),
        ("15075000,43.5", "100,43.5", CaptureFormatError, "not strictly increasing", 26),
        ("Y Axis Unit,dBuV", "Y Axis Unit,dBc", UnitError, "unknown level unit 'dBc'", 3),
        ("15075000,48.5", "15075000,48.5,1", CaptureFormatError, "3 values, expected 2", 19),
        ("Trace Data\n150000,50.25", "150000,50.25", CaptureFormatError, "missing data marker", 24),
    ],
)
def test_siglent_bad_input(
    old: str,
    new: str,
    exc: type,
    message: str,
    line: int,
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
) -> None:
    assert_load_error(
        edited_fixture("siglent/ssa3032x_two_traces.csv", old, new), exc, re.escape(message), line
    )


#: Trace sections written side by side, as one public parser of Siglent SSA exports describes
#: them ('Trace Name,Trace A,Trace Name,Trace B', then 'freq,level,freq,level' rows).
SIDE_BY_SIDE = (
    "Machine Module,SSA3032X Plus,3.2.2.5.1\nY Axis Unit,dBuV\nNumber of Points,3\n"
    "RBW,9000.000000,Manual\nTrace Name,Trace A,Trace Name,Trace B\n"
    "Trace Type,Max Hold,Trace Type,Blank\nTrace Detector,Pos Peak,Trace Detector,Pos Peak\n"
    "Trace Data,,Trace Data,\n150000,55.25,150000,0\n15075000,48.5,15075000,0\n"
    "30000000,41.75,30000000,0\n"
)


def test_siglent_side_by_side_sections_are_refused_by_name(
    tmp_path: Path, assert_load_error: Callable[..., None]
) -> None:
    """Not read as one axis and three levels (a blank trace's stub column among them)."""
    p = tmp_path / "pairs.csv"
    p.write_text(SIDE_BY_SIDE, encoding="latin-1")
    assert_load_error(
        p, CaptureFormatError, re.escape("trace sections side by side ('Trace Name,"), 5
    )


@pytest.mark.parametrize(
    ("fixture", "stop", "line"),
    [
        ("siglent/ssa3032x_two_traces.csv", "Stop Frequency,+3.000000000E+07", 9),
        ("keysight/n9343c_noprefix.CSV", "Stop Frequency,+3.000000000e+07", 11),
    ],
)
def test_zero_span_section_export_is_refused(
    fixture: str,
    stop: str,
    line: int,
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
) -> None:
    """Equal Start/Stop Frequency: the rows are a time record, not to be read as a spectrum."""
    p = edited_fixture(fixture, stop, stop.split(",")[0] + ",+1.500000000e+05")
    assert_load_error(
        p,
        CaptureFormatError,
        re.escape(
            "zero-span export (Start Frequency = Stop Frequency = 150 kHz): its rows are a "
            "time record, not a spectrum"
        ),
        line,
    )


def test_siglent_truncated_at_end(
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
) -> None:
    p = edited_fixture(
        "siglent/ssa3032x_two_traces.csv",
        "30000000,36.75\nTrace Name,Trace C\nTrace Type,Blank\n"
        "Trace Name,Trace D\nTrace Type,Blank\n",
        "",
    )
    assert_load_error(
        p,
        CaptureFormatError,
        re.escape("'Number of Points,3' at line 5 but the file ends after 2 data rows"),
        26,
    )


@pytest.mark.parametrize(
    "tail",
    [
        "Trace Name,Trace C\nTrace Type,Blank\nTrace Detector,Pos Peak\nTrace Data\n",
        "Trace Name,Trace C\nTrace Type,Blank\nTrace Detector,Pos Peak\nTrace Data\n\n",
        "Trace Name,Trace C\nTrace Type,Blank\nTrace Data\nTrace Name,Trace D\nTrace Type,Blank\n",
    ],
)
def test_siglent_blank_stub_with_a_trace_data_line_is_dropped(
    tail: str, edited_fixture: Callable[..., Path]
) -> None:
    """A blank trace's stub ending in ``Trace Data`` and no rows is dropped, not 'truncated'."""
    p = edited_fixture(
        "siglent/ssa3032x_two_traces.csv",
        "Trace Name,Trace C\nTrace Type,Blank\nTrace Name,Trace D\nTrace Type,Blank\n",
        tail,
    )
    cap = load_capture(p)
    assert [t.name for t in cap.traces] == ["Trace A", "Trace B"]
    assert "Trace C: blank trace dropped" in cap.warnings


def test_siglent_trace_data_line_without_rows_names_the_trace(
    edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    """A trace that is not blank, with a ``Trace Data`` line and no rows: refused by name."""
    p = edited_fixture(
        "siglent/ssa3032x_two_traces.csv",
        "Trace Name,Trace C\nTrace Type,Blank\n",
        "Trace Name,Trace C\nTrace Type,Clear Write\nTrace Data\n",
    )
    assert_load_error(
        p,
        CaptureFormatError,
        re.escape("Trace C: 'Trace Data' but no data rows follow (truncated file?)"),
        30,
    )


@pytest.mark.parametrize(
    ("fixture", "old", "new", "said"),
    [
        (
            "siglent/ssa3032x_two_traces.csv",
            "Stop Frequency,+3.000000000E+07",
            "Stop Frequency,+4.000000000E+07",
            "header stop frequency 40000000 Hz (line 9) disagrees with the data, which run to "
            "30000000 Hz",
        ),
        (
            "keysight/n9343c_noprefix.CSV",
            "Start Frequency,+1.500000000e+05",
            "Start Frequency,+1.000000000e+05",
            "header start frequency 100000 Hz (line 10) disagrees with the data, which start at "
            "150000 Hz",
        ),
        (
            "agilent/n9342c_two_traces_markers.CSV",
            "Stop Freq\x00,1150000.000000",
            "Stop Freq\x00,2150000.000000",
            "header stop frequency 2150000 Hz (line 4) disagrees with the data, which run to "
            "1150000 Hz",
        ),
    ],
    ids=["siglent", "keysight-n9343", "agilent-n9340"],
)
def test_a_header_span_the_data_do_not_bear_out_is_noted(
    edited_fixture: Callable[..., Path],
    fixtures_dir: Path,
    fixture: str,
    old: str,
    new: str,
    said: str,
) -> None:
    """As every other reader with a header Start/Stop says (README, docs/formats.md)."""
    assert said in load_capture(edited_fixture(fixture, old, new)).warnings
    assert not any("disagrees" in w for w in load_capture(fixtures_dir / fixture).warnings)
