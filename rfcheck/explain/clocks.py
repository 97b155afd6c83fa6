"""The DUT's declared clock sources: the setup's ``[[dut.clock]]`` entries.

One entry per source generated or used in the device (crystal, PLL, bus clock, switching
converter, PWM)::

    [[dut.clock]]
    name = "Ethernet GMII"
    frequency_hz = 125e6
    tolerance_ppm = 100            # or tolerance_hz = 12.5e3 (not both)

    [[dut.clock]]
    name = "ASIC PLL"
    frequency_range_hz = [600e6, 700e6]   # a tunable source: instead of frequency_hz

    [[dut.clock]]
    name = "DDR3"
    frequency_hz = 400e6
    spread_hz = 2e6                # spread-spectrum span at the fundamental
    spread = "down"                # down (default) | center | up
    max_harmonic = 10              # optional cap on the harmonic order (default 50)

A clock occupies a frequency interval at its fundamental (nominal +- tolerance, widened by
the spread-spectrum span); its n-th harmonic occupies n times that interval. See
``docs/explain.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..errors import SetupFileError
from ..tomlcheck import refuse_unknown_keys

__all__ = ["Clock", "SpreadMode", "DEFAULT_MAX_HARMONIC", "parse_clocks"]

#: Highest harmonic order a clock explains unless its entry says otherwise.
DEFAULT_MAX_HARMONIC = 50

_KEYS = frozenset(
    {
        "name",
        "frequency_hz",
        "frequency_range_hz",
        "tolerance_hz",
        "tolerance_ppm",
        "spread_hz",
        "spread",
        "max_harmonic",
    }
)


class SpreadMode(StrEnum):
    """Where a spread-spectrum clock's span lies relative to its nominal frequency."""

    DOWN = "down"  #: [f - span, f] (the common choice: never faster than nominal)
    CENTER = "center"  #: [f - span/2, f + span/2]
    UP = "up"  #: [f, f + span]


