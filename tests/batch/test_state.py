"""Resume state (rfcheck.batch.state): a state file edited by hand never decides the summary."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rfcheck.batch import CAPTURES_DIR, STATE_FILE, run_batch
from rfcheck.batch.state import CaptureState, _record_digest
from rfcheck.outcome import Verdict
from rfcheck.settings import CheckSettings, Setup


def _one_failing(tmp_path: Path, batch_tree: ModuleType) -> tuple[Path, Path, dict[str, Any]]:
    root = tmp_path / "in"
    batch_tree.failing(root / "dut_N.csv")
    out = tmp_path / "out"
    return root, out, {"overrides": {"limit_ids": (batch_tree.LIMIT,)}, "jobs": 1}


def _state_path(out: Path) -> Path:
    return out / CAPTURES_DIR / "dut_N.csv" / STATE_FILE


def _edit(path: Path, change: Any) -> None:
    doc = json.loads(path.read_text("utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")


def _to_pass(doc: dict[str, Any]) -> None:
    doc["row"]["verdict"] = "PASS"


def _to_pass_everywhere_with_digest(doc: dict[str, Any]) -> None:
    """Forge the state carefully: make the row and saved capture say PASS.

    The record digest is redone; the capture's own JSON report (hashed in the state) still
    says FAIL.
    """
    doc["row"]["verdict"] = "PASS"
    doc["capture"]["verdict"] = "PASS"
    state = CaptureState(doc["input_sha256"], doc["companions"], doc["settings_digest"])
    doc["record_digest"] = _record_digest(state, doc["row"], doc["capture"], doc["reports_sha256"])


@pytest.mark.parametrize("formats", [("json", "csv"), ()])
def test_state_verdict_edited_fail_to_pass_is_recomputed(
    tmp_path: Path, batch_tree: ModuleType, formats: tuple[str, ...]
) -> None:
    root, out, opts = _one_failing(tmp_path, batch_tree)
    first = run_batch([root], out, formats=formats, **opts)
    assert first.verdict is Verdict.FAIL
    _edit(_state_path(out), _to_pass)
    second = run_batch([root], out, formats=formats, **opts)
    assert second.computed == 1 and second.reused == 0
    assert second.verdict is Verdict.FAIL and second.exit_code == 1
    assert json.loads((out / "summary.json").read_text("utf-8"))["verdict"] == "FAIL"


def test_forged_state_checked_against_the_json_report(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    root, out, opts = _one_failing(tmp_path, batch_tree)
    run_batch([root], out, formats=("json",), **opts)
    _edit(_state_path(out), _to_pass_everywhere_with_digest)
    second = run_batch([root], out, formats=("json",), **opts)
    assert second.computed == 1 and second.verdict is Verdict.FAIL


def test_edited_report_is_recomputed(tmp_path: Path, batch_tree: ModuleType) -> None:
    root, out, opts = _one_failing(tmp_path, batch_tree)
    first = run_batch([root], out, formats=("csv",), **opts)
    report = out / first.rows[0].reports[0]
    report.write_text(report.read_text("utf-8").replace("FAIL", "PASS"), encoding="utf-8")
    second = run_batch([root], out, formats=("csv",), **opts)
    assert second.computed == 1
    assert "FAIL" in report.read_text("utf-8")


def test_untouched_state_is_reused(tmp_path: Path, batch_tree: ModuleType) -> None:
    root, out, opts = _one_failing(tmp_path, batch_tree)
    run_batch([root], out, formats=("json", "csv"), **opts)
    second = run_batch([root], out, formats=("json", "csv"), **opts)
    assert second.computed == 0 and second.reused == 1 and second.verdict is Verdict.FAIL


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_batch_resume_recomputes_when_the_data_file_changes(
    tmp_path: Path, sigmf_cw: Callable[..., Path], batch_tree: ModuleType
) -> None:
    root = tmp_path / "d"
    meta = sigmf_cw(root)
    batch_tree.passing(root / "a.csv")
    setup = Setup(check=CheckSettings(limit_ids=("fcc-15.107-b",)))
    out = tmp_path / "out"
    first = run_batch([root], out, setup=setup, formats=(), jobs=1)
    assert (first.computed, first.reused) == (2, 0)
    again = run_batch([root], out, setup=setup, formats=(), jobs=1)
    assert (again.computed, again.reused) == (0, 2)
    data = meta.with_suffix(".sigmf-data")
    data.write_bytes(bytes([data.read_bytes()[0] ^ 1]) + data.read_bytes()[1:])  # same size
    after = run_batch([root], out, setup=setup, formats=(), jobs=1)
    assert (after.computed, after.reused) == (1, 1)
    state = json.loads(next(out.glob("captures/rec*/.rfcheck-state.json")).read_text("utf-8"))
    assert state["input_sha256"] == _sha(meta)
    assert state["companions"] == [[str(data), _sha(data)]]
