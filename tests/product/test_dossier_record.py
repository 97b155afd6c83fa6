"""The dossier as a customs file.

Record tables in the setup, page 1, findings, report ids, the PDF's attachments, fonts and
paper, and ``rfcheck verify`` re-judging.
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
from pypdf.generic import DictionaryObject

from rfcheck.cli import main

#: A record with everything but the responsible party, and a LISN whose calibration
#: fell due the day before the second test date.
RECORD = """
[test]
dates = [2025-11-12, 2025-11-13]
operating_mode = "full load"
configuration = "table top"
modifications = "none"
tester = "T. Tester"
revision = 3

[lab]
name = "Test Lab (fictional)"
ownership_statement = "not owned by a prohibited entity"

[[equipment]]
type = "LISN"
manufacturer = "Example"
model = "LN-50"
serial = "L-77"
cal_date = 2024-11-12
cal_due = 2025-11-12

[compliance]
authorization = "sdoc"
label_text = "This device complies with part 15 of the FCC Rules."
"""


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _make(rig: ModuleType, tmp: Path, *, distance: str = "3", paper: str = "letter") -> Path:
    """Run the dossier on the hand-built rig with :data:`RECORD`; return the run's folder.

    The folder holds ``in/`` captures, ``setup.toml`` and ``out/unit/dossier.*``.
    """
    rig.write_rig(tmp / "in")
    setup = rig.write_setup(tmp / "setup.toml", RECORD)
    if distance != "3":
        setup.write_text(setup.read_text().replace("distance_m = 3", f"distance_m = {distance}"))
    res = _run(
        "dossier",
        str(tmp / "in"),
        "--setup",
        str(setup),
        "--out",
        str(tmp / "out"),
        "--jobs",
        "1",
        "--paper",
        paper,
        "--format",
        "json,pdf",
    )
    assert res.exit_code in (0, 1, 5), res.output
    return tmp


@pytest.fixture(scope="module")
def made(rig: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make(rig, tmp_path_factory.mktemp("record"))


def _doc(run: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        (run / "out" / "unit" / "dossier.json").read_text(encoding="utf-8")
    )
    return doc


def test_missing_responsible_party_is_listed_on_page_1(made: Path) -> None:
    page1 = PdfReader(str(made / "out" / "unit" / "dossier.pdf")).pages[0].extract_text()
    assert "record incomplete:" in page1
    line = page1[page1.index("record incomplete:") :].replace("\n", " ")
    assert "responsible party name" in line and "responsible party address" in line
    # the measurements pass: the banner shows both states, never a plain green PASS
    assert "PASS (measurements) · RECORD INCOMPLETE" in page1
    assert _doc(made)["record_incomplete"].startswith("record incomplete: ")


def test_calibration_due_before_a_test_date_is_a_finding(made: Path) -> None:
    doc = _doc(made)
    assert doc["verdict"] == "PASS"  # a finding does not change the measurement verdict
    assert doc["findings"][0] == {
        "kind": "calibration-overdue",
        "subject": "LISN: Example LN-50 s/n L-77",
        "message": "calibration due 2025-11-12 before test date 2025-11-13: "
        "LISN: Example LN-50 s/n L-77",
    }
    # the rig's capture headers name an instrument the equipment list lacks; its conducted
    # captures get no LISN factor (their levels are corrected already, unsaid)
    assert [f["kind"] for f in doc["findings"][1:]] == [
        "unlisted-instrument",
        "conducted-without-lisn-factor",
        "conducted-without-lisn-factor",
    ]
    assert doc["findings"][1]["subject"] == "Acme EMI-9000 s/n 1234"
    text = "\n".join(
        p.extract_text() for p in PdfReader(str(made / "out" / "unit" / "dossier.pdf")).pages
    )
    assert "calibration due 2025-11-12 before test date 2025-11-13" in text.replace("\n", " ")


def test_json_carries_report_id_record_checklist_and_findings(made: Path) -> None:
    doc = _doc(made)
    rid = doc["report_id"]
    assert rid["id"].startswith("RFC-") and rid["id"].endswith("-r3") and rid["revision"] == 3
    assert doc["record"]["lab"]["name"] == "Test Lab (fictional)"
    items = {i["clause"]: i["status"] for i in doc["checklist"]}
    assert items["2.1077(a)(3)"] == "missing"
    assert doc["units"][0]["unit"] == "unit"


def test_pdf_attachments_fonts_and_letter_paper(made: Path) -> None:
    pdf = PdfReader(str(made / "out" / "unit" / "dossier.pdf"))
    assert sorted(pdf.attachments) == ["dossier.json", "manifest.json", "summary.csv"]
    (attached,) = pdf.attachments["dossier.json"]
    assert attached == (made / "out" / "unit" / "dossier.json").read_bytes()
    (csv_text,) = pdf.attachments["summary.csv"]
    assert csv_text.decode().splitlines()[0].startswith("table,Port,Limit,Line")
    for page in pdf.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        fonts = resources.get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            assert desc is not None, font.get("/BaseFont")
            desc = desc.get_object()
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font[
                "/BaseFont"
            ]


def test_a4_paper_and_different_distance_give_another_report_id(
    made: Path, rig: ModuleType, tmp_path: Path
) -> None:
    other = _make(rig, tmp_path, distance="10", paper="a4")
    pdf = PdfReader(str(other / "out" / "unit" / "dossier.pdf"))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert _doc(other)["report_id"]["id"] != _doc(made)["report_id"]["id"]


def test_verify_untouched_passes_and_one_changed_byte_fails_naming_the_file(
    rig: ModuleType, tmp_path: Path, pdf_forgery: ModuleType
) -> None:
    run = _make(rig, tmp_path)
    pdf = str(run / "out" / "unit" / "dossier.pdf")
    res = _run("verify", pdf, "--inputs", str(run))
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[:2] == [
        "pages    as issued (their SHA-256 matches the one sealed in the manifest)",
        "page 1   shows PASS, the recorded verdict",
    ]
    assert "match    in/conducted/unit_L1_final.csv" in lines
    assert "match    setup.toml" in lines
    assert lines[-1] == "re-judged with the embedded settings: PASS, the recorded verdict stands"
    # page 1 edited after issue (its banner and verdict fact read FAIL): the pages give it away
    forged = pdf_forgery.edit_page_text(Path(pdf), run / "forged.pdf", b"(PASS", b"(FAIL")
    res = _run("verify", str(forged), "--inputs", str(run))
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[0].startswith("ALTERED  the record's pages differ from those it was issued with")
    assert lines[1] == "ALTERED  page 1 shows FAIL, not the recorded verdict PASS"
    assert lines[-2:] == [
        "re-judged with the embedded settings: PASS, the recorded verdict stands",
        "NOT AS ISSUED: this PDF's pages were altered after issue; do not rely on them",
    ]
    capture = run / "in" / "conducted" / "unit_L1_final.csv"
    data = bytearray(capture.read_bytes())
    data[-3] = ord("9") if data[-3] != ord("9") else ord("8")
    capture.write_bytes(bytes(data))
    res = _run("verify", pdf, "--inputs", str(run))
    assert res.exit_code == 1
    changed = [ln for ln in res.output.splitlines()[2:] if not ln.startswith("match ")]
    assert changed[0].startswith("DIFFERS  in/conducted/unit_L1_final.csv (expected sha256 ")
    assert res.output.splitlines()[-1] == "not re-judged: the inputs differ from the manifest"


def test_verify_judges_the_listed_captures_and_names_one_added_since(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A capture added after issue was judged, unnamed, and the verdict 'fell'."""
    run = _make(rig, tmp_path)
    final = run / "in" / "conducted" / "unit_L1_final.csv"
    lines = final.read_text(encoding="utf-8").splitlines()
    head = [ln for ln in lines if not ln[:1].isdigit()]
    rows = [ln.split(",") for ln in lines if ln[:1].isdigit()]
    loud = [",".join([r[0], *(f"{float(v) + 60:.2f}" for v in r[1:])]) for r in rows]
    (final.parent / "unit_L1_retest.csv").write_text("\n".join(head + loud) + "\n")
    res = _run("verify", str(run / "out" / "unit" / "dossier.pdf"), "--inputs", str(run))
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-2:] == [
        "NOT LISTED  in/conducted/unit_L1_retest.csv: a capture of the unit in the folder that "
        "the record was not judged from; not judged now (a new dossier run would judge it)",
        "re-judged with the embedded settings from the listed captures only: PASS, the "
        "recorded verdict stands",
    ]


