"""Which capture fills which cell: discovery, units, ports, and the error rows.

Every capture found under the dossier's folders (``[batch] include`` / ``exclude``) goes to
one unit (``[batch] group_pattern`` on the file name; one unit when the setup has none) and
to one port: the last matching ``[[rule]]`` that names a ``port``, or whose ``port_regex``
(searched in the path relative to the folder) has a ``port`` group. A capture is an error
row, never silently used or dropped, when no rule names its port, its port is not in the
plan, it is of the other port type (a field-strength capture or an antenna factor under a
mains line; a conducted capture without an antenna factor, or a LISN, under a
polarisation), or its frequency span lies outside every cell of its port, unless it lies
above them all, beyond the 47 CFR 15.33(b)(1) range (:attr:`Assigned.beyond_required`:
judged for exceedances only, :mod:`rfcheck.product.beyond`).

A capture whose own header states another device than the unit's (``dut_model``,
``dut_serial``: :mod:`rfcheck.dut_identity`) is placed but set aside
(:attr:`Assigned.other_device`): it is no evidence for the unit, so the cells it would fill
are not measured for it, and its record says why. So is a capture whose content (SHA-256)
is also filed under another unit, or another port of its unit (:attr:`Assigned.shared`,
:mod:`rfcheck.shared_content`): one measurement is the record of one unit and one port, and
cannot be told to be this one's. See
``docs/dossier.md``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..batch.discover import compile_group_pattern, discover_inputs, group_key, setup_files
from ..capture import Capture
from ..dut_identity import DutIdentity, other_device, same_value, stated_dut
from ..errors import RfcheckError
from ..io import detect_format, load_capture
from ..results import ErrorRecord
from ..settings import CheckSettings, Setup
from ..shared_content import SharedContent
from ..units import LevelUnit
from .plan import PortKind, RequiredCell, TestPlan, plan_from_setup
from .span import beyond_cells, capture_span_hz, outside

__all__ = [
    "DEFAULT_UNIT",
    "UNGROUPED_UNIT",
    "FOUND_SUSPECT_WINDOW_DB",
    "FOUND_MAX_SUSPECTS",
    "Found",
    "Assigned",
    "OtherDevice",
    "SharedCapture",
    "UnreadableCapture",
    "unit_identity",
    "set_aside_other_device",
    "set_aside_conflicting",
    "set_aside_shared",
    "discover_captures",
    "unit_of",
    "port_of",
    "plan_limits",
    "with_plan_limits",
    "with_plan_limits_at",
    "port_settings",
    "assign",
    "RECORDING_FORMATS",
    "is_recording",
    "with_receiver_traces",
]

#: The unit name when the setup has no ``[batch] group_pattern``.
DEFAULT_UNIT = "unit"
#: The unit of files whose name the group pattern does not match.
UNGROUPED_UNIT = "ungrouped"
#: Emission candidates for the final table: every peak within this of the limit. [dB]
FOUND_SUSPECT_WINDOW_DB = 40.0
#: ... at most this many per port (every line, every trace's reading).
FOUND_MAX_SUSPECTS = 400


@dataclass(frozen=True)
class Found:
    """A capture file found under a dossier folder."""

    path: Path
    rel: str  #: POSIX path relative to the folder walked
    unit: str


@dataclass(frozen=True)
class OtherDevice:
    """A capture whose header states another device than the unit it is filed under.

    ``stated`` is what its header states (``dut_model``, ``dut_serial``), ``unit`` what the
    setup says the unit is (:func:`unit_identity`).
    """

    path: str
    port: str
    unit_name: str
    stated: DutIdentity
    unit: DutIdentity
    #: Set when the setup names no model (serial) for the unit but the unit's own captures
    #: state more than one: what they state (``2 serials: S-1 (a.csv); S-2 (b.csv)``). None
    #: of them can be attributed to the unit (:func:`set_aside_conflicting`).
    conflict: str = ""

    @property
    def message(self) -> str:
        """``<file>: its header states model HC-9, serial X; unit rigF is model HC-3A, ...``."""
        if self.conflict:
            return (
                f"{self.path}: its header states {self.stated.text()}; the captures of unit "
                f"{self.unit_name} state {self.conflict}, and the setup names none as the "
                "unit's: not attributable to one device, not used for this unit"
            )
        return (
            f"{self.path}: its header states {self.stated.text()}; unit {self.unit_name} is "
            f"{self.unit.text()}: a capture of another device, not used for this unit"
        )

    def to_json(self) -> dict[str, object]:
        """Return it as a JSON-ready mapping (the dossier's ``other_device`` entries)."""
        return {
            "path": self.path,
            "port": self.port,
            "stated": {"model": self.stated.model, "serial": self.stated.serial},
            "unit": {"model": self.unit.model, "serial": self.unit.serial},
            "conflict": self.conflict or None,
        }


@dataclass(frozen=True)
class SharedCapture:
    """A capture whose content (SHA-256) is also filed under another unit or port.

    ``content`` names every file holding it (:func:`rfcheck.shared_content.shared_content`);
    the capture is set aside in each of those units (ports): under another port of its own
    unit (the H file copied as V), one measurement is presented as two.
    """

    path: str
    port: str
    unit_name: str
    content: SharedContent

    @property
    def others(self) -> str:
        """The others: ``unit hc3c (radiated/hc3c_V.DAT)``, ``port V of unit hc3b (...)``."""
        return self.content.others_text(self.unit_name, self.port)

    @property
    def other_ports(self) -> tuple[str, ...]:
        """The other ports of its own unit holding the content, each once."""
        return tuple(
            dict.fromkeys(
                f.port
                for f in self.content.others(self.unit_name, self.port)
                if f.unit == self.unit_name
            )
        )

    @property
    def one_unit(self) -> bool:
        """Whether only other ports of its own unit hold the content (no other unit)."""
        return not self.content.other_units(self.unit_name)

    @property
    def message(self) -> str:
        """``<file>: the same content (SHA-256 ...) is filed under unit hc3c (<file>): ...``."""
        head = (
            f"{self.path}: the same content (SHA-256 {self.content.sha256[:12]}...) is filed "
            f"under {self.others}"
        )
        if self.other_ports:
            ports = " and ".join([self.port, *self.other_ports])
            return (
                f"{head}: one measurement presented as ports {ports}, not used for port "
                f"{self.port} of unit {self.unit_name}"
            )
        return f"{head}: one measurement, not used for unit {self.unit_name}"

    def to_json(self) -> dict[str, object]:
        """Return it as a JSON-ready mapping (the dossier's ``shared_content`` entries)."""
        return {
            "path": self.path,
            "port": self.port,
            "sha256": self.content.sha256,
            "also_filed_under": [
                {"unit": f.unit, "port": f.port or None, "path": str(f.path)}
                for f in self.content.others(self.unit_name, self.port)
            ],
        }


@dataclass(frozen=True)
class Assigned:
    """A capture placed in a port, with the settings it is judged with."""

    path: Path
    rel: str
    unit: str
    port: str
    settings: CheckSettings
    span_hz: tuple[float, float]  #: lowest and highest frequency the capture holds [Hz]
    #: The loaded capture (its header names the instruments the record cross-checks).
    capture: Capture | None = field(default=None, compare=False, repr=False)
    #: Set when the capture's header states another device than the unit's: it is set aside
    #: (judged for no cell; :func:`set_aside_other_device`).
    other_device: OtherDevice | None = None
    #: Set when the capture's content is also filed under another unit: it is set aside
    #: (judged for no cell; :func:`set_aside_shared`).
    shared: SharedCapture | None = None
    #: Set when the capture lies above every cell of its port (beyond the 47 CFR 15.33(b)(1)
    #: range): judged for no cell, for exceedances only (:mod:`rfcheck.product.beyond`).
    beyond_required: bool = False

    @property
    def set_aside(self) -> bool:
        """Whether the capture is no evidence for its unit (another device's, or shared)."""
        return self.other_device is not None or self.shared is not None


def unit_identity(setup: Setup, unit: str, n_units: int) -> DutIdentity:
    """Return what the setup says ``unit`` is: ``[dut] model`` and the unit's serial.

    The serial is :meth:`rfcheck.settings.Setup.unit_serial` (``[dut.serials]``, or ``[dut]
    serial`` for a one-unit run of ``n_units`` = 1), as the unit's record states it.
    """
    model = setup.dut.get("model")
    model = (model.strip() or None) if isinstance(model, str) else None
    return DutIdentity(model, setup.unit_serial(unit, n_units))


def set_aside_other_device(a: Assigned, unit: DutIdentity) -> Assigned:
    """Return ``a`` set aside when its header states another device than ``unit``, else ``a``."""
    if a.capture is None:
        return a
    stated = stated_dut(a.capture)
    if other_device(stated, unit) is None:
        return a
    return dataclasses.replace(
        a, other_device=OtherDevice(str(a.path), a.port, a.unit, stated, unit)
    )


#: The fields a unit's captures may state, in words: (field, plural, where the setup names it).
_IDENTITY_FIELDS = (
    ("model", "models", "[dut] model"),
    ("serial", "serials", "[dut.serials], or [dut] serial in a one-unit run"),
)
#: Files named per stated value in a conflict (the rest are counted).
_CONFLICT_FILES_SHOWN = 3


def _conflict_text(plural: str, values: Sequence[tuple[str, list[str]]]) -> str:
    """``2 serials: S-1 (a.csv, b.csv); S-2 (c.csv)`` (at most 3 files named per value)."""
    parts = []
    for value, rels in values:
        shown = ", ".join(rels[:_CONFLICT_FILES_SHOWN])
        more = len(rels) - _CONFLICT_FILES_SHOWN
        parts.append(f"{value} ({shown}{f' and {more} more' if more > 0 else ''})")
    return f"{len(values)} {plural}: " + "; ".join(parts)


def set_aside_conflicting(assigned: Sequence[Assigned], unit: DutIdentity) -> list[Assigned]:
    """Return ``assigned`` with every stating capture set aside where the unit's disagree.

    When the setup names no model (serial) for the unit but its own captures' headers state
    more than one (compared as :func:`rfcheck.dut_identity.same_value` does), the record
    cannot attribute them to one device: each capture stating one is set aside
    (:attr:`OtherDevice.conflict`), as a capture stating another device than the setup's
    is. Captures stating none stay, as they do against the setup. Naming the unit's serial
    in the setup (``[dut.serials]``) resolves it: the captures of another serial are then
    set aside as another device's.
    """
    out = list(assigned)
    for name, plural, _ in _IDENTITY_FIELDS:
        if getattr(unit, name):
            continue
        stating = []
        for i, a in enumerate(out):
            if a.other_device is None and a.capture is not None:
                stated = stated_dut(a.capture)
                if getattr(stated, name):
                    stating.append((i, a, stated))
        values: list[tuple[str, list[str]]] = []
        for _, a, stated in stating:
            value = getattr(stated, name)
            same = next((v for v in values if same_value(v[0], value)), None)
            if same is None:
                values.append((value, [a.rel]))
            else:
                same[1].append(a.rel)
        if len(values) < 2:
            continue
        text = _conflict_text(plural, values)
        for i, a, stated in stating:
            out[i] = dataclasses.replace(
                a, other_device=OtherDevice(str(a.path), a.port, a.unit, stated, unit, text)
            )
    return out


def set_aside_shared(a: Assigned, shared: Mapping[Path, SharedContent]) -> Assigned:
    """Return ``a`` set aside when its content is also filed under another unit, else ``a``.

    ``shared``: :func:`rfcheck.shared_content.shared_content` over the run's captures.
    """
    content = shared.get(a.path)
    if content is None:
        return a
    return dataclasses.replace(a, shared=SharedCapture(str(a.path), a.port, a.unit, content))


@dataclass(frozen=True)
class UnreadableCapture(ErrorRecord):
    """The error row of a capture the setup's rules place in a port but that could not be read.

    The port's cells then say so (ERROR, naming the file), never that nothing was captured
    (:func:`rfcheck.product.cells.judge_cells`, ``docs/dossier.md``).
    """

    #: the port the setup's rules give the file
    port: str = ""


def unit_of(rel: str, setup: Setup) -> str:
    """Return the unit a file belongs to.

    That is ``group_pattern``'s ``unit`` group (on the file name, as ``rfcheck batch``
    groups), :data:`DEFAULT_UNIT` without a pattern, else :data:`UNGROUPED_UNIT`.
    """
    rx = compile_group_pattern(setup.batch.group_pattern)
    if rx is None:
        return DEFAULT_UNIT
    return group_key(rel, rx) or UNGROUPED_UNIT


def discover_captures(
    dirs: Sequence[str | Path], setup: Setup, skip: Sequence[Path] = ()
) -> list[Found]:
    """Find the capture files under ``dirs`` by the batch discovery rule (``docs/batch.md``).

    The rule: the ``[batch]`` include/exclude globs; hidden entries, output folders, the
    data half of a SigMF pair and the setup's own files skipped; by folder, then relative
    path.
    """
    items = discover_inputs(
        dirs, setup.batch.include, setup.batch.exclude, skip=[*skip, *setup_files(setup)]
    )
    return [Found(i.path, i.rel, unit_of(i.rel, setup)) for i in items]


def port_of(rel: str, setup: Setup) -> tuple[str | None, str]:
    """Return the port the setup's rules give a capture, or None and why not."""
    port: str | None = None
    why = "no [[rule]] matching it names a port (port or port_regex)"
    for i, rule in enumerate(setup.rules, 1):
        if not rule.matches(rel):
            continue
        if "port" in rule.product:
            port = str(rule.product["port"])
        elif "port_regex" in rule.product:
            m = re.search(str(rule.product["port_regex"]), rel)
            if m and m.group("port"):
                port = m.group("port")
            elif port is None:
                why = f"[[rule]] #{i} matches it but its port_regex finds no port in {rel!r}"
    return port, why


def plan_limits(s: CheckSettings, plan: TestPlan, kind: PortKind) -> CheckSettings:
    """Return ``s`` with the plan's limits for a port of ``kind`` (a polarisation: its distance).

    How the dossier judges a port (:func:`port_settings`); ``rfcheck lot`` takes the same
    limits for a port whose capture's rules name none (:mod:`rfcheck.lot.limits`).
    """
    return dataclasses.replace(
        s,
        limit_ids=plan.limit_ids(kind),
        limit_files=(),
        distance_m=plan.distance_m if kind is PortKind.POLARISATION else s.distance_m,
    )


def with_plan_limits(setup: Setup) -> Callable[[CheckSettings, str | None], CheckSettings]:
    """Return how a capture of a port is judged when its settings name no limit.

    The function returned gives ``(settings, port)`` the plan's limits for the port's kind
    (:func:`plan_limits`) when ``settings`` name no limit (neither ``--limit`` nor ``[check]``
    nor a ``[[rule]]``), the setup has a ``[plan]`` and it names ``port``; else ``settings``
    as given. One rule for ``lot``, ``explain`` and ``compare`` (the port of a file: its lot
    placement, else :func:`port_of`).

    Raises
    ------
    SetupFileError
        The setup's ``[plan]`` is malformed.
    """
    plan = plan_from_setup(setup) if setup.plan else None

    def apply(s: CheckSettings, port: str | None) -> CheckSettings:
        if plan is None or not port or s.limit_ids or s.limit_files:
            return s
        kind = plan.port_kind(port)
        return s if kind is None else plan_limits(s, plan, kind)

    return apply


def with_plan_limits_at(setup: Setup) -> Callable[[CheckSettings, str], CheckSettings]:
    """Return :func:`with_plan_limits` for a capture named by its path, not its port.

    ``(settings, rel)``: ``rel`` is the capture's path as the setup's ``[[rule]]`` globs see
    it, its port the one the rules give it (:func:`port_of`, not looked up when ``settings``
    name a limit or the setup has no ``[plan]``). How ``check``, ``batch``, ``explain`` and
    ``compare`` take the plan's limits.
    """
    if not setup.plan:
        return lambda s, _rel: s
    apply = with_plan_limits(setup)

    def at(s: CheckSettings, rel: str) -> CheckSettings:
        if s.limit_ids or s.limit_files:
            return s
        return apply(s, port_of(rel, setup)[0])

    return at


def port_settings(
    rel: str, setup: Setup, plan: TestPlan, port: str, kind: PortKind
) -> CheckSettings:
    """Return the capture's settings with the plan's limits, distance and final-table window.

    The U_lab of its port label, when ``[test] u_lab_db`` names it, before its kind's
    (:meth:`~rfcheck.settings.CheckSettings.for_port`).
    """
    s = plan_limits(setup.settings_for(rel).for_port(port), plan, kind)
    return dataclasses.replace(
        s,
        highest_frequency_hz=plan.highest_frequency_hz,
        suspect_window_db=max(s.suspect_window_db, FOUND_SUSPECT_WINDOW_DB),
        max_suspects=max(s.max_suspects, FOUND_MAX_SUSPECTS),
    )


def _mismatch(capture: Capture, settings: CheckSettings, port: str, kind: PortKind) -> str | None:
    units = {t.unit for t in capture.traces} | {t.unit for t in capture.time_series}
    field_units = sorted(u.value for u in units if u is LevelUnit.DBUV_M)  # field strength
    if kind is PortKind.MAINS:
        if field_units:
            return f"a field-strength capture ({field_units[0]}) cannot fill mains line {port}"
        if settings.antenna_factor is not None:
            return f"a radiated capture (antenna factor set) cannot fill mains line {port}"
        return None
    if settings.lisn is not None:
        return f"a conducted capture (LISN set) cannot fill polarisation {port}"
    if not field_units and settings.antenna_factor is None:
        return (
            f"a conducted capture (no field-strength unit, no antenna factor) cannot fill "
            f"polarisation {port}"
        )
    return None


def assign(
    found: Found, setup: Setup, plan: TestPlan, cells: Sequence[RequiredCell]
) -> Assigned | ErrorRecord:
    """Place one capture in its port, or say why it fits none (an error row).

    The capture is loaded to learn its unit and span (see the module docstring).
    """
    port, why = port_of(found.rel, setup)
    if port is None:
        return ErrorRecord(str(found.path), f"fits no cell: {why}")
    kind = plan.port_kind(port)
    if kind is None:
        return ErrorRecord(
            str(found.path),
            f"fits no cell: port {port!r} is not in [plan] ({', '.join(plan.ports)})",
        )
    settings = port_settings(found.rel, setup, plan, port, kind)
    try:
        capture = load_capture(
            found.path,
            settings.fmt,
            unit=settings.unit,
            detector=settings.detector,
            rbw_hz=settings.rbw_hz,
        )
    except RfcheckError as err:
        from ..analysis import error_message  # only on an error: the parent need not load it

        return UnreadableCapture(str(found.path), error_message(err, str(found.path)), port=port)
    except OSError as err:
        return UnreadableCapture(str(found.path), f"cannot read: {err.strerror or err}", port=port)
    span = capture_span_hz(capture)
    mine = [c for c in cells if c.port == port]
    problem = _mismatch(capture, settings, port, kind)
    beyond = problem is None and beyond_cells(span, mine, kind, plan)
    problem = problem or (None if beyond else outside(span, mine, port))
    if problem:
        return ErrorRecord(str(found.path), problem)
    return Assigned(
        found.path, found.rel, found.unit, port, settings, span, capture, beyond_required=beyond
    )


#: Capture formats whose files are recordings for the receiver model. A hint for scheduling
#: (:func:`is_recording`): a recording in another format is judged the same, only scanned
#: later, where its unit is judged.
RECORDING_FORMATS = frozenset({"sigmf", "rs-iqtar"})


def is_recording(found: Found, setup: Setup) -> bool:
    """Whether ``found`` is a recording by its format (given by its rule, or sniffed).

    Reads at most the file's first bytes; a file no reader recognises is no recording
    (assigning it reports why).
    """
    fmt = setup.settings_for(found.rel).fmt
    if fmt is None:
        try:
            fmt = detect_format(found.path).name
        except (RfcheckError, OSError):
            return False
    return fmt in RECORDING_FORMATS


def with_receiver_traces(a: Assigned) -> Assigned:
    """Return ``a`` with its recordings replaced by the receiver model's traces of them.

    The capture of recordings becomes a capture of the traces judging reads from them
    (:func:`rfcheck.verdict.traces_to_judge` with the capture's own settings: peak,
    quasi-peak and CISPR-average, each marked settled or not), the receiver's notes
    appended to its warnings as judging appends them: it is judged, reported and recorded
    as the recording is, and it no longer holds the samples. A capture without recordings,
    or whose recordings the receiver cannot judge (too short: judging reports why), is
    returned as it is.
    """
    from ..verdict import traces_to_judge  # the receiver loads only for a recording

    capture = a.capture
    if capture is None or not capture.is_time_domain:
        return a
    try:
        traces, notes = traces_to_judge(capture, a.settings)
    except RfcheckError:
        return a
    scanned = dataclasses.replace(
        capture, traces=traces, time_series=(), warnings=(*capture.warnings, *notes)
    )
    return dataclasses.replace(a, capture=scanned)
