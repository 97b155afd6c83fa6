"""The detector-bounds verdict.

The table, every verdict case, cross-grid settling, suspects, the margin sign, a Hypothesis
property, and the real R&S ESRP receiver file end to end.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.typing import ArrayLike, NDArray

from rfcheck.analysis import analyse_capture, analyse_file, run_check
from rfcheck.capture import Capture, Detector, Trace
from rfcheck.cispr import rbw_at
from rfcheck.errors import AnalysisError
from rfcheck.outcome import Bound, Verdict
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit
from rfcheck.verdict import relation

REAL = Path(
    os.environ.get(
        "RFCHECK_REAL_CAPTURES",
        Path(__file__).resolve().parents[2].parent / "shared" / "real_captures",
    )
)
ESRP = REAL / "rs_esrp7_receiver_150k-30M_3det.DAT"

D = Detector
B_CLASS = CheckSettings(limit_ids=("fcc-15.107-b",))


@pytest.mark.parametrize(
    ("trace", "line", "expected"),
    [
        (D.PEAK, D.PEAK, Bound.MEASURED),
        (D.PEAK, D.QUASI_PEAK, Bound.UPPER),
        (D.PEAK, D.CISPR_AVERAGE, Bound.UPPER),
        (D.QUASI_PEAK, D.PEAK, Bound.LOWER),
        (D.QUASI_PEAK, D.QUASI_PEAK, Bound.MEASURED),
        (D.QUASI_PEAK, D.CISPR_AVERAGE, Bound.UPPER),
        (D.CISPR_AVERAGE, D.PEAK, Bound.LOWER),
        (D.CISPR_AVERAGE, D.QUASI_PEAK, Bound.LOWER),
        (D.CISPR_AVERAGE, D.CISPR_AVERAGE, Bound.MEASURED),
        (D.AVERAGE, D.CISPR_AVERAGE, Bound.MEASURED),
        (D.AVERAGE, D.QUASI_PEAK, Bound.LOWER),
        (D.AVERAGE, D.PEAK, Bound.LOWER),
        (D.RMS_AVERAGE, D.CISPR_AVERAGE, Bound.UPPER),
        (D.RMS_AVERAGE, D.PEAK, Bound.LOWER),
        (D.RMS_AVERAGE, D.QUASI_PEAK, None),
        (D.RMS, D.CISPR_AVERAGE, Bound.UPPER),
        (D.SAMPLE, D.PEAK, Bound.LOWER),
        (D.SAMPLE, D.QUASI_PEAK, None),
        (D.SAMPLE, D.CISPR_AVERAGE, None),
        (D.NORMAL, D.PEAK, Bound.LOWER),
        (D.NEGATIVE_PEAK, D.PEAK, Bound.LOWER),
        (D.NEGATIVE_PEAK, D.QUASI_PEAK, None),
        (D.UNKNOWN, D.PEAK, None),
        (D.UNKNOWN, D.QUASI_PEAK, None),
        (D.UNKNOWN, D.CISPR_AVERAGE, None),
    ],
)
def test_bounds_table(trace: Detector, line: Detector, expected: Bound | None) -> None:
    assert relation(trace, line) is expected


def test_cispr_bandwidths() -> None:
    assert rbw_at(np.array([100e3, 150e3, 29.9e6, 30e6, 30.1e6, 999e6, 1e9, 1.1e9])).tolist() == [
        200,
        9e3,
        9e3,
        120e3,
        120e3,
        120e3,
        1e6,
        1e6,
    ]  # an edge belongs to the band above (the receiver's convention, one table)


F = np.linspace(0.15e6, 30e6, 3318)  # a 9 kHz-step scan: every trace covers the band


def limit_b_qp(f: np.ndarray) -> np.ndarray:
    k = 10 / np.log10(0.5 / 0.15)
    return np.where(f < 0.5e6, 66 - k * np.log10(f / 0.15e6), np.where(f <= 5e6, 56.0, 60.0))


def tr(
    det: Detector, level: ArrayLike, freq: ArrayLike = F, rbw: float | None = 9e3, name: str = ""
) -> Trace:
    level = np.broadcast_to(np.asarray(level, dtype=float), np.shape(freq)).copy()
    return Trace(
        np.asarray(freq, dtype=float), level, LevelUnit.DBUV, det, name or det.value, rbw_hz=rbw
    )


def cap(*traces: Trace) -> Capture:
    return Capture(traces=tuple(traces))


def check(result: CaptureResult, line: str = "QP") -> LineCheck:
    return next(c for c in result.checks if c.line == line)


def with_bump(
    base_offset: float, bump_level: float, f0: float = 1e6, freq: NDArray[np.float64] = F
) -> np.ndarray:
    lv = limit_b_qp(freq) + base_offset
    lv[np.argmin(np.abs(freq - f0))] = bump_level
    return lv


# --- every verdict case -------------------------------------------------------------------
def test_peak_below_limit_is_pass_by_upper_bound() -> None:
    r = analyse_capture(cap(tr(D.PEAK, limit_b_qp(F) - 30)), B_CLASS)
    q, a = check(r, "QP"), check(r, "AV")
    assert (q.verdict, q.worst_bound) == (Verdict.PASS, Bound.UPPER)
    assert q.worst_margin_db == pytest.approx(30.0) and a.worst_margin_db == pytest.approx(20.0)
    assert r.verdict is Verdict.PASS


def test_peak_prescan_over_qp_limit_is_inconclusive_and_says_what_is_needed() -> None:
    r = analyse_capture(cap(tr(D.PEAK, with_bump(-30, 59.0))), B_CLASS)
    q = check(r)
    assert q.verdict is Verdict.INCONCLUSIVE and q.worst_bound is Bound.UPPER
    assert q.worst_margin_db == pytest.approx(-3.0)
    f_bump = F[np.argmin(np.abs(F - 1e6))]
    assert q.needs == f"quasi-peak measurement at {f_bump / 1e6:.6g} MHz"
    assert r.verdict is Verdict.INCONCLUSIVE


def test_qp_measured_over_limit_is_fail() -> None:
    r = analyse_capture(cap(tr(D.QUASI_PEAK, with_bump(-20, 57.5))), B_CLASS)
    q = check(r)
    assert (q.verdict, q.worst_bound) == (Verdict.FAIL, Bound.MEASURED)
    assert q.worst_margin_db == pytest.approx(-1.5)
    # QP is only an upper bound for AV: 57.5 > 46 -> the AV line cannot be decided
    assert check(r, "AV").verdict is Verdict.INCONCLUSIVE


def test_qp_measured_at_limit_is_pass() -> None:
    r = analyse_capture(
        cap(tr(D.QUASI_PEAK, limit_b_qp(F))), CheckSettings(limit_ids=("fcc-15.107-b",))
    )
    assert check(r).verdict is Verdict.PASS and check(r).worst_margin_db == pytest.approx(0.0)


def test_average_over_qp_limit_is_fail_by_lower_bound() -> None:
    r = analyse_capture(cap(tr(D.CISPR_AVERAGE, with_bump(-30, 58.0))), B_CLASS)
    q = check(r)
    assert (q.verdict, q.worst_bound) == (Verdict.FAIL, Bound.LOWER)
    assert q.worst_margin_db == pytest.approx(-2.0)


def test_average_below_qp_limit_is_inconclusive_for_qp() -> None:
    r = analyse_capture(cap(tr(D.AVERAGE, limit_b_qp(F) - 30)), B_CLASS)
    q = check(r)
    assert q.verdict is Verdict.INCONCLUSIVE
    assert "quasi-peak measurement over 0.15-30 MHz (only lower bounds there)" in q.needs
    assert check(r, "AV").verdict is Verdict.PASS  # video average measures the AV line


def test_peak_over_but_qp_under_at_same_frequency_is_pass() -> None:
    r = analyse_capture(
        cap(
            tr(D.PEAK, with_bump(-30, 59.0)),
            tr(D.QUASI_PEAK, with_bump(-32, 52.0)),
            tr(D.CISPR_AVERAGE, with_bump(-40, 40.0)),
        ),
        B_CLASS,
    )
    assert check(r).verdict is Verdict.PASS and check(r).worst_bound is Bound.MEASURED
    assert check(r).worst_margin_db == pytest.approx(4.0)
    assert check(r, "AV").worst_margin_db == pytest.approx(6.0)
    assert r.verdict is Verdict.PASS


def test_qp_final_on_another_grid_settles_within_rbw() -> None:
    """On a 9 kHz grid a 9 kHz final at the grid point covers the point's bucket (± 4.5 kHz)."""
    peak = tr(D.PEAK, with_bump(-30, 59.0))
    f_bump = F[np.argmin(np.abs(F - 1e6))]
    at = tr(D.QUASI_PEAK, [50.0], freq=[round(f_bump, -1)], rbw=9e3)  # written rounded
    assert check(analyse_capture(cap(peak, at), B_CLASS)).verdict is Verdict.PASS
    # 3 kHz off, its passband misses 1.5 kHz of the bucket: the emission may be there
    near = tr(D.QUASI_PEAK, [50.0], freq=[f_bump + 3e3], rbw=9e3)
    q = check(analyse_capture(cap(peak, near), B_CLASS))
    assert q.verdict is Verdict.INCONCLUSIVE
    assert q.needs_hz == (f_bump,)
    far = tr(D.QUASI_PEAK, [50.0], freq=[f_bump + 50e3], rbw=9e3)  # outside RBW/2 and the bucket
    # the peak reads that final's emission too (a QP above the peak contradicts the detectors)
    seen = with_bump(-30, 59.0)
    seen[np.argmin(np.abs(F - f_bump - 50e3))] = 50.0
    q = check(analyse_capture(cap(tr(D.PEAK, seen), far), B_CLASS))
    assert q.verdict is Verdict.INCONCLUSIVE and "quasi-peak measurement at" in q.needs


