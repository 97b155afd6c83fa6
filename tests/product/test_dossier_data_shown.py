"""The checklist's "Data showing compliance" note names the reading that decides the verdict.

The rig's H 30-1000 MHz scan is a peak scan that stops at 300 MHz, with 45 dBµV/m at
100 MHz: over the 15.109(a) Class B QP limit there (43.52 dBµV/m at 3 m), a peak reading only
bounds the quasi-peak level from above, so the H QP cell is INCONCLUSIVE (-1.48 dB, an upper
bound), and 300-1000 MHz was not measured. The note names the undecided reading, then the
range not measured, once.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main


def test_an_undecided_cell_with_a_gap_names_its_reading_and_the_gap_once(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = rig.write_rig(tmp_path / "in", skip=("H_30M-1G",))
    f = np.linspace(30.0, 300.0, 2251)
    peak = np.full(f.shape, 25.0)
    peak[np.argmin(np.abs(f - 100.0))] = 45.0
    rig.write_csv(
        root / "radiated" / "unit_H_30M-1G.csv", f, {"Peak (dBuV/m)": peak}, 120e3, "port H"
    )
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 4, res.output  # INCONCLUSIVE
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    (item,) = [i for i in doc["checklist"] if i["item"] == "Data showing compliance"]
    note = item["note"]
    assert "H QP 30-1000 MHz: ≥ -1.48 dB at 99.96 MHz (upper bound)" in note, note
    assert note.count("300.06") == 1 and note.endswith("; not measured: H QP 300.06-1000 MHz")
