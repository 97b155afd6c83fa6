"""The customs record of one unit (issue 11).

It holds the setup's record tables, their findings, the input manifest and the report id.

:func:`unit_record` wires :mod:`rfcheck.record` into the dossier: it parses the record
tables of the setup, cross-checks them against the captures' instrument headers, and
builds the :class:`~rfcheck.record.Manifest` (every input with its SHA-256, relative to the
manifest root, plus the judgement settings) whose digest is the report id. The root is the
deepest folder holding every capture folder and the setup file; ``rfcheck verify --inputs
ROOT`` re-hashes and re-judges from it (:func:`rejudge`). See ``docs/dossier.md``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..errors import RecordFileError
from ..frequency import MAX_RANGES_NAMED, format_mhz, format_mhz_range, format_mhz_ranges
from ..io import file_sha256
from ..outcome import Verdict
from ..record.capture_day import capture_day
from ..record.checklist import ChecklistItem, DataShown, build_checklist
from ..record.device_class import class_findings
from ..record.findings import (
    AppliedTransducer,
    Finding,
    TransducerKind,
    cross_check,
    receiver_model_finding,
)
from ..record.identity import other_device_finding, shared_capture_finding
from ..record.issue import issue_time
from ..record.manifest import SHIPPED_TABLE_ROLES, Manifest, build_manifest
from ..record.model import EntryInfo, Record, TestInfo
from ..record.parse import parse_record
from ..report.margin_text import fmt_margin
from ..report_id import InputFile
from ..settings import Setup
from .assign import Assigned
from .plan import PortKind
from .summary import unmeasured_text

if TYPE_CHECKING:  # judging loads the verdict and loaders: not needed to read a record
    from .cells import Cell
    from .dossier import UnitDossier

__all__ = [
    "UnitRecord",
    "applied_transducers",
    "can_rejudge",
    "data_shown",
    "installed_sha256",
    "manifest_root",
    "record_of",
    "unit_record",
    "rejudge",
]

#: Cells named in the checklist's data item; the rest are counted ("and N more").
MAX_CELLS_NAMED = 4


@dataclass(frozen=True)
class UnitRecord:
    """The record of one unit, its 2.938(b) checklist, findings and manifest (with the id).

    ``issued``: the record's issue time (UTC), on its cover, in its JSON and PDF dates;
    ``capture_days``: the days this unit's own captures were recorded on, as their headers
    date them (:class:`~rfcheck.record.capture_day.CaptureDay`), beside the lab's ``[test]``
    dates on the cover; ``undated_captures``: how many of them carry no date (said there too).
    """

    record: Record
    checklist: tuple[ChecklistItem, ...]
    findings: tuple[Finding, ...]
    manifest: Manifest
    issued: _dt.datetime
    capture_days: tuple[str, ...] = ()
    undated_captures: int = 0
    #: ``{path as read: path relative to the manifest root}`` of files the record's JSON
    #: names by the path they are read from (its photos; :mod:`rfcheck.product.spelling`).
    spellings: Mapping[str, str] = field(default_factory=dict)


def record_of(setup: Setup) -> Record:
    """Return the setup's record tables parsed by :func:`rfcheck.record.parse_record`.

    Raises
    ------
    SetupFileError
        A record table is malformed (``[dut.serials]`` was checked by
        :func:`rfcheck.settings.load_setup`).
    """
    return parse_record({**setup.record, "dut": dict(setup.dut)}, setup.path)


def manifest_root(dirs: Sequence[str | Path], setup: Setup) -> Path:
    """Return the deepest folder holding every capture folder and the setup file."""
    places = [Path(d).resolve() for d in dirs]
    places = [p if p.is_dir() else p.parent for p in places]
    if setup.path is not None:
        places.append(Path(setup.path).resolve().parent)
    return Path(os.path.commonpath([str(p) for p in places])) if places else Path.cwd()


def _rel(path: str | Path, root: Path) -> str | None:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def _judgement_settings(
    d: UnitDossier, dirs: Sequence[str | Path], setup: Setup, root: Path, shipped: Mapping[str, str]
) -> dict[str, Any]:
    """Return what, besides the hashed files, the verdict depends on (what ``verify`` re-runs).

    Under a decision rule other than ``simple``, the rule and the U_lab used per port.
    """
    from .decision import rule_settings

    return {
        "unit": d.unit,
        "dirs": sorted(_rel(p, root) or "." for p in dirs),
        "setup": None if setup.path is None else _rel(setup.path, root),
        "plan": d.plan.to_json(),
        "shipped": dict(sorted(shipped.items())),
        **rule_settings(d.rules),  # none under simple: the report id is as before
    }


def _inputs(d: UnitDossier, record: Record, root: Path) -> tuple[list[InputFile], dict[str, str]]:
    files: list[InputFile] = []
    shipped: dict[str, str] = {}
    for given in d.inputs:
        rel = _rel(given.path, root)
        if given.role in SHIPPED_TABLE_ROLES or rel is None:
            shipped[f"{given.role}:{Path(given.path).name}"] = given.sha256
        else:
            files.append(InputFile(path=rel, sha256=given.sha256, role=given.role))
    for listed in list(files):  # a SigMF recording is two files: the samples are hashed too
        if listed.role == "capture" and listed.path.endswith(".sigmf-meta"):
            data = root / (listed.path[: -len("meta")] + "data")
            try:
                files.append(
                    InputFile(
                        path=data.relative_to(root).as_posix(),
                        sha256=file_sha256(data),
                        role="capture-data",
                    )
                )
            except OSError:
                pass
    seen = {f.path for f in files}
    for role, path in record.input_files():
        rel = _rel(path, root)
        try:
            sha = file_sha256(Path(path))
        except OSError:
            continue  # the photo section prints it as missing; nothing to hash
        if rel is None:
            shipped[f"{role}:{Path(path).name}"] = sha
        elif rel not in seen:
            seen.add(rel)
            files.append(InputFile(path=rel, sha256=sha, role=role))
    return files, shipped


def _cell_text(c: Cell) -> str:
    """One deciding cell: ``V QP 30-1000 MHz: -3.23 dB at 375 MHz (measured)``."""
    r = c.required
    head = f"{r.port} {r.line} {format_mhz_range(r.start_hz, r.stop_hz)}"
    if c.missing_hz and (c.other_device or c.shared):
        why = [f"{', '.join(c.other_device)}: another device"] if c.other_device else []
        why += [f"{', '.join(c.shared)}: also another unit's or port's"] if c.shared else []
        return (
            f"{head}: not measured for this unit "
            f"{format_mhz_ranges(c.missing_hz, most=MAX_RANGES_NAMED)} "
            f"({'; '.join(why)})"
        )
    if c.missing_hz:
        return f"{head}: not measured {format_mhz_ranges(c.missing_hz, most=MAX_RANGES_NAMED)}"
    if c.unreadable and c.state.value == "ERROR":
        return f"{head}: capture could not be read ({', '.join(c.unreadable)})"
    if c.worst_margin_db is None:
        return f"{head}: not judged" if c.state.value == "ERROR" else head
    basis = f" ({c.worst_basis})" if c.worst_bound is not None else ""
    margin = fmt_margin(c.worst_margin_db, c.worst_bound)
    from .decision import cell_rule_text

    rule = cell_rule_text(c.rule, c.rule_shift_db, c.effective_margin_db, c.worst_bound)
    rule = f"; {rule}" if rule else ""
    return f"{head}: {margin} dB at {format_mhz(c.worst_frequency_hz)}{basis}{rule}"


def _unmeasured_text(d: UnitDossier, port: str) -> str:
    """``L2 not measured (no capture)``; ``for this unit`` when another device's was set aside."""
    aside = d.set_aside(port)
    if aside:
        why = "also another unit's or port's" if d.shared_only(port) else "another device"
        return f"{port} not measured for this unit ({', '.join(aside)}: {why})"
    return f"{port} not measured (no capture)"


