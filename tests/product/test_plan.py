"""The required matrix derived from the setup's [dut]/[plan] and the plan-rules data file."""

from __future__ import annotations

from pathlib import Path

import pytest

from rfcheck.errors import SetupFileError
from rfcheck.product.plan import plan_from_setup, plan_rule_ids, required_cells
from rfcheck.settings import Setup, load_setup

BASE = """\
[dut]
class = "{cls}"
{highest}
[plan]
regulation = "fcc-part15b"
mains_lines = ["L1", "L2"]
polarisations = ["H", "V"]
distance_m = 3
"""


def _setup(
    tmp: Path,
    cls: str = "B",
    highest: str = "highest_internal_frequency_hz = 700e6",
    extra: str = "",
) -> Setup:
    p = tmp / "setup.toml"
    p.write_text(BASE.format(cls=cls, highest=highest) + extra, encoding="utf-8")
    return load_setup(p)


def _cells(tmp: Path, **kw: str) -> list[tuple[str, str, str, float, float]]:
    plan = plan_from_setup(_setup(tmp, **kw))
    return [(c.port, c.limit_id, c.line, c.start_hz, c.stop_hz) for c in required_cells(plan)]


def test_plan_rules_are_shipped() -> None:
    assert "fcc-part15b" in plan_rule_ids()


def test_class_b_matrix_to_the_15_33_upper_frequency(tmp_path: Path) -> None:
    cells = _cells(tmp_path)
    assert cells[:4] == [
        ("L1", "fcc-15.107-b", "QP", 150e3, 30e6),
        ("L1", "fcc-15.107-b", "AV", 150e3, 30e6),
        ("L2", "fcc-15.107-b", "QP", 150e3, 30e6),
        ("L2", "fcc-15.107-b", "AV", 150e3, 30e6),
    ]
    assert cells[4:7] == [
        ("H", "fcc-15.109-b", "QP", 30e6, 1e9),
        ("H", "fcc-15.109-b", "AV", 1e9, 5e9),
        ("H", "fcc-15.109-b", "PK", 1e9, 5e9),
    ]
    assert len(cells) == 10


def test_class_a_uses_the_class_a_tables(tmp_path: Path) -> None:
    assert {c[1] for c in _cells(tmp_path, cls="A")} == {"fcc-15.107-a", "fcc-15.109-a"}


@pytest.mark.parametrize(
    ("highest", "above_1g_stop_hz"),
    [("50e6", None), ("108e6", 2e9), ("300e6", 2e9), ("500e6", 5e9), ("2e9", 10e9), ("20e9", 40e9)],
)
def test_radiated_range_follows_15_33_b_1(
    tmp_path: Path, highest: str, above_1g_stop_hz: float | None
) -> None:
    """Below 108 MHz the scan ends at 1 GHz: no AV/PK cell is required."""
    cells = _cells(tmp_path, highest=f"highest_internal_frequency_hz = {highest}")
    stops = {c[4] for c in cells if c[2] in ("AV", "PK") and c[0] in ("H", "V")}
    assert stops == (set() if above_1g_stop_hz is None else {above_1g_stop_hz})


@pytest.mark.parametrize(
    ("highest", "radiated"),
    [
        ("1e6", []),
        ("1.7e6", []),
        ("1.705e6", [("QP", 30e6, 1e9)]),
        ("50e6", [("QP", 30e6, 1e9)]),
        ("300e6", [("QP", 30e6, 1e9), ("AV", 1e9, 2e9), ("PK", 1e9, 2e9)]),
    ],
)
def test_a_device_below_1_705_mhz_needs_no_radiated_cell(
    tmp_path: Path, highest: str, radiated: list[tuple[str, float, float]]
) -> None:
    """47 CFR 15.33(b)(1): up to 30 MHz, not below 30 MHz where the 15.109 limits start.

    The plan once said "radiated up to 30 MHz" and still required QP 30-1000 MHz.
    """
    cells = _cells(tmp_path, highest=f"highest_internal_frequency_hz = {highest}")
    assert [(c[2], c[3], c[4]) for c in cells if c[0] == "H"] == radiated
    assert [c[0] for c in cells if c[0] in ("L1", "L2")] == ["L1", "L1", "L2", "L2"]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"cls": "C"}, '[dut] class must be "A" or "B", got \'C\''),
        (
            {"highest": ""},
            "[dut] highest_internal_frequency_hz is needed: the plan's range ends at the "
            "47 CFR 15.33(b)(1) upper frequency",
        ),
        (
            {"extra": '[[rule]]\nmatch = "x/*"\nport_regex = "(?P<line>L1)"\n'},
            "[[rule]] #1: port_regex needs a named group (?P<port>...)",
        ),
    ],
)
def test_bad_plans_are_refused(tmp_path: Path, kw: dict[str, str], message: str) -> None:
    with pytest.raises(SetupFileError) as err:
        required_cells(plan_from_setup(_setup(tmp_path, **kw)))
    assert err.value.message == message


def test_a_setup_without_plan_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "setup.toml"
    p.write_text('[dut]\nclass = "B"\n', encoding="utf-8")
    with pytest.raises(SetupFileError, match=r"the setup has no \[plan\] table"):
        plan_from_setup(load_setup(p))


def test_unknown_plan_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SetupFileError, match=r"\[plan\]: unknown key\(s\) \['lines'\]"):
        plan_from_setup(_setup(tmp_path, extra='lines = ["L1"]\n'))
