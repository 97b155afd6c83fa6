"""``rfcheck receiver`` (and ``rfcheck info`` on recordings) through Click's CliRunner.

Recordings are generated in tmp_path: a real-sample SigMF CW at 500 kHz (Band B), and I/Q
variants. For a CW every CISPR detector reads the sine's RMS value: 10 mV peak ->
7.0711 mV -> 76.99 dBµV. Readings are checked on 1.2 s records (the Band B RMS-average
meter needs ~1.1 s to settle); output-format tests use a short record (its settling
warnings go to stderr).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import tarfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.frequency import parse_frequency
from rfcheck.io.sigmf_reader import DEFAULT_SCALE_NOTE

FS = 1.2e6  # [Hz]
F_CW = 500e3  # [Hz]
AMP = 10e-3  # [V] peak
CW_DBUV = 20 * math.log10(AMP / math.sqrt(2) / 1e-6)  # 76.99 dBµV
DURATION = 1.2  # [s]
SHORT = 0.05  # [s]


def _write_sigmf(
    path: Path,
    data: np.ndarray,
    datatype: str,
    glob: dict[str, Any] | None = None,
    capture: dict[str, Any] | None = None,
) -> Path:
    meta = {
        "global": {
            "core:datatype": datatype,
            "core:sample_rate": FS,
            "core:version": "1.2.0",
            **(glob or {}),
        },
        "captures": [{"core:sample_start": 0, **(capture or {})}],
        "annotations": [],
    }
    path.with_suffix(".sigmf-data").write_bytes(np.ascontiguousarray(data).tobytes())
    meta_path = path.with_suffix(".sigmf-meta")
    meta_path.write_text(json.dumps(meta))
    return meta_path


def _times(duration: float) -> np.ndarray:
    """Sample instants of a ``duration``-second record at FS [s]."""
    return np.arange(int(FS * duration)) / FS


def _real_cw(duration: float) -> np.ndarray:
    """Return the F_CW sine, AMP peak, as float32 samples."""
    return (AMP * np.sin(2 * np.pi * F_CW * _times(duration))).astype("<f4")


def _iq_cw() -> np.ndarray:
    """I/Q CW 100 kHz above the centre, DURATION long, crest AMP (receiver convention)."""
    return (AMP * np.exp(2j * np.pi * 100e3 * _times(DURATION))).astype("<c8")


@pytest.fixture(scope="module")
def cw_real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_sigmf(tmp_path_factory.mktemp("cw") / "cw", _real_cw(DURATION), "rf32_le")


@pytest.fixture(scope="module")
def cw_short(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_sigmf(tmp_path_factory.mktemp("cws") / "cws", _real_cw(SHORT), "rf32_le")


@pytest.fixture(scope="module")
def cw_int16(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the same CW as ri16_le at half full scale: 0.5 normalised = 10 mV with V = 20 mV."""
    x = np.round(0.5 * 32768 * np.sin(2 * np.pi * F_CW * _times(DURATION))).astype("<i2")
    return _write_sigmf(tmp_path_factory.mktemp("cw16") / "cw16", x, "ri16_le")


@pytest.fixture(scope="module")
def cw_iq_no_centre(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """I/Q CW 100 kHz above an unstated centre (1 MHz intended)."""
    return _write_sigmf(tmp_path_factory.mktemp("iq") / "iq", _iq_cw(), "cf32_le")


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- frequency parameter -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text,hz",
    [
        ("150k", 150e3),
        ("1.5M", 1.5e6),
        ("1G", 1e9),
        ("30MHz", 30e6),
        ("2.5e6", 2.5e6),
        ("900", 900.0),
        ("150 kHz", 150e3),
        ("0.15M", 150e3),
    ],
)
def test_parse_frequency(text: str, hz: float) -> None:
    assert parse_frequency(text) == pytest.approx(hz)


@pytest.mark.parametrize("text", ["1.5m", "abc", "-1M", "1T", "", "nan"])
def test_parse_frequency_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_frequency(text)


# --- readings --------------------------------------------------------------------------


