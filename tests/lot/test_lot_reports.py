"""The ``rfcheck lot`` report files: provenance, report id, verdict banner, escaping.

Every input of a lot result (each capture of each unit, the setup, the limit tables) is in
``lot.json`` with its SHA-256, as ``check`` and ``dossier`` list theirs; the PDF and HTML carry the
same table and the report id; the lot verdict is a banner on page 1.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.report_id import InputFile, report_id

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

#: AV levels of five identical units at 1 and 2 MHz [dBµV]; at 2 MHz x̄ + k·S_n = 46.39 > 46:
#: FAIL (tests/lot/test_lot_cli.py works the numbers).
AT_1M = (36.0, 37.0, 38.0, 36.5, 37.5)
AT_2M = (42.0, 44.0, 46.0, 43.0, 45.0)


def _units(n: int = 5) -> dict[str, dict[float, float]]:
    out = {}
    for i in range(n):
        levels = {k * 100e3: 46.0 - 2.0 * k for k in range(2, 9)}
        levels.update({1e6: AT_1M[i], 2e6: AT_2M[i]})
        out[f"u{i + 1}"] = levels
    return out


def _lot(folder: Path, setup: Path, out: Path, formats: str) -> Any:
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup)]
    args += ["--report", formats, "--out", str(out)]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def hostile_lot(tmp_path: Path, lot_writer: LotWriter) -> tuple[Path, Path, Path]:
    """Write a failing lot in a folder whose name is markup; its reports in ``out``."""
    folder = tmp_path / "l<i>&'x"
    setup = lot_writer(folder, _units())
    out = tmp_path / "out"
    res = _lot(folder, setup, out, "json,html,pdf")
    assert res.exit_code == 1
    return folder, setup, out


def test_lot_json_lists_every_input_with_its_sha256(
    hostile_lot: tuple[Path, Path, Path],
) -> None:
    folder, setup, out = hostile_lot
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    inputs = doc["inputs"]
    captures = [(i["path"], i["sha256"]) for i in inputs if i["role"] == "capture"]
    expected = [(str(folder / f"u{n}_L1.csv"), _sha(folder / f"u{n}_L1.csv")) for n in range(1, 6)]
    assert captures == expected
    assert {"role": "setup", "path": str(setup), "sha256": _sha(setup)} in inputs
    limits = [i for i in inputs if i["role"] == "limit"]
    assert [i["path"] for i in limits] == ["rfcheck.limit_tables/fcc-15.107-b.toml"]
    assert all(set(i) == {"role", "path", "sha256"} for i in inputs)
    assert all(re.fullmatch("[0-9a-f]{64}", i["sha256"]) for i in inputs)


def test_lot_report_id_is_derived_from_inputs_settings_and_version(
    hostile_lot: tuple[Path, Path, Path],
) -> None:
    _, _, out = hostile_lot
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    files = [InputFile(path=i["path"], sha256=i["sha256"], role=i["role"]) for i in doc["inputs"]]
    again = report_id(files, doc["settings"], version=doc["rfcheck_version"])
    assert doc["report_id"] == again.as_dict()
    assert re.fullmatch("RFC-[0-9A-F]{20}", doc["report_id"]["id"])
    assert doc["settings"]["lot"] == {"golden": "u1", "window_db": 10.0, "level_threshold_db": 10.0}


def test_lot_report_id_changes_with_one_capture_byte(
    hostile_lot: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    folder, setup, out = hostile_lot
    before = json.loads((out / "lot.json").read_text(encoding="utf-8"))["report_id"]["id"]
    cap = folder / "u3_L1.csv"
    cap.write_text(cap.read_text(encoding="ascii") + "\n", encoding="ascii")
    out2 = tmp_path / "out2"
    assert _lot(folder, setup, out2, "json").exit_code == 1
    doc = json.loads((out2 / "lot.json").read_text(encoding="utf-8"))
    assert doc["report_id"]["id"] != before
    assert {"role": "capture", "path": str(cap), "sha256": _sha(cap)} in doc["inputs"]


def test_lot_html_has_the_provenance_table_escaped(
    hostile_lot: tuple[Path, Path, Path],
) -> None:
    folder, setup, out = hostile_lot
    page = (out / "lot.html").read_text(encoding="utf-8")
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    assert f"Report {doc['report_id']['id']}" in page
    for i in doc["inputs"]:
        assert f"<code>{i['sha256']}</code>" in page
    assert "<i>" not in page  # the folder name is text, never markup
    assert "l&lt;i&gt;&amp;&#x27;x/u1_L1.csv" in page
    banner = re.search(r'<div class="verdict (\w+)">(.*?)</div>', page)
    assert banner is not None
    assert banner.group(1) == "FAIL" and ".FAIL{background:#b3161b}" in page  # check's red
    assert '<div class="big">LOT VERDICT: FAIL (exit 1)' in banner.group(0)


def test_lot_and_compare_pages_share_the_check_reports_style_sheet(
    hostile_lot: tuple[Path, Path, Path],
) -> None:
    """lot/compare HTML had their own sans-serif sheet, and print cut long lines.

    One page skeleton (rfcheck.report.page): its CSP and style sheet, whose print rules wrap
    the text report's long lines rather than cut them at the page edge.
    """
    from rfcheck.report.page import CSP, CSS

    folder, setup, out = hostile_lot
    page = (out / "lot.html").read_text(encoding="utf-8")
    assert f"<style>{CSS}</style>" in page and CSP in page
    printed = CSS[CSS.index("@media print") :]
    assert "pre{white-space:pre-wrap;overflow-wrap:anywhere;overflow:visible}" in printed


def test_lot_pdf_has_the_verdict_banner_on_page_1_and_the_provenance(
    hostile_lot: tuple[Path, Path, Path],
) -> None:
    folder, setup, out = hostile_lot
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    reader = PdfReader(out / "lot.pdf")
    first = reader.pages[0].extract_text()
    assert "LOT VERDICT: FAIL (exit 1)" in first
    assert f"Report {doc['report_id']['id']}" in first
    assert "80/80 rule (CISPR TR 16-4-3) at" in first
    text = "".join(p.extract_text() for p in reader.pages)
    flat = re.sub(r"\s+", "", text)  # table cells wrap long hashes and paths
    for i in doc["inputs"]:
        assert i["sha256"] in flat
    assert re.sub(r"\s+", "", str(folder / "u1_L1.csv")) in flat  # markup printed as text
    assert "Provenance" in text


def test_lot_banner_names_the_unit_not_shown_identical(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    units = _units()
    units["u4"] = {k * 115e3: 46.0 - 2.0 * k for k in range(2, 9)} | {1e6: 36.5, 2e6: 40.0}
    for u in units.values():
        u[2e6] -= 3.0
    setup = lot_writer(tmp_path / "lot", units)
    out = tmp_path / "out"
    assert _lot(tmp_path / "lot", setup, out, "pdf").exit_code == 4
    first = re.sub(r"\s+", " ", PdfReader(out / "lot.pdf").pages[0].extract_text())
    assert "LOT VERDICT: INCONCLUSIVE (exit 4)" in first
    assert (
        "Not shown identical to the tested sample (47 CFR 2.906(b), 2.908), left out of the "
        "statistics: u4"
    ) in first


def test_banner_names_at_most_twelve_units() -> None:
    from rfcheck.lot.fingerprint import Difference
    from rfcheck.lot.results import LotResult, UnitResult
    from rfcheck.lot.verdict_text import lot_verdict_lines
    from rfcheck.outcome import Verdict

    def unit(name: str, identical: bool) -> UnitResult:
        diffs = () if identical else (Difference("L1", "new", 1e6, None, None, "new emission"),)
        return UnitResult(name, identical, diffs, Verdict.PASS, None, None)

    units = (unit("g", True),) + tuple(unit(f"n{i:02d}", False) for i in range(15))
    lines = lot_verdict_lines(LotResult("g", units, (), Verdict.INCONCLUSIVE))
    names = ", ".join(f"n{i:02d}" for i in range(12))
    assert lines[0].endswith(f"statistics: {names} and 3 more (15 in all)")
    assert lines[1] == (
        "Too few units for the 80/80 rule: 1 in the statistics (at least 3 needed): not a pass"
    )


def test_a_unit_margin_from_a_peak_only_capture_prints_as_a_bound(
    tmp_path: Path, lot_writer: LotWriter, csv_writer: Callable[..., Path]
) -> None:
    """u2 captured with peak only: its worst margin is a lower bound (``≥``) in every output."""
    folder = tmp_path / "lot"
    units = {f"u{i}": {1e6: 36.0 + i, 2e6: 40.0 + i} for i in range(1, 4)}
    setup = lot_writer(folder, units)
    csv_writer(folder / "u2_L1.csv", {"Peak": {f: v + 5.0 for f, v in units["u2"].items()}})
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup)]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 4
    lines = res.output.splitlines()
    # u2's peak 47.0 dBµV at 2 MHz against the 46.0 AV line: margin -1.0, an upper-bound level
    u2 = "   u2          MISSING   yes        INCONCLUSIVE     \u2265 -1.00 dB  2 MHz (L1)"
    assert u2 in lines
    assert "   u1          MISSING   golden     PASS               +5.00 dB  2 MHz (L1)" in lines
    out = tmp_path / "out"
    res = _lot(folder, setup, out, "json,csv")
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    assert [u["worst_bound"] for u in doc["units"]] == ["measured", "upper bound", "measured"]
    with (out / "lot_units.csv").open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    assert table[0][-12:-8] == ["worst_bound", "report_id", "ports", "identity"]
    assert [r[-12] for r in table[1:]] == ["measured", "upper bound", "measured"]


def test_both_lot_csvs_carry_the_report_id_of_lot_json_on_every_row(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    import csv
    import io

    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    out = tmp_path / "out"
    assert _lot(folder, setup, out, "json,csv").exit_code == 1
    rid = json.loads((out / "lot.json").read_text(encoding="utf-8"))["report_id"]["id"]
    for name, n_rows in (("lot_units.csv", 5), ("lot_statistics.csv", 5)):
        rows = list(csv.DictReader(io.StringIO((out / name).read_text(encoding="utf-8"))))
        assert len(rows) == n_rows, name
        assert {r["report_id"] for r in rows} == {rid}, name
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup), "-o", "csv"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.output == (out / "lot_statistics.csv").read_text(encoding="utf-8")


def test_plots_of_a_port_the_golden_unit_lacks_are_written(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """u3's capture is named ``u3_L1_rerun.csv``: port ``L1_rerun``, which u1 lacks.

    The port's plot looked up the golden unit's capture of it: KeyError, an internal error
    after the text report, and no PNG/SVG/PDF of any port.
    """
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    (folder / "u3_L1.csv").rename(folder / "u3_L1_rerun.csv")
    out = tmp_path / "out"
    res = _lot(folder, setup, out, "png,svg,pdf")
    # u3 lacks L1 and the others L1_rerun: missing data (INCOMPLETE), not another build
    assert res.exit_code == 5, res.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "lot.pdf",
        "lot_L1.png",
        "lot_L1.svg",
        "lot_L1_rerun.png",
        "lot_L1_rerun.svg",
    ]


def test_a_port_named_with_bytes_that_are_not_utf8_is_plotted(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """A Latin-1 file name gives a port with a lone surrogate; the SVG metadata refused it."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    new = os.path.join(os.fsencode(folder), b"u2_L1_M\xfcller.csv")
    os.rename(folder / "u2_L1.csv", new)
    out = tmp_path / "out"
    res = _lot(folder, setup, out, "svg,json")
    assert res.exit_code == 1, res.output
    assert (out / "lot_L1_M_ller.svg").stat().st_size > 0
    doc = json.loads((out / "lot.json").read_bytes().decode("utf-8"))
    assert any(c["path"] == os.fsdecode(new) for c in doc["settings"]["captures"])


