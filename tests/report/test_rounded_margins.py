"""A margin is rounded for output without crossing the limit (``docs/verdict.md``).

A level a hair over the limit (40.00000004 dBµV/m against 40 dBµV/m) was a FAIL printed with
margin ``-0.00`` and given as ``-0.0`` in JSON and CSV, which a consumer testing
``margin_db >= 0`` read as a PASS. It is now ``-0.01`` everywhere.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.outcome import round_margin
from rfcheck.report.margin_text import fmt_margin


@pytest.mark.parametrize(
    ("margin_db", "expected"),
    [
        (-4e-8, -0.01),
        (-0.004, -0.01),
        (-0.005, -0.01),
        (-0.0051, -0.01),
        (-0.015, -0.01),  # nearest (binary -0.01499...), not pushed further from zero
        (-3.234, -3.23),
        (-3.236, -3.24),
        (0.0, 0.0),
        (-0.0, 0.0),
        (0.004, 0.0),
        (2.345, 2.35),
    ],
)
def test_round_margin_keeps_the_side_of_the_limit(margin_db: float, expected: float) -> None:
    got = round_margin(margin_db)
    assert got == expected
    assert math.copysign(1.0, got) == math.copysign(1.0, expected)  # never -0.0
    assert (got < 0) == (margin_db < 0)


@pytest.mark.parametrize("margin_db", [-1e-12, -5e-10, -1e-9])
def test_float_noise_under_the_limit_rounds_as_the_judgement_counts_it(margin_db: float) -> None:
    """A margin within the judgement's tolerance (EPS_DB) is at the limit: PASS, 0.00.

    It printed -0.01 beside a PASS: the judgement counts a margin above -1e-9 dB as not
    over the limit (float noise of the corrections' sums).
    """
    from rfcheck.verdict.suspects import EPS_DB

    assert margin_db >= -EPS_DB
    got = round_margin(margin_db)
    assert got == 0.0 and math.copysign(1.0, got) == 1.0
    assert round_margin(-2e-9) == -0.01  # past the tolerance: over the limit


def test_round_margin_to_one_decimal_and_non_finite() -> None:
    assert round_margin(-0.04, 1) == -0.1
    assert round_margin(-0.06, 1) == -0.1
    assert round_margin(0.04, 1) == 0.0
    assert math.isnan(round_margin(math.nan))
    assert round_margin(-math.inf) == -math.inf


def test_fmt_margin_never_prints_a_negative_margin_as_zero() -> None:
    assert fmt_margin(-4e-8) == "-0.01"
    assert fmt_margin(-0.0) == "+0.00"
    assert fmt_margin(-4e-8, "upper bound") == "\u2265 -0.01"


@pytest.fixture
def edge_capture(tmp_path: Path) -> Path:
    """QP at -120 dBm from 30 to 88 MHz but -81.9897 dBm at 50 MHz.

    With a 15 dB/m antenna factor the 50 MHz level is -81.9897 + 106.98970004 + 15 =
    40.00000004 dBµV/m against the 40 dBµV/m of 47 CFR 15.109(a) Class B: a FAIL by 4e-8 dB.
    """
    rows = [f"{30 + 0.06 * i:.2f},-120.0" for i in range(967)] + ["88.0,-120.0"]
    rows[int(round((50 - 30) / 0.06))] = "50.0,-81.9897"
    p = tmp_path / "edge.csv"
    p.write_text(
        "# rbw_hz: 120000\nFrequency (MHz),QP (dBm)\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return p


ARGS = ["--limit", "fcc-15.109-b", "--antenna-factor", "15", "--range", "30M-88M"]


def test_check_outputs_give_a_hair_over_the_limit_a_negative_margin(edge_capture: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["check", str(edge_capture), *ARGS])
    assert text.exit_code == 1, text.output
    assert "-0.00" not in text.stdout
    fail_line = next(ln for ln in text.stdout.splitlines() if "quasi-peak     FAIL" in ln)
    assert "-0.01 dB      50 MHz" in fail_line
    doc = json.loads(runner.invoke(main, ["check", str(edge_capture), *ARGS, "-o", "json"]).stdout)
    check = doc["captures"][0]["checks"][0]
    assert (check["verdict"], check["worst_margin_db"]) == ("FAIL", -0.01)
    assert [s["margin_db"] for s in doc["captures"][0]["suspects"]] == [-0.01]
    rows = list(
        csv.DictReader(
            io.StringIO(
                runner.invoke(main, ["check", str(edge_capture), *ARGS, "-o", "csv"]).stdout
            )
        )
    )
    assert [(r["verdict"], r["worst_margin_db"]) for r in rows] == [("FAIL", "-0.01")]


def test_batch_summary_gives_a_hair_over_the_limit_a_negative_margin(
    edge_capture: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["batch", str(edge_capture), *ARGS[:4], "--out", str(out), "--report", "html"]
    )
    assert res.exit_code == 1, res.output
    row = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rows"][0]
    assert (row["verdict"], row["worst_margin_db"], row["tightest_margin_db"]) == (
        "FAIL",
        -0.01,
        -0.01,
    )
    (csv_row,) = csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8")))
    assert (csv_row["verdict"], csv_row["worst_margin_db"]) == ("FAIL", "-0.01")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "-0.01 dB" in index and "-0.00" not in index
    (report,) = (out / "captures").glob("*/*.html")
    html = report.read_text(encoding="utf-8")
    assert "-0.01" in html and "-0.00" not in html
