"""The lot leaves the setup's own tables out, as the dossier does.

Without ``[batch] include``, ``rfcheck lot`` read the per-unit LISN tables under
``transducers/`` as captures (``u1_lisn.csv`` is unit u1's by the group pattern), while
the dossier skips the setup file and every transducer and limit table it names
(:func:`rfcheck.batch.discover.setup_files`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.lot.discovery import find_lot
from rfcheck.settings import load_setup

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

TABLES = """
[[rule]]
match = "u1_*"
lisn = "transducers/u1_lisn.csv"

[[rule]]
match = "u2_*"
lisn = "transducers/u2_lisn.csv"
"""


def test_the_setups_transducer_tables_are_no_captures(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder = tmp_path / "lot"
    units = {f"u{i}": {1e6: 38.0 + i * 0.5, 3e6: 36.0 - i * 0.3} for i in range(1, 6)}
    setup = lot_writer(folder, units)
    setup.write_text(setup.read_text("ascii") + TABLES, encoding="ascii")
    for u in ("u1", "u2"):
        table = folder / "transducers" / f"{u}_lisn.csv"
        table.parent.mkdir(exist_ok=True)
        table.write_text("Frequency (MHz),LISN Factor (dB)\n0.15,0.5\n30,0.5\n", "ascii")
    found = find_lot(folder, load_setup(setup))
    assert {u: [c.rel for c in cs] for u, cs in found.units.items()} == {
        u: [f"{u}_L1.csv"] for u in units
    }
    assert found.empty == ()  # the tables' folder is not "a folder with no capture"
    r = CliRunner().invoke(
        main, ["lot", str(folder), "--golden", "u1", "--setup", str(setup), "-o", "json"]
    )
    assert r.exit_code == 0, r.output
    assert "transducers" not in r.stderr
    doc = json.loads(r.stdout)
    assert [(u["unit"], u["verdict"]) for u in doc["units"]] == [(u, "PASS") for u in units]