def test_qp_is_upper_bound_for_av_and_lower_bound_for_pk() -> None:
    s = CheckSettings(limit_ids=("fcc-15.109-b", "cispr32-b-rad-above-1g"), range_hz=(1e9, 2e9))
    f = np.linspace(1.0e9, 2.0e9, 1001)  # 1 MHz steps in the 1 MHz RBW: the range is covered
    t = Trace(f, np.full(f.shape, 49.0), LevelUnit.DBUV_M, D.QUASI_PEAK, "qp", rbw_hz=1e6)
    r = analyse_capture(cap(t), s)
    by = {(c.limit_id, c.line): c for c in r.checks}
    assert by[("cispr32-b-rad-above-1g", "AV")].verdict is Verdict.PASS  # 49 <= 50, QP >= AV
    assert by[("cispr32-b-rad-above-1g", "PK")].verdict is Verdict.INCONCLUSIVE  # PK >= 49: unknown
    t2 = Trace(f, np.full(f.shape, 75.0), LevelUnit.DBUV_M, D.QUASI_PEAK, "qp", rbw_hz=1e6)
    by2 = {(c.limit_id, c.line): c for c in analyse_capture(cap(t2), s).checks}
    assert by2[("cispr32-b-rad-above-1g", "PK")].verdict is Verdict.FAIL  # PK >= QP = 75 > 74
    assert by2[("fcc-15.109-b", "PK")].verdict is Verdict.FAIL  # 75 > 73.98


