"""A weighting detector's meter still rising at the record's end.

An event in a record's last ~2 τ_M is read low: the quasi-peak, CISPR-average and
RMS-average meters have not swung yet (a 20 ms burst ending at the last sample of a 2 s Band
B record read QP 22.9 dBµV for 66.4). :func:`still_rising` runs each meter on as if the
input had stopped there (:meth:`~rfcheck.receiver.meter.Meter.to_come`) and makes the
detector's readings lower bounds where that would read clearly more (``docs/receiver.md``,
"A meter still rising at the end").
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ..cispr import BandSpec
from ..units import volts_to_dbuv
from .bank import AnyDetector
from .settling import settling_time_s

__all__ = [
    "RISING_DB",
    "RISING_TEXT",
    "RISING_WINDOW_DB",
    "still_rising",
    "strongest_dbuv",
    "window_floor_dbuv",
    "worst_channels",
]


#: A weighting detector whose reading would still rise by more than this, were the input to
#: stop at the record's end, read an event near the end before its meter had swung: the
#: reading is a lower bound. [dB] Below it, the meter's swing after a noise
#: fluctuation at the end; CISPR 16-1-1's receiver tolerances are larger.
RISING_DB = 1.0
#: Only a reading within this of the recording's strongest reading is tested
#: (:func:`still_rising`): far below it the channeliser's single-precision rounding, not an
#: event, moves the meters. [dB] The strongest reading is the run's own or, when larger, the
#: ``reference_dbuv`` a caller knows (``check``'s scan: the whole scan of the recording, so a
#: final measurement at noise-level channels 130 dB under a CW is not its own reference).
RISING_WINDOW_DB = 60.0


def strongest_dbuv(readings: dict[str, NDArray[np.float64]]) -> float:
    """Return the highest finite reading of any detector [dBµV] (-inf when none)."""
    tops = [float(np.max(r[np.isfinite(r)])) for r in readings.values() if np.isfinite(r).any()]
    return max(tops, default=-math.inf)


def window_floor_dbuv(
    readings: dict[str, NDArray[np.float64]], reference_dbuv: float = -math.inf
) -> float:
    """Return the level below which a meter test ignores a channel [dBµV].

    :data:`RISING_WINDOW_DB` under the stronger of the strongest of ``readings`` and
    ``reference_dbuv`` (the recording's strongest reading known elsewhere, e.g. the scan's
    grid, [dBµV]).
    """
    return max(strongest_dbuv(readings), reference_dbuv) - RISING_WINDOW_DB


def worst_channels(
    freqs: NDArray[np.float64], at: NDArray[np.intp], score: NDArray[np.float64]
) -> tuple[str, float]:
    """Return the channels ``at`` by falling ``score`` as words, and the largest score.

    ``1.0005 MHz, 1 MHz, ... (+3 more)``: five frequencies at most, then a count. For the
    warnings of a meter test (:func:`still_rising`, :func:`~rfcheck.receiver.started.on_at_start`).
    """
    worst = at[np.argsort(-score[at], kind="stable")]
    shown = ", ".join(f"{freqs[k] / 1e6:.6g} MHz" for k in worst[:5])
    more = f" (+{at.shape[0] - 5} more)" if at.shape[0] > 5 else ""
    return shown + more, float(score[worst[0]])


#: In the warning of :func:`still_rising` (``scan_traces`` collects them into the notes).
RISING_TEXT = ": the meter was still rising at the record's end"


def still_rising(
    bank: dict[str, AnyDetector],
    freqs: NDArray[np.float64],
    readings: dict[str, NDArray[np.float64]],
    spec: BandSpec,
    duration_s: float,
    reference_dbuv: float = -math.inf,
) -> dict[str, str]:
    """Return, per weighting detector whose meter was still rising at the end, a warning.

    An event in the record's last ~2 τ_M (a burst ending at the last sample, an impulse
    100 ms before it) is read low: the meter has not swung yet. Its reading were the input to
    stop there (:meth:`~rfcheck.receiver.meter.Meter.to_come`) is a lower bound of what a
    longer look would show; more than :data:`RISING_DB` above the reading, at a channel
    within :data:`RISING_WINDOW_DB` of the strongest reading (of ``readings`` or, when
    larger, ``reference_dbuv`` [dBµV]: :func:`window_floor_dbuv`), and every reading of that
    detector is a lower bound (a FAIL can still be proved, never a PASS).
    """
    out: dict[str, str] = {}
    for d, det in bank.items():
        if d == "peak" or duration_s < settling_time_s(spec, d):
            continue  # a record too short to settle: lower bounds already, and said so
        to_come = volts_to_dbuv(det.to_come())  # type: ignore[union-attr]
        now, later = np.isfinite(readings[d]), np.isfinite(to_come)
        with np.errstate(invalid="ignore"):  # -inf - -inf where nothing was read
            rise = np.where(now & later, to_come - readings[d], np.where(later, np.inf, -np.inf))
        # single-precision arithmetic leaves spikes ~110 dB under the strongest signal: a
        # meter "rising" there is rounding, not an event (a steady carrier tripped it)
        floor = window_floor_dbuv(readings, reference_dbuv)
        at = np.flatnonzero((rise > RISING_DB) & (np.where(later, to_come, -np.inf) >= floor))
        if not at.shape[0]:
            continue
        shown, top = worst_channels(freqs, at, rise)
        by = f"up to {top:.1f} dB" if np.isfinite(top) else "from nothing"
        out[d] = (
            f"receiver {d}{RISING_TEXT} at {shown} "
            f"({by} more were the input to stop there): an event in the record's last "
            f"{2 * spec.tau_meter_s:.2g} s or so is read low; every {d} reading is a lower bound"
        )
    return out
