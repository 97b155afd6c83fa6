"""A generic CSV's ``# serial:`` is the instrument's; a lot suggests ``dut_serial``.

The shipped sample lot (and a user's lot) wrote each unit's DUT serial as ``# serial:``, which
the generic CSV reads as the instrument's serial number: every unit printed SERIAL MISSING with
nothing saying why. The samples now use ``# dut_serial:``, and a lot notes a generic CSV whose
``serial`` looks like the DUT's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.lot.stated import Stated, serial_key_notes

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]
SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures" / "lot"


def _lot(tmp_path: Path, lot_writer: LotWriter, serial_of: Callable[[str], str]) -> str:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 30.0 + i} for i in range(1, 5)})
    for f in sorted(folder.glob("u0*_L1.csv")):
        unit = f.name.split("_")[0]
        f.write_text(f"# serial: {serial_of(unit)}\n" + f.read_text(encoding="ascii"), "ascii")
    res = CliRunner().invoke(
        main, ["lot", str(folder), "--golden", "u01", "--setup", str(setup)], catch_exceptions=False
    )
    return res.output


def test_a_per_unit_serial_line_gets_a_dut_serial_note(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    out = _lot(tmp_path, lot_writer, lambda u: f"DX-26-{u[-1]}")
    assert "rfcheck: note: u02: " in out
    assert "states '# serial: DX-26-2', read as the instrument's serial number" in out
    assert "write it as '# dut_serial: DX-26-2'" in out
    assert "MISSING" in out  # the serial column still says so: the note explains it


def test_one_instrument_serial_in_every_unit_is_no_note(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    out = _lot(tmp_path, lot_writer, lambda u: "1234")
    assert "dut_serial" not in out


def test_serial_key_notes() -> None:
    inst = [Stated("u1", "u1_L1.csv", "S-u1"), Stated("u2", "u2_L1.csv", "7")]
    notes = serial_key_notes(inst, {"u1": "HC-1", "u2": "HC-2"})
    assert len(notes) == 1 and notes[0].startswith("u1: u1_L1.csv states '# serial: S-u1'")
    assert "(it holds the unit's name)" in notes[0]
    assert serial_key_notes([Stated("u2", "a.csv", "7"), Stated("u2", "b.csv", "7")], {}) == (
        "u2: a.csv states '# serial: 7', read as the instrument's serial number (the unit's "
        "DUT serial is MISSING); if it is the DUT's, write it as '# dut_serial: 7'",
    )


def test_the_sample_lot_states_dut_serials() -> None:
    for f in sorted((SAMPLES / "units").glob("*.csv")):
        head = f.read_text(encoding="utf-8").splitlines()[:6]
        assert any(line.startswith("# dut_serial: HC3-2601-") for line in head), f
        assert not any(line.startswith("# serial:") for line in head), f
    res = CliRunner().invoke(
        main,
        ["lot", str(SAMPLES), "--golden", "unit01", "--setup", str(SAMPLES / "lot-setup.toml")],
        catch_exceptions=False,
    )
    assert "unit01      HC3-2601-00101  golden" in res.output
    assert "MISSING" not in res.output
