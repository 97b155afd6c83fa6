"""The final measurement table of a port, as accredited labs print it.

Per port the six highest emissions relative to the limit (ANSI C63.4 practice), over all the
port's lines (QP below 1 GHz and AV/PK above share the six rows): one row per emission
frequency with the quasi-peak, average and peak values side by side, each with its reading,
unit conversion, correction, level, limit, margin (``limit - level``), the detector of the
trace read and whether it is a measured value or a bound from another detector, and whether
rfcheck's receiver model computed it from an I/Q recording (:mod:`rfcheck.product.origin`).

Candidate emissions are the pool's emission candidates
(:attr:`rfcheck.results.CaptureResult.suspects`) plus each cell's worst point, inside the
port's cells, that lie at an emission of a pooled trace (a local maximum:
:mod:`rfcheck.product.peak_search`), plus each cell's local maxima with the smallest
margins; a cell whose traces have no local maximum (flat or monotone) lists no row and is
named (:class:`NoEmission`), its worst margin stated by the matrix, not as an emission.
Candidates within :data:`SAME_EMISSION_REL` of each other are one emission, at the
frequency of its worst candidate. Each line's value there is the best evidence among the
port's pooled traces: a measured value of the line's detector (the nearest point, within
the trace's RBW or step), else the tightest bound (the lowest upper bound, else the highest
lower bound). Rows are ranked by their smallest margin, then frequency. Each value names
the capture it was read from, and the values of the same kind the port's other captures
give there (:mod:`rfcheck.product.repeat_captures`).

The rows follow what decided each cell, read from the pool's line checks
(:mod:`rfcheck.product.final_candidates`): a group holding a line's worst point is shown
at it, with the reading that decided as the line's value; a reading the verdict set aside
(a coarse swept bucket reading whose emission a zoom located, say) is neither a row nor a
value; an upper bound standing for a bucket the verdict left unsettled names it
(:attr:`TableValue.unsettled_range_hz`); and a final measured beside such a row, which the
row shows only bounded, gets a row of its own. See ``docs/dossier.md``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from ..limits import LimitTable, load_shipped
from ..outcome import MARGIN_EPS_DB, Bound
from ..plotted import PlotTrace
from ..results import CaptureResult, LineCheck
from ..verdict import PEAK_EXCURSION_DB, CorrectedTrace
from ..verdict.bounds import BoundCode, reading_bounds
from ..verdict.coverage import is_sweep_grid
from .final_candidates import (
    SAME_EMISSION_REL,
    SAME_MARGIN_DB,
    Candidate,
    LineDecision,
    deciders,
    emission_groups,
    measured_elsewhere,
    measures,
    row_candidate,
    set_aside,
)
from .final_rows import LINE_KEYS, FinalRow, NoEmission, TableCell, TableValue
from .origin import origin_at
from .peak_search import at_emission, emission_frequencies, emission_mask
from .repeat_captures import repeat_readings

__all__ = [
    "TITLE",
    "ROWS_PER_PORT",
    "SAME_EMISSION_REL",
    "LINE_KEYS",
    "ROWS_CHOSEN",
    "TableValue",
    "FinalRow",
    "TableCell",
    "NoEmission",
    "final_table",
    "cells_without_emission",
]

#: Title of the table in the rendered record.
TITLE = "Final measurements (six highest emissions relative to the limit, per port; ANSI C63.4)"
#: How the rows are chosen, under the title of the rendered table.
ROWS_CHOSEN = (
    "Rows are emissions: local maxima of a trace (a reading strictly above its neighbours, "
    "or the first of a run of equal readings with lower readings on both sides), as a "
    "receiver's peak search finds them; a trace's first or last reading only when it stands "
    f"{PEAK_EXCURSION_DB:g} dB or more above the reading next to it (an emission cut by "
    "the scan's edge), so a flat noise floor or a slope has none. A cell's worst margin is "
    "in the completeness matrix, whether or not it is an emission."
)
#: Emissions per port in the final table (ANSI C63.4 practice: the six highest).
ROWS_PER_PORT = 6


def _off(v: TableValue, at_hz: float | None) -> float:
    """How far ``v`` was read from the row's frequency ``at_hz`` (0 without one) [Hz]."""
    return 0.0 if at_hz is None else abs(v.frequency_hz - at_hz)


