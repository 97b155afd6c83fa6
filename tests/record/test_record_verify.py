"""verify: the PDF against the digests sealed at issue and page 1's verdict; the inputs re-hashed.

Re-judging goes through a callback.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rfcheck.errors import RecordFileError
from rfcheck.record import FileStatus, Manifest, parse_manifest, read_manifest, verify_pdf
from rfcheck.record.pages import pages_sha256
from rfcheck.record.verify import PagesStatus


def test_untouched_folder_matches(make_dossier: Callable[..., Path], setup_dir: Path) -> None:
    result = verify_pdf(make_dossier(), setup_dir)
    assert [(f.path, f.status) for f in result.files] == [
        ("conducted/HC3_L1.csv", FileStatus.MATCH),
        ("conducted/HC3_L2.csv", FileStatus.MATCH),
        ("setup.toml", FileStatus.MATCH),
    ]
    assert result.pages is not None and result.pages.status is PagesStatus.UNCHANGED
    assert result.shown is not None and result.shown.shown == ("PASS", "PASS")
    assert result.attachments is not None
    assert set(result.attachments.found) == {"dossier.json", "summary.csv"}
    assert result.attachments.altered == ()
    assert result.ok


def test_the_sealed_digest_is_that_of_the_finished_pages(
    make_dossier: Callable[..., Path],
) -> None:
    """Attaching the manifest leaves the pages (and the PDF version) as they were laid out."""
    from pypdf import PdfReader

    pdf = make_dossier()
    sealed = read_manifest(pdf).pages_sha256
    assert sealed is not None and sealed == pages_sha256(PdfReader(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-1.4")


def test_sealing_reads_the_pages_once(
    make_dossier: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest is taken from the finished pages only: the sealed PDF is not read again.

    (~0.04 s a record; what the second reading checked, the test above and ``verify`` of an
    untouched record check.)
    """
    from pypdf import PdfReader

    from rfcheck.record import pages

    calls: list[str] = []

    def counted(reader: Any) -> str:
        calls.append(digest := pages_sha256(reader))
        return digest

    monkeypatch.setattr(pages, "pages_sha256", counted)
    pdf = make_dossier()
    assert len(calls) == 1
    assert calls[0] == read_manifest(pdf).pages_sha256 == pages_sha256(PdfReader(pdf))


def test_a_page_edited_after_issue_is_altered_and_page_1_disagrees(
    make_dossier: Callable[..., Path], setup_dir: Path, pdf_forgery: ModuleType
) -> None:
    """The banner and the verdict fact edited from PASS to FAIL; the attachments untouched."""
    pdf = make_dossier()
    forged = pdf_forgery.edit_page_text(pdf, pdf.with_name("forged.pdf"), b"(PASS", b"(FAIL")
    result = verify_pdf(forged, setup_dir, rejudge=lambda m, s: "PASS")
    assert result.all_match and result.rejudged is not None and result.rejudged.stands
    assert result.pages is not None and result.pages.status is PagesStatus.ALTERED
    assert result.shown is not None and result.shown.shown == ("FAIL", "FAIL")
    assert not result.shown.agrees
    assert not result.as_issued and not result.ok


def test_one_flipped_byte_in_a_content_stream_is_altered(
    make_dossier: Callable[..., Path], setup_dir: Path, pdf_forgery: ModuleType
) -> None:
    pdf = make_dossier()
    for page in (0, 1):
        flipped = pdf_forgery.flip_content_byte(pdf, pdf.with_name(f"flip{page}.pdf"), page)
        result = verify_pdf(flipped, setup_dir)
        assert result.all_match
        assert result.pages is not None and result.pages.status is PagesStatus.ALTERED, page
        assert not result.ok


