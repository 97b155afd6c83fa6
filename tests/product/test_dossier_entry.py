"""The entry cover sheet: one document per run for the entry its units were tested for.

Each unit's record once carried its own "entry cover sheet" with only its own serial and
verdict: two sheets for one entry, one of them reading INCOMPLETE while the other unit
FAILed, and no document for the whole shipment.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner, Result

from rfcheck.cli import main

#: Two units, rigA and rigB, each with its serial; the entry lists both as tested.
SETUP = """
[batch]
group_pattern = "^(?P<unit>[A-Za-z]+)_"

[dut.serials]
rigA = "S-1"
rigB = "S-2"

[entry]
entry_number = "{number}"
port_of_entry = "Los Angeles, CA (2704)"
import_condition = 1
quantity = 240
models = {models}{extra}
serials = ["S-1..S-240"]
tested_serials = {tested}
"""


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _dossier(
    rig: ModuleType,
    tmp: Path,
    *,
    a: dict[str, Any],
    b: dict[str, Any],
    tested: str = '["S-1", "S-2"]',
    number: str = "E-1",
    formats: str = "json,html,pdf",
    models: str = '["Test rig"]',
    extra: str = "",
) -> tuple[Result, Path]:
    root = tmp / "in"
    rig.write_rig(root, unit="rigA", **a)
    rig.write_rig(root, unit="rigB", **b)
    text = SETUP.format(number=number, tested=tested, models=models, extra=extra)
    setup = rig.write_setup(tmp / "setup.toml", text)
    out = tmp / "out"
    res = _run(
        "dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", formats,
        "--jobs", "1",
    )  # fmt: skip
    return res, out


def _entry(out: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / "entry.json").read_text(encoding="utf-8"))
    return doc


def _pdf_text(pdf: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())


#: rigA FAILs (an average point over the L2 limit); rigB has no L2 scan (INCOMPLETE).
FAIL = {"av_fail_l2_mhz": 2.0}
INCOMPLETE = {"skip": ("L2_prescan", "L2_final")}


@pytest.fixture(scope="module")
def fail_and_incomplete(
    rig: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Result, Path]:
    return _dossier(rig, tmp_path_factory.mktemp("entry"), a=FAIL, b=INCOMPLETE)


def test_one_entry_sheet_lists_both_units_and_fails_the_entry(
    fail_and_incomplete: tuple[Result, Path],
) -> None:
    res, out = fail_and_incomplete
    assert res.exit_code == 1, res.output
    doc = _entry(out)
    assert doc["verdict"] == "FAIL"
    assert doc["entry"]["entry_number"] == "E-1"
    assert doc["entry"]["quantity"] == 240
    rows = [(u["serial"], u["unit"], u["verdict"], u["record"]) for u in doc["units"]]
    assert rows == [
        ("S-1", "rigA", "FAIL", "rigA/dossier.pdf"),
        ("S-2", "rigB", "INCOMPLETE", "rigB/dossier.pdf"),
    ]
    ids = [
        json.loads((out / u / "dossier.json").read_text(encoding="utf-8"))["report_id"]["id"]
        for u in ("rigA", "rigB")
    ]
    assert [u["report_id"] for u in doc["units"]] == ids
    assert {u["model"] for u in doc["units"]} == {"Test rig"}
    # what the PDF names besides: the setup states no dates or accreditation
    assert (doc["standard_and_class"], doc["test_dates"], doc["lab_accreditation"]) == (
        "Class B", [], None,
    )  # fmt: skip
    assert doc["units"][1]["decided_by"].startswith("not measured: L2 QP 0.15-30 MHz")
    # written once, at the run's top level, in each format asked for; summary.json names it
    assert sorted(p.name for p in out.glob("entry.*")) == ["entry.html", "entry.json", "entry.pdf"]
    assert not list(out.glob("*/entry.*"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["entry"]["verdict"] == "FAIL"
    assert summary["entry"]["files"] == ["entry.json", "entry.html", "entry.pdf"]
    assert "entry E-1: FAIL (S-1 FAIL, S-2 INCOMPLETE)\n" in res.stdout
    assert f"  cover sheet: {(out / 'entry.pdf').as_posix()}\n" in res.stdout


def test_entry_pdf_puts_both_serials_side_by_side_with_the_entry_verdict(
    fail_and_incomplete: tuple[Result, Path],
) -> None:
    _, out = fail_and_incomplete
    text = _pdf_text(out / "entry.pdf")
    assert "Entry E-1: cover sheet" in text
    assert "Entry measurement verdict: FAIL" in text
    assert text.index("S-1 rigA") < text.index("S-2 rigB"), text
    assert "rigA/dossier.pdf" in text and "rigB/dossier.pdf" in text
    # the import condition declares compliance: the entry's FAIL is its caveat
    assert "CAVEAT: Measurement verdict FAIL" in text
    # the rules and the days of testing, stated or said missing
    assert "Standard and class Class B; judged against 47 CFR 15.107(a), 47 CFR 15.109(a)" in text
    assert "Dates of testing not stated in the setup ([test] dates)" in text
    unit_cover = _pdf_text(out / "rigA" / "dossier.pdf").split("Report id")[0]
    assert "Authorization not stated in the setup ([compliance] authorization)" in unit_cover
    # the records it rests on, hashed; the manifest attached: verify re-checks them
    assert "rigA/dossier.pdf" in text.split("Records this sheet rests on")[1]
    res = _run("verify", str(out / "entry.pdf"), "--inputs", str(out))
    assert res.exit_code == 0, res.output
    # given another folder, every unit record is MISSING: the line says where they are, and
    # the PDF alone is as issued: exit 5, the measurements not checked (not 1, altered)
    res = _run("verify", str(out / "entry.pdf"), "--inputs", str(out.parent))
    assert res.exit_code == 5
    assert (
        f"no input found under {out.parent}: an entry sheet's inputs are the unit records "
        f"beside it: --inputs {out}"
    ) in res.output.splitlines()


def test_each_unit_record_points_to_the_entry_sheet_and_claims_no_entry_verdict(
    fail_and_incomplete: tuple[Result, Path],
) -> None:
    """A unit's page once read "Serials tested S-2 ... Measurement verdict INCOMPLETE"."""
    _, out = fail_and_incomplete
    for unit, serial, verdict in (("rigA", "S-1", "FAIL"), ("rigB", "S-2", "INCOMPLETE")):
        text = _pdf_text(out / unit / "dossier.pdf")
        part = text[text.index("Entry (47 CFR 2.1203, 2.1204(a)): this unit's part") :]
        part = part[: part.index("Record findings")]
        assert f"This record covers one unit ({serial}) tested for entry E-1." in part
        assert "The entry's cover sheet is entry.pdf in the dossier's output folder" in part
        assert f"This unit's measurement verdict {verdict} (this unit only, not the entry's)" in (
            part
        )
        assert "Measurement verdict " + verdict not in part.replace("CAVEAT: Measurement", "")
        assert "Serials tested" not in part
        doc = json.loads((out / unit / "dossier.json").read_text(encoding="utf-8"))
        assert doc["record"]["entry"]["entry_document"] == "entry.pdf"
        page = (out / unit / "dossier.html").read_text(encoding="utf-8")
        assert "the entry&#x27;s cover sheet, with every tested unit and the entry&#x27;s " in page


