"""Where a dossier's captures are: the units found, and each unit's captures placed in ports.

:func:`place_captures` reads the plan, derives the required matrix and finds every capture
and its unit (:mod:`rfcheck.product.assign`); the :class:`Placement` places a unit's captures
in ports (:meth:`Placement.assign_unit`), in the worker that judges the unit. A run with no
capture in any unit is refused (:class:`NoCaptureError`). ``docs/dossier.md``, "Captures to
ports".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..batch.discover import OUTPUT_MARKER
from ..errors import RfcheckError
from ..results import ErrorRecord
from ..settings import Setup
from ..shared_content import Filed, SharedContent, shared_content
from .assign import Assigned, Found, assign, discover_captures, port_of
from .distance import bands_gap_warning
from .left_out import LeftOut, left_out_captures
from .plan import PortKind, RequiredCell, TestPlan, plan_from_setup, required_cells
from .set_aside import (
    set_aside_conflicting,
    set_aside_other_device,
    set_aside_shared,
    unit_identity,
)

__all__ = ["NoCaptureError", "Placement", "place_captures"]


class NoCaptureError(RfcheckError):
    """No capture under the DIRs of a dossier (exit code 3): no record is issued."""


@dataclass(frozen=True)
class Placement:
    """The plan, its matrix, and the captures found per unit (in order of discovery).

    The captures are placed in ports by :meth:`assign_unit` (which loads each one), in the
    worker that judges the unit.
    """

    plan: TestPlan
    cells: tuple[RequiredCell, ...]
    found: dict[str, list[Found]]
    #: The folders searched (the manifest root of the customs record is derived from them).
    dirs: tuple[Path, ...] = ()
    #: The captures whose content is also filed under another unit (set aside in each).
    shared: Mapping[Path, SharedContent] = field(default_factory=dict)
    #: The files the group pattern finds no unit in: error rows of the run (exit code 3),
    #: in no unit's record and not counted as a unit
    no_unit: tuple[ErrorRecord, ...] = ()
    #: the units' capture files ``[batch] include`` leaves out: not judged, named on stderr
    #: and in ``summary.json`` (:mod:`rfcheck.product.left_out`)
    left_out: tuple[LeftOut, ...] = ()

    @property
    def units(self) -> list[str]:
        """The units found, in discovery order."""
        return list(self.found)

    @property
    def distance_gap(self) -> str:
        """Say which part of the required radiated range the distance bands leave out ("": none).

        :func:`rfcheck.product.distance.bands_gap_warning` over the polarisations' cells.
        """
        radiated = [
            (c.start_hz, c.stop_hz) for c in self.cells if c.port_kind is PortKind.POLARISATION
        ]
        return bands_gap_warning(self.plan.distance_bands, radiated)

    def assign_unit(
        self, unit: str, setup: Setup, ready: Mapping[Path, Assigned] | None = None
    ) -> tuple[list[Assigned], list[ErrorRecord]]:
        """Place the unit's captures in ports; return them and the unit's error rows.

        ``ready``: captures already placed, by path (recordings scanned by the parent). A
        capture whose header states another device than the unit's is returned set aside
        (:attr:`Assigned.other_device`; :func:`rfcheck.product.set_aside.set_aside_other_device`);
        so is one whose content is also filed under another unit (:attr:`Assigned.shared`).
        """
        assigned: list[Assigned] = []
        errors: list[ErrorRecord] = []
        identity = unit_identity(setup, unit, len(self.found))
        for f in self.found.get(unit, []):
            placed = (ready or {}).get(f.path) or assign(f, setup, self.plan, self.cells)
            if isinstance(placed, ErrorRecord):
                errors.append(placed)
            else:  # another device's, or another unit's too: set aside (no cell, a finding)
                placed = set_aside_shared(placed, self.shared)
                assigned.append(set_aside_other_device(placed, identity))
        # captures stating two serials (models) where the setup names none: set aside too
        return set_aside_conflicting(assigned, identity), errors


def place_captures(
    dirs: Sequence[str | Path], setup: Setup, skip: Sequence[Path] = ()
) -> Placement:
    """Read the plan, derive the matrix, find every capture and its unit.

    The captures whose content is also filed under another unit, or another port of its
    unit, are found here, over every unit (:func:`rfcheck.shared_content.shared_content`).
    The files the group pattern finds no unit in are the placement's ``no_unit`` rows; the
    units' capture files ``[batch] include`` leaves out, its ``left_out``.

    Raises
    ------
    SetupFileError
        The plan is malformed (exit code 3, naming the setup file).
    NoCaptureError
        No capture under any of ``dirs``, or none the group pattern finds a unit in
        (exit code 3).
    """
    plan = plan_from_setup(setup)
    cells = required_cells(plan, setup.path)
    discovered = discover_captures(dirs, setup, skip)
    by_unit: dict[str, list[Found]] = {}
    for f in discovered.found:
        by_unit.setdefault(f.unit, []).append(f)
    if not by_unit:  # most likely a wrong DIR: no record of a unit made up for it
        raise NoCaptureError(_no_capture_message(dirs, setup, discovered.no_unit))
    shared = shared_content(
        Filed(u, f.path, port_of(f.rel, setup)[0] or "") for u, fs in by_unit.items() for f in fs
    )
    return Placement(
        plan,
        cells,
        by_unit,
        tuple(Path(d) for d in dirs),
        shared,
        tuple(discovered.no_unit),
        left_out_captures(dirs, setup, list(by_unit), skip),
    )


#: Files named in the message of a run none of whose files is in a unit.
_NO_UNIT_NAMED = 3


def _no_capture_message(
    dirs: Sequence[str | Path], setup: Setup, no_unit: Sequence[ErrorRecord] = ()
) -> str:
    """``no capture found in <folder>``; naming a folder that holds rfcheck output.

    When files were found but the group pattern finds a unit in none of them: ``no file in
    <folder> is in a unit: [batch] group_pattern '...' finds none in their names (2 files:
    a.csv, b.csv)``.
    """
    shown = ", ".join(Path(d).as_posix() for d in dirs)
    if no_unit:
        pattern = setup.batch.group_pattern or ""
        where = "paths" if "/" in pattern else "names"
        named = ", ".join(e.path for e in no_unit[:_NO_UNIT_NAMED])
        more = len(no_unit) - _NO_UNIT_NAMED
        n = len(no_unit)
        return (
            f"no file in {shown} is in a unit: [batch] group_pattern {pattern!r} finds none "
            f"in their {where} ({n} file{'s' if n > 1 else ''}: {named}"
            f"{f' (+{more} more)' if more > 0 else ''}); no record is issued"
        )
    marked = [Path(d).as_posix() for d in dirs if (Path(d) / OUTPUT_MARKER).is_file()]
    why = f" ({', '.join(marked)} holds rfcheck output: {OUTPUT_MARKER})" if marked else ""
    return f"no capture found in {shown}{why}"
