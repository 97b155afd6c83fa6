"""``rfcheck dossier --out``: the folders it refuses, and what it writes there (docs/dossier.md)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.cli import main


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _rig(rig: ModuleType, tmp: Path) -> tuple[Path, Path]:
    return rig.write_rig(tmp / "in"), rig.write_setup(tmp / "setup.toml")


@pytest.mark.parametrize("inside", [".", "radiated/out"])
def test_out_equal_to_or_inside_a_dir_is_refused_exit_2(
    rig: ModuleType, tmp_path: Path, inside: str
) -> None:
    """Its marker would hide every capture of DIR from the next run (every cell MISSING)."""
    root, setup = _rig(rig, tmp_path)
    out = (root / inside) if inside != "." else root
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 2, res.output
    assert res.stdout == ""
    assert res.stderr == (
        f"rfcheck: error: --out {out.as_posix()} is inside the input folder {root.as_posix()}: "
        "choose an output folder outside every DIR\n"
    )
    assert not (root / ".rfcheck-output").exists()
    assert not (root / "radiated" / "out").exists()


def test_a_non_empty_folder_rfcheck_did_not_create_is_refused_unless_force(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup = _rig(rig, tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "summary.json").write_text("mine\n", encoding="utf-8")
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    res = _run(*args, "--format", "json")
    assert res.exit_code == 2, res.output
    assert res.stderr == (
        f"rfcheck: error: --out {out.as_posix()} is a non-empty folder rfcheck did not create "
        "(no .rfcheck-output): choose a new or empty folder, or use --force to write into it\n"
    )
    assert (out / "summary.json").read_text(encoding="utf-8") == "mine\n"
    assert _run(*args, "--format", "json", "--force").exit_code == 0
    # written once, the folder is rfcheck's: a second run needs no --force
    assert _run(*args, "--format", "json").exit_code == 0


def test_an_empty_out_and_a_dry_run_inside_dir_are_accepted(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup = _rig(rig, tmp_path)
    (tmp_path / "empty").mkdir()
    args = ["dossier", str(root), "--setup", str(setup), "--jobs", "1", "--format", "json"]
    assert _run(*args, "--out", str(tmp_path / "empty")).exit_code == 0
    assert _run(*args, "--out", str(root), "--dry-run").exit_code == 0
