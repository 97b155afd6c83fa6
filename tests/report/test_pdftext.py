"""Test rfcheck.report.pdftext: cell text breaks at spaces, inside a word only when it must."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st
from pytest import MonkeyPatch
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from rfcheck.report.pdftext import WordsFirst, font_safe, markup_escape, paragraph
from rfcheck.textsafe import printable

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


def _fits(lines: list[str], width: float) -> bool:
    return all(pdfmetrics.stringWidth(ln.rstrip(), "Helvetica", 7.2) <= width for ln in lines)


def test_a_path_wider_than_the_column_breaks_after_its_separators() -> None:
    """Each line ends after a ``/``, ``_`` or ``-``, never in the middle of a name part.

    reportlab's character wrapping cut ``conducted/a_very`` / ``_long_capture_file`` / ...
    """
    path = "conducted/a_very_long_capture_file_name_keysight-2.csv"
    width = pdfmetrics.stringWidth("conducted/a_very_long_c", "Helvetica", 7.2)
    lines = _texts(WordsFirst(path, CJK), width)
    assert lines == ["conducted/a_very_long_", "capture_file_name_", "keysight-2.csv"]
    assert _fits(lines, width)
    # what a character-wrapping paragraph did: names cut at the column's edge
    assert _texts(Paragraph(path, CJK), width)[0] == "conducted/a_very_long_c"


def test_a_cell_of_words_and_paths_breaks_at_spaces_and_separators_only() -> None:
    """The last space or (inside a too-wide path) separator that fits ends each line."""
    text = "captures: /lab/runs/2025-11-12/rig_3m_V_30M-1G_rs.DAT, /lab/x.csv"
    width = pdfmetrics.stringWidth("/lab/runs/2025-11-12/rig_3m", "Helvetica", 7.2)
    lines = _texts(WordsFirst(text, CJK), width)
    assert lines == ["captures: /lab/runs/2025-11-", "12/rig_3m_V_30M-1G_", "rs.DAT, /lab/x.csv"]
    assert _fits(lines, width)


def test_a_part_wider_than_the_column_alone_is_cut_inside() -> None:
    """Only a part between separators that is wider than the column breaks mid-name."""
    part = "0123456789abcdef0123456789"
    width = pdfmetrics.stringWidth(part[:10], "Helvetica", 7.2) + 0.1
    lines = _texts(WordsFirst(f"runs/{part}/b_c", CJK), width)
    assert lines == ["runs/", part[:10], part[10:20], part[20:] + "/b_c"]
    assert _fits(lines, width)


def test_an_escaped_tag_is_one_word_and_breaks_at_spaces_first() -> None:
    """The entry sheet's Model cell broke ``<scrip`` / ``t>alert(1)<``.

    Markup splits ``&lt;script&gt;`` into several fragments; each was measured as a word of
    its own, so the paragraph took the word-wrapping style, which cut the too-wide tag word
    at the column's edge, after a space that could have ended the line.
    """
    text = markup_escape("W-1 <script>alert(1)</script>")
    width = pdfmetrics.stringWidth("<script>al", "Helvetica", 7.2)
    lines = [ln.strip() for ln in _texts(WordsFirst(text, CJK), width)]
    assert lines == ["W-1", "<script>", "alert(1)</", "script>"]
    assert _fits(lines, width)


def test_a_line_break_in_the_text_still_ends_its_line() -> None:
    width = pdfmetrics.stringWidth("second_line_", "Helvetica", 7.2) + 0.1
    lines = _texts(WordsFirst("line one<br/>second_line_is/long", CJK), width)
    assert [ln.rstrip() for ln in lines] == ["line one", "second_line_", "is/long"]


def test_word_and_character_wrapping_styles_get_the_words_first_paragraph() -> None:
    plain = ParagraphStyle("plain", fontName="Helvetica", fontSize=7.2)
    rtl = ParagraphStyle("rtl", fontName="Helvetica", fontSize=7.2, wordWrap="RTL")
    assert type(paragraph("x", CJK)) is WordsFirst
    assert type(paragraph("x", plain)) is WordsFirst
    assert type(paragraph("x", rtl)) is Paragraph


def test_a_heading_breaks_a_long_path_at_its_separators() -> None:
    """A word-wrapping style (a PDF heading) cut a too-wide path at the column's edge."""
    h1 = ParagraphStyle("h1", fontName="Helvetica", fontSize=12.5, leading=16)
    text = "Capture 1 of 1: /lab/hc3_rev_b/conducted_lisn/rig_L1_average_keysight_final.csv"
    width = pdfmetrics.stringWidth("Capture 1 of 1: /lab/hc3_rev_b/conduc", "Helvetica", 12.5)
    lines = [ln.rstrip() for ln in _texts(paragraph(text, h1), width)]
    assert lines == [
        "Capture 1 of 1: /lab/hc3_rev_b/",
        "conducted_lisn/rig_L1_average_",
        "keysight_final.csv",
    ]
    old = [ln.rstrip() for ln in _texts(Paragraph(text, h1), width)]
    assert old[0] == "Capture 1 of 1: /lab/hc3_rev_b/conduc"  # cut where the column ended
    h1_cjk = ParagraphStyle("h1c", parent=h1, wordWrap="CJK")
    assert [ln.rstrip() for ln in _texts(paragraph(text, h1_cjk), width)] == lines


