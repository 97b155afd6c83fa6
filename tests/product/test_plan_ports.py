"""A plan names every port its rules require; a battery device says why it has no mains line.

A plan with ``mains_lines = []`` and one polarisation (the conducted and H files removed) read
PASS, "Record: complete", "Data showing compliance: present", exit 0, the 15.107 line gone
without a word; so did ``mains_lines = ["L1"]`` for a 120 V device. 47 CFR 15.107 measures
each current-carrying power line and ANSI C63.4 both antenna polarisations, so the plan is
refused (the one-line setup errors of every command: ``tests/cli/test_setup_file_errors.py``);
a device only employing battery power, with no provision for operating from the AC power
lines, needs no conducted measurement (15.107(d)): it states ``[dut] power = "battery"``,
and its record says so wherever it names what was judged.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.errors import SetupFileError
from rfcheck.product.plan import BATTERY_EXEMPTION, plan_from_setup, required_cells
from rfcheck.settings import load_setup

#: What a battery device's record says of the conducted limits, wherever it names the rules.
NOT_REQUIRED = (
    "conducted limits fcc-15.107-b (47 CFR 15.107): not applicable, no mains line measured: "
    + BATTERY_EXEMPTION
)

ENTRY = """
[entry]
entry_number = "ABC-1234567-8"
port_of_entry = "Los Angeles, CA (2704)"
import_condition = 1
quantity = 240
models = ["Test rig"]
serials = ["S-1..S-240"]
tested_serials = ["S-1"]
"""


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _battery_setup(rig: ModuleType, path: Path, record: str) -> Path:
    """Write the rig's complete setup for a battery device: no mains line, no conducted rule."""
    rig.write_complete_setup(path, record)
    text = path.read_text(encoding="utf-8")
    text = text.replace('class = "B"', 'class = "B"\npower = "battery"', 1)
    text = text.replace('mains_lines = ["L1", "L2"]', "mains_lines = []")
    text = text.replace('[[rule]]\nmatch = "conducted/*"\nport_regex = "_(?P<port>L1|L2)_"\n', "")
    path.write_text(text, encoding="utf-8")
    return path


def _pdf_text(path: Path, page: int | None = None) -> str:
    pages = PdfReader(path).pages
    chosen = pages if page is None else [pages[page]]
    return " ".join(" ".join(p.extract_text().split()) for p in chosen)


def _item(doc: dict[str, Any], title: str) -> dict[str, Any]:
    return next(i for i in doc["checklist"] if i["item"] == title)


def test_a_battery_device_record_says_why_no_conducted_limit_was_judged(
    rig: ModuleType, tmp_path: Path
) -> None:
    skip = ("L1_prescan", "L1_final", "L2_prescan", "L2_final")
    root = rig.write_rig(tmp_path / "in", skip=skip)
    # no photo of a conducted setup: none is asked for when no conducted test is required
    record = rig.COMPLETE_RECORD.replace(
        '[[photo]]\nfile = "photo.png"\nshows = "highest-conducted"\n\n', ""
    )
    setup = _battery_setup(rig, tmp_path / "setup.toml", record + ENTRY)
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    plan = doc["units"][0]["plan"]
    assert (plan["mains_lines"], plan["power"], plan["not_required"]) == (
        [],
        "battery",
        [NOT_REQUIRED],
    )
    assert doc["record_incomplete"] is None
    data = _item(doc, "Data showing compliance")
    assert (data["status"], data["note"]) == ("present", NOT_REQUIRED)
    photos = _item(doc, "Setup photos: highest conducted and radiated emission")
    assert (photos["status"], photos["missing"]) == ("present", [])
    page1 = _pdf_text(out / "unit" / "dossier.pdf", 0)
    assert " ".join(NOT_REQUIRED.split()) in page1  # under "Judged against (limit tables)"
    assert "complete: every item present" in page1
    entry = json.loads((out / "entry.json").read_text(encoding="utf-8"))
    assert (entry["judged_against"], entry["not_required"]) == (
        ["47 CFR 15.109(a)", "47 CFR 15.35(b)"],  # 15.35(b): the AV/PK cells above 1 GHz
        [NOT_REQUIRED],
    )
    sheet = _pdf_text(out / "entry.pdf")
    said = f"judged against 47 CFR 15.109(a), 47 CFR 15.35(b); {' '.join(NOT_REQUIRED.split())}"
    assert f"Class B; {said}" in sheet
    html = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "47 CFR 15.107(d)" in html
    dry = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[1] == NOT_REQUIRED


def test_a_mains_device_plan_reads_as_before(rig: ModuleType, tmp_path: Path) -> None:
    """No power key: the plan's JSON (the report id's settings) carries no new key."""
    plan = plan_from_setup(load_setup(rig.write_setup(tmp_path / "setup.toml")))
    assert plan.not_required == ()
    assert "power" not in plan.to_json() and "not_required" not in plan.to_json()


def _plan_setup(tmp: Path, mains: str, pols: str, highest: str, power: str = "") -> Path:
    p = tmp / "setup.toml"
    p.write_text(
        f'[dut]\nclass = "B"\nhighest_internal_frequency_hz = {highest}\n{power}\n'
        f'[plan]\nregulation = "fcc-part15b"\nmains_lines = {mains}\npolarisations = {pols}\n'
        "distance_m = 3\n",
        encoding="utf-8",
    )
    return p


def test_a_device_with_no_radiated_cell_needs_no_polarisation(tmp_path: Path) -> None:
    """Below 1.705 MHz (upper frequency 30 MHz) the rules require no radiated cell."""
    plan = plan_from_setup(load_setup(_plan_setup(tmp_path, '["L1", "N"]', "[]", "1e6")))
    assert {c.port for c in required_cells(plan)} == {"L1", "N"}


def test_three_mains_lines_are_accepted(tmp_path: Path) -> None:
    setup = _plan_setup(tmp_path, '["L1", "L2", "L3"]', '["H", "V"]', "700e6")
    assert plan_from_setup(load_setup(setup)).mains_lines == ("L1", "L2", "L3")


@pytest.mark.parametrize(
    ("mains", "pols", "message"),
    [
        ("[]", '["V"]', "[plan] mains_lines names none: 47 CFR 15.107 measures"),
        ('["L1"]', '["H", "V"]', "[plan] mains_lines names 1 (L1): 47 CFR 15.107 measures"),
        ('["L1", "N"]', '["V"]', "[plan] polarisations names 1 (V): radiated emissions"),
        ('["L1", "N"]', "[]", "[plan] polarisations names none: radiated emissions"),
    ],
)
def test_a_plan_leaving_out_a_required_port_is_refused(
    tmp_path: Path, mains: str, pols: str, message: str
) -> None:
    with pytest.raises(SetupFileError) as err:
        plan_from_setup(load_setup(_plan_setup(tmp_path, mains, pols, "700e6")))
    assert err.value.message.startswith(message)


def test_a_battery_device_still_needs_both_polarisations(tmp_path: Path) -> None:
    setup = _plan_setup(tmp_path, "[]", '["H"]', "700e6", 'power = "battery"')
    with pytest.raises(SetupFileError) as err:
        plan_from_setup(load_setup(setup))
    assert err.value.message.startswith("[plan] polarisations names 1 (H)")
