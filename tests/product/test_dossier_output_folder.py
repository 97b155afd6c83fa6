"""``rfcheck dossier --out``: the folders it refuses, and what it writes there (docs/dossier.md)."""

from __future__ import annotations

import json
import shutil
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


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_rerun_removes_the_earlier_files_it_does_not_write_again(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A json-only re-run once left the earlier FAIL PDF, HTML and plots beside its PASS JSON."""
    root, setup = _rig(rig, tmp_path)
    out = tmp_path / "out"
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    assert _run(*args).exit_code == 0
    assert _names(out / "unit") == [
        "dossier.html",
        "dossier.json",
        "dossier.pdf",
        "plot_L1.png",
        "plot_L2.png",
        "plot_radiated.png",
    ]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["units"][0]["files"] == [
        "plot_L1.png",
        "plot_L2.png",
        "plot_radiated.png",
        "dossier.json",
        "dossier.html",
        "dossier.pdf",
    ]
    (out / "unit" / "mine.txt").write_text("mine\n", encoding="utf-8")
    res = _run(*args, "--format", "json")
    assert res.exit_code == 0, res.output
    assert _names(out / "unit") == ["dossier.json", "mine.txt"]  # never a file of the user's
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["units"][0]["files"] == ["dossier.json"]
    assert summary["stale"] == []
    assert res.stderr == ""


def test_the_record_of_a_unit_no_longer_in_the_input_is_removed(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    rig.write_rig(root / "a", unit="rigA")
    rig.write_rig(root / "b", unit="rigB")
    setup = rig.write_setup(
        tmp_path / "setup.toml", '[batch]\ngroup_pattern = "^(?P<unit>[A-Za-z]+)_"\n'
    )
    out = tmp_path / "out"
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    assert _run(*args, "--format", "json,html").exit_code == 0
    shutil.rmtree(root / "b")
    res = _run(*args, "--format", "json")
    assert res.exit_code == 0, res.output
    assert _names(out) == [".rfcheck-output", "rigA", "summary.json"]
    assert res.stderr == (
        "rfcheck: note: removed the earlier record of unit rigB (rigB/): none of its captures "
        "is in this run\n"
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [u["unit"] for u in summary["units"]] == ["rigA"]
    assert summary["stale"] == []


def test_a_gone_units_folder_holding_a_users_file_is_listed_stale(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    rig.write_rig(root / "a", unit="rigA")
    rig.write_rig(root / "b", unit="rigB")
    setup = rig.write_setup(
        tmp_path / "setup.toml", '[batch]\ngroup_pattern = "^(?P<unit>[A-Za-z]+)_"\n'
    )
    out = tmp_path / "out"
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    assert _run(*args, "--format", "json").exit_code == 0
    (out / "rigB" / "notes.txt").write_text("mine\n", encoding="utf-8")
    shutil.rmtree(root / "b")
    res = _run(*args, "--format", "json")
    assert res.exit_code == 0, res.output
    assert _names(out / "rigB") == ["notes.txt"]
    assert res.stderr == (
        "rfcheck: note: rigB: an earlier run's output, left in place (it holds a file rfcheck "
        "did not write, or could not be removed): not part of this run's records\n"
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["stale"] == ["rigB"]


def test_an_html_only_run_does_not_point_to_a_pdf_it_did_not_write(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup = _rig(rig, tmp_path)
    out = tmp_path / "out"
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    assert _run(*args, "--format", "html").exit_code == 0
    page = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "The test record is dossier.pdf beside it" not in page
    assert (
        "The test record is the PDF, dossier.pdf, which this run did not write (--format "
        "without pdf): run again with pdf to issue it."
    ) in page
    assert _run(*args, "--format", "html,pdf").exit_code == 0
    page = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "The test record is dossier.pdf beside it" in page


def test_an_out_that_cannot_be_written_is_one_line_exit_3_not_an_internal_error(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup = _rig(rig, tmp_path)
    args = ["dossier", str(root), "--setup", str(setup), "--format", "json", "--jobs", "1"]
    res = _run(*args, "--out", "/dev/null/out")
    assert res.exit_code == 3, res.output
    assert res.stderr == "rfcheck: error: cannot write /dev/null/out: Not a directory\n"
    res = _run(*args, "--out", "/dev/null")
    assert res.exit_code == 3, res.output
    assert res.stderr == "rfcheck: error: cannot write /dev/null: not a folder\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_unit_folder_that_cannot_be_written_is_named_exit_3(
    rig: ModuleType, tmp_path: Path, jobs: str
) -> None:
    """Also from a worker process: the error crosses the process boundary as the same line."""
    root = tmp_path / "in"
    rig.write_rig(root / "a", unit="rigA", points=200)
    rig.write_rig(root / "b", unit="rigB", points=200)
    setup = rig.write_setup(
        tmp_path / "setup.toml", '[batch]\ngroup_pattern = "^(?P<unit>[A-Za-z]+)_"\n'
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / ".rfcheck-output").write_text("", encoding="utf-8")
    (out / "rigB").write_text("a file where the unit's folder goes\n", encoding="utf-8")
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", jobs]
    res = CliRunner().invoke(main, [*args, "--format", "json"])
    assert res.exit_code == 3, res.output
    assert res.stderr == f"rfcheck: error: cannot write {(out / 'rigB').as_posix()}: File exists\n"
