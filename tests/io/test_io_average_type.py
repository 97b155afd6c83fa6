"""The averaging scale of an Average trace (``Average Type``, SignalVu ``Avg (of logs)``).

An average of log (dB) values is never above the linear average: it is a log-average, a lower
bound for every line, never a measured CISPR/FCC average (docs/verdict.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.capture import Detector, parse_detector
from rfcheck.cli import main
from rfcheck.io import load_capture
from rfcheck.outcome import Bound
from rfcheck.verdict.bounds import relation

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
LOG_NOTE = (
    "Trace2: detector 'Average' with 'Average Type,LogPower(Video)' read as log-average: an "
    "average of log (dB) values is never above the linear average, so it bounds every limit "
    "line from below only"
)


def _avg_keysight(tmp_path: Path, average_type: str | None, detector: str = "Average") -> Path:
    """Return the rig's Keysight average sweep with another ``Average Type`` (None: none)."""
    text = (SAMPLES / "conducted" / "rig_L1_avg_keysight.csv").read_bytes().decode("ascii")
    assert "Average Type,Voltage\r\n" in text and "Detector,Average\r\n" in text
    line = "" if average_type is None else f"Average Type,{average_type}\r\n"
    text = text.replace("Average Type,Voltage\r\n", line).replace(
        "Detector,Average\r\n", f"Detector,{detector}\r\n"
    )
    out = tmp_path / "rig_L1_avg_keysight.csv"
    out.write_bytes(text.encode("ascii"))
    return out


def test_log_power_average_is_no_measured_average(tmp_path: Path) -> None:
    """The audit's case: a log-power Average trace under the AV line is INCONCLUSIVE, not PASS."""
    path = _avg_keysight(tmp_path, "LogPower(Video)")
    result = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b"])
    assert result.exit_code == 4, result.output
    av = [
        ln
        for ln in result.output.splitlines()
        if ln.strip().startswith("fcc-15.107-b") and " AV " in ln
    ]
    assert len(av) == 1 and "INCONCLUSIVE" in av[0] and "lower bound" in av[0], av
    assert "measured" not in av[0] and "PASS" not in av[0]
    assert f"   note: {LOG_NOTE}" in result.output.splitlines()
    assert "log-average    lower bound  INCONCLUSIVE  fcc-15.107-b AV" in result.output


def test_voltage_average_stays_a_measured_average(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["check", str(_avg_keysight(tmp_path, "Voltage")), "--limit", "fcc-15.107-b"]
    )
    av = [
        ln
        for ln in result.output.splitlines()
        if ln.strip().startswith("fcc-15.107-b") and " AV " in ln
    ]
    assert "PASS" in av[0] and "measured" in av[0], result.output
    assert "Average Type" not in result.output


@pytest.mark.parametrize(
    ("average_type", "detector", "note"),
    [
        ("Voltage", Detector.AVERAGE, None),
        ("LogPower(Video)", Detector.LOG_AVERAGE, LOG_NOTE),
        (
            "Power(RMS)",
            Detector.RMS,
            "Trace2: detector 'Average' with 'Average Type,Power(RMS)' read as rms (a power "
            "average)",
        ),
        (
            None,
            Detector.UNKNOWN,
            "Trace2: detector 'Average' with no 'Average Type': it may average log (dB) values, "
            "power or voltage, so the detector is not known; state it with --detector",
        ),
        (
            "Median",
            Detector.UNKNOWN,
            "Trace2: detector 'Average' with an unrecognised 'Average Type,Median': it may "
            "average log (dB) values, power or voltage, so the detector is not known; state it "
            "with --detector",
        ),
    ],
)
def test_keysight_average_type_sets_the_average_detector(
    tmp_path: Path, average_type: str | None, detector: Detector, note: str | None
) -> None:
    cap = load_capture(_avg_keysight(tmp_path, average_type))
    assert cap.traces[0].detector is detector
    assert [w for w in cap.warnings if "Average Type" in w] == ([note] if note else [])


