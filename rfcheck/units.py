"""Level units and every dB/linear conversion rfcheck performs.

One internal unit per quantity: frequency in Hz, time in s, levels in dB with their
reference in the name (``level_dbuv``, ``level_dbuv_m``). Conversions happen only here.

References
----------
dBµV = 20 log10(V / 1 µV); dBm -> dBµV at 50 Ω: +10 log10(50 Ω · 1 mW) + 120 = 106.9897 dB.
(docs/references.md §7; 0 dBm = 106.99 dBµV at 50 Ω.)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import UnitError

__all__ = [
    "LevelUnit",
    "LevelScale",
    "parse_level_unit",
    "parse_scaled_level_unit",
    "DBM_TO_DBUV_50OHM",
    "DBMV_TO_DBUV",
    "LEVEL_RANGE",
    "dbm_to_dbuv",
    "dbuv_to_dbm",
    "volts_to_dbuv",
    "dbuv_to_volts",
    "uv_per_m_to_dbuv_m",
    "dbuv_m_to_uv_per_m",
    "linear_amplitude_to_db",
    "to_dbuv_like",
    "reading_text",
    "round_reading",
]

#: The range of levels rfcheck accepts, in any unit (dB or V): a reading outside it is a
#: broken or forged file. +1000 dB(µV) is ~800 dB past any instrument and keeps every linear
#: conversion (volts, power) finite; -10,000 leaves room for the instruments' blank-trace
#: sentinels (-2147.48, -893.01).
LEVEL_RANGE: tuple[float, float] = (-1e4, 1e3)


class LevelUnit(StrEnum):
    """Unit of a level axis. The value is the canonical printed spelling."""

    DBM = "dBm"
    DBUV = "dBµV"
    DBMV = "dBmV"
    DBUV_M = "dBµV/m"
    DBUA = "dBµA"
    VOLT = "V"

    @property
    def ascii(self) -> str:
        """ASCII spelling (``dBuV/m``) for CSV headers and terminals."""
        return self.value.replace("µ", "u")


_UNIT_ALIASES: dict[str, LevelUnit] = {
    "dbm": LevelUnit.DBM,
    "dbuv": LevelUnit.DBUV,
    "dbmv": LevelUnit.DBMV,
    "dbuv/m": LevelUnit.DBUV_M,
    "dbuvm": LevelUnit.DBUV_M,
    "dbuvperm": LevelUnit.DBUV_M,
    "dbuvpermeter": LevelUnit.DBUV_M,
    "dbuvpermetre": LevelUnit.DBUV_M,
    "dbua": LevelUnit.DBUA,
    "v": LevelUnit.VOLT,
    "volt": LevelUnit.VOLT,
    "volts": LevelUnit.VOLT,
}


def parse_level_unit(text: str) -> LevelUnit:
    """Parse a level-unit string as instruments print it.

    Accepts ``dBm``, ``dBuV``/``dBµV``/``dBμV`` (micro sign or Greek mu), ``dBmV``,
    ``dBuV/m``, ``dBuVPerMeter``, ``dB(uV/m)``, ``dBuA``, ``V``; case-insensitive.

    Parameters
    ----------
    text : str
        Unit as printed.

    Returns
    -------
    LevelUnit

    Raises
    ------
    UnitError
        The string names no known level unit (e.g. ``W``, ``dBc``, empty).
    """
    key = _unit_key(text)
    if key in _UNIT_ALIASES:
        return _UNIT_ALIASES[key]
    raise UnitError(
        f"unknown level unit {text.strip()!r} (known: dBm, dBuV, dBmV, dBuV/m, dBuA, V)"
    )


@dataclass(frozen=True)
class LevelScale:
    """A level unit instruments write that rfcheck converts, on reading, into a :class:`LevelUnit`.

    Every conversion is exact and needs no impedance: a power (dBpW, dBµW, dBW, W, mW, µW,
    nW) becomes dBm, a voltage (mV, µV) V, a current (A, mA, µA, dBmA) dBµA.

    Attributes
    ----------
    written : str
        The unit's printed spelling (``dBpW``, ``mW``, ``µV``).
    unit : LevelUnit
        The unit the levels become.
    rule : str
        The conversion, for the reader's note (``dBm = dBpW - 90``).
    db_per_decade : float
        0 for a dB unit or a voltage (no logarithm); 10 for a linear power, 20 for a linear
        current (``level = db_per_decade · log10(x) + offset_db``). [dB]
    offset_db : float
        The dB added (dB units and linear powers and currents). [dB]
    factor : float
        A voltage's multiplier to volts (1e-3 for mV).
    spelling : str
        The unit as the file spells it (``uW``, ``Watts``, ``DBPW``), for notes; no part of
        the scale's identity (``W`` and ``Watts`` are one scale).
    """

    written: str
    unit: LevelUnit
    rule: str
    db_per_decade: float = 0.0
    offset_db: float = 0.0
    factor: float = 1.0
    spelling: str = field(default="", compare=False)

    @property
    def as_written(self) -> str:
        """The unit as the file spells it; :attr:`written` when not known."""
        return self.spelling or self.written

    def convert(self, level: ArrayLike) -> NDArray[np.float64]:
        """Return ``level`` [``written``] in :attr:`unit`.

        Raises
        ------
        UnitError
            A linear power or current that is not positive (it has no dB value: a dB
            reading with the wrong unit?), naming the first such point (1-based).
        """
        arr = np.asarray(level, dtype=float)
        if self.unit is LevelUnit.VOLT:
            scaled: NDArray[np.float64] = arr * self.factor
            return scaled
        if not self.db_per_decade:
            shifted: NDArray[np.float64] = arr + self.offset_db
            return shifted
        i = self.unconvertible(arr)
        if i is not None:
            raise UnitError(
                f"a level in {self.written} must be positive to convert to {self.unit.value}, "
                f"got {float(arr[i]):g} at point {i + 1} (a dB reading with the wrong unit?)"
            )
        converted: NDArray[np.float64] = self.db_per_decade * np.log10(arr) + self.offset_db
        return converted

    def unconvertible(self, level: ArrayLike) -> int | None:
        """Return the index of the first level :meth:`convert` refuses, or None.

        A linear power or current must be positive (it has a logarithm); other units take
        any level.
        """
        if not self.db_per_decade:
            return None
        bad = ~(np.asarray(level, dtype=float) > 0)
        return int(np.argmax(bad)) if bad.any() else None


def _db(written: str, unit: LevelUnit, offset_db: float) -> LevelScale:
    sign = "+" if offset_db > 0 else "-"
    rule = f"{unit.value} = {written} {sign} {abs(offset_db):g}"
    return LevelScale(written, unit, rule, offset_db=offset_db)


def _power(written: str, offset_db: float) -> LevelScale:
    """Return a linear power's scale: dBm = 10·log10(P [written]) + ``offset_db`` (30 for W)."""
    rule = "dBm = 10·log10(P / 1 mW)"
    return LevelScale(written, LevelUnit.DBM, rule, db_per_decade=10.0, offset_db=offset_db)


