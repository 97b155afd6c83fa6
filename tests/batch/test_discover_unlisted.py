"""A folder the walk cannot list is never skipped silently: its files were not judged."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.batch import DiscoveryStats, FolderListError, discover_inputs
from rfcheck.cli import main

_CAPTURE = "# rbw_hz: 9000\n# mode: max-hold\nFrequency (MHz),Peak (dBuV)\n0.15,30\n15,30\n30,30\n"


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``in/`` with ``ok.csv`` and ``lockeddir/x.csv``; listing ``lockeddir`` is refused.

    As for a folder without read permission (which root could still read): ``os.scandir``
    raises ``PermissionError`` for it.
    """
    root = tmp_path / "in"
    (root / "lockeddir").mkdir(parents=True)
    (root / "ok.csv").write_text(_CAPTURE, encoding="utf-8")
    (root / "lockeddir" / "x.csv").write_text(_CAPTURE, encoding="utf-8")
    real = os.scandir
    target = (root / "lockeddir").resolve()

    def scandir(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        if Path(path).resolve() == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return root


def test_a_folder_that_cannot_be_entered_is_an_error_row_not_an_internal_error(
    locked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder at mode 000: looking for the output marker inside raises too."""
    real = Path.is_file
    target = (locked / "lockeddir").resolve()

    def is_file(self: Path) -> bool:
        if self.parent.resolve() == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["batch", str(locked), "--limit", "fcc-15.107-b", "--out", str(out), "-j", "1"]
    )
    assert res.exit_code == 3, res.output
    assert "internal error" not in res.output
    rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rows"]
    assert [r["verdict"] for r in rows] == ["PASS", "ERROR"]


def test_discovery_records_a_folder_it_cannot_list(locked: Path) -> None:
    stats = DiscoveryStats()
    found = discover_inputs([locked], stats=stats)
    assert [i.rel for i in found] == ["ok.csv"]
    assert [(f.path, f.rel, f.reason) for f in stats.unlisted] == [
        (locked / "lockeddir", "lockeddir", "Permission denied")
    ]


def test_discovery_without_stats_refuses_a_folder_it_cannot_list(locked: Path) -> None:
    with pytest.raises(FolderListError) as err:
        discover_inputs([locked])
    assert str(err.value) == (
        f"{(locked / 'lockeddir').as_posix()}: cannot list folder: Permission denied "
        "(no file in it was judged)"
    )


def test_batch_gives_a_folder_it_cannot_list_an_error_row(locked: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["batch", str(locked), "--limit", "fcc-15.107-b", "--out", str(out), "-j", "1"]
    )
    assert res.exit_code == 3, res.output
    rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rows"]
    folder = (locked / "lockeddir").as_posix()
    assert [(r["path"], r["verdict"], r["error"]) for r in rows] == [
        ((locked / "ok.csv").as_posix(), "PASS", ""),
        (folder, "ERROR", "cannot list folder: Permission denied (no file in it was judged)"),
    ]
    assert "batch verdict: ERROR" in res.stdout
    assert (
        f"rfcheck: error: {folder}: cannot list folder: Permission denied (no file in it was "
        "judged)" in res.stderr
    )


def test_the_total_line_counts_a_folder_it_cannot_list(locked: Path, tmp_path: Path) -> None:
    """The total's parts add up: the folder's ERROR row is neither analysed nor up to date."""
    args = ["batch", str(locked), "--limit", "fcc-15.107-b", "--out", str(tmp_path / "out")]
    res = CliRunner().invoke(main, [*args, "-j", "1"])
    total = [ln for ln in res.stdout.splitlines() if ln.startswith("total")]
    assert total == ["total               2   (1 analysed, 0 up to date, 1 folder not listed)"]
    again = CliRunner().invoke(main, [*args, "-j", "1"])
    assert "total               2   (0 analysed, 1 up to date, 1 folder not listed)" in again.stdout


def test_a_folder_it_cannot_list_keeps_the_reports_of_its_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports written for ``lockeddir/x.csv`` by an earlier run stay when it cannot be listed.

    The tidy step removed them as the folder of an input "no longer in this batch", though the
    input may well still be there: only the listing failed.
    """
    root = tmp_path / "in"
    (root / "lockeddir").mkdir(parents=True)
    (root / "ok.csv").write_text(_CAPTURE, encoding="utf-8")
    (root / "lockeddir" / "x.csv").write_text(_CAPTURE, encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", str(root), "--limit", "fcc-15.107-b", "--out", str(out), "-j", "1"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    before = sorted(p.relative_to(out).as_posix() for p in (out / "captures").rglob("*"))
    assert len([p for p in (out / "captures").iterdir()]) == 2

    real, target = os.scandir, (root / "lockeddir").resolve()

    def scandir(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        if Path(path).resolve() == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 3, second.output
    after = sorted(p.relative_to(out).as_posix() for p in (out / "captures").rglob("*"))
    assert after == before
    assert "removed" not in second.stderr
    assert "because a folder could not be listed" in second.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["stale_kept"] == (
        "a folder could not be listed: the inputs they were made from may be in it"
    )
    (kept,) = summary["stale_captures"]  # lockeddir/x.csv's folder; ok.csv's is in use
    assert kept.startswith("captures/") and "x.csv" in kept and "ok.csv" not in kept
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "kept because a folder could not be listed" in page
