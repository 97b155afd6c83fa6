"""The dwell per point of a swept trace used as an upper bound, and the caution it calls for.

A peak trace is taken as an upper bound on the quasi-peak and average lines, an rms or
rms-average trace on the average line (``docs/verdict.md``, "Detector ordering"). That holds
for what the analyser saw, and a swept analyser sees each frequency only while it passes it:
an emission that is not on during that time (bursts repeating more slowly than the dwell per
point) can be missed there, and the reading then falls below the quasi-peak or average the
emission has. ``docs/references.md`` §5 states no
CISPR 16-2-x rule for the dwell a peak prescan needs (its minimum scan times are UNCONFIRMED
and not used), so rfcheck does not demote such a trace: it states the dwell per point in a
caution (``docs/verdict.md``, "Trace mode").
"""

from __future__ import annotations

from collections.abc import Iterable

from ..capture import Detector, Trace, TraceMode, trace_label
from .reads_low import reads_low_reasons

__all__ = ["QP_MIN_DWELL_S", "point_dwell_s", "swept_bound_notes", "view_notes"]

#: Dwell per frequency the receiver manuals give for a quasi-peak reading of unknown signals
#: (pulses down to 5 Hz; docs/references.md §5). [s]
QP_MIN_DWELL_S = 1.0

#: Modes whose readings stay an upper bound (the under-reading ones are already demoted).
_BOUNDING_MODES = (TraceMode.MAX_HOLD, TraceMode.CLEAR_WRITE, TraceMode.VIEW, TraceMode.UNKNOWN)

#: Detectors read as an upper bound on another line -> (name in the note, the lines bounded).
_BOUNDING_DETECTORS: dict[Detector, tuple[str, str]] = {
    Detector.PEAK: ("peak", "the quasi-peak or average"),
    Detector.RMS: ("rms", "the average"),
    Detector.RMS_AVERAGE: ("rms-average", "the average"),
}


def point_dwell_s(trace: Trace) -> float | None:
    """Return how long the instrument looked at each point of ``trace`` [s].

    The stated dwell (a stepped scan's measurement time), else the sweep time over the number
    of points (a swept analyser); None when neither is known.
    """
    if trace.dwell_s is not None and trace.dwell_s > 0:
        return float(trace.dwell_s)
    n = int(trace.freq_hz.size)
    if trace.sweep_time_s is not None and trace.sweep_time_s > 0 and n > 0:
        return float(trace.sweep_time_s) / n
    return None


def swept_bound_notes(traces: Iterable[Trace]) -> list[str]:
    """Return a caution per bounding trace whose dwell per point is below 1 s.

    A bounding trace is a peak one (an upper bound on the quasi-peak and average) or an rms or
    rms-average one (an upper bound on the average). The caution states the dwell per point
    and that emissions repeating more slowly than it may be missed, so the reading may then be
    no upper bound on the lines it bounds. 1 s
    is :data:`QP_MIN_DWELL_S`, the dwell per frequency the references
    give for unknown signals (pulses down to 5 Hz, ``docs/references.md`` §5); it is where the
    caution starts, not a rule that demotes the trace.

    Parameters
    ----------
    traces : iterable of Trace
        The traces to be judged (a capture's swept or stepped traces). A receiver-model trace
        (``settle_s`` set) gets none: its record length has its own rule and note
        (``docs/verdict.md``, "Record length"); nor does a trace marked unsettled, or one
        whose file states a setting that lets it read low
        (:func:`~rfcheck.verdict.reads_low.reads_low_reasons`): its readings are lower bounds
        only, no upper bound on any line.

    Returns
    -------
    list of str
        One note per such trace, in trace order.
    """
    notes = []
    for i, tr in enumerate(traces):
        bounds = _BOUNDING_DETECTORS.get(tr.detector)
        if bounds is None or tr.mode not in _BOUNDING_MODES:
            continue
        det, lines = bounds
        if tr.settle_s is not None:  # the receiver model's: its record length is noted there
            continue
        if tr.settled is False or reads_low_reasons(tr):  # lower bounds only: bounds no other line
            continue
        dwell = point_dwell_s(tr)
        if dwell is None or dwell >= QP_MIN_DWELL_S:
            continue
        how = (
            f"dwell {_seconds(dwell)} per point"
            if tr.dwell_s is not None and tr.dwell_s > 0
            else f"{_seconds(dwell)} per point (sweep time {tr.sweep_time_s:g} s over "
            f"{tr.freq_hz.size} points)"
        )
        notes.append(
            f"{trace_label(tr.name or str(i + 1))}: {det} {how}: an emission repeating more "
            f"slowly than that (bursts more than {_seconds(dwell)} apart) may be missed at a "
            f"frequency, and the {det} reading is then no upper bound on {lines} there; "
            f"no rule in docs/references.md sets the dwell a {det} prescan needs, so the trace "
            "is still used as the upper bound (docs/verdict.md, 'Trace mode')"
        )
    return notes


def view_notes(traces: Iterable[Trace]) -> list[str]:
    """Return a caution per trace in VIEW mode whose readings are used (a frozen display).

    ``VIEW`` (R&S, Agilent N9340, a generic CSV's ``# mode: view``) says the trace was frozen,
    not how its sweeps were combined before: it is read as a clear-write or max-hold is
    (``docs/verdict.md``, "Trace mode"), and the note says that a frozen min-hold or trace
    average would read low. A trace whose readings are lower bounds already (unsettled,
    or a setting that lets it read low) gets none.
    """
    notes = []
    for i, tr in enumerate(traces):
        if tr.mode is not TraceMode.VIEW or tr.settled is False or reads_low_reasons(tr):
            continue
        notes.append(
            f"{trace_label(tr.name or str(i + 1))}: trace mode view (a frozen trace) does not "
            "say how its sweeps were combined; it is read as a clear-write or max-hold trace "
            "is, and would read low had it been frozen from a min-hold or trace average "
            "(docs/verdict.md, 'Trace mode')"
        )
    return notes


def _seconds(value_s: float) -> str:
    """``0.833 ms``, ``20 µs``, ``0.5 s`` (3 significant digits) [s]."""
    if value_s >= 1.0:
        return f"{value_s:.3g} s"
    if value_s >= 1e-4:
        return f"{value_s * 1e3:.3g} ms"
    return f"{value_s * 1e6:.3g} \u00b5s"