def test_json_cw_reads_rms(cw_real: Path) -> None:
    doc = _json(_run("receiver", str(cw_real), "--band", "B", "--freq", "500k", "-o", "json"))
    assert doc["band"] == "B"
    assert doc["rbw_hz"] == 9e3
    assert doc["frequencies_hz"] == [500e3]
    assert doc["path"] == str(cw_real)
    assert len(doc["sha256"]) == 64
    assert isinstance(doc["warnings"], list)
    for det in ("peak", "quasi-peak", "cispr-average", "rms-average"):
        assert len(doc[det]) == 1
        assert doc[det][0] == round(doc[det][0], 2)
    assert doc["rms-average"][0] == pytest.approx(CW_DBUV, abs=0.1)
    assert doc["peak"][0] == pytest.approx(CW_DBUV, abs=0.5)


def test_detector_selection_and_aliases(cw_short: Path) -> None:
    doc = _json(
        _run(
            "receiver",
            str(cw_short),
            "--band",
            "b",
            "--freq",
            "500k",
            "--detector",
            "rms-average,pk",
            "-o",
            "json",
        )
    )
    assert [k for k in ("peak", "quasi-peak", "cispr-average", "rms-average") if k in doc] == [
        "peak",
        "rms-average",
    ]


def test_freq_list(cw_short: Path) -> None:
    doc = _json(
        _run(
            "receiver",
            str(cw_short),
            "--band",
            "B",
            "--freq",
            "0.5M",
            "--freq",
            "450k",
            "--detector",
            "peak",
            "-o",
            "json",
        )
    )
    assert doc["frequencies_hz"] == [450e3, 500e3]
    assert doc["peak"][1] - doc["peak"][0] > 20  # 50 kHz off a 9 kHz RBW: far down


def test_start_stop_step(cw_short: Path) -> None:
    doc = _json(
        _run(
            "receiver",
            str(cw_short),
            "--band",
            "B",
            "--start",
            "350k",
            "--stop",
            "550k",
            "--step",
            "50k",
            "--detector",
            "peak",
            "-o",
            "json",
        )
    )
    assert doc["frequencies_hz"] == [350e3, 400e3, 450e3, 500e3, 550e3]
    assert int(np.argmax(doc["peak"])) == 3


def test_csv_output(cw_real: Path) -> None:
    result = _run(
        "receiver",
        str(cw_real),
        "--band",
        "B",
        "--freq",
        "500k",
        "--freq",
        "480k",
        "--detector",
        "peak,rms-average",
        "-o",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "frequency_hz,peak_dbuv,rms_average_dbuv,peak_bound,rms_average_bound,band,"
    )
    assert len(lines) == 3
    f, pk, rms, pk_bound, rms_bound = next(csv.reader([lines[2]]))[:5]
    assert float(f) == 500e3
    assert float(rms) == pytest.approx(CW_DBUV, abs=0.1)
    assert (pk_bound, rms_bound) == ("measured", "measured")  # 1.2 s settles both


# --- what each reading is: measured or a lower bound (short record) ------------------------


def test_csv_marks_unsettled_readings_as_lower_bounds(cw_real: Path) -> None:
    # 1.2 s in Band B: peak (0.47 ms) and CISPR-average (1.12 s) settle, quasi-peak (1.61 s)
    # does not, so its reading is only a lower bound, in the data itself, not only on stderr
    result = _run("receiver", str(cw_real), "--band", "B", "--freq", "500k", "-o", "csv")
    assert result.exit_code == 0, result.stderr
    header, row = csv.reader(result.stdout.splitlines())
    cells = dict(zip(header, row, strict=True))
    assert cells["peak_bound"] == "measured"
    assert cells["cispr_average_bound"] == "measured"
    assert cells["quasi_peak_bound"] == "lower bound"
    assert float(cells["quasi_peak_dbuv"]) < CW_DBUV  # it does read low


