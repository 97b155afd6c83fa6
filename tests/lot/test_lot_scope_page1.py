"""Page 1 of the lot PDF and HTML states the lot's scope and its golden unit.

A lot of L1 captures read "LOT VERDICT: PASS" on page 1 with nothing saying that L2 and the
radiated polarisations were never measured on the production units, nor which unit (serial)
the lot was compared with; a CISPR 32 lot said it was no FCC basis only on page 2. Page 1 now
names the ports measured, the setup's ``[plan]`` ports not measured, the golden unit's name
and serial, and the "not an FCC basis" note.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

PLAN = """
[dut]
model = "HC-3"
class = "B"
serials = { u01 = "HC3-0001" }

[plan]
regulation = "fcc-part15b"
mains_lines = ["L1", "L2"]
polarisations = ["H", "V"]
distance_m = 3
"""


def _lot(tmp_path: Path, lot_writer: LotWriter, extra: str = "", limit: str = "") -> Path:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 30.0 + i} for i in range(1, 6)})
    text = setup.read_text(encoding="ascii")
    if limit:
        text = text.replace("fcc-15.107-b", limit)
    setup.write_text(text + extra, encoding="ascii")
    out = tmp_path / "out"
    args = ["lot", str(folder), "--golden", "u01", "--setup", str(setup)]
    res = CliRunner().invoke(
        main, [*args, "--report", "pdf,html", "--out", str(out)], catch_exceptions=False
    )
    assert (out / "lot.pdf").exists(), res.output
    return out


def _page1(out: Path) -> str:
    return " ".join(PdfReader(out / "lot.pdf").pages[0].extract_text().split())


def test_page1_names_the_ports_measured_and_the_plans_ports_not_measured(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    out = _lot(tmp_path, lot_writer, PLAN)
    page1 = _page1(out)
    assert "Scope: the units were measured on L1 only" in page1
    assert "of the setup's [plan] ports (L1, L2, H, V), not measured on any unit: L2, H, V" in (
        page1
    )
    assert "Golden (tested) unit: u01, DUT serial HC3-0001" in page1
    html = (out / "lot.html").read_text(encoding="utf-8")
    assert "not measured on any unit: L2, H, V" in html.split("<figure>")[0]
    assert "Golden (tested) unit: u01, DUT serial HC3-0001" in html.split("<figure>")[0]


def test_without_a_plan_page1_still_names_the_ports(tmp_path: Path, lot_writer: LotWriter) -> None:
    page1 = _page1(_lot(tmp_path, lot_writer))
    assert "Scope: the units were measured on L1 only" in page1
    assert "says nothing about any other port" in page1
    assert "Golden (tested) unit: u01, DUT serial MISSING" in page1


def test_a_cispr_lot_says_no_fcc_basis_on_page1(tmp_path: Path, lot_writer: LotWriter) -> None:
    out = _lot(tmp_path, lot_writer, limit="cispr32-b-mains")
    assert "cispr32-b-mains: CISPR 32 limits are not an FCC basis" in _page1(out)
    html = (out / "lot.html").read_text(encoding="utf-8")
    assert "CISPR 32 limits are not an FCC basis" in html.split("<figure>")[0]


def test_page1_names_a_unit_not_measured_on_a_port(tmp_path: Path, lot_writer: LotWriter) -> None:
    """Every plan port measured on some unit, one unit lacking one: the box names it.

    The box once read "not measured on the units: none" while u02 had no L2 capture (the
    banner alone named ``u02 (L2)``).
    """
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 30.0 + i} for i in range(1, 6)})
    for i in (1, 3, 4, 5):  # an L2 capture of every unit but u02
        text = (folder / f"u0{i}_L1.csv").read_text(encoding="ascii")
        (folder / f"u0{i}_L2.csv").write_text(text.replace("-20.0000", "-19.0000"), "ascii")
    # a device below 1.705 MHz: no radiated cell is required, so a plan of mains lines only
    plan = PLAN.replace('["H", "V"]', "[]").replace(
        'class = "B"', 'class = "B"\nhighest_internal_frequency_hz = 1e6'
    )
    setup.write_text(setup.read_text(encoding="ascii") + plan, encoding="ascii")
    out = tmp_path / "out"
    args = ["lot", str(folder), "--golden", "u01", "--setup", str(setup)]
    res = CliRunner().invoke(
        main, [*args, "--report", "pdf,html", "--out", str(out)], catch_exceptions=False
    )
    assert (out / "lot.pdf").exists(), res.output
    page1 = _page1(out)
    assert "not measured on any unit: none" in page1, page1
    assert "Measured on some units only (missing data, INCOMPLETE): L2 (not on u02)" in page1
    html = (out / "lot.html").read_text(encoding="utf-8")
    assert "L2 (not on u02)" in html.split("<figure>")[0]
