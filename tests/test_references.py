"""docs/references.md is the one place the code and the limit tables cite for a standard's values.

Every cited section exists, and nothing shipped or documented cites a file outside the
repository (the research notes the values were first compiled in, or a machine's own paths).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "references.md"
CITED = re.compile(r"docs/references\.md`?((?:,? ?§\d+[a-z]?)+)")
#: Where a citation may live: the package, the limit data, the docs, the benchmarks, the sample
#: captures, the tests and the top-level files.
TREES = ("rfcheck", "limits", "docs", "benchmarks", "sample_captures", "tests")
TOP_FILES = ("README.md", "pyproject.toml")
#: Citations of anything outside the repository: the research notes (cite docs/references.md
#: instead) and absolute paths of a working machine.
OUTSIDE = ("standards.md", "/work/")


def _sections() -> set[str]:
    heads = re.findall(r"^#{2,3} (\d+[a-z]?)\. ", DOC.read_text(encoding="utf-8"), re.M)
    return set(heads)


def _repo_files() -> list[Path]:
    out = [ROOT / name for name in TOP_FILES]
    for tree in TREES:
        out += sorted(p for p in (ROOT / tree).rglob("*") if "__pycache__" not in p.parts)
    return [p for p in out if p.is_file()]


def _citing_files() -> list[Path]:
    return [p for p in _repo_files() if p.suffix in (".py", ".toml", ".md")]


def test_every_cited_section_exists() -> None:
    sections = _sections()
    assert {"1a", "2b", "2e", "2f", "2g", "3a", "3b", "3c", "4a", "7"} <= sections
    for path in _citing_files():
        for m in CITED.finditer(path.read_text(encoding="utf-8")):
            for sec in re.findall(r"§(\d+[a-z]?)", m.group(1)):
                assert sec in sections, f"{path.relative_to(ROOT)} cites missing §{sec}"


def test_cited_sections_include_the_lot_ambient_and_receiver_sources() -> None:
    assert {"4b", "5", "6", "8a", "8b", "11c", "11d", "11e"} <= _sections()


def test_nothing_cites_a_file_outside_the_repository() -> None:
    this = Path(__file__).resolve()
    found = []
    for path in _repo_files():
        if path.resolve() == this:
            continue
        data = path.read_bytes()
        for needle in OUTSIDE:
            if needle.encode() in data:
                found.append(f"{path.relative_to(ROOT)}: {needle}")
    assert found == []


@pytest.mark.parametrize(
    "path", sorted((ROOT / "limits").rglob("*.toml")), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_limit_files_cite_the_shipped_references(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "standards.md" not in text
    assert "docs/references.md" in text


def test_the_bandwidth_allowance_is_listed_with_its_status() -> None:
    """NARROW/WIDE_RBW_FACTOR change verdicts: the page lists them, as the code has them, tagged."""
    from rfcheck.verdict import bounds

    rows = [r for r in DOC.read_text(encoding="utf-8").splitlines() if "NARROW_RBW_FACTOR" in r]
    assert len(rows) == 1, rows
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert "WIDE_RBW_FACTOR" in cells[0]
    assert cells[1] == f"{bounds.NARROW_RBW_FACTOR:g} and {bounds.WIDE_RBW_FACTOR:g}"
    assert cells[2].startswith("UNCONFIRMED: rfcheck's choice")
    verdict_md = " ".join((ROOT / "docs" / "verdict.md").read_text(encoding="utf-8").split())
    assert "rfcheck's own allowance" in verdict_md
    assert "UNCONFIRMED, docs/references.md §4a" in verdict_md
    source = (ROOT / "rfcheck" / "verdict" / "bounds.py").read_text(encoding="utf-8")
    for name in ("NARROW_RBW_FACTOR", "WIDE_RBW_FACTOR"):
        comment = source.partition(f"\n{name} = ")[0].rsplit("\n\n", 1)[-1].splitlines()[-1]
        assert "(UNCONFIRMED, docs/references.md §4a)" in comment, name


def test_every_cfr_section_the_code_cites_has_a_row() -> None:
    """A ``47 CFR N.M`` the package cites is listed on the page (47 CFR 2.907 was not)."""
    text = DOC.read_text(encoding="utf-8")
    missing = set()
    for path in sorted((ROOT / "rfcheck").rglob("*.py")):
        for sec in re.findall(r"47 CFR (\d+\.\d+)", path.read_text(encoding="utf-8")):
            if not re.search(rf"(?<![\d.]){re.escape(sec)}(?!\d)", text):
                missing.add(f"{sec} ({path.relative_to(ROOT)})")
    assert sorted(missing) == []


@pytest.mark.parametrize(
    ("clause", "tag"),
    [
        ("15.105(a)", "P: GPO CFR text (2004)"),
        ("15.105(b)", "P up to"),
        ("2.907", "P (Hallikainen CFR mirror"),
        ("2.909(a)", "P (eCFR text"),  # a certified device's party is its grantee
        ("2.909(b)", "P (eCFR text"),
    ],
)
def test_record_clauses_have_their_own_source_row(clause: str, tag: str) -> None:
    rows = [r for r in DOC.read_text(encoding="utf-8").splitlines() if r.startswith(f"| {clause}:")]
    assert len(rows) == 1, clause
    assert rows[0].rstrip(" |").rsplit(" | ", 1)[-1].startswith(tag)