def test_verify_says_when_the_verdict_no_longer_stands(rig: ModuleType, tmp_path: Path) -> None:
    """Same bytes, but the recorded verdict was another: re-judging finds the difference."""
    from rfcheck.record import Attachment, embed_attachments, parse_manifest, read_attachments

    run = _make(rig, tmp_path)
    pdf_path = run / "out" / "unit" / "dossier.pdf"
    manifest = json.loads(parse_manifest(read_attachments(pdf_path)["manifest.json"]).to_json())
    manifest["verdict"] = "FAIL"
    forged = run / "forged.pdf"
    forged.write_bytes(
        embed_attachments(
            pdf_path.read_bytes(), [Attachment("manifest.json", json.dumps(manifest).encode())]
        )
    )
    res = _run("verify", str(forged), "--inputs", str(run))
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[:2] == [
        "pages    as issued (their SHA-256 matches the one sealed in the manifest)",
        "ALTERED  page 1 shows PASS, not the recorded verdict FAIL",
    ]
    assert lines[-2:] == [
        "re-judged with the embedded settings: PASS, the recorded verdict (FAIL) does NOT stand",
        "NOT AS ISSUED: page 1 and the record embedded in this PDF disagree; "
        "one of them was altered after issue",
    ]


def test_a_capture_dated_outside_the_test_dates_is_a_finding(
    rig: ModuleType, tmp_path: Path
) -> None:
    rig.write_rig(tmp_path / "in")
    capture = tmp_path / "in" / "radiated" / "unit_H_30M-1G.csv"
    text = capture.read_text(encoding="utf-8")
    capture.write_text(text.replace("# rbw_hz:", "# timestamp: 2025-10-02\n# rbw_hz:", 1))
    setup = rig.write_setup(tmp_path / "setup.toml", RECORD)
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    dated = [f for f in doc["findings"] if f["kind"] == "capture-outside-test-dates"]
    name = "in/radiated/unit_H_30M-1G.csv"  # as the manifest names it
    assert dated == [
        {
            "kind": "capture-outside-test-dates",
            "subject": name,
            "message": f"{name} was recorded on 2025-10-02 (header timestamp "
            "'2025-10-02T00:00:00'), not one of the [test] dates (2025-11-12, 2025-11-13)",
        }
    ]
    pdf = PdfReader(str(out / "unit" / "dossier.pdf"))
    text = "".join("".join(p.extract_text().split()) for p in pdf.pages)
    assert "unit_H_30M-1G.csvwasrecordedon2025-10-02" in text
    # the cover names the one dated day and says the other captures carry none
    undated = len(list((tmp_path / "in").rglob("*.csv"))) - 1
    assert f"thisunit'scaptures:2025-10-02;{undated}capturesnotdatedintheirheaders" in text


