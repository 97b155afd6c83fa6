"""R&S traces across scan ranges of different RBWs: one trace per range (io._scan_ranges)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.capture import Detector
from rfcheck.cli import main
from rfcheck.io import load_capture
from rfcheck.io._scan_ranges import RangeSpan, rows_by_range

#: An ESU spurious-emission export (ESU operating manual, MMEMory subsystem layout): one
#: 'Range n:' block per sweep range with its own RBW, VBW, sweep time and detector.
ESU_TWO_RBWS = (
    "Type;R&S ESU;\r\nVersion;4.73;\r\nDate;14.Mar 2024;\r\nMode;ANALYZER;SPURIOUS;\r\n"
    "Start;150000.000000;Hz\r\nStop;30000000.000000;Hz\r\nx-Axis;LOG;\r\nSweep Count;1;\r\n"
    "Range 1:\r\nStart;150000.000000;Hz\r\nStop;1000000.000000;Hz\r\nRBW;9000.000000;Hz\r\n"
    "VBW;30000.000000;Hz\r\nSweep time;0.050000;s\r\nDetector;MAX PEAK;\r\nSweep Points;4;\r\n"
    "Range 2:\r\nStart;1000000.000000;Hz\r\nStop;30000000.000000;Hz\r\n"
    "RBW;120000.000000;Hz\r\nVBW;300000.000000;Hz\r\nSweep time;0.020000;s\r\n"
    "Detector;MAX PEAK;\r\nSweep Points;4;\r\n"
    "TRACE 1:\r\nx-Unit;Hz;\r\ny-Unit;dBuV;\r\nValues;8;\r\n"
    "150000.000000;40.1;\r\n400000.000000;38.2;\r\n700000.000000;36.0;\r\n"
    "1000000.000000;35.5;\r\n1050000.000000;37.9;\r\n5000000.000000;33.0;\r\n"
    "15000000.000000;30.1;\r\n30000000.000000;29.5;\r\n"
)

#: An ESR receiver scan over band A and band B (the ESR/ESW manuals' 'Scan n:' blocks with
#: Start, Stop, Step, RBW, Meas Time), one quasi-peak trace across both, decimal comma.
ESR_BANDS_A_B = (
    "sep=;\r\nType;ESR-3;\r\nVersion;2.10;\r\nDate;03.Mar 2024;\r\nMode;Receiver;\r\n"
    "Start;9000,000000;Hz;\r\nStop;450000,000000;Hz;\r\nx-Unit;Hz;\r\ny-Unit;dBuV;\r\n"
    "Scan Count;2;\r\n"
    "Scan 1:\r\nStart;9000,000000;Hz;\r\nStop;150000,000000;Hz;\r\nStep;70500,000000;Hz;\r\n"
    "RBW;200,000000;Hz;\r\nMeas Time;1,000000;s;\r\n"
    "Scan 2:\r\nStart;150000,000000;Hz;\r\nStop;450000,000000;Hz;\r\n"
    "Step;150000,000000;Hz;\r\nRBW;9000,000000;Hz;\r\nMeas Time;0,100000;s;\r\n"
    "TRACE 1:\r\nTrace Mode;MAXHOLD;\r\nDetector;QUASIPEAK;\r\nValues;5;\r\n"
    "9000,000000;50,0;\r\n79500,000000;45,0;\r\n150000,000000;40,0;\r\n"
    "300000,000000;35,0;\r\n450000,000000;30,0;\r\n"
)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "scan.DAT"
    p.write_text(text, encoding="latin-1")
    return p


def test_esu_ranges_of_different_rbws_give_one_trace_per_range(tmp_path: Path) -> None:
    """Range 1 RBW 9 kHz, range 2 RBW 120 kHz: the whole trace had no RBW, silently."""
    cap = load_capture(_write(tmp_path, ESU_TWO_RBWS))
    low, high = cap.traces
    assert (low.name, high.name) == ("TRACE 1 (range 1)", "TRACE 1 (range 2)")
    np.testing.assert_array_equal(low.freq_hz, [150e3, 400e3, 700e3, 1e6])
    np.testing.assert_array_equal(high.freq_hz, [1.05e6, 5e6, 15e6, 30e6])
    np.testing.assert_array_equal(high.level, [37.9, 33.0, 30.1, 29.5])
    assert (low.rbw_hz, low.vbw_hz, low.sweep_time_s) == (9e3, 30e3, 0.05)
    assert (high.rbw_hz, high.vbw_hz, high.sweep_time_s) == (120e3, 300e3, 0.02)
    assert low.detector is Detector.PEAK and high.detector is Detector.PEAK
    assert cap.warnings == ()


def test_esu_ranges_each_give_their_own_detector(tmp_path: Path) -> None:
    """Different RBWs and detectors: each part is its range's detector, with no note."""
    cap = load_capture(_write(tmp_path, ESU_TWO_RBWS.replace("MAX PEAK", "RMS", 1)))
    low, high = cap.traces
    assert low.detector is Detector.RMS and high.detector is Detector.PEAK
    assert cap.warnings == ()


