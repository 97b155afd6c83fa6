"""Which declared source (or inferred comb) explains each emission.

For an emission at f, every declared clock whose n-th harmonic window contains f
(:meth:`Clock.harmonics_near`) is a candidate ``n x f0 (name)`` with ``error_hz = f - n f0``
(f0 the nominal); inferred families contribute ``n x f0 (inferred comb)`` the same way,
with their fitted f0 and the sweep's resolution as the window. Candidates are listed by
harmonic order, then by |error|: the lowest order is the likeliest radiator (375 MHz is
3 x 125 MHz before it is 15 x 25 MHz). An emission with no candidate is *unexplained*.
See ``docs/explain.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .clocks import Clock
from .families import INFERRED, Family

__all__ = ["Candidate", "Attribution", "attribute", "attribute_one", "hz_text", "INFERRED_SOURCE"]


def hz_text(freq_hz: float) -> str:
    """Return a frequency as people say it.

    ``125 MHz``, ``65 kHz``, ``1.2 GHz`` (6 significant digits).
    """
    for scale, unit in ((1e9, "GHz"), (1e6, "MHz"), (1e3, "kHz")):
        if abs(freq_hz) >= scale:
            return f"{freq_hz / scale:.6g} {unit}"
    return f"{freq_hz:.6g} Hz"


@dataclass(frozen=True)
class Candidate:
    """One possible source of an emission.

    Attributes
    ----------
    source : str
        Clock name, or ``"inferred comb"`` for a family found in the data.
    harmonic : int
        Order n.
    f0_hz : float
        Fundamental: the clock's nominal or the family's fitted f0. [Hz]
    error_hz : float
        Emission frequency minus ``n f0``. [Hz]
    """

    source: str
    harmonic: int
    f0_hz: float
    error_hz: float

    @property
    def frequency_hz(self) -> float:
        """The harmonic's nominal frequency ``n f0`` [Hz]."""
        return self.harmonic * self.f0_hz

    @property
    def label(self) -> str:
        """``3 × 125 MHz (Ethernet)``."""
        return f"{self.harmonic} \u00d7 {hz_text(self.f0_hz)} ({self.source})"

    def to_dict(self) -> dict[str, Any]:
        """JSON view ``{source, harmonic, frequency_hz, error_hz}`` (frequency_hz = n f0)."""
        return {
            "source": self.source,
            "harmonic": self.harmonic,
            "frequency_hz": round(self.frequency_hz, 1),
            "error_hz": round(self.error_hz, 1),
        }


@dataclass(frozen=True)
class Attribution:
    """The candidates for one emission (empty: unexplained)."""

    frequency_hz: float
    candidates: tuple[Candidate, ...]

    @property
    def explained(self) -> bool:
        """True when at least one source explains the emission."""
        return bool(self.candidates)

    def to_dict(self) -> dict[str, Any]:
        """JSON view ``{frequency_hz, attribution: [...]}``."""
        return {
            "frequency_hz": round(self.frequency_hz, 1),
            "attribution": [c.to_dict() for c in self.candidates],
        }


#: ``Candidate.source`` of an inferred family.
INFERRED_SOURCE = f"{INFERRED} comb"


def _family_candidates(
    freq_hz: float, families: Sequence[Family], resolution_hz: float
) -> list[Candidate]:
    out = []
    for fam in families:
        if fam.source != INFERRED:
            continue  # a declared clock's family: the clock itself gives the candidate
        n = round(freq_hz / fam.f0_hz)
        if n >= 1 and abs(freq_hz - n * fam.f0_hz) <= 2 * resolution_hz:
            out.append(Candidate(INFERRED_SOURCE, n, fam.f0_hz, freq_hz - n * fam.f0_hz))
    return out


def attribute_one(
    freq_hz: float, clocks: Sequence[Clock], resolution_hz: float, families: Sequence[Family] = ()
) -> Attribution:
    """Candidates for one emission; see :func:`attribute`."""
    cands = [
        Candidate(c.name, n, c.frequency_hz, freq_hz - n * c.frequency_hz)
        for c in clocks
        for n in c.harmonics_near(freq_hz, resolution_hz)
    ]
    cands += _family_candidates(freq_hz, families, resolution_hz)
    cands.sort(key=lambda c: (c.harmonic, abs(c.error_hz), c.source))
    return Attribution(freq_hz, tuple(cands))


def attribute(
    freq_hz: Sequence[float],
    clocks: Sequence[Clock],
    resolution_hz: float,
    families: Sequence[Family] = (),
) -> tuple[Attribution, ...]:
    """Candidate sources of each emission.

    Parameters
    ----------
    freq_hz : sequence of float
        Emission frequencies (suspects, final-measurement rows). [Hz]
    clocks : sequence of Clock
        Declared sources (``[[dut.clock]]``).
    resolution_hz : float
        Frequency resolution of the measurement, ``max(RBW / 2, step)``. [Hz]
    families : sequence of Family
        Families found in the data; the inferred ones (no declared clock) explain their
        harmonics within twice the resolution (the member window of
        :mod:`rfcheck.explain.families`).

    Returns
    -------
    tuple of Attribution
        One per emission, in input order; candidates sorted by harmonic order, then |error|.
    """
    return tuple(attribute_one(float(f), clocks, resolution_hz, families) for f in freq_hz)
