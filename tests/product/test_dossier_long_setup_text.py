"""Long setup text lays out in the record: cut in its table cell, whole in dossier.json.

reportlab cannot split a table row over two pages. An ``[test] operating_mode`` of 8,000
characters, a ``[[cable]] arrangement`` of 21 kB or a 100 kB string made a row taller than a
page: ``rfcheck dossier`` stopped with ``internal error: LayoutError`` (exit 3, as for an
unreadable input) and wrote no record for any unit. The record's cells now cut long setup
text as the check report does (``… [N characters cut]``, :func:`rfcheck.textsafe.shorten`);
a row that still cannot be laid out costs the unit its PDF only, named with the unit and the
field, and every other file and unit is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

WORDS = ("hashing at full load with both fans at maximum speed, " * 400).strip()  # 21.6 kB
SOLID = "Z" * 8000  # no space to break a line at
LONG_MODEL = "M" * 20000


def _record(rig: ModuleType) -> str:
    """Return the complete record with long text in every kind of table the record prints."""
    text: str = rig.COMPLETE_RECORD
    for old, new in (
        ('operating_mode = "full load"', f'operating_mode = "{SOLID}"'),
        ('configuration = "table top"', f'configuration = "{WORDS}"'),
        ('arrangement = "bundled"', f'arrangement = "{WORDS}"'),
        ('type = "EMI test receiver"', f'type = "{WORDS}"'),
        ('address = "1 Road, Austin, TX 78701, USA"', f'address = "{WORDS}"'),
        ('name = "Party"', f'name = "{SOLID}"'),
        ('tester = "T. Tester"', f'tester = "{SOLID}"'),
    ):
        assert old in text
        text = text.replace(old, new)
    return text + (
        "\n[entry]\n"
        f'entry_number = "{SOLID}"\n'
        f'port_of_entry = "{WORDS}"\n'
        f'importer = "{SOLID}"\n'
        "import_condition = 1\n"
        f'models = ["Test rig", "{LONG_MODEL}-2"]\n'  # a model not judged: a note quotes it
        'tested_serials = ["S-1"]\n'
    )


def test_long_setup_text_is_cut_in_the_pdf_and_whole_in_the_json(
    rig: ModuleType, tmp_path: Path
) -> None:
    rig.write_rig(tmp_path / "in")
    setup = rig.write_complete_setup(tmp_path / "setup.toml", _record(rig))
    text = setup.read_text(encoding="utf-8")  # the model: quoted in the entry sheet's labels
    setup.write_text(text.replace('"Test rig"', f'"{LONG_MODEL}"'), encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out)]
    )
    assert res.exit_code == 5, res.output  # PASS, the entry's second model not judged: not 3
    assert "internal error" not in res.output
    pdf = " ".join(p.extract_text() for p in PdfReader(out / "unit" / "dossier.pdf").pages)
    flat = "".join(pdf.split())
    assert "characterscut]" in flat
    assert SOLID not in flat and "Z" * 600 in flat  # cut, not dropped
    entry = " ".join(p.extract_text() for p in PdfReader(out / "entry.pdf").pages)
    assert "characterscut]" in "".join(entry.split())
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    record = doc["record"]
    assert record["test"]["operating_mode"] == SOLID
    assert record["cables"][0]["arrangement"] == WORDS


def test_a_pdf_that_cannot_be_laid_out_names_the_unit_and_field(
    rig: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the cut, the row is too tall: that unit's PDF alone is not written, said so."""
    import rfcheck.record._pdfstyle as style

    monkeypatch.setattr(style, "WIDE_MAX_CHARS", 10**9)  # the cut undone
    rig.write_rig(tmp_path / "in")
    rig.write_rig(tmp_path / "in", unit="other")
    long_mode = f'operating_mode = "{SOLID}"'
    record = rig.COMPLETE_RECORD.replace('operating_mode = "full load"', long_mode)
    record = record.replace('unit = "S-1"', 'unit = "S-1"\nother = "S-2"')
    setup = rig.write_complete_setup(tmp_path / "setup.toml", record)
    setup.write_text(
        setup.read_text(encoding="utf-8") + '\n[batch]\ngroup_pattern = "(?P<unit>unit|other)_"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out)]
    res = CliRunner().invoke(main, [*args, "--jobs", "1"])
    assert res.exit_code == 3, res.output  # a PASS whose record PDF is missing
    assert "internal error" not in res.output
    line = [x for x in res.output.splitlines() if x.startswith("rfcheck: error:")]
    assert len(line) == 2, res.output
    assert "unit unit: dossier.pdf not written: the row 'EUT operating mode' is taller" in (
        line[0] + line[1]
    )
    for unit in ("unit", "other"):
        assert (out / unit / "dossier.json").is_file() and (out / unit / "dossier.html").is_file()
    assert not (out / "unit" / "dossier.pdf").exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    errors = {u["unit"]: u.get("report_error", "") for u in summary["units"]}
    assert "EUT operating mode" in errors["unit"]
