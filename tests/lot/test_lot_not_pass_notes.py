"""The lines under the 80/80 table: each names its row, in table order, and why it is not PASS.

"where not PASS:" once listed each distinct note, sorted as text: a reader could not tell
which row a note belonged to, nor why a row FAILed (the note said only how the row was
judged). Each line now names its row (port, limit, line, frequency) and verdict, in the
table's order, with the reason: X+kS over the limit, or the count over it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.lot.render import _not_pass_text, _table_order
from rfcheck.lot.results import StatRow
from rfcheck.lot.statistics import evaluate

from .conftest import RADIATED

CsvWriter = Callable[..., Path]

SETUP = """\
[[rule]]
match = "*_L1.csv"
limits = ["fcc-15.107-b"]

[[rule]]
match = "*_H.csv"
limits = ["fcc-15.109-b"]

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""


def test_each_line_names_its_row_in_table_order(tmp_path: Path, csv_writer: CsvWriter) -> None:
    folder = tmp_path / "lot"
    for i, name in enumerate(("u1", "u2", "u3")):
        # L1 AV (limit 46 dBµV at 1 and 3 MHz): 1 MHz 44 + i (X+kS 47.04 > 46), 3 MHz 40 + i
        av = {1e6: 44.0 + i, 3e6: 40.0 + i}
        csv_writer(
            folder / f"{name}_L1.csv",
            {"Peak": {f: v + 5 for f, v in av.items()}, "QP": av, "CAVG": av},
        )
        qp = {100.02e6: 42.0 + 0.1 * i}  # QP limit 43.52 dBµV/m: X+kS 42.30, PASS
        csv_writer(
            folder / f"{name}_H.csv",
            {"Peak": {f: v + 5 for f, v in qp.items()}, "QP": qp},
            grid=RADIATED,
            unit="dBuV/m",
        )
    setup = tmp_path / "setup.toml"
    setup.write_text(SETUP, encoding="ascii")
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup)]
    out = CliRunner().invoke(main, args, catch_exceptions=False).stdout
    lines = out.split("where not PASS (in table order):\n")[1].split("\n\n")[0].splitlines()
    assert lines[0].startswith(
        "   - L1 fcc-15.107-b AV at 1 MHz: FAIL: X+kS = 45.00 + 2.04 x 1.00 = 47.04 dBµV, over "
        "the limit 46.00 dBµV (normal assumption not rejected"
    ), out
    assert len(lines) == 1, out  # the PASS rows (3 MHz, 100.02 MHz) have none
    table = out.split("Statistics:")[1]
    assert table.index("100.02 MHz") < table.index("   L1    fcc-15.107-b AV          1 MHz")


def _row(port: str, f: float, unit: str, levels: list[float], limit: float) -> StatRow:
    return StatRow(port, "lim", "QP", f, unit, evaluate(levels, limit))


def test_lines_follow_the_table_not_the_notes_text() -> None:
    rows = [
        _row("H", 2e8, "dBuV/m", [50.0, 50.0, 50.0], 46.0),
        _row("L1", 1e6, "dBuV", [50.0, 50.0, 50.0], 46.0),
        _row("V", 3e8, "dBuV/m", [40.0, 41.0], 46.0),  # too few: INCOMPLETE
    ]
    texts = [_not_pass_text(r) for r in _table_order(rows)]
    assert [t.split(":")[0] for t in texts] == [
        "H lim QP at 200 MHz",
        "V lim QP at 300 MHz",
        "L1 lim QP at 1 MHz",
    ]
    assert (
        texts[1]
        == "V lim QP at 300 MHz: INCOMPLETE: too few units: 2 (the 80/80 rule needs at least 3)"
    )
    assert "FAIL: X+kS = 50.00 + 2.04 x 0.00 = 50.00 dBuV, over the limit 46.00 dBuV" in texts[2]


def test_a_binomial_fail_names_the_count() -> None:
    levels = [40.0] * 7 + [47.0, 48.0, 60.0]  # skewed: normality rejected, binomial, 3 over
    row = StatRow("L1", "lim", "AV", 1e6, "dBuV", evaluate(levels, 46.0))
    assert row.outcome.method.value == "binomial"
    text = _not_pass_text(row)
    assert text.startswith("L1 lim AV at 1 MHz: FAIL: 3 of 10 units over the limit 46.00 dBuV")
