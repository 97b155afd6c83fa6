"""A file cut inside its last row is refused; one merely lacking a final line ending is read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.errors import EXIT_INPUT_ERROR, CaptureFormatError
from rfcheck.io import load_capture

FREQS = [150000, 300000, 450000, 600000, 30000000]
LEVELS = ["30.00", "40.00", "30.00", "42.00", "65.00"]

KEYSIGHT_HEAD = (
    "Trace\r\nSwept SA\r\nA.26.08,N9038B\r\nNumber of Points,5\r\nStart Frequency,150000\r\n"
    "Stop Frequency,30000000\r\nRBW,9000\r\nSweep Time,0.2\r\nTrace Type,Maxhold\r\n"
    "Detector,Peak\r\nX Axis Units,Hz\r\nY Axis Units,dBuV\r\nDATA\r\n"
)
RS_HEAD = (
    "Type;FSV-7;\r\nVersion;3.40;\r\nStart;150000.000000;Hz\r\nStop;30000000.000000;Hz\r\n"
    "RBW;9000.000000;Hz\r\nSWT;0.2;s\r\nTRACE 1:\r\nTrace Mode;MAX HOLD;\r\n"
    "Detector;MAX PEAK;\r\nx-Unit;Hz;\r\ny-Unit;dBuV;\r\nValues;5;\r\n"
)
GENERIC_HEAD = "# rbw_hz: 9000\n# detector: peak\nFrequency (Hz),Peak (dBuV)\n"


def keysight(levels: list[str]) -> str:
    return KEYSIGHT_HEAD + "".join(f"{f},{v}\r\n" for f, v in zip(FREQS, levels, strict=True))


def rs(levels: list[str]) -> str:
    rows = (f"{f:.6f};{v};\r\n" for f, v in zip(FREQS, levels, strict=True))
    return RS_HEAD + "".join(rows)


def generic(levels: list[str]) -> str:
    return GENERIC_HEAD + "".join(f"{f},{v}\n" for f, v in zip(FREQS, levels, strict=True))


FORMATS = {"keysight.csv": keysight, "rs.DAT": rs, "generic.csv": generic}
#: line of the last data row in each file
LAST_LINE = {"keysight.csv": 18, "rs.DAT": 17, "generic.csv": 8}


def _cut(text: str, keep: str) -> str:
    """``text`` ending in its last row with the level cut to ``keep``, no line ending."""
    head, _, last = text.rstrip("\r\n").rpartition("\n")
    sep = ";" if ";" in last else ","
    return f"{head}\n{last.split(sep)[0]}{sep}{keep}"


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("keep", ["6", "65", "65.", "65.0"])
def test_a_last_row_cut_mid_number_is_refused(tmp_path: Path, name: str, keep: str) -> None:
    path = tmp_path / name
    path.write_bytes(_cut(FORMATS[name](LEVELS), keep).encode())
    result = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b"])
    assert result.exit_code == EXIT_INPUT_ERROR, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"{name}:{LAST_LINE[name]}:" in lines[0]
    assert "cut mid-row" in lines[0]
    assert "PASS" not in result.stdout


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_whole_file_without_a_final_line_ending_is_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(FORMATS[name](LEVELS).rstrip("\r\n").encode())
    cap = load_capture(path)
    assert cap.traces[0].level[-1] == pytest.approx(65.0)


@pytest.mark.parametrize("name", ["keysight.csv", "generic.csv"])
def test_rows_of_varying_decimals_without_a_final_line_ending_are_read(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    # (a last "6" among longer fields reads as a cut "65": refused, see below)
    for levels in (["30", "40.5", "30.25", "42", "6.5"], ["30.25", "40.5", "30", "42.00", "16"]):
        path.write_bytes(FORMATS[name](levels).rstrip("\r\n").encode())
        cap = load_capture(path)
        assert np.allclose(cap.traces[0].level, [float(v) for v in levels])


def test_rs_last_row_without_its_semicolon_is_refused_even_with_a_line_ending(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rs.DAT"
    text = rs(LEVELS)
    path.write_bytes((text[: text.rindex(";")] + "\r\n").encode())
    with pytest.raises(CaptureFormatError, match=r"does not end with ';' as every other row"):
        load_capture(path)


def test_a_cut_exponent_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "generic.csv"
    levels = ["3.000000E+01", "4.000000E+01", "3.000000E+01", "4.200000E+01", "6.500000E+01"]
    text = generic(levels).rstrip("\n")
    path.write_bytes(text[:-1].encode())  # '6.500000E+0': 6.5 where the file wrote 65
    with pytest.raises(CaptureFormatError, match="1 exponent digits in column 2 where every"):
        load_capture(path)


def test_the_fast_and_the_line_indexed_routes_both_refuse(tmp_path: Path) -> None:
    # a row of text after the block sends the Keysight reader down the line-indexed route
    path = tmp_path / "keysight.csv"
    text = KEYSIGHT_HEAD.replace("Number of Points,5\r\n", "") + "".join(
        f"{f},{v}\r\n" for f, v in zip(FREQS, LEVELS, strict=True)
    )
    path.write_bytes(_cut(text, "6").encode())
    with pytest.raises(CaptureFormatError, match="cut mid-row"):
        load_capture(path)


OTHER_READERS = {
    "tinysa.csv": "1000000,-95.50\n2000000,-94.25\n3000000,-60.00\n4000000,-93.75\n",
    "spike.csv": (
        "Spike,3.8.11\nDevice,SM200B\nDetector,Average\nRBW,30 kHz\n"
        "Frequency (MHz),Amplitude (dBm)\n100.000,-80.50\n100.500,-81.00\n101.000,-45.25\n"
        "101.500,-60.50\n"
    ),
    "rigol.csv": (
        "Model,RSA5065\nStart Freq,30,MHz\nStop Freq,300,MHz\nRBW,120000,Hz\nPoints,4\n"
        "Trace1 Mode,Max Hold\nTrace1 Detector,Pos Peak\nTrace Data\nFrequency(Hz),Trace1(dBm)\n"
        "30000000,-62.10\n97500000,-55.25\n165000000,-58.00\n300000000,-61.30\n"
    ),
    "signalvu.csv": (
        "EMC-EMI 1,11/11/2025 09:42:32\n[Global Parameters]\nInput Type,RF,\n[Parameters]\n"
        "RBW,,9000,Hz,\n[Trace Parameters]\nScan1 \nTrace Processing Function,MaxHold,\n"
        "Detector Type,CISPRPeak,\n[Traces]\n[Trace]\nScan1 ,,dBuV,-1,-1\nNumberPoints,4\n"
        "XUnits,Hz\n1000000,45.09\n1002000,44.83\n1004000,43.74\n1006000,65.00\n"
    ),
}


@pytest.mark.parametrize("name", sorted(OTHER_READERS))
def test_readers_of_whole_tables_refuse_a_cut_last_row(tmp_path: Path, name: str) -> None:
    text = OTHER_READERS[name]
    whole = tmp_path / f"whole_{name}"
    whole.write_bytes(text.rstrip("\n").encode())
    assert load_capture(whole).traces[0].level.size == 4
    cut = tmp_path / f"cut_{name}"
    last = text.rstrip("\n").rsplit("\n", 1)[1]
    keep = last[: last.rindex(".") + 2]  # one decimal of two
    cut.write_bytes((text.rstrip("\n")[: -len(last)] + keep).encode())
    with pytest.raises(CaptureFormatError, match="cut mid-row"):
        load_capture(cut)


WHOLE = ["30", "40", "30", "42", "65"]  #: whole-number levels: no decimals to compare
VARYING = ["30.5", "40", "30.25", "42", "65"]


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("levels", [WHOLE, VARYING], ids=["whole", "varying"])
def test_a_last_field_shorter_than_in_every_other_row_is_refused(
    tmp_path: Path, name: str, levels: list[str]
) -> None:
    """``65`` cut to ``6``: shorter than the column anywhere else, with no line ending."""
    path = tmp_path / name
    path.write_bytes(_cut(FORMATS[name](levels), "6").encode())
    # R&S rows end with ';': the missing separator gives the cut away first
    why = "does not end with ';'" if name == "rs.DAT" else "is shorter than in every other row"
    with pytest.raises(CaptureFormatError, match=why):
        load_capture(path)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_short_last_field_in_a_column_of_short_fields_is_read(tmp_path: Path, name: str) -> None:
    """A 5 dBuV last reading among others as short is no sign of a cut."""
    path = tmp_path / name
    path.write_bytes(FORMATS[name](["30", "4", "30", "42", "5"]).rstrip("\r\n").encode())
    assert load_capture(path).traces[0].level[-1] == pytest.approx(5.0)
