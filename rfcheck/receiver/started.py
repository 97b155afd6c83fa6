"""A signal already on at the record's start and gone later.

The detectors and meters start from rest at the first settled IF output, as a receiver
tuned to a signal that is already present. That is right for a steady signal: its readings
settle whatever came before. It is not right for a signal that was on when the record began
and stopped within it (a recording started in the middle of a burst): the quasi-peak
and average meters swing only over the part the record holds, and a longer look, beginning
while the signal was already on, would read more (a 20 ms, 67 dBµV burst cut by the record's
start read QP 57.6 dBµV, "measured"; on for longer it reads 67).

:class:`StartWatch` keeps, per channel, the lowest IF envelope over the record's first IF
response the detectors read (``level``: the signal was at least that strong throughout it)
and the highest over the record's second half (``late``, looked at every half start
window). :func:`on_at_start` then makes a weighting detector's readings lower bounds, with a
warning naming the frequencies, where

- the steady reading of ``level`` (what the detector would read had the signal been on that
  strong before the record: every CISPR detector reads a constant envelope ``E`` as
  ``E/√2``) is more than :data:`START_DB` above the reading, and
- ``level`` is more than :data:`~rfcheck.receiver.edges.EDGE_RATIO` (6 dB) above ``late``:
  the signal at the start was not seen again, so it was not the steady, modulated or pulsed
  signal the rest of the record shows (a signal modulated at the mains rate, or a pulse
  train caught in a pulse, is as strong later and does not trip it; nor do CW and noise),
- within :data:`~rfcheck.receiver.rising.RISING_WINDOW_DB` of the strongest reading (the
  run's own or a caller's reference: :func:`~rfcheck.receiver.rising.window_floor_dbuv`).

The peak detector reads the envelope's maximum and is not concerned. A signal still on at
the record's end is the rising-meter test's (:mod:`rfcheck.receiver.rising`).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ..cispr import BandSpec
from ..units import volts_to_dbuv
from .edges import EDGE_RATIO
from .rising import window_floor_dbuv, worst_channels
from .settling import settling_time_s

__all__ = ["START_DB", "START_TEXT", "StartWatch", "on_at_start"]

#: A weighting detector whose reading is more than this below the steady reading of the
#: signal already on at the record's start (and gone later) is a lower bound. [dB] The same
#: margin as the rising-meter test's (:data:`~rfcheck.receiver.rising.RISING_DB`).
START_DB = 1.0

#: In the warning of :func:`on_at_start`.
START_TEXT = ": a signal already on at the record's start"


class StartWatch:
    """Track per channel the IF envelope at the record's start and in its second half.

    Parameters
    ----------
    n_channels : int
    first, n_first : int
        Index of the first settled IF output and how many outputs, from it, are the start
        window (one IF response).
    late_from, stop : int
        The outputs ``[late_from, stop)`` are the record's second half.

    ``level``: per channel, the smallest envelope over the start window (inf until seen);
    ``late``: the largest over the second half (0 until seen). [peak volts]
    """

    def __init__(self, n_channels: int, first: int, n_first: int, late_from: int, stop: int):
        self.first, self.first_stop = first, first + max(1, n_first)
        self.late_from, self.stop = late_from, stop
        # The second half is looked at every half start window: a signal as strong as the
        # start's for as long as it (its minimum there is ``level``) cannot fall between two
        # looks; one seen again only in shorter bursts is not the start's signal. Reading
        # every output there cost 0.2-0.3 s of CPU on 1 s of Band B at 64 MS/s.
        self.stride = max(1, n_first // 2)
        self.level = np.full(n_channels, np.inf)
        self.late = np.zeros(n_channels)

    def _columns(self, start: int, a: int, b: int, lo: int, hi: int) -> tuple[int, int]:
        """Columns ``[a, b)`` of a block whose column 0 is output ``start``, within lo..hi."""
        return max(a, lo - start), min(b, hi - start)

    def see(self, env: NDArray[np.floating], start: int, a: int, b: int, lo: int, hi: int) -> None:
        """Take columns ``[a, b)`` of channels ``lo:hi`` (env rows: (hi - lo, n)).

        ``start``: the output index of column 0. Disjoint channel ranges may be seen from
        concurrent threads.
        """
        self._see(env, 1, start, a, b, lo, hi)

    def see_lanes(
        self, env: NDArray[np.floating], start: int, a: int, b: int, lo: int, hi: int
    ) -> None:
        """:meth:`see` for an envelope lanes last, ``(ceil((hi - lo) / 16), n, 16)``."""
        self._see(env, 2, start, a, b, lo, hi)

    def _see(
        self, env: NDArray[np.floating], layout: int, start: int, a: int, b: int, lo: int, hi: int
    ) -> None:
        def reduce(fn: np.ufunc, c0: int, c1: int, step: int = 1) -> NDArray[np.floating]:
            if layout == 1:
                part: NDArray[np.floating] = fn.reduce(env[:, c0:c1:step], axis=1)
                return part
            lanes: NDArray[np.floating] = fn.reduce(env[:, c0:c1:step, :], axis=1)
            return lanes.reshape(-1)[: hi - lo]

        c0, c1 = self._columns(start, a, b, self.first, self.first_stop)
        if c1 > c0:
            np.minimum(self.level[lo:hi], reduce(np.minimum, c0, c1), out=self.level[lo:hi])
        c0, c1 = self._columns(start, a, b, self.late_from, self.stop)
        c0 += (self.late_from - start - c0) % self.stride  # the looks fall on a fixed grid
        if c1 > c0:
            late = reduce(np.maximum, c0, c1, self.stride)
            np.maximum(self.late[lo:hi], late, out=self.late[lo:hi])


def on_at_start(
    watch: StartWatch,
    detectors: list[str],
    freqs: NDArray[np.float64],
    readings: dict[str, NDArray[np.float64]],
    spec: BandSpec,
    duration_s: float,
    reference_dbuv: float = -math.inf,
) -> dict[str, str]:
    """Return, per weighting detector that read a signal cut by the record's start, a warning.

    The tests of the module docstring (``reference_dbuv``: the recording's strongest reading
    known elsewhere [dBµV], as :func:`~rfcheck.receiver.rising.still_rising`); every reading
    of such a detector is then a lower bound (a FAIL can still be proved, never a PASS).
    """
    out: dict[str, str] = {}
    seen = np.isfinite(watch.level)
    with np.errstate(divide="ignore"):
        rms = np.where(seen, watch.level, 0.0) / math.sqrt(2)
        steady = np.where(seen, volts_to_dbuv(rms), -np.inf)
    gone = seen & (watch.level > EDGE_RATIO * watch.late)
    floor = window_floor_dbuv(readings, reference_dbuv)
    for d in detectors:
        if d == "peak" or duration_s < settling_time_s(spec, d):
            continue  # a record too short to settle: lower bounds already, and said so
        with np.errstate(invalid="ignore"):  # -inf - -inf where nothing was read
            above = steady - readings[d]
        at = np.flatnonzero(gone & (above > START_DB) & (steady >= floor))
        if not at.shape[0]:
            continue
        shown, top = worst_channels(freqs, at, above)
        by = f"up to {top:.1f} dB" if np.isfinite(top) else "where nothing was read"
        out[d] = (
            f"receiver {d}{START_TEXT} at {shown} ({by} above the reading) was gone by "
            f"its second half: it may have begun before the record, and a longer look would "
            f"read more; every {d} reading is a lower bound"
        )
    return out
