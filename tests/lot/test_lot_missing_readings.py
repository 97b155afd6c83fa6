"""A unit with no reading where the golden unit has an emission: missing data, not a build.

``docs/lot.md`` ("Fingerprint"): missing data is never evidence of a different build. A
unit whose captures stop below a golden emission (or leave a gap there) has no reading of
it: that emission is not compared, the unit's identity is ``unknown`` (every output says so)
and only a reading that contradicts the golden emission makes it ``NO``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck import load_capture
from rfcheck.cli import main
from rfcheck.lot.emission_search import emission_list
from rfcheck.lot.emissions import EmissionList
from rfcheck.lot.fingerprint import compare_fingerprints, fingerprint_comparison
from rfcheck.settings import CheckSettings

CsvWriter = Callable[..., Path]
LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

#: The unit's scan stops at 1.5 MHz (conducted grid otherwise). [Hz]
SHORT = (150e3, 1.5e6, 5e3, 9e3)


def _el(path: Path) -> EmissionList:
    return emission_list(load_capture(path), CheckSettings(limit_ids=("fcc-15.107-b",)))


def _drop(path: Path, lo_hz: float, hi_hz: float) -> None:
    """Leave the rows of ``lo_hz``-``hi_hz`` out of a generic CSV (a gap in the scan)."""
    lines = path.read_text(encoding="ascii").splitlines(keepends=True)
    kept = [
        ln for ln in lines if not ln[0].isdigit() or not lo_hz <= float(ln.split(",")[0]) <= hi_hz
    ]
    path.write_text("".join(kept), encoding="ascii")


def test_a_golden_emission_beyond_the_units_scan_is_not_a_difference(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    golden = _el(csv_writer(tmp_path / "g.csv", {"CAVG": {1e6: 40.0, 2e6: 40.0}}))
    short = _el(csv_writer(tmp_path / "u.csv", {"CAVG": {1e6: 40.5}}, grid=SHORT))
    assert compare_fingerprints("L1", golden, short) == []  # was "missing": "no reading there"
    comp = fingerprint_comparison("L1", golden, short)
    assert comp.unshown == (
        "golden emission at 2 MHz not compared: the unit has no reading there "
        "(outside its scan, 0.15-1.5 MHz)",
    )
    # seen from the other side: the unit's emission beyond the golden unit's scan
    back = fingerprint_comparison("L1", short, golden)
    assert back.differences == ()
    assert back.unshown == (
        "emission at 2 MHz not compared: the golden unit has no reading there "
        "(outside its scan, 0.15-1.5 MHz)",
    )


def test_a_golden_emission_in_a_gap_of_the_units_scan_is_not_a_difference(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    golden = _el(csv_writer(tmp_path / "g.csv", {"CAVG": {1e6: 40.0, 2e6: 40.0}}))
    path = csv_writer(tmp_path / "u.csv", {"CAVG": {1e6: 40.5}})
    _drop(path, 1.9e6, 2.1e6)
    comp = fingerprint_comparison("L1", golden, _el(path))
    assert comp.differences == ()
    assert comp.unshown == (
        "golden emission at 2 MHz not compared: the unit has no reading there "
        "(in a gap of its scan)",
    )


def test_a_reading_without_the_emission_is_still_a_difference(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """The unit reads the floor at 2 MHz: shown absent. The gap is of the line judged (AV).

    Golden 2 MHz: QP 44, AV 35 (AV is the closer line, margin 11 dB); the unit reads the
    -20 dBµV floor there: 55.0 dB lower on the AV line (it said 64.0: the QP level minus the
    unit's AV reading).
    """
    golden = _el(
        csv_writer(
            tmp_path / "g.csv", {"QP": {1e6: 50.0, 2e6: 44.0}, "CAVG": {1e6: 41.0, 2e6: 35.0}}
        )
    )
    unit = _el(csv_writer(tmp_path / "u.csv", {"QP": {1e6: 50.0}, "CAVG": {1e6: 41.0}}))
    comp = fingerprint_comparison("L1", golden, unit)
    assert comp.unshown == ()
    assert [(d.kind, d.text) for d in comp.differences] == [
        (
            "missing",
            "golden emission at 2 MHz not found (unit reads 55.0 dB lower there on the AV line)",
        )
    ]


def test_a_golden_family_half_beyond_the_units_scan_is_not_a_difference(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """Harmonics 1-8 of 200 kHz; the unit's scan stops at 0.9 MHz and has 1-4 of them.

    Found at 4 of 8 harmonics (under 60 %), but the 4 others it has no reading of: unshown.
    """
    comb = {n * 200e3: 40.0 for n in range(1, 9)}
    golden = _el(csv_writer(tmp_path / "g.csv", {"CAVG": comb}))
    unit = _el(csv_writer(tmp_path / "u.csv", {"CAVG": comb}, grid=(150e3, 0.9e6, 5e3, 9e3)))
    comp = fingerprint_comparison("L1", golden, unit)
    assert comp.differences == ()  # was "golden harmonic family at 0.2 MHz ... not found"
    assert (
        "golden harmonic family at 0.2 MHz (harmonics 1-8) not compared: the unit has no "
        "reading at 4 of its 8 harmonics"
    ) in comp.unshown
    # the unit reads the floor at harmonics 5-8: shown absent
    floor = _el(
        csv_writer(tmp_path / "f.csv", {"CAVG": {f: v for f, v in comb.items() if f < 1e6}})
    )
    assert [d.kind for d in compare_fingerprints("L1", golden, floor)].count("family") == 1


def _short_lot(folder: Path, lot_writer: LotWriter) -> Path:
    """u1-u4 alike (1 and 2 MHz); u4's scan stops at 1.5 MHz."""
    units = {f"u{i}": {1e6: 40.0 + 0.3 * i, 2e6: 38.0 + 0.3 * i} for i in range(1, 5)}
    setup = lot_writer(folder, units)
    path = folder / "u4_L1.csv"
    lines = path.read_text(encoding="ascii").splitlines(keepends=True)
    kept = [ln for ln in lines if not ln[0].isdigit() or float(ln.split(",")[0]) <= 1.5e6]
    path.write_text("".join(kept), encoding="ascii")
    return setup


def _lot(folder: Path, setup: Path, *more: str) -> Any:
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup), *more]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_every_lot_output_calls_a_unit_short_of_a_golden_emission_unknown(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """u4 was NO, "unit reads no reading there", "a different build"."""
    folder = tmp_path / "lot"
    setup = _short_lot(folder, lot_writer)
    flag = (
        "L1: golden emission at 2 MHz not compared: the unit has no reading there (outside its "
        "scan, 0.15-1.5 MHz); identity cannot be shown (missing data, not a difference)"
    )
    res = _lot(folder, setup)
    text = res.stdout
    assert f"      - {flag}\n" in text
    assert "Not shown identical" not in text and "a reading shows a difference" not in text
    assert "Identity cannot be shown (missing data, not a difference: " in text
    assert "no reading where the other unit has a strongest emission): u4\n" in text
    row = next(ln for ln in text.splitlines() if ln.startswith("   u4 "))
    assert row.split()[2] == "unknown"

    out = tmp_path / "out"
    res = _lot(folder, setup, "--report", "json,csv,html,pdf", "--out", str(out))
    assert res.exit_code == 5  # INCOMPLETE: missing data (u4 is INCOMPLETE too)
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    u4 = next(u for u in doc["units"] if u["unit"] == "u4")
    assert (u4["identity"], u4["identical"], u4["differences"]) == ("unknown", False, [])
    assert flag in u4["flags"]
    assert not any("a reading shows a difference" in n for n in doc["notes"])
    assert any(n.endswith("a strongest emission): u4") for n in doc["notes"])
    with (out / "lot_units.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["unit"]: r for r in csv.DictReader(fh)}
    assert rows["u4"]["identity"] == "unknown" and flag in rows["u4"]["flags"]
    page = (out / "lot.html").read_text(encoding="utf-8")
    assert "Identity cannot be shown (missing data, not a difference" in page
    assert "Not shown identical" not in page
    pdf = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(out / "lot.pdf").pages
    )
    assert "Identity cannot be shown (missing data, not a difference" in pdf
    assert "Not shown identical" not in pdf


def test_a_statistics_row_where_a_unit_has_no_reading_says_it_is_not_measured(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """u4's scan has a gap at 1.9-2.1 MHz; its 2 MHz rows said "bounds only".

    No reading is no bound: the row says u4 is not measured there, and that the rule is not
    applied over the three others (INCOMPLETE, missing data; it read INCONCLUSIVE).
    """
    folder = tmp_path / "lot"
    # eight stronger emissions make the fingerprint: 2 MHz is not in it, so u4 stays identical
    strong = (0.6e6, 0.8e6, 1e6, 1.2e6, 1.6e6, 2.5e6, 3e6, 4e6)
    units = {
        f"u{i}": {**{f: 42.0 + 0.3 * i for f in strong}, 2e6: 38.0 + 0.3 * i} for i in range(1, 5)
    }
    setup = lot_writer(folder, units)
    _drop(folder / "u4_L1.csv", 1.9e6, 2.1e6)
    res = _lot(folder, setup, "-o", "json")
    doc = json.loads(res.stdout)
    at2 = [r for r in doc["statistics"] if r["frequency_hz"] == 2e6]
    assert [r["line"] for r in at2] == ["AV"]  # QP is 15 dB under its line: no row
    note = (
        "not measured at 2 MHz: u4 (no reading: in a gap of its scan); the 80/80 rule takes a "
        "measured level of every unit in the statistics, so it is not applied over the others "
        "here (missing data)"
    )
    assert {u["unit"]: u["identity"] for u in doc["units"]}["u4"] == "yes"
    for r in at2:
        assert (r["verdict"], r["method"], r["n"], r["k"], r["note"]) == (
            "INCOMPLETE",
            "none",
            3,
            None,
            note,
        )
    assert (res.exit_code, doc["verdict"]) == (5, "INCOMPLETE")
    text = _lot(folder, setup).stdout
    assert f"   - L1 fcc-15.107-b AV at 2 MHz: INCOMPLETE: {note}\n" in text
    assert "bounds only" not in text


def test_a_peak_bound_far_above_a_measured_average_is_not_a_difference(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """A peak bound 25 dB above a measured average made the unit 'NO'.

    A peak reading is an upper bound of the AV line: consistent with one design, it shows
    nothing either way (identity unknown), never a different build.
    """
    golden = _el(csv_writer(tmp_path / "g.csv", {"QP": {2e6: 24.0}, "CAVG": {2e6: 20.0}}))
    peak = _el(csv_writer(tmp_path / "u.csv", {"Peak": {2e6: 45.5}}))
    comp = fingerprint_comparison("L1", golden, peak)
    assert comp.differences == ()
    assert any(
        u.startswith("emission at 2 MHz not compared: +25.5 dB against the golden unit on the")
        and "the unit's reading is an upper bound and the golden unit's a measurement" in u
        for u in comp.unshown
    ), comp.unshown
    # a measured average 25 dB above is a difference
    avg = _el(csv_writer(tmp_path / "a.csv", {"QP": {2e6: 49.5}, "CAVG": {2e6: 45.5}}))
    kinds = {d.kind for d in fingerprint_comparison("L1", golden, avg).differences}
    assert "level" in kinds
