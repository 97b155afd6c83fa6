"""Units of a lot, or sides of a comparison, measured at different distances (47 CFR 15.31(f)).

Their levels are taken at one distance before the 80/80 statistics, the fingerprint's level
check and ``compare``'s deltas: the limit's specified distance when they were measured apart,
each level moved by the conversion its own verdict applies to the limit (10 m -> 3 m above
30 MHz: +20·log10(10/3) = +10.46 dB). Hand figures: fcc-15.109-b QP at 300 MHz is 200 µV/m
at 3 m = 46.02 dBµV/m; k = 1.69 (n = 4) and 1.52 (n = 5) from the published table.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.limits import load_shipped
from rfcheck.lot.distance import level_offset_db

from .conftest import write_csv

#: 30 MHz - 1 GHz, 100 kHz steps, 120 kHz RBW (the range 15.33(b)(1) asks of a 25 MHz device).
GRID = (30e6, 1000e6, 100e3, 120e3)
F_HZ = 300e6
#: fcc-15.109-b QP at 300 MHz, 3 m: 20·log10(200). [dBµV/m]
LIMIT_3M = 20 * math.log10(200)
#: 10 m -> 3 m above 30 MHz. [dB]
TEN_TO_THREE = 20 * math.log10(10 / 3)


def _lot(folder: Path, levels: Mapping[str, float], at_10m: tuple[str, ...]) -> Path:
    """Write one V capture per unit (its QP level at 300 MHz) and a setup; return the setup."""
    for unit, level in levels.items():
        write_csv(folder / f"{unit}_V.csv", {"QP": {F_HZ: level}}, grid=GRID, unit="dBuV/m")
    rules = "".join(f'\n[[rule]]\nmatch = "{u}_*"\ndistance_m = 10\n' for u in at_10m)
    setup = folder / "setup.toml"
    setup.write_text(
        "[dut]\nhighest_internal_frequency_hz = 25e6\n\n"
        '[[rule]]\nmatch = "*"\nlimits = ["fcc-15.109-b"]\ndistance_m = 3\n'
        + rules
        + '\n[batch]\ngroup_pattern = "^(?P<unit>u[0-9]+)_"\n',
        encoding="ascii",
    )
    return setup


def _run_lot(folder: Path, setup: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        main,
        ["lot", str(folder), "--golden", "u01", "--setup", str(setup), *extra],
        catch_exceptions=False,
    )


def _row(doc: dict[str, Any]) -> dict[str, Any]:
    (row,) = doc["statistics"]
    assert isinstance(row, dict)
    return row


def test_offset_is_the_limits_conversion_with_the_sign_reversed() -> None:
    table = load_shipped("fcc-15.109-b")
    assert np.allclose(level_offset_db(table, [F_HZ], 10.0, 3.0), [10.4576], atol=1e-4)
    assert np.allclose(level_offset_db(table, [F_HZ], 3.0, 10.0), [-10.4576], atol=1e-4)
    assert np.allclose(level_offset_db(table, [F_HZ], 3.0, 3.0), [0.0])


def test_a_unit_at_10m_among_3m_units_is_re_expressed_before_the_80_80_rule(
    tmp_path: Path,
) -> None:
    """A lot of three 3 m units and one 10 m unit: the old raw mean 38.5, S_n 5.07 read FAIL -11.5.

    At 3 m: {40, 41, 42, 31 + 10.46 = 41.46}: x̄ = 41.114, S_n = 0.848, x̄ + 1.69·S_n = 42.547,
    margin 46.021 - 42.547 = +3.47 dB: PASS.
    """
    setup = _lot(tmp_path, {"u01": 40.0, "u02": 41.0, "u03": 42.0, "u04": 31.0}, ("u04",))
    res = _run_lot(tmp_path, setup, "-o", "json")
    assert res.exit_code == 0, res.output
    row = _row(json.loads(res.output))
    assert (row["n"], row["k"], row["mean"], row["s_n"]) == (4, 1.69, 41.11, 0.85)
    assert (row["value"], row["limit"], row["margin_db"]) == (42.55, 46.02, 3.47)
    assert (row["verdict"], row["distance_m"]) == ("PASS", 3.0)
    assert row["distance_note"] == (
        "fcc-15.109-b: levels and limit at 3 m, the limit's specified distance (the units "
        "were measured at different distances); u04 measured at 10 m, +10.46 dB by "
        "47 CFR 15.31(f)(1)"
    )


def test_units_at_10m_that_read_low_no_longer_pass_a_lot_that_fails_at_3m(
    tmp_path: Path,
) -> None:
    """The false PASS: raw levels read at 10 m averaged with 3 m ones against the 3 m limit.

    u02 and u03 at 10 m read 34.5 and 35.3 (44.96 and 45.76 at 3 m; their own verdicts pass,
    +1.06 and +0.26 dB against the 10 m limit 35.56). At 3 m: {38, 44.96, 45.76, 39, 40}:
    x̄ = 41.543, S_n = 3.564, x̄ + 1.52·S_n = 46.961 > 46.021: FAIL -0.94 dB. Raw (the old
    figure): x̄ 37.36 + 1.52·2.33 = 40.9 against the last unit's 3 m limit: PASS +5.1.
    """
    raw = {"u01": 38.0, "u02": 34.5, "u03": 35.3, "u04": 39.0, "u05": 40.0}
    setup = _lot(tmp_path, raw, ("u02", "u03"))
    res = _run_lot(tmp_path, setup, "-o", "json")
    assert res.exit_code == 1, res.output
    doc = json.loads(res.output)
    assert {u["unit"]: u["verdict"] for u in doc["units"]} == dict.fromkeys(raw, "PASS")
    assert [u["identity"] for u in doc["units"]] == ["yes"] * 5
    row = _row(doc)
    assert (row["n"], row["k"], row["mean"], row["s_n"]) == (5, 1.52, 41.54, 3.56)
    assert (row["value"], row["limit"], row["margin_db"]) == (46.96, 46.02, -0.94)
    assert (row["method"], row["verdict"]) == ("non-central t", "FAIL")
    (dist,) = doc["distances"]
    assert (dist["port"], dist["distance_m"], dist["basis"]) == ("V", 3.0, "specified")
    assert [(m["member"], m["distance_m"], m["offset_db"]) for m in dist["measured"]] == [
        ("u01", 3.0, 0.0),
        ("u02", 10.0, 10.46),
        ("u03", 10.0, 10.46),
        ("u04", 3.0, 0.0),
        ("u05", 3.0, 0.0),
    ]
    assert row["distance_note"].endswith(  # units at one distance named together
        "; u02, u03 measured at 10 m, +10.46 dB by 47 CFR 15.31(f)(1)"
    )


def test_a_golden_unit_at_10m_makes_a_non_normal_lot_inconclusive(tmp_path: Path) -> None:
    """A golden unit measured at 10 m among units at 3 m: its level is converted first.

    Statistics on the levels as read (mean 35.3, S_n 0.22) would PASS by +10.4 dB.
    At 3 m: {35.0 + 10.46 = 45.46, 35.2, 35.4, 35.5}: x̄ = 37.89, S_n = 5.05. One level 10 dB
    over three is not normal (Shapiro-Wilk p = 0.003) and 4 units are too few for the
    binomial method: neither method applies, INCONCLUSIVE (x̄ + 1.69·S_n = 46.42, FAIL
    -0.40, would leave the normality test out). The golden unit reads 10.26 and 10.06 dB
    over u02 and u03 at one distance: beyond the default 10 dB level threshold, so they are
    not shown identical; with a 12 dB threshold all four are in the statistics.
    """
    levels = {"u01": 35.0, "u02": 35.2, "u03": 35.4, "u04": 35.5}
    setup = _lot(tmp_path, levels, ("u01",))
    res = _run_lot(tmp_path, setup, "--level-threshold", "12", "-o", "json")
    assert res.exit_code == 4, res.output
    row = _row(json.loads(res.output))
    assert (row["n"], row["mean"], row["s_n"], row["limit"]) == (4, 37.89, 5.05, 46.02)
    assert (row["method"], row["verdict"]) == ("none", "INCONCLUSIVE")
    assert "Shapiro-Wilk p = 0.0029" in row["note"]

    res = _run_lot(tmp_path, setup)
    assert res.exit_code == 4, res.output
    assert (
        "      - V: 300 MHz: -10.3 dB against the golden unit (more than 10 dB), the unit's "
        "level re-expressed at the golden unit's measurement distance (-10.46 dB, "
        "47 CFR 15.31(f))" in res.output.splitlines()
    )
    assert (
        "   V fcc-15.109-b: levels and limit at 3 m, the limit's specified distance (the units "
        "were measured at different distances); u01 measured at 10 m, +10.46 dB by "
        "47 CFR 15.31(f)(1)" in res.output.splitlines()
    )


def test_identical_units_measured_at_3m_and_10m_are_shown_identical(tmp_path: Path) -> None:
    """The same emission, 45.0 at 3 m and 34.54 at 10 m, is one level: no 10.5 dB difference."""
    levels = {"u01": 45.0, "u02": 45.0 - TEN_TO_THREE, "u03": 44.5, "u04": 44.0}
    setup = _lot(tmp_path, levels, ("u02",))
    res = _run_lot(tmp_path, setup, "-o", "json")
    doc = json.loads(res.output)
    assert [u["identity"] for u in doc["units"]] == ["yes"] * 4
    assert res.exit_code == 0, res.output


def test_units_at_one_distance_say_it_and_convert_nothing(tmp_path: Path) -> None:
    setup = _lot(tmp_path, {"u01": 40.0, "u02": 41.0, "u03": 42.0}, ())
    res = _run_lot(tmp_path, setup)
    assert res.exit_code == 0, res.output
    assert (
        "   V fcc-15.109-b: levels and limit at 3 m, the distance all units were measured at"
        in res.output.splitlines()
    )
    res = _run_lot(tmp_path, setup, "-o", "csv")
    (row,) = csv.DictReader(io.StringIO(res.output))
    assert (row["mean"], row["limit"], row["distance_m"]) == ("41.0", "46.02", "3.0")


def test_the_lot_plot_draws_levels_and_limit_at_the_lots_distance(tmp_path: Path) -> None:
    """The golden unit at 10 m: its 10 m limit (35.56) was drawn beside the table's 46.02."""
    from rfcheck.lot import run_lot
    from rfcheck.lot.plots import lot_figure
    from rfcheck.settings import load_setup

    setup = _lot(tmp_path, {"u01": 35.0, "u02": 45.0, "u03": 45.5, "u04": 46.0}, ("u01",))
    result = run_lot(tmp_path, "u01", load_setup(setup))
    fig = lot_figure(result, "V")
    ax = fig.axes[0]
    assert "levels at 3 m (u01 from 10 m)" in ax.get_title()
    (limit,) = [ln for ln in ax.get_lines() if ln.get_label() == "fcc-15.109-b QP"]
    f, y = (np.asarray(v, dtype=float) for v in limit.get_data())
    assert math.isclose(float(np.interp(300.0, f, y)), LIMIT_3M, abs_tol=1e-6)
    (golden,) = [ln for ln in ax.get_lines() if ln.get_label() == "u01 (golden)"]
    gf, gy = (np.asarray(v, dtype=float) for v in golden.get_data())
    assert math.isclose(float(gy[np.argmin(abs(gf - 300.0))]), 35.0 + TEN_TO_THREE, abs_tol=0.01)


