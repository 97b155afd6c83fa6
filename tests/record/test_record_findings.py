"""Cross-checks: unlisted instruments, calibration due before a test date, capture dates."""

from __future__ import annotations

import datetime as dt

import pytest

from rfcheck.capture import Capture, Instrument, Provenance
from rfcheck.errors import SetupFileError
from rfcheck.record import (
    AppliedTransducer,
    CalibrationStatus,
    FindingKind,
    Record,
    TransducerKind,
    calibration_status,
    cross_check,
    parse_record,
)
from rfcheck.record.equipment_match import equipment_items_of_kind, range_covered
from rfcheck.record.statements import import_condition_text

_EQUIPMENT = [
    {
        "type": "EMI receiver",
        "manufacturer": "Rohde & Schwarz",
        "model": "ESR3",
        "serial": "101234",
        "cal_date": dt.date(2024, 11, 1),
        "cal_due": dt.date(2025, 11, 1),
    },
    {"type": "LISN", "model": "LN-50", "serial": "L-77", "cal_due": dt.date(2025, 11, 12)},
    {"type": "Antenna", "model": "BBHA 9120"},
]


def _record(dates: list[dt.date]) -> object:
    return parse_record({"test": {"dates": dates}, "equipment": _EQUIPMENT})


def _capture(inst: Instrument, when: str | None = None, path: str = "conducted/a.dat") -> Capture:
    return Capture(
        instrument=inst,
        timestamp=when,
        provenance=Provenance(path=path, sha256="0" * 64, format="rs-ascii", size_bytes=1),
    )


def test_calibration_due_before_the_test_date_is_flagged() -> None:
    record = parse_record({"test": {"dates": [dt.date(2025, 11, 12)]}, "equipment": _EQUIPMENT})
    findings = cross_check(record)
    assert [(f.kind, f.message) for f in findings] == [
        (
            FindingKind.CALIBRATION_OVERDUE,
            "calibration due 2025-11-01 before test date 2025-11-12: "
            "EMI receiver: Rohde & Schwarz ESR3 s/n 101234",
        )
    ]


def test_an_overdue_calibration_names_a_test_date_of_this_units_captures() -> None:
    """Units tested on different declared days: each record names its own day.

    The ``[test]`` table declares 2025-11-12 and 2025-11-19; this unit's captures are from
    2025-11-12, so its finding names that day, not the other unit's 2025-11-19.
    """
    dates = [dt.date(2025, 11, 12), dt.date(2025, 11, 19)]
    record = parse_record({"test": {"dates": dates}, "equipment": _EQUIPMENT})
    inst = Instrument(vendor="Rohde & Schwarz", model="ESR3", serial="101234")
    (f,) = cross_check(record, [_capture(inst, "2025-11-12T10:00:00")])
    assert f.message.startswith("calibration due 2025-11-01 before test date 2025-11-12:")
    first, lisn = cross_check(record)  # no dated capture: every declared day counts
    assert first.message.startswith("calibration due 2025-11-01 before test date 2025-11-19:")
    assert lisn.message.startswith("calibration due 2025-11-12 before test date 2025-11-19:")


def test_due_on_the_test_day_is_valid_and_statuses_are_reported() -> None:
    record = parse_record({"test": {"dates": [dt.date(2025, 11, 12)]}, "equipment": _EQUIPMENT})
    statuses = [calibration_status(e, record.test.dates) for e in record.equipment]
    assert statuses == [
        CalibrationStatus.OVERDUE,
        CalibrationStatus.VALID,
        CalibrationStatus.NOT_STATED,
    ]
    assert calibration_status(record.equipment[0], None) is CalibrationStatus.NO_TEST_DATE


