"""Atomic file writes: a temporary file in the destination folder, then ``os.replace``.

A report that exists is always complete: a crash or an exception while rendering or
writing leaves either the previous file or no file, never a truncated one.

Atomicity vs durability
-----------------------
The rename gives *atomicity* against process crashes and exceptions: readers see the old
file or the new one, never a partial one. It does not by itself give *durability* across a
power loss or kernel crash: without an ``fsync`` the kernel may not yet have written the
data when the rename reaches the disk, and after such an event the file can be empty or
missing (journalling file systems such as ext4 with ``auto_da_alloc`` usually flush data on
a rename-over, but that is not guaranteed). Reports are regenerable from their inputs, so
:func:`write_atomic` skips the per-file ``fsync`` by default (it cost ~10 ms per file and
dominated batch runs); pass ``durable=True`` to fsync the file and its folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_atomic", "write_atomic_all"]


def write_atomic(path: Path, data: bytes, *, durable: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically.

    Parameters
    ----------
    path : Path
        Destination. Its folder must exist.
    data : bytes
        Complete file content.
    durable : bool
        Also survive a power loss: fsync the file before the rename and the folder after
        it. Off by default (see the module docstring).

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    The temporary file is created in the same folder (so ``os.replace`` is a rename on
    one file system), fully written and closed before the rename, and removed on any
    error.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    if durable:
        _fsync_dir(path.parent)
    return path


def write_atomic_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several files that belong together (a batch summary): all or none.

    Every file is first written in full to a temporary file beside it; only when all are
    written are they renamed into place. A failure while writing (a full disk, a read-only
    folder) removes the temporary files and leaves every destination as it was; a failure
    of a rename (very rare) removes the files already renamed, so a partial set never
    remains.

    Parameters
    ----------
    files : mapping of Path to bytes
        Destination and complete content; every folder must exist.

    Returns
    -------
    list of Path
        The destinations, in the mapping's order.
    """
    temps: list[tuple[str, Path]] = []
    done: list[Path] = []
    try:
        for path, data in files.items():
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{Path(path).name}.", suffix=".tmp", dir=Path(path).parent
            )
            temps.append((tmp_name, Path(path)))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp_name, 0o644)
        for tmp_name, path in temps:
            os.replace(tmp_name, path)
            done.append(path)
    except BaseException:
        for tmp_name, _ in temps:
            try:
                os.unlink(tmp_name)
            except FileNotFoundError:
                pass
        for path in done:
            path.unlink(missing_ok=True)
        raise
    return [path for _, path in temps]


def _fsync_dir(folder: Path) -> None:
    """Persist the rename (the folder entry); a no-op where folders cannot be opened."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. Windows
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