def data_shown(d: UnitDossier) -> DataShown:
    """Return what the unit's measurement data show, for the checklist's data item.

    The unit verdict and, unless it is PASS, what decides it: a port with no capture as
    ``L2 not measured (no capture)``, then the deciding cells (failing, not measured,
    undecided or not judged; :data:`MAX_CELLS_NAMED` at most, then a count), and for ERROR
    the number of captures that could not be used; then, unless INCOMPLETE, what no capture
    measured (:func:`~rfcheck.product.summary.unmeasured_text`).
    """
    from .cells import cell_verdict

    verdict = d.verdict
    if verdict is Verdict.PASS:
        return DataShown(verdict.value)
    unread = {c.required.port for c in d.cells if c.unreadable}  # captured, but not read
    unmeasured = [p.port for p in d.ports if not p.captures and p.port not in unread]
    parts = (  # another verdict decides: name only its cells
        [_unmeasured_text(d, port) for port in unmeasured] if verdict is Verdict.INCOMPLETE else []
    )
    cells = [
        c for c in d.cells if cell_verdict(c.state) is verdict and c.required.port not in unmeasured
    ]
    parts += [_cell_text(c) for c in cells[:MAX_CELLS_NAMED]]
    if len(cells) > MAX_CELLS_NAMED:
        parts.append(f"and {len(cells) - MAX_CELLS_NAMED} more (see the completeness matrix)")
    if verdict is Verdict.ERROR and d.errors:
        n = len(d.errors)
        parts.append(f"{n} capture{'s' if n > 1 else ''} could not be used (see the error rows)")
    if verdict is not Verdict.INCOMPLETE:  # INCOMPLETE: the cells named are the unmeasured
        parts += [t for t in (unmeasured_text(d),) if t]
    return DataShown(verdict.value, "; ".join(parts))


