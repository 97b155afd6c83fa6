"""``rfcheck verify`` and the files a run writes beside a record PDF.

``dossier.json`` (an entry sheet's ``entry.json``) is attached to the PDF and written beside
it as the same bytes. verify once left the copy beside the PDF unchecked (edited FAIL ->
PASS, exit 0), and refused a JSON file with ``not a PDF file`` only, naming no PDF to verify.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.record import CoverFacts, build_manifest, input_file, parse_record, write_record_pdf
from rfcheck.record.attachments import Attachment


def _doc(pdf: Path) -> bytes:
    """Return the JSON attached to ``pdf`` (and written beside it) by :func:`_record`."""
    return (pdf.parent / f"{pdf.stem}.json").read_bytes()


def _record(tmp: Path, name: str = "dossier") -> Path:
    """Write a FAIL record ``out/<name>.pdf``, ``<name>.json`` attached and written beside it."""
    root, out = tmp / "in", tmp / "out"
    root.mkdir(parents=True)
    out.mkdir(parents=True)
    (root / "a.csv").write_bytes(b"freq_hz,level\n150000,40.0\n")
    sha = hashlib.sha256((root / "a.csv").read_bytes()).hexdigest()
    manifest = build_manifest([input_file(root / "a.csv", root, sha)], {}, verdict="FAIL")
    rid = {"id": manifest.report_id.text, "sha256": manifest.report_id.digest}
    doc = json.dumps({"verdict": "FAIL", "report_id": rid}).encode()  # as the manifest says
    pdf = out / f"{name}.pdf"
    write_record_pdf(
        pdf,
        parse_record({}),
        CoverFacts("FAIL", manifest.report_id.text),
        manifest=manifest,
        attachments=[Attachment(f"{name}.json", doc)],
    )
    (out / f"{name}.json").write_bytes(doc)
    return pdf


def _verify(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["verify", *args])
    return res.exit_code, res.output


def test_the_dossier_json_beside_the_pdf_is_compared_with_the_attached_one(
    tmp_path: Path,
) -> None:
    pdf = _record(tmp_path)
    beside = pdf.parent / "dossier.json"
    code, out = _verify(str(pdf), "--inputs", str(tmp_path / "in"))
    assert code == 0, out
    assert f"beside   {beside}: the same bytes as the dossier.json attached to the PDF" in out

    beside.write_bytes(_doc(pdf).replace(b"FAIL", b"PASS"))  # edited by hand
    code, out = _verify(str(pdf), "--inputs", str(tmp_path / "in"))
    assert code == 1, out
    assert f"DIFFERS  {beside} beside the PDF is not the dossier.json attached to it" in out
    assert "pages    as issued" in out  # the PDF itself is as issued

    beside.unlink()  # a record copied on its own: nothing to compare
    code, out = _verify(str(pdf), "--inputs", str(tmp_path / "in"))
    assert code == 0, out
    assert "beside" not in out


def test_the_entry_json_beside_the_entry_pdf_is_compared_too(tmp_path: Path) -> None:
    pdf = _record(tmp_path, "entry")
    (pdf.parent / "entry.json").write_bytes(_doc(pdf) + b" ")
    code, out = _verify(str(pdf), "--inputs", str(tmp_path / "in"))
    assert code == 1, out
    assert "beside the PDF is not the entry.json attached to it" in out


def test_a_json_file_names_the_record_pdf_beside_it(tmp_path: Path) -> None:
    pdf = _record(tmp_path)
    code, out = _verify(str(pdf.parent / "dossier.json"))
    assert code == 3
    assert out.strip() == (
        f"rfcheck: error: {pdf.parent / 'dossier.json'}: not a PDF file (no %PDF- header); "
        f"verify the record PDF beside it: rfcheck verify {pdf}"
    )
    entry = _record(tmp_path / "e", "entry")
    (entry.parent / "summary.json").write_text("{}")
    code, out = _verify(str(entry.parent / "summary.json"))
    assert code == 3
    assert out.strip().endswith(f"rfcheck verify {entry} --inputs {entry.parent}")
    lone = tmp_path / "lone.json"
    lone.write_text("{}")
    code, out = _verify(str(lone))
    assert code == 3
    assert out.strip() == f"rfcheck: error: {lone}: not a PDF file (no %PDF- header)"


def test_a_copy_beside_an_altered_attachment_is_named_as_the_one_issued(
    tmp_path: Path, pdf_forgery: ModuleType
) -> None:
    """The attached dossier.json forged, the copy beside it as issued: named as the issued one."""
    pdf = _record(tmp_path)
    issued = _doc(pdf)
    forged = pdf_forgery.attach_again(pdf, pdf, "dossier.json", issued.replace(b"FAIL", b"PASS"))
    beside = forged.parent / "dossier.json"  # the copy written at issue, untouched
    code, out = _verify(str(forged), "--inputs", str(tmp_path / "in"))
    assert code == 1, out
    assert "ALTERED  attachment dossier.json differs from the one attached at issue" in out
    assert "rely on the attached one" not in out
    assert (
        f"beside   {beside}: the same bytes as the dossier.json attached at issue (its sha256 "
        "sealed in the record); the copy attached to the PDF was altered since (above)"
    ) in out

    beside.write_bytes(issued + b" ")  # neither the issued nor the attached bytes
    code, out = _verify(str(forged), "--inputs", str(tmp_path / "in"))
    assert code == 1, out
    assert f"DIFFERS  {beside} beside the PDF is neither the dossier.json attached to it nor" in out
