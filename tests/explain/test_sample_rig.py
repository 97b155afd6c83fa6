"""The sample rig with the [[dut.clock]] block of sample_captures/rig-setup.toml.

The 375 MHz QP FAIL is 3 x 125 MHz (Ethernet), the 195 kHz AV peak the PFC's 3rd harmonic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.explain import parse_clocks
from rfcheck.settings import load_setup

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"

#: The block of sample_captures/rig-setup.toml (docs/explain.md shows it too).
RIG_CLOCKS = """
[[dut.clock]]
name = "hash-board crystal"
frequency_hz = 25e6
tolerance_ppm = 50

[[dut.clock]]
name = "ASIC PLL"
frequency_range_hz = [600e6, 700e6]

[[dut.clock]]
name = "Ethernet"
frequency_hz = 125e6
tolerance_ppm = 100

[[dut.clock]]
name = "DDR3"
frequency_hz = 400e6
tolerance_ppm = 50

[[dut.clock]]
name = "PSU PFC"
frequency_hz = 65e3
tolerance_hz = 1e3

[[dut.clock]]
name = "PSU LLC"
frequency_hz = 118e3
tolerance_hz = 2e3

[[dut.clock]]
name = "fan PWM"
frequency_hz = 25e3
tolerance_hz = 500
"""


@pytest.fixture()
def rig_setup(tmp_path: Path) -> Path:
    text = (SAMPLES / "rig-setup.toml").read_text(encoding="utf-8")
    text = text.replace('"transducers/', f'"{SAMPLES.as_posix()}/transducers/')
    out = tmp_path / "rig-setup.toml"
    out.write_text(text, encoding="utf-8")
    return out


def _rows(setup: Path, capture: str) -> list[dict[str, Any]]:
    res = CliRunner().invoke(
        main, ["explain", str(SAMPLES / capture), "--setup", str(setup), "-o", "json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["warnings"] == []  # every clock is at or below the declared 700 MHz
    rows: list[dict[str, Any]] = doc["captures"][0]["rows"]
    return rows


def test_the_375_mhz_fail_is_the_third_ethernet_harmonic(rig_setup: Path) -> None:
    rows = _rows(rig_setup, "radiated/rig_3m_V_30M-1G_rs.DAT")
    fail = next(r for r in rows if r["verdict"] == "FAIL")
    assert fail["frequency_hz"] == 375e6
    assert fail["attribution"][0] == {
        "source": "Ethernet",
        "harmonic": 3,
        "frequency_hz": 375e6,
        "error_hz": 0.0,
    }


def test_the_195_khz_average_peak_is_the_pfc(rig_setup: Path) -> None:
    rows = _rows(rig_setup, "conducted/rig_L1_avg_keysight.csv")
    first = rows[0]
    assert (first["frequency_hz"], first["line"]) == (194775.0, "AV")
    assert first["attribution"][0] == {
        "source": "PSU PFC",
        "harmonic": 3,
        "frequency_hz": 195e3,
        "error_hz": -225.0,
    }


def test_the_sample_setup_declares_the_rig_clocks() -> None:
    import tomllib

    declared = load_setup(SAMPLES / "rig-setup.toml").clocks
    assert declared == parse_clocks(tomllib.loads(RIG_CLOCKS)["dut"])
