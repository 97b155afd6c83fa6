"""A lot judged over a requested range: the unit rows and the statistics judge the same readings.

With the setup's ``[check] range_hz`` narrowing every unit's own verdict to 30-500 MHz of the
30-1000 MHz the lines are required over, each unit read a plain ``PASS`` (its ``check`` reads
``PASS (over 30-500 MHz only, the requested range; ...)``) while the 80/80 table judged
readings at 700 MHz that no unit's verdict judged (a FAIL row). The unit column now carries the
check's qualifier, the statistics judge no reading outside the requested range and say so,
and a lot PASS names the range it holds over.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result
from pypdf import PdfReader

from rfcheck.cli import main

CsvWriter = Callable[..., Path]

#: Radiated grid to 1 GHz: 30 - 1000 MHz, 60 kHz steps, 120 kHz RBW. [Hz]
TO_1GHZ = (30e6, 1000e6, 60e3, 120e3)

SETUP = """\
[dut]
highest_internal_frequency_hz = 100e6

[check]
range_hz = [150e3, 500e6]

[[rule]]
match = "*"
limits = ["fcc-15.109-b"]

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""


def _lot(tmp_path: Path, csv_writer: CsvWriter, *more: str) -> Result:
    folder = tmp_path / "lot"
    for i, name in enumerate(("u1", "u2", "u3")):
        # 100 MHz: 41 dBµV/m and up (QP limit 43.52, within the 6 dB window); 700 MHz: 50
        # dBµV/m in every unit, over the 46.02 limit but outside the requested range
        lines = {100.02e6: 41.0 + 0.5 * i, 700.02e6: 50.0}
        peak = {f: v + 5.0 for f, v in lines.items()}
        csv_writer(
            folder / f"{name}_H.csv", {"Peak": peak, "QP": lines}, grid=TO_1GHZ, unit="dBuV/m"
        )
    setup = tmp_path / "setup.toml"
    setup.write_text(SETUP, encoding="ascii")
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup), *more]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_the_unit_rows_carry_the_check_qualifier(tmp_path: Path, csv_writer: CsvWriter) -> None:
    res = _lot(tmp_path, csv_writer)
    rows = [line.split() for line in res.stdout.splitlines() if line.startswith("   u")]
    assert [r[0] for r in rows] == ["u1", "u2", "u3"], res.stdout
    for name in ("u1", "u2", "u3"):
        line = next(x for x in res.stdout.splitlines() if x.startswith(f"   {name} "))
        assert "PASS (H over 30-500 MHz only, the requested range)" in line
    assert (
        res.stdout.count(
            "- H: PASS over 30-500 MHz only, the requested range; the lines are required over "
            "30-1000 MHz"
        )
        == 3
    )


def test_the_statistics_judge_the_requested_range_only(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    res = _lot(tmp_path, csv_writer)
    assert res.exit_code == 0, res.stdout
    assert "700.02 MHz" not in res.stdout  # no row where no unit's verdict judged
    assert "100.02 MHz" in res.stdout  # the row inside the range is judged
    assert (
        "over the requested range only: H over 30-500 MHz only (the setup's range_hz); no "
        "reading outside it is judged" in res.stdout
    )
    assert "Verdict: PASS (H over 30-500 MHz only, the requested range) (exit 0)" in res.stdout
    doc = json.loads(_lot(tmp_path, csv_writer, "-o", "json").stdout)
    assert {s["frequency_hz"] for s in doc["statistics"]} == {100.02e6}
    assert doc["requested_range"] == "H over 30-500 MHz only, the requested range"
    assert {u["verdict"] for u in doc["units"]} == {"PASS"}
    assert {u["requested_range"] for u in doc["units"]} == {doc["requested_range"]}
    assert any("the lines are required over 30-1000 MHz" in n for n in doc["notes"])


def test_the_units_csv_names_the_range(tmp_path: Path, csv_writer: CsvWriter) -> None:
    out = tmp_path / "out"
    res = _lot(tmp_path, csv_writer, "--report", "csv", "--out", str(out))
    assert res.exit_code == 0, res.output
    with (out / "lot_units.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["requested_range"] for r in rows} == {"H over 30-500 MHz only, the requested range"}
    assert all("the lines are required over 30-1000 MHz" in r["flags"] for r in rows)


def test_page1_names_the_range_judged(tmp_path: Path, csv_writer: CsvWriter) -> None:
    out = tmp_path / "out"
    res = _lot(tmp_path, csv_writer, "--report", "pdf,html", "--out", str(out))
    assert res.exit_code == 0, res.output
    page1 = " ".join(PdfReader(out / "lot.pdf").pages[0].extract_text().split())
    assert "LOT VERDICT: PASS (H over 30-500 MHz only, the requested range) (exit 0)" in page1
    assert "Requested range (the setup's range_hz): the units' own verdicts and the 80/80" in page1
