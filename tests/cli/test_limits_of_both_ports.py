"""Limits of both ports requested at once: each capture is judged against its own port's.

A setup naming ``fcc-15.107-b`` and ``fcc-15.109-b`` for a folder of conducted and radiated
captures: a conducted capture was an ERROR row against the radiated table
("radiated limit (dBµV/m) but the capture is in dBµV"), so a conducted FAIL was lost in an
ERROR batch (exit 3). Each capture is now judged against the tables of its port, with a note
naming the others; a capture fitting no requested table keeps its error.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main


def _csv(path: Path, f: np.ndarray, level: np.ndarray, unit: str, det: str, rbw: float) -> Path:
    rows = "".join(f"{a:.0f},{b}\n" for a, b in zip(f, level, strict=True))
    path.write_text(
        f"# rbw_hz: {rbw:g}\n# detector: {det}\n# unit: {unit}\nfrequency_hz,level\n{rows}",
        encoding="utf-8",
    )
    return path


def _folder(tmp_path: Path) -> tuple[Path, Path]:
    caps = tmp_path / "caps"
    caps.mkdir()
    f = np.geomspace(0.15e6, 30e6, 400)
    av = np.full(f.shape, 30.0)
    av[np.argmin(np.abs(f - 1e6))] = 50.0  # 15.107(a) Class B AV above 0.5 MHz: 46 dBµV
    _csv(caps / "cond_fail.csv", f, av, "dBuV", "cispr-average", 9e3)
    r = np.arange(30e6, 1000e6 + 1.0, 60e3)
    _csv(caps / "rad.csv", r, np.full(r.shape, 20.0), "dBuV/m", "peak", 120e3)
    setup = tmp_path / "both.toml"
    setup.write_text(
        '[check]\nlimits = ["fcc-15.107-b", "fcc-15.109-b"]\ndistance_m = 3\n'
        "highest_frequency_hz = 100e6\n",
        encoding="utf-8",
    )
    return caps, setup


def test_a_mixed_batch_judges_each_capture_against_its_ports_table(tmp_path: Path) -> None:
    caps, setup = _folder(tmp_path)
    out = tmp_path / "out"
    args = ["batch", str(caps), "--setup", str(setup), "--out", str(out), "-q", "-j", "1"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1, res.output  # the conducted FAIL decides
    rows = {Path(r["path"]).name: r for r in json.loads((out / "summary.json").read_text())["rows"]}
    assert rows["cond_fail.csv"]["verdict"] == "FAIL"
    assert rows["cond_fail.csv"]["worst_limit"] == "fcc-15.107-b AV"
    assert rows["cond_fail.csv"]["worst_margin_db"] == -4.0
    assert rows["rad.csv"]["verdict"] == "PASS"
    assert str(rows["rad.csv"]["worst_limit"]).startswith("fcc-15.109-b")


def test_check_names_the_table_left_out(tmp_path: Path) -> None:
    caps, setup = _folder(tmp_path)
    res = CliRunner().invoke(main, ["check", str(caps / "rad.csv"), "--setup", str(setup)])
    assert res.exit_code == 0, res.output
    assert (
        "note: fcc-15.107-b not applied: a conducted limit, and this capture is radiated (dBµV/m)"
    ) in res.output
    alone = ["check", str(caps / "cond_fail.csv"), "--limit", "fcc-15.109-b", "--distance", "3"]
    res = CliRunner().invoke(main, alone)  # the radiated table alone: still refused
    assert res.exit_code == 3, res.output
    assert "radiated limit (dBµV/m) but the capture" in res.output


def test_a_dbuv_scan_reaching_the_radiated_range_keeps_the_antenna_factor_error(
    tmp_path: Path,
) -> None:
    """A receiver export in dBµV to 1 GHz whose antenna factor was forgotten.

    Sorted to the conducted port by its unit alone, it read PASS with its radiated readings
    "not judged"; it has readings inside the radiated table's range, so it keeps the error
    asking for the antenna factor, as with the radiated table alone.
    """
    _, setup = _folder(tmp_path)
    f = np.geomspace(0.15e6, 1000e6, 2000)
    level = np.full(f.shape, 20.0)
    level[np.argmin(np.abs(f - 100e6))] = 60.0
    wide = _csv(tmp_path / "wide.csv", f, level, "dBuV", "peak", 9e3)
    res = CliRunner().invoke(main, ["check", str(wide), "--setup", str(setup)])
    assert res.exit_code == 3, res.output
    assert "no antenna factor was given (--antenna-factor)" in res.output


def test_compare_refuses_a_conducted_and_a_radiated_capture(tmp_path: Path) -> None:
    """Judged against tables of different ports, the sides paired nothing, exit 0."""
    caps, setup = _folder(tmp_path)
    args = ["compare", str(caps / "cond_fail.csv"), str(caps / "rad.csv"), "--setup", str(setup)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 3, res.output
    assert (
        "A is judged against fcc-15.107-b and B against fcc-15.109-b: compare captures of one port"
    ) in res.output


def test_the_batch_summary_marks_a_user_table(tmp_path: Path) -> None:
    """The summary's worst limit read 'lab-15.107 AV' with nothing saying whose."""
    caps, _ = _folder(tmp_path)
    table = tmp_path / "lab.toml"
    shipped = Path(__file__).resolve().parents[2] / "limits" / "fcc-15.107-b.toml"
    table.write_text(
        shipped.read_text(encoding="utf-8").replace('id = "fcc-15.107-b"', 'id = "lab-15.107"'),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["batch", str(caps / "cond_fail.csv"), "--limit-file", str(table), "--out", str(out)]
    res = CliRunner().invoke(main, [*args, "-q", "-j", "1"])
    assert res.exit_code == 1, res.output
    (row,) = json.loads((out / "summary.json").read_text())["rows"]
    assert row["worst_limit"] == "lab-15.107 AV (user table)"


def test_pooled_conducted_captures_are_judged_against_the_conducted_table(tmp_path: Path) -> None:
    """``check --combine`` of two conducted captures under both ports' limits.

    Each member takes its port's tables as a capture judged alone does; the pool is judged
    against the tables some member was judged against. It was an ERROR ("radiated limit ...
    no antenna factor").
    """
    caps, setup = _folder(tmp_path)
    f = np.geomspace(0.15e6, 30e6, 400)
    other = _csv(tmp_path / "cond_pass.csv", f, np.full(f.shape, 20.0), "dBuV", "peak", 9e3)
    args = ["check", str(caps / "cond_fail.csv"), str(other), "--combine", "--setup", str(setup)]
    res = CliRunner().invoke(main, [*args, "-o", "json"])
    assert res.exit_code == 1, res.output
    (cap,) = json.loads(res.stdout)["captures"]
    assert cap["verdict"] == "FAIL"
    assert [lim["id"] for lim in cap["limits"]] == ["fcc-15.107-b"]
