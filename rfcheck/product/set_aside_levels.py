"""What a set-aside capture holds over a limit, and what its port's cells were judged from.

A capture set aside for a unit (its header states another device, or its content is also
filed under another unit: :mod:`rfcheck.product.set_aside`) is judged for no cell. Its record
finding says what that did to the port's cells (judged from the unit's own other captures of
the port, or not measured when it has none), and names each reading of the set-aside file
over a limit: whether the header (or the file name) is wrong decides between PASS and FAIL,
so a reading over the limit is shown set aside, never hidden. The file is judged alone, as
``check`` would judge it, for that finding only (:func:`over_limit`); nothing of it reaches a
cell or the verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..frequency import MAX_RANGES_NAMED, format_mhz, format_mhz_range, format_mhz_ranges
from ..outcome import MARGIN_EPS_DB, Bound
from ..verdict.coverage import subtract
from .assign import Assigned
from .plan import PortKind, TestPlan

__all__ = ["OverLimit", "SetAsideEffect", "set_aside_effects"]


@dataclass(frozen=True)
class OverLimit:
    """A set-aside capture's worst reading over one limit line (measured, or a lower bound).

    ``level`` and ``limit`` in ``unit``; ``margin_db = limit - level`` [dB].
    """

    limit_id: str
    line: str
    frequency_hz: float
    margin_db: float
    level: float
    limit: float
    unit: str
    distance_m: float | None = None

    def text(self, port: str) -> str:
        """``N AV (fcc-15.107-b) -3.68 dB at 2 MHz (49.68 dBµV against 46.00)``."""
        at = "" if self.distance_m is None else f" at {self.distance_m:g} m"
        return (
            f"{port} {self.line} ({self.limit_id}{at}) {self.margin_db:+.2f} dB at "
            f"{format_mhz(self.frequency_hz)} ({self.level:.2f} {self.unit} against "
            f"{self.limit:.2f})"
        )


@dataclass(frozen=True)
class SetAsideEffect:
    """What a set-aside capture's finding says beside why it was set aside.

    ``span_hz``: the set-aside capture's lowest and highest frequency [Hz];
    ``judged_from``: the unit's own captures of the port that reach into that span, the cells
    there judged from them (empty: the cells it would fill read not measured); ``uncovered``:
    the parts of the span none of them reaches [Hz]; ``over``: its readings over a limit.
    """

    path: str
    port: str
    span_hz: tuple[float, float]
    judged_from: tuple[str, ...]
    uncovered: tuple[tuple[float, float], ...] = ()
    over: tuple[OverLimit, ...] = ()

    def text(self) -> str:
        """Return the finding's words on the cells and on the file's readings over a limit."""
        lo, hi = self.span_hz
        span = f"one frequency, {format_mhz(lo)}," if lo == hi else format_mhz_range(lo, hi)
        if self.judged_from:
            said = (
                f"the cells of port {self.port} over its {span} are judged from this unit's "
                f"other captures of {self.port} there ({', '.join(self.judged_from)}), "
                "without it"
            )
            if self.uncovered:
                said += (
                    ", and read not measured where none of them reaches "
                    f"({format_mhz_ranges(self.uncovered, MAX_RANGES_NAMED)})"
                )
        else:
            said = f"the cells it would fill (port {self.port}, {span}) read not measured"
        if self.over:
            what = "a reading" if len(self.over) == 1 else "readings"
            said += (
                f"; it holds {what} over the limit, set aside with it and not used for this "
                "unit's verdict: " + "; ".join(o.text(self.port) for o in self.over)
            )
        return said


def over_limit(a: Assigned, plan: TestPlan) -> tuple[OverLimit, ...]:
    """Return the worst reading over each limit line of capture ``a``, judged alone.

    Judged as its port's captures are (its rules' limits, at its measurement distance), from
    its final-table readings (``suspects``); a level over the limit that is only an upper
    bound is not over it (it may lie under the limit: INCONCLUSIVE, not FAIL). Empty when
    nothing is over or it cannot be judged.
    """
    from .port_pool import pools_by_distance  # judging: loaded in the worker that needs it

    radiated = plan.port_kind(a.port) is PortKind.POLARISATION
    worst: dict[tuple[str, str, float | None], OverLimit] = {}
    for dp in pools_by_distance(a.port, [a], radiated):
        result = dp.pool.result
        if result is None:
            continue
        for s in result.suspects:
            if s.margin_db >= -MARGIN_EPS_DB or s.bound not in (Bound.MEASURED, Bound.LOWER):
                continue
            key = (s.limit_id, s.line, dp.distance_m)
            if key not in worst or s.margin_db < worst[key].margin_db:
                worst[key] = OverLimit(
                    s.limit_id,
                    s.line,
                    s.frequency_hz,
                    s.margin_db,
                    s.level,
                    s.limit,
                    s.unit,
                    dp.distance_m,
                )
    return tuple(sorted(worst.values(), key=lambda o: o.margin_db))


def _reaches(b: Assigned, lo: float, hi: float) -> bool:
    """Whether capture ``b`` reaches into ``[lo, hi]`` [Hz] (more than touching an end of it).

    A one-frequency span (``lo == hi``): whether ``b``'s span holds it.
    """
    b_lo, b_hi = b.span_hz
    if lo == hi:
        return b_lo <= lo <= b_hi
    return b_lo < hi and b_hi > lo


def set_aside_effects(assigned: Sequence[Assigned], plan: TestPlan) -> dict[str, SetAsideEffect]:
    """Return, by path (as the set-aside records name it), each set-aside capture's effect."""
    out: dict[str, SetAsideEffect] = {}
    for a in assigned:
        if not a.set_aside:
            continue
        lo, hi = a.span_hz
        own = [b for b in assigned if b.port == a.port and not b.set_aside and _reaches(b, lo, hi)]
        uncovered = subtract([(lo, hi)], [b.span_hz for b in own]) if own else []
        out[str(a.path)] = SetAsideEffect(
            str(a.path),
            a.port,
            a.span_hz,
            tuple(str(b.path) for b in own),
            tuple(uncovered),
            over_limit(a, plan),
        )
    return out
