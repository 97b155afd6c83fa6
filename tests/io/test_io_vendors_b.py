"""Readers for Rigol, Tektronix SignalVu, tinySA/QtTinySA, Signal Hound Spike and generic CSV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.capture import Detector, SampleKind, TraceMode
from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError
from rfcheck.io import detect_format, load_capture
from rfcheck.io.generic_csv import read_generic_csv
from rfcheck.io.rigol import read_rigol
from rfcheck.io.signalhound import read_signalhound
from rfcheck.io.tektronix import read_tektronix
from rfcheck.io.tinysa import read_tinysa
from rfcheck.units import LevelUnit


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode() if isinstance(text, str) else text)
    return p


# --- Tektronix -------------------------------------------------------------------------------


@pytest.mark.real
@pytest.mark.parametrize(
    ("name", "points", "start", "stop", "unit", "rbw"),
    [
        ("tek_rsa500_signalvu_150k-1.15M_dBuVm.csv", 801, 150e3, 1.15e6, LevelUnit.DBUV_M, 9e3),
        ("tek_rsa500_signalvu_30-300M_dBuVm.csv", 801, 30e6, 300e6, LevelUnit.DBUV_M, 120e3),
        ("tek_rsa500_signalvu_200k-30M_monopole.csv", 2401, 200e3, 30e6, LevelUnit.DBUV, 10e3),
    ],
)
def test_tektronix_real(
    name: str,
    points: int,
    start: float,
    stop: float,
    unit: LevelUnit,
    rbw: float,
    real_capture: Callable[[str], Path],
) -> None:
    cap = load_capture(real_capture(name))
    assert cap.provenance is not None and cap.provenance.format == "tektronix"
    (tr,) = cap.traces
    assert (tr.n_points, tr.unit, tr.detector, tr.mode) == (
        points,
        unit,
        Detector.PEAK,
        TraceMode.MAX_HOLD,
    )
    assert tr.start_hz == pytest.approx(start) and tr.stop_hz == pytest.approx(stop)
    assert tr.rbw_hz == rbw
    assert cap.instrument.vendor == "Tektronix"


@pytest.mark.real
def test_tektronix_real_spot_values(real_capture: Callable[[str], Path]) -> None:
    cap = read_tektronix(real_capture("tek_rsa500_signalvu_150k-1.15M_dBuVm.csv"))
    tr = cap.traces[0]
    assert cap.timestamp == "2023-10-20T15:21:12"
    # value-first rows: '41.522819519042969,150000' and '30.482309341430664,1150000'
    assert tr.level[0] == pytest.approx(41.522819519042969)
    assert tr.level[-1] == pytest.approx(30.482309341430664)
    assert tr.freq_hz[1] == pytest.approx(151250)
    mono = read_tektronix(real_capture("tek_rsa500_signalvu_200k-30M_monopole.csv")).traces[0]
    assert mono.freq_hz[1] == pytest.approx(212416.66666666666)  # 30-digit frequencies
    assert mono.level[-1] == pytest.approx(43.746368408203125)


def test_tektronix_spectrum_fixture(fixture_file: Callable[[str], Path]) -> None:
    cap = read_tektronix(fixture_file("tektronix/signalvu_spectrum.csv"))
    tr = cap.traces[0]
    np.testing.assert_allclose(tr.freq_hz, [150e3, 400e3, 650e3, 900e3, 1.15e6])
    np.testing.assert_allclose(tr.level, [41.5, 42.25, 63.5, 40.0, 30.75])
    assert tr.unit is LevelUnit.DBUV_M and tr.detector is Detector.PEAK
    assert cap.metadata["display"] == "Spectrum"


def test_tektronix_emc_two_traces(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("tektronix/signalvu_emc_2traces.csv"))
    a, b = cap.traces
    assert (a.name, a.detector, a.mode, a.dwell_s) == (
        "Scan1",
        Detector.PEAK,
        TraceMode.MAX_HOLD,
        0.01,
    )
    assert (b.name, b.detector, b.mode) == ("Scan2", Detector.CISPR_AVERAGE, TraceMode.CLEAR_WRITE)
    np.testing.assert_allclose(a.freq_hz, [1e6, 1.002e6, 1.004e6])  # frequency-first rows
    assert a.level[0] == 45.09 and b.level[-1] == 33.0
    assert a.rbw_hz == 9000 and a.vbw_hz == 1e6 and a.unit is LevelUnit.DBUV


def _two_ranges(fixture: Path, tmp_path: Path, ranges: str) -> Path:
    """Return the EMC-EMI fixture with its one range replaced by ``ranges`` ([Parameters] rows)."""
    text = fixture.read_text(encoding="utf-8")
    head, rest = text.split("Ranges,,C,,\n", 1)
    rest = rest.split("VBW Enable", 1)[1]
    out = tmp_path / "emc_ranges.csv"
    out.write_text(head + ranges + "VBW Enable" + rest, encoding="utf-8")
    return out


def test_tektronix_emc_ranges_of_different_rbws_split_the_trace(
    fixture_file: Callable[[str], Path], tmp_path: Path
) -> None:
    """Ranges A (9 kHz) and B (120 kHz): the first range's RBW was given to the whole trace.

    As the R&S reader splits a receiver scan per range, each part keeps its range's RBW.
    """
    ranges = (
        "Ranges,,A,,B,,\nEnabled,,true,,true,,\n"
        "Start Frequency,,1000000,Hz,1002000,Hz,\nStop Frequency,,1002000,Hz,1004000,Hz,\n"
        "RBW,,9000,Hz,120000,Hz,\n"
    )
    cap = load_capture(
        _two_ranges(fixture_file("tektronix/signalvu_emc_2traces.csv"), tmp_path, ranges)
    )
    assert [(t.name, t.rbw_hz, list(t.freq_hz)) for t in cap.traces] == [
        ("Scan1 range A", 9000.0, [1e6, 1.002e6]),  # the shared boundary: the lower range
        ("Scan1 range B", 120000.0, [1.004e6]),
        ("Scan2 range A", 9000.0, [1e6, 1.002e6]),
        ("Scan2 range B", 120000.0, [1.004e6]),
    ]


def test_tektronix_emc_range_parts_are_noted_once_each_by_their_own_name(
    fixture_file: Callable[[str], Path], tmp_path: Path
) -> None:
    """A Kaiser RBW on two ranges: each part's note names it, none twice."""
    ranges = (
        "Ranges,,A,,B,,\nStart Frequency,,1000000,Hz,1002000,Hz,\n"
        "Stop Frequency,,1002000,Hz,1004000,Hz,\nRBW,,9000,Hz,120000,Hz,\n"
        "RBW Window Type,Kaiser,\n"
    )
    path = _two_ranges(fixture_file("tektronix/signalvu_emc_2traces.csv"), tmp_path, ranges)
    cap = load_capture(path)
    assert all(t.rbw_hz is None for t in cap.traces)
    named = [w.split("'")[1] for w in cap.warnings if "Kaiser" in w]
    assert named == ["Scan1 range A", "Scan1 range B", "Scan2 range A", "Scan2 range B"]


