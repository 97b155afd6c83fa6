"""Which capture fills which cell: discovery, units, ports, and the error rows.

Every capture found under the dossier's folders (``[batch] include`` / ``exclude``) goes to
one unit (``[batch] group_pattern`` on the file name; one unit when the setup has none), or
to none when the pattern finds no unit in its name (a README, a screenshot: an error row of
the run, :attr:`Discovered.no_unit`, never a unit of its own), and to one port: the last
matching ``[[rule]]`` that names a ``port``, or whose ``port_regex`` (searched in the path
relative to the folder) has a ``port`` group. A capture is an error row, never silently
used or dropped, when no rule names its port, its port is not in the plan, it is of the
other port type (a field-strength capture or an antenna factor under a mains line; a
conducted capture without an antenna factor, or a LISN, under a polarisation), or its
frequency span lies outside every cell of its port, unless it lies above them all, beyond
the 47 CFR 15.33(b)(1) range (:attr:`Assigned.beyond_required`:
judged for exceedances only, :mod:`rfcheck.product.beyond`).

A capture whose own header states another device than the unit's (``dut_model``,
``dut_serial``: :mod:`rfcheck.dut_identity`) is placed but set aside
(:attr:`Assigned.other_device`): it is no evidence for the unit, so the cells it would fill
are not measured for it, and its record says why. So is a capture whose content (SHA-256)
is also filed under another unit, or another port of its unit (:attr:`Assigned.shared`,
:mod:`rfcheck.shared_content`): one measurement is the record of one unit and one port, and
cannot be told to be this one's. The rules are in :mod:`rfcheck.product.set_aside`. See
``docs/dossier.md``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..batch.discover import compile_group_pattern, discover_inputs, group_key, setup_files
from ..capture import Capture
from ..errors import RfcheckError, SetupFileError
from ..io import detect_format, load_capture
from ..results import ErrorRecord
from ..settings import CheckSettings, Setup
from ..units import LevelUnit
from .distance import capture_distance_m
from .plan import PortKind, RequiredCell, TestPlan, plan_from_setup
from .set_aside import OtherDevice, SharedCapture
from .span import beyond_cells, capture_span_hz, outside

__all__ = [
    "DEFAULT_UNIT",
    "FOUND_SUSPECT_WINDOW_DB",
    "FOUND_MAX_SUSPECTS",
    "Found",
    "Discovered",
    "Assigned",
    "UnreadableCapture",
    "discover_captures",
    "unit_of",
    "no_unit_message",
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
    #: (judged for no cell; :func:`~rfcheck.product.set_aside.set_aside_other_device`).
    other_device: OtherDevice | None = None
    #: Set when the capture's content is also filed under another unit: it is set aside
    #: (judged for no cell; :func:`~rfcheck.product.set_aside.set_aside_shared`).
    shared: SharedCapture | None = None
    #: Set when the capture lies above every cell of its port (beyond the 47 CFR 15.33(b)(1)
    #: range): judged for no cell, for exceedances only (:mod:`rfcheck.product.beyond`).
    beyond_required: bool = False

    @property
    def set_aside(self) -> bool:
        """Whether the capture is no evidence for its unit (another device's, or shared)."""
        return self.other_device is not None or self.shared is not None


@dataclass(frozen=True)
class UnreadableCapture(ErrorRecord):
    """The error row of a capture the setup's rules place in a port but that could not be used.

    Either the file could not be read, or it was read and its measurement distance is unknown
    (the message says which). The port's cells then say the capture could not be used (ERROR,
    naming the file), never that nothing was captured
    (:func:`rfcheck.product.cells.judge_cells`, ``docs/dossier.md``).
    """

    #: the port the setup's rules give the file
    port: str = ""


@dataclass(frozen=True)
class Discovered:
    """The files found under the dossier's folders: each unit's, and those in no unit."""

    found: list[Found]
    #: files the group pattern finds no unit in (:func:`no_unit_message`): error rows of the
    #: run, not used, in no unit's record
    no_unit: list[ErrorRecord]


def unit_of(rel: str, setup: Setup) -> str | None:
    """Return the unit a file belongs to; None when it is in no unit.

    That is ``group_pattern``'s ``unit`` group (on the file name, or on the relative path
    when the pattern holds ``/``, as ``rfcheck batch`` groups), :data:`DEFAULT_UNIT` without
    a pattern, else None: a file the pattern does not match is no unit's capture.
    """
    rx = compile_group_pattern(setup.batch.group_pattern)
    if rx is None:
        return DEFAULT_UNIT
    return group_key(rel, rx)


def no_unit_message(setup: Setup) -> str:
    """Say why a file is in no unit: the group pattern finds none in its name (or path).

    ``in no unit ([batch] group_pattern '^(?P<unit>rig[A-Z])_' finds none in its name),
    not used``, as ``rfcheck lot`` words it (:func:`rfcheck.lot.discovery.unused_notes`).
    """
    pattern = setup.batch.group_pattern or ""
    where = "path" if "/" in pattern else "name"
    return f"in no unit ([batch] group_pattern {pattern!r} finds none in its {where}), not used"


def discover_captures(
    dirs: Sequence[str | Path], setup: Setup, skip: Sequence[Path] = ()
) -> Discovered:
    """Find the capture files under ``dirs`` by the batch discovery rule (``docs/batch.md``).

    The rule: the ``[batch]`` include/exclude globs; hidden entries, output folders, the
    data half of a SigMF pair and the setup's own files skipped; by folder, then relative
    path. A file the group pattern finds no unit in is an error row (``no_unit``), never a
    unit: a notes file is no device, and a second "unit" would take the one-unit
    ``[dut] serial`` from the real one.
    """
    items = discover_inputs(
        dirs, setup.batch.include, setup.batch.exclude, skip=[*skip, *setup_files(setup)]
    )
    found: list[Found] = []
    no_unit: list[ErrorRecord] = []
    for i in items:
        unit = unit_of(i.rel, setup)
        if unit is None:
            no_unit.append(ErrorRecord(str(i.path), no_unit_message(setup)))
        else:
            found.append(Found(i.path, i.rel, unit))
    return Discovered(found, no_unit)


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
    """Return ``s`` with the plan's limits for a port of ``kind`` (a polarisation: a distance).

    A polarisation's capture keeps the distance its ``[[rule]]`` or ``[check]`` states (the
    distance it was measured at), else takes the plan's ``distance_m``; None when the plan
    gives a distance per frequency range and the capture states none (the dossier then
    takes it from the capture's span: :func:`rfcheck.product.distance.capture_distance_m`).
    How the dossier judges a port (:func:`port_settings`); ``rfcheck lot`` takes the same
    limits for a port whose capture's rules name none (:mod:`rfcheck.lot.limits`).
    """
    distance = s.distance_m
    if kind is PortKind.POLARISATION and distance is None:
        distance = plan.distance_m
    return dataclasses.replace(
        s, limit_ids=plan.limit_ids(kind), limit_files=(), distance_m=distance
    )


def _no_distance(plan: TestPlan, port: str, rel: str | None, setup: Setup) -> SetupFileError:
    """Refuse a polarisation's capture whose distance only its span would give.

    ``rfcheck dossier`` and ``rfcheck lot`` read a capture's span to find its band of
    ``[plan] distance_bands``; ``check``, ``batch``, ``explain`` and ``compare`` take its
    settings before reading it, so its distance must be stated there.
    """
    what = f"{rel} (port {port})" if rel else f"a capture of port {port}"
    return SetupFileError(
        f"{what}: [plan] distance_bands ({plan.distance_text}) give a radiated capture's "
        "measurement distance by its frequency span, which only rfcheck dossier and lot read; give "
        "the file its distance_m in a [[rule]] matching it",
        setup.path,
    )


def with_plan_limits(setup: Setup) -> _PlanLimits:
    """Return how a capture of a port is judged when its settings name no limit.

    The function returned gives ``(settings, port)`` the plan's limits for the port's kind
    (:func:`plan_limits`) when ``settings`` name no limit (neither ``--limit`` nor ``[check]``
    nor a ``[[rule]]``), the setup has a ``[plan]`` and it names ``port``; else ``settings``
    as given. One rule for ``lot``, ``explain`` and ``compare`` (the port of a file: its lot
    placement, else :func:`port_of`).

    Raises
    ------
    SetupFileError
        The setup's ``[plan]`` is malformed; or (when the function returned is called) a
        polarisation's capture states no distance and the plan gives one per frequency range
        (``distance_bands``): only ``rfcheck dossier`` reads a capture's span to find it.
    """
    plan = plan_from_setup(setup) if setup.plan else None

    def apply(s: CheckSettings, port: str | None, rel: str | None = None) -> CheckSettings:
        if plan is None or not port or s.limit_ids or s.limit_files:
            return s
        kind = plan.port_kind(port)
        if kind is None:
            return s
        out = plan_limits(s, plan, kind)
        if kind is PortKind.POLARISATION and out.distance_m is None:
            raise _no_distance(plan, port, rel, setup)
        return out

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
        return apply(s, port_of(rel, setup)[0], rel)

    return at


class _PlanLimits(Protocol):
    """``(settings, port, rel=None)``: the settings with the plan's limits for ``port``."""

    def __call__(
        self, s: CheckSettings, port: str | None, rel: str | None = None, /
    ) -> CheckSettings: ...


def port_settings(
    rel: str, setup: Setup, plan: TestPlan, port: str, kind: PortKind
) -> CheckSettings:
    """Return the capture's settings with the plan's limits, distance and final-table window.

    No ``range_hz``: a cell is judged over its whole plan range, every reading in it (a
    narrower range would let a cell read PASS over readings it never judged, or over a range
    no capture covered).

    A polarisation's distance is None when only its span can give it (``distance_bands``):
    :func:`assign` reads the capture, then takes it (:func:`_with_distance`).

    The U_lab of its port label, when ``[test] u_lab_db`` names it, before its kind's
    (:meth:`~rfcheck.settings.CheckSettings.for_port`).
    """
    s = plan_limits(setup.settings_for(rel).for_port(port), plan, kind)
    return dataclasses.replace(
        s,
        highest_frequency_hz=plan.highest_frequency_hz,
        range_hz=None,
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

    The capture is loaded to learn its unit and span (see the module docstring); a
    polarisation's capture whose settings state no distance takes the plan's for its span
    (:func:`_with_distance`).

    A capture whose distance is unknown (it states none and its span lies in two ``[plan]
    distance_bands`` of different distances, or outside them) is an unusable capture of its
    port, the reason named: the rest of the run is judged and its records written.
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
    try:
        settings = _with_distance(settings, kind, plan, span, setup)
    except SetupFileError as err:  # this file's distance is unknown: the others are judged
        return UnreadableCapture(str(found.path), err.message, port=port)
    return Assigned(
        found.path, found.rel, found.unit, port, settings, span, capture, beyond_required=beyond
    )


def _with_distance(
    s: CheckSettings,
    kind: PortKind,
    plan: TestPlan,
    span: tuple[float, float],
    setup: Setup,
) -> CheckSettings:
    """Return a polarisation's settings with the distance of its span, when none is stated.

    The plan's ``distance_bands`` band holding the capture's span [Hz]
    (:func:`rfcheck.product.distance.capture_distance_m`, which refuses a span in two bands).
    """
    if kind is not PortKind.POLARISATION or s.distance_m is not None:
        return s
    d = capture_distance_m(plan.distance_bands, span, setup.path)
    return dataclasses.replace(s, distance_m=d)


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
