"""A unit PASS that takes a dwell on trust says so in its banner and Measurement verdict fact.

A customs reader sees the banner first: a check report's reads ``OVERALL RESULT: PASS
(ASSUMED DWELL)``, and the unit's record and ``dossier.html`` name the same assumption right
after the verdict (``docs/dossier.md``). ``rfcheck verify`` still reads the verdict (PASS)
from that page and finds the recorded one.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main


def _without_dwell(root: Path) -> Path:
    for f in root.rglob("*.csv"):
        f.write_text(f.read_text(encoding="utf-8").replace("# dwell_s: 1\n", ""), "utf-8")
    return root


def _dossier(root: Path, setup: Path, out: Path) -> tuple[str, str]:
    """Run the dossier; return page 1's text (lines joined by spaces) and the HTML banner."""
    res = CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    assert res.exit_code == 0, res.output
    page1 = PdfReader(str(out / "unit" / "dossier.pdf")).pages[0].extract_text()
    html = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    banner = html.split('<div class="banner', 1)[1].split("</div>", 1)[0]
    return " ".join(page1.split()), banner


def test_the_banner_and_the_verdict_fact_name_an_assumed_dwell(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = _without_dwell(rig.write_rig(tmp_path / "in"))
    setup = rig.write_setup(tmp_path / "setup.toml")
    page1, html = _dossier(root, setup, tmp_path / "out")
    assert "PASS (measurements) (ASSUMED DWELL) · RECORD INCOMPLETE record incomplete:" in page1
    assert "Measurement verdict PASS (ASSUMED DWELL) Decided by" in page1
    assert (
        html == ' PASS record-incomplete">PASS (measurements) (ASSUMED DWELL) · RECORD INCOMPLETE'
    )
    res = CliRunner().invoke(
        main, ["verify", str(tmp_path / "out" / "unit" / "dossier.pdf"), "--inputs", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    assert "page 1   shows PASS, the recorded verdict" in res.output


def test_a_complete_record_s_assumed_dwell_pass_stays_green_as_a_check_report_s(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = _without_dwell(rig.write_rig(tmp_path / "in"))
    setup = rig.write_complete_setup(tmp_path / "setup.toml")
    page1, html = _dossier(root, setup, tmp_path / "out")
    assert " PASS (ASSUMED DWELL) Measurement verdict PASS (ASSUMED DWELL) " in page1
    assert html == ' PASS">PASS (ASSUMED DWELL)'


def test_a_dwell_stated_in_every_file_leaves_the_banner_plain(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = rig.write_rig(tmp_path / "in")
    page1, html = _dossier(
        root, rig.write_complete_setup(tmp_path / "setup.toml"), tmp_path / "out"
    )
    assert " unit PASS Measurement verdict PASS Standard and class " in page1
    assert "ASSUMED" not in page1 and html == ' PASS">PASS'


ENTRY = """
[batch]
group_pattern = "^(?P<unit>[A-Za-z]+)_"

[dut.serials]
rigA = "S-1"
rigB = "S-2"

[entry]
entry_number = "E-1"
port_of_entry = "Los Angeles, CA (2704)"
import_condition = 1
quantity = 240
models = ["Test rig"]
serials = ["S-1..S-240"]
tested_serials = ["S-1", "S-2"]
"""


def _entry_run(rig: ModuleType, tmp_path: Path, **b: object) -> tuple[str, str, str]:
    """Two units, rigA with no stated dwell; return entry.pdf's text, its HTML banner, JSON."""
    root = tmp_path / "in"
    _without_dwell(rig.write_rig(root, unit="rigA"))
    rig.write_rig(root, unit="rigB", **b)
    setup = rig.write_setup(tmp_path / "setup.toml", ENTRY)
    out = tmp_path / "out"
    CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out / "entry.pdf").pages).split())
    html = (out / "entry.html").read_text(encoding="utf-8")
    banner = html.split('<p class="big">', 1)[1].split("</p>", 1)[0]
    return text, banner, (out / "entry.json").read_text(encoding="utf-8")


def test_an_entry_pass_resting_on_an_assumed_dwell_says_so_in_its_banner(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The entry sheet read plain PASS while a unit's PASS took its QP dwell on trust."""
    text, banner, doc = _entry_run(rig, tmp_path)
    assert "Entry measurement verdict: PASS (measurements) (ASSUMED DWELL)" in text
    assert "Measurement verdict of the entry PASS (ASSUMED DWELL)" in text
    assert banner.startswith("Entry measurement verdict: PASS (measurements) (ASSUMED DWELL)")
    assert '"banner": "PASS (measurements) (ASSUMED DWELL)' in doc
    res = CliRunner().invoke(
        main, ["verify", str(tmp_path / "out" / "entry.pdf"), "--inputs", str(tmp_path / "out")]
    )
    assert res.exit_code == 0, res.output  # verify reads the entry's verdict past the label


def test_an_entry_fail_never_carries_an_assumed_dwell(rig: ModuleType, tmp_path: Path) -> None:
    """A reading that has not settled reads low: an unstated dwell cannot make a FAIL."""
    text, banner, _doc = _entry_run(rig, tmp_path, av_fail_l2_mhz=2.0)
    assert "Entry measurement verdict: FAIL" in text and "ASSUMED DWELL)" not in banner
    assert "Measurement verdict of the entry FAIL " in text


def test_an_entry_incomplete_for_a_serial_not_measured_keeps_the_assumed_dwell(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Unit rigA PASS (ASSUMED DWELL), rigB PASS, S-3 listed as tested and not in the run.

    The entry read INCOMPLETE: its rule took the labels of the units whose verdict equals
    the entry's only. INCOMPLETE claims that no unit fails, which rests on rigA's dwell, as
    a lot's INCOMPLETE for a unit not measured does. The terminal's entry line and
    ``summary.json``'s entry carried no label even when the sheet did.
    """
    root = tmp_path / "in"
    _without_dwell(rig.write_rig(root, unit="rigA"))
    rig.write_rig(root, unit="rigB")
    listed = ENTRY.replace('["S-1", "S-2"]', '["S-1", "S-2", "S-3"]')
    setup = rig.write_setup(tmp_path / "setup.toml", listed)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    assert res.exit_code == 5, res.output
    assert (
        "entry E-1: INCOMPLETE (ASSUMED DWELL) (S-1 PASS (ASSUMED DWELL), S-2 PASS, "
        "S-3 INCOMPLETE (not measured))"
    ) in res.stdout.splitlines()
    doc = json.loads((out / "entry.json").read_text(encoding="utf-8"))
    sentence = (
        "ASSUMED DWELL: the entry's verdict rests on unit verdicts that take quasi-peak or "
        "CISPR-average readings with no stated dwell as settled: S-1 (rigA)"
    )
    assert (doc["verdict"], doc["assumptions"]) == ("INCOMPLETE", [sentence])
    assert doc["banner"] == "INCOMPLETE (ASSUMED DWELL) · RECORD INCOMPLETE"
    entry = json.loads((out / "summary.json").read_text(encoding="utf-8"))["entry"]
    assert (entry["verdict"], entry["assumptions"]) == ("INCOMPLETE", [sentence])
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out / "entry.pdf").pages).split())
    assert "Entry measurement verdict: INCOMPLETE (ASSUMED DWELL)" in text


def test_an_entry_pass_resting_on_an_assumed_dwell_says_so_on_the_terminal(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The sheet said PASS (ASSUMED DWELL), the terminal and summary.json a plain PASS."""
    root = tmp_path / "in"
    _without_dwell(rig.write_rig(root, unit="rigA"))
    rig.write_rig(root, unit="rigB")
    setup = rig.write_setup(tmp_path / "setup.toml", ENTRY)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    assert "entry E-1: PASS (ASSUMED DWELL) (S-1 PASS (ASSUMED DWELL), S-2 PASS)" in (
        res.stdout.splitlines()
    )
    entry = json.loads((out / "summary.json").read_text(encoding="utf-8"))["entry"]
    assert entry["verdict"] == "PASS"  # the plain word, what it takes on trust beside it
    assert [a.split(":")[0] for a in entry["assumptions"]] == ["ASSUMED DWELL"]


def test_an_entry_fail_neither_carries_nor_lists_an_assumed_dwell(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    _without_dwell(rig.write_rig(root, unit="rigA"))
    rig.write_rig(root, unit="rigB", av_fail_l2_mhz=2.0)
    setup = rig.write_setup(tmp_path / "setup.toml", ENTRY)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    assert res.exit_code == 1, res.output
    assert "entry E-1: FAIL (S-1 PASS (ASSUMED DWELL), S-2 FAIL)" in res.stdout.splitlines()
    entry = json.loads((out / "summary.json").read_text(encoding="utf-8"))["entry"]
    assert (entry["verdict"], entry["assumptions"]) == ("FAIL", [])
