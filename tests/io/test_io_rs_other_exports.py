"""R&S exports that are not one trace export: a spurious peak list, appended exports."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rfcheck.errors import CaptureFormatError

#: The FSW spurious-emission export's layout (R&S FSW User Manual §7.7.6): the peak list,
#: a row per peak found: range, start, stop, RBW, frequency, level, limit, margin.
_PEAK_LIST = (
    "Type;FSW-26;\r\nVersion;1.00;\r\nDate;31.Mar 11;\r\nMode;ANALYZER; SPURIOUS;\r\n"
    "Start;9000.000000;Hz\r\nStop;8000000000.000000;Hz\r\nTRACE 1:\r\nTrace Mode;CLR/WRITE;\r\n"
    "x-Unit;Hz;\r\ny-Unit;dBm;\r\nMargin;6.000000;s\r\nPeaksPerRange;25;\r\nValues;2;\r\n"
    "1;9000.000000;150000.000000;1000.000000;12000.000000;-49.44;-36.00;-13.44;\r\n"
    "2;150000.000000;30000000.000000;10000.000000;2500000.000000;-52.10;-36.00;-16.10;\r\n"
)


def test_a_spurious_peak_list_is_named(
    tmp_path: Path, assert_load_error: Callable[..., None]
) -> None:
    """Not 'implausible level 9000 at point 1' (its range column read as a level)."""
    p = tmp_path / "spurious.DAT"
    p.write_bytes(_PEAK_LIST.encode("latin-1"))
    assert_load_error(
        p,
        CaptureFormatError,
        re.escape(
            "a spurious-emission peak list ('PeaksPerRange'): its rows are the peaks found "
            "per range, not a trace; export the trace instead"
        ),
        12,
    )


def test_a_second_export_appended_to_the_first_is_refused(
    tmp_path: Path, fixture_file: Callable[[str], Path], assert_load_error: Callable[..., None]
) -> None:
    """``FORMat:DEXPort:APPend ON``: the second header's y-Unit would land in the first's trace."""
    one = fixture_file("rs/fsv_analyzer_single.CSV").read_bytes()
    p = tmp_path / "appended.DAT"
    p.write_bytes(one + one.replace(b"y-Unit;dBm;", b"y-Unit;dBuV;"))
    n_lines = one.count(b"\n")
    assert_load_error(
        p,
        CaptureFormatError,
        re.escape(
            "a second export starts here (its 'Type' line; the first at line 1): several "
            "exports appended in one file; save each export to its own file"
        ),
        n_lines + 1,
    )
