"""The text of ``rfcheck explain``: the families' columns stay aligned whatever the clock names."""

from __future__ import annotations

from rfcheck.explain.families import Family
from rfcheck.explain.text import _families


def _fam(source: str, f0_hz: float) -> Family:
    orders = (1, 2, 3, 4)
    return Family(f0_hz, source, tuple(n * f0_hz for n in orders), orders)


def test_a_long_clock_name_widens_the_column_for_every_family() -> None:
    lines = _families([_fam("PCIe reference clock 100 MHz (U12)", 100e6), _fam("xtal", 25e6)])
    starts = {line.index(" f0 ") for line in lines}
    assert len(starts) == 1, lines


def test_a_name_past_the_widest_column_runs_over_and_leaves_the_others_aligned() -> None:
    long = "x" * 80
    lines = _families([_fam(long, 100e6), _fam("a", 25e6), _fam("bb", 50e6)])
    assert lines[0].startswith(f"    {long} f0 ")
    assert lines[1].index(" f0 ") == lines[2].index(" f0 ") == 4 + 24


def test_names_are_shown_with_control_characters_escaped() -> None:
    (line,) = _families([_fam("clk\x1b[31m", 100e6)])
    assert "\x1b" not in line
