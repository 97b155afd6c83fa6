"""A check report read with the dossier's setup.

One setup serves every command: a ``check`` of one scan with ``dossier-setup.toml`` must
not take the dossier's "test record" title, and must read the keys the dossier documents
(``[dut] class``, ``[test] dates``, ``[lab.accreditation]``, the rules' ``port_regex``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from rfcheck.analysis import run_check
from rfcheck.cli._setup_rules import settings_resolver
from rfcheck.report import _common as C
from rfcheck.report.html import render_html
from rfcheck.report.pdf import render_pdf
from rfcheck.results import RunResult
from rfcheck.settings import Setup, load_setup

ROOT = Path(__file__).resolve().parents[2] / "sample_captures"
DOSSIER_SETUP = load_setup(ROOT / "dossier-setup.toml")


def _run(setup: Setup, rel: str) -> RunResult:
    settings, settings_for = settings_resolver(setup, {})
    return run_check([ROOT / rel], settings, setup=setup, settings_for=settings_for)


@pytest.fixture(scope="module")
def v_scan() -> RunResult:
    return _run(DOSSIER_SETUP, "radiated/rig_3m_V_30M-1G_rs.DAT")


def _fields(run: RunResult, setup: Setup) -> dict[str, str]:
    return {f.label: f.value for f in C.test_fields(run, setup)}


def test_a_check_report_is_not_titled_a_test_record(v_scan: RunResult, tmp_path: Path) -> None:
    assert "test record" in DOSSIER_SETUP.test["report_title"]
    title, sub = C.title_lines(DOSSIER_SETUP)
    assert title == "Emissions pre-compliance report"
    assert sub == "Hashcore HC-3: FCC Part 15 Class B"
    html = render_html(v_scan, DOSSIER_SETUP).decode()
    assert "record" not in html.split("</header>")[0].lower()
    assert "<title>Emissions pre-compliance report RFC-" in html
    out = tmp_path / "r.pdf"
    out.write_bytes(render_pdf(v_scan, DOSSIER_SETUP))
    page1 = " ".join(PdfReader(out).pages[0].extract_text().split())
    # the only "test record" on page 1 is the plan's scope line saying it is not one
    assert "test record" not in page1.lower().replace("not the product's test record", "")
    assert "Not the product's test record." in page1
    assert "Emissions pre-compliance report Hashcore HC-3: FCC Part 15 Class B " in page1


@pytest.mark.parametrize(
    ("stated", "sub"),
    [
        (None, None),
        ("HC-3 pre-compliance", "HC-3 pre-compliance"),
        ("HC-3: FCC Part 15 Class B test record", "HC-3: FCC Part 15 Class B"),
        ("HC-3 record", "HC-3"),
        ("Test record of the HC-3", None),  # still calls itself a record: not shown
        ("Test Record", None),
    ],
)
def test_report_title_is_a_subtitle_that_names_no_record(
    tmp_path: Path, stated: str | None, sub: str | None
) -> None:
    f = tmp_path / "s.toml"
    f.write_text("[test]\n" + (f"report_title = {stated!r}\n" if stated else ""), encoding="utf-8")
    assert C.title_lines(load_setup(f)) == ("Emissions pre-compliance report", sub)


def test_the_dossier_keys_are_read(v_scan: RunResult) -> None:
    rows = _fields(v_scan, DOSSIER_SETUP)
    assert rows["Class"] == "B"  # [dut] class
    assert rows["Test date"] == "2025-11-12, 2025-11-13, 2025-11-19"  # [test] dates
    assert rows["Port / polarisation"] == "V"  # the rule's port_regex
    assert rows["Lab accreditation"] == (  # [lab.accreditation], as the dossier prints it
        "A2LA (fictional certificate), 9999.01, "
        "FCC Part 15 subpart B radiated and conducted emissions, ANSI C63.4-2014"
    )
    assert (
        C.summary_row(1, v_scan.captures[0], C.capture_port(v_scan.captures[0], DOSSIER_SETUP))[2]
        == "V"
    )


def test_the_old_keys_still_work(tmp_path: Path, v_scan: RunResult) -> None:
    f = tmp_path / "s.toml"
    f.write_text(
        '[test]\ndate = "2025-11-12"\nclass = "B"\nport = "enclosure"\n'
        '[lab]\naccreditation = "none: pre-compliance"\n',
        encoding="utf-8",
    )
    rows = _fields(v_scan, load_setup(f))
    assert rows["Class"] == "B" and rows["Test date"] == "2025-11-12"
    assert rows["Port / polarisation"] == "enclosure"
    assert rows["Lab accreditation"] == "none: pre-compliance"


def test_accreditation_table_is_never_a_dict_repr(v_scan: RunResult, tmp_path: Path) -> None:
    html = render_html(v_scan, DOSSIER_SETUP).decode()
    assert "A2LA (fictional certificate), 9999.01, FCC Part 15 subpart B" in html
    assert "{&#x27;body&#x27;" not in html and "{'body'" not in html


def test_report_csv_writes_the_suspects_csv(v_scan: RunResult, tmp_path: Path) -> None:
    """README: the suspects CSV written with the reports, one row per suspect."""
    import csv

    from rfcheck.report import write_reports

    written = write_reports(v_scan, tmp_path, ["csv"], DOSSIER_SETUP, suspects_csv=True)
    assert [p.name for p in written] == [
        "rig_3m_V_30M-1G_rs.csv",
        "rig_3m_V_30M-1G_rs-suspects.csv",
    ]
    text = (tmp_path / "rig_3m_V_30M-1G_rs-suspects.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(v_scan.captures[0].suspects) > 0
    top = next(r for r in rows if r["frequency_hz"] == "375000000.0")
    assert (top["reading"], top["conversion_db"], top["correction_db"], top["level"]) == (
        "-75.0",
        "106.99",
        "17.26",
        "49.25",
    )
    assert top["margin_db"] == "-3.23" and top["verdict"] == "FAIL"
