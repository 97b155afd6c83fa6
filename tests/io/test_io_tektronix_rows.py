"""Tektronix SignalVu: a [Trace] row that does not read is named, not taken for a cut file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from rfcheck.errors import CaptureFormatError

SPECTRUM = "tektronix/signalvu_spectrum.csv"


@pytest.mark.parametrize("count", [1, 5], ids=["first-row", "every-row"])
def test_a_row_written_by_a_script_is_named(
    tmp_path: Path,
    fixture_file: Callable[[str], Path],
    assert_load_error: Callable[..., None],
    count: int,
) -> None:
    """``np.float64(41.5),150000``: not 'no data rows (file truncated?)'."""
    p = tmp_path / "script.csv"
    text = fixture_file(SPECTRUM).read_text(encoding="utf-8").split("\n")
    first = text.index("XStop,1150000,Hz") + 1
    for k in range(first, first + count):
        level, freq = text[k].split(",")
        text[k] = f"np.float64({level}),{freq}"
    p.write_text("\n".join(text), encoding="utf-8")
    assert_load_error(
        p,
        CaptureFormatError,
        re.escape("trace 'Trace 1': row 'np.float64(41.5),150000' is not a pair of numbers"),
        first + 1,
    )
