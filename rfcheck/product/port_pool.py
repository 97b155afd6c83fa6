"""A port's captures pooled as one measurement, a member's own error setting aside only it.

The dossier judges each port from its pool (:func:`rfcheck.combine.analyse_combined`): the
corrected traces are kept with the result, so the final table reads the same traces the
verdict did. A polarisation's captures measured at two distances (10 m below 1 GHz, 3 m
above) are two pools, one per distance (:func:`pools_by_distance`): one pooled trace is
judged at one distance, its limits re-expressed there (47 CFR 15.31(f)(1)). See
``docs/dossier.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..combine import analyse_combined
from ..errors import RfcheckError
from ..outcome import Verdict
from ..results import CaptureResult, ErrorRecord
from ..verdict import CorrectedTrace
from .assign import Assigned

__all__ = ["DistancePool", "Pooled", "pool_port", "pools_by_distance"]


@dataclass(frozen=True, eq=False)
class Pooled:
    """A port's pooled measurement and its members' corrected traces (with readings).

    ``failed``: the members whose own error (an error row naming the file) kept them out of
    ``result``, each with its span [Hz]; ``result`` is then the pool of the other members
    (None when there are none), so only the cells a failed member would fill are ERROR.
    ``captures``: the member each of ``traces`` was read from (its path), one per trace.
    """

    result: CaptureResult | None
    errors: list[ErrorRecord]
    traces: list[CorrectedTrace]
    failed: tuple[tuple[str, tuple[float, float]], ...] = ()
    captures: list[str] = field(default_factory=list)


def _member_of(trace: CorrectedTrace, members: Sequence[Assigned]) -> str:
    """Return the path of the member ``trace`` was read from ("" when none is named).

    The pool names each trace ``"<member>: <trace>"``, the member by its file name, or by
    its path when two members share the name (:func:`rfcheck.combine.analyse_combined`):
    the longest such prefix is the member's.
    """
    named = [
        (len(n), str(m.path))
        for m in members
        for n in {m.path.name, str(m.path)}
        if trace.name.startswith(f"{n}: ")
    ]
    return max(named)[1] if named else ""


def _analyse(port: str, members: Sequence[Assigned]) -> Pooled:
    """Pool ``members`` as one measurement (an error of the whole pool: one error row)."""
    traces: list[CorrectedTrace] = []
    try:
        pooled = analyse_combined(
            [m.path for m in members],
            [m.settings for m in members],
            label=port,
            captures=[m.capture for m in members],  # loaded once, when assigned
            readings=traces,  # corrected once: the final table reads the same traces
        )
    except RfcheckError as err:
        return Pooled(None, [ErrorRecord(" + ".join(str(m.path) for m in members), str(err))], [])
    captures = [_member_of(t, members) for t in traces]
    return Pooled(pooled, list(pooled.errors), traces, captures=captures)


def pool_port(port: str, members: Sequence[Assigned]) -> Pooled:
    """Pool a port's captures; a member's own error sets aside that member only.

    The pool of every member is ERROR when one cannot be read or corrected (an antenna
    factor table not covering it): never a judgement of the others in its place. The dossier
    then judges the other members alone for the cells the failed one does not overlap, so
    a 30 MHz-1 GHz capture's table error leaves the 1-5 GHz cells to the 1-2 GHz capture
    (and their unmeasured sub-ranges MISSING), and only the cells it would fill ERROR.
    """
    if not members:
        return Pooled(None, [], [])
    whole = _analyse(port, members)
    if whole.result is None or whole.result.verdict is not Verdict.ERROR:
        return whole
    named = {e.path for e in whole.errors}
    failed = [m for m in members if str(m.path) in named]
    if not failed or named != {str(m.path) for m in failed}:
        return whole  # an error of the pool itself (limits, judgement): every cell ERROR
    rest = [m for m in members if str(m.path) not in named]
    others = _analyse(port, rest) if rest else Pooled(None, [], [])
    if others.errors:
        return whole
    spans = tuple((str(m.path), m.span_hz) for m in failed)
    return Pooled(
        others.result, whole.errors, others.traces, failed=spans, captures=others.captures
    )


@dataclass(frozen=True, eq=False)
class DistancePool:
    """A port's captures measured at one distance, pooled.

    ``distance_m``: their measurement distance [m]; None for a mains line (conducted).
    """

    distance_m: float | None
    members: tuple[Assigned, ...]
    pool: Pooled


def pools_by_distance(
    port: str, members: Sequence[Assigned], radiated: bool
) -> tuple[DistancePool, ...]:
    """Pool a port's captures per measurement distance (``radiated``; else one pool).

    A pool never mixes distances: one pooled trace is judged at one distance. The pools are
    in the order of their lowest frequency (the 10 m pool of 30 MHz-1 GHz first). A port
    with no capture has one empty pool (no distance).
    """
    groups: dict[float | None, list[Assigned]] = {}
    for m in members:
        groups.setdefault(m.settings.distance_m if radiated else None, []).append(m)
    if not groups:
        return (DistancePool(None, (), pool_port(port, ())),)
    order = sorted(groups.items(), key=lambda g: (min(m.span_hz[0] for m in g[1]), g[0] or 0.0))
    return tuple(DistancePool(d, tuple(ms), pool_port(port, ms)) for d, ms in order)
