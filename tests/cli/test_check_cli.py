"""Tests of ``rfcheck check`` and ``rfcheck limits``.

``rfcheck check`` and ``rfcheck limits``: every exit code, exact one-line messages, the JSON keys of
the contract, the CSV columns and formula neutralisation.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rfcheck.cli import main
from rfcheck.report import csv_cell
from rfcheck.report.tabular import CSV_COLUMNS

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "check"


Run = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.chdir(FIX)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


# --- exit codes --------------------------------------------------------------------------------
def test_exit_0_pass(run: Run) -> None:
    r = run("check", "cond_peak_pass.csv", "--limit", "fcc-15.107-b")
    assert r.exit_code == 0, r.output
    assert "overall verdict: PASS" in r.stdout


def test_exit_1_fail(run: Run) -> None:
    r = run("check", "cond_3det_fail.csv", "--limit", "fcc-15.107-b")
    assert r.exit_code == 1
    assert "FAIL" in r.stdout


def test_exit_4_inconclusive_says_what_is_needed(run: Run) -> None:
    r = run("check", "cond_peak_over_qp.csv", "--limit", "fcc-15.107-b")
    assert r.exit_code == 4
    # a 401-point log sweep: 13 kHz buckets, wider than the 9 kHz receiver's passband
    assert "needs: quasi-peak measurement across 0.982043-1.02195 MHz" in r.stdout


def test_three_detectors_give_a_definite_answer(run: Run) -> None:
    assert run("check", "cond_3det_pass.csv", "--limit", "fcc-15.107-b").exit_code == 0


def test_exit_3_unreadable_capture_exact_message(run: Run) -> None:
    r = run("check", "missing.csv", "--limit", "fcc-15.107-b")
    assert r.exit_code == 3
    assert r.stderr == "rfcheck: error: missing.csv: no such file\n"


def test_exit_3_garbage_one_line(run: Run) -> None:
    r = run("check", "garbage.bin", "--limit", "fcc-15.107-b")
    assert r.exit_code == 3
    assert r.stderr.startswith("rfcheck: error: garbage.bin: unrecognised capture format")
    assert r.stderr.count("\n") == 1


def test_fail_beats_error(run: Run) -> None:
    assert (
        run("check", "garbage.bin", "cond_3det_fail.csv", "--limit", "fcc-15.107-b").exit_code == 1
    )


def test_error_beats_inconclusive(run: Run) -> None:
    assert (
        run("check", "garbage.bin", "cond_peak_over_qp.csv", "--limit", "fcc-15.107-b").exit_code
        == 3
    )


def test_exit_3_malformed_limit_file(run: Run) -> None:
    r = run("check", "cond_peak_pass.csv", "--limit-file", "bad_limit.toml")
    assert r.exit_code == 3
    assert r.stderr == "rfcheck: error: bad_limit.toml: segments overlap: 0.15-5 MHz and 1-30 MHz\n"


def test_exit_3_radiated_limit_without_antenna_factor(run: Run) -> None:
    r = run("check", "rad_dbuv_peak.csv", "--limit", "fcc-15.109-b")
    assert r.exit_code == 3
    assert r.stderr == (
        "rfcheck: error: rad_dbuv_peak.csv: radiated limit (dBµV/m) but the capture (trace Peak) "
        "is in dBµV and no antenna factor was given (--antenna-factor); "
        "rfcheck does not guess one\n"
    )


def test_exit_3_negative_reading_in_volts(run: Run, tmp_path: Path) -> None:
    """A negative "V" reading (a dB value under a V header) is refused, not read as |V|."""
    cap = tmp_path / "volts.csv"
    rows = "".join(f"{0.15 + 0.0045 * k:.4f},1e-06\n" for k in range(20))
    cap.write_text(f"# rbw_hz: 9000\nFrequency (MHz),Peak (V)\n{rows}0.2400,-56.95\n")
    r = run("check", str(cap), "--limit", "fcc-15.107-b")
    assert r.exit_code == 3
    assert r.stderr == (
        f"rfcheck: error: {cap}: the capture (trace Peak) is in V, an rms magnitude, but "
        "reads -56.95 V at 0.24 MHz: a negative level is not a voltage (a dB reading with "
        "the wrong unit?)\n"
    )


def test_a_trace_named_trace_is_not_written_trace_twice(run: Run, tmp_path: Path) -> None:
    """A loader's trace name "Trace 1" reads "(Trace 1)" in an error, not "(trace Trace 1)"."""
    cap = tmp_path / "t.csv"
    rows = "".join(f"{30 + 10 * k},40\n" for k in range(20))
    cap.write_text(f"# rbw_hz: 120000\nFrequency (MHz),Trace 1 (dBuV)\n{rows}")
    r = run("check", str(cap), "--limit", "fcc-15.109-b")
    assert r.exit_code == 3
    assert "the capture (Trace 1) is in dBµV" in r.stderr
    assert "trace Trace" not in r.stderr
    r = run("check", str(cap), "--limit", "fcc-15.109-b", "--unit", "dBm")
    assert r.exit_code == 3
    assert "--unit dBm contradicts the file's unit dBµV for Trace 1" in r.stderr, r.stderr


