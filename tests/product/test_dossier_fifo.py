"""A FIFO among a unit's captures, or named as a photo, is refused at once, never waited on.

README: rfcheck "opens regular files only (a FIFO ... is refused at once, never waited
on)". ``dossier`` hung on a FIFO filed as a capture (the shared-content check read every
small file whole, and a FIFO's size is 0) and on a FIFO named as a ``[[photo]]`` (hashed
with ``Path.read_bytes``). Run in a child process with a timeout, so a
regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


def _dossier(root: Path, setup: Path, out: Path) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "rfcheck", "dossier", str(root), "--setup", str(setup)]
    try:
        return subprocess.run(
            [*args, "--out", str(out)], capture_output=True, text=True, timeout=120, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("rfcheck dossier waited on a FIFO")


def test_a_fifo_filed_as_a_capture_is_an_error_row(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    fifo = root / "conducted" / "unit_L2_final.csv"
    fifo.unlink()
    os.mkfifo(fifo)
    res = _dossier(root, rig.write_setup(tmp_path / "setup.toml"), tmp_path / "out")
    assert res.returncode == 3, res.stderr
    assert f"rfcheck: error: {fifo}: is a FIFO (named pipe), not a capture file\n" in res.stderr
    assert res.stdout.startswith("unit: ERROR (1 error row(s))\n")


def test_a_fifo_named_as_a_photo_is_missing(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_complete_setup(tmp_path / "setup.toml")
    photo = tmp_path / "photo.png"
    photo.unlink()
    os.mkfifo(photo)
    res = _dossier(root, setup, tmp_path / "out")
    assert res.returncode in (0, 4, 5), res.stderr  # judged; the photos read as missing
    pdf = PdfReader(tmp_path / "out" / "unit" / "dossier.pdf")
    text = "".join(page.extract_text() for page in pdf.pages)
    assert f"MISSING: cannot read {photo}" in text.replace("\n", "")
