"""Which ``[[equipment]]`` item is what: a capture's instrument, a transducer the setup applies.

The item a capture header's instrument is (:func:`find_equipment`: by serial, else by
model), the items of each kind of transducer the setup's rules apply
(:func:`equipment_items_of_kind`: words of their free ``type`` text, :data:`KIND_WORDS`),
and whether the ``range_hz`` of those items cover the range a transducer was applied over
(:func:`range_covered`). The findings these lead to are :mod:`rfcheck.record.findings`'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ..capture import Instrument
from ..frequency import format_mhz_range
from .model import Equipment

__all__ = [
    "KIND_WORDS",
    "AppliedTransducer",
    "TransducerKind",
    "equipment_items_of_kind",
    "find_equipment",
    "range_covered",
]


class TransducerKind(StrEnum):
    """A kind of transducer the setup's rules apply (the ``[[rule]]`` key in the comment)."""

    ANTENNA = "antenna"  #: ``antenna_factor``
    CABLE = "cable"  #: ``cable_loss``
    LISN = "LISN"  #: ``lisn``
    PREAMPLIFIER = "preamplifier"  #: ``preamp_gain``


@dataclass(frozen=True)
class AppliedTransducer:
    """One transducer the setup's rules applied, and the range it was applied over.

    ``range_hz`` is the lowest and highest frequency it was applied at (the captures' span
    inside the rule's ``range_hz`` and the table's first..last frequency), ``None`` when not
    known: then only its kind is cross-checked. [Hz]
    """

    source: str  #: what was applied: a file name, or a constant such as ``0.3 dB``
    range_hz: tuple[float, float] | None = None

    def text(self) -> str:
        """``af.csv over 1000-6000 MHz`` (the source alone when the range is not known)."""
        if self.range_hz is None:
            return self.source
        return f"{self.source} over {format_mhz_range(*self.range_hz)}"


#: Relative slack of a range comparison: the rounding of the numbers a table or a setup
#: prints (``1e9`` against ``1000 MHz`` read from a CSV).
_RANGE_REL_TOL = 1e-9


def range_covered(range_hz: tuple[float, float], ranges: Iterable[tuple[float, float]]) -> bool:
    """Whether the union of ``ranges`` covers ``range_hz`` without a gap.

    Ranges that touch join (a bilog ``[30e6, 1e9]`` and a horn ``[1e9, 18e9]`` cover
    30 MHz - 6 GHz). [Hz]
    """
    lo, hi = range_hz
    reach = lo
    for a, b in sorted(ranges):
        if a > reach * (1 + _RANGE_REL_TOL):
            break
        reach = max(reach, b)
    return reach >= hi * (1 - _RANGE_REL_TOL)


#: Words an ``[[equipment]] type`` must contain (at a word start, case ignored) to
#: be an item of each kind. ``[[equipment]]`` has no kind field, so the match is on the
#: free ``type`` text and deliberately narrow: a type that names none of them is not
#: counted (docs/record.md, "Cross-checks").
KIND_WORDS: dict[TransducerKind, tuple[str, ...]] = {
    TransducerKind.ANTENNA: ("antenna", "bilog", "biconical", "log-periodic", "horn"),
    TransducerKind.CABLE: ("cable",),
    TransducerKind.LISN: (
        "lisn",
        "line impedance stabilization",
        "line impedance stabilisation",
        "artificial mains network",
        "amn",
        "v-network",
    ),
    TransducerKind.PREAMPLIFIER: ("preamp", "pre-amp", "amplifier", "lna"),
}


def equipment_items_of_kind(
    kind: TransducerKind, equipment: Iterable[Equipment]
) -> tuple[Equipment, ...]:
    """Return the ``[[equipment]]`` items whose ``type`` names ``kind``, in list order.

    ``type`` must contain one of the kind's words at a word start, case ignored (``LISN``,
    ``bilog antenna 30 MHz - 1 GHz``, ``coaxial cable set``, ``preamplifier 1 - 6 GHz``);
    the words are :data:`KIND_WORDS`, hyphens and spaces alike (``artificial-mains
    network``, ``log periodic``). The frequencies such a text names are not read:
    an item's range is its ``range_hz``.
    """
    words = [_spaced(w) for w in KIND_WORDS[kind]]
    return tuple(
        item
        for item in equipment
        if any(re.search(rf"(?<![a-z0-9]){re.escape(w)}", _spaced(item.type or "")) for w in words)
    )


def _spaced(text: str) -> str:
    """Lower case, hyphens and underscores as spaces, runs of spaces as one."""
    return " ".join(re.sub(r"[-_]", " ", text.lower()).split())


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def find_equipment(instrument: Instrument, equipment: Iterable[Equipment]) -> Equipment | None:
    """Return the ``[[equipment]]`` item that is ``instrument``, or ``None``.

    Matched on the serial number when both state one (case and punctuation ignored), else on
    the model (the list's model contained in the header's, ``ESR3`` in ``ESR3 EMI Test
    Receiver``). Deterministic: the first match in list order.
    """
    serial, model = _key(instrument.serial), _key(instrument.model)
    for item in equipment:
        item_serial, item_model = _key(item.serial or ""), _key(item.model or "")
        if serial and item_serial:
            if serial == item_serial:
                return item
            continue
        if model and item_model and item_model in model:
            return item
    return None
