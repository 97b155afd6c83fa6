"""Finding a capture's narrowband emissions: the peaks near a limit line, read on every line.

Built on the ``check`` pipeline (:func:`rfcheck.analysis.analyse_capture`): its corrected
traces and its suspect table, so corrections, distance conversion and the detector/bandwidth
bound rules are those of ``check`` (:mod:`rfcheck.verdict`). A peak is a local maximum
standing :data:`rfcheck.verdict.PEAK_EXCURSION_DB` above its surroundings (prominence) and
within ``window_db`` of some limit line; each is read on every line
(:meth:`rfcheck.lot.emissions.EmissionList.reading_at`), the verdict's own word where it
judged that very point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from ..analysis import analyse_capture, settings_summary
from ..capture import Capture
from ..judged_limits import load_limits
from ..plotted import PlotTrace
from ..prominence import prominent_peaks
from ..results import CaptureResult
from ..settings import CheckSettings
from ..verdict import PEAK_EXCURSION_DB
from ..verdict.coverage import is_sweep_grid
from .emissions import Emission, EmissionList
from .readings import KnownBounds, Reading, known_bounds

__all__ = [
    "emission_list",
    "result_emission_list",
    "read_peaks",
    "DEFAULT_WINDOW_DB",
    "PEAK_FLOOR_DB",
]


#: Peaks with a margin above this to every line are not listed. [dB]
DEFAULT_WINDOW_DB = 20.0


#: Peaks down to this much further below every line than the listing window are still read,
#: so that an emission just under the window on one side pairs with the other side's. [dB]
PEAK_FLOOR_DB = 10.0


def _peak_frequencies(traces: Sequence[PlotTrace], tol_hz: float) -> list[tuple[float, float]]:
    """Return the local maxima of every trace with their level [Hz], [dB(unit)].

    Maxima within ``tol_hz`` of each other are merged, the highest one kept.
    """
    f_all: list[NDArray[np.float64]] = []
    l_all: list[NDArray[np.float64]] = []
    for tr in traces:
        idx, _ = prominent_peaks(tr.level, PEAK_EXCURSION_DB)
        f_all.append(tr.freq_hz[idx])
        l_all.append(tr.level[idx])
    if not f_all:
        return []
    f = np.concatenate(f_all)
    lev = np.concatenate(l_all)
    order = np.argsort(f, kind="stable")
    f, lev = f[order], lev[order]
    out: list[tuple[float, float]] = []
    for fi, li in zip(f, lev, strict=True):
        if out and fi - out[-1][0] <= tol_hz:
            if li > out[-1][1]:
                out[-1] = (float(fi), float(li))
            continue
        out.append((float(fi), float(li)))
    return out


def _close_to_a_line(
    el: EmissionList, peaks: list[tuple[float, float]], within_db: float
) -> list[float]:
    """Return the peak frequencies whose level comes near some line [Hz].

    The peak frequencies whose level comes within ``within_db`` of some line (one vectorised pass,
    before the per-line readings are built). [Hz]
    """
    if not peaks:
        return []
    f = np.array([p[0] for p in peaks])
    lev = np.array([p[1] for p in peaks])
    best = np.full(f.size, np.inf)
    for t in el.tables:
        for spec in t.lines:
            lim = t.level_at(spec.name, f, el.distance_m)
            best = np.fmin(best, lim - lev)
    return [float(x) for x in f[best <= within_db]]


def _rbw_by_trace(capture: Capture) -> dict[str, float | None]:
    return {(tr.name or f"{i + 1}"): tr.rbw_hz for i, tr in enumerate(capture.traces)}


def emission_list(
    capture: Capture,
    settings: CheckSettings,
    *,
    label: str = "",
    window_db: float = DEFAULT_WINDOW_DB,
) -> EmissionList:
    """Judge a capture with ``check`` and list its narrowband emissions.

    Parameters
    ----------
    capture : Capture
    settings : CheckSettings
        Limits, distance [m] and the capture's own transducer chain.
    label : str
        Port / polarisation.
    window_db : float
        Peaks further than this below every limit line are left out. [dB]

    Returns
    -------
    EmissionList

    Raises
    ------
    RfcheckError
        The capture cannot be judged (as :func:`rfcheck.analysis.analyse_capture`).
    """
    result = analyse_capture(capture, settings, label=label)
    prov = capture.provenance
    return result_emission_list(
        result,
        settings,
        path=prov.path if prov else "<capture>",
        trace_rbw_hz=_rbw_by_trace(capture),
        label=label,
        window_db=window_db,
    )


def result_emission_list(
    result: CaptureResult,
    settings: CheckSettings,
    *,
    path: str,
    trace_rbw_hz: Mapping[str, float | None],
    label: str = "",
    window_db: float = DEFAULT_WINDOW_DB,
    members: Sequence[str] = (),
) -> EmissionList:
    """List the narrowband emissions of a ``check`` result (one capture or a pooled set).

    Parameters
    ----------
    result : CaptureResult
        A judged result (:func:`rfcheck.analysis.analyse_capture` or
        :func:`rfcheck.combine.analyse_combined`), not an ERROR.
    settings : CheckSettings
        The settings it was judged with (limits, distance [m]).
    path : str
        The capture's path (or the pooled members' paths) as reported.
    trace_rbw_hz : mapping of str to float or None
        Resolution bandwidth of each judged trace, by its name in ``result.plot_traces``. [Hz]
    label : str
        Port / polarisation.
    window_db : float
        Peaks further than this below every limit line are left out. [dB]
    members : sequence of str
        The pooled captures' paths (default: ``path`` alone).

    Returns
    -------
    EmissionList
    """
    tables = tuple(load_limits(settings))
    if not result.settings:  # as `check` reports it: the range it was judged over
        result = replace(result, settings=settings_summary(settings))
    rbws = [r for r in trace_rbw_hz.values() if r]
    # a sweep's step says how well it locates an emission; a final-measurement list's points
    # are at the emissions, and its spacing says nothing of that (it would widen the pairing)
    steps = [
        float(np.median(np.diff(t.freq_hz)))
        for t in result.plot_traces
        if is_sweep_grid(np.asarray(t.freq_hz, dtype=float))
    ]
    el = EmissionList(
        path=path,
        label=label,
        result=result,
        rbw_hz=max(rbws) if rbws else None,
        step_hz=max(steps) if steps else 0.0,
        emissions=(),
        tables=tables,
        distance_m=settings.distance_m,
        trace_rbw_hz=dict(trace_rbw_hz),
        members=tuple(members) or (path,),
    )
    peaks = read_peaks(el, window_db + PEAK_FLOOR_DB)
    emissions = [e for e in peaks if min(r.margin_db for r in e.readings) <= window_db]
    return replace(el, emissions=tuple(emissions), peaks=peaks)


def _known(el: EmissionList, freqs_hz: list[float]) -> dict[tuple[str, str], KnownBounds]:
    """Each line's trace bounds at ``freqs_hz`` [Hz], one pass a trace and line (none: groups).

    A list of several distances reads each group's own (:meth:`EmissionList.reading_at`).
    """
    if el.groups or not freqs_hz:
        return {}
    out = {}
    for key in el.lines():
        table = el.table(key[0])
        if table is not None:
            out[key] = known_bounds(el, table, key[1], freqs_hz)
    return out


def read_peaks(el: EmissionList, within_db: float) -> tuple[Emission, ...]:
    """Return every peak of ``el``'s traces within ``within_db`` of some line, read on each line.

    A peak of any trace (merged within half the list's pairing tolerance, the highest kept),
    read on every line within that half tolerance (:meth:`EmissionList.reading_at`), the
    verdict's own word (its suspect) where it judged that very point; kept when some line's
    margin is at most ``within_db`` [dB]. The list's own :attr:`~EmissionList.peaks` are these
    at its window plus :data:`PEAK_FLOOR_DB`; the lot's statistics read deeper
    (:mod:`rfcheck.lot.deep_rows`).
    """
    result = el.result
    tol = el.match_tolerance_hz / 2.0  # a peak's own neighbourhood: half the pairing tolerance
    suspects = {(s.limit_id, s.line, round(s.frequency_hz, 3)): s for s in result.suspects}
    peaks: list[Emission] = []
    near = list(_close_to_a_line(el, _peak_frequencies(result.plot_traces, tol), within_db))
    known = _known(el, near)
    for f in near:
        readings = []
        for key in el.lines():
            r = el.reading_at(f, key, tol, known.get(key))
            if r is None:
                continue
            s = suspects.get((key[0], key[1], round(f, 3)))
            if s is not None:  # the verdict machinery judged this very point: its word
                r = Reading(
                    key[0],
                    key[1],
                    r.line_detector,
                    s.detector,
                    s.level,
                    s.unit,
                    s.bound,
                    s.limit,
                    s.margin_db,
                    r.distance_m,
                    s.frequency_hz,
                )
            readings.append(r)
        if readings and min(r.margin_db for r in readings) <= within_db:
            peaks.append(Emission(f, tuple(readings)))
    return tuple(peaks)
