"""Which notes of a pool reading a cell at its end point only the record leaves out.

A pool decides a cell it only touches (no capture of it overlaps the cell) when it fails it,
or when no other pool measured the cell; otherwise its notes of that line are left out
(:meth:`rfcheck.product.distance_cells.PortCells.touched_lines`).
"""

from __future__ import annotations

from rfcheck.product.cells import Cell, CellState
from rfcheck.product.distance_cells import PortCells, quiet_notes
from rfcheck.product.plan import PortKind, RequiredCell

QP = RequiredCell("H", PortKind.POLARISATION, "fcc-15.109-a", "QP", 30e6, 1e9, "15.109")
AV = RequiredCell("H", PortKind.POLARISATION, "fcc-15.109-a", "AV", 1e9, 5e9, "15.109")
NOTE = "fcc-15.109-a QP: no reading bounds the quasi-peak level; closest reading at 1000 MHz"
RBW = (
    "trace 2: CAvg: RBW 1 MHz is wider than 1.25 × the CISPR bandwidth over part of fcc-15.109-a QP"
)


def _port(touching_qp: CellState, qp_measured_at_10_m: bool = True) -> PortCells:
    """Pool 0 at 10 m (measures QP when told), pool 1 at 3 m (measures AV, touches QP)."""
    at_10 = (
        Cell(QP, CellState.PASS, captures=("h_30M-1G.csv",) if qp_measured_at_10_m else ()),
        Cell(AV, CellState.MISSING),
    )
    at_3 = (Cell(QP, touching_qp), Cell(AV, CellState.PASS, captures=("h_1G-6G.csv",)))
    return PortCells(cells=(), per_pool=(at_10, at_3))


def test_a_pool_touching_a_cell_another_measured_says_nothing_of_its_line() -> None:
    for state in (CellState.PASS, CellState.INCONCLUSIVE, CellState.MISSING):
        port = _port(state)
        assert port.touched_lines(1) == {("fcc-15.109-a", "QP")}
        assert port.touched_lines(0) == {("fcc-15.109-a", "AV")}  # the 3 m pool measured it
        other = "fcc-15.109-a AV: measured beyond the required range"
        assert quiet_notes([NOTE, RBW, other], port.touched_lines(1)) == (other,)


def test_a_touching_pool_that_fails_the_cell_keeps_its_notes() -> None:
    assert _port(CellState.FAIL).touched_lines(1) == frozenset()


def test_a_touching_pool_that_is_the_cell_s_only_reading_keeps_its_notes() -> None:
    assert _port(CellState.INCONCLUSIVE, qp_measured_at_10_m=False).touched_lines(1) == frozenset()


def test_one_pool_keeps_every_note() -> None:
    one = PortCells(cells=(), per_pool=((Cell(QP, CellState.PASS),),))
    assert one.touched_lines(0) == frozenset()


def test_a_note_naming_a_longer_line_name_is_kept() -> None:
    touched = {("fcc-15.109-a", "QP")}
    kept = ["fcc-15.109-a QP2: a note", "fcc-15.109-ab QP: a note", "no line named"]
    assert quiet_notes(kept, touched) == tuple(kept)
