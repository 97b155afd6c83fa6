"""Test reports of the sample rig captures (sample_captures/rig-setup.toml).

Coverage (a burst alone is INCOMPLETE, a receiver's full band complete, a line without
overlap listed), the deciding line in the summary row, effective settings per capture and
run, plot title port, equipment cell, warnings kept with their heading in the PDF.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rfcheck.analysis import run_check
from rfcheck.batch.results import SummaryRow, row_from_capture
from rfcheck.outcome import Verdict
from rfcheck.report import _common as C
from rfcheck.report.fonts import register_fonts
from rfcheck.report.html import render_html
from rfcheck.report.summary import write_summary
from rfcheck.report.text import render_text
from rfcheck.results import CaptureResult, LineCheck, RunResult
from rfcheck.settings import CheckSettings, load_setup

ROOT = Path(__file__).resolve().parents[2] / "sample_captures"
SETUP = load_setup(ROOT / "rig-setup.toml")


def _run(*rels: str) -> RunResult:
    paths = [ROOT / r for r in rels]
    return run_check(
        paths,
        SETUP.check,
        setup=SETUP,
        settings_for=lambda p: SETUP.settings_for(Path(p).relative_to(ROOT).as_posix()),
    )


@pytest.fixture(scope="module")
def burst() -> RunResult:
    return _run("conducted/rig_L1_burst.sigmf-meta")


def test_burst_alone_is_incomplete_with_ranges(burst: RunResult) -> None:
    cap = burst.captures[0]
    assert cap.verdict is Verdict.INCOMPLETE and burst.exit_code == 5  # not PASS: 1.3-1.5 MHz only
    doc = burst.to_json()["captures"][0]
    assert doc["coverage"] == "partial"
    ne = {(x["limit_id"], x["line"]): x["ranges_hz"] for x in doc["not_evaluated"]}
    assert ne[("fcc-15.107-b", "QP")] == [[150000.0, 1302000.0], [1477500.0, 30000000.0]]
    assert ne[("fcc-15.107-b", "AV")] == ne[("fcc-15.107-b", "QP")]
    text = render_text(burst)
    assert (
        "verdict: INCOMPLETE (passes where measured: 1.302-1.4775 MHz; "
        "not measured: 0.15-1.302 MHz, 1.4775-30 MHz)"
    ) in text
    html = render_html(burst, SETUP).decode()
    assert (
        "passes where measured: 1.3020\u20131.4775 MHz; "
        "not measured: 0.1500\u20131.3020, 1.4775\u201330.000 MHz"
    ) in html
    assert '<div class="verdict INCOMPLETE"><div class="big">OVERALL RESULT: INCOMPLETE' in html
    assert any(
        line.startswith("INCOMPLETE: passes where measured") for line in C.verdict_summary(cap)
    )
    assert C.summary_row(1, cap)[4] == "partial"


def test_burst_alone_incomplete_in_json_csv_and_pdf(burst: RunResult) -> None:
    import io

    from pypdf import PdfReader

    from rfcheck.report.pdf import render_pdf
    from rfcheck.report.tabular import render_csv, render_json

    doc = json.loads(render_json(burst))
    assert doc["verdict"] == "INCOMPLETE" and doc["captures"][0]["verdict"] == "INCOMPLETE"
    assert [c["verdict"] for c in doc["captures"][0]["checks"]] == ["INCOMPLETE", "INCOMPLETE"]
    assert ",INCOMPLETE," in render_csv(burst)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(burst, SETUP))).pages)
    text = " ".join(text.split())
    assert "OVERALL RESULT: INCOMPLETE" in text
    assert "passes where measured: 1.3020" in text and "not measured: 0.1500" in text


def test_receiver_full_band_is_complete() -> None:
    run = _run("conducted/rig_N_receiver_rs.DAT")
    doc = run.to_json()["captures"][0]
    assert doc["coverage"] == "complete" and doc["not_evaluated"] == []
    assert "partial coverage" not in render_text(run)


def test_line_without_overlap_is_listed_not_evaluated() -> None:
    run = _run("radiated/rig_3m_V_30M-1G_rs.DAT")  # 30 MHz - 1 GHz against 15.109-b
    doc = run.to_json()["captures"][0]
    assert doc["coverage"] == "partial" and doc["verdict"] == run.captures[0].verdict.value
    ne = {(x["limit_id"], x["line"]): x["ranges_hz"] for x in doc["not_evaluated"]}
    # the setup's [dut] highest_internal_frequency_hz = 700 MHz: required to 5 GHz (15.33(b)(1))
    assert ne[("fcc-15.109-b", "AV")] == [[1e9, 5e9]]
    assert ne[("fcc-15.109-b", "PK")] == [[1e9, 5e9]]
    assert "fcc-15.109-b AV, fcc-15.109-b PK 1000-5000 MHz" in render_text(run)


def test_error_capture_has_no_coverage_and_has_settings(tmp_path: Path) -> None:
    bad = tmp_path / "junk.csv"
    bad.write_text("nonsense\n")
    run = run_check([bad], CheckSettings(limit_ids=("fcc-15.107-b",)))
    cap = run.captures[0]
    assert cap.verdict is Verdict.ERROR and cap.coverage == "none"
    assert cap.settings["limit_ids"] == ["fcc-15.107-b"]
    assert row_from_capture(cap, path=str(bad), sha256=None).coverage == "none"


def _chk(line: str, verdict: Verdict, margin: float | None, f: float) -> LineCheck:
    return LineCheck("fcc-15.107-b", line, "d", verdict, margin, f)


def test_summary_row_uses_the_deciding_line(tmp_path: Path) -> None:
    cap = CaptureResult(
        path="x.csv",
        sha256=None,
        format="csv",
        verdict=Verdict.INCONCLUSIVE,
        checks=(_chk("QP", Verdict.INCONCLUSIVE, 5.0, 2e6), _chk("AV", Verdict.PASS, 2.71, 1e6)),
    )
    row = row_from_capture(cap, path="x.csv", sha256=None)
    assert (row.worst_limit, row.worst_margin_db) == ("fcc-15.107-b QP", 5.0)
    assert C.summary_row(1, cap)[5:] == ("+5.00", "2.00000", "fcc-15.107-b QP")
    files = write_summary(tmp_path, [row], [])
    assert "coverage" in files[0].read_text().splitlines()[0].split(",")
    doc = json.loads((tmp_path / "summary.json").read_text())
    assert SummaryRow.from_json(doc["rows"][0]) == row and doc["rows"][0]["coverage"] == "complete"
    assert "<td>complete</td>" in (tmp_path / "index.html").read_text()


def test_keysight_average_row_reports_the_open_line() -> None:
    run = _run("conducted/rig_L1_avg_keysight.csv")
    cap = run.captures[0]
    assert cap.verdict is Verdict.INCONCLUSIVE
    row = row_from_capture(cap, path=cap.path, sha256=cap.sha256)
    decider = next(c for c in cap.checks if f"{c.limit_id} {c.line}" == row.worst_limit)
    assert decider.verdict is Verdict.INCONCLUSIVE


def test_effective_settings_per_capture_and_run(burst: RunResult) -> None:
    assert burst.captures[0].settings["limit_ids"] == ["fcc-15.107-b"]
    assert burst.settings["limit_ids"] == ["fcc-15.107-b"] and burst.settings_note == ""
    mixed = _run("conducted/rig_L1_burst.sigmf-meta", "radiated/rig_3m_V_30M-1G_rs.DAT")
    assert mixed.captures[1].settings["limit_ids"] == ["fcc-15.109-b"]
    assert (
        mixed.settings["limit_ids"] == [] and "different effective settings" in mixed.settings_note
    )
    html = render_html(mixed, SETUP).decode()
    assert "Settings used for" in html and "fcc-15.109-b" in html


def test_plot_title_uses_label_or_stem(burst: RunResult) -> None:
    cap = burst.captures[0]
    title = C.plot_title(cap, SETUP)
    assert "rig_L1_burst" in title and "AC mains" not in title
    port = next(f for f in C.test_fields(burst, SETUP) if f.label == "Port / polarisation")
    assert port.value.startswith("AC mains 240 V")


def test_plot_title_writes_characters_without_a_glyph_as_escapes(
    burst: RunResult, tmp_path: Path
) -> None:
    """A DUT named in Chinese: the PNG title and the PDF page header show escapes, not boxes.

    The title is drawn in DejaVu Sans (no CJK): matplotlib drew empty boxes and printed one
    'Glyph ... missing' warning per character on stderr.
    """
    setup_file = tmp_path / "setup.toml"
    setup_file.write_text('[dut]\nmanufacturer = "深圳"\nmodel = "X1"\n', encoding="utf-8")
    title = C.plot_title(burst.captures[0], load_setup(setup_file))
    assert title.startswith("\\u6df1\\u5733 X1 \u2014 ")


def test_equipment_described_once() -> None:
    run = _run("conducted/rig_N_receiver_rs.DAT")
    inst = C.equipment_rows(run)[0][1]
    assert inst.count("ESRP-7") == 1 and "description" not in inst


def test_pdf_keeps_warnings_with_heading() -> None:
    from reportlab.platypus import KeepTogether

    from rfcheck.report import pdf as P
    from rfcheck.report._pdfkit import styles

    register_fonts()
    run = _run("radiated/rig_3m_V_30M-1G_rs.DAT")
    cap = run.captures[0]
    assert cap.warnings
    flow = P._capture_section(1, 1, cap, run, SETUP, 480.0, styles())
    assert isinstance(flow[-1], KeepTogether)


def test_a_recordings_summary_says_its_levels_were_computed(burst: RunResult) -> None:
    """The PDF's first page read "(measured)" with the receiver note only on page 3."""
    from rfcheck.report._verdict_text import verdict_summary

    (cap,) = burst.captures
    assert cap.levels_origin == "receiver model"
    assert (
        "Its levels were computed from the I/Q recording by rfcheck's CISPR 16-1-1 receiver "
        "model, not read from an instrument's detectors."
    ) in verdict_summary(cap)
