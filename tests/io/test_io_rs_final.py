"""R&S receiver final-measurement lists ('TRACE n FINAL:') read as traces (io._rs_final).

The layout is the ESU/ESCI operating manuals' "RECEIVER mode, final measurement data" and the
ESRP user manual's peak list; the numbers here are made up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.capture import Detector, TraceMode
from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture
from rfcheck.units import LevelUnit

HEADER = (
    "Type;R&S ESU;\r\nVersion;2.32;\r\nDate;03.Aug 2004;\r\nMode;Receiver;\r\n"
    "Start;150000;Hz\r\nStop;350000;Hz\r\nx-Axis;LIN;\r\nScan Count;1;\r\nTransducer;;\r\n"
    "Scan 1:\r\nStart;150000;Hz\r\nStop;350000;Hz\r\nStep;50000;Hz\r\nRBW;9000;Hz\r\n"
    "Meas Time;0.01;s\r\nAuto Ranging;ON;\r\nRF Att;20;dB\r\nAuto Preamp;OFF;\r\nPreamp;0;dB\r\n"
)
SCAN = (
    "TRACE 1:\r\nTrace Mode;MAX HOLD;\r\nDetector;MAX PEAK;\r\nx-Unit;Hz;\r\ny-Unit;dBuV;\r\n"
    "Values;5;\r\n150000.000000;40.500000;\r\n200000.000000;55.250000;\r\n"
    "250000.000000;50.000000;\r\n300000.000000;35.750000;\r\n350000.000000;34.000000;\r\n"
)


def final_block(n: int, detector: str, rows: list[str], *, count: int | None = None) -> str:
    """Return a 'TRACE n FINAL:' block in the manuals' layout, rows as given."""
    return (
        f"TRACE {n} FINAL:\r\nTrace Mode;CLR/WRITE;\r\nFinal Detector;{detector};\r\n"
        "x-Unit;Hz;\r\ny-Unit;dBuV;\r\nFinal Meas Time;1.000000;s\r\nMargin;6.000000;dB\r\n"
        f"Values;{len(rows) if count is None else count};\r\n" + "".join(f"{r}\r\n" for r in rows)
    )


QP_ROWS = [  # listed as the receiver found them, not by frequency
    "1;250000.000000;47.250000;-14.500000;L1;GND",
    "1;200000.000000;52.125000;-11.500000;N;GND",
]
AV_ROWS = [
    "1;200000.000000;41.500000;-12.125000;N;GND",
    "1;250000.000000;38.750000;-13.000000;N;GND",
]
WITH_PHASES = (
    HEADER + SCAN + final_block(1, "QUASIPEAK", QP_ROWS) + final_block(2, "CISPR AV", AV_ROWS)
)


