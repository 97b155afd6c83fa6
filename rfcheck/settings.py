"""What a check is asked to do: :class:`CheckSettings`, and the ``--setup`` TOML file.

A lab writes the setup file once (DUT, lab and test information, limits, distance,
transducers, batch rules); CLI options override it. Paths inside the file are relative to
the file itself. Documented with an example in the README ("Setup file").

Schema (every table optional)::

    [dut]    manufacturer, model, serial, description, highest_internal_frequency_hz
    [lab]    name, operator, site, accreditation
    [test]   date, standard, class, port, notes, report_title
    [check]  limits = ["fcc-15.107-a"], limit_files = [...], distance_m = 3.0,
             antenna_factor = "af.csv" | 12.5, cable_loss = ["cable.csv", 0.5], lisn = "lisn.csv" | 0.3,
             preamp_gain = "amp.csv" | 25.0, attenuator_db = 10.0, unit = "dBm",
             detector = "peak", format = "rs-ascii", max_suspects = 20,
             suspect_window_db = 6.0, volts_per_unit = 1.0, highest_frequency_hz = 700e6
    [[rule]] match = "radiated/*"   # glob on the capture path relative to the batch root
             (any [check] key: overrides the defaults for matching captures; later rules win)
    [batch]  include = ["**/*"], exclude = ["malformed/*"],
             group_pattern = "(?P<unit>.+?)_(?:L1|N|H|V)"  # regex on the file name
    [plan]   the test plan of ``rfcheck dossier`` (kept as given; parsed and validated by
             :mod:`rfcheck.product.plan`); a ``[[rule]]`` may also name its ``port`` or a
             ``port_regex`` for the dossier (kept in :attr:`Rule.product`)

``highest_frequency_hz`` defaults to ``[dut] highest_internal_frequency_hz`` (a value in
``[check]`` or a matching ``[[rule]]`` wins). A ``F|dB`` transducer value is either a number (a constant in dB) or a file path.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .capture import Detector, parse_detector
from .errors import SetupFileError, UnitError
from .units import LevelUnit, parse_level_unit

__all__ = ["CheckSettings", "Setup", "Rule", "BatchSettings", "load_setup", "parse_file_or_db"]


def parse_file_or_db(value: str | float | int | Path) -> float | Path:
    """Interpret a ``F|dB`` option: a number is a constant [dB], anything else a file path."""
    if isinstance(value, Path):
        return value
    if isinstance(value, bool):
        raise SetupFileError(f"expected a file path or a number of dB, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    try:
        return float(text.removesuffix("dB").strip())
    except ValueError:
        return Path(text)


@dataclass(frozen=True)
class CheckSettings:
    """Everything ``check`` needs besides the capture itself. Picklable (batch workers).

    Attributes
    ----------
    limit_ids : tuple of str
        Shipped limit tables by id (``fcc-15.107-b``).
    limit_files : tuple of Path
        User limit files in the documented TOML format.
    distance_m : float, optional
        Measurement distance; radiated limits are re-expressed at it (47 CFR 15.31(f)). [m]
    antenna_factor : float or Path, optional
        Antenna factor: constant [dB/m] or table.
    cable_loss : tuple of (float or Path)
        One entry per cable: constant [dB] or table.
    lisn : float or Path, optional
        LISN voltage-division factor. [dB]
    preamp_gain : float or Path, optional
        Preamplifier gain, subtracted. [dB]
    attenuator_db : float, optional
        External attenuator, added. [dB]
    unit, detector : optional
        Stated for files that do not say (never overrides what a file says).
    fmt : str, optional
        Reader name, skipping detection.
    max_suspects : int
        Cap on the suspect table per capture.
    suspect_window_db : float
        Peaks with margin below this are suspects. [dB]
    volts_per_unit : float, optional
        Scale of time-domain samples to volts at the receiver input. [V]
    highest_frequency_hz : float, optional
        Highest frequency generated or used in the device: a table with
        ``upper_frequency_rule = "fcc-15.33b1"`` is required only up to its 47 CFR 15.33(b)(1)
        upper measurement frequency. None: the whole table. [Hz]
    """

    limit_ids: tuple[str, ...] = ()
    limit_files: tuple[Path, ...] = ()
    distance_m: float | None = None
    antenna_factor: float | Path | None = None
    cable_loss: tuple[float | Path, ...] = ()
    lisn: float | Path | None = None
    preamp_gain: float | Path | None = None
    attenuator_db: float | None = None
    unit: LevelUnit | None = None
    detector: Detector | None = None
    fmt: str | None = None
    max_suspects: int = 20
    suspect_window_db: float = 6.0
    volts_per_unit: float | None = None
    highest_frequency_hz: float | None = None

    def override(self, **changes: Any) -> CheckSettings:
        """Copy with the given fields replaced; ``None``/empty values leave a field as is."""
        kept = {k: v for k, v in changes.items() if v is not None and v != ()}
        return dataclasses.replace(self, **kept)

    def transducer_paths(self) -> list[Path]:
        """Every table file the settings refer to (for the provenance appendix)."""
        out: list[Path] = []
        for item in (self.antenna_factor, *self.cable_loss, self.lisn, self.preamp_gain):
            if isinstance(item, Path):
                out.append(item)
        return out


@dataclass(frozen=True)
class Rule:
    """Per-capture overrides: ``match`` is a glob on the path relative to the batch root."""

    match: str
    overrides: Mapping[str, Any]
    #: Dossier keys (``port``, ``port_regex``), validated by :mod:`rfcheck.product.plan`.
    product: Mapping[str, Any] = field(default_factory=dict)

    def matches(self, rel_path: str) -> bool:
        p = PurePosixPath(rel_path)
        return fnmatch.fnmatch(rel_path, self.match) or p.match(self.match)


@dataclass(frozen=True)
class BatchSettings:
    """Folder walking and grouping for ``rfcheck batch``."""

    include: tuple[str, ...] = ("**/*",)
    exclude: tuple[str, ...] = ()
    group_pattern: str | None = None


@dataclass(frozen=True)
class Setup:
    """A parsed ``--setup`` file (or the empty default)."""

    path: Path | None = None
    sha256: str | None = None
    dut: Mapping[str, Any] = field(default_factory=dict)
    lab: Mapping[str, Any] = field(default_factory=dict)
    test: Mapping[str, Any] = field(default_factory=dict)
    check: CheckSettings = field(default_factory=CheckSettings)
    rules: tuple[Rule, ...] = ()
    batch: BatchSettings = field(default_factory=BatchSettings)
    #: The ``[plan]`` table as given (``rfcheck dossier``; see :mod:`rfcheck.product.plan`).
    plan: Mapping[str, Any] = field(default_factory=dict)

    def settings_for(self, rel_path: str) -> CheckSettings:
        """Defaults from ``[check]`` with every matching ``[[rule]]`` applied in order."""
        settings = self.check
        for rule in self.rules:
            if rule.matches(rel_path):
                settings = dataclasses.replace(settings, **rule.overrides)
        return settings


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
    "format",
    "max_suspects",
    "suspect_window_db",
    "volts_per_unit",
    "highest_frequency_hz",
}
#: ``[[rule]]`` keys read by ``rfcheck dossier`` only (:mod:`rfcheck.product.plan`).
_PRODUCT_RULE_KEYS = {"port", "port_regex"}


def _highest_hz(value: Any, where: str, path: Path) -> float:
    """A highest frequency [Hz]: a finite number > 0 (or a string of one, ``"700e6"``)."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SetupFileError(f"{where}: highest frequency must be a number of Hz, got {value!r}", path)
    if not (math.isfinite(value) and value > 0):
        raise SetupFileError(f"{where}: highest frequency must be finite and > 0 Hz, got {value!r}", path)
    return float(value)


