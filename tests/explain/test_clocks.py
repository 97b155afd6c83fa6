"""[[dut.clock]] parsing: values, intervals, harmonic windows, and file:key errors."""

from __future__ import annotations

import pytest

from rfcheck.errors import SetupFileError
from rfcheck.explain import Clock, SpreadMode, parse_clocks
from rfcheck.settings import load_setup


def test_a_clock_with_ppm_tolerance_and_down_spread() -> None:
    (c,) = parse_clocks(
        {"clock": [{"name": "DDR3", "frequency_hz": 400e6, "tolerance_ppm": 50, "spread_hz": 2e6}]}
    )
    assert c == Clock("DDR3", 400e6, tolerance_hz=20e3, spread_hz=2e6)
    assert c.interval_hz == (400e6 - 2e6 - 20e3, 400e6 + 20e3)
    assert c.highest_hz == 400.02e6


def test_center_spread_and_a_tunable_range() -> None:
    a, b = parse_clocks(
        {
            "clock": [
                {"name": "x", "frequency_hz": 100e6, "spread_hz": 1e6, "spread": "center"},
                {"name": "ASIC PLL", "frequency_range_hz": [600e6, 700e6]},
            ]
        }
    )
    assert a.spread is SpreadMode.CENTER and a.interval_hz == (99.5e6, 100.5e6)
    assert b.frequency_hz == 650e6 and b.interval_hz == (600e6, 700e6) and b.highest_hz == 700e6


def test_harmonics_near_uses_tolerance_times_n_plus_resolution() -> None:
    c = Clock("eth", 125e6, tolerance_hz=10e3)
    # 3rd harmonic window: 375 MHz +- (30 kHz + 60 kHz)
    assert c.harmonics_near(375.09e6, 60e3) == (3,)
    assert c.harmonics_near(375.0901e6, 60e3) == ()


def test_harmonic_orders_stop_where_windows_of_a_tunable_source_overlap() -> None:
    pll = Clock("pll", 650e6, range_hz=(600e6, 700e6))
    assert pll.harmonics_near(2.6e9, 0.0) == (4,)
    # n (hi - lo) + 2 r < lo: n < 6; the 6th harmonic window (3.6-4.2 GHz) is not used
    assert pll.harmonics_near(3.9e9, 0.0) == ()


def test_max_harmonic_caps_the_orders() -> None:
    c = Clock("pwm", 25e3, max_harmonic=7)
    assert c.harmonics_near(175e3, 1e3) == (7,)
    assert c.harmonics_near(200e3, 1e3) == ()


def test_no_clock_table_gives_no_clocks() -> None:
    assert parse_clocks({"model": "HC-3"}) == ()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"frequency_hz": 1e6}, "[[dut.clock]] #1 name: expected a non-empty string, got None"),
        (
            {"name": "a"},
            "[[dut.clock]] #1: give exactly one of 'frequency_hz' and 'frequency_range_hz'",
        ),
        (
            {"name": "a", "frequency_hz": -1.0},
            "[[dut.clock]] #1 frequency_hz: must be > 0, got -1.0",
        ),
        (
            {"name": "a", "frequency_hz": "fast"},
            "[[dut.clock]] #1 frequency_hz: expected a finite number, got 'fast'",
        ),
        (
            {"name": "a", "frequency_range_hz": [7e8, 6e8]},
            "[[dut.clock]] #1 frequency_range_hz: expected [low, high] in Hz, 0 < low < high, "
            "got [700000000.0, 600000000.0]",
        ),
        (
            {"name": "a", "frequency_hz": 1e6, "tolerance_hz": 1.0, "tolerance_ppm": 1.0},
            "[[dut.clock]] #1: give 'tolerance_hz' or 'tolerance_ppm', not both",
        ),
        (
            {"name": "a", "frequency_hz": 1e6, "spread": "sideways"},
            "[[dut.clock]] #1 spread: expected one of down, center, up, got 'sideways'",
        ),
        (
            {"name": "a", "frequency_hz": 1e6, "max_harmonic": 0},
            "[[dut.clock]] #1 max_harmonic: expected an integer >= 1, got 0",
        ),
        (
            {"name": "a", "frequency_hz": 1e6, "freq": 2},
            "[[dut.clock]] #1: unknown key(s) ['freq'] "
            "(known: ['frequency_hz', 'frequency_range_hz', "
            "'max_harmonic', 'name', 'spread', 'spread_hz', 'tolerance_hz', 'tolerance_ppm'])",
        ),
    ],
)
def test_bad_entries_name_the_file_and_key(entry: dict[str, object], message: str) -> None:
    with pytest.raises(SetupFileError) as err:
        parse_clocks({"clock": [entry]}, "rig.toml")
    assert str(err.value) == f"rig.toml: {message}"


def test_a_name_declared_twice_is_refused() -> None:
    with pytest.raises(
        SetupFileError, match=r"^rig.toml: \[\[dut.clock\]\] #2 name: 'a' is declared twice$"
    ):
        parse_clocks(
            {"clock": [{"name": "a", "frequency_hz": 1e6}, {"name": "a", "frequency_hz": 2e6}]},
            "rig.toml",
        )


def test_clocks_read_from_a_setup_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "rig.toml"
    f.write_text(
        '[dut]\nmodel = "x"\n[[dut.clock]]\nname = "Ethernet"\nfrequency_hz = 125e6\n'
        "tolerance_ppm = 100\n",
        encoding="utf-8",
    )
    setup = load_setup(f)
    assert parse_clocks(setup.dut, setup.path) == (Clock("Ethernet", 125e6, tolerance_hz=12.5e3),)