@pytest.mark.parametrize(
    ("average_type", "det_text", "detector"),
    [
        ("LogPower(Video)", "Peak", Detector.PEAK),  # the peak detector does not average
        ("Voltage", "EMIAverage", Detector.CISPR_AVERAGE),
        ("LogPower(Video)", "EMIAverage", Detector.LOG_AVERAGE),
        ("Power(RMS)", "EMIAverage", Detector.UNKNOWN),
        ("LogPower(Video)", "QuasiPeak", Detector.UNKNOWN),
        (None, "QuasiPeak", Detector.QUASI_PEAK),
    ],
)
def test_keysight_cispr_detectors_only_on_the_voltage_scale(
    tmp_path: Path, average_type: str | None, det_text: str, detector: Detector
) -> None:
    cap = load_capture(_avg_keysight(tmp_path, average_type, det_text))
    assert cap.traces[0].detector is detector
    noted = [w for w in cap.warnings if "Average Type" in w]
    assert bool(noted) is (detector in (Detector.UNKNOWN, Detector.LOG_AVERAGE))


def test_cispr_detector_on_another_scale_is_named_in_the_note(tmp_path: Path) -> None:
    cap = load_capture(_avg_keysight(tmp_path, "LogPower(Video)", "QuasiPeak"))
    assert (
        "Trace2: detector 'QuasiPeak' with 'Average Type,LogPower(Video)': the CISPR detector "
        "averages on the voltage scale, so this is no CISPR reading and its detector is not "
        "known; state it with --detector"
    ) in cap.warnings


@pytest.mark.parametrize(
    ("average_type", "detector"),
    [
        # the X-series Average Type keys and their readback (its User's & Programmer's
        # Reference, "Average Type"): voltage, power (RMS) and log-power averaging
        ("Voltage Avg", Detector.AVERAGE),
        ("Pwr Avg (RMS)", Detector.RMS),
        ("Power Avg (RMS)", Detector.RMS),
        ("Log-Pwr Avg (Video)", Detector.LOG_AVERAGE),
        ("Log-Pwr (Video)", Detector.LOG_AVERAGE),
    ],
)
def test_keysight_average_type_key_labels_are_read(
    tmp_path: Path, average_type: str, detector: Detector
) -> None:
    assert load_capture(_avg_keysight(tmp_path, average_type)).traces[0].detector is detector


@pytest.mark.parametrize(
    ("det_text", "detector"),
    [("QuasiPeak", Detector.QUASI_PEAK), ("EMIAverage", Detector.CISPR_AVERAGE)],
)
def test_keysight_cispr_detectors_on_voltage_avg_stay_cispr(
    tmp_path: Path, det_text: str, detector: Detector
) -> None:
    cap = load_capture(_avg_keysight(tmp_path, "Voltage Avg", det_text))
    assert cap.traces[0].detector is detector
    assert not [w for w in cap.warnings if "Average Type" in w]


@pytest.mark.parametrize("det_text", ["QuasiPeak", "EMIAverage"])
def test_cispr_detector_with_an_unrecognised_average_type_says_so(
    tmp_path: Path, det_text: str
) -> None:
    """An Average Type rfcheck does not know is not said to be another scale than voltage."""
    cap = load_capture(_avg_keysight(tmp_path, "Auto", det_text))
    assert cap.traces[0].detector is Detector.UNKNOWN
    assert [w for w in cap.warnings if "Average Type" in w] == [
        f"Trace2: detector {det_text!r} with an unrecognised 'Average Type,Auto': the averaging "
        "scale is not known, and the CISPR detector is a CISPR reading on the voltage scale "
        "only, so the detector is not known; state it with --detector"
    ]


def test_signalvu_average_of_logs_is_a_log_average(edited_fixture: Callable[..., Path]) -> None:
    path = edited_fixture(
        "tektronix/signalvu_spectrum.csv", "Detection,CISPRPk,", "Detection,Avg (of logs),"
    )
    cap = load_capture(path)
    assert cap.traces[0].detector is Detector.LOG_AVERAGE
    assert (
        f"trace {cap.traces[0].name!r}: 'Detection,Avg (of logs)' read as log-average: an "
        "average of log (dB) values is never above the linear average, so it bounds every "
        "limit line from below only"
    ) in cap.warnings


def test_signalvu_average_of_vrms_is_rms(edited_fixture: Callable[..., Path]) -> None:
    path = edited_fixture(
        "tektronix/signalvu_spectrum.csv", "Detection,CISPRPk,", "Detection,Avg (VRMS),"
    )
    assert load_capture(path).traces[0].detector is Detector.RMS


