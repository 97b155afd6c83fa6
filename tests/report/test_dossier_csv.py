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
from rfcheck.report.dossier import _csv_final_headers, _csv_row
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
    # reading and level: a number, then its unit in a column of its own (they were text,
    # "54.34 dBµV", which a spreadsheet cannot add up)
    assert row[1:13] == [
        "L1",
        1.39,
        1.3905,
        54.34,
        "dB\u00b5V",
        "PK",
        0.0,
        0.67,
        55.01,
        "dB\u00b5V",
        56.0,
        0.99,
    ]
    assert row[13] == "upper bound"  # the level's bound stays in the Bound column
    assert "'" not in csv_text(["a"], [{"a": row[12]}])
    headers = _csv_final_headers()
    assert len(headers) + 1 == len(row)
    assert headers[2:6] == ["QP Freq. [MHz]", "QP Reading", "QP Reading unit", "QP Detector read"]
    assert headers[8:10] == ["QP Level", "QP Level unit"]


def test_a_negative_reading_is_a_number_not_guarded_text() -> None:
    """``-79.00 dBm`` was written ``'-79.00 dBm`` (the formula guard on a text cell)."""
    values = ("375", "-79.00 dBm", "QP", "+106.99", "17.42", "45.41 dB\u00b5V/m", "46.02")
    cells = ("H", "375", *values, *("",) * (len(FINAL_HEADERS) - 2 - len(values)))
    row = _csv_row("final", FINAL_HEADERS, cells)
    assert row[4:6] == [-79.0, "dBm"] and row[9:11] == [45.41, "dB\u00b5V/m"]
    assert _line(row).startswith("final,H,375.0,375.0,-79.0,dBm,QP,106.99,17.42,45.41,")
    # text still guarded
    cells = ("=cmd", "375", *values, *("",) * (len(FINAL_HEADERS) - 2 - len(values)))
    assert _csv_row("final", FINAL_HEADERS, cells)[1] == "'=cmd"