def _for_unit(
    record: Record, setup: Setup, unit: str, n_units: int, entry_document: str | None = None
) -> Record:
    """Give the record the serial number, modifications and photos of ``unit``, never another's.

    ``[dut.serials]`` maps unit names to serial numbers; ``[dut] serial`` names the unit of a
    one-unit run. With several units and no entry for this one, the serial is not stated (it
    prints as missing) rather than borrowed from the setup's single ``serial``. The entry
    sheet's tested serials follow (:func:`_entry_serials`); so do the modifications stated
    per unit (:func:`_unit_modifications`) and the photos naming their ``units``.
    ``entry_document``: the run's entry cover sheet (``entry.pdf``), which the unit's entry
    page points to for the entry's units and verdict.
    """
    serial = setup.unit_serial(unit, n_units)
    entry = _entry_serials(record.entry, serial, n_units)
    return replace(
        record,
        dut=replace(record.dut, serial=serial),
        test=_unit_modifications(record.test, unit),
        photos=tuple(p for p in record.photos if not p.units or unit in p.units),
        entry=None if entry is None else replace(entry, entry_document=entry_document),
    )


def _unit_modifications(test: TestInfo, unit: str) -> TestInfo:
    """Give ``[test]`` the modifications stated for ``unit`` when they are stated per unit.

    A unit the table does not list has none stated (the checklist reads MISSING), never
    another unit's.
    """
    if not test.modifications_by_unit:
        return test
    mods = dict(test.modifications_by_unit).get(unit)
    return replace(test, modifications=mods, modifications_by_unit=())


def _entry_serials(entry: EntryInfo | None, serial: str | None, n_units: int) -> EntryInfo | None:
    """Return the entry sheet with "Serials tested" naming the unit whose serial is ``serial``.

    The record is one unit's, so the sheet names that unit's serial. When the setup's
    ``[entry] tested_serials`` do not include it, the setup's list is not printed as this
    unit's (it names other units) and a warning says so. A unit with no stated serial has
    none on the sheet (missing), unless the run has one unit only, whose list it keeps.
    """
    if entry is None:
        return None
    listed = entry.tested_serials
    if serial is None:
        if n_units == 1 or not listed:
            return entry
        unmatched = (
            f"the setup's [entry] tested_serials ({', '.join(listed)}) cannot be matched to "
            "this unit: its serial is not stated in [dut.serials]"
        )
        return replace(entry, tested_serials=None, tested_serials_warning=unmatched)
    warning: str | None = None
    if listed and serial not in listed:
        warning = (
            f"the setup's [entry] tested_serials ({', '.join(listed)}) do not include this "
            f"unit's serial {serial}"
        )
    return replace(entry, tested_serials=(serial,), tested_serials_warning=warning)


