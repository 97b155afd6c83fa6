"""One spelling of a file in a unit's record: its path relative to the manifest root.

The dossier reads its files by the paths the command was given (``sc/conducted/a.csv`` when
run from the parent of ``sc``, ``conducted/a.csv`` from inside it), while the record's input
manifest names each file relative to the manifest root (:func:`~.record.manifest_root`). The
record once printed both: the matrix and ``dossier.json`` cells said ``sc/conducted/a.csv``,
the manifest ``conducted/a.csv``, so two runs of the same inputs differed by the working
directory. :func:`respelled` rewrites every path of the run's files in the texts
the record's files show (the unit's cells, captures set aside, notes, error rows, findings,
the checklist) to the manifest's spelling. ``Path`` objects are files still to be read (a
photo to embed) and are kept. The terminal and ``summary.json`` keep the paths as given:
they are for the user who typed them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path, PurePath
from typing import Any, TypeVar

__all__ = ["respelled", "spellings"]

T = TypeVar("T")

#: A character that continues a path on either side of a match: it is not that file's name.
_PATH_CHAR = r"[\w./\\-]"


def spellings(paths: Iterable[str | Path], root: Path) -> dict[str, str]:
    """Return ``{path as given: path relative to root}`` for each path spelled otherwise.

    A path outside ``root`` keeps its spelling (the manifest names it by name).
    """
    out: dict[str, str] = {}
    for p in paths:
        try:
            rel = Path(p).resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            continue
        if str(p) != rel:
            out[str(p)] = rel
    return out


def respelled(value: T, names: Mapping[str, str]) -> T:
    """Return ``value`` with each path of ``names`` spelled as ``names`` maps it.

    Walks dataclasses, named tuples, tuples, lists and dicts; a string equal to a path, or
    naming one inside a text (not as part of a longer path), is rewritten; everything else,
    and every object nothing in changes, is returned as it is.
    """
    if not names:
        return value
    keys = sorted(names, key=len, reverse=True)
    pattern = re.compile(rf"(?<!{_PATH_CHAR})(?:{'|'.join(map(re.escape, keys))})(?![\w/\\-]|\.\w)")
    out: T = _walk(value, names, pattern, set())
    return out


def _walk(value: Any, names: Mapping[str, str], pattern: re.Pattern[str], seen: set[int]) -> Any:
    if isinstance(value, Enum):  # a StrEnum member is a str: a value, never a path
        return value
    if isinstance(value, str):
        new = names.get(value) or pattern.sub(lambda m: names[m.group(0)], value)
        return value if new == value else new
    if isinstance(value, PurePath):  # a file read later (a photo): kept as it is read
        return value
    if value is None or isinstance(value, bool | int | float | bytes) or id(value) in seen:
        return value
    seen = seen | {id(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = _walk(old, names, pattern, seen)
            if new is not old:
                changed[f.name] = new
        return dataclasses.replace(value, **changed) if changed else value
    if isinstance(value, tuple | list):
        items = [_walk(v, names, pattern, seen) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*items)
        return type(value)(items)
    if isinstance(value, dict):
        pairs = {k: _walk(v, names, pattern, seen) for k, v in value.items()}
        return value if all(pairs[k] is v for k, v in value.items()) else type(value)(pairs)
    return value
