"""A bounding trace's dwell per point is stated in a caution when it is below 1 s.

A swept peak bounds the quasi-peak, and a swept rms the average, only for what it saw; an
emission repeating more slowly than the dwell per point can be missed (docs/verdict.md, "Trace
mode"). docs/references.md gives no rule that demotes such a trace, so it is cautioned, not
demoted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from click.testing import CliRunner

from rfcheck.capture import Detector, Trace, TraceMode
from rfcheck.cli import main
from rfcheck.units import LevelUnit
from rfcheck.verdict.sweep_dwell import point_dwell_s, swept_bound_notes

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
PRESCAN = SAMPLES / "conducted" / "rig_L1_peak_keysight.csv"  # 5 s over 6001 points, max-hold


def _trace(**kw: object) -> Trace:
    args: dict[str, object] = {
        "freq_hz": np.linspace(150e3, 30e6, 1000),
        "level": np.zeros(1000),
        "unit": LevelUnit.DBUV,
        "detector": Detector.PEAK,
        "name": "T1",
        "mode": TraceMode.MAX_HOLD,
    }
    args.update(kw)
    return Trace(**args)  # type: ignore[arg-type]


def test_dwell_per_point_is_the_stated_dwell_else_sweep_time_over_points() -> None:
    assert point_dwell_s(_trace(sweep_time_s=5.0)) == 0.005
    assert point_dwell_s(_trace(sweep_time_s=5.0, dwell_s=0.1)) == 0.1
    assert point_dwell_s(_trace()) is None


def test_caution_states_the_dwell_per_point() -> None:
    (note,) = swept_bound_notes([_trace(sweep_time_s=5.0)])
    assert note.startswith(
        "trace T1: peak 5 ms per point (sweep time 5 s over 1000 points): an emission "
        "repeating more slowly than that (bursts more than 5 ms apart) may be missed"
    )
    assert "still used as the upper bound" in note


def test_an_rms_trace_bounding_the_average_gets_the_same_caution() -> None:
    rms, rms_avg = swept_bound_notes(
        [
            _trace(sweep_time_s=0.1, detector=Detector.RMS, mode=TraceMode.CLEAR_WRITE, name="T3"),
            _trace(sweep_time_s=0.1, detector=Detector.RMS_AVERAGE, name="T4"),
        ]
    )
    assert rms.startswith(
        "trace T3: rms 0.1 ms per point (sweep time 0.1 s over 1000 points): an emission "
        "repeating more slowly than that (bursts more than 0.1 ms apart) may be missed at a "
        "frequency, and the rms reading is then no upper bound on the average there"
    )
    assert rms_avg.startswith("trace T4: rms-average 0.1 ms per point")
    assert "no upper bound on the average there" in rms_avg


def test_no_caution_without_a_known_dwell_a_long_one_or_another_detector() -> None:
    assert swept_bound_notes([_trace()]) == []
    assert swept_bound_notes([_trace(dwell_s=1.0)]) == []
    assert swept_bound_notes([_trace(sweep_time_s=5.0, detector=Detector.QUASI_PEAK)]) == []
    assert swept_bound_notes([_trace(sweep_time_s=5.0, detector=Detector.AVERAGE)]) == []
    # an averaged trace is already demoted to a lower bound (trace-mode rule)
    assert swept_bound_notes([_trace(sweep_time_s=5.0, mode=TraceMode.AVERAGE)]) == []
    # a receiver-model trace: its record length has its own rule and note
    assert swept_bound_notes([_trace(dwell_s=0.3, settle_s=1.61)]) == []


def test_check_of_the_sample_prescan_prints_its_dwell_per_point() -> None:
    result = CliRunner().invoke(main, ["check", str(PRESCAN), "--limit", "fcc-15.107-b"])
    assert result.exit_code == 4, result.stderr
    assert (
        "   note: Trace1: peak 0.833 ms per point (sweep time 5 s over 6001 points): an "
        "emission repeating more slowly than that (bursts more than 0.833 ms apart) may be missed"
    ) in result.stdout


def test_a_loader_named_trace_is_not_called_trace_trace() -> None:
    """``Trace 1`` reads as is (``rfcheck.capture.trace_label``), not ``trace Trace 1``."""
    (note,) = swept_bound_notes([_trace(sweep_time_s=5.0, name="Trace 1")])
    assert note.startswith("Trace 1: peak 5 ms per point")
    (note,) = swept_bound_notes([_trace(sweep_time_s=5.0, name="")])  # unnamed: its position
    assert note.startswith("trace 1: peak 5 ms per point")