#: The end of a capture-outside-test-dates finding under :data:`RECORD`.
_NOT_A_TEST_DAY = "not one of the [test] dates (2025-11-12, 2025-11-13)"


@pytest.mark.parametrize(
    ("stamp", "finding"),
    [
        # SigMF-style UTC: 02:03 on 11-14 UTC is 11-13 in the Americas, a test day
        ("2025-11-14T02:03:27Z", None),
        (
            "2025-11-15T02:03:27Z",
            "2025-11-15 UTC (header timestamp '2025-11-15T02:03:27+00:00'; the lab's local "
            "date is within one day of it)",
        ),
        # no time zone: the lab's clock, so a day off is off
        ("2025-11-14T02:03:27", "2025-11-14 (header timestamp '2025-11-14T02:03:27')"),
    ],
)
def test_a_utc_capture_date_within_one_day_of_a_test_date_is_not_a_finding(
    rig: ModuleType, tmp_path: Path, stamp: str, finding: str | None
) -> None:
    rig.write_rig(tmp_path / "in")
    capture = tmp_path / "in" / "radiated" / "unit_H_30M-1G.csv"
    text = capture.read_text(encoding="utf-8")
    capture.write_text(text.replace("# rbw_hz:", f"# timestamp: {stamp}\n# rbw_hz:", 1))
    setup = rig.write_setup(tmp_path / "setup.toml", RECORD)
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    dated = [f["message"] for f in doc["findings"] if f["kind"] == "capture-outside-test-dates"]
    expected = (
        []
        if finding is None
        else [f"in/radiated/unit_H_30M-1G.csv was recorded on {finding}, {_NOT_A_TEST_DAY}"]
    )
    assert dated == expected


