"""Rigol header settings in a stated unit: RBW, VBW and sweep time take their unit cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture

HEAD = (
    "RIGOL TECHNOLOGIES,RSA5065,RSA5A123456789,00.01.15\n"
    "Start Frequency, 150, kHz\nStop Frequency, 30, MHz\n"
    "{rbw}\n{vbw}\n{swt}\nPoints, 3\nTrace Mode, Max Hold\nDetector, Pos Peak\nUnit, dBuV\n"
    "Trace Data\nFrequency(Hz),Trace1(dBuV)\n"
    "150000,30.00\n15000000,40.00\n30000000,35.00\n"
)


def write(tmp_path: Path, rbw: str, vbw: str = "VBW, 30, kHz", swt: str = "SWT, 1, s") -> Path:
    path = tmp_path / "rigol.csv"
    path.write_text(HEAD.format(rbw=rbw, vbw=vbw, swt=swt))
    return path


@pytest.mark.parametrize(
    ("rbw", "vbw", "swt", "want"),
    [
        ("RBW, 9.000000, kHz", "VBW, 30.000000, kHz", "Sweep Time, 20.000000, s", (9e3, 3e4, 20.0)),
        ("RBW, 9.000000e+03, Hz", "VBW, 3e4, Hz", "Sweep Time, 200.000000, ms", (9e3, 3e4, 0.2)),
        ("RBW, 1, MHz", "VBW, 0.003, GHz", "Sweep Time, 500, us", (1e6, 3e6, 5e-4)),
        ("RBW, 9000", "VBW, 30000", "Sweep Time, 250000, ns", (9e3, 3e4, 2.5e-4)),
        # a value and its unit in one cell
        ("RBW,9 kHz", "VBW,30 kHz", "Sweep Time,20 ms", (9e3, 3e4, 0.02)),
        ("RBW, 120kHz", "VBW, 1 MHz", "Sweep Time, 2.000000e+01 ms", (1.2e5, 1e6, 0.02)),
        ("RBW, 9000 Hz", "VBW, 0.003 GHz", "SWT, 500 us", (9e3, 3e6, 5e-4)),
        ("RBW,9 kHz", "VBW, 30, kHz", "Sweep Time,1 s", (9e3, 3e4, 1.0)),
    ],
)
def test_rbw_vbw_and_sweep_time_take_their_unit_cell(
    tmp_path: Path, rbw: str, vbw: str, swt: str, want: tuple[float, float, float]
) -> None:
    trace = load_capture(write(tmp_path, rbw, vbw, swt)).traces[0]
    assert (trace.rbw_hz, trace.vbw_hz, trace.sweep_time_s) == pytest.approx(want)


@pytest.mark.parametrize(
    ("rbw", "vbw", "swt", "message"),
    [
        ("RBW, 9, kHZz", "VBW, 30, kHz", "SWT, 1, s", "header 'RBW': unknown unit 'kHZz'"),
        ("RBW, 9, kHz", "VBW, 30, dB", "SWT, 1, s", "header 'VBW': unknown unit 'dB'"),
        ("RBW, 9, kHz", "VBW, 30, kHz", "Sweep Time, 1, min", "header 'Sweep Time': unknown unit"),
        ("RBW, 9, mHz", "VBW, 30, kHz", "SWT, 1, s", "header 'RBW': unknown unit 'mHz'"),  # milli
        ("RBW,9 mHz", "VBW, 30, kHz", "SWT, 1, s", "header 'RBW': unknown unit 'mHz'"),
    ],
)
def test_an_unknown_unit_cell_is_refused_naming_the_key(
    tmp_path: Path, rbw: str, vbw: str, swt: str, message: str
) -> None:
    with pytest.raises(CaptureFormatError, match=message) as err:
        load_capture(write(tmp_path, rbw, vbw, swt))
    assert err.value.line is not None


def test_an_unknown_frequency_unit_on_start_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "RBW, 9, kHz")
    path.write_text(
        path.read_text().replace("Start Frequency, 150, kHz", "Start Frequency, 150, kc")
    )
    with pytest.raises(CaptureFormatError, match="header 'Start Frequency': unknown unit 'kc'"):
        load_capture(path)


@pytest.mark.parametrize(
    ("rbw", "vbw", "swt", "message"),
    [
        # a unit in the value's cell and another after it: which one is meant is unclear
        (
            "RBW,9 kHz,kHz",
            "VBW, 30, kHz",
            "SWT, 1, s",
            r"header 'RBW': '9 kHz' carries its unit and is followed by 'kHz'",
        ),
        ("RBW,9 kc", "VBW, 30, kHz", "SWT, 1, s", "header 'RBW': unknown unit 'kc'"),
        (
            "RBW, 9, kHz",
            "VBW,auto",
            "SWT, 1, s",
            r"header 'VBW': not a number: 'auto'; write it as 'VBW,<number>,<unit>' "
            "with the unit Hz, kHz, MHz or GHz",
        ),
        (
            "RBW, 9, kHz",
            "VBW, 30, kHz",
            "Sweep Time,20 ms 5",
            r"header 'Sweep Time': not a number: '20 ms 5'; write it as "
            r"'Sweep Time,<number>,<unit>' with the unit s, ms, us or ns",
        ),
    ],
)
def test_an_unreadable_value_is_refused_naming_the_files_key(
    tmp_path: Path, rbw: str, vbw: str, swt: str, message: str
) -> None:
    with pytest.raises(CaptureFormatError, match=message) as err:
        load_capture(write(tmp_path, rbw, vbw, swt))
    assert err.value.line is not None
    assert "_hz" not in str(err.value) and "_s:" not in str(err.value)


def test_an_unreadable_points_count_names_the_files_key(tmp_path: Path) -> None:
    path = write(tmp_path, "RBW, 9, kHz")
    path.write_text(path.read_text().replace("Points, 3", "Points, three"))
    with pytest.raises(CaptureFormatError, match="header 'Points': not a number: 'three'"):
        load_capture(path)
