"""A fault anywhere in a setup file refuses every command alike: one line, exit code 3.

The setup file is shared by ``check``, ``batch``, ``dossier``, ``lot``, ``compare`` and
``explain``; each reads it whole (``rfcheck.cli._setup_rules.read_setup``), so a misspelt key
is never ignored by one command and refused by another (a ``[batch] group_patern`` once
merged two unfinished rigs into one PASS), and a wrong type is exit 3 in each (README,
"Exit codes", "Input limits").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import rfcheck.analysis
from rfcheck.cli import main

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "check"
CAPTURE = FIX / "cond_peak_pass.csv"

#: A valid dossier setup (plan, unit serials, record tables); each case below breaks one thing.
GOOD = """
[dut]
manufacturer = "Hashcore"
model = "HC-3A"
class = "A"
highest_internal_frequency_hz = 700e6

[dut.serials]
rigA = "S-A"

[plan]
regulation = "fcc-part15b"
mains_lines = ["L1", "L2"]
polarisations = ["H", "V"]
distance_m = 10

[check]
limits = ["fcc-15.107-a"]

[[rule]]
match = "conducted/*"
port_regex = "_(?P<port>L1|L2)_"

[lab]
name = "Lab"

[[equipment]]
type = "EMI test receiver"
model = "N9038A"
cal_due = 2026-04-02

