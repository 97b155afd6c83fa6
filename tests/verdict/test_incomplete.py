"""INCOMPLETE: PASS means the whole judged range; coverage must be earned (docs/verdict.md)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.analysis import analyse_capture
from rfcheck.capture import Capture, Detector, Trace
from rfcheck.cli import main
from rfcheck.errors import AnalysisError, CoverageError, SetupFileError
from rfcheck.outcome import Verdict
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings, load_setup
from rfcheck.units import LevelUnit

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
CONDUCTED = CheckSettings(limit_ids=("fcc-15.107-b",))
D = Detector


def _line(r: CaptureResult, line: str = "QP") -> LineCheck:
    (c,) = [c for c in r.checks if c.line == line]
    return c


def _qp(f: np.ndarray, level: float = 30.0, rbw: float | None = 9e3) -> Trace:
    return Trace(f, np.full(f.shape, level), LevelUnit.DBUV, D.QUASI_PEAK, "qp", rbw_hz=rbw)


def test_a_final_measurement_list_settles_its_frequencies_not_the_band() -> None:
    f = np.geomspace(0.15e6, 30e6, 11)  # 11 QP finals over 150 kHz-30 MHz
    qp = _line(analyse_capture(Capture(traces=(_qp(f),)), CONDUCTED))
    assert qp.verdict is Verdict.INCOMPLETE
    assert len(qp.evaluated_hz) == 11  # the end points sit on 150 kHz and 30 MHz: half cells
    assert qp.evaluated_hz[0] == (0.15e6, pytest.approx(0.1545e6))
    assert sum(b - a for a, b in qp.evaluated_hz) == pytest.approx(2 * 4.5e3 + 9 * 9e3)


def test_a_peak_sweep_covers_the_buckets_between_its_points() -> None:
    f = np.geomspace(0.15e6, 30e6, 11)
    t = Trace(f, np.full(f.shape, 30.0), LevelUnit.DBUV, D.PEAK, "pk", rbw_hz=9e3)
    r = analyse_capture(Capture(traces=(t,)), CONDUCTED)
    assert [(c.line, c.verdict) for c in r.checks] == [("QP", Verdict.PASS), ("AV", Verdict.PASS)]
    assert _line(r).evaluated_hz == ((0.15e6, 30e6),) and r.coverage == "complete"


def test_a_stepped_scan_one_rbw_apart_covers_continuously() -> None:
    f = np.arange(0.15e6, 30e6 + 1.0, 9e3)
    f = np.append(f, 30e6)
    r = analyse_capture(Capture(traces=(_qp(f),)), CheckSettings(limit_ids=("fcc-15.107-b",)))
    assert _line(r).verdict is Verdict.PASS and _line(r).not_evaluated_hz == ()


def test_a_scan_touching_the_range_at_one_end_covers_nothing() -> None:
    f = np.linspace(1e9, 2e9, 1001)
    t = Trace(f, np.full(f.shape, 30.0), LevelUnit.DBUV_M, D.PEAK, "pk", rbw_hz=1e6)
    r = analyse_capture(
        Capture(traces=(t,)), CheckSettings(limit_ids=("fcc-15.109-b",), range_hz=(30e6, 2e9))
    )
    qp = _line(r)
    assert qp.verdict is Verdict.INCOMPLETE and qp.evaluated_hz == ()
    assert qp.worst_margin_db is None  # the 1000 MHz point measured nothing of the line
    assert qp.not_evaluated_hz == ((30e6, 1e9),)
    assert _line(r, "AV").verdict is Verdict.PASS and r.verdict is Verdict.INCOMPLETE


def test_zero_width_required_ranges_vanish() -> None:
    """15.33(b)(1) with a 100 MHz device.

    Required to 1000 MHz; the lines above 1 GHz keep nothing required (no 'not evaluated 1000-1000
    MHz') and a 30 MHz-1 GHz scan is complete.
    """
    f = np.linspace(30e6, 1e9, 9701)
    t = Trace(f, np.full(f.shape, 20.0), LevelUnit.DBUV_M, D.PEAK, "pk", rbw_hz=120e3)
    s = CheckSettings(limit_ids=("fcc-15.109-b",), highest_frequency_hz=100e6)
    r = analyse_capture(Capture(traces=(t,)), s)
    assert [c.line for c in r.checks] == ["QP"]
    assert r.not_evaluated == () and r.coverage == "complete" and r.verdict is Verdict.PASS
    assert not any("1000-1000" in w for w in r.warnings)


def test_fail_and_inconclusive_outrank_incomplete() -> None:
    f = np.linspace(1e6, 2e6, 201)
    over = _qp(f, 30.0)
    over.level[100] = 60.0  # over the 56 dBuV QP limit at 1.5 MHz
    r = analyse_capture(Capture(traces=(over,)), CONDUCTED)
    assert _line(r).verdict is Verdict.FAIL and r.verdict is Verdict.FAIL
    pk = Trace(f, over.level, LevelUnit.DBUV, D.PEAK, "pk", rbw_hz=9e3)
    r = analyse_capture(Capture(traces=(pk,)), CONDUCTED)
    assert _line(r).verdict is Verdict.INCONCLUSIVE and r.verdict is Verdict.INCONCLUSIVE


# --- CLI --------------------------------------------------------------------------------------
def test_check_range_judges_the_stated_range() -> None:
    burst = str(SAMPLES / "conducted" / "rig_L1_burst.sigmf-meta")
    setup = str(SAMPLES / "rig-setup.toml")
    runner = CliRunner()
    whole = runner.invoke(main, ["check", burst, "--setup", setup])
    assert whole.exit_code == 5
    assert whole.stdout.endswith(
        "overall verdict: INCOMPLETE (passes where measured: 1.302-1.4775 MHz; "
        "not measured: 0.15-1.302 MHz, 1.4775-30 MHz)\n"
    )
    ranged = runner.invoke(main, ["check", burst, "--setup", setup, "--range", "1.31M-1.47M"])
    assert ranged.exit_code == 0, ranged.output
    assert ranged.stdout.endswith(
        "overall verdict: PASS (over 1.31-1.47 MHz only, the requested range; "
        "the lines are required over 0.15-30 MHz)\n"
    )


def test_lines_outside_the_stated_range_are_not_reported_as_unmeasured() -> None:
    """Judge a 30 MHz-1 GHz scan over the 30 MHz-1 GHz range its setup states.

    The AV/PK lines above 1 GHz lie outside the judged range, so coverage is complete and
    nothing says 'not evaluated'.
    """
    scan = str(SAMPLES / "before_after" / "rig_3m_V_after.csv")
    setup = str(SAMPLES / "before_after" / "setup.toml")
    result = CliRunner().invoke(main, ["check", scan, "--setup", setup, "-o", "json"])
    assert result.exit_code == 0, result.output
    capture = json.loads(result.stdout)["captures"][0]
    assert (capture["verdict"], capture["coverage"], capture["not_evaluated"]) == (
        "PASS",
        "complete",
        [],
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("30M", "not a range: '30M'; examples: 150k-30M, 30M-1G"),
        ("30M-1M", "the range must run from low to high, got '30M-1M'"),
        ("fast-1G", "not a frequency: 'fast'"),
    ],
)
def test_check_range_bad_values_are_usage_errors(value: str, message: str) -> None:
    burst = str(SAMPLES / "conducted" / "rig_L1_burst.sigmf-meta")
    res = CliRunner().invoke(main, ["check", burst, "--limit", "fcc-15.107-b", "--range", value])
    assert res.exit_code == 2 and message in res.stderr


def test_a_capture_covering_none_of_a_limit_is_a_usage_error() -> None:
    rad = SAMPLES / "radiated" / "rig_3m_V_30M-1G_rs.DAT"
    res = CliRunner().invoke(main, ["check", str(rad), "--limit", "fcc-15.107-b"])
    assert res.exit_code == 2
    assert res.stderr == (
        f"rfcheck: error: {rad}: the capture covers none of fcc-15.107-b (0.15-30 MHz); "
        "the capture spans 30-1000 MHz\n"
    )
    outside = CliRunner().invoke(
        main,
        [
            "check",
            str(rad),
            "--limit",
            "fcc-15.109-b",
            "--antenna-factor",
            "0",
            "--range",
            "1.1G-2G",
        ],
    )
    assert outside.exit_code == 2
    assert "covers none of fcc-15.109-b (1100-2000 MHz); the capture spans 30-1000 MHz" in (
        outside.stderr
    )


def test_setup_range_hz(tmp_path: Path) -> None:
    p = tmp_path / "s.toml"
    p.write_text('[check]\nlimits = ["fcc-15.107-b"]\nrange_hz = [1.3e6, 1.48e6]\n')
    assert load_setup(p).check.range_hz == (1.3e6, 1.48e6)
    for bad in ("[1e6]", "[2e6, 1e6]", '["a", 2]', "5"):
        p.write_text(f"[check]\nrange_hz = {bad}\n")
        with pytest.raises(SetupFileError, match="range_hz must be"):
            load_setup(p)


@pytest.mark.parametrize("bad", [(2e6, 1e6), (-1.0, 1e6), (0.0, float("inf"))])
def test_check_settings_refuse_a_bad_range(bad: tuple[float, float]) -> None:
    with pytest.raises(AnalysisError, match="range_hz must be"):
        CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=bad)


# --- --range limits what is judged ------------------------------------------------------------
def test_a_fail_outside_the_range_is_not_judged() -> None:
    f = np.arange(0.15e6, 30e6, 4.5e3)
    lv = np.full(f.shape, 30.0)
    lv[np.argmin(np.abs(f - 1e6))] = 70.0  # over the 56 dBuV QP limit at 1 MHz, outside the range
    t = Trace(f, lv, LevelUnit.DBUV, Detector.QUASI_PEAK, "QP", rbw_hz=9e3)
    s = CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(5e6, 30e6))
    r = analyse_capture(Capture(traces=(t,)), s)
    qp = next(c for c in r.checks if c.line == "QP")
    assert qp.verdict is Verdict.PASS  # was FAIL at 1 MHz
    assert qp.worst_frequency_hz is not None and qp.worst_frequency_hz >= 5e6
    assert all(5e6 <= a <= b <= 30e6 for a, b in qp.evaluated_hz)
    assert all(s_.frequency_hz >= 5e6 for s_ in r.suspects)


def test_range_400m_1g_judges_nothing_below_400_mhz() -> None:
    s = Path(__file__).resolve().parents[2] / "sample_captures"
    args = ["check", str(s / "radiated" / "rig_3m_V_30M-1G_rs.DAT")]
    args += ["--setup", str(s / "rig-setup.toml"), "--range", "400M-1G", "-o", "json"]
    res = CliRunner().invoke(main, args)
    doc = json.loads(res.stdout)
    cap = doc["captures"][0]
    (qp,) = [c for c in cap["checks"] if c["line"] == "QP"]
    assert qp["worst_frequency_hz"] >= 400e6  # was 375 MHz, FAIL -3.23 dB
    assert qp["verdict"] != "FAIL"
    assert all(x["frequency_hz"] >= 400e6 for x in cap["suspects"])  # was 49.98 and 75 MHz
    assert qp["evaluated_hz"][0][0] >= 400e6


def test_a_range_still_to_measure_ends_where_the_line_is_required() -> None:
    """15.33(b)(1) ends the lines at 2 GHz (highest frequency 200 MHz): so do the needs.

    A CISPR-average scan over 1-2 GHz in 3 MHz is a lower bound on the PK line; its cells
    reach RBW / 2 past its last point, but 2000-2001.5 MHz is not required.
    """
    f = np.arange(1000e6, 2000e6 + 1.0, 1e6)
    cav = Trace(f, np.full(f.shape, 20.0), LevelUnit.DBUV_M, Detector.CISPR_AVERAGE,
                name="CAV", rbw_hz=3e6, dwell_s=1.0)  # fmt: skip
    settings = CheckSettings(
        limit_ids=("fcc-15.109-b",), distance_m=3.0, highest_frequency_hz=200e6
    )
    result = analyse_capture(Capture(traces=(cav,)), settings)
    pk = next(c for c in result.checks if c.line == "PK")
    assert pk.verdict is Verdict.INCONCLUSIVE
    assert max(b for _, b in pk.needs_ranges_hz) == 2000e6
    assert "1000-2000 MHz" in pk.needs


def test_a_line_beyond_the_required_range_read_by_no_bound_is_not_required() -> None:
    """Readings past 15.33(b)(1)'s range count only when they fail; they decide nothing else.

    Highest frequency 100 MHz: the lines are required to 1 GHz, the AV/PK lines above it not
    at all. A 100 kHz peak trace over 1-2 GHz with 70 dBµV/m at 1.8 GHz bounds nothing on the
    AV line (RBW narrower than 1 MHz) and is only a lower bound on the PK line (70 < 73.98):
    neither line reads PASS (nothing measured it), and neither asks for a
    measurement nothing requires: they are left out, and a note says what was
    measured there and that the 1.8 GHz reading over the AV limit is not settled.
    """
    f_qp = np.arange(30e6, 1000e6 + 1.0, 100e3)  # a step under the RBW: the QP line covered
    qp = Trace(f_qp, np.full(f_qp.shape, 20.0), LevelUnit.DBUV_M, Detector.QUASI_PEAK,
               name="QP", rbw_hz=120e3, dwell_s=1.0)  # fmt: skip
    f_pk = np.arange(1000e6, 2000e6 + 1.0, 10e6)
    level = np.full(f_pk.shape, 20.0)
    level[np.argmin(np.abs(f_pk - 1800e6))] = 70.0
    pk = Trace(f_pk, level, LevelUnit.DBUV_M, Detector.PEAK, name="PK", rbw_hz=100e3)
    settings = CheckSettings(
        limit_ids=("fcc-15.109-b",), distance_m=3.0, highest_frequency_hz=100e6
    )
    result = analyse_capture(Capture(traces=(qp, pk)), settings)
    assert [(c.line, c.verdict) for c in result.checks] == [("QP", Verdict.PASS)]
    assert result.verdict is Verdict.PASS
    assert all(s.frequency_hz <= 1000e6 for s in result.suspects)
    (av,) = [w for w in result.warnings if w.startswith("fcc-15.109-b AV: measured beyond")]
    # a peak sweep covers half a step past its last point: 2000 + 10/2 MHz
    assert "1000-2005 MHz, not required by 47 CFR 15.33(b)(1) (required up to 1000 MHz)" in av
    assert "is over it at 1800 MHz: not settled" in av


def _at_1ghz(trace: Trace) -> CaptureResult:
    settings = CheckSettings(
        limit_ids=("fcc-15.109-b",),
        distance_m=3.0,
        highest_frequency_hz=700e6,
        range_hz=(1000e6, 1500e6),
    )
    return analyse_capture(Capture(traces=(trace,)), settings)


def test_a_range_meeting_a_line_at_its_end_judges_its_readings_there() -> None:
    """``--range 1G-1.5G`` meets the 30 MHz-1 GHz QP line at 1000 MHz only.

    A peak reading of unstated RBW there bounds no QP level: the line read PASS; it reads
    INCONCLUSIVE. A measured QP reading over the 54 dBuV/m line there FAILs it (leaving the
    line out dropped it, and the capture read PASS).
    """
    f = np.array([1000e6, 1200e6, 1500e6])
    pk = Trace(f, np.array([50.0, 60.0, 60.0]), LevelUnit.DBUV_M, D.PEAK, "PK")
    assert _line(_at_1ghz(pk)).verdict is Verdict.INCONCLUSIVE
    qp = Trace(f, np.array([70.0, 30.0, 30.0]), LevelUnit.DBUV_M, D.QUASI_PEAK, "QP",
               rbw_hz=120e3, dwell_s=1.0)  # fmt: skip
    line = _line(_at_1ghz(qp))
    assert (line.verdict, round(line.worst_margin_db or 0.0, 2)) == (Verdict.FAIL, -16.02)


def test_a_line_read_by_lower_bounds_only_is_never_pass() -> None:
    """The last guard of the line decision: PASS needs a reading that bounds from above.

    Readings that are only lower (or no) bounds, with no coverage interval left to mark them
    (the degenerate case of a range meeting a line at one frequency only), read INCONCLUSIVE,
    not PASS.
    """
    from rfcheck.verdict.bounds import BoundCode
    from rfcheck.verdict.coverage import LineCoverage
    from rfcheck.verdict.pool import Pool, decide

    pool = Pool(
        freq_hz=np.array([1000e6]),
        margin_db=np.array([4.0]),
        bound=np.array([BoundCode.LOWER], dtype=np.int8),
        superseded=np.array([False]),
        bandwidth_hz=np.array([120e3]),
        span_lo_hz=np.array([1000e6]),
        span_hi_hz=np.array([1000e6]),
    )
    cov = LineCoverage(covered=[], not_evaluated=[], lower_only=[])
    decision = decide(pool, cov, beyond=np.array([False]))
    assert decision.verdict is Verdict.INCONCLUSIVE


def test_final_readings_only_at_the_ends_of_the_range_cover_them() -> None:
    """QP finals at exactly 150 kHz and 30 MHz measured those frequencies of the line.

    A trace that goes on beyond the range and only touches it at one end covers nothing of it
    (the test above); one lying wholly inside it covers the half cells at its ends, as the
    end points of any final list do ('covers none ... the capture spans
    0.15-30 MHz').
    """
    r = analyse_capture(Capture(traces=(_qp(np.array([0.15e6, 30e6])),)), CONDUCTED)
    qp = _line(r)
    assert qp.verdict is Verdict.INCOMPLETE
    assert qp.evaluated_hz == ((0.15e6, pytest.approx(0.1545e6)), (pytest.approx(29.9955e6), 30e6))
    one = Trace(
        np.array([30e6]), np.array([30.0]), LevelUnit.DBUV_M, D.QUASI_PEAK, "qp", rbw_hz=120e3
    )
    radiated = CheckSettings(
        limit_ids=("fcc-15.109-b",), distance_m=3.0, highest_frequency_hz=100e6
    )
    rq = _line(analyse_capture(Capture(traces=(one,)), radiated))
    assert rq.evaluated_hz == ((30e6, pytest.approx(30.06e6)),)
    assert rq.worst_margin_db == pytest.approx(40.0 - 30.0)


def test_a_capture_covering_one_of_two_tables_is_judged_the_other_not_measured() -> None:
    """CISPR 32 radiated is two tables (below / above 1 GHz) where FCC has one (30-40000 MHz).

    A 30 MHz-1 GHz scan judged against both is INCOMPLETE for the one above 1 GHz, as a scan
    reaching part of one table is (it was once a usage error naming that table). A
    capture covering none of any requested table is still one.
    """
    f = np.arange(30e6, 1000e6 + 1.0, 60e3)
    t = Trace(f, np.full(f.shape, 20.0), LevelUnit.DBUV_M, D.QUASI_PEAK, "qp", rbw_hz=120e3)
    both = CheckSettings(limit_ids=("cispr32-b-rad-3m", "cispr32-b-rad-above-1g"), distance_m=3.0)
    r = analyse_capture(Capture(traces=(t,)), both)
    got = {(c.limit_id, c.line): c.verdict for c in r.checks}
    assert got == {
        ("cispr32-b-rad-3m", "QP"): Verdict.PASS,
        ("cispr32-b-rad-above-1g", "AV"): Verdict.INCOMPLETE,
        ("cispr32-b-rad-above-1g", "PK"): Verdict.INCOMPLETE,
    }
    assert r.verdict is Verdict.INCOMPLETE
    assert _line(r, "AV").not_evaluated_hz == ((1e9, 6e9),)
    above = CheckSettings(limit_ids=("cispr32-b-rad-above-1g",), distance_m=3.0)
    with pytest.raises(CoverageError, match="overlaps any requested limit line"):
        analyse_capture(Capture(traces=(t,)), above)
