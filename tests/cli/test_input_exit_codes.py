"""A missing or unreadable input: exit 3 and one ``rfcheck: error: <file>: ...`` line.

README "Exit codes": 2 is a usage error found before any input is read; 3 an input that could
not be read, one line per file on stderr, in every command. info, receiver, compare and
verify gave click's usage error (exit 2, "Invalid value for 'CAPTURES...': Path ... is not
readable") for an unreadable file or a folder given as a file; batch, dossier and lot for a
missing folder. A folder given as a file stands for an unreadable one (the tests may run as
root, who reads a chmod 000 file); the chmod 000 case runs when not root.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "check"
SAMPLE = ROOT / "sample_captures"


def _args(command: str, bad: str, good: str) -> list[str]:
    lim = ["--limit", "fcc-15.107-b"]
    return {
        "info": ["info", good, bad],
        "check": ["check", bad, *lim],
        "explain": ["explain", bad, "--setup", "explain.toml"],
        "receiver": ["receiver", bad, "--band", "B", "--freq", "1M"],
        "compare": ["compare", good, bad, *lim],
        "compare-b": ["compare", "-a", good, "-b", bad, *lim],
        "verify": ["verify", bad],
        "batch": ["batch", bad, *lim, "--out", "bout"],
        "dossier": ["dossier", bad, "--setup", str(SAMPLE / "dossier-setup.toml"), "--out", "d"],
        "lot": ["lot", bad, "--setup", str(SAMPLE / "lot" / "lot-setup.toml"), "--golden", "u1"],
    }[command]


COMMANDS = ["info", "check", "explain", "receiver", "compare", "compare-b", "verify", "batch"]
COMMANDS += ["dossier", "lot"]
#: The commands that read a file argument; batch, dossier and lot read folders.
FILE_COMMANDS = COMMANDS[:7]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(FIX / "cond_peak_pass.csv", tmp_path / "a.csv")
    (tmp_path / "adir").mkdir()
    (tmp_path / "explain.toml").write_text('[check]\nlimits = ["fcc-15.107-b"]\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(args: list[str]) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, args)
    return res.exit_code, res.stdout, res.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_input_is_exit_3_with_one_error_line(work: Path, command: str) -> None:
    code, _, err = _run(_args(command, "nosuch.csv", "a.csv"))
    assert code == 3, err
    lines = [ln for ln in err.splitlines() if ln.startswith("rfcheck: error: nosuch.csv: ")]
    assert len(lines) == 1, err
    assert "Usage:" not in err and "Invalid value" not in err


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_folder_given_as_a_file_is_exit_3(work: Path, command: str) -> None:
    code, _, err = _run(_args(command, "adir", "a.csv"))
    assert code == 3, err
    assert len([ln for ln in err.splitlines() if ln.startswith("rfcheck: error: adir: ")]) == 1
    assert "Usage:" not in err and "internal error" not in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a chmod 000 file")
@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_an_unreadable_file_is_exit_3(work: Path, command: str) -> None:
    shutil.copy(work / "a.csv", work / "unread.csv")
    (work / "unread.csv").chmod(0)
    code, _, err = _run(_args(command, "unread.csv", "a.csv"))
    assert code == 3, err
    assert "rfcheck: error: unread.csv: " in err and "Usage:" not in err


def test_info_prints_the_readable_file_beside_an_unreadable_one(work: Path) -> None:
    code, out, err = _run(["info", "a.csv", "adir"])
    assert code == 3, err
    assert "a.csv" in out and "trace 1" in out
    assert "rfcheck: error: adir: is a directory" in err


def test_lot_refuses_a_file_given_as_its_folder(work: Path) -> None:
    code, _, err = _run(_args("lot", "a.csv", "a.csv"))
    assert code == 3 and "rfcheck: error: a.csv: not a folder" in err, err


@pytest.mark.parametrize("command", ["info", "receiver", "compare", "check"])
def test_a_file_that_cannot_be_opened_is_one_error_line(
    work: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root too: the open itself is refused (info printed an internal error for it)."""
    import rfcheck.io._files as files
    from rfcheck.textfile import open_nonblocking as real

    def refuse(path: str | Path) -> int:
        if Path(path).name == "unread.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(files, "open_nonblocking", refuse)
    shutil.copy(work / "a.csv", work / "unread.csv")
    code, _, err = _run(_args(command, "unread.csv", "a.csv"))
    assert code == 3, err
    assert "rfcheck: error: unread.csv: cannot read: Permission denied" in err, err
    assert "internal error" not in err


