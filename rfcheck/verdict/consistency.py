"""Traces of one capture that contradict the detector order: a lower detector above the peak.

For any signal measured in one bandwidth, peak >= quasi-peak >= CISPR-average >= average
(CISPR 16-1-1; ``docs/references.md`` §4e), and rms, rms-average and log-average read no
higher than the peak either. A capture whose quasi-peak or average trace reads above its peak
trace at the same frequency has traces mislabelled (detector, unit, trace order) or taken with
different set-ups, and its peak trace cannot be trusted as an upper bound: such a trace is
marked ``settled=False``, the settling rule's demotion (``docs/verdict.md``, "Detector order
between the traces"), and the capture gets a warning naming both traces. Traces in units of one
family are compared after the conversion the verdict applies (:func:`rfcheck.units.to_dbuv_like`:
dBm at 50 Ω, dBmV and V to dBµV): a peak column in dBm beside a quasi-peak column in dBµV is
the same physical comparison as both in dBµV.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector, Trace, TraceMode, trace_label
from ..frequency import format_mhz
from ..units import LevelUnit, reading_text, to_dbuv_like

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
#: peak, a dBm trace labelled dBµV) is off by far more. rfcheck's own choice.
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


class OrderContradiction(NamedTuple):
    """A lower detector's trace above a peak trace of the same capture, at its worst point."""

    peak: int  #: index of the peak trace in the traces given
    other: int  #: index of the trace that reads above it
    freq_hz: float  #: the frequency of both readings [Hz]
    excess_db: float  #: the other's reading minus the peak's there [dB]
    peak_level: float  #: the peak trace's reading there [``unit``]
    other_level: float  #: the other trace's reading there [``unit``]
    #: the unit both readings are compared in: the dBµV family (dBµV, dBµV/m, dBµA) the
    #: verdict converts them to (:func:`rfcheck.units.to_dbuv_like`)
    unit: LevelUnit


def _compared_unit(unit: LevelUnit | None) -> LevelUnit | None:
    """Return the unit a trace in ``unit`` is compared in (None: a unit not stated).

    The verdict's own conversion (:func:`rfcheck.units.to_dbuv_like`): dBm (50 Ω; a reader
    has converted a file's other stated impedance to dBµV already), dBmV and V to dBµV;
    dBµV, dBµV/m and dBµA as they are.
    """
    return None if unit is None else to_dbuv_like(np.zeros(0), unit)[1]


def _compared_levels(trace: Trace, at: slice = slice(None)) -> NDArray[np.float64]:
    """Return the trace's readings ``at`` in :func:`_compared_unit` of its unit."""
    assert trace.unit is not None  # _comparable compares no trace of unstated unit
    return to_dbuv_like(trace.level[at], trace.unit)[0]


def _comparable(peak: Trace, other: Trace) -> bool:
    """Whether the peak trace must read at least ``other`` at each of their common points.

    Traces of one sweep: the same frequency grid, point for point (an analyser's traces, a
    file's columns), and the peak a max-hold or in the same trace mode as the other (two
    unknown modes count as one). A list of final measurements on its own frequencies is
    another measurement (a radiated final is maximised over turntable and mast, and reads
    above a fixed-position prescan as a matter of course): not compared. Stated units the
    verdict converts to one (dBm, dBmV, V and dBµV: :func:`_compared_unit`; dBµV beside
    dBµV/m or dBµA is not compared); a detector the peak bounds; the other's RBW not wider
    than the peak's (a wider one reads broadband emissions higher). An unknown RBW is
    compared.
    """
    if peak.detector is not Detector.PEAK or other.detector not in BOUNDED_BY_PEAK:
        return False
    unit = _compared_unit(peak.unit)
    if unit is None or _compared_unit(other.unit) is not unit:
        return False
    if peak.mode is not TraceMode.MAX_HOLD and peak.mode is not other.mode:
        return False
    if not np.array_equal(peak.freq_hz, other.freq_hz):
        return False
    if peak.rbw_hz is not None and other.rbw_hz is not None:
        return other.rbw_hz <= _SAME_RBW * peak.rbw_hz
    return True


def _worst(peak: Trace, other: Trace, tolerance_db: float) -> tuple[int, float] | None:
    """Return (index, excess) of the worst reading of ``other`` above the peak's at that point.

    Both traces share one grid and are compared in one unit (:func:`_comparable`); points
    where either reading is not finite are skipped. None when no reading exceeds the peak's by
    more than ``tolerance_db`` [dB].
    """
    over = _compared_levels(other) - _compared_levels(peak)
    over[~np.isfinite(over)] = -np.inf
    if not over.size:
        return None
    k = int(np.argmax(over))
    if not over[k] > tolerance_db:
        return None
    return k, float(over[k])


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
            k, excess = worst
            unit = _compared_unit(peak.unit)
            assert unit is not None  # _comparable
            found.append(
                OrderContradiction(
                    p,
                    o,
                    float(other.freq_hz[k]),
                    excess,
                    float(_compared_levels(peak, slice(k, k + 1))[0]),
                    float(_compared_levels(other, slice(k, k + 1))[0]),
                    unit,
                )
            )
    return found


def _label(traces: Sequence[Trace], i: int) -> str:
    return trace_label(traces[i].name or f"{i + 1}")


def _named(traces: Sequence[Trace], i: int) -> str:
    """``TRACE 2 (average)``: the trace's label, with its detector unless the label says it."""
    label, det = _label(traces, i), traces[i].detector.value
    return label if det in label.lower() else f"{label} ({det})"


def _warning(traces: Sequence[Trace], c: OrderContradiction) -> str:
    """Return the capture's warning for one contradiction."""
    peak, other = traces[c.peak], traces[c.other]
    pk = _label(traces, c.peak)
    return (
        f"{_named(traces, c.other)} reads {c.excess_db:.2f} dB above {_named(traces, c.peak)} "
        f"at {format_mhz(c.freq_hz)} ({c.other_level:.2f} against {c.peak_level:.2f} "
        f"{c.unit.value}{_as_read(other, peak, c)}), "
        f"on the same sweep's grid: one signal never reads higher with the "
        f"{other.detector.value} detector than with the peak (CISPR 16-1-1), so the traces "
        f"are mislabelled (detector, unit or trace order); {pk} bounds no line from above "
        "(docs/verdict.md, 'Detector order between the traces'): check the export's trace "
        "settings"
    )


def _as_read(other: Trace, peak: Trace, c: OrderContradiction) -> str:
    """Return ``; as read: -56.99 dBm against 36.99 dBµV, dBm into 50 Ω`` ("" when converted none).

    The readings as the file states them, when either trace was converted to be compared.
    """
    if other.unit is c.unit and peak.unit is c.unit:
        return ""
    k = int(np.flatnonzero(peak.freq_hz == c.freq_hz)[0])  # one grid (_comparable)
    read = []
    for t in (other, peak):
        unit = t.unit.value if t.unit is not None else ""
        read.append(f"{reading_text(float(t.level[k]), unit)} {unit}")
    ohm = ", dBm into 50 Ω" if LevelUnit.DBM in (other.unit, peak.unit) else ""
    return f"; as read: {read[0]} against {read[1]}{ohm}"


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
