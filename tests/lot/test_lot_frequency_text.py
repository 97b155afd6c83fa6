"""One emission reads at one precision everywhere the lot report writes it.

The lot printed an emission at 1000.5 kHz as ``1.000 MHz`` in its unit and statistics
tables and as ``1.0005 MHz`` in the flag and the note beside them. It now uses
:func:`rfcheck.frequency.format_mhz` (six significant digits, as ``check`` and the dossier).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main

from .conftest import LOT_SETUP, write_csv

#: A conducted grid fine enough to place a line at 1000.5 kHz: 0.15-30 MHz, 500 Hz steps. [Hz]
FINE = (150e3, 30e6, 500.0, 9e3)
#: The emission. [Hz]
F0 = 1000.5e3


def _lot(folder: Path) -> Path:
    """Three units with one line at 1000.5 kHz; u3 over the AV limit, u2 measured by peak only."""
    for name, av in (("u1", 40.0), ("u2", 41.0), ("u3", 46.5)):
        cols = {"Peak": {F0: av + 5.0}}
        if name != "u2":  # u2: a peak-only capture, its QP and AV are upper bounds
            cols |= {"QP": {F0: av + 3.0}, "CAVG": {F0: av}}
        write_csv(folder / f"{name}_L1.csv", cols, grid=FINE)
    setup = folder / "setup.toml"
    setup.write_text(LOT_SETUP, encoding="ascii")
    return setup


def test_one_emission_reads_at_one_precision(tmp_path: Path) -> None:
    setup = _lot(tmp_path)
    res = CliRunner().invoke(
        main,
        ["lot", str(tmp_path), "--golden", "u1", "--setup", str(setup)],
        catch_exceptions=False,
    )
    text = res.output
    shown = set(re.findall(r"(\d+(?:\.\d+)?) ([kM]Hz)", text))
    assert shown == {("1.0005", "MHz"), ("9", "kHz")}, text  # the emission; the tolerance
    assert "tolerance L1 9 kHz" in text
    assert (
        "   u3          MISSING   yes        FAIL               -0.50 dB  1.0005 MHz (L1)" in text
    )
    assert "over the limit: L1 fcc-15.107-b AV at 1.0005 MHz, margin -0.50 dB" in text
    row = next(ln for ln in text.splitlines() if ln.startswith("   L1    fcc-15.107-b AV"))
    assert " 1.0005 MHz " in row
    doc = json.loads(
        CliRunner()
        .invoke(main, ["lot", str(tmp_path), "--golden", "u1", "--setup", str(setup), "-o", "json"])
        .stdout
    )
    notes = [s["note"] for s in doc["statistics"] if s["note"]]
    assert any("readings needed at 1.0005 MHz for u2" in n for n in notes), notes
