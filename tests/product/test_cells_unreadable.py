"""A cell of a port whose capture could not be read says so: ERROR naming the file.

Never MISSING ("not measured"), nor INCONCLUSIVE ("still needs ..."): the unread file may be
that measurement. A FAIL or a PASS rests on what was read and stays (FAIL > ERROR, as for
the unit verdict); every cell of the port names the file.
"""

from __future__ import annotations

from rfcheck.outcome import Bound, Verdict
from rfcheck.product.cells import CellState, judge_cells
from rfcheck.product.plan import PortKind, RequiredCell
from rfcheck.results import CaptureResult, LineCheck

QP = RequiredCell("L1", PortKind.MAINS, "fcc-15.107-b", "QP", 0.15e6, 30e6, "15.107(a)")
AV = RequiredCell("L1", PortKind.MAINS, "fcc-15.107-b", "AV", 0.15e6, 30e6, "15.107(a)")
JUNK = "in/conducted/unit_L1_final.csv"


def _check(line: str, verdict: Verdict, margin_db: float, bound: Bound) -> LineCheck:
    return LineCheck(
        "fcc-15.107-b",
        line,
        "quasi-peak" if line == "QP" else "cispr-average",
        verdict,
        margin_db,
        1e6,
        bound,
        evaluated_hz=((0.15e6, 30e6),),
    )


def test_a_port_whose_only_capture_is_unreadable_is_error_not_missing() -> None:
    qp, av = judge_cells([QP, AV], None, [], unreadable=[JUNK])
    for cell in (qp, av):
        assert cell.state is CellState.ERROR
        assert cell.unreadable == (JUNK,)
        assert cell.missing_hz == ()
        assert cell.captures == ()
        assert cell.to_json()["verdict"] == "ERROR"
        assert cell.to_json()["unreadable"] == [JUNK]
        assert cell.to_json()["missing_hz"] == []


def test_a_port_with_no_capture_at_all_is_still_missing() -> None:
    (qp,) = judge_cells([QP], None, [])
    assert qp.state is CellState.MISSING
    assert qp.missing_hz == ((0.15e6, 30e6),)
    assert qp.to_json()["unreadable"] == []


def test_an_undecided_cell_is_error_a_decided_one_keeps_its_verdict() -> None:
    pooled = CaptureResult(
        "p",
        None,
        None,
        Verdict.FAIL,
        checks=(
            _check("QP", Verdict.FAIL, -2.0, Bound.MEASURED),
            _check("AV", Verdict.INCONCLUSIVE, 3.0, Bound.LOWER),
        ),
    )
    qp, av = judge_cells([QP, AV], pooled, [("p", (0.15e6, 30e6))], unreadable=[JUNK])
    assert (qp.state, qp.unreadable) == (CellState.FAIL, (JUNK,))
    assert (av.state, av.unreadable) == (CellState.ERROR, (JUNK,))
    passing = CaptureResult(
        "p", None, None, Verdict.PASS, checks=(_check("QP", Verdict.PASS, 4.0, Bound.MEASURED),)
    )
    (qp,) = judge_cells([QP], passing, [("p", (0.15e6, 30e6))], unreadable=[JUNK])
    assert (qp.state, qp.worst_margin_db, qp.unreadable) == (CellState.PASS, 4.0, (JUNK,))
