"""The lot's verdict: the 80/80 statistics over the units shown identical, and every unit's own.

:func:`judge_lot` takes each unit's result (its own ``check`` verdict per port, its
comparison with the golden unit) and decides the lot (``docs/lot.md``, "Lot verdict"):

- a unit whose own measurement fails a limit line fails the lot (FAIL, named with the line
  and frequency): the 80/80 rule says what share of production complies, it does not clear
  a unit measured over the limit;
- the 80/80 rule (:func:`lot_statistics`, :func:`rfcheck.lot.statistics.evaluate`) over the
  golden unit and the units shown identical to it, per port, line and emission frequency;
- units shown different, or whose captures state another model, are left out of the
  statistics and make the lot at most INCONCLUSIVE, as does a unit whose own verdict is
  INCONCLUSIVE, in the statistics or not; missing data makes it INCOMPLETE, a port the
  setup's ``[plan]`` requires that no unit was measured on too (each unit INCOMPLETE for it,
  as for a port of the lot it has no capture of).

References
----------
CISPR TR 16-4-3 (the 80/80 rule); 47 CFR 2.906(b), 2.908 (identical to the tested sample).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..frequency import format_mhz
from ..outcome import Bound, Verdict, combine_verdicts
from .deep_rows import deep_points, depth_db, floor_margin_db, may_reach, unit_peaks
from .distance import LevelDistance, level_distance
from .emissions import Emission, EmissionList
from .fingerprint import unit_tolerance_hz
from .ranges import statistics_range_note
from .readings import Reading
from .results import LotResult, StatRow, UnitResult, failed_by_rule_only
from .scope import PlanPorts, measured_ports, plan_gap_text, ports_scope_text
from .statistics import MIN_UNITS_T, NORMALITY_ALPHA, evaluate, k_text, min_units_binomial
from .verdict_text import shown_names

__all__ = [
    "lot_statistics",
    "port_distances",
    "judge_lot",
    "failed_units_note",
    "undecided_units_note",
    "unmeasured_units_note",
    "declared_not_measured_note",
]


def _clusters(points: Sequence[tuple[float, str]], tol_hz: float) -> list[list[tuple[float, str]]]:
    """Group the units' emission frequencies [Hz] within the pairing tolerance of each other.

    ``points`` are (frequency, unit) pairs; the tolerance between two units is ``tol_hz``
    plus the clock tolerance (:func:`rfcheck.lot.fingerprint.unit_tolerance_hz`), as
    :mod:`rfcheck.lot.fingerprint` pairs them. By frequency, each joins the group of the one
    before when within it and its unit has no emission in that group yet: two emissions of one
    capture that its sweep resolved are two frequencies (two rows), however close, never one.
    Returns the groups' (frequency, unit) members.
    """
    out: list[list[tuple[float, str]]] = []
    for f, unit in sorted(points):
        if (
            out
            and f - out[-1][-1][0] <= unit_tolerance_hz(tol_hz, f)
            and all(u != unit for _, u in out[-1])
        ):
            out[-1].append((f, unit))
        else:
            out.append([(f, unit)])
    return out


@dataclass(frozen=True)
class _UnitReading:
    """One unit's value in a statistics row: the reading, where it is, or why there is none."""

    reading: Reading | None
    frequency_hz: float
    #: no reading at all (missing data): ``<unit> (no reading: ...)``
    unused: str = ""
    #: a reading that may not be the level of the unit's emission (a skirt): why
    unsettled: str = ""


def _unit_reading(
    name: str,
    el: EmissionList,
    key: tuple[str, str],
    f: float,
    paired: Emission | None,
    tol_hz: float,
) -> _UnitReading:
    """Return a unit's value in the row at ``f`` for line ``key``.

    A unit with an emission in the row (``paired``) is read at that emission: the reading the
    row was formed with, its level as the unit's own ``check`` reads it. A unit with none is
    read within the same pairing tolerance of ``f`` (its best reading there). When such a unit
    has a stronger peak just outside that tolerance, the reading may be on that peak's skirt
    (the same emission drifted further, or another one: the data do not say), so it is
    returned as unsettled, never used as a lower level.
    """
    if paired is not None:
        r = paired.reading(key)
        if r is not None:
            return _UnitReading(r, paired.frequency_hz)
    if not el.judges(f):  # outside the requested range its own verdict judges
        return _UnitReading(None, f, unused=f"{name} (no reading: outside the requested range)")
    window = unit_tolerance_hz(tol_hz, f)
    r = el.reading_at(f, key, window)
    if r is None:
        return _UnitReading(None, f, unused=f"{name} (no reading: {el.no_reading_why(f, window)})")
    reach = window + el.match_tolerance_hz / 2.0  # a peak's own reading neighbourhood
    skirt = [
        p
        for p in el.peaks
        if window < abs(p.frequency_hz - f) <= reach
        and (pr := p.reading(key)) is not None
        and pr.level > r.level
    ]
    if skirt:
        p = min(skirt, key=lambda e: abs(e.frequency_hz - f))
        return _UnitReading(
            r,
            f,
            unsettled=(
                f"{name}: no emission within the pairing tolerance of {format_mhz(f)}, and a "
                f"stronger one at {format_mhz(p.frequency_hz)} just outside it, so its reading "
                "here may be that emission's filter skirt, not its level (the same emission "
                "drifted further, or another one: the data do not say)"
            ),
        )
    return _UnitReading(r, f)


