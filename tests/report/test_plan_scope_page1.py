"""A check report made with a product's setup says on page 1 that it is not the test record.

With the product's setup (``[dut]``, ``[test] standard``, a ``[plan]`` naming mains lines L1,
L2 and polarisations H, V) a ``check`` of one radiated scan was headed with the device and
"FCC Part 15B Class B" above "OVERALL RESULT: PASS", and never said that the other three
ports were not judged. Page 1 of the PDF and the HTML now say so, naming the plan's ports.
"""

from __future__ import annotations

import html as html_lib
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

ROOT = Path(__file__).resolve().parents[2] / "sample_captures"
SCAN = ROOT / "radiated" / "rig_3m_V_30M-1G_rs.DAT"
SCOPE = (
    "The setup's [plan] requires the ports L1, L2 (mains lines) and H, V (polarisations); "
    "this report judges only the captures listed, and its verdict says nothing of a port "
    "none of them measured."
)


def _report(tmp_path: Path, *setup: str) -> tuple[str, str]:
    out = tmp_path / "rep"
    args = ["check", str(SCAN), "--limit", "fcc-15.109-b", "--report", "pdf,html", *setup]
    res = CliRunner().invoke(main, [*args, "--out", str(out)], catch_exceptions=False)
    assert res.exit_code in (0, 1, 4, 5), res.output
    page1 = " ".join(PdfReader(next(out.glob("*.pdf"))).pages[0].extract_text().split())
    return page1, next(out.glob("*.html")).read_text(encoding="utf-8")


def test_a_check_with_the_products_setup_is_not_its_test_record(tmp_path: Path) -> None:
    page1, html = _report(tmp_path, "--setup", str(ROOT / "dossier-setup.toml"))
    assert "Not the product's test record." in page1
    assert SCOPE in page1
    cover = " ".join(html_lib.unescape(html.split('<section class="capture"')[0]).split())
    assert "Not the product's test record." in cover and SCOPE in cover


def test_a_check_without_a_plan_says_nothing_of_one(tmp_path: Path) -> None:
    page1, html = _report(tmp_path, "--antenna-factor", "12")
    assert "test record" not in page1 and "[plan]" not in html


def _stdout(fmt: str, *setup: str) -> str:
    args = ["check", str(SCAN), "--limit", "fcc-15.109-b", "-o", fmt, *setup]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code in (0, 1, 4, 5), res.output
    return res.output


def test_the_terminal_json_and_csv_say_it_too() -> None:
    """A JSON or CSV read alone, or the terminal's text, is no product record either."""
    import csv
    import io
    import json

    setup = ("--setup", str(ROOT / "dossier-setup.toml"))
    text = _stdout("text", *setup)
    (line,) = [x for x in text.splitlines() if x.startswith("scope: ")]
    assert "Not the product's test record." in line and SCOPE in line
    doc = json.loads(_stdout("json", *setup))
    assert doc["scope"][0] == "Not the product's test record." and SCOPE in doc["scope"][1]
    rows = list(csv.DictReader(io.StringIO(_stdout("csv", *setup))))
    assert rows and all(SCOPE in r["scope"] for r in rows)


def test_without_a_plan_the_scope_is_empty() -> None:
    import csv
    import io
    import json

    assert "scope: " not in _stdout("text", "--antenna-factor", "12")
    assert json.loads(_stdout("json", "--antenna-factor", "12"))["scope"] == []
    rows = list(csv.DictReader(io.StringIO(_stdout("csv", "--antenna-factor", "12"))))
    assert rows and all(r["scope"] == "" for r in rows)
