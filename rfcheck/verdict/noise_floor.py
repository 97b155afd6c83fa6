"""The thermal-noise floor: readings no instrument can display.

A receiver or spectrum analyser displays at least the thermal noise of its resolution
bandwidth, kTB (plus its own noise figure). A swept trace whose readings lie far below kTB of
its RBW was not displayed that way by any instrument: most often dBm readings under a dBµV
header (dBµV = dBm + 107 at 50 Ω), which would otherwise PASS by about 107 dB. Such a capture
cannot be judged (:func:`check_noise_floor`, an :class:`~rfcheck.errors.AnalysisError`).

The statistic is the median over the trace's finite readings of (kTB - reading), per point in
its bandwidth; the margin is :data:`FLOOR_MARGIN_DB`. Both are argued in ``docs/verdict.md``
("Readings below the thermal noise"). Traces the receiver model computed from a recording
(their scale may be assumed), min-hold and negative-peak traces (they may legitimately read
below the noise) and current readings (dBµA: the probe's transfer impedance is not known) are
not checked.

References
----------
Thermal noise power kTB, k = 1.380649e-23 J/K (SI), T0 = 290 K (the IEEE/ITU reference
temperature of noise figure): docs/references.md §12. CISPR 16-1-1 bandwidths B6 where the
trace states no RBW: docs/references.md §4a.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector, Trace, TraceMode, trace_label
from ..cispr import rbw_at
from ..errors import AnalysisError
from ..frequency import format_hz
from ..units import DBM_TO_DBUV_50OHM, DBMV_TO_DBUV, LevelUnit, to_dbuv_like

__all__ = [
    "BOLTZMANN_J_PER_K",
    "FLOOR_MARGIN_DB",
    "REFERENCE_TEMPERATURE_K",
    "THERMAL_NOISE_DBM_PER_HZ",
    "BelowFloor",
    "below_noise_floor",
    "check_noise_floor",
    "thermal_noise_dbuv",
]

#: Boltzmann constant (exact in the SI since 2019). [J/K]
BOLTZMANN_J_PER_K = 1.380649e-23
#: Reference temperature of noise-figure definitions (IEEE, ITU-R). [K]
REFERENCE_TEMPERATURE_K = 290.0
#: kT0 in 1 Hz: 10·log10(k·T0 / 1 mW) = -173.98 dBm/Hz. [dBm/Hz]
THERMAL_NOISE_DBM_PER_HZ = 10.0 * math.log10(BOLTZMANN_J_PER_K * REFERENCE_TEMPERATURE_K / 1e-3)
#: How far (median) below kTB of its bandwidth a trace's readings may lie and still be judged:
#: past the 10-20 dB a preamplifier correction left on without its preamplifier lowers a
#: display, far short of the 107 dB of a dBm/dBµV mix-up (docs/verdict.md). [dB]
FLOOR_MARGIN_DB = 30.0

#: Units whose readings are (or convert to) a voltage at the instrument's 50 Ω input, or a
#: field strength the instrument derived from one by adding an antenna factor.
_CHECKED_UNITS = frozenset(
    {LevelUnit.DBM, LevelUnit.DBUV, LevelUnit.DBMV, LevelUnit.VOLT, LevelUnit.DBUV_M}
)


def thermal_noise_dbuv(rbw_hz: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """Return kTB of a bandwidth as a voltage across 50 Ω.

    Parameters
    ----------
    rbw_hz : array_like of float
        Bandwidth. [Hz]

    Returns
    -------
    ndarray
        -173.98 dBm/Hz + 10·log10(B) + 106.99 dB. [dBµV] (1 MHz: -6.99; 120 kHz: -16.19;
        9 kHz: -27.44; 200 Hz: -43.98.)

    References
    ----------
    docs/references.md §12 (kTB), §7 (dBm to dBµV at 50 Ω).
    """
    bw = np.asarray(rbw_hz, dtype=float)
    floor: NDArray[np.float64] = THERMAL_NOISE_DBM_PER_HZ + 10.0 * np.log10(bw) + DBM_TO_DBUV_50OHM
    return floor


@dataclass(frozen=True)
class BelowFloor:
    """A trace whose readings lie more than :data:`FLOOR_MARGIN_DB` below kTB.

    Attributes
    ----------
    trace : str
        How messages name the trace (``trace Avg``).
    depth_db : float
        Median over the readings of kTB - reading. [dB]
    bandwidths_hz : tuple of float
        The bandwidths kTB was taken in (the stated RBW, or the CISPR 16-1-1 bandwidths of
        the readings' bands), ascending. [Hz]
    stated : bool
        Whether the trace states its RBW.
    unit : LevelUnit
        The readings' unit.
    """

    trace: str
    depth_db: float
    bandwidths_hz: tuple[float, ...]
    stated: bool
    unit: LevelUnit

    def message(self) -> str:
        """Return the one line a capture refused for it shows."""
        floors = [float(thermal_noise_dbuv(b)) for b in self.bandwidths_hz]
        if self.unit is LevelUnit.DBM:
            floors, shown = [f - DBM_TO_DBUV_50OHM for f in floors], "dBm"
        elif self.unit is LevelUnit.DBMV:
            floors, shown = [f - DBMV_TO_DBUV for f in floors], "dBmV"
        else:
            shown = LevelUnit.DBUV.value
        bws = [format_hz(b, digits=4) for b in self.bandwidths_hz]
        ktb = f"{floors[0]:.0f}" if len(floors) == 1 else f"{floors[0]:.0f} to {floors[-1]:.0f}"
        if self.stated:
            whose, why = f"a {bws[0]} bandwidth", ""
        else:
            s = "s" if len(bws) > 1 else ""
            listed = bws[0] if not s else f"{', '.join(bws[:-1])} and {bws[-1]}"
            whose = f"the CISPR 16-1-1 bandwidth{s} of its band{s}, {listed}"
            why = "; no RBW stated: state it if it was narrower"
        return (
            f"{self.trace}: readings lie {self.depth_db:.0f} dB (median) below the thermal noise "
            f"of {whose} (kTB, {ktb} {shown}{why}): no instrument displays that; "
            f"{_unit_hint(self.unit)}"
        )


def _unit_hint(unit: LevelUnit) -> str:
    """Return the likely mistake behind readings below kTB in ``unit``."""
    if unit in (LevelUnit.DBUV, LevelUnit.DBUV_M):
        return f"dBm readings under a {unit.value} header? (dBµV = dBm + 107 at 50 Ω)"
    return f"is the level unit ({unit.value}) right?"


def _is_checked(trace: Trace) -> bool:
    """Whether ``trace``'s readings are bounded below by kTB (see the module docstring)."""
    return (
        not trace.computed_from
        and trace.unit in _CHECKED_UNITS
        and trace.detector is not Detector.NEGATIVE_PEAK
        and trace.mode is not TraceMode.MIN_HOLD
    )


def below_noise_floor(trace: Trace) -> BelowFloor | None:
    """Return how far ``trace``'s readings lie below kTB, when beyond the margin; else None.

    Parameters
    ----------
    trace : Trace
        An instrument's swept trace (others, see the module docstring, give None).

    Returns
    -------
    BelowFloor or None
        The median over the finite readings (in dBµV at 50 Ω, or the dBµV/m of a
        field-strength file) of kTB - reading, kTB in the trace's RBW or, when it states
        none, in the CISPR 16-1-1 bandwidth of each reading's band; None when that median is
        at most :data:`FLOOR_MARGIN_DB`.
    """
    if not _is_checked(trace) or trace.unit is None:
        return None
    finite = np.isfinite(trace.level)
    level, _ = to_dbuv_like(trace.level[finite], trace.unit)
    ok = np.isfinite(level)  # 0 V has no dB level
    if not ok.any():
        return None
    stated = trace.rbw_hz is not None and trace.rbw_hz > 0
    bw = (
        np.full(int(ok.sum()), float(trace.rbw_hz or 0.0))
        if stated
        else rbw_at(trace.freq_hz[finite][ok])
    )
    depth = float(np.median(thermal_noise_dbuv(bw) - level[ok]))
    if depth <= FLOOR_MARGIN_DB:
        return None
    name = trace_label(trace.name) if trace.name else "the trace"
    bws = tuple(float(b) for b in np.unique(bw))
    return BelowFloor(name, depth, bws, stated, trace.unit)


def check_noise_floor(traces: Iterable[Trace], path: str | None = None) -> None:
    """Refuse a capture a trace of which no instrument could have displayed.

    Parameters
    ----------
    traces : iterable of Trace
        The capture's traces to judge.
    path : str, optional
        The capture's file as given, named by the error.

    Raises
    ------
    AnalysisError
        A trace's readings lie more than :data:`FLOOR_MARGIN_DB` (median) below kTB of its
        bandwidth; the message names the deepest such trace, its depth, kTB and the likely
        mistake.
    """
    named = (
        tr if tr.name else dataclasses.replace(tr, name=f"{i + 1}") for i, tr in enumerate(traces)
    )
    found = [f for f in map(below_noise_floor, named) if f is not None]
    if found:
        raise AnalysisError(max(found, key=lambda f: f.depth_db).message(), path)
