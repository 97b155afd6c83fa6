"""An R&S TRACE block stating no detector takes the header's ``Detector`` line, with a note."""

from __future__ import annotations

from pathlib import Path

from rfcheck.capture import Detector
from rfcheck.io import load_capture

HEAD = (
    "Type;ESR7;\nVersion;3.40;\nDate;07.Dec 26;\nMode;Receiver;\nStart;150000.000000;Hz\n"
    "Stop;30000000.000000;Hz\nx-Axis;LOG;\nX-Unit;Hz;\nY-Unit;dBuV;\nRBW;9000.000000;Hz\n"
    "Meas Time;1.000000;s\nDetector;Quasipeak;\n"
)
ROWS = "Values;3;\n150000.000000;30.00;\n1000000.000000;40.00;\n30000000.000000;35.00;\n"


def _read(tmp_path: Path, text: str) -> tuple[list[Detector], list[str]]:
    path = tmp_path / "esr.DAT"
    path.write_text(text, encoding="latin-1")
    cap = load_capture(path)
    return [t.detector for t in cap.traces], list(cap.warnings)


def test_a_trace_block_taking_the_global_detector_says_so(tmp_path: Path) -> None:
    text = HEAD + "TRACE 1:\nTrace Mode;CLR/WRITE;\n" + ROWS + "TRACE 2:\n" + ROWS
    detectors, warnings = _read(tmp_path, text)
    assert detectors == [Detector.QUASI_PEAK, Detector.QUASI_PEAK]
    for name in ("TRACE 1", "TRACE 2"):
        assert (
            f"{name}: detector from the file header's Detector line ('Quasipeak', line 12): "
            "the TRACE block states none"
        ) in warnings


def test_no_note_when_the_block_states_its_own_detector(tmp_path: Path) -> None:
    text = HEAD + "TRACE 1:\nDetector;Average;\n" + ROWS
    detectors, warnings = _read(tmp_path, text)
    assert detectors == [Detector.AVERAGE]
    assert not [w for w in warnings if "file header's Detector" in w]


def test_no_note_for_a_single_trace_export_without_a_trace_line(tmp_path: Path) -> None:
    detectors, warnings = _read(tmp_path, HEAD + ROWS)
    assert detectors == [Detector.QUASI_PEAK]
    assert not [w for w in warnings if "file header's Detector" in w]
