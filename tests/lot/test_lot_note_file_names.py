r"""A capture's file name with a line feed cannot print a line of its own in the lot's notes.

``rfcheck lot`` notes on stderr every file no unit uses; a file named ``u\n5_L1.csv`` once
split that note in two, its second line starting ``5_L1.csv``. The name is
shown with its line feed as ``\n``, as the stdout note shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]


def test_a_line_feed_in_a_file_name_stays_in_its_note(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u{i}": {1e6: 30.0 + i * 0.5} for i in range(1, 6)})
    (folder / "u\n5_L1.csv").write_bytes((folder / "u5_L1.csv").read_bytes())
    r = CliRunner().invoke(main, ["lot", str(folder), "--golden", "u1", "--setup", str(setup)])
    notes = [ln for ln in r.stderr.splitlines() if "5_L1.csv" in ln]
    assert notes and all(ln.startswith("rfcheck: note: ") for ln in notes), r.stderr
    assert any("u\\n5_L1.csv" in ln for ln in notes), r.stderr
