"""Emission limit tables: the model, the TOML loader/validator, and distance conversion.

The tables themselves are data files (top-level ``limits/``, installed as the package
``rfcheck.limit_tables``); their format is documented in ``limits/README.md``. Values are
stored as the regulation prints them (µV/m for the CFR radiated tables) and converted here.

Id naming: the suffix of the FCC ids is the device **class**, not the CFR paragraph letter:
``fcc-15.107-a`` = Class A = 47 CFR 15.107(b); ``fcc-15.107-b`` = Class B = 15.107(a);
``fcc-15.109-a`` = Class A @ 10 m = 15.109(b); ``fcc-15.109-b`` = Class B @ 3 m = 15.109(a).

Edge rule: where two segments of a line meet, the tighter (lower) limit applies at the
shared frequency (47 CFR 15.107(a)/(b), 15.109(c); CISPR 32 "the lower limit shall apply at
the transition frequencies"). Every line's range is closed: both end frequencies are judged.

References
----------
47 CFR 15.107, 15.109, 15.35(b), 15.31(f)(1)-(2); CISPR 32:2012 Tables A.4, A.5.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .capture import Detector, parse_detector
from .errors import LimitFileError
from .units import LevelUnit

__all__ = [
    "STATUSES",
    "LineSpec",
    "LineLevel",
    "Segment",
    "LimitTable",
    "parse_limit_text",
    "load_limit_file",
    "shipped_ids",
    "load_shipped",
    "resolve_limit",
    "distance_offset_db",
]

#: Status tags of standards.md: primary, secondary, derived, unconfirmed.
STATUSES = ("P", "S", "D", "UNCONFIRMED")
_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}

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
    "id", "title", "source", "edition", "retrieved", "port", "distance_m", "distance_rule",
    "unit", "status", "edge_rule", "notes", "lines", "segment",
}
_REQUIRED = ("id", "title", "source", "edition", "retrieved", "port", "unit", "status", "lines", "segment")
_SEG_KEYS = {
    "start_mhz", "stop_mhz", "start_hz", "stop_hz", "interpolation", "status", "include_start",
}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_LINE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
#: Frequency below which 15.31(f)(2) (40 dB/decade) applies instead of (f)(1). [Hz]
F_DISTANCE_SPLIT_HZ = 30e6


@dataclass(frozen=True)
class LineSpec:
    """One limit line of a table (``QP``, ``AV``, ``PK``) and the detector it is defined for."""

    name: str
    detector: Detector


@dataclass(frozen=True)
class LineLevel:
    """A line's level over one segment. [dB in the table's internal unit]

    ``start_db == stop_db`` for flat segments; log-f segments ramp linearly in log f.
    """

    start_db: float
    stop_db: float
    status: str


@dataclass(frozen=True)
class Segment:
    """A frequency range [start_hz, stop_hz] with the levels of the lines defined there."""

    start_hz: float
    stop_hz: float
    interpolation: str  #: "flat" or "log-f"
    levels: Mapping[str, LineLevel]
    status: str
    include_start: bool = True  #: False: the segment starts just above start_hz ("above 1000 MHz")

    def level(self, line: str, freq_hz: NDArray[np.float64]) -> NDArray[np.float64]:
        """Level of ``line`` at ``freq_hz`` (assumed inside the segment). [dB]"""
        lv = self.levels[line]
        if self.interpolation == "flat" or lv.start_db == lv.stop_db:
            return np.full(freq_hz.shape, lv.start_db)
        frac = np.log10(freq_hz / self.start_hz) / math.log10(self.stop_hz / self.start_hz)
        return lv.start_db + (lv.stop_db - lv.start_db) * frac


def distance_offset_db(
    freq_hz: ArrayLike, spec_distance_m: float, meas_distance_m: float
) -> NDArray[np.float64]:
    """Change of a field-strength limit when re-expressed at the measurement distance.

    ``limit(d_meas) = limit(d_spec) + offset``, offset = k·log10(d_spec / d_meas) with
    k = 20 dB/decade at and above 30 MHz (47 CFR 15.31(f)(1), inverse linear distance) and
    k = 40 dB/decade below 30 MHz (15.31(f)(2), square of inverse linear distance).

    Parameters
    ----------
    freq_hz : array_like
        Frequencies. [Hz]
    spec_distance_m, meas_distance_m : float
        Distance the limit is specified at / the measurement was made at. [m]

    Returns
    -------
    ndarray
        Offset to add to the limit. [dB] (10 m -> 3 m: +10.4576 dB above 30 MHz.)

    References
    ----------
    47 CFR 15.31(f)(1) and (f)(2); standards.md section 2e.
    """
    f = np.asarray(freq_hz, dtype=float)
    ratio = math.log10(spec_distance_m / meas_distance_m)
    return np.where(f >= F_DISTANCE_SPLIT_HZ, 20.0 * ratio, 40.0 * ratio)


@dataclass(frozen=True, eq=False)
class LimitTable:
    """A validated limit table (one TOML file).

    ``id``/``title``/``source`` (the clause)/``edition``/``retrieved`` give provenance;
    ``port`` is conducted|radiated; ``distance_m`` [m] the specified distance and
    ``distance_rule`` ``fcc-15.31f`` (re-expressible) or ``none``; ``native_unit`` the unit
    printed in the file, ``unit`` the internal dB unit of every level; ``status`` the worst
    tag (P, S, D, UNCONFIRMED); ``segments`` sorted by start; ``path``/``sha256`` the source.
    """

    id: str
    title: str
    source: str
    edition: str
    retrieved: str
    port: str
    distance_m: float | None
    distance_rule: str
    native_unit: str
    unit: LevelUnit
    status: str
    lines: tuple[LineSpec, ...]
    segments: tuple[Segment, ...]
    notes: str = ""
    edge_rule: str = "tighter"
    path: str = ""
    sha256: str = ""
    shipped: bool = False

    @property
    def line_names(self) -> tuple[str, ...]:
        return tuple(ln.name for ln in self.lines)

    def line(self, name: str) -> LineSpec:
        for ln in self.lines:
            if ln.name == name:
                return ln
        raise KeyError(name)

    def line_range(self, name: str) -> tuple[float, float]:
        """Closed frequency range ``name`` is defined over. [Hz]"""
        segs = [s for s in self.segments if name in s.levels]
        return (segs[0].start_hz, segs[-1].stop_hz)

    @property
    def range_hz(self) -> tuple[float, float]:
        return (self.segments[0].start_hz, self.segments[-1].stop_hz)

    def breakpoints(self, name: str) -> NDArray[np.float64]:
        """Segment edges of ``name``. [Hz]"""
        pts = {s.start_hz for s in self.segments if name in s.levels}
        pts |= {s.stop_hz for s in self.segments if name in s.levels}
        return np.array(sorted(pts))

    def check_distance(self, meas_distance_m: float | None) -> None:
        """Raise :class:`LimitFileError` when the table cannot be used at that distance."""
        if meas_distance_m is None or self.port != "radiated" or self.distance_m is None:
            return
        if not (math.isfinite(meas_distance_m) and meas_distance_m > 0):
            raise LimitFileError(
                f"measurement distance must be a finite number > 0 m, got {meas_distance_m}"
            )
        if self.distance_rule == "none" and not math.isclose(meas_distance_m, self.distance_m):
            raise LimitFileError(
                f"limit {self.id} is defined at {self.distance_m:g} m and is not re-expressed "
                f"at other distances (distance_rule = none); measured at {meas_distance_m:g} m: "
                "use the table for your distance"
            )

    def distance_note(self, meas_distance_m: float | None) -> str:
        """Human description of the distance conversion applied (for the report)."""
        if self.port != "radiated" or self.distance_m is None:
            if meas_distance_m is not None:
                return f"conducted limit: --distance {meas_distance_m:g} m does not apply"
            return ""
        if meas_distance_m is None or math.isclose(meas_distance_m, self.distance_m):
            return f"limit as specified at {self.distance_m:g} m (no distance conversion)"
        ratio = math.log10(self.distance_m / meas_distance_m)
        lo, _hi = self.range_hz
        text = (
            f"limit re-expressed from {self.distance_m:g} m to the measurement distance "
            f"{meas_distance_m:g} m by 47 CFR 15.31(f)(1), 20 dB/decade: "
            f"{20 * ratio:+.2f} dB at and above 30 MHz"
        )
        if lo < F_DISTANCE_SPLIT_HZ:
            text += f"; 15.31(f)(2), 40 dB/decade below 30 MHz: {40 * ratio:+.2f} dB"
        return text

    def level_at(
        self, name: str, freq_hz: ArrayLike, meas_distance_m: float | None = None
    ) -> NDArray[np.float64]:
        """Limit of line ``name`` at ``freq_hz``, at the measurement distance.

        Frequencies outside the line's range give NaN. At a frequency shared by two
        segments the lower level applies (edge rule ``tighter``).

        Parameters
        ----------
        name : str
            Line name (``QP``).
        freq_hz : array_like
            Frequencies. [Hz]
        meas_distance_m : float, optional
            Measurement distance; radiated limits are re-expressed at it (15.31(f)). [m]

        Returns
        -------
        ndarray
            Limit. [``self.unit``]
        """
        f = np.atleast_1d(np.asarray(freq_hz, dtype=float))
        out = np.full(f.shape, np.inf)
        for seg in self.segments:
            if name not in seg.levels:
                continue
            above = f >= seg.start_hz if seg.include_start else f > seg.start_hz
            inside = above & (f <= seg.stop_hz)
            if inside.any():
                out[inside] = np.minimum(out[inside], seg.level(name, f[inside]))
        out[np.isinf(out)] = np.nan
        if (
            meas_distance_m is not None
            and self.port == "radiated"
            and self.distance_m is not None
            and not math.isclose(meas_distance_m, self.distance_m)
        ):
            self.check_distance(meas_distance_m)
            out = out + distance_offset_db(f, self.distance_m, meas_distance_m)
        return out

    def sample(
        self, name: str, meas_distance_m: float | None = None, per_segment: int = 64
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Dense (f, level) points for drawing the line: steps at breakpoints, log slopes.

        Each segment is sampled log-spaced from just after its start to its stop so that a
        step at a breakpoint is drawn vertically. [Hz], [``self.unit``]
        """
        fs: list[NDArray[np.float64]] = []
        ls: list[NDArray[np.float64]] = []
        for seg in self.segments:
            if name not in seg.levels:
                continue
            n = per_segment if seg.interpolation == "log-f" else 2
            f = np.geomspace(seg.start_hz, seg.stop_hz, n)
            if self.port == "radiated" and seg.start_hz < F_DISTANCE_SPLIT_HZ < seg.stop_hz:
                f = np.union1d(f, [F_DISTANCE_SPLIT_HZ * (1 - 1e-9), F_DISTANCE_SPLIT_HZ])
            lev = seg.level(name, f)
            if self.port == "radiated" and meas_distance_m is not None and self.distance_m:
                if not math.isclose(meas_distance_m, self.distance_m):
                    lev = lev + distance_offset_db(f, self.distance_m, meas_distance_m)
            fs.append(f)
            ls.append(lev)
        return np.concatenate(fs), np.concatenate(ls)

    def unconfirmed(self) -> list[str]:
        """Descriptions of every UNCONFIRMED value (empty when none)."""
        out = []
        for seg in self.segments:
            for name, lv in seg.levels.items():
                if lv.status == "UNCONFIRMED":
                    out.append(
                        f"{self.id} {name} {seg.start_hz / 1e6:g}-{seg.stop_hz / 1e6:g} MHz "
                        f"({lv.start_db:.2f} {self.unit.value}) is UNCONFIRMED"
                    )
        return out

    def describe(self, meas_distance_m: float | None = None) -> dict[str, Any]:
        """JSON-ready summary (``CaptureResult.limits`` entry, ``limits show -o json``)."""
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "edition": self.edition,
            "retrieved": self.retrieved,
            "port": self.port,
            "distance_m": self.distance_m,
            "measurement_distance_m": meas_distance_m,
            "distance_note": self.distance_note(meas_distance_m),
            "unit": self.unit.value,
            "native_unit": self.native_unit,
            "status": self.status,
            "edge_rule": self.edge_rule,
            "lines": {ln.name: ln.detector.value for ln in self.lines},
            "unconfirmed": self.unconfirmed(),
            "path": self.path,
            "sha256": self.sha256,
        }


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
        return 20.0 * math.log10(value)
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
    """Within every segment, a line of a lower-reading detector may not be above one of a
    higher-reading detector (AV <= QP <= PK), at either end of the segment."""
    ranked = [(ln.name, _DETECTOR_RANK[ln.detector]) for ln in lines if ln.detector in _DETECTOR_RANK]
    for seg in segments:
        for lo_name, lo_rank in ranked:
            for hi_name, hi_rank in ranked:
                if lo_rank >= hi_rank or lo_name not in seg.levels or hi_name not in seg.levels:
                    continue
                a, b = seg.levels[lo_name], seg.levels[hi_name]
                if a.start_db > b.start_db + 1e-9 or a.stop_db > b.stop_db + 1e-9:
                    raise LimitFileError(
                        f"segment {seg.start_hz / 1e6:g}-{seg.stop_hz / 1e6:g} MHz: line {lo_name} "
                        f"is above line {hi_name}, but its detector reads lower for every signal "
                        "(PK >= QP >= AV, CISPR 16-1-1)",
                        path,
                    )


