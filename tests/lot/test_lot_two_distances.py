"""A lot whose radiated ports were measured at two distances: 10 m to 1 GHz, 3 m above.

Labs measure a Class A product at 10 m from 30 MHz to 1 GHz and at 3 m above 1 GHz (47 CFR
15.31(f)(1) re-expresses the limit, 20 dB/decade). Each unit's port was refused: its two
captures "cannot combine" (judged at two distances), every unit ERROR, no radiated
statistics. A port's captures are now pooled per distance, each pool judged at its own
distance (the worse decides, as the dossier does), and the statistics take each level from
the capture covering its frequency, at its own distance, before converting it to the one
distance of the port and limit table.

Hand figures (47 CFR 15.109(b), Class A at 10 m; 15.35(b)):

* QP, 216-960 MHz: 210 µV/m = 20·log10(210) = 46.44 dBµV/m at 10 m;
* AV above 1 GHz: 300 µV/m = 49.54 dBµV/m at 10 m; at 3 m + 20·log10(10/3) = +10.46 dB:
  60.00 dBµV/m; PK: 3000 µV/m = 69.54 at 10 m, 80.00 at 3 m;
* k = 1.69 for n = 4 (CISPR TR 16-4-3 table).

The device's highest internal frequency, 700 MHz, sets the radiated range to 5 GHz
(15.33(b)(1)): the 10 m scan measures the QP line, the 3 m scan the AV and PK lines.
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
import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.lot import run_lot
from rfcheck.lot.distance_groups import _joined_check, joined_emissions
from rfcheck.lot.emissions import Emission
from rfcheck.lot.readings import Reading
from rfcheck.outcome import Bound, Verdict
from rfcheck.results import LineCheck
from rfcheck.settings import load_setup

from .conftest import write_csv

#: 30 MHz - 1 GHz, 100 kHz steps, 120 kHz RBW: measured at 10 m.
GRID_10M = (30e6, 1000e6, 100e3, 120e3)
#: 1 - 6 GHz, 1 MHz steps and RBW: measured at 3 m.
GRID_3M = (1000e6, 6000e6, 1e6, 1e6)
F_QP_HZ = 300e6
F_AV_HZ = 1500e6
#: fcc-15.109-a QP at 300 MHz, 10 m. [dBµV/m]
QP_10M = 20 * math.log10(210)
#: fcc-15.109-a AV above 1 GHz at 10 m, and at 3 m. [dBµV/m]
AV_10M = 20 * math.log10(300)
AV_3M = AV_10M + 20 * math.log10(10 / 3)

#: Each unit's QP at 300 MHz (read at 10 m) and CISPR-average at 1500 MHz (read at 3 m).
QP = {"u1": 40.0, "u2": 40.6, "u3": 39.2, "u4": 41.1}
AV = {"u1": 52.0, "u2": 52.6, "u3": 51.2, "u4": 53.1}

HEAD = """\
[dut]
model = "W-3"
class = "A"
highest_internal_frequency_hz = 700e6
"""

#: Each file's distance from a rule, as a lab's setup states it.
RULES = (
    HEAD
    + """
[[rule]]
match = "*"
limits = ["fcc-15.109-a"]
port_regex = "_(?P<port>[HV])_"

[[rule]]
match = "*_30M-1G.csv"
distance_m = 10

[[rule]]
match = "*_1G-6G.csv"
distance_m = 3

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""
)

