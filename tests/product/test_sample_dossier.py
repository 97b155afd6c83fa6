"""The sample rig's dossier (README's main command) says what sample_captures/expected.toml says."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck import __version__
from rfcheck.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
EXPECTED = tomllib.loads((SAMPLES / "expected.toml").read_text(encoding="utf-8"))["dossier"]


@pytest.fixture(scope="module")
def sample_dossier(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("dossier")
    res = CliRunner().invoke(
        main,
        [
            "dossier",
            str(SAMPLES),
            "--setup",
            str(SAMPLES / EXPECTED["setup"]),
            "--out",
            str(out),
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )
    return res, out


def test_sample_dossier_exit_code_and_summary(sample_dossier: tuple[Any, Path]) -> None:
    res, out = sample_dossier
    assert res.exit_code == EXPECTED["exit_code"], res.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [(u["unit"], u["verdict"]) for u in summary["units"]] == [
        (u["unit"], u["verdict"]) for u in EXPECTED["unit"]
    ]


@pytest.mark.parametrize("want", EXPECTED["unit"], ids=[u["unit"] for u in EXPECTED["unit"]])
def test_sample_dossier_cells(sample_dossier: tuple[Any, Path], want: dict[str, Any]) -> None:
    _, out = sample_dossier
    (unit,) = json.loads((out / want["unit"] / "dossier.json").read_text(encoding="utf-8"))["units"]
    assert unit["verdict"] == want["verdict"], want["why"]
    assert not unit["errors"]
    cells = unit["cells"]
    failing = [c for c in cells if c["verdict"] == "FAIL"]
    assert [(c["port"], c["line"]) for c in failing] == [
        (f["port"], f["line"]) for f in want["failing"]
    ]
    for c, f in zip(failing, want["failing"], strict=True):
        assert c["worst_frequency_hz"] / 1e6 == pytest.approx(f["frequency_mhz"], rel=2e-3)
        assert c["worst_margin_db"] == pytest.approx(f["margin_db"], abs=1.0)
    missing = [c for c in cells if c["verdict"] == "MISSING"]
    assert [
        (c["port"], c["line"], [[a / 1e6, b / 1e6] for a, b in c["missing_hz"]]) for c in missing
    ] == [(m["port"], m["line"], [m["range_mhz"]]) for m in want["missing"]]
    assert {c["verdict"] for c in cells} <= {"PASS", "FAIL", "MISSING"}


def _unit_docs(out: Path) -> dict[str, dict[str, Any]]:
    """Each sample unit's dossier.json, by unit."""
    return {
        unit: json.loads((out / unit / "dossier.json").read_text(encoding="utf-8"))
        for unit in ("rig", "rig-0418")
    }


def test_each_unit_prints_its_own_serial(sample_dossier: tuple[Any, Path]) -> None:
    serials = {u: d["record"]["dut"]["serial"] for u, d in _unit_docs(sample_dossier[1]).items()}
    assert serials == {"rig": "HC3-2511-00417", "rig-0418": "HC3-2511-00418"}


def test_each_unit_states_its_own_modifications(sample_dossier: tuple[Any, Path]) -> None:
    tests = {u: d["record"]["test"] for u, d in _unit_docs(sample_dossier[1]).items()}
    assert tests["rig"]["modifications"] == []  # "none"
    assert tests["rig-0418"]["modifications"] == [
        "clamp ferrite on the Ethernet cable at the EUT end"
    ]
    assert all(t["modifications_by_unit"] == [] for t in tests.values())  # not the others'


def test_a_photo_of_one_unit_is_in_that_units_record_only(
    sample_dossier: tuple[Any, Path],
) -> None:
    docs = _unit_docs(sample_dossier[1])
    roles = {u: [p["role"] for p in d["record"]["photos"]] for u, d in docs.items()}
    assert roles == {
        "rig": ["highest-conducted", "highest-radiated"],
        "rig-0418": ["highest-conducted"],  # its highest radiated emission was not photographed
    }
    b7 = {
        u: next(c for c in d["checklist"] if c["clause"] == "2.938(b)(7)") for u, d in docs.items()
    }
    assert (b7["rig"]["status"], b7["rig-0418"]["status"]) == ("present", "missing")


def test_a_unit_missing_from_per_unit_modifications_has_none_stated() -> None:
    from rfcheck.product.record import _unit_modifications
    from rfcheck.record import parse_record

    test = parse_record({"test": {"modifications": {"a": "none", "b": ["ferrite"]}}}).test
    assert test.modifications is None
    assert _unit_modifications(test, "a").modifications == ()
    assert _unit_modifications(test, "b").modifications == ("ferrite",)
    assert _unit_modifications(test, "c").modifications is None  # MISSING, not another's


