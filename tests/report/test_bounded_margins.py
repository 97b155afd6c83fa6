"""A margin computed from a bound on the level is printed as the opposite bound on the margin.

``margin = limit - level``: a lower bound on the level (a short record's reading) is an upper
bound on the margin (``≤ +36.68 dB``), an upper bound on the level (a peak reading against a
QP line) a lower bound on it (``≥ -7.13 dB``). Every human-readable output says so; JSON and
CSV keep the number and the level's bound beside it (docs/verdict.md, "Worst margin").
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.text import Annotation

from rfcheck.analysis import run_check
from rfcheck.batch.groups import group_rows
from rfcheck.batch.results import SummaryRow, row_from_capture
from rfcheck.cli import main
from rfcheck.outcome import Bound
from rfcheck.report import _common as C
from rfcheck.report.plots import margin_figure
from rfcheck.report.summary import write_summary
from rfcheck.results import CaptureResult
from rfcheck.settings import CheckSettings

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
BURST = SAMPLES / "conducted" / "rig_L1_burst"
PRESCAN = SAMPLES / "conducted" / "rig_L1_peak_keysight.csv"
#: the sample recording's first 0.1 s (200 kHz): every receiver reading a lower bound
CUT_SAMPLES = 20_000


@pytest.mark.parametrize(
    ("margin_db", "bound", "text"),
    [
        (36.7, Bound.LOWER, "\u2264 +36.70"),
        (-7.13, Bound.UPPER, "\u2265 -7.13"),
        (2.71, Bound.MEASURED, "+2.71"),
        (2.71, Bound.NONE, "+2.71"),
        (2.71, None, "+2.71"),
        (2.71, "lower bound", "\u2264 +2.71"),
        (None, Bound.LOWER, "\u2013"),
    ],
)
def test_fmt_margin_states_the_bound_on_the_margin(
    margin_db: float | None, bound: Bound | str | None, text: str
) -> None:
    assert C.fmt_margin(margin_db, bound) == text


def _cut(tmp_path: Path) -> Path:
    """Write the sample burst recording cut to its first 0.1 s (shorter than QP settles in)."""
    meta = json.loads(BURST.with_suffix(".sigmf-meta").read_text(encoding="utf-8"))
    data = np.fromfile(BURST.with_suffix(".sigmf-data"), dtype="<c8")[:CUT_SAMPLES]
    meta["global"] = {k: v for k, v in meta["global"].items() if k != "core:sha512"}
    meta["annotations"] = []
    (tmp_path / "cut.sigmf-data").write_bytes(data.astype("<c8").tobytes())
    path = tmp_path / "cut.sigmf-meta"
    path.write_text(json.dumps(meta), encoding="utf-8")
    return path


def _check(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["check", *args, "--limit", "fcc-15.107-b"])
    return res.exit_code, res.stdout


def test_text_output_of_a_short_record_prints_its_margins_as_upper_bounds(
    tmp_path: Path,
) -> None:
    code, out = _check(str(_cut(tmp_path)))
    assert code == 4
    rows = [ln for ln in out.splitlines() if ln.startswith("   fcc-15.107-b ")]
    assert rows == [
        # a final measurement between grid points (rfcheck.receiver.finals) decides QP
        "   fcc-15.107-b            QP    quasi-peak     INCONCLUSIVE  \u2264 +36.68 dB   "
        "1.36538 MHz     lower bound",
        "   fcc-15.107-b            AV    cispr-average  INCONCLUSIVE  \u2264 +31.17 dB   "
        "1.302 MHz       lower bound",
    ]


def test_json_and_csv_keep_the_margin_a_number_with_its_bound(tmp_path: Path) -> None:
    path = str(_cut(tmp_path))
    _, out = _check(path, "-o", "json")
    checks = {c["line"]: c for c in json.loads(out)["captures"][0]["checks"]}
    assert (checks["QP"]["worst_margin_db"], checks["QP"]["worst_bound"]) == (
        36.68,
        "lower bound",
    )
    _, out = _check(path, "-o", "csv")
    rows = {r["line"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["QP"]["worst_margin_db"], rows["QP"]["worst_bound"]) == ("36.68", "lower bound")


def _cut_capture(tmp_path: Path) -> CaptureResult:
    run = run_check([_cut(tmp_path)], CheckSettings(limit_ids=("fcc-15.107-b",)))
    return run.captures[0]


def test_headline_table_and_plot_box_print_the_margin_bound(tmp_path: Path) -> None:
    cap = _cut_capture(tmp_path)
    assert C.verdict_summary(cap)[0] == (
        "Worst margin \u2264 +31.17 dB at 1.30200 MHz against fcc-15.107-b AV (lower bound)."
    )
    assert [C.check_row(k)[4] for k in cap.checks] == ["\u2264 +36.68", "\u2264 +31.17"]
    assert C.summary_row(1, cap)[5] == "\u2264 +31.17"
    texts = [t.get_text() for t in margin_figure(cap).axes[0].texts]
    assert "worst: \u2264 +31.17 dB at 1.30200 MHz (fcc-15.107-b AV, lower bound)" in texts


def test_suspects_of_a_peak_prescan_print_their_margins_as_lower_bounds() -> None:
    settings = CheckSettings(limit_ids=("fcc-15.107-b",), max_suspects=4)
    cap = run_check([PRESCAN], settings).captures[0]
    assert {s.bound for s in cap.suspects} == {Bound.UPPER}
    rows = C.suspect_rows(cap.suspects, "dBµV")
    assert all(str(r[6]).startswith("\u2265 ") for r in rows)
    ax = margin_figure(cap).axes[0]
    labels = [c.get_text() for c in ax.get_children() if isinstance(c, Annotation)]
    lines = [ln for t in labels for ln in t.split("\n")]  # "AV ≥ -16.8 dB": its line named
    assert lines and all(
        ln.split(" ", 1)[1].startswith("\u2265 ") and ln.endswith(" dB") for ln in lines
    )


def test_batch_summary_names_the_bound_and_its_page_prints_it(tmp_path: Path) -> None:
    cap = _cut_capture(tmp_path)
    rows, groups = group_rows(
        [row_from_capture(cap, path="rig/cut.sigmf-meta", sha256=None)],
        ["rig/cut.sigmf-meta"],
        re.compile(r"(?P<unit>[^/]+)/"),
    )
    out = tmp_path / "out"
    write_summary(out, rows, groups, pattern="(?P<unit>[^/]+)/")
    (row,) = csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8")))
    assert (row["worst_margin_db"], row["worst_bound"]) == ("31.17", "lower bound")
    (group,) = csv.DictReader(io.StringIO((out / "summary_groups.csv").read_text(encoding="utf-8")))
    assert group["worst_bound"] == "lower bound"
    assert SummaryRow.from_json(rows[0].to_json()) == rows[0]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count(">\u2264 +31.17 dB</td>") == 2  # the unit and the capture
