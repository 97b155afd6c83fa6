"""Whether an issued record agrees with itself (``rfcheck verify``'s self-check).

The page digest catches an edit of the pages, the attachment digests an edit of an attached
file; neither catches an edit of the manifest that carries them. This module checks what a
forger who edits the manifest (or an attachment and its digest in the manifest) must keep
consistent, and cannot without rewriting the pages:

1. the seal is there: every rfcheck version writes ``pages_sha256`` and
   ``attachments_sha256`` into every record it issues, so a manifest without them had them
   removed (:func:`seal_problems`);
2. the report id: recomputed from the manifest's inputs, settings, rfcheck version and
   revision as :mod:`rfcheck.report_id` derives it, it must equal the id the manifest records,
   and that id the one the pages print (every page header, page 1's ``Report id``)
   (:func:`id_problems`);
3. the attached data: ``dossier.json`` (its ``report_id``, ``verdict`` and, for a unit, the
   unit's verdict and inputs), ``entry.json`` (the entry sheet's id, verdict and units) and
   ``summary.csv`` (each matrix row's verdict and margin against ``dossier.json``'s cells)
   must agree with the manifest (:func:`attachment_problems`).

Each problem is one line naming what differs; ``verify`` prints it as ``ALTERED`` (exit 1).
See ``docs/record.md``, "What verify checks".
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..documents import load_json
from ..report_id import ReportId, report_id
from ..textsafe import printable
from .manifest import Manifest

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = [
    "SEAL_KEYS",
    "SelfCheck",
    "attachment_problems",
    "id_problems",
    "page_ids",
    "recomputed_id",
    "seal_problems",
    "self_check",
]

#: The manifest keys that seal a record (:func:`rfcheck.record.pages.seal`); every rfcheck
#: version writes both into every record it issues (none predates the seal: docs/record.md).
SEAL_KEYS = ("pages_sha256", "attachments_sha256")
_ID = r"RFC-[0-9A-F]{20}(?:-r\d+)?"
#: A page header: ``<title> · RFC-...`` (:mod:`rfcheck.record.document`).
_HEADER = re.compile(rf"· ({_ID})$")
_BARE_ID = re.compile(rf"^{_ID}$")
#: Page 1's fact label followed, on the next line, by the id.
_ID_LABEL = "Report id"
#: Two margins the same when they differ by less than this (the CSV prints 2 decimals). [dB]
_MARGIN_TOLERANCE_DB = 0.006


@dataclass(frozen=True)
class SelfCheck:
    """The rfcheck version that issued the record and what the record contradicts in itself.

    ``problems``: one line each (``verify`` prints ``ALTERED  <line>``); empty when it agrees.
    """

    issued_by: str
    problems: tuple[str, ...] = ()

    @property
    def agrees(self) -> bool:
        """Whether the record is consistent with itself."""
        return not self.problems


def seal_problems(manifest: Manifest) -> list[str]:
    """Return the ``seal removed`` line when the manifest lacks a seal key (else nothing)."""
    missing = [
        key
        for key, value in zip(
            SEAL_KEYS, (manifest.pages_sha256, manifest.attachments_sha256), strict=True
        )
        if value is None
    ]
    if not missing:
        return []
    return [
        f"seal removed: the manifest carries no {' and no '.join(missing)}, which every rfcheck "
        f"version writes into every record it issues (this one says rfcheck "
        f"{printable(manifest.rfcheck_version) or '(none)'}): its pages and attachments "
        "cannot be checked"
    ]


def _is_entry_sheet(manifest: Manifest) -> bool:
    """Whether the manifest is an entry cover sheet's (its id hashes the settings only)."""
    return (
        "entry" in manifest.settings
        and "units" in manifest.settings
        and all(f.role == "unit-record" for f in manifest.inputs)
    )


def recomputed_id(manifest: Manifest) -> ReportId:
    """Return the report id the manifest's inputs, settings, version and revision give.

    A unit's id hashes its inputs (:func:`rfcheck.record.manifest.build_manifest`); the entry
    cover sheet's hashes its settings only (the entry table and each unit's verdict and id:
    :mod:`rfcheck.product.entry`), its unit records being checked as files.
    """
    inputs = () if _is_entry_sheet(manifest) else manifest.inputs
    return report_id(
        inputs,
        manifest.settings,
        revision=manifest.report_id.revision,
        version=manifest.rfcheck_version,
    )


def page_ids(texts: Sequence[str]) -> list[tuple[str, str]]:
    """Return ``(where, id)`` of every report id the pages print as this record's.

    Each page header (``<title> · RFC-...``, the first such line of the page) and page 1's
    ``Report id`` fact, read on the page it is printed on (long setup fields push it to page
    2); other ids on a page (the entry sheet's units) are not this record's.
    """
    found: list[tuple[str, str]] = []
    for number, text in enumerate(texts, 1):
        lines = [ln.strip() for ln in text.splitlines()]
        header = next((m.group(1) for m in map(_HEADER.search, lines) if m), None)
        if header is not None:
            found.append((f"page {number}'s header", header))
        found += [
            (f"page {number}'s Report id", lines[i + 1])
            for i, line in enumerate(lines[:-1])
            if line == _ID_LABEL and _BARE_ID.match(lines[i + 1])
        ]
    return found


