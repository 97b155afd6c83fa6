"""Typed reads of setup-TOML values for the record tables, each error naming file and key.

A value that is absent stays ``None`` (the record prints it as missing); a value of the wrong
type is a :class:`~rfcheck.errors.SetupFileError` ``<file>: <table> <key>: <problem>``.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import SetupFileError
from ..frequency import range_hz_of
from ..textfile import user_path
from ..tomlcheck import refuse_unknown_keys


class TableReader:
    """Reader of the keys of one setup table.

    ``where`` names the table in errors (``[lab]``, ``[[cable]] #2``).

    Parameters
    ----------
    table : Mapping
        The table as parsed by :mod:`tomllib`.
    where : str
        How errors name the table.
    path : Path or None
        The setup file (errors name it).
    known : collection of str
        The keys this table accepts; any other key is an error.
    """

    def __init__(
        self, table: Any, where: str, path: Path | None, known: frozenset[str] | set[str]
    ) -> None:
        if not isinstance(table, Mapping):
            raise SetupFileError(f"{where} must be a table", path)
        refuse_unknown_keys(table, known, where, path)
        self.table = table
        self.where = where
        self.path = path

    def fail(self, key: str, problem: str) -> SetupFileError:
        """Return the error for ``key``: ``<table> <key>: <problem>``."""
        return SetupFileError(f"{self.where} {key}: {problem}", self.path)

    def text(self, key: str) -> str | None:
        """Return a non-empty string, or ``None`` when absent (blank counts as absent)."""
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {value!r}")
        value = value.strip()
        return value or None

    def texts(self, key: str) -> tuple[str, ...] | None:
        """Return a list of strings (a single string is a list of one); ``None`` when absent."""
        value = self.table.get(key)
        if value is None:
            return None
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise self.fail(key, f"expected a string or a list of strings, got {value!r}")
        return tuple(x.strip() for x in items if x.strip())

    def date(self, key: str) -> _dt.date | None:
        """Return a TOML date (``2025-11-12``) or an ISO date string; ``None`` when absent."""
        value = self.table.get(key)
        if value is None:
            return None
        return parse_date(value, lambda problem: self.fail(key, problem))

    def dates(self, key: str) -> tuple[_dt.date, ...] | None:
        """Return a list of dates (a single date is a list of one); ``None`` when absent."""
        value = self.table.get(key)
        if value is None:
            return None
        items = value if isinstance(value, list) else [value]
        return tuple(
            parse_date(v, lambda problem, i=i: self.fail(f"{key}[{i}]", problem))
            for i, v in enumerate(items)
        )

    def number(self, key: str, *, positive: bool = False) -> float | None:
        """Return a finite number; ``None`` when absent."""
        value = self.table.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(key, f"expected a finite number, got {value!r}")
        if positive and value <= 0:
            raise self.fail(key, f"must be > 0, got {value!r}")
        return float(value)

    def range_hz(self, key: str) -> tuple[float, float] | None:
        """Return a frequency range ``[lo, hi]`` [Hz], ``0 <= lo < hi``; ``None`` when absent."""
        value = self.table.get(key)
        if value is None:
            return None
        parsed = range_hz_of(value)
        if parsed is None:
            raise self.fail(key, f"expected [lo, hi] in Hz with 0 <= lo < hi, got {value!r}")
        return parsed

    def integer(self, key: str, *, minimum: int = 0) -> int | None:
        """Return an integer ``>= minimum``; ``None`` when absent."""
        value = self.table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected an integer, got {value!r}")
        if value < minimum:
            raise self.fail(key, f"must be >= {minimum}, got {value!r}")
        return value

    def file(self, key: str, base: Path | None) -> Path | None:
        """Return a file path string, resolved relative to ``base`` (the setup's folder)."""
        text = self.text(key)
        if text is None:
            return None
        p = user_path(text)
        return p if p.is_absolute() or base is None else base / p


def parse_date(value: Any, fail: Any) -> _dt.date:
    """Return a :class:`datetime.date` from a TOML date/datetime or an ISO 8601 string.

    ``fail(problem)`` builds the exception raised for anything else.
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise fail(f"expected a date (YYYY-MM-DD), got {value!r}")
