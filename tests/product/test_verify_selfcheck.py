"""``rfcheck verify`` on a real dossier whose embedded record was forged.

Each forgery leaves the pages' digest intact: only the record's agreement with itself (the
report id recomputed, the attached data against the manifest, the embedded plan against the
setup whose hash matches) gives it away. Every other line still prints; the exit code is 1.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

RECORD = """
[test]
dates = [2025-11-12]
revision = 2
"""


@pytest.fixture(scope="module")
def made(rig: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One judged unit: ``in/`` captures, ``setup.toml``, ``out/unit/dossier.pdf``."""
    tmp = tmp_path_factory.mktemp("selfcheck")
    rig.write_rig(tmp / "in")
    setup = rig.write_setup(tmp / "setup.toml", RECORD)
    args = ["dossier", str(tmp / "in"), "--setup", str(setup), "--out", str(tmp / "out")]
    res = CliRunner().invoke(main, [*args, "--jobs", "1", "--format", "json,pdf"])
    assert res.exit_code in (0, 1, 5), res.output
    return tmp


def _verify(pdf: Path, inputs: Path) -> tuple[int, list[str]]:
    res = CliRunner().invoke(main, ["verify", str(pdf), "--inputs", str(inputs)])
    return res.exit_code, res.output.splitlines()


def _attachment(pdf: Path, name: str) -> bytes:
    from pypdf import PdfReader

    blobs = PdfReader(str(pdf)).attachments[name]
    return blobs[-1]


def _with_manifest(pdf: Path, dst: Path, manifest: dict[str, Any]) -> Path:
    from rfcheck.record import Attachment, embed_attachments

    data = json.dumps(manifest).encode()
    dst.write_bytes(embed_attachments(pdf.read_bytes(), [Attachment("manifest.json", data)]))
    return dst


def _manifest(pdf: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(_attachment(pdf, "manifest.json"))
    return doc


def test_untouched_names_the_issuing_and_re_judging_version(made: Path) -> None:
    code, lines = _verify(made / "out" / "unit" / "dossier.pdf", made)
    assert code == 0, lines
    assert not any(line.startswith("ALTERED") for line in lines)
    assert lines[-2:] == [
        "version  issued by rfcheck 0.1.0, re-judged by 0.1.0",
        "re-judged with the embedded settings: PASS, the recorded verdict stands",
    ]


def test_a_capture_changed_with_its_new_hash_in_the_manifest_is_altered(
    made: Path, tmp_path: Path
) -> None:
    """F1: the numbers move, the verdict stays; the audit's forgery verified with exit 0."""
    import shutil

    inputs = tmp_path / "copy"
    shutil.copytree(made / "in", inputs / "in")
    shutil.copy(made / "setup.toml", inputs / "setup.toml")
    capture = inputs / "in" / "radiated" / "unit_H_30M-1G.csv"
    lines = capture.read_text(encoding="utf-8").splitlines()
    last = lines[-1].split(",")
    lines[-1] = ",".join([last[0], f"{float(last[1]) + 0.5:.2f}"])
    capture.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sha = hashlib.sha256(capture.read_bytes()).hexdigest()
    pdf = made / "out" / "unit" / "dossier.pdf"
    manifest = _manifest(pdf)
    for entry in manifest["inputs"]:
        if entry["path"] == "in/radiated/unit_H_30M-1G.csv":
            entry["sha256"] = sha
    code, out = _verify(_with_manifest(pdf, tmp_path / "f.pdf", manifest), inputs)
    assert code == 1
    recorded = manifest["report_id"]["id"]
    assert out[0] == "pages    as issued (their SHA-256 matches the one sealed in the manifest)"
    line, attached = [ln for ln in out if ln.startswith("ALTERED")]
    assert line.startswith(
        "ALTERED  report id: the manifest's inputs, settings and rfcheck version (0.1.0) give RFC-"
    )
    assert line.endswith(f"not the {recorded} it records: the manifest was edited after issue")
    assert attached == (  # the attached JSON still lists the issued SHA-256
        "ALTERED  attachment dossier.json: units[unit].inputs differs from the manifest's inputs "
        "(paths or SHA-256 of in/radiated/unit_H_30M-1G.csv)"
    )
    assert out[-2] == "re-judged with the embedded settings: PASS, the recorded verdict stands"
    assert out[-1] == (
        "NOT AS ISSUED: the record embedded in this PDF contradicts itself or its inputs "
        "(the ALTERED lines); it was altered after issue"
    )


def test_a_forged_dossier_json_with_its_digest_updated_is_altered(
    made: Path, tmp_path: Path
) -> None:
    """F3: the attached dossier.json said FAIL; the manifest and the pages PASS: exit 0."""
    from rfcheck.record import Attachment, embed_attachments

    pdf = made / "out" / "unit" / "dossier.pdf"
    doc = json.loads(_attachment(pdf, "dossier.json"))
    doc["verdict"] = doc["units"][0]["verdict"] = "FAIL"
    doc["units"][0]["inputs"] = doc["units"][0]["inputs"][1:]
    data = json.dumps(doc).encode()
    manifest = _manifest(pdf)
    manifest["attachments_sha256"]["dossier.json"] = hashlib.sha256(data).hexdigest()
    swapped = tmp_path / "s.pdf"
    swapped.write_bytes(embed_attachments(pdf.read_bytes(), [Attachment("dossier.json", data)]))
    code, out = _verify(_with_manifest(swapped, tmp_path / "f.pdf", manifest), made)
    assert code == 1
    altered = [ln for ln in out if ln.startswith("ALTERED")]
    assert altered[:2] == [
        "ALTERED  attachment dossier.json: verdict is FAIL, the manifest records PASS",
        "ALTERED  attachment dossier.json: units[unit].verdict is FAIL, the manifest records PASS",
    ]
    assert altered[2].startswith(
        "ALTERED  attachment dossier.json: units[unit].inputs differs from the manifest's inputs"
    )


def test_a_forged_embedded_plan_is_altered_not_a_setup_error(made: Path, tmp_path: Path) -> None:
    """F7: ``rfcheck: error: setup.toml: the setup's [plan] differs ...``, exit 3, no other line."""
    pdf = made / "out" / "unit" / "dossier.pdf"
    manifest = _manifest(pdf)
    manifest["settings"]["plan"]["distance_m"] = 10
    code, out = _verify(_with_manifest(pdf, tmp_path / "f.pdf", manifest), made)
    assert code == 1
    assert out[0] == "pages    as issued (their SHA-256 matches the one sealed in the manifest)"
    assert "match    setup.toml" in out
    assert (
        "ALTERED  the embedded plan differs from the [plan] of setup.toml, whose SHA-256 matches "
        "the manifest: the embedded plan was altered after issue"
    ) in out
    assert out[-2] == ("not re-judged: the embedded settings were altered (the ALTERED line above)")


def test_another_issuing_version_is_named_and_may_judge_otherwise(
    made: Path, tmp_path: Path
) -> None:
    """F6: verify named neither version; a manifest's version is also hashed into its id."""
    pdf = made / "out" / "unit" / "dossier.pdf"
    manifest = _manifest(pdf)
    manifest["rfcheck_version"] = "9.9.9"
    code, out = _verify(_with_manifest(pdf, tmp_path / "f.pdf", manifest), made)
    assert code == 1
    assert (
        "version  issued by rfcheck 9.9.9, re-judged by 0.1.0: another version judges by its own "
        "code, so the re-judged verdict may differ for that reason"
    ) in out
    assert any(ln.startswith("ALTERED  report id: ") and "(9.9.9)" in ln for ln in out)