def test_an_attachment_changed_after_issue_is_altered(
    make_dossier: Callable[..., Path], setup_dir: Path, pdf_forgery: ModuleType
) -> None:
    pdf = make_dossier()
    forged = pdf_forgery.attach_again(
        pdf, pdf.with_name("forged.pdf"), "dossier.json", b'{"verdict": "FAIL"}\n'
    )
    result = verify_pdf(forged, setup_dir)
    assert result.pages is not None and result.pages.status is PagesStatus.UNCHANGED
    assert result.attachments is not None and result.attachments.altered == ("dossier.json",)
    assert not result.as_issued and not result.ok
    added = pdf_forgery.attach_again(pdf, pdf.with_name("added.pdf"), "extra.txt", b"x")
    result = verify_pdf(added, setup_dir)
    assert result.attachments is not None and result.attachments.altered == ("extra.txt",)


def test_a_record_whose_seal_was_removed_is_altered_and_page_1_still_checked(
    make_dossier: Callable[..., Path], setup_dir: Path, pdf_forgery: ModuleType
) -> None:
    """No pages_sha256 / attachments_sha256 read as an old record (exit 0).

    Every rfcheck version seals every record it issues: a manifest without the seal had it
    removed.
    """
    pdf = make_dossier()
    old = pdf_forgery.drop_pages_digest(pdf, pdf.with_name("old.pdf"))
    result = verify_pdf(old, setup_dir)
    assert result.pages is not None and result.pages.status is PagesStatus.NOT_CHECKED
    assert result.self_check is not None
    assert result.self_check.problems[0].startswith(
        "seal removed: the manifest carries no pages_sha256 and no attachments_sha256, "
    )
    assert not result.as_issued and not result.ok
    forged = pdf_forgery.edit_page_text(old, pdf.with_name("forged.pdf"), b"(PASS", b"(FAIL")
    result = verify_pdf(forged, setup_dir)
    assert result.shown is not None and not result.shown.agrees and not result.ok


def test_one_changed_byte_and_a_missing_file_are_named(
    make_dossier: Callable[..., Path], setup_dir: Path
) -> None:
    pdf = make_dossier()
    capture = setup_dir / "conducted" / "HC3_L2.csv"
    data = bytearray(capture.read_bytes())
    data[-3] ^= 0x01
    capture.write_bytes(bytes(data))
    (setup_dir / "conducted" / "HC3_L1.csv").unlink()
    result = verify_pdf(pdf, setup_dir)
    assert {f.path: f.status for f in result.files} == {
        "conducted/HC3_L1.csv": FileStatus.MISSING,
        "conducted/HC3_L2.csv": FileStatus.DIFFERS,
        "setup.toml": FileStatus.MATCH,
    }
    assert not result.ok


def test_rejudge_runs_only_on_matching_inputs_and_compares_verdicts(
    make_dossier: Callable[..., Path], setup_dir: Path
) -> None:
    calls: list[Mapping[str, Any]] = []

    def rejudge(manifest: Manifest, settings: Mapping[str, Any]) -> str:
        calls.append(settings)
        return "FAIL"

    pdf = make_dossier(settings={"distance_m": 10.0})
    result = verify_pdf(pdf, setup_dir, rejudge=rejudge)
    assert calls == [{"distance_m": 10}]
    assert result.rejudged is not None and result.rejudged.recorded == "PASS"
    assert not result.rejudged.stands and not result.ok
    assert verify_pdf(pdf, setup_dir, rejudge=lambda m, s: "PASS").ok
    (setup_dir / "setup.toml").write_text("changed", encoding="utf-8")
    calls.clear()
    assert verify_pdf(pdf, setup_dir, rejudge=rejudge).rejudged is None and calls == []


def _manifest(inputs: list[dict[str, Any]]) -> str:
    return json.dumps({"format": "rfcheck-manifest", "format_version": 1, "inputs": inputs})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "manifest is not valid JSON"),
        (
            json.dumps(
                {
                    "format": "rfcheck-manifest",
                    "format_version": 1,
                    "inputs": [{"path": "a.csv", "sha256": "0" * 64}],
                    "pages_sha256": "ABC",
                }
            ),
            "pages_sha256 must be 64 lowercase hex digits",
        ),
        ('{"format": "other"}', "not an rfcheck input manifest"),
        (
            _manifest([{"path": "../etc/passwd", "sha256": "0" * 64}]),
            "inputs[1]: path '../etc/passwd' is not relative to the inputs folder",
        ),
        (
            _manifest([{"path": "/etc/passwd", "sha256": "0" * 64}]),
            "inputs[1]: path '/etc/passwd' is not relative to the inputs folder",
        ),
        (
            _manifest([{"path": "a.csv", "sha256": "xyz"}]),
            "inputs[1]: sha256 must be 64 lowercase hex digits",
        ),
    ],
)
def test_malformed_manifests_are_rejected(text: str, message: str) -> None:
    with pytest.raises(RecordFileError) as err:
        parse_manifest(text, source="d.pdf:manifest.json")
    assert str(err.value).startswith(f"d.pdf:manifest.json: {message}")