def test_a_capture_that_cannot_be_analysed_says_its_plot_is_not_written(
    run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ("--limit", "fcc-15.109-b", "--report", "png,svg,json", "--out", str(out))
    r = run("check", "rad_dbuv_peak.csv", *args)
    assert r.exit_code == 3
    why = (
        "radiated limit (dBµV/m) but the capture (trace Peak) is in dBµV and no antenna factor "
        "was given (--antenna-factor); rfcheck does not guess one"
    )
    assert r.stderr.splitlines() == [
        f"rfcheck: error: rad_dbuv_peak.csv: {why}",
        f"rfcheck: wrote {out / 'rad_dbuv_peak.json'}",
        "rfcheck: rad_dbuv_peak.png and rad_dbuv_peak.svg not written: rad_dbuv_peak.csv could "
        f"not be read or analysed, so there is no margin plot ({why})",
    ]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "rad_dbuv_peak.json"
    ]
    # a capture that is plotted gets no such line
    r = run(
        "check",
        "cond_peak_pass.csv",
        "--limit",
        "fcc-15.107-b",
        "--report",
        "png",
        "--out",
        str(out),
    )
    assert r.exit_code == 0
    assert "not written" not in r.stderr


def test_a_dollar_in_a_trace_or_port_label_is_drawn_as_written(run: Run, tmp_path: Path) -> None:
    r"""``$...$`` in a column label or ``--label`` is text in the plot, not mathtext.

    matplotlib parsed the trace labels as math markup: ``$x^2$`` drew x², and a malformed
    ``$\frac$`` left the PNG unwritten (``report not written: ...: ValueError``).
    """
    from matplotlib.text import Text

    from rfcheck.analysis import analyse_file
    from rfcheck.report.plots import margin_figure
    from rfcheck.settings import CheckSettings

    rows = "".join(f"{0.15 + 0.005 * k:.3f},40.0,43.0\n" for k in range(5971))  # to 30 MHz
    cap = tmp_path / "cap.csv"
    cap.write_text(f"# rbw_hz: 9000\nFrequency (MHz),QP $\\frac$ (dBuV),Peak $x^2$ (dBuV)\n{rows}")
    out = tmp_path / "out"
    label = r"L1 $\frac$"
    args = ("--limit", "fcc-15.107-b", "--label", label, "--report", "png", "--out", str(out))
    r = run("check", str(cap), *args)
    assert r.exit_code == 0, r.stderr
    assert (out / "cap.png").stat().st_size > 0
    capture = analyse_file(cap, CheckSettings(limit_ids=("fcc-15.107-b",)), label=label)
    shown = [t for t in margin_figure(capture).findobj(Text) if "$" in t.get_text()]
    # drawn as the text it holds: the artist's text is the raw label, mathtext off
    assert [(t.get_text(), t.get_parse_math()) for t in shown] == [
        (r"cap — L1 $\frac$ — fcc-15.107-b", False),
        (r"QP $\frac$ (QP)", False),
        (r"Peak $x^2$ (PK)", False),
    ]


