"""Files ``[batch] group_pattern`` finds no unit in: in no unit, never a unit of their own.

A README or a screenshot beside the captures is no device: it gets no record and no unit
folder, is not counted as a unit (the one-unit ``[dut] serial`` stays the real unit's), and
is still reported: one error line, ``summary.json``'s ``in_no_unit``, the dry run, exit 3.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner

from rfcheck.cli import main

PATTERN = "^(?P<unit>rig[A-Z])_"
WHY = f"in no unit ([batch] group_pattern '{PATTERN}' finds none in its name), not used"


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _setup(rig: ModuleType, path: Path, pattern: str = PATTERN) -> Path:
    """Write the rig's setup with a one-unit ``[dut] serial`` and a group pattern."""
    text = rig.SETUP.replace('model = "Test rig"\n', 'model = "Test rig"\nserial = "S-1"\n')
    path.write_text(text + f'\n[batch]\ngroup_pattern = "{pattern}"\n', encoding="utf-8")
    return path


def _folder(rig: ModuleType, root: Path) -> tuple[Path, Path]:
    """Write rigA's complete captures, and a README and a screenshot beside them."""
    rig.write_rig(root, unit="rigA")
    readme = root / "conducted" / "README.txt"
    readme.write_text("L1 and L2 measured on 12 Nov\n", encoding="utf-8")
    shot = root / "conducted" / "screenshot_L1.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n")
    return readme, shot


def test_a_file_in_no_unit_is_reported_and_makes_no_unit(rig: ModuleType, tmp_path: Path) -> None:
    readme, shot = _folder(rig, tmp_path / "in")
    setup = _setup(rig, tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run(
        "dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out),
        "--format", "json", "--jobs", "1",
    )  # fmt: skip
    assert res.exit_code == 3, res.output  # an input the run could not use; nothing failed
    assert res.stdout.splitlines()[:2] == [
        "rigA: PASS",
        f"  record: {out.as_posix()}/rigA/dossier.json",
    ]
    assert "ungrouped" not in res.output
    assert res.stderr.splitlines() == [
        f"rfcheck: error: {readme}: {WHY}",
        f"rfcheck: error: {shot}: {WHY}",
    ]
    assert sorted(p.name for p in out.iterdir()) == [".rfcheck-output", "rigA", "summary.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["verdict"] == "ERROR"
    assert [u["unit"] for u in summary["units"]] == ["rigA"]
    assert summary["in_no_unit"] == [
        {"path": str(readme), "message": WHY},
        {"path": str(shot), "message": WHY},
    ]
    # the one unit keeps the setup's one-unit serial: a notes file is not a second unit
    doc = json.loads((out / "rigA" / "dossier.json").read_text(encoding="utf-8"))
    assert doc["record"]["dut"]["serial"] == "S-1"
    assert doc["verdict"] == "PASS"


def test_a_unit_failing_beside_a_file_in_no_unit_exits_1(rig: ModuleType, tmp_path: Path) -> None:
    rig.write_rig(tmp_path / "in", unit="rigA", av_fail_l2_mhz=2.0)
    (tmp_path / "in" / "notes.txt").write_text("notes\n", encoding="utf-8")
    setup = _setup(rig, tmp_path / "setup.toml")
    res = _run(
        "dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(tmp_path / "out"),
        "--format", "json", "--jobs", "1",
    )  # fmt: skip
    assert res.exit_code == 1, res.output  # FAIL > ERROR, as for a unit's error rows
    assert res.stderr.splitlines() == [f"rfcheck: error: {tmp_path / 'in' / 'notes.txt'}: {WHY}"]


def test_dry_run_lists_the_files_in_no_unit_and_exits_3(rig: ModuleType, tmp_path: Path) -> None:
    readme, shot = _folder(rig, tmp_path / "in")
    setup = _setup(rig, tmp_path / "setup.toml")
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 3, res.output
    lines = res.stdout.splitlines()
    assert lines[1:3] == [f"{readme}: {WHY}", f"{shot}: {WHY}"]
    assert lines[3] == "rigA: 8 capture(s)"
    assert not any(line.startswith("ungrouped") for line in lines)
    assert res.stderr.splitlines() == [
        f"rfcheck: error: {readme}: {WHY}",
        f"rfcheck: error: {shot}: {WHY}",
    ]


def test_no_file_in_a_unit_is_one_error_and_no_record(rig: ModuleType, tmp_path: Path) -> None:
    rig.write_rig(tmp_path / "in")  # files unit_L1_...: the pattern wants rigA_...
    setup = _setup(rig, tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 3, res.output
    first = sorted((tmp_path / "in").rglob("*.csv"))[0]
    assert res.stderr.splitlines() == [
        f"rfcheck: error: no file in {(tmp_path / 'in').as_posix()} is in a unit: "
        f"[batch] group_pattern '{PATTERN}' finds none in their names (8 files: {first}, "
        f"{sorted((tmp_path / 'in').rglob('*.csv'))[1]}, "
        f"{sorted((tmp_path / 'in').rglob('*.csv'))[2]} (+5 more)); no record is issued"
    ]
    assert not out.exists()


def test_a_pattern_on_the_path_says_so(rig: ModuleType, tmp_path: Path) -> None:
    rig.write_rig(tmp_path / "in" / "rigA", unit="rigA")
    (tmp_path / "in" / "README.txt").write_text("notes\n", encoding="utf-8")
    setup = _setup(rig, tmp_path / "setup.toml", pattern="^(?P<unit>rig[A-Z])/")
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 3, res.output
    why = (
        "in no unit ([batch] group_pattern '^(?P<unit>rig[A-Z])/' finds none in its path), not used"
    )
    assert res.stderr.splitlines() == [f"rfcheck: error: {tmp_path / 'in' / 'README.txt'}: {why}"]
    assert "rigA: 8 capture(s)" in res.stdout.splitlines()
