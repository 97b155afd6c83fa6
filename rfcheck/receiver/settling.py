"""How long a CISPR 16-1-1 detector needs to settle: the record length a reading needs.

Kept apart from the receiver's signal path (:mod:`rfcheck.receiver.scan`) so that judging an
instrument's trace can ask it without loading the receiver's kernels.
"""

from __future__ import annotations

from ..cispr import DETECTORS, BandSpec
from ..errors import ReceiverError
from .ifilter import if_duration_s

__all__ = ["settling_time_s"]


def settling_time_s(spec: BandSpec, detector: str) -> float:
    """Return the minimum record length for a settled reading of ``detector`` in ``spec``'s band.

    * peak: the IF impulse response, ``if_duration_s(B6)`` (≈ 11.4 σ_t).
    * CISPR-average: ``7 τ_M`` — the critically damped step response
      ``1 - (1 + t/τ_M) e^{-t/τ_M}`` is within 0.1 dB of its final value after 6.6 τ_M.
    * RMS-average: ``7 τ_M + 5 T_rms`` (``T_rms = 1/(4 f_c)``).
    * quasi-peak: ``5 τ_C + 7 τ_M + 3 τ_D`` — the charge settles in a few τ_C, the meter
      needs 7 τ_M for 0.1 dB, and a low-PRF pulse train builds its detector level up over
      ≈ 3 τ_D (Band B 1.61 s, Bands C/D 2.36 s, Band A 2.85 s; compare the ≥ 1 s QP dwell
      R&S recommends for PRFs down to 5 Hz, docs/references.md §5).

    Returns
    -------
    float
        Minimum record length. [s]

    References
    ----------
    CISPR 16-1-1 §3.4-3.6 (time-constant definitions); docs/references.md §5 (dwell times).
    """
    t_if = if_duration_s(spec.rbw_hz)
    if detector == "peak":
        return t_if
    if detector == "cispr-average":
        return t_if + 7 * spec.tau_meter_s
    if detector == "rms-average":
        return t_if + 7 * spec.tau_meter_s + 5 / (4 * spec.rms_corner_hz)
    if detector == "quasi-peak":
        return t_if + 5 * spec.tau_charge_s + 7 * spec.tau_meter_s + 3 * spec.tau_discharge_s
    raise ReceiverError(f"unknown detector {detector!r} (known: {', '.join(DETECTORS)})")
