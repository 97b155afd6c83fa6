"""``--range`` narrows what a transducer table must cover.

Readings outside the requested range are not judged, so a table need not reach them: they are
left out of the corrected traces (never corrected, judged or plotted) with a note naming them.
A reading inside the range still needs every table (ERROR, exit 3, never extrapolated).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main


def _scan(tmp_path: Path, lo: float = 30e6, hi: float = 1000e6, step: float = 100e3) -> Path:
    """Write a QP scan in dBµV: 20 dBµV everywhere, one line of 25 dBµV at 100 MHz."""
    f = lo + step * np.arange(int(round((hi - lo) / step)) + 1)
    level = np.where(np.isclose(f, 100e6), 25.0, 20.0)
    rows = ["# rbw_hz: 120000", "# dwell_s: 1", "Frequency (Hz),QP (dBuV)"]
    rows += [f"{x:.0f},{v:.2f}" for x, v in zip(f, level, strict=True)]
    path = tmp_path / "scan.csv"
    path.write_text("\n".join(rows) + "\n", encoding="ascii")
    return path


def _af(tmp_path: Path, hi_mhz: float) -> Path:
    """Write a flat 15 dB/m antenna factor from 30 MHz to ``hi_mhz``."""
    path = tmp_path / "af.csv"
    path.write_text(
        f"Frequency (MHz),Antenna Factor (dB/m)\n30,15\n{hi_mhz:g},15\n", encoding="ascii"
    )
    return path


def _check(scan: Path, af: Path, *more: str) -> tuple[int, dict[str, Any]]:
    args = ["check", str(scan), "--limit", "fcc-15.109-b", "--highest-frequency", "100M"]
    args += ["--antenna-factor", str(af), "-o", "json", *more]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    return res.exit_code, json.loads(res.stdout) if res.stdout.startswith("{") else {}


def _notes(doc: dict[str, Any]) -> str:
    return json.dumps(doc)


def test_a_table_short_of_readings_outside_the_range_is_no_error(tmp_path: Path) -> None:
    scan, af = _scan(tmp_path), _af(tmp_path, 487)
    code, _ = _check(scan, af)  # the whole scan judged: the table must cover it
    assert code == 3
    code, doc = _check(scan, af, "--range", "30M-480M")
    assert code == 0, doc
    cap = doc["captures"][0]
    assert cap["verdict"] == "PASS"
    text = _notes(doc)
    assert (
        "5130 readings outside the requested range (30-480 MHz) where the transducer tables do "
        "not reach (antenna factor af.csv) are left out (not corrected, judged or plotted): "
        "487.1-1000 MHz"
    ) in text
    qp = next(c for c in cap["checks"] if c["line"] == "QP")
    assert qp["worst_frequency_hz"] == 100e6
    assert qp["worst_margin_db"] == 3.52  # 25 + 15 dB/m against 43.52 dBµV/m


def test_no_uncovered_reading_is_judged_or_plotted(tmp_path: Path) -> None:
    from rfcheck.analysis import analyse_capture
    from rfcheck.io import load_capture
    from rfcheck.settings import CheckSettings

    scan, af = _scan(tmp_path), _af(tmp_path, 487)
    s = CheckSettings(
        limit_ids=("fcc-15.109-b",),
        highest_frequency_hz=100e6,
        antenna_factor=af,
        range_hz=(30e6, 480e6),
    )
    result = analyse_capture(load_capture(scan, None), s)
    for tr in result.plot_traces:
        assert float(np.max(tr.freq_hz)) <= 487e6 * (1 + 1e-9)
    assert all(sp.frequency_hz <= 480e6 for sp in result.suspects)


def test_a_reading_inside_the_range_still_needs_the_table(tmp_path: Path) -> None:
    scan, af = _scan(tmp_path), _af(tmp_path, 487)
    res = CliRunner().invoke(
        main,
        [
            "check",
            str(scan),
            "--limit",
            "fcc-15.109-b",
            "--highest-frequency",
            "100M",
            "--antenna-factor",
            str(af),
            "--range",
            "30M-490M",
        ],
        catch_exceptions=False,
    )
    assert res.exit_code == 3
    assert "is not extrapolated; needed at 487.1 MHz" in res.output


def test_the_range_edge_stays_covered_when_the_point_beyond_it_is_left_out(
    tmp_path: Path,
) -> None:
    """The table ends at the range's end, between two grid points: no gap at the edge.

    Points at 480.0 and 480.1 MHz; range and table end at 480.05 MHz. 480.1 MHz is left out
    uncorrected; the cell of 480.0 MHz still reaches the range's end.
    """
    scan, af = _scan(tmp_path), _af(tmp_path, 480.05)
    code, doc = _check(scan, af, "--range", "30M-480.05M")
    assert code == 0, doc
    qp = next(c for c in doc["captures"][0]["checks"] if c["line"] == "QP")
    assert qp["verdict"] == "PASS"
    assert qp["not_evaluated_hz"] == []