def test_json_bound_per_detector(cw_short: Path) -> None:
    doc = _json(_run("receiver", str(cw_short), "--band", "B", "--freq", "500k", "-o", "json"))
    assert doc["bound"] == {
        "peak": "measured",
        "quasi-peak": "lower bound",
        "cispr-average": "lower bound",
        "rms-average": "lower bound",
    }


def test_text_prefixes_lower_bound_readings(cw_short: Path) -> None:
    result = _run("receiver", str(cw_short), "--band", "B", "--freq", "500k")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    row = lines[3]
    assert row.count("\u2265 ") == 3  # QP, CAV and RMS of a 0.05 s record; the peak settles
    assert not row.split()[1].startswith("\u2265")
    assert lines[4] == (
        "# \u2265: lower bound (quasi-peak, cispr-average, rms-average): the record (0.05 s) "
        "is shorter than the detector needs to settle; the true reading may be higher"
    )


def test_text_of_a_settled_record_has_no_mark(cw_real: Path) -> None:
    result = _run("receiver", str(cw_real), "--band", "B", "--freq", "500k", "--detector", "pk,cav")
    assert result.exit_code == 0, result.stderr
    assert "\u2265" not in result.stdout
    lines = result.stdout.splitlines()
    # two header lines, the column names, one row, the default-scale warning
    assert len(lines) == 5
    assert lines[-1].startswith("# warning: samples taken as volts")


def test_text_output(cw_short: Path) -> None:
    result = _run("receiver", str(cw_short), "--band", "B", "--freq", "500k")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "frequency [MHz]" in out
    for det in ("peak", "quasi-peak", "cispr-average", "rms-average"):
        assert det in out
    row = next(r for r in out.splitlines() if r.lstrip().startswith("0.5")).split()
    assert float(row[0]) == pytest.approx(0.5)
    assert math.isfinite(float(row[-1]))
    assert "settle" in result.stderr  # short record: the warning goes to stderr


def test_volts_per_unit_on_int16(cw_int16: Path) -> None:
    args = [
        "receiver",
        str(cw_int16),
        "--band",
        "B",
        "--freq",
        "500k",
        "--detector",
        "rms-average",
        "-o",
        "json",
    ]
    default = _json(_run(*args))["rms-average"][0]
    # 0.5 of full scale at 1 V per unit = 0.5 V peak.
    assert default == pytest.approx(20 * math.log10(0.5 / math.sqrt(2) / 1e-6), abs=0.1)
    scaled = _json(_run(*args, "--volts-per-unit", "0.02"))["rms-average"][0]
    assert scaled == pytest.approx(CW_DBUV, abs=0.1)


def test_iq_without_centre_needs_center_freq(cw_iq_no_centre: Path) -> None:
    result = _run("receiver", str(cw_iq_no_centre), "--band", "B", "--freq", "1.1M")
    assert result.exit_code == 3
    assert "--center-freq" in result.stderr
    assert "Traceback" not in result.output
    doc = _json(
        _run(
            "receiver",
            str(cw_iq_no_centre),
            "--band",
            "B",
            "--freq",
            "1.1M",
            "--center-freq",
            "1M",
            "--detector",
            "rms-average",
            "-o",
            "json",
        )
    )
    assert doc["frequencies_hz"] == [1.1e6]
    assert doc["rms-average"][0] == pytest.approx(CW_DBUV, abs=0.1)


def test_iqtar_with_stated_centre(tmp_path: Path) -> None:
    x = _iq_cw()
    xml = (
        '<?xml version="1.0"?>\n<RS_IQ_TAR_FileFormat fileFormatVersion="2"><Name>FSV</Name>'
        f"<DateTime>2024-01-01T00:00:00</DateTime><Samples>{x.size}</Samples>"
        f'<Clock unit="Hz">{FS}</Clock><Format>complex</Format><DataType>float32</DataType>'
        '<ScalingFactor unit="V">1</ScalingFactor><NumberOfChannels>1</NumberOfChannels>'
        "<DataFilename>r.complex.1ch.float32</DataFilename><UserData><CenterFrequency "
        'unit="Hz">1000000</CenterFrequency></UserData></RS_IQ_TAR_FileFormat>'
    )
    path = tmp_path / "r.iq.tar"
    with tarfile.open(path, "w") as tar:
        for name, payload in (("r.xml", xml.encode()), ("r.complex.1ch.float32", x.tobytes())):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    doc = _json(
        _run(
            "receiver",
            str(path),
            "--band",
            "B",
            "--freq",
            "1.1M",
            "--detector",
            "rms-average",
            "-o",
            "json",
        )
    )
    assert doc["rms-average"][0] == pytest.approx(CW_DBUV, abs=0.1)


