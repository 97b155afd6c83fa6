"""A tighter upper bound settles a looser one.

QP >= CISPR-AV, so a QP reading at or below the AV limit proves the AV line passes there even where
a peak prescan is above it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rfcheck.analysis import analyse_capture
from rfcheck.capture import Capture, Detector, Trace
from rfcheck.outcome import Bound, Verdict
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit

F = np.linspace(1.0e6, 2.0e6, 201)  # 5 kHz grid, Class B QP 56 / AV 46 dBuV here (47 CFR 15.107(a))
B_CLASS = CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(1.0e6, 2.0e6))  # the grid's span


def _trace(level: np.ndarray, det: Detector, f: np.ndarray = F) -> Trace:
    return Trace(f, level, LevelUnit.DBUV, det, name=det.value, rbw_hz=9e3)


def _av(result: CaptureResult) -> LineCheck:
    return next(c for c in result.checks if c.line == "AV")


def test_qp_under_av_limit_settles_peak_over_av_limit() -> None:
    peak = np.full(F.shape, 30.0)
    peak[100] = 50.0  # 4 dB over the AV limit, 6 dB under QP: alone, AV is INCONCLUSIVE
    alone = analyse_capture(Capture(traces=(_trace(peak, Detector.PEAK),)), B_CLASS)
    assert _av(alone).verdict is Verdict.INCONCLUSIVE
    qp = np.full(F.shape, 29.0)
    qp[100] = 44.0  # QP >= CISPR-AV, so AV <= 44 < 46 at 1.5 MHz
    both = analyse_capture(
        Capture(traces=(_trace(peak, Detector.PEAK), _trace(qp, Detector.QUASI_PEAK))), B_CLASS
    )
    av = _av(both)
    assert av.verdict is Verdict.PASS
    assert av.worst_bound is Bound.UPPER
    assert av.worst_margin_db == 46.0 - 44.0
    assert av.worst_frequency_hz == 1.5e6


def test_qp_over_av_limit_leaves_it_open() -> None:
    peak = np.full(F.shape, 30.0)
    peak[100] = 50.0
    qp = np.full(F.shape, 29.0)
    qp[100] = 47.0  # still above the AV limit: an upper bound over the limit settles nothing
    both = analyse_capture(
        Capture(traces=(_trace(peak, Detector.PEAK), _trace(qp, Detector.QUASI_PEAK))), B_CLASS
    )
    av = _av(both)
    assert av.verdict is Verdict.INCONCLUSIVE
    assert "cispr-average measurement at 1.5 MHz" in av.needs


def test_own_neighbours_do_not_settle() -> None:
    peak = np.full(F.shape, 30.0)
    peak[100] = 50.0  # the peak trace's own passing neighbours prove nothing at 1.5 MHz
    alone = analyse_capture(Capture(traces=(_trace(peak, Detector.PEAK),)), B_CLASS)
    assert _av(alone).verdict is Verdict.INCONCLUSIVE


def test_far_tighter_bound_does_not_settle() -> None:
    peak = np.full(F.shape, 30.0)
    peak[100] = 50.0
    f_qp = np.array([1.2e6, 1.8e6])  # QP readings nowhere near 1.5 MHz
    qp = _trace(np.array([20.0, 20.0]), Detector.QUASI_PEAK, f_qp)
    both = analyse_capture(Capture(traces=(_trace(peak, Detector.PEAK), qp)), B_CLASS)
    assert _av(both).verdict is Verdict.INCONCLUSIVE


def test_a_lower_trace_of_the_same_detector_does_not_settle() -> None:
    """Two peak traces disagreeing at a frequency were not one measurement: the higher stands.

    An analyser export's max-hold shows an intermittent emission its clear-write trace (or a
    hold from another run, an ambient) does not; the lower trace proves nothing about it.
    """
    high = np.full(F.shape, 30.0)
    high[100] = 50.0  # over the AV limit (46), under QP (56)
    low = np.full(F.shape, 30.0)  # another peak trace, under the AV limit everywhere
    both = analyse_capture(
        Capture(traces=(_trace(high, Detector.PEAK), _trace(low, Detector.PEAK))), B_CLASS
    )
    av = _av(both)
    assert av.verdict is Verdict.INCONCLUSIVE
    assert "cispr-average measurement at 1.5 MHz" in av.needs


def test_two_bounds_over_the_line_do_not_settle_each_other_through_their_skirts() -> None:
    """A peak and a QP trace both over the AV line at one emission leave it open.

    On a 4 kHz grid (finer than RBW / 2 = 4.5 kHz) each trace's passing skirt point lies
    within reach of the other's reading over the line; neither is a reading of the emission
    under the limit. Alone, the QP trace says AV <= 47 (INCONCLUSIVE, >= -1 dB); adding the
    peak trace must not loosen that.
    """
    f = np.arange(1.0e6, 2.0e6 + 1.0, 4e3)
    i = int(np.argmin(np.abs(f - 1.5e6)))
    peak = np.full(f.shape, 20.0)
    qp = np.full(f.shape, 20.0)
    peak[i], qp[i] = 49.0, 47.0  # AV limit 46 dBuV: both over it, QP under its own 56
    peak[i - 1] = peak[i + 1] = 44.3  # filter skirts, under the AV line
    qp[i - 1] = qp[i + 1] = 42.3
    both = analyse_capture(
        Capture(traces=(_trace(peak, Detector.PEAK, f), _trace(qp, Detector.QUASI_PEAK, f))),
        B_CLASS,
    )
    av = _av(both)
    assert av.verdict is Verdict.INCONCLUSIVE
    assert av.worst_margin_db == -1.0
    assert av.worst_frequency_hz == f[i]


# A peak prescan on a coarse grid (100 kHz step, 9 kHz RBW) over 150 kHz-30 MHz: one point,
# 1.05 MHz, reads 60 dBµV, 4 dB over the 15.107(a) QP limit (56) and 14 dB over AV (46).
COARSE = np.arange(150e3, 30e6 + 1.0, 100e3)
FULL_RANGE = CheckSettings(limit_ids=("fcc-15.107-b",))


def _coarse_prescan() -> Trace:
    level = np.full(COARSE.shape, 30.0)
    level[np.argmin(np.abs(COARSE - 1.05e6))] = 60.0
    return _trace(level, Detector.PEAK, COARSE)


def _final(f_hz: float, det: Detector, level: float) -> Trace:
    return _trace(np.array([level]), det, np.array([f_hz]))


def test_a_final_half_a_coarse_step_away_does_not_settle_the_prescan() -> None:
    """A 9 kHz receiver at 1.10 MHz cannot see an emission at 1.05 MHz (CISPR 16-1-1 B6).

    The prescan's own point at 1.10 MHz reads 30 dBµV: the final measured there, not the
    emission. Within half the prescan's step it once settled it: PASS, exit 0. ``needs``
    names the 1.0-1.1 MHz bucket.
    """
    traces = (
        _coarse_prescan(),
        _final(1.10e6, Detector.QUASI_PEAK, 35.0),
        _final(1.10e6, Detector.CISPR_AVERAGE, 30.0),
    )
    result = analyse_capture(Capture(traces=traces), FULL_RANGE)
    assert result.verdict is Verdict.INCONCLUSIVE
    for check in result.checks:
        assert check.verdict is Verdict.INCONCLUSIVE
        assert check.worst_frequency_hz == 1.05e6
        assert "measurement across 1-1.1 MHz" in check.needs
        assert check.needs_hz == ()
        assert check.needs_ranges_hz == (pytest.approx((1.0e6, 1.1e6)),)


def test_a_final_at_the_coarse_point_measures_a_sliver_of_its_bucket() -> None:
    """A 9 kHz final at a 100 kHz-step peak reading's point sees 9 % of its bucket.

    The peak reading is the maximum over 1.0-1.1 MHz; a final at 1.05 MHz sees 1.0455-1.0545
    MHz of it, and an emission at 1.02 MHz reads as noise there. Once a final within B / 2
    of the grid point settled the whole bucket: PASS on 9 % of it.
    """
    for f_final in (1.05e6, 1.054e6):
        traces = (
            _coarse_prescan(),
            _final(f_final, Detector.QUASI_PEAK, 35.0),
            _final(f_final, Detector.CISPR_AVERAGE, 30.0),
        )
        result = analyse_capture(Capture(traces=traces), FULL_RANGE)
        assert result.verdict is Verdict.INCONCLUSIVE
        assert all("across 1-1.1 MHz" in c.needs for c in result.checks)


def test_finals_across_the_bucket_settle_it() -> None:
    """QP and CISPR-AV readings every 9 kHz, their ± 4.5 kHz passbands covering the bucket."""
    f = np.append(1.0045e6 + 9e3 * np.arange(11), 1.0955e6)
    qp = _trace(np.full(f.shape, 50.0), Detector.QUASI_PEAK, f)
    av = _trace(np.full(f.shape, 40.0), Detector.CISPR_AVERAGE, f)
    result = analyse_capture(Capture(traces=(_coarse_prescan(), qp, av)), FULL_RANGE)
    assert result.verdict is Verdict.PASS
    one_short = Capture(
        traces=(_coarse_prescan(), _trace(qp.level[1:], Detector.QUASI_PEAK, f[1:]))
    )
    q = next(c for c in analyse_capture(one_short, FULL_RANGE).checks if c.line == "QP")
    assert q.verdict is Verdict.INCONCLUSIVE  # 1.0-1.009 MHz no final reaches


def test_a_zoomed_peak_scan_locates_the_coarse_bucket_emission() -> None:
    """A finer peak scan reading the bucket's level locates its emission; the finals settle it.

    A 1 kHz-step peak scan over the bucket reads its 60 dBµV at 1.054 MHz, where the finals
    are: the bucket's reading is that emission's (the lab's usual zoom before a final). A
    zoom reading lower there (another run) locates nothing: the higher reading stands.
    """
    zoom_f = np.arange(0.99e6, 1.11e6 + 1.0, 1e3)
    zoom = np.full(zoom_f.shape, 30.0)
    k = int(np.argmin(np.abs(zoom_f - 1.054e6)))
    finals = (
        _final(1.054e6, Detector.QUASI_PEAK, 50.0),
        _final(1.054e6, Detector.CISPR_AVERAGE, 40.0),
    )
    for level, want in ((60.0, Verdict.PASS), (55.0, Verdict.INCONCLUSIVE)):
        zoom[k] = level
        traces = (_coarse_prescan(), _trace(zoom.copy(), Detector.PEAK, zoom_f), *finals)
        result = analyse_capture(Capture(traces=traces), FULL_RANGE)
        assert result.verdict is want, level
    assert {c.line: c.worst_frequency_hz for c in result.checks} == {"QP": 1.05e6, "AV": 1.05e6}


def test_two_peak_traces_on_one_grid_do_not_settle_each_other() -> None:
    """Max-hold and clear-write of one sweep: neither is finer, the higher stands."""
    clear = np.full(COARSE.shape, 30.0)
    traces = (
        _coarse_prescan(),
        _trace(clear, Detector.PEAK, COARSE),
        _final(1.05e6, Detector.QUASI_PEAK, 35.0),
        _final(1.05e6, Detector.CISPR_AVERAGE, 30.0),
    )
    result = analyse_capture(Capture(traces=traces), FULL_RANGE)
    assert result.verdict is Verdict.INCONCLUSIVE
    assert {c.worst_frequency_hz for c in result.checks} == {1.05e6}


def test_a_tighter_bound_half_a_coarse_step_away_does_not_settle() -> None:
    """A QP reading (an upper bound on CISPR-AV) 50 kHz away says nothing of 1.05 MHz."""
    traces = (_coarse_prescan(), _final(1.10e6, Detector.QUASI_PEAK, 40.0))
    av = _av(analyse_capture(Capture(traces=traces), FULL_RANGE))
    assert av.verdict is Verdict.INCONCLUSIVE
    assert av.worst_frequency_hz == 1.05e6


RADIATED = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0, highest_frequency_hz=50e6)


def test_an_analysers_default_1001_point_sweep_needs_more_than_one_final_per_bucket() -> None:
    """1001 points over 30-1000 MHz: 970 kHz buckets against a 120 kHz QP final.

    The peak reading 49 dBµV/m at 375.32 MHz, 3 dB over the 46.02 QP limit (47 CFR 15.109(a)),
    is the maximum over 374.835-375.805 MHz. A final at the grid point reading 26 once gave
    PASS; the emission may be 320 kHz away, where that final reads noise. Now INCONCLUSIVE,
    naming the bucket.
    """
    f = np.linspace(30e6, 1000e6, 1001)
    level = np.full(f.shape, 25.0)
    k = int(np.argmin(np.abs(f - 375.32e6)))
    level[k] = 49.0
    prescan = Trace(f, level, LevelUnit.DBUV_M, Detector.PEAK, "pk", rbw_hz=120e3)
    final = Trace(np.array([f[k]]), np.array([26.0]), LevelUnit.DBUV_M, Detector.QUASI_PEAK, "qp")
    final = dataclasses.replace(final, rbw_hz=120e3, dwell_s=1.0)
    qp = analyse_capture(Capture(traces=(prescan, final)), RADIATED).checks[0]
    assert (qp.line, qp.verdict) == ("QP", Verdict.INCONCLUSIVE)
    assert qp.worst_frequency_hz == f[k]
    assert qp.needs_ranges_hz == (pytest.approx((374.835e6, 375.805e6)),)
    assert "across 374.835-375.805 MHz" in qp.needs


def test_finals_at_the_edges_of_a_bucket_leave_its_middle_open() -> None:
    """An emission at the bucket's edge is B / 2 at most from a final that settles it.

    Finals 115 and 125 kHz from a CW at 375.80 MHz would read it 22 and 26 dB low (the
    ``6 (2δ/B6)²`` skirt): they covered the bucket less B / 2 at each end, which once
    settled it. Now the bucket must lie inside their passbands.
    """
    f = np.linspace(30e6, 1000e6, 1001)
    level = np.full(f.shape, 25.0)
    k = int(np.argmin(np.abs(f - 375.32e6)))
    level[k] = 49.0
    prescan = Trace(f, level, LevelUnit.DBUV_M, Detector.PEAK, "pk", rbw_hz=120e3)
    ff = np.arange(374.895e6, 375.746e6, 120e3)  # across the middle, 85 kHz short of each end
    finals = dataclasses.replace(
        Trace(ff, np.full(ff.shape, 26.0), LevelUnit.DBUV_M, Detector.QUASI_PEAK, "qp"),
        rbw_hz=120e3,
        dwell_s=1.0,
    )
    qp = analyse_capture(Capture(traces=(prescan, finals)), RADIATED).checks[0]
    assert qp.verdict is Verdict.INCONCLUSIVE


def test_a_bucket_spanning_a_limit_step_is_judged_against_the_stricter_side() -> None:
    """801 points over 30-1000 MHz: the 230.0625 MHz point's bucket reaches down to 229.46 MHz.

    CISPR 32 Class B at 3 m is 40 dBµV/m (QP) below 230 MHz and 47 above. A 45 dBµV/m
    reading there passes 47 by 2 dB, but the emission may lie below 230 MHz, 5 dB over 40.
    It once read PASS; now it is an upper bound over the limit: INCONCLUSIVE, with a note.
    A reading under both sides keeps its own frequency's margin.
    """
    f = np.linspace(30e6, 1000e6, 801)
    k = int(np.argmin(np.abs(f - 230.0625e6)))
    assert f[k - 1] < 230e6 < f[k] and f[k] - (f[k] - f[k - 1]) / 2 < 230e6
    s = CheckSettings(limit_ids=("cispr32-b-rad-3m",), distance_m=3.0, highest_frequency_hz=50e6)
    for level, verdict, margin in ((45.0, Verdict.INCONCLUSIVE, -5.0), (38.0, Verdict.PASS, None)):
        lv = np.full(f.shape, 20.0)
        lv[k] = level
        r = analyse_capture(
            Capture(traces=(Trace(f, lv, LevelUnit.DBUV_M, Detector.PEAK, "pk", rbw_hz=120e3),)),
            s,
        )
        qp = next(c for c in r.checks if c.line == "QP")
        assert qp.verdict is verdict
        if margin is not None:
            assert (qp.worst_frequency_hz, qp.worst_margin_db) == (f[k], pytest.approx(margin))
            assert any(
                "229.456-230.669 MHz, over which the limit falls to 40.00 at 229.456 MHz" in w
                and "(a step or slope of the limit)" in w
                for w in r.warnings
            ), r.warnings
        else:
            assert qp.worst_margin_db == pytest.approx(47.0 - 38.0)  # its own frequency's


def test_a_final_at_the_1_ghz_edge_is_a_120_khz_one() -> None:
    """A final at 1000 MHz stating no RBW measured in the 30-1000 MHz line's 120 kHz band.

    Taken at the 1 MHz band above, it once covered the whole last bucket of a 1001-point
    prescan (999.515-1000 MHz): a CW at 999.6 MHz 2 dB over the QP limit read PASS.
    """
    f = np.linspace(30e6, 1000e6, 1001)
    level = np.full(f.shape, 25.0)
    level[-1] = 56.0  # 2 dB over the 54 dBµV/m of 960-1000 MHz (47 CFR 15.109(a))
    prescan = Trace(f, level, LevelUnit.DBUV_M, Detector.PEAK, "pk", rbw_hz=120e3)
    final = dataclasses.replace(
        Trace(np.array([1000e6]), np.array([30.0]), LevelUnit.DBUV_M, Detector.QUASI_PEAK, "qp"),
        dwell_s=1.0,
    )
    qp = analyse_capture(Capture(traces=(prescan, final)), RADIATED).checks[0]
    assert qp.verdict is Verdict.INCONCLUSIVE
    assert qp.needs_ranges_hz == (pytest.approx((999.515e6, 1000e6)),)


def _cispr32_801(level_pk: float, level_qp: float, qp_dwell_s: float | None) -> LineCheck:
    """Peak and QP on one 801-point grid; the 230.0625 MHz point reads the given levels."""
    f = np.linspace(30e6, 1000e6, 801)
    k = int(np.argmin(np.abs(f - 230.0625e6)))
    pk, qp = np.full(f.shape, 20.0), np.full(f.shape, 18.0)
    pk[k], qp[k] = level_pk, level_qp
    peak = Trace(f, pk, LevelUnit.DBUV_M, Detector.PEAK, "pk", rbw_hz=120e3)
    quasi = Trace(f, qp, LevelUnit.DBUV_M, Detector.QUASI_PEAK, "qp", rbw_hz=120e3)
    quasi = dataclasses.replace(quasi, dwell_s=qp_dwell_s)
    s = CheckSettings(limit_ids=("cispr32-b-rad-3m",), distance_m=3.0, highest_frequency_hz=50e6)
    r = analyse_capture(Capture(traces=(peak, quasi)), s)
    return next(c for c in r.checks if c.line == "QP")


def test_a_same_sweep_qp_reading_does_not_settle_a_bucket_over_a_limit_step() -> None:
    """A 3-detector export: the QP column's 45 at 230.06 MHz passes 47 but not the 40 below.

    Its bucket reaches below 230 MHz, so it settled the peak reading's bucket, PASS +2.00
    (the CW was at 229.6 MHz: truly 5 dB over). Now the peak reading stays open.
    """
    qp = _cispr32_801(45.0, 45.0, None)
    assert qp.verdict is Verdict.INCONCLUSIVE
    assert qp.worst_margin_db == pytest.approx(-5.0)


def test_a_stepped_scan_on_the_prescan_grid_is_not_its_sweep() -> None:
    """A receiver QP scan stating 1 s per frequency, on the prescan's grid, read its points only.

    On the prescan's 801 points it once settled the 1.2 MHz buckets as a QP trace of the
    same sweep does.
    """
    f = np.linspace(30e6, 1000e6, 801)
    k = int(np.argmin(np.abs(f - 375.0e6)))
    pk, qp = np.full(f.shape, 20.0), np.full(f.shape, 18.0)
    pk[k] = 49.0  # 2 dB over the 47 of CISPR 32 Class B above 230 MHz
    peak = Trace(f, pk, LevelUnit.DBUV_M, Detector.PEAK, "pk", rbw_hz=120e3)
    s = CheckSettings(limit_ids=("cispr32-b-rad-3m",), distance_m=3.0, highest_frequency_hz=50e6)
    for dwell, want in ((1.0, Verdict.INCONCLUSIVE), (None, Verdict.PASS)):
        quasi = dataclasses.replace(
            Trace(f, qp, LevelUnit.DBUV_M, Detector.QUASI_PEAK, "qp", rbw_hz=120e3), dwell_s=dwell
        )
        r = analyse_capture(Capture(traces=(peak, quasi)), s)
        assert next(c for c in r.checks if c.line == "QP").verdict is want, dwell


def test_a_bucket_on_the_conducted_slope_names_where_its_limit_is_taken() -> None:
    """0.15-0.5 MHz falls with log f: the row's limit is the bucket's far end's, and says so.

    1001 points over 0.15-30 MHz; a 63.00 dBµV peak at 0.2097 MHz passes its own frequency's
    QP limit (63.22) but not the 62.65 at its bucket's upper end, 0.224625 MHz (by hand:
    66 - 19.1249 log10(0.224625/0.15) = 62.646).
    """
    f = np.round(np.linspace(0.15e6, 30e6, 1001), 0)
    lv = np.full(f.shape, 30.0)
    k = int(np.argmin(np.abs(f - 0.2097e6)))
    lv[k] = 63.0
    trace = Trace(f, lv, LevelUnit.DBUV, Detector.PEAK, "pk", rbw_hz=9e3)
    r = analyse_capture(Capture(traces=(trace,)), CheckSettings(limit_ids=("fcc-15.107-b",)))
    qp = next(c for c in r.checks if c.line == "QP")
    assert qp.verdict is Verdict.INCONCLUSIVE
    assert qp.worst_margin_db == pytest.approx(62.646 - 63.0, abs=0.005)
    (note,) = [w for w in r.warnings if "over which the limit falls" in w]
    assert "over which the limit falls to 62.65 at 0.224625 MHz (a step or slope" in note


def test_a_bucket_over_its_own_limit_keeps_the_bucket_ends_margin() -> None:
    """A higher swept reading never shows a better margin (it read -1.00 dB, 66 dBµV -7.20)."""
    f = np.geomspace(0.15e6, 30e6, 5)  # the first bucket reaches 0.357 MHz down the slope
    worst: dict[float, float] = {}
    for top in (66.0, 67.0):
        lv = np.array([top, 10, 10, 10, 10])
        trace = Trace(f, lv, LevelUnit.DBUV, Detector.PEAK, "pk", rbw_hz=9e3)
        r = analyse_capture(Capture(traces=(trace,)), CheckSettings(limit_ids=("fcc-15.107-b",)))
        qp = next(c for c in r.checks if c.line == "QP")
        assert qp.verdict is Verdict.INCONCLUSIVE
        assert qp.worst_margin_db is not None
        worst[top] = qp.worst_margin_db
        notes = [w for w in r.warnings if "over which the limit falls" in w and "QP" in w]
        assert len(notes) == (1 if top == 66.0 else 0)  # a passing reading turned: said once
    assert worst[66.0] == pytest.approx(-7.203, abs=0.001)
    assert worst[67.0] == pytest.approx(worst[66.0] - 1.0, abs=1e-9)