def test_instrument_in_a_capture_header_but_not_in_the_list_is_a_finding() -> None:
    record = parse_record({"test": {"dates": [dt.date(2025, 10, 1)]}, "equipment": _EQUIPMENT})
    listed = _capture(
        Instrument(vendor="Rohde&Schwarz", model="ESR3 EMI Test Receiver", serial="101234")
    )
    by_model = _capture(Instrument(vendor="Rohde&Schwarz", model="ESR3"))
    unlisted = _capture(
        Instrument(vendor="Siglent", model="SSA3032X", serial="SSA3X123"), path="radiated/h.csv"
    )
    anonymous = _capture(Instrument())
    findings = cross_check(record, [listed, by_model, unlisted, anonymous])
    assert [(f.kind, f.message) for f in findings] == [
        (
            FindingKind.UNLISTED_INSTRUMENT,
            "instrument Siglent SSA3032X s/n SSA3X123 named in radiated/h.csv is not in the "
            "[[equipment]] list",
        )
    ]


def test_listed_serial_mismatch_is_not_matched_on_model() -> None:
    record = parse_record({"equipment": _EQUIPMENT})
    other = _capture(Instrument(vendor="Rohde&Schwarz", model="ESR3", serial="999999"))
    assert [f.kind for f in cross_check(record, [other])] == [FindingKind.UNLISTED_INSTRUMENT]


def test_capture_recorded_after_its_instrument_calibration_due_is_flagged() -> None:
    record = parse_record({"equipment": _EQUIPMENT})  # no [test] dates at all
    late = _capture(Instrument(model="ESR3", serial="101234"), when="2025-11-05T10:00:00")
    findings = cross_check(record, [late])
    assert [f.message for f in findings] == [
        "calibration due 2025-11-01 before conducted/a.dat was recorded on 2025-11-05: "
        "EMI receiver: Rohde & Schwarz ESR3 s/n 101234"
    ]


def test_capture_recorded_outside_the_test_dates_is_a_finding() -> None:
    dates = [dt.date(2025, 11, 12), dt.date(2025, 11, 13)]
    record = parse_record({"test": {"dates": dates}})
    inside = _capture(Instrument(), when="2025-11-13T09:00:00", path="conducted/in.dat")
    outside = _capture(Instrument(), when="2025-10-02T14:30:00", path="radiated/old.csv")
    undated = _capture(Instrument(), path="radiated/undated.csv")
    findings = cross_check(record, [inside, outside, undated, outside])
    assert [(f.kind, f.subject, f.message) for f in findings] == [
        (
            FindingKind.CAPTURE_OUTSIDE_TEST_DATES,
            "radiated/old.csv",
            "radiated/old.csv was recorded on 2025-10-02 (header timestamp "
            "'2025-10-02T14:30:00'), not one of the [test] dates (2025-11-12, 2025-11-13)",
        )
    ]


#: Tempe, AZ test days; 2025-11-20T02:03:27Z is 19:03 on 2025-11-19 there (UTC-7).
_AZ_DATES = [dt.date(2025, 11, 12), dt.date(2025, 11, 13), dt.date(2025, 11, 19)]


@pytest.mark.parametrize(
    "stamp",
    [
        "2025-11-20T02:03:27Z",  # SigMF core:datetime: the day after a test day, in UTC
        "2025-11-20T02:03:27+00:00",
        "2025-11-19T19:03:27-07:00",  # the same instant with the lab's offset
        "2025-11-11T23:30:00Z",  # the day before a test day (a lab east of UTC)
        "2025-11-18T06:00:00Z",  # 23:00 on 11-17 in Arizona: off, but the setup names no zone
    ],
)
def test_utc_capture_within_one_day_of_a_test_date_is_not_a_finding(stamp: str) -> None:
    record = parse_record({"test": {"dates": _AZ_DATES}})
    assert cross_check(record, [_capture(Instrument(), when=stamp)]) == ()


