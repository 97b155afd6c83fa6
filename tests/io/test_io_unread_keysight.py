"""Keysight CSV layouts no reader reads: refused on one line, exit 3, and the page says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

REPO = Path(__file__).resolve().parents[2]

#: Keysight's '!CSV A.01.01' layout (its network analysers' CSV, the FieldFox family's too),
#: with a spectrum trace in it; the values are made up.
BANG_CSV = (
    "!CSV A.01.01\r\n"
    "!Keysight Technologies,N9918B,MY00000001,A.11.55\r\n"
    "!Date: Monday, December 7, 2026 10:12:01\r\n"
    "!Source: Standard\r\n"
    "\r\n"
    "BEGIN SA_DATA\r\n"
    "Frequency(Hz),Trace 1 (dBm)\r\n"
    "150000,-60.00\r\n"
    "15075000,-61.00\r\n"
    "30000000,-62.00\r\n"
    "END\r\n"
)


@pytest.mark.parametrize("command", [["info"], ["check", "--limit", "fcc-15.107-b"]])
def test_a_bang_csv_file_is_refused_on_one_line_with_exit_3(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "fieldfox.csv"
    path.write_bytes(BANG_CSV.encode("ascii"))
    result = CliRunner().invoke(main, [command[0], str(path), *command[1:]])
    assert result.exit_code == 3, result.output
    errors = [ln for ln in result.output.splitlines() if ln.startswith("rfcheck: error:")]
    assert errors == [
        f"rfcheck: error: {path}: unrecognised capture format (first line '!CSV A.01.01'); "
        "name it with --format (see 'rfcheck formats')"
    ]


def test_the_formats_page_says_which_keysight_files_are_not_read_and_how_to_convert() -> None:
    text = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    section = text[text.index("## Keysight CSV files rfcheck does not read") :]
    for said in ("`!CSV A.01.01`", "FieldFox", "Meas Results", "Converting to the generic CSV"):
        assert said in section, said
