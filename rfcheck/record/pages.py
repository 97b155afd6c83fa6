"""What a record's pages show: their digest (sealed into the manifest at issue), page 1's verdict.

A record PDF (a unit's dossier, the entry cover sheet) is laid out, then sealed
(:func:`seal`): the SHA-256 of what its pages show (:func:`pages_sha256`) goes into the
manifest as ``pages_sha256``, with the SHA-256 of each file already attached
(``attachments_sha256``: the dossier JSON, the summary CSV), and the manifest is attached to
the finished PDF. ``rfcheck
verify`` computes the digest again from the PDF it is given, and reads page 1's verdict
(:func:`shown_verdicts`) to compare it with the recorded one. See ``docs/record.md``, "The
PDF carries its data, and rfcheck verify".

The digest covers, page by page in order, everything a page draws: its dictionary (media
box, rotation, ...) with every object reached from it (content streams, fonts and their
font files, image and form XObjects, annotations), resolved and written canonically.
Streams count by their decoded data; how they are compressed does not count (a record
written again with other compression keeps its digest), nor does ``/Parent`` (the page
tree) or anything outside the pages (attachments, metadata). It is not a signature: whoever
rewrites the pages can rewrite the manifest's digest too (docs/record.md says what is
caught then).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import RecordFileError
from .attachments import Attachment, embed_attachments
from .banner import RECORD_INCOMPLETE
from .entry_sheet import ENTRY_VERDICT_LABEL
from .manifest import MANIFEST_NAME, Manifest

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = ["attachments_sha256", "pages_sha256", "seal", "shown_verdicts"]

#: Stream dictionary keys that say how the data are encoded, not what they are.
_ENCODING_KEYS = frozenset({"/Length", "/Filter", "/DecodeParms", "/DL"})
#: Deepest nesting of PDF objects followed from a page (rfcheck's records nest under 10).
_MAX_DEPTH = 64

#: The verdict words a record prints.
_VERDICTS = ("PASS", "FAIL", "INCONCLUSIVE", "INCOMPLETE", "ERROR", "NOT JUDGED")
_WORD = "|".join(_VERDICTS)
#: What a verdict takes on trust, after it (``PASS (ASSUMED DWELL) (ASSUMED SCALE)``).
_ASSUMED = r"(?: \(ASSUMED [A-Z]+\))*"
#: Page 1's banner line: a unit's (``FAIL · RECORD INCOMPLETE``, ``PASS (measurements)
#: (ASSUMED DWELL) · RECORD INCOMPLETE``) or the entry sheet's (``Entry measurement
#: verdict: FAIL``).
_BANNER = re.compile(
    rf"^(?:{re.escape(ENTRY_VERDICT_LABEL)}: )?({_WORD})(?: \(measurements\))?{_ASSUMED}"
    rf"(?: · {re.escape(RECORD_INCOMPLETE)})?$"
)
#: The banner wraps onto this many lines at most (its words at the banner's type size).
_BANNER_LINES = 3
#: The cover's fact labels followed, on the next line, by the verdict (``PASS (ASSUMED DWELL)``).
_FACT_LABELS = ("Measurement verdict", "Measurement verdict of the entry")
_FACT = re.compile(rf"^({_WORD}){_ASSUMED}$")


def _tagged(tag: bytes, data: bytes) -> bytes:
    """Return ``tag`` and ``data`` with its length: no two values share an encoding."""
    return tag + str(len(data)).encode() + b":" + data


class _Canon:
    """The canonical bytes of PDF objects, indirect objects resolved once per digest.

    pypdf's object classes come from its ``generic`` module, imported once per digest, not
    once per object (a record's pages reach ~1,200 objects; the import statement in the walk
    was ~7 % of a digest).
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[int, int], bytes] = {}
        self._g: Any = importlib.import_module("pypdf.generic")  # pypdf: on first use

    def of(self, obj: Any, depth: int = 0, skip: frozenset[str] = frozenset()) -> bytes:
        g = self._g
        if depth > _MAX_DEPTH:
            raise RecordFileError(f"PDF objects nest deeper than {_MAX_DEPTH} levels")
        if isinstance(obj, g.IndirectObject):
            key = (obj.idnum, obj.generation)
            if key not in self._seen:
                self._seen[key] = b"R"  # a reference back into itself (an annotation's /P)
                self._seen[key] = self.of(obj.get_object(), depth + 1)
            return self._seen[key]
        if isinstance(obj, g.StreamObject):
            fields = self._dict(obj, depth, _ENCODING_KEYS)
            return b"S" + fields + _tagged(b"d", _stream_data(obj))
        if isinstance(obj, g.DictionaryObject):
            return self._dict(obj, depth, skip)
        if isinstance(obj, g.ArrayObject):
            return b"[" + b"".join(self.of(v, depth + 1) for v in obj) + b"]"
        if isinstance(obj, g.NameObject):
            return _tagged(b"/", str(obj).encode("utf-8", "surrogatepass"))
        if isinstance(obj, g.BooleanObject):
            return b"T" if obj.value else b"F"
        if isinstance(obj, g.NumberObject | g.FloatObject):  # pypdf writes 1.0 as 1: one kind
            return _tagged(b"n", f"{float(obj):.10g}".encode())
        if isinstance(obj, g.ByteStringObject):
            return _tagged(b"b", bytes(obj))
        if isinstance(obj, str):  # TextStringObject
            return _tagged(b"(", obj.encode("utf-8", "surrogatepass"))
        if obj is None or isinstance(obj, g.NullObject):
            return b"N"
        return _tagged(b"?", repr(obj).encode("utf-8", "backslashreplace"))

    def _dict(self, obj: Any, depth: int, skip: frozenset[str]) -> bytes:
        items = sorted((str(k), v) for k, v in obj.items() if str(k) not in skip)
        body = b"".join(
            _tagged(b"/", k.encode("utf-8", "surrogatepass")) + self.of(v, depth + 1)
            for k, v in items
        )
        return b"<<" + body + b">>"


