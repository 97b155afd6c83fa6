"""What the renderers draw: a capture's corrected traces and limit lines, as plotted.

A :class:`~rfcheck.results.CaptureResult` carries them beside its verdict (``plot_traces``,
``plot_limits``, ``ambient_traces``), so the plots, the margin curves, lots and the dossier
draw exactly what was judged; they hold no verdict of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["PlotLimit", "PlotTrace"]


@dataclass(frozen=True, eq=False)
class PlotTrace:
    """A corrected trace as plotted: level in the limit's unit after the transducer chain.

    ``rbw_hz`` [Hz], ``settled`` and ``mode`` (a :class:`rfcheck.capture.TraceMode` value) as
    judged, so a reader of the plotted traces applies the same bound rules
    (:func:`rfcheck.verdict.bounds.reading_bounds`). ``computed_from``: the I/Q recording
    rfcheck's receiver model computed the trace from ("" for an instrument's trace);
    ``channel``: its channel of a multi-channel recording (``Channel 2``, else "");
    ``sweep_unstated``: nothing in its file shows a sweep (:class:`rfcheck.capture.Trace`), so
    its points are drawn as readings at their own frequencies, however evenly spaced.
    """

    label: str
    detector: str
    freq_hz: NDArray[np.float64]
    level: NDArray[np.float64]
    unit: str
    rbw_hz: float | None = None
    settled: bool | None = None
    mode: str = "unknown"
    computed_from: str = ""
    channel: str = ""
    sweep_unstated: bool = False


@dataclass(frozen=True, eq=False)
class PlotLimit:
    """A limit line as plotted (at the measurement distance)."""

    limit_id: str
    line: str
    detector: str
    freq_hz: NDArray[np.float64]
    level: NDArray[np.float64]
    unit: str
    #: above this the rule sets only a minimum RBW
    #: (:attr:`rfcheck.limits.LimitTable.rbw_floor_above_hz`) [Hz]
    rbw_floor_above_hz: float | None = None
