"""Readings beyond the range 47 CFR 15.33(b)(1) requires: a FAIL there counts, nothing else.

The highest internal frequency sets the upper frequency of the radiated measurement
(15.33(b)(1): 1.705-108 MHz -> 1000 MHz). A reading above it may add a FAIL (a measured
exceedance is a fact) but never asks for a measurement nor makes a line INCONCLUSIVE or
INCOMPLETE. Hand figures: 15.109(a) Class B at 3 m, QP 100 µV/m = 40.00
dBµV/m over 30-88 MHz; above 1 GHz AV 500 µV/m = 53.98 dBµV/m and PK = AV + 20 = 73.98.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main


def _scan(path: Path, last_dbuv_m: float) -> Path:
    """Write a QP scan, 120 kHz RBW, 30 MHz-1000.02 MHz in 60 kHz steps at 10 dBµV/m.

    The receiver's last step lands at 1000.02 MHz, past the 1000 MHz upper frequency; it
    reads ``last_dbuv_m``.
    """
    f_mhz = np.round(np.arange(30.0, 1000.02 + 1e-6, 0.06), 6)
    level = np.full(f_mhz.shape, 10.0)
    level[-1] = last_dbuv_m
    rows = "".join(f"{f:.6f},{v:.2f}\n" for f, v in zip(f_mhz, level, strict=True))
    path.write_text("# rbw_hz: 120000\n# dwell_s: 1\nFrequency (MHz),QP (dBuV/m)\n" + rows)
    return path


def _check(path: Path) -> tuple[int, dict[str, Any]]:
    args = [str(path), "--limit", "fcc-15.109-b", "--highest-frequency", "100M", "-o", "json"]
    res = CliRunner().invoke(main, ["check", *args], catch_exceptions=False)
    return res.exit_code, json.loads(res.stdout)


def test_a_passing_point_past_the_upper_frequency_asks_for_nothing(tmp_path: Path) -> None:
    """The 1000.02 MHz point reads 0 dBµV/m: PASS, exit 0 (was INCONCLUSIVE, exit 4).

    QP: 40.00 - 10.00 = +30.00 dB, first at 30 MHz. The AV and PK lines start above 1 GHz,
    where nothing is required: they are left out, and a note says what was measured there.
    """
    code, doc = _check(_scan(tmp_path / "r1.csv", 0.0))
    (cap,) = doc["captures"]
    assert (code, cap["verdict"]) == (0, "PASS")
    checks = [(c["line"], c["verdict"], c["worst_margin_db"]) for c in cap["checks"]]
    assert checks == [("QP", "PASS", 30.0)]
    assert all(c["needs_ranges_hz"] == [] for c in cap["checks"])
    notes = [w for w in cap["warnings"] if "beyond the required range" in w]
    assert notes == [
        f"fcc-15.109-b {line}: measured beyond the required range: 1000-1000.08 MHz, not "
        "required by 47 CFR 15.33(b)(1) (required up to 1000 MHz); judged there only for "
        "readings over the limit: none"
        for line in ("AV", "PK")
    ]


def test_a_failing_point_past_the_upper_frequency_still_fails(tmp_path: Path) -> None:
    """The 1000.02 MHz point reads 80 dBµV/m: a QP reading is a lower bound on the peak.

    PK: 73.98 - 80 = -6.02 dB (a lower bound over the limit: FAIL), exit 1. On the AV line a
    QP reading is an upper bound only (and at 120 kHz not even that): no FAIL there, no need.
    The output says the failing reading lies beyond the required range.
    """
    code, doc = _check(_scan(tmp_path / "r1f.csv", 80.0))
    (cap,) = doc["captures"]
    assert (code, cap["verdict"]) == (1, "FAIL")
    checks = {c["line"]: c for c in cap["checks"]}
    assert sorted(checks) == ["PK", "QP"]
    pk = checks["PK"]
    assert (pk["verdict"], pk["worst_margin_db"], pk["worst_frequency_hz"]) == (
        "FAIL",
        -6.02,
        1000.02e6,
    )
    assert pk["worst_bound"] == "lower bound"
    assert any(
        s["line"] == "PK" and s["verdict"] == "FAIL" and s["frequency_hz"] == 1000.02e6
        for s in cap["suspects"]
    )
    assert (
        "fcc-15.109-b PK: reading over the limit beyond the required range, at 1000.02 MHz "
        "(margin -6.02 dB): the line is required only up to 1000 MHz (47 CFR 15.33(b)(1)), "
        "but a reading over the limit is judged all the same"
    ) in cap["warnings"]


def _beyond_scan(path: Path, peak_dbuv_m: float) -> Path:
    """Write a 1-6 GHz peak scan, 1 MHz RBW, 30 dBµV/m floor, ``peak_dbuv_m`` at 5000.5 MHz."""
    f_mhz = np.round(np.arange(1000.0, 6000.5 + 1e-6, 0.5), 3)
    level = np.full(f_mhz.shape, 30.0)
    level[np.argmin(np.abs(f_mhz - 5000.5))] = peak_dbuv_m
    rows = "".join(f"{f:.3f},{v:.2f}\n" for f, v in zip(f_mhz, level, strict=True))
    path.write_text("# rbw_hz: 1000000\n# dwell_s: 1\nFrequency (MHz),Peak (dBuV/m)\n" + rows)
    return path


def test_a_scan_wholly_beyond_the_range_reads_as_the_dossier_reads_it(tmp_path: Path) -> None:
    """Passing, it was refused (exit 2, 'covers none'); failing, it FAILed.

    Highest frequency 100 MHz: required up to 1000 MHz, so nothing of the scan is required.
    Passing (60 dBµV/m, PK 73.98 - 60 = +13.98): the QP line 30-1000 MHz is not measured,
    INCOMPLETE, exit 5. Failing (75 dBµV/m): PK 73.98 - 75 = -1.02 dB, FAIL, exit 1.
    """
    code, doc = _check(_beyond_scan(tmp_path / "pass.csv", 60.0))
    (cap,) = doc["captures"]
    assert (code, cap["verdict"]) == (5, "INCOMPLETE")
    assert [(c["line"], c["verdict"]) for c in cap["checks"]] == [("QP", "INCOMPLETE")]
    assert any("PK: measured beyond the required range" in w for w in cap["warnings"])
    code, doc = _check(_beyond_scan(tmp_path / "fail.csv", 75.0))
    (cap,) = doc["captures"]
    assert (code, cap["verdict"]) == (1, "FAIL")
    pk = next(c for c in cap["checks"] if c["line"] == "PK")
    assert (pk["verdict"], pk["worst_margin_db"], pk["worst_frequency_hz"]) == (
        "FAIL",
        -1.02,
        5000.5e6,
    )


def test_a_scan_above_a_range_still_required_elsewhere_is_incomplete(tmp_path: Path) -> None:
    """5.5-6 GHz with the range to 5 GHz (highest 700 MHz) was refused, exit 2.

    The AV and PK lines are required over 1-5 GHz, which the scan does not reach; above 5 GHz
    it is judged for exceedances only (PK 73.98 - 30 = +43.98: none): INCOMPLETE, exit 5.
    """
    f_mhz = np.round(np.arange(5500.0, 6000.0 + 1e-6, 0.5), 3)
    rows = "".join(f"{f:.3f},30.00\n" for f in f_mhz)
    path = tmp_path / "high.csv"
    path.write_text("# rbw_hz: 1000000\n# dwell_s: 1\nFrequency (MHz),Peak (dBuV/m)\n" + rows)
    args = ["check", str(path), "--limit", "fcc-15.109-b", "--highest-frequency", "700M"]
    res = CliRunner().invoke(main, [*args, "-o", "json"], catch_exceptions=False)
    assert res.exit_code == 5, res.output
    (cap,) = json.loads(res.stdout)["captures"]
    assert cap["verdict"] == "INCOMPLETE"
    assert {c["line"]: c["verdict"] for c in cap["checks"]} == dict.fromkeys(
        ("QP", "AV", "PK"), "INCOMPLETE"
    )


def test_a_device_needing_no_radiated_scan_says_so_in_one_true_line(tmp_path: Path) -> None:
    """Highest frequency 1 MHz (upper frequency 30 MHz, where 15.109 starts).

    A passing 100-200 MHz scan read "no trace (100-200 MHz) overlaps any requested limit line
    (fcc-15.109-b 30-40000 MHz)", which is false; it says why nothing is judged (exit 2). A
    reading over the limit there still FAILs (a measured exceedance).
    """
    f_mhz = np.round(np.arange(100.0, 200.0 + 1e-6, 0.05), 3)
    rows = "".join(f"{f:.3f},20.00\n" for f in f_mhz)
    path = tmp_path / "low.csv"
    path.write_text("# rbw_hz: 120000\n# dwell_s: 1\nFrequency (MHz),QP (dBuV/m)\n" + rows)
    args = ["check", str(path), "--limit", "fcc-15.109-b", "--highest-frequency", "1M"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 2
    assert (
        "nothing of the requested limits is required of this device: fcc-15.109-b is required "
        "only up to 30 MHz (47 CFR 15.33(b)(1)), where its range starts at 30 MHz; the capture "
        "(100-200 MHz) lies beyond, where a reading counts only when over the limit: none is"
    ) in res.output


def test_a_range_beyond_the_required_range_is_named_as_the_cause(tmp_path: Path) -> None:
    """'--range 5500M-6000M' blamed the device ('nothing ... is required')."""
    path = _beyond_scan(tmp_path / "s.csv", 60.0)
    args = ["check", str(path), "--limit", "fcc-15.109-b", "--highest-frequency", "700M"]
    res = CliRunner().invoke(main, [*args, "--range", "5500M-6000M"], catch_exceptions=False)
    assert res.exit_code == 2
    assert (
        "--range 5500-6000 MHz lies beyond the range the limits are required over (47 CFR "
        "15.33(b)(1): fcc-15.109-b up to 5000 MHz), where a reading counts only when over the "
        "limit: none is"
    ) in res.output


def test_passes_where_measured_stops_at_the_upper_frequency(tmp_path: Path) -> None:
    """A 1-6 GHz scan of a device required to 5 GHz 'passed' 1000-6000.5 MHz."""
    path = _beyond_scan(tmp_path / "s.csv", 60.0)  # 1-6 GHz, 60 dBµV/m at 5000.5 MHz
    args = ["check", str(path), "--limit", "fcc-15.109-b", "--highest-frequency", "700M"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 5
    assert "passes where measured: 1000-5000 MHz; not measured: fcc-15.109-b QP 30-" in res.output


def test_explain_says_no_reading_lies_where_a_line_is_required(tmp_path: Path) -> None:
    """Readings beyond the range read 'no reading bounds the level ... --rbw'."""
    f_mhz = np.round(np.arange(5500.0, 6000.0 + 1e-6, 0.5), 3)
    path = tmp_path / "high.csv"
    rows = "".join(f"{f:.3f},30.00\n" for f in f_mhz)
    path.write_text("# rbw_hz: 1000000\n# dwell_s: 1\nFrequency (MHz),Peak (dBuV/m)\n" + rows)
    setup = tmp_path / "setup.toml"
    setup.write_text(
        '[dut]\nhighest_internal_frequency_hz = 700e6\n[check]\nlimits = ["fcc-15.109-b"]\n'
    )
    res = CliRunner().invoke(main, ["explain", str(path), "--setup", str(setup)])
    assert (
        "  emissions: none in the suspect table: no reading lies where fcc-15.109-b QP, "
        "fcc-15.109-b AV, fcc-15.109-b PK must be measured (readings beyond the range 47 CFR "
        "15.33(b)(1) requires count only when over the limit)\n"
    ) in res.output


def _av_scan(path: Path, peaks: dict[float, float], column: str = "AV (linear)") -> Path:
    """Write a 1-26 GHz scan (1 MHz RBW), 30 dBµV/m floor, ``peaks`` {MHz: dBµV/m}."""
    f_mhz = np.round(np.arange(1000.0, 26000.0 + 1e-6, 1.0), 3)
    level = np.full(f_mhz.shape, 30.0)
    for f, v in peaks.items():
        level[np.argmin(np.abs(f_mhz - f))] = v
    rows = "".join(f"{f:.3f},{v:.2f}\n" for f, v in zip(f_mhz, level, strict=True))
    path.write_text(f"# rbw_hz: 1000000\n# dwell_s: 1\nFrequency (MHz),{column} (dBuV/m)\n" + rows)
    return path


#: cispr16-4-2 with U_lab 9.0 dB: 10 GHz (U_cispr 5.5 dB) shifts by 3.50, 3 GHz (5.2) by 3.80.
RULE_9DB = '[check]\ndecision_rule = "cispr16-4-2"\n[test]\nu_lab_db = 9.0\n'


def _check_5g(path: Path, setup_text: str = RULE_9DB) -> dict[str, Any]:
    """Return ``check``'s JSON capture of ``path``: fcc-15.109-b, highest frequency 5 GHz."""
    setup = path.with_name("setup.toml")
    setup.write_text(setup_text)
    args = [str(path), "--limit", "fcc-15.109-b", "--highest-frequency", "5G", "-o", "json"]
    res = CliRunner().invoke(main, ["check", *args, "--setup", str(setup)])
    (cap,) = json.loads(res.stdout)["captures"]
    return cap  # type: ignore[no-any-return]


