"""Emission lists (readings, bounds, limits, margins), harmonic families, unit discovery."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rfcheck import load_capture
from rfcheck.lot.discovery import find_units
from rfcheck.lot.emission_search import emission_list
from rfcheck.lot.emissions import EmissionList
from rfcheck.lot.fingerprint import harmonic_families
from rfcheck.outcome import Bound
from rfcheck.settings import CheckSettings, load_setup

CsvWriter = Callable[..., Path]


def test_emission_readings_bounds_and_margins(tmp_path: Path, csv_writer: CsvWriter) -> None:
    # peak and average traces only: QP is bounded from both sides, AV measured
    path = csv_writer(
        tmp_path / "x.csv", {"Peak": {1e6: 50.0, 2e6: 20.0}, "CAVG": {1e6: 44.0, 2e6: 15.0}}
    )
    el = emission_list(
        load_capture(path), CheckSettings(limit_ids=("fcc-15.107-b",)), window_db=20.0
    )
    assert (el.rbw_hz, el.step_hz, el.match_tolerance_hz) == (9000.0, 5000.0, 10000.0)
    assert [e.frequency_hz for e in el.emissions] == [1e6]  # 2 MHz is > 20 dB under both lines
    e = el.emissions[0]
    qp = e.reading(("fcc-15.107-b", "QP"))
    av = e.reading(("fcc-15.107-b", "AV"))
    assert qp is not None and av is not None
    assert (qp.detector, qp.bound, qp.level, qp.limit) == ("peak", Bound.UPPER, 50.0, 56.0)
    assert qp.margin_db == pytest.approx(6.0, abs=1e-3)
    assert (av.detector, av.bound, av.level, av.limit) == (
        "cispr-average",
        Bound.MEASURED,
        44.0,
        46.0,
    )
    assert e.worst is av


def test_harmonic_families_find_each_fundamental() -> None:
    freqs = [n * 65e3 for n in range(3, 12)] + [n * 118e3 for n in range(2, 8)]
    fams = harmonic_families(freqs, tol_hz=1e3)
    assert [round(f.fundamental_hz) for f in fams] == [65000, 118000]
    assert fams[0].harmonics == tuple(range(3, 12))
    assert fams[1].harmonics == tuple(range(2, 8))


def test_three_lines_are_not_a_family() -> None:
    assert harmonic_families([1e6, 2e6, 3e6], tol_hz=1e3) == ()


def test_units_and_ports_from_the_group_pattern(tmp_path: Path) -> None:
    for name in ("u1_L1.csv", "u1_N.csv", "u2_L1.csv", "notes.txt"):
        (tmp_path / name).write_text("x\n", encoding="ascii")
    setup = tmp_path / "s.toml"
    setup.write_text('[batch]\ngroup_pattern = "^(?P<unit>u[0-9]+)_"\n', encoding="ascii")
    units = find_units(tmp_path, load_setup(setup))
    assert {u: [(c.port, c.rel) for c in cs] for u, cs in units.items()} == {
        "u1": [("L1", "u1_L1.csv"), ("N", "u1_N.csv")],
        "u2": [("L1", "u2_L1.csv")],
    }


def _el(path: Path) -> EmissionList:
    return emission_list(load_capture(path), CheckSettings(limit_ids=("fcc-15.107-b",)))


def test_fingerprint_shift_level_and_identity(tmp_path: Path, csv_writer: CsvWriter) -> None:
    from rfcheck.lot.fingerprint import compare_fingerprints

    golden = {1e6: 40.0, 2e6: 40.0, 3e6: 38.0}
    g = _el(csv_writer(tmp_path / "g.csv", {"CAVG": golden}))
    same = _el(csv_writer(tmp_path / "s.csv", {"CAVG": {f: v + 1.5 for f, v in golden.items()}}))
    assert compare_fingerprints("L1", g, same) == []
    odd = _el(csv_writer(tmp_path / "o.csv", {"CAVG": {1e6: 28.0, 2.05e6: 40.0, 3e6: 38.0}}))
    diffs = {d.kind: d for d in compare_fingerprints("L1", g, odd)}
    assert set(diffs) == {"level", "shift"}
    assert (diffs["level"].frequency_hz, diffs["level"].delta_db) == (
        1e6,
        pytest.approx(-12.0, abs=0.01),
    )
    assert (diffs["shift"].frequency_hz, diffs["shift"].golden_frequency_hz) == (2.05e6, 2e6)
    assert diffs["shift"].text == (
        "emission at 2.05 MHz where the golden unit has it at 2 MHz "
        "(shift +50 kHz, tolerance 10 kHz)"
    )


def test_two_units_clocks_may_differ_by_100_ppm(tmp_path: Path, csv_writer: CsvWriter) -> None:
    from rfcheck.lot.fingerprint import compare_fingerprints

    grid = (30e6, 400e6, 30e3, 120e3)  # tolerance max(120 kHz, 2 × 30 kHz) = 120 kHz
    s = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0)

    def el(name: str, f_hz: float) -> EmissionList:
        path = csv_writer(tmp_path / name, {"QP": {f_hz: 40.0}}, grid=grid, unit="dBuV/m")
        return emission_list(load_capture(path), s)

    golden = el("g.csv", 390e6)
    # 150 kHz off: beyond the 120 kHz pairing tolerance, within it + 100 ppm (39 kHz)
    assert compare_fingerprints("V", golden, el("u.csv", 390.15e6)) == []
    [d] = compare_fingerprints("V", golden, el("w.csv", 390.3e6))  # 300 kHz off: a shift
    assert (d.kind, d.frequency_hz, d.golden_frequency_hz) == ("shift", 390.3e6, 390e6)


def test_a_final_measurement_list_does_not_widen_the_pairing_tolerance(tmp_path: Path) -> None:
    """Its points are at the emissions: their spacing (here ~40 kHz) is no location error."""
    finals_khz = [195.0, 235.5, 258.0, 325.5, 352.5, 388.5, 456.0, 1390.5]
    path = tmp_path / "final.csv"
    path.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (kHz),QP (dBuV)\n"
        + "".join(f"{f},40.0\n" for f in finals_khz),
        encoding="ascii",
    )
    el = emission_list(load_capture(path), CheckSettings(limit_ids=("fcc-15.107-b",)))
    assert (el.rbw_hz, el.step_hz, el.match_tolerance_hz) == (9000.0, 0.0, 9000.0)