def test_tektronix_emc_ranges_that_place_no_point_leave_no_rbw(
    fixture_file: Callable[[str], Path], tmp_path: Path
) -> None:
    ranges = (  # the ranges do not reach 1.004 MHz: that point is in no range
        "Ranges,,A,,B,,\nStart Frequency,,1000000,Hz,1001000,Hz,\n"
        "Stop Frequency,,1001000,Hz,1003000,Hz,\nRBW,,9000,Hz,120000,Hz,\n"
    )
    cap = load_capture(
        _two_ranges(fixture_file("tektronix/signalvu_emc_2traces.csv"), tmp_path, ranges)
    )
    assert [(t.name, t.rbw_hz) for t in cap.traces] == [("Scan1", None), ("Scan2", None)]
    assert cap.warnings[0] == (
        "trace 'Scan1': the EMC-EMI ranges state different RBWs (range A RBW 9000 Hz, range B "
        "RBW 120000 Hz) and their Start/Stop do not place every point in one range: the trace "
        "has no single RBW"
    )


def test_tektronix_emc_disabled_range_does_not_split(
    fixture_file: Callable[[str], Path], tmp_path: Path
) -> None:
    ranges = (
        "Ranges,,A,,B,,\nEnabled,,true,,false,,\n"
        "Start Frequency,,1000000,Hz,30000000,Hz,\nStop Frequency,,1004000,Hz,1000000000,Hz,\n"
        "RBW,,9000,Hz,120000,Hz,\n"
    )
    cap = load_capture(
        _two_ranges(fixture_file("tektronix/signalvu_emc_2traces.csv"), tmp_path, ranges)
    )
    assert [(t.name, t.rbw_hz) for t in cap.traces] == [("Scan1", 9000.0), ("Scan2", 9000.0)]