# --- usage and input errors --------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        ["--band", "Z"],
        ["--band", "B", "--freq", "1.5m"],
        ["--band", "B", "--freq", "500k", "--start", "400k", "--stop", "600k"],
        ["--band", "B", "--start", "400k"],
        ["--band", "B", "--detector", "bogus"],
        ["--band", "E", "--detector", "qp"],
        ["--band", "B", "--start", "600k", "--stop", "400k"],
        ["--band", "B", "--volts-per-unit", "0"],
        ["--band", "B", "--center-freq", "1M"],  # real samples: no centre to state
        ["--band", "B", "-o", "xml"],
    ],
)
def test_usage_errors_exit_2(cw_short: Path, extra: list[str]) -> None:
    result = _run("receiver", str(cw_short), *extra)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.output


def test_missing_band_exit_2(cw_short: Path) -> None:
    assert _run("receiver", str(cw_short)).exit_code == 2


def test_unreadable_exit_3(tmp_path: Path) -> None:
    result = _run("receiver", str(tmp_path / "nope.sigmf-meta"), "--band", "B")
    assert result.exit_code == 3
    assert result.stderr.startswith("rfcheck: error: ")
    assert "no such file" in result.stderr
    bad = tmp_path / "bad.sigmf-meta"
    bad.write_text("{not json")
    result = _run("receiver", str(bad), "--band", "B")
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert str(bad) in result.stderr and "invalid JSON" in result.stderr


def test_out_of_band_recording_exit_3(tmp_path: Path) -> None:
    x = np.zeros(int(FS * 0.05), dtype="<c8")
    meta = _write_sigmf(tmp_path / "uhf", x, "cf32_le", capture={"core:frequency": 900e6})
    result = _run("receiver", str(meta), "--band", "B")
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert "Traceback" not in result.output


def _narrow_iq(tmp_path: Path, rate_hz: float, centre_hz: float = 1e6) -> Path:
    """Write a CW I/Q recording at ``centre_hz`` (Band B, B6 9 kHz), ``rate_hz`` wide, 0.1 s."""
    t = np.arange(int(rate_hz * 0.1)) / rate_hz
    x = (AMP * np.exp(2j * np.pi * 1e3 * t)).astype("<c8")
    return _write_sigmf(
        tmp_path / "narrow",
        x,
        "cf32_le",
        glob={"core:sample_rate": rate_hz},
        capture={"core:frequency": centre_hz},
    )


NARROW = (
    "the recording (0.996-1.004 MHz, 0.008 MHz wide) is too narrow for CISPR band B's "
    "0.009 MHz measurement bandwidth with one bandwidth to spare at each edge (CISPR 16-1-1); "
    "no frequency measured"
)


@pytest.mark.parametrize("extra", [[], ["--freq", "1.003M"], ["--start", "1M", "--stop", "1.003M"]])
def test_recording_narrower_than_the_band_rbw_is_refused_as_too_narrow(
    tmp_path: Path, extra: list[str]
) -> None:
    """An 8 kHz I/Q recording inside Band B (B6 9 kHz): no frequency fits its IF.

    Without --freq it was said not to overlap the band it lies in; with --freq every
    detector read "measured" with a truncated-IF warning only. Both now give the reason
    'rfcheck check' gives (exit 3).
    """
    meta = _narrow_iq(tmp_path, 8e3)
    result = _run("receiver", str(meta), "--band", "B", *extra)
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr == f"rfcheck: error: {meta}: {NARROW}\n"
    check = _run("check", str(meta), "--limit", "fcc-15.107-b")
    assert check.exit_code == 3
    assert f"receiver: {NARROW}" in check.stdout


