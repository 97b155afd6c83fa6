"""Test rfcheck.report.pdftext: cell text breaks at spaces, inside a word only when it must."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from rfcheck.report.pdftext import WordsFirst, paragraph

CJK = ParagraphStyle("cell", fontName="Helvetica", fontSize=7.2, leading=8.8, wordWrap="CJK")


def _texts(p: WordsFirst, width: float) -> list[str]:
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
    text = "not evaluated: 1000.00-5000.00 MHz"
    width = pdfmetrics.stringWidth("1000.00-5000.00 MHz", "Helvetica", 7.2) + 2
    lines = _texts(WordsFirst(text, CJK), width)
    assert [ln.strip() for ln in lines] == ["not evaluated:", "1000.00-5000.00 MHz"]


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
