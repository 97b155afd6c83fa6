"""The ``rfcheck lot`` analysis: every unit against the golden unit, and 80/80 statistics.

``rfcheck lot``: every unit of a lot against the golden (tested) unit, and the CISPR 80/80
statistics over the units shown identical to it.

Steps: find the units and each capture's port (:func:`rfcheck.lot.discovery.find_units`:
the setup's port rules, as the dossier places captures, else the file name); list each
port's emissions, a unit's several captures of one port judged as one measurement
(:func:`rfcheck.lot.compare.load_pooled_emissions`, as ``check --combine``); compare each
unit's fingerprint with the golden unit's, port by port (:mod:`rfcheck.lot.fingerprint`);
then, per port and limit line, take every emission frequency some identical unit has within
``window_db`` of the line, read every identical unit there and apply the 80/80 rule
(:func:`rfcheck.lot.statistics.evaluate`). Units shown different are a different build:
they are listed with their evidence and left out of the statistics (said in ``notes``). A
port's capture missing (the golden unit's too) is missing data: INCOMPLETE, the unit's
identity unknown, never a difference (``docs/lot.md``, "Fingerprint").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..analysis import input_files, input_sha256, settings_summary
from ..capture import Capture
from ..errors import RfcheckError
from ..io import load_capture
from ..outcome import Bound, Verdict, combine_verdicts
from ..results import InputFile
from ..settings import CheckSettings, Setup
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
from .fingerprint import LEVEL_THRESHOLD_DB, Difference, compare_fingerprints, unit_tolerance_hz
from .results import PORTS_FROM_FILE_NAMES, PORTS_FROM_RULES, LotResult, StatRow, UnitResult
from .statistics import MIN_UNITS_T, NORMALITY_ALPHA, evaluate, k_text, min_units_binomial

__all__ = ["run_lot", "lot_statistics", "DEFAULT_STATS_WINDOW_DB"]

#: Frequencies where no unit comes closer than this to a line are not tabulated. [dB]
DEFAULT_STATS_WINDOW_DB = 10.0


@dataclass(frozen=True)
class _Job:
    """One port of one unit: its captures (one, or several pooled) and their settings."""

    unit: str
    port: str
    paths: tuple[Path, ...]
    settings: tuple[CheckSettings, ...]


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
    """A port's emissions (or its error line), and the DUT model each capture states."""

    emissions: EmissionList | str
    #: (capture path, the model its header states: a ``dut_model`` line), where stated
    models: tuple[tuple[str, str], ...] = ()


def _stated_model(capture: Capture) -> str | None:
    """Return the DUT model a capture's header states (``# dut_model: NX-7``), if any."""
    for key, value in capture.metadata.items():
        if re.sub(r"[\s-]+", "_", key.strip().lower()) == "dut_model" and value.strip():
            return value.strip()
    return None


def _preload(job: _Job) -> list[Capture | None]:
    """Load the port's captures once (None where loading fails: judging names the error)."""
    out: list[Capture | None] = []
    for path, s in zip(job.paths, job.settings, strict=True):
        try:
            out.append(load_capture(path, s.fmt, unit=s.unit, detector=s.detector))
        except (RfcheckError, OSError):
            out.append(None)
    return out


def _load(job: _Job) -> _Loaded:
    captures = _preload(job)
    models = tuple(
        (str(p), m)
        for p, c in zip(job.paths, captures, strict=True)
        if c is not None and (m := _stated_model(c)) is not None
    )
    try:
        el = load_pooled_emissions(job.paths, job.settings, label=job.port, captures=captures)
    except RfcheckError as err:
        return _Loaded(_error_text(job.paths, err), models)
    except OSError as err:
        path = " + ".join(str(p) for p in job.paths)
        return _Loaded(f"{path}: cannot read: {err.strerror or err}", models)
    return _Loaded(el, models)


