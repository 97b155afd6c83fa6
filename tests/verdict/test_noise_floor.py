"""Readings no instrument can display (far below kTB of their bandwidth) are refused.

The commonest generic-CSV mistake, dBm readings under a dBµV header, puts a trace about
107 dB low; judged, it PASSes by that much. No receiver displays a trace tens of dB below the
thermal noise of its RBW (kTB = -174 dBm/Hz + 10·log10(RBW) at 290 K, i.e. -67 dBµV +
10·log10(RBW/Hz) at 50 Ω): such a capture is an ERROR (docs/verdict.md, "Readings below the
thermal noise"). A trace 10 dB above kTB, one 20 dB below it (a preamplifier-corrected
display) and a dBm file under its own header are judged as before.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.analysis import analyse_capture, analyse_file
from rfcheck.capture import Capture, Detector, Trace, TraceMode
from rfcheck.cli import main
from rfcheck.errors import AnalysisError
from rfcheck.outcome import Verdict
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit
from rfcheck.verdict.noise_floor import (
    FLOOR_MARGIN_DB,
    THERMAL_NOISE_DBM_PER_HZ,
    below_noise_floor,
    check_noise_floor,
    thermal_noise_dbuv,
)

CONDUCTED = CheckSettings(limit_ids=("fcc-15.107-b",))
#: 0.15-30 MHz one point per 9 kHz (the rig's conducted grid). [MHz]
F_COND_MHZ = np.linspace(0.15, 30.0, int(np.ceil(29.85e6 / 9e3)) + 1)
#: A conducted analyser trace in dBm: noise at -105 dBm, emissions of -70 dBm (37 dBµV).
EMISSIONS_MHZ = (0.5, 1.0, 2.0, 4.0, 8.0)


def _dbm_trace() -> np.ndarray:
    level = np.full(F_COND_MHZ.shape, -105.0)
    for f in EMISSIONS_MHZ:
        level[np.argmin(np.abs(F_COND_MHZ - f))] = -70.0
    return level


def _write(
    path: Path, columns: dict[str, np.ndarray], rbw_hz: float | None, f_mhz: np.ndarray
) -> Path:
    lines = [f"# rbw_hz: {rbw_hz:g}"] if rbw_hz is not None else []
    lines.append(",".join(["Frequency (MHz)", *columns]))
    for i, f in enumerate(f_mhz):
        lines.append(",".join([f"{f:.6f}", *(f"{c[i]:.2f}" for c in columns.values())]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _trace(level: float | np.ndarray, **kw: Any) -> Trace:
    """Return a 1-6 GHz peak trace in dBµV, RBW 1 MHz, with ``kw`` replacing its fields."""
    f = np.geomspace(1e9, 6e9, 200)
    lv = np.broadcast_to(np.asarray(level, dtype=float), f.shape).copy()
    base = Trace(f, lv, LevelUnit.DBUV, Detector.PEAK, "Peak", rbw_hz=1e6)
    return dataclasses.replace(base, **kw)


# --- kTB -----------------------------------------------------------------------------------


def test_ktb_per_hertz_at_290_k() -> None:
    # 10·log10(1.380649e-23 J/K · 290 K / 1 mW)
    assert THERMAL_NOISE_DBM_PER_HZ == pytest.approx(-173.975, abs=5e-4)


@pytest.mark.parametrize(
    ("rbw_hz", "ktb_dbuv"),
    [(1e6, -6.99), (120e3, -16.19), (9e3, -27.44), (200.0, -43.98), (1.0, -66.99)],
)
def test_ktb_in_dbuv_at_50_ohm(rbw_hz: float, ktb_dbuv: float) -> None:
    """-174 dBm/Hz + 10·log10(RBW) + 106.99 dB (0 dBm = 106.99 dBµV at 50 Ω)."""
    assert float(thermal_noise_dbuv(rbw_hz)) == pytest.approx(ktb_dbuv, abs=0.005)


# --- the statistic and the margin ------------------------------------------------------------


@pytest.mark.parametrize("above_db", [10.0, 0.0, -20.0, -FLOOR_MARGIN_DB])
def test_a_trace_down_to_the_margin_below_ktb_is_accepted(above_db: float) -> None:
    """At kTB + 10 dB, at kTB, 20 dB below (a preamplifier-corrected display), at the margin."""
    assert below_noise_floor(_trace(float(thermal_noise_dbuv(1e6)) + above_db)) is None


def test_a_trace_past_the_margin_is_refused_with_its_median_depth() -> None:
    found = below_noise_floor(_trace(-6.99 - FLOOR_MARGIN_DB - 0.5))
    assert found is not None
    assert found.depth_db == pytest.approx(FLOOR_MARGIN_DB + 0.5, abs=0.01)


def test_the_median_ignores_a_minority_of_deep_readings() -> None:
    """40 % of the points far below kTB (nulls, gaps) leave a trace at kTB + 5 accepted."""
    level = np.full(200, -2.0)
    level[:80] = -120.0
    assert below_noise_floor(_trace(level)) is None
    level[:120] = -120.0  # most of the trace: refused
    assert below_noise_floor(_trace(level)) is not None


def test_a_dbm_trace_is_converted_before_it_is_compared() -> None:
    """-110 dBm in 1 MHz is -3 dBµV, above kTB (-114 dBm); read as dBµV it is 103 dB below."""
    assert below_noise_floor(_trace(-110.0, unit=LevelUnit.DBM)) is None
    found = below_noise_floor(_trace(-110.0))
    assert found is not None and round(found.depth_db) == 103


def test_dbmv_and_volt_traces_are_converted() -> None:
    assert below_noise_floor(_trace(-60.0, unit=LevelUnit.DBMV)) is None  # 0 dBµV
    assert below_noise_floor(_trace(1e-6, unit=LevelUnit.VOLT)) is None  # 0 dBµV
    assert below_noise_floor(_trace(1e-9, unit=LevelUnit.VOLT)) is not None  # -60 dBµV


@pytest.mark.parametrize(
    "kw",
    [
        {"computed_from": "rec.sigmf-meta"},  # the receiver model's, from a recording
        {"mode": TraceMode.MIN_HOLD},
        {"detector": Detector.NEGATIVE_PEAK},
        {"unit": LevelUnit.DBUA},  # a current: the probe's transfer impedance is not known
        {"unit": None},  # no unit yet: refused elsewhere
    ],
    ids=["receiver-model", "min-hold", "negative-peak", "dBuA", "no-unit"],
)
def test_traces_ktb_does_not_bound_are_not_checked(kw: dict[str, Any]) -> None:
    assert below_noise_floor(_trace(-110.0, **kw)) is None


def test_no_rbw_stated_takes_the_cispr_bandwidth_of_each_band() -> None:
    """30 MHz-2 GHz with no RBW: 120 kHz below 1 GHz, 1 MHz above (CISPR 16-1-1).

    Most of the points lie above 1 GHz: the median is 90 - 6.99 dB below kTB there.
    """
    f = np.linspace(30e6, 2e9, 400)
    tr = Trace(f, np.full(f.shape, -90.0), LevelUnit.DBUV_M, Detector.PEAK, name="Peak")
    with pytest.raises(AnalysisError) as err:
        check_noise_floor([tr])
    assert err.value.message == (
        "trace Peak: readings lie 83 dB (median) below the thermal noise of the CISPR "
        "16-1-1 bandwidths of its bands, 120 kHz and 1 MHz (kTB, -16 to -7 dBµV; no RBW "
        "stated: state it if it was narrower): no instrument displays that; dBm readings "
        "under a dBµV/m header? (dBµV = dBm + 107 at 50 Ω)"
    )


def test_the_deepest_trace_is_named() -> None:
    shallow = _trace(-60.0)
    deep = Trace(
        shallow.freq_hz, np.full(200, -75.0), LevelUnit.DBUV, Detector.AVERAGE, "Avg", rbw_hz=1e6
    )
    with pytest.raises(AnalysisError, match=r"^trace Avg: readings lie 68 dB \(median\)"):
        check_noise_floor([shallow, deep])


def test_analyse_capture_refuses_before_judging() -> None:
    f = F_COND_MHZ * 1e6
    tr = Trace(f, _dbm_trace(), LevelUnit.DBUV, Detector.PEAK, "Peak", rbw_hz=9e3)
    with pytest.raises(AnalysisError, match="78 dB"):
        analyse_capture(Capture(traces=(tr,)), CONDUCTED)


# --- every command -------------------------------------------------------------------------

#: What every command prints for the conducted dBm file headed dBuV (kTB in 9 kHz: -27.44).
DBM_AS_DBUV = (
    "trace Peak: readings lie 78 dB (median) below the thermal noise of a 9 kHz bandwidth "
    "(kTB, -27 dBµV): no instrument displays that; dBm readings under a dBµV header? "
    "(dBµV = dBm + 107 at 50 Ω)"
)


@pytest.mark.parametrize(
    "command",
    [
        ("check", "--limit", "fcc-15.107-b"),
        ("check", "--limit", "fcc-15.107-b", "--combine"),
        ("compare", "--limit", "fcc-15.107-b", "BAD"),
        ("batch", "--limit", "fcc-15.107-b", "--out", "OUT", "-q"),
    ],
    ids=["check", "check-combine", "compare", "batch"],
)
def test_dbm_readings_under_a_dbuv_header_are_an_error_in_every_command(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    (tmp_path / "in").mkdir()
    bad = _write(tmp_path / "in" / "cond.csv", {"Peak (dBuV)": _dbm_trace()}, 9e3, F_COND_MHZ)
    target = bad.parent if command[0] == "batch" else bad
    words = {"BAD": str(bad), "OUT": str(tmp_path / "out")}
    args = [command[0], str(target), *(words.get(w, w) for w in command[1:])]
    r = CliRunner().invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 3, r.output
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("rfcheck: error: ")]
    assert errors and set(errors) == {f"rfcheck: error: {bad}: {DBM_AS_DBUV}"}


def test_check_prints_the_error_for_a_radiated_dbm_file_headed_dbuv_m(tmp_path: Path) -> None:
    """The audit's case: 1-6 GHz Peak/Avg in dBm under dBµV/m, which passed by ~109 dB."""
    f = np.linspace(1000.0, 6000.0, 5001)
    path = _write(
        tmp_path / "rad.csv",
        {"Peak (dBuV/m)": np.full(f.shape, -58.0), "Avg (dBuV/m)": np.full(f.shape, -68.0)},
        1e6,
        f,
    )
    r = CliRunner().invoke(
        main, ["check", str(path), "--limit", "fcc-15.109-b"], catch_exceptions=False
    )
    assert r.exit_code == 3, r.output
    assert (
        "   ERROR: trace Avg: readings lie 61 dB (median) below the thermal noise of a 1 MHz "
        "bandwidth (kTB, -7 dBµV): no instrument displays that; dBm readings under a dBµV/m "
        "header? (dBµV = dBm + 107 at 50 Ω)"
    ) in r.stdout.splitlines()
    assert "verdict: ERROR" in r.stdout


@pytest.mark.parametrize(
    ("header", "level_db", "verdict"),
    [
        ("Peak (dBm)", None, Verdict.PASS),  # the same numbers under their own unit
        ("Peak (dBuV)", -27.44 + 10.0, Verdict.PASS),  # kTB + 10 dB
        ("Peak (dBuV)", -27.44 - 20.0, Verdict.PASS),  # 20 dB below: a preamp-corrected display
    ],
    ids=["dbm-header", "ktb-plus-10", "ktb-minus-20"],
)
def test_plausible_files_are_judged(
    tmp_path: Path, header: str, level_db: float | None, verdict: Verdict
) -> None:
    level = _dbm_trace() if level_db is None else np.full(F_COND_MHZ.shape, level_db)
    path = _write(tmp_path / "cond.csv", {header: level}, 9e3, F_COND_MHZ)
    r = analyse_file(path, CONDUCTED)
    assert r.errors == ()
    assert r.verdict is verdict
