"""The summary's ``levels`` column: where each capture's judged levels come from.

The same value as the last column of the capture's own ``check`` CSV
(:attr:`rfcheck.results.CaptureResult.levels_origin`): ``instrument`` for an analyser's
readings, ``receiver model`` for levels rfcheck's receiver computed from an I/Q recording,
empty for an input that could not be read (docs/batch.md, "Summary rows").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from rfcheck.batch import run_batch
from rfcheck.batch.results import SummaryRow, row_from_capture
from rfcheck.outcome import Verdict
from rfcheck.plotted import PlotTrace
from rfcheck.report.summary import SUMMARY_COLUMNS
from rfcheck.results import CaptureResult
from rfcheck.settings import CheckSettings, Setup


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_levels_is_the_last_summary_column_after_the_earlier_ones() -> None:
    """Then what the verdict takes on trust, added after them (``docs/batch.md``)."""
    assert SUMMARY_COLUMNS[-7:-4] == ("requested_range", "levels", "scale")


def test_summary_rows_say_where_the_levels_come_from(
    tmp_path: Path, sigmf_cw: Callable[..., Path], batch_tree: ModuleType
) -> None:
    root = tmp_path / "in"
    sigmf_cw(root)
    batch_tree.passing(root / "a.csv")
    (root / "empty.csv").write_text("", encoding="utf-8")
    setup = Setup(check=CheckSettings(limit_ids=("fcc-15.107-b",)))
    out = tmp_path / "out"
    result = run_batch([root], out, setup=setup, formats=("csv",), jobs=1)
    by_name = {Path(r.path).name: r for r in result.rows}
    assert {n: r.levels for n, r in by_name.items()} == {
        "a.csv": "instrument",
        "rec.sigmf-meta": "receiver model",
        "empty.csv": "",
    }
    summary = {Path(r["path"]).name: r["levels"] for r in _csv(out / "summary.csv")}
    assert summary == {n: r.levels for n, r in by_name.items()}
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {Path(r["path"]).name: r["levels"] for r in doc["rows"]} == summary
    for name in ("a.csv", "rec.sigmf-meta"):  # the same words as the capture's check CSV
        (report,) = [out / rep for rep in by_name[name].reports if rep.endswith(".csv")]
        assert {rec["levels"] for rec in _csv(report)} == {summary[name]}

    scales = {Path(r["path"]).name: r["scale"] for r in _csv(out / "summary.csv")}
    assert scales == {
        "a.csv": "",
        "rec.sigmf-meta": "default 1 V per sample value 1.0",
        "empty.csv": "",
    }
    again = run_batch([root], out, setup=setup, formats=("csv",), jobs=1)
    assert (again.computed, again.reused) == (0, 3)  # a reused row keeps its levels
    assert {Path(r["path"]).name: r["levels"] for r in _csv(out / "summary.csv")} == summary


def test_a_pooled_capture_says_both() -> None:
    f = np.array([1e6, 2e6])
    level = np.array([40.0, 40.0])
    traces = (
        PlotTrace("T1", "peak", f, level, "dBµV"),
        PlotTrace("QP", "quasi-peak", f, level, "dBµV", computed_from="rec.sigmf-meta"),
    )
    cap = CaptureResult("x", None, "generic", Verdict.PASS, plot_traces=traces)
    row = row_from_capture(cap, path="x", sha256=None)
    assert row.levels == "instrument and receiver model"
    assert SummaryRow.from_json(row.to_json()) == row


@pytest.mark.parametrize("levels", ["analyser", None])
def test_a_saved_row_with_unknown_levels_is_refused(levels: object) -> None:
    doc = SummaryRow("x", None, None, Verdict.ERROR, coverage="none").to_json()
    with pytest.raises(ValueError, match="levels must be one of"):
        SummaryRow.from_json({**doc, "levels": levels})


def test_the_batch_contract_lists_the_summary_columns_in_order() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "batch.md").read_text("utf-8")
    section = text.split("## Summary rows", 1)[1]
    listed = section.split("```text", 1)[1].split("```", 1)[0]
    assert tuple(c.strip() for c in listed.split(",")) == SUMMARY_COLUMNS
