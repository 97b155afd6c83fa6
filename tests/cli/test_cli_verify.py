"""``rfcheck verify``: exit codes and exact lines (the PDF is built by the record package)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

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
    assert lines[:2] == [
        "match    b\\u001bname.csv",
        "match    conducted/a.csv",
    ]  # textsafe.printable
    assert lines[2].startswith("2 of 2 inputs match the manifest of RFC-") and lines[2].endswith(
        "-r2"
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
    assert result.output.splitlines()[:2] == [
        "MISSING  b\\u001bname.csv",
        f"DIFFERS  conducted/a.csv (expected sha256 {expected[:16]}…, found {found[:16]}…)",
    ]
    assert result.output.splitlines()[2].startswith("0 of 2 inputs match")


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
    assert (
        CliRunner().invoke(main, ["verify", "x.pdf", "--inputs", str(tmp_path / "nope")]).exit_code
        == 2
    )
    help_text = CliRunner().invoke(main, ["verify", "--help"]).output
    for line in (
        "0  every input listed in the manifest is present and byte-identical, and",
        "re-judging them with the embedded settings gives the recorded verdict",
        "1  an input differs or is missing (one line each names it), or the verdict",
        "2  usage error",
        "3  the PDF cannot be read or carries no valid embedded manifest",
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
