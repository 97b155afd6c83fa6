"""What a stepped scan leaves unmeasured, said once per trace.

A trace that states a dwell per frequency was stepped: a receiver tuned to each point in turn
measured that point's resolution bandwidth and nothing between (:func:`.coverage.reach`). A
step wider than the RBW leaves a gap at every step, and the verdict's "not measured" list
then runs to thousands of ranges without saying why. :func:`stepped_gap_notes` says it in
one note per trace: the step, the RBW, the gap and how many there are (``docs/verdict.md``,
"Coverage"). A list of final measurements (a receiver's finals, a generic CSV of a few
readings: no sweep's grid, :func:`.coverage.is_sweep_grid`) is covered the same way, but is
no scan: its note says the readings were taken at their own frequencies. So is a peak trace
whose file shows no sweep (``Trace.sweep_unstated``: a generic CSV stating neither a sweep
time nor a trace mode), and its note names the lines that would show one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..capture import Detector, Trace, trace_label
from ..frequency import format_hz

__all__ = ["SWEEP_LINES", "stepped_gap_notes"]

#: The generic CSV lines that show a trace is an analyser's sweep (``Trace.sweep_unstated``).
SWEEP_LINES = "a '# mode: max-hold' (or clear-write) or '# sweep_time_s: <s>' line"

#: A gap narrower than this, relative to its frequency, is no gap: the verdict's coverage
#: drops such slivers too (:func:`rfcheck.verdict.coverage.subtract`), so the note never
#: names gaps the verdict counts as measured.
_SLIVER = 1e-6


def stepped_gap_notes(traces: Sequence[Trace]) -> list[str]:
    """Return a note per stepped trace (dwell stated, RBW known) whose steps exceed its RBW.

    Also per peak trace whose file shows no sweep (``sweep_unstated``, no dwell): ``trace
    Peak: 3 peak readings at their own frequencies, each covering its 9 kHz RBW only: the 2
    stretches between them, of up to 14.916 MHz, are not measured. Nothing in the file shows a
    sweep, ...; if it is a swept analyser's peak trace, ..., state it with a '# mode:
    max-hold' (or clear-write) or '# sweep_time_s: <s>' line``.

    ``TRACE 1: read as a stepped scan (dwell 0.01 s per frequency stated): each point
    measures its 120 kHz RBW only, and its steps of up to 125 kHz leave 7,760 gaps of up to
    5 kHz not measured between points; a step of at most the RBW covers the band``.

    A final-measurement list's note: ``trace QP: 4 final measurements at their own
    frequencies (dwell 1 s each stated), each covering its 9 kHz RBW only: the 3 stretches
    between them, of up to 13.791 MHz, are not measured`` (of two: ``the 841 kHz between them
    is not measured``).
    """
    from .coverage import is_sweep_grid  # here: coverage imports .traces, which imports this

    notes = []
    for i, tr in enumerate(traces):
        unshown = tr.dwell_s is None and tr.sweep_unstated and tr.detector is Detector.PEAK
        if (tr.dwell_s is None and not unshown) or not tr.rbw_hz or tr.freq_hz.size < 2:
            continue
        f = np.sort(np.asarray(tr.freq_hz, dtype=np.float64))
        step = np.diff(f)
        gap = step - tr.rbw_hz
        gapped = gap > _SLIVER * np.maximum(np.abs(f[1:]), 1.0)
        n = int(np.count_nonzero(gapped))
        if not n:
            continue
        gap = gap[gapped]
        label = trace_label(tr.name or f"{i + 1}")
        if unshown:
            between = (
                f"the {n:,} stretches between them, of up to {format_hz(float(gap.max()))}, are"
                if n > 1
                else f"the {format_hz(float(gap.max()))} between them is"
            )
            notes.append(
                f"{label}: {f.size} peak readings at their own frequencies, each covering its "
                f"{format_hz(tr.rbw_hz)} RBW only: {between} not measured. Nothing in the "
                "file shows a sweep, and evenly spaced marker or receiver readings look the "
                "same; if it is a swept analyser's peak trace, whose readings bound the spans "
                f"between them, state it with {SWEEP_LINES}"
            )
            continue
        if not is_sweep_grid(f):
            between = (
                f"the {n:,} stretches between them, of up to {format_hz(float(gap.max()))}, are"
                if n > 1
                else f"the {format_hz(float(gap.max()))} between them is"
            )
            notes.append(
                f"{label}: {f.size} final measurements at their own frequencies (dwell "
                f"{tr.dwell_s:g} s each stated), each covering its {format_hz(tr.rbw_hz)} RBW "
                f"only: {between} not measured"
            )
            continue
        notes.append(
            f"{label}: read as a stepped scan (dwell {tr.dwell_s:g} s per frequency stated): "
            f"each point measures its {format_hz(tr.rbw_hz)} RBW only, and its steps of up to "
            f"{format_hz(float(step[gapped].max()))} leave {n:,} gap{'s' if n > 1 else ''} "
            "of up to "
            f"{format_hz(float(gap.max()))} not measured between points; a step of at most "
            "the RBW covers the band"
        )
    return notes
