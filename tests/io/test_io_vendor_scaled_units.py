"""Vendor readers: levels in a unit rfcheck converts on reading (W, dBpW, mV, A ...).

R&S, Keysight X-series and N9343C, Siglent, Tektronix, Rigol, Signal Hound, tinySA and the
Agilent ESA/N9340 exports convert them as the generic CSV does: the trace is read in dBm, V
or dBµA, with one note in the same words for every reader naming the unit as the file spells
it; a power or current that is not positive is refused naming its line. Each test edits a
fixture's unit line and rewrites its levels in that unit, so the levels read must be the
fixture's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from rfcheck.capture import Capture
from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture
from rfcheck.units import LevelUnit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
POWER = "dBm = 10·log10(P / 1 mW)"


def _watts(level_db: float) -> float:
    """Return a dB level read as dBm, in W."""
    return float(10.0 ** ((level_db - 30.0) / 10.0))


def _rewritten(
    path: Path,
    to_unit: Callable[[float], float],
    columns: Sequence[int],
    *,
    sep: str = ",",
    decimal: str = ".",
    skip: Callable[[float], bool] = lambda v: False,
    fmt: str = "{:.12e}",
) -> Path:
    """Rewrite in place the level ``columns`` of every row of numbers in ``path``.

    A row of numbers: its first cell and ``columns`` are numbers (NUL padding aside), so a
    marker row (``1 ,1 ,Normal``) stays. ``skip``: levels kept as written (a blank-trace
    sentinel). ``fmt``: how a level is written.
    """

    def number(cell: str) -> float | None:
        try:
            return float(cell.replace("\x00", "").replace(decimal, "."))
        except ValueError:
            return None

    out = []
    for line in path.read_bytes().decode("latin-1").splitlines(keepends=True):
        body = line.rstrip("\r\n")
        cells = body.split(sep)
        values = [number(cells[c]) if c < len(cells) else None for c in (0, *columns)]
        if None not in values:
            for c, value in zip(columns, values[1:], strict=True):
                if value is not None and not skip(value):
                    cells[c] = fmt.format(to_unit(value)).replace(".", decimal)
        out.append(sep.join(cells) + line[len(body) :])
    path.write_bytes("".join(out).encode("latin-1"))
    return path


def _assert_read_as(
    cap: Capture, original: Capture, unit: LevelUnit, notes: list[str], atol: float = 1e-9
) -> None:
    """Every trace of ``cap`` is ``original``'s in ``unit``, and ``notes`` are among its notes."""
    assert len(cap.traces) == len(original.traces)
    for tr, orig in zip(cap.traces, original.traces, strict=True):
        assert tr.unit is unit
        np.testing.assert_allclose(tr.level, orig.level, rtol=0, atol=atol)
        np.testing.assert_array_equal(tr.freq_hz, orig.freq_hz)
    for note in notes:
        assert note in cap.warnings


def test_rs_trace_in_watts(edited_fixture: Callable[..., Path]) -> None:
    fixture = "rs/fsv_analyzer_single.CSV"
    path = _rewritten(edited_fixture(fixture, "y-Unit;dBm;", "y-Unit;W;"), _watts, [1], sep=";")
    _assert_read_as(
        load_capture(path),
        load_capture(FIXTURES / fixture),
        LevelUnit.DBM,
        [f"TRACE 1: levels in W converted to dBm ({POWER})"],
    )


def test_rs_receiver_scan_in_amps_with_decimal_commas(edited_fixture: Callable[..., Path]) -> None:
    fixture = "rs/esr_receiver_decimal_comma.DAT"
    path = edited_fixture(fixture, "y-Unit;dB\xb5V;", "y-Unit;A;")
    path = _rewritten(path, lambda v: 10.0 ** ((v - 120.0) / 20.0), [1], sep=";", decimal=",")
    cap = load_capture(path)
    _assert_read_as(cap, load_capture(FIXTURES / fixture), LevelUnit.DBUA, [])
    rule = "dBµA = 20·log10(I / 1 µA)"
    assert [w for w in cap.warnings if "converted" in w] == [
        f"TRACE 1: levels in A converted to dBµA ({rule})",
        f"TRACE 2: levels in A converted to dBµA ({rule})",
    ]


