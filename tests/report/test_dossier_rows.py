"""The dossier's rows (rfcheck/report/dossier/_rows.py): margin basis, what decides a verdict."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from rfcheck.outcome import Bound, Verdict
from rfcheck.product.cells import Cell, CellState
from rfcheck.product.dossier import PortResult, UnitDossier
from rfcheck.product.final_table import FinalRow, TableValue
from rfcheck.product.plan import PortKind, RequiredCell, TestPlan, load_plan_rules
from rfcheck.report.dossier import summary_csv
from rfcheck.report.dossier._rows import (
    FINAL_HEADERS,
    MATRIX_HEADERS,
    Row,
    capture_root,
    empty_final_table_text,
    final_rows,
    fmt_mhz,
    fmt_ranges,
    matrix_rows,
    row_frequencies,
    verdict_reasons,
)
from rfcheck.report.dossier.html import render_dossier_html
from rfcheck.results import CaptureResult, ErrorRecord


def _required() -> RequiredCell:
    return RequiredCell("V", PortKind.POLARISATION, "fcc-15.109-b", "QP", 30e6, 1e9, "15.109(a)")


def _row(cell: Cell) -> dict[str, str]:
    (row,) = matrix_rows((cell,))
    return dict(zip(MATRIX_HEADERS, row.cells, strict=True))


def test_basis_names_the_bound_behind_the_worst_margin() -> None:
    cell = Cell(_required(), CellState.PASS, 2.97, 375e6, Bound.UPPER, captures=("a.DAT",))
    row = _row(cell)
    assert row["Margin [dB]"] == "\u2265 +2.97"  # an upper-bound level: the margin is at least
    assert row["Basis"] == "upper bound"


def test_basis_of_an_inconclusive_cell_says_what_would_settle_it() -> None:
    needs = "a quasi-peak measurement at 375 MHz"
    cell = Cell(_required(), CellState.INCONCLUSIVE, -1.2, 375e6, Bound.UPPER, needs=needs)
    assert _row(cell)["Basis"] == f"upper bound; needs: {needs}"


def test_missing_cell_has_no_basis() -> None:
    cell = Cell(_required(), CellState.MISSING, missing_hz=((30e6, 1e9),))
    row = _row(cell)
    assert row["Basis"] == ""
    assert row["Not measured [MHz]"] == "30-1000"


def _dossier(*cells: Cell, ports: tuple[PortResult, ...] = ()) -> UnitDossier:
    plan = TestPlan(
        "fcc-part15b", "B", ("L1", "L2"), ("H", "V"), 3.0, 700e6, load_plan_rules("fcc-part15b")
    )
    return UnitDossier("rig", plan, cells, (), ports)


def _pooled(verdict: Verdict) -> CaptureResult:
    return CaptureResult(path="L2", sha256=None, format=None, verdict=verdict)


def test_a_port_without_a_capture_is_not_measured_not_clean() -> None:
    d = _dossier(ports=(PortResult("L2", (), None),))
    assert empty_final_table_text(d, "L2") == "Not measured (no capture of L2)."


def test_a_port_whose_captures_could_not_be_used_is_not_judged() -> None:
    unreadable = _dossier(ports=(PortResult("L2", ("a.csv",), None),))
    errored = _dossier(ports=(PortResult("L2", ("a.csv",), _pooled(Verdict.ERROR)),))
    for d in (unreadable, errored):
        assert empty_final_table_text(d, "L2") == (
            "Not judged: the captures of L2 could not be used (see Errors)."
        )


def test_only_a_judged_port_without_emissions_measured_none() -> None:
    d = _dossier(ports=(PortResult("L2", ("a.csv",), _pooled(Verdict.PASS)),))
    assert empty_final_table_text(d, "L2") == "No emission measured."


def test_an_undecided_port_without_rows_is_not_said_to_measure_no_emission() -> None:
    """Readings 4 dB over the QP line in a file stating no RBW bound nothing.

    The port is INCONCLUSIVE with no final-table row; "No emission measured." hid that.
    """
    d = _dossier(ports=(PortResult("L2", ("a.csv",), _pooled(Verdict.INCONCLUSIVE)),))
    text = empty_final_table_text(d, "L2")
    assert "No emission measured" not in text
    assert text.startswith("No emission row: the readings of this port bound no level")


def test_pass_has_no_reasons() -> None:
    d = _dossier(Cell(_required(), CellState.PASS, 2.97, 375e6, Bound.MEASURED))
    assert verdict_reasons(d) == []


def test_fail_names_the_failing_cells_then_what_is_still_open() -> None:
    """Page 1 of a FAIL also names what is still open.

    It named only the FAIL cells; an INCONCLUSIVE cell and a capture that could not be read
    first appeared on page 3, so a lab fixing the FAIL from the cover alone missed them.
    """
    d = _dossier(
        Cell(_required(), CellState.PASS, 2.97, 300e6, Bound.MEASURED),
        Cell(_required(), CellState.FAIL, -3.23, 375e6, Bound.MEASURED),
        Cell(_required(), CellState.INCONCLUSIVE, -1.0, 500e6, Bound.UPPER, needs="QP at 500 MHz"),
    )
    d = dataclasses.replace(
        d, errors=(ErrorRecord("in/L1_broken.csv", "frequencies go backwards"),)
    )
    assert verdict_reasons(d) == [
        "V QP 30-1000 MHz (fcc-15.109-b): -3.23 dB at 375 MHz (measured)",
        "still open: 1 INCONCLUSIVE cell: V QP 30-1000 MHz \u2265 -1.00 dB at 500 MHz "
        "(needs QP at 500 MHz)",
        "still open: 1 capture could not be used: in/L1_broken.csv (see Errors)",
    ]


def test_still_open_cells_are_counted_past_the_first_few() -> None:
    cells = [
        Cell(_required(), CellState.INCONCLUSIVE, -1.0, 500e6 + i * 1e6, Bound.UPPER, needs="QP")
        for i in range(5)
    ]
    d = _dossier(Cell(_required(), CellState.FAIL, -3.23, 375e6, Bound.MEASURED), *cells)
    still_open = verdict_reasons(d)[1]
    assert still_open.startswith("still open: 5 INCONCLUSIVE cells: V QP 30-1000 MHz")
    assert still_open.endswith("at 502 MHz (needs QP); +2 more")


def test_inconclusive_says_what_would_settle_it_and_counts_the_rest() -> None:
    needs = "a quasi-peak measurement at 500 MHz"
    cells = [
        Cell(_required(), CellState.INCONCLUSIVE, -1.0, 500e6 + i * 1e6, Bound.UPPER, needs=needs)
        for i in range(6)
    ]
    lines = verdict_reasons(_dossier(*cells), limit=4)
    head = "V QP 30-1000 MHz (fcc-15.109-b)"
    assert lines[0] == f"{head}: \u2265 -1.00 dB at 500 MHz (upper bound); needs {needs}"
    assert len(lines) == 5
    assert lines[-1] == "and 2 more (see the completeness matrix)"


def test_incomplete_names_the_ranges_not_measured() -> None:
    d = _dossier(Cell(_required(), CellState.MISSING, missing_hz=((30e6, 88e6), (216e6, 1e9))))
    assert verdict_reasons(d) == [
        "V QP 30-1000 MHz (fcc-15.109-b): not measured 30-88, 216-1000 MHz"
    ]


def test_capture_paths_shown_relative_to_their_common_folder() -> None:
    cells = (
        Cell(_required(), CellState.PASS, 1.0, 40e6, Bound.MEASURED, captures=("/lab/r/a.DAT",)),
        Cell(_required(), CellState.PASS, 1.0, 40e6, Bound.MEASURED, captures=("/lab/c/b.csv",)),
    )
    root = capture_root(cells)
    assert root == "/lab"
    assert [_row_of(r)["Captures"] for r in matrix_rows(cells, root)] == ["r/a.DAT", "c/b.csv"]
    assert capture_root((Cell(_required(), CellState.MISSING),)) is None
    mixed = (cells[0], Cell(_required(), CellState.PASS, captures=("rel/c.csv",)))
    assert capture_root(mixed) is None


def _row_of(row: Row) -> dict[str, str]:
    return dict(zip(MATRIX_HEADERS, row.cells, strict=True))


def test_the_pdf_value_and_cell_detail_print_a_bound_margin_as_a_bound() -> None:
    """The dossier PDF's final-table values and per-cell detail say ``≥`` for a peak level."""
    from reportlab.platypus import KeepTogether, Paragraph

    from rfcheck.product.final_table import TableValue
    from rfcheck.report.dossier.pdf import PdfContext, _cell_detail, _styles, _value_text
    from rfcheck.report.fonts import register_fonts

    register_fonts()

    value = TableValue(375e6, 43.05, 46.02, 2.97, "dBµV/m", Bound.UPPER, "peak")
    assert _value_text(value) == (
        "PK read: \u2264 43.05 dBµV/m\nlimit 46.02, margin \u2265 +2.97 dB\nupper bound"
    )
    cell = Cell(_required(), CellState.PASS, 2.97, 375e6, Bound.UPPER, captures=("a.DAT",))
    ctx = PdfContext(_dossier(cell), None, 400.0, _styles(), ())
    [block] = _cell_detail(ctx)
    assert isinstance(block, KeepTogether)
    texts = [f.text for f in block._content if isinstance(f, Paragraph)]
    assert any("worst margin \u2265 +2.97 dB at 375 MHz (upper bound)" in t for t in texts)


