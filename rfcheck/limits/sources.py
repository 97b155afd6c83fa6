"""Where limit tables come from: the shipped tables by id, and user limit files by path.

The shipped tables are data files (top-level ``limits/``, installed as the package
``rfcheck.limit_tables``); a user file is read at every call and parsed once per content
(:class:`~rfcheck.textfile.ParsedCache`), and may not take a shipped table's id for other
content. Both are parsed and validated by :func:`rfcheck.limits.loader.parse_limit_text`.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import LimitFileError
from ..textfile import ParsedCache, path_to_open, read_regular_file
from .loader import parse_limit_text
from .model import LimitTable

__all__ = ["load_limit_file", "load_shipped", "resolve_limit", "shipped_ids", "shipped_root"]


#: User limit files parsed so far, by path as given, path opened and SHA-256 of the bytes: a
#: batch worker reads the file for each input it judges but parses and validates each version
#: once (the same rule as transducer tables, :class:`~rfcheck.textfile.ParsedCache`).
_USER_TABLES: ParsedCache[LimitTable] = ParsedCache(64)


def load_limit_file(path: str | Path, *, base_dir: str | Path | None = None) -> LimitTable:
    """Load a user limit file (same format as the shipped tables).

    A relative ``path`` is opened relative to ``base_dir`` (None = the current directory;
    :func:`~rfcheck.textfile.path_to_open`); the table and every error name it as given.
    The file is read at every call; a content seen before at the same path is not parsed
    again.

    Raises
    ------
    LimitFileError
        Unreadable or malformed file (the message names the file and the key).
    """
    p = Path(path)
    raw = read_regular_file(p, "limit file", LimitFileError, base_dir=base_dir)

    def parse(sha256: str) -> LimitTable:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise LimitFileError("limit file is not UTF-8 text", p) from None
        return _refuse_shipped_id(parse_limit_text(text, str(p), sha256))

    # the table is named as given: the same file given another way is another entry
    return _USER_TABLES.get(raw, (str(p), os.path.abspath(path_to_open(p, base_dir))), parse)


#: What a user file holding a shipped table may differ in: where it was read from.
_PROVENANCE_FIELDS = frozenset({"path", "sha256", "shipped"})


def _refuse_shipped_id(table: LimitTable) -> LimitTable:
    """Return ``table``, a user file's, unless it takes a shipped id for other content.

    Every output names a table by its id, and prints a shipped id's title, clause and status as
    the regulation's: a user file declaring ``fcc-15.107-b`` with other values would be judged
    and reported as 47 CFR 15.107(a). A file holding the shipped table itself (a copy) is the
    same table and is accepted.

    Raises
    ------
    LimitFileError
        The id is a shipped table's and some value, title, clause or rule differs from it.
    """
    if table.id not in shipped_ids():
        return table
    shipped = load_shipped(table.id)
    same = all(
        getattr(table, f.name) == getattr(shipped, f.name)
        for f in dataclass_fields(LimitTable)
        if f.name not in _PROVENANCE_FIELDS
    )
    if same:
        return table
    raise LimitFileError(
        f"id {table.id!r} is a shipped table's, but this file holds another table: give it an "
        f"id of its own (or use --limit {table.id} for the shipped one)",
        table.path,
    )


_PACKAGE = "rfcheck.limit_tables"


@functools.lru_cache(maxsize=1)
def shipped_root() -> Traversable:
    """Return the folder of the shipped tables.

    The ``rfcheck.limit_tables`` package of an installed rfcheck (the top-level ``limits/`` folder,
    mapped in by pyproject.toml), or ``limits/`` beside the package when rfcheck runs from a source
    checkout (``python -m rfcheck`` in the repository, worker processes started there).
    """
    try:
        return files(_PACKAGE)
    except ModuleNotFoundError:
        return files("rfcheck").joinpath("..", "limits")


def shipped_ids() -> list[str]:
    """Ids of the limit tables shipped in the wheel, sorted."""
    root = shipped_root()
    return sorted(e.name[:-5] for e in root.iterdir() if e.name.endswith(".toml"))


@functools.lru_cache(maxsize=64)
def load_shipped(limit_id: str) -> LimitTable:
    """Load a shipped table by id.

    Raises
    ------
    LimitFileError
        Unknown id (the message lists the known ids).
    """
    ids = shipped_ids()
    if limit_id not in ids:
        raise LimitFileError(f"unknown limit id {limit_id!r} (known: {', '.join(ids)})")
    res = shipped_root() / f"{limit_id}.toml"
    raw = res.read_bytes()
    table = parse_limit_text(
        raw.decode("utf-8"), f"{_PACKAGE}/{limit_id}.toml", hashlib.sha256(raw).hexdigest()
    )
    if table.id != limit_id:  # pragma: no cover - packaging error
        raise LimitFileError(f"shipped file {limit_id}.toml declares id {table.id!r}")
    return replace(table, shipped=True)


def resolve_limit(spec: str) -> LimitTable:
    """Return a shipped id, or else a path to a limit file."""
    if spec in shipped_ids():
        return load_shipped(spec)
    if Path(spec).is_file():
        return load_limit_file(spec)
    return load_shipped(spec)  # raises with the list of known ids
