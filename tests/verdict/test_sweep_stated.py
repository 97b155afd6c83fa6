"""A generic CSV's evenly spaced peak readings are a sweep only when the file says so.

Three peak readings at 0.15, 15.075 and 30 MHz (9 kHz RBW) once covered the whole 150 kHz-30 MHz
line as 7.5 MHz buckets and PASSed: an even grid was taken for a swept analyser's trace, but
marker lists, stepped receiver readings and typed-in finals look the same. A generic CSV shows
a sweep with ``# sweep_time_s:`` or a ``# mode:`` trace mode; without either each reading covers
its RBW only (docs/verdict.md, "Coverage").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rfcheck.analysis import analyse_file
from rfcheck.io import load_capture
from rfcheck.outcome import Verdict
from rfcheck.settings import CheckSettings

SETTINGS = CheckSettings(limit_ids=("fcc-15.107-b",))


def _write(path: Path, freq_mhz: np.ndarray, *comments: str) -> Path:
    lines = ["# rbw_hz: 9000", *(f"# {c}" for c in comments), "Frequency (MHz),Peak (dBuV)"]
    lines += [f"{f:.6f},30.00" for f in freq_mhz]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("n", [3, 5, 11, 50, 100])
def test_evenly_spaced_readings_without_a_stated_sweep_are_incomplete(
    tmp_path: Path, n: int
) -> None:
    path = _write(tmp_path / "t.csv", np.linspace(0.15, 30.0, n))
    (tr,) = load_capture(path).traces
    assert tr.sweep_unstated
    r = analyse_file(path, SETTINGS)
    assert r.verdict is Verdict.INCOMPLETE
    (qp,) = [c for c in r.checks if c.line == "QP"]
    step = 29.85e6 / (n - 1)
    assert qp.not_evaluated_hz[0] == pytest.approx((154.5e3, 150e3 + step - 4.5e3))
    (note,) = [w for w in r.warnings if "peak readings at their own frequencies" in w]
    assert f"trace Peak: {n} peak readings" in note
    assert "'# mode: max-hold' (or clear-write) or '# sweep_time_s: <s>' line" in note


@pytest.mark.parametrize("n", [101, 401])
def test_a_trace_as_long_as_an_analysers_is_a_sweep_without_a_statement(
    tmp_path: Path, n: int
) -> None:
    """101 readings or more: an analyser's trace length (MIN_SWEEP_POINTS), its buckets covered."""
    path = _write(tmp_path / "t.csv", np.linspace(0.15, 30.0, n))
    (tr,) = load_capture(path).traces
    assert not tr.sweep_unstated
    r = analyse_file(path, SETTINGS)
    assert r.verdict is Verdict.PASS
    assert not [w for w in r.warnings if "peak readings at their own frequencies" in w]


@pytest.mark.parametrize("stated", ["mode: max-hold", "mode: clear-write", "sweep_time_s: 0.1"])
def test_a_stated_sweep_covers_its_buckets(tmp_path: Path, stated: str) -> None:
    path = _write(tmp_path / "t.csv", np.linspace(0.15, 30.0, 5), stated)
    (tr,) = load_capture(path).traces
    assert not tr.sweep_unstated
    r = analyse_file(path, SETTINGS)
    assert r.verdict is Verdict.PASS
    assert not [w for w in r.warnings if "at their own frequencies" in w]


def test_readings_at_most_one_rbw_apart_cover_the_band_without_a_statement(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", np.linspace(0.15, 30.0, 3318))
    r = analyse_file(path, SETTINGS)
    assert r.verdict is Verdict.PASS
    assert not [w for w in r.warnings if "at their own frequencies" in w]


def test_readings_without_a_stated_sweep_are_plotted_as_readings(tmp_path: Path) -> None:
    """The plots draw them as unjoined markers, as they are judged: no line between them."""
    from rfcheck.report.margin_plot import points_style

    path = _write(tmp_path / "t.csv", np.linspace(0.15, 30.0, 5))
    (tr,) = analyse_file(path, SETTINGS).plot_traces
    assert tr.sweep_unstated
    assert points_style(tr.freq_hz, tr.detector, tr.sweep_unstated)["ls"] == "none"
    swept = _write(tmp_path / "s.csv", np.linspace(0.15, 30.0, 5), "mode: max-hold")
    (tr,) = analyse_file(swept, SETTINGS).plot_traces
    assert points_style(tr.freq_hz, tr.detector, tr.sweep_unstated) == {}
