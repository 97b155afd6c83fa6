"""Ways to alter a record PDF after issue, as a forger would (for the ``verify`` tests)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import StreamObject

from rfcheck.record import Attachment, embed_attachments, read_attachments


def edit_page_text(src: Path, dst: Path, old: bytes, new: bytes, page: int = 0) -> Path:
    """Write ``src`` with ``old`` replaced by ``new`` in a page's content (recompressed).

    Only that content stream changes: the attachments, the manifest among them, stay.
    """
    writer = PdfWriter(clone_from=PdfReader(src))
    contents = writer.pages[page]["/Contents"].get_object()
    assert isinstance(contents, StreamObject)
    data = contents.get_data()
    assert old in data, f"{old!r} not in page {page + 1}'s content"
    contents.set_data(data.replace(old, new))
    writer.write(dst)
    return dst


def flip_content_byte(src: Path, dst: Path, page: int = 0) -> Path:
    """Write ``src`` with one bit flipped in the middle of a page's compressed content stream.

    The file keeps its length and structure (every offset, every other object, the manifest).
    """
    data = bytearray(src.read_bytes())
    contents = PdfReader(io.BytesIO(bytes(data))).pages[page]["/Contents"].get_object()
    assert isinstance(contents, StreamObject)
    raw = contents._data
    start = bytes(data).index(raw)
    data[start + len(raw) // 2] ^= 0x01
    dst.write_bytes(bytes(data))
    return dst


def drop_pages_digest(src: Path, dst: Path) -> Path:
    """Write ``src`` with its seal removed from its manifest.

    No ``pages_sha256``, no ``attachments_sha256``. A second ``manifest.json`` is attached;
    readers take the last one.
    """
    manifest = json.loads(read_attachments(src)["manifest.json"])
    del manifest["pages_sha256"], manifest["attachments_sha256"]
    return attach_again(src, dst, "manifest.json", json.dumps(manifest).encode())


def attach_again(src: Path, dst: Path, name: str, data: bytes) -> Path:
    """Write ``src`` with another file attached as ``name`` (readers take the last one)."""
    dst.write_bytes(embed_attachments(src.read_bytes(), [Attachment(name, data)]))
    return dst


def edit_manifest(src: Path, dst: Path, edit: Callable[[dict[str, Any]], object]) -> Path:
    """Write ``src`` with its manifest edited by ``edit(manifest)`` (attached again, last wins)."""
    manifest = json.loads(read_attachments(src)["manifest.json"])
    edit(manifest)
    return attach_again(src, dst, "manifest.json", json.dumps(manifest).encode())


def swap_attachment(src: Path, dst: Path, name: str, data: bytes) -> Path:
    """Write ``src`` with attachment ``name`` replaced and its SHA-256 in the manifest to match.

    The pages and the attachment digests still agree with the manifest.
    """
    sha = hashlib.sha256(data).hexdigest()
    attach_again(src, dst, name, data)
    return edit_manifest(dst, dst, lambda m: m["attachments_sha256"].__setitem__(name, sha))
