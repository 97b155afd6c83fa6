"""Shared fixtures.

Real instrument files are read from ../shared/real_captures/ (never copied into the repository; env
``RFCHECK_REAL_CAPTURES`` names another folder); tests that need them skip when the folder or the
file is absent.

pytest runs with ``--import-mode=importlib``, so test modules cannot ``import conftest``:
everything shared is a fixture (factories where a test needs several files).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from rfcheck.io import get_reader, load_capture

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL_CAPTURES = Path(
    os.environ.get("RFCHECK_REAL_CAPTURES", REPO.parent / "shared" / "real_captures")
)

#: Reader name -> its own fixture files (relative to tests/fixtures) for the line-oriented
#: exports: each reader must claim its own files and no other reader's.
KEYVALUE_FIXTURES: dict[str, list[str]] = {
    "rs-ascii": ["rs/esr_receiver_decimal_comma.DAT", "rs/fsv_analyzer_single.CSV"],
    "keysight-xseries": [
        "keysight/mxe_emi_receiver_alltrace.csv",
        "keysight/mxa_swept_onetrace.csv",
    ],
    "keysight-n9343": ["keysight/n9343c_noprefix.CSV", "keysight/n9343c_prefixed.CSV"],
    "agilent-esa": ["agilent/e4402b_two_traces.CSV"],
    "agilent-n9340": ["agilent/n9342c_two_traces_markers.CSV"],
    "siglent": ["siglent/ssa3032x_two_traces.csv"],
}


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def real_captures_dir() -> Path | None:
    """Return the real captures folder, or None when it is absent (for tests that only add them)."""
    return REAL_CAPTURES if REAL_CAPTURES.is_dir() else None


@pytest.fixture
def real_captures() -> Path:
    if not REAL_CAPTURES.is_dir():
        pytest.skip(f"real captures folder absent: {REAL_CAPTURES}")
    return REAL_CAPTURES


@pytest.fixture(scope="session")
def real_capture() -> Callable[[str], Path]:
    """``real_capture(name)``: path of a real capture, skipping the calling test when absent."""

    def get(name: str) -> Path:
        p = REAL_CAPTURES / name
        if not p.exists():
            pytest.skip(f"real capture absent: {p}")
        return p

    return get


@pytest.fixture
def edited_fixture(tmp_path: Path) -> Callable[..., Path]:
    """Copy a fixture into tmp_path with text replaced.

    ``edited_fixture(fixture, old, new, count=1)``: a copy of ``tests/fixtures/<fixture>`` in
    tmp_path with the first ``count`` ``old`` replaced by ``new`` (bytes, Latin-1).
    """

    def edit(fixture: str, old: str, new: str, count: int = 1) -> Path:
        data = (FIXTURES / fixture).read_bytes().decode("latin-1")
        assert old in data, old
        out = tmp_path / Path(fixture).name
        out.write_bytes(data.replace(old, new, count).encode("latin-1"))
        return out

    return edit


@pytest.fixture(scope="session")
def assert_load_error() -> Callable[..., None]:
    """Assert that ``load_capture`` fails naming the file and line.

    ``assert_load_error(path, exc, pattern, line, **load_kw)``: ``load_capture`` raises ``exc``
    matching the regex ``pattern``, naming ``path`` and ``line`` and starting its message with
    ``path:line: `` (``path: `` when no line).
    """

    def check(
        path: Path, exc: type[Exception], pattern: str, line: int | None, **load_kw: object
    ) -> None:
        with pytest.raises(exc, match=pattern) as info:
            load_capture(path, **load_kw)  # type: ignore[arg-type]
        err = info.value
        assert err.path == str(path) and err.line == line  # type: ignore[attr-defined]
        assert str(err).startswith(f"{path}:{line}: " if line else f"{path}: ")

    return check


@pytest.fixture(scope="session")
def fixture_file() -> Callable[[str], Path]:
    """``fixture_file("rs/fsv_analyzer_single.CSV")``: path of a file under tests/fixtures."""

    def get(name: str) -> Path:
        return FIXTURES / name

    return get


@pytest.fixture(scope="session")
def keyvalue_fixtures() -> dict[str, list[Path]]:
    """Reader name -> paths of its own :data:`KEYVALUE_FIXTURES`."""
    return {name: [FIXTURES / f for f in files] for name, files in KEYVALUE_FIXTURES.items()}


@pytest.fixture(scope="session")
def assert_sniffs_own_fixtures(keyvalue_fixtures: dict[str, list[Path]]) -> Callable[[str], None]:
    """Assert that a reader claims its own fixtures and none of the others'.

    ``assert_sniffs_own_fixtures(name)``: reader ``name`` claims its own :data:`KEYVALUE_FIXTURES`
    and none of the others'.
    """

    def check(name: str) -> None:
        reader = get_reader(name)
        for owner, files in keyvalue_fixtures.items():
            for f in files:
                assert reader.sniff(f.read_bytes()[:8192], f) is (owner == name), (name, f)

    return check


def _helper_module(name: str) -> ModuleType:
    """Load ``tests/_<name>.py`` by path (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        f"rfcheck_tests_{name}", Path(__file__).with_name(f"_{name}.py")
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def batch_tree() -> ModuleType:
    """tests/_batch_tree.py (the generated batch shipment), loaded by path."""
    return _helper_module("batch_tree")


@pytest.fixture(scope="session")
def pdf_forgery() -> ModuleType:
    """tests/_pdf_forgery.py (ways to alter a record PDF after issue), loaded by path."""
    return _helper_module("pdf_forgery")


@pytest.fixture(scope="session")
def sigmf_cw() -> Callable[..., Path]:
    """``sigmf_cw(folder, name="rec", glob=None)``: a short SigMF recording of a CW.

    50 ms of a 500 kHz sine, 10 mV peak, real ``rf32_le`` samples at 1.2 MHz, written as
    ``folder/<name>.sigmf-data`` beside ``folder/<name>.sigmf-meta`` (whose ``global`` object
    gets the ``glob`` keys); returns the ``.sigmf-meta`` path.
    """
    import json

    import numpy as np

    fs_hz = 1.2e6

    def write(folder: Path, name: str = "rec", glob: dict[str, object] | None = None) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        t_s = np.arange(int(fs_hz * 0.05)) / fs_hz
        x = (0.01 * np.sin(2 * np.pi * 500e3 * t_s)).astype("<f4")
        (folder / f"{name}.sigmf-data").write_bytes(x.tobytes())
        meta = {
            "global": {
                "core:datatype": "rf32_le",
                "core:sample_rate": fs_hz,
                "core:version": "1.2.0",
                **(glob or {}),
            },
            "captures": [{"core:sample_start": 0}],
            "annotations": [],
        }
        path = folder / f"{name}.sigmf-meta"
        path.write_text(json.dumps(meta), encoding="utf-8")
        return path

    return write
