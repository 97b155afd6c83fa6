"""Each capture's reports in a batch name its own unit's serial number ([dut.serials]).

A batch of several units (the ``[batch] group_pattern``) with a ``[dut.serials]`` map writes
per-capture reports whose DUT table gives the serial of the capture's unit, as the dossier
does (docs/record.md), never the setup's single ``[dut] serial`` nor another unit's.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main

CAPTURE = "# rbw_hz: 9000\n# mode: max-hold\nFrequency (MHz),Peak (dBuV)\n0.15,30\n15,30\n30,30\n"
SETUP = """
[dut]
model = "M-1"
serial = "S-SETUP"

[dut.serials]
unita = "S-A"

[check]
limits = ["fcc-15.107-b"]

[batch]
group_pattern = "^(?P<unit>unit[a-z])_"
"""


def _html(out: Path, name: str) -> str:
    (page,) = (out / "captures").glob(f"{name}*/*.html")
    return page.read_text(encoding="utf-8")


def test_each_unit_report_names_its_own_serial(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for unit in ("unita", "unitb"):
        (root / f"{unit}_L1.csv").write_text(CAPTURE, encoding="utf-8")
    setup = tmp_path / "setup.toml"
    setup.write_text(SETUP, encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["batch", str(root), "--setup", str(setup), "--out", str(out), "--report", "html,json"],
    )
    assert res.exit_code == 0, res.output
    a, b = _html(out, "unita"), _html(out, "unitb")
    assert "S-A" in a and "S-SETUP" not in a
    # unitb is not in the map: its serial is not stated, never unita's or the setup's
    assert "S-A" not in b and "S-SETUP" not in b
    for page in (out / "captures").glob("*/*.json"):
        assert "S-SETUP" not in page.read_text(encoding="utf-8")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {r["group"] for r in summary["rows"]} == {"unita", "unitb"}
