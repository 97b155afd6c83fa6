r"""Unit names in the lot reports: escaped where the PDF face cannot draw them, cut when long.

"Über-6ユニット" once drew as boxes in the lot PDF's unit table and plot legend and
lost its katakana in the extracted text, although README promises ``\uXXXX`` escapes in
PDFs, as check and dossier write them. A 160-character unit name widened the unit
table so that every row of lot.pdf broke in two.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

CJK = "\u00dcber-6\u30e6\u30cb\u30c3\u30c8"
LONG = "L" + "o" * 150 + "ngUnitName"


def _units() -> dict[str, dict[float, float]]:
    units = {
        name: {n * 100e3: 46.0 - 2.0 * n + 0.3 * i for n in range(2, 9)}
        for i, name in enumerate(("u1", "u2", "u3", "u4", LONG))
    }
    units[CJK] = {n * 115e3: 46.0 - 2.0 * n for n in range(2, 9)}  # another build
    return units


def _lot(tmp_path: Path, lot_writer: LotWriter, fmt: str) -> tuple[Any, Path]:
    setup = lot_writer(tmp_path / "in", _units())
    setup.write_text(
        setup.read_text(encoding="ascii").replace("u[0-9]+", "[^_]+"), encoding="ascii"
    )
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["lot", str(tmp_path / "in"), "--golden", "u1", "--setup", str(setup), "--report", fmt,
         "--out", str(out)],
        catch_exceptions=False,
    )  # fmt: skip
    return res, out


def test_the_lot_pdf_writes_cjk_as_escapes_and_cuts_a_long_name(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    res, out = _lot(tmp_path, lot_writer, "pdf,html,json")
    text = "\n".join(p.extract_text() for p in PdfReader(out / "lot.pdf").pages)
    escaped = "\u00dcber-6\\u30e6\\u30cb\\u30c3\\u30c8"
    rows = [ln.split() for ln in text.splitlines() if ln.strip().startswith(escaped)]
    assert [escaped, "MISSING", "NO", "PASS"] in [r[:4] for r in rows]  # the table's row, whole
    # the legend (the HTML's SVG plot has it as text; the PDF's is the same figure)
    page = (out / "lot.html").read_text(encoding="utf-8")
    assert f"{escaped} (not identical)" in page
    assert LONG not in [ln.strip().split()[0] for ln in text.splitlines() if ln.strip()]
    cut = next(ln for ln in text.splitlines() if ln.strip().startswith("Looo"))
    assert "\u2026" in cut and "PASS" in cut  # the row holds the verdict: not broken in two
    assert "Unit names cut in the table above, in full:" in text
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    assert LONG in {u["unit"] for u in doc["units"]}


def test_the_text_table_keeps_its_columns_with_a_long_name(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    res, _ = _lot(tmp_path, lot_writer, "json")
    lines = res.output.splitlines()
    head = next(ln for ln in lines if ln.startswith("   UNIT"))
    row = next(ln for ln in lines if ln.startswith("   Looo"))
    assert len(head) < 100 and head.index("SERIAL") == row.index("MISSING")
    assert f"   {row.split()[0]} = {LONG}" in lines


def test_the_terminal_table_aligns_wide_characters_by_their_columns(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """A katakana character takes two terminal columns: the SERIAL column still lines up.

    Padded by characters, the CJK unit's row ran four columns past the header's SERIAL.
    """
    from rfcheck.textsafe import display_width

    res, _ = _lot(tmp_path, lot_writer, "json")
    lines = res.output.splitlines()
    head = next(ln for ln in lines if ln.startswith("   UNIT"))
    row = next(ln for ln in lines if ln.startswith(f"   {CJK}"))
    assert display_width(row[: row.index("MISSING")]) == display_width(head[: head.index("SERIAL")])
    assert display_width(CJK) == len(CJK) + 4  # four katakana, two columns each