def test_neither_sample_unit_claims_data_showing_compliance(
    sample_dossier: tuple[Any, Path],
) -> None:
    """The FAIL unit's and the INCOMPLETE unit's data item say what their data show."""
    data, incomplete = {}, {}
    for unit, doc in _unit_docs(sample_dossier[1]).items():
        item = next(i for i in doc["checklist"] if i["item"] == "Data showing compliance")
        data[unit] = (item["status"], item["note"])
        incomplete[unit] = doc["record_incomplete"]
    assert incomplete == {  # rig-0418's radiated setup was not photographed (the photo is rig's)
        "rig": None,
        "rig-0418": "record incomplete: photo of the highest radiated emission setup",
    }
    assert data == {
        "rig": (
            "shows FAIL",
            "the data show a FAIL, not compliance \N{EM DASH} "
            "V QP 30-1000 MHz: -3.23 dB at 375 MHz (measured)",
        ),
        "rig-0418": (
            "incomplete",
            "the data do not cover the test plan, so they do not show compliance \N{EM DASH} "
            "L2 not measured (no capture)",
        ),
    }


def test_a_single_serial_is_not_lent_to_other_units(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    setup = (SAMPLES / EXPECTED["setup"]).read_text(encoding="utf-8")
    start = setup.index("[dut.serials]")
    end = setup.index("\n\n", start)
    (tmp_path / "setup.toml").write_text(setup[:start] + setup[end + 2 :], encoding="utf-8")
    for name in ("conducted", "radiated", "rig-0418", "transducers", "photos"):
        (tmp_path / name).symlink_to(SAMPLES / name)
    out = tmp_path_factory.mktemp("out")  # never inside the DIR (refused, exit 2)
    CliRunner().invoke(
        main,
        ["dossier", str(tmp_path), "--setup", str(tmp_path / "setup.toml"), "--out", str(out),
         "--format", "json,html"],
        catch_exceptions=False,
    )  # fmt: skip
    for unit in ("rig", "rig-0418"):
        doc = json.loads((out / unit / "dossier.json").read_text(encoding="utf-8"))
        assert doc["record"]["dut"]["serial"] is None
        # the device table says MISSING, as page 1's checklist does (it said "not stated")
        page = (out / unit / "dossier.html").read_text(encoding="utf-8")
        assert "<tr><td>Serial number (this unit)</td><td>MISSING</td></tr>" in page
        entry = doc["record"]["entry"]  # nor the setup's tested serials, which name both rigs
        assert entry["tested_serials"] is None
        assert entry["tested_serials_warning"] == (
            "the setup's [entry] tested_serials (HC3-2511-00417, HC3-2511-00418) cannot be "
            "matched to this unit: its serial is not stated in [dut.serials]"
        )


def test_each_unit_page_names_its_own_serial(tmp_path: Path) -> None:
    """The "Device and plan" table shows the unit's serial from [dut.serials], in words.

    The second rig's page once showed the first rig's serial (the setup's one-unit
    ``serial``) and raw setup keys (``highest_internal_frequency_hz  700000000``).
    """
    res = CliRunner().invoke(
        main,
        ["dossier", str(SAMPLES), "--setup", str(SAMPLES / EXPECTED["setup"])]
        + ["--out", str(tmp_path), "--format", "html,json"],
        catch_exceptions=False,
    )
    assert res.exit_code == EXPECTED["exit_code"], res.output
    page = (tmp_path / "rig-0418" / "dossier.html").read_text(encoding="utf-8")
    assert "<tr><td>Serial number (this unit)</td><td>HC3-2511-00418</td></tr>" in page
    assert "HC3-2511-00417" not in page
    assert "<tr><td>Highest internal frequency (47 CFR 15.33)</td><td>700 MHz</td></tr>" in page
    assert "<tr><td>Radiated scan up to (47 CFR 15.33)</td><td>5 GHz</td></tr>" in page
    assert "<tr><td>Measurement distance</td><td>3 m</td></tr>" in page
    assert "highest_internal_frequency_hz" not in page
    assert "<li>L2 QP 0.15-30 MHz (fcc-15.107-b): not measured 0.15-30 MHz</li>" in page
    first = (tmp_path / "rig" / "dossier.html").read_text(encoding="utf-8")
    assert "<td>HC3-2511-00417</td>" in first
    assert "HC3-2511-00418" not in first


def _pdf_text(pdf: Path) -> str:
    """Return the text of every page, without the running header and the page-number footer.

    A paragraph that runs onto the next page then reads as one (which page breaks where
    depends on the lengths of the paths printed before it).
    """
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(pdf).pages:
        lines = page.extract_text().splitlines()
        if lines and " \u00b7 RFC-" in lines[0]:
            lines = lines[1:]
        if lines and re.fullmatch(r"page \d+ of \d+", lines[-1].strip()):
            lines = lines[:-1]
        pages.append("\n".join(lines))
    return "\n".join(pages)


@pytest.fixture(scope="module")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Return the text of each sample unit's dossier.pdf (README's main command)."""
    out = tmp_path_factory.mktemp("dossier-pdf")
    res = CliRunner().invoke(
        main,
        ["dossier", str(SAMPLES), "--setup", str(SAMPLES / EXPECTED["setup"])]
        + ["--out", str(out), "--format", "pdf"],
        catch_exceptions=False,
    )
    assert res.exit_code == EXPECTED["exit_code"], res.output
    return {unit: _pdf_text(out / unit / "dossier.pdf") for unit in ("rig", "rig-0418")}


def test_each_unit_cover_gives_the_days_its_own_captures_carry(
    sample_pdfs: dict[str, str],
) -> None:
    """The [test] dates are the lab's; rig-0418 was captured on 11-19 only."""
    for unit, own in (("rig", "2025-11-12"), ("rig-0418", "2025-11-19")):
        cover = " ".join(sample_pdfs[unit][: sample_pdfs[unit].index("Procedure")].split())
        assert (
            "Dates of testing 2025-11-12, 2025-11-13, 2025-11-19 (the lab's [test] dates); "
            f"this unit's captures: {own}"
        ) in cover, cover
    rig_0418 = " ".join(sample_pdfs["rig-0418"].split())
    assert "this unit's captures: 2025-11-19 Procedure" in rig_0418


