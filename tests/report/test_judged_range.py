"""A PASS over a requested range narrower than the lines' required range says that range.

``--range`` / setup ``range_hz`` judges part of what the limit lines require; the verdict line
(``check`` text, overall line, ``compare``) and the JSON state the range the verdict covers
(docs/verdict.md, "Requested range").
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
PAIR = SAMPLES / "before_after"
AFTER = PAIR / "rig_3m_V_after.csv"
BEFORE = PAIR / "rig_3m_V_before.csv"
SETUP = PAIR / "setup.toml"  # range_hz = [30e6, 1000e6]; fcc-15.109-b is required to 40 GHz
SCOPE = "over 30-1000 MHz only, the requested range; the lines are required over 30-40000 MHz"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout


def test_check_text_states_the_range_of_a_pass() -> None:
    code, out = _run("check", str(AFTER), "--setup", str(SETUP))
    assert code == 0
    lines = out.splitlines()
    assert lines[-2] == f"   verdict: PASS ({SCOPE})"
    assert lines[-1] == f"overall verdict: PASS ({SCOPE})"


def test_check_json_gives_the_judged_and_required_ranges() -> None:
    code, out = _run("check", str(AFTER), "--setup", str(SETUP), "-o", "json")
    assert code == 0
    (cap,) = json.loads(out)["captures"]
    assert cap["judged_range_hz"] == [30e6, 1000e6]
    assert cap["required_range_hz"] == [30e6, 40e9]


def test_a_range_bounded_by_the_highest_frequency_is_the_whole_requirement() -> None:
    # highest frequency 100 MHz: 15.33(b)(1) requires the lines to 1 GHz, which 30M-1G spans
    args = ["check", str(AFTER), "--setup", str(SETUP), "--highest-frequency", "100M"]
    code, out = _run(*args)
    assert code == 0
    assert out.splitlines()[-1] == "overall verdict: PASS"
    (cap,) = json.loads(_run(*args, "-o", "json")[1])["captures"]
    assert cap["judged_range_hz"] is None
    assert cap["required_range_hz"] == [30e6, 1000e6]


def test_a_fail_over_a_requested_range_is_printed_as_before() -> None:
    code, out = _run("check", str(BEFORE), "--setup", str(SETUP))
    assert code == 1
    assert out.splitlines()[-1] == "overall verdict: FAIL"


def test_compare_states_the_range_of_a_pass() -> None:
    code, out = _run("compare", str(BEFORE), str(AFTER), "--setup", str(SETUP))
    assert code == 0
    lines = out.splitlines()
    assert lines[2].startswith("   verdict FAIL, worst margin")
    assert lines[4].startswith(f"   verdict PASS ({SCOPE}), worst margin +4.57 dB")
    code, out = _run("compare", str(BEFORE), str(AFTER), "--setup", str(SETUP), "-o", "json")
    assert '"judged_range_hz": [\n      30000000.0,\n      1000000000.0\n    ]' in out


def test_html_and_pdf_state_the_range_of_a_pass(tmp_path: Path) -> None:
    """The written reports carry the scope too: a broker reads them, not the terminal."""
    from pypdf import PdfReader

    out = tmp_path / "rep"
    args = ["check", str(AFTER), "--setup", str(SETUP), "--report", "html,pdf", "--out", str(out)]
    code, _ = _run(*args)
    assert code == 0
    html = (out / "rig_3m_V_after.html").read_text(encoding="utf-8")
    assert f"<p>REQUESTED RANGE: PASS {SCOPE}.</p>" in html
    assert "<td>complete, 30-1000 MHz only</td>" in html
    cover = " ".join(PdfReader(out / "rig_3m_V_after.pdf").pages[0].extract_text().split())
    assert f"REQUESTED RANGE: PASS {SCOPE}." in cover
    assert "complete, 30-1000 MHz only" in cover


def test_reports_of_a_fail_over_a_requested_range_add_no_scope(tmp_path: Path) -> None:
    out = tmp_path / "rep"
    args = ["check", str(BEFORE), "--setup", str(SETUP), "--report", "html", "--out", str(out)]
    code, _ = _run(*args)
    assert code == 1
    html = (out / "rig_3m_V_before.html").read_text(encoding="utf-8")
    assert "REQUESTED RANGE" not in html


def test_check_csv_states_the_range_of_a_pass_in_columns_at_the_end() -> None:
    """A spreadsheet of the check says what the PASS holds for, as the PDF does."""
    import csv
    import io

    from rfcheck.report.tabular import CSV_COLUMNS

    # then "levels", "scale", "assumed_dwell_s", "data_sha256", "scope", added after them
    assert CSV_COLUMNS[-9:-5] == (
        "report_id",
        "judged_range_hz",
        "required_range_hz",
        "requested_range",
    )
    code, out = _run("check", str(AFTER), "--setup", str(SETUP), "-o", "csv")
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["capture_verdict"] == "PASS"
    assert row["judged_range_hz"] == "30000000.0-1000000000.0"
    assert row["required_range_hz"] == "30000000.0-40000000000.0"
    assert row["requested_range"] == f"PASS {SCOPE}"
    code, out = _run("check", str(BEFORE), "--setup", str(SETUP), "-o", "csv")
    assert code == 1
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["capture_verdict"], row["judged_range_hz"], row["requested_range"]) == (
        "FAIL",
        "30000000.0-1000000000.0",
        "",
    )


def test_check_csv_of_a_whole_range_pass_leaves_the_range_columns_empty() -> None:
    import csv
    import io

    args = ["check", str(AFTER), "--setup", str(SETUP), "--highest-frequency", "100M", "-o", "csv"]
    code, out = _run(*args)
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["judged_range_hz"] == ""
    assert row["required_range_hz"] == "30000000.0-1000000000.0"
    assert row["requested_range"] == ""


def test_check_text_of_several_captures_counts_the_range_limited_passes() -> None:
    """The overall line of a multi-capture run never reads a bare PASS for range-limited ones."""
    code, out = _run("check", str(AFTER), str(AFTER), "--setup", str(SETUP))
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == "overall verdict: PASS (2 of 2 captures over a requested range only)"
    assert lines.count(f"   verdict: PASS ({SCOPE})") == 2


def test_html_and_pdf_of_several_captures_qualify_the_overall_pass(tmp_path: Path) -> None:
    """The banner of a multi-capture report says how many PASSes rest on a requested range."""
    from pypdf import PdfReader

    out = tmp_path / "rep"
    code, _ = _run(
        "check", str(AFTER), str(AFTER), "--setup", str(SETUP), "--report", "html,pdf",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0
    qualifier = "PASS (2 of 2 captures over a requested range only)"
    html = (out / "rfcheck-report.html").read_text(encoding="utf-8")
    assert f"<p><strong>{qualifier}</strong></p>" in html
    cover = " ".join(PdfReader(out / "rfcheck-report.pdf").pages[0].extract_text().split())
    assert f"OVERALL RESULT: PASS {qualifier}" in cover


def test_the_plot_badge_states_the_range_of_a_pass() -> None:
    from rfcheck.analysis import run_check
    from rfcheck.report.plots import margin_figure
    from rfcheck.settings import load_setup

    setup = load_setup(SETUP)
    (cap,) = run_check([AFTER], setup.settings_for(AFTER.name), setup=setup).captures
    from matplotlib.text import Text

    texts = [t.get_text() for t in margin_figure(cap).findobj(Text) if isinstance(t, Text)]
    assert " PASS over 30-1000 MHz only " in texts
    assert " PASS " not in texts


def test_check_json_doc_names_the_last_csv_columns_and_the_frequency_units() -> None:
    """docs/check-json.md names the columns after ``requested_range``, dwell and data too."""
    import re

    from rfcheck.report.tabular import CSV_COLUMNS

    doc = Path(__file__).resolve().parents[2] / "docs" / "check-json.md"
    text = " ".join(doc.read_text(encoding="utf-8").split())
    assert CSV_COLUMNS[-6:] == (
        "requested_range",
        "levels",
        "scale",
        "assumed_dwell_s",
        "data_sha256",
        "scope",
    )
    assert "The column after `requested_range`, `levels`," in text
    assert "The column after `scale`, `assumed_dwell_s`," in text
    assert "The next, `data_sha256`," in text
    assert "The last, `scope`," in text
    # the one MHz column, and every Hz column, are named with their unit
    assert "`not_evaluated_mhz` is in MHz" in text
    hz_sentence = re.search(r"while ([^.]*) are in Hz", text)
    assert hz_sentence is not None
    named = set(re.findall(r"`(\w+)`", hz_sentence.group(1)))
    assert named == {c for c in CSV_COLUMNS if c.endswith("_hz")}
    assert [c for c in CSV_COLUMNS if c.endswith("_mhz")] == ["not_evaluated_mhz"]
