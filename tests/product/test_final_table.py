"""The final table's values (best evidence per detector) and the cells' own ranges."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.plotted import PlotTrace
from rfcheck.product.final_table import _Source

CONDUCTED_MHZ = np.linspace(0.15, 30.0, 3318)  # 9 kHz steps
F_EMISSION_MHZ = 1.5
#: A flat peak trace above every average reading of the 1-6 GHz scans (peak >= average: a
#: lower one contradicts the detector order, docs/verdict.md, and is no upper bound).
PEAK_FLOOR = 55.0


def _bump(f: np.ndarray, floor: float, top: float, at_mhz: float) -> np.ndarray:
    out = np.full(f.shape, floor)
    out[np.argmin(np.abs(f - at_mhz))] = top
    return out


def _unit(rig: ModuleType, root: Path) -> dict[str, Any]:
    setup = rig.write_setup(root / "setup.toml")
    out = root / "out"
    res = CliRunner().invoke(
        main,
        [
            "dossier",
            str(root / "data"),
            "--setup",
            str(setup),
            "--out",
            str(out),
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )
    assert res.exit_code in (0, 1, 4, 5), res.output
    (unit,) = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))["units"]
    return dict(unit)


def _row(unit: dict[str, Any], port: str, f_mhz: float) -> dict[str, Any]:
    rows = [
        r
        for r in unit["final_measurements"]
        if r["port"] == port and abs(r["frequency_hz"] / 1e6 - f_mhz) < 0.005
    ]
    assert len(rows) == 1, [
        r["frequency_hz"] for r in unit["final_measurements"] if r["port"] == port
    ]
    return dict(rows[0])


def _cell(unit: dict[str, Any], port: str, line: str) -> dict[str, Any]:
    (c,) = [c for c in unit["cells"] if (c["port"], c["line"]) == (port, line)]
    return dict(c)


def _sums(v: dict[str, Any]) -> None:
    assert v["reading"] + v["conversion_db"] + v["correction_db"] == v["level"]


def test_av_column_takes_the_measured_average_not_the_peak_bound(
    rig: ModuleType, tmp_path: Path
) -> None:
    # a peak emission of 50 dBµV at 1.5 MHz (over the 46 dBµV AV limit as a bound) that the
    # average sweep measured at 10 dBµV: the AV value is the measured 10 (margin 36)
    rig.write_csv(
        tmp_path / "data" / "conducted" / "unit_L1_scan.csv",
        CONDUCTED_MHZ,
        {
            "Peak (dBuV)": _bump(CONDUCTED_MHZ, 30.0, 50.0, F_EMISSION_MHZ),
            "Avg (linear) (dBuV)": np.full(CONDUCTED_MHZ.shape, 10.0),
        },
    )
    unit = _unit(rig, tmp_path)
    row = _row(unit, "L1", F_EMISSION_MHZ)
    av = row["average"]
    assert (av["level"], av["limit"], av["margin_db"], av["bound"], av["detector"]) == (
        10.0,
        46.0,
        36.0,
        "measured",
        "average",
    )
    assert (av["reading"], av["conversion_db"], av["correction_db"]) == (10.0, 0.0, 0.0)
    qp = row["quasi_peak"]  # no QP sweep: the peak reading is its upper bound
    assert (qp["level"], qp["margin_db"], qp["bound"], qp["detector"]) == (
        50.0,
        6.0,
        "upper bound",
        "peak",
    )
    _sums(av)
    _sums(qp)
    # the row agrees with the cell: the AV cell's worst is no better than any row's AV margin
    assert _cell(unit, "L1", "AV")["worst_margin_db"] <= av["margin_db"]


def test_bound_column_takes_the_tightest_upper_bound(rig: ModuleType, tmp_path: Path) -> None:
    # peak 50 and QP 40 at 1.5 MHz, no average: AV's tightest upper bound is the QP 40
    rig.write_csv(
        tmp_path / "data" / "conducted" / "unit_L1_scan.csv",
        CONDUCTED_MHZ,
        {
            "Peak (dBuV)": _bump(CONDUCTED_MHZ, 30.0, 50.0, F_EMISSION_MHZ),
            "QP (dBuV)": _bump(CONDUCTED_MHZ, 20.0, 40.0, F_EMISSION_MHZ),
        },
    )
    unit = _unit(rig, tmp_path)
    row = _row(unit, "L1", F_EMISSION_MHZ)
    av = row["average"]
    assert (av["level"], av["margin_db"], av["bound"], av["detector"]) == (
        40.0,
        6.0,
        "upper bound",
        "quasi-peak",
    )
    _sums(av)
    qp = row["quasi_peak"]
    assert (qp["level"], qp["margin_db"], qp["bound"], qp["detector"]) == (
        40.0,
        16.0,
        "measured",
        "quasi-peak",
    )
    cell = _cell(unit, "L1", "AV")
    assert (cell["worst_margin_db"], cell["worst_frequency_hz"]) == (
        av["margin_db"],
        row["frequency_hz"],
    )


def _radiated(rig: ModuleType, root: Path) -> None:
    f_lo, f_hi = (
        np.linspace(30.0, 1000.0, 8084),
        np.linspace(1000.0, 6000.0, 5001),
    )  # 120 kHz, 1 MHz steps
    qp = np.full(f_lo.shape, 25.0)
    for f_mhz in (100.0, 200.0, 300.0, 400.0, 500.0, 600.0):
        qp[np.argmin(np.abs(f_lo - f_mhz))] = 36.0  # QP limit 43.5 / 46: margins 7.5-10 dB
    rig.write_csv(
        root / "data" / "radiated" / "unit_H_30M-1G.csv",
        f_lo,
        {"QP (dBuV/m)": qp},
        120e3,
    )
    av = np.full(f_hi.shape, 35.0)
    av[np.argmin(np.abs(f_hi - 2400.0))] = 50.0  # AV limit 53.98: margin 3.98, inside the cell
    av[np.argmin(np.abs(f_hi - 5500.0))] = 53.0  # margin 0.98, above the 5 GHz upper frequency
    rig.write_csv(
        root / "data" / "radiated" / "unit_H_1G-6G.csv",
        f_hi,
        {"Peak (dBuV/m)": np.full(f_hi.shape, PEAK_FLOOR), "CAvg (dBuV/m)": av},
        1e6,
    )


def test_cells_report_their_worst_inside_their_own_range(rig: ModuleType, tmp_path: Path) -> None:
    _radiated(rig, tmp_path)
    unit = _unit(rig, tmp_path)
    for line in ("AV", "PK"):
        c = _cell(unit, "H", line)
        assert c["range_hz"] == [1e9, 5e9]
        assert 1e9 <= c["worst_frequency_hz"] <= 5e9, c
    av = _cell(unit, "H", "AV")
    assert (av["worst_frequency_hz"], av["worst_margin_db"], av["verdict"]) == (2.4e9, 3.98, "PASS")
    assert _cell(unit, "H", "PK")["worst_margin_db"] == 18.98  # 73.98 - 55


def test_radiated_table_ranks_lines_above_1ghz_with_the_qp_rows(
    rig: ModuleType, tmp_path: Path
) -> None:
    _radiated(rig, tmp_path)
    unit = _unit(rig, tmp_path)
    h = [r for r in unit["final_measurements"] if r["port"] == "H"]
    assert len(h) == 6  # the AV emission at 2.4 GHz and the five closest QP emissions
    assert [round(r["frequency_hz"] / 1e6) for r in h[1:]] == [100, 200, 300, 400, 500]
    first = h[0]
    assert first["frequency_hz"] == 2.4e9
    assert first["quasi_peak"] is None
    assert (
        first["average"]["level"],
        first["average"]["margin_db"],
        first["average"]["bound"],
    ) == (50.0, 3.98, "measured")
    assert (first["peak"]["level"], first["peak"]["margin_db"]) == (PEAK_FLOOR, 18.98)
    assert all(r["frequency_hz"] <= 5e9 for r in h)  # nothing above the upper frequency
    margins = [
        min(v["margin_db"] for k in ("quasi_peak", "average", "peak") if (v := r[k])) for r in h
    ]
    assert margins == sorted(margins)


def _above_1ghz(unit: dict[str, Any], port: str = "H") -> list[float]:
    """Return the frequencies of the port's rows above 1 GHz [MHz]."""
    rows = unit["final_measurements"]
    return [
        r["frequency_hz"] / 1e6
        for r in rows
        if r["port"] == port and r["frequency_hz"] > 1e9 and not r["beyond_required_range"]
    ]


