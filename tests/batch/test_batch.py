"""rfcheck.batch API: discovery, safe names, summary row by row, grouping, resume, executors."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import TypedDict

import pytest

import rfcheck.batch as batch
import rfcheck.batch.job as batch_job
from rfcheck.analysis import run_check
from rfcheck.batch import (
    CAPTURES_DIR,
    OUTPUT_MARKER,
    STATE_FILE,
    BatchInput,
    OutputFolderError,
    capture_folder_names,
    discover,
    discover_inputs,
    glob_match,
    run_batch,
)
from rfcheck.batch.discover import compile_group_pattern, group_key
from rfcheck.batch.groups import group_rows
from rfcheck.batch.results import SummaryRow, row_from_capture
from rfcheck.outcome import Verdict
from rfcheck.report import csv_cell
from rfcheck.report.summary import write_summary
from rfcheck.settings import CheckSettings, Rule, Setup, load_setup
from rfcheck.textsafe import printable

GROUPS = r"(?P<unit>.+?)_(?:L1|N)\b"


class BatchOptions(TypedDict, total=False):
    """Keyword arguments of :func:`run_batch` that one test passes to several calls."""

    overrides: Mapping[str, object]
    group_pattern: str


@pytest.fixture
def shipment(tmp_path: Path, batch_tree: ModuleType) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "shipment"
    return root, batch_tree.make_tree(root)


@pytest.fixture
def setup_file(tmp_path: Path, batch_tree: ModuleType) -> Path:
    p = tmp_path / "setup.toml"
    p.write_text(
        f"[check]\nlimits = [\"{batch_tree.LIMIT}\"]\n[batch]\ngroup_pattern = '{GROUPS}'\n",
        encoding="utf-8",
    )
    return p


def _rel(row_path: str, root: Path) -> str:
    return Path(row_path).relative_to(root).as_posix()


# --------------------------------------------------------------------------- discovery
def test_glob_rules() -> None:
    assert glob_match("a/b/c.csv", "**/*")
    assert glob_match("c.csv", "**/*")
    assert glob_match("a/b/c.csv", "*.csv")  # no '/': the file name
    assert not glob_match("a/b/c.txt", "*.csv")
    assert glob_match("malformed/x.csv", "malformed/*")
    assert not glob_match("malformed/sub/x.csv", "malformed/*")
    assert glob_match("malformed/sub/x.csv", "malformed/**")
    assert glob_match("a/rig1/x.csv", "**/rig?/*.csv")
    assert glob_match("x1.csv", "x[0-9].csv") and not glob_match("xa.csv", "x[!a-z].csv")


def test_a_name_with_a_newline_is_found_by_every_glob(tmp_path: Path) -> None:
    """The pattern "**" did not span a newline: such a capture was silently left out."""
    assert glob_match("a\nb/cap.csv", "**/*") and glob_match("odd/new\nline.csv", "odd/**")
    (tmp_path / "a\nb").mkdir()
    (tmp_path / "a\nb" / "cap.csv").write_text("x\n")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "cap.csv").write_text("x\n")
    assert len(discover([tmp_path])) == 2
    assert len(discover([tmp_path], include=["**"])) == 2


def test_discover_sorted_skips_hidden_and_pairs_sigmf(tmp_path: Path) -> None:
    for rel in ("b/2.csv", "a/1.csv", "a/10.csv", ".x/3.csv", "a/.4.csv", "s/r.sigmf-data"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / "s/r.sigmf-meta").write_text("{}")
    (tmp_path / "s/lone.sigmf-data").write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a/1.csv", "a/10.csv", "b/2.csv", "s/lone.sigmf-data", "s/r.sigmf-meta"]
    assert [p.name for p in discover([tmp_path], exclude=["a/*", "*.sigmf-*"])] == ["2.csv"]
    assert [p.name for p in discover([tmp_path], include=["b/**"])] == ["2.csv"]
    # a file named directly, overlapping roots and skipped paths count once / not at all
    items = discover_inputs([tmp_path / "b/2.csv", tmp_path], skip=[tmp_path / "s"])
    assert [i.rel for i in items] == ["2.csv", "a/1.csv", "a/10.csv"]


def test_folder_names_are_safe_and_unique(tmp_path: Path) -> None:
    def item(root: str, rel: str) -> BatchInput:
        return BatchInput(path=Path(root) / rel, root=Path(root), rel=rel)

    items = [
        item("r1", "conducted/rig1/L1.csv"),
        item("r1", "a.csv"),
        item("r2", "a.csv"),  # same relative path under another root
        item("r1", "A.CSV"),  # collides case-insensitively
        item("r1", "x/../../..//etc/passwd"),
        item("r1", "C:\\Windows\\evil.csv"),
        item("r1", "-rf\x00\x1b[31m\n.csv"),
        item("r1", "CON.csv"),
        item("r1", "n" * 400 + ".csv"),
        item("r1", ".."),
    ]
    names = capture_folder_names(items)
    assert names[0] == "conducted__rig1__L1.csv"
    assert len({n.lower() for n in names}) == len(names)
    assert names[1].startswith("a.csv-") and names[2].startswith("a.csv-")
    for n in names:
        assert n not in ("", ".", "..") and not n.startswith((".", "-"))
        assert all(c.isascii() and (c.isalnum() or c in "._-+") for c in n), n
        assert len(n) <= 120
        folder = (tmp_path / n).resolve()
        assert folder.parent == tmp_path.resolve()
    assert names[7].startswith("_CON")
    assert capture_folder_names(items) == names  # deterministic


def test_csv_cells_are_neutralised() -> None:
    assert csv_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert [csv_cell(x) for x in ("+1", "-1", "@x", "\tx", "ok")] == [  # tab also escaped
        "'+1",
        "'-1",
        "'@x",
        "'\\tx",
        "ok",
    ]
    assert csv_cell(-3.25) == -3.25 and csv_cell(None) == ""


def test_group_key_rule() -> None:
    rx = compile_group_pattern(GROUPS)
    assert rx is not None
    assert group_key("conducted/dut7_L1.csv", rx) == "dut7"
    assert group_key("radiated/dut7_N.csv", rx) == "dut7"
    assert group_key("dut7_H.csv", rx) is None
    by_folder = compile_group_pattern(r"^(?P<unit>[^/]+)/")
    assert by_folder is not None and group_key("unit9/L1.csv", by_folder) == "unit9"
    with pytest.raises(ValueError, match="named group"):
        compile_group_pattern("(.+)_L1")
    with pytest.raises(ValueError, match="not a valid regex"):
        compile_group_pattern("(?P<unit>")


# --------------------------------------------------------------------------- the batch
def test_batch_summary_row_by_row(
    shipment: tuple[Path, dict[str, str]], setup_file: Path, tmp_path: Path, batch_tree: ModuleType
) -> None:
    root, expected = shipment
    out = tmp_path / "out"
    result = run_batch([root], out, setup=load_setup(setup_file), jobs=1)

    got = {_rel(r.path, root): r for r in result.rows}
    assert set(got) == set(expected)  # every input, nothing hidden
    assert {k: r.verdict.value for k, r in got.items()} == expected
    assert result.verdict is Verdict.FAIL and result.exit_code == 1
    assert result.counts == {"PASS": 5, "FAIL": 1, "INCONCLUSIVE": 1, "INCOMPLETE": 0, "ERROR": 4}

    fail = got["conducted/dut1_N.csv"]
    assert fail.worst_margin_db is not None and fail.worst_margin_db < 0
    assert fail.worst_limit.startswith(batch_tree.LIMIT) and fail.format == "generic-csv"
    ok = got["conducted/dut1_L1.csv"]
    assert ok.worst_margin_db is not None and ok.worst_margin_db > 0 and not ok.error
    assert len(ok.sha256 or "") == 64
    for rel in ("malformed/empty.csv", "malformed/binary.dat", "malformed/unknown.txt"):
        assert got[rel].error and got[rel].worst_margin_db is None
    assert "empty" in got["malformed/empty.csv"].error
    assert "abc" in got["malformed/bad_numbers.csv"].error

    # per-capture folders inside OUT, reports listed relative to OUT and present
    out_resolved = out.resolve()
    for row in result.rows:
        for rep in row.reports:
            p = (out / rep).resolve()
            assert p.is_file() and p.is_relative_to(out_resolved / CAPTURES_DIR)
    assert got["conducted/dut1_L1.csv"].reports != got["rig2/dut1_L1.csv"].reports
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out_resolved)

    # summary.csv row by row = the rows; summary.json counts and groups
    with (out / "summary.csv").open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert [r["path"] for r in records] == [printable(r.path) for r in result.rows]  # escaped
    for rec, row in zip(records, result.rows, strict=True):
        assert rec["verdict"] == row.verdict.value
        assert rec["sha256"] == (row.sha256 or "")
        assert rec["reports"] == ";".join(row.reports)
        margin = rec["worst_margin_db"]
        assert (float(margin) if margin else None) == row.worst_margin_db
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["verdict"] == "FAIL" and doc["margin_sign"] == "limit_minus_level"
    assert doc["counts"] == result.counts and len(doc["rows"]) == len(expected)

    groups = {g["group"]: g for g in doc["groups"]}
    assert groups["dut1"]["verdict"] == "FAIL" and groups["dut1"]["members"] == 3
    assert groups["dut1"]["worst_margin_db"] == fail.worst_margin_db
    assert groups["dut1"]["worst_path"] == fail.path
    assert groups["dut2"]["verdict"] == "PASS" and groups["dut2"]["members"] == 2
    assert groups["dut3"]["verdict"] == "INCONCLUSIVE"
    hostile_unit = batch_tree.HOSTILE.rsplit("_", 1)[0]
    assert groups[hostile_unit]["verdict"] == "PASS"
    ungrouped = got["malformed/empty.csv"]
    assert groups[ungrouped.path]["members"] == 1  # its own group
    with (out / "summary_groups.csv").open(encoding="utf-8", newline="") as fh:
        grecs = {r["group"]: r for r in csv.DictReader(fh)}
    assert (
        printable("'" + hostile_unit) in grecs
    )  # formula neutralised, controls escaped (CSV only)

    index = (out / "index.html").read_text("utf-8")
    assert "<b>'x'" not in index and "&lt;b&gt;" in index
    assert 'href="captures/' in index


def test_resume_recomputes_nothing_then_force_and_changes(
    shipment: tuple[Path, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch_tree: ModuleType,
) -> None:
    root, expected = shipment
    out = tmp_path / "out"
    calls: list[str] = []
    real = batch_job._analyse

    def counting(job: batch.BatchJob, sha: str | None) -> object:
        calls.append(_rel(job.path, root))
        return real(job, sha)

    monkeypatch.setattr(batch_job, "_analyse", counting)
    opts: BatchOptions = {"overrides": {"limit_ids": (batch_tree.LIMIT,)}, "group_pattern": GROUPS}
    first = run_batch([root], out, jobs=1, **opts)
    assert sorted(calls) == sorted(expected) and first.computed == len(expected)
    snapshot = {n: (out / n).read_bytes() for n in ("summary.csv", "summary.json", "index.html")}

    calls.clear()
    second = run_batch([root], out, jobs=1, **opts)
    assert calls == [] and second.computed == 0 and second.reused == len(expected)
    assert [r.to_json() for r in second.rows] == [r.to_json() for r in first.rows]
    for name, data in snapshot.items():
        assert (out / name).read_bytes() == data, name  # byte-identical

    # an input changed, a state file lost (interrupted job), a report deleted
    batch_tree.failing(root / "conducted/dut2_N.csv")
    (out / CAPTURES_DIR / "conducted__dut2_L1.csv" / STATE_FILE).unlink()
    (out / first.rows[0].reports[0]).unlink()
    calls.clear()
    third = run_batch([root], out, jobs=1, **opts)
    assert sorted(calls) == sorted(
        ["conducted/dut2_N.csv", "conducted/dut2_L1.csv", _rel(first.rows[0].path, root)]
    )
    assert {_rel(r.path, root): r.verdict for r in third.rows}[
        "conducted/dut2_N.csv"
    ] is Verdict.FAIL

    calls.clear()
    run_batch([root], out, jobs=1, force=True, **opts)
    assert len(calls) == len(expected)

    calls.clear()  # a different setting: a new digest for every input
    changed = opts.copy()
    changed["overrides"] = {"limit_ids": (batch_tree.LIMIT,), "suspect_window_db": 3.0}
    run_batch([root], out, jobs=1, **changed)
    assert len(calls) == len(expected)
    calls.clear()
    run_batch([root], out, jobs=1, formats=("json",), **changed)
    assert len(calls) == len(expected)


def test_worker_crash_is_an_error_row(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch_tree: ModuleType,
) -> None:
    root = tmp_path / "in"
    batch_tree.passing(root / "a.csv")
    batch_tree.passing(root / "b.csv")

    def boom(job: batch.BatchJob, sha: str | None) -> object:
        if job.path.endswith("a.csv"):
            raise ZeroDivisionError("synthetic")
        raise KeyError("x")

    monkeypatch.setattr(batch_job, "_analyse", boom)
    result = run_batch(
        [root], tmp_path / "out", overrides={"limit_ids": (batch_tree.LIMIT,)}, jobs=1
    )
    assert [r.verdict for r in result.rows] == [Verdict.ERROR, Verdict.ERROR]
    assert "internal error: ZeroDivisionError: synthetic" in result.rows[0].error
    assert result.exit_code == 3
    # not cached: a transient failure is retried on the next run
    assert not list((tmp_path / "out").rglob(STATE_FILE))


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert result.rows == () and result.exit_code == 3
    assert json.loads((tmp_path / "out/summary.json").read_text())["rows"] == []


def test_process_pool_matches_inline(
    shipment: tuple[Path, dict[str, str]],
    tmp_path: Path,
    batch_tree: ModuleType,
) -> None:
    root, expected = shipment
    opts: BatchOptions = {"overrides": {"limit_ids": (batch_tree.LIMIT,)}, "group_pattern": GROUPS}
    inline = run_batch([root], tmp_path / "o1", jobs=1, **opts)
    pooled = run_batch([root], tmp_path / "o2", jobs=2, **opts)
    assert pooled.computed == len(expected)
    strip = [{k: v for k, v in r.to_json().items() if k != "reports"} for r in inline.rows]
    assert strip == [{k: v for k, v in r.to_json().items() if k != "reports"} for r in pooled.rows]


def test_dask_local_cluster(
    shipment: tuple[Path, dict[str, str]],
    tmp_path: Path,
    batch_tree: ModuleType,
) -> None:
    distributed = pytest.importorskip("distributed")
    root, expected = shipment
    opts: BatchOptions = {"overrides": {"limit_ids": (batch_tree.LIMIT,)}, "group_pattern": GROUPS}
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        result = run_batch([root], tmp_path / "out", scheduler=cluster.scheduler_address, **opts)
    assert {_rel(r.path, root): r.verdict.value for r in result.rows} == expected
    assert result.computed == len(expected) and result.exit_code == 1


def test_missing_distributed_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_tree: ModuleType
) -> None:
    batch_tree.passing(tmp_path / "in/a.csv")
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(batch.BatchSchedulerError, match=r"rfcheck\[dask\]"):
        run_batch([tmp_path / "in"], tmp_path / "out", scheduler="tcp://127.0.0.1:1")


@pytest.mark.parametrize("where", [".", "out", "sub/out"])
def test_out_equal_to_or_inside_an_input_folder_is_refused(
    tmp_path: Path, batch_tree: ModuleType, where: str
) -> None:
    root = tmp_path / "in"
    batch_tree.passing(root / "a.csv")
    with pytest.raises(OutputFolderError, match="is inside the input folder"):
        run_batch(
            [root], root / where, overrides={"limit_ids": (batch_tree.LIMIT,)}, jobs=1, force=True
        )
    assert not (root / OUTPUT_MARKER).exists() and not (root / "out").exists()


REPO = Path(__file__).resolve().parents[2]


# --- group worst = the member deciding the group's verdict ---------------------------------------
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


# --- ERROR coverage is "none" --------------------------------------------------------------------
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


# --- "no limit applies" names the setup and the path ---------------------------------------------
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


def test_an_unwritable_capture_folder_says_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_tree: ModuleType
) -> None:
    """A capture's output folder that refuses writes is the user's folder, not a bug."""
    root = tmp_path / "in"
    batch_tree.passing(root / "a.csv")
    real = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == STATE_FILE:
            raise PermissionError(13, "Permission denied", str(self))
        real(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    result = run_batch(
        [root], tmp_path / "out", overrides={"limit_ids": (batch_tree.LIMIT,)}, jobs=1
    )
    (row,) = result.rows
    assert row.verdict is Verdict.ERROR
    assert row.error.startswith("cannot write ") and row.error.endswith(
        f"{STATE_FILE}: Permission denied"
    )
    assert "internal error" not in row.error


def test_reports_of_the_old_verdict_are_removed_when_not_written_again(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    """FAIL with json,csv; fixed and re-run with json: no FAIL CSV beside the PASS."""
    root, out = tmp_path / "in", tmp_path / "out"
    cap = batch_tree.failing(root / "a.csv")
    limits = {"limit_ids": (batch_tree.LIMIT,)}
    first = run_batch([root], out, overrides=limits, formats=("json", "csv"), jobs=1)
    assert first.rows[0].verdict is Verdict.FAIL
    csv_report = out / next(r for r in first.rows[0].reports if r.endswith(".csv"))
    batch_tree.passing(cap)
    again = run_batch([root], out, overrides=limits, formats=("json",), jobs=1)
    assert again.rows[0].verdict is Verdict.PASS
    assert not csv_report.exists()
    assert [r for r in again.rows[0].reports if r.endswith(".csv")] == []


def test_an_earlier_report_edited_since_is_kept(tmp_path: Path, batch_tree: ModuleType) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    cap = batch_tree.failing(root / "a.csv")
    limits = {"limit_ids": (batch_tree.LIMIT,)}
    first = run_batch([root], out, overrides=limits, formats=("json", "csv"), jobs=1)
    csv_report = out / next(r for r in first.rows[0].reports if r.endswith(".csv"))
    csv_report.write_text("signed copy\n", encoding="utf-8")
    batch_tree.passing(cap)
    run_batch([root], out, overrides=limits, formats=("json",), jobs=1)
    assert csv_report.read_text(encoding="utf-8") == "signed copy\n"
