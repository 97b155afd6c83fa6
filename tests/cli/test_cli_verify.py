"""``rfcheck verify``: exit codes and exact lines (the PDF is built by the record package)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from rfcheck.cli import main
from rfcheck.errors import RecordFileError
from rfcheck.record import CoverFacts, build_manifest, input_file, parse_record, write_record_pdf
from rfcheck.record.manifest import parse_manifest


def _dossier(root: Path) -> Path:
    (root / "conducted").mkdir(parents=True)
    (root / "conducted" / "a.csv").write_bytes(b"freq_hz,level\n150000,40.0\n")
    (root / "b\x1bname.csv").write_bytes(b"x\n")
    Image.new("RGB", (8, 8), "red").save(root / "p.png")
    inputs = [
        input_file(p, root, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in (root / "conducted" / "a.csv", root / "b\x1bname.csv")
    ]
    manifest = build_manifest(inputs, {"distance_m": 3}, verdict="PASS", revision=2)
    pdf = root.parent / "dossier.pdf"
    write_record_pdf(
        pdf, parse_record({}), CoverFacts("PASS", manifest.report_id.text), manifest=manifest
    )
    return pdf


def test_verify_passes_on_an_untouched_folder(tmp_path: Path) -> None:
    pdf = _dossier(tmp_path / "in")
    result = CliRunner().invoke(main, ["verify", str(pdf), "--inputs", str(tmp_path / "in")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        "pages    as issued (their SHA-256 matches the one sealed in the manifest)",
        "page 1   shows PASS, the recorded verdict",
        "match    b\\u001bname.csv",
        "match    conducted/a.csv",
    ]  # textsafe.printable
    assert lines[4].startswith("2 of 2 inputs match the manifest of RFC-") and lines[4].endswith(
        "-r2"
    )


def test_no_input_under_the_folder_given_says_what_inputs_must_name(tmp_path: Path) -> None:
    """Run from elsewhere with the default ``--inputs .``, every input read MISSING, unexplained.

    The line after the count says what ``--inputs`` must name. The PDF itself is as issued:
    exit 5 (the measurements not checked), never 1, the code of an altered record; the last
    line says what was and was not checked. One input found and the other not: exit 1.
    """
    pdf = _dossier(tmp_path / "in")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, lines = _verify(pdf, elsewhere)
    assert code == 5
    assert lines[-1] == (
        "AS ISSUED, INPUTS NOT CHECKED: the PDF's pages, page 1's verdict and its attachments "
        "are as issued; none of its 2 inputs was found, so the measurements were neither "
        "re-hashed nor re-judged"
    )
    (elsewhere / "conducted").mkdir()
    (elsewhere / "conducted" / "a.csv").write_bytes((tmp_path / "in/conducted/a.csv").read_bytes())
    code, partly = _verify(pdf, elsewhere)
    assert code == 1 and not partly[-1].startswith("AS ISSUED")
    (i,) = [k for k, line in enumerate(lines) if line.startswith("0 of 2 inputs match")]
    assert lines[i + 1] == (
        f"no input found under {elsewhere}: --inputs must name the folder the record was made "
        "from (the manifest's paths are relative to it)"
    )
    _, found = _verify(pdf, tmp_path / "in")
    assert not any(line.startswith("no input found") for line in found)


def _verify(pdf: Path, inputs: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["verify", str(pdf), "--inputs", str(inputs)])
    return result.exit_code, result.output.splitlines()


def test_a_record_whose_page_1_was_edited_after_issue_exits_1(
    tmp_path: Path, pdf_forgery: ModuleType
) -> None:
    """Page 1 edited from PASS to FAIL, the inputs and the attachments untouched."""
    pdf = _dossier(tmp_path / "in")
    forged = pdf_forgery.edit_page_text(pdf, tmp_path / "forged.pdf", b"(PASS", b"(FAIL")
    code, lines = _verify(forged, tmp_path / "in")
    assert code == 1
    assert lines[0].startswith(
        "ALTERED  the record's pages differ from those it was issued with: altered after issue "
        "(expected sha256 "
    )
    assert lines[1] == "ALTERED  page 1 shows FAIL, not the recorded verdict PASS"
    assert lines[2:4] == ["match    b\\u001bname.csv", "match    conducted/a.csv"]
    assert lines[-1] == (
        "NOT AS ISSUED: this PDF's pages were altered after issue; do not rely on them"
    )


def test_one_flipped_byte_in_a_page_content_stream_exits_1(
    tmp_path: Path, pdf_forgery: ModuleType
) -> None:
    pdf = _dossier(tmp_path / "in")
    code, lines = _verify(pdf_forgery.flip_content_byte(pdf, tmp_path / "f.pdf"), tmp_path / "in")
    assert code == 1
    assert lines[0].startswith("ALTERED  the record's pages differ from those it was issued with")
    assert lines[-1].startswith("NOT AS ISSUED: this PDF's pages were altered after issue")


def test_an_attachment_changed_after_issue_exits_1(tmp_path: Path, pdf_forgery: ModuleType) -> None:
    pdf = pdf_forgery.attach_again(
        _dossier(tmp_path / "in"), tmp_path / "f.pdf", "summary.csv", b"unit,verdict\nx,PASS\n"
    )
    code, lines = _verify(pdf, tmp_path / "in")
    assert code == 1
    assert lines[2] == "ALTERED  attachment summary.csv was added after issue"
    assert lines[-1] == "NOT AS ISSUED: this PDF's attachments were altered after issue"


def test_a_record_whose_seal_was_removed_is_altered(
    tmp_path: Path, pdf_forgery: ModuleType
) -> None:
    """It read ``pages    not checked (record issued before page digests)``, exit 0."""
    pdf = pdf_forgery.drop_pages_digest(_dossier(tmp_path / "in"), tmp_path / "old.pdf")
    code, lines = _verify(pdf, tmp_path / "in")
    assert code == 1
    assert lines[:2] == [
        "page 1   shows PASS, the recorded verdict",
        "ALTERED  seal removed: the manifest carries no pages_sha256 and no attachments_sha256, "
        "which every rfcheck version writes into every record it issues (this one says rfcheck "
        "0.1.0): its pages and attachments cannot be checked",
    ]
    assert lines[-1] == (
        "NOT AS ISSUED: the record embedded in this PDF contradicts itself or its inputs "
        "(the ALTERED lines); it was altered after issue"
    )


def test_verify_fails_naming_the_changed_and_the_missing_file(tmp_path: Path) -> None:
    pdf = _dossier(tmp_path / "in")
    capture = tmp_path / "in" / "conducted" / "a.csv"
    expected = hashlib.sha256(capture.read_bytes()).hexdigest()
    capture.write_bytes(capture.read_bytes().replace(b"40.0", b"40.1"))
    found = hashlib.sha256(capture.read_bytes()).hexdigest()
    (tmp_path / "in" / "b\x1bname.csv").unlink()
    result = CliRunner().invoke(main, ["verify", str(pdf), "--inputs", str(tmp_path / "in")])
    assert result.exit_code == 1
    assert result.output.splitlines()[2:4] == [
        "MISSING  b\\u001bname.csv",
        f"DIFFERS  conducted/a.csv (expected sha256 {expected[:16]}…, found {found[:16]}…)",
    ]
    assert result.output.splitlines()[4].startswith("0 of 2 inputs match")


def test_unreadable_pdf_and_pdf_without_manifest_exit_3(tmp_path: Path) -> None:
    not_pdf = tmp_path / "x.pdf"
    not_pdf.write_bytes(b"hello")
    result = CliRunner().invoke(main, ["verify", str(not_pdf)])
    assert result.exit_code == 3
    assert result.output == f"rfcheck: error: {not_pdf}: not a PDF file (no %PDF- header)\n"
    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(72, 72, "no attachments")
    canvas.save()
    result = CliRunner().invoke(main, ["verify", str(plain)])
    assert result.exit_code == 3
    assert result.output == (
        f"rfcheck: error: {plain}: no embedded manifest.json (not an rfcheck dossier PDF?)\n"
    )
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(plain.read_bytes()[:40])
    result = CliRunner().invoke(main, ["verify", str(truncated)])
    assert result.exit_code == 3 and result.output.startswith(f"rfcheck: error: {truncated}: ")


def test_verify_usage_errors_exit_2_and_help_documents_exit_codes(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["verify"]).exit_code == 2
    # a missing --inputs folder is an unreadable input, exit 3 (test_input_exit_codes.py)
    nope = ["verify", "x.pdf", "--inputs", str(tmp_path / "nope")]
    assert CliRunner().invoke(main, nope).exit_code == 3
    help_text = CliRunner().invoke(main, ["verify", "--help"]).output
    for line in (
        "0  the PDF's pages and attachments are those it was issued with, the record",
        "dossier.json, entry.json and summary.csv agree with the manifest) and",
        "in the manifest is present and byte-identical, and so is every limit",
        "record was judged by; and re-judging them with the embedded settings",
        "1  the pages or attachments were altered after issue, the seal was removed,",
        "that matches (ALTERED), or page 1 shows another verdict; an",
        "input differs or is missing, or a shipped limit table or plan rules file",
        "changed since the record was issued, or a lab's file was read from outside",
        "the record's folder and cannot be re-hashed (one line each names it); or",
        "2  usage error",
        "3  the PDF cannot be read or carries no valid embedded manifest, or the",
        "--inputs folder does not exist or is a file",
    ):
        assert line in help_text


def test_verify_refuses_a_device_as_the_pdf() -> None:
    result = CliRunner().invoke(main, ["verify", "/dev/zero"])
    assert result.exit_code == 3
    assert result.output == (
        "rfcheck: error: /dev/zero: cannot read PDF: a character device "
        "(only regular files are read)\n"
    )


def test_verify_never_blocks_on_a_fifo_input(tmp_path: Path) -> None:
    pdf = _dossier(tmp_path / "in")
    capture = tmp_path / "in" / "conducted" / "a.csv"
    capture.unlink()
    os.mkfifo(capture)
    result = CliRunner().invoke(main, ["verify", str(pdf), "--inputs", str(tmp_path / "in")])
    assert result.exit_code == 1
    assert "conducted/a.csv" in result.output


def test_pypdf_log_lines_stay_off_stderr(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(72, 72, "no attachments")
    canvas.save()
    half = tmp_path / "half.pdf"
    half.write_bytes(plain.read_bytes()[: len(plain.read_bytes()) // 2])
    result = CliRunner().invoke(main, ["verify", str(half)])
    assert result.exit_code == 3
    assert result.output.count("\n") == 1 and result.output.startswith("rfcheck: error: ")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ([], "manifest has no inputs to verify"),
        ([{"path": "a\u0000b", "sha256": "0" * 64}], "inputs[1]: path holds a NUL character"),
        (
            [{"path": "a.csv", "sha256": "0" * 64}, {"path": "a.csv", "sha256": "0" * 64}],
            "inputs[2]: path 'a.csv' is listed twice",
        ),
    ],
)
def test_hostile_manifests_are_refused(inputs: list[dict[str, str]], message: str) -> None:
    doc = {"format": "rfcheck-manifest", "format_version": 1, "inputs": inputs}
    with pytest.raises(RecordFileError) as err:
        parse_manifest(json.dumps(doc), source="m.json")
    assert str(err.value) == f"m.json: {message}"
