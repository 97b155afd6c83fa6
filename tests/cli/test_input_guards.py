"""Guards found by the acceptance audit.

Non-finite readings, impossible distances, duplicate limit ids, the format kept on post-load errors,
'--detector unknown'.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.analysis import analyse_file
from rfcheck.cli import main
from rfcheck.settings import CheckSettings

KEYSIGHT = """Trace\r
Swept SA\r
A.25.08,N9038A\r
Number of Points,3\r
RBW,9000\r
Detector,Peak\r
X Axis Units,Hz\r
Y Axis Units,dBuV\r
DATA\r
150000,20.0\r
160000,{mid}\r
170000,21.0\r
"""


def _keysight(tmp_path: Path, mid: str) -> Path:
    f = tmp_path / f"k_{mid}.csv"
    f.write_text(KEYSIGHT.format(mid=mid), encoding="ascii")
    return f


@pytest.mark.parametrize("bad", ["inf", "-inf", "nan"])
def test_non_finite_reading_is_an_input_error(tmp_path: Path, bad: str) -> None:
    f = _keysight(tmp_path, bad)
    result = CliRunner().invoke(main, ["check", str(f), "--limit", "fcc-15.107-b"])
    assert result.exit_code == 3, result.output
    assert f"{f}:11: DATA: not a number in column 2: {bad!r}" in result.output


@pytest.mark.parametrize("distance", ["inf", "nan", "0", "-3"])
def test_impossible_distance_is_a_usage_error(tmp_path: Path, distance: str) -> None:
    f = _keysight(tmp_path, "22.0")
    result = CliRunner().invoke(
        main, ["check", str(f), "--limit", "fcc-15.109-b", "--distance", distance]
    )
    assert result.exit_code == 2, result.output
    assert "--distance" in result.output


def test_repeated_limit_id_is_judged_once(tmp_path: Path) -> None:
    f = _keysight(tmp_path, "22.0")
    res = analyse_file(f, CheckSettings(limit_ids=("fcc-15.107-b", "fcc-15.107-b")))
    assert [(c.limit_id, c.line) for c in res.checks] == [
        ("fcc-15.107-b", "QP"),
        ("fcc-15.107-b", "AV"),
    ]


def test_user_file_may_not_reuse_a_shipped_id(tmp_path: Path) -> None:
    from rfcheck.limits import shipped_root

    text = (shipped_root() / "fcc-15.107-a.toml").read_text(encoding="utf-8")
    dup = tmp_path / "dup.toml"
    dup.write_text(text.replace('id = "fcc-15.107-a"', 'id = "fcc-15.107-b"'), encoding="utf-8")
    f = _keysight(tmp_path, "22.0")
    res = analyse_file(f, CheckSettings(limit_ids=("fcc-15.107-b",), limit_files=(dup,)))
    assert res.verdict.value == "ERROR"
    assert "id 'fcc-15.107-b' is a shipped table's, but this file holds" in res.errors[0].message
    # two user files may not share an id of their own either
    own = text.replace('id = "fcc-15.107-a"', 'id = "lab-a"')
    (tmp_path / "one.toml").write_text(own, encoding="utf-8")
    (tmp_path / "two.toml").write_text(own.replace("QP = 79.0", "QP = 78.0"), encoding="utf-8")
    two = (tmp_path / "one.toml", tmp_path / "two.toml")
    res = analyse_file(f, CheckSettings(limit_files=two))
    assert "limit id 'lab-a' is used by two tables" in res.errors[0].message


def test_format_kept_when_judging_fails_after_loading(tmp_path: Path) -> None:
    f = _keysight(tmp_path, "22.0")
    res = analyse_file(f, CheckSettings(limit_ids=("fcc-15.109-b",)))  # dBuV, radiated, no AF
    assert res.verdict.value == "ERROR"
    assert res.format == "keysight-xseries"
    assert res.sha256 and len(res.sha256) == 64


def test_format_named_when_the_reader_fails_after_detecting_it(tmp_path: Path) -> None:
    """A y-Unit the reader refuses gave format null, one refused later a name."""
    f = tmp_path / "w.DAT"
    f.write_text(
        "Type;FSW-26;\nVersion;3.10;\nx-Unit;Hz;\ny-Unit;W;\nValues;2;\n150000;1e-9;\n"
        "160000;1e-9;\n",
        encoding="latin-1",
    )
    res = analyse_file(f, CheckSettings(limit_ids=("fcc-15.107-b",)))
    assert res.verdict.value == "ERROR"
    assert res.format == "rs-ascii"
    unknown = tmp_path / "notes.txt"
    unknown.write_text("nothing a reader knows\n", encoding="utf-8")
    assert analyse_file(unknown, CheckSettings(limit_ids=("fcc-15.107-b",))).format is None


def test_detector_unknown_is_not_a_statement(tmp_path: Path) -> None:
    f = _keysight(tmp_path, "22.0")
    result = CliRunner().invoke(main, ["info", str(f), "--detector", "unknown"])
    assert result.exit_code == 2
    assert "unknown detector 'unknown'" in result.output


def test_setup_volts_per_unit_on_integer_sigmf_matches_the_receiver(tmp_path: Path) -> None:
    """Check's volts_per_unit is volts per full-scale unit, like `receiver --volts-per-unit`."""
    import json

    import numpy as np

    fs, f0, n = 200e3, 1.0e6, int(2.0 * 200e3)
    t = np.arange(n) / fs
    # ci16: a tone at 20 kHz offset, amplitude 0.5 full scale
    iq = 0.5 * np.exp(2j * np.pi * 20e3 * t)
    raw = np.empty(2 * n, dtype="<i2")
    raw[0::2] = np.round(iq.real * 32767)
    raw[1::2] = np.round(iq.imag * 32767)
    (tmp_path / "r.sigmf-data").write_bytes(raw.tobytes())
    meta = {
        "global": {"core:datatype": "ci16_le", "core:sample_rate": fs, "core:version": "1.0.0"},
        "captures": [{"core:sample_start": 0, "core:frequency": f0}],
        "annotations": [],
    }
    (tmp_path / "r.sigmf-meta").write_text(json.dumps(meta), encoding="utf-8")
    args = [
        "receiver",
        str(tmp_path / "r.sigmf-meta"),
        "--band",
        "B",
        "--volts-per-unit",
        "0.01",
        "--detector",
        "peak",
        "-o",
        "json",
    ]
    on_tone = CliRunner().invoke(main, [*args, "--freq", "1.02M"])
    assert on_tone.exit_code == 0, on_tone.output
    # IQ magnitude 0.5 x 0.01 V -> 5 mV peak -> 3.54 mV rms = 70.97 dBuV
    assert json.loads(on_tone.stdout)["peak"][0] == pytest.approx(70.97, abs=0.1)
    res = analyse_file(
        tmp_path / "r.sigmf-meta", CheckSettings(limit_ids=("fcc-15.107-b",), volts_per_unit=0.01)
    )
    # check scans the default grid, then measures again at the tone's own frequency
    # (rfcheck.receiver.finals): its highest peak is the receiver's on-tone reading
    peak_trace = next(t for t in res.plot_traces if t.detector == "peak")
    assert float(np.max(peak_trace.level)) == pytest.approx(
        json.loads(on_tone.stdout)["peak"][0], abs=0.01
    )