def test_utc_capture_two_days_off_is_a_finding_that_says_utc() -> None:
    record = parse_record({"test": {"dates": _AZ_DATES}})
    late = _capture(Instrument(), when="2025-11-21T02:03:27Z", path="conducted/burst.sigmf-meta")
    early = _capture(Instrument(), when="2025-11-16T20:00:00-07:00", path="conducted/b.sigmf-meta")
    assert [f.message for f in cross_check(record, [late, early])] == [
        "conducted/burst.sigmf-meta was recorded on 2025-11-21 UTC (header timestamp "
        "'2025-11-21T02:03:27Z'; the lab's local date is within one day of it), not one of "
        "the [test] dates (2025-11-12, 2025-11-13, 2025-11-19)",
        "conducted/b.sigmf-meta was recorded on 2025-11-17 UTC (header timestamp "
        "'2025-11-16T20:00:00-07:00'; the lab's local date is within one day of it), not one "
        "of the [test] dates (2025-11-12, 2025-11-13, 2025-11-19)",
    ]


def test_local_capture_one_day_off_is_still_a_finding() -> None:
    record = parse_record({"test": {"dates": _AZ_DATES}})
    stamp = "2025-11-20T02:03:27"  # no time zone: the lab's own clock, a day after the last
    assert [f.message for f in cross_check(record, [_capture(Instrument(), when=stamp)])] == [
        "conducted/a.dat was recorded on 2025-11-20 (header timestamp "
        "'2025-11-20T02:03:27'), not one of the [test] dates (2025-11-12, 2025-11-13, "
        "2025-11-19)"
    ]


def test_calibration_against_a_utc_capture_date_allows_the_day_before() -> None:
    record = parse_record({"equipment": _EQUIPMENT})  # ESR3 due 2025-11-01
    day_after = _capture(Instrument(model="ESR3", serial="101234"), when="2025-11-02T03:00:00Z")
    assert cross_check(record, [day_after]) == ()
    two_days = _capture(Instrument(model="ESR3", serial="101234"), when="2025-11-03T03:00:00Z")
    assert [f.message for f in cross_check(record, [two_days])] == [
        "calibration due 2025-11-01 before conducted/a.dat was recorded on 2025-11-03 UTC: "
        "EMI receiver: Rohde & Schwarz ESR3 s/n 101234"
    ]
    local = _capture(Instrument(model="ESR3", serial="101234"), when="2025-11-02T03:00:00")
    assert [f.kind for f in cross_check(record, [local])] == [FindingKind.CALIBRATION_OVERDUE]


def test_capture_dates_are_not_checked_without_declared_test_dates() -> None:
    record = parse_record({})
    assert cross_check(record, [_capture(Instrument(), when="2025-10-02")]) == ()


@pytest.mark.parametrize(
    ("kind", "type_text"),
    [
        (TransducerKind.LISN, "LISN"),
        (TransducerKind.LISN, "Line Impedance Stabilization Network"),
        (TransducerKind.LISN, "AMN (V-network)"),
        (TransducerKind.ANTENNA, "bilog antenna 30 MHz - 1 GHz"),
        (TransducerKind.ANTENNA, "Horn 1-18 GHz"),
        (TransducerKind.CABLE, "coaxial cable set, chamber to receiver"),
        (TransducerKind.PREAMPLIFIER, "preamplifier 1 - 6 GHz"),
        (TransducerKind.PREAMPLIFIER, "Low-noise amplifier"),
    ],
)
def test_an_equipment_type_naming_the_kind_matches_it(kind: TransducerKind, type_text: str) -> None:
    item = parse_record({"equipment": [{"type": type_text}]}).equipment[0]
    assert equipment_items_of_kind(kind, [item]) == (item,)


@pytest.mark.parametrize(
    ("kind", "type_text"),
    [
        (TransducerKind.LISN, "EMI receiver"),
        (TransducerKind.ANTENNA, "EMI receiver"),
        (TransducerKind.CABLE, "cabinet"),  # a word start, never any substring
        (TransducerKind.PREAMPLIFIER, "clamp"),
    ],
)
def test_an_equipment_type_not_naming_the_kind_does_not_match(
    kind: TransducerKind, type_text: str
) -> None:
    item = parse_record({"equipment": [{"type": type_text}]}).equipment[0]
    assert equipment_items_of_kind(kind, [item]) == ()