def test_exit_3_transducer_refuses_to_extrapolate(run: Run) -> None:
    r = run(
        "check", "cond_peak_pass.csv", "--limit", "fcc-15.107-b", "--lisn", "keysight_cable.csv"
    )
    assert r.exit_code == 3
    assert (
        "LISN voltage-division factor table keysight_cable.csv covers 100 MHz - 1 GHz" in r.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "no limit given"),
        (("--limit", "fcc-15.999"), "unknown limit id 'fcc-15.999'"),
        (
            ("--limit", "cispr32-b-rad-10m", "--distance", "3"),
            "is not re-expressed at other distances",
        ),
        (("--limit", "fcc-15.107-b", "--unit", "furlongs"), "unknown level unit"),
        (("--limit", "fcc-15.107-b", "-o", "xml"), "Invalid value"),
    ],
)
def test_exit_2_usage(run: Run, args: tuple[str, ...], message: str) -> None:
    r = run("check", "cond_peak_pass.csv", *args)
    assert r.exit_code == 2
    assert message in r.stderr


def test_exit_2_no_capture(run: Run) -> None:
    assert run("check", "--limit", "fcc-15.107-b").exit_code == 2


# --- corrections and distance through the CLI ------------------------------------------------
def test_radiated_with_af_cables_and_distance(run: Run) -> None:
    r = run(
        "check",
        "rad_dbuv_peak.csv",
        "--limit",
        "fcc-15.109-a",
        "--distance",
        "3",
        "--antenna-factor",
        "rs_transducer_af.csv",
        "--cable-loss",
        "keysight_cable.csv",
        "--cable-loss",
        "0.5",
        "-o",
        "json",
    )
    assert r.exit_code == 5, r.output  # INCOMPLETE: nothing above 1 GHz was measured
    doc = json.loads(r.stdout)
    capd = doc["captures"][0]
    assert len(capd["corrections"]) == 3
    assert "15.31(f)(1)" in capd["limits"][0]["distance_note"]
    qp = capd["checks"][0]
    # 400 MHz: reading 20 dBuV + AF 10+10*log(4)/1 ... computed: AF(400 MHz) = 10 + 10*log10(4),
    # cable(400 MHz) = 1 + 2*log10(4), + 0.5; limit 46.44 + 10.46 = 56.90 dBuV/m
    import math

    level = 20 + 10 + 10 * math.log10(4) + 1 + 2 * math.log10(4) + 0.5
    assert qp["worst_margin_db"] == pytest.approx(round(56.9020 - level, 2), abs=0.011)
    assert qp["worst_frequency_hz"] == 400e6


# --- JSON contract -------------------------------------------------------------------------------
def test_json_keys(run: Run) -> None:
    r = run("check", "cond_3det_fail.csv", "garbage.bin", "--limit", "fcc-15.107-b", "-o", "json")
    doc = json.loads(r.stdout)
    assert list(doc)[:4] == ["rfcheck_version", "margin_sign", "verdict", "captures"]
    assert doc["margin_sign"] == "limit_minus_level" and doc["verdict"] == "FAIL"
    good, bad = doc["captures"]
    for key in ("path", "sha256", "format", "verdict", "checks", "suspects", "errors"):
        assert key in good
    assert set(good["checks"][0]) >= {
        "limit_id",
        "line",
        "detector",
        "verdict",
        "worst_margin_db",
        "worst_frequency_hz",
    }
    assert set(good["suspects"][0]) >= {
        "frequency_hz",
        "reading",
        "correction_db",
        "level",
        "unit",
        "limit",
        "margin_db",
        "detector",
        "verdict",
    }
    s = good["suspects"][0]
    assert s["margin_db"] == pytest.approx(s["limit"] - s["level"], abs=0.011)
    assert bad["verdict"] == "ERROR" and bad["errors"][0]["path"] == "garbage.bin"
    assert doc["command"].startswith(
        "rfcheck check cond_3det_fail.csv garbage.bin --limit fcc-15.107-b -o json"
    )
    assert {i["role"] for i in doc["inputs"]} == {"capture", "limit"}


