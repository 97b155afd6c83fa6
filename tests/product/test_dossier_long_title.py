"""A 2,000-character title and entry number: every page still prints the report id.

The footer ``<title> · RFC-...`` was cut at 120 characters, so a long title cut the id off
every page, ran under ``page N of M``, and ``rfcheck verify`` then called the untouched
entry sheet ALTERED ("no page prints the record's id"). The title is now cut, with an
ellipsis, before the id.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from reportlab.pdfbase import pdfmetrics

from rfcheck.cli import main
from rfcheck.report.fonts import FONT, register_fonts
from rfcheck.report.page_head import titled_id

LONG = "Hashcore HC-3 FCC Part 15 Class B test record " * 44  # 2,024 characters
NUMBER = "A" * 2000

EXTRA = f"""
[dut.serials]
unit = "S-1"

[test]
report_title = "{LONG}"

[entry]
entry_number = "{NUMBER}"
port_of_entry = "Los Angeles, CA (2704)"
import_condition = 1
quantity = 10
models = ["Test rig"]
serials = ["S-1..S-10"]
tested_serials = ["S-1"]
"""

_ID = re.compile(r"· (RFC-[0-9A-F]{20}(?:-r\d+)?)$")


@pytest.fixture(scope="module")
def made(rig: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("longtitle")
    rig.write_rig(tmp / "in")
    setup = rig.write_setup(tmp / "setup.toml", EXTRA)
    args = ["dossier", str(tmp / "in"), "--setup", str(setup), "--out", str(tmp / "out")]
    res = CliRunner().invoke(main, [*args, "--jobs", "1", "--format", "json,pdf"])
    assert res.exit_code in (0, 1, 5), res.output
    return tmp


def _footers(pdf: Path) -> list[tuple[str, float, str, float]]:
    """Each page's (footer line, its x, "page N of M", its x), read from the drawn text."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(pdf).pages:
        drawn: list[tuple[str, float]] = []

        def seen(text: str, cm: Any, tm: Any, font: Any, size: Any, into: Any = drawn) -> None:
            if text.strip():
                into.append((text.strip(), float(tm[4]) * float(cm[0]) + float(cm[4])))

        page.extract_text(visitor_text=seen)
        footer = [(t, x) for t, x in drawn if _ID.search(t)]
        number = [(t, x) for t, x in drawn if re.fullmatch(r"page \d+ of \d+", t)]
        assert footer and number, drawn[-5:]
        pages.append((*footer[0], *number[0]))
    return pages


@pytest.mark.parametrize("name", ["out/entry.pdf", "out/unit/dossier.pdf"])
def test_every_page_prints_the_whole_id_clear_of_the_page_number(made: Path, name: str) -> None:
    register_fonts()
    pages = _footers(made / name)
    assert len(pages) >= 2
    ids = set()
    for footer, x, _number, number_x in pages:
        match = _ID.search(footer)
        assert match is not None
        ids.add(match.group(1))
        assert "\u2026" in footer  # the title cut, with an ellipsis
        assert x + pdfmetrics.stringWidth(footer, FONT, 7) < number_x  # no overprint
    assert len(ids) == 1


@pytest.mark.parametrize(
    ("pdf", "inputs"), [("out/entry.pdf", "out"), ("out/unit/dossier.pdf", ".")]
)
def test_the_record_passes_its_own_verify(made: Path, pdf: str, inputs: str) -> None:
    res = CliRunner().invoke(main, ["verify", str(made / pdf), "--inputs", str(made / inputs)])
    assert res.exit_code == 0, res.output
    assert "ALTERED" not in res.output


def test_titled_id_cuts_the_title_never_the_id() -> None:
    register_fonts()
    rid = "RFC-0123456789ABCDEF0123-r1"
    line = titled_id(LONG, rid, FONT, 7, 300)
    assert line.endswith(f"\u2026 · {rid}")
    assert pdfmetrics.stringWidth(line, FONT, 7) <= 300
    assert titled_id("short", rid, FONT, 7, 300) == f"short · {rid}"
    assert titled_id(LONG, rid, FONT, 7, 10).endswith(rid)  # no room: the id whole anyway
