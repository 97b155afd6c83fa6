"""Usage errors are found before any work.

A bad ``--report``/``-o`` format or a batch with no limit named anywhere exits 2 with one ``Error:``
line, prints nothing on stdout, reads no capture and writes no file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rfcheck.cli import main
from rfcheck.io import READERS
from rfcheck.limits import shipped_ids

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "check"
KNOWN = "(known: pdf, html, png, svg, json, csv, or 'none')"
UNKNOWN_LIMIT = (
    "Error: Invalid value for '--limit': unknown limit id 'fcc-15.999' (known: "
    + ", ".join(shipped_ids())
    + ")"
)
NOT_POSITIVE = "Error: Invalid value for '--highest-frequency': must be > 0 Hz"
NO_LIMIT = (
    "Error: no limit given: use --limit ID (see 'rfcheck limits list'), --limit-file FILE, or "
    "a [check]/[[rule]] 'limits' entry in the setup file"
)


def _invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _error_line(result: Result) -> str:
    """Return the one ``Error:`` line click prints under the usage hint."""
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- check --------------------------------------------------------------------------------------
def test_check_unknown_report_format_exits_2_before_analysis(
    tmp_path: Path, no_analysis: None
) -> None:
    r = _invoke(
        "check",
        FIX / "cond_peak_pass.csv",
        "--limit",
        "fcc-15.107-b",
        "--report",
        "pdff",
        "--out",
        tmp_path / "reports",
    )
    assert r.exit_code == 2
    assert r.stdout == ""  # no verdict printed: nothing was analysed
    assert _error_line(r) == f"Error: Invalid value for '--report': unknown format 'pdff' {KNOWN}"
    assert not (tmp_path / "reports").exists()


def test_check_report_names_several_unknown_formats(no_analysis: None) -> None:
    r = _invoke(
        "check", FIX / "cond_peak_pass.csv", "--limit", "fcc-15.107-b", "--report", "pdf,DOCX,txt"
    )
    assert r.exit_code == 2
    assert _error_line(r) == (
        f"Error: Invalid value for '--report': unknown formats 'docx', 'txt' {KNOWN}"
    )


def test_check_text_is_not_a_report_file_format(no_analysis: None) -> None:
    r = _invoke("check", FIX / "cond_peak_pass.csv", "--limit", "fcc-15.107-b", "--report", "text")
    assert r.exit_code == 2
    assert _error_line(r) == f"Error: Invalid value for '--report': unknown format 'text' {KNOWN}"


def test_check_output_format_parsed_by_the_registry(no_analysis: None) -> None:
    r = _invoke("check", FIX / "cond_peak_pass.csv", "--limit", "fcc-15.107-b", "-o", "pdf")
    assert r.exit_code == 2
    assert _error_line(r) == (
        "Error: Invalid value for '-o' / '--output-format': unknown format 'pdf' "
        "(known: text, json, csv)"
    )


def test_check_report_formats_any_case_and_order(tmp_path: Path) -> None:
    r = _invoke(
        "check",
        FIX / "cond_peak_pass.csv",
        "--limit",
        "fcc-15.107-b",
        "-o",
        "JSON",
        "--report",
        "CSV, json",
        "--out",
        tmp_path,
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["verdict"] == "PASS"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".rfcheck-output",
        ".rfcheck-report-inputs",  # which capture each report file is of
        ".rfcheck-report-inputs.lock",  # held while the reports are checked, written, recorded
        "cond_peak_pass-suspects.csv",
        "cond_peak_pass.csv",
        "cond_peak_pass.json",
    ]
    # the command line in the report is the one typed (as lot, compare and batch record it)
    doc = json.loads((tmp_path / "cond_peak_pass.json").read_text("utf-8"))
    assert "-o JSON --report 'CSV, json' --out" in doc["command"]


# --- the --limit id and --highest-frequency checks, one message in every command -------------
@pytest.mark.parametrize(
    "args",
    [
        ("check", FIX / "cond_peak_pass.csv"),
        ("batch", FIX, "--out", "OUT"),
        ("compare", FIX / "cond_peak_pass.csv", FIX / "cond_peak_pass.csv"),
        ("lot", FIX, "--golden", "u1", "--setup", FIX / "no-such-setup.toml"),
    ],
    ids=["check", "batch", "compare", "lot"],
)
def test_every_command_refuses_an_unknown_limit_id_with_one_message(
    tmp_path: Path, no_analysis: None, args: tuple[str | Path, ...]
) -> None:
    out = tmp_path / "out"
    r = _invoke(*(out if a == "OUT" else a for a in args), "--limit", "fcc-15.999")
    assert r.exit_code == 2 and r.stdout == ""
    assert _error_line(r) == UNKNOWN_LIMIT
    assert not out.exists()


@pytest.mark.parametrize("command", ["check", "batch"])
def test_check_and_batch_refuse_a_zero_highest_frequency_with_one_message(
    tmp_path: Path, no_analysis: None, command: str
) -> None:
    out = tmp_path / "out"
    target = FIX / "cond_peak_pass.csv" if command == "check" else FIX
    extra = ("--out", out) if command == "batch" else ()
    r = _invoke(command, target, *extra, "--limit", "fcc-15.107-b", "--highest-frequency", "0")
    assert r.exit_code == 2 and r.stdout == ""
    assert _error_line(r) == NOT_POSITIVE
    assert not out.exists()


@pytest.mark.parametrize("command", ["check", "batch", "explain"])
def test_a_highest_frequency_below_9_khz_is_refused_as_a_unit_slip(
    tmp_path: Path, no_analysis: None, command: str
) -> None:
    """``--highest-frequency 700`` (meant 700M) would require no radiated range (47 CFR 15.3)."""
    out = tmp_path / "out"
    target = FIX if command == "batch" else FIX / "cond_peak_pass.csv"
    extra: tuple[str | Path, ...] = {
        "batch": ("--out", out, "--limit", "fcc-15.107-b"),
        "check": ("--limit", "fcc-15.107-b"),
        "explain": ("--setup", FIX / "no-such-setup.toml"),
    }[command]
    r = _invoke(command, target, *extra, "--highest-frequency", "700")
    assert r.exit_code == 2 and r.stdout == ""
    assert _error_line(r) == (
        "Error: Invalid value for '--highest-frequency': highest frequency 700 Hz is below "
        "9 kHz, where a device generates no radio frequency energy (47 CFR 15.3); give it "
        "with its unit (700M)"
    )
    assert not out.exists()


# --- batch --------------------------------------------------------------------------------------
def test_batch_unknown_report_format_exits_2_before_any_work(
    tmp_path: Path, no_analysis: None
) -> None:
    out = tmp_path / "out"
    r = _invoke("batch", FIX, "--out", out, "--limit", "fcc-15.107-b", "--report", "json,docx")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert _error_line(r) == f"Error: Invalid value for '--report': unknown format 'docx' {KNOWN}"
    assert not out.exists()


def test_batch_without_any_limit_exits_2_before_any_work(tmp_path: Path, no_analysis: None) -> None:
    out = tmp_path / "out"
    r = _invoke("batch", FIX, "--out", out, "-j", "1")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert _error_line(r) == NO_LIMIT
    assert not out.exists()


def test_batch_setup_without_limits_exits_2(tmp_path: Path, no_analysis: None) -> None:
    setup = tmp_path / "setup.toml"
    text = '[dut]\nmodel = "X"\n[[rule]]\nmatch = "**/*.csv"\ndistance_m = 3.0\n'
    setup.write_text(text, "utf-8")
    r = _invoke("batch", FIX, "--out", tmp_path / "out", "--setup", setup)
    assert r.exit_code == 2
    assert _error_line(r) == NO_LIMIT


PLAN_ONLY = (
    "(this setup's [plan] limits apply to the captures a [[rule]] gives a port (port or "
    "port_regex); no rule gives one)"
)
PLAN_NO_PORT = (
    "(this setup's [plan] limits apply to a file a [[rule]] gives a port (port or port_regex); "
    "none gives this one)"
)


@pytest.mark.parametrize("command", ["batch", "check", "compare"])
def test_a_setup_naming_limits_in_its_plan_only_says_so(
    tmp_path: Path, no_analysis: None, command: str
) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text(
        '[dut]\nclass = "B"\n[plan]\nregulation = "fcc-part15b"\nmains_lines = ["L1", "N"]\n'
        'polarisations = ["H", "V"]\n'
        "distance_m = 3\n",
        "utf-8",
    )
    capture = next(FIX.glob("*.csv"))
    args: dict[str, tuple[str | Path, ...]] = {
        "batch": ("batch", FIX, "--out", tmp_path / "out"),
        "check": ("check", capture),
        "compare": ("compare", capture, capture),
    }
    r = _invoke(*args[command], "--setup", setup)
    assert r.exit_code == 2
    assert _error_line(r).startswith("Error: no limit given")
    # every command takes the plan's limits for a port; no rule gives one here
    assert _error_line(r).endswith(PLAN_ONLY if command == "batch" else PLAN_NO_PORT)


def test_batch_limit_in_a_rule_is_enough(tmp_path: Path) -> None:
    """A limit named only by a [[rule]]: not a usage error; unmatched inputs are ERROR rows."""
    setup = tmp_path / "setup.toml"
    setup.write_text('[[rule]]\nmatch = "cond_peak_pass.csv"\nlimits = ["fcc-15.107-b"]\n', "utf-8")
    r = _invoke(
        "batch",
        FIX / "cond_peak_pass.csv",
        FIX / "cond_3det_pass.csv",
        "--out",
        tmp_path / "out",
        "--setup",
        setup,
        "-j",
        "1",
        "-q",
    )
    assert r.exit_code == 3, r.output
    doc = json.loads((tmp_path / "out/summary.json").read_text("utf-8"))
    assert [row["verdict"] for row in doc["rows"]] == ["PASS", "ERROR"]


def test_batch_report_none_writes_no_reports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = _invoke(
        "batch",
        FIX / "cond_peak_pass.csv",
        "--out",
        out,
        "--limit",
        "fcc-15.107-b",
        "--report",
        "None",
        "-j",
        "1",
        "-q",
    )
    assert r.exit_code == 0, r.output
    assert [p.name for p in (out / "captures/cond_peak_pass.csv").iterdir()] == [
        ".rfcheck-state.json"
    ]


# --- rfcheck formats ----------------------------------------------------------------------------
def test_formats_lists_every_reader_in_three_lines() -> None:
    r = _invoke("formats")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == 3 * len(READERS)
    for i, reader in enumerate(READERS):
        name, exts, detects = lines[3 * i : 3 * i + 3]
        assert name == f"{reader.name:<18} {reader.title}"
        assert exts == f"{'':<18} extensions: {' '.join(reader.extensions)}"
        assert detects == f"{'':<18} detects:    {reader.signature}"
    sigmf = "sigmf              SigMF recording (.sigmf-meta + .sigmf-data, or .sigmf archive)"
    assert sigmf in lines


def test_formats_json_names_what_format_accepts() -> None:
    r = _invoke("formats", "-o", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert [d["name"] for d in doc] == [reader.name for reader in READERS]
    assert len({d["name"] for d in doc}) == len(doc)
    assert all(set(d) == {"name", "title", "extensions", "signature", "priority"} for d in doc)
    assert {"sigmf", "rs-iqtar"} <= {d["name"] for d in doc}
    sigmf = next(d for d in doc if d["name"] == "sigmf")
    assert sigmf["extensions"] == [".sigmf-meta", ".sigmf-data", ".sigmf"]
