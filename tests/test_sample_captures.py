"""The bundled sample captures give the verdicts ``sample_captures/expected.toml`` promises.

The samples are what a new user runs first (the README's first command), so they must never
drift: every capture is judged by the real pipeline (``analyse_file`` with the setup's
``[[rule]]`` settings, the ``check`` CLI with the equivalent options, ``batch`` over the
folder, ``receiver`` on the recording), the generator must reproduce the committed bytes,
the folder stays small, and every malformed file is refused with one line and exit code 3.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.analysis import analyse_file
from rfcheck.cli import main
from rfcheck.combine import analyse_combined
from rfcheck.settings import CheckSettings, load_setup

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_captures"
EXPECTED: dict[str, Any] = tomllib.loads((SAMPLES / "expected.toml").read_text(encoding="utf-8"))
SETUP = load_setup(SAMPLES / EXPECTED["setup"])
CAPTURES = EXPECTED["capture"]
MALFORMED = EXPECTED["malformed"]
#: Folders the generator owns entirely (every file in them is generated).
GENERATED_DIRS = ("conducted", "radiated", "transducers", "malformed", "rig-0418", "photos")
MAX_FOLDER_BYTES = 10_000_000


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [Path(r["path"]).name for r in rows]


def _settings(rel: str) -> CheckSettings:
    return SETUP.settings_for(rel)


def _check_args(settings: CheckSettings) -> list[str]:
    """Return the ``rfcheck check`` options equivalent to the setup's settings for one capture."""
    args: list[str] = []
    for lid in settings.limit_ids:
        args += ["--limit", lid]
    if settings.distance_m is not None:
        args += ["--distance", str(settings.distance_m)]
    if settings.antenna_factor is not None:
        args += ["--antenna-factor", str(settings.antenna_factor)]
    for cable in settings.cable_loss:
        args += ["--cable-loss", str(cable)]
    for opt, value in (("--lisn", settings.lisn), ("--preamp-gain", settings.preamp_gain)):
        if value is not None:
            args += [opt, str(value)]
    return args


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- the table itself ----------------------------------------------------------------------


def test_every_capture_has_an_expected_verdict() -> None:
    on_disk = {
        p.relative_to(SAMPLES).as_posix()
        for d in ("conducted", "radiated")
        for p in (SAMPLES / d).iterdir()
        if not p.name.endswith(".sigmf-data")  # a SigMF pair is one recording (its -meta)
    }
    assert on_disk == {row["path"] for row in CAPTURES}
    assert {p.relative_to(SAMPLES).as_posix() for p in (SAMPLES / "malformed").iterdir()} == {
        row["path"] for row in MALFORMED
    }


def test_samples_cover_every_verdict_but_error() -> None:
    assert {row["verdict"] for row in CAPTURES} == {"PASS", "FAIL", "INCONCLUSIVE", "INCOMPLETE"}


# --- verdicts through the real pipeline ---------------------------------------------------


@pytest.mark.parametrize("row", CAPTURES, ids=_ids(CAPTURES))
def test_check_verdict_and_decisive_margin(row: dict[str, Any]) -> None:
    result = analyse_file(SAMPLES / row["path"], _settings(row["path"]))
    assert not result.errors, result.errors
    assert result.verdict.value == row["verdict"], row["why"]
    want = row["decisive"]
    (check,) = [c for c in result.checks if (c.limit_id, c.line) == (want["limit"], want["line"])]
    assert check.worst_frequency_hz is not None and check.worst_margin_db is not None
    assert check.worst_frequency_hz / 1e6 == pytest.approx(want["frequency_mhz"], rel=2e-3)
    assert check.worst_margin_db == pytest.approx(want["margin_db"], abs=0.01)


@pytest.mark.parametrize("row", CAPTURES, ids=_ids(CAPTURES))
def test_check_cli_exit_code(row: dict[str, Any]) -> None:
    res = _run("check", str(SAMPLES / row["path"]), *_check_args(_settings(row["path"])))
    assert res.exit_code == row["exit_code"], res.output
    assert f"overall verdict: {row['verdict']}" in res.stdout