def test_beyond_the_range_a_decision_rule_does_not_fail_a_reading_under_the_limit(
    tmp_path: Path,
) -> None:
    """A reading under the limit beyond the range FAILed the line by the rule.

    It was named nowhere (no suspect; the note said 'none' over the limit there).

    Highest frequency 700 MHz: AV required to 5000 MHz. 50.0 dBµV/m at 3000 MHz (+3.98 dB)
    and 52.0 at 5500 MHz (+1.98 dB); U_lab 8.3 against U_cispr 5.2 dB adds 3.10 dB: +0.88 dB
    effective inside the range, PASS; beyond it only a reading over the limit counts.
    """
    setup = tmp_path / "setup.toml"
    setup.write_text('[check]\ndecision_rule = "cispr16-4-2"\n[test]\nu_lab_db = 8.3\n')
    args = ["--limit", "fcc-15.109-b", "--highest-frequency", "700M", "-o", "json"]
    for at_5500, verdict in ((52.0, "PASS"), (55.0, "FAIL")):  # 55.0: 53.98 - 55 = -1.02 dB
        path = _av_scan(tmp_path / "av.csv", {3000.0: 50.0, 5500.0: at_5500})
        res = CliRunner().invoke(main, ["check", str(path), *args, "--setup", str(setup)])
        (cap,) = json.loads(res.stdout)["captures"]
        av = next(c for c in cap["checks"] if c["line"] == "AV")
        assert av["verdict"] == verdict
        if verdict == "PASS":  # a reading over the limit there fails it, under every rule
            assert (av["worst_margin_db"], av["effective_margin_db"]) == (3.98, 0.88)