def _no_emission(unit: dict[str, Any], port: str = "H") -> list[str]:
    return [n["line"] for n in unit["final_no_emission"] if n["port"] == port]


def test_a_monotone_trace_lists_no_emission_and_says_so(rig: ModuleType, tmp_path: Path) -> None:
    """An average skirt rising to the 6 GHz end of the scan has no local maximum in 1-5 GHz.

    Its worst point is the cell's edge (52 dBµV/m at 5 GHz, margin 1.98), stated by the
    matrix; it was once the table's first row, listed as an emission. The peak trace is
    flat. The table now lists the QP emissions only and names the two cells instead.
    """
    _radiated(rig, tmp_path)
    f_hi = np.linspace(1000.0, 6000.0, 5001)
    rig.write_csv(
        tmp_path / "data" / "radiated" / "unit_H_1G-6G.csv",
        f_hi,
        {
            "Peak (dBuV/m)": np.full(f_hi.shape, 60.0),
            "CAvg (dBuV/m)": 40.0 + 3.0 * (f_hi - 1000.0) / 1000.0,
        },
        1e6,
    )
    unit = _unit(rig, tmp_path)
    cell = _cell(unit, "H", "AV")
    assert 4.999e9 <= cell["worst_frequency_hz"] <= 5e9  # 52.00 dBµV/m (2 decimals) at both
    assert (cell["worst_margin_db"], cell["verdict"]) == (1.98, "PASS")
    assert _above_1ghz(unit) == []
    rows = unit["final_measurements"]
    h = [round(r["frequency_hz"] / 1e6) for r in rows if r["port"] == "H"]
    assert h[:6] == [100, 200, 300, 400, 500, 600]  # then the readings over the limit beyond
    assert all(r["beyond_required_range"] for r in rows[6:])
    assert _no_emission(unit) == ["AV", "PK"]
    assert unit["final_no_emission"][0] == {
        "port": "H",
        "limit_id": "fcc-15.109-b",
        "line": "AV",
        "range_hz": [1e9, 5e9],
        "distance_m": 3.0,
    }


