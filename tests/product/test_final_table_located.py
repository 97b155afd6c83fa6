"""The final table follows what decided each cell: a located emission, or an unsettled bucket.

A 1001-point peak prescan over 30-1000 MHz (970 kHz buckets) reads 49 dBµV/m at 375.32 MHz.
On H a zoom (1 kHz steps) reads the emission at 375.6 MHz at that level and a quasi-peak
final there reads 44: the zoom locates the bucket's emission, the bucket's reading is set
aside and the final decides the cell (PASS +2.02 dB, FCC 15.109 Class B, 46.02 dBµV/m at
3 m). On V the prescan reads 48.5 and the final at 375.6 MHz reads 43, with no zoom: the
bucket stays unsettled (INCONCLUSIVE ≥ -2.48 dB, its bucket named). The table once showed H
as the zoom's floor at the grid point (QP ≤ 20.00 at 375.32 MHz, "from the zoom") and left
out both finals.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main

SETUP = """\
[dut]
model = "A1"
class = "B"
power = "battery"
highest_internal_frequency_hz = 50e6

[plan]
regulation = "fcc-part15b"
polarisations = ["H", "V"]
distance_m = 3

[[rule]]
match = "u1/*"
port_regex = "_3m_(?P<port>[HV])_"
"""

GRID_HZ = 375.32e6
EMISSION_HZ = 375.6e6
#: The cell's bucket: the midpoints to the grid's neighbours (970 kHz steps). [Hz]
BUCKET_HZ = [374.835e6, 375.805e6]


def _write(path: Path, f_hz: np.ndarray, level: np.ndarray, head: dict[str, str]) -> None:
    lines = [f"# {k}: {v}" for k, v in head.items()]
    col = "QP" if head["detector"] == "quasi-peak" else "Peak"
    lines.append(f"Frequency (Hz),{col} (dBuV/m)")
    lines += [f"{f:.3f},{v:.2f}" for f, v in zip(f_hz, level, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _prescan(path: Path, top: float) -> None:
    f = np.linspace(30e6, 1000e6, 1001)
    level = np.full(f.shape, 20.0)
    level[np.argmin(np.abs(f - GRID_HZ))] = top
    head = {"rbw_hz": "120000", "detector": "peak", "unit": "dBuV/m", "mode": "max-hold"}
    _write(path, f, level, head)


def _zoom(path: Path, top: float) -> None:
    """Write a max-hold zoom, 374.82-375.82 MHz in 1 kHz steps: the emission's RBW response."""
    f = np.linspace(374.82e6, 375.82e6, 1001)
    level = np.maximum(20.0, top - 6.0 * (2.0 * (f - EMISSION_HZ) / 120e3) ** 2)
    head = {"rbw_hz": "120000", "detector": "peak", "unit": "dBuV/m", "mode": "max-hold"}
    _write(path, f, level, head)


def _final(path: Path, qp: float) -> None:
    head = {"rbw_hz": "120000", "detector": "quasi-peak", "unit": "dBuV/m", "dwell_s": "1"}
    _write(path, np.array([EMISSION_HZ]), np.array([qp]), head)


def _product(root: Path, zoom_top: float = 49.0) -> Path:
    data = root / "data" / "u1"
    data.mkdir(parents=True)
    _prescan(data / "u1_3m_H_pre.csv", 49.0)
    _zoom(data / "u1_3m_H_zoom.csv", zoom_top)
    _final(data / "u1_3m_H_fin.csv", 44.0)
    _prescan(data / "u1_3m_V_pre.csv", 48.5)
    _final(data / "u1_3m_V_fin.csv", 43.0)
    (root / "setup.toml").write_text(SETUP, encoding="utf-8")
    return root


def _dossier(root: Path) -> tuple[dict[str, Any], str]:
    out = root / "out"
    res = CliRunner().invoke(
        main,
        [
            "dossier",
            str(root / "data"),
            "--setup",
            str(root / "setup.toml"),
            "--out",
            str(out),
            "--format",
            "json,html",
            "--jobs",
            "1",
        ],
        catch_exceptions=False,
    )
    assert res.exit_code in (0, 1, 4, 5), res.output
    (folder,) = [p for p in out.iterdir() if (p / "dossier.json").is_file()]
    (unit,) = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))["units"]
    text = html.unescape(re.sub(r"<[^>]+>", " ", (folder / "dossier.html").read_text("utf-8")))
    return dict(unit), " ".join(text.split())


def _cell(unit: dict[str, Any], port: str) -> dict[str, Any]:
    (c,) = [c for c in unit["cells"] if c["port"] == port and c["line"] == "QP"]
    return dict(c)


def _rows(unit: dict[str, Any], port: str) -> list[dict[str, Any]]:
    return [r for r in unit["final_measurements"] if r["port"] == port]


