"""Traces of one capture that contradict the detector order: a lower detector above the peak.

A quasi-peak or average trace reading above the capture's peak trace at one frequency means
the traces are mislabelled or from different set-ups: the capture is warned, and the peak
trace no longer bounds anything from above (docs/verdict.md, "Detector order between the
traces").
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import ArrayLike, NDArray

from rfcheck.analysis import analyse_capture
from rfcheck.capture import Capture, Detector, Trace, TraceMode
from rfcheck.io import load_capture
from rfcheck.outcome import Bound, Verdict
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit
from rfcheck.verdict.consistency import (
    ORDER_TOLERANCE_DB,
    detector_order_contradictions,
    with_detector_order,
)
from rfcheck.verdict.traces import traces_to_judge

ROOT = Path(__file__).resolve().parents[2]
REAL = Path(os.environ.get("RFCHECK_REAL_CAPTURES", ROOT.parent / "shared" / "real_captures"))
ESRP = REAL / "rs_esrp7_receiver_150k-30M_3det.DAT"
D, M = Detector, TraceMode
# 0.15-29.9985 MHz, one point per half 9 kHz RBW
F: NDArray[np.float64] = 150e3 + 4500.0 * np.arange(6634, dtype=np.float64)
K = int(np.argmin(np.abs(F - 1e6)))  # 1.0005 MHz: QP limit 56, AV limit 46 dBµV
FCC_B = CheckSettings(limit_ids=("fcc-15.107-b",))

_RS_HEAD = """Type;ESRP-7;
Version;3.36 SP1;
Date;12.Nov 25;
Mode;Receiver;
Start;150000.000000;Hz
Stop;29998500.000000;Hz
x-Axis;LIN;
x-Unit;Hz;
y-Unit;dBuV;
Scan Count;1;
Transducer;;;;;;;;
Scan 1:
Start;150000.000000;Hz
Stop;29998500.000000;Hz
Step;4500.000000;Hz
RBW;9000.000000;Hz
Meas Time;1.000000;s
Auto Ranging;OFF;
RF Att;10.000000;dB
Auto Preamp;OFF;
Preamp;0.000000;dB
"""


def _rs_trace(n: int, mode: str, detector: str, level: NDArray[np.float64]) -> str:
    rows = "".join(f"{f:.6f};{v:.6f};\n" for f, v in zip(F, level, strict=True))
    return f"TRACE {n}:\nTrace Mode;{mode};\nDetector;{detector};\nValues;{F.size};\n{rows}"


def _rs_file(tmp_path: Path, average_at_1mhz: float) -> Path:
    """Write an R&S ASCII file: Trace 1 MAX PEAK max-hold 30 dBµV, Trace 2 AVERAGE 20 dBµV."""
    peak, average = np.full(F.size, 30.0), np.full(F.size, 20.0)
    average[K] = average_at_1mhz
    path = tmp_path / "contradiction.DAT"
    text = _RS_HEAD + _rs_trace(1, "MAXHOLD", "MAX PEAK", peak)
    path.write_text(text + _rs_trace(2, "CLR/WRITE", "AVERAGE", average), encoding="latin-1")
    return path


def tr(
    det: Detector,
    level: ArrayLike,
    freq: ArrayLike = F,
    *,
    mode: TraceMode = M.MAX_HOLD,
    unit: LevelUnit | None = LevelUnit.DBUV,
    rbw: float | None = 9e3,
    name: str = "",
) -> Trace:
    freq = np.asarray(freq, dtype=float)
    level = np.broadcast_to(np.asarray(level, dtype=float), freq.shape).copy()
    return Trace(freq, level, unit, det, name or det.value, mode=mode, rbw_hz=rbw, dwell_s=1.0)


def _with_bump(det: Detector, base: float, at: float, **kw: object) -> Trace:
    level = np.full(F.size, base)
    level[K] = at
    return tr(det, level, **kw)  # type: ignore[arg-type]


def check(result: CaptureResult, line: str) -> LineCheck:
    return next(c for c in result.checks if c.line == line)


def _order_warnings(result: CaptureResult) -> list[str]:
    return [w for w in result.warnings if "Detector order between the traces" in w]


# --- the contradiction is found and named -------------------------------------------------------
def test_average_above_the_peak_is_named_with_both_traces_frequency_and_excess(
    tmp_path: Path,
) -> None:
    capture = load_capture(_rs_file(tmp_path, 45.0))
    traces, notes = traces_to_judge(capture, FCC_B)
    found = [n for n in notes if "Detector order between the traces" in n]
    assert found == [
        "TRACE 2 (average) reads 15.00 dB above TRACE 1 (peak) at 1.0005 MHz (45.00 against "
        "30.00 dBµV), on the same sweep's grid: one signal never reads higher with the average "
        "detector than with the peak (CISPR 16-1-1), so the traces are mislabelled (detector, "
        "unit or trace order); TRACE 1 bounds no line from above (docs/verdict.md, 'Detector "
        "order between the traces'): check the export's trace settings"
    ]
    # the peak trace is demoted, the average trace keeps its bounds
    assert [t.settled for t in traces] == [False, None]


def test_the_peak_no_longer_settles_a_qp_line(tmp_path: Path) -> None:
    # the peak (30 dBµV) alone bounded the QP line from above: PASS; it contradicts the average
    # trace, so nothing bounds the QP from above any more
    result = analyse_capture(load_capture(_rs_file(tmp_path, 45.0)), FCC_B)
    qp = check(result, "QP")
    assert (qp.verdict, qp.worst_bound) == (Verdict.INCONCLUSIVE, Bound.LOWER)
    assert "quasi-peak measurement over 0.15-30 MHz" in qp.needs
    # the average trace measures the AV line as before: 45 dBµV under the 46 dBµV limit
    av = check(result, "AV")
    assert (av.verdict, av.worst_bound) == (Verdict.PASS, Bound.MEASURED)
    assert av.worst_margin_db == pytest.approx(1.0)
    assert len(_order_warnings(result)) == 1
    # the per-line warning gives the reason the settling rule applies, not a dwell
    peak_notes = [w for w in result.warnings if w.startswith("TRACE 1: its peak readings")]
    assert peak_notes and "capture's notes say why" in peak_notes[0]
    assert not any("dwell per point" in w for w in result.warnings)


def test_a_lower_bound_over_the_limit_still_fails(tmp_path: Path) -> None:
    # the average trace's 58 dBµV is a lower bound of the QP: over the 56 dBµV QP limit
    result = analyse_capture(load_capture(_rs_file(tmp_path, 58.0)), FCC_B)
    assert check(result, "QP").verdict is Verdict.FAIL
    assert check(result, "AV").verdict is Verdict.FAIL
    assert _order_warnings(result)


def test_average_above_a_peak_demotes_the_peak_on_a_peak_line() -> None:
    # a peak line's measurement becomes a lower bound: no longer PASS on it
    s = CheckSettings(limit_ids=("cispr32-b-rad-above-1g",), range_hz=(1.001e9, 6e9))
    f = np.linspace(1.001e9, 6e9, 5000)  # 1 MHz grid, 1 MHz RBW
    av = np.full(f.size, 10.0)
    av[2500] = 40.0
    peak = tr(D.PEAK, 30.0, f, rbw=1e6, unit=LevelUnit.DBUV_M)
    ok = analyse_capture(Capture(traces=(peak,)), s)
    assert check(ok, "PK").verdict is Verdict.PASS
    lower = tr(D.CISPR_AVERAGE, av, f, rbw=1e6, unit=LevelUnit.DBUV_M)
    both = analyse_capture(Capture(traces=(peak, lower)), s)
    pk = check(both, "PK")
    assert pk.verdict is Verdict.INCONCLUSIVE and pk.worst_bound is Bound.LOWER
    assert _order_warnings(both)


# --- what is compared, and what is not ----------------------------------------------------------
def test_a_normal_capture_gets_no_warning() -> None:
    traces = (
        tr(D.PEAK, 40.0),
        _with_bump(D.QUASI_PEAK, 35.0, 40.0),  # equal at the bump: a sine reads alike
        _with_bump(D.CISPR_AVERAGE, 30.0, 40.0 + ORDER_TOLERANCE_DB - 0.01),
        tr(D.RMS, 38.0),
    )
    assert detector_order_contradictions(traces) == []
    out, notes = with_detector_order(traces)
    assert notes == [] and all(a is b for a, b in zip(out, traces, strict=True))


@pytest.mark.skipif(not ESRP.exists(), reason="real R&S ESRP capture not present")
def test_the_real_esrp_file_peak_qp_average_is_in_order() -> None:
    capture = load_capture(ESRP)
    assert {t.detector for t in capture.traces} >= {D.PEAK, D.QUASI_PEAK, D.AVERAGE}
    assert detector_order_contradictions(capture.traces) == []
    result = analyse_capture(capture, FCC_B)
    assert _order_warnings(result) == []


def test_traces_in_units_of_one_family_are_compared_after_conversion() -> None:
    """A dBm peak column beside a dBµV quasi-peak column is the same physical comparison.

    The verdict converts both to dBµV (dBm at 50 Ω, dBmV + 60 dB, V): the same data read PASS
    with the peak written in dBm and INCONCLUSIVE with it in dBµV.
    """
    qp = tr(D.QUASI_PEAK, 50.0)
    (c,) = detector_order_contradictions((tr(D.PEAK, -70.0, unit=LevelUnit.DBM), qp))
    assert (c.peak, c.other, c.unit) == (0, 1, LevelUnit.DBUV)
    assert (c.excess_db, c.peak_level, c.other_level) == pytest.approx((13.0103, 36.9897, 50.0))
    # the other way round: the quasi-peak in dBm, the peak in dBµV
    qp_dbm = tr(D.QUASI_PEAK, -56.99, unit=LevelUnit.DBM)
    (c,) = detector_order_contradictions((tr(D.PEAK, 36.99), qp_dbm))
    assert c.excess_db == pytest.approx(13.0097, abs=1e-4)
    # dBmV (+60 dB) and volts (1 V = 120 dBµV)
    dbmv = tr(D.PEAK, -30.0, unit=LevelUnit.DBMV)  # 30 dBµV
    (c,) = detector_order_contradictions((dbmv, tr(D.AVERAGE, 40.0)))
    assert c.excess_db == pytest.approx(10.0)
    volts = tr(D.PEAK, 1e-4, unit=LevelUnit.VOLT)  # 40 dBµV
    (c,) = detector_order_contradictions((volts, tr(D.AVERAGE, -60.0, unit=LevelUnit.DBM)))
    assert c.excess_db == pytest.approx(6.9897)
    # a peak in dBm above the quasi-peak in dBµV: in order
    assert detector_order_contradictions((tr(D.PEAK, -50.0, unit=LevelUnit.DBM), qp)) == []


def test_two_traces_in_volts_are_compared_in_db() -> None:
    # 2 V against 1 V is 6.02 dB, not a difference of 1 (volts read as dB)
    peak, av = tr(D.PEAK, 1.0, unit=LevelUnit.VOLT), tr(D.AVERAGE, 2.0, unit=LevelUnit.VOLT)
    (c,) = detector_order_contradictions((peak, av))
    assert (c.excess_db, c.unit) == (pytest.approx(6.0206), LevelUnit.DBUV)
    out, notes = with_detector_order((peak, av))
    assert "(126.02 against 120.00 dBµV; as read: 2 V against 1 V)" in notes[0]


def test_units_not_converted_to_each_other_are_not_compared() -> None:
    # a current beside a voltage, a field strength beside a voltage: no conversion between them
    for unit in (LevelUnit.DBUA, LevelUnit.DBUV_M):
        peak, av = tr(D.PEAK, 0.0, unit=unit), tr(D.AVERAGE, 30.0, unit=unit)
        assert detector_order_contradictions((peak, tr(D.AVERAGE, 30.0))) == []
        assert detector_order_contradictions((tr(D.PEAK, 0.0), av)) == []
        assert len(detector_order_contradictions((peak, av))) == 1  # one unit: compared
    # a unit the file does not state is not compared either
    assert detector_order_contradictions((tr(D.PEAK, 0.0, unit=None), tr(D.AVERAGE, 30.0))) == []
    assert detector_order_contradictions((tr(D.PEAK, 0.0), tr(D.AVERAGE, 30.0, unit=None))) == []


def test_a_dbm_peak_column_under_a_dbuv_qp_column_settles_no_av_line(tmp_path: Path) -> None:
    """One generic CSV, the peak column in dBm: judged as with both columns in dBµV."""
    rows = "".join(f"{f / 1e6:.4f},-70,50\n" for f in F)
    path = tmp_path / "mixed.csv"
    path.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (MHz),Peak (dBm),QP (dBuV)\n" + rows,
        encoding="utf-8",
    )
    result = analyse_capture(load_capture(path), FCC_B)
    # the peak's 36.99 dBµV no longer settles the AV line: the QP's 50 dBµV bounds it from
    # above, 4 dB over the 46 dBµV AV limit
    av = check(result, "AV")
    assert (av.verdict, av.worst_bound) == (Verdict.INCONCLUSIVE, Bound.UPPER)
    assert av.worst_margin_db == pytest.approx(-4.0)
    (warning,) = _order_warnings(result)
    assert warning.startswith(
        "trace QP (quasi-peak) reads 13.01 dB above trace Peak at 0.15 MHz (50.00 against "
        "36.99 dBµV; as read: 50.00 dBµV against -70.00 dBm, dBm into 50 Ω), on the same "
        "sweep's grid"
    )


def test_traces_on_other_grids_are_not_compared() -> None:
    """Only one sweep's traces are: a list of finals is another measurement.

    A radiated final is maximised over turntable and mast (ANSI C63.4) and reads above a
    fixed-position prescan as a matter of course; a final 2.5 dB above the prescan had cost
    the whole prescan its upper bounds.
    """
    low, high = F[F < 10e6], F[F > 20e6]
    assert detector_order_contradictions((tr(D.PEAK, 0.0, low), tr(D.AVERAGE, 50.0, high))) == []
    finals = tr(D.QUASI_PEAK, 52.5, [F[K]])  # on a prescan point, 2.5 dB above it
    assert detector_order_contradictions((tr(D.PEAK, 50.0), finals)) == []
    shifted = tr(D.AVERAGE, 50.0, F + 100.0)
    assert detector_order_contradictions((tr(D.PEAK, 0.0), shifted)) == []


def test_only_detectors_the_peak_bounds_are_compared() -> None:
    for det in (D.NEGATIVE_PEAK, D.SAMPLE, D.NORMAL, D.UNKNOWN, D.PEAK):
        assert detector_order_contradictions((tr(D.PEAK, 0.0), tr(det, 50.0))) == [], det
    for det in (D.QUASI_PEAK, D.CISPR_AVERAGE, D.AVERAGE, D.RMS, D.RMS_AVERAGE, D.LOG_AVERAGE):
        (c,) = detector_order_contradictions((tr(D.PEAK, 0.0), tr(det, 50.0)))
        assert (c.peak, c.other, c.excess_db) == (0, 1, 50.0), det


def test_trace_modes_and_bandwidths_that_need_not_be_in_order() -> None:
    # a clear-write peak sweep against a max-hold average: the average holds other sweeps
    clear = tr(D.PEAK, 0.0, mode=M.CLEAR_WRITE)
    assert detector_order_contradictions((clear, tr(D.AVERAGE, 50.0))) == []
    # one sweep, one mode: compared
    same = tr(D.AVERAGE, 50.0, mode=M.CLEAR_WRITE)
    assert len(detector_order_contradictions((clear, same))) == 1
    # a wider RBW reads broadband emissions higher: not compared; a narrower one is
    assert detector_order_contradictions((tr(D.PEAK, 0.0), tr(D.AVERAGE, 50.0, rbw=120e3))) == []
    assert len(detector_order_contradictions((tr(D.PEAK, 0.0), tr(D.AVERAGE, 50.0, rbw=1e3))))


def test_one_warning_per_contradicting_pair_and_non_finite_readings_skipped() -> None:
    level = np.full(F.size, 30.0)
    level[K] = np.nan  # no peak reading there: not compared
    qp = _with_bump(D.QUASI_PEAK, 20.0, 50.0)
    assert detector_order_contradictions((tr(D.PEAK, level), qp)) == []
    peak = tr(D.PEAK, 30.0)
    qp = _with_bump(D.QUASI_PEAK, 20.0, 30.0 + ORDER_TOLERANCE_DB - 0.01)  # within tolerance
    assert detector_order_contradictions((peak, qp)) == []
    av = tr(D.AVERAGE, np.where(np.arange(F.size) == K + 100, 35.0, 20.0))
    out, notes = with_detector_order((peak, qp, av, tr(D.RMS, 33.0)))
    assert len(notes) == 2 and [t.settled for t in out] == [False, None, None, None]
    # a label that names its detector is not followed by it again
    assert notes[0].startswith("trace average reads 5.00 dB above trace peak at 1.4505 MHz")
    assert notes[1].startswith("trace rms reads 3.00 dB above trace peak")


def test_a_demoted_peak_gets_no_caution_that_it_is_still_the_upper_bound() -> None:
    # a 1 s sweep over 6634 points: 0.15 ms per point, under the 1 s the caution starts at
    level = np.full(F.size, 30.0, dtype=np.float64)
    peak = Trace(F, level, LevelUnit.DBUV, D.PEAK, "pk", M.MAX_HOLD, 9e3, None, 1.0)
    fine = traces_to_judge(Capture(traces=(peak, tr(D.AVERAGE, 20.0))), FCC_B)[1]
    assert any("is still used as the upper bound" in n for n in fine)
    _, notes = traces_to_judge(Capture(traces=(peak, _with_bump(D.AVERAGE, 20.0, 45.0))), FCC_B)
    assert not any("is still used as the upper bound" in n for n in notes)
    assert any("Detector order between the traces" in n for n in notes)
