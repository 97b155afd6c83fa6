"""A sweep's grid told from a final-measurement list (rfcheck.verdict.coverage.is_sweep_grid)."""

from __future__ import annotations

import numpy as np

from rfcheck.verdict.coverage import SWEEP_MIN_POINTS, is_sweep_grid


def test_a_sweep_grid_is_told_from_a_final_measurement_list() -> None:
    assert is_sweep_grid(np.linspace(150e3, 30e6, 11))  # linear steps
    assert is_sweep_grid(np.linspace(0.0, 3e9, 11))  # from 0 Hz, as an analyser's span may be
    assert is_sweep_grid(np.geomspace(30e6, 1e9, 11))  # logarithmic steps
    assert is_sweep_grid(np.round(np.linspace(150e3, 30e6, 11), -1))  # written to 10 Hz
    final = np.array([195e3, 235.5e3, 258e3, 325.5e3, 352.5e3, 388.5e3, 456e3, 1390.5e3])
    assert not is_sweep_grid(final)
    assert not is_sweep_grid(np.array([195e3, 259.9e3]))  # too few to be a grid
    two_ranges = np.concatenate([np.linspace(150e3, 1e6, 60), np.linspace(1.01e6, 30e6, 60)])
    assert two_ranges.size >= SWEEP_MIN_POINTS and is_sweep_grid(two_ranges)  # subranges
    assert not is_sweep_grid(np.concatenate([two_ranges[:40], two_ranges[-40:]]))  # 80: a list


def test_a_peak_list_covers_its_own_frequencies_only() -> None:
    """Eight peak readings (a marker list, not a sweep) bound nothing between them.

    Quasi-peak and average readings always cover ± RBW / 2 only (docs/verdict.md,
    "Coverage"); a peak trace covers its grid's span only when it is a sweep.
    """
    from rfcheck.analysis import analyse_capture
    from rfcheck.capture import Capture, Detector, Trace
    from rfcheck.outcome import Verdict
    from rfcheck.settings import CheckSettings
    from rfcheck.units import LevelUnit

    finals = np.array([195e3, 235.5e3, 258e3, 325.5e3, 352.5e3, 388.5e3, 456e3, 1390.5e3])
    pk = Trace(finals, np.full(finals.shape, 40.0), LevelUnit.DBUV, Detector.PEAK, "PK", rbw_hz=9e3)
    r = analyse_capture(Capture(traces=(pk,)), CheckSettings(limit_ids=("fcc-15.107-b",)))
    (c,) = [c for c in r.checks if c.line == "QP"]
    assert (199.5e3, 231e3) in c.not_evaluated_hz  # between the first two readings
    assert (460.5e3, 1386e3) in c.not_evaluated_hz
    assert r.verdict is Verdict.INCOMPLETE
