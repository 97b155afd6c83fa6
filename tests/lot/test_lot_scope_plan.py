"""A port the setup's ``[plan]`` requires that no unit of the lot measured: INCOMPLETE.

Five units with conducted L1 and N captures only, against a plan naming H and V too (radiated
required), read ``Verdict: PASS``, exit 0, with a ``lot.json`` and a unit table of PASS: only
page 1 of the PDF and HTML said H and V were never measured. Such a port is missing data on
every unit, as a port of the lot is on a unit without its capture: each unit and the lot are
INCOMPLETE (exit 5) unless a worse verdict holds, and the text report, ``lot.json``
(``scope``, ``not_measured_ports``) and the unit CSV carry the scope sentence of page 1.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from rfcheck.cli import main

from .conftest import CONDUCTED, write_csv

#: Radiated grid: 30 - 1000 MHz, 100 kHz steps, 120 kHz RBW. [Hz]
RADIATED = (30e6, 1000e6, 100e3, 120e3)

SETUP = """\
[dut]
model = "BF-1"
class = "B"
{dut}

[plan]
regulation = "fcc-part15b"
{ports}
distance_m = 3

[[rule]]
match = "*"
port_regex = "_(?P<port>L1|N|H|V)[.]csv$"

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""

MAINS_AND_RADIATED = 'mains_lines = ["L1", "N"]\npolarisations = ["H", "V"]'

#: The scope sentence: page 1's, the text report's note and lot.json's ``scope``.
SCOPE = (
    "Scope: the units were measured on L1, N only; of the setup's [plan] ports (L1, N, H, V), "
    "not measured on any unit: H, V (missing data, INCOMPLETE). The lot is INCOMPLETE until "
    "they are measured."
)
#: Its [plan] clause, each unit's flag.
UNIT_FLAG = (
    "lot scope: of the setup's [plan] ports (L1, N, H, V), not measured on any unit: H, V "
    "(missing data, INCOMPLETE)"
)


def _write_lot(
    folder: Path,
    ports: Iterable[str],
    *,
    plan: str = MAINS_AND_RADIATED,
    dut: str = "highest_internal_frequency_hz = 50e6",
    over: str = "",
) -> Path:
    """Write five units' captures of ``ports`` and the setup; return the setup path.

    Conducted: AV 35-37 dBµV at 1.005 MHz (QP +10, PK +12) under the 46 dBµV AV line;
    radiated: QP 30-32 dBµV/m at 300 MHz (PK +3) under the 46 dBµV/m line at 3 m. Unit
    ``over``'s L1 AV is 50 dBµV, over the line.
    """
    for i in range(1, 6):
        unit = f"u{i}"
        for n, port in enumerate(ports):
            level = 35.0 + 0.4 * i + 0.1 * n  # no two captures alike
            if port in ("L1", "N"):
                av = 50.0 if (unit, port) == (over, "L1") else level
                columns = {
                    "Peak": {1.005e6: av + 12.0},
                    "QP": {1.005e6: av + 10.0},
                    "CAVG": {1.005e6: av},
                }
                write_csv(folder / f"{unit}_{port}.csv", columns, grid=CONDUCTED)
            else:
                columns = {"Peak": {300e6: level - 2.0}, "QP": {300e6: level - 5.0}}
                write_csv(folder / f"{unit}_{port}.csv", columns, grid=RADIATED, unit="dBuV/m")
    setup = folder / "setup.toml"
    setup.write_text(SETUP.format(dut=dut, ports=plan), encoding="ascii")
    return setup


def _lot(folder: Path, setup: Path, out: Path, formats: str = "json,csv") -> Result:
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup)]
    return CliRunner().invoke(
        main, [*args, "--report", formats, "--out", str(out)], catch_exceptions=False
    )