def test_a_flat_trace_lists_no_emission_and_says_so_on_every_surface(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The rig's flat 1-6 GHz scans: their first reading is each cell's worst, no emission."""
    rig.write_rig(tmp_path / "data")
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    args = ["dossier", str(tmp_path / "data"), "--setup", str(setup), "--out", str(out)]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    (unit,) = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))["units"]
    av = _cell(unit, "H", "AV")
    assert (av["worst_frequency_hz"] / 1e6, av["worst_margin_db"]) == (1001.0, 18.98)
    for port in ("H", "V"):
        assert _above_1ghz(unit, port) == []
        assert _no_emission(unit, port) == ["AV", "PK"]
    note = (
        "H AV 1000-5000 MHz (fcc-15.109-b): no emission: its traces have no local maximum "
        "there (flat or monotone), so no row lists one; the cell's worst margin is in the "
        "completeness matrix"
    )
    chosen = "Rows are emissions: local maxima of a trace"
    pdf = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(out / "unit" / "dossier.pdf").pages
    )
    page = " ".join(
        html.unescape(
            re.sub(r"<[^>]+>", " ", (out / "unit" / "dossier.html").read_text(encoding="utf-8"))
        ).split()
    )
    for text in (pdf, page):
        assert f"Note: {note}." in text
        assert chosen in text


def test_a_trace_with_two_clear_peaks_lists_both_and_not_the_flat_floor(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Average peaks at 2 and 3 GHz over a 35 dBµV/m floor; the peak trace is flat.

    The PK cell's worst point is the flat peak trace's first reading in the cell (55 dBµV/m
    at 1001 MHz): no emission, so no row; the rows above 1 GHz are the two peaks, worst first, each
    with its PK value read there.
    """
    _radiated(rig, tmp_path)
    f_hi = np.linspace(1000.0, 6000.0, 5001)
    av = np.full(f_hi.shape, 35.0)
    av[np.argmin(np.abs(f_hi - 2000.0))] = 48.0  # AV limit 53.98: margin 5.98
    av[np.argmin(np.abs(f_hi - 3000.0))] = 50.0  # margin 3.98
    rig.write_csv(
        tmp_path / "data" / "radiated" / "unit_H_1G-6G.csv",
        f_hi,
        {"Peak (dBuV/m)": np.full(f_hi.shape, PEAK_FLOOR), "CAvg (dBuV/m)": av},
        1e6,
    )
    unit = _unit(rig, tmp_path)
    pk = _cell(unit, "H", "PK")
    assert (pk["worst_frequency_hz"] / 1e6, pk["worst_margin_db"]) == (1001.0, 18.98)
    assert _above_1ghz(unit) == [3000.0, 2000.0]
    first = _row(unit, "H", 3000.0)
    assert (first["average"]["margin_db"], first["peak"]["margin_db"]) == (3.98, 18.98)
    assert _no_emission(unit) == []


@settings(max_examples=300, deadline=None)
@given(
    freq=st.lists(st.sampled_from([1.0, 2.0, 2.0, 3.0, 5.0, 8.0]), min_size=1, max_size=12),
    at=st.lists(st.sampled_from([0.0, 1.0, 1.5, 2.0, 2.5, 4.0, 6.5, 9.0]), min_size=1),
    ascending=st.booleans(),
)
def test_nearest_point_is_the_first_closest_as_argmin(
    freq: list[float], at: list[float], ascending: bool
) -> None:
    """The batched lookup picks the point ``argmin(|f - x|)`` picks (ties: the first)."""
    f = np.array(sorted(freq) if ascending else freq)
    src = _Source.of(PlotTrace("t", "peak", f, np.zeros(f.size), "dBuV"))
    x = np.array(at)
    assert src.nearest(x).tolist() == [int(np.argmin(np.abs(f - v))) for v in x]


def test_a_row_at_the_1ghz_edge_labels_each_reading_with_its_own_frequency(
    rig: ModuleType, tmp_path: Path
) -> None:
    # the QP scan ends at 1000 MHz and the peak/average scan starts at 1000.5 MHz: the row of
    # the emission at 1000 MHz reads QP there and AV/PK at 1000.5 MHz (the nearest points)
    f_lo, f_hi = np.linspace(30.0, 1000.0, 8084), np.linspace(1000.5, 6000.5, 5001)
    qp = np.full(f_lo.shape, 25.0)
    qp[-1] = 52.0  # QP limit 53.98 at 1000 MHz: the worst emission of the port
    rig.write_csv(
        tmp_path / "data" / "radiated" / "unit_H_30M-1G.csv", f_lo, {"QP (dBuV/m)": qp}, 120e3
    )
    rig.write_csv(
        tmp_path / "data" / "radiated" / "unit_H_1G-6G.csv",
        f_hi,
        {"Peak (dBuV/m)": np.full(f_hi.shape, 45.0), "CAvg (dBuV/m)": np.full(f_hi.shape, 35.0)},
        1e6,
    )
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["dossier", str(tmp_path / "data"), "--setup", str(setup), "--out", str(out)]
        + ["--format", "json,html"],
        catch_exceptions=False,
    )
    assert res.exit_code in (0, 5), res.output
    (unit,) = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))["units"]
    row = _row(unit, "H", 1000.0)
    assert row["frequency_hz"] == 1e9
    assert [row[k]["frequency_hz"] for k in ("quasi_peak", "average", "peak")] == [
        1e9,
        1000.5e6,
        1000.5e6,
    ]
    html = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "<tr><td>H</td><td>1000.0</td><td>1000.0</td>" in html
    assert "<td>1000</td>" not in html.partition("<h2>Final measurements</h2>")[2]


