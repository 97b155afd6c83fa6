"""The wheel ships every package.

The explicit package list in pyproject.toml names every folder of ``rfcheck/`` that holds an
``__init__.py`` (a missing entry installs a tool whose commands fail with ModuleNotFoundError
outside an editable install).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "rfcheck").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - listed == set(), "packages missing from pyproject.toml"
    assert listed - found - {"rfcheck.limit_tables"} == set(), "listed packages that do not exist"
