"""Where a SigMF recording is, and whether its samples are the ones its metadata describes.

A recording is a pair of files (``.sigmf-meta`` and ``.sigmf-data``, the data file named by
``core:dataset`` when it is stated) or one uncompressed archive (``.sigmf``, a tar holding
one pair). :func:`open_recording` finds the metadata (parsed, nesting bounded) and the byte
range of the dataset (:class:`Source`); :func:`check_sha512` checks the dataset against a
stated ``core:sha512``. Parsing the metadata into a capture is :mod:`rfcheck.io.sigmf_reader`.

References
----------
SigMF specification v1.2: core:dataset, core:metadata_only, core:sha512, the archive format.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..documents import DuplicateKeyError, load_json
from ..errors import CaptureFormatError
from ._files import MAX_TEXT_BYTES, check_regular, open_regular, read_bytes_capped
from ._tar import check_member

__all__ = [
    "ARCHIVE_EXT",
    "DATA_EXT",
    "META_EXT",
    "Source",
    "check_sha512",
    "load_meta",
    "open_recording",
    "sigmf_companions",
]

META_EXT = ".sigmf-meta"
DATA_EXT = ".sigmf-data"
ARCHIVE_EXT = ".sigmf"

#: Longest file name (one path component) the common file systems accept. [bytes]
_MAX_FILE_NAME_BYTES = 255

#: Characters a ``core:dataset`` name may not hold: path separators, a drive colon, NUL.
_DATASET_FORBIDDEN = ("/", "\\", ":", "\x00")


def load_meta(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse SigMF metadata bytes (UTF-8, nesting bounded, no key twice) with ``global``."""
    try:
        meta = load_json(raw.decode("utf-8-sig"), unique_keys=True)
    except DuplicateKeyError as err:
        raise CaptureFormatError(
            f"SigMF metadata states {err.key!r} twice in one object{err.where}; which value "
            "holds is "
            "ambiguous (RFC 8259: names should be unique), so the file is not read",
            path,
        ) from None
    except UnicodeDecodeError as err:
        raise CaptureFormatError(f"SigMF metadata is not UTF-8 text ({err.reason})", path) from None
    except json.JSONDecodeError as err:
        raise CaptureFormatError(
            f"invalid JSON in SigMF metadata: {err.msg}", path, err.lineno
        ) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("global"), dict):
        raise CaptureFormatError("SigMF metadata has no 'global' object", path)
    return meta


class Source:
    """Where the metadata and the sample bytes are: files, or members of an archive."""

    def __init__(self, path: Path):
        self.path = path
        self.data_path: Path = path
        self.data_offset = 0
        self.data_size = 0
        self.meta_raw = b""
        self.meta_path = path


def from_archive(path: Path) -> Source:
    src = Source(path)
    try:
        with tarfile.open(path, "r:") as tar:
            members = tar.getmembers()
            for m in members:
                check_member(m, path, "SigMF archive")
            metas = [m for m in members if m.isfile() and m.name.endswith(META_EXT)]
            if len(metas) != 1:
                raise CaptureFormatError(
                    f"SigMF archive holds {len(metas)} {META_EXT} members; one recording per "
                    "archive is supported",
                    path,
                )
            if metas[0].size > MAX_TEXT_BYTES:
                raise CaptureFormatError(
                    f"SigMF archive metadata member is {metas[0].size} bytes "
                    f"(more than {MAX_TEXT_BYTES})",
                    path,
                )
            fh = tar.extractfile(metas[0])
            src.meta_raw = fh.read() if fh is not None else b""
            data_name = metas[0].name[: -len(META_EXT)] + DATA_EXT
            datas = [m for m in members if m.isfile() and m.name == data_name]
            if not datas:
                raise CaptureFormatError(f"SigMF archive has no data member {data_name!r}", path)
            src.data_offset = datas[0].offset_data
            src.data_size = datas[0].size
    except tarfile.ReadError as err:
        raise CaptureFormatError(
            f"not a readable uncompressed SigMF archive (tar): {err}; "
            "decompress .sigmf.gz/.xz/.zip archives first",
            path,
        ) from None
    if src.data_offset + src.data_size > check_regular(path).st_size:
        raise CaptureFormatError(
            "SigMF archive is truncated (data member ends past the file)", path
        )
    return src


