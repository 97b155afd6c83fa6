"""A plan-rules file is checked on load: FCC Part 15 tables only, no unknown key or long range.

The record rfcheck writes from a plan is an FCC record (47 CFR 2.938(b), the 15.105 and 2.1077
statements, the 15.33(b)(1) range), so a plan citing a CISPR 32 table gave a PASS record with
the 15.105 statement on a reading that fails 15.109(a), a cell running past its
table read PASS with nothing limited above the table's end (#2), and misspelt keys were
ignored (#6). Hand-made files are checked with :func:`parse_plan_rules`; the dossier test
points the loader at a temporary plans folder.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.errors import SetupFileError
from rfcheck.limits import LimitTable
from rfcheck.product import plan_rules
from rfcheck.product.plan_rules import load_plan_rules, parse_plan_rules, plan_rule_ids

HEAD = 'id = "lab"\ntitle = "t"\nsource = "s"\nedition = "e"\nretrieved = "r"\n'
MAINS = """
[[cell]]
port_kind = "mains"
limit = { A = "fcc-15.107-a", B = "fcc-15.107-b" }
lines = ["QP", "AV"]
start_hz = 150e3
stop_hz = 30e6
clause = "15.107"
"""
QP = """
[[cell]]
port_kind = "polarisation"
limit = { A = "fcc-15.109-a", B = "fcc-15.109-b" }
lines = ["QP"]
start_hz = 30e6
stop_hz = 1e9
within_upper = true
clause = "15.109"
"""
AVPK = """
[[cell]]
port_kind = "polarisation"
limit = { A = "fcc-15.109-a", B = "fcc-15.109-b" }
lines = ["AV", "PK"]
start_hz = 1e9
stop_hz = "upper"
clause = "15.35(b)"
"""
#: CISPR 32 Class B plan at 3 m (its radiated cells; the mains cell is MAINS's shape)
CISPR_RAD = """
[[cell]]
port_kind = "polarisation"
limit = { B = "cispr32-b-rad-3m" }
lines = ["QP"]
start_hz = 30e6
stop_hz = 1e9
clause = "CISPR 32 Table A.4"
"""
#: whole CISPR 32 Class B plan at 3 m: its record read PASS, with the 15.105 statement
CISPR_PLAN = (
    MAINS.replace("fcc-15.107-a", "cispr32-a-mains").replace("fcc-15.107-b", "cispr32-b-mains")
    + CISPR_RAD
    + AVPK.replace('A = "fcc-15.109-a", B = "fcc-15.109-b"', 'B = "cispr32-b-rad-above-1g"')
)
NOT_FCC = (
    "is not a 47 CFR Part 15 table (regime 'cispr32'): the record rfcheck writes from a plan "
    "is an FCC record (47 CFR 2.938, 15.105, 2.1077); judge CISPR 32 with rfcheck check, "
    "batch, lot or compare (a CISPR 32 record would need CISPR 32 Table 1 and its own "
    "statements: not implemented)"
)


def _refusal(text: str) -> str:
    with pytest.raises(SetupFileError) as err:
        parse_plan_rules(text.encode(), "plans/lab.toml")
    assert err.value.path == "plans/lab.toml"
    assert "\n" not in str(err.value)
    return err.value.message


@pytest.mark.parametrize("regulation", plan_rule_ids())
def test_every_shipped_plan_passes_the_checks(regulation: str) -> None:
    rules = load_plan_rules(regulation)
    raw = plan_rules.plans_root().joinpath(f"{regulation}.toml").read_bytes()
    assert parse_plan_rules(raw, rules.path) == rules


def test_a_hand_made_fcc_plan_is_accepted() -> None:
    rules = parse_plan_rules((HEAD + MAINS + QP + AVPK).encode(), "plans/lab.toml")
    assert [r.lines for r in rules.rules] == [("QP", "AV"), ("QP",), ("AV", "PK")]


@pytest.mark.parametrize(
    ("cells", "where"),
    [
        (
            MAINS.replace("fcc-15.107-b", "cispr32-b-mains"),
            "[[cell]] #1: limit B = 'cispr32-b-mains' ",
        ),
        (MAINS + CISPR_RAD, "[[cell]] #2: limit B = 'cispr32-b-rad-3m' "),  # "mixed" plan
    ],
)
def test_a_cispr_32_table_in_a_plan_is_refused(cells: str, where: str) -> None:
    assert _refusal(HEAD + cells) == where + NOT_FCC


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEAD + 'editon = "x"\n' + MAINS,
            "plan rules: unknown key(s) ['editon'] (did you mean 'edition'?) "
            "(known: ['cell', 'edition', 'id', 'retrieved', 'source', 'title'])",
        ),
        (
            HEAD + QP.replace("within_upper", "within_uper"),
            "[[cell]] #1: unknown key(s) ['within_uper'] (did you mean 'within_upper'?) "
            "(known: ['clause', 'limit', 'lines', 'port_kind', 'start_hz', 'stop_hz', "
            "'within_upper'])",
        ),
        (
            HEAD + MAINS + QP + "limt = 5\n",
            "[[cell]] #2: unknown key(s) ['limt'] (did you mean 'limit'?) "
            "(known: ['clause', 'limit', 'lines', 'port_kind', 'start_hz', 'stop_hz', "
            "'within_upper'])",
        ),
    ],
)
def test_unknown_keys_are_refused(text: str, message: str) -> None:
    assert _refusal(text) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEAD + MAINS.replace("stop_hz = 30e6", "stop_hz = 50e6"),
            "[[cell]] #1: limit A = 'fcc-15.107-a': the cell's QP range 0.15-50 MHz lies outside "
            "the table's QP line (0.15-30 MHz), which would limit none of the rest",
        ),
        (
            HEAD + MAINS.replace("start_hz = 150e3", "start_hz = 9e3"),
            "[[cell]] #1: limit A = 'fcc-15.107-a': the cell's QP range 0.009-30 MHz lies outside "
            "the table's QP line (0.15-30 MHz), which would limit none of the rest",
        ),
        (
            HEAD + QP.replace("stop_hz = 1e9", "stop_hz = 2e9"),
            "[[cell]] #1: limit A = 'fcc-15.109-a': the cell's QP range 30-2000 MHz lies outside "
            "the table's QP line (30-1000 MHz), which would limit none of the rest",
        ),
        (
            HEAD + QP.replace("stop_hz = 1e9", 'stop_hz = "upper"'),
            "[[cell]] #1: limit A = 'fcc-15.109-a': the cell's QP range 30-40000 MHz "
            '(stop_hz = "upper": up to the 47 CFR 15.33(b)(1) upper frequency, at most 40 GHz) '
            "lies outside the table's QP line (30-1000 MHz), which would limit none of the rest",
        ),
        (
            HEAD + MAINS.replace("stop_hz = 30e6", "stop_hz = 150e3"),
            "[[cell]] #1: stop_hz (0.15 MHz) must lie above start_hz (0.15 MHz)",
        ),
    ],
)
def test_a_cell_reaching_past_its_table_is_refused(text: str, message: str) -> None:
    assert _refusal(text) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEAD + MAINS.replace('A = "fcc-15.107-a"', 'A = "fcc-15.107-b"'),
            "[[cell]] #1: limit A = 'fcc-15.107-b' holds Class B limits, not Class A",
        ),
        (
            HEAD + MAINS.replace('A = "fcc-15.107-a", ', 'C = "fcc-15.107-a", '),
            "[[cell]] #1: limit C = 'fcc-15.107-a': the class must be one of ['A', 'B']",
        ),
        (
            HEAD + MAINS.replace('port_kind = "mains"', 'port_kind = "polarisation"'),
            "[[cell]] #1: limit A = 'fcc-15.107-a' is a conducted table; a polarisation cell "
            "needs a radiated one",
        ),
        (
            HEAD + MAINS.replace('"QP", "AV"', '"QP", "PK"'),
            "[[cell]] #1: limit A = 'fcc-15.107-a' has no PK line (lines: QP, AV)",
        ),
        (
            HEAD + MAINS.replace("fcc-15.107-a", "fcc-15.107-x"),
            "[[cell]] #1: limit A = 'fcc-15.107-x': unknown limit id 'fcc-15.107-x' (known: "
            "cispr32-a-mains, cispr32-a-rad-10m, cispr32-a-rad-3m, cispr32-a-rad-above-1g, "
            "cispr32-b-mains, cispr32-b-rad-10m, cispr32-b-rad-3m, cispr32-b-rad-above-1g, "
            "fcc-15.107-a, fcc-15.107-b, fcc-15.109-a, fcc-15.109-b)",
        ),
        (HEAD + "cell = [1]\n", "[[cell]] #1 must be a table"),
    ],
)
def test_a_cell_whose_table_does_not_fit_it_is_refused(text: str, message: str) -> None:
    assert _refusal(text) == message


def test_two_tables_for_one_kind_of_port_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A port judged against two radiated tables gave ERROR, not INCOMPLETE.

    No two shipped FCC tables share a class and a port; a second one is made for the test.
    """
    from rfcheck.limits import load_shipped as real

    def load(limit_id: str) -> LimitTable:
        if limit_id == "fcc-15.109-b-above-1g":
            return replace(real("fcc-15.109-b"), id=limit_id)
        return real(limit_id)

    monkeypatch.setattr(plan_rules, "load_shipped", load)
    text = HEAD + QP + AVPK.replace('B = "fcc-15.109-b"', 'B = "fcc-15.109-b-above-1g"')
    assert _refusal(text) == (
        "[[cell]] #2: limit B = 'fcc-15.109-b-above-1g', but [[cell]] #1 gives 'fcc-15.109-b': "
        "a polarisation port is judged against one table per class"
    )
    parse_plan_rules((HEAD + QP + AVPK).encode(), "plans/lab.toml")  # the same table twice


def test_bad_toml_is_refused_naming_the_file() -> None:
    assert _refusal(HEAD + "x = [\n").startswith("not a valid plan-rules file: ")


def test_the_dossier_refuses_a_cispr_32_plan_before_judging(
    rig: ModuleType, tmp_path: Path, lab_plans: Path
) -> None:
    """The record read PASS with the 15.105 statement; now exit 3, one line."""
    (lab_plans / "cispr32.toml").write_text(
        HEAD.replace('"lab"', '"cispr32"') + CISPR_PLAN, encoding="utf-8"
    )
    root = rig.write_rig(tmp_path / "in")
    setup = tmp_path / "setup.toml"
    setup.write_text(rig.SETUP.replace('"fcc-part15b"', '"cispr32"'), encoding="utf-8")
    res = CliRunner().invoke(
        main, ["dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out")]
    )
    assert res.exit_code == 3, res.output
    assert res.stderr == (
        "rfcheck: error: rfcheck.limit_tables/plans/cispr32.toml: [[cell]] #1: limit A = "
        f"'cispr32-a-mains' {NOT_FCC}\n"
    )
    assert not (tmp_path / "out").exists()