def test_tektronix_emc_data_short_of_the_ranges_span_is_noted(
    fixture_file: Callable[[str], Path], tmp_path: Path
) -> None:
    """Range C states 1-11 MHz, the data end at 1.004 MHz (a cut file).

    The Spectrum display's XStart/XStop are checked against the data; the EMC-EMI ranges'
    Start/Stop were not.
    """
    fixture = fixture_file("tektronix/signalvu_emc_2traces.csv")
    ranges = (
        "Ranges,,C,,\nEnabled,,true,,\nStart Frequency,,1000000,Hz,\n"
        "Stop Frequency,,11000000,Hz,\nRBW,,9000,Hz,\n"
    )
    cap = load_capture(_two_ranges(fixture, tmp_path, ranges))
    assert cap.warnings == (
        "traces 'Scan1', 'Scan2': the data cover 1 MHz to 1.004 MHz, but the enabled EMC-EMI "
        "range C spans 1 MHz to 11 MHz (Start/Stop Frequency): the data do not reach the "
        "ranges' span (file cut, or exported in part?)",
    )
    # the data reach it within one point spacing (2 kHz): nothing to say, as on the fixture
    ranges = ranges.replace("11000000", "1005000")
    assert load_capture(_two_ranges(fixture, tmp_path, ranges)).warnings == ()
    assert load_capture(fixture).warnings == ()


def _tek(
    tmp_path: Path, unit: str = "dBuV", points: int = 3, rows: str = "1.0,100\n2.0,200\n3.0,300\n"
) -> Path:
    text = (
        "Spectrum,10/20/2023 3:21:12 PM\r\n[Global Parameters]\nFrequency,1,Hz\n\n"
        "[Traces]\n[Trace]\n"
        f"Trace 1,,{unit},-1,-1\nNumberPoints,{points}\nXStart,100,Hz\nXStop,300,Hz\n{rows}"
    )
    return write(tmp_path, "t.csv", text)


@pytest.mark.parametrize(
    ("kwargs", "message", "line"),
    [
        ({"unit": "dBc"}, "unknown level unit 'dBc'", 7),
        ({"points": 4}, "3 data rows but NumberPoints is 4", 13),
        ({"rows": "1.0,100\n2.0,x\n3.0,300\n"}, "not a number in column 2: 'x'", 12),
        ({"rows": "1.0,100\n2.0,200,5\n3.0,300\n"}, "row has 3 fields, expected 2", 12),
        ({"rows": "1.0,100\n2.0,300\n3.0,200\n"}, "not strictly increasing", None),
        ({"rows": "100,1.0\n200,2.0\n300,3.0\n"}, "XStart 100 Hz but the data has 1.0", 9),
    ],
)
def test_tektronix_bad(
    tmp_path: Path, kwargs: dict[str, object], message: str, line: int | None
) -> None:
    with pytest.raises(CaptureFormatError, match=message) as exc:
        read_tektronix(_tek(tmp_path, **kwargs))  # type: ignore[arg-type]
    assert exc.value.line == line and exc.value.path is not None


def test_tektronix_no_traces(tmp_path: Path) -> None:
    p = write(tmp_path, "t.csv", "Spectrum,10/20/2023 3:21:12 PM\n[Global Parameters]\nA,1,\n")
    with pytest.raises(CaptureFormatError, match=r"no \[Traces\]"):
        read_tektronix(p)


# --- tinySA ----------------------------------------------------------------------------------


@pytest.mark.real
def test_tinysa_real_noheader(real_capture: Callable[[str], Path]) -> None:
    cap = load_capture(real_capture("tinysa_qttinysa_2.39G_rbw300_5traces_noheader.CSV"))
    assert cap.provenance is not None and cap.provenance.format == "tinysa"
    assert len(cap.traces) == 5
    tr = cap.traces[0]
    assert tr.n_points == 600 and tr.unit is None
    assert (tr.start_hz, tr.stop_hz) == (2.39e9, 2.45e9)
    assert tr.level[0] == -116.03 and cap.traces[4].level[-1] == -109.16
    assert any("no level unit" in w for w in cap.warnings)
    assert (
        load_capture(
            real_capture("tinysa_qttinysa_2.39G_rbw300_5traces_noheader.CSV"), unit=LevelUnit.DBM
        )
        .traces[0]
        .unit
        is LevelUnit.DBM
    )