@pytest.mark.parametrize(("column", "verdict"), [("AV", "FAIL"), ("Peak", "INCONCLUSIVE")])
def test_under_a_rule_the_line_is_shown_at_the_point_the_rule_judges_worst(
    tmp_path: Path, column: str, verdict: str
) -> None:
    """The line was shown at its smallest measured margin, where no rule applies.

    Highest frequency 5 GHz: required to 25 GHz. AV limit 53.98 dBµV/m; U_lab 9.0 dB:
    10 GHz (U_cispr 5.5 dB, shift 3.50): 51.0 reads +2.98, effective -0.52 (FAIL); 20 GHz
    (no U_cispr row: the simple rule): 52.0 reads +1.98, PASS. The line is decided at 10 GHz;
    a peak scan (upper bounds of the average) is undecided there.
    """
    path = _av_scan(tmp_path / "a.csv", {3000.0: 49.0, 10000.0: 51.0, 20000.0: 52.0}, column)
    cap = _check_5g(path)
    av = next(c for c in cap["checks"] if c["line"] == "AV")
    shown = ("verdict", "worst_frequency_hz", "worst_margin_db", "effective_margin_db")
    assert [av[k] for k in shown] == [verdict, 10e9, 2.98, -0.52]


def test_beyond_the_range_a_guard_band_judges_no_harder_than_inside(tmp_path: Path) -> None:
    """AV 55.0 dBµV/m (-1.02 dB) at 20 GHz, beyond a 5 GHz upper frequency.

    Under guard-band:5 it lies in the undecided band (FAIL only above 58.98): inside the range
    it would be INCONCLUSIVE; beyond it, nothing being required, it does not count (a note
    says why), and the line is shown at its worst point inside (40.0 at 3 GHz, +13.98 dB).
    """
    path = _av_scan(tmp_path / "av.csv", {3000.0: 40.0, 20000.0: 55.0})
    setup = tmp_path / "setup.toml"
    setup.write_text('[check]\ndecision_rule = "guard-band:5"\n')
    args = ["--limit", "fcc-15.109-b", "--highest-frequency", "700M", "-o", "json"]
    res = CliRunner().invoke(main, ["check", str(path), *args, "--setup", str(setup)])
    (cap,) = json.loads(res.stdout)["captures"]
    av = next(c for c in cap["checks"] if c["line"] == "AV")
    assert (av["verdict"], av["worst_frequency_hz"], av["worst_margin_db"]) == ("PASS", 3e9, 13.98)
    assert any("are not failed by the rule (undecided there)" in w for w in cap["warnings"])
    inside = ["--limit", "fcc-15.109-b", "--highest-frequency", "5G", "-o", "json"]
    res = CliRunner().invoke(main, ["check", str(path), *inside, "--setup", str(setup)])
    (cap,) = json.loads(res.stdout)["captures"]
    assert next(c for c in cap["checks"] if c["line"] == "AV")["verdict"] == "INCONCLUSIVE"


