"""A value the receiver model computed from an I/Q recording is labelled so, per value."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck import __version__
from rfcheck.cli import main
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


# --- a multi-channel recording: the channel a value came from is named -------------------

FS = 50e3  # [Hz]
CENTRE = 1.392e6  # [Hz] (on the Band B grid)
QUIET = 100e-6 * math.sqrt(2)  # [V] crest: 40.00 dBµV, under the limits
LOUD = 10e-3 * math.sqrt(2)  # [V] crest: 80.00 dBµV, over the limits
CH2 = "lower bound, computed by the receiver model from Channel 2 of dut_L1_rec.sigmf-meta"
SETUP = """\
[dut]
manufacturer = "X"
model = "M"
serial = "S1"
class = "B"
highest_internal_frequency_hz = 10e6

[plan]
regulation = "fcc-part15b"
mains_lines = ["L1", "N"]
distance_m = 3
polarisations = ["H", "V"]

[[rule]]
match = "conducted/*"
port_regex = "_(?P<port>L1|N)_"
"""


def _two_channel_folder(root: Path) -> tuple[Path, Path]:
    """Write a unit folder whose L1 recording holds two channels (the loud one second).

    0.1 s of CW at the centre of a 50 kHz cf32 SigMF recording: a short record, so its QP
    and average readings are lower bounds. Return the folder and the setup.
    """
    folder = root / "in"
    (folder / "conducted").mkdir(parents=True)
    n = int(FS * 0.1)
    frames = np.stack([np.full(n, QUIET, dtype=complex), np.full(n, LOUD, dtype=complex)], 1)
    stem = folder / "conducted" / "dut_L1_rec"
    stem.with_suffix(".sigmf-data").write_bytes(frames.astype("<c8").tobytes())
    meta = {
        "global": {
            "core:datatype": "cf32_le",
            "core:sample_rate": FS,
            "core:version": "1.2.0",
            "core:num_channels": 2,
        },
        "captures": [{"core:sample_start": 0, "core:frequency": CENTRE}],
        "annotations": [],
    }
    stem.with_suffix(".sigmf-meta").write_text(json.dumps(meta), encoding="utf-8")
    setup = root / "setup.toml"
    setup.write_text(SETUP, encoding="utf-8")
    return folder, setup


def test_values_from_a_multi_channel_recording_name_the_channel(tmp_path: Path) -> None:
    folder, setup_path = _two_channel_folder(tmp_path)
    setup = load_setup(setup_path)
    placement = place_captures([folder], setup)
    (unit,) = placement.units
    assigned, errors = placement.assign_unit(unit, setup)
    d = judge_unit(unit, placement.plan, placement.cells, assigned, errors, setup)
    (qp,) = [c for c in d.cells if (c.required.port, c.required.line) == ("L1", "QP")]
    assert (qp.worst_channel, qp.worst_basis) == ("Channel 2", CH2)
    got = qp.to_json()
    assert (got["worst_recording"], got["worst_channel"]) == (
        str(folder / "conducted" / "dut_L1_rec.sigmf-meta"),
        "Channel 2",
    )
    (row,) = d.rows_of("L1")
    assert {line: v.channel for line, v in row.values.items()} == {
        "QP": "Channel 2",
        "AV": "Channel 2",
    }
    assert {v.to_json()["channel"] for v in row.values.values()} == {"Channel 2"}
    assert row.values["QP"].basis == CH2
    matrix = {(r.cells[0], r.cells[2]): r.cells[7] for r in matrix_rows(d.cells)}
    assert matrix[("L1", "QP")] == CH2
    (printed,) = final_rows(d.rows_of("L1"))
    assert printed.cells[1 + 9] == CH2


def test_single_channel_and_instrument_values_have_no_channel(
    recorded: UnitDossier, prescanned: UnitDossier
) -> None:
    for d, port in ((recorded, "L1"), (prescanned, "L1"), (recorded, "V")):
        values = [v for r in d.rows_of(port) for v in r.values.values()]
        assert values
        assert {(v.channel, v.to_json()["channel"]) for v in values} == {("", None)}
    (qp,) = [c for c in recorded.cells if (c.required.port, c.required.line) == ("L1", "QP")]
    assert (qp.worst_channel, qp.to_json()["worst_channel"]) == ("", None)


def test_dossier_json_and_html_name_the_channel(tmp_path: Path) -> None:
    folder, setup = _two_channel_folder(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["dossier", str(folder), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    )
    assert res.exit_code == 1, res.output
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    (unit,) = doc["units"]
    cells = {(c["port"], c["line"]): c for c in unit["cells"]}
    assert cells[("L1", "AV")]["worst_channel"] == "Channel 2"
    assert cells[("N", "AV")]["worst_channel"] is None
    (row,) = unit["final_measurements"]
    assert (row["quasi_peak"]["channel"], row["average"]["channel"]) == ("Channel 2", "Channel 2")
    page = html.unescape((out / "unit" / "dossier.html").read_text(encoding="utf-8"))
    assert page.count(CH2) >= 4  # matrix (QP, AV) and the final table's QP and AV values