def _best(cands: Sequence[TableValue], at_hz: float | None = None) -> TableValue:
    """Return a measured value (the worst), else the tightest bound.

    The tightest bound is the lowest upper bound, else the highest lower bound. Of equal
    ones, the one read nearest the row's frequency ``at_hz`` [Hz] (the first without it).
    """
    measured = [s for s in cands if s.bound is Bound.MEASURED]
    if measured:
        return min(measured, key=lambda s: (s.margin_db, _off(s, at_hz)))
    upper = [s for s in cands if s.bound is Bound.UPPER]
    if upper:
        return min(upper, key=lambda s: (-s.margin_db, _off(s, at_hz)))
    return min(cands, key=lambda s: (s.margin_db, _off(s, at_hz)))


@dataclass(frozen=True, eq=False)
class _Source:
    """A pooled trace with what every lookup in it needs, worked out once."""

    trace: CorrectedTrace | PlotTrace
    detector: str
    unit: str
    tolerance_hz: float  #: how far from an emission a point still measures it [Hz]
    ascending: bool  #: frequencies never decrease (nearest points by binary search)
    capture: str = ""  #: the capture file the trace was read from ("" not known)

    @classmethod
    def of(cls, t: CorrectedTrace | PlotTrace, capture: str = "") -> _Source:
        """Describe ``t`` (read from ``capture``).

        A sweep's point measures an emission up to a step or an RBW away (the nearest point
        of its grid); a final-measurement list's only within half its RBW
        (:func:`rfcheck.verdict.coverage.is_sweep_grid`): a quasi-peak reading 65 kHz off
        is no reading of the emission.
        """
        f = t.freq_hz
        steps = np.diff(f)
        rbw = float(getattr(t, "rbw_hz", None) or 0.0)
        if is_sweep_grid(f):
            tolerance = max(float(np.max(steps)), rbw)
        else:
            tolerance = rbw / 2.0
        d, u = t.detector, t.unit
        return cls(
            t,
            d if isinstance(d, str) else d.value,
            u if isinstance(u, str) else u.value,
            tolerance,
            bool(np.all(steps >= 0)),
            capture,
        )

    def nearest(self, f_hz: NDArray[np.float64]) -> NDArray[np.intp]:
        """Return the index of the point nearest each of ``f_hz`` (the first among equals)."""
        f = self.trace.freq_hz
        if not self.ascending:
            return np.array([int(np.argmin(np.abs(f - x))) for x in f_hz], dtype=np.intp)
        hi = np.clip(np.searchsorted(f, f_hz, side="left"), 0, f.size - 1)
        lo = np.searchsorted(f, f[np.maximum(hi - 1, 0)], side="left")  # first of its value
        below = (hi > 0) & (np.abs(f[lo] - f_hz) <= np.abs(f[hi] - f_hz))
        out: NDArray[np.intp] = np.where(below, lo, hi).astype(np.intp)
        return out


