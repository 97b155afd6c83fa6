"""Test rfcheck.report.pdftext: cell text breaks at spaces, inside a word only when it must."""

from __future__ import annotations

from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from rfcheck.report.pdftext import WordsFirst, font_safe, markup_escape, paragraph

CJK = ParagraphStyle("cell", fontName="Helvetica", fontSize=7.2, leading=8.8, wordWrap="CJK")


def _texts(p: Paragraph, width: float) -> list[str]:
    p.wrap(width, 1000.0)
    out = []
    for line in p.blPara.lines:
        words = getattr(line, "words", None)
        if words is None:  # simple lines: (width, [words])
            out.append(" ".join(line[1]))
        else:
            out.append("".join(getattr(w, "text", "") for w in words))
    return out


def test_numbers_and_units_break_at_spaces_when_they_fit() -> None:
    """The report's cell style and a column as wide as the line's first 29 characters."""
    from rfcheck.report import _pdfkit as K
    from rfcheck.report.fonts import FONT, register_fonts

    register_fonts()
    style = K.styles()["cellwrap"]
    text = "not evaluated: 1000.00\u20135000.00 MHz"
    width = pdfmetrics.stringWidth(text[:29], FONT, 7.2) + 1
    lines = _texts(K.p(text, style), width)
    assert [ln.strip() for ln in lines] == ["not evaluated:", "1000.00\u20135000.00 MHz"]
    # what a character-wrapping paragraph did: the number cut at the column's edge
    old = _texts(Paragraph(text, style), width)
    assert [ln.strip() for ln in old] == ["not evaluated: 1000.00\u20135000.0", "0 MHz"]


def test_a_word_wider_than_the_column_still_breaks_inside() -> None:
    path = "conducted/a_very_long_capture_file_name_keysight.csv"
    width = pdfmetrics.stringWidth(path, "Helvetica", 7.2) / 3
    lines = _texts(WordsFirst(path, CJK), width)
    assert len(lines) >= 3
    assert "".join(ln.strip() for ln in lines) == path


def test_only_character_wrapping_styles_get_the_words_first_paragraph() -> None:
    plain = ParagraphStyle("plain", fontName="Helvetica", fontSize=7.2)
    assert type(paragraph("x", CJK)) is WordsFirst
    assert type(paragraph("x", plain)) is not WordsFirst


@given(st.text(alphabet=st.sampled_from("a&<>\"'; #x1µ\n"), max_size=40) | st.text(max_size=40))
def test_markup_escape_is_the_xml_escape(text: str) -> None:
    """The XML escape of the text as the report font can draw it (font_safe)."""
    drawable = font_safe(text)
    assert markup_escape(text) == escape(drawable)
    assert markup_escape(text, quotes=True) == escape(drawable, {'"': "&quot;", "'": "&#39;"})


def test_markup_escape_of_markup() -> None:
    assert markup_escape('<b>"R&S"</b>', quotes=True) == "&lt;b&gt;&quot;R&amp;S&quot;&lt;/b&gt;"
    assert markup_escape("it's <1>") == "it's &lt;1&gt;"


def test_characters_without_a_glyph_are_written_as_escapes() -> None:
    """CJK and emoji (no DejaVu glyph) become escapes; Latin, Greek and symbols stay."""
    assert font_safe("Lüfter — 深圳 🚀 µ Ω ≥ ×") == ("Lüfter — \\u6df1\\u5733 \\U0001f680 µ Ω ≥ ×")
    assert font_safe("line one\nline two") == "line one\nline two"
    assert markup_escape("<深>") == "&lt;\\u6df1&gt;"


def test_record_and_report_cells_keep_a_chinese_name_visible() -> None:
    """A manufacturer named in Chinese reads as escapes in the cell, not as blank space."""
    from rfcheck.record._pdfstyle import para
    from rfcheck.report import _pdfkit as K

    name = "深圳市示例科技有限公司"
    shown = "".join(f"\\u{ord(c):04x}" for c in name)
    assert shown in para(name).text
    cell = K.p(name, K.styles()["cellwrap"])
    assert "".join(f.text for f in cell.frags) == shown
