"""A batch row whose PASS holds over a requested range only says so in every summary.

``range_hz`` / ``--range`` narrower than the lines' required range (fcc-15.109-b is required
to 40 GHz when the highest frequency is not stated): the check PDF says ``REQUESTED RANGE:
PASS over 30-1000 MHz only ...``; the batch's text table, ``summary.csv``, ``summary.json``,
``summary_groups.csv`` and ``index.html`` say the same, and the totals count such a PASS
with its qualifier (``docs/batch.md``, "Requested range").
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

PAIR = Path(__file__).resolve().parents[2] / "sample_captures" / "before_after"
SETUP = PAIR / "setup.toml"  # range_hz = [30e6, 1000e6]
SCOPE = "over 30-1000 MHz only, the requested range; the lines are required over 30-40000 MHz"


def _batch(out: Path, *args: str) -> Any:
    argv = ["batch", str(PAIR), "--setup", str(SETUP), "--out", str(out), "-j", "1"]
    return CliRunner().invoke(main, [*argv, "--report", "none", *args], catch_exceptions=False)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_a_range_limited_pass_is_counted_with_its_qualifier(tmp_path: Path) -> None:
    res = _batch(tmp_path / "out")
    assert res.exit_code == 1  # the 'before' capture fails
    lines = res.stdout.splitlines()
    assert lines[:3] == [
        "verdict        inputs",
        "PASS                1   (1 over a requested range only)",
        "FAIL                1",
    ]
    assert "batch verdict: FAIL" in lines


def test_an_all_pass_batch_over_a_requested_range_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = _batch(out, "--include", "*after*", "--group-pattern", "(?P<unit>rig)")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[1] == "PASS                1   (1 over a requested range only)"
    assert "batch verdict: PASS (1 of 1 inputs over a requested range only)" in lines

    (row,) = _csv(out / "summary.csv")
    assert list(row)[-9:-6] == ["judged_range_hz", "required_range_hz", "requested_range"]
    assert (row["verdict"], row["coverage"]) == ("PASS", "complete")  # old cells unchanged
    assert row["judged_range_hz"] == "30000000.0-1000000000.0"
    assert row["required_range_hz"] == "30000000.0-40000000000.0"
    assert row["requested_range"] == f"PASS {SCOPE}"
    (group,) = _csv(out / "summary_groups.csv")
    assert group["requested_range"] == f"PASS {SCOPE}"

    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert doc["counts"]["PASS"] == 1
    assert doc["pass_requested_range_only"] == 1
    (jrow,) = doc["rows"]
    assert jrow["judged_range_hz"] == [30e6, 1000e6]
    assert jrow["required_range_hz"] == [30e6, 40e9]
    assert jrow["requested_range"] == f"PASS {SCOPE}"
    assert doc["groups"][0]["requested_range"] == f"PASS {SCOPE}"

    page = (out / "index.html").read_text(encoding="utf-8")
    assert (
        'Verdict: <span class="v-PASS">PASS</span> (1 of 1 inputs over a requested range only)'
        " &mdash; 1 inputs: 1 PASS (1 over a requested range only), 0 FAIL," in page
    )
    assert "<td>complete, 30-1000 MHz only</td>" in page
    assert f'<span class="v-PASS">PASS</span><br>{SCOPE}</td>' in page


def test_a_whole_range_pass_has_no_qualifier(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = _batch(out, "--include", "*after*", "--highest-frequency", "100M")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[1] == "PASS                1"
    assert "batch verdict: PASS" in lines
    (row,) = _csv(out / "summary.csv")
    assert (row["judged_range_hz"], row["requested_range"]) == ("", "")
    assert row["required_range_hz"] == "30000000.0-1000000000.0"
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert doc["pass_requested_range_only"] == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "requested range" not in page
    assert "1 inputs: 1 PASS, 0 FAIL," in page


def test_a_summary_row_keeps_its_ranges_across_a_resume() -> None:
    from rfcheck.batch.results import SummaryRow
    from rfcheck.outcome import Verdict

    row = SummaryRow(
        "a.csv",
        None,
        None,
        Verdict.PASS,
        judged_range_hz=(30e6, 1e9),
        required_range_hz=(30e6, 4e10),
    )
    assert SummaryRow.from_json(row.to_json()) == row
    assert row.requested_range == f"PASS {SCOPE}"
    old = {k: v for k, v in row.to_json().items() if "range" not in k}  # a row saved before
    assert SummaryRow.from_json(old).judged_range_hz is None


@pytest.mark.parametrize(
    "bad", [[30e6], [30e6, 1e9, 2e9], "ab", [True, 1e9], ["30e6", 1e9], [30e6, float("nan")], 5]
)
def test_a_saved_row_with_a_malformed_range_is_refused(bad: object) -> None:
    """A resume state whose range is not two finite numbers is malformed (input re-analysed).

    ``"ab"`` unpacked into two characters and failed at ``float``, but ``[True, 1e9]`` and
    ``["30e6", 1e9]`` were read as ranges, and a NaN stood in a PASS's "requested range".
    """
    from rfcheck.batch.results import SummaryRow
    from rfcheck.outcome import Verdict

    doc = SummaryRow("a.csv", None, None, Verdict.PASS, judged_range_hz=(30e6, 1e9)).to_json()
    doc["judged_range_hz"] = bad
    with pytest.raises(ValueError, match="a range must be"):
        SummaryRow.from_json(doc)
