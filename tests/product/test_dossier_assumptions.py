"""A unit verdict that takes a dwell or a scale on trust says so on page 1 and in the JSON.

The test rig's final scans are generic CSVs with quasi-peak and CISPR-average columns; with
their ``dwell_s`` taken out, their readings are still judged as measurements
(``docs/verdict.md``, "Settling"), which the check report's verdict line qualifies; the unit's
record, its summary line and the entry sheet must too.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

ALL_PORTS = "L1 QP, AV; L2 QP, AV; H QP, AV; V QP, AV"


def _dossier(root: Path, setup: Path, out: Path) -> dict[str, Any]:
    res = CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    assert res.exit_code in (0, 1), res.output
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    unit: dict[str, Any] = doc["units"][0]
    return unit


def _without_dwell(root: Path) -> Path:
    for f in root.rglob("*.csv"):
        f.write_text(f.read_text(encoding="utf-8").replace("# dwell_s: 1\n", ""), "utf-8")
    return root


def test_a_unit_passing_on_readings_with_no_stated_dwell_names_the_assumption(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = _without_dwell(rig.write_rig(tmp_path / "in"))
    unit = _dossier(root, rig.write_setup(tmp_path / "setup.toml"), tmp_path / "out")
    assert unit["verdict"] == "PASS"
    assert unit["assumptions"] == [
        "ASSUMED DWELL: quasi-peak or CISPR-average readings with no stated dwell are taken "
        f"as settled (which needs ≥ 1 s per frequency): {ALL_PORTS}"
    ]
    page1 = PdfReader(str(tmp_path / "out" / "unit" / "dossier.pdf")).pages[0].extract_text()
    assert "ASSUMED DWELL" in " ".join(page1.split())
    html = (tmp_path / "out" / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "ASSUMED DWELL: quasi-peak or CISPR-average readings" in html


def test_a_dwell_stated_in_every_file_assumes_nothing(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    assert "# dwell_s: 1" in (root / "conducted" / "unit_L1_final.csv").read_text("utf-8")
    unit = _dossier(root, rig.write_setup(tmp_path / "setup.toml"), tmp_path / "out")
    assert unit["verdict"] == "PASS"
    assert unit["assumptions"] == []


def test_a_failing_unit_rests_on_no_assumed_dwell(rig: ModuleType, tmp_path: Path) -> None:
    """A reading that has not settled reads low: the FAIL stands whatever the dwell."""
    root = _without_dwell(rig.write_rig(tmp_path / "in", av_fail_l2_mhz=1.0))
    unit = _dossier(root, rig.write_setup(tmp_path / "setup.toml"), tmp_path / "out")
    assert unit["verdict"] == "FAIL"
    assert unit["assumptions"] == []


def test_the_terminal_line_and_summary_name_what_the_verdict_assumes(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = _without_dwell(rig.write_rig(tmp_path / "in"))
    setup, out = rig.write_setup(tmp_path / "setup.toml"), tmp_path / "out"
    res = CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    assert res.stdout.splitlines()[0] == "unit: PASS (ASSUMED DWELL)"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [len(u["assumptions"]) for u in summary["units"]] == [1]


def test_the_entry_sheet_names_what_a_passing_unit_assumes() -> None:
    from rfcheck.outcome import Verdict
    from rfcheck.product.entry import _decided_by
    from rfcheck.product.summary import UnitSummary

    s = UnitSummary("u", Verdict.PASS, "u", {}, (), 0, assumptions=("ASSUMED SCALE: x: L1",))
    assert _decided_by(s) == "ASSUMED SCALE: x: L1"
    assert _decided_by(UnitSummary("u", Verdict.PASS, "u", {}, (), 0)) == ""
