"""Traces of one capture that contradict the detector order: a lower detector above the peak.

For any signal measured in one bandwidth, peak >= quasi-peak >= CISPR-average >= average
(CISPR 16-1-1; ``docs/references.md`` §4e), and rms, rms-average and log-average read no
higher than the peak either. A capture whose quasi-peak or average trace reads above its peak
trace at the same frequency has traces mislabelled (detector, unit, trace order) or taken with
different set-ups, and its peak trace cannot be trusted as an upper bound: such a trace is
marked ``settled=False``, the settling rule's demotion (``docs/verdict.md``, "Detector order
between the traces"), and the capture gets a warning naming both traces.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from ..capture import Detector, Trace, TraceMode, trace_label
from ..frequency import format_mhz

__all__ = [
    "BOUNDED_BY_PEAK",
    "ORDER_TOLERANCE_DB",
    "OrderContradiction",
    "detector_order_contradictions",
    "with_detector_order",
]

#: How far a lower detector's reading may exceed the peak trace's before the traces contradict
#: each other. [dB] Readings are written rounded (0.01-0.1 dB), and a receiver's detectors share
#: one IF but not one display path (an averaging trace on noise scatters a few tenths of a dB);
#: the sample and real captures stay within 0 dB. A mislabelled trace (an average stored as the
#: peak, a dBm trace beside dBµV ones) is off by far more. rfcheck's own choice.
ORDER_TOLERANCE_DB = 1.0

#: Detectors whose reading the peak must bound (the peak of one signal in one bandwidth is the
#: largest reading). Negative peak, sample and normal are not compared (they bound nothing
#: here), nor an unknown detector.
BOUNDED_BY_PEAK = (
    Detector.QUASI_PEAK,
    Detector.CISPR_AVERAGE,
    Detector.AVERAGE,
    Detector.RMS,
    Detector.RMS_AVERAGE,
    Detector.LOG_AVERAGE,
)

#: A lower trace's RBW up to this factor × the peak trace's counts as the same bandwidth.
_SAME_RBW = 1.01
#: Frequencies this close (relative) are the same point when the peak trace states no RBW.
_SAME_POINT_REL = 1e-9
#: The attenuation of the peak trace's filter at half its bandwidth (B6: 6 dB there). [dB]
_B6_EDGE_DB = 6.0


class OrderContradiction(NamedTuple):
    """A lower detector's trace above a peak trace of the same capture, at its worst point."""

    peak: int  #: index of the peak trace in the traces given
    other: int  #: index of the trace that reads above it
    freq_hz: float  #: the other trace's frequency [Hz]
    peak_freq_hz: float  #: the peak trace's frequency it was compared with [Hz]
    excess_db: float  #: the other's reading minus the peak's there [dB]
    peak_level: float  #: the peak trace's reading there [trace unit]
    other_level: float  #: the other trace's reading there [trace unit]


def _comparable(peak: Trace, other: Trace) -> bool:
    """Whether the peak trace must read at least ``other`` wherever both have a point.

    Same stated unit; a detector the peak bounds; the peak a max-hold, or both in the same
    trace mode (one sweep, or the same combination of sweeps; two unknown modes count as one,
    as a file's columns usually are); the other's RBW not wider than
    the peak's (a wider one reads broadband emissions higher). An unknown RBW is compared.
    """
    if peak.detector is not Detector.PEAK or other.detector not in BOUNDED_BY_PEAK:
        return False
    if peak.unit is None or other.unit is not peak.unit:
        return False
    if peak.mode is not TraceMode.MAX_HOLD and peak.mode is not other.mode:
        return False
    if peak.rbw_hz is not None and other.rbw_hz is not None:
        return other.rbw_hz <= _SAME_RBW * peak.rbw_hz
    return True


