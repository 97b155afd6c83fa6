"""What the receiver cannot read at a record's ends, and how it says so.

The receiver detects only IF outputs whose window lies wholly inside the record
(:meth:`~rfcheck.receiver.channeliser.Channeliser.settled_outputs`): the record's start and
end would otherwise act as a switch-on/off step that splatters a strong off-tune carrier into
neighbouring channels. So an event is read in full only when it lies in the **observed span**,
the record less one IF response at each end (Band A ≈21 ms, B ≈0.47 ms, C/D ≈36 µs, E ≈4 µs;
``docs/receiver.md``): the first settled output's window ends one response into the record.
An event in the first or last IF response is read low or not at all (an impulse
0.26 ms into a Band B record read QP 1.9 dB low).

Zero-padding the record to "see" the edges is not done: it would bring the switch-on step
back. Instead every block's wideband magnitude (the largest ``|x|``, computed anyway by
:func:`~rfcheck.receiver.samples.check_block`) is compared: when the largest ``|x|`` of an
edge span is more than :data:`EDGE_RATIO` times the largest ``|x|`` of the observed span, the
edge holds an event the observed span cannot account for, and every reading becomes a lower
bound with a warning naming the edge and the event's time (:func:`edge_message`). A CW, noise
or a steady pulse train has the same magnitude in the edges as in the observed span, so the
test does not fire on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "EDGE_RATIO",
    "EdgeEvent",
    "EdgeWatch",
    "ObservedSpan",
    "edge_message",
    "seconds_text",
    "span_text",
]

#: An edge span whose largest wideband magnitude exceeds the observed span's by more than this
#: factor (6 dB) holds an event the observed span cannot account for. Noise over the shortest
#: observed span the receiver accepts stays below it (a Rayleigh maximum 2x the maximum of
#: hundreds of samples has a probability below 1e-9); a pulse off the sample grid reads
#: down to 0.64x of one on it (sinc(1/2)), still inside.
EDGE_RATIO = 2.0


@dataclass(frozen=True)
class ObservedSpan:
    """The part of the record whose events the detectors read in full.

    ``start_s`` .. ``stop_s``: times of the first and last event (from the record's first
    sample) whose whole IF response lies inside the record; ``record_s``: the record length.
    [s]
    """

    start_s: float
    stop_s: float
    record_s: float


@dataclass(frozen=True)
class EdgeEvent:
    """An event in an edge span that the observed span cannot account for.

    ``edge``: ``"start"`` or ``"end"``; ``time_s``: time of its largest sample from the
    record's start [s]; ``magnitude``, ``observed``: the largest wideband ``|x|`` in the edge
    span and in the observed span [sample units].
    """

    edge: str
    time_s: float
    magnitude: float
    observed: float


def seconds_text(t_s: float) -> str:
    """Return a time from the record's start to 0.1 µs, without exponent: ``0.0000175``."""
    return f"{t_s:.7f}".rstrip("0").rstrip(".") or "0"


def span_text(span: ObservedSpan) -> str:
    """Return the observed span in words: ``0.0002373-1.9997627 s of the 2 s record``."""
    return (
        f"{seconds_text(span.start_s)}-{seconds_text(span.stop_s)} s of the "
        f"{span.record_s:.6g} s record"
    )


def edge_message(event: EdgeEvent, span: ObservedSpan) -> str:
    """Say that ``event`` lies where no detector reads it in full; every reading is a bound."""
    where = "first" if event.edge == "start" else "last"
    width_s = span.start_s if event.edge == "start" else span.record_s - span.stop_s
    if span.stop_s <= span.start_s:
        return (
            f"the {span.record_s:.6g} s record is too short for any event to be read in full "
            f"(one IF response, {span.start_s * 1e3:.3g} ms, at each end, which no detector "
            "reads in full); every reading is a lower bound"
        )
    if event.observed > 0:
        above = f"{20 * math.log10(event.magnitude / event.observed):.1f} dB above"
    else:
        above = "above"
    return (
        f"an event at {seconds_text(event.time_s)} s, in the {where} {width_s * 1e3:.3g} ms of "
        f"the record ({event.edge} edge: one IF response, which no detector reads in "
        f"full), has a wideband magnitude {above} the largest in the observed span "
        f"({span_text(span)}); every reading is a lower bound"
    )


class EdgeWatch:
    """Track the largest wideband ``|x|`` in the two edge spans and the observed span.

    Samples ``[0, lo_end)`` are the start edge, ``[lo_end, hi_start)`` the observed span and
    ``[hi_start, n)`` the end edge (sample indices of the record).
    """

    def __init__(self, lo_end: int, hi_start: int, fs_hz: float) -> None:
        self.lo_end = lo_end
        self.hi_start = hi_start
        self.fs_hz = fs_hz
        self.observed = 0.0
        self.edges: dict[str, tuple[float, int]] = {"start": (0.0, 0), "end": (0.0, 0)}

    def see(self, x: NDArray[np.generic], start: int, peak: float) -> None:
        """Take block ``x`` (first sample at index ``start``, largest ``|x|`` ``peak``)."""
        stop = start + x.shape[0]
        if self.lo_end <= start and stop <= self.hi_start:
            self.observed = max(self.observed, peak)
            return
        if peak <= 0:
            return
        self._edge("start", x, start, 0, self.lo_end)
        self._edge("end", x, start, self.hi_start, stop)
        a, b = max(start, self.lo_end) - start, min(stop, self.hi_start) - start
        if b > a:
            self.observed = max(self.observed, float(np.max(_magnitude(x[a:b]))))

    def _edge(self, edge: str, x: NDArray[np.generic], start: int, lo: int, hi: int) -> None:
        a, b = max(start, lo) - start, min(start + x.shape[0], hi) - start
        if b <= a:
            return
        mag = _magnitude(x[a:b])
        i = int(np.argmax(mag))
        if float(mag[i]) > self.edges[edge][0]:
            self.edges[edge] = (float(mag[i]), start + a + i)

    def events(self) -> tuple[EdgeEvent, ...]:
        """Return the edge spans whose largest ``|x|`` is over :data:`EDGE_RATIO` x observed."""
        out = []
        for edge, (mag, index) in self.edges.items():
            if mag > 0 and mag > EDGE_RATIO * self.observed:
                out.append(EdgeEvent(edge, index / self.fs_hz, mag, self.observed))
        return tuple(out)


def _magnitude(x: NDArray[np.generic]) -> NDArray[np.floating]:
    """Return ``|x|``; integer samples in float (``abs(-32768)`` overflows int16)."""
    values = x.astype(np.float64) if x.dtype.kind in "iu" else x
    mag: NDArray[np.floating] = np.abs(values)
    return mag