def test_the_record_checklist_names_a_bound_margin_as_a_bound() -> None:
    from rfcheck.product.record import data_shown

    d = _dossier(
        Cell(_required(), CellState.INCONCLUSIVE, -1.0, 500e6, Bound.UPPER, needs="QP at 500 MHz")
    )
    assert data_shown(d).detail == "V QP 30-1000 MHz: \u2265 -1.00 dB at 500 MHz (upper bound)"


def test_the_pdf_matrix_keeps_frequencies_margins_and_verdicts_on_one_line() -> None:
    """0.194775 MHz, "≥ -10.32" and INCONCLUSIVE each stay whole in the completeness matrix."""
    from reportlab.platypus import Paragraph, Table

    from rfcheck.report.dossier.pdf import MATRIX_WIDTHS, PdfContext, _matrix, _styles
    from rfcheck.report.fonts import register_fonts

    register_fonts()
    assert sum(MATRIX_WIDTHS) == pytest.approx(1.0)
    req = RequiredCell("L1", PortKind.MAINS, "fcc-15.107-b", "QP", 150e3, 30e6, "15.107(a)")
    cells = (
        Cell(req, CellState.INCONCLUSIVE, -10.32, 194775.0, Bound.UPPER, needs="QP"),
        Cell(req, CellState.PASS, 8.82, 0.194775e6, Bound.UPPER),
    )
    ctx = PdfContext(_dossier(*cells), None, 172 * 72 / 25.4, _styles(), ())
    table = next(f for f in _matrix(ctx) if isinstance(f, Table))
    table.wrap(ctx.width, 1000)
    at = MATRIX_HEADERS.index("at [MHz]")
    for row in table._cellvalues[1:]:
        for col in ("Verdict", "Margin [dB]", "at [MHz]", "Range [MHz]", "Limit"):
            k = MATRIX_HEADERS.index(col)
            p = row[k] if isinstance(row[k], Paragraph) else row[k][0]  # a cell may be a tuple
            assert isinstance(p, Paragraph)
            p.wrap(table._colWidths[k] - 6, 1000)  # 3 pt padding a side
            # the Limit cell: the table id, then the cell's clause under it, each whole
            assert len(p.blPara.lines) == (2 if col == "Limit" else 1), (col, p.text)
    assert [table._cellvalues[i][at][0].text for i in (1, 2)] == ["0.194775", "0.194775"]