def test_all_units_pass_gives_an_entry_pass(rig: ModuleType, tmp_path: Path) -> None:
    res, out = _dossier(rig, tmp_path, a={}, b={}, formats="json,pdf")
    assert res.exit_code == 0, res.output
    doc = _entry(out)
    assert doc["verdict"] == "PASS"
    assert [(u["serial"], u["verdict"]) for u in doc["units"]] == [("S-1", "PASS"), ("S-2", "PASS")]
    text = _pdf_text(out / "entry.pdf")
    assert "Entry measurement verdict: PASS" in text
    assert "CAVEAT" not in text


def test_a_listed_serial_with_no_captures_is_not_measured(rig: ModuleType, tmp_path: Path) -> None:
    """Both units PASS, but the setup says S-3 was tested too: the entry is INCOMPLETE."""
    res, out = _dossier(rig, tmp_path, a={}, b={}, tested='["S-1", "S-3", "S-2"]')
    assert res.exit_code == 5, res.output
    doc = _entry(out)
    assert doc["verdict"] == "INCOMPLETE"
    rows = [(u["serial"], u["unit"], u["verdict"], u["record"]) for u in doc["units"]]
    assert rows == [
        ("S-1", "rigA", "PASS", "rigA/dossier.pdf"),
        ("S-3", None, "INCOMPLETE", None),
        ("S-2", "rigB", "PASS", "rigB/dossier.pdf"),
    ]
    assert doc["units"][1]["decided_by"] == (
        "not measured: no unit of this run has this serial ([dut.serials])"
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["verdict"] == "PASS"  # the units' own
    assert summary["entry"]["serials_not_measured"] == ["S-3"]
    assert "entry E-1: INCOMPLETE (S-1 PASS, S-3 INCOMPLETE (not measured), S-2 PASS)" in (
        res.stdout
    )
    text = _pdf_text(out / "entry.pdf")
    assert "S-3 not in this run" in text


def test_a_unit_the_entry_does_not_list_still_counts(rig: ModuleType, tmp_path: Path) -> None:
    res, out = _dossier(rig, tmp_path, a={}, b=FAIL, tested='["S-1"]', formats="json")
    assert res.exit_code == 1, res.output
    doc = _entry(out)
    assert doc["verdict"] == "FAIL"
    assert [(u["serial"], u["verdict"]) for u in doc["units"]] == [("S-1", "PASS"), ("S-2", "FAIL")]
    assert doc["units"][1]["note"].startswith("not listed in [entry] tested_serials")
    assert doc["units"][1]["record"] == "rigB/dossier.json"


def test_a_hostile_entry_number_is_escaped(rig: ModuleType, tmp_path: Path) -> None:
    number = '<script>alert(1)</script>&"\u202e'
    res, out = _dossier(rig, tmp_path, a={}, b={}, number=number.replace('"', '\\"'))
    assert res.exit_code == 0, res.output
    page = (out / "entry.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;" in page
    assert "\u202e" not in page
    assert _entry(out)["entry"]["entry_number"] == number
    text = _pdf_text(out / "entry.pdf")
    assert "<script>alert(1)</script>&" in text  # printed, not interpreted


def test_no_entry_table_writes_no_entry_sheet(rig: ModuleType, tmp_path: Path) -> None:
    rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 0, res.output
    assert not list(out.glob("entry.*"))
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["entry"] is None
    assert "entry " not in res.stdout


def test_an_earlier_entry_sheet_not_written_again_is_stale(rig: ModuleType, tmp_path: Path) -> None:
    """A re-run without PDF keeps the earlier entry.pdf, and says it is not this run's."""
    res, out = _dossier(rig, tmp_path, a={}, b={}, formats="pdf")
    assert (out / "entry.pdf").is_file()
    setup, root = tmp_path / "setup.toml", tmp_path / "in"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", "json")
    assert res.exit_code == 0, res.output
    assert (out / "entry.pdf").is_file()  # deleted nothing
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "entry.pdf" in summary["stale"]
    assert summary["entry"]["files"] == ["entry.json"]
    assert "rfcheck: note: entry.pdf: an earlier run's entry cover sheet" in res.stderr
    # carried while it exists, never read as a unit's folder
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", "json")
    stale = json.loads((out / "summary.json").read_text(encoding="utf-8"))["stale"]
    assert stale == ["entry.pdf", "rigA/dossier.pdf", "rigB/dossier.pdf"]
    assert "rfcheck: note: entry.pdf: an earlier run's entry cover sheet" in res.stderr
    assert "entry.pdf/" not in res.stderr


def test_a_unit_whose_captures_are_another_units_says_so_on_the_entry_sheet() -> None:
    """Its row read only "not measured", hiding that its data were set aside."""
    from rfcheck.outcome import Verdict
    from rfcheck.product.entry import _decided_by
    from rfcheck.product.summary import UnitSummary

    s = UnitSummary(
        "hc3c", Verdict.INCOMPLETE, "hc3c", {"MISSING": 2}, ("L1 QP 0.15-30 MHz",), 0,
        shared=("lab/hc3c/hc3c_L1.DAT",),
    )  # fmt: skip
    assert _decided_by(s) == (
        "not measured: L1 QP 0.15-30 MHz; capture also filed under another unit or port, not used: "
        "lab/hc3c/hc3c_L1.DAT"
    )


def test_the_entry_sheet_names_what_a_fail_leaves_open() -> None:
    """The entry row names a FAIL unit's open cells and unused captures.

    It said "1 capture(s) could not be used" and nothing of the INCONCLUSIVE cell.
    """
    from rfcheck.outcome import Verdict
    from rfcheck.product.entry import _decided_by
    from rfcheck.product.summary import UnitSummary
    from rfcheck.results import ErrorRecord

    s = UnitSummary(
        "wgt", Verdict.FAIL, "wgt", {"FAIL": 1, "INCONCLUSIVE": 1}, (), 1,
        error_rows=(ErrorRecord("conducted/L1_broken.csv", "frequencies go backwards"),),
        deciding="H QP 30-1000 MHz: -0.98 dB at 300 MHz",
        still_open="still open: 1 INCONCLUSIVE cell: N AV 0.15-30 MHz (needs AV at 1 MHz)",
    )  # fmt: skip
    assert _decided_by(s) == (
        "H QP 30-1000 MHz: -0.98 dB at 300 MHz; still open: 1 INCONCLUSIVE cell: N AV "
        "0.15-30 MHz (needs AV at 1 MHz); 1 capture could not be used: conducted/L1_broken.csv "
        "(see Errors)"
    )


def test_the_entry_sheet_and_page_1_name_the_clauses_the_rounding_and_how_to_verify(
    fail_and_incomplete: tuple[Result, Path],
) -> None:
    """Clauses on the entry sheet, verify on page 1, the rounding note.

    The entry sheet's "Standard and class" named no clause, although each unit's page 1
    lists 47 CFR 15.107(a) / 15.109(a). Page 1 of the dossier did not say how to verify it
    (only page 15 did). The final table's LEVEL = READING + CORR may be 0.01 dB off the
    printed terms, and the dossier, unlike check, never said so.
    """
    _, out = fail_and_incomplete
    # the AV and PK cells above 1 GHz rest on 15.35(b) (PK = AV + 20 dB), which no limit
    # table's title names: the entry sheet left it out
    clauses = ["47 CFR 15.107(a)", "47 CFR 15.109(a)", "47 CFR 15.35(b)"]
    assert _entry(out)["judged_against"] == clauses
    assert "judged against 47 CFR 15.107(a), 47 CFR 15.109(a), 47 CFR 15.35(b)" in (
        out / "entry.html"
    ).read_text(encoding="utf-8")
    text = _pdf_text(out / "rigA" / "dossier.pdf")
    pages = text.split("page 1 of")
    # page 1 names the clause beside the limit tables, the per-cell detail each cell's
    assert (
        "fcc-15.109-b AV, PK: 47 CFR 15.35(b): average and peak (average limit + 20 dB)"
        in (pages[0])
    )
    assert "H · fcc-15.109-b PK · 1000-5000 MHz: PASS clause: 47 CFR 15.35(b): average" in text
    html = (out / "rigA" / "dossier.html").read_text(encoding="utf-8")
    assert "<td>fcc-15.109-b\n47 CFR 15.35(b)</td>" in html  # the matrix's Limit cell
    assert (
        "Verify rfcheck verify dossier.pdf --inputs <folder the dossier was made from>"
        in (pages[0])
    )
    page = (out / "rigA" / "dossier.html").read_text(encoding="utf-8")
    assert "rfcheck verify dossier.pdf --inputs &lt;folder the dossier was made from&gt;" in page
    note = "each rounded to 0.01 dB (so a row may differ by 0.01 dB in the last digit)"
    assert note in _pdf_text(out / "rigA" / "dossier.pdf")
    assert note in page.split("<h2>Final measurements</h2>")[1].split("</p>")[0]


def test_a_model_of_the_entry_this_run_did_not_judge_keeps_the_sheet_from_pass(
    rig: ModuleType, tmp_path: Path
) -> None:
    """One run judges one [dut] model; the sheet once read PASS for a 3-model entry.

    Both units (model "Test rig") PASS, but the entry also lists "Other-9" and "other-9 "
    (the same model): the sheet is INCOMPLETE, names the model it covers and the one it did
    not judge, and says that model's records are separate documents.
    """
    models = '["Test rig", "Other-9", " other-9 "]'
    res, out = _dossier(rig, tmp_path, a={}, b={}, models=models)
    assert res.exit_code == 5, res.output
    doc = _entry(out)
    assert doc["verdict"] == "INCOMPLETE"
    assert (doc["models_judged"], doc["models_not_judged"]) == (["Test rig"], ["Other-9"])
    assert doc["judged_units_verdict"] == "PASS"  # what a broker combines across sheets
    rows = [(u["serial"], u["unit"], u["model"], u["verdict"]) for u in doc["units"]]
    assert rows[-1] == (None, None, "Other-9", "INCOMPLETE")
    assert len(rows) == 3
    assert doc["units"][-1]["decided_by"].startswith(
        "not judged in this run (every unit of this run is model Test rig ([dut] model)"
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["entry"]["models_not_judged"] == ["Other-9"]
    assert summary["entry"]["serials_not_measured"] == []
    assert (
        "entry E-1: INCOMPLETE (S-1 PASS, S-2 PASS, model Other-9 INCOMPLETE (not judged in "
        "this run))"
    ) in res.stdout
    text = _pdf_text(out / "entry.pdf")
    assert "Entry measurement verdict: INCOMPLETE" in text
    assert "this sheet covers model Test rig only; the entry's other models (Other-9)" in text
    assert "Models judged on this sheet Test rig" in text
    assert "Models not judged here Other-9: INCOMPLETE on this sheet" in text
    assert "Verdict of model Test rig's units (not the entry's) PASS" in text
    page = (out / "entry.html").read_text(encoding="utf-8")
    assert "this sheet covers model Test rig only" in page
    res = _run("verify", str(out / "entry.pdf"), "--inputs", str(out))
    assert res.exit_code == 0, res.output
    assert "page 1   shows INCOMPLETE, the recorded verdict" in res.output


def test_a_fail_of_the_judged_model_still_fails_a_multi_model_entry(
    rig: ModuleType, tmp_path: Path
) -> None:
    res, out = _dossier(rig, tmp_path, a=FAIL, b={}, models='["Test rig", "Other-9"]')
    assert res.exit_code == 1, res.output
    doc = _entry(out)
    assert (doc["verdict"], doc["judged_units_verdict"]) == ("FAIL", "FAIL")


def test_each_units_record_state_is_on_the_sheet(rig: ModuleType, tmp_path: Path) -> None:
    """A green PASS sheet was once shown over units whose records are RECORD INCOMPLETE.

    The rig's setup states no lab, photos or label: each record lacks items.
    """
    res, out = _dossier(rig, tmp_path, a={}, b={})
    assert res.exit_code == 0, res.output
    doc = _entry(out)
    assert doc["verdict"] == "PASS"  # the measurements'
    assert doc["banner"] == "PASS (measurements) · RECORD INCOMPLETE"
    assert doc["records_complete"] is False
    for u in doc["units"]:
        unit = json.loads((out / u["unit"] / "dossier.json").read_text(encoding="utf-8"))
        n = len(dict.fromkeys(m for i in unit["checklist"] for m in i["missing"]))
        assert (u["record_state"], u["record_missing"]) == ("incomplete", n)
        assert n > 0
    text = _pdf_text(out / "entry.pdf")
    assert "Entry measurement verdict: PASS (measurements) RECORD INCOMPLETE: 2 of 2 unit" in text
    assert "RECORD INCOMPLETE: 2 of 2 unit records lack checklist items" in text
    assert f"RECORD INCOMPLETE: {n} items missing (its page 1 lists them)" in text
    page = (out / "entry.html").read_text(encoding="utf-8")
    assert '<div class="verdict INCONCLUSIVE"><p class="big">Entry measurement verdict: PASS' in (
        page
    )  # amber, never green
    res = _run("verify", str(out / "entry.pdf"), "--inputs", str(out))
    assert res.exit_code == 0, res.output
    assert "page 1   shows PASS, the recorded verdict" in res.output


def test_the_entry_names_its_importer_escaped(rig: ModuleType, tmp_path: Path) -> None:
    """[entry] once had no importer key (2.1203(c) puts the duty on the importer)."""
    importer = "Digger Imports <b>LLC</b> & Co"
    res, out = _dossier(
        rig, tmp_path, a={}, b={}, extra=f'\nimporter = "{importer}"', formats="json,html,pdf"
    )
    assert res.exit_code == 0, res.output
    assert _entry(out)["entry"]["importer"] == importer
    assert f"Importer of record (47 CFR 2.1203(c)) {importer}" in _pdf_text(out / "entry.pdf")
    page = (out / "entry.html").read_text(encoding="utf-8")
    assert "Digger Imports &lt;b&gt;LLC&lt;/b&gt; &amp; Co" in page and "<b>LLC" not in page
    unit = _pdf_text(out / "rigA" / "dossier.pdf")
    assert f"Importer of record {importer}" in unit


COMPLIANCE = """
[compliance]
authorization = "{auth}"{fcc_id}

[compliance.responsible_party]
name = "Digger Imports LLC"
address = "{address}"
phone = "+1 562 555 0100"
"""


@pytest.mark.parametrize("auth", ["sdoc", "certification"])
def test_the_party_follows_the_authorization_and_an_sdoc_party_abroad_is_flagged(
    rig: ModuleType, tmp_path: Path, auth: str
) -> None:
    """The party row follows the authorization; an SDoC party abroad is flagged.

    A certified device's record printed the SDoC's 2.1077 block, and an SDoC party in
    Shenzhen read "Responsible party in the US: present".
    """
    address = "88 Keji Rd, Nanshan, Shenzhen 518057, China"
    fcc_id = '\nfcc_id = "2BDIG-DXB2"' if auth == "certification" else ""
    root = tmp_path / "in"
    rig.write_rig(root, unit="rigA")
    entry = SETUP.format(number="E-1", tested='["S-1"]', models='["Test rig"]', extra="")
    text = COMPLIANCE.format(auth=auth, fcc_id=fcc_id, address=address) + entry
    setup = rig.write_setup(tmp_path / "setup.toml", text)
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 0, res.output
    record = _pdf_text(out / "rigA" / "dossier.pdf")
    sheet = _pdf_text(out / "entry.pdf")
    unit = json.loads((out / "rigA" / "dossier.json").read_text(encoding="utf-8"))
    kinds = [f["kind"] for f in unit["findings"]]
    assert ("responsible-party-not-in-us" in kinds) is (auth == "sdoc")
    if auth == "certification":
        assert "47 CFR 2.1077 Compliance Information" not in record
        assert "Grantee (responsible party): Digger Imports LLC" in record
        assert "Responsible party (47 CFR 2.1077(a)(3))" not in record
        assert "Grantee, the responsible party (47 CFR 2.909(a)) Digger Imports LLC" in sheet
        assert "WARNING" not in sheet.split("Grantee, the responsible party")[1][:200]
        assert _entry(out)["responsible_party_role"].startswith("Grantee")
    else:
        assert "Supplier's Declaration of Conformity: 47 CFR 2.1077 Compliance Information" in (
            record
        )
        assert "responsible party address in the United States" in record.split("Report id")[0]
        assert "Responsible party (47 CFR 2.1077(a)(3)) Digger Imports LLC" in sheet
        assert f"WARNING: the responsible party's address ({address}) names neither" in sheet
    missing = [m for i in unit["checklist"] for m in i["missing"]]
    assert ("responsible party address in the United States" in missing) is (auth == "sdoc")