@pytest.mark.real
def test_tinysa_real_recording_max_hold(real_capture: Callable[[str], Path]) -> None:
    path = real_capture("tinysa_qttinysa_fmband_waterfall_columns.csv")
    cap = read_tinysa(path)
    (tr,) = cap.traces
    assert tr.mode is TraceMode.MAX_HOLD and tr.n_points == 615 and tr.unit is None
    assert (tr.start_hz, tr.stop_hz) == (87.5e6, 108e6)
    assert cap.metadata["sweeps"] == "50" and cap.timestamp == "2025-01-28T09:52:00"
    sweeps = np.loadtxt(path, delimiter=",", skiprows=1)
    np.testing.assert_array_equal(tr.level, sweeps.max(axis=1))


def test_tinysa_fixtures(fixture_file: Callable[[str], Path]) -> None:
    d = fixture_file("tinysa")
    noh = read_tinysa(d / "qttinysa_noheader.csv")
    assert [t.name for t in noh.traces] == ["trace 1", "trace 2", "trace 3"]
    assert noh.traces[1].level[1] == -107.0
    hdr = read_tinysa(d / "qttinysa_header.csv")
    assert [(t.name, t.unit) for t in hdr.traces] == [
        ("Trace 1", LevelUnit.DBM),
        ("Trace 2", LevelUnit.DBM),
    ]
    rec = read_tinysa(d / "qttinysa_recording.csv")
    np.testing.assert_allclose(rec.traces[0].level, [-80.0, -70.5, -84.0, -88.75])
    np.testing.assert_allclose(rec.traces[0].freq_hz, [100e6, 100.1e6, 100.2e6, 100.3e6])
    dev = read_tinysa(d / "device_sd.csv")
    assert dev.traces[0].level[2] == -60.0 and dev.traces[0].unit is None
    for f in d.iterdir():
        assert detect_format(f).name == "tinysa"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            "2025-01-28-095200,Start,100,Stop,400,fStep,100,Points,4,RBW,1,Each_Column=One_sweep\n-1.00,-2.00\n-3.00,-4.00\n",
            "2 rows but the header says Points 4",
            3,
        ),
        (
            "2025-01-28-095200,Start,100,Stop,400,fStep,250,Points,4,RBW,1,Each_Column=One_sweep\n-1.00\n-1.00\n-1.00\n-1.00\n",
            "fStep 250 Hz disagrees",
            1,
        ),
        (
            "2025-01-28-095200,Start,100,Stop,400,fStep,100,Points,4,RBW,1,Each_Column=One_sweep\n-1.00,-2.00\n-3.00\n-1.00,-2.00\n-1.00,-2.00\n",
            "missing value in column 2",
            3,
        ),
        ("100.00,-1.00\n200.00,-2.00\n150.00,-3.00\n", "not strictly increasing", None),
        ("100.00,-1.00\n200.00,-2.00\n300.00,-3.00,-4.00\n", "row has 3 fields", 3),
    ],
)
def test_tinysa_bad(tmp_path: Path, text: str, message: str, line: int | None) -> None:
    with pytest.raises(CaptureFormatError, match=message) as exc:
        read_tinysa(write(tmp_path, "t.csv", text))
    assert exc.value.line == line


def test_qttinysa_one_decimal_export_with_empty_buffers_is_read(tmp_path: Path) -> None:
    """Later QtTinySA exports write the frequency with one decimal and 'nan' for empty buffers.

    Only '%.2f' rows were recognised: such a file was "unrecognised capture format" (a
    real QtTinySA export of 2026-04-03).
    """
    rows = "93100000.0,-80.5,nan,nan\n93100333.0,-81.25,nan,nan\n93100667.0,-79.0,nan,nan\n"
    path = write(tmp_path, "2026-04-03-102753_RBW1_x.csv", rows)
    assert detect_format(path).name == "tinysa"
    cap = load_capture(path)
    (tr,) = cap.traces
    assert list(tr.freq_hz) == [93100000.0, 93100333.0, 93100667.0]
    assert list(tr.level) == [-80.5, -81.25, -79.0]
    assert "column(s) 3, 4: every level is 'nan' (empty trace buffers); dropped" in cap.warnings


