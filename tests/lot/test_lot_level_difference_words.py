"""A unit whose only difference from the golden unit is a level is named by what was shown.

u4 reads 12 dB over the golden unit at 1 MHz and over the AV limit there. The note called it
"not shown identical, a different build" and the verdict words "another build": a faulty unit
of the same build reads the same, and 47 CFR 2.906(b)/2.908 scope a declaration by identical
units, so the words put a failing production unit outside it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rfcheck.lot import run_lot
from rfcheck.lot.render import render_lot_text
from rfcheck.lot.results import LotResult
from rfcheck.lot.verdict_text import verdict_reasons
from rfcheck.settings import load_setup

SETUP = """\
[[rule]]
match = "*"
limits = ["fcc-15.107-b"]

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""


def _lot(
    folder: Path, csv_writer: Callable[..., Path], u4_av: float, base: float = 36.0
) -> LotResult:
    for i in range(1, 5):
        av = u4_av if i == 4 else base + 0.2 * i
        csv_writer(folder / f"u{i}_L1.csv", {"QP": {1e6: av + 6.0}, "AV (linear)": {1e6: av}})
    (folder / "setup.toml").write_text(SETUP, encoding="ascii")
    return run_lot(folder, "u1", load_setup(folder / "setup.toml"))


def test_a_level_difference_is_said_as_a_level_not_another_build(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    result = _lot(tmp_path, csv_writer, 36.2 + 12.0)  # 12.0 dB over u1, over the 46 dBµV AV limit
    (u4,) = [u for u in result.units if u.unit == "u4"]
    assert u4.identity == "no" and [d.kind for d in u4.differences] == ["level"]
    shown = "u4 (L1: a level 12.0 dB above the golden unit's at 1 MHz)"
    assert any("left out (a reading shows a difference from the golden unit, so not shown " in n
               and n.endswith(shown) for n in result.notes), result.notes  # fmt: skip
    text = render_lot_text(result)
    assert "build" not in text, text
    assert f"Not shown identical to the tested sample (47 CFR 2.906(b), 2.908): {shown}" in text


def test_the_verdict_reasons_name_what_was_shown(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    """u4 11 dB above the golden unit, under the limit: INCONCLUSIVE, the level named."""
    result = _lot(tmp_path, csv_writer, 30.2 + 11.0, base=30.0)
    reasons = verdict_reasons(result)
    assert reasons[0] == (
        "u4: not shown identical to the golden unit: L1: a level 11.0 dB above the golden "
        "unit's at 1 MHz"
    ), reasons