def _json(out: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    return doc


def _units_csv(out: Path) -> list[dict[str, str]]:
    with (out / "lot_units.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_a_plan_port_no_unit_measured_makes_the_lot_incomplete(tmp_path: Path) -> None:
    folder, out = tmp_path / "lot", tmp_path / "out"
    setup = _write_lot(folder, ["L1", "N"], dut="highest_internal_frequency_hz = 700e6")
    res = _lot(folder, setup, out, "json,csv,html")
    assert res.exit_code == 5, res.output
    assert f"Note: {SCOPE}\n" in res.stdout
    assert res.stdout.endswith(
        "Verdict: INCOMPLETE (exit 5): "
        + " | ".join(f"u{i}: no capture of H, V" for i in range(1, 6))
        + "\n"
    )
    assert res.stdout.count(f"      - {UNIT_FLAG}\n") == 5
    doc = _json(out)
    assert doc["verdict"] == "INCOMPLETE"
    assert (doc["scope"], doc["plan_ports"], doc["not_measured_ports"]) == (
        SCOPE,
        ["L1", "N", "H", "V"],
        ["H", "V"],
    )
    assert SCOPE in doc["notes"]
    assert {s["verdict"] for s in doc["statistics"]} == {"PASS"}  # what was measured passes
    assert [(u["verdict"], u["missing_ports"]) for u in doc["units"]] == [
        ("INCOMPLETE", ["H", "V"])
    ] * 5
    rows = _units_csv(out)
    assert [(r["unit"], r["verdict"], r["flags"]) for r in rows] == [
        (f"u{i}", "INCOMPLETE", UNIT_FLAG) for i in range(1, 6)
    ]
    # each CSV row carries the scope: a statistics row of PASS read alone is no lot's PASS
    assert {r["scope"] for r in rows} == {SCOPE}
    with (out / "lot_statistics.csv").open(encoding="utf-8", newline="") as f:
        stats = list(csv.DictReader(f))
    assert stats and {(r["verdict"], r["scope"]) for r in stats} == {("PASS", SCOPE)}
    page = html.unescape((out / "lot.html").read_text(encoding="utf-8")).split("<figure>")[0]
    assert SCOPE in " ".join(page.split())


def test_a_worse_verdict_holds_over_the_ports_not_measured(tmp_path: Path) -> None:
    folder, out = tmp_path / "lot", tmp_path / "out"
    setup = _write_lot(folder, ["L1", "N"], over="u3")
    res = _lot(folder, setup, out)
    assert res.exit_code == 1, res.output
    doc = _json(out)
    assert (doc["verdict"], doc["scope"], doc["not_measured_ports"]) == ("FAIL", SCOPE, ["H", "V"])
    assert [u["verdict"] for u in doc["units"]] == [
        "INCOMPLETE",
        "INCOMPLETE",
        "FAIL",
        "INCOMPLETE",
        "INCOMPLETE",
    ]


def test_a_lot_measured_on_every_plan_port_passes_as_before(tmp_path: Path) -> None:
    folder, out = tmp_path / "lot", tmp_path / "out"
    setup = _write_lot(folder, ["L1", "N", "H", "V"])
    res = _lot(folder, setup, out)
    assert res.exit_code == 0, res.output
    assert res.stdout.endswith("Verdict: PASS (exit 0)\n")
    assert "Note: Scope" not in res.stdout
    doc = _json(out)
    assert (doc["verdict"], doc["not_measured_ports"]) == ("PASS", [])
    assert doc["scope"] == (
        "Scope: the units were measured on H, L1, N, V only; of the setup's [plan] ports "
        "(L1, N, H, V), not measured on any unit: none."
    )
    assert {r["verdict"] for r in _units_csv(out)} == {"PASS"}
    assert all("[plan]" not in r["flags"] for r in _units_csv(out))


def test_a_battery_device_needs_no_mains_line(tmp_path: Path) -> None:
    """``[dut] power = "battery"``: no conducted measurement (47 CFR 15.107(d)), no mains line."""
    folder, out = tmp_path / "lot", tmp_path / "out"
    setup = _write_lot(
        folder,
        ["H", "V"],
        plan='polarisations = ["H", "V"]',
        dut='power = "battery"\nhighest_internal_frequency_hz = 50e6',
    )
    res = _lot(folder, setup, out)
    assert res.exit_code == 0, res.output
    doc = _json(out)
    assert (doc["verdict"], doc["plan_ports"], doc["not_measured_ports"]) == (
        "PASS",
        ["H", "V"],
        [],
    )
    assert doc["scope"] == (
        "Scope: the units were measured on H, V only; of the setup's [plan] ports (H, V), not "
        "measured on any unit: none."
    )


def test_a_plan_port_the_rules_do_not_require_is_named_not_missing(tmp_path: Path) -> None:
    """Below 1.705 MHz the rules require no radiated cell: H and V are named, not INCOMPLETE."""
    folder, out = tmp_path / "lot", tmp_path / "out"
    setup = _write_lot(folder, ["L1", "N"], dut="highest_internal_frequency_hz = 1e6")
    res = _lot(folder, setup, out)
    assert res.exit_code == 0, res.output
    doc = _json(out)
    assert (doc["verdict"], doc["not_measured_ports"]) == ("PASS", [])
    scope = (
        "Scope: the units were measured on L1, N only; of the setup's [plan] ports (L1, N, H, "
        "V), not measured on any unit: H, V. The lot verdict says nothing about them."
    )
    assert doc["scope"] == scope
    assert f"Note: {scope}\n" in res.stdout