def _check_fields(table: Mapping[str, Any], base: Path, where: str, path: Path) -> dict[str, Any]:
    unknown = set(table) - _CHECK_KEYS - {"match"}
    if unknown:
        raise SetupFileError(
            f"{where}: unknown key(s) {sorted(unknown)} (known: {sorted(_CHECK_KEYS)})", path
        )

    def rel(p: Any) -> Path:
        if not isinstance(p, str):
            raise SetupFileError(f"{where}: expected a file path string, got {p!r}", path)
        q = Path(p).expanduser()
        return q if q.is_absolute() else base / q

    def file_or_db(v: Any) -> float | Path:
        val = parse_file_or_db(v)
        return base / val if isinstance(val, Path) and not val.is_absolute() else val

    out: dict[str, Any] = {}
    try:
        if "limits" in table:
            lim = table["limits"]
            out["limit_ids"] = (lim,) if isinstance(lim, str) else tuple(str(x) for x in lim)
        if "limit_files" in table:
            out["limit_files"] = tuple(rel(p) for p in table["limit_files"])
        if "distance_m" in table:
            out["distance_m"] = float(table["distance_m"])
        if "antenna_factor" in table:
            af = table["antenna_factor"]
            out["antenna_factor"] = file_or_db(af) if isinstance(af, int | float) else rel(af)
        if "cable_loss" in table:
            cl = table["cable_loss"]
            out["cable_loss"] = tuple(file_or_db(x) for x in (cl if isinstance(cl, list) else [cl]))
        for key in ("lisn", "preamp_gain"):
            if key in table:
                out[key] = file_or_db(table[key])
        if "attenuator_db" in table:
            out["attenuator_db"] = float(table["attenuator_db"])
        if "unit" in table:
            out["unit"] = parse_level_unit(str(table["unit"]))
        if "detector" in table:
            det = parse_detector(str(table["detector"]))
            if det is None:
                raise SetupFileError(f"{where}: unknown detector {table['detector']!r}", path)
            out["detector"] = det
        if "format" in table:
            out["fmt"] = str(table["format"])
        if "max_suspects" in table:
            out["max_suspects"] = int(table["max_suspects"])
        if "suspect_window_db" in table:
            out["suspect_window_db"] = float(table["suspect_window_db"])
        if "volts_per_unit" in table:
            out["volts_per_unit"] = float(table["volts_per_unit"])
        if "highest_frequency_hz" in table:
            out["highest_frequency_hz"] = _highest_hz(table["highest_frequency_hz"], where, path)
    except UnitError as err:
        raise SetupFileError(f"{where}: {err.message}", path) from None
    except (TypeError, ValueError) as err:
        raise SetupFileError(f"{where}: {err}", path) from None
    return out


