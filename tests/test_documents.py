"""User JSON and TOML documents are parsed with their nesting bounded.

``'[' * 100000`` as SigMF metadata raised ``RecursionError`` inside ``json.loads`` (and
5000 nested arrays inside ``tomllib.loads``): an internal error that named no file and
stopped a whole batch. Too deep a document is now the parser's own syntax error.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from rfcheck.documents import MAX_NESTING, load_json, load_toml
from rfcheck.errors import LimitFileError, RecordFileError, SetupFileError
from rfcheck.limits import load_limit_file
from rfcheck.record.manifest import parse_manifest
from rfcheck.record.parse import load_record
from rfcheck.settings import load_setup

DEEP_TOML = "x = " + "[" * 5000 + "1" + "]" * 5000 + "\n"


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 5000, 100_000])
def test_json_nested_too_deep_is_a_decode_error(depth: int) -> None:
    with pytest.raises(json.JSONDecodeError, match="^nested more than 100 levels deep: line 1"):
        load_json("[" * depth + "]" * depth)


def test_json_objects_count_as_levels() -> None:
    text = '{"a": ' * (MAX_NESTING + 1) + "1" + "}" * (MAX_NESTING + 1)
    with pytest.raises(json.JSONDecodeError, match="nested more than 100 levels deep"):
        load_json(text.encode())


def test_json_at_the_nesting_limit_is_read() -> None:
    value = load_json("[" * MAX_NESTING + "]" * MAX_NESTING)
    for _ in range(MAX_NESTING - 1):
        value = value[0]
    assert value == []
    assert load_json(b'{"global": {"core:version": "1.2.0"}}') == {
        "global": {"core:version": "1.2.0"}
    }


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 5000 + "1" + "]" * 5000,
        "a = " + "{b = " * 3000 + "1" + "}" * 3000,
        "a = " + "[" * MAX_NESTING + "1" + "]" * MAX_NESTING,  # 101 levels with the top table
    ],
)
def test_toml_nested_too_deep_is_a_decode_error(text: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError, match="^nested more than 100 levels deep$"):
        load_toml(text)


def test_toml_within_the_limit_is_read() -> None:
    text = "a = " + "[" * (MAX_NESTING - 1) + "1" + "]" * (MAX_NESTING - 1)
    assert load_toml(text)["a"][0][0][0]
    with pytest.raises(tomllib.TOMLDecodeError):
        load_toml("a = [")


def test_a_limit_file_nested_too_deep_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text('id = "deep"\n' + DEEP_TOML, encoding="ascii")
    with pytest.raises(LimitFileError) as info:
        load_limit_file(path)
    assert str(info.value) == (
        f"{path}: not a valid TOML limit file: nested more than 100 levels deep"
    )


@pytest.mark.parametrize("loader", [load_setup, load_record])
def test_a_setup_file_nested_too_deep_is_one_line(tmp_path: Path, loader: object) -> None:
    path = tmp_path / "setup.toml"
    path.write_text(DEEP_TOML, encoding="ascii")
    with pytest.raises(SetupFileError) as info:
        loader(path)  # type: ignore[operator]
    assert str(info.value) == (
        f"{path}: not a valid TOML setup file: nested more than 100 levels deep"
    )


def test_a_manifest_nested_too_deep_is_one_line() -> None:
    with pytest.raises(RecordFileError) as info:
        parse_manifest(b"[" * 100_000 + b"]" * 100_000)
    assert str(info.value) == (
        "manifest.json: manifest is not valid JSON: nested more than 100 levels deep: "
        "line 1 column 1 (char 0)"
    )
