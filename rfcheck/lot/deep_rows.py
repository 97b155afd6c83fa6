"""80/80 rows below the listing window: where ``x̄ + k·S_n`` could still reach the limit.

The listing window (``rfcheck lot --window``, default 10 dB) names the frequencies where some
unit comes close to a line. The 80/80 statistic can reach the limit where none does: three
units at 26.0, 35.9 and 16.1 dBµV against a 46 dBµV line (each within 10 dB of the golden
unit, so all three shown identical) give ``x̄ + k·S_n = 26.0 + 2.04·9.90 = 46.20``, over the
line, though the highest is 10.1 dB under it. So the statistics also read the units deeper
than the window, as far as a row could still come within the window of its line:

- with the levels of a row in ``[m, M]`` (range ``R``), ``x̄ + k·S_n ≤ M + c·R``, ``c``
  from :func:`rfcheck.lot.statistics.spread_reach` (0.844 for 3 units: the largest);
- in margins to the row's limit ``L``, ``μ_min = L − M`` and ``μ_max = L − m``; the row
  comes within the window ``w`` only when ``μ_min − c·(μ_max − μ_min) ≤ w``;
- ``μ_max`` is at most ``Φ`` (:func:`floor_margin_db`): the highest limit of the line less
  the lowest level of any unit's traces (a reading is the highest level within a tolerance,
  so never below the trace's lowest; re-expressed at another distance, level and limit move
  together, and the row's limit is the lowest of the units', so a margin only shrinks);
- hence a row can come within the window only where some unit's margin is at most
  ``D = (w + c·Φ)/(1 + c)`` (:func:`depth_db`; at least ``w``).

Every unit's emissions (peaks of its traces, :func:`rfcheck.lot.emission_search.read_peaks`)
within ``D`` of the line that are not already in a listed row are candidates
(:func:`deep_points`); their rows are formed as the listed ones, and a row is kept when its
own ``x̄ + k·S_n`` (over the values read, bounds as read) comes within the window of its
limit, or some unit's value does (:func:`may_reach`). A kept row is then judged as any other
(a bound, a skirt, a unit not measured: INCONCLUSIVE or INCOMPLETE, never a silent PASS). The
other candidates stay out of the table: their statistic is more than the window under the
limit.

A row where the normality test sends the rule to the binomial method fails only with a unit
over the limit, which is within any window; so the screen on ``x̄ + k·S_n`` drops no row that
could FAIL by either method.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .distance_groups import joined_emissions
from .emission_search import read_peaks
from .emissions import Emission, EmissionList
from .fingerprint import unit_tolerance_hz
from .readings import reading_distance_m
from .statistics import MIN_UNITS_T, k_factor, spread_reach

__all__ = ["floor_margin_db", "depth_db", "unit_peaks", "deep_points", "may_reach"]


def floor_margin_db(units: Mapping[str, EmissionList], key: tuple[str, str]) -> float:
    """Return ``Φ``: the largest margin a reading of line ``key`` can have in these units [dB].

    Per capture (each distance of a port measured at several): the highest limit of the line
    at its trace points, at the distance it is judged at, less the lowest level of its traces
    in the line's unit. 0 when no trace has a point on the line.
    """
    out = 0.0
    for el in units.values():
        for part in el.parts:
            table = part.table(key[0])
            if table is None:
                continue
            dist = reading_distance_m(part, table)
            for tr in part.traces:
                if tr.unit != table.unit.value or not len(tr.freq_hz):
                    continue
                lim = table.level_at(key[1], tr.freq_hz, dist)
                lev = np.asarray(tr.level, dtype=float)
                if not np.any(np.isfinite(lim)) or not np.any(np.isfinite(lev)):
                    continue
                out = max(out, float(np.nanmax(lim)) - float(np.nanmin(lev[np.isfinite(lev)])))
    return out


def depth_db(window_db: float, floor_margin: float, n_units: int) -> float:
    """Return ``D = (w + c·Φ)/(1 + c)``, at least the window: how deep a row can start [dB]."""
    c = spread_reach(n_units)
    return max(window_db, (window_db + c * floor_margin) / (1.0 + c))


def unit_peaks(el: EmissionList, within_db: float) -> tuple[Emission, ...]:
    """Return the capture's peaks within ``within_db`` of some line, read on every line.

    A port measured at several distances: each distance's own, joined as its emission list
    joins them (:func:`rfcheck.lot.distance_groups.joined_emissions`).
    """
    if not el.groups:
        return read_peaks(el, within_db)
    tol = max(g.match_tolerance_hz for g in el.groups) / 2.0
    return joined_emissions([read_peaks(g, within_db) for g in el.groups], tol)


def deep_points(
    units: Mapping[str, EmissionList],
    peaks: Mapping[str, Sequence[Emission]],
    key: tuple[str, str],
    depth: float,
    listed: Sequence[float],
    tol_hz: float,
) -> dict[tuple[float, str], Emission]:
    """Return the candidate emissions below the window: ``(frequency, unit) -> emission``.

    Each unit's peak with a reading of ``key`` within ``depth`` [dB] of the line, at a
    frequency its own verdict judges, and not within the pairing tolerance (``tol_hz`` plus
    the clock tolerance) of a listed row's member (``listed`` [Hz]: that row reads it).
    """
    near = np.sort(np.asarray(listed, dtype=float))
    out: dict[tuple[float, str], Emission] = {}
    for name, el in units.items():
        for e in peaks.get(name, ()):
            r = e.reading(key)
            f = e.frequency_hz
            if r is None or r.margin_db > depth or not el.judges(f):
                continue
            if near.size and float(np.min(np.abs(near - f))) <= unit_tolerance_hz(tol_hz, f):
                continue
            out[(f, name)] = e
    return out


def may_reach(levels: Sequence[float], limit: float, window_db: float) -> bool:
    """Whether a row below the window is kept: its statistic comes within ``window_db`` [dB].

    Some value within the window of ``limit``, or, with at least
    :data:`~rfcheck.lot.statistics.MIN_UNITS_T` values, ``x̄ + k·S_n`` (k for their number)
    within it. Fewer values form no statistic (such a row is incomplete anyway, as is the
    unit not measured there).
    """
    x = np.asarray(levels, dtype=float)
    if not x.size:
        return False
    if limit - float(x.max()) <= window_db:
        return True
    if x.size < MIN_UNITS_T:
        return False
    value = float(x.mean()) + k_factor(int(x.size)) * float(x.std(ddof=1))
    return limit - value <= window_db
