"""Test the report layer's shared parts.

The format registry and its one parser, the CSV cell
neutraliser, and the HTML page skeleton used by per-capture reports and the batch summary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rfcheck.analysis import run_check
from rfcheck.batch.results import SummaryRow
from rfcheck.outcome import Verdict
from rfcheck.report import (
    FORMATS,
    REPORT_FORMATS,
    Destination,
    ReportFormatError,
    csv_cell,
    format_names,
    parse_formats,
    report_format,
    write_reports,
)
from rfcheck.report.csv_cells import csv_text
from rfcheck.report.page import CSP, CSS
from rfcheck.report.summary import summary_html
from rfcheck.results import RunResult
from rfcheck.settings import CheckSettings

FILE_NAMES = "(known: pdf, html, png, svg, json, csv, or 'none')"
FIX = Path(__file__).resolve().parents[1] / "fixtures" / "check"


@pytest.fixture(scope="module")
def run() -> RunResult:
    settings = CheckSettings(limit_ids=("fcc-15.107-b",))
    return run_check([FIX / "cond_peak_pass.csv"], settings, command="test")


# --- registry ---------------------------------------------------------------------------------
def test_registry_names_and_destinations() -> None:
    assert REPORT_FORMATS == ("pdf", "html", "png", "svg", "json", "csv")
    assert format_names(Destination.FILE) == REPORT_FORMATS
    assert format_names(Destination.STDOUT) == ("text", "json", "csv")
    assert [n for n, f in FORMATS.items() if f.per_capture] == ["png", "svg"]
    assert all(f.extension == n for n, f in FORMATS.items() if Destination.FILE in f.destinations)
    assert report_format(" HTML ").title == "self-contained HTML report, inline PNG plots"


def test_every_format_has_exactly_one_renderer() -> None:
    for fmt in FORMATS.values():
        assert (fmt.render_run is None) != (fmt.render_capture is None), fmt.name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("pdf,html", ("pdf", "html")),
        ("CSV, json ,csv", ("json", "csv")),  # registry order, case and spaces ignored, once
        (["SVG", "png"], ("png", "svg")),
        ("none", ()),
        ("NONE", ()),
        ("", ()),
        (",", ()),
    ],
)
def test_parse_formats_normalises(value: str | list[str], expected: tuple[str, ...]) -> None:
    assert parse_formats(value) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ("pdff", {}, "unknown format 'pdff' (known: pdf, html, png, svg, json, csv, or 'none')"),
        ("pdf,x,y", {}, "unknown formats 'x', 'y' " + FILE_NAMES),
        ("none,json", {}, "unknown format 'none' " + FILE_NAMES),
        ("text", {}, "unknown format 'text' (known: pdf, html, png, svg, json, csv, or 'none')"),
        (
            "pdf",
            {"destination": Destination.STDOUT, "single": True},
            "unknown format 'pdf' (known: text, json, csv)",
        ),
        (
            "json,csv",
            {"destination": Destination.STDOUT, "single": True},
            "give exactly one format (known: text, json, csv)",
        ),
        (
            "none",
            {"destination": Destination.STDOUT, "single": True},
            "unknown format 'none' (known: text, json, csv)",
        ),
    ],
)
def test_parse_formats_refuses(value: str, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ReportFormatError) as info:
        parse_formats(value, **kwargs)  # type: ignore[arg-type]
    assert info.value.message == message
    assert isinstance(info.value, ValueError)


def test_report_format_unknown_name() -> None:
    with pytest.raises(ReportFormatError, match=r"unknown format 'docx' \(known: text, pdf"):
        report_format("docx")


def test_write_reports_refuses_an_unknown_format_before_writing(
    tmp_path: Path, run: RunResult
) -> None:
    with pytest.raises(ReportFormatError):
        write_reports(run, tmp_path / "out", ["json", "docx"])
    assert not (tmp_path / "out").exists()


# --- one CSV cell neutraliser -------------------------------------------------------------------
def test_csv_cell_neutralises_text_only() -> None:
    assert [csv_cell(x) for x in ("=1+1", "+1", "-x", "@x", "\tx", "\rx", "ok", "a=b")] == [
        "'=1+1",
        "'+1",
        "'-x",
        "'@x",
        "'\\tx",
        "'\\rx",
        "ok",
        "a=b",  # tab, CR escaped too
    ]
    assert csv_cell(-3.25) == -3.25 and csv_cell(7) == 7
    assert csv_cell(None) == "" and csv_cell(True) == "true"
    assert csv_cell(Path("-rf")) == "'-rf"


def test_csv_text_one_writer() -> None:
    records: list[dict[str, Any]] = [
        {"path": "=evil.csv", "margin_db": -1.5, "reports": ["a.json", "b.csv"], "extra": 1},
        {"path": "ok, quoted", "margin_db": None},
    ]
    assert csv_text(("path", "margin_db", "reports"), records) == (
        'path,margin_db,reports\n\'=evil.csv,-1.5,a.json;b.csv\n"ok, quoted",,\n'
    )


# --- one page skeleton ----------------------------------------------------------------------
def test_summary_and_capture_pages_share_the_skeleton(tmp_path: Path, run: RunResult) -> None:
    rows = [
        SummaryRow("a<b>.csv", None, None, Verdict.INCOMPLETE, coverage="partial"),
        SummaryRow("b.csv", None, None, Verdict.ERROR, coverage="none", error="=bad <x>"),
    ]
    summary = summary_html(rows, [], None).decode("utf-8")
    files = write_reports(run, tmp_path, ["html"])
    capture_page = files[0].read_text("utf-8")
    for page in (summary, capture_page):
        assert page.startswith("<!DOCTYPE html>\n")
        assert f"<style>{CSS}</style>" in page
        assert f'content="{CSP}"' in page
        assert page.endswith("</body></html>\n")
    assert ".INCOMPLETE{background:#5a5a9e}" in CSS and ".v-INCOMPLETE{color:#5a5a9e" in CSS
    assert '<span class="v-INCOMPLETE">INCOMPLETE</span>' in summary
    assert "a&lt;b&gt;.csv" in summary and "=bad &lt;x&gt;" in summary and "<x>" not in summary
