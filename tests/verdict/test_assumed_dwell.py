"""A verdict resting on quasi-peak or CISPR-average readings with no stated dwell says so.

Such readings are judged as measurements (``docs/verdict.md``, "Settling"): the verdict
assumes the instrument dwelt long enough at each frequency. A PASS (or any verdict other
than FAIL) that rests on them names the assumption on its verdict line, in the JSON, the CSV
and the reports' banner; a FAIL does not (a reading that has not settled reads low, so the
FAIL stands whatever the dwell).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.analysis import analyse_capture, run_check
from rfcheck.capture import Capture, Detector, Trace
from rfcheck.cli import main
from rfcheck.outcome import Bound, Verdict
from rfcheck.report.tabular import render_csv
from rfcheck.report.text import render_capture
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit
from rfcheck.verdict.settling_needs import unstated_dwell_need_s

D = Detector
F = np.linspace(0.5e6, 5e6, 901)  # 5 kHz grid, Class B: QP limit 56, AV limit 46 dBuV
B_CLASS = CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(0.5e6, 5e6))


def tr(det: Detector, level: float, dwell: float | None = None, freq: np.ndarray = F) -> Trace:
    return Trace(
        freq, np.full(freq.shape, level), LevelUnit.DBUV, det, det.value, rbw_hz=9e3, dwell_s=dwell
    )


def judge(*traces: Trace, settings: CheckSettings = B_CLASS) -> CaptureResult:
    return analyse_capture(Capture(traces=traces), settings)


def line(r: CaptureResult, name: str) -> LineCheck:
    return next(c for c in r.checks if c.line == name)


def test_a_pass_on_unstated_qp_dwell_names_the_dwell_it_assumes() -> None:
    r = judge(tr(D.QUASI_PEAK, 40.0), tr(D.CISPR_AVERAGE, 30.0, dwell=2.0))
    assert r.verdict is Verdict.PASS
    assert line(r, "QP").assumed_dwell_s == pytest.approx(1.0)
    assert line(r, "AV").assumed_dwell_s is None  # its dwell is stated
    assert [f"{c.limit_id} {c.line}" for c in r.assumed_dwell_basis] == ["fcc-15.107-b QP"]
    doc = r.to_json()
    assert doc["assumed_dwell_lines"] == ["fcc-15.107-b QP"]
    assert [c["assumed_dwell_s"] for c in doc["checks"]] == [1.0, None]


@pytest.mark.parametrize(
    ("det", "start_hz", "stop_hz", "dwell", "settled", "need"),
    [
        (D.QUASI_PEAK, 150e3, 30e6, None, None, 1.0),  # the 1 s per frequency for unknown signals
        (D.CISPR_AVERAGE, 150e3, 30e6, None, None, 1.0),  # Band B: min(1.12 s settling, 1 s)
        (D.CISPR_AVERAGE, 30e6, 1e9, None, None, 0.7),  # Bands C/D: 0.7 s
        (D.QUASI_PEAK, 150e3, 30e6, 0.001, None, None),  # stated (and checked elsewhere)
        (D.QUASI_PEAK, 150e3, 30e6, None, True, None),  # a receiver-model trace: record known
        (D.PEAK, 150e3, 30e6, None, None, None),  # no dwell rule for the peak
    ],
)
def test_the_assumed_dwell_is_what_the_detector_needs_in_the_trace_s_bands(
    det: Detector,
    start_hz: float,
    stop_hz: float,
    dwell: float | None,
    settled: bool | None,
    need: float | None,
) -> None:
    freq = np.linspace(start_hz, stop_hz, 101)
    t = Trace(freq, np.zeros(101), LevelUnit.DBUV, det, "t", dwell_s=dwell, settled=settled)
    got = unstated_dwell_need_s(t)
    assert got == (None if need is None else pytest.approx(need, abs=1e-3))


def test_a_stated_dwell_or_a_peak_trace_assumes_nothing() -> None:
    r = judge(tr(D.QUASI_PEAK, 40.0, dwell=1.0), tr(D.PEAK, 40.0))
    assert r.verdict is Verdict.PASS
    assert not r.assumed_dwell_basis
    assert all(c.assumed_dwell_s is None for c in r.checks)
    assert "assumes" not in render_capture(r)


def test_a_fail_rests_on_no_assumed_dwell() -> None:
    """A reading that has not settled reads low: a FAIL on it stands whatever the dwell."""
    r = judge(tr(D.QUASI_PEAK, 60.0), tr(D.CISPR_AVERAGE, 30.0, dwell=2.0))
    assert r.verdict is Verdict.FAIL
    assert line(r, "QP").assumed_dwell_s is None
    assert not r.assumed_dwell_basis
    assert r.to_json()["assumed_dwell_lines"] == []


def test_an_inconclusive_capture_still_names_the_dwell_its_passing_line_assumes() -> None:
    # QP passes on unstated dwell; AV has only the peak's upper bound over its limit
    r = judge(tr(D.QUASI_PEAK, 50.0), tr(D.PEAK, 52.0))
    assert r.verdict is Verdict.INCONCLUSIVE
    assert [c.line for c in r.assumed_dwell_basis] == ["QP"]


def _write(path: Path, detector: str, level: float, dwell: str = "") -> Path:
    rows = "".join(f"{f:.0f},{level}\n" for f in np.arange(150e3, 30e6 + 1, 4500.0))
    head = f"# detector: {detector}\n# rbw_hz: 9000\n# unit: dBuV\n{dwell}"
    path.write_text(f"{head}frequency_hz,level\n{rows}", encoding="utf-8")
    return path


def test_check_prints_the_assumption_on_the_verdict_lines_and_in_the_csv(tmp_path: Path) -> None:
    qp = _write(tmp_path / "qp.csv", "QP", 30.0)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["check", str(qp), "--limit", "fcc-15.107-b", "--report", "csv,html", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert (
        "verdict: PASS (assumes a dwell ≥ 1 s per frequency, not stated in the file: "
        "fcc-15.107-b QP)" in res.output
    )
    assert "overall verdict: PASS (assumes a quasi-peak/CISPR-average dwell" in res.output
    rows = list(csv.DictReader(io.StringIO((out / "qp.csv").read_text(encoding="utf-8"))))
    assert {r["line"]: r["assumed_dwell_s"] for r in rows} == {"QP": "1.0", "AV": ""}
    html = (out / "qp.html").read_text(encoding="utf-8")
    assert "OVERALL RESULT: PASS (ASSUMED DWELL)" in html
    assert "ASSUMED DWELL: the verdict takes quasi-peak or CISPR-average readings" in html


def test_a_stated_dwell_in_the_file_removes_the_assumption(tmp_path: Path) -> None:
    qp = _write(tmp_path / "qp.csv", "QP", 30.0, dwell="# dwell_s: 1\n")
    res = CliRunner().invoke(main, ["check", str(qp), "--limit", "fcc-15.107-b"])
    assert res.exit_code == 0, res.output
    assert "assumes" not in res.output
    run = run_check([qp], CheckSettings(limit_ids=("fcc-15.107-b",)))
    assert {r["assumed_dwell_s"] for r in csv.DictReader(io.StringIO(render_csv(run)))} == {""}


def _swept(det: Detector, level: float, sweep_time_s: float) -> Trace:
    return Trace(
        F,
        np.full(F.shape, level),
        LevelUnit.DBUV,
        det,
        det.value,
        rbw_hz=9e3,
        sweep_time_s=sweep_time_s,
    )


def test_a_swept_qp_trace_s_sweep_time_is_its_dwell_per_point() -> None:
    """20 s over 901 points is 22 ms at each: the QP reading may be low (a lower bound)."""
    r = judge(_swept(D.QUASI_PEAK, 40.0, 20.0))
    qp = line(r, "QP")
    assert (qp.verdict, qp.worst_bound) == (Verdict.INCONCLUSIVE, Bound.LOWER)  # was PASS
    assert qp.needs_dwell_s == pytest.approx(1.0)
    assert qp.assumed_dwell_s is None  # the sweep time states the dwell: nothing assumed
    assert any(
        "quasi-peak dwell per point 0.0222 s, from its sweep time (20 s over 901 points" in w
        for w in r.warnings
    )


def test_a_sweep_slow_enough_for_the_qp_detector_is_a_measurement() -> None:
    r = judge(_swept(D.QUASI_PEAK, 40.0, 901 * 1.5))  # 1.5 s at each point
    qp = line(r, "QP")
    assert (qp.verdict, qp.worst_bound) == (Verdict.PASS, Bound.MEASURED)
    assert qp.assumed_dwell_s is None
    assert not r.assumed_dwell_basis
