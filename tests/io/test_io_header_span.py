"""A header's Start/Stop against its rows: one rule for every reader that states a span.

Rows that run beyond the header's span by more than one point spacing are refused (the
readings' frequencies cannot be trusted); any smaller disagreement, or rows that stop short
of the span, is a note (docs/formats.md "What every reader shares").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture


def _xseries_rounded_axis(tmp_path: Path) -> Path:
    """Write an X-series export whose header says Stop 5.954559022 GHz over rows that run to 6 GHz.

    1001 rows on an exact 3 MHz step: the header's span implies 2.954559 MHz.
    """
    head = (
        "Trace\r\nSwept SA\r\nA.26.16,N9038A\r\n"
        "Number of Points,1001\r\nStart Frequency,3000000000\r\nStop Frequency,5954559022\r\n"
        "RBW,1000000\r\nTrace Type,MaxHold\r\nDetector,Peak\r\nX Axis Units,Hz\r\n"
        "Y Axis Units,dBuV\r\nDATA\r\n"
    )
    rows = "".join(f"{3_000_000_000 + 3_000_000 * i},{25 + (i % 4)}\r\n" for i in range(1001))
    p = tmp_path / "n9038a_rounded.csv"
    p.write_bytes((head + rows).encode("ascii"))
    return p


def test_rows_beyond_the_header_stop_by_many_points_are_refused(
    tmp_path: Path, assert_load_error: Callable[..., None]
) -> None:
    """The rows claim 5.955-6 GHz, which the instrument says it never swept."""
    assert_load_error(
        _xseries_rounded_axis(tmp_path),
        CaptureFormatError,
        re.escape(
            "header stop frequency 5954559022 Hz but the rows run to 6000000000 Hz, "
            "45.441 MHz beyond it (more than one point spacing, 3 MHz): the readings' "
            "frequencies cannot be trusted (the rows step 3 MHz where the header's span over "
            "1001 points gives 2.95456 MHz: x values rounded?); re-export the trace"
        ),
        6,
    )


@pytest.mark.parametrize(
    ("fixture", "old", "new", "line"),
    [
        ("siglent/ssa3032x_two_traces.csv", "Stop Frequency,+3.0", "Stop Frequency,+1.0", 9),
        ("keysight/n9343c_noprefix.CSV", "Stop Frequency,+3.0", "Stop Frequency,+1.5", 11),
        ("agilent/n9342c_two_traces_markers.CSV", "Start Freq\x00,1", "Start Freq\x00,4", 4),
        ("rs/fsv_analyzer_single.CSV", "Start;90000000", "Start;95000000", 8),
        ("rs/fsv_analyzer_single.CSV", "Stop;110000000", "Stop;105000000", 9),
        ("rigol/dsa815_maxhold.csv", "Stop Frequency,  3.0", "Stop Frequency,  2.3", 5),
    ],
    ids=["siglent", "keysight-n9343", "agilent-n9340", "rs-start", "rs-stop", "rigol"],
)
def test_every_reader_refuses_rows_that_overrun_the_header_span(
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
    fixture: str,
    old: str,
    new: str,
    line: int,
) -> None:
    assert_load_error(
        edited_fixture(fixture, old, new),
        CaptureFormatError,
        r"header (start|stop) frequency .* beyond it \(more than one point spacing, .*\): the "
        r"readings' frequencies cannot be trusted.*; re-export the trace$",
        line,
    )


def test_an_overrun_of_one_point_spacing_at_most_is_only_noted(
    edited_fixture: Callable[..., Path],
) -> None:
    """Rows 3 MHz past a Stop, 4 MHz apart: a rounded Stop, not a rescaled axis."""
    p = edited_fixture(
        "rs/fsv_analyzer_single.CSV", "Stop;110000000.000000;", "Stop;107000000.000000;"
    )
    assert load_capture(p).warnings == (
        "header stop frequency 107000000 Hz (line 9) disagrees with the data, "
        "which run to 110000000 Hz",
    )


def test_rows_of_another_kind_are_not_called_rounded(
    edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    """A span 25 % off the rows' (not a rounding): no 'x values rounded?' guess."""
    assert_load_error(
        edited_fixture("rs/fsv_analyzer_single.CSV", "Stop;110000000", "Stop;105000000"),
        CaptureFormatError,
        re.escape(
            "header stop frequency 105000000 Hz but the rows run to 110000000 Hz, 5 MHz "
            "beyond it (more than one point spacing, 4 MHz): the readings' frequencies cannot "
            "be trusted; re-export the trace"
        )
        + "$",
        9,
    )
