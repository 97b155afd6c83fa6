"""Each unit's output folder ``OUT/<unit>/``: a safe name, unique, never an input folder.

A unit name becomes a folder name of letters, digits, ``.``, ``_`` and ``-``
(:func:`unit_folder_name`); names equal ignoring case, or equal to a file the run writes
beside them (``summary.json``, the entry sheet), get ``-2``, ``-3``... (:func:`unique_names`);
and no unit folder may be, hold or lie in an input folder (:func:`check_unit_folders`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..batch.output import OutputFolderError, inside
from ..textfile import resolved
from .outputs import SUMMARY_NAME

__all__ = ["check_unit_folders", "unique_names", "unit_folder_name"]


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def unit_folder_name(unit: str) -> str:
    """Return a safe folder name for a unit (``OUT/<unit>/``)."""
    name = _UNSAFE.sub("_", unit).strip("._") or "unit"
    return name[:100]


def check_unit_folders(out: Path, folders: Mapping[str, str], dirs: Sequence[Path]) -> None:
    """Refuse a unit folder ``OUT/<unit>`` that is an input folder, or holds or lies in one.

    ``--force`` lets ``OUT`` be a parent of the input; a unit named like the input folder
    then wrote its record into the input itself. Nothing is written first.

    Raises
    ------
    OutputFolderError
        A unit folder is, holds or lies inside one of ``dirs`` (exit code 2).
    """
    for unit, name in folders.items():
        mine = resolved(out / name)
        for d in dirs:
            given = resolved(d)
            if inside(mine, given) or inside(given, mine):
                raise OutputFolderError(
                    f"--out {out.as_posix()}: unit {unit}'s folder {(out / name).as_posix()} "
                    f"would be, hold or lie in the input folder {Path(d).as_posix()}: choose "
                    "an output folder outside every DIR"
                )


def unique_names(names: list[str], reserved: tuple[str, ...] = (SUMMARY_NAME,)) -> list[str]:
    """Return one folder name per unit, no two equal ignoring case, none a reserved name.

    A repeated name gets ``-2``, ``-3``, ... until it is free, so units ``nx8``, ``NX8`` and
    ``nx8-2`` get three folders (``nx8-2`` once went to two units), and a unit
    named ``summary.json`` does not take the summary's place.
    """
    taken = {r.lower() for r in reserved}
    out = []
    for n in names:
        cand, k = n, 1
        while cand.lower() in taken:
            k += 1
            cand = f"{n}-{k}"
        taken.add(cand.lower())
        out.append(cand)
    return out
