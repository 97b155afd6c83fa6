"""A trace mode stated in a word rfcheck does not know never reads as an upper bound.

A min-hold written ``MINH`` (the SCPI short form, X-series ``Trace Type``, R&S ``Trace Mode``)
or ``Minimum Hold`` was read as an unknown mode, kept as an upper bound, and a 40 dBµV
min-hold trace PASSED a quasi-peak line with exit 0 and no note (docs/verdict.md,
"Trace mode").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.capture import TraceMode, stated_trace_mode
from rfcheck.cli import main
from rfcheck.io import load_capture


@pytest.mark.parametrize(
    ("word", "mode"),
    [
        ("MINH", TraceMode.MIN_HOLD),
        ("Minimum Hold", TraceMode.MIN_HOLD),
        ("MAXH", TraceMode.MAX_HOLD),
        ("Maximum Hold", TraceMode.MAX_HOLD),
        ("AVER", TraceMode.AVERAGE),
        ("WRIT", TraceMode.CLEAR_WRITE),
        ("Normal", TraceMode.CLEAR_WRITE),
        ("", TraceMode.UNKNOWN),
        ("  ", TraceMode.UNKNOWN),
    ],
)
def test_known_words_and_no_word(word: str, mode: TraceMode) -> None:
    assert stated_trace_mode(word) == (mode, "")


def test_an_unknown_word_is_a_reason_to_read_low() -> None:
    mode, reason = stated_trace_mode("ROLL AVG")
    assert mode is TraceMode.UNKNOWN
    assert reason.startswith("trace mode 'ROLL AVG' not recognised: it may be a min-hold")
    assert stated_trace_mode("x" * 500)[1].count("x") == 40  # a long word is cut


#: 1001 points over the conducted band: a swept trace covering it (step < RBW x 4).
FREQS = np.linspace(150e3, 30e6, 1001)


def _rs(mode: str) -> str:
    head = [
        "Type;FSV-7;",
        "Version;3.40;",
        "Date;07.Dec 2026;",
        "Mode;ANALYZER;",
        "Start;150000.000000;Hz",
        "Stop;30000000.000000;Hz",
        "RBW;9000.000000;Hz",
        "VBW;30000.000000;Hz",
        "SWT;1.000000;s",
        "x-Axis;LIN;",
        "x-Unit;Hz;",
        "y-Unit;dBuV;",
        "TRACE 1:",
        f"Trace Mode;{mode};",
        "Detector;MAX PEAK;",
        f"Values;{FREQS.size};",
    ]
    rows = [f"{f:.6f};40.00;" for f in FREQS]
    return "\n".join(head + rows) + "\n"


def _xseries(mode: str) -> str:
    head = [
        "Trace",
        "Swept SA",
        "A.33.03,N9020B",
        "503 B25 ,01",
        f"Number of Points,{FREQS.size}",
        "Sweep Time,0.5",
        "Start Frequency,150000",
        "Stop Frequency,30000000",
        "RBW,9000",
        "RBW Filter,Gaussian",
        "RBW Filter BW,6dB",
        "VBW,30000",
        f"Trace Type,{mode}",
        "Detector,Peak",
        "X Axis Units,Hz",
        "Y Axis Units,dBuV",
        "DATA",
    ]
    rows = [f"{f:.0f},40.000" for f in FREQS]
    return "\r\n".join(head + rows) + "\r\n"


@pytest.mark.parametrize("layout", [_rs, _xseries])
@pytest.mark.parametrize(
    ("word", "mode", "note"),
    [
        ("MINH", TraceMode.MIN_HOLD, "trace mode min-hold can under-read"),
        ("Minimum Hold", TraceMode.MIN_HOLD, "trace mode min-hold can under-read"),
        ("AVER", TraceMode.AVERAGE, "trace mode average can under-read"),
        ("ROLL AVG", TraceMode.UNKNOWN, "trace mode 'ROLL AVG' not recognised"),
    ],
)
def test_a_low_reading_mode_passes_nothing(
    tmp_path: Path, layout: object, word: str, mode: TraceMode, note: str
) -> None:
    path = tmp_path / ("trace.DAT" if layout is _rs else "trace.csv")
    path.write_text(layout(word))  # type: ignore[operator]
    (tr,) = load_capture(path).traces
    assert tr.mode is mode
    res = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b"])
    assert res.exit_code == 4, res.output  # INCONCLUSIVE: a min-hold bounds nothing
    assert "verdict: INCONCLUSIVE" in res.output and note in res.output


def test_a_view_trace_keeps_its_bound_and_says_it_is_frozen(tmp_path: Path) -> None:
    path = tmp_path / "trace.DAT"
    path.write_text(_rs("VIEW"))
    res = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b"])
    assert res.exit_code == 0, res.output
    assert "TRACE 1: trace mode view (a frozen trace) does not say how its sweeps" in res.output


@pytest.mark.parametrize(("word", "mode"), [("minimum hold", TraceMode.MIN_HOLD), ("MAXH", None)])
def test_the_generic_csv_mode_comment_knows_the_instrument_words(
    tmp_path: Path, word: str, mode: TraceMode | None
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        f"# rbw_hz: 9000\n# detector: peak\n# mode: {word}\nfrequency_hz,level_dbuv\n"
        "150000,40\n30000000,40\n"
    )
    (tr,) = load_capture(path).traces
    assert tr.mode is (mode or TraceMode.MAX_HOLD) and tr.reads_low == ""
