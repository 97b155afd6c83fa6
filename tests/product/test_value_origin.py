"""A value the receiver model computed from an I/Q recording is labelled so, per value."""

from __future__ import annotations

from pathlib import Path

import pytest

from rfcheck import __version__
from rfcheck.outcome import Bound
from rfcheck.product.dossier import UnitDossier, judge_unit
from rfcheck.product.run import place_captures
from rfcheck.report.dossier._rows import final_rows, matrix_rows
from rfcheck.settings import load_setup

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
SIGMF = SAMPLES / "conducted" / "rig_L1_burst.sigmf-meta"
MODEL = f"rfcheck {__version__} CISPR 16-1-1 receiver model"
COMPUTED = "computed by the receiver model from rig_L1_burst.sigmf-meta"


def _judged(keep: str) -> UnitDossier:
    """Judge the sample rig with only the L1 captures whose file name contains ``keep``."""
    setup = load_setup(SAMPLES / "dossier-setup.toml")
    placement = place_captures([SAMPLES], setup)
    assigned, errors = placement.assign_unit("rig", setup)
    kept = [a for a in assigned if a.port != "L1" or keep in a.path.name]
    return judge_unit("rig", placement.plan, placement.cells, kept, errors, setup)


@pytest.fixture(scope="module")
def recorded() -> UnitDossier:
    """Judge the rig with L1 measured by the SigMF recording alone (1.30-1.48 MHz)."""
    return _judged("burst")


@pytest.fixture(scope="module")
def prescanned() -> UnitDossier:
    """Judge the rig with L1 measured by the Keysight peak and average prescans alone."""
    return _judged("keysight")


def test_final_values_from_the_recording_name_it_and_the_model(recorded: UnitDossier) -> None:
    rows = recorded.rows_of("L1")
    assert rows
    for r in rows:
        for v in r.values.values():
            assert v.computed_from == str(SIGMF)
            got = v.to_json()
            assert (got["origin"], got["recording"], got["receiver_model"]) == (
                "receiver model",
                str(SIGMF),
                MODEL,
            )
    qp = rows[0].values["QP"]
    # the verdict weight stays a measured quasi-peak value; only its label changes
    assert (qp.bound, qp.detector, qp.to_json()["bound"]) == (
        Bound.MEASURED,
        "quasi-peak",
        "measured",
    )
    assert qp.basis == COMPUTED


def test_instrument_values_say_so(prescanned: UnitDossier, recorded: UnitDossier) -> None:
    for d, port in ((prescanned, "L1"), (recorded, "V")):
        values = [v for r in d.rows_of(port) for v in r.values.values()]
        assert values
        assert {v.to_json()["origin"] for v in values} == {"instrument"}
        assert {v.to_json()["recording"] for v in values} == {None}
        assert all(v.basis == v.bound.value for v in values)


def test_a_cells_worst_point_from_the_recording_is_labelled(recorded: UnitDossier) -> None:
    (qp,) = [c for c in recorded.cells if (c.required.port, c.required.line) == ("L1", "QP")]
    assert qp.worst_bound is Bound.MEASURED
    assert qp.worst_computed_from == str(SIGMF)
    assert qp.worst_basis == COMPUTED
    got = qp.to_json()
    assert (got["worst_bound"], got["worst_origin"], got["worst_recording"]) == (
        "measured",
        "receiver model",
        str(SIGMF),
    )
    assert got["worst_receiver_model"] == MODEL
    (v_qp,) = [c for c in recorded.cells if (c.required.port, c.required.line) == ("V", "QP")]
    assert (v_qp.worst_computed_from, v_qp.to_json()["worst_origin"]) == ("", "instrument")


def test_the_tables_print_computed_for_the_recordings_values(recorded: UnitDossier) -> None:
    matrix = {(r.cells[0], r.cells[2]): r.cells[7] for r in matrix_rows(recorded.cells)}
    assert matrix[("L1", "QP")] == COMPUTED
    assert matrix[("V", "QP")] == "measured"
    (row, *_) = final_rows(recorded.rows_of("L1"))
    assert row.cells[1 + 9] == COMPUTED  # the QP value's "Bound" column
