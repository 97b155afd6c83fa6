"""Every final measurement within the window is a suspect, not only a list's prominent ones.

A list of finals (quasi-peak and CISPR-average readings at the emissions a prescan found) is
no sweep: its neighbours are other emissions, not an emission's skirts. The prominence test
run along it kept 2 of 5 finals within 0.5 dB of the limit, and the dossier's final table
("the six highest emissions relative to the limit") filled with prescan noise points.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main

#: (MHz, QP, CISPR-average) [dBµV]: margins to 15.107(a) Class B of +0.10/+0.21/+0.10/+0.20/+0.50
FINALS = ((0.15, 65.9, 55.9), (0.495, 55.87, 45.87), (0.5, 55.9, 45.9), (0.505, 55.8, 45.8),
          (10.0, 59.5, 49.5))  # fmt: skip


def test_each_final_within_the_window_is_a_suspect(tmp_path: Path) -> None:
    scan = tmp_path / "scan.csv"
    f = np.arange(0.15, 30.0001, 0.005)
    rows = "".join(f"{x:.3f},40.00\n" for x in f)
    scan.write_text("# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV)\n" + rows, encoding="utf-8")
    finals = tmp_path / "finals.csv"
    finals.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (MHz),QP (dBuV),CAvg (dBuV)\n"
        + "".join(f"{a},{b},{c}\n" for a, b, c in FINALS),
        encoding="utf-8",
    )
    args = ["check", str(scan), str(finals), "--combine", "--limit", "fcc-15.107-b"]
    res = CliRunner().invoke(main, [*args, "--max-suspects", "12", "-o", "json"])
    assert res.exit_code == 0, res.output
    (capture,) = json.loads(res.stdout)["captures"]
    found = {(round(s["frequency_hz"] / 1e6, 3), s["detector"]) for s in capture["suspects"]}
    for mhz, _qp, _av in FINALS:
        assert (mhz, "quasi-peak") in found and (mhz, "cispr-average") in found
    assert len(capture["suspects"]) == 10  # the flat 40 dBµV prescan adds none