def test_receiver_scans_over_band_a_and_b_give_one_trace_per_scan(tmp_path: Path) -> None:
    """Band A at 200 Hz, band B at 9 kHz; 150 kHz (scan 1 Stop, scan 2 Start) is scan 1's."""
    cap = load_capture(_write(tmp_path, ESR_BANDS_A_B))
    band_a, band_b = cap.traces
    assert (band_a.name, band_b.name) == ("TRACE 1 (scan 1)", "TRACE 1 (scan 2)")
    np.testing.assert_array_equal(band_a.freq_hz, [9e3, 79.5e3, 150e3])
    np.testing.assert_array_equal(band_b.freq_hz, [300e3, 450e3])
    assert (band_a.rbw_hz, band_a.dwell_s) == (200.0, 1.0)
    assert (band_b.rbw_hz, band_b.dwell_s) == (9e3, 0.1)
    assert band_a.detector is Detector.QUASI_PEAK and band_b.detector is Detector.QUASI_PEAK
    assert cap.warnings == ()


def test_a_trace_stating_its_own_rbw_is_not_split(tmp_path: Path) -> None:
    text = ESU_TWO_RBWS.replace("TRACE 1:\r\n", "TRACE 1:\r\nRBW;9000.000000;Hz\r\n")
    cap = load_capture(_write(tmp_path, text))
    (tr,) = cap.traces
    assert tr.name == "TRACE 1" and tr.rbw_hz == 9e3 and tr.n_points == 8


def test_a_row_outside_every_range_keeps_the_trace_whole_with_a_note(tmp_path: Path) -> None:
    text = ESU_TWO_RBWS.replace(
        "Stop;30000000.000000;Hz\r\nRBW;120", "Stop;20000000.000000;Hz\r\nRBW;120"
    )
    cap = load_capture(_write(tmp_path, text))
    (tr,) = cap.traces
    assert tr.name == "TRACE 1" and tr.rbw_hz is None and tr.n_points == 8
    assert cap.warnings == (
        "TRACE 1: scan ranges state different RBWs (9 kHz, 120 kHz) and their Start/Stop do "
        "not place every row in one range: the trace has no single RBW",
    )


def test_a_range_without_a_start_keeps_the_trace_whole_with_a_note(tmp_path: Path) -> None:
    text = ESU_TWO_RBWS.replace("Range 2:\r\nStart;1000000.000000;Hz\r\n", "Range 2:\r\n")
    cap = load_capture(_write(tmp_path, text))
    assert [t.name for t in cap.traces] == ["TRACE 1"]
    assert cap.traces[0].rbw_hz is None
    assert "the trace has no single RBW" in cap.warnings[0]


def test_info_json_gives_each_part_its_rbw(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["info", "-o", "json", str(_write(tmp_path, ESU_TWO_RBWS))])
    assert result.exit_code == 0, result.output
    (info,) = json.loads(result.output)
    traces = info["traces"]
    assert [(t["name"], t["rbw_hz"]) for t in traces] == [
        ("TRACE 1 (range 1)", 9000.0),
        ("TRACE 1 (range 2)", 120000.0),
    ]


def test_check_bounds_quasi_peak_with_the_parts_of_a_split_peak_trace(tmp_path: Path) -> None:
    """Each part's RBW is stated: the peak bounds QP/AV ('RBW not stated': INCONCLUSIVE).

    The fixture's eight points leave gaps between them, hence INCOMPLETE (exit 5).
    """
    p = _write(tmp_path, ESU_TWO_RBWS)
    result = CliRunner().invoke(main, ["check", "--limit", "fcc-15.107-b", str(p)])
    assert result.exit_code == 5, result.output
    assert "RBW not stated" not in result.output and "INCONCLUSIVE" not in result.output
    rows = [line.split() for line in result.output.splitlines() if "fcc-15.107-b  " in line]
    assert [(r[1], r[3], r[-2:]) for r in rows] == [
        ("QP", "INCOMPLETE", ["upper", "bound"]),
        ("AV", "INCOMPLETE", ["upper", "bound"]),
    ]


# --- rows_by_range ----------------------------------------------------------------------------


