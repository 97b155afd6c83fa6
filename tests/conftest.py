"""Shared fixtures. Real instrument files are read from ../shared/real_captures/ (never
copied into the repository); tests that need them skip when the folder is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL_CAPTURES = Path(
    os.environ.get("RFCHECK_REAL_CAPTURES", REPO.parent / "shared" / "real_captures")
)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def real_captures() -> Path:
    if not REAL_CAPTURES.is_dir():
        pytest.skip(f"real captures folder absent: {REAL_CAPTURES}")
    return REAL_CAPTURES


def real_file(name: str) -> Path:
    """Path of a real capture, skipping the calling test when it is absent."""
    p = REAL_CAPTURES / name
    if not p.exists():
        pytest.skip(f"real capture absent: {p}")
    return p
