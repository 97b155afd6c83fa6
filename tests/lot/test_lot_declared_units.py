"""A unit the setup's ``[dut.serials]`` declares but the lot has no capture of.

It was dropped without a word (with an empty folder, only the note ``1 folder with no
capture, no unit``) and the lot still read PASS, which a reader takes as covering the
declared serial. The lot now names each such unit with its serial in the terminal, the notes,
``lot.json`` and page 1 of the PDF and HTML, and reads INCOMPLETE (exit 5), as the dossier's
``[entry] tested_serials`` reads a listed serial no unit has.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

#: AV levels at 1 MHz of five units [dBµV], 40-44 under the 46 dBµV line: the lot PASSes.
UNITS = {f"u{i}": {1e6: 39.0 + i} for i in range(1, 6)}
SAID = "u6 (S6)"


@pytest.mark.parametrize("folder_of_u6", ["none", "empty"])
def test_a_declared_unit_with_no_capture_makes_the_lot_incomplete(
    tmp_path: Path, lot_writer: LotWriter, folder_of_u6: str
) -> None:
    folder, out = tmp_path / "lot", tmp_path / "out"
    setup = lot_writer(folder, UNITS)
    text = setup.read_text("ascii")
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup)]
    assert CliRunner().invoke(main, args).exit_code == 0  # five units, all PASS
    setup.write_text(text + '\n[dut.serials]\nu1 = "S1"\nu6 = "S6"\n', "ascii")
    if folder_of_u6 == "empty":
        (folder / "u6_dir").mkdir()
    res = CliRunner().invoke(main, [*args, "--report", "pdf,html,json", "--out", str(out)])
    assert res.exit_code == 5, res.output
    lines = res.stdout.splitlines()
    assert lines[-1] == (
        f"Verdict: INCOMPLETE (exit 5): {SAID}: declared in [dut.serials], not measured "
        "(no capture)"
    )
    assert (
        "Declared in the setup's [dut.serials] but not measured (no capture in the lot: the "
        f"lot verdict does not cover them, INCOMPLETE): {SAID}"
    ) in lines
    doc = json.loads((out / "lot.json").read_text("utf-8"))
    assert doc["verdict"] == "INCOMPLETE"
    assert doc["not_measured_units"] == [{"unit": "u6", "serial": "S6"}]
    assert any(
        n.startswith("INCOMPLETE: 1 unit(s) the setup's [dut.serials]") for n in doc["notes"]
    )
    page = " ".join((out / "lot.html").read_text("utf-8").split())
    first = " ".join(PdfReader(out / "lot.pdf").pages[0].extract_text().split())
    for shown in (page, first):  # page 1: the banner and the scope box
        assert "LOT VERDICT: INCOMPLETE (exit 5)" in shown
        assert f"declared in the setup's [dut.serials] and not measured: {SAID}" in shown.replace(
            "&#x27;", "'"
        )


def test_a_declared_unit_that_was_measured_changes_nothing(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, UNITS)
    serials = "".join(f'u{i} = "S{i}"\n' for i in range(1, 6))
    setup.write_text(setup.read_text("ascii") + "\n[dut.serials]\n" + serials, "ascii")
    res = CliRunner().invoke(main, ["lot", str(folder), "--golden", "u1", "--setup", str(setup)])
    assert res.exit_code == 0, res.output
    assert "not measured" not in res.stdout
