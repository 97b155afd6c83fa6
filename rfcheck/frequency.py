"""Frequency parsing and formatting: the one home for frequency units and prefixes.

Frequencies are held in Hz everywhere (``freq_hz``); this module converts at the edges:
unit words printed by instruments and transducer files (``kHz``, ``MHz``), engineering
prefixes typed by users (``150k``, ``1.5M``, ``1G``) and the text every output prints
(``150 kHz``, ``30 MHz``, ``0.15-30 MHz``, the lab-report ``45.120``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "FREQ_UNIT_SCALE",
    "freq_unit_scale",
    "parse_frequency",
    "range_hz_of",
    "round_hz",
    "HZ_DECIMALS",
    "format_hz",
    "mhz_number",
    "format_mhz",
    "format_mhz_range",
    "format_mhz_ranges",
    "format_mhz_fixed",
]

#: Multiplier to Hz of each frequency unit word, keyed in lower case. [Hz per unit]
FREQ_UNIT_SCALE: dict[str, float] = {"hz": 1.0, "khz": 1e3, "mhz": 1e6, "ghz": 1e9}

#: Engineering prefixes a user may type after a number (``m`` is refused: milli or mega?).
_PREFIX_SCALE: dict[str, int] = {"": 1, "k": 10**3, "K": 10**3, "M": 10**6, "g": 10**9, "G": 10**9}

#: Prefixed units used when printing, largest first. [Hz per unit]
_PRINT_SCALES: tuple[tuple[float, str], ...] = ((1e9, "GHz"), (1e6, "MHz"), (1e3, "kHz"))

_FREQ_RE = re.compile(
    r"^\s*(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<prefix>[kKMgG]?)(?:[hH][zZ])?\s*$"
)

#: Decimals of Hz kept when a frequency is parsed or printed: 1 mHz (no ``1392734.0999999999``).
HZ_DECIMALS = 3


def freq_unit_scale(unit: str) -> float | None:
    """Multiplier to Hz of a unit word (``Hz``, ``kHz``, ``MHz``, ``GHz``, any case).

    Returns
    -------
    float or None
        Hz per unit; ``None`` for anything else (the caller names the file and field).
    """
    return FREQ_UNIT_SCALE.get(unit.strip().lower())


def round_hz(value: float) -> float:
    """``value`` rounded to 1 mHz [Hz]."""
    return round(float(value), HZ_DECIMALS)


def parse_frequency(text: str) -> float:
    """Parse a frequency with an optional engineering prefix.

    ``150k``, ``1.5M``, ``1G``, ``30MHz``, ``2.5e6``.

    Returns
    -------
    float
        Frequency, rounded to 1 mHz (the decimal text is scaled exactly, so ``1.3927341M``
        is 1392734.1 Hz, not 1392734.0999999999). [Hz]

    Raises
    ------
    ValueError
        Not a number, an unknown prefix (``m`` is refused: milli or mega?), or negative.
    """
    m = _FREQ_RE.match(text)
    if m is None:
        hint = " (use M for MHz; m is ambiguous)" if re.search(r"\dm", text) else ""
        raise ValueError(f"not a frequency: {text!r}{hint}; examples: 150k, 1.5M, 1G, 30MHz")
    try:
        value = round_hz(float(Decimal(m["num"]) * _PREFIX_SCALE[m["prefix"]]))
    except (InvalidOperation, OverflowError):
        value = math.inf
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"frequency must be finite and >= 0 Hz, got {text!r}")
    return value


def format_hz(freq_hz: float | None, digits: int = 6, missing: str = "-") -> str:
    """Frequency with the largest prefix that keeps it >= 1: ``150 kHz``, ``30 MHz``, ``1 GHz``.

    Parameters
    ----------
    freq_hz : float or None
        Frequency. [Hz]
    digits : int
        Significant digits (``%g`` precision).
    missing : str
        Text for ``None``.
    """
    if freq_hz is None:
        return missing
    for scale, suffix in _PRINT_SCALES:
        if abs(freq_hz) >= scale:
            return f"{freq_hz / scale:.{digits}g} {suffix}"
    return f"{freq_hz:.{digits}g} Hz"


#: Most significant digits :func:`mhz_number` prints to keep a frequency apart (1 Hz at 1 THz).
_MOST_DIGITS = 12


def mhz_number(freq_hz: float, apart: Iterable[float] = ()) -> str:
    """Frequency as a bare number of MHz, six significant digits: ``0.15``, ``1000`` [Hz].

    ``apart``: frequencies it must not read as (a limit's edge, the other end of a range):
    where six digits would print ``freq_hz`` as one of them, it gets as many more as tell
    them apart (``30.000001`` beside a limit's 30 MHz end, not ``30``), up to twelve. [Hz]
    """
    others = [o for o in apart if o != freq_hz]
    for digits in range(6, _MOST_DIGITS + 1):
        text = f"{freq_hz / 1e6:.{digits}g}"
        if all(text != f"{o / 1e6:.{digits}g}" for o in others):
            break
    return text


def format_mhz(freq_hz: float | None, missing: str = "-", apart: Iterable[float] = ()) -> str:
    """``30 MHz``, ``0.15 MHz`` (six significant digits); ``missing`` for ``None`` [Hz].

    ``apart``: as :func:`mhz_number`'s.
    """
    return missing if freq_hz is None else f"{mhz_number(freq_hz, apart)} MHz"


def format_mhz_range(
    lo_hz: float,
    hi_hz: float,
    sep: str = "-",
    *,
    unit: bool = True,
    apart: Iterable[float] = (),
) -> str:
    """``30-1000 MHz`` (``sep`` between the two ends; ``30-1000`` without ``unit``) [Hz].

    ``apart``: frequencies neither end may read as (:func:`mhz_number`); the ends are kept
    apart from each other too (``29.999999-30 MHz``, not ``30-30 MHz``).
    """
    apart = tuple(apart)
    lo, hi = mhz_number(lo_hz, (*apart, hi_hz)), mhz_number(hi_hz, (*apart, lo_hz))
    return f"{lo}{sep}{hi}" + (" MHz" if unit else "")


#: Ranges a summary line or table cell names before ``(+N more)`` (:func:`format_mhz_ranges`).
MAX_RANGES_NAMED = 6


def format_mhz_ranges(
    ranges: Iterable[tuple[float, float]], most: int | None = None, *, unit: bool = True
) -> str:
    """``0.15-0.5 MHz, 5-30 MHz``; empty string for no ranges [Hz].

    ``most``: name at most this many, then ``(+N more)`` (a scan whose step is wider than its
    RBW leaves a gap between every two points: thousands of ranges). Without ``unit``, bare
    numbers for a column or sentence that states MHz once: ``0.15-0.5, 5-30``.
    """
    ranges = list(ranges)
    shown = ranges if most is None else ranges[:most]
    text = ", ".join(format_mhz_range(a, b, unit=unit) for a, b in shown)
    return text + (f" (+{len(ranges) - len(shown)} more)" if len(shown) < len(ranges) else "")


def format_mhz_fixed(freq_hz: float | None) -> str:
    """Frequency in MHz as a lab report prints it: ``0.1500``, ``45.120``, ``1234.56``.

    Four decimals below 10 MHz, three below 1 GHz, two above; an en dash when absent or
    not finite. [Hz]
    """
    if freq_hz is None or not math.isfinite(freq_hz):
        return "\u2013"
    mhz = freq_hz / 1e6
    if mhz < 10:
        return f"{mhz:.4f}"
    if mhz < 1000:
        return f"{mhz:.3f}"
    return f"{mhz:.2f}"


def range_hz_of(value: Any) -> tuple[float, float] | None:
    """Return a TOML frequency range ``[lo, hi]`` [Hz] as floats, or None when it is not one.

    One: a list of two finite numbers (not booleans) with ``0 <= lo < hi``. The setup's
    ``range_hz`` keys (a rule's judged range, an equipment item's range) are read with it;
    each caller words its own error.
    """
    if not (isinstance(value, list) and len(value) == 2):
        return None
    if not all(
        isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in value
    ):
        return None
    lo, hi = float(value[0]), float(value[1])
    return (lo, hi) if 0 <= lo < hi else None
