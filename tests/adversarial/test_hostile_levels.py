"""Levels and corrections of absurd magnitude (issue 17): refused in one line, never overflowed.

A ``-1e308`` level in a generic CSV or an R&S ``.DAT`` was accepted and printed a numpy
"overflow encountered in multiply" warning on stderr (rounding the margin), with margins of
300 digits; a ``1e308`` cable loss or LISN factor did the same. Each is now refused (exit 3)
naming the file and the point or line, before any arithmetic.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.units import LEVEL_RANGE

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
RS_DAT = SAMPLES / "conducted" / "rig_N_receiver_rs.DAT"
LISN = SAMPLES / "transducers" / "lisn_factor.csv"


def _run(*args: str) -> tuple[int, str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy RuntimeWarning would be an internal error
        res = CliRunner().invoke(main, ["check", *args, "--limit", "fcc-15.107-b"])
    return res.exit_code, res.stdout, res.stderr


@pytest.mark.parametrize("value", ["-1e308", "1e308", "1.7e308", "5e3", "-2e4"])
@pytest.mark.parametrize("unit", ["dBuV", "dBm"])
def test_generic_csv_level_of_absurd_magnitude_is_refused(
    tmp_path: Path, value: str, unit: str
) -> None:
    path = tmp_path / "hostile.csv"
    path.write_text(
        f"Frequency [Hz],Level [{unit}]\n150000,40\n200000,{value}\n400000,45\n", encoding="utf-8"
    )
    code, _, err = _run(str(path), "--detector", "peak")
    lo, hi = LEVEL_RANGE
    assert code == 3
    assert err == (
        f"rfcheck: error: {path}:3: column 'Level': implausible level {float(value):g} at "
        f"point 2 (outside {lo:g}..{hi:g}; not a measurement)\n"
    )


@pytest.mark.parametrize(
    ("axis", "row", "line"),
    [
        ("Frequency [Hz]", "400000,1e308", 7),  # a frequency file, after a commented header
        ("Time [s]", "0.002,1e308", 7),  # a time file's sample column
    ],
)
def test_generic_csv_implausible_level_names_its_file_line(
    tmp_path: Path, axis: str, row: str, line: int
) -> None:
    """README §Exit codes: ``<file>:<line>:`` when a line is known (STYLE: errors name the line)."""
    path = tmp_path / "huge.csv"
    first = "150000,40\n200000,41\n" if axis.startswith("Frequency") else "0,0.1\n0.001,0.2\n"
    unit = "dBuV" if axis.startswith("Frequency") else "V"
    path.write_text(
        f"# vendor: hand\n# model: made\n\n{axis},QP [{unit}]\n{first}{row}\n",
        encoding="utf-8",
    )
    assert path.read_text(encoding="utf-8").splitlines()[line - 1] == row
    code, _, err = _run(str(path), "--detector", "quasi-peak")
    assert code == 3
    assert err.startswith(
        f"rfcheck: error: {path}:{line}: column 'QP': implausible level 1e+308 at point 3 "
    ), err


def test_rs_dat_level_of_absurd_magnitude_is_refused(tmp_path: Path) -> None:
    text = RS_DAT.read_text(encoding="latin-1")
    hostile = tmp_path / "n.DAT"
    hostile.write_text(
        text.replace("154500.000000;28.754044;", "154500.000000;-1e308;", 1), encoding="latin-1"
    )
    code, _, err = _run(str(hostile))
    assert code == 3
    assert err == (
        f"rfcheck: error: {hostile}: TRACE 1: implausible level -1e+308 at point 2 "
        "(outside -10000..1000; not a measurement)\n"
    )


def test_blank_trace_sentinels_stay_inside_the_level_range() -> None:
    lo, hi = LEVEL_RANGE
    for sentinel in (-2.14748e03, -893.01029995664):  # Agilent ESA, Keysight X-series
        assert lo < sentinel < hi
    # the top of the range converts to finite volts and power
    with np.errstate(over="raise"):
        assert np.isfinite(10.0 ** ((hi + 107.0 - 120.0) / 10.0))


@pytest.mark.parametrize("option", ["--cable-loss", "--preamp-gain", "--attenuator"])
def test_constant_correction_of_absurd_magnitude_is_refused(option: str) -> None:
    code, _, err = _run(str(RS_DAT), option, "1e308")
    assert code == 3
    assert "implausible" in err and "1e+308 dB (magnitude over 1000 dB)" in err
    assert err.count("\n") == 1


def test_transducer_table_value_of_absurd_magnitude_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "lisn.csv"
    table.write_text(
        LISN.read_text(encoding="utf-8").replace("0.2,0.45", "0.2,1e308", 1), encoding="utf-8"
    )
    code, _, err = _run(str(RS_DAT), "--lisn", str(table))
    assert code == 3
    assert err == (
        f"rfcheck: error: {RS_DAT}: {table}:3: implausible LISN voltage-division factor "
        "1e+308 dB at 200 kHz (magnitude over 1000 dB)\n"
    )


def test_sigmf_scale_of_absurd_magnitude_is_refused(tmp_path: Path) -> None:
    # rfcheck:volts_per_unit 1e308 leaked "invalid value encountered in multiply" from the
    # receiver's filter and ended in a misleading "no trace overlaps" error
    import json

    meta = tmp_path / "rec.sigmf-meta"
    (tmp_path / "rec.sigmf-data").write_bytes(np.full(5000, 1e-4, dtype="<c8").tobytes())
    glob = {
        "core:datatype": "cf32_le",
        "core:sample_rate": 50e3,
        "core:version": "1.2.0",
        "rfcheck:volts_per_unit": 1e308,
    }
    caps = [{"core:sample_start": 0, "core:frequency": 1.39e6}]
    meta.write_text(json.dumps({"global": glob, "captures": caps, "annotations": []}), "utf-8")
    code, _, err = _run(str(meta))
    assert code == 3
    assert err == (
        f"rfcheck: error: {meta}: rfcheck:volts_per_unit 1e+308 V per unit is above the "
        "1e+12 V the receiver computes with\n"
    )