def test_an_applied_transducer_without_equipment_of_its_kind_is_a_finding() -> None:
    record = parse_record({"equipment": _EQUIPMENT})  # a receiver, a LISN, an antenna
    applied = {
        TransducerKind.LISN: ("lisn.csv",),
        TransducerKind.CABLE: ("cable.csv", "0.2 dB"),
        TransducerKind.ANTENNA: ("af.csv",),
        TransducerKind.PREAMPLIFIER: ("25 dB",),
    }
    findings = cross_check(record, (), applied)
    assert [(f.kind, f.subject, f.message) for f in findings] == [
        (
            FindingKind.UNLISTED_TRANSDUCER,
            "cable",
            "the setup applies cable_loss (cable.csv, 0.2 dB) but no [[equipment]] item is a "
            "cable (no type names any of: cable)",
        ),
        (
            FindingKind.UNLISTED_TRANSDUCER,
            "preamplifier",
            "the setup applies preamp_gain (25 dB) but no [[equipment]] item is a "
            "preamplifier (no type names any of: preamp, pre-amp, amplifier, lna)",
        ),
    ]
    assert cross_check(record, ()) == ()  # nothing applied, nothing to cross-check


def _entry_record(authorization: str, condition: int) -> Record:
    return parse_record(
        {"compliance": {"authorization": authorization}, "entry": {"import_condition": condition}}
    )


def test_an_import_condition_for_unauthorized_devices_contradicts_an_sdoc() -> None:
    findings = cross_check(_entry_record("sdoc", 2))
    assert [(f.kind, f.subject, f.message) for f in findings] == [
        (
            FindingKind.IMPORT_CONDITION_CONFLICT,
            "[entry]",
            "the entry sheet states 47 CFR 2.1204(a)(2) (the device is not required to be "
            "authorized), but [compliance] authorization is sdoc (Supplier's Declaration of "
            "Conformity, 47 CFR 2.906): an authorized device enters under 2.1204(a)(1)",
        )
    ]
    (cert,) = cross_check(_entry_record("certification", 2))
    assert "authorization is certification (certification, 47 CFR 2.907)" in cert.message


@pytest.mark.parametrize("condition", [1, 3, 4, 5])
def test_other_import_conditions_do_not_contradict_an_authorization(condition: int) -> None:
    assert cross_check(_entry_record("sdoc", condition)) == ()


def test_the_import_condition_is_printed_with_what_it_means() -> None:
    assert import_condition_text(1) == (
        "47 CFR 2.1204(a)(1): the device has an equipment authorization"
    )
    assert import_condition_text(2) == (
        "47 CFR 2.1204(a)(2): the device is not required to be authorized, and complies"
    )
    assert import_condition_text(9) == (
        "47 CFR 2.1204(a)(9): a condition not in rfcheck's reference (meaning UNCONFIRMED)"
    )


def test_an_equipment_range_is_read_in_hz() -> None:
    record = parse_record({"equipment": [{"type": "horn antenna", "range_hz": [1e9, 18_000e6]}]})
    assert record.equipment[0].range_hz == (1e9, 18e9)
    assert parse_record({"equipment": [{"type": "LISN"}]}).equipment[0].range_hz is None


@pytest.mark.parametrize("value", [[1e9], [6e9, 1e9], [-1.0, 1e9], ["1 GHz", "6 GHz"], 1e9])
def test_a_malformed_equipment_range_is_an_error_naming_the_item(value: object) -> None:
    with pytest.raises(SetupFileError) as err:
        parse_record({"equipment": [{"type": "LISN"}, {"type": "horn", "range_hz": value}]})
    assert str(err.value) == (
        f"[[equipment]] #2 range_hz: expected [lo, hi] in Hz with 0 <= lo < hi, got {value!r}"
    )


