"""A generated shipment for the batch tests.

Passing, failing, inconclusive and malformed captures in the generic CSV format, judged against FCC
15.107 Class B (conducted; QP 66-56 / 56 / 60 dBµV, AV 56-46 / 46 / 50 dBµV over 0.15-0.5 / 0.5-5 /
5-30 MHz).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

FREQ_HZ = np.geomspace(150e3, 30e6, 60)
LIMIT = "fcc-15.107-b"
#: File name of the input whose name is hostile (formula, markup, quotes, spaces).
HOSTILE = "=1+2 <b>'x'<\b>; rm -rf $HOME µ\x07_L1.csv"


def write_csv(path: Path, columns: dict[str, float | np.ndarray]) -> Path:
    """Return a generic-CSV capture: ``Frequency (Hz)`` and one column per ``label (dBuV)``.

    In the CISPR Band B bandwidth (9 kHz, stated: an unstated RBW bounds nothing from above),
    a max-hold sweep (stated: a generic CSV's evenly spaced readings are no sweep unless the
    file says so, and its peak readings would cover their RBW only).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(columns)
    lines = [
        "# instrument: rfcheck test generator",
        "# rbw_hz: 9000",
        "# mode: max-hold",
        "Frequency (Hz)," + ",".join(names),
    ]
    cols = [np.broadcast_to(np.asarray(columns[n], dtype=float), FREQ_HZ.shape) for n in names]
    for i, f in enumerate(FREQ_HZ):
        lines.append(f"{f:.1f}," + ",".join(f"{c[i]:.2f}" for c in cols))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def passing(path: Path) -> Path:
    """Peak 30 dBµV everywhere: below every QP and AV limit (an upper bound passes)."""
    return write_csv(path, {"Peak (dBuV)": 30.0})


def failing(path: Path) -> Path:
    """Measured QP 70 and AV 60 dBµV: above both lines everywhere."""
    return write_csv(path, {"QP (dBuV)": 70.0, "AV (dBuV)": 60.0})


def inconclusive(path: Path) -> Path:
    """Peak only, 58 dBµV.

    Above the QP/AV lines in 0.5-5 MHz, but a peak reading is only an upper bound of QP and AV, so
    it cannot decide (needs QP/AV measurements).
    """
    return write_csv(path, {"Peak (dBuV)": 58.0})


def make_tree(root: Path) -> dict[str, str]:
    """Build the shipment under ``root``; returns {relative path: expected verdict}."""
    expected: dict[str, str] = {}

    def add(rel: str, make: object, verdict: str) -> None:
        if callable(make):
            make(root / rel)
        expected[rel] = verdict

    add("conducted/dut1_L1.csv", passing, "PASS")
    add("conducted/dut1_N.csv", failing, "FAIL")
    add("conducted/dut2_L1.csv", passing, "PASS")
    add("conducted/dut2_N.csv", passing, "PASS")
    add("conducted/dut3_L1.csv", inconclusive, "INCONCLUSIVE")
    add("rig2/dut1_L1.csv", passing, "PASS")  # same name as conducted/dut1_L1.csv
    add(f"weird/{HOSTILE}", passing, "PASS")
    (root / "malformed").mkdir(parents=True)
    (root / "malformed/empty.csv").write_bytes(b"")
    (root / "malformed/binary.dat").write_bytes(bytes(range(256)) * 4)
    (root / "malformed/unknown.txt").write_text("hello, world\nthis is not a capture\n")
    (root / "malformed/bad_numbers.csv").write_text(
        "Frequency (Hz),Peak (dBuV)\n150000,30\n160000,abc\n", encoding="utf-8"
    )
    for rel in ("empty.csv", "binary.dat", "unknown.txt", "bad_numbers.csv"):
        expected[f"malformed/{rel}"] = "ERROR"
    # never inputs: hidden files and folders
    passing(root / ".hidden.csv")
    passing(root / ".git/objects/x.csv")
    return expected