def test_an_applied_transducer_missing_from_the_equipment_list_is_a_finding(
    rig: ModuleType, tmp_path: Path
) -> None:
    rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml", RECORD)  # equipment: one LISN
    conducted = 'port_regex = "_(?P<port>L1|L2)_"\n'
    text = setup.read_text(encoding="utf-8")
    setup.write_text(text.replace(conducted, conducted + "lisn = 0.3\ncable_loss = [0.2]\n", 1))
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    assert [f for f in doc["findings"] if f["kind"] == "unlisted-transducer"] == [
        {
            "kind": "unlisted-transducer",
            "subject": "cable",
            "message": "the setup applies cable_loss (0.2 dB) but no [[equipment]] item is a "
            "cable (no type names any of: cable)",
        }
    ]  # the LISN it applies is listed


def _issued_run(rig: ModuleType, tmp: Path, env: dict[str, str]) -> tuple[Any, Path]:
    if not (tmp / "in").exists():
        rig.write_rig(tmp / "in")
    setup = rig.write_setup(tmp / "setup.toml", RECORD)
    out = tmp / f"out{len(list(tmp.glob('out*')))}"
    args = ["dossier", str(tmp / "in"), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False), out / "unit"


def test_the_record_carries_its_issue_date_and_source_date_epoch_fixes_it(
    rig: ModuleType, tmp_path: Path
) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14T22:13:20Z
    res, unit = _issued_run(rig, tmp_path, env)
    assert res.exit_code == 0, res.output
    doc = json.loads((unit / "dossier.json").read_text(encoding="utf-8"))
    assert doc["issued_utc"] == "2023-11-14T22:13:20Z"
    pdf = PdfReader(str(unit / "dossier.pdf"))
    info = pdf.metadata
    assert info is not None
    assert (info["/CreationDate"], info["/ModDate"]) == ("D:20231114221320+00'00'",) * 2
    page1 = " ".join(pdf.pages[0].extract_text().split())
    assert "Issued (UTC) 2023-11-14T22:13:20Z" in page1
    again, unit2 = _issued_run(rig, tmp_path, env)  # the same inputs and date: the same bytes
    assert again.exit_code == 0
    assert (unit2 / "dossier.pdf").read_bytes() == (unit / "dossier.pdf").read_bytes()
    verify = _run("verify", str(unit / "dossier.pdf"), "--inputs", str(tmp_path))
    assert verify.exit_code == 0, verify.output