def _stream_data(stream: Any) -> bytes:
    """Return the SHA-256 of a stream's decoded data (of its raw bytes when they do not decode).

    A stream that decoded when the record was issued and no longer does was altered; its
    raw bytes, tagged apart, then give another digest.
    """
    try:
        return b"D" + hashlib.sha256(stream.get_data()).digest()
    except Exception:  # an altered or hostile stream can fail pypdf's filters in many ways
        raw = getattr(stream, "_data", b"")
        return b"U" + hashlib.sha256(raw if isinstance(raw, bytes) else b"").digest()


def _pages(reader: PdfReader) -> Iterator[Any]:
    try:
        yield from reader.pages
    except Exception as err:  # a page tree that pypdf cannot walk
        raise RecordFileError(f"unreadable PDF pages: {type(err).__name__}: {err}") from None


def pages_sha256(reader: PdfReader) -> str:
    """Return the SHA-256 of what every page of ``reader`` shows, in page order (hex).

    Raises
    ------
    RecordFileError
        The page tree cannot be read, or its objects nest deeper than rfcheck follows.
    """
    canon = _Canon()
    h = hashlib.sha256()
    pages = list(_pages(reader))
    for page in pages:
        h.update(_tagged(b"page", canon.of(page, skip=frozenset({"/Parent"}))))
    h.update(_tagged(b"pages", str(len(pages)).encode()))
    return h.hexdigest()


def shown_verdicts(reader: PdfReader) -> tuple[str, ...]:
    """Return the verdicts page 1 shows, as its text reads (banner first; none: ``()``).

    The banner (:mod:`.banner`; the entry sheet's ``Entry measurement verdict: X``): the
    first line (or wrapped lines) that reads as one, above any table; and the cover's
    ``Measurement verdict`` fact, wherever it is found. A verdict's ``(ASSUMED DWELL)`` and
    the like are read past: the verdict word is what is compared with the recorded one.
    """
    pages = list(_pages(reader))
    if not pages:
        return ()
    try:
        text = pages[0].extract_text() or ""
    except Exception:  # text that pypdf cannot extract shows no verdict it can read
        return ()
    lines = [ln.strip() for ln in text.splitlines()]
    banner = next((m.group(1) for m in map(_BANNER.match, _wrapped(lines)) if m), None)
    facts = [
        m.group(1)
        for i, line in enumerate(lines[:-1])
        if line in _FACT_LABELS and (m := _FACT.match(lines[i + 1]))
    ]
    return tuple(([] if banner is None else [banner]) + facts)


def _wrapped(lines: list[str]) -> Iterator[str]:
    """Each line, then it joined with the next one or two: a banner its width wrapped.

    ``PASS (measurements) (ASSUMED DWELL) · RECORD`` / ``INCOMPLETE`` reads as one banner,
    never as the banner ``INCOMPLETE``: the lines are tried in order, each with those
    after it, so the wrapped banner's first line matches before its last does.
    """
    for i in range(len(lines)):
        for n in range(1, _BANNER_LINES + 1):
            if i + n <= len(lines):
                yield " ".join(lines[i : i + n])


def attachments_sha256(attachments: Mapping[str, bytes]) -> dict[str, str]:
    """Return the SHA-256 of every attachment but the manifest, by name (hex)."""
    return {
        name: hashlib.sha256(data).hexdigest()
        for name, data in sorted(attachments.items())
        if name != MANIFEST_NAME
    }


def seal(pdf: bytes, manifest: Manifest) -> bytes:
    """Return ``pdf`` with ``manifest`` attached, holding the digest of the pages it is attached to.

    The digest is taken once, from the finished pages (with the SHA-256 of the files already
    attached: ``attachments_sha256``), then the manifest is attached. Attaching a file
    leaves every page as it was (pypdf copies the page objects and their streams' encoded
    bytes): the tests read the digest of sealed records' pages again, with fonts, plots and
    photos (``tests/record``, ``tests/product``), as ``rfcheck verify`` does. Reading the
    sealed PDF again here cost each record ~0.04 s (a third of the seal), on the dossier's
    critical path.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    digest = pages_sha256(reader)
    files = {name: blobs[-1] for name, blobs in reader.attachments.items() if blobs}
    sealed = replace(manifest, pages_sha256=digest, attachments_sha256=attachments_sha256(files))
    return embed_attachments(pdf, [Attachment(MANIFEST_NAME, sealed.to_json().encode("utf-8"))])
