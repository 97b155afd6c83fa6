"""The log frequency axis of a plot, with the ticks the margin plots label.

For figures outside :mod:`rfcheck.report` (the ``compare`` and ``lot`` plots,
:mod:`rfcheck.lot.plot_parts`) and the dossier's: the same tick choice as the per-capture margin
plots (:func:`rfcheck.report._ticks.freq_ticks`: 0.15, 0.5, 1, 5, 10, 30 MHz on a conducted
axis, round band ends labelled, plain MHz numbers, never ``10^0``), pointing inwards on all
four sides as there.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes

from ._ticks import freq_ticks

__all__ = ["log_freq_axis"]


def log_freq_axis(axes: Sequence[Axes], lo_hz: float, hi_hz: float) -> list[float]:
    """Set a log frequency axis [MHz] from ``lo_hz`` to ``hi_hz`` [Hz]; return its labelled ticks.

    Parameters
    ----------
    axes : sequence of Axes
        Axes sharing one x axis (``sharex``), the first the one the others share; each gets
        the minor ticks and grid lines.
    lo_hz, hi_hz : float
        The axis range. [Hz] An end a hair short of a round frequency on an axis of a decade
        or more is widened to it (a sweep stopping at 29.995 MHz reads 30).

    Returns
    -------
    list of float
        The labelled major ticks. [MHz]
    """
    for ax in axes:
        ax.set_xscale("log")  # before the ticks: a new scale resets the locators
    axes[0].set_xlim(lo_hz / 1e6, hi_hz / 1e6)
    major = freq_ticks(axes, lo_hz / 1e6, hi_hz / 1e6)
    for ax in axes:
        ax.tick_params(which="both", direction="in", top=True, right=True)
    return major
