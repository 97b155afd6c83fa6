"""verify checks the record against itself: the report id, the seal, the attached data.

A forger who edits the manifest (or an attachment and its digest in the manifest) leaves the
pages' digest intact; these checks catch what such an edit must keep consistent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from rfcheck.record import Manifest, verify_pdf
from rfcheck.record.selfcheck import attachment_problems, page_ids, recomputed_id
from rfcheck.record.verify import EmbeddedSettingsDiffer, PagesStatus
from rfcheck.report_id import InputFile, ReportId, report_id


def _problems(pdf: Path, inputs: Path) -> tuple[str, ...]:
    result = verify_pdf(pdf, inputs)
    assert result.self_check is not None
    assert result.ok is (not result.self_check.problems)
    return result.self_check.problems


def test_an_untouched_record_agrees_with_itself(
    make_dossier: Callable[..., Path], setup_dir: Path
) -> None:
    pdf = make_dossier()
    result = verify_pdf(pdf, setup_dir)
    assert result.self_check is not None and result.self_check.problems == ()
    assert result.self_check.issued_by == "0.1.0" and result.ok


def test_a_capture_changed_and_its_new_hash_put_into_the_manifest_is_altered(
    make_dossier: Callable[..., Path], setup_dir: Path, pdf_forgery: ModuleType
) -> None:
    """F1: every input matched the forged manifest, the pages were untouched: verified (rc 0)."""
    pdf = make_dossier()
    capture = setup_dir / "conducted" / "HC3_L2.csv"
    capture.write_text("freq_hz,level\n150000,49.0\n", encoding="utf-8")
    sha = hashlib.sha256(capture.read_bytes()).hexdigest()

    def forge(m: dict[str, Any]) -> None:
        for entry in m["inputs"]:
            if entry["path"] == "conducted/HC3_L2.csv":
                entry["sha256"] = sha

    forged = pdf_forgery.edit_manifest(pdf, pdf.with_name("forged.pdf"), forge)
    result = verify_pdf(forged, setup_dir)
    assert result.all_match
    assert result.pages is not None and result.pages.status is PagesStatus.UNCHANGED
    recorded = result.manifest.report_id.text
    again = recomputed_id(result.manifest).text
    assert again != recorded
    assert result.self_check is not None and result.self_check.problems == (
        f"report id: the manifest's inputs, settings and rfcheck version (0.1.0) give {again}, "
        f"not the {recorded} it records: the manifest was edited after issue",
    )
    assert not result.as_issued and not result.ok


def test_a_replaced_report_id_disagrees_with_the_pages(
    make_dossier: Callable[..., Path], setup_dir: Path, pdf_forgery: ModuleType
) -> None:
    """F1: the manifest's id replaced; every page still prints the issued one."""
    pdf = make_dossier()
    issued = verify_pdf(pdf, setup_dir).manifest.report_id.text
    zeros = {"id": "RFC-00000000000000000000-r1", "sha256": "0" * 64, "revision": 1}
    forged = pdf_forgery.edit_manifest(
        pdf, pdf.with_name("forged.pdf"), lambda m: m.__setitem__("report_id", zeros)
    )
    problems = _problems(forged, setup_dir)
    assert problems[0].startswith(
        f"report id: the manifest's inputs, settings and rfcheck version (0.1.0) give {issued}, "
        "not the RFC-00000000000000000000-r1 it records"
    )
    assert problems[1].startswith("report id: the headers of pages 1-")
    assert problems[1].endswith(
        f"page 1's Report id show {issued}, the manifest records RFC-00000000000000000000-r1"
    )


def test_an_edited_version_or_id_text_is_altered(
    make_dossier: Callable[..., Path], setup_dir: Path, pdf_forgery: ModuleType
) -> None:
    pdf = make_dossier()
    version = pdf_forgery.edit_manifest(
        pdf, pdf.with_name("v.pdf"), lambda m: m.__setitem__("rfcheck_version", "9.9.9")
    )
    (problem,) = _problems(version, setup_dir)
    assert problem.startswith(
        "report id: the manifest's inputs, settings and rfcheck version (9.9.9) give RFC-"
    )

    def text_only(m: dict[str, Any]) -> None:
        m["report_id"]["id"] = "RFC-00000000000000000000-r1"

    text = pdf_forgery.edit_manifest(pdf, pdf.with_name("t.pdf"), text_only)
    problems = _problems(text, setup_dir)
    assert problems[0].startswith(
        "report id: the manifest records the id RFC-00000000000000000000-r1 beside the digest "
    )


def test_an_attached_dossier_json_contradicting_the_manifest_is_altered(
    make_dossier: Callable[..., Path], setup_dir: Path, pdf_forgery: ModuleType
) -> None:
    """F3: dossier.json swapped (verdict PASS) with its digest in the manifest updated."""
    pdf = make_dossier(verdict="FAIL")
    rid = verify_pdf(pdf, setup_dir).manifest.report_id.as_dict()
    data = json.dumps({"verdict": "PASS", "report_id": rid}).encode()
    forged = pdf_forgery.swap_attachment(pdf, pdf.with_name("f.pdf"), "dossier.json", data)
    result = verify_pdf(forged, setup_dir)
    assert result.attachments is not None and result.attachments.altered == ()
    assert result.self_check is not None and result.self_check.problems == (
        "attachment dossier.json: verdict is PASS, the manifest records FAIL",
    )
    assert not result.ok


