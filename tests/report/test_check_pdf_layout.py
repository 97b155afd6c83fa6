"""Layout of the check PDF read by a lab manager.

Numbers and timestamps stay whole in their columns, a short warnings section never sits
alone on a page, a long DUT name does not spread the plot title over three lines, and the
first page lists the frequencies still to measure once.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from reportlab.platypus import KeepTogether, Paragraph, Table

from rfcheck.analysis import run_check
from rfcheck.report import _common as C
from rfcheck.report import _pdfkit as K
from rfcheck.report import pdf as P
from rfcheck.report import pdf_cover
from rfcheck.report._pdfkit import styles
from rfcheck.report.fonts import register_fonts
from rfcheck.report.html import render_html
from rfcheck.report.plots import _title
from rfcheck.results import RunResult
from rfcheck.settings import load_setup

ROOT = Path(__file__).resolve().parents[2] / "sample_captures"
SETUP = load_setup(ROOT / "rig-setup.toml")
#: The text width of the A4 check PDF [pt] (210 mm less 2 x 18 mm).
WIDTH = (210 - 36) * 72 / 25.4


def _run(*rels: str) -> RunResult:
    return run_check(
        [ROOT / r for r in rels],
        SETUP.check,
        setup=SETUP,
        settings_for=lambda p: SETUP.settings_for(Path(p).relative_to(ROOT).as_posix()),
    )


def _lines(cell: Paragraph) -> list[str]:
    """Return the lines a wrapped cell was broken into, as text."""
    out = []
    for line in cell.blPara.lines:
        words = getattr(line, "words", None)
        if words is None:  # a word-wrapped line: (width, [words])
            out.append(" ".join(line[1]))
        else:
            out.append("".join(getattr(w, "text", "") for w in words))
    return out


def _wrapped(table: Table) -> Table:
    table.wrap(WIDTH, 10_000)
    return table


@pytest.fixture(scope="module", autouse=True)
def _fonts() -> None:
    register_fonts()


def test_a_six_digit_frequency_stays_whole_in_the_limit_line_table() -> None:
    run = _run("conducted/rig_L1_avg_keysight.csv")
    cap = run.captures[0]
    at = {C.check_row(k)[5] for k in cap.checks}
    assert "0.194775" in at  # six digits, the widest the column holds
    rows = P._check_rows(cap.checks, styles())
    _wrapped(K.table(rows, [f * WIDTH for f in P.CHECK_WIDTHS]))
    for row in rows[1:]:
        assert len(_lines(row[5])) == 1, _lines(row[5])


def test_a_capture_time_stays_whole_in_the_equipment_table() -> None:
    run = _run("conducted/rig_L1_burst.sigmf-meta")
    table = _wrapped(pdf_cover._equipment_table(run, WIDTH, styles()))
    (cell,) = table._cellvalues[1][2]  # a cell holds its flowables
    assert _lines(cell) == ["2025-11-12T14:03:27.000000Z"]


def test_a_short_warnings_section_goes_with_the_suspects() -> None:
    """CW p.3, p.5, p.7: a one-bullet section had a page of its own."""
    run = _run("radiated/rig_3m_V_30M-1G_rs.DAT")
    cap = run.captures[0]
    assert cap.warnings and cap.suspects
    flow = P._capture_section(1, 1, cap, run, SETUP, WIDTH, styles())
    last = flow[-1]
    assert isinstance(last, KeepTogether)
    flat = [g for f in last._content for g in getattr(f, "_content", [f])]
    texts = [f.getPlainText() for f in flat if isinstance(f, Paragraph)]
    assert texts[0] == "Suspect emissions" and "Warnings and errors" in texts


def test_a_long_dut_name_is_cut_in_the_plot_title(tmp_path: Path) -> None:
    run = _run("radiated/rig_3m_V_30M-1G_rs.DAT")
    setup_file = tmp_path / "setup.toml"
    long_name = 'Ωmega Гаджет 深圳电子 <Ltd> & Co "Quoted" O\'Brien'
    setup_file.write_text(
        f"[dut]\nmanufacturer = {json.dumps(long_name, ensure_ascii=False)}\n"
        "model = 'W-1 <script>alert(1)</script>'\n"
        "[test]\nstandard = 'FCC Part 15B'\nclass = 'B'\n",
        encoding="utf-8",
    )
    title = _title(run.captures[0], load_setup(setup_file))
    lines = title.split("\n")
    assert len(lines) == 2, lines
    flat = " ".join(lines)
    assert "\u2026 \u2014 rig_3m_V_30M-1G_rs \u2014 FCC Part 15B Class B" in flat  # kept whole
    assert flat.startswith("Ωmega Гаджет \\u6df1\\u5733\\u7535\\u5b50 <Ltd>")
    # never half an escape: every backslash starts a whole \uXXXX
    assert all(re.match(r"\\u[0-9a-f]{4}", flat[m.start() :]) for m in re.finditer(r"\\", flat))


def test_a_short_plot_title_is_unchanged() -> None:
    run = _run("radiated/rig_3m_V_30M-1G_rs.DAT")
    full = C.plot_title(run.captures[0], SETUP)
    assert (
        full
        == "Hashcore Systems (fictional) HC-3 \u2014 rig_3m_V_30M-1G_rs \u2014 FCC Part 15B Class B"
    )
    assert _title(run.captures[0], SETUP) == textwrap.fill(full, 62)


def test_page_one_lists_the_needed_frequencies_once(tmp_path: Path) -> None:
    """C/peak p.1 listed them twice: cut to five, then in full; the capture section has all."""
    run = _run("conducted/rig_L1_peak_keysight.csv")
    cap = run.captures[0]
    cover = C.verdict_summary(cap, every_need=False)
    assert not [x for x in cover if "every frequency still to measure" in x]
    assert any("(+16 more). Every one is listed in the capture's section." in x for x in cover)
    assert any("every frequency still to measure (21" in x for x in C.verdict_summary(cap))
    html = render_html(run, SETUP).decode()
    head, capture = html.split('<section class="capture"', 1)
    assert "every frequency still to measure" not in head
    assert "every frequency still to measure (21, worst first)" in capture
