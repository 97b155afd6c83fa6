"""Captures whose content is filed under more than one unit.

A test record is the record of the unit tested: a capture whose bytes (SHA-256, as the
manifest hashes them) are filed under two units is one measurement, and cannot be evidence
for both. :func:`shared_content` finds them among a run's captures; the dossier sets each
such capture aside in every unit holding it (``docs/dossier.md``, "One capture filed under
two units"), and the lot refuses the run (``docs/lot.md``), as it refuses one serial stated
by two units.

A SigMF recording is its ``.sigmf-meta`` and its ``.sigmf-data``: two recordings are the
same content when both files are. Files are compared by size first, so only files of one
size under different units are hashed here (the manifest reuses those hashes).

References
----------
47 CFR 2.938(b): the record of the equipment tested; 2.906(b), 2.908: the data of one device
cover identical units only. CISPR TR 16-4-3: the 80/80 rule assumes independent units.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .io import file_sha256

__all__ = ["Filed", "SharedContent", "shared_content"]

_META, _DATA = ".sigmf-meta", ".sigmf-data"


@dataclass(frozen=True)
class Filed:
    """One capture file and the unit it is filed under."""

    unit: str
    path: Path


@dataclass(frozen=True)
class SharedContent:
    """One content filed under several units: its SHA-256 and every file holding it.

    ``sha256`` is the file's (a SigMF recording: its metadata's, then its samples', joined
    with ``+``); ``filed`` lists the files in the order given, at least two units among them.
    """

    sha256: str
    filed: tuple[Filed, ...]

    @property
    def units(self) -> tuple[str, ...]:
        """The units holding the content, in order, each once."""
        return tuple(dict.fromkeys(f.unit for f in self.filed))

    def others(self, unit: str) -> tuple[Filed, ...]:
        """Return the files holding the content under units other than ``unit``."""
        return tuple(f for f in self.filed if f.unit != unit)

    def others_text(self, unit: str) -> str:
        """Name the other units and their files: ``unit hc3c (radiated/hc3c_V.DAT), ...``."""
        return ", ".join(f"unit {f.unit} ({f.path.as_posix()})" for f in self.others(unit))


def _parts(path: Path) -> tuple[Path, ...]:
    """Return the files of one capture: a SigMF metadata file and its samples, else the file."""
    if path.name.endswith(_META):
        data = path.with_name(path.name[: -len(_META)] + _DATA)
        if data.is_file():
            return (path, data)
    return (path,)


def _size(path: Path) -> tuple[int, ...] | None:
    try:
        return tuple(p.stat().st_size for p in _parts(path))
    except OSError:  # reading it as a capture reports the problem
        return None


def _blank(path: Path, size: int) -> bool:
    """Whether a file holds nothing but white space (its reader calls it empty)."""
    if size > _BLANK_MAX:
        return False
    try:
        return not path.read_bytes().strip()
    except OSError:
        return False


#: Files larger than this are never all white space here (read only below it). [bytes]
_BLANK_MAX = 4096


def _digest(path: Path) -> str | None:
    try:
        return "+".join(file_sha256(p) for p in _parts(path))
    except OSError:
        return None


def shared_content(files: Iterable[Filed]) -> dict[Path, SharedContent]:
    """Return, per capture whose content is also filed under another unit, that content.

    Parameters
    ----------
    files : iterable of Filed
        Every capture of the run with its unit. Two files of one unit holding one content
        are not shared (one unit's repeat); a file that cannot be read, or an empty or
        white-space-only one, is left out (its reader reports it).

    Returns
    -------
    dict of Path to SharedContent
        Keyed by each path given that holds a content some other unit's file holds too;
        empty when there is none.
    """
    by_size: dict[tuple[int, ...], list[Filed]] = {}
    for f in files:
        size = _size(f.path)
        if size is not None and not _blank(f.path, size[0]):  # no measurement: its reader says
            by_size.setdefault(size, []).append(f)
    by_digest: dict[str, list[Filed]] = {}
    for group in by_size.values():
        if len({f.unit for f in group}) < 2:
            continue
        for f in group:
            digest = _digest(f.path)
            if digest is not None:
                by_digest.setdefault(digest, []).append(f)
    out: dict[Path, SharedContent] = {}
    for digest, group in by_digest.items():
        if len({f.unit for f in group}) < 2:
            continue
        content = SharedContent(digest, tuple(group))
        for f in group:
            out[f.path] = content
    return out