def test_a_located_emission_is_the_row_with_its_measured_final(tmp_path: Path) -> None:
    unit, text = _dossier(_product(tmp_path))
    cell = _cell(unit, "H")
    assert (cell["verdict"], cell["worst_margin_db"], cell["worst_bound"]) == (
        "PASS",
        2.02,
        "measured",
    )
    assert cell["worst_frequency_hz"] == EMISSION_HZ
    (row,) = _rows(unit, "H")
    qp = row["quasi_peak"]
    # the row is what decided the cell: the located emission and its final, as the matrix
    assert row["frequency_hz"] == qp["frequency_hz"] == cell["worst_frequency_hz"]
    assert (qp["level"], qp["margin_db"], qp["bound"]) == (
        44.0,
        cell["worst_margin_db"],
        "measured",
    )
    assert qp["capture"].endswith("u1_3m_H_fin.csv")
    assert qp["repeat_captures"] == [] and row["unsettled_range_hz"] is None
    # not the zoom's floor at the prescan's grid point, nor a repeat-captures note of it
    assert not any(r["frequency_hz"] == GRID_HZ for r in _rows(unit, "H"))
    assert not any("repeat captures differ" in w for w in unit["warnings"])
    assert "H 375.6 375.6 44.00 dBµV/m QP" in text


def test_an_unsettled_bucket_is_the_row_and_the_final_beside_it_is_listed(tmp_path: Path) -> None:
    unit, text = _dossier(_product(tmp_path))
    cell = _cell(unit, "V")
    assert (cell["verdict"], cell["worst_margin_db"], cell["worst_bound"]) == (
        "INCONCLUSIVE",
        -2.48,
        "upper bound",
    )
    assert "374.835-375.805 MHz" in cell["needs"]
    bucket, final = sorted(_rows(unit, "V"), key=lambda r: r["quasi_peak"]["margin_db"])
    # the cell's deciding reading, standing for its whole bucket
    qp = bucket["quasi_peak"]
    assert bucket["frequency_hz"] == cell["worst_frequency_hz"] == GRID_HZ
    assert (qp["level"], qp["margin_db"], qp["bound"]) == (48.5, -2.48, "upper bound")
    assert bucket["unsettled_range_hz"] == qp["unsettled_range_hz"] == BUCKET_HZ
    assert "upper bound over 374.835-375.805 MHz (a swept bucket still unsettled)" in text
    # the final measured inside the bucket: its own row, at its own frequency
    qp = final["quasi_peak"]
    assert final["frequency_hz"] == qp["frequency_hz"] == EMISSION_HZ
    assert (qp["level"], qp["margin_db"], qp["bound"]) == (43.0, 3.02, "measured")
    assert final["unsettled_range_hz"] is None


def test_a_zoom_reading_lower_leaves_the_bucket_row_not_its_floor(tmp_path: Path) -> None:
    """A zoom reading 45 (below the bucket's 49) locates nothing: the bucket decides.

    Its floor at the grid point (20) is no value of the bucket's emission.
    """
    unit, _ = _dossier(_product(tmp_path, zoom_top=45.0))
    cell = _cell(unit, "H")
    assert (cell["verdict"], cell["worst_frequency_hz"]) == ("INCONCLUSIVE", GRID_HZ)
    rows = _rows(unit, "H")
    at_grid = [r for r in rows if r["frequency_hz"] == GRID_HZ]
    (row,) = at_grid
    qp = row["quasi_peak"]
    assert (qp["level"], qp["bound"], qp["margin_db"]) == (49.0, "upper bound", -2.98)
    assert qp["capture"].endswith("u1_3m_H_pre.csv")
    assert qp["unsettled_range_hz"] == BUCKET_HZ
    assert all(r["quasi_peak"]["level"] != 20.0 for r in rows)
    # the final at 375.6 MHz is listed with its measured value
    assert any(
        r["frequency_hz"] == EMISSION_HZ and r["quasi_peak"]["bound"] == "measured" for r in rows
    )


def test_finals_across_the_bucket_show_the_one_that_decided(tmp_path: Path) -> None:
    """Finals every 120 kHz across the bucket settle it; the worst of them decides the cell.

    The row once took the final nearest the grid point (QP 30.00 at 375.375 MHz, +16.02 dB)
    while the cell was decided by 44.00 at 375.255 MHz (+2.02 dB).
    """
    root = _product(tmp_path)
    data = root / "data" / "u1"
    for name in ("u1_3m_H_zoom.csv", "u1_3m_V_pre.csv", "u1_3m_V_fin.csv"):
        (data / name).unlink()
    f = np.arange(374.895e6, 375.90e6, 120e3)
    level = np.full(f.shape, 30.0)
    level[3] = 44.0  # at 375.255 MHz
    head = {"rbw_hz": "120000", "detector": "quasi-peak", "unit": "dBuV/m", "dwell_s": "1"}
    _write(data / "u1_3m_H_fin.csv", f, level, head)
    unit, _ = _dossier(root)
    cell = _cell(unit, "H")
    assert (cell["verdict"], cell["worst_margin_db"]) == ("PASS", 2.02)
    (row,) = _rows(unit, "H")
    qp = row["quasi_peak"]
    assert row["frequency_hz"] == qp["frequency_hz"] == cell["worst_frequency_hz"] == 375.255e6
    assert (qp["level"], qp["bound"], qp["margin_db"]) == (44.0, "measured", 2.02)


