"""Ambient captures: the chamber's own signals, measured with the DUT off.

An ambient capture is taken at the same port, with the same settings and transducers, and
judged through the same chain; its corrected trace is compared with the emissions of the
DUT capture:

- **Flag**: for each emission, the ambient level at its frequency (the highest ambient
  reading within the measurement resolution, ``max(RBW / 2, step)``); the emission is
  flagged *ambient* when ``level - ambient <= threshold_db`` (default 6 dB): it cannot be
  told from the ambient, so it is not attributable to the DUT.
- **Never subtract**: the ambient is information, not a correction. A reading is compared
  with the limit as measured.
- **FAIL -> INCONCLUSIVE (ambient-limited)**: when every failing emission is flagged, the
  failure may be the chamber's, not the DUT's (:func:`ambient_limited_verdict`).
- **PASS with a high ambient**: where the ambient itself is within ``threshold_db`` of the
  limit, a DUT emission there could hide under it; those ranges are reported
  (:func:`ambient_near_limit_ranges`).

References
----------
ANSI C63.4, ambient clause (5.1.2 in the 2009 edition): the ambient should be below the
limit by a margin (6 dB is common) (docs/references.md §11e). See ``docs/explain.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..outcome import Verdict

__all__ = [
    "DEFAULT_AMBIENT_THRESHOLD_DB",
    "AmbientFlag",
    "AmbientOutcome",
    "ambient_level_at",
    "flag_emissions",
    "ambient_limited_verdict",
    "ambient_near_limit_ranges",
]

#: An emission within this of the ambient is flagged (ANSI C63.4 practice: 6 dB). [dB]
DEFAULT_AMBIENT_THRESHOLD_DB = 6.0
#: dB comparisons tolerate float rounding (43.5 - 37.51 is 5.990000000000002). [dB]
_EPS_DB = 1e-9


@dataclass(frozen=True)
class AmbientFlag:
    """The ambient at one emission.

    Attributes
    ----------
    frequency_hz : float
        The emission. [Hz]
    level : float
        Its corrected level. [dBµV or dBµV/m]
    ambient_db : float or None
        Ambient level at that frequency, same unit; None where the ambient capture does
        not reach. [dBµV or dBµV/m]
    threshold_db : float
        The flagging threshold. [dB]
    """

    frequency_hz: float
    level: float
    ambient_db: float | None
    threshold_db: float = DEFAULT_AMBIENT_THRESHOLD_DB

    @property
    def above_ambient_db(self) -> float | None:
        """``level - ambient`` [dB]; None without ambient there."""
        return None if self.ambient_db is None else self.level - self.ambient_db

    @property
    def is_ambient(self) -> bool:
        """True when the emission is within ``threshold_db`` of the ambient (or below it)."""
        above = self.above_ambient_db
        return above is not None and above <= self.threshold_db + _EPS_DB

    def to_dict(self) -> dict[str, Any]:
        """JSON view: ``ambient_db`` and the flag."""
        return {
            "frequency_hz": round(self.frequency_hz, 1),
            "level": round(self.level, 2),
            "ambient_db": None if self.ambient_db is None else round(self.ambient_db, 2),
            "ambient": self.is_ambient,
        }


def ambient_level_at(
    freq_hz: ArrayLike,
    ambient_freq_hz: ArrayLike,
    ambient_level: ArrayLike,
    resolution_hz: float,
) -> NDArray[np.float64]:
    """Highest ambient reading within ``resolution_hz`` of each frequency.

    Parameters
    ----------
    freq_hz : array_like
        Where the ambient is wanted. [Hz]
    ambient_freq_hz, ambient_level : array_like
        The ambient's corrected trace. [Hz], [dBµV or dBµV/m]
    resolution_hz : float
        Half-width of the look-up window. [Hz]

    Returns
    -------
    ndarray
        Ambient level, NaN where no ambient point lies within the window. [same unit]
    """
    f = np.atleast_1d(np.asarray(freq_hz, dtype=np.float64))
    af = np.asarray(ambient_freq_hz, dtype=np.float64)
    al = np.asarray(ambient_level, dtype=np.float64)
    order = np.argsort(af, kind="stable")
    af, al = af[order], al[order]
    lo = np.searchsorted(af, f - resolution_hz, side="left")
    hi = np.searchsorted(af, f + resolution_hz, side="right")
    out = np.full(f.shape, np.nan)
    for i, (a, b) in enumerate(zip(lo, hi, strict=True)):
        if b > a:
            out[i] = float(np.nanmax(al[a:b]))
    return out


def flag_emissions(
    freq_hz: Sequence[float],
    level: Sequence[float],
    ambient_freq_hz: ArrayLike,
    ambient_level: ArrayLike,
    resolution_hz: float,
    threshold_db: float = DEFAULT_AMBIENT_THRESHOLD_DB,
) -> tuple[AmbientFlag, ...]:
    """Return the ambient at each emission, and whether it is within ``threshold_db`` of it.

    Parameters
    ----------
    freq_hz, level : sequence of float
        Emissions and their corrected levels. [Hz], [dBµV or dBµV/m]
    ambient_freq_hz, ambient_level : array_like
        The ambient capture's corrected trace on the same port. [Hz], [same unit]
    resolution_hz : float
        Measurement resolution (:func:`ambient_level_at`). [Hz]
    threshold_db : float
        Flag when ``level - ambient <= threshold_db``. [dB]

    References
    ----------
    ANSI C63.4, ambient clause (5.1.2 in the 2009 edition).
    """
    amb = ambient_level_at(freq_hz, ambient_freq_hz, ambient_level, resolution_hz)
    return tuple(
        AmbientFlag(float(f), float(lv), None if np.isnan(a) else float(a), threshold_db)
        for f, lv, a in zip(freq_hz, level, amb, strict=True)
    )


@dataclass(frozen=True)
class AmbientOutcome:
    """A verdict after the ambient rule.

    Attributes
    ----------
    verdict : Verdict
    ambient_limited : bool
        True when a FAIL became INCONCLUSIVE because only ambient-flagged emissions failed.
    frequencies_hz : tuple of float
        The ambient-flagged failing emissions. [Hz]
    note : str
        Why the rule was not applied, when it could not be.
    """

    verdict: Verdict
    ambient_limited: bool = False
    frequencies_hz: tuple[float, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON view."""
        return {
            "verdict": self.verdict.value,
            "ambient_limited": self.ambient_limited,
            "frequencies_hz": [round(f, 1) for f in self.frequencies_hz],
            "note": self.note,
        }