def _worst(peak: Trace, other: Trace, tolerance_db: float) -> tuple[int, int, float] | None:
    """Return (other's index, peak's index, excess) of the worst reading above the peak.

    Each finite reading of ``other`` is compared with the peak trace's finite reading at the
    same frequency, else with its readings next to it on either side within half the peak's
    RBW (none when that RBW is unknown). Off the peak's grid, the peak's filter reads a
    narrowband emission at the other's frequency low by up to 6 dB at half its B6
    (``6·(2Δf/B6)²`` dB, a Gaussian filter's shape): that allowance is added to each. A
    reading contradicts the peak when it exceeds every such reading by more than
    ``tolerance_db`` [dB]; the one that comes closest is named. None when no reading does.
    """
    pk_ok = np.flatnonzero(np.isfinite(peak.level))
    ot_ok = np.flatnonzero(np.isfinite(other.level))
    if not pk_ok.size or not ot_ok.size:
        return None
    pf, pl = peak.freq_hz[pk_ok], peak.level[pk_ok]
    of, ol = other.freq_hz[ot_ok], other.level[ot_ok]
    right = np.searchsorted(pf, of)  # the first peak point at or above
    on_grid = pf[right.clip(0, pf.size - 1)] == of  # the same frequency: that point alone
    best = np.full(of.shape, -np.inf)  # the neighbour's reading plus its allowance [dB]
    near = np.zeros(of.shape, dtype=np.intp)
    for idx in (right - 1, right):
        inside = (idx >= 0) & (idx < pf.size)
        if idx is not right:
            inside &= ~on_grid
        j = idx.clip(0, pf.size - 1)
        delta = np.abs(pf[j] - of)
        if peak.rbw_hz is not None and peak.rbw_hz > 0:
            inside &= delta <= 0.5 * peak.rbw_hz
            explains = pl[j] + _B6_EDGE_DB * (2.0 * delta / peak.rbw_hz) ** 2
        else:
            inside &= delta <= _SAME_POINT_REL * np.abs(of)
            explains = pl[j]
        better = inside & (explains > best)
        best = np.where(better, explains, best)
        near = np.where(better, j, near)
    over = ol - best - tolerance_db  # -inf where no neighbour lies within reach
    over[~np.isfinite(best)] = -np.inf
    k = int(np.argmax(over))
    if not over[k] > 0:
        return None
    return int(ot_ok[k]), int(pk_ok[near[k]]), float(ol[k] - pl[near[k]])


def detector_order_contradictions(
    traces: Sequence[Trace], tolerance_db: float = ORDER_TOLERANCE_DB
) -> list[OrderContradiction]:
    """Return each (peak trace, lower detector's trace) pair of ``traces`` that contradicts.

    Parameters
    ----------
    traces : sequence of Trace
        One capture's traces.
    tolerance_db : float
        How far the lower detector may read above the peak. [dB]

    Returns
    -------
    list of OrderContradiction
        One per contradicting pair, at its worst point, in trace order.

    References
    ----------
    CISPR 16-1-1 (peak >= quasi-peak >= CISPR-average; all equal for an unmodulated sine).
    """
    found = []
    for p, peak in enumerate(traces):
        for o, other in enumerate(traces):
            if o == p or not _comparable(peak, other):
                continue
            worst = _worst(peak, other, tolerance_db)
            if worst is None:
                continue
            k, j, excess = worst
            found.append(
                OrderContradiction(
                    p,
                    o,
                    float(other.freq_hz[k]),
                    float(peak.freq_hz[j]),
                    excess,
                    float(peak.level[j]),
                    float(other.level[k]),
                )
            )
    return found


def _label(traces: Sequence[Trace], i: int) -> str:
    return trace_label(traces[i].name or f"{i + 1}")


def _warning(traces: Sequence[Trace], c: OrderContradiction) -> str:
    """Return the capture's warning for one contradiction."""
    peak, other = traces[c.peak], traces[c.other]
    unit = peak.unit.value if peak.unit is not None else ""
    where = format_mhz(c.freq_hz)
    if c.peak_freq_hz != c.freq_hz:
        where += f" (the peak's nearest point {format_mhz(c.peak_freq_hz)})"
    pk, ot = _label(traces, c.peak), _label(traces, c.other)
    return (
        f"{ot} ({other.detector.value}) reads {c.excess_db:.2f} dB above {pk} (peak) at "
        f"{where}: {c.other_level:.2f} against {c.peak_level:.2f} {unit}; no signal reads "
        f"higher with the {other.detector.value} detector than with the peak in one bandwidth "
        "(CISPR 16-1-1), so the file's traces are mislabelled (detector, unit or trace order) "
        f"or come from different set-ups: {pk}'s readings are used as lower bounds only (no "
        "upper bound on any line; docs/verdict.md, 'Detector order between the traces')"
    )


def with_detector_order(traces: Sequence[Trace]) -> tuple[tuple[Trace, ...], list[str]]:
    """Return ``traces`` with every contradicted peak trace demoted, and the warnings.

    A peak trace that reads more than :data:`ORDER_TOLERANCE_DB` below a quasi-peak, average
    or rms trace of the same capture (:func:`detector_order_contradictions`) is marked
    ``settled=False``: the settling rule then makes its readings lower bounds only (a peak
    line's measurement a lower bound; no upper bound on a quasi-peak or average line), as for
    any reading that may be low (``docs/verdict.md``, "Settling"). The other trace keeps its
    bounds (its reading over a limit still FAILs). One warning per contradicting pair.
    """
    found = detector_order_contradictions(traces)
    demoted = {c.peak for c in found}
    out = tuple(
        dataclasses.replace(t, settled=False) if i in demoted else t for i, t in enumerate(traces)
    )
    return out, [_warning(traces, c) for c in found]
