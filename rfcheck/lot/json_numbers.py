"""How the lot's and compare's JSON write numbers: rounded, a missing or non-finite one null.

Levels, limits and frequencies to a fixed number of decimals (:func:`json_number`); margins
by :func:`rfcheck.outcome.round_margin`, so that a margin a hair under zero keeps its sign
(:func:`json_margin`).
"""

from __future__ import annotations

import numpy as np

from ..outcome import round_margin

__all__ = ["json_number", "json_margin"]


def json_number(x: float | None, nd: int = 2) -> float | None:
    """Return ``x`` rounded to ``nd`` decimals for JSON (None: absent, NaN or infinite)."""
    if x is None or not np.isfinite(x):
        return None
    return round(float(x), nd)


def json_margin(x: float | None) -> float | None:
    """Return a margin [dB] for JSON, its sign kept (:func:`rfcheck.outcome.round_margin`)."""
    if x is None or not np.isfinite(x):
        return None
    return round_margin(float(x))
