"""Generic CSV: the ``# detector:`` comment against the columns' own labels.

The comment is the default for level columns whose label names no detector; a label that
names one wins (documented in :mod:`rfcheck.io.generic_csv`). When every label names one and
a label contradicts the comment, the reader says so: a peak column read as an average, or an
average read as peak, moves a verdict.
"""

from __future__ import annotations

from pathlib import Path

from rfcheck.capture import Detector
from rfcheck.io.generic_csv import read_generic_csv

ROWS = "1,40.0\n2,41.0\n3,42.0\n"


def _read(tmp_path: Path, head: str) -> tuple[list[Detector], tuple[str, ...]]:
    path = tmp_path / "scan.csv"
    path.write_text(head + ROWS, encoding="utf-8")
    cap = read_generic_csv(path)
    return [t.detector for t in cap.traces], cap.warnings


def test_a_label_contradicting_the_comment_is_read_and_said(tmp_path: Path) -> None:
    head = "# rbw_hz: 9000\n# detector: cispr-average\nFrequency (MHz),Peak (dBuV)\n"
    dets, warnings = _read(tmp_path, head)
    assert dets == [Detector.PEAK]
    (note,) = warnings
    assert "'# detector: cispr-average' applies to no column" in note
    assert "column 'Peak': peak" in note


def test_a_comment_used_as_the_default_is_not_a_contradiction(tmp_path: Path) -> None:
    head = "# detector: peak\nFrequency (MHz),level (dBuV),QP (dBuV)\n"
    path = tmp_path / "scan.csv"
    path.write_text(head + "1,40.0,30.0\n2,41.0,31.0\n", encoding="utf-8")
    cap = read_generic_csv(path)
    assert [t.detector for t in cap.traces] == [Detector.PEAK, Detector.QUASI_PEAK]
    assert cap.warnings == ()


def test_labels_agreeing_with_the_comment_say_nothing(tmp_path: Path) -> None:
    dets, warnings = _read(tmp_path, "# detector: peak\nFrequency (MHz),Peak (dBuV)\n")
    assert dets == [Detector.PEAK]
    assert warnings == ()
