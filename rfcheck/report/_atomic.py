"""Atomic file writes: a temporary file in the destination folder, then ``os.replace``.

A report that exists is always complete: a crash or an exception while rendering or
writing leaves either the previous file or no file, never a truncated one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically.

    Parameters
    ----------
    path : Path
        Destination. Its folder must exist.
    data : bytes
        Complete file content.

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    The temporary file is created in the same folder (so ``os.replace`` is a rename on
    one file system), flushed and fsync'ed before the rename, and removed on any error.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    return path
