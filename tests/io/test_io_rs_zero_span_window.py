"""An R&S FSW/FPL export with a zero-span window beside a frequency-sweep window.

The FSW/FPL manuals' ASCII export writes window by window (``Window;n;<type>``), trace by
trace (``Trace n;;``); a zero-span window's x axis is time (``x-Unit;s;``). Its traces are
dropped with a note naming the window and what says so, and the frequency windows are read;
a file whose every window is zero span is refused, naming the file and the problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture

_HEADER = (
    "Type;R&S FSW-8;\r\nVersion;2.30;\r\nDate;14.Mar 2024;\r\nMode;ANALYZER;\r\n"
    "Start;150000.000000;Hz\r\nStop;30000000.000000;Hz\r\nRBW;9000.000000;Hz\r\n"
    "VBW;30000.000000;Hz\r\nSWT;0.100000;s\r\nx-Axis;LIN;\r\ny-Axis;LOG;\r\n"
    "x-Unit;Hz;\r\ny-Unit;dBuV;\r\n"
)
_SWEEP = (
    "Window;1;Frequency Sweep\r\nTrace 1;;\r\nTrace Mode;MAXHOLD;\r\n"
    "Detector;POSITIVE PEAK;\r\nValues;4;\r\n150000.000000;40.0;\r\n"
    "10100000.000000;38.0;\r\n20050000.000000;36.0;\r\n30000000.000000;34.0;\r\n"
)
_TIME_ROWS = "Values;3;\r\n0.000000;70.0;\r\n0.010000;70.0;\r\n0.020000;70.0;\r\n"


def _zero_span(window: int, kind: str, own: str = "", trace: str = "") -> str:
    """Return a zero-span window block: ``own`` settings before its trace, ``trace`` in it."""
    return (
        f"Window;{window};{kind}\r\n{own}Trace 1;;\r\n{trace}Trace Mode;CLR/WRITE;\r\n"
        f"Detector;RMS;\r\n{_TIME_ROWS}"
    )


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fsw_windows.DAT"
    path.write_text(text, encoding="latin-1")
    return path


@pytest.mark.parametrize(
    ("block", "why"),
    [
        (_zero_span(2, "Zero Span", trace="x-Unit;s;\r\n"), "x-Unit 's' (line 25)"),
        (_zero_span(2, "Zero Span"), "window type 'Zero Span' (line 23)"),
        (
            _zero_span(2, "Spectrum 2", own="Start;0.000000;s\r\nStop;0.020000;s\r\n"),
            "no x-Unit, and Start/Stop are stated in 's' (line 25)",
        ),
    ],
    ids=["x-unit", "window-type", "start-stop-in-seconds"],
)
def test_a_zero_span_window_is_dropped_and_the_sweep_read(
    tmp_path: Path, block: str, why: str
) -> None:
    cap = load_capture(_write(tmp_path, _HEADER + _SWEEP + block))
    assert [t.name for t in cap.traces] == ["Trace 1"]
    assert cap.traces[0].freq_hz.tolist() == [150e3, 10.1e6, 20.05e6, 30e6]
    (note,) = [w for w in cap.warnings if "dropped" in w]
    assert note == (
        f"Window 2 Trace 1: dropped: {why}: a zero-span window, whose x axis is time, not "
        "frequency; the other windows are read"
    )


def test_a_zero_span_first_window_is_dropped_and_the_second_read(tmp_path: Path) -> None:
    sweep = _SWEEP.replace("Window;1;", "Window;2;")
    cap = load_capture(_write(tmp_path, _HEADER + _zero_span(1, "Zero Span") + sweep))
    assert [t.name for t in cap.traces] == ["Window 2 Trace 1"]
    assert any(
        w.startswith("Window 1 Trace 1: dropped: window type 'Zero Span'") for w in cap.warnings
    )
    # the file's header is window 1's: its RBW, VBW and SWT are the zero span's, not the sweep's
    (trace,) = cap.traces
    assert (trace.rbw_hz, trace.vbw_hz, trace.sweep_time_s) == (None, None, None)
    assert any(w.startswith("Window 2: window 1 is a zero-span window") for w in cap.warnings)


def test_a_sweep_after_a_zero_span_first_window_reads_its_own_axis(tmp_path: Path) -> None:
    """The header's Start/Stop in seconds and x-Unit s are window 1's: window 2 reads.

    It was refused, reading the zero span's seconds as Hz ("header stop frequency 0.02 Hz")
    or calling every window a zero-span one, although window 2 is a frequency sweep.
    """
    header = (
        _HEADER.replace("Start;150000.000000;Hz", "Start;0.000000;s")
        .replace("Stop;30000000.000000;Hz", "Stop;0.020000;s")
        .replace("x-Unit;Hz;", "x-Unit;s;")
    )
    sweep = _SWEEP.replace(
        "Window;1;Frequency Sweep\r\n",
        "Window;2;Frequency Sweep\r\nStart;150000.000000;Hz\r\nStop;30000000.000000;Hz\r\n"
        "RBW;120000.000000;Hz\r\n",
    )
    cap = load_capture(_write(tmp_path, header + _zero_span(1, "Zero Span") + sweep))
    (trace,) = cap.traces
    assert trace.name == "Window 2 Trace 1" and trace.rbw_hz is not None
    assert trace.freq_hz.tolist() == [150e3, 10.1e6, 20.05e6, 30e6]


def test_a_later_windows_settings_stay_its_own(tmp_path: Path) -> None:
    """A setting after 'Window;2;' and before its trace is window 2's, not window 1's trace's."""
    second = (
        "Window;2;Frequency Sweep\r\nRBW;120000.000000;Hz\r\nTrace 1;;\r\nTrace Mode;MAXHOLD;\r\n"
        "Detector;POSITIVE PEAK;\r\nValues;2;\r\n30000000.000000;30.0;\r\n"
        "60000000.000000;31.0;\r\n"
    )
    cap = load_capture(_write(tmp_path, _HEADER + _SWEEP + second))
    assert [(t.name, t.rbw_hz) for t in cap.traces] == [
        ("Trace 1", 9e3),
        ("Window 2 Trace 1", 120e3),
    ]