def dataset_name(dataset: Any, meta_path: Path) -> str:
    """``core:dataset``: a bare file name in the metadata file's own folder.

    Raises
    ------
    CaptureFormatError
        A name holding a path separator, a drive, a NUL, or ``..`` (the spec puts the
        dataset beside the metadata file; anything else would read files elsewhere).
    """
    name = str(dataset)
    if any(c in name for c in _DATASET_FORBIDDEN) or name.strip() in ("", ".", ".."):
        raise CaptureFormatError(
            f"core:dataset {name!r} is not a file name in the metadata file's folder "
            "(no path separators or '..')",
            meta_path,
        )
    if len(os.fsencode(name)) > _MAX_FILE_NAME_BYTES:
        raise CaptureFormatError(
            f"core:dataset name is {len(os.fsencode(name))} bytes long "
            f"(a file name holds at most {_MAX_FILE_NAME_BYTES})",
            meta_path,
        )
    return name


def from_files(path: Path) -> tuple[Source, dict[str, Any]]:
    src = Source(path)
    if path.name.endswith(DATA_EXT):
        src.meta_path = path.with_name(path.name[: -len(DATA_EXT)] + META_EXT)
        if not src.meta_path.exists():
            raise CaptureFormatError(
                f"SigMF metadata file {src.meta_path.name} not found next to the data file", path
            )
    src.meta_raw = read_bytes_capped(src.meta_path)
    meta = load_meta(src.meta_raw, src.meta_path)
    glob = meta["global"]
    if glob.get("core:metadata_only"):
        raise CaptureFormatError(
            "SigMF recording is metadata-only (core:metadata_only): no samples", src.meta_path
        )
    dataset = glob.get("core:dataset")
    if path.name.endswith(DATA_EXT):
        src.data_path = path
    elif dataset:
        src.data_path = src.meta_path.parent / dataset_name(dataset, src.meta_path)
    elif src.meta_path.name.endswith(META_EXT):
        src.data_path = src.meta_path.with_name(src.meta_path.name[: -len(META_EXT)] + DATA_EXT)
    else:
        src.data_path = src.meta_path.with_suffix(DATA_EXT)
    if not src.data_path.exists():
        raise CaptureFormatError(f"SigMF data file {src.data_path.name} not found", src.meta_path)
    src.data_size = check_regular(src.data_path).st_size
    return src, meta


def sigmf_companions(path: Path) -> list[Path]:
    """Return the other file of a SigMF pair; none for an archive.

    The data file for a ``.sigmf-meta`` (honouring ``core:dataset``), the metadata file for
    a ``.sigmf-data``.

    Never raises: a missing or unreadable file is left to :func:`read_sigmf` to report.
    """
    if path.name.endswith(ARCHIVE_EXT):
        return []
    try:
        src, _ = from_files(path)
    except (CaptureFormatError, OSError):
        return []
    other = src.meta_path if path.name.endswith(DATA_EXT) else src.data_path
    return [other] if other != path else []


def open_recording(path: Path) -> tuple[Source, dict[str, Any], Path]:
    """Return the recording's source, its metadata, and the file to name in metadata errors."""
    if path.name.endswith(ARCHIVE_EXT):
        src = from_archive(path)
        return src, load_meta(src.meta_raw, path), path
    src, meta = from_files(path)
    return src, meta, src.meta_path


#: Hex digits of a digest shown in a message (as the reports show a SHA-256).
_SHORT_DIGEST = 16


def check_sha512(glob: Mapping[str, Any], src: Source, what: str) -> None:
    """Refuse a dataset whose SHA-512 is not the metadata's ``core:sha512`` (when stated).

    The digest covers the whole dataset: the data file, or the archive's data member
    (``src.data_offset``, ``src.data_size``), header and trailing bytes included.

    Raises
    ------
    CaptureFormatError
        The digests differ (both named, short form), naming the data file (the archive).
    """
    stated = glob.get("core:sha512")
    if not isinstance(stated, str) or not stated:
        return
    h = hashlib.sha512()
    with open_regular(src.data_path) as fh:
        fh.seek(src.data_offset)
        left = src.data_size
        while left > 0:
            block = fh.read(min(1 << 20, left))
            if not block:
                break
            h.update(block)
            left -= len(block)
    found = h.hexdigest()
    opening = f"{what}: " if what else ""
    if found != stated.strip().lower():
        raise CaptureFormatError(
            f"{opening}the data's SHA-512 is {found[:_SHORT_DIGEST]}..., the metadata's "
            f"core:sha512 {stated.strip()[:_SHORT_DIGEST]}...: the data is not the recording "
            "the metadata describes (cut short, swapped or altered)",
            src.data_path,
        )
