"""``rfcheck check`` and ``rfcheck receiver`` on I/Q recordings: channels, scale, clipping.

Tiny recordings are written in tmp_path: a CW at the centre of a 50 kHz wide I/Q SigMF
recording at 1.392 MHz (Band B), 0.1 s long (a short record: its QP and CISPR-average
readings are lower bounds, enough to prove a FAIL, never a PASS). Levels: a tone of I/Q
magnitude ``A`` reads ``A/√2`` rms (docs/receiver.md).
"""

from __future__ import annotations

import csv
import html
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main

FS = 50e3  # [Hz]
CENTRE = 1.392e6  # [Hz] (on the Band B grid 150 kHz + k · 4.5 kHz)
SECONDS = 0.1  # [s]
QUIET = 100e-6 * math.sqrt(2)  # [V] crest: 40.00 dBµV, 16 dB under the QP limit
LOUD = 10e-3 * math.sqrt(2)  # [V] crest: 80.00 dBµV, 24 dB over the QP limit


def write_sigmf(
    path: Path,
    channels: list[np.ndarray],
    glob: dict[str, Any] | None = None,
    datatype: str = "cf32_le",
    capture: dict[str, Any] | None = None,
) -> Path:
    """Write ``channels`` (one array each) interleaved as SigMF frames; return the meta path."""
    frames = np.stack(channels, axis=1)  # frame k: sample k of every channel
    if datatype == "cf32_le":
        data = frames.astype("<c8").tobytes()
    else:  # ci16_le: I and Q of every channel interleaved
        pairs = np.stack([frames.real, frames.imag], axis=-1)
        data = np.round(pairs).astype("<i2").tobytes()
    meta = {
        "global": {
            "core:datatype": datatype,
            "core:sample_rate": FS,
            "core:version": "1.2.0",
            "core:num_channels": len(channels),
            **(glob or {}),
        },
        "captures": [
            {"core:sample_start": 0, "core:frequency": CENTRE} if capture is None else capture
        ],
        "annotations": [],
    }
    path.with_name(path.name + ".sigmf-data").write_bytes(data)
    meta_path = path.with_name(path.name + ".sigmf-meta")
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return meta_path


