"""units.py against round numbers (STYLE: 500 µV/m = 53.98 dBµV/m; 0 dBm = 106.99 dBµV)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rfcheck.errors import UnitError
from rfcheck.units import (
    DBM_TO_DBUV_50OHM,
    LevelUnit,
    dbm_to_dbuv,
    dbuv_m_to_uv_per_m,
    dbuv_to_dbm,
    dbuv_to_volts,
    parse_level_unit,
    reading_text,
    round_reading,
    to_dbuv_like,
    uv_per_m_to_dbuv_m,
    volts_to_dbuv,
)


def test_round_numbers() -> None:
    assert uv_per_m_to_dbuv_m(500.0) == pytest.approx(53.979, abs=1e-3)
    assert uv_per_m_to_dbuv_m(100.0) == pytest.approx(40.0)
    assert uv_per_m_to_dbuv_m(150.0) == pytest.approx(43.522, abs=1e-3)
    assert uv_per_m_to_dbuv_m(90.0) == pytest.approx(39.085, abs=1e-3)
    assert dbm_to_dbuv(0.0) == pytest.approx(106.990, abs=1e-3)
    assert dbuv_to_dbm(106.98970004336019) == pytest.approx(0.0, abs=1e-9)
    assert volts_to_dbuv(1.0) == pytest.approx(120.0)
    assert volts_to_dbuv(1e-3) == pytest.approx(60.0)
    assert dbuv_to_volts(60.0) == pytest.approx(1e-3)
    assert dbuv_m_to_uv_per_m(40.0) == pytest.approx(100.0)
    assert dbm_to_dbuv(0.0, impedance_ohm=75.0) == pytest.approx(108.751, abs=1e-3)


def test_the_50_ohm_dbm_offset_is_the_conversion_s_own() -> None:
    """0 dBm = 106.9897 dBµV at 50 Ω (docs/references.md §7): the constant and the conversion."""
    assert DBM_TO_DBUV_50OHM == pytest.approx(106.9897, abs=5e-5)
    assert DBM_TO_DBUV_50OHM == float(dbm_to_dbuv(0.0)) == -float(dbuv_to_dbm(0.0))


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("dBm", LevelUnit.DBM),
        ("dBuV", LevelUnit.DBUV),
        ("dBµV", LevelUnit.DBUV),
        ("dBμV", LevelUnit.DBUV),
        ("DBUV", LevelUnit.DBUV),
        ("dBmV", LevelUnit.DBMV),
        ("dBuV/m", LevelUnit.DBUV_M),
        ("dB(uV/m)", LevelUnit.DBUV_M),
        ("dBuVPerMeter", LevelUnit.DBUV_M),
        ("dBuA", LevelUnit.DBUA),
        ("V", LevelUnit.VOLT),
    ],
)
def test_parse_level_unit(text: str, unit: LevelUnit) -> None:
    assert parse_level_unit(text) is unit


@pytest.mark.parametrize("text", ["", "W", "dBc", "dBuV/m/MHz", "Hz"])
def test_parse_level_unit_rejects(text: str) -> None:
    with pytest.raises(UnitError, match="unknown level unit"):
        parse_level_unit(text)


def test_to_dbuv_like() -> None:
    lvl, u = to_dbuv_like([0.0, -107.0], LevelUnit.DBM)
    assert u is LevelUnit.DBUV
    np.testing.assert_allclose(lvl, [106.99, -0.01], atol=0.005)
    lvl, u = to_dbuv_like([1.0], LevelUnit.DBMV)
    assert u is LevelUnit.DBUV and lvl[0] == pytest.approx(61.0)
    lvl, u = to_dbuv_like([40.0], LevelUnit.DBUV_M)
    assert u is LevelUnit.DBUV_M and lvl[0] == 40.0


@given(st.floats(min_value=-200, max_value=200, allow_nan=False))
def test_dbm_roundtrip(x: float) -> None:
    assert dbuv_to_dbm(dbm_to_dbuv(x)) == pytest.approx(x, abs=1e-9)


def test_a_volts_reading_keeps_its_significant_digits() -> None:
    """0.5 mV rounded to 0.01 was printed and written as 0.00 V (0 V is -inf dBµV)."""
    assert round_reading(0.000512345, "V") == 0.0005123
    assert reading_text(0.000512345, "V") == "0.0005123"
    assert round_reading(55.1849, "dBµV") == 55.18
    assert reading_text(-51.158, "dBm") == "-51.16"