def test_check_json_schema_on_the_inconclusive_prescan() -> None:
    row = next(r for r in CAPTURES if r["verdict"] == "INCONCLUSIVE")
    res = _run(
        "check", str(SAMPLES / row["path"]), *_check_args(_settings(row["path"])), "-o", "json"
    )
    doc = json.loads(res.stdout)
    assert doc["margin_sign"] == "limit_minus_level"
    assert {"rfcheck_version", "verdict", "captures"} <= set(doc)
    (cap,) = doc["captures"]
    assert {"path", "sha256", "format", "verdict", "checks", "suspects", "errors"} <= set(cap)
    assert {
        "limit_id",
        "line",
        "detector",
        "verdict",
        "worst_margin_db",
        "worst_frequency_hz",
    } <= set(cap["checks"][0])
    assert {
        "frequency_hz",
        "reading",
        "correction_db",
        "level",
        "unit",
        "limit",
        "margin_db",
        "detector",
        "verdict",
    } <= set(cap["suspects"][0])
    for s in cap["suspects"]:
        assert s["margin_db"] == pytest.approx(s["limit"] - s["level"], abs=0.011)


def test_receiver_resolves_the_prescan() -> None:
    """The recording's QP passes where the L1 peak prescan could not decide."""
    row = next(r for r in CAPTURES if "receiver" in r)
    rx = row["receiver"]
    res = _run(
        "receiver",
        str(SAMPLES / row["path"]),
        "--band",
        rx["band"],
        "--freq",
        f"{rx['frequency_mhz']}M",
        "-o",
        "json",
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["peak"][0] == pytest.approx(rx["peak_dbuv"], abs=rx["tolerance_db"])
    assert doc["quasi-peak"][0] == pytest.approx(rx["quasi_peak_dbuv"], abs=rx["tolerance_db"])
    assert doc["warnings"] == []  # long enough for the Band B detector to settle
    # the prescan's question is answered: QP well below 56 dBµV, peak well above it
    prescan = next(r for r in CAPTURES if r["path"].endswith("rig_L1_peak_keysight.csv"))
    assert prescan["decisive"]["frequency_mhz"] == pytest.approx(rx["frequency_mhz"], abs=0.01)
    assert doc["quasi-peak"][0] < 56.0 - 6.0 < 56.0 + 6.0 < doc["peak"][0]


#: The L1 port as measured: peak prescan, average sweep, I/Q recording of the fan bursts.
L1_TRIO = (
    "conducted/rig_L1_peak_keysight.csv",
    "conducted/rig_L1_avg_keysight.csv",
    "conducted/rig_L1_burst.sigmf-meta",
)


def _combined_l1(*rels: str) -> Any:
    return _run(
        "check",
        *(str(SAMPLES / r) for r in rels),
        "--setup",
        str(SAMPLES / EXPECTED["setup"]),
        "--combine",
        "-o",
        "json",
    )


def test_l1_trio_combined_passes() -> None:
    """``check --combine`` over the L1 trio is a definite PASS, and each file is needed.

    The prescan is over the QP limit only at 1.369-1.404 MHz, all inside the recording's
    receiver scan (1.302-1.4775 MHz, steps of 4.5 kHz), whose measured QP (+10.2 dB) settles
    it; everywhere else the prescan is at least 8.8 dB under the QP limit (an upper bound,
    worst at 195 kHz). The average sweep measures AV over 0.15-30 MHz (+2.7 dB at 195 kHz).
    """
    res = _combined_l1(*L1_TRIO)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    (cap,) = doc["captures"]
    assert cap["verdict"] == doc["verdict"] == "PASS"
    assert cap["path"] == " + ".join(str(SAMPLES / r) for r in L1_TRIO)
    checks = {c["line"]: c for c in cap["checks"]}
    assert set(checks) == {"QP", "AV"}
    for c in checks.values():
        assert c["needs_hz"] == [] and c["not_evaluated_hz"] == []
        assert c["evaluated_hz"] == [[150000.0, 30000000.0]]
        assert c["worst_frequency_hz"] / 1e6 == pytest.approx(0.195, rel=2e-3)
    assert checks["QP"]["worst_bound"] == "upper bound"  # the prescan, off the bursts
    assert checks["QP"]["worst_margin_db"] == pytest.approx(8.8, abs=1.0)
    assert checks["AV"]["worst_bound"] == "measured"  # the average sweep
    assert checks["AV"]["worst_margin_db"] == pytest.approx(2.7, abs=1.0)
    assert [i["path"] for i in doc["inputs"] if i["role"] == "capture"] == [
        str(SAMPLES / r) for r in L1_TRIO
    ]
    # the recording's measured QP at the bursts: 45.6 dBµV read + LISN + cable, 56 dBµV limit
    result = analyse_combined([SAMPLES / r for r in L1_TRIO], [_settings(r) for r in L1_TRIO])
    (qp,) = [
        t for t in result.plot_traces if t.label == "rig_L1_burst.sigmf-meta: receiver quasi-peak"
    ]
    assert 56.0 - float(qp.level.max()) == pytest.approx(10.2, abs=1.0)


@pytest.mark.parametrize(
    ("members", "open_line", "at_mhz"),
    [(L1_TRIO[:2], "QP", 1.389), ((L1_TRIO[0], L1_TRIO[2]), "AV", 0.195)],
    ids=["without-recording", "without-avg-sweep"],
)
def test_l1_combined_without_one_file_stays_inconclusive(
    members: tuple[str, ...], open_line: str, at_mhz: float
) -> None:
    """Without the recording QP stays open at the bursts.

    Without the average sweep AV stays open at 195 kHz (the recording covers only 1.30-1.48 MHz).
    """
    res = _combined_l1(*members)
    assert res.exit_code == 4, res.output
    (cap,) = json.loads(res.stdout)["captures"]
    checks = {c["line"]: c for c in cap["checks"]}
    assert checks[open_line]["verdict"] == "INCONCLUSIVE"
    assert checks[open_line]["worst_frequency_hz"] / 1e6 == pytest.approx(at_mhz, rel=2e-3)
    assert {c["verdict"] for line, c in checks.items() if line != open_line} == {"PASS"}


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any], Path]:
    out = tmp_path_factory.mktemp("batch")
    res = _run(
        "batch",
        str(SAMPLES),
        "--setup",
        str(SAMPLES / EXPECTED["setup"]),
        "--out",
        str(out),
        "--jobs",
        "1",
        "--quiet",
    )
    return res.exit_code, json.loads((out / "summary.json").read_text(encoding="utf-8")), out