@pytest.mark.parametrize(
    ("name", "detector"),
    [
        ("-Peak", Detector.NEGATIVE_PEAK),  # was read as peak: its low readings PASSed
        ("Minus Peak", Detector.NEGATIVE_PEAK),
        ("+Peak", Detector.PEAK),
        ("Peak", Detector.PEAK),
    ],
)
def test_signalvu_signed_peak_names_keep_their_sign(
    edited_fixture: Callable[..., Path], name: str, detector: Detector
) -> None:
    path = edited_fixture(
        "tektronix/signalvu_spectrum.csv", "Detection,CISPRPk,", f"Detection,{name},"
    )
    assert load_capture(path).traces[0].detector is detector


@pytest.mark.parametrize(
    ("average_type", "detector"),
    [("Log Pwr", Detector.LOG_AVERAGE), ("Voltage", Detector.AVERAGE), ("Power", Detector.RMS)],
)
def test_siglent_average_type_sets_the_average_detector(
    edited_fixture: Callable[..., Path], tmp_path: Path, average_type: str, detector: Detector
) -> None:
    path = edited_fixture(
        "siglent/ssa3032x_two_traces.csv", "Trace Detector,Pos Peak", "Trace Detector,Average"
    )
    text = path.read_text(encoding="latin-1").replace(
        "RBW,", f"Average Type,{average_type}\nRBW,", 1
    )
    path.write_text(text, encoding="latin-1")
    cap = load_capture(path)
    assert cap.traces[0].detector is detector
    # the Siglent manual says nothing of its quasi-peak detector and the averaging scale
    assert cap.traces[1].detector is Detector.QUASI_PEAK


def test_log_average_bounds_every_line_from_below() -> None:
    for line in (Detector.PEAK, Detector.QUASI_PEAK, Detector.CISPR_AVERAGE, Detector.RMS):
        assert relation(Detector.LOG_AVERAGE, line) is Bound.LOWER, line


@pytest.mark.parametrize("name", ["Log Avg", "Video Avg"])
def test_rigol_log_and_video_average_are_log_averages(
    edited_fixture: Callable[..., Path], name: str
) -> None:
    path = edited_fixture(
        "rigol/rsa5065_3traces.csv", "Trace2 Detector,RMS", f"Trace2 Detector,{name}"
    )
    assert load_capture(path).traces[1].detector is Detector.LOG_AVERAGE


def test_log_average_is_a_detector_name() -> None:
    assert parse_detector("Log Average") is Detector.LOG_AVERAGE


# --- Signal Hound Spike: Min/Max columns under the Average detector ----------------------------

SPIKE_AVERAGED = (
    "with an averaging detector Spike writes the same averaged values into its Min and Max columns"
)


def _spike(tmp_path: Path, preamble: str, columns: str = "Min (dBuV),Max (dBuV)") -> Path:
    """Write a Spike CSV: 150 kHz-30 MHz at 30 dBµV, 45 dBµV at 1.05 MHz in every column."""
    rows = []
    for f_hz in np.linspace(150e3, 30e6, 200):
        level = 45.0 if abs(f_hz - 1.05e6) < 1.0 else 30.0
        rows.append(",".join([f"{f_hz / 1e6:.6f}"] + [f"{level:.2f}"] * (columns.count(",") + 1)))
    text = (
        "Signal Hound Spike,3.9.2\nDevice,SM200B\nRBW,9 kHz\n"
        + preamble
        + f"Frequency (MHz),{columns}\n"
        + "\n".join(rows)
        + "\n"
    )
    out = tmp_path / "spike.csv"
    out.write_text(text, encoding="ascii")
    return out


def test_spike_average_min_max_columns_are_not_peak_readings(tmp_path: Path) -> None:
    """The audit's false PASS: ``Detector,Average`` Min/Max columns were read as peak."""
    cap = load_capture(_spike(tmp_path, "Detector,Average\n"))
    assert [t.detector for t in cap.traces] == [Detector.UNKNOWN, Detector.UNKNOWN]
    for label, by_name in (("Min", "negative-peak"), ("Max", "peak")):
        assert (
            f"column {label!r}: read with the stated 'Detector,Average', not as {by_name} from "
            f"its name ({SPIKE_AVERAGED})"
        ) in cap.warnings
        assert (
            f"column {label!r}: detector 'Average' with no 'Video Units': it may average log "
            "(dB) values, power or voltage, so the detector is not known; state it with "
            "--detector"
        ) in cap.warnings


def test_spike_average_min_max_columns_give_no_pass(tmp_path: Path) -> None:
    path = _spike(tmp_path, "Detector,Average\n")
    result = CliRunner().invoke(main, ["check", str(path), "--limit", "cispr32-b-mains"])
    assert result.exit_code == 3, result.output
    assert "PASS" not in result.output
    assert "the detector of trace(s) Min, Max is unknown" in result.output