def _entry_sheet(text: str) -> str:
    start = text.index("Entry (47 CFR 2.1203, 2.1204(a)): this unit's part\n")
    return text[start : text.index("\nThis unit's measurement verdict", start)]


def test_each_unit_entry_sheet_names_its_own_tested_serial(sample_pdfs: dict[str, str]) -> None:
    """The rig-0418 entry sheet once said "Serials tested HC3-2511-00417" (the other rig)."""
    for unit, serial, other in (
        ("rig", "HC3-2511-00417", "HC3-2511-00418"),
        ("rig-0418", "HC3-2511-00418", "HC3-2511-00417"),
    ):
        sheet = _entry_sheet(sample_pdfs[unit])
        assert f"This unit's serial (tested)\n{serial}\n" in sheet, sheet
        assert other not in sheet
        assert "WARNING" not in sheet


def test_entry_sheet_warns_when_the_setup_does_not_list_the_unit(tmp_path: Path) -> None:
    text = (SAMPLES / EXPECTED["setup"]).read_text(encoding="utf-8")
    text = text.replace(
        'tested_serials = ["HC3-2511-00417", "HC3-2511-00418"]',
        'tested_serials = ["HC3-2511-00417"]',
    )
    assert 'tested_serials = ["HC3-2511-00417"]' in text
    (tmp_path / "setup.toml").write_text(text, encoding="utf-8")
    for name in ("rig-0418", "transducers", "photos"):
        (tmp_path / name).symlink_to(SAMPLES / name)
    res = CliRunner().invoke(
        main,
        ["dossier", str(tmp_path / "rig-0418"), "--setup", str(tmp_path / "setup.toml")]
        + ["--out", str(tmp_path / "out"), "--format", "pdf,json"],
        catch_exceptions=False,
    )
    assert res.exit_code == 5, res.output
    sheet = _entry_sheet(_pdf_text(tmp_path / "out" / "rig-0418" / "dossier.pdf"))
    assert "This unit's serial (tested)\nHC3-2511-00418\n" in sheet, sheet
    warning = (
        "WARNING: the setup's [entry] tested_serials (HC3-2511-00417) do not include this "
        "unit's serial HC3-2511-00418"
    )
    assert warning in " ".join(sheet.split()), sheet
    doc = json.loads((tmp_path / "out" / "rig-0418" / "dossier.json").read_text(encoding="utf-8"))
    assert doc["record"]["entry"]["tested_serials"] == ["HC3-2511-00418"]
    assert doc["record"]["entry"]["tested_serials_warning"] == warning.removeprefix("WARNING: ")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("unit", "verdict"), [("rig", "FAIL"), ("rig-0418", "INCOMPLETE")])
