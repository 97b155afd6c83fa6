"""``rfcheck dossier``: captures measured beyond the range the plan requires.

47 CFR 15.33(b)(1): a highest internal frequency of 25 MHz (1.705-108 MHz) ends the radiated
measurement at 1000 MHz, so the plan has no AV/PK cell. A 1-6 GHz scan of a polarisation is
then judged against the port's limits for exceedances only: an AV reading of 60 dBµV/m at
1.5 GHz against 15.109(a) Class B, 500 µV/m = 53.98 dBµV/m at 3 m, is -6.02 dB and FAILs
the unit; a pass there adds nothing. A capture that fits no port stays an error row.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main


def _high_scan(rig: ModuleType, root: Path, pol: str, av_at: dict[float, float]) -> None:
    """Write ``pol``'s 1-6 GHz scan: peak 45, CISPR-average 35 dBµV/m, 1 MHz RBW and step.

    An average emission of ``av_at`` reads as much on the peak trace where it is above 45 (a
    steady signal: the peak of one signal is never below its average, docs/verdict.md).
    """
    f = np.linspace(1000.0, 6000.0, 5001)
    av = np.full(f.shape, 35.0)
    for mhz, level in av_at.items():
        av[np.argmin(np.abs(f - mhz))] = level
    rig.write_csv(
        root / "radiated" / f"unit_{pol}_1G-6G.csv",
        f,
        {"Peak (dBuV/m)": np.maximum(45.0, av), "CAvg (dBuV/m)": av},
        1e6,
        f"port {pol}",
    )


def _run(
    rig: ModuleType, tmp: Path, highest_hz: str, h_av_at: dict[float, float]
) -> tuple[Any, dict[str, Any]]:
    root = rig.write_rig(tmp / "in", skip=("H_1G-6G",))
    _high_scan(rig, root, "H", h_av_at)
    setup = tmp / "setup.toml"
    setup.write_text(rig.SETUP.replace("700e6", highest_hz), encoding="utf-8")
    out = tmp / "out"
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    (unit,) = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))["units"]
    return res, unit


def test_a_passing_scan_beyond_the_required_range_costs_nothing(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Upper frequency 1000 MHz: the 1-6 GHz scans fit no cell; PASS, exit 0 (was ERROR, 3)."""
    res, unit = _run(rig, tmp_path, "25e6", {})
    assert (res.exit_code, unit["verdict"]) == (0, "PASS"), res.output
    assert unit["errors"] == []
    assert {c["line"] for c in unit["cells"] if c["port"] == "H"} == {"QP"}
    assert unit["beyond_required_range"] == []
    assert not any(r["beyond_required_range"] for r in unit["final_measurements"])
    for pol in ("H", "V"):
        path = f"in/radiated/unit_{pol}_1G-6G.csv"  # as the manifest names it
        assert (
            f"{pol}: measured beyond the required range: 1000-6000 MHz ({path}), not required "
            "by 47 CFR 15.33(b)(1) (required up to 1000 MHz); judged there only for readings "
            "over the limit: none, so it adds nothing"
        ) in unit["warnings"]
    assert any(i["path"].endswith("unit_H_1G-6G.csv") for i in unit["inputs"])  # recorded


