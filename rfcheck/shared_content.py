"""Captures whose content is filed under more than one unit, or two ports of one unit.

A test record is the record of the unit tested: a capture whose measurement is filed under
two units is one measurement, and cannot be evidence for both. Nor can one measurement filed
under two ports of one unit (the H file copied as V): it is one measurement presented as two.
:func:`shared_content` finds them among a run's captures; the dossier sets each such capture
aside in every unit (port) holding it (``docs/dossier.md``, "One capture filed under two
units"), and the lot refuses the run (``docs/lot.md``), as it refuses one serial stated by
two units. Two files of one port of one unit holding one content are a repeat, and stay.

Two files are one measurement when they hold (:class:`Identical`):

- the same bytes (SHA-256, as the manifest hashes them; a SigMF recording: its metadata and
  its samples both). Files are compared by size first, so only files of one size under
  different units are hashed here (the manifest reuses those hashes);
- the same readings: a text capture re-saved (CRLF, other number formatting) or with an
  edited header line, found from the numbers of its last data rows
  (:func:`rfcheck.readings_fingerprint.readings_key`: the end of each file is read, never
  the whole file);
- the same samples: a binary recording whose metadata was edited
  (:func:`rfcheck.readings_fingerprint.sample_parts`), hashed only where two units' (ports')
  samples are of one size.

References
----------
47 CFR 2.938(b): the record of the equipment tested; 2.906(b), 2.908: the data of one device
cover identical units only. CISPR TR 16-4-3: the 80/80 rule assumes independent units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from . import readings_fingerprint as _fp
from .errors import RfcheckError
from .io import file_sha256
from .textfile import non_regular_kind, read_regular_file

__all__ = [
    "SHARED_CONTENT_ROLE",
    "Filed",
    "Identical",
    "SharedContent",
    "capture_files",
    "shared_content",
]

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


class Identical(StrEnum):
    """What the files of one shared content have in common (``dossier.json`` ``identical``)."""

    #: every byte (the same SHA-256)
    BYTES = "bytes"
    #: the numbers of their last data rows, not every byte (a re-saved or edited copy)
    READINGS = "readings"
    #: a binary recording's samples, not its metadata
    SAMPLES = "samples"


#: What each kind of shared content is called in a message: the noun phrase of
#: ``<file>: <phrase> is filed under ...``.
_PHRASE = {
    Identical.BYTES: "the same file content (SHA-256)",
    Identical.READINGS: (
        f"a copy of its readings (the same numbers in the last {_fp.ROWS} data rows, not the "
        "same bytes: a re-saved or edited copy)"
    ),
    Identical.SAMPLES: "a copy of its samples (the same sample data, other metadata)",
}


@dataclass(frozen=True)
class SharedContent:
    """One content filed under several units (ports): its digest and every file holding it.

    ``sha256`` is, by ``identical``: the file's (a SigMF recording: its metadata's, then its
    samples', joined with ``+``); the SHA-256 of the numbers of its last data rows
    (:func:`rfcheck.readings_fingerprint.readings_key`); the SHA-256 of its samples.
    ``filed`` lists the files in the order given, at least two units (or two ports of one
    unit) among them.
    """

    sha256: str
    filed: tuple[Filed, ...]
    identical: Identical = Identical.BYTES

    @property
    def phrase(self) -> str:
        """``the same file content (SHA-256)``, ``a copy of its readings (...)``, ..."""
        return _PHRASE[self.identical]

    @property
    def digest_text(self) -> str:
        """``SHA-256 081a3a0309e2...``, naming what was hashed unless every byte."""
        short = f"{self.sha256[:12]}..."
        if self.identical is Identical.READINGS:
            return f"identical readings in the last {_fp.ROWS} data rows, not identical bytes"
        if self.identical is Identical.SAMPLES:
            return f"identical samples, SHA-256 {short} of the sample data; other metadata"
        return f"SHA-256 {short}"

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


def _spread(group: Sequence[Filed]) -> bool:
    """Whether some two files of ``group`` are filed under two units, or two ports of one."""
    if len({f.unit for f in group}) > 1:
        return True
    return len({f.port for f in group if f.port}) > 1


class _Links:
    """Files joined into contents: any two holding one bytes, readings or samples digest."""

    def __init__(self, files: Sequence[Filed]) -> None:
        self.files = files
        self._parent = list(range(len(files)))
        self.digests: dict[str, dict[int, str]] = {k: {} for k in Identical}

    def _root(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def add(self, kind: Identical, i: int, digest: str | None) -> None:
        if digest is not None:
            self.digests[kind][i] = digest

    def join(self) -> list[list[int]]:
        """Return the groups of two or more files, each in the order given."""
        for kind in Identical:
            first: dict[str, int] = {}
            for i, digest in self.digests[kind].items():
                j = first.setdefault(digest, i)
                self._parent[self._root(i)] = self._root(j)
        groups: dict[int, list[int]] = {}
        for i in range(len(self.files)):
            groups.setdefault(self._root(i), []).append(i)
        return [sorted(g) for g in groups.values() if len(g) > 1]

    def content(self, group: list[int]) -> SharedContent:
        """Return the group's content: its bytes where all alike, else its readings (samples)."""
        filed = tuple(self.files[i] for i in group)
        for kind in Identical:
            held = {self.digests[kind].get(i) for i in group}
            if len(held) == 1 and None not in held:
                return SharedContent(held.pop() or "", filed, kind)
        # some alike in every byte, the others in readings (samples) only: the weaker claim
        samples = [self.digests[Identical.SAMPLES].get(i) for i in group]
        kind = Identical.SAMPLES if any(samples) else Identical.READINGS
        held_any = [d for i in group if (d := self.digests[kind].get(i)) is not None]
        return SharedContent(min(held_any, default=""), filed, kind)