def _line_values(
    f_hz: NDArray[np.float64],
    table: LimitTable,
    line: str,
    sources: Sequence[_Source],
    distance_m: float | None,
    decided: LineDecision | None = None,
    deciding: Sequence[bool] = (),
    bounds_first: bool = True,
) -> list[TableValue | None]:
    """Return the best evidence of a line at each of ``f_hz`` among the pooled traces.

    Every trace of the line's detector, or of a detector that bounds it, with a point
    within its RBW/step of the frequency gives one value (the nearest point, its bound
    after the verdict's demotions: :func:`rfcheck.verdict.bounds.reading_bounds`), except a
    reading the verdict set aside (``decided``: :attr:`LineDecision.set_aside_below`);
    :func:`_best` picks among them, and the values of its kind from the other captures are
    kept with it (:func:`~rfcheck.product.repeat_captures.repeat_readings`). At a row that
    is its line's worst point (``deciding``, per frequency) the value is the reading that
    decided the line, when a trace gives it there. Corrected traces carry reading and
    correction; plot traces do not. An upper bound over the limit in a range the line
    still needs measured names it (:attr:`TableValue.unsettled_range_hz`), and with
    ``bounds_first`` is the value over a measurement beside it (:func:`_unsettled_first`).
    """
    limit = table.level_at(line, f_hz, distance_m)
    det = table.line(line).detector
    aside = -np.inf if decided is None else decided.set_aside_below
    cands: list[list[TableValue]] = [[] for _ in range(f_hz.size)]
    for src in sources:
        t = src.trace
        if src.unit != table.unit.value or not t.freq_hz.size:
            continue
        i = src.nearest(f_hz)
        at = np.flatnonzero(
            np.isfinite(limit)
            & (np.abs(t.freq_hz[i] - f_hz) <= src.tolerance_hz)
            & np.isfinite(t.level[i])
        )
        bounds = reading_bounds(
            src.detector,
            det,
            t.freq_hz[i[at]],
            table.line_range(line),
            rbw_hz=t.rbw_hz,
            settled=t.settled,
            mode=t.mode,
            rbw_floor_above_hz=table.rbw_floor_above_hz,
        )
        if bounds is None:
            continue
        # the limit where each reading was taken (a step away from the row at most)
        taken_at = table.level_at(line, t.freq_hz[i[at]], distance_m).tolist()
        for k, b, lim in zip(at.tolist(), bounds.tolist(), taken_at, strict=True):
            if b == BoundCode.NONE:
                continue
            j = int(i[k])
            lev = float(t.level[j])
            if not np.isfinite(lim) or lim - lev < aside:
                continue
            reading = correction = conversion = None
            reading_unit = ""
            if isinstance(t, CorrectedTrace):
                reading, correction = float(t.reading[j]), float(t.correction_db[j])
                conversion = round(lev - reading - correction, 9) + 0.0
                reading_unit = t.reading_unit
            cands[k].append(
                TableValue(
                    float(t.freq_hz[j]),
                    lev,
                    lim,
                    lim - lev,
                    src.unit,
                    BoundCode(b).bound,
                    src.detector,
                    reading,
                    correction,
                    reading_unit,
                    conversion,
                    t.computed_from,
                    t.channel,
                    src.capture,
                )
            )
    out: list[TableValue | None] = []
    for k, c in enumerate(cands):
        decides = decided is not None and k < len(deciding) and deciding[k]
        v = _kept(c, float(f_hz[k]), decided.check if decides and decided else None) if c else None
        if v is not None and c and decided is not None and bounds_first:
            v = _unsettled_first(v, c, decided)
        out.append(None if v is None else _opened(v, decided))
    return out


def _unsettled_first(
    v: TableValue, cands: Sequence[TableValue], decided: LineDecision
) -> TableValue:
    """Return the bound over the limit of a bucket still unsettled, rather than ``v``.

    A final at a coarse bucket's grid point measures its own passband, not the bucket: the
    line still needs the bucket measured, and its upper bound over the limit is what the row
    shows (named as the bucket's, :func:`_opened`); the final is a row of its own
    (:func:`~rfcheck.product.final_candidates.measured_elsewhere`), never shown alone as if
    the bucket had passed.
    """
    over = [
        c
        for c in cands
        if c.bound is Bound.UPPER
        and c.margin_db < -MARGIN_EPS_DB
        and decided.unsettled_range(c.frequency_hz) is not None
    ]
    if not over or v in over:
        return v
    best = _best(over, v.frequency_hz)
    return replace(best, repeats=repeat_readings(best, cands, _best))


