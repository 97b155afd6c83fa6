"""``check`` and ``batch`` judge with a setup's ``[plan]`` limits, as dossier, lot and explain do.

One setup serves every command: the sample rig's ``dossier-setup.toml`` names its limits only
in ``[plan]`` (fcc-part15b: 47 CFR 15.107(a) on the mains lines, 15.109(a) at 3 m on H and V);
a capture its ``[[rule]]``s give a port is judged against that port's limits.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
SETUP = SAMPLES / "dossier-setup.toml"
L1_PEAK = SAMPLES / "conducted" / "rig_L1_peak_keysight.csv"
H_RADIATED = SAMPLES / "rig-0418" / "radiated" / "rig-0418_3m_H_30M-1G_rs.DAT"


def test_check_takes_the_plans_limits_for_the_captures_port() -> None:
    args = ["check", str(L1_PEAK), str(H_RADIATED), "--setup", str(SETUP), "-o", "json"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code in (0, 1, 4, 5), res.output
    doc = json.loads(res.stdout)
    captures = {Path(c["path"]).name: c for c in doc["captures"]}
    assert [lim["id"] for lim in captures[L1_PEAK.name]["limits"]] == ["fcc-15.107-b"]
    radiated = captures[H_RADIATED.name]
    assert [lim["id"] for lim in radiated["limits"]] == ["fcc-15.109-b"]
    assert radiated["settings"]["distance_m"] == 3.0  # the plan's distance for a polarisation


def test_a_limit_on_the_command_line_still_wins_over_the_plan() -> None:
    args = ["check", str(L1_PEAK), "--setup", str(SETUP), "--limit", "cispr32-b-mains"]
    args += ["-o", "json"]
    doc = json.loads(CliRunner().invoke(main, args).stdout)
    assert [lim["id"] for lim in doc["captures"][0]["limits"]] == ["cispr32-b-mains"]


def test_batch_takes_the_plans_limits(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["batch", str(SAMPLES), "--setup", str(SETUP), "--out", str(out), "-q", "-j", "1"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code != 2, res.output
    rows = json.loads((out / "summary.json").read_text("utf-8"))["rows"]
    limit = {Path(r["path"]).name: str(r["worst_limit"]).split()[0] for r in rows}
    assert limit[L1_PEAK.name] == "fcc-15.107-b"
    assert limit[H_RADIATED.name] == "fcc-15.109-b"
    assert all(r["verdict"] != "ERROR" for r in rows), rows