def _current(written: str, offset_db: float) -> LevelScale:
    """Return a linear current's scale: dBµA = 20·log10(I [written]) + ``offset_db``."""
    rule = "dBµA = 20·log10(I / 1 µA)"
    return LevelScale(written, LevelUnit.DBUA, rule, db_per_decade=20.0, offset_db=offset_db)


def _volts(written: str, factor: float, per_volt: str) -> LevelScale:
    return LevelScale(written, LevelUnit.VOLT, f"V = {written} / {per_volt}", factor=factor)


#: Units converted on reading (:func:`parse_scaled_level_unit`), keyed as
#: :func:`parse_level_unit` keys its units.
_SCALED_ALIASES: dict[str, LevelScale] = {
    "dbpw": _db("dBpW", LevelUnit.DBM, -90.0),
    "dbuw": _db("dBµW", LevelUnit.DBM, -30.0),
    "dbw": _db("dBW", LevelUnit.DBM, 30.0),
    "w": _power("W", 30.0),
    "watt": _power("W", 30.0),
    "watts": _power("W", 30.0),
    "mw": _power("mW", 0.0),
    "uw": _power("µW", -30.0),
    "nw": _power("nW", -60.0),
    "mv": _volts("mV", 1e-3, "1000"),
    "uv": _volts("µV", 1e-6, "1000000"),
    "a": _current("A", 120.0),
    "amp": _current("A", 120.0),
    "amps": _current("A", 120.0),
    "ma": _current("mA", 60.0),
    "ua": _current("µA", 0.0),
    "dbma": _db("dBmA", LevelUnit.DBUA, 60.0),
}


def _unit_key(text: str) -> str:
    key = text.strip().replace("µ", "u").replace("μ", "u").replace("\u00c2", "")
    return re.sub(r"[\s()\[\]]", "", key).lower()


def parse_scaled_level_unit(text: str) -> LevelUnit | LevelScale:
    """Parse a level unit, also one rfcheck converts on reading (:class:`LevelScale`).

    Accepts what :func:`parse_level_unit` accepts, and dBpW, dBµW, dBW, W, mW, µW, nW (powers:
    to dBm), mV, µV (to V), A, mA, µA, dBmA (currents: to dBµA); case-insensitive.

    Raises
    ------
    UnitError
        The string names no level unit of either kind.
    """
    key = _unit_key(text)
    if key in _UNIT_ALIASES:
        return _UNIT_ALIASES[key]
    if key in _SCALED_ALIASES:
        return replace(_SCALED_ALIASES[key], spelling=" ".join(text.split()))
    raise UnitError(
        f"unknown level unit {text.strip()!r} (known: dBm, dBuV, dBmV, dBuV/m, dBuA, V; "
        "converted: dBpW, dBuW, dBW, W, mW, uW, nW, mV, uV, A, mA, uA, dBmA)"
    )


