"""What a check is asked to do, as data: :class:`CheckSettings`, :class:`Setup` and its parts.

:class:`CheckSettings` holds everything ``check`` needs besides the capture and refuses
values no check can use; :class:`Setup` is a parsed ``--setup`` file (:class:`Rule` per-capture
overrides, :class:`BatchSettings` folder walking). The file itself is read and validated by
:func:`rfcheck.settings.setup_file.load_setup`.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..capture import Detector
from ..errors import AnalysisError, SetupFileError
from ..limits.distance import DISTANCE_RANGE_M
from ..units import LevelUnit
from ..verdict.decision import DecisionRule, parse_decision_rule

if TYPE_CHECKING:  # rfcheck.explain loads scipy: imported where used, not at start-up
    from ..explain.clocks import Clock

__all__ = [
    "BatchSettings",
    "CheckSettings",
    "PowerSource",
    "Rule",
    "Setup",
    "parse_file_or_db",
    "plan_port_names",
]


class PowerSource(StrEnum):
    """How the device is powered: ``[dut] power`` (default :attr:`MAINS`).

    ``battery``: the device only employs battery power and neither operates from the AC
    power lines nor has provision for operating while connected to them, so conducted
    measurements are not required (47 CFR 15.107(d)). A device with a charger that lets it
    operate while charging, an AC adaptor or battery eliminator, or that takes its power
    through another device connected to the AC power lines is ``mains`` (15.107(d), second
    sentence). See ``docs/dossier.md``, "The plan".
    """

    MAINS = "mains"
    BATTERY = "battery"


def plan_port_names(plan: Mapping[str, Any] | None, key: str) -> list[str]:
    """Return a ``[plan]`` list of port names as given (``mains_lines``, ``polarisations``).

    Read from the table as written, before :func:`rfcheck.product.plan.plan_from_setup`
    validates it, for the reports that name the plan's ports; [] when it is not a list.
    """
    names = (plan or {}).get(key)
    if isinstance(names, Sequence) and not isinstance(names, str):
        return [str(n) for n in names]
    return []


def _finite(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


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

    File paths are kept as given and shown so; a relative one is opened relative to the
    directory the run names (:func:`~rfcheck.analysis.run_check` ``base_dir``; the current
    one by default).

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
    rbw_hz : float, optional
        The RBW (at -6 dB) of traces whose file states none (``--rbw``, setup ``[check]
        rbw_hz``); a file stating another is an error, as for ``unit`` and ``detector``. [Hz]
    fmt : str, optional
        Reader name, skipping detection.
    max_suspects : int
        Cap on the suspect table per capture.
    suspect_window_db : float
        Peaks with margin below this are suspects. [dB]
    volts_per_unit : float, optional
        Scale of time-domain samples to volts at the receiver input. [V]
    center_frequency_hz : float, optional
        Centre frequency of an I/Q recording (``check --center-freq``, setup ``[check]
        center_frequency_hz``); replaces the file's, and is the only route for a file that
        states none. [Hz]
    highest_frequency_hz : float, optional
        Highest frequency generated or used in the device: a table with
        ``upper_frequency_rule = "fcc-15.33b1"`` is required only up to its 47 CFR 15.33(b)(1)
        upper measurement frequency. None: the whole table. [Hz]
    range_hz : (float, float), optional
        The frequency range the user means to judge (``check --range``, setup
        ``range_hz = [lo, hi]``): only readings inside it are judged, and coverage is
        counted over each limit's range intersected with it. None: each limit's whole
        range. [Hz]
    decision_rule : str
        The decision rule in force (``simple``, ``cispr16-4-2``, ``guard-band:DB``;
        ``check --decision-rule``, setup ``[check] decision_rule``; docs/explain.md).
    u_lab_db : tuple of (str, float)
        The lab's expanded uncertainty U_lab per port name (``conducted``, ``radiated`` or a
        port label); the name ``""`` holds one value for every port (setup ``[test]
        u_lab_db``). Needed by ``cispr16-4-2``. [dB]
    device_class : str, optional
        The class of the device, ``A`` or ``B`` (:attr:`Setup.device_class`): a Class A
        device judged against Class B limits gets a note
        (:func:`rfcheck.limits.device_class.class_note`). None: not stated.
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
    rbw_hz: float | None = None
    fmt: str | None = None
    max_suspects: int = 20
    suspect_window_db: float = 6.0
    volts_per_unit: float | None = None
    center_frequency_hz: float | None = None
    highest_frequency_hz: float | None = None
    range_hz: tuple[float, float] | None = None
    decision_rule: str = "simple"
    u_lab_db: tuple[tuple[str, float], ...] = ()
    device_class: str | None = None

    def __post_init__(self) -> None:
        """Refuse values no check can use (the Python API meets the CLI's and the setup's rules).

        Raises
        ------
        AnalysisError
            ``max_suspects`` not an integer >= 0; a non-finite ``suspect_window_db``,
            ``attenuator_db``, ``rbw_hz``, ``volts_per_unit``, ``center_frequency_hz`` or
            ``highest_frequency_hz`` (or <= 0); ``distance_m`` outside
            :data:`~rfcheck.limits.DISTANCE_RANGE_M`; ``range_hz`` not (lo, hi) with 0 <= lo < hi.
        """
        problems = []
        if (
            isinstance(self.max_suspects, bool)
            or not isinstance(self.max_suspects, int)
            or self.max_suspects < 0
        ):
            problems.append(f"max_suspects must be an integer >= 0, got {self.max_suspects!r}")
        if not _finite(self.suspect_window_db):
            problems.append(
                f"suspect_window_db must be a finite number of dB, got {self.suspect_window_db!r}"
            )
        if self.attenuator_db is not None and not _finite(self.attenuator_db):
            problems.append(
                f"attenuator_db must be a finite number of dB, got {self.attenuator_db!r}"
            )
        for name in ("rbw_hz", "volts_per_unit", "center_frequency_hz", "highest_frequency_hz"):
            value = getattr(self, name)
            if value is not None and not (_finite(value) and value > 0):
                problems.append(f"{name} must be a finite number > 0, got {value!r}")
        lo, hi = DISTANCE_RANGE_M
        if self.distance_m is not None and not (
            _finite(self.distance_m) and lo <= self.distance_m <= hi
        ):
            problems.append(f"distance_m must be {lo:g} .. {hi:g} m, got {self.distance_m!r}")
        if self.range_hz is not None and not (
            len(self.range_hz) == 2
            and all(_finite(x) for x in self.range_hz)
            and 0 <= self.range_hz[0] < self.range_hz[1]
        ):
            problems.append(
                f"range_hz must be (lo, hi) in Hz with 0 <= lo < hi, got {self.range_hz!r}"
            )
        try:
            parse_decision_rule(self.decision_rule)
        except (ValueError, AttributeError) as err:
            problems.append(str(err))
        if problems:
            raise AnalysisError("; ".join(problems))

    @property
    def rule(self) -> DecisionRule:
        """The decision rule in force, parsed."""
        return parse_decision_rule(self.decision_rule)

    def u_lab_for(self, *ports: str) -> float | None:
        """Return U_lab [dB] for the first of ``ports`` the setup names.

        Else the setup's one value, else None.
        """
        table = dict(self.u_lab_db)
        for port in (*ports, ""):
            if port in table:
                return table[port]
        return None

    def for_port(self, label: str | None) -> CheckSettings:
        """Return the settings of a capture placed in the port ``label`` (``L1``, ``H``).

        A port label ``u_lab_db`` names is looked up before the port's kind (``conducted``,
        ``radiated``) and the one value for every port: the label's U_lab becomes this
        capture's one value (``docs/explain.md``, "Decision rules"). Unchanged when the label
        is not named (or None: ``check``, which knows no port labels).
        """
        table = dict(self.u_lab_db)
        if not label or label not in table:
            return self
        return dataclasses.replace(self, u_lab_db=(("", table[label]),))

    def override(self, **changes: Any) -> CheckSettings:
        """Copy with the given fields replaced; ``None``/empty values leave a field as is."""
        kept = {k: v for k, v in changes.items() if v is not None and v != ()}
        return dataclasses.replace(self, **kept)

    def transducer_paths(self) -> list[Path]:
        """Every table file the settings refer to, as given (for the provenance appendix)."""
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
    #: ``"ambient"``: matching captures are ambient scans (DUT off), not judged as the DUT's
    role: str | None = None

    def matches(self, rel_path: str) -> bool:
        """Return True when ``rel_path`` (relative, forward slashes) matches this rule's glob."""
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
    #: The customs-record tables as given (``[[equipment]]``, ``[compliance]``...: see
    #: :data:`~rfcheck.settings.setup_file.RECORD_TABLES`), parsed by
    #: :func:`rfcheck.record.parse_record` in the dossier.
    record: Mapping[str, Any] = field(default_factory=dict)
    #: The DUT's declared sources (``[[dut.clock]]``), validated.
    clocks: tuple[Clock, ...] = ()

    def unit_serial(self, unit: str, n_units: int) -> str | None:
        """Return the serial number of the device ``unit`` measured (None: not stated).

        ``[dut.serials]`` maps unit names to serial numbers; ``[dut] serial`` names the unit
        of a one-unit run (``n_units`` units found). With several units and no entry for
        this one, None: never another unit's serial (docs/record.md).
        """
        serials = self.dut.get("serials")
        if isinstance(serials, Mapping) and unit in serials:
            serial = serials[unit]
        elif n_units == 1:
            serial = self.dut.get("serial")
        else:
            serial = None
        return (serial.strip() or None) if isinstance(serial, str) else None

    @property
    def device_class_key(self) -> str:
        """Return where the setup states the device class: ``[dut] class``, else ``[test] class``.

        ``""`` when neither does. ``rfcheck dossier`` judges the limits of this class
        (:func:`rfcheck.product.plan.plan_from_setup`); the other commands check the limits
        they are given against it (:mod:`rfcheck.limits.device_class`).
        """
        return next(iter(self.stated_classes), "")

    @property
    def stated_classes(self) -> dict[str, str]:
        """Return each statement of the device class, upper-cased: ``[dut] class`` first."""
        return {
            key: str(table["class"]).strip().upper()
            for table, key in ((self.dut, "[dut] class"), (self.test, "[test] class"))
            if "class" in table
        }

    @property
    def power(self) -> PowerSource:
        """Return how the device is powered, ``[dut] power`` (validated on load; default mains)."""
        return PowerSource(self.dut.get("power", PowerSource.MAINS.value))

    @property
    def device_class(self) -> str | None:
        """Return the class the setup states (:attr:`device_class_key`), upper-cased; or None."""
        return next(iter(self.stated_classes.values()), None)

    def plan_limits_hint(self, port: str | None | bool = False) -> str:
        """Return what a "no limit given" message adds for a setup written for the dossier.

        Every command takes a ``[plan]``'s limits (``rfcheck dossier``'s test plan) for a
        file whose rules name none, by the port the setup's rules give it; ``port`` is that
        port (None: none; False: no file in question, no rule giving any port): the hint says
        why the plan's limits do not apply. "" for a setup without a ``[plan]``.
        """
        if not self.plan:
            return ""
        if port is False:
            return (
                " (this setup's [plan] limits apply to the captures a [[rule]] gives a port "
                "(port or port_regex); no rule gives one)"
            )
        if not port:
            return (
                " (this setup's [plan] limits apply to a file a [[rule]] gives a port "
                "(port or port_regex); none gives this one)"
            )
        return f" (port {port} is not one of this setup's [plan] ports)"

    def settings_for(self, rel_path: str) -> CheckSettings:
        """Defaults from ``[check]`` with every matching ``[[rule]]`` applied in order."""
        settings = self.check
        for rule in self.rules:
            if rule.matches(rel_path):
                settings = dataclasses.replace(settings, **rule.overrides)
        return settings

    def is_ambient(self, rel_path: str) -> bool:
        """Return True when the last matching ``[[rule]]`` with a ``role`` says ``"ambient"``."""
        role = None
        for rule in self.rules:
            if rule.role is not None and rule.matches(rel_path):
                role = rule.role
        return role == "ambient"
