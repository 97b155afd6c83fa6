"""A sweep's grid told from a final-measurement list (rfcheck.verdict.coverage.is_sweep_grid)."""

from __future__ import annotations

import numpy as np

from rfcheck.verdict.coverage import SWEEP_MIN_POINTS, is_sweep_grid


def test_a_sweep_grid_is_told_from_a_final_measurement_list() -> None:
    assert is_sweep_grid(np.linspace(150e3, 30e6, 11))  # linear steps
    assert is_sweep_grid(np.geomspace(30e6, 1e9, 11))  # logarithmic steps
    assert is_sweep_grid(np.round(np.linspace(150e3, 30e6, 11), -1))  # written to 10 Hz
    final = np.array([195e3, 235.5e3, 258e3, 325.5e3, 352.5e3, 388.5e3, 456e3, 1390.5e3])
    assert not is_sweep_grid(final)
    assert not is_sweep_grid(np.array([195e3, 259.9e3]))  # too few to be a grid
    two_ranges = np.concatenate([np.linspace(150e3, 1e6, 60), np.linspace(1.01e6, 30e6, 60)])
    assert two_ranges.size >= SWEEP_MIN_POINTS and is_sweep_grid(two_ranges)  # subranges
    assert not is_sweep_grid(np.concatenate([two_ranges[:40], two_ranges[-40:]]))  # 80: a list
