"""Capture readers: one module per instrument format, an explicit registry, and sniffing.

Detection is deterministic: each reader declares a header signature (``sniff``) and a
priority; readers are consulted in priority order (most specific first, generic CSV last)
and the first whose signature matches reads the file. ``--format NAME`` skips detection.
No reader is ever tried "to see if it works".
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..capture import Capture, Detector, Provenance
from ..errors import CaptureFormatError, RfcheckError, UnitError
from ..units import LevelUnit

__all__ = [
    "file_sha256",
    "Reader",
    "READERS",
    "get_reader",
    "detect_format",
    "load_capture",
    "companion_files",
    "companion_hashes",
    "HEAD_BYTES",
]

#: How many leading bytes a reader's ``sniff`` sees.
HEAD_BYTES = 8192
_HASHES_LOCK = threading.Lock()


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


def _load_readers() -> tuple[Reader, ...]:
    readers = [importlib.import_module(f"{__name__}.{m}").READER for m in _READER_MODULES]
    names = [r.name for r in readers]
    if len(set(names)) != len(names):  # pragma: no cover - programming error
        raise RuntimeError(f"duplicate reader names: {names}")
    return tuple(sorted(readers, key=lambda r: (r.priority, r.name)))


READERS: tuple[Reader, ...] = _load_readers()


def get_reader(name: str) -> Reader:
    """Look up a reader by its ``--format`` name."""
    for r in READERS:
        if r.name == name:
            return r
    known = ", ".join(r.name for r in READERS)
    raise CaptureFormatError(f"unknown format {name!r} (known: {known})")


def _read_head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES)


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text without a BOM: ASCII characters interleaved with NUL bytes."""
    sample = head[:512]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.9 * len(even) or odd.count(0) > 0.9 * len(odd)


def detect_format(path: str | Path) -> Reader:
    """Return the reader whose signature matches ``path``'s first bytes.

    Raises
    ------
    CaptureFormatError
        No reader recognises the file (empty, binary, UTF-16 or unknown layout).
    """
    p = Path(path)
    head = _read_head(p)
    if not head.strip():
        raise CaptureFormatError("file is empty", p)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CaptureFormatError("file is UTF-16 text; re-save it as UTF-8 or ASCII", p)
    for reader in READERS:
        if reader.sniff(head, p):
            return reader
    if _looks_utf16(head):
        raise CaptureFormatError("file is UTF-16 text (no BOM); re-save it as UTF-8 or ASCII", p)
    first = head.splitlines()[0][:60] if head.splitlines() else head[:60]
    raise CaptureFormatError(
        f"unrecognised capture format (first line {first!r}); "
        "name it with --format (see 'rfcheck formats')",
        p,
    )


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
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
    """SHA-256 of a file's bytes, read in 1 MiB blocks (memory does not grow with the file),
    reusing a hash this process already took of the unchanged file.

    Raises
    ------
    OSError
        The file cannot be read.
    """
    path = Path(path)
    with _HASHES_LOCK:
        hit = _HASHES.get(_stat_key(path, path.stat()))
    return hit if hit is not None else _sha256(path)[0]


def _hash_files(paths: list[Path]) -> list[tuple[str, int]]:
    return [_sha256(p) for p in paths]


def companion_files(path: str | Path, fmt: str | None = None) -> list[Path]:
    """The other files the capture at ``path`` is read from (see :attr:`Reader.companions`).

    Empty for single-file formats, and when ``path`` cannot be read or recognised (reading
    it then reports the error).
    """
    p = Path(path)
    try:
        reader = get_reader(fmt) if fmt else detect_format(p)
    except (RfcheckError, OSError):
        return []
    if reader.companions is None:
        return []
    main = p.resolve()
    return [c for c in dict.fromkeys(reader.companions(p)) if c.resolve() != main]


def companion_hashes(path: str | Path, fmt: str | None = None) -> list[tuple[str, str]]:
    """``(path, sha256)`` of each of :func:`companion_files`; ``"unreadable"`` when a file
    cannot be read. A hash taken by :func:`load_capture` of the unchanged file is reused.
    """
    out = []
    for c in companion_files(path, fmt):
        try:
            out.append((str(c), file_sha256(c)))
        except OSError:
            out.append((str(c), "unreadable"))
    return out


def load_capture(
    path: str | Path,
    fmt: str | None = None,
    *,
    unit: LevelUnit | None = None,
    detector: Detector | None = None,
    require_unit: bool = False,
) -> Capture:
    """Read a capture file and record its provenance.

    Parameters
    ----------
    path : str or Path
        Capture file (for SigMF, the ``.sigmf-meta`` or ``.sigmf-data`` file).
    fmt : str, optional
        Reader name; skips detection.
    unit : LevelUnit, optional
        Level unit for traces whose file states none. A file that states a different
        unit is an error (nothing is silently re-interpreted).
    detector : Detector, optional
        Detector for traces whose file states none (likewise never overrides).
    require_unit : bool
        Raise when a trace's unit is still unknown after applying ``unit``.

    Returns
    -------
    Capture
        With ``provenance`` (path, SHA-256 of the bytes, format, and the companion files
        with their own SHA-256) filled in.

    Raises
    ------
    CaptureFormatError, UnitError
    """
    p = Path(path)
    if not p.exists():
        raise CaptureFormatError("no such file", p)
    if p.is_dir():
        raise CaptureFormatError("is a directory, not a capture file", p)
    reader = get_reader(fmt) if fmt else detect_format(p)
    companions = companion_files(p, reader.name)
    # Hash the bytes (the file and its companions) on a second thread while the reader
    # parses: hashlib releases the GIL on large buffers, so provenance costs (almost) no
    # wall time on a multi-core machine.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(_hash_files, [p, *companions])
        capture = reader.read(p)
        try:
            (sha, size), *others = digest.result()
        except OSError as err:  # a companion vanished or is unreadable after the read
            raise CaptureFormatError(f"cannot hash for provenance: {err}", p) from None
    traces = []
    for tr in capture.traces:
        changes: dict[str, object] = {}
        if unit is not None:
            if tr.unit is None:
                changes["unit"] = unit
            elif tr.unit is not unit:
                raise UnitError(
                    f"--unit {unit.value} contradicts the file's unit {tr.unit.value} "
                    f"for trace {tr.name or '1'}",
                    p,
                )
        if detector is not None:
            if tr.detector is Detector.UNKNOWN:
                changes["detector"] = detector
            elif tr.detector is not detector:
                raise CaptureFormatError(
                    f"--detector {detector.value} contradicts the file's detector "
                    f"{tr.detector.value} for trace {tr.name or '1'}",
                    p,
                )
        tr = dataclasses.replace(tr, **changes) if changes else tr  # type: ignore[arg-type]
        if require_unit and tr.unit is None:
            raise UnitError(
                f"the file states no level unit for trace {tr.name or '1'}; state it with --unit",
                p,
            )
        traces.append(tr)
    prov = Provenance(
        path=str(p),
        sha256=sha,
        format=reader.name,
        size_bytes=size,
        companions=tuple((str(c), h) for c, (h, _) in zip(companions, others, strict=True)),
    )
    return dataclasses.replace(capture, traces=tuple(traces), provenance=prov)