def _applied(value: float | Path) -> str:
    return Path(value).name if isinstance(value, Path) else f"{value:g} dB"


#: The transducer table kind (:data:`rfcheck.transducers.KINDS`) of each record kind.
_TABLE_KIND = {
    TransducerKind.ANTENNA: "antenna-factor",
    TransducerKind.CABLE: "cable-loss",
    TransducerKind.LISN: "lisn",
    TransducerKind.PREAMPLIFIER: "preamp-gain",
}


def _table_span_hz(value: Path, kind: TransducerKind) -> tuple[float, float] | None:
    """Return a transducer table's first and last frequency, or ``None`` (unreadable) [Hz].

    An unreadable table clips nothing: its error is the captures' own.
    """
    from ..errors import CorrectionError
    from ..transducers import read_table

    try:
        f_hz = read_table(value, _TABLE_KIND[kind]).freq_hz
    except CorrectionError:
        return None
    return (float(f_hz[0]), float(f_hz[-1])) if f_hz.size else None


def _used_hz(a: Assigned, table_hz: tuple[float, float] | None) -> tuple[float, float] | None:
    """Return the range a transducer was applied over for ``a``, or ``None`` (no reading) [Hz].

    The capture's span inside the rule's ``range_hz`` and a table's first..last frequency
    ``table_hz`` (a table is never extrapolated; ``None``: a constant, or a table that could
    not be read).
    """
    lo, hi = a.span_hz
    if a.settings.range_hz is not None:
        lo, hi = max(lo, a.settings.range_hz[0]), min(hi, a.settings.range_hz[1])
    if table_hz is not None:
        lo, hi = max(lo, table_hz[0]), min(hi, table_hz[1])
    return (lo, hi) if lo <= hi and hi > 0 else None


def _hull(
    a: tuple[float, float] | None, b: tuple[float, float] | None
) -> tuple[float, float] | None:
    """Return the lowest to highest frequency of two ranges (either may be ``None``) [Hz]."""
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


def applied_transducers(
    assigned: Sequence[Assigned],
) -> dict[TransducerKind, tuple[AppliedTransducer, ...]]:
    """Return what the setup's rules applied to the unit's captures, by transducer kind.

    Each table by file name, each constant as ``0.3 dB``; once each, in capture order, with
    the range it was applied over (lowest to highest frequency over the captures it was
    applied to: :func:`_used_hz`; each table read once). The record cross-checks every kind
    against ``[[equipment]]`` (47 CFR 2.938(b)(3), 15.31(b)).
    """
    out: dict[TransducerKind, dict[str, tuple[float, float] | None]] = {
        kind: {} for kind in TransducerKind
    }
    tables: dict[tuple[Path, TransducerKind], tuple[float, float] | None] = {}  # read once
    for a in assigned:
        s = a.settings
        for kind, values in (
            (TransducerKind.ANTENNA, (s.antenna_factor,)),
            (TransducerKind.CABLE, s.cable_loss),
            (TransducerKind.LISN, (s.lisn,)),
            (TransducerKind.PREAMPLIFIER, (s.preamp_gain,)),
        ):
            for value in values:
                if value is None:
                    continue
                table_hz = None
                if isinstance(value, Path):
                    if (value, kind) not in tables:
                        tables[value, kind] = _table_span_hz(value, kind)
                    table_hz = tables[value, kind]
                name = _applied(value)
                out[kind][name] = _hull(out[kind].get(name), _used_hz(a, table_hz))
    return {
        kind: tuple(AppliedTransducer(name, used) for name, used in found.items())
        for kind, found in out.items()
        if found
    }


