"""Generic CSV level-column units: every spelling a lab writes for dBµV/m, and no guesses.

The column-name scheme is ``<label>_<unit>`` or ``<label> (<unit>)``
(:mod:`rfcheck.io.generic_csv`); field strength is one unit however it is spelled, and a
unit the loader does not know stays a one-line error naming the file, the line and the column.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.errors import CaptureFormatError
from rfcheck.io.generic_csv import read_generic_csv
from rfcheck.units import LevelUnit


def _write(tmp_path: Path, column: str, unit_comment: str = "") -> Path:
    path = tmp_path / "g.csv"
    path.write_text(f"{unit_comment}freq_mhz,{column}\n30,20.5\n40,21.5\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "column",
    [
        "level_dbuv_m",
        "level_dbuv_per_m",
        "level_dBuV_per_m",
        "level_dbuv_per_meter",
        "level_dbuv_per_metre",
        "level_dbuv_metre",
        "level_dbuv/m",
        "level_dBuV/m",
        "level_dBµV/m",
        "level_dbuvm",
        "level (dBuV/m)",
        "level [dB(uV/m)]",
        "level (dBuV per m)",
        "level (dBuV_per_m)",
        "level (dBuV_m)",
    ],
)
def test_every_field_strength_spelling_is_dbuv_per_metre(tmp_path: Path, column: str) -> None:
    (trace,) = read_generic_csv(_write(tmp_path, column)).traces
    assert trace.unit is LevelUnit.DBUV_M
    assert trace.name == "level"
    assert list(trace.level) == [20.5, 21.5]


def test_the_unit_comment_takes_the_same_spellings(tmp_path: Path) -> None:
    (trace,) = read_generic_csv(_write(tmp_path, "QP", "# unit: dBuV_per_m\n")).traces
    assert trace.unit is LevelUnit.DBUV_M


@pytest.mark.parametrize(
    ("column", "unit"),
    [
        ("level_dbw_m", "dbw/m"),
        ("level_dbuv_per_ft", "dbuv/ft"),
        ("level_dbw_per_m", "dbw/m"),
        ("level (dBW_m)", "dBW_m"),
    ],
)
def test_an_unknown_unit_is_still_refused(tmp_path: Path, column: str, unit: str) -> None:
    with pytest.raises(CaptureFormatError, match=f"unknown level unit {unit!r}") as exc:
        read_generic_csv(_write(tmp_path, column))
    assert exc.value.line == 1


def test_cli_refuses_an_unknown_unit_in_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "level_dbuv_per_ft")
    res = CliRunner().invoke(main, ["info", str(path)])
    assert res.exit_code == 3
    assert res.stderr == (
        f"rfcheck: error: {path.as_posix()}:1: column 'level_dbuv_per_ft': "
        "unknown level unit 'dbuv/ft'\n"
    )


def test_a_per_metre_word_without_a_db_unit_is_a_label(tmp_path: Path) -> None:
    (trace,) = read_generic_csv(_write(tmp_path, "noise_per_m")).traces
    assert (trace.name, trace.unit) == ("noise_per_m", None)


def test_the_instrument_comment_is_kept_beside_the_model(tmp_path: Path) -> None:
    """``# instrument`` disappeared from every report when ``# model`` was given too."""
    from rfcheck.io import load_capture

    path = tmp_path / "scan.csv"
    path.write_text(
        "# instrument: Acme EMI-9000 s/n 1234\n# model: EMI-9000\n# vendor: Acme\n"
        "Frequency (MHz),Peak (dBuV)\n0.15,40\n0.2,41\n",
        encoding="utf-8",
    )
    inst = load_capture(path).instrument
    assert inst.describe() == "Acme EMI-9000 (Acme EMI-9000 s/n 1234)"
    path.write_text(
        "# instrument: Acme EMI-9000 s/n 1234\nFrequency (MHz),Peak (dBuV)\n0.15,40\n0.2,41\n",
        encoding="utf-8",
    )
    assert load_capture(path).instrument.model == "Acme EMI-9000 s/n 1234"