def test_the_final_table_names_the_detector_read_and_marks_a_bound_level() -> None:
    """A peak reading in the QP column says it is a peak bounding the QP level from above.

    The PDF once printed "54.34 dBµV +0.00 dB + 0.67 dB = 55.01 dBµV" under QP, as if it
    were a quasi-peak reading, with unlabelled correction terms.
    """
    from rfcheck.product.final_table import FinalRow, TableValue
    from rfcheck.report.dossier._rows import FINAL_HEADERS, final_rows
    from rfcheck.report.dossier.pdf import _value_text

    qp = TableValue(
        194775.0, 55.01, 63.83, 8.82, "dBµV", Bound.UPPER, "peak",
        reading=54.34, correction_db=0.67, reading_unit="dBµV", conversion_db=0.0,
    )  # fmt: skip
    av = TableValue(
        194775.0, 51.12, 53.83, 2.71, "dBµV", Bound.MEASURED, "average",
        reading=50.45, correction_db=0.67, reading_unit="dBµV", conversion_db=0.0,
    )  # fmt: skip
    assert _value_text(qp, "QP") == (
        "PK reading 54.34 dBµV\n+ Conv. +0.00 dB + Corr. +0.67 dB\n= QP \u2264 55.01 dBµV\n"
        "limit 63.83, margin \u2265 +8.82 dB\nupper bound (PK reading)"
    )
    assert _value_text(av, "AV") == (
        "AV reading 50.45 dBµV\n+ Conv. +0.00 dB + Corr. +0.67 dB\n= AV 51.12 dBµV\n"
        "limit 53.83, margin +2.71 dB\nmeasured"
    )
    (row,) = final_rows((FinalRow("L1", 194775.0, {"QP": qp, "AV": av}),))
    cells = dict(zip(FINAL_HEADERS, row.cells, strict=True))
    assert (cells["QP Reading"], cells["QP Detector read"], cells["QP Level"]) == (
        "54.34 dBµV",
        "PK",
        "\u2264 55.01 dBµV",
    )
    assert (cells["QP Conv. [dB]"], cells["QP Corr. [dB]"], cells["QP Margin [dB]"]) == (
        "+0.00",
        "0.67",
        "\u2265 +8.82",
    )
    assert (cells["AV Detector read"], cells["AV Level"]) == ("AV", "51.12 dBµV")


