"""A stepped peak scan covers its RBW around each tuned frequency, not a swept bucket.

A receiver steps from frequency to frequency and measures each for its dwell (``Meas Time``,
``Dwell Time``): nothing between the steps is seen. A swept analyser's peak detector sees
the whole bucket between two display points. docs/verdict.md, "Coverage".
"""

from __future__ import annotations

import numpy as np

from rfcheck.analysis import analyse_capture
from rfcheck.capture import Capture, Detector, Trace
from rfcheck.outcome import Verdict
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit

#: 47 CFR 15.109(a) at 3 m, 30-50 MHz: a device whose highest frequency bounds the range there.
RADIATED = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0, highest_frequency_hz=50e6)
QP_LIMIT_30_88 = 40.0  # 100 uV/m, dBuV/m


def _peak(step_hz: float, dwell_s: float | None = None, sweep_time_s: float | None = None) -> Trace:
    f = np.arange(30e6, 1000e6 + 1.0, step_hz)
    level = np.full(f.shape, QP_LIMIT_30_88 - 14.0)
    return Trace(
        f,
        level,
        LevelUnit.DBUV_M,
        Detector.PEAK,
        name="TRACE 1",
        rbw_hz=120e3,
        dwell_s=dwell_s,
        sweep_time_s=sweep_time_s,
    )


def _qp(trace: Trace) -> Verdict:
    result = analyse_capture(Capture(traces=(trace,)), RADIATED)
    return next(c for c in result.checks if c.line == "QP").verdict


def test_a_stepped_scan_with_10_mhz_steps_measures_about_one_percent_of_the_band() -> None:
    stepped = _peak(10e6, dwell_s=0.01)  # R&S Mode;Receiver, Step 10 MHz, Meas Time 10 ms
    result = analyse_capture(Capture(traces=(stepped,)), RADIATED)
    qp = next(c for c in result.checks if c.line == "QP")
    assert qp.verdict is Verdict.INCOMPLETE  # it read PASS: every bucket counted as seen
    assert (30.06e6, 39.94e6) in [(round(a, -4), round(b, -4)) for a, b in qp.not_evaluated_hz]


def test_the_same_grid_swept_covers_its_buckets() -> None:
    assert _qp(_peak(10e6, sweep_time_s=2.0)) is Verdict.PASS


def test_a_stepped_scan_one_rbw_per_step_covers_the_band() -> None:
    assert _qp(_peak(60e3, dwell_s=0.01)) is Verdict.PASS  # step RBW/2, as CISPR scans use


def test_a_stepped_scan_with_gaps_says_why_in_one_note() -> None:
    """Thousands of "not measured" ranges get one note naming the step, the RBW and the gaps."""
    result = analyse_capture(Capture(traces=(_peak(125e3, dwell_s=0.01),)), RADIATED)
    (note,) = [w for w in result.warnings if "stepped scan" in w]
    assert note == (
        "TRACE 1: read as a stepped scan (dwell 0.01 s per frequency stated): each point "
        "measures its 120 kHz RBW only, and its steps of up to 125 kHz leave 7,760 gaps of "
        "up to 5 kHz not measured between points; a step of at most the RBW covers the band"
    )


def test_no_gap_note_for_a_step_within_the_rbw_or_a_sweep() -> None:
    for trace in (_peak(120e3, dwell_s=0.01), _peak(60e3, dwell_s=0.01), _peak(10e6, None, 2.0)):
        result = analyse_capture(Capture(traces=(trace,)), RADIATED)
        assert not [w for w in result.warnings if "stepped scan" in w]


def test_no_gap_note_where_the_verdict_counts_the_band_as_measured() -> None:
    """Steps 1 Hz wider than the RBW leave slivers the coverage drops: PASS, and no note."""
    result = analyse_capture(Capture(traces=(_peak(120.001e3, dwell_s=0.01),)), RADIATED)
    assert next(c for c in result.checks if c.line == "QP").verdict is Verdict.PASS
    assert not [w for w in result.warnings if "stepped scan" in w]


CONDUCTED = CheckSettings(limit_ids=("fcc-15.107-b",))


def _finals(freqs_mhz: list[float]) -> Trace:
    """Return a receiver's final quasi-peak readings at the emissions a prescan found."""
    f = np.array(freqs_mhz) * 1e6
    return Trace(
        f,
        np.full(f.shape, 40.0),
        LevelUnit.DBUV,
        Detector.QUASI_PEAK,
        name="Trace 1 final",
        rbw_hz=9e3,
        dwell_s=1.0,
    )


def test_a_final_list_is_not_called_a_stepped_scan() -> None:
    result = analyse_capture(Capture(traces=(_finals([0.15, 0.5, 1.2, 15.0]),)), CONDUCTED)
    assert not [w for w in result.warnings if "stepped scan" in w]
    assert (
        "Trace 1 final: 4 final measurements at their own frequencies (dwell 1 s each stated), "
        "each covering its 9 kHz RBW only: the 3 stretches between them, of up to 13.791 MHz, "
        "are not measured"
    ) in result.warnings


def test_two_finals_name_the_one_stretch_between_them() -> None:
    result = analyse_capture(Capture(traces=(_finals([0.15, 1.0]),)), CONDUCTED)
    assert (
        "Trace 1 final: 2 final measurements at their own frequencies (dwell 1 s each stated), "
        "each covering its 9 kHz RBW only: the 841 kHz between them is not measured"
    ) in result.warnings


def test_a_final_list_covers_its_points_only() -> None:
    """The wording changed, not the coverage: each final covers its RBW around itself."""
    result = analyse_capture(Capture(traces=(_finals([0.15, 0.5, 1.2, 15.0]),)), CONDUCTED)
    qp = next(c for c in result.checks if c.line == "QP")
    assert qp.verdict is Verdict.INCOMPLETE
    gaps = [(round(a), round(b)) for a, b in qp.not_evaluated_hz]
    assert (154500, 495500) in gaps and (504500, 1195500) in gaps