def unit_record(
    d: UnitDossier,
    assigned: Sequence[Assigned],
    setup: Setup,
    dirs: Sequence[str | Path],
    n_units: int = 1,
    issued: _dt.datetime | None = None,
    entry_document: str | None = None,
) -> UnitRecord:
    """Parse, cross-check and manifest the record of one judged unit.

    Parameters
    ----------
    d : UnitDossier
        The judged unit.
    assigned : sequence of Assigned
        Its captures (their headers name the instruments).
    setup : Setup
    dirs : sequence of path
        The folders the dossier was run on (the manifest root is derived from them).
    n_units : int
        Units found in the run (the setup's single ``[dut] serial`` names a one-unit run).
    issued : datetime, optional
        The issue time of the run's records; default :func:`rfcheck.record.issue.issue_time`.
    entry_document : str, optional
        The run's entry cover sheet in its output folder (``entry.pdf``), with ``[entry]``.
    """
    record = _for_unit(record_of(setup), setup, d.unit, n_units, entry_document)
    root = manifest_root(dirs, setup)
    files, shipped = _inputs(d, record, root)
    own = [a for a in assigned if not a.set_aside]  # set aside: not this record's
    findings = cross_check(
        record,
        [a.capture for a in own if a.capture is not None],
        applied_transducers(own),
        conducted_ports=[
            p.port for p in d.ports if p.captures and d.plan.port_kind(p.port) is PortKind.MAINS
        ],
    )
    findings += tuple(
        other_device_finding(o.path, o.stated, o.unit, o.conflict) for o in d.other_device
    )
    findings += tuple(
        shared_capture_finding(
            o.path, o.unit_name, o.others, (o.port, *o.other_ports) if o.other_ports else ()
        )
        for o in d.shared
    )
    limits = ", ".join(d.plan.limit_ids(PortKind.MAINS) + d.plan.limit_ids(PortKind.POLARISATION))
    findings += class_findings(record, d.plan.device_class, limits)
    computed = receiver_model_finding(d.computed, __version__)
    if computed is not None:
        findings = (*findings, computed)
    manifest = build_manifest(
        files,
        _judgement_settings(d, dirs, setup, root, shipped),
        verdict=d.verdict.value,
        revision=record.test.revision,
    )
    radiated = any(d.plan.port_kind(c.required.port) is not PortKind.MAINS for c in d.cells) or any(
        p.captures and d.plan.port_kind(p.port) is not PortKind.MAINS for p in d.ports
    )
    checklist = build_checklist(
        record,
        has_measurements=True,
        data=data_shown(d),
        radiated_required=radiated,
        findings=findings,
    )
    days = [capture_day(a.capture.timestamp) for a in own if a.capture is not None]
    dated = [d for d in days if d is not None]
    local = {d.date for d in dated if not d.utc}  # a UTC day already named locally once
    capture_days = tuple(sorted({d.text() for d in dated if not (d.utc and d.date in local)}))
    return UnitRecord(
        record,
        checklist,
        findings,
        manifest,
        issued or issue_time(),
        capture_days,
        undated_captures=len(days) - len(dated),
    )


def can_rejudge(settings: Mapping[str, Any]) -> bool:
    """Whether embedded manifest settings are a dossier's (name a setup file and a unit)."""
    return isinstance(settings.get("setup"), str) and isinstance(settings.get("unit"), str)


def installed_sha256(role: str, name: str) -> str | None:
    """Return the SHA-256 of the table the installed rfcheck ships as ``name``.

    ``role`` ``limit`` (a limit table, ``fcc-15.109-b.toml``) or ``plan`` (plan rules,
    ``fcc-part15b.toml``); ``None`` when it ships none by that name. ``name`` comes from a
    record's manifest: only a name the shipped folder lists is read.
    """
    from ..limits import shipped_ids, shipped_root
    from .plan_rules import plan_rule_ids, plans_root

    stem = name.removesuffix(".toml")
    if role == "limit" and stem != name and stem in shipped_ids():
        folder = shipped_root()
    elif role == "plan" and stem != name and stem in plan_rule_ids():
        folder = plans_root()
    else:
        return None
    return hashlib.sha256(folder.joinpath(name).read_bytes()).hexdigest()


