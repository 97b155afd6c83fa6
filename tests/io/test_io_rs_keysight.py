"""Readers for R&S ASCII, Keysight X-series and Keysight N9343C exports."""

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

# --- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["rs-ascii", "keysight-xseries", "keysight-n9343"])
def test_sniff_own_fixtures_and_not_others(
    name: str, assert_sniffs_own_fixtures: Callable[[str], None]
) -> None:
    assert_sniffs_own_fixtures(name)


@pytest.mark.parametrize("name", ["rs-ascii", "keysight-xseries", "keysight-n9343"])
def test_detect_format_picks_my_reader(name: str, keyvalue_fixtures: dict[str, list[Path]]) -> None:
    for f in keyvalue_fixtures[name]:
        assert detect_format(f).name == name


def test_format_override_uses_named_reader(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("rs/fsv_analyzer_single.CSV"), fmt="rs-ascii")
    assert cap.provenance is not None and cap.provenance.format == "rs-ascii"
    with pytest.raises(CaptureFormatError, match="first line is not 'Machine Module"):
        load_capture(fixture_file("rs/fsv_analyzer_single.CSV"), fmt="keysight-n9343")


# --- R&S ----------------------------------------------------------------------------------------


def test_rs_real_esrp7_three_detectors(real_capture: Callable[[str], Path]) -> None:
    cap = load_capture(real_capture("rs_esrp7_receiver_150k-30M_3det.DAT"))
    assert cap.provenance is not None and cap.provenance.format == "rs-ascii"
    assert [t.name for t in cap.traces] == ["TRACE 1", "TRACE 2", "TRACE 4"]
    assert [t.detector for t in cap.traces] == [
        Detector.PEAK,
        Detector.AVERAGE,
        Detector.QUASI_PEAK,
    ]
    for t in cap.traces:
        assert t.n_points == 13268
        assert t.unit is LevelUnit.DBUV
        assert (t.start_hz, t.stop_hz) == (150e3, 30e6)
        assert t.mode is TraceMode.CLEAR_WRITE
        assert t.rbw_hz == 9000.0 and t.dwell_s == pytest.approx(1e-3)
    pk, av, qp = cap.traces
    assert pk.level[0] == pytest.approx(8.359756) and pk.level[1] == pytest.approx(8.157150)
    assert pk.level[-1] == pytest.approx(6.751541)
    assert av.level[0] == pytest.approx(-3.112869) and qp.level[0] == pytest.approx(2.25782)
    assert cap.instrument.model == "ESRP-7" and cap.instrument.firmware == "3.36 SP1"
    assert cap.timestamp == "2025-10-15"
    assert sum("blank trace dropped" in w for w in cap.warnings) == 3
    assert cap.metadata["Scan 1: Step"] == "2250.000000 Hz"


def test_rs_decimal_comma_with_sep_line(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("rs/esr_receiver_decimal_comma.DAT"))
    qp, cav = cap.traces
    assert qp.detector is Detector.QUASI_PEAK and cav.detector is Detector.CISPR_AVERAGE
    assert qp.mode is TraceMode.MAX_HOLD
    np.testing.assert_allclose(qp.freq_hz, [150e3, 152.5e3, 155e3, 157.5e3, 160e3])
    np.testing.assert_allclose(cav.level, [31.25, 30.75, 29.5, 28.125, 27.0])
    assert qp.unit is LevelUnit.DBUV and qp.dwell_s == pytest.approx(0.01)
    assert cap.warnings == ("TRACE 3: blank trace dropped",)


#: An ESU spurious-emission export as the ESU operating manual prints it (MMEMory subsystem):
#: one 'Range n:' block per sweep range with its own RBW, VBW, detector and sweep time.
ESU_SPURIOUS = (
    "Type;R&S ESU;\r\nVersion;3.9x;\r\nDate;02.Feb 2007;\r\nMode;ANALYZER;SPURIOUS;\r\n"
    "Start;9000.000000;Hz\r\nStop;300000.000000;Hz\r\nx-Axis;LIN;\r\nSweep Count;1;\r\n"
    "Range 1:\r\nStart; 9000.000000;Hz\r\nStop; 150000.000000;Hz\r\nRBW;200.000000;Hz\r\n"
    "VBW;1000.000000;Hz\r\nSweep time; 0.145000;s\r\nDetector;RMS;\r\nSweep Points;3;\r\n"
    "Range 2:\r\nStart; 150000.000000;Hz\r\nStop; 300000.000000;Hz\r\nRBW;9000.000000;Hz\r\n"
    "VBW;30000.000000;Hz\r\nSweep time; 0.010000;s\r\nDetector;MAX PEAK;\r\n"
    "Sweep Points;3;\r\nTRACE 1:\r\nx-Unit;Hz;\r\ny-Unit;dBm;\r\nValues;6;\r\n"
    "9000.000000;-99.6;\r\n80000.000000;-100.1;\r\n150000.000000;-101.2;\r\n"
    "160000.000000;-90.2;\r\n225000.000000;-95.1;\r\n300000.000000;-96.3;\r\n"
)