@pytest.mark.parametrize(
    ("bound", "relation"),
    [(Bound.UPPER, "\u2264 "), (Bound.LOWER, "\u2265 "), (Bound.MEASURED, ""), (None, "")],
)
def test_a_bound_level_relation_mirrors_its_margin(bound: Bound | None, relation: str) -> None:
    from rfcheck.report.margin_text import level_relation

    assert level_relation(bound) == relation


def _edge_row() -> FinalRow:
    """Return an emission at the 1 GHz band edge: QP read at 1000 MHz, AV and PK at 1000.5."""
    qp = TableValue(1000e6, 40.2, 53.98, 13.78, "dBµV/m", Bound.MEASURED, "quasi-peak")
    av = TableValue(1000.5e6, 44.1, 53.98, 9.88, "dBµV/m", Bound.MEASURED, "average")
    pk = TableValue(1000.5e6, 52.3, 73.98, 21.68, "dBµV/m", Bound.MEASURED, "peak")
    return FinalRow("H", 1000e6, {"QP": qp, "AV": av, "PK": pk})


def test_row_frequencies_tell_apart_readings_at_different_frequencies() -> None:
    """A row once read "1000" for a QP reading at 1000 MHz and AV/PK readings at 1000.5 MHz."""
    assert row_frequencies(_edge_row()) == (
        "1000.0",
        {"QP": "1000.0", "AV": "1000.5", "PK": "1000.5"},
    )


def test_row_frequencies_of_one_frequency_keep_six_significant_digits() -> None:
    qp = TableValue(194775.0, 55.01, 63.83, 8.82, "dBµV", Bound.UPPER, "peak")
    av = TableValue(194775.0, 51.12, 53.83, 2.71, "dBµV", Bound.MEASURED, "average")
    row = FinalRow("L1", 194775.0, {"QP": qp, "AV": av})
    assert row_frequencies(row) == ("0.194775", {"QP": "0.194775", "AV": "0.194775"})


def test_row_frequencies_add_decimals_until_the_frequencies_differ() -> None:
    """50 Hz apart at 1 GHz: six significant digits would print both as 1000."""
    qp = TableValue(1000e6, 40.2, 53.98, 13.78, "dBµV/m", Bound.MEASURED, "quasi-peak")
    av = TableValue(1000.00005e6, 44.1, 53.98, 9.88, "dBµV/m", Bound.MEASURED, "average")
    row = FinalRow("H", 1000e6, {"QP": qp, "AV": av})
    assert row_frequencies(row) == ("1000.00000", {"QP": "1000.00000", "AV": "1000.00005"})


