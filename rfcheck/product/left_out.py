"""Capture files of a unit that ``[batch] include`` leaves out: named, never skipped unsaid.

The dossier finds its captures by the batch discovery rule (``[batch] include`` and
``exclude``, ``docs/batch.md``). A unit's file that matches no include glob (a final scan
moved one folder up) was skipped without a word, by the judged run and by ``--dry-run``: the
unit read INCOMPLETE ("missing: N QP ...") and nothing said a file of it was there.
:func:`left_out_captures` finds such files under the same folders, by the same walk (hidden
entries, output folders and the setup's own files skipped): a file matching no include glob
and no exclude glob (one excluded is left out on purpose), named like a capture (an
extension of a registered reader, :data:`CAPTURE_EXTENSIONS`), of a unit of the run (the
group pattern's unit of a file some included capture shares: the lot or ambient scans
beside a rig's folders are no unit's of its run). :func:`left_out_notes` words one note per
unit (``docs/dossier.md``, "Captures to ports").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..batch.discover import DiscoveryStats, discover_inputs, glob_match, setup_files
from ..settings import Setup
from .assign import DEFAULT_UNIT, unit_of

__all__ = ["CAPTURE_EXTENSIONS", "LeftOut", "left_out_captures", "left_out_notes"]


def _capture_extensions() -> tuple[str, ...]:
    """Return every registered reader's file extensions, lower case, longest first."""
    from ..io import READERS

    found = {e.lower() for r in READERS for e in r.extensions}
    return tuple(sorted(found, key=lambda e: (-len(e), e)))


#: The file extensions of the registered readers (``.csv``, ``.dat``, ``.sigmf-meta``...):
#: a left-out file with one of them looks like a capture (a README or a photo does not).
CAPTURE_EXTENSIONS = _capture_extensions()

#: Files named per unit before the rest are counted (``+N more``).
MAX_NAMED = 5

#: An include glob matching every file: nothing can be left out.
_EVERY_FILE = "**/*"


@dataclass(frozen=True)
class LeftOut:
    """A file of ``unit`` that ``[batch] include`` leaves out (``path``: as found, POSIX)."""

    path: str
    unit: str


def _looks_like_capture(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1].lower()
    return any(name.endswith(ext) for ext in CAPTURE_EXTENSIONS)


def left_out_captures(
    dirs: Sequence[str | Path],
    setup: Setup,
    units: Collection[str],
    skip: Sequence[Path] = (),
) -> tuple[LeftOut, ...]:
    """Return the capture files of the run's ``units`` under ``dirs`` no include glob matches.

    Walked as :func:`rfcheck.product.assign.discover_captures` walks (``skip`` and the
    setup's own files skipped, ``exclude`` applied), in its order. None when an include
    glob is ``**/*``. A file the group pattern finds no unit in, or a unit the run does not
    have (no included capture), is not named: a folder beside the units' (lot units, an
    ambient scan) is no file of theirs.
    """
    include = setup.batch.include
    if _EVERY_FILE in include:
        return ()
    items = discover_inputs(
        dirs,
        ("**/*",),
        setup.batch.exclude,
        skip=[*skip, *setup_files(setup)],
        stats=DiscoveryStats(),  # a folder that cannot be listed: the run refuses it already
    )
    out: list[LeftOut] = []
    for item in items:
        if item.path == item.root or any(glob_match(item.rel, g) for g in include):
            continue  # named on the command line, or included: a capture of the run
        unit = unit_of(item.rel, setup)
        if unit is not None and unit in units and _looks_like_capture(item.rel):
            out.append(LeftOut(item.display, unit))
    return tuple(out)


def left_out_notes(left_out: Sequence[LeftOut], setup: Setup) -> list[str]:
    """Return one note per unit naming its capture files ``[batch] include`` leaves out.

    ``unit vx02: 1 capture file not used: [batch] include ('cond/*', 'rad/*') leaves out
    vx02/vx02_N_scan.csv; add a glob matching it to include (or exclude it to leave it out
    on purpose)``; without a group pattern the run's one unit is not named. Up to
    :data:`MAX_NAMED` files each, then a count.
    """
    by_unit: dict[str, list[str]] = {}
    for f in left_out:
        by_unit.setdefault(f.unit, []).append(f.path)
    globs = ", ".join(repr(g) for g in setup.batch.include)
    notes = []
    for unit, paths in by_unit.items():
        n = len(paths)
        named = ", ".join(paths[:MAX_NAMED]) + (
            f" (+{n - MAX_NAMED} more)" if n > MAX_NAMED else ""
        )
        who = "" if unit == DEFAULT_UNIT and not setup.batch.group_pattern else f"unit {unit}: "
        it = "it" if n == 1 else "them"
        notes.append(
            f"{who}{n} capture file{'' if n == 1 else 's'} not used: [batch] include ({globs}) "
            f"leaves out {named}; add a glob matching {it} to include (or exclude {it} to "
            f"leave {it} out on purpose)"
        )
    return notes
