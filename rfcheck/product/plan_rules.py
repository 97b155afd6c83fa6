"""The plan-rules data file: which limit lines each kind of port needs, over which range.

A plan-rules file (``limits/plans/<id>.toml``, shipped beside the limit tables, installed as
``rfcheck.limit_tables/plans``) holds one ``[[cell]]`` per kind of required cell: the port
kind, the limit table per device class, the lines and the range. It is checked on load
(:func:`parse_plan_rules`): the record written from a plan is an FCC record, so every table
must be a 47 CFR Part 15 table of the cell's class and port whose lines cover the cell's
range. The contract is in ``docs/dossier.md``, "The plan".

References
----------
47 CFR 2.938(b), 15.105, 2.1077 (the record's statements); 15.33(b)(1) (upper frequency).
"""

from __future__ import annotations

import functools
import hashlib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from ..errors import LimitFileError, SetupFileError
from ..frequency import format_mhz, format_mhz_range
from ..limits import LimitTable, load_shipped
from ..limits.measurement_range import HIGHEST_UPPER_FREQUENCY_HZ
from ..limits.model import DEVICE_CLASSES
from ..tomlcheck import refuse_unknown_keys

__all__ = [
    "PortKind",
    "PlanRule",
    "PlanRules",
    "load_plan_rules",
    "parse_plan_rules",
    "plan_rule_ids",
    "plans_root",
]


class PortKind(StrEnum):
    """What a port is: a mains line (conducted, dBµV) or an antenna polarisation (dBµV/m)."""

    MAINS = "mains"
    POLARISATION = "polarisation"


@dataclass(frozen=True)
class PlanRule:
    """One kind of required cell in a plan-rules file.

    Attributes
    ----------
    port_kind : PortKind
    limit_ids : Mapping of str to str
        Limit table id per device class (``{"A": "fcc-15.107-a", "B": "fcc-15.107-b"}``).
    lines : tuple of str
        Limit lines required (``QP``, ``AV``, ``PK``).
    start_hz : float
        Lower end of the required range. [Hz]
    stop_hz : float or None
        Upper end [Hz]; None: the 47 CFR 15.33(b)(1) upper frequency of the device.
    clause : str
        The rule the cell implements.
    within_upper : bool
        The range also ends at the 15.33(b)(1) upper frequency when that is lower than
        ``stop_hz`` (a radiated range: nothing above the upper frequency is required).
    """

    port_kind: PortKind
    limit_ids: Mapping[str, str]
    lines: tuple[str, ...]
    start_hz: float
    stop_hz: float | None
    clause: str
    within_upper: bool = False


@dataclass(frozen=True)
class PlanRules:
    """A parsed plan-rules file (``limits/plans/<id>.toml``)."""

    id: str
    title: str
    source: str
    path: str
    sha256: str
    rules: tuple[PlanRule, ...]


_PACKAGE = "rfcheck.limit_tables"


@functools.lru_cache(maxsize=1)
def plans_root() -> Traversable:
    """``plans/`` of the shipped limit tables (installed package or source checkout)."""
    try:
        return files(_PACKAGE).joinpath("plans")
    except ModuleNotFoundError:
        return files("rfcheck").joinpath("..", "limits", "plans")


def plan_rule_ids() -> list[str]:
    """Ids of the shipped plan-rules files, sorted."""
    return sorted(e.name[:-5] for e in plans_root().iterdir() if e.name.endswith(".toml"))


def _range_end(value: Any, where: str, path: str) -> float | None:
    if value == "upper":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SetupFileError(f'{where}: expected a frequency in Hz or "upper", got {value!r}', path)
    return float(value)


#: Keys of a plan-rules file and of each of its ``[[cell]]`` tables (docs/dossier.md, "The plan").
_FILE_KEYS = frozenset({"id", "title", "source", "edition", "retrieved", "cell"})
_CELL_KEYS = frozenset(
    {"port_kind", "limit", "lines", "start_hz", "stop_hz", "within_upper", "clause"}
)
#: The ``port`` of the limit table each kind of plan port is judged against.
_TABLE_PORT = {PortKind.MAINS: "conducted", PortKind.POLARISATION: "radiated"}
#: The only body of rules a plan may judge by: the record written from a plan is an FCC record.
_PLAN_REGIME = "fcc-part15"