@given(st.text(alphabet=st.sampled_from("a&<>\"'; #x1µ\n"), max_size=40) | st.text(max_size=40))
def test_markup_escape_is_the_xml_escape(text: str) -> None:
    """The XML escape of the printable text as the report font can draw it.

    Controls, bidi and invisible characters as escapes (printable, line feeds kept), then
    what the font has no glyph for (font_safe).
    """
    drawable = font_safe(printable(text, keep_newlines=True))
    assert markup_escape(text) == escape(drawable)
    assert markup_escape(text, quotes=True) == escape(drawable, {'"': "&quot;", "'": "&#39;"})


def test_markup_escape_of_markup() -> None:
    assert markup_escape('<b>"R&S"</b>', quotes=True) == "&lt;b&gt;&quot;R&amp;S&quot;&lt;/b&gt;"
    assert markup_escape("it's <1>") == "it's &lt;1&gt;"


def test_markup_escape_shows_bidi_and_invisible_characters_as_escapes() -> None:
    r"""A unit ``u\u202e1`` drawn raw reversed the dossier's headings (the font has a glyph)."""
    assert markup_escape("u\u202e1 <NX\u200b-7>\nnext") == "u\\u202e1 &lt;NX\\u200b-7&gt;\nnext"


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


def test_a_path_wrapped_again_at_one_width_is_broken_once(monkeypatch: MonkeyPatch) -> None:
    """A table wraps each cell several times at one width: the name breaking runs once.

    A PDF of a run over 100 inputs wraps their provenance paths ~300 times: 0.7 ms each.
    """
    from rfcheck.report import pdftext

    calls: list[list[float]] = []
    real = pdftext._name_lines

    def counted(frags: object, widths: list[float], calc_bounds: bool) -> object:
        calls.append(widths)
        return real(frags, widths, calc_bounds)

    monkeypatch.setattr(pdftext, "_name_lines", counted)
    path = "conducted/a_very_long_capture_file_name_keysight-2.csv"
    width = pdfmetrics.stringWidth("conducted/a_very_long_c", "Helvetica", 7.2)
    p = WordsFirst(path, CJK)
    first = _texts(p, width)
    assert (
        _texts(p, width)
        == first
        == ["conducted/a_very_long_", "capture_file_name_", "keysight-2.csv"]
    )
    assert len(calls) == 1
    _texts(p, width / 2)  # another width: broken again
    assert len(calls) == 2


_MARGINS = ("leftMargin", "rightMargin", "topMargin", "bottomMargin")