def test_qttinysa_empty_buffer_before_a_filled_one_is_dropped(tmp_path: Path) -> None:
    """Only trailing 'nan' columns were dropped: trace 1 off, trace 2 on was refused."""
    rows = "30000000.0,nan,-76.20,nan\n30000333.0,nan,-77.25,nan\n30000667.0,nan,-79.0,nan\n"
    cap = load_capture(write(tmp_path, "2026-04-03-102753_RBW100_lead.csv", rows))
    (tr,) = cap.traces
    assert list(tr.level) == [-76.2, -77.25, -79.0]
    assert "column(s) 2, 4: every level is 'nan' (empty trace buffers); dropped" in cap.warnings


def test_tinysa_sweep_below_any_tinysa_range_is_noted(tmp_path: Path) -> None:
    """A header-less '%.2f' file in MHz read as Hz (1.3888-1.411 kHz) says so."""
    rows = "1388.80,-102.08\n1389.00,-97.67\n1389.20,-96.67\n"
    cap = load_capture(write(tmp_path, "rfe.csv", rows))
    assert cap.traces[0].freq_hz[0] == 1388.8  # read as the format says: Hz
    (note,) = [w for w in cap.warnings if "lowest frequency of any tinySA" in w]
    assert note.startswith("the sweep (1.3888 kHz .. 1.3892 kHz) lies wholly below 100 kHz")
    assert "convert its first column to Hz" in note
    fine = load_capture(write(tmp_path, "ok.csv", "99000.00,-1.00\n100000.00,-2.00\n"))
    assert not [w for w in fine.warnings if "tinySA" in w and "lowest" in w]


def test_qttinysa_export_with_no_sweep_says_so(tmp_path: Path) -> None:
    rows = "93100000.0,nan,nan\n93100333.0,nan,nan\n"
    with pytest.raises(CaptureFormatError, match="every level column is 'nan'"):
        read_tinysa(write(tmp_path, "2026-04-03-102753_RBW1_y.csv", rows))


# --- Rigol -----------------------------------------------------------------------------------


def test_rigol_dsa_fixture(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("rigol/dsa815_maxhold.csv"))
    assert cap.provenance is not None and cap.provenance.format == "rigol"
    (tr,) = cap.traces
    assert (tr.unit, tr.detector, tr.mode) == (LevelUnit.DBUV, Detector.PEAK, TraceMode.MAX_HOLD)
    assert (tr.n_points, tr.start_hz, tr.stop_hz) == (6, 150e3, 30e6)
    assert (tr.rbw_hz, tr.vbw_hz, tr.sweep_time_s) == (9e3, 30e3, 0.12)
    assert tr.level[2] == 41.10
    assert (cap.instrument.model, cap.instrument.serial) == ("DSA815", "DSA8A1234500001")
    assert cap.timestamp == "2024-03-05T14:22:33"


def test_rigol_rsa_fixture_drops_blank_trace(fixture_file: Callable[[str], Path]) -> None:
    cap = read_rigol(fixture_file("rigol/rsa5065_3traces.csv"))
    assert [(t.name, t.detector, t.mode) for t in cap.traces] == [
        ("Trace1", Detector.PEAK, TraceMode.MAX_HOLD),
        ("Trace2", Detector.RMS, TraceMode.AVERAGE),
    ]
    assert all(t.unit is LevelUnit.DBM for t in cap.traces)
    assert cap.traces[0].stop_hz == 300e6 and cap.traces[1].level[1] == -66.0
    assert any("blank" in w for w in cap.warnings)
    assert cap.instrument.model == "RSA5065"


def _rigol(tmp_path: Path, rows: str, unit: str = "dBm", points: int = 3) -> Path:
    text = (
        "RIGOL TECHNOLOGIES,DSA832,DSA8B1,00.01\nStart Frequency, 1.0e+06, Hz\n"
        f"Points, {points}\nUnit, {unit}\nFrequency,Amplitude\n{rows}"
    )
    return write(tmp_path, "r.csv", text)