def _parse_rule(i: int, tbl: Any, path: str) -> PlanRule:
    where = f"[[cell]] #{i}"
    if not isinstance(tbl, dict):
        raise SetupFileError(f"{where} must be a table", path)
    refuse_unknown_keys(tbl, _CELL_KEYS, where, path)
    try:
        kind = PortKind(str(tbl.get("port_kind")))
    except ValueError:
        raise SetupFileError(
            f"{where}: port_kind must be 'mains' or 'polarisation', got {tbl.get('port_kind')!r}",
            path,
        ) from None
    limit = tbl.get("limit")
    lines = tbl.get("lines")
    if (
        not isinstance(limit, dict)
        or not limit
        or not all(isinstance(v, str) for v in limit.values())
    ):
        raise SetupFileError(f"{where}: 'limit' must map each class to a limit id", path)
    if not isinstance(lines, list) or not lines or not all(isinstance(x, str) for x in lines):
        raise SetupFileError(f"{where}: 'lines' must be a list of limit line names", path)
    start = _range_end(tbl.get("start_hz"), where, path)
    if start is None:
        raise SetupFileError(f"{where}: start_hz must be a frequency in Hz", path)
    stop = _range_end(tbl.get("stop_hz"), where, path)
    if stop is not None and not stop > start:
        raise SetupFileError(
            f"{where}: stop_hz ({format_mhz(stop)}) must lie above start_hz ({format_mhz(start)})",
            path,
        )
    rule = PlanRule(
        port_kind=kind,
        limit_ids=dict(limit),
        lines=tuple(lines),
        start_hz=start,
        stop_hz=stop,
        clause=str(tbl.get("clause", "")),
        within_upper=_flag(tbl.get("within_upper", False), f"{where}: within_upper", path),
    )
    for cls, limit_id in rule.limit_ids.items():
        _check_table(rule, cls, limit_id, f"{where}: limit {cls} = {limit_id!r}", path)
    return rule


def _check_table(rule: PlanRule, cls: str, limit_id: str, where: str, path: str) -> None:
    """Refuse a cell's table that is not a 47 CFR Part 15 table of its class, port and range.

    The record written from a plan (47 CFR 2.938(b), 15.105, 2.1077 statements; the
    15.33(b)(1) range) is an FCC record; docs/dossier.md, "The plan".
    """
    if cls not in DEVICE_CLASSES:
        raise SetupFileError(f"{where}: the class must be one of {list(DEVICE_CLASSES)}", path)
    try:
        table = load_shipped(limit_id)
    except LimitFileError as err:
        raise SetupFileError(f"{where}: {err.message}", path) from None
    if table.regime != _PLAN_REGIME:
        raise SetupFileError(
            f"{where} is not a 47 CFR Part 15 table (regime {table.regime!r}): the record "
            "rfcheck writes from a plan is an FCC record (47 CFR 2.938, 15.105, 2.1077); judge "
            "CISPR 32 with rfcheck check, batch, lot or compare (a CISPR 32 record would need "
            "CISPR 32 Table 1 and its own statements: not implemented)",
            path,
        )
    if table.device_class != cls:
        raise SetupFileError(
            f"{where} holds Class {table.device_class} limits, not Class {cls}", path
        )
    if table.port != _TABLE_PORT[rule.port_kind]:
        raise SetupFileError(
            f"{where} is a {table.port} table; a {rule.port_kind.value} cell needs a "
            f"{_TABLE_PORT[rule.port_kind]} one",
            path,
        )
    _check_range(rule, table, where, path)