def test_a_lab_file_outside_the_record_folder_is_not_called_shipped() -> None:
    """A transducer kept outside the record's folder read '(shipped with rfcheck)'."""
    from rfcheck.report_id import ReportId

    sha = "0" * 64
    m = Manifest(
        inputs=(),
        settings={"shipped": {"limit:fcc-15.107-b.toml": sha, "transducer:lisn.csv": sha}},
        report_id=ReportId("a" * 64, 1),
    )
    assert [(r, p) for r, p, _ in m.listed()] == [
        ("limit", "fcc-15.107-b.toml (shipped with rfcheck)"),
        ("transducer", "lisn.csv (outside the record's folder)"),
    ]


def test_a_lab_file_outside_the_record_folder_is_not_checked_and_said(
    make_dossier: Callable[..., Path], setup_dir: Path
) -> None:
    """A LISN file outside the folder, edited after issue, verified as 'match'.

    It is named in the manifest by name and SHA-256 only; verify cannot re-hash it, so it says
    so and the record does not verify (``ok`` False).
    """
    pdf = make_dossier()
    result = verify_pdf(pdf, setup_dir)
    assert result.outside == () and result.ok
    from rfcheck.record.verify import outside_files
    from rfcheck.report_id import ReportId

    m = Manifest(
        inputs=(),
        settings={"shipped": {"plan:fcc-part15b.toml": "0" * 64, "lisn:lisn.csv": "1" * 64}},
        report_id=ReportId("a" * 64, 1),
    )
    assert outside_files(m) == (("lisn", "lisn.csv"),)


@pytest.mark.parametrize(
    "assumed", [("ASSUMED DWELL",), ("ASSUMED DWELL", "ASSUMED SCALE")], ids=["dwell", "both"]
)
def test_a_verdict_shown_with_what_it_assumes_is_the_recorded_verdict(
    make_dossier: Callable[..., Path],
    setup_dir: Path,
    make_setup: Callable[[Callable[[str], str]], Path],
    pdf_forgery: ModuleType,
    assumed: tuple[str, ...],
) -> None:
    """``PASS (ASSUMED DWELL)`` on the banner and the fact reads as PASS; a FAIL is still caught.

    With the record incomplete, the banner (``PASS (measurements) (ASSUMED DWELL) (ASSUMED
    SCALE) · RECORD INCOMPLETE``) wraps onto a second line: it reads as one banner, never
    as the banner ``INCOMPLETE`` its last line would be alone.
    """
    from pypdf import PdfReader

    incomplete = make_setup(lambda t: t.replace("[lab]", "[lab_not_given]", 1))
    for setup in (None, incomplete):
        pdf = make_dossier(setup, assumed=assumed)
        page1 = PdfReader(pdf).pages[0].extract_text()
        assert "Measurement verdict\nPASS " + " ".join(f"({a})" for a in assumed) in page1
        result = verify_pdf(pdf, setup_dir)
        assert result.shown is not None and result.shown.shown == ("PASS", "PASS"), page1
        assert result.shown.agrees and result.pages is not None
        assert result.pages.status is PagesStatus.UNCHANGED
        forged = pdf_forgery.edit_page_text(pdf, pdf.with_name("forged.pdf"), b"(PASS", b"(FAIL")
        result = verify_pdf(forged, setup_dir)
        assert result.shown is not None and result.shown.shown == ("FAIL", "FAIL")
        assert not result.shown.agrees and not result.ok
