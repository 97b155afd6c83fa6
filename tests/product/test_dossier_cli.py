"""``rfcheck dossier`` on hand-built product folders: verdicts, exit codes, outputs."""

from __future__ import annotations

import hashlib
import html
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _dossier(rig: ModuleType, tmp: Path, **kw: Any) -> tuple[Any, dict[str, Any], Path]:
    root = rig.write_rig(tmp / "in", **kw)
    setup = rig.write_setup(tmp / "setup.toml")
    out = tmp / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    return res, doc, out


def _cells(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    (unit,) = doc["units"]
    return {(c["port"], c["line"]): c for c in unit["cells"]}


def test_complete_passing_rig_is_pass_exit_0(rig: ModuleType, tmp_path: Path) -> None:
    res, doc, out = _dossier(rig, tmp_path)
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0] == "unit: PASS"
    assert doc["verdict"] == "PASS"
    cells = _cells(doc)
    assert set(cells) == {
        ("L1", "QP"),
        ("L1", "AV"),
        ("L2", "QP"),
        ("L2", "AV"),
        ("H", "QP"),
        ("H", "AV"),
        ("H", "PK"),
        ("V", "QP"),
        ("V", "AV"),
        ("V", "PK"),
    }
    assert {c["verdict"] for c in cells.values()} == {"PASS"}
    assert all(c["missing_hz"] == [] for c in cells.values())
    assert cells[("H", "AV")]["range_hz"] == [1e9, 5e9]  # 15.33(b)(1): 700 MHz -> 5 GHz
    assert (
        cells[("L1", "QP")]["captures"]
        == [
            str(tmp_path / "in/conducted/unit_L1_final.csv"),
            str(tmp_path / "in/conducted/unit_L1_prescan.csv"),
        ]
        or len(cells[("L1", "QP")]["captures"]) == 2
    )
    for name in (
        "dossier.json",
        "dossier.html",
        "dossier.pdf",
        "plot_L1.png",
        "plot_L2.png",
        "plot_radiated.png",
    ):
        assert (out / "unit" / name).stat().st_size > 0, name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["verdict"] == "PASS"
    assert [u["unit"] for u in summary["units"]] == ["unit"]


def test_missing_polarisation_scan_is_incomplete_exit_5(rig: ModuleType, tmp_path: Path) -> None:
    res, doc, _ = _dossier(rig, tmp_path, skip=("H_1G-6G",))
    assert res.exit_code == 5, res.output
    assert res.stdout.splitlines()[0] == (
        "unit: INCOMPLETE (missing: H AV 1000-5000 MHz; H PK 1000-5000 MHz)"
    )
    cells = _cells(doc)
    missing = {k: c for k, c in cells.items() if c["verdict"] != "PASS"}
    assert set(missing) == {("H", "AV"), ("H", "PK")}
    for c in missing.values():
        assert c["verdict"] == "MISSING"
        assert c["missing_hz"] == [[1e9, 5e9]]
        assert c["captures"] == []
    assert doc["verdict"] == "INCOMPLETE"


def test_failing_av_point_on_l2_fails_and_leads_l2_table(rig: ModuleType, tmp_path: Path) -> None:
    res, doc, _ = _dossier(rig, tmp_path, av_fail_l2_mhz=3.0)
    assert res.exit_code == 1, res.output
    cells = _cells(doc)
    assert cells[("L2", "AV")]["verdict"] == "FAIL"
    assert cells[("L2", "AV")]["worst_margin_db"] == -4.0
    assert cells[("L1", "AV")]["verdict"] == "PASS"
    (unit,) = doc["units"]
    l2 = [r for r in unit["final_measurements"] if r["port"] == "L2"]
    assert len(l2) == 6
    first = l2[0]
    assert abs(first["frequency_hz"] - 3.0e6) < 10e3
    assert first["average"]["level"] == 50.0
    assert first["average"]["limit"] == 46.0
    assert first["average"]["margin_db"] == -4.0
    assert first["average"]["bound"] == "measured"
    # QP side by side at the same emission, read from the QP trace (no QP peak there)
    assert first["quasi_peak"]["bound"] == "measured"
    assert first["quasi_peak"]["margin_db"] == 18.0  # 56 - 38
    # the record's data item says the data show a FAIL, naming the failing cell
    data = next(i for i in doc["checklist"] if i["item"] == "Data showing compliance")
    assert (data["status"], data["note"]) == (
        "shows FAIL",
        "the data show a FAIL, not compliance \N{EM DASH} "
        "L2 AV 0.15-30 MHz: -4.00 dB at 3.00271 MHz (measured)",
    )
    # with its reading and corrections (the rig's levels are already corrected)
    qp = first["quasi_peak"]
    assert (qp["reading"], qp["conversion_db"], qp["correction_db"], qp["detector"]) == (
        38.0,
        0.0,
        0.0,
        "quasi-peak",
    )


def test_final_table_has_six_rows_per_port_worst_first(rig: ModuleType, tmp_path: Path) -> None:
    _, doc, _ = _dossier(rig, tmp_path)
    (unit,) = doc["units"]
    l1 = [r for r in unit["final_measurements"] if r["port"] == "L1"]
    assert len(l1) == 6
    margins = [
        min(v["margin_db"] for k in ("quasi_peak", "average", "peak") if (v := r[k])) for r in l1
    ]
    assert margins == sorted(margins)
    # AV limit 46 dBµV at 0.5-5 MHz (margin 8 for the 38 dBµV emissions), 50 above (margin 12)
    assert [round(r["frequency_hz"] / 1e6, 1) for r in l1] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
    assert [r["average"]["margin_db"] for r in l1] == [8.0, 8.0, 8.0, 8.0, 12.0, 12.0]
    assert l1[0]["quasi_peak"]["margin_db"] == 8.0  # 56 - 48, measured
    assert l1[0]["peak"] is None


