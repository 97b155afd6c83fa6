r"""Every command the README shows with its output still prints that output.

The README and sample_captures/README.md are both checked, so the documentation cannot drift
from the tool.

A shown block is a ```text fence whose first line is ``$ rfcheck ...`` (continuation lines end
in ``\``). The command runs through Click's runner from a scratch folder that links
``sample_captures`` (so relative paths and written files match what the README shows, and
nothing is written into the repository). Each shown line must equal the next line of the real
output (stdout and stderr as a terminal shows them, trailing blanks ignored); a line ``...``
(however indented) stands for any number of lines. The exit code of the command is not part of
the block; the README states it in prose and other tests pin it.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", REPO / "sample_captures" / "README.md"]
ELLIPSIS = "..."


@dataclass(frozen=True)
class ShownCommand:
    """One ``$ rfcheck ...`` block: where it is, the argument list and the lines shown."""

    where: str
    argv: tuple[str, ...]
    shown: tuple[str, ...]


def _blocks(doc: Path) -> list[ShownCommand]:
    text = doc.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"```text\n(.*?)```", text, flags=re.S):
        lines = match.group(1).splitlines()
        if not lines or not lines[0].startswith("$ rfcheck "):
            continue
        command, i = lines[0][2:], 1
        while command.endswith("\\"):
            command = command[:-1] + " " + lines[i].strip()
            i += 1
        line_no = text.count("\n", 0, match.start()) + 2
        argv = tuple(shlex.split(command))[1:]
        found.append(ShownCommand(f"{doc.name}:{line_no}", argv, tuple(lines[i:])))
    return found


SHOWN = [b for doc in DOCS for b in _blocks(doc)]


def _matches(shown: tuple[str, ...], real: list[str]) -> bool:
    """Return True when the shown lines equal the real ones.

    A shown line ``...`` stands for any run of real lines.
    """
    if not shown:
        return not real
    head, rest = shown[0], shown[1:]
    if head.strip() == ELLIPSIS:
        return any(_matches(rest, real[k:]) for k in range(len(real) + 1))
    return bool(real) and real[0].rstrip() == head.rstrip() and _matches(rest, real[1:])


def test_readme_shows_commands() -> None:
    assert len(SHOWN) >= 5, "the README lost its shown commands"


@pytest.mark.parametrize("block", SHOWN, ids=[b.where for b in SHOWN])
def test_readme_output_is_current(
    block: ShownCommand, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sample_captures").symlink_to(REPO / "sample_captures")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = CliRunner().invoke(main, list(block.argv), catch_exceptions=False)
    real = result.output.splitlines()
    assert _matches(block.shown, real), (
        f"{block.where}: README output differs from `rfcheck {' '.join(block.argv)}`"
        f" (exit {result.exit_code}):\n" + os.linesep.join(real)
    )