def test_sample_detector_gives_no_qp_bound() -> None:
    r = analyse_capture(cap(tr(D.SAMPLE, limit_b_qp(F) - 30)), B_CLASS)
    q = check(r)
    assert q.verdict is Verdict.INCONCLUSIVE and "give no bound" in q.needs


def test_unknown_detector_asks_for_detector() -> None:
    with pytest.raises(AnalysisError, match="state it with --detector"):
        analyse_capture(cap(tr(D.UNKNOWN, limit_b_qp(F) - 30)), B_CLASS)


def test_narrow_rbw_peak_is_not_an_upper_bound() -> None:
    r = analyse_capture(cap(tr(D.PEAK, limit_b_qp(F) - 30, rbw=1e3)), B_CLASS)
    assert check(r).verdict is Verdict.INCONCLUSIVE
    assert any("narrower than the CISPR bandwidth" in w for w in r.warnings)


def test_uncovered_frequencies_are_not_evaluated_and_the_line_incomplete() -> None:
    f = np.linspace(0.15e6, 10e6, 1096)  # 9 kHz steps
    r = analyse_capture(cap(tr(D.QUASI_PEAK, limit_b_qp(f) - 10, freq=f)), B_CLASS)
    q = check(r)
    assert q.verdict is Verdict.INCOMPLETE and r.verdict is Verdict.INCOMPLETE
    assert len(q.not_evaluated_hz) == 1 and q.not_evaluated_hz[0][1] == 30e6
    assert q.not_evaluated_hz[0][0] == pytest.approx(10e6 + 4.5e3)
    in_range = analyse_capture(
        cap(tr(D.QUASI_PEAK, limit_b_qp(f) - 10, freq=f)),
        CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(0.15e6, 10e6)),
    )
    assert check(in_range).verdict is Verdict.PASS and check(in_range).not_evaluated_hz == ()


