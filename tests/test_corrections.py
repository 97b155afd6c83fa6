"""Transducer tables and the correction chain.

Every format, log-f interpolation, refusal to extrapolate, and the unit algebra (dBm -> dBµV at 50
Ω, dBµV + AF -> dBµV/m).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.corrections import build_chain, read_table, split_unit_suffix
from rfcheck.errors import AnalysisError, CorrectionError
from rfcheck.settings import load_setup
from rfcheck.units import LevelUnit

REAL = Path(
    os.environ.get(
        "RFCHECK_REAL_CAPTURES",
        Path(__file__).resolve().parents[1].parent / "shared" / "real_captures",
    )
)
TRANSDUCERS = REAL / "transducers"


def real(name: str) -> Path:
    p = TRANSDUCERS / name
    if not p.exists():
        pytest.skip(f"real transducer table absent: {p}")
    return p


def test_two_column_csv_with_units(tmp_path: Path) -> None:
    p = tmp_path / "af.csv"
    p.write_bytes(
        b"Frequency (MHz),Antenna Factor (dB/m)\r\n100,10\r\n1000,20"
    )  # CRLF, no final newline
    t = read_table(p, "antenna-factor")
    assert t.freq_hz.tolist() == [100e6, 1000e6]
    # linear in log f: half-way in log f (316.23 MHz) is half-way in value
    assert float(t.at([math.sqrt(100e6 * 1000e6)])[0]) == pytest.approx(15.0, abs=1e-9)
    assert float(t.at([100e6])[0]) == 10.0 and float(t.at([1000e6])[0]) == 20.0


def test_refuses_to_extrapolate_naming_table_and_frequency(tmp_path: Path) -> None:
    p = tmp_path / "af.csv"
    p.write_text("Frequency (MHz),Antenna Factor (dB/m)\n100,10\n1000,20\n")
    t = read_table(p, "antenna-factor")
    with pytest.raises(
        CorrectionError,
        match=r"antenna factor table af\.csv covers 100 MHz - 1 GHz.*needed at 30 MHz",
    ):
        t.at([30e6, 200e6])
    with pytest.raises(CorrectionError, match="needed at 1.0001 GHz"):
        t.at([1.0001e9])


def test_applyaf_real_tables() -> None:
    af = read_table(real("applyaf_antenna_factor_290-400MHz.csv"), "antenna-factor")
    assert af.freq_hz[0] == 290e6 and af.freq_hz[-1] == 400e6 and af.freq_hz.shape == (6,)
    assert float(af.at([300e6])[0]) == 13.0
    # 325 MHz 14.0 -> 350 MHz 14.2, log-f interpolation at 337.5 MHz
    frac = math.log10(337.5 / 325) / math.log10(350 / 325)
    assert float(af.at([337.5e6])[0]) == pytest.approx(14.0 + 0.2 * frac, abs=1e-9)
    cable = read_table(real("applyaf_cable_loss_100-1000MHz.csv"), "cable-loss")
    assert cable.value_db.tolist() == [0.20, 0.30, 0.44, 0.61]


def test_headerless_table_needs_a_stated_unit() -> None:
    p = real("lna_gain_1M-1G_bras_deau.csv")
    with pytest.raises(CorrectionError, match=r"no header.*@Hz"):
        read_table(p, "preamp-gain")
    t = read_table(f"{p}@Hz", "preamp-gain")
    assert t.freq_hz[0] == 1e6 and t.freq_hz.shape == (461,)
    assert float(t.at([1e6])[0]) == pytest.approx(24.55462646)
    assert t.source_format == "csv-headerless"


def test_multi_column_table_is_refused() -> None:
    with pytest.raises(
        CorrectionError, match="two-column table.*4 columns: mode,entry,frequency,dB"
    ):
        read_table(real("tinysa_correction_table_qttinysa.csv"), "cable-loss")


def test_rs_transducer_format(fixtures_dir: Path) -> None:
    t = read_table(fixtures_dir / "check" / "rs_transducer_af.csv", "antenna-factor")
    assert t.source_format == "rs-transducer" and t.interpolation == "log-f"
    assert t.freq_hz.tolist() == [100e6, 1e9, 2e9]
    assert float(t.at([math.sqrt(1e17)])[0]) == pytest.approx(15.0)


def test_rs_transducer_point_count_checked(tmp_path: Path, fixtures_dir: Path) -> None:
    text = (
        (fixtures_dir / "check" / "rs_transducer_af.csv")
        .read_text()
        .replace("NoOfPoints;3", "NoOfPoints;4")
    )
    p = tmp_path / "t.csv"
    p.write_text(text)
    with pytest.raises(CorrectionError, match="NoOfPoints says 4, file has 3 rows"):
        read_table(p, "antenna-factor")


def test_keysight_amplitude_correction(fixtures_dir: Path) -> None:
    t = read_table(fixtures_dir / "check" / "keysight_cable.csv", "cable-loss")
    assert t.source_format == "keysight-amplitude-correction"
    assert t.freq_hz.tolist() == [100e6, 1000e6]
    assert float(t.at([math.sqrt(1e17)])[0]) == pytest.approx(2.0)


def test_keysight_linear_interpolation(tmp_path: Path, fixtures_dir: Path) -> None:
    text = (
        (fixtures_dir / "check" / "keysight_cable.csv").read_text().replace("Logarithmic", "Linear")
    )
    p = tmp_path / "k.csv"
    p.write_text(text)
    t = read_table(p, "cable-loss")
    assert t.interpolation == "linear"
    assert float(t.at([550e6])[0]) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Frequency,Loss (dB)\n1,2\n", "states no unit"),
        ("Frequency (MHz),Loss\n1,2\n", "states no dB unit"),
        ("Frequency (MHz),Loss (dB/m)\n1,2\n", "per metre"),
        ("Frequency (MHz),Loss (dB)\n1,2\n1,3\n", "increase strictly"),
        ("Frequency (MHz),Loss (dB)\n1,abc\n", "not a number: 'abc'"),
        ("Frequency (MHz),Loss (dB)\n1,-2\n", "must be >= 0 dB"),
        ("Frequency (MHz),Loss (dB)\n", "no data rows"),
        ("", "is empty"),
    ],
)
def test_malformed_tables(tmp_path: Path, content: str, message: str) -> None:
    p = tmp_path / "c.csv"
    p.write_text(content)
    with pytest.raises(CorrectionError, match=message):
        read_table(p, "cable-loss")


def test_split_unit_suffix() -> None:
    assert split_unit_suffix("a/b.csv@MHz") == (Path("a/b.csv"), 1e6)
    assert split_unit_suffix("a/b.csv") == (Path("a/b.csv"), None)


# --- the chain and the unit algebra ------------------------------------------------------------
F = np.array([300e6, 350e6])


def test_dbm_to_dbuv_plus_constants() -> None:
    chain = build_chain(cable_loss=(1.5, 0.5), attenuator_db=10.0, preamp_gain=20.0, lisn=0.3)
    level, corr = chain.apply(F, np.array([0.0, -10.0]), LevelUnit.DBM, LevelUnit.DBUV)
    assert corr.tolist() == pytest.approx([1.5 + 0.5 + 10 + 0.3 - 20] * 2)
    assert level[0] == pytest.approx(106.9897 - 7.7, abs=1e-4)


def test_volts_and_dbmv() -> None:
    chain = build_chain()
    assert chain.apply(F, np.array([1.0, 1e-3]), LevelUnit.VOLT, LevelUnit.DBUV)[
        0
    ].tolist() == pytest.approx([120, 60])
    assert chain.apply(F, np.array([0.0, 1.0]), LevelUnit.DBMV, LevelUnit.DBUV)[
        0
    ].tolist() == pytest.approx([60, 61])


def test_dbuv_plus_af_gives_dbuv_per_m(tmp_path: Path) -> None:
    p = tmp_path / "af.csv"
    p.write_text("frequency_mhz,af_db_per_m\n290,13\n400,16\n")
    chain = build_chain(antenna_factor=p)
    level, corr = chain.apply(F, np.array([20.0, 20.0]), LevelUnit.DBUV, LevelUnit.DBUV_M)
    assert level[0] == pytest.approx(20 + 13 + 3 * math.log10(300 / 290) / math.log10(400 / 290))
    assert "antenna factor: table af.csv" in chain.describe()[0]


def test_radiated_limit_without_af_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="radiated limit .* no antenna factor"):
        build_chain().apply(F, np.zeros(2), LevelUnit.DBUV, LevelUnit.DBUV_M)
    with pytest.raises(AnalysisError, match="radiated limit"):
        build_chain().apply(F, np.zeros(2), LevelUnit.DBM, LevelUnit.DBUV_M)


def test_double_af_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "af.csv"
    p.write_text("frequency_mhz,af_db_per_m\n290,13\n400,16\n")
    with pytest.raises(AnalysisError, match="already in dBµV/m.*twice"):
        build_chain(antenna_factor=p).apply(F, np.zeros(2), LevelUnit.DBUV_M, LevelUnit.DBUV_M)


def test_conducted_limit_with_field_strength_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="conducted limit"):
        build_chain().apply(F, np.zeros(2), LevelUnit.DBUV_M, LevelUnit.DBUV)


def test_unknown_unit_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="unknown; state it with --unit"):
        build_chain().apply(F, np.zeros(2), None, LevelUnit.DBUV)


def test_negative_constant_loss_refused() -> None:
    with pytest.raises(CorrectionError, match="cable loss must be >= 0 dB"):
        build_chain(cable_loss=(-1.0,))


SIGN = "a negative value would lower the level - check the sign convention (S21?)"
SAMPLE_LISN = Path(__file__).resolve().parents[1] / "sample_captures/transducers/lisn_factor.csv"


@pytest.mark.parametrize("kind", ["cable-loss", "lisn", "attenuator", "preamp-gain"])
def test_a_negative_loss_gain_or_lisn_constant_is_refused_with_the_sign_hint(kind: str) -> None:
    """A LISN's voltage-division factor is >= 0 dB by definition, as a loss or a gain.

    The factor is the EUT-port voltage over the measurement-port voltage in dB
    (docs/references.md §7): ``--lisn -3`` lowered every conducted level by 3 dB and turned
    an AV FAIL into a PASS, while ``--cable-loss -3`` was refused.
    """
    arg = {"lisn": "lisn", "attenuator": "attenuator_db", "preamp-gain": "preamp_gain"}
    key = arg.get(kind, "cable_loss")
    value: Any = (-3.0,) if kind == "cable-loss" else -3.0
    with pytest.raises(CorrectionError, match=r">= 0 dB, got -3 dB; ") as err:
        build_chain(**{key: value})
    assert err.value.message.endswith(SIGN)
    zero: Any = (0.0,) if kind == "cable-loss" else 0.0
    assert build_chain(**{key: zero}).correction_db(np.array([1e6])).tolist() == [0.0]


def test_a_negative_lisn_table_is_refused_the_shipped_one_is_not(tmp_path: Path) -> None:
    """An S21-signed LISN table (every factor negated) is refused as a cable-loss table is."""
    shipped = read_table(SAMPLE_LISN, "lisn")
    assert float(shipped.value_db.min()) >= 0.0
    s21 = tmp_path / "lisn_s21.csv"
    rows = SAMPLE_LISN.read_text(encoding="utf-8").splitlines()
    s21.write_text(
        "\n".join([rows[0]] + [f"{r.split(',')[0]},-{r.split(',')[1]}" for r in rows[1:]]),
        encoding="utf-8",
    )
    with pytest.raises(CorrectionError) as err:
        read_table(s21, "lisn")
    assert err.value.message == (
        "LISN voltage-division factor must be >= 0 dB (got -0.64 dB at 150 kHz); " + SIGN
    )
    # a single small dip below 0 dB is refused too: the lab states such a point as 0
    dip = tmp_path / "lisn_dip.csv"
    dip.write_text("Frequency (MHz),VDF (dB)\n0.15,0.5\n1,-0.02\n30,0.4\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match=r"got -0.02 dB at 1 MHz"):
        read_table(dip, "lisn")
    zero = tmp_path / "lisn_zero.csv"
    zero.write_text("Frequency (MHz),VDF (dB)\n0.15,0.5\n1,0\n30,0.4\n", encoding="utf-8")
    assert read_table(zero, "lisn").value_db.tolist() == [0.5, 0.0, 0.4]


def test_a_negative_lisn_is_refused_by_check_batch_and_a_setup(tmp_path: Path) -> None:
    cap = tmp_path / "l1.csv"
    cap.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (MHz),QP (dBuV)\n0.15,65.5\n", encoding="utf-8"
    )
    judged = ("--limit", "fcc-15.107-b", "--range", "0.15M-0.1545M")
    fail = _cli("check", cap, *judged, "--lisn", "0.64")
    assert fail.exit_code == 1, fail.output  # 65.5 + 0.64 = 66.14 over 66 dBµV
    refused = _cli("check", cap, *judged, "--lisn", "-0.64")
    assert refused.exit_code == 3, refused.output
    assert "LISN voltage-division factor must be >= 0 dB, got -0.64 dB; " + SIGN in refused.stderr
    setup = tmp_path / "s.toml"
    setup.write_text("[check]\nlisn = -0.64\n", encoding="utf-8")
    from_setup = _cli("check", cap, *judged, "--setup", setup)
    assert from_setup.exit_code == 3 and SIGN in from_setup.stderr
    out = tmp_path / "out"
    batch = _cli("batch", cap, "--out", out, *judged[:2], "--lisn", "-0.64", "--jobs", "1")
    assert "ERROR" in batch.output and SIGN in (out / "summary.csv").read_text(encoding="utf-8")


def test_missing_table_file(tmp_path: Path) -> None:
    with pytest.raises(CorrectionError, match="no such file"):
        build_chain(lisn=tmp_path / "lisn.csv")


# --- a constant antenna factor, from the command line and the setup file -----------------
def _cli(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def _radiated_csv(path: Path) -> Path:
    freqs = np.geomspace(30e6, 1e9, 40)
    lines = ["# rbw_hz: 120000", "Frequency (Hz),QP (dBuV)"] + [f"{f:.1f},10.00" for f in freqs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_constant_antenna_factor(tmp_path: Path) -> None:
    chain = build_chain(antenna_factor=20.0)
    assert chain.describe() == ["antenna factor: constant 20 dB/m (added)"]
    np.testing.assert_allclose(chain.correction_db(np.array([50e6, 500e6])), [20.0, 20.0])
    cap = _radiated_csv(tmp_path / "rad.csv")
    result = _cli("check", cap, "--limit", "fcc-15.109-b", "--antenna-factor", "20")
    assert result.exit_code == 5, result.output  # INCOMPLETE: a 40-point QP list, no 1-40 GHz
    assert "antenna factor: constant 20 dB/m (added)" in result.stdout
    setup = tmp_path / "s.toml"
    setup.write_text(
        '[check]\nlimits = ["fcc-15.109-b"]\nantenna_factor = 12.5\n', encoding="utf-8"
    )
    assert load_setup(setup).check.antenna_factor == 12.5
    out = tmp_path / "out"
    ok = _cli(
        "batch",
        cap,
        "--out",
        out,
        "--limit",
        "fcc-15.109-b",
        "--antenna-factor",
        "20 dB",
        "--jobs",
        "1",
    )
    assert ok.exit_code == 5, ok.output
    missing = _cli(
        "batch",
        cap,
        "--out",
        out,
        "--limit",
        "fcc-15.109-b",
        "--antenna-factor",
        tmp_path / "no.csv",
    )
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_table_edited_in_place_is_parsed_again(tmp_path: Path) -> None:
    """An edit keeping the size and the modification time still reaches the chain.

    Tables are cached by content (SHA-256), not by modification time and size.
    """
    p = tmp_path / "lisn.csv"
    p.write_text("Frequency (MHz),VDF (dB)\n0.15,1.5\n30,1.5\n", encoding="utf-8")
    stamp = os.stat(p).st_mtime_ns
    first = build_chain(lisn=p).correction_db(np.array([1e6]))
    p.write_text("Frequency (MHz),VDF (dB)\n0.15,2.5\n30,2.5\n", encoding="utf-8")
    os.utime(p, ns=(stamp, stamp))
    second = build_chain(lisn=p).correction_db(np.array([1e6]))
    assert (first[0], second[0]) == pytest.approx((1.5, 2.5))
    again = build_chain(lisn=p)
    assert again.items[0].table is build_chain(lisn=p).items[0].table  # parsed once