def load_setup(path: str | Path) -> Setup:
    """Parse a setup TOML file; paths inside it resolve relative to it.

    Raises
    ------
    SetupFileError
        Unreadable file, TOML syntax error, unknown key, wrong type, bad regex.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise SetupFileError(f"cannot read setup file: {err.strerror}", p) from None
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SetupFileError(f"not a valid TOML setup file: {err}", p) from None
    known = {"dut", "lab", "test", "check", "rule", "batch", "plan"}
    unknown = set(doc) - known
    if unknown:
        raise SetupFileError(f"unknown table(s) {sorted(unknown)} (known: {sorted(known)})", p)
    base = p.parent
    for key in ("dut", "lab", "test", "check", "batch", "plan"):
        if key in doc and not isinstance(doc[key], dict):
            raise SetupFileError(f"[{key}] must be a table", p)
    check_fields = _check_fields(doc.get("check", {}), base, "[check]", p)
    hif = doc.get("dut", {}).get("highest_internal_frequency_hz")
    if hif is not None and "highest_frequency_hz" not in check_fields:
        check_fields["highest_frequency_hz"] = _highest_hz(
            hif, "[dut] highest_internal_frequency_hz", p
        )
    check = CheckSettings(**check_fields)
    rules = []
    for i, tbl in enumerate(doc.get("rule", []), 1):
        if not isinstance(tbl, dict) or not isinstance(tbl.get("match"), str):
            raise SetupFileError(f"[[rule]] #{i} needs a 'match' glob string", p)
        product = {k: tbl[k] for k in _PRODUCT_RULE_KEYS if k in tbl}
        fields = {k: v for k, v in tbl.items() if k not in _PRODUCT_RULE_KEYS}
        rules.append(
            Rule(
                match=tbl["match"],
                overrides=_check_fields(fields, base, f"[[rule]] #{i}", p),
                product=product,
            )
        )
    b = doc.get("batch", {})
    pattern = b.get("group_pattern")
    if pattern is not None:
        try:
            rx = re.compile(pattern)
        except re.error as err:
            raise SetupFileError(f"[batch] group_pattern is not a valid regex: {err}", p) from None
        if "unit" not in rx.groupindex:
            raise SetupFileError("[batch] group_pattern needs a named group (?P<unit>...)", p)
    batch = BatchSettings(
        include=tuple(b.get("include", ("**/*",))),
        exclude=tuple(b.get("exclude", ())),
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
    )
