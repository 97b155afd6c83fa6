"""The ``rfcheck lot`` analysis: every unit against the golden unit, and 80/80 statistics.

``rfcheck lot``: every unit of a lot against the golden (tested) unit, and the CISPR 80/80
statistics over the units shown identical to it.

Steps: find the units and each capture's port (:func:`rfcheck.lot.discovery.find_units`:
the setup's port rules, as the dossier places captures, else the file name); list each
port's emissions, a unit's several captures of one port judged as one measurement
(:func:`rfcheck.lot.compare.load_pooled_emissions`, as ``check --combine``; per distance
for a port measured at two, :mod:`rfcheck.lot.distance_groups`); compare each
unit's fingerprint with the golden unit's, port by port (:mod:`rfcheck.lot.fingerprint`);
read what the captures' headers state about the device (:mod:`rfcheck.lot.stated`: two
units stating one serial refuse the lot; a unit stating another model, or another firmware
than the golden unit's, is not identical);
then decide the lot (:func:`rfcheck.lot.judgement.judge_lot`): per port and limit line, take
every emission frequency some identical unit has within ``window_db`` of the line (and below
it, where the units' spread could take ``x̄ + k·S_n`` within it: :mod:`rfcheck.lot.deep_rows`),
read every identical unit there and apply the 80/80 rule
(:func:`rfcheck.lot.statistics.evaluate`); a unit measured over a limit fails the lot. Units
shown different are a different build: they are listed with their evidence and left out of
the statistics (said in ``notes``). A port's
capture missing (the golden unit's too) is missing data: INCOMPLETE, the unit's identity
unknown, never a difference (``docs/lot.md``, "Fingerprint").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..analysis import (
    input_files,
    input_sha256,
    result_rule_notes,
    settings_rule_notes,
    settings_summary,
)
from ..capture import Capture
from ..dut_identity import stated_dut
from ..errors import RfcheckError, SetupFileError
from ..io import load_capture
from ..judged_limits import settings_table_notes
from ..outcome import Verdict, combine_verdicts
from ..product.distance import DistanceBand, capture_distance_m
from ..product.span import capture_span_hz
from ..results import InputFile
from ..settings import CheckSettings, Setup
from ..shared_content import Filed
from .compare import load_pooled_emissions
from .discovery import (
    UnitCapture,
    find_lot,
    has_port_rules,
    ports_of,
    shared_port_hint,
    unused_notes,
)
from .emissions import EmissionList
from .fingerprint import LEVEL_THRESHOLD_DB, Difference, fingerprint_comparison
from .judgement import judge_lot, lot_statistics
from .limits import capture_settings, check_some_limit, span_bands
from .results import PORTS_FROM_FILE_NAMES, PORTS_FROM_RULES, LotResult, UnitResult
from .scope import PlanPorts
from .stated import (
    Stated,
    check_serials,
    check_shared,
    declared_not_measured,
    firmware_notes,
    model_notes,
    other_firmwares,
    other_models,
    serial_conflicts,
    serial_key_notes,
    unit_serials,
)

__all__ = ["run_lot", "lot_statistics", "model_notes", "DEFAULT_STATS_WINDOW_DB"]

#: Frequencies where no unit comes closer than this to a line are not tabulated. [dB]
DEFAULT_STATS_WINDOW_DB = 10.0


@dataclass(frozen=True)
class _Job:
    """One port of one unit: its captures (one, or several pooled) and their settings.

    ``bands``: per capture, the ``[plan] distance_bands`` that give it its distance by its
    frequency span once read (:func:`rfcheck.lot.limits.span_bands`; none: its settings
    state it).
    """

    unit: str
    port: str
    paths: tuple[Path, ...]
    settings: tuple[CheckSettings, ...]
    bands: tuple[tuple[DistanceBand, ...], ...] = ()


def _error_text(paths: Sequence[Path], err: RfcheckError) -> str:
    """Return a port's error as one line naming its file(s).

    A pooled port's member errors already name their files (``<file>: <problem>``).
    """
    joined = " + ".join(str(p) for p in paths)
    if len(paths) > 1 and any(err.message.startswith(f"{p}: ") for p in [*paths, joined]):
        return err.message
    if len(paths) == 1:  # path:line: message, as 'check' prints it
        return str(err.naming(paths[0]))
    return f"{joined}: {err.message}"


@dataclass(frozen=True)
class _Loaded:
    """A port's emissions (or its error line), and the DUT model, serial, firmware stated."""

    emissions: EmissionList | str
    #: (capture path, the model its header states: a ``dut_model`` line), where stated
    models: tuple[tuple[str, str], ...] = ()
    #: (capture path, the serial its header states: a ``dut_serial`` line), where stated
    serials: tuple[tuple[str, str], ...] = ()
    #: (capture path, a generic CSV's ``serial`` line: the instrument's), where stated
    instrument_serials: tuple[tuple[str, str], ...] = ()
    #: each capture's settings as judged (a distance its span gave it: the band's)
    settings: tuple[CheckSettings, ...] = ()
    #: (capture path, the firmware its header states: a ``dut_firmware`` line), where stated
    firmwares: tuple[tuple[str, str], ...] = ()


