"""The record PDF checked with a real PDF library.

Attachments, fonts, page size, page 1, checklist pages, embedded photos, escaping.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from rfcheck.record import MANIFEST_NAME, read_attachments


def _page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _fonts(pdf: Path) -> dict[str, bool]:
    """BaseFont -> whether its font program is embedded (FontFile, FontFile2 or FontFile3)."""
    out: dict[str, bool] = {}
    for page in PdfReader(pdf).pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            for f in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                desc = f.get("/FontDescriptor")
                if desc is not None:
                    desc = desc.get_object()
                    out[str(font["/BaseFont"])] = any(
                        k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    )
            out.setdefault(str(font["/BaseFont"]), False)
    return out


def test_attachments_are_listed_and_read_back(make_dossier: Callable[..., Path]) -> None:
    pdf = make_dossier()
    assert set(PdfReader(pdf).attachments) == {"dossier.json", "summary.csv", MANIFEST_NAME}
    files = read_attachments(pdf)
    assert files["summary.csv"] == b"unit,verdict\nHC3,PASS\n"
    manifest = json.loads(files[MANIFEST_NAME])
    assert [(i["role"], i["path"]) for i in manifest["inputs"]] == [
        ("capture", "conducted/HC3_L1.csv"),
        ("capture", "conducted/HC3_L2.csv"),
        ("setup", "setup.toml"),
    ]
    assert manifest["report_id"]["id"].endswith("-r1")


def test_every_font_is_embedded(make_dossier: Callable[..., Path]) -> None:
    fonts = _fonts(make_dossier())
    assert fonts and all(fonts.values()), fonts
    assert {name.split("+")[-1] for name in fonts} == {
        "DejaVuSans",
        "DejaVuSans-Bold",
        "DejaVuSansMono",
    }


@pytest.mark.parametrize(
    ("paper", "size_pt"), [("letter", (612.0, 792.0)), ("a4", (595.2756, 841.8898))]
)
def test_page_size(
    make_dossier: Callable[..., Path], paper: str, size_pt: tuple[float, float]
) -> None:
    for page in PdfReader(make_dossier(paper=paper)).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            size_pt, abs=0.01
        )


def test_missing_responsible_party_is_on_page_1(
    make_setup: Callable[[Callable[[str], str]], Path], make_dossier: Callable[..., Path]
) -> None:
    def drop(text: str) -> str:
        return text[: text.index("[compliance.responsible_party]")] + text[text.index("[entry]") :]

    page1 = _page_texts(make_dossier(make_setup(drop)))[0]
    flat = " ".join(page1.split())
    assert (
        "record incomplete: responsible party name, responsible party address, "
        "responsible party phone or internet contact" in flat
    )
    assert "PASS (measurements) · RECORD INCOMPLETE" in flat


def test_an_unstated_procedure_prints_missing_never_a_default(
    make_setup: Callable[[Callable[[str], str]], Path], make_dossier: Callable[..., Path]
) -> None:
    texts = _page_texts(make_dossier(make_setup(lambda t: re.sub(r"(?m)^procedure = .*\n", "", t))))
    flat = [" ".join(t.split()) for t in texts]
    missing = (
        "Procedure MISSING: 15.31(a)(4) requires ANSI C63.4-2014; the setup does not state "
        "the procedure followed"
    )
    assert missing in flat[0]
    assert "record incomplete: measurement procedure" in flat[0]
    test_page = next(t for t in flat if "EUT operating mode" in t)
    assert missing in test_page
    assert not any("as referenced by" in t for t in flat)


def test_the_entry_sheet_says_what_the_import_condition_means_and_when_it_contradicts(
    make_setup: Callable[[Callable[[str], str]], Path], make_dossier: Callable[..., Path]
) -> None:
    sheet = " ".join(" ".join(_page_texts(make_dossier())).split())
    assert (
        "Import condition 47 CFR 2.1204(a)(1): the device has an equipment authorization" in sheet
    )
    assert "CONTRADICTS" not in sheet
    setup = make_setup(lambda t: t.replace("import_condition = 1 ", "import_condition = 2 "))
    text = " ".join(" ".join(_page_texts(make_dossier(setup))).split())
    assert (
        "Import condition 47 CFR 2.1204(a)(2): the device is not required to be authorized, "
        "and complies CONTRADICTS THE AUTHORIZATION: the entry sheet states 47 CFR "
        "2.1204(a)(2)"
    ) in text


def test_complete_pass_banner_and_checklist_pages_point_at_their_sections(
    make_dossier: Callable[..., Path],
) -> None:
    texts = _page_texts(make_dossier())
    assert "record incomplete" not in texts[0]
    lines = texts[0].split("\n")
    assert lines[lines.index("Hashcore HC-3: FCC Part 15 Class B") + 1] == "PASS"
    photos_page = next(i for i, t in enumerate(texts, 1) if "Setup photos\nhighest-conducted" in t)
    assert photos_page > 2
    checklist = " ".join(texts[1].split())
    assert (
        f"2.938(b)(7) Setup photos: highest conducted and radiated emission present {photos_page}"
        in checklist
    )


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_label_and_manual_statement_rows_name_the_pages_they_are_on(
    make_setup: Callable[[Callable[[str], str]], Path],
    make_dossier: Callable[..., Path],
    paper: str,
) -> None:
    # a long label text: the 15.105 statement lands after the compliance section's first page
    setup = make_setup(
        lambda t: re.sub(
            r'label_text = "([^"]*)"', lambda m: f'label_text = "{(m[1] + " ") * 14}"', t
        )
    )
    texts = _page_texts(make_dossier(setup, paper=paper))
    compliance = next(i for i, t in enumerate(texts, 1) if "Compliance information (47" in t)
    label = next(i for i, t in enumerate(texts, 1) if "\nLabel\n" in f"\n{t}\n")
    manual = next(i for i, t in enumerate(texts, 1) if "Manual statement (47 CFR 15.105)" in t)
    assert manual > compliance
    checklist = " ".join(texts[1].split())
    assert f"Label text and label photo present {label}" in checklist
    assert f"Manual statement for the device class present {manual}" in checklist


def test_photos_are_embedded_and_hashed(make_dossier: Callable[..., Path], setup_dir: Path) -> None:
    pdf = make_dossier()
    images = sum(len(page.images) for page in PdfReader(pdf).pages)
    assert images == 3  # two setup photos and the label photo
    digest = hashlib.sha256((setup_dir / "photos" / "conducted_setup.png").read_bytes()).hexdigest()
    assert digest in "".join("".join(t.split()) for t in _page_texts(pdf))


def test_untrusted_setup_text_is_printed_not_interpreted(
    make_setup: Callable[[Callable[[str], str]], Path], make_dossier: Callable[..., Path]
) -> None:
    hostile = 'ACME <b>bold</b> & <font color="red">Co <unclosed'
    setup = make_setup(
        lambda t: t.replace(
            'name = "Example EMC pre-compliance lab (fictional)"', f"name = '{hostile}'"
        )
    )
    text = " ".join(" ".join(_page_texts(make_dossier(setup))).split())
    assert hostile in text


def test_missing_photo_file_prints_missing_and_still_builds(
    make_setup: Callable[[Callable[[str], str]], Path], make_dossier: Callable[..., Path]
) -> None:
    setup = make_setup(lambda t: t.replace("photos/radiated_setup.png", "photos/absent.png"))
    text = " ".join(" ".join(_page_texts(make_dossier(setup))).split())
    assert "MISSING: cannot read" in text and "absent.png" in text


def test_failing_unit_cover_and_checklist_do_not_claim_compliance(
    make_dossier: Callable[..., Path],
) -> None:
    """A FAIL with every record item present: the record line and the data item say FAIL.

    The cover once read "complete: every item present" and the checklist "Data showing
    compliance present" for a failing unit; "Findings none" read as "no emission found".
    """
    texts = [" ".join(t.split()) for t in _page_texts(make_dossier(verdict="FAIL"))]
    assert (
        "Record (47 CFR 2.938(b)) every item present, but the data show a FAIL, not compliance"
        in texts[0]
    )
    assert "complete: every item present" not in texts[0]
    assert "Record findings none" in texts[0]
    assert "Data showing compliance shows FAIL" in texts[1]
    assert "the data show a FAIL, not compliance" in texts[1]
    assert "Data showing compliance present" not in texts[1]


def test_passing_unit_data_item_is_present(make_dossier: Callable[..., Path]) -> None:
    texts = [" ".join(t.split()) for t in _page_texts(make_dossier(verdict="PASS"))]
    assert "Record (47 CFR 2.938(b)) complete: every item present" in texts[0]
    assert "Data showing compliance present" in texts[1]


def test_attachments_are_written_with_the_pdf_in_a_sorted_name_tree(tmp_path: Path) -> None:
    """PDF 1.7 7.9.6: a name tree's keys in lexical order; 7.11.4: /EF, /F, /UF, /Size."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    from rfcheck.record import Attachment, build_pdf

    files = [Attachment("z.csv", b"a,b\n1,2\n"), Attachment("a.json", b'{"k": "\xc2\xb5"}')]
    pdf = tmp_path / "a.pdf"
    build_pdf(pdf, lambda _: [Paragraph("x", getSampleStyleSheet()["Normal"])], attachments=files)
    root: Any = PdfReader(pdf).trailer["/Root"]
    tree = root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert [str(tree[i]) for i in range(0, len(tree), 2)] == ["a.json", "z.csv"]
    for i in range(1, len(tree), 2):
        spec = tree[i].get_object()
        assert spec["/Type"] == "/Filespec" and spec["/F"] == spec["/UF"] == tree[i - 1]
        stream = spec["/EF"]["/F"].get_object()
        assert stream["/Type"] == "/EmbeddedFile"
        assert stream["/Params"]["/Size"] == len(stream.get_data())
    assert read_attachments(pdf) == {a.name: a.data for a in files}


def test_two_attachments_of_one_name_are_refused(tmp_path: Path) -> None:
    from rfcheck.record import Attachment, build_pdf

    with pytest.raises(ValueError, match="attachment names must be unique"):
        build_pdf(
            tmp_path / "a.pdf",
            lambda _: [],
            attachments=[Attachment("a.csv", b"1"), Attachment("a.csv", b"2")],
        )
