"""The files an earlier ``rfcheck dossier`` run wrote in ``OUT``, and their removal.

A record is only ever the current one: after a run, each file the previous run wrote in a
unit's folder (``OUT/summary.json`` lists them, per unit, under ``files``) that this run did
not write again is removed (a format left out of ``--format``, a unit no longer in the
input), and a unit folder so emptied with it. A file rfcheck did not write is never touched:
a folder left holding one is listed as stale. See ``docs/dossier.md``, "Output folder".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .outputs import SUMMARY_NAME

__all__ = ["EarlierRun", "Tidied", "earlier_run", "remove_earlier_files"]


@dataclass(frozen=True)
class EarlierRun:
    """Per unit folder (a direct child of ``OUT``), the files the earlier run wrote there."""

    files: Mapping[str, tuple[str, ...]]
    #: the unit of each folder, as the earlier summary names it
    units: Mapping[str, str]


@dataclass(frozen=True)
class Tidied:
    """What :func:`remove_earlier_files` did."""

    #: unit folders of the earlier run no longer in this run, removed with every file in them
    removed_units: tuple[str, ...] = ()
    #: earlier files removed from folders of this run's units (``folder/name``)
    removed_files: tuple[str, ...] = ()
    #: earlier paths left in place (``folder`` or ``folder/name``), with why: a unit folder
    #: holding a file rfcheck did not write, a file that could not be removed
    stale: tuple[str, ...] = ()


def _record_names(folder: Path) -> tuple[str, ...]:
    """Return the record's files in ``folder`` by name (an earlier summary without ``files``)."""
    names = [n for n in ("dossier.json", "dossier.html", "dossier.pdf") if (folder / n).is_file()]
    names += sorted(p.name for p in folder.glob("plot_*.png") if p.is_file())
    return tuple(names)


def _plain(name: object) -> bool:
    """Whether ``name`` is one path component (a summary is a file in OUT, not trusted)."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
    )


def earlier_run(out: Path) -> EarlierRun:
    """Read what the previous run wrote, from ``OUT/summary.json`` (nothing if absent)."""
    try:
        doc = json.loads((out / SUMMARY_NAME).read_bytes())
        units = doc["units"]
    except (OSError, ValueError, KeyError, TypeError):
        return EarlierRun({}, {})
    files: dict[str, tuple[str, ...]] = {}
    names: dict[str, str] = {}
    for u in units if isinstance(units, list) else []:
        folder = u.get("folder") if isinstance(u, dict) else None
        if not _plain(folder) or not (out / str(folder)).is_dir():
            continue
        listed = u.get("files")
        if isinstance(listed, list):
            files[str(folder)] = tuple(str(n) for n in listed if _plain(n))
        else:  # written before the summary listed its files: the record's names
            files[str(folder)] = _record_names(out / str(folder))
        names[str(folder)] = str(u.get("unit", folder))
    return EarlierRun(files, names)


def _remove(path: Path, folder: Path) -> bool:
    """Remove the file ``path`` of ``folder`` (never a link out of it); whether it is gone."""
    try:
        if path.is_symlink() or not path.exists():
            path.unlink(missing_ok=True)
            return True
        if path.resolve().parent != folder.resolve() or not path.is_file():
            return False
        path.unlink()
    except OSError:
        return False
    return True


def remove_earlier_files(
    out: Path, earlier: EarlierRun, written: Mapping[str, Sequence[str]]
) -> Tidied:
    """Remove the earlier run's files that this run did not write again.

    Parameters
    ----------
    out : Path
        The output folder.
    earlier : EarlierRun
        What the previous run wrote (:func:`earlier_run`, read before this run wrote).
    written : mapping of str to sequence of str
        Per unit folder of this run, the names of the files it wrote there.
    """
    removed_units: list[str] = []
    removed_files: list[str] = []
    stale: list[str] = []
    for folder, names in earlier.files.items():
        here = out / folder
        now = set(written.get(folder, ()))
        left = [n for n in names if n not in now and not _remove(here / n, here)]
        stale.extend(f"{folder}/{n}" for n in left)
        if folder in written:
            removed_files.extend(f"{folder}/{n}" for n in names if n not in now and n not in left)
            continue
        try:
            here.rmdir()
        except OSError:  # a file rfcheck did not write (or one it could not remove) stays
            if not left:
                stale.append(folder)
            continue
        removed_units.append(folder)
    return Tidied(tuple(removed_units), tuple(removed_files), tuple(stale))