def test_a_final_list_reading_measures_an_emission_only_within_half_its_rbw() -> None:
    """A 2-point QP list is no reading 65 kHz away; each value is judged at its own frequency.

    A sweep's point stands for its step (the nearest point of a grid); a final-measurement
    list's for its own frequency, ± RBW / 2 (9 kHz RBW: ± 4.5 kHz).
    """
    from rfcheck.limits import load_shipped
    from rfcheck.product.final_table import _line_values

    table = load_shipped("fcc-15.107-b")
    f_list = np.array([195e3, 259.9e3])
    qp = PlotTrace("final", "quasi-peak", f_list, np.array([50.0, 46.0]), "dBµV", rbw_hz=9e3)
    src = _Source.of(qp)
    assert src.tolerance_hz == 4.5e3
    rows = np.array([194.775e3, 199.75e3, 324.125e3])
    at_195, at_200, at_324 = _line_values(rows, table, "QP", [src], None)
    assert at_195 is not None and at_195.frequency_hz == 195e3
    # 47 CFR 15.107(a) QP: 66 dBµV at 0.15 MHz falling to 56 dBµV at 0.5 MHz, linear in log f
    # (10 dB over log10(0.5/0.15) = 0.5229 decade: 19.1249 dB/decade): 63.82 dBµV at 0.195 MHz
    printed_qp_dbuv = 66.0 - 10.0 * math.log10(0.195 / 0.15) / math.log10(0.5 / 0.15)
    assert printed_qp_dbuv == pytest.approx(63.82, abs=0.005)
    assert at_195.limit == pytest.approx(printed_qp_dbuv, abs=1e-9)
    assert at_200 is None and at_324 is None  # 4.75 and 64.2 kHz off: not this emission
    grid = np.linspace(150e3, 30e6, 1000)  # a sweep: its nearest point, a step away at most
    sweep = PlotTrace("prescan", "peak", grid, np.full(grid.size, 40.0), "dBµV", rbw_hz=9e3)
    assert _Source.of(sweep).tolerance_hz == pytest.approx(grid[1] - grid[0])