def test_lines_no_trace_reaches_are_incomplete() -> None:
    f = np.linspace(30e6, 1e9, 9701)  # 100 kHz steps in the 120 kHz RBW
    t = Trace(f, np.full(f.shape, 20.0), LevelUnit.DBUV_M, D.QUASI_PEAK, "qp", rbw_hz=120e3)
    r = analyse_capture(cap(t), CheckSettings(limit_ids=("fcc-15.109-b",)))
    assert [(c.line, c.verdict) for c in r.checks] == [
        ("QP", Verdict.PASS),
        ("AV", Verdict.INCOMPLETE),
        ("PK", Verdict.INCOMPLETE),
    ]
    av = check(r, "AV")
    assert av.evaluated_hz == () and av.not_evaluated_hz == ((1e9, 40e9),)
    assert r.verdict is Verdict.INCOMPLETE


def test_no_overlap_at_all_is_an_error() -> None:
    f = np.geomspace(0.15e6, 10e6, 50)
    t = Trace(f, np.full(f.shape, 20.0), LevelUnit.DBUV_M, D.PEAK, "pk", rbw_hz=9e3)
    with pytest.raises(
        AnalysisError, match=r"no trace \(0.15-10 MHz\) overlaps any requested limit line"
    ):
        analyse_capture(cap(t), CheckSettings(limit_ids=("cispr32-b-rad-3m",)))


def test_distance_applied_in_margins() -> None:
    f = np.linspace(100e6, 200e6, 101)
    t = Trace(f, np.full(f.shape, 50.0), LevelUnit.DBUV_M, D.QUASI_PEAK, "qp", rbw_hz=120e3)
    r = analyse_capture(cap(t), CheckSettings(limit_ids=("fcc-15.109-a",), distance_m=3.0))
    assert check(r).worst_margin_db == pytest.approx(53.9794 - 50.0, abs=1e-3)  # 43.52 + 10.46
    assert "15.31(f)(1)" in r.limits[0]["distance_note"]


def test_unconfirmed_limit_is_warned() -> None:
    f = np.linspace(1e9, 2e9, 101)
    t = Trace(f, np.full(f.shape, 40.0), LevelUnit.DBUV_M, D.PEAK, "pk", rbw_hz=1e6)
    r = analyse_capture(cap(t), CheckSettings(limit_ids=("cispr32-a-rad-above-1g",)))
    assert any(w.startswith("UNCONFIRMED limit value") for w in r.warnings)


# --- suspects and margins ---------------------------------------------------------------------
def test_suspects_have_report_columns_and_sign() -> None:
    s = CheckSettings(limit_ids=("fcc-15.107-b",), lisn=0.5, cable_loss=(0.25,))
    lv = with_bump(-30, 50.0, 2e6)
    lv[np.argmin(np.abs(F - 10e6))] = 56.0
    r = analyse_capture(cap(tr(D.QUASI_PEAK, lv)), s)
    qp = [x for x in r.suspects if x.line == "QP"]
    assert [round(x.frequency_hz / 1e6) for x in qp] == [10, 2]  # worst first
    top = qp[0]
    assert top.reading == 56.0 and top.correction_db == pytest.approx(0.75)
    assert top.level == pytest.approx(56.75) and top.limit == 60.0
    assert top.margin_db == pytest.approx(top.limit - top.level)
    assert (top.detector, top.bound, top.verdict) == ("quasi-peak", Bound.MEASURED, Verdict.PASS)


