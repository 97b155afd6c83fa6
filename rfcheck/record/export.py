"""The record as JSON-able data for ``dossier.json``: declared facts, checklist, findings, id.

Dates are ISO strings, paths POSIX strings, a missing value ``null`` (never invented).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from ..report_id import ReportId, plain
from .checklist import ChecklistItem, incomplete_line
from .findings import Finding
from .issue import issue_text
from .model import Record

__all__ = ["record_dict"]


def record_dict(
    record: Record,
    checklist: Sequence[ChecklistItem],
    findings: Sequence[Finding] = (),
    report_id: ReportId | None = None,
    issued: _dt.datetime | None = None,
) -> dict[str, Any]:
    """``{"report_id", "issued_utc", "record", "checklist", "record_incomplete", "findings"}``.

    ``issued_utc`` is the record's issue time (ISO 8601 UTC, :mod:`.issue`), ``null`` when
    not given.

    ``record`` holds every declared table (``source``, the setup path, is left out: the
    manifest names the setup); ``record_incomplete`` is the page-1 line or ``null``; a
    checklist item's ``note`` says what present measurement data show when it is not
    compliance (else ``null``).
    """
    declared = plain(record)
    declared.pop("source", None)
    return {
        "report_id": None if report_id is None else report_id.as_dict(),
        "issued_utc": None if issued is None else issue_text(issued),
        "record": declared,
        "checklist": [
            {
                "clause": i.clause,
                "item": i.title,
                "section": i.section.value,
                "status": i.status.value,
                "missing": list(i.missing),
                "note": i.note or None,
            }
            for i in checklist
        ],
        "record_incomplete": incomplete_line(tuple(checklist)),
        "findings": [
            {"kind": f.kind.value, "subject": f.subject, "message": f.message} for f in findings
        ],
    }
