"""The dossier's summary.csv keeps numbers as numbers and lists on one line.

A printed margin ``+2.71`` written as text would be neutralised to ``'+2.71`` (a ``+`` starts a
spreadsheet formula); the numeric columns are written as bare numbers instead, their bound in
the Basis / Bound column. Text cells are still neutralised; the capture list is ``; ``-joined.
"""

from __future__ import annotations

import csv
import io

import pytest

from rfcheck.report.csv_cells import csv_number, csv_text
from rfcheck.report.dossier import _csv_row
from rfcheck.report.dossier._rows import FINAL_HEADERS, MATRIX_HEADERS


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("+2.71", 2.71),
        ("-3.23", -3.23),
        ("\u2265 +8.82", 8.82),
        ("\u2264 -1.50", -1.5),
        ("0.194775", 0.194775),
        ("", ""),
        ("\u2013", "\u2013"),
        ("54.34 dB\u00b5V", "54.34 dB\u00b5V"),
        ("fcc-15.107-b", "fcc-15.107-b"),
    ],
)
def test_csv_number_reads_a_printed_number(text: str, value: float | str) -> None:
    assert csv_number(text) == value


def _line(row: list[object]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    return buf.getvalue().rstrip("\n")


def test_matrix_row_margins_are_numbers_and_captures_one_line() -> None:
    cells = (
        "L1",
        "fcc-15.107-b",
        "AV",
        "0.15-30",
        "PASS",
        "+2.71",
        "0.194775",
        "measured",
        "conducted/a.csv\nconducted/b.csv",
        "",
    )
    assert len(cells) == len(MATRIX_HEADERS)
    assert _line(_csv_row("matrix", MATRIX_HEADERS, cells)) == (
        "matrix,L1,fcc-15.107-b,AV,0.15-30,PASS,2.71,0.194775,measured,"
        "conducted/a.csv; conducted/b.csv,"
    )
    bound = list(cells)
    bound[5], bound[7] = "\u2265 +8.82", "upper bound"
    row = _csv_row("matrix", MATRIX_HEADERS, tuple(bound))
    assert row[6] == 8.82 and row[8] == "upper bound"  # the bound stays in Basis


def test_text_cells_are_still_neutralised() -> None:
    cells = ("=HYPERLINK(1)", "fcc-15.107-b", "AV", "", "PASS", "+1.00", "", "", "+x.csv", "")
    row = _csv_row("matrix", MATRIX_HEADERS, cells)
    assert row[1] == "'=HYPERLINK(1)" and row[9] == "'+x.csv" and row[6] == 1.0


def test_final_row_numeric_columns() -> None:
    values = (
        "1.3905",
        "54.34 dB\u00b5V",
        "PK",
        "+0.00",
        "0.67",
        "\u2264 55.01 dB\u00b5V",
        "56.00",
        "\u2265 +0.99",
        "upper bound",
    )
    cells = ("L1", "1.39", *values, *("",) * (len(FINAL_HEADERS) - 2 - len(values)))
    assert len(cells) == len(FINAL_HEADERS)
    row = _csv_row("final", FINAL_HEADERS, cells)
    assert row[1:11] == [
        "L1",
        1.39,
        1.3905,
        "54.34 dB\u00b5V",
        "PK",
        0.0,
        0.67,
        "\u2264 55.01 dB\u00b5V",
        56.0,
        0.99,
    ]
    assert row[11] == "upper bound"
    assert "'" not in csv_text(["a"], [{"a": row[10]}])
