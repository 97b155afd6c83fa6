"""Repeat captures of one port that read an emission differently, and which one the table keeps.

A port's captures are pooled as one measurement (``docs/dossier.md``): at a final-table
emission each line takes the worst measured value among them, else the tightest bound
(:func:`rfcheck.product.final_table`), so a favourable repeat never decides. Each value
names the capture it was read from, and lists the same kind of value (measured, or a bound
from the same detector) that the port's other captures give there
(:class:`RepeatReading`). When one differs from the kept value by more than
:data:`REPEAT_SPREAD_DB`, the record says so (:func:`repeat_notes`): a lab re-measures for a
reason, and the reader sees both readings and which file decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..frequency import mhz_number
from ..outcome import Bound

if TYPE_CHECKING:
    from .final_rows import FinalRow, TableValue

__all__ = ["REPEAT_SPREAD_DB", "RepeatReading", "repeat_readings", "repeat_notes"]

#: Repeat captures of a port whose values of one line at one emission differ by more than
#: this get a note on the record. [dB]
REPEAT_SPREAD_DB = 1.0

#: Why the kept value is the one kept, by its bound (:func:`rfcheck.product.final_table._best`).
_KEPT_BECAUSE = {
    Bound.MEASURED: "the worse reading decides",
    Bound.UPPER: "the tightest upper bound",
    Bound.LOWER: "the highest lower bound",
}
_RELATION = {Bound.UPPER: "≤ ", Bound.LOWER: "≥ "}


@dataclass(frozen=True)
class RepeatReading:
    """Another capture's value of a line at an emission, of the kind of the value kept.

    Attributes
    ----------
    capture : str
        The capture it was read from.
    level : float
        Its level (or bound). [dBµV or dBµV/m]
    frequency_hz : float
        Where it was read. [Hz]
    """

    capture: str
    level: float
    frequency_hz: float

    def to_json(self) -> dict[str, Any]:
        """Return the reading as a JSON-ready mapping."""
        return {
            "capture": self.capture,
            "level": round(self.level, 2) + 0.0,
            "frequency_hz": round(self.frequency_hz, 1) + 0.0,
        }


def repeat_readings(
    kept: TableValue,
    cands: Sequence[TableValue],
    pick: Callable[[Sequence[TableValue]], TableValue],
) -> tuple[RepeatReading, ...]:
    """Return the value each other capture gives of the kind of ``kept``, in capture order.

    ``cands``: every value of the line at the emission (each naming its capture); the same
    kind is the same bound and detector; ``pick`` chooses one per capture as the table
    chooses among all (the worst measured value, else the tightest bound).
    """
    by_capture: dict[str, list[TableValue]] = {}
    for c in cands:
        if c.capture and c.capture != kept.capture:
            if (c.bound, c.detector) == (kept.bound, kept.detector):
                by_capture.setdefault(c.capture, []).append(c)
    return tuple(
        RepeatReading(path, (v := pick(vs)).level, v.frequency_hz)
        for path, vs in by_capture.items()
    )


def _level(level: float, bound: Bound, unit: str) -> str:
    return f"{_RELATION.get(bound, '')}{level:.2f} {unit}"


def repeat_notes(rows: Sequence[FinalRow]) -> tuple[str, ...]:
    """Say where repeat captures of a port differ by more than :data:`REPEAT_SPREAD_DB`.

    One note per line and emission: ``L1 AV at 0.2 MHz: repeat captures differ by 3.00 dB;
    the table keeps a.csv (62.00 dBµV: the worse reading decides), not b.csv (59.00 dBµV)``.
    """
    notes: list[str] = []
    for r in rows:
        for line, v in r.values.items():
            apart = [x for x in v.repeats if abs(x.level - v.level) > REPEAT_SPREAD_DB]
            if not apart:
                continue
            spread = max(abs(x.level - v.level) for x in apart)
            others = ", ".join(f"{x.capture} ({_level(x.level, v.bound, v.unit)})" for x in apart)
            kind = "" if v.bound is Bound.MEASURED else f" ({v.bound.value}s, {v.detector})"
            why = _KEPT_BECAUSE.get(v.bound, v.bound.value)
            notes.append(
                f"{r.port} {line} at {mhz_number(r.frequency_hz)} MHz: repeat captures differ "
                f"by {spread:.2f} dB{kind}; the table keeps {v.capture} "
                f"({_level(v.level, v.bound, v.unit)}: {why}), not {others}"
            )
    return tuple(notes)
