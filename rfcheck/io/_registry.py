"""The capture-format registry: :class:`Reader` records, their lookup and header sniffing.

Reader modules import :class:`Reader` from here (never from the package ``__init__``, so
importing one reader does not re-enter the package while it initialises). Detection is
deterministic: readers are consulted in priority order (most specific first, generic CSV
last) and the first whose signature matches reads the file. ``--format NAME`` skips
detection. No reader is ever tried "to see if it works".
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..capture import Capture
from ..errors import CaptureFormatError
from ._files import MAX_TEXT_BYTES, check_regular, nul_at, read_head, refuse_blank

__all__ = ["HEAD_BYTES", "Reader", "readers", "get_reader", "detect_format"]

#: How many leading bytes a reader's ``sniff`` sees.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Reader:
    """One registered capture format.

    Attributes
    ----------
    name : str
        Format id for ``--format`` (``rs-ascii``).
    title : str
        Human name (``Rohde & Schwarz ASCII trace export``).
    extensions : tuple of str
        Usual file extensions (informational; detection uses the content).
    signature : str
        What ``sniff`` looks for, shown by ``rfcheck formats``.
    sniff : callable(head: bytes, path: Path) -> bool
        True when the first :data:`HEAD_BYTES` bytes carry this format's signature.
    read : callable(path: Path) -> Capture
        Parse the file; raise :class:`~rfcheck.errors.CaptureFormatError` on bad content.
    priority : int
        Lower is consulted first. Specific signatures < 500; header-less/generic >= 900.
    companions : callable(path: Path) -> list of Path, optional
        The other files ``read(path)`` reads besides ``path`` (a SigMF data file); each is
        hashed into :attr:`~rfcheck.capture.Provenance.companions`. Must not raise: a
        file it cannot work out is left to ``read`` to report.
    """

    name: str
    title: str
    extensions: tuple[str, ...]
    signature: str
    sniff: Callable[[bytes, Path], bool]
    read: Callable[[Path], Capture]
    priority: int = 100
    companions: Callable[[Path], list[Path]] | None = None


#: Reader modules, each exposing ``READER``. Add a new format by adding its module here.
_READER_MODULES: tuple[str, ...] = (
    "sigmf_reader",
    "rs_iqtar",
    "tektronix",
    "tinysa",
    "generic_csv",
    "rigol",
    "signalhound",
    "rs_ascii",
    "keysight_xseries",
    "agilent_esa",
    "agilent_n9340",
    "keysight_n9343",
    "siglent",
)


@functools.cache
def readers() -> tuple[Reader, ...]:
    """Every registered reader, most specific signature first (imported on first use)."""
    package = __name__.rsplit(".", 1)[0]
    loaded = [importlib.import_module(f"{package}.{m}").READER for m in _READER_MODULES]
    names = [r.name for r in loaded]
    if len(set(names)) != len(names):  # pragma: no cover - programming error
        raise RuntimeError(f"duplicate reader names: {names}")
    return tuple(sorted(loaded, key=lambda r: (r.priority, r.name)))


def get_reader(name: str) -> Reader:
    """Look up a reader by its ``--format`` name."""
    for r in readers():
        if r.name == name:
            return r
    known = ", ".join(r.name for r in readers())
    raise CaptureFormatError(f"unknown format {name!r} (known: {known})")


#: The UTF-8 byte-order mark some Windows programs write before the first line.
_UTF8_BOM = b"\xef\xbb\xbf"


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text without a BOM: ASCII characters interleaved with NUL bytes."""
    sample = head[:512]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]

    def mostly_nul(half: bytes) -> bool:
        return half.count(0) > 0.9 * len(half)

    # the characters' half holds text: all NULs is zeros, not UTF-16
    return (mostly_nul(even) and not mostly_nul(odd)) or (mostly_nul(odd) and not mostly_nul(even))


#: Share of a file's first bytes that may be undecodable or control characters in a text
#: export (a stray byte in a label); more is binary data.
_BINARY_SHARE = 0.1
#: Leading bytes a binary file's message shows in hex.
_FIRST_BYTES = 12


