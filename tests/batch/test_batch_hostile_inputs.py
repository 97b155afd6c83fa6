"""One hostile input is one ERROR row: it never stops a batch or hides the other rows.

SigMF metadata nested 100,000 deep raised ``RecursionError`` while the batch sized and
hashed its inputs (``input_bytes`` -> ``companion_files`` -> ``sigmf_companions``), before
any per-input error handling: the run stopped with "internal error", no summary, and a real
FAIL in the same folder was lost. The metadata is now a format error; and
whatever a reader's companion lookup or the resume-state step raises for one input stays
that input's row.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import rfcheck.batch.job as batch_job
import rfcheck.io._provenance as provenance
import rfcheck.io.sigmf_reader as sigmf_reader
from rfcheck.batch import BatchJob, run_job
from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError
from rfcheck.io import companion_files, load_capture
from rfcheck.outcome import Verdict
from rfcheck.settings import CheckSettings

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_ERROR = "invalid JSON in SigMF metadata: nested more than 100 levels deep"
FAIL_CSV = "# rbw_hz: 9000\n# detector: quasi-peak\nFrequency (MHz),QP (dBuV)\n0.15,80\n30,80\n"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fail.csv").write_text(FAIL_CSV, encoding="ascii")
    (folder / "deep.sigmf-meta").write_bytes(DEEP)
    (folder / "deep.sigmf-data").write_bytes(b"\0" * 64)
    return folder


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _archive(path: Path) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, payload in (("r/r.sigmf-meta", DEEP), ("r/r.sigmf-data", b"\0" * 64)):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return path


@pytest.mark.parametrize("named", ["deep.sigmf-meta", "deep.sigmf-data", "archive"])
def test_deeply_nested_sigmf_metadata_is_a_format_error(tmp_path: Path, named: str) -> None:
    folder = _folder(tmp_path)
    path = _archive(tmp_path / "deep.sigmf") if named == "archive" else folder / named
    assert companion_files(path) == []
    with pytest.raises(CaptureFormatError) as info:
        load_capture(path)
    where = path if named == "archive" else folder / "deep.sigmf-meta"
    assert str(info.value) == f"{where}:1: {DEEP_ERROR}"


def test_batch_keeps_every_row_beside_deeply_nested_sigmf_metadata(tmp_path: Path) -> None:
    folder, out = _folder(tmp_path), tmp_path / "out"
    res = _run("batch", str(folder), "--limit", "fcc-15.107-b", "--out", str(out))
    assert res.exit_code == 1, res.output  # FAIL takes precedence over an input error
    assert "internal error" not in res.output
    assert f"rfcheck: error: {folder.as_posix()}/deep.sigmf-meta:1: {DEEP_ERROR}\n" in res.stderr
    with (out / "summary.csv").open(encoding="utf-8", newline="") as fh:
        rows = {Path(r["path"]).name: r for r in csv.DictReader(fh)}
    assert sorted(rows) == ["deep.sigmf-meta", "fail.csv"]
    assert rows["fail.csv"]["verdict"] == "FAIL"
    assert rows["deep.sigmf-meta"]["verdict"] == "ERROR"
    assert rows["deep.sigmf-meta"]["error"] == f"line 1: {DEEP_ERROR}"


def test_check_judges_the_other_capture_beside_deeply_nested_metadata(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    res = _run(
        "check", str(folder / "fail.csv"), str(folder / "deep.sigmf-meta"), "--limit",
        "fcc-15.107-b",
    )  # fmt: skip
    assert res.exit_code == 1, res.output
    assert f"   ERROR: line 1: {DEEP_ERROR}\n" in res.stdout
    assert "internal error" not in res.output


def test_a_companion_lookup_that_raises_is_left_to_the_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reader.companions must not raise; when one does, sizing and hashing go on."""

    def broken(path: Path) -> list[Path]:
        raise RuntimeError("companion lookup failed")

    reader = dataclasses.replace(sigmf_reader.READER, companions=broken)
    monkeypatch.setattr(provenance, "detect_format", lambda path: reader)
    folder = tmp_path / "in"
    folder.mkdir()
    meta = folder / "rec.sigmf-meta"
    meta.write_text('{"global": {}}', encoding="ascii")
    assert companion_files(meta) == []


def test_run_job_turns_any_failure_before_the_analysis_into_an_error_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashing the input and reading its resume state ran outside the per-input guard."""

    def broken(path: str, fmt: str | None) -> list[list[str]]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(batch_job, "input_companions", broken)
    (tmp_path / "a.csv").write_text(FAIL_CSV, encoding="ascii")
    job = BatchJob(
        path=str(tmp_path / "a.csv"),
        rel="a.csv",
        settings=CheckSettings(limit_ids=("fcc-15.107-b",)),
        formats=(),
        out_dir=str(tmp_path / "out" / "captures" / "a"),
        out_root=str(tmp_path / "out"),
        digest="d",
    )
    row = run_job(job).row
    assert row.verdict is Verdict.ERROR
    assert row.error.startswith(
        "internal error: RecursionError: maximum recursion depth exceeded (at "
    )
