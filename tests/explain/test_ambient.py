"""Tests of ambient captures.

Ambient captures: flags at the threshold +-0.01 dB, the FAIL -> INCONCLUSIVE rule, ranges where the
ambient is near the limit; the ambient never changes a level.
"""

from __future__ import annotations

import numpy as np
import pytest

from rfcheck.explain import (
    AmbientFlag,
    ambient_level_at,
    ambient_limited_verdict,
    ambient_near_limit_ranges,
    flag_emissions,
)
from rfcheck.outcome import Verdict

AMB_F = np.array([98.0e6, 98.1e6, 98.2e6, 375.0e6])
AMB_L = np.array([30.0, 40.0, 31.0, 20.0])


@pytest.mark.parametrize(("level", "flagged"), [(45.99, True), (46.0, True), (46.01, False)])
def test_an_emission_within_6_db_of_the_ambient_is_flagged(level: float, flagged: bool) -> None:
    (f,) = flag_emissions([98.1e6], [level], AMB_F, AMB_L, 60e3)
    assert f.ambient_db == 40.0
    assert f.is_ambient is flagged
    assert f.level == level  # never subtracted


def test_the_threshold_is_a_parameter() -> None:
    (f,) = flag_emissions([98.1e6], [50.0], AMB_F, AMB_L, 60e3, threshold_db=10.0)
    assert f.is_ambient
    (g,) = flag_emissions([98.1e6], [50.01], AMB_F, AMB_L, 60e3, threshold_db=10.0)
    assert not g.is_ambient


def test_the_ambient_at_a_frequency_is_its_highest_reading_within_the_resolution() -> None:
    got = ambient_level_at([98.15e6, 98.2e6, 200e6], AMB_F, AMB_L, 60e3)
    assert got[0] == 40.0 and got[1] == 31.0 and np.isnan(got[2])


def test_no_ambient_there_is_no_flag() -> None:
    (f,) = flag_emissions([200e6], [60.0], AMB_F, AMB_L, 60e3)
    assert f.ambient_db is None and not f.is_ambient
    assert f.to_dict() == {
        "frequency_hz": 200e6,
        "level": 60.0,
        "ambient_db": None,
        "ambient": False,
    }


def test_a_fail_caused_only_by_ambient_emissions_is_inconclusive() -> None:
    out = ambient_limited_verdict(Verdict.FAIL, [AmbientFlag(98.1e6, 44.0, 40.0)])
    assert (out.verdict, out.ambient_limited, out.frequencies_hz) == (
        Verdict.INCONCLUSIVE,
        True,
        (98.1e6,),
    )


def test_a_fail_with_one_dut_emission_stays_fail() -> None:
    flags = [AmbientFlag(98.1e6, 44.0, 40.0), AmbientFlag(375e6, 49.2, 20.0)]
    assert ambient_limited_verdict(Verdict.FAIL, flags).verdict is Verdict.FAIL
    # an emission where no ambient was measured is the DUT's
    assert (
        ambient_limited_verdict(Verdict.FAIL, [AmbientFlag(9e8, 50.0, None)]).verdict
        is Verdict.FAIL
    )


def test_other_verdicts_are_unchanged() -> None:
    for v in (Verdict.PASS, Verdict.INCONCLUSIVE, Verdict.INCOMPLETE):
        assert ambient_limited_verdict(v, [AmbientFlag(98.1e6, 44.0, 40.0)]).verdict is v


def test_ranges_where_the_ambient_is_within_6_db_of_the_limit() -> None:
    f = np.array([88e6, 90e6, 92e6, 94e6, 96e6, 98e6])
    amb = np.array([20.0, 37.5, 37.51, 37.49, 40.0, 20.0])  # limit - 6, -5.99, -6.01 dB
    limit = np.full(6, 43.5)
    assert ambient_near_limit_ranges(f, amb, limit) == ((90e6, 92e6), (96e6, 96e6))
    assert ambient_near_limit_ranges(f, amb, limit, threshold_db=5.99) == (
        (92e6, 92e6),
        (96e6, 96e6),
    )
    # outside the limit's range (NaN) nothing is reported
    assert ambient_near_limit_ranges(f, amb, np.full(6, np.nan)) == ()
