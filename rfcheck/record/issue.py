"""The issue date of a record: when it was generated (docs/record.md, "Issue date").

A record carries its issue date: the cover prints it, ``dossier.json`` holds it
(``issued_utc``) and it is the PDF's creation and modification date. It is the time the
run started, in whole seconds UTC, or ``SOURCE_DATE_EPOCH`` when that is set, so a
reproducible build (same inputs, same variable) gives the same bytes. ``rfcheck verify``
checks the inputs against the manifest, which does not hold the date: a re-issue verifies
the same.
"""

from __future__ import annotations

import datetime as _dt
import time
from typing import Any

from ..report.epoch import source_date_epoch

__all__ = ["issue_text", "issue_time", "pdf_timestamp"]


def issue_time() -> _dt.datetime:
    """Return the issue time: ``SOURCE_DATE_EPOCH`` if set, else now; UTC, whole seconds.

    Raises
    ------
    EnvironmentSettingError
        ``SOURCE_DATE_EPOCH`` is set to an invalid value.

    References
    ----------
    reproducible-builds.org, "SOURCE_DATE_EPOCH" specification.
    """
    epoch_s = source_date_epoch()
    if epoch_s is not None:
        return _dt.datetime.fromtimestamp(epoch_s, _dt.UTC)
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0)


def issue_text(issued: _dt.datetime) -> str:
    """Return ``issued`` as ISO 8601 UTC: ``2025-11-14T09:30:00Z``."""
    return issued.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
