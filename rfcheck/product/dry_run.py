"""``rfcheck dossier --dry-run``: the test plan's matrix and which capture fills which cell.

Judges nothing: for each unit, each required cell lists the captures of its port whose span
overlaps it (a radiated capture with its measurement distance when the plan has more than
one), what their readings reach of it (the judged run's coverage of a swept trace,
:func:`rfcheck.verdict.coverage.cells`) and the ranges no capture reaches, which the judged
run reports MISSING (``docs/dossier.md``, "Dry run").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..cispr import rbw_at
from ..errors import EXIT_INCOMPLETE, EXIT_INPUT_ERROR, located
from ..frequency import mhz_number
from ..results import ErrorRecord
from ..settings import Setup
from ..textsafe import printable
from .assign import Assigned, UnreadableCapture
from .plan import PortKind, RequiredCell, TestPlan, no_radiated_cell_text

if TYPE_CHECKING:  # the parent of a pool loads no judging code
    from ..verdict.coverage import Intervals
    from .run import Placement

__all__ = ["PlanView", "plan_view"]


def _reach_hz(a: Assigned) -> Intervals:
    """Return the ranges a capture's readings reach [Hz].

    Each trace's points cover what the judged run gives a swept peak trace
    (:func:`rfcheck.verdict.coverage.cells`: neighbours meet halfway, the ends and the edges
    of a gap in the sweep reach out by half an RBW; an unstated RBW: the CISPR bandwidth at
    the trace's lowest frequency, ``docs/verdict.md``, "Coverage"), so a 30-999.96 MHz scan
    at 120 kHz reaches 1 GHz and a scan missing 200-300 MHz shows that gap. A recording
    reaches its band.
    """
    from ..verdict.coverage import cells, runs, union  # the parent loads no judging code

    if a.capture is None:
        return [a.span_hz]
    out: Intervals = [ts.band_hz for ts in a.capture.time_series]
    for t in a.capture.traces:
        f = np.sort(np.asarray(t.freq_hz, dtype=float))
        if f.size == 0:
            continue
        lo, hi = cells(f, t.rbw_hz or float(rbw_at(float(f[0]))))
        out += runs(lo, hi, np.ones(f.shape, dtype=bool))
    return union(out) if out else [a.span_hz]


@dataclass(frozen=True)
class _CellView:
    """What the dry run can tell of one cell without judging: its captures and their reach.

    ``set_aside``: the captures of the cell's port that state another device (used for no
    cell, as the judged run sets them aside); ``shared``: those whose content is also filed
    under another unit (set aside the same way).
    """

    captures: list[str]
    covered_hz: Intervals
    gaps_hz: Intervals
    set_aside: list[str]
    shared: list[str]


def _shown(a: Assigned, plan: TestPlan) -> str:
    """Return a capture as the dry run names it: its path, and a radiated one's own distance.

    ``radiated/u_H_1G-6G.csv (3 m)`` when the plan gives a distance per frequency range, or a
    ``[[rule]]`` states another than the plan's: each capture is judged at its distance.
    """
    d = a.settings.distance_m
    radiated = plan.port_kind(a.port) is PortKind.POLARISATION
    if not radiated or d is None or d == plan.distance_m:
        return printable(a.rel)
    return f"{printable(a.rel)} ({d:g} m)"


def _cell_view(members: Sequence[Assigned], cell: RequiredCell, plan: TestPlan) -> _CellView:
    """Return the captures of ``cell``'s port overlapping it, what they reach of it and the gaps."""
    from ..verdict.coverage import clip, subtract  # the parent process loads no judging code

    lo, hi = cell.start_hz, cell.stop_hz
    behind = [
        a for a in members if a.port == cell.port and min(a.span_hz[1], hi) > max(a.span_hz[0], lo)
    ]
    own = [a for a in behind if not a.set_aside]
    covered = clip([r for a in own for r in _reach_hz(a)], lo, hi)
    return _CellView(
        [_shown(a, plan) for a in own],
        covered,
        subtract([(lo, hi)], covered),
        [printable(a.rel) for a in behind if a.other_device is not None],
        [printable(a.rel) for a in behind if a.shared is not None and a.other_device is None],
    )


def _ranges(iv: Intervals) -> str:
    return ", ".join(f"{mhz_number(a)}-{mhz_number(b)}" for a, b in iv)


@dataclass(frozen=True)
class PlanView:
    """The ``--dry-run``: its text, the files it could not use, and whether a range is missing.

    ``problems``: every unit's error rows (exit 3, as a judged run); ``incomplete``: some
    cell has a range no capture reaches (the judged run's MISSING: exit 5).
    """

    text: str
    problems: list[ErrorRecord]
    incomplete: bool

    @property
    def exit_code(self) -> int:
        """3 a file could not be used; else 5 a range not measured; else 0."""
        return EXIT_INPUT_ERROR if self.problems else EXIT_INCOMPLETE if self.incomplete else 0


def plan_view(placement: Placement, setup: Setup) -> PlanView:
    """Return the ``--dry-run`` text (per unit, each cell and the captures that fill it).

    A cell its captures' frequency spans do not cover whole says what they cover and what is
    not measured (``covers 30-500 MHz of 30-1000 MHz; 500-1000 MHz not measured``): the judged
    run reports those ranges MISSING (``docs/dossier.md``, "Dry run"). Also gives the files
    that could not be placed or read (every unit's error rows), which the command reports on
    stderr and exits 3 for, as a judged run does, and whether a cell has a range no capture
    reaches (exit 5, as the judged run's INCOMPLETE). A file the group pattern finds no unit
    in is one line of its own and a problem too (exit 3). Names from the folder and the setup
    (units, ports, paths, messages) are escaped (:func:`rfcheck.textsafe.printable`): a line
    feed in a file name cannot start a line.
    """
    problems: list[ErrorRecord] = []
    missing = False
    out: list[str] = []
    p = placement.plan
    out.append(
        f"plan {p.regulation} class {p.device_class}: "
        f"mains lines {', '.join(p.mains_lines) or '-'}; "
        f"polarisations {', '.join(p.polarisations) or '-'} at {p.distance_text}"
        + (
            f"; radiated up to {mhz_number(p.upper_frequency_hz)} MHz (47 CFR 15.33(b)(1))"
            if p.upper_frequency_hz
            else ""
        )
        + no_radiated_cell_text(p, placement.cells)
    )
    out += list(p.not_required)  # a battery device's conducted limits: said, never dropped
    problems += placement.no_unit  # in no unit: not used, as the judged run (exit 3)
    for e in placement.no_unit:
        out.append(printable(located(str(e.path), e.message)))
    for unit in placement.units:
        members, errors = placement.assign_unit(unit, setup)
        problems += errors
        other = [a.other_device for a in members if a.other_device is not None]
        shared = [a.shared for a in members if a.shared is not None]
        aside = [f"{len(other)} of another device"] if other else []
        aside += [f"{len(shared)} also filed under another unit or port"] if shared else []
        used = sum(not a.set_aside for a in members)
        out.append(
            f"{printable(unit)}: {used} capture(s)"
            + (f" ({'; '.join(aside)}, set aside)" if aside else "")
        )
        for c in placement.cells:
            view = _cell_view(members, c, p)
            unread = [
                printable(str(e.path))
                for e in errors
                if isinstance(e, UnreadableCapture) and e.port == c.port
            ]
            state = ", ".join(view.captures) if view.captures else "MISSING (no capture)"
            if unread and not view.captures:  # captured, but the file could not be used
                state = f"ERROR (could not be used: {', '.join(unread)})"
            elif view.captures and view.gaps_hz:
                state += (
                    f" (covers {_ranges(view.covered_hz)} MHz of {mhz_number(c.start_hz)}-"
                    f"{mhz_number(c.stop_hz)} MHz; {_ranges(view.gaps_hz)} MHz not measured)"
                )
            if (view.set_aside or view.shared) and not view.captures and not unread:
                state = "MISSING for this unit"
            if view.set_aside:
                state += f" (another device's, set aside: {', '.join(view.set_aside)})"
            if view.shared:
                state += (
                    f" (also filed under another unit or port, set aside: {', '.join(view.shared)})"
                )
            missing = missing or (bool(view.gaps_hz) and not unread)
            out.append(
                f"  {printable(c.port):<4} {c.limit_id} {c.line:<2} "
                f"{mhz_number(c.start_hz)}-{mhz_number(c.stop_hz)} MHz: {state}"
            )
        for e in errors:
            out.append(f"  error: {printable(located(str(e.path), e.message))}")
        for a in members:
            if a.beyond_required and not a.set_aside:
                out.append(
                    f"  {printable(a.port):<4} beyond the required range (47 CFR 15.33(b)(1)): "
                    f"{printable(a.rel)} ({mhz_number(a.span_hz[0])}-{mhz_number(a.span_hz[1])} "
                    "MHz): judged for readings over the limit only"
                )
        for o in other:
            out.append(f"  another device: {printable(o.message)}")
        for s in shared:
            out.append(f"  shared capture: {printable(s.message)}")
    return PlanView("\n".join(out) + "\n", problems, missing)
