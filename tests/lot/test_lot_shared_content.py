"""A lot in which two units hold one capture content is refused, as one serial stated twice is.

Byte-identical captures under two units (the same SHA-256) are one measurement: counted as two
units it inflates n and gives S_n = 0 dB at every frequency (N = 2, S_n 0.00).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
from click.testing import CliRunner, Result

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]


def _lot(folder: Path, setup: Path) -> Result:
    args = ["lot", str(folder), "--golden", "u01", "--setup", str(setup)]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_two_units_holding_one_capture_are_refused(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 40.0 + i} for i in range(1, 6)})
    shutil.copyfile(folder / "u02_L1.csv", folder / "u04_L1.csv")
    res = _lot(folder, setup)
    assert res.exit_code == 3
    assert res.stdout == ""
    sha = hashlib.sha256((folder / "u02_L1.csv").read_bytes()).hexdigest()
    assert res.stderr == (
        f"rfcheck: error: {folder}: units u02 and u04 hold one capture (u02: "
        f"{(folder / 'u02_L1.csv').as_posix()} = u04: {(folder / 'u04_L1.csv').as_posix()}; "
        f"SHA-256 {sha[:12]}...): one measurement counted as 2 units would inflate n and "
        "shrink S_n of the 80/80 rule; file each unit's own measurement, or leave the repeat "
        "out ([batch] exclude)\n"
    )


def test_each_further_shared_capture_is_counted(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 40.0 + i} for i in range(1, 6)})
    shutil.copyfile(folder / "u02_L1.csv", folder / "u04_L1.csv")
    shutil.copyfile(folder / "u01_L1.csv", folder / "u05_L1.csv")
    res = _lot(folder, setup)
    assert res.exit_code == 3
    assert "rfcheck: error: " + f"{folder}: units u01 and u05 hold one capture" in res.stderr
    assert ", and 1 more filed under several units or ports: " in res.stderr


def test_empty_files_are_not_one_capture(tmp_path: Path, lot_writer: LotWriter) -> None:
    """Two empty files share the empty SHA-256; each is an empty file, not a repeat."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 40.0 + i} for i in range(1, 6)})
    for unit in ("u02", "u04"):
        (folder / f"{unit}_L1.csv").write_bytes(b"")
    res = _lot(folder, setup)  # judged: u02 and u04 ERROR rows, the other three's statistics
    assert "hold one capture" not in res.stderr
    assert res.stderr.count("file is empty") == 2
    assert "u02         MISSING   unknown    ERROR" in res.stdout


def test_white_space_files_are_not_one_capture(tmp_path: Path, lot_writer: LotWriter) -> None:
    """Two files holding one newline each are blank files, not a repeat."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 40.0 + i} for i in range(1, 6)})
    for unit in ("u02", "u04"):
        (folder / f"{unit}_L1.csv").write_bytes(b"\n")
    res = _lot(folder, setup)
    assert "hold one capture" not in res.stderr
    assert res.stderr.count("file holds only blank lines (white space), no data") == 2


def test_one_capture_under_two_ports_of_a_unit_is_refused(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """The L1 file copied as L2: one measurement as two ports' data (the dossier's rule)."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1e6: 40.0 + i} for i in range(1, 6)})
    for i in range(1, 6):  # every unit has L1 and L2; u03's L2 is its L1 copied
        src = folder / f"u0{i}_L1.csv"
        if i == 3:
            shutil.copyfile(src, folder / "u03_L2.csv")
        else:
            text = src.read_text(encoding="ascii").replace("# dwell_s: 1", "# dwell_s: 2")
            (folder / f"u0{i}_L2.csv").write_text(text, encoding="ascii")
    res = _lot(folder, setup)
    assert res.exit_code == 3
    assert res.stdout == ""
    sha = hashlib.sha256((folder / "u03_L1.csv").read_bytes()).hexdigest()
    assert res.stderr == (
        f"rfcheck: error: {folder}: unit u03 holds one capture under ports L1 and L2 (L1: "
        f"{(folder / 'u03_L1.csv').as_posix()} = L2: {(folder / 'u03_L2.csv').as_posix()}; "
        f"SHA-256 {sha[:12]}...): one measurement cannot be the data of 2 ports; file each "
        "port's own measurement, or leave the copy out ([batch] exclude)\n"
    )


#: Quasi-peak readings of the six units at 0.3 MHz: 56.17 + 1.42 x 3.31 = 60.87 over the
#: 60.24 dBµV limit, a FAIL; the six counted twice give 56.17 + 1.20 x 3.16 = 59.96, a PASS.
QP_03 = (52.0, 59.0, 55.0, 60.0, 53.0, 58.0)

NOISY_SETUP = """\
[dut]
model = "M-1"

[[rule]]
match = "*"
limits = ["fcc-15.107-b"]
lisn = 0.0

[batch]
include = ["*.csv"]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""


def _noisy_unit(path: Path, seed: int, qp_03: float) -> None:
    """Write a measurement: a 10 dBµV floor with a seeded ±1 dB ripple, QP ``qp_03`` at 0.3 MHz."""
    f_mhz = 0.15 + 0.005 * np.arange(5971)
    floor = (10.0 + np.random.default_rng(seed).uniform(-1, 1, f_mhz.size)).round(2)
    at = int(np.argmin(np.abs(f_mhz - 0.3)))
    rows = ["# rbw_hz: 9000", "# dwell_s: 1", f"# dut_serial: SN-{path.name[:3]}"]
    rows.append("Frequency (MHz),Peak (dBuV),QP (dBuV),CAV (dBuV)")
    for i, (f, v) in enumerate(zip(f_mhz, floor, strict=True)):
        q, a = (qp_03, qp_03 - 12.0) if i == at else (v, v)
        rows.append(f"{f:.6f},{q + 1.0 if i == at else v:.2f},{q:.2f},{a:.2f}")
    path.write_text("\n".join(rows) + "\n", encoding="ascii")


def test_resaved_copies_counted_as_more_units_are_refused(tmp_path: Path) -> None:
    """Six units re-saved (CRLF, a new serial) as six more: n doubles and a FAIL read PASS."""
    folder = tmp_path / "lot"
    folder.mkdir()
    setup = tmp_path / "setup.toml"
    setup.write_text(NOISY_SETUP, encoding="ascii")
    for i, q in enumerate(QP_03, 1):
        _noisy_unit(folder / f"u{i:02d}_L1.csv", i, q)
    assert _lot(folder, setup).exit_code == 1  # the six measured units: statistics FAIL
    for i in range(1, 7):
        text = (folder / f"u{i:02d}_L1.csv").read_text(encoding="ascii")
        copy = text.replace(f"SN-u{i:02d}", f"SN-u{i + 6:02d}").replace("\n", "\r\n")
        (folder / f"u{i + 6:02d}_L1.csv").write_bytes(copy.encode("ascii"))
    res = _lot(folder, setup)
    assert res.exit_code == 3, res.output
    assert res.stdout == ""
    assert res.stderr == (
        f"rfcheck: error: {folder}: units u01 and u07 hold one capture (u01: "
        f"{(folder / 'u01_L1.csv').as_posix()} = u07: {(folder / 'u07_L1.csv').as_posix()}; "
        "identical readings in the last 32 data rows, not identical bytes), and 5 more filed "
        "under several units or ports: one measurement counted as 2 units would inflate n and "
        "shrink S_n of the 80/80 rule; file each unit's own measurement, or leave the repeat "
        "out ([batch] exclude)\n"
    )