def _same_values(a: dict[str, TableValue], b: dict[str, TableValue]) -> bool:
    """Whether two rows show the same readings (a measurement's row that adds nothing)."""
    return a.keys() == b.keys() and all(_reading_key(a[n]) == _reading_key(b[n]) for n in a)


def _reading_key(v: TableValue) -> tuple[Bound, float, float]:
    """Return a value's bound, margin [dB] and frequency [Hz], as rounded for the table."""
    return (v.bound, round(v.margin_db, 2), round(v.frequency_hz, 1))


def _opened(v: TableValue, decided: LineDecision | None) -> TableValue:
    """Return ``v`` naming the range its line still needs measured, when it stands for one.

    An upper bound over the limit inside an unsettled swept bucket (``needs_ranges_hz``):
    its emission may lie anywhere in that bucket, not at the reading's grid frequency.
    """
    if decided is None or v.bound is not Bound.UPPER or v.margin_db >= -MARGIN_EPS_DB:
        return v
    span = decided.unsettled_range(v.frequency_hz)
    return v if span is None else replace(v, unsettled_range_hz=span)


def _kept(
    cands: Sequence[TableValue],
    at_hz: float | None = None,
    check: LineCheck | None = None,
) -> TableValue:
    """Return :func:`_best` of ``cands`` with the other captures' values of its kind.

    ``check``: the line's check when the row is its worst point (``at_hz`` [Hz]): the value
    is then the reading that decided it (its frequency and margin), when one of ``cands`` is.
    """
    pool = cands
    if check is not None and check.worst_margin_db is not None:
        fw, mw = check.worst_frequency_hz, check.worst_margin_db
        same = [
            c
            for c in cands
            if fw is not None
            and abs(c.frequency_hz - fw) <= 0.5
            and abs(c.margin_db - mw) <= SAME_MARGIN_DB
        ]
        pool = same or cands
    best = _best(pool, at_hz)
    return replace(best, repeats=repeat_readings(best, cands, _best))


def _read(table: LimitTable, lines: Collection[tuple[str, str]] | None) -> list[str]:
    """Return the lines of ``table`` a pool's rows read (all of them when ``lines`` is None)."""
    return [ln for ln in table.line_names if lines is None or (table.id, ln) in lines]


#: Local maxima of a trace looked at per cell, smallest margins first (of many noise peaks
#: around one emission only the first is kept, one per :data:`SAME_EMISSION_REL`).
_PEAKS_LOOKED_AT = 64 * ROWS_PER_PORT


def _cell_peaks(
    cell: TableCell,
    table: LimitTable,
    sources: Sequence[_Source],
    masks: Sequence[NDArray[np.bool_]],
    distance_m: float | None,
    rows: int,
) -> list[Candidate]:
    """Return the ``rows`` emissions of each trace in ``cell`` with the smallest margins.

    The margin of a trace's level against the cell's line (how the candidates rank; each
    row then reads every line's best evidence there).
    """
    out: list[Candidate] = []
    line_det = table.line(cell.line).detector
    for src, mask in zip(sources, masks, strict=True):
        f, level = src.trace.freq_hz, src.trace.level
        if src.unit != table.unit.value:
            continue
        measured = measures(src.detector, line_det)
        idx = np.flatnonzero(mask & (f >= cell.start_hz) & (f <= cell.stop_hz))
        if not idx.size:
            continue
        margin = table.level_at(cell.line, f[idx], distance_m) - level[idx]
        keep = np.isfinite(margin)
        idx, margin = idx[keep], margin[keep]
        if idx.size > _PEAKS_LOOKED_AT:
            part = np.argpartition(margin, _PEAKS_LOOKED_AT - 1)[:_PEAKS_LOOKED_AT]
            idx, margin = idx[part], margin[part]
        chosen: list[float] = []
        for k in np.lexsort((f[idx], margin)).tolist():
            fk = float(f[idx[k]])
            if any(abs(fk - c) <= SAME_EMISSION_REL * max(fk, c) for c in chosen):
                continue
            chosen.append(fk)
            out.append(
                Candidate(
                    fk,
                    cell.limit_id,
                    float(margin[k]),
                    line=cell.line,
                    measured=measured,
                )
            )
            if len(chosen) >= rows:
                break
    return out