def test_max_suspects_caps() -> None:
    lv = limit_b_qp(F) - 8.0
    lv[10::20] += 5.0  # 30 peaks 3 dB under the limit, prominence 5 dB
    r = analyse_capture(
        cap(tr(D.QUASI_PEAK, lv)), CheckSettings(limit_ids=("fcc-15.107-b",), max_suspects=3)
    )
    assert len(r.suspects) == 3


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(10, 80), min_size=5, max_size=40),
    st.floats(-20, 20),
    st.sampled_from([D.PEAK, D.QUASI_PEAK, D.CISPR_AVERAGE]),
)
@example([67.0, 10.0, 10.0, 10.0, 10.0], -1.0, D.PEAK)  # over its own limit, then not
@example([43.0, 10.0, 10.0, 10.0, 10.0], 6.0, D.PEAK)  # under its bucket's end, then over
def test_raising_every_level_by_x_lowers_every_margin_by_x(
    levels: list[float], x: float, det: Detector
) -> None:
    """Margins move by -x; a swept peak bucket's also by more, never by less, in that direction.

    A swept upper bound whose bucket spans a fall of the limit is judged against the bucket's
    stricter end once it is over that end, else against its own frequency's limit
    (docs/verdict.md, "At that frequency"): raising it across that end lowers its margin by
    more than x, and a higher reading never shows a better margin.
    """
    f = np.geomspace(0.15e6, 30e6, len(levels))
    base = analyse_capture(cap(tr(det, levels, freq=f)), B_CLASS)
    up = analyse_capture(cap(tr(det, np.asarray(levels) + x, freq=f)), B_CLASS)
    for a, b in zip(base.checks, up.checks, strict=True):
        assert a.worst_margin_db is not None and b.worst_margin_db is not None
        if det is D.PEAK:
            assert (b.worst_margin_db - (a.worst_margin_db - x)) * np.sign(x) <= 1e-9
        else:
            assert b.worst_margin_db == pytest.approx(a.worst_margin_db - x, abs=1e-9)
    for pa, pb in zip(base.plot_traces, up.plot_traces, strict=True):
        assert np.allclose(pb.level - pa.level, x)


# --- files, pickling, errors ------------------------------------------------------------------
def test_analyse_file_never_raises(tmp_path: Path) -> None:
    r = analyse_file(tmp_path / "missing.csv", B_CLASS)
    assert r.verdict is Verdict.ERROR and r.errors[0].message == "no such file"
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing useful here\n")
    assert analyse_file(bad, B_CLASS).verdict is Verdict.ERROR
    assert analyse_file(bad, CheckSettings(limit_ids=("nope",))).verdict is Verdict.ERROR


def test_results_are_picklable(fixtures_dir: Path) -> None:
    r = analyse_file(fixtures_dir / "check" / "cond_3det_fail.csv", B_CLASS)
    assert r.verdict is Verdict.FAIL
    r2 = pickle.loads(pickle.dumps(r))
    assert r2.checks == r.checks and len(r2.plot_traces) == 3 and len(r2.plot_limits) == 2


def test_run_check_inputs_list_every_file(fixtures_dir: Path) -> None:
    s = CheckSettings(
        limit_ids=("fcc-15.107-b",),
        limit_files=(fixtures_dir / "check" / "user_limit.toml",),
        lisn=fixtures_dir / "check" / "lisn_vdf.csv",
    )
    run = run_check([fixtures_dir / "check" / "cond_peak_pass.csv"], s, command="rfcheck check x")
    roles = sorted(i.role for i in run.inputs)
    assert roles == ["capture", "limit", "limit", "transducer"]
    assert all(len(i.sha256) == 64 for i in run.inputs)
    assert run.command == "rfcheck check x"


