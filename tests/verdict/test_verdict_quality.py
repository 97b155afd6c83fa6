"""The verdict claims only what the data supports.

Too-wide RBW (upper bounds only), unsettled quasi-peak / CISPR-average readings (lower bounds only),
short receiver records kept as lower bounds, and ``needs`` naming every measurement still required.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import ArrayLike, NDArray

from rfcheck.analysis import analyse_capture, run_check
from rfcheck.capture import Capture, Detector, SampleKind, TimeSeries, Trace
from rfcheck.outcome import Bound, Verdict
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit

ROOT = Path(__file__).resolve().parents[2]
REAL = Path(os.environ.get("RFCHECK_REAL_CAPTURES", ROOT.parent / "shared" / "real_captures"))
D = Detector
F = np.linspace(0.5e6, 5e6, 901)  # 5 kHz grid, QP limit 56, AV limit 46 (Class B)
# judged over the grid's span (a PASS over the rest of 0.15-30 MHz would be an overclaim)
B_CLASS = CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(0.5e6, 5e6))


def tr(
    det: Detector,
    level: ArrayLike,
    freq: ArrayLike = F,
    rbw: float | None = 9e3,
    dwell: float | None = None,
    name: str = "",
    settled: bool | None = None,
) -> Trace:
    freq = np.asarray(freq, dtype=float)
    level = np.broadcast_to(np.asarray(level, dtype=float), freq.shape).copy()
    return Trace(
        freq,
        level,
        LevelUnit.DBUV,
        det,
        name or det.value,
        rbw_hz=rbw,
        dwell_s=dwell,
        settled=settled,
    )


def check(result: CaptureResult, line: str = "QP") -> LineCheck:
    return next(c for c in result.checks if c.line == line)


def judge(*traces: Trace, settings: CheckSettings = B_CLASS) -> CaptureResult:
    return analyse_capture(Capture(traces=traces), settings)


# --- 1. RBW too wide: upper bounds only ----------------------------------------------------------
def test_wide_rbw_measurement_is_only_an_upper_bound() -> None:
    r = judge(tr(D.QUASI_PEAK, 50.0, rbw=1e6))
    q = check(r)
    assert (q.verdict, q.worst_bound) == (Verdict.PASS, Bound.UPPER)  # reads high: 50 <= 56 holds
    assert any(
        "RBW 1 MHz is wider than 1.25 × the CISPR bandwidth over part of fcc-15.107-b QP; only "
        "an upper bound there" in w
        for w in r.warnings
    ), r.warnings


def test_wide_rbw_reading_over_the_limit_does_not_fail() -> None:
    # a 1 MHz-RBW QP at 58 dBuV may be a broadband over-read: not a FAIL, not a PASS
    q = check(judge(tr(D.QUASI_PEAK, 58.0, rbw=1e6)))
    assert q.verdict is Verdict.INCONCLUSIVE and q.worst_bound is Bound.UPPER
    # CISPR-average is a lower bound for QP only in the CISPR bandwidth: dropped when wide
    wide_av = judge(tr(D.CISPR_AVERAGE, 58.0, rbw=1e6))
    assert check(wide_av).verdict is Verdict.INCONCLUSIVE
    assert "no reading bounds it there" in check(wide_av).needs  # its lower bounds dropped
    # and the note says so: never "only an upper bound", which an average reading of a
    # quasi-peak line cannot be
    (note,) = [w for w in wide_av.warnings if "wider than 1.25" in w and " QP;" in w]
    assert "only an upper bound" not in note
    assert "its readings, at most lower bounds of this line, bound nothing there" in note
    assert check(judge(tr(D.CISPR_AVERAGE, 58.0, rbw=9e3))).verdict is Verdict.FAIL  # unchanged


def test_rbw_within_tolerance_keeps_the_table() -> None:
    for rbw in (7.2e3, 10e3, 11.25e3):
        r = judge(tr(D.QUASI_PEAK, 58.0, rbw=rbw))
        assert (check(r).verdict, check(r).worst_bound) == (Verdict.FAIL, Bound.MEASURED)
        assert not any("wider than" in w or "narrower than" in w for w in r.warnings)


# --- 2. quasi-peak dwell shorter than 1 s: lower bounds only -------------------------------------
def test_short_qp_dwell_over_the_limit_fails_as_a_lower_bound() -> None:
    r = judge(tr(D.QUASI_PEAK, 58.0, dwell=0.001, name="TRACE 4"))
    q = check(r)
    assert (q.verdict, q.worst_bound) == (Verdict.FAIL, Bound.LOWER)  # was FAIL, measured
    assert q.worst_margin_db == pytest.approx(-2.0)
    assert any(
        "TRACE 4: its quasi-peak dwell (0.001 s) is shorter than the 1 s" in w
        and "no upper bound from them" in w
        for w in r.warnings
    )


def test_short_qp_dwell_under_the_limit_proves_no_pass() -> None:
    r = judge(tr(D.QUASI_PEAK, 40.0, dwell=0.001))
    assert (check(r).verdict, check(r).worst_bound) == (
        Verdict.INCONCLUSIVE,
        Bound.LOWER,
    )  # was PASS


def test_short_qp_dwell_under_a_passing_peak_passes_on_the_peak() -> None:
    r = judge(tr(D.PEAK, 45.0), tr(D.QUASI_PEAK, 40.0, dwell=0.001))
    q = check(r)
    assert (q.verdict, q.worst_bound) == (Verdict.PASS, Bound.UPPER)
    assert q.worst_margin_db == pytest.approx(11.0)  # 56 - 45 (peak)


def test_short_qp_dwell_under_a_failing_peak_is_inconclusive() -> None:
    # QP 55.5 (1 ms) under the 56 dBuV limit, peak 58 over it
    r = judge(tr(D.PEAK, 58.0), tr(D.QUASI_PEAK, 55.5, dwell=0.001))
    assert check(r).verdict is Verdict.INCONCLUSIVE  # was PASS +0.50 dB "measured"


@pytest.mark.parametrize(("det", "need"), [(D.QUASI_PEAK, "1"), (D.CISPR_AVERAGE, "1")])
def test_what_a_short_dwell_line_needs_names_the_dwell(det: Detector, need: str) -> None:
    r = judge(tr(D.PEAK, 58.0), tr(det, 40.0, dwell=0.001))
    line = next(c for c in r.checks if c.detector == det.value)
    assert line.verdict is Verdict.INCONCLUSIVE
    assert line.needs.endswith(f"; a dwell ≥ {need} s per frequency"), line.needs
    assert line.needs_dwell_s == pytest.approx(float(need))
    assert line.to_json()["needs_dwell_s"] == pytest.approx(float(need))
    assert line.needs_record_s is None  # an instrument's dwell, not a recording's length


@pytest.mark.parametrize(
    ("det", "dwell", "start_hz", "stop_hz", "need"),
    [
        (D.QUASI_PEAK, 0.99, 150e3, 30e6, 1.0),  # the 1 s per frequency for unknown signals
        (D.QUASI_PEAK, 1.0, 150e3, 30e6, None),  # long enough
        (D.CISPR_AVERAGE, 0.5, 150e3, 30e6, 1.0),  # Band B: min(1.12 s settling, 1 s)
        (D.CISPR_AVERAGE, 0.5, 30e6, 1e9, 0.7),  # Bands C/D: 0.7 s
        (D.CISPR_AVERAGE, 0.71, 30e6, 1e9, None),
        (D.QUASI_PEAK, None, 150e3, 30e6, None),  # unknown dwell: no claim
        (D.PEAK, 0.001, 150e3, 30e6, None),  # no dwell rule for the peak detector
    ],
)
def test_unmet_dwell_need_is_the_need_a_stated_dwell_falls_short_of(
    det: Detector, dwell: float | None, start_hz: float, stop_hz: float, need: float | None
) -> None:
    from rfcheck.verdict.settling_needs import unmet_dwell_need_s

    got = unmet_dwell_need_s(det, dwell, start_hz, stop_hz)
    assert got == (None if need is None else pytest.approx(need, abs=1e-3))


@pytest.mark.parametrize("dwell", [0.001, 0.5, 0.999, 1.0, 2.0])
def test_the_dwell_a_line_needs_is_the_need_that_marked_its_trace_unsettled(dwell: float) -> None:
    """One rule marks the trace unsettled and states its need: they agree on every dwell."""
    from rfcheck.verdict.settling_needs import unmet_dwell_need_s

    av = tr(D.CISPR_AVERAGE, 40.0, dwell=dwell)
    need = unmet_dwell_need_s(av.detector, av.dwell_s, av.start_hz, av.stop_hz)
    line = check(judge(tr(D.PEAK, 58.0), av), "AV")  # the peak over the limit settles nothing
    assert line.needs_dwell_s == need
    assert line.verdict is (Verdict.INCONCLUSIVE if need is not None else Verdict.PASS)


def test_a_peak_trace_dwell_adds_nothing_to_what_a_line_needs() -> None:
    r = judge(tr(D.PEAK, 58.0, dwell=0.001))  # no dwell rule for the peak detector
    assert check(r).verdict is Verdict.INCONCLUSIVE
    assert check(r).needs.startswith("quasi-peak measurement at ")
    assert "dwell" not in check(r).needs
    assert check(r).needs_dwell_s is None


@pytest.mark.parametrize(
    ("det", "dwell", "verdict"),
    [
        (D.QUASI_PEAK, 1.0, Verdict.PASS),  # the 1 s per frequency for unknown signals
        (D.QUASI_PEAK, 0.99, Verdict.INCONCLUSIVE),
        (D.CISPR_AVERAGE, 1.0, Verdict.PASS),  # Band B: min(1.12 s settling, 1 s)
        (D.CISPR_AVERAGE, 0.5, Verdict.INCONCLUSIVE),
        (D.AVERAGE, 0.001, Verdict.PASS),  # not a CISPR weighting detector: no dwell rule
    ],
)
def test_dwell_needed_to_settle(det: Detector, dwell: float, verdict: Verdict) -> None:
    r = judge(tr(det, 30.0, dwell=dwell))
    line = "QP" if det is D.QUASI_PEAK else "AV"
    assert check(r, line).verdict is verdict


def test_explicitly_unsettled_qp_proves_no_pass() -> None:
    r = judge(tr(D.PEAK, 45.0), tr(D.QUASI_PEAK, 40.0, dwell=0.001, settled=False))
    q = check(r)
    assert (q.verdict, q.worst_bound) == (Verdict.PASS, Bound.UPPER)
    assert q.worst_margin_db == pytest.approx(11.0)  # the deciding evidence: 56 - 45 (peak)


@pytest.mark.parametrize("dwell", [None, 1.0, 5.0])
def test_unknown_or_long_dwell_keeps_the_table(dwell: float | None) -> None:
    r = judge(tr(D.QUASI_PEAK, 40.0, dwell=dwell))
    assert (check(r).verdict, check(r).worst_bound) == (Verdict.PASS, Bound.MEASURED)
    assert check(r, "AV").verdict is Verdict.PASS  # QP 40 >= AV: upper bound under 46
    stated = [w for w in r.warnings if "dwell" in w]
    if dwell is None:  # judged as the table says, with a note that the dwell was not stated
        assert stated == [
            "trace quasi-peak: quasi-peak readings with no stated dwell per frequency are "
            "judged as measurements, which they are only with a dwell of at least 1 s per "
            "frequency (docs/references.md §5); a shorter dwell reads low: state it (dwell_s, "
            "or the instrument's measurement time) to have it checked"
        ]
    else:
        assert stated == []


def test_short_dwell_peak_and_explicit_settled_flags() -> None:
    assert check(judge(tr(D.PEAK, 40.0, dwell=0.001))).verdict is Verdict.PASS  # peak settles fast
    # an explicit settled flag wins over the dwell
    assert (
        check(judge(tr(D.QUASI_PEAK, 40.0, dwell=0.5, settled=True))).worst_bound is Bound.MEASURED
    )
    q = check(judge(tr(D.CISPR_AVERAGE, 40.0, settled=False)), "AV")
    assert q.verdict is Verdict.INCONCLUSIVE


# --- 3. a short receiver-model record: unsettled QP/CAV kept as lower bounds ---------------------
def _envelope(level_dbuv: float, seconds: float) -> Capture:
    fs = 100e3
    ts = TimeSeries(
        np.full(int(seconds * fs), level_dbuv),
        fs,
        SampleKind.ENVELOPE,
        center_freq_hz=1e6,
        unit=LevelUnit.DBUV,
        rbw_hz=9e3,
        detector=D.PEAK,
    )
    return Capture(time_series=(ts,))


def test_short_record_unsettled_qp_over_the_limit_fails() -> None:
    r = analyse_capture(_envelope(70.0, 0.3), B_CLASS)  # QP needs ~1.6 s in Band B
    q = check(r)
    assert (q.verdict, q.worst_bound) == (Verdict.FAIL, Bound.LOWER)
    assert check(r, "AV").verdict is Verdict.FAIL
    assert any(
        "receiver quasi-peak: recording 0.3 s is shorter than" in w and "lower bound only" in w
        for w in r.warnings
    )


def test_short_record_low_level_is_inconclusive_not_a_peak_pass() -> None:
    # a 0.3 s record may hold no burst of an emission repeating more slowly: its peak bounds
    # neither QP nor AV from above (docs/verdict.md, "Record length")
    r = analyse_capture(_envelope(30.0, 0.3), B_CLASS)
    q = check(r)
    assert (q.verdict, q.worst_bound) == (Verdict.INCONCLUSIVE, Bound.LOWER)
    assert q.needs.endswith("; a record ≥ 1.61 s at these frequencies")
    assert check(r, "AV").needs.endswith("; a record ≥ 1.12 s at these frequencies")


def test_long_enough_record_low_level_passes_where_measured() -> None:
    r = analyse_capture(_envelope(30.0, 1.7), B_CLASS)
    q = check(r)
    assert (q.verdict, q.worst_bound) == (Verdict.INCOMPLETE, Bound.MEASURED)
    assert q.worst_margin_db == pytest.approx(26.0, abs=0.1)


@pytest.mark.real
def test_real_short_fsw_record_fails_on_unsettled_qp() -> None:
    path = REAL / "rs_fsw_k70_edge_900MHz.iq.tar"
    if not path.exists():
        pytest.skip(f"real capture absent: {path}")
    s = CheckSettings(limit_ids=("fcc-15.109-b",), antenna_factor=0.0)
    res = run_check([path], s).captures[0]
    assert res.verdict is not Verdict.ERROR, f"the reader failed on a real capture: {res.errors}"
    q = check(res)
    assert (q.verdict, q.worst_bound) == (Verdict.FAIL, Bound.LOWER)
    assert q.worst_margin_db is not None and q.worst_margin_db < -40
    assert res.verdict is Verdict.FAIL


# --- 4. needs: one entry per measurement still required ------------------------------------------
def _bumps(
    freqs_levels: dict[float, float], freq: NDArray[np.float64] = F, base: float = 30.0
) -> np.ndarray:
    lv = np.full(np.shape(freq), base)
    for f0, level in freqs_levels.items():
        lv[np.argmin(np.abs(freq - f0))] = level
    return lv


def _needs_hz(needs: str) -> list[float]:
    m = re.search(r"measurement at ([^;(]+)", needs)
    assert m, needs
    return [float(x) * 1e6 for x in re.findall(r"([\d.]+) MHz", m.group(1))]


def test_needs_lists_separate_peaks_worst_first() -> None:
    # two exceedances 15 kHz apart on a 5 kHz grid: one QP measurement cannot settle both
    q = check(judge(tr(D.PEAK, _bumps({1.4e6: 58.0, 1.385e6: 63.0}))))
    assert q.needs == "quasi-peak measurement at 1.385 MHz, 1.4 MHz"


def test_needs_groups_points_one_measurement_settles() -> None:
    f = np.linspace(1.0e6, 1.1e6, 101)  # 1 kHz grid: a 9 kHz QP settles +-4.5 kHz
    lv = np.full(f.shape, 30.0)
    lv[48:53] = [57.0, 58.0, 60.0, 58.0, 57.0]  # 1.048-1.052 MHz, peak at 1.05 MHz
    q = check(judge(tr(D.PEAK, lv, freq=f)))
    assert q.needs == "quasi-peak measurement at 1.05 MHz"


def test_needs_caps_at_five_with_count() -> None:
    bumps = {1e6 + k * 100e3: 57.0 + k * 0.1 for k in range(8)}
    q = check(judge(tr(D.PEAK, _bumps(bumps))))
    assert q.needs.endswith(" (+3 more)") and len(_needs_hz(q.needs)) == 5
    assert _needs_hz(q.needs)[0] == pytest.approx(1.7e6)  # worst first


def test_doing_what_needs_says_settles_the_line() -> None:
    peak = tr(D.PEAK, _bumps({1.4e6: 58.0, 1.385e6: 63.0, 1.38e6: 60.0, 1.39e6: 59.0}))
    q = check(judge(peak))
    freqs = _needs_hz(q.needs)
    assert len(freqs) == 4
    finals = tr(D.QUASI_PEAK, 50.0, freq=np.sort(np.round(freqs, -1)), name="finals")
    assert check(judge(peak, finals)).verdict is Verdict.PASS
    partial = tr(D.QUASI_PEAK, 50.0, freq=np.round(freqs[:1], -1), name="finals")
    assert check(judge(peak, partial)).verdict is Verdict.INCONCLUSIVE


def test_sample_rig_needs_names_every_unresolved_peak() -> None:
    cap_ = ROOT / "sample_captures" / "conducted" / "rig_L1_peak_keysight.csv"
    s = CheckSettings(
        limit_ids=("fcc-15.107-b",),
        lisn=ROOT / "sample_captures" / "transducers" / "lisn_factor.csv",
        cable_loss=(0.2,),
    )
    q = check(run_check([cap_], s).captures[0])
    assert q.verdict is Verdict.INCONCLUSIVE
    assert q.needs.startswith("quasi-peak measurement at 1.38878 MHz, ")
    assert "1.4037 MHz" in q.needs  # 58.18 dBuV > 56, 15 kHz from the worst point


def test_needs_on_a_coarse_grid_names_every_point_over_the_limit() -> None:
    """Two points of a coarse peak scan over the QP line, 30 kHz apart, need two measurements.

    A 9 kHz receiver at one cannot see the other (CISPR 16-1-1 B6). Half the local grid step
    (200 kHz at 1.53 MHz) once grouped them: measuring the one named left the other open.
    """
    f = np.array([1.0e6, 1.1e6, 1.5e6, 1.53e6, 1.9e6, 2.0e6])
    lv = np.array([30.0, 30.0, 63.0, 60.0, 30.0, 30.0])  # over the 56 dBuV QP line (15.107(a))
    peak = tr(D.PEAK, lv, freq=f)
    span = CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(1.0e6, 2.0e6))
    q = check(judge(peak, settings=span))
    assert _needs_hz(q.needs) == pytest.approx([1.5e6, 1.53e6])
    one = tr(D.QUASI_PEAK, 50.0, freq=np.array([1.5e6]), name="finals")
    assert _needs_hz(check(judge(peak, one, settings=span)).needs) == [1.53e6]
    finals = tr(D.QUASI_PEAK, 50.0, freq=np.array(_needs_hz(q.needs)), name="finals")
    assert "measurement at" not in check(judge(peak, finals, settings=span)).needs


def test_a_suspect_row_shows_the_failing_reading_not_a_looser_bound_beside_it() -> None:
    """On a coarse grid a quasi-peak reading over the limit is its own emission's row.

    Peak and QP traces on four points 30 MHz-1 GHz: at 100 MHz the QP reading (a lower
    bound, unsettled dwell) is 8.5 dB over the 15.109(a) QP line, so that row says FAIL. The
    QP FAIL at 30 MHz, 70 MHz away, once took 100 MHz into its group (half the local step),
    and the row at 100 MHz showed the peak trace's upper bound as INCONCLUSIVE instead.
    """
    f = np.array([30e6, 100e6, 375e6, 1000e6])
    radiated = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0)

    def field(level: list[float], det: D) -> Trace:
        return Trace(
            f, np.array(level), LevelUnit.DBUV_M, det, name=det.value, rbw_hz=120e3, dwell_s=0.025
        )

    result = judge(
        field([62.0, 67.0, 72.0, 60.0], D.PEAK),
        field([57.0, 52.0, 56.0, 54.0], D.QUASI_PEAK),  # 30 MHz: 17 dB over, worse than 100
        settings=radiated,
    )
    at_100 = [s for s in result.suspects if s.line == "QP" and s.frequency_hz == 100e6]
    assert [(s.detector, s.verdict) for s in at_100] == [("quasi-peak", Verdict.FAIL)]


def test_an_open_line_shows_the_lower_bound_that_leaves_it_open() -> None:
    """A swept QP scan (lower bounds only) beside one peak point at the range's end.

    The QP line is INCONCLUSIVE because nothing bounds the level from above over 30-1000 MHz
    but that one point; its worst was the passing peak point (>= +6.78 dB at 1000 MHz), not
    the reading that leaves it open, the QP lower bound at 300 MHz (<= +6.02 dB).
    """
    radiated = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0, range_hz=(30e6, 1e9))
    f = np.linspace(30e6, 1000e6, 971)  # 1 MHz grid
    qp_level = np.full(f.shape, 20.0)
    qp_level[270] = 40.0  # 300 MHz, under the 46.02 dBuV/m limit (15.109(a), 216-960 MHz)
    qp = Trace(f, qp_level, LevelUnit.DBUV_M, D.QUASI_PEAK, name="QP", rbw_hz=120e3)
    qp = dataclasses.replace(qp, dwell_s=0.01)  # swept QP: may be low, lower bounds only
    edge = Trace(
        np.array([1000e6]), np.array([47.2]), LevelUnit.DBUV_M, D.PEAK, name="PK", rbw_hz=120e3
    )
    q = check(judge(qp, edge, settings=radiated))
    assert q.verdict is Verdict.INCONCLUSIVE
    assert (q.worst_frequency_hz, q.worst_bound) == (300e6, Bound.LOWER)
    assert q.worst_margin_db == pytest.approx(46.02 - 40.0, abs=0.01)
