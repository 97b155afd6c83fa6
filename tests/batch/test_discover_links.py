"""Discovery follows symbolic links to folders, each real folder once (no loop), and says so."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rfcheck.batch import DiscoveryStats, discover_inputs
from rfcheck.cli import main


def _file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")


def test_linked_folder_outside_the_tree_is_followed(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    _file(root / "a.csv")
    _file(elsewhere / "rig2" / "b.csv")
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    stats = DiscoveryStats()
    found = discover_inputs([root], stats=stats)
    assert [i.rel for i in found] == ["a.csv", "linked/rig2/b.csv"]
    assert stats.notes() == [
        f"followed 1 symbolic link(s) to folders: {(root / 'linked').as_posix()} -> "
        f"{elsewhere.resolve().as_posix()}"
    ]


def test_link_loops_and_second_paths_are_walked_once(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _file(root / "a" / "x.csv")
    _file(root / "b" / "y.csv")
    (root / "a" / "up").symlink_to(root, target_is_directory=True)  # a loop
    (root / "again").symlink_to(root / "b", target_is_directory=True)  # a second path
    stats = DiscoveryStats()
    found = discover_inputs([root], stats=stats)
    assert [i.rel for i in found] == ["a/x.csv", "b/y.csv"]
    assert stats.followed_links == []
    assert sorted(link.name for link, _ in stats.repeated_links) == ["again", "up"]
    assert stats.notes()[0].startswith(
        "did not follow 2 symbolic link(s) to folders already walked (a loop, or a second "
        "path to the same folder): "
    )


def test_links_between_linked_folders_terminate(tmp_path: Path) -> None:
    root, p, q = tmp_path / "in", tmp_path / "p", tmp_path / "q"
    _file(p / "p.csv")
    _file(q / "q.csv")
    root.mkdir()
    (root / "to_p").symlink_to(p, target_is_directory=True)
    (p / "to_q").symlink_to(q, target_is_directory=True)
    (q / "to_p").symlink_to(p, target_is_directory=True)
    stats = DiscoveryStats()
    found = discover_inputs([root], stats=stats)
    assert [i.rel for i in found] == ["to_p/p.csv", "to_p/to_q/q.csv"]
    assert [link.name for link, _ in stats.repeated_links] == ["to_p"]


def test_a_file_link_loop_is_an_input_not_a_crash(tmp_path: Path) -> None:
    """Two links naming each other: discovery keeps both (each becomes an ERROR row).

    Path.resolve raised RuntimeError ('Symlink loop'), so the whole batch stopped with an
    internal error instead of recording the bad entries.
    """
    root = tmp_path / "in"
    _file(root / "a.csv")
    (root / "loop1.csv").symlink_to(root / "loop2.csv")
    (root / "loop2.csv").symlink_to(root / "loop1.csv")
    found = discover_inputs([root])
    assert [i.rel for i in found] == ["a.csv", "loop1.csv", "loop2.csv"]


def test_a_batch_with_a_link_loop_records_it_as_an_error_row(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.csv").write_text(
        "# rbw_hz: 9000\n# mode: max-hold\nFrequency (MHz),Peak (dBuV)\n0.15,30\n15,30\n30,30\n",
        encoding="utf-8",
    )
    (root / "loop1.csv").symlink_to(root / "loop2.csv")
    (root / "loop2.csv").symlink_to(root / "loop1.csv")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["batch", str(root), "--limit", "fcc-15.107-b", "--out", str(out)]
    )
    assert res.exit_code == 3, res.output
    rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rows"]
    assert [(r["path"].rsplit("/", 1)[-1], r["verdict"]) for r in rows] == [
        ("a.csv", "PASS"),
        ("loop1.csv", "ERROR"),
        ("loop2.csv", "ERROR"),
    ]
    assert "loop1.csv: cannot read: Too many levels of symbolic links" in res.stderr
