"""The ``--setup`` TOML file: its schema, and :func:`load_setup`, which reads it into a Setup.

A lab writes the setup file once (DUT, lab and test information, limits, distance,
transducers, batch rules); CLI options override it. Paths inside the file are relative to
the file itself. Documented with an example in the README ("Setup file").

Schema (every table optional)::

    [dut]    manufacturer, trade_name, model, serial, description, class,
             highest_internal_frequency_hz, power = "mains" | "battery"
    [dut.serials]  unit name = serial number (one unit per serial)
    [lab]    name, operator, site, accreditation (a string or a [lab.accreditation] table)
    [test]   date (or dates, a list), standard, class, port, notes, report_title (a
             subtitle in check reports, :func:`rfcheck.report._fields.title_lines`)
    [check]  limits = ["fcc-15.107-a"], limit_files = [...], distance_m = 3.0,
             antenna_factor = "af.csv" | 12.5, cable_loss = ["cable.csv", 0.5],
             lisn = "lisn.csv" | 0.3, preamp_gain = "amp.csv" | 25.0, attenuator_db = 10.0,
             unit = "dBm", detector = "peak", rbw_hz = 120e3, format = "rs-ascii",
             max_suspects = 20,
             suspect_window_db = 6.0, volts_per_unit = 1.0, center_frequency_hz = 1.39e6,
             highest_frequency_hz = 700e6,
             decision_rule = "simple" | "cispr16-4-2" | "guard-band:DB"
    [[rule]] match = "radiated/*"   # glob on the capture path relative to the batch root
             (any [check] key: overrides the defaults for matching captures; later rules win)
             role = "ambient"       # matching captures are ambient scans (DUT off)
    [[dut.clock]]  the DUT's sources (rfcheck.explain.parse_clocks; docs/explain.md)
    [test]   u_lab_db = 5.2 | { conducted = 3.4, radiated = 5.2 }  # U_lab [dB], per port optional
    [batch]  include = ["**/*"], exclude = ["malformed/*"],
             group_pattern = "(?P<unit>.+?)_(?:L1|N|H|V)"  # regex on the file name
    [plan]   the test plan of ``rfcheck dossier`` (kept as given; parsed and validated by
             :mod:`rfcheck.product.plan`); a ``[[rule]]`` may also name its ``port`` or a
             ``port_regex`` for the dossier (kept in :attr:`~rfcheck.settings.model.Rule.product`)

An unknown key in ``[dut]``, ``[check]``, ``[[rule]]`` or ``[batch]`` is refused
(:func:`rfcheck.tomlcheck.refuse_unknown_keys`). ``highest_frequency_hz`` defaults to
``[dut] highest_internal_frequency_hz`` (a value in ``[check]`` or a matching ``[[rule]]``
wins). A ``F|dB`` transducer value is either a number (a constant in dB) or a file path.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..capture import parse_detector
from ..documents import load_toml
from ..errors import SetupFileError, UnitError
from ..frequency import range_hz_of
from ..limits.distance import DISTANCE_RANGE_M
from ..limits.measurement_range import stated_highest_problem
from ..limits.sources import shipped_ids
from ..textfile import read_regular_file, user_path
from ..tomlcheck import (
    describe,
    did_you_mean,
    get_float,
    get_int,
    get_list_of_str,
    get_str,
    refuse_unknown_keys,
)
from ..units import parse_level_unit
from ..verdict.decision import parse_decision_rule
from .model import BatchSettings, CheckSettings, PowerSource, Rule, Setup, parse_file_or_db

__all__ = ["RECORD_TABLES", "load_setup"]


_CHECK_KEYS = {
    "limits",
    "limit_files",
    "distance_m",
    "antenna_factor",
    "cable_loss",
    "lisn",
    "preamp_gain",
    "attenuator_db",
    "unit",
    "detector",
    "rbw_hz",
    "format",
    "max_suspects",
    "suspect_window_db",
    "volts_per_unit",
    "center_frequency_hz",
    "highest_frequency_hz",
    "range_hz",
    "decision_rule",
}
#: ``[[rule]]`` keys read by ``rfcheck dossier`` only (:mod:`rfcheck.product.plan`).
_PRODUCT_RULE_KEYS = {"port", "port_regex"}
_RULE_ROLES = ("ambient",)
#: ``[[rule]]`` keys of the rule itself: which captures it matches, and what they are.
_RULE_OWN_KEYS = {"match", "role"}
#: ``[batch]`` keys (:class:`~rfcheck.settings.model.BatchSettings`).
_BATCH_KEYS = {"include", "exclude", "group_pattern"}
#: ``[dut]`` keys: the identification the record reads (:mod:`rfcheck.record.parse`), the
#: device class and highest internal frequency the plan reads, the unit serials
#: (``[dut.serials]``) and the declared sources (``[[dut.clock]]``).
_DUT_KEYS = {
    "manufacturer",
    "trade_name",
    "model",
    "serial",
    "description",
    "class",
    "highest_internal_frequency_hz",
    "power",
    "serials",
    "clock",
}


def _power(dut: Mapping[str, Any], path: Path) -> None:
    """Check ``[dut] power``: ``"mains"`` or ``"battery"`` (:class:`PowerSource`)."""
    value = dut.get("power")
    if value is None or value in tuple(PowerSource):
        return
    known = " or ".join(f'"{p.value}"' for p in PowerSource)
    raise SetupFileError(f"[dut] power must be {known}, got {describe(value)}", path)


def _range_hz(value: Any, where: str, path: Path) -> tuple[float, float]:
    """Parse a judged range ``[lo, hi]`` [Hz]: two finite numbers, 0 <= lo < hi."""
    parsed = range_hz_of(value)
    if parsed is None:
        raise SetupFileError(
            f"{where}: range_hz must be [lo, hi] in Hz with 0 <= lo < hi, got {value!r}", path
        )
    return parsed


def _highest_hz(value: Any, where: str, path: Path) -> float:
    """Parse a highest frequency [Hz]: a finite number > 0 (or a string of one, ``"700e6"``)."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SetupFileError(
            f"{where}: highest frequency must be a number of Hz, got {value!r}", path
        )
    if not (math.isfinite(value) and value > 0):
        raise SetupFileError(
            f"{where}: highest frequency must be finite and > 0 Hz, got {value!r}", path
        )
    problem = stated_highest_problem(value)
    if problem:  # 700 for 700 MHz would leave every radiated range unrequired
        raise SetupFileError(f"{where}: {problem}; the value is in Hz (700 MHz is 700e6)", path)
    return float(value)


