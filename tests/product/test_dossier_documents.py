"""The dossier as a broker reads it: page 1, declarations, page numbers, banner, HTML.

A failing unit of the hand-built rig (one 50 dBµV AV point on L2, limit 46) with a record
stating its standard and responsible party; every format written.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

#: The rig's complete record, stating the standard the lab tested to.
STANDARD = 'tester = "T. Tester"\nstandard = "FCC Part 15B"'

#: The clause of each limit table the rig is judged against, as its title names it.
CLAUSES = (
    "fcc-15.107-b: FCC Part 15 Class B conducted limits (47 CFR 15.107(a))",
    "fcc-15.109-b: FCC Part 15 Class B radiated limits @ 3 m (47 CFR 15.109(a))",
)


def _dossier(rig: ModuleType, tmp: Path, *, fail: bool, record: str | None = None) -> Path:
    """Run the dossier on the rig with ``record`` (default: the complete one, with STANDARD)."""
    rig.write_rig(tmp / "in", av_fail_l2_mhz=2.0 if fail else None)
    text = record or rig.COMPLETE_RECORD.replace('tester = "T. Tester"', STANDARD)
    setup = rig.write_complete_setup(tmp / "setup.toml", text)
    res = CliRunner().invoke(
        main,
        ["dossier", str(tmp / "in"), "--setup", str(setup), "--out", str(tmp / "out")],
        catch_exceptions=False,
    )
    assert res.exit_code == (1 if fail else 0), res.output
    return tmp / "out" / "unit"


@pytest.fixture(scope="module")
def failing(rig: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _dossier(rig, tmp_path_factory.mktemp("failing"), fail=True)


@pytest.fixture(scope="module")
def passing(rig: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _dossier(rig, tmp_path_factory.mktemp("passing"), fail=False)


def _pages(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _html_text(page: str) -> str:
    return _flat(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_page_1_names_the_standard_the_clauses_and_the_responsible_party(failing: Path) -> None:
    page1 = _flat(_pages(failing / "dossier.pdf")[0])
    assert "Standard and class FCC Part 15B, Class B" in page1
    assert f"Judged against (limit tables) {CLAUSES[0]} {CLAUSES[1]}" in page1
    assert "Responsible party (47 CFR 2.1077(a)(3)) Party, 1 Road" in page1
    page = _html_text((failing / "dossier.html").read_text(encoding="utf-8"))
    assert "Standard and class FCC Part 15B, Class B" in page
    assert f"Judged against (limit tables) {CLAUSES[0]} {CLAUSES[1]}" in page
    assert "Responsible party (47 CFR 2.1077(a)(3)) Party, 1 Road" in page


def test_page_1_names_the_clauses_when_the_setup_states_no_standard(
    rig: ModuleType, tmp_path: Path
) -> None:
    record = rig.COMPLETE_RECORD.split("[compliance.responsible_party]")[0]
    unit = _dossier(rig, tmp_path, fail=True, record=record)
    page1 = _flat(_pages(unit / "dossier.pdf")[0])
    assert "Standard and class Class B" in page1  # the [dut] class; no [test] standard
    assert f"Judged against (limit tables) {CLAUSES[0]} {CLAUSES[1]}" in page1
    assert "Responsible party (47 CFR" not in page1  # not stated: its row is the checklist's


def test_a_failing_units_declarations_are_framed_not_valid_inside_their_boxes(
    failing: Path, passing: Path
) -> None:
    text = _flat("\n".join(_pages(failing / "dossier.pdf")))
    title = "NOT VALID FOR THIS UNIT: verdict FAIL"
    # the 2.1077 block, the label text and the 15.105 statement: each box opens and closes
    # with the title, the caveat and the statement inside
    assert text.count(title) == 6
    caveat = "CAVEAT: Measurement verdict FAIL: the measured data do not support this"
    assert re.search(f"{title} {caveat}.*?Supplier's Declaration.*?{title}", text)
    assert re.search(f"{title} {caveat}.*?Label text.*?{title}", text)
    assert re.search(f"{title} {caveat}.*?has been tested and found to comply.*?{title}", text)
    assert "NOT VALID" not in "\n".join(_pages(passing / "dossier.pdf"))


def test_every_dossier_page_says_page_n_of_m(failing: Path) -> None:
    pages = _pages(failing / "dossier.pdf")
    for i, text in enumerate(pages, 1):
        assert f"page {i} of {len(pages)}" in text, text


def test_the_html_carries_the_pdfs_issue_time(failing: Path) -> None:
    doc: dict[str, Any] = json.loads((failing / "dossier.json").read_text(encoding="utf-8"))
    page = (failing / "dossier.html").read_text(encoding="utf-8")
    assert f"<tr><td>Issued (UTC)</td><td>{doc['issued_utc']}</td></tr>" in page
    assert f"Issued (UTC)\n{doc['issued_utc']}" in _pages(failing / "dossier.pdf")[0]


@pytest.mark.parametrize(
    ("verdict", "complete"),
    [("INCOMPLETE", False), ("INCOMPLETE", True), ("FAIL", False), ("INCONCLUSIVE", True)],
)
def test_the_pdf_banner_has_the_colour_of_the_html_and_check_reports(
    verdict: str, complete: bool
) -> None:
    """An INCOMPLETE unit's PDF banner was amber (INCONCLUSIVE's colour); its HTML purple."""
    from reportlab.lib import colors

    from rfcheck.record.banner import Banner
    from rfcheck.record.pdf_sections import banner
    from rfcheck.report._common import STATE_COLOURS

    (cmd,) = banner(Banner(verdict, complete))._bkgrndcmds
    assert cmd[3] == colors.HexColor(STATE_COLOURS[verdict])


def test_lot_and_compare_pdfs_say_page_n_of_m(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[2] / "sample_captures" / "before_after"
    res = CliRunner().invoke(
        main,
        ["compare", str(samples / "rig_3m_V_before.csv"), str(samples / "rig_3m_V_after.csv")]
        + ["--setup", str(samples / "setup.toml"), "--report", "pdf", "--out", str(tmp_path)],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    pages = _pages(tmp_path / "compare.pdf")
    assert len(pages) > 1
    for i, text in enumerate(pages, 1):
        assert f"page {i} of {len(pages)}" in text, text


def test_the_page_count_canvas_numbers_every_page_with_the_total(tmp_path: Path) -> None:
    """The one helper behind every PDF's page numbers (check, dossier, lot, compare)."""
    from rfcheck.report.page_count import PageCountCanvas

    canvas = PageCountCanvas(str(tmp_path / "three.pdf"))
    for _ in range(3):
        canvas.drawString(100, 700, "body")
        canvas.showPage()
    canvas.save()
    pages = _pages(tmp_path / "three.pdf")
    assert [p.strip().splitlines()[-1] for p in pages] == [f"page {i} of 3" for i in (1, 2, 3)]