def port_distances(port: str, units: dict[str, EmissionList], golden: str) -> list[LevelDistance]:
    """Return the distance the port's levels are taken at, per radiated limit of the golden unit.

    :func:`rfcheck.lot.distance.level_distance`: the distance every unit was measured at,
    else the limit's specified distance.
    """
    out = []
    for table in units[golden].tables:
        dist = level_distance(port, table, units)
        if dist is not None:
            out.append(dist)
    return out


@dataclass(frozen=True)
class _RowData:
    """The values of one statistics row, before the rule is applied."""

    frequency_hz: float
    levels: tuple[tuple[str, float], ...]
    kinds: tuple[Bound, ...]
    bounds: tuple[str, ...]  #: units with a bound only: ``<unit>: <detector> (<bound>)``
    unused: tuple[str, ...]  #: no measured value at all: not a bound, missing data
    unsettled: tuple[str, ...]  #: a reading that may be a skirt, not the emission
    limit: float
    unit: str


def _row_data(
    units: dict[str, EmissionList],
    key: tuple[str, str],
    f: float,
    members: dict[str, Emission],
    tol_hz: float,
    dist: LevelDistance | None,
) -> _RowData | None:
    """Read every unit for the row at ``f`` (None: no unit has a limit there)."""
    levels: list[tuple[str, float]] = []
    kinds: list[Bound] = []
    bounds: list[str] = []
    unused: list[str] = []
    unsettled: list[str] = []
    limits: list[float] = []
    unit = ""
    for name, el in units.items():
        got = _unit_reading(name, el, key, f, members.get(name), tol_hz)
        r = got.reading
        if r is None:
            unused.append(got.unused)
            continue
        if got.unsettled:
            unsettled.append(got.unsettled)
        fr = got.frequency_hz
        offset = 0.0 if dist is None else dist.reading_offset_db(r, fr)
        if dist is not None and not np.isfinite(offset):  # its verdict refuses it too
            unused.append(f"{name} (no 47 CFR 15.31(f) conversion to {dist.distance_m:g} m)")
            continue
        levels.append((name, r.level + offset))
        kinds.append(r.bound)
        limits.append(r.limit + offset)
        unit = r.unit
        if r.bound is not Bound.MEASURED:
            bounds.append(f"{name}: {r.detector} ({r.bound.value})")
    if not limits:
        return None
    # units read at their own emission: the tightest of their limits
    return _RowData(
        f,
        tuple(levels),
        tuple(kinds),
        tuple(bounds),
        tuple(unused),
        tuple(unsettled),
        min(limits),
        unit,
    )


def _rows_of(
    units: dict[str, EmissionList],
    golden: str,
    key: tuple[str, str],
    points: dict[tuple[float, str], Emission],
    tol_hz: float,
    dist: LevelDistance | None,
) -> list[_RowData | None]:
    """Return the rows of the points' clusters (:func:`_clusters`), one per cluster."""
    out: list[_RowData | None] = []
    for cluster in _clusters(list(points), tol_hz):
        members = {name: points[(x, name)] for x, name in cluster}
        f = members[golden].frequency_hz if golden in members else cluster[0][0]
        out.append(_row_data(units, key, f, members, tol_hz, dist))
    return out


