"""A UTF-8 byte-order mark before the first line (Excel's "CSV UTF-8", Windows editors).

The mark is no part of any layout: a file that starts with one is detected and read as the
same file without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rfcheck.io import detect_format, load_capture

BOM = b"\xef\xbb\xbf"
FREQS_HZ = (150_000, 160_000, 170_000)
LEVELS = (40.5, 41.25, 39.0)

ROWS_COMMA = "".join(f"{f},{v}\r\n" for f, v in zip(FREQS_HZ, LEVELS, strict=True))
ROWS_SEMI = "".join(f"{f};{v};\r\n" for f, v in zip(FREQS_HZ, LEVELS, strict=True))
ROWS_MHZ = "".join(f"{f / 1e6},{v}\r\n" for f, v in zip(FREQS_HZ, LEVELS, strict=True))

#: Minimal hand-written files of each layout (their readers' documented signatures).
FILES: dict[str, str] = {
    "generic-csv": "# instrument: bench receiver\r\n# rbw_hz: 9000\r\n"
    "Frequency (MHz),Peak (dBuV)\r\n" + ROWS_MHZ,
    "rs-ascii": "Type;ESW26;\r\nVersion;2.31;\r\nMode;Receiver;\r\nx-Unit;Hz;\r\n"
    "y-Unit;dBuV;\r\nTRACE 1:\r\nTrace Mode;CLR/WRITE;\r\nDetector;QUASIPEAK;\r\n"
    "Values;3;\r\n" + ROWS_SEMI,
    "keysight-xseries": "Trace\r\nSwept SA\r\nA.33.03,N9038B\r\nNumber of Points,3\r\n"
    "RBW,9000\r\nDetector,Peak\r\nX Axis Units,Hz\r\nY Axis Units,dBuV\r\nDATA\r\n" + ROWS_COMMA,
    "siglent": "Machine Module,SSA3021X,2.1.1.1\r\nY Axis Unit,dBuV\r\nNumber of Points,3\r\n"
    "RBW,9000.000000,Manual\r\nTrace Name,Trace A\r\nTrace Type,Max Hold\r\n"
    "Trace Detector,Pos Peak\r\nTrace Data\r\n" + ROWS_COMMA,
    "signalhound": "Signal Hound Spike,3.9.2\r\nDevice,BB60C\r\n"
    "Frequency (MHz),Amplitude (dBuV)\r\n" + ROWS_MHZ,
}


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_a_byte_order_mark_does_not_hide_the_format(tmp_path: Path, fmt: str) -> None:
    """The file with the mark is detected and read exactly as the file without it."""
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    plain.write_bytes(FILES[fmt].encode())
    marked.write_bytes(BOM + FILES[fmt].encode())
    assert detect_format(plain).name == fmt
    assert detect_format(marked).name == fmt
    a, b = load_capture(plain), load_capture(marked)
    assert b.provenance is not None and b.provenance.format == fmt
    assert [t.freq_hz.tolist() for t in b.traces] == [t.freq_hz.tolist() for t in a.traces]
    assert [t.level.tolist() for t in b.traces] == [list(LEVELS)]
    assert [t.unit for t in b.traces] == [t.unit for t in a.traces]
    assert b.instrument == a.instrument
