"""CLI skeleton: help on every command, --version, python -m rfcheck, installed package."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

import rfcheck
from rfcheck.cli import main


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [prefix]
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            out.extend(_all_commands(cmd, prefix + (name,)))
        else:
            out.append(prefix + (name,))
    return out


@pytest.mark.parametrize("cmd", _all_commands(main))
def test_every_command_has_help(cmd: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*cmd, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    short = CliRunner().invoke(main, [*cmd, "-h"])
    assert short.exit_code == 0


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert rfcheck.__version__ in result.output


def test_python_m() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "rfcheck", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert rfcheck.__version__ in proc.stdout


def test_usage_error_exit_code() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2


def test_a_group_without_its_command_shows_its_help_as_lines() -> None:
    result = CliRunner().invoke(main, ["limits"])
    assert result.exit_code == 2
    assert result.output.startswith("Usage: main limits [OPTIONS] COMMAND [ARGS]...\n\n")
    assert "\\n" not in result.output  # no escaped newlines
    assert "\n  list " in result.output


def test_an_error_naming_a_file_still_escapes_its_newline(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "a\nb"
    folder.mkdir()  # a folder given as the setup file: an input error (exit 3) naming it
    result = CliRunner().invoke(main, ["check", "x.csv", "--setup", str(folder)])
    assert result.exit_code == 3
    assert "a\\nb: cannot read setup file: a directory" in result.output
    assert "a\nb" not in result.output
    # a missing input is exit 3 (its ERROR row) with rfcheck's own line, escaped the same way
    missing = tmp_path / "c\nd"
    result = CliRunner().invoke(
        main, ["batch", str(missing), "--limit", "fcc-15.107-b", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 3
    assert "c\\nd: no such file" in result.output and "c\nd" not in result.output


@pytest.mark.skipif(os.environ.get("RFCHECK_EXPECT_INSTALLED") != "1", reason="CI-only check")
def test_tests_run_against_installed_package() -> None:
    assert "site-packages" in rfcheck.__file__, rfcheck.__file__


def test_info_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["info", str(tmp_path / "nope.csv")])
    assert result.exit_code == 3
    assert "no such file" in result.output


def test_info_utf16_without_bom(tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "u16.csv"
    f.write_bytes("frequency_hz,level_dbuv\n150000,20\n".encode("utf-16-le"))
    result = CliRunner().invoke(main, ["info", str(f)])
    assert result.exit_code == 3
    assert (
        result.output.strip()
        == f"rfcheck: error: {f}: file is UTF-16 text (no BOM); re-save it as UTF-8 or ASCII"
    )


def test_info_json_has_no_nan(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    import numpy as np

    data = tmp_path / "rec.sigmf-data"
    np.zeros(64, dtype=np.complex64).tofile(data)
    meta = tmp_path / "rec.sigmf-meta"
    meta.write_text(
        json.dumps(
            {
                "global": {
                    "core:datatype": "cf32_le",
                    "core:sample_rate": 1e5,
                    "core:version": "1.0.0",
                },
                "captures": [{"core:sample_start": 0}],
                "annotations": [],
            }
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["info", str(meta), "-o", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # strict parse: a bare NaN would be accepted by json.loads,
    assert "NaN" not in result.stdout  # so also check the text itself
    assert doc[0]["time_series"][0]["center_freq_hz"] is None
    import hashlib

    (comp,) = doc[0]["companions"]  # the data file is hashed too
    assert comp["path"].endswith("rec.sigmf-data")
    assert comp["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()


def test_public_api_resolves() -> None:
    for name in rfcheck.__all__:
        assert getattr(rfcheck, name) is not None, name
    with pytest.raises(AttributeError):
        rfcheck.no_such_name  # noqa: B018 - the attribute access is the behaviour under test


def test_info_json_lists_every_file_given_with_its_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A refused file was missing from ``info -o json`` (only on stderr): now it has its entry."""
    import json

    good = tmp_path / "good.csv"
    good.write_text("# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV)\n0.15,30\n30,30\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV)\n30,30\n0.15,30\n")
    res = CliRunner().invoke(main, ["info", "-o", "json", str(bad), str(good)])
    assert res.exit_code == 3
    doc = json.loads(res.stdout)
    assert [d["path"] for d in doc] == [str(bad), str(good)]
    assert doc[0]["error"].startswith("frequency axis is not strictly increasing")
    assert doc[0]["format"] == "generic-csv"  # refused after detection
    assert "error" not in doc[1] and doc[1]["format"] == "generic-csv"
    assert res.stderr.startswith(f"rfcheck: error: {bad}")


def test_info_text_shows_the_sweep_time_read() -> None:
    """Only ``-o json`` showed it: a sweep time read in the wrong unit went unseen."""
    from pathlib import Path

    rigol = Path(__file__).resolve().parents[1] / "fixtures" / "rigol" / "dsa815_maxhold.csv"
    res = CliRunner().invoke(main, ["info", str(rigol)])
    assert res.exit_code == 0
    assert " sweep=0.12 s" in res.stdout


def test_ctrl_c_in_any_command_exits_130_never_the_fail_code(
    monkeypatch: pytest.MonkeyPatch, fixtures_dir: os.PathLike[str]
) -> None:
    """Not click's ``Aborted!`` and exit 1, which a script reads as FAIL."""

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(rfcheck.analysis, "run_check", interrupted)
    capture = os.path.join(fixtures_dir, "check", "cond_3det_fail.csv")
    result = CliRunner().invoke(main, ["check", capture, "--limit", "fcc-15.107-b"])
    assert result.exit_code == 130, result.output
    assert result.stderr == "rfcheck: interrupted (Ctrl-C): no verdict\n"
    assert "Aborted!" not in result.output
