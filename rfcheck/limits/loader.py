"""Limit files: the TOML parser and validator.

Where the tables come from (the shipped ones, user files) is :mod:`rfcheck.limits.sources`;
their format is documented in ``limits/README.md``. Values are
stored as the regulation prints them (µV/m for the CFR radiated tables) and converted here.
:func:`parse_limit_text` reads a file as a list of named steps: the document, the header
keys, the lines, each segment, the segment checks.

References
----------
47 CFR 15.107, 15.109, 15.35(b), 15.31(f)(1)-(2), 15.33(b)(1); CISPR 32:2012 Tables A.4, A.5;
docs/references.md.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..capture import Detector, parse_detector
from ..documents import load_toml
from ..errors import LimitFileError
from ..frequency import format_mhz, format_mhz_range, mhz_number
from ..units import LevelUnit, linear_amplitude_to_db
from .distance import DISTANCE_RANGE_M
from .measurement_range import UPPER_FREQUENCY_RULES
from .model import (
    DEVICE_CLASSES,
    PEAK_RULES,
    REGIMES,
    STATUS_RANK,
    STATUSES,
    LimitTable,
    LineLevel,
    LineSpec,
    Segment,
)

__all__ = ["parse_limit_text"]

#: Native units a limit file may print values in -> (internal unit, converter name).
_NATIVE_UNITS: dict[str, tuple[LevelUnit, str]] = {
    "dbuv": (LevelUnit.DBUV, "db"),
    "dbuv/m": (LevelUnit.DBUV_M, "db"),
    "dbua": (LevelUnit.DBUA, "db"),
    "uv": (LevelUnit.DBUV, "linear"),
    "uv/m": (LevelUnit.DBUV_M, "linear"),
    "ua": (LevelUnit.DBUA, "linear"),
}
_TOP_KEYS = {
    "id",
    "title",
    "source",
    "edition",
    "retrieved",
    "port",
    "distance_m",
    "distance_rule",
    "unit",
    "status",
    "edge_rule",
    "notes",
    "lines",
    "segment",
    "upper_frequency_rule",
    "regime",
    "peak_rule",
    "device_class",
}
_REQUIRED = (
    "id",
    "title",
    "source",
    "edition",
    "retrieved",
    "port",
    "unit",
    "status",
    "lines",
    "segment",
)
_SEG_KEYS = {
    "start_mhz",
    "stop_mhz",
    "start_hz",
    "stop_hz",
    "interpolation",
    "status",
    "include_start",
}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_LINE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _status(value: Any, where: str, path: str) -> str:
    if value not in STATUSES:
        raise LimitFileError(f"{where}: status {value!r} is not one of {list(STATUSES)}", path)
    return str(value)


def _number(value: Any, where: str, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LimitFileError(f"{where}: expected a number, got {value!r}", path)
    return float(value)


def _to_db(value: float, conv: str, where: str, path: str) -> float:
    if conv == "linear":
        if value <= 0:
            raise LimitFileError(f"{where}: a linear level must be > 0, got {value!r}", path)
        return float(linear_amplitude_to_db(value))
    return value


def _parse_level(
    raw: Any, interp: str, conv: str, seg_status: str, where: str, path: str
) -> LineLevel:
    status = seg_status
    if isinstance(raw, dict):
        unknown = set(raw) - {"level", "start", "stop", "status"}
        if unknown:
            raise LimitFileError(f"{where}: unknown key(s) {sorted(unknown)}", path)
        if "status" in raw:
            status = _status(raw["status"], where, path)
        if "level" in raw:
            raw = raw["level"]
        elif "start" in raw and "stop" in raw:
            raw = [raw["start"], raw["stop"]]
        else:
            raise LimitFileError(f"{where}: give 'level' or 'start' and 'stop'", path)
    if isinstance(raw, list):
        if len(raw) != 2:
            raise LimitFileError(f"{where}: expected [level_start, level_stop], got {raw!r}", path)
        a, b = (_to_db(_number(x, where, path), conv, where, path) for x in raw)
        if interp == "flat" and a != b:
            raise LimitFileError(
                f"{where}: two levels given but interpolation is 'flat' (use 'log-f')", path
            )
        return LineLevel(a, b, status)
    v = _to_db(_number(raw, where, path), conv, where, path)
    if interp == "log-f":
        raise LimitFileError(f"{where}: a 'log-f' segment needs [level_start, level_stop]", path)
    return LineLevel(v, v, status)


def _freq(seg: Mapping[str, Any], key: str, where: str, path: str) -> float:
    mhz, hz = f"{key}_mhz", f"{key}_hz"
    if (mhz in seg) == (hz in seg):
        raise LimitFileError(f"{where}: give exactly one of '{mhz}' or '{hz}'", path)
    value = _number(seg[mhz] if mhz in seg else seg[hz], where, path)
    return value * 1e6 if mhz in seg else value


#: Order of the detectors' readings for any signal (CISPR 16-1-1: PK >= QP >= CISPR-AV);
#: a limit table whose lines contradict it (an AV limit above the QP limit) is malformed.
_DETECTOR_RANK = {
    Detector.PEAK: 3,
    Detector.QUASI_PEAK: 2,
    Detector.RMS_AVERAGE: 1,
    Detector.CISPR_AVERAGE: 0,
    Detector.AVERAGE: 0,
}


def _check_detector_order(lines: list[LineSpec], segments: list[Segment], path: str) -> None:
    """Check the detector order of the lines (AV <= QP <= PK) in every segment.

    Within every segment, a line of a lower-reading detector may not be above one of a
    higher-reading detector (AV <= QP <= PK), at either end of the segment.
    """
    ranked = [
        (ln.name, _DETECTOR_RANK[ln.detector]) for ln in lines if ln.detector in _DETECTOR_RANK
    ]
    for seg in segments:
        for lo_name, lo_rank in ranked:
            for hi_name, hi_rank in ranked:
                if lo_rank >= hi_rank or lo_name not in seg.levels or hi_name not in seg.levels:
                    continue
                a, b = seg.levels[lo_name], seg.levels[hi_name]
                if a.start_db > b.start_db + 1e-9 or a.stop_db > b.stop_db + 1e-9:
                    raise LimitFileError(
                        f"segment {format_mhz_range(seg.start_hz, seg.stop_hz)}: line {lo_name} "
                        f"is above line {hi_name}, but its detector reads lower for every signal "
                        "(PK >= QP >= AV, CISPR 16-1-1)",
                        path,
                    )


@dataclass(frozen=True)
class _Header:
    """The validated top-level keys of a limit file."""

    id: str
    port: str
    unit: LevelUnit
    conv: str  #: "db" or "linear": how the printed values become dB
    status: str
    edge_rule: str
    upper_frequency_rule: str
    distance_m: float | None
    distance_rule: str
    regime: str
    peak_rule: str
    device_class: str | None


def _read_document(text: str, path: str) -> dict[str, Any]:
    """Return the TOML document, with only known top-level keys and every required one."""
    try:
        doc = load_toml(text)
    except tomllib.TOMLDecodeError as err:
        raise LimitFileError(f"not a valid TOML limit file: {err}", path) from None
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise LimitFileError(f"unknown key(s) {sorted(unknown)} (known: {sorted(_TOP_KEYS)})", path)
    missing = [k for k in _REQUIRED if k not in doc]
    if missing:
        raise LimitFileError(f"missing required key(s) {missing}", path)
    for key in ("id", "title", "source", "edition", "retrieved", "port", "unit"):
        if not isinstance(doc[key], str) or not doc[key].strip():
            raise LimitFileError(f"key '{key}' must be a non-empty string", path)
    return doc


def _choice(
    doc: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str, path: str
) -> str:
    value = doc.get(key, default)
    if value not in choices:
        raise LimitFileError(f"key '{key}': {value!r} is not one of {list(choices)}", path)
    return str(value)


def _port_and_unit(doc: Mapping[str, Any], path: str) -> tuple[str, LevelUnit, str]:
    """Port, internal unit and converter ("db"/"linear") of the printed values."""
    port = doc["port"]
    if port not in ("conducted", "radiated"):
        raise LimitFileError(f"key 'port': {port!r} is not 'conducted' or 'radiated'", path)
    ukey = doc["unit"].strip().replace("µ", "u").replace("μ", "u").lower()
    if ukey not in _NATIVE_UNITS:
        raise LimitFileError(
            f"key 'unit': unknown unit {doc['unit']!r} (known: dBuV, dBuV/m, dBuA, uV, uV/m, uA)",
            path,
        )
    unit, conv = _NATIVE_UNITS[ukey]
    if (port == "radiated") != (unit is LevelUnit.DBUV_M):
        raise LimitFileError(f"key 'unit': {doc['unit']!r} does not fit port {port!r}", path)
    return port, unit, conv


def _distance(doc: Mapping[str, Any], port: str, path: str) -> tuple[float | None, str]:
    """Return the specified distance [m] and distance rule (radiated tables only)."""
    rule = doc.get("distance_rule", "none")
    if rule not in ("fcc-15.31f", "none"):
        raise LimitFileError(f"key 'distance_rule': {rule!r} is not 'fcc-15.31f' or 'none'", path)
    if port != "radiated":
        if "distance_m" in doc:
            raise LimitFileError("key 'distance_m' is only for radiated limits", path)
        return None, "none"
    if "distance_m" not in doc:
        raise LimitFileError("a radiated limit needs 'distance_m'", path)
    distance = _number(doc["distance_m"], "key 'distance_m'", path)
    lo, hi = DISTANCE_RANGE_M
    if not lo <= distance <= hi:
        raise LimitFileError(f"key 'distance_m' must be {lo:g} .. {hi:g} m, got {distance:g}", path)
    return distance, rule


def _header(doc: Mapping[str, Any], path: str) -> _Header:
    """Validate the top-level keys: id, port/unit, status, edge/upper/distance/peak rules."""
    lid = doc["id"]
    if not _ID_RE.match(lid):
        raise LimitFileError(f"key 'id': {lid!r} must be lower-case letters, digits, . _ -", path)
    port, unit, conv = _port_and_unit(doc, path)
    status = _status(doc["status"], "key 'status'", path)
    edge = doc.get("edge_rule", "tighter")
    if edge != "tighter":
        raise LimitFileError(f"key 'edge_rule': only 'tighter' is supported, got {edge!r}", path)
    upper_rule = _choice(doc, "upper_frequency_rule", UPPER_FREQUENCY_RULES, "none", path)
    if upper_rule != "none" and port != "radiated":
        raise LimitFileError("key 'upper_frequency_rule' is only for radiated limits", path)
    distance, rule = _distance(doc, port, path)
    regime = _choice(doc, "regime", REGIMES, "none", path)
    peak_rule = _choice(doc, "peak_rule", PEAK_RULES, "none", path)
    device_class = doc.get("device_class")
    if device_class is not None and device_class not in DEVICE_CLASSES:
        raise LimitFileError(
            f"key 'device_class': {device_class!r} is not one of {list(DEVICE_CLASSES)}", path
        )
    return _Header(
        lid,
        port,
        unit,
        conv,
        status,
        edge,
        upper_rule,
        distance,
        rule,
        regime,
        peak_rule,
        device_class,
    )


def _lines(doc: Mapping[str, Any], path: str) -> list[LineSpec]:
    """Return the ``[lines]`` table: line name -> detector."""
    if not isinstance(doc["lines"], dict) or not doc["lines"]:
        raise LimitFileError(
            '[lines] must map line names to detectors, e.g. QP = "quasi-peak"', path
        )
    lines = []
    for name, det_text in doc["lines"].items():
        if not _LINE_RE.match(name):
            raise LimitFileError(f"[lines]: bad line name {name!r}", path)
        det = parse_detector(str(det_text))
        if det is None or det is Detector.UNKNOWN:
            raise LimitFileError(f"[lines] {name}: unknown detector {det_text!r}", path)
        lines.append(LineSpec(name, det))
    return lines


def _segment(seg: Any, where: str, names: set[str], head: _Header, path: str) -> Segment:
    """One ``[[segment]]``: its range, interpolation, status, levels and start inclusion."""
    if not isinstance(seg, dict):
        raise LimitFileError(f"{where} must be a table", path)
    unknown = set(seg) - _SEG_KEYS - names
    if unknown:
        raise LimitFileError(
            f"{where}: unknown key(s) {sorted(unknown)} (lines declared in [lines]: "
            f"{sorted(names)})",
            path,
        )
    start, stop = _freq(seg, "start", where, path), _freq(seg, "stop", where, path)
    if not 0 < start < stop:
        raise LimitFileError(f"{where}: needs 0 < start < stop, got {start:g}-{stop:g} Hz", path)
    interp = seg.get("interpolation", "flat")
    if interp not in ("flat", "log-f"):
        raise LimitFileError(f"{where}: interpolation {interp!r} is not 'flat' or 'log-f'", path)
    seg_status = _status(seg.get("status", head.status), where, path)
    levels = {
        n: _parse_level(seg[n], interp, head.conv, seg_status, f"{where} {n}", path)
        for n in sorted(names & set(seg))
    }
    if not levels:
        raise LimitFileError(f"{where}: defines no line level", path)
    inc = seg.get("include_start", True)
    if not isinstance(inc, bool):
        raise LimitFileError(f"{where}: include_start must be true or false", path)
    return Segment(start, stop, interp, levels, seg_status, inc)


def _segments(doc: Mapping[str, Any], names: set[str], head: _Header, path: str) -> list[Segment]:
    """Every ``[[segment]]``, sorted by start frequency."""
    raw_segs = doc["segment"]
    if not isinstance(raw_segs, list) or not raw_segs:
        raise LimitFileError("needs at least one [[segment]]", path)
    segments = [
        _segment(seg, f"[[segment]] #{i}", names, head, path) for i, seg in enumerate(raw_segs, 1)
    ]
    segments.sort(key=lambda s: s.start_hz)
    return segments


def _check_contiguous(segments: list[Segment], names: set[str], path: str) -> None:
    """Segments may not overlap, and every line runs without a gap."""
    for a, b in zip(segments, segments[1:], strict=False):
        if b.start_hz < a.stop_hz:
            raise LimitFileError(
                f"segments overlap: {format_mhz_range(a.start_hz, a.stop_hz)} and "
                f"{format_mhz_range(b.start_hz, b.stop_hz)}",
                path,
            )
    for name in sorted(names):
        segs = [s for s in segments if name in s.levels]
        if not segs:
            raise LimitFileError(f"line {name} has no segment", path)
        for a, b in zip(segs, segs[1:], strict=False):
            if not math.isclose(a.stop_hz, b.start_hz, rel_tol=1e-12):
                raise LimitFileError(
                    f"line {name} has a gap between {mhz_number(a.stop_hz)} and "
                    f"{format_mhz(b.start_hz)}",
                    path,
                )


def parse_limit_text(text: str, path: str = "<limit file>", sha256: str = "") -> LimitTable:
    """Parse and validate the TOML text of a limit file.

    Raises
    ------
    LimitFileError
        Syntax error, missing or unknown key, unknown port/unit/detector/status/
        interpolation/rule, start >= stop, overlapping segments, a gap inside a line, a line
        above the line of a higher-reading detector.
    """
    doc = _read_document(text, path)
    head = _header(doc, path)
    lines = _lines(doc, path)
    names = {ln.name for ln in lines}
    segments = _segments(doc, names, head, path)
    _check_contiguous(segments, names, path)
    _check_detector_order(lines, segments, path)
    statuses = [head.status] + [lv.status for s in segments for lv in s.levels.values()]
    return LimitTable(
        id=head.id,
        title=doc["title"],
        source=doc["source"],
        edition=doc["edition"],
        retrieved=doc["retrieved"],
        port=head.port,
        distance_m=head.distance_m,
        distance_rule=head.distance_rule,
        native_unit=doc["unit"],
        unit=head.unit,
        status=max(statuses, key=lambda s: STATUS_RANK[s]),
        lines=tuple(lines),
        segments=tuple(segments),
        notes=str(doc.get("notes", "")),
        edge_rule=head.edge_rule,
        path=path,
        sha256=sha256,
        upper_frequency_rule=head.upper_frequency_rule,
        regime=head.regime,
        peak_rule=head.peak_rule,
        device_class=head.device_class,
    )
