"""Test the final measurements between a scan's grid points (rfcheck.receiver.finals).

A narrowband emission midway between two tuned frequencies reads 1.5 dB low on the B6/2 grid
(Gaussian IF, 6 dB at ±B6/2); the scan measures again at the vertex of the peak readings'
parabola, which for a CW is its own frequency.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.cli import main
from rfcheck.receiver import BANDS, default_frequencies, measure, scan_traces
from rfcheck.receiver.finals import final_frequencies

B6 = BANDS["B"].rbw_hz
STEP = B6 / 2.0


def _gaussian_cw(f0: float, grid: np.ndarray, level: float = 60.0) -> np.ndarray:
    """Peak reading in dB of a CW at ``f0`` through a Gaussian IF of B6 tuned at ``grid``."""
    return level - 6.0 * (2.0 * (grid - f0) / B6) ** 2


@pytest.mark.parametrize("frac", [0.5, 0.37, 0.1, -0.25, -0.5])
def test_vertex_is_the_cw_frequency(frac: float) -> None:
    grid = 1.0e6 + STEP * np.arange(-6, 7)
    f0 = 1.0e6 + frac * STEP
    got = final_frequencies(grid, _gaussian_cw(f0, grid))
    assert got.shape == (1,)
    assert got[0] == pytest.approx(f0, abs=1e-6 * STEP)


def test_on_grid_emission_needs_no_final() -> None:
    grid = 1.0e6 + STEP * np.arange(-6, 7)
    assert final_frequencies(grid, _gaussian_cw(1.0e6, grid)).size == 0


def test_vertex_from_unequally_spaced_points_and_only_at_given_maxima() -> None:
    # a grid merged with earlier finals is not equally spaced: the vertex is still exact
    f0 = 1.0e6 + 0.37 * STEP
    pts = np.array([1.0e6 - STEP, 1.0e6, 1.0e6 + 0.6 * STEP, 1.0e6 + STEP, 1.0e6 + 2 * STEP])
    got = final_frequencies(pts, _gaussian_cw(f0, pts))
    assert got == pytest.approx([f0], abs=1e-6 * STEP)
    # a later round refines only the maxima it is given
    assert final_frequencies(pts, _gaussian_cw(f0, pts), at=[pts[2]]) == pytest.approx([f0])
    assert final_frequencies(pts, _gaussian_cw(f0, pts), at=[pts[1]]).size == 0


def test_plateau_edges_and_non_finite_readings() -> None:
    grid = 1.0e6 + STEP * np.arange(6)
    # a two-point plateau is one maximum (its left point), vertex midway
    got = final_frequencies(grid, np.array([0.0, 3.0, 6.0, 6.0, 3.0, 0.0]))
    assert got == pytest.approx([grid[2] + STEP / 2.0])
    # a maximum at either end has one neighbour: no parabola, no final
    assert final_frequencies(grid, np.array([9.0, 3.0, 2.0, 1.0, 2.0, 8.0])).size == 0
    # a -inf (no signal) or NaN neighbour gives no parabola
    lv = np.array([0.0, -np.inf, 6.0, 3.0, np.nan, 0.0])
    assert final_frequencies(grid, lv).size == 0
    assert final_frequencies(grid[:2], np.array([1.0, 2.0])).size == 0


def _cw_between_grid_points(duration_s: float = 2.0) -> tuple[TimeSeries, float, float]:
    """IQ recording (fs = 100 kHz, Band B) of a CW midway between two default grid points."""
    fs = 100e3
    fc = 1.0e6
    grid = default_frequencies(TimeSeries(np.zeros(16, np.complex64), fs, SampleKind.IQ, fc), "B")
    f0 = float(grid[len(grid) // 2] + STEP / 2.0)
    amp = 2.0e-3  # crest volts: 63.01 dBµV rms
    t = np.arange(int(duration_s * fs)) / fs
    x = (amp * np.exp(2j * np.pi * (f0 - fc) * t)).astype(np.complex64)
    return (
        TimeSeries(x, fs, SampleKind.IQ, center_freq_hz=fc),
        f0,
        20 * math.log10(amp / 2**0.5 / 1e-6),
    )


def test_scan_reads_the_emission_between_grid_points() -> None:
    ts, f0, expect = _cw_between_grid_points()
    grid = default_frequencies(ts, "B")
    on_grid = measure(ts, "B", grid, ("peak",)).readings_dbuv["peak"]
    assert on_grid.max() == pytest.approx(expect - 1.5, abs=0.1)  # the scalloping loss
    traces = scan_traces(ts)
    assert {t.detector.value for t in traces} == {"peak", "quasi-peak", "cispr-average"}
    for tr in traces:
        assert np.all(np.diff(tr.freq_hz) > 0)
        assert tr.rbw_hz == B6  # one band: the trace states its B6
        i = int(np.argmax(tr.level))
        assert tr.freq_hz[i] == pytest.approx(f0, abs=1.0)
        assert tr.level[i] == pytest.approx(expect, abs=0.1), tr.detector
        assert tr.freq_hz.size > grid.size  # finals between the grid points


def test_check_fails_an_emission_over_the_limit_between_grid_points(tmp_path: Path) -> None:
    # QP 1 dB over the 15.107(a) 56 dBµV line (0.5-5 MHz) at the emission, 0.5 dB under it
    # at the two grid points beside it: the grid alone would PASS
    ts, f0, _ = _cw_between_grid_points(3.0)
    amp = math.sqrt(2.0) * 1e-6 * 10 ** (57.0 / 20.0)
    x = np.asarray(ts.samples) / np.abs(ts.samples[0]) * amp
    data = np.empty(2 * x.size, "<f4")
    data[0::2], data[1::2] = x.real, x.imag
    (tmp_path / "mid.sigmf-data").write_bytes(data.tobytes())
    meta = {
        "global": {
            "core:datatype": "cf32_le",
            "core:sample_rate": ts.sample_rate_hz,
            "core:version": "1.2.0",
            "rfcheck:volts_per_unit": 1.0,
        },
        "captures": [{"core:sample_start": 0, "core:frequency": ts.center_freq_hz}],
        "annotations": [],
    }
    (tmp_path / "mid.sigmf-meta").write_text(json.dumps(meta), encoding="utf-8")
    res = CliRunner().invoke(
        main,
        ["check", str(tmp_path / "mid.sigmf-meta"), "--limit", "fcc-15.107-b", "-o", "json"],
    )
    assert res.exit_code == 1, res.output
    out = json.loads(res.stdout)
    (line,) = [c for c in out["captures"][0]["checks"] if c["line"] == "QP"]
    assert line["verdict"] == "FAIL"
    assert line["worst_bound"] == "measured"
    assert line["worst_margin_db"] == pytest.approx(-1.0, abs=0.05)
    assert line["worst_frequency_hz"] == pytest.approx(f0, abs=1.0)


def test_two_emissions_within_one_b6_are_read_at_the_stronger() -> None:
    """Two CWs 7.75 kHz apart beat in the 9 kHz IF: the peak readings peak between them.

    Finals located by the peak readings alone missed the average reading at the stronger
    tone by 1.3 dB (a false PASS of the AV line); each detector's own maxima, in
    two rounds, read it within 0.05 dB of a receiver tuned to it.
    """
    fs, fc, seconds = 100e3, 1.0e6, 1.0
    grid = default_frequencies(TimeSeries(np.zeros(16, np.complex64), fs, SampleKind.IQ, fc), "B")
    f1 = float(grid[len(grid) // 2] + STEP / 2.0)  # midway between two grid points
    f2 = f1 + 7.75e3
    t = np.arange(int(seconds * fs)) / fs
    a1 = math.sqrt(2.0) * 1e-6 * 10 ** (46.5 / 20.0)
    a2 = math.sqrt(2.0) * 1e-6 * 10 ** (44.5 / 20.0)
    x = a1 * np.exp(2j * np.pi * (f1 - fc) * t) + a2 * np.exp(2j * np.pi * (f2 - fc) * t)
    ts = TimeSeries(x.astype(np.complex64), fs, SampleKind.IQ, center_freq_hz=fc)
    tuned = measure(ts, "B", [f1], ("cispr-average",)).readings_dbuv["cispr-average"][0]
    (av,) = [tr for tr in scan_traces(ts) if tr.detector.value == "cispr-average"]
    assert float(np.max(av.level)) >= tuned - 0.05
    on_grid = measure(ts, "B", grid, ("cispr-average",)).readings_dbuv["cispr-average"]
    assert float(np.max(on_grid)) < tuned - 1.0  # what the grid alone read


# --- the scan's ends --------------------------------------------------------------------------


def _exact_cw(f0: float, grid: np.ndarray) -> np.ndarray:
    """Return the reading in dB of a CW at ``f0`` through the Gaussian IF (-6.02 dB at ±B6/2)."""
    return 60.0 + 20.0 * np.log10(np.exp(-4.0 * math.log(2.0) * ((grid - f0) / B6) ** 2))


@pytest.mark.parametrize("frac", [0.5, 0.3, 0.05])
def test_end_maximum_is_refined_with_the_cw_curvature(frac: float) -> None:
    # a CW between the last two points, nearer the last (or midway: a plateau at the end):
    # no interior maximum; with B6 known the vertex of a CW's parabola through the two is it
    grid = 1.0e6 + STEP * np.arange(6)
    f0 = float(grid[-1] - frac * STEP)
    assert final_frequencies(grid, _exact_cw(f0, grid)).size == 0  # no B6: as before
    got = final_frequencies(grid, _exact_cw(f0, grid), rbw_hz=B6)
    assert got == pytest.approx([f0], abs=1e-6 * STEP)
    # the same at the first end
    f1 = float(grid[0] + frac * STEP)
    assert final_frequencies(grid, _exact_cw(f1, grid), rbw_hz=B6) == pytest.approx(
        [f1], abs=1e-6 * STEP
    )


def test_end_maximum_beyond_the_end_gets_no_final() -> None:
    # the emission lies beyond the last point: a vertex there is outside what the scan
    # covers (coverage ends at the outermost measured frequency), so nothing is measured
    grid = 1.0e6 + STEP * np.arange(6)
    for f0 in (grid[-1], grid[-1] + 0.3 * STEP, grid[0] - 0.4 * STEP):
        assert final_frequencies(grid, _exact_cw(float(f0), grid), rbw_hz=B6).size == 0
    # a later round refines only the ends it is given (grid ends never are)
    f0 = float(grid[-1] - 0.3 * STEP)
    assert final_frequencies(grid, _exact_cw(f0, grid), at=[grid[2]], rbw_hz=B6).size == 0


def _write_iq(path: Path, x: np.ndarray, fs: float, fc: float) -> Path:
    """Write ``x`` (complex, crest volts) as a cf32 SigMF recording; return the meta path."""
    data = np.empty(2 * x.size, "<f4")
    data[0::2], data[1::2] = x.real, x.imag
    path.with_name(path.name + ".sigmf-data").write_bytes(data.tobytes())
    meta = {
        "global": {
            "core:datatype": "cf32_le",
            "core:sample_rate": fs,
            "core:version": "1.2.0",
            "rfcheck:volts_per_unit": 1.0,
        },
        "captures": [{"core:sample_start": 0, "core:frequency": fc}],
        "annotations": [],
    }
    meta_path = path.with_name(path.name + ".sigmf-meta")
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return meta_path


def _edge_cw(tmp_path: Path, f0: float, dbuv: float) -> tuple[Path, np.ndarray]:
    """1.2 s of I/Q (fs 50 kHz at 1 MHz: 0.975-1.025 MHz) holding one CW; and its grid.

    The default Band B grid stops one B6 inside the edge: 0.987 .. 1.014 MHz.
    """
    fs, fc = 50e3, 1.0e6
    t = np.arange(int(1.2 * fs)) / fs
    amp = math.sqrt(2.0) * 1e-6 * 10 ** (dbuv / 20.0)
    x = amp * np.exp(2j * np.pi * (f0 - fc) * t)
    grid = default_frequencies(TimeSeries(np.zeros(16, np.complex64), fs, SampleKind.IQ, fc), "B")
    return _write_iq(tmp_path / "edge", x, fs, fc), grid


def _av_line(meta: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    res = CliRunner().invoke(
        main, ["check", str(meta), "--limit", "fcc-15.107-b", "-o", "json", *extra]
    )
    out = json.loads(res.stdout)
    (line,) = [c for c in out["captures"][0]["checks"] if c["line"] == "AV"]
    return res.exit_code, line


def test_check_covers_nothing_beyond_the_scans_last_frequency(tmp_path: Path) -> None:
    """A CW 4 kHz beyond the last grid point reads 4.7 dB low there.

    AV line 46 dBµV at 0.5-5 MHz; the CW is 49 dBµV at 1.018 MHz (inside the recording,
    beyond the scan's last point 1.014 MHz) and read 44.3 dBµV at 1.014 MHz. The coverage
    once reached half a bandwidth beyond the last point, so '--range ..1.018M' PASSed.
    """
    meta, grid = _edge_cw(tmp_path, 1.018e6, 49.0)
    assert grid[-1] == pytest.approx(1.014e6)
    _, line = _av_line(meta, "--range", "0.99M-1.018M")  # (QP: a 1.2 s record, INCONCLUSIVE)
    assert line["verdict"] == "INCOMPLETE", line
    assert line["evaluated_hz"] == [[990000.0, pytest.approx(1.014e6)]]
    assert line["not_evaluated_hz"] == [[pytest.approx(1.014e6), 1018000.0]]


def test_check_reads_an_emission_between_the_scans_last_two_points(tmp_path: Path) -> None:
    """A CW midway between the last two grid points: read 1.5 dB low on both, no final once.

    No interior maximum there, so no final measurement; now the end maximum is measured again.
    """
    f0 = 1.014e6 - STEP / 2.0
    meta, grid = _edge_cw(tmp_path, f0, 47.0)  # 1 dB over the AV line; 45.5 on the grid
    code, line = _av_line(meta, "--range", "0.99M-1.014M")
    assert code == 1, line
    assert line["verdict"] == "FAIL"
    assert line["worst_margin_db"] == pytest.approx(-1.0, abs=0.05)
    assert line["worst_frequency_hz"] == pytest.approx(f0, abs=1.0)


def test_a_scan_spanning_two_bands_covers_the_band_edge_between_them(tmp_path: Path) -> None:
    """A recording across 30 MHz: Band B's part stops at 29.9985 MHz, Band C/D's begins at 30.

    Each band's part of the scan was cut at its own outermost point, so 29.9985-30 MHz was
    never covered and a complete conducted recording could not PASS (INCOMPLETE at best).
    The cut belongs at the recording's ends only; inside, Band B's last QP reading covers its
    B6 / 2 = 4.5 kHz, past 30 MHz.
    """
    fs, fc, f0 = 400e3, 30.0e6, 29.95e6
    t = np.arange(int(1.7 * fs)) / fs
    x = math.sqrt(2.0) * 1e-6 * 10 ** (40.0 / 20.0) * np.exp(2j * np.pi * (f0 - fc) * t)
    meta = _write_iq(tmp_path / "across", x, fs, fc)
    args = ["check", str(meta), "--limit", "fcc-15.107-b", "--range", "29.9M-30M", "-o", "json"]
    res = CliRunner().invoke(main, args)
    doc = json.loads(res.stdout)
    qp = next(c for c in doc["captures"][0]["checks"] if c["line"] == "QP")
    assert qp["verdict"] == "PASS" and res.exit_code == 0, res.stdout
    assert qp["worst_margin_db"] == pytest.approx(60.0 - 40.0, abs=0.1)
    # the upper band's part does not reach down: a recording from 29.9 MHz holds Band C/D
    # from 30.06 MHz (one B6 inside its edge), and 30-30.06 MHz stays not measured
    meta = _write_iq(tmp_path / "above", x, fs, 30.1e6)
    args = ["check", str(meta), "--limit", "fcc-15.109-b", "--antenna-factor", "0"]
    res = CliRunner().invoke(main, [*args, "--range", "30M-30.1M"])
    assert "not evaluated fcc-15.109-b QP 30-30.06 MHz" in res.stdout, res.stdout
    assert res.exit_code != 0