def _by_size(
    files: Sequence[Filed], size_of: dict[int, tuple[int, ...]]
) -> dict[tuple[int, ...], list[int]]:
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, size in size_of.items():
        groups.setdefault(size, []).append(i)
    return {k: g for k, g in groups.items() if _spread([files[i] for i in g])}


def _link(files: Sequence[Filed]) -> _Links:
    """Find every file's bytes, readings and samples digests, where a match is possible."""
    links = _Links(files)
    sizes: dict[int, tuple[int, ...]] = {}
    samples: dict[int, tuple[_fp.SamplePart, ...]] = {}
    for i, f in enumerate(files):
        size = _size(f.path)
        if size is None or _blank(f.path, size[0]):  # no measurement: its reader says
            continue
        sizes[i] = size
        parts = _fp.sample_parts(f.path)
        if parts is not None:
            samples[i] = parts
        else:
            links.add(Identical.READINGS, i, _fp.readings_key(f.path, size[0]))
    for group in _by_size(files, sizes).values():
        for i in group:
            links.add(Identical.BYTES, i, _digest(files[i].path))
    sample_sizes = {i: tuple(p.size for p in parts) for i, parts in samples.items()}
    for group in _by_size(files, sample_sizes).values():
        for i in group:
            links.add(Identical.SAMPLES, i, _fp.samples_digest(samples[i]))
    return links


def shared_content(files: Iterable[Filed]) -> dict[Path, SharedContent]:
    """Return, per capture whose content is also filed elsewhere, that content.

    Elsewhere: under another unit, or under another port of its unit (when the files'
    ports are given). One content: the same bytes, or the same readings (a text capture's
    last data rows), or the same samples (a binary recording), :class:`Identical`.

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
    links = _link(list(files))
    out: dict[Path, SharedContent] = {}
    for indices in links.join():
        group = [links.files[i] for i in indices]
        if not _spread(group):
            continue
        content = links.content(indices)
        ports: dict[str, set[str]] = {}
        for f in group:
            ports.setdefault(f.unit, set()).update([f.port] if f.port else [])
        for f in group:  # not a file of a port of one unit whose other files are its repeats
            if len(ports) > 1 or (f.port and ports[f.unit] - {f.port}):
                out[f.path] = content
    return out
