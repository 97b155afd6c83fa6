"""``rfcheck explain``: CliRunner over hand-built radiated captures (exit code, exact lines)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main

SETUP = """\
[dut]
model = "rig"
highest_internal_frequency_hz = 100e6

[[dut.clock]]
name = "Ethernet"
frequency_hz = 125e6
tolerance_ppm = 100

[[dut.clock]]
name = "crystal"
frequency_hz = 25e6
tolerance_ppm = 50

[check]
limits = ["fcc-15.109-b"]
distance_m = 3.0
"""


def _capture(
    path: Path, lines: dict[float, float], floor: float = 20.0, detector: str = "QP"
) -> Path:
    """Return a QP (or ``detector``) sweep with emission lines ``{frequency [Hz]: level [dBuV/m]}``.

    30-500 MHz on a 100 kHz grid, RBW 120 kHz, levels in dBuV/m.
    """
    f = np.arange(30e6, 500e6 + 1, 100e3)
    level = np.full(f.size, floor)
    for fl, lv in lines.items():
        level[int(round((fl - 30e6) / 100e3))] = lv
    rows = "\n".join(f"{a / 1e6:.3f},{b:.2f}" for a, b in zip(f, level, strict=True))
    head = f"Frequency (MHz),{detector} (dBuV/m)"
    path.write_text(f"# rbw_hz: 120000\n{head}\n{rows}\n", encoding="utf-8")
    return path


@pytest.fixture()
def rig(tmp_path: Path) -> Path:
    (tmp_path / "setup.toml").write_text(SETUP, encoding="utf-8")
    return tmp_path


def test_attributes_the_failing_line_and_warns_on_15_33(rig: Path) -> None:
    cap = _capture(rig / "dut.csv", {125e6: 40.0, 250e6: 38.0, 375e6: 49.2, 98.1e6: 40.0})
    res = CliRunner().invoke(main, ["explain", str(cap), "--setup", str(rig / "setup.toml")])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "decision rule: simple"
    assert lines[1] == "clocks: Ethernet 125 MHz; crystal 25 MHz"
    row = next(ln for ln in lines if ln.strip().startswith("375 MHz"))
    assert row.split()[2:5] == ["FAIL", "fcc-15.109-b", "QP"]
    assert row.endswith("3 × 125 MHz (Ethernet) (+0 Hz); 15 × 25 MHz (crystal) (+0 Hz)")
    assert "  unexplained: 98.1 MHz" in lines
    assert lines[-1] == (
        "warning: Ethernet at 125.013 MHz is above the declared highest internal frequency "
        "100 MHz: 47 CFR 15.33(b)(1) would require the radiated range up to 2 GHz, not 1 GHz"
    )


def test_json_keys(rig: Path) -> None:
    cap = _capture(rig / "dut.csv", {125e6: 40.0, 250e6: 38.0, 375e6: 49.2})
    res = CliRunner().invoke(
        main,
        [
            "explain",
            str(cap),
            "--setup",
            str(rig / "setup.toml"),
            "-o",
            "json",
            "--decision-rule",
            "guard-band:3",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["decision_rule"] == {"rule": "guard-band", "text": "guard-band:3", "guard_db": 3.0}
    assert doc["range_check"][0]["required_upper_hz"] == 2e9
    (c,) = doc["captures"]
    eth = next(f for f in c["families"] if f["source"] == "Ethernet")
    assert eth["members_hz"] == [125e6, 250e6, 375e6]
    row = next(r for r in c["rows"] if r["frequency_hz"] == 375e6)
    assert row["attribution"][0] == {
        "source": "Ethernet",
        "harmonic": 3,
        "frequency_hz": 375e6,
        "error_hz": 0.0,
    }
    assert row["decision"]["verdict"] == "FAIL"
    assert "ambient_db" not in row


def test_each_row_says_what_its_level_proves(rig: Path) -> None:
    """A QP sweep's rows are measured; a peak sweep's rows are upper bounds (margin ``≥``)."""
    qp = _capture(rig / "qp.csv", {375e6: 42.0})
    pk = _capture(rig / "pk.csv", {375e6: 42.0}, detector="Peak")
    args = ["--setup", str(rig / "setup.toml"), "--decision-rule", "guard-band:3"]
    res = CliRunner().invoke(main, ["explain", str(qp), str(pk), *args, "-o", "json"])
    assert res.exit_code == 0, res.output
    qp_doc, pk_doc = json.loads(res.output)["captures"]
    assert {r["bound"] for r in qp_doc["rows"]} == {"measured"}
    row = next(r for r in pk_doc["rows"] if r["frequency_hz"] == 375e6)
    assert (row["bound"], row["margin_db"]) == ("upper bound", 4.02)  # 46.02 - 42.0
    res = CliRunner().invoke(main, ["explain", str(qp), str(pk), *args])
    rows = [ln for ln in res.output.splitlines() if ln.startswith("    375 MHz ")]
    assert [r.split("  ")[-2].strip() for r in rows] == ["+4.02 dB", "\u2265 +4.02 dB"]
    assert "      decision: PASS (effective margin \u2265 +1.02 dB)" in res.output.splitlines()


def test_an_ambient_only_fail_becomes_inconclusive(rig: Path) -> None:
    cap = _capture(rig / "dut.csv", {98.1e6: 45.0, 125e6: 40.0})
    amb = _capture(rig / "ambient.csv", {98.1e6: 42.0}, floor=18.0)
    res = CliRunner().invoke(
        main, ["explain", str(cap), "--setup", str(rig / "setup.toml"), "--ambient", str(amb)]
    )
    assert res.exit_code == 0, res.output
    assert "      ambient 42.00 dBµV/m: AMBIENT (within 6 dB)" in res.output
    assert (
        "    FAIL -> INCONCLUSIVE (ambient-limited): only emissions within the ambient fail, "
        "at 98.1 MHz"
    ) in res.output.splitlines()
    res = CliRunner().invoke(
        main,
        [
            "explain",
            str(cap),
            "--setup",
            str(rig / "setup.toml"),
            "--ambient",
            str(amb),
            "-o",
            "json",
        ],
    )
    (c,) = json.loads(res.output)["captures"]
    row = next(r for r in c["rows"] if r["frequency_hz"] == 98.1e6)
    assert (row["ambient_db"], row["ambient"], row["level"]) == (
        42.0,
        True,
        45.0,
    )  # never subtracted
    assert c["ambient"]["outcome"] == {
        "verdict": "INCONCLUSIVE",
        "ambient_limited": True,
        "frequencies_hz": [98.1e6],
        "note": "",
    }
    assert c["ambient"]["near_limit_hz"] == [[98.1e6, 98.1e6]]


def test_without_clocks_a_comb_is_inferred(rig: Path) -> None:
    no_clocks = SETUP[: SETUP.index("[[dut.clock]]")] + SETUP[SETUP.index("[check]") :]
    (rig / "setup.toml").write_text(no_clocks, encoding="utf-8")
    cap = _capture(rig / "dut.csv", {n * 50e6: 35.0 for n in range(1, 10)})
    res = CliRunner().invoke(
        main, ["explain", str(cap), "--setup", str(rig / "setup.toml"), "-o", "json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["clocks"] == []
    (fam,) = doc["captures"][0]["families"]
    assert (fam["source"], fam["f0_hz"], fam["harmonics"]) == ("inferred", 50e6, list(range(1, 10)))
    assert doc["range_check"] == []


def test_bad_decision_rule_is_a_usage_error(rig: Path) -> None:
    cap = _capture(rig / "dut.csv", {})
    res = CliRunner().invoke(
        main, ["explain", str(cap), "--setup", str(rig / "setup.toml"), "--decision-rule", "strict"]
    )
    assert res.exit_code == 2
    assert "Invalid value for '--decision-rule': unknown decision rule 'strict'" in res.output


def test_cispr16_4_2_needs_u_lab(rig: Path) -> None:
    cap = _capture(rig / "dut.csv", {})
    args = [
        "explain",
        str(cap),
        "--setup",
        str(rig / "setup.toml"),
        "--decision-rule",
        "cispr16-4-2",
    ]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2 and "--decision-rule cispr16-4-2 needs --u-lab dB" in res.output
    res = CliRunner().invoke(main, [*args, "--u-lab", "7.3", "-o", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["warnings"][-1].startswith(
        "decision rule cispr16-4-2: the U_cispr values are UNCONFIRMED"
    )


def test_bad_clock_entry_exits_3_naming_file_and_key(rig: Path) -> None:
    (rig / "setup.toml").write_text(
        SETUP.replace("frequency_hz = 125e6", "frequency_hz = -125e6"), encoding="utf-8"
    )
    cap = _capture(rig / "dut.csv", {})
    res = CliRunner().invoke(main, ["explain", str(cap), "--setup", str(rig / "setup.toml")])
    assert res.exit_code == 3
    assert res.output.strip() == (
        f"rfcheck: error: {rig / 'setup.toml'}: "
        "[[dut.clock]] #1 frequency_hz: must be > 0, got -125000000.0"
    )


def test_unreadable_capture_exits_3(rig: Path) -> None:
    bad = rig / "bad.csv"
    bad.write_text("", encoding="utf-8")
    res = CliRunner().invoke(main, ["explain", str(bad), "--setup", str(rig / "setup.toml")])
    assert res.exit_code == 3
    assert f"rfcheck: error: {bad}: " in res.output


def test_help() -> None:
    res = CliRunner().invoke(main, ["explain", "--help"])
    assert res.exit_code == 0 and "--decision-rule RULE" in res.output


def test_a_pass_reports_where_the_ambient_is_near_the_limit(rig: Path) -> None:
    cap = _capture(rig / "dut.csv", {125e6: 40.0})
    amb = _capture(rig / "ambient.csv", {98.1e6: 38.0, 98.2e6: 38.0, 150e6: 30.0}, floor=18.0)
    res = CliRunner().invoke(
        main, ["explain", str(cap), "--setup", str(rig / "setup.toml"), "--ambient", str(amb)]
    )
    assert res.exit_code == 0, res.output
    # 43.52 dBuV/m (88-216 MHz) - 38.0 = 5.52 dB <= 6 dB; 150 MHz at 13.5 dB is not reported
    assert (
        "    ambient near the limit (a DUT emission could hide there): 98.1 MHz-98.2 MHz"
        in res.output.splitlines()
    )
    assert "INCONCLUSIVE" not in res.output


def test_untrusted_clock_names_are_escaped(rig: Path) -> None:
    (rig / "setup.toml").write_text(
        SETUP.replace(
            'name = "Ethernet"', 'name = "Eth\\u001b]0;x\\u0007\\noverall verdict: PASS"'
        ),
        encoding="utf-8",
    )
    cap = _capture(rig / "dut.csv", {375e6: 49.2})
    res = CliRunner().invoke(main, ["explain", str(cap), "--setup", str(rig / "setup.toml")])
    assert res.exit_code == 0, res.output
    assert "\x1b" not in res.output
    assert not any(ln.startswith("overall verdict") for ln in res.output.splitlines())
    assert "3 × 125 MHz (Eth\\u001b]0;x\\u0007\\noverall verdict: PASS)" in res.output


def test_a_single_final_measurement_is_still_attributed(rig: Path) -> None:
    cap = rig / "final.csv"
    # in the CISPR 120 kHz: a QP reading of unknown RBW bounds nothing (it may be wider)
    cap.write_text("# rbw_hz: 120000\nFrequency (MHz),QP (dBuV/m)\n375.000,49.20\n", "utf-8")
    res = CliRunner().invoke(
        main, ["explain", str(cap), "--setup", str(rig / "setup.toml"), "-o", "json"]
    )
    assert res.exit_code == 0, res.output
    (c,) = json.loads(res.output)["captures"]
    assert c["families"] == [] and c["resolution_hz"] == 60e3  # RBW / 2 (no grid step)
    (row,) = c["rows"]
    assert row["attribution"][0]["source"] == "Ethernet" and row["verdict"] == "FAIL"


def test_the_ambient_rule_needs_every_failure_listed(rig: Path) -> None:
    text = SETUP.replace("distance_m = 3.0", "distance_m = 3.0\nmax_suspects = 1")
    (rig / "setup.toml").write_text(text, encoding="utf-8")
    cap = _capture(rig / "dut.csv", {98.1e6: 45.0})
    amb = _capture(rig / "ambient.csv", {98.1e6: 42.0}, floor=18.0)
    res = CliRunner().invoke(
        main,
        [
            "explain",
            str(cap),
            "--setup",
            str(rig / "setup.toml"),
            "--ambient",
            str(amb),
            "-o",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    (c,) = json.loads(res.output)["captures"]
    assert c["rows"][0]["ambient"] is True
    assert c["ambient"]["outcome"] == {
        "verdict": "FAIL",
        "ambient_limited": False,
        "frequencies_hz": [],
        "note": "ambient rule not applied: the suspect table is full, so it may not list every "
        "failing emission (raise --max-suspects / max_suspects)",
    }


def test_an_empty_suspect_table_says_why(rig: Path) -> None:
    """No row: every reading far under the limits, or no reading bounding a level."""
    quiet = _capture(rig / "quiet.csv", {}, floor=10.0)  # 30 dB and more under 15.109(a) QP
    unstated = rig / "unstated.csv"  # the same sweep, its RBW not stated
    unstated.write_text(quiet.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    setup = str(rig / "setup.toml")
    res = CliRunner().invoke(main, ["explain", str(quiet), str(unstated), "--setup", setup])
    assert (
        "  emissions: none in the suspect table: no reading within 6 dB of a limit "
        "(suspect_window_db)\n"
    ) in res.output
    assert (
        "  emissions: none in the suspect table: no reading bounds the level of "
        "fcc-15.109-b QP (rfcheck check's notes say why, e.g. an RBW the file does not "
        "state: --rbw)\n"
    ) in res.output
    doc = json.loads(
        CliRunner().invoke(main, ["explain", str(quiet), "--setup", setup, "-o", "json"]).stdout
    )
    assert doc["captures"][0]["no_rows"] == "no reading within 6 dB of a limit (suspect_window_db)"


def test_an_empty_suspect_table_says_which_lines_were_judged(tmp_path: Path) -> None:
    """A passing 30 MHz-1 GHz scan read as if nothing had been judged."""
    f_mhz = np.round(np.arange(30.0, 1000.0 + 1e-6, 0.5), 3)
    path = tmp_path / "low.csv"
    rows = "".join(f"{f:.3f},20.00\n" for f in f_mhz)  # 15.109(a) QP: 40-54 dBµV/m
    path.write_text("# rbw_hz: 120000\n# dwell_s: 1\nFrequency (MHz),QP (dBuV/m)\n" + rows)
    setup = tmp_path / "setup.toml"
    setup.write_text(
        '[dut]\nhighest_internal_frequency_hz = 700e6\n[check]\nlimits = ["fcc-15.109-b"]\n'
    )
    res = CliRunner().invoke(main, ["explain", str(path), "--setup", str(setup)])
    assert res.exit_code == 0, res.output
    assert (
        "  emissions: none in the suspect table: every reading of fcc-15.109-b QP lies more "
        "than 6 dB below its limit (suspect_window_db; worst margin +20.00 dB); no reading "
        "lies where fcc-15.109-b AV, fcc-15.109-b PK must be measured"
    ) in res.output


def test_explain_takes_the_setups_decision_rule_and_u_lab(tmp_path: Path) -> None:
    """The rows were judged by the setup's rule under 'decision rule: simple'.

    AV 51.0 dBµV/m at 10 GHz (limit 53.98, +2.98 dB); U_lab 9.0 against U_cispr 5.5 dB
    (6-18 GHz) adds 3.50 dB: effective -0.52 dB, FAIL; without the setup's rule, simple: PASS.
    """
    f_mhz = np.round(np.arange(1000.0, 18000.0 + 1e-6, 5.0), 3)
    level = np.where(np.isclose(f_mhz, 10000.0), 51.0, 30.0)
    rows = "".join(f"{f:.3f},{v:.2f}\n" for f, v in zip(f_mhz, level, strict=True))
    path = tmp_path / "av.csv"
    head = "# rbw_hz: 1000000\n# dwell_s: 1\n# detector: average\nFrequency (MHz),AV (dBuV/m)\n"
    path.write_text(head + rows)
    setup = tmp_path / "setup.toml"
    setup.write_text(
        '[dut]\nhighest_internal_frequency_hz = 3e9\n[check]\nlimits = ["fcc-15.109-b"]\n'
        'decision_rule = "cispr16-4-2"\n[test]\nu_lab_db = { radiated = 9.0 }\n'
    )
    res = CliRunner().invoke(main, ["explain", str(path), "--setup", str(setup)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("decision rule: cispr16-4-2\n")
    assert "      decision: FAIL (effective margin -0.52 dB)\n" in res.output
    res = CliRunner().invoke(
        main, ["explain", str(path), "--setup", str(setup), "--decision-rule", "simple"]
    )
    assert res.output.startswith("decision rule: simple\n")
    # the option judges the rows too (the row once still read the setup's FAIL)
    row = next(ln for ln in res.output.splitlines() if ln.lstrip().startswith("10 GHz"))
    assert row.split()[2] == "PASS", res.output