def rejudge(
    manifest: Manifest, settings: Mapping[str, Any], inputs_dir: str | Path
) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Judge the manifest's unit again from its listed captures under ``inputs_dir``.

    It uses the embedded settings and returns the unit verdict (``PASS``, ``FAIL``...),
    the captures of the unit found in the folder that the manifest does not list (POSIX
    paths relative to ``inputs_dir``): those are not judged, since the record was not
    judged from them (audit40 F4: a capture added after issue made the recorded verdict
    "not stand" without being named); and each listed capture set aside now because a file
    the manifest does not list holds its content, with that file (:func:`_newly_shared`).

    The setup file named in ``settings`` is read from ``inputs_dir`` (its SHA-256 has been
    checked against the manifest); its plan must equal the embedded one.

    Raises
    ------
    RecordFileError
        The embedded settings do not name a setup.
    EmbeddedSettingsDiffer
        The setup's plan differs from the embedded one (``verify`` says ALTERED).
    RfcheckError
        An input cannot be read.
    """
    from ..settings import load_setup
    from .run import place_captures

    root = Path(inputs_dir)
    setup_rel, unit = settings.get("setup"), settings.get("unit")
    dirs = settings.get("dirs") or ["."]
    if not isinstance(setup_rel, str) or not isinstance(unit, str) or not isinstance(dirs, list):
        raise RecordFileError("the embedded settings name no setup file or unit: cannot re-judge")
    setup = load_setup(root / setup_rel)
    placement = place_captures([root / str(x) for x in dirs], setup)
    if placement.plan.to_json() != settings.get("plan"):
        from ..record.verify import EmbeddedSettingsDiffer

        raise EmbeddedSettingsDiffer(  # its SHA-256 matched: the embedded plan is the edit
            f"the embedded plan differs from the [plan] of {setup_rel}, whose SHA-256 matches "
            "the manifest: the embedded plan was altered after issue"
        )
    listed = {f.path for f in manifest.inputs if f.role == "capture"}
    found = placement.found.get(unit, [])
    resolved = root.resolve()
    rel = {f.path: _rel(f.path, resolved) or f.path.as_posix() for f in found}
    unlisted = tuple(sorted(rel[f.path] for f in found if rel[f.path] not in listed))
    placement.found[unit] = [f for f in found if rel[f.path] in listed]
    if not placement.found[unit]:
        return "INCOMPLETE", unlisted, ()
    from .dossier import judge_unit

    assigned, errors = placement.assign_unit(unit, setup)
    verdict = judge_unit(unit, placement.plan, placement.cells, assigned, errors, setup).verdict
    return verdict.value, unlisted, _newly_shared(manifest, assigned, resolved)


def _newly_shared(
    manifest: Manifest, assigned: Sequence[Assigned], root: Path
) -> tuple[tuple[str, str], ...]:
    """Return ``(listed capture, other file)`` for each capture set aside by an unlisted file.

    The shared-content check (:mod:`rfcheck.shared_content`) sets a capture aside when
    another unit's file, or another port's of its unit, holds its content; the record lists
    every such file it was judged with (role ``shared-content``), so a pair here is a file
    the record was not judged with that now shares content with one it lists (audit47 F4).
    """
    listed = {f.path for f in manifest.inputs}
    out: dict[tuple[str, str], None] = {}
    for a in assigned:
        if a.shared is None:
            continue
        for f in a.shared.content.others(a.unit, a.port):
            other = _rel(f.path, root) or f.path.as_posix()
            if other not in listed:
                out[(_rel(a.path, root) or a.rel, other)] = None
    return tuple(out)