def test_recording_without_room_for_the_band_rbw_at_its_edges_is_too_narrow(
    tmp_path: Path,
) -> None:
    """16 kHz of I/Q in Band B holds its 9 kHz B6 but not one B6 to spare at each edge.

    '--freq 1M' was measured: its IF, 8 kHz from both edges, read each edge through the other
    (the I/Q spectrum is circular). Now it is refused as the scan is.
    """
    meta = _narrow_iq(tmp_path, 16e3)
    want = (
        f"rfcheck: error: {meta}: the recording (0.992-1.008 MHz, 0.016 MHz wide) is too narrow "
        "for CISPR band B's 0.009 MHz measurement bandwidth with one bandwidth to spare at "
        "each edge (CISPR 16-1-1); no frequency measured\n"
    )
    for extra in ([], ["--freq", "1M"]):
        result = _run("receiver", str(meta), "--band", "B", *extra)
        assert result.exit_code == 3
        assert result.stderr == want


def test_freq_within_one_b6_of_the_iq_edge_is_refused_in_one_line(tmp_path: Path) -> None:
    """50 kHz of I/Q at 1 MHz: '--freq 1.02M' is 5 kHz from the edge."""
    meta = _narrow_iq(tmp_path, 50e3)
    result = _run("receiver", str(meta), "--band", "B", "--freq", "1M", "--freq", "1.02M")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        f"rfcheck: error: {meta}: 1.02 MHz is within one B6 (9 kHz, band B) of the "
        "recording's edge (975 kHz .. 1.025 MHz): the I/Q spectrum wraps round there and the "
        "IF would read the opposite edge; it measures 984 kHz .. 1.016 MHz\n"
    )
    fits = _run("receiver", str(meta), "--band", "B", "--freq", "1.016M", "-o", "json")
    assert fits.exit_code == 0, fits.stderr
    assert _json(fits)["bound"]["peak"] == "measured"


def test_recording_two_to_two_and_a_half_bandwidths_wide_is_measured_at_its_centre(
    tmp_path: Path,
) -> None:
    """20 kHz of I/Q at 1.39 MHz: its usable band (1.389-1.391 MHz) holds no B6/2 grid point.

    (The grid is 150 kHz + k x 4.5 kHz: 1.3875 and 1.392 MHz.) The default scan and 'rfcheck
    check' refused it as too narrow while '--freq 1.39M' measured it cleanly. Now
    the scan measures the usable band's centre, as --freq does, and check judges that reading.
    """
    meta = _narrow_iq(tmp_path, 20e3, 1.39e6)
    scan = _run("receiver", str(meta), "--band", "B", "-o", "json")
    assert scan.exit_code == 0, scan.stderr
    assert _json(scan)["frequencies_hz"] == [1.39e6]
    tuned = _run("receiver", str(meta), "--band", "B", "--freq", "1.39M", "-o", "json")
    assert tuned.exit_code == 0, tuned.stderr
    assert _json(scan) == _json(tuned)
    check = _run("check", str(meta), "--limit", "fcc-15.107-b")
    assert check.exit_code != 3, check.output
    assert "too narrow" not in check.output


# --- rfcheck info on recordings ------------------------------------------------------------


def test_info_shows_recordings(cw_short: Path, cw_iq_no_centre: Path) -> None:
    result = _run("info", str(cw_short))
    assert result.exit_code == 0, result.output
    assert "format:     sigmf" in result.output
    assert "kind=real" in result.output and "fs=1.2 MHz" in result.output
    doc = _json(_run("info", str(cw_short), "-o", "json"))
    (ts,) = doc[0]["time_series"]
    assert ts["kind"] == "real" and ts["samples"] == int(FS * SHORT) and ts["dtype"] == "float32"
    noted = _run("info", str(cw_iq_no_centre))
    assert noted.exit_code == 0
    assert "note:" in noted.output and "--center-freq" in noted.output


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sigmf(folder: Path, glob: dict[str, Any] | None = None) -> Path:
    """Write the short CW as ``folder/rec.sigmf-meta`` (+ data file); return the metadata path."""
    folder.mkdir(parents=True, exist_ok=True)
    return _write_sigmf(folder / "rec", _real_cw(SHORT), "rf32_le", glob)


