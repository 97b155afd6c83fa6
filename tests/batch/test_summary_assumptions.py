"""A batch row whose verdict takes a dwell or a scale on trust says so in every summary.

A quasi-peak or CISPR-average reading with no stated dwell is judged as settled, and the
capture's check report says ``PASS (ASSUMED DWELL)`` (``docs/verdict.md``, "Settling"); an
I/Q recording with no stated scale is judged at 1 V per unit (``ASSUMED SCALE``). The batch's
text table, ``summary.csv``, ``summary.json``, ``summary_groups.csv`` and ``index.html`` carry
it per row, and the totals never count such a PASS as a plain one (``docs/batch.md``, "What
a verdict takes on trust").
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.batch.assumptions import resting_on
from rfcheck.batch.groups import group_rows
from rfcheck.batch.results import SummaryRow
from rfcheck.cli import main
from rfcheck.outcome import Verdict
from rfcheck.report.summary import count_notes, counts_text, verdict_text


def _capture(path: Path, qp_dbuv: float, dwell: bool) -> None:
    """Write a sweep of 0.15-30 MHz, 5 kHz steps: QP and CISPR-average (10 dB lower) flat."""
    f = np.arange(150e3, 30e6 + 1.0, 5e3)
    head = ["# rbw_hz: 9000", *(["# dwell_s: 1"] if dwell else [])]
    rows = [f"{x:.0f},{qp_dbuv:.2f},{qp_dbuv - 10.0:.2f}" for x in f]
    path.write_text("\n".join([*head, "Frequency (Hz),QP (dBuV),CAVG (dBuV)", *rows]) + "\n")


def _batch(root: Path, out: Path) -> Any:
    argv = ["batch", str(root), "--limit", "fcc-15.107-b", "--out", str(out), "-j", "1"]
    argv += ["--report", "none", "--group-pattern", r"^(?P<unit>u[0-9]+)_"]
    return CliRunner().invoke(main, argv, catch_exceptions=False)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_a_pass_on_unstated_dwell_is_carried_per_row_and_counted_apart(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    _capture(root / "u1_L1.csv", 40.0, dwell=False)
    _capture(root / "u1_L2.csv", 40.0, dwell=True)
    _capture(root / "u2_L1.csv", 40.0, dwell=True)
    res = _batch(root, out)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[1] == "PASS                3   (1 with an assumed dwell)"
    assert "batch verdict: PASS (1 of 3 inputs with an assumed dwell)" in lines

    rows = {Path(r["path"]).name: r for r in _csv(out / "summary.csv")}
    assert list(rows["u1_L1.csv"])[-4:-1] == [  # then data_sha256, added after them
        "assumed_dwell_lines",
        "assumed_dwell_s",
        "assumed_scale",
    ]
    assert rows["u1_L1.csv"]["assumed_dwell_lines"] == "fcc-15.107-b QP;fcc-15.107-b AV"
    assert rows["u1_L1.csv"]["assumed_dwell_s"] == "1.0"
    assert rows["u1_L1.csv"]["assumed_scale"] == "false"
    assert (rows["u1_L2.csv"]["assumed_dwell_lines"], rows["u1_L2.csv"]["assumed_dwell_s"]) == (
        "",
        "",
    )

    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert doc["counts"]["PASS"] == 3 and doc["assumed_dwell_counts"]["PASS"] == 1
    assert doc["assumed_scale_counts"]["PASS"] == 0
    row = next(r for r in doc["rows"] if r["path"].endswith("u1_L1.csv"))
    assert row["assumed_dwell_lines"] == ["fcc-15.107-b QP", "fcc-15.107-b AV"]
    assert (row["assumed_dwell_s"], row["assumed_scale"]) == (1.0, False)

    groups = {g["group"]: g for g in _csv(out / "summary_groups.csv")}
    assert groups["u1"]["assumed_dwell_paths"].endswith("u1_L1.csv")
    assert groups["u2"]["assumed_dwell_paths"] == ""

    html = (out / "index.html").read_text(encoding="utf-8")
    assert "(1 of 3 inputs with an assumed dwell)" in html
    assert "3 PASS (1 with an assumed dwell), 0 FAIL" in html
    assert html.count('<span class="v-PASS">PASS</span> (ASSUMED DWELL)') == 2  # row and unit


def test_a_fail_stands_whatever_the_dwell(tmp_path: Path) -> None:
    """The FAIL row assumes nothing; the PASS beside it still does, and its count says so."""
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    _capture(root / "u1_L1.csv", 70.0, dwell=False)  # QP 70 dBµV: over the 56-66 dBµV limit
    _capture(root / "u2_L1.csv", 40.0, dwell=False)
    res = _batch(root, out)
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert lines[1:3] == [
        "PASS                1   (1 with an assumed dwell)",
        "FAIL                1",
    ]
    assert "batch verdict: FAIL" in lines
    rows = {Path(r["path"]).name: r for r in _csv(out / "summary.csv")}
    assert rows["u1_L1.csv"]["verdict"] == "FAIL" and rows["u1_L1.csv"]["assumed_dwell_lines"] == ""


def _row(path: str, verdict: Verdict, *, dwell: bool = False, scale: bool = False) -> SummaryRow:
    return SummaryRow(
        path,
        None,
        "sigmf",
        verdict,
        assumed_dwell_lines=("fcc-15.107-b QP",) if dwell else (),
        assumed_dwell_s=1.0 if dwell else None,
        assumed_scale=scale,
    )


def test_a_fail_rests_on_an_assumed_scale_only_when_every_fail_does() -> None:
    """Levels at a recording's default scale may be too high: a FAIL on them is qualified."""
    scaled = [_row("a", Verdict.FAIL, scale=True), _row("b", Verdict.PASS, scale=True)]
    assert verdict_text(scaled) == "FAIL (1 of 2 inputs with an assumed scale)"
    assert count_notes(scaled, "FAIL") == "(1 with an assumed scale)"
    assert counts_text(scaled).startswith(
        "1 PASS (1 with an assumed scale), 1 FAIL (1 with an assumed scale), 0 INCONCLUSIVE"
    )
    stated = [*scaled, _row("c", Verdict.FAIL)]  # one FAIL at a stated scale decides
    assert verdict_text(stated) == "FAIL"
    assert resting_on(stated, Verdict.FAIL, "ASSUMED SCALE") == []


def test_both_assumptions_qualify_a_pass_and_its_unit() -> None:
    rows = [_row("u1_a", Verdict.PASS, dwell=True), _row("u1_b", Verdict.PASS, scale=True)]
    assert verdict_text(rows) == (
        "PASS (1 of 2 inputs with an assumed dwell, 1 of 2 inputs with an assumed scale)"
    )
    import re

    _, groups = group_rows(rows, ["u1_a", "u1_b"], re.compile(r"^(?P<unit>u[0-9]+)_"))
    assert groups[0].assumed == ("ASSUMED DWELL", "ASSUMED SCALE")
    assert (groups[0].assumed_dwell_paths, groups[0].assumed_scale_paths) == (("u1_a",), ("u1_b",))


@pytest.mark.parametrize("key", ["assumed_dwell_lines", "assumed_dwell_s", "assumed_scale"])
def test_a_row_saved_without_what_it_assumes_is_not_reused(key: str) -> None:
    """The resume state of an earlier rfcheck: its PASS must be recomputed, never reused plain."""
    doc = _row("a", Verdict.PASS, dwell=True).to_json()
    assert SummaryRow.from_json(doc) == _row("a", Verdict.PASS, dwell=True)
    del doc[key]
    with pytest.raises(KeyError):
        SummaryRow.from_json(doc)