def test_under_a_rule_an_undecided_peak_bound_says_what_settles_it(tmp_path: Path) -> None:
    """A peak-only scan's AV line INCONCLUSIVE under the rule said nothing more.

    The same scan as above read with a peak detector: 51.0 dBµV/m at 10 GHz bounds the
    average from above at +2.98 dB; the rule's 3.50 dB shift leaves it undecided (effective
    -0.52 dB), so the line needs an average reading there, and its suspect row is
    INCONCLUSIVE, not PASS; 49.0 at 3 GHz (shift 3.50: +1.48 effective) stays PASS.
    """
    path = _av_scan(tmp_path / "p.csv", {3000.0: 49.0, 10000.0: 51.0, 20000.0: 52.0}, "Peak")
    cap = _check_5g(path)
    av = next(c for c in cap["checks"] if c["line"] == "AV")
    assert (av["verdict"], av["needs_hz"]) == ("INCONCLUSIVE", [10e9])
    rows = {s["frequency_hz"]: s["verdict"] for s in cap["suspects"] if s["line"] == "AV"}
    assert (rows[10e9], rows[3e9]) == ("INCONCLUSIVE", "PASS")


def test_every_reading_judged_simply_for_want_of_a_u_cispr_row_is_named(tmp_path: Path) -> None:
    """A reading near the limit with no U_cispr row went unnamed after a FAIL.

    AV 51.0 dBµV/m at 10 GHz fails by the rule (effective -0.52 dB); 50.0 at 20 GHz
    (+3.98 dB, within the rule's reach) has no U_cispr row and is judged by the simple rule:
    the note names it though the line had already failed at a lower frequency.
    """
    path = _av_scan(tmp_path / "e.csv", {3000.0: 49.0, 10000.0: 51.0, 20000.0: 50.0})
    cap = _check_5g(path)
    assert next(c for c in cap["checks"] if c["line"] == "AV")["verdict"] == "FAIL"
    assert (
        "decision rule cispr16-4-2: no U_cispr for a radiated measurement at 20000 MHz; "
        "judged there by the simple rule"
    ) in cap["warnings"]