def test_html_and_csv_final_rows_give_each_reading_its_frequency() -> None:
    (row,) = final_rows((_edge_row(),))
    cells = dict(zip(FINAL_HEADERS, row.cells, strict=True))
    freqs = [
        cells[h] for h in ("Freq. [MHz]", "QP Freq. [MHz]", "AV Freq. [MHz]", "PK Freq. [MHz]")
    ]
    assert freqs == ["1000.0", "1000.0", "1000.5", "1000.5"]
    d = UnitDossier("rig", _dossier().plan, (), (_edge_row(),), ())
    html = render_dossier_html(d, {}).decode("utf-8")
    assert "<td>H</td><td>1000.0</td><td>1000.0</td>" in html
    assert html.count("<td>1000.5</td>") == 2
    final = [r for r in csv.reader(io.StringIO(summary_csv(d).decode())) if r[0] == "final"]
    (only,) = final
    head = next(
        r for r in csv.reader(io.StringIO(summary_csv(d).decode())) if "QP Freq. [MHz]" in r
    )
    by_head = dict(zip(head, only, strict=True))  # the CSV's own header (units in columns)
    assert [by_head[h] for h in ("Freq. [MHz]", "QP Freq. [MHz]", "AV Freq. [MHz]")] == [
        "1000.0",
        "1000.0",
        "1000.5",
    ]


def test_pdf_final_table_gives_each_reading_its_frequency() -> None:
    from reportlab.platypus import Paragraph

    from rfcheck.report.dossier.pdf import PdfContext, _final_table, _styles
    from rfcheck.report.fonts import register_fonts

    register_fonts()
    d = UnitDossier("rig", _dossier().plan, (), (_edge_row(),), ())
    ctx = PdfContext(d, None, 400.0, _styles(), ())
    table = _final_table(d.final_rows, ctx)
    texts = [c.text if isinstance(c, Paragraph) else c[0].text for c in table._cellvalues[1]]
    assert texts[0] == "1000.0"
    assert texts[1].startswith("QP read: QP 40.20 dBµV/m<br/>")  # at the row's 1000.0 MHz
    assert texts[2].startswith("at 1000.5 MHz<br/>AV read: AV 44.10 dBµV/m<br/>")
    assert texts[3].startswith("at 1000.5 MHz<br/>PK read: PK 52.30 dBµV/m<br/>")


def test_pdf_final_table_says_nothing_more_when_all_are_read_at_the_row_frequency() -> None:
    from reportlab.platypus import Paragraph

    from rfcheck.report.dossier.pdf import PdfContext, _final_table, _styles
    from rfcheck.report.fonts import register_fonts

    register_fonts()
    r = _edge_row()
    same = dataclasses.replace(
        r,
        values={
            ln: dataclasses.replace(v, frequency_hz=r.frequency_hz) for ln, v in r.values.items()
        },
    )
    d = UnitDossier("rig", _dossier().plan, (), (same,), ())
    table = _final_table(d.final_rows, PdfContext(d, None, 400.0, _styles(), ()))
    texts = [c.text if isinstance(c, Paragraph) else c[0].text for c in table._cellvalues[1]]
    assert texts[0] == "1000"
    assert [t.split("<br/>")[0] for t in texts[1:]] == [
        "QP read: QP 40.20 dBµV/m",
        "AV read: AV 44.10 dBµV/m",
        "PK read: PK 52.30 dBµV/m",
    ]


def test_json_final_row_keeps_each_reading_frequency() -> None:
    doc = _edge_row().to_json()
    assert doc["frequency_hz"] == 1000e6
    assert [doc[k]["frequency_hz"] for k in ("quasi_peak", "average", "peak")] == [
        1000e6,
        1000.5e6,
        1000.5e6,
    ]


