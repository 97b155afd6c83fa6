"""The SigMF metadata schema (v1.2), checked by hand without a JSON-schema engine.

``jsonschema`` and the ``sigmf`` package take 0.1-0.3 s to import and run on every SigMF
read, longer than a short receiver run computes. :func:`check_metadata` applies the same
constraints as ``sigmf.validate.validate`` with the schema the ``sigmf`` package ships
(``sigmf-schema.json`` v1.2.x), field by field:

- the top level holds only ``global``, ``captures`` and ``annotations`` (all required);
- ``global`` requires ``core:datatype`` and ``core:version``; every ``core:`` key the schema
  names has its type, range and pattern checked (``core:sample_rate`` in (0, 1e12],
  ``core:num_channels`` >= 1, ``core:extensions`` a list of ``{name, version, optional}``
  objects, ...);
- every capture and annotation is an object with an integer ``core:sample_start`` >= 0,
  its other ``core:`` keys typed and ranged, and the ``core:sample_start`` of captures and
  of annotations never decreasing;
- extension namespaces used but not declared in ``core:extensions`` give the same warning
  as ``sigmf``.

Semantics follow JSON Schema draft 2020-12 as ``jsonschema`` applies it: a bool is neither a
number nor an integer, ``2.0`` is an integer, ``pattern`` is searched (not anchored at the
end), NaN passes a ``minimum``/``maximum`` (the reader then refuses it by name), ``format``
is not checked. ``tests/io/test_sigmf_schema.py`` checks the patterns and ranges against the
installed schema and, on generated hostile metadata, that this module refuses exactly what
``sigmf.validate`` refuses.

References
----------
SigMF specification v1.2 and its ``sigmf-schema.json`` (https://github.com/sigmf/SigMF).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["SchemaViolation", "check_metadata", "pattern_message", "INT64_MAX"]

#: Largest value of the schema's 64-bit integer fields (2**63 - 1).
INT64_MAX = 9223372036854775807
#: Frequency range of ``core:frequency`` and the annotation edges. [Hz]
_FREQ_LIMIT = 1e12

#: Patterns of the schema, verbatim (``tests/io/test_sigmf_schema.py`` compares them).
DATATYPE_PATTERN = r"^(c|r)(f32|f64|i32|i16|u32|u16|i8|u8)(_le|_be)?"
DATASET_PATTERN = r'^[^\/\\:*?"<>|]+(\.[^\/\\:*?"<>|]+)*'
SHA512_PATTERN = r"^[0-9a-fA-F]{128}"
VERSION_PATTERN = r"^\d+\.\d+\.\d"
DATETIME_PATTERN = (
    r"^([\+-]?\d{4}(?!\d{2}"
    "\x08"
    r"))((-?)((0[1-9]|1[0-2])(\3([12]\d|0[1-9]|3[01]))?|W([0-4]\d|5[0-2])(-?[1-7])?|"
    r"(00[1-9]|0[1-9]\d|[12]\d{2}|3([0-5]\d|6[1-6])))([T\s]((([01]\d|2[0-3])((:?)[0-5]\d)?|"
    r"24\:?00)([\.,]\d+(?!:))?)?(\17[0-5]\d([\.,]\d+)?)?([zZ]|([\+-])([01]\d|2[0-3]):?"
    r"([0-5]\d)?)?)?)?"
)

#: What a pattern asks for, in words: a refusal says this instead of printing the regex.
PATTERN_WORDS = {
    VERSION_PATTERN: "a version like 1.0.0 (numbers only: MAJOR.MINOR.PATCH)",
    SHA512_PATTERN: "a SHA-512 digest (128 hexadecimal digits)",
    DATETIME_PATTERN: "an ISO 8601 date and time like 2024-03-01T08:00:00Z",
    DATASET_PATTERN: "a bare file name (no folder)",
}


def pattern_message(value: Any, pattern: str) -> str:
    """Return the refusal of ``value`` for not matching ``pattern``, in words where known."""
    words = PATTERN_WORDS.get(pattern)
    if words is None:
        return f"{value!r} does not match {pattern!r}"
    return f"{value!r} is not {words}"


class SchemaViolation(ValueError):
    """Metadata the SigMF schema refuses.

    Attributes
    ----------
    where : str
        JSON path of the offending value, ``/``-joined (``global/core:sample_rate``), or
        ``metadata`` for the top level.
    """

    def __init__(self, where: tuple[str | int, ...], message: str) -> None:
        self.where = "/".join(str(p) for p in where) or "metadata"
        super().__init__(message)


_Path = tuple[str | int, ...]
_Check = Callable[[Any, _Path], None]


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_integer(v: Any) -> bool:
    return _is_number(v) and (isinstance(v, int) or float(v).is_integer())


def _string(pattern: str | None = None) -> _Check:
    rx = re.compile(pattern) if pattern is not None else None

    def check(v: Any, at: _Path) -> None:
        if not isinstance(v, str):
            raise SchemaViolation(at, f"{v!r} is not of type 'string'")
        if rx is not None and rx.search(v) is None:
            raise SchemaViolation(at, pattern_message(v, rx.pattern))

    return check


def _number(
    *, lo: float | None = None, hi: float | None = None, lo_exclusive: bool = False
) -> _Check:
    def check(v: Any, at: _Path) -> None:
        if not _is_number(v):
            raise SchemaViolation(at, f"{v!r} is not of type 'number'")
        _range(v, at, lo, hi, lo_exclusive)

    return check


def _integer(lo: int = 0, hi: int = INT64_MAX) -> _Check:
    def check(v: Any, at: _Path) -> None:
        if not _is_integer(v):
            raise SchemaViolation(at, f"{v!r} is not of type 'integer'")
        _range(v, at, lo, hi, False)

    return check


def _range(v: Any, at: _Path, lo: float | None, hi: float | None, lo_exclusive: bool) -> None:
    # comparisons written as jsonschema writes them, so NaN passes both (as there)
    if lo is not None and (v <= lo if lo_exclusive else v < lo):
        word = "less than or equal to" if lo_exclusive else "less than"
        raise SchemaViolation(at, f"{v!r} is {word} the minimum of {lo!r}")
    if hi is not None and v > hi:
        raise SchemaViolation(at, f"{v!r} is greater than the maximum of {hi!r}")


def _boolean(v: Any, at: _Path) -> None:
    if not isinstance(v, bool):
        raise SchemaViolation(at, f"{v!r} is not of type 'boolean'")


def _object(v: Any, at: _Path) -> Mapping[str, Any]:
    if not isinstance(v, dict):
        raise SchemaViolation(at, f"{v!r} is not of type 'object'")
    return v


def _array(v: Any, at: _Path) -> list[Any]:
    if not isinstance(v, list):
        raise SchemaViolation(at, f"{v!r} is not of type 'array'")
    return v


def _require(obj: Mapping[str, Any], keys: tuple[str, ...], at: _Path) -> None:
    for key in keys:
        if key not in obj:
            raise SchemaViolation(at, f"{key!r} is a required property")


def _numbers(v: Any, at: _Path, min_items: int, max_items: int | None) -> None:
    items = _array(v, at)
    if len(items) < min_items:
        raise SchemaViolation(at, f"{v!r} should have at least {min_items} items")
    if max_items is not None and len(items) > max_items:
        raise SchemaViolation(at, f"{v!r} should have at most {max_items} items")
    for i, x in enumerate(items):
        if not _is_number(x):
            raise SchemaViolation((*at, i), f"{x!r} is not of type 'number'")


def _geolocation(v: Any, at: _Path) -> None:
    geo = _object(v, at)
    _require(geo, ("type", "coordinates"), at)
    if not isinstance(geo["type"], str):
        raise SchemaViolation((*at, "type"), f"{geo['type']!r} is not of type 'string'")
    if geo["type"] != "Point":
        raise SchemaViolation((*at, "type"), f"{geo['type']!r} is not one of ['Point']")
    _numbers(geo["coordinates"], (*at, "coordinates"), 2, 3)
    if "bbox" in geo:
        _numbers(geo["bbox"], (*at, "bbox"), 4, None)


def _extensions(v: Any, at: _Path) -> None:
    for i, ext in enumerate(_array(v, at)):
        where = (*at, i)
        obj = _object(ext, where)
        _require(obj, ("name", "version", "optional"), where)
        for key in obj:
            if key not in ("name", "version", "optional"):
                raise SchemaViolation(
                    where, f"Additional properties are not allowed ({key!r} was unexpected)"
                )
        _string()(obj["name"], (*where, "name"))
        _string()(obj["version"], (*where, "version"))
        _boolean(obj["optional"], (*where, "optional"))


_GLOBAL: dict[str, _Check] = {
    "core:datatype": _string(DATATYPE_PATTERN),
    "core:sample_rate": _number(lo=0, hi=_FREQ_LIMIT, lo_exclusive=True),
    "core:author": _string(),
    "core:collection": _string(),
    "core:dataset": _string(DATASET_PATTERN),
    "core:data_doi": _string(),
    "core:description": _string(),
    "core:hw": _string(),
    "core:license": _string(),
    "core:metadata_only": _boolean,
    "core:meta_doi": _string(),
    "core:num_channels": _integer(lo=1),
    "core:offset": _integer(),
    "core:recorder": _string(),
    "core:sha512": _string(SHA512_PATTERN),
    "core:trailing_bytes": _integer(),
    "core:version": _string(VERSION_PATTERN),
    "core:geolocation": _geolocation,
    "core:extensions": _extensions,
}
_CAPTURE: dict[str, _Check] = {
    "core:sample_start": _integer(),
    "core:datetime": _string(DATETIME_PATTERN),
    "core:frequency": _number(lo=-_FREQ_LIMIT, hi=_FREQ_LIMIT),
    "core:global_index": _integer(),
    "core:header_bytes": _integer(),
    "core:geolocation": _geolocation,
}
_ANNOTATION: dict[str, _Check] = {
    "core:sample_start": _integer(),
    "core:sample_count": _integer(),
    "core:freq_lower_edge": _number(lo=-_FREQ_LIMIT, hi=_FREQ_LIMIT),
    "core:freq_upper_edge": _number(lo=-_FREQ_LIMIT, hi=_FREQ_LIMIT),
    "core:label": _string(),
    "core:comment": _string(),
    "core:generator": _string(),
    "core:uuid": _string(),
}


def _fields(obj: Mapping[str, Any], checks: Mapping[str, _Check], at: _Path) -> None:
    for key, value in obj.items():
        check = checks.get(key)
        if check is not None:
            check(value, (*at, key))


def _segments(meta: Mapping[str, Any], section: str, checks: Mapping[str, _Check]) -> None:
    """Check the ``captures`` or ``annotations`` list and its ``core:sample_start`` order."""
    items = _array(meta[section], (section,))
    for i, item in enumerate(items):
        obj = _object(item, (section, i))
        _require(obj, ("core:sample_start",), (section, i))
        _fields(obj, checks, (section, i))
    starts = [item["core:sample_start"] for item in items]
    if any(b < a for a, b in zip(starts, starts[1:], strict=False)):
        raise SchemaViolation((), f"{section} has incorrect sample start ordering.")


def _undeclared_namespaces(meta: Mapping[str, Any]) -> list[str]:
    """Return the ``sigmf`` warning for extension namespaces used but not declared."""
    used: set[str] = set()
    for section in meta.values():
        for obj in section if isinstance(section, list) else [section]:
            if isinstance(obj, dict):
                used.update(k.split(":")[0] for k in obj if ":" in k)
    used.discard("core")
    declared = {ext["name"].split(":")[0] for ext in meta["global"].get("core:extensions", [])}
    undeclared = used - declared
    if not undeclared:
        return []
    return [
        f"Found undeclared extensions in use: {', '.join(sorted(undeclared))}. All extensions "
        "should be declared in core:extensions. This will raise a ValidationError in future "
        "versions."
    ]


def check_metadata(meta: Mapping[str, Any]) -> list[str]:
    """Check SigMF metadata against the schema; return the ``sigmf`` package's warnings.

    Parameters
    ----------
    meta : mapping
        The parsed ``.sigmf-meta`` JSON (with ``captures`` and ``annotations``).

    Returns
    -------
    list of str
        Warnings (extension namespaces used without being declared).

    Raises
    ------
    SchemaViolation
        The first constraint of the schema the metadata breaks, with its JSON path.
    """
    _object(meta, ())
    _require(meta, ("global", "captures", "annotations"), ())
    for key in meta:
        if key not in ("global", "captures", "annotations"):
            raise SchemaViolation(
                (), f"Additional properties are not allowed ({key!r} was unexpected)"
            )
    glob = _object(meta["global"], ("global",))
    _require(glob, ("core:datatype", "core:version"), ("global",))
    _fields(glob, _GLOBAL, ("global",))
    _segments(meta, "captures", _CAPTURE)
    _segments(meta, "annotations", _ANNOTATION)
    return _undeclared_namespaces(meta)
