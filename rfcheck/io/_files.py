"""Opening capture files safely: regular files only, text read up to a stated size.

A FIFO, a device (``/dev/zero``), a socket or a directory given as a capture would block
forever or read until memory runs out; every reader opens its files through
:func:`open_regular`, which refuses them before reading a byte (the open itself never
blocks: ``O_NONBLOCK``). Text formats are read whole, so :func:`read_bytes_capped` refuses
a file larger than :data:`MAX_TEXT_BYTES` (far above any instrument export: a 1,000,001
point R&S receiver scan is about 40 MB). Binary I/Q samples are memory-mapped, never read
whole, and have no cap.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from ..errors import CaptureFormatError
from ..textfile import non_regular_kind, open_nonblocking

__all__ = [
    "MAX_TEXT_BYTES",
    "open_regular",
    "check_regular",
    "read_head",
    "read_bytes_capped",
    "check_text_size",
    "refuse_blank",
    "nul_at",
]

#: Largest text capture (header and data) a reader accepts. [B]
MAX_TEXT_BYTES = 256 * 1024 * 1024


def _refuse(mode: int, path: Path) -> None:
    kind = non_regular_kind(mode)
    if kind is not None:
        raise CaptureFormatError(f"is {kind}, not a capture file", path)


def check_regular(path: Path) -> os.stat_result:
    """``os.stat`` of ``path``, refusing anything but a regular file (links are followed).

    Raises
    ------
    CaptureFormatError
        ``path`` does not exist, cannot be reached (a symbolic-link loop), or is a directory,
        FIFO, device or socket.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise CaptureFormatError("no such file", path) from None
    except OSError as err:  # a link loop, a name too long, no permission on a folder
        raise CaptureFormatError(f"cannot read: {err.strerror}", path) from None
    _refuse(st.st_mode, path)
    return st


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for binary reading if (and only if) it is a regular file.

    The descriptor is opened with ``O_NONBLOCK`` and checked with ``fstat`` before any
    read, so neither a FIFO without a writer nor a device can block the caller, and a
    file swapped for a FIFO between a check and the open is still refused.

    Raises
    ------
    CaptureFormatError
        Not a regular file, no such file, or it cannot be opened (``cannot read:
        Permission denied``, where ``info`` once printed a traceback line).
    """
    try:
        fd = open_nonblocking(path)
    except FileNotFoundError:
        raise CaptureFormatError("no such file", path) from None
    except IsADirectoryError:
        raise CaptureFormatError("is a directory, not a capture file", path) from None
    except OSError as err:  # no permission: one error line, exit 3, in every command
        raise CaptureFormatError(f"cannot read: {err.strerror or err}", path) from None
    try:
        _refuse(os.fstat(fd).st_mode, path)
    except BaseException:
        os.close(fd)
        raise
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_head(path: Path, n_bytes: int) -> bytes:
    """Return the first ``n_bytes`` bytes of a regular file (see :func:`open_regular`)."""
    with open_regular(path) as fh:
        return fh.read(n_bytes)


def read_bytes_capped(path: Path, limit: int | None = None) -> bytes:
    """Return the whole of a regular file, refusing one larger than ``limit`` bytes.

    ``limit`` defaults to :data:`MAX_TEXT_BYTES`.

    Raises
    ------
    CaptureFormatError
        Not a regular file, or larger than ``limit`` bytes (the message states both sizes).
    """
    limit = MAX_TEXT_BYTES if limit is None else limit
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise CaptureFormatError(
                f"file is {size} bytes, more than the {limit} bytes a text capture may hold", path
            )
        raw = fh.read(limit + 1)
    if len(raw) > limit:  # grew while being read
        raise CaptureFormatError(
            f"file holds more than the {limit} bytes a text capture may hold", path
        )
    return raw


def refuse_blank(raw: bytes, path: Path, *, whole: bool = True) -> None:
    """Refuse a file whose bytes ``raw`` hold no text: empty, or only blank lines.

    ``whole``: ``raw`` is the whole file, not its first bytes (a file of blank lines is
    said so, not "empty": it has bytes, none of them data).

    Raises
    ------
    CaptureFormatError
        ``raw`` is empty or white space only.
    """
    if raw.strip():
        return
    if not raw:
        raise CaptureFormatError("file is empty", path)
    if whole:
        raise CaptureFormatError("file holds only blank lines (white space), no data", path)
    raise CaptureFormatError(
        f"the file's first {len(raw)} bytes hold only blank lines (white space), no data", path
    )


def nul_at(raw: bytes) -> str:
    """Say where the first NUL byte of ``raw`` is (``"NUL byte at offset 310"``), else ""."""
    offset = raw.find(b"\x00")
    return f"NUL byte at offset {offset}" if offset >= 0 else ""


def check_text_size(path: Path) -> None:
    """Refuse a text capture that is not a regular file or exceeds :data:`MAX_TEXT_BYTES`.

    For readers that hand the path itself to a parser (pandas) instead of reading it.
    """
    size = check_regular(path).st_size
    if size > MAX_TEXT_BYTES:
        raise CaptureFormatError(
            f"file is {size} bytes, more than the {MAX_TEXT_BYTES} bytes a text capture may hold",
            path,
        )