def lot_statistics(
    port: str,
    units: dict[str, EmissionList],
    golden: str,
    window_db: float,
    tol_hz: float,
    distances: list[LevelDistance] | None = None,
) -> list[StatRow]:
    """Return the 80/80 rows of one port over the given units (the golden unit first).

    For each limit line: the emission frequencies of every unit with a reading within
    ``window_db`` of that line are merged within ``tol_hz`` plus the clock tolerance (100 ppm
    of f), one emission per unit in a cluster (:func:`_clusters`; the golden unit's frequency
    names a cluster it is in, else the lowest member). A unit with an emission in the cluster
    is read at that emission (its level as its own ``check`` reads it); one with
    none, within the same tolerance of the row's frequency (:func:`_unit_reading`: a reading
    that may be a stronger emission's skirt makes the row INCONCLUSIVE, never a lower level).
    The limit is the tightest at the units' frequencies; then the rule is applied.
    Below the window, the units' emissions as deep as a row's ``x̄ + k·S_n`` could still come
    within the window of the line form rows the same way, kept when it does
    (:mod:`rfcheck.lot.deep_rows`): the spread can fail the rule where no unit is close.
    A reading outside a requested range (the setup's ``range_hz``) is not judged, as the
    unit's own verdict does not judge it (:meth:`~rfcheck.lot.emissions.EmissionList.judges`).
    A radiated line's levels and limit are taken at one distance (``distances``, default
    :func:`port_distances`): a unit measured at another has its levels re-expressed there by
    the 47 CFR 15.31(f) conversion its own verdict applied to the limit, each reading from
    the distance it was read at (a port measured at two distances: that of the group whose
    scan covers the frequency, :meth:`~rfcheck.lot.emissions.EmissionList.reading_at`).
    """
    rows: list[StatRow] = []
    ref = units[golden]
    if distances is None:
        distances = port_distances(port, units, golden)
    dist_of = {d.limit_id: d for d in distances}
    depths = {
        key: depth_db(window_db, floor_margin_db(units, key), len(units)) for key in ref.lines()
    }
    deepest = max(depths.values(), default=window_db)
    peaks = {name: unit_peaks(el, deepest) for name, el in units.items()}
    for key in ref.lines():
        dist = dist_of.get(key[0])
        listed = {
            (e.frequency_hz, name): e
            for name, el in units.items()
            for e in el.emissions
            if (r := e.reading(key)) is not None
            and r.margin_db <= window_db
            and el.judges(e.frequency_hz)  # the unit's own verdict judges no reading outside
        }
        found = _rows_of(units, golden, key, listed, tol_hz, dist)
        deep = deep_points(units, peaks, key, depths[key], [f for f, _ in listed], tol_hz)
        kept = [
            d
            for d in _rows_of(units, golden, key, deep, tol_hz, dist)
            if d is not None and may_reach([x for _, x in d.levels], d.limit, window_db)
        ]
        # Bonferroni over the line's frequencies (the listed ones and those kept below)
        alpha = NORMALITY_ALPHA / max(1, len(found) + len(kept))
        det = ref.tables[[t.id for t in ref.tables].index(key[0])].line(key[1]).detector.value
        for d in [x for x in found if x is not None] + kept:
            f = d.frequency_hz
            needs = f"{det} readings needed at {format_mhz(f)} for " + "; ".join(d.bounds)
            outcome = evaluate(
                [x for _, x in d.levels],
                d.limit,
                all_measured=not d.bounds,
                needs=needs,
                alpha=alpha,
                not_measured=(
                    f"not measured at {format_mhz(f)}: " + "; ".join(d.unused) if d.unused else ""
                ),
                bounds=d.kinds,
                unsettled="; ".join(d.unsettled),
            )
            rows.append(StatRow(port, key[0], key[1], f, d.unit, outcome, d.levels, dist))
    return sorted(rows, key=lambda r: (r.port, r.frequency_hz, r.limit_id, r.line))


def _left_out_notes(results: Sequence[UnitResult], same: Sequence[UnitResult]) -> list[str]:
    """Say which units the statistics leave out, and why (one note per reason)."""
    head = "statistics over the units shown identical to the golden unit; left out"
    other = [u.unit for u in results if u not in same and u.other_model]
    left_out = [u for u in results if u not in same and u.differences]
    unread = [u.unit for u in results if u not in same and u.errors and not u.differences]
    serials = [u.unit for u in results if u not in same and u.serial_conflict]
    firmware = [u.unit for u in results if u not in same and u.other_firmware]
    gaps = [
        u.unit
        for u in results
        if u not in same and u.identity == "unknown" and not u.errors and not u.serial_conflict
    ]
    notes = []
    if other:
        notes.append(
            f"{head} (its captures state another DUT model than the lot's, so it is not the "
            f"tested model): {', '.join(other)}"
        )
    if firmware:
        notes.append(
            f"{head} (its captures state another DUT firmware than the golden unit's, so it "
            f"is not an identical unit, 47 CFR 2.906(b), 2.908): {', '.join(firmware)}"
        )
    if serials:
        notes.append(
            f"{head} (more than one DUT serial stated for it, by its captures or "
            f"[dut.serials], so its data cannot be attributed to one device): " + ", ".join(serials)
        )
    if left_out:
        notes.append(
            f"{head} (a reading shows a difference from the golden unit, so not shown "
            "identical; still a unit of this lot, its own verdict counts): "
            + ", ".join(shown_names(left_out))
        )
    if unread:
        notes.append(
            f"{head} (a capture could not be read or judged, so not compared): " + ", ".join(unread)
        )
    if gaps:
        notes.append(
            f"{head} (identity cannot be shown for missing data: a port's capture missing, or no "
            "reading where the other unit has a strongest emission): " + ", ".join(gaps)
        )
    return notes