def _page_texts(reader: PdfReader) -> list[str]:
    texts = []
    try:
        pages = list(reader.pages)
    except Exception:  # the page digest names an unreadable page tree
        return []
    for page in pages:
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # text pypdf cannot extract shows no id it can read
            texts.append("")
    return texts


def _where(places: Iterable[str]) -> str:
    """``page 1's header, page 2's header, ...`` shortened to ``the headers of pages 1-16``."""
    names = list(places)
    headers = [int(p.split()[1].removesuffix("'s")) for p in names if p.endswith("header")]
    rest = [p for p in names if not p.endswith("header")]
    parts = []
    if len(headers) > 1 and headers == list(range(headers[0], headers[-1] + 1)):
        parts.append(f"the headers of pages {headers[0]}-{headers[-1]}")
    else:
        parts += [f"page {n}'s header" for n in headers]
    return ", ".join(parts + rest)


def id_problems(
    manifest: Manifest, recorded_text: object, shown: Sequence[tuple[str, str]]
) -> list[str]:
    """Return a line for each place the report id disagrees: recomputed, recorded, printed.

    ``recorded_text`` is the manifest's ``report_id.id`` as written; ``shown`` the ids the
    pages print (:func:`page_ids`).
    """
    recorded = manifest.report_id
    problems = []
    again = recomputed_id(manifest)
    if again.digest != recorded.digest:
        problems.append(
            f"report id: the manifest's inputs, settings and rfcheck version "
            f"({printable(manifest.rfcheck_version)}) give {again.text}, not the "
            f"{printable(recorded_text)} it records: the manifest was edited after issue"
        )
    if recorded_text != recorded.text:
        problems.append(
            f"report id: the manifest records the id {printable(recorded_text)} beside the "
            f"digest {recorded.digest[:20]}… and revision {recorded.revision}, which make "
            f"{printable(recorded.text)}"
        )
    if not shown:
        problems.append(
            f"report id: no page prints the record's id (the manifest records "
            f"{printable(recorded_text)})"
        )
    by_id: dict[str, list[str]] = {}
    for where, text in shown:
        if text != recorded_text:
            by_id.setdefault(text, []).append(where)
    problems += [
        f"report id: {_where(places)} {'show' if len(places) > 1 else 'shows'} {text}, the "
        f"manifest records {printable(recorded_text)}"
        for text, places in by_id.items()
    ]
    return problems


def _json(name: str, data: bytes) -> tuple[dict[str, Any] | None, list[str]]:
    try:
        doc = load_json(data)
    except (ValueError, UnicodeDecodeError):
        return None, [f"attachment {name} is not valid JSON"]
    if not isinstance(doc, dict):
        return None, [f"attachment {name} is not a JSON object"]
    return doc, []


def _differs(name: str, field: str, found: object, expected: object) -> str:
    return (
        f"attachment {name}: {field} is {printable(_text(found))}, the manifest records "
        f"{printable(_text(expected))}"
    )


def _text(value: object) -> str:
    return "(none)" if value is None else str(value)


def _id_and_verdict(name: str, doc: Mapping[str, Any], manifest: Manifest) -> list[str]:
    rid = doc.get("report_id")
    rid = rid if isinstance(rid, dict) else {}
    problems = []
    if rid.get("id") != manifest.report_id.text:
        problems.append(_differs(name, "report_id.id", rid.get("id"), manifest.report_id.text))
    if rid.get("sha256") != manifest.report_id.digest:
        problems.append(
            _differs(name, "report_id.sha256", rid.get("sha256"), manifest.report_id.digest)
        )
    if doc.get("verdict") != manifest.verdict:
        problems.append(_differs(name, "verdict", doc.get("verdict"), manifest.verdict))
    return problems


def _inputs_of(entries: object) -> set[tuple[str, str, str]] | None:
    if not isinstance(entries, list):
        return None
    return {
        (str(e.get("role")), str(e.get("path")), str(e.get("sha256")))
        for e in entries
        if isinstance(e, dict)
    }


def _inputs_problem(name: str, field: str, found: object, manifest: Manifest) -> list[str]:
    listed = set(manifest.listed())  # the inputs, then the files named by name only
    have = _inputs_of(found)
    if have is None:
        return [f"attachment {name}: {field} is missing; the manifest lists {len(listed)} inputs"]
    if have == listed:
        return []
    diff = sorted({p for _, p, _ in have ^ listed})
    named = ", ".join(printable(p) for p in diff[:3]) + (" ..." if len(diff) > 3 else "")
    return [
        f"attachment {name}: {field} differs from the manifest's inputs (paths or SHA-256 of "
        f"{named})"
    ]


