"""The lot on a dossier setup: each port's limits from ``[plan]`` when the rules name none.

A setup written for ``rfcheck dossier`` names its limits in ``[plan]`` only; the lot once
judged every port "no limit given" and ended ERROR, exit 3, with no ``rfcheck: error:`` line,
an empty tolerance and "a port's capture missing or unreadable" though every file was read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from rfcheck.cli import main
from rfcheck.lot.discovery import UnitCapture
from rfcheck.lot.limits import capture_settings
from rfcheck.settings import load_setup

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

PLAN = """\
[dut]
class = "B"
highest_internal_frequency_hz = 700e6

[plan]
regulation = "fcc-part15b"
mains_lines = ["L1", "N"]
polarisations = ["H", "V"]
distance_m = 3

[[rule]]
match = "*_L1.csv"
port_regex = "_(?P<port>L1)[.]csv$"

[[rule]]
match = "*_H.csv"
port_regex = "_(?P<port>H)[.]csv$"

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""


def _lot(folder: Path, setup: Path, *more: str) -> Result:
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup), *more]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _units() -> dict[str, dict[float, float]]:
    return {f"u{i}": {1e6: 38.0 + i * 0.5, 3e6: 36.0 - i * 0.3} for i in range(1, 6)}


def _judged(doc: dict[str, Any]) -> tuple[object, ...]:
    """Return what the lot measured, without its verdicts, settings, command and report id."""
    units = [(u["unit"], u["worst_margin_db"]) for u in doc["units"]]
    stats = [(s["port"], s["line"], s["frequency_hz"], s["value"]) for s in doc["statistics"]]
    return units, stats


def test_the_plan_gives_the_limits_the_rules_do_not(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder = tmp_path / "lot"
    explicit = lot_writer(folder, _units())  # [[rule]] limits = ["fcc-15.107-b"]
    planned = tmp_path / "dossier-setup.toml"
    planned.write_text(PLAN, encoding="ascii")
    by_rule, by_plan = _lot(folder, explicit, "-o", "json"), _lot(folder, planned, "-o", "json")
    assert by_rule.exit_code == 0, by_rule.output
    assert by_plan.exit_code == 5, by_plan.output  # the plan's N, H and V: measured on no unit
    assert "rfcheck: error" not in by_plan.stderr
    doc = json.loads(by_plan.stdout)
    assert _judged(doc) == _judged(json.loads(by_rule.stdout))
    assert {s["verdict"] for s in doc["statistics"]} == {"PASS"}
    assert doc["verdict"] == "INCOMPLETE" and {s["n"] for s in doc["statistics"]} == {5}
    assert doc["not_measured_ports"] == ["N", "H", "V"]
    assert {tuple(c["limit_ids"]) for c in doc["settings"]["captures"]} == {("fcc-15.107-b",)}


def test_a_polarisation_takes_the_plans_limits_and_distance(tmp_path: Path) -> None:
    setup_file = tmp_path / "setup.toml"
    setup_file.write_text(PLAN, encoding="ascii")
    setup = load_setup(setup_file)
    settings = capture_settings(setup.settings_for, setup)
    h = settings(UnitCapture("u1", "H", tmp_path / "u1_H.csv", "u1_H.csv"))
    assert (h.limit_ids, h.distance_m) == (("fcc-15.109-b",), 3.0)
    l1 = settings(UnitCapture("u1", "L1", tmp_path / "u1_L1.csv", "u1_L1.csv"))
    assert (l1.limit_ids, l1.distance_m) == (("fcc-15.107-b",), None)
    given = capture_settings(
        lambda rel: setup.settings_for(rel).override(limit_ids=("fcc-15.107-a",)), setup
    )  # --limit (or the rules' limits) win over the plan
    assert given(UnitCapture("u1", "L1", tmp_path / "u1_L1.csv", "u1_L1.csv")).limit_ids == (
        "fcc-15.107-a",
    )


def test_no_limit_anywhere_is_a_usage_error(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    setup.write_text(setup.read_text("ascii").replace('limits = ["fcc-15.107-b"]\n', ""))
    res = _lot(folder, setup)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr == (
        "rfcheck: error: no limit given for any capture of the lot: use --limit ID (see "
        "'rfcheck limits list'), a [check]/[[rule]] 'limits' entry, or the [plan] of "
        "'rfcheck dossier' in the setup file\n"
    )
    assert _lot(folder, setup, "--limit", "fcc-15.107-b").exit_code == 0


def test_captures_that_could_not_be_used_are_error_lines(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {"u1": {1e6: 40.0}, "u2": {1e6: 41.0}})
    for unit in ("u1", "u2"):
        (folder / f"{unit}_L1.csv").write_text(f"garbage of {unit}\n", encoding="ascii")
    res = _lot(folder, setup)
    assert res.exit_code == 3
    errors = [x for x in res.stderr.splitlines() if x.startswith("rfcheck: error: ")]
    assert [e.split(": ")[2] for e in errors] == [str(folder / f"{u}_L1.csv") for u in ("u1", "u2")]
    assert (
        "margin = limit - level; tolerance - (no port's captures could be read and judged)\n"
        in (res.stdout)
    )
    assert "tolerance  (" not in res.stdout


def _cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_explain_and_compare_take_the_plans_limits_as_the_lot_does(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """``explain`` on a plan-only setup said "no limit given"."""
    folder = tmp_path / "lot"
    explicit = lot_writer(folder, _units())  # [[rule]] limits = ["fcc-15.107-b"]
    planned = folder / "dossier-setup.toml"
    planned.write_text(PLAN, encoding="ascii")
    u1, u2 = folder / "u1_L1.csv", folder / "u2_L1.csv"
    by_rule = _cli("explain", u1, "--setup", explicit, "-o", "json")
    by_plan = _cli("explain", u1, "--setup", planned, "-o", "json")
    assert by_plan.exit_code == by_rule.exit_code == 0, by_plan.output
    assert by_plan.stdout.replace(str(planned), "S") == by_rule.stdout.replace(str(explicit), "S")
    by_rule = _cli("compare", u1, u2, "--setup", explicit, "-o", "json")
    by_plan = _cli("compare", u1, u2, "--setup", planned, "-o", "json")
    assert by_plan.exit_code == by_rule.exit_code == 0, by_plan.output
    a, b = (json.loads(r.stdout) for r in (by_plan, by_rule))
    assert (a["a"], a["b"], a["pairs"]) == (b["a"], b["b"], b["pairs"])


def test_explain_says_why_the_plans_limits_do_not_apply(tmp_path: Path) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text(PLAN, encoding="ascii")
    stray = tmp_path / "u1_N.csv"  # no rule gives it a port
    stray.write_text("Frequency (MHz),QP (dBuV)\n1,40\n2,40\n", encoding="ascii")
    r = _cli("explain", stray, "--setup", setup)
    assert r.exit_code == 2
    assert r.stderr.splitlines()[-1].endswith(
        "(this setup's [plan] limits apply to a file a [[rule]] gives a port (port or "
        "port_regex); none gives this one)"
    )