def test_radiated_file_under_a_mains_line_rule_is_an_error_row(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = rig.write_rig(tmp_path / "in")
    stray = root / "conducted" / "unit_L1_horn.csv"
    # a radiated capture of its own (a copy of the H file would be one content under two ports)
    stray.write_bytes(b"# note: horn\n" + (root / "radiated" / "unit_H_30M-1G.csv").read_bytes())
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out"))
    assert res.exit_code == 3, res.output  # nothing failed, but an input could not be used
    assert res.stdout.splitlines()[0] == "unit: ERROR (1 error row(s))"
    doc = json.loads((tmp_path / "out" / "unit" / "dossier.json").read_text(encoding="utf-8"))
    (unit,) = doc["units"]
    shown = "in/conducted/unit_L1_horn.csv"  # the record: as its manifest names it
    assert unit["errors"] == [
        {
            "path": shown,
            "message": "a field-strength capture (dBµV/m) cannot fill mains line L1",
        }
    ]
    cells = _cells(doc)
    assert all(shown not in c["captures"] for c in cells.values())
    assert {c["verdict"] for c in cells.values()} == {"PASS"}


def test_conducted_unit_radiated_span_under_a_mains_line_fits_no_cell(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = rig.write_rig(tmp_path / "in")
    f = __import__("numpy").linspace(30.0, 1000.0, 101)
    stray = rig.write_csv(root / "conducted" / "unit_L2_scan.csv", f, {"Peak (dBuV)": f * 0 + 20.0})
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out"))
    assert res.exit_code == 3, res.output
    doc = json.loads((tmp_path / "out" / "unit" / "dossier.json").read_text(encoding="utf-8"))
    assert doc["units"][0]["errors"] == [
        {
            "path": stray.relative_to(tmp_path).as_posix(),  # as the manifest names it
            "message": "fits no cell: its span 30 MHz-1000 MHz lies outside the cells of L2 "
            "(0.15 MHz-30 MHz)",
        }
    ]


def test_an_error_unit_names_its_error_rows_under_decided_by(
    rig: ModuleType, tmp_path: Path
) -> None:
    """An ERROR unit's cover once had no "Decided by" row when no cell was ERROR."""
    from pypdf import PdfReader

    root = rig.write_rig(tmp_path / "in")
    f = np.linspace(30.0, 1000.0, 101)
    stray = rig.write_csv(root / "conducted" / "unit_L2_scan.csv", f, {"Peak (dBuV)": f * 0 + 20.0})
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 3, res.output
    said = (
        f"{stray.relative_to(tmp_path).as_posix()}: fits no cell: its span 30 MHz-1000 MHz "
        "lies outside the cells of L2 (0.15 MHz-30 MHz) (see Errors)"
    )
    page1 = PdfReader(str(out / "unit" / "dossier.pdf")).pages[0].extract_text()
    flat = "".join(page1.split())
    assert "".join(f"Decided by {said}".split()) in flat
    assert f"<li>{html.escape(said)}</li>" in (out / "unit" / "dossier.html").read_text("utf-8")


def test_capture_without_a_port_is_an_error_row(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    stray = rig.write_csv(
        root / "notes" / "unit_misc.csv",
        __import__("numpy").linspace(1, 2, 5),
        {"Peak (dBuV)": __import__("numpy").zeros(5)},
    )
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out"))
    assert res.exit_code == 3, res.output
    doc = json.loads((tmp_path / "out" / "unit" / "dossier.json").read_text(encoding="utf-8"))
    assert doc["units"][0]["errors"] == [
        {
            "path": stray.relative_to(tmp_path).as_posix(),  # as the manifest names it
            "message": "fits no cell: no [[rule]] matching it names a port (port or port_regex)",
        }
    ]


def test_a_bad_line_of_a_capture_is_named_file_colon_line(rig: ModuleType, tmp_path: Path) -> None:
    """The error row says ``line 87: ...`` under its path; stderr ``<file>:87: ...`` as check."""
    root = rig.write_rig(tmp_path / "in")
    bad = root / "conducted" / "unit_L1_bad.csv"
    sample = Path(__file__).resolve().parents[2] / "sample_captures" / "malformed"
    bad.write_bytes((sample / "nonmonotonic_keysight.csv").read_bytes())
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out"))
    assert res.exit_code == 3, res.output
    message = (
        "DATA: frequency not strictly increasing (560000 Hz then 550000 Hz): "
        "'550000,29.9964599609375'"
    )
    doc = json.loads((tmp_path / "out" / "unit" / "dossier.json").read_text(encoding="utf-8"))
    shown = bad.relative_to(tmp_path).as_posix()  # the record: as its manifest names it
    assert doc["units"][0]["errors"] == [{"path": shown, "message": f"line 87: {message}"}]
    assert res.stderr.splitlines() == [f"rfcheck: error: {bad}:87: {message}"]


def test_dry_run_prints_the_matrix_and_judges_nothing(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in", skip=("V_30M-1G",))
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 5, res.output  # V QP is MISSING: the judged run is INCOMPLETE
    lines = res.stdout.splitlines()
    assert lines[0] == (
        "plan fcc-part15b class B: mains lines L1, L2; polarisations H, V at 3 m; "
        "radiated up to 5000 MHz (47 CFR 15.33(b)(1))"
    )
    assert lines[1] == "unit: 7 capture(s)"
    assert (
        "  L1   fcc-15.107-b QP 0.15-30 MHz: "
        "conducted/unit_L1_final.csv, conducted/unit_L1_prescan.csv" in lines
    )
    assert "  V    fcc-15.109-b QP 30-1000 MHz: MISSING (no capture)" in lines
    assert "  H    fcc-15.109-b AV 1000-5000 MHz: radiated/unit_H_1G-6G.csv" in lines
    assert len(lines) == 12
    assert not (tmp_path / "out").exists()


def test_dry_run_names_the_part_of_a_cell_its_captures_do_not_reach(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A 30-500 MHz capture under a 30-1000 MHz cell: the gap is shown, exit 5 as judged.

    The dry run listed the capture with no hint of the gap and exited 0; the judged run then
    said V QP 500.04-1000 MHz MISSING (exit 5).
    """
    root = rig.write_rig(tmp_path / "in")
    scan = root / "radiated" / "unit_V_30M-1G.csv"
    lines = scan.read_text(encoding="utf-8").splitlines()
    n = next(i for i, x in enumerate(lines) if x.startswith("Frequency")) + 1  # header lines
    head, rows = lines[:n], []
    for row in lines[n:]:
        if float(row.split(",")[0]) <= 500.0:
            rows.append(row)
    scan.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    last_mhz = float(rows[-1].split(",")[0])
    reach = f"{(last_mhz * 1e6 + 60e3) / 1e6:g}"  # half the 120 kHz RBW past the last point
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 5, res.output
    assert (
        "  V    fcc-15.109-b QP 30-1000 MHz: radiated/unit_V_30M-1G.csv "
        f"(covers 30-{reach} MHz of 30-1000 MHz; {reach}-1000 MHz not measured)"
    ) in res.stdout.splitlines()
    assert res.stdout.count("not measured") == 1
    judged = _run("dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out"))
    assert judged.exit_code == 5, judged.output
    assert f"unit: INCOMPLETE (missing: V QP {reach}-1000 MHz)" in judged.stdout.splitlines()


def test_dry_run_shows_a_gap_inside_a_scan_as_the_judged_run_does(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A 30-1000 MHz scan missing 200-300 MHz: the dry run names that gap, exit 5.

    The dry run took a capture's span (lowest to highest point) for what it covers, so a
    scan with a hole said it covered the whole cell and exited 0, while the judged run
    said V QP 200-300 MHz MISSING.
    """
    root = rig.write_rig(tmp_path / "in")
    scan = root / "radiated" / "unit_V_30M-1G.csv"
    lines = scan.read_text(encoding="utf-8").splitlines()
    n = next(i for i, x in enumerate(lines) if x.startswith("Frequency")) + 1  # header lines
    kept = [r for r in lines[n:] if not 200.0 < float(r.split(",")[0]) < 300.0]
    scan.write_text("\n".join(lines[:n] + kept) + "\n", encoding="utf-8")
    below = max(float(r.split(",")[0]) for r in kept if float(r.split(",")[0]) <= 200.0)
    above = min(float(r.split(",")[0]) for r in kept if float(r.split(",")[0]) >= 300.0)
    gap = f"{(below * 1e6 + 60e3) / 1e6:g}-{(above * 1e6 - 60e3) / 1e6:g}"  # +- half the RBW
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 5, res.output
    shown = [ln for ln in res.stdout.splitlines() if ln.startswith("  V    fcc-15.109-b QP")]
    assert shown == [
        "  V    fcc-15.109-b QP 30-1000 MHz: radiated/unit_V_30M-1G.csv "
        f"(covers 30-{gap.split('-')[0]}, {gap.split('-')[1]}-1000 MHz of 30-1000 MHz; "
        f"{gap} MHz not measured)"
    ]
    judged = _run("dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out"))
    assert judged.exit_code == 5, judged.output
    assert f"unit: INCOMPLETE (missing: V QP {gap} MHz)" in judged.stdout.splitlines()


def test_json_contract_keys(rig: ModuleType, tmp_path: Path) -> None:
    _, doc, _ = _dossier(rig, tmp_path)
    assert {"rfcheck_version", "verdict", "units"} <= set(doc)
    (unit,) = doc["units"]
    assert {"unit", "verdict", "plan", "cells", "final_measurements", "inputs"} <= set(unit)
    assert set(unit["plan"]) >= {
        "regulation",
        "class",
        "mains_lines",
        "polarisations",
        "distance_m",
        "upper_frequency_hz",
    }
    assert unit["plan"]["upper_frequency_hz"] == 5e9
    assert {
        "port",
        "limit_id",
        "line",
        "range_hz",
        "verdict",
        "worst_margin_db",
        "worst_frequency_hz",
        "captures",
        "missing_hz",
    } <= set(unit["cells"][0])
    row = unit["final_measurements"][0]
    assert {"port", "frequency_hz", "quasi_peak", "average", "peak"} <= set(row)
    assert {"level", "limit", "margin_db", "bound", "reading", "correction_db"} <= set(
        row["quasi_peak"]
    )
    for r in unit["final_measurements"]:  # every value adds up: reading + conv + corr = level
        for v in (r[k] for k in ("quasi_peak", "average", "peak") if r.get(k)):
            if v["reading"] is not None:
                total = v["reading"] + v["conversion_db"] + v["correction_db"]
                assert abs(total - v["level"]) <= 0.01 + 1e-9, v
    roles = {i["role"] for i in unit["inputs"]}
    assert roles == {"capture", "setup", "plan", "limit"}
    assert sum(i["role"] == "capture" for i in unit["inputs"]) == 8


def test_units_from_the_group_pattern(rig: ModuleType, tmp_path: Path) -> None:
    root = tmp_path / "in"
    rig.write_rig(root / "a", unit="rigA")
    rig.write_rig(root / "b", unit="rigB", skip=("L2_final", "L2_prescan"))
    setup = rig.write_setup(
        tmp_path / "setup.toml", '[batch]\ngroup_pattern = "^(?P<unit>[A-Za-z]+)_"\n'
    )
    res = _run(
        "dossier",
        str(root),
        "--setup",
        str(setup),
        "--out",
        str(tmp_path / "out"),
        "--format",
        "json",
        "--jobs",
        "2",
    )  # one unit per worker process
    assert res.exit_code == 5, res.output
    out = (tmp_path / "out").as_posix()
    assert res.stdout.splitlines() == [  # with --format json, the record is its JSON
        "rigA: PASS",
        f"  record: {out}/rigA/dossier.json",
        "rigB: INCOMPLETE (missing: L2 QP 0.15-30 MHz; L2 AV 0.15-30 MHz)",
        f"  record: {out}/rigB/dossier.json",
        f"wrote {out}",
        "record incomplete: rigA 22 items, rigB 22 items; see each record's cover",
    ]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert [(u["unit"], u["verdict"]) for u in summary["units"]] == [
        ("rigA", "PASS"),
        ("rigB", "INCOMPLETE"),
    ]
    assert sorted(p.name for p in (tmp_path / "out" / "rigB").iterdir()) == ["dossier.json"]


def test_bad_plan_is_a_setup_error_exit_3_naming_the_file(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    setup = tmp_path / "setup.toml"
    setup.write_text(rig.SETUP.replace('"fcc-part15b"', '"fcc-part99"'), encoding="utf-8")
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out"))
    assert res.exit_code == 3
    assert res.stderr == (
        f"rfcheck: error: {setup}: [plan] regulation 'fcc-part99' is unknown (known: fcc-part15b)\n"
    )


def test_rule_port_outside_the_plan_is_a_setup_error(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml", '[[rule]]\nmatch = "x/*"\nport = "N"\n')
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 3
    assert res.stderr == (
        f"rfcheck: error: {setup}: [[rule]] #3: port 'N' is not in [plan] (ports: L1, L2, H, V)\n"
    )


def test_a_rule_restating_the_plan_s_distance_is_accepted(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(
        tmp_path / "setup.toml", '[[rule]]\nmatch = "*_H_*"\ndistance_m = 3.0\n'
    )
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code in (0, 5), res.stderr
    assert "distance_m" not in res.stderr


def test_dossier_needs_out_unless_dry_run(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup))
    assert res.exit_code == 2
    assert "--out is required (or give --dry-run)" in res.stderr


def test_html_escapes_setup_and_file_names(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    (root / "conducted" / "unit_L1_final.csv").rename(root / "conducted" / "unit_L1_<i>x.csv")
    setup = tmp_path / "setup.toml"
    setup.write_text(
        rig.SETUP.replace('model = "Test rig"', 'model = "<script>alert(1)</script>"'),
        encoding="utf-8",
    )
    res = _run(
        "dossier",
        str(root),
        "--setup",
        str(setup),
        "--out",
        str(tmp_path / "out"),
        "--format",
        "html",
    )
    assert res.exit_code == 0, res.output
    html = (tmp_path / "out" / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>" not in html and "unit_L1_&lt;i&gt;x.csv" in html


def test_html_shows_control_and_bidi_characters_as_escapes(rig: ModuleType, tmp_path: Path) -> None:
    """A right-to-left override or an escape sequence in the setup is shown, not obeyed."""
    root = rig.write_rig(tmp_path / "in")
    setup = tmp_path / "setup.toml"
    setup.write_text(
        rig.SETUP.replace('model = "Test rig"', 'model = "rig\\u202Egnp.exe\\u001B[31m"'),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", "html")
    assert res.exit_code == 0, res.output
    html = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "\u202e" not in html and "\x1b" not in html
    assert "rig\\u202egnp.exe\\u001b[31m" in html


def test_a_capture_name_that_is_not_utf8_is_plotted_and_recorded(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A Latin-1 file name (a lone surrogate in Python) in a port's legend and the record.

    The overlay plot passed the raw name to matplotlib, which refused it: the dossier
    stopped with an internal error (TypeError from FT2Font.set_text) and wrote nothing.
    """
    root = rig.write_rig(tmp_path / "in")
    old = root / "conducted" / "unit_L1_final.csv"
    new = os.path.join(os.fsencode(root / "conducted"), b"unit_L1_final_M\xfcller.csv")
    os.rename(old, new)
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "unit" / "dossier.json").read_bytes().decode("utf-8"))
    paths = [i["path"] for i in doc["units"][0]["inputs"]]  # from the manifest root
    assert Path(os.fsdecode(new)).relative_to(tmp_path).as_posix() in paths
    assert (out / "unit" / "plot_L1.png").stat().st_size > 0


def test_a_dollar_in_a_file_name_is_drawn_as_written(rig: ModuleType, tmp_path: Path) -> None:
    r"""``$...$`` in a capture's name is text in the plot's legend, not mathtext.

    matplotlib parsed it as math markup: ``$x^2$`` drew x², and a malformed ``$\frac$``
    stopped the dossier with an internal error (exit 3, no PDF or JSON).
    """
    from rfcheck.product.dossier import judge_unit
    from rfcheck.product.run import place_captures
    from rfcheck.report.dossier.plots import port_group_figure
    from rfcheck.settings import load_setup

    name = r"unit_L1_final_$\frac$_$x^2$.csv"
    root = rig.write_rig(tmp_path / "in")
    (root / "conducted" / "unit_L1_final.csv").rename(root / "conducted" / name)
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 0, res.output
    written = {p.name for p in (out / "unit").iterdir()}
    assert {"dossier.pdf", "dossier.json", "plot_L1.png"} <= written
    placement = place_captures([root], load_setup(setup))
    (unit,) = placement.found
    assigned, errors = placement.assign_unit(unit, load_setup(setup))
    d = judge_unit(unit, placement.plan, placement.cells, assigned, errors, load_setup(setup))
    fig = port_group_figure(d, "L1", ("L1",))
    shown = [t for t in fig.legends[0].get_texts() if name in t.get_text()]
    # drawn as the text it holds: the artist's text is the raw label, mathtext off
    assert [(t.get_text(), t.get_parse_math()) for t in shown] == [
        (f"L1 QP: {name}: QP", False),
        (f"L1 AV: {name}: CAvg", False),
    ]


def test_pdf_is_letter_with_the_verdict_and_the_missing_cells(
    rig: ModuleType, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    _, _, out = _dossier(rig, tmp_path, skip=("H_1G-6G",))
    pdf = PdfReader(str(out / "unit" / "dossier.pdf"))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "rfcheck test record: unit" in text and "INCOMPLETE" in text
    assert text.count("MHz: MISSING") == 2  # per-cell detail: H AV and H PK
    assert "1000-5000" in text


def test_a_line_without_capture_reads_not_measured_in_pdf_and_html(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The final table of a line with no capture says so, never "No emission measured"."""
    from pypdf import PdfReader

    res, doc, out = _dossier(rig, tmp_path, skip=("L2_prescan", "L2_final"))
    assert res.exit_code == 5, res.output
    pdf = PdfReader(str(out / "unit" / "dossier.pdf"))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "L2 Not measured (no capture of L2)." in text
    assert "No emission measured" not in text
    html = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "<h3>L2</h3>\n<p>Not measured (no capture of L2).</p>" in html
    assert "No emission measured" not in html
    l2 = [c for c in _cells(doc).values() if c["port"] == "L2"]
    assert [(c["verdict"], c["captures"]) for c in l2] == [("MISSING", [])] * 2
    assert not [r for r in doc["units"][0]["final_measurements"] if r["port"] == "L2"]
    data = next(i for i in doc["checklist"] if i["item"] == "Data showing compliance")
    assert (data["status"], data["note"]) == (
        "incomplete",
        "the data do not cover the test plan, so they do not show compliance \N{EM DASH} "
        "L2 not measured (no capture)",
    )
    assert "Data showing compliance incomplete" in text


def test_plots_keep_the_legend_off_the_axes_and_name_an_unmeasured_line(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The legend is under the axes and a line with no capture says so.

    The figure is taller by the legend's rows, so the legend hides no limit line; a line with
    no capture is a short figure saying so, not empty axes.
    """
    from rfcheck.report.dossier.plots import FIGSIZE_IN
    from rfcheck.report.pdfimage import read_png

    res, _, out = _dossier(rig, tmp_path, skip=("L2_prescan", "L2_final"))
    assert res.exit_code == 5, res.output
    dpi = 120  # port_group_png's
    radiated = read_png((out / "unit/plot_radiated.png").read_bytes())
    assert (radiated.width_px, radiated.height_px) > (FIGSIZE_IN[0] * dpi, FIGSIZE_IN[1] * dpi)
    l2 = read_png((out / "unit/plot_L2.png").read_bytes())
    assert l2.height_px < FIGSIZE_IN[1] * dpi / 2
    html = (out / "unit/dossier.html").read_text(encoding="utf-8")
    assert 'src="plot_L2.png"' in html


def _judged(rig: ModuleType, tmp: Path, **kw: Any) -> Any:
    """Judge the rig's one unit in-process (no renderer): its UnitDossier."""
    from rfcheck.product.dossier import judge_unit
    from rfcheck.product.run import place_captures
    from rfcheck.settings import load_setup

    root = rig.write_rig(tmp / "in", **kw)
    setup = load_setup(rig.write_setup(tmp / "setup.toml"))
    placement = place_captures([root], setup)
    (unit,) = placement.found
    assigned, errors = placement.assign_unit(unit, setup)
    return judge_unit(unit, placement.plan, placement.cells, assigned, errors, setup)


def _labels(fig: Any) -> list[str]:
    (ax,) = fig.axes
    return [str(ln.get_label()) for ln in ax.lines if not str(ln.get_label()).startswith("_")]


def test_dossier_plot_legend_names_each_traces_detector_and_the_markers(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Each trace label carries its port and detector; the ▼ markers have one entry."""
    from rfcheck.report.dossier.plots import port_group_figure

    d = _judged(rig, tmp_path, av_fail_l2_mhz=3.0)
    labels = _labels(port_group_figure(d, "L2", ("L2",)))
    traces = [lb for lb in labels if lb.startswith("L2 ")]
    assert sorted(lb.split(":")[0] for lb in traces) == ["L2 AV", "L2 PK", "L2 QP"]
    assert "L2 PK: unit_L2_prescan.csv: Peak" in traces
    markers = [lb for lb in labels if lb.startswith("final-table emission")]
    assert markers == ["final-table emission (red: over the limit)"]
    (ax,) = port_group_figure(d, "L2", ("L2",)).axes
    drawn = [ln for ln in ax.lines if ln.get_marker() == "v"]
    assert sum(np.size(ln.get_xdata()) for ln in drawn) == len(d.rows_of("L2")) == 6
    assert _labels(port_group_figure(d, "L1", ("L1",)))[-1] == "final-table emission"


def test_dossier_plot_marks_an_upper_bound_over_the_limit_undecided_not_red(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Red marks a value that decides FAIL; an upper bound over the limit is INCONCLUSIVE.

    L1 at 1 MHz: QP 55 dBµV, between the AV (46) and QP (56) limits: a QP level is an upper
    bound of the average, 9 dB over the AV limit, undecided; it was drawn red "over the
    limit". At 10 MHz QP 61 (limit 60) decides FAIL: red, though the row's smallest margin is
    its AV upper bound's (the same 61, 11 dB over the AV limit).
    """
    from matplotlib.colors import to_hex

    from rfcheck.outcome import Verdict
    from rfcheck.report._common import VERDICT_COLOURS
    from rfcheck.report.dossier.plots import port_group_figure

    fc = np.linspace(0.15, 30.0, int(np.ceil(29.85e6 / 9e3)) + 1)
    peak, qp = np.full(fc.shape, 40.0), np.full(fc.shape, 38.0)
    at_1, at_10 = np.argmin(np.abs(fc - 1.0)), np.argmin(np.abs(fc - 10.0))
    peak[at_1], peak[at_10], qp[at_1], qp[at_10] = 57.0, 63.0, 55.0, 61.0
    root = tmp_path / "in"
    rig.write_csv(
        root / "conducted" / "unit_L1_final.csv", fc, {"Peak (dBuV)": peak, "QP (dBuV)": qp}
    )
    d = _judged(rig, tmp_path, skip=("L1_prescan", "L1_final"))
    (ax,) = port_group_figure(d, "L1", ("L1",)).axes
    marks = {
        to_hex(ln.get_markeredgecolor()): list(
            zip(np.asarray(ln.get_xdata()), np.asarray(ln.get_ydata()), strict=True)
        )
        for ln in ax.lines
        if ln.get_marker() == "v"
    }
    fail, undecided = VERDICT_COLOURS[Verdict.FAIL], VERDICT_COLOURS[Verdict.INCONCLUSIVE]
    assert marks[fail] == [(pytest.approx(fc[at_10]), 61.0)]
    assert marks[undecided] == [(pytest.approx(fc[at_1]), 55.0)]
    assert [lb for lb in _labels(ax.figure) if lb.startswith("final-table emission")] == [
        "final-table emission (red: over the limit)",
        "final-table emission: an upper bound over the limit (INCONCLUSIVE)",
    ]


def _limit_spans_mhz(ax: Any) -> dict[str, tuple[float, float]]:
    """Each fcc-15.109-b limit line drawn on ``ax``: its lowest and highest frequency [MHz]."""
    return {
        str(ln.get_label()): (float(np.min(ln.get_xdata())), float(np.max(ln.get_xdata())))
        for ln in ax.lines
        if str(ln.get_label()).startswith("fcc-15.109-b")
    }


def test_dossier_plot_spans_the_data_and_the_plan_not_the_limit_table(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The radiated axis ends where the data or the plan end; each limit line where the plan's.

    fcc-15.109-b runs to 40 GHz; the rig's scans end at 6 GHz and the plan at 5 GHz (15.33(b)(1)
    for a 700 MHz device): QP is drawn over 30-1000 MHz, AV and PK over 1-5 GHz only (drawn to
    6 GHz they read as a requirement the plan does not make). Ticks are plain MHz numbers.
    """
    from rfcheck.report.dossier.plots import port_group_figure

    d = _judged(rig, tmp_path)
    (ax,) = port_group_figure(d, "radiated", ("H", "V")).axes
    assert ax.get_xlim() == pytest.approx((30.0, 6000.0))
    limits = _limit_spans_mhz(ax)
    assert limits == {
        "fcc-15.109-b QP": (30.0, 1000.0),
        "fcc-15.109-b AV": (1000.0, 5000.0),
        "fcc-15.109-b PK": (1000.0, 5000.0),
    }
    labels = ax.xaxis.get_major_formatter().format_ticks(list(ax.get_xticks()))
    assert labels == ["30", "100", "300", "1000", "3000", "6000"]
    (ax,) = port_group_figure(d, "L1", ("L1",)).axes
    assert ax.xaxis.get_major_formatter().format_ticks(list(ax.get_xticks())) == [
        "0.15",
        "0.5",
        "1",
        "5",
        "10",
        "30",
    ]


def test_dossier_plot_spans_the_plan_beyond_the_data(rig: ModuleType, tmp_path: Path) -> None:
    """Scans to 1 GHz on a plan to 5 GHz: the axis shows the unmeasured 1-5 GHz."""
    from rfcheck.report.dossier.plots import port_group_figure

    d = _judged(rig, tmp_path / "short", skip=("H_1G-6G", "V_1G-6G"))
    (ax,) = port_group_figure(d, "radiated", ("H", "V")).axes
    assert ax.get_xlim() == pytest.approx((30.0, 5000.0))
    # limit lines where the plan asks for them, measured or not: AV/PK over the empty 1-5 GHz
    limits = _limit_spans_mhz(ax)
    assert limits == {
        "fcc-15.109-b QP": (30.0, 1000.0),
        "fcc-15.109-b AV": (1000.0, 5000.0),
        "fcc-15.109-b PK": (1000.0, 5000.0),
    }


def test_dossier_overlay_names_a_polarisation_without_capture(
    rig: ModuleType, tmp_path: Path
) -> None:
    from rfcheck.report.dossier.plots import port_group_figure

    d = _judged(rig, tmp_path, skip=("V_30M-1G", "V_1G-6G"))
    (ax,) = port_group_figure(d, "radiated", ("H", "V")).axes
    assert ax.get_title() == "unit: radiated · not measured: no capture of V"
    assert not [lb for lb in _labels(ax.figure) if lb.startswith("V ")]
    (ax,) = port_group_figure(d, "L1", ("L1",)).axes
    assert ax.get_title() == "unit: L1"


def test_dossier_figure_legend_lies_below_the_axes(rig: ModuleType, tmp_path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from rfcheck.report.dossier.plots import port_group_figure

    d = _judged(rig, tmp_path)
    fig = port_group_figure(d, "radiated", ("H", "V"))
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    (ax,) = fig.axes
    (legend,) = fig.legends
    axes_box = ax.get_tightbbox(renderer)
    assert axes_box is not None
    assert legend.get_window_extent(renderer).y1 <= axes_box.y0
    labelled = [ln for ln in ax.lines if not str(ln.get_label()).startswith("_")]
    assert len(legend.get_texts()) == len(labelled)


def test_dossier_legend_shortens_long_file_names_to_stay_inside_the_figure(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A 200-character file name is shortened in the middle; the legend stays in the image.

    The legend, centred under the axes, grew with its widest label: with a 200-character
    name every entry lay outside the image, and a 95-character one reached its left edge.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from rfcheck.report.dossier.plots import port_group_figure

    long_h = "unit_H_30M-1G_" + "x" * 200 + ".csv"
    long_v = "unit_V_30M-1G_2026-11-12T10-00-00_turntable-0-360deg_mast-1-4m_maxhold_final_run3.csv"
    radiated = rig.write_rig(tmp_path / "in") / "radiated"
    (radiated / "unit_H_30M-1G.csv").rename(radiated / long_h)
    (radiated / "unit_V_30M-1G.csv").rename(radiated / long_v)
    d = _judged(rig, tmp_path, skip=("H_30M-1G", "V_30M-1G"))
    fig = port_group_figure(d, "radiated", ("H", "V"))
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    (legend,) = fig.legends
    box, image = legend.get_window_extent(renderer), fig.bbox
    assert image.x0 <= box.x0 and box.x1 <= image.x1 and image.y0 <= box.y0
    texts = [t.get_text() for t in legend.get_texts()]
    (h_qp,) = [t for t in texts if t.startswith("H (horizontal) QP: ")]
    assert h_qp.startswith("H (horizontal) QP: unit_H_30M-1G_xx") and h_qp.endswith("xx.csv: QP")
    assert "\u2026" in h_qp and len(h_qp) < 100
    (v_qp,) = [t for t in texts if t.startswith("V (vertical) QP: ")]
    assert v_qp.startswith("V (vertical) QP: unit_V_30M-1G_2026") and v_qp.endswith("run3.csv: QP")
    # the plot's lines keep the full names (the record's tables print them)
    assert f"H (horizontal) QP: {long_h}: QP" in _labels(fig)


def test_dossier_process_skips_the_final_garbage_collection(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml")
    # atexit runs its hooks last registered first: this one sees what the command's did
    probe = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen:', gc.get_freeze_count() > 0))\n"
        "from rfcheck.cli import main\n"
        f"main(['dossier', {str(root)!r}, '--setup', {str(setup)!r}, '--dry-run'])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "frozen: True"


def _report_id(out: Path) -> str:
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    return str(doc["report_id"]["id"])


def test_unreadable_captures_are_named_on_stderr_and_change_the_report_id(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Exit 3 prints one line per unusable file, as check and batch do; the id covers them.

    The dossier once exited 3 with an empty stderr, and two broken files left the report id
    unchanged.
    """
    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml")

    def run(name: str) -> tuple[Any, Path]:
        out = tmp_path / name
        res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out))
        return res, out

    res, out = run("clean")
    assert res.exit_code == 0 and res.stderr == "", res.output
    clean_id = _report_id(out)
    empty = root / "conducted" / "unit_L1_empty.csv"
    junk = root / "conducted" / "unit_L2_junk.csv"
    empty.write_bytes(b"")
    junk.write_bytes(b"\x00\x01\x02junk")
    res, out = run("broken")
    assert res.exit_code == 3, res.output
    assert res.stdout.splitlines()[0] == "unit: ERROR (2 error row(s))"
    assert res.stderr.splitlines() == [
        f"rfcheck: error: {empty}: file is empty",
        f"rfcheck: error: {junk}: unrecognised capture format: binary data, not a text export "
        "(first bytes 00 01 02 6a 75 6e 6b); name it with --format (see 'rfcheck formats')",
    ]
    broken_id = _report_id(out)
    assert broken_id != clean_id
    manifest = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    listed = {i["path"]: i["sha256"] for i in manifest["units"][0]["inputs"]}
    rel = {f: f.relative_to(tmp_path).as_posix() for f in (empty, junk)}  # the manifest's
    assert listed[rel[empty]] == hashlib.sha256(b"").hexdigest()
    assert listed[rel[junk]] == hashlib.sha256(b"\x00\x01\x02junk").hexdigest()
    junk.write_bytes(b"\x00\x01\x02other junk")
    res, out = run("changed")
    assert res.exit_code == 3
    assert _report_id(out) not in (clean_id, broken_id)


def test_dry_run_escapes_a_line_feed_in_a_file_name(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    final = root / "conducted" / "unit_L1_final.csv"
    hostile = final.with_name("unit_L1_final\nunit: 0 capture(s).csv")
    final.rename(hostile)
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert [ln for ln in lines if ln.startswith("unit")] == ["unit: 8 capture(s)"]
    assert any("conducted/unit_L1_final\\nunit: 0 capture(s).csv" in ln for ln in lines)


def test_dry_run_names_a_bad_line_file_colon_line_and_exits_3(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = rig.write_rig(tmp_path / "in")
    bad = root / "conducted" / "unit_L1_bad.csv"
    sample = Path(__file__).resolve().parents[2] / "sample_captures" / "malformed"
    bad.write_bytes((sample / "nonmonotonic_keysight.csv").read_bytes())
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 3, res.output
    message = (
        "DATA: frequency not strictly increasing (560000 Hz then 550000 Hz): "
        "'550000,29.9964599609375'"
    )
    assert f"  error: {bad}:87: {message}" in res.stdout.splitlines()
    assert res.stderr.splitlines() == [f"rfcheck: error: {bad}:87: {message}"]


def test_a_failing_unit_names_its_deciding_cell_and_where_its_record_is(
    rig: ModuleType, tmp_path: Path
) -> None:
    """``unit: FAIL`` once said nothing of why, nor where the record was written."""
    res, _, out = _dossier(rig, tmp_path, av_fail_l2_mhz=3.0)
    assert res.exit_code == 1, res.output
    assert res.stdout.splitlines() == [
        "unit: FAIL (L2 AV 0.15-30 MHz: -4.00 dB at 3.00271 MHz)",
        f"  record: {(out / 'unit' / 'dossier.pdf').as_posix()}",
        f"wrote {out}",
        "record incomplete: 22 items, see the cover of "
        + (out / "unit" / "dossier.pdf").as_posix(),  # the rig's setup states no record
    ]


def test_dossier_overlay_draws_h_translucent_over_v_and_keeps_the_bands(
    rig: ModuleType, tmp_path: Path
) -> None:
    """H was hidden under V (V drawn last, opaque over it); now H lies on top, translucent.

    Each polarisation has its own colours and its legend name; every trace stays a solid
    line that the PNG fills as its band (``rfcheck.report.band``).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex

    from rfcheck.report.band import BandLine
    from rfcheck.report.dossier.plots import port_group_figure

    d = _judged(rig, tmp_path)
    fig = port_group_figure(d, "radiated", ("H", "V"))
    (ax,) = fig.axes
    h = [ln for ln in ax.lines if str(ln.get_label()).startswith("H (horizontal) ")]
    v = [ln for ln in ax.lines if str(ln.get_label()).startswith("V (vertical) ")]
    assert sorted(str(ln.get_label()).split(":")[0] for ln in h) == [
        "H (horizontal) AV",
        "H (horizontal) PK",
        "H (horizontal) QP",
    ]
    assert len(v) == len(h)
    assert min(ln.get_zorder() for ln in h) > max(ln.get_zorder() for ln in v)
    assert all(0.0 < (ln.get_alpha() or 1.0) < 1.0 for ln in h)  # V shows through H
    h_colours = {to_hex(ln.get_color()) for ln in h}
    v_colours = {to_hex(ln.get_color()) for ln in v}
    assert not h_colours & v_colours
    limits = [ln for ln in ax.lines if str(ln.get_label()).startswith("fcc-15.109-b")]
    assert min(ln.get_zorder() for ln in limits) > max(ln.get_zorder() for ln in h)
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    fig.draw(renderer)
    for ln in h + v:
        assert isinstance(ln, BandLine) and ln.get_linestyle() == "-"
        assert ln.band(renderer) is not None, ln.get_label()  # filled as its band
    (ax,) = port_group_figure(d, "L1", ("L1",)).axes  # a mains line keeps its plain name
    assert all(str(ln.get_label()).startswith(("L1 ", "fcc-", "final-", "_")) for ln in ax.lines)


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_dir_without_any_capture_is_an_error_not_a_record(
    rig: ModuleType, tmp_path: Path, dry_run: bool
) -> None:
    """A wrong DIR once gave an INCOMPLETE record (every cell MISSING) of a unit 'unit'."""
    (tmp_path / "empty").mkdir()
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    args = ["dossier", str(tmp_path / "empty"), "--setup", str(setup), "--out", str(out)]
    res = _run(*args, *(["--dry-run"] if dry_run else []))
    assert res.exit_code == 3, res.output
    assert res.stdout == ""
    assert res.stderr == f"rfcheck: error: no capture found in {(tmp_path / 'empty').as_posix()}\n"
    assert not out.exists()


def test_a_dir_holding_rfcheck_output_says_so_when_it_has_no_capture(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    assert _run("dossier", str(root), "--setup", str(setup), "--out", str(out),
                "--format", "json").exit_code == 0  # fmt: skip
    res = _run("dossier", str(out), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 3, res.output
    assert res.stderr == (
        f"rfcheck: error: no capture found in {out.as_posix()} ({out.as_posix()} holds rfcheck "
        "output: .rfcheck-output)\n"
    )


def _below_1_705_mhz(rig: ModuleType, tmp: Path) -> tuple[Path, Path]:
    """Return the rig without radiated captures, its DUT's highest frequency 1 MHz: (DIR, setup)."""
    root = rig.write_rig(tmp / "in", skip=("H_30M-1G", "V_30M-1G", "H_1G-6G", "V_1G-6G"))
    setup = tmp / "setup.toml"
    setup.write_text(
        rig.SETUP.replace(
            "highest_internal_frequency_hz = 700e6", "highest_internal_frequency_hz = 1e6"
        ),
        encoding="utf-8",
    )
    return root, setup


def test_dry_run_of_a_device_below_1_705_mhz_says_why_no_radiated_cell(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup = _below_1_705_mhz(rig, tmp_path)
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == (
        "plan fcc-part15b class B: mains lines L1, L2; polarisations H, V at 3 m; radiated up "
        "to 30 MHz (47 CFR 15.33(b)(1)), where the radiated limits start (30 MHz): no radiated "
        "cell is required (15.33(b)(1): not below the lowest frequency for which a radiated "
        "emission limit is specified)"
    )
    assert not [line for line in lines if line.startswith(("  H ", "  V "))]


def test_a_device_below_1_705_mhz_has_no_radiated_figure(rig: ModuleType, tmp_path: Path) -> None:
    """Its PASS record drew a radiated figure 'Not measured ... INCOMPLETE'."""
    root, setup = _below_1_705_mhz(rig, tmp_path)
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out),
               "--format", "json,plots", "--jobs", "1")  # fmt: skip
    assert res.exit_code == 0, res.output  # PASS: nothing radiated is required
    assert sorted(p.name for p in (out / "unit").glob("plot_*.png")) == [
        "plot_L1.png",
        "plot_L2.png",
    ]
    # nor is a photo of the highest radiated emission's setup asked for
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    missing = [m for item in doc["checklist"] for m in item["missing"]]
    assert "photo of the highest radiated emission setup" not in missing
    assert "photo of the highest conducted emission setup" in missing  # the rig states none


def test_terminal_lines_escape_an_invisible_model_and_a_bidi_unit_name(
    rig: ModuleType, tmp_path: Path
) -> None:
    r"""``[dut] model = "NX\u200b-7\u202e"`` and a unit named with U+202E print escaped.

    The entry-model warning (stderr), the unit's verdict line and its record path (stdout),
    and the dry run's plan view: never a raw zero-width or bidi character on the terminal.
    """
    unit = "u\u202e1"
    root = rig.write_rig(tmp_path / "in", unit=unit)
    setup = rig.write_setup(
        tmp_path / "setup.toml",
        '\n[entry]\nmodels = ["NX-7"]\n\n[batch]\ngroup_pattern = "^(?P<unit>[^_]+)_"\n',
    )
    setup.write_text(
        setup.read_text(encoding="utf-8").replace(
            'model = "Test rig"', 'model = "NX\\u200b-7\\u202e"'
        ),
        encoding="utf-8",
    )
    warning = (
        "rfcheck: warning: the entry sheet's models (NX-7) do not include the tested model "
        "NX\\u200b-7\\u202e ([dut] model): this record shows no data for them\n"
    )
    for extra in (("--out", str(tmp_path / "out")), ("--dry-run",)):
        res = CliRunner().invoke(
            main, ["dossier", str(root), "--setup", str(setup), "--jobs", "1", *extra]
        )
        assert res.exit_code in (0, 5), res.output
        for text in (res.stdout, res.stderr):
            assert "\u200b" not in text and "\u202e" not in text
        assert res.stderr.startswith(warning)
        assert "u\\u202e1" in res.stdout
    assert res.exit_code == 0
    lines = _run(
        "dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out2"), "--jobs", "1"
    ).stdout.splitlines()
    assert lines[0] == "u\\u202e1: PASS"


def test_pdf_shows_a_bidi_unit_name_and_its_capture_paths_as_escapes(
    rig: ModuleType, tmp_path: Path
) -> None:
    r"""A unit ``u\u202e1`` (its files ``u\u202e1_L1_final.csv``...): no raw RLO in the PDF.

    Printed raw, the right-to-left override reversed the title ``Measurements: u1...`` and
    every capture path of the matrix, the per-cell detail and the notes.
    """
    from pypdf import PdfReader

    root = rig.write_rig(tmp_path / "in", unit="u\u202e1")
    setup = rig.write_setup(
        tmp_path / "setup.toml", '\n[batch]\ngroup_pattern = "^(?P<unit>[^_]+)_"\n'
    )
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 0, res.output
    (pdf_path,) = out.glob("*/dossier.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(str(pdf_path)).pages)
    assert "\u202e" not in text
    assert "Measurements: u\\u202e1 (PASS)" in text
    assert "u\\u202e1_L1_final.csv" in text


def test_the_last_line_says_when_the_record_is_incomplete(rig: ModuleType, tmp_path: Path) -> None:
    """The line "unit: PASS", exit 0, gave no hint that the record lacks items."""
    root = rig.write_rig(tmp_path / "in")
    complete = rig.write_complete_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(complete), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[-1] == f"wrote {out}"  # complete: nothing more
    lacking = rig.COMPLETE_RECORD.replace('tester = "T. Tester"\n', "").replace(
        '[dut.serials]\nunit = "S-1"\n', ""
    )
    setup = rig.write_complete_setup(tmp_path / "lacking.toml", lacking)
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 0, res.output  # the measurements' code, never the record's
    lines = res.stdout.splitlines()
    assert lines[0] == "unit: PASS"
    doc = json.loads((out / "unit" / "dossier.json").read_text("utf-8"))
    assert doc["record_incomplete"] == "record incomplete: EUT serial, tester name"
    assert lines[-2:] == [
        f"wrote {out}",
        f"record incomplete: 2 items, see the cover of {(out / 'unit' / 'dossier.pdf').as_posix()}",
    ]


def test_a_scan_with_gaps_between_every_point_still_gives_a_record(tmp_path: Path) -> None:
    """A QP scan with a 10 kHz step in a 9 kHz RBW leaves ~3,000 gaps per line.

    The checklist named every one and the PDF failed ("internal error: LayoutError", exit 3,
    no record); the gaps are named up to a few, then counted.
    """
    folder = tmp_path / "gap"
    (folder / "conducted").mkdir(parents=True)
    f_mhz = np.arange(0.15, 30.0 + 1e-9, 0.01)
    for port, level in (("L1", 40.0), ("N", 39.0)):  # two measurements, not one filed twice
        rows = "".join(f"{f:.4f},{level}\n" for f in f_mhz)
        (folder / "conducted" / f"u1_{port}_qp.csv").write_text(
            "# rbw_hz: 9000\n# detector: quasi-peak\n# dwell_s: 1\n"
            "Frequency (MHz),QP (dBuV)\n" + rows,
            encoding="ascii",
        )
    setup = folder / "setup.toml"
    setup.write_text(
        '[dut]\nmanufacturer = "X"\nmodel = "M1"\nclass = "B"\n'
        "highest_internal_frequency_hz = 50e6\n"
        '[plan]\nregulation = "fcc-part15b"\nmains_lines = ["L1", "N"]\n'
        'polarisations = ["H", "V"]\n'
        'distance_m = 3\n[[rule]]\nmatch = "conducted/*"\nport_regex = "_(?P<port>L1|N)_"\n'
        '[batch]\ninclude = ["conducted/*"]\ngroup_pattern = "^(?P<unit>[A-Za-z0-9-]+?)_"\n',
        encoding="ascii",
    )
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["dossier", str(folder), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    )
    assert res.exit_code == 5, res.output
    assert "more)" in res.stdout  # the gaps counted, not listed
    text = "\n".join(p.extract_text() for p in PdfReader(out / "u1" / "dossier.pdf").pages)
    assert "L1 QP 0.15-30 MHz: not measured" in " ".join(text.split())


def test_limits_the_setup_names_for_check_are_said_not_to_judge_the_dossier(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The plan decides each port's limits; a [check] or [[rule]] limit was ignored unsaid.

    A setup written for ``check`` with a CISPR 32 table gave an FCC record and no word;
    now one note on stderr names the tables not used.
    """
    root = rig.write_rig(tmp_path / "in")
    setup = tmp_path / "setup.toml"
    setup.write_text('[check]\nlimits = ["cispr32-b-mains"]\n\n' + rig.SETUP, encoding="utf-8")
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert (
        "rfcheck: note: the setup's [check]/[[rule]] limits (cispr32-b-mains) are not used by "
        "the dossier: each port is judged against the limits of the [plan]'s rules (see "
        "--dry-run)"
    ) in res.stderr.splitlines()
    plain = tmp_path / "plain.toml"
    plain.write_text(rig.SETUP, encoding="utf-8")
    assert (
        "are not used by the dossier"
        not in _run("dossier", str(root), "--setup", str(plain), "--dry-run").stderr
    )
