"""The workers' fork server starts before the captures are placed, only for a pool run.

Its preload (~0.8 s CPU) then overlaps the command's own work (placement, the record); a
run judged in this process (one unit, ``--jobs 1``, ``--dry-run``) starts none.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.cli import _dossier as dossier_cli
from rfcheck.cli import main
from rfcheck.cli._setup_rules import checked_setup
from rfcheck.product import run, workers
from rfcheck.product.placement import NoCaptureError
from rfcheck.settings import Setup, load_setup


def _units(rig: ModuleType, tmp: Path, names: list[str]) -> tuple[Path, Path]:
    root = tmp / "in"
    for name in names:
        rig.write_rig(root / name, unit=name, points=50)
    setup = rig.write_setup(
        tmp / "setup.toml", '[batch]\ngroup_pattern = "^(?P<unit>[A-Za-z]+)_"\n'
    )
    return root, Path(setup)


def _steps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the server's start, the record's check and the placement, in order.

    The command stops at the placement.
    """
    steps: list[str] = []

    def checking(setup: Setup) -> Setup:
        steps.append("record")
        return checked_setup(setup)

    def placing(*args: Any, **kwargs: Any) -> Any:
        steps.append("place")
        raise NoCaptureError("stopped here by the test")

    monkeypatch.setattr(workers, "start_server", lambda: steps.append("server"))
    monkeypatch.setattr(run, "place_captures", placing)
    monkeypatch.setattr(dossier_cli, "checked_setup", checking)
    return steps


@pytest.mark.parametrize(
    ("names", "extra", "expected"),
    [
        (["rigA", "rigB"], ["--jobs", "2"], ["server", "record", "place"]),
        (["rigA", "rigB"], ["--jobs", "1"], ["record", "place"]),
        (["rigA"], ["--jobs", "2"], ["record", "place"]),  # one unit: judged in this process
        (["rigA", "rigB"], ["--jobs", "2", "--dry-run"], ["record", "place"]),
    ],
)
def test_the_server_starts_before_the_record_and_placement_only_for_a_pool(
    rig: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    names: list[str],
    extra: list[str],
    expected: list[str],
) -> None:
    root, setup = _units(rig, tmp_path, names)
    steps = _steps(monkeypatch)
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(tmp_path / "out"), *extra]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 3, res.output
    assert steps == expected


def test_no_server_for_captures_of_one_unit_or_none(
    rig: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, setup_file = _units(rig, tmp_path, ["rigA"])
    setup = load_setup(setup_file)
    steps = _steps(monkeypatch)
    assert workers.start_workers_early([root], setup, [], 2) is False
    assert workers.start_workers_early([tmp_path / "missing"], setup, [], 2) is False  # said later
    assert steps == []
    rig.write_rig(root / "rigB", unit="rigB", points=50)
    assert workers.start_workers_early([root], setup, [], 1) is False
    assert workers.start_workers_early([root], setup, [root / "rigB"], 2) is False  # skipped: out
    assert steps == []
    assert workers.start_workers_early([root], setup, [], 2) is True
    assert steps == ["server"]