def _check_range(rule: PlanRule, table: LimitTable, where: str, path: str) -> None:
    """Refuse a cell reaching past its table's line: nothing would limit the rest.

    A ``stop_hz = "upper"`` cell may reach the highest 15.33(b)(1) upper frequency (40 GHz),
    so its lines must reach it too.
    """
    stop = HIGHEST_UPPER_FREQUENCY_HZ if rule.stop_hz is None else rule.stop_hz
    wanted = format_mhz_range(rule.start_hz, stop)
    if rule.stop_hz is None:
        wanted += (
            ' (stop_hz = "upper": up to the 47 CFR 15.33(b)(1) upper frequency, at most 40 GHz)'
        )
    for line in rule.lines:
        if line not in table.line_names:
            raise SetupFileError(
                f"{where} has no {line} line (lines: {', '.join(table.line_names)})", path
            )
        lo, hi = table.line_range(line)
        if rule.start_hz < lo or stop > hi:
            raise SetupFileError(
                f"{where}: the cell's {line} range {wanted} lies outside the table's {line} "
                f"line ({format_mhz_range(lo, hi)}), which would limit none of the rest",
                path,
            )


def _flag(value: Any, where: str, path: str) -> bool:
    if not isinstance(value, bool):
        raise SetupFileError(f"{where} must be true or false, got {value!r}", path)
    return value


def parse_plan_rules(raw: bytes, path: str, regulation: str = "") -> PlanRules:
    """Parse and check the bytes of a plan-rules file.

    Every cell's table must be a shipped 47 CFR Part 15 table (``regime = "fcc-part15"``)
    of the cell's class and port whose lines cover the cell's range (a ``"upper"`` range
    up to 40 GHz, the highest 15.33(b)(1) upper frequency), one table per kind of port and
    class; no key may be unknown. The
    plans rfcheck reads are the shipped ones (:func:`load_plan_rules`); this serves the
    tests, which check hand-made files. See docs/dossier.md, "The plan".

    ``path``: the file named in the errors; ``regulation``: the id when the file states none.

    Raises
    ------
    SetupFileError
        Bad TOML, an unknown key, a malformed cell or one whose table the record cannot
        honestly judge by; the message names the file and the cell.
    """
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SetupFileError(f"not a valid plan-rules file: {err}", path) from None
    refuse_unknown_keys(doc, _FILE_KEYS, "plan rules", path)
    cells = doc.get("cell")
    if not isinstance(cells, list) or not cells:
        raise SetupFileError("plan rules need at least one [[cell]]", path)
    rules = tuple(_parse_rule(i, c, path) for i, c in enumerate(cells, 1))
    _check_one_table_per_port(rules, path)
    return PlanRules(
        id=str(doc.get("id", regulation)),
        title=str(doc.get("title", "")),
        source=str(doc.get("source", "")),
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        rules=rules,
    )


def _check_one_table_per_port(rules: tuple[PlanRule, ...], path: str) -> None:
    """Refuse two tables for one kind of port and class.

    A port is judged against every table its kind names; a scan inside one table's range
    but outside another's would be an error row, not a missing range.
    """
    seen: dict[tuple[PortKind, str], tuple[int, str]] = {}
    for i, rule in enumerate(rules, 1):
        for cls, limit_id in rule.limit_ids.items():
            first = seen.setdefault((rule.port_kind, cls), (i, limit_id))
            if first[1] != limit_id:
                raise SetupFileError(
                    f"[[cell]] #{i}: limit {cls} = {limit_id!r}, but [[cell]] #{first[0]} gives "
                    f"{first[1]!r}: a {rule.port_kind.value} port is judged against one table "
                    "per class",
                    path,
                )


@functools.lru_cache(maxsize=16)
def load_plan_rules(regulation: str) -> PlanRules:
    """Load a shipped plan-rules file by id (checked by :func:`parse_plan_rules`).

    Raises
    ------
    SetupFileError
        Unknown id (the message lists the known ones) or a malformed file.
    """
    ids = plan_rule_ids()
    if regulation not in ids:
        raise SetupFileError(
            f"[plan] regulation {regulation!r} is unknown (known: {', '.join(ids)})"
        )
    raw = plans_root().joinpath(f"{regulation}.toml").read_bytes()
    return parse_plan_rules(raw, f"{_PACKAGE}/plans/{regulation}.toml", regulation)
