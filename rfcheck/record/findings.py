"""Cross-checks of the declared record against the captures: findings, never fatal.

- An instrument named in a capture header (:class:`~rfcheck.capture.Instrument`) that is
  absent from ``[[equipment]]`` (47 CFR 15.31(b): the list of test equipment actually used
  is kept with the data).
- An item whose calibration was due before a test date (a ``[test]`` date, or the date in
  the header of a capture made with it).
- A capture whose header date is none of the ``[test]`` dates (47 CFR 2.938(b)(1): the
  record states the dates of all testing).

Findings are printed in the record; they do not change the measurement verdict.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..capture import Capture, Instrument
from .model import Equipment, Record

__all__ = [
    "FindingKind",
    "Finding",
    "CalibrationStatus",
    "calibration_status",
    "find_equipment",
    "cross_check",
]


class FindingKind(StrEnum):
    """What a :class:`Finding` is about."""

    UNLISTED_INSTRUMENT = "unlisted-instrument"
    CALIBRATION_OVERDUE = "calibration-overdue"
    CAPTURE_OUTSIDE_TEST_DATES = "capture-outside-test-dates"


@dataclass(frozen=True)
class Finding:
    """One observation for the record. ``subject`` names the item or capture it is about."""

    kind: FindingKind
    subject: str
    message: str


class CalibrationStatus(StrEnum):
    """Calibration of one equipment item relative to the test dates."""

    VALID = "valid"  #: due on or after every test date
    OVERDUE = "overdue"  #: due before at least one test date
    NOT_STATED = "not stated"  #: no due date declared
    NO_TEST_DATE = "no test date"  #: due date given, but no test date to compare with


def calibration_status(item: Equipment, test_dates: Sequence[_dt.date] | None) -> CalibrationStatus:
    """Whether ``item``'s calibration covered every test date (due on the test day is valid)."""
    if item.cal_due is None:
        return CalibrationStatus.NOT_STATED
    if not test_dates:
        return CalibrationStatus.NO_TEST_DATE
    if any(item.cal_due < d for d in test_dates):
        return CalibrationStatus.OVERDUE
    return CalibrationStatus.VALID


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def find_equipment(instrument: Instrument, equipment: Iterable[Equipment]) -> Equipment | None:
    """Return the ``[[equipment]]`` item that is ``instrument``, or ``None``.

    Matched on the serial number when both state one (case and punctuation ignored), else on
    the model (the list's model contained in the header's, ``ESR3`` in ``ESR3 EMI Test
    Receiver``). Deterministic: the first match in list order.
    """
    serial, model = _key(instrument.serial), _key(instrument.model)
    for item in equipment:
        item_serial, item_model = _key(item.serial or ""), _key(item.model or "")
        if serial and item_serial:
            if serial == item_serial:
                return item
            continue
        if model and item_model and item_model in model:
            return item
    return None


def _named(instrument: Instrument) -> bool:
    return bool(instrument.model.strip() or instrument.serial.strip())


def _capture_date(capture: Capture) -> _dt.date | None:
    if not capture.timestamp:
        return None
    try:
        return _dt.date.fromisoformat(capture.timestamp.strip()[:10])
    except ValueError:
        return None


def _capture_name(capture: Capture) -> str:
    return capture.provenance.path if capture.provenance else "capture"


def _overdue(record: Record) -> list[Finding]:
    dates = record.test.dates or ()
    out = []
    for item in record.equipment:
        late = [d for d in dates if item.cal_due is not None and item.cal_due < d]
        if late:
            out.append(
                Finding(
                    FindingKind.CALIBRATION_OVERDUE,
                    item.describe(),
                    f"calibration due {item.cal_due.isoformat()} before test date "  # type: ignore[union-attr]
                    f"{max(late).isoformat()}: {item.describe()}",
                )
            )
    return out


def _outside_test_dates(record: Record, capture: Capture) -> Finding | None:
    """Return the finding for a capture dated outside the declared test dates (2.938(b)(1))."""
    dates = record.test.dates
    when = _capture_date(capture)
    if not dates or when is None or when in dates:
        return None
    name = _capture_name(capture)
    declared = ", ".join(d.isoformat() for d in dates)
    return Finding(
        FindingKind.CAPTURE_OUTSIDE_TEST_DATES,
        name,
        f"{name} was recorded on {when.isoformat()} (header timestamp "
        f"{(capture.timestamp or '').strip()!r}), not one of the [test] dates ({declared})",
    )


def cross_check(record: Record, captures: Iterable[Capture] = ()) -> tuple[Finding, ...]:
    """Every finding for ``record`` and the captures it accompanies, in a stable order.

    Parameters
    ----------
    record : Record
        The declared record.
    captures : iterable of Capture
        The captures judged in the dossier (their headers name the instruments).

    Returns
    -------
    tuple of Finding
        Overdue calibrations against ``[test]`` dates first, then per capture (in the order
        given) a header date outside the ``[test]`` dates, an unlisted instrument or a
        calibration due before the capture's own date.
    """
    findings = _overdue(record)
    seen = {(f.kind, f.subject) for f in findings}
    for capture in captures:
        outside = _outside_test_dates(record, capture)
        if outside is not None and (outside.kind, outside.subject) not in seen:
            seen.add((outside.kind, outside.subject))
            findings.append(outside)
        inst = capture.instrument
        if not _named(inst):
            continue
        item = find_equipment(inst, record.equipment)
        if item is None:
            f = Finding(
                FindingKind.UNLISTED_INSTRUMENT,
                inst.describe(),
                f"instrument {inst.describe()} named in {_capture_name(capture)} "
                "is not in the [[equipment]] list",
            )
        else:
            when = _capture_date(capture)
            if when is None or item.cal_due is None or item.cal_due >= when:
                continue
            f = Finding(
                FindingKind.CALIBRATION_OVERDUE,
                item.describe(),
                f"calibration due {item.cal_due.isoformat()} before {_capture_name(capture)} "
                f"was recorded on {when.isoformat()}: {item.describe()}",
            )
        if (f.kind, f.subject) not in seen:
            seen.add((f.kind, f.subject))
            findings.append(f)
    return tuple(findings)
