"""A FIFO among a lot's captures is an ERROR row at once, never waited on.

The shared-content check read every small capture whole to tell an empty file from a
measurement; a FIFO's size is 0, so ``lot`` blocked forever on it. The lot runs in a child
process with a timeout, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from rfcheck.shared_content import Filed, shared_content

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]


def test_lot_with_a_fifo_among_the_captures_finishes(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 40.0 + i} for i in range(1, 7)})
    fifo = folder / "u06_L1.csv"
    fifo.unlink()
    os.mkfifo(fifo)
    args = [sys.executable, "-m", "rfcheck", "lot", str(folder), "--golden", "u01"]
    try:
        res = subprocess.run(
            [*args, "--setup", str(setup)], capture_output=True, text=True, timeout=120
        )
    except subprocess.TimeoutExpired:
        pytest.fail("rfcheck lot waited on a FIFO")
    assert res.returncode == 3, res.stderr
    assert f"rfcheck: error: {fifo}: is a FIFO (named pipe), not a capture file\n" in res.stderr


def test_shared_content_never_opens_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "u02_L1.csv"
    os.mkfifo(fifo)
    (tmp_path / "u01_L1.csv").write_text("x\n", encoding="ascii")
    found: list[object] = []
    files = [Filed("u01", tmp_path / "u01_L1.csv"), Filed("u02", fifo)]
    worker = threading.Thread(target=lambda: found.append(shared_content(files)), daemon=True)
    worker.start()
    worker.join(30.0)
    if worker.is_alive():  # release the blocked reader, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("shared_content waited on a FIFO")
    assert found == [{}]