def test_a_final_at_the_buckets_grid_point_is_listed_beside_its_bound(tmp_path: Path) -> None:
    """A QP final at the grid point settles its passband, not the bucket; it is still shown.

    The cell stays INCONCLUSIVE on the bucket's bound, and the table listed only that bound:
    the one quasi-peak measured, 44.00 at 375.32 MHz, was nowhere in it.
    """
    root = _product(tmp_path)
    data = root / "data" / "u1"
    (data / "u1_3m_H_zoom.csv").unlink()
    head = {"rbw_hz": "120000", "detector": "quasi-peak", "unit": "dBuV/m", "dwell_s": "1"}
    _write(data / "u1_3m_H_fin.csv", np.array([GRID_HZ]), np.array([44.0]), head)
    unit, _ = _dossier(root)
    assert _cell(unit, "H")["verdict"] == "INCONCLUSIVE"
    rows = sorted(_rows(unit, "H"), key=lambda r: r["quasi_peak"]["margin_db"])
    assert [
        (r["frequency_hz"], r["quasi_peak"]["level"], r["quasi_peak"]["bound"]) for r in rows
    ] == [
        (GRID_HZ, 49.0, "upper bound"),
        (GRID_HZ, 44.0, "measured"),
    ]
    assert rows[0]["unsettled_range_hz"] == BUCKET_HZ and rows[1]["unsettled_range_hz"] is None


def _grid_final_product(root: Path, tops: dict[float, float], finals: dict[float, float]) -> Path:
    """H: a 1001-point prescan with ``tops`` (MHz -> dBµV/m) and QP finals; V flat."""
    data = root / "data" / "u1"
    data.mkdir(parents=True)
    f = np.linspace(30e6, 1000e6, 1001)
    for port, peaks in (("H", tops), ("V", {})):
        level = np.full(f.shape, 20.0)
        for mhz, top in peaks.items():
            level[np.argmin(np.abs(f - mhz * 1e6))] = top
        head = {"rbw_hz": "120000", "detector": "peak", "unit": "dBuV/m", "mode": "max-hold"}
        _write(data / f"u1_3m_{port}_pre.csv", f, level, head)
    head = {"rbw_hz": "120000", "detector": "quasi-peak", "unit": "dBuV/m", "dwell_s": "1"}
    fin = np.array(sorted(finals)) * 1e6
    _write(data / "u1_3m_H_fin.csv", fin, np.array([finals[k] for k in sorted(finals)]), head)
    (root / "setup.toml").write_text(SETUP, encoding="utf-8")
    return root


def test_a_grid_point_final_in_a_bucket_that_does_not_decide_keeps_the_buckets_row(
    tmp_path: Path,
) -> None:
    """The matrix still needs 374.835-375.805 MHz measured; the table must not say it passed.

    A 52 dBµV/m bucket at 600.36 MHz decides the cell; the 49 bucket at 375.32 MHz, whose
    only final (44 at the grid point) settles its passband, not the bucket, was shown as
    "44.00 measured +2.02" alone.
    """
    unit, _ = _dossier(_grid_final_product(tmp_path, {375.32: 49.0, 600.36: 52.0}, {375.32: 44.0}))
    cell = _cell(unit, "H")
    assert cell["verdict"] == "INCONCLUSIVE" and "374.835-375.805 MHz" in cell["needs"]
    at_grid = [r["quasi_peak"] for r in _rows(unit, "H") if r["frequency_hz"] == GRID_HZ]
    assert sorted((v["level"], v["bound"]) for v in at_grid) == [
        (44.0, "measured"),
        (49.0, "upper bound"),
    ]
    (bound,) = [v for v in at_grid if v["bound"] == "upper bound"]
    assert bound["unsettled_range_hz"] == BUCKET_HZ


def test_a_grid_point_final_of_a_passing_cell_is_listed(tmp_path: Path) -> None:
    """The row shows the peak bound that decides the cell; the one QP measured was missing."""
    unit, _ = _dossier(_grid_final_product(tmp_path, {375.32: 45.0}, {375.32: 40.0, 375.6: 39.0}))
    assert _cell(unit, "H")["verdict"] == "PASS"
    qp = sorted(
        (r["frequency_hz"], r["quasi_peak"]["level"], r["quasi_peak"]["bound"])
        for r in _rows(unit, "H")
    )
    assert (GRID_HZ, 45.0, "upper bound") in qp
    assert (GRID_HZ, 40.0, "measured") in qp  # the worst QP measured, not only the 39 beside it
    assert len(qp) == len(set(qp))  # no row twice
