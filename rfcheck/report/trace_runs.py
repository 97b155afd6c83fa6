"""How the dossier and lot plots draw a trace: a sweep as a line, a final list as markers.

A final-measurement list (a few frequencies measured with a quasi-peak or CISPR-average
detector, at the emissions a prescan found: not a sweep's grid,
:func:`rfcheck.verdict.coverage.is_sweep_grid`) is evidence at its own frequencies only
(within the RBW), so it is drawn as one marker per reading, never joined across what its
readings do not cover: a line from a reading at 0.16 MHz to one at 0.7 MHz would draw levels
nobody measured, over the limit in between (readings whose ± RBW / 2 cells touch, a receiver
model's readings hertz apart across an emission, cover the stretch between them and are drawn
as a line there, as the coverage counts them). A sweep is drawn as a line, broken where its
coverage has a gap (points farther apart than the trace covers,
:func:`rfcheck.verdict.coverage.cells`): the line shows what was measured, not the span
between two measured stretches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

from ..verdict.coverage import cells, is_sweep_grid

__all__ = ["LIST_MARKERS", "draw_trace", "list_marker", "list_runs", "sweep_runs"]

#: Marker of a final-measurement list's readings by detector (the final table's ▼ marks
#: the deciding value on top of them).
LIST_MARKERS = {"quasi-peak": "o", "cispr-average": "s", "average": "s", "peak": "D"}
#: Marker size of a list's readings [pt].
_LIST_MS = 4.0

#: A line drawer: ``(ax, x, y, **style)``, returning the artist (``Axes.plot``'s first line,
#: :func:`rfcheck.report.band.add_band_line`).
LineDrawer = Callable[..., Any]


def list_marker(detector: str) -> str:
    """Return the marker a final list of ``detector`` readings is drawn with."""
    return LIST_MARKERS.get(detector, "o")


def sweep_runs(
    f_hz: NDArray[np.float64], rbw_hz: float | None, detector: str = "peak"
) -> list[slice] | None:
    """Return the stretches of a sweep drawn as one line each; None for a final list.

    ``f_hz`` increasing, finite, > 0 [Hz]. Two neighbouring points belong to one stretch
    when their coverage cells touch, as :func:`rfcheck.verdict.coverage.reach` counts them:
    a peak sweep's points meet at their midpoints, except across a gap
    (:func:`rfcheck.verdict.coverage.cells`); any other detector's reading covers its
    frequency ± RBW / 2 (a quasi-peak or average scan stepped wider than its RBW measured
    its points, not the band between them). A trace of fewer than 3 points, or one not on a
    sweep's grid, is a list (None: :func:`list_runs`).
    """
    f = np.asarray(f_hz, dtype=float)
    if not is_sweep_grid(f):
        return None
    if detector != "peak" and rbw_hz:
        return _touching(f, rbw_hz, per_point=True)
    return _touching(f, rbw_hz)


def list_runs(f_hz: NDArray[np.float64], rbw_hz: float | None) -> list[slice]:
    """Return a final list's readings grouped where their coverage cells touch.

    Each reading covers its frequency ± RBW / 2 (:func:`rfcheck.verdict.coverage.cells`):
    readings farther apart are evidence at their own frequencies only, each its own group
    (a marker); readings whose cells meet (a receiver model's readings a few hertz apart
    across an emission) cover the stretch between them, as the coverage counts it.
    """
    return _touching(np.asarray(f_hz, dtype=float), rbw_hz)


def _touching(f: NDArray[np.float64], rbw_hz: float | None, per_point: bool = False) -> list[slice]:
    """Return the runs of points whose coverage cells touch their neighbours'.

    ``per_point``: each point covers ± RBW / 2 only; else :func:`~rfcheck.verdict.coverage.cells`.
    """
    half = (rbw_hz or 0.0) / 2.0
    lo, hi = (f - half, f + half) if per_point else cells(f, rbw_hz)
    brk = np.flatnonzero(hi[:-1] < lo[1:] - 1e-9 * np.abs(lo[1:])) + 1
    edges = [0, *brk.tolist(), f.shape[0]]
    return [slice(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def draw_trace(
    ax: Axes,
    f_hz: NDArray[np.float64],
    level: NDArray[np.float64],
    *,
    detector: str,
    rbw_hz: float | None,
    line: LineDrawer,
    ms: float = _LIST_MS,
    sweep_unstated: bool = False,
    **style: Any,
) -> list[Any]:
    """Draw one trace on ``ax`` (frequency axis in MHz); return the artists drawn.

    A sweep: each stretch (:func:`sweep_runs`) by ``line`` with ``style``; a stretch of one
    point as a marker. A final list: its readings as unjoined markers (:func:`list_marker`),
    except readings whose coverage cells touch (:func:`list_runs`), drawn as a line as a
    sweep's stretch is; so is a trace whose file shows no sweep (``sweep_unstated``: a
    generic CSV stating no sweep time or trace mode), however evenly spaced. The label goes
    on the first artist. ``f_hz`` [Hz], points at or
    below 0 Hz and non-finite levels dropped.
    """
    f = np.asarray(f_hz, dtype=float)
    y = np.asarray(level, dtype=float)
    keep = (f > 0) & np.isfinite(f) & np.isfinite(y)
    f, y = f[keep], y[keep]
    if f.shape[0] == 0:
        return []
    runs = None if sweep_unstated else sweep_runs(f, rbw_hz, detector)
    marker = "."
    if runs is None:
        runs, marker = list_runs(f, rbw_hz), list_marker(detector)
    label = style.pop("label", None) or "_nolegend_"
    drawn: list[Any] = []
    single = [r.start for r in runs if r.stop - r.start == 1]
    if single:
        drawn.append(_markers(ax, f[single], y[single], marker, ms, label, style))
        label = "_nolegend_"
    for run in runs:
        if run.stop - run.start > 1:
            drawn.append(line(ax, f[run] / 1e6, y[run], label=label, **style))
            label = "_nolegend_"
    return drawn


def _markers(
    ax: Axes,
    f: NDArray[np.float64],
    y: NDArray[np.float64],
    marker: str,
    ms: float,
    label: str,
    style: dict[str, Any],
) -> Any:
    """Plot readings as unjoined markers in the trace's colour (its line style dropped)."""
    kw = {k: v for k, v in style.items() if k not in ("ls", "linestyle", "lw", "linewidth")}
    return ax.plot(f / 1e6, y, ls="none", marker=marker, ms=ms, mew=0.8, label=label, **kw)[0]
