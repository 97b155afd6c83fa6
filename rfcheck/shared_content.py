"""Captures whose content is filed under more than one unit, or two ports of one unit.

A test record is the record of the unit tested: a capture whose bytes (SHA-256, as the
manifest hashes them) are filed under two units is one measurement, and cannot be evidence
for both. Nor can one content filed under two ports of one unit (the H file copied as V):
it is one measurement presented as two. :func:`shared_content` finds them among a run's
captures; the dossier sets each such capture aside in every unit (port) holding it
(``docs/dossier.md``, "One capture filed under two units"), and the lot refuses the run
(``docs/lot.md``), as it refuses one serial stated by two units. Two files of one port of
one unit holding one content are a repeat, and stay.

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

from .errors import RfcheckError
from .io import file_sha256
from .textfile import non_regular_kind, read_regular_file

__all__ = ["SHARED_CONTENT_ROLE", "Filed", "SharedContent", "capture_files", "shared_content"]

#: Role in a record's input manifest of another unit's capture holding the content of one of
#: the unit's: the check set the unit's capture aside because of it, so the verdict and the
#: report id rest on it too.
SHARED_CONTENT_ROLE = "shared-content"

_META, _DATA = ".sigmf-meta", ".sigmf-data"


@dataclass(frozen=True)
class Filed:
    """One capture file, the unit it is filed under, and its port ("": not told)."""

    unit: str
    path: Path
    port: str = ""

    def elsewhere(self, other: Filed) -> bool:
        """Whether ``other`` is filed under another unit, or another port of this unit."""
        return other.unit != self.unit or bool(self.port and other.port and other.port != self.port)


@dataclass(frozen=True)
class SharedContent:
    """One content filed under several units (ports): its SHA-256 and every file holding it.

    ``sha256`` is the file's (a SigMF recording: its metadata's, then its samples', joined
    with ``+``); ``filed`` lists the files in the order given, at least two units (or two
    ports of one unit) among them.
    """

    sha256: str
    filed: tuple[Filed, ...]

    @property
    def units(self) -> tuple[str, ...]:
        """The units holding the content, in order, each once."""
        return tuple(dict.fromkeys(f.unit for f in self.filed))

    def others(self, unit: str, port: str = "") -> tuple[Filed, ...]:
        """Return the files holding the content under other units, or other ports of ``unit``.

        ``port`` "": every file of ``unit`` is its own (the units only are compared).
        """
        return tuple(f for f in self.filed if Filed(unit, f.path, port).elsewhere(f))

    def other_units(self, unit: str) -> bool:
        """Whether another unit than ``unit`` holds the content."""
        return any(f.unit != unit for f in self.filed)

    def others_text(self, unit: str, port: str = "") -> str:
        """Name the others: ``unit hc3c (radiated/hc3c_V.DAT)``, ``port V of unit hc3b (...)``."""
        return ", ".join(
            f"unit {f.unit} ({f.path.as_posix()})"
            if f.unit != unit
            else f"port {f.port} of unit {f.unit} ({f.path.as_posix()})"
            for f in self.others(unit, port)
        )


def capture_files(path: Path) -> tuple[Path, ...]:
    """Return the files of one capture: a SigMF metadata file and its samples, else the file."""
    if path.name.endswith(_META):
        data = path.with_name(path.name[: -len(_META)] + _DATA)
        if data.is_file():
            return (path, data)
    return (path,)


def _size(path: Path) -> tuple[int, ...] | None:
    """Return the sizes of the capture's files; None when one is not a regular file.

    A FIFO, device or folder is never opened here (a FIFO would block the run): reading it
    as a capture refuses it at once.
    """
    try:
        stats = [p.stat() for p in capture_files(path)]
    except OSError:  # reading it as a capture reports the problem
        return None
    if any(non_regular_kind(st.st_mode) is not None for st in stats):
        return None
    return tuple(st.st_size for st in stats)


def _blank(path: Path, size: int) -> bool:
    """Whether a file holds nothing but white space (its reader calls it empty)."""
    if size > _BLANK_MAX:
        return False
    try:  # regular files only, never blocking (the file may have changed since its stat)
        return not read_regular_file(path, "capture", RfcheckError, _BLANK_MAX).strip()
    except RfcheckError:
        return False


#: Files larger than this are never all white space here (read only below it). [bytes]
_BLANK_MAX = 4096


def _digest(path: Path) -> str | None:
    try:
        return "+".join(file_sha256(p) for p in capture_files(path))
    except OSError:
        return None


def _spread(group: list[Filed]) -> bool:
    """Whether some two files of ``group`` are filed under two units, or two ports of one."""
    if len({f.unit for f in group}) > 1:
        return True
    return len({f.port for f in group if f.port}) > 1


def shared_content(files: Iterable[Filed]) -> dict[Path, SharedContent]:
    """Return, per capture whose content is also filed elsewhere, that content.

    Elsewhere: under another unit, or under another port of its unit (when the files'
    ports are given).

    Parameters
    ----------
    files : iterable of Filed
        Every capture of the run with its unit (and port). Two files of one port of one unit
        holding one content are not shared (a repeat), nor are two files of one unit whose
        ports are not given; a file that cannot be read, or an empty or white-space-only one,
        is left out (its reader reports it).

    Returns
    -------
    dict of Path to SharedContent
        Keyed by each path given that holds a content a file filed elsewhere holds too;
        empty when there is none.
    """
    by_size: dict[tuple[int, ...], list[Filed]] = {}
    for f in files:
        size = _size(f.path)
        if size is not None and not _blank(f.path, size[0]):  # no measurement: its reader says
            by_size.setdefault(size, []).append(f)
    by_digest: dict[str, list[Filed]] = {}
    for group in by_size.values():
        if not _spread(group):
            continue
        for f in group:
            digest = _digest(f.path)
            if digest is not None:
                by_digest.setdefault(digest, []).append(f)
    out: dict[Path, SharedContent] = {}
    for digest, group in by_digest.items():
        if not _spread(group):
            continue
        content = SharedContent(digest, tuple(group))
        ports: dict[str, set[str]] = {}
        for f in group:
            ports.setdefault(f.unit, set()).update([f.port] if f.port else [])
        for f in group:  # not a file of a port of one unit whose other files are its repeats
            if len(ports) > 1 or (f.port and ports[f.unit] - {f.port}):
                out[f.path] = content
    return out