def failed_units_note(results: Sequence[UnitResult]) -> str:
    """Return the note naming each unit measured over a limit, with its lines ("": none)."""
    failed = [u for u in results if u.verdict is Verdict.FAIL]
    if not failed:
        return ""
    rule_only = failed_by_rule_only(failed)
    what = "a limit, or the decision rule's acceptance limit," if rule_only else "a limit,"
    return (
        f"FAIL: a unit's own measurement is over {what} which the 80/80 statistics do not "
        "clear: "
        + "; ".join(
            f"{u.unit} ({'; '.join(f.text for f in u.failures) or 'its check verdict FAIL'})"
            for u in failed
        )
    )


def undecided_units_note(units: Sequence[UnitResult]) -> str:
    """Return the note naming each unit whose own measurement is undecided ("": none).

    A unit whose own ``check`` verdict is INCONCLUSIVE (an upper bound over a line, or
    readings that bound nothing, e.g. an RBW not stated) may be over a limit: as a unit
    measured over one, the 80/80 statistics do not clear it, so the lot is at most
    INCONCLUSIVE, whether or not its readings reached the statistics.
    """
    names = [u.unit for u in units if u.verdict is Verdict.INCONCLUSIVE]
    if not names:
        return ""
    return (
        "INCONCLUSIVE: a unit's own measurement does not decide a limit line (its check "
        "verdict INCONCLUSIVE), which the 80/80 statistics do not settle: " + ", ".join(names)
    )


def unmeasured_units_note(units: Sequence[UnitResult]) -> str:
    """Return the note naming each unit measured over part of a line's range only ("": none).

    Its own ``check`` verdict INCOMPLETE: where it was not measured it adds no reading to
    the statistics, so nothing there shows the rule met: the lot is at most INCOMPLETE.
    """
    names = [u.unit for u in units if u.verdict is Verdict.INCOMPLETE and not u.missing_ports]
    if not names:
        return ""
    return (
        "INCOMPLETE: a unit's own measurement leaves part of a line's range not measured (its "
        "check verdict INCOMPLETE), where the statistics have no reading of it: " + ", ".join(names)
    )


def declared_not_measured_note(absent: Sequence[tuple[str, str]]) -> str:
    """Return the note naming each unit ``[dut.serials]`` declares with no capture ("": none).

    Not measured, it is not covered by the lot verdict, which is therefore not a PASS for
    the declared lot: at most INCOMPLETE, as the dossier's entry reads a serial its
    ``tested_serials`` lists that no unit has.
    """
    if not absent:
        return ""
    return (
        f"INCOMPLETE: {len(absent)} unit(s) the setup's [dut.serials] declares have no capture "
        "in the lot (not measured), so the lot verdict does not cover them: "
        + ", ".join(f"{u} ({s})" for u, s in absent)
    )


def _with_plan_gap(
    results: Sequence[UnitResult], plan: PlanPorts
) -> tuple[list[UnitResult], tuple[str, ...]]:
    """Return the units with the ``[plan]`` ports no unit measured, and those ports.

    A port the plan requires (:attr:`PlanPorts.required`) that no unit has a capture of is
    missing data on every unit, as a port of the lot is on a unit without a capture of it:
    each unit is INCOMPLETE for it, and names it (:attr:`UnitResult.plan_gap`).
    """
    measured = measured_ports(results)
    gap = tuple(p for p in plan.required if p not in measured)
    if not gap:
        return list(results), ()
    text = plan_gap_text(plan.named, [p for p in plan.named if p not in measured], gap)
    return [
        replace(
            u,
            missing_ports=u.missing_ports + gap,
            plan_gap=text,
            verdict=combine_verdicts([u.verdict, Verdict.INCOMPLETE]),
        )
        for u in results
    ], gap


