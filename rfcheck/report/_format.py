"""Numbers and frequencies as the reports print them: fixed decimals, an en dash when absent.

A margin is printed with what its level's bound makes of it (``≤ +36.70``, ``≥ -7.13``):
:func:`fmt_margin` and :func:`margin_relation` live in the public
:mod:`rfcheck.report.margin_text` (``compare``, ``lot`` and the product record use them too).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..frequency import format_mhz_fixed
from .margin_text import fmt_margin, margin_relation

__all__ = [
    "fmt_freq_mhz",
    "fmt_point_mhz",
    "fmt_range_mhz",
    "fmt_margin",
    "fmt_num",
    "margin_relation",
]


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


#: Lab-report frequency text (``0.1500``, ``45.120``, ``1234.56``); see :mod:`rfcheck.frequency`.
fmt_freq_mhz = format_mhz_fixed


def fmt_point_mhz(freq_hz: float | None) -> str:
    """Return a measured frequency in MHz to six significant digits, trailing zeros kept.

    ``1.38878``, ``0.194775``, ``49.9800``, ``375.000``, ``1234.56`` (at most six decimals);
    an en dash when absent or not finite. The precision of the ``needs`` sentence and of
    ``check``'s text output (six significant digits), so a frequency in the suspects table,
    the limit-line table and the list still to measure reads alike on one page, in columns
    that stay aligned. (Table breakpoints and ranges keep :func:`fmt_freq_mhz`.) [Hz]
    """
    if not _finite(freq_hz):
        return "\u2013"
    assert freq_hz is not None
    mhz = freq_hz / 1e6
    if mhz <= 0:
        return f"{mhz:.4f}"
    decimals = min(6, max(0, 5 - math.floor(math.log10(mhz))))
    return f"{mhz:.{decimals}f}"


def fmt_range_mhz(ranges: Iterable[tuple[float, float]]) -> str:
    """``0.15–0.5, 5–30 MHz``; empty string for no ranges."""
    parts = [f"{fmt_freq_mhz(a)}\u2013{fmt_freq_mhz(b)}" for a, b in ranges]
    return (", ".join(parts) + " MHz") if parts else ""


def fmt_num(x: float | None, nd: int = 2) -> str:
    """Fixed-point number; en dash when absent or not finite."""
    if not _finite(x):
        return "\u2013"
    assert x is not None
    return f"{x:.{nd}f}"