def test_rs_sweep_ranges_with_different_detectors_give_none(tmp_path: Path) -> None:
    """'Range n:' settings are per range: the last range's were taken for the whole trace."""
    p = tmp_path / "esu.DAT"
    p.write_text(ESU_SPURIOUS.replace("RBW;200.0", "RBW;9000.0"), encoding="latin-1")
    cap = load_capture(p)
    (tr,) = cap.traces
    assert (tr.rbw_hz, tr.vbw_hz, tr.sweep_time_s) == (9000.0, None, None)
    assert tr.detector is Detector.UNKNOWN
    assert cap.warnings == (
        "scan ranges use different detectors (MAX PEAK, RMS): the detector of the traces "
        "is unknown",
    )
    assert cap.metadata["Range 2: RBW"] == "9000.000000 Hz"


def test_rs_sweep_ranges_that_agree_give_their_settings(tmp_path: Path) -> None:
    p = tmp_path / "esu.DAT"
    text = ESU_SPURIOUS.replace("MAX PEAK", "RMS").replace("RBW;200.0", "RBW;9000.0")
    p.write_text(text, encoding="latin-1")
    (tr,) = load_capture(p).traces
    assert tr.detector is Detector.RMS and tr.rbw_hz == 9000.0
    assert tr.vbw_hz is None and tr.unit is LevelUnit.DBM


def test_rs_trace_detector_wins_over_sweep_ranges_without_a_note(tmp_path: Path) -> None:
    """A trace stating its own detector does not take (nor warn about) the ranges' ones."""
    p = tmp_path / "esu.DAT"
    text = ESU_SPURIOUS.replace("TRACE 1:\r\n", "TRACE 1:\r\nDetector;RMS;\r\n")
    p.write_text(text, encoding="latin-1")
    cap = load_capture(p)
    assert cap.traces[0].detector is Detector.RMS and cap.warnings == ()


def test_rs_final_measurement_peak_list_is_read_as_a_trace_of_its_final_detector(
    tmp_path: Path,
) -> None:
    """'TRACE 1 FINAL:' (ESCI/ESU manuals) holds '<trace>;<x>;<y>;<delta>;...' peak rows.

    The scan's only range states its RBW and no Start/Stop: every final takes that RBW.
    """
    p = tmp_path / "final.DAT"
    p.write_text(
        "Type;R&S ESU;\r\nVersion;2.32;\r\nMode;Receiver;\r\nScan 1:\r\nRBW;9000;Hz\r\n"
        "TRACE 1 FINAL:\r\nTrace Mode;CLR/WRITE;\r\nFinal Detector;QUASIPEAK;\r\n"
        "x-Unit;Hz;\r\ny-Unit;dBuV;\r\nValues;2;\r\n"
        "2;154000.000000;81.638535;15.638535;N;GND\r\n"
        "1;158000.000000;86.563789;7.563789;N;GND\r\n",
        encoding="latin-1",
    )
    cap = load_capture(p)
    (tr,) = cap.traces
    assert (tr.name, tr.detector, tr.rbw_hz) == (
        "Trace 1 final (quasi-peak)",
        Detector.QUASI_PEAK,
        9000.0,
    )
    assert tr.freq_hz.tolist() == [154000.0, 158000.0]
    assert tr.level.tolist() == [81.638535, 86.563789]
    assert cap.metadata["Trace 1 final (quasi-peak): peak found on trace"] == "2, 1"
    assert cap.warnings == ()


def test_rs_capitalised_level_unit_name_is_read(edited_fixture: Callable[..., Path]) -> None:
    """ESR/ESW manuals print 'Y-Unit;dBµV;': the unit was dropped as if unstated."""
    p = edited_fixture("rs/esr_receiver_decimal_comma.DAT", "y-Unit;", "Y-Unit;")
    cap = load_capture(p)
    assert [t.unit for t in cap.traces] == [LevelUnit.DBUV, LevelUnit.DBUV]


def test_rs_scan_detector_of_a_trace_block_is_its_detector(
    edited_fixture: Callable[..., Path],
) -> None:
    """The ESW manual's trace block states 'Scan Detector;MAX PEAK;' (it was ignored)."""
    p = edited_fixture(
        "rs/esr_receiver_decimal_comma.DAT", "Detector;QUASIPEAK;", "Scan Detector;QUASIPEAK;"
    )
    qp, cav = load_capture(p).traces
    assert qp.detector is Detector.QUASI_PEAK and cav.detector is Detector.CISPR_AVERAGE


