"""A 2,000-character title: every page of a check or lot PDF still prints the report id.

The header ``<title> · RFC-...`` was once cut at 110 characters, so a long title cut
the report id off every page; a printed page could no longer be tied to its report.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.lot.pdf import Provenance, render_pdf

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "check"
LONG = "Hashcore HC-3 FCC Part 15 Class B conducted scan of the mains port " * 30
_RID = r"RFC-[0-9A-F]{20}(?:-r\d+)?"


def _page_lines(data: bytes) -> list[list[str]]:
    return [
        [ln.strip() for ln in (page.extract_text() or "").splitlines()]
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def test_check_pdf_header_keeps_the_report_id_and_cuts_the_title(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["check", str(FIX / "cond_peak_pass.csv"), "--limit", "fcc-15.107-b", "--label", LONG]
        + ["--report", "pdf,json", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    rid = re.search(_RID, (out / "cond_peak_pass.json").read_text("utf-8"))
    assert rid is not None
    pages = _page_lines((out / "cond_peak_pass.pdf").read_bytes())
    assert len(pages) >= 2
    for lines in pages:
        assert any(f"Report {rid.group(0)}" in ln for ln in lines)
        # the header "<stem> — <label>", cut with an ellipsis, said
        assert any(LONG[:30] in ln and ln.endswith("\u2026") for ln in lines)


def test_lot_pdf_header_keeps_the_report_id_and_cuts_the_title() -> None:
    rid = "RFC-0123456789ABCDEF0123-r1"
    data = render_pdf(
        LONG, "rfcheck lot ...", "line\n" * 200, [], provenance=Provenance(rid, "0.1.0")
    )
    pages = _page_lines(data)
    assert len(pages) >= 2
    for lines in pages:
        assert any(ln.endswith(f"\u2026 \u00b7 {rid}") for ln in lines), lines[:3]