def _dossier_json(doc: Mapping[str, Any], manifest: Manifest) -> list[str]:
    name = "dossier.json"
    problems = _id_and_verdict(name, doc, manifest)
    unit = manifest.settings.get("unit")
    if not isinstance(unit, str):  # not a dossier's manifest: no unit to compare
        return problems
    units = doc.get("units")
    mine = [u for u in units if isinstance(u, dict)] if isinstance(units, list) else []
    if len(mine) != 1 or mine[0].get("unit") != unit:
        found = [u.get("unit") for u in mine]
        return [*problems, _differs(name, "units[].unit", found, [unit])]
    field = f"units[{printable(unit)}]"
    if mine[0].get("verdict") != manifest.verdict:
        problems.append(
            _differs(name, f"{field}.verdict", mine[0].get("verdict"), manifest.verdict)
        )
    return problems + _inputs_problem(name, f"{field}.inputs", mine[0].get("inputs"), manifest)


def _entry_json(doc: Mapping[str, Any], manifest: Manifest) -> list[str]:
    name = "entry.json"
    problems = _id_and_verdict(name, doc, manifest)
    expected = manifest.settings.get("units")
    if isinstance(expected, list):
        keys = ("unit", "serial", "verdict", "report_id")
        units = doc.get("units")
        found = [
            {k: u.get(k) for k in keys}
            for u in (units if isinstance(units, list) else [])
            if isinstance(u, dict)
        ]
        want = [{k: u.get(k) for k in keys} for u in expected if isinstance(u, dict)]
        if found != want:
            problems.append(
                f"attachment {name}: units (unit, serial, verdict, report_id) differ from the "
                "manifest's"
            )
    return problems + _inputs_problem(name, "inputs", doc.get("inputs"), manifest)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _summary_csv(data: bytes, dossier: Mapping[str, Any] | None) -> list[str]:
    """Each ``matrix`` row of summary.csv against the cell of dossier.json it prints."""
    units = None if dossier is None else dossier.get("units")
    if not isinstance(units, list) or len(units) != 1 or not isinstance(units[0], dict):
        return []  # no unit's cells to compare with (dossier.json's own lines say why)
    cells = units[0].get("cells")
    cells = [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        return ["attachment summary.csv is not UTF-8 CSV"]
    matrix = [r for r in rows if r and r[0] == "matrix"]
    if len(matrix) != len(cells):
        return [
            f"attachment summary.csv: {len(matrix)} matrix rows, dossier.json has "
            f"{len(cells)} cells"
        ]
    problems = []
    for row, cell in zip(matrix, cells, strict=True):
        if len(row) < 7:
            problems.append("attachment summary.csv: a matrix row has too few columns")
            continue
        what = f"{printable(row[1])} {printable(row[3])} {printable(row[2])}"
        margin, expected = _number(row[6]), cell.get("worst_margin_db")
        same_margin = (margin is None and expected is None) or (
            margin is not None
            and isinstance(expected, int | float)
            and abs(margin - expected) < _MARGIN_TOLERANCE_DB
        )
        if row[5] != cell.get("verdict") or not same_margin:
            problems.append(
                f"attachment summary.csv: {what} reads {printable(row[5])} "
                f"{printable(row[6])} dB, dossier.json's cell {_text(cell.get('verdict'))} "
                f"{_text(expected)} dB"
            )
    return problems


def attachment_problems(manifest: Manifest, attachments: Mapping[str, bytes]) -> list[str]:
    """Return a line for each field of the attached data that contradicts the manifest."""
    problems: list[str] = []
    dossier = None
    if "dossier.json" in attachments:
        dossier, bad = _json("dossier.json", attachments["dossier.json"])
        problems += bad if dossier is None else _dossier_json(dossier, manifest)
    if "entry.json" in attachments:
        entry, bad = _json("entry.json", attachments["entry.json"])
        problems += bad if entry is None else _entry_json(entry, manifest)
    if "summary.csv" in attachments:
        problems += _summary_csv(attachments["summary.csv"], dossier)
    return problems


def self_check(
    manifest: Manifest,
    raw_manifest: bytes,
    attachments: Mapping[str, bytes],
    reader: PdfReader,
) -> SelfCheck:
    """Check the record against itself, in order: seal, report id, attached data.

    ``raw_manifest`` is the attached ``manifest.json`` as written (its ``report_id.id`` text,
    which the parsed :class:`~rfcheck.record.manifest.Manifest` rebuilds from the digest);
    ``attachments`` every attachment by name.
    """
    doc, _ = _json("manifest.json", raw_manifest)
    rid = (doc or {}).get("report_id")
    recorded_text = rid.get("id") if isinstance(rid, dict) else None
    problems = seal_problems(manifest)
    problems += id_problems(manifest, recorded_text, page_ids(_page_texts(reader)))
    problems += attachment_problems(manifest, attachments)
    return SelfCheck(manifest.rfcheck_version, tuple(problems))
