"""The one home of frequency parsing and formatting (rfcheck.frequency)."""

from __future__ import annotations

import pytest

from rfcheck.capture import TraceMode, parse_trace_mode
from rfcheck.frequency import (
    format_hz,
    format_mhz,
    format_mhz_fixed,
    format_mhz_range,
    format_mhz_ranges,
    freq_unit_scale,
    mhz_number,
    parse_frequency,
    range_hz_of,
)


@pytest.mark.parametrize(
    ("text", "hz"),
    [
        ("150k", 150e3),
        ("150kHz", 150e3),
        ("1.5M", 1.5e6),
        ("30MHz", 30e6),
        ("1G", 1e9),
        ("1 GHz", 1e9),
        ("2.5e6", 2.5e6),
        ("1.3927341M", 1392734.1),
        ("0", 0.0),
    ],
)
def test_parse_frequency_round_numbers(text: str, hz: float) -> None:
    assert parse_frequency(text) == hz


@pytest.mark.parametrize("text", ["1m", "-5M", "abc", "1T", "", "1e400"])
def test_parse_frequency_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_frequency(text)


def test_milli_is_refused_with_a_hint() -> None:
    with pytest.raises(ValueError, match="use M for MHz"):
        parse_frequency("30m")


@pytest.mark.parametrize(
    ("unit", "scale"),
    [
        ("Hz", 1.0),
        ("kHz", 1e3),
        ("KHZ", 1e3),
        ("MHz", 1e6),
        (" mhz ", 1e6),
        ("GHz", 1e9),
        ("dBm", None),
    ],
)
def test_freq_unit_scale(unit: str, scale: float | None) -> None:
    assert freq_unit_scale(unit) == scale


@pytest.mark.parametrize(
    ("hz", "text"),
    [
        (0.0, "0 Hz"),
        (999.0, "999 Hz"),
        (1e3, "1 kHz"),
        (9e3, "9 kHz"),
        (150e3, "150 kHz"),
        (999_999.0, "999.999 kHz"),
        (1e6, "1 MHz"),
        (30e6, "30 MHz"),
        (999.5e6, "999.5 MHz"),
        (1e9, "1 GHz"),
        (5.9546e9, "5.9546 GHz"),
        (None, "-"),
    ],
)
def test_format_hz_round_numbers(hz: float | None, text: str) -> None:
    assert format_hz(hz) == text


def test_format_hz_digits() -> None:
    assert format_hz(1392734.1) == "1.39273 MHz"
    assert format_hz(1392734.1, digits=10) == "1.3927341 MHz"


def test_mhz_texts() -> None:
    assert mhz_number(150e3) == "0.15"
    assert format_mhz(30e6) == "30 MHz"
    assert format_mhz(None) == "-"
    assert format_mhz_range(30e6, 1e9) == "30-1000 MHz"
    assert format_mhz_range(30e6, 1e9, sep="..") == "30..1000 MHz"
    assert format_mhz_ranges([(0.15e6, 0.5e6), (5e6, 30e6)]) == "0.15-0.5 MHz, 5-30 MHz"
    assert format_mhz_ranges([]) == ""


def test_a_frequency_is_not_printed_as_an_edge_it_is_not_on() -> None:
    """Six digits print 30.000001 MHz as "30": beside a limit's 30 MHz end it reads as on it."""
    assert mhz_number(30_000_001.0) == "30"  # alone, as before
    assert mhz_number(30_000_001.0, apart=[150e3, 30e6]) == "30.000001"
    assert format_mhz(30e6, apart=[30e6]) == "30 MHz"  # on the edge: the edge
    assert format_mhz(1e9 + 0.25, apart=[1e9]) == "1000.0000002 MHz"  # twelve digits at most
    assert format_mhz_range(150e3, 29_999_999.0, apart=(150e3, 30e6)) == "0.15-29.999999 MHz"
    assert format_mhz_range(375_320_100.0, 375_320_500.0) == "375.3201-375.3205 MHz"
    assert format_mhz_range(30e6, 1e9, apart=[30e6, 1e9]) == "30-1000 MHz"


def test_mhz_ranges_without_the_unit_are_bare_numbers_capped_alike() -> None:
    """A column or sentence that states MHz once (the dossier's cells) names bare ranges."""
    assert format_mhz_range(30e6, 1e9, unit=False) == "30-1000"
    ranges = [(1e9 + k * 1e8, 1e9 + k * 1e8 + 5e7) for k in range(8)]
    assert format_mhz_ranges(ranges[:2], unit=False) == "1000-1050, 1100-1150"
    assert format_mhz_ranges(ranges, most=6, unit=False).endswith(", 1500-1550 (+2 more)")
    assert format_mhz_ranges(ranges, most=6) == format_mhz_ranges(ranges, 6, unit=True)


@pytest.mark.parametrize(
    ("hz", "text"),
    [
        (150e3, "0.1500"),
        (9.9999e6, "9.9999"),
        (10e6, "10.000"),
        (45.12e6, "45.120"),
        (999.999e6, "999.999"),
        (1e9, "1000.00"),
        (1234.56e6, "1234.56"),
        (None, "\u2013"),
        (float("nan"), "\u2013"),
    ],
)
def test_format_mhz_fixed_on_each_precision_step(hz: float | None, text: str) -> None:
    assert format_mhz_fixed(hz) == text


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Clear Write", TraceMode.CLEAR_WRITE),
        ("CLR/WRITE", TraceMode.CLEAR_WRITE),
        ("CLRW", TraceMode.CLEAR_WRITE),
        ("WRIT", TraceMode.CLEAR_WRITE),
        ("MAXHOLD", TraceMode.MAX_HOLD),
        ("Max Hold", TraceMode.MAX_HOLD),
        ("max-hold", TraceMode.MAX_HOLD),
        ("Min Hold", TraceMode.MIN_HOLD),
        ("Trace Average", TraceMode.AVERAGE),
        ("AVG", TraceMode.AVERAGE),
        ("VIEW", TraceMode.VIEW),
        ("Freeze", None),  # a Rigol word: the Rigol reader maps it, the common table does not
        ("", None),
    ],
)
def test_parse_trace_mode(text: str, mode: TraceMode | None) -> None:
    assert parse_trace_mode(text) is mode


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([150e3, 30e6], (150e3, 30e6)),
        ([0, 1], (0.0, 1.0)),
        ([1e9, 30e6], None),  # not increasing
        ([1.0, 1.0], None),
        ([-1.0, 5.0], None),
        ([True, 5.0], None),  # a boolean is no frequency
        ([1.0, float("inf")], None),
        ([1.0], None),
        ("1-2", None),
    ],
)
def test_range_hz_of_reads_a_setup_frequency_range(value: object, expected: object) -> None:
    """One reader for every ``range_hz`` of the setup (a rule's, an equipment item's)."""
    assert range_hz_of(value) == expected
