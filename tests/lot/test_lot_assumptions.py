"""A lot whose units' verdicts take a dwell or a scale on trust says so, per unit and on page 1.

A quasi-peak or CISPR-average reading with no stated dwell is judged as settled, and a check
report's verdict says so (``PASS (ASSUMED DWELL)``, ``docs/verdict.md``, "Settling"); a lot
that shows that unit's PASS, and a lot PASS over such units, must too (``docs/lot.md``,
"What a verdict takes on trust"): the unit table's VERDICT and a flag under the unit, the
units CSV and ``lot.json``, and the PDF and HTML banner.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

#: AV levels at 1 MHz of five units, under the 46 dBµV limit [dBµV]
AT_1M = (36.0, 37.0, 38.0, 36.5, 37.5)
DWELL = (
    "ASSUMED DWELL: quasi-peak or CISPR-average readings with no stated dwell are taken as "
    "settled (which needs ≥ 1 s per frequency): "
)


def _units(over_in: str = "") -> dict[str, dict[float, float]]:
    """Five passing units (AV 36-38 dBµV at 1 MHz); ``over_in`` 6 dB over the AV limit there."""
    out = {}
    for i, level in enumerate(AT_1M):
        name = f"u{i + 1}"
        levels = {k * 100e3: 40.0 - 2.0 * k for k in range(2, 9)}
        levels[1e6] = 52.0 if name == over_in else level
        out[name] = levels
    return out


def _unstate_dwell(folder: Path, units: tuple[str, ...]) -> None:
    for unit in units:
        f = folder / f"{unit}_L1.csv"
        f.write_text(f.read_text(encoding="ascii").replace("# dwell_s: 1\n", ""), "ascii")


def _lot(folder: Path, setup: Path, out: Path) -> tuple[int, str]:
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup)]
    args += ["--report", "pdf,html,json,csv", "--out", str(out)]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    return res.exit_code, res.stdout


def _units_csv(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "lot_units.csv").read_text("utf-8"))))


def _lot_json(out: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    return doc


def _page1(out: Path) -> str:
    return " ".join(PdfReader(str(out / "lot.pdf")).pages[0].extract_text().split())


def test_a_lot_pass_on_units_with_no_stated_dwell_names_the_assumption_everywhere(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder, out = tmp_path / "lot", tmp_path / "out"
    setup = lot_writer(folder, _units())
    _unstate_dwell(folder, ("u1", "u3"))
    code, text = _lot(folder, setup, out)
    assert code == 0
    lines = text.splitlines()
    row = {ln.split()[0]: ln for ln in lines if ln.startswith("   u")}
    assert row["u1"].split()[3:6] == ["PASS", "(ASSUMED", "DWELL)"]
    assert row["u2"].split()[3:5] == ["PASS", "+9.00"]  # its file states its dwell (46 - 37)
    flag = f"      - {DWELL}L1 fcc-15.107-b QP, AV"
    assert lines[lines.index(row["u1"]) + 1] == flag
    assert lines[lines.index(row["u3"]) + 1] == flag
    assert lines[-1] == "Verdict: PASS (ASSUMED DWELL) (exit 0)"

    doc = _lot_json(out)
    assert (doc["verdict"], doc["assumed"]) == ("PASS", ["ASSUMED DWELL"])
    assert doc["assumptions"] == [
        f"{DWELL}u1 (L1 fcc-15.107-b QP, AV); u3 (L1 fcc-15.107-b QP, AV)"
    ]
    by_unit = {u["unit"]: u for u in doc["units"]}
    assert by_unit["u1"]["assumed_dwell_lines"] == ["L1 fcc-15.107-b QP", "L1 fcc-15.107-b AV"]
    assert by_unit["u1"]["assumed_dwell_s"] == 1.0
    assert by_unit["u1"]["assumptions"] == [f"{DWELL}L1 fcc-15.107-b QP, AV"]
    assert by_unit["u2"]["assumed_dwell_lines"] == [] and by_unit["u2"]["assumed_dwell_s"] is None

    rows = {r["unit"]: r for r in _units_csv(out)}
    assert rows["u1"]["assumed_dwell_lines"] == "L1 fcc-15.107-b QP;L1 fcc-15.107-b AV"
    assert rows["u1"]["assumed_dwell_s"] == "1.0"
    assert rows["u1"]["flags"] == f"{DWELL}L1 fcc-15.107-b QP, AV"
    assert (rows["u2"]["assumed_dwell_s"], rows["u2"]["flags"]) == ("", "")

    page1 = _page1(out)
    assert "LOT VERDICT: PASS (ASSUMED DWELL) (exit 0)" in page1
    assert f"{DWELL}u1 (L1 fcc-15.107-b QP, AV), u3 (L1 fcc-15.107-b QP, AV)" in page1
    html = (out / "lot.html").read_text(encoding="utf-8")
    assert '<div class="big">LOT VERDICT: PASS (ASSUMED DWELL) (exit 0)</div>' in html
    assert f"<p>{DWELL}u1 (L1 fcc-15.107-b QP, AV), u3 (L1 fcc-15.107-b QP, AV)</p>" in html


def test_a_lot_whose_files_state_their_dwell_assumes_nothing(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder, out = tmp_path / "lot", tmp_path / "out"
    code, text = _lot(folder, lot_writer(folder, _units()), out)
    assert code == 0 and "ASSUMED" not in text
    assert text.splitlines()[-1] == "Verdict: PASS (exit 0)"
    doc = _lot_json(out)
    assert (doc["assumed"], doc["assumptions"]) == ([], [])
    assert "ASSUMED" not in _page1(out)


def test_a_failing_unit_rests_on_no_assumed_dwell(tmp_path: Path, lot_writer: LotWriter) -> None:
    """A reading that has not settled reads low: the unit's FAIL, and the lot's, stand."""
    folder, out = tmp_path / "lot", tmp_path / "out"
    setup = lot_writer(folder, _units(over_in="u2"))
    _unstate_dwell(folder, ("u1", "u2"))
    code, text = _lot(folder, setup, out)
    assert code == 1
    doc = _lot_json(out)
    by_unit = {u["unit"]: u for u in doc["units"]}
    assert by_unit["u2"]["verdict"] == "FAIL" and by_unit["u2"]["assumed_dwell_lines"] == []
    assert by_unit["u1"]["assumed_dwell_lines"] == ["L1 fcc-15.107-b QP", "L1 fcc-15.107-b AV"]
    assert doc["assumed"] == []  # the lot FAILs whatever the dwell
    assert doc["assumptions"] == [f"{DWELL}u1 (L1 fcc-15.107-b QP, AV)"]  # u1's own PASS does
    assert text.splitlines()[-1] == "Verdict: FAIL (exit 1)"
    assert "LOT VERDICT: FAIL (exit 1)" in _page1(out)


def test_levels_at_a_recording_s_default_scale_qualify_any_unit_verdict(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """A unit's I/Q recording stating no scale: its levels, hence a FAIL too, rest on 1 V."""
    from rfcheck.lot import run_lot
    from rfcheck.lot.render import render_lot_text, render_lot_units_csv
    from rfcheck.lot.verdict_text import lot_verdict
    from rfcheck.settings import load_setup

    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(over_in="u2"))
    result = run_lot(folder, "u1", load_setup(setup))
    units = []
    for u in result.units:
        if u.unit == "u2":  # as if its capture were a recording read at the default scale
            el = u.captures["L1"]
            recording = replace(el.result, scale="default 1 V per full scale")
            u = replace(u, captures={"L1": replace(el, result=recording)})
        units.append(u)
    result = replace(result, units=tuple(units))
    u2 = result.units[1]
    assert (u2.verdict.value, u2.assumed_scale_ports, u2.assumed) == (
        "FAIL",
        ("L1",),
        ("ASSUMED SCALE",),
    )
    scale = (
        "ASSUMED SCALE: levels computed at the default 1 V scale of a recording that states none: "
    )
    assert u2.assumptions == (f"{scale}L1",)
    assert result.assumptions == (f"{scale}u2 (L1)",)
    assert lot_verdict(result) == "FAIL (ASSUMED SCALE)"
    assert "FAIL (ASSUMED SCALE)" in render_lot_text(result)
    rows = list(csv.DictReader(io.StringIO(render_lot_units_csv(result))))
    assert [r["assumed_scale_ports"] for r in rows] == ["", "L1", "", "", ""]
