"""Rows far wider than a trace table (issue 17, "a batch must finish").

A 60 MB generic CSV of one line (``1,1,1,...``) kept pandas building a frame of 30 million
columns for minutes (the adversarial sweep's one hang). The first data row's width is now
checked before parsing: more than ``MAX_COLUMNS`` fields, or a row longer than 64 KiB, is
refused in one line naming the file and the line (exit 3).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.io._table import MAX_COLUMNS

HEADER = b"Frequency [Hz],Level [dBuV]\n"


def _check(path: Path) -> tuple[int, str]:
    res = CliRunner().invoke(
        main, ["check", str(path), "--limit", "fcc-15.107-b", "--detector", "peak"]
    )
    return res.exit_code, res.stderr


def test_a_60_mb_single_line_is_refused_at_once(tmp_path: Path) -> None:
    f = tmp_path / "big.csv"
    f.write_bytes(HEADER + b"1," * 30_000_000)
    start = time.process_time()
    code, err = _check(f)
    assert code == 3
    assert err.strip() == (
        f"rfcheck: error: {f}:2: data: row is longer than 64 KiB, more than the "
        f"{MAX_COLUMNS} columns a table of traces may have"
    )
    assert time.process_time() - start < 30  # was minutes; a bound, not a benchmark


def test_a_row_wider_than_a_table_of_traces_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "wide.csv"
    row = ",".join(["150000", *(["20"] * (MAX_COLUMNS + 1))])
    f.write_bytes(HEADER + row.encode() + b"\n")
    code, err = _check(f)
    assert code == 3
    assert f"{f}:2: data: row has {MAX_COLUMNS + 2} fields, more than" in err


@pytest.mark.parametrize("trailing", ["", ","])
def test_a_usual_table_still_reads(tmp_path: Path, trailing: str) -> None:
    f = tmp_path / "ok.csv"
    rows = "".join(f"{150000 + 5000 * i},{20 + i % 3}{trailing}\n" for i in range(50))
    f.write_bytes(b"# rbw_hz: 9000\n" + HEADER + rows.encode())  # a CISPR Band B scan
    code, err = _check(f)
    assert code == 5 and not err  # judged: INCOMPLETE (it covers 150-395 kHz only)