def cw(crest: float, seconds: float = SECONDS) -> np.ndarray:
    """Return a CW at the recording's centre of I/Q magnitude ``crest`` [V]."""
    return np.full(int(FS * seconds), crest, dtype=complex)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def check_json(path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    res = run("check", str(path), "--limit", "fcc-15.107-b", "-o", "json", *extra)
    return res.exit_code, json.loads(res.stdout)


# --- channels -----------------------------------------------------------------------------


def test_check_judges_every_channel_of_a_sigmf_recording(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "two", [cw(QUIET), cw(LOUD)])
    code, doc = check_json(meta)
    assert code == 1
    cap = doc["captures"][0]
    assert cap["verdict"] == "FAIL"
    assert {s["channel"] for s in cap["suspects"]} == {"Channel 2"}
    assert "recording has 2 channels: one time series each" in cap["warnings"]


def test_check_text_names_the_channel_of_each_suspect(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "two", [cw(QUIET), cw(LOUD)])
    res = run("check", str(meta), "--limit", "fcc-15.107-b")
    assert res.exit_code == 1
    rows = [ln for ln in res.stdout.splitlines() if "fcc-15.107-b QP" in ln and "MHz" in ln]
    assert rows and rows[0].endswith("fcc-15.107-b QP  [Channel 2]")


def test_check_html_names_the_channel_of_each_suspect(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "two", [cw(QUIET), cw(LOUD)])
    out = tmp_path / "reports"
    res = run("check", str(meta), "--limit", "fcc-15.107-b", "--report", "html", "--out", str(out))
    assert res.exit_code == 1, res.stderr
    (page,) = out.glob("*.html")
    assert "fcc-15.107-b QP [Channel 2]" in page.read_text(encoding="utf-8")


def test_check_text_tells_recordings_with_one_metadata_text_apart(tmp_path: Path) -> None:
    """The header named the .sigmf-meta hash only; equal metadata looked alike."""
    import hashlib

    heads = []
    for name, crest in (("a", QUIET), ("b", LOUD)):
        meta = write_sigmf(tmp_path / name, [cw(crest)])
        data = meta.with_suffix(".sigmf-data").read_bytes()
        res = run("check", str(meta), "--limit", "fcc-15.107-b")
        (head,) = [ln for ln in res.stdout.splitlines() if ln.startswith("   format sigmf")]
        assert f", data sha256 {hashlib.sha256(data).hexdigest()[:16]}" in head
        heads.append(head)
    assert heads[0] != heads[1]


def test_single_channel_suspects_name_no_channel(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "one", [cw(LOUD)])
    code, doc = check_json(meta)
    assert code == 1
    assert "channel" not in doc["captures"][0]["suspects"][0]


def test_receiver_measures_the_channel_asked_for(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "two", [cw(QUIET), cw(LOUD)])
    base = ["receiver", str(meta), "--band", "B", "--freq", "1.392M", "--detector", "peak"]
    first = run(*base, "-o", "json")
    assert first.exit_code == 0, first.stderr
    doc = json.loads(first.stdout)
    assert (doc["channel"], doc["peak"]) == ("Channel 1", [40.0])
    assert (
        "rfcheck: warning: recording holds 2 channels; channel 1 is measured: give --channel 2 "
        "to measure the other (rfcheck check judges every channel)" in first.stderr
    )
    second = run(*base, "--channel", "2", "-o", "json")
    assert second.exit_code == 0, second.stderr
    doc = json.loads(second.stdout)
    assert (doc["channel"], doc["peak"]) == ("Channel 2", [80.0])
    assert "channel 1 is measured" not in second.stderr


def test_receiver_csv_names_the_channel_in_a_last_column(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "two", [cw(QUIET), cw(LOUD)])
    base = ["receiver", str(meta), "--band", "B", "--freq", "1.392M", "--detector", "peak"]
    for channel, reading in (("1", "40.00"), ("2", "80.00")):
        res = run(*base, "--channel", channel, "-o", "csv")
        assert res.exit_code == 0, res.stderr
        header, row = csv.reader(res.stdout.splitlines())
        assert header[:3] + header[-1:] == ["frequency_hz", "peak_dbuv", "peak_bound", "channel"]
        assert row[:3] + row[-1:] == ["1392000.000", reading, "measured", f"Channel {channel}"]
    one = write_sigmf(tmp_path / "one", [cw(LOUD)])  # one channel: no column, as no JSON key
    res = run("receiver", str(one), *base[2:], "-o", "csv")
    assert res.exit_code == 0, res.stderr
    assert "channel" not in next(csv.reader(res.stdout.splitlines()))


def test_receiver_text_header_names_the_channel(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "two", [cw(QUIET), cw(LOUD)])
    res = run("receiver", str(meta), "--band", "B", "--freq", "1.392M", "--channel", "2")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[0] == (
        f"# {meta} [Channel 2]: band B, RBW 9 kHz, levels in dBµV"
    )


def test_receiver_refuses_a_channel_the_recording_lacks(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "two", [cw(QUIET), cw(LOUD)])
    res = run("receiver", str(meta), "--band", "B", "--freq", "1.392M", "--channel", "3")
    # found by reading the file: exit 3, one line naming it (exit 2 is a usage
    # error found before any input is read)
    assert res.exit_code == 3
    assert res.stderr == (
        f"rfcheck: error: {meta}: --channel 3: the recording holds 2 channels "
        "(--channel 1 .. --channel 2)\n"
    )


# --- scale --------------------------------------------------------------------------------

CHECK_DEFAULT_SCALE_NOTE = (
    "samples taken as volts at the receiver input (1 V per sample value 1.0); state "
    "rfcheck:volts_per_unit or the setup's [check] volts_per_unit (volts per sample value "
    "1.0) otherwise"
)


def test_check_notes_an_unscaled_recording_taken_as_volts(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "bare", [cw(LOUD)])
    code, doc = check_json(meta)
    assert code == 1
    assert CHECK_DEFAULT_SCALE_NOTE in doc["captures"][0]["warnings"]
    text = run("check", str(meta), "--limit", "fcc-15.107-b")
    assert f"   note: {CHECK_DEFAULT_SCALE_NOTE}" in text.stdout.splitlines()


def test_check_reports_name_the_default_scale(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "bare", [cw(LOUD)])
    out = tmp_path / "reports"
    res = run("check", str(meta), "--limit", "fcc-15.107-b", "--report", "html", "--out", str(out))
    assert res.exit_code == 1, res.stderr
    (page,) = out.glob("*.html")
    assert html.escape(CHECK_DEFAULT_SCALE_NOTE) in page.read_text(encoding="utf-8")


def test_check_states_the_setup_scale_it_used(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "bare", [cw(LOUD)])
    setup = tmp_path / "setup.toml"
    setup.write_text("[check]\nvolts_per_unit = 0.5\n", encoding="utf-8")
    code, doc = check_json(meta, "--setup", str(setup))
    assert code == 1
    warnings = doc["captures"][0]["warnings"]
    assert (
        "samples scaled by the setup's [check] volts_per_unit = 0.5 V per sample value 1.0"
        in warnings
    )
    assert CHECK_DEFAULT_SCALE_NOTE not in warnings


def test_check_names_no_scale_note_for_a_scaled_recording(tmp_path: Path) -> None:
    meta = write_sigmf(
        tmp_path / "scaled",
        [cw(LOUD)],
        glob={
            "rfcheck:volts_per_unit": 1.0,
            "core:extensions": [{"name": "rfcheck", "version": "0.1.0", "optional": True}],
        },
    )
    code, doc = check_json(meta)
    assert code == 1
    assert not [w for w in doc["captures"][0]["warnings"] if "volts" in w and "samples" in w]


def test_info_notes_a_missing_scale_alike_for_sigmf_and_iqtar(tmp_path: Path) -> None:
    """A recording stating no scale gets one note from ``info``, worded alike for both formats.

    The iq-tar reader notes a missing ``<ScalingFactor>``; a SigMF recording without
    ``rfcheck:volts_per_unit`` was shown with no note at all. Both read ``no <field> in the
    recording: samples taken as volts`` (one wording,
    :func:`rfcheck.io.iq_scale.missing_scale_note`), once each, in the text and the JSON; a
    recording stating its scale gets none.
    """
    from rfcheck.io.iq_scale import missing_scale_note

    bare = write_sigmf(tmp_path / "bare", [cw(LOUD)])
    scaled = write_sigmf(
        tmp_path / "scaled",
        [cw(LOUD)],
        glob={
            "rfcheck:volts_per_unit": 1.0,
            "core:extensions": [{"name": "rfcheck", "version": "0.1.0", "optional": True}],
        },
    )
    iqtar = _iqtar_int16(tmp_path / "i16.iq.tar", None)
    sigmf_note = "no rfcheck:volts_per_unit in the recording: samples taken as volts"
    iqtar_note = "no <ScalingFactor> in the recording: samples taken as volts"
    assert (
        missing_scale_note("rfcheck:volts_per_unit"),
        missing_scale_note("<ScalingFactor>"),
    ) == (
        sigmf_note,
        iqtar_note,
    )
    res = run("info", str(bare), str(scaled), str(iqtar))
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines.count(f"  note: {sigmf_note}") == 1
    assert lines.count(f"  note: {iqtar_note}") == 1
    doc = json.loads(run("info", str(bare), str(scaled), str(iqtar), "-o", "json").stdout)
    noted = [[w for w in d["warnings"] if "samples taken as volts" in w] for d in doc]
    assert noted == [[sigmf_note], [], [iqtar_note]]


def _csv_rows(text: str) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def test_check_csv_says_which_scale_the_levels_rest_on(tmp_path: Path) -> None:
    """-o csv and the JSON carry the scale: the default 1 V, the setup's, or the file's."""
    bare = write_sigmf(tmp_path / "bare", [cw(LOUD)])
    ext = [{"name": "rfcheck", "version": "0.1.0", "optional": True}]
    scaled = write_sigmf(
        tmp_path / "scaled",
        [cw(LOUD)],
        glob={"rfcheck:volts_per_unit": 1.0, "core:extensions": ext},
    )
    setup = tmp_path / "setup.toml"
    setup.write_text("[check]\nvolts_per_unit = 0.5\n", encoding="utf-8")
    cases = [
        (bare, (), "default 1 V per sample value 1.0"),
        (bare, ("--setup", str(setup)), "stated 0.5 V per sample value 1.0"),
        (scaled, (), "file rfcheck:volts_per_unit"),
    ]
    for meta, extra, want in cases:
        res = run("check", str(meta), "--limit", "fcc-15.107-b", "-o", "csv", *extra)
        assert res.exit_code == 1, res.stderr
        assert {r["scale"] for r in _csv_rows(res.stdout)} == {want}
        assert check_json(meta, *extra)[1]["captures"][0]["scale"] == want


def test_check_csv_of_a_swept_capture_has_an_empty_scale(tmp_path: Path) -> None:
    cap = tmp_path / "sweep.csv"
    rows = "".join(f"{0.15 + 0.5 * k:.4f},30\n" for k in range(60))
    cap.write_text(f"# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV)\n{rows}", encoding="utf-8")
    res = run("check", str(cap), "--limit", "fcc-15.107-b", "-o", "csv")
    assert {r["scale"] for r in _csv_rows(res.stdout)} == {""}
    assert "scale" not in check_json(cap)[1]["captures"][0]


def test_suspects_csv_names_the_channel_of_each_reading(tmp_path: Path) -> None:
    from rfcheck.analysis import run_check
    from rfcheck.report.tabular import suspects_csv
    from rfcheck.settings import CheckSettings

    meta = write_sigmf(tmp_path / "two", [cw(QUIET), cw(LOUD)])
    run_ = run_check([meta], CheckSettings(limit_ids=("fcc-15.107-b",)), command="test")
    rows = _csv_rows(suspects_csv(run_))
    assert rows and {r["channel"] for r in rows} == {"Channel 2"}


def test_check_on_an_unscaled_iqtar_names_the_setup_route(tmp_path: Path) -> None:
    from tests.io.test_io_iq import write_iqtar

    x = cw(LOUD).astype(np.complex64)
    user = f'<UserData><CenterFrequency unit="Hz">{CENTRE}</CenterFrequency></UserData>'
    path = tmp_path / "bare.iq.tar"
    write_iqtar(path, x.tobytes(), samples=x.size, clock="50000", scaling=None, user=user)
    res = run("check", str(path), "--limit", "fcc-15.107-b")
    assert res.exit_code == 1, res.stderr
    assert (
        "   note: samples taken as volts at the receiver input (1 V per sample value 1.0); "
        "state <ScalingFactor> or the setup's [check] volts_per_unit (volts per sample value "
        "1.0) otherwise" in res.stdout.splitlines()
    )
    assert "--volts-per-unit" not in res.stdout


def _iqtar_int16(path: Path, scaling: str | None) -> Path:
    from tests.io.test_io_iq import write_iqtar

    pairs = np.tile(np.array([16384, 0], dtype="<i2"), int(FS * SECONDS))
    user = f'<UserData><CenterFrequency unit="Hz">{CENTRE}</CenterFrequency></UserData>'
    n = int(FS * SECONDS)
    return write_iqtar(
        path, pairs.tobytes(), samples=n, clock="50000", dtype="int16", scaling=scaling, user=user
    )


def test_receiver_scale_warnings_say_what_a_volt_per_unit_scales(tmp_path: Path) -> None:
    base = ["--band", "B", "--freq", "1.392M", "--detector", "peak"]
    iqtar = _iqtar_int16(tmp_path / "i16.iq.tar", None)
    res = run("receiver", str(iqtar), *base)
    assert (
        "rfcheck: warning: samples taken as volts at the receiver input (1 V per raw count); "
        "state <ScalingFactor> or --volts-per-unit (volts per raw count) otherwise" in res.stderr
    )
    sigmf = write_sigmf(tmp_path / "c16", [cw(16384.0)], datatype="ci16_le")
    res = run("receiver", str(sigmf), *base)
    assert (
        "rfcheck: warning: samples taken as volts at the receiver input (1 V per full scale); "
        "state rfcheck:volts_per_unit or --volts-per-unit (volts per full scale) otherwise"
        in res.stderr
    )
    scaled = _iqtar_int16(tmp_path / "s16.iq.tar", '<ScalingFactor unit="V">0.5</ScalingFactor>')
    res = run("receiver", str(scaled), *base, "--volts-per-unit", "0.02")
    assert (
        "rfcheck: warning: --volts-per-unit 0.02 V per raw count overrides the file's "
        "<ScalingFactor> (0.5 V per raw count)" in res.stderr
    )


def test_receiver_help_says_what_volts_per_unit_scales() -> None:
    text = " ".join(run("receiver", "--help").stdout.split())
    assert "volts at the receiver input per FULL SCALE for integer SigMF samples" in text
    assert "per raw COUNT for iq-tar samples (as its <ScalingFactor>)" in text


# --- clipping -----------------------------------------------------------------------------

SETTLED_S = 1.7  # [s] longer than Band B's 1.61 s quasi-peak settling time
RFCHECK_EXT = {"core:extensions": [{"name": "rfcheck", "version": "0.1.0", "optional": True}]}


def _railed_ci16(path: Path, seconds: float) -> Path:
    """Write a ci16 CW whose I sits on the int16 rail (32767): 40.00 dBµV, 16 dB under QP."""
    glob = {"rfcheck:volts_per_unit": QUIET * 32768 / 32767, **RFCHECK_EXT}
    return write_sigmf(path, [cw(32767.0, seconds)], glob, datatype="ci16_le")


def test_clipped_integer_recording_is_a_lower_bound_only(tmp_path: Path) -> None:
    meta = _railed_ci16(tmp_path / "clip", SETTLED_S)
    code, doc = check_json(meta, "--range", "1.38M-1.40M")  # it would PASS unclipped
    cap = doc["captures"][0]
    assert code == 4
    assert cap["verdict"] == "INCONCLUSIVE"
    assert (
        "85000 of 85000 samples sit at the integer full scale (ci16_le): the input may have "
        "overloaded the digitiser; every reading is a lower bound" in cap["warnings"]
    )


def test_clipped_integer_recording_over_the_limit_still_fails(tmp_path: Path) -> None:
    glob = {"rfcheck:volts_per_unit": LOUD * 32768 / 32767, **RFCHECK_EXT}
    meta = write_sigmf(tmp_path / "clip", [cw(32767.0, SETTLED_S)], glob, datatype="ci16_le")
    code, doc = check_json(meta)
    assert code == 1
    assert doc["captures"][0]["verdict"] == "FAIL"


def test_unclipped_integer_recording_passes(tmp_path: Path) -> None:
    glob = {"rfcheck:volts_per_unit": QUIET * 32768 / 16384, **RFCHECK_EXT}
    meta = write_sigmf(tmp_path / "half", [cw(16384.0, SETTLED_S)], glob, datatype="ci16_le")
    code, doc = check_json(meta, "--range", "1.38M-1.40M")
    assert code == 0
    assert not [w for w in doc["captures"][0]["warnings"] if "full scale" in w]


def test_float_recording_has_no_full_scale_to_clip(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "float", [cw(1.0)], datatype="cf32_le")
    res = run("receiver", str(meta), "--band", "B", "--freq", "1.392M", "-o", "json")
    assert res.exit_code == 0, res.stderr
    assert not [w for w in json.loads(res.stdout)["warnings"] if "full scale" in w]


def test_receiver_marks_clipped_readings_as_lower_bounds(tmp_path: Path) -> None:
    meta = _railed_ci16(tmp_path / "clip", 0.1)
    args = ["receiver", str(meta), "--band", "B", "--freq", "1.392M", "--detector", "peak"]
    res = run(*args, "-o", "json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["bound"] == {"peak": "lower bound"}
    assert (
        "rfcheck: warning: 5000 of 5000 samples sit at the integer full scale (ci16_le): the "
        "input may have overloaded the digitiser; every reading is a lower bound" in res.stderr
    )
    text = run(*args)
    assert text.stdout.splitlines()[-1] == (
        "# \u2265: lower bound (peak): the recording is clipped at its integer full scale; "
        "the true reading may be higher"
    )


# --- centre frequency ---------------------------------------------------------------------


def _no_centre(tmp_path: Path) -> Path:
    return write_sigmf(tmp_path / "nocf", [cw(LOUD)], capture={"core:sample_start": 0})


def test_check_without_a_centre_frequency_names_its_routes(tmp_path: Path) -> None:
    meta = _no_centre(tmp_path)
    res = run("check", str(meta), "--limit", "fcc-15.107-b")
    assert res.exit_code == 3
    assert res.stderr.strip().endswith(
        f"{meta}: the I/Q recording's centre frequency is unknown (captures[0] has no "
        "core:frequency); state it with --center-freq or the setup's [check] "
        "center_frequency_hz"
    )


def test_a_centre_frequency_in_the_sigmf_global_object_is_pointed_to(tmp_path: Path) -> None:
    """core:frequency in 'global' was "unknown (the file states none)"."""
    meta = write_sigmf(
        tmp_path / "glob",
        [cw(LOUD)],
        glob={"core:frequency": CENTRE},
        capture={"core:sample_start": 0},
    )
    why = (
        "the I/Q recording's centre frequency is unknown (captures[0] has no core:frequency; "
        "the global object has one, but SigMF puts core:frequency in captures[]); state it "
        "with --center-freq"
    )
    res = run("check", str(meta), "--limit", "fcc-15.107-b")
    assert res.exit_code == 3
    assert res.stderr.strip().endswith(f"{meta}: {why} or the setup's [check] center_frequency_hz")
    res = run("receiver", str(meta), "--band", "B")
    assert (res.exit_code, res.stderr) == (3, f"rfcheck: error: {meta}: {why}\n")


def test_check_center_freq_option_judges_the_recording(tmp_path: Path) -> None:
    code, doc = check_json(_no_centre(tmp_path), "--center-freq", "1.392M")
    assert code == 1
    assert doc["captures"][0]["suspects"][0]["frequency_hz"] == 1392000.0


def test_check_setup_center_frequency_judges_the_recording(tmp_path: Path) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text("[check]\ncenter_frequency_hz = 1.392e6\n", encoding="utf-8")
    code, doc = check_json(_no_centre(tmp_path), "--setup", str(setup))
    assert code == 1
    assert doc["captures"][0]["suspects"][0]["frequency_hz"] == 1392000.0


def test_check_notes_a_centre_frequency_replacing_the_files(tmp_path: Path) -> None:
    meta = write_sigmf(tmp_path / "cf", [cw(LOUD)])
    code, doc = check_json(meta, "--center-freq", "1.3925M")
    assert code == 1
    assert (
        "centre frequency 1.3925 MHz stated for check replaces the file's 1.392 MHz"
        in doc["captures"][0]["warnings"]
    )


def test_setup_center_frequency_must_be_positive(tmp_path: Path) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text("[check]\ncenter_frequency_hz = 0\n", encoding="utf-8")
    res = run("check", str(_no_centre(tmp_path)), "--limit", "fcc-15.107-b", "--setup", str(setup))
    assert res.exit_code == 3  # an unreadable setup file, as for volts_per_unit = 0
    assert res.stderr.strip().endswith("[check] center_frequency_hz: must be > 0 Hz, got 0")


SWEPT = Path(__file__).resolve().parents[2] / "sample_captures/conducted/rig_L1_peak_keysight.csv"


def test_a_centre_frequency_on_a_swept_capture_is_said_not_to_apply(tmp_path: Path) -> None:
    """--center-freq and the setup's key place I/Q recordings only: a swept trace is told so."""
    note = (
        "centre frequency 1 MHz stated for check does not apply: this capture holds swept "
        "traces, not an I/Q recording"
    )
    code, doc = check_json(SWEPT, "--center-freq", "1M")
    assert code == 4
    assert note in doc["captures"][0]["warnings"]
    setup = tmp_path / "setup.toml"
    setup.write_text("[check]\ncenter_frequency_hz = 1e6\n", encoding="utf-8")
    code, doc = check_json(SWEPT, "--setup", str(setup))
    assert note in doc["captures"][0]["warnings"]
    code, doc = check_json(SWEPT)  # nothing stated: nothing said
    assert not [w for w in doc["captures"][0]["warnings"] if "centre frequency" in w]


def test_a_centre_frequency_on_an_iq_recording_is_not_said_not_to_apply(tmp_path: Path) -> None:
    code, doc = check_json(_no_centre(tmp_path), "--center-freq", "1.392M")
    assert code == 1
    assert not [w for w in doc["captures"][0]["warnings"] if "does not apply" in w]


# --- report names -------------------------------------------------------------------------


def test_recordings_differing_after_a_dot_get_their_own_reports(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    for name in ("Blow_0.5", "Blow_0.7"):
        meta = write_sigmf(tmp_path / name, [cw(LOUD)])
        res = run(
            "check", str(meta), "--limit", "fcc-15.107-b", "--report", "json", "--out", str(out)
        )
        assert res.exit_code == 1, res.stderr
    assert sorted(p.name for p in out.glob("*.json")) == ["Blow_0.5.json", "Blow_0.7.json"]


def test_no_unknown_centre_note_once_the_centre_is_stated(tmp_path: Path) -> None:
    meta = _no_centre(tmp_path)
    res = run("receiver", str(meta), "--band", "B", "--freq", "1.392M", "--center-freq", "1.392M")
    assert res.exit_code == 0, res.stderr
    assert "centre frequency is unknown" not in res.stderr
    code, doc = check_json(meta, "--center-freq", "1.392M")
    assert code == 1
    assert not [w for w in doc["captures"][0]["warnings"] if "centre frequency is unknown" in w]
    info = run("info", str(meta))  # nothing stated: the reader's note stays
    assert (
        "captures[0] has no core:frequency: the centre frequency is unknown; state it with "
        "--center-freq or the setup's [check] center_frequency_hz" in info.stdout
    )


def test_all_zero_recording_is_an_input_error_naming_why(tmp_path: Path) -> None:
    """Zero samples read -inf everywhere: said so, exit 3 (it read 'no trace overlaps', exit 2)."""
    n = int(FS * SECONDS)
    meta = write_sigmf(tmp_path / "z", [np.zeros(n, np.complex64)])
    res = CliRunner().invoke(main, ["check", str(meta), "--limit", "fcc-15.107-b"])
    assert res.exit_code == 3, res.output
    assert (
        f"rfcheck: error: {meta}: the recording gives no CISPR detector reading to judge: every "
        "reading is -inf dBµV (the samples are all zeros: no signal was recorded)"
    ) in res.output
    assert "overlaps" not in res.output


def test_center_freq_option_zero_is_a_usage_error(tmp_path: Path) -> None:
    """--center-freq 0 named the setup key, exit 3 (check) or was taken (receiver)."""
    meta = write_sigmf(tmp_path / "z", [cw(LOUD)])
    for cmd in (["check", str(meta), "--limit", "fcc-15.107-b"], ["receiver", str(meta)]):
        res = CliRunner().invoke(main, [*cmd, "--center-freq", "0"])
        assert res.exit_code == 2, res.output
        assert "Invalid value for '--center-freq': must be a frequency above 0 Hz, got '0'" in (
            res.output
        )


# --- the worst row of a line: a measured reading before a bound of the same margin ---------


def test_qp_line_states_its_measured_reading_not_an_average_bound_of_the_same_margin(
    tmp_path: Path,
) -> None:
    """A settled CW: QP and CISPR-average read it alike (to float noise).

    The CISPR-average reading, a lower bound on the QP line, came out 2e-6 dB higher than the
    QP reading and was the line's worst: 'FAIL ≤ -10.99 dB ... lower bound' while the
    measured QP reading said -10.99 dB.
    """
    t = np.arange(int(FS * 2.0)) / FS
    amp = 0.01  # crest: 76.99 dBµV
    for off in (12345.6, 345.6, -2345.6):
        x = amp / 0.02 * 32768 * np.exp(2j * np.pi * off * t)  # int16 counts, 0.02 V FS
        meta = write_sigmf(
            tmp_path / f"cw{off:g}", [x], datatype="ci16_le", glob={"rfcheck:volts_per_unit": 0.02}
        )
        code, doc = check_json(meta)
        assert code == 1
        (qp,) = [c for c in doc["captures"][0]["checks"] if c["line"] == "QP"]
        assert (qp["verdict"], qp["worst_bound"]) == ("FAIL", "measured"), off
        assert qp["worst_margin_db"] == pytest.approx(56.0 - 76.99, abs=0.01)
        text = run("check", str(meta), "--limit", "fcc-15.107-b").stdout
        row = next(ln for ln in text.splitlines() if "fcc-15.107-b QP" in ln)  # worst first
        assert "quasi-peak     measured" in row, row


def test_check_csv_and_json_tell_recordings_with_one_metadata_text_apart(tmp_path: Path) -> None:
    """Each row's sha256 is the .sigmf-meta's: a CSV saved alone could not tell them apart."""
    import hashlib

    for name, crest in (("a", QUIET), ("b", LOUD)):
        meta = write_sigmf(tmp_path / name, [cw(crest)])
        data_sha = hashlib.sha256(meta.with_suffix(".sigmf-data").read_bytes()).hexdigest()
        rows = _csv_rows(run("check", str(meta), "--limit", "fcc-15.107-b", "-o", "csv").stdout)
        assert rows and {r["data_sha256"] for r in rows} == {data_sha}
        _code, doc = check_json(meta)
        assert doc["captures"][0]["data_sha256"] == [data_sha]
        res = run("receiver", str(meta), "--band", "B", "--freq", "1.392M", "-o", "csv")
        assert res.exit_code == 0, res.stderr
        assert {r["data_sha256"] for r in _csv_rows(res.stdout)} == {data_sha}


def test_a_single_file_capture_has_no_data_sha256(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    path.write_text("Frequency (MHz),Peak (dBuV)\n0.15,40\n0.2,40\n1,40\n30,40\n", encoding="utf-8")
    rows = _csv_rows(run("check", str(path), "--limit", "fcc-15.107-b", "-o", "csv").stdout)
    assert rows and {r["data_sha256"] for r in rows} == {""}
