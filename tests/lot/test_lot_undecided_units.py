"""An INCOMPLETE or INCONCLUSIVE lot names on page 1 which unit, and what.

A FAIL lot's banner and its unit's row name the line over the limit; an INCOMPLETE lot read
"80/80 rule ... over 5 units: 2 PASS" and an INCONCLUSIVE one "2 INCONCLUSIVE", with no unit
named, and the unit's JSON ``flags`` were empty. Now the unit's row (text, JSON ``flags``,
CSV), the PDF/HTML banner and the text report's verdict line name it and what is missing or
undecided.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

#: AV levels at 1 MHz [dBµV]; the AV line is 46, QP 56 (fcc-15.107-b).
LEVELS = (38.5, 40.0, 41.0, 42.0, 43.5)


def _lot(folder: Path, setup: Path, *more: str) -> Any:
    args = ["lot", str(folder), "--golden", "u01", "--setup", str(setup), *more]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _page1(out: Path) -> str:
    return re.sub(r"\s+", " ", PdfReader(out / "lot.pdf").pages[0].extract_text())


def _write(tmp_path: Path, lot_writer: LotWriter) -> tuple[Path, Path]:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u{i + 1:02d}": {1e6: v} for i, v in enumerate(LEVELS)})
    return folder, setup


def test_a_unit_scanned_over_part_of_the_band_is_named_with_what_is_missing(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder, setup = _write(tmp_path, lot_writer)
    path = folder / "u03_L1.csv"  # its scan stops at 10 MHz
    lines = path.read_text(encoding="ascii").splitlines(keepends=True)
    path.write_text(
        "".join(ln for ln in lines if not ln[0].isdigit() or float(ln.split(",")[0]) <= 10e6),
        encoding="ascii",
    )
    flag = "not measured: L1 fcc-15.107-b QP, AV 10.0045-30 MHz"
    res = _lot(folder, setup, "-o", "json")
    doc = json.loads(res.stdout)
    assert (res.exit_code, doc["verdict"]) == (5, "INCOMPLETE")
    flags = {u["unit"]: u["flags"] for u in doc["units"]}
    assert flags == {"u01": [], "u02": [], "u03": [flag], "u04": [], "u05": []}
    text = _lot(folder, setup).output
    assert f"      - {flag}\n" in text
    assert text.endswith(f"Verdict: INCOMPLETE (exit 5): u03: {flag}\n")
    out = tmp_path / "out"
    assert _lot(folder, setup, "--report", "pdf,html,csv", "--out", str(out)).exit_code == 5
    named = (
        "Not measured over a line's whole range (the unit's own verdict INCOMPLETE): "
        "u03 (L1 fcc-15.107-b QP, AV 10.0045-30 MHz)"
    )
    first = _page1(out)
    assert "LOT VERDICT: INCOMPLETE (exit 5)" in first
    assert named in first
    assert named.replace("'", "&#x27;") in (out / "lot.html").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO((out / "lot_units.csv").read_text(encoding="utf-8")))
    assert {r["unit"]: r["flags"] for r in rows}["u03"] == flag


def test_a_unit_with_only_an_upper_bound_is_named_with_what_is_undecided(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder, setup = _write(tmp_path, lot_writer)
    path = folder / "u04_L1.csv"  # a peak reading only: 47.0, an upper bound for the AV line
    lines = path.read_text(encoding="ascii").splitlines()
    head = [ln for ln in lines if not ln[0].isdigit()]
    body = [ln.split(",")[:2] for ln in lines if ln[0].isdigit()]
    head[-1] = "Frequency (Hz),Peak (dBuV)"
    path.write_text("\n".join(head + [",".join(r) for r in body]) + "\n", encoding="ascii")
    flag = (
        "undecided: L1 fcc-15.107-b AV at 1 MHz, margin \u2265 -1.00 dB; needs cispr-average "
        "measurement at 1 MHz"
    )
    res = _lot(folder, setup, "-o", "json")
    doc = json.loads(res.stdout)
    assert (res.exit_code, doc["verdict"]) == (4, "INCONCLUSIVE")
    assert {u["unit"]: u["flags"] for u in doc["units"]}["u04"] == [flag]
    assert all(u["flags"] == [] for u in doc["units"] if u["unit"] != "u04")
    verdict_line = _lot(folder, setup).output.splitlines()[-1]
    assert verdict_line.startswith(f"Verdict: INCONCLUSIVE (exit 4): u04: {flag} | 80/80 L1 ")
    out = tmp_path / "out"
    assert _lot(folder, setup, "--report", "pdf", "--out", str(out)).exit_code == 4
    first = _page1(out)
    assert (
        "A line not decided by the unit's own measurement (its verdict INCONCLUSIVE): "
        f"u04 ({flag.removeprefix('undecided: ')})"
    ) in first
    assert "80/80 rule not decided at: L1 fcc-15.107-b AV at 1 MHz INCONCLUSIVE" in first
