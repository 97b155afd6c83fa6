"""`check` on exports whose settings make a trace computed or let it read low.

A Keysight X-series peak trace 8 dB under the QP limit passes with a wide VBW; with a VBW of
10 Hz against a 120 kHz RBW (video-filtered) it bounds nothing from above: INCONCLUSIVE,
exit 4, and the note names the VBW. The same file with its only trace under trace math is
refused: exit 3 and one ``rfcheck: error: <file>:<line>:`` line naming the setting.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main

_CHECK = ["--limit", "cispr32-b-rad-3m", "--antenna-factor", "10", "--range", "30M-300M"]


def _xseries(tmp_path: Path, *, vbw: str, math: str = "Off") -> Path:
    freqs = np.linspace(30e6, 300e6, 271)
    rows = "\n".join(f"{f:.0f},20.0" for f in freqs)
    text = (
        "Trace\nSwept SA\nA.25.08,N9038A\n526 EMC ,01\n"
        f"Number of Points,{freqs.size}\nSweep Time,1\nStart Frequency,30000000\n"
        f"Stop Frequency,300000000\nRBW,120000\nRBW Filter,Gaussian\nRBW Filter BW,6dB\n"
        f"VBW,{vbw}\nTrace Type,Maxhold\nDetector,Peak\nTrace Math,{math}\n"
        "Trace Math Oper1,Trace2\nTrace Math Oper2,Trace3\nNormalize,Off\n"
        f"Trace Name,Trace1\nX Axis Units,Hz\nY Axis Units,dBuV\nDATA\n{rows}\n"
    )
    path = tmp_path / "ks.csv"
    path.write_text(text)
    return path


def test_wide_vbw_peak_trace_passes(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["check", str(_xseries(tmp_path, vbw="1000000")), *_CHECK])
    assert res.exit_code == 0, res.output
    assert "overall verdict: PASS" in res.output


def test_video_filtered_peak_trace_is_inconclusive(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["check", str(_xseries(tmp_path, vbw="10")), *_CHECK])
    assert res.exit_code == 4, res.output  # was PASS, exit 0
    assert "overall verdict: INCONCLUSIVE" in res.output
    assert "Trace1: VBW 10 Hz is below 0.5 × its RBW 120 kHz" in res.output


@pytest.mark.parametrize("math", ["Log Diff", "Log Offset"])
def test_trace_math_only_trace_is_refused(tmp_path: Path, math: str) -> None:
    path = _xseries(tmp_path, vbw="1000000", math=math)
    res = CliRunner().invoke(main, ["info", str(path)])
    assert res.exit_code == 3, res.output
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith(
        f"rfcheck: error: {path}:15: no measured trace to read: 'Trace Math,{math}'"
    )


def test_info_says_a_video_filtered_trace_reads_low(tmp_path: Path) -> None:
    """`info` says what `check` will do with the trace: no upper bound from a 10 Hz VBW."""
    path = _xseries(tmp_path, vbw="10")
    text = CliRunner().invoke(main, ["info", str(path)])
    assert text.exit_code == 0, text.output
    assert "    reads low: VBW 10 Hz is below 0.5 × its RBW 120 kHz" in text.stdout
    as_json = CliRunner().invoke(main, ["info", str(path), "-o", "json"])
    (trace,) = json.loads(as_json.stdout)[0]["traces"]
    assert trace["reads_low"][0].startswith("VBW 10 Hz is below")
    wide = CliRunner().invoke(main, ["info", str(_xseries(tmp_path, vbw="1000000"))])
    assert "reads low" not in wide.stdout
