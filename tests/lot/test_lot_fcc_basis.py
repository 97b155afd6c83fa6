"""``lot`` and ``compare`` judged against a CISPR 32 table say it is not an FCC basis.

The note is the one ``check`` prints for the table (rfcheck.limits.fcc_basis), in the text,
the JSON and so the PDF and HTML reports (built from the text). Neither
once said it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.limits import load_shipped
from rfcheck.limits.fcc_basis import fcc_basis_note

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]
CsvWriter = Callable[..., Path]
RADIATED = (30e6, 400e6, 60e3, 120e3)


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _cispr_lot(tmp_path: Path, lot_writer: LotWriter) -> tuple[Path, Path]:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 30.0 + i} for i in range(1, 6)})
    text = setup.read_text(encoding="ascii").replace("fcc-15.107-b", "cispr32-b-mains")
    setup.write_text(text, encoding="ascii")
    return folder, setup


def test_lot_text_and_json_say_cispr_is_not_an_fcc_basis(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder, setup = _cispr_lot(tmp_path, lot_writer)
    note = fcc_basis_note(load_shipped("cispr32-b-mains"))
    args = ["lot", str(folder), "--golden", "u01", "--setup", str(setup)]
    text = _run(*args)
    assert f"Note: {note}\n" in text.stdout
    assert text.stdout.count("not an FCC basis") == 1
    doc = json.loads(_run(*args, "-o", "json").stdout)
    assert note in doc["notes"]


def test_lot_report_files_say_it(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder, setup = _cispr_lot(tmp_path, lot_writer)
    out = tmp_path / "out"
    args = ["lot", str(folder), "--golden", "u01", "--setup", str(setup)]
    _run(*args, "--report", "html", "--out", str(out))
    assert "cispr32-b-mains: CISPR 32 limits are not an FCC basis" in (out / "lot.html").read_text(
        encoding="utf-8"
    )


def test_an_fcc_lot_has_no_such_note(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 30.0 + i} for i in range(1, 6)})
    res = _run("lot", str(folder), "--golden", "u01", "--setup", str(setup))
    assert "FCC basis" not in res.stdout


def _pair(tmp_path: Path, csv_writer: CsvWriter) -> tuple[Path, Path]:
    a = csv_writer(tmp_path / "a.csv", {"QP": {102e6: 30.0}}, grid=RADIATED, unit="dBuV/m")
    b = csv_writer(tmp_path / "b.csv", {"QP": {102e6: 31.0}}, grid=RADIATED, unit="dBuV/m")
    return a, b


def test_compare_text_and_json_say_cispr_is_not_an_fcc_basis(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    a, b = _pair(tmp_path, csv_writer)
    note = fcc_basis_note(load_shipped("cispr32-b-rad-3m"))
    args = ["compare", str(a), str(b), "--limit", "cispr32-b-rad-3m"]
    text = _run(*args)
    assert text.exit_code == 0
    assert f"Note: {note}\n" in text.stdout
    assert text.stdout.count("not an FCC basis") == 1  # one table, both sides: once
    doc = json.loads(_run(*args, "-o", "json").stdout)
    assert doc["notes"] == [note]


def test_compare_report_files_say_it(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pair(tmp_path, csv_writer)
    out = tmp_path / "out"
    args = ["compare", str(a), str(b), "--limit", "cispr32-b-rad-3m"]
    _run(*args, "--report", "html,json", "--out", str(out))
    note = fcc_basis_note(load_shipped("cispr32-b-rad-3m"))
    assert json.loads((out / "compare.json").read_text(encoding="utf-8"))["notes"] == [note]
    assert "cispr32-b-rad-3m: CISPR 32 limits are not an FCC basis" in (
        out / "compare.html"
    ).read_text(encoding="utf-8")


def test_an_fcc_comparison_has_no_notes(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pair(tmp_path, csv_writer)
    args = ["compare", str(a), str(b), "--limit", "fcc-15.109-b", "-o", "json"]
    assert json.loads(_run(*args).stdout)["notes"] == []
