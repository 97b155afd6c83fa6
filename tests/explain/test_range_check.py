"""47 CFR 15.33(b)(1) consistency: sources above the declared highest internal frequency."""

from __future__ import annotations

import pytest

from rfcheck.explain import INFERRED, Clock, Family, check_highest_frequency


def test_a_clock_above_the_declared_highest_frequency_warns_with_the_range_it_requires() -> None:
    (w,) = check_highest_frequency(100e6, [Clock("Ethernet", 125e6), Clock("crystal", 25e6)])
    assert (w.source, w.frequency_hz, w.declared_upper_hz, w.required_upper_hz) == (
        "Ethernet",
        125e6,
        1e9,
        2e9,
    )
    assert w.message == (
        "Ethernet at 125 MHz is above the declared highest internal frequency 100 MHz: "
        "47 CFR 15.33(b)(1) would require the radiated range up to 2 GHz, not 1 GHz"
    )


@pytest.mark.parametrize(
    ("clock_hz", "required_hz"),
    [(108e6, 2e9), (500e6, 5e9), (999e6, 5e9), (1.2e9, 6e9), (9e9, 40e9)],
)
def test_the_required_range_follows_the_15_33_table(clock_hz: float, required_hz: float) -> None:
    (w,) = check_highest_frequency(50e6, [Clock("c", clock_hz)])
    assert w.required_upper_hz == required_hz and w.extends_range


def test_a_clock_at_the_declared_frequency_does_not_warn() -> None:
    assert check_highest_frequency(700e6, [Clock("ASIC PLL", 650e6, range_hz=(600e6, 700e6))]) == ()


def test_a_tolerance_over_the_declared_frequency_warns_but_keeps_the_range() -> None:
    (w,) = check_highest_frequency(700e6, [Clock("PLL", 700e6, tolerance_hz=35e3)])
    assert not w.extends_range
    assert w.message.endswith("the 47 CFR 15.33(b)(1) range stays 5 GHz")


def test_an_inferred_comb_fundamental_counts() -> None:
    fam = Family(1.25e9, INFERRED, (1.25e9, 2.5e9, 3.75e9, 5e9), (1, 2, 3, 4))
    (w,) = check_highest_frequency(700e6, [], [fam])
    assert (w.source, w.required_upper_hz, w.declared_upper_hz) == ("inferred comb", 6.25e9, 5e9)
    # a declared clock's family is its clock, not a second warning
    assert check_highest_frequency(700e6, [], [Family(1.25e9, "x", (), ())]) == ()


def test_no_declared_frequency_no_check() -> None:
    assert check_highest_frequency(None, [Clock("c", 1e9)]) == ()
