"""Opening a user file: where (a path as given, against its base) and how safely.

A path is kept as the user gave it (every message, report and provenance entry shows it so)
and opened at :func:`path_to_open`: joined to the directory it is relative to when that is
not the current one (a Dask worker runs in another directory than the client that named the
file). Small files (setup, limit or transducer tables) are read regular files only, at most
a stated size.

A FIFO named as ``lisn = "fifo"`` blocked forever and ``lisn = "/dev/zero"`` read until the
OOM killer stopped the batch. :func:`read_regular_file` opens without blocking, refuses
anything that is not a regular file, and reads at most ``max_bytes`` (one byte more tells
that the file is larger).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

from .errors import RfcheckError

__all__ = [
    "MAX_TABLE_BYTES",
    "ParsedCache",
    "path_to_open",
    "path_as_given",
    "user_path",
    "resolved",
    "read_regular_file",
    "open_nonblocking",
    "non_regular_kind",
]

#: Largest setup, limit or transducer file rfcheck reads (a table of a few thousand rows is
#: well under 1 MiB). [bytes]
MAX_TABLE_BYTES = 16 * 1024 * 1024

T = TypeVar("T")


class ParsedCache(Generic[T]):
    """What was parsed from a file's bytes, kept by what names the file and its SHA-256.

    The one rule for the tables a process reads again and again (a batch worker judging many
    inputs with the same limit and transducer files): the file is read at every use, and a
    content seen before under the same names is not parsed again; an edited file (other
    bytes) is parsed again whatever its modification time and size.

    Parameters
    ----------
    max_entries : int
        Entries kept; the cache is emptied when it is full (a run uses a handful of tables).
    """

    def __init__(self, max_entries: int) -> None:
        self._max = max_entries
        self._entries: dict[tuple[Hashable, ...], T] = {}

    def get(self, raw: bytes, names: tuple[Hashable, ...], parse: Callable[[str], T]) -> T:
        """Return ``parse(sha256)`` of the bytes ``raw``, from the cache when seen before.

        Parameters
        ----------
        raw : bytes
            The file's bytes, just read.
        names : tuple
            What distinguishes the file and its reading besides its bytes (the path as
            given, the path opened, the table kind...).
        parse : callable
            Parses ``raw``, given its SHA-256 (hex), into the value cached.
        """
        sha256 = hashlib.sha256(raw).hexdigest()
        key = (*names, sha256)
        found = self._entries.get(key)
        if found is not None:
            return found
        value = parse(sha256)
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[key] = value
        return value

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()


def path_to_open(path: str | Path, base_dir: str | Path | None) -> Path:
    """Return where to open a file the user named ``path``, relative to ``base_dir``.

    Parameters
    ----------
    path : str or Path
        The path as given (shown as such in every message and report).
    base_dir : str or Path, optional
        The directory a relative ``path`` is relative to; None or "" = the current one.

    Returns
    -------
    Path
        ``path`` itself when it is absolute or there is no base, else ``base_dir / path``
        (not resolved: symbolic links and ``..`` are left to the operating system).
    """
    p = Path(path)
    if not base_dir or p.is_absolute():
        return p
    return Path(base_dir) / p


def path_as_given(opened: str | Path, given: str | Path, base_dir: str | Path | None) -> Path:
    """Return how to show a file opened while reading the file the user named ``given``.

    The inverse of :func:`path_to_open`, by path arithmetic, for the file itself and the
    files found beside it (a SigMF data file next to its metadata): a file opened under
    ``base_dir`` for a relative ``given`` is shown relative to ``base_dir``; any other
    path is shown as it is.
    """
    o = Path(opened)
    if not base_dir or Path(given).is_absolute() or not o.is_relative_to(base_dir):
        return o
    return o.relative_to(base_dir)


def user_path(text: str) -> Path:
    """Return a path a user wrote, ``~`` and ``~user`` expanded where they can be.

    ``~nosuchuser`` (or ``~`` without a home) stays as written, so the file is then not
    found and said so, one line naming it, instead of an internal error (``~0`` in a setup's
    ``limit_files`` crashed with "Could not determine home directory").
    """
    p = Path(text)
    try:
        return p.expanduser()
    except RuntimeError:
        return p


def resolved(path: str | Path) -> Path:
    """Return ``path`` absolute, its symbolic links resolved where they can be.

    The one place rfcheck resolves a path the user named: a link that cannot be resolved (a
    loop, which ``Path.resolve`` raises ``RuntimeError`` on before Python 3.13) keeps its
    absolute path as written, so reading it then fails as it should, one line naming it
    (``cannot read: Too many levels of symbolic links``), never an internal error.
    """
    p = Path(path)
    try:
        return p.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
        return p.absolute()


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def non_regular_kind(mode: int) -> str | None:
    """Name what a file is when it is not a regular file (``"a FIFO (named pipe)"``).

    Parameters
    ----------
    mode : int
        ``st_mode`` of the file.

    Returns
    -------
    str or None
        ``None`` for a regular file.
    """
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_nonblocking(path: str | Path) -> int:
    """Open ``path`` read-only without blocking (a FIFO without a writer returns at once).

    The caller checks the descriptor with ``os.fstat`` and :func:`non_regular_kind` before
    reading, then closes it. Raises ``OSError`` as :func:`os.open` does.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags)


def read_regular_file(
    path: str | Path,
    what: str,
    error: type[RfcheckError],
    max_bytes: int = MAX_TABLE_BYTES,
    *,
    base_dir: str | Path | None = None,
) -> bytes:
    """Return the bytes of a regular file of at most ``max_bytes``.

    Parameters
    ----------
    path : str or Path
        The file.
    what : str
        What it is, for messages (``"setup file"``, ``"LISN table"``).
    error : type of RfcheckError
        Raised, naming ``path``, for a missing or unreadable file, a FIFO, device or
        folder, or a file larger than ``max_bytes``.
    max_bytes : int
        Size limit. [bytes]
    base_dir : str or Path, optional
        The directory a relative ``path`` is relative to (:func:`path_to_open`); errors
        name ``path`` as given.
    """
    p = Path(path)
    try:
        fd = open_nonblocking(path_to_open(p, base_dir))
    except OSError as err:
        raise error(f"cannot read {what}: {err.strerror}", p) from None
    try:
        kind = non_regular_kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise error(f"cannot read {what}: {kind} (only regular files are read)", p)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise error(f"cannot read {what}: {err.strerror}", p) from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise error(f"{what} is larger than {max_bytes // (1024 * 1024)} MiB: not read", p)
    return b"".join(chunks)