def _preload(job: _Job) -> list[Capture | None]:
    """Load the port's captures once (None where loading fails: judging names the error)."""
    out: list[Capture | None] = []
    for path, s in zip(job.paths, job.settings, strict=True):
        try:
            out.append(load_capture(path, s.fmt, unit=s.unit, detector=s.detector, rbw_hz=s.rbw_hz))
        except (RfcheckError, OSError):
            out.append(None)
    return out


#: (capture path, the value its header states), for each capture stating it
_PathValues = tuple[tuple[str, str], ...]


def _stated(
    job: _Job, captures: Sequence[Capture | None]
) -> tuple[_PathValues, _PathValues, _PathValues]:
    """Return (path, model), (path, serial) and (path, firmware) of each read capture stating it.

    Read as the dossier reads them (:func:`rfcheck.dut_identity.stated_dut`).
    """
    found = [
        (str(p), stated_dut(c)) for p, c in zip(job.paths, captures, strict=True) if c is not None
    ]
    models = tuple((p, d.model) for p, d in found if d.model is not None)
    serials = tuple((p, d.serial) for p, d in found if d.serial is not None)
    firmwares = tuple((p, d.firmware) for p, d in found if d.firmware is not None)
    return models, serials, firmwares


def _instrument_serials(
    job: _Job, captures: Sequence[Capture | None]
) -> tuple[tuple[str, str], ...]:
    """Return (path, serial) of each generic CSV stating a ``serial`` (the instrument's)."""
    return tuple(
        (str(p), c.instrument.serial.strip())
        for p, c in zip(job.paths, captures, strict=True)
        if c is not None
        and c.provenance is not None
        and c.provenance.format == "generic-csv"
        and c.instrument.serial.strip()
    )


def _span_settings(
    job: _Job, captures: Sequence[Capture | None]
) -> tuple[tuple[CheckSettings, ...], str]:
    """Return the captures' settings with the distance their span gives, or the error line.

    A capture with bands (:attr:`_Job.bands`) takes the distance of the band holding its
    frequency span (:func:`rfcheck.product.distance.capture_distance_m`, as the dossier);
    a span in two bands of different distances, or outside them, is an error of the port
    naming the file (the others are not judged alone in its place). A capture not read
    keeps its settings: pooling names its read error.
    """
    out: list[CheckSettings] = []
    for i, (path, s, c) in enumerate(zip(job.paths, job.settings, captures, strict=True)):
        bands = job.bands[i] if job.bands else ()
        if bands and s.distance_m is None and c is not None:
            try:
                s = replace(s, distance_m=capture_distance_m(bands, capture_span_hz(c), None))
            except SetupFileError as err:
                return tuple(job.settings), f"{path}: {err.message}"
        out.append(s)
    return tuple(out), ""


def _load(job: _Job) -> _Loaded:
    captures = _preload(job)
    models, serials, firmwares = _stated(job, captures)
    inst = _instrument_serials(job, captures)
    settings, problem = _span_settings(job, captures)
    if problem:
        return _Loaded(problem, models, serials, inst, settings, firmwares)
    try:
        el = load_pooled_emissions(job.paths, settings, label=job.port, captures=captures)
    except RfcheckError as err:
        return _Loaded(_error_text(job.paths, err), models, serials, inst, settings, firmwares)
    except OSError as err:
        path = " + ".join(str(p) for p in job.paths)
        text = f"{path}: cannot read: {err.strerror or err}"
        return _Loaded(text, models, serials, inst, settings, firmwares)
    return _Loaded(el, models, serials, inst, settings, firmwares)