def test_keysight_antenna_correction_is_refused_as_cable_loss(tmp_path: Path) -> None:
    from rfcheck.corrections import read_table
    from rfcheck.errors import CorrectionError

    src = Path(__file__).parents[1] / "fixtures" / "check" / "keysight_cable.csv"
    ant = tmp_path / "ant.csv"
    ant.write_text(
        src.read_text(encoding="utf-8").replace("Antenna Unit,None", "Antenna Unit,dBuV/m"),
        encoding="utf-8",
    )
    with pytest.raises(
        CorrectionError, match=r"Antenna Unit 'dBuV/m': this is an antenna correction"
    ):
        read_table(ant, "cable-loss")
    assert read_table(ant, "antenna-factor").value_db[0] == 1.0  # fine as an antenna factor
    assert read_table(src, "cable-loss").value_db[-1] == 3.0  # "None": a plain dB correction


def test_limit_file_with_av_above_qp_is_malformed(tmp_path: Path) -> None:
    from rfcheck.errors import LimitFileError
    from rfcheck.limits import load_limit_file, shipped_root

    text = (shipped_root() / "fcc-15.107-b.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text.replace('id = "fcc-15.107-b"', 'id = "my-lab"').replace("AV = 46.0", "AV = 70.0"),
        encoding="utf-8",
    )
    with pytest.raises(LimitFileError, match=r"segment 0.5-5 MHz: line AV is above line QP"):
        load_limit_file(bad)
    result = CliRunner().invoke(main, ["limits", "validate", str(bad)])
    assert result.exit_code == 3 and "line AV is above line QP" in result.output


def test_combine_refuses_the_same_file_twice(tmp_path: Path) -> None:
    f = _keysight(tmp_path, "22.0")
    result = CliRunner().invoke(
        main,
        ["check", str(f), str(tmp_path / "." / f.name), "--combine", "--limit", "fcc-15.107-b"],
    )
    assert result.exit_code == 2
    assert "with itself" in result.output


def test_combine_members_must_share_the_highest_frequency(tmp_path: Path) -> None:
    from rfcheck.combine import check_combinable
    from rfcheck.errors import AnalysisError

    a, b = _keysight(tmp_path, "22.0"), _keysight(tmp_path, "23.0")
    s = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0)
    check_combinable([a, b], [s, s])
    with pytest.raises(AnalysisError, match="highest frequency 700 MHz"):
        check_combinable([a, b], [s.override(highest_frequency_hz=700e6), s])


def test_combine_member_overlapping_no_limit_is_a_usage_error(tmp_path: Path) -> None:
    """A conducted scan combined into a radiated check covers none of it: exit 2, as alone."""
    a = _keysight(tmp_path, "22.0")
    b = tmp_path / "radiated.csv"
    b.write_text(
        KEYSIGHT.replace("150000", "30000000")
        .replace("160000", "60000000")
        .replace("170000", "90000000")
        .replace("RBW,9000", "RBW,120000")
        .format(mid="30.0"),
        encoding="ascii",
    )
    alone = CliRunner().invoke(main, ["check", str(a), "--limit", "fcc-15.109-b"])
    assert alone.exit_code == 2, alone.output
    result = CliRunner().invoke(
        main, ["check", str(b), str(a), "--combine", "--limit", "fcc-15.109-b"]
    )
    assert result.exit_code == 2, result.output
    assert "overlaps any requested limit line" in result.output
