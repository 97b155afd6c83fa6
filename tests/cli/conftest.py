"""Fixtures of the command-line tests."""

from __future__ import annotations

import pytest

import rfcheck.analysis


@pytest.fixture
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any analysis fails the test: a usage error must be found before it."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("analysis ran before the usage error was found")

    monkeypatch.setattr(rfcheck.analysis, "run_check", refuse)
