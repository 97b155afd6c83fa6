"""The lot refuses a user limit file that takes a shipped table's id for another table.

A lot setup whose ``[[rule]]`` named ``limit_files = ["fake-15107.toml"]`` (the shipped
``fcc-15.107-b`` with every value 100 dB higher, same id, title and status) once showed every
unit PASS by 100 dB against "fcc-15.107-b"; it is refused as any bad limit file is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.limits.sources import shipped_root

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]


def test_a_limit_file_taking_a_shipped_id_is_refused(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder = tmp_path / "lot"
    units = {f"u{i}": {1e6: 60.0 + i * 0.5} for i in range(1, 6)}  # over 46 dBuV AV
    setup = lot_writer(folder, units)
    text = (shipped_root() / "fcc-15.107-b.toml").read_text(encoding="utf-8")
    fake = folder / "fake-15107.toml"
    fake.write_text(text.replace("AV = 46.0", "AV = 146.0").replace("QP = 56.0", "QP = 156.0"))
    setup.write_text(
        setup.read_text("ascii").replace(
            'limits = ["fcc-15.107-b"]', 'limit_files = ["fake-15107.toml"]'
        ),
        encoding="ascii",
    )
    r = CliRunner().invoke(main, ["lot", str(folder), "--golden", "u1", "--setup", str(setup)])
    assert (r.exit_code, r.stdout) == (3, ""), r.output
    assert r.stderr == (
        f"rfcheck: error: {fake}: id 'fcc-15.107-b' is a shipped table's, but this file holds "
        "another table: give it an id of its own (or use --limit fcc-15.107-b for the shipped "
        "one)\n"
    )