def _load_all(jobs: Sequence[_Job], workers: int) -> list[_Loaded]:
    if workers <= 1 or len(jobs) < 2:
        return [_load(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_load, jobs, chunksize=max(1, len(jobs) // (4 * workers))))


def model_notes(
    models: Sequence[tuple[str, str, str]], lot_model: str | None, golden: str
) -> tuple[str, ...]:
    """Say which units' captures state another DUT model than the lot's (none: ``()``).

    ``models``: (unit, capture path, stated model). The lot's model is the setup's ``[dut]
    model``, else the one the golden unit's captures state (when they state one).
    """
    source = "[dut] model"
    if lot_model is None:
        stated = {m for u, _, m in models if u == golden}
        if len(stated) != 1:
            return ()
        lot_model, source = stated.pop(), f"the golden unit {golden}'s captures"
    key = lot_model.strip().casefold()
    by_unit: dict[str, list[str]] = {}
    for unit, path, model in models:
        if model.casefold() != key:
            by_unit.setdefault(unit, []).append(f"{path} ({model})")
    return tuple(
        f"{unit}: its captures state another DUT model than the lot's {lot_model} ({source}): "
        + ", ".join(found)
        for unit, found in by_unit.items()
    )


def _clusters(points: Sequence[tuple[float, str]], tol_hz: float) -> list[list[float]]:
    """Group the units' emission frequencies [Hz] within ``tol_hz`` [Hz] of each other.

    ``points`` are (frequency, unit) pairs. By frequency, each joins the group of the one
    before when within ``tol_hz`` of it and its unit has no emission in that group yet: two
    emissions of one capture that its sweep resolved are two frequencies (two rows), however
    close, never one.
    """
    out: list[list[tuple[float, str]]] = []
    for f, unit in sorted(points):
        if out and f - out[-1][-1][0] <= tol_hz and all(u != unit for _, u in out[-1]):
            out[-1].append((f, unit))
        else:
            out.append([(f, unit)])
    return [[f for f, _ in group] for group in out]


def lot_statistics(
    port: str, units: dict[str, EmissionList], golden: str, window_db: float, tol_hz: float
) -> list[StatRow]:
    """Return the 80/80 rows of one port over the given units (the golden unit first).

    For each limit line: the emission frequencies of every unit with a reading within
    ``window_db`` of that line are merged within ``tol_hz``, one emission per unit in a
    cluster (:func:`_clusters`; the golden unit's frequency names a cluster it is in, else
    the lowest member); every unit is read there (its best
    reading within ``tol_hz`` / 2 plus the clock tolerance, 100 ppm of f) and the rule applied.
    """
    rows: list[StatRow] = []
    ref = units[golden]
    for key in ref.lines():
        points = [
            (e.frequency_hz, name)
            for name, el in units.items()
            for e in el.emissions
            if (r := e.reading(key)) is not None and r.margin_db <= window_db
        ]
        golden_f = {e.frequency_hz for e in ref.emissions}
        clusters = _clusters(points, tol_hz)
        alpha = NORMALITY_ALPHA / max(1, len(clusters))  # Bonferroni over the line's frequencies
        for cluster in clusters:
            f = next((x for x in cluster if x in golden_f), cluster[0])
            levels: list[tuple[str, float]] = []
            bounds: list[str] = []
            limit = None
            unit = ""
            for name, el in units.items():
                r = el.reading_at(f, key, unit_tolerance_hz(tol_hz / 2.0, f))
                if r is None:
                    bounds.append(f"{name}: no reading")
                    continue
                levels.append((name, r.level))
                limit, unit = r.limit, r.unit
                if r.bound is not Bound.MEASURED:
                    bounds.append(f"{name}: {r.detector} ({r.bound.value})")
            if limit is None:
                continue
            det = ref.tables[[t.id for t in ref.tables].index(key[0])].line(key[1]).detector.value
            needs = f"{det} readings needed at {f / 1e6:.4f} MHz for " + "; ".join(bounds)
            outcome = evaluate(
                [x for _, x in levels], limit, all_measured=not bounds, needs=needs, alpha=alpha
            )
            rows.append(StatRow(port, key[0], key[1], f, unit, outcome, tuple(levels)))
    return sorted(rows, key=lambda r: (r.port, r.frequency_hz, r.limit_id, r.line))


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
) -> UnitResult:
    """Return one unit's result: its emissions per port, its differences from the golden unit.

    A port of the lot (some unit has a capture of it) this unit has none of is missing data:
    the unit is INCOMPLETE for it, and its identity with the golden unit cannot be shown (not
    a difference); so for a port the golden unit has none of.
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
    if golden.emissions is not None:  # not the golden unit itself
        diffs = _golden_differences(emissions, golden.emissions, level_threshold_db)
    scored = [
        (el.worst_margin_db, p, el) for p, el in emissions.items() if el.worst_margin_db is not None
    ]
    worst = min(scored, key=lambda x: x[0]) if scored else None
    verdicts = [el.verdict for el in emissions.values()] + [Verdict.ERROR] * len(errors)
    verdicts += [Verdict.INCOMPLETE] * len(missing)
    return UnitResult(
        unit=name,
        identical=not diffs and not errors and not unshown,
        differences=tuple(diffs),
        verdict=combine_verdicts(verdicts),
        worst_margin_db=worst[2].worst_margin_db if worst else None,
        worst_frequency_hz=worst[2].worst_frequency_hz if worst else None,
        worst_port=worst[1] if worst else "",
        worst_bound=worst[2].worst_bound if worst else None,
        captures=emissions,
        paths=tuple(str(c.path) for c in caps),
        errors=tuple(errors),
        ports={p: tuple(str(c.path) for c in members) for p, members in ports.items()},
        missing_ports=tuple(missing),
        missing=tuple(texts),
    )


def _golden_differences(
    emissions: dict[str, EmissionList],
    golden: dict[str, EmissionList],
    level_threshold_db: float,
) -> list[Difference]:
    """Return how a unit differs from the golden unit, port by port.

    Each read port's fingerprint against the golden unit's on that port. A port either of
    them has no capture of, or could not read, is no evidence of a difference (missing data,
    or the capture's own error): it is not compared here.
    """
    diffs: list[Difference] = []
    for port, el in emissions.items():
        if port in golden:
            diffs += compare_fingerprints(
                port, golden[port], el, level_threshold_db=level_threshold_db
            )
    return diffs


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
        (:func:`rfcheck.lot.discovery.find_units`).
    settings_for : callable(rel_path) -> CheckSettings, optional
        Per-capture settings; default ``setup.settings_for`` (paths relative to ``folder``).
    window_db : float
        Statistics are tabulated where some unit is within this of a line. [dB]
    level_threshold_db : float
        Fingerprint level change tolerated as production spread. [dB]
    jobs : int
        Worker processes for loading and judging captures.

    Raises
    ------
    KeyError
        ``golden`` is not one of the units found (the message lists them).
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
    jobs_list = [
        _Job(u, port, tuple(c.path for c in caps), tuple(rule(c.rel) for c in caps))
        for u in order
        for port, caps in ports_of(units[u]).items()
    ]
    results_of = _load_all(jobs_list, jobs)
    loaded = {(j.unit, j.port): r.emissions for j, r in zip(jobs_list, results_of, strict=True)}
    stated = [
        (j.unit, p, m) for j, r in zip(jobs_list, results_of, strict=True) for p, m in r.models
    ]
    model = setup.dut.get("model")
    input_notes += model_notes(stated, model if isinstance(model, str) else None, golden)
    lot_ports = tuple(dict.fromkeys(j.port for j in jobs_list))
    g = _unit_result(golden, units[golden], loaded, _GoldenPorts(lot_ports), level_threshold_db)
    against = _GoldenPorts(lot_ports, g.captures, g.missing_ports)
    results = [g] + [
        _unit_result(u, units[u], loaded, against, level_threshold_db) for u in order[1:]
    ]
    lot = _judge_lot(golden, results, window_db, command)
    settings = {
        "lot": {
            "golden": golden,
            "window_db": window_db,
            "level_threshold_db": level_threshold_db,
        },
        "captures": [
            {"path": str(p), **settings_summary(s)}
            for j in jobs_list
            for p, s in zip(j.paths, j.settings, strict=True)
        ],
    }
    unplaced = [c for u in order for c in units[u] if c.problem]
    return replace(
        lot,
        notes=input_notes + lot.notes,
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


def _judge_lot(golden: str, results: list[UnitResult], window_db: float, command: str) -> LotResult:
    notes: list[str] = []
    same = [u for u in results if u.identical or u.unit == golden]
    # a unit with an unreadable capture or a missing port is not shown identical, but not
    # shown different either
    left_out = [u.unit for u in results if u not in same and u.differences]
    unread = [u.unit for u in results if u not in same and u.errors and not u.differences]
    gaps = [u.unit for u in results if u not in same and u.identity == "unknown" and not u.errors]
    if left_out:
        notes.append(
            "statistics over the units shown identical to the golden unit; left out (not shown "
            f"identical, a different build): {', '.join(left_out)}"
        )
    if unread:
        notes.append(
            "statistics over the units shown identical to the golden unit; left out (a capture "
            f"could not be read, so not compared): {', '.join(unread)}"
        )
    if gaps:
        notes.append(
            "statistics over the units shown identical to the golden unit; left out (identity "
            f"cannot be shown: a port's capture is missing, data missing): {', '.join(gaps)}"
        )
    missing = [f"{u.unit} ({', '.join(u.missing_ports)})" for u in results if u.missing_ports]
    if missing:
        notes.append(
            "INCOMPLETE: a port of the lot has no capture (missing data): " + "; ".join(missing)
        )
    tol: dict[str, float] = {}
    rows: list[StatRow] = []
    for port in results[0].captures:
        members = {u.unit: u.captures[port] for u in same if port in u.captures}
        tol[port] = max(el.match_tolerance_hz for el in members.values())
        rows += lot_statistics(port, members, golden, window_db, tol[port])
    parts = [r.verdict for r in rows]
    if len(same) < MIN_UNITS_T:
        notes.append(
            f"too few units for the 80/80 rule: {len(same)} shown identical to the golden unit "
            f"(at least {MIN_UNITS_T} needed; the binomial method needs {min_units_binomial()}): "
            "not a pass"
        )
        parts.append(Verdict.INCOMPLETE)
    if any(u.differences for u in results):
        parts.append(Verdict.INCONCLUSIVE)
    if any(u.missing for u in results):
        parts.append(Verdict.INCOMPLETE)
    if any(u.errors for u in results):
        parts.append(Verdict.ERROR)
    verdict = combine_verdicts(parts) if parts else Verdict.PASS
    k_used = sorted({(r.outcome.n, r.outcome.k) for r in rows if r.outcome.k is not None})
    if k_used:
        notes.append(
            "k for the n used: " + ", ".join(f"n = {n}: k = {k_text(n, k)}" for n, k in k_used)
        )
    return LotResult(golden, tuple(results), tuple(rows), verdict, tuple(notes), tol, command)
