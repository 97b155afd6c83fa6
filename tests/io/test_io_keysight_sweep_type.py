"""Keysight X-series ``Sweep Type`` decides whether a stated dwell makes a scan stepped.

A trace stating a dwell per frequency is read as a stepped scan, its points only
(``docs/verdict.md``, "Coverage"). An X-series file that also states ``Sweep Type,Swept``
(or ``FFT``) was swept: it covers its span continuously, so its ``Dwell Time`` is not a
dwell per frequency. ``Stepped`` keeps the dwell; without ``Sweep Type`` nothing changes.
In ``EMI Receiver`` mode a stated dwell is kept whatever ``Sweep Type`` says (the mode's scan
table steps, and a stale sweep type there would turn a gapped scan into a PASS), noted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.io import load_capture

#: 1001 points over 30-300 MHz (270 kHz apart, RBW 120 kHz): a stepped scan on this grid
#: measures less than half of the band.
_N = 1001


def _xseries(tmp_path: Path, settings: str, level: float = 20.0, mode: str = "Swept SA") -> Path:
    """Write an X-series single-trace file in ``mode`` with ``settings`` after the VBW."""
    freqs = np.linspace(30e6, 300e6, _N)
    rows = "".join(f"{f:.0f},{level}\n" for f in freqs)
    text = (
        f"Trace\n{mode}\nA.25.08,N9038A\n526 EMC P26 ,01\nSegment,0\n"
        f"Number of Points,{_N}\nSweep Time,0.05\nStart Frequency,30000000\n"
        "Stop Frequency,300000000\nAverage Type,Voltage\nRBW,120000\nRBW Filter,EMI\n"
        f"RBW Filter BW,6dB\nVBW,1000000\n{settings}Ref Level Offset,0\nExternal Gain,0\n"
        "Trace Type,Maxhold\nDetector,Peak\nTrace Math,Off\nNormalize,Off\n"
        "Trace Name,Trace1\nX Axis Units,Hz\nY Axis Units,dBuV\nDATA\n" + rows
    )
    path = tmp_path / "mxe_scan.csv"
    path.write_text(text, encoding="ascii")
    return path


def _check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(path),
            "--limit",
            "cispr32-b-rad-3m",
            "--antenna-factor",
            "15",
            "--range",
            "30M-300M",
        ],
    )
    return result.exit_code, result.output


@pytest.mark.parametrize(("written", "what"), [("Swept", "a sweep"), ("FFT", "an FFT sweep")])
def test_a_swept_scan_stating_a_dwell_is_read_as_a_sweep(
    tmp_path: Path, written: str, what: str
) -> None:
    path = _xseries(tmp_path, f"Sweep Type,{written}\nDwell Time,0.00005\n")
    cap = load_capture(path)
    (trace,) = cap.traces
    assert trace.dwell_s is None
    assert trace.sweep_time_s == pytest.approx(0.05)
    (note,) = [w for w in cap.warnings if w.startswith("'Sweep Type,")]
    assert note == (
        f"'Sweep Type,{written}' (line 15): {what}, not a stepped scan: it covers its span "
        "continuously, and 'Dwell Time,5e-05' (line 16) is not read as a dwell per frequency"
    )


def test_check_on_a_swept_scan_stating_a_dwell_gives_a_verdict(tmp_path: Path) -> None:
    code, out = _check(_xseries(tmp_path, "Sweep Type,Swept\nDwell Time,0.00005\n"))
    assert code == 0, out  # it read INCOMPLETE (exit 5): "not measured" between every point
    assert "overall verdict: PASS" in out
    assert "not a stepped scan" in out


@pytest.mark.parametrize(
    ("written", "mode", "where"),
    [
        ("Swept", "EMI Receiver", "in EMI Receiver mode"),
        ("FFT", "EMI Receiver", "in EMI Receiver mode"),
        (" swept ", "EMI Receiver", "in EMI Receiver mode"),
        ("Swept", "EMI Rcvr", "in EMI Rcvr mode"),  # a spelling not known: not an analyser
        ("Swept", "", "with no measurement mode on line 2"),
    ],
)
def test_outside_the_analyser_modes_a_stated_dwell_stays_a_stepped_scans(
    tmp_path: Path, written: str, mode: str, where: str
) -> None:
    """A receiver's scan table steps: a sweep type beside its dwell does not fill the gaps."""
    path = _xseries(tmp_path, f"Sweep Type,{written}\nDwell Time,0.00005\n", mode=mode)
    cap = load_capture(path)
    assert cap.traces[0].dwell_s == pytest.approx(5e-5)
    (note,) = [w for w in cap.warnings if w.startswith("'Sweep Type,")]
    assert f"{where} beside 'Dwell Time,5e-05' (line 16): read as a stepped" in note
    code, out = _check(path)
    assert code == 5, out
    assert "overall verdict: INCOMPLETE" in out


def test_a_stepped_scan_keeps_its_dwell_and_its_gaps(tmp_path: Path) -> None:
    path = _xseries(tmp_path, "Sweep Type,Stepped\nDwell Time,0.00005\n")
    (trace,) = load_capture(path).traces
    assert trace.dwell_s == pytest.approx(5e-5)
    code, out = _check(path)
    assert code == 5, out
    assert "overall verdict: INCOMPLETE" in out


def test_a_dwell_without_a_sweep_type_is_still_stepped(tmp_path: Path) -> None:
    (trace,) = load_capture(_xseries(tmp_path, "Dwell Time,0.00005\n")).traces
    assert trace.dwell_s == pytest.approx(5e-5)


def test_a_stepped_scan_stating_no_dwell_dwells_its_share_of_the_sweep_time(
    tmp_path: Path,
) -> None:
    cap = load_capture(_xseries(tmp_path, "Sweep Type,Stepped\n"))
    (trace,) = cap.traces
    assert trace.dwell_s == pytest.approx(0.05 / _N)
    assert any(
        w.startswith("'Sweep Type,Stepped' (line 15) states no 'Dwell Time'") for w in cap.warnings
    )


def test_a_swept_scan_stating_no_dwell_reads_as_before(tmp_path: Path) -> None:
    cap = load_capture(_xseries(tmp_path, "Sweep Type,Swept\n"))
    assert cap.traces[0].dwell_s is None
    assert not any("Sweep Type" in w for w in cap.warnings)