def parse_limit_text(text: str, path: str = "<limit file>", sha256: str = "") -> LimitTable:
    """Parse and validate the TOML text of a limit file.

    Raises
    ------
    LimitFileError
        Syntax error, missing or unknown key, unknown port/unit/detector/status/
        interpolation, start >= stop, overlapping segments, a gap inside a line.
    """
    try:
        doc = tomllib.loads(text)
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
    lid = doc["id"]
    if not _ID_RE.match(lid):
        raise LimitFileError(f"key 'id': {lid!r} must be lower-case letters, digits, . _ -", path)
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
    file_status = _status(doc["status"], "key 'status'", path)
    edge = doc.get("edge_rule", "tighter")
    if edge != "tighter":
        raise LimitFileError(f"key 'edge_rule': only 'tighter' is supported, got {edge!r}", path)
    distance = None
    rule = doc.get("distance_rule", "none")
    if rule not in ("fcc-15.31f", "none"):
        raise LimitFileError(f"key 'distance_rule': {rule!r} is not 'fcc-15.31f' or 'none'", path)
    if port == "radiated":
        if "distance_m" not in doc:
            raise LimitFileError("a radiated limit needs 'distance_m'", path)
        distance = _number(doc["distance_m"], "key 'distance_m'", path)
        if distance <= 0:
            raise LimitFileError("key 'distance_m' must be > 0", path)
    elif "distance_m" in doc:
        raise LimitFileError("key 'distance_m' is only for radiated limits", path)

    if not isinstance(doc["lines"], dict) or not doc["lines"]:
        raise LimitFileError("[lines] must map line names to detectors, e.g. QP = \"quasi-peak\"", path)
    lines = []
    for name, det_text in doc["lines"].items():
        if not _LINE_RE.match(name):
            raise LimitFileError(f"[lines]: bad line name {name!r}", path)
        det = parse_detector(str(det_text))
        if det is None or det is Detector.UNKNOWN:
            raise LimitFileError(f"[lines] {name}: unknown detector {det_text!r}", path)
        lines.append(LineSpec(name, det))
    names = {ln.name for ln in lines}

    raw_segs = doc["segment"]
    if not isinstance(raw_segs, list) or not raw_segs:
        raise LimitFileError("needs at least one [[segment]]", path)
    segments = []
    for i, seg in enumerate(raw_segs, 1):
        where = f"[[segment]] #{i}"
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
        seg_status = _status(seg.get("status", file_status), where, path)
        levels = {
            n: _parse_level(seg[n], interp, conv, seg_status, f"{where} {n}", path)
            for n in sorted(names & set(seg))
        }
        if not levels:
            raise LimitFileError(f"{where}: defines no line level", path)
        inc = seg.get("include_start", True)
        if not isinstance(inc, bool):
            raise LimitFileError(f"{where}: include_start must be true or false", path)
        segments.append(Segment(start, stop, interp, levels, seg_status, inc))
    segments.sort(key=lambda s: s.start_hz)
    for a, b in zip(segments, segments[1:], strict=False):
        if b.start_hz < a.stop_hz:
            raise LimitFileError(
                f"segments overlap: {a.start_hz / 1e6:g}-{a.stop_hz / 1e6:g} MHz and "
                f"{b.start_hz / 1e6:g}-{b.stop_hz / 1e6:g} MHz",
                path,
            )
    for name in names:
        segs = [s for s in segments if name in s.levels]
        if not segs:
            raise LimitFileError(f"line {name} has no segment", path)
        for a, b in zip(segs, segs[1:], strict=False):
            if not math.isclose(a.stop_hz, b.start_hz, rel_tol=1e-12):
                raise LimitFileError(
                    f"line {name} has a gap between {a.stop_hz / 1e6:g} and "
                    f"{b.start_hz / 1e6:g} MHz",
                    path,
                )
    _check_detector_order(lines, segments, path)
    statuses = [file_status] + [lv.status for s in segments for lv in s.levels.values()]
    worst = max(statuses, key=lambda s: _STATUS_RANK[s])
    return LimitTable(
        id=lid,
        title=doc["title"],
        source=doc["source"],
        edition=doc["edition"],
        retrieved=doc["retrieved"],
        port=port,
        distance_m=distance,
        distance_rule=rule if port == "radiated" else "none",
        native_unit=doc["unit"],
        unit=unit,
        status=worst,
        lines=tuple(lines),
        segments=tuple(segments),
        notes=str(doc.get("notes", "")),
        edge_rule=edge,
        path=path,
        sha256=sha256,
    )


