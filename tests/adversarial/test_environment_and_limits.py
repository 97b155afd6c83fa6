"""Hostile environments and requests (issue 17).

SOURCE_DATE_EPOCH, --scheduler, a closed stdout pipe, a receiver step that would allocate tens of
GiB, a renderer that fails, and report strings of thousands of characters.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.errors import ReceiverError
from rfcheck.receiver import measure
from rfcheck.receiver.capacity import MAX_FREQUENCIES

FAIL_CSV = "check/cond_3det_fail.csv"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "",
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC "
            "(0 .. 253402300799), got ''",
        ),
        (
            "yesterday",
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC "
            "(0 .. 253402300799), got 'yesterday'",
        ),
        (
            "-1",
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC "
            "(0 .. 253402300799), got '-1'",
        ),
        (
            "1e9",
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC "
            "(0 .. 253402300799), got '1e9'",
        ),
        (
            "99999999999999999999",
            "SOURCE_DATE_EPOCH is out of range (0 .. 253402300799 s, up to "
            "9999-12-31), got '99999999999999999999'",
        ),
    ],
)
@pytest.mark.parametrize("command", ["check", "batch"])
def test_invalid_source_date_epoch_is_a_usage_error(
    tmp_path: Path, fixtures_dir: Path, command: str, value: str, message: str
) -> None:
    target = fixtures_dir / FAIL_CSV if command == "check" else fixtures_dir / "check"
    args = [
        command,
        str(target),
        "--limit",
        "fcc-15.107-b",
        "--out",
        str(tmp_path / "out"),
        "--report",
        "html",
    ]
    result = CliRunner().invoke(main, args, env={"SOURCE_DATE_EPOCH": value})
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(f"Error: {message}\n")
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_valid_source_date_epoch_dates_the_report(tmp_path: Path, fixtures_dir: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(fixtures_dir / FAIL_CSV),
            "--limit",
            "fcc-15.107-b",
            "--out",
            str(tmp_path),
            "--report",
            "html",
        ],
        env={"SOURCE_DATE_EPOCH": " 1700000000 "},
    )
    assert result.exit_code == 1
    assert "2023-11-14T22:13:20Z" in (tmp_path / "cond_3det_fail.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "address",
    [
        "inproc://x/1/2",
        "tls://h:8786",
        "udp://h:1",
        "h",
        "tcp://h",
        "tcp://h:0",
        "tcp://h:70000",
        "tcp://:8786",
        "tcp://h:87a6",
        "tcp://h:1 --x",
    ],
)
def test_malformed_or_non_tcp_scheduler_is_a_usage_error(
    tmp_path: Path, fixtures_dir: Path, address: str
) -> None:
    result = CliRunner().invoke(
        main,
        [
            "batch",
            str(fixtures_dir / "check"),
            "--out",
            str(tmp_path / "o"),
            "--limit",
            "fcc-15.107-b",
            "--scheduler",
            address,
        ],
    )
    assert result.exit_code == 2
    assert (
        f"Invalid value for '--scheduler': not a TCP scheduler address: {address!r}"
        in result.stderr
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("address", "sent"),
    [
        ("localhost:8786", "tcp://localhost:8786"),
        ("10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("[::1]:8786", "tcp://[::1]:8786"),
        ("tcp://h:8786", "tcp://h:8786"),
    ],
)
def test_a_bare_host_port_scheduler_is_taken_as_tcp(
    tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch, address: str, sent: str
) -> None:
    """README §Input limits: a bare HOST:PORT is taken as tcp://HOST:PORT."""
    import rfcheck.batch.runner as runner
    from rfcheck.batch import BatchSchedulerError

    seen: list[object] = []

    def unreachable(scheduler: object) -> tuple[object, bool]:
        seen.append(scheduler)
        raise BatchSchedulerError(f"cannot connect to the Dask scheduler {scheduler}: refused")

    monkeypatch.setattr(runner, "dask_client", unreachable)
    result = CliRunner().invoke(
        main,
        ["batch", str(fixtures_dir / "check"), "--out", str(tmp_path / "o")]
        + ["--limit", "fcc-15.107-b", "--scheduler", address],
    )
    assert seen == [sent]
    assert result.exit_code == 2
    assert f"Error: cannot connect to the Dask scheduler {sent}: refused" in result.stderr
    readme = " ".join(
        (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split()
    )
    assert "a bare `HOST:PORT` is taken as `tcp://HOST:PORT`" in readme


def _run_with_stdout_closed(args: list[str], read_first_line: bool) -> tuple[int, str]:
    """Run ``python -m rfcheck ARGS`` with its stdout a pipe the reader closes (``| head -1``)."""
    with subprocess.Popen(
        [sys.executable, "-m", "rfcheck", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        if read_first_line:
            proc.stdout.readline()
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        return proc.wait(timeout=60), stderr


def test_closed_stdout_pipe_exits_quietly_with_0(fixtures_dir: Path) -> None:
    files = [str(fixtures_dir / FAIL_CSV)] * 400  # far more output than a pipe buffer holds
    code, stderr = _run_with_stdout_closed(["info", *files], read_first_line=True)
    assert (code, stderr) == (0, "")


def test_closed_pipe_before_check_output_keeps_the_verdicts_exit_code(fixtures_dir: Path) -> None:
    code, stderr = _run_with_stdout_closed(
        ["check", str(fixtures_dir / FAIL_CSV), "--limit", "fcc-15.107-b"], read_first_line=False
    )
    assert (code, stderr) == (1, "")  # FAIL, not a 0 a script under pipefail reads as PASS


def test_closed_pipe_lets_a_dossier_finish_its_records_and_keep_its_verdict(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[2] / "sample_captures"
    out = tmp_path / "records"
    args = ["dossier", str(samples), "--setup", str(samples / "dossier-setup.toml")]
    code, stderr = _run_with_stdout_closed([*args, "--out", str(out)], read_first_line=False)
    assert (code, stderr) == (1, "")  # the sample rig's FAIL, as without the pipe
    assert sorted(p.name for p in out.glob("*/dossier.json")) == ["dossier.json"] * 2
    assert (out / "summary.json").is_file()


def test_stderr_in_the_closed_pipe_too_keeps_the_verdicts_exit_code(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    """``rfcheck ... 2>&1 | head``: a closed stderr is silenced like stdout, never exit 141."""
    bad = tmp_path / "bad.csv"
    bad.write_text("not a capture\n", encoding="utf-8")
    files = [str(bad), str(fixtures_dir / FAIL_CSV)] * 200  # an error line on stderr for each
    with subprocess.Popen(
        [sys.executable, "-m", "rfcheck", "info", *files],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as proc:
        assert proc.stdout is not None
        proc.stdout.close()
        assert proc.wait(timeout=60) == 3  # a file could not be read, as without the pipe


@pytest.mark.parametrize("step", ["1", "4"])
def test_receiver_step_giving_too_many_frequencies_is_refused_before_allocating(
    sigmf: Callable[..., Path], step: str
) -> None:
    rec = sigmf("cw", duration_s=0.01)
    result = CliRunner().invoke(main, ["receiver", str(rec), "--band", "B", "--step", step])
    assert result.exit_code == 2
    count = (600e3 - 150e3) / float(step) + 1
    assert (
        f"Invalid value for '--step': {count:,.0f} frequencies asked for (step {step} Hz from "
        f"150 kHz to 600 kHz); a receiver run measures at most {MAX_FREQUENCIES:,}"
    ) in result.stderr
    assert "a step of at least 4.500045 Hz" in result.stderr


def test_receiver_start_stop_with_tiny_step_is_refused(sigmf: Callable[..., Path]) -> None:
    rec = sigmf("cw", duration_s=0.01)
    result = CliRunner().invoke(
        main,
        ["receiver", str(rec), "--band", "B", "--start", "150k", "--stop", "30M", "--step", "0.5"],
    )
    assert result.exit_code == 2
    assert "59,700,001 frequencies asked for (step 0.5 Hz from 150 kHz to 30 MHz)" in result.stderr


def test_measure_refuses_too_many_frequencies(sigmf: Callable[..., Path]) -> None:
    from rfcheck.io import load_capture

    ts = load_capture(sigmf("cw", duration_s=0.01)).time_series[0]
    freqs = [150e3 + k * 1e-3 for k in range(MAX_FREQUENCIES + 1)]
    with pytest.raises(
        ReceiverError, match=r"^100,001 frequencies asked for; a receiver run measures"
    ):
        measure(ts, "B", freqs)


def _failing_plot_capture(
    tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Write a failing capture and make the PNG renderer raise (as matplotlib did on 1e308).

    (A 1e308 level is now refused at load, ``test_hostile_levels``; the renderer's own failure
    is simulated.)
    """
    from rfcheck.report import pdf, plots  # pdf binds plot_png at import: import it unpatched

    assert getattr(pdf, "plot_png") is plots.plot_png  # noqa: B009

    def broken(*_args: object, **_kw: object) -> bytes:
        raise ValueError("bottom cannot be >= top")

    monkeypatch.setattr(plots, "plot_png", broken)
    path = tmp_path / "huge.csv"
    path.write_text((fixtures_dir / FAIL_CSV).read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_failing_plot_keeps_the_fail_verdict_and_reports_the_error(
    tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cap = _failing_plot_capture(tmp_path, fixtures_dir, monkeypatch)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(cap),
            "--limit",
            "fcc-15.107-b",
            "--report",
            "png,pdf,json",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[-1] == "overall verdict: FAIL"
    assert "rfcheck: error: report not written: huge.png: " in result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "huge.json",
        "huge.pdf",
    ]


def test_failing_plot_keeps_the_batch_row_verdict(
    tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _failing_plot_capture(folder, fixtures_dir, monkeypatch)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "batch",
            str(folder),
            "--out",
            str(out),
            "--limit",
            "fcc-15.107-b",
            "--report",
            "png,json",
            "--jobs",
            "1",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "batch verdict: FAIL" in result.stdout
    assert f"rfcheck: error: {folder / 'huge.csv'}: report not written: huge.png: " in result.stderr


@pytest.mark.parametrize("label", ["X" * 3000, "word " * 700])
def test_long_label_and_model_do_not_break_pdf_or_plot(
    tmp_path: Path, fixtures_dir: Path, label: str
) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text(
        f'[dut]\nmodel = "{"M" * 3000}"\n[test]\nnotes = "{"n " * 2000}"\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(fixtures_dir / FAIL_CSV),
            "--limit",
            "fcc-15.107-b",
            "--setup",
            str(setup),
            "--label",
            label,
            "--report",
            "pdf,png,svg,html",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "error" not in result.stderr
    assert sorted(p.suffix for p in out.iterdir() if not p.name.startswith(".")) == [
        ".html",
        ".pdf",
        ".png",
        ".svg",
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_invalid_source_date_epoch_in_batch_workers_keeps_verdicts(
    tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The Python API has no up-front check: each worker records one clear line, no traceback."""
    from rfcheck.batch import run_batch

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.csv").write_bytes((fixtures_dir / FAIL_CSV).read_bytes())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    result = run_batch(
        [folder],
        tmp_path / "out",
        overrides={"limit_ids": ("fcc-15.107-b",)},
        formats=("html", "json"),
        jobs=jobs,
    )
    (row,) = result.rows
    assert row.verdict.value == "FAIL"
    assert row.error == (
        "report not written: a.html: EnvironmentSettingError: SOURCE_DATE_EPOCH must be "
        "a whole number of seconds since 1970-01-01 UTC (0 .. 253402300799), got 'soon'"
    )
    assert row.reports == ("captures/a.csv/a.json",)
