"""How long a reading must settle before the verdict takes it as a measurement.

A receiver-model reading needs a record at least as long as its detector's settling time in
every band its trace spans, the peak the slowest detector's (:func:`record_needed_s`,
``docs/verdict.md``, "Record length"); an instrument's quasi-peak or CISPR-average reading
needs a dwell per frequency (:func:`dwell_needed_s`, at most :data:`QP_MIN_DWELL_S`,
"Settling"). A reading short of its need is a lower bound only; an instrument trace with no
stated dwell is judged as measured, with a note saying what it needs. What a trace judged
unsettled fell short of (:func:`record_shortfall_s`, :func:`dwell_shortfall_s`) and why
(:func:`unsettled_reason`) are said in the verdict's warnings and its ``needs``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..capture import Detector, Trace, trace_label
from ..cispr import BANDS, BandSpec
from .sweep_dwell import QP_MIN_DWELL_S, point_dwell_s

if TYPE_CHECKING:
    from .traces import CorrectedTrace  # traces imports this module

__all__ = [
    "QP_MIN_DWELL_S",
    "dwell_needed_s",
    "dwell_shortfall_max_s",
    "dwell_shortfall_s",
    "record_needed_s",
    "record_shortfall_s",
    "short_record_note",
    "assumed_dwell_max_s",
    "unmet_dwell_need_s",
    "unsettled_reason",
    "unstated_dwell_need_s",
    "sweep_dwell_notes",
    "unstated_dwell_notes",
    "with_dwell_rule",
]


def dwell_needed_s(detector: Detector, start_hz: float, stop_hz: float) -> float | None:
    """Return the dwell an instrument's QP or CISPR-average reading needs to settle [s].

    The receiver model's settling time (:func:`record_needed_s`) in the bands the trace
    spans, at most :data:`QP_MIN_DWELL_S` (the 1 s per frequency the receiver manuals give
    for unknown signals, docs/references.md §5): Band B CISPR-average 1 s, Bands C/D/E
    0.7 s, quasi-peak 1 s. None for other detectors, or outside the bands defining it.
    """
    if detector not in (Detector.QUASI_PEAK, Detector.CISPR_AVERAGE):
        return None
    specs = [
        spec
        for name, spec in BANDS.items()
        if name not in ("C", "D")
        and spec.f_lo_hz < max(stop_hz, start_hz * (1 + 1e-9))
        and spec.f_hi_hz > start_hz
        and detector.value in spec.detectors
    ]
    if not specs:
        return None
    return min(record_needed_s(detector, specs), QP_MIN_DWELL_S)


def unmet_dwell_need_s(
    detector: Detector, dwell_s: float | None, start_hz: float, stop_hz: float
) -> float | None:
    """Return the dwell a reading needed when its own ``dwell_s`` fell short of it [s].

    The one comparison of a stated dwell with :func:`dwell_needed_s` over ``start_hz`` to
    ``stop_hz`` [Hz]: the need when ``dwell_s`` [s] is below it; None when the dwell is
    unknown, long enough, or the detector has no dwell rule. It marks an instrument trace
    unsettled (:func:`~rfcheck.verdict.traces.traces_to_judge`) and states what the trace needed
    (:func:`dwell_shortfall_s`).
    """
    if dwell_s is None:
        return None
    need = dwell_needed_s(detector, start_hz, stop_hz)
    return need if need is not None and dwell_s < need else None


def with_dwell_rule(tr: Trace) -> Trace:
    """Return an instrument trace marked unsettled when its dwell per point is too short.

    A QP or CISPR-average reading taken with a dwell below :func:`dwell_needed_s` may read
    low: ``settled=False`` makes it a lower bound only (``docs/verdict.md``, "Settling"). The
    dwell is the stated one, else a swept trace's sweep time over its points
    (:func:`~rfcheck.verdict.sweep_dwell.point_dwell_s`), which then becomes the trace's
    ``dwell_s``: a 20 s sweep over 16,167 points looked 1.2 ms at each.
    """
    if tr.settled is not None or tr.settle_s is not None:
        return tr
    dwell = point_dwell_s(tr)
    if dwell is None:
        return tr
    if tr.dwell_s is None and tr.detector in (Detector.QUASI_PEAK, Detector.CISPR_AVERAGE):
        tr = dataclasses.replace(tr, dwell_s=dwell)  # the sweep's, now stated
    if unmet_dwell_need_s(tr.detector, dwell, tr.start_hz, tr.stop_hz) is None:
        return tr
    return dataclasses.replace(tr, settled=False)


def _settling_known(tr: Trace | CorrectedTrace) -> bool:
    """Whether the trace states its dwell, or its settling is already decided (receiver)."""
    return tr.dwell_s is not None or tr.settled is not None or tr.settle_s is not None


def unstated_dwell_need_s(tr: Trace | CorrectedTrace) -> float | None:
    """Return the dwell an instrument QP or CISPR-average trace with no stated dwell needs [s].

    Such a trace keeps the detector table (``docs/verdict.md``, "Settling"): its readings are
    judged as measurements, which holds only if the instrument dwelt at least
    :func:`dwell_needed_s` at each frequency. None when the trace states its dwell, is a
    receiver-model trace (its record is known), or its detector has no dwell rule.
    """
    if _settling_known(tr):
        return None
    if isinstance(tr, Trace) and point_dwell_s(tr) is not None:  # a sweep time states it
        return None
    axis = getattr(tr, "axis_hz", None)
    if axis is None or not axis.shape[0]:
        axis = tr.freq_hz
    if not axis.shape[0]:
        return None
    return dwell_needed_s(tr.detector, float(axis[0]), float(axis[-1]))


def assumed_dwell_max_s(traces: Sequence[CorrectedTrace]) -> float | None:
    """Return the largest :func:`unstated_dwell_need_s` among ``traces``, or None [s]."""
    needs = [n for n in map(unstated_dwell_need_s, traces) if n is not None]
    return max(needs) if needs else None


def sweep_dwell_notes(traces: Sequence[Trace]) -> list[str]:
    """Return a note per QP or CISPR-average trace whose dwell comes from its sweep time.

    :func:`with_dwell_rule` judges such a trace (no stated dwell) at its sweep time over its
    points; the note says where that dwell came from.
    """
    notes = []
    for i, tr in enumerate(traces):
        if tr.detector not in (Detector.QUASI_PEAK, Detector.CISPR_AVERAGE):
            continue
        if _settling_known(tr):
            continue
        dwell = point_dwell_s(tr)
        if dwell is None:
            continue
        notes.append(
            f"{trace_label(tr.name or f'{i + 1}')}: {tr.detector.value} dwell per point "
            f"{dwell:.3g} s, from its sweep time ({tr.sweep_time_s:g} s over "
            f"{tr.freq_hz.size} points; no dwell stated)"
        )
    return notes


def unstated_dwell_notes(traces: Sequence[Trace]) -> list[str]:
    """Return a note per instrument QP or CISPR-average trace whose dwell is not stated.

    Its readings are judged as measurements (:func:`unstated_dwell_need_s`); the note says
    what dwell that assumes and how to state it.
    """
    notes = []
    for i, tr in enumerate(traces):
        need = unstated_dwell_need_s(tr)
        if need is None:
            continue
        label = trace_label(tr.name or f"{i + 1}")
        notes.append(
            f"{label}: {tr.detector.value} readings with no stated dwell per frequency are "
            f"judged as measurements, which they are only with a dwell of at least "
            f"{need:g} s per frequency (docs/references.md §5); a shorter dwell reads low: "
            "state it (dwell_s, or the instrument's measurement time) to have it checked"
        )
    return notes


def record_needed_s(detector: Detector, specs: Sequence[BandSpec]) -> float:
    """Return the record length a receiver-model reading needs to bound from above [s].

    A weighting detector (quasi-peak, CISPR-average) needs its own settling time
    (:func:`rfcheck.receiver.settling_time_s`) in every band the trace spans. The peak needs
    the longest settling time of any detector those bands define: the emission's
    repetition is unknown, and a record shorter than what the slowest weighting detector
    needs may hold no burst of an emission the quasi-peak weights (``docs/verdict.md``,
    "Record length").

    Parameters
    ----------
    detector : Detector
        The trace's detector.
    specs : sequence of BandSpec
        The CISPR bands the trace spans.

    Returns
    -------
    float
        Minimum record length. [s]
    """
    from ..receiver.settling import settling_time_s  # not the receiver's signal path

    if detector is Detector.PEAK:
        return max(settling_time_s(s, d) for s in specs for d in s.detectors)
    return max(settling_time_s(s, detector.value) for s in specs)


def short_record_note(
    detector: Detector, duration_s: float, need_s: float, *, band: str = ""
) -> str:
    """Return the note for a receiver trace whose record is shorter than it needs.

    ``band``: the band of the readings (``B``), named when a scan spans several bands, each
    needing its own record length; "" names none.
    """
    which = f" (band {band})" if band else ""
    head = (
        f"receiver {detector.value}{which}: recording {duration_s:.3g} s is shorter than the "
        f"{need_s:.3g} s"
    )
    if detector is Detector.PEAK:
        return (
            f"{head} the band's slowest detector needs to settle (CISPR 16-1-1); an emission "
            "repeating more slowly may be missed: used as a lower bound only (no upper bound "
            "on quasi-peak or average)"
        )
    return (
        f"{head} a settled reading needs (CISPR 16-1-1); the reading may be low: used as a "
        "lower bound only"
    )


def dwell_shortfall_s(t: CorrectedTrace) -> float | None:
    """Return the dwell an instrument trace's readings needed, when its own fell short [s].

    For a QP or CISPR-average trace from an instrument (no receiver-model record,
    ``settle_s`` None) marked ``settled=False`` because its stated dwell is below what it
    needs over its frequencies: :func:`unmet_dwell_need_s`, the
    rule that marked it; None otherwise.
    """
    if t.settled is not False or t.settle_s is not None:
        return None
    axis = t.axis_hz if t.axis_hz is not None and t.axis_hz.shape[0] else t.freq_hz
    if not axis.shape[0]:
        return None
    return unmet_dwell_need_s(t.detector, t.dwell_s, float(axis[0]), float(axis[-1]))


def unsettled_reason(t: CorrectedTrace) -> str | None:
    """Why ``t``'s detector may not have settled (its readings lower bounds only), or None."""
    dwell = "unknown" if t.dwell_s is None else f"{t.dwell_s:.3g} s"
    if t.settled is not False:
        return None
    if t.settle_s is not None and t.dwell_s is not None and _short_record(t):
        return (
            f"its record ({dwell}) is shorter than the {t.settle_s:.3g} s its "
            f"{t.detector.value} reading needs"
        )
    need = dwell_shortfall_s(t)
    if need is not None:
        return (
            f"its {t.detector.value} dwell ({dwell}) is shorter than the {need:.3g} s the "
            "detector needs to settle (CISPR 16-1-1 time constants, at most the 1 s per "
            "frequency for unknown signals, docs/references.md §5)"
        )
    if t.detector not in (Detector.QUASI_PEAK, Detector.CISPR_AVERAGE):  # no dwell rule
        # e.g. a peak trace reading below a quasi-peak or average trace of its capture
        # (rfcheck.verdict.consistency), said in the capture's notes
        return (
            f"its {t.detector.value} readings are marked as possibly low (no dwell rule "
            "applies to this detector; the capture's notes say why)"
        )
    return f"the {t.detector.value} detector may not have settled (dwell {dwell})"


