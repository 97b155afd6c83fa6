"""Test rfcheck.textfile: where a path as given is opened, and how an opened file is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from rfcheck.errors import LimitFileError
from rfcheck.textfile import path_as_given, path_to_open, read_regular_file

BASE = Path("/client/cwd")


@pytest.mark.parametrize(
    ("given", "base", "opened"),
    [
        ("in/a.csv", BASE, "/client/cwd/in/a.csv"),
        ("../x/a.csv", BASE, "/client/cwd/../x/a.csv"),  # not resolved: the OS follows it
        ("/data/a.csv", BASE, "/data/a.csv"),  # absolute: as given
        ("in/a.csv", None, "in/a.csv"),  # no base: the current directory
        ("in/a.csv", "", "in/a.csv"),
    ],
)
def test_path_to_open(given: str, base: Path | str | None, opened: str) -> None:
    assert path_to_open(given, base) == Path(opened)
    assert path_as_given(path_to_open(given, base), given, base) == Path(given)


def test_files_beside_a_relative_input_are_shown_relative() -> None:
    opened = path_to_open("in/rec.sigmf-meta", BASE).with_suffix(".sigmf-data")
    assert path_as_given(opened, "in/rec.sigmf-meta", BASE) == Path("in/rec.sigmf-data")


def test_absolute_input_under_the_base_stays_absolute() -> None:
    assert path_as_given("/client/cwd/in/a.csv", "/client/cwd/in/a.csv", BASE) == Path(
        "/client/cwd/in/a.csv"
    )


def test_read_regular_file_opens_under_the_base_and_names_the_path_as_given(
    tmp_path: Path,
) -> None:
    (tmp_path / "t.toml").write_bytes(b"x = 1\n")
    assert read_regular_file("t.toml", "limit file", LimitFileError, base_dir=tmp_path) == (
        b"x = 1\n"
    )
    with pytest.raises(LimitFileError) as err:
        read_regular_file("gone.toml", "limit file", LimitFileError, base_dir=tmp_path)
    assert str(err.value) == "gone.toml: cannot read limit file: No such file or directory"
