"""The input manifest: every file a result depends on, with its SHA-256, plus the settings.

Embedded in the dossier PDF as ``manifest.json`` (see :mod:`rfcheck.record.attachments`) so
``rfcheck verify`` can re-hash the inputs and re-judge them from the PDF alone. Paths are
relative to the inputs folder, with ``/`` separators.

Format (``format = "rfcheck-manifest"``, ``format_version = 1``)::

    {"format": "rfcheck-manifest", "format_version": 1, "rfcheck_version": "...",
     "report_id": {"id": "RFC-...", "sha256": "...", "revision": 1}, "verdict": "PASS",
     "settings": {...}, "inputs": [{"role": "capture", "path": "conducted/a.csv",
     "sha256": "...", "size_bytes": 1234}, ...], "pages_sha256": "...",
     "attachments_sha256": {"dossier.json": "...", "summary.csv": "..."}}

``pages_sha256`` (the digest of what the PDF's pages show, :mod:`rfcheck.record.pages`) and
``attachments_sha256`` (the record's other attachments) are set when the manifest is attached
to a finished record; a record issued before page digests has neither.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .._version import __version__
from ..documents import load_json
from ..errors import RecordFileError
from ..report_id import InputFile, ReportId, canonical_settings, report_id
from ..textfile import resolved
from ..textsafe import json_safe

__all__ = [
    "MANIFEST_NAME",
    "SHIPPED_TABLE_ROLES",
    "Manifest",
    "build_manifest",
    "input_file",
    "parse_manifest",
]

#: Attachment name of the manifest inside the PDF.
MANIFEST_NAME = "manifest.json"
#: Roles of the tables shipped with rfcheck that a judgement reads (limit tables, plan rules):
#: named with their SHA-256 in the settings (``settings["shipped"]``), not as input files.
SHIPPED_TABLE_ROLES = frozenset({"limit", "plan"})
_FORMAT = "rfcheck-manifest"
_FORMAT_VERSION = 1
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _role_name(key: object) -> tuple[str, str]:
    role, _, name = str(key).partition(":")
    return role, name


@dataclass(frozen=True)
class Manifest:
    """What a dossier was judged from: inputs, effective settings, verdict and report id."""

    inputs: tuple[InputFile, ...]
    settings: Mapping[str, Any]
    report_id: ReportId
    verdict: str | None = None
    rfcheck_version: str = __version__
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: SHA-256 of what the record's pages show (:mod:`.pages`); ``None`` before it is sealed.
    pages_sha256: str | None = None
    #: SHA-256 of every other file attached to the record, by name; ``None`` before it is sealed.
    attachments_sha256: Mapping[str, str] | None = None

    def listed(self) -> list[tuple[str, str, str]]:
        """Return ``(role, file, SHA-256)`` of every file the record was judged from.

        The inputs, then the files named by name only (``settings["shipped"]``, hashed into
        the report id through the settings): the tables shipped with rfcheck that the
        judgement read (limit tables, plans), named ``<name> (shipped with rfcheck)``, and a
        lab's file kept outside the record's folder (a transducer, a photo), named ``<name>
        (outside the record's folder)``: the one list the PDF manifest and the HTML inputs
        print.
        """
        rows = [(f.role, f.path, f.sha256) for f in self.inputs]
        for role, name, sha in self.named_by_name():
            where = (
                "shipped with rfcheck"
                if role in SHIPPED_TABLE_ROLES
                else "outside the record's folder"
            )
            rows.append((role, f"{name} ({where})", sha))
        return rows

    def named_by_name(self) -> list[tuple[str, str, str]]:
        """Return ``(role, name, SHA-256)`` of each file ``settings["shipped"]`` names.

        Its keys are ``role:name``: a table shipped with rfcheck (:data:`SHIPPED_TABLE_ROLES`)
        or a lab's file kept outside the record's folder.
        """
        shipped = self.settings.get("shipped", {})
        pairs = shipped.items() if isinstance(shipped, Mapping) else ()
        return [(*_role_name(key), str(sha)) for key, sha in pairs]

    def to_json(self) -> str:
        """Return the manifest as UTF-8 JSON text (sorted keys, stable across runs)."""
        doc = {
            "format": _FORMAT,
            "format_version": _FORMAT_VERSION,
            "rfcheck_version": self.rfcheck_version,
            "report_id": self.report_id.as_dict(),
            "verdict": self.verdict,
            "settings": json.loads(canonical_settings(self.settings)),
            "inputs": [f.as_dict() for f in self.inputs],
        }
        if self.extra:
            doc["extra"] = json.loads(canonical_settings(self.extra))
        if self.pages_sha256 is not None:
            doc["pages_sha256"] = self.pages_sha256
        if self.attachments_sha256 is not None:
            doc["attachments_sha256"] = dict(sorted(self.attachments_sha256.items()))
        return json_safe(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


def input_file(
    path: str | Path,
    root: str | Path,
    sha256: str,
    *,
    role: str = "capture",
    size_bytes: int | None = None,
) -> InputFile:
    """Return an :class:`InputFile` for ``path`` named relative to ``root`` (POSIX separators)."""
    rel = resolved(path).relative_to(resolved(root))
    return InputFile(path=rel.as_posix(), sha256=sha256, role=role, size_bytes=size_bytes)


def build_manifest(
    inputs: Iterable[InputFile],
    settings: Mapping[str, Any],
    *,
    verdict: str | None = None,
    revision: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Manifest:
    """Return a manifest whose report id is derived from exactly these inputs and settings."""
    files = tuple(sorted(inputs, key=lambda f: (f.path, f.role)))
    rid = report_id(files, settings, revision=revision)
    return Manifest(
        inputs=files,
        settings=dict(settings),
        report_id=rid,
        verdict=verdict,
        extra=dict(extra or {}),
    )


#: Most inputs a manifest may list (a dossier of one unit holds tens). [files]
MAX_MANIFEST_INPUTS = 10_000


def _safe_rel(text: Any, where: str, source: str) -> str:
    if not isinstance(text, str) or not text:
        raise RecordFileError(f"{where}: path must be a non-empty string", source)
    if "\x00" in text:
        raise RecordFileError(f"{where}: path holds a NUL character", source)
    p = PurePosixPath(text)
    if p.is_absolute() or ".." in p.parts or "\\" in text or re.match(r"^[A-Za-z]:", text):
        raise RecordFileError(
            f"{where}: path {text!r} is not relative to the inputs folder", source
        )
    return text


def parse_manifest(text: str | bytes, source: str = "manifest.json") -> Manifest:
    """Read and validate a manifest (untrusted: it comes out of a PDF).

    Raises
    ------
    RecordFileError
        Not JSON, not an rfcheck manifest, unknown format version, a malformed input entry,
        an input path that is absolute or leaves the inputs folder, or a malformed
        ``pages_sha256`` or ``attachments_sha256``.
    """
    try:
        doc = load_json(text)
    except (ValueError, UnicodeDecodeError) as err:
        raise RecordFileError(f"manifest is not valid JSON: {err}", source) from None
    if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
        raise RecordFileError("not an rfcheck input manifest", source)
    if doc.get("format_version") != _FORMAT_VERSION:
        raise RecordFileError(
            f"manifest format_version {doc.get('format_version')!r} is not supported "
            f"(this rfcheck reads {_FORMAT_VERSION})",
            source,
        )
    entries = doc.get("inputs")
    if not isinstance(entries, list) or not entries:
        raise RecordFileError("manifest has no inputs to verify", source)
    if len(entries) > MAX_MANIFEST_INPUTS:
        raise RecordFileError(
            f"manifest lists {len(entries)} inputs, more than the {MAX_MANIFEST_INPUTS} "
            "rfcheck verifies",
            source,
        )
    inputs = []
    seen: set[str] = set()
    for i, e in enumerate(entries, 1):
        where = f"inputs[{i}]"
        if not isinstance(e, dict):
            raise RecordFileError(f"{where}: expected an object", source)
        sha = e.get("sha256")
        if not isinstance(sha, str) or not _SHA256.match(sha):
            raise RecordFileError(f"{where}: sha256 must be 64 lowercase hex digits", source)
        size = e.get("size_bytes")
        path = _safe_rel(e.get("path"), where, source)
        if path in seen:
            raise RecordFileError(f"{where}: path {path!r} is listed twice", source)
        seen.add(path)
        inputs.append(
            InputFile(
                path=path,
                sha256=sha,
                role=str(e.get("role", "capture")),
                size_bytes=size if isinstance(size, int) and not isinstance(size, bool) else None,
            )
        )
    pages = doc.get("pages_sha256")
    if pages is not None and (not isinstance(pages, str) or not _SHA256.match(pages)):
        raise RecordFileError("pages_sha256 must be 64 lowercase hex digits", source)
    attached = doc.get("attachments_sha256")
    if attached is not None and not (
        isinstance(attached, dict)
        and all(isinstance(v, str) and _SHA256.match(v) for v in attached.values())
    ):
        raise RecordFileError(
            "attachments_sha256 must map each attachment name to 64 lowercase hex digits", source
        )
    rid_doc = doc.get("report_id")
    rid: dict[str, Any] = rid_doc if isinstance(rid_doc, dict) else {}
    revision = rid.get("revision")
    settings, extra, verdict = doc.get("settings"), doc.get("extra"), doc.get("verdict")
    return Manifest(
        inputs=tuple(inputs),
        settings=settings if isinstance(settings, dict) else {},
        report_id=ReportId(
            digest=str(rid.get("sha256", "")),
            revision=revision if isinstance(revision, int) else None,
        ),
        verdict=verdict if isinstance(verdict, str) else None,
        rfcheck_version=str(doc.get("rfcheck_version", "")),
        extra=extra if isinstance(extra, dict) else {},
        pages_sha256=pages,
        attachments_sha256=attached,
    )
