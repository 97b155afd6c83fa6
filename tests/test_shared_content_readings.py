"""One measurement filed twice is found by its readings, not only by its exact bytes.

The shared-content check compared SHA-256 only: a copy re-saved with CRLF line ends, with its
numbers written another way or with an edited ``# dut_serial:`` line got past it, and one
measurement filed as two units (two ports) counted twice. A text capture is now also matched
by the numbers of its last data rows, and a binary recording by its samples, whatever its
metadata says. Two measurements on one grid are not matched, nor are two files whose last
rows are one value (a blank trace's sentinel).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rfcheck.shared_content import Filed, Identical, shared_content

#: Conducted grid, 0.15-30 MHz in 5 kHz steps. [MHz]
GRID_MHZ = 0.15 + 0.005 * np.arange(5971)


def _levels(seed: int) -> np.ndarray:
    """Return a 10 dBµV floor with a seeded ±1 dB ripple, to 0.01 dB (a measurement's noise)."""
    out: np.ndarray = (10.0 + np.random.default_rng(seed).uniform(-1, 1, GRID_MHZ.size)).round(2)
    return out


def _capture(path: Path, levels: np.ndarray, serial: str = "SN-1") -> Path:
    rows = [f"# dut_serial: {serial}", "# rbw_hz: 9000", "Frequency (MHz),QP (dBuV),CAV (dBuV)"]
    rows += [f"{f:.6f},{v:.2f},{v - 8:.2f}" for f, v in zip(GRID_MHZ, levels, strict=True)]
    path.write_text("\n".join(rows) + "\n", encoding="ascii")
    return path


def _shared(a: Path, b: Path) -> Identical | None:
    """Return what ``a`` (unit u1) and ``b`` (unit u2) share, if the check finds them one."""
    found = shared_content([Filed("u1", a, "L1"), Filed("u2", b, "L1")])
    return found[b].identical if b in found else None


def test_a_crlf_copy_with_an_edited_serial_is_one_measurement(tmp_path: Path) -> None:
    a = _capture(tmp_path / "u1_L1.csv", _levels(1))
    text = a.read_text("ascii").replace("SN-1", "SN-2").replace("\n", "\r\n")
    b = tmp_path / "u2_L1.csv"
    b.write_bytes(text.encode("ascii"))
    assert _shared(a, b) is Identical.READINGS
    found = shared_content([Filed("u1", a, "L1"), Filed("u2", b, "L1")])
    assert found[a].digest_text == (
        "identical readings in the last 32 data rows, not identical bytes"
    )
    assert found[a].phrase.startswith("a copy of its readings (the same numbers in the last 32")


def test_a_copy_written_with_other_number_formatting_is_one_measurement(tmp_path: Path) -> None:
    levels = _levels(2)
    a = _capture(tmp_path / "u1_L1.csv", levels)
    b = tmp_path / "u2_L1.csv"  # 0.150000 -> 0.15, 9.70 -> 9.7000e+00, tab-separated
    rows = ["Frequency (MHz)\tQP (dBuV)\tCAV (dBuV)"]
    rows += [f"{f:g}\t{v:.4e}\t {v - 8:.3f}" for f, v in zip(GRID_MHZ, levels, strict=True)]
    b.write_text("\n".join(rows), encoding="ascii")  # no final line end either
    assert _shared(a, b) is Identical.READINGS


def test_a_decimal_comma_copy_is_one_measurement(tmp_path: Path) -> None:
    levels = _levels(3)
    a = _capture(tmp_path / "u1_L1.csv", levels)
    b = tmp_path / "u2_L1.csv"
    rows = [
        f"{f:.6f};{v:.2f};{v - 8:.2f}".replace(".", ",")
        for f, v in zip(GRID_MHZ, levels, strict=True)
    ]
    b.write_text("Frequenz;QP;CAV\n" + "\n".join(rows) + "\n", encoding="ascii")
    assert _shared(a, b) is Identical.READINGS


def test_a_byte_identical_copy_still_says_bytes(tmp_path: Path) -> None:
    a = _capture(tmp_path / "u1_L1.csv", _levels(4))
    b = tmp_path / "u2_L1.csv"
    b.write_bytes(a.read_bytes())
    assert _shared(a, b) is Identical.BYTES


def test_two_measurements_on_one_grid_are_not_matched(tmp_path: Path) -> None:
    a = _capture(tmp_path / "u1_L1.csv", _levels(5))
    b = _capture(tmp_path / "u2_L1.csv", _levels(6), "SN-2")
    assert _shared(a, b) is None
    # one reading of the last 32 rows differs by 0.01 dB: two measurements, not a copy
    levels = _levels(5)
    levels[-3] += 0.01
    c = _capture(tmp_path / "u3_L1.csv", levels, "SN-3")
    assert _shared(a, c) is None


def test_last_rows_of_one_value_never_match(tmp_path: Path) -> None:
    """A blank trace's sentinel (or a clamped floor) at the end of two measurements."""
    a_levels, b_levels = _levels(7), _levels(8)
    a_levels[-200:] = b_levels[-200:] = -200.0
    a = _capture(tmp_path / "u1_L1.csv", a_levels)
    b = _capture(tmp_path / "u2_L1.csv", b_levels, "SN-2")
    assert _shared(a, b) is None
    # a few values only (a trace quantised to 3 levels: 6 values with its CAV) are not enough
    a_levels[-200:] = b_levels[-200:] = np.resize([1.0, 2.0, 3.0], 200)
    _capture(a, a_levels)
    _capture(b, b_levels, "SN-2")
    assert _shared(a, b) is None


def test_a_repeat_of_one_port_stays_and_other_ports_are_shared(tmp_path: Path) -> None:
    a = _capture(tmp_path / "u1_L1.csv", _levels(9))
    again = tmp_path / "u1_L1_again.csv"
    again.write_bytes(a.read_bytes().replace(b"\n", b"\r\n"))
    assert shared_content([Filed("u1", a, "L1"), Filed("u1", again, "L1")]) == {}
    l2 = tmp_path / "u1_L2.csv"
    l2.write_bytes(again.read_bytes())
    found = shared_content([Filed("u1", a, "L1"), Filed("u1", l2, "L2")])
    assert set(found) == {a, l2}
    assert found[l2].others_text("u1", "L2") == f"port L1 of unit u1 ({a.as_posix()})"


def _sigmf(folder: Path, name: str, samples: bytes, freq_hz: float) -> Path:
    meta = {
        "global": {"core:datatype": "cf32_le", "core:sample_rate": 1e6, "core:version": "1.2.0"},
        "captures": [{"core:sample_start": 0, "core:frequency": freq_hz}],
        "annotations": [],
    }
    (folder / f"{name}.sigmf-data").write_bytes(samples)
    path = folder / f"{name}.sigmf-meta"
    path.write_text(json.dumps(meta), encoding="utf-8")
    return path


def test_a_sigmf_recording_with_edited_metadata_is_one_measurement(tmp_path: Path) -> None:
    samples = np.random.default_rng(10).normal(size=512).astype("<f4").tobytes()
    a = _sigmf(tmp_path, "u1_H", samples, 100e6)
    b = _sigmf(tmp_path, "u2_H", samples, 100.5e6)  # the metadata edited, the samples kept
    assert _shared(a, b) is Identical.SAMPLES
    other = np.random.default_rng(11).normal(size=512).astype("<f4").tobytes()
    c = _sigmf(tmp_path, "u3_H", other, 100e6)
    assert _shared(a, c) is None
    zeros = bytes(len(samples))  # two recordings of nothing: no measurement to compare
    d, e = _sigmf(tmp_path, "u4_H", zeros, 100e6), _sigmf(tmp_path, "u5_H", zeros, 200e6)
    assert _shared(d, e) is None
