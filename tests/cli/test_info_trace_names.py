"""``rfcheck info`` names each trace once: ``trace 1``, then the file's name when it says more.

A file that numbers its traces (a tinySA's ``trace 1``, Keysight's ``Trace1``, R&S's
``TRACE 1``) read ``trace 1 trace 1``; a name that adds something (``Trace A``, ``Peak``, or
another number: the file's third trace read as the second) is still printed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
#: ``trace 1 trace 1``, ``trace 2 Trace2``, ``trace 1 TRACE 1``: a name that repeats the number.
DOUBLED = re.compile(r"^\s*trace (\d+) trace\s*\1\s", re.IGNORECASE | re.MULTILINE)
CAPTURE_FIXTURES = sorted(
    p.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.glob("*/*")
    if p.parent.name != "check" or p.suffix == ".csv"
)


def _info(path: Path) -> str:
    res = CliRunner().invoke(main, ["info", str(path)])
    assert res.exit_code in (0, 3), res.output
    return res.stdout


def test_a_tinysa_trace_is_named_once(fixture_file: Callable[[str], Path]) -> None:
    text = _info(fixture_file("tinysa/device_sd.csv"))
    (line,) = [ln for ln in text.splitlines() if ln.startswith("  trace ")]
    assert line.startswith("  trace 1            detector=unknown mode=unknown unit=unknown")


@pytest.mark.parametrize("name", CAPTURE_FIXTURES)
def test_no_fixture_prints_a_trace_number_twice(name: str) -> None:
    assert not DOUBLED.search(_info(FIXTURES / name))


@pytest.mark.real
def test_no_real_capture_prints_a_trace_number_twice(real_captures: Path) -> None:
    files = sorted(p for p in real_captures.iterdir() if p.is_file() and p.suffix != ".md")
    assert files
    for path in files:
        assert not DOUBLED.search(_info(path)), path.name


def test_a_name_that_says_more_is_kept(fixture_file: Callable[[str], Path]) -> None:
    rigol = _info(fixture_file("rigol/dsa705_saved_trace1_trace3_khz.csv")).splitlines()
    assert [ln[:24] for ln in rigol if ln.startswith("  trace ")] == [
        "  trace 1            det",
        "  trace 2 Trace 3    det",  # the file's Trace 3 is the second trace read
    ]
    siglent = _info(fixture_file("siglent/ssa3032x_two_traces.csv"))
    assert "  trace 1 Trace A    detector=peak" in siglent
    assert "  trace 2 Trace B    detector=quasi-peak" in siglent


def test_json_keeps_the_files_own_name(fixture_file: Callable[[str], Path]) -> None:
    res = CliRunner().invoke(
        main, ["info", "-o", "json", str(fixture_file("tinysa/device_sd.csv"))]
    )
    (doc,) = json.loads(res.stdout)
    assert [t["name"] for t in doc["traces"]] == ["trace 1"]
