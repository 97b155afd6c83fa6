"""Level units rfcheck converts on reading: powers to dBm, mV/µV to V, currents to dBµA.

Each conversion is exact whatever the impedance: dBpW is a power (1 pW = 1e-9 mW, so
dBm = dBpW - 90), W is 10·log10(P / 1 mW) dBm, and a current's dB value is 20·log10(I / 1 µA).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from rfcheck.errors import UnitError
from rfcheck.units import LevelScale, LevelUnit, parse_level_unit, parse_scaled_level_unit


def _scale(text: str) -> LevelScale:
    scale = parse_scaled_level_unit(text)
    assert isinstance(scale, LevelScale)
    return scale


@pytest.mark.parametrize(
    ("text", "value", "unit", "expected"),
    [
        ("dBpW", 0.0, LevelUnit.DBM, -90.0),
        ("dBpW", 47.0, LevelUnit.DBM, -43.0),
        ("dBuW", 0.0, LevelUnit.DBM, -30.0),
        ("dBµW", 10.0, LevelUnit.DBM, -20.0),
        ("dBW", -30.0, LevelUnit.DBM, 0.0),
        ("W", 1.0, LevelUnit.DBM, 30.0),
        ("W", 1e-3, LevelUnit.DBM, 0.0),
        ("W", 2.5e-12, LevelUnit.DBM, 10 * math.log10(2.5e-9)),
        ("Watts", 1e-6, LevelUnit.DBM, -30.0),
        ("mW", 1.0, LevelUnit.DBM, 0.0),
        ("mW", 2.0, LevelUnit.DBM, 10 * math.log10(2.0)),
        ("uW", 1.0, LevelUnit.DBM, -30.0),
        ("nW", 1.0, LevelUnit.DBM, -60.0),
        ("mV", 250.0, LevelUnit.VOLT, 0.25),
        ("µV", 1000.0, LevelUnit.VOLT, 1e-3),
        ("uV", 1.0, LevelUnit.VOLT, 1e-6),
        ("A", 1.0, LevelUnit.DBUA, 120.0),
        ("A", 1e-6, LevelUnit.DBUA, 0.0),
        ("mA", 1.0, LevelUnit.DBUA, 60.0),
        ("mA", 3.0, LevelUnit.DBUA, 60 + 20 * math.log10(3.0)),
        ("uA", 10.0, LevelUnit.DBUA, 20.0),
        ("dBmA", 0.0, LevelUnit.DBUA, 60.0),
    ],
)
def test_each_conversion_is_exact(
    text: str, value: float, unit: LevelUnit, expected: float
) -> None:
    scale = _scale(text)
    assert scale.unit is unit
    assert float(scale.convert([value])[0]) == pytest.approx(expected, abs=1e-12, rel=1e-12)


def test_a_power_in_watts_agrees_with_the_same_power_in_dbpw_and_dbm() -> None:
    watts = np.array([1e-15, 3.7e-11, 2e-3])
    dbm = _scale("W").convert(watts)
    dbpw = 10 * np.log10(watts / 1e-12)
    assert np.allclose(_scale("dBpW").convert(dbpw), dbm, atol=1e-9)
    assert np.allclose(_scale("mW").convert(watts * 1e3), dbm, atol=1e-9)


def test_the_units_rfcheck_knows_are_returned_as_before() -> None:
    for text in ("dBm", "dBuV", "dBµV/m", "dBmV", "dBuA", "V"):
        assert parse_scaled_level_unit(text) is parse_level_unit(text)


@pytest.mark.parametrize("text", ["W", "mW", "A", "mA"])
@pytest.mark.parametrize("value", [0.0, -1e-9, -55.9])
def test_a_linear_power_or_current_must_be_positive(text: str, value: float) -> None:
    scale = _scale(text)
    assert scale.unconvertible([1.0, value]) == 1
    with pytest.raises(UnitError, match="must be positive.*at point 2"):
        scale.convert([1.0, value])


def test_dB_units_and_voltages_take_any_level() -> None:
    assert _scale("dBpW").unconvertible([-120.0, 0.0]) is None
    assert _scale("mV").unconvertible([0.0, 1.0]) is None  # V: negatives refused when judged


@pytest.mark.parametrize("text", ["", "dBc", "Hz", "dBW/m", "kW", "pA"])
def test_other_units_are_refused_naming_both_lists(text: str) -> None:
    with pytest.raises(UnitError, match="converted: dBpW"):
        parse_scaled_level_unit(text)