def _load_all(jobs: Sequence[_Job], workers: int) -> list[_Loaded]:
    if workers <= 1 or len(jobs) < 2:
        return [_load(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_load, jobs, chunksize=max(1, len(jobs) // (4 * workers))))


def _stated_identity(
    pairs: Sequence[tuple[_Job, _Loaded]],
    setup: Setup,
    order: Sequence[str],
    golden: str,
    folder: str,
) -> tuple[dict[str, str], tuple[str, ...], dict[str, str], dict[str, str], dict[str, str]]:
    """Return what the captures and the setup state of each unit's device.

    Each unit's serial (two units stating one are refused: :func:`~.stated.check_serials`),
    the notes on models (firmware) stated unlike the lot's, the units whose captures state
    another model (:func:`~.stated.other_models`), those stating more than one serial
    (:func:`~.stated.serial_conflicts`) and those stating another firmware than the golden
    unit's (:func:`~.stated.other_firmwares`).
    """
    serials = [Stated(j.unit, p, v) for j, r in pairs for p, v in r.serials]
    check_serials(serials, setup.dut.get("serials"), order, folder)
    stated = [Stated(j.unit, p, m) for j, r in pairs for p, m in r.models]
    model = setup.dut.get("model")
    model = model if isinstance(model, str) else None
    serial_of = unit_serials(serials, setup.dut.get("serials"), order)
    inst = [Stated(j.unit, p, v) for j, r in pairs for p, v in r.instrument_serials]
    firmwares = [Stated(j.unit, p, v) for j, r in pairs for p, v in r.firmwares]
    return (
        serial_of,
        model_notes(stated, model, golden)
        + firmware_notes(firmwares, golden)
        + serial_key_notes(inst, serial_of),
        other_models(stated, model, golden),
        serial_conflicts(serials, setup.dut.get("serials"), order),
        other_firmwares(firmwares, golden),
    )


@dataclass(frozen=True)
class _GoldenPorts:
    """What a unit is compared with: the lot's ports and the golden unit's emissions.

    ``lot_ports``: every port some unit of the lot has a capture of, in discovery order;
    ``emissions``: the golden unit's emissions per read port (None while judging the golden
    unit itself); ``missing``: the lot's ports the golden unit has no capture of.
    """

    lot_ports: tuple[str, ...]
    emissions: dict[str, EmissionList] | None = None
    missing: tuple[str, ...] = ()


def _missing_data(
    missing: Sequence[str], emissions: dict[str, EmissionList], golden: _GoldenPorts
) -> tuple[list[str], bool]:
    """Return one line per port with missing data, and whether identity cannot be shown.

    ``missing``: the lot's ports the unit has no capture of (INCOMPLETE for each). Identity
    with the golden unit cannot be shown on a port one of the two has a capture of and the
    other has none of (or cannot read); a port neither has leaves the comparison whole.
    """
    if golden.emissions is None:  # the golden unit itself
        return [
            f"{p}: no capture of this port (other units of the lot have one)" for p in missing
        ], False
    texts = [
        f"{p}: no capture of this port ("
        + (
            "nor has the golden unit; other units of the lot have one)"
            if p in golden.missing
            else "the golden unit has one), so identity cannot be shown"
        )
        for p in missing
    ]
    texts += [
        f"{p}: the golden unit "
        + ("has no capture of this port" if p in golden.missing else "cannot read its capture")
        + ", so identity cannot be shown"
        for p in emissions
        if p not in golden.emissions
    ]
    return texts, any(t.endswith("identity cannot be shown") for t in texts)


def _unit_result(
    name: str,
    caps: list[UnitCapture],
    loaded: dict[tuple[str, str], EmissionList | str],
    golden: _GoldenPorts,
    level_threshold_db: float,
    other_model: str = "",
    serial_conflict: str = "",
    other_firmware: str = "",
) -> UnitResult:
    """Return one unit's result: its emissions per port, its differences from the golden unit.

    A port of the lot (some unit has a capture of it) this unit has none of is missing data:
    the unit is INCOMPLETE for it, and its identity with the golden unit cannot be shown (not
    a difference); so for a port the golden unit has none of. A unit whose captures state
    another model than the lot's (``other_model``) is not the tested model: not identical
    (the golden unit stays the reference it is compared with); one whose captures state more
    than one serial (``serial_conflict``) cannot be attributed to one device: not shown
    identical either. So is one whose captures state another firmware than the golden
    unit's (``other_firmware``): units running other firmware are not identical units.
    """
    ports = ports_of(caps)
    emissions: dict[str, EmissionList] = {}
    errors: list[str] = []
    for port in ports:
        el = loaded[(name, port)]
        if isinstance(el, str):
            errors.append(el)
            continue
        emissions[port] = el
    errors += [f"{c.path}: {c.problem}" for c in caps if c.problem]
    missing = [p for p in golden.lot_ports if p not in ports]
    texts, unshown = _missing_data(missing, emissions, golden)
    diffs: list[Difference] = []
    is_golden = golden.emissions is None
    if golden.emissions is not None:  # not the golden unit itself
        diffs, unread = _golden_differences(emissions, golden.emissions, level_threshold_db)
        texts += unread
        unshown = unshown or bool(unread)
    scored = [  # under a decision rule, the port the rule judges worst
        (m, p, el) for p, el in emissions.items() if (m := el.worst_judged_margin_db) is not None
    ]
    worst = min(scored, key=lambda x: x[0]) if scored else None
    verdicts = [el.verdict for el in emissions.values()] + [Verdict.ERROR] * len(errors)
    verdicts += [Verdict.INCOMPLETE] * len(missing)
    return UnitResult(
        unit=name,
        identical=not (
            diffs
            or errors
            or unshown
            or ((other_model or serial_conflict or other_firmware) and not is_golden)
        ),
        differences=tuple(diffs),
        verdict=combine_verdicts(verdicts),
        worst_margin_db=worst[2].worst_margin_db if worst else None,
        worst_frequency_hz=worst[2].worst_frequency_hz if worst else None,
        worst_port=worst[1] if worst else "",
        worst_bound=worst[2].worst_bound if worst else None,
        worst_effective_margin_db=worst[2].worst_effective_margin_db if worst else None,
        worst_distance_m=worst[2].worst_distance_m if worst else None,
        captures=emissions,
        paths=tuple(str(c.path) for c in caps),
        errors=tuple(errors),
        ports={p: tuple(str(c.path) for c in members) for p, members in ports.items()},
        missing_ports=tuple(missing),
        missing=tuple(texts),
        other_model=other_model,
        serial_conflict=serial_conflict,
        other_firmware=other_firmware,
    )


def _golden_differences(
    emissions: dict[str, EmissionList],
    golden: dict[str, EmissionList],
    level_threshold_db: float,
) -> tuple[list[Difference], list[str]]:
    """Return how a unit differs from the golden unit, port by port, and what is not compared.

    Each read port's fingerprint against the golden unit's on that port. A port either of
    them has no capture of, or could not read, is no evidence of a difference (missing data,
    or the capture's own error): it is not compared here. Nor is a strongest emission or
    harmonic family of either that the other has no reading of (outside its scan, in a gap):
    one line each (``<port>: ...``), missing data, so identity cannot be shown.
    """
    diffs: list[Difference] = []
    unshown: list[str] = []
    for port, el in emissions.items():
        if port in golden:
            comp = fingerprint_comparison(
                port, golden[port], el, level_threshold_db=level_threshold_db
            )
            diffs += comp.differences
            unshown += [
                f"{port}: {text}; identity cannot be shown (missing data, not a difference)"
                for text in comp.unshown
            ]
    return diffs, unshown


def run_lot(
    folder: str | Path,
    golden: str,
    setup: Setup,
    *,
    settings_for: Callable[[str], CheckSettings] | None = None,
    window_db: float = DEFAULT_STATS_WINDOW_DB,
    level_threshold_db: float = LEVEL_THRESHOLD_DB,
    jobs: int = 1,
    command: str = "",
) -> LotResult:
    """Judge a lot of units against the golden unit.

    Parameters
    ----------
    folder : path
        The lot folder (walked as ``rfcheck batch`` walks it).
    golden : str
        The unit that was tested (a ``unit`` the group pattern finds).
    setup : Setup
        ``[batch] group_pattern`` (required), include/exclude, ``[check]``/``[[rule]]``; a
        rule's ``port`` / ``port_regex`` gives captures their port, as for the dossier
        (:func:`rfcheck.lot.discovery.find_units`); a capture whose settings name no limit
        takes its port's from the ``[plan]``, as the dossier (:mod:`rfcheck.lot.limits`).
    settings_for : callable(rel_path) -> CheckSettings, optional
        Per-capture settings; default ``setup.settings_for`` (paths relative to ``folder``).
    window_db : float
        Statistics are tabulated where some unit, or ``x̄ + k·S_n``, is within this of a line. [dB]
    level_threshold_db : float
        Fingerprint level change tolerated as production spread. [dB]
    jobs : int
        Worker processes for loading and judging captures.

    Raises
    ------
    KeyError
        ``golden`` is not one of the units found (the message lists them).
    NoLimitError
        No capture has a limit, from ``settings_for`` or the ``[plan]`` (usage, exit 2).
    SharedCaptureError
        Two units hold one capture content (exit 3).
    SetupFileError
        No group pattern in the setup, malformed port rules, or (without port rules) two
        captures of a unit naming one port.
    """
    lot_folder = find_lot(folder, setup)
    units = lot_folder.units
    hint = shared_port_hint(units, setup)
    input_notes = unused_notes(lot_folder, setup) + ((hint,) if hint else ())
    if golden not in units:
        found = ", ".join(units) or "none"
        raise KeyError(f"golden unit {golden!r} not found in {folder} (units: {found})")
    rule = settings_for or setup.settings_for
    order = [golden] + [u for u in units if u != golden]
    check_shared(  # one measurement filed under two units or ports: refused before any work
        (Filed(u, c.path, c.port) for u in order for c in units[u] if c.port), order, str(folder)
    )
    settings_of = capture_settings(rule, setup)  # the rules' limits, else the [plan]'s
    check_some_limit((c for u in order for c in units[u]), settings_of)
    bands_of = span_bands(rule, setup)  # [plan] distance_bands: a distance by the span
    jobs_list = [
        _Job(
            u,
            port,
            tuple(c.path for c in caps),
            tuple(settings_of(c) for c in caps),
            tuple(bands_of(c) for c in caps),
        )
        for u in order
        for port, caps in ports_of(units[u]).items()
    ]
    results_of = _load_all(jobs_list, jobs)
    loaded = {(j.unit, j.port): r.emissions for j, r in zip(jobs_list, results_of, strict=True)}
    judged = [r.settings for r in results_of]
    serial_of, notes, others, two_serials, firmware = _stated_identity(
        list(zip(jobs_list, results_of, strict=True)), setup, order, golden, str(folder)
    )
    input_notes += notes
    lot_ports = tuple(dict.fromkeys(j.port for j in jobs_list))
    g = _unit_result(
        golden,
        units[golden],
        loaded,
        _GoldenPorts(lot_ports),
        level_threshold_db,
        others.get(golden, ""),
        two_serials.get(golden, ""),
        firmware.get(golden, ""),
    )
    against = _GoldenPorts(lot_ports, g.captures, g.missing_ports)
    results = [g] + [
        _unit_result(
            u,
            units[u],
            loaded,
            against,
            level_threshold_db,
            others.get(u, ""),
            two_serials.get(u, ""),
            firmware.get(u, ""),
        )
        for u in order[1:]
    ]
    results = [replace(r, serial=serial_of.get(r.unit)) for r in results]
    absent = declared_not_measured(setup.dut.get("serials"), list(units))
    lot = judge_lot(golden, results, window_db, command, absent, PlanPorts.from_setup(setup))
    settings = {
        "lot": {
            "golden": golden,
            "window_db": window_db,
            "level_threshold_db": level_threshold_db,
        },
        "captures": [
            {"path": str(p), **settings_summary(s)}
            for j, ss in zip(jobs_list, judged, strict=True)
            for p, s in zip(j.paths, ss, strict=True)
        ],
    }
    unplaced = [c for u in order for c in units[u] if c.problem]
    return replace(
        lot,
        notes=input_notes
        + settings_table_notes(s for ss in judged for s in ss)
        + lot.notes
        + settings_rule_notes(s for ss in judged for s in ss)
        + result_rule_notes(el.result for u in lot.units for el in u.captures.values()),
        input_notes=input_notes,
        inputs=_provenance(jobs_list, unplaced, rule, setup),
        settings=settings,
        ports_from=PORTS_FROM_RULES if has_port_rules(setup) else PORTS_FROM_FILE_NAMES,
    )


def _provenance(
    jobs: Sequence[_Job],
    unplaced: Sequence[UnitCapture],
    rule: Callable[[str], CheckSettings],
    setup: Setup,
) -> tuple[InputFile, ...]:
    """Every file the lot result depends on, with its SHA-256 (as ``check`` lists them).

    Each capture of each port (every member of a pooled one), then the captures no port
    rule placed (hashed, as the dossier hashes its error rows' files: changing one changes
    the report id), the setup, limit and transducer files.
    """
    paths = [p for j in jobs for p in j.paths] + [c.path for c in unplaced]
    all_settings = [s for j in jobs for s in j.settings] + [rule(c.rel) for c in unplaced]
    captures = [(str(p), input_sha256(p, None)) for p in paths]
    return input_files(captures, all_settings, setup, None)
