"""Test rfcheck.textfile: opening a path as given, showing it, caching what was parsed.

A file is opened where its path as given points, shown as given, and what was parsed from
it is kept by content (:class:`~rfcheck.textfile.ParsedCache`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rfcheck.errors import LimitFileError
from rfcheck.textfile import ParsedCache, path_as_given, path_to_open, read_regular_file

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


def test_parsed_once_per_content_and_names() -> None:
    calls: list[str] = []

    def parse(sha256: str) -> str:
        calls.append(sha256)
        return f"table {len(calls)}"

    cache: ParsedCache[str] = ParsedCache(4)
    assert cache.get(b"a", ("p",), parse) == "table 1"
    assert cache.get(b"a", ("p",), parse) == "table 1"  # same bytes, same names
    assert cache.get(b"b", ("p",), parse) == "table 2"  # edited
    assert cache.get(b"a", ("q",), parse) == "table 3"  # another name
    assert calls[0] == hashlib.sha256(b"a").hexdigest()


def test_full_cache_starts_again() -> None:
    cache: ParsedCache[int] = ParsedCache(2)
    n = [0]

    def parse(_sha256: str) -> int:
        n[0] += 1
        return n[0]

    for raw in (b"1", b"2", b"3"):  # the third empties the cache
        cache.get(raw, (), parse)
    assert cache.get(b"3", (), parse) == 3
    assert cache.get(b"1", (), parse) == 4
