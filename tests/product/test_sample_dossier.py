"""The sample rig's dossier (README's main command) says what sample_captures/expected.toml says."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
EXPECTED = tomllib.loads((SAMPLES / "expected.toml").read_text(encoding="utf-8"))["dossier"]


@pytest.fixture(scope="module")
def sample_dossier(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("dossier")
    res = CliRunner().invoke(main, ["dossier", str(SAMPLES), "--setup", str(SAMPLES / EXPECTED["setup"]),
                                    "--out", str(out), "--format", "json"], catch_exceptions=False)
    return res, out


def test_sample_dossier_exit_code_and_summary(sample_dossier: tuple[Any, Path]) -> None:
    res, out = sample_dossier
    assert res.exit_code == EXPECTED["exit_code"], res.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [(u["unit"], u["verdict"]) for u in summary["units"]] == [
        (u["unit"], u["verdict"]) for u in EXPECTED["unit"]
    ]


@pytest.mark.parametrize("want", EXPECTED["unit"], ids=[u["unit"] for u in EXPECTED["unit"]])
def test_sample_dossier_cells(sample_dossier: tuple[Any, Path], want: dict[str, Any]) -> None:
    _, out = sample_dossier
    (unit,) = json.loads((out / want["unit"] / "dossier.json").read_text(encoding="utf-8"))["units"]
    assert unit["verdict"] == want["verdict"], want["why"]
    assert not unit["errors"]
    cells = unit["cells"]
    failing = [c for c in cells if c["verdict"] == "FAIL"]
    assert [(c["port"], c["line"]) for c in failing] == [(f["port"], f["line"]) for f in want["failing"]]
    for c, f in zip(failing, want["failing"], strict=True):
        assert c["worst_frequency_hz"] / 1e6 == pytest.approx(f["frequency_mhz"], rel=2e-3)
        assert c["worst_margin_db"] == pytest.approx(f["margin_db"], abs=1.0)
    missing = [c for c in cells if c["verdict"] == "MISSING"]
    assert [(c["port"], c["line"], [[a / 1e6, b / 1e6] for a, b in c["missing_hz"]]) for c in missing] == [
        (m["port"], m["line"], [m["range_mhz"]]) for m in want["missing"]
    ]
    assert {c["verdict"] for c in cells} <= {"PASS", "FAIL", "MISSING"}
