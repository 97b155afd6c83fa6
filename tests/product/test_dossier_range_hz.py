"""``rfcheck dossier``: a setup's ``range_hz`` never narrows what a cell judges or covers.

A cell is judged over its whole plan range (47 CFR 15.109 30-1000 MHz, 15.33(b)(1)): a
``range_hz`` written for ``check`` would otherwise let a cell read PASS over readings it never
judged, or over a range no capture measured. The rig's H 30-1000 MHz scan gets one reading of
50 dBµV/m at 700 MHz: the 15.109(a) Class B limit at 3 m there is 200 µV/m = 46.02 dBµV/m, so
the cell FAILs by 3.98 dB whatever range the setup names.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main


def _run(rig: ModuleType, tmp: Path, extra: str, cut_v_mhz: float | None = None) -> tuple[Any, Any]:
    root = rig.write_rig(tmp / "in")
    h = root / "radiated" / "unit_H_30M-1G.csv"
    lines = h.read_text(encoding="utf-8").splitlines()
    rows = [i for i, s in enumerate(lines) if s[:1].isdigit()]
    freqs = np.array([float(lines[i].split(",")[0]) for i in rows])
    at = rows[int(np.argmin(np.abs(freqs - 700.0)))]
    lines[at] = f"{lines[at].split(',')[0]},50.00"
    h.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if cut_v_mhz is not None:
        v = root / "radiated" / "unit_V_30M-1G.csv"
        kept = [
            s
            for s in v.read_text(encoding="utf-8").splitlines()
            if not s[:1].isdigit() or float(s.split(",")[0]) <= cut_v_mhz
        ]
        v.write_text("\n".join(kept) + "\n", encoding="utf-8")
    setup = rig.write_setup(tmp / "setup.toml", extra)
    out = tmp / "out"
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    (unit,) = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))["units"]
    return res, unit


def _cell(unit: Any, port: str) -> Any:
    (cell,) = [
        c
        for c in unit["cells"]
        if c["port"] == port and c["line"] == "QP" and c["range_hz"][0] >= 30e6
    ]
    return cell


@pytest.mark.parametrize(
    "extra",
    [
        "\n[check]\nrange_hz = [150e3, 500e6]\n",
        '\n[[rule]]\nmatch = "radiated/*_30M-1G.csv"\nrange_hz = [30e6, 500e6]\n',
    ],
    ids=["check", "rule"],
)
def test_a_reading_over_the_limit_outside_range_hz_still_fails_its_cell(
    rig: ModuleType, tmp_path: Path, extra: str
) -> None:
    res, unit = _run(rig, tmp_path, extra)
    assert (res.exit_code, unit["verdict"]) == (1, "FAIL"), res.output
    h = _cell(unit, "H")
    assert h["verdict"] == "FAIL"
    assert h["worst_margin_db"] == pytest.approx(46.02 - 50.00, abs=0.01)
    assert "range_hz in " in res.stderr and "is not used by the dossier" in res.stderr


def test_a_range_hz_does_not_hide_a_range_no_capture_measured(
    rig: ModuleType, tmp_path: Path
) -> None:
    res, unit = _run(rig, tmp_path, "\n[check]\nrange_hz = [150e3, 500e6]\n", cut_v_mhz=900.0)
    v = _cell(unit, "V")
    assert v["verdict"] == "MISSING" and v["missing_hz"][0][0] == pytest.approx(900e6, abs=1e6), v
    assert res.exit_code == 1  # H still FAILs; the V gap is listed, never a PASS
    assert unit["verdict"] == "FAIL"