@pytest.mark.parametrize(
    ("units", "detector"),
    [
        ("Video Units,Log\n", Detector.LOG_AVERAGE),
        ("Video Units,Voltage\n", Detector.AVERAGE),
        ("Processing Units,Power\n", Detector.RMS),
        ("Video Units,Sample\n", Detector.UNKNOWN),
    ],
)
def test_spike_video_units_set_the_average_scale(
    tmp_path: Path, units: str, detector: Detector
) -> None:
    for columns in ("Min (dBuV),Max (dBuV)", "Amplitude (dBuV)"):
        cap = load_capture(_spike(tmp_path, "Detector,Average\n" + units, columns))
        assert {t.detector for t in cap.traces} == {detector}, (columns, cap.warnings)
    key, value = units.strip().split(",")
    if detector is Detector.UNKNOWN:
        assert f"an unrecognised '{key},{value}'" in " ".join(cap.warnings)


def test_spike_min_max_detector_keeps_the_column_names(tmp_path: Path) -> None:
    for preamble in ("Detector,Min/Max\n", ""):
        cap = load_capture(_spike(tmp_path, preamble))
        assert [t.detector for t in cap.traces] == [Detector.NEGATIVE_PEAK, Detector.PEAK]
        assert cap.warnings == ()


def test_spike_stated_peak_contradicting_a_min_column_is_unknown(tmp_path: Path) -> None:
    cap = load_capture(_spike(tmp_path, "Detector,Peak\n"))
    assert [t.detector for t in cap.traces] == [Detector.UNKNOWN, Detector.PEAK]
    assert (
        "column 'Min': its name says negative-peak but the file states 'Detector,Peak'; the "
        "detector is not known, state it with --detector"
    ) in cap.warnings


# --- Rigol RSA/DSA header exports: 'Average Type' ------------------------------------------------


@pytest.mark.parametrize(
    ("average_type", "detector"),
    [
        (None, Detector.UNKNOWN),
        ("LogPower", Detector.LOG_AVERAGE),
        ("Voltage", Detector.AVERAGE),
        ("Power", Detector.RMS),
    ],
)
def test_rigol_average_detector_needs_its_average_type(
    edited_fixture: Callable[..., Path], average_type: str | None, detector: Detector
) -> None:
    path = edited_fixture(
        "rigol/rsa5065_3traces.csv", "Trace2 Detector,RMS", "Trace2 Detector,Average"
    )
    if average_type is not None:
        text = path.read_text(encoding="latin-1").replace(
            "RBW,", f"Average Type,{average_type}\nRBW,", 1
        )
        path.write_text(text, encoding="latin-1")
    cap = load_capture(path)
    assert cap.traces[1].detector is detector
    assert cap.traces[0].detector is Detector.PEAK  # 'Pos Peak' does not average
    if average_type is None:
        assert (
            "trace 'Trace2': detector 'Average' with no 'Average Type': it may average log (dB) "
            "values, power or voltage, so the detector is not known; state it with --detector"
        ) in cap.warnings


@pytest.mark.parametrize("name", ["CISPR Avg Log", "CISPRAvgLog", "CISPR Avg of Logs"])
def test_signalvu_cispr_average_of_logs_is_a_log_average(
    edited_fixture: Callable[..., Path], name: str
) -> None:
    """Not the linear CISPR average: a mean of dB values bounds the AV line from below only."""
    path = edited_fixture(
        "tektronix/signalvu_spectrum.csv", "Detection,CISPRPk,", f"Detection,{name},"
    )
    cap = load_capture(path)
    assert cap.traces[0].detector is Detector.LOG_AVERAGE
    assert any(w.endswith("bounds every limit line from below only") for w in cap.warnings)


@pytest.mark.parametrize("name", ["Avg", "Average"])
def test_signalvu_bare_average_is_unknown(edited_fixture: Callable[..., Path], name: str) -> None:
    path = edited_fixture(
        "tektronix/signalvu_spectrum.csv", "Detection,CISPRPk,", f"Detection,{name},"
    )
    cap = load_capture(path)
    assert cap.traces[0].detector is Detector.UNKNOWN
    assert (
        f"trace {cap.traces[0].name!r}: 'Detection,{name}' states no averaging scale "
        "(SignalVu's are 'Avg (VRMS)' and 'Avg (of logs)'), so the detector is not known; "
        "state it with --detector"
    ) in cap.warnings
