"""A generic CSV number written with a thousands separator is named, never guessed at.

A spreadsheet saving ``150000`` with its display format writes ``"150,000"``: a quoted field
holding the separator. It could be 150000 (a thousands separator) or 150.000 (a decimal
comma), so it is refused, and the message says so, not "row has 3 fields".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture

_HEADER = "Frequency (Hz),Peak (dBuV)\n"
_SAYS = (
    "data: a number with a thousands separator in column 1: '150,000' (quoted in the file), "
    "which could also be a decimal comma, so it is not read; save the numbers without "
    "separators and with '.' as the decimal mark"
)


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        ('"150,000",52.1\n"160,000",51.8\n', 2),
        ('140000,52.0\n"150,000",52.1\n', 3),
    ],
    ids=["first-row", "later-row"],
)
def test_a_quoted_thousands_separated_number_is_named(tmp_path: Path, rows: str, line: int) -> None:
    path = tmp_path / "scan.csv"
    path.write_text(_HEADER + rows, encoding="ascii")
    with pytest.raises(CaptureFormatError) as err:
        load_capture(path)
    assert err.value.line == line
    assert _SAYS in str(err.value)
    assert "fields" not in str(err.value)


def test_check_refuses_it_in_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    path.write_text(_HEADER + '"150,000",52.1\n"160,000",51.8\n', encoding="ascii")
    result = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b"])
    assert result.exit_code == 3, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("rfcheck: error:")]
    assert line.endswith(f"scan.csv:2: {_SAYS}")


def test_an_unquoted_thousands_separator_in_a_semicolon_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    path.write_text("Frequency (Hz);Peak (dBuV)\n140000;52.0\n150,000;52.1\n", encoding="ascii")
    with pytest.raises(CaptureFormatError, match=r"a number with a thousands separator"):
        load_capture(path)


def test_a_quoted_plain_number_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    path.write_text(_HEADER + '"150000",52.1\n"160000",51.8\n', encoding="ascii")
    assert load_capture(path).traces[0].freq_hz.tolist() == [150e3, 160e3]


def test_a_decimal_comma_keeps_its_own_hint(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    path.write_text("Frequency (MHz);Peak (dBuV)\n0,15;52,1\n0,16;51,8\n", encoding="ascii")
    with pytest.raises(CaptureFormatError, match=r"decimal"):
        load_capture(path)


@pytest.mark.parametrize("cell", ["1,052.1", "1.500.000"])
def test_a_number_whose_marks_are_plain_is_not_called_a_decimal_comma(
    tmp_path: Path, cell: str
) -> None:
    """Both marks, or one mark twice: it cannot be a decimal comma, and is not called one."""
    path = tmp_path / "t.csv"
    path.write_text(f'Frequency (Hz);Peak (dBuV)\n150000;"{cell}"\n160000;40\n', encoding="utf-8")
    with pytest.raises(CaptureFormatError) as err:
        load_capture(path)
    assert f"a number with a thousands separator in column 2: {cell!r}" in str(err.value)
    assert "decimal comma," not in str(err.value)
