"""limits/README.md's table of shipped ids cites the rule each table file cites.

The README's "rule" column is what a lab reads first; the TOML files' ``source`` and
``edition`` are the provenance the reports print. The two must name the same CISPR 32 Annex A
table numbers and the same 47 CFR 15.107/15.109 paragraph, row by row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rfcheck.limits import load_shipped, shipped_ids

README = Path(__file__).resolve().parents[1] / "limits" / "README.md"

#: ``Table A.4``, ``(A.9)``: a CISPR 32 Annex A table number (not a clause such as ``A4.1``).
_CISPR_TABLE = re.compile(r"\bA\.\d+\b")
#: ``15.107(b)``: the paragraph of 47 CFR 15.107/15.109 that holds one class's limits.
_FCC_PARAGRAPH = re.compile(r"\b15\.10[79]\([ab]\)")


def cited(text: str) -> set[str]:
    """Return the CISPR 32 table numbers and 47 CFR 15.107/15.109 paragraphs ``text`` names."""
    text = text.replace("*", "")
    return set(_CISPR_TABLE.findall(text)) | set(_FCC_PARAGRAPH.findall(text))


def readme_rows() -> list[tuple[list[str], str]]:
    """Return ``(ids, rule cell)`` for each row of the README's "Shipped ids" table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Shipped ids", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append((re.findall(r"`([^`]+)`", cells[0]), cells[-1]))
    return rows


def test_every_shipped_id_has_one_readme_row() -> None:
    ids = [i for row_ids, _ in readme_rows() for i in row_ids]
    assert sorted(ids) == sorted(shipped_ids())


@pytest.mark.parametrize(("ids", "rule"), readme_rows(), ids=lambda v: str(v)[:40])
def test_readme_row_cites_what_its_tables_cite(ids: list[str], rule: str) -> None:
    expected: set[str] = set()
    for lid in ids:
        t = load_shipped(lid)
        expected |= cited(f"{t.source} {t.edition}")
    assert cited(rule) == expected, f"{ids}: README cites {sorted(cited(rule))}"


def test_a_class_a_row_citing_the_class_b_table_is_caught() -> None:
    # the shape of the defect: the Class A radiated row cited Table A.4 (Class B) for both
    t = load_shipped("cispr32-a-rad-10m")
    assert cited("Table A.4 (Class B [P]; Class A [S])") != cited(f"{t.source} {t.edition}")
    assert cited("47 CFR **15.109(b)**, 15.35") == {"15.109(b)"}
