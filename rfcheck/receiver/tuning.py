"""Which frequencies a measurement tunes to in a recording, and why a recording has none.

A frequency is measured with its band's B6 inside the recording and, in an I/Q recording,
one B6 to spare at each edge (one B6 below Nyquist in a REAL one).
:func:`default_frequencies` is the scan grid (B6/2 steps from the band's lower edge),
:func:`tuned_frequencies` checks given frequencies against the band, :func:`check_width`
refuses an I/Q recording too narrow for any, and :func:`too_narrow_message` /
:func:`empty_scan_message` say why a scan found none.

References
----------
CISPR 16-1-1 (measuring receiver bandwidths); docs/receiver.md.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..capture import SampleKind, TimeSeries
from ..cispr import BandSpec, get_band
from ..errors import ReceiverError
from ..frequency import format_mhz_range
from .capacity import check_frequency_count
from .describe import band_label
from .samples import check_center

__all__ = [
    "check_width",
    "default_frequencies",
    "empty_scan_message",
    "too_narrow_message",
    "tuned_frequencies",
]


def too_narrow_message(ts: TimeSeries, spec: BandSpec) -> str:
    """Say that a recording is too narrow for the band's measurement bandwidth B6.

    A frequency is measured with the band's B6 inside the recording and, in an I/Q
    recording, one B6 to spare at each edge (:func:`default_frequencies`).
    """
    lo_hz, hi_hz = ts.band_hz
    return (
        f"the recording ({lo_hz / 1e6:.6g}-{hi_hz / 1e6:.6g} MHz, "
        f"{(hi_hz - lo_hz) / 1e6:.6g} MHz wide) is too narrow for CISPR band "
        f"{band_label(spec.name)}'s "
        f"{spec.rbw_hz / 1e6:.6g} MHz measurement bandwidth with one bandwidth to spare at "
        "each edge (CISPR 16-1-1); no frequency measured"
    )


def empty_scan_message(ts: TimeSeries, spec: BandSpec) -> str:
    """Say why :func:`default_frequencies` found no frequency of ``spec`` in a recording.

    Either the recording lies outside the band, or it lies (partly) in it but is too narrow
    (:func:`too_narrow_message`).
    """
    lo_hz, hi_hz = ts.band_hz
    if hi_hz < spec.f_lo_hz or lo_hz > spec.f_hi_hz:
        return (
            f"the recording covers {format_mhz_range(lo_hz, hi_hz, sep='..')}, which does not "
            f"overlap band {band_label(spec.name)} "
            f"({format_mhz_range(spec.f_lo_hz, spec.f_hi_hz, sep='..')})"
        )
    return too_narrow_message(ts, spec)


def check_width(ts: TimeSeries, spec: BandSpec) -> None:
    """Refuse an I/Q recording narrower than two B6: no frequency fits its IF.

    A frequency is measured one B6 or more inside an I/Q recording's edges
    (:func:`~rfcheck.receiver.stream.check_fits`), so a recording narrower than 2 B6 has none.

    Raises
    ------
    ReceiverError
        :func:`too_narrow_message`.
    """
    lo_hz, hi_hz = ts.band_hz
    if ts.kind is SampleKind.IQ and hi_hz - lo_hz < 2.0 * spec.rbw_hz:
        raise ReceiverError(too_narrow_message(ts, spec))


def _usable_range(ts: TimeSeries, spec: BandSpec) -> tuple[float, float]:
    lo, hi = ts.band_hz
    margin = spec.rbw_hz
    if ts.kind is SampleKind.IQ:
        lo, hi = lo + margin, hi - margin
    elif ts.kind is SampleKind.REAL:
        hi = hi - margin
    return max(lo, spec.f_lo_hz), min(hi, spec.f_hi_hz)


def default_frequencies(
    ts: TimeSeries, band: str, step_hz: float | None = None
) -> NDArray[np.float64]:
    """Frequencies a scan of ``band`` visits in this recording.

    Parameters
    ----------
    ts : TimeSeries
    band : str
        CISPR band name.
    step_hz : float, optional
        Step; default B6/2 (two points per RBW, Keysight default [S]). [Hz]

    Returns
    -------
    ndarray
        ``f_lo + k · step`` within the recording's band (less one B6 at an IQ edge or below
        Nyquist) intersected with ``[f_lo, f_hi)`` of the band; empty when they do not
        overlap. A recording whose usable band holds no grid point (an I/Q recording 2 to
        2.5 B6 wide) gets the usable band's centre, the one frequency whose
        IF response it holds, as ``--freq`` would measure it. ENVELOPE: the tuned
        frequency. [Hz]
    """
    spec = get_band(band)
    check_center(ts)
    if ts.kind is SampleKind.ENVELOPE:
        return np.array([float(ts.center_freq_hz)])
    step = spec.rbw_hz / 2.0 if step_hz is None else float(step_hz)
    if not step > 0:
        raise ReceiverError(f"frequency step must be positive, got {step_hz!r}")
    lo, hi = _usable_range(ts, spec)
    if hi < lo:
        return np.empty(0)
    k0 = math.ceil((lo - spec.f_lo_hz) / step - 1e-9)
    k1 = math.floor((hi - spec.f_lo_hz) / step + 1e-9)
    check_frequency_count(k1 - k0 + 1, f"step {step:g} Hz in band {band_label(spec.name)}")
    f = spec.f_lo_hz + step * np.arange(k0, k1 + 1, dtype=float)
    f = f[(f >= lo) & (f < spec.f_hi_hz) & (f <= hi)]
    centre = (lo + hi) / 2.0
    if f.size == 0 and spec.f_lo_hz <= centre < spec.f_hi_hz:
        return np.array([centre])
    return f


def tuned_frequencies(
    ts: TimeSeries,
    spec: BandSpec,
    frequencies_hz: ArrayLike | None,
    strict_band: bool,
    warnings: list[str],
) -> NDArray[np.float64]:
    """Return the frequencies to tune to [Hz], checked against the band.

    A frequency outside the band gives a warning or, with ``strict_band``, a ReceiverError.
    """
    if frequencies_hz is None:
        freqs = default_frequencies(ts, spec.name)
    else:
        freqs = np.atleast_1d(np.asarray(frequencies_hz, dtype=float))
    if freqs.ndim != 1 or not np.all(np.isfinite(freqs)):
        raise ReceiverError("frequencies must be a 1-D array of finite values")
    check_frequency_count(freqs.size)
    outside = (freqs < spec.f_lo_hz) | (freqs > spec.f_hi_hz)
    if np.any(outside):
        f_bad = float(freqs[np.flatnonzero(outside)[0]])
        msg = (
            f"{f_bad:.10g} Hz is outside band {band_label(spec.name)} "
            f"({spec.f_lo_hz:.10g} .. {spec.f_hi_hz:.10g} Hz, edges included)"
        )
        if strict_band:
            raise ReceiverError(msg)
        n = int(outside.sum())
        warnings.append(
            f"{n} {'frequency' if n == 1 else 'frequencies'} outside the band, first {msg}; "
            f"band {band_label(spec.name)}'s bandwidth and time constants are applied there"
        )
    return freqs