def test_an_exceedance_beyond_the_required_range_fails_the_unit(
    rig: ModuleType, tmp_path: Path
) -> None:
    """AV 60 dBµV/m at 1500 MHz: 53.98 - 60 = -6.02 dB; FAIL, exit 1, in the final table."""
    res, unit = _run(rig, tmp_path, "25e6", {1500.0: 60.0})
    assert (res.exit_code, unit["verdict"]) == (1, "FAIL"), res.output
    assert res.stdout.splitlines()[0] == (
        "unit: FAIL (H AV beyond the required range: -6.02 dB at 1500 MHz)"
    )
    assert unit["beyond_required_range"] == [
        {
            "port": "H",
            "limit_id": "fcc-15.109-b",
            "line": "AV",
            "frequency_hz": 1500e6,
            "margin_db": -6.02,
            "bound": "measured",
            "distance_m": 3.0,
        }
    ]
    (row,) = [r for r in unit["final_measurements"] if r["beyond_required_range"]]
    assert (row["port"], row["frequency_hz"], row["distance_m"]) == ("H", 1500e6, 3.0)
    av, pk = row["average"], row["peak"]
    assert (av["level"], av["limit"], av["margin_db"]) == (60.0, 53.98, -6.02)
    assert (pk["level"], pk["limit"], pk["margin_db"]) == (60.0, 73.98, 13.98)
    assert all(c["verdict"] == "PASS" for c in unit["cells"])  # every required cell passes
    html = (tmp_path / "out" / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "H (beyond the required range, 47 CFR 15.33(b)(1))" in html
    assert "fails the unit all the same" in html


def test_an_exceedance_of_a_scan_past_the_last_cell_fails_the_unit(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Highest frequency 700 MHz: cells to 5 GHz. AV 60 dBµV/m at 5500 MHz, in the same scan.

    The AV cell (1-5 GHz) passes; the reading past it, -6.02 dB, fails the unit (it was
    dropped: the cell read PASS and so did the unit).
    """
    res, unit = _run(rig, tmp_path, "700e6", {5500.0: 60.0})
    assert (res.exit_code, unit["verdict"]) == (1, "FAIL"), res.output
    cells = {(c["port"], c["line"]): c for c in unit["cells"]}
    assert cells[("H", "AV")]["verdict"] == "PASS"
    assert cells[("H", "AV")]["range_hz"] == [1e9, 5e9]
    assert [(b["port"], b["line"], b["frequency_hz"], b["margin_db"]) for b in unit[
        "beyond_required_range"
    ]] == [("H", "AV", 5500e6, -6.02)]  # fmt: skip
    (row,) = [r for r in unit["final_measurements"] if r["beyond_required_range"]]
    assert (row["frequency_hz"], row["average"]["margin_db"]) == (5500e6, -6.02)


def test_a_capture_below_every_cell_still_fits_no_cell(rig: ModuleType, tmp_path: Path) -> None:
    """Only a capture above the cells is beyond the required range: one below is an error row."""
    root = rig.write_rig(tmp_path / "in")
    f = np.linspace(9e-3, 0.149, 200)
    rig.write_csv(root / "conducted" / "unit_L1_low.csv", f, {"QP (dBuV)": np.full(f.shape, 30.0)})
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 3
    assert "unit_L1_low.csv: fits no cell: its span 0.009 MHz-0.149 MHz lies outside" in res.output


def test_the_dry_run_names_a_capture_beyond_the_required_range(
    rig: ModuleType, tmp_path: Path
) -> None:
    """``--dry-run`` places it (no error row, exit 0) and says how it will be judged."""
    root = rig.write_rig(tmp_path / "in")
    setup = tmp_path / "setup.toml"
    setup.write_text(rig.SETUP.replace("700e6", "25e6"), encoding="utf-8")
    res = CliRunner().invoke(
        main, ["dossier", str(root), "--setup", str(setup), "--dry-run"], catch_exceptions=False
    )
    assert res.exit_code == 0, res.output
    assert (
        "  H    beyond the required range (47 CFR 15.33(b)(1)): radiated/unit_H_1G-6G.csv "
        "(1000-6000 MHz): judged for readings over the limit only"
    ) in res.stdout.splitlines()
    assert "fits no cell" not in res.output


def test_radiated_scans_of_a_device_below_1_705_mhz_are_beyond_the_required_range(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Highest frequency 1 MHz: radiated is required up to 30 MHz, where its limits start.

    The plan has no radiated cell; the rig's scans (30 MHz-1 GHz, 1-6 GHz) lie beyond the
    required range and are judged for exceedances only, as above a 25 MHz device's 1000 MHz.
    They were error rows ('fits no cell: the plan requires no measurement of H'), so a
    complete, passing record read ERROR, exit 3.
    """
    res, unit = _run(rig, tmp_path, "1e6", {})
    assert (res.exit_code, unit["verdict"]) == (0, "PASS"), res.output
    assert unit["errors"] == []
    assert not [c for c in unit["cells"] if c["port"] in ("H", "V")]
    assert any(
        w.startswith("H: measured beyond the required range: 30-6000 MHz")
        and "(required up to 30 MHz); judged there only for readings over the limit" in w
        for w in unit["warnings"]
    ), unit["warnings"]
    res, unit = _run(rig, tmp_path / "fail", "1e6", {1500.0: 60.0})
    assert (res.exit_code, unit["verdict"]) == (1, "FAIL"), res.output
    # the table the FAIL rests on is among those judged against
    assert "fcc-15.109-b" in [lim["id"] for lim in unit["limits"]], unit["limits"]
    assert res.stdout.splitlines()[0] == (
        "unit: FAIL (H AV beyond the required range: -6.02 dB at 1500 MHz)"
    )


def _beyond_notes(
    rig: ModuleType, tmp: Path, files: dict[str, tuple[Any, dict[str, Any]]]
) -> list[str]:
    """Judge the rig with H's 1-6 GHz scan replaced by ``files``; return H's AV beyond notes.

    ``files``: name -> (frequencies [MHz], {column: levels}); the rig's device is required
    up to 5000 MHz (highest frequency 700 MHz, 47 CFR 15.33(b)(1)).
    """
    root = rig.write_rig(tmp / "in", skip=("H_1G-6G",))
    for name, (f, columns) in files.items():
        rig.write_csv(root / "radiated" / name, f, columns, 1e6, "port H")
    out = tmp / "out"
    setup = rig.write_setup(tmp / "setup.toml")
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", "json"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    (unit,) = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))["units"]
    return [w for w in unit["warnings"] if w.startswith("H: fcc-15.109-b AV: measured beyond")]


def test_a_measured_average_beyond_the_range_settles_the_peak_reading_there(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A CISPR-average measured at 7000 MHz settles the peak reading over the AV limit there.

    15.109(a) Class B AV at 3 m: 500 µV/m = 53.98 dBµV/m. At 7000 MHz, beyond the 5000 MHz
    the plan requires, a peak reading of 60 dBµV/m is over the AV limit but only bounds the
    average from above; the CISPR-average 53.48 dBµV/m measured at the same frequency
    settles it (+0.50 dB). The note once said "a reading that does not measure the level is
    over it at 7000 MHz: not settled" beside that measurement.
    """
    f = np.linspace(1000.0, 8000.0, 7001)
    at = np.argmin(np.abs(f - 7000.0))
    pk, av = np.full(f.shape, 45.0), np.full(f.shape, 35.0)
    pk[at], av[at] = 60.0, 53.48
    scan = {"Peak (dBuV/m)": pk, "CAvg (dBuV/m)": av}
    (note,) = _beyond_notes(rig, tmp_path, {"unit_H_1G-8G.csv": (f, scan)})
    assert note == (
        "H: fcc-15.109-b AV: measured beyond the required range: 5000-8000.5 MHz, not required "
        "by 47 CFR 15.33(b)(1) (required up to 5000 MHz); judged there only for readings over "
        "the limit: none"
    )


def test_a_peak_reading_beyond_the_range_that_nothing_settles_is_still_named(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The same peak reading with no average reading at 7000 MHz: not settled, and said so."""
    f = np.linspace(1000.0, 8000.0, 7001)
    pk = np.full(f.shape, 45.0)
    pk[np.argmin(np.abs(f - 7000.0))] = 60.0
    g = np.linspace(1000.0, 5000.0, 4001)
    (note,) = _beyond_notes(
        rig,
        tmp_path,
        {
            "unit_H_1G-8G_pk.csv": (f, {"Peak (dBuV/m)": pk}),
            "unit_H_1G-5G_av.csv": (g, {"CAvg (dBuV/m)": np.full(g.shape, 35.0)}),
        },
    )
    assert note.endswith(
        "(a reading that does not measure the level is over it at 7000 MHz: not settled, as "
        "nothing there is required)"
    )
