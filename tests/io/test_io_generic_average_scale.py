"""Generic CSV: an average column whose label states no averaging scale.

An analyser averages log (dB) values, power or voltage, and the log average of a bursty
emission reads far below the linear (voltage) average the AV line is judged on. A bare
``Avg``/``Average``/``AV`` label is therefore read as a log-average, a lower bound of every
line (as the vendor readers read an Average trace whose scale is unknown only as a bound),
never as the average detector that measures the AV line. A word beside it, or the
``# detector:`` comment, states the scale.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.capture import Detector
from rfcheck.cli import main
from rfcheck.io.generic_csv import read_generic_csv
from rfcheck.outcome import Bound
from rfcheck.verdict.bounds import relation

ROWS = "0.90,55.0,40.0\n1.00,55.0,40.0\n1.10,55.0,40.0\n"


def _read(tmp_path: Path, head: str) -> tuple[list[Detector], tuple[str, ...]]:
    path = tmp_path / "scan.csv"
    path.write_text(head + ROWS, encoding="utf-8")
    cap = read_generic_csv(path)
    return [t.detector for t in cap.traces], cap.warnings


@pytest.mark.parametrize("label", ["Avg", "Average", "AV", "level avg", "AVG"])
def test_a_bare_average_label_is_a_log_average_and_said(tmp_path: Path, label: str) -> None:
    head = f"# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV),{label} (dBuV)\n"
    dets, warnings = _read(tmp_path, head)
    assert dets == [Detector.PEAK, Detector.LOG_AVERAGE]
    (note,) = warnings
    assert f"column {label!r} names an average but not its scale" in note
    assert "'# detector: average'" in note and "'Avg (linear)'" in note


def test_the_unscaled_average_never_measures_nor_bounds_the_av_line_from_above() -> None:
    # what the reading of a bare 'Avg' column proves: a lower bound of every line
    for line in (Detector.CISPR_AVERAGE, Detector.AVERAGE, Detector.QUASI_PEAK, Detector.PEAK):
        assert relation(Detector.LOG_AVERAGE, line) is Bound.LOWER


@pytest.mark.parametrize(
    ("label", "detector"),
    [
        ("Avg (linear)", Detector.AVERAGE),
        ("Lin Avg", Detector.AVERAGE),
        ("Average voltage", Detector.AVERAGE),
        ("Log Avg", Detector.LOG_AVERAGE),
        ("Avg log", Detector.LOG_AVERAGE),
        ("Average power", Detector.RMS),
        ("CISPR-AV", Detector.CISPR_AVERAGE),
        ("CAV", Detector.CISPR_AVERAGE),
        ("CAVG", Detector.CISPR_AVERAGE),
        ("CISPR Average", Detector.CISPR_AVERAGE),
        ("RMS Average", Detector.RMS_AVERAGE),
    ],
)
def test_a_label_stating_the_scale_keeps_its_meaning(
    tmp_path: Path, label: str, detector: Detector
) -> None:
    dets, warnings = _read(tmp_path, f"Frequency (MHz),Peak (dBuV),{label} (dBuV)\n")
    assert dets == [Detector.PEAK, detector]
    assert warnings == ()


@pytest.mark.parametrize(
    ("comment", "detector"),
    [
        ("average", Detector.AVERAGE),
        ("cispr-average", Detector.CISPR_AVERAGE),
        ("log-average", Detector.LOG_AVERAGE),
        ("rms", Detector.RMS),
    ],
)
def test_the_detector_comment_states_the_scale_of_a_bare_average(
    tmp_path: Path, comment: str, detector: Detector
) -> None:
    head = f"# detector: {comment}\nFrequency (MHz),Peak (dBuV),Avg (dBuV)\n"
    dets, warnings = _read(tmp_path, head)
    assert dets == [Detector.PEAK, detector]
    assert warnings == ()  # the comment applies to the Avg column: no contradiction noted


def test_a_comment_naming_no_average_leaves_the_bare_average_a_lower_bound(
    tmp_path: Path,
) -> None:
    head = "# detector: peak\nFrequency (MHz),Peak (dBuV),Avg (dBuV)\n"
    dets, warnings = _read(tmp_path, head)
    assert dets == [Detector.PEAK, Detector.LOG_AVERAGE]
    assert any("names an average but not its scale" in w for w in warnings)
    assert any("'# detector: peak' applies to no column" in w for w in warnings)


def test_a_level_column_with_the_average_comment_stays_the_average(tmp_path: Path) -> None:
    dets, warnings = _read(tmp_path, "# detector: average\nFrequency (MHz),a (dBuV),b (dBuV)\n")
    assert dets == [Detector.AVERAGE, Detector.AVERAGE]
    assert warnings == ()


def test_check_of_a_bare_average_under_the_av_limit_is_no_pass(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    path.write_text("# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV),Avg (dBuV)\n" + ROWS)
    args = ["check", str(path), "--limit", "fcc-15.107-b", "--range", "900k-1.1M"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 4, result.output  # INCONCLUSIVE: the AV line is not measured
    assert "INCONCLUSIVE" in result.output


def test_check_of_a_bare_average_over_the_av_limit_fails(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    path.write_text(
        "# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV),Avg (dBuV)\n" + ROWS.replace(",40.0", ",50.0")
    )
    args = ["check", str(path), "--limit", "fcc-15.107-b", "--range", "900k-1.1M"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "lower bound" in result.output