def test_without_source_date_epoch_the_record_is_issued_now(
    rig: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    res, unit = _issued_run(rig, tmp_path, {})
    after = dt.datetime.now(dt.UTC)
    assert res.exit_code == 0, res.output
    issued_text = json.loads((unit / "dossier.json").read_text(encoding="utf-8"))["issued_utc"]
    issued = dt.datetime.strptime(issued_text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert before <= issued <= after
    info = PdfReader(str(unit / "dossier.pdf")).metadata
    assert info is not None
    assert info["/CreationDate"] == issued.strftime("D:%Y%m%d%H%M%S+00'00'")


def test_an_invalid_source_date_epoch_is_refused_before_any_judging(
    rig: ModuleType, tmp_path: Path
) -> None:
    res, unit = _issued_run(rig, tmp_path, {"SOURCE_DATE_EPOCH": "soon"})
    assert res.exit_code == 2
    assert res.output.splitlines()[-1] == (
        "Error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC "
        "(0 .. 253402300799), got 'soon'"
    )
    assert not unit.parent.exists()


def test_malformed_record_table_is_a_setup_error_naming_the_setup(
    rig: ModuleType, tmp_path: Path
) -> None:
    rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml", '\n[lab]\nnmae = "typo"\n')
    res = CliRunner().invoke(
        main, ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(tmp_path / "o")]
    )
    assert res.exit_code == 3
    (line,) = res.output.splitlines()
    assert line.startswith(f"rfcheck: error: {setup}: ") and "nmae" in line
    assert not (tmp_path / "o").exists()


def _unit(cells: tuple[Any, ...], ports: tuple[Any, ...], errors: tuple[Any, ...] = ()) -> Any:
    from rfcheck.product.dossier import UnitDossier
    from rfcheck.product.plan import TestPlan, load_plan_rules

    plan = TestPlan(
        "fcc-part15b", "B", ("L1", "L2"), ("H", "V"), 3.0, 700e6, load_plan_rules("fcc-part15b")
    )
    return UnitDossier("rig", plan, cells, (), ports, errors)


def test_data_shown_names_what_decides_the_verdict() -> None:
    """The checklist's data item: unmeasured ports, deciding cells (four, then a count)."""
    from rfcheck.outcome import Bound
    from rfcheck.product.cells import Cell, CellState
    from rfcheck.product.dossier import PortResult
    from rfcheck.product.plan import PortKind, RequiredCell
    from rfcheck.product.record import data_shown
    from rfcheck.record import DataShown
    from rfcheck.results import ErrorRecord

    def req(port: str, lo: float) -> RequiredCell:
        return RequiredCell(port, PortKind.POLARISATION, "fcc-15.109-b", "QP", lo, 1e9, "15.109")

    ports = (PortResult("H", ("h.csv",), None), PortResult("L2", (), None))
    passing = Cell(req("H", 30e6), CellState.PASS, 2.0, 100e6, Bound.MEASURED)
    assert data_shown(_unit((passing,), ports)) == DataShown("PASS")
    l2 = Cell(req("L2", 30e6), CellState.MISSING, missing_hz=((30e6, 1e9),))
    part = Cell(req("H", 30e6), CellState.MISSING, missing_hz=((500e6, 1e9),))
    assert data_shown(_unit((l2, part), ports)) == DataShown(
        "INCOMPLETE", "L2 not measured (no capture); H QP 30-1000 MHz: not measured 500-1000 MHz"
    )
    undecided = tuple(
        Cell(req("H", 30e6 + i), CellState.INCONCLUSIVE, -1.0, 375e6, Bound.UPPER) for i in range(5)
    )
    shown = data_shown(_unit((l2, *undecided), ports))
    assert shown.verdict == "INCONCLUSIVE"
    first = "H QP 30-1000 MHz: \u2265 -1.00 dB at 375 MHz (upper bound)"  # a peak level: at least
    assert shown.detail.split("; ")[0] == first
    # the undecided cells (four, then a count), then what was not measured (L2: no capture)
    assert shown.detail.endswith(
        "; and 1 more (see the completeness matrix); not measured: L2 QP 30-1000 MHz"
    )
    errored = data_shown(_unit((passing,), ports, (ErrorRecord("x.csv", "unreadable"),)))
    assert errored == DataShown("ERROR", "1 capture could not be used (see the error rows)")


def _html_run(rig: ModuleType, tmp: Path, *, av_fail_l2_mhz: float | None = None) -> Path:
    """Run the dossier (HTML, JSON, PDF) on the rig with :data:`RECORD`; return ``out/unit``.

    The captures name their instrument with markup (``<b>EMI</b> & "Co"``), so its
    unlisted-instrument finding carries untrusted text.
    """
    rig.write_rig(tmp / "in", av_fail_l2_mhz=av_fail_l2_mhz)
    for capture in (tmp / "in").rglob("*.csv"):
        text = capture.read_text(encoding="utf-8")
        capture.write_text(text.replace("Acme EMI-9000", 'Acme <b>EMI</b> & "Co"'))
    setup = rig.write_setup(tmp / "setup.toml", RECORD)
    res = _run("dossier", str(tmp / "in"), "--setup", str(setup), "--out", str(tmp / "out"))
    assert res.exit_code == (0 if av_fail_l2_mhz is None else 1), res.output
    return tmp / "out" / "unit"


def _banner_html(page: str) -> str:
    start = page.index('<div class="banner')
    return page[start : page.index("</div>", start) + len("</div>")]


def test_the_html_carries_the_pdfs_banner_findings_and_missing_items(
    rig: ModuleType, tmp_path: Path
) -> None:
    """dossier.html once had no findings, no count and a plain PASS banner (the PDF: amber)."""
    unit = _html_run(rig, tmp_path)
    page = (unit / "dossier.html").read_text(encoding="utf-8")
    doc = json.loads((unit / "dossier.json").read_text(encoding="utf-8"))
    page1 = PdfReader(str(unit / "dossier.pdf")).pages[0].extract_text()
    assert "PASS (measurements) · RECORD INCOMPLETE" in page1
    assert _banner_html(page) == (
        '<div class="banner PASS record-incomplete">PASS (measurements) · RECORD INCOMPLETE</div>'
    )
    assert ".banner.record-incomplete{background:#b86e00}" in page  # the PDF's amber
    assert doc["record_incomplete"].startswith("record incomplete: measurement procedure, ")
    assert f'<p class="incomplete">{html.escape(doc["record_incomplete"])}</p>' in page
    assert "<tr><td>Record findings</td><td>4 (see the findings section)</td></tr>" in page
    assert "Record findings\n4 (see the findings section)" in page1
    findings = page[page.index("<h2>Record findings</h2>") : page.index("<h2>Inputs</h2>")]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", findings)
    assert rows == [(f["kind"], html.escape(f["message"])) for f in doc["findings"]]
    assert [f["kind"] for f in doc["findings"]] == [
        "calibration-overdue",
        "unlisted-instrument",
        "conducted-without-lisn-factor",  # L1, L2: the rig's setup applies no LISN factor
        "conducted-without-lisn-factor",
    ]
    assert "instrument Acme &lt;b&gt;EMI&lt;/b&gt; &amp; &quot;Co&quot;" in findings
    assert "<b>EMI</b>" not in page


def test_the_html_banner_of_a_fail_says_the_record_is_incomplete(
    rig: ModuleType, tmp_path: Path
) -> None:
    unit = _html_run(rig, tmp_path, av_fail_l2_mhz=2.0)  # AV 50 dBµV, limit 46
    page = (unit / "dossier.html").read_text(encoding="utf-8")
    page1 = PdfReader(str(unit / "dossier.pdf")).pages[0].extract_text()
    assert "FAIL · RECORD INCOMPLETE" in page1
    assert _banner_html(page) == '<div class="banner FAIL">FAIL · RECORD INCOMPLETE</div>'


def test_one_serial_for_two_units_is_refused_before_any_judging(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Two records once each claimed serial S-1 for different units' data (exit 0)."""
    root = tmp_path / "in"
    rig.write_rig(root / "a", unit="rigA")
    rig.write_rig(root / "b", unit="rigB")
    setup = rig.write_setup(
        tmp_path / "setup.toml",
        '[batch]\ngroup_pattern = "^(?P<unit>[A-Za-z]+)_"\n\n'
        '[dut.serials]\nrigA = "S-1"\nrigB = " s-1"\n',
    )
    out = tmp_path / "out"
    for extra in ((), ("--dry-run",)):
        res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), *extra)
        assert res.exit_code == 3, res.output
        assert res.stdout == ""
        assert res.stderr == (
            f"rfcheck: error: {setup}: [dut.serials]: serial S-1 is given to units rigA, rigB: "
            "each unit's record states its own serial; give each unit the serial of the device "
            "it measured\n"
        )
    assert not out.exists()