RS_FINALS = (
    "Type;R&S ESU;\r\nVersion;2.32;\r\nDate;03.Aug 2004;\r\nMode;Receiver;\r\n"
    "Start;150000;Hz\r\nStop;350000;Hz\r\nx-Axis;LIN;\r\n"
    "TRACE 1 FINAL:\r\nTrace Mode;CLR/WRITE;\r\nFinal Detector;QUASIPEAK;\r\n"
    "x-Unit;Hz;\r\ny-Unit;dBpW;\r\nFinal Meas Time;1.000000;s\r\nValues;3;\r\n"
    "1;250000.000000;47.250000;-14.500000;N;GND\r\n"
    "1;200000.000000;52.125000;-11.500000;N;GND\r\n"
    "1;300000.000000;40.000000;-20.000000;N;GND\r\n"
)


def test_rs_final_list_in_dbpw_and_its_rows_lines(tmp_path: Path) -> None:
    path = tmp_path / "finals.DAT"
    path.write_bytes(RS_FINALS.encode("latin-1"))
    cap = load_capture(path)
    (tr,) = cap.traces
    assert tr.unit is LevelUnit.DBM
    assert tr.level.tolist() == [52.125 - 90, 47.25 - 90, 40.0 - 90]  # sorted by frequency
    assert "Trace 1 final (quasi-peak): levels in dBpW converted to dBm (dBm = dBpW - 90)" in (
        cap.warnings
    )
    path.write_bytes(RS_FINALS.replace("dBpW", "W").replace(";52.125000;", ";-0.5;").encode())
    with pytest.raises(CaptureFormatError, match=r"is in W, a magnitude, but reads -0\.5") as err:
        load_capture(path)
    assert err.value.line == 16  # the row's own line, not the list's first


def test_keysight_xseries_trace_in_dbpw(edited_fixture: Callable[..., Path]) -> None:
    fixture = "keysight/mxa_swept_onetrace.csv"
    path = edited_fixture(fixture, "Y Axis Units,dBm", "Y Axis Units,dBpW")
    path = _rewritten(path, lambda v: v + 90.0, [1])
    _assert_read_as(
        load_capture(path),
        load_capture(FIXTURES / fixture),
        LevelUnit.DBM,
        ["Trace1: levels in dBpW converted to dBm (dBm = dBpW - 90)"],
    )


def test_keysight_n9343c_trace_in_millivolts(edited_fixture: Callable[..., Path]) -> None:
    fixture = "keysight/n9343c_noprefix.CSV"
    path = edited_fixture(fixture, "Y Axis Unit,dBuV", "Y Axis Unit,mV")
    path = _rewritten(path, lambda v: 10.0 ** ((v - 60.0) / 20.0), [1])
    cap = load_capture(path)
    (tr,) = cap.traces
    assert tr.unit is LevelUnit.VOLT
    orig = load_capture(FIXTURES / fixture).traces[0].level
    np.testing.assert_allclose(20 * np.log10(tr.level) + 120, orig, rtol=0, atol=1e-9)
    assert "Trace1: levels in mV converted to V (V = mV / 1000)" in cap.warnings


def test_siglent_traces_in_watts_and_a_zero_refused(edited_fixture: Callable[..., Path]) -> None:
    fixture = "siglent/ssa3032x_two_traces.csv"
    path = _rewritten(edited_fixture(fixture, "Y Axis Unit,dBuV", "Y Axis Unit,W"), _watts, [1])
    _assert_read_as(
        load_capture(path),
        load_capture(FIXTURES / fixture),
        LevelUnit.DBM,
        [
            f"Trace A: levels in W converted to dBm ({POWER})",
            f"Trace B: levels in W converted to dBm ({POWER})",
        ],
    )
    text = path.read_bytes().decode("latin-1")
    cut = text.index("15075000,")
    path.write_bytes((text[:cut] + "15075000,0.00" + text[text.index("\n", cut) :]).encode())
    msg = r"Trace A is in W, a magnitude, but reads 0: .* \(written with too few decimals\?\)"
    with pytest.raises(CaptureFormatError, match=msg) as err:
        load_capture(path)
    assert err.value.line == 19


