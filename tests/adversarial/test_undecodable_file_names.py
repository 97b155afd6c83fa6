r"""A capture whose file name is not UTF-8 (a Latin-1 name from an old archive).

Python gives such a name a lone surrogate (``bad\udcffname.csv``); every JSON output kept it
raw and stopped with a UnicodeEncodeError ('surrogates not allowed'): ``check -o json``
exited 3 with an internal error, ``check --report json`` wrote no JSON, and ``batch``
stopped after judging every capture, with no summary. The JSON now writes the character as
its escape, so it is valid, UTF-8 and decodes to the exact name.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

CAPTURE = b"# rbw_hz: 9000\n# mode: max-hold\nFrequency (MHz),Peak (dBuV)\n0.15,30\n15,30\n30,30\n"


@pytest.fixture
def latin1_named(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"Messung_L\xfcfter.csv")
    try:
        with open(raw, "wb") as fh:
            fh.write(CAPTURE)
    except OSError:  # pragma: no cover - a file system that only takes UTF-8 names
        pytest.fail("the file system refuses a non-UTF-8 file name")
    return Path(os.fsdecode(raw))


def test_check_json_keeps_the_exact_name(latin1_named: Path) -> None:
    res = CliRunner().invoke(
        main, ["check", str(latin1_named), "--limit", "fcc-15.107-b", "-o", "json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["captures"][0]["path"] == str(latin1_named)


def test_batch_writes_its_summary(latin1_named: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["batch", str(latin1_named.parent), "--limit", "fcc-15.107-b", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    (row,) = json.loads((out / "summary.json").read_bytes().decode("utf-8"))["rows"]
    assert (row["path"], row["verdict"]) == (str(latin1_named), "PASS")