def test_compare_takes_both_sides_at_one_distance(tmp_path: Path) -> None:
    """A at 10 m reads 35.0 (45.46 at 3 m), B at 3 m 35.2: B - A = -10.26 dB, not +0.2."""
    levels = {"u01": 35.0, "u02": 35.2}
    setup = _lot(tmp_path, levels, ("u01",))
    args = ["compare", str(tmp_path / "u01_V.csv"), str(tmp_path / "u02_V.csv")]
    res = CliRunner().invoke(main, [*args, "--setup", str(setup), "-o", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    (pair,) = doc["pairs"]
    assert (pair["level_a"], pair["level_b"], pair["delta_db"]) == (45.46, 35.2, -10.26)
    assert (pair["limit"], pair["margin_db_a"], pair["margin_db_b"]) == (46.02, 0.56, 10.82)
    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure
    from rfcheck.settings import load_setup

    rules = load_setup(setup).settings_for
    side_a, side_b = tmp_path / "u01_V.csv", tmp_path / "u02_V.csv"
    result = run_compare(side_a, side_b, rules("u01_V.csv"), rules("u02_V.csv"))
    title = overlay_figure(result, ("golden", "unit")).axes[0].get_title()
    assert title.endswith(", levels at 3 m (golden from 10 m)")
    res = CliRunner().invoke(main, [*args, "--setup", str(setup), "--names", "golden,unit"])
    assert (
        "Levels: fcc-15.109-b: levels and limit at 3 m, the limit's specified distance (the "
        "sides were measured at different distances); golden measured at 10 m, +10.46 dB by "
        "47 CFR 15.31(f)(1)" in res.output.splitlines()
    )
