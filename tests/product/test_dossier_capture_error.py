"""A capture read but not judged is ERROR only for the cells it would fill.

The rig's H 30 MHz-1 GHz capture gets a cable loss table covering 30-500 MHz (a transducer
table is never extrapolated: an error row of that capture, as for a short antenna factor).
Its span is known, so the H 1-5 GHz cells stay with the H 1-6 GHz capture: PASS when it
covers them, MISSING over what no capture measured (named in the terminal's ``missing:``
line), never ERROR for a file that cannot cover them.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner

from rfcheck.cli import main

#: The rule giving the H 30 MHz-1 GHz capture a cable loss table that stops at 500 MHz.
SHORT_TABLE = """
[[rule]]
match = "radiated/*_H_30M-1G*"
port_regex = "_(?P<port>[HV])_"
cable_loss = ["cable_short.csv"]
"""


def _run(rig: ModuleType, tmp: Path, skip: tuple[str, ...] = ()) -> tuple[Any, dict[str, Any]]:
    root = rig.write_rig(tmp / "in", skip=skip)
    (tmp / "cable_short.csv").write_text(
        "frequency_hz,value_db\n30000000,0.0\n500000000,0.0\n", encoding="utf-8"
    )
    setup = rig.write_setup(tmp / "setup.toml", SHORT_TABLE)
    out = tmp / "out"
    res = CliRunner().invoke(
        main,
        ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"],
        catch_exceptions=False,
    )
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    (unit,) = doc["units"]
    return res, unit


def _cells(unit: dict[str, Any], port: str) -> dict[str, dict[str, Any]]:
    return {c["line"]: c for c in unit["cells"] if c["port"] == port}


def test_a_table_error_on_the_30m_1g_capture_leaves_the_1_5g_cells_to_their_capture(
    rig: ModuleType, tmp_path: Path
) -> None:
    res, unit = _run(rig, tmp_path)
    assert res.exit_code == 3, res.output  # the error row still decides the unit
    (err,) = unit["errors"]
    assert err["path"].endswith("unit_H_30M-1G.csv")
    assert "covers 30 MHz - 500 MHz and is not extrapolated" in err["message"]
    h = _cells(unit, "H")
    assert h["QP"]["verdict"] == "ERROR"
    assert h["QP"]["captures"] == [err["path"]]
    # AV 35 vs 53.98, PK 45 vs 73.98 over 1-6 GHz: the 1-5 GHz cells pass
    assert (h["AV"]["verdict"], h["AV"]["worst_margin_db"]) == ("PASS", 18.98)
    assert (h["PK"]["verdict"], h["PK"]["worst_margin_db"]) == ("PASS", 28.98)
    assert [c["verdict"] for c in _cells(unit, "V").values()] == ["PASS", "PASS", "PASS"]
    page = (tmp_path / "out" / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "<li>H QP 30-1000 MHz (fcc-15.109-b): not judged (see Errors)</li>" in page


def test_a_table_error_keeps_the_unmeasured_range_of_the_other_cells_listed(
    rig: ModuleType, tmp_path: Path
) -> None:
    res, unit = _run(rig, tmp_path, skip=("H_1G-6G",))
    assert res.exit_code == 3, res.output
    h = _cells(unit, "H")
    assert h["QP"]["verdict"] == "ERROR"
    for line in ("AV", "PK"):  # no capture of H above 1 GHz: not measured, not "error"
        assert h[line]["verdict"] == "MISSING"
        assert h[line]["missing_hz"] == [[1e9, 5e9]]
        assert h[line]["captures"] == []
    assert res.stdout.splitlines()[0] == (
        "unit: ERROR (missing: H AV 1000-5000 MHz; H PK 1000-5000 MHz) (1 error row(s))"
    )
