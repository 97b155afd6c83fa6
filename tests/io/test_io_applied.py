"""Offsets, gains and correction tables the instrument has already applied are noted.

Keysight N9343C (``Ref Level Offset``, ``Frequency Offset``, ``Apply Corrections``), Agilent
N9340 (``Ref Offset``) and R&S ASCII (``Level Offset``, ``Freq Offset``, an active
``Transducer``): a non-zero value (a setting that is on) is a capture note naming the option
that would count it twice; zero values say nothing and the data are never changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rfcheck.io import load_capture
from rfcheck.io._applied import (
    corrections_note,
    frequency_offset_notes,
    level_offset_notes,
    number_and_unit,
)

_OFFSET_ADVICE = "--attenuator / --cable-loss / --preamp-gain for what it compensates"


def _applied(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if "already applied" in w]


# --- the shared helper -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+1.000000000e+01", (10.0, "")),
        ("10,500000 dB", (10.5, "dB")),
        ("-3.5dB", (-3.5, "dB")),
        ("0.000000", (0.0, "")),
        ("10000000 Hz", (1e7, "Hz")),
        ("AUTO", None),
        ("", None),
        ("1e999", None),
    ],
)
def test_header_number(text: str, expected: tuple[float, str] | None) -> None:
    assert number_and_unit(text) == expected


def test_level_offset_notes_only_for_non_zero_numbers() -> None:
    notes = level_offset_notes(
        {"A": "0.000", "B": "-6.5 dB", "C": "OFF", "D": "3 Hz"},
        {"A": "x", "B": "--cable-loss", "C": "y", "D": "z", "E": "missing"},
    )
    assert notes == [
        "B -6.5 dB is already applied to the trace data by the instrument; "
        "do not also give --cable-loss"
    ]


def test_frequency_offset_notes_scale_the_unit() -> None:
    notes = frequency_offset_notes({"F": "1.5 GHz", "G": "0", "H": "250000"}, ("F", "G", "H"))
    tail = (
        " is already applied to the exported frequencies by the instrument "
        "(exported = input frequency + offset); limits are judged at the exported frequencies"
    )
    assert notes == [f"F 1.5 GHz{tail}", f"H 250 kHz{tail}"]


def test_corrections_note_only_when_on() -> None:
    assert corrections_note("Apply Corrections", "OFF", ["Correction1"]) is None
    assert corrections_note("Apply Corrections", "") is None
    assert corrections_note("Apply Corrections", "on") == (
        "Apply Corrections ON: the instrument's own correction table is already applied to "
        "the trace data by the instrument; do not also give "
        "--antenna-factor / --cable-loss / --preamp-gain / --lisn for what they correct"
    )


# --- Keysight N9343C -------------------------------------------------------------------------

_N9343 = "keysight/n9343c_noprefix.CSV"
_N9343_LEVELS = [45.25, 38.5, 32.75, 30.0]


def test_n9343_ref_level_offset_is_noted(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(
        _N9343, "X Axis Units,Hz", "Ref Level Offset,+1.000000000e+01\r\nX Axis Units,Hz"
    )
    cap = load_capture(p)
    assert _applied(cap.warnings) == [
        "Ref Level Offset 10 dB is already applied to the trace data by the instrument; "
        f"do not also give {_OFFSET_ADVICE}"
    ]
    np.testing.assert_allclose(cap.traces[0].level, _N9343_LEVELS)  # data as exported


def test_n9343_frequency_offset_is_noted(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(
        _N9343, "X Axis Units,Hz", "Frequency Offset,+1.000000000e+07\r\nX Axis Units,Hz"
    )
    cap = load_capture(p)
    assert _applied(cap.warnings) == [
        "Frequency Offset 10 MHz is already applied to the exported frequencies by the "
        "instrument (exported = input frequency + offset); limits are judged at the exported "
        "frequencies"
    ]
    assert cap.traces[0].start_hz == 150e3  # frequencies as exported


def test_n9343_apply_corrections_on_names_the_tables_on(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture(
        _N9343,
        "Apply Corrections,OFF",
        "Apply Corrections,ON\r\nCorrection1,On\r\nCorrection2,Off\r\nCorrection3,On",
    )
    cap = load_capture(p)
    assert _applied(cap.warnings) == [
        "Apply Corrections ON: the instrument's own correction table (Correction1, "
        "Correction3) is already applied to the trace data by the instrument; do not also "
        "give --antenna-factor / --cable-loss / --preamp-gain / --lisn for what they correct"
    ]


def test_n9343_zero_offsets_and_corrections_off_say_nothing(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture(
        _N9343,
        "X Axis Units,Hz",
        "Frequency Offset,+0.000000000e+00\r\nRef Level Offset,+0.000000000e+00\r\n"
        "X Axis Units,Hz\r\nCorrection1,On",  # a table switched on while corrections are off
    )
    assert _applied(load_capture(p).warnings) == []


# --- Agilent N9340 ---------------------------------------------------------------------------

_N9340 = "agilent/n9342c_two_traces_markers.CSV"


def test_n9340_ref_offset_is_noted(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(_N9340, "Ref Offset\x00,0.000000", "Ref Offset\x00,-20.000000")
    cap = load_capture(p)
    assert cap.metadata["Ref Offset"] == "-20.000000"
    assert _applied(cap.warnings) == [
        "Ref Offset -20 dB is already applied to the trace data by the instrument; "
        f"do not also give {_OFFSET_ADVICE}"
    ]
    np.testing.assert_allclose(cap.traces[0].level, [48.5, 52.1, 40.0, 42.5, 39.25])


def test_n9340_zero_ref_offset_says_nothing(fixture_file: Callable[[str], Path]) -> None:
    cap = load_capture(fixture_file(_N9340))
    assert cap.metadata["Ref Offset"] == "0.000000"
    assert _applied(cap.warnings) == []


# --- R&S ASCII -------------------------------------------------------------------------------

_FSV = "rs/fsv_analyzer_single.CSV"


def test_rs_level_offset_is_noted(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(_FSV, "Level Offset;0.000000;dB;", "Level Offset;20.000000;dB;")
    cap = load_capture(p)
    assert _applied(cap.warnings) == [
        "Level Offset 20 dB is already applied to the trace data by the instrument; "
        f"do not also give {_OFFSET_ADVICE}"
    ]
    assert cap.traces[0].level[0] == -71.5  # data as exported


def test_rs_freq_offset_is_noted(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(_FSV, "Span;", "Freq Offset;-2000000.000000;Hz;\nSpan;")
    assert _applied(load_capture(p).warnings) == [
        "Freq Offset -2 MHz is already applied to the exported frequencies by the instrument "
        "(exported = input frequency + offset); limits are judged at the exported frequencies"
    ]


def test_rs_decimal_comma_level_offset_is_noted(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(
        "rs/esr_receiver_decimal_comma.DAT", "Scan Count;", "Level Offset;6,500000;dB;\nScan Count;"
    )
    assert _applied(load_capture(p).warnings) == [
        "Level Offset 6.5 dB is already applied to the trace data by the instrument; "
        f"do not also give {_OFFSET_ADVICE}"
    ]


def test_rs_level_offset_of_a_scan_block_is_noted(edited_fixture: Callable[..., Path]) -> None:
    """A receiver's 'Scan n:' block may carry the offset instead of the global header."""
    p = edited_fixture(
        "rs/esr_receiver_decimal_comma.DAT", "Preamp;", "Ref Level Offset;10,000000;dB;\nPreamp;"
    )
    cap = load_capture(p)
    assert _applied(cap.warnings) == [
        "Scan 1: Ref Level Offset 10 dB is already applied to the trace data by the instrument; "
        f"do not also give {_OFFSET_ADVICE}"
    ]
    assert cap.traces[0].level[0] == 41.25  # data as exported