@dataclass(frozen=True)
class Clock:
    """One declared source.

    Attributes
    ----------
    name : str
        What the source is (``"Ethernet GMII"``).
    frequency_hz : float
        Nominal fundamental (the middle of ``frequency_range_hz`` for a tunable source). [Hz]
    tolerance_hz : float
        Frequency tolerance, either side of the nominal (or of the range). [Hz]
    spread_hz : float
        Spread-spectrum span at the fundamental. [Hz]
    spread : SpreadMode
        Where the span lies.
    range_hz : (float, float) or None
        Declared tuning range of a tunable source (PLL), or None. [Hz]
    max_harmonic : int
        Highest harmonic order this source may explain.
    """

    name: str
    frequency_hz: float
    tolerance_hz: float = 0.0
    spread_hz: float = 0.0
    spread: SpreadMode = SpreadMode.DOWN
    range_hz: tuple[float, float] | None = None
    max_harmonic: int = DEFAULT_MAX_HARMONIC

    @property
    def interval_hz(self) -> tuple[float, float]:
        """Frequencies the fundamental may take [Hz].

        The range or the nominal frequency, widened by the spread and the tolerance.
        """
        lo, hi = self.range_hz if self.range_hz else (self.frequency_hz, self.frequency_hz)
        if self.spread is SpreadMode.DOWN:
            lo -= self.spread_hz
        elif self.spread is SpreadMode.UP:
            hi += self.spread_hz
        else:
            lo -= self.spread_hz / 2
            hi += self.spread_hz / 2
        return lo - self.tolerance_hz, hi + self.tolerance_hz

    @property
    def highest_hz(self) -> float:
        """Highest frequency the source generates at its fundamental [Hz].

        47 CFR 15.33(b)(1) counts it.
        """
        return self.interval_hz[1]

    def harmonic_window_hz(self, n: int, resolution_hz: float) -> tuple[float, float]:
        """Return where the n-th harmonic may be observed.

        N times :attr:`interval_hz`, widened by the measurement's frequency resolution [Hz] either
        side. [Hz]
        """
        lo, hi = self.interval_hz
        return n * lo - resolution_hz, n * hi + resolution_hz

    def harmonics_near(self, freq_hz: float, resolution_hz: float) -> tuple[int, ...]:
        """Harmonic orders n whose window (:meth:`harmonic_window_hz`) contains ``freq_hz``.

        Only orders that stay distinct are considered: n <= :attr:`max_harmonic` and the
        windows of n and n + 1 do not overlap (``n (hi - lo) + 2 resolution < lo``, with
        ``lo, hi`` = :attr:`interval_hz`); beyond that a tunable or spread source covers
        the spectrum continuously and "n x f" says nothing.

        Parameters
        ----------
        freq_hz : float
            Observed emission. [Hz]
        resolution_hz : float
            Frequency resolution of the measurement (``max(RBW / 2, step)``). [Hz]
        """
        lo, hi = self.interval_hz
        if lo <= 0:
            return ()
        n_lo = max(1, math.ceil((freq_hz - resolution_hz) / hi))
        n_hi = min(self.max_harmonic, math.floor((freq_hz + resolution_hz) / lo))
        out = []
        for n in range(n_lo, n_hi + 1):
            if n * (hi - lo) + 2 * resolution_hz >= lo:
                break
            a, b = self.harmonic_window_hz(n, resolution_hz)
            if a <= freq_hz <= b:
                out.append(n)
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (frequencies in Hz)."""
        return {
            "name": self.name,
            "frequency_hz": self.frequency_hz,
            "range_hz": list(self.range_hz) if self.range_hz else None,
            "tolerance_hz": self.tolerance_hz,
            "spread_hz": self.spread_hz,
            "spread": self.spread.value,
            "max_harmonic": self.max_harmonic,
        }


class _Entry:
    """Reads one ``[[dut.clock]]`` table; errors name the file and ``[[dut.clock]] #i key``."""

    def __init__(self, table: Any, index: int, path: Path | None) -> None:
        self.where = f"[[dut.clock]] #{index}"
        self.path = path
        if not isinstance(table, Mapping):
            raise SetupFileError(f"{self.where}: must be a table", path)
        refuse_unknown_keys(table, _KEYS, self.where, path)
        self.table = table

    def fail(self, key: str, problem: str) -> SetupFileError:
        return SetupFileError(f"{self.where} {key}: {problem}", self.path)

    def number(self, key: str, *, positive: bool) -> float | None:
        value = self.table.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(key, f"expected a finite number, got {value!r}")
        if value < 0 or (positive and value == 0):
            raise self.fail(key, f"must be {'> 0' if positive else '>= 0'}, got {value!r}")
        return float(value)

    def name(self) -> str:
        value = self.table.get("name")
        if not isinstance(value, str) or not value.strip():
            raise self.fail("name", f"expected a non-empty string, got {value!r}")
        return value.strip()

    def frequency(self) -> tuple[float, tuple[float, float] | None]:
        has_f, has_r = "frequency_hz" in self.table, "frequency_range_hz" in self.table
        if has_f == has_r:
            raise SetupFileError(
                f"{self.where}: give exactly one of 'frequency_hz' and 'frequency_range_hz'",
                self.path,
            )
        if has_f:
            f = self.number("frequency_hz", positive=True)
            assert f is not None  # present, so number() returned or raised
            return f, None
        rng = self.table["frequency_range_hz"]
        ok = (
            isinstance(rng, list)
            and len(rng) == 2
            and all(
                not isinstance(x, bool)
                and isinstance(x, int | float)
                and math.isfinite(x)
                and x > 0
                for x in rng
            )
        )
        if not ok or rng[0] >= rng[1]:
            raise self.fail(
                "frequency_range_hz", f"expected [low, high] in Hz, 0 < low < high, got {rng!r}"
            )
        lo, hi = float(rng[0]), float(rng[1])
        return (lo + hi) / 2, (lo, hi)

    def tolerance(self, nominal_hz: float) -> float:
        if "tolerance_hz" in self.table and "tolerance_ppm" in self.table:
            raise SetupFileError(
                f"{self.where}: give 'tolerance_hz' or 'tolerance_ppm', not both", self.path
            )
        ppm = self.number("tolerance_ppm", positive=False)
        if ppm is not None:
            return nominal_hz * ppm * 1e-6
        return self.number("tolerance_hz", positive=False) or 0.0

    def spread(self) -> SpreadMode:
        value = self.table.get("spread", SpreadMode.DOWN.value)
        try:
            return SpreadMode(str(value).lower())
        except ValueError:
            known = ", ".join(m.value for m in SpreadMode)
            raise self.fail("spread", f"expected one of {known}, got {value!r}") from None

    def max_harmonic(self) -> int:
        value = self.table.get("max_harmonic", DEFAULT_MAX_HARMONIC)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail("max_harmonic", f"expected an integer >= 1, got {value!r}")
        return value


def _parse_one(table: Any, index: int, path: Path | None) -> Clock:
    e = _Entry(table, index, path)
    name = e.name()
    nominal, rng = e.frequency()
    return Clock(
        name=name,
        frequency_hz=nominal,
        tolerance_hz=e.tolerance(nominal),
        spread_hz=e.number("spread_hz", positive=False) or 0.0,
        spread=e.spread(),
        range_hz=rng,
        max_harmonic=e.max_harmonic(),
    )


def parse_clocks(dut: Mapping[str, Any], path: str | Path | None = None) -> tuple[Clock, ...]:
    """Return the ``[[dut.clock]]`` entries of a setup's ``[dut]`` table (``Setup.dut``).

    Parameters
    ----------
    dut : Mapping
        The ``[dut]`` table as parsed from TOML.
    path : str or Path, optional
        The setup file, named in errors.

    Returns
    -------
    tuple of Clock
        In file order; empty when none is declared.

    Raises
    ------
    SetupFileError
        ``path: [[dut.clock]] #i key: problem`` for a missing or malformed key, an unknown
        key, or two clocks with the same name.
    """
    p = None if path is None else Path(path)
    raw = dut.get("clock", [])
    if isinstance(raw, Mapping):  # a single [dut.clock] table
        raw = [raw]
    if not isinstance(raw, list):
        raise SetupFileError(f"[dut] clock: expected [[dut.clock]] tables, got {raw!r}", p)
    clocks = tuple(_parse_one(t, i, p) for i, t in enumerate(raw, 1))
    seen: set[str] = set()
    for i, c in enumerate(clocks, 1):
        if c.name in seen:
            raise SetupFileError(f"[[dut.clock]] #{i} name: {c.name!r} is declared twice", p)
        seen.add(c.name)
    return clocks