[batch]
include = ["**/*.csv"]
group_pattern = "^(?P<unit>rig[A-Z])_"
"""

CASES = {
    "batch key typo": (
        ("group_pattern =", "group_patern ="),
        "[batch]: unknown key(s) ['group_patern'] (did you mean 'group_pattern'?) "
        "(known: ['exclude', 'group_pattern', 'include'])",
    ),
    "batch include typo": (
        ("include =", "inclde ="),
        "[batch]: unknown key(s) ['inclde'] (did you mean 'include'?) "
        "(known: ['exclude', 'group_pattern', 'include'])",
    ),
    "dut key typo": (
        ('model = "HC-3A"', 'modle = "HC-3A"'),
        "[dut]: unknown key(s) ['modle'] (did you mean 'model'?) (known: ['class', 'clock', "
        "'description', 'highest_internal_frequency_hz', 'manufacturer', 'model', 'power', "
        "'serial', 'serials', 'trade_name'])",
    ),
    "dut power unknown": (
        ('class = "A"', 'class = "A"\npower = "batteries"'),
        '[dut] power must be "mains" or "battery", got \'batteries\' (a string)',
    ),
    # a plan measuring one line of the mains supply, or one polarisation, read PASS, complete
    "plan with one mains line": (
        ('mains_lines = ["L1", "L2"]', 'mains_lines = ["L1"]'),
        "[plan] mains_lines names 1 (L1): 47 CFR 15.107 measures the RF voltage between each "
        "power line and ground, so name every current-carrying line of the mains supply, at "
        "least two (L1 and N; L1 and L2 on a 240 V split-phase supply); a device powered only "
        "by batteries, with no provision for operating from the AC power lines, states [dut] "
        'power = "battery" instead (47 CFR 15.107(d))',
    ),
    "plan with no mains line": (
        ('mains_lines = ["L1", "L2"]', "mains_lines = []"),
        "[plan] mains_lines names none: 47 CFR 15.107 measures",
    ),
    "plan with one polarisation": (
        ('polarisations = ["H", "V"]', 'polarisations = ["V"]'),
        "[plan] polarisations names 1 (V): radiated emissions are measured with the antenna in "
        "both horizontal and vertical polarisation (ANSI C63.4, the procedure of 47 CFR "
        '15.31(a)(4)): name both, e.g. ["H", "V"]',
    ),
    "battery device naming mains lines": (
        ('class = "A"', 'class = "A"\npower = "battery"'),
        '[plan] mains_lines names 2 (L1, L2), but [dut] power = "battery" states a device with '
        "no provision for operating from the AC power lines (47 CFR 15.107(d))",
    ),
    "dut serials not strings": (
        ('rigA = "S-A"', "rigA = 17"),
        "[dut.serials] rigA: expected a string, got 17 (an integer)",
    ),
    "bad TOML": (("[plan]", "[plan"), "not a valid TOML setup file"),
    "rule wrong type": (
        ('match = "conducted/*"', 'match = "conducted/*"\ndistance_m = true'),
        "[[rule]] #1 distance_m: expected a number, got true (a boolean)",
    ),
    "equipment wrong type": (
        ("cal_due = 2026-04-02", 'cal_due = "soon"'),
        "[[equipment]] #1 cal_due: expected a date (YYYY-MM-DD), got 'soon'",
    ),
    "unknown limit id": (
        ('limits = ["fcc-15.107-a"]', 'limits = ["no-such-limit"]'),
        "[check] limits: unknown limit id 'no-such-limit' (known: cispr32-a-mains, ",
    ),
    "unknown limit id in a rule": (
        ('match = "conducted/*"', 'match = "conducted/*"\nlimits = "fcc-15.107-c"'),
        "[[rule]] #1 limits: unknown limit id 'fcc-15.107-c' (known: cispr32-a-mains, ",
    ),
    "plan key typo": (
        ("distance_m = 10", "distance_m = 10\nmains_line = 3"),
        "[plan]: unknown key(s) ['mains_line'] (did you mean 'mains_lines'?) "
        "(known: ['distance_bands', 'distance_m', 'mains_lines', 'polarisations', 'regulation'])",
    ),
    "key typo in letter case": (
        ('limits = ["fcc-15.107-a"]', 'limits = ["fcc-15.107-a"]\nLISN = "lisn.csv"'),
        "[check]: unknown key(s) ['LISN'] (did you mean 'lisn'?) (known: ['antenna_factor', ",
    ),
    "table typo": (
        ("[[equipment]]", "[[equipments]]"),
        "unknown table(s) ['equipments'] (did you mean 'equipment'?) (known: ['batch', ",
    ),
    # the parser's RecursionError was "internal error" naming no file
    "arrays nested 5000 deep": (
        ('name = "Lab"', 'name = "Lab"\nx = ' + "[" * 5000 + "1" + "]" * 5000),
        "not a valid TOML setup file: nested more than 100 levels deep",
    ),
    "inline tables nested 3000 deep": (
        ('name = "Lab"', 'name = "Lab"\nx = ' + "{y = " * 3000 + "1" + "}" * 3000),
        "not a valid TOML setup file: nested more than 100 levels deep",
    ),
}


@pytest.fixture
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any analysis fails the test: the setup must be refused before it."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a capture was judged before the setup was refused")

    monkeypatch.setattr(rfcheck.analysis, "run_check", refuse)


def _commands(tmp: Path, setup: Path) -> dict[str, list[str]]:
    folder = tmp / "in"
    (folder / "conducted").mkdir(parents=True, exist_ok=True)
    (folder / "conducted" / "rigA_L1_scan.csv").write_bytes(CAPTURE.read_bytes())
    s = ["--setup", str(setup)]
    return {
        "check": ["check", str(CAPTURE), *s],
        "batch": ["batch", str(folder), "--out", str(tmp / "b"), *s],
        "dossier": ["dossier", str(folder), "--out", str(tmp / "d"), *s],
        "dossier --dry-run": ["dossier", str(folder), "--dry-run", *s],
        "lot": ["lot", str(folder), "--golden", "rigA", *s],
        "compare": ["compare", str(CAPTURE), str(CAPTURE), *s],
        "explain": ["explain", str(CAPTURE), *s],
    }


def _run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_the_good_setup_is_accepted(tmp_path: Path) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text(GOOD, encoding="utf-8")
    res = _run(_commands(tmp_path, setup)["dossier --dry-run"])
    assert res.stderr == "", res.stderr
    assert "L1   fcc-15.107-a QP 0.15-30 MHz: conducted/rigA_L1_scan.csv" in res.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_setup_fault_is_one_line_and_exit_3_in_every_command(
    tmp_path: Path, no_analysis: None, case: str
) -> None:
    (old, new), message = CASES[case]
    assert old in GOOD
    setup = tmp_path / "setup.toml"
    setup.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    for command, args in _commands(tmp_path, setup).items():
        res = _run(args)
        assert res.exit_code == 3, (command, res.output)
        assert res.stdout == "", command
        (line,) = res.stderr.splitlines()
        assert line.startswith(f"rfcheck: error: {setup}: "), (command, line)
        assert message in line, (command, line)
    assert not (tmp_path / "b").exists() and not (tmp_path / "d").exists()


def test_a_dossier_without_the_highest_frequency_names_the_setup(tmp_path: Path) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text(GOOD.replace("highest_internal_frequency_hz = 700e6", ""), encoding="utf-8")
    res = _run(_commands(tmp_path, setup)["dossier --dry-run"])
    assert res.exit_code == 3
    assert res.stderr == (
        f"rfcheck: error: {setup}: [dut] highest_internal_frequency_hz is needed: the plan's "
        "range ends at the 47 CFR 15.33(b)(1) upper frequency\n"
    )
