"""Readings outside every limit's range are not judged, and the result says so.

A 9 kHz-40 MHz conducted scan judged against a 150 kHz-30 MHz limit (47 CFR 15.107: "within
the band 150 kHz to 30 MHz") passes on what is inside; a note counts the readings left out and
names where they are, in the text, the JSON and the reports.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from rfcheck.capture import Detector, Trace
from rfcheck.cli import main
from rfcheck.limits import load_shipped
from rfcheck.units import LevelUnit
from rfcheck.verdict.traces import readings_outside_note


def _trace(freqs_mhz: list[float]) -> Trace:
    f = np.array(freqs_mhz) * 1e6
    return Trace(f, np.full(f.shape, 20.0), LevelUnit.DBUV, Detector.QUASI_PEAK)


def test_the_note_counts_the_readings_and_names_each_gap() -> None:
    cond = [load_shipped("fcc-15.107-b")]
    tr = _trace([0.009, 0.1, 0.1485, 0.15, 1.0, 30.0, 30.0045, 35.0, 40.0])
    assert readings_outside_note([tr, tr], cond) == (
        "12 readings outside the limit's range (0.15-30 MHz) not judged: 0.009-0.1485 MHz, "
        "30.0045-40 MHz"
    )
    assert readings_outside_note([_trace([0.1, 1.0])], cond) == (
        "1 reading outside the limit's range (0.15-30 MHz) not judged: 0.1 MHz"
    )
    assert readings_outside_note([_trace([0.15, 1.0, 30.0])], cond) == ""


def test_a_reading_just_outside_an_edge_is_not_named_as_the_edge() -> None:
    """30.000001 MHz was named "30 MHz": a reader took the limit's own end as left out."""
    cond = [load_shipped("fcc-15.107-b")]
    assert readings_outside_note([_trace([0.1499999, 1.0, 30.000001])], cond) == (
        "2 readings outside the limit's range (0.15-30 MHz) not judged: 0.1499999 MHz, "
        "30.000001 MHz"
    )


def test_a_reading_at_the_excluded_start_of_a_table_above_1_ghz_is_named() -> None:
    """1000 MHz is not in a table "above 1 GHz": a reading there is judged by none, and said.

    It was neither judged nor named (the note compared with the closed range 1-6 GHz).
    """
    above = [load_shipped("cispr32-b-rad-above-1g")]
    tr = Trace(
        np.array([1000e6, 1000e6 * (1 + 1e-15), 2000e6, 6000e6]),
        np.full(4, 90.0),
        LevelUnit.DBUV_M,
        Detector.PEAK,
    )
    assert readings_outside_note([tr], above) == (
        "2 readings outside the limit's range (1000-6000 MHz) not judged: 1000 MHz"
    )


def test_a_nan_is_not_a_reading_and_touching_ranges_merge() -> None:
    tr = _trace([0.1, 0.2, 35.0])
    tr = Trace(tr.freq_hz, np.array([np.nan, 20.0, 20.0]), LevelUnit.DBUV, Detector.QUASI_PEAK)
    both = [load_shipped("fcc-15.107-b"), load_shipped("cispr32-b-mains")]
    assert readings_outside_note([tr], both) == (
        "1 reading outside the limits' range (0.15-30 MHz) not judged: 35 MHz"
    )


def test_check_says_what_it_left_out_in_text_json_and_reports(tmp_path: Path) -> None:
    rows = [
        f"{0.009 + 0.0045 * i:.4f},10.0,10.0" for i in range(8887)
    ]  # 9 kHz - 39.996 MHz: 2 x (32 + 2222) outside
    scan = tmp_path / "wide.csv"
    scan.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (MHz),QP (dBuV),CAV (dBuV)\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    note = (
        "4508 readings outside the limit's range (0.15-30 MHz) not judged: 0.009-0.1485 MHz, "
        "30.0015-39.996 MHz"
    )
    runner = CliRunner()
    r = runner.invoke(main, ["check", str(scan), "--limit", "fcc-15.107-b"])
    assert r.exit_code == 0, r.output
    assert f"   note: {note}" in r.stdout.splitlines()
    out = tmp_path / "rep"
    r = runner.invoke(
        main,
        ["check", str(scan), "--limit", "fcc-15.107-b", "-o", "json"]
        + ["--report", "html", "--out", str(out)],
    )
    assert note in json.loads(r.stdout)["captures"][0]["warnings"]
    assert html.escape(note) in (out / "wide.html").read_text(encoding="utf-8")


def test_a_range_just_short_of_the_required_one_is_not_printed_as_it() -> None:
    """``--range 150k-29999999``: the PASS read "over 0.15-30 MHz only, ... over 0.15-30"."""
    from rfcheck.outcome import Verdict
    from rfcheck.report.range_text import range_note

    assert range_note(Verdict.PASS, (150e3, 29_999_999.0), (150e3, 30e6)) == (
        "over 0.15-29.999999 MHz only, the requested range; the lines are required over 0.15-30 MHz"
    )
