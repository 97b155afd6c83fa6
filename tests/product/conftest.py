"""Fixtures of the dossier tests: the hand-built rig of ``_rig.py``, loaded by path."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


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
