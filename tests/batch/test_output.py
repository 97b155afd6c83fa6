"""Test rfcheck.batch.output: ``captures/`` is kept matching the summary.

Report folders of inputs no longer present are removed (when rfcheck wrote everything in
them) or listed as stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import rfcheck.batch.runner as runner
from rfcheck.batch import CAPTURES_DIR, run_batch


def _opts(batch_tree: ModuleType) -> dict[str, Any]:
    return {"overrides": {"limit_ids": (batch_tree.LIMIT,)}, "jobs": 1, "formats": ("json", "csv")}


def _folders(out: Path) -> list[str]:
    return sorted(p.name for p in (out / CAPTURES_DIR).iterdir())


def test_folder_of_a_deleted_input_is_removed(tmp_path: Path, batch_tree: ModuleType) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    batch_tree.passing(root / "a.csv")
    batch_tree.failing(root / "b.csv")
    notes: list[str] = []
    run_batch([root], out, **_opts(batch_tree))
    assert _folders(out) == ["a.csv", "b.csv"]
    (root / "b.csv").unlink()
    second = run_batch([root], out, note=notes.append, **_opts(batch_tree))
    assert _folders(out) == ["a.csv"] and second.stale == ()
    assert notes == ["removed 1 report folder(s) of inputs no longer in this batch: captures/b.csv"]
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert [r["path"] for r in doc["rows"]] == [(root / "a.csv").as_posix()]
    assert doc["stale_captures"] == [] and doc["verdict"] == "PASS"


def test_folder_holding_other_files_is_listed_as_stale(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    batch_tree.passing(root / "a.csv")
    batch_tree.failing(root / "b.csv")
    run_batch([root], out, **_opts(batch_tree))
    (out / CAPTURES_DIR / "b.csv" / "my notes.txt").write_text("keep me", encoding="utf-8")
    (out / CAPTURES_DIR / "old").mkdir()
    (out / CAPTURES_DIR / "old" / "x.pdf").write_text("?", encoding="utf-8")
    (root / "b.csv").unlink()
    notes: list[str] = []
    second = run_batch([root], out, note=notes.append, **_opts(batch_tree))
    assert second.stale == ("captures/b.csv", "captures/old")
    assert (out / CAPTURES_DIR / "b.csv" / "my notes.txt").read_text("utf-8") == "keep me"
    assert sorted(p.name for p in (out / CAPTURES_DIR / "b.csv").iterdir()) == ["my notes.txt"]
    assert notes == [
        "2 folder(s) under captures/ belong to no input of this batch and hold files rfcheck "
        "did not record writing; left in place, listed as stale: captures/b.csv, captures/old"
    ]
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["stale_captures"] == ["captures/b.csv", "captures/old"]
    assert "Stale report folders" in (out / "index.html").read_text("utf-8")


def test_forged_state_cannot_remove_files_outside_its_folder(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    batch_tree.passing(root / "a.csv")
    batch_tree.passing(root / "b.csv")
    first = run_batch([root], out, **_opts(batch_tree))
    state = out / CAPTURES_DIR / "b.csv" / ".rfcheck-state.json"
    doc = json.loads(state.read_text("utf-8"))
    doc["row"]["reports"] += [
        "captures/a.csv/" + Path(first.rows[0].reports[0]).name,
        "../in/a.csv",
    ]
    state.write_text(json.dumps(doc), encoding="utf-8")
    (root / "b.csv").unlink()
    second = run_batch([root], out, **_opts(batch_tree))
    assert (root / "a.csv").is_file() and (out / first.rows[0].reports[0]).is_file()
    assert second.stale == () and _folders(out) == ["a.csv"]


def test_a_run_finding_no_input_removes_nothing(tmp_path: Path, batch_tree: ModuleType) -> None:
    root, out, empty = tmp_path / "in", tmp_path / "out", tmp_path / "wrong"
    batch_tree.passing(root / "a.csv")
    empty.mkdir()
    run_batch([root], out, **_opts(batch_tree))
    second = run_batch([empty], out, **_opts(batch_tree))
    assert second.rows == () and second.stale == ("captures/a.csv",)
    assert _folders(out) == ["a.csv"]


def test_a_note_names_a_few_stale_folders_and_counts_the_rest(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    """2,021 stale folders made one 86 KB stderr line: now five and a count."""
    root, out = tmp_path / "in", tmp_path / "out"
    batch_tree.passing(root / "a.csv")
    run_batch([root], out, **_opts(batch_tree))
    for k in range(30):
        (out / CAPTURES_DIR / f"old{k:02d}").mkdir()
        (out / CAPTURES_DIR / f"old{k:02d}" / "x.pdf").write_text("?", encoding="utf-8")
    notes: list[str] = []
    second = run_batch([root], out, note=notes.append, **_opts(batch_tree))
    assert len(second.stale) == 30
    (note,) = notes
    assert note.endswith(
        "listed as stale: captures/old00, captures/old01, captures/old02, captures/old03, "
        'captures/old04 (+25 more; every one in summary.json "stale_captures")'
    ), note
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["stale_captures"] == list(second.stale)


def test_notes_of_thousands_of_folders_stay_short() -> None:
    from rfcheck.batch.finish import note_tidied

    names = [f"captures/bad__{k:04d}.csv" for k in range(2021)]
    notes: list[str] = []
    note_tidied(notes.append, names, names, complete=False)
    removed, stale = notes
    assert len(removed) < 300 and len(stale) < 400
    assert removed.startswith("removed 2,021 report folder(s)")
    assert removed.endswith("captures/bad__0004.csv (+2,016 more)")
    assert stale.startswith("2,021 folder(s) under captures/")
    assert stale.endswith('(+2,016 more; every one in summary.json "stale_captures")')


def test_a_run_stopped_before_it_starts_leaves_the_last_summary(
    tmp_path: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last summary was deleted before the jobs were planned.

    A run that ended while they were (a Ctrl-C, a link loop a Dask run could not resolve)
    left an output folder with no summary at all. It is retired only once the run starts.
    """
    root, out = tmp_path / "in", tmp_path / "out"
    batch_tree.passing(root / "a.csv")
    run_batch([root], out, **_opts(batch_tree))
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"summary.csv", "summary.json", "index.html"} <= set(before)

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "settings_digest", interrupted)  # Ctrl-C while planning
    with pytest.raises(KeyboardInterrupt):
        run_batch([root], out, **_opts(batch_tree))
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