# --- frequencies within the band, no float artefacts; the default volts scale is stated ---
@pytest.mark.parametrize(
    "args,option,text",
    [
        (
            ["--band", "C", "--freq", "500k"],
            "'--freq'",
            "500 kHz is outside band C (30 MHz .. 300 MHz)",
        ),
        (
            ["--band", "B", "--freq", "900M"],
            "'--freq'",
            "900 MHz is outside band B (150 kHz .. 30 MHz)",
        ),
        (
            ["--band", "B", "--start", "100k", "--stop", "500k"],
            "'--start'",
            "100 kHz is outside band B",
        ),
    ],
)
def test_receiver_frequency_outside_band_is_usage_error(
    tmp_path: Path, args: list[str], option: str, text: str
) -> None:
    result = _run("receiver", str(_sigmf(tmp_path)), *args)
    assert result.exit_code == 2, result.output
    assert option in result.stderr and text in result.stderr


def test_receiver_frequencies_are_rounded(tmp_path: Path) -> None:
    assert parse_frequency("1.3927341M") == 1392734.1
    assert parse_frequency("0.15M") == 150000.0
    meta = _sigmf(tmp_path)
    result = _run(
        "receiver",
        str(meta),
        "--band",
        "B",
        "--freq",
        "500.0001k",
        "--detector",
        "pk",
        "-o",
        "json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["frequencies_hz"] == [500000.1]
    assert doc["companions"] == [
        {"path": str(tmp_path / "rec.sigmf-data"), "sha256": _sha(tmp_path / "rec.sigmf-data")}
    ]


def test_receiver_notes_the_default_volts_scale(tmp_path: Path) -> None:
    meta = _sigmf(tmp_path)
    args = (
        "receiver",
        str(meta),
        "--band",
        "B",
        "--freq",
        "500k",
        "--detector",
        "pk",
        "-o",
        "json",
    )
    doc = json.loads(_run(*args).stdout)
    assert DEFAULT_SCALE_NOTE in doc["warnings"]
    assert (
        DEFAULT_SCALE_NOTE
        not in json.loads(_run(*args, "--volts-per-unit", "1").stdout)["warnings"]
    )
    ext = {
        "core:extensions": [{"name": "rfcheck", "version": "0.1.0", "optional": True}],
        "rfcheck:volts_per_unit": 1.0,
    }
    stated = _sigmf(tmp_path / "s", glob=ext)
    doc = json.loads(_run("receiver", str(stated), *args[2:]).stdout)
    assert doc["warnings"] == []  # declared extension: no note at all


def test_receiver_messages_print_frequencies_in_the_frequency_home_format(cw_short: Path) -> None:
    result = _run(
        "receiver", str(cw_short), "--band", "B", "--start", "1.5M", "--stop", "1M", "-o", "csv"
    )
    assert result.exit_code == 2
    assert "--stop 1 MHz is below --start 1.5 MHz" in result.stderr


def test_receiver_help_lists_every_band_of_the_band_table() -> None:
    from rfcheck.cispr import BANDS
    from rfcheck.frequency import format_hz

    text = " ".join(_run("receiver", "--help").stdout.split())
    assert "A 9 kHz .. 150 kHz, B 150 kHz .. 30 MHz" in text
    assert "C/D (or CD) 30 MHz .. 1 GHz" in text
    for key, spec in BANDS.items():
        lo, hi = format_hz(spec.f_lo_hz, digits=10), format_hz(spec.f_hi_hz, digits=10)
        assert f"{'C/D (or CD)' if key == 'CD' else key} {lo} .. {hi}" in text
