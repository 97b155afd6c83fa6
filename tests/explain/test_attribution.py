"""Attribution of emissions to declared clocks and inferred combs."""

from __future__ import annotations

from rfcheck.explain import INFERRED, Clock, Family, attribute, hz_text
from rfcheck.explain.attribution import INFERRED_SOURCE

RIG = (
    Clock("hash-board crystal", 25e6, tolerance_hz=1.25e3),
    Clock("ASIC PLL", 650e6, range_hz=(600e6, 700e6)),
    Clock("Ethernet", 125e6, tolerance_hz=12.5e3),
    Clock("DDR3", 400e6, tolerance_hz=20e3),
)


def test_375_mhz_is_3_x_125_mhz_before_15_x_25_mhz() -> None:
    (a,) = attribute([375.03e6], RIG, 60e3)
    assert [c.label for c in a.candidates] == [
        "3 × 125 MHz (Ethernet)",
        "15 × 25 MHz (hash-board crystal)",
    ]
    assert a.candidates[0].to_dict() == {
        "source": "Ethernet",
        "harmonic": 3,
        "frequency_hz": 375e6,
        "error_hz": 30e3,
    }


def test_the_pfc_explains_195_khz() -> None:
    clocks = (
        Clock("PFC", 65e3, tolerance_hz=500),
        Clock("LLC", 118e3, tolerance_hz=1e3),
        Clock("fan PWM", 25e3, tolerance_hz=200),
    )
    (a,) = attribute([194.775e3], clocks, 4.975e3)
    assert a.candidates[0].label == "3 × 65 kHz (PFC)"
    assert a.candidates[0].error_hz == -225.0


def test_an_emission_no_source_explains_is_unexplained() -> None:
    (a,) = attribute([98.1e6], RIG, 60e3)
    assert not a.explained and a.to_dict() == {"frequency_hz": 98.1e6, "attribution": []}


def test_the_window_edge_is_inclusive() -> None:
    eth = Clock("Ethernet", 125e6, tolerance_hz=10e3)
    # order 2: 250 MHz +- (2 x 10 kHz + 60 kHz)
    assert attribute([250.08e6], [eth], 60e3)[0].explained
    assert not attribute([250.0801e6], [eth], 60e3)[0].explained


def test_a_tunable_pll_explains_its_range_and_its_harmonic_ranges() -> None:
    pll = RIG[1]
    assert [c.harmonic for c in attribute([640e6], [pll], 60e3)[0].candidates] == [1]
    assert [c.harmonic for c in attribute([1.314e9], [pll], 500e3)[0].candidates] == [2]
    assert attribute([1.5e9], [pll], 500e3)[0].candidates == ()


def test_an_inferred_comb_explains_its_orders() -> None:
    fam = Family(64.98e3, INFERRED, (194.9e3, 259.9e3), (3, 4))
    (a,) = attribute([324.9e3], [], 4.5e3, [fam])
    (c,) = a.candidates
    assert (c.source, c.harmonic) == (INFERRED_SOURCE, 5)
    assert round(c.error_hz, 6) == 0.0


def test_frequencies_are_written_as_people_say_them() -> None:
    assert [hz_text(x) for x in (125e6, 65e3, 1.2e9, 50.0, 194.775e3)] == [
        "125 MHz",
        "65 kHz",
        "1.2 GHz",
        "50 Hz",
        "194.775 kHz",
    ]
