"""A unit's capture file that ``[batch] include`` leaves out is named, by the run and the dry run.

A unit's ``vx02_N_scan.csv`` moved from ``vx02/cond/`` to ``vx02/`` gave "vx02: INCOMPLETE
(missing: N QP ...)" and nobody said a file of that unit was found but not included, not
even ``--dry-run``. Now one note per unit names such files; only files named like a capture
(a registered reader's extension), not a README or a photo, and not a file ``exclude``
leaves out on purpose.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

from rfcheck.cli import main
from rfcheck.product.left_out import CAPTURE_EXTENSIONS

BATCH = """
[batch]
include = ["*/conducted/*", "*/radiated/*"]
exclude = ["*/old/*"]
group_pattern = "^(?P<unit>rig[A-Z])_"
"""


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _folder(rig: ModuleType, tmp: Path) -> tuple[Path, Path]:
    """Two units, rigB's L2 files moved one folder up; a README, a photo, an excluded scan.

    And a scan of a unit the run does not have (``rigC``, in a folder beside): no file of
    its units.
    """
    root = tmp / "in"
    for unit in ("rigA", "rigB"):
        rig.write_rig(root / unit, unit=unit)
    for name in ("rigB_L2_prescan.csv", "rigB_L2_final.csv"):
        (root / "rigB" / "conducted" / name).rename(root / "rigB" / name)
    (root / "rigB" / "README.md").write_text("notes\n", encoding="utf-8")
    (root / "rigB" / "rigB_setup.png").write_bytes(rig.PHOTO.read_bytes())
    (root / "rigB" / "old").mkdir()
    (root / "rigB" / "old" / "rigB_L2_final.csv").write_bytes(
        (root / "rigB" / "rigB_L2_final.csv").read_bytes()
    )
    (root / "other").mkdir()
    (root / "other" / "rigC_L1_final.csv").write_bytes(
        (root / "rigB" / "rigB_L2_final.csv").read_bytes()
    )
    return root, rig.write_setup(tmp / "setup.toml", BATCH)


def _note(root: Path) -> str:
    files = ", ".join(f"{root.as_posix()}/rigB/rigB_L2_{k}.csv" for k in ("final", "prescan"))
    return (
        "rfcheck: note: unit rigB: 2 capture files not used: [batch] include ('*/conducted/*', "
        f"'*/radiated/*') leaves out {files}; add a glob matching them to include (or exclude "
        "them to leave them out on purpose)"
    )


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_units_file_left_out_by_include_is_named(
    rig: ModuleType, tmp_path: Path, dry_run: bool
) -> None:
    root, setup = _folder(rig, tmp_path)
    where = ["--dry-run"] if dry_run else ["--out", str(tmp_path / "out"), "--jobs", "1"]
    res = _run("dossier", str(root), "--setup", str(setup), *where)
    assert res.exit_code == 5, res.output  # rigB's L2 not measured, as before: INCOMPLETE
    notes = [ln for ln in res.stderr.splitlines() if "not used: [batch] include" in ln]
    # not the README, the photo, the excluded copy, nor a unit the run does not have
    assert notes == [_note(root)]
    if not dry_run:
        assert "rigB: INCOMPLETE (missing: L2 QP 0.15-30 MHz; L2 AV 0.15-30 MHz)" in res.stdout


def test_a_units_file_left_out_by_include_is_listed_in_summary_json(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Named on stderr only, it was gone once the terminal was: summary.json lists it too."""
    root, setup = _folder(rig, tmp_path)
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 5, res.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    left_out = {u["unit"]: u["left_out"] for u in summary["units"]}
    assert left_out == {
        "rigA": [],
        "rigB": [f"{root.as_posix()}/rigB/rigB_L2_{k}.csv" for k in ("final", "prescan")],
    }


def test_nothing_is_said_when_include_takes_every_file(rig: ModuleType, tmp_path: Path) -> None:
    root, setup = _folder(rig, tmp_path)
    setup.write_text(setup.read_text().replace('"*/conducted/*", "*/radiated/*"', '"**/*"'))
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert "not used: [batch] include" not in res.stderr


def test_capture_extensions_are_the_readers() -> None:
    assert {".csv", ".dat", ".txt", ".iq.tar", ".sigmf-meta"} <= set(CAPTURE_EXTENSIONS)
    assert ".png" not in CAPTURE_EXTENSIONS and ".md" not in CAPTURE_EXTENSIONS