def test_a_photo_that_cannot_be_decoded_is_one_line_naming_it(
    rig: ModuleType, tmp_path: Path
) -> None:
    """It once read "cannot write OUT/unit: OSError" (exit 3 then too, naming no photo)."""
    rig.write_rig(tmp_path / "in")
    setup = rig.write_complete_setup(tmp_path / "setup.toml")
    photo = tmp_path / "photo.png"
    photo.write_bytes(photo.read_bytes()[:120])  # a PNG header, the pixels cut off
    res = CliRunner().invoke(
        main,
        ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(tmp_path / "out")],
    )
    assert res.exit_code == 3, res.output
    assert res.stderr == (
        f"rfcheck: error: {photo}: [[photo]] image cannot be decoded: image file is truncated\n"
    )


def test_the_html_final_table_scrolls_and_prints_and_captions_head_their_plots(
    failing: Path,
) -> None:
    page = (failing / "dossier.html").read_text(encoding="utf-8")
    tables = page[page.index("<h2>Final measurements</h2>") : page.index("<h2>Margin plots</h2>")]
    assert tables.count('<div class="wide"><table>') == tables.count("<table>") == 4
    assert "div.wide{overflow-x:auto" in page and "@media print{@page{size:landscape}" in page
    assert re.search(r"<figure><figcaption>L1</figcaption><img src=\"plot_L1.png\"", page)


