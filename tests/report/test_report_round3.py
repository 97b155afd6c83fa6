"""Test the round-3 user-audit fixes.

One "worst" everywhere (the deciding line), group worst member,
ERROR coverage "none", batch stderr per unreadable input, "no limit applies" message,
backend-independent display paths, report cosmetics (settings names, limit block, labels).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from matplotlib.text import Annotation

from rfcheck.analysis import run_check
from rfcheck.batch import run_batch
from rfcheck.batch.results import SummaryRow, group_rows, row_from_capture
from rfcheck.capture import parse_detector
from rfcheck.cli import main
from rfcheck.report import _common as C
from rfcheck.report.plots import margin_figure
from rfcheck.report.summary import write_summary
from rfcheck.results import CaptureResult, LineCheck, Verdict
from rfcheck.settings import CheckSettings, Rule, Setup

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_captures"


def _chk(
    line: str, verdict: Verdict, margin: float, f: float, bound: str = "measured"
) -> LineCheck:
    from rfcheck.results import Bound

    return LineCheck("fcc-15.109-b", line, "d", verdict, margin, f, Bound(bound))


def _fail_with_worse_inconclusive() -> CaptureResult:
    return CaptureResult(
        path="x.csv",
        sha256=None,
        format="csv",
        verdict=Verdict.FAIL,
        checks=(
            _chk("QP", Verdict.INCONCLUSIVE, -28.0, 84.783e6, "upper bound"),
            _chk("PK", Verdict.FAIL, -2.35, 2973.91e6),
        ),
    )


# --- 1. the deciding line is the one "worst" quoted --------------------------------------
def test_headline_and_plot_quote_the_deciding_line() -> None:
    cap = _fail_with_worse_inconclusive()
    assert C.verdict_summary(cap)[0] == (
        f"Worst margin -2.35 dB at {C.fmt_freq_mhz(2973.91e6)} MHz"
        " against fcc-15.109-b PK (measured)."
    )
    assert C.worst_check(cap) is cap.checks[1]
    texts = [t.get_text() for a in margin_figure(cap).axes for t in a.texts]
    worst = [t for t in texts if t.startswith("worst:")]
    assert len(worst) == 1 and "-2.35 dB" in worst[0] and "fcc-15.109-b PK" in worst[0]


def test_real_fail_pdf_banner_and_plot(tmp_path: Path, real_capture) -> None:  # type: ignore[no-untyped-def]
    from rfcheck.report import write_reports

    path = real_capture("agilent_n9340b_TST_0-3G.CSV")
    settings = CheckSettings(limit_ids=("fcc-15.109-b",)).override(
        antenna_factor=15.0, cable_loss=(1.5,), detector=parse_detector("peak")
    )
    run = run_check([path], settings)
    cap = run.captures[0]
    assert cap.verdict is Verdict.FAIL
    head = C.verdict_summary(cap)[0]
    assert (
        head.startswith("Worst margin -2.35 dB at 2973.9") and "fcc-15.109-b PK (measured)" in head
    )
    fig = margin_figure(cap)
    ax = fig.axes[0]
    worst = [t.get_text() for t in ax.texts if t.get_text().startswith("worst:")]
    assert worst and "-2.35 dB" in worst[0] and "PK" in worst[0]
    # labels stay inside the axes and clear of the legend; no legend entry is cut
    fig.canvas.draw()
    r = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = ax.get_window_extent(r)
    legend = ax.get_legend()
    assert legend is not None
    lb = legend.get_window_extent(r)
    for ann in [c for c in ax.get_children() if isinstance(c, Annotation)]:
        bb = ann.get_window_extent(r)
        assert box.x0 - 1 <= bb.x0 and bb.x1 <= box.x1 + 1 and bb.y1 <= box.y1 + 1
        assert not bb.overlaps(lb)
    entries = [t.get_text() for t in legend.get_texts()]
    assert "fcc-15.109-b QP limit" in entries and "fcc-15.109-b PK limit" in entries
    written = {Path(p).suffix: Path(p) for p in write_reports(run, tmp_path, ("html", "pdf"), None)}
    html = written[".html"].read_text("utf-8")
    assert "Worst margin -2.35 dB" in html and "Worst margin -28.00" not in html
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(written[".pdf"]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "OVERALL RESULT: FAIL" in text and "Worst margin -2.35 dB" in text
        assert "-28.00 dB at" not in text.split("Capture 1 of 1")[0]
        assert "INCONCLUSIVE" in text and not re.search(r"INCONCLUS?I?V?\s*\n", text)
        assert "Regulation (clause)" in text and "Setting: format" in text
        assert "setting: fmt" not in text and "unconfirmed: none" not in text


# --- 2. group worst = the member deciding the group's verdict -----------------------------
def test_group_worst_is_the_deciding_member() -> None:
    rows = [
        SummaryRow("a_L1.csv", None, "csv", Verdict.INCONCLUSIVE, -17.13, 1.389e6, "x AV"),
        SummaryRow("a_V.DAT", None, "rs", Verdict.FAIL, -3.23, 375e6, "y QP"),
        SummaryRow("a_H.csv", None, "csv", Verdict.FAIL, -1.0, 400e6, "y QP"),
        SummaryRow("b_err.csv", None, None, Verdict.ERROR, coverage="none", error="bad"),
        SummaryRow("b_ok.csv", None, "csv", Verdict.PASS, 3.0, 1e6, "x QP", coverage="complete"),
    ]
    _, groups = group_rows(rows, [r.path for r in rows], re.compile(r"(?P<unit>[ab])_"))
    a, b = groups
    assert (a.verdict, a.worst_path, a.worst_margin_db, a.worst_limit) == (
        Verdict.FAIL,
        "a_V.DAT",
        -3.23,
        "y QP",
    )
    assert (b.verdict, b.worst_path, b.worst_margin_db) == (Verdict.ERROR, "b_err.csv", None)


def test_readme_batch_group_points_at_the_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rfcheck.settings import load_setup

    monkeypatch.chdir(REPO)
    res = run_batch(
        ["sample_captures"],
        tmp_path / "rr",
        setup=load_setup("sample_captures/rig-setup.toml"),
        jobs=1,
        formats=(),
    )
    (g,) = res.groups
    assert g.verdict is Verdict.FAIL and g.worst_path.endswith("rig_3m_V_30M-1G_rs.DAT")
    assert g.worst_margin_db == -3.23
    with (tmp_path / "rr" / "summary_groups.csv").open(encoding="utf-8", newline="") as fh:
        (rec,) = list(csv.DictReader(fh))
    assert (
        rec["worst_path"].endswith("rig_3m_V_30M-1G_rs.DAT") and rec["worst_margin_db"] == "-3.23"
    )


# --- 3. ERROR coverage is "none" ---------------------------------------------------------
def test_error_coverage_is_none(tmp_path: Path) -> None:
    bad = tmp_path / "junk.csv"
    bad.write_text("nonsense\n")
    cap = run_check([bad], CheckSettings(limit_ids=("fcc-15.107-b",))).captures[0]
    assert cap.verdict is Verdict.ERROR and cap.coverage == "none"
    assert cap.to_json()["coverage"] == "none"
    row = row_from_capture(cap, path=str(bad), sha256=None)
    assert row.coverage == "none"
    write_summary(tmp_path / "s", [row], [])
    doc = json.loads((tmp_path / "s" / "summary.json").read_text("utf-8"))
    assert doc["coverage"] == "none" and doc["rows"][0]["coverage"] == "none"
    assert SummaryRow.from_json(doc["rows"][0]) == row


# --- 4. one stderr line per unreadable input ----------------------------------------------
def test_batch_stderr_names_each_unreadable_file(tmp_path: Path) -> None:
    out = tmp_path / "bad"
    r = CliRunner().invoke(
        main,
        ["batch", str(SAMPLES / "malformed"), "--limit", "fcc-15.107-b", "--out", str(out), "-q"],
    )
    assert r.exit_code == 3
    lines = r.stderr.splitlines()
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert {x["coverage"] for x in doc["rows"]} == {"none"}
    errs = [ln for ln in lines if ln.startswith("rfcheck: error: ")]
    assert len(errs) == len(doc["rows"]) == 7
    assert f"rfcheck: error: {SAMPLES / 'malformed'}/empty.csv: file is empty" in errs
    assert any(re.search(r"nonmonotonic_keysight\.csv: line 87: ", ln) for ln in errs)
    assert lines[-1].startswith("rfcheck: 7 input(s) could not be read or analysed")
    assert lines.index(errs[-1]) < len(lines) - 1


# --- 5. "no limit applies" names the setup and the path -----------------------------------
def test_no_rule_matches_says_so(tmp_path: Path, batch_tree: ModuleType) -> None:
    root = tmp_path / "in"
    batch_tree.passing(root / "conducted/a.csv")
    batch_tree.passing(root / "transducers/x.csv")
    setup = Setup(
        path=tmp_path / "setup.toml",
        rules=(Rule("conducted/*", {"limit_ids": (batch_tree.LIMIT,)}),),
    )
    res = run_batch([root], tmp_path / "out", setup=setup, jobs=1, formats=())
    got = {Path(r.path).relative_to(root).as_posix(): r for r in res.rows}
    assert got["conducted/a.csv"].verdict is Verdict.PASS
    row = got["transducers/x.csv"]
    assert row.verdict is Verdict.ERROR and row.coverage == "none"
    assert row.error == (
        f"no limit applies: no [[rule]] in {(tmp_path / 'setup.toml').as_posix()} matches "
        "'transducers/x.csv' and [check] names no limit (use --limit, or add a rule)"
    )


# --- 6. the same display paths whatever the backend ---------------------------------------
def test_dask_rows_and_reports_show_local_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_tree: ModuleType
) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)
    batch_tree.passing(Path("in/a.csv"))
    batch_tree.failing(Path("in/b.csv"))
    opts = {"overrides": {"limit_ids": (batch_tree.LIMIT,)}, "formats": ("json",)}
    local = run_batch(["in"], "out_local", jobs=1, **opts)  # type: ignore[arg-type]
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        remote = run_batch(["in"], "out_dask", scheduler=cluster.scheduler_address, **opts)  # type: ignore[arg-type]
    assert [r.path for r in remote.rows] == [r.path for r in local.rows] == ["in/a.csv", "in/b.csv"]
    assert Path("out_dask/summary.csv").read_text("utf-8") == Path(
        "out_local/summary.csv"
    ).read_text("utf-8")
    for row in remote.rows:
        doc = json.loads((Path("out_dask") / row.reports[0]).read_text("utf-8"))
        assert doc["captures"][0]["path"] == row.path
        assert str(tmp_path) not in json.dumps(doc["captures"][0])


# --- 7. cosmetics ------------------------------------------------------------------------
def test_settings_rows_use_user_facing_names() -> None:
    names = [
        k
        for k, _ in C.settings_rows(
            {
                "fmt": "csv",
                "limit_ids": ["x"],
                "lisn": None,
                "suspect_window_db": 6.0,
                "attenuator_db": 10,
            }
        )
    ]
    assert names == ["attenuator [dB]", "format", "limits", "LISN", "suspect window [dB]"]


def test_limit_block_is_a_readable_table() -> None:
    lim = {
        "id": "fcc-15.109-b", "title": "T", "source": "47 CFR 15.109(a)", "edition": "E",
        "retrieved": "2026-11-26", "port": "radiated", "distance_m": 3.0,
        "measurement_distance_m": None, "distance_note": "no conversion", "status": "D",
        "unconfirmed": [], "path": "rfcheck.limit_tables/fcc-15.109-b.toml", "sha256": "ab12",
        "lines": {"QP": "quasi-peak"}, "unit": "dBµV/m", "edge_rule": "tighter",
    }  # fmt: skip
    _, title, rows, unconfirmed = C.describe_limit(lim)
    assert title == "T" and not unconfirmed
    assert rows == [
        ("Title", "T"),
        ("Regulation (clause)", "47 CFR 15.109(a)"),
        ("Text checked", "2026-11-26"),
        ("Edition and sources", "E"),
        ("Port", "radiated"),
        ("Distance and conversion", "3 m; no conversion"),
        ("Status", "D"),
        (
            "File + SHA-256",
            "limits/fcc-15.109-b.toml (installed as rfcheck.limit_tables/fcc-15.109-b.toml)  ab12",
        ),
    ]
    assert C.describe_limit({"id": "u", "unconfirmed": ["QP is UNCONFIRMED"]})[3]
