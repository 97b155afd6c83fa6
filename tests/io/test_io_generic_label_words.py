"""Generic CSV: every word of a column label is read, and no comment line is dropped unsaid.

A label's trace-mode word (``Peak MinHold``), a second detector word (``QP Peak``), an average
word beside a detector (``Peak Avg``) or a minus sign (``-Peak``) used to be ignored, the first
detector word alone read: a min-hold or averaged peak trace then bounded the lines from above
and passed. A ``# key: value`` line the reader does not read (``# distance_m: 10``) was
dropped without a word, and a ``# unit:`` line contradicting a column's unit was ignored.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.capture import Capture, Detector, TraceMode
from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError, UnitError
from rfcheck.io.generic_csv import read_generic_csv

ROWS = "1,40.0\n2,41.0\n3,42.0\n"


def _read(tmp_path: Path, text: str) -> Capture:
    path = tmp_path / "scan.csv"
    path.write_text(text, encoding="utf-8")
    return read_generic_csv(path)


def _column(tmp_path: Path, label: str, head: str = "") -> tuple[Detector, TraceMode]:
    cap = _read(tmp_path, f"{head}Frequency (MHz),{label} (dBuV)\n" + ROWS)
    (tr,) = cap.traces
    return tr.detector, tr.mode


@pytest.mark.parametrize(
    "label",
    [
        "Peak MinHold",
        "Peak (min hold)",
        "MinHold Peak",
        "Peak Min",
        "Peak Minimum",
        "Peak (Min)",
        "Peak min-hold",
        "PeakMin",
    ],
)
def test_a_label_naming_min_hold_gives_the_trace_that_mode(tmp_path: Path, label: str) -> None:
    assert _column(tmp_path, label) == (Detector.PEAK, TraceMode.MIN_HOLD)


@pytest.mark.parametrize(
    "label",
    [
        "Peak Avg",
        "Avg Peak",
        "Average Peak",
        "Peak Average",
        "Peak-Average",
        "Peak_avg",
        "Pk Av",
        "Peak Video Avg",
        "Peak Trace Average",
        "Peak averaged",
    ],
)
def test_a_label_naming_an_average_beside_peak_reads_as_a_trace_average(
    tmp_path: Path, label: str
) -> None:
    # 'Peak Avg' and 'Avg Peak' read alike: a peak trace averaged over sweeps (lower bounds)
    assert _column(tmp_path, label) == (Detector.PEAK, TraceMode.AVERAGE)


def test_the_average_word_beside_a_detector_is_said(tmp_path: Path) -> None:
    cap = _read(tmp_path, "Frequency (MHz),Peak Avg (dBuV)\n" + ROWS)
    (note,) = cap.warnings
    assert "column 'Peak Avg' names the peak detector and 'avg'" in note
    assert "trace averaged over sweeps" in note


@pytest.mark.parametrize("label", ["-Peak", "PK-", "Min Peak", "Neg Peak"])
def test_a_minus_sign_on_a_peak_is_the_negative_peak(tmp_path: Path, label: str) -> None:
    assert _column(tmp_path, label) == (Detector.NEGATIVE_PEAK, TraceMode.UNKNOWN)


@pytest.mark.parametrize(
    ("label", "detector"),
    [
        ("Peak", Detector.PEAK),
        ("PK+", Detector.PEAK),
        ("Max Peak", Detector.PEAK),
        ("QP", Detector.QUASI_PEAK),
        ("Quasi-Peak", Detector.QUASI_PEAK),
        ("CAV", Detector.CISPR_AVERAGE),
        ("CISPR-AV", Detector.CISPR_AVERAGE),
        ("Avg", Detector.LOG_AVERAGE),
        ("Log Avg", Detector.LOG_AVERAGE),
        ("Video Avg", Detector.LOG_AVERAGE),
        ("Avg (linear)", Detector.AVERAGE),
        ("RMS Average", Detector.RMS_AVERAGE),
        ("Peak Hold", Detector.PEAK),
        ("Trace 1 Peak", Detector.PEAK),
    ],
)
def test_labels_naming_one_detector_keep_their_reading(
    tmp_path: Path, label: str, detector: Detector
) -> None:
    assert _column(tmp_path, label) == (detector, TraceMode.UNKNOWN)


@pytest.mark.parametrize("label", ["QP Peak", "Peak QP", "Peak Log Avg", "CAV Peak"])
def test_a_label_naming_two_detectors_is_refused(tmp_path: Path, label: str) -> None:
    with pytest.raises(CaptureFormatError, match="names 2 detectors") as err:
        _column(tmp_path, label)
    assert "'# detector: " in str(err.value)


def test_the_detector_comment_says_which_of_two(tmp_path: Path) -> None:
    assert _column(tmp_path, "QP Peak", "# detector: quasi-peak\n") == (
        Detector.QUASI_PEAK,
        TraceMode.UNKNOWN,
    )


@pytest.mark.parametrize("comment", ["QP peak", "peak, qp, cav"])
def test_a_detector_comment_naming_two_detectors_is_refused(tmp_path: Path, comment: str) -> None:
    """Read by its first word, '# detector: QP peak' made an unlabelled column quasi-peak."""
    with pytest.raises(CaptureFormatError, match=f"'# detector: {comment}' names [23] detectors"):
        _column(tmp_path, "Level", f"# detector: {comment}\n")


def test_a_label_mode_below_the_comment_mode_wins_and_is_said(tmp_path: Path) -> None:
    cap = _read(tmp_path, "# mode: max-hold\nFrequency (MHz),Peak MinHold (dBuV)\n" + ROWS)
    (tr,) = cap.traces
    assert tr.mode is TraceMode.MIN_HOLD
    assert any("names the trace mode min-hold and '# mode: max-hold'" in w for w in cap.warnings)


def test_a_comment_mode_that_reads_low_is_not_undone_by_the_label(tmp_path: Path) -> None:
    cap = _read(tmp_path, "# mode: min-hold\nFrequency (MHz),Peak MaxHold (dBuV)\n" + ROWS)
    (tr,) = cap.traces
    assert tr.mode is TraceMode.MIN_HOLD


def _flat_file(tmp_path: Path, label: str) -> Path:
    path = tmp_path / "flat.csv"
    freqs = np.round(0.15 + 0.0045 * np.arange(6634), 7)
    rows = "".join(f"{f},45.0\n" for f in freqs)
    path.write_text(f"# rbw_hz: 9000\nFrequency (MHz),{label} (dBuV)\n" + rows)
    return path


@pytest.mark.parametrize("label", ["Peak MinHold", "Peak Avg", "-Peak"])
def test_check_of_a_low_reading_label_is_no_pass(tmp_path: Path, label: str) -> None:
    path = _flat_file(tmp_path, label)
    res = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b"])
    assert res.exit_code == 4, res.output  # INCONCLUSIVE: was PASS
    assert "INCONCLUSIVE" in res.output


# -- comment lines ---------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["# distance_m: 10", "# distance: 10 m", "# Distance (m): 10"])
def test_a_distance_key_is_refused_naming_the_line_and_the_option(
    tmp_path: Path, line: str
) -> None:
    with pytest.raises(CaptureFormatError, match="--distance") as err:
        _read(tmp_path, f"# rbw_hz: 120000\n{line}\nFrequency (MHz),QP (dBuV/m)\n" + ROWS)
    assert err.value.line == 2
    assert "distance_m" in str(err.value)


def test_unknown_keys_are_noted_with_their_lines(tmp_path: Path) -> None:
    text = "# rbw_hz: 9000\n# foo: bar\n# antenna_factor: 12\nFrequency (MHz),QP (dBuV)\n"
    cap = _read(tmp_path, text + ROWS)
    (note,) = cap.warnings
    assert "comment line(s) 2, 3: key(s) 'foo', 'antenna_factor' not read" in note
    assert cap.metadata["foo"] == "bar"  # still kept


def test_prose_and_known_keys_are_not_flagged(tmp_path: Path) -> None:
    text = (
        "# measured by J. Smith\n"
        "# Measured in chamber 2 at site B: a quiet day\n"
        "# note: run 1\n"
        "# instrument: Acme EMI-9000\n"
        "# dut-serial: S-1\n"
        "# rbw_hz: 9000\n"
        "Frequency (MHz),QP (dBuV)\n"
    )
    assert _read(tmp_path, text + ROWS).warnings == ()


def test_prose_mentioning_a_distance_is_noted(tmp_path: Path) -> None:
    cap = _read(tmp_path, "# measured at 10 m distance\nFrequency (MHz),QP (dBuV/m)\n" + ROWS)
    (note,) = cap.warnings
    assert note.startswith("comment line(s) 1 mention a distance") and "--distance" in note


def test_check_notes_an_unknown_key(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(
        "# rbw_hz: 120000\n# dwell_s: 1\n# foo: bar\nFrequency (MHz),QP (dBuV/m)\n100,42\n"
    )
    res = CliRunner().invoke(
        main, ["check", str(path), "--limit", "fcc-15.109-b", "--range", "99.95M-100.05M"]
    )
    assert "comment line(s) 3: key(s) 'foo' not read" in res.output
    res = CliRunner().invoke(main, ["info", str(path)])
    assert "comment line(s) 3: key(s) 'foo' not read" in res.output


# -- '# unit:' against a column's own unit ---------------------------------------------------


def test_a_unit_comment_contradicting_a_column_is_refused_as_unit_option_is(
    tmp_path: Path,
) -> None:
    text = "# rbw_hz: 9000\n# dwell_s: 1\n# unit: dBm\nFrequency (MHz),QP (dBuV)\n1,-50\n"
    with pytest.raises(UnitError, match="'# unit: dBm' contradicts the file's unit dBµV"):
        _read(tmp_path, text)


def test_a_unit_comment_agreeing_or_filling_in_is_read(tmp_path: Path) -> None:
    text = "# unit: dBuV\nFrequency (MHz),QP (dBuV),level\n1,40,41\n2,40,41\n"
    cap = _read(tmp_path, text)
    assert [t.unit.value for t in cap.traces if t.unit] == ["dBµV", "dBµV"]


def test_a_comment_naming_rfchecks_own_metadata_is_not_kept(tmp_path: Path) -> None:
    # the receiver multiplies a stated --volts-per-unit by the metadata's sample_unit_scale:
    # a comment of that name rescaled an oscilloscope record by 1000 (+60 dB), unsaid
    text = "# sample_unit_scale: 1000\ntime_s,volts\n0,0.1\n1e-6,0.2\n2e-6,0.1\n"
    cap = _read(tmp_path, text)
    assert "sample_unit_scale" not in cap.metadata
    (note,) = cap.warnings
    assert "'sample_unit_scale' not read" in note