def test_a_dollar_in_a_unit_name_is_drawn_as_written(tmp_path: Path, lot_writer: LotWriter) -> None:
    r"""The golden unit ``u$\frac$1`` is text in the plot's legend, not mathtext.

    matplotlib parsed it as math markup: the malformed ``$\frac$`` stopped the lot with an
    internal error (exit 3, no report), and ``u$x^2$02`` read ux²02.
    """
    from rfcheck.lot import run_lot
    from rfcheck.lot.plots import lot_figure
    from rfcheck.settings import load_setup

    golden = r"u$\frac$1"
    units = _units()
    units[golden] = units.pop("u1")
    folder = tmp_path / "lot"
    setup = lot_writer(folder, units)
    setup.write_text(setup.read_text().replace("u[0-9]+", "u[^_]+"), encoding="utf-8")
    out = tmp_path / "out"
    args = ["lot", str(folder), "--golden", golden, "--setup", str(setup)]
    res = CliRunner().invoke(main, [*args, "--report", "png,pdf", "--out", str(out)])
    assert res.exit_code == 1, res.output  # the lot of _units fails at 2 MHz
    assert sorted(p.name for p in out.iterdir()) == ["lot.pdf", "lot_L1.png"]
    fig = lot_figure(run_lot(folder, golden, load_setup(setup)), "L1")
    legends = [ax.get_legend() for ax in fig.axes]
    shown = [
        t for lg in legends if lg is not None for t in lg.get_texts() if golden in t.get_text()
    ]
    # drawn as the text it holds: the artist's text is the raw label, mathtext off
    assert [(t.get_text(), t.get_parse_math()) for t in shown] == [
        (f"{golden} (golden)", False)
    ] * 2  # QP and AV panels


