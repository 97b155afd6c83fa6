"""The final measurement table of a port, as accredited labs print it.

Per port the six highest emissions relative to the limit (ANSI C63.4 practice), over all the
port's lines (QP below 1 GHz and AV/PK above share the six rows): one row per emission
frequency with the quasi-peak, average and peak values side by side, each with its reading,
unit conversion, correction, level, limit, margin (``limit - level``), the detector of the
trace read and whether it is a measured value or a bound from another detector.

Candidate emissions are the pool's emission candidates
(:attr:`rfcheck.results.CaptureResult.suspects`) plus each cell's worst point, inside the
port's cells; candidates within :data:`SAME_EMISSION_REL` of each other are one emission, at
the frequency of its worst candidate. Each line's value there is the best evidence among the
port's pooled traces: a measured value of the line's detector (the nearest point, within the
trace's RBW or step), else the tightest bound (the lowest upper bound, else the highest lower
bound). Rows are ranked by their smallest margin, then frequency. See ``docs/dossier.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..limits import LimitTable, load_shipped
from ..results import Bound, CaptureResult, PlotTrace, Suspect
from ..verdict import CorrectedTrace
from ..verdict.bounds import point_bound

__all__ = [
    "TITLE",
    "ROWS_PER_PORT",
    "SAME_EMISSION_REL",
    "LINE_KEYS",
    "TableValue",
    "FinalRow",
    "final_table",
]

#: Title of the table in the rendered record.
TITLE = "Final measurements (six highest emissions relative to the limit, per port; ANSI C63.4)"
#: Emissions per port in the final table (ANSI C63.4 practice: the six highest).
ROWS_PER_PORT = 6
#: Candidates within this fraction of each other's frequency are one emission.
SAME_EMISSION_REL = 5e-3
#: Limit line name -> JSON key of its column.
LINE_KEYS = {"QP": "quasi_peak", "AV": "average", "PK": "peak"}


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


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

    @classmethod
    def of(cls, s: Suspect) -> TableValue:
        """Build the table value of a suspect."""
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
        )

    def to_json(self) -> dict[str, Any]:
        """Return the value as a JSON-ready mapping."""
        return {
            "reading": _r(self.reading),
            "reading_unit": self.reading_unit,
            "conversion_db": _r(self.conversion_db),
            "correction_db": _r(self.correction_db),
            "level": _r(self.level),
            "unit": self.unit,
            "limit": _r(self.limit),
            "margin_db": _r(self.margin_db),
            "detector": self.detector,
            "bound": self.bound.value,
            "frequency_hz": _r(self.frequency_hz, 1),
        }


@dataclass(frozen=True)
class FinalRow:
    """One emission of a port's final table; ``values`` maps a line (``QP``) to its value."""

    port: str
    frequency_hz: float
    values: dict[str, TableValue]

    @property
    def worst(self) -> TableValue:
        """The value with the smallest margin."""
        return min(self.values.values(), key=lambda v: v.margin_db)

    def to_json(self) -> dict[str, Any]:
        """Return the row as a JSON-ready mapping."""
        out: dict[str, Any] = {"port": self.port, "frequency_hz": _r(self.frequency_hz, 1)}
        for line, key in LINE_KEYS.items():
            v = self.values.get(line)
            out[key] = None if v is None else v.to_json()
        return out


def _best(cands: Sequence[TableValue]) -> TableValue:
    """Return a measured value (the worst), else the tightest bound.

    The tightest bound is the lowest upper bound, else the highest lower bound.
    """
    measured = [s for s in cands if s.bound is Bound.MEASURED]
    if measured:
        return min(measured, key=lambda s: s.margin_db)
    upper = [s for s in cands if s.bound is Bound.UPPER]
    if upper:
        return max(upper, key=lambda s: s.margin_db)
    return min(cands, key=lambda s: s.margin_db)


@dataclass(frozen=True)
class _Candidate:
    """An emission candidate: a suspect of the pool, or a cell's worst point."""

    frequency_hz: float
    limit_id: str
    margin_db: float
    suspect: Suspect | None = None


def _groups(cands: Sequence[_Candidate]) -> list[list[_Candidate]]:
    ordered = sorted(cands, key=lambda s: s.frequency_hz)
    groups: list[list[_Candidate]] = []
    for s in ordered:
        if (
            groups
            and s.frequency_hz - groups[-1][0].frequency_hz <= SAME_EMISSION_REL * s.frequency_hz
        ):
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


def _tolerance_hz(t: CorrectedTrace | PlotTrace) -> float:
    """Return how far from an emission a trace point still measures it [Hz].

    That is the trace's RBW or its frequency step, whichever is larger.
    """
    step = float(np.max(np.diff(t.freq_hz))) if t.freq_hz.size > 1 else 0.0
    rbw = getattr(t, "rbw_hz", None) or 0.0
    return max(step, float(rbw))


