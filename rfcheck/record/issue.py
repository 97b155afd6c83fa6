"""The issue date of a record: when it was generated (docs/record.md, "Issue date").

A record carries its issue date: the cover prints it, ``dossier.json`` holds it
(``issued_utc``) and it is the PDF's creation and modification date. It is the time the
run started, in whole seconds UTC, or ``SOURCE_DATE_EPOCH`` when that is set, so a
reproducible build (same inputs, same variable) gives the same bytes (:func:`issue_time`,
:func:`issue_text`: the one clock of every report, in :mod:`rfcheck.report.epoch`).
``rfcheck verify`` checks the inputs against the manifest, which does not hold the date: a
re-issue verifies the same.
"""

from __future__ import annotations

import datetime as _dt
import time
from typing import Any

from ..report.epoch import issue_text, issue_time

__all__ = ["issue_text", "issue_time", "pdf_timestamp"]


def pdf_timestamp(issued: _dt.datetime) -> Any:
    """Return reportlab's document time stamp at ``issued`` (UTC): the PDF's CreationDate.

    The document stays in invariant mode (no wall-clock time, a fixed document id), so the
    same inputs issued at the same time give the same bytes. (reportlab is imported here, on
    use: a dossier's parent process takes the issue time and renders nothing.)
    """
    from reportlab.pdfbase.pdfdoc import TimeStamp

    stamp = TimeStamp(invariant=1)
    stamp.t = issued.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp
