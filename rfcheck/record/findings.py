"""Cross-checks of the declared record against the captures: findings, never fatal.

- An instrument named in a capture header (:class:`~rfcheck.capture.Instrument`) that is
  absent from ``[[equipment]]`` (47 CFR 15.31(b): the list of test equipment actually used
  is kept with the data).
- An item whose calibration was due before a test date (a ``[test]`` date, or the date in
  the header of a capture made with it).
- A transducer the setup's rules apply (antenna factor, cable loss, LISN, preamplifier)
  whose kind no ``[[equipment]]`` item's ``type`` names (:func:`equipment_items_of_kind`), or
  applied over a range the ``range_hz`` of the listed items of its kind does not cover
  (:func:`range_covered`); when none of them states ``range_hz``, a finding says the range
  could not be checked.
- A capture whose header date is none of the ``[test]`` dates (47 CFR 2.938(b)(1): the
  record states the dates of all testing). A timestamp with a time zone (UTC) is within one
  day of the lab's local date (:class:`CaptureDay`): one day off is not a finding.
- Levels computed from an I/Q recording by rfcheck's receiver model: its validation status
  (:data:`~.statements.RECEIVER_MODEL_STATUS`), so they are not read as an instrument's.
- An ``[entry] import_condition`` that contradicts ``[compliance] authorization``
  (:func:`import_condition_conflict`).
- ``[entry] models`` that do not include the tested model, ``[dut] model``
  (:func:`entry_model_conflict`).
- A Supplier's Declaration of Conformity whose responsible party's address does not read as
  one in the United States (:func:`responsible_party_outside_us`; 2.1077(a)(3), 2.909(b)).
- Conducted emissions measured with no LISN in ``[[equipment]]``
  (:func:`conducted_without_lisn`; when the rules apply a ``lisn`` factor, the
  unlisted-transducer finding says it).
- A mains port's captures judged with no LISN factor: no ``lisn`` in the setup applies to
  them and their files do not state that the instrument applied a transducer
  (:func:`no_lisn_factor`): the levels are the receiver's readings at the LISN port, without
  its voltage division factor.
- A capture whose header states another device than the unit's
  (:func:`rfcheck.record.identity.other_device_finding`), or whose content is also filed
  under another unit (:func:`rfcheck.record.identity.shared_capture_finding`).
- A report title, standard or class key stating another device class than the one whose
  limits were judged (:func:`rfcheck.record.device_class.class_findings`).

Findings are printed in the record; they do not change the measurement verdict. A finding
that shows the record lacking something the 2.938(b) checklist asks for carries a ``gap``
(an instrument that made captures but is not in the equipment list; a capture of another
device among the unit's): the checklist lists it as missing, so the record never reads
complete beside it (:func:`rfcheck.record.checklist.build_checklist`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..capture import Capture, Instrument
from ..frequency import format_mhz_range
from .capture_day import CaptureDay, capture_day
from .equipment_match import (
    KIND_WORDS,
    AppliedTransducer,
    TransducerKind,
    equipment_items_of_kind,
    find_equipment,
    range_covered,
)
from .model import AuthorizationPath, Equipment, Record
from .statements import RECEIVER_MODEL_STATUS
from .us_address import reads_as_us_address

__all__ = [
    "FINDINGS_NOTE",
    "FINDINGS_TITLE",
    "NO_FINDINGS",
    "FindingKind",
    "Finding",
    "findings_count",
    "import_condition_conflict",
    "entry_model_conflict",
    "responsible_party_outside_us",
    "conducted_without_lisn",
    "no_lisn_factor",
    "receiver_model_finding",
    "CalibrationStatus",
    "calibration_status",
    "CaptureDay",
    "capture_day",
    "cross_check",
]


class FindingKind(StrEnum):
    """What a :class:`Finding` is about."""

    UNLISTED_INSTRUMENT = "unlisted-instrument"
    CALIBRATION_OVERDUE = "calibration-overdue"
    CAPTURE_OUTSIDE_TEST_DATES = "capture-outside-test-dates"
    UNLISTED_TRANSDUCER = "unlisted-transducer"
    #: applied over a range no listed item of its kind states (``range_hz``)
    TRANSDUCER_RANGE_NOT_COVERED = "transducer-range-not-covered"
    #: the items of its kind are listed, but none states ``range_hz``
    TRANSDUCER_RANGE_NOT_CHECKED = "transducer-range-not-checked"
    IMPORT_CONDITION_CONFLICT = "import-condition-contradicts-authorization"
    #: the entry sheet's models do not include the model tested
    ENTRY_MODEL_NOT_TESTED = "entry-model-not-tested"
    RECEIVER_MODEL_LEVELS = "receiver-model-levels"
    #: conducted emissions measured, and no ``[[equipment]]`` item is a LISN
    CONDUCTED_WITHOUT_LISN = "conducted-without-lisn"
    #: a mains port's captures judged without a LISN factor (none applied, none stated)
    NO_LISN_FACTOR = "conducted-without-lisn-factor"
    #: a capture's header states another device (model or serial) than the unit's
    CAPTURE_OF_ANOTHER_DEVICE = "capture-of-another-device"
    #: a capture's content (SHA-256) is also filed under another unit of the run
    CAPTURE_SHARED_WITH_ANOTHER_UNIT = "capture-shared-with-another-unit"
    #: the record states a device class whose limits were not the ones judged
    CLASS_NOT_JUDGED = "class-not-judged"
    #: an SDoC's responsible party whose address does not read as one in the US
    RESPONSIBLE_PARTY_NOT_IN_US = "responsible-party-not-in-us"


#: The setup key that applies each kind, and the item it needs, as the finding words them.
_KIND_TEXT: dict[TransducerKind, tuple[str, str]] = {
    TransducerKind.ANTENNA: ("antenna_factor", "an antenna"),
    TransducerKind.CABLE: ("cable_loss", "a cable"),
    TransducerKind.LISN: ("lisn", "a LISN"),
    TransducerKind.PREAMPLIFIER: ("preamp_gain", "a preamplifier"),
}


#: Title of the findings on the record's cover and as a section (the PDF and ``dossier.html``):
#: cross-checks of the declared record (equipment, calibration, test dates, entry) against
#: the captures and the setup, and the receiver model's status; never emissions.
FINDINGS_TITLE = "Record findings"

#: What the findings are, printed under their title.
FINDINGS_NOTE = (
    "Cross-checks of the record against the captures and the setup: an instrument "
    "named in a capture header but not listed, a capture whose header states another "
    "device than this unit, a device class stated but not judged, a calibration due "
    "before a test date, "
    "a capture dated outside the test dates, an applied transducer not listed or applied "
    "outside the range the listed items state, a conducted capture judged without a LISN "
    "factor, an "
    "import condition contradicting the authorization, a responsible party not shown to be "
    "in the United States, levels computed by rfcheck's "
    "receiver model. They are not emissions: the measurement verdict and its "
    "completeness matrix are in the measurement sections."
)

#: The findings section of a record without findings.
NO_FINDINGS = "No findings."


@dataclass(frozen=True)
class Finding:
    """One observation for the record. ``subject`` names the item or capture it is about.

    ``gap``: what the record lacks because of it, as the 2.938(b) checklist lists it
    missing ("" for a finding that is no gap).
    """

    kind: FindingKind
    subject: str
    message: str
    gap: str = ""


class CalibrationStatus(StrEnum):
    """Calibration of one equipment item relative to the test dates."""

    VALID = "valid"  #: due on or after every test date
    OVERDUE = "overdue"  #: due before at least one test date
    NOT_STATED = "not stated"  #: no due date declared
    NO_TEST_DATE = "no test date"  #: due date given, but no test date to compare with


def findings_count(findings: Sequence[Finding]) -> str:
    """Return the cover's count of the findings: ``3 (see the findings section)`` or ``none``."""
    return f"{len(findings)} (see the findings section)" if findings else "none"


def calibration_status(item: Equipment, test_dates: Sequence[_dt.date] | None) -> CalibrationStatus:
    """Whether ``item``'s calibration covered every test date (due on the test day is valid)."""
    if item.cal_due is None:
        return CalibrationStatus.NOT_STATED
    if not test_dates:
        return CalibrationStatus.NO_TEST_DATE
    if any(item.cal_due < d for d in test_dates):
        return CalibrationStatus.OVERDUE
    return CalibrationStatus.VALID


def _unstated(items: Sequence[Equipment]) -> str:
    return "; ".join(i.describe() for i in items)


def _range_finding(
    kind: TransducerKind, sources: Sequence[AppliedTransducer], items: Sequence[Equipment]
) -> Finding | None:
    """Return the range finding of an applied kind whose items are listed, or ``None``.

    Every applied range must lie inside the union of the items' ``range_hz``; when no item
    states one, the kind match stands and the finding says the range could not be checked.
    """
    known = [s for s in sources if s.range_hz is not None]
    ranged = [(i, i.range_hz) for i in items if i.range_hz is not None]
    unranged = [i for i in items if i.range_hz is None]
    key, item = _KIND_TEXT[kind]
    if known and not ranged:
        return Finding(
            FindingKind.TRANSDUCER_RANGE_NOT_CHECKED,
            kind.value,
            f"the setup applies {key} ({', '.join(s.text() for s in known)}); no [[equipment]] "
            f"item that is {item} states range_hz ({_unstated(unranged)}), so whether the "
            f"listed items cover {'that range' if len(known) == 1 else 'those ranges'} could "
            "not be checked",
        )
    uncovered = [
        s.text()
        for s in sources
        if s.range_hz is not None and not range_covered(s.range_hz, [r for _, r in ranged])
    ]
    if not uncovered:
        return None
    stated = "; ".join(f"{i.describe()}: {format_mhz_range(*r)}" for i, r in ranged)
    message = (
        f"the setup applies {key} ({', '.join(uncovered)}) but the range_hz of no "
        f"[[equipment]] item that is {item} covers it ({stated})"
    )
    if unranged:
        message += f"; the range of {_unstated(unranged)} could not be checked: no range_hz"
    return Finding(FindingKind.TRANSDUCER_RANGE_NOT_COVERED, kind.value, message)


def _applied_transducer_findings(
    record: Record, applied: Mapping[TransducerKind, Sequence[str | AppliedTransducer]]
) -> list[Finding]:
    out = []
    for kind in TransducerKind:
        sources = [
            s if isinstance(s, AppliedTransducer) else AppliedTransducer(s)
            for s in applied.get(kind, ())
        ]
        if not sources:
            continue
        items = equipment_items_of_kind(kind, record.equipment)
        if items:
            found = _range_finding(kind, sources, items)
            out += [] if found is None else [found]
            continue
        key, item = _KIND_TEXT[kind]
        out.append(
            Finding(
                FindingKind.UNLISTED_TRANSDUCER,
                kind.value,
                f"the setup applies {key} ({', '.join(s.source for s in sources)}) but no "
                f"[[equipment]] item is {item} (no type names any of: "
                f"{', '.join(KIND_WORDS[kind])})",
            )
        )
    return out


#: The rule that makes each authorization path an equipment authorization.
_AUTHORIZED_BY = {
    AuthorizationPath.SDOC: "Supplier's Declaration of Conformity, 47 CFR 2.906",
    AuthorizationPath.CERTIFICATION: "certification, 47 CFR 2.907",
}


def import_condition_conflict(record: Record) -> str | None:
    """Say how the entry sheet's import condition contradicts the authorization, or ``None``.

    47 CFR 2.1204(a)(2) is for a device *not required* to be authorized; a device the
    setup declares authorized (``sdoc`` or ``certification``) enters under 2.1204(a)(1).
    Other conditions ((3) testing, (4) trade shows, (5) export) can hold for an authorized
    device too and are not questioned.
    """
    entry, path = record.entry, record.compliance.authorization
    if entry is None or path is None or entry.import_condition != 2:
        return None
    return (
        "the entry sheet states 47 CFR 2.1204(a)(2) (the device is not required to be "
        f"authorized), but [compliance] authorization is {path.value} ({_AUTHORIZED_BY[path]}): "
        "an authorized device enters under 2.1204(a)(1)"
    )


def entry_model_conflict(record: Record) -> Finding | None:
    """Return the finding for ``[entry] models`` that do not include the tested model.

    The record shows compliance for the model tested (``[dut] model``; 47 CFR 2.938(b)(5)
    identifies it); a shipment of another model is not covered by it. Names are compared
    with case and surrounding spaces ignored. ``None`` when either is not stated.
    """
    entry, model = record.entry, record.dut.model
    if entry is None or not entry.models or model is None or not model.strip():
        return None
    if model.strip().casefold() in {m.strip().casefold() for m in entry.models}:
        return None
    return Finding(
        FindingKind.ENTRY_MODEL_NOT_TESTED,
        "[entry] models",
        f"the entry sheet's models ({', '.join(entry.models)}) do not include the tested "
        f"model {model} ([dut] model): this record shows no data for them",
    )


#: What the record lacks when the address does not read as a US one (the checklist's gap).
RESPONSIBLE_PARTY_US_GAP = "responsible party address in the United States"


def responsible_party_outside_us(record: Record) -> Finding | None:
    """Return the finding for an SDoC responsible party not shown to be in the US, or ``None``.

    47 CFR 2.1077(a)(3) and 2.909(b): the responsible party of a Supplier's Declaration of
    Conformity is located in the United States. An address that names neither the US nor a US state
    code with a 5-digit ZIP code, or that ends with another country's name
    (:func:`~.us_address.reads_as_us_address`), is a finding
    and a gap of the 2.1077(a)(3) item. Not checked for a certified device (its responsible
    party is the grantee, 2.909(a), who may be anywhere) or an address not stated (the item
    lists it missing already).
    """
    party = record.compliance.responsible_party
    if record.compliance.authorization is AuthorizationPath.CERTIFICATION:
        return None
    if party is None or not party.address or reads_as_us_address(party.address):
        return None
    return Finding(
        FindingKind.RESPONSIBLE_PARTY_NOT_IN_US,
        "[compliance.responsible_party] address",
        f"the responsible party's address ({party.address}) names neither the United States "
        "(USA, United States) nor a US state code with a 5-digit ZIP code: the responsible "
        "party of a Supplier's Declaration of Conformity must be located in the United "
        "States (47 CFR 2.1077(a)(3), 2.909(b)), and this record does not show it",
        gap=RESPONSIBLE_PARTY_US_GAP,
    )


def conducted_without_lisn(record: Record, ports: Sequence[str]) -> Finding | None:
    """Return the finding for conducted emissions measured with no LISN listed, or ``None``.

    47 CFR 15.107 limits are measured with a 50 µH / 50 Ω LISN, and 15.31(b) asks for the
    list of the equipment actually used: the mains ports ``ports`` were measured, so the
    ``[[equipment]]`` list lacks an item :func:`equipment_items_of_kind` reads as a LISN.
    """
    if not ports or equipment_items_of_kind(TransducerKind.LISN, record.equipment):
        return None
    return Finding(
        FindingKind.CONDUCTED_WITHOUT_LISN,
        TransducerKind.LISN.value,
        f"conducted emissions were measured ({', '.join(ports)}) but no [[equipment]] item is "
        f"a LISN (no type names any of: {', '.join(KIND_WORDS[TransducerKind.LISN])}); "
        "47 CFR 15.107 limits are measured with a 50 µH / 50 Ω LISN and 15.31(b) asks for "
        "the equipment actually used",
    )


def no_lisn_factor(port: str, files: Sequence[str]) -> Finding:
    """Return the finding for a mains port's captures judged without a LISN factor.

    No ``lisn`` of the setup (``[check]`` or a ``[[rule]]`` matching them) applies to
    ``files``, and none states that its instrument applied a transducer (an R&S
    ``Transducer``, a Keysight ``Apply Corrections,ON``): their levels are the receiver's
    readings at the LISN's measurement port. 47 CFR 15.107 limits the RF voltage on the
    power line, which is the reading plus the LISN's voltage division factor
    (docs/references.md §7), so each margin is too generous by that factor. The radiated
    side refuses a capture with neither an antenna factor nor a field-strength unit; a
    conducted one is judged, and this says it. Not a gap of the 2.938(b) checklist (no item
    is missing; as for the transducer findings).

    Parameters
    ----------
    port : str
        The mains line (``L1``).
    files : sequence of str
        Its captures, as the record names them.
    """
    them = "it" if len(files) == 1 else "them"
    state = "its file does" if len(files) == 1 else "their files do"
    return Finding(
        FindingKind.NO_LISN_FACTOR,
        port,
        f"{port}: no LISN factor applied to {', '.join(files)}: levels are the receiver's "
        "readings at the LISN port without its voltage division factor (no lisn in the "
        f"setup's [check] or a [[rule]] matching {them}, and {state} not state that the "
        "instrument applied a transducer); 47 CFR 15.107 limits the voltage on the power "
        "line, the reading plus that factor, so each margin is too generous by it. Give the "
        f"LISN's table as lisn in a [[rule]] matching {them} (lisn = 0 if the levels already "
        "include it)",
    )


def receiver_model_finding(recordings: Sequence[str], version: str) -> Finding | None:
    """Return the finding for levels rfcheck's receiver model computed, or ``None``.

    Parameters
    ----------
    recordings : sequence of str
        The I/Q recordings whose levels the model computed (none: no finding).
    version : str
        The rfcheck version that computed them.
    """
    if not recordings:
        return None
    return Finding(
        FindingKind.RECEIVER_MODEL_LEVELS,
        f"rfcheck {version} receiver model",
        f"the levels of {', '.join(recordings)} were computed from I/Q recordings by "
        f"rfcheck's CISPR 16-1-1 receiver model (rfcheck {version}), not read by a "
        f"calibrated receiver. {RECEIVER_MODEL_STATUS}.",
    )


def _named(instrument: Instrument) -> bool:
    return bool(instrument.model.strip() or instrument.serial.strip())


def _capture_name(capture: Capture) -> str:
    return capture.provenance.path if capture.provenance else "capture"


def _overdue(record: Record, captures: Sequence[Capture] = ()) -> list[Finding]:
    """Calibrations due before a declared test date: the dates this unit's captures fall on.

    A record of one unit among several tested under one ``[test]`` table names the declared
    dates its own captures were recorded on; all declared dates when none of its captures is
    dated on one (the dates outside are their own finding).
    """
    declared = record.test.dates or ()
    days = [d for d in (capture_day(c.timestamp) for c in captures) if d is not None]
    own = [t for t in declared if any(d.earliest <= t <= d.latest for d in days)]
    dates = own or list(declared)
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
    """Return the finding for a capture dated outside the declared test dates (2.938(b)(1)).

    A zoned (UTC) timestamp within one day of a declared date is not a finding: the lab's
    local date may be that date (:class:`CaptureDay`).
    """
    dates = record.test.dates
    when = capture_day(capture.timestamp)
    if not dates or when is None or any(when.earliest <= d <= when.latest for d in dates):
        return None
    name = _capture_name(capture)
    declared = ", ".join(d.isoformat() for d in dates)
    zone = "; the lab's local date is within one day of it" if when.utc else ""
    return Finding(
        FindingKind.CAPTURE_OUTSIDE_TEST_DATES,
        name,
        f"{name} was recorded on {when.text()} (header timestamp "
        f"{(capture.timestamp or '').strip()!r}{zone}), not one of the [test] dates ({declared})",
    )


def cross_check(
    record: Record,
    captures: Iterable[Capture] = (),
    applied: Mapping[TransducerKind, Sequence[str | AppliedTransducer]] | None = None,
    conducted_ports: Sequence[str] = (),
) -> tuple[Finding, ...]:
    """Every finding for ``record`` and the captures it accompanies, in a stable order.

    Parameters
    ----------
    record : Record
        The declared record.
    captures : iterable of Capture
        The captures judged in the dossier (their headers name the instruments).
    applied : mapping, optional
        The transducers the setup's rules applied to them, by kind, once each: an
        :class:`AppliedTransducer` (what, and over which range), or only what was applied
        (a file name, or a constant such as ``0.3 dB``: the range is not checked).
    conducted_ports : sequence of str
        The mains ports with captures (conducted emissions measured: a LISN is listed).

    Returns
    -------
    tuple of Finding
        Overdue calibrations against ``[test]`` dates first, then applied transducers with
        no ``[[equipment]]`` item of their kind or outside the items' ranges, an import
        condition contradicting the authorization, entry models without the tested model,
        an SDoC responsible party not shown to be in the US, conducted emissions without a
        listed LISN, then per capture (in the order given) a header date outside the
        ``[test]`` dates, an unlisted instrument or a calibration due before the capture's
        own date.
    """
    captures = list(captures)
    findings = _overdue(record, captures) + _applied_transducer_findings(record, applied or {})
    conflict = import_condition_conflict(record)
    if conflict is not None:
        findings.append(Finding(FindingKind.IMPORT_CONDITION_CONFLICT, "[entry]", conflict))
    model = entry_model_conflict(record)
    if model is not None:
        findings.append(model)
    abroad = responsible_party_outside_us(record)
    if abroad is not None:
        findings.append(abroad)
    lisn = conducted_without_lisn(record, conducted_ports)
    if lisn is not None and not (applied or {}).get(TransducerKind.LISN):
        findings.append(lisn)  # a lisn the rules apply is an unlisted-transducer finding
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
                gap=f"equipment list entry for {inst.describe()} (named in a capture header)",
            )
        else:
            when = capture_day(capture.timestamp)
            if when is None or item.cal_due is None or item.cal_due >= when.earliest:
                continue
            f = Finding(
                FindingKind.CALIBRATION_OVERDUE,
                item.describe(),
                f"calibration due {item.cal_due.isoformat()} before {_capture_name(capture)} "
                f"was recorded on {when.text()}: {item.describe()}",
            )
        if (f.kind, f.subject) not in seen:
            seen.add((f.kind, f.subject))
            findings.append(f)
    return tuple(findings)