def test_a_paragraph_split_at_a_page_break_keeps_its_spaces(tmp_path: Path) -> None:
    """The part on the next page kept its words apart.

    It was broken by characters, as if it held a word wider than the column, and its words
    ran together ("bound(e.g.peakagainstaquasi-peakline)thatisbelowthelimit").
    """
    from pypdf import PdfReader
    from reportlab.platypus import SimpleDocTemplate

    from rfcheck.report import _pdfkit as K
    from rfcheck.report.fonts import register_fonts

    register_fonts()
    styles = K.styles()
    text = " ".join(
        f"bound{i} (e.g. peak against a quasi-peak line) that is below" for i in range(9)
    )
    out = tmp_path / "split.pdf"
    for name in ("small", "cell", "cellwrap"):
        doc = SimpleDocTemplate(str(out), pagesize=(220, 90), **dict.fromkeys(_MARGINS, 10))
        doc.build([K.p(text, styles[name])])
        pages = PdfReader(out).pages
        assert len(pages) > 1
        for page in pages:
            words = page.extract_text().split()
            assert "against" in words and "quasi-peak" in words, name
            assert not any("againsta" in w for w in words), name


def _counting_break_lines(monkeypatch: MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = Paragraph.breakLines

    def counted(self: Paragraph, widths: object) -> object:
        calls.append(widths)
        return real(self, widths)

    monkeypatch.setattr(Paragraph, "breakLines", counted)
    return calls


def test_a_paragraph_wrapped_again_at_one_width_keeps_its_lines(monkeypatch: MonkeyPatch) -> None:
    """A table wraps a cell to size its row, then again to draw it: its lines are broken once."""
    calls = _counting_break_lines(monkeypatch)
    words = ParagraphStyle("words", fontName="Helvetica", fontSize=7.2, leading=8.8)
    text = "<b>QP</b> 3.2 dB over the Class B limit at 375.0 MHz, <i>vertical</i> scan"
    width = pdfmetrics.stringWidth("QP 3.2 dB over the Class", "Helvetica", 7.2)
    p = WordsFirst(text, words)
    first = _texts(p, width)
    size = (p.width, p.height)
    assert len(first) > 1 and len(calls) == 1
    assert p.wrap(width, 5.0) == size and _texts(p, width) == first and len(calls) == 1
    wide = _texts(p, width * 3)  # another width: broken again
    assert len(wide) < len(first) and len(calls) == 2
    assert _texts(p, width) == first == _texts(WordsFirst(text, words), width)
    assert len(calls) == 4


def test_a_table_of_paragraphs_draws_the_same_wrapped_once_or_each_time(
    monkeypatch: MonkeyPatch,
) -> None:
    """The PDF of a table split over pages is the same whether each wrap breaks lines anew."""
    import io

    from reportlab.platypus import SimpleDocTemplate, Table

    from rfcheck.report import _pdfkit as K
    from rfcheck.report.fonts import register_fonts

    register_fonts()
    styles = K.styles()

    def build() -> bytes:
        rows = [
            [
                K.p(f"row {i}: a capture of port L{i % 2 + 1}", styles["cell"]),
                K.p(f"conducted/rig_L{i}_peak_keysight.csv, {i * 7.5:.1f} dB", styles["cellwrap"]),
            ]
            for i in range(40)
        ]
        buf = io.BytesIO()
        doc = SimpleDocTemplate(
            buf, pagesize=(300, 300), invariant=1, **dict.fromkeys(_MARGINS, 20)
        )
        doc.build([Table(rows, colWidths=[110, 140], repeatRows=1)])
        return buf.getvalue()

    kept = build()
    real = WordsFirst.wrap

    def anew(self: WordsFirst, w: float, h: float) -> tuple[float, float]:
        self.__dict__.pop("_wrapped", None)
        return real(self, w, h)

    monkeypatch.setattr(WordsFirst, "wrap", anew)
    assert build() == kept
