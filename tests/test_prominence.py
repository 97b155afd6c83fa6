"""``rfcheck.prominence.prominent_peaks`` finds exactly what ``scipy.signal.find_peaks`` finds.

Same peak indices, same prominences (bit for bit), on random curves, plateaus, ties, NaN,
infinities, signed zeros and the long walks the tree search takes; ``among`` only filters.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray
from scipy.signal import find_peaks

from rfcheck.prominence import prominent_peaks


def _scipy(x: NDArray[np.float64], p: float) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PeakPropertyWarning never applies to real peaks
        idx, props = find_peaks(x, prominence=p)
    return idx, props["prominences"]


def _assert_same(x: NDArray[np.float64], p: float) -> None:
    want_idx, want_prom = _scipy(x, p)
    idx, prom = prominent_peaks(x, p)
    assert idx.tolist() == want_idx.tolist()
    assert prom.tobytes() == want_prom.tobytes()


#: Few distinct values: plateaus and ties everywhere; NaN, infinities and both zeros.
_EDGY = st.sampled_from([-np.inf, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0, np.inf, np.nan])


@settings(max_examples=600, deadline=None)
@given(
    x=hnp.arrays(np.float64, st.integers(0, 60), elements=_EDGY),
    p=st.sampled_from([0.0, 0.5, 1.0, 2.0]),
)
def test_plateaus_ties_nan_and_infinities(x: NDArray[np.float64], p: float) -> None:
    _assert_same(x, p)


@settings(max_examples=400, deadline=None)
@given(
    x=hnp.arrays(
        np.float64,
        st.integers(0, 300),
        elements=st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, 1)),
    ),
    p=st.floats(0, 30),
)
def test_random_levels(x: NDArray[np.float64], p: float) -> None:
    _assert_same(x, p)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("n", [3, 100, 5_000, 40_000])
def test_noisy_spectra(seed: int, n: int) -> None:
    """Noise over slopes and a sine: walks of every length, including the tree search's."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    for x in (
        rng.normal(size=n) * 3 + 5 * np.sin(t / 50),
        rng.normal(size=n) * 2 - np.linspace(0, 40, n),
        np.round(rng.normal(size=n) * 4) / 2,  # quantised: plateaus in noise
    ):
        for p in (0.0, 1.0, 6.0, 20.0):
            _assert_same(x, p)


def test_long_walks_past_every_sample() -> None:
    """A staircase of peaks under one tall edge: every walk runs to the far end."""
    teeth = np.ravel(np.column_stack([np.arange(20_000.0), np.zeros(20_000)]))
    for x in (np.concatenate([[1e9], teeth]), np.concatenate([teeth[::-1], [1e9]])):
        _assert_same(x, 1.0)
    _assert_same(np.arange(50_000.0), 0.0)  # monotone: no peak


def test_among_only_filters() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=4_000) * 4
    among = rng.random(4_000) < 0.3
    idx, prom = prominent_peaks(x, 3.0)
    sub, sub_prom = prominent_peaks(x, 3.0, among=among)
    assert sub.tolist() == idx[among[idx]].tolist()
    assert sub_prom.tobytes() == prom[among[idx]].tobytes()


def test_two_dimensional_input_is_refused() -> None:
    with pytest.raises(ValueError, match="one-dimensional"):
        prominent_peaks(np.zeros((3, 3)), 1.0)
