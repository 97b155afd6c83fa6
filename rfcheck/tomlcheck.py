"""Typed access to values read from a TOML file, with ``file: [table] key: problem`` errors.

TOML has types, but a user file can put any of them anywhere: ``distance_m = true`` is a
boolean (Python's ``True == 1`` would read it as 1 m), ``limits = 3`` an integer where a list
belongs, ``1e400`` an infinity. Every loader of a user TOML file (setup, limit, record
sections) reads its values through these accessors, which check the type, finiteness and
range, and raise the caller's error class naming the file, the table and the key.

Each accessor takes the table (a mapping), the key, a ``where`` prefix (``"[check]"``,
``"[[rule]] #2"``) and the file path; ``error`` is the :class:`~rfcheck.errors.RfcheckError`
subclass to raise (default :class:`~rfcheck.errors.SetupFileError`). A missing key returns
``default``. :func:`refuse_unknown_keys` refuses a key the table does not know, naming the
closest known key when one is near (a typo such as ``group_patern``).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

from .errors import RfcheckError, SetupFileError

__all__ = [
    "get_str",
    "get_float",
    "get_int",
    "get_list_of_str",
    "describe",
    "did_you_mean",
    "refuse_unknown_keys",
]

T = TypeVar("T")


def describe(value: Any) -> str:
    """Return ``true (a boolean)``: a value and its TOML type, for error messages."""
    kind = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
    text = repr(value)
    if isinstance(value, bool):
        text = "true" if value else "false"
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({kind})"


def did_you_mean(unknown: list[str], known: Collection[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the unknown keys close to a known one ("" if none).

    Letter case is ignored in the comparison (``LISN`` is close to ``lisn``).
    """
    by_folded = {k.casefold(): k for k in sorted(known, reverse=True)}
    pairs = [
        (key, by_folded[close[0]])
        for key in unknown
        if (close := difflib.get_close_matches(key.casefold(), sorted(by_folded), n=1, cutoff=0.6))
    ]
    if not pairs:
        return ""
    if len(unknown) == 1:
        return f" (did you mean {pairs[0][1]!r}?)"
    return " (did you mean " + ", ".join(f"{k!r} for {u!r}" for u, k in pairs) + "?)"


def refuse_unknown_keys(
    table: Mapping[str, Any],
    known: Collection[str],
    where: str,
    path: str | Path | None,
    *,
    error: type[RfcheckError] = SetupFileError,
) -> None:
    """Refuse a key of ``table`` that is not in ``known``.

    A misspelt key would otherwise be ignored and its setting silently not applied (a
    ``[batch] group_patern`` pooled two units' captures as one). The error names the file,
    the table, the unknown keys, the closest known key of each where one is near, and every
    known key: ``setup.toml: [batch]: unknown key(s) ['group_patern'] (did you mean
    'group_pattern'?) (known: ['exclude', 'group_pattern', 'include'])``.

    Raises
    ------
    RfcheckError
        ``error`` (default :class:`~rfcheck.errors.SetupFileError`) when a key is unknown.
    """
    unknown = sorted(str(k) for k in set(table) - set(known))
    if unknown:
        raise error(
            f"{where}: unknown key(s) {unknown}{did_you_mean(unknown, known)} "
            f"(known: {sorted(known)})",
            path,
        )


def _fail(
    error: type[RfcheckError], where: str, key: str, message: str, path: str | Path | None
) -> RfcheckError:
    return error(f"{where} {key}: {message}".strip(), path)


def get_str(
    table: Mapping[str, Any],
    key: str,
    where: str,
    path: str | Path | None,
    *,
    default: T | None = None,
    non_empty: bool = False,
    error: type[RfcheckError] = SetupFileError,
) -> str | T | None:
    """Return a string value (``non_empty``: not blank)."""
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, str):
        raise _fail(error, where, key, f"expected a string, got {describe(value)}", path)
    if non_empty and not value.strip():
        raise _fail(error, where, key, "must not be empty", path)
    return value


def get_float(
    table: Mapping[str, Any],
    key: str,
    where: str,
    path: str | Path | None,
    *,
    default: T | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    min_open: bool = False,
    unit: str = "",
    error: type[RfcheckError] = SetupFileError,
) -> float | T | None:
    """Return a finite number, optionally within ``minimum .. maximum``.

    A finite number (an integer is accepted, a boolean or a string is not), optionally within
    ``minimum .. maximum`` (``min_open``: strictly above ``minimum``).
    """
    if key not in table:
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(error, where, key, f"expected a number, got {describe(value)}", path)
    number = float(value)
    u = f" {unit}" if unit else ""
    if not math.isfinite(number):
        raise _fail(error, where, key, f"must be a finite number, got {value!r}", path)
    low_bad = minimum is not None and (number <= minimum if min_open else number < minimum)
    high_bad = maximum is not None and number > maximum
    if low_bad or high_bad:
        lo = "" if minimum is None else f"{'>' if min_open else '>='} {minimum:g}{u}"
        hi = "" if maximum is None else f"<= {maximum:g}{u}"
        raise _fail(
            error,
            where,
            key,
            f"must be {' and '.join(filter(None, (lo, hi)))}, got {value!r}",
            path,
        )
    return number


def get_int(
    table: Mapping[str, Any],
    key: str,
    where: str,
    path: str | Path | None,
    *,
    default: T | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    error: type[RfcheckError] = SetupFileError,
) -> int | T | None:
    """Return an integer (not a boolean, not a float such as ``2.5`` or ``2.0``)."""
    if key not in table:
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(error, where, key, f"expected an integer, got {describe(value)}", path)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = " and ".join(
            filter(
                None,
                (
                    None if minimum is None else f">= {minimum}",
                    None if maximum is None else f"<= {maximum}",
                ),
            )
        )
        raise _fail(error, where, key, f"must be {bounds}, got {value}", path)
    return value


def get_list_of_str(
    table: Mapping[str, Any],
    key: str,
    where: str,
    path: str | Path | None,
    *,
    default: T | None = None,
    allow_single: bool = False,
    error: type[RfcheckError] = SetupFileError,
) -> tuple[str, ...] | T | None:
    """Return a list of strings (``allow_single``: a lone string counts as a list of one)."""
    if key not in table:
        return default
    value = table[key]
    if allow_single and isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        expect = "a string or a list of strings" if allow_single else "a list of strings"
        raise _fail(error, where, key, f"expected {expect}, got {describe(value)}", path)
    for i, item in enumerate(value, 1):
        if not isinstance(item, str):
            raise _fail(
                error, where, key, f"item {i}: expected a string, got {describe(item)}", path
            )
    return tuple(value)
