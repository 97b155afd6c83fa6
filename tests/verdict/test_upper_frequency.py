"""47 CFR 15.33(b)(1).

The upper frequency of the radiated measurement range (docs/references.md section 2f) bounds the
range of the FCC radiated lines a measurement must cover.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.analysis import analyse_capture
from rfcheck.capture import Capture, Detector, Trace
from rfcheck.cli import main
from rfcheck.combine import analyse_combined
from rfcheck.errors import LimitFileError, SetupFileError
from rfcheck.limits import load_shipped, parse_limit_text, upper_measurement_frequency_hz
from rfcheck.results import CaptureResult
from rfcheck.settings import CheckSettings, load_setup
from rfcheck.units import LevelUnit

EPS = 1e-6  # relative "hair"
MHZ = 1e6


@pytest.mark.parametrize(
    ("highest_mhz", "upper_mhz"),
    [
        (0.009, 30.0),
        (1.705 * (1 - EPS), 30.0),
        (1.705, 1000.0),  # boundary: the more demanding row (1.705-108 MHz)
        (1.705 * (1 + EPS), 1000.0),
        (108 * (1 - EPS), 1000.0),
        (108.0, 2000.0),  # boundary: 108-500 MHz row
        (108 * (1 + EPS), 2000.0),
        (500 * (1 - EPS), 2000.0),
        (500.0, 5000.0),  # boundary: 500-1000 MHz row
        (500 * (1 + EPS), 5000.0),
        (700.0, 5000.0),
        (1000 * (1 - EPS), 5000.0),
        (1000.0, 5000.0),  # either row: 5000 MHz (5 x 1000 MHz)
        (1000 * (1 + EPS), 5000 * (1 + EPS)),  # 5th harmonic
        (1200.0, 6000.0),
        (8000 * (1 - EPS), 40000 * (1 - EPS)),
        (8000.0, 40000.0),  # 5th harmonic = 40 GHz
        (8000 * (1 + EPS), 40000.0),  # capped at 40 GHz
        (30000.0, 40000.0),
    ],
)
def test_table(highest_mhz: float, upper_mhz: float) -> None:
    assert upper_measurement_frequency_hz(highest_mhz * MHZ) == pytest.approx(
        upper_mhz * MHZ, rel=1e-12
    )


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf])
def test_table_rejects(bad: float) -> None:
    with pytest.raises(ValueError):
        upper_measurement_frequency_hz(bad)


@pytest.mark.parametrize("highest_mhz", [1.705, 108.0, 500.0])
def test_a_row_boundary_is_said_where_the_range_is_stated(highest_mhz: float) -> None:
    """500 MHz gives 5000 MHz (the more demanding row); the statement says why."""
    note = load_shipped("fcc-15.109-b").measurement_range_note(highest_mhz * 1e6)
    assert note.endswith(
        "; a boundary of two rows of the table: the more demanding row (higher upper end) applies)"
    )
    off = load_shipped("fcc-15.109-b").measurement_range_note(highest_mhz * 1e6 * 1.001)
    assert "boundary" not in off


def test_rule_set_in_fcc_radiated_tables_only() -> None:
    assert load_shipped("fcc-15.109-a").upper_frequency_rule == "fcc-15.33b1"
    assert load_shipped("fcc-15.109-b").upper_frequency_rule == "fcc-15.33b1"
    for lid in ("fcc-15.107-b", "cispr32-b-rad-3m", "cispr32-b-rad-above-1g"):
        assert load_shipped(lid).upper_frequency_rule == "none"


_USER = """id = "u"
title = "t"
source = "s"
edition = "e"
retrieved = "r"
port = "{port}"
unit = "{unit}"
status = "P"
{extra}
upper_frequency_rule = "{rule}"
[lines]
PK = "peak"
[[segment]]
start_mhz = 1000
stop_mhz = 2000
PK = 70.0
"""


def _user(rule: str, port: str = "radiated") -> str:
    unit, extra = ("dBuV/m", "distance_m = 3.0") if port == "radiated" else ("dBuV", "")
    return _USER.format(rule=rule, port=port, unit=unit, extra=extra)


def test_rule_validated_on_load() -> None:
    assert parse_limit_text(_user("fcc-15.33b1")).upper_frequency_rule == "fcc-15.33b1"
    assert parse_limit_text(_user("none")).upper_frequency_rule == "none"
    with pytest.raises(LimitFileError, match="upper_frequency_rule"):
        parse_limit_text(_user("cispr32"))
    with pytest.raises(LimitFileError, match="only for radiated"):
        parse_limit_text(_user("fcc-15.33b1", port="conducted"))


# A 30 MHz - 1 GHz capture (QP, 120 kHz) and a 1-6 GHz capture (peak + average, 1 MHz), both
# well under the Class B limits at 3 m.
F_LO = np.arange(30e6, 1000e6 + 1, 50e3)
F_HI = np.arange(1000e6, 6000e6 + 1, 0.5e6)


def _lo() -> Capture:
    qp = Trace(
        F_LO,
        np.full(F_LO.shape, 25.0),
        LevelUnit.DBUV_M,
        Detector.QUASI_PEAK,
        name="QP",
        rbw_hz=120e3,
    )
    return Capture(traces=(qp,))


def _hi() -> Capture:
    pk = Trace(
        F_HI, np.full(F_HI.shape, 40.0), LevelUnit.DBUV_M, Detector.PEAK, name="PK", rbw_hz=1e6
    )
    av = Trace(
        F_HI,
        np.full(F_HI.shape, 30.0),
        LevelUnit.DBUV_M,
        Detector.CISPR_AVERAGE,
        name="AV",
        rbw_hz=1e6,
    )
    return Capture(traces=(pk, av))


def _settings(highest: float | None) -> CheckSettings:
    return CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0, highest_frequency_hz=highest)


def _ne(res: CaptureResult) -> dict[str, tuple[tuple[float, float], ...]]:
    return {line: ranges for _lid, line, ranges in res.not_evaluated}


NOTE = (
    "fcc-15.109-b: measurement range to 5000 MHz per 47 CFR 15.33(b)(1) (highest frequency 700 MHz)"
)


def test_highest_700mhz_completes_the_1_6ghz_lines() -> None:
    hi = analyse_capture(_hi(), _settings(700e6))
    ne = _ne(hi)
    assert "AV" not in ne and "PK" not in ne  # 1-6 GHz covers everything required (to 5 GHz)
    assert set(ne) == {"QP"}  # 30 MHz - 1 GHz still needs its own capture
    checks = {c.line: c for c in hi.checks}
    assert checks["AV"].not_evaluated_hz == () and checks["PK"].not_evaluated_hz == ()
    assert checks["AV"].worst_frequency_hz is not None  # data above 5 GHz still judged
    assert hi.limits[0]["measurement_range"] == NOTE
    assert hi.required_upper_hz == {"fcc-15.109-b": 5e9}
    lo = analyse_capture(_lo(), _settings(700e6))
    assert _ne(lo) == {"AV": ((1e9, 5e9),), "PK": ((1e9, 5e9),)}
    assert lo.coverage == "partial"


def test_without_highest_frequency_unchanged() -> None:
    hi = analyse_capture(_hi(), _settings(None))
    ne = _ne(hi)
    assert ne["AV"] == ((6000.5e6, 40e9),) and ne["PK"] == ne["AV"]
    assert hi.coverage == "partial"
    assert any(
        "--highest-frequency" in w and "highest_internal_frequency_hz" in w for w in hi.warnings
    )
    lo = analyse_capture(_lo(), _settings(None))
    assert _ne(lo) == {"AV": ((1e9, 40e9),), "PK": ((1e9, 40e9),)}


def test_rule_ignored_by_tables_without_it() -> None:
    s = CheckSettings(
        limit_ids=("cispr32-b-rad-above-1g",), distance_m=3.0, highest_frequency_hz=700e6
    )
    res = analyse_capture(_hi(), s)
    assert res.required_upper_hz == {} and "measurement_range" not in res.limits[0]
    assert not any("15.33(b)(1)" in w for w in res.warnings)


CISPR_TABLE_1 = (
    "CISPR 32 Table 1 (the measurement range from the highest internal frequency, UNCONFIRMED) "
    "is not implemented"
)


def test_a_highest_frequency_a_cispr_table_ignores_is_said() -> None:
    """It was ignored without a word."""
    s = CheckSettings(limit_ids=("cispr32-b-rad-above-1g",), highest_frequency_hz=400e6)
    res = analyse_capture(_hi(), s)
    assert [w for w in res.warnings if "highest frequency stated" in w] == [
        "the highest frequency stated (400 MHz) bounds no range of cispr32-b-rad-above-1g: "
        f"{CISPR_TABLE_1}, so the whole range of the table stays required"
    ]
    assert _ne(res) == {}  # 1-6 GHz stays required, and is measured
    res = analyse_capture(_hi(), dataclasses.replace(s, highest_frequency_hz=None))
    assert not any("highest frequency stated" in w for w in res.warnings)


def test_the_cispr_tables_a_pool_ignores_it_for_are_named_once(tmp_path: Path) -> None:
    lo, hi = _write_csvs(tmp_path)
    s = CheckSettings(
        limit_ids=("cispr32-b-rad-3m", "cispr32-b-rad-above-1g"), highest_frequency_hz=400e6
    )
    res = analyse_combined([lo, hi], [s] * 2)
    assert [w for w in res.warnings if "highest frequency stated" in w] == [
        "the highest frequency stated (400 MHz) bounds no range of cispr32-b-rad-3m and "
        f"cispr32-b-rad-above-1g: {CISPR_TABLE_1}, so the whole range of each table stays "
        "required"
    ]


def _write_csvs(tmp: Path) -> tuple[Path, Path]:
    lo, hi = tmp / "rig_30M-1G.csv", tmp / "rig_1G-6G.csv"
    lo.write_text(
        "# rbw_hz: 120000\nFrequency (Hz),QP (dBuV/m)\n" + "".join(f"{f:.0f},25.0\n" for f in F_LO)
    )
    hi.write_text(
        "# rbw_hz: 1000000\nFrequency (Hz),Peak (dBuV/m),CAvg (dBuV/m)\n"
        + "".join(f"{f:.0f},40.0,30.0\n" for f in F_HI)
    )
    return lo, hi


def test_pair_combined_is_complete(tmp_path: Path) -> None:
    lo, hi = _write_csvs(tmp_path)
    res = analyse_combined([lo, hi], [_settings(700e6)] * 2)
    assert res.coverage == "complete" and res.not_evaluated == ()
    res = analyse_combined([lo, hi], [_settings(None)] * 2)
    assert res.coverage == "partial"
    assert _ne(res) == {"AV": ((6000.5e6, 40e9),), "PK": ((6000.5e6, 40e9),)}


def _coverage(out: str) -> dict[str, str]:
    return {Path(c["path"]).name: c["coverage"] for c in json.loads(out)["captures"]}


def test_cli_check_option(tmp_path: Path) -> None:
    lo, hi = _write_csvs(tmp_path)
    runner = CliRunner()
    base = ["check", str(hi), "--limit", "fcc-15.109-b", "--distance", "3"]
    res = runner.invoke(main, [*base, "--highest-frequency", "700M", "-o", "json"])
    assert res.exit_code == 5, res.output  # INCOMPLETE: the QP line (30-1000 MHz) is unmeasured
    cap = json.loads(res.stdout)["captures"][0]
    assert {x["line"] for x in cap["not_evaluated"]} == {"QP"}
    assert cap["limits"][0]["measurement_range"] == NOTE
    assert cap["settings"]["highest_frequency_hz"] == 700e6
    res = runner.invoke(main, [*base, "--highest-frequency", "1.2G"])
    assert (
        "measurement range to 6000 MHz per 47 CFR 15.33(b)(1) (highest frequency 1200 MHz)"
        in res.stdout
    )
    combined = ["check", str(lo), str(hi), "--combine", *base[2:], "-o", "json"]
    res = runner.invoke(main, [*combined, "--highest-frequency", "700e6"])
    assert json.loads(res.stdout)["captures"][0]["coverage"] == "complete"
    res = runner.invoke(main, [*combined, "--highest-frequency", "150k"])  # -> 30 MHz
    assert json.loads(res.stdout)["captures"][0]["coverage"] == "complete"
    assert json.loads(res.stdout)["captures"][0]["coverage"] == "complete"
    res = runner.invoke(main, [*base, "-o", "json"])
    assert json.loads(res.stdout)["captures"][0]["coverage"] == "partial"
    for bad in ("0", "-5M", "fast", "700m"):
        res = runner.invoke(main, [*base, "--highest-frequency", bad])
        assert res.exit_code == 2, (bad, res.output)


def test_cli_batch_option(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    _write_csvs(src)
    runner = CliRunner()
    args = [
        "batch",
        str(src),
        "--limit",
        "fcc-15.109-b",
        "--distance",
        "3",
        "--report",
        "json",
        "-q",
        "-o",
        "json",
    ]
    res = runner.invoke(main, [*args, "--out", str(tmp_path / "a"), "--highest-frequency", "700M"])
    assert res.exit_code == 5, res.output  # the 1-6 GHz file leaves the QP line unmeasured
    doc = json.loads((tmp_path / "a" / "summary.json").read_text())
    rows = {Path(r["path"]).name: r for r in doc["rows"]}
    assert rows["rig_1G-6G.csv"]["coverage"] == "partial"  # QP 30-1000 MHz not covered
    assert rows["rig_1G-6G.csv"]["verdict"] == "INCOMPLETE"
    reports = list((tmp_path / "a").rglob("*1G-6G*.json"))
    cap = json.loads(reports[0].read_text())["captures"][0]
    assert {x["line"] for x in cap["not_evaluated"]} == {"QP"}
    res = runner.invoke(main, [*args, "--out", str(tmp_path / "b")])
    reports = list((tmp_path / "b").rglob("*1G-6G*.json"))
    cap = json.loads(reports[0].read_text())["captures"][0]
    assert {x["line"] for x in cap["not_evaluated"]} == {"QP", "AV", "PK"}


def _setup(tmp: Path, dut: str, check: str = "", rule: str = "") -> Path:
    p = tmp / "setup.toml"
    p.write_text(
        f"[dut]\n{dut}\n[check]\n{check}\n" + (f'[[rule]]\nmatch = "x/*"\n{rule}\n' if rule else "")
    )
    return p


def test_setup_field(tmp_path: Path) -> None:
    s = load_setup(_setup(tmp_path, "highest_internal_frequency_hz = 700e6"))
    assert s.check.highest_frequency_hz == 700e6
    assert s.settings_for("x/a.csv").highest_frequency_hz == 700e6
    s = load_setup(
        _setup(
            tmp_path,
            "highest_internal_frequency_hz = 700e6",
            "highest_frequency_hz = 1.2e9",
            "highest_frequency_hz = 50e6",
        )
    )
    assert s.check.highest_frequency_hz == 1.2e9  # [check] wins over [dut]
    assert s.settings_for("x/a.csv").highest_frequency_hz == 50e6  # a matching rule wins
    assert s.settings_for("y/a.csv").highest_frequency_hz == 1.2e9
    assert load_setup(_setup(tmp_path, 'model = "m"')).check.highest_frequency_hz is None
    assert (
        load_setup(
            _setup(tmp_path, 'highest_internal_frequency_hz = "700e6"')
        ).check.highest_frequency_hz
        == 700e6
    )
    for bad in ('"700 MHz"', "0", "-1.0", "true"):
        with pytest.raises(SetupFileError, match="highest"):
            load_setup(_setup(tmp_path, f"highest_internal_frequency_hz = {bad}"))
    with pytest.raises(SetupFileError, match="highest"):
        load_setup(_setup(tmp_path, "", "highest_frequency_hz = 0"))
    # 700 for 700 MHz: below 9 kHz no device is an unintentional radiator (47 CFR 15.3); taken
    # as stated it would require no radiated range at all (a conducted-only PASS)
    for bad in ("700", "8999.9"):
        with pytest.raises(SetupFileError) as info:
            load_setup(_setup(tmp_path, f"highest_internal_frequency_hz = {bad}"))
        assert "is below 9 kHz, where a device generates no radio frequency energy" in str(
            info.value
        )
        assert str(info.value).endswith("the value is in Hz (700 MHz is 700e6)")
    with pytest.raises(SetupFileError, match="below 9 kHz"):
        load_setup(_setup(tmp_path, "", "highest_frequency_hz = 20"))
    assert load_setup(
        _setup(tmp_path, "highest_internal_frequency_hz = 9e3")
    ).check.highest_frequency_hz == pytest.approx(9e3)
    # the CLI option overrides the setup
    lo, hi = _write_csvs(tmp_path)
    setup = _setup(
        tmp_path,
        "highest_internal_frequency_hz = 700e6",
        'limits = ["fcc-15.109-b"]\ndistance_m = 3.0',
    )
    runner = CliRunner()
    res = runner.invoke(main, ["check", str(hi), "--setup", str(setup), "-o", "json"])
    assert json.loads(res.stdout)["captures"][0]["limits"][0]["measurement_range"] == NOTE
    # (the 1-6 GHz file lies wholly beyond the 1000 MHz upper frequency: judged there for
    # readings over the limit only, the 30-1000 MHz QP line not measured: INCOMPLETE, exit 5)
    res = runner.invoke(
        main, ["check", str(hi), "--setup", str(setup), "--highest-frequency", "100M"]
    )
    assert res.exit_code == 5, res.output
    assert "not measured: fcc-15.109-b QP 30-1000 MHz" in res.output
    res = runner.invoke(
        main, ["check", str(lo), "--setup", str(setup), "--highest-frequency", "100M"]
    )
    assert (
        "measurement range to 1000 MHz per 47 CFR 15.33(b)(1) (highest frequency 100 MHz)"
        in res.stdout
    )


def test_reports_state_the_range(tmp_path: Path) -> None:
    _lo, hi = _write_csvs(tmp_path)
    out = tmp_path / "rep"
    res = CliRunner().invoke(
        main,
        [
            "check",
            str(hi),
            "--limit",
            "fcc-15.109-b",
            "--distance",
            "3",
            "--highest-frequency",
            "700M",
            "--report",
            "html",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 5, res.output
    assert NOTE in res.stdout
    assert NOTE in next(out.glob("*.html")).read_text(encoding="utf-8")
