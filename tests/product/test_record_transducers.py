"""Applied transducers: the ranges they were applied over, cross-checked against equipment.

The sample setup's tables and captures, and the record's 47 CFR 2.938(b)(3) check of them
against ``[[equipment]]``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from rfcheck.product.applied_transducers import applied_transducers
from rfcheck.product.assign import Assigned
from rfcheck.product.record import record_of
from rfcheck.product.run import place_captures
from rfcheck.record import AppliedTransducer, FindingKind, Record, TransducerKind, cross_check
from rfcheck.settings import load_setup

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"


@pytest.fixture(scope="module")
def rig() -> tuple[Record, list[Assigned]]:
    setup = load_setup(SAMPLES / "dossier-setup.toml")
    assigned, _ = place_captures([SAMPLES], setup).assign_unit("rig", setup)
    return record_of(setup), assigned


def test_each_transducer_is_applied_over_its_captures_span_inside_its_table(
    rig: tuple[Record, list[Assigned]],
) -> None:
    _, assigned = rig
    applied = applied_transducers(assigned)
    assert applied == {
        TransducerKind.ANTENNA: (
            AppliedTransducer("antenna_factor_horn_1-6G.csv", (1e9, 6e9)),
            AppliedTransducer("antenna_factor_bilog_30M-1G.csv", (30e6, 1e9)),
        ),
        TransducerKind.CABLE: (
            AppliedTransducer("0.2 dB", (150e3, 30e6)),
            AppliedTransducer("cable_loss.csv", (30e6, 6e9)),
        ),
        TransducerKind.LISN: (AppliedTransducer("lisn_factor.csv", (150e3, 30e6)),),
        TransducerKind.PREAMPLIFIER: (AppliedTransducer("preamp_gain_1-6G.csv", (1e9, 6e9)),),
    }


def _without_horn(record: Record) -> Record:
    kept = tuple(i for i in record.equipment if not (i.type or "").startswith("horn"))
    assert len(kept) == len(record.equipment) - 1
    return replace(record, equipment=kept)


def _transducer_findings(record: Record, assigned: list[Assigned]) -> list[tuple[str, str]]:
    findings = cross_check(record, [], applied_transducers(assigned))
    return [(f.kind.value, f.message) for f in findings]


def test_a_listed_horn_covering_1_to_6_ghz_leaves_nothing_to_find(
    rig: tuple[Record, list[Assigned]],
) -> None:
    record, assigned = rig
    assert _transducer_findings(record, assigned) == []


def test_the_horn_missing_while_the_bilog_is_listed_is_a_finding(
    rig: tuple[Record, list[Assigned]],
) -> None:
    record, assigned = rig
    assert _transducer_findings(_without_horn(record), assigned) == [
        (
            FindingKind.TRANSDUCER_RANGE_NOT_COVERED.value,
            "the setup applies antenna_factor (antenna_factor_horn_1-6G.csv over 1000-6000 MHz) "
            "but the range_hz of no [[equipment]] item that is an antenna covers it (bilog "
            "antenna 30 MHz - 1 GHz: Schwarzbeck VULB 9168 s/n 9168-811: 30-1000 MHz)",
        )
    ]


def test_without_stated_ranges_the_finding_says_the_range_could_not_be_checked(
    rig: tuple[Record, list[Assigned]],
) -> None:
    record, assigned = rig
    unranged = replace(
        _without_horn(record),
        equipment=tuple(replace(i, range_hz=None) for i in _without_horn(record).equipment),
    )
    findings = _transducer_findings(unranged, assigned)
    assert [kind for kind, _ in findings] == [FindingKind.TRANSDUCER_RANGE_NOT_CHECKED.value] * 4
    assert findings[0][1] == (
        "the setup applies antenna_factor (antenna_factor_horn_1-6G.csv over 1000-6000 MHz, "
        "antenna_factor_bilog_30M-1G.csv over 30-1000 MHz); no [[equipment]] item that is an "
        "antenna states range_hz (bilog antenna 30 MHz - 1 GHz: Schwarzbeck VULB 9168 s/n "
        "9168-811), so whether the listed items cover those ranges could not be checked"
    )


def test_a_rules_range_hz_narrows_the_range_a_transducer_was_applied_over(
    rig: tuple[Record, list[Assigned]],
) -> None:
    _, assigned = rig
    narrowed = [
        replace(a, settings=replace(a.settings, range_hz=(2e9, 3e9)))
        if a.settings.preamp_gain is not None
        else a
        for a in assigned
    ]
    applied = applied_transducers(narrowed)
    assert applied[TransducerKind.PREAMPLIFIER] == (
        AppliedTransducer("preamp_gain_1-6G.csv", (2e9, 3e9)),
    )