def test_entry_models_without_the_tested_model_warn_and_are_a_finding(
    rig: ModuleType, tmp_path: Path
) -> None:
    rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(
        tmp_path / "setup.toml", RECORD + '\n[entry]\nentry_number = "E-1"\nmodels = ["Other"]\n'
    )
    args = ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(tmp_path / "o")]
    res = _run(*args, "--jobs", "1", "--format", "json,pdf")
    message = (
        "the entry sheet's models (Other) do not include the tested model Test rig ([dut] "
        "model): this record shows no data for them"
    )
    assert f"rfcheck: warning: {message}\n" in res.stderr
    doc = json.loads((tmp_path / "o" / "unit" / "dossier.json").read_text(encoding="utf-8"))
    assert {"kind": "entry-model-not-tested", "subject": "[entry] models", "message": message} in (
        doc["findings"]
    )
    text = "".join(
        p.extract_text() for p in PdfReader(tmp_path / "o" / "unit" / "dossier.pdf").pages
    )
    assert "Models warning" in text


def test_every_value_printed_missing_is_listed_on_page_1(made: Path) -> None:
    """[lab] site and fcc_registration once printed MISSING on page 8 but not on page 1.

    Optional values (no checklist item) print ``not stated``; every MISSING the PDF prints is
    a checklist item's, listed in the cover's ``record incomplete`` line.
    """
    pages = PdfReader(str(made / "out" / "unit" / "dossier.pdf")).pages
    text = "\n".join(p.extract_text() for p in pages)
    for label in ("Address", "Site", "FCC test-firm designation", "FCC registration number"):
        assert re.search(rf"^{re.escape(label)}\s*not stated$", text, re.M), label
    flat = " ".join(text.split())
    assert "MISSING" not in flat[flat.index("Laboratory Name") : flat.index("Ownership")]
    listed = _doc(made)["record_incomplete"]
    for printed, item in (  # each MISSING this record prints, and its entry on page 1
        ("Serial MISSING", "EUT serial"),
        ("Procedure MISSING: 15.31(a)(4)", "measurement procedure"),
        ("MISSING: support equipment not declared", "support equipment (or 'none')"),
        ("MISSING: no [[cable]] list", "cable list"),
        ("MISSING: no setup photos", "photo of the highest conducted emission setup"),
        ("Responsible party: MISSING", "responsible party name"),
    ):
        assert printed in flat, printed
        assert item in listed, item
    # the six above (the procedure on the cover and the test page, the serial on the cover and
    # in the device table), 2.1077's address and contact, and the signature's responsible
    # party name: nothing else prints MISSING
    assert flat.count("MISSING") == 11


