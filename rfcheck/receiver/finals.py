"""Final measurements: where between the scan's grid points an emission's maximum lies.

A scan tunes the receiver every ``step`` (B6/2 by default). A narrowband emission between two
tuned frequencies is seen through the skirt of the IF filter: with the receiver's Gaussian IF
(:func:`~rfcheck.receiver.ifilter.if_response`, ``|H| = 0.5`` at ``±B6/2``) a CW ``δ`` away
from the tuned frequency reads ``6 · (2δ/B6)²`` dB low, 1.5 dB at ``δ = B6/4``, midway
between two points of the default grid. A measuring receiver's procedure is a pre-scan
followed by final measurements with every detector at the frequencies the pre-scan's peak
search selects (R&S's description of data reduction and final measurement, and the final
test detectors at marker frequencies of its FPL manual: docs/references.md §5 [S]).
rfcheck holds every sample of the recording, so it measures again at each local
maximum's own frequency.

Where: the peak reading in dB of a CW through a Gaussian IF is a parabola in frequency,
so the vertex of the parabola through a local maximum and its two neighbours is the CW's
frequency, exactly (a modulated or broadband emission gets an estimate; the grid readings
stay in the trace, so a final reading only ever adds information). A vertex whose
predicted rise over the grid maximum is below :data:`MIN_RISE_DB` is not measured: it
cannot move a margin by more than that.

References
----------
docs/references.md §5 (pre-scan, data reduction, final measurement [S]); CISPR 16-1-1
clause 4 (B6 at -6 dB, docs/references.md §4a).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["MIN_RISE_DB", "final_frequencies"]

#: A local maximum whose parabola predicts less rise than this is not measured again. [dB]
MIN_RISE_DB = 0.01


def final_frequencies(frequencies_hz: ArrayLike, peak_dbuv: ArrayLike) -> NDArray[np.float64]:
    """Frequencies of the maxima between a scan's grid points, to be measured again.

    Parameters
    ----------
    frequencies_hz : array_like
        Tuned frequencies of the scan, increasing, equally spaced. [Hz]
    peak_dbuv : array_like
        Peak reading at each. [dBµV]

    Returns
    -------
    ndarray
        For each interior local maximum (at least its left neighbour, above its right one,
        so a plateau of two equal readings counts once): the vertex of the parabola through
        it and its neighbours, within half a step of it, when the parabola predicts a rise
        of at least :data:`MIN_RISE_DB`; sorted, none equal to a grid frequency. [Hz]
    """
    f = np.asarray(frequencies_hz, dtype=np.float64)
    lv = np.asarray(peak_dbuv, dtype=np.float64)
    if f.shape[0] < 3:
        return np.empty(0)
    left, mid, right = lv[:-2], lv[1:-1], lv[2:]
    with np.errstate(invalid="ignore"):
        is_max = np.isfinite(left) & np.isfinite(mid) & np.isfinite(right)
        is_max &= (mid >= left) & (mid > right)
        curv = left - 2.0 * mid + right  # < 0 at a maximum
        is_max &= curv < 0.0
    i = np.flatnonzero(is_max)
    if i.size == 0:
        return np.empty(0)
    a, c, k = left[i], right[i], curv[i]
    # p(x) = b + (c - a)/2 · x + k/2 · x² through x = -1, 0, 1: vertex and its rise over b
    x = np.clip(0.5 * (a - c) / k, -0.5, 0.5)
    rise = 0.5 * (c - a) * x + 0.5 * k * x * x
    keep = rise >= MIN_RISE_DB
    step = np.diff(f)[i]  # spacing to the right neighbour
    out = f[1:-1][i][keep] + x[keep] * step[keep]
    return np.unique(out)