def record_shortfall_s(traces: Sequence[CorrectedTrace]) -> float | None:
    """Return the record length the unsettled traces among ``traces`` need, or None [s].

    The largest :attr:`CorrectedTrace.settle_s` of the traces marked ``settled=False`` whose
    record (``dwell_s``) is shorter than it (a receiver-model record shorter than its readings
    need: ``docs/verdict.md``, "Record length"); None when no such trace states what it needs.
    A receiver trace unsettled for another reason (clipping, an event at an edge, a meter
    rising at the end, a signal cut by the start) asks for no record length: a longer record
    would not settle it.
    """
    needs = [
        t.settle_s
        for t in traces
        if t.settled is False and t.settle_s is not None and _short_record(t)
    ]
    return max(needs) if needs else None


def _short_record(t: CorrectedTrace) -> bool:
    """Whether receiver trace ``t``'s record (``dwell_s``) is shorter than its ``settle_s``."""
    return t.settle_s is not None and (t.dwell_s is None or t.dwell_s < t.settle_s)


def dwell_shortfall_max_s(traces: Sequence[CorrectedTrace]) -> float | None:
    """Return the largest :func:`dwell_shortfall_s` among ``traces``, or None [s]."""
    needs = [n for n in map(dwell_shortfall_s, traces) if n is not None]
    return max(needs) if needs else None