def _dbm_offset_db(impedance_ohm: float) -> float:
    """dBµV of 0 dBm across ``impedance_ohm``: 10·log10(R · 1 mW) + 120 [dB]."""
    return 10.0 * math.log10(impedance_ohm * 1e-3) + 120.0


#: dBm to dBµV offset for a 50 Ω system: 10·log10(50 Ω × 1 mW / (1 µV)²) = 106.9897 dB.
DBM_TO_DBUV_50OHM: float = _dbm_offset_db(50.0)

#: dBmV to dBµV offset: 20·log10(1 mV / 1 µV) = 60 dB, whatever the impedance.
DBMV_TO_DBUV: float = 60.0


def dbm_to_dbuv(level_dbm: ArrayLike, impedance_ohm: float = 50.0) -> NDArray[np.float64]:
    """Convert power level to voltage level across ``impedance_ohm``.

    Parameters
    ----------
    level_dbm : array_like
        Power. [dBm]
    impedance_ohm : float
        System impedance. [Ω]

    Returns
    -------
    ndarray
        Voltage. [dBµV] (0 dBm -> 106.99 dBµV at 50 Ω.)
    """
    return np.asarray(level_dbm, dtype=float) + _dbm_offset_db(impedance_ohm)


def dbuv_to_dbm(level_dbuv: ArrayLike, impedance_ohm: float = 50.0) -> NDArray[np.float64]:
    """Inverse of :func:`dbm_to_dbuv`. [dBµV] -> [dBm]."""
    return np.asarray(level_dbuv, dtype=float) - _dbm_offset_db(impedance_ohm)


def volts_to_dbuv(volts: ArrayLike) -> NDArray[np.float64]:
    """Convert an rms voltage [V] to [dBµV] (1 V = 120 dBµV). Zero maps to -inf."""
    v = np.abs(np.asarray(volts, dtype=float))
    with np.errstate(divide="ignore"):
        level_dbuv: NDArray[np.float64] = 20.0 * np.log10(v) + 120.0
    return level_dbuv


def dbuv_to_volts(level_dbuv: ArrayLike) -> NDArray[np.float64]:
    """Convert [dBµV] to rms volts [V]."""
    volts: NDArray[np.float64] = 10.0 ** ((np.asarray(level_dbuv, dtype=float) - 120.0) / 20.0)
    return volts


def uv_per_m_to_dbuv_m(field_uv_per_m: ArrayLike) -> NDArray[np.float64]:
    """Convert field strength [µV/m] to [dBµV/m] (500 µV/m = 53.98 dBµV/m)."""
    level_dbuv_m: NDArray[np.float64] = 20.0 * np.log10(np.asarray(field_uv_per_m, dtype=float))
    return level_dbuv_m


def dbuv_m_to_uv_per_m(level_dbuv_m: ArrayLike) -> NDArray[np.float64]:
    """Convert [dBµV/m] to field strength [µV/m]."""
    field_uv_per_m: NDArray[np.float64] = 10.0 ** (np.asarray(level_dbuv_m, dtype=float) / 20.0)
    return field_uv_per_m


def linear_amplitude_to_db(ratio: ArrayLike) -> NDArray[np.float64]:
    """Level in dB of an amplitude ratio: 20·log10(ratio)."""
    with np.errstate(divide="ignore"):
        level_db: NDArray[np.float64] = 20.0 * np.log10(np.abs(np.asarray(ratio, dtype=float)))
    return level_db


def to_dbuv_like(
    level: ArrayLike, unit: LevelUnit, impedance_ohm: float = 50.0
) -> tuple[NDArray[np.float64], LevelUnit]:
    """Re-express a level in the dBµV family (dBµV, dBµV/m or dBµA stay as they are).

    dBm -> dBµV (50 Ω), dBmV -> dBµV (+60 dB), V -> dBµV; dBµV/m and dBµA unchanged.

    Returns
    -------
    (ndarray, LevelUnit)
        Converted level and its unit.
    """
    arr = np.asarray(level, dtype=float)
    if unit is LevelUnit.DBM:
        return dbm_to_dbuv(arr, impedance_ohm), LevelUnit.DBUV
    if unit is LevelUnit.DBMV:
        return arr + DBMV_TO_DBUV, LevelUnit.DBUV
    if unit is LevelUnit.VOLT:
        return volts_to_dbuv(arr), LevelUnit.DBUV
    return arr, unit


def round_reading(value: float, unit: str) -> float:
    """Return a reading [its unit] rounded as the reports print it.

    0.01 dB for a dB unit; 4 significant digits for a linear reading in volts, where 0.01
    would turn 0.5 mV into 0.
    """
    return float(f"{value:.4g}") if unit == LevelUnit.VOLT.value else round(value, 2)


def reading_text(value: float, unit: str) -> str:
    """Return a reading [its unit] as text: ``55.18`` (dB units) or ``0.0005`` (volts)."""
    return f"{value:.4g}" if unit == LevelUnit.VOLT.value else f"{value:.2f}"