def test_check_reads_the_sweep_beside_a_zero_span_window(tmp_path: Path) -> None:
    path = _write(tmp_path, _HEADER + _SWEEP + _zero_span(2, "Zero Span", trace="x-Unit;s;\r\n"))
    result = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b"])
    assert result.exit_code in (0, 1, 4, 5), result.output  # a verdict, not an error (3)
    assert "Window 2 Trace 1: dropped: x-Unit 's'" in result.output


def test_only_zero_span_windows_are_refused(tmp_path: Path) -> None:
    text = _HEADER + _zero_span(1, "Zero Span") + _zero_span(2, "Zero Span", trace="x-Unit;s;\r\n")
    path = _write(tmp_path, text)
    with pytest.raises(CaptureFormatError) as err:
        load_capture(path)
    assert err.value.line == 14
    assert "Window 1 Trace 1: window type 'Zero Span': every window is a zero-span one" in str(
        err.value
    )
    result = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b"])
    assert result.exit_code == 3, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("rfcheck: error:")]
    assert "fsw_windows.DAT:14: Window 1 Trace 1: " in line
    assert "every window is a zero-span one" in line


def test_a_single_zero_span_export_is_still_refused(tmp_path: Path) -> None:
    text = _HEADER.replace("x-Unit;Hz;", "x-Unit;s;") + _SWEEP.replace("Window;1;", "Window;1;Zero")
    with pytest.raises(CaptureFormatError, match="x-Unit 's' is not a frequency axis in Hz"):
        load_capture(_write(tmp_path, text))


def test_a_window_stating_nothing_after_a_zero_span_first_window_is_no_spectrum(
    tmp_path: Path,
) -> None:
    """Window 2 states no axis and no sweep type: as the header says, a time record.

    Read as a 0-0.02 Hz spectrum it reported "no trace overlaps" (exit 2); it is a zero-span
    window like window 1, and a file of those is refused (exit 3).
    """
    header = _HEADER.replace("Start;150000.000000;Hz", "Start;0.000000;s").replace(
        "Stop;30000000.000000;Hz", "Stop;0.020000;s"
    )
    text = header + _zero_span(1, "Zero Span") + _zero_span(2, "Spectrum 2")
    with pytest.raises(CaptureFormatError, match="every window is a zero-span one"):
        load_capture(_write(tmp_path, text))
