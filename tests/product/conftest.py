"""Fixtures of the dossier tests: the hand-built rig of ``_rig.py``, loaded by path."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from rfcheck.product import plan_rules


@pytest.fixture(scope="session")
def rig() -> ModuleType:
    """tests/product/_rig.py (writers of the hand-built product folder)."""
    spec = importlib.util.spec_from_file_location(
        "rfcheck_tests_rig", Path(__file__).with_name("_rig.py")
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def lab_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the plan-rules loader at an empty temporary plans folder (not a user option).

    rfcheck reads plan rules only from its own ``plans/`` folder; a test writes its files here.
    """
    folder = tmp_path / "plans"
    folder.mkdir()
    monkeypatch.setattr(plan_rules, "plans_root", lambda: folder)
    plan_rules.load_plan_rules.cache_clear()
    yield folder
    plan_rules.load_plan_rules.cache_clear()