def test_recorded_command_uses_the_options_a_user_types(run: Run) -> None:
    """``--range`` and ``--format`` are recorded as typed, not as their parameter names."""
    args = ["cond_3det_pass.csv", "--limit", "fcc-15.107-b", "--format", "generic-csv"]
    r = run("check", *args, "--range", "150k-30M", "-o", "json")
    command = json.loads(r.stdout)["command"]
    assert command == (
        "rfcheck check cond_3det_pass.csv --limit fcc-15.107-b --format generic-csv "
        "--range 150k-30M -o json"
    )
    again = run(*command.split()[1:])
    assert again.exit_code == r.exit_code == 0


def test_recorded_command_keeps_values_as_typed(run: Run) -> None:
    """The PDF said ``--highest-frequency 700000000.0`` for a typed ``700M``."""
    args = ["cond_3det_pass.csv", "--limit", "fcc-15.107-b", "--range", "150k-30M"]
    r = run("check", *args, "--highest-frequency", "30M", "-o", "json")
    assert json.loads(r.stdout)["command"] == (
        "rfcheck check cond_3det_pass.csv --limit fcc-15.107-b --range 150k-30M "
        "--highest-frequency 30M -o json"
    )


# --- CSV -----------------------------------------------------------------------------------------
def test_csv_rows(run: Run) -> None:
    r = run("check", "cond_3det_fail.csv", "garbage.bin", "--limit", "fcc-15.107-b", "-o", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(x["path"], x["line"], x["verdict"]) for x in rows] == [
        ("cond_3det_fail.csv", "QP", "FAIL"),
        ("cond_3det_fail.csv", "AV", "PASS"),
        ("garbage.bin", "", "ERROR"),
    ]
    assert rows[0]["worst_margin_db"] == "-1.0"
    assert rows[2]["error"].startswith("unrecognised capture format")


def test_csv_neutralises_text_not_numbers() -> None:
    assert csv_cell("=cmd()") == "'=cmd()" and csv_cell("+1") == "'+1" and csv_cell("@x") == "'@x"
    assert csv_cell("-x") == "'-x" and csv_cell("\tx") == "'\\tx"  # the tab escaped too
    assert csv_cell(-1.5) == -1.5 and csv_cell("ok") == "ok"


# --- setup file ----------------------------------------------------------------------------------
def test_setup_file_and_cli_override(run: Run, tmp_path: Path) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text(
        '[check]\nlimits = ["fcc-15.107-a"]\n'
        '[[rule]]\nmatch = "cond_peak_over*"\nlimits = ["fcc-15.107-b"]\n'
    )
    r = run(
        "check", "cond_peak_over_qp.csv", "cond_peak_pass.csv", "--setup", str(setup), "-o", "json"
    )
    doc = json.loads(r.stdout)
    assert [c["checks"][0]["limit_id"] for c in doc["captures"]] == ["fcc-15.107-b", "fcc-15.107-a"]
    assert r.exit_code == 4
    assert "setup" in {i["role"] for i in doc["inputs"]}
    r2 = run(
        "check",
        "cond_peak_pass.csv",
        "--setup",
        str(setup),
        "--limit",
        "fcc-15.107-b",
        "-o",
        "json",
    )
    assert json.loads(r2.stdout)["captures"][0]["checks"][0]["limit_id"] == "fcc-15.107-b"


# --- limits subcommands ---------------------------------------------------------------------------
def test_limits_list(run: Run) -> None:
    r = run("limits", "list")
    assert r.exit_code == 0
    assert "fcc-15.107-a" in r.stdout and "suffix is the device CLASS" in r.stdout
    doc = json.loads(run("limits", "list", "-o", "json").stdout)
    assert len(doc["limits"]) == 12


def test_limits_show_flags_unconfirmed(run: Run) -> None:
    r = run("limits", "show", "cispr32-a-rad-above-1g")
    assert r.exit_code == 0
    assert "AV 56.00 UNCONFIRMED" in r.stdout and "WARNING:" in r.stdout
    r2 = run("limits", "show", "fcc-15.107-b")
    assert "0.15        0.5  log-f   AV 56.00->46.00 [P]; QP 66.00->56.00 [P]" in r2.stdout
    assert "15.107(a)" in r2.stdout
    doc = json.loads(run("limits", "show", "fcc-15.109-b", "-o", "json").stdout)
    assert doc["native_unit"] == "uV/m" and doc["segments"][0]["levels"]["QP"]["start"] == 40.0


