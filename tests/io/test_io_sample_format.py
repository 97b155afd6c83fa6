"""A recording's sample format as the file stores it, and ``rfcheck info`` on recordings.

``info`` prints the file's sample format (``ci16_le``), not the in-memory dtype, and says an
unstated centre frequency in words instead of ``nan Hz``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.io import load_capture

from .test_io_iq import write_iqtar, write_sigmf


def _ci16(tmp_path: Path, *, centre_hz: float | None) -> Path:
    iq = np.zeros(2000, dtype="<i2")
    captures: list[dict[str, float]] = [{"core:sample_start": 0}]
    if centre_hz is not None:
        captures[0]["core:frequency"] = centre_hz
    return write_sigmf(tmp_path, "cw", iq.tobytes(), "ci16_le", sample_rate=1e5, captures=captures)


def _info(path: Path) -> list[str]:
    result = CliRunner().invoke(main, ["info", str(path)])
    assert result.exit_code == 0, result.output
    return [ln for ln in result.output.splitlines() if ln.startswith("  recording")]


def test_sigmf_recording_states_its_file_sample_format(tmp_path: Path) -> None:
    path = _ci16(tmp_path, centre_hz=1e6)
    (ts,) = load_capture(path).time_series
    assert ts.sample_format == "ci16_le" and ts.samples.dtype == np.complex64
    assert _info(path) == [
        "  recording 1  kind=iq samples=1000 fs=100 kHz centre=1 MHz duration=0.01 s "
        "band=950 kHz .. 1.05 MHz sample_format=ci16_le"
    ]
    doc = json.loads(CliRunner().invoke(main, ["info", str(path), "-o", "json"]).stdout)
    assert doc[0]["time_series"][0]["sample_format"] == "ci16_le"


def test_unstated_centre_frequency_is_said_in_words(tmp_path: Path) -> None:
    path = _ci16(tmp_path, centre_hz=None)
    (line,) = _info(path)
    assert line == (
        "  recording 1  kind=iq samples=1000 fs=100 kHz centre frequency not stated "
        "duration=0.01 s sample_format=ci16_le"
    )
    assert "nan" not in line


def test_iqtar_int16_states_its_file_sample_format(tmp_path: Path) -> None:
    data = np.zeros(2000, dtype="<i2").tobytes()
    path = write_iqtar(tmp_path / "rec.iq.tar", data, samples=1000, dtype="int16", user="")
    (ts,) = load_capture(path).time_series
    assert ts.sample_format == "complex int16"
    (line,) = _info(path)
    assert line == (
        "  recording 1 Channel 1 kind=iq samples=1000 fs=1 MHz centre frequency not stated "
        "duration=0.001 s sample_format=complex int16"
    )


def test_csv_recording_is_decimal_text(tmp_path: Path) -> None:
    path = tmp_path / "scope.csv"
    path.write_text("# sample_rate_hz: 1e6\ntime (s),volts (V)\n0,0.1\n1e-6,0.2\n")
    (ts,) = load_capture(path).time_series
    assert ts.sample_format == "decimal text"
