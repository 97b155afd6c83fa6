"""The sample ambient scan (sample_captures/generate_ambient.py).

Byte-reproducible, marked as ambient by the rig setup, and it flags the chamber's FM
stations, never the rig's FAIL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
AMBIENT = "ambient/site_3m_V_30M-300M_rs.DAT"


def test_generator_reproduces_the_committed_ambient_scan(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(SAMPLES / "generate_ambient.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    fresh = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(SAMPLES).as_posix() for p in (SAMPLES / "ambient").rglob("*") if p.is_file()
    )
    assert fresh == committed == [AMBIENT]
    assert (tmp_path / AMBIENT).read_bytes() == (SAMPLES / AMBIENT).read_bytes()


def test_the_rig_setup_flags_the_fm_stations_and_keeps_the_fail() -> None:
    res = CliRunner().invoke(
        main,
        [
            "check",
            str(SAMPLES / "radiated/rig_3m_V_30M-1G_rs.DAT"),
            str(SAMPLES / AMBIENT),
            "--setup",
            str(SAMPLES / "rig-setup.toml"),
            "-o",
            "json",
        ],
    )
    assert res.exit_code == 1, res.output  # the 375 MHz FAIL is the rig's, not the ambient's
    doc = json.loads(res.stdout)
    (cap,) = doc["captures"]
    assert cap["ambient"]["path"] == str(SAMPLES / AMBIENT)
    assert cap["ambient"]["outcome"]["ambient_limited"] is False
    fail = next(s for s in cap["suspects"] if s["verdict"] == "FAIL")
    assert fail["frequency_hz"] == 375e6 and fail["ambient"] is False
    assert fail["ambient_db"] is None  # the ambient scan stops at 300 MHz: the row is the DUT's
    fm = [
        e["frequency_hz"] for e in cap["ambient"]["emissions"] if 88e6 <= e["frequency_hz"] <= 108e6
    ]
    assert fm == [97.26e6, 98.28e6, 103.68e6]
    for e in cap["ambient"]["emissions"]:
        assert e["level"] - e["ambient_db"] <= 6.0