def test_limits_show_marks_a_segment_that_starts_just_above_its_first_frequency(run: Run) -> None:
    """15.109(a)'s AV/PK lines are "above 1000 MHz": 1000 MHz itself is judged on QP only."""
    r = run("limits", "show", "fcc-15.109-b")
    assert "     >1000      40000  flat    AV 53.98 [P]; PK 73.98 [D]" in r.stdout
    assert ">FROM: the segment starts just above FROM (FROM itself is not in it)" in r.stdout
    assert "        30         88  flat    QP 40.00 [P]" in r.stdout
    doc = json.loads(run("limits", "show", "fcc-15.109-b", "-o", "json").stdout)
    assert [s["include_start"] for s in doc["segments"]] == [True] * 4 + [False]


def test_limits_show_unknown(run: Run) -> None:
    r = run("limits", "show", "nope")
    assert r.exit_code == 3 and r.stderr.startswith("rfcheck: error: unknown limit id 'nope'")


def test_limits_validate(run: Run) -> None:
    r = run("limits", "validate", "user_limit.toml")
    assert r.exit_code == 0
    assert r.stdout == (
        "user_limit.toml: OK: lab-internal-50 (conducted, QP, 1 segment, status D as the file "
        "states: its form is checked, not its values against the regulation)\n"
    )
    bad = run("limits", "validate", "bad_limit.toml")
    assert bad.exit_code == 3
    assert (
        bad.stderr == "rfcheck: error: bad_limit.toml: segments overlap: 0.15-5 MHz and 1-30 MHz\n"
    )


def test_user_limit_file_in_check(run: Run) -> None:
    r = run("check", "cond_3det_pass.csv", "--limit-file", "user_limit.toml", "-o", "json")
    doc = json.loads(r.stdout)
    assert doc["captures"][0]["checks"][0]["limit_id"] == "lab-internal-50"
    assert r.exit_code == 1  # QP 52 dBuV > 50
    # a user's table says so wherever it is named
    (lim,) = doc["captures"][0]["limits"]
    assert lim["shipped"] is False and lim["title"].startswith("USER TABLE (not shipped): ")
    assert any(
        w.startswith("lab-internal-50: a user limit table (file user_limit.toml, sha256 ")
        for w in doc["captures"][0]["warnings"]
    )


def test_help(run: Run) -> None:
    for cmd in (
        ["check"],
        ["limits"],
        ["limits", "list"],
        ["limits", "show"],
        ["limits", "validate"],
    ):
        assert run(*cmd, "--help").exit_code == 0


def test_a_volts_reading_is_shown_with_its_digits(tmp_path: Path) -> None:
    """A linear reading of 0.5 mV (53.98 dBµV) reads 0.0005 V in the text and the JSON."""
    cap = tmp_path / "scope.csv"
    cap.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (MHz),QP (V)\n0.5,0.0001\n1,0.0005\n2,0.0001\n",
        encoding="utf-8",
    )
    args = ["check", str(cap), "--limit", "fcc-15.107-b", "--range", "0.5M-2M"]
    text = CliRunner().invoke(main, args).output
    assert "0.0005 V        +53.98" in text
    doc = json.loads(CliRunner().invoke(main, [*args, "-o", "json"]).stdout)
    (worst,) = [s for s in doc["captures"][0]["suspects"] if s["line"] == "QP"]
    assert (worst["reading"], worst["reading_unit"], worst["level"]) == (0.0005, "V", 53.98)


def test_the_measurement_range_note_is_printed_once() -> None:
    samples = Path(__file__).resolve().parents[2] / "sample_captures"
    args = [
        "check",
        str(samples / "radiated" / "rig_3m_H_30M-1G_keysight.csv"),
        "--limit",
        "fcc-15.109-b",
        "--antenna-factor",
        str(samples / "transducers" / "antenna_factor_bilog_30M-1G.csv"),
    ]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 5, res.output  # INCOMPLETE: required to 40 GHz
    assert res.output.count("highest frequency of the device not stated") == 1
    warnings = json.loads(CliRunner().invoke(main, [*args, "-o", "json"]).output)["captures"][0][
        "warnings"
    ]
    assert any("not stated" in w for w in warnings)  # the JSON keeps it among the notes
