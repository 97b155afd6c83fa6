"""The dossier's workers import the rfcheck the command runs, never one in the current folder.

multiprocessing's fork server runs ``python -c``, which puts the current folder first on its
import path; run from inside another rfcheck checkout, the workers imported that tree and
wrote its records. A folder holding a decoy ``rfcheck`` package that leaves a
mark when imported shows which one the workers load.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"


def test_workers_do_not_import_an_rfcheck_from_the_current_folder(tmp_path: Path) -> None:
    decoy = tmp_path / "cwd" / "rfcheck"
    decoy.mkdir(parents=True)
    mark = tmp_path / "imported-the-decoy"
    (decoy / "__init__.py").write_text(
        f"open({str(mark)!r}, 'w').close()\nraise ImportError('the decoy rfcheck')\n"
    )
    out = tmp_path / "out"
    script = Path(sys.executable).parent / "rfcheck"  # the console script: its own folder first
    if not script.is_file():
        pytest.skip("no rfcheck console script beside this interpreter")
    args = ["dossier", str(SAMPLES), "--setup", str(SAMPLES / "dossier-setup.toml")]
    args += ["--out", str(out), "--jobs", "2", "--format", "json"]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    res = subprocess.run(
        [str(script), *args],
        cwd=tmp_path / "cwd",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 1, res.stderr  # the sample rig FAILs
    assert not mark.exists()
    assert (out / "rig" / "dossier.json").is_file()