#: The plan's distance per frequency range, as the dossier takes it.
BANDS = (
    HEAD
    + """
[plan]
regulation = "fcc-part15b"
mains_lines = ["L1", "N"]
polarisations = ["H", "V"]
distance_bands = [ { stop_hz = 1e9, distance_m = 10 }, { start_hz = 1e9, distance_m = 3 } ]

[[rule]]
match = "*"
port_regex = "_(?P<port>[HV])_"

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""
)


def _lot(
    folder: Path,
    qp: Mapping[str, float] = QP,
    av: Mapping[str, float] = AV,
    *,
    setup: str = RULES,
    without_3m: tuple[str, ...] = (),
) -> Path:
    """Write each unit's V captures (QP at 10 m, AV and PK = AV + 10 at 3 m); return the setup."""
    for unit, level in qp.items():
        write_csv(
            folder / "lot" / f"{unit}_V_30M-1G.csv",
            {"QP": {F_QP_HZ: level}},
            grid=GRID_10M,
            unit="dBuV/m",
        )
        if unit not in without_3m:
            write_csv(
                folder / "lot" / f"{unit}_V_1G-6G.csv",
                {"Peak": {F_AV_HZ: av[unit] + 10.0}, "CAVG": {F_AV_HZ: av[unit]}},
                grid=GRID_3M,
                unit="dBuV/m",
            )
    path = folder / "setup.toml"
    path.write_text(setup, encoding="ascii")
    return path


def _run(folder: Path, setup: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        main,
        ["lot", str(folder / "lot"), "--golden", "u1", "--setup", str(setup), *extra],
        catch_exceptions=False,
    )


def _json(folder: Path, setup: Path) -> tuple[int, dict[str, Any]]:
    res = _run(folder, setup, "-o", "json")
    doc: dict[str, Any] = json.loads(res.stdout)
    return res.exit_code, doc


def _rows(doc: dict[str, Any]) -> dict[tuple[str, float], dict[str, Any]]:
    return {(r["line"], r["frequency_hz"]): r for r in doc["statistics"]}


@pytest.mark.parametrize(
    ("setup", "verdict"),
    [(RULES, "PASS"), (BANDS, "INCOMPLETE")],  # the plan's L1, N and H: measured on no unit
    ids=["rules", "distance_bands"],
)
def test_each_pool_is_judged_at_its_distance_and_the_statistics_convert_each_level(
    tmp_path: Path, setup: str, verdict: str
) -> None:
    """Every unit was ERROR (``cannot combine``) and no radiated row was computed.

    u1's own margins: QP 46.44 - 40.0 = +6.44 dB at 10 m; AV 60.00 - 52.0 = +8.00 dB at 3 m.
    QP at 300 MHz, at 10 m as read: x̄ = 40.225, S_n = 0.818, x̄ + 1.69·S_n = 41.61, margin
    46.44 - 41.61 = +4.84. AV at 1500 MHz, read at 3 m and taken at the table's 10 m
    (-10.46 dB): x̄ = 52.225 - 10.458 = 41.77, x̄ + k·S_n = 43.15 against 49.54: +6.39 (the
    margin at 3 m, 60.00 - 53.61).
    """
    code, doc = _json(tmp_path, _lot(tmp_path, setup=setup))
    assert (code, doc["verdict"]) == ((0, "PASS") if verdict == "PASS" else (5, verdict))
    assert [(u["unit"], u["verdict"], u["identity"]) for u in doc["units"]] == [
        ("u1", verdict, "yes"),
        ("u2", verdict, "yes"),
        ("u3", verdict, "yes"),
        ("u4", verdict, "yes"),
    ]
    u1 = doc["units"][0]
    assert (u1["worst_margin_db"], u1["worst_frequency_hz"], u1["worst_distance_m"]) == (
        6.44,
        3e8,
        10.0,
    )
    rows = _rows(doc)
    assert set(rows) == {("QP", F_QP_HZ), ("AV", F_AV_HZ)}
    qp, av = rows[("QP", F_QP_HZ)], rows[("AV", F_AV_HZ)]
    assert (qp["n"], qp["k"], qp["mean"], qp["s_n"], qp["value"]) == (4, 1.69, 40.23, 0.82, 41.61)
    assert (qp["limit"], qp["margin_db"], qp["verdict"]) == (46.44, 4.84, "PASS")
    assert (av["n"], av["mean"], av["s_n"], av["value"]) == (4, 41.77, 0.82, 43.15)
    assert (av["limit"], av["margin_db"], av["verdict"]) == (49.54, 6.39, "PASS")
    assert round(AV_3M, 2) == 60.0 and round(AV_10M, 2) == 49.54 and round(QP_10M, 2) == 46.44
    assert qp["distance_m"] == av["distance_m"] == 10.0
    assert av["distance_note"] == (
        "fcc-15.109-a: levels and limit at 10 m, the limit's specified distance (the port was "
        "measured at several distances); u1, u2, u3, u4 measured at 3 m (1000-6000 MHz), "
        "-10.46 dB by 47 CFR 15.31(f)(1)"
    )
    (dist,) = doc["distances"]
    assert [(m["member"], m["distance_m"], m["offset_db"]) for m in dist["measured"][:2]] == [
        ("u1", 10.0, 0.0),
        ("u1", 3.0, -10.46),
    ]
    judged = {c["path"].rsplit("_", 1)[-1]: c["distance_m"] for c in doc["settings"]["captures"]}
    assert judged == {"30M-1G.csv": 10.0, "1G-6G.csv": 3.0}


def test_a_frequency_is_read_from_the_capture_covering_it_at_its_own_distance(
    tmp_path: Path,
) -> None:
    """The joined list reads 300 MHz from the 10 m scan, 1500 MHz from the 3 m scan."""
    result = run_lot(tmp_path / "lot", "u1", load_setup(_lot(tmp_path)))
    el = result.units[1].captures["V"]
    assert [(g.distance_m, g.verdict) for g in el.groups] == [
        (10.0, Verdict.INCOMPLETE),  # each pool alone leaves the other's lines not measured
        (3.0, Verdict.INCOMPLETE),
    ]
    assert el.verdict is Verdict.PASS
    qp = el.reading_at(F_QP_HZ, ("fcc-15.109-a", "QP"), 1e6)
    av = el.reading_at(F_AV_HZ, ("fcc-15.109-a", "AV"), 1e6)
    assert qp is not None and av is not None
    assert (qp.distance_m, round(qp.level, 2), round(qp.limit, 2)) == (10.0, 40.6, 46.44)
    assert (av.distance_m, round(av.level, 2), round(av.limit, 2)) == (3.0, 52.6, 60.0)
    assert [(e.frequency_hz, e.readings[0].distance_m) for e in el.emissions] == [
        (F_QP_HZ, 10.0),
        (F_AV_HZ, 3.0),
    ]


def test_a_unit_measured_above_1_ghz_at_10_m_is_converted_from_its_own_distance(
    tmp_path: Path,
) -> None:
    """u4's 1-6 GHz file was taken at 10 m (its rule), the others' at 3 m.

    At 1500 MHz at the table's 10 m: u1-u3 52.0, 52.6, 51.2 - 10.458 = 41.54, 42.14, 40.74;
    u4 44.0 as read (its own margin 49.54 - 44.0 = +5.54). x̄ = 42.107, S_n = 1.386,
    x̄ + 1.69·S_n = 44.45: margin +5.09. Averaged as read (u4's 44.0 beside 3 m levels of
    52) they would be 49.95 ± 4.2: another lot.
    """
    extra = '\n[[rule]]\nmatch = "u4_V_1G-6G.csv"\ndistance_m = 10\n'
    setup = _lot(
        tmp_path,
        qp={**QP, "u4": 38.0},  # its QP margin +8.44: its AV one is its worst
        av={**AV, "u4": 44.0},
        setup=RULES.replace("[batch]", extra + "[batch]"),
    )
    code, doc = _json(tmp_path, setup)
    assert code == 0, doc["notes"]
    av = _rows(doc)[("AV", F_AV_HZ)]
    assert (av["n"], av["mean"], av["s_n"], av["value"]) == (4, 42.11, 1.39, 44.45)
    assert (av["limit"], av["margin_db"], av["verdict"]) == (49.54, 5.09, "PASS")
    u4 = doc["units"][3]
    assert (u4["unit"], u4["verdict"], u4["worst_margin_db"], u4["worst_distance_m"]) == (
        "u4",
        "PASS",
        5.54,
        None,  # its V port was measured at one distance, 10 m
    )


def test_the_worse_distance_decides_each_units_verdict(tmp_path: Path) -> None:
    """u2 over the QP limit at 10 m, u3 over the AV limit at 3 m: each FAILs at its distance.

    u2: QP 47.0 at 300 MHz, 46.44 - 47.0 = -0.56 dB (judged at 10 m). u3: AV 60.5 at 1500
    MHz, 60.00 - 60.5 = -0.50 dB (judged at 3 m; at 10 m the limit 49.54 and the level
    50.04 give the same margin).
    """
    setup = _lot(tmp_path, qp={**QP, "u2": 47.0}, av={**AV, "u3": 60.5})
    code, doc = _json(tmp_path, setup)
    assert code == 1
    assert doc["verdict"] == "FAIL"
    units = {u["unit"]: u for u in doc["units"]}
    assert units["u2"]["failures"] == [
        {
            "port": "V",
            "limit_id": "fcc-15.109-a",
            "line": "QP",
            "frequency_hz": 3e8,
            "margin_db": -0.56,
            "bound": "measured",
            "effective_margin_db": None,
            "distance_m": 10.0,
        }
    ]
    (f3,) = units["u3"]["failures"]
    assert (f3["line"], f3["frequency_hz"], f3["margin_db"], f3["distance_m"]) == (
        "AV",
        1.5e9,
        -0.5,
        3.0,
    )
    assert units["u3"]["worst_distance_m"] == 3.0
    text = _run(tmp_path, setup).output
    assert (
        "      - over the limit: V fcc-15.109-a AV at 1500 MHz (judged at 3 m), margin -0.50 dB"
        in text.splitlines()
    )
    assert (
        "   u3          MISSING   yes        FAIL               -0.50 dB  1500 MHz (V at 3 m)"
        in (text.splitlines())
    )


def test_a_unit_without_its_3_m_scan_is_incomplete_above_1_ghz(tmp_path: Path) -> None:
    """u4 has no 1-6 GHz file: its AV and PK lines are not measured (1000-5000 MHz)."""
    code, doc = _json(tmp_path, _lot(tmp_path, without_3m=("u4",)))
    assert code == 5
    u4 = doc["units"][3]
    assert (u4["verdict"], u4["identity"]) == ("INCOMPLETE", "unknown")
    assert "not measured: V fcc-15.109-a AV, PK 1000-5000 MHz" in u4["flags"]
    assert doc["units"][0]["verdict"] == "PASS"  # the golden unit's two pools: whole


def test_a_capture_over_both_bands_is_an_error_of_its_port_naming_it(tmp_path: Path) -> None:
    """A 30 MHz-6 GHz file with no rule distance: its distance is unknown, never guessed."""
    setup = _lot(tmp_path, setup=BANDS)
    wide = (30e6, 6000e6, 1e6, 1e6)
    path = write_csv(tmp_path / "lot" / "u2_V_30M-6G.csv", {"QP": {F_QP_HZ: 40.0}}, grid=wide)
    res = _run(tmp_path, setup)
    assert res.exit_code == 3, res.output
    assert f"rfcheck: error: {path}: its span 30-6000 MHz" in res.stderr
    assert (
        "lies in 2 [plan] distance_bands of different distances (10 m up to 1000 MHz, 3 m from "
        "1000 MHz)"
    ) in res.stderr
    unit = next(line for line in res.output.splitlines() if line.startswith("   u2 "))
    assert "ERROR" in unit


def test_the_reports_name_the_distances_each_port_was_measured_at(tmp_path: Path) -> None:
    setup = _lot(tmp_path)
    out = tmp_path / "out"
    res = _run(tmp_path, setup, "--out", str(out), "--report", "json,csv,html")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    several = (
        "Measured at several distances (each judged at its own, 47 CFR 15.31(f)(1)): V at "
        "10 m (30-1000 MHz) and 3 m (1000-6000 MHz)"
    )
    assert several in lines
    lot = tmp_path / "lot"
    assert (
        f"   u1          V: {lot / 'u1_V_1G-6G.csv'} (3 m) + {lot / 'u1_V_30M-1G.csv'} (10 m)"
        in (lines)
    )
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    assert doc["units"][0]["ports"][0]["distances"] == [
        {"distance_m": 10.0, "captures": [str(lot / "u1_V_30M-1G.csv")], "range_hz": [3e7, 1e9]},
        {"distance_m": 3.0, "captures": [str(lot / "u1_V_1G-6G.csv")], "range_hz": [1e9, 6e9]},
    ]
    (row,) = list(csv.DictReader(io.StringIO((out / "lot_units.csv").read_text("utf-8"))))[:1]
    assert row["port_distances"] == "V: 10 m (30-1000 MHz) + 3 m (1000-6000 MHz)"
    assert several in (out / "lot.html").read_text(encoding="utf-8")


def test_compare_pools_each_side_per_distance(tmp_path: Path) -> None:
    """Two units' 10 m and 3 m files compared: the AV pair at 10 m, 41.54 vs 42.14, +0.60."""
    setup = _lot(tmp_path)
    lot = tmp_path / "lot"
    args = ["compare", "--setup", str(setup), "-o", "json"]
    for side, unit in (("-a", "u1"), ("-b", "u2")):
        args += [side, str(lot / f"{unit}_V_30M-1G.csv"), side, str(lot / f"{unit}_V_1G-6G.csv")]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert (doc["a"]["verdict"], doc["b"]["verdict"]) == ("PASS", "PASS")
    pairs = {(p["line"], p["frequency_hz_a"]): p for p in doc["pairs"]}
    av = pairs[("AV", F_AV_HZ)]
    assert (av["level_a"], av["level_b"], av["delta_db"], av["limit"]) == (
        41.54,
        42.14,
        0.6,
        49.54,
    )
    qp = pairs[("QP", F_QP_HZ)]
    assert (qp["level_a"], qp["level_b"], qp["limit"]) == (40.0, 40.6, 46.44)


def _check(verdict: Verdict, margin: float | None, evaluated: tuple[float, float]) -> LineCheck:
    lo, hi = 30e6, 1e9
    missing = [(a, b) for a, b in ((lo, evaluated[0]), (evaluated[1], hi)) if b > a]
    return LineCheck(
        "fcc-15.109-a",
        "QP",
        "quasi-peak",
        verdict,
        margin,
        None if margin is None else evaluated[1],
        Bound.UPPER if verdict is Verdict.INCONCLUSIVE else Bound.MEASURED,
        evaluated_hz=(evaluated,),
        not_evaluated_hz=tuple(missing),
    )


def test_a_line_joined_over_two_pools_takes_the_dossiers_rule() -> None:
    """A pool reading only the line's end point does not decide unless it fails there.

    The 10 m pool passes the QP line over 30-1000 MHz (+6.44 dB); the 3 m pool's first point
    at 1000 MHz bounds it from above (INCONCLUSIVE): the line PASSes. Were that point over
    the limit as a measurement (FAIL), it would decide.
    """
    ten = _check(Verdict.PASS, 6.44, (30e6, 1e9))
    edge = _check(Verdict.INCONCLUSIVE, -1.0, (1e9, 1e9))
    joined = _joined_check([ten, edge])
    assert (joined.verdict, joined.worst_margin_db, joined.not_evaluated_hz) == (
        Verdict.PASS,
        6.44,
        (),
    )
    fails = _joined_check([ten, _check(Verdict.FAIL, -1.0, (1e9, 1e9))])
    assert (fails.verdict, fails.worst_margin_db) == (Verdict.FAIL, -1.0)
    part = _joined_check([_check(Verdict.PASS, 3.0, (30e6, 500e6)), edge])
    assert (part.verdict, part.not_evaluated_hz) == (Verdict.INCOMPLETE, ((500e6, 1e9),))


def test_an_emission_both_pools_see_where_they_meet_is_listed_once() -> None:
    """At 999.9 MHz (10 m, QP measured) and 1000.2 MHz (3 m, a peak upper bound): one emission."""
    qp = Reading("fcc-15.109-a", "QP", "quasi-peak", "quasi-peak", 44.0, "dBuV/m",
                 Bound.MEASURED, 49.54, 5.54, 10.0)  # fmt: skip
    pk = Reading("fcc-15.109-a", "QP", "quasi-peak", "peak", 58.0, "dBuV/m",
                 Bound.UPPER, 60.0, 2.0, 3.0)  # fmt: skip
    av = Reading("fcc-15.109-a", "AV", "cispr-average", "cispr-average", 51.0, "dBuV/m",
                 Bound.MEASURED, 60.0, 9.0, 3.0)  # fmt: skip
    (one,) = joined_emissions([[Emission(999.9e6, (qp,))], [Emission(1000.2e6, (pk, av))]], 0.5e6)
    assert one.frequency_hz == 999.9e6
    assert one.readings == (qp, av)  # the QP measurement before the peak's bound
    two = joined_emissions([[Emission(999.9e6, (qp,))], [Emission(1001e6, (pk, av))]], 0.5e6)
    assert [e.frequency_hz for e in two] == [999.9e6, 1001e6]


def test_the_lot_plot_draws_each_pool_from_its_own_distance(tmp_path: Path) -> None:
    """One panel per line (not one per pool), the AV line and u1's 52.0 at 3 m drawn at 10 m."""
    from rfcheck.lot.plots import lot_figure

    result = run_lot(tmp_path / "lot", "u1", load_setup(_lot(tmp_path)))
    fig = lot_figure(result, "V")
    titles = [ax.get_title() for ax in fig.axes]
    assert [t.split(",")[0] for t in titles] == [
        "V: fcc-15.109-a QP",
        "V: fcc-15.109-a AV",
        "V: fcc-15.109-a PK",
    ]
    assert titles[1].endswith("levels at 10 m (u1, u2, u3, u4 from 3 m)")
    ax = fig.axes[1]
    (limit,) = [ln for ln in ax.get_lines() if ln.get_label() == "fcc-15.109-a AV"]
    assert np.max(np.asarray(limit.get_ydata())) == pytest.approx(AV_10M, abs=0.01)
    golden = next(ln for ln in ax.get_lines() if ln.get_label() == "u1 (golden)")
    assert np.max(np.asarray(golden.get_ydata())) == pytest.approx(52.0 - 10.458, abs=0.01)
