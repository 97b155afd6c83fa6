"""A check judged against CISPR 32 tables only never reads as an FCC basis.

With the product's setup (``[test] standard = "FCC Part 15B"``, an FCC ``report_title``) a
``check --limit cispr32-b-rad-3m`` report was headed "FCC Part 15 Class B" on page 1 and in
every running header, read "Standard: FCC Part 15B" under a green PASS, and said that CISPR 32
is not an FCC basis only on page 3. Page 1 and the running header now name the basis judged,
the stated standard is shown as the setup's with the contradiction named, and the "not an FCC
basis" note is on page 1. A run judged against FCC and CISPR tables names both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.report import _fields as C

ROOT = Path(__file__).resolve().parents[2] / "sample_captures"
SETUP = ROOT / "dossier-setup.toml"
SCAN = ROOT / "radiated" / "rig_3m_V_30M-1G_rs.DAT"


def _report(tmp_path: Path, *limits: str) -> tuple[list[str], str]:
    args = ["check", str(SCAN), "--setup", str(SETUP), "--report", "pdf,html"]
    for lim in limits:
        args += ["--limit", lim]
    out = tmp_path / "rep"
    res = CliRunner().invoke(main, [*args, "--out", str(out)], catch_exceptions=False)
    assert res.exit_code in (0, 1), res.output
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(next(out.glob("*.pdf"))).pages]
    return pages, next(out.glob("*.html")).read_text(encoding="utf-8")


def test_cispr_only_page1_and_headers_name_the_cispr_basis(tmp_path: Path) -> None:
    pages, html = _report(tmp_path, "cispr32-b-rad-3m")
    page1 = pages[0]
    assert "CISPR 32 Class B (not an FCC basis)" in page1
    # the setup's report_title is not the title: it is quoted as the setup's
    assert page1.startswith(
        "Emissions pre-compliance report Hashcore Systems (fictional) HC-3 \u2014 CISPR 32"
    ), page1[:200]
    assert "Standard FCC Part 15B (stated in the setup; not the basis judged" in page1
    assert 'The setup states [test] standard = "FCC Part 15B"' in page1
    assert "cispr32-b-rad-3m: CISPR 32 limits are not an FCC basis" in page1
    for page in pages:  # every running header names the basis, first (never cut off)
        assert "CISPR 32 Class B (not an FCC basis) \u2014 Hashcore Systems" in page
        assert "\u2014 FCC Part 15B" not in page
    cover = html.split('<section class="capture"')[0]
    assert "CISPR 32 Class B (not an FCC basis)" in cover
    assert "cispr32-b-rad-3m: CISPR 32 limits are not an FCC basis" in cover
    assert "Hashcore HC-3: FCC Part 15 Class B</div>" not in cover


def test_fcc_and_cispr_say_both(tmp_path: Path) -> None:
    pages, html = _report(tmp_path, "fcc-15.109-b", "cispr32-b-rad-3m")
    page1 = pages[0]
    assert "FCC Part 15B Class B and CISPR 32 Class B (CISPR 32: not an FCC basis)" in page1
    assert "Judged against FCC and CISPR 32 tables" in page1
    assert "only the fcc-15.109-b results bear on 47 CFR Part 15" in page1
    assert "cispr32-b-rad-3m: CISPR 32 limits are not an FCC basis" in page1
    assert "FCC Part 15B Class B and CISPR 32 Class B (CISPR 32: not an FCC basis)" in pages[1]
    assert "FCC Part 15B; also judged against CISPR 32 Class B (not an FCC basis)" in html


def test_an_fcc_check_is_unchanged(tmp_path: Path) -> None:
    pages, html = _report(tmp_path, "fcc-15.109-b")
    assert "Hashcore HC-3: FCC Part 15 Class B" in pages[0]
    assert "Standard FCC Part 15B Class" in pages[0]
    assert "FCC basis" not in pages[0] and "FCC basis" not in html


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        ([{"id": "cispr32-a-mains", "regime": "cispr32", "device_class": "A"}], "CISPR 32 Class A"),
        ([{"id": "cispr32-b-mains"}], "CISPR 32"),  # a result written before regime was kept
        ([{"id": "fcc-15.107-b", "regime": "fcc-part15", "device_class": "B"}], ""),
    ],
)
def test_cispr_basis_names_the_tables(limits: list[dict[str, str]], expected: str) -> None:
    assert C.cispr_basis(limits)[0] == expected