def test_a_conducted_test_with_no_lisn_listed_is_a_finding(rig: ModuleType, tmp_path: Path) -> None:
    rig.write_rig(tmp_path / "in")
    no_lisn = RECORD.replace('type = "LISN"', 'type = "EMI receiver"')
    setup = rig.write_setup(tmp_path / "setup.toml", no_lisn)
    args = ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(tmp_path / "o")]
    assert _run(*args, "--jobs", "1", "--format", "json").exit_code == 0
    doc = json.loads((tmp_path / "o" / "unit" / "dossier.json").read_text(encoding="utf-8"))
    assert {
        "kind": "conducted-without-lisn",
        "subject": "LISN",
        "message": "conducted emissions were measured (L1, L2) but no [[equipment]] item is a "
        "LISN (no type names any of: lisn, line impedance stabilization, line impedance "
        "stabilisation, artificial mains network, amn, v-network); 47 CFR 15.107 limits are "
        "measured with a 50 µH / 50 Ω LISN and 15.31(b) asks for the equipment actually used",
    } in doc["findings"]
    assert "conducted-without-lisn" not in {f["kind"] for f in _doc_of(tmp_path, RECORD, rig)}
    # hyphens and spaces alike ('artificial-mains network' was once not taken for a LISN)
    hyphen = RECORD.replace('type = "LISN"', 'type = "Artificial-mains  network"')
    assert "conducted-without-lisn" not in {f["kind"] for f in _doc_of(tmp_path, hyphen, rig)}


