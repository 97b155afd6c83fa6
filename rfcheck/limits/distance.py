"""Measurement distance: 47 CFR 15.31(f) re-expression of radiated limits and its guards.

A radiated limit specified at ``d_spec`` is re-expressed at the measurement distance
``d_meas`` (equivalently, the reading is extrapolated to ``d_spec``):

- at and above 30 MHz, 20 dB/decade (15.31(f)(1)), in either direction; the measurement
  should not be made in the near field (here: ``d < λ/2π`` at the lowest frequency judged,
  a warning) and rfcheck warns beyond 30 m;
- below 30 MHz, 40 dB/decade, and only when measuring **closer** than specified
  (15.31(f)(2)); a farther measurement has no basis there and is refused.

See ``docs/references.md`` (47 CFR 15.31(f)) for the wording and its status.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..frequency import format_hz

__all__ = [
    "DISTANCE_RANGE_M",
    "F_DISTANCE_SPLIT_HZ",
    "MAX_DISTANCE_M",
    "SPEED_OF_LIGHT_M_PER_S",
    "distance_offset_db",
    "near_field_distance_m",
    "farther_below_split_error",
    "distance_warnings",
]

#: Frequency below which 15.31(f)(2) (40 dB/decade, closer only) applies instead of (f)(1). [Hz]
F_DISTANCE_SPLIT_HZ = 30e6
#: Measurement distances rfcheck accepts (``--distance``, ``distance_m``). Not a figure from a
#: standard: a sanity bound around the distances the standards use (1 m to 300 m; 47 CFR
#: 15.31(f)(1) excludes the near field), so that ``--distance 1e-9`` (a +170 dB
#: extrapolation that would turn any FAIL into PASS) is refused. [m]
DISTANCE_RANGE_M = (0.1, 1000.0)
#: Measurement distance beyond which rfcheck warns (15.31(f)(1) wording UNCONFIRMED). [m]
MAX_DISTANCE_M = 30.0
#: Speed of light in vacuum (exact, SI). [m/s]
SPEED_OF_LIGHT_M_PER_S = 299_792_458.0


def distance_offset_db(
    freq_hz: ArrayLike, spec_distance_m: float, meas_distance_m: float
) -> NDArray[np.float64]:
    """Change of a field-strength limit when re-expressed at the measurement distance.

    ``limit(d_meas) = limit(d_spec) + offset``, offset = k·log10(d_spec / d_meas) with
    k = 20 dB/decade at and above 30 MHz (47 CFR 15.31(f)(1), inverse linear distance) and
    k = 40 dB/decade below 30 MHz when measuring closer than specified (15.31(f)(2), square
    of inverse linear distance). Below 30 MHz at a farther distance the rule gives no
    factor: NaN (:meth:`~rfcheck.limits.LimitTable.check_distance` refuses such a table).

    Parameters
    ----------
    freq_hz : array_like
        Frequencies. [Hz]
    spec_distance_m, meas_distance_m : float
        Distance the limit is specified at / the measurement was made at. [m]

    Returns
    -------
    ndarray
        Offset to add to the limit. [dB] (10 m -> 3 m: +10.4576 dB above 30 MHz.)

    References
    ----------
    47 CFR 15.31(f)(1) and (f)(2); docs/references.md.
    """
    f = np.asarray(freq_hz, dtype=float)
    ratio = math.log10(spec_distance_m / meas_distance_m)
    below = 40.0 * ratio if meas_distance_m <= spec_distance_m else math.nan
    return np.where(f >= F_DISTANCE_SPLIT_HZ, 20.0 * ratio, below)


def near_field_distance_m(freq_hz: float) -> float:
    """Distance ``λ/2π`` inside which a measurement is in the reactive near field [m].

    ``λ = c / f``: 1.59 m at 30 MHz, 47.7 m at 1 MHz, 318 m at 150 kHz.
    """
    return SPEED_OF_LIGHT_M_PER_S / (2.0 * math.pi * freq_hz)


def farther_below_split_error(
    limit_id: str, spec_distance_m: float, meas_distance_m: float, lowest_hz: float
) -> str:
    """Why a table with lines below 30 MHz cannot be used farther than specified ("" if it can).

    Parameters
    ----------
    lowest_hz : float
        Lowest frequency of the table. [Hz]
    """
    if lowest_hz >= F_DISTANCE_SPLIT_HZ or meas_distance_m <= spec_distance_m:
        return ""
    return (
        f"limit {limit_id} has lines below 30 MHz specified at {spec_distance_m:g} m; "
        "47 CFR 15.31(f)(2) extrapolates (40 dB/decade) only from a distance closer than "
        f"specified, and the measurement was at {meas_distance_m:g} m"
    )


def distance_warnings(
    limit_id: str, distance_m: float, lowest_judged_hz: float | None
) -> list[str]:
    """Warnings about the measurement distance of a radiated judgement (15.31(f)).

    Parameters
    ----------
    limit_id : str
        Table id, named in each warning.
    distance_m : float
        Measurement distance (the specified distance when none was stated). [m]
    lowest_judged_hz : float or None
        Lowest frequency judged against the table; None: nothing judged. [Hz]

    Returns
    -------
    list of str
        Near field at the lowest frequency judged (``d < λ/2π``); distance beyond 30 m.
    """
    out = []
    if lowest_judged_hz is not None and lowest_judged_hz > 0:
        near_m = near_field_distance_m(lowest_judged_hz)
        if distance_m < near_m:
            out.append(
                f"{limit_id}: measurement distance {distance_m:g} m is in the near field at "
                f"{format_hz(lowest_judged_hz)}, the lowest frequency judged "
                f"(\u03bb/2\u03c0 = {near_m:.3g} m); 47 CFR 15.31(f)(1) asks to avoid near-field "
                "measurements: the inverse-distance extrapolation does not hold there"
            )
    if distance_m > MAX_DISTANCE_M:
        out.append(
            f"{limit_id}: measurement distance {distance_m:g} m is beyond {MAX_DISTANCE_M:g} m; "
            "47 CFR 15.31(f)(1) extrapolation from beyond 30 m is not an established basis "
            "(wording UNCONFIRMED, see docs/references.md)"
        )
    return out