def cells_without_emission(
    traces: Sequence[CorrectedTrace | PlotTrace], cells: Sequence[TableCell]
) -> tuple[TableCell, ...]:
    """Return the ``cells`` in which no trace of their limit's unit has a local maximum.

    A flat noise floor, or a trace rising or falling across the cell: its first reading may
    be the cell's worst margin, but it is no emission, so the final table lists none.
    """
    masks = [emission_mask(t) for t in traces]
    out = []
    for cell in cells:
        unit = load_shipped(cell.limit_id).unit.value
        if not any(
            bool((m & (t.freq_hz >= cell.start_hz) & (t.freq_hz <= cell.stop_hz)).any())
            for t, m in zip(traces, masks, strict=True)
            if (t.unit if isinstance(t.unit, str) else t.unit.value) == unit
        ):
            out.append(cell)
    return tuple(out)


def _values(
    at: Sequence[Candidate],
    groups: Sequence[Sequence[Candidate]],
    tables: dict[str, LimitTable],
    sources: Sequence[_Source],
    distance_m: float | None,
    lines: Collection[tuple[str, str]] | None,
    decided: dict[tuple[str, str], LineDecision],
    pool: Sequence[CorrectedTrace | PlotTrace],
    files: Sequence[str],
    bounds_first: bool = True,
) -> list[dict[str, TableValue]]:
    """Return each line's value at each row candidate ``at`` (of ``groups``).

    Each line's evidence at every row of its table at once (:func:`_line_values`); where no
    trace point is near enough, the line's own candidates in the group.
    """
    found: dict[tuple[int, str], TableValue | None] = {}
    for lid, table in tables.items():
        of_table = [k for k, w in enumerate(at) if w.limit_id == lid]
        if not of_table:
            continue
        f0 = np.array([at[k].frequency_hz for k in of_table], dtype=np.float64)
        for line in _read(table, lines):
            d = decided.get((lid, line))
            deciding = [at[k].decides and at[k].line == line for k in of_table]
            got = _line_values(f0, table, line, sources, distance_m, d, deciding, bounds_first)
            for k, v in zip(of_table, got, strict=True):
                found[(k, line)] = v
    out: list[dict[str, TableValue]] = []
    for k, group in enumerate(groups):
        table = tables[at[k].limit_id]
        values: dict[str, TableValue] = {}
        for line in _read(table, lines):
            v = found[(k, line)]
            if v is None:  # no trace point near enough: the line's own candidates
                own = [
                    TableValue.of(
                        c.suspect,
                        origin_at(
                            pool,
                            c.suspect.unit,
                            c.suspect.frequency_hz,
                            c.suspect.level,
                            files,
                        ),
                    )
                    for c in group
                    if c.suspect is not None and c.suspect.line == line and c.limit_id == table.id
                ]
                v = _best(own, at[k].frequency_hz) if own else None
            if v is not None:
                values[line] = v
        out.append(values)
    return out


