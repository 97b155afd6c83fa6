"""The device class of a limit table, and the class a setup states.

Every shipped table states the class its limits are for, the same class the dossier's plan
rules pick it for (47 CFR 15.107(a)/15.109(a) Class B, (b) Class A); a Class B device is never
judged against Class A limits, even through the Python API.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rfcheck.corrections import build_chain, port_conflict
from rfcheck.errors import AnalysisError, LimitFileError
from rfcheck.judged_limits import load_limits
from rfcheck.limits import load_shipped, parse_limit_text, shipped_ids
from rfcheck.limits.device_class import class_conflict, class_note, tables_for_class
from rfcheck.product.plan import load_plan_rules, plan_rule_ids
from rfcheck.settings import CheckSettings, Setup, load_setup
from rfcheck.units import LevelUnit


@pytest.mark.parametrize("limit_id", shipped_ids())
def test_every_shipped_table_states_the_class_its_title_names(limit_id: str) -> None:
    t = load_shipped(limit_id)
    assert t.device_class in ("A", "B")
    assert f"Class {t.device_class}" in t.title


@pytest.mark.parametrize("regulation", plan_rule_ids())
def test_the_plan_rules_pick_each_table_for_its_own_class(regulation: str) -> None:
    for rule in load_plan_rules(regulation).rules:
        for cls, lid in rule.limit_ids.items():
            assert load_shipped(lid).device_class == cls, (regulation, lid)


def test_a_user_table_may_state_a_class_and_only_a_or_b() -> None:
    text = (
        'id = "lab"\ntitle = "t"\nsource = "s"\nedition = "e"\nretrieved = "r"\n'
        'port = "conducted"\nunit = "dBuV"\nstatus = "P"\n{cls}[lines]\nQP = "quasi-peak"\n'
        "[[segment]]\nstart_mhz = 0.15\nstop_mhz = 30\nQP = 60.0\n"
    )
    assert parse_limit_text(text.format(cls=""), "lab.toml").device_class is None
    assert parse_limit_text(text.format(cls='device_class = "B"\n'), "l.toml").device_class == "B"
    with pytest.raises(LimitFileError, match=r"key 'device_class': 'C' is not one of \['A', 'B'\]"):
        parse_limit_text(text.format(cls='device_class = "C"\n'), "lab.toml")


def test_only_a_class_b_device_against_class_a_limits_conflicts() -> None:
    a, b = load_shipped("fcc-15.109-a"), load_shipped("fcc-15.109-b")
    assert class_conflict("B", a, "s.toml [dut] class").startswith(
        's.toml [dut] class = "B", but fcc-15.109-a holds Class A limits'
    )
    assert class_conflict("B", b) == class_conflict("A", a) == class_conflict(None, a) == ""
    assert class_conflict("A", b) == ""
    assert class_note("A", b).startswith("fcc-15.109-b: Class B limits, for a device stated as")
    assert class_note("B", b) == class_note("A", a) == class_note(None, b) == ""


def test_a_table_stating_no_class_says_the_pair_was_not_checked() -> None:
    """A lab's copy of a Class A table without device_class passed a Class B setup."""
    text = (
        'id = "lab-a-copy"\ntitle = "t"\nsource = "s"\nedition = "e"\nretrieved = "r"\n'
        'port = "conducted"\nunit = "dBuV"\nstatus = "P"\n[lines]\nQP = "quasi-peak"\n'
        "[[segment]]\nstart_mhz = 0.15\nstop_mhz = 30\nQP = 79.0\n"
    )
    table = parse_limit_text(text, "lab-a-copy.toml")
    assert class_note("B", table) == (
        "lab-a-copy: the limit file states no device_class, so whether its limits are those "
        "of a Class B device (the setup's class) was not checked; state it in the file "
        '(device_class = "A" or "B")'
    )
    assert class_note(None, table) == ""


@pytest.mark.parametrize(
    ("limit_id", "instead"),
    [
        ("fcc-15.107-a", ["fcc-15.107-b"]),
        ("fcc-15.109-a", ["fcc-15.109-b"]),  # 10 m: the 3 m Class B table, re-expressed
        ("cispr32-a-rad-10m", ["cispr32-b-rad-10m"]),
        ("cispr32-a-rad-3m", ["cispr32-b-rad-3m"]),
        ("cispr32-a-rad-above-1g", ["cispr32-b-rad-above-1g"]),
        ("cispr32-a-mains", ["cispr32-b-mains"]),
    ],
)
def test_the_class_b_table_for_a_class_a_one(limit_id: str, instead: list[str]) -> None:
    shipped = [load_shipped(i) for i in shipped_ids()]
    assert tables_for_class(load_shipped(limit_id), "B", shipped) == instead


def test_the_setup_class_is_dut_else_test(tmp_path: Path) -> None:
    assert Setup(dut={"class": " b"}, test={"class": "A"}).device_class == "B"
    assert Setup(test={"class": "a"}).device_class == "A"
    assert Setup(test={"class": "a"}).device_class_key == "[test] class"
    assert Setup().device_class is None and Setup().device_class_key == ""
    path = tmp_path / "s.toml"
    path.write_text('[test]\nclass = "B"\n[check]\nlimits = ["fcc-15.109-a"]\n')
    assert load_setup(path).check.device_class == "B"


def test_the_api_refuses_a_class_b_device_against_class_a_limits() -> None:
    with pytest.raises(AnalysisError, match="holds Class A limits"):
        load_limits(CheckSettings(limit_ids=("fcc-15.107-a",), device_class="B"))
    assert load_limits(CheckSettings(limit_ids=("fcc-15.107-b",), device_class="B"))


def test_a_lisn_factor_never_corrects_a_field_strength() -> None:
    chain = build_chain(antenna_factor=10.0, lisn=0.5)
    f = np.array([100e6])
    with pytest.raises(AnalysisError, match="radiated limit .* but a LISN factor was given"):
        chain.apply(f, np.array([20.0]), LevelUnit.DBUV, LevelUnit.DBUV_M)
    assert port_conflict(False, True, LevelUnit.DBUV) == ""
    assert port_conflict(True, False, LevelUnit.DBUV_M) == ""
    assert port_conflict(True, False, LevelUnit.DBUV).startswith("conducted limit (dBµV) but an")
