"""The dossier's matrix rows (rfcheck/report/dossier/_rows.py): the basis of every margin."""

from __future__ import annotations

from rfcheck.product.cells import Cell, CellState
from rfcheck.product.plan import PortKind, RequiredCell
from rfcheck.report.dossier._rows import MATRIX_HEADERS, matrix_rows
from rfcheck.results import Bound


def _required() -> RequiredCell:
    return RequiredCell("V", PortKind.POLARISATION, "fcc-15.109-b", "QP", 30e6, 1e9, "15.109(a)")


def _row(cell: Cell) -> dict[str, str]:
    (row,) = matrix_rows((cell,))
    return dict(zip(MATRIX_HEADERS, row.cells, strict=True))


def test_basis_names_the_bound_behind_the_worst_margin() -> None:
    cell = Cell(_required(), CellState.PASS, 2.97, 375e6, Bound.UPPER, captures=("a.DAT",))
    row = _row(cell)
    assert row["Worst margin [dB]"] == "+2.97"
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