def _file_or_db_value(value: Any, key: str, where: str, path: Path, base: Path) -> float | Path:
    """Parse a ``F|dB`` value: a finite number [dB] or a path (relative to ``base``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SetupFileError(
            f"{where} {key}: expected a file path or a number of dB, got {describe(value)}", path
        )
    if isinstance(value, str) and not value.strip():
        raise SetupFileError(f"{where} {key}: expected a file path or a number of dB, got ''", path)
    val = parse_file_or_db(value)
    if isinstance(val, float) and not math.isfinite(val):
        raise SetupFileError(f"{where} {key}: must be a finite number of dB, got {value!r}", path)
    return base / val if isinstance(val, Path) and not val.is_absolute() else val


def _check_fields(
    table: Mapping[str, Any],
    base: Path,
    where: str,
    path: Path,
    known: frozenset[str] | set[str] = _CHECK_KEYS,
) -> dict[str, Any]:
    """Parse the ``[check]`` keys of ``table`` (the ``[check]`` table or a ``[[rule]]``).

    ``known``: the keys ``table`` may hold (a rule's also include ``match``, ``role``...).

    Raises
    ------
    SetupFileError
        An unknown key, or a value of the wrong type, unit or range.
    """
    refuse_unknown_keys(table, known, where, path)
    out: dict[str, Any] = {}
    try:
        out.update(_limit_fields(table, base, where, path))
        out.update(_transducer_fields(table, base, where, path))
        out.update(_receiver_fields(table, where, path))
        out.update(_range_fields(table, where, path))
    except UnitError as err:
        raise SetupFileError(f"{where}: {err.message}", path) from None
    return out


def _limit_fields(t: Mapping[str, Any], base: Path, w: str, path: Path) -> dict[str, Any]:
    """Parse ``limits``, ``limit_files`` (relative to ``base``) and ``distance_m`` [m].

    An unknown limit id is refused here, naming the setup and its table: every command reads
    the setup the same way.
    """
    out: dict[str, Any] = {}
    if "limits" in t:
        ids = get_list_of_str(t, "limits", w, path, allow_single=True) or ()
        known = shipped_ids()
        for lid in ids:
            if lid not in known:
                raise SetupFileError(
                    f"{w} limits: unknown limit id {lid!r} (known: {', '.join(known)})", path
                )
        out["limit_ids"] = ids
    if "limit_files" in t:
        files = get_list_of_str(t, "limit_files", w, path, allow_single=True) or ()
        out["limit_files"] = tuple(_relative_to(base, p) for p in files)
    if "distance_m" in t:
        lo, hi = DISTANCE_RANGE_M
        out["distance_m"] = get_float(t, "distance_m", w, path, minimum=lo, maximum=hi, unit="m")
    return out


def _relative_to(base: Path, p: str) -> Path:
    """Return ``p`` (``~`` expanded) as is when absolute, else relative to ``base``."""
    q = user_path(p)
    return q if q.is_absolute() else base / q


def _transducer_fields(t: Mapping[str, Any], base: Path, w: str, path: Path) -> dict[str, Any]:
    """Parse the ``F|dB`` transducer keys: antenna factor, cable loss(es), LISN, preamplifier."""

    def file_or_db(key: str, value: Any) -> float | Path:
        return _file_or_db_value(value, key, w, path, base)

    out: dict[str, Any] = {}
    if "antenna_factor" in t:
        out["antenna_factor"] = file_or_db("antenna_factor", t["antenna_factor"])
    if "cable_loss" in t:
        cl = t["cable_loss"]
        out["cable_loss"] = tuple(
            file_or_db("cable_loss", x) for x in (cl if isinstance(cl, list) else [cl])
        )
    for key in ("lisn", "preamp_gain"):
        if key in t:
            out[key] = file_or_db(key, t[key])
    return out


def _receiver_fields(t: Mapping[str, Any], w: str, path: Path) -> dict[str, Any]:
    """Parse the reading keys: attenuator, unit, detector, RBW, format, suspects, V per unit."""
    out: dict[str, Any] = {}
    if "attenuator_db" in t:
        out["attenuator_db"] = get_float(t, "attenuator_db", w, path)
    if "unit" in t:
        out["unit"] = parse_level_unit(str(get_str(t, "unit", w, path)))
    if "detector" in t:
        det = parse_detector(str(get_str(t, "detector", w, path)))
        if det is None:
            raise SetupFileError(f"{w}: unknown detector {t['detector']!r}", path)
        out["detector"] = det
    if "rbw_hz" in t:
        out["rbw_hz"] = get_float(t, "rbw_hz", w, path, minimum=0.0, min_open=True, unit="Hz")
    if "format" in t:
        out["fmt"] = get_str(t, "format", w, path, non_empty=True)
    if "max_suspects" in t:
        out["max_suspects"] = get_int(t, "max_suspects", w, path, minimum=0)
    if "suspect_window_db" in t:
        out["suspect_window_db"] = get_float(t, "suspect_window_db", w, path, unit="dB")
    if "volts_per_unit" in t:
        out["volts_per_unit"] = get_float(
            t, "volts_per_unit", w, path, minimum=0.0, min_open=True, unit="V"
        )
    if "center_frequency_hz" in t:
        out["center_frequency_hz"] = get_float(
            t, "center_frequency_hz", w, path, minimum=0.0, min_open=True, unit="Hz"
        )
    return out


def _range_fields(t: Mapping[str, Any], w: str, path: Path) -> dict[str, Any]:
    """Parse ``highest_frequency_hz`` [Hz], ``range_hz`` [Hz] and ``decision_rule``."""
    out: dict[str, Any] = {}
    if "highest_frequency_hz" in t:
        out["highest_frequency_hz"] = _highest_hz(t["highest_frequency_hz"], w, path)
    if "range_hz" in t:
        out["range_hz"] = _range_hz(t["range_hz"], w, path)
    if "decision_rule" in t:
        text = get_str(t, "decision_rule", w, path, non_empty=True)
        try:
            out["decision_rule"] = parse_decision_rule(str(text)).text
        except ValueError as err:
            raise SetupFileError(f"{w} decision_rule: {err}", path) from None
    return out


#: Tables of the customs record (issue 11), parsed and validated by :mod:`rfcheck.record`
#: (kept here as names only: the record package loads reportlab; a test keeps both equal).
RECORD_TABLES = frozenset(
    {"test", "lab", "equipment", "support_equipment", "cable", "photo", "compliance", "entry"}
)


def _u_lab(test: Mapping[str, Any], path: Path) -> tuple[tuple[str, float], ...]:
    """Parse ``[test] u_lab_db`` [dB]: one number for every port, or a table of port = number."""
    if "u_lab_db" not in test:
        return ()
    value = test["u_lab_db"]
    if isinstance(value, Mapping):
        return tuple(
            (
                str(port),
                float(
                    get_float(
                        value,
                        str(port),
                        "[test] u_lab_db",
                        path,
                        minimum=0.0,
                        min_open=True,
                        unit="dB",
                    )
                    or 0.0
                ),
            )
            for port in value
        )
    number = get_float(test, "u_lab_db", "[test]", path, minimum=0.0, min_open=True, unit="dB")
    return (("", float(number or 0.0)),)


def _rule(tbl: Any, i: int, base: Path, path: Path) -> Rule:
    """One ``[[rule]]``: its ``match`` glob, its ``[check]`` overrides, its ``role``."""
    if not isinstance(tbl, dict) or not isinstance(tbl.get("match"), str):
        raise SetupFileError(f"[[rule]] #{i} needs a 'match' glob string", path)
    where = f"[[rule]] #{i}"
    role = get_str(tbl, "role", where, path)
    if role is not None and role not in _RULE_ROLES:
        raise SetupFileError(
            f"{where} role: expected one of {list(_RULE_ROLES)}, got {role!r}", path
        )
    product = {k: tbl[k] for k in _PRODUCT_RULE_KEYS if k in tbl}
    fields = {k: v for k, v in tbl.items() if k not in _PRODUCT_RULE_KEYS | _RULE_OWN_KEYS}
    refuse_unknown_keys(tbl, _CHECK_KEYS | _PRODUCT_RULE_KEYS | _RULE_OWN_KEYS, where, path)
    return Rule(
        match=tbl["match"],
        overrides=_check_fields(fields, base, where, path),
        product=product,
        role=role,
    )


def _unit_serials(serials: Any, path: Path) -> None:
    """Check ``[dut.serials]``: unit name = serial number, no serial given to two units.

    Each unit's record (and each batch report) states its serial as the device tested (47 CFR
    2.938(b)(5)); two units' data under one serial would each misidentify a device. Serials
    are compared with case and surrounding spaces ignored.

    Raises
    ------
    SetupFileError
        ``[dut.serials]`` is not a table, a serial is not a non-empty string, or one serial
        is given to two units.
    """
    if serials is None:
        return
    if not isinstance(serials, Mapping):
        raise SetupFileError(
            f"[dut] serials: expected a table of unit = serial, got {describe(serials)}", path
        )
    units: dict[str, list[str]] = {}
    for unit in serials:
        serial = get_str(serials, unit, "[dut.serials]", path, non_empty=True)
        units.setdefault(str(serial).strip().casefold(), []).append(str(unit))
    for names in units.values():
        if len(names) > 1:
            shown = str(serials[names[0]]).strip()
            raise SetupFileError(
                f"[dut.serials]: serial {shown} is given to units {', '.join(names)}: "
                "each unit's record states its own serial; give each unit the serial of the "
                "device it measured",
                path,
            )


def _device_class(doc: Mapping[str, Any]) -> str | None:
    """Return ``[dut] class``, else ``[test] class``, when it is ``A`` or ``B`` (else None).

    Any other value is refused where the record tables are read
    (:func:`rfcheck.record.parse_record`, by every command).
    """
    value = Setup(dut=doc.get("dut", {}), test=doc.get("test", {})).device_class
    return value if value in ("A", "B") else None


def load_setup(path: str | Path) -> Setup:
    """Parse a setup TOML file; paths inside it resolve relative to it.

    Raises
    ------
    SetupFileError
        Unreadable file, TOML syntax error, an unknown table or an unknown key in ``[dut]``,
        ``[check]``, ``[[rule]]`` or ``[batch]``, a wrong type, a bad regex, a bad
        ``[dut.serials]`` (one serial given to two units) or ``[[dut.clock]]`` entry, a
        ``[dut] power`` other than ``mains`` or ``battery``, a bad ``[test] u_lab_db`` or
        ``decision_rule``. The record tables and ``[plan]`` are kept
        as given (their owners check them; every command checks the whole file).
    """
    p = Path(path)
    raw = read_regular_file(p, "setup file", SetupFileError)
    try:
        doc = load_toml(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SetupFileError(f"not a valid TOML setup file: {err}", p) from None
    known = {"dut", "check", "rule", "batch", "plan"} | RECORD_TABLES
    unknown = set(doc) - known
    if unknown:
        names = sorted(str(k) for k in unknown)
        raise SetupFileError(
            f"unknown table(s) {names}{did_you_mean(names, known)} (known: {sorted(known)})", p
        )
    base = p.parent
    for key in ("dut", "lab", "test", "check", "batch", "plan"):
        if key in doc and not isinstance(doc[key], dict):
            raise SetupFileError(f"[{key}] must be a table", p)
    refuse_unknown_keys(doc.get("dut", {}), _DUT_KEYS, "[dut]", p)
    refuse_unknown_keys(doc.get("batch", {}), _BATCH_KEYS, "[batch]", p)
    _unit_serials(doc.get("dut", {}).get("serials"), p)
    _power(doc.get("dut", {}), p)
    check_fields = _check_fields(doc.get("check", {}), base, "[check]", p)
    hif = doc.get("dut", {}).get("highest_internal_frequency_hz")
    if hif is not None and "highest_frequency_hz" not in check_fields:
        check_fields["highest_frequency_hz"] = _highest_hz(
            hif, "[dut] highest_internal_frequency_hz", p
        )
    from ..explain.clocks import parse_clocks

    clocks = parse_clocks(doc.get("dut", {}), p)  # a bad clock entry is a setup error
    u_lab = _u_lab(doc.get("test", {}), p)
    check = CheckSettings(**check_fields, u_lab_db=u_lab, device_class=_device_class(doc))
    if not isinstance(doc.get("rule", []), list):
        raise SetupFileError("[[rule]] must be an array of tables ([[rule]] headers)", p)
    rules = [_rule(tbl, i, base, p) for i, tbl in enumerate(doc.get("rule", []), 1)]
    b = doc.get("batch", {})
    pattern = get_str(b, "group_pattern", "[batch]", p)
    if pattern is not None:
        try:
            rx = re.compile(pattern)
        except re.error as err:
            raise SetupFileError(f"[batch] group_pattern is not a valid regex: {err}", p) from None
        if "unit" not in rx.groupindex:
            raise SetupFileError("[batch] group_pattern needs a named group (?P<unit>...)", p)
    include = get_list_of_str(b, "include", "[batch]", p, allow_single=True)
    exclude = get_list_of_str(b, "exclude", "[batch]", p, allow_single=True)
    batch = BatchSettings(
        include=("**/*",) if include is None else include,
        exclude=() if exclude is None else exclude,
        group_pattern=pattern,
    )
    return Setup(
        path=p,
        sha256=hashlib.sha256(raw).hexdigest(),
        dut=dict(doc.get("dut", {})),
        lab=dict(doc.get("lab", {})),
        test=dict(doc.get("test", {})),
        check=check,
        rules=tuple(rules),
        batch=batch,
        plan=dict(doc.get("plan", {})),
        record={k: doc[k] for k in sorted(RECORD_TABLES) if k in doc},
        clocks=clocks,
    )
