"""Where a capture's frequency span lies against the cells of its port.

It fills a cell (overlaps one), lies above every cell inside the port's limits' range
(beyond the 47 CFR 15.33(b)(1) range: judged for exceedances only, :mod:`.beyond`), or fits
none (an error row naming the cells). Used by :func:`rfcheck.product.assign.assign`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..capture import Capture
from ..frequency import format_mhz
from ..limits import load_shipped
from .plan import PortKind, RequiredCell, TestPlan

__all__ = ["beyond_cells", "capture_span_hz", "fits", "outside"]


def capture_span_hz(capture: Capture) -> tuple[float, float]:
    """Lowest and highest frequency of a capture's traces and recordings [Hz]."""
    lo, hi = [], []
    for t in capture.traces:
        if t.freq_hz.size:
            lo.append(float(t.freq_hz.min()))
            hi.append(float(t.freq_hz.max()))
    for ts in capture.time_series:
        a, b = ts.band_hz
        lo.append(a)
        hi.append(b)
    return (min(lo), max(hi)) if lo else (0.0, 0.0)


def fits(span: tuple[float, float], cells: Sequence[RequiredCell]) -> bool:
    """Whether the span [Hz] overlaps a cell (a one-point span: lies in one)."""
    lo, hi = span
    return any(
        min(hi, c.stop_hz) > max(lo, c.start_hz) or (lo == hi and c.start_hz <= lo <= c.stop_hz)
        for c in cells
    )


def beyond_cells(
    span: tuple[float, float], cells: Sequence[RequiredCell], kind: PortKind, plan: TestPlan
) -> bool:
    """Whether a polarisation's capture lies above every cell of its port (none overlapping).

    Above the 15.33(b)(1) upper frequency where the port's cells end (a 1-2 GHz scan when
    the range ends at 1 GHz), and inside its limits' range: judged for exceedances only. A
    port with no cell (a device below 1.705 MHz: radiated required up to 30 MHz, where the
    radiated limits start) has every capture inside its limits' range beyond it.
    """
    if kind is not PortKind.POLARISATION or fits(span, cells):
        return False
    ids = dict.fromkeys(c.limit_id for c in cells) if cells else plan.limit_ids(kind)
    ranges = [load_shipped(lid).range_hz for lid in ids]
    top = max((c.stop_hz for c in cells), default=0.0)
    return span[0] >= top and any(span[1] > a and span[0] < b for a, b in ranges)


def outside(span: tuple[float, float], cells: Sequence[RequiredCell], port: str) -> str | None:
    """Return the error row's problem of a span that fits no cell of ``port``; None if one fits."""
    lo, hi = span
    if fits(span, cells):
        return None
    if not cells:  # e.g. a radiated scan of a device below 1.705 MHz (47 CFR 15.33(b)(1))
        return f"fits no cell: the plan requires no measurement of {port}"
    ranges = sorted({(c.start_hz, c.stop_hz) for c in cells})
    where = ", ".join(f"{format_mhz(a)}-{format_mhz(b)}" for a, b in ranges)
    return (
        f"fits no cell: its span {format_mhz(lo)}-{format_mhz(hi)} lies outside the cells of "
        f"{port} ({where})"
    )