def judge_lot(
    golden: str,
    results: list[UnitResult],
    window_db: float,
    command: str,
    not_measured: Sequence[tuple[str, str]] = (),
    plan: PlanPorts | None = None,
) -> LotResult:
    """Decide the lot from its units' results (worst first, ``docs/lot.md``, "Lot verdict").

    Parameters
    ----------
    golden : str
        The tested unit (first in ``results``).
    results : list of UnitResult
        Every unit's own verdict and its comparison with the golden unit.
    window_db : float
        Statistics where some unit, or the row's ``x̄ + k·S_n``, comes this close to a line. [dB]
    command : str
        The command line, recorded in the result.
    not_measured : sequence of (str, str)
        ``(unit, serial)`` of each unit the setup's ``[dut.serials]`` declares that has no
        capture in the lot (:func:`rfcheck.lot.stated.declared_not_measured`): the lot is at
        most INCOMPLETE.
    plan : PlanPorts, optional
        The setup's ``[plan]`` ports (:meth:`PlanPorts.from_setup`): one it requires that no
        unit has a capture of makes every unit and the lot at most INCOMPLETE; the scope
        sentence (:func:`rfcheck.lot.scope.ports_scope_text`) is a note when some port it
        names was measured on no unit.
    """
    plan = plan or PlanPorts()
    same = [u for u in results if u.identical or u.unit == golden]
    notes = _left_out_notes(results, same)
    missing = [f"{u.unit} ({', '.join(u.missing_ports)})" for u in results if u.missing_ports]
    if missing:
        notes.append(
            "INCOMPLETE: a port of the lot has no capture (missing data): " + "; ".join(missing)
        )
    tol: dict[str, float] = {}
    rows: list[StatRow] = []
    distances: list[LevelDistance] = []
    for port in results[0].captures:
        members = {u.unit: u.captures[port] for u in same if port in u.captures}
        tol[port] = max(el.match_tolerance_hz for el in members.values())
        port_dist = port_distances(port, members, golden)
        distances += port_dist
        rows += lot_statistics(port, members, golden, window_db, tol[port], port_dist)
    parts = [r.verdict for r in rows]
    ranged = statistics_range_note(u.captures for u in results)
    if ranged:
        notes.append(ranged)
    failed = failed_units_note(results)
    if failed:
        notes.insert(0, failed)
        parts.append(Verdict.FAIL)
    undecided = undecided_units_note(results)  # in the statistics or not, as a FAIL
    if undecided:
        notes.append(undecided)
        parts.append(Verdict.INCONCLUSIVE)
    unmeasured = unmeasured_units_note(same)
    if unmeasured:
        notes.append(unmeasured)
        parts.append(Verdict.INCOMPLETE)
    if len(same) < MIN_UNITS_T:
        notes.append(
            f"too few units for the 80/80 rule: {len(same)} shown identical to the golden unit "
            f"(at least {MIN_UNITS_T} needed; the binomial method needs {min_units_binomial()}): "
            "not a pass"
        )
        parts.append(Verdict.INCOMPLETE)
    if any(
        u.differences or u.other_model or u.serial_conflict or u.other_firmware for u in results
    ):
        parts.append(Verdict.INCONCLUSIVE)
    if any(u.missing for u in results):
        parts.append(Verdict.INCOMPLETE)
    if any(u.errors for u in results):
        parts.append(Verdict.ERROR)
    absent = declared_not_measured_note(not_measured)
    if absent:
        notes.append(absent)
        parts.append(Verdict.INCOMPLETE)
    results, plan_gap = _with_plan_gap(results, plan)
    if plan_gap:
        parts.append(Verdict.INCOMPLETE)
    scope = ports_scope_text(results, plan)
    measured = measured_ports(results)
    if any(p not in measured for p in plan.named):
        notes.append(scope)
    verdict = combine_verdicts(parts) if parts else Verdict.PASS
    k_used = sorted({(r.outcome.n, r.outcome.k) for r in rows if r.outcome.k is not None})
    if k_used:
        notes.append(
            "k for the n used: " + ", ".join(f"n = {n}: k = {k_text(n, k)}" for n, k in k_used)
        )
    return LotResult(
        golden,
        tuple(results),
        tuple(rows),
        verdict,
        tuple(notes),
        tol,
        command,
        distances=tuple(distances),
        not_measured_units=tuple(not_measured),
        plan_ports=plan.named,
        not_measured_ports=plan_gap,
        scope=scope,
    )
