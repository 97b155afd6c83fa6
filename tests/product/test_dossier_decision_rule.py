"""A dossier judged under a decision rule names it wherever it shows a verdict and a margin.

Under ``[check] decision_rule = "cispr16-4-2"`` a cell FAILs at a positive measured margin
when the lab's U_lab exceeds U_cispr: the record shows the rule, the U_lab of the port, the
rule's shift and the effective margin beside the measured one, and the warning ``check``
prints about the U_cispr values (docs/dossier.md, "Decision rule"). ``u_lab_db`` is found
per port label (``L2 = 12.4``), then per kind, then as one number for every port.

The rig's conducted emissions: QP 48 / AV 38 dBµV at 0.5 MHz against 56 / 46 (47 CFR
15.107(a)), a measured margin of +8.00 dB. U_cispr for 150 kHz-30 MHz is 3.4 dB
(``limits/uncertainty/cispr16-4-2.toml``, UNCONFIRMED): U_lab 12.4 dB adds 9.00 dB, an
effective margin of -1.00 dB (FAIL); U_lab 3.4 dB adds nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.outcome import Bound, Verdict
from rfcheck.product.cells import CellState, judge_cells
from rfcheck.product.decision import PortRule
from rfcheck.product.plan import PortKind, RequiredCell
from rfcheck.record.verify import read_manifest
from rfcheck.results import CaptureResult, LineCheck, Suspect
from rfcheck.verdict.decision import DecisionRule, RuleKind

ENTRY = """
[dut.serials]
unit = "S-1"

