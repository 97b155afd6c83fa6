"""The files an earlier ``rfcheck dossier`` run wrote in ``OUT`` that this run did not write.

A re-run into the same ``OUT`` never deletes anything: an output folder may hold an issued
record a lab must keep for years (47 CFR 2.1203(c)), a file a user saved under one of
rfcheck's names, or a unit folder that is a link to an archive. Instead, each file the
previous run wrote in a unit's folder (``OUT/summary.json`` lists them, per unit, under
``files``) that this run did not write again (a format left out of ``--format``), each
earlier unit folder no longer in the run, and an entry cover sheet (``OUT/entry.*``,
``entry.files`` in the summary) this run did not write again, is *stale*: listed under
``stale`` in the new ``summary.json``, said in a note, and carried to the next run's
summary while it exists. See ``docs/dossier.md``, "Output folder".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..documents import load_json
from .outputs import ENTRY_FILES, RECORD_FILES, SUMMARY_NAME

__all__ = ["EarlierRun", "Stale", "earlier_run", "stale_outputs"]


@dataclass(frozen=True)
class EarlierRun:
    """Per unit folder (a direct child of ``OUT``), the files the earlier run wrote there."""

    files: Mapping[str, tuple[str, ...]]
    #: the unit of each folder, as the earlier summary names it
    units: Mapping[str, str]
    #: the earlier summary's own ``stale`` paths (``folder`` or ``folder/name``)
    stale: tuple[str, ...] = ()
    #: the entry cover sheet's files the earlier run wrote in ``OUT`` (``entry.pdf`` ...)
    entry_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stale:
    """What an earlier run left in ``OUT`` that is not part of this run's records."""

    #: unit folders of an earlier run whose unit is not in this run
    units: tuple[str, ...] = ()
    #: files of an earlier run in this run's unit folders, not written again (``folder/name``)
    files: tuple[str, ...] = ()
    #: an earlier run's entry cover sheet files in ``OUT``, not written again (``entry.pdf``)
    entry_files: tuple[str, ...] = ()

    @property
    def paths(self) -> list[str]:
        """Every stale path, sorted (``summary.json`` ``stale``)."""
        return sorted({*self.units, *self.files, *self.entry_files})


def _record_names(folder: Path) -> tuple[str, ...]:
    """Return the record's files in ``folder`` by name (an earlier summary without ``files``)."""
    names = [n for n in RECORD_FILES.values() if (folder / n).is_file()]
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


def _plain_path(path: object) -> bool:
    """Whether ``path`` is ``folder`` or ``folder/name`` of plain components."""
    return (
        isinstance(path, str)
        and 1 <= len(parts := path.split("/")) <= 2
        and all(_plain(p) for p in parts)
    )


def earlier_run(out: Path) -> EarlierRun:
    """Read what the previous run wrote, from ``OUT/summary.json`` (nothing if absent)."""
    try:
        doc = load_json((out / SUMMARY_NAME).read_bytes())
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
    stale = doc.get("stale") if isinstance(doc, dict) else None
    carried = tuple(str(p) for p in stale if _plain_path(p)) if isinstance(stale, list) else ()
    entry = doc.get("entry") if isinstance(doc, dict) else None
    listed = entry.get("files") if isinstance(entry, dict) else None
    sheet = (
        tuple(n for n in listed if n in ENTRY_FILES.values()) if isinstance(listed, list) else ()
    )
    return EarlierRun(files, names, carried, sheet)


def _exists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def stale_outputs(
    out: Path,
    earlier: EarlierRun,
    written: Mapping[str, Sequence[str]],
    entry_written: Sequence[str] = (),
) -> Stale:
    """Return the earlier runs' outputs in ``out`` that this run did not write again.

    Parameters
    ----------
    out : Path
        The output folder.
    earlier : EarlierRun
        What the previous run wrote (:func:`earlier_run`, read before this run wrote).
    written : mapping of str to sequence of str
        Per unit folder of this run, the names of the files it wrote there.
    entry_written : sequence of str
        The entry cover sheet's files this run wrote in ``out``.
    """
    sheet = [
        n
        for n in dict.fromkeys([*earlier.entry_files, *earlier.stale])
        if n in ENTRY_FILES.values() and n not in entry_written and _exists(out / n)
    ]
    units: list[str] = []
    files: list[str] = []
    candidates: list[tuple[str, str | None]] = [
        (folder, name) for folder, names in earlier.files.items() for name in names
    ]
    candidates += [(folder, None) for folder in earlier.files]
    for path in earlier.stale:
        if path in ENTRY_FILES.values():  # a file in OUT, never a unit's folder
            continue
        head, _, tail = path.partition("/")
        candidates.append((head, tail or None))
    for where, what in candidates:
        if where in written:
            if what is not None and what not in written[where] and _exists(out / where / what):
                files.append(f"{where}/{what}")
        elif _exists(out / where):  # a unit not in this run: its whole folder
            units.append(where)
    return Stale(tuple(sorted(set(units))), tuple(sorted(set(files))), tuple(sorted(sheet)))
