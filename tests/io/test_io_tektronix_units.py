"""Tektronix SignalVu: the unit cell of a bandwidth, a dwell, XStart/XStop and XUnits is read."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture

SPECTRUM = "tektronix/signalvu_spectrum.csv"
EMC = "tektronix/signalvu_emc_2traces.csv"


def test_a_prefixed_rbw_is_converted(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(SPECTRUM, "Resolution Bandwidth,9000,Hz", "Resolution Bandwidth,120,kHz")
    assert load_capture(p).traces[0].rbw_hz == 120e3


def test_a_dwell_in_ms_is_converted(edited_fixture: Callable[..., Path]) -> None:
    """10 ms, not 10 s: a dwell of 1 s or more would hide the peak-dwell caution."""
    p = edited_fixture(EMC, "Scan Dwell Time,0.01,s", "Scan Dwell Time,10,ms")
    assert load_capture(p).traces[0].dwell_s == pytest.approx(0.01)


def test_emc_range_cells_in_prefixed_units_are_converted(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture(
        EMC,
        "Start Frequency,,1000000,Hz,\nStop Frequency,,1004000,Hz,\nRBW,,9000,Hz,\n",
        "Start Frequency,,1,MHz,\nStop Frequency,,1.004,MHz,\nRBW,,9,kHz,\n",
    )
    p.write_bytes(
        p.read_bytes().replace(b"Video Bandwidth,,1000000,Hz,", b"Video Bandwidth,,1,MHz,")
    )
    cap = load_capture(p)
    assert cap.warnings == ()  # the rows reach the ranges' span
    tr = cap.traces[0]
    assert tr.rbw_hz == pytest.approx(9e3) and tr.vbw_hz == pytest.approx(1e6)


def test_rows_in_the_xunits_unit_are_read_in_hz(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(EMC, "XUnits,Hz\n1000000,45.09\n1002000,", "XUnits,MHz\n1,45.09\n1.002,")
    p.write_bytes(p.read_bytes().replace(b"1004000,43.74", b"1.004,43.74"))
    cap = load_capture(p)
    np.testing.assert_allclose(cap.traces[0].freq_hz, [1e6, 1.002e6, 1.004e6])
    assert cap.warnings == ()


def test_xstart_in_mhz_matches_rows_in_hz(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(
        SPECTRUM, "XStart,150000,Hz\nXStop,1150000,Hz", "XStart,0.15,MHz\nXStop,1.15,MHz"
    )
    assert load_capture(p).traces[0].start_hz == 150e3


@pytest.mark.parametrize(
    ("fixture", "old", "new", "message", "line"),
    [
        (
            SPECTRUM,
            "Resolution Bandwidth,9000,Hz",
            "Resolution Bandwidth,9000,Hertz",
            "Resolution Bandwidth: unknown unit 'Hertz' (expected Hz, kHz, MHz or GHz)",
            12,
        ),
        (
            EMC,
            "Scan Dwell Time,0.01,s",
            "Scan Dwell Time,0.01,min",
            "Scan Dwell Time: unknown unit 'min' (expected s, ms, us or ns)",
            20,
        ),
        (
            EMC,
            "RBW,,9000,Hz,",
            "RBW,,9,kHertz,",
            "RBW: unknown unit 'kHertz' (expected Hz, kHz, MHz or GHz)",
            11,
        ),
        (
            EMC,
            "XUnits,Hz",
            "XUnits,s",
            "trace 'Scan1': XUnits 's' is not a frequency unit (expected Hz, kHz, MHz or GHz)",
            41,
        ),
        (
            SPECTRUM,
            "XStart,150000,Hz",
            "XStart,150000,Hx",
            "XStart: unknown unit 'Hx' (expected Hz, kHz, MHz or GHz)",
            28,
        ),
    ],
    ids=["rbw", "dwell", "range-rbw", "xunits", "xstart"],
)
def test_an_unknown_unit_is_refused_naming_the_key_and_line(
    edited_fixture: Callable[..., Path],
    assert_load_error: Callable[..., None],
    fixture: str,
    old: str,
    new: str,
    message: str,
    line: int,
) -> None:
    p = edited_fixture(fixture, old, new)
    assert_load_error(
        p, CaptureFormatError, f"^{re.escape(str(p))}:{line}: {re.escape(message)}$", line
    )
