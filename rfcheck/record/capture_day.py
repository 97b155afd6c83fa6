"""The day a capture was recorded on, as far as its header timestamp tells the lab's date.

The record's cross-checks compare it with the ``[test]`` dates and the calibration due dates
(:mod:`rfcheck.record.findings`; ``docs/record.md``, "Cross-checks").
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

__all__ = ["CaptureDay", "capture_day"]


@dataclass(frozen=True)
class CaptureDay:
    """The day a capture was recorded on, as far as its header timestamp tells the lab's date.

    A timestamp without a time zone is the lab's local time: its date is the day
    (``earliest == latest``). A timestamp with one (``Z``, ``+01:00``: SigMF's
    ``core:datetime`` is UTC) is an instant; the setup states no time zone for the lab, so
    the lab's local date is known only within one day of the UTC date (``docs/record.md``,
    "Cross-checks").
    """

    date: _dt.date  #: the date the header names (in UTC when it has a time zone)
    utc: bool  #: the header timestamp carries a time zone (``date`` is the UTC date)

    @property
    def earliest(self) -> _dt.date:
        """The earliest local date the capture can have been recorded on."""
        return self.date - _ONE_DAY if self.utc else self.date

    @property
    def latest(self) -> _dt.date:
        """The latest local date the capture can have been recorded on."""
        return self.date + _ONE_DAY if self.utc else self.date

    def text(self) -> str:
        """Return the date as a finding words it (``2025-11-22 UTC`` for a zoned timestamp)."""
        return f"{self.date.isoformat()} UTC" if self.utc else self.date.isoformat()


_ONE_DAY = _dt.timedelta(days=1)


def capture_day(timestamp: str | None) -> CaptureDay | None:
    """Return the day of a capture's header ``timestamp`` (ISO 8601), or ``None`` if undated.

    ``2025-11-19`` and ``2025-11-19T19:03:27`` are that local day; ``2025-11-20T02:03:27Z``
    and ``2025-11-19T19:03:27-07:00`` are UTC 2025-11-20, within one day of the lab's date.
    A text that does not start with an ISO date is undated.
    """
    text = (timestamp or "").strip()
    try:
        day = _dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    try:
        stamp = _dt.datetime.fromisoformat(text)
    except ValueError:
        return CaptureDay(day, utc=False)
    if stamp.tzinfo is None:
        return CaptureDay(day, utc=False)
    return CaptureDay(stamp.astimezone(_dt.UTC).date(), utc=True)
