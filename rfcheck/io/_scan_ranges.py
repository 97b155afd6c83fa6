"""Which scan range measured each row of a trace that runs across several ranges.

A receiver scan (``Scan n:`` blocks, R&S ESR/ESW) or a spurious-emission sweep (``Range n:``
blocks, R&S ESU) measures each frequency range with its own settings (RBW, detector, sweep
time) and exports one trace across all of them. Each range states its ``Start`` and ``Stop``:
a row belongs to the range whose ``Start``...``Stop`` holds it. A row on the boundary two
adjacent ranges share (range 1 ``Stop`` = range 2 ``Start``) belongs to the lower range,
which ends its sweep there (the exported frequencies increase strictly, so the boundary
occurs once). Rows outside every range, or ranges that overlap beyond a shared boundary,
place no row: the caller keeps the trace whole (:mod:`rfcheck.io.rs_ascii`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class RangeSpan:
    """A scan range's frequency span as its block states it."""

    #: index of the range in the caller's list
    index: int
    #: the range's ``Start`` [Hz]
    start_hz: float
    #: the range's ``Stop`` [Hz]
    stop_hz: float


def rows_by_range(
    freq_hz: NDArray[np.float64], spans: list[RangeSpan]
) -> list[tuple[int, NDArray[np.intp]]] | None:
    """Return, per range holding rows, the range's index and its rows; None when not placeable.

    Parameters
    ----------
    freq_hz : ndarray
        The trace's frequencies, strictly increasing. [Hz]
    spans : list of RangeSpan
        The ranges' spans, in any order. [Hz]

    Returns
    -------
    list of (int, ndarray) or None
        ``(RangeSpan.index, row indices)`` in increasing frequency, ranges without rows left
        out; None when a span is reversed, two spans overlap beyond a shared boundary, or a
        row lies outside every span.
    """
    ordered = sorted(spans, key=lambda s: (s.start_hz, s.stop_hz))
    if any(s.stop_hz < s.start_hz for s in ordered):
        return None
    if any(b.start_hz < a.stop_hz for a, b in pairwise(ordered)):
        return None
    owner = np.full(freq_hz.shape, -1, dtype=np.intp)
    for k in range(len(ordered) - 1, -1, -1):  # the lower range last: it keeps a shared boundary
        span = ordered[k]
        owner[(freq_hz >= span.start_hz) & (freq_hz <= span.stop_hz)] = k
    if (owner < 0).any():
        return None
    return [
        (span.index, rows)
        for k, span in enumerate(ordered)
        if (rows := np.flatnonzero(owner == k)).size
    ]
