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

Where: the reading in dB of a CW through a Gaussian IF is a parabola in frequency, so the
vertex of the parabola through a local maximum and its two neighbours is the CW's frequency,
exactly. Two emissions within one B6 beat in the IF and a modulated emission has its own
shape: there each detector's maxima differ and the vertex is an estimate, so the scan
(:func:`rfcheck.receiver.scan_traces`) takes the maxima of every detector's readings and
measures in two rounds, the second at the vertices of the maxima the first round's
readings made (:data:`rfcheck.receiver.scan.FINAL_ROUNDS`). Every reading stays in the
trace, so a final measurement only ever adds a reading.

References
----------
docs/references.md §5 (pre-scan, data reduction, final measurement [S]); CISPR 16-1-1
clause 4 (B6 at -6 dB, docs/references.md §4a).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["final_frequencies"]


#: Curvature of a CW's reading through the Gaussian IF: ``6.02 (2δ/B6)²`` dB low at ``δ`` from
#: the tuned frequency, i.e. ``-24.08 / B6²`` dB per Hz² (``20 log10(e) · 4 ln 2``).
_CW_CURVATURE_B6 = -20.0 * math.log10(math.e) * 4.0 * math.log(2.0)


def final_frequencies(
    frequencies_hz: ArrayLike,
    dbuv: ArrayLike,
    at: ArrayLike | None = None,
    rbw_hz: float | None = None,
) -> NDArray[np.float64]:
    """Frequencies of the maxima between measured frequencies, to be measured again.

    Parameters
    ----------
    frequencies_hz : array_like
        Measured frequencies, increasing (a scan's grid, or a grid merged with earlier
        final measurements). [Hz]
    dbuv : array_like
        One detector's reading at each. [dBµV]
    at : array_like, optional
        Only maxima at these frequencies count (a later round refines only where the
        previous round's final reading rose above its neighbours). [Hz]
    rbw_hz : float, optional
        The IF's B6: with it, a maximum at an END of the measured frequencies (above its one
        neighbour; at the last, at least equal to it) is measured again too, at the vertex
        of the parabola of a CW's curvature (``-24.08 / B6²`` dB per Hz²) through it and its
        neighbour, when that lies between them: an emission between the last two points
        reads up to 1.5 dB low on both, and no reading beyond the end refines it (a vertex
        at or beyond the end is not measured: the scan covers nothing beyond its ends). [Hz]

    Returns
    -------
    ndarray
        For each interior local maximum (at least its left neighbour, above its right one,
        so a plateau of two equal readings counts once): the vertex of the parabola through
        it and its two neighbours, kept within half the spacing to each neighbour; with
        ``rbw_hz``, the end maxima's vertices; sorted, none equal to a measured frequency.
        No maximum is skipped for a small predicted rise: the parabola is exact for one CW
        only, and between two emissions within one B6 it predicted 0.03 dB where the
        average reading rose 1.3 dB. [Hz]
    """
    f = np.asarray(frequencies_hz, dtype=np.float64)
    lv = np.asarray(dbuv, dtype=np.float64)
    if f.shape[0] < 2:
        return np.empty(0)
    out = np.concatenate([_interior_vertices(f, lv, at), _end_vertices(f, lv, at, rbw_hz)])
    out = np.unique(out)
    return out[~np.isin(out, f)]


def _counts(f: NDArray[np.float64], at: ArrayLike | None) -> NDArray[np.bool_]:
    """Which of ``f`` may be refined (all, or those in ``at``)."""
    if at is None:
        return np.ones(f.shape, dtype=bool)
    return np.isin(f, np.asarray(at, dtype=np.float64))


def _interior_vertices(
    f: NDArray[np.float64], lv: NDArray[np.float64], at: ArrayLike | None
) -> NDArray[np.float64]:
    """Return the parabola vertices of the interior local maxima (:func:`final_frequencies`)."""
    if f.shape[0] < 3:
        return np.empty(0)
    left, mid, right = lv[:-2], lv[1:-1], lv[2:]
    with np.errstate(invalid="ignore"):
        is_max = np.isfinite(left) & np.isfinite(mid) & np.isfinite(right)
        is_max &= (mid >= left) & (mid > right)
    is_max &= _counts(f[1:-1], at)
    i = np.flatnonzero(is_max)
    if i.size == 0:
        return np.empty(0)
    # the parabola through (-u, a), (0, b), (w, c), offsets from the maximum [Hz]
    u = f[1:-1][i] - f[:-2][i]
    w = f[2:][i] - f[1:-1][i]
    da = left[i] - mid[i]  # <= 0
    dc = right[i] - mid[i]  # < 0
    # p(x) = b + s x + k x²: s = (dc u² - da w²) / (u w (u + w)), k = (dc u + da w) / (u w (u + w))
    den = u * w * (u + w)
    slope = (dc * u * u - da * w * w) / den
    k = (dc * u + da * w) / den  # < 0 at a strict maximum
    x = np.clip(-slope / (2.0 * k), -0.5 * u, 0.5 * w)
    return f[1:-1][i] + x


def _end_vertices(
    f: NDArray[np.float64], lv: NDArray[np.float64], at: ArrayLike | None, rbw_hz: float | None
) -> NDArray[np.float64]:
    """Return the vertices between an end maximum and its neighbour (:func:`final_frequencies`)."""
    if rbw_hz is None or not rbw_hz > 0:
        return np.empty(0)
    k = _CW_CURVATURE_B6 / (rbw_hz * rbw_hz)  # [dB/Hz²], < 0
    may = _counts(f, at)
    out = []
    # (end, neighbour, whether a tie counts): a tie at the first end is the interior rule's
    for end, nb, tie in ((0, 1, False), (f.shape[0] - 1, f.shape[0] - 2, True)):
        a, b = lv[end], lv[nb]
        if not (may[end] and np.isfinite(a) and np.isfinite(b) and (a > b or (tie and a == b))):
            continue
        u = abs(f[end] - f[nb])
        # L(x) = L0 + k (x - t)², x from the end towards the neighbour: a - b = -k u (u - 2t)
        t = (u + (a - b) / (k * u)) / 2.0
        if 0.0 < t < u:
            out.append(f[end] + t * np.sign(f[nb] - f[end]))
    return np.asarray(out, dtype=np.float64)
