"""``rfcheck verify`` names what changed in a DIFFERS setup file.

With the plan's ``distance_m`` edited from 3 to 10 after issue, verify printed only
``DIFFERS setup.toml (expected sha256 ..., found ...)``; the record embeds its plan, so it
names the setting: ``[plan] distance_m: recorded 3, now 10``.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner

from rfcheck.cli import main


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _dossier(rig: ModuleType, run: Path) -> tuple[Path, Path]:
    rig.write_rig(run / "in")
    setup = rig.write_setup(run / "setup.toml")
    out = run / "out"
    res = _run("dossier", str(run / "in"), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code in (0, 5), res.output
    return out / "unit" / "dossier.pdf", setup


def _lines_after_setup(output: str) -> list[str]:
    lines = output.splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("DIFFERS  setup.toml"))
    return [ln for ln in lines[i + 1 :] if ln.startswith("         ")]


def test_verify_names_the_changed_plan_settings(rig: ModuleType, tmp_path: Path) -> None:
    pdf, setup = _dossier(rig, tmp_path)
    text = setup.read_text(encoding="utf-8")
    setup.write_text(
        text.replace("distance_m = 3", "distance_m = 10").replace(
            'mains_lines = ["L1", "L2"]', 'mains_lines = ["L1", "N"]'
        ),
        encoding="utf-8",
    )
    res = _run("verify", str(pdf), "--inputs", str(tmp_path))
    assert res.exit_code == 1, res.output
    assert _lines_after_setup(res.output) == [
        "         [plan] mains_lines: recorded [L1, L2], now [L1, N]",
        "         [plan] distance_m: recorded 3, now 10",
    ]


def test_a_change_outside_the_plan_is_said_so(rig: ModuleType, tmp_path: Path) -> None:
    pdf, setup = _dossier(rig, tmp_path)
    setup.write_text(setup.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    res = _run("verify", str(pdf), "--inputs", str(tmp_path))
    assert res.exit_code == 1, res.output
    (line,) = _lines_after_setup(res.output)
    assert "the plan the record embeds" in line and "is unchanged" in line


def test_a_setup_that_no_longer_reads_as_a_plan_is_said_so(rig: ModuleType, tmp_path: Path) -> None:
    pdf, setup = _dossier(rig, tmp_path)
    setup.write_text(setup.read_text(encoding="utf-8").replace('class = "B"', 'class = "C"'))
    res = _run("verify", str(pdf), "--inputs", str(tmp_path))
    assert res.exit_code == 1, res.output
    (line,) = _lines_after_setup(res.output)
    assert line.startswith("         its plan cannot be read now, so not compared: ")