# --- the real R&S ESRP-7 receiver file (PK/AV/QP traces) --------------------------------------
@pytest.mark.real
def test_esrp_end_to_end_margins_verified_by_hand() -> None:
    if not ESRP.exists():
        pytest.skip(f"real capture absent: {ESRP}")
    run = run_check([ESRP], CheckSettings(limit_ids=("fcc-15.107-a", "fcc-15.107-b")))
    cap_ = run.captures[0]
    assert cap_.verdict is not Verdict.ERROR, f"the R&S reader failed: {cap_.errors}"
    by = {(c.limit_id, c.line): c for c in cap_.checks}
    # Rows of the file (TRACE 4 = QUASI PEAK, TRACE 2 = AVERAGE), limits from 47 CFR 15.107:
    #   TRACE 4  4899750.000000;0.639366   Class B QP 56 (0.5-5 MHz):  56 - 0.639366  = 55.360634
    #   TRACE 2  4989750.000000;-4.850143  Class B AV 46:              46 + 4.850143  = 50.850143
    #   TRACE 4 29953500.000000;1.345375   Class A QP 73 (0.5-30 MHz): 73 - 1.345375  = 71.654625
    #   TRACE 2 29971500.000000;-4.190582  Class A AV 60:              60 + 4.190582  = 64.190582
    # TRACE 4's "Meas Time 1 ms" is below the 1 s a quasi-peak reading needs to settle: its QP
    # readings are lower bounds only (docs/verdict.md, "Settling"), so the QP lines PASS on the
    # MAX PEAK trace (TRACE 1) as an upper bound; the AVERAGE trace is no CISPR-average
    #   TRACE 1  4735500.000000;8.223656   Class B QP 56 (0.5-5 MHz):  56 - 8.223656  = 47.776344
    #   TRACE 1 29177250.000000;9.286018   Class A QP 73 (0.5-30 MHz): 73 - 9.286018  = 63.713982
    # (it was QP "measured" +55.36 / +71.65 dB with a caution that it may read low)
    expected = {
        ("fcc-15.107-b", "QP"): (47.776344, 4735500.0, Bound.UPPER),
        ("fcc-15.107-b", "AV"): (50.850143, 4989750.0, Bound.MEASURED),
        ("fcc-15.107-a", "QP"): (63.713982, 29177250.0, Bound.UPPER),
        ("fcc-15.107-a", "AV"): (64.190582, 29971500.0, Bound.MEASURED),
    }
    assert any(
        "TRACE 4: its quasi-peak dwell (0.001 s) is shorter than the 1 s" in w
        and "a reading with the line's own detector counts as a lower bound only" in w
        for w in cap_.warnings
    )
    for key, (margin, freq, bound) in expected.items():
        c = by[key]
        assert c.verdict is Verdict.PASS and c.worst_bound is bound
        assert c.worst_margin_db == pytest.approx(margin, abs=1e-6)
        assert c.worst_frequency_hz == freq
        assert c.not_evaluated_hz == ()
    assert cap_.verdict is Verdict.PASS and run.exit_code == 0
    assert cap_.suspects == ()  # nothing within 6 dB of a limit


# --- time-domain captures through the CISPR receiver model ------------------------------------
def test_time_domain_envelope_gives_definitive_qp_and_av() -> None:
    from rfcheck.capture import SampleKind, TimeSeries

    fs = 100e3
    ts = TimeSeries(
        np.full(int(3.2 * fs), 50.0),
        fs,
        SampleKind.ENVELOPE,
        center_freq_hz=1e6,
        unit=LevelUnit.DBUV,
        rbw_hz=9e3,
        detector=D.PEAK,
    )
    r = analyse_capture(Capture(time_series=(ts,)), B_CLASS)
    # a CW at 50 dBuV reads 50 on every detector: QP 56 - 50 = +6 (PASS where measured, the
    # 1 MHz channel: INCOMPLETE over 0.15-30 MHz), AV 46 - 50 = -4 (FAIL)
    assert (check(r).verdict, check(r).worst_bound) == (Verdict.INCOMPLETE, Bound.MEASURED)
    assert check(r).evaluated_hz == ((pytest.approx(0.9955e6), pytest.approx(1.0045e6)),)
    assert check(r).worst_margin_db == pytest.approx(6.0, abs=1e-3)
    assert (check(r, "AV").verdict, check(r, "AV").worst_margin_db) == (
        Verdict.FAIL,
        pytest.approx(-4.0, abs=1e-3),
    )


def test_time_domain_too_short_is_an_error(fixtures_dir: Path) -> None:
    r = analyse_file(fixtures_dir / "generic" / "lisn_scope.tsv", B_CLASS)
    # a 40 ns scope record is shorter than the 9 kHz IF filter's response: no reading at all
    assert (
        r.verdict is Verdict.ERROR
        and "shorter than the IF filter's response" in r.errors[0].message
    )


def test_iq_recording_narrower_than_its_band_bandwidth_says_why_nothing_is_measured() -> None:
    from rfcheck.capture import SampleKind, TimeSeries

    # 200 kHz of I/Q at 13 GHz: Band E's 1 MHz B6 (plus one B6 at each edge) does not fit
    ts = TimeSeries(np.ones(20_000, dtype=np.complex64), 200e3, SampleKind.IQ, center_freq_hz=13e9)
    with pytest.raises(AnalysisError) as err:
        analyse_capture(Capture(time_series=(ts,)), CheckSettings(limit_ids=("fcc-15.109-b",)))
    assert str(err.value) == (
        "the recording gives no CISPR detector reading to judge: receiver: the "
        "recording (12999.9-13000.1 MHz, 0.2 MHz wide) is too narrow for CISPR band E's 1 MHz "
        "measurement bandwidth with one bandwidth to spare at each edge (CISPR 16-1-1); "
        "no frequency measured"
    )