@pytest.mark.parametrize(
    ("applied_hz", "covered"),
    [
        ((30e6, 6e9), True),  # the bilog and the horn touch at 1 GHz
        ((1e9, 1e9), True),
        ((25e6, 1e9), False),  # below the bilog
        ((1e9, 19e9), False),  # above the horn
    ],
)
def test_an_applied_range_is_covered_by_the_union_of_the_stated_ranges(
    applied_hz: tuple[float, float], covered: bool
) -> None:
    assert range_covered(applied_hz, [(1e9, 18e9), (30e6, 1e9)]) is covered


def test_an_applied_range_across_a_gap_between_stated_ranges_is_not_covered() -> None:
    assert not range_covered((30e6, 2e9), [(30e6, 1e9), (1.1e9, 18e9)])


def test_ranges_are_compared_to_the_rounding_of_the_numbers_a_table_prints() -> None:
    assert range_covered((1e9 * (1 - 1e-12), 6e9 * (1 + 1e-12)), [(1e9, 6e9)])
    assert not range_covered((1e9 * (1 - 1e-6), 6e9), [(1e9, 6e9)])


_BILOG = {"type": "bilog antenna", "model": "VULB 9168", "range_hz": [30e6, 1e9]}
_HORN_1_6G = AppliedTransducer("horn.csv", (1e9, 6e9))


def test_a_horn_applied_above_the_listed_bilogs_range_is_a_finding() -> None:
    record = parse_record({"equipment": [_BILOG, {"type": "horn antenna", "model": "3117"}]})
    (finding,) = cross_check(record, (), {TransducerKind.ANTENNA: (_HORN_1_6G,)})
    assert (finding.kind, finding.subject, finding.message) == (
        FindingKind.TRANSDUCER_RANGE_NOT_COVERED,
        "antenna",
        "the setup applies antenna_factor (horn.csv over 1000-6000 MHz) but the range_hz of no "
        "[[equipment]] item that is an antenna covers it (bilog antenna: VULB 9168: 30-1000 MHz)"
        "; the range of horn antenna: 3117 could not be checked: no range_hz",
    )


def test_a_listed_horn_stating_1_to_6_ghz_covers_it() -> None:
    horn = {"type": "horn antenna", "model": "3117", "range_hz": [1e9, 6e9]}
    record = parse_record({"equipment": [_BILOG, horn]})
    assert cross_check(record, (), {TransducerKind.ANTENNA: (_HORN_1_6G,)}) == ()


def test_a_transducer_applied_over_an_unknown_range_is_matched_on_its_kind_only() -> None:
    record = parse_record({"equipment": [_BILOG]})
    assert cross_check(record, (), {TransducerKind.ANTENNA: ("horn.csv",)}) == ()


def _models_record(model: str | None, models: list[str] | None) -> Record:
    entry: dict[str, object] = {"entry_number": "E-1"}
    if models is not None:
        entry["models"] = models
    return parse_record({"dut": {"model": model} if model else {}, "entry": entry})


def test_entry_models_without_the_tested_model_are_a_finding() -> None:
    """A broker's first question: is the report on the model being imported."""
    assert [
        (f.kind, f.subject, f.message) for f in cross_check(_models_record("NX-7", ["NX-8"]))
    ] == [
        (
            FindingKind.ENTRY_MODEL_NOT_TESTED,
            "[entry] models",
            "the entry sheet's models (NX-8) do not include the tested model NX-7 ([dut] "
            "model): this record shows no data for them",
        )
    ]


@pytest.mark.parametrize(
    ("model", "models"),
    [("NX-7", ["NX-8", "NX-7"]), ("nx-7 ", ["NX-7"]), ("NX-7", None), (None, ["NX-8"])],
)
def test_entry_models_naming_the_tested_model_or_unstated_are_no_finding(
    model: str | None, models: list[str] | None
) -> None:
    assert cross_check(_models_record(model, models)) == ()