def _doc_of(tmp: Path, record: str, rig: ModuleType) -> list[dict[str, Any]]:
    setup = rig.write_setup(tmp / "setup2.toml", record)
    args = ["dossier", str(tmp / "in"), "--setup", str(setup), "--out", str(tmp / "o2")]
    assert _run(*args, "--jobs", "1", "--format", "json").exit_code == 0
    doc = json.loads((tmp / "o2" / "unit" / "dossier.json").read_text(encoding="utf-8"))
    return list(doc["findings"])


def test_an_instrument_missing_from_the_equipment_list_leaves_item_b3_missing(
    rig: ModuleType, tmp_path: Path
) -> None:
    """An unlisted instrument that made every capture once left 2.938(b)(3) "present".

    With the banner green and "complete: every item present"; 15.31(b) asks
    for the list of the test equipment actually used, so the list lacks an item.
    """
    rig.write_rig(tmp_path / "in")
    listed = "\n[[equipment]]\n" + rig.COMPLETE_RECORD.split("[[equipment]]\n")[1]
    setup = rig.write_complete_setup(
        tmp_path / "setup.toml", rig.COMPLETE_RECORD.replace(listed, "\n")
    )
    assert 'model = "EMI-9000"' not in setup.read_text("utf-8")
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 0, res.output  # the measurements pass: a record gap is no FAIL
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    b3 = next(i for i in doc["checklist"] if i["clause"] == "2.938(b)(3)")
    gap = "equipment list entry for Acme EMI-9000 s/n 1234 (named in a capture header)"
    assert (b3["status"], b3["missing"]) == ("missing", [gap])
    assert doc["record_incomplete"] == f"record incomplete: {gap}"
    page1 = PdfReader(str(out / "unit" / "dossier.pdf")).pages[0].extract_text()
    page1 = " ".join(page1.split())
    assert "PASS (measurements) · RECORD INCOMPLETE" in page1
    assert "complete: every item present" not in page1
    html_text = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert f"record incomplete: {gap}" in html_text


def test_a_class_b_title_and_declaration_on_class_a_limits_are_findings(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A "Class B test record" judged against the Class A limits once passed unremarked.

    Both texts are findings; the Class B declaration (which chooses the 15.105(b) statement)
    is a gap of the 15.105 item: the looser Class A limits do not show Class B compliance.
    """
    rig.write_rig(tmp_path / "in")
    record = rig.COMPLETE_RECORD.replace(
        'tester = "T. Tester"', 'tester = "T. Tester"\nreport_title = "X: FCC Part 15 Class B"'
    ).replace('authorization = "sdoc"', 'authorization = "sdoc"\nclass = "B"')
    setup = rig.write_complete_setup(tmp_path / "setup.toml", record)
    setup.write_text(setup.read_text("utf-8").replace('class = "B"', 'class = "A"', 1), "utf-8")
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    assert doc["units"][0]["plan"]["class"] == "A"
    found = [f for f in doc["findings"] if f["kind"] == "class-not-judged"]
    assert [f["message"] for f in found] == [
        "[test] report_title 'X: FCC Part 15 Class B' states Class B, but the limits judged are "
        "Class A (fcc-15.107-a, fcc-15.109-a): the record shows Class A data only",
        "[compliance] class states Class B, but the limits judged are Class A (fcc-15.107-a, "
        "fcc-15.109-a): the record shows Class A data only",
    ]
    manual = next(i for i in doc["checklist"] if i["clause"] == "15.105")
    assert manual["missing"] == [
        "Class B data ([compliance] class B; only the Class A limits were judged)"
    ]
    assert "PASS (measurements) · RECORD INCOMPLETE" in " ".join(
        PdfReader(str(out / "unit" / "dossier.pdf")).pages[0].extract_text().split()
    )
