"""A record names every file as its input manifest does, whatever the working directory.

The same inputs run from the folder's parent (``dossier in ...``) and from inside it
(``dossier . ...``) gave the same report id but different PDFs: the matrix and
``dossier.json`` cells said ``in/radiated/x.csv`` in one, ``radiated/x.csv`` in the other,
while the manifest said ``radiated/x.csv`` in both.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.product.spelling import respelled, spellings


def _dossier(folder: str, setup: str, out: str) -> None:
    res = CliRunner().invoke(
        main, ["dossier", folder, "--setup", setup, "--out", out], catch_exceptions=False
    )
    assert res.exit_code in (0, 1, 5), res.output


def test_the_record_is_the_same_from_any_working_directory(
    rig: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "in"
    rig.write_rig(root)
    rig.write_setup(root / "setup.toml")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765000000")
    monkeypatch.chdir(tmp_path)
    _dossier("in", "in/setup.toml", "out1")
    monkeypatch.chdir(root)
    _dossier(".", "setup.toml", "../out2")

    unit = next(p.name for p in (tmp_path / "out1").iterdir() if p.is_dir())
    one, two = tmp_path / "out1" / unit, tmp_path / "out2" / unit
    doc = json.loads((one / "dossier.json").read_text("utf-8"))
    captures = [p for c in doc["units"][0]["cells"] for p in c["captures"]]
    listed = {i["path"] for i in doc["units"][0]["inputs"]}
    assert captures and set(captures) <= listed  # the manifest's spelling: radiated/x.csv
    assert not any(p.startswith("in/") for p in captures)
    for name in ("dossier.json", "dossier.pdf", "dossier.html"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_a_path_is_rewritten_only_where_it_is_the_whole_name(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("x")
    monkey = {str(tmp_path / "in" / "a.csv"): "a.csv"}
    assert spellings([tmp_path / "in" / "a.csv"], tmp_path / "in") == monkey
    path = str(tmp_path / "in" / "a.csv")
    texts = (path, f"L1: {path}: blank trace", f"{path}.bak", f"x{path}", f"see {path}.")
    assert respelled(texts, monkey) == (
        "a.csv",
        "L1: a.csv: blank trace",
        f"{path}.bak",
        f"x{path}",
        "see a.csv.",
    )


def test_every_kind_of_value_is_walked_or_kept_as_it_is() -> None:
    """Dataclasses, named tuples, lists and dicts are rebuilt only where a path changed.

    An enum member (a ``StrEnum``'s is a string), a ``PurePath``, numbers, ``None``, arrays
    and classes are kept as they are; a container holding itself is not walked twice.
    """
    import dataclasses
    import enum
    from pathlib import PurePosixPath
    from typing import Any, NamedTuple

    import numpy as np

    class Word(enum.StrEnum):
        A = "in/a.csv"

    class Pair(NamedTuple):
        path: str
        n: int

    @dataclasses.dataclass(frozen=True)
    class Row:
        path: str
        word: Word
        kept: Any
        late: str = dataclasses.field(default="in/a.csv", init=False)

    names = {"in/a.csv": "a.csv"}
    arr = np.arange(3.0)
    kept = (None, 1, 2.5, True, b"in/a.csv", PurePosixPath("in/a.csv"), arr, Row)
    row = Row("in/a.csv", Word.A, kept)
    loop: list[Any] = ["in/a.csv"]
    loop.append(loop)
    value: dict[str, Any] = {"row": row, "pair": Pair("in/a.csv", 3), "list": ["x", "in/a.csv"]}
    value["loop"] = loop
    out = respelled(value, names)
    assert out["row"] == Row("a.csv", Word.A, kept) and out["row"].kept is kept
    assert out["row"].word is Word.A and out["row"].late == "in/a.csv"
    assert out["pair"] == Pair("a.csv", 3) and isinstance(out["pair"], Pair)
    assert out["list"] == ["x", "a.csv"]
    assert out["loop"][0] == "a.csv" and out["loop"][1] is loop
    same = {"t": ("x", 1.0, Word.A), "row": Row("b.csv", Word.A, kept)}
    assert respelled(same, names) is same
