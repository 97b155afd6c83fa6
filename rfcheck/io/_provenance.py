"""Provenance of a capture: SHA-256 of the file and of the companion files it is read with.

Hashes are taken in 1 MiB blocks (memory does not grow with the file) and remembered per
(path, device, inode, size, mtime), so a large SigMF data file hashed while it is loaded is
not read again when a report lists its companions.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from ..errors import CaptureFormatError, RfcheckError
from ..textfile import path_as_given, path_to_open
from ._files import open_regular
from ._registry import detect_format, get_reader

__all__ = ["file_sha256", "hash_files", "companion_files", "companion_hashes"]

_HASHES_LOCK = threading.Lock()


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open_regular(path) as fh:
        st = os.fstat(fh.fileno())
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    digest = h.hexdigest()
    _remember(path, st, digest)
    return digest, size


#: SHA-256 of files hashed in this process, keyed by (resolved path, device, inode, size,
#: mtime): lets :func:`companion_hashes` reuse the hash :func:`load_capture` just took of a
#: large SigMF data file instead of reading it again. A changed file misses the cache.
_HASHES: dict[tuple[str, int, int, int, int], str] = {}
_HASHES_MAX = 256


def _stat_key(path: Path, st: os.stat_result) -> tuple[str, int, int, int, int]:
    return (str(path.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _remember(path: Path, st: os.stat_result, digest: str) -> None:
    with _HASHES_LOCK:
        if len(_HASHES) >= _HASHES_MAX:
            _HASHES.clear()
        _HASHES[_stat_key(path, st)] = digest


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes.

    Read in 1 MiB blocks (memory does not grow with the file), reusing a hash this process
    already took of the unchanged file.

    Raises
    ------
    OSError
        The file cannot be read, or is not a regular file (a FIFO or device is never
        opened for hashing; reading it as a capture reports the problem).
    """
    path = Path(path)
    with _HASHES_LOCK:
        hit = _HASHES.get(_stat_key(path, path.stat()))
    if hit is not None:
        return hit
    try:
        return _sha256(path)[0]
    except CaptureFormatError as err:
        raise OSError(f"{path}: {err.message}") from None


def hash_files(paths: list[Path]) -> list[tuple[str, int]]:
    """``(sha256, size in bytes)`` of each of ``paths``."""
    return [_sha256(p) for p in paths]


def companion_files(path: str | Path, fmt: str | None = None) -> list[Path]:
    """Return the other files the capture at ``path`` is read from (see :attr:`Reader.companions`).

    Empty for single-file formats, and when ``path`` cannot be read or recognised (reading
    it then reports the error). Never raises: batch and dossier runs call this to size and
    hash their inputs before any input is read, where one hostile file (SigMF metadata
    nested 100,000 deep) must not stop the run; its own read reports the problem.
    """
    p = Path(path)
    try:
        reader = get_reader(fmt) if fmt else detect_format(p)
        if reader.companions is None:
            return []
        main = p.resolve()
        return [c for c in dict.fromkeys(reader.companions(p)) if c.resolve() != main]
    except Exception:  # broad on purpose: the file's own read reports it, as one input
        return []


def companion_hashes(
    path: str | Path, fmt: str | None = None, *, base_dir: str | Path | None = None
) -> list[tuple[str, str]]:
    """Return ``(path, sha256)`` of each of :func:`companion_files`.

    ``"unreadable"`` when a file cannot be read. A hash taken by :func:`load_capture` of the
    unchanged file is reused. A relative ``path`` is relative to ``base_dir`` (None = the
    current directory); each companion is named as ``path`` is
    (:func:`~rfcheck.textfile.path_as_given`).
    """
    out = []
    for c in companion_files(path_to_open(path, base_dir), fmt):
        shown = str(path_as_given(c, path, base_dir))
        try:
            out.append((shown, file_sha256(c)))
        except (OSError, RfcheckError):
            out.append((shown, "unreadable"))
    return out