def load_limit_file(path: str | Path) -> LimitTable:
    """Load a user limit file (same format as the shipped tables).

    Raises
    ------
    LimitFileError
        Unreadable or malformed file (the message names the file and the key).
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise LimitFileError(f"cannot read limit file: {err.strerror}", p) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LimitFileError("limit file is not UTF-8 text", p) from None
    return parse_limit_text(text, str(p), hashlib.sha256(raw).hexdigest())


_PACKAGE = "rfcheck.limit_tables"


@functools.lru_cache(maxsize=1)
def _shipped_root() -> Traversable:
    """Folder of the shipped tables: the ``rfcheck.limit_tables`` package of an installed
    rfcheck (the top-level ``limits/`` folder, mapped in by pyproject.toml), or ``limits/``
    beside the package when rfcheck runs from a source checkout (``python -m rfcheck`` in the
    repository, worker processes started there)."""
    try:
        return files(_PACKAGE)
    except ModuleNotFoundError:
        return files("rfcheck").joinpath("..", "limits")


def shipped_ids() -> list[str]:
    """Ids of the limit tables shipped in the wheel, sorted."""
    root = _shipped_root()
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
    res = _shipped_root() / f"{limit_id}.toml"
    raw = res.read_bytes()
    table = parse_limit_text(
        raw.decode("utf-8"), f"{_PACKAGE}/{limit_id}.toml", hashlib.sha256(raw).hexdigest()
    )
    if table.id != limit_id:  # pragma: no cover - packaging error
        raise LimitFileError(f"shipped file {limit_id}.toml declares id {table.id!r}")
    return replace(table, shipped=True)


def resolve_limit(spec: str) -> LimitTable:
    """A shipped id, or else a path to a limit file."""
    if spec in shipped_ids():
        return load_shipped(spec)
    if Path(spec).is_file():
        return load_limit_file(spec)
    return load_shipped(spec)  # raises with the list of known ids

