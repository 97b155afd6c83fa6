"""What a port's final table holds: its rows, their values, and the cells that list none.

:class:`FinalRow` is one emission of a port with the value of each limit line there
(:class:`TableValue`: reading, conversion, correction, level, limit, margin, bound, detector,
the capture and the receiver-model origin); :class:`TableCell` a cell whose emissions the
table lists; :class:`NoEmission` a cell whose traces have no local maximum. How rows are
chosen is :mod:`rfcheck.product.final_table`'s. See ``docs/dossier.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..frequency import format_mhz_range
from ..outcome import Bound, round_margin
from ..results import Suspect
from ..units import round_reading
from .origin import TraceOrigin, basis_text, origin_json
from .repeat_captures import RepeatReading

__all__ = ["LINE_KEYS", "UNSETTLED", "TableValue", "FinalRow", "TableCell", "NoEmission"]

#: Limit line name -> JSON key of its column.
LINE_KEYS = {"QP": "quasi_peak", "AV": "average", "PK": "peak"}


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def _range(r: tuple[float, float] | None) -> list[float | None] | None:
    return None if r is None else [_r(r[0], 1), _r(r[1], 1)]


#: What a bound standing for an unsettled swept bucket is, in its basis.
UNSETTLED = "a swept bucket still unsettled"


@dataclass(frozen=True)
class TableValue:
    """One value of a row: a line's level at the emission.

    Attributes
    ----------
    frequency_hz : float
        Where it was read. [Hz]
    level, limit, margin_db : float
        Corrected level and limit [dBµV or dBµV/m]; ``margin_db = limit - level``. [dB]
    unit : str
    bound : Bound
    detector : str
        The detector of the trace read.
    reading, conversion_db, correction_db : float or None
        Instrument reading (in ``reading_unit``), its unit conversion into ``unit`` [dB] and
        the summed transducer correction [dB]: reading + conversion_db + correction_db =
        level; None when read from a trace without a candidate.
    reading_unit : str
    computed_from : str
        The I/Q recording rfcheck's receiver model computed the value from; "" for an
        instrument's reading (:mod:`rfcheck.product.origin`).
    channel : str
        The channel of a multi-channel recording the value was computed from
        (``Channel 2``); "" otherwise.
    capture : str
        The capture file the value was read from ("" when not known).
    repeats : tuple of RepeatReading
        The values of the same kind (bound and detector) the port's other captures give of
        the line at the emission (:mod:`rfcheck.product.repeat_captures`).
    unsettled_range_hz : (float, float) or None
        For an upper bound over the limit that stands for a swept peak reading's bucket the
        verdict left unsettled (its line's ``needs_ranges_hz``): that bucket, in which the
        emission may lie anywhere, not at ``frequency_hz``; None otherwise. [Hz]
    """

    frequency_hz: float
    level: float
    limit: float
    margin_db: float
    unit: str
    bound: Bound
    detector: str
    reading: float | None = None
    correction_db: float | None = None
    reading_unit: str = ""
    conversion_db: float | None = None
    computed_from: str = ""
    channel: str = ""
    capture: str = ""
    repeats: tuple[RepeatReading, ...] = ()
    unsettled_range_hz: tuple[float, float] | None = None

    @property
    def basis(self) -> str:
        """How the value was obtained: ``measured``, a bound, or computed by the receiver model.

        A bound standing for an unsettled swept bucket says so: ``upper bound over
        374.835-375.805 MHz (a swept bucket still unsettled)``.
        """
        text = basis_text(self.bound, self.computed_from, self.channel)
        if self.unsettled_range_hz is None:
            return text
        return f"{text} over {format_mhz_range(*self.unsettled_range_hz)} ({UNSETTLED})"

    @classmethod
    def of(cls, s: Suspect, origin: TraceOrigin | None = None) -> TableValue:
        """Build the table value of a suspect (read from a trace of ``origin``)."""
        origin = origin or TraceOrigin()
        return cls(
            s.frequency_hz,
            s.level,
            s.limit,
            s.margin_db,
            s.unit,
            s.bound,
            s.detector,
            s.reading,
            s.correction_db,
            s.reading_unit,
            s.conversion_db,
            origin.computed_from,
            origin.channel,
            origin.capture,
        )

    def to_json(self) -> dict[str, Any]:
        """Return the value as a JSON-ready mapping."""
        return {
            "reading": None
            if self.reading is None or not np.isfinite(self.reading)
            else round_reading(float(self.reading), self.reading_unit),
            "reading_unit": self.reading_unit,
            "conversion_db": _r(self.conversion_db),
            "correction_db": _r(self.correction_db),
            "level": _r(self.level),
            "unit": self.unit,
            "limit": _r(self.limit),
            "margin_db": None if not np.isfinite(self.margin_db) else round_margin(self.margin_db),
            "detector": self.detector,
            "bound": self.bound.value,
            "frequency_hz": _r(self.frequency_hz, 1),
            **origin_json(self.computed_from, self.channel),
            "capture": self.capture or None,
            "repeat_captures": [r.to_json() for r in self.repeats],
            "unsettled_range_hz": _range(self.unsettled_range_hz),
        }


@dataclass(frozen=True)
class FinalRow:
    """One emission of a port's final table; ``values`` maps a line (``QP``) to its value."""

    port: str
    frequency_hz: float
    values: dict[str, TableValue]
    #: a reading over a limit outside every cell of the port, beyond the 47 CFR 15.33(b)(1)
    #: range (:mod:`rfcheck.product.beyond`): listed whatever the six rows hold
    beyond_required: bool = False
    #: the measurement distance its readings were taken at, their limits re-expressed there
    #: (47 CFR 15.31(f)(1)); None for a mains line [m]
    distance_m: float | None = None

    @property
    def worst(self) -> TableValue:
        """The value with the smallest margin."""
        return min(self.values.values(), key=lambda v: v.margin_db)

    @property
    def unsettled_range_hz(self) -> tuple[float, float] | None:
        """The unsettled swept bucket its worst value stands for [Hz]; None: none.

        The row is then that bucket's, not its frequency's: the emission may lie anywhere
        in it (:attr:`TableValue.unsettled_range_hz`).
        """
        return self.worst.unsettled_range_hz

    def to_json(self) -> dict[str, Any]:
        """Return the row as a JSON-ready mapping."""
        out: dict[str, Any] = {
            "port": self.port,
            "frequency_hz": _r(self.frequency_hz, 1),
            "distance_m": self.distance_m,
            "unsettled_range_hz": _range(self.unsettled_range_hz),
        }
        for line, key in LINE_KEYS.items():
            v = self.values.get(line)
            out[key] = None if v is None else v.to_json()
        out["beyond_required_range"] = self.beyond_required
        return out


@dataclass(frozen=True)
class TableCell:
    """A cell a pool's final table lists the emissions of: its limit line and range [Hz]."""

    limit_id: str
    line: str
    start_hz: float
    stop_hz: float


@dataclass(frozen=True)
class NoEmission:
    """A cell a pool measured whose traces have no local maximum: no final-table row.

    ``distance_m``: the pool's measurement distance (None: a mains line). [m]
    """

    port: str
    cell: TableCell
    distance_m: float | None = None

    def text(self, several: bool = False) -> str:
        """``H AV 1000-5000 MHz (fcc-15.109-a): no emission: ...``; ``H (3 m) ...`` if several."""
        c = self.cell
        port = self.port
        if several and self.distance_m is not None:
            port = f"{port} ({self.distance_m:g} m)"
        return (
            f"{port} {c.line} {format_mhz_range(c.start_hz, c.stop_hz)} ({c.limit_id}): no "
            "emission: its traces have no local maximum there (flat or monotone), so no row "
            "lists one; the cell's worst margin is in the completeness matrix"
        )

    def to_json(self) -> dict[str, Any]:
        """Return the entry as a JSON-ready mapping."""
        c = self.cell
        return {
            "port": self.port,
            "limit_id": c.limit_id,
            "line": c.line,
            "range_hz": [c.start_hz, c.stop_hz],
            "distance_m": self.distance_m,
        }