def _binary_detail(head: bytes) -> str:
    """Say what marks ``head`` (the file's first bytes, as read) as binary data.

    A NUL beyond the first bytes is named where it is (the first bytes of a text export
    holding one NUL are plain text and point nowhere, while ``--format`` names the
    offset); else the first bytes, in hex.
    """
    if head.find(b"\x00", 0, 512) >= _FIRST_BYTES:
        return nul_at(head)
    return f"first bytes {head[:_FIRST_BYTES].hex(' ')}"


#: Leading bytes of compressed files (and their names): a lab's zipped export, a
#: ``.sigmf.gz``, none of which any reader takes.
_PACKED = (
    (b"\x1f\x8b", "gzip-compressed"),
    (b"PK\x03\x04", "a zip archive"),
    (b"BZh", "bzip2-compressed"),
    (b"\xfd7zXZ\x00", "xz-compressed"),
    (b"(\xb5/\xfd", "zstd-compressed"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)


def packed_kind(head: bytes) -> str | None:
    """Return what compressed a file starting with ``head`` (``gzip-compressed``), else None."""
    return next((name for magic, name in _PACKED if head.startswith(magic)), None)


def _looks_binary(head: bytes) -> bool:
    """Whether ``head`` is binary data: a NUL, or many bytes no text export holds.

    Bytes that are not UTF-8 and control characters other than tab, CR and LF count; the
    last 3 bytes are left out (a character cut by the read).
    """
    sample = head[:512]
    if b"\x00" in sample:
        return True
    text = sample[:-3].decode("utf-8", errors="replace") if len(sample) > 3 else ""
    odd = sum(1 for c in text if c == "\ufffd" or (ord(c) < 32 and c not in "\t\r\n"))
    return odd > _BINARY_SHARE * max(1, len(text))


def detect_format(path: str | Path) -> Reader:
    """Return the reader whose signature matches ``path``'s first bytes.

    Raises
    ------
    CaptureFormatError
        No reader recognises the file (empty, binary, UTF-16 or unknown layout).
    """
    p = Path(path)
    head = read_head(p, HEAD_BYTES)
    refuse_blank(head, p, whole=len(head) < HEAD_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CaptureFormatError("file is UTF-16 text; re-save it as UTF-8 or ASCII", p)
    # a UTF-8 byte-order mark (Excel's "CSV UTF-8", Windows editors) is no part of the layout
    as_read, head = head, head.removeprefix(_UTF8_BOM)
    for reader in readers():
        if reader.sniff(head, p):
            return reader
    # no binary format took it: above the text cap no text reader would read it, whatever
    # its first bytes look like (a sparse 1 GiB file of NULs is not "UTF-16 text")
    size = check_regular(p).st_size
    if size > MAX_TEXT_BYTES:
        raise CaptureFormatError(
            f"file is {size} bytes, more than the {MAX_TEXT_BYTES} bytes a text capture may "
            "hold, and no binary format recognises it (name one with --format; see "
            "'rfcheck formats')",
            p,
        )
    if _looks_utf16(head):
        raise CaptureFormatError("file is UTF-16 text (no BOM); re-save it as UTF-8 or ASCII", p)
    packed = packed_kind(head)
    if packed is not None:  # --format cannot help: rfcheck reads no compressed file
        raise CaptureFormatError(
            f"file is {packed}; rfcheck reads captures uncompressed: unpack it first "
            "(a SigMF archive is an uncompressed tar, .sigmf)",
            p,
        )
    if _looks_binary(head):  # quoting it would print mojibake and U+FFFD
        raise CaptureFormatError(
            "unrecognised capture format: binary data, not a text export "
            f"({_binary_detail(as_read)}); name it with --format (see 'rfcheck formats')",
            p,
        )
    first = (head.splitlines() or [head])[0][:60].decode("utf-8", errors="replace")
    raise CaptureFormatError(
        f"unrecognised capture format (first line {first!r}); "
        "name it with --format (see 'rfcheck formats')",
        p,
    )