def _titles(out: Path) -> tuple[str, list[str], str]:
    """Return the HTML <h1>, the PDF's lines of page 1 and its document title."""
    page = (out / "lot.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1>(.*?)</h1>", page)
    assert h1 is not None
    reader = PdfReader(out / "lot.pdf")
    lines = reader.pages[0].extract_text().splitlines()
    return h1.group(1), lines, str(reader.metadata.title if reader.metadata else "")


def test_lot_pdf_and_html_title_name_the_product_of_the_setups_dut(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    setup = lot_writer(tmp_path / "lot", _units())
    setup.write_text(
        setup.read_text(encoding="ascii")
        + '\n[dut]\nmanufacturer = "ACME <b>&"\nmodel = "W-3 \'x\'"\nserial = "SN1"\n',
        encoding="ascii",
    )
    out = tmp_path / "out"
    assert _lot(tmp_path / "lot", setup, out, "html,pdf").exit_code == 1
    h1, lines, meta = _titles(out)
    assert h1 == "rfcheck lot: ACME &lt;b&gt;&amp; W-3 &#x27;x&#x27; \u2014 golden unit u1"
    assert "<b>" not in (out / "lot.html").read_text(encoding="utf-8")  # text, never markup
    title = "rfcheck lot: ACME <b>& W-3 'x' \u2014 golden unit u1"
    assert meta == title and title in lines  # the PDF's title paragraph
    assert lines[0].startswith(f"{title} \u00b7 RFC-")  # the page header


def test_lot_title_without_dut_is_unchanged(tmp_path: Path, lot_writer: LotWriter) -> None:
    setup = lot_writer(tmp_path / "lot", _units())
    out = tmp_path / "out"
    assert _lot(tmp_path / "lot", setup, out, "html,pdf").exit_code == 1
    h1, lines, meta = _titles(out)
    assert h1 == meta == "rfcheck lot: golden unit u1" and meta in lines


def test_lot_title_with_only_a_model() -> None:
    from rfcheck.lot.files import lot_title

    assert lot_title("u2", {"model": " W-3 ", "manufacturer": ""}) == (
        "rfcheck lot: W-3 \u2014 golden unit u2"
    )
    assert lot_title("u2", {"serial": "SN1"}) == "rfcheck lot: golden unit u2"


def test_lot_reports_carry_their_issue_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lot_writer: LotWriter
) -> None:
    """'Issued (UTC)' in the PDF and HTML, the PDF's CreationDate, lot.json's ``issued_utc``.

    (the JSON had none.)

    The date is the run's (here SOURCE_DATE_EPOCH, 2025-11-20 09:00:00 UTC), not reportlab's
    invariant 2000-01-01.
    """
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763629200")
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    out = tmp_path / "out"
    assert _lot(folder, setup, out, "html,pdf,json").exit_code == 1
    doc = json.loads((out / "lot.json").read_text("utf-8"))
    assert doc["issued_utc"] == "2025-11-20T09:00:00Z"
    assert list(doc).index("issued_utc") == list(doc).index("report_id") + 1
    reader = PdfReader(out / "lot.pdf")
    assert "Issued (UTC) 2025-11-20T09:00:00Z" in reader.pages[0].extract_text()
    assert reader.metadata is not None
    assert str(reader.metadata.get("/CreationDate", "")).startswith("D:20251120090000")
    assert "<p>Issued (UTC) 2025-11-20T09:00:00Z</p>" in (out / "lot.html").read_text("utf-8")


