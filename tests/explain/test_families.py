"""Tests of harmonic families.

Harmonic families: combs found with missing members and one-step jitter, not found when too few, and
never formed by noise peaks.
"""

from __future__ import annotations

import numpy as np
import pytest

from rfcheck.explain import INFERRED, Clock, clock_families, find_families
from rfcheck.explain.peaks import emission_peaks, frequency_resolution_hz

STEP_HZ = 2.5e3  #: conducted sweep grid
RBW_HZ = 9e3
TOL_HZ = max(RBW_HZ / 2, STEP_HZ)  # 4.5 kHz


def _comb(f0: float, orders: list[int], seed: int = 0) -> np.ndarray:
    """Members on a 2.5 kHz grid, each moved by -1, 0 or +1 step."""
    rng = np.random.default_rng(seed)
    f = np.asarray(orders, dtype=float) * f0
    return np.round(f / STEP_HZ) * STEP_HZ + rng.choice([-1, 0, 1], f.size) * STEP_HZ


ORDERS = [3, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15, 17, 19, 20]  # 7, 11, 16, 18 missing


def test_a_comb_with_missing_members_and_one_step_jitter_is_found() -> None:
    members = _comb(65e3, ORDERS)
    (fam,) = find_families(members, TOL_HZ)
    assert fam.source == INFERRED
    assert fam.harmonics == tuple(ORDERS)
    assert fam.f0_hz == pytest.approx(65e3, abs=TOL_HZ / max(ORDERS))
    assert fam.members_hz == tuple(sorted(members))


def test_a_comb_among_noise_peaks_keeps_its_members() -> None:
    members = _comb(65e3, ORDERS, seed=1)
    noise = np.random.default_rng(1).uniform(150e3, 30e6, 40)
    fams = find_families(np.concatenate([members, noise]), TOL_HZ)
    assert len(fams) == 1
    assert set(ORDERS) <= set(fams[0].harmonics)
    # one order may be claimed by a noise peak closer to the fitted harmonic
    assert len(set(members) & set(fams[0].members_hz)) >= len(members) - 1
    assert fams[0].f0_hz == pytest.approx(65e3, abs=100)


def test_a_comb_above_its_lowest_orders_is_found_at_its_fundamental() -> None:
    # radiated: 25 MHz crystal seen only from its 40th harmonic, 120 kHz RBW
    orders = [40, 41, 42, 43, 45, 46, 48, 49, 50, 51, 52]
    f = np.asarray(orders) * 25e6 + np.random.default_rng(2).normal(0, 20e3, len(orders))
    (fam,) = find_families(f, 60e3)
    assert fam.harmonics == tuple(orders)
    assert fam.f0_hz == pytest.approx(25e6, abs=2e3)


def test_the_fundamental_not_half_of_it() -> None:
    (fam,) = find_families(np.arange(1, 9) * 125e6, 60e3)
    assert fam.f0_hz == pytest.approx(125e6) and fam.harmonics == tuple(range(1, 9))


def test_two_combs_are_two_families() -> None:
    a = np.arange(3, 15) * 65e3
    b = np.array([2, 3, 4, 5, 7, 8, 9]) * 118e3 + 1e3
    fams = find_families(np.concatenate([a, b]), TOL_HZ)
    assert [f.harmonics for f in fams] == [tuple(range(3, 15)), (2, 3, 4, 5, 7, 8, 9)]
    assert fams[0].f0_hz == pytest.approx(65e3) and fams[1].f0_hz == pytest.approx(
        118e3, abs=TOL_HZ / 9
    )


def test_three_members_are_not_a_family() -> None:
    assert find_families(np.array([195e3, 260e3, 325e3]), TOL_HZ) == ()


def test_four_clean_members_are_a_family_three_are_not() -> None:
    assert find_families(np.array([1, 2, 3, 4]) * 195e3, TOL_HZ)[0].harmonics == (1, 2, 3, 4)
    assert find_families(np.array([1, 2, 3]) * 195e3, TOL_HZ) == ()


def test_members_filling_less_than_half_the_orders_are_not_a_family() -> None:
    # 50 kHz + m x 150 kHz: orders 1, 4, 7, ... of 50 kHz (a third filled), and an offset
    # sequence is no comb of 150 kHz
    assert find_families(50e3 + 150e3 * np.arange(8), TOL_HZ) == ()


def test_members_off_by_more_than_the_resolution_are_not_members() -> None:
    f = np.arange(3, 15) * 65e3
    f[3] += 3 * TOL_HZ  # order 6 far off
    (fam,) = find_families(f, TOL_HZ)
    assert 6 not in fam.harmonics and len(fam.harmonics) == 11


@pytest.mark.parametrize("seed", range(12))
def test_noise_peaks_form_no_family(seed: int) -> None:
    rng = np.random.default_rng(seed)
    assert find_families(rng.uniform(150e3, 30e6, 60), TOL_HZ) == ()
    assert find_families(rng.uniform(30e6, 1e9, 60), 60e3) == ()


def test_a_cluster_of_unrelated_peaks_is_not_a_comb() -> None:
    # broadcast-like cluster: 12 stations 88-108 MHz on a 100 kHz raster, random
    rng = np.random.default_rng(5)
    stations = 88e6 + 100e3 * rng.choice(200, 12, replace=False)
    others = rng.uniform(30e6, 1e9, 20)
    assert find_families(np.concatenate([stations, others]), 60e3) == ()


def test_a_family_whose_f0_is_a_declared_clock_takes_its_name() -> None:
    (fam,) = find_families(np.arange(1, 8) * 125e6, 60e3, clocks=[Clock("Ethernet", 125e6)])
    assert fam.source == "Ethernet"


def test_clock_families_collect_each_clocks_harmonics() -> None:
    f = np.array([125e6, 250.02e6, 375e6, 400e6, 1.1e9])
    eth, ddr = clock_families(f, 60e3, [Clock("Ethernet", 125e6), Clock("DDR3", 400e6)])
    assert (eth.source, eth.harmonics, eth.members_hz) == (
        "Ethernet",
        (1, 2, 3),
        (125e6, 250.02e6, 375e6),
    )
    assert (ddr.harmonics, ddr.members_hz) == ((1,), (400e6,))
    assert eth.to_dict() == {
        "f0_hz": 125e6,
        "source": "Ethernet",
        "members_hz": [125e6, 250.02e6, 375e6],
        "harmonics": [1, 2, 3],
    }


def test_resolution_is_half_the_rbw_or_one_step() -> None:
    f = np.arange(0, 100) * 2.5e3
    assert frequency_resolution_hz(f, 9e3) == 4.5e3
    assert frequency_resolution_hz(f, 1e3) == 2.5e3
    assert frequency_resolution_hz(f) == 2.5e3


def test_emission_peaks_need_the_prominence() -> None:
    f = np.arange(20) * 1e3
    lv = np.full(20, 30.0)
    lv[5], lv[12] = 36.0, 35.9  # 6 dB and 5.9 dB above the floor
    pf, pl = emission_peaks(f, lv)
    assert pf.tolist() == [5e3] and pl.tolist() == [36.0]