def test_rows_by_range_gives_a_shared_boundary_to_the_lower_range_in_any_order() -> None:
    f = np.array([1.0, 5.0, 10.0, 20.0])
    spans = [RangeSpan(0, 10.0, 20.0), RangeSpan(1, 0.0, 10.0)]
    placed = rows_by_range(f, spans)
    assert placed is not None
    assert [(k, rows.tolist()) for k, rows in placed] == [(1, [0, 1, 2]), (0, [3])]


def test_rows_by_range_leaves_out_a_range_without_rows() -> None:
    placed = rows_by_range(np.array([1.0, 2.0]), [RangeSpan(0, 0.0, 5.0), RangeSpan(1, 5.0, 9.0)])
    assert placed is not None and [k for k, _ in placed] == [0]


@pytest.mark.parametrize(
    "spans",
    [
        [RangeSpan(0, 0.0, 12.0), RangeSpan(1, 10.0, 20.0)],  # overlap beyond the boundary
        [RangeSpan(0, 10.0, 0.0), RangeSpan(1, 10.0, 20.0)],  # reversed
        [RangeSpan(0, 0.0, 9.0), RangeSpan(1, 11.0, 20.0)],  # 10 lies in neither
    ],
)
def test_rows_by_range_refuses_what_it_cannot_place(spans: list[RangeSpan]) -> None:
    assert rows_by_range(np.array([1.0, 10.0, 20.0]), spans) is None


#: An ESR receiver export whose 'Scan 1:' states a 4 kHz step while its rows are 150 kHz
#: apart (a decimated or truncated export, no note).
ESR_STEP_4K_ROWS_150K = (
    "Type;ESR-3;\r\nVersion;2.10;\r\nDate;03.Mar 2024;\r\nMode;Receiver;\r\n"
    "Start;150000.000000;Hz\r\nStop;750000.000000;Hz\r\nx-Unit;Hz;\r\ny-Unit;dBuV;\r\n"
    "Scan Count;1;\r\n"
    "Scan 1:\r\nStart;150000.000000;Hz\r\nStop;750000.000000;Hz\r\nStep;4000.000000;Hz\r\n"
    "RBW;9000.000000;Hz\r\nMeas Time;1.000000;s\r\n"
    "TRACE 1:\r\nTrace Mode;CLR/WRITE;\r\nDetector;QUASIPEAK;\r\nValues;5;\r\n"
    "150000.000000;40.0;\r\n300000.000000;38.0;\r\n450000.000000;36.0;\r\n"
    "600000.000000;35.0;\r\n750000.000000;34.0;\r\n"
)


def test_a_scan_step_unlike_the_data_spacing_is_noted(tmp_path: Path) -> None:
    cap = load_capture(_write(tmp_path, ESR_STEP_4K_ROWS_150K))
    assert cap.warnings == (
        "Scan 1 states a step of 4 kHz (line 13), but its data points are 150 kHz apart "
        "(median spacing of 5 points, TRACE 1): not the scan it states (a decimated or "
        "truncated export?); the verdict follows the data points as they are",
    )
    # the note reaches the check report, under the file it is about
    res = CliRunner().invoke(
        main, ["check", str(tmp_path / "scan.DAT"), "--limit", "fcc-15.107-b", "-o", "json"]
    )
    doc = json.loads(res.stdout)
    assert doc["captures"][0]["path"].endswith("scan.DAT")
    assert any("states a step of 4 kHz" in w for w in doc["captures"][0]["warnings"])


def test_a_scan_step_the_data_bear_out_gives_no_note(tmp_path: Path) -> None:
    """The stated step within 1 %; a last interval cut short at Stop does not count."""
    text = ESR_STEP_4K_ROWS_150K.replace("Step;4000.000000", "Step;150000.000000")
    assert load_capture(_write(tmp_path, text)).warnings == ()
    short_end = text.replace("750000.000000", "700000.000000")  # 600 -> 700 kHz: 100 kHz
    assert load_capture(_write(tmp_path, short_end)).warnings == ()
    # band A at 70.5 kHz, band B at 150 kHz: each scan's own points
    assert load_capture(_write(tmp_path, ESR_BANDS_A_B)).warnings == ()


REAL_ESRP = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "real_captures"
    / "rs_esrp7_receiver_150k-30M_3det.DAT"
)


@pytest.mark.skipif(not REAL_ESRP.exists(), reason="real file")
def test_the_real_esrp_scan_step_raises_no_note() -> None:
    """Step 2.25 kHz over 150 kHz-30 MHz, 13268 points (the last interval 1.5 kHz)."""
    cap = load_capture(REAL_ESRP)
    assert not any("states a step" in w for w in cap.warnings)
