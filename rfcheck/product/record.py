"""The customs record of one unit (issue 11).

It holds the setup's record tables, their findings, the input manifest and the report id.

:func:`unit_record` wires :mod:`rfcheck.record` into the dossier: it parses the record
tables of the setup, cross-checks them against the captures' instrument headers, and
builds the :class:`~rfcheck.record.Manifest` (every input with its SHA-256, relative to the
manifest root, plus the judgement settings) whose digest is the report id. The root is the
deepest folder holding every capture folder and the setup file; ``rfcheck verify --inputs
ROOT`` re-hashes and re-judges from it (:mod:`rfcheck.product.rejudge`). The transducers
the record cross-checks are listed by :mod:`rfcheck.product.applied_transducers`. See
``docs/dossier.md``.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..frequency import MAX_RANGES_NAMED, format_mhz, format_mhz_range, format_mhz_ranges
from ..io import file_sha256
from ..outcome import Verdict
from ..record.capture_day import capture_day
from ..record.checklist import ChecklistItem, DataShown, build_checklist
from ..record.device_class import class_findings
from ..record.findings import (
    Finding,
    cross_check,
    no_lisn_factor,
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
from ..textfile import resolved
from .applied_transducers import applied_transducers, without_lisn_factor
from .assign import Assigned
from .plan import PortKind
from .set_aside_levels import SetAsideEffect, set_aside_effects
from .summary import unmeasured_text

if TYPE_CHECKING:  # judging loads the verdict and loaders: not needed to read a record
    from .cells import Cell
    from .dossier import UnitDossier

__all__ = [
    "UnitRecord",
    "data_shown",
    "manifest_path",
    "manifest_root",
    "record_of",
    "unit_record",
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
    places = [resolved(d) for d in dirs]
    places = [p if p.is_dir() else p.parent for p in places]
    if setup.path is not None:
        places.append(resolved(setup.path).parent)
    return Path(os.path.commonpath([str(p) for p in places])) if places else Path.cwd()


def manifest_path(path: str | Path, root: Path) -> str | None:
    """Return ``path`` relative to the manifest root ``root`` (POSIX), or ``None`` outside it."""
    try:
        return resolved(path).relative_to(root).as_posix()
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
        "dirs": sorted(manifest_path(p, root) or "." for p in dirs),
        "setup": None if setup.path is None else manifest_path(setup.path, root),
        "plan": d.plan.to_json(),
        "shipped": dict(sorted(shipped.items())),
        **rule_settings(d.rules),  # none under simple: the report id is as before
    }


def _inputs(d: UnitDossier, record: Record, root: Path) -> tuple[list[InputFile], dict[str, str]]:
    files: list[InputFile] = []
    shipped: dict[str, str] = {}
    for given in d.inputs:
        rel = manifest_path(given.path, root)
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
        rel = manifest_path(path, root)
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
    """One deciding cell: ``V QP 30-1000 MHz: -3.23 dB at 375 MHz (measured)``.

    A MISSING cell names what was not measured; a FAIL or INCONCLUSIVE cell the reading that
    decides it, even when part of its range was not measured too (:func:`data_shown` adds
    what no capture measured).
    """
    r = c.required
    head = f"{r.port} {r.line} {format_mhz_range(r.start_hz, r.stop_hz)}"
    if c.state.value == "MISSING" and c.missing_hz:
        ranges = format_mhz_ranges(c.missing_hz, most=MAX_RANGES_NAMED)
        if not (c.other_device or c.shared):
            return f"{head}: not measured {ranges}"
        why = [f"{', '.join(c.other_device)}: another device"] if c.other_device else []
        why += [f"{', '.join(c.shared)}: also another unit's or port's"] if c.shared else []
        return f"{head}: not measured for this unit {ranges} ({'; '.join(why)})"
    if c.unreadable and c.state.value == "ERROR":
        return f"{head}: capture could not be used ({', '.join(c.unreadable)})"
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
    unread = {c.required.port for c in d.cells if c.unreadable}  # captured, but not used
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


def _effect(effects: dict[str, SetAsideEffect], path: str) -> str:
    """Return the set-aside capture ``path``'s effect in words ("": the finding's default)."""
    e = effects.get(path)
    return e.text() if e is not None else ""


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
    unfactored = without_lisn_factor(own, d.plan.mains_lines)
    findings += tuple(
        no_lisn_factor(port, unfactored[port]) for port in d.plan.mains_lines if port in unfactored
    )
    effects = set_aside_effects(assigned, d.plan)  # what setting each aside did
    findings += tuple(
        other_device_finding(o.path, o.stated, o.unit, o.conflict, _effect(effects, o.path))
        for o in d.other_device
    )
    findings += tuple(
        shared_capture_finding(
            o.path,
            o.unit_name,
            o.others,
            (o.port, *o.other_ports) if o.other_ports else (),
            _effect(effects, o.path),
            o.content.phrase,
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
        not_required=d.plan.not_required,
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
