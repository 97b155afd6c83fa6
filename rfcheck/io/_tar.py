"""Members of the tar archives recordings come in (R&S iq-tar, SigMF ``.sigmf``).

Samples are memory-mapped straight from a member's bytes inside the archive, so only a
plain file stored whole may be used: links would point elsewhere, a sparse member's bytes
in the archive are not its content, and absolute or ``..`` names are never legitimate in a
recording. Every member of the archive is checked, not only the ones read.
"""

from __future__ import annotations

import re
import tarfile
from pathlib import Path, PurePosixPath

from ..errors import CaptureFormatError

__all__ = ["check_member"]


def check_member(m: tarfile.TarInfo, path: Path, what: str) -> None:
    """Refuse a member that is not a plain file or folder under a relative name.

    Parameters
    ----------
    m : tarfile.TarInfo
    path : Path
        The archive, named in errors.
    what : str
        The archive kind for messages (``iq-tar``, ``SigMF archive``).

    Raises
    ------
    CaptureFormatError
        An absolute name, a ``..`` component, a symbolic or hard link, a sparse member
        (GNU or PAX), or a device/FIFO member.
    """
    name = m.name
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise CaptureFormatError(f"{what} member {name!r} has an absolute path", path)
    if ".." in parts:
        raise CaptureFormatError(f"{what} member {name!r} has a '..' path component", path)
    if m.issym() or m.islnk():
        raise CaptureFormatError(f"{what} member {name!r} is a link (to {m.linkname!r})", path)
    if m.issparse() or any(k.startswith("GNU.sparse") for k in m.pax_headers):
        raise CaptureFormatError(f"{what} member {name!r} is a sparse file (not supported)", path)
    if not (m.isfile() or m.isdir()):
        raise CaptureFormatError(f"{what} member {name!r} is not a regular file", path)
