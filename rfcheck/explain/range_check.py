"""47 CFR 15.33(b)(1) consistency.

Is the declared highest frequency really the highest?

The radiated range an unintentional radiator must be investigated over follows from the
highest frequency generated or used in the device
(:func:`rfcheck.limits.upper_measurement_frequency_hz`).
A declared clock, or the fundamental of a family found in the data, above the declared
``[dut] highest_internal_frequency_hz`` means that declaration is too low: the range
15.33(b)(1) requires may end higher than the one derived from it (and measured). Each such
source gives a :class:`RangeWarning` naming the range it would require.

References
----------
47 CFR 15.33(b)(1) (docs/references.md §2f).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..limits import upper_measurement_frequency_hz
from .attribution import hz_text
from .clocks import Clock
from .families import INFERRED, Family

__all__ = ["RangeWarning", "check_highest_frequency"]


@dataclass(frozen=True)
class RangeWarning:
    """A source above the declared highest internal frequency.

    Attributes
    ----------
    source : str
        Clock name, or ``"inferred comb"`` for a family fundamental found in the data.
    frequency_hz : float
        The source's highest fundamental frequency. [Hz]
    declared_highest_hz : float
        The declared highest internal frequency. [Hz]
    declared_upper_hz : float
        Upper end of the 15.33(b)(1) range the declaration gives. [Hz]
    required_upper_hz : float
        Upper end of the range this source would require. [Hz]
    """

    source: str
    frequency_hz: float
    declared_highest_hz: float
    declared_upper_hz: float
    required_upper_hz: float

    @property
    def extends_range(self) -> bool:
        """True when the required range ends above the declared one."""
        return self.required_upper_hz > self.declared_upper_hz

    @property
    def message(self) -> str:
        """One line for reports."""
        tail = (
            "47 CFR 15.33(b)(1) would require the radiated range up to "
            f"{hz_text(self.required_upper_hz)}, "
            f"not {hz_text(self.declared_upper_hz)}"
            if self.extends_range
            else f"the 47 CFR 15.33(b)(1) range stays {hz_text(self.declared_upper_hz)}"
        )
        return (
            f"{self.source} at {hz_text(self.frequency_hz)} is above the declared highest internal "
            f"frequency {hz_text(self.declared_highest_hz)}: {tail}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON view (Hz)."""
        return {
            "source": self.source,
            "frequency_hz": round(self.frequency_hz, 1),
            "declared_highest_hz": round(self.declared_highest_hz, 1),
            "declared_upper_hz": round(self.declared_upper_hz, 1),
            "required_upper_hz": round(self.required_upper_hz, 1),
            "extends_range": self.extends_range,
            "message": self.message,
        }


def check_highest_frequency(
    declared_highest_hz: float | None,
    clocks: Sequence[Clock] = (),
    families: Sequence[Family] = (),
) -> tuple[RangeWarning, ...]:
    """Return the sources above the declared highest internal frequency.

    Parameters
    ----------
    declared_highest_hz : float or None
        ``[dut] highest_internal_frequency_hz`` (or ``--highest-frequency``); None: nothing
        to check against. [Hz]
    clocks : sequence of Clock
        Declared sources; a clock counts with the top of its window (:attr:`Clock.highest_hz`).
    families : sequence of Family
        Inferred families count with their fitted f0 (declared ones are their clock).

    Returns
    -------
    tuple of RangeWarning
        Highest source first.

    References
    ----------
    47 CFR 15.33(b)(1).
    """
    if declared_highest_hz is None:
        return ()
    declared_upper = upper_measurement_frequency_hz(declared_highest_hz)
    sources = [(c.name, c.highest_hz) for c in clocks]
    sources += [(f"{INFERRED} comb", fam.f0_hz) for fam in families if fam.source == INFERRED]
    out = [
        RangeWarning(
            name, f, declared_highest_hz, declared_upper, upper_measurement_frequency_hz(f)
        )
        for name, f in sources
        if f > declared_highest_hz
    ]
    out.sort(key=lambda w: -w.frequency_hz)
    return tuple(out)
