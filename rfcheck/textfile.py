"""Reading a small user file (setup, limit or transducer table) safely.

Regular files only, at most a stated size.

A FIFO named as ``lisn = "fifo"`` blocked forever and ``lisn = "/dev/zero"`` read until the
OOM killer stopped the batch. :func:`read_regular_file` opens without blocking, refuses
anything that is not a regular file, and reads at most ``max_bytes`` (one byte more tells
that the file is larger).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import RfcheckError

__all__ = ["MAX_TABLE_BYTES", "read_regular_file"]

#: Largest setup, limit or transducer file rfcheck reads (a table of a few thousand rows is
#: well under 1 MiB). [bytes]
MAX_TABLE_BYTES = 16 * 1024 * 1024


def read_regular_file(
    path: str | Path, what: str, error: type[RfcheckError], max_bytes: int = MAX_TABLE_BYTES
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
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise error(f"cannot read {what}: {err.strerror}", p) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = (
                "a folder"
                if stat.S_ISDIR(mode)
                else "a FIFO"
                if stat.S_ISFIFO(mode)
                else "not a regular file"
            )
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