def _detector(t: CorrectedTrace | PlotTrace) -> str:
    d = t.detector
    return d if isinstance(d, str) else d.value


def _unit(t: CorrectedTrace | PlotTrace) -> str:
    u = t.unit
    return u if isinstance(u, str) else u.value


def _from_traces(
    f_hz: float,
    table: LimitTable,
    line: str,
    traces: Sequence[CorrectedTrace | PlotTrace],
    distance_m: float | None,
) -> TableValue | None:
    """Return the best evidence of a line at ``f_hz`` among the pooled traces.

    Every trace of the line's detector, or of a detector that bounds it, with a point
    within its RBW/step of ``f_hz`` gives one value (the nearest point, its bound after the
    verdict's demotions: :func:`rfcheck.verdict.bounds.point_bound`); :func:`_best` picks
    among them. Corrected traces carry reading and correction; plot traces do not.
    """
    limit = float(table.level_at(line, np.asarray([f_hz]), distance_m)[0])
    if not np.isfinite(limit):
        return None
    det = table.line(line).detector
    cands = []
    for t in traces:
        tdet = _detector(t)
        if _unit(t) != table.unit.value or not t.freq_hz.size:
            continue
        i = int(np.argmin(np.abs(t.freq_hz - f_hz)))
        if abs(float(t.freq_hz[i]) - f_hz) > _tolerance_hz(t) or not np.isfinite(t.level[i]):
            continue
        bound = point_bound(
            tdet,
            det,
            float(t.freq_hz[i]),
            table.line_range(line),
            rbw_hz=t.rbw_hz,
            settled=t.settled,
            mode=t.mode,
        )
        if bound is None:
            continue
        lev = float(t.level[i])
        reading = correction = conversion = None
        reading_unit = ""
        if isinstance(t, CorrectedTrace):
            reading, correction = float(t.reading[i]), float(t.correction_db[i])
            conversion = round(lev - reading - correction, 9) + 0.0
            reading_unit = t.reading_unit
        cands.append(
            TableValue(
                float(t.freq_hz[i]),
                lev,
                limit,
                limit - lev,
                _unit(t),
                bound,
                tdet,
                reading,
                correction,
                reading_unit,
                conversion,
            )
        )
    return _best(cands) if cands else None


def final_table(
    port: str,
    pooled: CaptureResult,
    distance_m: float | None,
    within_hz: Sequence[tuple[float, float]],
    rows: int = ROWS_PER_PORT,
    traces: Sequence[CorrectedTrace] | None = None,
    worst_points: Sequence[tuple[str, float, float]] = (),
) -> tuple[FinalRow, ...]:
    """Return the ``rows`` emissions of a port with the smallest margins, worst first.

    Parameters
    ----------
    port : str
    pooled : CaptureResult
        The port's captures judged as one measurement (candidates and corrected traces).
    distance_m : float or None
        Measurement distance of the limits. [m]
    within_hz : sequence of (float, float)
        The port's required ranges: emissions outside them (above the 15.33(b)(1) upper
        frequency, say) are not in the table. [Hz]
    rows : int
        Emissions to keep.
    traces : sequence of CorrectedTrace, optional
        The port's corrected traces with their readings (each value then shows reading,
        conversion and correction); None reads the pooled plot traces (levels only).
    worst_points : sequence of (str, float, float)
        Each cell's worst point (limit id, frequency [Hz], margin [dB]): a candidate even
        when the pool's candidate cap left it out, so every line of the port competes for
        the rows.
    """
    pool: Sequence[CorrectedTrace | PlotTrace] = pooled.plot_traces if traces is None else traces
    cands = [_Candidate(s.frequency_hz, s.limit_id, s.margin_db, s) for s in pooled.suspects]
    cands += [_Candidate(f, lid, m) for lid, f, m in worst_points]
    tables = {lid: load_shipped(lid) for lid in dict.fromkeys(c.limit_id for c in cands)}
    inside = [c for c in cands if any(a <= c.frequency_hz <= b for a, b in within_hz)]
    out = []
    for group in _groups(inside):
        worst = min(group, key=lambda s: (s.margin_db, s.frequency_hz))
        f0 = worst.frequency_hz
        table = tables[worst.limit_id]
        values: dict[str, TableValue] = {}
        for line in table.line_names:
            v = _from_traces(f0, table, line, pool, distance_m)
            if v is None:  # no trace point near enough: the line's own candidates
                own = [
                    TableValue.of(c.suspect)
                    for c in group
                    if c.suspect is not None and c.suspect.line == line and c.limit_id == table.id
                ]
                v = _best(own) if own else None
            if v is not None:
                values[line] = v
        if values:
            out.append(FinalRow(port, f0, {k: values[k] for k in LINE_KEYS if k in values}))
    out.sort(key=lambda r: (r.worst.margin_db, r.frequency_hz))
    return tuple(out[:rows])
