"""A lot whose setup's device class contradicts its limits is refused once, before any work.

As ``check``, ``batch``, ``explain`` and ``compare`` refuse it (47 CFR 15.107(a), 15.109(a):
a Class B device must meet the Class B limits).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]


def _lot(folder: Path, setup: Path) -> Result:
    args = ["lot", str(folder), "--golden", "u01", "--setup", str(setup)]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_a_class_b_lot_against_class_a_limits_is_refused_once(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """Every capture was an error row (exit 3, the message once per capture)."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 40.0 + i} for i in range(1, 6)})
    text = setup.read_text(encoding="ascii").replace("fcc-15.107-b", "fcc-15.107-a")
    setup.write_text('[dut]\nclass = "B"\n\n' + text, encoding="ascii")
    res = _lot(folder, setup)
    assert res.exit_code == 2
    assert res.stderr.count("holds Class A limits") == 1
    assert res.stdout == ""


def test_a_class_a_lot_against_class_b_limits_says_what_a_fail_means(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """``check`` printed the note, the lot did not."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 40.0 + i} for i in range(1, 6)})
    setup.write_text('[dut]\nclass = "A"\n\n' + setup.read_text(encoding="ascii"), "ascii")
    res = _lot(folder, setup)
    assert (
        "Note: fcc-15.107-b: Class B limits, for a device stated as Class A: the stricter "
        "limits, so a PASS shows the Class A limits are met too, and a FAIL does not show a "
        "Class A failure (judge it against the Class A limits)\n"
    ) in res.stdout
