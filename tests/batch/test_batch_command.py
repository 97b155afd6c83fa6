"""The per-capture reports of a batch name the command line that made them (provenance)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from click.testing import CliRunner

from rfcheck.batch import run_batch
from rfcheck.cli import main

_CAPTURE = "# rbw_hz: 9000\n# mode: max-hold\nFrequency (MHz),Peak (dBuV)\n0.15,30\n15,30\n30,30\n"


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "in dir"
    root.mkdir()
    (root / "a.csv").write_text(_CAPTURE, encoding="utf-8")
    return root


def test_batch_reports_name_the_command_line_as_typed(tmp_path: Path) -> None:
    """The report's command was ``rfcheck batch`` alone: no folder, limit or transducer."""
    root, out = _folder(tmp_path), tmp_path / "out"
    args = ["batch", str(root), "--limit", "fcc-15.107-b", "--lisn", "0.5", "--out", str(out)]
    res = CliRunner().invoke(main, [*args, "--report", "json,html", "-j", "1"])
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "captures" / "a.csv" / "a.json").read_text(encoding="utf-8"))
    typed = shlex.join(["rfcheck", *args, "--report", "json,html", "-j", "1"])
    assert doc["command"] == typed
    assert "'" + str(root) + "'" in typed  # a folder name with a space stays one argument
    page = (out / "captures" / "a.csv" / "a.html").read_text(encoding="utf-8")
    assert "rfcheck batch " in page and "--lisn 0.5" in page


def test_run_batch_from_python_names_rfcheck_batch(tmp_path: Path) -> None:
    root, out = _folder(tmp_path), tmp_path / "out"
    run_batch([root], out, overrides={"limit_ids": ("fcc-15.107-b",)}, jobs=1)
    doc = json.loads((out / "captures" / "a.csv" / "a.json").read_text(encoding="utf-8"))
    assert doc["command"] == "rfcheck batch"