def final_table(
    port: str,
    pooled: CaptureResult,
    distance_m: float | None,
    within_hz: Sequence[tuple[float, float]],
    rows: int = ROWS_PER_PORT,
    traces: Sequence[CorrectedTrace] | None = None,
    worst_points: Sequence[tuple[str, float, float]] = (),
    captures: Sequence[str] | None = None,
    lines: Collection[tuple[str, str]] | None = None,
    cells: Sequence[TableCell] | None = None,
) -> tuple[FinalRow, ...]:
    """Return the ``rows`` emissions of a port with the smallest margins, worst first.

    Parameters
    ----------
    port : str
    pooled : CaptureResult
        The port's captures judged as one measurement (candidates and corrected traces).
    distance_m : float or None
        Measurement distance of the pool, its limits re-expressed there; each row names it
        (None: conducted). [m]
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
    captures : sequence of str, optional
        The capture each of ``traces`` was read from (one per trace): each value names it.
    lines : collection of (str, str), optional
        The (limit id, line) the pool measured a cell of, when the port has a pool per
        distance: its rows read no other line (the first point of a 1-6 GHz scan at 3 m
        bounds QP at 1000 MHz, a cell the 10 m pool measured). None: every line.
    cells : sequence of TableCell, optional
        The cells the pool measured: rows are then emissions only, local maxima of a trace
        (:mod:`rfcheck.product.peak_search`), each cell's with the smallest margins
        competing; a suspect or worst point elsewhere (a flat trace's first reading) is no
        row. None: every candidate (the rows of readings over a limit beyond the cells).
    """
    pool: Sequence[CorrectedTrace | PlotTrace] = pooled.plot_traces if traces is None else traces
    files = list(captures) if captures is not None and traces is not None else [""] * len(pool)
    decided = {
        (c.limit_id, c.line): LineDecision(c)
        for c in pooled.checks
        if lines is None or (c.limit_id, c.line) in lines
    }
    suspects = [s for s in pooled.suspects if lines is None or (s.limit_id, s.line) in lines]
    cands = [
        Candidate(
            s.frequency_hz,
            s.limit_id,
            s.margin_db,
            s,
            line=s.line,
            measured=s.bound is Bound.MEASURED,
        )
        for s in suspects
    ]
    cands += [Candidate(f, lid, m) for lid, f, m in worst_points]
    cands += deciders(decided.values(), cells)
    sources = [_Source.of(t, c) for t, c in zip(pool, files, strict=True)]
    if cells is not None:
        masks = [emission_mask(t) for t in pool]
        emissions = emission_frequencies(pool, masks)
        cands = [replace(c, emission=at_emission(c.frequency_hz, emissions)) for c in cands]
        for cell in cells:
            table = load_shipped(cell.limit_id)
            cands += _cell_peaks(cell, table, sources, masks, distance_m, rows)
    # a reading the verdict set aside is no emission of the table, nor a line's value
    cands = [c for c in cands if not set_aside(c, decided)]
    tables = {lid: load_shipped(lid) for lid in dict.fromkeys(c.limit_id for c in cands)}
    inside = [c for c in cands if any(a <= c.frequency_hz <= b for a, b in within_hz)]
    groups = [g for g in emission_groups(inside) if any(c.emission for c in g)]
    at = [row_candidate(g) for g in groups]
    values = _values(at, groups, tables, sources, distance_m, lines, decided, pool, files)
    # a group shown as a bound of a line that one of its candidates measured (a final in an
    # unsettled swept bucket, at its grid point or beside it): that measurement is a row too
    extra = [
        (m, g)
        for g, v in zip(groups, values, strict=True)
        if (m := measured_elsewhere(g, v)) is not None
    ]
    more = _values(
        [m for m, _ in extra],
        [g for _, g in extra],
        tables,
        sources,
        distance_m,
        lines,
        decided,
        pool,
        files,
        bounds_first=False,  # the measurement itself, not the bucket's bound again
    )
    shown = {id(g): v for g, v in zip(groups, values, strict=True)}
    kept = [
        (m, v) for (m, g), v in zip(extra, more, strict=True) if not _same_values(v, shown[id(g)])
    ]
    out = [
        FinalRow(
            port,
            r.frequency_hz,
            {n: v[n] for n in LINE_KEYS if n in v},
            distance_m=distance_m,
        )
        for r, v in zip([*at, *(m for m, _ in kept)], [*values, *(v for _, v in kept)], strict=True)
        if v
    ]
    out.sort(key=lambda r: (r.worst.margin_db, r.frequency_hz))
    return tuple(out[:rows])