def test_declarations_of_compliance_carry_the_verdict_caveat(
    sample_pdfs: dict[str, str], unit: str, verdict: str
) -> None:
    """The 15.105, SDoC and 2.1204(a) texts of a unit that does not PASS say it beside them."""
    text = sample_pdfs[unit]
    caveat = (
        f"Measurement verdict {verdict}: the measured data do not support this declaration "
        "of compliance."
    )
    compliance = _flat(text[text.index("Compliance information (47 CFR 2.1077)\n") :])
    compliance = compliance[: compliance.index("Entry (47 CFR 2.1203, 2.1204(a)): this unit")]
    # before the 2.1077 block (15.19(a)(3)), after the label text and before the 15.105 text
    assert compliance.count(f"CAVEAT: {caveat}") == 3, compliance
    statement = compliance.index("Manual statement (47 CFR 15.105)")
    assert compliance.index(f"CAVEAT: {caveat}", statement) < compliance.index(
        "has been tested and found to comply"
    )
    assert compliance.index(f"CAVEAT: {caveat}") < compliance.index(
        "This device complies with part 15"
    )
    sheet = _flat(_entry_sheet(text))
    assert (
        "Import condition 47 CFR 2.1204(a)(1): the device has an equipment authorization "
        f"(CAVEAT: {caveat})" in sheet
    ), sheet
    checklist = _flat(text[text.index("Record checklist (47 CFR 2.938(b)") :])
    for item in ("Label text and label photo", "Manual statement for the device class"):
        assert f"{item} unsupported" in checklist, checklist
    assert "Entry cover sheet unsupported" in checklist


def test_pk_margins_above_1_ghz_are_measured_and_the_note_agrees(
    sample_pdfs: dict[str, str],
) -> None:
    """One position on 15.35(b): the 1 MHz peak reading is the measurement, not a lower bound.

    The record once labelled the PK margins "measured" while its note called the same
    reading "a lower bound of it unless a pulse desensitization correction ... is applied".
    """
    text = _flat(sample_pdfs["rig"])
    for pol in ("H", "V"):
        assert f"{pol} · fcc-15.109-b PK · 1000-5000 MHz: PASS" in text
    detail = text[text.index("Per-cell detail") :]
    pk = [detail[m : m + 400] for m in _starts(detail, "fcc-15.109-b PK · 1000-5000 MHz: PASS")]
    assert len(pk) == 2 and all("(measured)" in x for x in pk), pk
    note = (
        "fcc-15.109-b: 47 CFR 15.35(b): the PK limit applies to the total peak emission, "
        "measured with a peak detector in a resolution bandwidth of at least 1 MHz; the peak "
        "reading is "
        "that measurement. A pulse desensitization correction factor concerns pulsed emissions "
        "whose pulses are shorter than the bandwidth's response: the lab states whether one "
        "applies (rfcheck applies none)"
    )
    notes = text[text.index(" Notes ") :]
    assert f"H: {note}" in notes and f"V: {note}" in notes
    assert "lower bound of it" not in text


