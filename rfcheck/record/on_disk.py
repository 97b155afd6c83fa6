"""What ``verify`` finds on disk: the inputs re-hashed, a missing one's copy, the copies beside.

Each input a record's manifest lists is read under the inputs folder and its SHA-256
compared (:func:`verify_inputs`); a missing one is looked for under another name by its
bytes (:func:`same_content_under`). The attachments a run also writes beside its PDF are
compared with the file of their name there (:func:`copies_beside`), and a JSON or HTML file
names the record PDF beside it (:func:`record_pdf_beside`). Hashes are always taken from the
bytes on disk, never from a per-process cache: a reviewer's tool must not trust a file's
modification time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..textfile import non_regular_kind, open_nonblocking
from .manifest import Manifest

__all__ = [
    "COPIES_BESIDE",
    "MAX_RENAME_CANDIDATES",
    "BesideCheck",
    "FileCheck",
    "FileStatus",
    "copies_beside",
    "file_status",
    "record_pdf_beside",
    "same_content_under",
    "sha256_on_disk",
    "verify_inputs",
]


class FileStatus(StrEnum):
    """An input's bytes on disk against its manifest entry."""

    MATCH = "match"
    DIFFERS = "differs"
    MISSING = "missing"


def file_status(expected: str, found: str | None) -> FileStatus:
    """``missing`` (``found`` is None), ``match`` or ``differs`` of two SHA-256 digests."""
    if found is None:
        return FileStatus.MISSING
    return FileStatus.MATCH if found == expected else FileStatus.DIFFERS


@dataclass(frozen=True)
class FileCheck:
    """One input: its manifest entry's path, the expected and the found SHA-256."""

    path: str
    role: str
    expected_sha256: str
    found_sha256: str | None

    @property
    def status(self) -> FileStatus:
        """``missing`` (no readable file), ``match`` or ``differs``."""
        return file_status(self.expected_sha256, self.found_sha256)


#: Attachments a record's run also writes beside its PDF, as the same bytes: the unit
#: record's ``dossier.json`` and the entry sheet's ``entry.json`` (docs/dossier.md).
COPIES_BESIDE = ("dossier.json", "entry.json")


@dataclass(frozen=True)
class BesideCheck:
    """A copy of an attachment beside the PDF (``path``) against the attached bytes."""

    name: str
    path: str
    expected_sha256: str
    found_sha256: str | None

    @property
    def status(self) -> FileStatus:
        """``match`` (the same bytes as attached), ``differs``, or ``missing`` (unreadable)."""
        return file_status(self.expected_sha256, self.found_sha256)


def copies_beside(pdf_path: str | Path, attached: Mapping[str, bytes]) -> tuple[BesideCheck, ...]:
    """Compare each of :data:`COPIES_BESIDE` the PDF carries with the file of its name beside it.

    A name with no file beside the PDF is not compared (a record copied on its own).
    """
    folder = Path(pdf_path).parent
    return tuple(
        BesideCheck(
            name,
            str(folder / name),
            hashlib.sha256(attached[name]).hexdigest(),
            sha256_on_disk(folder / name),
        )
        for name in COPIES_BESIDE
        if name in attached and (folder / name).exists()
    )


#: The record PDF a JSON or HTML file of rfcheck's stands beside, by the file's name.
_RECORD_OF = {"dossier": "dossier.pdf", "entry": "entry.pdf", "summary": "entry.pdf"}


def record_pdf_beside(path: str | Path) -> Path | None:
    """Return the record PDF to verify beside a file that is not one (``dossier.json``...).

    ``dossier.json``/``.html`` -> ``dossier.pdf``, ``entry.*`` and the run's ``summary.json``
    -> ``entry.pdf``, when that PDF is in the same folder; else ``dossier.pdf`` or
    ``entry.pdf`` if the folder holds one; else None.
    """
    p = Path(path)
    named = _RECORD_OF.get(p.stem)
    for name in ([named] if named else []) + ["dossier.pdf", "entry.pdf"]:
        if (p.parent / name).is_file() and name != p.name:
            return p.parent / name
    return None


#: Most files of a missing input's suffix hashed in search of its content. [files]
MAX_RENAME_CANDIDATES = 1000


def same_content_under(
    inputs_dir: str | Path, check: FileCheck, listed: frozenset[str]
) -> tuple[str, ...]:
    """Return the files under ``inputs_dir`` holding a missing input's exact bytes.

    A renamed or moved input (``x.csv`` now ``x2.csv`` or ``X.CSV``): only files of its
    suffix (case ignored) that the manifest does not list are hashed, hidden folders
    skipped, at most :data:`MAX_RENAME_CANDIDATES` of them. POSIX paths
    relative to ``inputs_dir``, sorted.
    """
    root = Path(inputs_dir)
    suffix = Path(check.path).suffix.lower()
    found: list[str] = []
    seen = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if Path(name).suffix.lower() != suffix or rel in listed or name.startswith("."):
                continue
            seen += 1
            if seen > MAX_RENAME_CANDIDATES:
                return tuple(found)
            if sha256_on_disk(path) == check.expected_sha256:
                found.append(rel)
    return tuple(found)


def sha256_on_disk(path: Path) -> str | None:
    """Return the SHA-256 of ``path`` read now, in 1 MiB blocks.

    ``None`` when it is not a readable regular file: a FIFO or a device never blocks the
    check (it is opened without blocking and refused before a byte is read).
    """
    h = hashlib.sha256()
    try:
        fd = open_nonblocking(path)
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as fh:
        if non_regular_kind(os.fstat(fd).st_mode) is not None:
            return None
        os.set_blocking(fd, True)
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_inputs(manifest: Manifest, inputs_dir: str | Path) -> tuple[FileCheck, ...]:
    """Re-hash every input of ``manifest`` found under ``inputs_dir``, in manifest order."""
    root = Path(inputs_dir)
    return tuple(
        FileCheck(
            path=f.path,
            role=f.role,
            expected_sha256=f.sha256,
            found_sha256=sha256_on_disk(root / f.path),
        )
        for f in manifest.inputs
    )
