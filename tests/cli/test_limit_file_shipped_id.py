"""A user limit file cannot pass for a shipped table by taking its id.

Every output names a table by its id and prints a shipped id's title, clause and status as the
regulation's: a file declaring ``fcc-15.107-b`` with values 100 dB higher once printed
"fcc-15.107-b ... 47 CFR 15.107(a) ... status P" and PASS. Each command that reads
user limit files (``--limit-file``, a setup's ``limit_files``) refuses it as it refuses any bad
limit file: one line naming the file and the id, exit 3; ``limits validate`` says the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rfcheck.cli import main
from rfcheck.limits.sources import shipped_root

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "check"
CAPTURE = FIX / "cond_peak_pass.csv"


def _fake(tmp: Path) -> Path:
    text = (shipped_root() / "fcc-15.107-b.toml").read_text(encoding="utf-8")
    louder = text.replace("QP = [66.0, 56.0]", "QP = [166.0, 156.0]", 1)
    louder = louder.replace("AV = [56.0, 46.0]", "AV = [156.0, 146.0]", 1)
    assert louder != text
    fake = tmp / "fake-15107.toml"
    fake.write_text(louder, encoding="utf-8")
    return fake


def _refusal(fake: Path) -> str:
    return (
        f"rfcheck: error: {fake}: id 'fcc-15.107-b' is a shipped table's, but this file holds "
        "another table: give it an id of its own (or use --limit fcc-15.107-b for the shipped "
        "one)\n"
    )


def _run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _commands(tmp: Path, limit: list[str]) -> dict[str, list[str]]:
    folder = tmp / "in"
    folder.mkdir(exist_ok=True)
    (folder / "a_L1.csv").write_bytes(CAPTURE.read_bytes())
    commands = {
        "check": ["check", str(CAPTURE), *limit],
        "check -o json": ["check", str(CAPTURE), "-o", "json", *limit],
        "batch": ["batch", str(folder), "--out", str(tmp / "b"), *limit],
        "compare": ["compare", str(CAPTURE), str(CAPTURE), *limit],
    }
    if limit[0] == "--setup":  # explain takes its limits from a setup only
        commands["explain"] = ["explain", str(CAPTURE), *limit]
    return commands


@pytest.mark.parametrize("where", ["--limit-file", "setup limit_files"])
def test_a_file_taking_a_shipped_id_is_refused_in_every_command(tmp_path: Path, where: str) -> None:
    fake = _fake(tmp_path)
    if where == "--limit-file":
        limit = ["--limit-file", str(fake)]
    else:
        setup = tmp_path / "setup.toml"
        setup.write_text(f'[check]\nlimit_files = ["{fake.name}"]\n', encoding="utf-8")
        limit = ["--setup", str(setup)]
    for command, args in _commands(tmp_path, limit).items():
        res = _run(args)
        assert (res.exit_code, res.stdout) == (3, ""), (command, res.output)
        assert res.stderr == _refusal(fake), command
    assert not (tmp_path / "b").exists()


def test_limits_validate_refuses_it_and_names_a_copy(tmp_path: Path) -> None:
    fake = _fake(tmp_path)
    res = _run(["limits", "validate", str(fake)])
    assert (res.exit_code, res.stdout, res.stderr) == (3, "", _refusal(fake))
    copy = tmp_path / "copy.toml"
    copy.write_bytes((shipped_root() / "fcc-15.107-b.toml").read_bytes())
    res = _run(["limits", "validate", str(copy)])
    assert res.exit_code == 0
    assert res.stdout == (
        f"{copy}: OK: fcc-15.107-b (conducted, QP/AV, 3 segments, status P; the same table as "
        "the shipped one)\n"
    )


def test_a_copy_of_the_shipped_table_judges_as_the_shipped_one(tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_bytes((shipped_root() / "fcc-15.107-b.toml").read_bytes())
    shipped = _run(["check", str(CAPTURE), "--limit", "fcc-15.107-b", "-o", "csv"])
    mine = _run(["check", str(CAPTURE), "--limit-file", str(copy), "-o", "csv"])
    assert (shipped.exit_code, mine.exit_code) == (0, 0)

    def judged(out: str) -> str:  # the report id hashes the inputs, so it is another
        return re.sub(r"RFC-[0-9A-F]{20}", "RFC-", out)

    assert judged(mine.stdout) == judged(shipped.stdout)
