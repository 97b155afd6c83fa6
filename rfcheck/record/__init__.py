"""The test record a customs file needs (issue 11).

Setup tables, checks, statements, ids, PDF sections with attachments, and ``verify``.

- :mod:`.model` and :mod:`.parse`: ``[test]``, ``[lab]``, ``[[equipment]]``,
  ``[[support_equipment]]``, ``[[cable]]``, ``[[photo]]``, ``[compliance]``, ``[entry]`` parsed
  from the setup TOML.
- :mod:`.findings`: unlisted instruments, calibration due before a test date (not fatal);
  :mod:`.equipment_match`: which ``[[equipment]]`` item is an instrument or a transducer.
- :mod:`.checklist`: the 47 CFR 2.938(b) items, present or missing, and "record incomplete".
- :mod:`.banner`: the verdict banner (``FAIL · RECORD INCOMPLETE``) of the PDF and the HTML.
- :mod:`.statements`: the 2.1077 block and the 15.105(a)/(b) texts with their sources.
- :mod:`rfcheck.report_id` and :mod:`.manifest`: ids from inputs + settings + version; the manifest.
- :mod:`.export`: the record, checklist and findings as JSON-able data for ``dossier.json``.
- :mod:`.attachments`, :mod:`.document`, :mod:`.pdf_sections`, :mod:`.pdf_declarations`,
  :mod:`.story`: the PDF.
- :mod:`.pages`: the digest of what a record's pages show, sealed into the manifest at issue.
- :mod:`.verify`: check the PDF's pages against the seal, re-judge through a callback;
  :mod:`.on_disk`: re-hash the inputs a PDF lists, compare the copies beside it.

The setup keys are documented in ``docs/record.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..report_id import InputFile, ReportId, canonical_settings, report_id
from .banner import Banner, record_banner
from .checklist import (
    ChecklistItem,
    DataShown,
    ItemStatus,
    Section,
    build_checklist,
    incomplete_line,
    missing_items,
    record_state,
)
from .equipment_match import AppliedTransducer, TransducerKind
from .export import record_dict
from .findings import (
    CalibrationStatus,
    Finding,
    FindingKind,
    calibration_status,
    cross_check,
)
from .manifest import MANIFEST_NAME, Manifest, build_manifest, input_file, parse_manifest
from .model import PROCEDURE_NOT_STATED, RECORD_TABLES, Record
from .parse import load_record, parse_record
from .statements import compliance_information, user_statement

if TYPE_CHECKING:
    from .attachments import Attachment, embed_attachments, read_attachments
    from .document import Paper, build_pdf
    from .on_disk import FileStatus, verify_inputs
    from .pdf_sections import CoverFacts
    from .story import record_story, write_record_pdf
    from .verify import VerifyResult, read_manifest, verify_pdf

#: The PDF side (reportlab, pypdf: ~0.5 s to import), loaded on first use: parsing and
#: checking a record (every dossier's setup) does not need it.
_LAZY = {
    "Attachment": "attachments",
    "embed_attachments": "attachments",
    "read_attachments": "attachments",
    "Paper": "document",
    "build_pdf": "document",
    "CoverFacts": "pdf_sections",
    "record_story": "story",
    "write_record_pdf": "story",
    "FileStatus": "on_disk",
    "VerifyResult": "verify",
    "read_manifest": "verify",
    "verify_inputs": "on_disk",
    "verify_pdf": "verify",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AppliedTransducer",
    "Attachment",
    "Banner",
    "CalibrationStatus",
    "ChecklistItem",
    "CoverFacts",
    "DataShown",
    "FileStatus",
    "Finding",
    "FindingKind",
    "InputFile",
    "ItemStatus",
    "MANIFEST_NAME",
    "Manifest",
    "PROCEDURE_NOT_STATED",
    "Paper",
    "RECORD_TABLES",
    "Record",
    "ReportId",
    "Section",
    "TransducerKind",
    "VerifyResult",
    "build_checklist",
    "build_manifest",
    "build_pdf",
    "calibration_status",
    "canonical_settings",
    "compliance_information",
    "cross_check",
    "embed_attachments",
    "incomplete_line",
    "input_file",
    "load_record",
    "missing_items",
    "parse_manifest",
    "parse_record",
    "read_attachments",
    "read_manifest",
    "record_banner",
    "record_dict",
    "record_state",
    "record_story",
    "report_id",
    "user_statement",
    "verify_inputs",
    "verify_pdf",
    "write_record_pdf",
]
