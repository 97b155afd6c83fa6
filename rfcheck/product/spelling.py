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

from ..textfile import resolved

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
            rel = resolved(p).relative_to(root).as_posix()
        except ValueError:
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


#: How :func:`_walk` treats a value of each type (found once per type: :func:`_kind`).
_KEEP, _TEXT, _FIELDS, _ITEMS, _PAIRS = range(5)
_KINDS: dict[type, tuple[int, tuple[str, ...]]] = {}
#: The types found kept (most of a unit's values: numbers, enums, None), looked at before a call.
_KEPT: set[type] = set()


def _kind(tp: type) -> tuple[int, tuple[str, ...]]:
    """Return how :func:`_walk` treats a value of type ``tp``, with a dataclass's init fields.

    An enum member (a ``StrEnum``'s is a ``str``: a value, never a path), a ``PurePath`` (a
    file read later, a photo: kept as it is read), ``None``, a number, bytes, a class and
    any other object are kept; a string is rewritten; a dataclass instance, a tuple or list
    (named tuples too) and a dict are walked.
    """
    kind = _KINDS.get(tp)
    if kind is None:
        names: tuple[str, ...] = ()
        if issubclass(tp, Enum | PurePath | bool | int | float | bytes | type(None) | type):
            code = _KEEP
        elif issubclass(tp, str):
            code = _TEXT
        elif dataclasses.is_dataclass(tp):
            code = _FIELDS
            names = tuple(f.name for f in dataclasses.fields(tp) if f.init)
        elif issubclass(tp, tuple | list):
            code = _ITEMS
        elif issubclass(tp, dict):
            code = _PAIRS
        else:
            code = _KEEP
        kind = _KINDS[tp] = (code, names)
        if code == _KEEP:
            _KEPT.add(tp)
    return kind


def _walk(value: Any, names: Mapping[str, str], pattern: re.Pattern[str], seen: set[int]) -> Any:
    """Return ``value`` respelled; ``seen``: the ids of the containers being walked (a cycle)."""
    code, fields = _kind(type(value))
    if code == _KEEP:
        return value
    if code == _TEXT:
        new = names.get(value) or pattern.sub(lambda m: names[m.group(0)], value)
        return value if new == value else new
    if id(value) in seen:
        return value
    seen.add(id(value))
    try:
        if code == _FIELDS:
            changed = {}
            for name in fields:
                old = getattr(value, name)
                if type(old) in _KEPT:
                    continue
                new = _walk(old, names, pattern, seen)
                if new is not old:
                    changed[name] = new
            return dataclasses.replace(value, **changed) if changed else value
        if code == _ITEMS:
            items = [v if type(v) in _KEPT else _walk(v, names, pattern, seen) for v in value]
            if all(a is b for a, b in zip(items, value, strict=True)):
                return value
            if isinstance(value, tuple) and hasattr(value, "_fields"):
                return type(value)(*items)
            return type(value)(items)
        pairs = {
            k: v if type(v) in _KEPT else _walk(v, names, pattern, seen) for k, v in value.items()
        }
        return value if all(pairs[k] is v for k, v in value.items()) else type(value)(pairs)
    finally:
        seen.discard(id(value))
