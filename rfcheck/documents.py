"""Parsing a user's JSON or TOML document with its nesting bounded.

Python's parsers recurse once per level of nesting: ``'[' * 100000`` as SigMF metadata, or
5000 nested arrays in a setup file, raised ``RecursionError`` (an internal error that names
no file) wherever the file was read, and a document a few hundred levels deep could pass
the parser and then exhaust the stack in a later step (a schema check, ``repr``).

:func:`load_json` and :func:`load_toml` parse untrusted text and refuse any document
nested deeper than :data:`MAX_NESTING` levels with the parser's own error type
(``json.JSONDecodeError``, ``tomllib.TOMLDecodeError``), so every caller reports it as it
reports a syntax error: one line naming the file. No format rfcheck reads (SigMF
metadata, setup and limit files, the record's input manifest) needs more than a handful
of levels.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

__all__ = ["MAX_NESTING", "DuplicateKeyError", "load_json", "load_toml"]

#: Deepest nesting of arrays and objects (tables) a document may have (the top level is 1).
MAX_NESTING = 100

_TOO_DEEP = f"nested more than {MAX_NESTING} levels deep"


def _too_deep(value: Any) -> bool:
    """Whether ``value`` holds lists and dicts nested more than :data:`MAX_NESTING` deep.

    Walked with an explicit stack (never by recursion).
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


class DuplicateKeyError(ValueError):
    """A JSON object states the same key twice (:func:`load_json` with ``unique_keys``).

    RFC 8259 §4: names SHOULD be unique; parsers differ in which value they keep (Python's
    the last), so a reader cannot tell which one the writer meant. ``key``: the name.
    """

    def __init__(self, key: str, beside: tuple[str, ...] = ()) -> None:
        where = f" (the object with {', '.join(repr(k) for k in beside)})" if beside else ""
        super().__init__(f"key {key!r} appears twice in one object{where}")
        self.key = key
        self.where = where  #: `` (the object with 'a', 'b')``: a few of its other keys


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:  # name a few of its other keys: which object it is
            others = tuple(dict.fromkeys(k for k, _ in pairs if k != key))
            raise DuplicateKeyError(key, others[:3])
        out[key] = value
    return out


def load_json(text: str | bytes, *, unique_keys: bool = False) -> Any:
    """Parse JSON text as :func:`json.loads` does, refusing a document nested too deep.

    ``unique_keys``: also refuse an object that states a key twice (an instrument file whose
    value would otherwise silently be the last one).

    Raises
    ------
    json.JSONDecodeError
        Invalid JSON, or nesting deeper than :data:`MAX_NESTING` levels (at line 1).
    DuplicateKeyError
        ``unique_keys`` and some object states a key twice.
    UnicodeDecodeError
        ``text`` is bytes that are not UTF-8, UTF-16 or UTF-32.
    """
    s = text.decode(json.detect_encoding(text)) if isinstance(text, bytes) else text
    hook = _unique_object if unique_keys else None
    try:
        value = json.loads(s, object_pairs_hook=hook)
    except RecursionError:
        value = None
        deep = True
    else:
        deep = isinstance(value, dict | list) and _too_deep(value)
    if deep:
        raise json.JSONDecodeError(_TOO_DEEP, s, 0)
    return value


def load_toml(text: str) -> dict[str, Any]:
    """Parse TOML text as :func:`tomllib.loads` does, refusing a document nested too deep.

    Raises
    ------
    tomllib.TOMLDecodeError
        Invalid TOML, or nesting deeper than :data:`MAX_NESTING` levels.
    """
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError(_TOO_DEEP) from None
    if _too_deep(doc):
        raise tomllib.TOMLDecodeError(_TOO_DEEP)
    return doc
