"""The worst point of each judged limit line, where the margin plot marks and labels it.

Each line of a capture with a margin (``LineCheck.worst_margin_db``) has its worst point: its
frequency, margin and bound from the line's result, its level from the suspect there or, with
none (outside the suspect window: the I/Q recording's AV line at +13.12 dB), from the plotted
limit line less the margin. The deciding line's comes first, as the report's headline
gives it (:func:`rfcheck.results.deciding_check`, else the smallest margin measured).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..outcome import Bound
from ..results import CaptureResult, LineCheck, Suspect, deciding_check
from ._common import worst_measured_check
from .margin_curves import limit_at

__all__ = ["WorstPoint", "suspect_at", "worst_points"]


@dataclass(frozen=True)
class WorstPoint:
    """The worst point of one judged limit line.

    Attributes
    ----------
    check : LineCheck
        The line's result (its verdict, limit id and line name).
    freq_hz : float
        Frequency of the worst margin. [Hz]
    level : float or None
        Level there, in the level panel's unit; None when neither a suspect nor the plotted
        limit line gives it.
    margin_db : float
        ``limit - level``. [dB]
    bound : Bound or None
        What the level is (a measurement or a bound of it).
    """

    check: LineCheck
    freq_hz: float
    level: float | None
    margin_db: float
    bound: Bound | None


def suspect_at(suspects: Sequence[Suspect], chk: LineCheck) -> Suspect | None:
    """Return the suspect at a line check's worst point (same limit line and frequency), if any."""
    f = chk.worst_frequency_hz
    if f is None:
        return None
    same = [
        s
        for s in suspects
        if (s.limit_id, s.line) == (chk.limit_id, chk.line)
        and abs(s.frequency_hz - f) <= 1e-6 * max(abs(f), 1.0)
    ]
    return min(same, key=lambda s: s.margin_db, default=None)


def _level(capture: CaptureResult, chk: LineCheck, f_hz: float, margin_db: float) -> float | None:
    """Return the level at a line's worst point: its suspect's, else the limit less the margin."""
    s = suspect_at(capture.suspects, chk)
    if s is not None:
        return s.level
    for pl in capture.plot_limits:
        if (pl.limit_id, pl.line) == (chk.limit_id, chk.line):
            limit = float(limit_at(pl, np.array([f_hz]))[0])
            if math.isfinite(limit):
                return limit - margin_db
    return None


def worst_points(capture: CaptureResult) -> list[WorstPoint]:
    """Return the worst point of every line with a margin, the deciding line's first."""
    first = worst_measured_check(capture) or deciding_check(capture.checks)
    scored = [
        c
        for c in capture.checks
        if c.worst_margin_db is not None
        and math.isfinite(c.worst_margin_db)
        and c.worst_frequency_hz
    ]
    scored.sort(key=lambda c: (c is not first, c.worst_margin_db, c.worst_frequency_hz))
    out = []
    for c in scored:
        f, m = float(c.worst_frequency_hz or 0.0), float(c.worst_margin_db or 0.0)
        out.append(WorstPoint(c, f, _level(capture, c, f, m), m, c.worst_bound))
    return out