def test_rs_zero_level_offset_of_a_scan_block_says_nothing(
    edited_fixture: Callable[..., Path],
) -> None:
    p = edited_fixture(
        "rs/esr_receiver_decimal_comma.DAT", "Preamp;", "Level Offset;0,000000;dB;\nPreamp;"
    )
    cap = load_capture(p)
    assert cap.metadata["Scan 1: Level Offset"] == "0,000000 dB"
    assert _applied(cap.warnings) == []


def test_rs_zero_offsets_say_nothing(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(_FSV, "Span;", "Freq Offset;0;Hz;\nSpan;")
    assert _applied(load_capture(p).warnings) == []


def test_rs_unreadable_offset_is_not_a_load_error(edited_fixture: Callable[..., Path]) -> None:
    p = edited_fixture(_FSV, "Level Offset;0.000000;dB;", "Level Offset;---;dB;")
    cap = load_capture(p)  # a setting the data do not depend on refuses nothing
    assert cap.metadata["Level Offset"] == "--- dB" and _applied(cap.warnings) == []


# --- real captures: every offset in them is zero -----------------------------------------------


@pytest.mark.real
@pytest.mark.parametrize(
    "name",
    [
        "keysight_n9343c_rfi_1M-1G_maxhold.CSV",
        "keysight_n9343c_rfi_325-329M_maxhold.CSV",
        "agilent_n9340b_100k-30M_dBm.CSV",
        "agilent_n9340b_chamber_30-300M_dBuV_marker.CSV",
        "agilent_n9340b_TST_0-3G.CSV",
        "rs_esrp7_receiver_150k-30M_3det.DAT",
        "keysight_n9038a_mxe_30-300M_onetrace.csv",
        "keysight_n9038a_mxe_30-300M_alltraces.csv",
        "keysight_n9038a_mxe_150k-1.15M_maxhold.CSV",
    ],
)
def test_real_captures_with_zero_offsets_get_no_note(
    name: str, real_capture: Callable[[str], Path]
) -> None:
    assert _applied(load_capture(real_capture(name)).warnings) == []


@pytest.mark.parametrize(
    ("line", "which"),
    [
        ("Transducer;TRD1;", " (TRD1)"),
        ("Transducer;ON;", ""),
        ("Transducer Input1;TRD1;", " (TRD1)"),  # ESW manual: one line per RF input
    ],
)
def test_rs_active_transducer_is_noted(
    line: str, which: str, edited_fixture: Callable[..., Path]
) -> None:
    p = edited_fixture("rs/esr_receiver_decimal_comma.DAT", "Transducer;;;", line)
    assert _applied(load_capture(p).warnings) == [
        f"Transducer ON: the instrument's own correction table{which} is already applied to "
        "the trace data by the instrument; do not also give "
        "--antenna-factor / --cable-loss / --preamp-gain / --lisn for what they correct"
    ]


def test_rs_transducer_of_a_sweep_range_is_noted(tmp_path: Path) -> None:
    """The ESU spurious-emission export names the transducer in each 'Range n:' block."""
    p = tmp_path / "esu.DAT"
    p.write_text(
        "Type;R&S ESU;\r\nVersion;3.9x;\r\nMode;ANALYZER;SPURIOUS;\r\nx-Axis;LIN;\r\n"
        "Range 1:\r\nRBW;9000.000000;Hz\r\nTransducer;TRD1;\r\n"
        "Range 2:\r\nRBW;9000.000000;Hz\r\nTransducer;;\r\n"
        "TRACE 1:\r\nx-Unit;Hz;\r\ny-Unit;dBuV;\r\nValues;2;\r\n"
        "150000.000000;40.5;\r\n300000.000000;41.0;\r\n",
        encoding="latin-1",
    )
    assert _applied(load_capture(p).warnings) == [
        "Transducer ON: the instrument's own correction table (TRD1) is already applied to "
        "the trace data by the instrument; do not also give "
        "--antenna-factor / --cable-loss / --preamp-gain / --lisn for what they correct"
    ]


@pytest.mark.parametrize("value", ["Transducer;;;", "Transducer; OFF;"])
def test_rs_transducer_off_or_empty_says_nothing(
    value: str, edited_fixture: Callable[..., Path]
) -> None:
    p = edited_fixture("rs/esr_receiver_decimal_comma.DAT", "Transducer;;;", value)
    assert _applied(load_capture(p).warnings) == []