@pytest.mark.parametrize(
    ("rows", "kwargs", "message", "line"),
    [
        ("1e6,-50\n2e6,-51\n3e6,-52\n", {"unit": "dBc"}, "unknown level unit 'dBc'", 4),
        ("1e6,-50\n2e6,-51\n", {}, "2 data rows but the header says 3 points", 7),
        ("1e6,-50\n2e6,nan\n3e6,-52\n", {}, "not a number in column 2: 'nan'", 7),
        ("1e6,-50\n2e6,-51,4\n3e6,-52\n", {}, "row has 3 fields, expected 2", 7),
        (
            "1e6,-50,dBuV\n2e6,-51,dBuV\n3e6,-52,dBuV\n",
            {},
            "conflicting level units dBm and dBµV",
            None,
        ),
    ],
)
def test_rigol_bad(
    tmp_path: Path, rows: str, kwargs: dict[str, object], message: str, line: int | None
) -> None:
    with pytest.raises(CaptureFormatError, match=message) as exc:
        read_rigol(_rigol(tmp_path, rows, **kwargs))  # type: ignore[arg-type]
    assert exc.value.line == line


TINYSA_NO_UNIT = (
    "the file states no level unit (the tinySA reads in dBm unless set otherwise, and QtTinySA "
    "always uses dBm); "
)


def test_tinysa_unit_note_says_state_it_until_given(fixture_file: Callable[[str], Path]) -> None:
    path = fixture_file("tinysa/device_sd.csv")
    assert TINYSA_NO_UNIT + "state it with --unit" in load_capture(path).warnings
    given = load_capture(path, unit=LevelUnit.DBM).warnings
    assert TINYSA_NO_UNIT + "unit dBm given by --unit" in given
    assert not [w for w in given if "state it with --unit" in w]


def test_tinysa_unit_given_on_the_command_line_is_noted_as_given(tmp_path: Path) -> None:
    rows = "".join(f"{f:.0f},-80.0\n" for f in np.linspace(30e6, 300e6, 601))
    path = tmp_path / "tinysa_dev.csv"
    path.write_text(rows)
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(path),
            "--limit",
            "fcc-15.109-b",
            "--antenna-factor",
            "15",
            "--unit",
            "dBm",
            "--detector",
            "peak",
        ],
    )
    assert result.exit_code == 4, result.output  # peak, RBW not stated: no upper bound on QP
    assert f"   note: {TINYSA_NO_UNIT}unit dBm given by --unit" in result.output.splitlines()
    assert "state it with --unit" not in result.output


def test_generic_column_unit_note_once_given(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "frequency_hz,level\n30e6,10\n31e6,11\n")
    assert load_capture(path, unit=LevelUnit.DBUV).warnings == (
        "column 'level' states no level unit; unit dBµV given by --unit",
    )


# --- Signal Hound ------------------------------------------------------------------------------


def test_signalhound_fixtures(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("signalhound/spike_minmax.csv"))
    assert cap.provenance is not None and cap.provenance.format == "signalhound"
    lo, hi = cap.traces
    assert (lo.detector, hi.detector) == (Detector.NEGATIVE_PEAK, Detector.PEAK)
    assert hi.unit is LevelUnit.DBM and hi.freq_hz[1] == pytest.approx(88.01e6)
    assert hi.level[2] == -60.25 and hi.rbw_hz == 10e3
    assert (cap.instrument.model, cap.instrument.serial) == ("BB60C", "20123456")
    one = read_signalhound(fixture_file("signalhound/spike_amplitude.csv"))
    # 'Detector,Average' with no 'Video Units': the averaging scale is not known
    assert one.traces[0].detector is Detector.UNKNOWN and one.traces[0].rbw_hz == 30e3


