"""Numbers and frequencies as the reports print them: fixed decimals, an en dash when absent.

A margin is printed with what its level's bound makes of it (:func:`margin_relation`): the
margin of a lower-bound level is an upper bound on the true margin (``≤ +36.70``), that of
an upper-bound level a lower bound (``≥ -7.13``), since ``margin = limit - level``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..frequency import format_mhz_fixed
from ..results import Bound

__all__ = ["fmt_freq_mhz", "fmt_range_mhz", "fmt_margin", "fmt_num", "margin_relation"]


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


#: Lab-report frequency text (``0.1500``, ``45.120``, ``1234.56``); see :mod:`rfcheck.frequency`.
fmt_freq_mhz = format_mhz_fixed


def fmt_range_mhz(ranges: Iterable[tuple[float, float]]) -> str:
    """``0.15–0.5, 5–30 MHz``; empty string for no ranges."""
    parts = [f"{fmt_freq_mhz(a)}\u2013{fmt_freq_mhz(b)}" for a, b in ranges]
    return (", ".join(parts) + " MHz") if parts else ""


def margin_relation(bound: Bound | str | None) -> str:
    """Return how the true margin relates to a margin computed from a ``bound`` level.

    ``"≤ "`` for a lower-bound level (the true level may be higher, so the true margin
    ``limit - level`` may be smaller), ``"≥ "`` for an upper-bound level, ``""`` for a
    measurement, a dropped bound (``Bound.NONE``, which its bound column names) or none.
    """
    if bound is None:
        return ""
    try:
        b = Bound(bound)
    except ValueError:
        return ""
    return {Bound.LOWER: "\u2264 ", Bound.UPPER: "\u2265 "}.get(b, "")


def fmt_margin(margin_db: float | None, bound: Bound | str | None = None) -> str:
    """Format a signed margin [dB] with two decimals (``+4.21``, ``-3.20``); en dash if absent.

    With the ``bound`` of its level, prefixed by :func:`margin_relation` (``≤ +36.70`` for
    a lower-bound level, ``≥ -7.13`` for an upper-bound one).
    """
    if not _finite(margin_db):
        return "\u2013"
    assert margin_db is not None
    return f"{margin_relation(bound)}{margin_db:+.2f}"


def fmt_num(x: float | None, nd: int = 2) -> str:
    """Fixed-point number; en dash when absent or not finite."""
    if not _finite(x):
        return "\u2013"
    assert x is not None
    return f"{x:.{nd}f}"