def ambient_limited_verdict(verdict: Verdict, failing: Sequence[AmbientFlag]) -> AmbientOutcome:
    """Apply the ambient rule to a verdict.

    Parameters
    ----------
    verdict : Verdict
        The verdict as judged (the ambient never changes a level).
    failing : sequence of AmbientFlag
        The flags of every emission that fails.

    Returns
    -------
    AmbientOutcome
        A FAIL whose failing emissions are all flagged becomes INCONCLUSIVE
        (ambient-limited) with their frequencies; a FAIL with one DUT emission (not flagged,
        or where no ambient was measured) stays FAIL; any other verdict is unchanged.
    """
    if verdict is not Verdict.FAIL or not failing:
        return AmbientOutcome(verdict)
    if all(f.is_ambient for f in failing):
        return AmbientOutcome(
            Verdict.INCONCLUSIVE, True, tuple(sorted(f.frequency_hz for f in failing))
        )
    return AmbientOutcome(verdict)


def ambient_near_limit_ranges(
    ambient_freq_hz: ArrayLike,
    ambient_level: ArrayLike,
    limit_level: ArrayLike,
    threshold_db: float = DEFAULT_AMBIENT_THRESHOLD_DB,
) -> tuple[tuple[float, float], ...]:
    """Frequency ranges where the ambient is within ``threshold_db`` of the limit.

    Parameters
    ----------
    ambient_freq_hz, ambient_level : array_like
        The ambient's corrected trace. [Hz], [dBµV or dBµV/m]
    limit_level : array_like
        The limit at the same frequencies (NaN outside the limit's range). [same unit]
    threshold_db : float
        ``limit - ambient <= threshold_db`` marks a point. [dB]

    Returns
    -------
    tuple of (float, float)
        ``(start, stop)`` of each run of marked points, increasing. [Hz]

    References
    ----------
    ANSI C63.4, ambient clause: the ambient should lie below the limit by a margin.
    """
    f = np.asarray(ambient_freq_hz, dtype=np.float64)
    order = np.argsort(f, kind="stable")
    f = f[order]
    margin = (
        np.asarray(limit_level, dtype=np.float64)[order]
        - np.asarray(ambient_level, dtype=np.float64)[order]
    )
    hit = np.isfinite(margin) & (margin <= threshold_db + _EPS_DB)
    out: list[tuple[float, float]] = []
    i = 0
    while i < hit.size:
        if not hit[i]:
            i += 1
            continue
        j = i
        while j + 1 < hit.size and hit[j + 1]:
            j += 1
        out.append((float(f[i]), float(f[j])))
        i = j + 1
    return tuple(out)
