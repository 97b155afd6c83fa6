"""``rfcheck compare`` labels each reading with the frequency it was taken at.

A pooled side's emission is found at a 1001-point prescan's peak (375.32 MHz, a 970 kHz
bucket) and its QP line is read from a quasi-peak final 280 kHz away (375.6 MHz): the
pair once said "FREQ A 375.32 MHz, QP 44.00", the final labelled with the grid point.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main

GRID_HZ = 375.32e6
EMISSION_HZ = 375.6e6


def _write(path: Path, f_hz: np.ndarray, level: np.ndarray, detector: str) -> Path:
    head = ["# rbw_hz: 120000", f"# detector: {detector}", "# unit: dBuV/m"]
    head.append("# dwell_s: 1" if detector == "quasi-peak" else "# mode: max-hold")
    col = "QP" if detector == "quasi-peak" else "Peak"
    rows = [f"{f:.3f},{v:.2f}" for f, v in zip(f_hz, level, strict=True)]
    path.write_text("\n".join([*head, f"Frequency (Hz),{col} (dBuV/m)", *rows]) + "\n", "utf-8")
    return path


def _side(root: Path, name: str, peak: float, qp: float, zoom: bool) -> list[Path]:
    f = np.linspace(30e6, 1000e6, 1001)
    level = np.full(f.shape, 20.0)
    level[np.argmin(np.abs(f - GRID_HZ))] = peak
    out = [_write(root / f"{name}_pre.csv", f, level, "peak")]
    if zoom:  # a finer peak scan that reads the bucket's emission at 375.6 MHz
        fz = np.linspace(374.82e6, 375.82e6, 1001)
        lz = np.maximum(20.0, peak - 6.0 * (2.0 * (fz - EMISSION_HZ) / 120e3) ** 2)
        out.append(_write(root / f"{name}_zoom.csv", fz, lz, "peak"))
    out.append(
        _write(root / f"{name}_fin.csv", np.array([EMISSION_HZ]), np.array([qp]), "quasi-peak")
    )
    return out


def _compare(tmp_path: Path, fmt: str) -> str:
    a = _side(tmp_path, "h", 49.0, 44.0, zoom=True)
    b = _side(tmp_path, "v", 48.5, 43.0, zoom=False)
    args = ["compare", "--limit", "fcc-15.109-b", "-o", fmt]
    for p in a:
        args += ["-a", str(p)]
    for p in b:
        args += ["-b", str(p)]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_a_final_is_labelled_with_its_own_frequency(tmp_path: Path) -> None:
    doc = json.loads(_compare(tmp_path, "json"))
    # side A: the zoom located the bucket's emission and the final decided it, at 375.6 MHz
    assert (doc["a"]["worst_frequency_hz"], doc["a"]["worst_margin_db"]) == (EMISSION_HZ, 2.02)
    (pair,) = doc["pairs"]
    assert (pair["line"], pair["level_a"], pair["bound_a"]) == ("QP", 44.0, "measured")
    assert pair["frequency_hz_a"] == EMISSION_HZ
    # side B's QP line is read from its unsettled prescan bucket, at its grid point
    assert (pair["level_b"], pair["bound_b"], pair["frequency_hz_b"]) == (
        48.5,
        "upper bound",
        GRID_HZ,
    )
    assert (doc["b"]["worst_frequency_hz"], doc["b"]["worst_margin_db"]) == (GRID_HZ, -2.48)


def test_the_text_and_csv_name_the_final_frequency(tmp_path: Path) -> None:
    text = _compare(tmp_path, "text")
    (row,) = [ln for ln in text.splitlines() if " QP " in ln and "QP/PK" in ln]
    assert row.split()[:4] == ["375.6", "MHz", "375.32", "MHz"], row
    (pair,) = [
        r for r in csv.DictReader(io.StringIO(_compare(tmp_path, "csv"))) if r["kind"] == "pair"
    ]
    assert float(pair["frequency_hz_a"]) == EMISSION_HZ
    assert float(pair["frequency_hz_b"]) == GRID_HZ
