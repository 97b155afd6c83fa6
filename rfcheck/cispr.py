"""The CISPR 16-1-1 band table.

Bands A-E, their edges, B6 bandwidths, QP time constants and reference pulses, used by the receiver
model and the verdict (one table, one edge convention).

Edge convention, everywhere: a band edge belongs to the band above it (150 kHz is Band B,
30 MHz Band C, 1 GHz Band E); 18 GHz itself is Band E. Which bandwidth a *limit line* asks for
at an edge it ends on is the verdict's question (:mod:`rfcheck.verdict.bounds`).

Every number carries its status from ``docs/references.md`` §4:
``[S]`` confirmed from a secondary source (instrument manual, third-party code citing the
standard), ``[D]`` derived here, ``UNCONFIRMED`` not found in any reachable source.

References
----------
CISPR 16-1-1, Table 1 / clause 4-7: measurement bandwidth B6, QP time constants, CISPR-average
and RMS-average meter time constants (docs/references.md §4a, [S]: R&S FPL/ESW/ESCI manuals,
Keysight E4448A/X-series, OpenConverters/Hertz, geer1895/rfauto).
CISPR 16-1-1, Table 2: QP reference pulses (docs/references.md §4b).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from .errors import ReceiverError

__all__ = [
    "BAND_EDGES_HZ",
    "BANDS",
    "BandSpec",
    "DETECTORS",
    "EDGE_REL_TOL",
    "band_for_frequency",
    "get_band",
    "rbw_at",
]

#: Detector names understood by the receiver model (CISPR 16-1-1 weighting detectors).
DETECTORS: tuple[str, ...] = ("peak", "quasi-peak", "cispr-average", "rms-average")


@dataclass(frozen=True)
class BandSpec:
    """Receiver constants of one CISPR 16-1-1 band.

    Attributes
    ----------
    name : str
        Band label (``"A"``, ``"B"``, ``"C"``, ``"D"``, ``"CD"``, ``"E"``).
    f_lo_hz, f_hi_hz : float
        Band edges; a frequency belongs to the band when ``f_lo_hz <= f < f_hi_hz``. [Hz]
    rbw_hz : float
        Measurement bandwidth B6 (-6 dB width of the overall selectivity). [Hz]
    tau_charge_s, tau_discharge_s : float
        QP electrical charge / discharge time constants as CISPR defines them (63 % rise
        under a constant sine, 37 % fall after removal); ``nan`` where QP is not defined. [s]
    tau_meter_s : float
        Time constant of the critically damped meter (QP, CISPR-average, RMS-average). [s]
    rms_corner_hz : float
        RMS-average corner frequency f_c. [Hz]
    ref_prf_hz : float
        QP reference pulse repetition frequency; ``nan`` for Band E. [Hz]
    ref_pulse_vs : float
        QP reference impulse area as an e.m.f.; the matched receiver input sees half. [V s]
    detectors : tuple of str
        Detectors defined in this band (no QP above 1 GHz).
    """

    name: str
    f_lo_hz: float
    f_hi_hz: float
    rbw_hz: float
    tau_charge_s: float
    tau_discharge_s: float
    tau_meter_s: float
    rms_corner_hz: float
    ref_prf_hz: float
    ref_pulse_vs: float
    detectors: tuple[str, ...] = DETECTORS

    @property
    def has_qp(self) -> bool:
        """True when the band defines a quasi-peak detector."""
        return "quasi-peak" in self.detectors


_NAN = math.nan

# Band A: B6 200 Hz [S]; tau_C 45 ms, tau_D 500 ms, tau_M 160 ms [S]; f_c 10 Hz [S];
#   reference PRF 25 Hz [S: HP8590EM]; 13.5 µVs e.m.f. UNCONFIRMED.
# Band B: B6 9 kHz [S]; 1 / 160 / 160 ms [S]; f_c 100 Hz [S]; 100 Hz, 0.316 µVs e.m.f. [S: RFAUTO].
# Bands C/D: B6 120 kHz [S]; 1 / 550 / 100 ms [S]; f_c 100 Hz [S]; 100 Hz, 0.044 µVs e.m.f. [S].
# Band E: B6 1 MHz [S]; no QP; meter 100 ms [S]; f_c 1 kHz [S].
_A = BandSpec("A", 9e3, 150e3, 200.0, 45e-3, 500e-3, 160e-3, 10.0, 25.0, 13.5e-6)
_B = BandSpec("B", 150e3, 30e6, 9e3, 1e-3, 160e-3, 160e-3, 100.0, 100.0, 0.316e-6)
_CD = BandSpec("CD", 30e6, 1e9, 120e3, 1e-3, 550e-3, 100e-3, 100.0, 100.0, 0.044e-6)
# Bands C and D share the C/D constants [S]: one row, only the 300 MHz edge splits it.
_C = replace(_CD, name="C", f_hi_hz=300e6)
_D = replace(_CD, name="D", f_lo_hz=300e6)
_E = BandSpec(
    "E",
    1e9,
    18e9,
    1e6,
    _NAN,
    _NAN,
    100e-3,
    1e3,
    _NAN,
    _NAN,
    detectors=("peak", "cispr-average", "rms-average"),
)

#: CISPR 16-1-1 bands by name. ``"C"`` and ``"D"`` share constants; ``"CD"`` spans both.
BANDS: Mapping[str, BandSpec] = MappingProxyType(
    {"A": _A, "B": _B, "C": _C, "D": _D, "CD": _CD, "E": _E}
)


def band_for_frequency(freq_hz: float) -> str:
    """CISPR band a frequency belongs to.

    Parameters
    ----------
    freq_hz : float
        Frequency. [Hz]

    Returns
    -------
    str
        ``"A"`` (9-150 kHz), ``"B"`` (0.15-30 MHz), ``"C"`` (30-300 MHz), ``"D"``
        (300-1000 MHz) or ``"E"`` (1-18 GHz). A band edge belongs to the band above it
        (150 kHz is Band B); 18 GHz itself is Band E.

    Raises
    ------
    ReceiverError
        The frequency lies outside 9 kHz - 18 GHz.
    """
    f = float(freq_hz)
    for name in ("A", "B", "C", "D", "E"):
        spec = BANDS[name]
        if spec.f_lo_hz <= f < spec.f_hi_hz or (name == "E" and f == spec.f_hi_hz):
            return name
    raise ReceiverError(f"{f:g} Hz is outside the CISPR 16-1-1 bands (9 kHz - 18 GHz)")


def get_band(band: str) -> BandSpec:
    """Look up a band by name (case-insensitive; ``"C/D"`` is accepted for ``"CD"``).

    Raises
    ------
    ReceiverError
        Unknown band name.
    """
    key = str(band).strip().upper().replace("/", "").replace("&", "")
    if key not in BANDS:
        raise ReceiverError(f"unknown CISPR band {band!r} (known: {', '.join(BANDS)})")
    return BANDS[key]


#: Edges between neighbouring bands (A/B, B/C, D/E); the C/D edge changes no constant. [Hz]
BAND_EDGES_HZ: tuple[float, ...] = (_B.f_lo_hz, _C.f_lo_hz, _E.f_lo_hz)
#: Relative tolerance of "at a band edge" (float noise in a file's frequency column).
EDGE_REL_TOL = 1e-7


def rbw_at(freq_hz: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """Return the CISPR measurement bandwidth B6 at each frequency [Hz].

    Parameters
    ----------
    freq_hz : array_like of float
        Frequencies. [Hz]

    Returns
    -------
    ndarray of float
        200 Hz below 150 kHz, 9 kHz from 150 kHz, 120 kHz from 30 MHz, 1 MHz from 1 GHz
        (an edge belongs to the band above it, as :func:`band_for_frequency`). [Hz]

    References
    ----------
    CISPR 16-1-1, Table 1 (docs/references.md §4a).
    """
    f = np.asarray(freq_hz, dtype=float)
    return np.select(
        [f < _B.f_lo_hz, f < _C.f_lo_hz, f < _E.f_lo_hz],
        [_A.rbw_hz, _B.rbw_hz, _C.rbw_hz],
        _E.rbw_hz,
    )
