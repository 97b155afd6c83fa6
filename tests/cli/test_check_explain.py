"""``rfcheck check`` with the explanation wired in (issue 14).

Each decision rule on margins around the limit, the ambient flag at its threshold
+-0.01 dB and the ambient-limited verdict, attribution in the JSON, and the setup keys
([[dut.clock]], [test] u_lab_db, decision_rule, [[rule]] role).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from rfcheck.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
LIMIT = "fcc-15.107-b"  # QP 56 dBµV and AV 46 dBµV flat over 0.5-5 MHz (47 CFR 15.107(a))
SPIKE_MHZ = 1.0


def _capture(path: Path, qp_at_spike: float, background: float = 30.0) -> Path:
    """Write a conducted sweep 150 kHz-30 MHz with one QP point at 1 MHz.

    QP flat at ``background`` with the point at 1 MHz reading ``qp_at_spike``;
    CISPR-average 20 dBµV flat (AV always passes).
    """
    f = np.unique(np.round(np.concatenate([np.arange(0.15, 30.0 + 1e-9, 0.005), [SPIKE_MHZ]]), 6))
    qp = np.where(f == SPIKE_MHZ, qp_at_spike, background)
    lines = ["# rbw_hz: 9000", "# detector: average", "Frequency (MHz),QP (dBuV),AVG (dBuV)"]
    lines += [f"{a:.6f},{b:.2f},20.00" for a, b in zip(f, qp, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def _json(res: Result) -> dict:  # type: ignore[type-arg]
    return json.loads(res.stdout)  # type: ignore[no-any-return]


# --- decision rules ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("level", "verdict", "code"),
    [(55.99, "PASS", 0), (56.0, "PASS", 0), (56.01, "FAIL", 1)],
)
def test_simple_rule_compares_the_level_with_the_limit(
    tmp_path: Path, level: float, verdict: str, code: int
) -> None:
    cap = _capture(tmp_path / "c.csv", level)
    res = _check(str(cap), "--limit", LIMIT, "--decision-rule", "simple", "-o", "json")
    assert res.exit_code == code, res.output
    doc = _json(res)
    assert doc["verdict"] == verdict
    assert doc["decision_rule"] == {"rule": "simple", "text": "simple"}


def test_simple_rule_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue time is not compared: two runs can fall in different seconds.

    The second run is issued one second later on purpose, so the race is always there.
    """
    cap = _capture(tmp_path / "c.csv", 56.01)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    plain = _json(_check(str(cap), "--limit", LIMIT, "-o", "json"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547201")
    simple = _json(_check(str(cap), "--limit", LIMIT, "--decision-rule", "simple", "-o", "json"))
    assert plain["issued_utc"] != simple["issued_utc"]
    for doc in (plain, simple):
        doc.pop("command")
        doc.pop("issued_utc")
    assert plain == simple


@pytest.mark.parametrize(
    ("level", "verdict", "code"),
    [
        (53.99, "PASS", 0),  # limit - guard - 0.01
        (54.0, "PASS", 0),  # at limit - guard: PASS
        (54.01, "INCONCLUSIVE", 4),  # inside the guard band
        (56.01, "INCONCLUSIVE", 4),  # over the limit, not over limit + guard
        (58.0, "INCONCLUSIVE", 4),  # at limit + guard: not above
        (58.01, "FAIL", 1),
    ],
)
def test_guard_band_rule(tmp_path: Path, level: float, verdict: str, code: int) -> None:
    cap = _capture(tmp_path / "c.csv", level)
    res = _check(str(cap), "--limit", LIMIT, "--decision-rule", "guard-band:2", "-o", "json")
    assert res.exit_code == code, res.output
    doc = _json(res)
    assert doc["verdict"] == verdict
    assert doc["decision_rule"] == {"rule": "guard-band", "text": "guard-band:2", "guard_db": 2.0}
    (qp,) = [c for c in doc["captures"][0]["checks"] if c["line"] == "QP"]
    assert qp["verdict"] == verdict
    assert qp["worst_margin_db"] == round(56.0 - level, 2)  # margins stay as measured


def _setup(tmp_path: Path, extra: str) -> Path:
    p = tmp_path / "setup.toml"
    p.write_text(f'[check]\nlimits = ["{LIMIT}"]\n{extra}', encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("u_lab", "level", "verdict", "code"),
    [
        # U_cispr 150 kHz-30 MHz conducted = 3.4 dB (UNCONFIRMED): U_lab 5.0 adds 1.6 dB
        (5.0, 54.4, "PASS", 0),
        (5.0, 54.41, "FAIL", 1),
        # U_lab at or below U_cispr adds nothing: the simple comparison
        (3.0, 56.0, "PASS", 0),
        (3.0, 56.01, "FAIL", 1),
    ],
)
def test_cispr16_4_2_rule_adds_the_excess_uncertainty(
    tmp_path: Path, u_lab: float, level: float, verdict: str, code: int
) -> None:
    cap = _capture(tmp_path / "c.csv", level)
    setup = _setup(
        tmp_path, f'decision_rule = "cispr16-4-2"\n[test]\nu_lab_db = {{ conducted = {u_lab} }}\n'
    )
    res = _check(str(cap), "--setup", str(setup), "-o", "json")
    assert res.exit_code == code, res.output
    doc = _json(res)
    assert doc["verdict"] == verdict
    assert doc["decision_rule"]["rule"] == "cispr16-4-2"
    assert any("UNCONFIRMED" in w for w in doc["warnings"])


def test_one_u_lab_number_serves_every_port(tmp_path: Path) -> None:
    # README and docs/explain.md: "[test] u_lab_db ... one number or one per port"; the
    # record's parser once refused it ("expected a table of port = dB")
    cap = _capture(tmp_path / "c.csv", 55.0)  # QP margin +1.00; 4.9 - 3.4 adds 1.50 dB
    setup = _setup(tmp_path, 'decision_rule = "cispr16-4-2"\n[test]\nu_lab_db = 4.9\n')
    res = _check(str(cap), "--setup", str(setup))
    assert res.exit_code == 1, res.output
    assert "      decision rule: rule shift +1.50 dB, effective margin -0.50 dB" in res.stdout


def test_the_rules_shift_and_effective_margin_are_shown_beside_the_margin(tmp_path: Path) -> None:
    # "AV FAIL +3.42 dB" without the shift; U_lab 5.0 - U_cispr 3.4 = +1.60 dB
    cap = _capture(tmp_path / "c.csv", 55.0)  # QP margin +1.00 dB, effective -0.60 dB: FAIL
    setup = _setup(
        tmp_path, 'decision_rule = "cispr16-4-2"\n[test]\nu_lab_db = { conducted = 5.0 }\n'
    )
    res = _check(str(cap), "--setup", str(setup))
    assert res.exit_code == 1, res.output
    lines = res.stdout.splitlines()
    row = next(i for i, x in enumerate(lines) if x.startswith("   fcc-15.107-b            QP"))
    assert "FAIL          +1.00 dB" in lines[row]
    assert lines[row + 1] == "      decision rule: rule shift +1.60 dB, effective margin -0.60 dB"
    (qp,) = [
        c
        for c in _json(_check(str(cap), "--setup", str(setup), "-o", "json"))["captures"][0][
            "checks"
        ]
        if c["line"] == "QP"
    ]
    assert (qp["worst_margin_db"], qp["rule_shift_db"], qp["effective_margin_db"]) == (
        1.0,
        1.6,
        -0.6,
    )


def test_the_guard_band_shift_is_shown_and_simple_shows_none(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "c.csv", 55.0)
    res = _check(str(cap), "--limit", LIMIT, "--decision-rule", "guard-band:2")
    assert "      decision rule: rule shift +2.00 dB, effective margin -1.00 dB" in res.stdout
    plain = _check(str(cap), "--limit", LIMIT, "-o", "json")
    (qp,) = [c for c in _json(plain)["captures"][0]["checks"] if c["line"] == "QP"]
    assert "effective_margin_db" not in qp and "rule_shift_db" not in qp
    assert "decision rule: rule shift" not in _check(str(cap), "--limit", LIMIT).stdout


def test_the_verdict_summary_carries_the_effective_margin(tmp_path: Path) -> None:
    from rfcheck.analysis import run_check
    from rfcheck.report._verdict_text import verdict_summary
    from rfcheck.settings import CheckSettings

    cap = _capture(tmp_path / "c.csv", 55.0)
    run = run_check([cap], CheckSettings(limit_ids=(LIMIT,), decision_rule="guard-band:2"))
    assert verdict_summary(run.captures[0])[0] == (
        "Worst margin +1.00 dB at 1.00000 MHz against fcc-15.107-b QP (measured); rule shift "
        "+2.00 dB, effective margin -1.00 dB under the decision rule."
    )


def test_cispr16_4_2_without_u_lab_is_a_usage_error(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "c.csv", 50.0)
    res = _check(str(cap), "--limit", LIMIT, "--decision-rule", "cispr16-4-2")
    assert res.exit_code == 2
    assert (
        "--decision-rule cispr16-4-2 needs the lab's U_lab: add [test] u_lab_db to the setup"
        in res.stderr
    )


def test_an_unknown_decision_rule_is_a_usage_error(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "c.csv", 50.0)
    res = _check(str(cap), "--limit", LIMIT, "--decision-rule", "lenient")
    assert res.exit_code == 2
    assert "unknown decision rule 'lenient'" in res.stderr


def test_the_rule_in_force_is_printed_on_the_text_report(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "c.csv", 50.0)
    res = _check(str(cap), "--limit", LIMIT, "--decision-rule", "guard-band:1.5")
    assert res.stdout.splitlines()[1] == (
        "decision rule: guard-band:1.5 (ILAC G8 guard band: PASS at or below limit - 1.5 dB, "
        "FAIL above limit + 1.5 dB, INCONCLUSIVE in between)"
    )


# --- ambient -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ambient_db", "flagged", "verdict", "code"),
    [
        (52.01, True, "INCONCLUSIVE", 4),  # 58 - 52.01 = 5.99 dB above the ambient
        (52.0, True, "INCONCLUSIVE", 4),  # 6.00 dB: at the threshold, flagged
        (51.99, False, "FAIL", 1),  # 6.01 dB: the DUT's
    ],
)
def test_a_fail_only_on_ambient_is_inconclusive(
    tmp_path: Path, ambient_db: float, flagged: bool, verdict: str, code: int
) -> None:
    cap = _capture(tmp_path / "dut.csv", 58.0)
    amb = _capture(tmp_path / "ambient.csv", ambient_db, background=20.0)
    res = _check(str(cap), "--limit", LIMIT, "--ambient", str(amb), "-o", "json")
    assert res.exit_code == code, res.output
    doc = _json(res)
    c = doc["captures"][0]
    assert c["verdict"] == doc["verdict"] == verdict
    row = next(s for s in c["suspects"] if s["frequency_hz"] == SPIKE_MHZ * 1e6)
    assert row["level"] == 58.0 and row["margin_db"] == -2.0  # never subtracted
    assert row["ambient_db"] == ambient_db
    assert row["ambient"] is flagged
    assert c["ambient"]["outcome"]["ambient_limited"] is flagged
    assert c["ambient"]["outcome"]["frequencies_hz"] == ([SPIKE_MHZ * 1e6] if flagged else [])


def test_the_ambient_limited_verdict_is_explained(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "dut.csv", 58.0)
    amb = _capture(tmp_path / "ambient.csv", 55.0, background=20.0)
    res = _check(str(cap), "--limit", LIMIT, "--ambient", str(amb))
    assert res.exit_code == 4
    assert (
        "   note: ambient-limited: every failing emission (1 MHz) is within 6 dB of the ambient "
        "capture: INCONCLUSIVE, not FAIL (measure with less ambient)"
    ) in res.stdout.splitlines()
    row = next(line for line in res.stdout.splitlines() if " 58.00 " in line)
    assert row.endswith("fcc-15.107-b QP      ambient")  # the row's source column


def test_the_ambient_threshold_is_an_option(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "dut.csv", 58.0)
    amb = _capture(tmp_path / "ambient.csv", 49.0, background=20.0)
    assert _check(str(cap), "--limit", LIMIT, "--ambient", str(amb)).exit_code == 1
    res = _check(str(cap), "--limit", LIMIT, "--ambient", str(amb), "--ambient-threshold", "9")
    assert res.exit_code == 4


def test_a_setup_rule_with_role_ambient_marks_the_ambient(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "dut.csv", 58.0)
    amb = _capture(tmp_path / "ambient.csv", 55.0, background=20.0)
    setup = _setup(tmp_path, '[[rule]]\nmatch = "ambient*"\nrole = "ambient"\n')
    res = _check(str(cap), str(amb), "--setup", str(setup), "-o", "json")
    assert res.exit_code == 4, res.output
    doc = _json(res)
    assert [c["path"] for c in doc["captures"]] == [str(cap)]
    assert doc["captures"][0]["ambient"]["path"] == str(amb)


def test_an_unreadable_ambient_is_an_input_error(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "dut.csv", 58.0)
    res = _check(str(cap), "--limit", LIMIT, "--ambient", str(tmp_path / "missing.csv"))
    assert res.exit_code == 3
    assert res.stderr == f"rfcheck: error: ambient {tmp_path / 'missing.csv'}: no such file\n"


def test_without_an_ambient_rows_have_no_ambient_key(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "dut.csv", 58.0)
    row = _json(_check(str(cap), "--limit", LIMIT, "-o", "json"))["captures"][0]["suspects"][0]
    assert "ambient_db" not in row and row["attribution"] == []


# --- attribution, families, 15.33(b)(1) -----------------------------------------------------
def test_the_sample_rig_375_mhz_fail_is_attributed_in_check_json() -> None:
    res = _check(
        str(SAMPLES / "radiated/rig_3m_V_30M-1G_rs.DAT"),
        "--setup",
        str(SAMPLES / "rig-setup.toml"),
        "-o",
        "json",
    )
    assert res.exit_code == 1, res.output
    doc = _json(res)
    fail = next(s for s in doc["captures"][0]["suspects"] if s["verdict"] == "FAIL")
    assert fail["frequency_hz"] == 375e6
    assert fail["attribution"][:2] == [
        {"source": "Ethernet", "harmonic": 3, "frequency_hz": 375e6, "error_hz": 0.0},
        {"source": "hash-board crystal", "harmonic": 15, "frequency_hz": 375e6, "error_hz": 0.0},
    ]
    fams = {(f["source"], f["f0_hz"]) for f in doc["captures"][0]["families"]}
    assert ("Ethernet", 125e6) in fams and ("hash-board crystal", 25e6) in fams
    assert doc["families"][0]["path"] == doc["captures"][0]["path"]
    assert doc["warnings"] == []  # every clock at or below the declared 700 MHz


def test_a_clock_above_the_declared_highest_frequency_warns(tmp_path: Path) -> None:
    cap = _capture(tmp_path / "c.csv", 50.0)
    setup = _setup(
        tmp_path,
        (
            "[dut]\nhighest_internal_frequency_hz = 100e6\n"
            '[[dut.clock]]\nname = "Ethernet"\nfrequency_hz = 125e6\ntolerance_ppm = 100\n'
        ),
    )
    doc = _json(_check(str(cap), "--setup", str(setup), "-o", "json"))
    assert doc["warnings"] == [
        "Ethernet at 125.013 MHz is above the declared highest internal frequency 100 MHz: "
        "47 CFR 15.33(b)(1) would require the radiated range up to 2 GHz, not 1 GHz"
    ]


# --- setup keys ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[[dut.clock]]\nname = "X"\nfrequency_hz = -1.0\n',
            "[[dut.clock]] #1 frequency_hz: must be > 0, got -1.0",
        ),
        ("[test]\nu_lab_db = -1.0\n", "[test] u_lab_db: must be > 0 dB, got -1.0"),
        ('[test]\nu_lab_db = { radiated = "5" }\n', "[test] u_lab_db radiated: expected a number"),
        (
            '[[rule]]\nmatch = "*"\nrole = "dut-off"\n',
            "[[rule]] #1 role: expected one of ['ambient'], got 'dut-off'",
        ),
        ('decision_rule = "lenient"\n', "[check] decision_rule: unknown decision rule 'lenient'"),
    ],
)
def test_bad_setup_entries_are_setup_errors(tmp_path: Path, extra: str, message: str) -> None:
    cap = _capture(tmp_path / "c.csv", 50.0)
    if extra.startswith("decision_rule"):
        setup = _setup(tmp_path, extra)
    else:
        setup = tmp_path / "setup.toml"
        setup.write_text(
            f'{extra}[check]\nlimits = ["{LIMIT}"]\n'
            if not extra.startswith("[[rule]]")
            else f'[check]\nlimits = ["{LIMIT}"]\n{extra}',
            encoding="utf-8",
        )
    res = _check(str(cap), "--setup", str(setup))
    assert res.exit_code == 3, res.output
    assert message in res.stderr
    assert res.stderr.count("\n") == 1
