"""PDF file attachments.

The dossier JSON, the summary CSV and the input manifest ride inside the PDF (an ``/EmbeddedFiles``
name tree, PDF 1.7 clause 7.11.4), so the verdict can be re-checked from the PDF alone. Written by
reportlab as it writes the PDF (:func:`attach`), or into a finished PDF with pypdf
(:func:`embed_attachments`, which reads and writes the whole file again); read with pypdf.
pypdf is imported on first use: by a record that carries a manifest, which is attached to the
finished PDF (:func:`rfcheck.record.pages.seal`), and by ``verify``.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)

from ..errors import RecordFileError
from ..textfile import read_regular_file

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = [
    "Attachment",
    "attach",
    "attachments_of",
    "embed_attachments",
    "read_attachments",
    "read_pdf",
]


@dataclass(frozen=True)
class Attachment:
    """One file to embed: its name inside the PDF (no folders) and its bytes."""

    name: str
    data: bytes

    def __post_init__(self) -> None:
        """Refuse a name that is not a plain file name."""
        if not self.name or "/" in self.name or "\\" in self.name:
            raise ValueError(f"attachment name must be a plain file name, got {self.name!r}")


def _unique(attachments: Iterable[Attachment]) -> list[Attachment]:
    items = list(attachments)
    names = [a.name for a in items]
    if len(set(names)) != len(names):
        raise ValueError(f"attachment names must be unique, got {names}")
    return items


def attach(canvas: Any, attachments: Iterable[Attachment]) -> None:
    """Embed the attachments in the PDF a reportlab ``canvas`` writes; call before it saves.

    Each file is a compressed ``/EmbeddedFile`` stream (with its ``/Size``) behind a
    ``/Filespec`` (``/F`` and ``/UF`` its name), listed by name in lexical order in the
    catalog's ``/Names`` ``/EmbeddedFiles`` name tree (PDF 1.7 clauses 7.9.6, 7.11.3, 7.11.4).

    Raises
    ------
    ValueError
        Two attachments share a name.
    """
    items = _unique(attachments)
    if not items:
        return
    doc = canvas._doc  # reportlab's document: no public API for embedded files
    tree: list[Any] = []
    for a in sorted(items, key=lambda a: a.name):
        stream = PDFStream(
            PDFDictionary(
                {"Type": PDFName("EmbeddedFile"), "Params": PDFDictionary({"Size": len(a.data)})}
            ),
            a.data,
            filters=[PDFZCompress],
        )
        ref = doc.Reference(stream)
        spec = PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(a.name),
                "UF": PDFString(a.name),
                "EF": PDFDictionary({"F": ref, "UF": ref}),
            }
        )
        tree += [PDFString(a.name), doc.Reference(spec)]
    doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": PDFArray(tree)})})


def embed_attachments(pdf: bytes, attachments: Iterable[Attachment]) -> bytes:
    """``pdf`` with every attachment embedded (page content, fonts and metadata unchanged).

    Raises
    ------
    ValueError
        Two attachments share a name.
    """
    from pypdf import PdfReader, PdfWriter

    items = _unique(attachments)
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # pypdf would write its own (%PDF-1.3)
    for a in items:
        writer.add_attachment(a.name, a.data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


#: Largest dossier PDF ``verify`` reads (a dossier with photos is a few MiB). [bytes]
MAX_PDF_BYTES = 256 * 1024 * 1024


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Keep pypdf's log lines ("EOF marker not found") off stderr: the error says it once."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def read_pdf(path: str | Path) -> PdfReader:
    """Return a pypdf reader of the PDF at ``path`` (untrusted: size and header checked).

    Raises
    ------
    RecordFileError
        The file cannot be read or is not a PDF.
    """
    p = Path(path)
    data = read_regular_file(p, "PDF", RecordFileError, max_bytes=MAX_PDF_BYTES)
    if not data.startswith(b"%PDF-"):
        raise RecordFileError("not a PDF file (no %PDF- header)", p)
    from pypdf import PdfReader

    try:
        with _quiet_pypdf():
            return PdfReader(io.BytesIO(data))
    except Exception as err:  # an untrusted PDF can fail pypdf in many ways
        raise RecordFileError(f"unreadable PDF: {type(err).__name__}: {err}", p) from None


def attachments_of(reader: PdfReader, path: str | Path) -> Mapping[str, bytes]:
    """Every file attached to the PDF ``reader`` reads (from ``path``), by name.

    The last one when a name repeats.

    Raises
    ------
    RecordFileError
        The PDF's attachments cannot be read.
    """
    try:
        with _quiet_pypdf():
            found = reader.attachments
            return {name: blobs[-1] for name, blobs in found.items() if blobs}
    except Exception as err:  # an untrusted PDF can fail pypdf in many ways
        raise RecordFileError(f"unreadable PDF: {type(err).__name__}: {err}", path) from None


def read_attachments(path: str | Path) -> Mapping[str, bytes]:
    """Every file attached to the PDF at ``path``, by name (the last one when a name repeats).

    Raises
    ------
    RecordFileError
        The file cannot be read or is not a PDF.
    """
    return attachments_of(read_pdf(path), path)
