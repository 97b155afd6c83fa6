"""Repeat captures of one port: each final value names its capture; a disagreement is noted.

The port's captures are pooled and the worse reading decides (whatever the file order); the
final table (JSON ``final_measurements[]``, PDF, HTML/CSV) names the capture each value was
read from, lists what the other captures read there, and the record notes where they differ
by more than 1 dB, with the file kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

CONDUCTED_MHZ = np.linspace(0.15, 30.0, 3318)  # 9 kHz steps
F_MHZ = 1.5  # AV limit 46 dBµV (47 CFR 15.107(a))


def _capture(rig: ModuleType, path: Path, av_dbuv: float) -> Path:
    """Write a conducted QP/AV scan with one emission at 1.5 MHz: QP 45, AV ``av_dbuv``."""
    f = CONDUCTED_MHZ
    at = int(np.argmin(np.abs(f - F_MHZ)))
    qp, av = np.full(f.shape, 20.0), np.full(f.shape, 10.0)
    qp[at], av[at] = 45.0, av_dbuv
    return Path(rig.write_csv(path, f, {"QP (dBuV)": qp, "CAvg (dBuV)": av}, note=path.name))


def _run(rig: ModuleType, root: Path, fmt: str = "json") -> tuple[dict[str, Any], Path]:
    setup = rig.write_setup(root / "setup.toml")
    out = root / "out"
    res = CliRunner().invoke(
        main,
        ["dossier", str(root / "data"), "--setup", str(setup), "--out", str(out), "--format", fmt],
        catch_exceptions=False,
    )
    assert res.exit_code in (0, 1, 4, 5), res.output
    (unit,) = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))["units"]
    return dict(unit), out


def _av_at_emission(unit: dict[str, Any]) -> dict[str, Any]:
    (row,) = [
        r
        for r in unit["final_measurements"]
        if r["port"] == "L1" and abs(r["frequency_hz"] / 1e6 - F_MHZ) < 0.005
    ]
    return dict(row["average"])


def test_the_final_value_names_the_worse_capture_and_the_record_notes_the_spread(
    rig: ModuleType, tmp_path: Path
) -> None:
    # the repeat sorting last reads 3 dB worse: it decides, and the record says which file
    kept = _capture(rig, tmp_path / "data" / "conducted" / "unit_L1_z_scan.csv", 40.0)
    other = _capture(rig, tmp_path / "data" / "conducted" / "unit_L1_scan.csv", 37.0)
    unit, out = _run(rig, tmp_path, "json,pdf")
    av = _av_at_emission(unit)
    rel_kept = "data/conducted/unit_L1_z_scan.csv"
    rel_other = "data/conducted/unit_L1_scan.csv"
    assert (av["level"], av["margin_db"], av["capture"]) == (40.0, 6.0, rel_kept)
    assert av["repeat_captures"] == [
        {"capture": rel_other, "level": 37.0, "frequency_hz": av["frequency_hz"]}
    ]
    at_mhz = f"{av['frequency_hz'] / 1e6:.6g}"  # the grid point nearest 1.5 MHz
    note = (
        f"L1 AV at {at_mhz} MHz: repeat captures differ by 3.00 dB; the table keeps "
        f"{rel_kept} (40.00 dBµV: the worse reading decides), not {rel_other} (37.00 dBµV)"
    )
    assert note in unit["warnings"]
    # the QP readings agree (45 and 45): each names a capture, no note
    qp_notes = [w for w in unit["warnings"] if w.startswith("L1 QP at")]
    assert qp_notes == []
    assert kept.is_file() and other.is_file()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(out / "unit" / "dossier.pdf").pages).split()
    )
    assert "capture [1]" in text
    assert f"Captures: [1] {rel_other}; [2] {rel_kept}" in text or (
        f"Captures: [1] {rel_kept}; [2] {rel_other}" in text
    )
    assert f"Note: {note}." in text


def test_repeats_within_1_db_get_no_note(rig: ModuleType, tmp_path: Path) -> None:
    _capture(rig, tmp_path / "data" / "conducted" / "unit_L1_scan.csv", 40.0)
    _capture(rig, tmp_path / "data" / "conducted" / "unit_L1_z_scan.csv", 39.0)
    unit, _ = _run(rig, tmp_path)
    av = _av_at_emission(unit)
    assert (av["level"], av["capture"]) == (40.0, "data/conducted/unit_L1_scan.csv")
    assert [r["level"] for r in av["repeat_captures"]] == [39.0]
    assert not [w for w in unit["warnings"] if "repeat captures differ" in w]


def test_one_capture_is_named_with_no_repeats(rig: ModuleType, tmp_path: Path) -> None:
    _capture(rig, tmp_path / "data" / "conducted" / "unit_L1_scan.csv", 40.0)
    unit, out = _run(rig, tmp_path, "json,html")
    av = _av_at_emission(unit)
    assert (av["capture"], av["repeat_captures"]) == ("data/conducted/unit_L1_scan.csv", [])
    html = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "AV Capture" in html and "data/conducted/unit_L1_scan.csv" in html


def test_repeats_of_one_file_name_in_two_folders_are_told_apart(
    rig: ModuleType, tmp_path: Path
) -> None:
    # the pool names such traces by path, not by the shared file name
    _capture(rig, tmp_path / "data" / "conducted" / "unit_L1_scan.csv", 37.0)
    _capture(rig, tmp_path / "data" / "conducted" / "again" / "unit_L1_scan.csv", 40.0)
    unit, _ = _run(rig, tmp_path)
    av = _av_at_emission(unit)
    assert (av["level"], av["capture"]) == (40.0, "data/conducted/again/unit_L1_scan.csv")
    assert [(r["capture"], r["level"]) for r in av["repeat_captures"]] == [
        ("data/conducted/unit_L1_scan.csv", 37.0)
    ]
