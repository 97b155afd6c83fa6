"""docs/references.md is the one place the code and the limit tables cite for a standard's values.

Every cited section exists, and no limit file cites a file that is not shipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "references.md"
CITED = re.compile(r"docs/references\.md((?:,? ?§\d+[a-z]?)+)")


def _sections() -> set[str]:
    heads = re.findall(r"^#{2,3} (\d+[a-z]?)\. ", DOC.read_text(encoding="utf-8"), re.M)
    return set(heads)


def _citing_files() -> list[Path]:
    out = sorted((ROOT / "rfcheck").rglob("*.py")) + sorted((ROOT / "limits").glob("*"))
    return [p for p in out if p.is_file() and p.suffix in (".py", ".toml", ".md")]


def test_every_cited_section_exists() -> None:
    sections = _sections()
    assert {"1a", "2b", "2e", "2f", "2g", "3a", "3b", "3c", "4a", "7"} <= sections
    for path in _citing_files():
        for m in CITED.finditer(path.read_text(encoding="utf-8")):
            for sec in re.findall(r"§(\d+[a-z]?)", m.group(1)):
                assert sec in sections, f"{path.relative_to(ROOT)} cites missing §{sec}"


@pytest.mark.parametrize("path", sorted((ROOT / "limits").glob("*.toml")), ids=lambda p: p.name)
def test_limit_files_cite_the_shipped_references(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "standards.md" not in text
    assert "docs/references.md" in text