@pytest.mark.parametrize("spelling", ["Watts", "W"])
def test_tektronix_trace_in_watts(edited_fixture: Callable[..., Path], spelling: str) -> None:
    fixture = "tektronix/signalvu_spectrum.csv"
    path = edited_fixture(fixture, "Trace 1,,dBuVPerMeter,", f"Trace 1,,{spelling},")
    cap = load_capture(_rewritten(path, _watts, [0]))
    (tr,) = cap.traces
    assert tr.unit is LevelUnit.DBM
    orig = load_capture(FIXTURES / fixture).traces[0].level
    np.testing.assert_allclose(tr.level, orig, rtol=0, atol=1e-9)
    assert f"trace 'Trace 1': levels in {spelling} converted to dBm ({POWER})" in cap.warnings


def test_rigol_saved_trace_in_watts(edited_fixture: Callable[..., Path]) -> None:
    fixture = "rigol/dsa815_saved_trace1.csv"
    path = _rewritten(edited_fixture(fixture, " dBm,", " W,", count=5), _watts, [2])
    _assert_read_as(
        load_capture(path),
        load_capture(FIXTURES / fixture),
        LevelUnit.DBM,
        [f"trace 'Trace 1': levels in W converted to dBm ({POWER})"],
    )


def test_rigol_header_unit_other_than_the_rows_is_a_conflict(
    edited_fixture: Callable[..., Path],
) -> None:
    path = edited_fixture("rigol/dsa815_saved_trace1.csv", " dBm,", " W,", count=5)
    path.write_bytes(b"Unit,dBm\n" + _rewritten(path, _watts, [2]).read_bytes())
    with pytest.raises(CaptureFormatError, match="conflicting level units W and dBm"):
        load_capture(path)


def test_signalhound_columns_in_milliwatts(edited_fixture: Callable[..., Path]) -> None:
    fixture = "signalhound/spike_minmax.csv"
    path = edited_fixture(fixture, "(dBm)", "(mW)", count=2)
    path = _rewritten(path, lambda v: 10.0 ** (v / 10.0), [1, 2])
    rule = f"converted to dBm ({POWER})"
    _assert_read_as(
        load_capture(path),
        load_capture(FIXTURES / fixture),
        LevelUnit.DBM,
        [f"column 'Min': levels in mW {rule}", f"column 'Max': levels in mW {rule}"],
    )


def test_tinysa_columns_in_microwatts(edited_fixture: Callable[..., Path]) -> None:
    fixture = "tinysa/qttinysa_header.csv"
    path = edited_fixture(fixture, "(dBm)", "(uW)", count=2)
    path = _rewritten(path, lambda v: 10.0 ** ((v + 30.0) / 10.0), [1, 2], fmt="{:.18f}")
    _assert_read_as(
        load_capture(path, fmt="tinysa"),
        load_capture(FIXTURES / fixture, fmt="tinysa"),
        LevelUnit.DBM,
        [f"column 2: levels in uW converted to dBm ({POWER})"],
    )


def test_tinysa_trace_named_a_is_no_current(tmp_path: Path) -> None:
    path = tmp_path / "trace_a.csv"
    path.write_text("# Frequency (Hz),Trace A\n100000000.00,-80.50\n100100000.00,-79.00\n")
    (tr,) = load_capture(path, fmt="tinysa").traces
    assert tr.unit is None and tr.level.tolist() == [-80.5, -79.0]


def test_agilent_esa_traces_in_watts_keep_the_blank_sentinel(
    edited_fixture: Callable[..., Path],
) -> None:
    fixture = "agilent/e4402b_two_traces.CSV"
    path = edited_fixture(fixture, "Hz,   ,   ,   ", "Hz,W,W,W")
    path = _rewritten(path, _watts, [1, 2], skip=lambda v: v < -2000)  # the sentinel stays
    original = load_capture(FIXTURES / fixture, unit=LevelUnit.DBM)
    cap = load_capture(path)
    _assert_read_as(
        cap, original, LevelUnit.DBM, [f"Trace 1: levels in W converted to dBm ({POWER})"]
    )
    assert any("Trace 3: unused trace" in w for w in cap.warnings)


def test_agilent_n9340_traces_in_watts(edited_fixture: Callable[..., Path]) -> None:
    fixture = "agilent/n9342c_two_traces_markers.CSV"
    path = edited_fixture(fixture, "(Unit:dBuV)", "(Unit:W)")
    path = _rewritten(path, _watts, [1, 2])
    _assert_read_as(
        load_capture(path),
        load_capture(FIXTURES / fixture),
        LevelUnit.DBM,
        [
            f"Trace1: levels in W converted to dBm ({POWER})",
            f"Trace2: levels in W converted to dBm ({POWER})",
        ],
    )