def test_a_conducted_ports_pdf_final_table_has_no_empty_pk_column(failing: Path) -> None:
    text = _flat("\n".join(_pages(failing / "dossier.pdf")))
    finals = text[text.index("Final measurements") : text.index("Margin plots")]
    assert "PK: detector reading" not in finals.split(" H ")[0]  # L1 and L2: QP and AV only
    assert finals.count("QP: detector reading") == 4


def test_the_json_lists_the_inputs_the_pdf_manifest_and_the_html_list(failing: Path) -> None:
    """dossier.json kept its own list (no photos, paths from CWD)."""
    unit = json.loads((failing / "dossier.json").read_text("utf-8"))["units"][0]
    rows = [(i["role"], i["path"], i["sha256"]) for i in unit["inputs"]]
    page = (failing / "dossier.html").read_text("utf-8")
    inputs = page.split("<h2>Inputs</h2>", 1)[1].split("</table>", 1)[0]
    cells = [
        tuple(html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", tr))
        for tr in re.findall(r"<tr>(<td>.*?)</tr>", inputs)
    ]
    assert rows == cells
    roles = [r for r, _, _ in rows]
    assert {"photo", "plan", "limit"} <= set(roles)
    assert ("limit", "fcc-15.107-b.toml (shipped with rfcheck)") in [(r, p) for r, p, _ in rows]
    captures = [p for r, p, _ in rows if r == "capture"]
    assert len(captures) == 8 and all(p.startswith("in/") for p in captures)  # from the root
    manual = _flat(" ".join(_pages(failing / "dossier.pdf")))
    for _, path, sha in rows:  # each row on the printed manifest too
        assert _flat(path) in manual and sha[:16] in manual.replace(" ", "")


#: The 47 CFR 15.31(f)(1) re-expression of a Class A (10 m) radiated limit judged at 3 m.
REEXPRESSED = (
    "fcc-15.109-a: limit re-expressed from 10 m to the measurement distance 3 m by 47 CFR "
    "15.31(f)(1), 20 dB/decade: +10.46 dB at and above 30 MHz"
)


def test_the_record_says_a_10_m_limit_was_re_expressed_at_3_m(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A 3 m level beside the 10 m title read as a failure of the 10 m limit."""
    rig.write_rig(tmp_path / "in")
    text = rig.COMPLETE_RECORD.replace('tester = "T. Tester"', STANDARD)
    setup = rig.write_complete_setup(tmp_path / "setup.toml", text)
    setup.write_text(setup.read_text("utf-8").replace('class = "B"', 'class = "A"'), "utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    title = "fcc-15.109-a: FCC Part 15 Class A radiated limits @ 10 m (47 CFR 15.109(b))"
    page1 = _flat(_pages(out / "unit" / "dossier.pdf")[0])
    assert f"{title} {REEXPRESSED}" in page1
    page = _html_text((out / "unit" / "dossier.html").read_text(encoding="utf-8"))
    assert f"{title} {REEXPRESSED}" in page
    distance = (
        "Measurement distance 3 m (fcc-15.109-a: limits specified at 10 m, +10.46 dB at and "
        "above 30 MHz by 47 CFR 15.31(f)(1))"
    )
    assert distance in page
    assert distance in _flat(" ".join(_pages(out / "unit" / "dossier.pdf")))
    unit = json.loads((out / "unit" / "dossier.json").read_text("utf-8"))["units"][0]
    assert unit["limits"][1] == {
        "id": "fcc-15.109-a",
        "title": "FCC Part 15 Class A radiated limits @ 10 m (47 CFR 15.109(b)) "
        "[id suffix -a = Class A]",
        "port": "radiated",
        "distance_m": 10.0,
        "measurement_distance_m": 3.0,
        "distance_offset_db": 10.46,
        "distance_note": REEXPRESSED.split(": ", 1)[1],
    }
    assert (unit["limits"][0]["id"], unit["limits"][0]["distance_offset_db"]) == (
        "fcc-15.107-a",
        None,
    )


def test_a_limit_judged_at_its_own_distance_says_no_conversion(failing: Path) -> None:
    page1 = _flat(_pages(failing / "dossier.pdf")[0])
    assert f"{CLAUSES[1]} fcc-15.109-b: limit as specified at 3 m (no distance conversion)" in (
        page1
    )
    unit = json.loads((failing / "dossier.json").read_text("utf-8"))["units"][0]
    assert unit["limits"][1]["distance_offset_db"] == 0.0


def _pdf_and_html_page_1(unit: Path) -> tuple[str, str, str]:
    """Return the PDF's page 1, its checklist page (page 1 or 2) and the HTML page, flat."""
    pages = [_flat(p) for p in _pages(unit / "dossier.pdf")]
    checklist = next(p for p in pages if "Data showing compliance" in p)
    page = _html_text((unit / "dossier.html").read_text(encoding="utf-8"))
    return pages[0], checklist, page


def test_page_1_of_a_failing_unit_names_what_was_not_measured(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The "Decided by" row named the failing cell only; the 1-5 GHz gap was on page 3."""
    rig.write_rig(tmp_path / "in", skip=("H_1G-6G",), av_fail_l2_mhz=2.0)
    setup = rig.write_complete_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out)]
    )
    assert res.exit_code == 1, res.output
    page1, checklist, page = _pdf_and_html_page_1(out / "unit")
    decided = "Decided by L2 AV 0.15-30 MHz (fcc-15.107-b): -4.00 dB at"
    gap = "not measured: H AV, H PK 1000-5000 MHz"
    assert re.search(f"{re.escape(decided)} [0-9.]+ MHz \\(measured\\) {gap}", page1), page1
    assert re.search(
        f"Decided by: {re.escape(decided[11:])} [0-9.]+ MHz \\(measured\\) {gap}", page
    )
    assert f"(measured); {gap}" in checklist  # the checklist's data item
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    (data,) = [c for c in doc["checklist"] if c["item"] == "Data showing compliance"]
    assert data["note"].endswith(f"; {gap}")


def test_an_incomplete_units_page_1_names_each_gap_once(rig: ModuleType, tmp_path: Path) -> None:
    rig.write_rig(tmp_path / "in", skip=("H_1G-6G",))
    setup = rig.write_complete_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out)]
    )
    assert res.exit_code == 5, res.output
    page1, _, _ = _pdf_and_html_page_1(out / "unit")
    assert "H AV 1000-5000 MHz (fcc-15.109-b): not measured 1000-5000 MHz" in page1
    assert "not measured: H AV" not in page1


def test_the_unmeasured_line_groups_cells_and_caps_ranges_and_groups() -> None:
    from types import SimpleNamespace

    from rfcheck.frequency import MAX_RANGES_NAMED
    from rfcheck.product.cells import Cell, CellState
    from rfcheck.product.plan import PortKind, RequiredCell
    from rfcheck.product.summary import unmeasured_text

    def cell(port: str, line: str, missing: tuple[tuple[float, float], ...]) -> Cell:
        req = RequiredCell(port, PortKind.POLARISATION, "fcc-15.109-b", line, 1e9, 5e9, "")
        return Cell(req, CellState.MISSING, missing_hz=missing)

    gaps = tuple((1e9 + k * 1e8, 1e9 + k * 1e8 + 5e7) for k in range(MAX_RANGES_NAMED + 2))
    d = SimpleNamespace(
        cells=[cell("H", "AV", gaps), cell("H", "PK", gaps), cell("V", "AV", ((2e9, 5e9),))]
    )
    text = unmeasured_text(d)  # type: ignore[arg-type]
    assert text.startswith("not measured: H AV, H PK 1000-1050 MHz, 1100-1150 MHz")
    assert text.endswith("(+2 more); V AV 2000-5000 MHz")
    many = SimpleNamespace(
        cells=[cell(p, "AV", ((k * 1e9, k * 1e9 + 1e8),)) for k, p in enumerate("ABCDEF", 1)]
    )
    assert unmeasured_text(many).endswith(  # type: ignore[arg-type]
        "; D AV 4000-4100 MHz; and 2 more (see the completeness matrix)"
    )
    assert unmeasured_text(SimpleNamespace(cells=[])) == ""  # type: ignore[arg-type]
