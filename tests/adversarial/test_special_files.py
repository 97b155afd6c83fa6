"""Setup, limit and transducer files that are not regular files (issue 17).

A FIFO blocked forever and ``/dev/zero`` read until the OOM killer. Each is refused at once with one
line.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.errors import CorrectionError, LimitFileError, SetupFileError
from rfcheck.textfile import read_regular_file

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")


class _Blocked(BaseException):
    """Raised by the alarm when a test blocks."""


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """Fail after 20 s where a regression would block on the FIFO, instead of hanging the suite."""

    def expire(_signum: int, _frame: object) -> None:
        raise _Blocked("blocked on a special file")  # not an OSError: nothing may swallow it

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "table.fifo"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "folder"])
def test_lisn_table_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, fixtures_dir: Path, fifo: Path, special: str
) -> None:
    target = {"fifo": fifo, "/dev/zero": Path("/dev/zero"), "folder": tmp_path}[special]
    kind = {
        "fifo": "a FIFO (named pipe)",
        "/dev/zero": "a character device",
        "folder": "a directory",
    }[special]
    setup = tmp_path / "setup.toml"
    setup.write_text(f'[check]\nlimits = ["fcc-15.107-b"]\nlisn = "{target}"\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(fixtures_dir / "check/cond_3det_fail.csv"), "--setup", str(setup)]
    )
    assert result.exit_code == 3, result.output
    assert (
        f"{target}: cannot read LISN voltage-division factor table: "
        f"{kind} (only regular files are read)" in result.stderr
    )


@pytest.mark.parametrize(
    ("what", "error"),
    [
        ("setup file", SetupFileError),
        ("limit file", LimitFileError),
        ("cable loss table", CorrectionError),
    ],
)
def test_fifo_is_refused_without_blocking(fifo: Path, what: str, error: type[Exception]) -> None:
    with pytest.raises(error, match=f"cannot read {what}: a FIFO"):
        read_regular_file(fifo, what, error)  # type: ignore[arg-type]


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"1,2\n" * 300)
    assert read_regular_file(big, "x", CorrectionError, max_bytes=1200) == b"1,2\n" * 300
    with pytest.raises(CorrectionError, match=r"big\.csv: x is larger than 0 MiB: not read$"):
        read_regular_file(big, "x", CorrectionError, max_bytes=1199)


def test_setup_and_limit_file_options_refuse_a_fifo(fixtures_dir: Path, fifo: Path) -> None:
    cap = str(fixtures_dir / "check/cond_3det_fail.csv")
    result = CliRunner().invoke(main, ["check", cap, "--limit-file", str(fifo)])
    assert result.exit_code == 3
    assert (
        result.stderr == f"rfcheck: error: {fifo}: cannot read limit file: "
        "a FIFO (named pipe) (only regular files are read)\n"
    )


def test_batch_with_a_fifo_transducer_finishes_with_error_rows(
    tmp_path: Path, fixtures_dir: Path, fifo: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.csv").write_bytes((fixtures_dir / "check/cond_3det_fail.csv").read_bytes())
    setup = tmp_path / "setup.toml"
    setup.write_text(f'[check]\nlimits = ["fcc-15.107-b"]\nlisn = "{fifo}"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "batch",
            str(folder),
            "--out",
            str(out),
            "--setup",
            str(setup),
            "--jobs",
            "1",
            "--report",
            "none",
        ],
    )
    assert result.exit_code == 3, result.output
    assert "cannot read LISN voltage-division factor table: a FIFO" in result.stderr
    assert (out / "summary.csv").is_file()
