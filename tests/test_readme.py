"""The README's test command is the one CI runs.

The issue asked that '.ci/run runs exactly that test command'.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)\n```", text, flags=re.S)


def test_readme_starts_with_two_commands() -> None:
    cmds = _readme_commands()
    assert len(cmds) >= 2
    assert "sample_captures" in cmds[0] and cmds[0].startswith("pip install .")
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command() -> None:
    test_cmd = _readme_commands()[1].strip()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()


def test_readme_says_what_one_volts_per_unit_value_scales_per_format() -> None:
    """The same number is volts per full scale, per raw count or per 1.0 (as --help says)."""
    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split()).replace("**", "")
    for per_format in (
        "One value means volts per full scale for SigMF integer samples",
        "per raw count for iq-tar integers",
        "per sample value 1.0 for floats",
    ):
        assert per_format in text


def test_the_repository_paths_the_docs_name_exist() -> None:
    """Every ``tests/``, ``benchmarks/`` or ``docs/`` file the README and docs name is there.

    The README once ran ``pytest tests/test_io_rs_keysight.py`` after the tests moved
    to ``tests/io/``, which collects nothing.
    """
    pattern = re.compile(r"(?<![\w/.])((?:tests|benchmarks|docs)/[\w/.-]+\.(?:py|md|png))")
    missing = []
    for doc in (REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))):
        for name in pattern.findall(doc.read_text(encoding="utf-8")):
            if not (REPO / name).exists():
                missing.append(f"{doc.relative_to(REPO)}: {name}")
    assert missing == []