def _write(tmp_path: Path, text: str, name: str = "finals.DAT") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("latin-1"))
    return p


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` starting with ``needle``."""
    return next(k for k, t in enumerate(text.split("\r\n"), 1) if t.startswith(needle))


def test_scan_and_two_final_lists_give_a_trace_each(tmp_path: Path) -> None:
    cap = load_capture(_write(tmp_path, WITH_PHASES))
    scan, qp, av = cap.traces
    assert scan.name == "TRACE 1" and scan.detector is Detector.PEAK
    assert qp.name == "Trace 1 final (quasi-peak)" and qp.detector is Detector.QUASI_PEAK
    assert av.name == "Trace 2 final (cispr-average)"
    assert av.detector is Detector.CISPR_AVERAGE
    for tr in (qp, av):
        assert tr.freq_hz.tolist() == [200000.0, 250000.0]  # sorted by frequency
        assert (tr.unit, tr.rbw_hz, tr.dwell_s) == (LevelUnit.DBUV, 9000.0, 1.0)
        assert tr.mode is TraceMode.CLEAR_WRITE and tr.vbw_hz is None
    assert qp.level.tolist() == [52.125, 47.25]
    assert av.level.tolist() == [41.5, 38.75]


def test_the_delta_phase_and_earth_columns_go_to_the_metadata(tmp_path: Path) -> None:
    meta = load_capture(_write(tmp_path, WITH_PHASES)).metadata
    name = "Trace 1 final (quasi-peak)"
    assert meta[f"{name}: delta to the instrument's limit line [dB]"] == "-11.50, -14.50"
    assert meta[f"{name}: phase"] == "N, L1"
    assert meta[f"{name}: protective earth"] == "GND, GND"
    assert meta[f"{name}: peak found on trace"] == "1, 1"
    assert meta["TRACE 1 FINAL: Margin"] == "6.000000 dB"


def test_finals_on_several_mains_lines_are_noted_naming_them(tmp_path: Path) -> None:
    cap = load_capture(_write(tmp_path, WITH_PHASES))
    notes = [w for w in cap.warnings if "mains lines" in w]
    assert notes == [
        "Trace 1 final (quasi-peak): the finals name 2 mains lines (N, L1): each reading is "
        "the highest the receiver found over those lines (its row's phase names which), so "
        "judging the list as one line's is conservative"
    ]


def test_final_rows_without_phase_columns_are_read(tmp_path: Path) -> None:
    rows = [r.rsplit(";", 2)[0] for r in QP_ROWS]  # '<trace>;<freq>;<level>;<delta>'
    cap = load_capture(_write(tmp_path, HEADER + SCAN + final_block(1, "QUASIPEAK", rows)))
    qp = cap.traces[1]
    assert qp.freq_hz.tolist() == [200000.0, 250000.0] and qp.level.tolist() == [52.125, 47.25]
    assert not any("mains lines" in w for w in cap.warnings)
    assert not any(k.endswith(": phase") for k in cap.metadata)


def test_the_esrp_peak_list_layout_is_read(tmp_path: Path) -> None:
    """ESRP manual: 'TRACE <x> FINAL' without colon, 'Detector;QUASI PEAK;', 'Value;N;'."""
    block = (
        "TRACE 1 FINAL\r\nTrace Mode;CLR/WRITE;\r\nDetector;QUASI PEAK;\r\nx-Unit;Hz;\r\n"
        "y-Unit;dBuV;\r\nFinal Meas Time;1.000000;s\r\nMargin;6.000000;dB\r\nValue;3;\r\n"
        "1;300000.000000;44.500000;;;\r\n1;200000.000000;51.000000;;;\r\n"
        "1;250000.000000;46.250000;;;\r\n"
    )
    cap = load_capture(_write(tmp_path, HEADER + SCAN + block))
    qp = cap.traces[1]
    assert qp.detector is Detector.QUASI_PEAK and qp.rbw_hz == 9000.0
    assert qp.level.tolist() == [51.0, 46.25, 44.5]
    assert not any("delta" in k for k in cap.metadata)


def test_decimal_comma_final_lists_are_read(tmp_path: Path) -> None:
    text = re.sub(r"(\d)\.(\d)", r"\1,\2", "sep=;\r\n" + WITH_PHASES)  # every point a comma
    assert "1;200000,000000;52,125000;-11,500000;N;GND" in text
    cap = load_capture(_write(tmp_path, text))
    _, qp, av = cap.traces
    assert qp.freq_hz.tolist() == [200000.0, 250000.0] and qp.level.tolist() == [52.125, 47.25]
    assert av.level.tolist() == [41.5, 38.75] and qp.dwell_s == 1.0


def test_the_manuals_comma_after_final_detector_is_read(tmp_path: Path) -> None:
    """The manuals print 'Final Detector, QUASIPEAK;' and 'Margin;6.000000:s'."""
    text = WITH_PHASES.replace("Final Detector;QUASIPEAK;", "Final Detector, QUASIPEAK;")
    text = text.replace("Margin;6.000000;dB", "Margin;6.000000:s", 1)
    cap = load_capture(_write(tmp_path, text))
    assert cap.traces[1].detector is Detector.QUASI_PEAK
    assert cap.metadata["TRACE 1 FINAL: Final Detector"] == "QUASIPEAK"
    assert cap.metadata["TRACE 1 FINAL: Margin"] == "6.000000:s"


def test_a_final_list_ending_the_file_early_is_refused(
    tmp_path: Path, assert_load_error: Callable[..., None]
) -> None:
    text = HEADER + SCAN + final_block(1, "QUASIPEAK", QP_ROWS, count=3)
    values = _line_of(text, "Values;3;")
    assert_load_error(
        _write(tmp_path, text),
        CaptureFormatError,
        re.escape(f"'Values;3;' at line {values} but the file ends after 2 data rows"),
        values + 2,
    )


def test_a_final_list_cut_before_the_next_block_is_refused(
    tmp_path: Path, assert_load_error: Callable[..., None]
) -> None:
    text = HEADER + SCAN + final_block(1, "QUASIPEAK", QP_ROWS, count=3)
    text += final_block(2, "CISPR AV", AV_ROWS)
    values = _line_of(text, "Values;3;")
    assert_load_error(
        _write(tmp_path, text),
        CaptureFormatError,
        re.escape(f"TRACE 1 FINAL: 'Values;3;' at line {values} but row 3 is 'TRACE 2 FINAL:'"),
        values + 3,
    )


def test_more_final_rows_than_declared_are_refused(
    tmp_path: Path, assert_load_error: Callable[..., None]
) -> None:
    text = HEADER + SCAN + final_block(1, "QUASIPEAK", QP_ROWS, count=1)
    assert_load_error(
        _write(tmp_path, text),
        CaptureFormatError,
        "more data rows than declared",
        _line_of(text, "Values;1;") + 2,
    )


def test_a_last_final_row_cut_short_is_refused(
    tmp_path: Path, assert_load_error: Callable[..., None]
) -> None:
    rows = ["1;200000.000000;51.000000;;;", "1;250000.000000;46.250000;;;"]
    text = HEADER + SCAN + final_block(1, "QUASIPEAK", rows, count=3)
    text += "1;300000.000000;44.5"  # the transfer stopped inside the level
    assert_load_error(
        _write(tmp_path, text),
        CaptureFormatError,
        re.escape("last data row '1;300000.000000;44.5' does not end with ';'"),
        len(text.split("\r\n")),
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("1;200000.000000;N;GND", "TRACE 1 FINAL: level: not a number: 'N'"),
        ("1;200000.000000", "TRACE 1 FINAL: 2 fields, expected 3 to 6"),
        ("1;250000.000000;47.250000;-14.500000", "4 fields, expected 6 as in the first row"),
        ("0;250000.000000;47.250000;-14.5;N;GND", "trace: not a trace number: '0'"),
    ],
)
def test_a_broken_final_row_is_refused_naming_its_line(
    tmp_path: Path, assert_load_error: Callable[..., None], row: str, message: str
) -> None:
    rows = [QP_ROWS[1], row] if "first row" in message else [row, QP_ROWS[1]]
    text = HEADER + SCAN + final_block(1, "QUASIPEAK", rows)
    line = _line_of(text, row)
    assert_load_error(_write(tmp_path, text), CaptureFormatError, re.escape(message), line)


def test_an_unknown_final_detector_is_refused_naming_it(
    tmp_path: Path, assert_load_error: Callable[..., None]
) -> None:
    """The ESCI manual lists 'AC VIDEO' among the final detectors: not a CISPR detector."""
    text = HEADER + SCAN + final_block(1, "AC VIDEO", QP_ROWS)
    assert_load_error(
        _write(tmp_path, text),
        CaptureFormatError,
        re.escape("TRACE 1 FINAL: unknown final detector 'AC VIDEO'"),
        _line_of(text, "Final Detector;AC VIDEO;"),
    )


def test_a_final_list_without_a_detector_is_refused(
    tmp_path: Path, assert_load_error: Callable[..., None]
) -> None:
    text = HEADER + SCAN + final_block(1, "QUASIPEAK", QP_ROWS)
    text = text.replace("Final Detector;QUASIPEAK;\r\n", "")
    assert_load_error(
        _write(tmp_path, text),
        CaptureFormatError,
        re.escape("TRACE 1 FINAL: no 'Final Detector' line"),
        _line_of(text, "TRACE 1 FINAL:"),
    )


@pytest.mark.parametrize(
    ("name", "detector"),
    [
        ("MAX PEAK", Detector.PEAK),
        ("MIN PEAK", Detector.NEGATIVE_PEAK),
        ("RMS", Detector.RMS),
        ("AVERAGE", Detector.AVERAGE),
        ("QUASI PEAK", Detector.QUASI_PEAK),
        ("CISPR RMS", Detector.RMS_AVERAGE),
        ("CISPR AV", Detector.CISPR_AVERAGE),
    ],
)
def test_the_manuals_final_detectors_are_known(
    tmp_path: Path, name: str, detector: Detector
) -> None:
    cap = load_capture(_write(tmp_path, HEADER + SCAN + final_block(1, name, QP_ROWS)))
    assert cap.traces[1].detector is detector
    assert cap.traces[1].name == f"Trace 1 final ({detector.value})"


def test_two_rows_at_one_frequency_keep_the_higher_level_noted(tmp_path: Path) -> None:
    rows = [*QP_ROWS, "1;200000.000000;53.500000;-10.125000;L1;GND"]
    text = HEADER + SCAN + final_block(1, "QUASIPEAK", rows)
    cap = load_capture(_write(tmp_path, text))
    qp = cap.traces[1]
    assert qp.freq_hz.tolist() == [200000.0, 250000.0] and qp.level.tolist() == [53.5, 47.25]
    first, last = _line_of(text, rows[1]), _line_of(text, rows[2])
    assert (
        f"Trace 1 final (quasi-peak): 2 rows at 200 kHz (lines {first}, {last}): the highest "
        f"level, 53.50 dBµV (line {last}), is kept"
    ) in cap.warnings
    assert cap.metadata["Trace 1 final (quasi-peak): phase"] == "L1, L1"


def test_each_final_takes_the_rbw_of_its_scan_range(tmp_path: Path) -> None:
    """A shared boundary belongs to the lower range; a final outside every range: no RBW."""
    header = HEADER.replace("Stop;350000;Hz\r\nStep", "Stop;30000000;Hz\r\nStep", 1)
    header += (
        "Scan 2:\r\nStart;30000000;Hz\r\nStop;1000000000;Hz\r\nStep;40000;Hz\r\n"
        "RBW;120000;Hz\r\nMeas Time;0.001;s\r\n"
    )
    rows = [
        "1;30000000.000000;40.000000;-10.000000",
        "1;200000.000000;52.125000;-11.500000",
        "1;2000000000.000000;45.000000;-9.000000",
        "1;100000000.000000;35.500000;-8.000000",
    ]
    cap = load_capture(_write(tmp_path, header + final_block(1, "QUASIPEAK", rows)))
    got = [(t.name, t.rbw_hz, t.freq_hz.tolist()) for t in cap.traces]
    assert got == [
        ("Trace 1 final (quasi-peak, RBW 9 kHz)", 9000.0, [200000.0, 30000000.0]),
        ("Trace 1 final (quasi-peak, RBW 120 kHz)", 120000.0, [100000000.0]),
        ("Trace 1 final (quasi-peak, RBW unknown)", None, [2000000000.0]),
    ]
    line = _line_of(header + final_block(1, "QUASIPEAK", rows), rows[2])
    assert (
        "Trace 1 final (quasi-peak): no scan range with an RBW holds the final(s) at 2 GHz "
        f"(line {line}): their RBW is unknown (state it with --rbw)"
    ) in cap.warnings
    key = "Trace 1 final (quasi-peak, RBW 9 kHz): delta to the instrument's limit line [dB]"
    assert cap.metadata[key] == "-11.50, -10.00"


def test_an_empty_final_list_is_noted_and_the_scan_read(tmp_path: Path) -> None:
    cap = load_capture(_write(tmp_path, HEADER + SCAN + final_block(1, "QUASIPEAK", [])))
    assert [t.name for t in cap.traces] == ["TRACE 1"]
    assert "TRACE 1 FINAL: no final measurements (Values;0;): nothing to read" in cap.warnings


# ---- judged end to end: one R&S file, or the same data as generic CSVs with --combine ----

SCAN_STEP_HZ = 4500.0
#: (frequency [Hz], peak, quasi-peak, CISPR-average [dBµV]) at the scan's peaks
EMISSIONS = [(195000.0, 58.0, 50.0, 40.0), (1392000.0, 52.0, 48.0, 44.0), (12e6, 55.0, 52.0, 45.0)]


def _scan_levels() -> tuple[np.ndarray, np.ndarray]:
    freq = np.arange(150e3, 30e6 + 1.0, SCAN_STEP_HZ)
    level = 28.0 + 2.0 * ((np.arange(freq.size) * 7919) % 13) / 13.0
    for f0, pk, _, _ in EMISSIONS:
        level = np.maximum(level, pk - 6.0 * ((freq - f0) / SCAN_STEP_HZ) ** 2)
    return freq, level


def _receiver_file(tmp_path: Path, av_12mhz: float) -> Path:
    freq, level = _scan_levels()
    finals = [(f, qp, av_12mhz if f == 12e6 else av) for f, _, qp, av in EMISSIONS]
    text = (
        "Type;ESR-7;\r\nVersion;3.36;\r\nDate;12.Nov 25;\r\nMode;Receiver;\r\n"
        f"Start;150000.000000;Hz\r\nStop;{freq[-1]:.6f};Hz\r\nx-Unit;Hz;\r\ny-Unit;dBuV;\r\n"
        f"Scan 1:\r\nStart;150000.000000;Hz\r\nStop;{freq[-1]:.6f};Hz\r\nStep;4500.000000;Hz\r\n"
        "RBW;9000.000000;Hz\r\nMeas Time;0.010000;s\r\n"
        f"TRACE 1:\r\nTrace Mode;MAX HOLD;\r\nDetector;MAX PEAK;\r\nValues;{freq.size};\r\n"
        + "".join(f"{f:.6f};{v:.6f};\r\n" for f, v in zip(freq, level, strict=True))
        + final_block(1, "QUASIPEAK", [f"1;{f:.6f};{qp:.6f};0.0;N;GND" for f, qp, _ in finals])
        + final_block(2, "CISPR AV", [f"1;{f:.6f};{av:.6f};0.0;N;GND" for f, _, av in finals])
    )
    return _write(tmp_path, text, "receiver.DAT")


def _generic_csvs(tmp_path: Path, av_12mhz: float) -> list[str]:
    freq, level = _scan_levels()
    scan = tmp_path / "scan.csv"
    scan.write_text(
        "# rbw_hz: 9000\n# dwell_s: 0.01\nFrequency (Hz),Peak (dBuV)\n"
        + "".join(f"{f:.6f},{v:.6f}\n" for f, v in zip(freq, level, strict=True))
    )
    finals = tmp_path / "finals.csv"
    finals.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (Hz),QP (dBuV),CISPR-AV (dBuV)\n"
        + "".join(
            f"{f:.6f},{qp:.6f},{av_12mhz if f == 12e6 else av:.6f}\n" for f, _, qp, av in EMISSIONS
        )
    )
    return [str(scan), str(finals), "--combine"]


def _judged(args: list[str]) -> tuple[int, dict[str, Any]]:
    res = CliRunner().invoke(main, ["check", *args, "--limit", "fcc-15.107-b", "-o", "json"])
    cap = json.loads(res.stdout)["captures"][0]
    keys = ("verdict", "coverage", "not_evaluated", "checks", "suspects")
    return res.exit_code, {k: cap[k] for k in keys}


# the FAIL is a CISPR-average final over the AV line, under the scan's peak (55 dBµV) as every
# final of one emission is: a final above the peak would contradict the detector order
@pytest.mark.parametrize(("av_12mhz", "verdict", "code"), [(45.0, "PASS", 0), (51.5, "FAIL", 1)])
def test_a_receiver_file_with_finals_is_judged_as_the_same_data_in_separate_files(
    tmp_path: Path, av_12mhz: float, verdict: str, code: int
) -> None:
    one = _judged([str(_receiver_file(tmp_path, av_12mhz))])
    combined = _judged(_generic_csvs(tmp_path, av_12mhz))
    assert one == combined
    assert one[0] == code and one[1]["verdict"] == verdict
    qp, av = one[1]["checks"]
    # 48 dBµV against 56 dBµV at 1.392 MHz (and 52 against 60 at 12 MHz)
    assert (qp["verdict"], qp["worst_margin_db"], qp["worst_bound"]) == ("PASS", 8.0, "measured")
    if verdict == "PASS":
        assert (av["verdict"], av["worst_margin_db"], av["worst_bound"]) == (
            "PASS",
            2.0,
            "measured",
        )
    else:  # 51.5 dBµV against the 50 dBµV AV line at 12 MHz
        assert (av["verdict"], av["worst_margin_db"], av["worst_frequency_hz"]) == (
            "FAIL",
            -1.5,
            12e6,
        )
