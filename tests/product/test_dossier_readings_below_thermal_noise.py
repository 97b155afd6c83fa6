"""``rfcheck dossier``: a capture of dBm readings under a dBµV/m header is an error row.

The rig's V 1-6 GHz capture, rewritten with the numbers an analyser shows in dBm (peak
-62, CISPR-average -72) under its dBµV/m header, once passed the 15.109 AV and PK lines by
more than 100 dB: no instrument displays a trace 65 dB below the thermal noise of its 1 MHz
RBW (docs/verdict.md, "Readings below the thermal noise"). The unit is ERROR (exit 3), the
V AV and PK cells name the file, and the line on stderr names it once.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main

MESSAGE = (
    "trace CAvg: readings lie 65 dB (median) below the thermal noise of a 1 MHz bandwidth "
    "(kTB, -7 dBµV): no instrument displays that; dBm readings under a dBµV/m header? "
    "(dBµV = dBm + 107 at 50 Ω)"
)


def test_dbm_readings_under_a_dbuv_m_header_make_the_unit_error(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = rig.write_rig(tmp_path / "in")
    bad = root / "radiated" / "unit_V_1G-6G.csv"
    f = np.linspace(1000.0, 6000.0, 5001)
    rig.write_csv(
        bad,
        f,
        {"Peak (dBuV/m)": np.full(f.shape, -62.0), "CAvg (dBuV/m)": np.full(f.shape, -72.0)},
        1e6,
        "port V",
    )
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"],
        catch_exceptions=False,
    )
    assert res.exit_code == 3, res.output
    assert res.stderr.splitlines() == [f"rfcheck: error: {bad}: {MESSAGE}"]
    (unit,) = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))["units"]
    assert unit["verdict"] == "ERROR"
    shown = bad.relative_to(tmp_path).as_posix()
    assert unit["errors"] == [{"path": shown, "message": MESSAGE}]
    v = {c["line"]: c["verdict"] for c in unit["cells"] if c["port"] == "V"}
    assert (v["AV"], v["PK"]) == ("ERROR", "ERROR")