[entry]
entry_number = "E-1"
port_of_entry = "Los Angeles, CA (2704)"
import_condition = 1
quantity = 240
models = ["Test rig"]
serials = ["S-1..S-240"]
tested_serials = ["S-1"]
"""

PER_PORT = "{ L1 = 3.4, L2 = 12.4, H = 5.2, V = 5.2 }"  # the form of docs/record.md
UNCONFIRMED = (
    "decision rule cispr16-4-2: the U_cispr values are UNCONFIRMED (CISPR 16-4-2 table not "
    "verified); verify before relying on the result"
)


def _dossier(rig: ModuleType, tmp: Path, rule: str | None, u_lab: str | None) -> Result:
    rig.write_rig(tmp / "in")
    extra = f'\n[check]\ndecision_rule = "{rule}"\n' if rule else ""
    extra += f"\n[test]\nu_lab_db = {u_lab}\n" if u_lab else ""
    setup = rig.write_setup(tmp / "setup.toml", extra + ENTRY)
    return CliRunner().invoke(
        main,
        ["dossier", str(tmp / "in"), "--setup", str(setup), "--out", str(tmp / "out"),
         "--jobs", "1", "--format", "json,html,pdf"],
        catch_exceptions=False,
    )  # fmt: skip


def _json(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def _unit(tmp: Path) -> dict[str, Any]:
    unit: dict[str, Any] = _json(tmp / "out" / "unit" / "dossier.json")["units"][0]
    return unit


def _cell(unit: dict[str, Any], port: str, line: str) -> dict[str, Any]:
    return next(c for c in unit["cells"] if (c["port"], c["line"]) == (port, line))


def _text(pdf: Path, pages: slice = slice(None)) -> str:
    reader = PdfReader(str(pdf))
    return " ".join(" ".join(p.extract_text() for p in reader.pages[pages]).split())


@pytest.fixture(scope="module")
def per_port(rig: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    tmp = tmp_path_factory.mktemp("rule")
    return _dossier(rig, tmp, "cispr16-4-2", PER_PORT), tmp


def test_per_port_u_lab_feeds_the_rule_and_the_terminal_names_it(
    per_port: tuple[Result, Path],
) -> None:
    res, _ = per_port
    assert res.exit_code == 1, res.output  # not ERROR: each port label's U_lab is found
    lines = res.output.splitlines()
    assert lines[0] == (
        "unit: FAIL (L2 QP 0.15-30 MHz: +8.00 dB at 0.500965 MHz, effective margin -1.00 dB "
        "under decision rule cispr16-4-2, U_lab 12.4 dB (rule shift +9.00 dB); 1 more FAIL cell)"
    )
    assert lines[1] == (
        "  decision rule: cispr16-4-2; U_lab used per port: L1 3.4 dB, L2 12.4 dB, H 5.2 dB, "
        "V 5.2 dB; U_cispr values UNCONFIRMED (CISPR 16-4-2 table not verified)"
    )


def test_dossier_json_records_the_rule_per_port_and_per_cell(
    per_port: tuple[Result, Path],
) -> None:
    unit = _unit(per_port[1])
    assert unit["decision_rule"]["rules"][0]["text"] == "cispr16-4-2"
    assert [
        (p["port"], p["measurement"], p["u_lab_db"]) for p in unit["decision_rule"]["ports"]
    ] == [
        ("L1", "conducted", 3.4),
        ("L2", "conducted", 12.4),
        ("H", "radiated", 5.2),
        ("V", "radiated", 5.2),
    ]
    assert unit["decision_rule"]["warnings"] == [UNCONFIRMED]
    assert UNCONFIRMED in unit["warnings"]
    l2 = _cell(unit, "L2", "QP")
    assert (l2["verdict"], l2["worst_margin_db"]) == ("FAIL", 8.0)
    rule = ("decision_rule", "u_lab_db", "rule_shift_db", "effective_margin_db")
    assert [l2[k] for k in rule] == ["cispr16-4-2", 12.4, 9.0, -1.0]
    l1 = _cell(unit, "L1", "QP")  # U_lab = U_cispr: nothing added
    assert (l1["verdict"], l1["u_lab_db"], l1["rule_shift_db"], l1["effective_margin_db"]) == (
        "PASS", 3.4, 0.0, 8.0,
    )  # fmt: skip


def test_the_csv_margin_stays_a_number_and_the_basis_gives_the_effective_margin(
    per_port: tuple[Result, Path],
) -> None:
    """The margin column read '+8.00', a line feed and 'eff. -1.00' under a rule."""
    import csv
    import io

    from rfcheck.record import read_attachments

    pdf = per_port[1] / "out" / "unit" / "dossier.pdf"
    text = read_attachments(pdf)["summary.csv"].decode("utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["table"] == "matrix"]
    l2 = next(r for r in rows if (r["Port"], r["Line"]) == ("L2", "QP"))
    assert float(l2["Margin [dB]"]) == 8.0
    assert l2["Basis"].endswith(
        "cispr16-4-2, U_lab 12.4 dB: shift +9.00 dB, effective margin -1.00 dB"
    )


def test_page_1_names_the_rule_its_u_lab_shift_and_effective_margin(
    per_port: tuple[Result, Path],
) -> None:
    page1 = _text(per_port[1] / "out" / "unit" / "dossier.pdf", slice(0, 1))
    assert (
        "L2 QP 0.15-30 MHz (fcc-15.107-b): +8.00 dB at 0.500965 MHz (measured); decision rule "
        "cispr16-4-2, U_lab 12.4 dB: rule shift +9.00 dB, effective margin -1.00 dB"
    ) in page1
    assert "Decision rule cispr16-4-2 (U_lab - U_cispr, when positive, is added" in page1
    assert "U_lab used per port: L1 3.4 dB, L2 12.4 dB, H 5.2 dB, V 5.2 dB" in page1
    assert f"WARNING: {UNCONFIRMED}" in page1


def test_the_matrix_shows_the_effective_margin_beside_the_measured(
    per_port: tuple[Result, Path],
) -> None:
    page = (per_port[1] / "out" / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert "<td>+8.00\neff. -1.00</td>" in page
    assert "measured; cispr16-4-2, U_lab 12.4 dB: shift +9.00 dB" in page
    assert "U_lab used per port: L1 3.4 dB, L2 12.4 dB, H 5.2 dB, V 5.2 dB" in page


def test_the_manifest_records_the_rule_and_u_lab_per_port(per_port: tuple[Result, Path]) -> None:
    settings = read_manifest(per_port[1] / "out" / "unit" / "dossier.pdf").settings
    assert settings["decision_rule"] == {
        "rules": ["cispr16-4-2"],
        "u_lab_db": {"L1": 3.4, "L2": 12.4, "H": 5.2, "V": 5.2},
    }


def test_the_entry_sheet_names_the_rule(per_port: tuple[Result, Path]) -> None:
    out = per_port[1] / "out"
    (unit,) = _json(out / "entry.json")["units"]
    assert unit["decision_rule"] == (
        "cispr16-4-2; U_lab used per port: L1 3.4 dB, L2 12.4 dB, H 5.2 dB, V 5.2 dB; "
        "U_cispr values UNCONFIRMED (CISPR 16-4-2 table not verified)"
    )
    assert unit["decided_by"].startswith(
        "L2 QP 0.15-30 MHz: +8.00 dB at 0.500965 MHz, effective margin -1.00 dB under "
        "decision rule cispr16-4-2, U_lab 12.4 dB (rule shift +9.00 dB)"
    )
    sheet = _text(out / "entry.pdf")
    assert "effective margin -1.00 dB under decision rule cispr16-4-2" in sheet
    assert "U_cispr values UNCONFIRMED" in sheet


def test_u_lab_per_kind_names_the_rule_in_the_record(rig: ModuleType, tmp_path: Path) -> None:
    # judged by the rule, the record showed "FAIL +8.00" and never named it
    res = _dossier(rig, tmp_path, "cispr16-4-2", "{ conducted = 12.4, radiated = 5.2 }")
    assert res.exit_code == 1, res.output
    assert "effective margin -1.00 dB under decision rule cispr16-4-2, U_lab 12.4 dB" in res.output
    unit = _unit(tmp_path)
    for port in ("L1", "L2"):
        cell = _cell(unit, port, "QP")
        assert (cell["verdict"], cell["worst_margin_db"], cell["effective_margin_db"]) == (
            "FAIL", 8.0, -1.0,
        )  # fmt: skip
    page1 = _text(tmp_path / "out" / "unit" / "dossier.pdf", slice(0, 1))
    assert "rule shift +9.00 dB, effective margin -1.00 dB" in page1
    assert "U_lab used per port: L1 12.4 dB, L2 12.4 dB, H 5.2 dB, V 5.2 dB" in page1


def test_a_guard_band_leaves_the_cell_undecided_and_says_why(
    rig: ModuleType, tmp_path: Path
) -> None:
    res = _dossier(rig, tmp_path, "guard-band:9", None)
    assert res.exit_code == 4, res.output
    # the worst effective margin decides: H +7.52 - 9 = -1.48 (L1 +8.00 - 9 = -1.00)
    assert res.output.startswith(
        "unit: INCONCLUSIVE (H QP 30-1000 MHz: +7.52 dB at 99.9542 MHz, effective margin "
        "-1.48 dB under decision rule guard-band:9 (rule shift +9.00 dB); 5 more INCONCLUSIVE"
    )
    unit = _unit(tmp_path)
    l1 = _cell(unit, "L1", "QP")
    assert (l1["verdict"], l1["worst_margin_db"], l1["effective_margin_db"]) == (
        "INCONCLUSIVE", 8.0, -1.0,
    )  # fmt: skip
    assert l1["u_lab_db"] is None
    assert unit["decision_rule"]["warnings"] == []  # no U_cispr used
    page1 = _text(tmp_path / "out" / "unit" / "dossier.pdf", slice(0, 1))
    assert "Decision rule guard-band:9 (ILAC G8 guard band" in page1
    assert "UNCONFIRMED" not in page1


def test_one_u_lab_number_is_every_ports(rig: ModuleType, tmp_path: Path) -> None:
    # README, docs/explain.md: "[test] u_lab_db ... one number or one per port"
    res = _dossier(rig, tmp_path, "cispr16-4-2", "12.4")
    assert res.exit_code == 1, res.output
    unit = _unit(tmp_path)
    assert {p["u_lab_db"] for p in unit["decision_rule"]["ports"]} == {12.4}
    assert _cell(unit, "L1", "QP")["effective_margin_db"] == -1.0
    record = _json(tmp_path / "out" / "unit" / "dossier.json")["record"]
    assert record["test"]["uncertainty"] == [{"port": "", "u_lab_db": 12.4}]
    assert "U_lab per port every port: 12.4 dB" in _text(tmp_path / "out" / "unit" / "dossier.pdf")


def test_the_simple_rule_adds_nothing(rig: ModuleType, tmp_path: Path) -> None:
    res = _dossier(rig, tmp_path, None, PER_PORT)
    assert res.exit_code == 0, res.output
    assert "decision rule" not in res.output
    unit = _unit(tmp_path)
    assert "decision_rule" not in unit
    assert all(not {"decision_rule", "effective_margin_db"} & set(c) for c in unit["cells"])
    assert "decision_rule" not in read_manifest(tmp_path / "out" / "unit" / "dossier.pdf").settings
    assert "decision_rule" not in _json(tmp_path / "out" / "entry.json")["units"][0]
    assert "Decision rule" not in _text(tmp_path / "out" / "unit" / "dossier.pdf", slice(0, 1))


#: A 1-5 GHz average cell judged from a line whose worst point (5.5 GHz) lies outside it.
AV_CELL = RequiredCell("H", PortKind.POLARISATION, "fcc-15.109-b", "AV", 1e9, 5e9, "15.109")


def _suspect(f_hz: float, margin_db: float) -> Suspect:
    limit = 53.98
    return Suspect(
        f_hz, limit - margin_db, "dBuV/m", 0.0, limit - margin_db, "dBuV/m", limit, margin_db,
        "cispr-average", Bound.MEASURED, Verdict.PASS, "fcc-15.109-b", "AV",
    )  # fmt: skip


def _cell_under(rule: PortRule | None) -> tuple[CellState, float | None, float | None]:
    check = LineCheck(
        "fcc-15.109-b", "AV", "cispr-average", Verdict.FAIL, 1.0, 5.5e9, Bound.MEASURED,
        evaluated_hz=((1e9, 6e9),),
    )  # fmt: skip
    pooled = CaptureResult(
        "p", None, None, Verdict.FAIL, checks=(check,),
        suspects=(_suspect(5.5e9, 1.0), _suspect(3e9, 2.0)),
    )  # fmt: skip
    (cell,) = judge_cells([AV_CELL], pooled, [("p", (1e9, 6e9))], rule=rule)
    assert (cell.worst_frequency_hz, cell.worst_margin_db) == (3e9, 2.0)
    return cell.state, cell.rule_shift_db, cell.effective_margin_db


def test_a_cell_inside_a_longer_line_is_judged_by_the_rule_at_its_own_points() -> None:
    # U_cispr 1-6 GHz 5.2 dB: U_lab 10.2 adds 5.00 dB, so +2.00 at 3 GHz is -3.00: FAIL
    cispr = PortRule("H", DecisionRule(RuleKind.CISPR16_4_2), "radiated", 10.2)
    state, shift, effective = _cell_under(cispr)
    assert (state, shift, effective) == (CellState.FAIL, pytest.approx(5.0), pytest.approx(-3.0))
    # a 3 dB guard band: +2.00 lies inside it, neither PASS nor FAIL
    guard = PortRule("H", DecisionRule(RuleKind.GUARD_BAND, 3.0), "radiated")
    assert _cell_under(guard)[0] is CellState.INCONCLUSIVE
    # the simple rule: nothing over the limit inside the cell
    assert _cell_under(None) == (CellState.PASS, None, None)


def test_a_cell_whose_worst_point_is_its_own_is_not_failed_by_the_rule_outside_it() -> None:
    """50.0 at 3 GHz (+3.98) in the 1-5 GHz cell, 52.0 at 5.5 GHz (+1.98) beyond.

    Under cispr16-4-2 with U_lab 8.3 dB (shift 3.1 dB) the line FAILs by the 5.5 GHz reading
    (effective -1.12 dB), but the cell's own point reads +0.88 dB effective: PASS.
    """
    check = LineCheck(
        "fcc-15.109-b",
        "AV",
        "cispr-average",
        Verdict.FAIL,
        3.98,
        3e9,
        Bound.MEASURED,
        evaluated_hz=((1e9, 6e9),),
    )  # fmt: skip  (the line's worst measured point is inside the cell)
    pooled = CaptureResult(
        "p", None, None, Verdict.FAIL, checks=(check,),
        suspects=(_suspect(3e9, 3.98), _suspect(5.5e9, 1.98)),
    )  # fmt: skip
    rule = PortRule("H", DecisionRule(RuleKind.CISPR16_4_2), "radiated", 8.3)
    (cell,) = judge_cells([AV_CELL], pooled, [("p", (1e9, 6e9))], rule=rule)
    assert cell.state is CellState.PASS
    assert (cell.worst_frequency_hz, cell.effective_margin_db) == (3e9, pytest.approx(0.88))
    # a reading inside the cell that the rule fails still fails it
    pooled = CaptureResult(
        "p", None, None, Verdict.FAIL, checks=(check,),
        suspects=(_suspect(3e9, 3.98), _suspect(4e9, 2.5), _suspect(5.5e9, 1.98)),
    )  # fmt: skip
    (cell,) = judge_cells([AV_CELL], pooled, [("p", (1e9, 6e9))], rule=rule)
    assert cell.state is CellState.FAIL


def test_a_port_without_u_lab_is_an_error_naming_what_the_setup_names(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The error row did not say which U_lab was missing."""
    res = _dossier(rig, tmp_path, "cispr16-4-2", "{ L1 = 3.4 }")
    assert res.exit_code == 3, res.output
    assert (
        "decision rule cispr16-4-2 needs U_lab for this conducted capture: [test] u_lab_db "
        "names L1; give this capture's port label, conducted, or one number for every port"
    ) in res.output
    assert "needs U_lab for this radiated capture" in res.output
    unit = _unit(tmp_path)
    assert {c["verdict"] for c in unit["cells"] if c["port"] != "L1"} == {"ERROR"}
