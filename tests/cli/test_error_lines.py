"""Every command names a bad line of a capture the same way: ``<file>:<line>: <message>``.

The form of :class:`rfcheck.errors.RfcheckError` (README "Exit codes"); ``check``, ``batch``
and ``explain`` once printed ``<file>: line <N>: <message>`` where ``info`` printed
``<file>:<N>: <message>``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
BAD = "nonmonotonic_keysight.csv"
MESSAGE = (
    "87: DATA: frequency not strictly increasing (560000 Hz then 550000 Hz): "
    "'550000,29.9964599609375'"
)


@pytest.mark.parametrize(
    "command",
    [
        ("info",),
        ("check", "--limit", "fcc-15.107-b"),
        ("check", "--limit", "fcc-15.107-b", "--combine"),
        ("explain", "--setup", "SETUP"),
        ("compare", "--limit", "fcc-15.107-b", "BAD"),
        ("batch", "--limit", "fcc-15.107-b", "--out", "OUT", "-q"),
    ],
    ids=["info", "check", "check-combine", "explain", "compare", "batch"],
)
def test_a_bad_line_is_named_file_colon_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    bad = tmp_path / "in" / BAD
    bad.parent.mkdir()
    shutil.copyfile(SAMPLES / "malformed" / BAD, bad)
    target = bad.parent if command[0] == "batch" else bad
    setup = tmp_path / "setup.toml"
    setup.write_text('[check]\nlimits = ["fcc-15.107-b"]\n', encoding="utf-8")
    words = {"BAD": str(bad), "OUT": str(tmp_path / "out"), "SETUP": str(setup)}
    args = [command[0], str(target), *(words.get(w, w) for w in command[1:])]
    r = CliRunner().invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 3, r.output
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("rfcheck: error: ")]
    assert errors and set(errors) == {f"rfcheck: error: {bad}:{MESSAGE}"}