@pytest.mark.parametrize(
    ("preamble", "rbw_hz", "vbw_hz", "notes"),
    [
        ("RBW,120 kHz\nVBW,30 kHz\n", 120e3, 30e3, ()),
        ("RBW (Hz),120\nVBW (Hz),30\n", 120.0, 30.0, ()),
        ("RBW (kHz),120\nVBW (kHz),30\n", 120e3, 30e3, ()),  # not dropped silently
        (
            "RBW,120\nVBW,30 kHz\n",
            None,
            30e3,
            (
                "RBW '120' stated without a unit; not used (a unit is stated in the value, "
                "'RBW,10 kHz', or in the key, 'RBW (Hz),10000')",
            ),
        ),
        (
            "RBW,120 kHz\nVBW,30\n",
            120e3,
            None,
            (
                "VBW '30' stated without a unit; not used (a unit is stated in the value, "
                "'VBW,10 kHz', or in the key, 'VBW (Hz),10000')",
            ),
        ),
    ],
)
def test_signalhound_bandwidth_without_a_unit_is_not_guessed(
    tmp_path: Path,
    preamble: str,
    rbw_hz: float | None,
    vbw_hz: float | None,
    notes: tuple[str, ...],
) -> None:
    body = "Frequency (MHz),Min (dBm),Max (dBm)\n30,-86,-80\n30.45,-85,-79\n"
    cap = read_signalhound(write(tmp_path, "s.csv", "Signal Hound Spike,3.9.2\n" + preamble + body))
    assert all(t.rbw_hz == rbw_hz and t.vbw_hz == vbw_hz for t in cap.traces)
    assert cap.warnings == notes


@pytest.mark.parametrize(
    ("preamble", "sweep_s", "notes"),
    [
        ("Sweep Time,5 ms\n", 5e-3, ()),
        ("Sweep Time (s),0.12\n", 0.12, ()),
        ("Sweep Time (ms),50\n", 0.05, ()),  # any unit in the key (only (s) was once read)
        ("Sweep Time,2 s\n", 2.0, ()),
        (
            "Sweep Time,5\n",
            None,
            (
                "Sweep Time '5' stated without a unit; not used (a unit is stated in the value, "
                "'Sweep Time,5 ms', or in the key, 'Sweep Time (s),0.005')",
            ),
        ),
        ("Sweep Time,fast\n", None, ("Sweep Time 'fast' is not a number with a unit; not used",)),
    ],
)
def test_signalhound_sweep_time_keeps_its_unit(
    tmp_path: Path, preamble: str, sweep_s: float | None, notes: tuple[str, ...]
) -> None:
    """``Sweep Time,5 ms`` was read as 5 s (the unit dropped): a dwell 1000 times too long."""
    body = "Frequency (MHz),Min (dBm),Max (dBm)\n30,-86,-80\n30.45,-85,-79\n"
    text = "Signal Hound Spike,3.9.2\nRBW,120 kHz\n" + preamble + body
    cap = read_signalhound(write(tmp_path, "s.csv", text))
    assert all(t.sweep_time_s == sweep_s for t in cap.traces)
    assert cap.warnings == notes


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("Frequency (MHz),Amplitude (dBc)\n1,2\n", "unknown level unit 'dBc'", 2),
        ("Frequency (MHz),Amplitude\n1,2\n", "states no unit", 2),
        ("Frequency (MHz),Amplitude (dBm)\n1,2\n0.5,3\n", "not strictly increasing", None),
        ("Frequency (MHz),Amplitude (dBm)\n1,2\n2\n", "missing value in column 2", 4),
    ],
)
def test_signalhound_bad(tmp_path: Path, body: str, message: str, line: int | None) -> None:
    with pytest.raises(CaptureFormatError, match=message) as exc:
        read_signalhound(write(tmp_path, "s.csv", "Signal Hound Spike,3.9\n" + body))
    assert exc.value.line == line


# --- generic CSV -----------------------------------------------------------------------------


def test_generic_three_detectors(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file("generic/emi_3det.csv"))
    assert cap.provenance is not None and cap.provenance.format == "generic-csv"
    assert [(t.name, t.detector) for t in cap.traces] == [
        ("Peak", Detector.PEAK),
        ("QP", Detector.QUASI_PEAK),
        ("CAvg", Detector.CISPR_AVERAGE),
    ]
    tr = cap.traces[1]
    assert tr.unit is LevelUnit.DBUV and tr.rbw_hz == 9000 and tr.mode is TraceMode.MAX_HOLD
    np.testing.assert_allclose(tr.freq_hz, [150e3, 500e3, 5e6, 30e6])
    assert tr.level[0] == 55.25
    assert cap.instrument.model == "Acme EMI-9000" and cap.timestamp == "2024-05-06T07:08:09"


def test_generic_semicolon_field_strength(fixture_file: Callable[[str], Path]) -> None:
    (tr,) = read_generic_csv(fixture_file("generic/radiated_semicolon.csv")).traces
    assert tr.unit is LevelUnit.DBUV_M and tr.freq_hz[-1] == 216e6 and tr.level[1] == 39.25


