"""How a result's numbers are written to JSON: rounded, and ``null`` where not finite.

A margin keeps its side of the limit (:func:`rfcheck.outcome.round_margin`), a reading is
rounded as its unit is (:func:`rfcheck.units.round_reading`), any other number to ``nd``
decimals. Python's math, not numpy: these run for every number of a report.
"""

from __future__ import annotations

import math

from .outcome import round_margin
from .units import round_reading

__all__ = ["json_margin", "json_number", "json_reading"]


def json_number(x: float | None, nd: int = 2) -> float | None:
    """Return ``x`` rounded to ``nd`` decimals for JSON; None when it is None or not finite."""
    if x is None:
        return None
    value = float(x)  # math, not numpy: called for every number of a report
    return round(value, nd) if math.isfinite(value) else None


def json_margin(x: float | None) -> float | None:
    """Return a margin for JSON, its sign kept (:func:`rfcheck.outcome.round_margin`)."""
    if x is None:
        return None
    value = float(x)
    return round_margin(value) if math.isfinite(value) else None


def json_reading(x: float, unit: str) -> float | None:
    """Return a reading for JSON, as :func:`rfcheck.units.round_reading` rounds it."""
    value = float(x)
    return round_reading(value, unit) if math.isfinite(value) else None
