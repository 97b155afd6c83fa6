"""The receiver runs from a read-only install with no writable cache folder (issue 17).

numba's ``cache=True`` raised "cannot cache function 'qp_meter': no locator available" when
neither the package's ``__pycache__`` nor the user's cache folder could be written. The copy of
the package is made read-only, its ``__pycache__`` folders are files (so even root cannot
create them) and the user cache folder lies under a regular file.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import rfcheck

pytestmark = pytest.mark.skipif(
    pytest.importorskip("rfcheck.receiver._kernels").HAVE_NUMBA is False,
    reason="numba is not importable: no JIT cache to test",
)


def _read_only_copy(dest: Path) -> Path:
    src = Path(rfcheck.__file__).parent
    pkg = dest / "rfcheck"
    shutil.copytree(
        src, pkg, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc")
    )
    for folder in [pkg, *(p for p in pkg.rglob("*") if p.is_dir())]:
        (folder / "__pycache__").write_text("not a folder")
    for p in sorted(pkg.rglob("*"), reverse=True):
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    pkg.chmod(pkg.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return dest


def test_receiver_runs_from_read_only_install_without_cache_folder(
    tmp_path: Path, sigmf: Callable[..., Path]
) -> None:
    site = _read_only_copy(tmp_path / "site")
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("")
    rec = sigmf("cw", duration_s=0.05)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "PYTHON"))}
    env.update(
        PYTHONPATH=str(site),
        PYTHONDONTWRITEBYTECODE="1",
        HOME=str(blocker),
        XDG_CACHE_HOME=str(blocker / "cache"),
    )
    code = (
        "import rfcheck, sys; assert rfcheck.__file__.startswith(sys.argv[1]), rfcheck.__file__;"
        "from rfcheck.cli import main; main(sys.argv[2:])"
    )
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                str(site),
                "receiver",
                str(rec),
                "--band",
                "B",
                "--freq",
                "500k",
                "--detector",
                "peak",
                "-o",
                "csv",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
    finally:
        for p in [site, *site.rglob("*")]:
            if not p.is_symlink():
                p.chmod(p.stat().st_mode | stat.S_IWUSR)
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("frequency_hz,peak_dbuv,peak_bound,")
    assert lines[1].startswith("500000.000,76.99,measured,B,9000.0,")