def test_generic_time_domain(fixture_file: Callable[[str], Path]) -> None:
    (ts,) = load_capture(fixture_file("generic/lisn_scope.tsv")).time_series
    assert ts.kind is SampleKind.REAL and ts.sample_rate_hz == pytest.approx(100e6)
    assert ts.volts_per_unit == 1.0 and ts.samples[1] == 0.002
    (env,) = read_generic_csv(fixture_file("generic/zero_span.csv")).time_series
    assert env.kind is SampleKind.ENVELOPE and env.center_freq_hz == 1e6 and env.rbw_hz == 9000
    assert env.unit is LevelUnit.DBUV and env.detector is Detector.PEAK
    assert env.sample_rate_hz == pytest.approx(1000.0)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("frequency,level_dbuv\n1,2\n", "states no unit", 1),
        ("frequency_hz,level_dbc\n1,2\n", "unknown level unit 'dbc'", 1),
        ("Frequency (MHz),Peak (dBuV)\n1,2\n1,3\n", "not strictly increasing", None),
        ("Frequency (MHz),Peak (dBuV)\n1,2\nNaN,3\n", "not a number in column 1: 'NaN'", 3),
        # a level column of 'nan' text only: named, not read as a trailing empty column
        ("frequency_hz,level_dbuv\n1e6,nan\n2e6,nan\n", "not a number in column 2: 'nan'", 2),
        ("frequency_hz,level_dbuv\n1e6,\n2e6,\n", "1 columns, expected 2", 2),
        ("Frequency (MHz),Peak (dBuV),QP (dBuV)\n1,2,3\n2,3\n", "missing value in column 3", 3),
        # a digit string beyond the largest double ('unparsable numbers', no line)
        ("Frequency (MHz),Peak (dBuV)\n1,2\n2,1e400\n", "out of range in column 2: '1e400'", 3),
        (
            "Frequency (MHz);Peak (dBuV)\n0,150;52,1\n",
            r"column 1: '0,150' \(a decimal comma\? the decimal mark must be '\.'\)$",
            2,
        ),
        ("time_s,volts\n0,1\n1,1\n3,1\n", "not uniformly sampled", None),
        ("time_s,level_dbuv\n0,1\n1,1\n", "center_freq_hz", None),
        ("# only comments\n", "no column-header row", None),
    ],
)
def test_generic_bad(tmp_path: Path, text: str, message: str, line: int | None) -> None:
    with pytest.raises(CaptureFormatError, match=message) as exc:
        read_generic_csv(write(tmp_path, "g.csv", text))
    assert exc.value.line == line


def test_generic_unit_from_comment_and_unknown(tmp_path: Path) -> None:
    cap = read_generic_csv(write(tmp_path, "g.csv", "# unit: dBm\nfreq_khz,level\n150,1\n"))
    assert cap.traces[0].unit is LevelUnit.DBM and cap.traces[0].freq_hz[0] == 150e3
    cap = read_generic_csv(write(tmp_path, "h.csv", "freq_khz,level\n150,1\n"))
    assert cap.traces[0].unit is None and cap.warnings


def test_sniffers_do_not_overlap(fixture_file: Callable[[str], Path]) -> None:
    expected = {
        "rigol": "rigol",
        "tektronix": "tektronix",
        "tinysa": "tinysa",
        "signalhound": "signalhound",
        "generic": "generic-csv",
    }
    for folder, name in expected.items():
        for f in sorted(fixture_file(folder).iterdir()):
            assert detect_format(f).name == name, f


def test_rigol_header_value_of_trace_zero_or_an_empty_field_is_none_or_the_first() -> None:
    """A ``Trace0`` column asks for value -1: the first value, never an IndexError."""
    from rfcheck.io.rigol.header import Header

    hdr = Header(fields={"mode": ([], 2), "detector": (["Pos Peak", "Sample"], 3)})
    assert hdr.value("mode", -1) is None
    assert hdr.value("detector", -1) == "Pos Peak"
    assert hdr.value("detector", 1) == "Sample"
    assert hdr.mode_text(0) == "" and hdr.detector(0, "trace 'Trace0'", []) is Detector.PEAK