@pytest.mark.parametrize(
    ("inputs", "says"), [("nosuch", "no such file or folder"), ("a.csv", "not a folder")]
)
def test_verify_refuses_an_inputs_folder_that_is_not_there_as_an_input(
    work: Path, inputs: str, says: str
) -> None:
    """``verify --inputs`` naming no folder is an unreadable input (exit 3), not a usage error."""
    code, _, err = _run(["verify", "a.csv", "--inputs", inputs])
    assert code == 3, err
    assert err.splitlines() == [f"rfcheck: error: {inputs}: {says}"], err


def _setup_args(command: str, bad: str, good: str) -> list[str]:
    return {
        "check": ["check", good, bad, "--setup", "explain.toml"],
        "explain": ["explain", good, bad, "--setup", "explain.toml"],
        "compare": ["compare", bad, good, "--setup", "explain.toml"],
        "compare-b": ["compare", "-a", good, "-b", bad, "--limit", "fcc-15.107-b"],
    }[command]


def _loop_message() -> str:
    try:
        os.stat("loop.csv")
    except OSError as err:
        return str(err.strerror)
    raise AssertionError("loop.csv is not a link loop")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
@pytest.mark.parametrize("command", ["check", "explain", "compare", "compare-b"])
def test_a_link_loop_named_with_a_setup_is_one_error_line(work: Path, command: str) -> None:
    """A link loop named beside a setup is refused, one line, and the rest is judged.

    A capture's path is matched against the setup's ``[[rule]]``s: a link loop was an
    internal error there (``Path.resolve`` raises ``RuntimeError`` on it before Python 3.13),
    and no other capture was judged.
    """
    (work / "loop.csv").symlink_to("loop.csv")
    code, out, err = _run(_setup_args(command, "loop.csv", "a.csv"))
    assert code == 3, err
    assert err.splitlines() == [f"rfcheck: error: loop.csv: cannot read: {_loop_message()}"]
    if command == "check":
        assert "== a.csv" in out and "verdict: PASS" in out, out


@pytest.mark.parametrize("command", ["check", "explain", "compare"])
def test_a_path_that_cannot_be_resolved_is_one_error_line(
    work: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path ``Path.resolve`` cannot resolve is matched as written, whatever the Python.

    ``RuntimeError`` is what a link loop raises on Python 3.11 and 3.12; reading the path
    then reports the fault.
    """
    real = Path.resolve

    def loop(self: Path, strict: bool = False) -> Path:
        if self.name == "loop.csv":
            raise RuntimeError(f"Symlink loop from {str(self)!r}")
        return real(self, strict)

    monkeypatch.setattr(Path, "resolve", loop)
    code, out, err = _run(_setup_args(command, "loop.csv", "a.csv"))
    assert code == 3, err
    assert err.splitlines() == ["rfcheck: error: loop.csv: no such file"], err
    if command == "check":
        assert "== a.csv" in out and "verdict: PASS" in out, out


_FOLDER_AS_FILE = {
    "check --setup": (["check", "a.csv", "--setup", "adir"], "setup file"),
    "check --ambient": (["check", "a.csv", "--limit", "fcc-15.107-b", "--ambient", "adir"], ""),
    "check --limit-file": (["check", "a.csv", "--limit-file", "adir"], "limit file"),
    "explain --setup": (["explain", "a.csv", "--setup", "adir"], "setup file"),
    "explain --ambient": (["explain", "a.csv", "--setup", "explain.toml", "--ambient", "adir"], ""),
    "compare --setup": (["compare", "a.csv", "a.csv", "--setup", "adir"], "setup file"),
    "batch --setup": (["batch", "adir", "--setup", "adir", "--out", "bout"], "setup file"),
    "batch --limit-file": (
        ["batch", "adir", "--limit-file", "adir", "--out", "bout"],
        "limit file",
    ),
    "lot --setup": (["lot", "adir", "--setup", "adir", "--golden", "u1"], "setup file"),
    "dossier --setup": (["dossier", "adir", "--setup", "adir", "--out", "d"], "setup file"),
}


@pytest.mark.parametrize("case", list(_FOLDER_AS_FILE))
def test_a_folder_named_where_a_file_is_read_is_exit_3(work: Path, case: str) -> None:
    """A folder named as a setup, ambient or limit file is exit 3, one line.

    README "Exit codes": a folder where a file is read is exit 3 in every command, never a
    usage error (click's ``dir_okay=False`` made ``--setup DIR`` exit 2 but in ``dossier``).
    """
    args, what = _FOLDER_AS_FILE[case]
    code, _, err = _run(args)
    assert code == 3, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("rfcheck: error: "), err
    if what:
        assert lines[0].endswith(
            f"adir: cannot read {what}: a directory (only regular files are read)"
        ), err
    else:
        assert lines[0].endswith("adir: is a directory, not a capture file"), err