def test_the_lot_plot_legend_names_each_colour_of_the_80_80_bars(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """A failing lot draws red bars: the legend lists them as FAIL, beside the PASS ones."""
    from rfcheck.lot import run_lot
    from rfcheck.lot.plots import lot_figure
    from rfcheck.settings import load_setup

    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    result = run_lot(folder, "u1", load_setup(setup))
    legends = [ax.get_legend() for ax in lot_figure(result, "L1").axes]
    labels = [str(t.get_text()) for lg in legends if lg is not None for t in lg.get_texts()]
    assert "80/80 value (x̄ + k·Sₙ): FAIL" in labels  # at 2 MHz: 44 + 1.52 × 1.58 > 46
    assert "80/80 value (x̄ + k·Sₙ): PASS" in labels


def test_a_margin_a_hair_over_the_limit_reads_over_never_zero() -> None:
    """Rounding never moves a margin across the limit (docs/verdict.md, "Rounded margins")."""
    from rfcheck.lot._text import _margin
    from rfcheck.lot.compare_render import _under
    from rfcheck.outcome import Bound

    assert _under(-4e-8, "QP", Bound.MEASURED) == "now 0.01 dB over the QP limit"
    assert _margin(-4e-8, Bound.MEASURED) == "-0.01"
    assert _margin(-0.0, Bound.MEASURED) == "+0.00"


def test_an_inconclusive_statistics_row_fits_its_pdf_line(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    """Each INCONCLUSIVE verdict of the statistics table wrapped onto its own line.

    u4 has only a peak trace: every row is bounds only (INCONCLUSIVE, 120 characters wide),
    over the 118 the PDF wrapped at; the text frame holds 128 characters of its monospace.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from rfcheck.lot.pdf import MONO_PT, PDF_WIDTH_CHARS
    from rfcheck.report.fonts import MONO, register_fonts

    register_fonts()
    assert stringWidth("0" * PDF_WIDTH_CHARS, MONO, MONO_PT) <= A4[0] - 36 * mm
    folder = tmp_path / "lot"
    for i in range(1, 5):
        av = {1e6: 42.0 + 0.3 * i}
        cols = {"Peak": {f: v + 5.0 for f, v in av.items()}}
        if i != 4:
            cols |= {"QP": {f: v + 3.0 for f, v in av.items()}, "CAVG": dict(av)}
        csv_writer(folder / f"u{i}_L1.csv", cols)
    setup = folder / "setup.toml"
    setup.write_text(
        '[[rule]]\nmatch = "*"\nlimits = ["fcc-15.107-b"]\n\n'
        '[batch]\ngroup_pattern = "^(?P<unit>u[0-9]+)_"\n',
        encoding="ascii",
    )
    out = tmp_path / "out"
    assert _lot(folder, setup, out, "pdf").exit_code == 4
    lines = [
        " ".join(ln.split())
        for page in PdfReader(out / "lot.pdf").pages
        for ln in (page.extract_text() or "").splitlines()
    ]
    rows = [ln for ln in lines if ln.startswith("L1 fcc-15.107-b ")]
    assert len(rows) == 2 and all(ln.endswith(" - INCONCLUSIVE") for ln in rows), rows
    assert "INCONCLUSIVE" not in lines  # no verdict on a line of its own