def test_a_report_under_a_rule_shows_the_effective_margin_of_a_passing_line(
    tmp_path: Path,
) -> None:
    """The PDF/HTML of a capture passing under a rule never named the rule's margin.

    AV 50.0 dBµV/m at 3 GHz (+3.98 dB; U_cispr 5.2: shift 3.80, effective +0.18 dB), the
    peak 5 dB above it; the QP line is not measured (INCOMPLETE): the 'where measured' line
    and the line table say what the rule judged.
    """
    av = _av_scan(tmp_path / "av.csv", {3000.0: 50.0})
    lines = av.read_text().splitlines()
    both = [*lines[:2], "Frequency (MHz),Peak (dBuV/m),AV (linear) (dBuV/m)"]
    for row in lines[3:]:
        f, level = row.split(",")
        both.append(f"{f},{float(level) + 5.0:.2f},{level}")
    path = tmp_path / "p.csv"
    path.write_text("\n".join(both) + "\n")
    setup = tmp_path / "setup.toml"
    setup.write_text(RULE_9DB)
    args = [str(path), "--limit", "fcc-15.109-b", "--highest-frequency", "5G", "--setup"]
    args += [str(setup), "--report", "html", "--out", str(tmp_path / "out")]
    CliRunner().invoke(main, ["check", *args], catch_exceptions=False)
    page = (tmp_path / "out" / "p.html").read_text("utf-8")
    rule = "rule shift +3.80 dB, effective margin +0.18 dB"
    assert f"against fcc-15.109-b AV (measured); {rule} under the decision rule." in page
    assert f"<td>decision rule: {rule}</td>" in page
