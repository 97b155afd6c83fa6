"""Which readings of a trace are emissions: local maxima, as a receiver's peak search finds."""

from __future__ import annotations

import numpy as np
import pytest

from rfcheck.plotted import PlotTrace
from rfcheck.product.peak_search import emission_mask, local_maxima_mask

NAN = float("nan")


@pytest.mark.parametrize(
    ("level", "peaks"),
    [
        ([30.0] * 6, []),  # a flat noise floor: none, not its first reading
        ([30.0, 31.0, 32.0, 33.0, 34.0], []),  # rising: its end is no emission
        ([34.0, 33.0, 32.0, 31.0, 30.0], []),  # falling from 150 kHz: none
        ([30.0, 40.0, 30.0, 30.0, 45.0, 30.0], [1, 4]),  # two clear peaks
        ([30.0, 40.0, 40.0, 40.0, 30.0], [1]),  # a plateau: its lowest frequency
        ([30.0, 40.0, 40.0, 45.0, 30.0], [3]),  # a shoulder is no plateau peak
        ([30.0, 30.0, 30.0, 52.0], [3]),  # an emission cut by the scan's edge
        ([52.0, 30.0, 30.0, 30.0], [0]),
        ([30.0, 30.0, 30.0, 32.0], []),  # less than 3 dB above its neighbour: a slope
        ([30.0, 40.0, NAN, 30.0], []),  # beside a NaN: not known to be a maximum
    ],
)
def test_local_maxima(level: list[float], peaks: list[int]) -> None:
    assert np.flatnonzero(local_maxima_mask(np.array(level))).tolist() == peaks


def test_a_sweep_is_read_in_frequency_order() -> None:
    f = np.linspace(30e6, 40e6, 11)[::-1].copy()
    level = np.full(f.shape, 20.0)
    level[4] = 30.0
    mask = emission_mask(PlotTrace("t", "peak", f, level, "dBuV/m"))
    assert np.flatnonzero(mask).tolist() == [4]


def test_each_reading_of_a_final_measurement_list_is_an_emission() -> None:
    """A list of final readings (no sweep's grid) was taken at emissions, one per reading."""
    f = np.array([0.5e6, 1.2e6, 7.9e6])
    mask = emission_mask(PlotTrace("t", "quasi-peak", f, np.array([40.0, 38.0, 36.0]), "dBuV"))
    assert mask.tolist() == [True, True, True]
