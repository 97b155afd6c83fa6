"""Test the detector bounds where they are easy to get wrong.

Trace modes that under-read, RBW at CISPR band edges, coverage at a line's edge inside a sweep,
the worst margin of a lower-bounds-only line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

from rfcheck.analysis import analyse_capture, analyse_file
from rfcheck.capture import Capture, Detector, Trace, TraceMode
from rfcheck.errors import CoverageError
from rfcheck.outcome import Bound, Verdict
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit
from rfcheck.verdict import line_rbw_bounds_hz

REAL = Path(
    os.environ.get(
        "RFCHECK_REAL_CAPTURES",
        Path(__file__).resolve().parents[2].parent / "shared" / "real_captures",
    )
)
D, M = Detector, TraceMode
# QP 56 / AV 46 dBµV over 0.5-5 MHz, judged over that span
CONDUCTED = CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(0.5e6, 5e6))
RADIATED = CheckSettings(limit_ids=("fcc-15.109-b",))
GRID = np.arange(0.5e6, 5e6 + 1.0, 9e3)


def _check(r: CaptureResult, line: str) -> LineCheck:
    (c,) = [c for c in r.checks if c.line == line]
    return c


def _peak(mode: TraceMode, level: float = 30.0) -> Trace:
    return Trace(
        GRID, np.full(GRID.shape, level), LevelUnit.DBUV, D.PEAK, "T1", mode=mode, rbw_hz=9e3
    )


# --- 1. trace mode ------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [M.MIN_HOLD, M.AVERAGE])
def test_under_reading_trace_mode_gives_no_pass(mode: TraceMode) -> None:
    r = analyse_capture(Capture(traces=(_peak(mode),)), CONDUCTED)
    for line in ("QP", "AV"):
        assert _check(r, line).verdict is Verdict.INCONCLUSIVE  # was a definite PASS
    assert any(
        f"trace T1: trace mode {mode.value}" in w and "no upper bound from them" in w
        for w in r.warnings
    )


def test_an_under_reading_peak_trace_note_and_needs_say_the_same() -> None:
    """Peak readings of a QP/AV line in average mode bound nothing, and both texts say so.

    The note read "(a measured reading counts as a lower bound only)" beside the line's
    "needs ... (no reading bounds it there)": a peak reading is no measurement of those lines.
    """
    r = analyse_capture(Capture(traces=(_peak(M.AVERAGE),)), CONDUCTED)
    for line in ("QP", "AV"):
        assert _check(r, line).needs.endswith("(no reading bounds it there)")
    (note,) = [w for w in r.warnings if w.startswith("trace T1: trace mode average")]
    assert note.endswith(
        "; readings may be low: no upper bound from them (a reading with the line's own "
        "detector counts as a lower bound only; one that would bound the line from above, "
        "such as a peak reading of a quasi-peak or average line, bounds nothing)"
    )


@pytest.mark.real
@pytest.mark.skipif(
    not (REAL / "siglent_ssa3021x_1-30M_10m-filter.csv").exists(), reason="real file"
)
def test_the_real_siglent_average_trace_notes_agree_with_its_needs() -> None:
    r = analyse_file(
        REAL / "siglent_ssa3021x_1-30M_10m-filter.csv",
        CheckSettings(limit_ids=("fcc-15.107-b",)),
    )
    assert _check(r, "QP").needs.endswith("(no reading bounds it there)")
    (note,) = [w for w in r.warnings if w.startswith("Trace A: trace mode average")]
    assert "peak reading of a quasi-peak or average line, bounds nothing" in note
    assert "a measured reading counts as a lower bound only" not in note


def test_under_reading_trace_mode_still_fails_as_lower_bound() -> None:
    qp = Trace(
        GRID,
        np.full(GRID.shape, 60.0),
        LevelUnit.DBUV,
        D.QUASI_PEAK,
        "T1",
        mode=M.AVERAGE,
        rbw_hz=9e3,
    )
    c = _check(analyse_capture(Capture(traces=(qp,)), CONDUCTED), "QP")
    assert c.verdict is Verdict.FAIL and c.worst_bound is Bound.LOWER


@pytest.mark.parametrize("mode", [M.MAX_HOLD, M.CLEAR_WRITE, M.VIEW, M.UNKNOWN])
def test_other_trace_modes_keep_the_table(mode: TraceMode) -> None:
    r = analyse_capture(Capture(traces=(_peak(mode),)), CONDUCTED)
    assert {_check(r, x).verdict for x in ("QP", "AV")} == {Verdict.PASS}
    said = [w for w in r.warnings if "trace mode" in w]
    if mode is M.VIEW:  # a frozen trace: kept, and said that the mode hides how it was combined
        assert len(said) == 1 and "trace mode view (a frozen trace) does not say how" in said[0]
    else:
        assert not said


@pytest.mark.skipif(
    not (REAL / "siglent_ssa3021x_1-30M_10m-filter.csv").exists(), reason="real file"
)
def test_siglent_trace_average_is_not_an_upper_bound() -> None:
    r = analyse_file(REAL / "siglent_ssa3021x_1-30M_10m-filter.csv", CONDUCTED)
    assert all(c.verdict is not Verdict.PASS for c in r.checks)
    assert any("trace mode average" in w for w in r.warnings)


# --- 2. RBW at band edges -----------------------------------------------------------------------
def test_band_edge_bandwidths_inside_a_line_accept_both_bands() -> None:
    f = np.array([150e3, 30e6, 1e9, 29e6, 31e6])
    small, large = line_rbw_bounds_hz(f, 9e3, 18e9)
    assert small.tolist() == [200.0, 9e3, 120e3, 9e3, 120e3]
    assert large.tolist() == [9e3, 120e3, 1e6, 9e3, 120e3]


@pytest.mark.parametrize(
    ("f_hz", "line_hz", "expected_hz"),
    [
        (30e6, (150e3, 30e6), 9e3),  # a conducted line ending at 30 MHz: Band B
        (30e6, (30e6, 88e6), 120e3),  # a radiated line starting at 30 MHz: Band C
        (1e9, (30e6, 1e9), 120e3),  # the QP line ending at 1 GHz: Band C/D
        (1e9, (1e9, 40e9), 1e6),  # a line starting at 1 GHz: Band E
        (150e3, (150e3, 30e6), 9e3),  # starting at 150 kHz: Band B
    ],
)
def test_a_band_edge_a_line_ends_on_takes_the_lines_own_band(
    f_hz: float, line_hz: tuple[float, float], expected_hz: float
) -> None:
    small, large = line_rbw_bounds_hz(np.array([f_hz]), *line_hz)
    assert small.tolist() == large.tolist() == [expected_hz]


@pytest.mark.parametrize(
    ("freqs_mhz", "rbw", "settings"),
    [
        ([30.0, 30.06, 30.12, 30.18], 120e3, RADIATED),  # Band C grid starting at 30 MHz
        ([999.88, 999.94, 1000.0], 120e3, RADIATED),  # Band C/D grid ending at 1 GHz
        ([1000.0, 1001.0, 1002.0], 1e6, RADIATED),  # Band E grid starting at 1 GHz
        ([0.15, 0.159, 0.168], 9e3, CheckSettings(limit_ids=("fcc-15.107-b",))),  # from 150 kHz
    ],
)
def test_cispr_rbw_at_a_band_edge_is_neither_wide_nor_narrow(
    freqs_mhz: list[float], rbw: float, settings: CheckSettings
) -> None:
    f = np.asarray(freqs_mhz) * 1e6
    unit = LevelUnit.DBUV_M if settings is RADIATED else LevelUnit.DBUV
    t = Trace(f, np.full(f.shape, 10.0), unit, D.PEAK, "T", mode=M.MAX_HOLD, rbw_hz=rbw)
    r = analyse_capture(Capture(traces=(t,)), settings)
    assert not any("RBW" in w for w in r.warnings), r.warnings


def test_a_9khz_reading_at_30mhz_is_no_measurement_for_the_120khz_line() -> None:
    """A reading counts for the band whose bandwidth it was taken with.

    A Band B QP grid ending at 30 MHz gives the 30-88 MHz QP line a lower bound at most, and touches
    its range only at one end, so it covers none of the radiated limit: a usage error naming both
    ranges.
    """
    f = np.array([29.982e6, 29.991e6, 30.0e6])
    t = Trace(f, np.full(f.shape, 10.0), LevelUnit.DBUV_M, D.QUASI_PEAK, "T", rbw_hz=9e3)
    with pytest.raises(
        CoverageError,
        match=re.escape(
            "the capture covers none of fcc-15.109-b (30-40000 MHz); "
            "the capture spans 29.982-30 MHz"
        ),
    ):
        analyse_capture(Capture(traces=(t,)), RADIATED)
    over = Trace(f, np.array([10.0, 10.0, 60.0]), LevelUnit.DBUV_M, D.QUASI_PEAK, "T", rbw_hz=9e3)
    qp = _check(analyse_capture(Capture(traces=(over,)), RADIATED), "QP")
    assert (qp.verdict, qp.worst_bound) == (Verdict.FAIL, Bound.LOWER)  # over the limit: a FAIL


def test_band_edge_tolerance_is_tiny() -> None:
    f = np.array([30.001e6, 30.06e6, 30.12e6])  # 1 kHz above the edge: Band C only
    t = Trace(f, np.full(f.shape, 10.0), LevelUnit.DBUV_M, D.PEAK, "T", rbw_hz=9e3)
    r = analyse_capture(Capture(traces=(t,)), RADIATED)
    assert any("narrower than the CISPR bandwidth" in w for w in r.warnings)


def test_readme_example_has_no_wide_rbw_note() -> None:
    root = Path(__file__).resolve().parents[2]
    dat = root / "sample_captures" / "radiated" / "rig_3m_V_30M-1G_rs.DAT"
    tr = root / "sample_captures" / "transducers"
    settings = CheckSettings(
        limit_ids=("fcc-15.109-b",),
        distance_m=3.0,
        antenna_factor=tr / "antenna_factor_bilog_30M-1G.csv",
        cable_loss=(tr / "cable_loss.csv",),
    )
    r = analyse_file(dat, settings)
    assert not any("is wider" in w for w in r.warnings), r.warnings


# --- 3. coverage at a line's edge inside a sweep ------------------------------------------------
def test_line_edge_inside_a_sweep_is_no_gap() -> None:
    f = np.linspace(0.0, 3e9, 461)  # 6.52 MHz grid; the AV/PK lines start at 1 GHz between points
    t = Trace(f, np.full(f.shape, 10.0), LevelUnit.DBUV_M, D.PEAK, "T", rbw_hz=1e6)
    r = analyse_capture(Capture(traces=(t,)), RADIATED)
    for line in ("QP", "AV", "PK"):
        c = _check(r, line)
        assert all(a >= 3e9 for a, _b in c.not_evaluated_hz), (line, c.not_evaluated_hz)


def test_sliver_below_a_line_is_classed_like_its_nearest_point() -> None:
    f = np.linspace(1e6, 1e9, 461)  # 1 kHz RBW peak: dropped bounds on QP everywhere
    t = Trace(f, np.full(f.shape, 10.0), LevelUnit.DBUV_M, D.PEAK, "T", rbw_hz=1e3)
    qp = _check(analyse_capture(Capture(traces=(t,)), RADIATED), "QP")
    assert qp.not_evaluated_hz == ()
    assert "over 30-1000 MHz (no reading bounds it there)" in qp.needs  # dropped, not lower


@pytest.mark.skipif(not (REAL / "agilent_n9340b_TST_0-3G.CSV").exists(), reason="real file")
def test_agilent_0_3g_has_no_gap_at_1ghz() -> None:
    s = CheckSettings(
        limit_ids=("fcc-15.109-b",), antenna_factor=15.0, cable_loss=(1.5,), detector=D.PEAK
    )
    r = analyse_file(REAL / "agilent_n9340b_TST_0-3G.CSV", s)
    for c in r.checks:
        assert all(a > 3e9 for a, _b in c.not_evaluated_hz), (c.line, c.not_evaluated_hz)


@pytest.mark.skipif(
    not (REAL / "keysight_n9343c_rfi_1M-1G_maxhold.CSV").exists(), reason="real file"
)
def test_keysight_1m_1g_has_no_gap_at_30mhz() -> None:
    s = CheckSettings(limit_ids=("fcc-15.109-b",), antenna_factor=15.0)
    assert (
        _check(
            analyse_file(REAL / "keysight_n9343c_rfi_1M-1G_maxhold.CSV", s), "QP"
        ).not_evaluated_hz
        == ()
    )


# --- 4. worst margin of a lower-bounds-only line ------------------------------------------------
def test_lower_bounds_only_line_reports_its_worst_lower_bound() -> None:
    lv = np.full(GRID.shape, 40.0)
    lv[100] = 50.0
    t = Trace(GRID, lv, LevelUnit.DBUV, D.QUASI_PEAK, "T", rbw_hz=1e3)  # narrow: lower bounds
    c = _check(analyse_capture(Capture(traces=(t,)), CONDUCTED), "QP")
    assert c.verdict is Verdict.INCONCLUSIVE
    assert c.worst_bound is Bound.LOWER
    assert c.worst_frequency_hz == GRID[100] and c.worst_margin_db == pytest.approx(6.0)


def test_dropped_bounds_only_line_gives_indicative_numbers() -> None:
    lv = np.full(GRID.shape, 40.0)
    lv[100] = 50.0
    t = Trace(GRID, lv, LevelUnit.DBUV, D.PEAK, "T", rbw_hz=1e3)  # narrow peak: no bound on QP
    r = analyse_capture(Capture(traces=(t,)), CONDUCTED)
    c = _check(r, "QP")
    assert c.verdict is Verdict.INCONCLUSIVE and c.worst_margin_db is None  # never labelled a bound
    assert any("indicative only" in w and "margin 6.00 dB" in w for w in r.warnings)


# --- 5. RBW not stated ----------------------------------------------------------------------------
UNSTATED_NOTE = (
    "trace T1: RBW not stated in the file, so it may be narrower or wider than the CISPR "
    "bandwidth of fcc-15.107-b {line}: its readings bound nothing there (a narrower RBW may "
    "under-read, a wider one over-read broadband emissions); state it with --rbw (the "
    "setup's [check] rbw_hz) or in the capture (the instrument's RBW header line; '# rbw_hz:' "
    "in a generic CSV)"
)


def test_a_peak_trace_without_an_rbw_bounds_no_qp_or_av_from_above() -> None:
    t = Trace(GRID, np.full(GRID.shape, 30.0), LevelUnit.DBUV, D.PEAK, "T1")  # no RBW
    r = analyse_capture(Capture(traces=(t,)), CONDUCTED)
    for line in ("QP", "AV"):
        c = _check(r, line)
        assert c.verdict is Verdict.INCONCLUSIVE  # was PASS on an upper bound
        assert c.worst_margin_db is None  # dropped bounds: no margin is claimed
        assert UNSTATED_NOTE.format(line=line) in r.warnings


def test_a_qp_trace_without_an_rbw_bounds_nothing_below_1_ghz() -> None:
    """An unknown RBW may be wider than 9 kHz too (over-reading broadband emissions).

    A QP reading over the limit in an unknown RBW is then no lower bound: not a FAIL
    (it was FAIL as a lower bound, as if the RBW could only be narrower).
    """
    for level in (40.0, 60.0):  # QP limit 56 dBuV over 0.5-5 MHz
        t = Trace(GRID, np.full(GRID.shape, level), LevelUnit.DBUV, D.QUASI_PEAK, "T1")
        r = analyse_capture(Capture(traces=(t,)), CONDUCTED)
        c = _check(r, "QP")
        assert (c.verdict, c.worst_margin_db) == (Verdict.INCONCLUSIVE, None)  # 60: was FAIL
        assert c.needs.endswith("(no reading bounds it there)")
        assert UNSTATED_NOTE.format(line="QP") in r.warnings


def test_a_stated_rbw_still_bounds_from_above() -> None:
    t = Trace(GRID, np.full(GRID.shape, 30.0), LevelUnit.DBUV, D.PEAK, "T1", rbw_hz=9e3)
    r = analyse_capture(Capture(traces=(t,)), CONDUCTED)
    assert {_check(r, x).verdict for x in ("QP", "AV")} == {Verdict.PASS}
    assert not any("RBW not stated" in w for w in r.warnings)


def test_a_keysight_file_without_its_rbw_line_is_no_peak_pass(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rfcheck.cli import main

    s = Path(__file__).resolve().parents[2] / "sample_captures"
    src = (s / "radiated" / "rig_3m_H_30M-1G_keysight.csv").read_text("utf-8")
    cap = tmp_path / "x.csv"
    cap.write_text("".join(x for x in src.splitlines(True) if not x.startswith("RBW,")), "utf-8")
    args = ["check", str(cap), "--limit", "fcc-15.109-b", "--range", "30M-1G"]
    args += ["--antenna-factor", str(s / "transducers" / "antenna_factor_bilog_30M-1G.csv")]
    args += ["--cable-loss", str(s / "transducers" / "cable_loss.csv")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 4, result.output  # was 0: PASS >= +2.86 dB on an upper bound
    assert "   note: Trace1: RBW not stated in the file, so it may be narrower" in (result.stdout)
    assert re.search(r"fcc-15.109-b +QP +quasi-peak +INCONCLUSIVE +- ", result.stdout)


def test_a_receiver_scan_across_bands_states_each_bands_rbw() -> None:
    from rfcheck.capture import SampleKind, TimeSeries
    from rfcheck.verdict import traces_to_judge

    fs = 400e3  # a real recording of 0-200 kHz: bands A (200 Hz) and B (9 kHz)
    t = np.arange(int(0.05 * fs)) / fs
    ts = TimeSeries(1e-3 * np.cos(2 * np.pi * 100e3 * t), fs, SampleKind.REAL)
    traces, _ = traces_to_judge(Capture(time_series=(ts,)), CheckSettings())
    got = {(tr.name, tr.rbw_hz) for tr in traces}
    assert {
        ("receiver peak, band A", 200.0),
        ("receiver peak, band B", 9e3),
        ("receiver quasi-peak, band A", 200.0),
        ("receiver quasi-peak, band B", 9e3),
    } <= got  # was one trace per detector with no RBW
    for tr in traces:
        assert tr.freq_hz.min() >= (9e3 if tr.rbw_hz == 200.0 else 150e3)


def test_a_centre_frequency_does_not_apply_to_a_real_sample_recording() -> None:
    from rfcheck.capture import SampleKind, TimeSeries
    from rfcheck.verdict import traces_to_judge

    fs = 400e3  # a real recording of 0-200 kHz: its frequencies are its own, no centre to place
    t = np.arange(int(0.05 * fs)) / fs
    ts = TimeSeries(1e-3 * np.cos(2 * np.pi * 100e3 * t), fs, SampleKind.REAL)
    # a centre within 0 .. fs/2 (one above is refused: tests/io/test_iq_metadata_contradictions)
    settings = CheckSettings(center_frequency_hz=150e3)
    _, notes = traces_to_judge(Capture(time_series=(ts,)), settings)
    assert (
        "centre frequency 150 kHz stated for check does not apply: this capture holds real "
        "samples, not an I/Q recording"
    ) in notes


def test_an_envelope_recording_takes_its_stated_rbw() -> None:
    from rfcheck.capture import SampleKind, TimeSeries
    from rfcheck.verdict import traces_to_judge

    def envelope(rbw_hz: float | None) -> Capture:
        ts = TimeSeries(
            np.full(int(3.2 * 100e3), 50.0),
            100e3,
            SampleKind.ENVELOPE,
            center_freq_hz=1e6,
            unit=LevelUnit.DBUV,
            rbw_hz=rbw_hz,
            detector=D.PEAK,
        )
        return Capture(time_series=(ts,))

    traces, _ = traces_to_judge(envelope(9e3), CheckSettings())
    assert {tr.rbw_hz for tr in traces} == {9e3}
    r = analyse_capture(envelope(None), CONDUCTED)
    assert _check(r, "QP").verdict is Verdict.INCONCLUSIVE  # was INCOMPLETE, measured at 1 MHz
    assert any("RBW not stated" in w for w in r.warnings)


def test_a_line_with_dropped_bounds_only_says_one_thing() -> None:
    # a narrow-RBW peak trace bounds nothing; "needs" said "(only lower bounds
    # there)" while a note said "no reading bounds the quasi-peak level"
    t = Trace(GRID, np.full(GRID.shape, 30.0), LevelUnit.DBUV, D.PEAK, "T", rbw_hz=1e3)
    r = analyse_capture(Capture(traces=(t,)), CONDUCTED)
    c = _check(r, "QP")
    assert c.needs.endswith(" (no reading bounds it there)")  # was "(only lower bounds there)"
    assert any("no reading bounds the quasi-peak level" in w for w in r.warnings)
    lower = Trace(GRID, np.full(GRID.shape, 30.0), LevelUnit.DBUV, D.CISPR_AVERAGE, "T", rbw_hz=9e3)
    c = _check(analyse_capture(Capture(traces=(lower,)), CONDUCTED), "QP")
    assert c.needs.endswith(" (only lower bounds there)")


def test_bound_notes_name_a_loader_named_trace_as_is() -> None:
    """The demotion notes say ``Trace 1: ...``, not ``trace Trace 1: ...``.

    As :func:`rfcheck.capture.trace_label` names a trace; a detector name reads ``trace QP``.
    """
    for name, label in (("Trace 1", "Trace 1"), ("TRACE 2", "TRACE 2"), ("QP", "trace QP")):
        t = Trace(GRID, np.full(GRID.shape, 30.0), LevelUnit.DBUV, D.PEAK, name, mode=M.AVERAGE)
        r = analyse_capture(Capture(traces=(t,)), CONDUCTED)
        assert any(w.startswith(f"{label}: RBW not stated") for w in r.warnings), r.warnings
        assert any(w.startswith(f"{label}: trace mode average") for w in r.warnings), r.warnings
        assert not any(w.casefold().startswith("trace trace") for w in r.warnings)
    u = Trace(GRID, np.full(GRID.shape, 30.0), LevelUnit.DBUV, D.UNKNOWN, "Trace 3", rbw_hz=9e3)
    r = analyse_capture(Capture(traces=(_peak(M.MAX_HOLD), u)), CONDUCTED)
    assert any(w.startswith("Trace 3: unknown detector, ignored for") for w in r.warnings)
