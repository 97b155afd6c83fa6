"""The ``rfcheck compare`` analysis: two captures (or pooled sets) of one port, emissions paired.

Each side is corrected with its own settings: one capture as ``rfcheck check`` judges it, several
captures of one port pooled as ``rfcheck check --combine`` pools them
(:func:`rfcheck.combine.analyse_combined`: a quasi-peak file settles a peak prescan at its
frequencies). The emissions are paired by :mod:`rfcheck.lot.matching`; two sides measured at
different distances have their levels taken at one (:mod:`rfcheck.lot.distance`). The verdict
of each side is the ``check`` verdict, reported and not re-decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..analysis import (
    input_files,
    input_sha256,
    result_rule_notes,
    settings_rule_notes,
    settings_summary,
)
from ..capture import Capture
from ..combine import analyse_combined
from ..errors import AnalysisError
from ..io import load_capture
from ..judged_limits import settings_table_notes
from ..outcome import Verdict
from ..settings import CheckSettings, Setup
from .compare_result import CompareResult, reading_frequency_hz
from .distance import at_one_distance, side_distances
from .distance_groups import distance_groups, join_groups
from .emission_search import DEFAULT_WINDOW_DB, emission_list, result_emission_list
from .emissions import EmissionList
from .matching import Matched, match, match_tolerance_hz

__all__ = ["load_emissions", "load_pooled_emissions", "one_content_notes", "run_compare"]

#: A side of a comparison: one capture, or several captures of one port pooled.
Side = str | Path | Sequence[str | Path]


def load_emissions(
    path: str | Path,
    settings: CheckSettings,
    *,
    label: str = "",
    window_db: float = DEFAULT_WINDOW_DB,
) -> EmissionList:
    """Load one capture and list its emissions (errors as :func:`rfcheck.io.load_capture`)."""
    capture = load_capture(
        Path(path),
        settings.fmt,
        unit=settings.unit,
        detector=settings.detector,
        rbw_hz=settings.rbw_hz,
    )
    return emission_list(capture, settings, label=label, window_db=window_db)


def _member_rbw_hz(
    paths: Sequence[Path], settings: Sequence[CheckSettings], trace_names: Sequence[str]
) -> dict[str, float | None]:
    """Return the RBW of every pooled trace by its name ``"<member>: <trace>"`` [Hz]."""
    out: dict[str, float | None] = {}
    for p, s in zip(paths, settings, strict=True):
        capture = load_capture(p, s.fmt, unit=s.unit, detector=s.detector, rbw_hz=s.rbw_hz)
        for i, tr in enumerate(capture.traces):
            own = tr.name or f"{i + 1}"
            for member in (p.name, str(p)):
                if f"{member}: {own}" in trace_names:
                    out[f"{member}: {own}"] = tr.rbw_hz
    return out


def load_pooled_emissions(
    paths: Sequence[str | Path],
    settings: Sequence[CheckSettings],
    *,
    label: str = "",
    window_db: float = DEFAULT_WINDOW_DB,
    captures: Sequence[Capture | None] | None = None,
) -> EmissionList:
    """List the emissions of several captures of one port judged as one measurement.

    Pooled per measurement distance (:func:`rfcheck.lot.distance_groups.distance_groups`:
    a radiated port measured at 10 m below 1 GHz and at 3 m above is two pools, each judged
    at its own distance), the pools joined into the port's one list
    (:func:`rfcheck.lot.distance_groups.join_groups`).

    Parameters
    ----------
    paths : sequence of path
        The members (one member: the capture alone, as :func:`load_emissions`).
    settings : sequence of CheckSettings
        One per member (its own transducers); all resolve to the same limits, and the
        members of one distance to that distance.
    label : str
        Port / polarisation.
    window_db : float
        Peaks further than this below every limit line are not listed. [dB]
    captures : sequence of Capture or None, optional
        The members already loaded (None: loaded here), as
        :func:`rfcheck.combine.analyse_combined` takes them.

    Raises
    ------
    RfcheckError
        A member cannot be read or judged, or the members name different limits
        (:func:`rfcheck.combine.check_combinable`).
    """
    lists = [
        _load_pool(
            [paths[i] for i in group],
            [settings[i] for i in group],
            label=label,
            window_db=window_db,
            captures=None if captures is None else [captures[i] for i in group],
        )
        for group in distance_groups(settings)
    ]
    return join_groups(lists, label)


def _load_pool(
    paths: Sequence[str | Path],
    settings: Sequence[CheckSettings],
    *,
    label: str,
    window_db: float,
    captures: Sequence[Capture | None] | None,
) -> EmissionList:
    """List the emissions of captures of one port at one distance, pooled as one measurement."""
    if len(paths) == 1:
        first = captures[0] if captures else None
        if first is not None:
            el = emission_list(first, settings[0], label=label, window_db=window_db)
        else:
            el = load_emissions(paths[0], settings[0], label=label, window_db=window_db)
        return replace(el, members=(str(paths[0]),))
    members = [Path(p) for p in paths]
    result = analyse_combined(members, settings, label=label, captures=captures)
    if result.verdict is Verdict.ERROR:
        raise AnalysisError("; ".join(f"{e.path}: {e.message}" for e in result.errors))
    names = [t.label for t in result.plot_traces]
    return result_emission_list(
        result,
        settings[0],
        path=result.path,
        trace_rbw_hz=_member_rbw_hz(members, settings, names),
        label=label,
        window_db=window_db,
        members=[str(p) for p in paths],
    )


def _own_frequencies(matched: Matched) -> Matched:
    """Label each paired reading with the frequency it was taken at, not its emission's.

    A pooled side's emission is found at a prescan's peak and its quasi-peak line read from
    a final near it (:func:`~rfcheck.lot.compare_result.reading_frequency_hz`): the pair
    names the final's frequency (375.6 MHz), not the prescan grid point's (375.32 MHz).
    """
    pairs = tuple(
        replace(
            p,
            frequency_hz_a=reading_frequency_hz(p.frequency_hz_a, p.a),
            frequency_hz_b=reading_frequency_hz(p.frequency_hz_b, p.b),
        )
        for p in matched.pairs
    )
    return replace(matched, pairs=pairs)


def _paths(side: Side) -> list[str | Path]:
    return [side] if isinstance(side, str | Path) else list(side)


def one_content_notes(path_a: Side, path_b: Side, names: tuple[str, str]) -> tuple[str, ...]:
    """Say which captures of side A and side B hold one content (the same SHA-256).

    One content on both sides is one measurement, not a before and an after (a file filed
    twice, almost always by mistake): the comparison of it shows no change whatever the
    device did. One note per content, naming its files on each side; none when the sides
    share no content (:func:`rfcheck.shared_content.shared_content`, the sides as units).
    """
    from ..shared_content import Filed, shared_content

    files = [Filed("A", Path(p)) for p in _paths(path_a)]
    files += [Filed("B", Path(p)) for p in _paths(path_b)]
    contents = {c.sha256: c for c in shared_content(files).values()}
    notes = []
    for sha, content in contents.items():
        a, b = (
            f"{name} ({', '.join(f.path.as_posix() for f in content.filed if f.unit == side)})"
            for side, name in zip("AB", names, strict=True)
        )
        notes.append(
            f"{a} and {b} are one content (SHA-256 {sha}): one measurement on both sides, not "
            "two, so the comparison can show no change from it; compare two measurements"
        )
    return tuple(notes)


def _settings(side: Side, settings: CheckSettings | Sequence[CheckSettings]) -> list[CheckSettings]:
    n = len(_paths(side))
    return [settings] * n if isinstance(settings, CheckSettings) else list(settings)


def _same_port(a: EmissionList, b: EmissionList, names: tuple[str, str]) -> None:
    """Refuse two sides judged against tables of different ports (nothing can pair).

    A setup naming both ports' limits judges a conducted capture against the conducted
    tables and a radiated one against the radiated (:func:`rfcheck.analysis.port_tables`):
    compared, they paired nothing and exited 0.
    """
    ids_a = [lim["id"] for lim in a.result.limits]
    ids_b = [lim["id"] for lim in b.result.limits]
    if ids_a and ids_b and not set(ids_a) & set(ids_b):
        raise AnalysisError(
            f"{names[0]} is judged against {', '.join(ids_a)} and {names[1]} against "
            f"{', '.join(ids_b)}: compare captures of one port"
        )


def run_compare(
    path_a: Side,
    path_b: Side,
    settings_a: CheckSettings | Sequence[CheckSettings],
    settings_b: CheckSettings | Sequence[CheckSettings],
    *,
    window_db: float = DEFAULT_WINDOW_DB,
    command: str = "",
    setup: Setup | None = None,
    names: tuple[str, str] = ("A", "B"),
) -> CompareResult:
    """Compare two captures, or two pooled sets of captures of one port.

    Parameters
    ----------
    path_a, path_b : path or sequence of path
        Before / after (or unit / reference): one capture, or several captures of one port
        pooled as ``check --combine`` pools them.
    settings_a, settings_b : CheckSettings or sequence of CheckSettings
        Each capture's own settings (its transducers), one for the side or one per member;
        both sides should name the same limits.
    window_db : float
        Emissions further below every line than this are not listed. [dB]
    command : str
        The command line, as reported.
    setup : Setup, optional
        The setup the settings came from (hashed into the provenance with the captures,
        limit and transducer files).
    names : (str, str)
        The sides' display names, as reported (``--names``).

    Raises
    ------
    RfcheckError
        A capture cannot be read or judged.
    """
    paths = [str(p) for p in _paths(path_a) + _paths(path_b)]
    all_settings = _settings(path_a, settings_a) + _settings(path_b, settings_b)
    a = load_pooled_emissions(_paths(path_a), _settings(path_a, settings_a), window_db=window_db)
    b = load_pooled_emissions(_paths(path_b), _settings(path_b, settings_b), window_db=window_db)
    _same_port(a, b, names)
    matched = match(
        a.peaks, b.peaks, match_tolerance_hz(a, b), listed_a=a.emissions, listed_b=b.emissions
    )
    matched = _own_frequencies(matched)
    distances = side_distances(a, b)
    matched = at_one_distance(matched, distances)
    settings = {
        "compare": {
            "a": [str(p) for p in _paths(path_a)],
            "b": [str(p) for p in _paths(path_b)],
            "window_db": window_db,
        },
        "captures": [
            {"path": p, **settings_summary(s)} for p, s in zip(paths, all_settings, strict=True)
        ],
    }
    captures = [(p, input_sha256(Path(p), None)) for p in paths]
    inputs = input_files(captures, all_settings, setup, None)
    return CompareResult(
        a,
        b,
        matched,
        command,
        inputs=inputs,
        captures=tuple(paths),
        settings=settings,
        names=names,
        distances=tuple(distances),
        notes=one_content_notes(path_a, path_b, names)
        + settings_table_notes(all_settings)
        + settings_rule_notes(all_settings)
        + result_rule_notes((a.result, b.result)),
    )