def test_batch_over_the_folder(batch_run: tuple[int, dict[str, Any], Path]) -> None:
    exit_code, summary, out = batch_run
    want = EXPECTED["batch"]
    assert exit_code == want["exit_code"]
    assert summary["verdict"] == want["verdict"]
    assert summary["counts"] == want["counts"]
    got = {Path(r["path"]).relative_to(SAMPLES).as_posix(): r["verdict"] for r in summary["rows"]}
    assert got == {row["path"]: row["verdict"] for row in CAPTURES}
    assert (out / "summary.csv").is_file() and (out / "index.html").is_file()


# --- malformed inputs -----------------------------------------------------------------------


@pytest.mark.parametrize("row", MALFORMED, ids=_ids(MALFORMED))
@pytest.mark.parametrize("command", ["info", "check"])
def test_malformed_file_is_refused_in_one_line(row: dict[str, Any], command: str) -> None:
    path = SAMPLES / row["path"]
    extra = ["--limit", "fcc-15.107-b"] if command == "check" else []
    res = _run(command, str(path), *extra)
    assert res.exit_code == 3, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("rfcheck: error: ") and path.name in lines[0]
    assert row["message"] in lines[0]


# --- the generator and the folder ------------------------------------------------------------


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(SAMPLES / "generate.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    fresh = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {
        p.relative_to(SAMPLES).as_posix()
        for d in GENERATED_DIRS
        for p in (SAMPLES / d).rglob("*")
        if p.is_file()
    }
    assert fresh == committed
    differ = [
        rel
        for rel in sorted(fresh)
        if (tmp_path / rel).read_bytes() != (SAMPLES / rel).read_bytes()
    ]
    assert not differ, f"regenerate with 'python sample_captures/generate.py': {differ}"


def test_folder_is_small() -> None:
    files = [p for p in SAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert sum(p.stat().st_size for p in files) < MAX_FOLDER_BYTES
    assert max(p.stat().st_size for p in files) < 3_000_000


def test_readme_margin_plot_is_small() -> None:
    plot = REPO / "docs" / "margin_plot.png"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plot.stat().st_size < 200_000