def _unit_manifest() -> Manifest:
    inputs = (InputFile("a.csv", "1" * 64), InputFile("setup.toml", "2" * 64, role="setup"))
    settings = {"unit": "u1", "setup": "setup.toml", "shipped": {"limit:x.toml": "3" * 64}}
    return Manifest(inputs, settings, report_id(inputs, settings, revision=2), verdict="FAIL")


def _dossier_json(m: Manifest, **unit: Any) -> dict[str, Any]:
    inputs = [{"role": r, "path": p, "sha256": s} for r, p, s in m.listed()]
    return {
        "verdict": m.verdict,
        "report_id": m.report_id.as_dict(),
        "units": [{"unit": "u1", "verdict": m.verdict, "inputs": inputs, "cells": [], **unit}],
    }


def test_a_units_verdict_and_inputs_in_dossier_json_must_agree() -> None:
    m = _unit_manifest()

    def problems(doc: Mapping[str, Any], csv: bytes | None = None) -> list[str]:
        files = {"dossier.json": json.dumps(doc).encode()}
        if csv is not None:
            files["summary.csv"] = csv
        return attachment_problems(m, files)

    assert problems(_dossier_json(m)) == []
    assert problems(_dossier_json(m, verdict="PASS")) == [
        "attachment dossier.json: units[u1].verdict is PASS, the manifest records FAIL"
    ]
    other = _dossier_json(m)
    other["units"][0]["inputs"][0]["sha256"] = "9" * 64
    assert problems(other) == [
        "attachment dossier.json: units[u1].inputs differs from the manifest's inputs (paths or "
        "SHA-256 of a.csv)"
    ]
    cells = [{"verdict": "FAIL", "worst_margin_db": -3.23}]
    doc = _dossier_json(m, cells=cells)
    head = b"table,Port,Limit,Line,Range [MHz],Verdict,Margin [dB]\n"
    assert problems(doc, head + b"matrix,V,fcc-15.109-b,QP,30-1000,FAIL,-3.23\n") == []
    assert problems(doc, head + b"matrix,V,fcc-15.109-b,QP,30-1000,PASS,3.23\n") == [
        "attachment summary.csv: V QP fcc-15.109-b reads PASS 3.23 dB, dossier.json's cell "
        "FAIL -3.23 dB"
    ]


def test_an_entry_sheets_id_hashes_its_settings_and_entry_json_must_agree() -> None:
    inputs = (InputFile("u1/dossier.pdf", "1" * 64, role="unit-record"),)
    units = [{"unit": "u1", "serial": "S1", "verdict": "PASS", "report_id": "RFC-X"}]
    settings = {"entry": {"entry_number": "E-1"}, "units": units}
    m = Manifest(inputs, settings, report_id((), settings, revision=1), verdict="PASS")
    assert recomputed_id(m) == m.report_id
    row: dict[str, str] = {**units[0], "model": "M"}
    doc = {
        "verdict": "PASS",
        "report_id": m.report_id.as_dict(),
        "units": [row],
        "inputs": [{"role": "unit-record", "path": "u1/dossier.pdf", "sha256": "1" * 64}],
    }
    assert attachment_problems(m, {"entry.json": json.dumps(doc).encode()}) == []
    row["verdict"] = "FAIL"
    assert attachment_problems(m, {"entry.json": json.dumps(doc).encode()}) == [
        "attachment entry.json: units (unit, serial, verdict, report_id) differ from the manifest's"
    ]


def test_page_ids_are_the_headers_and_page_1s_report_id() -> None:
    rid = "RFC-0123456789ABCDEF0123-r2"
    texts = [
        f"Title · {rid}\nReport id\n{rid}\nunit u1 RFC-FFFFFFFFFFFFFFFFFFFF-r1",
        f"Title · {rid}\nmore",
    ]
    assert page_ids(texts) == [
        ("page 1's header", rid),
        ("page 1's Report id", rid),
        ("page 2's header", rid),
    ]


def test_embedded_settings_contradicting_a_matching_input_are_altered_not_an_error(
    make_dossier: Callable[..., Path], setup_dir: Path
) -> None:
    """F7: the setup's plan differed from the forged embedded plan: exit 3, nothing else said."""

    def rejudge(manifest: Manifest, settings: Mapping[str, Any]) -> str:
        raise EmbeddedSettingsDiffer("the embedded plan differs from the [plan] of setup.toml")

    result = verify_pdf(make_dossier(), setup_dir, rejudge=rejudge)
    assert result.settings_differ == "the embedded plan differs from the [plan] of setup.toml"
    assert result.all_match and result.rejudged is None
    assert not result.as_issued and not result.ok


def test_a_manifest_without_revision_recomputes_without_one() -> None:
    settings = {"x": 1}
    m = Manifest((), settings, ReportId(report_id((), settings).digest, None))
    assert recomputed_id(m).text == m.report_id.text
