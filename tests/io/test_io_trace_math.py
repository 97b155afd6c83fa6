"""Trace math, normalisation and gated sweeps stated by Keysight and Siglent exports.

A computed trace (X-series ``Trace Math`` other than ``Off``, ``Normalize,On``; Siglent and
N9343C ``Trace Math`` on) is no measurement of the emission: it is dropped with a note, and a
file left with no trace is refused naming the setting. An N9343C ``Gate Sweep,ON`` marks every
trace ``reads_low`` (lower bounds at most in the verdict). ``Off`` values read as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture

_MXE = "keysight/mxe_emi_receiver_alltrace.csv"
_MXA = "keysight/mxa_swept_onetrace.csv"
_N9343 = "keysight/n9343c_noprefix.CSV"
_SIGLENT = "siglent/ssa3032x_two_traces.csv"
_NAMES = "Trace Name,Trace1,Trace2,Trace3,Trace4"


def test_xseries_trace_math_off_reads_every_trace(edited_fixture: Callable[..., Path]) -> None:
    path = edited_fixture(_MXE, _NAMES, f"Trace Math,Off,Off,Off,Off\nNormalize,Off\n{_NAMES}")
    cap = load_capture(path)
    assert [t.name for t in cap.traces] == ["Trace1", "Trace2", "Trace3"]
    assert not any("dropped: " in w for w in cap.warnings)


@pytest.mark.parametrize("math", ["Log Diff", "Power Diff", "Log Offset", "Power Sum"])
def test_xseries_trace_math_drops_that_trace(
    edited_fixture: Callable[..., Path], math: str
) -> None:
    path = edited_fixture(_MXE, _NAMES, f"Trace Math,Off,{math},Off,Off\n{_NAMES}")
    cap = load_capture(path)
    assert [t.name for t in cap.traces] == ["Trace1", "Trace3"]
    (note,) = [w for w in cap.warnings if "dropped: " in w]
    assert note.startswith(f"Trace2: dropped: 'Trace Math,{math}' at line 17: a trace computed")


def test_xseries_only_trace_computed_is_refused(
    edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    path = edited_fixture(_MXA, "Trace Name,Trace1", "Trace Math,Log Diff\nTrace Name,Trace1")
    assert_load_error(
        path, CaptureFormatError, r"no measured trace to read: 'Trace Math,Log Diff'", 11
    )


def test_xseries_normalize_on_is_refused(
    edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    path = edited_fixture(_MXE, _NAMES, f"Normalize,On\n{_NAMES}")
    assert_load_error(path, CaptureFormatError, r"no measured trace to read: 'Normalize,On'", 17)


def test_siglent_trace_math_on_is_refused(
    edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    path = edited_fixture(
        _SIGLENT,
        "Trace Name,Trace A",
        "Trace Math,ON\nTrace Variable X,Trace A\nTrace Variable Y,Trace B\n"
        "Trace Variable Z,Trace C\nTrace Name,Trace A",
    )
    assert_load_error(path, CaptureFormatError, r"no measured trace to read: 'Trace Math,ON'", 14)


def test_siglent_trace_math_off_reads(edited_fixture: Callable[..., Path]) -> None:
    path = edited_fixture(_SIGLENT, "Trace Name,Trace A", "Trace Math,OFF\nTrace Name,Trace A")
    assert [t.name for t in load_capture(path).traces] == ["Trace A", "Trace B"]


def test_n9343_trace_math_on_is_refused(
    edited_fixture: Callable[..., Path], assert_load_error: Callable[..., None]
) -> None:
    path = edited_fixture(
        _N9343,
        "Trace Name,Trace1,",
        "Trace Math,Power Diff\r\nTrace Math By,Log Power\r\nTrace Name,Trace1,",
    )
    assert_load_error(
        path, CaptureFormatError, r"no measured trace to read: 'Trace Math,Power Diff'", 16
    )


def test_n9343_gate_sweep_on_marks_the_traces(edited_fixture: Callable[..., Path]) -> None:
    path = edited_fixture(
        _N9343, "Apply Corrections,OFF", "Gate Sweep,ON\r\nGate View,OFF\r\nApply Corrections,OFF"
    )
    (t,) = load_capture(path).traces
    assert t.reads_low.startswith("'Gate Sweep,ON' at line 15 (a gated sweep")
    np.testing.assert_allclose(t.level, [45.25, 38.5, 32.75, 30.0])  # data as exported


def test_n9343_gate_sweep_off_and_trace_math_off_change_nothing(
    edited_fixture: Callable[..., Path],
) -> None:
    path = edited_fixture(
        _N9343,
        "Apply Corrections,OFF",
        "Gate Sweep,OFF\r\nApply Corrections,OFF\r\nTrace Math,Off",
    )
    (t,) = load_capture(path).traces
    assert t.reads_low == ""