def test_the_final_table_gives_a_level_a_hair_over_the_limit_a_negative_margin() -> None:
    """A FAIL by 4e-8 dB: the final table, its JSON and the PDF detail say -0.01, never -0.00."""
    from rfcheck.product.final_table import FinalRow, TableValue
    from rfcheck.report.dossier._rows import FINAL_HEADERS, final_rows
    from rfcheck.report.dossier.pdf import _value_text

    qp = TableValue(
        50e6, 40.00000004, 40.0, -4e-8, "dBµV/m", Bound.MEASURED, "quasi-peak",
        reading=-81.9897, correction_db=15.0, reading_unit="dBm", conversion_db=106.99,
    )  # fmt: skip
    (row,) = final_rows((FinalRow("V", 50e6, {"QP": qp}),))
    cells = dict(zip(FINAL_HEADERS, row.cells, strict=True))
    assert cells["QP Margin [dB]"] == "-0.01"
    assert qp.to_json()["margin_db"] == -0.01
    assert "limit 40.00, margin -0.01 dB" in _value_text(qp, "QP")


def test_a_pass_beside_an_unreadable_capture_is_not_the_plain_green_pass() -> None:
    """L1 QP read a green PASS although one of L1's two captures was never read."""
    from rfcheck.report.dossier._rows import PASS_ON_WHAT_WAS_READ, ROW_COLOURS

    cell = Cell(
        _required(), CellState.PASS, 5.2, 501e3, Bound.MEASURED,
        captures=("L1_rx.csv",), unreadable=("L1_broken.csv",),
    )  # fmt: skip
    (row,) = matrix_rows((cell,))
    cells = dict(zip(MATRIX_HEADERS, row.cells, strict=True))
    assert cells["Verdict"] == "PASS"  # the cell and the unit verdict are unchanged
    assert cells["Basis"] == (
        "PASS on what was judged; 1 capture could not be used (see Errors); measured"
    )
    assert row.verdict == PASS_ON_WHAT_WAS_READ
    assert ROW_COLOURS[row.verdict] != ROW_COLOURS["PASS"]
    html = render_dossier_html(_dossier(cell), {}).decode("utf-8")
    assert f'class="v {PASS_ON_WHAT_WAS_READ}">PASS<' in html
    assert f".{PASS_ON_WHAT_WAS_READ}{{background:{ROW_COLOURS[PASS_ON_WHAT_WAS_READ]}}}" in html


def test_the_html_final_table_drops_the_columns_no_row_fills() -> None:
    """29 columns, of which a conducted port's rows filled 20 (no PK line)."""
    qp = TableValue(194775.0, 55.01, 63.83, 8.82, "dBµV", Bound.MEASURED, "quasi-peak")
    av = TableValue(194775.0, 51.12, 53.83, 2.71, "dBµV", Bound.MEASURED, "average")
    rows = (FinalRow("L1", 194775.0, {"QP": qp, "AV": av}),)
    d = UnitDossier("rig", _dossier().plan, (), rows, ())
    html = render_dossier_html(d, {}).decode("utf-8")
    table = html.split("<h3>L1</h3>")[1].split("</table>")[0]
    assert "<th>QP Level</th>" in table and "<th>AV Level</th>" in table
    assert "PK " not in table
    assert "<th>QP Reading</th>" not in table  # no reading stated: an empty column too
    assert "<td></td>" not in table


@pytest.mark.parametrize("freq_hz", [150e3, 194_775.0, 30e6, 375e6, 1e9, 1_234_567_891.0, None])
def test_dossier_frequencies_are_the_frequency_module_s_texts(freq_hz: float | None) -> None:
    from rfcheck.frequency import mhz_number

    assert fmt_mhz(freq_hz) == ("" if freq_hz is None else mhz_number(freq_hz))


@pytest.mark.parametrize("n", [0, 1, 6, 7, 40])
def test_dossier_ranges_are_the_frequency_module_s_ranges(n: int) -> None:
    from rfcheck.frequency import MAX_RANGES_NAMED, format_mhz_ranges

    ranges = tuple((1e9 + k * 1e8, 1e9 + k * 1e8 + 5e7) for k in range(n))
    assert fmt_ranges(ranges) == format_mhz_ranges(ranges, most=MAX_RANGES_NAMED, unit=False)
    assert fmt_ranges(ranges, limit=2) == format_mhz_ranges(ranges, most=2, unit=False)
    if n > MAX_RANGES_NAMED:
        assert fmt_ranges(ranges).endswith(f" (+{n - MAX_RANGES_NAMED} more)")
