"""The emissions of a trace, as a receiver's peak search finds them: its local maxima.

The final table lists the frequencies of the highest emissions (ANSI C63.4 and CISPR 16-2-x
final measurements at the emissions a prescan found): local maxima of a trace, not the first
sample of a flat noise floor, though that sample may be a cell's worst margin (which the
matrix states). A sample is an emission (:func:`emission_mask`) when it is

* strictly above both its neighbours, or the first (lowest-frequency) sample of a plateau of
  equal levels whose neighbours on both sides are strictly lower (the tie rule of the
  suspects: a plateau is named by its lowest frequency);
* a trace's first or last sample (or a plateau there) only when it stands at least
  :data:`rfcheck.verdict.PEAK_EXCURSION_DB` above the sample next to it: an emission cut by
  the scan's edge (a spike at 1000 MHz where the quasi-peak scan stops), not the end of a
  flat or sloping trace; a flat or monotone trace (a noise floor, a skirt) has no emission;
* any reading of an instrument's list of final measurements (no sweep's grid:
  :func:`rfcheck.verdict.coverage.is_sweep_grid`), each taken at an emission.

See ``docs/dossier.md``, "Final measurements".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..plotted import PlotTrace
from ..verdict import PEAK_EXCURSION_DB, CorrectedTrace
from ..verdict.coverage import is_sweep_grid

__all__ = ["local_maxima_mask", "emission_mask", "emission_frequencies", "at_emission"]

#: Levels equal to this many decimals of a dB are one plateau (corrections add float noise).
_PLATEAU_DECIMALS = 6


def local_maxima_mask(
    level: NDArray[np.float64], edge_excursion_db: float = PEAK_EXCURSION_DB
) -> NDArray[np.bool_]:
    """Return, per sample of ``level`` (in frequency order), whether it is a local maximum.

    A sample strictly above both neighbours, or the first sample of a run of equal samples
    (a plateau) with a strictly lower sample on both sides. A run at either end of the trace
    is one only when the sample on its one side is at least ``edge_excursion_db`` lower;
    a sample or plateau next to a NaN never is.

    Parameters
    ----------
    level : ndarray of float
        The trace's levels, in increasing frequency. [dBµV or dBµV/m]
    edge_excursion_db : float
        How far a trace's end must stand above the sample next to it. [dB]

    Returns
    -------
    ndarray of bool
    """
    x = np.round(np.asarray(level, dtype=np.float64), _PLATEAU_DECIMALS)
    n = x.shape[0]
    out = np.zeros(n, dtype=bool)
    if n < 3:
        return out
    same = x[1:] == x[:-1]  # NaN equals nothing: a NaN is a run of its own
    starts = np.flatnonzero(np.concatenate([[True], ~same]))
    ends = np.concatenate([starts[1:] - 1, [n - 1]])
    first, last = starts == 0, ends == n - 1
    left = x[np.maximum(starts - 1, 0)]  # the sample before each run (its own at the start)
    right = x[np.minimum(ends + 1, n - 1)]
    top = x[starts]
    # a NaN neighbour compares False; a run spanning the whole trace is no peak
    peak = np.where(
        first,
        right <= top - edge_excursion_db,
        np.where(last, left <= top - edge_excursion_db, (left < top) & (right < top)),
    ) & ~(first & last)
    out[starts[peak]] = True
    return out


def emission_mask(trace: CorrectedTrace | PlotTrace) -> NDArray[np.bool_]:
    """Return, per sample of ``trace``, whether it is an emission (see the module docstring).

    An instrument's list of final measurements (no sweep's grid) has each reading at an
    emission; a sweep's, or the receiver model's computed trace's, emissions are its local
    maxima (in frequency order, whatever the order of its samples).
    """
    f, level = trace.freq_hz, trace.level
    axis = getattr(trace, "axis_hz", None)
    if not trace.computed_from and not is_sweep_grid(np.sort(f if axis is None else axis)):
        finite: NDArray[np.bool_] = np.isfinite(level)
        return finite
    order = np.argsort(f, kind="stable")
    out = np.zeros(f.shape[0], dtype=bool)
    out[order] = local_maxima_mask(level[order])
    return out


def emission_frequencies(
    traces: Sequence[CorrectedTrace | PlotTrace], masks: Sequence[NDArray[np.bool_]]
) -> NDArray[np.float64]:
    """Return the frequencies of every trace's emissions (``masks``, one per trace), sorted [Hz].

    Computed once per pool, so that :func:`at_emission` asks it for each candidate by a
    binary search instead of comparing every sample of every trace.
    """
    parts = [np.asarray(t.freq_hz, dtype=np.float64)[m] for t, m in zip(traces, masks, strict=True)]
    return np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.float64)


def at_emission(frequency_hz: float, emissions: NDArray[np.float64]) -> bool:
    """Whether ``frequency_hz`` [Hz] is one of the sorted ``emissions`` (relative 1e-12).

    A candidate's frequency is one of a trace's samples (a suspect, a cell's worst point);
    ``emissions`` is :func:`emission_frequencies` of the pool.
    """
    i = int(np.searchsorted(emissions, frequency_hz))
    tol = 1e-12 * abs(frequency_hz)
    return any(
        0 <= j < emissions.shape[0] and abs(float(emissions[j]) - frequency_hz) <= tol
        for j in (i - 1, i)
    )
