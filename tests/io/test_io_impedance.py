"""A stated input impedance other than 50 Ω: dBm readings are converted to dBµV at it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture
from rfcheck.units import LevelUnit

SIGLENT = "siglent/ssa3032x_two_traces.csv"
N9343C = "keysight/n9343c_noprefix.CSV"


def _siglent(edited_fixture: Callable[..., Path], unit: str, ohm: str) -> Path:
    p = edited_fixture(SIGLENT, "Y Axis Unit,dBuV", f"Y Axis Unit,{unit}")
    p.write_bytes(p.read_bytes().replace(b"Impedance,50", f"Impedance,{ohm}".encode()))
    return p


def test_a_dbm_trace_at_75_ohm_is_converted_at_75_ohm(edited_fixture: Callable[..., Path]) -> None:
    """0 dBm into 75 Ω is 108.75 dBµV, not the 106.99 dBµV of 50 Ω (1.76 dB low)."""
    cap = load_capture(_siglent(edited_fixture, "dBm", "75"))
    a, b = cap.traces
    assert a.unit is LevelUnit.DBUV and b.unit is LevelUnit.DBUV
    np.testing.assert_allclose(a.level, np.array([55.25, 48.5, 41.75]) + 108.7506, atol=1e-4)
    assert (
        "Impedance 75 Ω (line 4): the instrument refers its readings to 75 Ω; Trace A, Trace B "
        "converted from dBm to dBµV at 75 Ω (dBm + 108.75 dB, not the 106.99 dB of 50 Ω). A "
        "CISPR 16 measurement port (LISN, receiver input) is 50 Ω: check how the 75 Ω input "
        "was matched"
    ) in cap.warnings


def test_a_dbm_trace_at_50_ohm_is_left_to_the_50_ohm_conversion(
    edited_fixture: Callable[..., Path],
) -> None:
    cap = load_capture(_siglent(edited_fixture, "dBm", "50"))
    assert cap.traces[0].unit is LevelUnit.DBM and cap.traces[0].level[0] == 55.25
    assert not [w for w in cap.warnings if "Impedance" in w]


def test_a_voltage_trace_at_75_ohm_is_kept_and_noted(edited_fixture: Callable[..., Path]) -> None:
    cap = load_capture(_siglent(edited_fixture, "dBuV", "75"))
    assert cap.traces[0].unit is LevelUnit.DBUV and cap.traces[0].level[0] == 55.25
    (note,) = [w for w in cap.warnings if "Impedance" in w]
    assert "readings in a voltage unit are kept as read" in note


def test_n9343c_states_its_impedance_too(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(N9343C, "Y Axis Unit,dBuV\r\n", "Y Axis Unit,dBm\r\nImpedance,75\r\n")
    tr = load_capture(p).traces[0]
    assert tr.unit is LevelUnit.DBUV
    assert tr.level[0] == pytest.approx(45.25 + 108.7506, abs=1e-4)


def test_an_impedance_that_is_no_number_is_refused(
    edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    assert_load_error(
        _siglent(edited_fixture, "dBm", "High-Z"),
        CaptureFormatError,
        re.escape(
            "Impedance: not a positive number of ohms: 'High-Z' (its dBm readings cannot be "
            "converted to dBµV)"
        ),
        4,
    )
