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


def test_a_rerun_keeps_the_earlier_files_it_does_not_write_again_and_lists_them_stale(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A json-only re-run left the earlier PDF, HTML and plots beside its JSON, unmarked.

    They are kept (a re-run never deletes: an issued record, or a user's file under one of
    rfcheck's names), listed under ``stale`` and said in a note.
    """
    root, setup = _rig(rig, tmp_path)
    out = tmp_path / "out"
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    assert _run(*args).exit_code == 0
    first = _names(out / "unit")
    assert first == [
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
    signed = b"%PDF-1.7 signed copy"
    (out / "unit" / "dossier.pdf").write_bytes(signed)  # a user's file under rfcheck's name
    (out / "unit" / "mine.txt").write_text("mine\n", encoding="utf-8")
    res = _run(*args, "--format", "json")
    assert res.exit_code == 0, res.output
    assert _names(out / "unit") == sorted([*first, "mine.txt"])  # nothing deleted
    assert (out / "unit" / "dossier.pdf").read_bytes() == signed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["units"][0]["files"] == ["dossier.json"]
    stale = [
        "unit/dossier.html",
        "unit/dossier.pdf",
        "unit/plot_L1.png",
        "unit/plot_L2.png",
        "unit/plot_radiated.png",
    ]
    assert summary["stale"] == stale
    assert res.stderr == (
        "rfcheck: note: unit/: dossier.html, dossier.pdf, plot_L1.png, plot_L2.png, "
        "plot_radiated.png from an earlier run, not written by this run; kept, listed under "
        "stale in summary.json: not part of this run's record\n"
    )
    # carried while they exist, dropped once written again
    res = _run(*args, "--format", "json,html")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["stale"] == [p for p in stale if p != "unit/dossier.html"]


def _two_units(rig: ModuleType, tmp: Path) -> tuple[Path, Path, list[str]]:
    """Units rigA and rigB in ``tmp/in`` (folders a, b); the dossier arguments into ``tmp/out``."""
    root = tmp / "in"
    rig.write_rig(root / "a", unit="rigA")
    rig.write_rig(root / "b", unit="rigB")
    setup = rig.write_setup(
        tmp / "setup.toml", '[batch]\ngroup_pattern = "^(?P<unit>[A-Za-z]+)_"\n'
    )
    out = tmp / "out"
    return (
        root,
        out,
        ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"],
    )


def test_the_record_of_a_unit_no_longer_in_the_input_is_kept_and_listed_stale(
    rig: ModuleType, tmp_path: Path
) -> None:
    """One unit per run into a shared folder must not delete the other units' records."""
    root, out, args = _two_units(rig, tmp_path)
    assert _run(*args, "--format", "json,html").exit_code == 0
    before = _names(out / "rigB")
    shutil.rmtree(root / "b")
    res = _run(*args, "--format", "json")
    assert res.exit_code == 0, res.output
    assert _names(out) == [".rfcheck-output", "rigA", "rigB", "summary.json"]
    assert _names(out / "rigB") == before
    assert "rfcheck: note: rigB/: unit rigB's earlier record, not part of this run (none of " in (
        res.stderr
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [u["unit"] for u in summary["units"]] == ["rigA"]
    assert summary["stale"] == ["rigA/dossier.html", "rigB"]
    # a later run still lists it while it exists
    res = _run(*args, "--format", "json,html")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["stale"] == ["rigB"]


def test_a_unit_folder_that_is_a_link_is_never_entered(rig: ModuleType, tmp_path: Path) -> None:
    """A unit folder linked to an archive kept its files (they were once deleted)."""
    root, out, args = _two_units(rig, tmp_path)
    assert _run(*args, "--format", "json,html").exit_code == 0
    archive = tmp_path / "archive"
    (out / "rigB").rename(archive)
    (out / "rigB").symlink_to(archive)
    kept = _names(archive)
    shutil.rmtree(root / "b")
    assert _run(*args, "--format", "json").exit_code == 0
    assert _names(archive) == kept


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


def test_unit_folders_are_unique_ignoring_case_and_never_a_reserved_name() -> None:
    """Units nx8 and nx8-2 once shared a folder; a unit 'summary.json' too."""
    from rfcheck.product.unit_folders import unique_names

    got = unique_names(["NX8", "nx8", "nx8-2", "summary.json", "Summary.JSON"])
    assert got == ["NX8", "nx8-2", "nx8-2-2", "summary.json-2", "Summary.JSON-3"]
    assert len({g.lower() for g in got}) == len(got)


def test_an_out_that_is_a_file_is_a_write_error_exit_3(rig: ModuleType, tmp_path: Path) -> None:
    """A three-line click usage error (exit 2) gave way to the documented line."""
    root, setup = _rig(rig, tmp_path)
    afile = tmp_path / "afile"
    afile.write_text("x\n", encoding="utf-8")
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(afile))
    assert res.exit_code == 3, res.output
    assert res.stderr == f"rfcheck: error: cannot write {afile}: not a folder\n"
    assert afile.read_text(encoding="utf-8") == "x\n"
    samples = Path(__file__).resolve().parents[2] / "sample_captures" / "lot"
    res = _run(
        "lot", str(samples), "--golden", "unit01", "--setup", str(samples / "lot-setup.toml"),
        "--report", "json", "--out", str(afile),
    )  # fmt: skip
    assert res.exit_code == 3, res.output
    assert res.stderr.endswith(f"rfcheck: error: cannot write {afile}: not a folder\n")


def test_a_unit_folder_on_the_input_folder_is_refused_even_with_force(
    rig: ModuleType, tmp_path: Path
) -> None:
    """OUT the input's parent with --force wrote unit 'unit's record into in/unit itself."""
    root = rig.write_rig(tmp_path / "unit")  # the input folder is named like its unit
    setup = rig.write_setup(tmp_path / "setup.toml")
    before = _names(root)
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(tmp_path), "--force")
    assert res.exit_code == 2, res.output
    assert res.stderr == (
        f"rfcheck: error: --out {tmp_path.as_posix()}: unit unit's folder "
        f"{(tmp_path / 'unit').as_posix()} would be, hold or lie in the input folder "
        f"{root.as_posix()}: choose an output folder outside every DIR\n"
    )
    assert _names(root) == before
    assert not (tmp_path / ".rfcheck-output").exists()
