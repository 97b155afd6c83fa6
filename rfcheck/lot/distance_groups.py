"""A port measured at several distances: one pooled measurement per distance, joined.

Labs measure radiated emissions at 10 m from 30 MHz to 1 GHz and at 3 m above. A port's
captures are pooled per measurement distance and never across two (one pooled trace is
judged at one distance, its limits re-expressed there by 47 CFR 15.31(f)(1)), as the
dossier pools them (:func:`rfcheck.product.port_pool.pools_by_distance`):
:func:`distance_groups`. The groups' emission lists are then joined into the port's one
(:func:`join_groups`):

- each limit line is judged as the dossier judges a cell from several pools
  (:mod:`rfcheck.product.distance_cells`): a group measured the line when it evaluated part
  of its range (more than a point) or fails it; the worst verdict of those (FAIL > ERROR >
  INCONCLUSIVE) decides, else INCOMPLETE where no group measured a part of the line's
  range, else PASS; the worst point and margin are the deciding group's (each margin
  against the limit at its own distance);
- the emissions are each group's, every reading at its group's distance
  (:attr:`rfcheck.lot.readings.Reading.distance_m`); one emission seen by two groups where
  their scans meet is listed once;
- a reading at a frequency is that of the group whose scan covers it
  (:meth:`rfcheck.lot.emissions.EmissionList.reading_at`).

See ``docs/lot.md``, "A port measured at two distances".

References
----------
47 CFR 15.31(f)(1) (a measurement at another distance, the limit re-expressed there).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from ..judged_limits import load_limits
from ..outcome import Verdict, combine_verdicts
from ..results import CaptureResult, LineCheck, judged_margin_db
from ..settings import CheckSettings
from ..textfile import resolved
from ..verdict.coverage import Intervals, union
from .emissions import Emission, EmissionList
from .readings import Reading, rank_across

__all__ = ["distance_groups", "join_groups", "joined_emissions"]

#: How much a line's verdict weighs when groups judge it (lower decides; the rest alike).
_WEIGHT = {Verdict.FAIL: 0, Verdict.ERROR: 1, Verdict.INCONCLUSIVE: 2}


def _alike(s: CheckSettings) -> tuple[tuple[str, ...], tuple[str, ...], float | None]:
    """Return what members pooled per distance share besides it (``check_combinable``'s)."""
    files = tuple(sorted(str(resolved(f)) for f in s.limit_files))
    return (tuple(sorted(s.limit_ids)), files, s.highest_frequency_hz)


def distance_groups(settings: Sequence[CheckSettings]) -> list[list[int]]:
    """Return the indices of a port's members grouped by measurement distance.

    One group (every member) unless the members are judged against the same radiated limits
    at two or more distances (a member stating none: the table's specified one, as its
    verdict takes it): then one group per distance, in the order the members are given.
    Members differing in their limits too stay one group, which pooling refuses, naming
    both (:func:`rfcheck.combine.check_combinable`); so do conducted members (a conducted
    level has no distance), and a member stating no distance beside one stating the
    specified distance (the same distance, stated once and not once).
    """
    every = [list(range(len(settings)))]
    if len({s.distance_m for s in settings}) < 2 or len({_alike(s) for s in settings}) > 1:
        return every
    specified = [
        t.distance_m
        for t in load_limits(settings[0])
        if t.port == "radiated" and t.distance_m is not None
    ]
    if not specified:
        return every
    at = [specified[0] if s.distance_m is None else s.distance_m for s in settings]
    return [[i for i, d in enumerate(at) if d == x] for x in dict.fromkeys(at)]


def _measured(c: LineCheck) -> bool:
    """Whether a group measured a line: it evaluated more than a point of it, or fails it.

    A group whose scan only meets the line's range at its end (a 1-6 GHz scan's first
    point at 1000 MHz, the end of the QP line) reads at most that point: a reading over the
    limit there is a fact and fails the line, but anything else it reads there says nothing
    the group measuring the line does not settle (the dossier's rule,
    :func:`rfcheck.product.distance_cells.merge_cells`).
    """
    return c.verdict is Verdict.FAIL or any(b > a for a, b in c.evaluated_hz)


def _decisive(checks: Sequence[LineCheck]) -> LineCheck:
    """Return the check that decides: the worst verdict, then the smallest judged margin."""

    def weight(c: LineCheck) -> tuple[int, float, float]:
        margin = math.inf if c.worst_margin_db is None else judged_margin_db(c)
        return (_WEIGHT.get(c.verdict, 3), margin, c.worst_frequency_hz or 0.0)

    return min(checks, key=weight)


def _common(ranges: Sequence[Sequence[tuple[float, float]]]) -> Intervals:
    """Return the ranges [Hz] every one of ``ranges`` holds (their intersection)."""
    out: Intervals = list(ranges[0])
    for other in ranges[1:]:
        out = [(max(a, c), min(b, d)) for a, b in out for c, d in other if min(b, d) > max(a, c)]
    return union(out)


def _joined_check(subs: Sequence[LineCheck]) -> LineCheck:
    """Return one line's check from its groups' checks of it (see the module docstring)."""
    measured = [c for c in subs if _measured(c)]
    base = _decisive(measured or subs)
    missing = _common([c.not_evaluated_hz for c in subs])
    verdict = base.verdict
    if verdict not in _WEIGHT:
        verdict = Verdict.INCOMPLETE if missing else Verdict.PASS
    dwell = [c.assumed_dwell_s for c in measured if c.assumed_dwell_s is not None]
    return replace(
        base,
        verdict=verdict,
        evaluated_hz=tuple(union([r for c in subs for r in c.evaluated_hz])),
        not_evaluated_hz=tuple(missing),
        assumed_dwell_s=max(dwell) if dwell and verdict is not Verdict.FAIL else None,
    )


def _joined_checks(groups: Sequence[EmissionList]) -> tuple[LineCheck, ...]:
    """Return every line's check joined over the groups, in the order the groups list them."""
    by_line: dict[tuple[str, str], list[LineCheck]] = {}
    for g in groups:
        for c in g.result.checks:
            by_line.setdefault((c.limit_id, c.line), []).append(c)
    return tuple(_joined_check(subs) for subs in by_line.values())


def _joined_result(groups: Sequence[EmissionList], label: str) -> CaptureResult:
    """Return the port's result: its lines joined over the groups, their traces and limits.

    The settings are the first group's, with no distance of its own (each group states its
    own); the limit descriptions, traces and limit lines are every group's (each at its
    distance).
    """
    checks = _joined_checks(groups)
    results = [g.result for g in groups]
    scaled = next((r for r in results if r.assumed_scale), results[0])
    return CaptureResult(
        path=" + ".join(r.path for r in results),
        sha256=None,
        format=None,
        verdict=combine_verdicts([c.verdict for c in checks]),
        checks=checks,
        suspects=tuple(s for r in results for s in r.suspects),
        warnings=tuple(dict.fromkeys(w for r in results for w in r.warnings)),
        corrections=tuple(dict.fromkeys(c for r in results for c in r.corrections)),
        limits=tuple(lim for r in results for lim in r.limits),
        plot_traces=tuple(t for r in results for t in r.plot_traces),
        plot_limits=tuple(p for r in results for p in r.plot_limits),
        label=label,
        settings={**results[0].settings, "distance_m": None},
        required_upper_hz={k: v for r in results for k, v in r.required_upper_hz.items()},
        scale=scaled.scale,
    )


def _joined_emission(a: Emission, b: Emission) -> Emission:
    """Return one emission seen by two groups: per line, the reading that ranks first."""
    keys = list(dict.fromkeys(r.key for r in (*a.readings, *b.readings)))
    readings: list[Reading] = []
    for key in keys:
        found = [r for r in (a.reading(key), b.reading(key)) if r is not None]
        readings.append(min(found, key=rank_across))
    return Emission(a.frequency_hz, tuple(readings))


def joined_emissions(lists: Sequence[Sequence[Emission]], tol_hz: float) -> tuple[Emission, ...]:
    """Return the groups' emissions by frequency; two groups' within ``tol_hz`` [Hz] as one."""
    tagged = sorted(
        ((e.frequency_hz, i, e) for i, lst in enumerate(lists) for e in lst),
        key=lambda x: (x[0], x[1]),
    )
    out: list[tuple[int, Emission]] = []
    for f, i, e in tagged:
        if out and out[-1][0] != i and f - out[-1][1].frequency_hz <= tol_hz:
            out[-1] = (out[-1][0], _joined_emission(out[-1][1], e))
        else:
            out.append((i, e))
    return tuple(e for _, e in out)


def join_groups(groups: Sequence[EmissionList], label: str = "") -> EmissionList:
    """Return a port's emission list from its lists per distance (one: that list).

    The groups ordered by their lowest frequency (the 10 m 30 MHz-1 GHz one first), as the
    dossier orders its pools; see the module docstring for what is joined and how.
    """
    if len(groups) == 1:
        return groups[0]
    ordered = tuple(sorted(groups, key=lambda g: (g.span_hz or (math.inf, math.inf))[0]))
    tol = max(g.match_tolerance_hz for g in ordered) / 2.0
    rbws = [g.rbw_hz for g in ordered if g.rbw_hz]
    return EmissionList(
        path=" + ".join(g.path for g in ordered),
        label=label,
        result=_joined_result(ordered, label),
        rbw_hz=max(rbws) if rbws else None,
        step_hz=max(g.step_hz for g in ordered),
        emissions=joined_emissions([g.emissions for g in ordered], tol),
        peaks=joined_emissions([g.peaks for g in ordered], tol),
        tables=ordered[0].tables,
        distance_m=None,
        trace_rbw_hz={k: v for g in ordered for k, v in g.trace_rbw_hz.items()},
        members=tuple(m for g in ordered for m in g.members),
        groups=ordered,
    )