def _starts(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def test_the_html_summary_carries_the_report_id_and_points_to_the_pdf(tmp_path: Path) -> None:
    """dossier.html once had no report id, checklist or lab, and read as the record."""
    res = CliRunner().invoke(
        main,
        ["dossier", str(SAMPLES), "--setup", str(SAMPLES / EXPECTED["setup"])]
        + ["--out", str(tmp_path), "--format", "html,json"],
        catch_exceptions=False,
    )
    assert res.exit_code == EXPECTED["exit_code"], res.output
    for unit in ("rig", "rig-0418"):
        page = (tmp_path / unit / "dossier.html").read_text(encoding="utf-8")
        doc = json.loads((tmp_path / unit / "dossier.json").read_text(encoding="utf-8"))
        rid = doc["report_id"]["id"]
        assert rid.startswith("RFC-") and f"<tr><td>Report id</td><td>{rid}</td></tr>" in page
        assert (
            "<tr><td>Test laboratory</td><td>Mesa Ridge EMC Laboratory (fictional)</td></tr>"
            in page
        )
        assert f"<h1>Test record summary: {unit}</h1>" in page
        assert (  # --format without pdf: the page never points to a PDF beside it
            "This page is a browsable summary. The test record is the PDF, dossier.pdf, which "
            "this run did not write"
        ) in page
        assert "<h2>Record checklist (47 CFR 2.938(b), 2.1077, 2.906(a)(1))</h2>" in page
        assert "<td>2.938(b)(1)</td><td>Dates of all testing</td><td>present</td>" in page
    rig = (tmp_path / "rig" / "dossier.html").read_text(encoding="utf-8")
    assert "<td>Data showing compliance</td><td>shows FAIL</td>" in rig
    assert (
        "<td>15.105</td><td>Manual statement for the device class</td><td>unsupported</td>" in rig
    )


def test_sample_readme_states_the_second_rigs_375_mhz_level(
    sample_dossier: tuple[Any, Path],
) -> None:
    """sample_captures/README.md once said "now 41.3 dBµV/m" where the dossier gives 41.48."""
    import re

    _, out = sample_dossier
    (unit,) = json.loads((out / "rig-0418" / "dossier.json").read_text(encoding="utf-8"))["units"]
    (row,) = [
        r for r in unit["final_measurements"] if r["port"] == "V" and r["frequency_hz"] == 375e6
    ]
    qp = row["quasi_peak"]
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    found = re.search(r"V at 375 MHz now ([\d.]+) dBµV/m, margin ([+-][\d.]+) dB", text)
    assert found is not None
    assert (found.group(1), found.group(2)) == (f"{qp['level']:.2f}", f"{qp['margin_db']:+.2f}")
    assert qp["bound"] == "measured"


#: As the record names it: relative to the manifest root, the samples folder.
_BURST = "conducted/rig_L1_burst.sigmf-meta"


def test_levels_computed_by_the_receiver_model_are_named_and_their_status_is_a_finding(
    sample_dossier: tuple[Any, Path],
) -> None:
    docs = _unit_docs(sample_dossier[1])
    rig = docs["rig"]
    assert rig["units"][0]["computed_by_receiver_model"] == [_BURST]
    (finding,) = [f for f in rig["findings"] if f["kind"] == "receiver-model-levels"]
    assert finding["subject"] == f"rfcheck {__version__} receiver model"
    assert finding["message"].startswith(
        f"the levels of {_BURST} were computed from I/Q recordings by rfcheck's CISPR 16-1-1 "
        f"receiver model (rfcheck {__version__}), not read by a calibrated receiver. "
        "rfcheck's receiver model is software, not a calibrated instrument"
    )
    assert "UNCONFIRMED for C/D 1000, 20, 10 and 2 Hz" in finding["message"]
    note = (
        f"L1: {_BURST}: I/Q recording; its peak, quasi-peak and average levels were computed "
        f"from it by rfcheck's CISPR 16-1-1 receiver model (rfcheck {__version__}), not read by "
        "a calibrated receiver (its validation status is in the record's findings)"
    )
    assert note in rig["units"][0]["warnings"]
    other = docs["rig-0418"]  # no recording: nothing computed, no finding
    assert other["units"][0]["computed_by_receiver_model"] == []
    assert not [f for f in other["findings"] if f["kind"] == "receiver-model-levels"]


def test_the_pdf_says_beside_the_values_that_the_receiver_model_computed_them(
    sample_pdfs: dict[str, str],
) -> None:
    text = _flat(sample_pdfs["rig"])
    said = (
        f"{_BURST}: I/Q recording; its peak, quasi-peak and average levels were computed from "
        f"it by rfcheck's CISPR 16-1-1 receiver model (rfcheck {__version__}), not read by a "
        "calibrated receiver"
    )
    finals = text[text.index("Final measurements") : text.index("Per-cell detail")]
    assert f"Note: {said}" in finals  # under the L1 table only
    assert finals.count(said) == 1
    detail = text[text.index("Per-cell detail") : text.index("Notes", text.index("Per-cell"))]
    assert detail.count(said) == 2  # the L1 QP and AV cells, whose captures include it
    notes = text[text.index("Notes", text.index("Per-cell detail")) :]
    assert f"L1: {said}" in notes
    assert "receiver-model-levels" in text


def test_the_equipment_table_lists_the_receiver_model_as_uncalibrated_software(
    sample_pdfs: dict[str, str],
) -> None:
    for unit, listed in (("rig", True), ("rig-0418", False)):
        text = _flat(sample_pdfs[unit])
        table = text[text.index("Test equipment and calibration") : text.index("Support equipment")]
        row = (
            f"software receiver (CISPR 16-1-1 model) rfcheck {__version__} receiver model – "
            "none: software – none (see the findings) not calibrated"
        )
        assert (row in table) is listed, table


def test_the_sample_records_find_nothing_but_the_receiver_models_levels(
    sample_dossier: tuple[Any, Path],
) -> None:
    # every applied transducer is listed with a range_hz covering where it was applied
    kinds = {
        u: [f["kind"] for f in d["findings"]] for u, d in _unit_docs(sample_dossier[1]).items()
    }
    assert kinds == {"rig": ["receiver-model-levels"], "rig-0418": []}


def test_a_recordings_computed_levels_are_said_once_in_the_record(
    sample_dossier: tuple[Any, Path],
) -> None:
    """The dossier states it in the record's words, not also as the check's note.

    ``check`` on a recording notes first that its levels were computed by the receiver
    model; the dossier's notes carried that note beside its own statement of the same.
    """
    from rfcheck.verdict.traces import computed_levels_note

    _, out = sample_dossier
    doc = json.loads((out / "rig" / "dossier.json").read_text(encoding="utf-8"))
    (unit,) = doc["units"]
    notes = [n for n in unit["warnings"] if "rig_L1_burst.sigmf-meta" in n]
    assert not any(n.endswith(computed_levels_note()) for n in notes)
    assert sum("receiver model" in n for n in notes) == 1


def test_check_of_a_recording_notes_first_that_its_levels_are_computed() -> None:
    from rfcheck.analysis import run_check
    from rfcheck.settings import load_setup
    from rfcheck.verdict.traces import computed_levels_note

    setup = load_setup(SAMPLES / "rig-setup.toml")
    rel = "conducted/rig_L1_burst.sigmf-meta"
    (cap,) = run_check([SAMPLES / rel], setup.settings_for(rel), setup=setup).captures
    assert cap.warnings[0] == computed_levels_note()
    assert "not read from an instrument's detectors" in cap.warnings[0]


def test_check_csv_says_where_each_captures_levels_come_from() -> None:
    """The CSV has no notes: a recording's rows read "measured" with nothing else."""
    import csv
    import io

    res = CliRunner().invoke(
        main,
        [
            "check",
            str(SAMPLES / "conducted/rig_L1_burst.sigmf-meta"),
            str(SAMPLES / "conducted/rig_L1_avg_keysight.csv"),
            "--setup",
            str(SAMPLES / "rig-setup.toml"),
            "-o",
            "csv",
        ],
    )
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    levels = {(r["path"].rsplit("/", 1)[-1], r["line"]): r["levels"] for r in rows}
    assert levels == {
        ("rig_L1_burst.sigmf-meta", "QP"): "receiver model",
        ("rig_L1_burst.sigmf-meta", "AV"): "receiver model",
        ("rig_L1_avg_keysight.csv", "QP"): "instrument",
        ("rig_L1_avg_keysight.csv", "AV"): "instrument",
    }


def test_pdf_manifest_and_html_inputs_list_the_same_files(tmp_path: Path) -> None:
    """One list: the SigMF samples, the photos and the shipped limit tables in both."""
    import html as _html
    import re

    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["dossier", str(SAMPLES), "--setup", str(SAMPLES / EXPECTED["setup"])]
        + ["--out", str(out), "--format", "pdf,html"],
        catch_exceptions=False,
    )
    assert res.exit_code == EXPECTED["exit_code"], res.output
    page = (out / "rig" / "dossier.html").read_text(encoding="utf-8")
    inputs = page[page.index("<h2>Inputs</h2>") :]
    cells = [_html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", inputs)]
    rows = {tuple(cells[i : i + 3]) for i in range(0, len(cells) - 2, 3)}
    files = {path for _, path, _ in rows}
    assert "conducted/rig_L1_burst.sigmf-data" in files
    assert "fcc-15.107-b.toml (shipped with rfcheck)" in files
    assert any(role == "photo" for role, _, _ in rows)
    pdf = " ".join(_pdf_text(out / "rig" / "dossier.pdf").split())
    manifest = pdf[pdf.index("Input manifest") :]
    for _, path, sha in rows:
        assert path in manifest and sha[:32] in manifest.replace(" ", ""), path


def test_page_1_names_the_rfcheck_that_issued_the_record(sample_pdfs: dict[str, str]) -> None:
    """The version the report id and verify rest on was named on page 15 only."""
    from rfcheck import __version__

    text = _flat(sample_pdfs["rig"])
    at = text.index(f"Issued by rfcheck {__version__}")
    assert at < text.index("Per-cell detail")  # on the cover, with the report id