def test_rs_capitalised_x_unit_other_than_hz_is_refused(
    edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    p = edited_fixture("rs/esr_receiver_decimal_comma.DAT", "x-Unit;Hz;", "X-Unit;s;")
    assert_load_error(p, CaptureFormatError, r"TRACE 1: x-Unit 's' is not a frequency axis", 9)


def test_rs_analyser_single_trace_without_trace_line(fixture_file: Callable[[str], Path]) -> None:
    (tr,) = load_capture(fixture_file("rs/fsv_analyzer_single.CSV")).traces
    assert tr.detector is Detector.NORMAL and tr.mode is TraceMode.CLEAR_WRITE
    assert (tr.rbw_hz, tr.vbw_hz, tr.sweep_time_s) == (100e3, 300e3, 0.005)
    assert tr.unit is LevelUnit.DBM and tr.n_points == 6 and tr.level[3] == -45.75


#: The spectrum-application trace export as the R&S FSW/FPL user manuals print it
#: ("Reference: ASCII File Export Format"): 'Window;n;...' and 'Trace n;;' section lines,
#: 'Values; N;', and AUTOPEAK rows '<x>;<y1>;<y2>' with y2 the smaller of each point.
FPL_HEADER = (
    "Type;R&S FPL1000;\r\nVersion;1.80;\r\nDate;14.Feb 2026;\r\nMode;ANALYZER;\r\n"
    "Start;150000;Hz\r\nStop;450000;Hz\r\nRBW;9000;Hz\r\nVBW;30000;Hz\r\nSWT;1;s\r\n"
    "x-Axis;LIN;\r\ny-Axis;LOG;\r\nx-Unit;Hz;\r\ny-Unit;dBuV;\r\nWindow;1;Frequency Sweep\r\n"
)
FPL_TRACES = (
    "Trace 1;;\r\nTrace Mode;MAXHOLD;\r\nDetector;AUTOPEAK;\r\nValues; 3;\r\n"
    "150000;40.5;31.0\r\n300000;42.25;30.5\r\n450000;39.0;39.0\r\n"
    "Trace 2;;\r\nTrace Mode;CLR/WRITE;\r\nDetector;AVERAGE;\r\nValues; 3;\r\n"
    "150000;30.5\r\n300000;31.25\r\n450000;29.0\r\n"
)


def test_rs_manual_layout_reads_every_trace_section(tmp_path: Path) -> None:
    """'Trace n;;' opens a trace section, as 'TRACE n:' does (the second was refused)."""
    p = tmp_path / "fpl.DAT"
    p.write_text(FPL_HEADER + FPL_TRACES, encoding="latin-1")
    cap = load_capture(p)
    assert [t.name for t in cap.traces] == ["Trace 1", "Trace 2"]
    assert [t.detector for t in cap.traces] == [Detector.PEAK, Detector.AVERAGE]
    assert cap.traces[0].level.tolist() == [40.5, 42.25, 39.0]
    assert cap.traces[1].level.tolist() == [30.5, 31.25, 29.0]
    assert all(t.rbw_hz == 9e3 and t.unit is LevelUnit.DBUV for t in cap.traces)


def test_rs_manual_layout_names_the_traces_of_a_second_window(tmp_path: Path) -> None:
    p = tmp_path / "fpl2.DAT"
    second = FPL_TRACES.split("Trace 2;;")[1]
    p.write_text(
        FPL_HEADER + FPL_TRACES + "Window;2;Frequency Sweep\r\nTrace 1;;" + second,
        encoding="latin-1",
    )
    names = [t.name for t in load_capture(p).traces]
    assert names == ["Trace 1", "Trace 2", "Window 2 Trace 1"]


def test_rs_autopeak_with_a_smaller_second_level_is_a_peak_trace(tmp_path: Path) -> None:
    """AUTOPEAK '<x>;<max>;<min>' rows: the first level is the positive peak (manual)."""
    p = tmp_path / "fpl.DAT"
    p.write_text(FPL_HEADER + FPL_TRACES, encoding="latin-1")
    cap = load_capture(p)
    assert cap.traces[0].detector is Detector.PEAK
    assert any("AUTOPEAK" in w and "smallest is not used" in w for w in cap.warnings)


def test_rs_autopeak_rows_that_do_not_bear_it_out_stay_normal(tmp_path: Path) -> None:
    """A row whose second level is the larger: the columns are not max;min, so no bound."""
    p = tmp_path / "fpl.DAT"
    p.write_text(
        FPL_HEADER + FPL_TRACES.replace("300000;42.25;30.5", "300000;30.5;42.25"),
        encoding="latin-1",
    )
    cap = load_capture(p)
    assert cap.traces[0].detector is Detector.NORMAL
    assert "Trace 1: 1 extra value column(s) ignored" in cap.warnings


@pytest.mark.parametrize(
    ("old", "new", "exc", "message", "line"),
    [
        (
            "Values;6;",
            "Values;7;",
            CaptureFormatError,
            "'Values;7;' at line 20 but the file ends after 6",
            26,
        ),
        ("98000000.000000;", "nan;", CaptureFormatError, "not a number in column 1: 'nan'", 23),
        ("98000000.000000;", "93000000.000000;", CaptureFormatError, "not strictly increasing", 23),
        ("y-Unit;dBm;", "y-Unit;dBc;", UnitError, "unknown level unit 'dBc'", 19),
        (
            "-69.0;",
            "-69.0;1.5;",
            CaptureFormatError,
            r"3 values, expected 2 \(mismatched column count\)",
            23,
        ),
        ("Values;6;\r\n", "", CaptureFormatError, "missing data marker", 20),
        ("x-Unit;Hz;", "x-Unit;s;", CaptureFormatError, "x-Unit 's' is not a frequency axis", 18),
    ],
)
def test_rs_bad_input(
    old: str,
    new: str,
    exc: type,
    message: str,
    line: int,
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
) -> None:
    p = edited_fixture("rs/fsv_analyzer_single.CSV", old, new)
    assert_load_error(p, exc, message, line, fmt="rs-ascii")


ZERO_SPAN = "a zero-span export (a time record, not a spectrum) is not supported"


@pytest.mark.parametrize(
    ("start", "stop", "message"),
    [
        (
            "Start;0.000000;s;",
            "Stop;0.100000;s;",
            f"no x-Unit, and Start/Stop are stated in 's': {ZERO_SPAN}",
        ),
        (
            "Start;100000000.000000;Hz;",
            "Stop;100000000.000000;Hz;",
            f"no x-Unit, and Start = Stop = 100 MHz: {ZERO_SPAN}",
        ),
    ],
)
def test_rs_zero_span_without_x_unit_is_refused(
    start: str, stop: str, message: str, tmp_path: Path, fixture_file: Callable[[str], Path]
) -> None:
    """No ``x-Unit``: a time record was read as a spectrum at 0-0.1 Hz."""
    text = fixture_file("rs/fsv_analyzer_single.CSV").read_bytes().decode("latin-1")
    text = text.replace("x-Unit;Hz;\r\n", "").replace("Start;90000000.000000;Hz;", start)
    p = tmp_path / "zero_span.CSV"
    p.write_bytes(text.replace("Stop;110000000.000000;Hz;", stop).encode("latin-1"))
    with pytest.raises(CaptureFormatError, match=re.escape(f"TRACE 1: {message}")) as info:
        load_capture(p)
    assert info.value.line == 9


def test_rs_axis_disagreement_without_x_unit_says_hz_was_assumed(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture("rs/fsv_analyzer_single.CSV", "x-Unit;Hz;\r\n", "")
    assert load_capture(p).warnings == ()  # the data bear the Hz reading out
    text = p.read_bytes().replace(b"Stop;110000000.000000;Hz;", b"Stop;120000000.000000;Hz;")
    p.write_bytes(text)
    assert load_capture(p).warnings == (
        "header stop frequency 120000000 Hz (line 9) disagrees with the data, which run to "
        "110000000 Hz (the file states no x-axis unit, so its x values were read as Hz)",
    )


def test_rs_axis_disagreement_with_x_unit_in_the_trace_block_says_no_unit_was_assumed(
    tmp_path: Path, fixture_file: Callable[[str], Path]
) -> None:
    """An ``x-Unit;Hz;`` in the TRACE block (ESRP-7) is the unit the reader used."""
    text = fixture_file("rs/esr_receiver_decimal_comma.DAT").read_bytes().decode("latin-1")
    text = text.replace("x-Unit;Hz;\r\n", "", 1).replace("Stop;160000,000000", "Stop;1000000", 1)
    p = tmp_path / "trace_x_unit.DAT"
    p.write_bytes(text.encode("latin-1"))
    stated = (
        "header stop frequency 1000000 Hz (line 7) disagrees with the data, which run to 160000 Hz"
    )
    assert f"{stated} (the file states no x-axis unit, so its x values were read as Hz)" in (
        load_capture(p).warnings
    )
    for n in (1, 2):  # each trace states its x-Unit, as the ESRP-7's TRACE block does
        text = text.replace(f"TRACE {n}:\r\n", f"TRACE {n}:\r\nx-Unit;Hz;\r\n")
    p.write_bytes(text.encode("latin-1"))
    notes = load_capture(p).warnings
    assert stated in notes
    assert not [n for n in notes if "no x-axis unit" in n]


def test_rs_truncated_block_followed_by_next_trace(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture("rs/esr_receiver_decimal_comma.DAT", "Values;5;", "Values;6;")
    with pytest.raises(
        CaptureFormatError, match=r"'Values;6;' at line 25 but row 6 is 'TRACE 2:'"
    ) as info:
        load_capture(p)
    assert info.value.line == 31


def test_rs_more_rows_than_declared(
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
) -> None:
    p = edited_fixture("rs/fsv_analyzer_single.CSV", "Values;6;", "Values;5;")
    with pytest.raises(CaptureFormatError, match="more data rows than declared") as info:
        load_capture(p)
    assert info.value.line == 26


# --- Keysight X-series ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start", "stop", "rbw", "first", "last"),
    [
        (
            "keysight_n9038a_mxe_30-300M_onetrace.csv",
            30e6,
            300e6,
            10e3 * 2**0.5,  # 'RBW,10000' with 'RBW Filter BW,3dB': 14.14 kHz at -6 dB
            12.7683034120476,
            8.31183394722589,
        ),
        (
            "keysight_n9038a_mxe_150k-1.15M_maxhold.CSV",
            150e3,
            1.15e6,
            9e3,
            14.5780774339612,
            4.72852299509577,
        ),
    ],
)
def test_keysight_real_one_trace(
    name: str,
    start: float,
    stop: float,
    rbw: float,
    first: float,
    last: float,
    real_capture: Callable[[str], Path],
) -> None:
    cap = load_capture(real_capture(name))
    assert cap.provenance is not None and cap.provenance.format == "keysight-xseries"
    (tr,) = cap.traces
    assert tr.n_points == 1001 and (tr.start_hz, tr.stop_hz) == (start, stop)
    assert (
        tr.unit is LevelUnit.DBUV and tr.detector is Detector.PEAK and tr.mode is TraceMode.MAX_HOLD
    )
    assert (
        tr.rbw_hz == pytest.approx(rbw, rel=1e-12)
        and tr.level[0] == pytest.approx(first)
        and tr.level[-1] == pytest.approx(last)
    )
    assert cap.instrument.model == "N9038A" and cap.instrument.firmware == "A.25.08"


def test_keysight_real_all_traces_drops_sentinel(real_capture: Callable[[str], Path]) -> None:
    cap = load_capture(real_capture("keysight_n9038a_mxe_30-300M_alltraces.csv"))
    assert [t.name for t in cap.traces] == ["Trace1", "Trace2", "Trace3", "Trace4"]
    assert [t.mode for t in cap.traces] == [
        TraceMode.MAX_HOLD,
        TraceMode.CLEAR_WRITE,
        TraceMode.MAX_HOLD,
        TraceMode.MAX_HOLD,
    ]
    assert all(t.detector is Detector.PEAK and t.n_points == 1001 for t in cap.traces)
    assert cap.traces[3].level[0] == pytest.approx(21.9431479384983)
    assert cap.traces[0].rbw_hz == 120e3 and cap.traces[0].vbw_hz == 91e3
    assert len([w for w in cap.warnings if "-893.01029995664" in w]) == 2


def test_keysight_emi_receiver_mode_detectors(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("keysight/mxe_emi_receiver_alltrace.csv"))
    assert [t.detector for t in cap.traces] == [
        Detector.PEAK,
        Detector.QUASI_PEAK,
        Detector.CISPR_AVERAGE,
    ]
    assert cap.metadata["Mode"] == "EMI Receiver" and cap.instrument.model == "N9038B"
    np.testing.assert_allclose(cap.traces[1].level, [35.25, 36.25, 37.25, 38.25])
    assert cap.warnings == ("Trace4: unused trace (every point -893.01029995664) dropped",)


def test_keysight_gain_and_offset_already_applied_are_noted(
    edited_fixture: Callable[..., Path],
) -> None:
    """External Gain / Ref Level Offset are in the trace data: giving them again double-counts."""
    p = edited_fixture(
        "keysight/mxe_emi_receiver_alltrace.csv",
        "Attenuation,10\r\n",
        "Attenuation,10\r\nRef Level Offset,0\r\nExternal Gain,20\r\n",
    )
    cap = load_capture(p)
    assert cap.warnings[0] == (
        "External Gain 20 dB is already applied to the trace data by the instrument; "
        "do not also give --preamp-gain for that amplifier"
    )
    assert not any("Ref Level Offset" in w for w in cap.warnings)  # 0: nothing to say
    np.testing.assert_allclose(cap.traces[1].level, [35.25, 36.25, 37.25, 38.25])  # unchanged


@pytest.mark.parametrize(
    ("old", "new", "exc", "message", "line"),
    [
        (
            "Number of Points,3",
            "Number of Points,4",
            CaptureFormatError,
            "file ends after 3 data rows",
            17,
        ),
        ("1500000000,", "nan,", CaptureFormatError, "not a number in column 1: 'nan'", 16),
        ("1500000000,", "500000000,", CaptureFormatError, "not strictly increasing", 16),
        ("Y Axis Units,dBm", "Y Axis Units,dBFS", UnitError, "unknown level unit 'dBFS'", 13),
        ("-61.25", "-61.25,-70", CaptureFormatError, "3 values, expected 2", 16),
        ("DATA\r\n", "", CaptureFormatError, "missing data marker", 14),
    ],
)
def test_keysight_bad_input(
    old: str,
    new: str,
    exc: type,
    message: str,
    line: int,
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
) -> None:
    p = edited_fixture("keysight/mxa_swept_onetrace.csv", old, new)
    assert_load_error(p, exc, message, line)


# --- Keysight N9343C -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start", "stop", "rbw", "first", "last", "stamp"),
    [
        (
            "keysight_n9343c_rfi_1M-1G_maxhold.CSV",
            1e6,
            1e9,
            1e3,
            -69.11134338,
            -103.5172577,
            "2019-04-16T07:16:24",
        ),
        (
            "keysight_n9343c_rfi_325-329M_maxhold.CSV",
            325e6,
            329e6,
            300.0,
            -84.81233978,
            -97.52627563,
            "2019-04-01T00:37:17",
        ),
    ],
)
def test_n9343_real(
    name: str,
    start: float,
    stop: float,
    rbw: float,
    first: float,
    last: float,
    stamp: str,
    real_capture: Callable[[str], Path],
) -> None:
    cap = load_capture(real_capture(name))
    assert cap.provenance is not None and cap.provenance.format == "keysight-n9343"
    (tr,) = cap.traces
    assert tr.n_points == 461 and (tr.start_hz, tr.stop_hz) == (start, stop)
    assert (
        tr.unit is LevelUnit.DBM and tr.detector is Detector.PEAK and tr.mode is TraceMode.MAX_HOLD
    )
    assert (
        tr.rbw_hz == pytest.approx(rbw, rel=1e-12)
        and tr.level[0] == pytest.approx(first)
        and tr.level[-1] == pytest.approx(last)
    )
    assert cap.instrument.model == "N9343C" and cap.instrument.serial == "CN06050901"
    assert cap.instrument.firmware == "A.05.08" and cap.timestamp == stamp
    assert cap.metadata["Apply Corrections"] == "OFF"


def test_n9343_with_and_without_block_prefix_agree(fixture_file: Callable[[str], Path]) -> None:
    a = load_capture(fixture_file("keysight/n9343c_noprefix.CSV")).traces[0]
    b = load_capture(fixture_file("keysight/n9343c_prefixed.CSV")).traces[0]
    np.testing.assert_array_equal(a.level, b.level)
    assert a.detector is Detector.SAMPLE and a.mode is TraceMode.CLEAR_WRITE
    assert (a.rbw_hz, a.vbw_hz, a.sweep_time_s, a.unit) == (9e3, 30e3, 0.25, LevelUnit.DBUV)


def test_n9343_block_prefix_after_a_byte_order_mark(
    fixture_file: Callable[[str], Path], tmp_path: Path
) -> None:
    """An editor's re-save puts a UTF-8 BOM before the SCPI block prefix: read all the same."""
    p = tmp_path / "bom.CSV"
    p.write_bytes(b"\xef\xbb\xbf" + fixture_file("keysight/n9343c_prefixed.CSV").read_bytes())
    cap = load_capture(p)
    assert cap.provenance is not None and cap.provenance.format == "keysight-n9343"
    want = load_capture(fixture_file("keysight/n9343c_noprefix.CSV")).traces[0]
    np.testing.assert_array_equal(cap.traces[0].level, want.level)


@pytest.mark.parametrize(
    ("old", "new", "exc", "message", "line"),
    [
        (
            "Number of Points,4",
            "Number of Points,5",
            CaptureFormatError,
            "file ends after 4 data rows",
            24,
        ),
        ("+1.000000000e+07,", "nan,", CaptureFormatError, "not a number in column 1: 'nan'", 22),
        (
            "+1.000000000e+07,",
            "+1.000000000e+05,",
            CaptureFormatError,
            "not strictly increasing",
            22,
        ),
        ("Y Axis Unit,dBuV", "Y Axis Unit,dBFS", UnitError, "unknown level unit 'dBFS'", 7),
        (
            "+3.850000000e+01,",
            "+3.850000000e+01,7,",
            CaptureFormatError,
            "3 values, expected 2",
            22,
        ),
        ("Trace Data\r\n", "", CaptureFormatError, "missing data marker", 20),
    ],
)
def test_n9343_bad_input(
    old: str,
    new: str,
    exc: type,
    message: str,
    line: int,
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
) -> None:
    p = edited_fixture("keysight/n9343c_prefixed.CSV", old, new)
    assert_load_error(p, exc, message, line)


# --- header/data agreement and data a reader does not use ----------------------------------


def test_rs_single_trace_keeps_the_instruments_trace_number(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture("rs/fsv_analyzer_single.CSV", "Trace Mode;", "Trace;2;\r\nTrace Mode;")
    (tr,) = load_capture(p).traces
    assert tr.name == "TRACE 2"


def test_rs_header_stop_disagreeing_with_data_is_a_warning(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture(
        "rs/fsv_analyzer_single.CSV", "Stop;110000000.000000;", "Stop;120000000.000000;"
    )
    cap = load_capture(p)
    assert cap.warnings == (  # rows that stop short of the span (an overrun is refused)
        "header stop frequency 120000000 Hz (line 9) disagrees with the data, "
        "which run to 110000000 Hz",
    )


def test_keysight_header_stop_disagreeing_with_data_is_a_warning(
    edited_fixture: Callable[..., Path],
) -> None:
    # as an N9038A file that states Stop Frequency 5.9546 GHz over data running to 6 GHz
    p = edited_fixture(
        "keysight/mxa_swept_onetrace.csv",
        "RBW,",
        "Start Frequency,1000000000\r\nStop Frequency,5954600000\r\nRBW,",
    )
    p.write_bytes(p.read_bytes().replace(b"2000000000,-62", b"6000000000,-62"))
    cap = load_capture(p)
    assert cap.warnings == (
        "header stop frequency 5954600000 Hz (line 8) disagrees with the data, "
        "which run to 6000000000 Hz",
    )


def test_keysight_rows_after_a_text_line_are_not_dropped(
    edited_fixture: Callable[..., Path],
) -> None:
    # no 'Number of Points': a 'Marker 1,...' line inside the data used to end the block
    # silently, hiding the 120 dBuV row after it
    p = edited_fixture(
        "keysight/mxa_swept_onetrace.csv",
        "1500000000,-61.25\r\n",
        "1500000000,-61.25\r\nMarker 1,1500000000,-61.25\r\n1750000000,120\r\n",
    )
    p.write_bytes(p.read_bytes().replace(b"Number of Points,3\r\n", b""))
    with pytest.raises(
        CaptureFormatError, match="data row after the end of the data block"
    ) as info:
        load_capture(p)
    assert info.value.line == 17
    assert "'Marker 1,1500000000,-61.25' at line 16" in str(info.value)


def test_keysight_content_after_the_declared_points_is_named(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture(
        "keysight/mxa_swept_onetrace.csv",
        "2000000000,-62",
        "2000000000,-62\r\nDATA\r\nTrailer text",
    )
    cap = load_capture(p)
    assert cap.warnings == ("lines 18-19 after the DATA rows are not used (first: 'DATA')",)
    q = edited_fixture(
        "keysight/mxa_swept_onetrace.csv",
        "2000000000,-62",
        "2000000000,-62\r\nDATA\r\n2500000000,99",
    )
    with pytest.raises(
        CaptureFormatError, match="data row after the end of the data block"
    ) as info:
        load_capture(q)
    assert info.value.line == 19


@pytest.mark.parametrize("padding", [",,,\r\n", "\r\n,,,\r\n", ", ,\r\n,,\r\n\r\n"])
def test_keysight_lines_of_empty_fields_after_the_data_are_padding(
    edited_fixture: Callable[..., Path], padding: str
) -> None:
    """A spreadsheet's padding after the rows holds nothing: read without a note."""
    p = edited_fixture(
        "keysight/mxa_swept_onetrace.csv", "2000000000,-62\r\n", f"2000000000,-62\r\n{padding}"
    )
    cap = load_capture(p)
    assert not [w for w in cap.warnings if "not used" in w], cap.warnings
    assert cap.traces[0].n_points == 3


def test_keysight_text_after_padding_after_the_data_is_still_named(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture(
        "keysight/mxa_swept_onetrace.csv",
        "2000000000,-62\r\n",
        "2000000000,-62\r\n,,,\r\nTrailer text,,\r\n",
    )
    assert load_capture(p).warnings == (
        "line 19 after the DATA rows is not used (first: 'Trailer text,,')",
    )


#: An X-series trace CSV without the option line (line 4 is the first setting).
XSERIES_NO_OPTIONS = (
    "Trace\r\nSwept SA\r\nA.33.03,N9038B\r\nNumber of Points,3\r\nRBW,9000\r\n"
    "Trace Type,Maxhold\r\nDetector,Peak\r\nX Axis Units,Hz\r\nY Axis Units,dBuV\r\nDATA\r\n"
    "150000,40.5\r\n160000,41.25\r\n170000,39\r\n"
)


def test_xseries_without_an_option_line_reads_its_first_setting(tmp_path: Path) -> None:
    """'Number of Points' on line 4 was taken for the option list, and its count unchecked."""
    p = tmp_path / "trace.csv"
    p.write_text(XSERIES_NO_OPTIONS, encoding="ascii")
    cap = load_capture(p)
    assert cap.instrument.options == "" and cap.instrument.model == "N9038B"
    (tr,) = cap.traces
    assert tr.level.tolist() == [40.5, 41.25, 39.0] and tr.mode is TraceMode.MAX_HOLD


def test_xseries_without_a_mode_line_reads_its_model_and_says_so(tmp_path: Path) -> None:
    """Without line 2 (the mode), the option list was read as firmware '526 CR3 EMC', model '01'."""
    p = tmp_path / "trace.csv"
    text = XSERIES_NO_OPTIONS.replace("Swept SA\r\nA.33.03,N9038B\r\n", "A.33.03,N9038B\r\n")
    p.write_text(text.replace("N9038B\r\n", "N9038B\r\n526 CR3 EMC,01\r\n", 1))
    cap = load_capture(p)
    assert (cap.instrument.model, cap.instrument.firmware) == ("N9038B", "A.33.03")
    assert cap.instrument.options == "526 CR3 EMC" and cap.metadata["Mode"] == ""
    assert any("line 2 is the firmware and model line" in w for w in cap.warnings)
    assert cap.traces[0].level.tolist() == [40.5, 41.25, 39.0]


def test_xseries_without_a_firmware_model_line_states_no_model(tmp_path: Path) -> None:
    """An option list where the firmware and model belong is not read as them."""
    p = tmp_path / "trace.csv"
    p.write_text(XSERIES_NO_OPTIONS.replace("A.33.03,N9038B", "526 CR3 EMC,01"))
    cap = load_capture(p)
    assert (cap.instrument.model, cap.instrument.firmware) == ("", "")
    assert cap.instrument.options == "526 CR3 EMC" and cap.metadata["Mode"] == "Swept SA"
    assert any("not the '<firmware>,<model>' line" in w for w in cap.warnings)


def test_xseries_without_an_option_line_is_checked_for_truncation(tmp_path: Path) -> None:
    p = tmp_path / "trace.csv"
    p.write_text(XSERIES_NO_OPTIONS.replace("Number of Points,3", "Number of Points,5"))
    with pytest.raises(CaptureFormatError, match="'Number of Points,5' at line 4 but the file"):
        load_capture(p)


@pytest.mark.parametrize("x_unit", ["", "X Axis Units,Hz\r\n"])
def test_keysight_zero_span_is_refused_with_or_without_x_axis_units(
    x_unit: str, edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    """Start = Stop Frequency: a time record, not a 0-0.1 Hz spectrum."""
    p = edited_fixture(
        "keysight/mxa_swept_onetrace.csv",
        "X Axis Units,Hz\r\n",
        "Start Frequency,1000000\r\nStop Frequency,1000000\r\n" + x_unit,
    )
    assert_load_error(
        p,
        CaptureFormatError,
        re.escape(
            "zero-span export (Start Frequency = Stop Frequency = 1 MHz): its rows are a time "
            "record, not a spectrum"
        ),
        13,
    )


def test_keysight_axis_disagreement_without_x_axis_units_says_hz_was_assumed(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture(
        "keysight/mxa_swept_onetrace.csv",
        "X Axis Units,Hz\r\n",
        "Start Frequency,1000000000\r\nStop Frequency,3000000000\r\n",
    )
    assert load_capture(p).warnings == (
        "header stop frequency 3000000000 Hz (line 13) disagrees with the data, which run to "
        "2000000000 Hz (the file states no x-axis unit, so its x values were read as Hz)",
    )


def _spectrogram(frames: int) -> str:
    """Return an FSW-style spectrogram export (all frames, each with its number and time)."""
    rows = "150000;40.5;\r\n300000;42.25;\r\n450000;39.0;\r\n"
    body = "".join(
        f"Frame;{-k};\r\nTimestamp;14.Feb 2026;10:00:0{k}.000;\r\nValues;3;\r\n{rows}"
        for k in range(frames)
    )
    head = FPL_HEADER.replace("Mode;ANALYZER;", "Mode;ANALYZER;SPECTROGRAM;")
    return (
        head
        + f"Trace 1;;\r\nTrace Mode;CLR/WRITE;\r\nDetector;MAXPEAK;\r\nFrames;{frames};\r\n"
        + body
    )


def test_rs_spectrogram_of_several_frames_is_refused_by_name(tmp_path: Path) -> None:
    """It was "'Values' line outside a trace section" at the second frame."""
    p = tmp_path / "spectrogram.DAT"
    p.write_text(_spectrogram(3), encoding="latin-1")
    with pytest.raises(CaptureFormatError) as info:
        load_capture(p)
    assert info.value.line == 18  # the 'Frames;3;' line
    assert "a spectrogram export ('Frames;3;'): its frames are not read" in str(info.value)


def test_rs_spectrogram_of_one_frame_is_read_as_a_sweep_and_said(tmp_path: Path) -> None:
    p = tmp_path / "spectrogram.DAT"
    p.write_text(_spectrogram(1), encoding="latin-1")
    cap = load_capture(p)
    assert cap.traces[0].level.tolist() == [40.5, 42.25, 39.0]
    assert "a spectrogram export of one frame: read as one sweep" in cap.warnings


def test_xseries_spectrogram_is_refused_by_name(tmp_path: Path) -> None:
    """The second frame's 'DATA1,<time>' line follows the first frame's rows."""
    p = tmp_path / "spectrogram.csv"
    frame = "150000,40.5\r\n160000,41.25\r\n170000,39\r\n"
    text = XSERIES_NO_OPTIONS.replace("DATA\r\n", "DATA,1729.523\r\n") + "DATA1,1729.623\r\n"
    p.write_text(text + frame, encoding="ascii")
    with pytest.raises(CaptureFormatError) as info:
        load_capture(p)
    assert info.value.line == 14
    assert "a spectrogram export ('DATA1' starts a second frame)" in str(info.value)


def test_xseries_line_3_with_the_model_alone_reads_the_model(tmp_path: Path) -> None:
    p = tmp_path / "trace.csv"
    p.write_text(XSERIES_NO_OPTIONS.replace("A.33.03,N9038B", "N9038B"))
    cap = load_capture(p)
    assert (cap.instrument.model, cap.instrument.firmware) == ("N9038B", "")
    assert any("states the model 'N9038B' without a firmware revision" in w for w in cap.warnings)
